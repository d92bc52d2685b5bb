package lower_test

import (
	"math"
	"testing"

	"github.com/tvboc/tvboc/compiler/ir"
)

// column returns the program's column of that name.
func column(t *testing.T, p *ir.Program, name string) ir.Column {
	t.Helper()
	for _, c := range p.Columns {
		if c.Name == name {
			return c
		}
	}
	var names []string
	for _, c := range p.Columns {
		names = append(names, c.Name)
	}
	t.Fatalf("no column %q; columns: %v", name, names)
	return ir.Column{}
}

// TestDerivedColumns checks the wiring of recorded derived variables:
// one column each, after the states, never default, in SI where a unit is
// declared, and row k holding the value at state k, inputs and t of t_k
// (read back through an interpreter of the IR, against values recomputed
// here from the recorded states).
func TestDerivedColumns(t *testing.T) {
	tests := []struct {
		name string
		src  string
		// want is the derived column's name and its value at row k from
		// the recorded columns
		want  string
		value func(k int, cols map[string][]float64) float64
		unit  string
	}{
		{
			// a unit on an inline derived variable scales it to SI; t is
			// the row's time, in the experiment's unit (ms)
			name: "inline, unit and time",
			src: `label: test
dynamics:
  name: M
  parameters: {tau: {value: 2.0}}
  derived_variables:
    drive: {equation: {rhs: "sin(t) - x"}, unit: mV}
  state_variables:
    x: {equation: {rhs: "(drive - x) / tau"}, initial_value: 0.5, unit: mV}
network: {number_of_nodes: 1}
integration: {method: euler, step_size: 0.1, duration: 5, time_scale: ms}
`,
			want: "drive", unit: "V",
			value: func(k int, cols map[string][]float64) float64 {
				x := cols["x"][k] / 1e-3 // the state column is in SI (V)
				return (math.Sin(float64(k)*0.1) - x) * 1e-3
			},
		},
		{
			// a conductance-based cell with an attached pulse from 1 ms to
			// 3 ms: the summed input current is a derived variable (iSyn),
			// which must show the pulse at t_k, jLEMS's running sum of dt:
			// row 10 (t = 1e-3 + 2e-19) is the first with the pulse on, and
			// row 30 (t = 0.0029999999999999996) still has it, where 30*dt
			// says it has ended; row 31 is the first with it off
			name: "flattened cell, inputs at t_k",
			src: `label: test
dynamics:
  name: c
  iri: neuroml:pointCellCondBased
  parameters:
    C: {value: 10, unit: pF}
    v0: {value: -65, unit: mV}
    thresh: {value: 20, unit: mV}
    pulse_delay: {value: 1, unit: ms}
    pulse_duration: {value: 2, unit: ms}
    I_amp: {value: 0.01, unit: nA}
  components:
    passive:
      iri: neuroml:ionChannelPassive
      parameters: {conductance: {value: 10, unit: pS}, number: {value: 300}, erev: {value: -54.3, unit: mV}}
integration: {step_size: 0.1, duration: 5, time_scale: ms}
`,
			want: "iSyn",
			value: func(k int, cols map[string][]float64) float64 {
				t := 0.0
				for range k {
					t += 1e-4
				}
				if t >= 1e-3 && t < 3e-3 {
					return 1e-11
				}
				return 0
			},
		},
		{
			name: "flattened cell, channel current at v_k",
			src: `label: test
dynamics:
  name: c
  iri: neuroml:pointCellCondBased
  parameters:
    C: {value: 10, unit: pF}
    v0: {value: -65, unit: mV}
    thresh: {value: 20, unit: mV}
    pulse_delay: {value: 1, unit: ms}
    pulse_duration: {value: 2, unit: ms}
    I_amp: {value: 0.01, unit: nA}
  components:
    passive:
      iri: neuroml:ionChannelPassive
      parameters: {conductance: {value: 10, unit: pS}, number: {value: 300}, erev: {value: -54.3, unit: mV}}
integration: {step_size: 0.1, duration: 5, time_scale: ms}
`,
			want: "passive/i",
			value: func(k int, cols map[string][]float64) float64 {
				return 300 * 10e-12 * (-54.3e-3 - cols["v"][k])
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := lowerYAML(t, tc.src)
			c := column(t, p, tc.want)
			if !c.Derived() || c.Default {
				t.Errorf("column %s: derived %v, default %v; want a derived, non-default column", c.Name, c.Derived(), c.Default)
			}
			if c.Unit != tc.unit {
				t.Errorf("column %s: unit %q, want %q", c.Name, c.Unit, tc.unit)
			}
			seenDerived := false
			for _, col := range p.Columns {
				if col.Derived() {
					seenDerived = true
				} else if seenDerived {
					t.Errorf("state column %s after a derived one: derived columns come last", col.Name)
				}
			}
			cols := interpret(t, p)
			got := cols[tc.want]
			if len(got) != p.Steps+1 {
				t.Fatalf("%d rows, want %d", len(got), p.Steps+1)
			}
			for k, v := range got {
				want := tc.value(k, cols)
				if math.Abs(v-want) > 1e-9*math.Abs(want)+1e-300 {
					t.Fatalf("%s at row %d = %.17g, want %.17g", tc.want, k, v, want)
				}
			}
		})
	}
}

// TestDerivedColumnsNotInStep checks that the derived columns cost the
// step nothing: their identifiers are assigned only by the statements
// for the rows (Derived0, Segment.Derived), never in a step body.
func TestDerivedColumnsNotInStep(t *testing.T) {
	p := lowerYAML(t, `label: test
dynamics:
  name: M
  derived_variables:
    d: {equation: {rhs: "2*x"}}
  state_variables:
    x: {equation: {rhs: "-d"}, initial_value: 1.0}
network: {number_of_nodes: 1}
integration: {method: euler, step_size: 0.1, duration: 1, time_scale: ms}
`)
	c := column(t, p, "d")
	ident := c.Value.String()
	assigns := func(body []ir.Stmt) bool {
		for _, s := range body {
			if let, ok := s.(*ir.Let); ok && let.Name == ident {
				return true
			}
		}
		return false
	}
	if !assigns(p.Derived0) {
		t.Errorf("Derived0 does not compute %s", ident)
	}
	for _, seg := range p.Segments {
		if !assigns(seg.Derived) {
			t.Errorf("segment [%d, %d) does not compute %s for its rows", seg.Start, seg.End, ident)
		}
		if assigns(seg.Body) {
			t.Errorf("segment [%d, %d) computes %s in the step itself", seg.Start, seg.End, ident)
		}
	}
}

// TestRandomDerivedNotRecorded checks that a derived variable drawing
// random numbers, or computed from one, gets no column: recomputing it in
// the record step would draw again and shift the random stream, so the
// run would differ with --record all.
func TestRandomDerivedNotRecorded(t *testing.T) {
	p := lowerYAML(t, `label: test
dynamics:
  name: M
  derived_variables:
    noisy: {equation: {rhs: "0.1*normal()"}}
    drive: {equation: {rhs: "noisy - x"}}
    leak: {equation: {rhs: "-x"}}
  state_variables:
    x: {equation: {rhs: "drive + leak"}, initial_value: 1.0}
network: {number_of_nodes: 1}
integration: {method: euler, step_size: 0.1, duration: 1, time_scale: ms}
`)
	column(t, p, "leak")
	for _, c := range p.Columns {
		if c.Name == "noisy" || c.Name == "drive" {
			t.Errorf("%s has a column, want none", c.Name)
		}
	}
}
