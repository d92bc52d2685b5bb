package load

import (
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/load/schema"
)

// TestExtensionKeys keeps extensionKeys exact: every key a section reads
// or accepts is a key of its schema class, a metadata key, or one of
// tvboc's extensions of that class; no extension is a key the schema
// already defines; every extension is used by some section; and a fixed
// key is one the schema defines.
func TestExtensionKeys(t *testing.T) {
	used := map[string]map[string]bool{}
	for _, s := range sections {
		class := schema.Lookup(s.class)
		if class == nil && !strings.HasPrefix(s.class, "tvboc:") {
			t.Errorf("section class %q is neither in TVBO's schema nor a tvboc: section", s.class)
		}
		if used[s.class] == nil {
			used[s.class] = map[string]bool{}
		}
		for _, k := range append(append([]string(nil), s.read...), s.inert...) {
			switch {
			case class.Slot(k) != nil, metadataKeys[k]:
			case contains(extensionKeys[s.class], k):
				used[s.class][k] = true
			default:
				t.Errorf("%s: key %q is neither in TVBO's schema nor in extensionKeys[%q]", s.class, k, s.class)
			}
		}
		for k := range s.fixed {
			if class.Slot(k) == nil {
				t.Errorf("%s: fixed key %q is not a key of the class", s.class, k)
			}
		}
	}
	for class, keys := range extensionKeys {
		c := schema.Lookup(class)
		for _, k := range keys {
			if c.Slot(k) != nil {
				t.Errorf("extensionKeys[%q] lists %q, which TVBO's schema defines: remove it from the list", class, k)
			}
			if !used[class][k] {
				t.Errorf("extensionKeys[%q] lists %q, which no section reads", class, k)
			}
		}
	}
}

// TestSchemaKeys runs the key checking on small documents: what the
// schema defines and tvboc honours or can ignore is accepted, what it
// defines and tvboc cannot honour is refused by name, the rest is
// unknown with a suggestion from the schema.
func TestSchemaKeys(t *testing.T) {
	const model = "name: M\nstate_variables:\n  x:\n    equation: {rhs: -x}\n    initial_value: 1\n"
	const brain = "dynamics:\n  name: M\n  state_variables:\n    x:\n      equation: {rhs: -x}\n      coupling_variable: true\n  coupling_inputs: {c: {}}\n"
	const integ = "integration:\n  method: euler\n  step_size: 0.1\n  duration: 10\n"
	for _, tc := range []struct {
		name, src string
		load      func(string, []byte) error
		want      string // "" for no error
	}{
		{"a model", model, brainLoad, ""},
		{"metadata keys", "has_reference: x\nreferences: [a]\nsource: https://example.org\n" + model, brainLoad, ""},
		{"inert model keys", "modified: true\nderived_from_model: {name: N}\n" + model, brainLoad, ""},
		{"refused model key", "stimulus: {equation: {rhs: sin(t)}}\n" + model, brainLoad,
			`m.yaml:1:1: "stimulus" (a key of TVBO's Dynamics) in the model is not supported by tvboc`},
		{"refused state key", "name: M\nstate_variables:\n  x:\n    equation: {rhs: -x}\n    history: {}\n", brainLoad,
			`m.yaml:5:5: "history" (a key of TVBO's StateVariable) in state variable "x" is not supported by tvboc`},
		{"misspelt model key", "stat_variables: {}\n" + model, brainLoad,
			`m.yaml:1:1: unknown key "stat_variables" in the model (known keys: `},
		{"suggestion from the schema", "stat_variables: {}\n" + model, brainLoad, `did you mean "state_variables"?`},
		{"number_of_modes 1", "number_of_modes: 1\n" + model, brainLoad, ""},
		{"number_of_modes 3", "number_of_modes: 3\n" + model, brainLoad,
			`m.yaml:1:18: the model: tvboc runs number_of_modes: 1 only, not "3"`},
		{"integrator inert keys", brain + integ + "  number_of_stages: 1\n  scipy_ode_base: false\n  delayed: true\n", brainLoad, ""},
		{"integrator not delayed", brain + integ + "  delayed: false\n", brainLoad,
			`tvboc runs delayed: true only, not "false"`},
		{"integrator schema key", brain + integ + "  state_wise_sigma: [0.1]\n", brainLoad,
			`m.yaml:12:3: "state_wise_sigma" (a key of TVBO's Integrator) in the integration section is not supported by tvboc`},
		{"multiplicative noise", brain + integ + "  noise:\n    additive: false\n", brainLoad,
			`m.yaml:13:15: noise: tvboc runs additive: true only, not "false"`},
		{"additive noise", brain + integ + "  noise:\n    additive: true\n    correlated: false\n    gaussian: true\n", brainLoad, ""},
		{"coupling key", "name: C\npre_expression: {rhs: x_j}\npost_expression: {rhs: a*gx}\nsparse: true\n", couplingLoad, ""},
		{"inert key of the wrong type", "name: C\npre_expression: {rhs: x_j}\nsparse: maybe\n", couplingLoad,
			`m.yaml:3:9: the coupling function: sparse must be true or false (TVBO's Coupling.sparse is a boolean), got "maybe"`},
		{"inert integer", brain + integ + "  number_of_stages: two\n", brainLoad,
			`number_of_stages must be a whole number (TVBO's Integrator.number_of_stages is an integer), got "two"`},
		{"coupling schema key", "name: C\npre_expression: {rhs: x_j}\ninner_coupling: {name: D}\n", couplingLoad,
			`m.yaml:3:1: "inner_coupling" (a key of TVBO's Coupling) in the coupling function is not supported by tvboc`},
		{"coupling typo", "name: C\npre_expresion: {rhs: x_j}\n", couplingLoad, `did you mean "pre_expression"?`},
		{"node-list experiment", "dynamics: {}\nmonitors: []\n", nodeListLoad,
			`m.yaml:2:1: "monitors" (a key of TVBO's SimulationExperiment) in the experiment is not supported by tvboc`},
		{"node-list typo", "dynamics: {}\nintegratoin: {}\n", nodeListLoad, `did you mean "integration"?`},
		{"study key", "key: S\ntitle: T\nsimulation_experiments: [{id: 1}]\ndoi: x\nsample: {size: 3}\n", studyLoad, ""},
		{"study typo", "key: S\nsimulation_experiment: []\n", studyLoad, `did you mean "simulation_experiments"?`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.load("m.yaml", []byte(tc.src))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && err == nil:
				t.Fatalf("no error, want %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("error\n%v\nwant it to contain\n%s", err, tc.want)
			}
		})
	}
}

func brainLoad(file string, data []byte) error {
	_, err := BrainExperiment(file, data)
	return err
}

func couplingLoad(file string, data []byte) error {
	_, err := CouplingFunction(file, data)
	return err
}

func nodeListLoad(file string, data []byte) error {
	_, err := Experiment(file, data)
	return err
}

func studyLoad(file string, data []byte) error {
	_, err := Study(file, data)
	return err
}

// TestSectionNesting: where a section is read under a key of another,
// its class is the range TVBO's schema gives that key, so the nesting of
// the readers is the schema's.
func TestSectionNesting(t *testing.T) {
	for _, tc := range []struct {
		parent *section
		key    string
		child  *section
	}{
		{secBrainExperiment, "integration", secBrainIntegration},
		{secBrainExperiment, "network", secBrainNetwork},
		{secExperiment, "integration", secIntegration},
		{secBrainIntegration, "noise", secNoise},
		{secBrainNetwork, "weights", secMatrix},
		{secStudy, "simulation_experiments", secStudyExperiment},
		{secStudy, "model", secMassModel},
		{secStudyExperiment, "model", secMassModel},
		{secStudyExperiment, "local_dynamics", secMassModel},
		{secStudyExperiment, "connectivity", secStudyNetwork},
		{secStudyExperiment, "network", secStudyNetwork},
		{secStudyExperiment, "coupling", secCoupling},
		{secStudyExperiment, "integration", secBrainIntegration},
		{secStudyNetwork, "weights", secMatrix},
		{secStudyNetwork, "lengths", secMatrix},
		{secMassModel, "state_variables", secMassState},
		{secMassModel, "parameters", secBrainParameter},
		{secMassModel, "derived_variables", secBrainDerived},
		{secMassModel, "output_transforms", secOutputTransform},
		{secMassModel, "coupling_inputs", secCouplingInput},
		{secMassModel, "functions", secFunction},
		{secMassState, "boundaries", secBounds},
		{secMassState, "domain", secBounds},
		{secMassState, "equation", secEquation},
		{secBrainDerived, "cases", secCase},
		{secBrainDerived, "equation", secCasesEquation},
		{secEquation, "conditionals", secConditional},
		{secDynamics, "parameters", secQuantity},
		{secDynamics, "state_variables", secState},
		{secDynamics, "derived_variables", secVariable},
		{secState, "equation", secEquation},
		{secVariable, "equation", secEquation},
	} {
		slot := schema.Lookup(tc.parent.class).Slot(tc.key)
		if slot == nil {
			t.Errorf("%s has no key %q", tc.parent.class, tc.key)
			continue
		}
		if c := schema.Lookup(tc.child.class); c == nil || schema.Lookup(slot.Range) != c {
			t.Errorf("%s.%s is a %s in TVBO's schema; its section reads it as a %s", tc.parent.class, tc.key, slot.Range, tc.child.class)
		}
	}
}
