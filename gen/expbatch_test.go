package gen

import (
	"math"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// runLets evaluates a block of Lets and Exps with the given inputs and
// returns every name's value.
func runLets(t *testing.T, stmts []ir.Stmt, in map[string]float64) map[string]float64 {
	t.Helper()
	env := map[string]float64{}
	for k, v := range in {
		env[k] = v
	}
	lookup := func(name string) (float64, bool) { v, ok := env[name]; return v, ok }
	for _, s := range stmts {
		switch x := s.(type) {
		case *ir.Let:
			v, err := expr.Eval(x.Value, lookup)
			if err != nil {
				t.Fatalf("%s: %v", x.Name, err)
			}
			env[x.Name] = v
		case *ir.Exps:
			for i, a := range x.Args {
				v, err := expr.Eval(a, lookup)
				if err != nil {
					t.Fatalf("%s: %v", x.Names[i], err)
				}
				env[x.Names[i]] = math.Exp(v)
			}
		default:
			t.Fatalf("statement %T", s)
		}
	}
	return env
}

// TestBatchExps pins the batching of exp calls: independent calls (their
// arguments ready) four at a time, the Lets rescheduled so that every name
// is computed before it is read and every value is the unbatched one; a
// call left over waits for the next ones, a nested exp's outer call stays
// a call; a run that draws random numbers keeps its order untouched.
func TestBatchExps(t *testing.T) {
	let := func(name, value string) *ir.Let {
		n, err := expr.Parse(value)
		if err != nil {
			t.Fatal(err)
		}
		return &ir.Let{Name: name, Value: n}
	}
	run := []ir.Stmt{
		let("a", "v + 1"),
		let("ra", "3 * exp(a / 2)"),
		let("rb", "exp(-a) + exp(v)"),
		let("b", "ra * 2"),
		let("rc", "1 / (1 + exp(b))"),
		let("rd", "exp(exp(v) / 10)"),
		let("re", "exp(v) * exp(v)"),
		let("sum", "ra + rb + rc + rd + re"),
	}
	next := 0
	got := batchExps(run, &next)
	var batches []string
	for _, s := range got {
		if b, ok := s.(*ir.Exps); ok {
			var args []string
			for _, a := range b.Args {
				args = append(args, a.String())
			}
			batches = append(batches, strings.Join(args, "; "))
		}
	}
	// first four of the five calls ready once a is known (ra's, rb's two,
	// rd's inner call), then the fifth (re's exp(v), once for its Let)
	// waits for rc's exp(b) and goes with it
	want := []string{"a / 2; -a; v; v", "b; v"}
	if strings.Join(batches, " | ") != strings.Join(want, " | ") {
		t.Errorf("batches %q, want %q", batches, want)
	}
	for _, v := range []float64{-3, 0.5, 2} {
		in := map[string]float64{"v": v}
		before, after := runLets(t, run, in), runLets(t, got, in)
		for _, s := range run {
			name := s.(*ir.Let).Name
			if math.Float64bits(before[name]) != math.Float64bits(after[name]) {
				t.Errorf("v = %v: %s = %v batched, %v before", v, name, after[name], before[name])
			}
		}
	}
	// random draws keep the block as it was
	drawn := []ir.Stmt{let("a", "random(1)"), let("ea", "exp(a)"), let("eb", "exp(v)")}
	if out := batchExps(drawn, &next); len(out) != 3 || out[1] != drawn[1] {
		t.Errorf("a block that draws random numbers was rewritten: %v", out)
	}
}
