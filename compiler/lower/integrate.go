package lower

import (
	"math"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/resolve"
)

// cellStage evaluates a cell's right-hand sides at any stage state of an
// integration step. Every method is written in terms of it, so forward
// Euler, Heun and RK4 share one lowering of the equations.
type cellStage struct {
	l    *lowerer
	n    *resolve.Node
	env  map[string]expr.Node // parameters and input currents
	dtU  float64              // the step in the type's time unit
	refr *refractory          // nil unless the cell has a refractory period
	body *[]ir.Stmt
	// ren renames names in the rates (a regime cell's input ports to
	// their registers, see portRegisters)
	ren map[string]string
}

// rates writes the derived variables at stage state `at` (one expression
// per state variable, in the type's order) and time (kf + offset)*dtU as
// temporaries, and returns every state variable's rate there, folded.
func (c *cellStage) rates(at []expr.Node, offset float64, tag string) []expr.Node {
	t := c.n.Type
	env := make(map[string]expr.Node, len(c.env)+len(t.States)+len(t.Derived)+1)
	for k, v := range c.env {
		env[k] = v
	}
	for i, s := range t.States {
		env[s.Name] = at[i]
	}
	env["t"] = timeAt(offset, c.dtU)
	for _, d := range t.Derived {
		env[d.Name] = c.l.let(c.n, d.Name+tag, fold(substitute(d.Value, env)), c.body)
	}
	out := make([]expr.Node, len(t.States))
	for i, s := range t.States {
		out[i] = fold(substitute(rename(s.Rate, c.ren), env))
		if c.refr != nil && c.refr.holds[s.Name] && !isNum(out[i], 0) {
			// held during the refractory period: no change at all
			out[i] = &expr.Call{Func: "Piecewise", Args: []expr.Node{
				&expr.Tuple{Elems: []expr.Node{num(0), c.refr.held()}},
				&expr.Tuple{Elems: []expr.Node{out[i], &expr.Bool{Value: true}}},
			}}
		}
	}
	return out
}

// letAll makes a temporary of every non-trivial expression of xs, so a
// stage's value used by later stages is computed once.
func (c *cellStage) letAll(xs []expr.Node, tag string) []expr.Node {
	out := make([]expr.Node, len(xs))
	for i, x := range xs {
		out[i] = c.l.let(c.n, c.n.Type.States[i].Name+tag, x, c.body)
	}
	return out
}

// axpy returns x_i + h*d_i for every i, folded: the stage states of the
// explicit methods.
func axpy(x []expr.Node, h float64, d []expr.Node) []expr.Node {
	out := make([]expr.Node, len(x))
	for i := range x {
		out[i] = fold(&expr.Binary{Op: "+", X: x[i], Y: fold(&expr.Binary{Op: "*", X: num(h), Y: d[i]})})
	}
	return out
}

// integrate writes the stages of the model's integration method and
// returns the new value of every state variable, with TVBO's update
// formulas (tvbo integrators Euler, Heun, RungeKutta4thOrder):
//
//	euler  X + dt*dX0
//	heun   X1 = X + dt*dX0;  X + (dX0 + dX1)*(dt/2)
//	rk4    X1 = X + (dt/2)*dX0; X2 = X + (dt/2)*dX1; X3 = X + dt*dX2;
//	       X + (dt/6)*(dX0 + 2*dX1 + 2*dX2 + dX3)
//
// where dXi is the rate at stage state Xi and time t + ci*dt (c = 0, 1 for
// Heun; 0, 1/2, 1/2, 1 for RK4). Inputs keep the value the step reads
// (the end of the step, as the reference reads them) in every stage.
func (l *lowerer) integrate(c *cellStage, x []expr.Node) []expr.Node {
	dt := c.dtU
	switch l.m.Method {
	case "heun":
		k0 := c.letAll(c.rates(x, 0, "_k0"), "_dk0")
		x1 := c.letAll(axpy(x, dt, k0), "_x1")
		k1 := c.rates(x1, 1, "_k1")
		out := make([]expr.Node, len(x))
		for i := range x {
			sum := fold(&expr.Binary{Op: "+", X: k0[i], Y: k1[i]})
			out[i] = fold(&expr.Binary{Op: "+", X: x[i], Y: fold(&expr.Binary{Op: "*", X: sum, Y: num(dt / 2)})})
		}
		return out
	case "rk4":
		k0 := c.letAll(c.rates(x, 0, "_k0"), "_dk0")
		k1 := c.letAll(c.rates(c.letAll(axpy(x, dt/2, k0), "_x1"), 0.5, "_k1"), "_dk1")
		k2 := c.letAll(c.rates(c.letAll(axpy(x, dt/2, k1), "_x2"), 0.5, "_k2"), "_dk2")
		k3 := c.rates(c.letAll(axpy(x, dt, k2), "_x3"), 1, "_k3")
		out := make([]expr.Node, len(x))
		for i := range x {
			sum := fold(&expr.Binary{Op: "+", X: k0[i], Y: fold(&expr.Binary{Op: "*", X: num(2), Y: k1[i]})})
			sum = fold(&expr.Binary{Op: "+", X: sum, Y: fold(&expr.Binary{Op: "*", X: num(2), Y: k2[i]})})
			sum = fold(&expr.Binary{Op: "+", X: sum, Y: k3[i]})
			out[i] = fold(&expr.Binary{Op: "+", X: x[i], Y: fold(&expr.Binary{Op: "*", X: num(dt / 6), Y: sum})})
		}
		return out
	}
	return axpy(x, dt, c.rates(x, 0, ""))
}

// let makes v a temporary named after the node variable and returns the
// identifier to use instead; numbers and plain identifiers are used
// directly.
func (l *lowerer) let(n *resolve.Node, name string, v expr.Node, body *[]ir.Stmt) expr.Node {
	if pw, ok := v.(*expr.Call); ok && pw.Func == "Piecewise" {
		// a variable that is a Piecewise keeps its own name for the
		// if-chain; Piecewise nested in its branches get temporaries
		c := *pw
		c.Args = make([]expr.Node, len(pw.Args))
		for i, a := range pw.Args {
			c.Args[i] = l.hoistPiecewise(a, n, body)
		}
		v = &c
	} else {
		v = l.hoistPiecewise(v, n, body)
	}
	switch v.(type) {
	case *expr.Num, *expr.Ident:
		return v
	}
	goName := l.names.make(n.Pop.Name, n.Index, name)
	*body = append(*body, &ir.Let{Name: goName, Value: v})
	return &expr.Ident{Name: goName}
}

// refractory is TVBO's rendering of a `refract` parameter: after an event
// the variables it assigns are held for `refract` (in the type's time
// unit) while the others integrate, and the events are not tested; the
// cell returns to integrating once t > t_event + refract, as in the
// NeuroML iafTauRefCell regimes.
//
// One extra state variable, end, holds the last step index k that is
// still refractory (-1 before any event), so the test is one comparison
// of step counters: step k (from t_k to t_k+1) is held while k <= end.
//
// Reproducing jLEMS (tsum set), end is a time instead: the event's time
// plus refract, both on jLEMS's running sum of dt, and step k is held
// while that sum at its start, t_k, is <= end. jLEMS tests
// t > lastSpikeTime + refract after each refractory step, so with
// refract/dt whole the period lasts one step more or less than
// refract/dt depending on how the sum rounds (an iafRefCell with 2 ms at
// 0.01 ms holds 200 or 201 steps).
type refractory struct {
	end    string          // the Go identifier of the state variable
	steps  float64         // refract / dt, whole steps where it is one
	holds  map[string]bool // state variables the events assign
	tsum   string          // jLEMS's running sum of t at the step's start; "" for k*dt
	period float64         // refract in seconds
	dt     float64
}

// newRefractory returns the refractory regime of a node, or nil when its
// type has no `refract` parameter or no events.
func newRefractory(n *resolve.Node, names *namer, dt float64, tsum string) *refractory {
	t := n.Type
	period, ok := t.Params["refract"]
	if t.Refractory != nil {
		// a library cell's regime names its period and held variables
		period, ok = t.Refractory.Period, true
	}
	if !ok || len(t.Events) == 0 {
		return nil
	}
	steps := period / (dt / t.TimeUnit)
	if r := math.Round(steps); math.Abs(steps-r) < snap {
		steps = r
	}
	r := &refractory{end: names.make(n.Pop.Name, n.Index, "refractoryEnd"), steps: steps, holds: map[string]bool{},
		tsum: tsum, period: period * t.TimeUnit, dt: dt}
	if t.Refractory != nil {
		for _, h := range t.Refractory.Holds {
			r.holds[h] = true
		}
		return r
	}
	for _, ev := range t.Events {
		for _, a := range ev.Assign {
			r.holds[a.Var] = true
		}
	}
	return r
}

func (l *lowerer) refractory(n *resolve.Node) *refractory { return l.refr[n] }

// held is true during the refractory period.
func (r *refractory) held() expr.Node {
	if r.tsum != "" {
		return &expr.Binary{Op: "<=", X: &expr.Ident{Name: r.tsum}, Y: &expr.Ident{Name: r.end}}
	}
	return &expr.Binary{Op: "<=", X: &expr.Ident{Name: ir.KF}, Y: &expr.Ident{Name: r.end}}
}

// integrating is true outside it.
func (r *refractory) integrating() expr.Node {
	if r.tsum != "" {
		return &expr.Binary{Op: ">", X: &expr.Ident{Name: r.tsum}, Y: &expr.Ident{Name: r.end}}
	}
	return &expr.Binary{Op: ">", X: &expr.Ident{Name: ir.KF}, Y: &expr.Ident{Name: r.end}}
}

// enter starts the refractory period at the event's time t_k+1: steps
// k+1 .. k+1+refract/dt are held (t_j <= t_k+1 + refract).
func (r *refractory) enter() ir.Stmt {
	if r.tsum != "" {
		// lastSpikeTime = t_(k+1) = t_k + dt, as jLEMS sums it
		t := &expr.Binary{Op: "+", X: &expr.Ident{Name: r.tsum}, Y: num(r.dt)}
		return &ir.Set{Name: r.end, Value: &expr.Binary{Op: "+", X: t, Y: num(r.period)}}
	}
	return &ir.Set{Name: r.end, Value: &expr.Binary{Op: "+", X: &expr.Ident{Name: ir.KF}, Y: num(1 + r.steps)}}
}
