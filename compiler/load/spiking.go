package load

import (
	"github.com/tvboc/tvboc/compiler/ast"
	yaml "go.yaml.in/yaml/v3"
)

// refractory reads a library cell's `refractory: {period: "...", holds:
// [v]}`: how long after a spike the held variables stay fixed.
func (r *reader) refractory(n *yaml.Node, what string) *ast.Refractory {
	ref := &ast.Refractory{Pos: r.pos(n)}
	f, ok := r.classFields(n, what, secRefractory)
	if !ok {
		return ref
	}
	if v := f["period"]; v != nil {
		ref.Period = r.exprAt(v, what+" period", true)
	} else {
		r.missing(n, "%s has no period", what)
	}
	if v := f["holds"]; v != nil {
		for _, item := range r.list(v, what+" holds") {
			ref.Holds = append(ref.Holds, r.str(item, what+" holds"))
		}
	}
	return ref
}

// triggerTimes reads an event's `trigger_times: [50, 100, 130]` (TVBO's
// spike arrays), in the experiment's time unit.
func (r *reader) triggerTimes(n *yaml.Node, what string) []ast.Num {
	var out []ast.Num
	for _, item := range r.list(n, what) {
		out = append(out, r.num(item, what))
	}
	return out
}
