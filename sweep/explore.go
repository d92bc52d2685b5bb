package sweep

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// Exploration is one entry of a TVBO experiment's explorations section:
// parameters and the values each takes, combined as a grid (product) or
// side by side (zip).
//
//	explorations:
//	  drive:
//	    mode: product            # or zip; default product
//	    space:
//	      izBurst.a: {explored_values: [0.02, 0.03]}
//	      d:                     # the key, or parameter: NAME, names it
//	        parameter: izBurst.d
//	        domain: {lo: 2, hi: 8, n: 4, log_scale: false}
//
// Values are in the unit the parameter is written in in the experiment,
// as for --set.
type Exploration struct {
	Name string
	Line int
	Mode string // "product" or "zip"
	Axes []Axis
}

// Axis is one explored parameter.
type Axis struct {
	Parameter string // as written: "izBurst.a", or a bare name the compiler resolves
	Line, Col int    // of the parameter's name
	Values    []float64
}

// MaxSets bounds the sets of one exploration: every set is a run, and the
// sets are listed in memory and in the sweep file before the first runs.
const MaxSets = 1000000

// Explorations reads the explorations section of an experiment file; an
// experiment without one has none. file names it in messages.
func Explorations(file string, data []byte) ([]Exploration, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, nil
		}
		return nil, fmt.Errorf("%s: malformed YAML: %v", file, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil
	}
	at := func(n *yaml.Node, format string, args ...any) error {
		return fmt.Errorf("%s:%d:%d: %s", file, n.Line, n.Column, fmt.Sprintf(format, args...))
	}
	out, err := explorationsSection(file, doc.Content[0], at)
	if err != nil {
		return nil, err
	}
	implicit, err := parameterExploration(doc.Content[0], at)
	if err != nil || implicit == nil {
		return out, err
	}
	for _, e := range out {
		if e.Name == implicit.Name {
			return nil, at(mapValue(doc.Content[0], "explorations"), "an exploration may not be named %q: that name is the one of the model parameters' own explored_values", implicit.Name)
		}
	}
	return append(out, *implicit), nil
}

// ParameterExplorationName names the exploration a model's parameters
// make with their own explored_values.
const ParameterExplorationName = "explored_values"

// ExploredParameters returns the key nodes of the explored_values that
// make the parameter exploration (parameterExploration) of a document's
// root, in document order.
func ExploredParameters(root *yaml.Node) []*yaml.Node {
	var keys []*yaml.Node
	for _, p := range exploredParams(root) {
		keys = append(keys, p.key)
	}
	return keys
}

// exploredParam is a parameter that carries explored_values: its name,
// the explored_values key and the list.
type exploredParam struct {
	name        string
	key, values *yaml.Node
}

// exploredParams lists the parameters with explored_values of a model
// file (top-level parameters) and of an experiment's dynamics or model,
// in document order, written as a mapping by name or as a LinkML list
// (- name: C ... or - C: {...}). Elsewhere explored_values documents and
// does nothing.
func exploredParams(root *yaml.Node) []exploredParam {
	var out []exploredParam
	add := func(name string, spec *yaml.Node) {
		if spec.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(spec.Content); i += 2 {
			if spec.Content[i].Value == "explored_values" {
				out = append(out, exploredParam{name: name, key: spec.Content[i], values: spec.Content[i+1]})
			}
		}
	}
	for _, params := range []*yaml.Node{mapValue(root, "parameters"),
		mapPath(root, "dynamics", "parameters"), mapPath(root, "model", "parameters")} {
		if params == nil {
			continue
		}
		switch params.Kind {
		case yaml.MappingNode: // name: {value: ..., explored_values: [...]}
			for i := 0; i+1 < len(params.Content); i += 2 {
				add(params.Content[i].Value, params.Content[i+1])
			}
		case yaml.SequenceNode:
			for _, item := range params.Content {
				if item.Kind != yaml.MappingNode {
					continue
				}
				if n := mapValue(item, "name"); n != nil { // - name: C
					add(n.Value, item)
				} else if len(item.Content) == 2 { // - C: {...}
					add(item.Content[0].Value, item.Content[1])
				}
			}
		}
	}
	return out
}

// parameterExploration is the exploration of a model's parameters that
// carry explored_values (TVBO writes C: {value: 135, explored_values:
// [68, 128, ...]}): every such parameter an axis, combined as a product,
// named ParameterExplorationName; nil when no parameter has them.
func parameterExploration(root *yaml.Node, at func(*yaml.Node, string, ...any) error) (*Exploration, error) {
	params := exploredParams(root)
	if len(params) == 0 {
		return nil, nil
	}
	e := &Exploration{Name: ParameterExplorationName, Line: params[0].key.Line, Mode: "product"}
	sets := 1.0
	for _, p := range params {
		values, err := numbers(p.values, at)
		if err == nil && len(values) == 0 {
			err = at(p.key, "%s: explored_values lists no values", p.name)
		}
		if err != nil {
			return nil, err
		}
		e.Axes = append(e.Axes, Axis{Parameter: p.name, Line: p.key.Line, Col: p.key.Column, Values: values})
		sets *= float64(len(values))
	}
	if sets > MaxSets {
		return nil, at(params[0].key, "the parameters' explored_values make %.4g sets, more than the limit of %d: explore fewer values", sets, MaxSets)
	}
	return e, nil
}

// mapPath follows keys from m through nested mappings.
func mapPath(m *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if m == nil {
			return nil
		}
		m = mapValue(m, k)
	}
	return m
}

// explorationsSection reads a root's explorations section.
func explorationsSection(file string, root *yaml.Node, at func(*yaml.Node, string, ...any) error) ([]Exploration, error) {
	section := mapValue(root, "explorations")
	if section == nil {
		return nil, nil
	}
	if section.Kind != yaml.MappingNode {
		return nil, at(section, "explorations must be a mapping of named explorations")
	}
	var out []Exploration
	for i := 0; i+1 < len(section.Content); i += 2 {
		key, body := section.Content[i], section.Content[i+1]
		e := Exploration{Name: key.Value, Line: key.Line, Mode: "product"}
		if body.Kind != yaml.MappingNode {
			return nil, at(body, "exploration %q must be a mapping with a space", e.Name)
		}
		if mode := mapValue(body, "mode"); mode != nil {
			if mode.Value != "product" && mode.Value != "zip" {
				return nil, at(mode, "exploration %q: mode %q: want product or zip", e.Name, mode.Value)
			}
			e.Mode = mode.Value
		}
		space := mapValue(body, "space")
		if space == nil || space.Kind != yaml.MappingNode || len(space.Content) == 0 {
			return nil, at(body, "exploration %q has no space: list the parameters and their values under space", e.Name)
		}
		axisAt := map[string]*yaml.Node{}
		for j := 0; j+1 < len(space.Content); j += 2 {
			name, spec := space.Content[j], space.Content[j+1]
			if first, twice := axisAt[name.Value]; twice {
				return nil, at(name, "exploration %q names %s twice (first at line %d): give each parameter once", e.Name, name.Value, first.Line)
			}
			axisAt[name.Value] = name
			axis, err := readAxis(name, spec, at)
			if err != nil {
				return nil, err
			}
			e.Axes = append(e.Axes, axis)
		}
		if e.Mode == "product" {
			sets, sizes := 1.0, []string{}
			for _, a := range e.Axes {
				sets *= float64(len(a.Values))
				sizes = append(sizes, strconv.Itoa(len(a.Values)))
			}
			if sets > MaxSets {
				return nil, at(key, "exploration %q is a product of %s values, %.4g sets, more than the limit of %d sets: explore fewer values, or zip the axes (mode: zip)", e.Name, strings.Join(sizes, " x "), sets, MaxSets)
			}
		}
		if e.Mode == "zip" {
			for _, a := range e.Axes[1:] {
				if len(a.Values) != len(e.Axes[0].Values) {
					return nil, fmt.Errorf("%s:%d:%d: exploration %q zips %s (%d values) with %s (%d values): zip needs equal lengths",
						file, a.Line, a.Col, e.Name, e.Axes[0].Parameter, len(e.Axes[0].Values), a.Parameter, len(a.Values))
				}
			}
		}
		out = append(out, e)
	}
	return out, nil
}

func readAxis(name, spec *yaml.Node, at func(*yaml.Node, string, ...any) error) (Axis, error) {
	axis := Axis{Parameter: name.Value, Line: name.Line, Col: name.Column}
	if spec.Kind == yaml.SequenceNode { // a: [0.02, 0.03]
		values, err := numbers(spec, at)
		axis.Values = values
		return axis, err
	}
	if spec.Kind != yaml.MappingNode {
		return axis, at(spec, "%s: want explored_values: [...] or domain: {lo, hi, n}", name.Value)
	}
	if p := mapValue(spec, "parameter"); p != nil && p.Value != "" {
		axis.Parameter = p.Value
	}
	list, values := mapValue(spec, "explored_values"), mapValue(spec, "values")
	if list != nil && values != nil {
		return axis, at(values, "%s: give explored_values or values, not both: one would be ignored", name.Value)
	}
	if list == nil {
		list = values
	}
	if d := mapValue(spec, "domain"); list != nil && d != nil {
		// the domain was dropped without a word
		return axis, at(d, "%s: give a list of values or a domain, not both: the domain would be ignored", name.Value)
	}
	if list != nil {
		values, err := numbers(list, at)
		axis.Values = values
		if err == nil && len(values) == 0 {
			err = at(list, "%s: no values", name.Value)
		}
		return axis, err
	}
	domain := mapValue(spec, "domain")
	if domain == nil || domain.Kind != yaml.MappingNode {
		return axis, at(spec, "%s: want explored_values: [...] or domain: {lo, hi, n}", name.Value)
	}
	get := func(key string) (float64, bool, error) {
		n := mapValue(domain, key)
		if n == nil {
			return 0, false, nil
		}
		v, err := strconv.ParseFloat(n.Value, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, true, at(n, "%s: domain %s %q is not a finite number", name.Value, key, n.Value)
		}
		return v, true, nil
	}
	lo, okLo, err1 := get("lo")
	hi, okHi, err2 := get("hi")
	n, okN, err3 := get("n")
	for _, err := range []error{err1, err2, err3} {
		if err != nil {
			return axis, err
		}
	}
	if !okLo || !okHi || !okN {
		return axis, at(domain, "%s: a domain needs lo, hi and n", name.Value)
	}
	if n < 1 || n != math.Trunc(n) || n > 1e6 {
		return axis, at(domain, "%s: domain n = %v: want a whole number from 1 to 1000000", name.Value, n)
	}
	logScale := false
	if l := mapValue(domain, "log_scale"); l != nil {
		logScale = l.Value == "true"
	}
	if logScale && (lo <= 0 || hi <= 0) {
		return axis, at(domain, "%s: a log-scale domain needs lo and hi above 0", name.Value)
	}
	axis.Values = spaced(lo, hi, int(n), logScale)
	return axis, nil
}

// spaced returns n values from lo to hi inclusive, evenly spaced (like
// numpy.linspace) or evenly spaced in the logarithm (numpy.geomspace).
func spaced(lo, hi float64, n int, logScale bool) []float64 {
	if n == 1 {
		return []float64{lo}
	}
	values := make([]float64, n)
	for i := range n {
		f := float64(i) / float64(n-1)
		if logScale {
			values[i] = math.Exp(math.Log(lo) + f*(math.Log(hi)-math.Log(lo)))
		} else if width := hi - lo; !math.IsInf(width, 0) {
			values[i] = lo + float64(i)*width/float64(n-1)
		} else {
			// a domain wider than the largest float64 (-1.7e308 to
			// 1.7e308): hi - lo would be +Inf, and every inner value too
			values[i] = lo*(1-f) + hi*f
		}
	}
	values[0], values[n-1] = lo, hi // exact ends, whatever the rounding
	return values
}

func numbers(seq *yaml.Node, at func(*yaml.Node, string, ...any) error) ([]float64, error) {
	if seq.Kind != yaml.SequenceNode {
		return nil, at(seq, "want a list of numbers")
	}
	var out []float64
	for _, item := range seq.Content {
		v, err := strconv.ParseFloat(item.Value, 64)
		if item.Kind != yaml.ScalarNode || err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, at(item, "%q is not a finite number", item.Value)
		}
		out = append(out, v)
	}
	return out, nil
}

func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// Sets lists the exploration's parameter sets, one value per axis: for a
// product every combination with the last axis varying fastest (as
// itertools.product), for zip the i-th value of every axis together.
func (e Exploration) Sets() [][]float64 {
	if len(e.Axes) == 0 {
		return nil
	}
	if e.Mode == "zip" {
		sets := make([][]float64, len(e.Axes[0].Values))
		for i := range sets {
			for _, a := range e.Axes {
				sets[i] = append(sets[i], a.Values[i])
			}
		}
		return sets
	}
	sets := [][]float64{{}}
	for _, a := range e.Axes {
		var next [][]float64
		for _, s := range sets {
			for _, v := range a.Values {
				next = append(next, append(append([]float64(nil), s...), v))
			}
		}
		sets = next
	}
	return sets
}

// WriteSweepCSV writes a sweep file: a header of parameter names and one
// row per set, every value at full precision.
func WriteSweepCSV(w io.Writer, names []string, sets [][]float64) error {
	out := csv.NewWriter(w)
	if err := out.Write(names); err != nil {
		return err
	}
	for _, s := range sets {
		row := make([]string, len(s))
		for i, v := range s {
			row[i] = strconv.FormatFloat(v, 'g', -1, 64)
		}
		if err := out.Write(row); err != nil {
			return err
		}
	}
	out.Flush()
	return out.Error()
}
