package lower

import (
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/resolve"
)

// Derived columns: with --record all, every derived variable of every
// recorded cell is written too (gate time constants, fopen, a synapse's
// g, a tissue's temperature), named like a state, <pop>[i]/<path>.
//
// Row k holds the derived value at state k, with the inputs and t of
// t_k: what the equations define at that instant. jLEMS records a derived
// variable as computed during the step that ends at t_k, from the state
// at t_(k-1), so its row k is our row k-1; that lag is its artifact and is
// not copied (the fidelity tests compare with it shifted).
//
// The statements that compute them (Program.Derived0, Segment.Derived)
// read only the state of recorded cells, the inputs and t, so the
// generator runs them after the step loop, from the recorded rows, and
// only when derived columns are written: the step loop is the same code
// as without them. No column goes to a derived variable that draws
// random numbers (computing it again would draw other numbers than the
// run did) or reads the voltage of a cell that is not recorded (a gap
// junction's vpeer), nor to one computed from those, nor to the
// compiler's own sums of a port's currents (port_total).

// planDerived appends a column for every recordable derived variable of
// the recorded cells, after every state column. exposure holds each input
// node's current (to tell which draw random numbers).
func (l *lowerer) planDerived(p *ir.Program, cells []*resolve.Node, exposure map[*resolve.Node]expr.Node) {
	l.derivedCols = map[*resolve.Derived]map[*resolve.Node]string{}
	for _, n := range cells {
		if !n.Record || l.noDerived {
			continue
		}
		skip := l.unrecordable(n, exposure)
		for _, d := range n.Type.Derived {
			if skip[d.Name] || l.internal[d] {
				continue
			}
			ident := l.names.make(n.Pop.Name, n.Index, d.Name+"_rec")
			scale, unit := d.ToSI, d.Unit
			if scale == 0 {
				scale = 1 // undeclared: recorded as computed
			}
			p.Columns = append(p.Columns, ir.Column{Name: n.Quantity(d.Name), Scale: scale, Unit: unit,
				Value: &expr.Ident{Name: ident}})
			if l.derivedCols[d] == nil {
				l.derivedCols[d] = map[*resolve.Node]string{}
			}
			l.derivedCols[d][n] = ident
		}
	}
}

// unrecordable returns the names of a cell whose value cannot be
// recomputed from the recorded rows: input ports and derived variables
// that draw random numbers, peer voltages of cells not recorded, and the
// derived variables computed from any of them.
func (l *lowerer) unrecordable(n *resolve.Node, exposure map[*resolve.Node]expr.Node) map[string]bool {
	random := map[string]bool{}
	recorded := map[string]bool{}
	for src, snap := range l.snapshot {
		recorded[snap] = src.Record
	}
	for name, v := range l.typeEnv[n.Type] {
		if id, ok := v.(*expr.Ident); ok && !recorded[id.Name] {
			random[name] = true
		}
	}
	for _, port := range n.Type.Inputs {
		for _, src := range n.Drives[port.Name] {
			if e, ok := exposure[src]; ok && usesRandom(e) {
				random[port.Name] = true
			}
		}
	}
	for _, d := range n.Type.Derived {
		if usesRandom(d.Value) {
			random[d.Name] = true
			continue
		}
		for _, id := range expr.Idents(d.Value) {
			if random[id] {
				random[d.Name] = true
				break
			}
		}
	}
	return random
}

// recordDerived returns the statements that compute the derived columns
// of the cells from their current state, with the inputs given (each
// input node's current) and time t (an expression in the type's time
// unit, per cell type).
func (l *lowerer) recordDerived(cells []*resolve.Node, inputs map[*resolve.Node]expr.Node, t func(*resolve.Type) expr.Node) ([]ir.Stmt, []ir.Span) {
	if len(l.derivedCols) == 0 {
		return nil, nil
	}
	var spans []ir.Span
	// a gap junction's vpeer reads its source's voltage now, not the
	// start-of-step snapshot the step body uses
	current := map[string]expr.Node{}
	for src, snap := range l.snapshot {
		current[snap] = &expr.Ident{Name: l.state[l.effective(src)]["v"]}
	}
	var out []ir.Stmt
	for _, n := range cells {
		var body []ir.Stmt
		env := l.cellEnv(n.Type)
		for name, v := range env {
			if id, ok := v.(*expr.Ident); ok && current[id.Name] != nil {
				env[name] = current[id.Name]
			}
		}
		for name, goName := range l.state[n] {
			env[name] = &expr.Ident{Name: goName}
		}
		for _, lag := range n.Type.Lags {
			// columns are computed from the recorded rows, which hold no
			// lag registers
			env[lag.Name] = env[lag.Of]
		}
		if l.schemes(n) {
			// the rows hold the occupancies jLEMS shows, a step old
			// (showSchemes); its exposures computed from them (a state's
			// q, the gate's fcond) are as old
			for _, sc := range n.Type.Schemes {
				for i, s := range sc.States {
					env[s] = &expr.Ident{Name: l.state[n][sc.Shown[i]]}
				}
			}
		}
		if len(n.Type.DerivedLags) > 0 {
			// nor registers of derived variables: the row's own value
			pre := map[string]expr.Node{}
			for k, v := range env {
				pre[k] = v
			}
			for _, d := range n.Type.Derived {
				pre[d.Name] = fold(substitute(d.Value, pre))
				for _, dl := range n.Type.DerivedLags {
					if dl.Of == d.Name {
						env[dl.Name], pre[dl.Name] = pre[d.Name], pre[d.Name]
					}
				}
			}
		}
		for _, port := range n.Type.Inputs {
			var sum expr.Node = num(0)
			for _, src := range n.Drives[port.Name] {
				sum = fold(&expr.Binary{Op: "+", X: sum, Y: inputs[src]})
			}
			env[port.Name] = sum
		}
		env["t"] = t(n.Type)
		recorded := false
		for _, d := range n.Type.Derived {
			v := fold(substitute(d.Value, env))
			ident, ok := l.derivedCols[d][n]
			if !ok {
				env[d.Name] = v
				continue
			}
			recorded = true
			if pw, isPW := v.(*expr.Call); isPW && pw.Func == "Piecewise" {
				// the generator writes a Piecewise value as an if-chain;
				// Piecewise nested in its branches get temporaries
				c := *pw
				c.Args = make([]expr.Node, len(pw.Args))
				for i, a := range pw.Args {
					c.Args[i] = l.hoistPiecewise(a, n, &body)
				}
				v = &c
			} else {
				v = l.hoistPiecewise(v, n, &body)
			}
			body = append(body, &ir.Let{Name: ident, Value: v})
			env[d.Name] = &expr.Ident{Name: ident}
		}
		if recorded {
			start := len(out)
			out = append(out, l.eliminateCommon(n, body, &ir.Update{})...)
			spans = append(spans, ir.Span{Start: start, End: len(out)})
		}
	}
	return out, spans
}
