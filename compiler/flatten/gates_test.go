package flatten

import (
	"math"
	"testing"

	"github.com/tvboc/tvboc/compiler/expr"
)

// TestAlphaBetaGates rewrites the HH gate of kGate (with and without a
// temperature factor) and checks the new rate has no division and equals
// (inf - q)/tau at a spread of membrane potentials and gate states.
func TestAlphaBetaGates(t *testing.T) {
	q10 := `    k:
      iri: neuroml:ionChannelHH
      parameters: {conductance: {value: 10, unit: pS}, number: {value: 36000}, erev: {value: -77, unit: mV}}
      components:
        n:
          iri: neuroml:gateHHrates
          parameters: {instances: {value: 4}}
          components:
            forwardRate:
              iri: neuroml:HHExpLinearRate
              parameters: {rate: {value: 0.1, unit: per_ms}, midpoint: {value: -55, unit: mV}, scale: {value: 10, unit: mV}}
            reverseRate:
              iri: neuroml:HHExpRate
              parameters: {rate: {value: 0.125, unit: per_ms}, midpoint: {value: -65, unit: mV}, scale: {value: -80, unit: mV}}
            q10Settings:
              iri: neuroml:q10ExpTemp
              parameters: {q10Factor: {value: 3}, experimentalTemp: {value: 6.3, unit: degC}}
`
	warm := pointParams + "    network_temperature: {value: 16.3, unit: degC}\n"
	for _, tc := range []struct{ name, params, components string }{{"no q10", pointParams, kGate}, {"q10", warm, q10}} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := flattenYAML(t, cellYAML("neuroml:pointCellCondBased", tc.params, tc.components))
			if err != nil {
				t.Fatal(err)
			}
			var gate *State
			for _, s := range c.States {
				if s.Name == "k/n/q" {
					gate = s
				}
			}
			before := gate.Rate
			if n := AlphaBetaGates(c); n != 1 {
				t.Fatalf("rewrote %d states, want the one gate", n)
			}
			if before.String() == gate.Rate.String() || hasDivision(gate.Rate) {
				t.Fatalf("rate still divides: %s", gate.Rate.String())
			}
			for _, v := range []float64{-0.08, -0.065, -0.055, -0.02, 0.03} {
				for _, n := range []float64{0, 0.3, 0.9} {
					at := map[string]float64{"v": v, "k/n/q": n, "iExternal": 0, "temperature": 279.45}
					inf := derivedValue(t, c, "k/n/inf", at)
					tau := derivedValue(t, c, "k/n/tau", at)
					want := (inf - n) / tau
					got := evalWith(t, c, gate.Rate, at)
					if math.Abs(got-want) > 1e-12*math.Abs(want)+1e-12 {
						t.Errorf("v %g, q %g: rate %v, want (inf-q)/tau = %v", v, n, got, want)
					}
				}
			}
		})
	}
}

// TestAlphaBetaGatesLeavesOtherShapes: a rate that is not (inf - q)/tau
// with inf = A/S and tau = 1/S is not touched.
func TestAlphaBetaGatesLeavesOtherShapes(t *testing.T) {
	c, err := flattenYAML(t, cellYAML("neuroml:pointCellCondBased", pointParams, kGate))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range c.Derived {
		if d.Name == "k/n/tau" {
			d.Value = &expr.Binary{Op: "/", X: &expr.Num{Value: 2}, Y: d.Value.(*expr.Binary).Y}
		}
	}
	if n := AlphaBetaGates(c); n != 0 {
		t.Errorf("rewrote %d states whose tau is 2/S", n)
	}
}

func hasDivision(n expr.Node) bool {
	found := false
	expr.Inspect(n, func(n expr.Node) bool {
		if b, ok := n.(*expr.Binary); ok && b.Op == "/" {
			found = true
		}
		return true
	})
	return found
}

// evalWith evaluates e with the cell's parameters, its derived values at
// at, and at.
func evalWith(t *testing.T, c *Cell, e expr.Node, at map[string]float64) float64 {
	t.Helper()
	known := map[string]float64{}
	for k, v := range c.Params {
		known[k] = v
	}
	for k, v := range at {
		known[k] = v
	}
	for _, d := range c.Derived {
		known[d.Name] = derivedValue(t, c, d.Name, at)
	}
	v, err := expr.Eval(e, func(n string) (float64, bool) { v, ok := known[n]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	return v
}
