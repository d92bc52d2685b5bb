package brain_test

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/tvboc/tvboc/compare"
	"github.com/tvboc/tvboc/compiler/brain"
)

// monitorsDir holds TVB goldens of stimuli and monitors on the 4-region
// test connectome, with the script that made them (make_goldens.py).
const monitorsDir = "../../testdata/tvb/monitors"

// compareTVB checks every golden column against tvboc's: the same rows at
// the same times (ms in the golden, s in tvboc's output) and every value
// within tol of the column's range. It returns the worst error.
func compareTVB(t *testing.T, golden, out string, tol float64) float64 {
	t.Helper()
	ref, err := compare.Load(golden, compare.LoadOptions{TimeScale: 1e-3})
	if err != nil {
		t.Fatal(err)
	}
	sim, err := compare.Load(out, compare.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sim.T) != len(ref.T) {
		t.Fatalf("%d rows, TVB has %d", len(sim.T), len(ref.T))
	}
	for k := range ref.T {
		if math.Abs(sim.T[k]-ref.T[k]) > 1e-9*math.Max(1, math.Abs(ref.T[k])) {
			t.Fatalf("row %d at t = %g s, TVB's at %g s", k, sim.T[k], ref.T[k])
		}
	}
	names := goldenMap(sim)
	col := map[string][]float64{}
	for i, n := range sim.Names {
		col[n] = sim.Cols[i]
	}
	worst := 0.0
	for i, n := range ref.Names {
		got, ok := col[names[n]]
		if !ok {
			t.Fatalf("tvboc's output has no column for TVB's %s (columns %v)", n, sim.Names)
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range ref.Cols[i] {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		for k, v := range ref.Cols[i] {
			e := math.Abs(got[k]-v) / (hi - lo)
			if !(e <= tol) {
				t.Fatalf("%s at row %d: tvboc %v, TVB %v (%.3g of the range %g)", n, k, got[k], v, e, hi-lo)
			}
			worst = math.Max(worst, e)
		}
	}
	return worst
}

// TestTVBStimuliAndMonitors runs the experiments of testdata/tvb/monitors
// and compares them with TVB 2.11 (float64 history): region stimuli with
// three temporal equations and three integrators, and the SubSample,
// TemporalAverage and Bold monitors. The bar is 1e-9 of each trace's
// range, every value.
func TestTVBStimuliAndMonitors(t *testing.T) {
	for _, name := range []string{"stim_pulse_heun", "stim_sine_euler", "stim_gauss_rk4", "subsample", "tavg", "bold"} {
		t.Run(name, func(t *testing.T) {
			src := compileBrain(t, filepath.Join(monitorsDir, name+".yaml"), brain.Options{})
			out := runBinary(t, src, "--record", "all")
			worst := compareTVB(t, filepath.Join(monitorsDir, name+".csv.gz"), out, 1e-9)
			t.Logf("%s: largest difference from TVB %.3g of the range", name, worst)
		})
	}
}
