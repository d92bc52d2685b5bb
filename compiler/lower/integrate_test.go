package lower_test

import (
	"math"
	"testing"
)

// Problems with known solutions, as dynamics bodies, and the error of a
// run against the exact solution at the end time T.
var convergenceProblems = []struct {
	name     string
	dynamics string
	err      func(cols map[string][]float64, T float64) float64
}{
	{
		name: "exponential decay x' = -x",
		dynamics: `  state_variables:
    x: {equation: {rhs: "-x"}, initial_value: 1.0}`,
		err: func(c map[string][]float64, T float64) float64 {
			return math.Abs(last(c["x"]) - math.Exp(-T))
		},
	},
	{
		name: "harmonic oscillator x' = y, y' = -x",
		dynamics: `  state_variables:
    x: {equation: {rhs: "y"}, initial_value: 1.0}
    y: {equation: {rhs: "-x"}, initial_value: 0.0}`,
		err: func(c map[string][]float64, T float64) float64 {
			return math.Max(math.Abs(last(c["x"])-math.Cos(T)), math.Abs(last(c["y"])+math.Sin(T)))
		},
	},
	{
		// an explicit time dependence checks the stage times t + c*dt
		name: "forced x' = cos(t) - x + sin(t)",
		dynamics: `  state_variables:
    x: {equation: {rhs: "cos(t) - x + sin(t)"}, initial_value: 0.0}`,
		err: func(c map[string][]float64, T float64) float64 {
			return math.Abs(last(c["x"]) - math.Sin(T))
		},
	},
}

func last(xs []float64) float64 { return xs[len(xs)-1] }

// TestConvergenceOrder runs each method on problems with known solutions
// at step sizes h, h/2, h/4 and checks the observed order of accuracy,
// log2(err(h)/err(h/2)): 1 for Euler, 2 for Heun, 4 for RK4.
func TestConvergenceOrder(t *testing.T) {
	const T = 1.0
	methods := []struct {
		method string
		order  float64
		h      float64
	}{
		{"euler", 1, 0.02},
		{"heun", 2, 0.05},
		{"rk4", 4, 0.05},
		// TVBO's names for the same methods
		{"Heun", 2, 0.05},
		{"RungeKutta4thOrder", 4, 0.05},
	}
	for _, m := range methods {
		for _, pr := range convergenceProblems {
			t.Run(m.method+"/"+pr.name, func(t *testing.T) {
				var errs []float64
				for _, h := range []float64{m.h, m.h / 2, m.h / 4} {
					p := lowerYAML(t, experiment(pr.dynamics, m.method, h, T))
					errs = append(errs, pr.err(interpret(t, p), T))
				}
				for i := 0; i+1 < len(errs); i++ {
					got := math.Log2(errs[i] / errs[i+1])
					t.Logf("h=%g: error %.3g, observed order %.3f", m.h/math.Pow(2, float64(i)), errs[i], got)
					if math.Abs(got-m.order) > 0.15 {
						t.Errorf("observed order %.3f, want %g (errors %.3g)", got, m.order, errs)
					}
				}
			})
		}
	}
}

// TestUpdateFormulas checks one step of each method against TVBO's update
// formulas written out by hand (integrators/*.yaml), bit for bit, on
// x' = -x*x + t: the lowering must evaluate exactly these expressions.
func TestUpdateFormulas(t *testing.T) {
	const x0, h = 0.7, 0.125
	f := func(x, t float64) float64 { return -x*x + t }
	tests := []struct {
		method string
		want   float64
	}{
		{"euler", x0 + h*f(x0, 0)},
		{"heun", func() float64 {
			d0 := f(x0, 0)
			x1 := x0 + h*d0
			d1 := f(x1, h)
			return x0 + (d0+d1)*(h/2)
		}()},
		{"rk4", func() float64 {
			d0 := f(x0, 0)
			d1 := f(x0+(h/2)*d0, h/2)
			d2 := f(x0+(h/2)*d1, h/2)
			d3 := f(x0+h*d2, h)
			return x0 + (h/6)*(d0+2*d1+2*d2+d3)
		}()},
	}
	for _, tc := range tests {
		t.Run(tc.method, func(t *testing.T) {
			p := lowerYAML(t, experiment(`  state_variables:
    x: {equation: {rhs: "-x**2 + t"}, initial_value: 0.7}`, tc.method, h, h))
			got := interpret(t, p)["x"]
			if len(got) != 2 || got[1] != tc.want {
				t.Errorf("one %s step: got %v, want %v", tc.method, got, tc.want)
			}
		})
	}
}
