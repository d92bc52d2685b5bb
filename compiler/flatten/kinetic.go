package flatten

import (
	"github.com/tvboc/tvboc/compiler/expr"
)

// kineticScheme gives the occupancies of a gateKS's states their rates:
// every transition moves occupancy from its `from` state to its `to`
// state at rf and back at rr, so
//
//	d occ_s/dt = sum over transitions into s  (rf*occ_from - rr*occ_s)
//	           + sum over transitions out of s (rr*occ_to  - rf*occ_s)
//
// which keeps the total occupancy at 1. As in jLEMS, the whole occupancy
// starts in the first state listed. The plain ODE reading integrates the
// occupancies with the experiment's method like every other state; the
// jLEMS reading records the scheme (Scheme) so that the kernel advances
// them as jLEMS does, with the matrix exponential of the rates over dt.
func (f *flattener) kineticScheme(gate *inst) {
	var states []*inst
	byKey := map[string]*inst{}
	for _, c := range gate.children {
		if c.bases["KSState"] {
			states = append(states, c)
			byKey[c.key] = c
		}
	}
	if len(states) == 0 {
		f.errorf(gate.node.Pos, "kinetic-scheme gate %q has no states", gate.key).
			Hint = "add closedState and openState components and vHalfTransition components between them"
		return
	}
	index := map[*inst]int{}
	sch := &Scheme{}
	for i, s := range states {
		index[s] = i
		sch.States = append(sch.States, s.local["occupancy"])
	}
	occ := func(s *inst) expr.Node { return &expr.Ident{Name: s.local["occupancy"]} }
	rate := map[*inst]expr.Node{}
	add := func(s *inst, term expr.Node) {
		if rate[s] == nil {
			rate[s] = term
			return
		}
		rate[s] = &expr.Binary{Op: "+", X: rate[s], Y: term}
	}
	for _, tr := range gate.children {
		if !tr.bases["KSTransition"] {
			continue
		}
		from, to := byKey[tr.links["from"]], byKey[tr.links["to"]]
		if from == nil || to == nil {
			f.errorf(tr.node.Pos, "transition %q must name its states with from: {description: <state>} and to: {description: <state>}", tr.key).
				Hint = "states of " + gate.key + ": " + keys(states)
			continue
		}
		rf, okF := tr.local["rf"]
		rr, okR := tr.local["rr"]
		if !okF || !okR {
			f.errorf(tr.node.Pos, "transition %q defines no rf and rr rates", tr.key)
			continue
		}
		sch.Edges = append(sch.Edges, [2]int{index[from], index[to]})
		sch.Forward = append(sch.Forward, rf)
		sch.Reverse = append(sch.Reverse, rr)
		// net flux from -> to
		flux := &expr.Binary{Op: "-",
			X: &expr.Binary{Op: "*", X: &expr.Ident{Name: rf}, Y: occ(from)},
			Y: &expr.Binary{Op: "*", X: &expr.Ident{Name: rr}, Y: occ(to)}}
		add(to, flux)
		add(from, &expr.Unary{Op: "-", X: flux})
	}
	for i, s := range states {
		for _, st := range f.states {
			if st.name != s.local["occupancy"] {
				continue
			}
			if r := rate[s]; r != nil {
				st.rate = item{in: s, node: r, flat: true}
			}
			st.initial = nil
			st.initVal = 0
			if i == 0 {
				st.initVal = 1
			}
		}
	}
	if !f.opts.ODE && len(sch.Edges) > 0 {
		for _, s := range sch.States {
			sch.Shown = append(sch.Shown, f.lag(s, 1))
		}
		f.cell.Schemes = append(f.cell.Schemes, sch)
	}
}

func keys(list []*inst) string {
	out := ""
	for i, s := range list {
		if i > 0 {
			out += ", "
		}
		out += s.key
	}
	return out
}
