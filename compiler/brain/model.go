// Package brain compiles whole-brain (TVB) experiments: it merges the
// experiment's model with the tvbo: library, loads and transforms the
// connectome, resolves the coupling functions and delays, and lowers it
// all to an ir.Brain, whose kernel the generator writes as loops over
// nodes. It is the whole-brain counterpart of resolve and lower, which
// handle NeuroML cell networks. Coupling pre-expressions are taken apart
// into per-source and per-target parts where algebra allows
// (separable.go), so the generated edge loop only multiplies and adds.
package brain

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/library/tvbo"
	"github.com/tvboc/tvboc/compiler/units"
)

// model is a neural-mass model after merging library and overrides.
type model struct {
	name   string
	params map[string]float64
	pOrder []string
	// pPos is where each parameter's value is set: the experiment's
	// override, or the library's definition.
	pPos map[string]diag.Pos
	// pExpr is the expression of each parameter given by one (a derived
	// parameter, Jansen1995's C1 = C): its value is in params, but where it
	// reads a free parameter the kernel computes it (bindModel).
	pExpr map[string]*ast.Expr
	// pUnit is the unit the model writes each parameter in ("" for none),
	// to which an experiment's value with a unit is converted
	pUnit   map[string]string
	derived []*ast.Derived
	inputs  []*ast.CouplingInput
	states  []*state
}

// reads reports whether a state's rate or a derived variable of the
// model names name.
func (m *model) reads(name string) bool {
	var exprs []*ast.Expr
	for _, s := range m.states {
		exprs = append(exprs, s.rate)
	}
	for _, d := range m.derived {
		exprs = append(exprs, d.Equation)
	}
	for _, e := range exprs {
		if e != nil && e.Node != nil && slices.Contains(expr.Idents(e.Node), name) {
			return true
		}
	}
	return false
}

type state struct {
	name       string
	pos        diag.Pos
	rate       *ast.Expr
	init       *ast.Expr
	coupling   bool
	ofInterest bool
	// lo and hi clamp the state after every step and stage (TVB's
	// state_variable_boundaries); unset sides are unbounded.
	lo, hi ast.Num
	// clock marks the state that stands for time t in a non-autonomous
	// model: never recorded.
	clock bool
	// column names the state's output column instead of
	// <model>_pop[<node>]/<name> (the nodes of a heterogeneous network).
	column string
}

func (m *model) state(name string) int {
	for i, s := range m.states {
		if s.name == name {
			return i
		}
	}
	return -1
}

func (m *model) input(name string) *ast.CouplingInput {
	for _, in := range m.inputs {
		if in.Name.Value == name {
			return in
		}
	}
	return nil
}

func (m *model) stateNames() []string {
	out := make([]string, len(m.states))
	for i, s := range m.states {
		out[i] = s.name
	}
	return out
}

// mergeModel builds the model: the library definition the IRI names with
// the experiment's entries merged over it key by key, or the experiment's
// model alone.
func mergeModel(d *ast.MassModel, errs *diag.List) *model {
	m := &model{params: map[string]float64{}, pPos: map[string]diag.Pos{}, pExpr: map[string]*ast.Expr{}, pUnit: map[string]string{}}
	var base *ast.MassModel
	if d.IRI.Value != "" {
		lib, err := tvbo.Model(d.IRI.Value)
		if err != nil {
			errs.Add(err)
			return nil
		}
		if lib == nil {
			errs.Add(diag.Errorf(d.IRI.Pos, "unknown model %q", d.IRI.Value).
				WithHint("built-in models: %s", strings.Join(tvbo.ModelNames(), ", ")))
			return nil
		}
		base = lib
		m.name = strings.TrimPrefix(lib.IRI.Value, tvbo.Prefix)
	}
	if d.Name.Value != "" {
		m.name = d.Name.Value
	}
	if m.name == "" {
		m.name = "model"
	}
	layers := []*ast.MassModel{d}
	if base != nil {
		layers = []*ast.MassModel{base, d}
	}
	for li, layer := range layers {
		override := base != nil && li == 1
		// numbers first, then the parameters given by an expression (a
		// derived parameter) in the order they depend on each other,
		// whatever order the file lists them in
		var pending []*ast.Parameter
		for _, p := range layer.Parameters {
			if _, known := m.params[p.Name.Value]; override && !known {
				errs.Add(diag.Errorf(p.Name.Pos, "model %s has no parameter %q", m.name, p.Name.Value).
					WithHint("its parameters: %s%s", strings.Join(m.pOrder, ", "), closest(p.Name.Value, m.pOrder)))
				continue
			}
			if _, known := m.params[p.Name.Value]; !known {
				m.pOrder = append(m.pOrder, p.Name.Value)
			}
			m.pPos[p.Name.Value] = p.Name.Pos
			if p.Expr != nil {
				pending = append(pending, p)
				delete(m.params, p.Name.Value) // known once evaluated
				continue
			}
			v := p.Value.Value
			if !override {
				m.pUnit[p.Name.Value] = p.Unit.Value
			} else if p.Unit.Value != "" {
				var err *diag.Error
				if v, err = m.convert(p); err != nil {
					errs.Add(err)
					continue
				}
			}
			m.params[p.Name.Value] = v
			delete(m.pExpr, p.Name.Value) // an override by a number
		}
		m.derivedParameters(pending, errs)
		for _, dv := range layer.Derived {
			replaced := false
			for i, old := range m.derived {
				if old.Name.Value == dv.Name.Value {
					m.derived[i], replaced = dv, true
				}
			}
			if !replaced {
				m.derived = append(m.derived, dv)
			}
		}
		for _, in := range layer.CouplingInputs {
			if m.input(in.Name.Value) == nil {
				m.inputs = append(m.inputs, in)
			}
		}
		for _, s := range layer.States {
			i := m.state(s.Name.Value)
			if i < 0 {
				if s.Equation == nil {
					if override {
						errs.Add(diag.Errorf(s.Name.Pos, "model %s has no state variable %q", m.name, s.Name.Value).
							WithHint("its state variables: %s%s", strings.Join(m.stateNames(), ", "), closest(s.Name.Value, m.stateNames())))
					} else {
						errs.Add(diag.Errorf(s.Pos, "state variable %q has no equation", s.Name.Value).
							WithHint(`add equation: {rhs: "..."} (its time derivative)`))
					}
					continue
				}
				m.states = append(m.states, &state{name: s.Name.Value, pos: s.Pos, ofInterest: true})
				i = len(m.states) - 1
			}
			st := m.states[i]
			if s.Equation != nil {
				st.rate = s.Equation
			}
			if s.Initial != nil {
				st.init = s.Initial
			}
			if s.Coupling != nil {
				st.coupling = *s.Coupling
			}
			if s.OfInterest != nil {
				st.ofInterest = *s.OfInterest
			}
			if s.Lo.Set {
				st.lo = s.Lo
			}
			if s.Hi.Set {
				st.hi = s.Hi
			}
		}
	}
	if len(m.states) == 0 {
		errs.Add(diag.Errorf(d.Pos, "the model has no state variables").
			WithHint("name a built-in model (iri: tvbo:Generic2dOscillator) or write state_variables"))
	}
	return m
}

// closest suggests the nearest known name for a misspelt one.
func closest(name string, known []string) string {
	if c := diag.Closest(name, known); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ""
}

func sortedKeys[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// addClock gives a non-autonomous model (TVBO's forced systems: duffing's
// F*cos(omega*t)) its time: when an equation names t and the model has
// no parameter, state or derived variable of that name, t becomes a
// state of rate 1 from 0, integrated with the others. Every stage of
// Heun and RK4 then sees its own time (t + dt, t + dt/2), and the values
// are the running sum of the steps. The clock is never recorded.
func (c *compiler) addClock() {
	m := c.m
	if _, ok := m.params["t"]; ok || m.state("t") >= 0 {
		return
	}
	uses := false
	look := func(e *ast.Expr) {
		if e == nil || e.Node == nil {
			return
		}
		expr.Inspect(e.Node, func(n expr.Node) bool {
			if x, ok := n.(*expr.Ident); ok && x.Name == "t" {
				uses = true
			}
			return !uses
		})
	}
	for _, d := range m.derived {
		if d.Name.Value == "t" {
			return
		}
		look(d.Equation)
	}
	for _, s := range m.states {
		look(s.rate)
	}
	if !uses {
		return
	}
	rate := &expr.Num{Value: 1}
	var next expr.Node = rate
	if c.exp.Dynamics != nil && c.exp.Dynamics.Discrete {
		// a map's next time is one iteration on
		next = &expr.Binary{Op: "+", X: &expr.Ident{Name: "t"}, Y: rate}
	}
	m.states = append(m.states, &state{name: "t", pos: c.exp.Pos, clock: true,
		rate: &ast.Expr{Src: next.String(), Node: next}, init: &ast.Expr{Src: "0", Node: &expr.Num{Value: 0}}})
}

// derivedParameters evaluates the parameters given by an expression, each
// once every name it reads has a value: an unknown name, a cycle (c = d,
// d = c) and a value that is not finite (c = a/(b - 2) with b = 2) are
// refused at the parameter, one message each.
func (m *model) derivedParameters(pending []*ast.Parameter, errs *diag.List) {
	isPending := func(name string) bool {
		return slices.ContainsFunc(pending, func(p *ast.Parameter) bool { return p.Name.Value == name })
	}
	for len(pending) > 0 {
		var later []*ast.Parameter
		for _, p := range pending {
			ready := true
			for _, id := range expr.Idents(p.Expr.Node) {
				if _, ok := m.params[id]; !ok && isPending(id) && id != p.Name.Value {
					ready = false
				}
			}
			if !ready {
				later = append(later, p)
				continue
			}
			lookup := func(name string) (float64, bool) { v, ok := m.params[name]; return v, ok }
			if bad, why := expr.NonFinite(p.Expr.Node, lookup); bad != nil {
				errs.Add(diag.Errorf(p.Expr.PosOf(bad.Pos()), "parameter %q: %s in %q", p.Name.Value, why, p.Expr.Src).
					WithHint("no value of the experiment may be infinite or NaN; check the parameters it uses"))
				continue
			}
			v, err := expr.Eval(p.Expr.Node, lookup)
			if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
				err = fmt.Errorf("its value %g is not finite", v)
			}
			if err != nil {
				errs.Add(diag.Errorf(p.Expr.Pos, "parameter %q: %v", p.Name.Value, err))
				continue
			}
			m.params[p.Name.Value] = v
			m.pExpr[p.Name.Value] = p.Expr
		}
		if len(later) == len(pending) {
			// every one left waits for another: a cycle
			var names []string
			for _, p := range later {
				names = append(names, p.Name.Value)
			}
			errs.Add(diag.Errorf(later[0].Expr.Pos, "derived parameters depend on each other in a cycle: %s", strings.Join(append(names, names[0]), " -> ")).
				WithHint("give one of them a value"))
			return
		}
		pending = later
	}
}

// convert is an experiment's value for parameter p, written with a unit,
// in the unit the model writes p in: tau: {value: 1, unit: s} is 1000 for
// a model in ms (it was taken as 1). A unit of another dimension, or a
// unit on a parameter the model gives none, is refused at the unit.
func (m *model) convert(p *ast.Parameter) (float64, *diag.Error) {
	given, err := units.Parse(p.Unit.Value)
	if err != nil {
		return 0, diag.Errorf(p.Unit.Pos, "parameter %q: %v", p.Name.Value, err)
	}
	own := m.pUnit[p.Name.Value]
	want := units.Unit{Dim: units.None, Scale: 1} // a model without a unit: a plain number
	if own != "" {
		if want, err = units.Parse(own); err != nil {
			return 0, diag.Errorf(p.Unit.Pos, "parameter %q: the model's unit %q: %v", p.Name.Value, own, err)
		}
	}
	v, err := units.Convert(p.Value.Value, given, want)
	switch {
	case err != nil && own == "":
		return 0, diag.Errorf(p.Unit.Pos, "parameter %q: model %s writes it without a unit, so %q cannot be converted", p.Name.Value, m.name, p.Unit.Value).
			WithHint("write the value in the model's own units, without a unit")
	case err != nil:
		return 0, diag.Errorf(p.Unit.Pos, "parameter %q is in %s, and %q is another kind of quantity", p.Name.Value, own, p.Unit.Value).
			WithHint("write it in %s or a unit of the same kind", own)
	}
	return v, nil
}
