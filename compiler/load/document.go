package load

import (
	"fmt"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/inputs"
	"github.com/tvboc/tvboc/compiler/load/schema"
	yaml "go.yaml.in/yaml/v3"
)

// Backend is the back end an experiment document goes to.
type Backend int

const (
	NoBackend  Backend = iota // not an experiment (a study, a network file, a part)
	NodeList                  // nodes and edges, each node its own dynamics (package resolve)
	Population                // nodes of size N, edges with connectivity rules (package popnet)
	NeuralMass                // a neural-mass model on a connectome (package brain)
)

// String names the back end as messages do.
func (b Backend) String() string {
	return [...]string{"none", "node list", "population network", "neural mass"}[b]
}

// Doc is one TVBO document, loaded: Kind (and, for an experiment,
// Backend) says which one of its values is set.
type Doc struct {
	File    string
	Kind    Kind
	Backend Backend
	// Class is the TVBO schema class of the document's root:
	// SimulationExperiment, SimulationStudy, Dynamics (a model file,
	// compiled as one node), Connectome, Coupling, Integrator, or
	// tvboc:Atlas.
	Class string

	Experiment *ast.Experiment      // Backend NodeList
	Pop        *ast.PopExperiment   // Backend Population
	Brain      *ast.BrainExperiment // Backend NeuralMass
	Study      *ast.Study
	Network    *ast.NetworkDescriptor
	Coupling   *ast.Coupling
	Integrator *ast.BrainIntegration
	Atlas      *Atlas

	// Inert are the keys of the schema the document writes that tvboc
	// accepts without effect (Coupling.sparse, an integrator's
	// update_expression, ...), in document order; the metadata keys are
	// MetadataKeys'.
	Inert []MetadataKey
}

// DocumentFile reads and loads the document at path (see Document).
func DocumentFile(path string) (*Doc, error) {
	data, err := inputs.ReadFile(path)
	if err != nil {
		return nil, &diag.Error{Pos: diag.Pos{File: path}, Msg: fmt.Sprintf("cannot read the experiment: %v", unwrapPathError(err))}
	}
	return Document(path, data)
}

// Document loads any TVBO document: it tells the class from the root keys
// (KindOf), picks an experiment's back end from what its model and
// network hold, and reads the document with the sections of that class.
// file names it in messages. On a mistake the error comes with the Doc
// all the same, its values unset, so a caller can tell what the file was
// meant to be (nil for an unreadable file).
func Document(file string, data []byte) (*Doc, error) {
	r := &reader{file: file}
	d := &Doc{File: file, Kind: KindOf(data)}
	var err error
	switch d.Kind {
	case KindStudy:
		d.Class = "SimulationStudy"
		d.Study, err = loadWith(r, data, func(r *reader, root *yaml.Node) *ast.Study { return r.study(root) })
	case KindNetworkFile:
		d.Class = "Connectome"
		d.Network, err = loadWith(r, data, func(r *reader, root *yaml.Node) *ast.NetworkDescriptor { return r.networkDescriptor(root) })
	case KindCouplingFunction:
		d.Class = "Coupling"
		d.Coupling, err = loadWith(r, data, func(r *reader, root *yaml.Node) *ast.Coupling { return r.coupling(root, "", "the coupling function") })
	case KindIntegrator:
		d.Class = "Integrator"
		d.Integrator, err = loadWith(r, data, func(r *reader, root *yaml.Node) *ast.BrainIntegration { return r.brainIntegration(root) })
	case KindAtlas:
		d.Class = "tvboc:Atlas"
		d.Atlas, err = loadWith(r, data, func(r *reader, root *yaml.Node) *Atlas { return r.atlas(root) })
	default:
		d.Class = "SimulationExperiment"
		if cls, pos := otherClass(file, data); cls != "" {
			// a document of a class tvboc reads only inside an
			// experiment (a Monitor, a Stimulus, ...): say so, rather
			// than report each of its keys as unknown to an experiment
			d.Class = cls
			e := diag.Errorf(pos, "this is a TVBO %s (its keys are the schema's for %s), which tvboc does not read on its own", cls, cls)
			e.Hint = "tvboc reads experiments, studies, models, network files, coupling functions, integrators and atlases; write it into an experiment"
			return d, e
		}
		switch {
		case IsWholeBrain(data):
			d.Backend = NeuralMass
			if docs, perr := parseDocuments(file, data); perr == nil && len(docs) == 1 && isBareModel(docs[0]) {
				d.Class = "Dynamics"
			}
			d.Brain, err = brainExperimentWith(r, data)
		case IsPopulation(data):
			d.Backend = Population
			d.Pop, err = loadWith(r, data, func(r *reader, root *yaml.Node) *ast.PopExperiment { return r.popExperiment(root) })
		default:
			d.Backend = NodeList
			d.Experiment, err = loadWith(r, data, func(r *reader, root *yaml.Node) *ast.Experiment { return r.experiment(root) })
		}
	}
	if err != nil {
		return d, err
	}
	sortKeys(r.inert)
	d.Inert = r.inert
	return d, nil
}

// readClasses are the classes Document reads on their own, or as an
// experiment (and so never names as "other").
var readClasses = map[string]bool{"SimulationExperiment": true, "SimulationStudy": true, "Dynamics": true,
	"NeuralMassModel": true, "Connectome": true, "Network": true, "Coupling": true, "Integrator": true}

// otherClass names the one class of TVBO's schema whose keys the root of
// a single-document file writes, when that is no class Document reads and
// the root has none of an experiment's keys. At least two keys besides
// the metadata must be there, so a near-empty experiment stays one.
func otherClass(file string, data []byte) (string, diag.Pos) {
	docs, err := parseDocuments(file, data)
	if err != nil || len(docs) != 1 || docs[0].Kind != yaml.MappingNode {
		return "", diag.Pos{}
	}
	root := docs[0]
	var keys []string
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i].Value
		switch {
		case metadataKeys[k] || contains(tvboDocKeys, k):
		case secExperiment.accepts(k) || secBrainExperiment.accepts(k) || contains([]string{"state_variables", "nodes", "model", "edges"}, k):
			return "", diag.Pos{}
		default:
			keys = append(keys, k)
		}
	}
	if len(keys) < 2 {
		return "", diag.Pos{}
	}
	var match []string
	for _, name := range schema.Names() {
		c := schema.Lookup(name)
		all := true
		for _, k := range keys {
			if c.Slot(k) == nil {
				all = false
				break
			}
		}
		if all {
			match = append(match, name)
		}
	}
	// a class and its subclasses: the most general one that fits
	if len(match) > 1 {
		var roots []string
		for _, m := range match {
			if p := schema.Lookup(m).IsA; p == "" || !contains(match, p) {
				roots = append(roots, m)
			}
		}
		match = roots
	}
	if len(match) != 1 || readClasses[match[0]] {
		return "", diag.Pos{}
	}
	return match[0], diag.Pos{File: file, Line: root.Line, Col: root.Column}
}
