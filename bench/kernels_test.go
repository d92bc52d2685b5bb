package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tvboc/tvboc/compiler"
	"github.com/tvboc/tvboc/gen/build"
)

// kernelCases are equation-defined models whose step loops are measured
// against hand-written baselines (bench/baseline/<name>): the TVBO
// NeuroML examples Ex22 (Pinsky-Rinzel) and Ex9 (FitzHugh-Nagumo), read
// from the shared reference material next to the repository.
var kernelCases = []struct{ name, exp string }{
	{"PinskyRinzel", "../../shared/reference/tvbo/neuroml/Ex22.yaml"},
	{"FitzHughNagumo", "../../shared/reference/tvbo/neuroml/Ex9.yaml"},
}

var kernelBaseline = map[string]string{"PinskyRinzel": "./baseline/ex22", "FitzHughNagumo": "./baseline/ex9"}

// kernelBinaries builds every case's generated program and baseline once;
// keys are "<case>/generated" and "<case>/handwritten".
var kernelBinaries = sync.OnceValues(func() (map[string]string, error) {
	dir, err := os.MkdirTemp("", "tvboc-bench-kernels-")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, c := range kernelCases {
		r, err := compiler.Compile(c.exp)
		if err != nil {
			return nil, err
		}
		gen := filepath.Join(dir, c.name+"-generated")
		if _, err := build.Build(r.Source, gen, build.Options{CacheDir: filepath.Join(dir, "cache")}); err != nil {
			return nil, err
		}
		hand := filepath.Join(dir, c.name+"-handwritten")
		cmd := exec.Command("go", "build", "-o", hand, kernelBaseline[c.name])
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if msg, err := cmd.CombinedOutput(); err != nil {
			return nil, &buildError{string(msg)}
		}
		out[c.name+"/generated"], out[c.name+"/handwritten"] = gen, hand
	}
	return out, nil
})

// simWall reads the simulation time from the summary line the runtime
// prints ("... in 50.9 ms wall, ...").
var simWall = regexp.MustCompile(`in ([0-9.]+) (ns|µs|ms|s) wall`)

func kernelTime(summary []byte) (time.Duration, error) {
	m := simWall.FindSubmatch(summary)
	if m == nil {
		return 0, fmt.Errorf("no simulation time in %q", summary)
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		return 0, err
	}
	unit := map[string]float64{"ns": 1, "µs": 1e3, "ms": 1e6, "s": 1e9}[string(m[2])]
	return time.Duration(v * unit), nil
}

// BenchmarkKernel runs each model's generated binary and its hand-written
// baseline, both linking the same runtime, and reports as ns/op the
// simulation time the runtime measures around the step loop (recording
// included, process start and file output excluded), so the two are
// compared kernel to kernel.
func BenchmarkKernel(b *testing.B) {
	if _, err := os.Stat(kernelCases[0].exp); err != nil {
		b.Skipf("reference experiments not found (they live in ../shared/reference next to the repository): %v", err)
	}
	bins, err := kernelBinaries()
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range kernelCases {
		for _, impl := range []string{"generated", "handwritten"} {
			b.Run(c.name+"/"+impl, func(b *testing.B) {
				out := filepath.Join(b.TempDir(), "out.npy")
				var total time.Duration
				for i := 0; i < b.N; i++ {
					msg, err := exec.Command(bins[c.name+"/"+impl], "-o", out).CombinedOutput()
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
}
