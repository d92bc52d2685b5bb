package gen

import (
	"testing"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// TestBatchedNoise pins which held variables take the two-phase redraw:
// only those whose draws the per-worker pass reproduces in stream order.
func TestBatchedNoise(t *testing.T) {
	held := func(name, rhs string, period int) ir.PopHeld {
		n, err := expr.Parse(rhs)
		if err != nil {
			t.Fatal(err)
		}
		return ir.PopHeld{Name: name, Value: n, Period: period}
	}
	net := func(pops ...[]ir.PopHeld) *ir.PopNet {
		p := &ir.PopNet{}
		for _, h := range pops {
			p.Pops = append(p.Pops, &ir.Pop{Name: "p", Held: h})
		}
		return p
	}
	for _, c := range []struct {
		name string
		p    *ir.PopNet
		want bool
	}{
		{"no held variables", net(nil), false},
		{"spnet", net([]ir.PopHeld{held("I", "5*normal()", 10)}, []ir.PopHeld{held("I", "2*normal()", 10)}), true},
		{"offset and state", net([]ir.PopHeld{held("I", "I0 + v*normal()", 5)}), true},
		{"one draw and one without", net([]ir.PopHeld{held("I", "normal()", 5), held("J", "2*v", 5)}), true},
		{"two draws in a population", net([]ir.PopHeld{held("I", "normal()", 5), held("J", "normal()", 5)}), false},
		{"two draws in a value", net([]ir.PopHeld{held("I", "normal() + normal()", 5)}), false},
		{"uniform draw", net([]ir.PopHeld{held("I", "random()", 5)}), false},
		{"periods differ", net([]ir.PopHeld{held("I", "normal()", 5)}, []ir.PopHeld{held("I", "normal()", 10)}), false},
		{"reads a held variable", net([]ir.PopHeld{held("I", "normal()", 5), held("J", "2*I", 5)}), false},
	} {
		if got := batchedNoise(c.p); got != c.want {
			t.Errorf("%s: batchedNoise = %v, want %v", c.name, got, c.want)
		}
	}
}
