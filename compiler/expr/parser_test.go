package expr

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// mustParse parses src or fails the test.
func mustParse(t *testing.T, src string) Node {
	t.Helper()
	n, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return n
}

// checkRoundTrip asserts that the canonical form of n re-parses to the
// same canonical form.
func checkRoundTrip(t *testing.T, n Node) {
	t.Helper()
	s := n.String()
	again, err := Parse(s)
	if err != nil {
		t.Fatalf("canonical form %q does not re-parse: %v", s, err)
	}
	if got := again.String(); got != s {
		t.Fatalf("round trip changed the canonical form:\n first: %s\nsecond: %s", s, got)
	}
	// The fewer parentheses of String must not lose the tree's shape.
	if got, want := Grouped(again), Grouped(n); got != want {
		t.Fatalf("canonical form %s re-parses as %s, not %s", s, got, want)
	}
}

func TestParseCanonical(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		// Atoms.
		{"integer", "1", "1"},
		{"decimal", "1.5", "1.5"},
		{"leading dot", ".5", ".5"},
		{"trailing dot", "1.", "1."},
		{"exponent", "1e-3", "1e-3"},
		{"signed upper exponent", "2.0E+5", "2.0E+5"},
		{"identifier with underscore and digits", "alpha_ms2", "alpha_ms2"},
		{"leading underscore", "_x", "_x"},
		{"unicode letter", "τ_m", "τ_m"},
		{"True", "True", "True"},
		{"False", "False", "False"},
		{"constant stays a name", "pi", "pi"},
		{"surrounding space", "  x \t\n", "x"},
		{"redundant parentheses vanish", "((x))", "x"},

		// Precedence, lowest to highest.
		{"or below and", "a | b & c", "(a | (b & c))"},
		{"and below comparison", "t >= d & t < e", "((t >= d) & (t < e))"},
		{"or below comparison", "x < 0 | x > 1", "((x < 0) | (x > 1))"},
		{"comparison below sum", "a + b < c - d", "((a + b) < (c - d))"},
		{"sum below product", "a + b * c", "(a + (b * c))"},
		{"remainder is a product-level Mod call", "a + b % c", "(a + Mod(b, c))"},
		{"remainder left to right", "a * b % c / d", "(Mod((a * b), c) / d)"},
		{"product below unary", "-a * b", "((-a) * b)"},
		{"unary below power", "-x**2", "(-(x ** 2))"},
		{"unary below caret power", "-x^2", "(-(x ** 2))"},
		{"not below comparison", "!v > 0", "(!(v > 0))"},
		{"tilde is not", "~(v > 0)", "(!(v > 0))"},
		{"not above and", "!a & b", "((!a) & b)"},
		{"parentheses override", "(a + b) * c", "((a + b) * c)"},

		// Associativity.
		{"minus is left associative", "a - b - c", "((a - b) - c)"},
		{"division is left associative", "a / b / c", "((a / b) / c)"},
		{"mixed product", "a / b * c", "((a / b) * c)"},
		{"power is right associative", "a**b**c", "(a ** (b ** c))"},
		{"caret is right associative", "a^b^c", "(a ** (b ** c))"},
		{"and is left associative", "a & b & c", "((a & b) & c)"},
		{"or is left associative", "a | b | c", "((a | b) | c)"},

		// Unary operators.
		{"negative exponent", "2**-1", "(2 ** (-1))"},
		{"negative power exponent chain", "2**-x**2", "(2 ** (-(x ** 2)))"},
		{"power of negated group", "(-x)**2", "((-x) ** 2)"},
		{"unary plus is dropped", "+x", "x"},
		{"double minus", "--x", "(-(-x))"},
		{"minus plus", "-+x", "(-x)"},
		{"binary minus then unary", "a - -b", "(a - (-b))"},

		// Calls and function aliases.
		{"call", "exp(-(v + 65.0)/20.0)", "exp(((-(v + 65.0)) / 20.0))"},
		{"space before call parenthesis", "exp (73 *(V - (-0.038)))", "exp((73 * (V - (-0.038))))"},
		{"Abs becomes abs", "Abs(x)", "abs(x)"},
		{"Pow becomes pow", "Pow(x, 2)", "pow(x, 2)"},
		{"lower-case max", "max(a, b, c)", "Max(a, b, c)"},
		{"Min", "Min(0.00002*Cad, 0.01)", "Min((0.00002 * Cad), 0.01)"},
		{"Heaviside with value at zero", "Heaviside(x, 1)", "Heaviside(x, 1)"},
		{"Eq", "Eq(Vs, -46.9)", "Eq(Vs, (-46.9))"},
		{"nested calls", "sin(cos(x))", "sin(cos(x))"},

		// Piecewise and conditions from the reference files.
		{"Piecewise with Eq guard",
			"Piecewise((0.32/4.0, Eq(Vs, -46.9)), (0.32*(-46.9 - Vs)/(exp((-46.9 - Vs)/4.0) - 1.0), True))",
			"Piecewise(((0.32 / 4.0), Eq(Vs, (-46.9))), (((0.32 * ((-46.9) - Vs)) / (exp((((-46.9) - Vs) / 4.0)) - 1.0)), True))"},
		{"Piecewise with pulse window",
			"Piecewise((w*amp, (t >= delay) & (t < delay + duration)), (0, True))",
			"Piecewise(((w * amp), ((t >= delay) & (t < (delay + duration)))), (0, True))"},
		{"Piecewise tuple with parenthesised value",
			"Piecewise(( ( 0 ) * TIME_SCALE , (ALPHA + BETA) == 0), ( 1 , True))",
			"Piecewise(((0 * TIME_SCALE), ((ALPHA + BETA) == 0)), (1, True))"},
		{"single branch Piecewise", "Piecewise((1, x > 0))", "Piecewise((1, (x > 0)))"},
		{"caret power in polynomial", "0.04*v^2 + 5*v + 140 - U + I",
			"(((((0.04 * (v ** 2)) + (5 * v)) + 140) - U) + I)"},

		// Indexing (TVBO connectome transforms and coupling functions).
		{"index by number", "x_j[0] - x_j[1]", "(x_j[0] - x_j[1])"},
		{"boolean mask", "weight / mean(weight[weight > 0])", "(weight / mean(weight[(weight > 0)]))"},
		{"chained index", "a[0][1]", "a[0][1]"},
		{"power of index", "x[0]**2", "(x[0] ** 2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := mustParse(t, tt.src)
			if got := Grouped(n); got != tt.want {
				t.Errorf("Grouped(Parse(%q))\n got: %s\nwant: %s", tt.src, got, tt.want)
			}
			checkRoundTrip(t, n)
		})
	}
}

// positioned prints a tree with the offset of every node, for checking
// that positions point at the right token.
func positioned(n Node) string {
	switch n := n.(type) {
	case *Num, *Bool, *Ident:
		return fmt.Sprintf("%s@%d", n, n.Pos())
	case *Unary:
		return fmt.Sprintf("(%s@%d %s)", n.Op, n.P, positioned(n.X))
	case *Binary:
		return fmt.Sprintf("(%s %s@%d %s)", positioned(n.X), n.Op, n.P, positioned(n.Y))
	case *Call:
		var args []string
		for _, a := range n.Args {
			args = append(args, positioned(a))
		}
		return fmt.Sprintf("%s@%d(%s)", n.Func, n.P, strings.Join(args, " "))
	case *Tuple:
		var elems []string
		for _, e := range n.Elems {
			elems = append(elems, positioned(e))
		}
		return fmt.Sprintf("tuple@%d(%s)", n.P, strings.Join(elems, " "))
	case *Index:
		return fmt.Sprintf("%s[@%d %s]", positioned(n.X), n.P, positioned(n.Index))
	}
	return fmt.Sprintf("?%T", n)
}

func TestParsePositions(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"a + b*c", "(a@0 +@2 (b@4 *@5 c@6))"},
		{"-x**2", "(-@0 (x@1 ^@2 2@4))"},
		{"  exp(v)", "exp@2(v@6)"},
		{"Abs(1.5e3)", "abs@0(1.5e3@4)"},
		{"Piecewise((1, True))", "Piecewise@0(tuple@10(1@11 True@14))"},
		{"x_j[0]", "x_j@0[@3 0@4]"},
		{"!(a | b)", "(!@0 (a@2 |@4 b@6))"},
		{"(a)", "a@1"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			if got := positioned(mustParse(t, tt.src)); got != tt.want {
				t.Errorf("positions of %q\n got: %s\nwant: %s", tt.src, got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // the full Error(): column and message
	}{
		{"empty", "", "col 1: empty expression"},
		{"only space", "   ", "col 1: empty expression"},
		{"dangling operator", "a +", "col 4: unexpected end of expression: an operand is missing"},
		{"missing operand", "a + * b", `col 5: expected an operand, found "*"`},
		{"operator after paren", "(* a)", `col 2: expected an operand, found "*"`},
		{"unclosed paren", "(a + b", `col 1: "(" is never closed`},
		{"unclosed inner paren", "a * (b + (c)", `col 5: "(" is never closed`},
		{"unclosed call", "exp(x", `col 4: "(" is never closed`},
		{"extra close paren", "a + b)", `col 6: unexpected ")" without a matching "("`},
		{"wrong closer", "(a + b]", `col 7: expected "," or ")" to close "(" at col 1, found "]"`},
		{"empty parens", "()", `col 1: empty parentheses "()"`},
		{"trailing comma in call", "Min(a, b,)", `col 10: expected an operand, found ")"`},
		{"trailing garbage", "a b", `col 3: implicit multiplication is not supported: write "a*b"`},
		{"implicit number times name", "2 x", `col 3: implicit multiplication is not supported: write "2*x"`},
		{"implicit number glued to name", "2x", `col 2: implicit multiplication is not supported: write "2*x"`},
		{"implicit number times group", "2(x+1)", `col 2: implicit multiplication is not supported: write "2*(x+1)"`},
		{"implicit group times group", "(a)(b)", `col 4: implicit multiplication is not supported: write "(a)*(b)"`},
		{"implicit group times call", "(a) exp(b)", `col 5: implicit multiplication is not supported: write "(a)*exp(b)"`},
		// The hint is a textual insertion point: "x**2*y" is (x**2)*y.
		{"implicit after power", "x**2 y", `col 6: implicit multiplication is not supported: write "2*y"`},
		{"implicit long operands shortened", "(aaaaaaaaaa+bbbbbbbbbb)(cccccccccc+dddddddddd)",
			`col 24: implicit multiplication is not supported: write "...aaaaaaaa+bbbbbbbbbb)*(cccccccccc+dddddddd..."`},
		{"python and", "a > 0 and b > 0", `col 7: "and" is not supported: write "&"`},
		{"python or", "a or b", `col 3: "or" is not supported: write "|"`},
		{"python not", "not a", `col 1: "not" is not supported: write "!"`},
		{"double ampersand", "a && b", `col 3: unexpected "&&": write "&" for logical and`},
		{"double bar", "a || b", `col 3: unexpected "||": write "|" for logical or`},
		{"chained comparison", "a < b < c", `col 7: comparisons cannot be chained: combine them with "&", as in "(a < b) & (b < c)"`},
		{"chained equality", "a == b == c", `col 8: comparisons cannot be chained: combine them with "&", as in "(a < b) & (b < c)"`},
		{"assignment in expression", "v = 1", `col 3: unexpected "=": write "==" to compare`},
		{"semicolon in expression", "a; b", `col 2: unexpected ";": only event affects list several assignments`},
		{"unknown function", "foo(x)", `col 1: unknown function "foo"`},
		{"unknown function inside", "1 + bar(x, y)", `col 5: unknown function "bar"`},
		{"name used as function", "a (b + c)", `col 1: unknown function "a"`},
		{"too many arguments", "exp(1, 2)", "col 1: exp takes 1 argument, got 2"},
		{"no arguments", "sin()", "col 1: sin takes 1 argument, got 0"},
		{"too few for variadic", "Min(a)", "col 1: Min takes at least 2 arguments, got 1"},
		{"alias keeps written name", "max(a)", "col 1: max takes at least 2 arguments, got 1"},
		{"optional argument", "Heaviside(1, 2, 3)", "col 1: Heaviside takes 1 or 2 arguments, got 3"},
		{"two required", "atan2(y)", "col 1: atan2 takes 2 arguments, got 1"},
		{"Piecewise without arguments", "Piecewise()", "col 1: Piecewise takes at least 1 argument, got 0"},
		{"Piecewise bare argument", "Piecewise(a, True)", "col 11: Piecewise argument 1 must be a (value, condition) pair"},
		{"Piecewise second bare", "Piecewise((a, b), c)", "col 19: Piecewise argument 2 must be a (value, condition) pair"},
		{"Piecewise numeric condition", "Piecewise((1, x - 0.5), (0, True))", "col 17: the condition of Piecewise argument 1 is a number, not a comparison (write e.g. x > 0, or True for the default)"},
		{"Piecewise triple", "Piecewise((1, 2, 3))", "col 11: Piecewise argument 1 must be a (value, condition) pair, not 3 elements"},
		{"top-level tuple", "(a, b)", "col 1: a tuple is only allowed as a (value, condition) argument of Piecewise"},
		{"tuple in arithmetic", "1 + (a, b)", "col 5: a tuple is only allowed as a (value, condition) argument of Piecewise"},
		{"tuple as function argument", "exp((a, b))", "col 5: a tuple is only allowed as a (value, condition) argument of Piecewise"},
		{"tuple inside Piecewise tuple", "Piecewise(((1, 2), True))", "col 12: a tuple is only allowed as a (value, condition) argument of Piecewise"},
		{"tuple inside Piecewise value", "Piecewise((-(1, 2), True))", "col 13: a tuple is only allowed as a (value, condition) argument of Piecewise"},
		{"not inside arithmetic", "1 + !a", `col 5: put the negated condition in parentheses: "(!...)"`},
		{"index of number", "2[0]", `col 2: only a name can be indexed, as in "x[0]"`},
		{"index of call", "exp(x)[0]", `col 7: only a name can be indexed, as in "x[0]"`},
		{"empty index", "x[]", `col 3: missing index inside "[]"`},
		{"unclosed index", "x[0", `col 2: "[" is never closed`},
		{"stray close bracket", "x]", `col 2: unexpected "]" without a matching "["`},
		{"bad character", "a $ b", `col 3: unexpected character "$"`},
		{"dollar", "a $ b", `col 3: unexpected character "$"`},
		{"times sign from a paper", "2×x", `col 2: unexpected character "×": write "*"`},
		{"minus sign from a paper", "a − b", `col 3: unexpected character "−": write "-"`},
		{"superscript square", "x²", `col 2: unexpected character "²": write "**2"`},
		{"at most sign", "x ≤ 1", `col 3: unexpected character "≤": write "<="`},
		{"symbol inside a name", "m_∞", `col 3: unexpected character "∞"`},
		{"remainder without divisor", "a %", `col 4: unexpected end of expression: an operand is missing`},
		{"exponent without digits", "1e+", `col 1: malformed number "1e+": exponent has no digits`},
		{"two dots", "1.2.3", `col 1: malformed number "1.2."`},
		{"huge number", "1e999", "col 1: number 1e999 is too large for a float64"},
		{"hexadecimal", "x + 0x10", `col 5: "0x10" is a hexadecimal, binary or octal literal, which equations do not take: write the number in decimal`},
		{"floor division", "a // b", `col 4: expected an operand, found "/"`},
		{"column counts characters not bytes", "τ + )", `col 5: expected an operand, found ")"`},
		{"invalid utf8", "a + \xff", "col 5: invalid UTF-8 byte 0xff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := Parse(tt.src)
			if err == nil {
				t.Fatalf("Parse(%q) = %s, want error %q", tt.src, n, tt.want)
			}
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("Parse(%q) error is %T, want *Error", tt.src, err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("Parse(%q) error\n got: %s\nwant: %s", tt.src, got, tt.want)
			}
			if perr.Src != tt.src {
				t.Errorf("Error.Src = %q, want %q", perr.Src, tt.src)
			}
			if perr.Offset < 0 || perr.Offset > len(tt.src) {
				t.Errorf("Error.Offset = %d outside the source (length %d)", perr.Offset, len(tt.src))
			}
		})
	}
}

func TestErrorOffsetIsBytes(t *testing.T) {
	_, err := Parse("ττ $")
	var perr *Error
	if !errors.As(err, &perr) {
		t.Fatalf("want *Error, got %v", err)
	}
	// Two two-byte letters and a space precede the "$".
	if perr.Offset != 5 || perr.Col != 4 {
		t.Errorf("Offset, Col = %d, %d; want 5, 4", perr.Offset, perr.Col)
	}
}

// TestEveryFunction calls every entry of Funcs with the smallest and
// largest accepted argument counts and with one too few and one too many.
func TestEveryFunction(t *testing.T) {
	// Piecewise takes pairs, not plain arguments.
	argument := func(name string, i int) string {
		if name == "Piecewise" {
			return fmt.Sprintf("(a%d, c%d > 0)", i, i)
		}
		return fmt.Sprintf("a%d", i)
	}
	call := func(name string, n int) string {
		args := make([]string, n)
		for i := range args {
			args[i] = argument(name, i)
		}
		return name + "(" + strings.Join(args, ", ") + ")"
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for name := range Funcs {
			if !yield(name) {
				return
			}
		}
	})
	for _, name := range names {
		fn := Funcs[name]
		t.Run(name, func(t *testing.T) {
			if _, canonical := Funcs[fn.Name]; !canonical {
				t.Fatalf("canonical name %q of %q is not itself in Funcs, so String() would not re-parse", fn.Name, name)
			}
			counts := []int{fn.MinArgs}
			if fn.MaxArgs > fn.MinArgs {
				counts = append(counts, fn.MaxArgs)
			}
			if fn.MaxArgs < 0 {
				counts = append(counts, fn.MinArgs+3)
			}
			for _, n := range counts {
				node := mustParse(t, call(name, n))
				c, ok := node.(*Call)
				if !ok {
					t.Fatalf("%s parsed as %T, want *Call", call(name, n), node)
				}
				if c.Func != fn.Name || len(c.Args) != n {
					t.Errorf("%s: Func %q with %d args, want %q with %d", call(name, n), c.Func, len(c.Args), fn.Name, n)
				}
				checkRoundTrip(t, node)
			}
			bad := []int{fn.MinArgs - 1}
			if fn.MaxArgs >= 0 {
				bad = append(bad, fn.MaxArgs+1)
			}
			for _, n := range bad {
				if n < 0 {
					continue
				}
				_, err := Parse(call(name, n))
				if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("got %d", n)) {
					t.Errorf("%s: error %v, want an arity error naming %d", call(name, n), err, n)
				}
			}
		})
	}
}

func TestParseAssignments(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // "Var@VarPos = canonical value"
		wantErr   string
	}{
		{name: "single", src: "v = reset", want: []string{"v@0 = reset"}},
		{name: "two", src: "v = c; U = U + d", want: []string{"v@0 = c", "U@7 = U + d"}},
		{name: "trailing semicolon", src: "v = c;", want: []string{"v@0 = c"}},
		{name: "empty parts", src: " ; v = c ;; w = 1 ; ", want: []string{"v@3 = c", "w@12 = 1"}},
		{name: "empty", src: "", want: nil},
		{name: "only separators", src: " ; ;", want: nil},
		{name: "comparison in value", src: "flag = v > 0", want: []string{"flag@0 = v > 0"}},
		{name: "Piecewise value", src: "x = Piecewise((1, a > 0), (0, True))",
			want: []string{"x@0 = Piecewise((1, a > 0), (0, True))"}},
		{name: "missing semicolon", src: "v = c U = d", wantErr: `col 7: missing ";" before "U"`},
		{name: "no equals", src: "v c", wantErr: `col 3: expected "=" after "v", found "c"`},
		{name: "double equals", src: "v == c", wantErr: `col 3: expected "=" after "v", found "=="`},
		{name: "no value", src: "v = ; w = 1", wantErr: `col 5: missing value to assign to "v"`},
		{name: "no value at end", src: "v =", wantErr: `col 4: missing value to assign to "v"`},
		{name: "number target", src: "3 = 4", wantErr: `col 1: expected a variable name to assign to, found "3"`},
		{name: "expression target", src: "v + 1 = 2", wantErr: `col 3: expected "=" after "v", found "+"`},
		{name: "True target", src: "True = 1", wantErr: "col 1: cannot assign to True"},
		{name: "second assignment bad", src: "v = c; U = (U + d", wantErr: `col 12: "(" is never closed`},
		{name: "chained assignment", src: "a = b = c", wantErr: `col 7: unexpected "="`},
		{name: "implicit multiplication", src: "v = 2 c", wantErr: `col 7: implicit multiplication is not supported: write "2*c"`},
		{name: "tuple value", src: "v = (1, 2)", wantErr: "col 5: a tuple is only allowed as a (value, condition) argument of Piecewise"},
		{name: "lexer error", src: "v = $", wantErr: `col 5: unexpected character "$"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAssignments(tt.src)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseAssignments(%q) = %v, want error %q", tt.src, got, tt.wantErr)
				}
				if err.Error() != tt.wantErr {
					t.Errorf("ParseAssignments(%q) error\n got: %s\nwant: %s", tt.src, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseAssignments(%q): %v", tt.src, err)
			}
			var lines []string
			for _, a := range got {
				lines = append(lines, fmt.Sprintf("%s@%d = %s", a.Var, a.VarPos, a.Value))
			}
			if !slices.Equal(lines, tt.want) {
				t.Errorf("ParseAssignments(%q)\n got: %q\nwant: %q", tt.src, lines, tt.want)
			}
		})
	}
}

func TestNumStringOfSynthesizedNumbers(t *testing.T) {
	tests := []struct {
		n    *Num
		want string
	}{
		{&Num{Value: 2}, "2"},
		{&Num{Value: 0.1}, "0.1"},
		{&Num{Value: 1e-7}, "1e-07"},
		{&Num{Value: -2.5}, "-2.5"},
		{&Num{Value: 3, Text: "3.0"}, "3.0"},
	}
	for _, tt := range tests {
		if got := tt.n.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.n, got, tt.want)
		}
		checkRoundTrip(t, tt.n)
	}
}

// TestStringOfBrokenTree checks that a hand-built tree with missing
// children prints instead of panicking.
func TestStringOfBrokenTree(t *testing.T) {
	n := &Binary{Op: "+", X: &Ident{Name: "a"}}
	if got, want := n.String(), "a + <nil>"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestParseDepthLimit(t *testing.T) {
	tests := []struct {
		name, src string
	}{
		{"parentheses", strings.Repeat("(", maxDepth+1) + "x" + strings.Repeat(")", maxDepth+1)},
		{"unary minus", strings.Repeat("-", maxDepth+1) + "x"},
		{"not", strings.Repeat("!", maxDepth+1) + "x"},
		{"power chain", strings.Repeat("x**", maxDepth+1) + "x"},
		{"calls", strings.Repeat("exp(", maxDepth+1) + "x" + strings.Repeat(")", maxDepth+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.src)
			if err == nil || !strings.Contains(err.Error(), "nested too deeply") {
				t.Errorf("error %v, want a nesting-depth error", err)
			}
		})
	}
	// Depth just inside the limit still parses.
	ok := strings.Repeat("(", maxDepth-1) + "x" + strings.Repeat(")", maxDepth-1)
	mustParse(t, ok)
}

func TestIsCondition(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{"v >= 30", true},
		{"x - 0.5", false},
		{"x", false},
		{"True", true},
		{"(x > 1) & (y < 2)", true},
		{"(x > 1) & y", false},
		{"!(x > 1)", true},
		{"Eq(x, 1)", true},
		{"Heaviside(x)", false},
		{"0", false},
	}
	for _, tt := range tests {
		n, err := Parse(tt.src)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.src, err)
		}
		if got := IsCondition(n); got != tt.want {
			t.Errorf("IsCondition(%q) = %v, want %v", tt.src, got, tt.want)
		}
	}
}

// TestCanonicalFormOfDeepTrees checks that trees the parser builds
// without recursion, long sums and chains of negations, print in a form
// that re-parses: fully parenthesised, "!!...!0" with 250 negations and
// a 600-term sum came back too deeply nested for the parser.
func TestCanonicalFormOfDeepTrees(t *testing.T) {
	for _, src := range []string{
		strings.Repeat("!", maxDepth/2) + "0",
		strings.Repeat("-", maxDepth) + "x",
		"a" + strings.Repeat(" + a", 3*maxDepth),
		"a" + strings.Repeat(" - b / c", maxDepth) + " < 1",
		strings.Repeat("2**", maxDepth-1) + "2",
	} {
		checkRoundTrip(t, mustParse(t, src))
	}
}
