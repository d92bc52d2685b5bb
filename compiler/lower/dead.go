package lower

import (
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// dropDeadLets removes the temporaries nothing in body reads. A derived
// variable of a merged synapse can be read only by the synapse's receive
// handler (a plasticity factor), which runs in the delivery phase and
// inlines its own copy; the step itself must not declare it unused, which
// Go rejects.
func dropDeadLets(body []ir.Stmt) []ir.Stmt {
	for {
		used := map[string]bool{}
		var mark func(ss []ir.Stmt)
		mark = func(ss []ir.Stmt) {
			for _, s := range ss {
				switch s := s.(type) {
				case *ir.Let:
					markIdents(used, s.Value)
				case *ir.Set:
					markIdents(used, s.Value)
				case *ir.Update:
					for _, v := range s.Values {
						markIdents(used, v)
					}
				case *ir.If:
					markIdents(used, s.Cond)
					mark(s.Then)
				case *ir.Deliver:
					mark(s.Then)
				}
			}
		}
		mark(body)
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

func markIdents(used map[string]bool, n expr.Node) {
	for _, id := range expr.Idents(n) {
		used[id] = true
	}
}
