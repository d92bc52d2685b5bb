package brain

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// TestSeparate takes pre-expressions apart and checks, at random source
// and target values, that the sum of the terms equals the expression,
// and the shape of the result: how many terms, how many stored source
// values, or the fallback.
func TestSeparate(t *testing.T) {
	cases := []struct {
		pre           string
		ok            bool
		terms, stored int
		rowSum        bool // one term sums the weights alone
	}{
		{"xj_0", true, 1, 0, false},                                  // Linear: read the state
		{"xj_0 - xi_0", true, 2, 0, true},                            // Difference
		{"sin(xj_0 - xi_0)", true, 2, 2, false},                      // Kuramoto
		{"cos(xj_0 - xi_0)", true, 2, 2, false},                      //
		{"sin(xi_0 - 2*xj_0 + 0.3)", true, 2, 2, false},              // target first, constants
		{"0.5*(1 + tanh((2*xj_0 - 1)/0.3))", true, 1, 1, false},      // HyperbolicTangent: whole
		{"1/(1 + exp(0.56*(6 - (xj_0 - xj_1))))", true, 1, 1, false}, // SigmoidalJansenRit
		{"xi_0*xj_0 + xj_0/xi_1 - xi_0*xj_1", true, 2, 0, false},     // products, quotient, two states
		{"(xj_0 - xi_0)*(xj_0 + xi_0)", true, 3, 2, true},            // x_j^2 - x_i^2: the x_j x_i terms cancel only numerically
		{"xi_0", true, 1, 0, true},                                   // target only
		{"tanh(xj_0 - xi_0)", false, 0, 0, false},                    // not separable: per edge
		{"exp(xj_0*xi_0)", false, 0, 0, false},                       //
		{"(xj_0 - xi_0)**2", false, 0, 0, false},                     // power: per edge
		{"xj_0/(xj_0 - xi_0)", false, 0, 0, false},                   // quotient by both sides
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range cases {
		t.Run(tc.pre, func(t *testing.T) {
			pre, err := expr.Parse(tc.pre)
			if err != nil {
				t.Fatal(err)
			}
			terms, stored, ok := separate(fold(pre))
			if ok != tc.ok {
				t.Fatalf("separable = %v, want %v", ok, tc.ok)
			}
			if !ok {
				return
			}
			rowSum := false
			for _, tm := range terms {
				rowSum = rowSum || tm.Source == nil
				if dependsOn(tm.Target)&depSource != 0 || dependsOn(tm.Source)&depTarget != 0 {
					t.Errorf("term %s * %s mixes the sides", tm.Target, tm.Source)
				}
				if (tm.Slot >= 0) != (len(stored) > 0 && tm.Source != nil) || (tm.Slot >= 0 && stored[tm.Slot] != tm.Source) {
					t.Errorf("term %s * %s: slot %d of %d stored", tm.Target, tm.Source, tm.Slot, len(stored))
				}
			}
			if len(terms) != tc.terms || len(stored) != tc.stored || rowSum != tc.rowSum {
				t.Errorf("%d terms (%d stored, row sum %v), want %d (%d, %v): %s", len(terms), len(stored), rowSum, tc.terms, tc.stored, tc.rowSum, show(terms))
			}
			for range 100 {
				vals := map[string]float64{}
				for k := range 2 {
					vals[ir.SourceIdent(k)] = rng.Float64()*4 - 2
					vals[ir.TargetIdent(k)] = rng.Float64()*4 - 2
				}
				lookup := func(name string) (float64, bool) { v, ok := vals[name]; return v, ok }
				want, err := expr.Eval(pre, lookup)
				if err != nil {
					t.Fatal(err)
				}
				got := 0.0
				for _, tm := range terms {
					tv, err := expr.Eval(tm.Target, lookup)
					if err != nil {
						t.Fatal(err)
					}
					sv := 1.0
					if tm.Source != nil {
						if sv, err = expr.Eval(tm.Source, lookup); err != nil {
							t.Fatal(err)
						}
					}
					got += tv * sv
				}
				if math.Abs(got-want) > 1e-13*max(1, math.Abs(want)) {
					t.Fatalf("at %v: terms give %.17g, the expression %.17g: %s", vals, got, want, show(terms))
				}
			}
		})
	}
}

func show(terms []ir.SepTerm) string {
	var s []string
	for _, tm := range terms {
		src := "1"
		if tm.Source != nil {
			src = tm.Source.String()
		}
		s = append(s, tm.Target.String()+" * "+src)
	}
	return strings.Join(s, " + ")
}
