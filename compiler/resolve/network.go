package resolve

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/tvboc/tvboc/compiler/limits"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/library"
)

// network resolves nodes, their dynamics and populations, and edges.
func (r *resolver) network(m *Model) {
	net := r.exp.Network
	byName := map[string]*ast.Dynamics{}
	var names []string
	if net != nil {
		for _, d := range net.Dynamics {
			if _, dup := byName[d.Name.Value]; dup {
				r.errorf(d.Pos, "network dynamics %q is defined twice", d.Name.Value)
				continue
			}
			byName[d.Name.Value] = d
			names = append(names, d.Name.Value)
		}
	}
	r.netDefs, r.dt = byName, m.Dt
	// The top-level dynamics serves nodes that name it, and the
	// `number_of_nodes` copies of an experiment without a node list.
	if top := r.exp.Dynamics; top != nil && top.Name.Value != "" {
		if _, ok := byName[top.Name.Value]; !ok {
			byName[top.Name.Value] = top
			names = append(names, top.Name.Value)
		}
	}

	var nodes []*ast.Node
	if net != nil {
		nodes = net.Nodes
	}
	if len(nodes) > limits.MaxNodeList {
		r.errorf(net.Pos, "the node list has %d nodes, more than the %d a node list may have (every node is compiled on its own)", len(nodes), limits.MaxNodeList).
			Hint = "give a node size: N to make it a population of N cells, one loop over arrays"
		return
	}
	implicit := len(nodes) == 0
	if implicit {
		nodes = r.implicitNodes(net)
	}
	pops := map[string]*Population{}
	byID := map[string]*Node{}
	// failed holds ids of nodes already reported, so edges to them do not
	// report the same mistake again.
	failed := map[string]bool{}
	// a repeated id is most often a mistyped one: the edges that name the
	// id it should have been would report that same mistake again
	duplicated := false
	overridden := map[string]*ast.Dynamics{} // entries nodes override values of, as entryCheck makes them
	for _, an := range nodes {
		if prev, dup := byID[an.ID.Value]; dup {
			r.errorf(an.ID.Pos, "node id %s is used twice (first at %s)", an.ID.Value, prev.Pos)
			failed[an.ID.Value] = true
			duplicated = true
			continue
		}
		failed[an.ID.Value] = true // until the node is fully resolved
		d, ok := byName[an.Dynamics.Value]
		if !ok {
			d = bareNode(an)
			ok = d != nil
		}
		if !ok {
			pos := an.Dynamics.Pos
			if an.Dynamics.Value == "" {
				pos = an.Pos
				r.errorf(pos, "node %s has no dynamics", an.ID.Value).Hint = "known dynamics: " + strings.Join(names, ", ")
			} else {
				r.errorf(pos, "node %s uses unknown dynamics %q", an.ID.Value, an.Dynamics.Value).
					Hint = "network dynamics: " + strings.Join(names, ", ") + closest(an.Dynamics.Value, names)
			}
			continue
		}
		if len(an.Parameters) > 0 && d.Name.Value == an.Dynamics.Value {
			// an input's own values (LEMS gives every input its own
			// component); a cell's would split its population
			if def, _, _ := library.Lookup(d.IRI.Value); def == nil || def.Kind.Value == string(Cell) || def.Kind.Value == "" {
				r.errorf(an.Parameters[0].Name.Pos, "per-node parameters are not supported for cells yet").
					Hint = "define a network dynamics entry with these parameters and use it for this node"
			} else {
				if overridden[d.Name.Value] == nil {
					overridden[d.Name.Value] = entryCheck(d, an)
				}
				d = nodeOverride(d, an)
			}
		}
		t := r.typeOf(d, m.TimeScale)
		if t == nil {
			continue
		}
		n := &Node{ID: an.ID.Value, Pos: an.Pos, Type: t, Record: t.Kind == Cell, Drives: map[string][]*Node{}}
		if an.Record != nil {
			n.Record = *an.Record
		}
		pop, ok := pops[t.Name]
		if !ok {
			pop = &Population{Name: t.Name + "_pop", Type: t}
			pops[t.Name] = pop
			m.Populations = append(m.Populations, pop)
			m.Types = append(m.Types, t)
		}
		n.Pop, n.Index = pop, len(pop.Nodes)
		pop.Nodes = append(pop.Nodes, n)
		byID[n.ID] = n
		delete(failed, n.ID)
		m.Nodes = append(m.Nodes, n)
	}
	// a dynamics entry whose every node overrides its values is still
	// the user's: its own mistakes (amplitude: {unit: furlong}) are said
	// even though no node runs with them
	for _, name := range slices.Sorted(maps.Keys(overridden)) {
		if _, used := r.types[name]; !used {
			r.typeOf(overridden[name], m.TimeScale)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(overridden)) {
		delete(r.types, overridden[name].Name.Value) // checked only, not a type of the model
	}
	if implicit && len(m.Nodes) == 1 {
		m.Nodes[0].Pop.Single = true
	}
	r.attachInputs(m)
	if net != nil {
		for _, e := range net.Edges {
			if failed[e.Source.Value] || failed[e.Target.Value] {
				continue
			}
			if _, ok := byID[e.Source.Value]; duplicated && !ok {
				continue
			}
			if _, ok := byID[e.Target.Value]; duplicated && !ok {
				continue
			}
			r.edge(e, byID)
		}
	}
	if len(m.Nodes) == 0 && len(r.errs) == 0 {
		r.errorf(r.exp.Pos, "the experiment has no nodes to simulate").
			Hint = "add network: {nodes: [...]} or network: {number_of_nodes: 1} with a top-level dynamics"
	}
	r.checkNodeListWork(m)
}

// implicitNodes makes the `number_of_nodes` copies of the top-level
// dynamics for experiments that list no nodes.
func (r *resolver) implicitNodes(net *ast.Network) []*ast.Node {
	top := r.exp.Dynamics
	if top == nil {
		return nil
	}
	count := 1
	if net != nil && net.NumberOfNodes.Set {
		v := net.NumberOfNodes.Value
		if v < 1 || v != math.Trunc(v) {
			r.errorf(net.NumberOfNodes.Pos, "number_of_nodes must be a positive whole number, got %g", v)
			return nil
		}
		if v > limits.MaxNodeList {
			r.errorf(net.NumberOfNodes.Pos, "number_of_nodes %g is more than the %d nodes a node list may have (every node is compiled on its own)", v, limits.MaxNodeList).
				Hint = "for many copies of one model use a population (network nodes: [{id: pop, dynamics: M, size: N}]) or a connectome"
			return nil
		}
		count = int(v)
	}
	name := top.Name
	if name.Value == "" {
		r.errorf(top.Pos, "the top-level dynamics needs a name").Hint = "add name: MyModel"
		return nil
	}
	var nodes []*ast.Node
	for i := 0; i < count; i++ {
		nodes = append(nodes, &ast.Node{Pos: top.Pos, ID: ast.Str{Value: strconv.Itoa(i), Pos: top.Pos}, Dynamics: name})
	}
	return nodes
}

// edge wires an input edge: the source's exposed current is summed into
// the target's input port of the same dimension.
func (r *resolver) edge(e *ast.Edge, byID map[string]*Node) {
	src, okS := byID[e.Source.Value]
	tgt, okT := byID[e.Target.Value]
	if !okS {
		r.errorf(e.Source.Pos, "edge source %s is not a node id", e.Source.Value).Hint = "node ids: " + strings.Join(ids(byID), ", ")
	}
	if !okT {
		r.errorf(e.Target.Pos, "edge target %s is not a node id", e.Target.Value).Hint = "node ids: " + strings.Join(ids(byID), ", ")
	}
	if !okS || !okT {
		return
	}
	if e.Coupling.Value != "" {
		r.synapseEdge(e, src, tgt)
		return
	}
	switch src.Type.Kind {
	case SynapticInput:
		r.synapticInput(e, src, tgt)
		return
	case PointCurrent:
		r.pointCurrent(e, src, tgt)
		return
	case Input:
		if len(e.Parameters) > 0 {
			var ok bool
			if src, ok = r.weightedInput(e, src); !ok {
				return
			}
		}
	}
	if src.Type.Kind != Input {
		r.errorf(e.Pos, "edge %s -> %s: node %s (%s) is not a current input, and the edge has no coupling",
			e.Source.Value, e.Target.Value, src.ID, src.Type.Name).
			Hint = "an edge without coupling must start at a pulse, ramp or sine generator"
		return
	}
	if tgt.Type.Kind != Cell || len(tgt.Type.Inputs) == 0 {
		r.errorf(e.Target.Pos, "edge target %s (%s) takes no input currents", tgt.ID, tgt.Type.Name)
		return
	}
	for _, port := range tgt.Type.Inputs {
		if port.Dimension == src.Type.ExposedDim {
			tgt.Drives[port.Name] = append(tgt.Drives[port.Name], src)
			return
		}
	}
	var dims []string
	for _, p := range tgt.Type.Inputs {
		dims = append(dims, dimPhrase(p.Dimension))
	}
	r.errorf(e.Pos, "edge %s -> %s: %s (%s) gives a %s, but %s (%s) takes a %s",
		e.Source.Value, e.Target.Value, src.ID, src.Type.IRI, dimPhrase(src.Type.ExposedDim),
		tgt.ID, tgt.Type.IRI, strings.Join(dims, " or ")).
		Hint = "a dimensionless cell takes pulseGeneratorDL, rampGeneratorDL or sineGeneratorDL"
}

func dimPhrase(d string) string {
	if d == "none" || d == "" {
		return "dimensionless current"
	}
	return fmt.Sprintf("%s (with units)", d)
}

func ids(byID map[string]*Node) []string {
	out := make([]string, 0, len(byID))
	for id := range byID {
		out = append(out, id)
	}
	sortIDs(out)
	return out
}

// sortIDs orders ids numerically where they are numbers.
func sortIDs(ids []string) {
	less := func(a, b string) bool {
		x, errA := strconv.Atoi(a)
		y, errB := strconv.Atoi(b)
		if errA == nil && errB == nil {
			return x < y
		}
		return a < b
	}
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && less(ids[j], ids[j-1]); j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
}
