package brain

import (
	"fmt"
	"slices"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// This is the whole-brain node body's common-subexpression pass. It
// follows compiler/lower's eliminateCommon (same choice of what to share,
// same largest-first order) but works on the node body's flat list of
// temporaries, whose every identifier keeps one value for the whole list
// (the state at the start of the step, the coupling inputs, earlier
// temporaries): equal text therefore means equal value, and a shared tree
// is evaluated exactly as written, so the results are bitwise the same.
// The Go compiler shares repeated arithmetic itself, but not repeated
// calls (math.Exp, math.Tanh) nor, in practice, whole rates repeated
// across the stages of Heun and RK4 (a rate that does not depend on the
// state, such as Kuramoto's omega + c, is the same at every stage).

// commonPrefix names the temporaries the pass introduces. Every other
// temporary of a node body has an underscore in its name (dV_1, V_inter,
// rate_exc_2) and free parameters are fp<k>, so cse<k> cannot collide.
const commonPrefix = "cse"

// expandPowers writes x**3 as x**2 * x and x**4 as x**2 * x**2. The
// generator writes x**2 as x*x, x**3 as x*x*x and x**4 as (x*x)*(x*x), so
// the value is bitwise the same; the point is that x**2 becomes visible
// to the sharing pass (Generic2dOscillator's e V**2 - f V**3).
func expandPowers(n expr.Node) expr.Node {
	return expr.Rewrite(n, func(n expr.Node) expr.Node {
		b, ok := n.(*expr.Binary)
		if !ok || b.Op != "^" {
			return n
		}
		e, ok := b.Y.(*expr.Num)
		if !ok || (e.Value != 3 && e.Value != 4) {
			return n
		}
		sq := &expr.Binary{P: b.P, Op: "^", X: b.X, Y: &expr.Num{Value: 2}}
		if e.Value == 3 {
			return &expr.Binary{P: b.P, Op: "*", X: sq, Y: b.X}
		}
		return &expr.Binary{P: b.P, Op: "*", X: sq, Y: &expr.Binary{P: b.P, Op: "^", X: b.X, Y: &expr.Num{Value: 2}}}
	})
}

// shareCommon computes every subexpression that occurs more than once
// among body's values and results once, as a temporary of its own, and
// returns the new body (results are edited in place). The largest
// repeated expression is taken first and the counts redone after each, so
// an expression that only repeats inside a larger one gets no temporary
// of its own. A temporary whose whole value is the expression is reused
// rather than copied. Afterwards a temporary that is only another name
// (dtheta_2 := dtheta_1) is replaced by that name, unless keep lists it
// (another pass reads it by name). next numbers the new temporaries.
func shareCommon(body []ir.Stmt, results []expr.Node, keep map[string]bool, next *int) []ir.Stmt {
	lets := func() []*ir.Let {
		out := make([]*ir.Let, len(body))
		for i, s := range body {
			out[i] = s.(*ir.Let)
		}
		return out
	}
	for i, l := range lets() {
		body[i] = &ir.Let{Name: l.Name, Value: expandPowers(l.Value)}
	}
	for i := range results {
		results[i] = expandPowers(results[i])
	}
	start := *next
	type site struct {
		at   int // statement index; len(body) for the results
		node *expr.Node
	}
	sites := func() []site {
		var out []site
		for i, l := range lets() {
			out = append(out, site{i, &l.Value})
		}
		for i := range results {
			out = append(out, site{len(body), &results[i]})
		}
		return out
	}
	for {
		counts := map[string]int{}
		firstAt := map[string]int{}
		for _, s := range sites() {
			expr.EachCostly(*s.node, func(key string) {
				if counts[key] == 0 {
					firstAt[key] = s.at
				}
				counts[key]++
			})
		}
		best := ""
		for key, c := range counts {
			if c >= 2 && (len(key) > len(best) || len(key) == len(best) && key < best) {
				best = key
			}
		}
		if best == "" {
			break
		}
		at := firstAt[best]
		name, reuse := "", false
		if at < len(body) {
			if l := body[at].(*ir.Let); l.Value.String() == best {
				name, reuse = l.Name, true
			}
		}
		if name == "" {
			name = fmt.Sprintf("%s%d", commonPrefix, *next)
			*next++
		}
		var value expr.Node
		for _, s := range sites() {
			if reuse && s.at == at {
				continue
			}
			*s.node = replaceShared(*s.node, best, &value, name)
		}
		if !reuse {
			body = slices.Insert(body, at, ir.Stmt(&ir.Let{Name: name, Value: value}))
		}
	}
	return renumber(propagateCopies(body, results, keep), results, start)
}

// renumber names the temporaries numbered from start on (introduced
// largest expression first) in the order they are computed, for a
// readable generated file.
func renumber(body []ir.Stmt, results []expr.Node, start int) []ir.Stmt {
	names := map[string]string{}
	k := start
	for _, s := range body {
		l := s.(*ir.Let)
		var n int
		if _, err := fmt.Sscanf(l.Name, commonPrefix+"%d", &n); err == nil && n >= start && l.Name == fmt.Sprintf("%s%d", commonPrefix, n) {
			names[l.Name] = fmt.Sprintf("%s%d", commonPrefix, k)
			k++
		}
	}
	rename := func(n expr.Node) expr.Node {
		return expr.Rewrite(n, func(n expr.Node) expr.Node {
			if x, ok := n.(*expr.Ident); ok {
				if to, ok := names[x.Name]; ok {
					return &expr.Ident{P: x.P, Name: to}
				}
			}
			return n
		})
	}
	out := make([]ir.Stmt, len(body))
	for i, s := range body {
		l := s.(*ir.Let)
		name := l.Name
		if to, ok := names[name]; ok {
			name = to
		}
		out[i] = &ir.Let{Name: name, Value: rename(l.Value)}
	}
	for i := range results {
		results[i] = rename(results[i])
	}
	return out
}

// propagateCopies drops every temporary whose value is just another
// identifier (not in keep), reading that identifier instead.
func propagateCopies(body []ir.Stmt, results []expr.Node, keep map[string]bool) []ir.Stmt {
	alias := map[string]expr.Node{}
	rename := func(n expr.Node) expr.Node {
		return expr.Rewrite(n, func(n expr.Node) expr.Node {
			if x, ok := n.(*expr.Ident); ok {
				if to, ok := alias[x.Name]; ok {
					return to
				}
			}
			return n
		})
	}
	var out []ir.Stmt
	for _, s := range body {
		l := s.(*ir.Let)
		v := rename(l.Value)
		if _, isIdent := v.(*expr.Ident); isIdent && !keep[l.Name] {
			alias[l.Name] = v
			continue
		}
		out = append(out, &ir.Let{Name: l.Name, Value: v})
	}
	for i := range results {
		results[i] = rename(results[i])
	}
	return out
}

// replaceShared returns n with every occurrence of the expression whose
// text is key replaced by the identifier name; the first occurrence is
// stored in *value.
func replaceShared(n expr.Node, key string, value *expr.Node, name string) expr.Node {
	if expr.Costly(n) && n.String() == key {
		if *value == nil {
			*value = n
		}
		return &expr.Ident{Name: name}
	}
	switch x := n.(type) {
	case *expr.Unary:
		return &expr.Unary{P: x.P, Op: x.Op, X: replaceShared(x.X, key, value, name)}
	case *expr.Binary:
		return &expr.Binary{P: x.P, Op: x.Op, X: replaceShared(x.X, key, value, name), Y: replaceShared(x.Y, key, value, name)}
	case *expr.Call:
		if x.Func == "Piecewise" {
			return n
		}
		args := make([]expr.Node, len(x.Args))
		for i, a := range x.Args {
			args[i] = replaceShared(a, key, value, name)
		}
		return &expr.Call{P: x.P, Func: x.Func, Args: args}
	}
	return n
}
