package gen

import (
	"fmt"
	"math"
	"strings"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// The shape of a cell's statements: what node loops compare to find cells
// stepped alike, and rewrite into a loop body (nodeloop.go).
// shape is one cell's statements seen as a template: sig is their
// structure with every state name and every number that may differ
// between cells left out, leaves are those names and numbers in order.
// Two cells with the same sig differ only in their leaves.
type shape struct {
	b      strings.Builder
	sig    string
	leaves []leaf
	locals map[string]int // temporaries defined so far -> order
	n      int            // leaves visited (rewriting)
}

type leaf struct {
	name  string
	value float64
	num   bool
	flag  bool // a spike flag
}

func newShape() *shape { return &shape{locals: map[string]int{}} }

// stmts records the shape of ss; with repl (one entry per leaf, nil
// keeps the leaf) it also returns ss with the leaves replaced.
func (s *shape) stmts(ss []ir.Stmt, repl []expr.Node) []ir.Stmt {
	out := s.walk(ss, repl)
	s.sig = s.b.String()
	return out
}

func (s *shape) walk(ss []ir.Stmt, repl []expr.Node) []ir.Stmt {
	var out []ir.Stmt
	for _, st := range ss {
		switch x := st.(type) {
		case *ir.Let:
			s.b.WriteString("let(")
			v := s.expr(x.Value, true, repl)
			s.locals[x.Name] = len(s.locals)
			s.b.WriteString(");")
			out = append(out, &ir.Let{Name: x.Name, Value: v})
		case *ir.Set:
			s.b.WriteString("set(")
			name := s.target(x.Name, repl)
			v := s.expr(x.Value, true, repl)
			s.b.WriteString(");")
			out = append(out, &ir.Set{Name: name, Value: v})
		case *ir.Update:
			fmt.Fprintf(&s.b, "upd%d(", len(x.Names))
			u := &ir.Update{}
			for i, n := range x.Names {
				u.Names = append(u.Names, s.target(n, repl))
				u.Values = append(u.Values, s.expr(x.Values[i], true, repl))
			}
			s.b.WriteString(");")
			out = append(out, u)
		case *ir.If:
			s.b.WriteString("if(")
			c := s.expr(x.Cond, false, repl)
			s.b.WriteString("){")
			then := s.walk(x.Then, repl)
			s.b.WriteString("}")
			out = append(out, &ir.If{Cond: c, Then: then})
		case *ir.Emit:
			// the flag is the cell's own: a leaf, which spike flags in
			// arrays make alike; a source whose delayed spikes carry
			// jLEMS's time (spikeTime) stores it in a ring of its own,
			// which keeps the cell out of any run
			s.b.WriteString("emit(")
			if x.Source.TimeRing != "" {
				fmt.Fprintf(&s.b, "%s,", x.Source.TimeRing)
			}
			out = append(out, &ir.Emit{Source: s.flag(x.Source, repl)})
			s.b.WriteString(");")
		case *ir.Deliver:
			d := *x
			if x.Delay == 0 {
				// the same step's flag; a delayed spike is read from
				// its source's ring
				s.b.WriteString("dlv(")
				d.Source = s.flag(x.Source, repl)
			} else {
				fmt.Fprintf(&s.b, "dlv(%s,%d", x.Source.Flag, x.Delay)
			}
			s.b.WriteString("){")
			d.Then = s.walk(x.Then, repl)
			s.b.WriteString("}")
			out = append(out, &d)
		default:
			fmt.Fprintf(&s.b, "%T;", st) // never alike: unknown
			out = append(out, st)
		}
	}
	return out
}

// flag is a spike source's flag as a leaf: src itself, or a copy whose
// Flag is the replacement.
func (s *shape) flag(src *ir.SpikeSource, repl []expr.Node) *ir.SpikeSource {
	s.b.WriteString("F,")
	if r := s.leaf(leaf{name: src.Flag, flag: true}, repl); r != nil {
		c := *src
		c.Flag = r.(*expr.Ident).Name
		return &c
	}
	return src
}

// target is an assigned name: a state (a leaf) or a temporary.
func (s *shape) target(name string, repl []expr.Node) string {
	if k, ok := s.locals[name]; ok {
		fmt.Fprintf(&s.b, "L%d,", k)
		return name
	}
	s.b.WriteString("I,")
	if r := s.leaf(leaf{name: name}, repl); r != nil {
		return r.(*expr.Ident).Name
	}
	return name
}

func (s *shape) leaf(l leaf, repl []expr.Node) expr.Node {
	k := s.n
	s.n++
	if repl == nil {
		s.leaves = append(s.leaves, l)
		return nil
	}
	return repl[k]
}

// freeOps are the operators whose number operands the generator writes
// as they are (a variable in their place computes the same): not "^",
// whose small integer exponents become multiplications.
var freeOps = map[string]bool{"+": true, "-": true, "*": true, "/": true,
	"<": true, "<=": true, ">": true, ">=": true, "==": true, "!=": true}

// expr records n's shape. A number is a leaf only where free: where the
// generator writes it as a plain operand whose value does not change the
// code around it, and never beside another number (Go folds constant
// operands exactly, a variable would not be).
func (s *shape) expr(n expr.Node, free bool, repl []expr.Node) expr.Node {
	switch x := n.(type) {
	case *expr.Num:
		if !free {
			fmt.Fprintf(&s.b, "n%x", math.Float64bits(x.Value))
			return n
		}
		s.b.WriteString("N")
		if r := s.leaf(leaf{num: true, value: x.Value}, repl); r != nil {
			return r
		}
		return n
	case *expr.Bool:
		fmt.Fprintf(&s.b, "b%t", x.Value)
		return n
	case *expr.Ident:
		if k, ok := s.locals[x.Name]; ok {
			fmt.Fprintf(&s.b, "L%d", k)
			return n
		}
		if x.Name == ir.KF {
			s.b.WriteString("kf")
			return n
		}
		s.b.WriteString("I")
		if r := s.leaf(leaf{name: x.Name}, repl); r != nil {
			return r
		}
		return n
	case *expr.Unary:
		fmt.Fprintf(&s.b, "(%s", x.Op)
		v := s.expr(x.X, free, repl)
		s.b.WriteString(")")
		return &expr.Unary{P: x.P, Op: x.Op, X: v}
	case *expr.Binary:
		fmt.Fprintf(&s.b, "(%s ", x.Op)
		ok := freeOps[x.Op]
		l := s.expr(x.X, ok && !isConst(x.Y), repl)
		s.b.WriteString(",")
		r := s.expr(x.Y, ok && !isConst(x.X), repl)
		s.b.WriteString(")")
		return &expr.Binary{P: x.P, Op: x.Op, X: l, Y: r}
	case *expr.Call:
		fmt.Fprintf(&s.b, "%s%d(", x.Func, len(x.Args))
		_, isMath := mathFuncs[x.Func]
		ok := isMath && x.Func != "Min" && x.Func != "Max" || x.Func == "Piecewise"
		args := make([]expr.Node, len(x.Args))
		for i, a := range x.Args {
			args[i] = s.expr(a, ok, repl)
			s.b.WriteString(",")
		}
		s.b.WriteString(")")
		return &expr.Call{P: x.P, Func: x.Func, Args: args}
	case *expr.Tuple:
		// a Piecewise branch: (value, condition)
		s.b.WriteString("(tuple ")
		elems := make([]expr.Node, len(x.Elems))
		for i, e := range x.Elems {
			elems[i] = s.expr(e, free, repl)
			s.b.WriteString(",")
		}
		s.b.WriteString(")")
		return &expr.Tuple{P: x.P, Elems: elems}
	}
	fmt.Fprintf(&s.b, "%T?", n) // never alike
	return n
}

// isConst reports whether Go would evaluate n as a constant expression
// (exactly, at compile time): numbers and operators over numbers.
func isConst(n expr.Node) bool {
	switch x := n.(type) {
	case *expr.Num:
		return true
	case *expr.Unary:
		return isConst(x.X)
	case *expr.Binary:
		return isConst(x.X) && isConst(x.Y)
	case *expr.Call:
		if x.Func != "Min" && x.Func != "Max" {
			return false
		}
		for _, a := range x.Args {
			if !isConst(a) {
				return false
			}
		}
		return true
	}
	return false
}
