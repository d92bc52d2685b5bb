package expr

import (
	"fmt"
	"math"
	"slices"
)

// Eval computes the value of n. Names are resolved by lookup first (so a
// parameter may shadow a constant), then by Constants; a name neither
// knows is an error naming it. lookup may be nil.
//
// Booleans are numbers: True and a true comparison are 1, False and a
// false one are 0, and any nonzero value counts as true. Eq(a, b) is
// a == b. Piecewise returns the value of its first branch whose condition
// is true; when none is, that is an error rather than SymPy's nan, because
// a silent NaN would only surface far from its cause. Arithmetic follows
// IEEE 754 (1/0 is +Inf, log(-1) is NaN) like the generated code will.
// Errors are *EvalError values positioned at the offending node.
func Eval(n Node, lookup func(name string) (float64, bool)) (float64, error) {
	e := evaluator{lookup: lookup}
	return e.eval(n)
}

type evaluator struct {
	lookup func(name string) (float64, bool)
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func (e evaluator) eval(n Node) (float64, error) {
	switch n := n.(type) {
	case *Num:
		return n.Value, nil
	case *Bool:
		return boolValue(n.Value), nil
	case *Ident:
		if e.lookup != nil {
			if v, ok := e.lookup(n.Name); ok {
				return v, nil
			}
		}
		if v, ok := Constants[n.Name]; ok {
			return v, nil
		}
		return 0, &EvalError{P: n.P, Msg: fmt.Sprintf("unknown name %q", n.Name)}
	case *Unary:
		x, err := e.eval(n.X)
		if err != nil {
			return 0, err
		}
		switch n.Op {
		case "-":
			return -x, nil
		case "!":
			return boolValue(x == 0), nil
		}
		return 0, &EvalError{P: n.P, Msg: fmt.Sprintf("unknown unary operator %q", n.Op)}
	case *Binary:
		return e.evalBinary(n)
	case *Call:
		return e.evalCall(n)
	case *Tuple:
		return 0, &EvalError{P: n.P, Msg: "a tuple has no value outside Piecewise"}
	case *Index:
		return 0, &EvalError{P: n.P, Msg: fmt.Sprintf("cannot evaluate %s: indexing has no scalar value", n)}
	case nil:
		return 0, &EvalError{Msg: "missing expression (nil node)"}
	}
	return 0, &EvalError{P: n.Pos(), Msg: fmt.Sprintf("cannot evaluate node of type %T", n)}
}

func (e evaluator) evalBinary(n *Binary) (float64, error) {
	// Both operands are always evaluated, even where a logical operator
	// could short-circuit, so an unknown name is reported whatever the
	// values happen to be.
	x, err := e.eval(n.X)
	if err != nil {
		return 0, err
	}
	y, err := e.eval(n.Y)
	if err != nil {
		return 0, err
	}
	switch n.Op {
	case "+":
		return x + y, nil
	case "-":
		return x - y, nil
	case "*":
		return x * y, nil
	case "/":
		return x / y, nil
	case "^":
		return math.Pow(x, y), nil
	case "<":
		return boolValue(x < y), nil
	case "<=":
		return boolValue(x <= y), nil
	case ">":
		return boolValue(x > y), nil
	case ">=":
		return boolValue(x >= y), nil
	case "==":
		return boolValue(x == y), nil
	case "!=":
		return boolValue(x != y), nil
	case "&":
		return boolValue(x != 0 && y != 0), nil
	case "|":
		return boolValue(x != 0 || y != 0), nil
	}
	return 0, &EvalError{P: n.P, Msg: fmt.Sprintf("unknown binary operator %q", n.Op)}
}

// unaryMath are the one-argument functions that map directly onto the
// math package.
var unaryMath = map[string]func(float64) float64{
	"exp": math.Exp, "log": math.Log, "sqrt": math.Sqrt,
	"sin": math.Sin, "cos": math.Cos, "tan": math.Tan,
	"asin": math.Asin, "acos": math.Acos, "atan": math.Atan,
	"sinh": math.Sinh, "cosh": math.Cosh, "tanh": math.Tanh,
	"abs": math.Abs, "floor": math.Floor, "ceiling": math.Ceil,
	"erf": math.Erf, "erfc": math.Erfc,
	"mean": func(x float64) float64 { return x }, // the mean of one value
	"sum":  func(x float64) float64 { return x }, // the sum of one value
	"amax": func(x float64) float64 { return x }, // the largest of one value
	"amin": func(x float64) float64 { return x }, // the smallest of one value
	"sign": func(x float64) float64 {
		switch {
		case x > 0:
			return 1
		case x < 0:
			return -1
		}
		return x // 0, -0 and NaN are their own sign
	},
}

func (e evaluator) evalCall(n *Call) (float64, error) {
	fn, known := Funcs[n.Func]
	if !known {
		return 0, &EvalError{P: n.P, Msg: fmt.Sprintf("unknown function %q", n.Func)}
	}
	// A hand-built Call may violate what the parser guarantees.
	if len(n.Args) < fn.MinArgs || (fn.MaxArgs >= 0 && len(n.Args) > fn.MaxArgs) {
		return 0, &EvalError{P: n.P, Msg: fmt.Sprintf("%s takes %s, got %d", n.Func, arityText(fn), len(n.Args))}
	}
	if fn.Name == "Piecewise" {
		return e.evalPiecewise(n)
	}
	args := make([]float64, len(n.Args))
	for i, a := range n.Args {
		v, err := e.eval(a)
		if err != nil {
			return 0, err
		}
		args[i] = v
	}
	if f, ok := unaryMath[fn.Name]; ok {
		return f(args[0]), nil
	}
	switch fn.Name {
	case "atan2":
		return math.Atan2(args[0], args[1]), nil
	case "pow":
		return math.Pow(args[0], args[1]), nil
	case "Mod":
		return FlooredMod(args[0], args[1]), nil
	case "Min":
		return slices.MinFunc(args, compareNaNFirst), nil
	case "Max":
		return slices.MaxFunc(args, compareNaNLast), nil
	case "Eq":
		return boolValue(args[0] == args[1]), nil
	case "Ne":
		return boolValue(args[0] != args[1]), nil
	case "Heaviside":
		atZero := 0.5
		if len(args) == 2 {
			atZero = args[1]
		}
		switch x := args[0]; {
		case x < 0:
			return 0, nil
		case x > 0:
			return 1, nil
		case x == 0:
			return atZero, nil
		}
		return math.NaN(), nil
	}
	return 0, &EvalError{P: n.P, Msg: fmt.Sprintf("function %q has no numeric evaluation", n.Func)}
}

// compareNaNFirst and compareNaNLast order NaN so that Min and Max both
// return NaN when any argument is NaN, as math.Min and math.Max do.
func compareNaNFirst(a, b float64) int {
	switch {
	case math.IsNaN(a):
		return -1
	case math.IsNaN(b):
		return 1
	}
	return compareFloat(a, b)
}

func compareNaNLast(a, b float64) int {
	switch {
	case math.IsNaN(a):
		return 1
	case math.IsNaN(b):
		return -1
	}
	return compareFloat(a, b)
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (e evaluator) evalPiecewise(n *Call) (float64, error) {
	for i, arg := range n.Args {
		branch, ok := arg.(*Tuple)
		if !ok || len(branch.Elems) != 2 {
			return 0, &EvalError{P: arg.Pos(), Msg: fmt.Sprintf("Piecewise argument %d must be a (value, condition) pair", i+1)}
		}
		cond, err := e.eval(branch.Elems[1])
		if err != nil {
			return 0, err
		}
		if cond != 0 {
			return e.eval(branch.Elems[0])
		}
	}
	return 0, &EvalError{P: n.P, Msg: fmt.Sprintf("no condition of %s is true", n)}
}

// Idents returns the free identifiers of n, sorted and without
// duplicates. Function names and True/False are not identifiers; constant
// names such as "pi" are, since a parameter may shadow them.
func Idents(n Node) []string {
	seen := map[string]bool{}
	var names []string
	Inspect(n, func(n Node) bool {
		if id, ok := n.(*Ident); ok && !seen[id.Name] {
			seen[id.Name] = true
			names = append(names, id.Name)
		}
		return true
	})
	slices.Sort(names)
	return names
}

// children returns the direct children of n in source order.
func children(n Node) []Node {
	switch n := n.(type) {
	case *Unary:
		return []Node{n.X}
	case *Binary:
		return []Node{n.X, n.Y}
	case *Call:
		return n.Args
	case *Tuple:
		return n.Elems
	case *Index:
		return []Node{n.X, n.Index}
	}
	return nil
}

// Inspect calls f for n and then, if f returns true, for each child of n
// in source order, depth first. Nil nodes are skipped.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || !f(n) {
		return
	}
	for _, c := range children(n) {
		Inspect(c, f)
	}
}

// Rewrite rebuilds n bottom-up: it first rewrites the children, then calls
// f on a fresh copy of the node that holds the rewritten children, and
// uses what f returns (the copy itself if f returns nil). Every node f
// sees is a copy, so n is never mutated, even by an f that edits its
// argument in place. Node types from outside this package are passed to f
// as they are.
func Rewrite(n Node, f func(Node) Node) Node {
	var fresh Node
	switch n := n.(type) {
	case nil:
		return nil
	case *Num:
		c := *n
		fresh = &c
	case *Bool:
		c := *n
		fresh = &c
	case *Ident:
		c := *n
		fresh = &c
	case *Unary:
		c := *n
		c.X = Rewrite(n.X, f)
		fresh = &c
	case *Binary:
		c := *n
		c.X, c.Y = Rewrite(n.X, f), Rewrite(n.Y, f)
		fresh = &c
	case *Call:
		c := *n
		c.Args = rewriteAll(n.Args, f)
		fresh = &c
	case *Tuple:
		c := *n
		c.Elems = rewriteAll(n.Elems, f)
		fresh = &c
	case *Index:
		c := *n
		c.X, c.Index = Rewrite(n.X, f), Rewrite(n.Index, f)
		fresh = &c
	default:
		fresh = n
	}
	if f == nil {
		return fresh
	}
	if out := f(fresh); out != nil {
		return out
	}
	return fresh
}

func rewriteAll(nodes []Node, f func(Node) Node) []Node {
	if nodes == nil {
		return nil
	}
	out := make([]Node, len(nodes))
	for i, n := range nodes {
		out[i] = Rewrite(n, f)
	}
	return out
}

// FlooredMod is SymPy's and Python's a % b: the remainder of a floored
// division, with the sign of b (math.Mod truncates and takes the sign of
// a). Generated programs use the same formula.
func FlooredMod(a, b float64) float64 {
	r := math.Mod(a, b)
	if r != 0 && (r < 0) != (b < 0) {
		r += b
	}
	return r
}
