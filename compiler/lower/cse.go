package lower

import (
	"slices"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/resolve"
)

// eliminateCommon computes every subexpression that occurs more than once
// among a cell's stage temporaries and update values once, as a temporary
// of its own, and returns the new statements (the update is edited in
// place). It runs before the update, where every identifier still holds
// the value of the start of the step, so equal text means equal value;
// the result is bitwise the same as without it, since the shared tree is
// evaluated exactly as written.
//
// The largest repeated expression is taken first and the counts are
// redone after each one, so an expression that only repeats as part of a
// larger one gets no temporary of its own. Piecewise temporaries are left
// alone: their branches run conditionally, and hoisting a guarded
// branch out of its if-chain would compute it where it is not wanted.
// The Go compiler shares repeated arithmetic itself, but not repeated
// calls such as math.Exp, nor across the stages of Heun and RK4.
func (l *lowerer) eliminateCommon(n *resolve.Node, body []ir.Stmt, up *ir.Update) []ir.Stmt {
	// exprs returns pointers to every expression the pass may rewrite, with
	// the index of the statement holding it (len(body) for the update).
	type site struct {
		at   int
		node *expr.Node
	}
	sites := func() []site {
		var out []site
		for i, s := range body {
			if let, ok := s.(*ir.Let); ok && !isPiecewise(let.Value) {
				out = append(out, site{i, &let.Value})
			}
		}
		for i := range up.Values {
			out = append(out, site{len(body), &up.Values[i]})
		}
		return out
	}
	// keysOf is EachCostly's keys of an expression, kept across rounds: a
	// round rewrites only the sites that hold its expression, so the
	// others' keys (text building that grows with an expression's depth)
	// are not made again. Expressions are never changed in place.
	keys := map[expr.Node][]string{}
	keysOf := func(n expr.Node) []string {
		k, ok := keys[n]
		if !ok {
			expr.EachCostly(n, func(key string) { k = append(k, key) })
			keys[n] = k
		}
		return k
	}
	size := 0 // the keys of the last round: the maps made at their size, not grown
	for {
		counts := make(map[string]int, size)
		firstAt := make(map[string]int, size)
		for _, s := range sites() {
			for _, key := range keysOf(*s.node) {
				if counts[key] == 0 {
					firstAt[key] = s.at
				}
				counts[key]++
			}
		}
		size = len(counts)
		best := ""
		for key, c := range counts {
			if c < 2 {
				continue
			}
			if len(key) > len(best) || len(key) == len(best) && key < best {
				best = key
			}
		}
		if best == "" {
			return body
		}
		at := firstAt[best]
		// Reuse a temporary whose whole value is the expression.
		name, reuse := "", false
		if at < len(body) {
			if let, ok := body[at].(*ir.Let); ok && let.Value.String() == best {
				name, reuse = let.Name, true
			}
		}
		tempName := func() string {
			if name == "" {
				name = l.names.make(n.Pop.Name, n.Index, "common")
			}
			return name
		}
		var value expr.Node
		for _, s := range sites() {
			if reuse && s.at == at || !slices.Contains(keysOf(*s.node), best) {
				continue // (rewriting it would copy it unchanged)
			}
			delete(keys, *s.node)
			*s.node = replaceShared(*s.node, best, &value, tempName)
		}
		if !reuse {
			body = slices.Insert(body, at, ir.Stmt(&ir.Let{Name: name, Value: value}))
		}
	}
}

func isPiecewise(n expr.Node) bool {
	c, ok := n.(*expr.Call)
	return ok && c.Func == "Piecewise"
}

// replaceShared returns n with every occurrence of the expression whose
// text is key replaced by the temporary name() names; the first
// occurrence found is stored in *value.
func replaceShared(n expr.Node, key string, value *expr.Node, name func() string) expr.Node {
	if expr.Costly(n) && n.String() == key {
		if *value == nil {
			*value = n
		}
		return &expr.Ident{Name: name()}
	}
	switch x := n.(type) {
	case *expr.Unary:
		c := *x
		c.X = replaceShared(x.X, key, value, name)
		return &c
	case *expr.Binary:
		c := *x
		c.X = replaceShared(x.X, key, value, name)
		c.Y = replaceShared(x.Y, key, value, name)
		return &c
	case *expr.Call:
		if x.Func == "Piecewise" {
			return n
		}
		c := *x
		c.Args = make([]expr.Node, len(x.Args))
		for i, a := range x.Args {
			c.Args[i] = replaceShared(a, key, value, name)
		}
		return &c
	}
	return n
}
