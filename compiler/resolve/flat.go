package resolve

import (
	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/flatten"
)

// flatType resolves a cell written as a tree of components (a
// conductance-based NeuroML cell, or a hierarchical "extends:" dynamics):
// package flatten turns the tree into one flat dynamics in SI units, which
// becomes an ordinary cell type.
func (r *resolver) flatType(d *ast.Dynamics) *Type {
	cell, err := flatten.FlattenWith(d, flatten.Options{ODE: r.opts.ODE})
	if err != nil {
		r.errs.Add(err)
		return nil
	}
	if r.opts.AlphaBeta {
		flatten.AlphaBetaGates(cell)
	}
	t := &Type{Name: d.Name.Value, IRI: d.IRI.Value, Pos: d.Pos, Kind: Cell, TimeUnit: 1,
		Params: cell.Params, ParamOrder: cell.ParamOrder,
		Inputs: []*Port{{Name: cell.InputPort, Dimension: "current"}}}
	for _, dv := range cell.Derived {
		t.Derived = append(t.Derived, &Derived{Name: dv.Name, Value: dv.Value})
	}
	for _, s := range cell.States {
		t.States = append(t.States, &State{Name: s.Name, Rate: s.Rate, Initial: &expr.Num{Value: s.Initial},
			Unit: s.Unit, ToSI: 1, OfInterest: s.OfInterest})
	}
	for _, l := range cell.Lags {
		t.Lags = append(t.Lags, &Lag{Name: l.Name, Of: l.Of, Steps: l.Steps})
	}
	for _, l := range cell.DerivedLags {
		t.DerivedLags = append(t.DerivedLags, &DerivedLag{Name: l.Name, Of: l.Of, Init: l.Init})
	}
	for _, sc := range cell.Schemes {
		t.Schemes = append(t.Schemes, &Scheme{States: sc.States, Edges: sc.Edges, Forward: sc.Forward, Reverse: sc.Reverse, Shown: sc.Shown})
	}
	for _, ev := range cell.Events {
		e := &Event{Name: ev.Name, Condition: ev.Condition, Emit: ev.Emit}
		for _, a := range ev.Assign {
			e.Assign = append(e.Assign, Assignment{Var: a.Var, Value: a.Value})
		}
		t.Events = append(t.Events, e)
	}
	if len(cell.Attached) > 0 {
		if r.attached == nil {
			r.attached = map[*Type][]*ast.Dynamics{}
		}
		r.attached[t] = cell.Attached
	}
	return t
}

// attachInputs gives every node of a flattened cell type the current
// inputs its type carries (pulse generators written as components of the
// cell, or TVBO's pulse_* parameters): one unrecorded input node each,
// driving the cell's input port like an input edge would.
func (r *resolver) attachInputs(m *Model) {
	cells := append([]*Node(nil), m.Nodes...)
	for _, n := range cells {
		for _, src := range r.attached[n.Type] {
			def := *src
			def.Name = ast.Str{Value: n.Type.Name + "_" + src.Name.Value, Pos: src.Name.Pos}
			t := r.typeOf(&def, m.TimeScale)
			if t == nil {
				continue
			}
			if t.Kind != Input {
				r.errorf(src.Pos, "component %q of %s is not a current input", src.Name.Value, n.Type.Name)
				continue
			}
			var pop *Population
			for _, p := range m.Populations {
				if p.Type == t {
					pop = p
				}
			}
			if pop == nil {
				pop = &Population{Name: t.Name + "_pop", Type: t}
				m.Populations = append(m.Populations, pop)
				m.Types = append(m.Types, t)
			}
			in := &Node{ID: n.ID + "/" + src.Name.Value, Pos: src.Pos, Type: t, Pop: pop, Index: len(pop.Nodes),
				Drives: map[string][]*Node{}}
			pop.Nodes = append(pop.Nodes, in)
			m.Nodes = append(m.Nodes, in)
			n.Drives[flatten.InputPort] = append(n.Drives[flatten.InputPort], in)
		}
	}
}
