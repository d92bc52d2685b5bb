package load

import (
	"fmt"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/diag"
	yaml "go.yaml.in/yaml/v3"
)

// This file reads population experiments: networks whose nodes stand for
// many cells (`size: N`) and whose edges are connectivity rules. They
// share the YAML shape of every experiment but load into
// ast.PopExperiment (package popnet gives them their meaning).

// IsPopulation reports whether the experiment in data is a population
// network: a network node has a size, or an edge a connectivity rule.
// Unreadable YAML answers false, so the general loader reports the error.
func IsPopulation(data []byte) bool {
	docs, err := parseDocuments("", data)
	if err != nil || len(docs) != 1 || docs[0].Kind != yaml.MappingNode {
		return false
	}
	net := child(docs[0], "network")
	if net == nil {
		return false
	}
	for _, key := range []string{"nodes", "edges"} {
		list := child(net, key)
		if list == nil || list.Kind != yaml.SequenceNode {
			continue
		}
		for _, item := range list.Content {
			if child(item, "size") != nil || child(item, "connectivity") != nil {
				return true
			}
		}
	}
	return false
}

// child is the value of key in mapping n, or nil.
func child(n *yaml.Node, key string) *yaml.Node {
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

// PopulationFile reads and loads a population experiment file.
func PopulationFile(path string) (*ast.PopExperiment, error) {
	return fromFile(path, PopulationExperiment)
}

// PopulationExperiment loads a population experiment from YAML bytes.
func PopulationExperiment(file string, data []byte) (*ast.PopExperiment, error) {
	return loadDocument(file, data, func(r *reader, root *yaml.Node) *ast.PopExperiment { return r.popExperiment(root) })
}

func (r *reader) popExperiment(n *yaml.Node) *ast.PopExperiment {
	exp := &ast.PopExperiment{File: r.file, Pos: r.pos(n)}
	f, ok := r.classFields(n, "the experiment", secExperiment)
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
		r.errorf(v, "a population network takes its dynamics from network.dynamics, not a top-level dynamics").
			Hint = "move it under network: dynamics: {<name>: ...}"
	}
	if v := f["network"]; v != nil {
		r.popNetwork(v, exp)
	}
	if v := f["integration"]; v != nil {
		exp.Integration = r.integration(v)
	} else {
		r.errs = append(r.errs, diag.Errorf(r.pos(n), "the experiment has no integration section").
			WithHint("add integration: {method: euler, step_size: 0.1, duration: 1000, time_scale: ms}"))
	}
	if v := f["execution"]; v != nil {
		exp.RandomSeed = r.execution(v)
	}
	return exp
}

func (r *reader) popNetwork(n *yaml.Node, exp *ast.PopExperiment) {
	f, ok := r.classFields(n, "the network section", secPopNetwork)
	if !ok {
		return
	}
	if v := f["dynamics"]; v != nil {
		entries, _ := r.mapping(v, "network dynamics")
		for _, e := range entries {
			exp.Dynamics = append(exp.Dynamics, r.dynamics(e.value, e.key, fmt.Sprintf("network dynamics %q", e.key)))
		}
	}
	if v := f["nodes"]; v != nil {
		for _, item := range r.list(v, "nodes") {
			exp.Nodes = append(exp.Nodes, r.popNode(item))
		}
	}
	if v := f["edges"]; v != nil {
		for _, item := range r.list(v, "edges") {
			exp.Edges = append(exp.Edges, r.popEdge(item))
		}
	}
}

func (r *reader) popNode(n *yaml.Node) *ast.PopNode {
	node := &ast.PopNode{Pos: r.pos(n)}
	f, ok := r.classFields(n, "a node", secPopNode)
	if !ok {
		return node
	}
	if v := f["id"]; v != nil {
		node.ID = r.str(v, "node id")
	} else {
		r.missing(n, "a node has no id")
	}
	if v := f["dynamics"]; v != nil {
		node.Dynamics = r.str(v, "node dynamics")
	} else {
		r.missing(n, "a node has no dynamics")
	}
	if v := f["size"]; v != nil {
		node.Size = r.num(v, "node size")
	}
	if v := f["record"]; v != nil {
		node.Record = r.boolean(v, "record")
	}
	if v := f["per_cell"]; v != nil {
		node.PerCell = r.parameters(v, "node per_cell")
	}
	if v := f["parameters"]; v != nil {
		node.Parameters = r.parameters(v, "node parameters")
	}
	return node
}

func (r *reader) popEdge(n *yaml.Node) *ast.PopEdge {
	e := &ast.PopEdge{Pos: r.pos(n)}
	f, ok := r.classFields(n, "an edge", secPopEdge)
	if !ok {
		return e
	}
	if v := f["source"]; v != nil {
		e.Source = r.str(v, "edge source")
	} else {
		r.missing(n, "an edge has no source")
	}
	if v := f["target"]; v != nil {
		if v.Kind == yaml.SequenceNode {
			for _, t := range v.Content {
				e.Targets = append(e.Targets, r.str(t, "edge target"))
			}
			if len(v.Content) == 0 {
				r.errorf(v, "the edge's target list is empty").Hint = "name a population, or a list of them: target: [exc, inh]"
			}
		} else {
			e.Targets = []ast.Str{r.str(v, "edge target")}
		}
	} else {
		r.missing(n, "an edge has no target")
	}
	if v := f["connectivity"]; v != nil {
		e.Connectivity = r.str(v, "edge connectivity")
	}
	if v := f["connection_probability"]; v != nil {
		e.Probability = r.num(v, "connection_probability")
	}
	if v := f["targets_per_source"]; v != nil {
		e.PerSource = r.num(v, "targets_per_source")
	}
	if v := f["weight"]; v != nil {
		e.Weight = &ast.Parameter{Name: ast.Str{Value: "weight", Pos: r.pos(v)}, Quantity: r.quantity(v, "edge weight")}
	}
	if v := f["delay"]; v != nil {
		e.Delay = r.num(v, "edge delay")
	}
	if v := f["target_variable"]; v != nil {
		e.Variable = r.str(v, "edge target_variable")
	}
	if v := f["coupling"]; v != nil {
		e.Coupling = r.str(v, "edge coupling")
	}
	if v := f["parameters"]; v != nil {
		e.Parameters = r.parameters(v, "edge parameters")
	}
	return e
}
