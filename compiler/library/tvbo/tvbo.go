// Package tvbo is the built-in library of whole-brain building blocks
// (`iri: tvbo:<Name>`): neural-mass models and coupling functions as data,
// one embedded YAML file each, in the same form an experiment writes them.
// Adding a model or a coupling function is adding a file.
package tvbo

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

//go:embed models/*.yaml couplings/*.yaml
var files embed.FS

// Prefix is the namespace of library IRIs.
const Prefix = "tvbo:"

// aliases are other names TVBO uses for the same library entry.
var aliases = map[string]string{
	"KuramotoCoupling": "Kuramoto",
	"G2D":              "Generic2dOscillator",
	"MPR":              "MontbrioPazoRoxin",
	"RWW":              "ReducedWongWang",
	"RWWExcInh":        "ReducedWongWangExcInh",
}

var (
	once      sync.Once
	models    map[string]*ast.MassModel
	couplings map[string]*ast.Coupling
	loadErr   error
)

func loadAll() {
	models = map[string]*ast.MassModel{}
	couplings = map[string]*ast.Coupling{}
	for _, dir := range []string{"models", "couplings"} {
		entries, err := fs.ReadDir(files, dir)
		if err != nil {
			loadErr = err
			return
		}
		for _, ent := range entries {
			name := path.Join(dir, ent.Name())
			data, err := files.ReadFile(name)
			if err != nil {
				loadErr = err
				return
			}
			key := strings.TrimSuffix(ent.Name(), ".yaml")
			if dir == "models" {
				m, err := load.MassModel("tvbo/"+name, data)
				if err != nil {
					loadErr = fmt.Errorf("built-in model %s: %w", key, err)
					return
				}
				models[key] = m
			} else {
				c, err := load.CouplingFunction("tvbo/"+name, data)
				if err != nil {
					loadErr = fmt.Errorf("built-in coupling %s: %w", key, err)
					return
				}
				couplings[key] = c
			}
		}
	}
}

// trim removes the tvbo: prefix and resolves aliases.
func trim(iri string) string {
	name := strings.TrimPrefix(iri, Prefix)
	if a, ok := aliases[name]; ok {
		return a
	}
	return name
}

// Model returns the library model an IRI names (tvbo:JansenRit), or nil.
// The result is shared: callers must not modify it.
func Model(iri string) (*ast.MassModel, error) {
	once.Do(loadAll)
	if loadErr != nil {
		return nil, loadErr
	}
	return models[trim(iri)], nil
}

// Coupling returns the library coupling function an IRI names
// (tvbo:Linear), or nil. The result is shared: callers must not modify it.
func Coupling(iri string) (*ast.Coupling, error) {
	once.Do(loadAll)
	if loadErr != nil {
		return nil, loadErr
	}
	return couplings[trim(iri)], nil
}

// ModelNames lists the library's models as IRIs, sorted.
func ModelNames() []string {
	once.Do(loadAll)
	return iris(models)
}

// CouplingNames lists the library's coupling functions as IRIs, sorted.
func CouplingNames() []string {
	once.Do(loadAll)
	return iris(couplings)
}

func iris[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, Prefix+k)
	}
	sort.Strings(out)
	return out
}
