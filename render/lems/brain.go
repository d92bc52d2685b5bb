package lems

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/brain"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/library/tvbo"
)

// Neural-mass experiments (the whole-brain path) render as TVBO's LEMS
// export does for Generic2dOscillator_LEMS_single_node: the model is a
// ComponentType extending baseCell, with
//
//   - every model parameter a dimensionless Parameter, valued on the
//     component (the experiment's overrides merged over the tvbo: library
//     model, as the compiler merges them);
//   - every coupling input a Parameter too: on one unconnected node the
//     coupling function sees no neighbours, so the input is the
//     function's post-expression at a zero sum (0 for Linear with no
//     offset), the value the compiled kernel uses;
//   - the derived variables, and one StateVariable with a TimeDerivative
//     per state, divided by TIME_SCALE (the model's rates are per ms) and
//     started at the initial value the compiler resolved;
//
// then a network with one population <model>_pop of size 1 and a
// Simulation writing the recorded variables (<model>_pop[0]/<state>, the
// compiled binary's column names).
//
// A state's boundaries (TVB's state_variable_boundaries, a clamp after
// every step) become OnConditions, which jLEMS tests on the new state
// right after the Euler update and applies at once: the same clamp. A
// network of more than one node renders as one component holding every
// node (brainnet.go), a heterogeneous network as the one composite node it
// is compiled as. What LEMS cannot say is refused by name, never
// approximated: noise (LEMS has no Gaussian deviates) and a free
// conduction speed (ErrFreeSpeed). LEMS files
// have no integrator: jNeuroML integrates with forward Euler, so a Heun or
// Runge-Kutta experiment is written with a comment saying the reference
// will differ from the binary by the integrator's error, and jNeuroML
// records every step from 0 where the binary skips the transient and
// samples by the observation period.

// ErrFreeSpeed is the answer for a program whose conduction speed is a
// free parameter: its delays, and so the length of every delay line, are
// known only when the binary runs. (tvboc render lems renders the
// experiment as checked, every parameter at its value in the YAML, so the
// command never meets it; a caller passing a program compiled with free
// parameters does.)
var ErrFreeSpeed = errors.New("the conduction speed is a free parameter, so the delays are known only when the binary runs and the LEMS file cannot lay out its delay lines; render with the speed fixed (leave it out of --free and explorations)")

// RenderBrain renders a neural-mass experiment. exp must be
// the tree p was compiled from.
func RenderBrain(exp *ast.BrainExperiment, p *ir.Brain) (*Document, error) {
	if exp == nil || p == nil {
		return nil, errors.New("lems: RenderBrain needs the experiment and its compiled program")
	}
	dynamics := exp.Dynamics
	switch {
	case len(exp.Library) > 0 || exp.Network != nil && (len(exp.Network.Nodes) > 0 || len(exp.Network.Edges) > 0):
		// A heterogeneous network is compiled as one node of a composite
		// model (package brain): it renders as that node.
		comp, err := brain.Composite(exp)
		if err != nil {
			return nil, err
		}
		dynamics = comp
	case p.SpeedIdent != "":
		return nil, fmt.Errorf("%s: %w", exp.File, ErrFreeSpeed)
	}
	for _, noisy := range p.Noisy {
		if noisy {
			where := exp.File
			if in := exp.Integration; in != nil && in.Noise != nil && in.Noise.Pos.Line > 0 {
				where = in.Noise.Pos.String()
			}
			return nil, fmt.Errorf("%s: the experiment has noise, which LEMS cannot draw: it has no Gaussian deviates (only random(), uniform), so jNeuroML could not run the noise, let alone check it; render it without noise", where)
		}
	}
	m, err := mergeMass(dynamics)
	if err != nil {
		return nil, err
	}
	if p.Nodes != 1 {
		return renderBrainNetwork(exp, p, m)
	}
	name := safeID(m.name)

	// coupling inputs: the post-expression at a zero sum
	inputs := map[string]float64{}
	for _, c := range p.Couplings {
		v, err := expr.Eval(c.Post, func(n string) (float64, bool) { return 0, n == "gx" })
		if err != nil {
			return nil, fmt.Errorf("%s: coupling into %q: %v (it reads the node's own state, which a LEMS parameter cannot)", exp.File, c.Input, err)
		}
		inputs[c.Input] = v
	}

	used := map[string]bool{"t": true, timeScaleConst: true}
	for _, n := range m.pOrder {
		used[n] = true
	}
	for _, in := range m.inputs {
		used[in.Name.Value] = true
	}
	for _, s := range m.states {
		used[s.Name.Value] = true
	}
	for _, d := range m.derived {
		used[d.Name.Value] = true
	}
	pr := &printer{subst: map[string]string{"t": "(t / " + timeScaleConst + ")"}, used: used}
	var body strings.Builder
	for _, d := range m.derived {
		pr.owner = d.Name.Value
		if d.Equation == nil {
			return nil, fmt.Errorf("%s: derived variable %q has no equation", d.Pos, d.Name.Value)
		}
		if call, ok := d.Equation.Node.(*expr.Call); ok && call.Func == "Piecewise" {
			cases, err := pr.piecewise(call)
			if err != nil {
				return nil, fmt.Errorf("%s: derived variable %q: cannot render to LEMS: %v", d.Pos, d.Name.Value, err)
			}
			writeConditional(&body, conditional{name: d.Name.Value, cases: cases}, true)
			continue
		}
		v, err := pr.print(d.Equation.Node)
		if err != nil {
			return nil, fmt.Errorf("%s: derived variable %q: cannot render to LEMS: %v", d.Pos, d.Name.Value, err)
		}
		fmt.Fprintf(&body, "      <DerivedVariable name=%s dimension=\"none\" exposure=%s value=%s/>\n", attr(d.Name.Value), attr(d.Name.Value), attr(v))
	}
	for _, s := range m.states {
		pr.owner = s.Name.Value
		v, err := pr.print(s.Equation.Node)
		if err != nil {
			return nil, fmt.Errorf("%s: state variable %q: cannot render to LEMS: %v", s.Pos, s.Name.Value, err)
		}
		fmt.Fprintf(&body, "      <TimeDerivative variable=%s value=%s/>\n", attr(s.Name.Value), attr("("+v+") / "+timeScaleConst))
	}
	body.WriteString("      <OnStart>\n")
	for _, s := range m.states {
		init, ok := 0.0, false
		for _, bs := range p.States {
			if bs.Name == s.Name.Value {
				init, ok = bs.Init, true
			}
		}
		if !ok {
			return nil, fmt.Errorf("%s: state variable %q is not in the compiled model", s.Pos, s.Name.Value)
		}
		fmt.Fprintf(&body, "        <StateAssignment variable=%s value=%s/>\n", attr(s.Name.Value), attr(formatNumber(init)))
	}
	body.WriteString("      </OnStart>\n")
	for _, s := range m.states {
		writeBounds(&body, s, s.Name.Value)
	}

	var w bytes.Buffer
	doc := startMass(&w, exp, p)
	fmt.Fprintf(&w, "  <ComponentType name=%s extends=\"baseCell\">\n", attr(name))
	for _, n := range m.pOrder {
		fmt.Fprintf(&w, "    <Parameter name=%s dimension=\"none\"/>\n", attr(n))
	}
	for _, in := range m.inputs {
		fmt.Fprintf(&w, "    <Parameter name=%s dimension=\"none\"/>\n", attr(in.Name.Value))
	}
	fmt.Fprintf(&w, "    <Constant name=%s dimension=\"time\" value=\"1ms\"/>\n", attr(timeScaleConst))
	for _, s := range m.states {
		fmt.Fprintf(&w, "    <Exposure name=%s dimension=\"none\"/>\n", attr(s.Name.Value))
	}
	for _, d := range m.derived {
		fmt.Fprintf(&w, "    <Exposure name=%s dimension=\"none\"/>\n", attr(d.Name.Value))
	}
	w.WriteString("    <Dynamics>\n")
	for _, s := range m.states {
		fmt.Fprintf(&w, "      <StateVariable name=%s dimension=\"none\" exposure=%s/>\n", attr(s.Name.Value), attr(s.Name.Value))
	}
	for _, c := range pr.lifted {
		writeConditional(&w, c, false)
	}
	w.WriteString(body.String())
	w.WriteString("    </Dynamics>\n  </ComponentType>\n")

	fmt.Fprintf(&w, "  <%s id=%s", name, attr(name))
	for _, n := range m.pOrder {
		fmt.Fprintf(&w, " %s=%s", n, attr(formatNumber(m.params[n])))
	}
	for _, in := range m.inputs {
		fmt.Fprintf(&w, " %s=%s", in.Name.Value, attr(formatNumber(inputs[in.Name.Value])))
	}
	w.WriteString("/>\n")
	return finishMass(&w, doc, exp, p, name, 1,
		func(state string, _ int) string { return state },
		func(x string) string { return name + "_" + safeID(x) })
}

// startMass starts a neural-mass rendering: the Target, the includes and,
// for an integrator other than Euler, a comment that jNeuroML's result will
// differ by its error.
func startMass(w *bytes.Buffer, exp *ast.BrainExperiment, p *ir.Brain) *Document {
	doc := &Document{SimulationID: "sim_" + simName(exp.File)}
	w.WriteString("<Lems>\n")
	fmt.Fprintf(w, "  <Target component=%s/>\n", attr(doc.SimulationID))
	for _, inc := range Includes {
		fmt.Fprintf(w, "  <Include file=%s/>\n", attr(inc))
	}
	if method := strings.ToLower(p.Method); method != "euler" {
		fmt.Fprintf(w, "  <!-- The experiment integrates with %s; jNeuroML integrates every LEMS file with forward Euler, so its result differs from the binary's by the integrator's error. -->\n", p.Method)
	}
	return doc
}

// finishMass writes the network (one population of the component name),
// the Simulation writing every default-recorded state of each of the nodes
// (variable names node n's copy of a state in the component, columnID its
// column's id), and finishes doc.
func finishMass(w *bytes.Buffer, doc *Document, exp *ast.BrainExperiment, p *ir.Brain, name string, nodes int,
	variable func(state string, n int) string, columnID func(x string) string) (*Document, error) {
	pop := name + "_pop"
	fmt.Fprintf(w, "  <network id=%s>\n    <population id=%s component=%s size=\"1\"/>\n  </network>\n", attr(NetworkID), attr(pop), attr(name))
	step := p.DtModel
	fmt.Fprintf(w, "  <Simulation id=%s length=%s step=%s target=%s>\n", attr(doc.SimulationID),
		attr(formatNumber(float64(p.Steps)*step)+"ms"), attr(formatNumber(step)+"ms"), attr(NetworkID))
	of := OutputFile{ID: "of0", FileName: "results/" + name + ".dat"}
	for _, rec := range p.Records {
		id, ok := rec.Value.(*expr.Ident)
		if !ok || !rec.Default || len(rec.Names) != nodes {
			continue
		}
		state := strings.TrimPrefix(id.Name, ir.StateIdent(""))
		for n := range nodes {
			x := variable(state, n)
			of.Columns = append(of.Columns, OutputColumn{ID: columnID(x), Quantity: pop + "[0]/" + x, Name: rec.Names[n]})
		}
	}
	if len(of.Columns) == 0 {
		return nil, fmt.Errorf("%s: no state variable is recorded, so the LEMS simulation would write nothing", exp.File)
	}
	doc.Outputs = []OutputFile{of}
	fmt.Fprintf(w, "    <OutputFile id=%s fileName=%s>\n", attr(of.ID), attr(of.FileName))
	for _, c := range of.Columns {
		fmt.Fprintf(w, "      <OutputColumn id=%s quantity=%s/>\n", attr(c.ID), attr(c.Quantity))
	}
	w.WriteString("    </OutputFile>\n  </Simulation>\n</Lems>\n")
	doc.XML = conditionalUses(w.Bytes())
	return doc, nil
}

// massModel is a neural-mass model with the experiment's overrides
// merged over the library's, key by key, as package brain merges them.
type massModel struct {
	name    string
	params  map[string]float64
	pOrder  []string
	derived []*ast.Derived
	inputs  []*ast.CouplingInput
	states  []*ast.MassState
}

func mergeMass(d *ast.MassModel) (*massModel, error) {
	if d == nil {
		return nil, errors.New("the experiment has no model")
	}
	m := &massModel{params: map[string]float64{}}
	layers := []*ast.MassModel{d}
	if d.IRI.Value != "" {
		lib, err := tvbo.Model(d.IRI.Value)
		if err != nil {
			return nil, err
		}
		if lib == nil {
			return nil, fmt.Errorf("%s: unknown model %q", d.IRI.Pos, d.IRI.Value)
		}
		m.name = strings.TrimPrefix(lib.IRI.Value, "tvbo:")
		layers = []*ast.MassModel{lib, d}
	}
	if d.Name.Value != "" {
		m.name = d.Name.Value
	}
	if m.name == "" {
		m.name = "model"
	}
	for _, layer := range layers {
		for _, p := range layer.Parameters {
			v := p.Value.Value
			if p.Expr != nil {
				x, err := expr.Eval(p.Expr.Node, func(n string) (float64, bool) { v, ok := m.params[n]; return v, ok })
				if err != nil {
					return nil, fmt.Errorf("%s: parameter %q: %v", p.Pos, p.Name.Value, err)
				}
				v = x
			}
			if _, known := m.params[p.Name.Value]; !known {
				m.pOrder = append(m.pOrder, p.Name.Value)
			}
			m.params[p.Name.Value] = v
		}
		for _, dv := range layer.Derived {
			m.derived = replaceByName(m.derived, dv, func(x *ast.Derived) string { return x.Name.Value })
		}
		for _, in := range layer.CouplingInputs {
			m.inputs = replaceByName(m.inputs, in, func(x *ast.CouplingInput) string { return x.Name.Value })
		}
		for _, s := range layer.States {
			merged := *s
			for _, old := range m.states {
				if old.Name.Value != s.Name.Value {
					continue
				}
				if merged.Equation == nil {
					merged.Equation = old.Equation
				}
				if merged.Initial == nil {
					merged.Initial = old.Initial
				}
				if !merged.Lo.Set {
					merged.Lo = old.Lo
				}
				if !merged.Hi.Set {
					merged.Hi = old.Hi
				}
			}
			m.states = replaceByName(m.states, &merged, func(x *ast.MassState) string { return x.Name.Value })
		}
	}
	for _, s := range m.states {
		if s.Equation == nil {
			return nil, fmt.Errorf("%s: state variable %q has no equation", s.Pos, s.Name.Value)
		}
	}
	return m, nil
}

// replaceByName replaces the entry of x's name, or appends x.
func replaceByName[T any](list []T, x T, name func(T) string) []T {
	for i, y := range list {
		if name(y) == name(x) {
			list[i] = x
			return list
		}
	}
	return append(list, x)
}

// writeBounds writes state s's boundaries as OnConditions on variable x
// (its name in the component): below lo it becomes lo, above hi hi.
func writeBounds(w *strings.Builder, s *ast.MassState, x string) {
	if s.Lo.Set {
		fmt.Fprintf(w, "      <OnCondition test=%s>\n        <StateAssignment variable=%s value=%s/>\n      </OnCondition>\n",
			attr(x+" .lt. "+formatNumber(s.Lo.Value)), attr(x), attr(formatNumber(s.Lo.Value)))
	}
	if s.Hi.Set {
		fmt.Fprintf(w, "      <OnCondition test=%s>\n        <StateAssignment variable=%s value=%s/>\n      </OnCondition>\n",
			attr(x+" .gt. "+formatNumber(s.Hi.Value)), attr(x), attr(formatNumber(s.Hi.Value)))
	}
}
