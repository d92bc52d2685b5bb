// Package expr parses and evaluates the equation strings of TVBO YAML files.
//
// TVBO writes equations in SymPy syntax: "(leakReversal - v) / tau",
// "V - V**3/3 - W + I", "Piecewise((a, Eq(v, -40.0)), (b, True))". Event
// affects are ';'-separated assignments: "v = c; U = U + d". Parse turns an
// expression into a small syntax tree (Node), ParseAssignments handles
// affects, and Eval, Idents and Rewrite are the helpers later compiler
// stages build on.
//
// # Grammar
//
// From lowest to highest precedence:
//
//	|                        logical or
//	&                        logical and
//	! ~                      logical not (prefix)
//	< <= > >= == !=          comparison, non-chaining: "a < b < c" is an error
//	+ -                      addition, subtraction (left associative)
//	* /                      multiplication, division (left associative)
//	- +                      unary minus, unary plus (plus is dropped)
//	** ^                     power, right associative; both spellings mean power
//	name[index]              indexing (only of a name), e.g. "x_j[0]", "w[w > 0]"
//	number, name, f(args), (expr), (value, condition)
//
// Unlike Python and SymPy, & and | bind LOOSER than comparisons, so
// "t >= delay & t < delay + duration" means what a scientist means
// instead of the Python reading "t >= (delay & t) < ...". With explicit
// parentheses, as SymPy prints them, both readings agree.
//
// As in Python, "-x**2" is "-(x**2)" and "2**-1" is allowed. Implicit
// multiplication ("2 x", "2(x+1)") is rejected with a hint, because in a
// model file it is far more often a typo than intended.
//
// Function calls must name a function in Funcs; a tuple "(value,
// condition)" may appear only as an argument of Piecewise. Names in
// Constants ("pi", "E") stay ordinary identifiers so a parameter of the
// same name can shadow them; resolving them is the caller's job.
//
// Indexing and the mean function go beyond plain scalar SymPy: TVBO writes
// connectome transforms as "weight / mean(weight[weight > 0])" and some
// coupling functions pick state components as "x_j[0]". They parse, and
// Idents reports the indexed name, but Eval has no arrays and reports an
// error for an Index node; giving it meaning is up to the caller.
package expr

import (
	"math"
	"strconv"
	"strings"
)

// Pos is a 0-based byte offset into the expression string.
type Pos int

// Node is a node of the expression tree. The concrete types are the
// pointer types *Num, *Bool, *Ident, *Unary, *Binary, *Call, *Tuple and
// *Index.
//
// Pos is the offset of the token that makes the node: the literal or name,
// the operator of a Unary or Binary, the function name of a Call, the "("
// of a Tuple, the "[" of an Index. Pointing at the operator rather than
// the first operand makes errors about an operation land on it.
//
// String is canonical and fully parenthesised: every Unary and Binary is
// wrapped in parentheses, power is written "**", function names are the
// canonical names of Funcs, and numbers keep their source spelling. It
// re-parses to a tree with the same String.
type Node interface {
	Pos() Pos
	String() string
}

// Num is a number literal. Text is the literal as written ("1e-3"); it is
// empty for numbers a later stage synthesizes, which print from Value.
type Num struct {
	P     Pos
	Value float64
	Text  string
}

// Bool is the literal True or False.
type Bool struct {
	P     Pos
	Value bool
}

// Ident is a free name: a parameter, state variable, derived quantity or
// constant. Function names in calls are not Idents.
type Ident struct {
	P    Pos
	Name string
}

// Unary is a prefix operation: Op "-" (negation) or "!" (logical not,
// written "!" or "~"). Unary plus is dropped by the parser.
type Unary struct {
	P  Pos
	Op string
	X  Node
}

// Binary is an infix operation. Op is one of
// + - * / ^ < <= > >= == != & |
// where "^" is power, whether written "**" or "^".
type Binary struct {
	P    Pos
	Op   string
	X, Y Node
}

// Call is a function call. Func is the canonical name from Funcs, so
// "abs(x)" and "Abs(x)" both give Func "abs".
type Call struct {
	P    Pos
	Func string
	Args []Node
}

// Tuple is a parenthesised list "(value, condition)". The parser accepts
// it only as an argument of Piecewise, where it always has two elements.
type Tuple struct {
	P     Pos
	Elems []Node
}

// Index is a subscript X[Index] of a name, e.g. "x_j[0]" or the boolean
// mask in "w[w > 0]". X is an *Ident or, for "a[0][1]", another *Index.
type Index struct {
	P     Pos
	X     Node
	Index Node
}

func (n *Num) Pos() Pos    { return n.P }
func (n *Bool) Pos() Pos   { return n.P }
func (n *Ident) Pos() Pos  { return n.P }
func (n *Unary) Pos() Pos  { return n.P }
func (n *Binary) Pos() Pos { return n.P }
func (n *Call) Pos() Pos   { return n.P }
func (n *Tuple) Pos() Pos  { return n.P }
func (n *Index) Pos() Pos  { return n.P }

func (n *Num) String() string {
	if n.Text != "" {
		return n.Text
	}
	// A synthesized negative number prints like the Unary the parser
	// would build from it, so the canonical form stays re-parseable.
	if synthesizedNegative(n) {
		return "-" + strconv.FormatFloat(-n.Value, 'g', -1, 64)
	}
	return strconv.FormatFloat(n.Value, 'g', -1, 64)
}

func (n *Bool) String() string {
	if n.Value {
		return "True"
	}
	return "False"
}

func (n *Ident) String() string { return n.Name }

// The canonical form writes only the parentheses the grammar needs, so
// it never nests more deeply than its source: a fully parenthesised form
// turned a 600-term sum, which the parser reads without recursion, into
// 600 nested groups that the parser's depth limit refuses. It stays
// injective: "a + (b + c)" keeps its parentheses, because floating-point
// addition is not associative and the trees differ.

// Binding strengths, loosest first, as the parser's levels.
const (
	precOr = iota + 1
	precAnd
	precNot
	precCompare
	precSum
	precProduct
	precNegate
	precPower
	precAtom
)

// precedence is how tightly n's printed form binds; an operator the
// parser never builds is printed in parentheses and binds like an atom.
func precedence(n Node) int {
	switch n := n.(type) {
	case *Unary:
		switch n.Op {
		case "-":
			return precNegate
		case "!":
			return precNot
		}
	case *Num:
		if synthesizedNegative(n) {
			return precNegate
		}
	case *Binary:
		switch n.Op {
		case "|":
			return precOr
		case "&":
			return precAnd
		case "<", "<=", ">", ">=", "==", "!=":
			return precCompare
		case "+", "-":
			return precSum
		case "*", "/":
			return precProduct
		case "^":
			return precPower
		}
	}
	return precAtom
}

// The printers write into one builder: a String built by concatenating
// its children's Strings copied every prefix of a long sum again at each
// level, quadratic in its length (a 2000-term rate took seconds to print
// once, and the compiler prints many subtrees).

// writeOperand writes child, in parentheses when it binds more loosely
// than least.
func writeOperand(b *strings.Builder, child Node, least int) {
	if child != nil && precedence(child) < least {
		b.WriteByte('(')
		writeNode(b, child)
		b.WriteByte(')')
		return
	}
	writeNode(b, child)
}

// writeNode writes n's canonical form (String).
func writeNode(b *strings.Builder, n Node) {
	switch n := n.(type) {
	case nil:
		b.WriteString("<nil>")
	case *Unary:
		switch p := precedence(n); p {
		case precNegate, precNot:
			// "-" takes a negation or a power, "!" a negation of its own
			// kind or anything that binds at least as tightly as a
			// comparison.
			b.WriteString(n.Op)
			writeOperand(b, n.X, p)
			return
		}
		b.WriteString("(" + n.Op)
		writeNode(b, n.X)
		b.WriteByte(')')
	case *Binary:
		op := n.Op
		if op == "^" {
			op = "**" // SymPy's spelling; "^" would read as XOR to a Python eye
		}
		switch p := precedence(n); p {
		case precAtom:
			b.WriteByte('(')
			writeNode(b, n.X)
			b.WriteString(" " + op + " ")
			writeNode(b, n.Y)
			b.WriteByte(')')
		case precPower:
			// Right associative; the exponent is a unary expression.
			writeOperand(b, n.X, precAtom)
			b.WriteString(" " + op + " ")
			writeOperand(b, n.Y, precNegate)
		case precCompare:
			// Comparisons do not chain.
			writeOperand(b, n.X, p+1)
			b.WriteString(" " + op + " ")
			writeOperand(b, n.Y, p+1)
		default:
			// Left associative: a right operand of the same level keeps
			// its parentheses.
			writeOperand(b, n.X, p)
			b.WriteString(" " + op + " ")
			writeOperand(b, n.Y, p+1)
		}
	case *Call:
		b.WriteString(n.Func + "(")
		writeList(b, n.Args)
		b.WriteByte(')')
	case *Tuple:
		b.WriteByte('(')
		writeList(b, n.Elems)
		b.WriteByte(')')
	case *Index:
		writeNode(b, n.X)
		b.WriteByte('[')
		writeNode(b, n.Index)
		b.WriteByte(']')
	default:
		b.WriteString(n.String())
	}
}

func writeList(b *strings.Builder, nodes []Node) {
	for i, n := range nodes {
		if i > 0 {
			b.WriteString(", ")
		}
		writeNode(b, n)
	}
}

// printed is String for the composite nodes.
func printed(n Node) string {
	var b strings.Builder
	writeNode(&b, n)
	return b.String()
}

func (n *Unary) String() string  { return printed(n) }
func (n *Binary) String() string { return printed(n) }
func (n *Call) String() string   { return printed(n) }
func (n *Tuple) String() string  { return printed(n) }
func (n *Index) String() string  { return printed(n) }

// nodeString prints a child that a hand-built tree may have left nil,
// so that String never panics.
func nodeString(n Node) string {
	if n == nil {
		return "<nil>"
	}
	return n.String()
}

// IsCondition reports whether n is true or false rather than a number: a
// comparison, a logical operation of conditions, Eq, Ne or a literal
// True/False. An event or Piecewise condition must be one; "x - 0.5" is a
// number, and no stage guesses which comparison was meant.
func IsCondition(n Node) bool {
	switch n := n.(type) {
	case *Bool:
		return true
	case *Unary:
		return n.Op == "!" && IsCondition(n.X)
	case *Binary:
		switch n.Op {
		case "<", "<=", ">", ">=", "==", "!=":
			return true
		case "&", "|":
			return IsCondition(n.X) && IsCondition(n.Y)
		}
	case *Call:
		return n.Func == "Eq" || n.Func == "Ne"
	}
	return false
}

// synthesizedNegative reports whether n is a number a stage computed (no
// source text) below zero or -0: it prints as a negation.
func synthesizedNegative(n *Num) bool {
	return n.Text == "" && !math.IsNaN(n.Value) && math.Signbit(n.Value)
}

// Grouped prints n with every operation in parentheses, showing how the
// parser read it ("a + b*c" as "(a + (b * c))"). String is the form to
// show users and to re-parse; Grouped is for tests and debugging, where
// the shape of the tree is the point.
func Grouped(n Node) string {
	switch n := n.(type) {
	case nil:
		return "<nil>"
	case *Num:
		if s := n.String(); strings.HasPrefix(s, "-") {
			return "(" + s + ")"
		}
	case *Unary:
		return "(" + n.Op + Grouped(n.X) + ")"
	case *Binary:
		op := n.Op
		if op == "^" {
			op = "**"
		}
		return "(" + Grouped(n.X) + " " + op + " " + Grouped(n.Y) + ")"
	case *Call:
		return n.Func + "(" + joinGrouped(n.Args) + ")"
	case *Tuple:
		return "(" + joinGrouped(n.Elems) + ")"
	case *Index:
		return Grouped(n.X) + "[" + Grouped(n.Index) + "]"
	}
	return n.String()
}

func joinGrouped(nodes []Node) string {
	parts := make([]string, len(nodes))
	for i, n := range nodes {
		parts[i] = Grouped(n)
	}
	return strings.Join(parts, ", ")
}
