package brain_test

import (
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/tvboc/tvboc/compiler/brain"
)

// TestPerStageOrder checks per-stage coupling by the convergence order of
// Heun and RK4 on two linear nodes coupled through each other
// (testdata/tvb/per_stage: x_i' = -x_i + 2 x_j, both from 1, so
// x = exp(t)). Evaluated per stage the pair is one ODE system and each
// method keeps its order (2 and 4); held per step, the coupling is a
// first-order approximation within the step and both drop to order 1.
// The order is log2 of the ratio of the errors at t = 1 ms for dt and
// dt/2.
func TestPerStageOrder(t *testing.T) {
	cases := []struct {
		file     string
		lo, hi   float64 // accepted range of the observed order
		dts      []float64
		maxError float64 // at the smallest dt
	}{
		{"heun_per_stage", 1.9, 2.1, []float64{0.05, 0.025, 0.0125}, 1e-4},
		{"rk4_per_stage", 3.8, 4.2, []float64{0.1, 0.05, 0.025}, 1e-8},
		{"heun_per_step", 0.9, 1.1, []float64{0.05, 0.025, 0.0125}, 1e-1},
		{"rk4_per_step", 0.9, 1.1, []float64{0.05, 0.025, 0.0125}, 1e-1},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("../../testdata/tvb/per_stage", tc.file+".yaml")
			var errs []float64
			for _, dt := range tc.dts {
				tab := runCase(t, path, brain.Options{Dt: dt})
				if got := last(tab.T); math.Abs(got-1e-3) > 1e-15 {
					t.Fatalf("dt %g: last row at t = %g s, want 1e-3", dt, got)
				}
				e := 0.0
				for n := range 2 {
					x := last(column(t, tab, fmt.Sprintf("Linear_pop[%d]/x", n)))
					e = max(e, math.Abs(x-math.E))
				}
				errs = append(errs, e)
			}
			for k := 1; k < len(errs); k++ {
				order := math.Log2(errs[k-1] / errs[k])
				t.Logf("dt %g -> %g: error %.3g -> %.3g, order %.3f", tc.dts[k-1], tc.dts[k], errs[k-1], errs[k], order)
				if order < tc.lo || order > tc.hi {
					t.Errorf("observed order %.3f between dt %g and %g, want %g..%g", order, tc.dts[k-1], tc.dts[k], tc.lo, tc.hi)
				}
			}
			if e := errs[len(errs)-1]; e > tc.maxError {
				t.Errorf("error %.3g at dt %g, want below %g", e, tc.dts[len(tc.dts)-1], tc.maxError)
			}
		})
	}
}

// TestPerStageDelaysNoise runs per-stage coupling through what crosses
// between the stages of stochastic Heun (delayed sources read from the
// history, the target's stage state, the step's noise kept for the second
// stage) next to its per-step twin: both stay finite, and they differ, by
// the O(dt) the held coupling costs, not by a wrong noise or history.
func TestPerStageDelaysNoise(t *testing.T) {
	dir := "../../testdata/tvb/per_stage"
	stage := runCase(t, filepath.Join(dir, "kuramoto_delays_noise.yaml"), brain.Options{})
	step := runCase(t, filepath.Join(dir, "kuramoto_delays_noise_per_step.yaml"), brain.Options{})
	finite(t, stage)
	finite(t, step)
	if len(stage.T) != 501 || len(step.T) != 501 {
		t.Fatalf("%d and %d rows, want 501", len(stage.T), len(step.T))
	}
	worst := 0.0
	for n := range 4 {
		name := fmt.Sprintf("Kuramoto_pop[%d]/theta", n)
		a, b := column(t, stage, name), column(t, step, name)
		for k := range a {
			worst = max(worst, math.Abs(a[k]-b[k]))
		}
	}
	t.Logf("largest phase difference per stage - per step: %.3g rad", worst)
	if worst == 0 || worst > 0.5 {
		t.Errorf("per-stage and per-step phases differ by up to %g rad, want more than 0 and less than 0.5", worst)
	}
}
