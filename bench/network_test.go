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

// spnetBinaries builds the W2 experiments (testdata/bench/spnet_*.yaml)
// and the hand-written Go baseline once.
var spnetBinaries = sync.OnceValues(func() (map[string]string, error) {
	dir, err := os.MkdirTemp("", "tvboc-bench-spnet-")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, n := range []string{"1000", "10000"} {
		r, err := compiler.Compile("../testdata/bench/spnet_" + n + ".yaml")
		if err != nil {
			return nil, err
		}
		out[n] = filepath.Join(dir, "spnet-"+n)
		if _, err := build.Build(r.Source, out[n], build.Options{CacheDir: filepath.Join(dir, "cache")}); err != nil {
			return nil, err
		}
	}
	out["go"] = filepath.Join(dir, "spnet-go")
	cmd := exec.Command("go", "build", "-o", out["go"], "./baseline/spnet")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, &buildError{string(msg)}
	}
	return out, nil
})

// BenchmarkSpnet runs workload W2 (Izhikevich's spnet, 1000 ms, spikes
// only) as whole processes: the generated binary on one worker and on
// every core, and the hand-written Go baseline, alternating within every
// iteration. It reports each one's time per run and per neuron-step.
func BenchmarkSpnet(b *testing.B) {
	bins, err := spnetBinaries()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []string{"1000", "10000"} {
		b.Run("N="+n, func(b *testing.B) {
			out := filepath.Join(b.TempDir(), "spikes.csv")
			impls := []struct {
				name string
				cmd  []string
			}{
				{"generated-1thread", []string{bins[n], "-o", out, "--quiet", "--threads", "1"}},
				{"generated", []string{bins[n], "-o", out, "--quiet"}},
				{"handwritten", []string{bins["go"], "-n", n, "-seed", "1", "-o", out}},
			}
			total := make([]time.Duration, len(impls))
			for b.Loop() {
				for i, im := range impls {
					start := time.Now()
					if msg, err := exec.Command(im.cmd[0], im.cmd[1:]...).CombinedOutput(); err != nil {
						b.Fatalf("%s: %v\n%s", im.name, err, msg)
					}
					total[i] += time.Since(start)
				}
			}
			cells := map[string]float64{"1000": 1000, "10000": 10000}[n]
			for i, im := range impls {
				per := float64(total[i].Nanoseconds()) / float64(b.N)
				b.ReportMetric(per, im.name+"-ns/op")
				b.ReportMetric(per/(cells*10000), im.name+"-ns/neuron-step")
			}
			b.ReportMetric(0, "ns/op")
		})
	}
}

// BenchmarkCompileSpnet10000 is tvboc's compile time of the 10,000-cell
// W2 network with a warm Go build cache: YAML to generated Go to binary
// (tvboc's own binary cache off, as `tvboc compile --cache-dir off`).
func BenchmarkCompileSpnet10000(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		r, err := compiler.Compile("../testdata/bench/spnet_10000.yaml")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := build.Build(r.Source, filepath.Join(dir, "sim"), build.Options{CacheDir: "off"}); err != nil {
			b.Fatal(err)
		}
	}
}
