package runtime

import (
	"bytes"
	"strings"
	"testing"
)

// TestStartTime checks that Info.T0 shifts the time column of every
// writer (t = T0 + k*Dt) and that a negative T0 is an internal error.
func TestStartTime(t *testing.T) {
	info := Info{Label: "t0", Steps: 2, Dt: 0.5, T0: 10, Columns: []Column{{Name: "x", Group: GroupDefault}}}
	opts, err := ParseArgs(info, "sim", nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := NewRecorder(1, 3)
	for k := range 3 {
		rec.Row(k)[0] = float64(k)
	}
	cases := []struct {
		format Format
		want   string
	}{
		{FormatCSV, "t,x\n10,0\n10.5,1\n11,2\n"},
		{FormatDAT, "10\t0\n10.5\t1\n11\t2\n"},
	}
	for _, tc := range cases {
		var b bytes.Buffer
		opts.Format = tc.format
		if err := WriteResults(&b, rec, opts); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("format %v: got %q, want %q", tc.format, b.String(), tc.want)
		}
	}
	info.T0 = -1
	if err := info.Validate(); err == nil || !strings.Contains(err.Error(), "t0") {
		t.Errorf("T0 = -1: got %v, want an error about t0", err)
	}
}
