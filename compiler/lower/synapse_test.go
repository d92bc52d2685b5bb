package lower

import (
	"slices"
	"testing"

	"github.com/tvboc/tvboc/compiler/resolve"
)

// TestDueOffsets pins where jLEMS's queue delivers a delayed spike: at
// the first step whose running sum of t has reached the spike's time plus
// the delay. With floating-point sums the delay takes the whole number of
// steps or one more, depending on the step; a cell run in regimes sends a
// step early, so its slots are one fewer.
func TestDueOffsets(t *testing.T) {
	tests := []struct {
		dt, delay float64
		steps     int
		early     bool
		want      []int
	}{
		{1e-5, 0.01, 50000, false, []int{1000, 1001}},
		{1e-5, 0.01, 50000, true, []int{999, 1000}},
		{1e-6, 0.005, 600000, false, []int{5000, 5001}},
		// one step from a regime cell cannot be delivered before the
		// step that shows the spike: read a step late
		{1e-5, 1e-5, 1000, true, []int{1}},
		// a delay between two steps
		{1e-5, 2.5e-5, 1000, false, []int{3}},
	}
	for _, tc := range tests {
		l := &lowerer{m: &resolve.Model{Dt: tc.dt, Steps: tc.steps}}
		if got := l.dueOffsets(tc.delay, tc.early); !slices.Equal(got, tc.want) {
			t.Errorf("dt %g delay %g early %v: slots %v, want %v", tc.dt, tc.delay, tc.early, got, tc.want)
		}
	}
}
