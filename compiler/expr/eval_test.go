package expr

import (
	"errors"
	"math"
	"slices"
	"testing"
)

// env is a lookup over a fixed set of values.
func env(values map[string]float64) func(string) (float64, bool) {
	return func(name string) (float64, bool) {
		v, ok := values[name]
		return v, ok
	}
}

func TestEval(t *testing.T) {
	vars := env(map[string]float64{
		"a": 2, "b": 3, "c": -4, "x": 0.5, "zero": 0,
		"v": -40, "Vs": -46.9, "t": 150, "delay": 100, "duration": 100,
		"w": 2, "amp": 0.5, "pi": 3, // pi shadows the constant
	})
	tests := []struct {
		src  string
		want float64
	}{
		// Arithmetic and precedence, computed by hand.
		{"1 + 2*3", 7},
		{"(1 + 2)*3", 9},
		{"a - b - c", 3},       // (2-3)-(-4)
		{"a / b / 2", 1.0 / 3}, // (2/3)/2
		{"2**3**2", 512},       // 2**9, right associative
		{"2^3", 8},
		{"-a**2", -4},  // -(a**2)
		{"(-a)**2", 4}, // parentheses first
		{"2**-1", 0.5},
		{"--a", 2},
		{"+a", 2},
		{"1e-3 * 2.0E+3", 2},
		{".5 + 1.", 1.5},
		// Comparisons and logic give 1 or 0.
		{"a < b", 1},
		{"a > b", 0},
		{"a <= 2", 1},
		{"a >= 2.5", 0},
		{"a == 2", 1},
		{"a != 2", 0},
		{"a < b & b < 1", 0},
		{"a < b | b < 1", 1},
		{"t >= delay & t < delay + duration", 1},
		{"!(a < b)", 0},
		{"~zero", 1},
		{"True + True", 2},
		{"False", 0},
		// Functions.
		{"exp(0)", 1},
		{"log(1)", 0},
		{"sqrt(16)", 4},
		{"sin(0) + cos(0) + tan(0)", 1},
		{"asin(1)", math.Pi / 2},
		{"acos(1)", 0},
		{"atan(1)", math.Pi / 4},
		{"sinh(0) + cosh(0) + tanh(0)", 1},
		{"abs(c) + Abs(-1)", 5},
		{"sign(c) + sign(a) + sign(zero)", 0},
		{"floor(-1.5) + ceiling(1.2)", 0}, // -2 + 2
		{"atan2(1, 1)", math.Pi / 4},
		{"atan2(1, -1)", 3 * math.Pi / 4},
		{"Min(a, b, c)", -4},
		{"max(a, b, c)", 3},
		{"Min(0.00002*200, 0.01)", 0.004},
		{"Heaviside(c)", 0},
		{"Heaviside(a)", 1},
		{"Heaviside(zero)", 0.5},
		{"Heaviside(zero, 1)", 1},
		{"Eq(a, 2)", 1},
		{"Ne(a, 2)", 0},
		{"pow(a, 10)", 1024},
		{"Pow(4, 0.5)", 2},
		{"erfc(0) + erf(0)", 1},
		{"erfc(1)", math.Erfc(1)},
		// % is the floored remainder, with the sign of the divisor, as in
		// Python and SymPy (math.Mod would give -1 and 1 for the two below).
		{"7 % 3", 1},
		{"-7 % 3", 2},
		{"7 % -3", -2},
		{"5.5 % 1", 0.5},
		{"Mod(-1, 4) + mod(9, 4)", 4},
		{"2 * 7 % 4", 2},
		{"mean(a)", 2},
		// Piecewise takes the first true branch.
		{"Piecewise((1, a > 0), (2, True))", 1},
		{"Piecewise((1, a < 0), (2, True))", 2},
		{"Piecewise((1, a > 0), (2, a > 1))", 1},
		{"Piecewise((0.1, Eq(v, -40.0)), (7, True))", 0.1},
		{"Piecewise((w*amp, (t >= delay) & (t < delay + duration)), (0, True))", 1},
		// Constants, and shadowing by the lookup.
		{"E", math.E},
		{"pi", 3},
		// The singular point of an HH rate is guarded by Eq; the guarded
		// branch is not evaluated at all, so 0/0 does not leak.
		{"Piecewise((0.32/4.0, Eq(Vs, -46.9)), (0.32*(-46.9 - Vs)/(exp((-46.9 - Vs)/4.0) - 1.0), True))", 0.08},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			got, err := Eval(mustParse(t, tt.src), vars)
			if err != nil {
				t.Fatalf("Eval(%q): %v", tt.src, err)
			}
			if math.Abs(got-tt.want) > 1e-12*math.Max(1, math.Abs(tt.want)) {
				t.Errorf("Eval(%q) = %v, want %v", tt.src, got, tt.want)
			}
		})
	}
}

func TestEvalModelEquation(t *testing.T) {
	// FitzHugh-Nagumo dV/dt at V=2, W=0.5, I=1: 2 - 8/3 - 0.5 + 1.
	n := mustParse(t, "V - V**3/3 - W + I")
	got, err := Eval(n, env(map[string]float64{"V": 2, "W": 0.5, "I": 1}))
	if err != nil {
		t.Fatal(err)
	}
	if want := 2 - 8.0/3 - 0.5 + 1; math.Abs(got-want) > 1e-15 {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestEvalIEEE(t *testing.T) {
	tests := []struct {
		src   string
		check func(float64) bool
		what  string
	}{
		{"1/0", func(v float64) bool { return math.IsInf(v, 1) }, "+Inf"},
		{"log(0 - 1)", math.IsNaN, "NaN"},
		{"Min(1, sqrt(0 - 1))", math.IsNaN, "NaN (Min propagates NaN)"},
		{"Max(sqrt(0 - 1), 1)", math.IsNaN, "NaN (Max propagates NaN)"},
		{"Heaviside(sqrt(0 - 1))", math.IsNaN, "NaN"},
	}
	for _, tt := range tests {
		got, err := Eval(mustParse(t, tt.src), nil)
		if err != nil {
			t.Errorf("Eval(%q): %v", tt.src, err)
			continue
		}
		if !tt.check(got) {
			t.Errorf("Eval(%q) = %v, want %s", tt.src, got, tt.what)
		}
	}
}

func TestEvalErrors(t *testing.T) {
	tests := []struct {
		name string
		n    Node
		want string
		pos  Pos
	}{
		{"unknown name", mustParse(t, "a + bogus"), `unknown name "bogus"`, 4},
		{"unknown name inside call", mustParse(t, "exp(k)"), `unknown name "k"`, 4},
		{"no true branch", mustParse(t, "Piecewise((1, a < 0))"), "no condition of Piecewise((1, a < 0)) is true", 0},
		{"index", mustParse(t, "x_j[0]"), "cannot evaluate x_j[0]: indexing has no scalar value", 3},
		{"mean of a mask", mustParse(t, "mean(w[w > 0])"), "cannot evaluate w[w > 0]: indexing has no scalar value", 6},
		{"nil node", nil, "missing expression (nil node)", 0},
		{"hand-built tuple", &Tuple{P: 3, Elems: []Node{&Num{Value: 1}}}, "a tuple has no value outside Piecewise", 3},
		{"hand-built unknown function", &Call{P: 1, Func: "frob"}, `unknown function "frob"`, 1},
		{"hand-built bad arity", &Call{Func: "exp"}, "exp takes 1 argument, got 0", 0},
		{"hand-built bad Piecewise", &Call{Func: "Piecewise", Args: []Node{&Num{P: 2, Value: 1}}}, "Piecewise argument 1 must be a (value, condition) pair", 2},
		{"hand-built operator", &Binary{P: 5, Op: "%", X: &Num{Value: 1}, Y: &Num{Value: 2}}, `unknown binary operator "%"`, 5},
		{"hand-built unary", &Unary{P: 1, Op: "+", X: &Num{Value: 1}}, `unknown unary operator "+"`, 1},
		{"nil child", &Binary{Op: "+", X: &Num{Value: 1}}, "missing expression (nil node)", 0},
	}
	lookup := env(map[string]float64{"a": 1, "w": 1})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Eval(tt.n, lookup)
			if err == nil {
				t.Fatalf("Eval = %v, want error %q", v, tt.want)
			}
			var eerr *EvalError
			if !errors.As(err, &eerr) {
				t.Fatalf("error %T, want *EvalError", err)
			}
			if err.Error() != tt.want || eerr.P != tt.pos {
				t.Errorf("error %q at %d, want %q at %d", err, eerr.P, tt.want, tt.pos)
			}
		})
	}
}

func TestEvalNilLookupUsesConstants(t *testing.T) {
	got, err := Eval(mustParse(t, "2*pi"), nil)
	if err != nil || got != 2*math.Pi {
		t.Errorf("Eval(2*pi, nil) = %v, %v; want %v", got, err, 2*math.Pi)
	}
}

func TestIdents(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{"1 + 2", nil},
		{"True & False", nil},
		{"b + a + b", []string{"a", "b"}},
		{"exp(x) + Min(y, 2)", []string{"x", "y"}},
		{"2*pi*E", []string{"E", "pi"}},
		{"Piecewise((w*amp, (t >= delay) & (t < delay + duration)), (0, True))",
			[]string{"amp", "delay", "duration", "t", "w"}},
		{"x_j[0] - x_j[k]", []string{"k", "x_j"}},
		{"Z + a + _b", []string{"Z", "_b", "a"}}, // byte order
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			if got := Idents(mustParse(t, tt.src)); !slices.Equal(got, tt.want) {
				t.Errorf("Idents(%q) = %q, want %q", tt.src, got, tt.want)
			}
		})
	}
}

func TestInspect(t *testing.T) {
	n := mustParse(t, "a + exp(b * c)")
	var visited []string
	Inspect(n, func(n Node) bool {
		visited = append(visited, Grouped(n))
		_, isCall := n.(*Call)
		return !isCall // do not descend into calls
	})
	want := []string{"(a + exp((b * c)))", "a", "exp((b * c))"}
	if !slices.Equal(visited, want) {
		t.Errorf("visited %q, want %q", visited, want)
	}
}

func TestRewrite(t *testing.T) {
	n := mustParse(t, "Piecewise((-a + b*c, x_j[0] > E), (exp(1), True))")
	before := Grouped(n)

	t.Run("order is post-order", func(t *testing.T) {
		var order []string
		Rewrite(n, func(n Node) Node {
			order = append(order, Grouped(n))
			return nil
		})
		want := []string{
			"a", "(-a)", "b", "c", "(b * c)", "((-a) + (b * c))",
			"x_j", "0", "x_j[0]", "E", "(x_j[0] > E)",
			"(((-a) + (b * c)), (x_j[0] > E))",
			"1", "exp(1)", "True", "(exp(1), True)",
			before,
		}
		if !slices.Equal(order, want) {
			t.Errorf("visit order\n got: %q\nwant: %q", order, want)
		}
	})

	t.Run("replaces names", func(t *testing.T) {
		got := Rewrite(n, func(n Node) Node {
			if id, ok := n.(*Ident); ok && id.Name == "a" {
				return &Num{P: id.P, Value: 7}
			}
			return nil
		})
		want := "Piecewise((((-7) + (b * c)), (x_j[0] > E)), (exp(1), True))"
		if Grouped(got) != want {
			t.Errorf("got %s\nwant %s", Grouped(got), want)
		}
	})

	t.Run("folds constants bottom-up", func(t *testing.T) {
		folded := Rewrite(mustParse(t, "x * (2 + 3*4)"), func(n Node) Node {
			if b, ok := n.(*Binary); ok {
				_, xNum := b.X.(*Num)
				_, yNum := b.Y.(*Num)
				if xNum && yNum {
					v, err := Eval(b, nil)
					if err == nil {
						return &Num{P: b.P, Value: v}
					}
				}
			}
			return nil
		})
		if got, want := Grouped(folded), "(x * 14)"; got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	})

	t.Run("never mutates the input", func(t *testing.T) {
		Rewrite(n, func(n Node) Node {
			// An f that edits its argument in place must only touch copies.
			switch n := n.(type) {
			case *Ident:
				n.Name = "zz"
			case *Num:
				n.Text, n.Value = "99", 99
			case *Binary:
				n.Op = "-"
			case *Call:
				n.Args = nil
			}
			return nil
		})
		if after := Grouped(n); after != before {
			t.Errorf("input changed\nbefore: %s\n after: %s", before, after)
		}
	})

	t.Run("nil function copies", func(t *testing.T) {
		c := Rewrite(n, nil)
		if c == n || Grouped(c) != before {
			t.Errorf("Rewrite(n, nil) = %s (same pointer: %v), want an equal copy", c, c == n)
		}
	})

	t.Run("nil node", func(t *testing.T) {
		called := false
		if got := Rewrite(nil, func(Node) Node { called = true; return nil }); got != nil || called {
			t.Errorf("Rewrite(nil) = %v, f called %v; want nil, false", got, called)
		}
	})
}
