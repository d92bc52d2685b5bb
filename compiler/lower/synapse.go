package lower

import (
	"math"
	"sort"
	"strings"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/resolve"
)

// Synapses are flattened into their target cell: a cell with synapses is
// lowered as one merged type whose state is the cell's followed by every
// synapse's, each synapse's names prefixed by its instance name
// ("synapses:expOneSynapse:0/g", the LEMS name, so recorded columns read
// "<pop>[i]/synapses:expOneSynapse:0/g"). The synapse currents are summed
// into the cell's current port, so one forward-Euler update moves cell and
// synapses together from the old state, as the reference does.
//
// Order of one step k (from t_k to t_k+1):
//
//  1. every cell (with its synapses) integrates from the state at t_k;
//     continuous couplings (graded synapses, gap junctions) read the
//     source's voltage at t_k, whatever the order of the nodes;
//  2. in node order, each cell tests its events on the new state; a spike
//     event resets the cell and raises its spike flag;
//  3. then, in node order of the targets and edge order on each target,
//     every chemical synapse whose source fired DelaySteps steps ago
//     (this step for delay 0) runs its receive handler on the new state.
//
// Delivery after all thresholds makes the result independent of the node
// order: a spike at the end of step k with delay D shows in the state at
// t_(k+1+D), exactly spike time + delay.

// effective returns the node as lowered: the node itself, or for a cell
// with synapses a copy whose type is the merged cell+synapses type.
func (l *lowerer) effective(n *resolve.Node) *resolve.Node {
	if e, ok := l.eff[n]; ok {
		return e
	}
	e := n
	if len(n.Synapses) > 0 {
		c := *n
		c.Type = l.mergeSynapses(n)
		e = &c
	}
	l.eff[n] = e
	return e
}

// mergeSynapses builds the merged type of a cell and its synapses.
func (l *lowerer) mergeSynapses(n *resolve.Node) *resolve.Type {
	base := n.Type
	t := *base
	t.Params = make(map[string]float64, len(base.Params))
	for k, v := range base.Params {
		t.Params[k] = v
	}
	t.ParamOrder = append([]string(nil), base.ParamOrder...)
	t.States = append([]*resolve.State(nil), base.States...)
	t.Events = append([]*resolve.Event(nil), base.Events...)
	t.Derived = nil

	// the cell's expressions read port+"_total": external inputs plus the
	// synapses' currents
	totals := map[string]expr.Node{}
	var synDerived []*resolve.Derived
	for _, s := range n.Synapses {
		st := s.Type
		prefix := s.Name + "/"
		// the type's own names win over the two it reads from outside
		ren := synapseRenames(prefix, st)
		if _, own := ren["vpeer"]; !own {
			ren["vpeer"] = prefix + "vpeer"
		}
		if _, own := ren["v"]; !own && !l.m.ODE && s.Source.Host != nil && hasStateNamed(base, "v") {
			// a synaptic input's own synapse is a child of the input,
			// itself attached to the cell: jLEMS's copy of v reaches
			// it one step late (measured on NeuroML Ex23)
			ren["v"] = inputLag(&t)
		}
		for _, p := range st.ParamOrder {
			t.Params[prefix+p] = st.Params[p]
			t.ParamOrder = append(t.ParamOrder, prefix+p)
		}
		t.Params[prefix+"weight"] = s.Weight
		t.ParamOrder = append(t.ParamOrder, prefix+"weight")
		// rates per the synapse's time unit, converted to the cell's
		scale := base.TimeUnit / st.TimeUnit
		for _, x := range st.States {
			rate := rename(x.Rate, ren)
			if scale != 1 {
				rate = &expr.Binary{Op: "*", X: rate, Y: num(scale)}
			}
			t.States = append(t.States, &resolve.State{Name: prefix + x.Name, Rate: rate,
				Initial: rename(x.Initial, ren), Unit: x.Unit, ToSI: x.ToSI})
		}
		for _, d := range st.Derived {
			c := *d // keeps its unit
			c.Name, c.Value = prefix+d.Name, rename(d.Value, ren)
			if !l.m.ODE && s.Source.Host == nil && strings.Contains(d.Name, "/") && hasStateNamed(base, "v") && readsName(c.Value, "v") {
				// a child of the synapse (a block mechanism) copies v
				// from the synapse before the synapse copies it from the
				// cell: one step older (NeuroML Ex12's NMDA block)
				c.Value = rename(c.Value, map[string]string{"v": inputLag(&t)})
			}
			synDerived = append(synDerived, &c)
		}
		for _, ev := range st.Events {
			if ev.Receive != "" {
				continue // a delivery handler, see deliveries
			}
			m := &resolve.Event{Name: prefix + ev.Name, Condition: rename(ev.Condition, ren)}
			for _, a := range ev.Assign {
				m.Assign = append(m.Assign, resolve.Assignment{Var: prefix + a.Var, Value: rename(a.Value, ren)})
			}
			l.synEvents[m] = true
			t.Events = append(t.Events, m)
		}
		for _, port := range base.Inputs {
			if port.Dimension != st.ExposedDim {
				continue
			}
			cur := expr.Node(&expr.Ident{Name: prefix + st.Exposes})
			if prev, ok := totals[port.Name]; ok {
				cur = &expr.Binary{Op: "+", X: prev, Y: cur}
			}
			totals[port.Name] = cur
			break
		}
		if s.ReadsPeer() {
			l.typeEnv[&t] = l.peerEnv(l.typeEnv[&t], prefix+"vpeer", s.Source)
		}
	}
	cellRen := map[string]string{}
	var ports []string
	for p := range totals {
		ports = append(ports, p)
		cellRen[p] = p + "_total"
	}
	sort.Strings(ports)
	t.Derived = append(t.Derived, synDerived...)
	for _, p := range ports {
		total := &resolve.Derived{Name: p + "_total",
			Value: &expr.Binary{Op: "+", X: &expr.Ident{Name: p}, Y: totals[p]}}
		l.internal[total] = true
		t.Derived = append(t.Derived, total)
	}
	for _, d := range base.Derived {
		c := *d
		c.Value = rename(d.Value, cellRen)
		t.Derived = append(t.Derived, &c)
	}
	for i, x := range t.States[:len(base.States)] {
		c := *x
		c.Rate = rename(x.Rate, cellRen)
		t.States[i] = &c
	}
	for i, ev := range t.Events[:len(base.Events)] {
		c := *ev
		c.Condition = rename(ev.Condition, cellRen)
		c.Assign = nil
		for _, a := range ev.Assign {
			c.Assign = append(c.Assign, resolve.Assignment{Var: a.Var, Value: rename(a.Value, cellRen)})
		}
		t.Events[i] = &c
	}
	if f, ok := l.free[base]; ok {
		l.free[&t] = f
	}
	return &t
}

// peerEnv binds a synapse's vpeer to the snapshot of its source's voltage
// at the start of the step.
func (l *lowerer) peerEnv(env map[string]expr.Node, name string, src *resolve.Node) map[string]expr.Node {
	if env == nil {
		env = map[string]expr.Node{}
	}
	snap, ok := l.snapshot[src]
	if !ok {
		snap = l.names.make(src.Pop.Name, src.Index, "v_start")
		l.snapshot[src] = snap
		l.snapOrder = append(l.snapOrder, src)
	}
	env[name] = &expr.Ident{Name: snap}
	return env
}

// snapshots returns the Lets that copy every peer voltage at the start of
// a step, before any cell moves.
func (l *lowerer) snapshots() []ir.Stmt {
	var out []ir.Stmt
	for _, src := range l.snapOrder {
		out = append(out, &ir.Let{Name: l.snapshot[src], Value: &expr.Ident{Name: l.state[l.effective(src)]["v"]}})
	}
	return out
}

func rename(n expr.Node, ren map[string]string) expr.Node {
	if n == nil {
		return nil
	}
	return expr.Rewrite(n, func(x expr.Node) expr.Node {
		if id, ok := x.(*expr.Ident); ok {
			if r, ok := ren[id.Name]; ok {
				return &expr.Ident{Name: r}
			}
		}
		return x
	})
}

// spikeSources makes a spike source for every node a chemical synapse
// listens to, with a ring as long as its longest delay needs.
func (l *lowerer) spikeSources(p *ir.Program) {
	for _, n := range l.m.Nodes {
		for _, s := range n.Synapses {
			if !s.Chemical() {
				continue
			}
			src := l.effective(s.Source)
			ss, ok := l.spikes[src]
			if !ok {
				ss = &ir.SpikeSource{Flag: l.names.make(src.Pop.Name, src.Index, "spiked")}
				for _, ts := range src.Type.SpikeTimes {
					// a preset spike at ts fires in the first step whose end
					// time t_(k+1) has reached it (jLEMS: t >= time, on its
					// running sum of t)
					k := l.clock.boundary(">=", ts, l.m.Dt) - 1
					if k < 0 {
						k = 0
					}
					if k < l.m.Steps {
						ss.Steps = append(ss.Steps, k)
					}
				}
				sort.Ints(ss.Steps)
				ss.Steps = uniq(ss.Steps)
				if len(ss.Steps) > 0 {
					ss.Cursor = l.names.make(src.Pop.Name, src.Index, "nextSpike")
					ss.Table = l.names.make(src.Pop.Name, src.Index, "spikeSteps")
				}
				l.spikes[src] = ss
				p.SpikeSources = append(p.SpikeSources, ss)
			}
			ring := s.DelaySteps + 1
			if s.DelaySteps > 0 && !l.m.ODE {
				// jLEMS's queue: the slots where a due spike can lie
				offs := l.dueOffsets(s.Delay, l.regimeCell(src))
				ring = offs[len(offs)-1] + 1
				ss.TimeRing = l.names.make(src.Pop.Name, src.Index, "spikeTimes")
				ss.TSum, ss.Dt, ss.Early = l.runningSum(p), l.m.Dt, l.regimeCell(src)
			}
			if s.DelaySteps > 0 && ring > ss.Ring {
				ss.Ring = ring
				if ss.RingName == "" {
					ss.RingName = l.names.make(src.Pop.Name, src.Index, "spikeRing")
				}
			}
		}
	}
}

// jlemsRank is a node's place in jLEMS's traversal of the network:
// populations in order, cells by index within each.
func (l *lowerer) jlemsRank(n *resolve.Node) int {
	for i, p := range l.m.Populations {
		if p == n.Pop {
			return i<<32 | n.Index
		}
	}
	return math.MaxInt
}

// sameStep reports whether jLEMS delivers a spike through s within the
// step it was sent: a zero-delay event reaches the synapse at once, and
// when the source is advanced before the target cell (and its synapses,
// advanced first of all the cell's parts), the synapse takes it before
// its own update in that step. Otherwise it acts from the next step on,
// as a delivery at the end of the step does.
func (l *lowerer) sameStep(target *resolve.Node, s *resolve.Synapse) bool {
	return !l.m.ODE && s.Chemical() && s.DelaySteps == 0 && l.jlemsRank(s.Source) < l.jlemsRank(target)
}

// queued reports whether jLEMS queues a spike through s (a delay): it is
// delivered at the start of a step, before every cell (dueOffsets).
func (l *lowerer) queued(s *resolve.Synapse) bool {
	return !l.m.ODE && s.Chemical() && s.DelaySteps > 0
}

// deliveriesTo writes the receive handlers of orig's chemical synapses
// that keep selects, each guarded by its source's flag (or ring slot).
// Those that act within the step (sameStep) run just before orig's step,
// the others in phase 3, after every cell's step.
func (l *lowerer) deliveriesTo(orig *resolve.Node, keep func(*resolve.Synapse) bool) []ir.Stmt {
	var out []ir.Stmt
	{
		if len(orig.Synapses) == 0 {
			return nil
		}
		n := l.effective(orig)
		env := l.cellEnv(n.Type)
		for name, goName := range l.state[n] {
			env[name] = &expr.Ident{Name: goName}
		}
		for _, s := range orig.Synapses {
			if !s.Chemical() || !keep(s) {
				continue
			}
			prefix := s.Name + "/"
			var then []ir.Stmt
			for _, ev := range s.Type.Events {
				if ev.Receive == "" {
					continue
				}
				ren := synapseRenames(prefix, s.Type)
				// a handler may read the synapse's derived variables (a
				// plasticity factor): computed from the state it sees, or
				// under jLEMS's reading the value its last advance
				// evaluated (seenDerived)
				for _, d := range s.Type.Derived {
					env[prefix+d.Name] = fold(substitute(rename(d.Value, ren), env))
					if reg, ok := l.seen[n][prefix+d.Name]; ok {
						env[prefix+d.Name] = &expr.Ident{Name: reg}
					}
				}
				for _, a := range ev.Assign {
					v := fold(substitute(rename(a.Value, ren), env))
					then = append(then, &ir.Set{Name: l.state[n][prefix+a.Var], Value: v})
				}
			}
			note := s.Source.Quantity("") + " -> " + n.Quantity(s.Name)
			src := l.spikes[l.effective(s.Source)]
			if !l.queued(s) {
				out = append(out, &ir.Deliver{Source: src, Delay: s.DelaySteps, Note: note, Then: then})
				continue
			}
			for _, off := range l.dueOffsets(s.Delay, src.Early) {
				out = append(out, &ir.Deliver{Source: src, Delay: off, Due: &ir.Due{Delay: s.Delay}, Note: note, Then: then})
			}
		}
	}
	return out
}

// jLEMS evaluates a component's derived variables at the start of its
// advance and keeps them: an event handler that reads one (a blocking
// plastic synapse's plasticityFactor) sees the value of the target's last
// advance, computed from the state before it (one step older than the
// state the handler updates; NeuroML Ex7). Each derived variable a
// handler reads gets a register, set at the start of the target cell's
// step from that state (seenUpdates).

// handlerReads lists the derived variables of s that its receive handlers
// read, in s's order.
func handlerReads(s *resolve.Synapse) []*resolve.Derived {
	used := map[string]bool{}
	for _, ev := range s.Type.Events {
		if ev.Receive == "" {
			continue
		}
		for _, a := range ev.Assign {
			expr.Rewrite(a.Value, func(x expr.Node) expr.Node {
				if id, ok := x.(*expr.Ident); ok {
					used[id.Name] = true
				}
				return x
			})
		}
	}
	var out []*resolve.Derived
	for _, d := range s.Type.Derived {
		if used[d.Name] {
			out = append(out, d)
		}
	}
	return out
}

// synapseRenames maps the names a synapse type's expressions use (its
// weight, parameters, states and derived variables) to the instance's
// merged names, prefix + name.
func synapseRenames(prefix string, t *resolve.Type) map[string]string {
	ren := map[string]string{"weight": prefix + "weight"}
	for _, p := range t.ParamOrder {
		ren[p] = prefix + p
	}
	for _, x := range t.States {
		ren[x.Name] = prefix + x.Name
	}
	for _, d := range t.Derived {
		ren[d.Name] = prefix + d.Name
	}
	return ren
}

// readsSeen says whether a synapse of orig has a handler reading a derived
// variable (whether seenDerived has anything to say).
func (l *lowerer) readsSeen(orig *resolve.Node) bool {
	for _, s := range orig.Synapses {
		if s.Chemical() && len(handlerReads(s)) > 0 {
			return true
		}
	}
	return false
}

// seenDerived evaluates, on env, the derived variables of orig's chemical
// synapses that their handlers read, keyed by their merged names.
func (l *lowerer) seenDerived(orig *resolve.Node, env map[string]expr.Node) map[string]expr.Node {
	out := map[string]expr.Node{}
	for _, s := range orig.Synapses {
		if !s.Chemical() || len(handlerReads(s)) == 0 {
			continue
		}
		prefix := s.Name + "/"
		ren := synapseRenames(prefix, s.Type)
		local := map[string]expr.Node{}
		for k, v := range env {
			local[k] = v
		}
		for _, d := range s.Type.Derived {
			local[prefix+d.Name] = fold(substitute(rename(d.Value, ren), local))
		}
		for _, d := range handlerReads(s) {
			out[prefix+d.Name] = local[prefix+d.Name]
		}
	}
	return out
}

// seenRegisters declares the registers of seenDerived for n (orig lowered),
// starting from their values on the initial state. n's states are
// p.States[first:]: looking only there keeps lowering linear in the cells
// (a 100,000-node list spent minutes matching every state of every node).
func (l *lowerer) seenRegisters(p *ir.Program, first int, orig, n *resolve.Node) {
	if l.m.ODE || !l.readsSeen(orig) {
		return
	}
	env := l.cellEnv(n.Type)
	byGoName := make(map[string]string, len(l.state[n]))
	for name, goName := range l.state[n] {
		byGoName[goName] = name
	}
	for _, st := range p.States[first:] {
		if name, ok := byGoName[st.Name]; ok {
			if st.InitExpr != nil {
				env[name] = st.InitExpr
			} else {
				env[name] = num(st.Init)
			}
		}
	}
	vals := l.seenDerived(orig, env)
	state := l.cellEnv(n.Type)
	for name, goName := range l.state[n] {
		state[name] = &expr.Ident{Name: goName}
	}
	varies := l.seenDerived(orig, state)
	names := make([]string, 0, len(vals))
	for name := range vals {
		if _, constant := varies[name].(*expr.Num); !constant {
			names = append(names, name) // a constant needs no register
		}
	}
	sort.Strings(names)
	for _, name := range names {
		if l.seen[n] == nil {
			l.seen[n] = map[string]string{}
		}
		reg := l.names.make(n.Pop.Name, n.Index, name+"_seen")
		l.seen[n][name] = reg
		p.States = append(p.States, initState(reg, fold(vals[name])))
	}
}

// seenUpdates sets n's registers from the state at the start of its step.
func (l *lowerer) seenUpdates(orig, n *resolve.Node) []ir.Stmt {
	if len(l.seen[n]) == 0 {
		return nil
	}
	env := l.cellEnv(n.Type)
	for name, goName := range l.state[n] {
		env[name] = &expr.Ident{Name: goName}
	}
	vals := l.seenDerived(orig, env)
	names := make([]string, 0, len(l.seen[n]))
	for name := range l.seen[n] {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []ir.Stmt
	for _, name := range names {
		out = append(out, &ir.Set{Name: l.seen[n][name], Value: vals[name]})
	}
	return out
}

// dueOffsets lists the ring slots (steps back from the delivering step)
// where jLEMS's queue can hold a spike delayed by delay seconds that is due
// in this step, over every step of the run. jLEMS stamps a spike with its
// running sum of t at sending, s_e (e = k+1 for a spike of step k; e = k
// for a cell run in regimes, early) and delivers it at the start of the
// first step whose sum s_j >= s_e + delay, step j-1 here: o steps after a
// spike of step e-1 (o = j - e), o-1 after an early one of step e. With
// floating-point sums o takes two values, the delay's steps and one more,
// at steps that are not regular (5 ms at 1 us: 5001 steps for 44% of the
// spikes). A slot below 1 (a regime cell's spike due in the step that
// shows it, after the step's start) is read as 1, a step late.
func (l *lowerer) dueOffsets(delay float64, early bool) []int {
	key := dueKey{delay, early}
	if offs, ok := l.dues[key]; ok {
		return offs
	}
	dt, steps := l.m.Dt, l.m.Steps
	shift := 0
	if early {
		shift = 1
	}
	// two running sums over the same additions (so s_j is jLEMS's own
	// value): s_e at the sending step, s_j at the delivering one
	seen := map[int]bool{}
	se, sj, j := 0.0, 0.0, 0
	for e := 1; e <= steps; e++ {
		se += dt
		due := se + delay
		for j < e || sj < due {
			j++
			sj += dt
		}
		seen[max(j-e-shift, 1)] = true
	}
	offs := make([]int, 0, len(seen))
	for o := range seen {
		offs = append(offs, o)
	}
	sort.Ints(offs)
	if l.dues == nil {
		l.dues = map[dueKey][]int{}
	}
	l.dues[key] = offs
	return offs
}

type dueKey struct {
	delay float64
	early bool
}

// emitFlag returns the Emit statement of a node's spike event, or nil when
// no synapse listens to the node.
func (l *lowerer) emitFlag(n *resolve.Node, ev *resolve.Event) ir.Stmt {
	if ev.Emit == "" || l.synEvents[ev] {
		return nil
	}
	if ss, ok := l.spikes[n]; ok {
		return &ir.Emit{Source: ss}
	}
	return nil
}

// spiking is the lowerer's state for synapses and spike delivery.
type spiking struct {
	// eff maps a node to its lowered form (effective).
	eff map[*resolve.Node]*resolve.Node
	// synEvents are the merged synapse events: not spikes of the cell,
	// not gated by its refractory regime.
	synEvents map[*resolve.Event]bool
	// typeEnv binds names of a merged type that are not parameters (vpeer).
	typeEnv map[*resolve.Type]map[string]expr.Node
	// snapshot names the start-of-step copy of a peer's voltage.
	snapshot  map[*resolve.Node]string
	snapOrder []*resolve.Node
	// spikes are the spike sources by effective node.
	spikes map[*resolve.Node]*ir.SpikeSource
	// dues caches dueOffsets.
	dues map[dueKey][]int
	// seen names the registers of derived variables handlers read, by
	// lowered node and merged name (seenRegisters).
	seen map[*resolve.Node]map[string]string
}

func (l *lowerer) initSpiking() {
	l.spiking = spiking{eff: map[*resolve.Node]*resolve.Node{}, synEvents: map[*resolve.Event]bool{},
		typeEnv: map[*resolve.Type]map[string]expr.Node{}, snapshot: map[*resolve.Node]string{},
		spikes: map[*resolve.Node]*ir.SpikeSource{}, seen: map[*resolve.Node]map[string]string{}}
	l.internal = map[*resolve.Derived]bool{}
}

// usesRandom reports whether an expression draws random numbers: its
// value is computed at run time, never folded.
func usesRandom(n expr.Node) bool {
	found := false
	expr.Rewrite(n, func(x expr.Node) expr.Node {
		if c, ok := x.(*expr.Call); ok && (c.Func == "random" || c.Func == "normal") {
			found = true
		}
		return x
	})
	return found
}

// readsName reports whether n reads the identifier name.
func readsName(n expr.Node, name string) bool {
	found := false
	expr.Rewrite(n, func(x expr.Node) expr.Node {
		if id, ok := x.(*expr.Ident); ok && id.Name == name {
			found = true
		}
		return x
	})
	return found
}

// inputLag returns the name of the merged type's register of v one step
// old, adding it when the type has none.
func inputLag(t *resolve.Type) string {
	for _, lag := range t.Lags {
		if lag.Of == "v" && lag.Steps == 1 {
			return lag.Name
		}
	}
	lag := &resolve.Lag{Name: "v__lag1", Of: "v", Steps: 1}
	t.Lags = append(append([]*resolve.Lag(nil), t.Lags...), lag)
	return lag.Name
}
