package gen

import (
	"fmt"
	"testing"

	"github.com/tvboc/tvboc/compiler/expr"
)

// TestExprToGo pins how equations are printed as Go: operator precedence
// and the written evaluation order kept (floating point is not
// associative), small powers as multiplications, floats never mistaken
// for integer constants.
func TestExprToGo(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a + b * c", "a + b*c"},
		{"(a + b) * c", "(a + b) * c"},
		{"a - (b - c)", "a - (b - c)"},
		{"a - b - c", "a - b - c"},
		{"a / (b * c)", "a / (b * c)"},
		{"a + (b + c)", "a + (b + c)"},
		{"-(-x)", "-(-x)"},
		{"-x**2", "-(x * x)"},
		{"x^2", "x * x"},
		{"(a + b)**2", "pow2(a + b)"},
		{"x**3", "pow3(x)"},
		{"x**0.5", "math.Sqrt(x)"},
		{"x**y", "math.Pow(x, y)"},
		{"3", "3.0"},
		{"1e-3 * v", "0.001 * v"},
		{"exp(-v / 4)", "math.Exp(-v / 4.0)"},
		{"Abs(x)", "math.Abs(x)"},
		{"v > 30 & u < 2 | w >= 1", "v > 30.0 && u < 2.0 || w >= 1.0"},
		{"Eq(v, -46.9)", "v == -46.9"},
		{"Heaviside(x)", "heaviside(x, 0.5)"},
		{"sign(x)", "sign(x)"},
		{"(x + 1) % 1", "mod(x+1.0, 1.0)"},
		{"erfc(x / 2)", "math.Erfc(x / 2.0)"},
	}
	for _, tt := range tests {
		n, err := expr.Parse(tt.in)
		if err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		w := &exprWriter{}
		code, err := w.expr(n)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if got := fmt.Sprintf("%#v", code); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestExprHelpersAreRecorded(t *testing.T) {
	n, _ := expr.Parse("(a + b)**2 + sign(c)")
	w := &exprWriter{}
	if _, err := w.expr(n); err != nil {
		t.Fatal(err)
	}
	if !w.helpers["pow2"] || !w.helpers["sign"] || len(w.helpers) != 2 {
		t.Errorf("helpers %v, want pow2 and sign", w.helpers)
	}
}

func TestFormatFloatRoundTrips(t *testing.T) {
	for _, v := range []float64{0, 1, -1, 0.1, 1e-300, 5e-06, 140, -14.000000000000002, 1e21} {
		s := formatFloat(v)
		var back float64
		if _, err := fmt.Sscan(s, &back); err != nil || back != v {
			t.Errorf("%v printed as %q reads back as %v", v, s, back)
		}
	}
}
