package load

import (
	"strings"
	"testing"
)

func TestKindOf(t *testing.T) {
	tests := []struct {
		name, doc string
		want      Kind
	}{
		{"experiment", "dynamics: {iri: tvbo:Kuramoto}\nintegration: {method: euler}\n", KindExperiment},
		{"bare model", "name: M\nstate_variables: {x: {equation: {rhs: -x}}}\n", KindExperiment},
		{"network file", "type: network\nweights: /a/w.csv\nnumber_of_regions: 4\n", KindNetworkFile},
		{"network file without type", "weights: w.csv\nnumber_of_regions: 4\n", KindNetworkFile},
		{"coupling function", "name: Linear\npre_expression: {rhs: x_j}\npost_expression: {rhs: a*gx}\n", KindCouplingFunction},
		{"integrator", "method: Heun\nstep_size: 0.1\nduration: 10\n", KindIntegrator},
		{"atlas", "name: A\nterminology: {entities: {'1': {name: '1'}}}\n", KindAtlas},
		{"study", "key: S\nsimulation_experiments: [{id: 1}]\n", KindStudy},
		// an experiment's own integration section is no integrator file
		{"experiment with method", "dynamics: {iri: tvbo:Kuramoto}\nmethod: euler\nstep_size: 1\n", KindExperiment},
		{"unreadable", "a: [", KindExperiment},
	}
	for _, tt := range tests {
		if got := KindOf([]byte(tt.doc)); got != tt.want {
			t.Errorf("%s: KindOf = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestAtlasRegions(t *testing.T) {
	for _, doc := range []string{
		"name: A\nterminology:\n  entities:\n    '1': {name: '1'}\n    '2': {name: '2'}\n    '3': {name: '3'}\n",
		"name: A\nterminology:\n  label: x\n  entities:\n    - {name: a}\n    - {name: b}\n    - {name: c}\n",
	} {
		a, err := AtlasFile("atlas.yaml", []byte(doc))
		if err != nil || a.Name != "A" || a.Regions != 3 {
			t.Errorf("AtlasFile = %+v, %v; want A with 3 regions", a, err)
		}
	}
}

func TestMetadataKeys(t *testing.T) {
	doc := `name: M
references: [A2020]
source: https://example.org/m.jl
parameters:
  k: {value: 1.0, description: a rate, explored_values: [1, 2]}
observations:
  o: {source: [x]}
state_variables:
  x:
    equation: {rhs: -k*x, latex: false}
`
	keys, err := MetadataKeys("m.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range keys {
		got = append(got, k.Key+"@"+k.Pos.String())
	}
	// (a parameter's explored_values make the model's parameter
	// exploration, package sweep: not metadata)
	want := []string{"references@m.yaml:2:1", "source@m.yaml:3:1", "description@m.yaml:5:19",
		"latex@m.yaml:10:27"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("MetadataKeys =\n %v\nwant\n %v (an observation's source list is no metadata)", got, want)
	}
}
