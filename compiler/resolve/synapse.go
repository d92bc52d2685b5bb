package resolve

import (
	"fmt"
	"github.com/tvboc/tvboc/compiler/limits"
	"math"
	"strconv"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/library"
	"github.com/tvboc/tvboc/compiler/units"
)

// Synapse is one synapse instance: the mechanism an edge with a coupling
// attaches to its target cell. Its state lives with the target; its
// current is summed into the target's current port.
type Synapse struct {
	Pos    diag.Pos
	Type   *Type
	Source *Node // the presynaptic node: spikes come from it, vpeer is its v
	Target *Node
	// Name is the instance's name on its target, as LEMS names it:
	// synapses:<type>:<j>, j counting the target's synapses of that type.
	Name   string
	Weight float64
	// DelaySteps is the spike delivery delay in whole steps: a spike
	// detected at the end of step k is delivered at the end of step
	// k+DelaySteps (see lower's delivery order).
	DelaySteps int
	// Delay is the delay in seconds as written (jLEMS queues a spike until
	// its running sum of t reaches the spike's time plus Delay).
	Delay float64
}

// Chemical reports whether the synapse receives spikes (an event with a
// receive port); otherwise it is continuous and reads vpeer.
func (s *Synapse) Chemical() bool {
	for _, ev := range s.Type.Events {
		if ev.Receive != "" {
			return true
		}
	}
	return false
}

// Emits reports whether a type fires spike events.
func (t *Type) Emits() bool {
	if len(t.SpikeTimes) > 0 {
		return true
	}
	for _, ev := range t.Events {
		if ev.Emit != "" {
			return true
		}
	}
	return false
}

// edgeKeys are the edge parameters that belong to the connection, not to
// the synapse type.
var edgeKeys = []string{"weight", "delay"}

// synapseEdge wires an edge with a coupling: a network dynamics entry of
// synapse kind, or a bare NeuroML synapse type whose parameters are the
// edge's.
func (r *resolver) synapseEdge(e *ast.Edge, src, tgt *Node) {
	name := e.Coupling.Value
	var own []*ast.Parameter // the edge's synapse parameters
	var conn = map[string]*ast.Parameter{}
	for _, p := range e.Parameters {
		if contains(edgeKeys, p.Name.Value) {
			conn[p.Name.Value] = p
		} else {
			own = append(own, p)
		}
	}
	var t *Type
	if d, ok := r.netDefs[name]; ok {
		if len(own) > 0 {
			r.errorf(own[0].Name.Pos, "edge parameter %q: coupling %q is a network dynamics entry; set its parameters there", own[0].Name.Value, name).
				Hint = "an edge itself takes only weight and delay"
			return
		}
		t = r.typeOf(d, r.timeScale())
	} else {
		iri := library.Prefix + name
		if _, known, _ := library.Lookup(iri); !known {
			var syn []string
			for _, n := range library.Names() {
				if def, _, _ := library.Lookup(n); def != nil && (def.Kind.Value == string(SynapseKind) || def.Kind.Value == string(Electrical)) {
					syn = append(syn, strings.TrimPrefix(n, library.Prefix))
				}
			}
			for n, d := range r.netDefs {
				if def, _, _ := library.Lookup(d.IRI.Value); def != nil && (def.Kind.Value == string(SynapseKind) || def.Kind.Value == string(Electrical)) {
					syn = append(syn, n)
				}
			}
			sortIDs(syn)
			r.errorf(e.Coupling.Pos, "unknown synapse type %q in edge %s -> %s", name, e.Source.Value, e.Target.Value).
				Hint = diag.Suggest(name, syn, "couplings name a network dynamics entry or a NeuroML synapse")
			return
		}
		r.edgeTypes++
		d := &ast.Dynamics{Pos: e.Pos, Name: ast.Str{Value: fmt.Sprintf("%s#edge%d", name, r.edgeTypes), Pos: e.Coupling.Pos},
			IRI: ast.Str{Value: iri, Pos: e.Coupling.Pos}, Parameters: own}
		t = r.typeOf(d, r.timeScale())
		if t != nil {
			t.Name = name
		}
	}
	if t == nil {
		return
	}
	if t.Kind != SynapseKind && t.Kind != Electrical {
		r.errorf(e.Coupling.Pos, "coupling %q of edge %s -> %s is a %s (%s), not a synapse", name, e.Source.Value, e.Target.Value, t.Kind, t.IRI).
			Hint = "a coupling names a synapse type such as expOneSynapse, or a network dynamics entry with iri neuroml:<synapse>"
		return
	}
	s := &Synapse{Pos: e.Pos, Type: t, Source: src, Target: tgt, Weight: 1}
	if p := conn["weight"]; p != nil {
		if v, ok := r.quantityValue(p, units.None, "edge weight"); ok {
			s.Weight = v
		}
	}
	if p := conn["delay"]; p != nil {
		s.DelaySteps, s.Delay = r.delaySteps(p)
	}
	chemical := s.Chemical()
	switch {
	case chemical && !src.Type.Emits():
		r.errorf(e.Source.Pos, "edge %s -> %s: %s (%s) fires no spikes, so it cannot drive the chemical synapse %s",
			e.Source.Value, e.Target.Value, src.ID, src.Type.Name, name).
			Hint = "use a spiking cell or spike source as the source, or a continuous coupling (linearGradedSynapse, gradedSynapse, gapJunction)"
		return
	case !chemical && !hasState(src.Type, "v"):
		r.errorf(e.Source.Pos, "edge %s -> %s: the continuous coupling %s reads the source's voltage v, which %s (%s) does not have",
			e.Source.Value, e.Target.Value, name, src.ID, src.Type.Name)
		return
	case !chemical && s.DelaySteps != 0:
		r.errorf(conn["delay"].Pos, "edge %s -> %s: the continuous coupling %s takes no delay", e.Source.Value, e.Target.Value, name).
			Hint = "remove delay: a graded synapse or gap junction acts at once"
		return
	}
	if !r.attach(s, tgt, e) {
		return
	}
	if t.Kind == Electrical {
		// a gap junction conducts both ways: the source gets its own half
		back := &Synapse{Pos: e.Pos, Type: t, Source: tgt, Target: src, Weight: s.Weight}
		r.attach(back, src, e)
	}
}

// timeScale is the experiment's time unit in seconds.
func (r *resolver) timeScale() float64 {
	if in := r.exp.Integration; in != nil && in.TimeScale.Value != "" {
		if u, err := units.Parse(in.TimeScale.Value); err == nil {
			return u.ToSI(1)
		}
	}
	return 1e-3
}

// attach adds a synapse to its target, checking the target has a port
// for the synapse's current and a voltage to give it.
func (r *resolver) attach(s *Synapse, tgt *Node, e *ast.Edge) bool {
	if tgt.Type.Kind != Cell || !hasState(tgt.Type, "v") {
		r.errorf(e.Target.Pos, "edge %s -> %s: %s (%s) has no membrane potential v for the synapse %s",
			e.Source.Value, e.Target.Value, tgt.ID, tgt.Type.Name, s.Type.Name)
		return false
	}
	found := false
	for _, p := range tgt.Type.Inputs {
		if p.Dimension == s.Type.ExposedDim {
			found = true
		}
	}
	if !found {
		r.errorf(e.Target.Pos, "edge %s -> %s: %s (%s) takes no %s, which the synapse %s gives",
			e.Source.Value, e.Target.Value, tgt.ID, tgt.Type.Name, dimPhrase(s.Type.ExposedDim), s.Type.Name)
		return false
	}
	j := 0
	for _, other := range tgt.Synapses {
		if other.Type.Name == s.Type.Name {
			j++
		}
	}
	s.Target = tgt
	s.Name = "synapses:" + s.Type.Name + ":" + strconv.Itoa(j)
	tgt.Synapses = append(tgt.Synapses, s)
	return true
}

// delaySteps converts an edge delay to whole steps: a spike is delivered
// at the first step whose time has reached spike time + delay (the
// reference's rule), so a delay between two steps rounds up.
func (r *resolver) delaySteps(p *ast.Parameter) (int, float64) {
	d, ok := r.quantityValue(p, units.Time, "edge delay")
	if !ok || r.dt <= 0 {
		return 0, 0
	}
	switch {
	case d < 0:
		r.errorf(p.Value.Pos, "edge delay %g s is negative", d).Hint = "a delay is 0 or a positive time such as {value: 1, unit: ms}"
		return 0, 0
	case d > 0 && d < r.dt*(1-1e-9):
		r.errorf(p.Value.Pos, "edge delay %g s is shorter than one step (step_size %g s)", d, r.dt).
			Hint = "spikes are delivered in whole steps: use delay 0 or at least one step, or a smaller step_size"
		return 0, 0
	}
	steps := d / r.dt
	// a spike ring of one flag per step of the delay
	if err := limits.History(fmt.Sprintf("edge delay %g s", d), steps+1, 1); err != nil {
		r.errorf(p.Value.Pos, "%v", err).Hint = "use a shorter delay or a larger step_size"
		return 0, 0
	}
	if math.Abs(steps-math.Round(steps)) < 1e-6 {
		return int(math.Round(steps)), d
	}
	return int(math.Ceil(steps)), d
}

func hasState(t *Type, name string) bool {
	for _, s := range t.States {
		if s.Name == name {
			return true
		}
	}
	return false
}

// refractory resolves a library cell's refractory regime: its period over
// the parameters, and the state variables it holds.
func (r *resolver) refractory(t *Type, def *ast.Dynamics, states map[string]bool) {
	ref := def.Refractory
	if ref == nil || ref.Period == nil || ref.Period.Node == nil {
		return
	}
	v, err := expr.Eval(ref.Period.Node, func(n string) (float64, bool) {
		v, ok := t.Params[n]
		return v, ok
	})
	if err != nil {
		r.errorf(ref.Period.Pos, "refractory period: %v", err)
		return
	}
	rt := &Refractory{Period: v}
	for _, h := range ref.Holds {
		if !states[h.Value] {
			r.errorf(h.Pos, "refractory holds %q, which is not a state variable", h.Value)
			continue
		}
		rt.Holds = append(rt.Holds, h.Value)
	}
	t.Refractory = rt
}

// spikeTimes reads the preset spike times a spike array's user dynamics
// lists under events (trigger_times, in the experiment's time unit).
func (r *resolver) spikeTimes(t *Type, use *ast.Dynamics, timeScale float64) {
	for _, ev := range use.Events {
		for _, tt := range ev.TriggerTimes {
			if tt.Value < 0 || math.IsNaN(tt.Value) || math.IsInf(tt.Value, 0) {
				r.errorf(tt.Pos, "spike time %g is not a time >= 0", tt.Value)
				continue
			}
			t.SpikeTimes = append(t.SpikeTimes, tt.Value*timeScale)
		}
	}
}

// seed reads the experiment's random seed: integration.parameters.seed or
// execution.random_seed (TVBO's two spellings; where both are given they
// must agree), a whole number >= 0; 0 when absent (found says whether it
// is given). The binary's --seed overrides it.
func (r *resolver) seed() (seed uint64, found bool) {
	whole := limits.Seed
	if in := r.exp.Integration; in != nil {
		for _, p := range in.Parameters {
			if p.Name.Value != "seed" {
				continue
			}
			v := p.Value.Value
			if !p.Value.Set || !whole(v) {
				r.errorf(p.Pos, "integration seed must be a whole number from 0 to %d", int64(limits.MaxSeed)).Hint = "write seed: {value: 123}"
				return 0, false
			}
			seed, found = uint64(v), true
		}
	}
	if rs := r.exp.RandomSeed; rs.Set {
		if !whole(rs.Value) {
			r.errorf(rs.Pos, "execution.random_seed must be a whole number from 0 to %d, got %g", int64(limits.MaxSeed), rs.Value).Hint = "write random_seed: 123"
			return 0, false
		}
		if found && uint64(rs.Value) != seed {
			r.errorf(rs.Pos, "execution.random_seed %d disagrees with integration seed %d", uint64(rs.Value), seed).
				Hint = "give the seed once, in execution.random_seed or integration.parameters.seed"
			return 0, false
		}
		seed, found = uint64(rs.Value), true
	}
	return seed, found
}
