package brain_test

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/brain"
	"github.com/tvboc/tvboc/compiler/load"
	"github.com/tvboc/tvboc/gen/build"
)

func writeExp(t *testing.T, yaml string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "exp.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestAdaptiveClosedForm runs Dopri5 and Dopri853 binaries on systems
// with closed-form solutions: the rows fall on the sampling grid k*dt
// exactly (the time column) and hold the solution there within a small
// multiple of the tolerance, for the harmonic oscillator (x = cos 2t)
// and a forced system (x' = cos t, t the hidden clock: x = sin t).
func TestAdaptiveClosedForm(t *testing.T) {
	for _, method := range []string{"dopri5", "Dopri853"} {
		t.Run(method, func(t *testing.T) {
			path := writeExp(t, fmt.Sprintf(`label: closed form
dynamics:
  name: Osc
  system_type: continuous
  parameters:
    w: {value: 2.0}
  state_variables:
    x: {equation: {rhs: v}, initial_value: 1.0}
    v: {equation: {rhs: -w**2 * x}, initial_value: 0.0}
    f: {equation: {rhs: cos(t)}, initial_value: 0.0}
integration: {method: %s, step_size: 0.25, duration: 20, rel_tol: 1e-10, abs_tol: 1e-12}
`, method))
			tab := runCase(t, path, brain.Options{}, "--record", "all")
			times := tab.T
			if len(times) != 81 {
				t.Fatalf("%d rows, want 81 (0 to 20 ms every 0.25 ms)", len(times))
			}
			x, f := column(t, tab, "Osc_pop[0]/x"), column(t, tab, "Osc_pop[0]/f")
			worst := 0.0
			for k, ts := range times {
				tk := float64(k) * 0.25 // ms
				if math.Abs(ts*1e3-tk) > 1e-12*math.Max(1, tk) {
					t.Fatalf("row %d at t = %.17g s, want %g ms", k, ts, tk)
				}
				worst = max(worst, math.Abs(x[k]-math.Cos(2*tk)), math.Abs(f[k]-math.Sin(tk)))
			}
			t.Logf("worst error %.3g against cos(2t) and sin(t) at rel_tol 1e-10", worst)
			if worst > 1e-8 {
				t.Errorf("worst error %.3g, want below 1e-8 at rel_tol 1e-10", worst)
			}
		})
	}
}

// TestAdaptiveNetwork integrates a 4-node Kuramoto network without
// delays with Dopri853 and compares it with RK4 at a step of 0.001 ms
// recomputing the coupling at every stage (the same ODE, converged):
// the adaptive right-hand side couples the nodes at every stage.
func TestAdaptiveNetwork(t *testing.T) {
	tiny, err := filepath.Abs("../../testdata/tvb/tiny")
	if err != nil {
		t.Fatal(err)
	}
	exp := func(method, dt string) string {
		return writeExp(t, fmt.Sprintf(`label: kuramoto without delays
dynamics: {iri: tvbo:Kuramoto}
network:
  weights: %s/tiny_weights.csv
  coupling:
    c_glob: {iri: tvbo:Kuramoto, parameters: {a: {value: 2.0}}, delayed: false, coupling_evaluation: per_stage}
integration: {method: %s, step_size: %s, duration: 20.0, rel_tol: 1e-10, abs_tol: 1e-12}
`, tiny, method, dt))
	}
	ad := runCase(t, exp("dopri853", "0.5"), brain.Options{}, "--record", "all")
	ref := runCase(t, exp("rk4", "0.001"), brain.Options{}, "--record", "all", "--every", "500")
	if len(ad.T) != len(ref.T) || len(ad.T) != 41 {
		t.Fatalf("%d adaptive rows, %d rk4 rows, want 41", len(ad.T), len(ref.T))
	}
	// the phases grow: the error is relative to their size
	worst := 0.0
	for c := range ad.Names {
		for k, v := range ad.Cols[c] {
			worst = max(worst, math.Abs(v-ref.Cols[c][k])/max(1, math.Abs(v)))
		}
	}
	t.Logf("dopri853 vs rk4 at dt 0.001: worst relative difference %.3g", worst)
	if worst > 1e-8 {
		t.Errorf("dopri853 and converged rk4 differ by %.3g relative", worst)
	}
	spread := 0.0
	for c := 1; c < len(ad.Names); c++ {
		spread = max(spread, math.Abs(last(ad.Cols[c])-last(ad.Cols[0])))
	}
	if spread == 0 {
		t.Error("every node ends equal: the coupling did nothing")
	}
}

// TestAdaptiveBounds: a state leaving its boundary is clamped at every
// sample, and the integration goes on from the clamped state (TVB's
// Dopri5 clamps after every dt): x' = 1 under hi 0.5 samples min(t, 0.5).
func TestAdaptiveBounds(t *testing.T) {
	path := writeExp(t, `label: clamped
dynamics:
  name: Ramp
  system_type: continuous
  state_variables:
    x: {equation: {rhs: "1.0"}, initial_value: 0.0, boundaries: {hi: 0.5}}
integration: {method: dopri5, step_size: 0.1, duration: 2}
`)
	tab := runCase(t, path, brain.Options{}, "--record", "all")
	x := column(t, tab, "Ramp_pop[0]/x")
	for k, v := range x {
		if want := math.Min(float64(k)*0.1, 0.5); math.Abs(v-want) > 1e-12 {
			t.Errorf("x at %g ms = %.15g, want %g", float64(k)*0.1, v, want)
		}
	}
}

// TestAdaptiveRefusals: what an adaptive method does not integrate is an
// error at the method (or the value) with the fix.
func TestAdaptiveRefusals(t *testing.T) {
	tiny, err := filepath.Abs("../../testdata/tvb/tiny")
	if err != nil {
		t.Fatal(err)
	}
	model := `dynamics:
  name: Decay
  system_type: continuous
  state_variables:
    x: {equation: {rhs: -x}, initial_value: 1.0}
`
	for _, c := range []struct{ name, yaml, want string }{
		{"delays", fmt.Sprintf(`dynamics: {iri: tvbo:Kuramoto}
network:
  weights: %s/tiny_weights.csv
  lengths: %s/tiny_lengths.csv
  coupling:
    c_glob: {iri: tvbo:Kuramoto, delayed: true, coupling_evaluation: per_stage}
integration:
  method: Dopri5
  step_size: 0.1
  duration: 10
`, tiny, tiny), "exp.yaml:8:11: the adaptive method Dopri5 cannot recompute the delayed coupling c_glob at every stage"},
		{"vode", model + "integration: {method: VODE, step_size: 0.1, duration: 10}\n", "exp.yaml:6:23: VODE, SciPy's variable-order multistep solver, is not generated"},
		{"noise", model + "integration: {method: dopri5, step_size: 0.1, duration: 10, noise: {parameters: {sigma: 0.1}}}\n", "takes no noise"},
		{"rel_tol", model + "integration: {method: dopri853, step_size: 0.1, duration: 10, rel_tol: 0}\n", "exp.yaml:6:72: rel_tol must be at least 1e-14"},
		{"abs_tol", model + "integration: {method: dopri853, step_size: 0.1, duration: 10, abs_tol: -1}\n", "exp.yaml:6:72: abs_tol must be a finite number at least 0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := writeExp(t, c.yaml)
			exp, err := load.BrainFile(path)
			if err == nil {
				_, err = brain.Compile(exp, brain.Options{})
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			t.Log(err)
		})
	}
}

// TestAdaptiveStiffFails: a stiff system under an explicit adaptive
// method stops the binary with a message naming the fix (after the
// steps allowed between two samples), with a non-zero exit and no
// results file, instead of running on.
func TestAdaptiveStiffFails(t *testing.T) {
	path := writeExp(t, `label: stiff
dynamics:
  name: Stiff
  system_type: continuous
  state_variables:
    x: {equation: {rhs: -1e7 * (x - cos(t))}, initial_value: 0.0}
integration: {method: dopri5, step_size: 1.0, duration: 10}
`)
	dir := t.TempDir()
	bin := filepath.Join(dir, "sim")
	if _, err := build.Build(compileBrain(t, path, brain.Options{}), bin, build.Options{CacheDir: "off", Stderr: os.Stderr}); err != nil {
		if err == build.ErrNoGo {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.csv")
	cmd := exec.Command(bin, "-o", out, "--quiet")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if err == nil {
		t.Fatal("the stiff run succeeded")
	}
	msg := stderr.String()
	t.Log(strings.TrimSpace(msg))
	if !strings.Contains(msg, "more than 100000 steps between two samples") || !strings.Contains(msg, "fixed-step method") {
		t.Errorf("message %q does not say too many steps and the fix", msg)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("the failed run left %s", out)
	}
}

// TestAdaptiveRecording: the recording options work on the sampling grid
// as with fixed steps: a transient (the first row at t = 5 ms), an
// observation averaged over periods of 1 ms (4 samples of 0.25 ms), and
// the generated file is the same byte for byte when compiled twice.
func TestAdaptiveRecording(t *testing.T) {
	path := writeExp(t, `label: recording
dynamics:
  name: Osc
  system_type: continuous
  state_variables:
    x: {equation: {rhs: v}, initial_value: 1.0}
    v: {equation: {rhs: -x}, initial_value: 0.0}
integration: {method: dopri853, step_size: 0.25, duration: 20, transient_time: 5, rel_tol: 1e-10}
observations:
  xm: {equation: {rhs: x}, period: 1.0, average: true}
`)
	if a, b := compileBrain(t, path, brain.Options{}), compileBrain(t, path, brain.Options{}); string(a) != string(b) {
		t.Error("two compilations of the same file differ")
	}
	tab := runCase(t, path, brain.Options{}, "--record", "all")
	xm := column(t, tab, "xm[0]")
	if len(tab.T) != 16 || math.Abs(tab.T[0]*1e3-5) > 1e-12 {
		t.Fatalf("%d rows from t = %g s, want 16 from 5 ms", len(tab.T), tab.T[0])
	}
	for k := 1; k < len(xm); k++ {
		// the mean of the 4 samples ending at row k's time
		tk, want := tab.T[k]*1e3, 0.0
		for j := range 4 {
			want += math.Cos(tk-float64(j)*0.25) / 4
		}
		if math.Abs(xm[k]-want) > 1e-8 {
			t.Errorf("xm at %g ms = %.12g, want the mean of cos over the period %.12g", tk, xm[k], want)
		}
	}
}
