package resolve

import (
	"math"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/load"
)

// nmda is an iaf cell driven by a spike generator through an NMDA
// synapse (blockingPlasticSynapse with a Mg block and depression), as in
// NeuroML Ex6 and Ex7.
const nmda = `label: nmda
network:
  dynamics:
    iaf:
      name: iaf
      iri: neuroml:iafCell
      parameters:
        leakReversal: {value: -70, unit: mV}
        thresh: {value: -55, unit: mV}
        reset: {value: -70, unit: mV}
        C: {value: 0.2, unit: nF}
        leakConductance: {value: 10, unit: nS}
    gen:
      name: gen
      iri: neuroml:spikeGenerator
      parameters:
        period: {value: 30, unit: ms}
    nmdaSyn:
      name: nmdaSyn
      iri: neuroml:blockingPlasticSynapse
      parameters:
        gbase: {value: 0.5, unit: nS}
        erev: {value: 0, unit: mV}
        tauRise: {value: 2, unit: ms}
        tauDecay: {value: 8, unit: ms}
      components:
        blockMechanism:
          name: blockMechanism
          iri: neuroml:voltageConcDepBlockMechanism
          parameters:
            species: {description: mg}
            blockConcentration: {value: 1.2, unit: mM}
            scalingConc: {value: 1.920544, unit: mM}
            scalingVolt: {value: 16.129, unit: mV}
      modes:
        plasticityMechanism:
          name: plasticityMechanism
          iri: neuroml:tsodyksMarkramDepMechanism
          parameters:
            initReleaseProb: {value: 0.5}
            tauRec: {value: 300, unit: ms}
  nodes:
    - {id: 0, dynamics: iaf}
    - {id: 1, dynamics: gen}
  edges:
    - {source: 1, target: 0, coupling: nmdaSyn}
integration: {method: euler, step_size: 0.01, duration: 10, time_scale: ms}
`

func resolveText(t *testing.T, src string) (*Model, error) {
	t.Helper()
	exp, err := load.Experiment("exp.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return Resolve(exp)
}

// TestBlockingPlasticSynapse checks the composed NMDA synapse: the Mg
// block's value at given voltages against the hand-computed
// 1 / (1 + ([Mg]/scalingConc) exp(-v/scalingVolt)), the select/reduce
// products, and the relay of a received spike to the plasticity mechanism
// after the synapse's own increments.
func TestBlockingPlasticSynapse(t *testing.T) {
	m, err := resolveText(t, nmda)
	if err != nil {
		t.Fatal(err)
	}
	s := m.Nodes[0].Synapses[0]
	st := s.Type
	eval := func(name string, v float64) float64 {
		env := map[string]float64{"v": v, "plasticityMechanism/R": 1, "A": 0, "B": 0}
		for k, x := range st.Params {
			env[k] = x
		}
		for _, d := range st.Derived {
			x, err := expr.Eval(d.Value, func(n string) (float64, bool) { y, ok := env[n]; return y, ok })
			if err != nil {
				t.Fatalf("%s: %v", d.Name, err)
			}
			env[d.Name] = x
		}
		return env[name]
	}
	tests := []struct {
		v, want float64
	}{
		// 1/(1 + 1.2/1.920544 * exp(65/16.129)) = 1/(1 + 0.624823 * 56.2532)
		{-0.065, 1 / (1 + 0.6248229668*math.Exp(65/16.129))},
		{0, 1 / (1 + 1.2/1.920544)},
		{-0.020, 1 / (1 + 1.2/1.920544*math.Exp(20/16.129))},
	}
	for _, tc := range tests {
		if got := eval("blockMechanism/blockFactor", tc.v); math.Abs(got-tc.want) > 1e-6*tc.want {
			t.Errorf("blockFactor at %g V = %.9g, want %.9g", tc.v, got, tc.want)
		}
		if got, want := eval("blockFactor", tc.v), eval("blockMechanism/blockFactor", tc.v); got != want {
			t.Errorf("blockFactor = %g, the mechanism's %g", got, want)
		}
	}
	if got := eval("plasticityFactor", -0.065); got != 0.5 {
		t.Errorf("plasticityFactor with R = 1 is %g, want U = 0.5", got)
	}
	var recv *Event
	for _, ev := range st.Events {
		if ev.Receive != "" {
			recv = ev
		}
	}
	var order []string
	for _, a := range recv.Assign {
		order = append(order, a.Var)
	}
	if got := strings.Join(order, " "); got != "A B plasticityMechanism/R" {
		t.Errorf("receive handler assigns %q, want A and B, then the relayed R", got)
	}
}

// TestComposeErrors checks the messages of composite types' mistakes.
func TestComposeErrors(t *testing.T) {
	tests := []struct {
		name, from, to, want string
	}{
		{"doubleSynapse names no entry",
			"iri: neuroml:blockingPlasticSynapse\n      parameters:\n        gbase",
			"iri: neuroml:doubleSynapse\n      parameters:\n        synapse1: {description: AMPA}\n        synapse2: {description: nmdaSyn}\n        gbase",
			`synapse1 of "nmdaSyn" names "AMPA", which is not a network dynamics entry`},
		{"doubleSynapse names itself",
			"iri: neuroml:blockingPlasticSynapse\n      parameters:\n        gbase",
			"iri: neuroml:doubleSynapse\n      parameters:\n        synapse1: {description: nmdaSyn}\n        synapse2: {description: nmdaSyn}\n        gbase",
			`synapse1 of "nmdaSyn" names "nmdaSyn", which contains "nmdaSyn" itself`},
		{"wrong child",
			"iri: neuroml:tsodyksMarkramDepMechanism",
			"iri: neuroml:noSuchMechanism",
			`unknown dynamics iri "neuroml:noSuchMechanism"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := resolveText(t, strings.Replace(nmda, tc.from, tc.to, 1))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
