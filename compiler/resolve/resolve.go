package resolve

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/flatten"
	"github.com/tvboc/tvboc/compiler/library"
	"github.com/tvboc/tvboc/compiler/units"
)

// Methods lists the integration methods the compiler implements, by
// their canonical names: forward Euler (the reference simulators'), Heun's
// second-order predictor-corrector and the classical fourth-order
// Runge-Kutta, each with TVBO's update formula.
var Methods = []string{"euler", "heun", "rk4"}

// methodAliases maps TVBO's integrator names (any case) to the canonical
// ones. TVB's deterministic variants are the same formulas.
var methodAliases = map[string]string{
	"euler": "euler", "eulerdeterministic": "euler",
	"heun": "heun", "heundeterministic": "heun",
	"rk4": "rk4", "rungekutta4thorder": "rk4", "rungekutta4thorderdeterministic": "rk4",
}

// Resolve checks an experiment and gives it meaning. Every mistake found is
// returned at once, each naming file:line:col.
func Resolve(exp *ast.Experiment) (*Model, error) {
	return ResolveWith(exp, Options{})
}

// Options select how an experiment is read.
type Options struct {
	// ODE reads NeuroML cells written as component trees as one system of
	// equations (t = k*dt, no lag from jLEMS's copies of v between the
	// levels of the tree) instead of reproducing jLEMS.
	ODE bool
	// AlphaBeta writes HH gates in the division-free alpha/beta form
	// (flatten.AlphaBetaGates); only with ODE.
	AlphaBeta bool
}

// ResolveWith is Resolve with options.
func ResolveWith(exp *ast.Experiment, opts Options) (*Model, error) {
	r := &resolver{exp: exp, types: map[string]*Type{}, opts: opts}
	m := r.model()
	m.ODE = opts.ODE
	if err := r.errs.Err(); err != nil {
		return nil, err
	}
	return m, nil
}

type resolver struct {
	opts  Options
	exp   *ast.Experiment
	errs  diag.List
	types map[string]*Type // by network dynamics name
	defs  map[string]*ast.Dynamics
	// netDefs are the network dynamics entries by name, for edges whose
	// coupling names one.
	netDefs map[string]*ast.Dynamics
	// edgeTypes counts synapse types made from edge parameters, so each
	// gets a cache key of its own.
	edgeTypes int
	dt        float64 // the step in seconds, for edge delays
	// attached holds the current inputs flattened cell types carry.
	attached map[*Type][]*ast.Dynamics
	// m is the model being built; inputPops holds the hidden spike
	// sources of each synaptic input type (compose.go).
	m         *Model
	inputPops map[*Type]*Population
}

func (r *resolver) errorf(pos diag.Pos, format string, args ...any) *diag.Error {
	e := diag.Errorf(pos, format, args...)
	r.errs = append(r.errs, e)
	return e
}

func (r *resolver) model() *Model {
	m := &Model{File: r.exp.File, Label: r.exp.Label.Value}
	r.m, r.inputPops = m, map[*Type]*Population{}
	if m.Label == "" {
		m.Label = strings.TrimSuffix(baseName(r.exp.File), ".yaml")
	}
	r.integration(m)
	m.Seed, m.SeedSet = r.seed()
	if r.exp.Dynamics != nil && r.exp.Dynamics.IRI.Value != "" && !flatten.IsTree(r.exp.Dynamics) {
		// The top-level dynamics names the experiment's main model; check
		// its IRI even where the network defines the nodes' dynamics.
		r.definition(r.exp.Dynamics)
	}
	r.network(m)
	return m
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

func (r *resolver) integration(m *Model) {
	in := r.exp.Integration
	if in == nil {
		return
	}
	method := strings.ToLower(in.Method.Value)
	if method == "" {
		method = "euler"
	}
	if canonical, ok := methodAliases[method]; ok {
		method = canonical
	}
	if !contains(Methods, method) {
		r.errorf(in.Method.Pos, "integration method %q is not supported", in.Method.Value).
			Hint = "supported: " + strings.Join(Methods, ", ")
	}
	m.Method = method
	scale := 1e-3 // TVBO's default time unit is the millisecond
	if ts := in.TimeScale; ts.Value != "" {
		u, err := units.Parse(ts.Value)
		switch {
		case err != nil:
			r.errorf(ts.Pos, "time_scale: %v", err)
		case u.Dim != units.Time:
			r.errorf(ts.Pos, "time_scale %q is a %s, not a time", ts.Value, u.Dim).Hint = "use ms or s"
		default:
			scale = u.ToSI(1)
		}
	}
	m.TimeScale = scale
	dt, dur := in.StepSize, in.Duration
	ok := true
	if dt.Set && !(dt.Value > 0) || dt.Set && math.IsInf(dt.Value, 0) {
		r.errorf(dt.Pos, "step_size must be a positive number, got %g", dt.Value)
		ok = false
	}
	if dur.Set && !(dur.Value > 0) || dur.Set && math.IsInf(dur.Value, 0) {
		r.errorf(dur.Pos, "duration must be a positive number, got %g", dur.Value)
		ok = false
	}
	if !ok || !dt.Set || !dur.Set {
		return
	}
	ratio := dur.Value / dt.Value
	steps := math.Round(ratio)
	if math.Abs(ratio-steps) > 1e-9*math.Max(1, ratio) || steps < 1 {
		lo := math.Max(1, math.Floor(ratio))
		r.errorf(dur.Pos, "duration %g is not a multiple of step_size %g (it is %.6g steps)", dur.Value, dt.Value, ratio).
			Hint = fmt.Sprintf("use duration %g (%d steps) or %g (%d steps)", lo*dt.Value, int(lo), (lo+1)*dt.Value, int(lo)+1)
		return
	}
	if steps > 1<<40 {
		r.errorf(dur.Pos, "duration %g / step_size %g is %g steps, too many to simulate", dur.Value, dt.Value, steps)
		return
	}
	m.Steps = int(steps)
	m.Dt = dt.Value * scale
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// definition returns the library definition a dynamics refers to by IRI,
// or the dynamics itself when it defines its own equations.
func (r *resolver) definition(d *ast.Dynamics) (*ast.Dynamics, bool) {
	iri := d.IRI.Value
	if iri == "" {
		if len(d.States) == 0 && len(d.Derived) == 0 {
			r.errorf(d.Pos, "dynamics %q has neither an iri nor equations", d.Name.Value).
				Hint = "add iri: neuroml:<type> or state_variables with equations"
			return nil, false
		}
		return d, true
	}
	def, ok, err := library.Lookup(iri)
	if err != nil {
		r.errorf(d.IRI.Pos, "%v", err)
		return nil, false
	}
	if !ok {
		e := r.errorf(d.IRI.Pos, "unknown dynamics iri %q", iri)
		if strings.HasPrefix(iri, library.Prefix) {
			// The library holds dozens of types: name the closest one, and
			// list them all only when nothing is close.
			if near := closest(iri, library.Names()); near != "" {
				e.Hint = strings.TrimPrefix(near, "; ")
			} else {
				e.Hint = "known: " + strings.Join(library.Names(), ", ")
			}
		} else {
			e.Hint = "built-in types are named neuroml:<type>, e.g. neuroml:izhikevichCell"
		}
		return nil, false
	}
	return def, true
}

// closest suggests the nearest known name.
func closest(name string, known []string) string {
	if c := diag.Closest(name, known); c != "" {
		return fmt.Sprintf("; did you mean %s?", c)
	}
	return ""
}

// typeOf resolves a network dynamics entry into a Type (once per name).
func (r *resolver) typeOf(d *ast.Dynamics, timeScale float64) *Type {
	if t, ok := r.types[d.Name.Value]; ok {
		return t
	}
	if flatten.IsTree(d) {
		t := r.flatType(d)
		r.types[d.Name.Value] = t
		return t
	}
	def, ok := r.definition(d)
	if !ok {
		r.types[d.Name.Value] = nil
		return nil
	}
	t := &Type{Name: d.Name.Value, IRI: d.IRI.Value, Pos: d.Pos, Params: map[string]float64{}}
	library := def != d
	if library {
		t.TimeUnit = 1
		if ts := def.TimeScale.Value; ts != "" {
			u, err := units.Parse(ts)
			if err != nil {
				r.errorf(def.TimeScale.Pos, "%v", err)
			} else {
				t.TimeUnit = u.ToSI(1)
			}
		}
		t.Kind = Kind(def.Kind.Value)
		if t.Kind == "" {
			t.Kind = Cell
		}
		r.libraryParams(t, def, d)
	} else {
		t.TimeUnit = timeScale
		t.Kind = Cell
		r.inlineParams(t, d)
	}
	r.equations(t, def, library)
	if library && composite(def, d) {
		r.types[d.Name.Value] = nil // in progress: a reference back to it is a cycle
		r.compose(t, def, d, timeScale)
	}
	r.spikeTimes(t, d, timeScale)
	r.types[d.Name.Value] = t
	return t
}

// libraryParams sets a library type's parameters: the user's values
// converted to SI with their dimension checked, defaults, then constants.
func (r *resolver) libraryParams(t *Type, def, use *ast.Dynamics) {
	given := map[string]*ast.Parameter{}
	for _, p := range use.Parameters {
		given[p.Name.Value] = p
	}
	var names []string
	for _, p := range def.Parameters {
		names = append(names, p.Name.Value)
	}
	for _, p := range use.Parameters {
		if !contains(names, p.Name.Value) {
			r.errorf(p.Name.Pos, "unknown parameter %q for %s", p.Name.Value, t.IRI).
				Hint = "its parameters are: " + strings.Join(names, ", ") + closest(p.Name.Value, names)
		}
	}
	for _, p := range def.Parameters {
		name := p.Name.Value
		if isText(p.Dimension.Value) {
			r.textParam(t, p, given[name], use)
			continue
		}
		dim, ok := units.DimensionByName(p.Dimension.Value)
		if !ok {
			r.errorf(p.Dimension.Pos, "library: unknown dimension %q", p.Dimension.Value)
			continue
		}
		u, isGiven := given[name]
		switch {
		case isGiven:
			// A bad value is reported once; the name stays defined (NaN) so
			// the equations that use it do not report it again.
			v, _ := r.quantityValue(u, dim, fmt.Sprintf("parameter %q of %s", name, t.IRI))
			if dim == units.Time && v < 0 {
				// a duration, delay or time constant below zero means
				// nothing the library type can do; refused, not ignored
				r.errorf(u.Value.Pos, "parameter %q of %s is a time and cannot be negative, got %g %s", name, t.IRI, u.Value.Value, u.Unit.Value).
					Hint = "use 0 or a positive time"
				v = math.NaN()
			}
			t.Params[name] = v
		case p.Value.Set:
			t.Params[name] = p.Value.Value
		default:
			r.errorf(use.Pos, "dynamics %q (%s) is missing required parameter %q", use.Name.Value, t.IRI, name).
				Hint = fmt.Sprintf("add %s: %s under parameters", name, example(dim))
			t.Params[name] = math.NaN()
		}
		t.ParamOrder = append(t.ParamOrder, name)
	}
	r.constants(t, def)
}

func (r *resolver) constants(t *Type, def *ast.Dynamics) {
	for _, c := range def.Constants {
		v := c.Value.Value
		if c.Unit.Value != "" {
			u, err := units.Parse(c.Unit.Value)
			if err != nil {
				r.errorf(c.Unit.Pos, "%v", err)
				continue
			}
			v = u.ToSI(v)
		}
		t.Params[c.Name.Value] = v
		t.ParamOrder = append(t.ParamOrder, c.Name.Value)
	}
}

// example writes a sample value for a dimension, for hints.
func example(d units.Dimension) string {
	if d == units.None {
		return "1.0"
	}
	sym := map[units.Dimension]string{units.Voltage: "mV", units.Time: "ms", units.Current: "nA",
		units.Conductance: "nS", units.Capacitance: "pF"}[d]
	if sym == "" {
		sym = units.SIUnitOf(d)
	}
	return "{value: 1.0, unit: " + sym + "}"
}

// quantityValue converts a user-given parameter to SI for a parameter of
// dimension dim.
func (r *resolver) quantityValue(p *ast.Parameter, dim units.Dimension, what string) (float64, bool) {
	if p.Expr != nil || !p.Value.Set {
		r.errorf(p.Pos, "%s must be a number", what).Hint = "write " + example(dim)
		return math.NaN(), false
	}
	if p.Unit.Value == "" {
		if dim != units.None {
			r.errorf(p.Value.Pos, "%s is %s: give its unit", what, dimPhraseOf(dim)).
				Hint = fmt.Sprintf("write {value: %g, unit: %s}", p.Value.Value, exampleUnit(dim))
			return math.NaN(), false
		}
		return p.Value.Value, true
	}
	u, err := units.Parse(p.Unit.Value)
	if err != nil {
		r.errorf(p.Unit.Pos, "%s: %v", what, err)
		return math.NaN(), false
	}
	if u.Dim != dim {
		e := r.errorf(p.Unit.Pos, "%s is %s, but unit %q is %s", what, dimPhraseOf(dim), p.Unit.Value, dimPhraseOf(u.Dim))
		if dim == units.None {
			e.Hint = "remove the unit: the parameter is dimensionless"
		} else {
			e.Hint = "use a " + dim.String() + " unit such as " + exampleUnit(dim)
		}
		return math.NaN(), false
	}
	return u.ToSI(p.Value.Value), true
}

// dimPhraseOf names a dimension with its article for messages: "a
// voltage", "dimensionless".
func dimPhraseOf(d units.Dimension) string {
	if d == units.None {
		return "dimensionless"
	}
	return "a " + d.String()
}

func exampleUnit(d units.Dimension) string {
	s := example(d)
	if i := strings.Index(s, "unit: "); i >= 0 {
		return strings.TrimSuffix(s[i+6:], "}")
	}
	return units.SIUnitOf(d)
}

// inlineParams sets the parameters of equations written in the YAML. Their
// equations use the numbers as written (TVBO's convention: the model's own
// units, rates per time_scale), so values are taken as given.
func (r *resolver) inlineParams(t *Type, d *ast.Dynamics) {
	for _, p := range d.Parameters {
		name := p.Name.Value
		switch {
		case p.Value.Set:
			t.Params[name] = p.Value.Value
		case p.Expr != nil:
			v, err := expr.Eval(p.Expr.Node, func(n string) (float64, bool) {
				v, ok := t.Params[n]
				return v, ok
			})
			if err != nil {
				r.errorf(p.Expr.Pos, "parameter %q: %v", name, err).Hint = "a parameter expression may use only earlier parameters"
				continue
			}
			if !r.finite(t, p.Expr, fmt.Sprintf("parameter %q", name), false) {
				continue
			}
			t.Params[name] = v
		default:
			r.errorf(p.Pos, "parameter %q has no value", name).Hint = "write {value: 1.0}"
			continue
		}
		t.ParamOrder = append(t.ParamOrder, name)
	}
	r.constants(t, d)
}

// equations copies a definition's variables into the type, checking every
// name each equation uses.
func (r *resolver) equations(t *Type, def *ast.Dynamics, library bool) {
	scope := map[string]string{"t": "time"}
	for _, n := range t.ParamOrder {
		scope[n] = "parameter"
	}
	if t.Kind == SynapseKind || t.Kind == Electrical || t.Kind == PointCurrent || t.Kind == Component {
		// what a synapse reads from its edge: the target's voltage v, the
		// source's vpeer, the edge's weight
		scope["v"], scope["vpeer"], scope["weight"] = "requirement", "requirement", "edge weight"
	}
	for _, d := range def.Derived {
		if d.Period.Set {
			r.errorf(d.Period.Pos, "derived variable %q: period (a held value) is supported in population networks only", d.Name.Value).
				Hint = "give a network node size: N, or remove period"
		}
	}
	for _, in := range def.Inputs {
		scope[in.Name.Value] = "input"
		t.Inputs = append(t.Inputs, &Port{Name: in.Name.Value, Dimension: in.Dimension.Value})
	}
	for _, s := range def.States {
		if prev, dup := scope[s.Name.Value]; dup && prev != "time" {
			r.errorf(s.Name.Pos, "state variable %q has the name of a %s", s.Name.Value, prev)
		}
		scope[s.Name.Value] = "state"
	}
	derivedByName := map[string]*ast.Derived{}
	for _, d := range def.Derived {
		if prev, dup := scope[d.Name.Value]; dup {
			r.errorf(d.Name.Pos, "derived variable %q has the name of a %s", d.Name.Value, prev)
		}
		scope[d.Name.Value] = "derived"
		derivedByName[d.Name.Value] = d
	}
	check := func(e *ast.Expr, what string) bool {
		if e == nil || e.Node == nil {
			return false
		}
		ok := true
		walkIdents(e.Node, func(id *expr.Ident) {
			if _, known := scope[id.Name]; known {
				return
			}
			if _, isConst := expr.Constants[id.Name]; isConst {
				return
			}
			ok = false
			r.errorf(e.PosOf(id.P), "%s: undefined symbol %q in %q", what, id.Name, e.Src).
				Hint = "known names: " + strings.Join(sortedKeys(scope), ", ") + closest(id.Name, sortedKeys(scope))
		})
		return ok && r.finite(t, e, what, library)
	}

	// Derived variables in dependency order; a cycle is an error naming it.
	order, cycle := orderDerived(def.Derived)
	if cycle != nil {
		r.errorf(derivedByName[cycle[0]].Name.Pos, "derived variables depend on each other in a cycle: %s",
			strings.Join(append(cycle, cycle[0]), " -> "))
	}
	for _, d := range order {
		if check(d.Equation, fmt.Sprintf("derived variable %q", d.Name.Value)) {
			dv := &Derived{Name: d.Name.Value, Value: d.Equation.Node}
			r.derivedUnit(dv, d, library)
			t.Derived = append(t.Derived, dv)
		}
	}
	for _, s := range def.States {
		st := &State{Name: s.Name.Value, OfInterest: s.OfInterest, ToSI: 1}
		if check(s.Equation, fmt.Sprintf("state variable %q", s.Name.Value)) {
			st.Rate = s.Equation.Node
		}
		if s.Initial != nil {
			if checkInitial(r, s.Initial, t, fmt.Sprintf("initial value of %q", s.Name.Value)) {
				st.Initial = s.Initial.Node
			}
		} else {
			st.Initial = &expr.Num{Value: 0, Text: "0"}
		}
		r.stateUnit(st, s, library)
		t.States = append(t.States, st)
	}
	states := map[string]bool{}
	for _, s := range t.States {
		states[s.Name] = true
	}
	for _, ev := range def.Events {
		e := &Event{Name: ev.Name.Value, Emit: ev.Emit.Value, Receive: ev.Receive.Value}
		what := fmt.Sprintf("event %q", ev.Name.Value)
		if ev.Condition == nil && e.Receive == "" && len(ev.TriggerTimes) == 0 {
			r.errorf(ev.Pos, "%s has no condition", what).Hint = `add condition: "v > thresh"`
		} else if check(ev.Condition, what+" condition") {
			e.Condition = ev.Condition.Node
		}
		for _, a := range ev.Affect {
			if !states[a.Var.Value] {
				r.errorf(a.Var.Pos, "%s assigns %q, which is not a state variable", what, a.Var.Value).
					Hint = "state variables: " + strings.Join(sortedKeysBool(states), ", ")
				continue
			}
			if check(a.Value, what+" affect") {
				e.Assign = append(e.Assign, Assignment{Var: a.Var.Value, Value: a.Value.Node})
			}
		}
		t.Events = append(t.Events, e)
	}
	r.refractory(t, def, states)
	if def.Exposes.Value != "" {
		t.Exposes = def.Exposes.Value
		d, ok := derivedByName[t.Exposes]
		switch {
		case ok:
			t.ExposedDim = d.Dimension.Value
		case exposedState(def, t.Exposes) != nil:
			// LEMS exposes state variables too (a voltage clamp's i)
			t.ExposedDim = exposedState(def, t.Exposes).Dimension.Value
		default:
			r.errorf(def.Exposes.Pos, "library: %s exposes %q, which is not a derived or state variable", def.Name.Value, t.Exposes)
		}
	}
}

// checkInitial checks an initial-value expression: it may use parameters
// only, since it is evaluated before the first step.
func checkInitial(r *resolver, e *ast.Expr, t *Type, what string) bool {
	ok := true
	walkIdents(e.Node, func(id *expr.Ident) {
		if _, isParam := t.Params[id.Name]; isParam {
			return
		}
		if _, isConst := expr.Constants[id.Name]; isConst {
			return
		}
		ok = false
		r.errorf(e.PosOf(id.P), "%s: %q is not a parameter", what, id.Name).
			Hint = "initial values may use parameters only: " + strings.Join(t.ParamOrder, ", ")
	})
	return ok && r.finite(t, e, what, t.IRI != "")
}

// finite refuses an expression with an operation whose value is fixed at
// compile time and not finite (expr.NonFinite): a division by zero, the
// log of a negative parameter. In the user's own equations the message
// points at the operation; in a library type's it names the parameter
// values that cause it, at the user's dynamics entry.
func (r *resolver) finite(t *Type, e *ast.Expr, what string, library bool) bool {
	bad, why := expr.NonFinite(e.Node, func(n string) (float64, bool) {
		v, ok := t.Params[n]
		return v, ok
	})
	if bad == nil {
		return true
	}
	if !library {
		r.errorf(e.PosOf(bad.Pos()), "%s: %s in %q", what, why, e.Src).
			Hint = "no value of the experiment may be infinite or NaN; check the parameters it uses"
		return false
	}
	var values []string
	cause := bad
	if b, ok := bad.(*expr.Binary); ok && b.Op == "/" {
		cause = b.Y // the divisor's parameters
	}
	for _, id := range expr.Idents(cause) {
		if v, ok := t.Params[id]; ok {
			values = append(values, fmt.Sprintf("%s = %g", id, v))
		}
	}
	slices.Sort(values)
	values = slices.Compact(values)
	r.errorf(t.Pos, "%s (%s): %s with %s", what, t.IRI, why, strings.Join(values, ", ")).
		Hint = "change the parameter: no value may be infinite or NaN"
	return false
}

// stateUnit records the SI unit of a state variable and the factor from
// the type's units to SI: library types are SI already (their dimension
// gives the unit); inline equations declare a unit (mV) or are
// dimensionless.
func (r *resolver) stateUnit(st *State, s *ast.State, library bool) {
	if library {
		if dim, ok := units.DimensionByName(s.Dimension.Value); ok {
			st.Unit = units.SIUnitOf(dim)
		}
		return
	}
	if s.Unit.Value == "" {
		return
	}
	u, err := units.Parse(s.Unit.Value)
	if err != nil {
		r.errorf(s.Unit.Pos, "state variable %q: %v", s.Name.Value, err)
		return
	}
	st.Unit = units.SIUnitOf(u.Dim)
	st.ToSI = u.ToSI(1)
}

// derivedUnit is stateUnit for a derived variable: the SI unit of its
// declared dimension (library) or unit (inline equations), for recording
// it in SI. Undeclared leaves ToSI 0 (recorded as computed).
func (r *resolver) derivedUnit(dv *Derived, d *ast.Derived, library bool) {
	if library {
		if dim, ok := units.DimensionByName(d.Dimension.Value); ok {
			dv.Unit, dv.ToSI = units.SIUnitOf(dim), 1
		}
		return
	}
	if d.Unit.Value == "" {
		return
	}
	u, err := units.Parse(d.Unit.Value)
	if err != nil {
		r.errorf(d.Unit.Pos, "derived variable %q: %v", d.Name.Value, err)
		return
	}
	dv.Unit, dv.ToSI = units.SIUnitOf(u.Dim), u.ToSI(1)
}

func walkIdents(n expr.Node, f func(*expr.Ident)) {
	expr.Rewrite(n, func(x expr.Node) expr.Node {
		if id, ok := x.(*expr.Ident); ok {
			f(id)
		}
		return x
	})
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedKeysBool(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// orderDerived sorts derived variables so each comes after those it uses
// (stable: definition order where free). It returns a cycle if there is one.
func orderDerived(ds []*ast.Derived) ([]*ast.Derived, []string) {
	byName := map[string]*ast.Derived{}
	for _, d := range ds {
		byName[d.Name.Value] = d
	}
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[string]int{}
	var order []*ast.Derived
	var stack []string
	var cycle []string
	var visit func(d *ast.Derived) bool
	visit = func(d *ast.Derived) bool {
		name := d.Name.Value
		switch state[name] {
		case done:
			return true
		case visiting:
			for i, s := range stack {
				if s == name {
					cycle = append([]string(nil), stack[i:]...)
				}
			}
			return false
		}
		state[name] = visiting
		stack = append(stack, name)
		if d.Equation != nil && d.Equation.Node != nil {
			for _, id := range expr.Idents(d.Equation.Node) {
				if dep, ok := byName[id]; ok && !visit(dep) {
					return false
				}
			}
		}
		stack = stack[:len(stack)-1]
		state[name] = done
		order = append(order, d)
		return true
	}
	for _, d := range ds {
		if !visit(d) {
			return order, cycle
		}
	}
	return order, nil
}
