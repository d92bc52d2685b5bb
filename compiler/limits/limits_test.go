package limits

import (
	"math"
	"strings"
	"testing"
)

func TestHistory(t *testing.T) {
	tests := []struct {
		slots, slotBytes float64
		want             string // "" for no error
	}{
		{1000, 8, ""},
		{MaxHistoryBytes / 8, 8, ""},
		{MaxHistoryBytes/8 + 1, 8, "limit 1.07 GB"},
		{1e13, 4, "is 1e+13 steps: its history would need 4e+04 GB"},
		{MaxIndex + 1, 0, "limit"},
		{math.Inf(1), 8, "more than 1e18 bytes"},
		{math.NaN(), 8, "limit"},
	}
	for _, tt := range tests {
		err := History("edge delay", tt.slots, tt.slotBytes)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("History(%g, %g) = %v, want nil", tt.slots, tt.slotBytes, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("History(%g, %g) = %v, want an error containing %q", tt.slots, tt.slotBytes, err, tt.want)
		}
	}
}

func TestBytes(t *testing.T) {
	tests := []struct {
		b    float64
		want string
	}{
		{12, "12 bytes"}, {2048, "2.05 kB"}, {5e6, "5 MB"}, {3.2e9, "3.2 GB"}, {1e20, "more than 1e18 bytes"},
	}
	for _, tt := range tests {
		if got := Bytes(tt.b); got != tt.want {
			t.Errorf("Bytes(%g) = %q, want %q", tt.b, got, tt.want)
		}
	}
}
