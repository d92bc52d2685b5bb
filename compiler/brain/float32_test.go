package brain_test

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/tvboc/tvboc/compare"
	"github.com/tvboc/tvboc/compiler/brain"
)

// TestStockTVBFloat32 runs the experiments of testdata/tvb/float32 with
// float32 coupling (Options.Float32) and compares them with stock TVB,
// whose delay history, weights and coupling sums are float32: every value
// within 1e-6 of the trace's range over 400 Heun steps. The float64 build
// is logged beside it, for what the option changes.
func TestStockTVBFloat32(t *testing.T) {
	data := filepath.Join(sharedReference, "tvbo", "connectomes")
	if _, err := os.Stat(data); err != nil {
		t.Skipf("connectomes not found at %s (they live next to the repository, in ../shared/reference)", data)
	}
	for _, name := range []string{"g2d", "kuramoto"} {
		t.Run(name, func(t *testing.T) {
			dir := "../../testdata/tvb/float32"
			ref, err := compare.Load(filepath.Join(dir, name+".csv.gz"), compare.LoadOptions{TimeScale: 1e-3})
			if err != nil {
				t.Fatal(err)
			}
			worst := map[bool]float64{}
			for _, f32 := range []bool{true, false} {
				sim := runCase(t, filepath.Join(dir, name+".yaml"), brain.Options{DataDir: data, Float32: f32}, "--record", "all")
				if len(sim.T) != len(ref.T) {
					t.Fatalf("%d rows, TVB %d", len(sim.T), len(ref.T))
				}
				names := goldenMap(sim)
				for c, rn := range ref.Names {
					if c == 0 && rn == "t" {
						continue
					}
					want := ref.Cols[c]
					got := column(t, sim, names[rn])
					lo, hi := math.Inf(1), math.Inf(-1)
					for _, v := range want {
						lo, hi = min(lo, v), max(hi, v)
					}
					for k := range want {
						worst[f32] = max(worst[f32], math.Abs(got[k]-want[k])/(hi-lo))
					}
				}
			}
			t.Logf("largest difference from stock TVB, relative to the range: float32 %.3g, float64 %.3g", worst[true], worst[false])
			if !(worst[true] <= 1e-6) {
				t.Errorf("float32 coupling differs from stock TVB by %.3g of the range, want at most 1e-6", worst[true])
			}
		})
	}
}
