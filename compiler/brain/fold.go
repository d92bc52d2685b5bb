package brain

import (
	"math"

	"github.com/tvboc/tvboc/compiler/expr"
)

// fold evaluates constant sub-expressions and drops additions of zero and
// multiplications by one or zero, so parameters at their defaults (I = 0,
// g = 0, local_coupling = 0) cost nothing. Order of evaluation is kept
// otherwise: floating point is not associative.
func fold(n expr.Node) expr.Node {
	return expr.Rewrite(n, func(n expr.Node) expr.Node {
		switch x := n.(type) {
		case *expr.Unary:
			if v, ok := x.X.(*expr.Num); ok && x.Op == "-" {
				return num(-v.Value)
			}
		case *expr.Binary:
			a, aok := x.X.(*expr.Num)
			b, bok := x.Y.(*expr.Num)
			if aok && bok {
				if v, err := expr.Eval(x, nil); err == nil {
					return num(v)
				}
			}
			switch x.Op {
			case "+":
				if aok && a.Value == 0 {
					return x.Y
				}
				if bok && b.Value == 0 {
					return x.X
				}
			case "-":
				if bok && b.Value == 0 {
					return x.X
				}
				if aok && a.Value == 0 {
					return fold(&expr.Unary{P: x.P, Op: "-", X: x.Y})
				}
			case "*":
				if (aok && a.Value == 0) || (bok && b.Value == 0) {
					return num(0)
				}
				if aok && a.Value == 1 {
					return x.Y
				}
				if bok && b.Value == 1 {
					return x.X
				}
			case "/":
				if aok && a.Value == 0 {
					return num(0)
				}
				if bok && b.Value == 1 {
					return x.X
				}
			}
		case *expr.Call:
			if x.Func == "Piecewise" {
				return foldPiecewise(x)
			}
			for _, a := range x.Args {
				if _, ok := a.(*expr.Num); !ok {
					return n
				}
			}
			if v, err := expr.Eval(x, nil); err == nil && !math.IsNaN(v) {
				return num(v)
			}
		}
		return n
	})
}

// foldPiecewise drops the branches whose condition is constant false and
// ends the list at the first constant true one, so a switch on a model
// parameter (Epileptor's modification, Wilson-Cowan's shift_sigmoid)
// leaves only the chosen branch.
func foldPiecewise(x *expr.Call) expr.Node {
	var keep []expr.Node
	for _, a := range x.Args {
		t, ok := a.(*expr.Tuple)
		if !ok || len(t.Elems) != 2 {
			return x
		}
		var c float64
		switch v := t.Elems[1].(type) {
		case *expr.Num:
			c = v.Value
		case *expr.Bool:
			if v.Value {
				c = 1
			}
		default:
			keep = append(keep, a)
			continue
		}
		if c == 0 {
			continue
		}
		if len(keep) == 0 {
			return t.Elems[0]
		}
		keep = append(keep, &expr.Tuple{P: t.P, Elems: []expr.Node{t.Elems[0], &expr.Bool{Value: true}}})
		break
	}
	if len(keep) == len(x.Args) {
		return x
	}
	return &expr.Call{P: x.P, Func: x.Func, Args: keep}
}

func num(v float64) *expr.Num { return &expr.Num{Value: v} }

func add(a, b expr.Node) expr.Node { return fold(&expr.Binary{Op: "+", X: a, Y: b}) }
func mul(a, b expr.Node) expr.Node { return fold(&expr.Binary{Op: "*", X: a, Y: b}) }
func div(a, b expr.Node) expr.Node { return fold(&expr.Binary{Op: "/", X: a, Y: b}) }
func ident(name string) expr.Node  { return &expr.Ident{Name: name} }
