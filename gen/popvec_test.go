package gen

import (
	"errors"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/expr"
)

// TestVecExpr pins the vector form of equations: the scalar code's
// operations in its order (the tree, not algebra), constants broadcast
// once from the scalar code's own Go constant expression (so that Go folds
// 0.1*0.2 exactly as it does in the scalar loop), powers multiplied as the
// scalar helpers do, negation as a sign flip; and no vector form for what
// a vector unit would not round the same (general powers, log, abs); the
// runtime's exact vector functions for exp and the rest, Min and Max
// folded left.
func TestVecExpr(t *testing.T) {
	tests := []struct{ in, want, consts string }{
		{"0.04*v*v + 5*v + 140 - u + I", "vk0.Mul(v_).Mul(v_).Add(vk1.Mul(v_)).Add(vk2).Sub(u_).Add(I_)", "0.04 5.0 140.0"},
		{"a*(b*v - u)", "a_.Mul(b_.Mul(v_).Sub(u_))", ""},
		{"v - (u - I)", "v_.Sub(u_.Sub(I_))", ""},
		{"0.1*0.2*v", "vk0.Mul(v_)", "0.1 * 0.2"},
		{"-v + 2", "runtime.VecNeg(v_).Add(vk0)", "2.0"},
		{"v**2", "v_.Mul(v_)", ""},
		{"(v - u)**3", "vt0.Mul(vt0).Mul(vt0)", ""},
		{"(v - u)**4", "vt1.Mul(vt1)", ""},
		{"sqrt(v) / u**0.5", "v_.Sqrt().Div(u_.Sqrt())", ""},
		{"v / 2 * 2", "v_.Div(vk0).Mul(vk0)", "2.0"},
		{"exp(-v/u) + tanh(v)", "runtime.VecExp(runtime.VecNeg(v_).Div(u_)).Add(runtime.VecTanh(v_))", ""},
		{"sin(v) * cos(2)", "runtime.VecSin(v_).Mul(vk0)", "math.Cos(2.0)"},
		{"Min(Max(v, 0), 1, u)", "runtime.VecMin(runtime.VecMin(runtime.VecMax(v_, vk0), vk1), u_)", "0.0 1.0"},
		// sine and cosine of one argument: one VecSinCos (pairedTrig)
		{"sin(v - u) * cos(v - u) + sin(u)", "vsin0.Mul(vcos0).Add(runtime.VecSin(u_))", ""},
	}
	for _, tt := range tests {
		n, err := expr.Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		v := (&popGen{w: &exprWriter{}}).vecWriter()
		v.names = map[string]string{"v": "v_", "u": "u_", "I": "I_", "a": "a_", "b": "b_"}
		v.pairedTrig(n)
		got, err := v.value(n)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.in, got, tt.want)
		}
		var consts []string
		for _, c := range v.consts {
			consts = append(consts, strings.TrimSuffix(strings.SplitN(c, "VecConst(", 2)[1], ")"))
		}
		if strings.Join(consts, " ") != tt.consts {
			t.Errorf("%s: constants %q, want %q", tt.in, consts, tt.consts)
		}
	}
	for _, in := range []string{"log(v)", "atan(v)", "v**u", "v**1.5", "abs(v)", "w + v"} {
		n, err := expr.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		v := (&popGen{w: &exprWriter{}}).vecWriter()
		v.names = map[string]string{"v": "v_", "u": "u_"}
		if got, err := v.value(n); !errors.Is(err, errNoVector) {
			t.Errorf("%s: %q, %v; want no vector form", in, got, err)
		}
	}
}

// TestVecMask pins spike conditions as lane masks with Go's compare
// semantics (the ordered predicates: false on NaN, != true on NaN).
func TestVecMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"v >= 30", "v_.GreaterEqual(vk0)"},
		{"v > 30 & u < 2 | v != u", "v_.Greater(vk0).And(u_.Less(vk1)).Or(v_.NotEqual(u_))"},
		{"Eq(v, u)", "v_.Equal(u_)"},
	}
	for _, tt := range tests {
		n, err := expr.Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		v := (&popGen{w: &exprWriter{}}).vecWriter()
		v.names = map[string]string{"v": "v_", "u": "u_"}
		got, err := v.mask(n)
		if err != nil || got != tt.want {
			t.Errorf("%s: %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
