package lems

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/library"
	"github.com/tvboc/tvboc/compiler/popnet"
	"github.com/tvboc/tvboc/compiler/resolve"
	"github.com/tvboc/tvboc/compiler/units"
	"github.com/tvboc/tvboc/runtime"
)

// Population networks of NeuroML cells.
//
// A population of library cells is, by construction, the node list of
// its cells: the compiler lowers one cell as the node-list path does and
// every synapse group is exact for the linear synapses it accepts (see
// package popnet). What a population adds is drawing: per-cell values and
// the connections of random rules come from the binary's generator at
// start-up. So the network is rendered from what the binary drew (its
// --network dump, runtime.NetworkDump): one node per cell, one dynamics
// per distinct set of per-cell values, one synapse edge per connection
// with its weight and the edge's delay, and that node list goes through
// Render like any other. A seed draws one network; rendering another seed
// renders another file.

// RenderPopulation renders a population network of NeuroML library cells
// from the network its binary drew. The columns are named as the binary
// names them (<population>[i]/<variable>), so tvboc compare matches the
// reference to the simulation. Populations written as equations are
// refused (refuseEquations).
func RenderPopulation(exp *ast.PopExperiment, net *ir.PopNet, d runtime.NetworkDump) (*Document, error) {
	nl, names, err := expandPopulation(exp, net, d)
	if err != nil {
		return nil, err
	}
	m, err := resolve.Resolve(nl)
	if err != nil {
		return nil, fmt.Errorf("the node list of the drawn network does not resolve (a tvboc bug): %w", err)
	}
	doc, err := Render(nl, m)
	if err != nil {
		return nil, err
	}
	for f := range doc.Outputs {
		cols := doc.Outputs[f].Columns
		for c := range cols {
			cell, variable, ok := strings.Cut(cols[c].Quantity, "/")
			if to, known := names[cell]; ok && known {
				cols[c].Name = to + "/" + variable
			}
		}
	}
	return doc, nil
}

// ExpandPopulation is the node list a population network of library cells
// stands for, with the values and connections d holds, and the names of
// its cells: the node list's LEMS path of each (<dynamics>_pop[j]) mapped
// to the population's (<pop>[i]). Tests compile it to check that it
// simulates what the population does.
func ExpandPopulation(exp *ast.PopExperiment, net *ir.PopNet, d runtime.NetworkDump) (*ast.Experiment, map[string]string, error) {
	return expandPopulation(exp, net, d)
}

// expandPopulation builds the node list and maps each cell's LEMS path
// (<dynamics>_pop[j]) to the population's name for it (<pop>[i]).
func expandPopulation(exp *ast.PopExperiment, net *ir.PopNet, d runtime.NetworkDump) (*ast.Experiment, map[string]string, error) {
	if exp == nil || net == nil {
		return nil, nil, errors.New("no population network to render")
	}
	if err := refuseEquations(exp); err != nil {
		return nil, nil, err
	}
	for i, p := range net.Pops {
		if p.Kernel == nil {
			return nil, nil, fmt.Errorf("%s: population %q has no lowered cell to render", exp.Nodes[i].Pos, p.Name)
		}
	}
	if len(d.Populations) != len(net.Pops) {
		return nil, nil, fmt.Errorf("the network dump has %d populations, the experiment %d", len(d.Populations), len(net.Pops))
	}
	dynamics := map[string]*ast.Dynamics{}
	taken := map[string]bool{} // names of dynamics entries, the new ones too
	for _, dy := range exp.Dynamics {
		dynamics[dy.Name.Value] = dy
		taken[dy.Name.Value] = true
	}
	unique := func(base string) string {
		name := base
		for k := 2; taken[name]; k++ {
			name = base + "_" + strconv.Itoa(k)
		}
		taken[name] = true
		return name
	}
	out := &ast.Experiment{File: exp.File, Pos: exp.Pos, Label: exp.Label, Description: exp.Description,
		Network: &ast.Network{Pos: exp.Pos}, Integration: exp.Integration}
	// the synapse dynamics the edges name
	for _, e := range exp.Edges {
		if dy := dynamics[e.Coupling.Value]; dy != nil && !containsDynamics(out.Network.Dynamics, dy) {
			out.Network.Dynamics = append(out.Network.Dynamics, dy)
		}
	}
	names := map[string]string{}
	nodeID := func(pop string, i int) string { return pop + "_" + strconv.Itoa(i) }
	for pi, p := range net.Pops {
		n := exp.Nodes[pi]
		base := dynamics[n.Dynamics.Value]
		dump := d.Populations[pi]
		if dump.Name != p.Name || dump.Size != p.Size {
			return nil, nil, fmt.Errorf("the network dump's population %d is %s (%d cells), the experiment's %s (%d)", pi, dump.Name, dump.Size, p.Name, p.Size)
		}
		params := constantParams(base, n)
		// cells with the same per-cell values share a dynamics entry
		byValues := map[string]string{}
		count := map[string]int{}
		for i := range p.Size {
			var key strings.Builder
			own := append([]*ast.Parameter(nil), params...)
			for _, kp := range p.Kernel.Params {
				values := dump.Arrays[kp.Array]
				if len(values) != p.Size {
					return nil, nil, fmt.Errorf("the network dump has no values of %s for population %s", kp.Name, p.Name)
				}
				v := values[i]
				fmt.Fprintf(&key, "%x;", math.Float64bits(v))
				own = setParam(own, siParam(base.IRI.Value, kp.Name, v))
			}
			dyn, seen := byValues[key.String()]
			if !seen {
				dyn = p.Name
				if len(p.Kernel.Params) > 0 {
					dyn = p.Name + "_" + strconv.Itoa(len(byValues))
				}
				dyn = unique(dyn)
				byValues[key.String()] = dyn
				c := *base
				c.Name = ast.Str{Value: dyn, Pos: base.Name.Pos}
				c.Parameters = own
				out.Network.Dynamics = append(out.Network.Dynamics, &c)
			}
			record := p.Record
			out.Network.Nodes = append(out.Network.Nodes, &ast.Node{Pos: n.Pos, ID: ast.Str{Value: nodeID(p.Name, i), Pos: n.ID.Pos},
				Dynamics: ast.Str{Value: dyn, Pos: n.Dynamics.Pos}, Record: &record})
			names[dyn+"_pop["+strconv.Itoa(count[dyn])+"]"] = p.Name + "[" + strconv.Itoa(i) + "]"
			count[dyn]++
		}
	}
	timeUnit := "ms"
	if exp.Integration != nil && exp.Integration.TimeScale.Value != "" {
		timeUnit = exp.Integration.TimeScale.Value
	}
	// An edge's synapse as a network dynamics entry, which resolve types
	// once, however many connections use it.
	couplings := make([]string, len(exp.Edges))
	byKey := map[string]string{}
	for i, ae := range exp.Edges {
		if dynamics[ae.Coupling.Value] != nil || ae.Coupling.Value == "" {
			couplings[i] = ae.Coupling.Value
			continue
		}
		key := ae.Coupling.Value
		for _, p := range ae.Parameters {
			key += fmt.Sprintf(";%s=%v %s", p.Name.Value, p.Value.Value, p.Unit.Value)
		}
		if name, seen := byKey[key]; seen {
			couplings[i] = name
			continue
		}
		name := unique(ae.Coupling.Value)
		byKey[key] = name
		out.Network.Dynamics = append(out.Network.Dynamics, &ast.Dynamics{Pos: ae.Pos, Name: ast.Str{Value: name, Pos: ae.Coupling.Pos},
			IRI: ast.Str{Value: library.Prefix + ae.Coupling.Value, Pos: ae.Coupling.Pos}, Parameters: ae.Parameters})
		couplings[i] = name
	}
	for _, de := range d.Edges {
		if de.Edge < 0 || de.Edge >= len(net.Edges) || de.Target < 0 || de.Target >= len(net.Edges[de.Edge].Targets) {
			return nil, nil, fmt.Errorf("the network dump names edge %d target %d, which the experiment does not have", de.Edge, de.Target)
		}
		pe, ae := net.Edges[de.Edge], exp.Edges[de.Edge]
		src, tgt := net.Pops[pe.Source], net.Pops[pe.Targets[de.Target]]
		if pe.WeightScale == 0 {
			return nil, nil, fmt.Errorf("%s: edge %s -> %s has no synapse", ae.Pos, src.Name, tgt.Name)
		}
		coupling := ast.Str{Value: couplings[de.Edge], Pos: ae.Coupling.Pos}
		connect := func(s, j int, stored float64) {
			// the stored amount is weight*WeightScale
			ps := []*ast.Parameter{{Name: ast.Str{Value: "weight"}, Quantity: ast.Quantity{Value: ast.Num{Value: stored / pe.WeightScale, Set: true}}}}
			if ae.Delay.Value != 0 {
				ps = append(ps, &ast.Parameter{Name: ast.Str{Value: "delay"}, Quantity: ast.Quantity{Value: ast.Num{Value: ae.Delay.Value, Set: true}, Unit: ast.Str{Value: timeUnit}}})
			}
			out.Network.Edges = append(out.Network.Edges, &ast.Edge{Pos: ae.Pos, Source: ast.Str{Value: nodeID(src.Name, s), Pos: ae.Source.Pos},
				Target: ast.Str{Value: nodeID(tgt.Name, j), Pos: ae.Targets[de.Target].Pos}, Coupling: coupling, Parameters: ps})
		}
		for s := range src.Size {
			if de.Dense {
				for j := range tgt.Size {
					connect(s, j, de.W[s*tgt.Size+j])
				}
				continue
			}
			for q := de.Row[s]; q < de.Row[s+1]; q++ {
				connect(s, int(de.Col[q]), de.W[q])
			}
		}
	}
	return out, names, nil
}

// constantParams are a population's parameters that are the same for
// every cell: its dynamics' values with the node's numbers over them (an
// expression that folds to a number counts as one, as in popnet).
func constantParams(base *ast.Dynamics, n *ast.PopNode) []*ast.Parameter {
	params := append([]*ast.Parameter(nil), base.Parameters...)
	for _, prm := range n.Parameters {
		if prm.Expr == nil {
			params = setParam(params, prm)
			continue
		}
		if v, ok := popnet.Constant(prm.Expr.Node); ok {
			c := *prm
			c.Expr = nil
			c.Value = ast.Num{Value: v, Set: true, Pos: prm.Expr.Pos}
			params = setParam(params, &c)
		}
	}
	return params
}

// siParam is a library parameter's per-cell value, which the binary keeps
// in SI, with the SI unit of the parameter's dimension.
func siParam(iri, name string, v float64) *ast.Parameter {
	p := &ast.Parameter{Name: ast.Str{Value: name}, Quantity: ast.Quantity{Value: ast.Num{Value: v, Set: true}}}
	if dim, ok := units.DimensionByName(library.ParamDimension(iri, name)); ok && dim != units.None {
		p.Unit = ast.Str{Value: units.SIUnitOf(dim)}
	}
	return p
}

// setParam replaces the parameter of p's name in list, or appends it.
func setParam(list []*ast.Parameter, p *ast.Parameter) []*ast.Parameter {
	for i, q := range list {
		if q.Name.Value == p.Name.Value {
			list[i] = p
			return list
		}
	}
	return append(list, p)
}

func containsDynamics(list []*ast.Dynamics, d *ast.Dynamics) bool {
	for _, x := range list {
		if x == d {
			return true
		}
	}
	return false
}
