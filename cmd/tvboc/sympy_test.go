package main

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tvboc/tvboc/compare"
)

// TVBO reads the equations of its model files with SymPy; so does
// scripts/sympy-reference.py, independently of tvboc's parser. Given a
// results table tvboc wrote, it computes every next row from the row
// before (a map's f(x), or an Euler step x + dt f(x, t)), so each step is
// checked from the same state and nothing accumulates, chaotic systems
// included.

// sympyTolerance bounds a step's difference from SymPy's, relative to the
// variable's scale (the larger of its range and its largest magnitude):
// the two evaluate the same expressions in different orders, so they may
// differ in the last bits (the largest seen is 4e-15, a forced system
// whose time tvboc sums step by step).
const sympyTolerance = 1e-13

// sympyPython is the interpreter for the script: $TVBOC_PYTHON, else python3.
func sympyPython() string {
	if p := os.Getenv("TVBOC_PYTHON"); p != "" {
		return p
	}
	return "python3"
}

var sympyAvailable = sync.OnceValue(func() error {
	out, err := exec.Command(sympyPython(), "-c", "import sympy, yaml").CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s cannot import sympy and yaml (%v: %s); install python3-sympy and python3-yaml, or set TVBOC_PYTHON",
			sympyPython(), err, strings.TrimSpace(string(out)))
	}
	return nil
})

// sympySteps compares the rows of tvboc's results table (CSV, --record all)
// of the model file with the steps SymPy takes from each of them, and
// returns the largest difference relative to the variable's scale.
func sympySteps(model, results string, dtMs float64) (float64, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(sympyPython(), "../../scripts/sympy-reference.py", model, results, fmt.Sprint(dtMs))
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("sympy-reference.py: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	next := filepath.Join(filepath.Dir(results), "sympy-next.csv")
	if err := os.WriteFile(next, stdout.Bytes(), 0o644); err != nil {
		return 0, err
	}
	sim, err := compare.Load(results, compare.LoadOptions{})
	if err != nil {
		return 0, err
	}
	ref, err := compare.Load(next, compare.LoadOptions{})
	if err != nil {
		return 0, err
	}
	if ref.Len() != sim.Len()-1 || len(ref.Names) == 0 {
		return 0, fmt.Errorf("SymPy took %d steps with %d variables from %d rows", ref.Len(), len(ref.Names), sim.Len())
	}
	worst := 0.0
	for i, name := range ref.Names {
		col := sim.Column(name)
		if col == nil {
			return 0, fmt.Errorf("tvboc's table has no %s", name)
		}
		lo, hi, big := math.Inf(1), math.Inf(-1), 0.0
		for _, v := range col {
			lo, hi, big = min(lo, v), max(hi, v), max(big, math.Abs(v))
		}
		scale := max(hi-lo, big, math.SmallestNonzeroFloat64)
		for k, want := range ref.Cols[i] {
			got := col[k+1]
			if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
				worst = max(worst, math.Abs(got-want)/scale)
			}
		}
	}
	return worst, nil
}

// TestSymPyStepsCatchAWrongEquation: the comparison is not blind. A model
// of our own, run by tvboc, matches SymPy's steps; the same table read
// against a model whose equation differs in one coefficient does not.
func TestSymPyStepsCatchAWrongEquation(t *testing.T) {
	if err := sympyAvailable(); err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	t.Setenv("TVBOC_CACHE", filepath.Join(dir, "cache"))
	model := `name: Spiral
parameters:
  a: {value: 0.3}
  w: {value: 2.0}
derived_variables:
  r2: {equation: {rhs: x**2 + y**2}}
state_variables:
  x: {equation: {rhs: a*x - w*y - x*r2}, initial_value: 0.5}
  y:
    equation:
      conditionals:
        - {condition: x > 0, expression: w*x + a*y - y*r2}
        - {condition: 'True', expression: w*x + a*y - y*r2 + 0.01*sin(t)}
    initial_value: 0.1
`
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	path := write("spiral.yaml", model)
	bin, out := filepath.Join(dir, "sim"), filepath.Join(dir, "out.csv")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--duration", "20", "compile", "-q", path, "-o", bin}, &stdout, &stderr); code != 0 {
		t.Fatal(stderr.String())
	}
	if msg, err := exec.Command(bin, "-o", out, "--quiet", "--record", "all").CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, msg)
	}
	worst, err := sympySteps(path, out, 0.01)
	if err != nil || worst > sympyTolerance {
		t.Fatalf("tvboc's own run: worst %.3g, %v", worst, err)
	}
	wrong := write("wrong.yaml", strings.Replace(model, "0.01*sin(t)", "0.011*sin(t)", 1))
	if worst, err := sympySteps(wrong, out, 0.01); err != nil || worst < 1e-9 {
		t.Errorf("a table read against another equation: worst %.3g, %v; want a clear difference", worst, err)
	}
}
