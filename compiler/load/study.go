package load

import (
	"fmt"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	yaml "go.yaml.in/yaml/v3"
)

// tvboPrefix begins the IRIs of TVBO's library (library/tvbo.Prefix,
// which imports this package).
const tvboPrefix = "tvbo:"

// Study loads a TVBO SimulationStudy. Errors in the study's own keys fail
// the load; an experiment's errors are kept with that experiment.
func Study(file string, data []byte) (*ast.Study, error) {
	return loadDocument(file, data, func(r *reader, root *yaml.Node) *ast.Study { return r.study(root) })
}

func (r *reader) study(n *yaml.Node) *ast.Study {
	s := &ast.Study{File: r.file, Pos: r.pos(n)}
	f, ok := r.classFields(n, "the study", secStudy)
	if !ok {
		return s
	}
	if v := f["key"]; v != nil {
		s.Key = r.str(v, "key")
	}
	if v := f["title"]; v != nil {
		s.Title = r.str(v, "title").Value
	}
	var model *ast.MassModel
	var modelNode *yaml.Node
	if v := f["model"]; v != nil {
		modelNode = v
	}
	items := []*yaml.Node{}
	if v := f["simulation_experiments"]; v != nil {
		items = r.list(v, "simulation_experiments")
		if len(items) == 0 && len(r.errs) == 0 {
			// nothing to check or build: compile "succeeded" building nothing
			r.errorf(v, "the study's simulation_experiments list is empty").Hint = "add simulation_experiments: [{id: 1, ...}]"
		}
	} else {
		r.errorf(n, "the study has no simulation_experiments").Hint = "add simulation_experiments: [{id: 1, ...}]"
	}
	if len(r.errs) > 0 {
		return s
	}
	for i, item := range items {
		// Each experiment is read by a reader of its own, so one
		// experiment's mistakes stay its own. The study's model is read
		// again for every experiment: its parameters are filled in per
		// experiment.
		er := &reader{file: r.file}
		if modelNode != nil {
			model = er.massModel(modelNode, "the study model")
			// The study model's functions serve the experiments' own
			// models too (a model derived from it uses its Sigm).
			if fn := child(modelNode, "functions"); fn != nil {
				er.funcs = (&reader{file: r.file}).userFunctions(fn, "the study model")
			}
		}
		se := er.studyExperiment(item, i, model)
		se.Problems = append(se.Problems, er.errs...)
		for _, earlier := range s.Experiments {
			if earlier.ID == se.ID {
				// both would build <key>-<id>, one over the other
				r.errorf(item, "experiment id %q is used twice (first at line %d)", se.ID, earlier.Pos.Line).Hint = "give each experiment its own id"
			}
		}
		s.Experiments = append(s.Experiments, se)
	}
	return s
}

func (r *reader) studyExperiment(n *yaml.Node, index int, studyModel *ast.MassModel) *ast.StudyExperiment {
	se := &ast.StudyExperiment{ID: fmt.Sprint(index + 1), Pos: r.pos(n)}
	exp := &ast.BrainExperiment{File: r.file, Pos: r.pos(n)}
	se.Exp = exp
	what := fmt.Sprintf("experiment %d", index+1)
	f, ok := r.classFields(n, what, secStudyExperiment)
	if !ok {
		return se
	}
	if v := f["id"]; v != nil {
		se.ID = r.str(v, what+" id").Value
		what = "experiment " + se.ID
	}
	if v := f["label"]; v != nil {
		exp.Label = r.str(v, "label")
		se.Label = exp.Label.Value
	}
	// The model: the experiment's own, the study's with the experiment's
	// parameters over it, or a library model by its TVBO IRI.
	var own *ast.MassModel
	if v := f["model"]; v != nil {
		own = r.massModel(v, what+" model")
	} else if v := f["local_dynamics"]; v != nil {
		own = r.massModel(v, what+" local_dynamics")
	}
	exp.Dynamics = r.studyModel(n, what, own, studyModel)
	exp.Integration = r.brainIntegration(withIntegrationDefaults(f["integration"], n))
	for _, k := range []string{"connectivity", "network"} {
		if v := f[k]; v != nil && exp.Network == nil {
			exp.Network = r.studyNetwork(v, what+" "+k)
		}
	}
	if v := f["coupling"]; v != nil {
		if exp.Network == nil {
			r.errorf(v, "%s has a coupling but no connectivity to couple through", what).Hint = "add connectivity: {number_of_regions: N, weights: ...}"
		} else {
			exp.Network.Couplings = append(exp.Network.Couplings, r.coupling(v, "c_glob", what+" coupling"))
			if exp.Network.Couplings[0].Name.Value == "" {
				exp.Network.Couplings[0].Name = ast.Str{Value: "c_glob", Pos: r.pos(v)}
			}
		}
	}
	// What tvboc does not run yet makes the experiment incomplete, by
	// name: silently leaving out a monitor or a stimulus would give other
	// numbers than the paper's.
	if v := f["monitors"]; v != nil {
		entries, _ := r.namedEntries(v, what+" monitors")
		for _, e := range entries {
			exp.Observations = append(exp.Observations, r.monitor(e))
		}
	}
	if v := f["stimulation"]; v != nil {
		exp.Stimulation = r.stimulus(v)
	}
	for _, k := range []string{"additional_equations", "modelfitting", "field_dynamics"} {
		if v := f[k]; v != nil {
			r.errorf(v, "%s: %s in a study experiment are not run by tvboc yet", what, k)
		}
	}
	return se
}

// studyModel merges an experiment's model with the study's: an
// experiment model without state variables (a name, parameters) refers
// to the study's model or to a library model, and its parameters replace
// that model's.
func (r *reader) studyModel(n *yaml.Node, what string, own, study *ast.MassModel) *ast.MassModel {
	switch {
	case own == nil && study == nil:
		r.missing(n, "%s has no model, and the study none either", what).Hint = "add model: {name: ..., parameters: ...} to the study or the experiment"
		return nil
	case own == nil:
		return study
	case len(own.States) > 0:
		return own // a model of its own
	case own.IRI.Value == "" && study != nil && (own.Name.Value == "" || own.Name.Value == study.Name.Value):
		merged := *study
		merged.Parameters = overrideParameters(study.Parameters, own.Parameters)
		return &merged
	}
	// A library model by name or IRI, with its parameters.
	iri := own.IRI.Value
	if i := strings.LastIndexAny(iri, "/#:"); iri != "" && !strings.HasPrefix(iri, tvboPrefix) && i >= 0 {
		iri = tvboPrefix + iri[i+1:]
	}
	if iri == "" && own.Name.Value != "" {
		iri = tvboPrefix + own.Name.Value
	}
	own.IRI = ast.Str{Value: iri, Pos: own.Pos}
	return own
}

// overrideParameters is base with every parameter of over replacing the
// one of its name (or added).
func overrideParameters(base, over []*ast.Parameter) []*ast.Parameter {
	out := append([]*ast.Parameter(nil), base...)
	for _, p := range over {
		replaced := false
		for i, b := range out {
			if b.Name.Value == p.Name.Value {
				out[i], replaced = p, true
			}
		}
		if !replaced {
			out = append(out, p)
		}
	}
	return out
}

// studyNetwork reads a study's connectivity: a connectome named by its
// parcellation's atlas (found in the data directory by that name), by
// number of regions alone, or with its matrices written out.
func (r *reader) studyNetwork(n *yaml.Node, what string) *ast.BrainNetwork {
	net := &ast.BrainNetwork{Pos: r.pos(n)}
	f, ok := r.classFields(n, what, secStudyNetwork)
	if !ok {
		return net
	}
	for _, k := range []string{"number_of_regions", "number_of_nodes"} {
		if v := f[k]; v != nil && !net.NumberOfNodes.Set {
			net.NumberOfNodes = r.num(v, what+" "+k)
		}
	}
	if v := f["parcellation"]; v != nil {
		if atlas := child(child(v, "atlas"), "name"); atlas != nil {
			name := strings.Map(func(c rune) rune {
				if c == '-' || c == ' ' || c == '_' {
					return -1
				}
				return c
			}, atlas.Value)
			net.IRI = ast.Str{Value: tvboPrefix + name, Pos: r.pos(atlas)}
		}
	}
	for _, k := range []string{"weights", "lengths"} {
		v := f[k]
		if v == nil {
			continue
		}
		if s := resolveAlias(v); s.Kind == yaml.ScalarNode {
			if k == "weights" {
				net.Weights = r.str(v, what+" weights")
			} else {
				net.Lengths = r.str(v, what+" lengths")
			}
			continue
		}
		g, ok := r.classFields(v, what+" "+k, secMatrix)
		if !ok {
			continue
		}
		var vals []float64
		if x := g["values"]; x != nil {
			for _, item := range r.list(x, what+" "+k+" values") {
				if num := r.num(item, what+" "+k+" value"); num.Set {
					vals = append(vals, num.Value)
				}
			}
		}
		if k == "weights" {
			net.InlineWeights, net.InlinePos = vals, r.pos(v)
		} else {
			net.InlineLengths = vals
		}
	}
	if v := f["conduction_speed"]; v != nil {
		p := &ast.Parameter{Name: ast.Str{Value: "conduction_speed", Pos: r.pos(v)}}
		if s := resolveAlias(v); s.Kind == yaml.MappingNode {
			if val := child(s, "value"); val != nil {
				p.Value = r.num(val, what+" conduction_speed")
			}
		} else {
			p.Value = r.num(v, what+" conduction_speed")
		}
		net.Parameters = append(net.Parameters, p)
	}
	if v := f["normalization"]; v != nil {
		r.errorf(v, "%s: normalization is not read yet", what).Hint = "write the normalisation as a transform in an experiment file"
	}
	return net
}

// Study experiments take the schema's defaults for what their integration
// leaves out (TVBO's Integrator: step_size 0.01220703125 ms, duration
// 1000 ms) and TVB's default scheme, Heun (stochastic Heun when the
// integration has noise).
const (
	studyStep     = "0.01220703125"
	studyDuration = "1000"
)

// withIntegrationDefaults is the integration section with the defaults
// added for the keys it lacks, each placed at the section (or, without a
// section, at the experiment), so a message about them points there.
func withIntegrationDefaults(in, exp *yaml.Node) *yaml.Node {
	at := exp
	out := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: exp.Line, Column: exp.Column}
	if v := resolveAlias(in); v != nil && v.Kind == yaml.MappingNode {
		at = v
		out.Content = append(out.Content, v.Content...)
		out.Line, out.Column = v.Line, v.Column
	} else if in != nil {
		return in // not a mapping: brainIntegration says so
	}
	add := func(key, value string) {
		if child(out, key) != nil {
			return
		}
		out.Content = append(out.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key, Line: at.Line, Column: at.Column},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: tagOf(value), Value: value, Line: at.Line, Column: at.Column})
	}
	method := "heun"
	if child(out, "noise") != nil {
		method = "heun_stochastic"
	}
	add("method", method)
	add("step_size", studyStep)
	add("duration", studyDuration)
	return out
}

func tagOf(value string) string {
	if value == "heun" || value == "heun_stochastic" {
		return "!!str"
	}
	return "!!float"
}
