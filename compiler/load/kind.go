package load

import (
	"github.com/tvboc/tvboc/compiler/ast"
	yaml "go.yaml.in/yaml/v3"
)

// Kind is what a TVBO document describes. The experiment kinds are told
// apart by IsWholeBrain and the population test; the others describe a
// part of an experiment, read on their own by `tvboc check`.
type Kind int

const (
	KindExperiment       Kind = iota // an experiment, a model or a dynamical system
	KindNetworkFile                  // database/networks: a connectome's matrices
	KindCouplingFunction             // database/coupling_functions
	KindIntegrator                   // database/integrators
	KindAtlas                        // database/atlases: a parcellation's regions
	KindStudy                        // database/studies: a SimulationStudy
)

// String names the kind as messages do.
func (k Kind) String() string {
	return [...]string{"experiment", "TVBO network file", "TVBO coupling function", "TVBO integrator", "TVBO atlas", "TVBO study"}[k]
}

// KindOf tells which kind of document data is from its top-level keys.
// Unreadable YAML is an experiment, so the experiment loader reports it.
func KindOf(data []byte) Kind {
	docs, err := parseDocuments("", data)
	if err != nil || len(docs) != 1 || docs[0].Kind != yaml.MappingNode {
		return KindExperiment
	}
	root := docs[0]
	has := func(k string) bool { return topKey(root, k) != nil }
	experiment := has("dynamics") || has("network") || has("state_variables") || has("nodes") || has("model")
	switch {
	case has("simulation_experiments"), has("key") && has("model") && !has("dynamics"):
		return KindStudy
	case IsNetworkDescriptor(data):
		return KindNetworkFile
	case experiment:
		return KindExperiment
	case has("pre_expression") || has("post_expression"):
		return KindCouplingFunction
	case has("method") && (has("step_size") || has("update_expression") || has("duration")):
		return KindIntegrator
	case has("terminology"):
		return KindAtlas
	}
	return KindExperiment
}

// Integrator loads a TVBO integrator file: the integration section of an
// experiment, on its own.
func Integrator(file string, data []byte) (*ast.BrainIntegration, error) {
	return loadDocument(file, data, func(r *reader, root *yaml.Node) *ast.BrainIntegration { return r.brainIntegration(root) })
}

// Atlas is what tvboc reads of a TVBO atlas file: its name and regions.
type Atlas struct {
	Name    string
	Regions int
}

// AtlasFile loads a TVBO atlas (a parcellation: a name and its regions,
// each with a label and a centre); tvboc counts the regions.
func AtlasFile(file string, data []byte) (*Atlas, error) {
	return loadDocument(file, data, func(r *reader, root *yaml.Node) *Atlas { return r.atlas(root) })
}

func (r *reader) atlas(root *yaml.Node) *Atlas {
	a := &Atlas{}
	f, ok := r.classFields(root, "the atlas", secAtlas)
	if !ok {
		return a
	}
	if v := f["name"]; v != nil {
		a.Name = r.str(v, "name").Value
	}
	if t := f["terminology"]; t != nil {
		g, ok := r.classFields(t, "the atlas terminology", secTerminology)
		if ok && g["entities"] != nil {
			// a mapping by label, or a list of regions
			if e := resolveAlias(g["entities"]); e.Kind == yaml.SequenceNode {
				a.Regions = len(e.Content)
			} else {
				entries, _ := r.mapping(e, "the atlas entities")
				a.Regions = len(entries)
			}
		}
	}
	return a
}
