package load

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/load/schema"
	yaml "go.yaml.in/yaml/v3"
)

// A section is one kind of mapping the readers read: an instance of a
// class of TVBO's schema (package schema), or a section of tvboc's own
// (its class is then one of extensionKeys' "tvboc:" names). The keys a
// document may write in it come from the schema; the section says what
// tvboc does with each:
//
//   - read: honoured (the reader looks them up);
//   - inert: accepted without effect, because they do not change the
//     results (Coupling.sparse is a storage choice; an integrator's
//     update_expression restates the method it names);
//   - fixed: accepted only with the value tvboc implements
//     (Noise.additive: true);
//   - any other key of the class changes the simulation and tvboc cannot
//     honour it: refused by name rather than silently ignored;
//   - a key the class does not have is unknown, with a did-you-mean.
//
// Metadata keys (metadata.go) are accepted everywhere, and, where tvboDoc
// is set, TVBO's documentation keys (tvboDocKeys) too.
type section struct {
	class   string
	read    []string
	inert   []string
	fixed   map[string]string
	tvboDoc bool
}

// tvboDocKeys are keys TVBO writes for documentation next to the values
// of its neural-mass models, networks and studies; they change nothing in
// a compiled simulation, so the whole-brain sections accept them (where
// a section reads one, such as a state's boundaries, it is read).
var tvboDocKeys = []string{"label", "description", "name", "references", "has_reference", "source", "latex", "symbol", "definition",
	"grounding", "domain", "record", "equation_type", "equation_order", "model_type",
	"autonomous", "cse", "compile", "boundaries", "distribution", "unit", "dimension"}

// extensionKeys are tvboc's own keys: what the readers honour beyond
// TVBO's schema, by the class they extend (or by the name of a section
// the schema does not have, "tvboc:..."). They are the node-list and
// population forms (LEMS-like dynamics, nodes and edges), settings of
// tvboc's back ends, and keys TVBO's database files write that its schema
// lacks. TestExtensionKeys keeps this list exact: each key is read by
// some section of its class, and none is a key of the schema's class
// (a schema that gains one makes the test fail until it is moved out).
var extensionKeys = map[string][]string{
	// explorations: parameter sweeps (package sweep); execution: TVBO's
	// execution settings (random_seed); name: the experiment's name; observations: what the binary records
	// (TVBO's Python API writes them so); functions: TVBO's
	// post-processing, which changes no simulated value.
	"SimulationExperiment": {"execution", "explorations", "functions", "name", "observations"},
	"SimulationStudy":      {"id"},
	// LEMS-like component dynamics of the node-list form, and output (the
	// recorded variables of a TVBO model file).
	"Dynamics": {"components", "constants", "events", "exposes", "extends", "inputs", "kind", "output", "refractory", "time_scale"},
	// rhs: a parameter given by an expression
	"Parameter":       {"dimension", "rhs"},
	"StateVariable":   {"dimension"},
	"DerivedVariable": {"dimension", "label", "period"},
	"CouplingInput":   {"local"},
	// enforce: clamp makes a domain a boundary; n and log_scale describe
	// a sweep grid over it.
	"Range":      {"enforce", "label", "log_scale", "n", "unit"},
	"Case":       {"label"},
	"Integrator": {"abs_tol", "coupling_evaluation", "label", "rel_tol", "time_unit"},
	// how TVB evaluates a coupling; all but coupling_evaluation describe
	// TVBO's own vectorisation and change no value
	"Coupling": {"coupling_evaluation", "interpolate_delays", "iri", "symmetry", "vectorized"},
	// the experiment's network: a connectome by file, IRI or BIDS folder,
	// its coupling functions and transforms, or explicit nodes and edges
	"Connectome": {"assignments", "bids_dir", "coupling", "distance_unit", "dynamics", "edges", "file",
		"graph_representation", "iri", "lengths_histogram", "lengths_max", "lengths_mean", "lengths_median",
		"lengths_min", "nodes", "parameters", "space", "structural_measures", "template", "transforms", "type",
		"weights_histogram", "weights_max", "weights_mean", "weights_median", "weights_min"},
	"Monitor":  {"average", "hrf_kernel", "hrf_length", "reconcile", "select_variable", "source", "type", "variables_of_interest"},
	"Stimulus": {"targets", "type"},
	// sections of tvboc's own
	"tvboc:Input":             {"dimension"},
	"tvboc:Event":             {"affect", "condition", "emit", "event_type", "label", "receive", "trigger_times"},
	"tvboc:Assignment":        {"rhs"},
	"tvboc:Refractory":        {"holds", "period"},
	"tvboc:NodeNetwork":       {"dynamics", "edges", "label", "nodes", "number_of_nodes"},
	"tvboc:Node":              {"dynamics", "id", "label", "name", "parameters", "record"},
	"tvboc:Edge":              {"coupling", "label", "name", "parameters", "source", "target"},
	"tvboc:PopulationNetwork": {"dynamics", "edges", "label", "nodes"},
	"tvboc:PopulationNode":    {"dynamics", "id", "label", "name", "parameters", "per_cell", "record", "size"},
	"tvboc:PopulationEdge": {"connection_probability", "connectivity", "coupling", "delay", "label", "name",
		"parameters", "source", "target", "target_variable", "targets_per_source", "weight"},
	"tvboc:HeteroNetwork": {"distance_unit", "edges", "graph_representation", "id", "integration", "nodes",
		"number_of_nodes", "observations", "parameters"},
	"tvboc:BrainNode":   {"dynamics", "id", "position"},
	"tvboc:BrainEdge":   {"directed", "parameters", "source", "source_var", "target", "target_var"},
	"tvboc:Transform":   {"equation"},
	"tvboc:Atlas":       {"coordinateSpace", "resolution", "space", "template", "terminology"},
	"tvboc:Terminology": {"abbreviation", "entities"},
}

// The sections, by reader. Keys in read that the class lacks must be in
// extensionKeys.
var (
	// node-list and population experiments (load.go, population.go)
	secExperiment = &section{class: "SimulationExperiment", read: []string{"label", "description", "dynamics", "network",
		"integration", "id", "name", "references", "metadata", "explorations", "execution"}}
	secDynamics = &section{class: "Dynamics", read: []string{"name", "iri", "extends", "label", "description", "parameters",
		"derived_variables", "state_variables", "events", "components", "modes",
		// library-only keys
		"kind", "time_scale", "constants", "inputs", "exposes", "refractory"}}
	secQuantity    = &section{class: "Parameter", read: []string{"value", "unit", "description", "dimension", "rhs", "label", "name", "default", "domain", "symbol"}}
	secInput       = &section{class: "tvboc:Input", read: []string{"dimension", "description"}}
	secEquation    = &section{class: "Equation", read: []string{"rhs", "lhs", "description", "latex", "label", "conditionals"}}
	secVariable    = &section{class: "DerivedVariable", read: []string{"equation", "unit", "dimension", "label", "description", "symbol", "name", "period"}}
	secState       = &section{class: "StateVariable", read: []string{"equation", "initial_value", "unit", "dimension", "variable_of_interest", "label", "description", "symbol", "name", "domain", "boundaries"}}
	secEvent       = &section{class: "tvboc:Event", read: []string{"condition", "affect", "emit", "receive", "description", "label", "event_type", "trigger_times"}}
	secAssignment  = &section{class: "tvboc:Assignment", read: []string{"rhs", "description", "latex"}}
	secNodeNetwork = &section{class: "tvboc:NodeNetwork", read: []string{"dynamics", "nodes", "edges", "number_of_nodes", "label", "description"}}
	secNode        = &section{class: "tvboc:Node", read: []string{"id", "dynamics", "record", "parameters", "label", "description", "name"}}
	secEdge        = &section{class: "tvboc:Edge", read: []string{"source", "target", "coupling", "parameters", "label", "description", "name"}}
	secIntegration = &section{class: "Integrator", read: []string{"method", "step_size", "duration", "time_scale", "parameters", "description", "label", "noise"}}
	secPopNetwork  = &section{class: "tvboc:PopulationNetwork", read: []string{"dynamics", "nodes", "edges", "label", "description"}}
	secPopNode     = &section{class: "tvboc:PopulationNode", read: []string{"id", "dynamics", "size", "record", "per_cell", "parameters", "label", "description", "name"}}
	secPopEdge     = &section{class: "tvboc:PopulationEdge", read: []string{"source", "target", "connectivity", "connection_probability",
		"targets_per_source", "weight", "delay", "target_variable", "coupling", "parameters", "label", "description", "name"}}
	secRefractory  = &section{class: "tvboc:Refractory", read: []string{"period", "holds", "description"}}
	secConditional = &section{class: "ConditionalBlock", read: []string{"condition", "expression", "description"}}
	secCase        = &section{class: "Case", read: []string{"condition", "equation", "description", "label"}}

	// whole-brain experiments and TVBO's model files (wholebrain.go)
	secBrainExperiment = &section{class: "SimulationExperiment", tvboDoc: true, read: []string{"dynamics", "network", "integration",
		"observations", "id", "metadata", "explorations", "functions", "execution", "monitors", "stimulation"}}
	// derived_from_model and modified tell where a model comes from
	secMassModel = &section{class: "Dynamics", tvboDoc: true, read: []string{"iri", "parameters", "derived_parameters",
		"derived_variables", "coupling_inputs", "coupling_terms", "state_variables", "output", "output_transforms",
		"functions", "system_type"}, inert: []string{"derived_from_model", "modified"},
		fixed: map[string]string{"number_of_modes": "1"}}
	secOutputTransform = &section{class: "DerivedVariable", tvboDoc: true, read: []string{"equation"}}
	secCouplingInput   = &section{class: "CouplingInput", tvboDoc: true, read: []string{"local"}}
	secFunction        = &section{class: "Function", tvboDoc: true, read: []string{"arguments", "equation"}}
	// conditional only says that cases are there
	secBrainDerived  = &section{class: "DerivedVariable", tvboDoc: true, read: []string{"equation", "cases"}, inert: []string{"conditional"}}
	secCasesEquation = &section{class: "Equation", read: []string{"lhs", "latex", "description", "label"}}
	// explored_values and shape document sweeps and arrays
	secBrainParameter = &section{class: "Parameter", tvboDoc: true, read: []string{"value", "default", "rhs", "free", "equation"},
		inert: []string{"shape", "explored_values"}}
	secMassState = &section{class: "StateVariable", tvboDoc: true, read: []string{"equation", "initial_value",
		"coupling_variable", "variable_of_interest", "boundaries", "domain"}}
	// step is a sweep grid's spacing
	secBounds = &section{class: "Range", read: []string{"lo", "hi", "enforce", "log_scale", "description", "unit", "n", "label"},
		inert: []string{"step"}}
	secBrainNetwork = &section{class: "Connectome", tvboDoc: true, read: []string{"iri", "file", "weights", "lengths",
		"number_of_nodes", "parameters", "transforms", "coupling", "bids_dir", "nodes", "edges", "dynamics"},
		inert: []string{"graph_representation", "structural_measures", "distance_unit"}}
	secTransform = &section{class: "tvboc:Transform", tvboDoc: true, read: []string{"equation"}}
	// sparse is how TVBO stores the weights
	secCoupling = &section{class: "Coupling", tvboDoc: true, read: []string{"iri", "parameters", "pre_expression",
		"post_expression", "incoming_states", "local_states", "delayed", "coupling_evaluation"},
		inert: []string{"sparse", "interpolate_delays", "vectorized", "symmetry"}}
	// number_of_stages, intermediate_expressions, update_expression and
	// scipy_ode_base restate the method that method names; delayed is
	// how TVB's integrators take the coupling (always with delays)
	secBrainIntegration = &section{class: "Integrator", tvboDoc: true, read: []string{"method", "step_size", "duration",
		"transient_time", "noise", "time_scale", "time_unit", "abs_tol", "rel_tol", "coupling_evaluation", "parameters"},
		inert: []string{"scipy_ode_base", "number_of_stages", "intermediate_expressions", "update_expression"},
		fixed: map[string]string{"delayed": "true"}}
	// gaussian: TVB's noise is always Gaussian (TVBO writes true)
	secNoise = &section{class: "Noise", tvboDoc: true, read: []string{"noise_type", "targets", "parameters", "seed"},
		inert: []string{"gaussian"}, fixed: map[string]string{"additive": "true", "correlated": "false"}}
	// a pipeline runs where it is plain arithmetic (brain.pipeline);
	// parameters are a Bold's (its HRF's, TR)
	secObservation = &section{class: "Monitor", tvboDoc: true, read: []string{"equation", "source", "period", "average", "type",
		"pipeline", "parameters"}, inert: []string{"reconcile", "imaging_modality", "acronym", "environment"}}
	// TVBO's monitors: (TVB's monitors, wholebrain.go's monitor)
	secMonitor = &section{class: "Monitor", tvboDoc: true, read: []string{"period", "select_variable", "variables_of_interest",
		"equation", "parameters", "hrf_kernel", "hrf_length", "pipeline"},
		inert: []string{"imaging_modality", "acronym", "time_scale", "environment"}}
	secHRFKernel = &section{class: "Equation", tvboDoc: true, read: []string{"parameters"}}
	// TVBO's stimulation (TVB's StimuliRegion); duration and dataLocation
	// are read to be refused by name
	secStimulus = &section{class: "Stimulus", tvboDoc: true, read: []string{"equation", "parameters", "regions", "weighting",
		"targets", "type", "duration", "dataLocation"}}
	secStimulusEquation = &section{class: "Equation", tvboDoc: true, read: []string{"label", "parameters"}}

	// heterogeneous networks (hetero.go)
	secHeteroNetwork = &section{class: "tvboc:HeteroNetwork", tvboDoc: true, read: []string{"number_of_nodes", "nodes", "edges",
		"integration", "observations", "id", "metadata", "parameters"}, inert: []string{"graph_representation", "distance_unit"}}
	secBrainNode = &section{class: "tvboc:BrainNode", tvboDoc: true, read: []string{"id", "dynamics", "position"}}
	secBrainEdge = &section{class: "tvboc:BrainEdge", tvboDoc: true, read: []string{"source", "target", "parameters", "source_var", "target_var", "directed"}}

	// studies (study.go)
	secStudy = &section{class: "SimulationStudy", tvboDoc: true, read: []string{"key", "title", "year", "doi", "derived_from",
		"model", "simulation_experiments", "sample", "id"}}
	// the reader refuses monitors, stimulation, ... itself, keeping the
	// other experiments of the study
	secStudyExperiment = &section{class: "SimulationExperiment", tvboDoc: true, read: []string{"id", "model", "dynamics",
		"integration", "connectivity", "network", "coupling", "monitors", "stimulation", "additional_equations",
		"local_dynamics", "modelfitting", "environment", "software", "field_dynamics"}}
	secStudyNetwork = &section{class: "Connectome", tvboDoc: true, read: []string{"parcellation", "number_of_regions",
		"number_of_nodes", "weights", "lengths", "conduction_speed", "normalization", "tractogram", "node_labels"}}
	secMatrix = &section{class: "Matrix", tvboDoc: true, read: []string{"x", "y", "values", "dataLocation"}}

	// TVBO network files (netdesc.go): besides the matrices and the region
	// count they describe the connectome (space, parcellation, statistics)
	secNetworkFile = &section{class: "Connectome", tvboDoc: true, read: []string{"type", "parcellation", "tractogram",
		"weights", "lengths", "number_of_regions", "number_of_nodes"},
		inert: []string{"space", "weights_min", "weights_max", "weights_mean", "weights_median", "weights_histogram",
			"lengths_min", "lengths_max", "lengths_mean", "lengths_median", "lengths_histogram", "conduction_speed",
			"node_labels", "template", "assignments"}}

	// TVBO atlas files (kind.go)
	secAtlas       = &section{class: "tvboc:Atlas", tvboDoc: true, read: []string{"terminology", "coordinateSpace", "space", "resolution", "template"}}
	secTerminology = &section{class: "tvboc:Terminology", tvboDoc: true, read: []string{"entities", "abbreviation"}}
)

// sections lists every section, for the tests.
var sections = []*section{secExperiment, secDynamics, secQuantity, secInput, secEquation, secVariable, secState, secEvent,
	secAssignment, secNodeNetwork, secNode, secEdge, secIntegration, secPopNetwork, secPopNode, secPopEdge, secRefractory,
	secConditional, secCase, secBrainExperiment, secMassModel, secOutputTransform, secCouplingInput, secFunction,
	secBrainDerived, secCasesEquation, secBrainParameter, secMassState, secBounds, secBrainNetwork, secTransform, secCoupling,
	secBrainIntegration, secNoise, secObservation, secMonitor, secHRFKernel, secStimulus, secStimulusEquation, secHeteroNetwork, secBrainNode, secBrainEdge, secStudy,
	secStudyExperiment, secStudyNetwork, secMatrix, secNetworkFile, secAtlas, secTerminology}

// accepts reports whether the section takes key without looking further
// (read, inert, or a documentation key where it takes those).
func (s *section) accepts(key string) bool {
	return contains(s.read, key) || contains(s.inert, key) || s.tvboDoc && contains(tvboDocKeys, key)
}

// known lists the keys a message offers: those tvboc honours here and
// those it accepts without effect.
func (s *section) known() []string {
	return sorted(append(append([]string(nil), s.read...), s.inert...))
}

// classFields checks a mapping's keys against its section (see section)
// and returns the values by key.
func (r *reader) classFields(n *yaml.Node, what string, s *section) (map[string]*yaml.Node, bool) {
	entries, ok := r.mapping(n, what)
	if !ok {
		return nil, false
	}
	class := schema.Lookup(s.class)
	out := make(map[string]*yaml.Node, len(entries))
	for _, e := range entries {
		switch {
		case s.accepts(e.key):
			out[e.key] = e.value
			if !contains(s.read, e.key) {
				// nothing reads it: the schema's type is its only check
				r.schemaType(e, what, s.class, class.Slot(e.key))
				r.noEffect(e)
			}
		case s.fixed[e.key] != "":
			if r.fixedValue(e, what, s) {
				r.noEffect(e)
			}
		case isMetadata(e.key, e.value):
			// TVBO's schema defines it and it changes nothing in a
			// simulation: accepted anywhere (tvboc check -v lists it).
		case class.Slot(e.key) != nil:
			r.unknownKeyIn(n)
			r.errs = append(r.errs, diag.Errorf(r.pos(e.keyN), "%q (a key of TVBO's %s) in %s is not supported by tvboc", e.key, s.class, what).
				WithHint("it would change the simulation, so tvboc refuses it rather than ignore it; remove it. Keys tvboc accepts here: %s",
					strings.Join(s.known(), ", ")))
		default:
			r.unknownKeyIn(n)
			known := s.known()
			r.errs = append(r.errs, diag.Errorf(r.pos(e.keyN), "unknown key %q in %s", e.key, what).
				WithHint("known keys: %s%s", strings.Join(known, ", "), suggest(e.key, append(known, class.Keys()...))))
		}
	}
	return out, true
}

// unknownKeyIn marks a mapping with a refused key, so that a "missing
// key" error does not follow (the key is most likely the missing one,
// misspelt).
func (r *reader) unknownKeyIn(n *yaml.Node) {
	if r.withUnknownKeys == nil {
		r.withUnknownKeys = map[*yaml.Node]bool{}
	}
	r.withUnknownKeys[resolveAlias(n)] = true
}

// fixedValue checks a key tvboc accepts with one value only.
func (r *reader) fixedValue(e entry, what string, s *section) bool {
	want := s.fixed[e.key]
	v := resolveAlias(e.value)
	if v != nil && v.Kind == yaml.ScalarNode && strings.EqualFold(v.Value, want) {
		return true
	}
	got := "this"
	if v != nil {
		got = kindName(v)
	}
	r.errorf(e.value, "%s: tvboc runs %s: %s only, not %s", what, e.key, want, got).
		Hint = fmt.Sprintf("write %s: %s or leave it out", e.key, want)
	return false
}

// schemaType checks a value against the type the schema gives its key:
// a list for a multivalued key, true or false for a boolean, a number for
// a float or an integer. Keys tvboc reads get their own, stricter checks.
func (r *reader) schemaType(e entry, what, class string, slot *schema.Slot) {
	v := resolveAlias(e.value)
	if slot == nil || v == nil || v.Tag == "!!null" {
		return
	}
	want := ""
	switch {
	case slot.Multivalued:
		if v.Kind != yaml.SequenceNode && v.Kind != yaml.MappingNode {
			want = "a list"
		}
	case slot.RangeKind != schema.RangeType:
	case slot.Range == "boolean" && v.Tag != "!!bool":
		want = "true or false"
	case slot.Range == "integer" && v.Tag != "!!int":
		want = "a whole number"
	case (slot.Range == "float" || slot.Range == "double") && v.Tag != "!!int" && v.Tag != "!!float":
		want = "a number"
	}
	if want != "" {
		r.errorf(e.value, "%s: %s must be %s (TVBO's %s.%s is %s), got %s", what, e.key, want, class, e.key, rangeName(slot), kindName(v))
	}
}

// rangeName names a slot's type as messages do.
func rangeName(s *schema.Slot) string {
	if s.Multivalued {
		return "a list of " + s.Range
	}
	if strings.ContainsRune("aeiouAEIOU", rune(s.Range[0])) {
		return "an " + s.Range
	}
	return "a " + s.Range
}

// noEffect records a key accepted without effect, for tvboc check -v.
func (r *reader) noEffect(e entry) {
	if isMetadata(e.key, e.value) || contains(tvboDocKeys, e.key) {
		return // MetadataKeys finds these on its own
	}
	r.inert = append(r.inert, MetadataKey{Key: e.key, Pos: r.pos(e.keyN)})
}

// sortKeys orders keys by position.
func sortKeys(keys []MetadataKey) {
	sort.SliceStable(keys, func(i, j int) bool {
		if keys[i].Pos.Line != keys[j].Pos.Line {
			return keys[i].Pos.Line < keys[j].Pos.Line
		}
		return keys[i].Pos.Col < keys[j].Pos.Col
	})
}
