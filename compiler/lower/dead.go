package lower

import (
	"github.com/tvboc/tvboc/compiler/ir"
)

// dropDeadLets removes the temporaries nothing in body reads. A derived
// variable of a merged synapse can be read only by the synapse's receive
// handler (a plasticity factor), which runs in the delivery phase and
// inlines its own copy; the step itself must not declare it unused, which
// Go rejects.
func dropDeadLets(body []ir.Stmt) []ir.Stmt {
	for {
		used := reads(body)
		out := body[:0:0]
		dropped := false
		for _, s := range body {
			if let, ok := s.(*ir.Let); ok && !used[let.Name] {
				dropped = true
				continue
			}
			out = append(out, s)
		}
		if !dropped {
			return body
		}
		body = out
	}
}

// reads names every identifier the statements read (ir.Reads).
func reads(body []ir.Stmt) map[string]bool {
	used := map[string]bool{}
	ir.Reads(used, body)
	return used
}

// dropDeadSnapshots removes, from a segment whose body starts with the
// n peer-voltage snapshots (snapshots), those nothing after them reads:
// a synapse whose weight or conductance is 0 folds its vpeer away, and Go
// refuses the unused local. The cells' and deliveries' spans move with it.
func dropDeadSnapshots(seg *ir.Segment, n int) {
	used := reads(seg.Body[n:])
	var kept []ir.Stmt
	for _, s := range seg.Body[:n] {
		if let, ok := s.(*ir.Let); !ok || used[let.Name] {
			kept = append(kept, s)
		}
	}
	shift := n - len(kept)
	if shift == 0 {
		return
	}
	seg.Body = append(kept, seg.Body[n:]...)
	for _, spans := range [][]ir.Span{seg.Cells, seg.Post} {
		for i := range spans {
			spans[i].Start -= shift
			spans[i].End -= shift
		}
	}
}
