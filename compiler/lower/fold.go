package lower

import (
	"math"

	"github.com/tvboc/tvboc/compiler/expr"
)

func num(v float64) *expr.Num { return &expr.Num{Value: v} }

func isNum(n expr.Node, v float64) bool {
	x, ok := n.(*expr.Num)
	return ok && x.Value == v
}

// substitute replaces identifiers by the nodes in env (others are kept).
func substitute(n expr.Node, env map[string]expr.Node) expr.Node {
	return expr.Rewrite(n, func(x expr.Node) expr.Node {
		if id, ok := x.(*expr.Ident); ok {
			if r, ok := env[id.Name]; ok {
				return r
			}
		}
		return x
	})
}

// fold evaluates every constant subexpression and drops the dead terms it
// leaves (x*1, x+0, 0*x, decided Piecewise branches), so the generated code
// keeps only what varies at run time.
func fold(n expr.Node) expr.Node {
	return expr.Rewrite(n, foldNode)
}

func foldNode(n expr.Node) expr.Node {
	switch x := n.(type) {
	case *expr.Unary:
		if v, ok := x.X.(*expr.Num); ok && x.Op == "-" {
			return num(-v.Value)
		}
		if b, ok := x.X.(*expr.Bool); ok && x.Op == "!" {
			return &expr.Bool{Value: !b.Value}
		}
	case *expr.Binary:
		return foldBinary(x)
	case *expr.Call:
		return foldCall(x)
	}
	return n
}

func foldBinary(x *expr.Binary) expr.Node {
	a, aNum := x.X.(*expr.Num)
	b, bNum := x.Y.(*expr.Num)
	if aNum && bNum {
		if v, err := expr.Eval(x, nil); err == nil {
			switch x.Op {
			case "<", "<=", ">", ">=", "==", "!=":
				return &expr.Bool{Value: v != 0}
			}
			return num(v)
		}
	}
	ab, aBool := x.X.(*expr.Bool)
	bb, bBool := x.Y.(*expr.Bool)
	switch x.Op {
	case "&":
		if aBool {
			if !ab.Value {
				return ab
			}
			return x.Y
		}
		if bBool {
			if !bb.Value {
				return bb
			}
			return x.X
		}
	case "|":
		if aBool {
			if ab.Value {
				return ab
			}
			return x.Y
		}
		if bBool {
			if bb.Value {
				return bb
			}
			return x.X
		}
	case "+":
		if aNum && a.Value == 0 {
			return x.Y
		}
		if bNum && b.Value == 0 {
			return x.X
		}
		if bNum && b.Value < 0 {
			// x + (-c) is x - c exactly (IEEE subtraction adds the negation)
			return &expr.Binary{P: x.P, Op: "-", X: x.X, Y: num(-b.Value)}
		}
	case "-":
		if bNum && b.Value == 0 {
			return x.X
		}
		if bNum && b.Value < 0 {
			// x - (-c) is x + c exactly: "v - -60" reads as "v + 60"
			return &expr.Binary{P: x.P, Op: "+", X: x.X, Y: num(-b.Value)}
		}
		if aNum && a.Value == 0 {
			return foldNode(&expr.Unary{P: x.P, Op: "-", X: x.Y})
		}
	case "*":
		if (aNum && a.Value == 0) || (bNum && b.Value == 0) {
			return num(0)
		}
		if aNum && a.Value == 1 {
			return x.Y
		}
		if bNum && b.Value == 1 {
			return x.X
		}
	case "/":
		if bNum && b.Value == 1 {
			return x.X
		}
		if aNum && a.Value == 0 {
			return num(0)
		}
	case "^":
		if bNum && b.Value == 1 {
			return x.X
		}
		if bNum && b.Value == 0 {
			return num(1)
		}
	}
	return x
}

func foldCall(x *expr.Call) expr.Node {
	if x.Func == "Piecewise" {
		var kept []expr.Node
		for _, arg := range x.Args {
			t, ok := arg.(*expr.Tuple)
			if !ok || len(t.Elems) != 2 {
				return x
			}
			if c, ok := t.Elems[1].(*expr.Bool); ok {
				if !c.Value {
					continue // a branch that can never be taken
				}
				if len(kept) == 0 {
					return t.Elems[0] // the first branch that holds
				}
			}
			kept = append(kept, t)
			if c, ok := t.Elems[1].(*expr.Bool); ok && c.Value {
				break // later branches are unreachable
			}
		}
		if len(kept) == 0 {
			return num(math.NaN()) // no branch holds: SymPy's undefined
		}
		return &expr.Call{P: x.P, Func: x.Func, Args: kept}
	}
	for _, a := range x.Args {
		if _, ok := a.(*expr.Num); !ok {
			return x
		}
	}
	if v, err := expr.Eval(x, nil); err == nil {
		switch x.Func {
		case "Eq", "Ne":
			return &expr.Bool{Value: v != 0}
		}
		return num(v)
	}
	return x
}
