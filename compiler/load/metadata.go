package load

import (
	"slices"

	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/sweep"
	yaml "go.yaml.in/yaml/v3"
)

// metadataKeys are keys TVBO's schema defines that describe a document
// and never change a simulation: the loaders accept them wherever TVBO
// writes them, and `tvboc check -v` lists where they were found.
var metadataKeys = map[string]bool{
	"description": true, "references": true, "has_reference": true, "latex": true,
	"symbol": true, "definition": true, "grounding": true, "acronym": true, "doi": true, "year": true,
	"title": true, "derived_from": true, "equation_type": true, "equation_order": true,
	"number_of_modes": true, "model_type": true, "autonomous": true, "cse": true, "compile": true,
	"explored_values": true, "reported_optimum": true, "requirements": true, "environment": true,
	"software": true, "metadata": true, "sample": true,
}

// isMetadata reports whether a key with this value only describes the
// document. source is a citation (a URL) where it is a single value, and
// an observation's recorded variables where it is a list.
func isMetadata(key string, value *yaml.Node) bool {
	if key == "source" {
		v := resolveAlias(value)
		return v != nil && v.Kind == yaml.ScalarNode
	}
	return metadataKeys[key]
}

// MetadataKey is one place where a document writes a metadata key.
type MetadataKey struct {
	Key string
	Pos diag.Pos
}

// MetadataKeys lists the metadata keys (see metadataKeys) a YAML file
// writes, and the schema keys its sections accept without effect (see
// section), in document order. A value under such a key is not looked into
// (a description may hold anything).
func MetadataKeys(file string, data []byte) ([]MetadataKey, error) {
	docs, err := parseDocuments(file, data)
	if err != nil {
		return nil, err
	}
	r := &reader{file: file}
	var out []MetadataKey
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil {
			return
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if isMetadata(k.Value, n.Content[i+1]) {
					out = append(out, MetadataKey{Key: k.Value, Pos: r.pos(k)})
					continue
				}
				walk(n.Content[i+1])
			}
		case yaml.SequenceNode, yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c)
			}
		}
	}
	for _, d := range docs {
		walk(d)
	}
	// and the keys of the schema that tvboc accepts without effect where
	// they stand (Coupling.sparse, ...): only the document's sections know
	if d, err := Document(file, data); err == nil {
		out = append(out, d.Inert...)
	}
	// but a model's parameters' explored_values are its parameter
	// exploration (package sweep): they free the parameters and make sets
	read := map[diag.Pos]bool{}
	for _, root := range docs {
		for _, k := range sweep.ExploredParameters(root) {
			read[r.pos(k)] = true
		}
	}
	out = slices.DeleteFunc(out, func(m MetadataKey) bool { return read[m.Pos] })
	sortKeys(out)
	return out, nil
}
