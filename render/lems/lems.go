// Package lems renders an experiment as a LEMS simulation file, the way
// TVBO renders it for jNeuroML: a <Target>, the includes of the NeuroML
// core types, one component per network dynamics (attributes in the YAML's
// own units), a <network> with one population per cell dynamics, one
// explicitInput per input edge (inputList/inputW when the edge has a
// weight) and a projection per group of synapse edges (network.go), and
// a <Simulation> that writes every state variable of every recorded cell.
// Types with children (blockingPlasticSynapse, compoundInput, ion
// channels and gates) nest their children as NeuroML does; conductance-
// based cells are written as NeuroML cells (cells.go), with their
// concentration models as <species>, GHK and Nernst channels as
// channelDensityGHK / channelDensityNernst, TVBO's tissue_* temperature
// as NeuroML Ex17's tissueWithVaryingTemperature around the network, and
// rate types of the experiment's own as ComponentTypes (custom.go).
// Hierarchical cells written with extends: get a ComponentType per level
// (extends.go). A single-node neural-mass experiment renders as a
// ComponentType of the model in a population of one (RenderBrain,
// brain.go), a network of nodes as one ComponentType holding every node
// (brainnet.go). Population networks of NeuroML cells render cell by cell
// from the network their binary draws (popexpand.go); populations written
// as equations are refused with the reason (population.go).
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
	"errors"
	"fmt"
	"math"
	"path/filepath"
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

// pynnTypes are the core types defined in PyNN.xml, which the core
// includes do not pull in.
var pynnTypes = map[string]bool{"IF_curr_alpha": true, "IF_curr_exp": true, "IF_cond_alpha": true, "IF_cond_exp": true,
	"EIF_cond_exp_isfa_ista": true, "EIF_cond_alpha_isfa_ista": true, "HH_cond_exp": true, "expCondSynapse": true,
	"expCurrSynapse": true, "alphaCondSynapse": true, "alphaCurrSynapse": true, "SpikeSourcePoisson": true}

// includes are the Includes, plus PyNN.xml when a PyNN type is used.
func (r *renderer) includes() []string {
	out := append([]string(nil), Includes...)
	uses := func(iri string) bool { return pynnTypes[strings.TrimPrefix(iri, "neuroml:")] }
	pynn := false
	for _, t := range r.m.Types {
		pynn = pynn || r.inUse(t) && uses(t.IRI)
	}
	if r.exp.Network != nil {
		for _, e := range r.exp.Network.Edges {
			pynn = pynn || pynnTypes[e.Coupling.Value]
		}
		for _, d := range r.exp.Network.Dynamics {
			pynn = pynn || uses(d.IRI.Value)
		}
	}
	if pynn {
		out = append(out, "PyNN.xml")
	}
	return out
}

// NetworkID is the id of the rendered network.
const NetworkID = "net1"

// Render renders a resolved experiment. exp must be the tree m was
// resolved from.
func Render(exp *ast.Experiment, m *resolve.Model) (*Document, error) {
	if exp == nil || m == nil {
		return nil, errors.New("lems: Render needs the experiment and its resolved model (population and whole-brain experiments have neither; see RenderPopulation, RenderBrain and ErrWholeBrain)")
	}
	r := &renderer{exp: exp, m: m, defs: map[string]*ast.Dynamics{}}
	return r.render()
}

type renderer struct {
	exp  *ast.Experiment
	m    *resolve.Model
	defs map[string]*ast.Dynamics // dynamics by type name, as written
	b    bytes.Buffer
	// timeUnit is the experiment's time_scale symbol ("ms" by default).
	timeUnit string
	// real holds the nodes the YAML lists (or number_of_nodes makes);
	// resolve adds hidden ones (a synaptic input's generator, a weighted
	// input's copy, a cell's attached pulse) that LEMS expresses otherwise.
	real map[*resolve.Node]bool
	byID map[string]*resolve.Node // real nodes by id
	// used holds the types of real nodes, entries the names of the
	// experiment's dynamics (both made on first use: inUse, isNetEntry)
	used    map[*resolve.Type]bool
	entries map[string]bool
	// written holds every top-level component id already in the file.
	written map[string]bool
	// cells maps a conductance-based cell type to its rendering plan.
	cells map[*resolve.Type]*condCell
	net   *netPlan
	// customCT holds the ComponentTypes written for custom rate types,
	// by name (custom.go).
	customCT map[string]string
	// extTypes holds the ComponentTypes of hierarchical (extends:)
	// components by name; extNames and extDims give each component its
	// type's name and the dimensions of what it exposes (extends.go).
	extTypes map[string]string
	extNames map[*ast.Dynamics]string
	extDims  map[*ast.Dynamics]map[string]units.Dimension
}

func (r *renderer) render() (*Document, error) {
	r.written = map[string]bool{}
	r.cells = map[*resolve.Type]*condCell{}
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
	r.realNodes()
	for _, t := range r.m.Types {
		if !r.inUse(t) {
			continue
		}
		if flatCell(t) {
			c, err := r.planCell(t)
			if err != nil {
				return nil, err
			}
			r.cells[t] = c
		}
	}
	net, err := r.planNetwork()
	if err != nil {
		return nil, err
	}
	r.net = net

	doc := &Document{SimulationID: "sim_" + simName(r.exp.File)}
	w := &r.b
	w.WriteString("<Lems>\n")
	fmt.Fprintf(w, "  <Target component=%s/>\n", attr(doc.SimulationID))
	for _, inc := range r.includes() {
		fmt.Fprintf(w, "  <Include file=%s/>\n", attr(inc))
	}
	if err := r.components(); err != nil {
		return nil, err
	}
	if err := r.network(); err != nil {
		return nil, err
	}

	length := formatNumber(float64(r.m.Steps)*r.stepSize()) + r.timeUnit
	target := NetworkID
	if r.net.tissue != nil {
		target = TissueID
	}
	// jLEMS seeds its java.util.Random with the Simulation's seed (1234
	// without one), which the binary reproduces (lower/jrandom.go); it
	// reads the seed as a Java int.
	seed := ""
	if r.m.SeedSet {
		if r.m.Seed > math.MaxInt32 {
			return nil, fmt.Errorf("%s: seed %d: jLEMS takes a seed of at most %d (a Java int); give a smaller seed", r.seedPos(), r.m.Seed, math.MaxInt32)
		}
		seed = " seed=" + attr(strconv.FormatUint(r.m.Seed, 10))
	}
	fmt.Fprintf(w, "  <Simulation id=%s length=%s step=%s target=%s%s>\n",
		attr(doc.SimulationID), attr(length), attr(formatNumber(r.stepSize())+r.timeUnit), attr(target), seed)
	for _, p := range r.cellPopulations() {
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
	doc.XML = conditionalUses(w.Bytes())
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
			id := safeID(p.Type.Name) + "_" + safeID(s.Name)
			if len(p.Nodes) > 1 {
				id = safeID(p.Type.Name) + "_" + strconv.Itoa(n.Index) + "_" + safeID(s.Name)
			}
			path := p.Name + "[" + strconv.Itoa(n.Index) + "]/" + s.Name
			if c := r.cells[p.Type]; c != nil {
				path = c.quantity(p.Name, n.Index, s.Name)
			}
			if r.net.tissue != nil {
				path = NetworkID + "/" + path // paths start at the target, the tissue
			}
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

// seedPos is where the experiment gives its seed.
func (r *renderer) seedPos() string {
	if rs := r.exp.RandomSeed; rs.Set {
		return rs.Pos.String()
	}
	if in := r.exp.Integration; in != nil {
		for _, p := range in.Parameters {
			if p.Name.Value == "seed" {
				return p.Pos.String()
			}
		}
	}
	return r.exp.File
}
