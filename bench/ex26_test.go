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

// TestEx26MatchesBaseline requires the generated program of TVBO's Ex26
// (bench/report's workload W3) and the hand-written Go baseline
// (bench/baseline/ex26) to write the same .npy file, byte for byte: the
// baseline computes exactly what the compiler's NeuroML semantics say,
// so a change to those semantics shows up here and the baseline follows.
func TestEx26MatchesBaseline(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles Ex26 and runs two 60,000-step simulations")
	}
	const ex26 = "../../shared/reference/tvbo/neuroml/Ex26.yaml"
	if _, err := os.Stat(ex26); err != nil {
		t.Skipf("reference experiments not found (they live in ../shared/reference next to the repository): %v", err)
	}
	dir := t.TempDir()
	r, err := compiler.Compile(ex26)
	if err != nil {
		t.Fatal(err)
	}
	bins := map[string]string{"generated": filepath.Join(dir, "generated"), "handwritten": filepath.Join(dir, "handwritten")}
	if _, err := build.Build(r.Source, bins["generated"], build.Options{CacheDir: filepath.Join(dir, "cache")}); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-o", bins["handwritten"], "./baseline/ex26")
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
	if want := 128 + 60001*13*8; len(files[1]) != want {
		t.Fatalf("hand-written file has %d bytes, want %d", len(files[1]), want)
	}
	if !bytes.Equal(files[0], files[1]) {
		i := 0
		for i < min(len(files[0]), len(files[1])) && files[0][i] == files[1][i] {
			i++
		}
		t.Errorf("files differ from byte %d on (row %d): generated %d bytes, hand-written %d", i, (i-128)/(13*8), len(files[0]), len(files[1]))
	}
}
