package expr

import "testing"

func TestExhaustive(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{"Piecewise((1, x > 0), (2, True))", true},
		{"Piecewise((1, x < 0.5), (2, x >= 0.5))", true},                     // tent map
		{"Piecewise((1, x >= 0.5), (2, 0.5 > x))", true},                     // number on the left
		{"Piecewise((1, x > 0.5), (2, x < -0.5), (3, abs(x) <= 0.5))", true}, // Pomeau-Manneville
		{"Piecewise((1, V < -0.06), (2, V >= -0.06))", true},                 // Ex15
		{"Piecewise((1, V < Vt), (2, V >= Vt))", true},                       // no numbers
		{"Piecewise((1, V < Vt), (2, Vt <= V))", true},
		{"Piecewise((1, x < 0), (2, Eq(x, 0)), (3, x > 0))", true},
		{"Piecewise((1, x != 0), (2, Eq(x, 0)))", true},
		{"Piecewise((1, x < 0), (2, x > 0))", false}, // x == 0 is left out
		{"Piecewise((1, x < 0))", false},
		{"Piecewise((1, x < 0), (2, y >= 0))", false},
		{"Piecewise((1, x < 0.5), (2, x > 0.5))", false},
		{"Piecewise((1, x <= 0.5), (2, x >= 0.5))", true},
		{"Piecewise((1, x > 0.5), (2, x < -0.5), (3, abs(x) < 0.5))", false}, // |x| = 0.5
		{"Piecewise((1, abs(x) >= 0), (2, False))", true},
		{"Piecewise((1, abs(x) > -1))", true},
		{"Piecewise((1, x > 0), (2, False))", false},
		{"Piecewise((1, (x > 0) | (x <= 0)))", false}, // true, but not proven
	}
	for _, tt := range tests {
		n, err := Parse(tt.src)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		if got := Exhaustive(n.(*Call).Args); got != tt.want {
			t.Errorf("Exhaustive(%s) = %v, want %v", tt.src, got, tt.want)
		}
	}
}
