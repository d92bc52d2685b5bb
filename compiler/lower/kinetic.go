package lower

import (
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/resolve"
)

// schemes reports whether n's kinetic schemes (resolve.Scheme) are
// advanced as jLEMS advances them. The plain ODE reading integrates the
// occupancies' rates instead, as do population kernels, which keep that
// reading for now.
func (l *lowerer) schemes(n *resolve.Node) bool {
	return len(n.Type.Schemes) > 0 && !l.m.ODE && !l.popKernel
}

// advanceSchemes replaces the integration method's new occupancies of
// n's kinetic schemes (in next, indexed like the type's states) by
// jLEMS's: the matrix exponential of the rates, evaluated at the state
// the step starts from, times the occupancies the step starts from.
func (l *lowerer) advanceSchemes(n *resolve.Node, env map[string]expr.Node, cur []expr.Node, dtU float64, next []expr.Node) {
	index := map[string]int{}
	for i, s := range n.Type.States {
		index[s.Name] = i
	}
	now := l.startValues(n, env, cur, dtU)
	for _, sc := range n.Type.Schemes {
		args := []expr.Node{nil, num(dtU), num(float64(len(sc.Edges)))}
		for _, e := range sc.Edges {
			args = append(args, num(float64(e[0])), num(float64(e[1])))
		}
		for r := range sc.Edges {
			args = append(args, now[sc.Forward[r]], now[sc.Reverse[r]])
		}
		for _, s := range sc.States {
			args = append(args, cur[index[s]])
		}
		for i, s := range sc.States {
			a := append([]expr.Node(nil), args...)
			a[0] = num(float64(i))
			next[index[s]] = &expr.Call{Func: ir.KineticStep, Args: a}
		}
	}
}

// showSchemes records, in place of each occupancy of n's kinetic
// schemes, its one-step copy (resolve.Scheme.Shown): what jLEMS shows.
func (l *lowerer) showSchemes(p *ir.Program, n *resolve.Node) {
	at := map[string]int{}
	for i, s := range p.States {
		at[s.Name] = i
	}
	for _, sc := range n.Type.Schemes {
		for i, s := range sc.States {
			for c := range p.Columns {
				if p.Columns[c].Name == n.Quantity(s) && !p.Columns[c].Derived() {
					p.Columns[c].State = at[l.state[n][sc.Shown[i]]]
				}
			}
		}
	}
}
