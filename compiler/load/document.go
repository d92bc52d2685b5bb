package load

import (
	"fmt"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/inputs"
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
