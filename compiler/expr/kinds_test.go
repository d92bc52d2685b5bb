package expr

import (
	"strings"
	"testing"
)

// TestSettle: conditions inside arithmetic, comparisons and function
// arguments become 1/0; a number under &, |, ! or as a Piecewise
// condition is an error at its column; a mask subscript is left alone.
func TestSettle(t *testing.T) {
	tests := []struct{ src, want string }{
		{"-(x > a)", "-Piecewise((1, x > a), (0, True))"},
		{"(t >= t0) * q", "Piecewise((1, t >= t0), (0, True)) * q"},
		{"Min(x > 1, 2)", "Min(Piecewise((1, x > 1), (0, True)), 2)"},
		{"Piecewise((x > 1, x > 0), (0, True))", "Piecewise((Piecewise((1, x > 1), (0, True)), x > 0), (0, True))"},
		{"(x > 0) & (y < 1)", "x > 0 & y < 1"},
		{"w / mean(w[w > 0])", "w / mean(w[w > 0])"},
		{"x & y", "col 1: x is a number where a condition is needed"},
		{"(x > 0) | 2*y", "col 12: 2 * y is a number where a condition is needed"},
		{"!x", "col 2: x is a number where a condition is needed"},
	}
	for _, tt := range tests {
		n, err := Parse(tt.src)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		settled, err := Settle(tt.src, n)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = settled.String()
		}
		if !strings.HasPrefix(got, tt.want) {
			t.Errorf("Settle(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
	// a condition where a number is needed, at the top
	if n, _ := ParseNumber("x < 1"); n.String() != "Piecewise((1, x < 1), (0, True))" {
		t.Errorf("ParseNumber(x < 1) = %s", n)
	}
	if c, ok := Indicator(AsNumber(mustParse(t, "x < 1"))); !ok || c.String() != "x < 1" {
		t.Errorf("Indicator does not find the condition of AsNumber: %v %v", c, ok)
	}
	if _, ok := Indicator(mustParse(t, "Piecewise((2, x < 1), (0, True))")); ok {
		t.Error("Indicator takes a Piecewise of 2 for a condition")
	}
}

// BenchmarkStringLongSum prints a 2000-term sum, as the compiler prints
// subtrees for its keys: linear in the length since the printers write
// into one builder (by concatenation, gen of such a rate took 5 s, and
// 50 s at 5000 terms).
func BenchmarkStringLongSum(b *testing.B) {
	src := strings.Repeat("a*x + ", 1999) + "a*x"
	n, err := Parse(src)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		_ = n.String()
	}
}
