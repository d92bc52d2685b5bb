package load

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tvboc/tvboc/compiler/ast"
)

// execution reads TVBO's execution section. Only random_seed matters to a
// compiled simulation (the default of the binary's --seed); the other
// settings (workers, precision, accelerator) describe how TVBO runs its
// own backends and are accepted without effect.
func (r *reader) execution(n *yaml.Node) ast.Num {
	entries, ok := r.mapping(n, "execution")
	if !ok {
		return ast.Num{}
	}
	seed := ast.Num{}
	for _, e := range entries {
		switch {
		case e.key == "random_seed":
			seed = r.num(e.value, "execution.random_seed")
		case !slices.Contains(executionKeys, e.key):
			// a misspelt random_sed was accepted and the seed not set
			r.errorf(e.keyN, "unknown key %q in the execution section (known keys: %s%s)", e.key, strings.Join(executionKeys, ", "), suggest(e.key, executionKeys))
		}
	}
	return seed
}

// executionKeys are the keys TVBO's execution section writes: random_seed
// and how TVBO runs its own backends (accepted without effect).
var executionKeys = []string{"accelerator", "find_fixpoint", "n_threads", "n_workers", "precision", "random_seed"}
