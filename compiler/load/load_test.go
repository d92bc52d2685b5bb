package load

import (
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/diag"
)

const small = `label: small
network:
  dynamics:
    cell:
      name: cell
      iri: neuroml:izhikevichCell
      parameters:
        v0: {value: -70, unit: mV}
        a: 0.02
        k: "2 * a"
  nodes:
    - {id: 0, dynamics: cell}
    - {id: 1, dynamics: cell, record: false}
  edges:
    - {source: 1, target: 0}
integration:
  method: euler
  step_size: 0.005
  duration: 200.0
  time_scale: ms
`

func TestExperimentShapeAndPositions(t *testing.T) {
	exp, err := Experiment("small.yaml", []byte(small))
	if err != nil {
		t.Fatal(err)
	}
	if exp.Label.Value != "small" {
		t.Errorf("label %q", exp.Label.Value)
	}
	d := exp.Network.Dynamics[0]
	if d.Name.Value != "cell" || d.IRI.Value != "neuroml:izhikevichCell" {
		t.Errorf("dynamics %q %q", d.Name.Value, d.IRI.Value)
	}
	params := d.Parameters
	if len(params) != 3 {
		t.Fatalf("%d parameters, want 3", len(params))
	}
	tests := []struct {
		name  string
		value float64
		set   bool
		unit  string
		pos   diag.Pos
	}{
		{"v0", -70, true, "mV", diag.Pos{File: "small.yaml", Line: 8, Col: 13}},
		{"a", 0.02, true, "", diag.Pos{File: "small.yaml", Line: 9, Col: 12}},
		{"k", 0, false, "", diag.Pos{File: "small.yaml", Line: 10, Col: 12}},
	}
	for i, tt := range tests {
		p := params[i]
		if p.Name.Value != tt.name || p.Value.Value != tt.value || p.Value.Set != tt.set || p.Unit.Value != tt.unit {
			t.Errorf("parameter %d: got %s=%v(set %v) %q", i, p.Name.Value, p.Value.Value, p.Value.Set, p.Unit.Value)
		}
		if p.Pos != tt.pos {
			t.Errorf("parameter %s at %v, want %v", tt.name, p.Pos, tt.pos)
		}
	}
	// a bare string is an expression; its position is inside the quotes
	if e := params[2].Expr; e == nil || e.Src != "2 * a" || e.Pos.Col != 13 {
		t.Errorf("expression parameter: %+v", e)
	}
	if n := exp.Network.Nodes[1]; n.ID.Value != "1" || n.Record == nil || *n.Record {
		t.Errorf("node 1: %+v", n)
	}
	if e := exp.Network.Edges[0]; e.Source.Value != "1" || e.Target.Value != "0" || e.Pos.Line != 15 {
		t.Errorf("edge: %+v", e)
	}
	in := exp.Integration
	if in.StepSize.Value != 0.005 || in.Duration.Value != 200 || in.TimeScale.Value != "ms" || in.Method.Value != "euler" {
		t.Errorf("integration: %+v", in)
	}
}

func TestDynamicsEquations(t *testing.T) {
	src := `name: m
parameters:
  tau: {value: 10}
derived_variables:
  drive: "2 * tau"
state_variables:
  v:
    equation: {rhs: "(drive - v) / tau"}
    initial_value: 1
    unit: mV
    variable_of_interest: true
events:
  reset:
    condition: "v > 1"
    affect: "v = 0; w = w + 1"
`
	d, err := Dynamics("m.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.States) != 1 || d.States[0].Equation.Node.String() == "" || !d.States[0].OfInterest || d.States[0].Unit.Value != "mV" {
		t.Fatalf("state: %+v", d.States[0])
	}
	if got := d.Derived[0].Equation.Src; got != "2 * tau" {
		t.Errorf("derived %q", got)
	}
	ev := d.Events[0]
	if len(ev.Affect) != 2 || ev.Affect[1].Var.Value != "w" {
		t.Fatalf("affect: %+v", ev.Affect)
	}
	// "w" is at offset 7 inside the quoted affect starting at column 13
	if got := ev.Affect[1].Var.Pos; got.Line != 15 || got.Col != 13+8 {
		t.Errorf("affect variable at %v, want line 15 col 21", got)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"not a mapping", "- a\n- b\n", "x.yaml:1:1: the experiment must be a mapping"},
		{"two documents", "label: a\n---\nlabel: b\n", "more than one YAML document"},
		{"equation syntax", "dynamics: {name: m, state_variables: {v: {equation: \"1 +* v\"}}}\nintegration: {step_size: 1, duration: 1}\n", `x.yaml:1:57: state variable "v": expected an operand, found "*"`},
		{"implicit multiplication", "dynamics: {name: m, state_variables: {v: {equation: \"2 v\"}}}\nintegration: {step_size: 1, duration: 1}\n", "implicit multiplication"},
		{"no integration", "label: x\n", "has no integration section"},
		{"bool record", "network: {nodes: [{id: 0, record: maybe}]}\nintegration: {step_size: 1, duration: 1}\n", "record must be true or false"},
		{"duplicate key", "label: a\nlabel: b\nintegration: {step_size: 1, duration: 1}\n", `x.yaml:2:1: duplicate key "label"`},
		{"merge cycle", "network: &x {<<: *x}\nintegration: {step_size: 1, duration: 1}\n", "refers back to a mapping it is part of"},
		{"component alias cycle", "dynamics: &d {name: m, components: {c: {name: c, components: {e: *d}}}}\nintegration: {step_size: 1, duration: 1}\n", "nested more than 32 deep"},
		{"list for mapping", "network: [1, 2]\nintegration: {step_size: 1, duration: 1}\n", "the network section must be a mapping"},
		{"unknown anchor", "label: x\nnetwork: {nodes: *nodes}\n", "x.yaml:2:18: malformed YAML: the alias *nodes refers to no anchor &nodes defined before it"},
		{"tab indentation", "label: x\nnetwork:\n\tnodes: []\n", "x.yaml:3:1: malformed YAML: a tab character here; YAML indents with spaces only"},
		{"nan", "dynamics: {name: m, parameters: {a: {value: .nan}}}\nintegration: {step_size: 1, duration: 1}\n", `x.yaml:1:45: parameter "a" value is NaN (.nan)`},
		{"beyond float64", "dynamics: {name: m, parameters: {a: {value: 1e309}}}\nintegration: {step_size: 1, duration: 1}\n", "1e309 is beyond the range of numbers"},
		{"name with a minus", "dynamics: {name: m, parameters: {x-1: 1}}\nintegration: {step_size: 1, duration: 1}\n", `x.yaml:1:34: parameter "x-1" is not a name equations can use`},
		{"name t", "dynamics: {name: m, state_variables: {t: {equation: \"1\"}}}\nintegration: {step_size: 1, duration: 1}\n", "would hide the time t"},
		{"condition without comparison", "dynamics: {name: m, events: {s: {condition: \"x - 1\"}}}\nintegration: {step_size: 1, duration: 1}\n", "is a number, not a comparison"},
		{"not UTF-8", "label: \"\xff\"\nintegration: {step_size: 1, duration: 1}\n", "x.yaml:1:9: malformed YAML: a byte that is not UTF-8 text"},
		{"NUL byte", "label: x\x00\n", "x.yaml:1:9: malformed YAML: the control character U+0000"},
		{"empty method", "integration: {method: \"\", step_size: 1, duration: 1}\n", "the integration method is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Experiment("x.yaml", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestYAMLErrorLine: a parser error the YAML library reports at the line
// of the mapping being read is moved to the line that broke it (a stray
// word on line 4 was said to be on line 3, a key indented one space too
// far on line 5 at line 3).
func TestYAMLErrorLine(t *testing.T) {
	for src, want := range map[string]string{
		"label: x\ndynamics:\n  parameters:\n    k: {value: 1.0} x\n  name: M\n": "e.yaml:4:5: malformed YAML: did not find expected key",
		"label: x\ndynamics:\n  name: M\n  parameters:\n     bad: 2\n    k: 1\n": "e.yaml:6:5: malformed YAML: did not find expected key",
		"nodes:\n  - {id: 0, dynamics: cell\n  - {id: 1}\n":                      "e.yaml:2:3: malformed YAML: did not find expected ',' or '}'",
	} {
		_, err := Experiment("e.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", src, err, want)
		}
	}
}
