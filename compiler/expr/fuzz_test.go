package expr

import (
	"errors"
	"testing"
)

// FuzzParse checks that no input makes the parser panic, that errors are
// positioned inside the source, and that whatever parses has a canonical
// form that re-parses to itself and survives the tree helpers.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"(leakReversal - v) / tau",
		"V - V**3/3 - W + I",
		"Piecewise((0.32/4.0, Eq(Vs, -46.9)), (0.32*(-46.9 - Vs)/(exp((-46.9 - Vs)/4.0) - 1.0), True))",
		"Min(0.00002*Cad, 0.01)",
		"Piecewise((w*amp, (t >= delay) & (t < delay + duration)), (0, True))",
		"0.04*v^2 + 5*v + 140 - U + I",
		"weight / mean(weight[weight > 0])",
		"cmin + (cmax - cmin)/(exp(r*(midpoint - (x_j[0] - x_j[1]))) + 1.0)",
		"!(a < b) | ~c",
		"2**-x**2",
		"v = c; U = U + d",
		"1e-3 + .5 + 1. + 2.0E+5",
		"τ_m * Abs(x)",
		"(a, b)",
		"a < b < c",
		"2(x + 1)",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		n, err := Parse(src)
		checkError(t, src, err)
		if err == nil {
			canonical := n.String()
			again, err := Parse(canonical)
			if err != nil {
				t.Fatalf("Parse(%q) = %s, which does not re-parse: %v", src, canonical, err)
			}
			if again.String() != canonical {
				t.Fatalf("Parse(%q): canonical form %s re-parses as %s", src, canonical, again)
			}
			if Grouped(again) != Grouped(n) {
				t.Fatalf("Parse(%q): canonical form %s re-parses as the tree %s, not %s", src, canonical, Grouped(again), Grouped(n))
			}
			if copied := Rewrite(n, nil); copied.String() != canonical {
				t.Fatalf("Rewrite copy %s differs from %s", copied, canonical)
			}
			Idents(n)
			Eval(n, func(string) (float64, bool) { return 1, true })
		}
		assignments, err := ParseAssignments(src)
		checkError(t, src, err)
		for _, a := range assignments {
			if int(a.VarPos) < 0 || int(a.VarPos)+len(a.Var) > len(src) || src[a.VarPos:int(a.VarPos)+len(a.Var)] != a.Var {
				t.Fatalf("ParseAssignments(%q): VarPos %d does not point at %q", src, a.VarPos, a.Var)
			}
			checkRoundTrip(t, a.Value)
		}
	})
}

// checkError asserts that err, if any, is an *Error positioned inside src.
func checkError(t *testing.T, src string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var perr *Error
	if !errors.As(err, &perr) {
		t.Fatalf("error for %q is %T, want *Error: %v", src, err, err)
	}
	if perr.Offset < 0 || perr.Offset > len(src) || perr.Col < 1 || perr.Src != src {
		t.Fatalf("error for %q has Offset %d, Col %d, Src %q", src, perr.Offset, perr.Col, perr.Src)
	}
}
