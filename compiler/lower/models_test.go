package lower_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// referenceTVBO holds TVBO's experiment files, next to the repository.
const referenceTVBO = "../../../shared/reference/tvbo"

func lowerFile(t *testing.T, path string) *ir.Program {
	t.Helper()
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("reference experiment %s not found (the reference material lives next to the repository)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	return lowerYAML(t, string(data))
}

// upCrossings returns the rows at which v first reaches level from below.
func upCrossings(v []float64, level float64) []int {
	var out []int
	for i := 1; i < len(v); i++ {
		if v[i-1] < level && v[i] >= level {
			out = append(out, i)
		}
	}
	return out
}

// TestIntegrateAndFireInterval checks NeuroML Ex11 (the iafTau cell as
// equations) against its solution by hand: after a reset to -70 mV, v
// relaxes to -50 mV with tau 30 ms and reaches the -55 mV threshold after
// 30 ms * ln((-70+50)/(-55+50)) = 30 ln 4 = 41.589 ms, so the cell fires
// every 41.59 ms (Euler at dt 5 us is off by less than a step per
// interval), and v never leaves [-70, -50] mV.
func TestIntegrateAndFireInterval(t *testing.T) {
	p := lowerFile(t, filepath.Join(referenceTVBO, "neuroml", "Ex11.yaml"))
	v := interpret(t, p)["v"]
	var resets []int
	for i := 1; i < len(v); i++ {
		if v[i] < v[i-1]-0.01 {
			resets = append(resets, i)
		}
		if v[i] < -0.070-1e-12 || v[i] > -0.050+1e-12 {
			t.Fatalf("row %d: v = %g V leaves [-70, -50] mV", i, v[i])
		}
	}
	want := 30e-3 * math.Log(4)
	if len(resets) != 5 { // t = 0, 41.6, 83.2, 124.8, 166.4 ms in 200 ms
		t.Fatalf("%d spikes, want 5 (resets at rows %v)", len(resets), resets)
	}
	for i := 1; i < len(resets); i++ {
		got := float64(resets[i]-resets[i-1]) * p.Dt
		if math.Abs(got-want) > 2*p.Dt {
			t.Errorf("interval %d: %.6g s, want %.6g s (30 ms * ln 4)", i, got, want)
		}
	}
}

// TestHodgkinHuxleyInvariants runs NeuroML Ex25 (a Hodgkin-Huxley point
// cell as equations, 80 nA/cm2 of drive): the gates stay in [0, 1], the
// cell fires tonically (overshooting 0 mV) and its late interspike
// intervals agree within 1%.
func TestHodgkinHuxleyInvariants(t *testing.T) {
	p := lowerFile(t, filepath.Join(referenceTVBO, "neuroml", "Ex25.yaml"))
	// the default records v only; this test reads the gates too
	cols := interpretAll(t, p)
	for _, g := range []string{"m", "h", "n"} {
		for i, x := range cols[g] {
			if x < 0 || x > 1 {
				t.Fatalf("gate %s = %g at row %d, outside [0, 1]", g, x, i)
			}
		}
	}
	spikes := upCrossings(cols["v"], 0)
	if len(spikes) < 10 {
		t.Fatalf("%d spikes in 300 ms, want a tonically firing cell", len(spikes))
	}
	n := len(spikes)
	a, b := spikes[n-1]-spikes[n-2], spikes[n-2]-spikes[n-3]
	if math.Abs(float64(a-b)) > 0.01*float64(b) {
		t.Errorf("late intervals %d and %d steps differ by more than 1%%", a, b)
	}
}

// interpretAll is interpret with every state variable recorded.
func interpretAll(t *testing.T, p *ir.Program) map[string][]float64 {
	t.Helper()
	q := *p
	q.Columns = nil
	for i, s := range p.States {
		name := s.Name
		if j := strings.LastIndexByte(name, '_'); j >= 0 {
			name = name[j+1:]
		}
		q.Columns = append(q.Columns, ir.Column{Name: name, State: i, Scale: 1})
	}
	return interpret(t, &q)
}

// TestSingularityGuards checks that folding keeps the `Eq(x, c)` guards of
// the Pinsky-Rinzel rates (NeuroML Ex22) as written: the guarded branch is
// the limit value, folded to a number, and the general branch stays
// behind a comparison with exactly c, so the rate is finite at c and
// unchanged elsewhere.
func TestSingularityGuards(t *testing.T) {
	p := lowerFile(t, filepath.Join(referenceTVBO, "neuroml", "Ex22.yaml"))
	guards := map[float64]float64{} // c -> limit value folded into the guarded branch
	for _, st := range p.Segments[0].Body {
		let, ok := st.(*ir.Let)
		if !ok {
			continue
		}
		pw, ok := let.Value.(*expr.Call)
		if !ok || pw.Func != "Piecewise" {
			continue
		}
		first := pw.Args[0].(*expr.Tuple)
		cond, ok := first.Elems[1].(*expr.Call)
		if !ok || cond.Func != "Eq" {
			continue
		}
		c, okC := cond.Args[1].(*expr.Num)
		v, okV := first.Elems[0].(*expr.Num)
		if !okC || !okV {
			t.Fatalf("%s: guard not folded to Eq(x, number) -> number: %s", let.Name, pw)
		}
		guards[c.Value] = v.Value
	}
	// the YAML's quotients in float64, as Python evaluates them (a Go
	// constant expression would be rounded only once)
	div := func(a, b float64) float64 { return a / b }
	want := map[float64]float64{-46.9: div(0.32, 4), -19.9: div(0.28, 5), -24.9: div(0.016, 5), -8.9: div(0.02, 5)}
	if len(guards) != len(want) {
		t.Fatalf("found guards %v, want %v", guards, want)
	}
	for c, v := range want {
		if guards[c] != v {
			t.Errorf("guard at %g: limit %v, want %v", c, guards[c], v)
		}
	}
}
