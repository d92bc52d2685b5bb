package gen

import (
	"testing"

	"github.com/tvboc/tvboc/compiler/ir"
)

// TestDenseChoice pins when a coupling sums dense rows: no delays, float64
// sums, at least a quarter of the weights non-zero, a table of at most
// denseMaxBytes, and no edge listed twice in a row.
func TestDenseChoice(t *testing.T) {
	// rows of a 4-node network as column lists
	csr := func(rows ...[]int) *ir.BrainCoupling {
		c := &ir.BrainCoupling{RowStart: []int{0}}
		for _, r := range rows {
			for _, j := range r {
				c.Col = append(c.Col, j)
				c.Weight = append(c.Weight, 1)
			}
			c.RowStart = append(c.RowStart, len(c.Col))
		}
		return c
	}
	full := csr([]int{1, 2, 3}, []int{0, 2, 3}, []int{0, 1, 3}, []int{0, 1, 2})
	sparse := csr([]int{1}, nil, []int{3}, nil) // 2 of 16
	repeated := csr([]int{1, 1, 2}, []int{0, 2}, []int{0, 1}, []int{0})
	delayed := csr([]int{1, 2, 3}, []int{0, 2, 3}, []int{0, 1, 3}, []int{0, 1, 2})
	delayed.Delay = make([]int, len(delayed.Col))
	// every weight of an n-node network non-zero: dense up to 1024
	// nodes (8 MiB of table), not beyond
	whole := func(n int) *ir.BrainCoupling {
		rows := make([][]int, n)
		for i := range rows {
			for j := range n {
				if j != i {
					rows[i] = append(rows[i], j)
				}
			}
		}
		return csr(rows...)
	}
	tests := []struct {
		name    string
		c       *ir.BrainCoupling
		nodes   int
		float32 bool
		want    bool
	}{
		{"full", full, 4, false, true},
		{"sparse", sparse, 4, false, false},
		{"repeated edge", repeated, 4, false, false},
		{"delayed", delayed, 4, false, false},
		{"float32 sums", full, 4, true, false},
		{"1024 nodes", whole(1024), 1024, false, true},
		{"1025 nodes: too large a table", whole(1025), 1025, false, false},
	}
	for _, tt := range tests {
		g := &brainGen{p: &ir.Brain{Nodes: tt.nodes, Float32: tt.float32}, w: &exprWriter{}}
		if got := g.dense(tt.c); got != tt.want {
			t.Errorf("%s: dense = %v, want %v", tt.name, got, tt.want)
		}
	}
}
