package flatten

import (
	"fmt"
	"math"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/library"
	"github.com/tvboc/tvboc/compiler/units"
)

// cellParam is a parameter of a built-in cell type and its dimension.
type cellParam struct{ name, dim string }

// Built-in cells. A `cell` here is NeuroML's single-compartment cell as
// TVBO writes it: one cylindrical segment (diameter and length in um when
// no unit is given), its specific capacitance and initial potential.
var (
	pointCellParams = []cellParam{{"C", "capacitance"}, {"v0", "voltage"}, {"thresh", "voltage"}}
	cellParams      = []cellParam{{"diameter", "length"}, {"length", "length"}, {"specificCapacitance", "specificCapacitance"},
		{"initMembPotential", "voltage"}, {"spikeThresh", "voltage"}, {"resistivity", "resistivity"}}
	// TVBO's conveniences on any cell: an attached current pulse, the
	// network's temperature, or a tissue whose temperature steps once.
	tvboCellParams = []cellParam{{"pulse_delay", "time"}, {"pulse_duration", "time"}, {"I_amp", "current"},
		{"network_temperature", "temperature"}, {"tissue_startTemperature", "temperature"},
		{"tissue_endTemperature", "temperature"}, {"tissue_changeTime", "time"}}
)

// Parameters a channel takes as a member of a cell (NeuroML's
// channelPopulation / channelDensity / channelDensityGHK attributes), and
// a concentration model as the model of its ion's species.
var (
	channelPlacement = []string{"number", "erev", "condDensity", "permeability", "ion", "species", "segmentGroup"}
	speciesParams    = []string{"ion", "species", "initialConcentration", "initialExtConcentration"}
	// schemaOnly are NeuroML schema attributes a type accepts without
	// using them (q10Fixed is written with the experimental temperature it
	// was fixed at).
	schemaOnly = map[string][]string{"q10Fixed": {"experimentalTemp"}}
	// slotBase gives the base type of a component written with an unknown
	// type name and its own equations, by the slot it fills.
	slotBase = map[string]string{"forwardRate": "baseVoltageDepRate", "reverseRate": "baseVoltageDepRate",
		"timeCourse": "baseVoltageDepTime", "steadyState": "baseVoltageDepVariable"}
)

func (f *flattener) cellRoot(d *ast.Dynamics) *inst {
	iri := d.IRI.Value
	if strings.HasPrefix(iri, extendsPrefix) {
		root := f.component(d, nil, d.Name.Value, nil)
		if root == nil {
			return nil
		}
		for _, c := range root.children {
			if c.bases["baseIonChannel"] {
				f.population(root, c, false)
			}
		}
		f.tvboExtras(root, d)
		return root
	}
	root := &inst{key: d.Name.Value, node: d, typeName: iri, local: map[string]string{}, links: map[string]string{},
		bases: map[string]bool{"baseCellMembPot": true}}
	pointCell := iri == library.Prefix+"pointCellCondBased"
	declared := cellParams
	if pointCell {
		declared = pointCellParams
	}
	given := f.cellParams(root, d, declared)
	f.tvboExtras(root, d)
	var channels, pools []*inst
	for _, c := range d.Components {
		child := f.component(c, root, c.Name.Value, append(append([]string{}, channelPlacement...), speciesParams...))
		if child != nil {
			root.children = append(root.children, child)
		}
		switch {
		case child == nil:
		case child.bases["baseIonChannel"]:
			channels = append(channels, child)
		case child.bases["concentrationModel"]:
			pools = append(pools, child)
		default:
			f.errorf(c.Pos, "component %q (%s) cannot be part of a cell", c.Name.Value, child.typeName).
				Hint = "a cell holds ion channels, concentration models and current inputs (pulseGenerator)"
		}
	}
	if pointCell {
		f.addDerived(root, "iChannels", sumOf(channels, "i"), d.Pos)
		f.addDerived(root, "iSyn", InputPort, d.Pos)
		f.addState(root, "v", "(iChannels + iSyn) / C", "v0", units.Voltage, d.Pos)
		f.spikeEvents(root, "thresh")
		for _, ch := range channels {
			f.population(root, ch, false)
		}
		return root
	}
	// Single cylindrical compartment: lateral surface area pi*d*l.
	diam, length := given["diameter"], given["length"]
	area := math.Pi * diam * length
	f.addParam(root, "surfaceArea", area, d.Pos)
	f.addParam(root, "C", given["specificCapacitance"]*area, d.Pos)
	for _, pool := range pools {
		ion := pool.links["ion"]
		if ion == "" {
			ion = "ca"
		}
		root.local[ion+"Conc"] = pool.local["concentration"]
		root.local[ion+"ConcExt"] = pool.local["extConcentration"]
		var carriers []*inst
		for _, ch := range channels {
			if ch.links["ion"] == ion || ch.links["species"] == ion {
				carriers = append(carriers, ch)
			}
		}
		if f.opts.ODE {
			f.addDerived(pool, "iCa", sumOf(carriers, "i"), pool.node.Pos)
			continue
		}
		// the pool reads the cell's iCa of the previous step (DerivedLag)
		f.addDerived(pool, "iCaNow", sumOf(carriers, "i"), pool.node.Pos)
		reg := pool.path + "iCaNow__prev"
		f.cell.DerivedLags = append(f.cell.DerivedLags, &DerivedLag{Name: reg, Of: pool.path + "iCaNow"})
		f.derived = append(f.derived, &item{in: pool, name: f.claim(pool, "iCa", pool.node.Pos),
			node: &expr.Ident{Name: reg}, flat: true, pos: pool.node.Pos})
	}
	for _, ch := range channels {
		f.population(root, ch, true)
	}
	f.addDerived(root, "iChannels", sumOf(channels, "i"), d.Pos)
	f.addDerived(root, "iSyn", InputPort, d.Pos)
	f.addState(root, "v", "(iChannels + iSyn) / C", "initMembPotential", units.Voltage, d.Pos)
	f.spikeEvents(root, "spikeThresh")
	return root
}

// sumOf writes the sum of a variable over components, in the parent's
// names: each child is reached by its key as "key/var" is not a name, so
// the sum is built after the children exist, through their flat names.
func sumOf(children []*inst, variable string) string {
	if len(children) == 0 {
		return "0"
	}
	var terms []string
	for _, c := range children {
		terms = append(terms, c.key+"__"+variable)
	}
	return strings.Join(terms, " + ")
}

// cellParams reads a built-in cell's parameters into SI; the values are
// returned for the cell's own geometry.
func (f *flattener) cellParams(root *inst, d *ast.Dynamics, declared []cellParam) map[string]float64 {
	dims := map[string]string{}
	var names []string
	for _, p := range append(append([]cellParam{}, declared...), tvboCellParams...) {
		dims[p.name] = p.dim
		names = append(names, p.name)
	}
	given := map[string]float64{}
	givenAt := map[string]diag.Pos{}
	for _, p := range d.Parameters {
		if alias, ok := cellAliases[p.Name.Value]; ok && d.IRI.Value == library.Prefix+"cell" {
			c := *p
			c.Name.Value = alias
			p = &c
		}
		dim, ok := dims[p.Name.Value]
		if !ok {
			f.errorf(p.Name.Pos, "unknown parameter %q for %s", p.Name.Value, d.IRI.Value).
				Hint = "its parameters are: " + strings.Join(names, ", ")
			continue
		}
		if (p.Name.Value == "diameter" || p.Name.Value == "length") && p.Unit.Value == "" && p.Value.Set {
			given[p.Name.Value] = p.Value.Value * 1e-6 // NeuroML morphologies are in um
			continue
		}
		v, _ := f.siValue(p, dim, fmt.Sprintf("parameter %q of %s", p.Name.Value, d.IRI.Value))
		given[p.Name.Value] = v
		givenAt[p.Name.Value] = p.Name.Pos
	}
	for _, p := range declared {
		v, ok := given[p.name]
		if diam, hasDiam := given["diameter"]; !ok && p.name == "length" && hasDiam {
			// NeuroML's soma written as one point of that diameter
			// (proximal = distal) is a sphere, area pi*d^2: the lateral
			// area pi*d*l of a cylinder with l = d
			v, ok = diam, true
			given["length"] = diam
		}
		if !ok {
			if p.name == "resistivity" {
				continue // one compartment: no axial current
			}
			f.errorf(d.Pos, "dynamics %q (%s) is missing required parameter %q", d.Name.Value, d.IRI.Value, p.name).
				Hint = fmt.Sprintf("add %s: {value: ..., unit: ...} under parameters", p.name)
			v = math.NaN()
		}
		pos, ok := givenAt[p.name]
		if !ok {
			pos = d.Pos
		}
		f.addParam(root, p.name, v, pos)
	}
	return given
}

// cellAliases are other spellings TVBO uses for a cell's parameters.
var cellAliases = map[string]string{"v0": "initMembPotential"}

// tvboExtras turns TVBO's cell conveniences into parts of the cell.
func (f *flattener) tvboExtras(root *inst, d *ast.Dynamics) {
	byName := map[string]*ast.Parameter{}
	for _, p := range d.Parameters {
		byName[p.Name.Value] = p
	}
	value := func(name, dim string) (float64, bool) {
		p, ok := byName[name]
		if !ok {
			return 0, false
		}
		v, ok := f.siValue(p, dim, fmt.Sprintf("parameter %q", name))
		return v, ok
	}
	if amp, ok := byName["I_amp"]; ok {
		pulse := &ast.Dynamics{Pos: amp.Pos, Name: ast.Str{Value: "pulse", Pos: amp.Pos},
			IRI: ast.Str{Value: library.Prefix + "pulseGenerator", Pos: amp.Pos}}
		for _, pair := range [][2]string{{"pulse_delay", "delay"}, {"pulse_duration", "duration"}, {"I_amp", "amplitude"}} {
			p, ok := byName[pair[0]]
			if !ok {
				f.errorf(amp.Pos, "I_amp needs %s to describe the pulse", pair[0]).Hint = "add " + pair[0] + ": {value: 50, unit: ms}"
				continue
			}
			c := *p
			c.Name = ast.Str{Value: pair[1], Pos: p.Name.Pos}
			pulse.Parameters = append(pulse.Parameters, &c)
		}
		f.cell.Attached = append(f.cell.Attached, pulse)
	}
	if v, ok := value("network_temperature", "temperature"); ok {
		f.addParam(root, "temperature", v, byName["network_temperature"].Pos)
	}
	if start, ok := value("tissue_startTemperature", "temperature"); ok {
		end, okE := value("tissue_endTemperature", "temperature")
		at, okT := value("tissue_changeTime", "time")
		if !okE || !okT {
			f.errorf(byName["tissue_startTemperature"].Pos, "a tissue temperature needs tissue_endTemperature and tissue_changeTime")
			return
		}
		pos := byName["tissue_startTemperature"].Pos
		f.addParam(root, "tissueStartTemperature", start, pos)
		f.addParam(root, "tissueEndTemperature", end, pos)
		f.addParam(root, "tissueChangeTime", at, pos)
		// the tissue's temperature steps once, when t passes the change time
		f.addDerived(root, "temperature", "Piecewise((tissueEndTemperature, t > tissueChangeTime), (tissueStartTemperature, True))", pos)
	}
}

// population gives a channel placed in a cell its current i.
func (f *flattener) population(root, ch *inst, density bool) {
	f.popLevel = true
	defer func() { f.popLevel = false }()
	has := func(name string) bool { _, ok := ch.local[name]; return ok }
	pos := ch.node.Pos
	ion := ch.links["ion"]
	if ion == "" {
		ion = ch.links["species"]
	}
	switch {
	case !density && has("number") && has("erev"):
		f.addDerived(ch, "i", "number * g * (erev - v)", pos)
	case !density && !has("erev"):
		f.errorf(pos, "channel %q has no reversal potential", ch.key).Hint = "add erev: {value: -77, unit: mV} (and number: the channel count) to its parameters"
	case !density:
		f.errorf(pos, "channel %q has no number of channels", ch.key).Hint = "add number: {value: 300} to its parameters"
	case has("permeability"):
		if _, ok := root.local["caConc"]; !ok {
			f.errorf(pos, "channel %q carries a GHK current of %s but the cell has no concentration model for it", ch.key, orUnknown(ion)).
				Hint = "add a neuroml:fixedFactorConcentrationModel or neuroml:decayingPoolConcentrationModel with ion: {description: ca}"
			return
		}
		f.addParam(ch, "R", 8.3144621, pos)
		f.addParam(ch, "zCa", 2, pos)
		f.addParam(ch, "F", 96485.3, pos)
		f.addDerived(ch, "K", "(zCa * F) / (R * temperature)", pos)
		f.addDerived(ch, "expKv", "exp(-1 * K * v)", pos)
		f.addDerived(ch, "iDensity", "Piecewise((-1 * fopen * permeability * zCa * F * K * v * (caConc - caConcExt * expKv) / (1 - expKv), caConcExt > 0), (0, True))", pos)
		f.addDerived(ch, "i", "surfaceArea * iDensity", pos)
	case has("condDensity") && has("erev"):
		f.addDerived(ch, "gDensity", "condDensity * fopen", pos)
		f.addDerived(ch, "i", "surfaceArea * gDensity * (erev - v)", pos)
	case has("condDensity") && ion != "" && hasLocal(root, ion+"Conc"):
		// channelDensityNernst: erev from the ion's concentrations
		f.addParam(ch, "R", 8.3144621, pos)
		f.addParam(ch, "zCa", 2, pos)
		f.addParam(ch, "F", 96485.3, pos)
		f.addDerived(ch, "erev", fmt.Sprintf("(R * temperature / (zCa * F)) * log(%sConcExt / %sConc)", ion, ion), pos)
		f.addDerived(ch, "gDensity", "condDensity * fopen", pos)
		f.addDerived(ch, "i", "surfaceArea * gDensity * (erev - v)", pos)
	case has("condDensity"):
		f.errorf(pos, "channel %q (ion %s) has neither a reversal potential nor a concentration model for its ion", ch.key, orUnknown(ion)).
			Hint = "add erev: {value: 50, unit: mV} to its parameters, or a concentration model for " + orUnknown(ion) + " to the cell"
	default:
		f.errorf(pos, "channel %q has no conductance density or permeability", ch.key).
			Hint = "add condDensity: {value: 0.12, unit: S_per_cm2} and erev, or permeability: {value: 2.5e-7, unit: m_per_s}"
	}
}

func hasLocal(in *inst, name string) bool { _, ok := in.local[name]; return ok }

func orUnknown(ion string) string {
	if ion == "" {
		return "(no ion given)"
	}
	return ion
}

// addState adds a state variable written in the component's names; its
// initial value is an expression too.
func (f *flattener) addState(in *inst, name, rate, initial string, dim units.Dimension, pos diag.Pos) {
	r, err := expr.Parse(rate)
	if err != nil {
		panic(fmt.Sprintf("flatten: bad built-in equation %q: %v", rate, err))
	}
	i, err := expr.Parse(initial)
	if err != nil {
		panic(fmt.Sprintf("flatten: bad built-in equation %q: %v", initial, err))
	}
	flat := f.claim(in, name, pos)
	f.states = append(f.states, &stateItem{in: in, name: flat, rate: item{in: in, node: r, pos: pos},
		initial: &ast.Expr{Src: initial, Pos: pos, Node: i}, unit: units.SIUnitOf(dim), toSI: 1, ofInt: name == "v"})
}

// spikeEvents writes NeuroML's spike detection: one spike when v crosses
// the threshold upwards, re-armed when v falls below it.
func (f *flattener) spikeEvents(root *inst, thresh string) {
	pos := root.node.Pos
	f.addState(root, "spiking", "0", "0", units.None, pos)
	root.local["spiking"] = "spiking"
	f.addEvent(root, "spike", "v > "+thresh+" & spiking < 0.5", "spiking = 1", "spike", pos)
	f.addEvent(root, "rearm", "v < "+thresh, "spiking = 0", "", pos)
}

func (f *flattener) addEvent(in *inst, name, cond, affect, emit string, pos diag.Pos) {
	c, err := expr.Parse(cond)
	if err != nil {
		panic(fmt.Sprintf("flatten: bad built-in condition %q: %v", cond, err))
	}
	ev := &eventItem{in: in, name: in.path + name, cond: item{in: in, node: c, pos: pos}, emit: emit}
	as, err := expr.ParseAssignments(affect)
	if err != nil {
		panic(fmt.Sprintf("flatten: bad built-in affect %q: %v", affect, err))
	}
	for _, a := range as {
		ev.set = append(ev.set, struct {
			v string
			e item
		}{a.Var, item{in: in, node: a.Value, pos: pos}})
	}
	f.events = append(f.events, ev)
}

// component instantiates one component and, recursively, its children.
// placement lists the extra parameters its parent lets it carry.
func (f *flattener) component(node *ast.Dynamics, parent *inst, key string, placement []string) *inst {
	in := &inst{key: key, node: node, parent: parent, local: map[string]string{}, links: map[string]string{},
		bases: map[string]bool{}}
	if parent != nil {
		in.path = parent.path + key + "/"
	}
	iri := node.IRI.Value
	var chain []*ast.Dynamics // most derived first
	custom := false
	switch {
	case strings.HasPrefix(iri, extendsPrefix):
		base := strings.TrimPrefix(iri, extendsPrefix)
		in.typeName = iri
		in.bases[base] = true
		custom = true
		chain = []*ast.Dynamics{node}
		if def, ok, _ := library.Lookup(library.Prefix + base); ok {
			chain = append(chain, f.chain(def)...)
		}
	case strings.HasPrefix(iri, library.Prefix):
		in.typeName = strings.TrimPrefix(iri, library.Prefix)
		def, ok, err := library.Lookup(iri)
		if err != nil {
			f.errorf(node.IRI.Pos, "%v", err)
			return nil
		}
		if !ok {
			if len(node.Derived) == 0 && len(node.States) == 0 {
				e := f.errorf(node.IRI.Pos, "unknown component type %q for %q", iri, key)
				e.Hint = "use a NeuroML type such as neuroml:HHExpRate, neuroml:gateHHrates or neuroml:ionChannelHH, " +
					"or define the type here with derived_variables (e.g. r for a rate)"
				if base, ok := slotBase[key]; ok {
					e.Hint += fmt.Sprintf("; a %s is a %s", key, base)
				}
				return nil
			}
			custom = true
			chain = []*ast.Dynamics{node}
			if base, ok := slotBase[key]; ok {
				in.bases[base] = true
				def, _, _ := library.Lookup(library.Prefix + base)
				chain = append(chain, f.chain(def)...)
			}
		} else {
			chain = f.chain(def)
		}
	default:
		f.errorf(node.Pos, "component %q has no iri", key).
			Hint = "write iri: neuroml:<type> (e.g. neuroml:ionChannelHH) or iri: \"extends:<baseType>\" with its own equations"
		return nil
	}
	for _, d := range chain {
		in.bases[d.Name.Value] = true
		if in.kind == "" {
			in.kind = d.Kind.Value
		}
	}
	if in.kind == "input" {
		if parent == nil || parent.parent != nil {
			f.errorf(node.Pos, "current input %q must be a component of the cell itself", key)
			return nil
		}
		c := *node
		c.Name = ast.Str{Value: key, Pos: node.Name.Pos}
		f.cell.Attached = append(f.cell.Attached, &c)
		return nil
	}
	f.params(in, chain, custom, placement)
	f.dynamics(in, chain)
	for _, c := range node.Components {
		child := f.component(c, in, c.Name.Value, []string{"from", "to"})
		if child != nil {
			in.children = append(in.children, child)
		}
	}
	if in.bases["gateKS"] {
		f.kineticScheme(in)
	}
	return in
}

// params sets a component's parameters and constants.
func (f *flattener) params(in *inst, chain []*ast.Dynamics, custom bool, placement []string) {
	node := in.node
	// constants, base first so a derived type's value wins
	fixed := map[string]bool{}
	for i := len(chain) - 1; i >= 0; i-- {
		for _, c := range chain[i].Constants {
			v := c.Value.Value
			if c.Unit.Value != "" {
				if u, err := units.Parse(c.Unit.Value); err == nil {
					v = u.ToSI(v)
				}
			}
			f.addParam(in, c.Name.Value, v, c.Pos)
			fixed[c.Name.Value] = true
		}
	}
	extra := map[string]bool{}
	for _, p := range placement {
		extra[p] = true
	}
	for _, p := range schemaOnly[in.typeName] {
		extra[p] = true
	}
	declared := map[string]*ast.Parameter{}
	var names []string
	start := 0
	if custom {
		start = 1 // the node's own parameters are values, not declarations
	}
	for _, d := range chain[start:] {
		for _, p := range d.Parameters {
			if _, dup := declared[p.Name.Value]; !dup {
				declared[p.Name.Value] = p
				names = append(names, p.Name.Value)
			}
		}
	}
	given := map[string]bool{}
	for _, p := range node.Parameters {
		name := p.Name.Value
		given[name] = true
		if p.Expr == nil && !p.Value.Set && p.Description != "" {
			in.links[name] = p.Description // a name: from: c1, ion: ca
			continue
		}
		if id, ok := bareName(p); ok && linkParams[name] {
			in.links[name] = id // the same written as a bare string: ion: na
			continue
		}
		decl, isDeclared := declared[name]
		if !isDeclared && !custom && !extra[name] {
			f.errorf(p.Name.Pos, "unknown parameter %q for %s %q", name, in.typeName, in.key).
				Hint = "its parameters are: " + strings.Join(names, ", ")
			continue
		}
		dim := ""
		if isDeclared {
			dim = decl.Dimension.Value
		}
		v, _ := f.siValue(p, dim, fmt.Sprintf("parameter %q of %q", name, in.key))
		if name == "instances" && !math.IsNaN(v) && (v < 1 || v != math.Trunc(v) || v > maxInstances) {
			// NeuroML's schema: a gate's instances is a positive integer
			// (q^instances: a negative one divides by q, which may be 0)
			f.errorf(p.Value.Pos, "parameter \"instances\" of %q must be a whole number from 1 to %d (NeuroML's positiveInteger), got %g", in.key, maxInstances, v).
				Hint = "instances is how many identical gates the channel has, e.g. 3 for an HH m gate"
			v = math.NaN()
		}
		f.addParam(in, name, v, p.Name.Pos)
	}
	for _, name := range names {
		if given[name] || fixed[name] {
			continue
		}
		if d := declared[name]; d.Value.Set {
			f.addParam(in, name, d.Value.Value, d.Pos)
			continue
		}
		f.errorf(in.node.Pos, "%s is missing required parameter %q", in.describe(), name).
			Hint = fmt.Sprintf("add %s under its parameters", name)
		f.addParam(in, name, math.NaN(), in.node.Pos)
	}
}

// maxInstances bounds a gate's instances: q^instances of a q below 1
// underflows to 0 long before, and no channel has more gates.
const maxInstances = 1000

// dynamics queues a component's derived variables, states and events: a
// derived type's definition of a name replaces its base's.
func (f *flattener) dynamics(in *inst, chain []*ast.Dynamics) {
	var derived []*ast.Derived
	var states []*ast.State
	var events []*ast.Event
	for i := len(chain) - 1; i >= 0; i-- {
		d := chain[i]
		for _, x := range d.Derived {
			derived = replaceOrAppend(derived, x, func(a *ast.Derived) string { return a.Name.Value })
		}
		for _, x := range d.States {
			states = replaceOrAppend(states, x, func(a *ast.State) string { return a.Name.Value })
		}
		for _, x := range d.Events {
			events = replaceOrAppend(events, x, func(a *ast.Event) string { return a.Name.Value })
		}
	}
	for _, d := range derived {
		it := &item{in: in, name: f.claim(in, d.Name.Value, d.Name.Pos), src: d.Equation, label: d.Label.Value, pos: d.Name.Pos}
		if d.Equation != nil {
			it.node = d.Equation.Node
		}
		f.derived = append(f.derived, it)
	}
	for _, s := range states {
		st := &stateItem{in: in, name: f.claim(in, s.Name.Value, s.Name.Pos), initial: s.Initial, toSI: 1, ofInt: s.OfInterest && in.parent == nil}
		st.rate = item{in: in, src: s.Equation, pos: s.Name.Pos}
		if s.Equation != nil {
			st.rate.node = s.Equation.Node
		}
		if dim, ok := units.DimensionByName(s.Dimension.Value); ok {
			st.unit = units.SIUnitOf(dim)
		}
		if s.Unit.Value != "" {
			if u, err := units.Parse(s.Unit.Value); err != nil {
				f.errorf(s.Unit.Pos, "state variable %q: %v", s.Name.Value, err)
			} else {
				st.unit, st.toSI = units.SIUnitOf(u.Dim), u.ToSI(1)
			}
		}
		if st.initial == nil {
			st.initVal = 0
		}
		f.states = append(f.states, st)
	}
	for _, e := range events {
		ev := &eventItem{in: in, ev: e, name: in.path + e.Name.Value, emit: e.Emit.Value}
		if e.Condition == nil {
			f.errorf(e.Pos, "event %q has no condition", e.Name.Value)
			continue
		}
		ev.cond = item{in: in, src: e.Condition, node: e.Condition.Node, pos: e.Pos}
		for _, a := range e.Affect {
			ev.set = append(ev.set, struct {
				v string
				e item
			}{a.Var.Value, item{in: in, src: a.Value, node: a.Value.Node, pos: a.Var.Pos}})
		}
		f.events = append(f.events, ev)
	}
}

func replaceOrAppend[T any](list []T, x T, name func(T) string) []T {
	for i, y := range list {
		if name(y) == name(x) {
			list[i] = x
			return list
		}
	}
	return append(list, x)
}

// linkParams are the structural parameters whose value is a name.
var linkParams = map[string]bool{"ion": true, "species": true, "from": true, "to": true, "segmentGroup": true}

// bareName returns the name a parameter written as a bare string holds
// (TVBO reads a bare string as an expression: ion: na).
func bareName(p *ast.Parameter) (string, bool) {
	if p.Expr == nil || p.Value.Set {
		return "", false
	}
	id, ok := p.Expr.Node.(*expr.Ident)
	if !ok {
		return "", false
	}
	return id.Name, true
}
