package lower

import (
	"fmt"
	"math"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/resolve"
)

// LowerCell lowers one representative cell for the population path: the
// population's kernel is exactly the node-list step of this node (with
// its synapses merged in and its attached inputs specialized per step
// range), so a population of library cells computes what the same cells
// written as a node list compute.
//
// m is a model resolved from a small node list made for the purpose: the
// representative cell, the inputs its type carries, and one spike source
// per synapse instance (they only give the synapses a source; they are
// not lowered). The cell's spike event raises a flag (an ir.Emit) even
// when no synapse of m listens to it. Each synapse's spike handler is
// returned as additions of an amount of "weight" to the synapse's state;
// a handler of another form is an error.
//
// perCell names parameters of the cell's type that differ from cell to
// cell: like --free parameters (LowerFree) they stay identifiers of the
// kernel (PopKernel.Params), and initial values that depend on them stay
// expressions (PopVar.InitExpr). The caller refuses what lowering turns
// into numbers at compile time (the refractory period).
func LowerCell(m *resolve.Model, rep *resolve.Node, perCell ...string) (*ir.PopKernel, error) {
	keep := *m
	keep.Nodes = nil
	for _, n := range m.Nodes {
		if n == rep || n.Type.Kind == resolve.Input {
			keep.Nodes = append(keep.Nodes, n)
		}
	}
	l := &lowerer{m: &keep, names: newNamer(), state: map[*resolve.Node]map[string]string{},
		refr: map[*resolve.Node]*refractory{}, free: map[*resolve.Type]map[string]string{}, emitAll: true,
		noDerived: true, popKernel: true}
	// the generated population loop's own names
	for _, r := range []string{"i", "n", "lo", "hi", "fl", "spiked"} {
		l.names.used[r] = true
	}
	var params []ir.PopParam
	for _, name := range perCell {
		if _, ok := rep.Type.Params[name]; !ok {
			return nil, fmt.Errorf("%s: %s has no parameter %q", rep.Pos, rep.Type.Name, name)
		}
		if l.free[rep.Type] == nil {
			l.free[rep.Type] = map[string]string{}
		}
		ident := l.names.makeFree(rep.Type.Name, name)
		l.free[rep.Type][name] = ident
		params = append(params, ir.PopParam{Name: name, Ident: ident})
	}
	p, err := l.program()
	if err != nil {
		return nil, err
	}
	eff := l.effective(rep)
	k := &ir.PopKernel{Spikes: l.spikes[eff] != nil, Params: params}
	byIdent := map[string]int{}
	for _, c := range p.Columns {
		byIdent[p.States[c.State].Name] = len(k.Vars)
		k.Vars = append(k.Vars, ir.PopVar{Name: c.Name[len(rep.Quantity("")):], Ident: p.States[c.State].Name,
			Scale: c.Scale, Unit: c.Unit, Default: c.Default})
	}
	for _, s := range p.States {
		if s.InitExpr != nil && !l.isFreeExpr(s.InitExpr) {
			return nil, fmt.Errorf("%s: the initial value of %s is not a number", rep.Pos, s.Name)
		}
		i, ok := byIdent[s.Name]
		if !ok {
			// not recorded: the end of the refractory period
			i = len(k.Vars)
			byIdent[s.Name] = i
			k.Vars = append(k.Vars, ir.PopVar{Ident: s.Name, Scale: 1})
		}
		k.Vars[i].Init, k.Vars[i].InitExpr = s.Init, s.InitExpr
	}
	for _, seg := range p.Segments {
		seg.Body, seg.Cells, seg.Post = dropDeliveries(seg.Body), nil, nil
		k.Segments = append(k.Segments, seg)
	}
	// Spike handlers, with the weight left as an identifier.
	env := l.cellEnv(eff.Type)
	for name, ident := range l.state[eff] {
		env[name] = &expr.Ident{Name: ident}
	}
	for _, s := range rep.Synapses {
		prefix := s.Name + "/"
		ps := &ir.PopSynapse{Name: s.Name, Type: s.Type.Name}
		env[prefix+"weight"] = &expr.Ident{Name: "weight"}
		ren := synapseRenames(prefix, s.Type)
		for _, ev := range s.Type.Events {
			if ev.Receive == "" {
				continue
			}
			for _, a := range ev.Assign {
				ident := l.state[eff][prefix+a.Var]
				inc, ok := increment(fold(substitute(rename(a.Value, ren), env)), ident)
				if !ok {
					return nil, fmt.Errorf("the spike handler of %s sets %s = %s, not %s plus an amount of the weight",
						s.Type.Name, a.Var, a.Value, a.Var)
				}
				ps.Adds = append(ps.Adds, ir.PopAdd{Var: byIdent[ident], Inc: inc})
			}
		}
		k.Synapses = append(k.Synapses, ps)
	}
	return k, nil
}

// increment returns inc when v is `state + inc` (or `inc + state`) and
// inc is proportional to the weight alone: then a spike of weight w adds
// inc(w) whatever the state, and the spikes of many connections can be
// added to one shared state.
func increment(v expr.Node, state string) (expr.Node, bool) {
	b, ok := v.(*expr.Binary)
	if !ok || b.Op != "+" {
		return nil, false
	}
	inc := b.Y
	if id, ok := b.X.(*expr.Ident); !ok || id.Name != state {
		if id, ok := b.Y.(*expr.Ident); !ok || id.Name != state {
			return nil, false
		}
		inc = b.X
	}
	for _, name := range expr.Idents(inc) {
		if name != "weight" {
			return nil, false
		}
	}
	at := func(w float64) float64 {
		x, err := expr.Eval(inc, func(string) (float64, bool) { return w, true })
		if err != nil {
			return math.NaN()
		}
		return x
	}
	// proportional to the weight: inc(0) = 0 and inc(3) = 3 inc(1)
	one := at(1)
	if at(0) != 0 || math.IsNaN(one) || math.Abs(at(3)-3*one) > 1e-12*math.Abs(one) {
		return nil, false
	}
	return inc, true
}

func dropDeliveries(body []ir.Stmt) []ir.Stmt {
	var out []ir.Stmt
	for _, s := range body {
		if _, ok := s.(*ir.Deliver); !ok {
			out = append(out, s)
		}
	}
	return out
}

// emitSources gives every spiking cell a spike source (LowerCell: the
// population records and delivers every spike, listened to or not).
func (l *lowerer) emitSources(p *ir.Program) {
	for _, n := range l.m.Nodes {
		if n.Type.Kind != resolve.Cell || !n.Type.Emits() {
			continue
		}
		src := l.effective(n)
		if _, ok := l.spikes[src]; !ok {
			ss := &ir.SpikeSource{Flag: "spiked"}
			l.spikes[src] = ss
			p.SpikeSources = append(p.SpikeSources, ss)
		}
	}
}
