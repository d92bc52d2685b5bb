package lems

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/library"
	"github.com/tvboc/tvboc/compiler/resolve"
	"github.com/tvboc/tvboc/compiler/units"
)

// Conductance-based cells, written as NeuroML writes them
// (NML2_SingleCompHHCell.nml): every ion channel a top-level component
// (<ionChannelHH id="na" conductance="10 pS"> with its gates and rates as
// children), then the cell placing them:
//
//   - pointCellCondBased: <channelPopulation id ionChannel number erev>
//     children;
//   - cell: one segment (proximal and distal points, diameter in um) and
//     biophysicalProperties with a <channelDensity id ionChannel
//     condDensity erev ion> per channel, spikeThresh, specificCapacitance,
//     initMembPotential and, when given, the resistivity.
//
// A channel's placement values (number, erev, condDensity, ion) go on
// the placement, everything else on the channel. TVBO's conveniences:
// pulse_delay/pulse_duration/I_amp become a pulseGenerator
// "<cell>_pulse" with an explicitInput per cell, network_temperature the
// network's temperature.

// condCell is the rendering plan of one conductance-based cell type.
type condCell struct {
	def   *ast.Dynamics
	point bool
	// custom: the cell and its parts are extends: types of the
	// experiment's own (extends.go).
	custom   bool
	channels []cellChannel
	// attached are the current inputs the cell carries (TVBO's pulse_*,
	// or input components of the cell), one explicitInput per cell.
	attached    []*ast.Dynamics
	temperature string
	// pools are the cell's concentration models: each a top-level
	// component and a <species> of the cell (NML2 Ex15, Ex18).
	pools []cellPool
	// tissue is TVBO's tissue_* temperature step, nil when absent.
	tissue *tissue
}

// cellPool is a concentration model of a cell and the species it models.
type cellPool struct {
	key string // the component's name in the cell: tvboc's path prefix
	id  string // the concentration model component id
	ion string
	def *ast.Dynamics
}

// tissue is NeuroML Ex17's tissueWithVaryingTemperature: the temperature
// starts at start and becomes end once t passes change. Values as written.
type tissue struct {
	start, end, change string
}

type cellChannel struct {
	key string // the component's name in the cell: tvboc's path prefix
	id  string // the ionChannel component id
	def *ast.Dynamics
	// placement is the element that puts the channel in the cell:
	// channelPopulation, channelDensity, channelDensityGHK (a GHK
	// current: permeability, no erev) or channelDensityNernst (erev from
	// the ion's concentrations: no erev).
	placement string
}

// placementParams are the channel parameters that belong to the cell's
// channelPopulation or channelDensity.
var placementParams = map[string]bool{"number": true, "erev": true, "condDensity": true, "permeability": true, "ion": true, "segmentGroup": true}

// speciesParams are the concentration model parameters that belong to the
// cell's <species>, not to the model component.
var speciesParams = map[string]bool{"species": true, "initialConcentration": true, "initialExtConcentration": true}

// tissueParams are TVBO's tissue temperature step, with the
// tissueWithVaryingTemperature parameter each becomes.
var tissueParams = [][2]string{{"tissue_startTemperature", "startTemperature"},
	{"tissue_endTemperature", "endTemperature"}, {"tissue_changeTime", "changeTime"}}

// tvboCellParams are TVBO's cell conveniences: not NeuroML attributes.
var tvboCellParams = map[string]bool{"pulse_delay": true, "pulse_duration": true, "I_amp": true, "network_temperature": true,
	"tissue_startTemperature": true, "tissue_endTemperature": true, "tissue_changeTime": true}

// flatCell reports whether a type is a conductance-based NeuroML cell.
func flatCell(t *resolve.Type) bool {
	return t.IRI == library.Prefix+"pointCellCondBased" || t.IRI == library.Prefix+"cell" || extendsBase(t.IRI) != ""
}

// typeBases lists the types a component's iri names and extends: a
// NeuroML type's chain, or the chain of the base an extends: iri names.
func typeBases(iri string) map[string]bool {
	if base := extendsBase(iri); base != "" {
		return libBases(library.Prefix + base)
	}
	return libBases(iri)
}

// libBases lists a library type and every type it extends.
func libBases(iri string) map[string]bool {
	out := map[string]bool{}
	name := strings.TrimPrefix(iri, library.Prefix)
	for k := 0; name != "" && k < 16; k++ {
		out[name] = true
		d, ok, _ := library.Lookup(library.Prefix + name)
		if !ok {
			break
		}
		name = d.Extends.Value
	}
	return out
}

// planCell checks what of a cell LEMS can be given and names its parts.
func (r *renderer) planCell(t *resolve.Type) (*condCell, error) {
	def := r.defs[t.Name]
	if def == nil {
		return nil, fmt.Errorf("%s: dynamics %q: no definition to render", t.Pos, t.Name)
	}
	custom := extendsBase(t.IRI) != ""
	if custom && extendsBase(t.IRI) != "baseCellMembPot" {
		return nil, fmt.Errorf("%s: dynamics %q (%s): a hierarchical cell is rendered to LEMS only when it extends baseCellMembPot", t.Pos, t.Name, t.IRI)
	}
	// a hierarchical cell places its channels by number, as
	// pointCellCondBased does (the compiler's flattening agrees)
	c := &condCell{def: def, point: t.IRI == library.Prefix+"pointCellCondBased" || custom, custom: custom}
	if paramNamed(def, "tissue_startTemperature") != nil {
		var vals [3]string
		for i, pair := range tissueParams {
			p := paramNamed(def, pair[0])
			if p == nil {
				return nil, fmt.Errorf("%s: cell %q: a tissue temperature needs %s", def.Pos, t.Name, pair[0])
			}
			v, err := paramValue(p, t.Name)
			if err != nil {
				return nil, err
			}
			vals[i] = v
		}
		c.tissue = &tissue{start: vals[0], end: vals[1], change: vals[2]}
	}
	for _, p := range def.Parameters {
		switch {
		case p.Name.Value == "network_temperature":
			v, err := paramValue(p, t.Name)
			if err != nil {
				return nil, err
			}
			c.temperature = v
		}
	}
	if p := paramNamed(def, "I_amp"); p != nil {
		pulse := &ast.Dynamics{Pos: p.Pos, Name: ast.Str{Value: t.Name + "_pulse", Pos: p.Pos},
			IRI: ast.Str{Value: library.Prefix + "pulseGenerator", Pos: p.Pos}}
		for _, pair := range [][2]string{{"pulse_delay", "delay"}, {"pulse_duration", "duration"}, {"I_amp", "amplitude"}} {
			if q := paramNamed(def, pair[0]); q != nil {
				cp := *q
				cp.Name = ast.Str{Value: pair[1], Pos: q.Name.Pos}
				pulse.Parameters = append(pulse.Parameters, &cp)
			}
		}
		c.attached = append(c.attached, pulse)
	}
	for _, child := range def.Components {
		bases := typeBases(child.IRI.Value)
		lib, _, _ := library.Lookup(child.IRI.Value)
		switch {
		case bases["baseIonChannel"]:
			// the compiler accepted the cell, so a GHK or Nernst channel
			// has the concentration model it needs
			placement := "channelDensity"
			switch {
			case c.point:
				placement = "channelPopulation"
			case paramNamed(child, "permeability") != nil:
				placement = "channelDensityGHK"
			case paramNamed(child, "erev") == nil:
				placement = "channelDensityNernst"
			}
			c.channels = append(c.channels, cellChannel{key: child.Name.Value, id: r.topID(t.Name, child.Name.Value), def: child, placement: placement})
		case bases["concentrationModel"]:
			ion := textOf(paramNamed(child, "ion"))
			if ion == "" {
				ion = textOf(paramNamed(child, "species"))
			}
			if ion == "" {
				ion = "ca" // the compiler's default, NeuroML's only hard-coded ion
			}
			c.pools = append(c.pools, cellPool{key: child.Name.Value, id: r.topID(t.Name, child.Name.Value), ion: ion, def: child})
		case lib != nil && lib.Kind.Value == string(resolve.Input):
			a := *child
			a.Name = ast.Str{Value: t.Name + "_" + child.Name.Value, Pos: child.Name.Pos}
			c.attached = append(c.attached, &a)
		default:
			return nil, fmt.Errorf("%s: component %q (%s) of cell %q is not rendered to LEMS yet (concentration models and other cell parts are left to a later version)",
				child.Pos, child.Name.Value, child.IRI.Value, t.Name)
		}
	}
	return c, nil
}

// topID is the top-level id of a cell part (channel, concentration
// model): its name, or <cell>_<name> when that is taken.
func (r *renderer) topID(cell, name string) string {
	if r.defs[name] != nil || r.written[name] || r.partTaken(name) {
		return cell + "_" + name
	}
	return name
}

// partTaken reports whether a planned cell already uses id for a part.
func (r *renderer) partTaken(id string) bool {
	for _, c := range r.cells {
		for _, ch := range c.channels {
			if ch.id == id {
				return true
			}
		}
		for _, p := range c.pools {
			if p.id == id {
				return true
			}
		}
	}
	return false
}

// writeCell writes a conductance-based cell's channels and the cell.
func (r *renderer) writeCell(t *resolve.Type, c *condCell) error {
	if c.custom {
		return r.writeExtCell(t.Name, c)
	}
	for _, ch := range c.channels {
		if r.written[ch.id] {
			continue
		}
		r.written[ch.id] = true
		if err := r.customTypes(ch.def, ch.id); err != nil {
			return err
		}
		core := strings.TrimPrefix(ch.def.IRI.Value, library.Prefix)
		if err := r.element(1, core, []string{"id", ch.id}, ch.def, placementParams); err != nil {
			return err
		}
	}
	for _, p := range c.pools {
		if r.written[p.id] {
			continue
		}
		r.written[p.id] = true
		core := strings.TrimPrefix(p.def.IRI.Value, library.Prefix)
		if err := r.element(1, core, []string{"id", p.id}, p.def, speciesParams); err != nil {
			return err
		}
	}
	r.written[t.Name] = true
	w := &r.b
	skip := map[string]bool{}
	for k := range tvboCellParams {
		skip[k] = true
	}
	if c.point {
		attrs, err := r.paramAttrs(c.def, skip)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  <pointCellCondBased id=%s", attr(t.Name))
		for i := 0; i+1 < len(attrs); i += 2 {
			fmt.Fprintf(w, " %s=%s", attrs[i], attr(attrs[i+1]))
		}
		w.WriteString(">\n")
		for _, ch := range c.channels {
			fmt.Fprintf(w, "    <channelPopulation id=%s ionChannel=%s", attr(ch.key), attr(ch.id))
			if err := r.placement(ch, []string{"number", "erev", "ion", "segmentGroup"}); err != nil {
				return err
			}
			w.WriteString("/>\n")
		}
		w.WriteString("  </pointCellCondBased>\n")
		return nil
	}
	val := func(name string) (string, error) {
		if name == "initMembPotential" && paramNamed(c.def, name) == nil {
			name = "v0" // TVBO's other spelling
		}
		p := paramNamed(c.def, name)
		if p == nil {
			return "", nil
		}
		return paramValue(p, t.Name)
	}
	for _, p := range c.def.Parameters {
		switch p.Name.Value {
		case "diameter", "length", "specificCapacitance", "initMembPotential", "v0", "spikeThresh", "resistivity":
		default:
			if !tvboCellParams[p.Name.Value] {
				return fmt.Errorf("%s: parameter %q of cell %q has no place in a NeuroML cell", p.Pos, p.Name.Value, t.Name)
			}
		}
	}
	diam, err := micrometres(paramNamed(c.def, "diameter"))
	if err != nil {
		return err
	}
	length := 0.0
	if p := paramNamed(c.def, "length"); p != nil {
		if length, err = micrometres(p); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "  <cell id=%s>\n", attr(t.Name))
	fmt.Fprintf(w, "    <morphology id=%s>\n", attr("morph_"+safeID(t.Name)))
	w.WriteString("      <segment id=\"0\" name=\"soma\">\n")
	// no length: NeuroML's one-point soma, a sphere of that diameter
	// (proximal = distal), as the compiler reads it
	fmt.Fprintf(w, "        <proximal x=\"0\" y=\"0\" z=\"0\" diameter=%s/>\n", attr(formatNumber(diam)))
	fmt.Fprintf(w, "        <distal x=\"0\" y=%s z=\"0\" diameter=%s/>\n", attr(formatNumber(length)), attr(formatNumber(diam)))
	w.WriteString("      </segment>\n    </morphology>\n")
	fmt.Fprintf(w, "    <biophysicalProperties id=%s>\n", attr("biophys_"+safeID(t.Name)))
	w.WriteString("      <membraneProperties>\n")
	for _, ch := range c.channels {
		fmt.Fprintf(w, "        <%s id=%s ionChannel=%s", ch.placement, attr(ch.key), attr(ch.id))
		names := []string{"condDensity", "erev", "ion", "segmentGroup"}
		if ch.placement == "channelDensityGHK" {
			names = []string{"permeability", "ion", "segmentGroup"}
		}
		if err := r.placement(ch, names); err != nil {
			return err
		}
		if paramNamed(ch.def, "ion") == nil {
			ion := "non_specific"
			if s := textOf(paramNamed(ch.def, "species")); s != "" && ch.placement != "channelDensity" {
				ion = s // GHK and Nernst need the ion; TVBO may name it species
			}
			fmt.Fprintf(w, " ion=%s", attr(ion))
		}
		w.WriteString("/>\n")
	}
	for _, name := range []string{"spikeThresh", "specificCapacitance", "initMembPotential"} {
		v, err := val(name)
		if err != nil {
			return err
		}
		if v == "" {
			return fmt.Errorf("%s: cell %q has no %s", c.def.Pos, t.Name, name)
		}
		fmt.Fprintf(w, "        <%s value=%s/>\n", name, attr(v))
	}
	w.WriteString("      </membraneProperties>\n      <intracellularProperties>\n")
	for _, p := range c.pools {
		fmt.Fprintf(w, "        <species id=%s ion=%s concentrationModel=%s", attr(p.ion), attr(p.ion), attr(p.id))
		for _, name := range []string{"initialConcentration", "initialExtConcentration"} {
			q := paramNamed(p.def, name)
			if q == nil {
				return fmt.Errorf("%s: concentration model %q of cell %q has no %s", p.def.Pos, p.key, t.Name, name)
			}
			v, err := paramValue(q, p.key)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, " %s=%s", name, attr(v))
		}
		w.WriteString("/>\n")
	}
	if v, err := val("resistivity"); err != nil {
		return err
	} else if v != "" {
		fmt.Fprintf(w, "        <resistivity value=%s/>\n", attr(v))
	}
	w.WriteString("      </intracellularProperties>\n    </biophysicalProperties>\n  </cell>\n")
	return nil
}

// placement writes a channel's placement attributes in the given order.
func (r *renderer) placement(ch cellChannel, names []string) error {
	for _, n := range names {
		p := paramNamed(ch.def, n)
		if p == nil {
			continue
		}
		v, err := paramValue(p, ch.key)
		if err != nil {
			return err
		}
		fmt.Fprintf(&r.b, " %s=%s", n, attr(v))
	}
	return nil
}

// micrometres reads a morphology length: um when no unit is written
// (NeuroML morphologies), converted from the unit otherwise.
func micrometres(p *ast.Parameter) (float64, error) {
	if p == nil || !p.Value.Set {
		return 0, fmt.Errorf("a NeuroML cell needs a diameter (a number, in um)")
	}
	u := strings.TrimSpace(p.Unit.Value)
	if u == "" {
		return p.Value.Value, nil
	}
	parsed, err := units.Parse(u)
	if err != nil {
		return 0, fmt.Errorf("%s: %v", p.Pos, err)
	}
	return parsed.ToSI(p.Value.Value) * 1e6, nil
}

// quantity is the LEMS path of a flattened cell's variable, as jNeuroML
// names it. A channel's variables live in its placement and the channel
// component: na/m/q is <pop>[i]/na/na/m/q in a pointCellCondBased and
// <pop>[i]/biophys_<cell>/membraneProperties/na/na/m/q in a cell (NML2
// Ex15's paths). A calcium pool's concentrations are the cell's caConc
// and caConcExt; another ion's are reached through its species.
func (c *condCell) quantity(pop string, index int, variable string) string {
	prefix := pop + "[" + strconv.Itoa(index) + "]/"
	key, rest, ok := strings.Cut(variable, "/")
	if !ok {
		return prefix + variable
	}
	for _, ch := range c.channels {
		if ch.key == key {
			if c.point {
				return prefix + key + "/" + ch.id + "/" + rest
			}
			return prefix + "biophys_" + safeID(c.def.Name.Value) + "/membraneProperties/" + key + "/" + ch.id + "/" + rest
		}
	}
	for _, p := range c.pools {
		if p.key != key {
			continue
		}
		switch {
		case p.ion == "ca" && rest == "concentration":
			return prefix + "caConc"
		case p.ion == "ca" && rest == "extConcentration":
			return prefix + "caConcExt"
		}
		return prefix + "biophys_" + safeID(c.def.Name.Value) + "/intracellularProperties/" + p.ion + "/" + p.id + "/" + rest
	}
	return prefix + variable
}
