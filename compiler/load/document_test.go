package load

import (
	"strings"
	"testing"
)

// TestDocument: the one entry point tells every kind of TVBO document
// apart and picks an experiment's back end.
func TestDocument(t *testing.T) {
	const state = "state_variables:\n  x:\n    equation: {rhs: -x}\n"
	for _, tc := range []struct {
		name, src string
		kind      Kind
		backend   Backend
		class     string
	}{
		{"node list", "dynamics:\n  " + strings.ReplaceAll(state, "\n  ", "\n    ") + "integration: {method: euler, step_size: 0.1, duration: 1, time_scale: ms}\n",
			KindExperiment, NodeList, "SimulationExperiment"},
		{"model file", "name: M\n" + state, KindExperiment, NeuralMass, "Dynamics"},
		{"whole brain", "dynamics:\n  iri: tvbo:Generic2dOscillator\nnetwork: {weights: w.txt}\n", KindExperiment, NeuralMass, "SimulationExperiment"},
		{"population", "dynamics: {}\nnetwork:\n  nodes:\n    - {id: a, size: 10}\n", KindExperiment, Population, "SimulationExperiment"},
		{"study", "key: S\nsimulation_experiments: []\n", KindStudy, NoBackend, "SimulationStudy"},
		{"network file", "type: network\nnumber_of_regions: 2\nweights: {dataLocation: w.txt}\n", KindNetworkFile, NoBackend, "Connectome"},
		{"coupling", "name: Linear\npre_expression: {rhs: x_j}\n", KindCouplingFunction, NoBackend, "Coupling"},
		{"integrator", "method: heun\nstep_size: 0.1\n", KindIntegrator, NoBackend, "Integrator"},
		{"atlas", "name: A\nterminology: {entities: [a, b]}\n", KindAtlas, NoBackend, "tvboc:Atlas"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Document("d.yaml", []byte(tc.src))
			if d == nil {
				t.Fatalf("no document: %v", err)
			}
			if d.Kind != tc.kind || d.Backend != tc.backend || d.Class != tc.class {
				t.Errorf("kind %v, back end %v, class %s; want %v, %v, %s", d.Kind, d.Backend, d.Class, tc.kind, tc.backend, tc.class)
			}
			if err != nil {
				return // classification is what this case checks; some are incomplete
			}
			set := 0
			for _, v := range []bool{d.Experiment != nil, d.Pop != nil, d.Brain != nil, d.Study != nil, d.Network != nil,
				d.Coupling != nil, d.Integrator != nil, d.Atlas != nil} {
				if v {
					set++
				}
			}
			if set != 1 {
				t.Errorf("%d values set, want 1", set)
			}
		})
	}
}

// TestDocumentError: a document with a mistake still says what it is,
// with its values unset.
func TestDocumentError(t *testing.T) {
	d, err := Document("c.yaml", []byte("name: Linear\npre_expression: {rhs: x_j}\npost_expresion: {rhs: a*gx}\n"))
	if err == nil || !strings.Contains(err.Error(), `c.yaml:3:1: unknown key "post_expresion"`) {
		t.Fatalf("error %v", err)
	}
	if d == nil || d.Kind != KindCouplingFunction || d.Coupling != nil {
		t.Errorf("got %+v, want the kind with no value", d)
	}
	if d, err := DocumentFile("no/such/file.yaml"); d != nil || err == nil || !strings.Contains(err.Error(), "cannot read") {
		t.Errorf("an unreadable file: %v, %v", d, err)
	}
}

// TestInertKeysListed: keys of the schema tvboc accepts without effect
// are listed with the metadata, where they stand.
func TestInertKeysListed(t *testing.T) {
	src := "name: Linear\ndescription: a coupling\nsparse: false\npre_expression: {rhs: x_j}\npost_expression: {rhs: a*gx}\n"
	keys, err := MetadataKeys("c.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range keys {
		got = append(got, k.Key+"@"+k.Pos.String())
	}
	if want := "description@c.yaml:2:1 sparse@c.yaml:3:1"; strings.Join(got, " ") != want {
		t.Errorf("MetadataKeys = %v, want %s", got, want)
	}
}

// TestOtherClass: a document of a schema class tvboc reads only inside
// an experiment is named by its class; a document that could be several
// things, or has an experiment's keys, is still read as an experiment.
func TestOtherClass(t *testing.T) {
	for _, tc := range []struct{ src, class, want string }{
		{"period: 2000\nimaging_modality: BOLD\n", "Monitor", "m.yaml:1:1: this is a TVBO Monitor"},
		{"regions: [0, 1]\nweighting: [1.0, 0.5]\nequation: {rhs: sin(t)}\n", "Stimulus", "m.yaml:1:1: this is a TVBO Stimulus"},
		{"description: a monitor\nperiod: 2000\nimaging_modality: BOLD\n", "Monitor", "this is a TVBO Monitor"},
		// one key besides the metadata: too little to tell
		{"label: x\nperiod: 2\n", "SimulationExperiment", `unknown key "period" in the experiment`},
		// an experiment's key wins
		{"dynamics: {}\nperiod: 2000\nimaging_modality: BOLD\n", "SimulationExperiment", `unknown key "period" in the experiment`},
	} {
		d, err := Document("m.yaml", []byte(tc.src))
		if d == nil || d.Class != tc.class {
			t.Errorf("%q: class %v, want %s", tc.src, d, tc.class)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.src, err, tc.want)
		}
	}
}
