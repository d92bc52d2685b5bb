package resolve

import (
	"math"
	"time"

	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/limits"
)

// Per-node costs of lowering a node list, measured on `tvboc gen` (peak
// memory and CPU time) with equation models of one and two states (Euler,
// Heun) and the HH cell of testdata/nodeloops/hh (246 expression terms,
// Euler): a node costs about 4 kB and 50 µs whatever it is, and every
// term of its type's expressions about 1 kB and 15 µs per integration
// stage beyond the first at half weight (a stage repeats the rates, not
// the rest). The estimate errs high: 100,000 two-state Heun nodes measure
// 1.2 GB and are estimated at 2.2 GB.
const (
	nodeBytes   = 4 << 10
	termBytes   = 1 << 10
	nodeSeconds = 50e-6
	termSeconds = 15e-6
)

// checkNodeListWork refuses a node list whose lowering would take more
// memory than limits.MaxNodeListBytes: the compiler lowers every node on
// its own (the generator rolls alike cells into loops only afterwards),
// so 100,000 HH cells would take about 25 GB and seven minutes before a
// line of Go is written. A population lowers its cell type once.
func (r *resolver) checkNodeListWork(m *Model) {
	if len(r.errs) > 0 || len(m.Nodes) < 2 {
		return
	}
	perType := map[*Type]float64{}
	terms := func(t *Type) float64 {
		if t == nil {
			return 0
		}
		if c, ok := perType[t]; ok {
			return c
		}
		c := typeTerms(t)
		perType[t] = c
		return c
	}
	stages := map[string]float64{"euler": 1, "heun": 2, "rk4": 4}[m.Method]
	if stages == 0 {
		stages = 1
	}
	weight := (1 + stages) / 2
	var nodes, allTerms float64
	for _, n := range m.Nodes {
		nodes++
		allTerms += terms(n.Type)
		for _, s := range n.Synapses {
			nodes++
			allTerms += terms(s.Type)
		}
	}
	bytes := nodes*nodeBytes + allTerms*weight*termBytes
	if bytes <= limits.MaxNodeListBytes {
		return
	}
	seconds := nodes*nodeSeconds + allTerms*weight*termSeconds
	pos := r.exp.Pos
	if net := r.exp.Network; net != nil {
		pos = net.Pos
		if net.NumberOfNodes.Set {
			pos = net.NumberOfNodes.Pos
		}
	}
	r.errorf(pos, "the node list's %s nodes (inputs and synapses included; %s terms of equations) would take about %s of memory and %s to compile, more than the %s the compiler allows a node list, which it lowers node by node",
		diag.Thousands(int(nodes)), diag.Thousands(int(math.Round(allTerms*weight))), limits.Bytes(bytes), time.Duration(seconds*float64(time.Second)).Round(time.Second), limits.Bytes(limits.MaxNodeListBytes)).
		Hint = "for many cells of one type use a population (network nodes: [{id: pop, dynamics: M, size: N}]), which is compiled once whatever its size; or list fewer nodes"
}

// typeTerms counts the expression terms a type's step is made of: its
// rates, initial values, derived variables and events.
func typeTerms(t *Type) float64 {
	c := 0
	add := func(n expr.Node) {
		if n != nil {
			expr.Inspect(n, func(expr.Node) bool { c++; return true })
		}
	}
	for _, s := range t.States {
		add(s.Rate)
		add(s.Initial)
	}
	for _, d := range t.Derived {
		add(d.Value)
	}
	for _, e := range t.Events {
		add(e.Condition)
		for _, a := range e.Assign {
			add(a.Value)
		}
	}
	return float64(c)
}
