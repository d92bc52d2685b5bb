package bench

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/tvboc/tvboc/compiler"
	"github.com/tvboc/tvboc/gen/build"
)

// TestExpHeavyMatchesBaselines requires the generated programs of
// bench/report's exp-heavy workloads and their hand-written Go baselines
// to write the same .npy file, byte for byte: W6, TVBO's NeuroML Ex26
// (bench/baseline/ex26), W7, one Jansen-Rit node (bench/baseline/jr),
// and W8, TVBO's Ex15 (bench/baseline/ex15). The baselines compute exactly what the compiler's
// semantics say, so a change to those semantics shows up here and the
// baseline follows it.
func TestExpHeavyMatchesBaselines(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles three experiments and runs six simulations")
	}
	cases := []struct {
		name, yaml, baseline string
		rows, cols           int
	}{
		{"W6 Ex26", "../../shared/reference/tvbo/neuroml/Ex26.yaml", "./baseline/ex26", 60001, 13},
		{"W7 Jansen-Rit", "../testdata/bench/jr_1.yaml", "./baseline/jr", 200001, 7},
		{"W8 Ex15", "../../shared/reference/tvbo/neuroml/Ex15.yaml", "./baseline/ex15", 700001, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := os.Stat(tc.yaml); err != nil {
				t.Skipf("experiment not found (TVBO's examples live in ../shared/reference next to the repository): %v", err)
			}
			dir := t.TempDir()
			// The baselines compute the plain ODE reading: without
			// jLEMS's nesting lag (which only the NeuroML cells have).
			r, err := compiler.CompileWith(tc.yaml, compiler.Options{ODE: true})
			if err != nil {
				t.Fatal(err)
			}
			bins := map[string]string{"generated": filepath.Join(dir, "generated"), "handwritten": filepath.Join(dir, "handwritten")}
			if _, err := build.Build(r.Source, bins["generated"], build.Options{CacheDir: filepath.Join(dir, "cache")}); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("go", "build", "-o", bins["handwritten"], tc.baseline)
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s", err, msg)
			}
			var files [][]byte
			for _, impl := range []string{"generated", "handwritten"} {
				out := filepath.Join(dir, impl+".npy")
				if msg, err := exec.Command(bins[impl], "-o", out).CombinedOutput(); err != nil {
					t.Fatalf("%s: %v\n%s", impl, err, msg)
				}
				data, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				files = append(files, data)
			}
			if want := 128 + tc.rows*tc.cols*8; len(files[1]) != want {
				t.Fatalf("hand-written file has %d bytes, want %d", len(files[1]), want)
			}
			if !bytes.Equal(files[0], files[1]) {
				i := 0
				for i < min(len(files[0]), len(files[1])) && files[0][i] == files[1][i] {
					i++
				}
				t.Errorf("files differ from byte %d on (row %d): generated %d bytes, hand-written %d", i, (i-128)/(tc.cols*8), len(files[0]), len(files[1]))
			}
		})
	}
}
