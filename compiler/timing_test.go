package compiler

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tvboc/tvboc/compiler/brain"
)

// TestTimeOverride: --dt and --duration (their environment variables)
// replace a node-list experiment's step and duration, and the notes name
// the input windows the change moves or cuts, and only those.
func TestTimeOverride(t *testing.T) {
	const seed = "../testdata/ex2/ex2.yaml" // pulses at 20, 22 and 30-200 ms; 200 ms at 5 µs
	tests := []struct {
		name, dt, duration string
		steps              int
		notes              []string
	}{
		{"none", "", "", 40000, nil},
		{"longer", "", "400", 80000, nil},
		{"shorter cuts a window", "", "100", 20000,
			[]string{"input 13 switches at 200 ms, after the new end of the run (100 ms): that part of its window is cut off"}},
		{"coarser step moves edges", "0.3", "201", 670, []string{
			"input 10 switches at 22 ms, between steps of 0.3 ms: it now switches at 22.2 ms",
			"input 11 switches at 20 ms, between steps of 0.3 ms: it now switches at 20.1 ms",
			"input 12 switches at 20 ms, between steps of 0.3 ms: it now switches at 20.1 ms",
			"input 13 switches at 200 ms, between steps of 0.3 ms: it now switches at 200.1 ms",
		}},
		{"step on every edge", "0.01", "", 20000, nil},
		// every edge on the new grid: jLEMS's running sum may take one a
		// step later, which is no move of the --dt's (the notes once said
		// "switches at 22 ms ... now switches at 22 ms")
		{"tiny step on every edge", "1e-9", "", 200000000000, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(brain.DtEnv, tt.dt)
			t.Setenv(brain.DurationEnv, tt.duration)
			r, err := Check(seed)
			if err != nil {
				t.Fatal(err)
			}
			if r.Model.Steps != tt.steps {
				t.Errorf("%d steps, want %d", r.Model.Steps, tt.steps)
			}
			if diff := cmp.Diff(tt.notes, r.Notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
	// Populations take them too.
	t.Setenv(brain.DtEnv, "")
	t.Setenv(brain.DurationEnv, "20")
	if r, err := Check("../testdata/bench/hh_1000.yaml"); err != nil || r.Pop.Steps != 2000 {
		t.Errorf("population with --duration 20: %v", err)
	}
	t.Setenv(brain.DurationEnv, "-3")
	if _, err := Check(seed); err == nil || !strings.Contains(err.Error(), "want a positive number of milliseconds") {
		t.Errorf("negative duration: %v", err)
	}
}

// TestIntegrationNotFree: --free integration.duration is refused with the
// compile flag that does it.
func TestIntegrationNotFree(t *testing.T) {
	for name, want := range map[string]string{
		"integration.duration":  "compile with --duration MS instead",
		"integration.step_size": "compile with --dt MS instead",
		"integration.method":    "integration settings are not run-time parameters",
	} {
		_, err := CompileWith("../testdata/ex2/ex2.yaml", Options{Free: []string{name}})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("--free %s: %v, want %q", name, err, want)
		}
	}
}

// TestTimeOverrideMisfit: a --dt or --duration that does not give a whole
// number of steps is said in the flag's terms (it was blamed on the
// file's duration line, with a hint to change the duration to 1e+300).
func TestTimeOverrideMisfit(t *testing.T) {
	for _, tt := range []struct{ dt, duration, want string }{
		{"1e300", "", "--dt: the duration 200 ms is not a whole number of steps of 1e+300 ms"},
		{"0.003", "", "--dt: the duration 200 ms is not a whole number of steps of 0.003 ms"},
		{"", "200.0025", "--duration: the duration 200.0025 ms is not a whole number of steps of 0.005 ms"},
	} {
		t.Setenv(brain.DtEnv, tt.dt)
		t.Setenv(brain.DurationEnv, tt.duration)
		if _, err := Check("../testdata/ex2/ex2.yaml"); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("--dt %q --duration %q: %v", tt.dt, tt.duration, err)
		}
	}
}
