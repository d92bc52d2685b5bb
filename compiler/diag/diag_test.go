package diag

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{Errorf(Pos{"a.yaml", 3, 7}, "unknown key %q", "foo"), `a.yaml:3:7: unknown key "foo"`},
		{Errorf(Pos{"a.yaml", 3, 7}, "bad").WithHint("write %s", "x"), `a.yaml:3:7: bad (write x)`},
		{Errorf(Pos{File: "a.yaml"}, "empty"), `a.yaml: empty`},
		{Errorf(Pos{}, "no pos"), `-: no pos`},
		{Errorf(Pos{"a.yaml", 2, 1}, "x").WithHint(""), `a.yaml:2:1: x`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestShift(t *testing.T) {
	if got := (Pos{"f", 2, 5}).Shift(3); got != (Pos{"f", 2, 8}) {
		t.Errorf("Shift: %v", got)
	}
	if got := (Pos{}).Shift(3); got.IsValid() {
		t.Errorf("Shift of invalid pos became valid: %v", got)
	}
}

func TestList(t *testing.T) {
	var l List
	if l.Err() != nil {
		t.Fatal("empty list is an error")
	}
	l.Add(Errorf(Pos{"f", 1, 1}, "one"))
	if _, ok := l.Err().(*Error); !ok {
		t.Fatalf("single error not unwrapped: %T", l.Err())
	}
	l.Add(List{Errorf(Pos{"f", 2, 1}, "two"), Errorf(Pos{"f", 3, 1}, "three")})
	l.Add(errors.New("plain"))
	if got, want := l.Err().Error(), "f:1:1: one\nf:2:1: two\nf:3:1: three\n-: plain"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
}

func TestSuggest(t *testing.T) {
	known := []string{"exp", "log", "sqrt", "izhikevichCell"}
	tests := []struct{ name, want string }{
		{"expp", "did you mean exp?"},
		{"izhikevichCel", "did you mean izhikevichCell?"},
		{"Sqrt", "did you mean sqrt?"},
		{"erfc", "functions: exp, log, sqrt, izhikevichCell"},
		{"x", "functions: exp, log, sqrt, izhikevichCell"},
	}
	for _, tt := range tests {
		if got := Suggest(tt.name, known, "functions"); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
	for _, tt := range []struct {
		a, b string
		want int
	}{{"kitten", "sitting", 3}, {"tua", "tau", 1}, {"Decya", "Decay", 1}, {"", "abc", 3}, {"abc", "abc", 0}, {"ca", "abc", 3}} {
		if d := EditDistance(tt.a, tt.b); d != tt.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, d, tt.want)
		}
	}
}

// TestListGroupsRepeats: one mistake is one line, however often it occurs.
func TestListGroupsRepeats(t *testing.T) {
	at := func(line int, msg string) *Error { return Errorf(Pos{File: "x.yaml", Line: line, Col: 3}, "%s", msg) }
	var same List
	for i := range 100000 {
		same = append(same, at(i+1, fmt.Sprintf("node %d: unknown parameter \"q\"", i)))
	}
	var many List
	for i := range 30 {
		many = append(many, at(i+1, fmt.Sprintf("mistake %c", 'a'+i)))
	}
	tests := []struct {
		name string
		list List
		want string
	}{
		{"identical twice", List{at(1, "bad"), at(1, "bad")}, "x.yaml:1:3: bad"},
		{"same message elsewhere", List{at(1, "bad"), at(2, "bad"), at(3, "other")}, "x.yaml:1:3: bad (and 1 more like it)\nx.yaml:3:3: other"},
		{"differing only in numbers", same, "x.yaml:1:3: node 0: unknown parameter \"q\" (and 99,999 more like it)"},
		{"more than MaxListed", many, strings.Join(func() []string {
			var lines []string
			for i := range MaxListed {
				lines = append(lines, fmt.Sprintf("x.yaml:%d:3: mistake %c", i+1, 'a'+i))
			}
			return append(lines, "and 10 more errors")
		}(), "\n")},
	}
	for _, tt := range tests {
		if got := tt.list.Error(); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

// TestShortenQuoted: a message repeats a long quoted text (an equation of
// 200 KB) by its start and its end, and short ones whole.
func TestShortenQuoted(t *testing.T) {
	long := strings.Repeat("(", 100000) + "x" + strings.Repeat(")", 100000)
	msg := Errorf(Pos{File: "e.yaml", Line: 1, Col: 1}, "too deep in %q", long).Error()
	if len(msg) > 400 || !strings.Contains(msg, "… (200003 characters) …") || !strings.HasPrefix(msg, `e.yaml:1:1: too deep in "(((`) || !strings.HasSuffix(msg, `)))"`) {
		t.Errorf("%d bytes: %.300s", len(msg), msg)
	}
	if got := Errorf(Pos{}, "bad %q", "a*x").Msg; got != `bad "a*x"` {
		t.Errorf("a short quote changed: %s", got)
	}
}
