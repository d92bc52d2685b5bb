package resolve

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/library"
	"github.com/tvboc/tvboc/compiler/units"
)

// Composite library types. A NeuroML type can hold children: a
// blockingPlasticSynapse its block and plasticity mechanisms (written
// under components: or modes:), a doubleSynapse the two synapses it
// references by name, a compoundInput its current sources. Composing
// copies every child's parameters, states and derived variables into the
// parent under the child's name ("blockMechanism/blockFactor"), gives the
// parent's select-labelled derived variables their value from the
// children (LEMS select/reduce), and relays the parent's received spike to
// the children's receive handlers after the parent's own assignments, as
// the LEMS EventOut "relay" does. The result is an ordinary flat Type.

// Text dimensions: parameters that hold a name, not a number.
const (
	textDim      = "text"      // LEMS Text: species: mg
	referenceDim = "reference" // LEMS ComponentReference or Path: synapse: AMPA
)

func isText(dim string) bool { return dim == textDim || dim == referenceDim }

// textParam records a text or reference parameter. TVBO writes one as
// {description: mg} or as a bare name (mg).
func (r *resolver) textParam(t *Type, decl, given *ast.Parameter, use *ast.Dynamics) {
	if t.Texts == nil {
		t.Texts = map[string]string{}
	}
	name := decl.Name.Value
	if given == nil {
		if decl.Dimension.Value == referenceDim && !strings.HasSuffix(name, "Path") && name != "spikeTarget" {
			r.errorf(use.Pos, "dynamics %q (%s) is missing %q, the name of a network dynamics entry", use.Name.Value, t.IRI, name).
				Hint = fmt.Sprintf("add %s: {description: <dynamics name>} under parameters", name)
		}
		return
	}
	v := given.Description
	if given.Expr != nil {
		if id, ok := given.Expr.Node.(*expr.Ident); ok {
			v = id.Name
		}
	}
	if v == "" {
		r.errorf(given.Pos, "parameter %q of %s is a name, not a number", name, t.IRI).
			Hint = fmt.Sprintf("write %s: {description: <name>}", name)
		return
	}
	t.Texts[name] = v
}

// exposedState returns the state variable a library type exposes, if its
// exposure is a state.
func exposedState(def *ast.Dynamics, name string) *ast.State {
	for _, s := range def.States {
		if s.Name.Value == name {
			return s
		}
	}
	return nil
}

// child is one component of a composite type.
type child struct {
	key   string // its name in the parent: the prefix of its variables
	t     *Type
	bases map[string]bool // its library type and every type that extends
}

// collections maps a LEMS children collection to the base type of its
// members.
var collections = map[string]string{
	"plasticityMechanisms": "basePlasticityMechanism",
	"blockMechanisms":      "baseBlockMechanism",
	"currents":             "basePointCurrent",
}

// composite reports whether a library type is composed from children.
func composite(def, use *ast.Dynamics) bool {
	if len(use.Components) > 0 && use != def {
		return true
	}
	for _, d := range def.Derived {
		if strings.Contains(d.Label.Value, "select:") {
			return true
		}
	}
	return false
}

// compose gathers a type's children and merges them into it.
func (r *resolver) compose(t *Type, def, use *ast.Dynamics, timeScale float64) {
	var kids []child
	for _, c := range use.Components {
		cd := *c
		cd.Name = ast.Str{Value: t.Name + "/" + c.Name.Value, Pos: c.Name.Pos}
		ct := r.typeOf(&cd, timeScale)
		if ct == nil {
			continue
		}
		kids = append(kids, child{key: c.Name.Value, t: ct, bases: bases(ct)})
	}
	if t.Kind == SynapseKind {
		// a synapse made of synapses it references (doubleSynapse)
		for _, p := range def.Parameters {
			if p.Dimension.Value != referenceDim {
				continue
			}
			name, ok := t.Texts[p.Name.Value]
			if !ok || strings.HasSuffix(p.Name.Value, "Path") {
				continue
			}
			d, ok := r.netDefs[name]
			if !ok {
				r.errorf(use.Pos, "%s of %q names %q, which is not a network dynamics entry", p.Name.Value, use.Name.Value, name)
				continue
			}
			if prev, seen := r.types[name]; seen && prev == nil {
				r.errorf(use.Pos, "%s of %q names %q, which contains %q itself", p.Name.Value, use.Name.Value, name, use.Name.Value).
					Hint = "a doubleSynapse names two other synapses"
				continue
			}
			ct := r.typeOf(d, timeScale)
			if ct == nil {
				continue
			}
			if ct.Kind != SynapseKind {
				r.errorf(use.Pos, "%s of %q names %q (%s), which is not a synapse", p.Name.Value, use.Name.Value, name, ct.IRI)
				continue
			}
			kids = append(kids, child{key: p.Name.Value, t: ct, bases: bases(ct)})
		}
	}
	r.merge(t, def, use, kids)
}

// bases lists a library type's name and every type it extends.
func bases(t *Type) map[string]bool {
	out := map[string]bool{"kind:" + string(t.Kind): true}
	name := strings.TrimPrefix(t.IRI, library.Prefix)
	for seen := 0; name != "" && seen < 16; seen++ {
		out[name] = true
		d, ok, _ := library.Lookup(library.Prefix + name)
		if !ok {
			break
		}
		name = d.Extends.Value
	}
	return out
}

// merge copies the children into t (see the comment at the top).
func (r *resolver) merge(t *Type, def, use *ast.Dynamics, kids []child) {
	var derived []*Derived
	var relay []Assignment
	for _, k := range kids {
		ct := k.t
		prefix := k.key + "/"
		ren := map[string]expr.Node{}
		for _, p := range ct.ParamOrder {
			ren[p] = &expr.Ident{Name: prefix + p}
			t.Params[prefix+p] = ct.Params[p]
			t.ParamOrder = append(t.ParamOrder, prefix+p)
		}
		if _, own := ct.Params["weight"]; !own {
			// a child's weight is its own LEMS property, default 1: the
			// edge's weight belongs to the parent
			ren["weight"] = &expr.Num{Value: 1, Text: "1"}
		}
		for _, s := range ct.States {
			ren[s.Name] = &expr.Ident{Name: prefix + s.Name}
		}
		for _, d := range ct.Derived {
			ren[d.Name] = &expr.Ident{Name: prefix + d.Name}
		}
		for _, d := range ct.Derived {
			c := *d // keeps its unit
			c.Name, c.Value = prefix+d.Name, substituteNames(d.Value, ren)
			derived = append(derived, &c)
		}
		for _, s := range ct.States {
			c := *s
			c.Name = prefix + s.Name
			c.Rate = substituteNames(s.Rate, ren)
			if ct.TimeUnit != t.TimeUnit && ct.TimeUnit != 0 {
				c.Rate = &expr.Binary{Op: "*", X: c.Rate, Y: &expr.Num{Value: t.TimeUnit / ct.TimeUnit}}
			}
			c.Initial = substituteNames(s.Initial, ren)
			t.States = append(t.States, &c)
		}
		for _, ev := range ct.Events {
			var as []Assignment
			for _, a := range ev.Assign {
				as = append(as, Assignment{Var: prefix + a.Var, Value: substituteNames(a.Value, ren)})
			}
			if ev.Receive != "" {
				relay = append(relay, as...)
				continue
			}
			t.Events = append(t.Events, &Event{Name: prefix + ev.Name, Condition: substituteNames(ev.Condition, ren),
				Assign: as, Emit: ev.Emit})
		}
	}
	// the parent's selections take their value from the children
	labels := map[string]*ast.Derived{}
	for _, d := range def.Derived {
		labels[d.Name.Value] = d
	}
	for _, d := range t.Derived {
		ad := labels[d.Name]
		if ad == nil || !strings.Contains(ad.Label.Value, "select:") {
			continue
		}
		if v, ok := r.selection(ad, use, kids); ok {
			d.Value = v
		}
	}
	t.Derived = append(derived, t.Derived...)
	if len(relay) > 0 {
		for i, ev := range t.Events {
			if ev.Receive == "" {
				continue
			}
			c := *ev
			c.Assign = append(append([]Assignment(nil), ev.Assign...), relay...)
			t.Events[i] = &c
		}
	}
}

// selection evaluates a "select:<path> [reduce:add|multiply]" label over
// the children: select:synapse1/i names one child, select:currents[*]/i
// every child of a collection. An empty collection gives the label's
// equation (1 for a product, 0 for a sum).
func (r *resolver) selection(d *ast.Derived, use *ast.Dynamics, kids []child) (expr.Node, bool) {
	var path, reduce string
	for _, w := range strings.Fields(d.Label.Value) {
		k, v, _ := strings.Cut(w, ":")
		switch k {
		case "select":
			path = v
		case "reduce":
			reduce = v
		}
	}
	from, variable, ok := strings.Cut(path, "/")
	if !ok {
		r.errorf(d.Name.Pos, "library: label %q selects no variable", d.Label.Value)
		return nil, false
	}
	var picked []expr.Node
	coll, many := strings.CutSuffix(from, "[*]")
	for _, k := range kids {
		if many && !(k.bases[collections[coll]] || coll == "currents" && k.bases["kind:"+string(Input)]) {
			continue
		}
		if !many && k.key != from {
			continue
		}
		if !hasVariable(k.t, variable) {
			r.errorf(use.Pos, "component %q (%s) of %q has no %q, which %s selects", k.key, k.t.IRI, use.Name.Value, variable, d.Name.Value)
			continue
		}
		picked = append(picked, &expr.Ident{Name: k.key + "/" + variable})
	}
	if len(picked) == 0 {
		if !many {
			r.errorf(use.Pos, "dynamics %q has no %q component, which gives its %q", use.Name.Value, from, d.Name.Value).
				Hint = fmt.Sprintf("add %s: {iri: neuroml:<type>, ...} under its components", from)
		}
		return nil, false
	}
	op := "+"
	if reduce == "multiply" {
		op = "*"
	}
	out := picked[0]
	for _, p := range picked[1:] {
		out = &expr.Binary{Op: op, X: out, Y: p}
	}
	return out, true
}

func hasVariable(t *Type, name string) bool {
	for _, d := range t.Derived {
		if d.Name == name {
			return true
		}
	}
	return hasState(t, name)
}

// substituteNames replaces identifiers by expressions.
func substituteNames(n expr.Node, ren map[string]expr.Node) expr.Node {
	if n == nil {
		return nil
	}
	return expr.Rewrite(n, func(x expr.Node) expr.Node {
		if id, ok := x.(*expr.Ident); ok {
			if r, ok := ren[id.Name]; ok {
				return r
			}
		}
		return x
	})
}

// synapticInput wires an input edge from a spike source with a synapse of
// its own (poissonFiringSynapse, transientPoissonFiringSynapse,
// timedSynapticInput). As LEMS gives every explicitInput its own instance,
// each edge gets a hidden spike source of its own (the input's generator,
// not recorded) and a chemical synapse, of the type the input's synapse
// parameter names, from it to the target with zero delay. The edge weight
// scales the synapse's events; LEMS scales the input's current by it,
// which is the same for every NeuroML synapse (linear in its events).
func (r *resolver) synapticInput(e *ast.Edge, src, tgt *Node) {
	weight, ok := r.inputWeight(e)
	if !ok {
		return
	}
	name := src.Type.Texts["synapse"]
	d, found := r.netDefs[name]
	if !found {
		r.errorf(src.Type.Pos, "synapse %q of %q is not a network dynamics entry", name, src.Type.Name).
			Hint = "add the synapse under network.dynamics and name it in synapse: {description: <name>}"
		return
	}
	st := r.typeOf(d, r.timeScale())
	if st == nil {
		return
	}
	if st.Kind != SynapseKind {
		r.errorf(src.Type.Pos, "synapse %q of %q is a %s (%s), not a chemical synapse", name, src.Type.Name, st.Kind, st.IRI)
		return
	}
	gen := *src.Type
	gen.Kind = Cell
	pop := r.inputPops[src.Type]
	if pop == nil {
		pop = &Population{Name: src.Type.Name + "_inputs", Type: &gen}
		r.inputPops[src.Type] = pop
		r.m.Populations = append(r.m.Populations, pop)
		r.m.Types = append(r.m.Types, pop.Type)
	}
	hidden := &Node{ID: src.ID + "->" + tgt.ID, Pos: e.Pos, Type: pop.Type, Pop: pop, Index: len(pop.Nodes),
		Drives: map[string][]*Node{}, Host: tgt}
	pop.Nodes = append(pop.Nodes, hidden)
	r.m.Nodes = append(r.m.Nodes, hidden)
	r.attach(&Synapse{Pos: e.Pos, Type: st, Source: hidden, Target: tgt, Weight: weight}, tgt, e)
}

// pointCurrent attaches an instance of a voltage-dependent input (a
// voltage clamp) to the edge's target, merged into it like a continuous
// synapse that reads no peer.
func (r *resolver) pointCurrent(e *ast.Edge, src, tgt *Node) {
	weight, ok := r.inputWeight(e)
	if !ok {
		return
	}
	r.attach(&Synapse{Pos: e.Pos, Type: src.Type, Source: src, Target: tgt, Weight: weight}, tgt, e)
}

// inputWeight reads an input edge's parameters: weight only (LEMS's
// explicitInput weight), 1 when absent.
func (r *resolver) inputWeight(e *ast.Edge) (float64, bool) {
	w := 1.0
	for _, p := range e.Parameters {
		if p.Name.Value != "weight" {
			r.errorf(p.Name.Pos, "input edge %s -> %s takes only a weight, not %q", e.Source.Value, e.Target.Value, p.Name.Value).
				Hint = "write parameters: {weight: {value: 0.5}}"
			return 0, false
		}
		v, ok := r.quantityValue(p, units.None, "input edge weight")
		if !ok {
			return 0, false
		}
		w = v
	}
	return w, true
}

// weightedInput gives a time-only input edge with a weight its own copy of
// the input, with weight set, as LEMS's weighted explicitInput scales its
// own instance's current.
func (r *resolver) weightedInput(e *ast.Edge, src *Node) (*Node, bool) {
	w, ok := r.inputWeight(e)
	if !ok {
		return nil, false
	}
	if w == 1 {
		return src, true
	}
	if _, has := src.Type.Params["weight"]; !has {
		r.errorf(e.Parameters[0].Name.Pos, "input %s (%s) takes no weight", src.ID, src.Type.IRI)
		return nil, false
	}
	t := *src.Type
	t.Params = map[string]float64{}
	for k, v := range src.Type.Params {
		t.Params[k] = v
	}
	t.Params["weight"] = w
	t.Name = fmt.Sprintf("%s_w%s", src.Type.Name, strings.ReplaceAll(fmt.Sprint(w), ".", "p"))
	pop := &Population{Name: t.Name + "_pop", Type: &t}
	n := &Node{ID: src.ID + "->" + e.Target.Value, Pos: e.Pos, Type: &t, Pop: pop, Drives: map[string][]*Node{}}
	pop.Nodes = []*Node{n}
	r.m.Populations = append(r.m.Populations, pop)
	r.m.Types = append(r.m.Types, &t)
	r.m.Nodes = append(r.m.Nodes, n)
	if math.IsNaN(w) {
		return nil, false
	}
	return n, true
}

// bareNode makes the dynamics of a node that names a NeuroML type
// directly (dynamics: pulseGenerator, with the node's parameters), as
// TVBO allows for inputs. It returns nil when the name is no library type.
func bareNode(an *ast.Node) *ast.Dynamics {
	name := an.Dynamics.Value
	if _, ok, _ := library.Lookup(library.Prefix + name); !ok || name == "" {
		return nil
	}
	d := &ast.Dynamics{Pos: an.Pos, Name: ast.Str{Value: name, Pos: an.Dynamics.Pos},
		IRI: ast.Str{Value: library.Prefix + name, Pos: an.Dynamics.Pos}, Parameters: an.Parameters}
	if len(an.Parameters) > 0 {
		d.Name.Value = name + "_" + an.ID.Value
	}
	return d
}

// nodeOverride makes the dynamics of a node that sets parameters of a
// network dynamics entry: the entry with those parameters replaced.
func nodeOverride(d *ast.Dynamics, an *ast.Node) *ast.Dynamics {
	c := *d
	c.Name = ast.Str{Value: d.Name.Value + "_" + an.ID.Value, Pos: d.Name.Pos}
	set := map[string]bool{}
	c.Parameters = nil
	for _, p := range an.Parameters {
		set[p.Name.Value] = true
		c.Parameters = append(c.Parameters, p)
	}
	for _, p := range d.Parameters {
		if !set[p.Name.Value] {
			c.Parameters = append(c.Parameters, p)
		}
	}
	return &c
}

// entryCheck is a dynamics entry as its own values say, for checking
// them when every node overrides some: the parameters the entry leaves to
// its nodes (TVBO's Ex26 gives a pulse generator's only at the nodes)
// are taken from node an, so only the entry's own values can be wrong.
func entryCheck(d *ast.Dynamics, an *ast.Node) *ast.Dynamics {
	c := *d
	c.Name = ast.Str{Value: d.Name.Value + "\x00entry", Pos: d.Name.Pos}
	given := map[string]bool{}
	for _, p := range d.Parameters {
		given[p.Name.Value] = true
	}
	c.Parameters = slices.Clone(d.Parameters)
	for _, p := range an.Parameters {
		if !given[p.Name.Value] {
			c.Parameters = append(c.Parameters, p)
		}
	}
	return &c
}

// ReadsPeer reports whether the synapse reads its source's voltage vpeer:
// a continuous coupling does; a chemical synapse or an attached point
// current (a voltage clamp) does not.
func (s *Synapse) ReadsPeer() bool {
	return !s.Chemical() && s.Type.Kind != PointCurrent
}
