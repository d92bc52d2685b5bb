package lems

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/library"
	"github.com/tvboc/tvboc/compiler/resolve"
)

// The network: populations, projections for synapse edges, inputs.
//
// LEMS forms, as NeuroML's own examples write them once jNeuroML has
// turned populations into instances (LEMS_NML2_Ex26_Weights.xml):
//
//   - a chemical synapse edge is a <connection> (or <connectionWD> when the
//     edge has a weight or delay) in a <projection> naming the synapse
//     component; one projection per (pre population, post population,
//     synapse) in order of first edge;
//   - a gap junction is an <electricalConnectionInstance(W)> in an
//     <electricalProjection>; LEMS makes both halves of the junction from
//     it, as resolve attaches both;
//   - a graded synapse is a <continuousConnectionInstance(W)> in a
//     <continuousProjection>, with a silentSynapse as its pre component
//     (NML2_AnalogSynapses.nml);
//   - an input edge is an <explicitInput>; one with a weight goes in an
//     <inputList> of <inputW>, since explicitInput takes no weight.

// cellPopulations are the populations LEMS simulates: cells that the
// YAML lists, in order of first appearance. Input nodes are components
// attached by explicitInput; resolve's hidden nodes are not populations.
func (r *renderer) cellPopulations() []*resolve.Population {
	var out []*resolve.Population
	for _, p := range r.m.Populations {
		if p.Type.Kind == resolve.Cell && r.inUse(p.Type) {
			out = append(out, p)
		}
	}
	return out
}

// realNodes finds the nodes the YAML lists: same id, same position.
func (r *renderer) realNodes() {
	r.real = map[*resolve.Node]bool{}
	r.byID = map[string]*resolve.Node{}
	pos := map[string]string{}
	if r.exp.Network != nil {
		for _, an := range r.exp.Network.Nodes {
			pos[an.ID.Value] = an.Pos.String()
		}
	}
	implicit := r.exp.Network == nil || len(r.exp.Network.Nodes) == 0
	for _, n := range r.m.Nodes {
		ok := pos[n.ID] == n.Pos.String()
		if implicit && r.exp.Dynamics != nil {
			_, err := strconv.Atoi(n.ID)
			ok = err == nil && n.Pos == r.exp.Dynamics.Pos
		}
		if ok {
			r.real[n] = true
			r.byID[n.ID] = n
		}
	}
	// A node that sets parameters gets a type of its own in resolve
	// (<dynamics>_<id>); its definition is the entry with those values.
	if r.exp.Network == nil {
		return
	}
	for _, an := range r.exp.Network.Nodes {
		n := r.byID[an.ID.Value]
		if n == nil || r.defs[n.Type.Name] != nil {
			continue
		}
		base := r.defs[an.Dynamics.Value]
		if base == nil {
			// a bare NeuroML type named by the node
			base = &ast.Dynamics{Pos: an.Pos, Name: an.Dynamics, IRI: ast.Str{Value: library.Prefix + an.Dynamics.Value}}
		}
		c := *base
		c.Name = ast.Str{Value: n.Type.Name, Pos: base.Name.Pos}
		set := map[string]bool{}
		c.Parameters = nil
		for _, p := range an.Parameters {
			set[p.Name.Value] = true
			c.Parameters = append(c.Parameters, p)
		}
		for _, p := range base.Parameters {
			if !set[p.Name.Value] {
				c.Parameters = append(c.Parameters, p)
			}
		}
		r.defs[n.Type.Name] = &c
	}
}

// inUse reports whether a type is the type of a node the YAML lists.
func (r *renderer) inUse(t *resolve.Type) bool {
	if r.used == nil {
		// once: a population network rendered cell by cell asks for each
		// of thousands of types
		r.used = map[*resolve.Type]bool{}
		for n := range r.real {
			r.used[n.Type] = true
		}
	}
	return r.used[t]
}

// netPlan is what the <network> holds besides populations.
type netPlan struct {
	projections []*projection
	inputs      []any // *explicitInput or *inputList, in edge order
	// synapses are the synapse components the projections name, in
	// order of first use; edgeSyn holds those made from an edge's own
	// parameters (coupling: <NeuroML type> on the edge).
	synapses []string
	edgeSyn  map[string]*ast.Dynamics
	silent   string // the silentSynapse id, "" when no graded synapse
	// temperature is the network temperature attribute ("6.3 degC").
	temperature string
	// tissue, when set, holds the network in a tissue whose temperature
	// steps once (NML2 Ex17); the Simulation then targets the tissue.
	tissue *tissue
}

// TissueID is the id of the tissue component holding the network when a
// cell sets TVBO's tissue_* temperature (NeuroML's Ex17 calls it slice).
const TissueID = "slice"

// tissueTypes are NeuroML Ex17's own ComponentTypes, verbatim in form: a
// tissue is a component with the network as its child, exposing the
// temperature that q10 settings require (LEMS finds a requirement in the
// nearest ancestor that exposes it).
const tissueTypes = `  <ComponentType name="baseTissue">
    <Child name="network" type="network"/>
  </ComponentType>
  <ComponentType name="tissueWithVaryingTemperature" extends="baseTissue">
    <Exposure name="temperature" dimension="temperature"/>
    <Parameter name="startTemperature" dimension="temperature"/>
    <Parameter name="endTemperature" dimension="temperature"/>
    <Parameter name="changeTime" dimension="time"/>
    <Dynamics>
      <StateVariable name="temperature" exposure="temperature" dimension="temperature"/>
      <OnStart>
        <StateAssignment variable="temperature" value="startTemperature"/>
      </OnStart>
      <OnCondition test="t .gt. changeTime">
        <StateAssignment variable="temperature" value="endTemperature"/>
      </OnCondition>
    </Dynamics>
  </ComponentType>
`

type projection struct {
	element       string // projection | electricalProjection | continuousProjection
	id, pre, post string
	synapse       string
	conns         []connection
	// dest is the connections' destination attribute, "" for none (see
	// connectionDestination).
	dest string
}

// connectionDestination names the Attachments a connection to a cell of
// type t must give. jLEMS attaches a synapse to the cell's only set of
// instances when no destination is named, and fails ("No attachments list
// in ...") when the cell has more than one: a conductance-based cell's
// channel populations are a second set. Cell types without Attachments
// (iafTauCell) must name none, so only those cells get one.
func connectionDestination(t *resolve.Type) string {
	switch {
	case t.IRI == library.Prefix+"pointCellCondBased", t.IRI == library.Prefix+"pointCellCondBasedCa",
		strings.HasPrefix(t.IRI, "extends:"):
		return "synapses"
	}
	return ""
}

type connection struct {
	pre, post     int
	weight, delay string // as written; "" when the edge has none
}

type explicitInput struct{ target, input string }

type inputList struct {
	id, component, population string
	inputs                    []inputW
}

type inputW struct {
	index  int
	weight string
}

// sendsEvents refuses a cell written as an extends: tree that would take
// an input (what) without sending events: jLEMS connects an explicit
// input from the cell's first output port, which only an EventOut in the
// cell's dynamics makes, and stops with "No output port on <cell>".
func (r *renderer) sendsEvents(t *resolve.Type, what string) error {
	c := r.cells[t]
	if c == nil || c.def == nil || !strings.HasPrefix(t.IRI, "extends:") {
		return nil
	}
	for _, ev := range c.def.Events {
		if ev.Emit.Value == "spike" || isSpikeOnly(ev) {
			return nil
		}
	}
	return fmt.Errorf("%s: cell %q takes %s, but sends no spike: jLEMS attaches an input through the cell's spike port and stops with \"No output port on %s\"; "+
		"give the cell a spike event, e.g. events: {spike: {condition: \"v > thresh\"}}", t.Pos, t.Name, what, t.Name)
}

// planNetwork reads the edges in the order written.
func (r *renderer) planNetwork() (*netPlan, error) {
	p := &netPlan{edgeSyn: map[string]*ast.Dynamics{}}
	// attached inputs of conductance-based cells (TVBO's pulse_*), one
	// explicitInput per cell node
	for _, pop := range r.cellPopulations() {
		c := r.cells[pop.Type]
		if c == nil {
			continue
		}
		if len(c.attached) > 0 {
			if err := r.sendsEvents(pop.Type, "its pulse input"); err != nil {
				return nil, err
			}
		}
		for _, n := range pop.Nodes {
			for _, a := range c.attached {
				p.inputs = append(p.inputs, &explicitInput{target: pop.Name + "[" + strconv.Itoa(n.Index) + "]", input: a.Name.Value})
			}
		}
		if c.temperature != "" {
			if p.temperature != "" && p.temperature != c.temperature {
				return nil, fmt.Errorf("%s: cell %q sets network_temperature %s, another cell %s: LEMS has one network temperature",
					pop.Type.Pos, pop.Type.Name, c.temperature, p.temperature)
			}
			p.temperature = c.temperature
		}
		if c.tissue != nil {
			if p.tissue != nil && *p.tissue != *c.tissue {
				return nil, fmt.Errorf("%s: cell %q sets a tissue temperature other than another cell's: LEMS has one tissue", pop.Type.Pos, pop.Type.Name)
			}
			p.tissue = c.tissue
		}
	}
	if p.tissue != nil && p.temperature != "" {
		return nil, fmt.Errorf("%s: a network_temperature and a tissue temperature (tissue_*) together: the tissue sets the temperature, so give one of them", r.exp.File)
	}
	if r.exp.Network == nil {
		return p, nil
	}
	edgeIDs := r.edgeSynapseIDs()
	projs := map[string]*projection{}
	lists := map[string]*inputList{}
	for _, e := range r.exp.Network.Edges {
		src, tgt := r.byID[e.Source.Value], r.byID[e.Target.Value]
		if src == nil || tgt == nil {
			return nil, fmt.Errorf("%s: edge %s -> %s: no such node to render", e.Pos, e.Source.Value, e.Target.Value)
		}
		weight, delay, err := connParams(e)
		if err != nil {
			return nil, err
		}
		if e.Coupling.Value == "" {
			if err := r.sendsEvents(tgt.Type, "the input "+e.Source.Value); err != nil {
				return nil, err
			}
			switch src.Type.Kind {
			case resolve.Input, resolve.PointCurrent, resolve.SynapticInput:
			default:
				return nil, fmt.Errorf("%s: edge %s -> %s: %s is no input, and the edge has no coupling", e.Pos, e.Source.Value, e.Target.Value, src.Type.Name)
			}
			target := tgt.Pop.Name + "[" + strconv.Itoa(tgt.Index) + "]"
			if weight == "" {
				p.inputs = append(p.inputs, &explicitInput{target: target, input: src.Type.Name})
				continue
			}
			key := src.Type.Name + "\x00" + tgt.Pop.Name
			l := lists[key]
			if l == nil {
				l = &inputList{id: safeID(src.Type.Name + "_" + tgt.Pop.Name), component: src.Type.Name, population: tgt.Pop.Name}
				lists[key] = l
				p.inputs = append(p.inputs, l)
			}
			l.inputs = append(l.inputs, inputW{index: tgt.Index, weight: weight})
			continue
		}
		syn := findSynapse(tgt, src, e)
		if syn == nil {
			return nil, fmt.Errorf("%s: edge %s -> %s: the compiler attached no synapse for it", e.Pos, e.Source.Value, e.Target.Value)
		}
		id := e.Coupling.Value
		if _, entry := r.defs[id]; !entry || !r.isNetEntry(id) {
			id = edgeIDs[e]
			p.edgeSyn[id] = edgeSynapseDef(e, id)
		}
		if !contains(p.synapses, id) {
			p.synapses = append(p.synapses, id)
		}
		element := "projection"
		switch {
		case syn.Type.Kind == resolve.Electrical:
			element = "electricalProjection"
		case !syn.Chemical():
			element = "continuousProjection"
			if p.silent == "" {
				p.silent = "silent"
			}
		}
		key := element + "\x00" + src.Pop.Name + "\x00" + tgt.Pop.Name + "\x00" + id
		pr := projs[key]
		if pr == nil {
			pr = &projection{element: element, pre: src.Pop.Name, post: tgt.Pop.Name, synapse: id,
				id: safeID(src.Pop.Name + "_" + tgt.Pop.Name + "_" + id), dest: connectionDestination(tgt.Type)}
			projs[key] = pr
			p.projections = append(p.projections, pr)
		}
		pr.conns = append(pr.conns, connection{pre: src.Index, post: tgt.Index, weight: weight, delay: delay})
	}
	return p, nil
}

// isNetEntry reports whether name is a network dynamics entry (or the
// top-level dynamics), not a type resolve made.
func (r *renderer) isNetEntry(name string) bool {
	if r.entries == nil {
		r.entries = map[string]bool{}
		if r.exp.Network != nil {
			for _, d := range r.exp.Network.Dynamics {
				r.entries[d.Name.Value] = true
			}
		}
		if r.exp.Dynamics != nil {
			r.entries[r.exp.Dynamics.Name.Value] = true
		}
	}
	return r.entries[name]
}

// findSynapse is the synapse resolve attached to tgt for edge e.
func findSynapse(tgt, src *resolve.Node, e *ast.Edge) *resolve.Synapse {
	for _, s := range tgt.Synapses {
		if s.Source == src && s.Pos == e.Pos {
			return s
		}
	}
	return nil
}

// connParams reads an edge's weight and delay as written: a bare number
// for the weight, "<value> <unit>" for the delay.
func connParams(e *ast.Edge) (weight, delay string, err error) {
	for _, p := range e.Parameters {
		switch p.Name.Value {
		case "weight":
			if !p.Value.Set {
				return "", "", fmt.Errorf("%s: edge weight: only numbers render as LEMS attributes", p.Pos)
			}
			weight = formatNumber(p.Value.Value)
			if u := strings.TrimSpace(p.Unit.Value); u != "" {
				weight += " " + nmlUnit(u)
			}
		case "delay":
			if !p.Value.Set {
				return "", "", fmt.Errorf("%s: edge delay: only numbers render as LEMS attributes", p.Pos)
			}
			delay = formatNumber(p.Value.Value) + " " + nmlUnit(strings.TrimSpace(p.Unit.Value))
			if strings.TrimSpace(p.Unit.Value) == "" {
				return "", "", fmt.Errorf("%s: edge delay needs a unit to render as a LEMS time", p.Pos)
			}
		}
	}
	return weight, delay, nil
}

// edgeSynapseIDs names the synapse components made from edges' own
// parameters: the coupling's name when every such edge has the same
// values, else <coupling>_1, _2, ... for the distinct sets in edge order.
func (r *renderer) edgeSynapseIDs() map[*ast.Edge]string {
	type group struct {
		keys []string
		of   map[string]int
	}
	groups := map[string]*group{}
	var edges []*ast.Edge
	keyOf := map[*ast.Edge]string{}
	for _, e := range r.exp.Network.Edges {
		name := e.Coupling.Value
		if name == "" || r.isNetEntry(name) {
			continue
		}
		d := edgeSynapseDef(e, name)
		attrs, err := r.paramAttrs(d, nil)
		key := strings.Join(attrs, "\x00")
		if err != nil {
			key = e.Pos.String()
		}
		g := groups[name]
		if g == nil {
			g = &group{of: map[string]int{}}
			groups[name] = g
		}
		if _, seen := g.of[key]; !seen {
			g.of[key] = len(g.keys)
			g.keys = append(g.keys, key)
		}
		keyOf[e] = key
		edges = append(edges, e)
	}
	out := map[*ast.Edge]string{}
	for _, e := range edges {
		name := e.Coupling.Value
		g := groups[name]
		id := name
		if len(g.keys) > 1 {
			id = name + "_" + strconv.Itoa(g.of[keyOf[e]]+1)
		}
		for r.defs[id] != nil {
			id += "_edge" // never the id of a network dynamics entry
		}
		out[e] = id
	}
	return out
}

// edgeSynapseDef is the synapse an edge defines with its own parameters.
func edgeSynapseDef(e *ast.Edge, id string) *ast.Dynamics {
	d := &ast.Dynamics{Pos: e.Pos, Name: ast.Str{Value: id, Pos: e.Coupling.Pos},
		IRI: ast.Str{Value: library.Prefix + e.Coupling.Value, Pos: e.Coupling.Pos}}
	for _, p := range e.Parameters {
		if p.Name.Value != "weight" && p.Name.Value != "delay" {
			d.Parameters = append(d.Parameters, p)
		}
	}
	return d
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// components writes the ComponentTypes of equation-defined dynamics, then
// every component in TVBO's order: each cell dynamics and the inputs that
// target it, then the synapses in order of first use, then anything else
// in use.
func (r *renderer) components() error {
	if r.net.tissue != nil {
		r.b.WriteString(tissueTypes)
	}
	var order []*resolve.Type
	seen := map[*resolve.Type]bool{}
	add := func(t *resolve.Type) {
		if !seen[t] {
			seen[t] = true
			order = append(order, t)
		}
	}
	inputsOf := map[string][]*resolve.Type{}
	if r.exp.Network != nil {
		for _, e := range r.exp.Network.Edges {
			src, tgt := r.byID[e.Source.Value], r.byID[e.Target.Value]
			if e.Coupling.Value == "" && src != nil && tgt != nil {
				inputsOf[tgt.Pop.Name] = append(inputsOf[tgt.Pop.Name], src.Type)
			}
		}
	}
	for _, p := range r.cellPopulations() {
		add(p.Type)
		for _, t := range inputsOf[p.Name] {
			add(t)
		}
	}
	for _, t := range r.m.Types {
		if r.inUse(t) {
			add(t)
		}
	}
	for _, t := range order {
		if t.IRI == "" {
			if err := r.componentType(t); err != nil {
				return err
			}
		}
	}
	for _, p := range r.cellPopulations() {
		if err := r.writeType(p.Type); err != nil {
			return err
		}
		if c := r.cells[p.Type]; c != nil {
			for _, a := range c.attached {
				if err := r.writeDef(a); err != nil {
					return err
				}
			}
		}
		for _, t := range inputsOf[p.Name] {
			if err := r.writeType(t); err != nil {
				return err
			}
		}
	}
	for _, id := range r.net.synapses {
		d := r.net.edgeSyn[id]
		if d == nil {
			d = r.defs[id]
		}
		if err := r.writeDef(d); err != nil {
			return err
		}
	}
	if r.net.silent != "" {
		id := r.net.silent
		for r.written[id] || r.defs[id] != nil {
			id += "_pre"
		}
		r.net.silent = id
		r.written[id] = true
		fmt.Fprintf(&r.b, "  <silentSynapse id=%s/>\n", attr(id))
	}
	for _, t := range order {
		if err := r.writeType(t); err != nil {
			return err
		}
	}
	return nil
}

// writeType writes the component of a type in use, once.
func (r *renderer) writeType(t *resolve.Type) error {
	if r.written[t.Name] {
		return nil
	}
	if t.IRI == "" {
		r.written[t.Name] = true
		fmt.Fprintf(&r.b, "  <%s id=%s/>\n", typeName(t), attr(t.Name))
		return nil
	}
	if c := r.cells[t]; c != nil {
		return r.writeCell(t, c)
	}
	def := r.defs[t.Name]
	if def == nil {
		return fmt.Errorf("%s: dynamics %q: no definition to render", t.Pos, t.Name)
	}
	return r.writeDef(def)
}

// writeDef writes a NeuroML component from its definition, once, after
// the synapses it names (doubleSynapse's synapse1/synapse2, a synaptic
// input's synapse), which LEMS needs defined.
func (r *renderer) writeDef(def *ast.Dynamics) error {
	id := def.Name.Value
	if r.written[id] {
		return nil
	}
	r.written[id] = true
	core, ok := strings.CutPrefix(def.IRI.Value, library.Prefix)
	if !ok {
		return fmt.Errorf("%s: dynamics %q: iri %q is not a NeuroML type, so it has no LEMS component", def.Pos, id, def.IRI.Value)
	}
	lib, _, _ := library.Lookup(def.IRI.Value)
	var extra []string
	if lib != nil {
		for _, lp := range lib.Parameters {
			if lp.Dimension.Value != "reference" || strings.HasSuffix(lp.Name.Value, "Path") || lp.Name.Value == "spikeTarget" {
				continue
			}
			ref := textOf(paramNamed(def, lp.Name.Value))
			if ref == "" {
				continue
			}
			if d := r.defs[ref]; d != nil && r.isNetEntry(ref) {
				if err := r.writeDef(d); err != nil {
					return err
				}
			}
		}
		// LEMS needs the event path to the input's synapse; TVBO leaves
		// it out when it is the obvious one.
		if hasLibParam(lib, "spikeTarget") && paramNamed(def, "spikeTarget") == nil {
			if syn := textOf(paramNamed(def, "synapse")); syn != "" {
				extra = append(extra, "spikeTarget", "./"+syn)
			}
		}
	}
	return r.element(1, core, append([]string{"id", id}, extra...), def, nil)
}

func hasLibParam(d *ast.Dynamics, name string) bool { return paramNamed(d, name) != nil }

func paramNamed(d *ast.Dynamics, name string) *ast.Parameter {
	for _, p := range d.Parameters {
		if p.Name.Value == name {
			return p
		}
	}
	return nil
}

// textOf is a text parameter's value: {description: mg} or a bare name.
func textOf(p *ast.Parameter) string {
	if p == nil || p.Value.Set {
		return ""
	}
	if p.Description != "" {
		return p.Description
	}
	if p.Expr != nil && p.Expr.Src != "" && safeID(p.Expr.Src) == p.Expr.Src {
		return p.Expr.Src
	}
	if p.Expr != nil {
		if s := strings.TrimSpace(p.Expr.Src); strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") {
			return s
		}
	}
	return ""
}

// paramAttrs renders a definition's parameters as attribute name/value
// pairs, in name order (TVBO's rendering and a stable diff): numbers in
// the YAML's units ("-70 mV"), bare numbers when dimensionless, names as
// written.
func (r *renderer) paramAttrs(def *ast.Dynamics, skip map[string]bool) ([]string, error) {
	params := append([]*ast.Parameter(nil), def.Parameters...)
	sort.SliceStable(params, func(i, j int) bool { return params[i].Name.Value < params[j].Name.Value })
	var out []string
	for _, p := range params {
		if skip[p.Name.Value] {
			continue
		}
		v, err := paramValue(p, def.Name.Value)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Name.Value, v)
	}
	return out, nil
}

func paramValue(p *ast.Parameter, owner string) (string, error) {
	if p.Value.Set {
		v := formatNumber(p.Value.Value)
		if u := strings.TrimSpace(p.Unit.Value); u != "" {
			v += " " + nmlUnit(u)
		}
		return v, nil
	}
	if s := textOf(p); s != "" {
		return s, nil
	}
	return "", fmt.Errorf("%s: parameter %q of %s: only numbers and names render as LEMS attributes, not expressions", p.Pos, p.Name.Value, owner)
}

// childSlots are the single-child slots of NeuroML types, written as
// <slot type="HHExpRate" .../>; members of collections are written as
// <type id="name" .../>.
var childSlots = map[string]bool{"forwardRate": true, "reverseRate": true, "steadyState": true,
	"timeCourse": true, "q10Settings": true}

// element writes one component element and its children at depth
// indent: lead attributes first (id or type), then the parameters.
func (r *renderer) element(indent int, tag string, lead []string, def *ast.Dynamics, skip map[string]bool) error {
	attrs, err := r.paramAttrs(def, skip)
	if err != nil {
		return err
	}
	pad := strings.Repeat("  ", indent)
	w := &r.b
	fmt.Fprintf(w, "%s<%s", pad, tag)
	all := append(append([]string(nil), lead...), attrs...)
	for i := 0; i+1 < len(all); i += 2 {
		fmt.Fprintf(w, " %s=%s", all[i], attr(all[i+1]))
	}
	// preset spike times (spikeArray, timedSynapticInput) are <spike>
	// children, in the experiment's time unit as written
	var spikes []ast.Num
	for _, ev := range def.Events {
		spikes = append(spikes, ev.TriggerTimes...)
	}
	if len(def.Components) == 0 && len(spikes) == 0 {
		w.WriteString("/>\n")
		return nil
	}
	w.WriteString(">\n")
	for k, s := range spikes {
		fmt.Fprintf(w, "%s  <spike id=%s time=%s/>\n", pad, attr(strconv.Itoa(k)), attr(formatNumber(s.Value)+" "+r.timeUnit))
	}
	for _, c := range def.Components {
		core, ok := strings.CutPrefix(c.IRI.Value, library.Prefix)
		if !ok {
			return fmt.Errorf("%s: component %q of %s: iri %q is not a NeuroML type, so it has no LEMS element", c.Pos, c.Name.Value, def.Name.Value, c.IRI.Value)
		}
		key := c.Name.Value
		var err error
		if isCustom(c) {
			// its values are Constants of its ComponentType (custom.go)
			fmt.Fprintf(w, "%s  <%s type=%s/>\n", pad, key, attr(core))
			continue
		}
		if childSlots[key] {
			err = r.element(indent+1, key, []string{"type", core}, c, nil)
		} else {
			err = r.element(indent+1, core, []string{"id", key}, c, nil)
		}
		if err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "%s</%s>\n", pad, tag)
	return nil
}

// network writes the <network>: populations, projections, inputs.
func (r *renderer) network() error {
	w := &r.b
	if tis := r.net.tissue; tis != nil {
		// the network is the tissue's child: write it, then indent it
		fmt.Fprintf(w, "  <tissueWithVaryingTemperature id=%s startTemperature=%s endTemperature=%s changeTime=%s>\n",
			attr(TissueID), attr(tis.start), attr(tis.end), attr(tis.change))
		start := w.Len()
		defer func() {
			net := append([]byte(nil), w.Bytes()[start:]...)
			w.Truncate(start)
			for _, line := range strings.SplitAfter(string(net), "\n") {
				if line != "" {
					w.WriteString("  " + line)
				}
			}
			w.WriteString("  </tissueWithVaryingTemperature>\n")
		}()
	}
	if r.net.temperature != "" {
		fmt.Fprintf(w, "  <network id=%s type=\"networkWithTemperature\" temperature=%s>\n", attr(NetworkID), attr(r.net.temperature))
	} else {
		fmt.Fprintf(w, "  <network id=%s>\n", attr(NetworkID))
	}
	for _, p := range r.cellPopulations() {
		fmt.Fprintf(w, "    <population id=%s component=%s size=%s/>\n",
			attr(p.Name), attr(p.Type.Name), attr(strconv.Itoa(len(p.Nodes))))
	}
	cell := func(pop string, i int) string { return "../" + pop + "[" + strconv.Itoa(i) + "]" }
	for _, pr := range r.net.projections {
		switch pr.element {
		case "projection":
			fmt.Fprintf(w, "    <projection id=%s presynapticPopulation=%s postsynapticPopulation=%s synapse=%s>\n",
				attr(pr.id), attr(pr.pre), attr(pr.post), attr(pr.synapse))
		default:
			fmt.Fprintf(w, "    <%s id=%s presynapticPopulation=%s postsynapticPopulation=%s>\n",
				pr.element, attr(pr.id), attr(pr.pre), attr(pr.post))
		}
		dest := ""
		if pr.dest != "" {
			dest = " destination=" + attr(pr.dest)
		}
		for k, c := range pr.conns {
			id := attr(strconv.Itoa(k))
			pre, post := attr(cell(pr.pre, c.pre)), attr(cell(pr.post, c.post))
			switch pr.element {
			case "projection":
				if c.weight == "" && c.delay == "" {
					fmt.Fprintf(w, "      <connection id=%s preCellId=%s postCellId=%s%s/>\n", id, pre, post, dest)
					continue
				}
				weight, delay := c.weight, c.delay
				if weight == "" {
					weight = "1"
				}
				if delay == "" {
					delay = "0 " + r.timeUnit
				}
				fmt.Fprintf(w, "      <connectionWD id=%s preCellId=%s postCellId=%s weight=%s delay=%s%s/>\n",
					id, pre, post, attr(weight), attr(delay), dest)
			case "electricalProjection":
				if c.weight == "" {
					fmt.Fprintf(w, "      <electricalConnectionInstance id=%s preCell=%s postCell=%s synapse=%s/>\n", id, pre, post, attr(pr.synapse))
				} else {
					fmt.Fprintf(w, "      <electricalConnectionInstanceW id=%s preCell=%s postCell=%s synapse=%s weight=%s/>\n",
						id, pre, post, attr(pr.synapse), attr(c.weight))
				}
			case "continuousProjection":
				if c.weight == "" {
					fmt.Fprintf(w, "      <continuousConnectionInstance id=%s preCell=%s postCell=%s preComponent=%s postComponent=%s/>\n",
						id, pre, post, attr(r.net.silent), attr(pr.synapse))
				} else {
					fmt.Fprintf(w, "      <continuousConnectionInstanceW id=%s preCell=%s postCell=%s preComponent=%s postComponent=%s weight=%s/>\n",
						id, pre, post, attr(r.net.silent), attr(pr.synapse), attr(c.weight))
				}
			}
		}
		fmt.Fprintf(w, "    </%s>\n", pr.element)
	}
	for _, in := range r.net.inputs {
		switch in := in.(type) {
		case *explicitInput:
			fmt.Fprintf(w, "    <explicitInput target=%s input=%s destination=\"synapses\"/>\n", attr(in.target), attr(in.input))
		case *inputList:
			fmt.Fprintf(w, "    <inputList id=%s component=%s population=%s>\n", attr(in.id), attr(in.component), attr(in.population))
			for k, x := range in.inputs {
				fmt.Fprintf(w, "      <inputW id=%s target=%s destination=\"synapses\" weight=%s/>\n",
					attr(strconv.Itoa(k)), attr(cell(in.population, x.index)), attr(x.weight))
			}
			w.WriteString("    </inputList>\n")
		}
	}
	w.WriteString("  </network>\n")
	return nil
}
