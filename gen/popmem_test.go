package gen

import (
	"testing"

	"github.com/tvboc/tvboc/compiler/ir"
)

// TestNetworkBytes pins the start-up memory estimate a population binary
// checks before drawing its network: dense rows for all_to_all, a weight
// and a column per drawn synapse, every cell's states.
func TestNetworkBytes(t *testing.T) {
	pops := []*ir.Pop{{Name: "a", Size: 1000, States: make([]ir.PopState, 2)}, {Name: "b", Size: 500, States: make([]ir.PopState, 1)}}
	cells := float64(1000*(2+2)*8 + 500*(1+2)*8)
	tests := []struct {
		edge     ir.PopEdge
		synapses float64
		bytes    float64
	}{
		{ir.PopEdge{Source: 0, Targets: []int{1}, Rule: ir.AllToAll}, 5e5, cells + 5e5*8},
		{ir.PopEdge{Source: 0, Targets: []int{1}, Rule: ir.OneToOne}, 500, cells + 500*12},
		{ir.PopEdge{Source: 0, Targets: []int{1}, Rule: ir.RandomConn, Probability: 0.1}, 5e4, cells + 5e4*12 + 1000*8},
		{ir.PopEdge{Source: 1, Targets: []int{0, 1}, Rule: ir.RandomConn, PerSource: 10}, 1e4, cells + 2*(5000*12+500*8)},
	}
	for _, tt := range tests {
		p := &ir.PopNet{Pops: pops, Edges: []*ir.PopEdge{&tt.edge}}
		bytes, synapses := networkBytes(p)
		if bytes != tt.bytes || synapses != tt.synapses {
			t.Errorf("%s edge: %g bytes, %g synapses; want %g, %g", tt.edge.Rule, bytes, synapses, tt.bytes, tt.synapses)
		}
	}
}
