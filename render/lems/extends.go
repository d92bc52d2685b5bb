package lems

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/units"
)

// Hierarchical dynamics: a cell written as a tree of components with iri
// "extends:<baseType>" (TVBO's Ex1.exp_custom) defines its own types at
// every level. Each level becomes a LEMS ComponentType extending the
// NeuroML base it names, called after the component's label
// (customIonChannelHH, customGateHHrates, ...):
//
//	<ComponentType name="customGateHHrates" extends="baseGate">
//	  <Parameter name="q_init" dimension="none"/>
//	  <Child name="forwardRate" type="baseVoltageDepRate"/>
//	  <Dynamics>
//	    <StateVariable name="q" dimension="none" exposure="q"/>
//	    <DerivedVariable name="alpha" dimension="per_time" select="forwardRate/r"/>
//	    ...
//	  </Dynamics>
//	</ComponentType>
//
// Its parameters are Parameters of the type (with their unit's
// dimension; those the base already declares are inherited), and their
// values are attributes of each component, so the three gates of Ex1 share
// one gate type. A numeric initial value is a Parameter <state>_init for
// the same reason: the gates start at different values. A derived
// variable labelled "select:<path> reduce:<op> required:false" is a LEMS
// DerivedVariable with select, reduce and required, and conditionals are a
// ConditionalDerivedVariable. A child a selection names by its slot
// (select:forwardRate/r) is a <Child>, members of a collection
// (select:gates[*]/fcond) are <Children>. Two components with one label
// but different equations get distinct names (label, label_2, ...), since
// LEMS has one ComponentType per name.
//
// Everything computes in SI, as the compiler's flattening does, so LEMS
// can check every dimension: the rendering infers each derived variable's
// dimension and refuses one that contradicts its declared unit or a rate
// whose dimension is not its state's per time.
//
// The cell itself follows NeuroML's pointCellCondBased: its channels are
// top-level components placed by <channelPopulation> children (number and
// erev go there), its currents arrive through <Attachments
// name="synapses">, and TVBO's pulse_*/I_amp become a pulseGenerator
// (cells.go).

// coreBase is what a NeuroML base type gives the types extending it.
type coreBase struct {
	params    map[string]units.Dimension
	exposures map[string]units.Dimension
	requires  map[string]units.Dimension
	spikes    bool // has the spike EventPort
}

// coreBases are the NeuroML base types an extends: component may name,
// as NeuroML2CoreTypes declares them.
var coreBases = map[string]coreBase{
	"baseCellMembPot": {exposures: map[string]units.Dimension{"v": units.Voltage}, spikes: true},
	"baseIonChannel": {params: map[string]units.Dimension{"conductance": units.Conductance},
		exposures: map[string]units.Dimension{"g": units.Conductance, "fopen": units.None},
		requires:  map[string]units.Dimension{"v": units.Voltage}},
	"baseGate": {params: map[string]units.Dimension{"instances": units.None},
		exposures: map[string]units.Dimension{"fcond": units.None, "q": units.None}},
	"baseVoltageDepRate":     {exposures: map[string]units.Dimension{"r": units.PerTime}, requires: map[string]units.Dimension{"v": units.Voltage}},
	"baseVoltageDepTime":     {exposures: map[string]units.Dimension{"t": units.Time}, requires: map[string]units.Dimension{"v": units.Voltage}},
	"baseVoltageDepVariable": {exposures: map[string]units.Dimension{"x": units.None}, requires: map[string]units.Dimension{"v": units.Voltage}},
	"baseVoltageConcDepRate": {exposures: map[string]units.Dimension{"r": units.PerTime},
		requires: map[string]units.Dimension{"v": units.Voltage, "caConc": units.Concentration}},
}

// collectionTypes are the LEMS types of the collections a selection can
// name, as the rendering declares them (<Children name type>).
var collectionTypes = map[string]string{
	"gates": "baseGate", "populations": "baseChannelPopulation", "q10Settings": "baseQ10Settings",
	"conductanceScaling": "baseConductanceScaling", "subGates": "subGate", "states": "KSState",
	"transitions": "KSTransition", "channelPopulations": "baseChannelPopulation",
}

// memberCollection is the collection a child of a base type belongs to
// when no selection names it by its slot.
var memberCollection = map[string]string{"baseGate": "gates"}

// extendsBase is the base type an "extends:" iri names, or "".
func extendsBase(iri string) string {
	base, _ := strings.CutPrefix(iri, extendsPrefix)
	if base == iri {
		return ""
	}
	return base
}

const extendsPrefix = "extends:"

// extRole is where a hierarchical component sits, which decides the
// parameters its own ComponentType leaves to others.
type extRole int

const (
	extPart    extRole = iota // a gate, rate or anything below a channel
	extChannel                // a channel of the cell: number and erev go to its channelPopulation
	extCell                   // the cell: TVBO's pulse and temperature parameters are not the type's
)

// extType writes the ComponentType of an extends: component and those of
// its extends: descendants (children first), returning its name.
// isSpikeOnly reports whether ev is an event named spike that assigns and
// fires nothing: a spiking cell's spike (see extType).
func isSpikeOnly(ev *ast.Event) bool {
	return ev.Name.Value == "spike" && len(ev.Affect) == 0 && ev.Emit.Value == ""
}

func (r *renderer) extType(d *ast.Dynamics, key string, role extRole) (string, error) {
	if name, done := r.extNames[d]; done {
		return name, nil
	}
	base := extendsBase(d.IRI.Value)
	cb, ok := coreBases[base]
	if !ok {
		return "", fmt.Errorf("%s: component %q extends %q, which the LEMS rendering does not know (it knows %s)",
			d.Pos, key, base, strings.Join(sortedKeys(coreBases), ", "))
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s: component %q (%s): %s", d.Pos, key, d.IRI.Value, fmt.Sprintf(format, args...))
	}

	// What the selections say about the children: single slots and
	// collections, with the variables read from them.
	type selection struct {
		path, variable, reduce string
		collection             bool
		optional               bool
	}
	sels := map[string]*selection{}
	slots := map[string]bool{}
	usedCollections := map[string]bool{}
	for _, x := range d.Derived {
		if !strings.Contains(x.Label.Value, "select:") {
			continue
		}
		s := &selection{}
		for _, word := range strings.Fields(x.Label.Value) {
			k, v, _ := strings.Cut(word, ":")
			switch k {
			case "select":
				s.path = v
			case "reduce":
				s.reduce = v
			case "required":
				s.optional = v == "false"
			}
		}
		child, variable, _ := strings.Cut(s.path, "/")
		s.variable = variable
		if coll, ok := strings.CutSuffix(child, "[*]"); ok {
			s.collection = true
			usedCollections[coll] = true
		} else {
			slots[child] = true
		}
		sels[x.Name.Value] = s
	}

	// Children first: their types, and the dimensions of what they expose.
	childDims := map[string]map[string]units.Dimension{} // by key, or by collection
	var childDecls []string
	for _, c := range d.Components {
		cbase := extendsBase(c.IRI.Value)
		if cbase == "" {
			return "", fail("child %q (%s): a hierarchical component's children are rendered to LEMS only when they extend a base type themselves", c.Name.Value, c.IRI.Value)
		}
		childRole := extPart
		if role == extCell && cbase == "baseIonChannel" {
			childRole = extChannel
		}
		if _, err := r.extType(c, c.Name.Value, childRole); err != nil {
			return "", err
		}
		dims := r.extDims[c]
		if role == extCell && cbase == "baseIonChannel" {
			// the cell reaches its channels through their populations
			childDims["populations"] = map[string]units.Dimension{"i": units.Current}
			continue
		}
		if slots[c.Name.Value] || childSlots[c.Name.Value] {
			childDims[c.Name.Value] = dims
			childDecls = append(childDecls, fmt.Sprintf("    <Child name=%s type=%s/>\n", attr(c.Name.Value), attr(cbase)))
			continue
		}
		coll, ok := memberCollection[cbase]
		if !ok {
			return "", fail("child %q extends %s, which has no LEMS collection; select it by name (select:%s/<variable>)", c.Name.Value, cbase, c.Name.Value)
		}
		if childDims[coll] == nil {
			childDims[coll] = map[string]units.Dimension{}
		}
		for n, dim := range dims {
			childDims[coll][n] = dim
		}
	}
	for _, coll := range sortedNames(usedCollections) {
		switch {
		case role == extCell && coll == "synapses":
			childDecls = append(childDecls, "    <Attachments name=\"synapses\" type=\"basePointCurrent\"/>\n")
			childDims["synapses"] = map[string]units.Dimension{"i": units.Current}
		case collectionTypes[coll] != "":
			childDecls = append(childDecls, fmt.Sprintf("    <Children name=%s type=%s/>\n", attr(coll), attr(collectionTypes[coll])))
		default:
			return "", fail("selects from %q, a collection the LEMS rendering does not know", coll)
		}
	}
	if role == extCell && !usedCollections["synapses"] {
		// explicitInputs still need somewhere to go
		childDecls = append(childDecls, "    <Attachments name=\"synapses\" type=\"basePointCurrent\"/>\n")
	}

	// The type's own names and their dimensions.
	env := map[string]units.Dimension{}
	own := map[string]bool{}
	var decls []string
	skip := map[string]bool{}
	if role == extChannel {
		skip = placementParams
	}
	if role == extCell {
		skip = tvboCellParams
	}
	for _, p := range d.Parameters {
		if skip[p.Name.Value] {
			continue
		}
		dim := units.None
		if u := strings.TrimSpace(p.Unit.Value); u != "" {
			_, pu, err := dimensionName(u)
			if err != nil {
				return "", fail("parameter %q: %v", p.Name.Value, err)
			}
			dim = pu.Dim
		}
		if !p.Value.Set {
			return "", fail("parameter %q: only numbers render as LEMS parameter values", p.Name.Value)
		}
		env[p.Name.Value], own[p.Name.Value] = dim, true
		if bd, inherited := cb.params[p.Name.Value]; inherited {
			if bd != dim {
				return "", fail("parameter %q is %s, but %s declares it %s", p.Name.Value, dimensionOf(dim), base, dimensionOf(bd))
			}
			continue
		}
		decls = append(decls, fmt.Sprintf("    <Parameter name=%s dimension=%s/>\n", attr(p.Name.Value), attr(dimensionOf(dim))))
	}
	stateDim := map[string]units.Dimension{}
	for _, s := range d.States {
		dim := units.None
		if u := strings.TrimSpace(s.Unit.Value); u != "" {
			_, su, err := dimensionName(u)
			if err != nil {
				return "", fail("state variable %q: %v", s.Name.Value, err)
			}
			dim = su.Dim
		} else if dd, ok := units.DimensionByName(s.Dimension.Value); ok {
			dim = dd
		}
		stateDim[s.Name.Value] = dim
		env[s.Name.Value], own[s.Name.Value] = dim, true
		if s.Initial != nil {
			if _, isNum := numericInitial(s); isNum {
				name := s.Name.Value + "_init"
				if own[name] {
					return "", fail("the name %s is taken by the LEMS rendering of %q's initial value (rename it)", name, s.Name.Value)
				}
				decls = append(decls, fmt.Sprintf("    <Parameter name=%s dimension=%s/>\n", attr(name), attr(dimensionOf(dim))))
			} else if s.Unit.Value != "" {
				return "", fail("state variable %q: an initial value written as an expression in %s is not rendered to LEMS (write a number)", s.Name.Value, s.Unit.Value)
			}
		}
	}
	for _, x := range d.Derived {
		own[x.Name.Value] = true
	}
	// Requirements: names read from the components around it.
	uses := map[string]bool{}
	for _, x := range d.Derived {
		if x.Equation != nil && sels[x.Name.Value] == nil {
			collectIdents(x.Equation.Node, uses)
		}
	}
	for _, s := range d.States {
		for _, e := range []*ast.Expr{s.Equation, s.Initial} {
			if e != nil {
				collectIdents(e.Node, uses)
			}
		}
	}
	for _, ev := range d.Events {
		if ev.Condition != nil {
			collectIdents(ev.Condition.Node, uses)
		}
		for _, a := range ev.Affect {
			collectIdents(a.Value.Node, uses)
		}
	}
	var reqs []string
	for _, n := range sortedNames(uses) {
		if own[n] {
			continue
		}
		if _, isConst := expr.Constants[n]; isConst || n == "t" {
			if n == "t" {
				env["t"] = units.Time
			}
			continue
		}
		if dim, ok := cb.requires[n]; ok {
			env[n] = dim
			continue
		}
		dim, ok := requirementDims[n]
		if !ok {
			return "", fail("%q is neither a parameter, state or derived variable of the component nor a value LEMS can require from around it (%s)",
				n, strings.Join(sortedNames(requirementNames()), ", "))
		}
		env[n] = dim
		reqs = append(reqs, fmt.Sprintf("    <Requirement name=%s dimension=%s/>\n", attr(n), attr(dimensionOf(dim))))
	}

	// Dynamics, in the YAML's order; dimensions in dependency order
	// (a derived variable may use a later one).
	exposures := map[string]units.Dimension{}
	var body strings.Builder
	for _, s := range d.States {
		exposures[s.Name.Value] = stateDim[s.Name.Value]
		fmt.Fprintf(&body, "      <StateVariable name=%s dimension=%s exposure=%s/>\n",
			attr(s.Name.Value), attr(dimensionOf(stateDim[s.Name.Value])), attr(s.Name.Value))
	}
	pending := append([]*ast.Derived(nil), d.Derived...)
	derivedLine := map[string]string{}
	for len(pending) > 0 {
		progress := false
		var next []*ast.Derived
		var lastErr error
		for _, x := range pending {
			line, dim, err := derivedXML(x, sels[x.Name.Value] != nil, env, childDims, func() (string, string, string, bool) {
				s := sels[x.Name.Value]
				return s.path, s.variable, s.reduce, s.optional
			})
			if err != nil {
				lastErr = err
				next = append(next, x)
				continue
			}
			env[x.Name.Value] = dim
			exposures[x.Name.Value] = dim
			derivedLine[x.Name.Value] = line
			progress = true
		}
		if !progress {
			return "", fail("%v", lastErr)
		}
		pending = next
	}
	for _, x := range d.Derived {
		body.WriteString(derivedLine[x.Name.Value])
	}
	for n, dim := range cb.exposures {
		if got, ok := exposures[n]; ok && got != dim {
			return "", fail("%q is %s, but %s exposes it as %s", n, dimensionOf(got), base, dimensionOf(dim))
		}
	}
	p := &printer{subst: map[string]string{}, used: own}
	for _, s := range d.States {
		if s.Equation == nil {
			continue
		}
		rdim, err := exprDim(s.Equation.Node, env)
		if err != nil {
			return "", fail("equation of state variable %q: %v", s.Name.Value, err)
		}
		want, _ := stateDim[s.Name.Value].Div(units.Time)
		if rdim != want && !rdim.IsNone() {
			return "", fail("state variable %q changes by %s, not %s (its unit per second: the equations are in SI)",
				s.Name.Value, dimensionOf(rdim), dimensionOf(want))
		}
		p.owner = s.Name.Value
		v, err := p.print(s.Equation.Node)
		if err != nil {
			return "", fail("equation of state variable %q: %v", s.Name.Value, err)
		}
		fmt.Fprintf(&body, "      <TimeDerivative variable=%s value=%s/>\n", attr(s.Name.Value), attr(v))
	}
	var starts []string
	for _, s := range d.States {
		if s.Initial == nil {
			continue // LEMS starts it at 0, as the compiler does
		}
		v := s.Name.Value + "_init"
		if _, isNum := numericInitial(s); !isNum {
			var err error
			p.owner = s.Name.Value + "_start"
			if v, err = p.print(s.Initial.Node); err != nil {
				return "", fail("initial value of %q: %v", s.Name.Value, err)
			}
		}
		starts = append(starts, fmt.Sprintf("        <StateAssignment variable=%s value=%s/>\n", attr(s.Name.Value), attr(v)))
	}
	if len(starts) > 0 {
		body.WriteString("      <OnStart>\n" + strings.Join(starts, "") + "      </OnStart>\n")
	}
	for _, ev := range d.Events {
		// An event named spike of a spiking cell that says nothing else
		// (Ex1.exp_custom's "v > thresh") is the cell's spike: it fires the
		// spike port. jLEMS needs that port besides: an explicitInput
		// connects the cell's first output port to the input, and fails
		// with "No output port on <cell>" on a cell whose dynamics send no
		// event (an EventPort declared by the base type is not enough).
		spikeOnly := role == extCell && cb.spikes && isSpikeOnly(ev)
		if len(ev.Affect) == 0 && ev.Emit.Value == "" && !spikeOnly {
			continue // changes nothing and fires nothing, in the compiler too
		}
		if ev.Condition == nil {
			return "", fail("event %q has no condition", ev.Name.Value)
		}
		p.owner = ev.Name.Value
		test, err := p.print(ev.Condition.Node)
		if err != nil {
			return "", fail("condition of event %q: %v", ev.Name.Value, err)
		}
		fmt.Fprintf(&body, "      <OnCondition test=%s>\n", attr(test))
		for _, a := range ev.Affect {
			v, err := p.print(a.Value.Node)
			if err != nil {
				return "", fail("event %q assignment to %q: %v", ev.Name.Value, a.Var.Value, err)
			}
			fmt.Fprintf(&body, "        <StateAssignment variable=%s value=%s/>\n", attr(a.Var.Value), attr(v))
		}
		if spikeOnly {
			body.WriteString("        <EventOut port=\"spike\"/>\n")
		} else if ev.Emit.Value != "" {
			if !cb.spikes || ev.Emit.Value != "spike" {
				return "", fail("event %q fires %q, which %s has no port for", ev.Name.Value, ev.Emit.Value, base)
			}
			body.WriteString("        <EventOut port=\"spike\"/>\n")
		}
		body.WriteString("      </OnCondition>\n")
	}
	if len(p.lifted) > 0 {
		var lifted strings.Builder
		for _, c := range p.lifted {
			writeConditional(&lifted, c, false)
		}
		body.WriteString(lifted.String())
	}

	var expDecls []string
	for _, n := range sortedNames(boolSet(exposures)) {
		if _, inherited := cb.exposures[n]; inherited {
			continue
		}
		expDecls = append(expDecls, fmt.Sprintf("    <Exposure name=%s dimension=%s/>\n", attr(n), attr(dimensionOf(exposures[n]))))
	}
	var text strings.Builder
	for _, group := range [][]string{decls, reqs, childDecls, expDecls} {
		for _, l := range group {
			text.WriteString(l)
		}
	}
	text.WriteString("    <Dynamics>\n" + body.String() + "    </Dynamics>\n  </ComponentType>\n")

	// One name per distinct type: the label, numbered when it is taken
	// by another definition.
	label := d.Label
	if label == "" {
		label = d.Name.Value
	}
	label = safeID(label)
	name := label
	for k := 2; ; k++ {
		prev, taken := r.extTypes[name]
		if !taken {
			if r.extTypes == nil {
				r.extTypes = map[string]string{}
			}
			r.extTypes[name] = text.String()
			fmt.Fprintf(&r.b, "  <ComponentType name=%s extends=%s>\n%s", attr(name), attr(base), text.String())
			break
		}
		if prev == text.String() {
			break
		}
		name = fmt.Sprintf("%s_%d", label, k)
	}
	if r.extNames == nil {
		r.extNames = map[*ast.Dynamics]string{}
		r.extDims = map[*ast.Dynamics]map[string]units.Dimension{}
	}
	r.extNames[d] = name
	r.extDims[d] = exposures
	return name, nil
}

// derivedXML writes one derived variable of a hierarchical component and
// returns its dimension: a selection from children, a conditional, or an
// expression. A declared unit must agree with the inferred dimension.
func derivedXML(x *ast.Derived, selected bool, env map[string]units.Dimension, childDims map[string]map[string]units.Dimension,
	sel func() (path, variable, reduce string, optional bool)) (string, units.Dimension, error) {
	n := x.Name.Value
	declared, hasUnit := units.None, false
	if u := strings.TrimSpace(x.Unit.Value); u != "" {
		_, du, err := dimensionName(u)
		if err != nil {
			return "", units.None, fmt.Errorf("derived variable %q: %v", n, err)
		}
		declared, hasUnit = du.Dim, true
	}
	if selected {
		path, variable, reduce, optional := sel()
		child, _, _ := strings.Cut(path, "/")
		child = strings.TrimSuffix(child, "[*]")
		dim, ok := childDims[child][variable]
		switch {
		case ok && hasUnit && dim != declared:
			return "", units.None, fmt.Errorf("derived variable %q: %s is %s, not %s", n, path, dimensionOf(dim), x.Unit.Value)
		case !ok && hasUnit:
			dim = declared
		case !ok && reduce == "multiply":
			dim = units.None // the product over no members is 1
		case !ok:
			return "", units.None, fmt.Errorf("derived variable %q: nothing it selects (%s) says its dimension; give it a unit", n, path)
		}
		line := fmt.Sprintf("      <DerivedVariable name=%s dimension=%s exposure=%s select=%s", attr(n), attr(dimensionOf(dim)), attr(n), attr(path))
		if reduce != "" {
			line += " reduce=" + attr(reduce)
		}
		if optional {
			line += " required=\"false\""
		}
		return line + "/>\n", dim, nil
	}
	if x.Equation == nil {
		return "", units.None, fmt.Errorf("derived variable %q has no equation", n)
	}
	dim, err := exprDim(x.Equation.Node, env)
	if err != nil {
		return "", units.None, fmt.Errorf("derived variable %q: %v", n, err)
	}
	if hasUnit && dim != declared {
		if _, lit := x.Equation.Node.(*expr.Num); !lit {
			return "", units.None, fmt.Errorf("derived variable %q is %s, but its unit %s is %s", n, dimensionOf(dim), x.Unit.Value, dimensionOf(declared))
		}
		dim = declared
	}
	p := &printer{subst: map[string]string{}, used: map[string]bool{}, owner: n}
	var b strings.Builder
	if call, ok := x.Equation.Node.(*expr.Call); ok && call.Func == "Piecewise" {
		cases, err := p.piecewise(call)
		if err != nil {
			return "", units.None, fmt.Errorf("derived variable %q: %v", n, err)
		}
		if last := cases[len(cases)-1]; last.condition == "" && last.value == "0/0" {
			cases = cases[:len(cases)-1]
		}
		fmt.Fprintf(&b, "      <ConditionalDerivedVariable name=%s dimension=%s exposure=%s>\n", attr(n), attr(dimensionOf(dim)), attr(n))
		for _, k := range cases {
			if k.condition == "" {
				fmt.Fprintf(&b, "        <Case value=%s/>\n", attr(k.value))
			} else {
				fmt.Fprintf(&b, "        <Case condition=%s value=%s/>\n", attr(k.condition), attr(k.value))
			}
		}
		b.WriteString("      </ConditionalDerivedVariable>\n")
	} else {
		v, err := p.print(x.Equation.Node)
		if err != nil {
			return "", units.None, fmt.Errorf("derived variable %q: %v", n, err)
		}
		fmt.Fprintf(&b, "      <DerivedVariable name=%s dimension=%s exposure=%s value=%s/>\n", attr(n), attr(dimensionOf(dim)), attr(n), attr(v))
	}
	if len(p.lifted) > 0 {
		return "", units.None, fmt.Errorf("derived variable %q: Min, Max, sign, Heaviside or a Piecewise inside an expression has no LEMS form here (give it a derived variable of its own)", n)
	}
	return b.String(), dim, nil
}

// extElement writes an extends: component as an element of its type:
// <slot type="T" .../> in a parent's Child slot, <T id="key" .../> in a
// collection or at the top level; values in the YAML's units, initial
// values as <state>_init, children nested.
func (r *renderer) extElement(indent int, d *ast.Dynamics, key string, slot bool, skip map[string]bool) error {
	name := r.extNames[d]
	if name == "" {
		return fmt.Errorf("%s: component %q: its ComponentType was not written", d.Pos, key)
	}
	attrs, err := r.paramAttrs(d, skip)
	if err != nil {
		return err
	}
	for _, s := range d.States {
		if v, ok := initAttr(s); ok {
			attrs = append(attrs, s.Name.Value+"_init", v)
		}
	}
	lead := []string{"id", key}
	tag := name
	if slot {
		lead, tag = []string{"type", name}, key
	}
	pad := strings.Repeat("  ", indent)
	w := &r.b
	fmt.Fprintf(w, "%s<%s", pad, tag)
	all := append(lead, attrs...)
	for i := 0; i+1 < len(all); i += 2 {
		fmt.Fprintf(w, " %s=%s", all[i], attr(all[i+1]))
	}
	if len(d.Components) == 0 {
		w.WriteString("/>\n")
		return nil
	}
	w.WriteString(">\n")
	slots := map[string]bool{}
	for _, x := range d.Derived {
		for _, word := range strings.Fields(x.Label.Value) {
			if path, ok := strings.CutPrefix(word, "select:"); ok {
				child, _, _ := strings.Cut(path, "/")
				slots[child] = true
			}
		}
	}
	for _, c := range d.Components {
		if err := r.extElement(indent+1, c, c.Name.Value, slots[c.Name.Value] || childSlots[c.Name.Value], nil); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "%s</%s>\n", pad, tag)
	return nil
}

// writeExtCell writes a hierarchical cell: its channels' types and
// components, then the cell's type and component with a
// channelPopulation per channel.
func (r *renderer) writeExtCell(name string, c *condCell) error {
	for _, ch := range c.channels {
		if r.written[ch.id] {
			continue
		}
		r.written[ch.id] = true
		if _, err := r.extType(ch.def, ch.key, extChannel); err != nil {
			return err
		}
		if err := r.extElement(1, ch.def, ch.id, false, placementParams); err != nil {
			return err
		}
	}
	r.written[name] = true
	if _, err := r.extType(c.def, name, extCell); err != nil {
		return err
	}
	// The channels are the populations' business, not the cell type's
	// children: write the cell element by hand.
	attrs, err := r.paramAttrs(c.def, tvboCellParams)
	if err != nil {
		return err
	}
	for _, s := range c.def.States {
		if v, ok := initAttr(s); ok {
			attrs = append(attrs, s.Name.Value+"_init", v)
		}
	}
	w := &r.b
	fmt.Fprintf(w, "  <%s id=%s", r.extNames[c.def], attr(name))
	for i := 0; i+1 < len(attrs); i += 2 {
		fmt.Fprintf(w, " %s=%s", attrs[i], attr(attrs[i+1]))
	}
	w.WriteString(">\n")
	for _, ch := range c.channels {
		fmt.Fprintf(w, "    <channelPopulation id=%s ionChannel=%s", attr(ch.key), attr(ch.id))
		if err := r.placement(ch, []string{"number", "erev"}); err != nil {
			return err
		}
		w.WriteString("/>\n")
	}
	fmt.Fprintf(w, "  </%s>\n", r.extNames[c.def])
	return nil
}

// initAttr is a numeric initial value as the <state>_init attribute, in
// the state's unit.
func initAttr(s *ast.State) (string, bool) {
	if s.Initial == nil {
		return "", false
	}
	num, ok := numericInitial(s)
	if !ok {
		return "", false
	}
	v := formatNumber(num)
	if u := strings.TrimSpace(s.Unit.Value); u != "" {
		if _, su, _ := dimensionName(u); !su.Dim.IsNone() {
			v += " " + nmlUnit(u)
		}
	}
	return v, true
}

// numericInitial is a state's initial value when it is a number (such
// as -65.0, a negated literal), not an expression over parameters.
func numericInitial(s *ast.State) (float64, bool) {
	if s.Initial == nil {
		return 0, false
	}
	v, err := expr.Eval(s.Initial.Node, func(string) (float64, bool) { return 0, false })
	return v, err == nil
}

func boolSet[T any](m map[string]T) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

func sortedKeys[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
