package resolve

import (
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/load"
)

const twoCells = `label: two
network:
  dynamics:
    slow:
      name: slow
      iri: neuroml:izhikevichCell
      parameters:
        v0: {value: -0.07, unit: V}
        thresh: {value: 30000, unit: uV}
        a: 0.02
        b: 0.2
        c: -65
        d: 6
    fast:
      name: fast
      iri: neuroml:izhikevichCell
      parameters:
        v0: {value: -60, unit: mV}
        thresh: {value: 30, unit: mV}
        a: 0.1
        b: 0.2
        c: -65
        d: 2
    kick:
      name: kick
      iri: neuroml:pulseGeneratorDL
      parameters:
        delay: {value: 0.01, unit: s}
        duration: {value: 5, unit: ms}
        amplitude: 10
  nodes:
    - {id: 7, dynamics: fast}
    - {id: 3, dynamics: slow}
    - {id: 9, dynamics: fast, record: false}
    - {id: 1, dynamics: kick}
  edges:
    - {source: 1, target: 3}
    - {source: 1, target: 9}
integration:
  method: euler
  step_size: 0.01
  duration: 20
  time_scale: ms
`

func TestResolveNetwork(t *testing.T) {
	exp, err := load.Experiment("two.yaml", []byte(twoCells))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Resolve(exp)
	if err != nil {
		t.Fatal(err)
	}
	if m.Steps != 2000 || m.Dt != 0.01*1e-3 {
		t.Errorf("steps %d dt %g, want 2000 and 1e-05", m.Steps, m.Dt)
	}
	// populations in order of first appearance; index = rank in the group
	var pops []string
	for _, p := range m.Populations {
		pops = append(pops, p.Name)
	}
	if got := strings.Join(pops, ","); got != "fast_pop,slow_pop,kick_pop" {
		t.Errorf("populations %s", got)
	}
	byID := map[string]*Node{}
	for _, n := range m.Nodes {
		byID[n.ID] = n
	}
	if q := byID["9"].Quantity("v"); q != "fast_pop[1]/v" {
		t.Errorf("node 9 is %s, want fast_pop[1]/v", q)
	}
	if byID["9"].Record || !byID["7"].Record || byID["1"].Record {
		t.Error("record flags: want record: false honoured and inputs unrecorded")
	}
	// parameters in SI whatever unit the user wrote
	slow := byID["3"].Type.Params
	if slow["v0"] != -0.07 || slow["thresh"] != 30000*1e-6 {
		t.Errorf("slow v0 %v thresh %v", slow["v0"], slow["thresh"])
	}
	if v := byID["7"].Type.Params["v0"]; v != -60*1e-3 {
		t.Errorf("fast v0 %v", v)
	}
	kick := byID["1"].Type.Params
	if kick["delay"] != 0.01 || kick["duration"] != 5*1e-3 || kick["weight"] != 1 {
		t.Errorf("kick params %v (weight defaults to 1)", kick)
	}
	if got := byID["3"].Drives["ISyn"]; len(got) != 1 || got[0].ID != "1" {
		t.Errorf("node 3 drives: %v", got)
	}
	if len(byID["7"].Drives["ISyn"]) != 0 {
		t.Error("node 7 has no input edge")
	}
}

func TestResolveErrors(t *testing.T) {
	tests := []struct{ name, from, to, want string }{
		{"cycle", "", "", ""},
		{"undefined symbol", "equation: \"(e - v) / tau\"", "equation: \"(e - v) / tauu\"", `undefined symbol "tauu"`},
		{"event assigns unknown", "affect: \"v = e\"", "affect: \"w = e\"", `assigns "w", which is not a state variable`},
		{"initial uses state", "initial_value: 1", "initial_value: v", `"v" is not a parameter`},
	}
	base := `dynamics:
  name: m
  parameters:
    e: 1
    tau: 10
  state_variables:
    v:
      equation: "(e - v) / tau"
      initial_value: 1
  events:
    reset:
      condition: "v > 2"
      affect: "v = e"
network: {number_of_nodes: 1}
integration: {step_size: 0.1, duration: 1, time_scale: ms}
`
	for _, tt := range tests[1:] {
		src := strings.Replace(base, tt.from, tt.to, 1)
		exp, err := load.Experiment("m.yaml", []byte(src))
		if err != nil {
			t.Fatalf("%s: load: %v", tt.name, err)
		}
		_, err = Resolve(exp)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
	cyclic := strings.Replace(base, "  state_variables:", "  derived_variables:\n    p: \"q + 1\"\n    q: \"p * 2\"\n  state_variables:", 1)
	exp, err := load.Experiment("m.yaml", []byte(cyclic))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Resolve(exp); err == nil || !strings.Contains(err.Error(), "cycle: p -> q -> p") {
		t.Errorf("cycle: got %v", err)
	}
}
