// Package flatten turns a conductance-based cell written as a tree of
// components (cell -> channels -> gates -> rates, concentration models,
// kinetic schemes) into one flat dynamics: a single list of parameters (SI
// numbers), state variables with numeric initial values, derived variables
// in dependency order and events, all over one namespace of path names
// ("na/m/q"). Resolve hands the result to lower like any other cell type,
// so the generator writes one specialized kernel per distinct cell type.
//
// Components are NeuroML core types from the built-in library
// (iri neuroml:<type>), types an experiment writes itself (iri
// "extends:<baseType>", or an unknown neuroml: name whose component gives
// its own derived_variables), or both. A derived variable whose label is
// "select:<path> [reduce:add|multiply] [required:false]" takes its value
// from children, as LEMS's select/reduce does:
//
//	select:forwardRate/r                    the child named forwardRate
//	select:gates[*]/fcond reduce:multiply   every child that is a gate
//
// A name in an equation means the component's own parameter, constant,
// state or derived variable; failing that, the nearest enclosing
// component's (LEMS requirements such as v, temperature, caConc, or a
// gate's rateScale); failing that, time t.
package flatten

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/library"
	"github.com/tvboc/tvboc/compiler/units"
)

// Cell is a flattened cell type. Every expression uses flat names: the
// cell's own variables by name ("v"), a component's by its path
// ("na/m/q"), InputPort for the attached currents and t for time.
type Cell struct {
	Params     map[string]float64 // SI values
	ParamOrder []string
	States     []*State
	Derived    []*Derived // each uses only earlier ones
	Events     []*Event
	// InputPort is the name of the current (in A) that input edges and
	// attached inputs sum into.
	InputPort string
	// Lags are the delayed copies of state variables the expressions read
	// (see Lag); none under the plain ODE reading.
	Lags []*Lag
	// DerivedLags are registers holding a derived variable's value of the
	// previous step (see DerivedLag).
	DerivedLags []*DerivedLag
	// Schemes are the kinetic schemes whose occupancies jLEMS advances
	// with its matrix exponential instead of integrating their rates (see
	// Scheme); none under the plain ODE reading.
	Schemes []*Scheme
	// Attached lists the current inputs the cell carries itself
	// (pulseGenerator components, or TVBO's pulse_delay, pulse_duration
	// and I_amp parameters): each is a library input dynamics, named after
	// its component, whose current goes into InputPort.
	Attached []*ast.Dynamics
}

// State is a flat state variable.
type State struct {
	Name       string
	Rate       expr.Node // d/dt in SI
	Initial    float64
	Unit       string // SI unit symbol, "" for none
	OfInterest bool
}

// Derived is a flat derived variable.
type Derived struct {
	Name  string
	Value expr.Node
}

// Lag is a copy of a state variable as it was Steps steps earlier than
// the state a step starts from: at step k (from state k to k+1) Name
// holds Of's value of state k-Steps (the initial value while k-Steps < 0).
//
// jLEMS evaluates a cell as a tree, children before their parent, and a
// child copies what it requires (the membrane potential v) from its
// parent's variables when it is evaluated. A channel population copies
// the cell's v of the step's start; the ion channel below it copies the
// population's copy, made one step earlier; a gate's rate reads the
// channel's copy, made one step earlier again. So the rates of an HH gate
// see v two steps older than the channel currents do (reference/README.md,
// "How jLEMS steps", item 6). Every expression that reads the cell's v
// through such copies reads a Lag instead.
type Lag struct {
	Name  string
	Of    string
	Steps int
}

// DerivedLag is a register that holds derived variable Of as the
// previous step computed it (Init, Of's value at the initial state, in the
// first step). A concentration model in a cell reads the cell's iCa, a
// derived variable jLEMS computes after the cell's children, the pool
// among them: the pool sees the iCa of the step before.
type DerivedLag struct {
	Name string
	Of   string
	Init float64
}

// Scheme is a gateKS's kinetic scheme as jLEMS advances it: each step,
// after the states' rates (States[i].Rate, the same transitions read as
// equations) are evaluated, the occupancies are replaced by the matrix
// exponential of the rate matrix over dt times the occupancies
// (runtime.KineticStep). jLEMS builds the matrix from Edges in order:
// transition r moves occupancy from state Edges[r][0] to Edges[r][1] at
// derived variable Forward[r] and back at Reverse[r].
//
// jLEMS shows a state's occupancy (records it, and lets other components
// read it) through its exposure, which the state copies from its variable
// when it is evaluated, before the scheme updates the variable: what it
// records at step k+1 is the occupancy of step k. Shown[i] names the Lag
// (one step) recorded in place of States[i]. The gate's conductance reads
// the states' q, computed from the variable itself: no lag.
type Scheme struct {
	States           []string
	Edges            [][2]int
	Forward, Reverse []string
	Shown            []string
}

// Options select how a tree is read.
type Options struct {
	// ODE reads the tree as one system of equations: every component sees
	// the cell's v of the step's start (no copies, no lag).
	ODE bool
}

// Event is a condition tested on the new state and its assignments.
type Event struct {
	Name      string
	Condition expr.Node
	Assign    []Assign
	Emit      string
}

// Assign is one assignment of an event.
type Assign struct {
	Var   string
	Value expr.Node
}

// InputPort is the name of a flattened cell's input current.
const InputPort = "iExternal"

// IsTree reports whether d is a cell this package flattens: a built-in
// conductance-based cell (pointCellCondBased, cell) or a hierarchical
// dynamics written with iri "extends:<baseType>".
func IsTree(d *ast.Dynamics) bool {
	if d == nil {
		return false
	}
	switch iri := d.IRI.Value; {
	case iri == library.Prefix+"pointCellCondBased", iri == library.Prefix+"cell":
		return true
	case strings.HasPrefix(iri, extendsPrefix):
		return true
	}
	return false
}

const extendsPrefix = "extends:"

// Flatten flattens a cell dynamics (IsTree). Every mistake is returned at
// once, each naming file:line:col.
func Flatten(d *ast.Dynamics) (*Cell, error) {
	return FlattenWith(d, Options{})
}

// FlattenWith is Flatten with options.
func FlattenWith(d *ast.Dynamics, opts Options) (*Cell, error) {
	f := &flattener{cell: &Cell{Params: map[string]float64{}, InputPort: InputPort}, flat: map[string]bool{}, opts: opts}
	f.pos = d.Pos
	root := f.cellRoot(d)
	if root != nil && len(f.errs) == 0 {
		f.translate(root)
	}
	if len(f.errs) == 0 {
		f.order()
		f.prune()
	}
	if len(f.errs) == 0 {
		f.finite()
	}
	if len(f.errs) == 0 {
		f.initialValues()
	}
	if err := f.errs.Err(); err != nil {
		return nil, err
	}
	return f.cell, nil
}

type flattener struct {
	errs diag.List
	cell *Cell
	flat map[string]bool // flat names taken
	pos  diag.Pos        // the cell, for errors about the flat whole
	// pending holds what is translated in the second pass.
	derived []*item
	states  []*stateItem
	events  []*eventItem
	// initial holds each state's initial-value expression (flat names).
	initial map[string]expr.Node
	opts    Options
	// popLevel is set while a channel's population (or density) variables
	// are added: they belong to the component that copies the cell's v
	// first, so they read it without lag.
	popLevel bool
	lags     map[string]*Lag
	// paramPos is where each flat parameter was given (or declared).
	paramPos map[string]diag.Pos
}

func (f *flattener) errorf(pos diag.Pos, format string, args ...any) *diag.Error {
	e := diag.Errorf(pos, format, args...)
	f.errs = append(f.errs, e)
	return e
}

// inst is one component in the tree.
type inst struct {
	key      string // its name under the parent's components
	node     *ast.Dynamics
	typeName string // for messages: the NeuroML type or "extends:baseGate"
	path     string // flat prefix: "" for the cell, "na/m/" for a gate
	parent   *inst
	children []*inst
	bases    map[string]bool // every type in its extends chain
	// local maps the component's names to flat names.
	local map[string]string
	// links holds structural string parameters ("from", "to", "ion").
	links map[string]string
	kind  string // library kind: component, input, ...
}

// item is a derived variable to translate.
type item struct {
	in    *inst
	name  string // flat name
	src   *ast.Expr
	node  expr.Node // the expression in local names (src.Node or synthesized)
	label string
	pos   diag.Pos
	flat  bool // node already uses flat names
	pop   bool // a channel population's variable (see flattener.popLevel)
}

type stateItem struct {
	in      *inst
	name    string
	rate    item
	initial *ast.Expr
	initVal float64 // used when initial is nil
	unit    string
	toSI    float64 // factor for an initial value written in the state's unit
	ofInt   bool
}

type eventItem struct {
	in   *inst
	ev   *ast.Event
	name string
	cond item
	set  []struct {
		v string
		e item
	}
	emit string
}

func (f *flattener) claim(in *inst, local string, pos diag.Pos) string {
	name := in.path + local
	if f.flat[name] {
		if _, mine := in.local[local]; mine {
			return name
		}
		f.errorf(pos, "%q is defined twice in %s", local, in.describe())
		return name
	}
	f.flat[name] = true
	in.local[local] = name
	return name
}

func (in *inst) describe() string {
	if in.parent == nil {
		return fmt.Sprintf("cell %q", in.key)
	}
	return fmt.Sprintf("component %q (%s)", strings.TrimSuffix(in.path, "/"), in.typeName)
}

// addParam records a parameter value in SI.
func (f *flattener) addParam(in *inst, name string, v float64, pos diag.Pos) {
	flat := f.claim(in, name, pos)
	if _, dup := f.cell.Params[flat]; !dup {
		f.cell.ParamOrder = append(f.cell.ParamOrder, flat)
	}
	f.cell.Params[flat] = v
	if f.paramPos == nil {
		f.paramPos = map[string]diag.Pos{}
	}
	f.paramPos[flat] = pos
}

// finite refuses a cell whose parameters make one of its equations
// infinite or NaN at every step (expr.NonFinite): a capacitance C = 0
// divides the membrane current by zero, a rate's scale = 0 its voltage.
// The run would diverge at its first step; check says so instead, at the
// parameter when one parameter is the cause, once per cell, in the names
// of the component the equation belongs to.
func (f *flattener) finite() {
	lookup := func(name string) (float64, bool) {
		v, ok := f.cell.Params[name]
		return v, ok && !math.IsNaN(v) // a bad value is reported already
	}
	type eq struct {
		what string
		name string // the flat variable it computes: its path is its component's
		n    expr.Node
	}
	var eqs []eq
	for _, d := range f.cell.Derived {
		eqs = append(eqs, eq{"derived variable", d.Name, d.Value})
	}
	for _, s := range f.cell.States {
		eqs = append(eqs, eq{"the rate of", s.Name, s.Rate})
	}
	for _, e := range f.cell.Events {
		eqs = append(eqs, eq{"the condition of event", e.Name, e.Condition})
		for _, a := range e.Assign {
			eqs = append(eqs, eq{"event " + e.Name + " assigning", a.Var, a.Value})
		}
	}
	of := map[string]string{} // a lag reads its variable
	for _, l := range f.cell.Lags {
		of[l.Name] = l.Of
	}
	for _, q := range eqs {
		if q.n == nil {
			continue
		}
		bad, why := expr.NonFinite(q.n, lookup)
		if bad == nil {
			continue
		}
		// in the component's own names: "(v - midpoint) / scale", not
		// the flat "(v__lag2 - na/m/reverseRate/midpoint) / ..."
		component, _ := splitPath(q.name)
		local := func(name string) string {
			if o, ok := of[name]; ok {
				name = o
			}
			return strings.TrimPrefix(name, component)
		}
		shown := expr.Rewrite(bad, func(n expr.Node) expr.Node {
			if id, ok := n.(*expr.Ident); ok {
				c := *id
				c.Name = local(id.Name)
				return &c
			}
			return n
		})
		why = strings.Replace(why, bad.String(), shown.String(), 1)
		var values, params []string
		for _, id := range expr.Idents(expr.Cause(bad)) {
			if v, ok := f.cell.Params[id]; ok {
				values = append(values, fmt.Sprintf("%s = %g", local(id), v))
				params = append(params, id)
			}
		}
		slices.Sort(values)
		values = slices.Compact(values)
		params = slices.Compact(slices.Sorted(slices.Values(params)))
		pos := f.pos
		if len(params) == 1 {
			if p, ok := f.paramPos[params[0]]; ok {
				pos = p
			}
		}
		with := ""
		if len(values) > 0 {
			with = " with " + strings.Join(values, ", ")
		}
		what := q.what + " " + local(q.name)
		if component != "" {
			what += " of " + strings.TrimSuffix(component, "/")
		}
		f.errorf(pos, "%s: %s%s", what, why, with).
			Hint = "change the parameter: no value of the cell may be infinite or NaN"
		return // one cause, one message: it recurs in the equations that read it
	}
}

// addDerived queues a derived variable written in the component's names.
func (f *flattener) addDerived(in *inst, name, src string, pos diag.Pos) {
	n, err := expr.Parse(src)
	if err != nil {
		panic(fmt.Sprintf("flatten: bad built-in equation %q: %v", src, err))
	}
	f.derived = append(f.derived, &item{in: in, name: f.claim(in, name, pos), node: n, pos: pos, pop: f.popLevel})
}

// chain returns the library definitions a type extends, most derived
// first.
func (f *flattener) chain(def *ast.Dynamics) []*ast.Dynamics {
	var out []*ast.Dynamics
	seen := map[string]bool{}
	for d := def; d != nil; {
		out = append(out, d)
		seen[d.Name.Value] = true
		base := d.Extends.Value
		if base == "" || seen[base] {
			break
		}
		next, ok, _ := library.Lookup(library.Prefix + base)
		if !ok {
			break
		}
		d = next
	}
	return out
}

// parseLabel reads "select:<path> reduce:<op> required:false".
type selection struct {
	path     string
	reduce   string
	optional bool
}

func parseLabel(label string) (*selection, error) {
	if !strings.Contains(label, "select:") {
		return nil, nil
	}
	s := &selection{}
	for _, word := range strings.Fields(label) {
		k, v, _ := strings.Cut(word, ":")
		switch k {
		case "select":
			s.path = v
		case "reduce":
			if v != "add" && v != "multiply" {
				return nil, fmt.Errorf("reduce:%s is not add or multiply", v)
			}
			s.reduce = v
		case "required":
			s.optional = v == "false"
		default:
			return nil, fmt.Errorf("unknown word %q", word)
		}
	}
	if s.path == "" || !strings.Contains(s.path, "/") {
		return nil, fmt.Errorf("select:%s names no variable (write select:child/var or select:collection[*]/var)", s.path)
	}
	return s, nil
}

// collections maps a LEMS children collection to the base type its
// members extend.
var collections = map[string]string{
	"gates":              "baseGate",
	"q10Settings":        "baseQ10Settings",
	"conductanceScaling": "baseConductanceScaling",
	"subGate":            "subGate",
	"subGates":           "subGate",
	"states":             "KSState",
	"transitions":        "KSTransition",
	"populations":        "baseIonChannel",
	"channelPopulations": "baseIonChannel",
	"synapses":           "basePointCurrent",
}

// translate resolves every queued expression to flat names.
func (f *flattener) translate(root *inst) {
	for _, d := range f.derived {
		f.cell.Derived = append(f.cell.Derived, &Derived{Name: d.name, Value: f.resolveItem(d)})
	}
	f.initial = map[string]expr.Node{}
	for _, s := range f.states {
		st := &State{Name: s.name, Unit: s.unit, OfInterest: s.ofInt}
		st.Rate = f.rename(&s.rate)
		if s.initial != nil {
			it := item{in: s.in, src: s.initial, node: s.initial.Node}
			init := f.rename(&it)
			if s.toSI != 1 {
				init = &expr.Binary{Op: "*", X: init, Y: &expr.Num{Value: s.toSI}}
			}
			f.initial[s.name] = init
		} else {
			f.initial[s.name] = &expr.Num{Value: s.initVal}
		}
		f.cell.States = append(f.cell.States, st)
	}
	for _, e := range f.events {
		ev := &Event{Name: e.name, Emit: e.emit, Condition: f.rename(&e.cond)}
		for _, a := range e.set {
			flat, ok := a.e.in.local[a.v]
			if !ok || !f.isState(flat) {
				f.errorf(a.e.pos, "event %q assigns %q, which is not a state variable of %s", e.name, a.v, a.e.in.describe())
				continue
			}
			ev.Assign = append(ev.Assign, Assign{Var: flat, Value: f.rename(&a.e)})
		}
		f.cell.Events = append(f.cell.Events, ev)
	}
}

func (f *flattener) isState(flat string) bool {
	for _, s := range f.states {
		if s.name == flat {
			return true
		}
	}
	return false
}

// resolveItem gives a derived variable its value: a selection from
// children, or its equation.
func (f *flattener) resolveItem(d *item) expr.Node {
	if d.label == "" {
		return f.rename(d)
	}
	sel, err := parseLabel(d.label)
	if err != nil {
		f.errorf(d.pos, "derived variable %q: label %q: %v", d.name, d.label, err)
		return num(0)
	}
	if sel == nil {
		return f.rename(d)
	}
	childPath, variable, _ := strings.Cut(sel.path, "/")
	var picked []expr.Node
	if coll, ok := strings.CutSuffix(childPath, "[*]"); ok {
		base, known := collections[coll]
		if !known {
			f.errorf(d.pos, "derived variable %q selects from %q, which is not a known collection", d.name, coll).
				Hint = "known collections: " + strings.Join(sortedKeys(collections), ", ")
			return num(0)
		}
		for _, c := range d.in.children {
			if !c.bases[base] {
				continue
			}
			flat, ok := c.local[variable]
			if !ok {
				f.errorf(c.node.Pos, "%s has no %q, which %s selects from its %s", c.describe(), variable, d.in.describe(), coll)
				continue
			}
			picked = append(picked, &expr.Ident{Name: flat})
		}
		if coll == "synapses" {
			// currents attached from outside the tree (input edges, pulse
			// generators) arrive through the input port
			picked = append(picked, &expr.Ident{Name: InputPort})
		}
		if len(picked) == 0 {
			if sel.reduce == "multiply" {
				return num(1)
			}
			return num(0)
		}
	} else {
		var child *inst
		for _, c := range d.in.children {
			if c.key == childPath {
				child = c
			}
		}
		if child == nil {
			if sel.optional {
				return f.rename(d)
			}
			e := f.errorf(d.in.node.Pos, "%s has no %q component, which gives its %q", d.in.describe(), childPath, localName(d))
			e.Hint = fmt.Sprintf("add %s: {iri: neuroml:<type>, parameters: {...}} under its components", childPath)
			if childPath == "forwardRate" || childPath == "reverseRate" {
				e.Hint += " (e.g. neuroml:HHExpRate, neuroml:HHSigmoidRate, neuroml:HHExpLinearRate)"
			}
			return num(0)
		}
		flat, ok := child.local[variable]
		if !ok {
			f.errorf(child.node.Pos, "%s has no %q, which %s selects", child.describe(), variable, d.in.describe()).
				Hint = fmt.Sprintf("a %s component must define the derived variable %s", childPath, variable)
			return num(0)
		}
		picked = []expr.Node{&expr.Ident{Name: flat}}
	}
	op := "+"
	if sel.reduce == "multiply" {
		op = "*"
	}
	out := picked[0]
	for _, p := range picked[1:] {
		out = &expr.Binary{Op: op, X: out, Y: p}
	}
	return out
}

func localName(d *item) string {
	return strings.TrimPrefix(d.name, d.in.path)
}

// rename rewrites an expression from a component's names to flat names.
func (f *flattener) rename(it *item) expr.Node {
	if it.node == nil {
		return num(0)
	}
	if it.flat {
		return it.node
	}
	return expr.Rewrite(it.node, func(x expr.Node) expr.Node {
		id, ok := x.(*expr.Ident)
		if !ok {
			return x
		}
		for in := it.in; in != nil; in = in.parent {
			if flat, ok := in.lookup(id.Name); ok {
				if in.parent == nil && in != it.in && id.Name == "v" && flat == "v" {
					if n := f.lagOf(it); n > 0 {
						flat = f.lag("v", n)
					}
				} else if !f.opts.ODE && in != it.in && in.parent != nil && f.isDerived(flat) {
					// a component requiring a derived variable of a parent
					// (a custom time course's alpha and beta, its gate's)
					// copies it before the parent computes it: jLEMS
					// advances children first, so it reads the value of
					// the step before (NeuroML Ex15's granule cell)
					flat = f.derivedLag(flat)
				}
				return &expr.Ident{P: id.P, Name: flat}
			}
		}
		if id.Name == "t" || id.Name == InputPort {
			return x
		}
		if _, isConst := expr.Constants[id.Name]; isConst {
			return x
		}
		// point into the user's file: at the name when the equation is
		// theirs, else at the component that uses a library type
		pos := it.in.node.Pos
		if it.src != nil && it.src.Pos.File == pos.File {
			pos = it.src.PosOf(id.P)
		}
		e := f.errorf(pos, "%s: undefined symbol %q", it.in.describe(), id.Name)
		switch id.Name {
		case "temperature":
			e.Hint = "give the cell a temperature: add network_temperature: {value: 6.3, unit: degC} to its parameters"
		case "caConc", "caConcExt":
			e.Hint = "add a concentration model for ca (e.g. neuroml:fixedFactorConcentrationModel with ion: {description: ca}) to the cell"
		default:
			var known []string
			for in := it.in; in != nil; in = in.parent {
				for k := range in.local {
					known = append(known, k)
				}
			}
			sort.Strings(known)
			e.Hint = "known names here: " + strings.Join(known, ", ")
		}
		return x
	})
}

// lagOf returns how many steps older than the step's start the cell's v
// is when the component of it reads it in jLEMS: the number of copies of
// v made between the cell and the reader (see Lag). A channel's
// population or density copies the cell's v (no lag); the ion channel
// copies the population's (one step); everything below the ion channel
// (gates, rates, ...) reads the ion channel's copy through its own (two
// steps): gates do not require v, and a rate's copy is the channel's.
func (f *flattener) lagOf(it *item) int {
	if f.opts.ODE {
		return 0
	}
	for in := it.in; in != nil && in.parent != nil; in = in.parent {
		if !in.bases["baseIonChannel"] {
			continue
		}
		switch {
		case in != it.in:
			return 2
		case it.pop:
			return 0
		default:
			return 1
		}
	}
	return 0
}

// isDerived reports whether flat names a derived variable of the cell.
func (f *flattener) isDerived(flat string) bool {
	for _, d := range f.derived {
		if d.name == flat {
			return true
		}
	}
	return false
}

// derivedLag names the register holding derived variable of as the step
// before computed it, adding it when first used (see DerivedLag).
func (f *flattener) derivedLag(of string) string {
	name := of + "__prev"
	for _, l := range f.cell.DerivedLags {
		if l.Name == name {
			return name
		}
	}
	f.cell.DerivedLags = append(f.cell.DerivedLags, &DerivedLag{Name: name, Of: of})
	return name
}

// lag names the copy of state `of` n steps old, adding it (and every
// younger one, the registers it is shifted through) when first used.
func (f *flattener) lag(of string, n int) string {
	if f.lags == nil {
		f.lags = map[string]*Lag{}
	}
	name := ""
	for k := 1; k <= n; k++ {
		name = fmt.Sprintf("%s__lag%d", of, k)
		if f.lags[name] == nil {
			l := &Lag{Name: name, Of: of, Steps: k}
			f.lags[name] = l
			f.cell.Lags = append(f.cell.Lags, l)
		}
	}
	return name
}

func num(v float64) expr.Node { return &expr.Num{Value: v} }

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// order sorts the derived variables so each uses only earlier ones.
func (f *flattener) order() {
	byName := map[string]*Derived{}
	for _, d := range f.cell.Derived {
		byName[d.Name] = d
	}
	state := map[string]int{}
	var out []*Derived
	var visit func(d *Derived, chain []string)
	visit = func(d *Derived, chain []string) {
		switch state[d.Name] {
		case 2:
			return
		case 1:
			f.errorf(f.pos, "derived variables depend on each other in a cycle: %s", strings.Join(append(chain, d.Name), " -> "))
			return
		}
		state[d.Name] = 1
		for _, id := range expr.Idents(d.Value) {
			if dep, ok := byName[id]; ok {
				visit(dep, append(chain, d.Name))
			}
		}
		state[d.Name] = 2
		out = append(out, d)
	}
	for _, d := range f.cell.Derived {
		visit(d, nil)
	}
	f.cell.Derived = out
}

// initialValues computes every state's initial value as a number: values
// that depend on derived variables (a gate's q = inf) are evaluated with
// the other states at their initial values, as at the start of a run.
func (f *flattener) initialValues() {
	known := map[string]float64{}
	for k, v := range f.cell.Params {
		known[k] = v
	}
	known["t"] = 0
	known[InputPort] = 0
	lookup := func(name string) (float64, bool) {
		v, ok := known[name]
		return v, ok
	}
	done := map[string]bool{}
	for progress := true; progress; {
		progress = false
		for _, l := range f.cell.DerivedLags {
			if v, ok := known[l.Of]; ok {
				if _, done := known[l.Name]; !done {
					known[l.Name], l.Init = v, v
					progress = true
				}
			}
		}
		for _, d := range f.cell.Derived {
			if _, ok := known[d.Name]; ok {
				continue
			}
			if v, err := expr.Eval(d.Value, lookup); err == nil {
				known[d.Name] = v
				progress = true
			}
		}
		for _, s := range f.cell.States {
			if done[s.Name] {
				continue
			}
			if v, err := expr.Eval(f.initial[s.Name], lookup); err == nil {
				s.Initial, done[s.Name] = v, true
				known[s.Name] = v
				for _, l := range f.cell.Lags {
					if l.Of == s.Name {
						known[l.Name] = v // every copy starts from the initial value
					}
				}
				progress = true
			}
		}
	}
	for _, s := range f.cell.States {
		if !done[s.Name] || math.IsNaN(s.Initial) || math.IsInf(s.Initial, 0) {
			f.errorf(f.pos, "the initial value of %s (%s) cannot be computed at the start of the run", s.Name, f.initial[s.Name]).
				Hint = "initial values may use parameters and variables that do not depend on themselves"
		}
	}
}

// siValue converts a component parameter to SI, checking its dimension
// when the type declares one.
func (f *flattener) siValue(p *ast.Parameter, dim string, what string) (float64, bool) {
	if p.Expr != nil || !p.Value.Set {
		f.errorf(p.Pos, "%s must be a number", what).Hint = "write {value: 1.0, unit: ...}"
		return math.NaN(), false
	}
	if p.Unit.Value == "" {
		return p.Value.Value, true
	}
	u, err := units.Parse(p.Unit.Value)
	if err != nil {
		f.errorf(p.Unit.Pos, "%s: %v", what, err)
		return math.NaN(), false
	}
	if dim != "" {
		want, ok := units.DimensionByName(dim)
		if ok && u.Dim != want {
			f.errorf(p.Unit.Pos, "%s is a %s, but unit %q is a %s", what, want, p.Unit.Value, u.Dim).
				Hint = "use a " + want.String() + " unit such as " + units.SIUnitOf(want)
			return math.NaN(), false
		}
	}
	return u.ToSI(p.Value.Value), true
}

// lookup finds a component's own name, or "child__var", the way built-in
// sums over children (sumOf) name a child's variable.
func (in *inst) lookup(name string) (string, bool) {
	if flat, ok := in.local[name]; ok {
		return flat, true
	}
	key, variable, ok := strings.Cut(name, "__")
	if !ok {
		return "", false
	}
	for _, c := range in.children {
		if c.key == key {
			flat, ok := c.local[variable]
			return flat, ok
		}
	}
	return "", false
}

// prune drops derived variables nothing needs: a component type exposes
// more than a given cell reads (a channel's g when the cell uses its
// density and fopen), and the kernel computes only what the states and
// events use.
func (f *flattener) prune() {
	used := map[string]bool{}
	mark := func(n expr.Node) {
		for _, id := range expr.Idents(n) {
			used[id] = true
		}
	}
	for _, s := range f.cell.States {
		mark(s.Rate)
	}
	for _, l := range f.cell.DerivedLags {
		used[l.Of] = true
	}
	for _, e := range f.cell.Events {
		mark(e.Condition)
		for _, a := range e.Assign {
			mark(a.Value)
		}
	}
	keep := make([]bool, len(f.cell.Derived))
	for i := len(f.cell.Derived) - 1; i >= 0; i-- {
		d := f.cell.Derived[i]
		if used[d.Name] {
			keep[i] = true
			mark(d.Value)
		}
	}
	var out []*Derived
	for i, d := range f.cell.Derived {
		if keep[i] {
			out = append(out, d)
		}
	}
	f.cell.Derived = out
}

// splitPath splits a flat name into its component's path ("na/m/", "" for
// the cell's own) and its local name.
func splitPath(flat string) (component, local string) {
	i := strings.LastIndexByte(flat, '/')
	return flat[:i+1], flat[i+1:]
}
