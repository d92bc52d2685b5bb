package brain_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/brain"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/load"
)

// stepNode advances one uncoupled node by the program's NodeBody and
// NodeNext, interpreting the IR the generator renders as Go one to one:
// the node's states in x, every coupling input zero.
func stepNode(t *testing.T, p *ir.Brain, x []float64) []float64 {
	env := map[string]float64{}
	for i, s := range p.States {
		env[ir.StateIdent(s.Name)] = x[i]
	}
	for _, in := range p.Inputs {
		env[ir.InputIdent(in)] = 0
	}
	lookup := func(name string) (float64, bool) { v, ok := env[name]; return v, ok }
	for _, st := range p.NodeBody {
		let, ok := st.(*ir.Let)
		if !ok {
			t.Fatalf("node body statement %T in an uncoupled node", st)
		}
		v, err := expr.Eval(let.Value, lookup)
		if err != nil {
			t.Fatalf("%s = %s: %v", let.Name, let.Value, err)
		}
		env[let.Name] = v
	}
	next := make([]float64, len(x))
	for i, n := range p.NodeNext {
		v, err := expr.Eval(n, lookup)
		if err != nil {
			t.Fatalf("next %s = %s: %v", p.States[i].Name, n, err)
		}
		next[i] = v
	}
	return next
}

// finalState compiles path with the method and n steps over duration T
// and returns the state after them.
func finalState(t *testing.T, path, method string, T float64, n int) []float64 {
	exp, err := load.BrainFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := brain.Compile(exp, brain.Options{Method: method, Dt: T / float64(n), Duration: T})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Passes) > 0 || p.Steps != n {
		t.Fatalf("%s: %d steps and %d passes, want %d steps of one pass", path, p.Steps, len(p.Passes), n)
	}
	x := make([]float64, len(p.States))
	for i, s := range p.States {
		x[i] = s.Init
	}
	for range n {
		x = stepNode(t, p, x)
	}
	return x
}

func maxDiff(a, b []float64) float64 {
	d := 0.0
	for i := range a {
		d = max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

// TestDynamicalSystemsConverge integrates every ODE system of TVBO's
// database (models/julia, all 38) with Euler, Heun and RK4 at two step sizes over
// the same short time, and checks the observed order of convergence, log2
// of the ratio of their errors against a much finer RK4 run of the same
// program, against the method's: 1,
// 2 and 4 (within -0.5 and +1: the coarsest steps are not always in the
// asymptotic range), or, where the right-hand side is not smooth, that the
// runs converge at all. The program's IR is interpreted step by step (the generator
// renders it to Go one statement per statement), so no binary is built.
func TestDynamicalSystemsConverge(t *testing.T) {
	dir := filepath.Join(sharedReference, "tvbo", "database", "models", "julia")
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) == 0 {
		t.Skipf("TVBO's dynamical systems not found at %s (they live next to the repository, in ../shared/reference)", dir)
	}
	methods := []struct {
		name  string
		order float64
		n     int // steps of the coarser run over T; the finer takes 2n
	}{
		{"euler", 1, 400},
		{"heun", 2, 1600},
		{"rk4", 4, 200},
	}
	const T = 0.5
	checked := 0
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		data, _ := os.ReadFile(f)
		if exp, err := load.BrainExperiment(f, data); err != nil || exp == nil {
			t.Logf("%s: does not load (%v); the coverage table lists it", name, err)
			continue
		} else if _, err := brain.Compile(exp, brain.Options{Duration: T}); err != nil {
			t.Logf("%s: does not compile (%v); the coverage table lists it", name, firstLineOf(err.Error()))
			continue
		}
		kink := ""
		if exp, _ := load.BrainExperiment(f, data); exp.Dynamics != nil {
			for _, d := range exp.Dynamics.Derived {
				if d.Equation != nil && !smooth(d.Equation.Node) {
					kink = " (the right-hand side has a kink: " + d.Name.Value + ")"
				}
			}
			for _, s := range exp.Dynamics.States {
				if s.Equation != nil && !smooth(s.Equation.Node) {
					kink = " (the right-hand side has a kink: " + s.Name.Value + ")"
				}
			}
		}
		for _, m := range methods {
			t.Run(name+"/"+m.name, func(t *testing.T) {
				// The error of each run against RK4 at 6400 steps,
				// which is far more accurate than either.
				ref := finalState(t, f, "rk4", T, 6400)
				d1 := maxDiff(finalState(t, f, m.name, T, m.n), ref)
				d2 := maxDiff(finalState(t, f, m.name, T, 2*m.n), ref)
				scale := 1.0
				for _, v := range ref {
					scale = max(scale, math.Abs(v))
				}
				if d2 < 1e-11*scale {
					t.Logf("errors %.3g and %.3g: at rounding level, no order to measure", d1, d2)
					return
				}
				order := math.Log2(d1 / d2)
				want := m.order
				lo, hi := want-0.5, want+1
				if kink != "" {
					// A right-hand side with a kink or a jump (abs, a
					// case split, a remainder) is not smooth: every
					// method loses its order where a trajectory crosses
					// one, and must still converge.
					want, lo, hi = 0, 0.3, math.Inf(1)
				}
				if math.IsNaN(order) || order < lo || order > hi {
					t.Errorf("observed order %.2f (errors %.3g, %.3g), want %g%s", order, d1, d2, want, kink)
				}
			})
		}
		checked++
	}
	if checked < 38 {
		t.Errorf("only %d systems checked; expected all 38", checked)
	}
	fmt.Fprintf(os.Stderr, "convergence checked on %d dynamical systems\n", checked)
}

// smooth reports whether n is built from smooth operations only (no case
// split, absolute value, sign, step, min, max, floor or remainder).
func smooth(n expr.Node) bool {
	ok := true
	expr.Inspect(n, func(x expr.Node) bool {
		if c, is := x.(*expr.Call); is {
			switch c.Func {
			case "Piecewise", "abs", "sign", "Heaviside", "Min", "Max", "floor", "ceiling", "Mod":
				ok = false
			}
		}
		return ok
	})
	return ok
}

func firstLineOf(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
