package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/diag"
	yaml "go.yaml.in/yaml/v3"
)

// This file reads the two whole-brain shapes that are not one
// SimulationExperiment document:
//
//   - a model definition alone (TVBO's models/*.yaml: name, parameters,
//     state_variables at the top level), compiled as one unconnected node
//     with the default integration;
//   - a multi-document file whose first document is a heterogeneous
//     network (nodes that name their dynamics, explicit edges) and whose
//     other documents are those dynamics (TVBO's Network.from_string plus
//     Dynamics.from_string, as its HeterogeneousNodes/Edges pages write
//     them). The network document may carry an integration section.
//
// Any other multi-document file is an error that lists its documents.

// parseDocuments decodes every YAML document of the file.
func parseDocuments(file string, data []byte) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*yaml.Node
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, yamlError(file, data, err)
		}
		if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
			continue
		}
		docs = append(docs, doc.Content[0])
	}
	if len(docs) == 0 {
		return nil, diag.Errorf(diag.Pos{File: file}, "the file is empty")
	}
	return docs, nil
}

// topKey returns the value of key in a mapping node, or nil.
func topKey(n *yaml.Node, key string) *yaml.Node {
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return resolveAlias(n.Content[i+1])
		}
	}
	return nil
}

// isBareModel reports whether a document is a model definition alone.
func isBareModel(n *yaml.Node) bool {
	return topKey(n, "state_variables") != nil && topKey(n, "dynamics") == nil && topKey(n, "nodes") == nil
}

// isHeterogeneous reports whether documents are a network with nodes
// followed by dynamics definitions.
func isHeterogeneous(docs []*yaml.Node) bool {
	if topKey(docs[0], "nodes") == nil {
		return false
	}
	for _, d := range docs[1:] {
		if !isBareModel(d) {
			return false
		}
	}
	return true
}

// docLabel describes a document for the list of a multi-document file.
func docLabel(n *yaml.Node) string {
	for _, k := range []string{"label", "name"} {
		if v := topKey(n, k); v != nil && v.Kind == yaml.ScalarNode {
			return v.Value
		}
	}
	return "(no label)"
}

// heterogeneous reads a network document and its dynamics documents.
func (r *reader) heterogeneous(docs []*yaml.Node) *ast.BrainExperiment {
	if !isHeterogeneous(docs) {
		var list string
		for i, d := range docs {
			list += fmt.Sprintf("; %d (line %d): %s", i+1, d.Line, docLabel(d))
		}
		r.errorf(docs[1], "the file holds %d YAML documents, which are not a network followed by its node dynamics", len(docs)).
			Hint = "put one SimulationExperiment per file, or a network with nodes first and one dynamics (name, parameters, state_variables) per document after it; documents" + list
		return &ast.BrainExperiment{File: r.file}
	}
	root := docs[0]
	exp := &ast.BrainExperiment{File: r.file, Pos: r.pos(root)}
	f, ok := r.classFields(root, "the network document", secHeteroNetwork)
	if !ok {
		return exp
	}
	if v := f["label"]; v != nil {
		exp.Label = r.str(v, "label")
	}
	net := &ast.BrainNetwork{Pos: r.pos(root)}
	exp.Network = net
	if v := f["number_of_nodes"]; v != nil {
		net.NumberOfNodes = r.num(v, "number_of_nodes")
	}
	net.Nodes = r.brainNodes(f["nodes"])
	if v := f["edges"]; v != nil {
		net.Edges = r.brainEdges(v)
	}
	if v := f["parameters"]; v != nil {
		net.Parameters = r.brainParameters(v, "network parameters")
	}
	if v := f["integration"]; v != nil {
		exp.Integration = r.brainIntegration(v)
	}
	if v := f["observations"]; v != nil {
		entries, _ := r.mapping(v, "observations")
		for _, e := range entries {
			exp.Observations = append(exp.Observations, r.observation(e))
		}
	}
	seen := map[string]diag.Pos{}
	for _, d := range docs[1:] {
		m := r.massModel(d, "the dynamics")
		if m.Name.Value == "" {
			r.errorf(d, "a node dynamics document has no name").Hint = "add name: <the name nodes give in dynamics:>"
			continue
		}
		if p, dup := seen[m.Name.Value]; dup {
			r.errorf(d, "dynamics %q is defined twice (first at line %d)", m.Name.Value, p.Line)
			continue
		}
		seen[m.Name.Value] = m.Pos
		exp.Library = append(exp.Library, m)
	}
	// a dynamics no node names is a document nothing reads: most often a
	// node's dynamics misspelt, which the nodes' own check then names
	used, misspelt := map[string]bool{}, false
	for _, n := range net.Nodes {
		used[n.Dynamics.Value] = true
		_, defined := seen[n.Dynamics.Value]
		misspelt = misspelt || !defined
	}
	for _, m := range exp.Library {
		if !used[m.Name.Value] && !misspelt {
			r.errs = append(r.errs, diag.Errorf(m.Name.Pos, "dynamics %q is defined, and no node uses it", m.Name.Value).
				WithHint("give a node dynamics: %s, or remove the document", m.Name.Value))
		}
	}
	return exp
}

// bareModel reads a model definition as an experiment of one node.
func (r *reader) bareModel(n *yaml.Node) *ast.BrainExperiment {
	m := r.massModel(n, "the model")
	exp := &ast.BrainExperiment{File: r.file, Pos: r.pos(n), Dynamics: m, BareModel: true}
	exp.Label = ast.Str{Value: m.Name.Value + " (single node)", Pos: m.Name.Pos}
	if m.Name.Value == "" {
		exp.Label.Value = "single node"
	}
	// A library IRI in a model file names the model itself, not a base to
	// merge over: the file is the whole definition.
	m.IRI = ast.Str{}
	return exp
}

func (r *reader) brainNodes(n *yaml.Node) []*ast.BrainNode {
	var out []*ast.BrainNode
	for _, item := range r.list(n, "nodes") {
		node := &ast.BrainNode{Pos: r.pos(item)}
		f, ok := r.classFields(item, "a node", secBrainNode)
		if !ok {
			continue
		}
		if v := f["id"]; v != nil {
			node.ID = r.num(v, "node id")
		} else {
			r.missing(item, "a node has no id").Hint = "add id: 0"
		}
		if v := f["label"]; v != nil {
			node.Label = r.str(v, "node label")
		}
		if v := f["dynamics"]; v != nil {
			node.Dynamics = r.str(v, "node dynamics")
		} else {
			r.missing(item, "a node has no dynamics").Hint = "name the dynamics document it runs: dynamics: <name>"
		}
		out = append(out, node)
	}
	return out
}

func (r *reader) brainEdges(n *yaml.Node) []*ast.BrainEdge {
	var out []*ast.BrainEdge
	for _, item := range r.list(n, "edges") {
		e := &ast.BrainEdge{Pos: r.pos(item), Weight: ast.Num{Value: 1}}
		f, ok := r.classFields(item, "an edge", secBrainEdge)
		if !ok {
			continue
		}
		for key, dst := range map[string]*ast.Num{"source": &e.Source, "target": &e.Target} {
			if v := f[key]; v != nil {
				*dst = r.num(v, "edge "+key)
			} else {
				r.missing(item, "an edge has no %s", key).Hint = "add " + key + ": <node id>"
			}
		}
		if v := f["parameters"]; v != nil {
			for _, p := range r.brainParameters(v, "edge parameters") {
				if p.Name.Value != "weight" {
					r.errorf(item, "unknown edge parameter %q", p.Name.Value).Hint = "edges take one parameter, weight"
					continue
				}
				e.Weight = p.Value
			}
		}
		if v := f["source_var"]; v != nil {
			e.SourceVar = r.str(v, "edge source_var")
		} else {
			r.missing(item, "an edge has no source_var").Hint = "name the source node's variable it carries: source_var: x"
		}
		if v := f["target_var"]; v != nil {
			e.TargetVar = r.str(v, "edge target_var")
		} else {
			r.missing(item, "an edge has no target_var").Hint = "name the target node's coupling input it feeds: target_var: c_in"
		}
		out = append(out, e)
	}
	return out
}
