package expr

import (
	"fmt"
	"math"
)

// NonFinite finds the first operation of n whose value is fixed at compile
// time (every name it reads has a value in lookup) and is NaN or infinite
// although its operands are finite: a division by zero, the log of a
// negative number, exp of a huge number. It returns that node and what
// went wrong ("(x / a) divides by zero", "log(-1) is NaN"), or nil. Piecewise branches whose
// condition is fixed and false are never taken and are not judged. The
// generated code would compute such a value every step and write NaN or
// Inf without a word; the compiler refuses it with its position instead.
func NonFinite(n Node, lookup func(name string) (float64, bool)) (Node, string) {
	f := finder{lookup: lookup}
	f.value(n)
	return f.bad, f.why
}

type finder struct {
	lookup func(name string) (float64, bool)
	bad    Node
	why    string
}

// value returns n's value and whether it is fixed, recording the first
// operation that makes a finite value non-finite.
func (f *finder) value(n Node) (float64, bool) {
	if f.bad != nil {
		return 0, false
	}
	switch x := n.(type) {
	case *Num:
		return x.Value, true
	case *Bool:
		return boolValue(x.Value), true
	case *Ident:
		if v, ok := f.lookup(x.Name); ok {
			return v, true
		}
		if v, ok := Constants[x.Name]; ok {
			return v, true
		}
		return 0, false
	case *Call:
		switch x.Func {
		case "random", "normal":
			for _, a := range x.Args {
				f.value(a)
			}
			return 0, false
		case "Piecewise":
			return f.piecewise(x)
		}
	case *Index, *Tuple:
		return 0, false
	}
	fixed := true
	var args []float64
	var each []bool
	for _, c := range children(n) {
		v, ok := f.value(c)
		if f.bad != nil {
			return 0, false
		}
		fixed = fixed && ok && !math.IsNaN(v) && !math.IsInf(v, 0)
		args, each = append(args, v), append(each, ok)
	}
	if b, ok := n.(*Binary); ok && b.Op == "/" && each[1] && args[1] == 0 && !each[0] {
		// a division by a fixed zero is never finite, whatever it divides
		f.bad, f.why = n, fmt.Sprintf("%s divides by zero", n)
		return 0, false
	}
	if isRemainder(n) && each[1] && args[1] == 0 && !each[0] {
		// nor is a remainder of one: Mod(x, 0) is NaN for every x
		f.bad, f.why = n, fmt.Sprintf("%s takes a remainder after division by zero", n)
		return 0, false
	}
	if !fixed {
		return 0, false
	}
	v, err := Eval(n, f.lookup)
	if err != nil {
		return 0, false
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		f.bad, f.why = n, describeNonFinite(n, args, v)
	}
	return v, true
}

func (f *finder) piecewise(c *Call) (float64, bool) {
	for _, arg := range c.Args {
		t, ok := arg.(*Tuple)
		if !ok || len(t.Elems) != 2 {
			return 0, false
		}
		cond, fixed := f.value(t.Elems[1])
		if f.bad != nil {
			return 0, false
		}
		if fixed && cond == 0 {
			continue // never taken
		}
		v, vfixed := f.value(t.Elems[0])
		if fixed && vfixed {
			return v, true
		}
		if fixed {
			return 0, false // this branch is taken, and its value varies
		}
	}
	return 0, false
}

func describeNonFinite(n Node, args []float64, v float64) string {
	if b, ok := n.(*Binary); ok && len(args) == 2 {
		switch {
		case b.Op == "/" && args[1] == 0:
			return fmt.Sprintf("%s divides %g by zero", n, args[0])
		case b.Op == "^":
			return fmt.Sprintf("%g to the power %g is %v", args[0], args[1], v)
		}
		return fmt.Sprintf("%g %s %g is %v", args[0], b.Op, args[1], v)
	}
	if c, ok := n.(*Call); ok && len(args) == 1 {
		return fmt.Sprintf("%s(%g) is %v", c.Func, args[0], v)
	}
	return fmt.Sprintf("is %v", v)
}

// isRemainder reports whether n is a % b or Mod(a, b).
// Cause is the part of a node NonFinite found whose values are to blame:
// the divisor of a division or remainder (the parameters that are zero),
// else the node itself.
func Cause(bad Node) Node {
	switch x := bad.(type) {
	case *Binary:
		if x.Op == "/" || x.Op == "%" {
			return x.Y
		}
	case *Call:
		if isRemainder(x) {
			return x.Args[1]
		}
	}
	return bad
}

func isRemainder(n Node) bool {
	switch x := n.(type) {
	case *Binary:
		return x.Op == "%"
	case *Call:
		return (x.Func == "Mod" || x.Func == "mod") && len(x.Args) == 2
	}
	return false
}
