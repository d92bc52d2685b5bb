package brain_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compare"
	"github.com/tvboc/tvboc/compiler/brain"
	"github.com/tvboc/tvboc/compiler/load"
	"github.com/tvboc/tvboc/gen"
	"github.com/tvboc/tvboc/gen/build"
)

// sharedReference is the repository root's ../shared/reference, where the
// third-party goldens live (never copied into the repository).
const sharedReference = "../../../shared/reference"

// compileBrain loads, compiles and generates an experiment file.
func compileBrain(t *testing.T, path string, opts brain.Options) []byte {
	t.Helper()
	exp, err := load.BrainFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := brain.Compile(exp, opts)
	if err != nil {
		t.Fatal(err)
	}
	src, err := gen.GenerateBrain(p)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// buildBinary builds src into a binary of a directory of its own.
func buildBinary(t *testing.T, src []byte) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "sim")
	if _, err := build.Build(src, bin, build.Options{CacheDir: "off", Stderr: os.Stderr}); err != nil {
		if err == build.ErrNoGo {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	return bin
}

// runBinary builds src and runs it, returning the CSV path.
func runBinary(t *testing.T, src []byte, args ...string) string {
	t.Helper()
	bin := buildBinary(t, src)
	out := filepath.Join(filepath.Dir(bin), "out.csv")
	cmd := exec.Command(bin, append([]string{"-o", out, "--quiet"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("running the simulation: %v\n%s", err, stderr.String())
	}
	return out
}

// goldenName maps the results contract's "<pop>[i]/<var>" to TVB's
// "<var>[i]".
func goldenMap(sim *compare.Table) map[string]string {
	m := map[string]string{}
	for _, n := range sim.Names {
		open, slash := strings.Index(n, "["), strings.LastIndex(n, "/")
		if open < 0 || slash < 0 {
			continue
		}
		m[n[slash+1:]+n[open:slash]] = n
	}
	return m
}

// TestTVBGoldens compiles each TVB golden experiment, runs it and compares
// every trace with TVB's: relative RMS error below 1e-9 of the range.
func TestTVBGoldens(t *testing.T) {
	goldens := filepath.Join(sharedReference, "golden", "tvb")
	data := filepath.Join(sharedReference, "tvbo", "connectomes")
	if _, err := os.Stat(goldens); err != nil {
		t.Skipf("TVB goldens not found at %s (they live next to the repository, in ../shared/reference)", goldens)
	}
	for _, name := range []string{"g2d_dk_euler", "g2d_dk_heun", "kuramoto_dk_delays"} {
		t.Run(name, func(t *testing.T) {
			src := compileBrain(t, filepath.Join(goldens, name+".yaml"), brain.Options{DataDir: data})
			out := runBinary(t, src, "--record", "all")
			sim, err := compare.Load(out, compare.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			ref, err := compare.Load(filepath.Join(goldens, name+".csv.gz"), compare.LoadOptions{TimeScale: 1e-3})
			if err != nil {
				t.Fatal(err)
			}
			policy := compare.DefaultPolicy()
			policy.MaxRMSFrac = 1e-9
			policy.SpikeDropFraction = 1 // smooth oscillations: no resets to detect
			rep, err := compare.Compare(ref, sim, compare.Options{Policy: policy, Map: goldenMap(sim), AllowMissing: true})
			if err != nil {
				t.Fatal(err)
			}
			worst, worstName := 0.0, ""
			for _, q := range rep.Quantities {
				if q.RMSFrac > worst {
					worst, worstName = q.RMSFrac, q.Name
				}
			}
			t.Logf("%s: %s; worst relative RMS %.3g (%s)", name, rep.Summary(), worst, worstName)
			if !rep.Pass || len(rep.Quantities) != len(ref.Names) {
				t.Errorf("%s: %s (%d of %d reference traces compared)", name, rep.Summary(), len(rep.Quantities), len(ref.Names))
			}
		})
	}
}

var _ = gzip.NewReader
var _ = io.EOF
var _ = fmt.Sprint
