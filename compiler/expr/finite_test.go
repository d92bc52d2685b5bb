package expr

import "testing"

func TestNonFinite(t *testing.T) {
	values := map[string]float64{"a": 2, "zero": 0, "big": 1e308}
	lookup := func(name string) (float64, bool) { v, ok := values[name]; return v, ok }
	tests := []struct {
		src, bad, why string // bad "" for none
	}{
		{"omega*y/0", "omega * y / 0", "omega * y / 0 divides by zero"},
		{"x/zero", "x / zero", "x / zero divides by zero"},
		{"x/(zero + x)", "", ""},
		{"a/zero", "a / zero", "a / zero divides 2 by zero"},
		{"x + a/zero", "a / zero", "a / zero divides 2 by zero"},
		{"log(-1)", "log(-1)", "log(-1) is NaN"},
		{"big*10 + x", "big * 10", "1e+308 * 10 is +Inf"},
		{"0/0", "0 / 0", "0 / 0 divides 0 by zero"},
		{"exp(1000)", "exp(1000)", "exp(1000) is +Inf"},
		{"Piecewise((a/zero, zero > 1), (1, True))", "", ""},
		{"Piecewise((a/zero, zero < 1), (1, True))", "a / zero", "a / zero divides 2 by zero"},
		{"x*random()/zero", "x * random() / zero", "x * random() / zero divides by zero"},
		{"x*random()/a", "", ""},
		{"sqrt(a) + pi", "", ""},
	}
	for _, tt := range tests {
		n, err := Parse(tt.src)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.src, err)
		}
		bad, why := NonFinite(n, lookup)
		want := tt.bad
		if tt.why == "" {
			want = ""
		}
		got := ""
		if bad != nil {
			got = bad.String()
		}
		if got != want || why != tt.why {
			t.Errorf("NonFinite(%q) = %q, %q; want %q, %q", tt.src, got, why, want, tt.why)
		}
	}
}
