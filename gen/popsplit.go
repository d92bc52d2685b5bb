package gen

import "github.com/tvboc/tvboc/compiler/ir"

// split writes split(), run once the team size is known and the synapses
// are drawn: it regroups every compressed sparse row by target block
// (runtime.SplitRows), so a worker delivers a spike through its own
// segment of the row only. The regrouping is stable, so each cell still
// sums its inputs in the row's order and results do not depend on the
// team size. Dense rows need nothing: a block's share of a dense row is
// already one contiguous slice.
func (g *popGen) split() {
	g.f("\n// split regroups the sparse rows by worker block (see runtime.SplitRows).\nfunc split() {\n")
	for e, edge := range g.p.Edges {
		if edge.Rule == ir.AllToAll {
			continue
		}
		for t, ti := range edge.Targets {
			g.f("\te%d_seg%d = runtime.SplitRows(e%d_row%d, e%d_col%d, e%d_w%d, %s, workers)\n", e, t, e, t, e, t, e, t, size(g.p.Pops[ti]))
		}
	}
	g.f("}\n")
}
