package expr

import (
	"strings"
	"testing"
)

func TestEachCostly(t *testing.T) {
	tests := []struct{ src, want string }{
		{"a + b*c", "a + b * c | b * c"},
		{"exp(-v) + x", "exp(-v) + x | exp(-v)"},
		{"-x", ""},
		{"Piecewise((log(x), x > 0), (0, True))", ""},
		{"Eq(v, 1) | v", ""},
	}
	for _, tt := range tests {
		n, err := Parse(tt.src)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		EachCostly(n, func(s string) { got = append(got, s) })
		if g := strings.Join(got, " | "); g != tt.want {
			t.Errorf("%s: got %q, want %q", tt.src, g, tt.want)
		}
	}
}
