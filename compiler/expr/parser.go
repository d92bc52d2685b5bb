package expr

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// maxDepth bounds the nesting of parentheses and prefix operators so that
// a pathological input fails with an error instead of exhausting the
// stack; real equations nest a handful of levels.
const maxDepth = 500

// Parse parses one expression. Errors are *Error values whose column
// points at the offending spot.
func Parse(src string) (Node, error) { return parse(src, nil) }

// parse parses one expression, accepting calls to the declared functions
// too (ParseWith).
func parse(src string, declared map[string]*UserFunc) (Node, error) {
	p, err := newParser(src)
	if err != nil {
		return nil, err
	}
	p.declared = declared
	if p.peek().kind == tokEOF {
		return nil, newError(src, 0, "empty expression")
	}
	n, err := p.parseExpr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.unexpected(t)
	}
	if err := checkTuples(src, n, false); err != nil {
		return nil, err
	}
	return n, nil
}

// Assignment is one "Var = Value" of an event affect. VarPos is the
// offset of the name in the source string.
type Assignment struct {
	Var    string
	VarPos Pos
	Value  Node
}

// ParseAssignments parses ';'-separated assignments such as
// "v = c; U = U + d". Empty parts are ignored, so "" gives no assignments
// and a trailing ';' is fine. Every other part must be NAME = expression.
// Offsets in errors and in the result are relative to the whole src.
func ParseAssignments(src string) ([]Assignment, error) {
	p, err := newParser(src)
	if err != nil {
		return nil, err
	}
	p.assignments = true
	var out []Assignment
	for {
		t := p.peek()
		if t.kind == tokEOF {
			return out, nil
		}
		if t.is(";") {
			p.next()
			continue
		}
		name := p.next()
		if name.kind != tokIdent {
			return nil, newError(src, name.off, "expected a variable name to assign to, found %s", name.describe())
		}
		if name.text == "True" || name.text == "False" {
			return nil, newError(src, name.off, "cannot assign to %s", name.text)
		}
		if eq := p.next(); !eq.is("=") {
			return nil, newError(src, eq.off, "expected \"=\" after %q, found %s", name.text, eq.describe())
		}
		if t := p.peek(); t.kind == tokEOF || t.is(";") {
			return nil, newError(src, t.off, "missing value to assign to %q", name.text)
		}
		value, err := p.parseExpr()
		if err != nil {
			return nil, err
		}
		if t := p.peek(); t.kind != tokEOF && !t.is(";") {
			return nil, p.unexpected(t)
		}
		if err := checkTuples(src, value, false); err != nil {
			return nil, err
		}
		out = append(out, Assignment{Var: name.text, VarPos: Pos(name.off), Value: value})
	}
}

type parser struct {
	src   string
	toks  []token
	i     int // index of the next token
	depth int
	// assignments is set while parsing an affect list, where a name
	// followed by "=" after a complete operand means a missing ";" rather
	// than an implicit multiplication.
	assignments bool
	// declared are the functions the document declares (ParseWith).
	declared map[string]*UserFunc
}

func newParser(src string) (*parser, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	return &parser{src: src, toks: toks}, nil
}

func (p *parser) peek() token { return p.peekAt(0) }

// peekAt returns the token k places ahead, or the final EOF token.
func (p *parser) peekAt(k int) token {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.peek()
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func (t token) is(op string) bool { return t.kind == tokOp && t.text == op }

func (p *parser) enter(t token) error {
	p.depth++
	if p.depth > maxDepth {
		return newError(p.src, t.off, "expression is nested too deeply (more than %d levels)", maxDepth)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// unexpected reports a token that cannot continue the expression.
func (p *parser) unexpected(t token) error {
	switch {
	case t.kind == tokEOF:
		return newError(p.src, t.off, "unexpected end of expression")
	case t.is(")"):
		return newError(p.src, t.off, `unexpected ")" without a matching "("`)
	case t.is("]"):
		return newError(p.src, t.off, `unexpected "]" without a matching "["`)
	case t.is("=") && !p.assignments:
		return newError(p.src, t.off, `unexpected "=": write "==" to compare`)
	case t.is(";") && !p.assignments:
		return newError(p.src, t.off, `unexpected ";": only event affects list several assignments`)
	}
	return newError(p.src, t.off, "unexpected %s", t.describe())
}

func (p *parser) parseExpr() (Node, error) { return p.parseOr() }

// parseLeftAssoc parses operand {op operand} for one precedence level.
func (p *parser) parseLeftAssoc(operand func() (Node, error), ops ...string) (Node, error) {
	x, err := operand()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if !t.isOneOf(ops) {
			return x, nil
		}
		p.next()
		y, err := operand()
		if err != nil {
			return nil, err
		}
		x = &Binary{P: Pos(t.off), Op: t.text, X: x, Y: y}
	}
}

func (t token) isOneOf(ops []string) bool {
	for _, op := range ops {
		if t.is(op) {
			return true
		}
	}
	return false
}

func (p *parser) parseOr() (Node, error)  { return p.parseLeftAssoc(p.parseAnd, "|") }
func (p *parser) parseAnd() (Node, error) { return p.parseLeftAssoc(p.parseNot, "&") }

// parseNot sits between & and the comparisons, like Python's "not", so
// "!v > 0" negates the comparison rather than v.
func (p *parser) parseNot() (Node, error) {
	t := p.peek()
	if !t.is("!") && !t.is("~") {
		return p.parseComparison()
	}
	p.next()
	if err := p.enter(t); err != nil {
		return nil, err
	}
	defer p.leave()
	x, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	return &Unary{P: Pos(t.off), Op: "!", X: x}, nil
}

var comparisonOps = []string{"<", "<=", ">", ">=", "==", "!="}

func (p *parser) parseComparison() (Node, error) {
	x, err := p.parseSum()
	if err != nil {
		return nil, err
	}
	op := p.peek()
	if !op.isOneOf(comparisonOps) {
		return x, nil
	}
	p.next()
	y, err := p.parseSum()
	if err != nil {
		return nil, err
	}
	// Python would read "a < b < c" as "a < b and b < c", a plain
	// left-to-right reading as "(a < b) < c"; refusing both avoids
	// silently picking the one the author did not mean.
	if t := p.peek(); t.isOneOf(comparisonOps) {
		return nil, newError(p.src, t.off, `comparisons cannot be chained: combine them with "&", as in "(a < b) & (b < c)"`)
	}
	return &Binary{P: Pos(op.off), Op: op.text, X: x, Y: y}, nil
}

func (p *parser) parseSum() (Node, error) { return p.parseLeftAssoc(p.parseProduct, "+", "-") }

// parseProduct parses products, quotients and remainders. "a % b" is
// SymPy's Mod(a, b), the floored remainder (it takes the sign of b), and
// is kept as that call so later stages see one spelling.
func (p *parser) parseProduct() (Node, error) {
	x, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if !t.is("*") && !t.is("/") && !t.is("%") {
			return x, nil
		}
		p.next()
		y, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		if t.is("%") {
			x = &Call{P: Pos(t.off), Func: "Mod", Args: []Node{x, y}}
			continue
		}
		x = &Binary{P: Pos(t.off), Op: t.text, X: x, Y: y}
	}
}

func (p *parser) parseUnary() (Node, error) {
	t := p.peek()
	if !t.is("-") && !t.is("+") {
		return p.parsePower()
	}
	p.next()
	if err := p.enter(t); err != nil {
		return nil, err
	}
	defer p.leave()
	x, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	if t.is("+") {
		return x, nil
	}
	return &Unary{P: Pos(t.off), Op: "-", X: x}, nil
}

// parsePower parses a power; its exponent is a unary expression, which
// makes power right associative and allows "2**-1".
func (p *parser) parsePower() (Node, error) {
	x, err := p.parsePostfix()
	if err != nil {
		return nil, err
	}
	op := p.peek()
	if !op.is("**") && !op.is("^") {
		return x, nil
	}
	p.next()
	if err := p.enter(op); err != nil {
		return nil, err
	}
	defer p.leave()
	y, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	return &Binary{P: Pos(op.off), Op: "^", X: x, Y: y}, nil
}

// parsePostfix parses a primary with its subscripts and then rejects an
// operand that directly follows it: every juxtaposition of two operands
// passes through here.
func (p *parser) parsePostfix() (Node, error) {
	first := p.peek()
	x, err := p.parsePrimary()
	if err != nil {
		return nil, err
	}
	for p.peek().is("[") {
		open := p.next()
		switch x.(type) {
		case *Ident, *Index:
		default:
			return nil, newError(p.src, open.off, "only a name can be indexed, as in \"x[0]\"")
		}
		if err := p.enter(open); err != nil {
			return nil, err
		}
		if p.peek().is("]") {
			return nil, newError(p.src, p.peek().off, "missing index inside \"[]\"")
		}
		index, err := p.parseExpr()
		if err != nil {
			return nil, err
		}
		if err := p.expectClose(open, "]"); err != nil {
			return nil, err
		}
		p.leave()
		x = &Index{P: Pos(open.off), X: x, Index: index}
	}
	if t := p.peek(); startsOperand(t) {
		return nil, p.juxtaposition(first.off, p.toks[p.i-1].end)
	}
	return x, nil
}

func startsOperand(t token) bool {
	return t.kind == tokNum || t.kind == tokIdent || t.is("(")
}

// juxtaposition explains an operand that follows the complete operand
// src[leftStart:leftEnd] with no operator between them.
func (p *parser) juxtaposition(leftStart, leftEnd int) error {
	t := p.peek()
	left := p.src[leftStart:leftEnd]
	if p.assignments && t.kind == tokIdent && p.peekAt(1).is("=") {
		return newError(p.src, t.off, "missing \";\" before %q", t.text)
	}
	// Python's word operators are a likely slip in a SymPy string.
	wordOps := map[string]string{"and": "&", "or": "|", "not": "!"}
	if t.kind == tokIdent && wordOps[t.text] != "" {
		return newError(p.src, t.off, "%q is not supported: write %q", t.text, wordOps[t.text])
	}
	if wordOps[left] != "" {
		return newError(p.src, leftStart, "%q is not supported: write %q", left, wordOps[left])
	}
	right := p.src[t.off:p.operandEnd()]
	return newError(p.src, t.off, "implicit multiplication is not supported: write %q",
		shortenLeft(left)+"*"+shortenRight(right))
}

// operandEnd returns the end offset of the operand starting at the next
// token, by bracket matching only, for quoting it in a message.
func (p *parser) operandEnd() int {
	i := p.i
	if p.toks[i].kind == tokIdent && p.toks[i+1].is("(") {
		i++
	}
	if !p.toks[i].is("(") {
		return p.toks[i].end
	}
	depth := 0
	for j := i; j < len(p.toks); j++ {
		switch {
		case p.toks[j].is("("):
			depth++
		case p.toks[j].is(")"):
			depth--
			if depth == 0 {
				return p.toks[j].end
			}
		}
	}
	return p.toks[i].end // unbalanced: quote just the "("
}

const maxQuote = 20 // characters of an operand quoted in a hint

func shortenLeft(s string) string {
	if utf8.RuneCountInString(s) <= maxQuote {
		return s
	}
	r := []rune(s)
	return "..." + string(r[len(r)-maxQuote:])
}

func shortenRight(s string) string {
	if utf8.RuneCountInString(s) <= maxQuote {
		return s
	}
	return string([]rune(s)[:maxQuote]) + "..."
}

func (p *parser) parsePrimary() (Node, error) {
	t := p.peek()
	switch {
	case t.kind == tokNum:
		p.next()
		v, err := strconv.ParseFloat(t.text, 64)
		if err != nil && !math.IsInf(v, 0) {
			// The lexer only produces literals ParseFloat accepts; this
			// guards the invariant instead of trusting it.
			return nil, newError(p.src, t.off, "malformed number %q", t.text)
		}
		if math.IsInf(v, 0) {
			return nil, newError(p.src, t.off, "number %s is too large for a float64", t.text)
		}
		return &Num{P: Pos(t.off), Value: v, Text: t.text}, nil
	case t.kind == tokIdent:
		p.next()
		if p.peek().is("(") {
			return p.parseCall(t)
		}
		switch t.text {
		case "True":
			return &Bool{P: Pos(t.off), Value: true}, nil
		case "False":
			return &Bool{P: Pos(t.off), Value: false}, nil
		}
		return &Ident{P: Pos(t.off), Name: t.text}, nil
	case t.is("("):
		return p.parseParens()
	case t.is("!") || t.is("~"):
		return nil, newError(p.src, t.off, "put the negated condition in parentheses: \"(%s...)\"", t.text)
	case t.kind == tokEOF:
		return nil, newError(p.src, t.off, "unexpected end of expression: an operand is missing")
	}
	return nil, newError(p.src, t.off, "expected an operand, found %s", t.describe())
}

// parseParens parses "(expr)", which yields expr itself, or a tuple
// "(a, b, ...)", whose placement checkTuples validates afterwards.
func (p *parser) parseParens() (Node, error) {
	open := p.next()
	if err := p.enter(open); err != nil {
		return nil, err
	}
	defer p.leave()
	if p.peek().is(")") {
		return nil, newError(p.src, open.off, `empty parentheses "()"`)
	}
	elems, err := p.parseList(open)
	if err != nil {
		return nil, err
	}
	if len(elems) == 1 {
		return elems[0], nil
	}
	return &Tuple{P: Pos(open.off), Elems: elems}, nil
}

// parseList parses comma-separated expressions up to and including the
// ")" that closes open.
func (p *parser) parseList(open token) ([]Node, error) {
	var elems []Node
	for {
		x, err := p.parseExpr()
		if err != nil {
			return nil, err
		}
		elems = append(elems, x)
		if !p.peek().is(",") {
			return elems, p.expectClose(open, ")")
		}
		p.next()
	}
}

// expectClose consumes the closer of open or explains why it is missing.
func (p *parser) expectClose(open token, closer string) error {
	t := p.peek()
	switch {
	case t.is(closer):
		p.next()
		return nil
	case t.kind == tokEOF:
		return newError(p.src, open.off, "%q is never closed", open.text)
	}
	openCol := utf8.RuneCountInString(p.src[:open.off]) + 1
	expected := fmt.Sprintf("%q", closer)
	if closer == ")" {
		expected = `"," or ")"`
	}
	return newError(p.src, t.off, "expected %s to close %q at col %d, found %s", expected, open.text, openCol, t.describe())
}

func (p *parser) parseCall(name token) (Node, error) {
	fn, known := Funcs[name.text]
	if uf := p.declared[name.text]; !known && uf != nil {
		fn, known = Func{Name: name.text, MinArgs: len(uf.Params), MaxArgs: len(uf.Params)}, true
	}
	if !known {
		return nil, newError(p.src, name.off, "unknown function %q", name.text)
	}
	open := p.next()
	if err := p.enter(open); err != nil {
		return nil, err
	}
	defer p.leave()
	var args []Node
	if p.peek().is(")") {
		p.next()
	} else {
		var err error
		if args, err = p.parseList(open); err != nil {
			return nil, err
		}
	}
	if err := checkArity(p.src, name, fn, len(args)); err != nil {
		return nil, err
	}
	if fn.Name == "Piecewise" {
		for i, arg := range args {
			tuple, ok := arg.(*Tuple)
			if !ok {
				return nil, newError(p.src, int(arg.Pos()), "Piecewise argument %d must be a (value, condition) pair", i+1)
			}
			if len(tuple.Elems) != 2 {
				return nil, newError(p.src, int(tuple.P), "Piecewise argument %d must be a (value, condition) pair, not %d elements", i+1, len(tuple.Elems))
			}
		}
		for i, arg := range args {
			if c := arg.(*Tuple).Elems[1]; !IsCondition(c) {
				return nil, newError(p.src, int(c.Pos()), "the condition of Piecewise argument %d is a number, not a comparison (write e.g. x > 0, or True for the default)", i+1)
			}
		}
	}
	return &Call{P: Pos(name.off), Func: fn.Name, Args: args}, nil
}

func checkArity(src string, name token, fn Func, got int) error {
	if got >= fn.MinArgs && (fn.MaxArgs < 0 || got <= fn.MaxArgs) {
		return nil
	}
	return newError(src, name.off, "%s takes %s, got %d", name.text, arityText(fn), got)
}

// arityText says how many arguments fn takes: "1 argument",
// "at least 2 arguments", "1 or 2 arguments".
func arityText(fn Func) string {
	plural := func(n int) string {
		if n == 1 {
			return "1 argument"
		}
		return strconv.Itoa(n) + " arguments"
	}
	switch {
	case fn.MaxArgs < 0:
		return "at least " + plural(fn.MinArgs)
	case fn.MaxArgs == fn.MinArgs:
		return plural(fn.MinArgs)
	case fn.MaxArgs == fn.MinArgs+1:
		return strconv.Itoa(fn.MinArgs) + " or " + plural(fn.MaxArgs)
	}
	return strconv.Itoa(fn.MinArgs) + " to " + plural(fn.MaxArgs)
}

// checkTuples rejects a Tuple anywhere but directly as a Piecewise
// argument. It runs after parsing because a parenthesised tuple is only
// known to be misplaced once its surroundings are.
func checkTuples(src string, n Node, allowed bool) error {
	var children []Node
	childrenAllowed := false
	switch n := n.(type) {
	case *Tuple:
		if !allowed {
			return newError(src, int(n.P), "a tuple is only allowed as a (value, condition) argument of Piecewise")
		}
		children = n.Elems
	case *Call:
		children = n.Args
		childrenAllowed = n.Func == "Piecewise"
	case *Unary:
		children = []Node{n.X}
	case *Binary:
		children = []Node{n.X, n.Y}
	case *Index:
		children = []Node{n.X, n.Index}
	}
	for _, c := range children {
		if err := checkTuples(src, c, childrenAllowed); err != nil {
			return err
		}
	}
	return nil
}
