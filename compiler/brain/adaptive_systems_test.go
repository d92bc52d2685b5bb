package brain_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/brain"
	"github.com/tvboc/tvboc/compiler/load"
	rt "github.com/tvboc/tvboc/runtime"
)

// TestDynamicalSystemsAdaptive integrates every ODE system of TVBO's
// database (models/julia) with Dopri5 and Dopri853 at the default
// tolerances (rel_tol 1e-6, abs_tol 1e-12) over the convergence test's
// time, the program's right-hand side (NodeNext, the derivative, when
// the method is adaptive) interpreted and handed to the runtime's driver
// as the generated code does, and checks the final state against RK4 at
// 6400 steps: within 1e-4 of the state's scale, a margin of 100 over the
// tolerance for the growth of the local errors over the run (1e-3 where
// the right-hand side has a kink, which neither method resolves to its
// order).
func TestDynamicalSystemsAdaptive(t *testing.T) {
	dir := filepath.Join(sharedReference, "tvbo", "database", "models", "julia")
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) == 0 {
		t.Skipf("TVBO's dynamical systems not found at %s (they live next to the repository, in ../shared/reference)", dir)
	}
	const T = 0.5
	checked := 0
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		data, _ := os.ReadFile(f)
		if exp, err := load.BrainExperiment(f, data); err != nil || exp == nil {
			continue
		} else if _, err := brain.Compile(exp, brain.Options{Duration: T}); err != nil {
			continue
		}
		for _, method := range []string{"dopri5", "dopri853"} {
			t.Run(name+"/"+method, func(t *testing.T) {
				exp, err := load.BrainExperiment(f, data)
				if err != nil {
					t.Fatal(err)
				}
				p, err := brain.Compile(exp, brain.Options{Method: method, Dt: T / 5, Duration: T})
				if err != nil {
					t.Fatal(err)
				}
				if p.Adaptive == nil || p.Adaptive.RelTol != brain.DefaultRelTol || p.Adaptive.AbsTol != brain.DefaultAbsTol {
					t.Fatalf("adaptive setting %+v, want the defaults", p.Adaptive)
				}
				y := make([]float64, len(p.States))
				for i, s := range p.States {
					y[i] = s.Init
				}
				rhs := func(y, dy []float64) { copy(dy, stepNode(t, p, y)) }
				newODE := rt.NewDopri5
				if method == "dopri853" {
					newODE = rt.NewDopri853
				}
				ode := newODE(rhs, y, 0, T, p.Adaptive.RelTol, p.Adaptive.AbsTol, p.Adaptive.MaxSteps)
				for k := 1; k <= p.Steps; k++ {
					if err := ode.Advance(float64(k)*p.DtModel, y); err != nil {
						t.Fatal(err)
					}
				}
				ref := finalState(t, f, "rk4", T, 6400)
				scale := 1.0
				for _, v := range ref {
					scale = max(scale, math.Abs(v))
				}
				d := maxDiff(y, ref)
				limit := 1e-4
				for _, st := range exp.Dynamics.States {
					if st.Equation != nil && !smooth(st.Equation.Node) {
						limit = 1e-3
					}
				}
				for _, dv := range exp.Dynamics.Derived {
					if dv.Equation != nil && !smooth(dv.Equation.Node) {
						limit = 1e-3
					}
				}
				t.Logf("%d steps (%d rejected): %.3g from rk4 at 6400 steps (scale %.3g, limit %g of it)", ode.Steps, ode.Rejected, d, scale, limit)
				if !(d <= limit*scale) {
					t.Errorf("%s ends %.3g from rk4 at 6400 steps (scale %.3g)", method, d, scale)
				}
			})
		}
		checked++
	}
	if checked < 38 {
		t.Errorf("only %d systems checked; expected all 38", checked)
	}
}
