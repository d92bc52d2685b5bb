package tvbo

import (
	"math"
	"testing"

	"github.com/tvboc/tvboc/compiler/expr"
)

// modelRates evaluates a library model's state equations at one point:
// parameters at their defaults, derived variables in file order, coupling
// inputs from in (local_coupling 0, as on a region connectome).
func modelRates(t *testing.T, iri string, state, in map[string]float64) map[string]float64 {
	t.Helper()
	m, err := Model(iri)
	if err != nil || m == nil {
		t.Fatalf("%s: missing (%v)", iri, err)
	}
	vals := map[string]float64{"local_coupling": 0}
	for _, p := range m.Parameters {
		vals[p.Name.Value] = p.Value.Value
	}
	for k, v := range in {
		vals[k] = v
	}
	for _, s := range m.States {
		v, ok := state[s.Name.Value]
		if !ok {
			t.Fatalf("%s: the test gives no value of state %s", iri, s.Name.Value)
		}
		vals[s.Name.Value] = v
	}
	lookup := func(name string) (float64, bool) { v, ok := vals[name]; return v, ok }
	for _, d := range m.Derived {
		v, err := expr.Eval(d.Equation.Node, lookup)
		if err != nil {
			t.Fatalf("%s: derived %s: %v", iri, d.Name.Value, err)
		}
		vals[d.Name.Value] = v
	}
	out := map[string]float64{}
	for _, s := range m.States {
		v, err := expr.Eval(s.Equation.Node, lookup)
		if err != nil {
			t.Fatalf("%s: rate of %s: %v", iri, s.Name.Value, err)
		}
		out[s.Name.Value] = v
	}
	return out
}

// TestModelDerivatives checks each model's derivative at a point against
// TVB's published dfun (tvb-library tvb/simulator/models/*.py), written
// out here independently of the YAML with TVB's default parameters.
// Points are chosen to take both sides of the models' case distinctions.
func TestModelDerivatives(t *testing.T) {
	sigm := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	cases := []struct {
		name  string
		iri   string
		state map[string]float64
		in    map[string]float64
		want  func(s, c map[string]float64) map[string]float64
	}{
		{"WilsonCowan", "tvbo:WilsonCowan", map[string]float64{"E": 0.3, "I": 0.2}, map[string]float64{"c_glob": 0.4},
			func(s, c map[string]float64) map[string]float64 {
				E, I := s["E"], s["I"]
				xe := 1.0 * (12*E - 4*I + 0 - 0 + c["c_glob"])
				xi := 1.0 * (13*E - 11*I + 0 - 0)
				se := 1.0 * (sigm(1.2*(xe-2.8)) - sigm(1.2*(0-2.8)))
				si := 1.0 * (sigm(1.0*(xi-4.0)) - sigm(1.0*(0-4.0)))
				return map[string]float64{"E": (-E + (1-1*E)*se) / 10, "I": (-I + (1-1*I)*si) / 10}
			}},
		{"LarterBreakspear", "tvbo:LarterBreakspear", map[string]float64{"V": 0.1, "W": 0.2, "Z": -0.1}, map[string]float64{"c_glob": 0.3},
			func(s, c map[string]float64) map[string]float64 {
				V, W, Z, c0 := s["V"], s["W"], s["Z"], c["c_glob"]
				mCa := 0.5 * (1 + math.Tanh((V+0.01)/0.15))
				mNa := 0.5 * (1 + math.Tanh((V-0.3)/0.15))
				mK := 0.5 * (1 + math.Tanh(V/0.3))
				QV := 0.5 * (1 + math.Tanh(V/0.65))
				QZ := 0.5 * (1 + math.Tanh(Z/0.7))
				dV := -(1.1+0.9*0.25*0.4*QV+0.1*0.25*0.4*c0)*mCa*(V-1) - 2*W*(V+0.7) - 0.5*(V+0.5) -
					(6.7*mNa+0.9*0.4*QV+0.1*0.4*c0)*(V-0.53) - 2*Z*QZ + 1*0.3
				return map[string]float64{"V": dV, "W": 0.7 * (mK - W) / 1, "Z": 0.1 * (0.4*0.3 + 2*V*QV)}
			}},
		// x1 < 0 and z > 0; x2 >= -0.25
		{"Epileptor/x1<0", "tvbo:Epileptor", map[string]float64{"x1": -1.2, "y1": -8, "z": 3.2, "x2": -0.1, "y2": 0.3, "g": 0.05},
			map[string]float64{"c_pop1": 0.2, "c_pop2": -0.1}, epileptor},
		// x1 >= 0 and z < 0; x2 < -0.25
		// with the coupling scalings set (the test's inputs override
		// parameters too)
		{"Epileptor/x1>=0", "tvbo:Epileptor", map[string]float64{"x1": 0.4, "y1": -2, "z": -0.5, "x2": -0.8, "y2": 0.1, "g": -0.2},
			map[string]float64{"c_pop1": 0.2, "c_pop2": -0.1, "Kvf": 1.5, "Kf": 2, "Ks": 0.5}, epileptor},
		{"Epileptor2D/x1<0", "tvbo:Epileptor2D", map[string]float64{"x1": -1.2, "z": 3.2}, map[string]float64{"c_pop": 0.3}, epileptor2D},
		{"Epileptor2D/x1>=0", "tvbo:Epileptor2D", map[string]float64{"x1": 0.7, "z": -0.4}, map[string]float64{"c_pop": 0.3, "Kvf": 1.5, "Ks": 0.5}, epileptor2D},
		{"Hopfield", "tvbo:Hopfield", map[string]float64{"x": 0.4, "theta": 0.9}, map[string]float64{"c_glob": 0.7, "c_theta": 0.2},
			func(s, c map[string]float64) map[string]float64 {
				// dynamic = 0: TVB's dfun returns dx for both variables
				dx := (-s["x"] + c["c_glob"]) / 1.0
				return map[string]float64{"x": dx, "theta": dx}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := modelRates(t, tc.iri, tc.state, tc.in)
			want := tc.want(tc.state, tc.in)
			for k, w := range want {
				if g := got[k]; math.Abs(g-w) > 1e-13*max(1, math.Abs(w)) {
					t.Errorf("d%s/dt = %.17g, want %.17g", k, g, w)
				}
			}
			if len(got) != len(want) {
				t.Errorf("%d state equations, want %d", len(got), len(want))
			}
		})
	}
}

// epileptor is TVB's Epileptor._numpy_dfun with its defaults (a 1, b 3,
// c 1, d 5, r 0.00035, x0 -1.6, Iext 3.1, slope 0, Iext2 0.45, tau 10,
// aa 6, bb 2, tt 1, modification False); the coupling scalings Kvf, Kf
// and Ks (0 by default) are read from c, where a missing one is 0.
func epileptor(s, c map[string]float64) map[string]float64 {
	x1, y1, z, x2, y2, g := s["x1"], s["y1"], s["z"], s["x2"], s["y2"], s["g"]
	f1 := 0 - x2 + 0.6*(z-4)*(z-4)
	if x1 < 0 {
		f1 = -1*x1*x1 + 3*x1
	}
	fz := 0.0
	if z < 0 {
		fz = -0.1 * math.Pow(z, 7)
	}
	h := 4*(x1+1.6) + fz
	f2 := 6 * (x2 + 0.25)
	if x2 < -0.25 {
		f2 = 0
	}
	return map[string]float64{
		"x1": y1 - z + 3.1 + c["Kvf"]*c["c_pop1"] + f1*x1,
		"y1": 1 - 5*x1*x1 - y1,
		"z":  0.00035 * (h - z + c["Ks"]*c["c_pop1"]),
		"x2": -y2 + x2 - x2*x2*x2 + 0.45 + 2*g - 0.3*(z-3.5) + c["Kf"]*c["c_pop2"],
		"y2": (-y2 + f2) / 10,
		"g":  -0.01 * (g - 0.1*x1),
	}
}

// epileptor2D is TVB's Epileptor2D._numpy_dfun with its defaults (a 1,
// b 3, c 1, d 5, r 0.00035, x0 -1.6, Iext 3.1, slope 0, tt 1,
// modification False); Kvf and Ks from c, as for epileptor.
func epileptor2D(s, c map[string]float64) map[string]float64 {
	x1, z := s["x1"], s["z"]
	f := -0 - 0.6*(z-4)*(z-4) + 5*x1
	if x1 < 0 {
		f = 1*x1*x1 + (5-3)*x1
	}
	fz := 0.0
	if z < 0 {
		fz = -0.1 * math.Pow(z, 7)
	}
	return map[string]float64{
		"x1": 1 - z + 3.1 + c["Kvf"]*c["c_pop"] - f*x1,
		"z":  0.00035 * (4*(x1+1.6) + fz - z + c["Ks"]*c["c_pop"]),
	}
}
