package load

import (
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
	for _, e := range entries {
		if e.key == "random_seed" {
			return r.num(e.value, "execution.random_seed")
		}
	}
	return ast.Num{}
}
