package expr

import (
	"strings"
	"testing"
)

func TestInlineDeclaredFunctions(t *testing.T) {
	sigm := &UserFunc{Params: []string{"v"}, Body: mustParse(t, "2*e0 / (1 + exp(r*(v0 - v)))")}
	declared := map[string]*UserFunc{"Sigm": sigm}
	twice := &UserFunc{Params: []string{"x", "y"}}
	self := &UserFunc{Params: []string{"x"}}
	declared["Twice"], declared["Loop"] = twice, self
	var err error
	if twice.Body, err = ParseWith("Sigm(x) + Sigm(y)", declared); err != nil {
		t.Fatal(err)
	}
	if self.Body, err = ParseWith("Loop(x) + 1", declared); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		src, want, err string
	}{
		{"A*a*Sigm(y1 - y2)", "((A * a) * ((2 * e0) / (1 + exp((r * (v0 - (y1 - y2)))))))", ""},
		{"Twice(a, b)", "(((2 * e0) / (1 + exp((r * (v0 - a))))) + ((2 * e0) / (1 + exp((r * (v0 - b))))))", ""},
		{"exp(Sigm(0))", "exp(((2 * e0) / (1 + exp((r * (v0 - 0))))))", ""},
		{"Loop(1)", "", "calls itself"},
	}
	for _, tt := range tests {
		n, err := ParseWith(tt.src, declared)
		if err != nil {
			t.Fatalf("ParseWith(%q): %v", tt.src, err)
		}
		got, err := Inline(n, declared)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Inline(%q): error %v, want %q", tt.src, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Inline(%q): %v", tt.src, err)
			continue
		}
		if Grouped(got) != tt.want {
			t.Errorf("Inline(%q) =\n %s\nwant\n %s", tt.src, Grouped(got), tt.want)
		}
	}
	// Positions: the body's nodes take the call's column.
	n, _ := ParseWith("1 + Sigm(x)", declared)
	got, _ := Inline(n, declared)
	b := got.(*Binary)
	if b.Y.Pos() != 4 {
		t.Errorf("inlined body at offset %d, want 4 (the call)", b.Y.Pos())
	}
}

func TestParseWithChecksDeclaredArity(t *testing.T) {
	declared := map[string]*UserFunc{"F": {Params: []string{"a", "b"}, Body: mustParse(t, "a*b")}}
	if _, err := ParseWith("F(1)", declared); err == nil || !strings.Contains(err.Error(), "F takes 2 arguments, got 1") {
		t.Errorf("want an arity error, got %v", err)
	}
	if _, err := Parse("F(1, 2)"); err == nil {
		t.Error("Parse must not know a declared function")
	}
	// A declared name never shadows a built-in.
	declared["exp"] = &UserFunc{Params: []string{"x"}, Body: mustParse(t, "x")}
	n, _ := ParseWith("exp(1)", declared)
	if got, _ := Inline(n, declared); got.String() != "exp(1)" {
		t.Errorf("a declared exp replaced the built-in: %s", got)
	}
}
