package lower_test

import (
	"fmt"
	"testing"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/load"
	"github.com/tvboc/tvboc/compiler/lower"
	"github.com/tvboc/tvboc/compiler/resolve"
)

// lowerYAML loads, resolves and lowers an experiment written in the test.
func lowerYAML(t *testing.T, src string) *ir.Program {
	t.Helper()
	exp, err := load.Experiment("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := resolve.Resolve(exp)
	if err != nil {
		t.Fatal(err)
	}
	p, err := lower.Lower(m)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// interpret runs an IR program with expr.Eval, independently of the Go
// generator, and returns every recorded column (one value per row, Scale
// applied) by name. It gives the tests of lowering a reading of the IR
// that does not depend on gen.
func interpret(t *testing.T, p *ir.Program) map[string][]float64 {
	t.Helper()
	vars := map[string]float64{}
	for _, s := range p.States {
		vars[s.Name] = s.Init
	}
	lookup := func(name string) (float64, bool) {
		v, ok := vars[name]
		return v, ok
	}
	eval := func(n expr.Node) float64 {
		v, err := expr.Eval(n, lookup)
		if err != nil {
			t.Fatalf("evaluating %s: %v", n, err)
		}
		return v
	}
	out := map[string][]float64{}
	var exec func([]ir.Stmt)
	// record stores a row; derived computes its derived columns first
	record := func(derived []ir.Stmt) {
		exec(derived)
		for _, c := range p.Columns {
			if c.Derived() {
				out[c.Name] = append(out[c.Name], eval(c.Value)*c.Scale)
				continue
			}
			out[c.Name] = append(out[c.Name], vars[p.States[c.State].Name]*c.Scale)
		}
	}
	exec = func(body []ir.Stmt) {
		for _, s := range body {
			switch x := s.(type) {
			case *ir.Let:
				vars[x.Name] = eval(x.Value)
			case *ir.Set:
				vars[x.Name] = eval(x.Value)
			case *ir.Update:
				vals := make([]float64, len(x.Values))
				for i, v := range x.Values {
					vals[i] = eval(v)
				}
				for i, n := range x.Names {
					vars[n] = vals[i]
				}
			case *ir.If:
				if eval(x.Cond) != 0 {
					exec(x.Then)
				}
			default:
				t.Fatalf("unknown statement %T", s)
			}
		}
	}
	record(p.Derived0)
	for _, seg := range p.Segments {
		for k := seg.Start; k < seg.End; k++ {
			vars[ir.KF] = float64(k)
			exec(seg.Body)
			record(seg.Derived)
		}
	}
	return out
}

// experiment writes a single-node experiment around a dynamics body.
func experiment(dynamics, method string, dt, duration float64) string {
	return fmt.Sprintf(`label: test
dynamics:
  name: M
%s
network: {number_of_nodes: 1}
integration: {method: %s, step_size: %g, duration: %g, time_scale: s}
`, dynamics, method, dt, duration)
}
