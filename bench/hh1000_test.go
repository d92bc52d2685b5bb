package bench

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tvboc/tvboc/compiler"
	"github.com/tvboc/tvboc/gen/build"
)

// hh1000Binaries builds issue 9's HH benchmark once: the population of
// 1,000 Ex1 Hodgkin-Huxley cells (testdata/bench/hh_1000.yaml, library
// cells through the node-list lowering) and the hand-written Go kernel
// (bench/baseline/hh1000).
var hh1000Binaries = sync.OnceValues(func() (map[string]string, error) {
	dir, err := os.MkdirTemp("", "tvboc-bench-hh1000-")
	if err != nil {
		return nil, err
	}
	// the hand-written kernel computes the plain ODE reading (t = k*dt)
	r, err := compiler.CompileWith("../testdata/bench/hh_1000.yaml", compiler.Options{ODE: true})
	if err != nil {
		return nil, err
	}
	gen := filepath.Join(dir, "hh1000-generated")
	if _, err := build.Build(r.Source, gen, build.Options{CacheDir: filepath.Join(dir, "cache")}); err != nil {
		return nil, err
	}
	hand := filepath.Join(dir, "hh1000-handwritten")
	cmd := exec.Command("go", "build", "-o", hand, "./baseline/hh1000")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, &buildError{string(msg)}
	}
	return map[string]string{"generated": gen, "handwritten": hand}, nil
})

// TestHH1000MatchesBaseline requires the generated HH population and the
// hand-written kernel to write the same spikes, byte for byte (4 spikes
// per cell during the pulse).
func TestHH1000MatchesBaseline(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs two 15 M cell-step simulations")
	}
	bins, err := hh1000Binaries()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var files [][]byte
	for _, impl := range []string{"generated", "handwritten"} {
		out := filepath.Join(dir, impl+".csv")
		if msg, err := exec.Command(bins[impl], "-o", out, "--quiet").CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", impl, err, msg)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, data)
	}
	if n := bytes.Count(files[0], []byte("\n")) - 1; n != 4000 {
		t.Errorf("%d spikes, want 4 per cell", n)
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Errorf("spike files differ: generated %d bytes, hand-written %d", len(files[0]), len(files[1]))
	}
}

// BenchmarkHH1000 runs 1,000 HH cells for 150 ms (15,000 steps of 10 us,
// spikes only) as the generated population on one worker and as the
// hand-written kernel, alternating within every iteration, and reports
// each one's simulation time (the runtime's measure around the step loop)
// per run and per cell-step, and generated/hand-written as "ratio".
func BenchmarkHH1000(b *testing.B) {
	bins, err := hh1000Binaries()
	if err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "spikes.csv")
	impls := []struct {
		name string
		cmd  []string
	}{
		{"generated", []string{bins["generated"], "-o", out, "--threads", "1"}},
		{"handwritten", []string{bins["handwritten"], "-o", out}},
	}
	total := make([]time.Duration, len(impls))
	for b.Loop() {
		for i, im := range impls {
			msg, err := exec.Command(im.cmd[0], im.cmd[1:]...).CombinedOutput()
			if err != nil {
				b.Fatalf("%s: %v\n%s", im.name, err, msg)
			}
			d, err := kernelTime(msg)
			if err != nil {
				b.Fatal(err)
			}
			total[i] += d
		}
	}
	for i, im := range impls {
		per := float64(total[i].Nanoseconds()) / float64(b.N)
		b.ReportMetric(per, im.name+"-ns/op")
		b.ReportMetric(per/(1000*15000), im.name+"-ns/cell-step")
	}
	b.ReportMetric(float64(total[0])/float64(total[1]), "ratio")
	b.ReportMetric(0, "ns/op")
}
