package lems

import (
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/expr"
)

// TestPrint checks the SymPy-to-LEMS expression printer, including the
// substitutions that keep equations in the YAML's own numbers and the
// ConditionalDerivedVariables lifted out of Min, Max and Piecewise.
func TestPrint(t *testing.T) {
	tests := []struct {
		src    string
		want   string
		lifted []string // "name: cond -> value | default"
	}{
		{"(leakReversal - v) / tau", "((leakReversal - (v / UNIT_mV)) / tau)", nil},
		{"V - V**3/3", "(V - ((V ^ 3) / 3))", nil},
		{"-x", "(0 - x)", nil},
		{"exp(-x) + log(y) + ceiling(z)", "((exp((0 - x)) + ln(y)) + ceil(z))", nil},
		{"pow(x, 2)", "(x ^ 2)", nil},
		{"t >= 5 & t < 10", "(((t / TIME_SCALE) .geq. 5) .and. ((t / TIME_SCALE) .lt. 10))", nil},
		{"a > b | a == b", "((a .gt. b) .or. (a .eq. b))", nil},
		{"!(a < b)", "(a .geq. b)", nil},
		{"pi", "3.141592653589793", nil},
		{"Min(a, b)", "q_case1", []string{"q_case1: a .leq. b -> a | b"}},
		{"Max(a, b, c)", "q_case2", []string{"q_case1: a .geq. b -> a | b", "q_case2: q_case1 .geq. c -> q_case1 | c"}},
		{"Piecewise((1, x < 0), (2, True))", "q_case1", []string{"q_case1: (x .lt. 0) -> 1 | 2"}},
		{"Piecewise((1, x < 0))", "q_case1", []string{"q_case1: (x .lt. 0) -> 1 | 0/0"}},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			n, err := expr.Parse(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			p := &printer{
				subst: map[string]string{"v": "(v / UNIT_mV)", "t": "(t / TIME_SCALE)"},
				owner: "q", used: map[string]bool{},
			}
			got, err := p.print(n)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("print(%q) = %q, want %q", tt.src, got, tt.want)
			}
			var lifted []string
			for _, c := range p.lifted {
				var parts []string
				for _, k := range c.cases {
					if k.condition == "" {
						parts = append(parts, k.value)
					} else {
						parts = append(parts, k.condition+" -> "+k.value)
					}
				}
				lifted = append(lifted, c.name+": "+strings.Join(parts, " | "))
			}
			if strings.Join(lifted, "\n") != strings.Join(tt.lifted, "\n") {
				t.Errorf("lifted:\n%s\nwant:\n%s", strings.Join(lifted, "\n"), strings.Join(tt.lifted, "\n"))
			}
		})
	}
}

func TestPrintUnsupported(t *testing.T) {
	for _, src := range []string{"atan2(y, x)", "asin(x)", "mean(w)", "x[0]", "!x"} {
		n, err := expr.Parse(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		p := &printer{subst: map[string]string{}, owner: "q", used: map[string]bool{}}
		if got, err := p.print(n); err == nil {
			t.Errorf("print(%q) = %q, want an error", src, got)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	tests := map[float64]string{30: "30", -70: "-70", 0.02: "0.02", 0.005: "0.005", 2000: "2000", 1e-5: "1e-05", 1.5e20: "1.5e+20"}
	for v, want := range tests {
		if got := formatNumber(v); got != want {
			t.Errorf("formatNumber(%v) = %q, want %q", v, got, want)
		}
	}
}
