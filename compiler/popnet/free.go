package popnet

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/library"
	"github.com/tvboc/tvboc/compiler/units"
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
		known := writtenParams(n, dyns[n.Dynamics.Value])
		if !slices.Contains(known, prm) {
			e := c.errorf(n.ID.Pos, "free parameter %q: node %q has no parameter %q%s", name, id, prm, closest(prm, known))
			e.Hint = "its parameters: " + strings.Join(known, ", ")
			if d := dyns[n.Dynamics.Value]; d != nil && d.IRI.Value != "" {
				e.Hint += " (a library cell's parameter can be free where the experiment writes its value)"
			}
			continue
		}
		p := &ir.Param{Name: name, Dynamics: id, Parameter: prm, Ident: fmt.Sprintf("fp%d", len(c.net.Params)), Scale: 1, SIScale: 1}
		free[name] = p
		c.net.Params = append(c.net.Params, p)
	}
	return free
}

// writtenParams are the parameters of node n a free name may pick: its
// dynamics' as written (a node may only override those) and the node's
// own; a library cell's others keep the library's defaults.
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

// freeLibParam makes parameter prm of a library cell's node free: it
// returns the parameter as a per-cell expression reading the run-time
// value, in the unit the experiment writes it in (which the lowering
// scales to SI, as for any per-cell parameter), or false after reporting
// why it cannot be free.
func (c *compiler) freeLibParam(fp *ir.Param, prm *ast.Parameter, iri string) (*ast.Parameter, bool) {
	switch {
	case prm.Expr != nil:
		v, isConst := Constant(prm.Expr.Node)
		if !isConst {
			c.errorf(prm.Expr.Pos, "free parameter %q is %s, which differs from cell to cell", fp.Name, prm.Expr.Src).
				Hint = "a free parameter has one value for the whole population: write a number with its unit"
			return nil, false
		}
		fp.Default = v
	case prm.Value.Set:
		fp.Default = prm.Value.Value
	default:
		c.errorf(prm.Pos, "free parameter %q has no value", fp.Name).Hint = "write {value: ..., unit: ...}"
		return nil, false
	}
	pos := prm.Pos
	if prm.Expr != nil {
		pos = prm.Expr.Pos
	}
	dim := library.ParamDimension(iri, prm.Name.Value)
	if prm.Unit.Value == "" && dim != "" && dim != "none" {
		c.errorf(pos, "free parameter %q is a %s: give the unit its value is written in", fp.Name, dim).
			Hint = "write {value: ..., unit: ...} with a " + dim + " unit; --set then takes values in that unit"
		return nil, false
	}
	if prm.Unit.Value != "" {
		u, err := units.Parse(prm.Unit.Value)
		if err != nil || u.Offset != 0 {
			c.errorf(prm.Unit.Pos, "free parameter %q: unit %q cannot be scaled at run time", fp.Name, prm.Unit.Value)
			return nil, false
		}
		fp.Unit, fp.SIUnit, fp.SIScale = prm.Unit.Value, units.SIUnitOf(u.Dim), u.Scale
		fp.Positive = u.Dim == units.Time || u.Dim == units.Capacitance
	}
	return &ast.Parameter{Name: prm.Name, Quantity: ast.Quantity{Pos: prm.Pos, Unit: prm.Unit,
		Expr: &ast.Expr{Src: "the value of " + fp.Name, Pos: pos, Node: &expr.Ident{Name: fp.Ident}}}}, true
}
