package brain_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/tvboc/tvboc/compiler/brain"
)

// TestLibraryModelsRun compiles every library model added from TVB's
// definitions as a single node (Heun, 200 ms at 0.05 ms, TVB's default
// parameters) and checks the run stays finite; where the answer is known
// it is checked too. The derivatives themselves are checked in
// compiler/library/tvbo (TestModelDerivatives).
func TestLibraryModelsRun(t *testing.T) {
	checks := map[string]func(t *testing.T, cols func(string) []float64){
		// uncoupled: x' = -x, x(0) = 0.5, and theta follows the same rate
		"Hopfield": func(t *testing.T, cols func(string) []float64) {
			if x := last(cols("Hopfield_pop[0]/x")); math.Abs(x) > 1e-80 {
				t.Errorf("x after 200 ms = %g, want 0.5 exp(-200) ~ 7e-88", x)
			}
		},
		// the slow permittivity moves by at most r * 200 ms * O(10)
		"Epileptor": func(t *testing.T, cols func(string) []float64) {
			if z := last(cols("Epileptor_pop[0]/z")); math.Abs(z-3) > 0.5 {
				t.Errorf("z after 200 ms = %g, want near its start 3", z)
			}
		},
	}
	for _, name := range []string{"WilsonCowan", "LarterBreakspear", "Epileptor", "Epileptor2D", "Hopfield"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "exp.yaml")
			src := fmt.Sprintf("dynamics: {iri: tvbo:%s}\nintegration: {method: heun, step_size: 0.05, duration: 200}\n", name)
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			tab := runCase(t, path, brain.Options{}, "--record", "all")
			if len(tab.T) != 4001 {
				t.Fatalf("%d rows, want 4001", len(tab.T))
			}
			finite(t, tab)
			if check := checks[name]; check != nil {
				check(t, func(c string) []float64 { return column(t, tab, c) })
			}
		})
	}
	t.Run("epileptor_tiny", func(t *testing.T) {
		tab := runCase(t, "../../testdata/tvb/epileptor_tiny/exp.yaml", brain.Options{}, "--record", "all")
		finite(t, tab)
		column(t, tab, "lfp[3]")
		column(t, tab, "Epileptor_pop[3]/g")
	})
}
