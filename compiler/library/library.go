// Package library is the compiler's built-in component library: NeuroML
// core types (`iri: neuroml:<type>`) defined as data, one embedded YAML file
// per type in the same dynamics form experiments use. Adding a type is
// adding a file; no other package knows any particular model.
package library

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/load"
)

//go:embed neuroml/*.yaml
var files embed.FS

// Prefix is the namespace every library IRI starts with.
const Prefix = "neuroml:"

var (
	once  sync.Once
	types map[string]*ast.Dynamics
	err   error
)

func loadAll() {
	types = map[string]*ast.Dynamics{}
	entries, e := fs.ReadDir(files, "neuroml")
	if e != nil {
		err = e
		return
	}
	for _, ent := range entries {
		name := path.Join("neuroml", ent.Name())
		data, e := files.ReadFile(name)
		if e != nil {
			err = e
			return
		}
		d, e := load.Dynamics("library/"+name, data)
		if e != nil {
			err = fmt.Errorf("built-in library: %w", e)
			return
		}
		want := strings.TrimSuffix(ent.Name(), ".yaml")
		if d.Name.Value != want {
			err = fmt.Errorf("built-in library: %s defines %q", name, d.Name.Value)
			return
		}
		types[want] = d
	}
}

// Lookup returns the definition of a library type by its IRI
// ("neuroml:izhikevichCell"). The returned tree is shared: do not modify it.
func Lookup(iri string) (*ast.Dynamics, bool, error) {
	once.Do(loadAll)
	if err != nil {
		return nil, false, err
	}
	name, ok := strings.CutPrefix(iri, Prefix)
	if !ok {
		return nil, false, nil
	}
	d, ok := types[name]
	return d, ok, nil
}

// Names lists the IRIs of every library type, sorted.
func Names() []string {
	once.Do(loadAll)
	out := make([]string, 0, len(types))
	for n := range types {
		out = append(out, Prefix+n)
	}
	sort.Strings(out)
	return out
}

// ParamDimension is the dimension a library type declares for one of its
// parameters ("voltage", "none"), or "" when the type or parameter is
// unknown or declares none.
func ParamDimension(iri, param string) string {
	def, ok, err := Lookup(iri)
	if err != nil || !ok {
		return ""
	}
	for _, p := range def.Parameters {
		if p.Name.Value == param {
			return p.Dimension.Value
		}
	}
	return ""
}
