package expr

import (
	"math"
	"sort"
)

// Exhaustive reports whether the conditions of a Piecewise (its
// arguments, (value, condition) pairs) provably hold for every value of
// their variables but NaN, so that some branch always gives the value.
// It proves what equations write in practice: a True branch; comparisons
// of one expression with numbers whose ranges together cover every real
// ("x < 0.5", "x >= 0.5"; "x > 0.5", "x < -0.5", "abs(x) <= 0.5"); and
// comparisons of the same two expressions that cover every ordering
// ("V < Vt", "V >= Vt"). Anything else is not proven.
func Exhaustive(args []Node) bool {
	ranges := map[string][]interval{} // expression -> where some condition holds
	orders := map[string]int{}        // "a|b" -> the orderings of a and b covered (bits lt, eq, gt)
	for _, arg := range args {
		t, ok := arg.(*Tuple)
		if !ok || len(t.Elems) != 2 {
			continue
		}
		cond := t.Elems[1]
		if b, ok := cond.(*Bool); ok && b.Value {
			return true
		}
		op, x, y, ok := comparison(cond)
		if !ok {
			continue
		}
		if c, ok := number(y); ok {
			addRange(ranges, x, op, c)
		} else if c, ok := number(x); ok {
			addRange(ranges, y, flip(op), c)
		}
		a, b := x.String(), y.String()
		if a > b {
			a, b, op = b, a, flip(op)
		}
		key := a + "|" + b
		orders[key] |= orderBits[op]
		if orders[key] == 7 {
			return true
		}
	}
	for _, ivs := range ranges {
		if coversReals(ivs) {
			return true
		}
	}
	return false
}

// orderBits are the orderings of a and b in which "a op b" holds: 1 for
// a < b, 2 for a == b, 4 for a > b.
var orderBits = map[string]int{"<": 1, "<=": 3, "==": 2, "!=": 5, ">=": 6, ">": 4}

func flip(op string) string {
	switch op {
	case "<":
		return ">"
	case "<=":
		return ">="
	case ">":
		return "<"
	case ">=":
		return "<="
	}
	return op
}

// comparison takes a condition apart as "x op y".
func comparison(n Node) (op string, x, y Node, ok bool) {
	switch c := n.(type) {
	case *Binary:
		if _, ok := orderBits[c.Op]; ok {
			return c.Op, c.X, c.Y, true
		}
	case *Call:
		if (c.Func == "Eq" || c.Func == "Ne") && len(c.Args) == 2 {
			return map[string]string{"Eq": "==", "Ne": "!="}[c.Func], c.Args[0], c.Args[1], true
		}
	}
	return "", nil, nil, false
}

// number is the value of a literal, possibly negated.
func number(n Node) (float64, bool) {
	switch x := n.(type) {
	case *Num:
		return x.Value, !math.IsNaN(x.Value)
	case *Unary:
		if x.Op == "-" {
			v, ok := number(x.X)
			return -v, ok
		}
	}
	return 0, false
}

// interval is a range of reals, each end open or closed (infinite ends
// are open).
type interval struct {
	lo, hi         float64
	loOpen, hiOpen bool
}

// addRange adds where "x op c" holds to ranges[x]; for x = abs(u), where
// it holds for u.
func addRange(ranges map[string][]interval, x Node, op string, c float64) {
	inf := math.Inf(1)
	var ivs []interval
	switch op {
	case "<":
		ivs = []interval{{-inf, c, true, true}}
	case "<=":
		ivs = []interval{{-inf, c, true, false}}
	case ">":
		ivs = []interval{{c, inf, true, true}}
	case ">=":
		ivs = []interval{{c, inf, false, true}}
	case "==":
		ivs = []interval{{c, c, false, false}}
	case "!=":
		ivs = []interval{{-inf, c, true, true}, {c, inf, true, true}}
	}
	if call, ok := x.(*Call); ok && call.Func == "abs" && len(call.Args) == 1 {
		// |u| in [lo, hi] (clipped to u >= 0) is u in [lo, hi] or [-hi, -lo]
		x = call.Args[0]
		var both []interval
		for _, iv := range ivs {
			if iv.hi < 0 || iv.hi == 0 && iv.hiOpen {
				continue
			}
			if iv.lo < 0 {
				iv.lo, iv.loOpen = 0, false
			}
			both = append(both, iv, interval{-iv.hi, -iv.lo, iv.hiOpen, iv.loOpen})
		}
		ivs = both
	}
	key := x.String()
	ranges[key] = append(ranges[key], ivs...)
}

// coversReals reports whether the union of ivs is every real number.
func coversReals(ivs []interval) bool {
	sort.Slice(ivs, func(i, j int) bool {
		if ivs[i].lo != ivs[j].lo {
			return ivs[i].lo < ivs[j].lo
		}
		return !ivs[i].loOpen && ivs[j].loOpen
	})
	// reach: everything below it is covered; reachOpen: reach itself is not
	reach, reachOpen := math.Inf(-1), true
	started := false
	for _, iv := range ivs {
		if !started {
			if !math.IsInf(iv.lo, -1) {
				return false
			}
			started = true
			reach, reachOpen = iv.hi, iv.hiOpen
			continue
		}
		// iv joins the covered range if it starts below reach, or at reach
		// with one of the two ends closed
		if iv.lo > reach || iv.lo == reach && reachOpen && iv.loOpen {
			return false
		}
		if iv.hi > reach || iv.hi == reach && !iv.hiOpen {
			reach, reachOpen = iv.hi, iv.hiOpen
		}
	}
	return started && math.IsInf(reach, 1)
}
