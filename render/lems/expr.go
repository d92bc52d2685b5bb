package lems

import (
	"fmt"
	"math"
	"strconv"

	"github.com/tvboc/tvboc/compiler/expr"
)

// conditional is a LEMS ConditionalDerivedVariable: the cases are tried in
// order, and a case with an empty condition is the default.
type conditional struct {
	name  string
	cases []lemsCase
}

type lemsCase struct {
	condition string // "" for the default case
	value     string
}

// printer writes expression trees in LEMS expression syntax.
//
// LEMS has no Piecewise, Min, Max or sign inside an expression; those
// become ConditionalDerivedVariables of their own, collected in lifted and
// referenced by name, which is how a LEMS author writes them by hand.
type printer struct {
	// subst replaces identifiers: a state variable with a unit becomes
	// "(v / UNIT_mV)" and time "(t / TIME_SCALE)", so that every
	// expression computes in the YAML's own numbers.
	subst map[string]string
	// owner names lifted variables after what they belong to.
	owner  string
	lifted []conditional
	used   map[string]bool // names already taken in the component type
}

// unsupportedError is an expression LEMS cannot say.
type unsupportedError struct{ what string }

func (e *unsupportedError) Error() string { return e.what }

func (p *printer) print(n expr.Node) (string, error) {
	switch n := n.(type) {
	case *expr.Num:
		return formatNumber(n.Value), nil
	case *expr.Ident:
		if s, ok := p.subst[n.Name]; ok {
			return s, nil
		}
		if v, ok := expr.Constants[n.Name]; ok {
			return formatNumber(v), nil
		}
		return n.Name, nil
	case *expr.Bool:
		return "", &unsupportedError{fmt.Sprintf("the literal %s outside a Piecewise condition has no LEMS form", n)}
	case *expr.Unary:
		x, err := p.print(n.X)
		if err != nil {
			return "", err
		}
		switch n.Op {
		case "-":
			// "0 - x" rather than a prefix minus: every LEMS expression
			// parser reads it the same way.
			return "(0 - " + x + ")", nil
		case "!":
			if b, ok := n.X.(*expr.Binary); ok {
				if inv, ok := invertedComparison[b.Op]; ok {
					return p.binary(&expr.Binary{Op: inv, X: b.X, Y: b.Y})
				}
			}
			return "", &unsupportedError{fmt.Sprintf("logical not of %s has no LEMS form (negate the comparison instead)", n.X)}
		}
		return "", &unsupportedError{fmt.Sprintf("operator %q has no LEMS form", n.Op)}
	case *expr.Binary:
		return p.binary(n)
	case *expr.Call:
		return p.call(n)
	case *expr.Tuple:
		return "", &unsupportedError{fmt.Sprintf("a tuple %s outside Piecewise has no LEMS form", n)}
	case *expr.Index:
		return "", &unsupportedError{fmt.Sprintf("indexing %s has no LEMS form", n)}
	}
	return "", &unsupportedError{fmt.Sprintf("expression %v has no LEMS form", n)}
}

// lemsOps maps the parser's binary operators to LEMS spellings.
var lemsOps = map[string]string{
	"+": "+", "-": "-", "*": "*", "/": "/", "^": "^",
	"<": ".lt.", "<=": ".leq.", ">": ".gt.", ">=": ".geq.", "==": ".eq.", "!=": ".neq.",
	"&": ".and.", "|": ".or.",
}

var invertedComparison = map[string]string{
	"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "==",
}

func (p *printer) binary(n *expr.Binary) (string, error) {
	op, ok := lemsOps[n.Op]
	if !ok {
		return "", &unsupportedError{fmt.Sprintf("operator %q has no LEMS form", n.Op)}
	}
	x, err := p.print(n.X)
	if err != nil {
		return "", err
	}
	y, err := p.print(n.Y)
	if err != nil {
		return "", err
	}
	return "(" + x + " " + op + " " + y + ")", nil
}

// sameFuncs are the functions LEMS knows by the same name.
var sameFuncs = map[string]string{
	"exp": "exp", "sqrt": "sqrt", "sin": "sin", "cos": "cos", "tan": "tan",
	"sinh": "sinh", "cosh": "cosh", "tanh": "tanh", "abs": "abs", "floor": "floor",
	"log": "ln", "ceiling": "ceil",
}

func (p *printer) call(n *expr.Call) (string, error) {
	args := make([]string, 0, len(n.Args))
	printArgs := func() error {
		for _, a := range n.Args {
			if n.Func == "Piecewise" {
				break
			}
			s, err := p.print(a)
			if err != nil {
				return err
			}
			args = append(args, s)
		}
		return nil
	}
	if err := printArgs(); err != nil {
		return "", err
	}
	if f, ok := sameFuncs[n.Func]; ok && len(args) == 1 {
		return f + "(" + args[0] + ")", nil
	}
	switch n.Func {
	case "pow":
		return "(" + args[0] + " ^ " + args[1] + ")", nil
	case "Eq":
		return "(" + args[0] + " .eq. " + args[1] + ")", nil
	case "Ne":
		return "(" + args[0] + " .neq. " + args[1] + ")", nil
	case "Heaviside":
		// LEMS H(x) is 1 for x > 0 and 0 otherwise; SymPy's value at 0
		// differs, so write the cases out.
		at0 := "0.5"
		if len(args) == 2 {
			at0 = args[1]
		}
		return p.lift([]lemsCase{
			{condition: args[0] + " .gt. 0", value: "1"},
			{condition: args[0] + " .lt. 0", value: "0"},
			{value: at0},
		}), nil
	case "sign":
		return p.lift([]lemsCase{
			{condition: args[0] + " .gt. 0", value: "1"},
			{condition: args[0] + " .lt. 0", value: "-1"},
			{value: "0"},
		}), nil
	case "Min", "Max":
		cmp := ".leq."
		if n.Func == "Max" {
			cmp = ".geq."
		}
		// Fold pairwise: Min(a, b, c) = Min(Min(a, b), c).
		acc := args[0]
		for _, b := range args[1:] {
			acc = p.lift([]lemsCase{{condition: acc + " " + cmp + " " + b, value: acc}, {value: b}})
		}
		return acc, nil
	case "Piecewise":
		cases, err := p.piecewise(n)
		if err != nil {
			return "", err
		}
		return p.lift(cases), nil
	}
	return "", &unsupportedError{fmt.Sprintf("function %s has no LEMS equivalent", n.Func)}
}

// piecewise turns Piecewise((value, condition), ...) into LEMS cases; a
// True condition becomes the default case and ends the list, as it ends
// SymPy's evaluation.
func (p *printer) piecewise(n *expr.Call) ([]lemsCase, error) {
	var cases []lemsCase
	for _, a := range n.Args {
		tup, ok := a.(*expr.Tuple)
		if !ok || len(tup.Elems) != 2 {
			return nil, &unsupportedError{fmt.Sprintf("Piecewise argument %s is not a (value, condition) pair", a)}
		}
		value, err := p.print(tup.Elems[0])
		if err != nil {
			return nil, err
		}
		if b, ok := tup.Elems[1].(*expr.Bool); ok {
			if b.Value {
				return append(cases, lemsCase{value: value}), nil
			}
			continue // a False case never applies
		}
		cond, err := p.print(tup.Elems[1])
		if err != nil {
			return nil, err
		}
		cases = append(cases, lemsCase{condition: cond, value: value})
	}
	// SymPy's Piecewise is undefined when no case applies; LEMS needs a
	// value, and NaN says "undefined" without pretending otherwise.
	return append(cases, lemsCase{value: "0/0"}), nil
}

// lift adds a ConditionalDerivedVariable and returns its name.
func (p *printer) lift(cases []lemsCase) string {
	for k := len(p.lifted) + 1; ; k++ {
		name := p.owner + "_case" + strconv.Itoa(k)
		if !p.used[name] {
			p.used[name] = true
			p.lifted = append(p.lifted, conditional{name: name, cases: cases})
			return name
		}
	}
}

// formatNumber writes a number the way TVBO does: whole numbers without a
// decimal point ("30", "-70"), others in Go's shortest round-trip form.
func formatNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
