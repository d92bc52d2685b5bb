package lower_test

import (
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// countCalls counts the calls of fn in a step body's expressions.
func countCalls(body []ir.Stmt, fn string) int {
	n := 0
	visit := func(e expr.Node) {
		expr.Rewrite(e, func(x expr.Node) expr.Node {
			if c, ok := x.(*expr.Call); ok && c.Func == fn {
				n++
			}
			return x
		})
	}
	var walk func([]ir.Stmt)
	walk = func(stmts []ir.Stmt) {
		for _, s := range stmts {
			switch x := s.(type) {
			case *ir.Let:
				visit(x.Value)
			case *ir.Set:
				visit(x.Value)
			case *ir.Update:
				for _, v := range x.Values {
					visit(v)
				}
			case *ir.If:
				visit(x.Cond)
				walk(x.Then)
			}
		}
	}
	walk(body)
	return n
}

// TestStepBody checks what the lowering writes into a step: repeated
// subexpressions computed once, derived variables evaluated once per
// stage, dead terms folded away.
func TestStepBody(t *testing.T) {
	tests := []struct {
		name, method, dynamics string
		check                  func(t *testing.T, body []ir.Stmt)
	}{
		{
			name: "common subexpression across rates", method: "euler",
			dynamics: `  state_variables:
    x: {equation: {rhs: "-x*exp(-y/2)"}, initial_value: 1.0}
    y: {equation: {rhs: "1 - exp(-y/2)"}, initial_value: 0.0}`,
			check: func(t *testing.T, body []ir.Stmt) {
				if n := countCalls(body, "exp"); n != 1 {
					t.Errorf("exp(-y/2) computed %d times per step, want once", n)
				}
			},
		},
		{
			name: "derived variable once per stage", method: "rk4",
			dynamics: `  derived_variables:
    s: {equation: {rhs: "tanh(x)"}}
  state_variables:
    x: {equation: {rhs: "-s"}, initial_value: 1.0}`,
			check: func(t *testing.T, body []ir.Stmt) {
				if n := countCalls(body, "tanh"); n != 4 {
					t.Errorf("tanh computed %d times per RK4 step, want 4 (one per stage)", n)
				}
			},
		},
		{
			name: "zero parameters fold away", method: "euler",
			dynamics: `  parameters:
    g: {value: 0.0}
  state_variables:
    x: {equation: {rhs: "-x + g*exp(x)"}, initial_value: 1.0}
    c: {equation: {rhs: "g*x"}, initial_value: 2.0}`,
			check: func(t *testing.T, body []ir.Stmt) {
				if n := countCalls(body, "exp"); n != 0 {
					t.Errorf("g*exp(x) with g = 0 left %d exp calls", n)
				}
				for _, s := range body {
					if up, ok := s.(*ir.Update); ok && len(up.Names) != 1 {
						t.Errorf("updated %v, want only x (c has rate 0)", up.Names)
					}
				}
			},
		},
		{
			// a state no rate reads (an accumulator): its stage values are
			// never read, and Go refuses a declared but unused temporary
			name: "state nothing reads leaves no stage temporaries", method: "rk4",
			dynamics: `  state_variables:
    x: {equation: {rhs: "1"}, initial_value: 0.0}
    total: {equation: {rhs: "x"}, initial_value: 0.0}`,
			check: func(t *testing.T, body []ir.Stmt) {
				used := map[string]bool{}
				var lets []string
				for _, s := range body {
					switch x := s.(type) {
					case *ir.Let:
						lets = append(lets, x.Name)
						for _, id := range expr.Idents(x.Value) {
							used[id] = true
						}
					case *ir.Update:
						for _, v := range x.Values {
							for _, id := range expr.Idents(v) {
								used[id] = true
							}
						}
					}
				}
				for _, name := range lets {
					if !used[name] {
						t.Errorf("temporary %s is never read", name)
					}
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := lowerYAML(t, experiment(tc.dynamics, tc.method, 0.1, 1))
			tc.check(t, p.Segments[0].Body)
		})
	}
}

// TestEventsInOrder checks that events are tested on the new state in the
// order written, each seeing the assignments of those before it: when
// the first resets x, the second (x == 0) fires in the same step.
func TestEventsInOrder(t *testing.T) {
	p := lowerYAML(t, experiment(`  state_variables:
    x: {equation: {rhs: "1"}, initial_value: 0.0}
    n1: {equation: {rhs: "0"}, initial_value: 0.0}
    n2: {equation: {rhs: "0"}, initial_value: 0.0}
  events:
    wrap:
      condition: {rhs: "x > 0.95"}
      affect: {rhs: "x = 0; n1 = n1 + 1"}
    count:
      condition: {rhs: "Eq(x, 0)"}
      affect: {rhs: "n2 = n2 + 10"}`, "euler", 0.25, 2))
	cols := interpretAll(t, p)
	x, n1, n2 := cols["x"], cols["n1"], cols["n2"]
	// x: 0, .25, .5, .75, 1 -> reset in the same step: row 4 is 0
	want := []float64{0, 0.25, 0.5, 0.75, 0, 0.25, 0.5, 0.75, 0}
	for i := range want {
		if x[i] != want[i] {
			t.Fatalf("x = %v, want %v", x, want)
		}
	}
	if last(n1) != 2 || last(n2) != 20 {
		t.Errorf("n1 = %v, n2 = %v at the end, want 2 and 20", last(n1), last(n2))
	}
}

// TestRefractoryRegime checks the `refract` parameter: after the event
// the assigned variable is held for refract, the others integrate.
func TestRefractoryRegime(t *testing.T) {
	p := lowerYAML(t, experiment(`  parameters:
    refract: {value: 1.0}
  state_variables:
    v: {equation: {rhs: "1"}, initial_value: 0.0}
    clock: {equation: {rhs: "1"}, initial_value: 0.0}
  events:
    spike:
      condition: {rhs: "v > 0.5"}
      affect: {rhs: "v = 0"}`, "euler", 0.25, 3))
	cols := interpretAll(t, p)
	// v: 0 .25 .5 .75->reset 0 at row 3; held while t_k <= t_3 + 1, i.e.
	// steps 3..7 keep 0 (rows 3..8), then it integrates again.
	want := []float64{0, 0.25, 0.5, 0, 0, 0, 0, 0, 0, 0.25, 0.5, 0, 0}
	got := cols["v"]
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("v = %v,\nwant %v", got, want)
		}
	}
	if c := cols["clock"]; last(c) != 3 {
		t.Errorf("clock ends at %v, want 3: variables the event does not assign keep integrating", last(c))
	}
	if !strings.Contains(p.States[len(p.States)-1].Name, "refractoryEnd") {
		t.Errorf("no refractory state variable: %v", p.States)
	}
}
