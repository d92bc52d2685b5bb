// Package lower turns a resolved model into the flat IR: one scalar state
// variable per node variable, initial values and parameters folded to
// numbers, time-only inputs specialized per step range, derived variables
// as temporaries, events as conditional assignments. The generic
// machinery here is driven by the dynamics' equations alone.
package lower

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/resolve"
)

// Lower builds the IR program for a resolved model, every parameter
// folded to its number.
func Lower(m *resolve.Model) (*ir.Program, error) {
	return LowerFree(m, nil)
}

type lowerer struct {
	m     *resolve.Model
	clock *clock // decides time comparisons (timeinput.go)
	tsum  string // the running sum of t, when a refractory period needs it
	// firstStep is set while the segment of step 0 is written
	firstStep bool
	// popKernel is set for a population's cell kernel (LowerCell), whose
	// regime cells keep the plain reading for now (see regimeCell)
	popKernel bool
	names     *namer
	// state maps a node's state variable to its Go identifier.
	state map[*resolve.Node]map[string]string
	// refr holds the refractory regime of the nodes that have one.
	refr map[*resolve.Node]*refractory
	// free maps a cell type's free parameters to their Go identifiers
	// (LowerFree); every other parameter is folded to its number.
	free map[*resolve.Type]map[string]string

	spiking // synapses and spike delivery (synapse.go)
	// emitAll gives every spiking cell a spike flag, listened to or not
	// (LowerCell).
	emitAll bool

	// derivedCols names the identifier of each recorded derived variable
	// per node (derived.go); noDerived records none (LowerCell: the
	// population path records states only).
	derivedCols map[*resolve.Derived]map[*resolve.Node]string
	noDerived   bool
	// internal are derived variables the compiler made (a port's summed
	// currents), not the model's: never recorded.
	internal map[*resolve.Derived]bool
}

func paramEnv(t *resolve.Type) map[string]expr.Node {
	env := make(map[string]expr.Node, len(t.Params)+2)
	for name, v := range t.Params {
		env[name] = num(v)
	}
	return env
}

func (l *lowerer) program() (*ir.Program, error) {
	m := l.m
	p := &ir.Program{Label: m.Label, Source: m.File, Dt: m.Dt, Steps: m.Steps, Method: m.Method}
	l.clock = &clock{ode: m.ODE, dt: m.Dt, limit: m.Steps + 1}
	l.initSpiking()
	p.Seed = m.Seed
	var draws map[*resolve.Node]int
	if !m.ODE {
		for _, n := range m.Nodes {
			if n.Type.Kind == resolve.Cell && drawsRandom(n.Type) {
				p.JavaSeed = javaSeed(m)
				draws, p.InitDraws = initDraws(m)
				l.runningSum(p) // the drawing nodes' events read jLEMS's t
				break
			}
		}
	}
	// cells are stepped in jLEMS's order (populations in order, cells by
	// index), so that a spike can reach a later cell's synapses within
	// its step, as in jLEMS (sameStep)
	var cells, origs []*resolve.Node
	for _, n := range m.Nodes {
		if n.Type.Kind == resolve.Cell {
			origs = append(origs, n)
		}
	}
	if !m.ODE {
		// a synaptic input's hidden source steps just before the cell
		// it is attached to (jLEMS advances a cell's attachments
		// first), which orders its random draws among the others'
		key := func(n *resolve.Node) (int, int) {
			if n.Host != nil {
				return l.jlemsRank(n.Host), 0
			}
			return l.jlemsRank(n), 1
		}
		sort.SliceStable(origs, func(i, j int) bool {
			ri, hi := key(origs[i])
			rj, hj := key(origs[j])
			return ri < rj || ri == rj && hi < hj
		})
	}
	for _, orig := range origs {
		n := l.effective(orig)
		cells = append(cells, n)
		l.state[n] = map[string]string{}
		env := l.cellEnv(n.Type)
		first := len(p.States)
		next, numbered := draws[n]
		for _, s := range n.Type.States {
			init := fold(substitute(s.Initial, env))
			if numbered {
				init = numberDraws(init, &next)
			}
			v, ok := init.(*expr.Num)
			if !l.isFreeExpr(init) && !usesRandom(init) && (!ok || math.IsNaN(v.Value) || math.IsInf(v.Value, 0)) {
				return nil, fmt.Errorf("%s: the initial value of %s is %s, not a finite number", n.Pos, n.Quantity(s.Name), init)
			}
			name := l.names.make(n.Pop.Name, n.Index, s.Name)
			l.state[n][s.Name] = name
			if n.Record {
				p.Columns = append(p.Columns, ir.Column{
					Name: n.Quantity(s.Name), State: len(p.States), Scale: s.ToSI, Unit: s.Unit, Default: s.OfInterest,
				})
			}
			p.States = append(p.States, initState(name, init))
		}
		// jLEMS's delayed copies of a state (resolve.Lag): unrecorded
		// registers, starting from the state's initial value
		for _, lag := range n.Type.Lags {
			var init expr.Node
			for i, s := range n.Type.States {
				if s.Name == lag.Of {
					if init = p.States[first+i].InitExpr; init == nil {
						init = num(p.States[first+i].Init)
					}
				}
			}
			if init == nil {
				return nil, fmt.Errorf("%s: %s copies %s, which is not a state variable", n.Pos, lag.Name, lag.Of)
			}
			name := l.names.make(n.Pop.Name, n.Index, lag.Name)
			l.state[n][lag.Name] = name
			p.States = append(p.States, initState(name, init))
		}
		if n.Record && l.schemes(n) {
			l.showSchemes(p, n)
		}
		for _, dl := range n.Type.DerivedLags {
			name := l.names.make(n.Pop.Name, n.Index, dl.Name)
			l.state[n][dl.Name] = name
			p.States = append(p.States, &ir.State{Name: name, Init: dl.Init})
		}
		if l.regimeCell(n) {
			for _, port := range n.Type.Inputs {
				name := l.names.make(n.Pop.Name, n.Index, port.Name+"_prev")
				l.state[n][prevPort(port.Name)] = name
				p.States = append(p.States, &ir.State{Name: name})
			}
		}
		l.seenRegisters(p, first, orig, n)
		for _, ev := range n.Type.Events {
			if l.synEvents[ev] && !m.ODE {
				l.runningSum(p) // an attachment's condition reads jLEMS's t
			}
		}
		if r := newRefractory(n, l.names, m.Dt, l.runningSum(p)); r != nil {
			l.refr[n] = r
			p.States = append(p.States, &ir.State{Name: r.end, Init: -1})
		}
	}

	l.spikeSources(p)
	if l.emitAll {
		l.emitSources(p)
	}

	// Every input's exposed current as an expression of t alone.
	exposure := map[*resolve.Node]expr.Node{}
	cuts := []int{0, m.Steps}
	for _, n := range m.Nodes {
		if n.Type.Kind != resolve.Input {
			continue
		}
		e, err := inputExposure(n)
		if err != nil {
			return nil, err
		}
		exposure[n] = e
		if dependsOnTimeOnly(e) {
			for _, j := range l.clock.boundaries(e, m.Dt/n.Type.TimeUnit) {
				// evaluation index j is read by step k = j-1
				if k := j - 1; k > 0 && k < m.Steps {
					cuts = append(cuts, k)
				}
			}
		}
	}
	for _, n := range m.Nodes {
		if l.regimeCell(n) && m.Steps > 1 {
			cuts = append(cuts, 1) // the first step, which regimes skip
			break
		}
	}
	sort.Ints(cuts)
	cuts = uniq(cuts)
	l.planDerived(p, cells, exposure)
	// row 0: the initial state, the inputs and t at t = 0
	inputs0 := map[*resolve.Node]expr.Node{}
	for n, e := range exposure {
		inputs0[n] = fold(substitute(l.clock.specialize(e, 0, m.Dt/n.Type.TimeUnit), map[string]expr.Node{"t": num(0)}))
	}
	p.Derived0, p.Derived0Cells = l.recordDerived(cells, inputs0, func(*resolve.Type) expr.Node { return num(0) })
	for i := 0; i+1 < len(cuts); i++ {
		seg := ir.Segment{Start: cuts[i], End: cuts[i+1]}
		j := seg.Start + 1
		var notes []string
		specialized := map[*resolve.Node]expr.Node{}
		for _, n := range m.Nodes {
			if e, ok := exposure[n]; ok {
				dtU := m.Dt / n.Type.TimeUnit
				s := l.clock.specialize(e, j, dtU)
				// the input read by step k is the one at t_(k+1)
				s = fold(substitute(s, map[string]expr.Node{"t": timeAt(1, dtU)}))
				specialized[n] = s
				notes = append(notes, fmt.Sprintf("%s = %s", n.Pop.Name+"["+strconv.Itoa(n.Index)+"]", describe(s)))
			}
		}
		seg.Note = strings.Join(notes, ", ")
		seg.Body = l.snapshots()
		nsnap := len(seg.Body)
		l.firstStep = seg.Start == 0
		for _, orig := range m.Nodes {
			seg.Body = append(seg.Body, l.deliveriesTo(orig, l.queued)...)
		}
		for i, n := range cells {
			start := len(seg.Body)
			seg.Body = append(seg.Body, l.deliveriesTo(origs[i], func(s *resolve.Synapse) bool { return l.sameStep(origs[i], s) })...)
			seg.Body = append(seg.Body, l.seenUpdates(origs[i], n)...)
			body, err := l.cellStep(n, specialized)
			if err != nil {
				return nil, err
			}
			seg.Body = append(seg.Body, body...)
			seg.Cells = append(seg.Cells, ir.Span{Start: start, End: len(seg.Body)})
		}
		for _, orig := range m.Nodes {
			start := len(seg.Body)
			seg.Body = append(seg.Body, l.deliveriesTo(orig, func(s *resolve.Synapse) bool { return !l.sameStep(orig, s) && !l.queued(s) })...)
			if len(seg.Body) > start {
				seg.Post = append(seg.Post, ir.Span{Start: start, End: len(seg.Body)})
			}
		}
		if l.tsum != "" {
			seg.Body = append(seg.Body, &ir.Set{Name: l.tsum, Value: &expr.Binary{Op: "+", X: &expr.Ident{Name: l.tsum}, Y: num(m.Dt)}})
		}
		dropDeadSnapshots(&seg, nsnap)
		// row k+1: the new state, the inputs this step read (t_(k+1))
		seg.Derived, seg.DerivedCells = l.recordDerived(cells, specialized, func(t *resolve.Type) expr.Node {
			return timeAt(1, m.Dt/t.TimeUnit)
		})
		p.Segments = append(p.Segments, seg)
	}
	return p, nil
}

func uniq(xs []int) []int {
	out := xs[:0]
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// timeAt is the expression for the time (kf + offset) * dtU.
func timeAt(offset, dtU float64) expr.Node {
	k := expr.Node(&expr.Ident{Name: ir.KF})
	if offset != 0 {
		k = &expr.Binary{Op: "+", X: k, Y: num(float64(offset))}
	}
	return &expr.Binary{Op: "*", X: k, Y: num(dtU)}
}

func describe(n expr.Node) string {
	if v, ok := n.(*expr.Num); ok {
		return strconv.FormatFloat(v.Value, 'g', -1, 64)
	}
	return "time-varying"
}

// inputExposure inlines an input type's derived variables into its exposed
// one, with parameters substituted.
func inputExposure(n *resolve.Node) (expr.Node, error) {
	env := paramEnv(n.Type)
	for _, d := range n.Type.Derived {
		env[d.Name] = fold(substitute(d.Value, env))
	}
	e, ok := env[n.Type.Exposes]
	if !ok {
		return nil, fmt.Errorf("%s: input %s exposes nothing", n.Pos, n.Type.Name)
	}
	return e, nil
}

// cellStep writes one step of a cell: the integration method's stages
// (derived variables and rates at each stage state), one simultaneous
// update, then every event tested on the new state in order (the
// reference's step order). Repeated subexpressions of the stages are
// computed once.
func (l *lowerer) cellStep(n *resolve.Node, inputs map[*resolve.Node]expr.Node) ([]ir.Stmt, error) {
	t := n.Type
	dtU := l.m.Dt / t.TimeUnit
	env := l.cellEnv(t)
	for _, port := range t.Inputs {
		var sum expr.Node = num(0)
		for _, src := range n.Drives[port.Name] {
			sum = fold(&expr.Binary{Op: "+", X: sum, Y: inputs[src]})
		}
		env[port.Name] = sum
	}
	var body []ir.Stmt
	if ss := l.spikes[n]; ss != nil && len(t.SpikeTimes) > 0 && !l.m.ODE && hasStateNamed(t, "tsince") {
		// a spike array's spike sets its tsince to 0 before the array's
		// own update (jLEMS: the spike child's event reaches the array
		// first), so the step after a spike shows dt
		body = append(body, &ir.If{Cond: &expr.Ident{Name: ss.Flag},
			Then: []ir.Stmt{&ir.Set{Name: l.state[n]["tsince"], Value: num(0)}}})
	}
	for _, lag := range t.Lags {
		env[lag.Name] = &expr.Ident{Name: l.state[n][lag.Name]}
	}
	shift := l.shiftLags(n, &body)
	refr := l.refractory(n)
	cur := make([]expr.Node, len(t.States))
	for i, s := range t.States {
		cur[i] = &expr.Ident{Name: l.state[n][s.Name]}
	}
	stage := &cellStage{l: l, n: n, env: env, dtU: dtU, refr: refr, body: &body}
	if l.regimeCell(n) {
		shift = append(shift, l.portRegisters(n, env, cur, stage)...)
	}
	if len(t.DerivedLags) > 0 {
		now := l.startValues(n, env, cur, dtU)
		for _, dl := range t.DerivedLags {
			env[dl.Name] = &expr.Ident{Name: l.state[n][dl.Name]}
			tmp := l.let(n, dl.Of+"_now", now[dl.Of], &body)
			shift = append(shift, &ir.Set{Name: l.state[n][dl.Name], Value: tmp})
		}
	}
	// jLEMS's regimes change nothing in the first step: the segment of
	// step 0 guards the regime cell's update and events (not folded, so
	// that every value they read stays used; one step only)
	skip := 0
	skipFirst := func(body []ir.Stmt) []ir.Stmt {
		if !l.regimeCell(n) || !l.firstStep {
			return body
		}
		guard := &ir.If{Cond: &expr.Binary{Op: ">", X: &expr.Ident{Name: ir.KF}, Y: num(0)}, Then: body[skip:]}
		return append(body[:skip:skip], guard)
	}
	body = append(body, l.attachmentEvents(n)...)
	next := l.integrate(stage, cur)
	if l.schemes(n) {
		l.advanceSchemes(n, env, cur, dtU, next)
	}
	if l.regimeCell(n) {
		// jLEMS updates a regime's states one after the other, each rate
		// seeing the states updated before it (adExIaFCell: w's rate reads
		// the new v)
		for i := range next {
			if isSame(next[i], cur[i]) {
				continue
			}
			next[i] = l.let(n, t.States[i].Name+"_next", next[i], &body)
			for j := i + 1; j < len(next); j++ {
				next[j] = fold(substitute(next[j], map[string]expr.Node{cur[i].(*expr.Ident).Name: next[i]}))
			}
		}
	}
	up := &ir.Update{}
	for i, v := range next {
		if isSame(v, cur[i]) {
			continue // a constant state needs no update
		}
		up.Names = append(up.Names, cur[i].(*expr.Ident).Name)
		up.Values = append(up.Values, l.hoistPiecewise(v, n, &body))
	}
	body = l.eliminateCommon(n, body, up)
	skip = len(body)
	if len(up.Names) > 0 {
		body = append(body, up)
	}
	if len(t.Events) == 0 {
		// a state no rate reads leaves its stage temporaries unread
		return dropDeadLets(append(skipFirst(body), shift...)), nil
	}
	// Events see the new state; derived variables are recomputed from it.
	newEnv := l.cellEnv(t)
	for name, goName := range l.state[n] {
		newEnv[name] = &expr.Ident{Name: goName}
	}
	newEnv["t"] = timeAt(1, dtU)
	if l.tsum != "" && t.TimeUnit == 1 && drawsRandom(t) {
		// jLEMS's t, the running sum, which its Poisson sources add
		// their intervals to (see jrandom.go)
		newEnv["t"] = &expr.Binary{Op: "+", X: &expr.Ident{Name: l.tsum}, Y: num(l.m.Dt)}
	}
	for _, port := range t.Inputs {
		newEnv[port.Name] = env[port.Name]
	}
	for _, d := range t.Derived {
		newEnv[d.Name] = fold(substitute(d.Value, newEnv))
	}
	for _, ev := range t.Events {
		if l.beforeCell(t, ev) {
			continue // run before the cell's update (attachmentEvents)
		}
		var then []ir.Stmt
		for _, a := range ev.Assign {
			v := fold(substitute(a.Value, newEnv))
			then = append(then, &ir.Set{Name: l.state[n][a.Var], Value: l.hoistPiecewise(v, n, &then)})
		}
		cond := fold(substitute(ev.Condition, newEnv))
		if b, ok := cond.(*expr.Bool); ok && !b.Value {
			continue // can never fire
		}
		if emit := l.emitFlag(n, ev); emit != nil {
			then = append(then, emit)
		}
		if refr != nil && !l.synEvents[ev] {
			// the event belongs to the integrating regime, and starts the
			// refractory one
			cond = &expr.Binary{Op: "&", X: refr.integrating(), Y: cond}
			then = append(then, refr.enter())
		}
		body = append(body, &ir.If{Cond: l.hoistPiecewise(cond, n, &body), Then: then})
	}
	return dropDeadLets(append(skipFirst(body), shift...)), nil
}

// beforeCell reports whether an event of a cell's synapse or input
// (merged into its type) runs before the cell's update, as jLEMS advances
// a cell's attachments before the cell: their conditions (a voltage
// clamp's) see the cell's v at the start of the step and jLEMS's t, and
// the cell integrates with what they set. Events that read or set a state
// of the attachment with a rate keep their place after the update (jLEMS
// shows them, and overrides, the attachment's updated state).
func (l *lowerer) beforeCell(t *resolve.Type, ev *resolve.Event) bool {
	if l.m.ODE || l.popKernel || !l.synEvents[ev] || l.tsum == "" || t.TimeUnit != 1 {
		return false // (jLEMS compares its t in seconds)
	}
	for _, s := range t.States {
		if z, ok := s.Rate.(*expr.Num); s.Rate == nil || ok && z.Value == 0 || !strings.Contains(s.Name, "/") {
			continue // no rate, or the cell's own state
		}
		if readsName(ev.Condition, s.Name) {
			return false
		}
		for _, a := range ev.Assign {
			if readsName(a.Value, s.Name) || a.Var == s.Name {
				return false // (jLEMS assigns after the rate's update)
			}
		}
	}
	return true
}

// attachmentEvents writes the events of beforeCell on the state the step
// starts from, at jLEMS's t of the step (its running sum).
func (l *lowerer) attachmentEvents(n *resolve.Node) []ir.Stmt {
	t := n.Type
	var out []ir.Stmt
	env := l.cellEnv(t)
	for name, goName := range l.state[n] {
		env[name] = &expr.Ident{Name: goName}
	}
	env["t"] = &expr.Binary{Op: "+", X: &expr.Ident{Name: l.tsum}, Y: num(l.m.Dt)}
	for _, d := range t.Derived {
		env[d.Name] = fold(substitute(d.Value, env))
	}
	for _, ev := range t.Events {
		if !l.beforeCell(t, ev) {
			continue
		}
		var then []ir.Stmt
		for _, a := range ev.Assign {
			v := fold(substitute(a.Value, env))
			then = append(then, &ir.Set{Name: l.state[n][a.Var], Value: l.hoistPiecewise(v, n, &then)})
		}
		cond := fold(substitute(ev.Condition, env))
		if b, ok := cond.(*expr.Bool); ok && !b.Value {
			continue
		}
		out = append(out, &ir.If{Cond: l.hoistPiecewise(cond, n, &out), Then: then})
	}
	return out
}

func hasStateNamed(t *resolve.Type, name string) bool {
	for _, s := range t.States {
		if s.Name == name {
			return true
		}
	}
	return false
}

func prevPort(port string) string { return port + "__prev" }

// startValues gives every derived variable of n as an expression of the
// state the step starts from (cur) and env.
func (l *lowerer) startValues(n *resolve.Node, env map[string]expr.Node, cur []expr.Node, dtU float64) map[string]expr.Node {
	now := map[string]expr.Node{}
	for k, v := range env {
		now[k] = v
	}
	for i, s := range n.Type.States {
		now[s.Name] = cur[i]
	}
	now["t"] = timeAt(0, dtU)
	for _, d := range n.Type.Derived {
		now[d.Name] = fold(substitute(d.Value, now))
	}
	return now
}

// portRegisters makes a regime cell's rates read each input port's sum
// (with the synapses' currents: port_total) from its register, computes
// this step's sum from the state the step starts from into a temporary,
// and returns the statements that store it in the register at the step's
// end, for the next step.
func (l *lowerer) portRegisters(n *resolve.Node, env map[string]expr.Node, cur []expr.Node, c *cellStage) []ir.Stmt {
	t := n.Type
	now := l.startValues(n, env, cur, c.dtU)
	c.ren = map[string]string{}
	var out []ir.Stmt
	for _, port := range t.Inputs {
		reg := prevPort(port.Name)
		env[reg] = &expr.Ident{Name: l.state[n][reg]}
		c.ren[port.Name], c.ren[port.Name+"_total"] = reg, reg
		sum := now[port.Name]
		if total, ok := now[port.Name+"_total"]; ok {
			sum = total
		}
		if sum == nil {
			sum = num(0)
		}
		tmp := l.let(n, port.Name+"_now", sum, c.body)
		if id, ok := sum.(*expr.Ident); ok {
			// a bare state (a current synapse's I): copied at the
			// step's start, before the update changes it
			tmp = &expr.Ident{Name: l.names.make(n.Pop.Name, n.Index, port.Name+"_now")}
			*c.body = append(*c.body, &ir.Let{Name: tmp.(*expr.Ident).Name, Value: id})
		}
		out = append(out, &ir.Set{Name: l.state[n][reg], Value: tmp})
	}
	return out
}

// runningSum returns the state variable that keeps jLEMS's running sum of
// t (the time at the start of each step), adding it to p when first
// asked; "" under the plain ODE reading, where time is k*dt.
func (l *lowerer) runningSum(p *ir.Program) string {
	if l.m.ODE {
		return ""
	}
	if l.tsum == "" {
		l.tsum = l.names.make("jlems", 0, "tsum")
		p.States = append(p.States, &ir.State{Name: l.tsum})
	}
	return l.tsum
}

// regimeCell reports whether jLEMS runs n's dynamics in regimes (a library
// cell with a refractory regime: iafRefCell, adExIaFCell, PyNN's IF_*):
// the regimes change nothing in the first step, the integrating regime
// reads the summed attached currents (inputs and synapses, iSyn) as they
// were in the previous step, and updates its states in order (probed with
// jLEMS: an adExIaFCell and an iafRefCell respond to a pulse one step
// after a pointCellCondBased does; an IF_curr_exp ignores its i_offset in
// the first step).
// The kernel keeps the previous step's sum in a register per input port.
// The plain ODE reading has neither; nor, for now, the cell kernels of
// population networks (their generator keeps a step's temporaries to
// itself).
func (l *lowerer) regimeCell(n *resolve.Node) bool {
	return !l.m.ODE && !l.popKernel && n.Type.Kind == resolve.Cell && n.Type.Refractory != nil
}

// shiftLags returns the statements that end a step by moving every lag
// register of n one step on (the oldest first), the youngest taking the
// state the step started from, which it saves in a temporary at the start
// of body. A copy is taken after the step's events, as jLEMS's children
// copy their parent's value after its conditions ran.
func (l *lowerer) shiftLags(n *resolve.Node, body *[]ir.Stmt) []ir.Stmt {
	t := n.Type
	if len(t.Lags) == 0 {
		return nil
	}
	var shift []ir.Stmt
	prev := map[string]string{} // state -> the temporary of its start value
	for i := len(t.Lags) - 1; i >= 0; i-- {
		lag := t.Lags[i]
		var from string
		if lag.Steps == 1 {
			if prev[lag.Of] == "" {
				prev[lag.Of] = l.names.make(n.Pop.Name, n.Index, lag.Of+"_start")
				*body = append(*body, &ir.Let{Name: prev[lag.Of], Value: &expr.Ident{Name: l.state[n][lag.Of]}})
			}
			from = prev[lag.Of]
		} else {
			for _, younger := range t.Lags {
				if younger.Of == lag.Of && younger.Steps == lag.Steps-1 {
					from = l.state[n][younger.Name]
				}
			}
		}
		shift = append(shift, &ir.Set{Name: l.state[n][lag.Name], Value: &expr.Ident{Name: from}})
	}
	return shift
}

func isSame(a, b expr.Node) bool {
	x, ok1 := a.(*expr.Ident)
	y, ok2 := b.(*expr.Ident)
	return ok1 && ok2 && x.Name == y.Name
}

// hoistPiecewise moves every Piecewise inside n into a temporary of its
// own, computed before n, so the generator writes it as an if-chain
// instead of a closure.
func (l *lowerer) hoistPiecewise(n expr.Node, node *resolve.Node, body *[]ir.Stmt) expr.Node {
	return expr.Rewrite(n, func(x expr.Node) expr.Node {
		c, ok := x.(*expr.Call)
		if !ok || c.Func != "Piecewise" {
			return x
		}
		name := l.names.make(node.Pop.Name, node.Index, "piecewise")
		*body = append(*body, &ir.Let{Name: name, Value: c})
		return &expr.Ident{Name: name}
	})
}
