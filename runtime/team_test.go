package runtime

import (
	"sync/atomic"
	"testing"
)

func TestBlockCoversInOrder(t *testing.T) {
	for _, tc := range []struct{ workers, n int }{{1, 10}, {2, 10}, {3, 10}, {7, 3}, {4, 10000}} {
		next := 0
		for w := range tc.workers {
			lo, hi := Block(w, tc.workers, tc.n)
			if lo != next || hi < lo || hi-lo > tc.n/tc.workers+1 {
				t.Fatalf("Block(%d, %d, %d) = [%d, %d), want to start at %d", w, tc.workers, tc.n, lo, hi, next)
			}
			next = hi
		}
		if next != tc.n {
			t.Errorf("%d workers cover %d of %d cells", tc.workers, next, tc.n)
		}
	}
}

// TestBarrierSeparatesPhases: no worker starts phase p+1 before every
// worker has finished phase p.
func TestBarrierSeparatesPhases(t *testing.T) {
	team := NewTeam(3)
	var done [200]atomic.Int32
	var bad atomic.Int32
	team.Run(func(w int) {
		for p := range done {
			if p > 0 && done[p-1].Load() != 3 {
				bad.Add(1)
			}
			done[p].Add(1)
			team.Barrier()
		}
	})
	if bad.Load() != 0 {
		t.Errorf("%d phase starts before the previous phase ended", bad.Load())
	}
}

func TestSpikeTimesExact(t *testing.T) {
	for _, tc := range []struct {
		dt   float64
		step int64
		want string
	}{
		{1e-4, 12, "0.0012"},
		{1e-4, 10000, "1.0000"},
		{5e-6, 3, "0.000015"},
		{0.001, 7, "0.007"},
		{0.25, 3, "0.75"},
	} {
		digits, unit, ok := decimalStep(tc.dt)
		if !ok {
			t.Errorf("dt %g: not recognised as a decimal", tc.dt)
			continue
		}
		if got := string(appendFixed(nil, tc.step*unit, digits)); got != tc.want {
			t.Errorf("dt %g step %d: %s, want %s", tc.dt, tc.step, got, tc.want)
		}
	}
	if _, _, ok := decimalStep(1.0 / 3); ok {
		t.Errorf("dt 1/3 should fall back to float formatting")
	}
}
