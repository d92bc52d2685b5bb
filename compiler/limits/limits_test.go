package limits

import (
	"math"
	"strconv"
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

// TestSeed: every whole number a YAML seed reads exactly is a seed, and
// no other: 2^53 is refused because 2^53 + 1, a different seed, reads as
// it (the nearest float64, ties to even).
func TestSeed(t *testing.T) {
	read := func(literal string) float64 {
		v, err := strconv.ParseFloat(literal, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for literal, want := range map[string]bool{
		"0": true, "1234": true, "9007199254740991": true, // 2^53 - 1
		"9007199254740992": false, "9007199254740993": false, // 2^53, and 2^53 + 1, which reads as 2^53
		"-1": false, "1.5": false, "1e20": false,
	} {
		if got := Seed(read(literal)); got != want {
			t.Errorf("Seed(%s) = %v, want %v", literal, got, want)
		}
	}
}
