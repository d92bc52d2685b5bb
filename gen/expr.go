package gen

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// Go operator precedence, used to parenthesise exactly where the
// expression tree needs it. Floating point is not associative, so a right
// operand of equal precedence keeps its parentheses: the generated code
// evaluates in the order the equation was written.
const (
	precOr = iota + 1
	precAnd
	precCmp
	precAdd
	precMul
	precUnary
	precAtom
)

var binaryOps = map[string]struct {
	goOp string
	prec int
}{
	"|": {"||", precOr}, "&": {"&&", precAnd},
	"<": {"<", precCmp}, "<=": {"<=", precCmp}, ">": {">", precCmp}, ">=": {">=", precCmp},
	"==": {"==", precCmp}, "!=": {"!=", precCmp},
	"+": {"+", precAdd}, "-": {"-", precAdd},
	"*": {"*", precMul}, "/": {"/", precMul},
}

// mathFuncs maps equation functions to Go's math package.
var mathFuncs = map[string]string{
	"exp": "Exp", "log": "Log", "sqrt": "Sqrt", "sin": "Sin", "cos": "Cos", "tan": "Tan",
	"asin": "Asin", "acos": "Acos", "atan": "Atan", "sinh": "Sinh", "cosh": "Cosh", "tanh": "Tanh",
	"abs": "Abs", "Abs": "Abs", "floor": "Floor", "ceiling": "Ceil", "atan2": "Atan2",
	"pow": "Pow", "Pow": "Pow", "Min": "Min", "Max": "Max", "erf": "Erf", "erfc": "Erfc",
}

// helpers are small functions the generated file defines only when an
// expression uses them; the Go compiler inlines them.
var helpers = map[string]string{
	"pow2":      "func pow2(x float64) float64 { return x * x }",
	"pow3":      "func pow3(x float64) float64 { return x * x * x }",
	"pow4":      "func pow4(x float64) float64 { x2 := x * x; return x2 * x2 }",
	"sign":      "func sign(x float64) float64 {\n\tswitch {\n\tcase x > 0:\n\t\treturn 1\n\tcase x < 0:\n\t\treturn -1\n\t}\n\treturn x\n}",
	"mod":       "// mod is SymPy's Mod(a, b): the floored remainder, with the sign of b.\nfunc mod(a, b float64) float64 {\n\tr := math.Mod(a, b)\n\tif r != 0 && (r < 0) != (b < 0) {\n\t\tr += b\n\t}\n\treturn r\n}",
	"indicator": "// indicator is a condition used as a number: 1 where it holds, 0 where not.\nfunc indicator(c bool) float64 {\n\tif c {\n\t\treturn 1\n\t}\n\treturn 0\n}",
	"heaviside": "// heaviside is SymPy's Heaviside(x, h0): 0 below zero, 1 above, h0 at zero.\nfunc heaviside(x, h0 float64) float64 {\n\tswitch {\n\tcase x > 0:\n\t\treturn 1\n\tcase x < 0:\n\t\treturn 0\n\t}\n\treturn h0\n}",
}

// helperCode are the helpers that call a package: written as jennifer
// code in files that jennifer renders, so that the package is imported
// (helpers holds their text for the generators that write text).
var helperCode = map[string]func() jen.Code{
	"mod": func() jen.Code {
		return jen.Comment("mod is SymPy's Mod(a, b): the floored remainder, with the sign of b.").Line().
			Func().Id("mod").Params(jen.List(jen.Id("a"), jen.Id("b")).Float64()).Float64().Block(
			jen.Id("r").Op(":=").Qual("math", "Mod").Call(jen.Id("a"), jen.Id("b")),
			jen.If(jen.Id("r").Op("!=").Lit(0).Op("&&").Parens(jen.Id("r").Op("<").Lit(0)).Op("!=").Parens(jen.Id("b").Op("<").Lit(0))).Block(
				jen.Id("r").Op("+=").Id("b"),
			),
			jen.Return(jen.Id("r")),
		)
	},
}

// exprWriter turns IR expressions into jennifer code, noting which
// imports and helpers the file needs.
type exprWriter struct {
	// java draws random() from runtime.JRand (Program.JavaSeed).
	java     bool
	usesMath bool
	usesKF   bool
	helpers  map[string]bool
}

// float writes a float64 literal that round-trips exactly and is never
// mistaken for an integer constant by Go.
func (w *exprWriter) float(v float64) *jen.Statement {
	switch {
	case math.IsNaN(v):
		w.usesMath = true
		return jen.Qual("math", "NaN").Call()
	case math.IsInf(v, 1):
		w.usesMath = true
		return jen.Qual("math", "Inf").Call(jen.Lit(1))
	case math.IsInf(v, -1):
		w.usesMath = true
		return jen.Qual("math", "Inf").Call(jen.Lit(-1))
	}
	return jen.Op(formatFloat(v))
}

func formatFloat(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}

func (w *exprWriter) expr(n expr.Node) (*jen.Statement, error) {
	c, _, err := w.prec(n)
	return c, err
}

// operand writes n, parenthesised when its precedence is below min.
func (w *exprWriter) operand(n expr.Node, min int) (*jen.Statement, error) {
	c, p, err := w.prec(n)
	if err != nil {
		return nil, err
	}
	if p < min {
		return jen.Parens(c), nil
	}
	return c, nil
}

func (w *exprWriter) prec(n expr.Node) (*jen.Statement, int, error) {
	switch x := n.(type) {
	case *expr.Num:
		if x.Value < 0 || math.IsInf(x.Value, 0) || math.IsNaN(x.Value) {
			return w.float(x.Value), precUnary, nil
		}
		return w.float(x.Value), precAtom, nil
	case *expr.Bool:
		return jen.Lit(x.Value), precAtom, nil
	case *expr.Ident:
		if x.Name == ir.KF {
			w.usesKF = true
		}
		return jen.Id(x.Name), precAtom, nil
	case *expr.Unary:
		op := x.Op
		if op != "-" && op != "!" {
			return nil, 0, fmt.Errorf("unary operator %q", op)
		}
		// precUnary+1 keeps "- -x" from printing as "--x"
		arg, err := w.operand(x.X, precUnary+1)
		if err != nil {
			return nil, 0, err
		}
		return jen.Op(op).Add(arg), precUnary, nil
	case *expr.Binary:
		if x.Op == "^" {
			return w.power(x)
		}
		op, ok := binaryOps[x.Op]
		if !ok {
			return nil, 0, fmt.Errorf("operator %q", x.Op)
		}
		left, err := w.operand(x.X, op.prec)
		if err != nil {
			return nil, 0, err
		}
		right, err := w.operand(x.Y, op.prec+1)
		if err != nil {
			return nil, 0, err
		}
		return left.Op(op.goOp).Add(right), op.prec, nil
	case *expr.Call:
		return w.call(x)
	}
	return nil, 0, fmt.Errorf("expression %s cannot be written as Go here", n)
}

// power writes small integer powers as multiplications (exact and fast),
// square roots as math.Sqrt, and the rest as math.Pow.
func (w *exprWriter) power(x *expr.Binary) (*jen.Statement, int, error) {
	if e, ok := x.Y.(*expr.Num); ok {
		switch e.Value {
		case 2, 3, 4:
			n := int(e.Value)
			if id, ok := x.X.(*expr.Ident); ok && n == 2 {
				c, _, _ := w.prec(id)
				return c.Clone().Op("*").Add(c.Clone()), precMul, nil
			}
			base, err := w.expr(x.X)
			if err != nil {
				return nil, 0, err
			}
			name := fmt.Sprintf("pow%d", n)
			w.helper(name)
			return jen.Id(name).Call(base), precAtom, nil
		case 0.5:
			base, err := w.expr(x.X)
			if err != nil {
				return nil, 0, err
			}
			w.usesMath = true
			return jen.Qual("math", "Sqrt").Call(base), precAtom, nil
		}
	}
	base, err := w.expr(x.X)
	if err != nil {
		return nil, 0, err
	}
	exp, err := w.expr(x.Y)
	if err != nil {
		return nil, 0, err
	}
	w.usesMath = true
	return jen.Qual("math", "Pow").Call(base, exp), precAtom, nil
}

func (w *exprWriter) helper(name string) {
	if w.helpers == nil {
		w.helpers = map[string]bool{}
	}
	w.helpers[name] = true
}

func (w *exprWriter) args(ns []expr.Node) ([]jen.Code, error) {
	out := make([]jen.Code, 0, len(ns))
	for _, a := range ns {
		c, err := w.expr(a)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func (w *exprWriter) call(x *expr.Call) (*jen.Statement, int, error) {
	switch x.Func {
	case "Eq", "Ne":
		op := map[string]string{"Eq": "==", "Ne": "!="}[x.Func]
		return w.prec(&expr.Binary{P: x.P, Op: op, X: x.Args[0], Y: x.Args[1]})
	case "Mod":
		w.helper("mod")
		w.usesMath = true
		args, err := w.args(x.Args)
		return jen.Id("mod").Call(args...), precAtom, err
	case "sign":
		w.helper("sign")
		args, err := w.args(x.Args)
		return jen.Id("sign").Call(args...), precAtom, err
	case "Heaviside":
		w.helper("heaviside")
		args, err := w.args(x.Args)
		if err != nil {
			return nil, 0, err
		}
		if len(args) == 1 {
			args = append(args, w.float(0.5)) // SymPy's default value at zero
		}
		return jen.Id("heaviside").Call(args...), precAtom, nil
	case "Min", "Max":
		// Go's built-in min and max take any number of arguments and
		// treat NaN and signed zeros exactly as math.Min and math.Max do,
		// but compile to a few instructions instead of a call.
		args, err := w.args(x.Args)
		if err != nil {
			return nil, 0, err
		}
		return jen.Id(strings.ToLower(x.Func)).Call(args...), precAtom, nil
	case "Piecewise":
		if c, ok := expr.Indicator(x); ok {
			// a condition used as a number (expr.AsNumber), which no
			// stage had to hoist
			w.helper("indicator")
			cond, err := w.expr(c)
			return jen.Id("indicator").Call(cond), precAtom, err
		}
		return nil, 0, fmt.Errorf("Piecewise inside an expression (lowering should have hoisted it)")
	case "random", "normal":
		return w.random(x)
	case ir.KineticStep:
		return w.kineticStep(x)
	}
	fn, ok := mathFuncs[x.Func]
	if !ok {
		return nil, 0, fmt.Errorf("function %s has no Go equivalent", x.Func)
	}
	args, err := w.args(x.Args)
	if err != nil {
		return nil, 0, err
	}
	w.usesMath = true
	return jen.Qual("math", fn).Call(args...), precAtom, nil
}

// kineticStep writes ir.KineticStep as a call of
// runtime.KineticStep(i, dt, edges, rates, occupancies).
func (w *exprWriter) kineticStep(x *expr.Call) (*jen.Statement, int, error) {
	bad := fmt.Errorf("malformed %s call", ir.KineticStep)
	if len(x.Args) < 3 {
		return nil, 0, bad
	}
	whole := func(n expr.Node) (int, bool) {
		v, ok := n.(*expr.Num)
		if !ok || v.Value != math.Trunc(v.Value) || v.Value < 0 {
			return 0, false
		}
		return int(v.Value), true
	}
	i, ok1 := whole(x.Args[0])
	nt, ok2 := whole(x.Args[2])
	if !ok1 || !ok2 || len(x.Args) < 3+4*nt+1 {
		return nil, 0, bad
	}
	dt, err := w.expr(x.Args[1])
	if err != nil {
		return nil, 0, err
	}
	var edges []jen.Code
	for _, a := range x.Args[3 : 3+2*nt] {
		e, ok := whole(a)
		if !ok {
			return nil, 0, bad
		}
		edges = append(edges, jen.Lit(e))
	}
	rates, err := w.args(x.Args[3+2*nt : 3+4*nt])
	if err != nil {
		return nil, 0, err
	}
	occ, err := w.args(x.Args[3+4*nt:])
	if err != nil {
		return nil, 0, err
	}
	return jen.Qual(RuntimePath, "KineticStep").Call(jen.Lit(i), dt,
		jen.Index().Int().Values(edges...), jen.Index().Float64().Values(rates...), jen.Index().Float64().Values(occ...)), precAtom, nil
}
