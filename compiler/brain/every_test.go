package brain_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/tvboc/tvboc/compare"
	"github.com/tvboc/tvboc/compiler/brain"
)

// TestEvery runs whole-brain programs with --every N and checks the rows
// against the same program's every row: row k of --every N is row kN
// (bit for bit, t to rounding); with averaged observations it is the mean
// of the N averaged rows it spans.
func TestEvery(t *testing.T) {
	tiny, err := filepath.Abs("../../testdata/tvb/tiny")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, observe string
		every         int
	}{
		{"every_step", "", 5},
		{"transient_period", "observations:\n  x: {period: 0.5}\n", 5},
		{"averaged", "observations:\n  x: {period: 0.5, average: true}\n", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			transient := ""
			if tc.observe != "" {
				transient = ", transient_time: 5.0"
			}
			yaml := fmt.Sprintf(`label: %s
dynamics: {iri: tvbo:Kuramoto}
network:
  weights: %s/tiny_weights.csv
  lengths: %s/tiny_lengths.csv
  parameters: {conduction_speed: {value: 1.0}}
  coupling:
    c_glob: {iri: tvbo:Kuramoto, parameters: {a: {value: 0.5}}}
integration: {method: heun, step_size: 0.1, duration: 25.0%s}
%s`, tc.name, tiny, tiny, transient, tc.observe)
			path := filepath.Join(t.TempDir(), "exp.yaml")
			if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			src := compileBrain(t, path, brain.Options{})
			all := loadTable(t, runBinary(t, src, "--record", "all"))
			some := loadTable(t, runBinary(t, src, "--record", "all", "--every", fmt.Sprint(tc.every), "--threads", "2"))
			n := tc.every
			if len(some.T) != (len(all.T)-1)/n+1 {
				t.Fatalf("%d rows with --every %d, %d without", len(some.T), n, len(all.T))
			}
			for k := range some.T {
				if math.Abs(some.T[k]-all.T[k*n]) > 1e-12*math.Abs(all.T[k*n]) {
					t.Fatalf("row %d: t = %.17g, want %.17g", k, some.T[k], all.T[k*n])
				}
				for c := range some.Cols {
					want := all.Cols[c][k*n]
					if tc.name == "averaged" && k > 0 {
						want = 0
						for r := k*n - n + 1; r <= k*n; r++ {
							want += all.Cols[c][r] / float64(n)
						}
						if got := some.Cols[c][k]; math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
							t.Fatalf("row %d %s: %.17g, want the mean %.17g", k, some.Names[c], got, want)
						}
						continue
					}
					if got := some.Cols[c][k]; got != want {
						t.Fatalf("row %d %s: %.17g, want %.17g", k, some.Names[c], got, want)
					}
				}
			}
		})
	}
}

// loadTable loads a results file.
func loadTable(t *testing.T, path string) *compare.Table {
	t.Helper()
	tab, err := compare.Load(path, compare.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tab
}
