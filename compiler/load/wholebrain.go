package load

import (
	"fmt"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/expr"
	yaml "go.yaml.in/yaml/v3"
)

// This file reads whole-brain (TVB) experiments: a neural-mass model on a
// connectome. They share the YAML shape of every experiment (dynamics,
// network, integration) but their network is a matrix with coupling
// functions, so they load into ast.BrainExperiment.

// IsWholeBrain reports whether the experiment in data is a whole-brain
// one: its model comes from the tvbo: library or declares coupling inputs,
// or its network names a connectome, coupling functions or transforms.
// Unreadable YAML answers false, so the general loader reports the error.
func IsWholeBrain(data []byte) bool {
	docs, err := parseDocuments("", data)
	if err != nil || len(docs) == 0 || docs[0].Kind != yaml.MappingNode {
		return false
	}
	root := docs[0]
	if len(docs) > 1 {
		return isHeterogeneous(docs)
	}
	if isBareModel(root) {
		return true
	}
	for _, k := range []string{"observations", "monitors", "stimulation"} {
		if child(root, k) != nil {
			return true
		}
	}
	if dyn := child(root, "dynamics"); dyn != nil {
		if iri := child(dyn, "iri"); iri != nil && strings.HasPrefix(iri.Value, "tvbo:") {
			return true
		}
		// system_type (a map or an ODE system from TVBO's database) is
		// read by the neural-mass back end only.
		for _, k := range []string{"coupling_inputs", "coupling_terms", "system_type"} {
			if child(dyn, k) != nil {
				return true
			}
		}
	}
	if net := child(root, "network"); net != nil {
		for _, k := range []string{"iri", "coupling", "transforms", "weights", "lengths", "connectivity", "bids_dir"} {
			if child(net, k) != nil {
				return true
			}
		}
	}
	return false
}

// BrainFile reads and loads a whole-brain experiment file.
func BrainFile(path string) (*ast.BrainExperiment, error) { return fromFile(path, BrainExperiment) }

// BrainExperiment loads a whole-brain experiment from YAML bytes.
func BrainExperiment(file string, data []byte) (*ast.BrainExperiment, error) {
	return brainExperimentWith(&reader{file: file}, data)
}

func brainExperimentWith(r *reader, data []byte) (*ast.BrainExperiment, error) {
	docs, err := parseDocuments(r.file, data)
	if err != nil {
		return nil, err
	}
	var exp *ast.BrainExperiment
	switch {
	case len(docs) > 1:
		exp = r.heterogeneous(docs)
	case isBareModel(docs[0]):
		exp = r.bareModel(docs[0])
	default:
		exp = r.brainExperiment(docs[0])
	}
	if err := r.errs.Err(); err != nil {
		return nil, err
	}
	return exp, nil
}

// MassModel loads one neural-mass model document (a library model file).
func MassModel(file string, data []byte) (*ast.MassModel, error) {
	return loadDocument(file, data, func(r *reader, root *yaml.Node) *ast.MassModel { return r.massModel(root, "the model") })
}

// CouplingFunction loads one coupling-function document (a library file).
func CouplingFunction(file string, data []byte) (*ast.Coupling, error) {
	return loadDocument(file, data, func(r *reader, root *yaml.Node) *ast.Coupling { return r.coupling(root, "", "the coupling function") })
}

func (r *reader) brainExperiment(n *yaml.Node) *ast.BrainExperiment {
	exp := &ast.BrainExperiment{File: r.file, Pos: r.pos(n)}
	f, ok := r.classFields(n, "the experiment", secBrainExperiment)
	if !ok {
		return exp
	}
	if v := f["label"]; v != nil {
		exp.Label = r.str(v, "label")
	}
	if v := f["description"]; v != nil {
		exp.Description = r.str(v, "description").Value
	}
	if v := f["dynamics"]; v != nil {
		exp.Dynamics = r.massModel(v, "dynamics")
	} else {
		r.errorf(n, "the experiment has no dynamics section").Hint = "add dynamics: {iri: tvbo:Generic2dOscillator}"
	}
	if v := f["network"]; v != nil {
		exp.Network = r.brainNetwork(v)
	}
	if v := f["integration"]; v != nil {
		exp.Integration = r.brainIntegration(v)
	} else {
		r.errorf(n, "the experiment has no integration section").Hint = "add integration: {method: heun, step_size: 0.1, duration: 1000} (times in ms)"
	}
	if v := f["execution"]; v != nil {
		// a whole-brain run draws only its noise: random_seed seeds it
		// where the noise section gives no seed of its own
		exp.RandomSeed = r.execution(v)
	}
	exp.Explorations = f["explorations"] != nil
	if v := f["observations"]; v != nil {
		entries, _ := r.mapping(v, "observations")
		for _, e := range entries {
			exp.Observations = append(exp.Observations, r.observation(e))
		}
	}
	if v := f["monitors"]; v != nil {
		entries, _ := r.namedEntries(v, "monitors")
		for _, e := range entries {
			exp.Observations = append(exp.Observations, r.monitor(e))
		}
	}
	if v := f["stimulation"]; v != nil {
		exp.Stimulation = r.stimulus(v)
	}
	return exp
}

func (r *reader) massModel(n *yaml.Node, what string) *ast.MassModel {
	m := &ast.MassModel{Pos: r.pos(n)}
	f, ok := r.classFields(n, what, secMassModel)
	if !ok {
		return m
	}
	if v := f["functions"]; v != nil {
		outer := r.funcs
		r.funcs = r.userFunctions(v, what)
		defer func() { r.funcs = outer }()
	}
	if v := f["name"]; v != nil {
		m.Name = r.str(v, what+" name")
	}
	if v := f["iri"]; v != nil {
		m.IRI = r.str(v, what+" iri")
	}
	if v := f["description"]; v != nil {
		m.Description = r.str(v, "description").Value
	}
	if v := f["parameters"]; v != nil {
		m.Parameters = r.brainParameters(v, what+" parameters")
	}
	if v := f["system_type"]; v != nil {
		switch st := r.str(v, what+" system_type"); st.Value {
		case "continuous":
		case "discrete":
			m.Discrete = true
		default:
			r.errorf(v, "%s system_type is %q", what, st.Value).Hint = "write continuous (an ODE) or discrete (a map)"
		}
	}
	if v := f["derived_parameters"]; v != nil {
		// A derived parameter is a parameter given by an expression of
		// the others (Kuramoto2's f = omega/(2*pi)*1000).
		m.Parameters = append(m.Parameters, r.brainParameters(v, what+" derived_parameters")...)
	}
	if v := f["derived_variables"]; v != nil {
		m.Derived = r.brainDerived(v, what)
	}
	if v := f["output_transforms"]; v != nil {
		// Named outputs computed from the state (Jansen1995's v_pyr =
		// y1 - y2): derived variables, recorded on request. LinkML lets a
		// multivalued slot be a list of named items or a mapping by name.
		if a := resolveAlias(v); a != nil && a.Kind == yaml.MappingNode {
			m.Derived = append(m.Derived, r.brainDerived(v, what+" output_transforms")...)
		} else {
			for i, item := range r.list(v, what+" output_transforms") {
				w := fmt.Sprintf("%s output_transforms entry %d", what, i+1)
				g, ok := r.classFields(item, w, secOutputTransform)
				if !ok {
					continue
				}
				if g["name"] == nil || g["equation"] == nil {
					r.errorf(item, "%s needs a name and an equation", w).Hint = `write - {name: v_pyr, equation: {rhs: "y1 - y2"}}`
					continue
				}
				name := r.str(g["name"], w+" name")
				m.Derived = append(m.Derived, &ast.Derived{Name: name, Pos: r.pos(item), Equation: r.equation(g["equation"], w)})
			}
		}
	}
	for _, k := range []string{"coupling_inputs", "coupling_terms"} {
		v := f[k]
		if v == nil {
			continue
		}
		entries, _ := r.mapping(v, what+" "+k)
		for _, e := range entries {
			in := &ast.CouplingInput{Name: ast.Str{Value: e.key, Pos: r.pos(e.keyN)}, Pos: r.pos(e.value)}
			if g, ok := r.classFields(e.value, fmt.Sprintf("coupling input %q", e.key), secCouplingInput); ok && g["local"] != nil {
				if b := r.boolean(g["local"], "local"); b != nil {
					in.Local = *b
				}
			}
			// TVB's surface coupling is always named local_coupling.
			if e.key == "local_coupling" {
				in.Local = true
			}
			m.CouplingInputs = append(m.CouplingInputs, in)
		}
	}
	if v := f["state_variables"]; v != nil {
		entries, _ := r.mapping(v, what+" state_variables")
		for _, e := range entries {
			m.States = append(m.States, r.massState(e))
		}
	}
	if v := f["output"]; v != nil {
		// output lists the recorded variables: the same as marking them
		// variable_of_interest (and only them).
		names := r.strList(v, what+" output")
		isOut := map[string]bool{}
		for _, s := range names {
			isOut[s.Value] = true
		}
		for _, s := range m.States {
			b := isOut[s.Name.Value]
			s.OfInterest = &b
			delete(isOut, s.Name.Value)
		}
		for _, d := range m.Derived {
			delete(isOut, d.Name.Value) // a derived output: recorded on request only
		}
		for _, s := range names {
			if isOut[s.Value] {
				// a library variable: an override entry carries the flag
				yes := true
				m.States = append(m.States, &ast.MassState{Name: s, Pos: s.Pos, OfInterest: &yes})
			}
		}
	}
	return m
}

// userFunctions reads a model's functions: section,
//
//	functions:
//	  Sigm:
//	    arguments: {v: {name: v}}
//	    equation: {rhs: 2*e0 / (1 + exp(r*(v0 - v)))}
//
// Every name is known before any body is read, so functions may call each
// other in any order (a cycle is reported where it is called).
func (r *reader) userFunctions(n *yaml.Node, what string) map[string]*expr.UserFunc {
	entries, _ := r.mapping(n, what+" functions")
	funcs := map[string]*expr.UserFunc{}
	bodies := map[string]*yaml.Node{}
	for _, e := range entries {
		name := fmt.Sprintf("function %q", e.key)
		if _, builtin := expr.Funcs[e.key]; builtin {
			r.errorf(e.keyN, "%s has the name of a built-in function", name).Hint = "rename it"
			continue
		}
		g, ok := r.classFields(e.value, name, secFunction)
		if !ok {
			continue
		}
		fn := &expr.UserFunc{}
		if a := g["arguments"]; a != nil {
			if args, ok := r.mapping(a, name+" arguments"); ok {
				for _, arg := range args {
					fn.Params = append(fn.Params, arg.key)
				}
			}
		}
		if g["equation"] == nil {
			r.errorf(e.value, "%s has no equation", name).Hint = `add equation: {rhs: "..."}`
			continue
		}
		funcs[e.key] = fn
		bodies[e.key] = g["equation"]
	}
	outer := r.funcs
	r.funcs = funcs
	for _, e := range entries {
		if body := bodies[e.key]; body != nil {
			// The body keeps its calls; they are inlined where it is used.
			if x := r.declaredBody(body, fmt.Sprintf("function %q", e.key)); x != nil {
				funcs[e.key].Body = x
			} else {
				delete(funcs, e.key)
			}
		}
	}
	r.funcs = outer
	return funcs
}

// declaredBody parses a function's equation without inlining, so that the
// functions it calls are expanded (and a cycle found) where it is called.
func (r *reader) declaredBody(n *yaml.Node, what string) expr.Node {
	if g := child(n, "rhs"); g != nil {
		n = g
	}
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		r.errorf(n, "%s: the equation must be a string", what)
		return nil
	}
	pos := r.pos(n)
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		pos = pos.Shift(1)
	}
	e := &ast.Expr{Src: n.Value, Pos: pos}
	node, err := expr.ParseWith(n.Value, r.funcs)
	if err == nil {
		node, err = expr.Settle(n.Value, node)
	}
	if err != nil {
		r.exprError(e, what, err)
		return nil
	}
	return expr.AsNumber(node)
}

// brainDerived reads a model's derived variables, accepting TVBO's
// documentation keys (record, conditional, ...) next to the equation.
func (r *reader) brainDerived(n *yaml.Node, what string) []*ast.Derived {
	entries, _ := r.mapping(n, what+" derived_variables")
	var out []*ast.Derived
	for _, e := range entries {
		name := fmt.Sprintf("derived variable %q", e.key)
		d := &ast.Derived{Name: ast.Str{Value: e.key, Pos: r.pos(e.keyN)}, Pos: r.pos(e.value)}
		if !r.declareDerived(e, name) {
			continue
		}
		if v := resolveAlias(e.value); v != nil && v.Kind == yaml.ScalarNode {
			d.Equation = r.equation(v, name)
		} else if f, ok := r.classFields(e.value, name, secBrainDerived); ok {
			eq, cases := f["equation"], f["cases"]
			switch {
			case cases != nil && (eq == nil || child(eq, "rhs") == nil && child(eq, "conditionals") == nil):
				// The schema's conditional form: the cases are the
				// equation (its lhs and latex only document it).
				if eq != nil {
					r.classFields(eq, name+" equation", secCasesEquation)
				}
				d.Equation = r.cases(cases, name)
			case eq == nil:
				r.errorf(e.value, "%s has no equation", name).Hint = `add equation: {rhs: "..."}`
			default:
				// TVBO writes the cases next to the same Piecewise rhs;
				// the rhs is used, the cases are still checked.
				d.Equation = r.equation(eq, name)
				if cases != nil {
					r.cases(cases, name)
				}
			}
		}
		out = append(out, d)
	}
	return out
}

// brainParameters reads parameters as quantities, accepting TVBO's
// documentation keys next to value and unit.
func (r *reader) brainParameters(n *yaml.Node, what string) []*ast.Parameter {
	entries, _ := r.namedEntries(n, what)
	var out []*ast.Parameter
	for _, e := range entries {
		p := &ast.Parameter{Name: ast.Str{Value: e.key, Pos: r.pos(e.keyN)}}
		name := fmt.Sprintf("parameter %q", e.key)
		if !r.declare(e, name) {
			continue
		}
		v := resolveAlias(e.value)
		if v != nil && v.Kind == yaml.MappingNode {
			f, ok := r.classFields(v, name, secBrainParameter)
			p.Quantity.Pos = r.pos(v)
			if ok {
				if x := f["value"]; x != nil {
					p.Value = r.num(x, name+" value")
				} else if x := f["default"]; x != nil {
					p.Value = r.num(x, name+" default")
				}
				if x := f["rhs"]; x != nil {
					p.Expr = r.exprAt(x, name, true)
				} else if x := f["equation"]; x != nil {
					p.Expr = r.equation(x, name)
				}
				if x := f["unit"]; x != nil {
					p.Unit = r.str(x, name+" unit")
				}
				if f["value"] == nil && f["default"] == nil && f["rhs"] == nil && f["equation"] == nil {
					r.errorf(v, "%s has no value", name).Hint = "write value: 1.0"
				}
			}
		} else {
			p.Quantity = r.quantity(v, name)
		}
		out = append(out, p)
	}
	return out
}

func (r *reader) massState(e entry) *ast.MassState {
	name := fmt.Sprintf("state variable %q", e.key)
	s := &ast.MassState{Name: ast.Str{Value: e.key, Pos: r.pos(e.keyN)}, Pos: r.pos(e.value)}
	r.declare(e, name)
	f, ok := r.classFields(e.value, name, secMassState)
	if !ok {
		return s
	}
	if v := f["equation"]; v != nil {
		s.Equation = r.equation(v, name)
	}
	if v := f["initial_value"]; v != nil {
		s.Initial = r.exprAt(v, name+" initial_value", true)
	}
	if v := f["coupling_variable"]; v != nil {
		s.Coupling = r.boolean(v, name+" coupling_variable")
	}
	if v := f["variable_of_interest"]; v != nil {
		s.OfInterest = r.boolean(v, name+" variable_of_interest")
	}
	// TVB clamps a state to its boundaries (state_variable_boundaries);
	// TVBO writes them as boundaries, or as a domain with enforce: clamp.
	// A domain without enforce: clamp only documents the usual range.
	bounds := func(v *yaml.Node, what string, always bool) {
		g, ok := r.classFields(v, what, secBounds)
		if !ok {
			return
		}
		if !always {
			enf := g["enforce"]
			if enf == nil || r.str(enf, what+" enforce").Value != "clamp" {
				return
			}
		}
		if x := g["lo"]; x != nil {
			s.Lo = r.bound(x, what+" lo")
		}
		if x := g["hi"]; x != nil {
			s.Hi = r.bound(x, what+" hi")
		}
		if s.Lo.Set && s.Hi.Set && s.Lo.Value > s.Hi.Value {
			r.errorf(v, "%s: lo (%g) is above hi (%g)", what, s.Lo.Value, s.Hi.Value)
		}
	}
	if v := f["domain"]; v != nil {
		bounds(v, name+" domain", false)
	}
	if v := f["boundaries"]; v != nil {
		bounds(v, name+" boundaries", true)
	}
	return s
}

// strList reads a list of names (or one bare name).
func (r *reader) strList(n *yaml.Node, what string) []ast.Str {
	n = resolveAlias(n)
	if n != nil && n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		return []ast.Str{r.str(n, what)}
	}
	var out []ast.Str
	for _, item := range r.list(n, what) {
		out = append(out, r.str(item, what))
	}
	return out
}

func (r *reader) brainNetwork(n *yaml.Node) *ast.BrainNetwork {
	net := &ast.BrainNetwork{Pos: r.pos(n)}
	if v := resolveAlias(n); v != nil && v.Kind == yaml.ScalarNode && v.Tag == "!!str" {
		// network: networks/<name>.yaml, a TVBO network file by path
		// (relative to the experiment).
		net.Descriptor = r.descriptorAt(r.str(v, "network"))
		return net
	}
	f, ok := r.classFields(n, "the network section", secBrainNetwork)
	if !ok {
		return net
	}
	if v := f["iri"]; v != nil {
		net.IRI = r.str(v, "network iri")
	}
	if v := f["file"]; v != nil {
		net.Descriptor = r.descriptorAt(r.str(v, "network file"))
	}
	if v := f["weights"]; v != nil {
		net.Weights = r.str(v, "network weights")
	}
	if v := f["lengths"]; v != nil {
		net.Lengths = r.str(v, "network lengths")
	}
	if v := f["number_of_nodes"]; v != nil {
		net.NumberOfNodes = r.num(v, "number_of_nodes")
	}
	if v := f["bids_dir"]; v != nil {
		net.BIDSDir = r.str(v, "bids_dir")
	}
	if v := f["nodes"]; v != nil {
		net.Nodes = r.brainNodes(v)
	}
	if v := f["edges"]; v != nil {
		net.Edges = r.brainEdges(v)
	}
	if v := f["dynamics"]; v != nil {
		r.errorf(v, "network dynamics is not supported in a single document").
			Hint = "put each node dynamics in a document of its own after the network (separated by ---)"
	}
	if v := f["parameters"]; v != nil {
		net.Parameters = r.brainParameters(v, "network parameters")
	}
	if v := f["transforms"]; v != nil {
		for _, item := range r.list(v, "transforms") {
			t := &ast.Transform{Pos: r.pos(item)}
			g, ok := r.classFields(item, "a transform", secTransform)
			if !ok {
				continue
			}
			if x := g["name"]; x != nil {
				t.Name = r.str(x, "transform name")
			} else {
				r.missing(item, "a transform has no name").Hint = "name the matrix it replaces: name: weight"
			}
			if x := g["equation"]; x != nil {
				t.Equation = r.equation(x, "transform equation")
			} else {
				r.missing(item, "a transform has no equation").Hint = `add equation: {rhs: "weight / max(weight)"}`
			}
			net.Transforms = append(net.Transforms, t)
		}
	}
	if v := f["coupling"]; v != nil {
		entries, _ := r.mapping(v, "network coupling")
		for _, e := range entries {
			c := r.coupling(e.value, e.key, fmt.Sprintf("coupling %q", e.key))
			c.Name = ast.Str{Value: e.key, Pos: r.pos(e.keyN)}
			net.Couplings = append(net.Couplings, c)
		}
	}
	return net
}

func (r *reader) coupling(n *yaml.Node, key, what string) *ast.Coupling {
	c := &ast.Coupling{Pos: r.pos(n)}
	f, ok := r.classFields(n, what, secCoupling)
	if !ok {
		return c
	}
	if v := f["name"]; v != nil {
		c.Name = r.str(v, what+" name")
	}
	if v := f["iri"]; v != nil {
		c.IRI = r.str(v, what+" iri")
	}
	if v := f["parameters"]; v != nil {
		c.Parameters = r.brainParameters(v, what+" parameters")
	}
	if v := f["pre_expression"]; v != nil {
		c.Pre = r.equation(v, what+" pre_expression")
	}
	if v := f["post_expression"]; v != nil {
		c.Post = r.equation(v, what+" post_expression")
	}
	if v := f["incoming_states"]; v != nil {
		c.Incoming = r.strList(v, what+" incoming_states")
	}
	if v := f["local_states"]; v != nil {
		c.Local = r.strList(v, what+" local_states")
	}
	if v := f["delayed"]; v != nil {
		c.Delayed = r.boolean(v, what+" delayed")
	}
	if v := f["coupling_evaluation"]; v != nil {
		c.Evaluation = r.str(v, what+" coupling_evaluation")
	}
	return c
}

func (r *reader) brainIntegration(n *yaml.Node) *ast.BrainIntegration {
	in := &ast.BrainIntegration{Pos: r.pos(n)}
	f, ok := r.classFields(n, "the integration section", secBrainIntegration)
	if !ok {
		return in
	}
	if v := f["method"]; v != nil {
		in.Method = r.str(v, "integration method")
		if in.Method.Value == "" && v.Tag != "!!null" && v.Kind == yaml.ScalarNode {
			r.errorf(v, "the integration method is empty").Hint = "write method: euler (the default when method is left out), heun or rk4"
		}
	}
	in.StepSize, in.Duration = r.stepAndDuration(n, f, "0.1 (ms)", "1000 (ms)")
	if v := f["transient_time"]; v != nil {
		in.TransientTime = r.num(v, "transient_time")
	}
	for _, k := range []string{"time_scale", "time_unit"} {
		if v := f[k]; v != nil {
			if ts := r.str(v, k); ts.Value != "ms" {
				r.errorf(v, "whole-brain experiments run in milliseconds, got %s %q", k, ts.Value).Hint = "remove " + k + " or write " + k + ": ms"
			}
		}
	}
	if v := f["coupling_evaluation"]; v != nil {
		in.Evaluation = r.str(v, "coupling_evaluation")
	}
	if v := f["abs_tol"]; v != nil {
		in.AbsTol = r.num(v, "abs_tol")
	}
	if v := f["rel_tol"]; v != nil {
		in.RelTol = r.num(v, "rel_tol")
	}
	if v := f["noise"]; v != nil {
		in.Noise = r.noise(v)
	}
	return in
}

func (r *reader) noise(n *yaml.Node) *ast.Noise {
	no := &ast.Noise{Pos: r.pos(n)}
	f, ok := r.classFields(n, "noise", secNoise)
	if !ok {
		return no
	}
	if v := f["noise_type"]; v != nil {
		no.Type = r.str(v, "noise_type")
	}
	if v := f["targets"]; v != nil {
		no.Targets = r.strList(v, "noise targets")
	}
	if v := f["parameters"]; v != nil {
		no.Parameters = r.brainParameters(v, "noise parameters")
	}
	if v := f["seed"]; v != nil {
		no.Seed = r.num(v, "noise seed")
	}
	return no
}

func (r *reader) observation(e entry) *ast.Observation {
	name := fmt.Sprintf("observation %q", e.key)
	o := &ast.Observation{Name: ast.Str{Value: e.key, Pos: r.pos(e.keyN)}, Pos: r.pos(e.value)}
	f, ok := r.classFields(e.value, name, secObservation)
	if !ok {
		return o
	}
	if v := f["parameters"]; v != nil {
		o.Parameters = r.brainParameters(v, name+" parameters")
	}
	if v := f["pipeline"]; v != nil {
		o.Pipeline = r.pipeline(v, name)
	}
	if v := f["equation"]; v != nil {
		o.Equation = r.equation(v, name)
	}
	if v := f["source"]; v != nil {
		o.Output = r.strList(v, name+" source")
	}
	if v := f["period"]; v != nil {
		o.Period = r.num(v, name+" period")
	}
	if v := f["average"]; v != nil {
		o.Average = r.boolean(v, name+" average")
	}
	if v := f["type"]; v != nil {
		o.Kind = r.str(v, name+" type")
		if m, ok := tvbMonitor(o.Kind.Value); ok {
			o.Monitor = ast.Str{Value: m, Pos: o.Kind.Pos}
		}
	}
	return o
}

// pipeline reads a TVBO observation pipeline: per step its name (or
// function) and the numbers it is given (equation parameters and
// arguments); what a step computes is known by its name (brain.pipeline).
func (r *reader) pipeline(n *yaml.Node, what string) []*ast.PipelineStep {
	var out []*ast.PipelineStep
	for i, item := range r.list(n, what+" pipeline") {
		w := fmt.Sprintf("%s pipeline step %d", what, i+1)
		st := &ast.PipelineStep{Pos: r.pos(item)}
		a := resolveAlias(item)
		if a == nil || a.Kind != yaml.MappingNode {
			r.errorf(item, "%s must be a mapping with a name", w)
			continue
		}
		for _, k := range []string{"name", "function"} {
			if x := child(a, k); x != nil && st.Name.Value == "" {
				if x.Kind == yaml.MappingNode {
					x = child(x, "name")
				}
				if x != nil {
					st.Name = r.str(x, w+" "+k)
				}
			}
		}
		if st.Name.Value == "" {
			r.errorf(item, "%s has no name", w)
			continue
		}
		// numbers: equation.parameters (a mapping) and arguments (a list
		// of {name, value}); anything else is left to the step's meaning
		if eq := child(a, "equation"); eq != nil && eq.Kind == yaml.MappingNode {
			if ps := child(eq, "parameters"); ps != nil {
				for _, e := range mappingEntries(ps) {
					if v := child(e.value, "value"); v != nil && isNumber(v) {
						st.Values = append(st.Values, &ast.Parameter{Name: ast.Str{Value: e.key, Pos: r.pos(e.keyN)}, Quantity: ast.Quantity{Pos: r.pos(v), Value: r.num(v, w+" "+e.key)}})
					}
				}
			}
		}
		if args := child(a, "arguments"); args != nil && args.Kind == yaml.SequenceNode {
			for _, it := range args.Content {
				nm, v := child(it, "name"), child(it, "value")
				if nm != nil && v != nil && isNumber(v) {
					st.Values = append(st.Values, &ast.Parameter{Name: ast.Str{Value: nm.Value, Pos: r.pos(nm)}, Quantity: ast.Quantity{Pos: r.pos(v), Value: r.num(v, w+" "+nm.Value)}})
				}
			}
		}
		out = append(out, st)
	}
	return out
}

// mappingEntries are a mapping node's key-value pairs (none for another
// node).
func mappingEntries(n *yaml.Node) []entry {
	n = resolveAlias(n)
	var out []entry
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, entry{key: n.Content[i].Value, keyN: n.Content[i], value: n.Content[i+1]})
	}
	return out
}

func isNumber(n *yaml.Node) bool {
	n = resolveAlias(n)
	return n != nil && n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float")
}

// tvbMonitors are TVB's monitors tvboc reproduces, by lower-case name.
var tvbMonitors = map[string]string{"raw": "Raw", "subsample": "SubSample", "temporalaverage": "TemporalAverage", "bold": "Bold"}

// tvbMonitor is the TVB monitor a name spells (any case), if any.
func tvbMonitor(name string) (string, bool) {
	m, ok := tvbMonitors[strings.ToLower(name)]
	return m, ok
}

// monitor reads one entry of TVBO's monitors: (a mapping by monitor name,
// or a list of {name: Raw, period: 1.0, ...}): one of TVB's monitors,
// recorded with TVB's semantics. Monitors TVB computes from a forward
// model or a surface (EEG, MEG, SEEG, iEEG, Projection, ...) are refused
// by name.
func (r *reader) monitor(e entry) *ast.Observation {
	name := fmt.Sprintf("monitor %q", e.key)
	o := &ast.Observation{Name: ast.Str{Value: e.key, Pos: r.pos(e.keyN)}, Pos: r.pos(e.value)}
	f, ok := r.classFields(e.value, name, secMonitor)
	if !ok {
		return o
	}
	m, known := tvbMonitor(e.key)
	if !known {
		r.errorf(e.keyN, "monitor %s is not one tvboc computes", e.key).
			Hint = "tvboc has TVB's Raw, SubSample, TemporalAverage and Bold; EEG, MEG, SEEG and other projections need TVB's forward models"
		return o
	}
	o.Monitor = ast.Str{Value: m, Pos: r.pos(e.keyN)}
	o.Kind = o.Monitor
	if v := f["pipeline"]; v != nil {
		r.errorf(v, "%s: a pipeline is TVBO's Python post-processing, which tvboc does not run", name).
			Hint = "remove the pipeline; the monitor itself (its period, its variables, Bold's HRF) is computed"
	}
	if v := f["period"]; v != nil {
		o.Period = r.num(v, name+" period")
	}
	if v := f["equation"]; v != nil {
		o.Equation = r.equation(v, name)
	}
	if v := f["select_variable"]; v != nil {
		// TVBO writes select_variable: {name: v_pyr}
		if a := resolveAlias(v); a != nil && a.Kind == yaml.MappingNode {
			if n := child(a, "name"); n != nil {
				o.Output = append(o.Output, r.str(n, name+" select_variable name"))
			} else {
				r.errorf(v, "%s select_variable has no name", name).Hint = "write select_variable: {name: V}"
			}
		} else {
			o.Output = append(o.Output, r.strList(v, name+" select_variable")...)
		}
	}
	if v := f["variables_of_interest"]; v != nil {
		list := r.strList(v, name+" variables_of_interest")
		if len(list) == 0 && len(resolveAlias(v).Content) == 0 {
			// an empty list recorded everything, the opposite of its words
			r.errorf(v, "%s variables_of_interest is empty", name).Hint = "name the variables to record, or leave the key out to record the model's own"
		}
		o.Output = append(o.Output, list...)
	}
	if v := f["parameters"]; v != nil {
		o.Parameters = r.brainParameters(v, name+" parameters")
	}
	if v := f["hrf_length"]; v != nil {
		o.Parameters = append(o.Parameters, &ast.Parameter{Name: ast.Str{Value: "hrf_length", Pos: r.pos(v)}, Quantity: r.quantity(v, name+" hrf_length")})
	}
	if v := f["hrf_kernel"]; v != nil {
		if a := resolveAlias(v); a != nil && a.Kind == yaml.MappingNode {
			g, ok := r.classFields(a, name+" hrf_kernel", secHRFKernel)
			if ok {
				if n := g["name"]; n != nil {
					o.Kernel = r.str(n, name+" hrf_kernel name")
				}
				if p := g["parameters"]; p != nil {
					o.Parameters = append(o.Parameters, r.brainParameters(p, name+" hrf_kernel parameters")...)
				}
			}
		} else {
			o.Kernel = r.str(v, name+" hrf_kernel")
		}
	}
	return o
}

// stimulus reads TVBO's stimulation (a Stimulus): equation (rhs over t in
// ms, or the name of one of TVB's temporal equations as its label or
// the stimulus' type), parameters, regions, weighting, and the
// stimulated state variables (targets).
func (r *reader) stimulus(n *yaml.Node) *ast.Stimulus {
	s := &ast.Stimulus{Pos: r.pos(n)}
	f, ok := r.classFields(n, "stimulation", secStimulus)
	if !ok {
		return s
	}
	if v := f["duration"]; v != nil {
		r.errorf(v, "stimulation duration is not used by tvboc").Hint = "write the time window into the equation, e.g. Piecewise((1, t < 100), (0, True))"
	}
	if v := f["dataLocation"]; v != nil {
		r.errorf(v, "a stimulus read from data (dataLocation) is not supported").Hint = "write its temporal equation"
	}
	if v := f["type"]; v != nil {
		s.Kind = r.str(v, "stimulation type")
	}
	if v := f["equation"]; v != nil {
		a := resolveAlias(v)
		if a != nil && a.Kind == yaml.MappingNode && child(a, "rhs") == nil && child(a, "conditionals") == nil {
			// a named equation: {label: PulseTrain, parameters: {...}}
			g, ok := r.classFields(a, "stimulation equation", secStimulusEquation)
			if ok {
				for _, k := range []string{"label", "name"} {
					if x := g[k]; x != nil {
						s.Kind = r.str(x, "stimulation equation "+k)
					}
				}
				if x := g["parameters"]; x != nil {
					s.Parameters = append(s.Parameters, r.brainParameters(x, "stimulation equation parameters")...)
				}
				if s.Kind.Value == "" {
					r.errorf(a, "the stimulation equation has neither rhs nor the name of a TVB temporal equation").
						Hint = "write equation: {rhs: \"amp * sin(2*pi*f*t)\"} or equation: {label: PulseTrain}"
				}
			}
		} else {
			if a != nil && a.Kind == yaml.MappingNode {
				if x := child(a, "parameters"); x != nil {
					s.Parameters = append(s.Parameters, r.brainParameters(x, "stimulation equation parameters")...)
					// equation reads only rhs and its documentation keys
					b := *a
					b.Content = nil
					for i := 0; i+1 < len(a.Content); i += 2 {
						if a.Content[i].Value != "parameters" {
							b.Content = append(b.Content, a.Content[i], a.Content[i+1])
						}
					}
					a = &b
				}
			}
			s.Equation = r.equation(a, "stimulation equation")
		}
	}
	if v := f["parameters"]; v != nil {
		s.Parameters = append(s.Parameters, r.brainParameters(v, "stimulation parameters")...)
	}
	if v := f["regions"]; v != nil {
		for _, item := range r.list(v, "stimulation regions") {
			s.Regions = append(s.Regions, r.num(item, "stimulation region"))
		}
	}
	if v := f["weighting"]; v != nil {
		for _, item := range r.list(v, "stimulation weighting") {
			s.Weighting = append(s.Weighting, r.num(item, "stimulation weighting"))
		}
	}
	if v := f["targets"]; v != nil {
		s.Targets = r.strList(v, "stimulation targets")
	}
	// (a type or equation written but refused has had its message)
	if s.Equation == nil && s.Kind.Value == "" && f["type"] == nil && f["equation"] == nil {
		r.errorf(n, "the stimulation has no equation").Hint = "add equation: {rhs: \"...\"} over t in ms, or type: PulseTrain (a TVB temporal equation)"
	}
	return s
}
