package brain

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/expr"
)

// A heterogeneous network (nodes that each name their dynamics, explicit
// weighted edges) is compiled as ONE node of a composite model: every
// node's state variables, derived variables and coupling inputs become
// variables of the composite, renamed n<k>_<name> (k the node's position
// in the list), with its parameters folded in. A coupling input is a
// derived variable of the composite, the sum over the edges into the
// node of weight * <source_var of the source node>, so it is evaluated
// from the current stage state at every stage of the integrator: the
// network is one ODE system, as TVBO's tvboptim and pyrates back ends
// integrate it. Edges carry no delay. Columns keep the results contract:
// <dynamics>_pop[<rank>]/<variable>, nodes grouped by dynamics in order
// of first appearance.

// heteroPrefix is the composite's name prefix of node k's variables.
func heteroPrefix(k int) string { return fmt.Sprintf("n%d_", k) }

// composite builds the composite model of a heterogeneous network.
func (c *compiler) composite() *model {
	exp, net := c.exp, c.exp.Network
	lib := map[string]*model{}
	var libNames []string
	for _, d := range exp.Library {
		m := mergeModel(d, &c.errs)
		if m == nil {
			continue
		}
		lib[d.Name.Value] = m
		libNames = append(libNames, d.Name.Value)
	}
	if len(c.errs) > 0 {
		return nil
	}
	comp := &model{name: exp.Label.Value, params: map[string]float64{}}
	if comp.name == "" {
		comp.name = "network"
	}
	if net.NumberOfNodes.Set && int(net.NumberOfNodes.Value) != len(net.Nodes) {
		c.errorf(net.NumberOfNodes.Pos, "number_of_nodes is %g but the network lists %d nodes", net.NumberOfNodes.Value, len(net.Nodes))
	}
	// nodes: position by id, model, column prefix
	type nodeT struct {
		m      *model
		dyn    string
		prefix string
		rank   int
	}
	nodes := make([]nodeT, len(net.Nodes))
	byID := map[float64]int{}
	ranks := map[string]int{}
	for k, n := range net.Nodes {
		if prev, dup := byID[n.ID.Value]; dup && n.ID.Set {
			c.errorf(n.ID.Pos, "node id %g is used twice (also node %d)", n.ID.Value, prev)
			continue
		}
		byID[n.ID.Value] = k
		m := lib[n.Dynamics.Value]
		if m == nil {
			c.errorf(n.Dynamics.Pos, "node %g runs dynamics %q, which no document of the file defines", n.ID.Value, n.Dynamics.Value).
				Hint = fmt.Sprintf("dynamics defined: %s%s", strings.Join(libNames, ", "), closest(n.Dynamics.Value, libNames))
			continue
		}
		nodes[k] = nodeT{m: m, dyn: n.Dynamics.Value, prefix: heteroPrefix(k), rank: ranks[n.Dynamics.Value]}
		ranks[n.Dynamics.Value]++
	}
	if len(c.errs) > 0 {
		return nil
	}
	// rename rewrites node k's expression into the composite's names.
	rename := func(k int, e *ast.Expr, what string) *ast.Expr {
		m, pre := nodes[k].m, nodes[k].prefix
		isDerived := func(name string) bool {
			return slices.ContainsFunc(m.derived, func(d *ast.Derived) bool { return d.Name.Value == name })
		}
		out := expr.Rewrite(e.Node, func(n expr.Node) expr.Node {
			x, ok := n.(*expr.Ident)
			if !ok {
				return n
			}
			switch {
			case m.state(x.Name) >= 0 || isDerived(x.Name) || m.input(x.Name) != nil:
				return &expr.Ident{P: x.P, Name: pre + x.Name}
			}
			if v, ok := m.params[x.Name]; ok {
				return &expr.Num{P: x.P, Value: v}
			}
			if _, ok := expr.Constants[x.Name]; ok {
				return n
			}
			c.errorf(e.PosOf(x.P), "unknown name %q in %s of dynamics %s", x.Name, what, nodes[k].dyn).
				Hint = "names: parameters, state variables, derived variables, coupling inputs" + closest(x.Name, append(m.pOrder, m.stateNames()...))
			return n
		})
		return &ast.Expr{Src: e.Src, Pos: e.Pos, Node: out}
	}
	// coupling inputs: the weighted sum of the edges into each node
	sums := map[string]expr.Node{}
	sumPos := map[string]diag.Pos{}
	unreadNoted := map[string]bool{}
	for _, e := range net.Edges {
		src, okS := byID[e.Source.Value]
		dst, okT := byID[e.Target.Value]
		if !okS || !okT {
			bad := e.Source
			if okS {
				bad = e.Target
			}
			c.errorf(bad.Pos, "edge refers to node %g, which the network does not list", bad.Value).Hint = "edges name nodes by their id"
			continue
		}
		sm, tm := nodes[src].m, nodes[dst].m
		in := tm.input(e.TargetVar.Value)
		if in == nil || in.Local {
			var names []string
			for _, x := range tm.inputs {
				if !x.Local {
					names = append(names, x.Name.Value)
				}
			}
			c.errorf(e.TargetVar.Pos, "target_var %q is not a coupling input of %s (node %g)", e.TargetVar.Value, nodes[dst].dyn, e.Target.Value).
				Hint = fmt.Sprintf("coupling inputs: %s%s", strings.Join(names, ", "), closest(e.TargetVar.Value, names))
			continue
		}
		if key := nodes[dst].dyn + "\x00" + in.Name.Value; !tm.reads(in.Name.Value) && !unreadNoted[key] {
			unreadNoted[key] = true // once per model and input, not per edge
			c.early = append(c.early, fmt.Sprintf("%s: this edge feeds the input %s of %s, which none of its equations reads: it changes nothing", e.TargetVar.Pos, in.Name.Value, nodes[dst].dyn))
		}
		srcVar := sourceVariable(sm, e.SourceVar.Value)
		if srcVar == "" {
			vars := sm.stateNames()
			for _, d := range sm.derived {
				vars = append(vars, d.Name.Value)
			}
			c.errorf(e.SourceVar.Pos, "source_var %q is not a variable of %s (node %g)", e.SourceVar.Value, nodes[src].dyn, e.Source.Value).
				Hint = fmt.Sprintf("state and derived variables: %s (TVBO's <var>_out means <var>)%s", strings.Join(vars, ", "), closest(e.SourceVar.Value, vars))
			continue
		}
		w := e.Weight.Value
		if math.IsNaN(w) || math.IsInf(w, 0) {
			c.errorf(e.Weight.Pos, "edge weight must be a finite number, got %g", w)
			continue
		}
		term := mul(num(w), ident(nodes[src].prefix+srcVar))
		key := nodes[dst].prefix + in.Name.Value
		if prev, ok := sums[key]; ok {
			term = add(prev, term)
		} else {
			sumPos[key] = e.Pos
		}
		sums[key] = term
	}
	if len(c.errs) > 0 {
		return nil
	}
	var derived []*ast.Derived
	for k, n := range nodes {
		for _, in := range n.m.inputs {
			name := n.prefix + in.Name.Value
			v, ok := sums[name]
			if !ok {
				v = num(0) // no edge into it (local inputs are zero, as on a connectome)
			}
			derived = append(derived, &ast.Derived{Name: ast.Str{Value: name, Pos: sumPos[name]},
				Equation: &ast.Expr{Src: "sum of the incoming edges", Pos: sumPos[name], Node: v}})
		}
		for _, d := range n.m.derived {
			if d.Equation == nil {
				continue
			}
			derived = append(derived, &ast.Derived{Name: ast.Str{Value: n.prefix + d.Name.Value, Pos: d.Name.Pos},
				Equation: rename(k, d.Equation, fmt.Sprintf("derived variable %q", d.Name.Value))})
		}
		for _, s := range n.m.states {
			st := &state{name: n.prefix + s.name, pos: s.pos, coupling: s.coupling, ofInterest: s.ofInterest, lo: s.lo, hi: s.hi,
				column: fmt.Sprintf("%s_pop[%d]/%s", n.dyn, n.rank, s.name)}
			if s.rate != nil {
				st.rate = rename(k, s.rate, "the equation of "+s.name)
			}
			if s.init != nil {
				v, err := expr.Eval(s.init.Node, func(name string) (float64, bool) { v, ok := n.m.params[name]; return v, ok })
				if err != nil {
					c.errorf(s.init.Pos, "initial value of %s: %v", s.name, err)
				}
				st.init = &ast.Expr{Src: s.init.Src, Pos: s.init.Pos, Node: num(v)}
			}
			comp.states = append(comp.states, st)
		}
	}
	if len(c.errs) > 0 {
		return nil
	}
	comp.derived = c.orderDerived(derived)
	return comp
}

// sourceVariable resolves an edge's source_var in the source dynamics: a
// state or derived variable by name, or TVBO's <var>_out spelling of the
// output port of <var>.
func sourceVariable(m *model, name string) string {
	has := func(n string) bool {
		return m.state(n) >= 0 || slices.ContainsFunc(m.derived, func(d *ast.Derived) bool { return d.Name.Value == n && d.Equation != nil })
	}
	if has(name) {
		return name
	}
	if stem, ok := strings.CutSuffix(name, "_out"); ok && has(stem) {
		return stem
	}
	return ""
}

// orderDerived sorts derived variables so each comes after the ones it
// reads (node order otherwise kept); a cycle is an error naming it.
func (c *compiler) orderDerived(ds []*ast.Derived) []*ast.Derived {
	index := map[string]int{}
	for i, d := range ds {
		index[d.Name.Value] = i
	}
	const (
		unseen = iota
		active
		done
	)
	mark := make([]int, len(ds))
	var out []*ast.Derived
	var stack []string
	var visit func(i int) bool
	visit = func(i int) bool {
		switch mark[i] {
		case done:
			return true
		case active:
			start := slices.Index(stack, ds[i].Name.Value)
			cycle := append(append([]string{}, stack[start:]...), ds[i].Name.Value)
			c.errorf(ds[i].Name.Pos, "the network's derived variables and coupling inputs form a cycle: %s", strings.Join(cycle, " -> ")).
				Hint = "a coupling input may not depend, through the edges, on itself without a state variable in between"
			return false
		}
		mark[i] = active
		stack = append(stack, ds[i].Name.Value)
		ok := true
		expr.Inspect(ds[i].Equation.Node, func(n expr.Node) bool {
			if x, isID := n.(*expr.Ident); isID && ok {
				if j, isD := index[x.Name]; isD {
					ok = visit(j)
				}
			}
			return ok
		})
		stack = stack[:len(stack)-1]
		mark[i] = done
		out = append(out, ds[i])
		return ok
	}
	for i := range ds {
		if !visit(i) {
			return nil
		}
	}
	return out
}

// Composite returns the composite model of a heterogeneous network (see
// composite) as a model of the experiment's form: every node's variables
// renamed n<k>_<name>, parameters folded in, coupling inputs as derived
// variables summing the incoming edges, initial values as numbers. The
// LEMS rendering writes it as the one node it is compiled as.
func Composite(exp *ast.BrainExperiment) (*ast.MassModel, error) {
	if exp == nil || exp.Network == nil || len(exp.Network.Nodes) == 0 {
		return nil, fmt.Errorf("not a heterogeneous network")
	}
	c := &compiler{exp: exp}
	m := c.composite()
	if err := c.errs.Err(); err != nil {
		return nil, err
	}
	out := &ast.MassModel{Name: ast.Str{Value: m.name}, Derived: m.derived}
	for _, s := range m.states {
		out.States = append(out.States, &ast.MassState{Name: ast.Str{Value: s.name, Pos: s.pos}, Pos: s.pos,
			Equation: s.rate, Initial: s.init, Lo: s.lo, Hi: s.hi})
	}
	return out, nil
}
