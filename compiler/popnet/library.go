package popnet

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/library"
	"github.com/tvboc/tvboc/compiler/lower"
	"github.com/tvboc/tvboc/compiler/resolve"
	"github.com/tvboc/tvboc/compiler/units"
)

// Library cells in populations.
//
// A population whose dynamics names a NeuroML type (`iri:
// neuroml:izhikevichCell`, a conductance-based `neuroml:pointCellCondBased`
// tree, ...) is compiled by the node-list path: this file writes a small
// node list holding one representative cell and one synapse instance per
// synapse group (below), resolves it (library lookup, units to SI,
// flattening) and lowers it (lower.LowerCell). The population's loop runs
// that cell's step for every cell, so a population of library cells
// computes what the same cells written as nodes compute. Parameters are
// the library's (SI, with units written in the YAML); those a node gives
// as expressions of the cell (i, N, per_cell values, draws) are per-cell
// arrays the kernel reads like the --free parameters of a node list.
//
// Synapses. An edge into a library population names its synapse with
// `coupling:` (a NeuroML synapse type with its parameters under
// `parameters:`, or a network dynamics entry of one), and carries weight
// and delay as every population edge does. Every cell of the target
// population carries one synapse instance per synapse group: edges with
// the same coupling and the same parameters share one. This is exact for
// linear synapses (the exponential and alpha families): their state obeys
// linear equations and a spike adds an amount proportional to its weight,
// so the sum of the states the node-list path keeps per connection is the
// state of one synapse that receives every connection's spikes, and the
// sum of their currents (g_k (erev - v) with the same erev) is its
// current. One state per cell and synapse group instead of one per
// connection is what makes a network of thousands of cells with millions
// of connections cheap. The only difference from the node-list form is
// the order of the additions (floating-point reassociation). Synapse
// types for which this is not exact (plasticity, blocking, graded
// synapses, gap junctions) are refused.
//
// A spike of weight w adds inc(w) (the handler's amount, e.g. w * gbase)
// to the synapse state: inc(w) is computed when the synapses are drawn
// and stored in the weight table, so delivery is one addition.

// linearSynapses are the synapse types whose instances onto one cell may
// share their state (see above).
var linearSynapses = []string{
	"expOneSynapse", "expTwoSynapse", "expThreeSynapse", "alphaSynapse", "alphaCurrentSynapse",
	"expCondSynapse", "expCurrSynapse", "alphaCondSynapse", "alphaCurrSynapse",
}

// synGroup is one synapse instance of every cell of a target population:
// the coupling and parameters some of its incoming edges share.
type synGroup struct {
	key    string
	edge   *ast.PopEdge // the first edge of the group
	series []*ast.PopEdge
}

// synapseGroups lists, per target node id, its synapse groups in order of
// first appearance among the edges.
func synapseGroups(exp *ast.PopExperiment) map[string][]*synGroup {
	out := map[string][]*synGroup{}
	for _, e := range exp.Edges {
		if e.Coupling.Value == "" {
			continue
		}
		key := groupKey(e)
		for _, t := range e.Targets {
			gs := out[t.Value]
			i := slices.IndexFunc(gs, func(g *synGroup) bool { return g.key == key })
			if i < 0 {
				gs = append(gs, &synGroup{key: key, edge: e})
				out[t.Value] = gs
				i = len(gs) - 1
			}
			gs[i].series = append(gs[i].series, e)
		}
	}
	return out
}

// groupKey is the coupling and its parameters as written: edges with the
// same key share a synapse instance on their targets.
func groupKey(e *ast.PopEdge) string {
	var parts []string
	for _, p := range e.Parameters {
		v := strconv.FormatFloat(p.Value.Value, 'g', -1, 64)
		if p.Expr != nil {
			v = p.Expr.Src
		}
		parts = append(parts, p.Name.Value+"="+v+" "+p.Unit.Value)
	}
	slices.Sort(parts)
	return e.Coupling.Value + "{" + strings.Join(parts, ";") + "}"
}

// libPopulation lowers a node whose dynamics is a library type.
func (c *compiler) libPopulation(n *ast.PopNode, d *ast.Dynamics) *ir.Pop {
	p := c.newPop(n, d)
	if p == nil {
		return nil
	}
	c.size = float64(p.Size) // N in the per-cell expressions
	defer func() { c.size = 0 }()
	initScope, ok := c.perCellValues(n, p)
	// The node's parameters override the dynamics' (with units, as the
	// library takes them). One that differs from cell to cell (an
	// expression of i, N, per_cell values or draws) reaches resolve as a
	// stand-in of its unit, so its dimension is checked, and stays an
	// identifier of the lowered cell.
	dyn := *d
	dyn.Parameters = nil
	set := map[string]bool{}
	var varying []*ast.Parameter
	// free makes a free parameter (free.go) per-cell: a stand-in of its
	// unit for resolve, and the run-time value for every cell
	free := func(prm *ast.Parameter) bool {
		fp := c.free[p.Name+"."+prm.Name.Value]
		if fp == nil {
			return false
		}
		if v, good := c.freeLibParam(fp, prm, d.IRI.Value); good {
			varying = append(varying, v)
			dyn.Parameters = append(dyn.Parameters, &ast.Parameter{Name: prm.Name,
				Quantity: ast.Quantity{Pos: prm.Pos, Value: ast.Num{Value: 1, Set: true, Pos: prm.Pos}, Unit: prm.Unit}})
		} else {
			ok = false
		}
		return true
	}
	for _, prm := range n.Parameters {
		set[prm.Name.Value] = true
		if free(prm) {
			continue
		}
		if prm.Expr == nil {
			dyn.Parameters = append(dyn.Parameters, prm)
			continue
		}
		value := ast.Num{Value: 1, Set: true, Pos: prm.Expr.Pos}
		if v, isConst := Constant(prm.Expr.Node); isConst {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				c.errorf(prm.Expr.Pos, "node %q parameter %q: %s is %v, not a finite number", p.Name, prm.Name.Value, prm.Expr.Src, v)
				ok = false
			}
			value.Value = v
		} else if c.check(prm.Expr, initScope, fmt.Sprintf("node %q parameter %q", p.Name, prm.Name.Value), true) {
			varying = append(varying, prm)
			if dim := library.ParamDimension(d.IRI.Value, prm.Name.Value); prm.Unit.Value == "" && dim != "" && dim != "none" {
				c.errorf(prm.Expr.Pos, "node %q parameter %q is a %s: give the unit its expression is in", p.Name, prm.Name.Value, dim).
					Hint = fmt.Sprintf("write {rhs: %q, unit: ...} with a %s unit", prm.Expr.Src, dim)
				ok = false
			}
		} else {
			ok = false
		}
		dyn.Parameters = append(dyn.Parameters, &ast.Parameter{Name: prm.Name,
			Quantity: ast.Quantity{Pos: prm.Pos, Value: value, Unit: prm.Unit}})
	}
	for _, prm := range d.Parameters {
		if !set[prm.Name.Value] && !free(prm) {
			dyn.Parameters = append(dyn.Parameters, prm)
		}
	}
	if !ok {
		return nil
	}
	groups := c.groups[n.ID.Value]
	for _, g := range groups {
		if !c.linear(g.edge.Coupling) {
			return nil
		}
	}
	// The representative node list.
	net := &ast.Network{Pos: n.Pos, Dynamics: []*ast.Dynamics{&dyn}}
	for _, other := range c.exp.Dynamics {
		if other != d && other.IRI.Value != "" {
			net.Dynamics = append(net.Dynamics, other)
		}
	}
	record := true
	net.Nodes = append(net.Nodes, &ast.Node{Pos: n.Pos, ID: n.ID, Dynamics: ast.Str{Value: d.Name.Value, Pos: n.Dynamics.Pos}, Record: &record})
	for j, g := range groups {
		src := fmt.Sprintf("source%d", j)
		period := &ast.Parameter{Name: ast.Str{Value: "period"}, Quantity: ast.Quantity{Value: ast.Num{Value: 1, Set: true}, Unit: ast.Str{Value: "s"}}}
		net.Nodes = append(net.Nodes, &ast.Node{Pos: g.edge.Pos, ID: ast.Str{Value: src, Pos: g.edge.Pos},
			Dynamics: ast.Str{Value: "spikeGenerator", Pos: g.edge.Pos}, Parameters: []*ast.Parameter{period}})
		net.Edges = append(net.Edges, &ast.Edge{Pos: g.edge.Pos, Source: ast.Str{Value: src, Pos: g.edge.Source.Pos},
			Target: n.ID, Coupling: g.edge.Coupling, Parameters: g.edge.Parameters})
	}
	rep := &ast.Experiment{File: c.exp.File, Pos: n.Pos, Label: c.exp.Label, Network: net, Integration: c.exp.Integration}
	// Population networks keep the plain ODE reading (see below), the
	// flattening included: jLEMS's nesting lag is made there.
	m, err := resolve.ResolveWith(rep, resolve.Options{ODE: true})
	if err != nil {
		c.errs.Add(err)
		return nil
	}
	var cell *resolve.Node
	for _, rn := range m.Nodes {
		if rn.ID == n.ID.Value {
			cell = rn
		}
	}
	if cell == nil || cell.Type.Kind != resolve.Cell {
		kind := "nothing"
		if cell != nil {
			kind = "a " + string(cell.Type.Kind)
		}
		c.errorf(n.Dynamics.Pos, "node %q: %s (%s) is %s, not a cell", p.Name, d.Name.Value, d.IRI.Value, kind).
			Hint = "a population is made of cells: izhikevichCell, iafCell, adExIaFCell, pointCellCondBased, ..."
		return nil
	}
	var perCell []string
	for _, prm := range varying {
		if prm.Name.Value == "refract" && len(cell.Type.Events) > 0 {
			c.errorf(prm.Expr.Pos, "node %q parameter \"refract\": the refractory period is a whole number of steps fixed at compile time, the same for every cell", p.Name).
				Hint = "give refract a number with its unit, or split the node into populations with one refract each"
			return nil
		}
		perCell = append(perCell, prm.Name.Value)
	}
	// Population networks keep the plain ODE reading for now: their
	// kernels do not reproduce jLEMS's stepping (its running sum of t,
	// nesting lag, regimes) as node lists do.
	plain := *m
	plain.ODE = true
	k, err := lower.LowerCell(&plain, cell, perCell...)
	if err != nil {
		c.errorf(n.Pos, "node %q: %v", p.Name, err)
		return nil
	}
	p.Kernel = k
	used := map[string]bool{}
	// Per-cell parameters, in SI: the expression times its unit's scale,
	// as resolve converts a number.
	arrays := map[string]string{}
	for j, prm := range varying {
		kp := &k.Params[j]
		name := ident(prm.Name.Value)
		for i := 2; used[name]; i++ {
			name = ident(prm.Name.Value) + strconv.Itoa(i)
		}
		used[name] = true
		kp.Array, arrays[kp.Ident] = name, name
		value, src := prm.Expr.Node, prm.Expr.Src
		if prm.Unit.Value != "" {
			u, err := units.Parse(prm.Unit.Value)
			if err != nil { // resolve has reported it
				return nil
			}
			value = &expr.Binary{Op: "*", X: value, Y: &expr.Num{Value: u.Scale}}
			if u.Offset != 0 {
				value = &expr.Binary{Op: "+", X: value, Y: &expr.Num{Value: u.Offset}}
			}
			src += " " + prm.Unit.Value
		}
		p.Arrays = append(p.Arrays, name)
		p.Init = append(p.Init, ir.PopInit{Kind: ir.InitParam, Name: name, Value: value, Src: src})
	}
	for i := range k.Vars {
		v := &k.Vars[i]
		if v.Name != "" && v.Scale != 1 {
			c.errorf(n.Pos, "node %q: %s is recorded with a scale of %g; population columns are written as computed", p.Name, v.Name, v.Scale)
			return nil
		}
		base := "refractoryEnd" // the one hidden variable lowering makes
		if v.Name != "" {
			base = ident(v.Name)
		}
		name := base
		for j := 2; used[name]; j++ {
			name = base + strconv.Itoa(j)
		}
		used[name] = true
		v.Array = name
		var init expr.Node = &expr.Num{Value: v.Init}
		if v.InitExpr != nil {
			// of per-cell parameters: read from the cell's own values
			init = expr.Rewrite(v.InitExpr, func(x expr.Node) expr.Node {
				if id, ok := x.(*expr.Ident); ok && arrays[id.Name] != "" {
					return &expr.Ident{Name: arrays[id.Name]}
				}
				return x
			})
		}
		if v.Name == "" {
			// hidden (the end of a refractory period): not recorded
			p.Arrays = append(p.Arrays, name)
			p.Init = append(p.Init, ir.PopInit{Kind: ir.InitParam, Name: name, Value: init})
			continue
		}
		p.States = append(p.States, ir.PopState{Name: name, Label: v.Name})
		p.Init = append(p.Init, ir.PopInit{Kind: ir.InitState, Name: name, Value: init})
	}
	if k.Spikes {
		p.Spike = &expr.Bool{Value: true} // the kernel's event says when
	}
	return p
}

// linear reports whether a coupling names a linear synapse type (by
// itself or through a network dynamics entry); if not, it says so.
func (c *compiler) linear(coupling ast.Str) bool {
	name := coupling.Value
	for _, d := range c.exp.Dynamics {
		if d.Name.Value == name {
			name = strings.TrimPrefix(d.IRI.Value, "neuroml:")
		}
	}
	if slices.Contains(linearSynapses, name) {
		return true
	}
	c.errorf(coupling.Pos, "coupling %q: populations take linear chemical synapses, whose connections onto a cell can share one state", coupling.Value).
		Hint = "use " + strings.Join(linearSynapses, ", ")
	return false
}

// ident makes a Go identifier part of a variable path:
// synapses:expOneSynapse:0/g -> synapses_expOneSynapse_0_g.
func ident(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// synapseEdge completes an edge with a coupling (or into a library
// population): the synapse instance of every target, and the stored
// amount inc(weight) in place of the weight.
func (c *compiler) synapseEdge(e *ast.PopEdge, pe *ir.PopEdge) bool {
	for i, ti := range pe.Targets {
		tp := c.net.Pops[ti]
		switch {
		case tp.Kernel == nil && e.Coupling.Value != "":
			c.errorf(e.Coupling.Pos, "edge target %q: a coupling reaches library cells only; %q is written as equations", e.Targets[i].Value, tp.Dynamics).
				Hint = "drop coupling: and add the weight to a variable with target_variable:"
			return false
		case tp.Kernel != nil && e.Coupling.Value == "":
			c.errorf(e.Targets[i].Pos, "edge target %q is a population of %s: its spikes need a synapse", e.Targets[i].Value, tp.Dynamics).
				Hint = "add coupling: expOneSynapse, parameters: {gbase: {value: 1, unit: nS}, erev: {value: 0, unit: mV}, tauDecay: {value: 2, unit: ms}}"
			return false
		case tp.Kernel == nil:
			continue
		}
		if e.Variable.Value != "" {
			c.errorf(e.Variable.Pos, "edge target %q: a coupling adds to its synapse, not to a target_variable", e.Targets[i].Value).Hint = "drop target_variable"
			return false
		}
		gs := c.groups[e.Targets[i].Value]
		j := slices.IndexFunc(gs, func(g *synGroup) bool { return g.key == groupKey(e) })
		syn := tp.Kernel.Synapses[j]
		var vars []string
		var inc expr.Node
		for _, a := range syn.Adds {
			if inc != nil && a.Inc.String() != inc.String() {
				c.errorf(e.Coupling.Pos, "coupling %q adds different amounts to its states; populations take synapses that add one amount", e.Coupling.Value).
					Hint = "use expOneSynapse, expTwoSynapse or alphaSynapse"
				return false
			}
			inc = a.Inc
			vars = append(vars, tp.Kernel.Vars[a.Var].Array)
		}
		if inc == nil {
			c.errorf(e.Coupling.Pos, "coupling %q receives no spikes", e.Coupling.Value)
			return false
		}
		pe.SynVars = append(pe.SynVars, vars)
		if i == 0 {
			pe.WeightScale, _ = expr.Eval(inc, func(string) (float64, bool) { return 1, true })
			w := pe.Weight
			pe.Weight = fold(expr.Rewrite(inc, func(x expr.Node) expr.Node {
				if id, ok := x.(*expr.Ident); ok && id.Name == "weight" {
					return w
				}
				return x
			}))
		}
	}
	return true
}
