package tvbo

import (
	"math"
	"testing"

	"github.com/tvboc/tvboc/compiler/expr"
)

// TestLibraryLoads checks every file parses and that each model names its
// own IRI, so `iri: tvbo:X` finds the file X.yaml.
func TestLibraryLoads(t *testing.T) {
	for _, iri := range ModelNames() {
		m, err := Model(iri)
		if err != nil || m == nil {
			t.Fatalf("%s: %v", iri, err)
		}
		if m.IRI.Value != iri {
			t.Errorf("%s: file declares iri %q", iri, m.IRI.Value)
		}
		if len(m.States) == 0 {
			t.Errorf("%s: no state variables", iri)
		}
	}
	for _, iri := range CouplingNames() {
		c, err := Coupling(iri)
		if err != nil || c == nil {
			t.Fatalf("%s: %v", iri, err)
		}
		if c.Pre == nil || c.Post == nil {
			t.Errorf("%s: needs both pre_expression and post_expression", iri)
		}
	}
	if len(ModelNames()) < 6 || len(CouplingNames()) < 8 {
		t.Errorf("library has %d models and %d couplings, want at least 6 and 8", len(ModelNames()), len(CouplingNames()))
	}
}

// TestCouplingValues evaluates each coupling function's pre and post
// expressions at one point against the formula written independently here.
func TestCouplingValues(t *testing.T) {
	const xj, xi, xj1, gx = 0.7, 0.2, 0.1, 3.5
	cases := []struct {
		iri       string
		pre, post float64
	}{
		{"tvbo:Linear", xj, 0.00390625*gx + 0},
		{"tvbo:Scaling", xj, 0.00390625 * gx},
		{"tvbo:Difference", xj - xi, 0.1 * gx},
		{"tvbo:Sigmoidal", xj, -1 + 2/(1+math.Exp(-(gx-0)/230))},
		{"tvbo:SigmoidalJansenRit", 0.005 / (1 + math.Exp(0.56*(6-(xj-xj1)))), gx},
		{"tvbo:HyperbolicTangent", 0, gx},
		{"tvbo:KuramotoCoupling", math.Sin(xj - xi), gx},
		{"tvbo:PreSigmoidal", 0.5 * (1 + math.Tanh(60*(xj-0.5))), gx},
	}
	for _, tc := range cases {
		c, err := Coupling(tc.iri)
		if err != nil || c == nil {
			t.Fatalf("%s: missing (%v)", tc.iri, err)
		}
		params := map[string]float64{}
		for _, p := range c.Parameters {
			params[p.Name.Value] = p.Value.Value
		}
		lookup := func(name string) (float64, bool) {
			switch name {
			case "x_j":
				return xj, true
			case "x_i":
				return xi, true
			case "gx":
				return gx, true
			}
			v, ok := params[name]
			return v, ok
		}
		pre := expr.Rewrite(c.Pre.Node, func(n expr.Node) expr.Node {
			// x_j[k] is the k-th incoming state of the source
			if ix, ok := n.(*expr.Index); ok {
				if k, ok := ix.Index.(*expr.Num); ok && k.Value == 1 {
					return &expr.Num{Value: xj1}
				}
				return ix.X
			}
			return n
		})
		gotPre, err := expr.Eval(pre, lookup)
		if err != nil {
			t.Fatalf("%s pre: %v", tc.iri, err)
		}
		gotPost, err := expr.Eval(c.Post.Node, lookup)
		if err != nil {
			t.Fatalf("%s post: %v", tc.iri, err)
		}
		if math.Abs(gotPre-tc.pre) > 1e-15 || math.Abs(gotPost-tc.post) > 1e-15 {
			t.Errorf("%s: pre %v post %v, want %v %v", tc.iri, gotPre, gotPost, tc.pre, tc.post)
		}
	}
}
