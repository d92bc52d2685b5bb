// Package lems renders an experiment as a LEMS simulation file, the way
// TVBO renders it for jNeuroML: a <Target>, the includes of the NeuroML
// core types, one component per network dynamics (attributes in the YAML's
// own units), a <network> with one population per cell dynamics and one
// explicitInput per input edge, and a <Simulation> that writes every state
// variable of every recorded cell.
//
// Built-in NeuroML types (`iri: neuroml:<type>`) render as components of
// that core type. Dynamics written as equations render as a LEMS
// ComponentType of their own (Constants, StateVariables, TimeDerivatives,
// DerivedVariables, OnStart, OnCondition), computing in the YAML's own
// numbers exactly as the compiler does, with state variables that carry a
// unit declared in it so jNeuroML writes SI values like the simulation.
//
// The result is the reference side of tvboc's fidelity check: the file
// `tvboc reference` hands to jNeuroML. Rendering reads the syntax tree for
// the values and units as written and the resolved model for populations,
// node indices and the edges that survived resolution.
package lems

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/resolve"
	"github.com/tvboc/tvboc/compiler/units"
)

// Document is a rendered LEMS file and what it will make jNeuroML write.
type Document struct {
	// XML is the LEMS file.
	XML []byte
	// SimulationID is the Simulation component's id (the Target).
	SimulationID string
	// Outputs are the OutputFiles of the Simulation, in file order.
	Outputs []OutputFile
}

// OutputFile is one .dat file jNeuroML writes: time, then one column per
// quantity.
type OutputFile struct {
	ID       string
	FileName string // relative to the LEMS file, e.g. "results/izBurst.dat"
	Columns  []OutputColumn
}

// OutputColumn is one recorded quantity.
type OutputColumn struct {
	ID string
	// Quantity is the LEMS path jNeuroML records (`izBurst_pop[0]/v`).
	Quantity string
	// Name is the results contract's name for it, the simulation's column
	// name: the LEMS path, or the bare variable for the one node of a
	// single-node experiment.
	Name string
}

// Quantities lists the results-contract names of the file's columns, in
// column order.
func (f OutputFile) Quantities() []string {
	q := make([]string, len(f.Columns))
	for i, c := range f.Columns {
		q[i] = c.Name
	}
	return q
}

// Includes are the NeuroML core type files every rendering includes.
var Includes = []string{"Cells.xml", "Networks.xml", "Inputs.xml", "Simulation.xml"}

// NetworkID is the id of the rendered network.
const NetworkID = "net1"

// Render renders a resolved experiment. exp must be the tree m was
// resolved from.
func Render(exp *ast.Experiment, m *resolve.Model) (*Document, error) {
	r := &renderer{exp: exp, m: m, defs: map[string]*ast.Dynamics{}}
	return r.render()
}

type renderer struct {
	exp  *ast.Experiment
	m    *resolve.Model
	defs map[string]*ast.Dynamics // network dynamics by name, as written
	b    bytes.Buffer
	// timeUnit is the experiment's time_scale symbol ("ms" by default).
	timeUnit string
}

func (r *renderer) render() (*Document, error) {
	if r.exp.Dynamics != nil {
		r.defs[r.exp.Dynamics.Name.Value] = r.exp.Dynamics
	}
	if r.exp.Network != nil {
		// Network entries win over the top-level dynamics, as in resolve.
		for _, d := range r.exp.Network.Dynamics {
			r.defs[d.Name.Value] = d
		}
	}
	r.timeUnit = "ms"
	if in := r.exp.Integration; in != nil && in.TimeScale.Value != "" {
		r.timeUnit = in.TimeScale.Value
	}

	if r.exp.Network != nil {
		// Leaving a coupling out would give jNeuroML a different network
		// than the one simulated; say so instead.
		for _, e := range r.exp.Network.Edges {
			if e.Coupling.Value != "" {
				return nil, fmt.Errorf("%s: edge %s -> %s: couplings (%s) are not rendered to LEMS yet (projections and synapses are left to a later version)",
					e.Pos, e.Source.Value, e.Target.Value, e.Coupling.Value)
			}
			if len(e.Parameters) > 0 {
				return nil, fmt.Errorf("%s: edge %s -> %s: weighted inputs are not rendered to LEMS yet (inputList with inputW is left to a later version)",
					e.Pos, e.Source.Value, e.Target.Value)
			}
		}
	}
	for _, t := range r.m.Types {
		d := r.defs[t.Name]
		if t.Kind == resolve.SynapticInput || t.Kind == resolve.PointCurrent || len(t.Texts) > 0 ||
			d != nil && len(d.Components) > 0 && t.Kind != resolve.Cell {
			return nil, fmt.Errorf("%s: dynamics %q (%s) is not rendered to LEMS yet (inputs with synapses or children are left to a later version)",
				t.Pos, t.Name, t.IRI)
		}
	}
	doc := &Document{SimulationID: "sim_" + simName(r.exp.File)}
	w := &r.b
	w.WriteString("<Lems>\n")
	fmt.Fprintf(w, "  <Target component=%s/>\n", attr(doc.SimulationID))
	for _, inc := range Includes {
		fmt.Fprintf(w, "  <Include file=%s/>\n", attr(inc))
	}

	// Equation-defined dynamics need their ComponentType before use.
	order := r.componentOrder()
	for _, t := range order {
		if t.IRI == "" {
			if err := r.componentType(t); err != nil {
				return nil, err
			}
		}
	}
	for _, t := range order {
		if err := r.component(t); err != nil {
			return nil, err
		}
	}

	fmt.Fprintf(w, "  <network id=%s>\n", attr(NetworkID))
	cells := r.cellPopulations()
	for _, p := range cells {
		fmt.Fprintf(w, "    <population id=%s component=%s size=%s/>\n",
			attr(p.Name), attr(p.Type.Name), attr(strconv.Itoa(len(p.Nodes))))
	}
	for _, e := range r.inputEdges() {
		fmt.Fprintf(w, "    <explicitInput target=%s input=%s destination=\"synapses\"/>\n",
			attr(e.target.Pop.Name+"["+strconv.Itoa(e.target.Index)+"]"), attr(e.source.Type.Name))
	}
	w.WriteString("  </network>\n")

	length := formatNumber(float64(r.m.Steps)*r.stepSize()) + r.timeUnit
	fmt.Fprintf(w, "  <Simulation id=%s length=%s step=%s target=%s>\n",
		attr(doc.SimulationID), attr(length), attr(formatNumber(r.stepSize())+r.timeUnit), attr(NetworkID))
	for _, p := range cells {
		of := r.outputFile(p, len(doc.Outputs))
		if len(of.Columns) == 0 {
			continue
		}
		doc.Outputs = append(doc.Outputs, of)
		fmt.Fprintf(w, "    <OutputFile id=%s fileName=%s>\n", attr(of.ID), attr(of.FileName))
		for _, c := range of.Columns {
			fmt.Fprintf(w, "      <OutputColumn id=%s quantity=%s/>\n", attr(c.ID), attr(c.Quantity))
		}
		w.WriteString("    </OutputFile>\n")
	}
	w.WriteString("  </Simulation>\n</Lems>\n")
	if len(doc.Outputs) == 0 {
		return nil, fmt.Errorf("%s: no cell is recorded, so the LEMS simulation would write nothing", r.exp.File)
	}
	doc.XML = append([]byte(nil), w.Bytes()...)
	return doc, nil
}

// stepSize is the step in the experiment's time unit, as written.
func (r *renderer) stepSize() float64 {
	if in := r.exp.Integration; in != nil && in.StepSize.Set {
		return in.StepSize.Value
	}
	return r.m.Dt / r.m.TimeScale
}

// simName makes the simulation's id from the experiment file name:
// "ex2.yaml" gives "ex2", as TVBO's "sim_ex2".
func simName(file string) string {
	base := strings.ToLower(filepath.Base(file))
	for _, ext := range []string{".yaml", ".yml"} {
		base = strings.TrimSuffix(base, ext)
	}
	return safeID(base)
}

// safeID makes a string a valid LEMS id: letters, digits and '_', not
// starting with a digit.
func safeID(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c < 128 && (c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			b.WriteRune(c)
		} else {
			b.WriteByte('_')
		}
	}
	out := b.String()
	if out == "" || out[0] >= '0' && out[0] <= '9' {
		out = "_" + out
	}
	return out
}

// cellPopulations are the populations LEMS simulates: cells, in order of
// first appearance. Input nodes are components attached by explicitInput.
func (r *renderer) cellPopulations() []*resolve.Population {
	var out []*resolve.Population
	for _, p := range r.m.Populations {
		if p.Type.Kind == resolve.Cell {
			out = append(out, p)
		}
	}
	return out
}

type inputEdge struct{ source, target *resolve.Node }

// inputEdges are the experiment's input edges in the order written.
func (r *renderer) inputEdges() []inputEdge {
	if r.exp.Network == nil {
		return nil
	}
	byID := map[string]*resolve.Node{}
	for _, n := range r.m.Nodes {
		byID[n.ID] = n
	}
	var out []inputEdge
	for _, e := range r.exp.Network.Edges {
		src, tgt := byID[e.Source.Value], byID[e.Target.Value]
		if src == nil || tgt == nil || e.Coupling.Value != "" || src.Type.Kind != resolve.Input {
			continue
		}
		out = append(out, inputEdge{source: src, target: tgt})
	}
	return out
}

// componentOrder is TVBO's order of components: each cell dynamics, then
// the inputs whose edges target it; then any other dynamics in use.
func (r *renderer) componentOrder() []*resolve.Type {
	var order []*resolve.Type
	seen := map[string]bool{}
	add := func(t *resolve.Type) {
		if !seen[t.Name] {
			seen[t.Name] = true
			order = append(order, t)
		}
	}
	edges := r.inputEdges()
	for _, p := range r.cellPopulations() {
		add(p.Type)
		for _, e := range edges {
			if e.target.Pop == p {
				add(e.source.Type)
			}
		}
	}
	for _, t := range r.m.Types {
		add(t)
	}
	return order
}

// component writes one component: a core type element with the YAML's
// parameters as attributes, or an instance of the type's own ComponentType.
func (r *renderer) component(t *resolve.Type) error {
	if t.IRI == "" {
		fmt.Fprintf(&r.b, "  <%s id=%s/>\n", typeName(t), attr(t.Name))
		return nil
	}
	coreType, ok := strings.CutPrefix(t.IRI, "neuroml:")
	if !ok {
		return fmt.Errorf("%s: dynamics %q: iri %q is not a NeuroML type, so it has no LEMS component", t.Pos, t.Name, t.IRI)
	}
	def := r.defs[t.Name]
	var params []*ast.Parameter
	if def != nil {
		params = append(params, def.Parameters...)
	}
	// Attributes in name order: TVBO's rendering and a stable diff.
	sort.SliceStable(params, func(i, j int) bool { return params[i].Name.Value < params[j].Name.Value })
	fmt.Fprintf(&r.b, "  <%s id=%s", coreType, attr(t.Name))
	for _, p := range params {
		if !p.Value.Set {
			return fmt.Errorf("%s: parameter %q of %s: only numbers render as LEMS attributes, not expressions", p.Pos, p.Name.Value, t.Name)
		}
		v := formatNumber(p.Value.Value)
		if u := strings.TrimSpace(p.Unit.Value); u != "" {
			v += " " + nmlUnit(u)
		}
		fmt.Fprintf(&r.b, " %s=%s", p.Name.Value, attr(v))
	}
	r.b.WriteString("/>\n")
	return nil
}

// nmlUnit maps TVBO's unit names to NeuroML symbols where they differ.
func nmlUnit(u string) string {
	if u == "mmol_per_m3" {
		return "mM"
	}
	return u
}

// outputFile lists every state variable of every recorded node of a
// population. Column ids follow TVBO: "<dynamics>_<variable>", with the
// node index in between when the population has more than one node.
func (r *renderer) outputFile(p *resolve.Population, k int) OutputFile {
	of := OutputFile{ID: "of" + strconv.Itoa(k), FileName: "results/" + safeID(p.Type.Name) + ".dat"}
	for _, n := range p.Nodes {
		if !n.Record {
			continue
		}
		for _, s := range n.Type.States {
			id := safeID(p.Type.Name) + "_" + s.Name
			if len(p.Nodes) > 1 {
				id = safeID(p.Type.Name) + "_" + strconv.Itoa(n.Index) + "_" + s.Name
			}
			path := p.Name + "[" + strconv.Itoa(n.Index) + "]/" + s.Name
			of.Columns = append(of.Columns, OutputColumn{ID: id, Quantity: path, Name: n.Quantity(s.Name)})
		}
	}
	return of
}

// attr quotes an attribute value with XML escaping.
func attr(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\n':
			b.WriteString("&#10;")
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// dimensionName is the LEMS dimension of a unit symbol ("voltage" for
// "mV"), or an error when NeuroML has no name for it.
func dimensionName(symbol string) (string, units.Unit, error) {
	u, err := units.Parse(symbol)
	if err != nil {
		return "", u, err
	}
	name := u.Dim.String()
	if _, ok := units.DimensionByName(name); !ok {
		return "", u, fmt.Errorf("unit %q has dimension %s, which NeuroML has no name for", symbol, name)
	}
	return name, u, nil
}
