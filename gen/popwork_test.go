package gen

import (
	"testing"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// TestStepWork pins the cost model behind the default worker count:
// operations counted from the equations (a division 8, a power or a
// function like exp 20, a comparison or Min 1), cells times the cost of
// their step, and a worker per minWorkPerWorker of it.
func TestStepWork(t *testing.T) {
	parse := func(s string) expr.Node {
		n, err := expr.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, tt := range []struct {
		in   string
		cost int
	}{
		{"v", 0},
		{"a*v + b", 2},
		{"-v", 1},
		{"v/tau", 8},
		{"exp(-v/10)", 29},
		{"v^3", 20},
		{"Min(v, 0) + abs(u)", 3},
		{"v >= 30", 1},
	} {
		if got := exprCost(parse(tt.in)); got != tt.cost {
			t.Errorf("exprCost(%s) = %d, want %d", tt.in, got, tt.cost)
		}
	}
	izh := func(size int) *ir.Pop {
		return &ir.Pop{Size: size, Spike: parse("v >= 30"), States: []ir.PopState{
			{Name: "v", Rate: parse("0.04*v*v + 5*v + 140 - u + I")},
			{Name: "u", Rate: parse("a*(b*v - u)")},
		}}
	}
	// 7 + 3 operations of the rates, the spike test, two updates
	if got := stepCost(izh(1)); got != 13 {
		t.Errorf("an Izhikevich cell's step costs %d, want 13", got)
	}
	kernel := &ir.Pop{Size: 1, Kernel: &ir.PopKernel{Segments: []ir.Segment{
		{Body: []ir.Stmt{&ir.Let{Name: "r", Value: parse("exp(v)")}}},
		{Body: []ir.Stmt{&ir.Update{Names: []string{"v"}, Values: []expr.Node{parse("v + r")}}}},
	}}}
	if got := stepCost(kernel); got != 20 {
		t.Errorf("a kernel's step costs %d, want its costliest segment's 20", got)
	}
	for _, tt := range []struct{ cells, workers int }{
		{20, 1}, {630, 1}, {631, 2}, {1000, 2}, {10000, 16},
	} {
		net := &ir.PopNet{Pops: []*ir.Pop{izh(tt.cells)}}
		if got := usefulWorkers(stepWork(net)); got != tt.workers {
			t.Errorf("%d Izhikevich cells: %d workers by default, want %d", tt.cells, got, tt.workers)
		}
	}
}
