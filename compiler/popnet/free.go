package popnet

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// Free parameters of a population network: a node's parameter named
// "<node id>.<parameter>" that the binary takes at run time (--set,
// --sweep) instead of folding it. It becomes a per-cell parameter whose
// every cell starts from the one run-time value (the global Ident), so
// the step kernels, scalar and vector, read it as they read any per-cell
// parameter, and a parameter written as an expression of it (d: {rhs:
// "2*a"}) follows it.

// resolveFree checks the names of free parameters against the nodes and
// their dynamics and returns the parameters, in the order named, each
// once; lowering fills in their defaults and units.
func (c *compiler) resolveFree(names []string, dyns map[string]*ast.Dynamics) map[string]*ir.Param {
	free := map[string]*ir.Param{}
	var ids []string
	nodes := map[string]*ast.PopNode{}
	for _, n := range c.exp.Nodes {
		ids = append(ids, n.ID.Value)
		nodes[n.ID.Value] = n
	}
	for _, name := range names {
		name = strings.TrimSpace(name)
		if name == "" || free[name] != nil {
			continue
		}
		id, prm, dotted := strings.Cut(name, ".")
		n := nodes[id]
		if !dotted || n == nil {
			e := c.errorf(c.exp.Pos, "free parameter %q: a population network names its parameters <node id>.<parameter>%s", name, closest(id, ids))
			e.Hint = "nodes: " + strings.Join(ids, ", ")
			continue
		}
		if d := dyns[n.Dynamics.Value]; d != nil && d.IRI.Value != "" {
			c.errorf(n.Dynamics.Pos, "free parameter %q: node %q is a library cell (%s), whose parameters cannot be free in a population yet", name, id, d.IRI.Value).
				Hint = "compile one binary per value, or make the parameter free in a node list"
			continue
		}
		known := writtenParams(n, dyns[n.Dynamics.Value])
		if !slices.Contains(known, prm) {
			e := c.errorf(n.ID.Pos, "free parameter %q: node %q has no parameter %q%s", name, id, prm, closest(prm, known))
			e.Hint = "its parameters: " + strings.Join(known, ", ")
			continue
		}
		p := &ir.Param{Name: name, Dynamics: id, Parameter: prm, Ident: fmt.Sprintf("fp%d", len(c.net.Params)), Scale: 1, SIScale: 1}
		free[name] = p
		c.net.Params = append(c.net.Params, p)
	}
	return free
}

// writtenParams are the parameters of node n a free name may pick: its
// dynamics' (a node may only override those).
func writtenParams(n *ast.PopNode, d *ast.Dynamics) []string {
	var out []string
	if d != nil {
		for _, p := range d.Parameters {
			out = append(out, p.Name.Value)
		}
	}
	for _, p := range n.Parameters {
		if !slices.Contains(out, p.Name.Value) {
			out = append(out, p.Name.Value)
		}
	}
	return out
}

// freeInit makes parameter prm (as written for node n, after overrides)
// of the population free: its default is the value written, which must
// be one number for every cell. It returns the per-cell initialisation
// that reads the run-time value, or false after reporting why it cannot.
func (c *compiler) freeInit(fp *ir.Param, prm *ast.Parameter, consts map[string]float64) (expr.Node, bool) {
	switch {
	case prm.Expr != nil:
		v, isNum := substitute(prm.Expr.Node, consts).(*expr.Num)
		if !isNum {
			c.errorf(prm.Expr.Pos, "free parameter %q is %s, which differs from cell to cell or reads another free parameter", fp.Name, prm.Expr.Src).
				Hint = "a free parameter has one value for the whole population: write a number"
			return nil, false
		}
		fp.Default = v.Value
	case prm.Value.Set:
		fp.Default = prm.Value.Value
	default:
		return nil, false // reported as a parameter without a value
	}
	return &expr.Ident{Name: fp.Ident}, true
}
