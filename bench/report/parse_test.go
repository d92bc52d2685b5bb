package main

import (
	"testing"
	"time"
)

// TestParseRuntimeSummary reads construction, simulation and output times
// from the runtime's summary line, in its short and its Go-duration forms.
func TestParseRuntimeSummary(t *testing.T) {
	for _, c := range []struct {
		line                  string
		construct, sim, write time.Duration
	}{
		{"spnet: network built in 2.1 s, 2000 steps (200 ms simulated) in 912 ms wall, 2.19e+03 steps/s, wrote s.csv (196802 spikes) in 17.8 ms\n",
			2100 * time.Millisecond, 912 * time.Millisecond, 17800 * time.Microsecond},
		{"spnet1m-f32: network built in 4m10s, 1000 steps (100 ms simulated) in 2m1s wall, 8.26 steps/s, wrote sp1m.csv (1071833 spikes) in 1.35 s\n",
			250 * time.Second, 121 * time.Second, 1350 * time.Millisecond},
		{"brain: set up in 21.5 ms, 2000 steps (200 ms simulated) in 96 ms wall, 2.08e+04 steps/s, wrote b.npy (2001 rows x 1001 columns) in 10.2 ms\n",
			21500 * time.Microsecond, 96 * time.Millisecond, 10200 * time.Microsecond},
		{"ex2: 40000 steps (200 ms simulated) in 12.3 ms wall, 3.25e+06 steps/s, wrote ex2.csv (40001 rows x 5 columns) in 4.1 ms\n",
			0, 12300 * time.Microsecond, 4100 * time.Microsecond},
	} {
		var s sample
		if err := parseRuntimeSummary("", c.line, &s); err != nil {
			t.Fatal(err)
		}
		near := func(a, b time.Duration) bool { return a-b < time.Microsecond && b-a < time.Microsecond }
		if !near(s.construct, c.construct) || !near(s.sim, c.sim) || !near(s.write, c.write) {
			t.Errorf("%q: construct %v sim %v write %v, want %v %v %v", c.line, s.construct, s.sim, s.write, c.construct, c.sim, c.write)
		}
	}
}
