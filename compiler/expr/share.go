package expr

// Costly reports whether n costs enough to deserve a temporary when it
// occurs more than once: arithmetic and function calls, not names,
// numbers or conditions. Common-subexpression passes use it.
func Costly(n Node) bool {
	switch x := n.(type) {
	case *Binary:
		switch x.Op {
		case "+", "-", "*", "/", "^":
			return true
		}
	case *Call:
		switch x.Func {
		case "Piecewise", "Eq", "Ne":
			return false
		}
		return true
	}
	return false
}

// EachCostly calls f with the canonical text of every costly
// subexpression of n, once per occurrence. It does not look inside a
// Piecewise: its branches run conditionally, and hoisting one out would
// compute it where it is not wanted (a log of a negative number, say).
func EachCostly(n Node, f func(string)) {
	if Costly(n) {
		f(n.String())
	}
	switch x := n.(type) {
	case *Unary:
		EachCostly(x.X, f)
	case *Binary:
		EachCostly(x.X, f)
		EachCostly(x.Y, f)
	case *Call:
		if x.Func == "Piecewise" {
			return
		}
		for _, a := range x.Args {
			EachCostly(a, f)
		}
	}
}
