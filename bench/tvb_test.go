package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/tvboc/tvboc/compiler/brain"
	"github.com/tvboc/tvboc/compiler/load"
	"github.com/tvboc/tvboc/gen"
	"github.com/tvboc/tvboc/gen/build"
)

// The whole-brain benchmark: the Generic 2D oscillator on the 87-node
// Desikan-Killiany connectome, Euler, 600 ms at 0.1 ms (TVB's golden run),
// without and with conduction delays. The connectome is third-party data
// read from ../shared/reference (never copied into the repository). TVB's
// own sim.run() takes 0.46 s for the run without delays on the reference
// machine (golden README).
const (
	tvbGoldens   = "../../shared/reference/golden/tvb"
	tvbData      = "../../shared/reference/tvbo/connectomes"
	g2dNoDelays  = tvbGoldens + "/g2d_dk_euler.yaml"
	g2dHeun      = tvbGoldens + "/g2d_dk_heun.yaml"
	g2dDelays    = "../testdata/tvb/g2d_dk_delays/exp.yaml"
	tvbBaseline  = "./baseline/tvbg2d"
	tvbBenchNote = "TVB golden data not found in ../shared/reference; whole-brain benchmarks need it"
)

// tvbBinaries builds the generated programs (no delays, delays) and the
// hand-written baseline once.
var tvbBinaries = sync.OnceValues(func() (map[string]string, error) {
	dir, err := os.MkdirTemp("", "tvboc-bench-tvb-")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for name, path := range map[string]string{"nodelay": g2dNoDelays, "delay": g2dDelays, "heun": g2dHeun} {
		exp, err := load.BrainFile(path)
		if err != nil {
			return nil, err
		}
		p, err := brain.Compile(exp, brain.Options{DataDir: tvbData})
		if err != nil {
			return nil, err
		}
		src, err := gen.GenerateBrain(p)
		if err != nil {
			return nil, err
		}
		out[name] = filepath.Join(dir, "g2d-"+name)
		if _, err := build.Build(src, out[name], build.Options{CacheDir: filepath.Join(dir, "cache")}); err != nil {
			return nil, err
		}
	}
	out["handwritten"] = filepath.Join(dir, "g2d-handwritten")
	cmd := exec.Command("go", "build", "-o", out["handwritten"], tvbBaseline)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, &buildError{string(msg)}
	}
	return out, nil
})

func benchTVB(b *testing.B, generated string, baselineArgs ...string) {
	if _, err := os.Stat(tvbData); err != nil {
		b.Skip(tvbBenchNote)
	}
	bins, err := tvbBinaries()
	if err != nil {
		b.Fatal(err)
	}
	runPaired(b, func(impl string) *exec.Cmd {
		out := filepath.Join(b.TempDir(), impl+".npy")
		if impl == "generated" {
			return exec.Command(bins[generated], "-o", out, "--quiet", "--record", "all")
		}
		return exec.Command(bins["handwritten"], append(baselineArgs, "-data", tvbData, "-o", out)...)
	})
}

// BenchmarkTVBG2D is the whole process (simulation and .npy of V and W of
// every node) of the 87-node G2D run without delays, generated against
// hand-written.
func BenchmarkTVBG2D(b *testing.B) { benchTVB(b, "nodelay") }

// BenchmarkTVBG2DDelays is the same run with conduction delays (a ring
// buffer of V, 3 mm/ms).
func BenchmarkTVBG2DDelays(b *testing.B) { benchTVB(b, "delay", "-delays") }

// BenchmarkTVBG2DHeun is the run without delays integrated with Heun's
// method (TVB's golden g2d_dk_heun): two rate evaluations per node and
// step, where the node body's shared subexpressions count most.
func BenchmarkTVBG2DHeun(b *testing.B) { benchTVB(b, "heun", "-heun") }
