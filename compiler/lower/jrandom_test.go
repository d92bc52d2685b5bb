package lower

import (
	"testing"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/resolve"
)

// TestInitDraws pins the replay of jLEMS's initialization against the
// draws measured on NeuroML Ex23 and Ex16 with real jLEMS (the index of
// the draw each source's first interval came from, read off its first
// spike): Ex23 has five cells with a 50 Hz input each, then three with a
// 150 Hz input (finals 263, 275, ..., 311 and 359, 371, 383 of 384);
// Ex16 inputs on cells 8 and 10 of 13, then three populations of one
// Poisson cell after two that draw nothing (poissonFiringSynapse on cell
// 8: 119; spikeGeneratorPoisson: 143; spikeGeneratorRandom: 167).
func TestInitDraws(t *testing.T) {
	draw := &expr.Call{Func: "random", Args: []expr.Node{num(1)}}
	cellType := &resolve.Type{Kind: resolve.Cell, States: []*resolve.State{{Name: "v", Initial: num(0)}}}
	source := &resolve.Type{Kind: resolve.Cell, States: []*resolve.State{{Name: "tnext", Initial: draw}}}
	type hosted struct{ host, pop int }
	build := func(sizes []int, drawing []bool, inputs []hosted) (*resolve.Model, [][]*resolve.Node) {
		m := &resolve.Model{}
		var pops [][]*resolve.Node
		for p, size := range sizes {
			ty := cellType
			if drawing[p] {
				ty = source
			}
			pop := &resolve.Population{Type: ty}
			for i := 0; i < size; i++ {
				n := &resolve.Node{Type: ty, Pop: pop, Index: i}
				pop.Nodes = append(pop.Nodes, n)
				m.Nodes = append(m.Nodes, n)
			}
			m.Populations = append(m.Populations, pop)
			pops = append(pops, pop.Nodes)
		}
		var in []*resolve.Node
		pop := &resolve.Population{Type: source}
		for _, h := range inputs {
			n := &resolve.Node{Type: source, Pop: pop, Index: len(in), Host: pops[h.pop][h.host]}
			pop.Nodes = append(pop.Nodes, n)
			m.Nodes = append(m.Nodes, n)
			in = append(in, n)
		}
		m.Populations = append(m.Populations, pop)
		return m, append(pops, in)
	}

	t.Run("Ex23", func(t *testing.T) {
		var inputs []hosted
		for i := 0; i < 5; i++ {
			inputs = append(inputs, hosted{i, 0})
		}
		for i := 0; i < 3; i++ {
			inputs = append(inputs, hosted{i, 1})
		}
		m, nodes := build([]int{5, 3, 1}, []bool{false, false, false}, inputs)
		last, count := initDraws(m)
		if count != 384 {
			t.Errorf("%d draws, want 384", count)
		}
		want := []int{263, 275, 287, 299, 311, 359, 371, 383}
		for i, n := range nodes[3] {
			if last[n] != want[i] {
				t.Errorf("input %d: final draw %d, want %d", i, last[n], want[i])
			}
		}
	})
	t.Run("Ex16", func(t *testing.T) {
		m, nodes := build([]int{13, 1, 1, 1, 1, 1}, []bool{false, false, false, true, true, true},
			[]hosted{{8, 0}, {10, 0}})
		last, _ := initDraws(m)
		for _, c := range []struct {
			n    *resolve.Node
			want int
		}{{nodes[6][0], 119}, {nodes[3][0], 143}, {nodes[5][0], 167}} {
			if last[c.n] != c.want {
				t.Errorf("%s[0]: final draw %d, want %d", c.n.Pop.Type.States[0].Name, last[c.n], c.want)
			}
		}
	})
}
