package flatten

import (
	"slices"
	"testing"

	"github.com/tvboc/tvboc/compiler/expr"
)

const ksChannel = `    k:
      iri: neuroml:ionChannelKS
      parameters: {conductance: {value: 10, unit: pS}, number: {value: 100}, erev: {value: -80, unit: mV}}
      components:
        n:
          iri: neuroml:gateKS
          parameters: {instances: {value: 1}}
          components:
            a: {iri: neuroml:closedState}
            o: {iri: neuroml:openState}
            b: {iri: neuroml:closedState}
            ao:
              iri: neuroml:vHalfTransition
              parameters: {from: {description: a}, to: {description: o}, vHalf: {value: 0, unit: mV}, z: {value: 1}, gamma: {value: 0.5}, tau: {value: 1, unit: ms}, tauMin: {value: 0.1, unit: ms}}
            bo:
              iri: neuroml:vHalfTransition
              parameters: {from: {description: b}, to: {description: o}, vHalf: {value: -20, unit: mV}, z: {value: 1}, gamma: {value: 0.5}, tau: {value: 2, unit: ms}, tauMin: {value: 0.1, unit: ms}}
`

// TestFlattenScheme pins what the kernel needs to advance a gateKS as
// jLEMS does: the occupancies in the order the states are listed (jLEMS's
// matrix rows, the first holding the whole occupancy at the start), the
// transitions' (from, to) indices and rates in the order listed, and a
// one-step copy of each occupancy to record. The rates read v two steps
// old, as an HH gate's do. The plain ODE reading records no scheme and
// integrates the occupancies' rates.
func TestFlattenScheme(t *testing.T) {
	src := cellYAML("neuroml:pointCellCondBased", pointParams, ksChannel)
	cell, err := flattenWith(t, src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cell.Schemes) != 1 {
		t.Fatalf("%d schemes, want 1", len(cell.Schemes))
	}
	sc := cell.Schemes[0]
	if want := []string{"k/n/a/occupancy", "k/n/o/occupancy", "k/n/b/occupancy"}; !slices.Equal(sc.States, want) {
		t.Errorf("states %v, want %v", sc.States, want)
	}
	if want := [][2]int{{0, 1}, {2, 1}}; !slices.Equal(sc.Edges, want) {
		t.Errorf("edges %v, want %v", sc.Edges, want)
	}
	if !slices.Equal(sc.Forward, []string{"k/n/ao/rf", "k/n/bo/rf"}) || !slices.Equal(sc.Reverse, []string{"k/n/ao/rr", "k/n/bo/rr"}) {
		t.Errorf("rates %v %v", sc.Forward, sc.Reverse)
	}
	lags := map[string]*Lag{}
	for _, l := range cell.Lags {
		lags[l.Name] = l
	}
	for i, s := range sc.States {
		l := lags[sc.Shown[i]]
		if l == nil || l.Of != s || l.Steps != 1 {
			t.Errorf("occupancy %s is shown as %q, not a one-step lag of it", s, sc.Shown[i])
		}
	}
	initial := map[string]float64{}
	for _, s := range cell.States {
		initial[s.Name] = s.Initial
	}
	if initial["k/n/a/occupancy"] != 1 || initial["k/n/o/occupancy"] != 0 || initial["k/n/b/occupancy"] != 0 {
		t.Errorf("initial occupancies %v", initial)
	}
	found := false
	for _, d := range cell.Derived {
		if d.Name == "k/n/ao/rf0" {
			found = true
			if ids := expr.Idents(d.Value); !slices.Contains(ids, "v__lag2") {
				t.Errorf("the transition's rate reads %v, not v two steps old", ids)
			}
		}
	}
	if !found {
		t.Error("no derived k/n/ao/rf0")
	}

	ode, err := flattenWith(t, src, Options{ODE: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(ode.Schemes) != 0 || len(ode.Lags) != 0 {
		t.Errorf("the ODE reading has %d schemes and %d lags", len(ode.Schemes), len(ode.Lags))
	}
}
