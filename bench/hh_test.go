package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tvboc/tvboc/compiler"
	"github.com/tvboc/tvboc/gen/build"
)

// hhExperiment is the TVBO NeuroML Ex1: a Hodgkin-Huxley point cell
// written as a component tree (cell -> channels -> gates -> rates) that
// package flatten turns into one kernel.
const hhExperiment = "../../shared/reference/tvbo/neuroml/Ex1.yaml"

// hhBinaries builds the generated Ex1 program and the hand-written HH
// baseline (bench/baseline/ex1) once.
var hhBinaries = sync.OnceValues(func() (map[string]string, error) {
	dir, err := os.MkdirTemp("", "tvboc-bench-hh-")
	if err != nil {
		return nil, err
	}
	r, err := compiler.Compile(hhExperiment)
	if err != nil {
		return nil, err
	}
	gen := filepath.Join(dir, "hh-generated")
	if _, err := build.Build(r.Source, gen, build.Options{CacheDir: filepath.Join(dir, "cache")}); err != nil {
		return nil, err
	}
	hand := filepath.Join(dir, "hh-handwritten")
	cmd := exec.Command("go", "build", "-o", hand, "./baseline/ex1")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, &buildError{string(msg)}
	}
	return map[string]string{"generated": gen, "handwritten": hand}, nil
})

// BenchmarkHH runs the flattened Ex1 HH cell and the hand-written HH
// kernel, reporting as ns/op the simulation time the runtime measures
// around the step loop (as BenchmarkKernel does).
func BenchmarkHH(b *testing.B) {
	if _, err := os.Stat(hhExperiment); err != nil {
		b.Skipf("reference experiments not found (they live in ../shared/reference next to the repository): %v", err)
	}
	bins, err := hhBinaries()
	if err != nil {
		b.Fatal(err)
	}
	for _, impl := range []string{"generated", "handwritten"} {
		b.Run("Ex1/"+impl, func(b *testing.B) {
			out := filepath.Join(b.TempDir(), "out.npy")
			var total time.Duration
			for i := 0; i < b.N; i++ {
				msg, err := exec.Command(bins[impl], "-o", out).CombinedOutput()
				if err != nil {
					b.Fatalf("%v: %s", err, msg)
				}
				d, err := kernelTime(msg)
				if err != nil {
					b.Fatal(err)
				}
				total += d
			}
			b.ReportMetric(float64(total.Nanoseconds())/float64(b.N), "ns/op")
		})
	}
}
