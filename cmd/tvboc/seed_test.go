package main

import (
	"bytes"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"codeberg.org/sbinet/npyio"
	"github.com/tvboc/tvboc/compare"
)

const seedExperiment = "../../testdata/ex2/ex2.yaml"

// seedBinary compiles the seed experiment once per test run.
var seedBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "tvboc-seed-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "ex2")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"compile", "-q", "--cache-dir", filepath.Join(dir, "cache"), seedExperiment, "-o", bin}, &stdout, &stderr); code != 0 {
		return "", &exec.ExitError{Stderr: stderr.Bytes()}
	}
	return bin, nil
})

func runSeed(t *testing.T, args ...string) string {
	t.Helper()
	bin, err := seedBinary()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("compiling the seed: %s", ee.Stderr)
		}
		t.Fatalf("compiling the seed: %v", err)
	}
	cmd := exec.Command(bin, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", bin, args, err, out)
	}
	return string(out)
}

// TestSeedMatchesReference is the seed's fidelity test: the compiled
// binary's v and U of every cell against jLEMS's output, by the project's
// tolerance policy (same spike count, spike times within 2 steps,
// subthreshold RMS below 1e-3 of the range).
func TestSeedMatchesReference(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	out := filepath.Join(t.TempDir(), "ex2.csv")
	summary := runSeed(t, "-o", out, "--record", "all")
	if !strings.Contains(summary, "40000 steps") || !strings.Contains(summary, "40001 rows x 9 columns") {
		t.Errorf("unexpected summary line: %q", summary)
	}
	sim, err := compare.Load(out, compare.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := compare.Load("../../testdata/ex2/ex2.golden.csv.gz", compare.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(sim.Names, ","), strings.Join(ref.Names, ","); got != want {
		t.Fatalf("columns differ from the reference:\n got %s\nwant %s", got, want)
	}
	rep, err := compare.Compare(ref, sim, compare.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	rep.WriteText(&text)
	t.Logf("\n%s", text.String())
	if !rep.Pass {
		t.Fatalf("the seed does not match the reference:\n%s", text.String())
	}
	spikes := 0
	for _, q := range rep.Quantities {
		spikes += q.RefSpikes
	}
	if spikes < 40 {
		t.Errorf("only %d reference spikes found: the comparison is not testing spike timing", spikes)
	}
}

// TestSeedOutputFormats checks that .dat and .npy carry exactly the CSV's
// numbers, and that the default records v only.
func TestSeedOutputFormats(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	dir := t.TempDir()
	csvPath, datPath, npyPath := filepath.Join(dir, "r.csv"), filepath.Join(dir, "r.dat"), filepath.Join(dir, "r.npy")
	runSeed(t, "-o", csvPath, "--quiet")
	runSeed(t, "-o", datPath, "--quiet")
	runSeed(t, "-o", npyPath, "--quiet")
	csvTable, err := compare.Load(csvPath, compare.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"izBurst_pop[0]/v", "izTonic_pop[0]/v", "izMixed_pop[0]/v", "izClass1_pop[0]/v"}
	if strings.Join(csvTable.Names, ",") != strings.Join(want, ",") {
		t.Fatalf("default columns %v, want %v", csvTable.Names, want)
	}
	if csvTable.Len() != 40001 {
		t.Fatalf("%d rows, want 40001", csvTable.Len())
	}
	datTable, err := compare.Load(datPath, compare.LoadOptions{Columns: want})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(npyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var data []float64
	r, err := npyio.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if shape := r.Header.Descr.Shape; len(shape) != 2 || shape[0] != 40001 || shape[1] != 5 {
		t.Fatalf("npy shape %v, want [40001 5]", shape)
	}
	if err := r.Read(&data); err != nil {
		t.Fatal(err)
	}
	for k := 0; k < csvTable.Len(); k++ {
		if datTable.T[k] != csvTable.T[k] || data[k*5] != csvTable.T[k] {
			t.Fatalf("row %d: t differs between formats: csv %v dat %v npy %v", k, csvTable.T[k], datTable.T[k], data[k*5])
		}
		for c := range want {
			v := csvTable.Cols[c][k]
			if datTable.Cols[c][k] != v || data[k*5+1+c] != v {
				t.Fatalf("row %d column %s differs between formats: csv %v dat %v npy %v", k, want[c], v, datTable.Cols[c][k], data[k*5+1+c])
			}
		}
	}
}

// TestSeedGeneratedSource pins the generator's promises on the seed:
// deterministic, gofmt-clean, parameters folded, no test of time in the
// step loop.
func TestSeedGeneratedSource(t *testing.T) {
	gen := func() []byte {
		var stdout, stderr bytes.Buffer
		if code := run([]string{"gen", seedExperiment}, &stdout, &stderr); code != 0 {
			t.Fatalf("gen: %s", stderr.String())
		}
		return stdout.Bytes()
	}
	a, b := gen(), gen()
	if !bytes.Equal(a, b) {
		t.Fatal("two generations of the same experiment differ")
	}
	formatted, err := format.Source(a)
	if err != nil {
		t.Fatalf("generated code does not parse: %v", err)
	}
	if !bytes.Equal(formatted, a) {
		t.Error("generated code is not gofmt-clean")
	}
	src := string(a)
	for _, banned := range []string{"map[", "interface{", "any(", "func(", "append(", "make(", " t >", " t <", "reflect"} {
		if strings.Contains(src[strings.Index(src, "func simulate"):], banned) {
			t.Errorf("the kernel contains %q", banned)
		}
	}
	// the izBurst reset c*MVOLT folds to a constant in volts
	if !strings.Contains(src, "izBurst0_v = -0.05") {
		t.Error("parameters are not folded into the kernel (want izBurst0_v = -0.05)")
	}
	if !strings.Contains(src, "// Code generated by tvboc") {
		t.Error("missing the generated-code header")
	}
}
