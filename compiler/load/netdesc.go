package load

import (
	"path/filepath"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/inputs"
	yaml "go.yaml.in/yaml/v3"
)

// IsNetworkDescriptor reports whether data is a TVBO network file: type:
// network, or a document with weights and number_of_regions and no
// dynamics.
func IsNetworkDescriptor(data []byte) bool {
	docs, err := parseDocuments("", data)
	if err != nil || len(docs) != 1 || docs[0].Kind != yaml.MappingNode {
		return false
	}
	root := docs[0]
	if t := child(root, "type"); t != nil && t.Value == "network" {
		return true
	}
	return child(root, "weights") != nil && child(root, "number_of_regions") != nil && child(root, "dynamics") == nil
}

// NetworkDescriptorFile reads a TVBO network file.
func NetworkDescriptorFile(path string) (*ast.NetworkDescriptor, error) {
	return fromFile(path, NetworkDescriptor)
}

// NetworkDescriptor loads a TVBO network file from YAML bytes.
func NetworkDescriptor(file string, data []byte) (*ast.NetworkDescriptor, error) {
	return loadDocument(file, data, func(r *reader, root *yaml.Node) *ast.NetworkDescriptor { return r.networkDescriptor(root) })
}

func (r *reader) networkDescriptor(n *yaml.Node) *ast.NetworkDescriptor {
	d := &ast.NetworkDescriptor{File: r.file, Pos: r.pos(n)}
	f, ok := r.classFields(n, "the network file", secNetworkFile)
	if !ok {
		return d
	}
	if v := f["type"]; v != nil {
		if t := r.str(v, "type"); t.Value != "network" {
			r.errorf(v, "a network file has type: network, not %q", t.Value)
		}
	}
	for _, k := range []string{"label", "name"} {
		if v := f[k]; v != nil && d.Label.Value == "" {
			d.Label = r.str(v, k)
		}
	}
	if v := f["tractogram"]; v != nil {
		d.Tractogram = r.str(v, "tractogram")
	}
	if v := f["weights"]; v != nil {
		d.Weights = r.str(v, "weights")
	} else {
		r.errorf(n, "the network file names no weights").Hint = "add weights: <name>_weights.csv"
	}
	if v := f["lengths"]; v != nil {
		d.Lengths = r.str(v, "lengths")
	}
	// an empty name names no file: said here, at the key, not later at
	// the file's first line as a file without the key
	for _, k := range []struct {
		key   string
		value ast.Str
		or    string
	}{{"weights", d.Weights, ""}, {"lengths", d.Lengths, ", or leave the key out (no tract lengths: no delays)"}} {
		if v := f[k.key]; v != nil && strings.TrimSpace(k.value.Value) == "" && v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
			r.errorf(v, "%s is empty: name the %s file", k.key, k.key).Hint = "write " + k.key + ": <name>_" + k.key + ".csv" + k.or
		}
	}
	for _, k := range []string{"number_of_regions", "number_of_nodes"} {
		if v := f[k]; v != nil && !d.Regions.Set {
			d.Regions = r.num(v, k)
		}
	}
	return d
}

// descriptorAt reads the network file an experiment names by path,
// relative to the experiment; its errors are the experiment's.
func (r *reader) descriptorAt(ref ast.Str) *ast.NetworkDescriptor {
	path := ref.Value
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(r.file), path)
	}
	data, err := inputs.ReadFile(path)
	if err != nil {
		e := diag.Errorf(ref.Pos, "cannot read the network file %s: %v", ref.Value, unwrapPathError(err))
		e.Hint = "paths are relative to the experiment file"
		r.errs = append(r.errs, e)
		return nil
	}
	d, err := NetworkDescriptor(path, data)
	if err != nil {
		r.errs.Add(err)
		return nil
	}
	return d
}
