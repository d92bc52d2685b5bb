package schema

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/load/schema/internal/schemagen"
)

// schemaPath is TVBO's schema in the shared reference tree, relative to
// this package.
var schemaPath = filepath.Join("..", "..", "..", "..", "shared", "reference", "tvbo", "schema", "tvbo_datamodel.yaml")

// TestTablesUpToDate regenerates the tables from TVBO's schema and checks
// the committed tables.go is what the generator writes now.
func TestTablesUpToDate(t *testing.T) {
	src, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Skipf("TVBO's schema is not at hand (%v); run with ../shared present", err)
	}
	want, err := schemagen.Generate(src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("tables.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("tables.go is out of date with TVBO's schema: run go generate ./compiler/load/schema")
	}
}

// TestGenerate runs the generator on a small schema of our own: is_a and
// mixins are inherited, slot_usage refines, an alias renames the key, a
// twice-written key keeps its last value, any_of joins ranges, and the
// output does not depend on map order.
func TestGenerate(t *testing.T) {
	src := []byte(`
default_range: string
slots:
  name:
  weight:
    range: float
enums:
  Colour:
    permissible_values:
      red:
      blue:
classes:
  Base:
    slots: [name]
    attributes:
      parts:
        range: Part
        multivalued: true
        inlined_as_list: true
  Mix:
    attributes:
      colour:
        range: Colour
  Part:
    slots: [weight]
  Child:
    is_a: Base
    mixins: [Mix]
    aliases: [Kid]
    slot_usage:
      name:
        required: true
    attributes:
      id:
        identifier: true
        range: integer
        range: string
      rhs_long:
        alias: rhs
      either:
        any_of:
          - range: string
          - range: Part
      where:
        range: Place
`)
	first, err := schemagen.Generate(src)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		again, _ := schemagen.Generate(src)
		if !bytes.Equal(first, again) {
			t.Fatal("the generator's output is not deterministic")
		}
	}
	text := string(first)
	for _, want := range []string{
		`IsA:    "Base"`,
		`Mixins: []string{"Mix"}`,
		`{Key: "colour", Range: "Colour", RangeKind: RangeEnum}`,
		`{Key: "either", Range: "string|Part", RangeKind: RangeUnion}`,
		`{Key: "id", Range: "string", RangeKind: RangeType, Identifier: true}`,
		`{Key: "name", Range: "string", RangeKind: RangeType, Required: true}`,
		`{Key: "parts", Range: "Part", RangeKind: RangeClass, Multivalued: true, InlinedAsList: true}`,
		`{Key: "rhs", Name: "rhs_long", Range: "string", RangeKind: RangeType}`,
		`{Key: "where", Range: "Place", RangeKind: RangeImported}`,
		`"Kid": "Child"`,
		`"Colour": {"blue", "red"}`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("generated tables lack %s:\n%s", want, text)
		}
	}
	// Base keeps its own name slot optional: slot_usage refines Child only
	if !strings.Contains(text, "\"Base\": {\n\t\t\tName: \"Base\",\n\t\t\tSlots: []Slot{\n\t\t\t\t{Key: \"name\", Range: \"string\", RangeKind: RangeType},") {
		t.Errorf("Base's name slot changed by Child's slot_usage:\n%s", text)
	}
	if _, err := schemagen.Generate([]byte("classes:\n  A:\n    is_a: B\n")); err == nil || !strings.Contains(err.Error(), `"B" is not defined`) {
		t.Errorf("an undefined parent: got %v", err)
	}
	if _, err := schemagen.Generate([]byte("classes:\n  A:\n    is_a: A\n")); err == nil || !strings.Contains(err.Error(), "inherits from itself") {
		t.Errorf("a cycle: got %v", err)
	}
}

// TestLookup pins facts of TVBO's schema the loader depends on, through
// the committed tables.
func TestLookup(t *testing.T) {
	for _, tc := range []struct {
		class, key, rng string
		multi           bool
	}{
		{"SimulationExperiment", "integration", "Integrator", false},
		{"SimulationStudy", "simulation_experiments", "SimulationExperiment", true},
		{"NeuralMassModel", "state_variables", "StateVariable", true}, // inherited from Dynamics
		{"Monitor", "pipeline", "ProcessingStep", true},               // inherited from ObservationModel
		{"Equation", "rhs", "string", false},                          // the alias of righthandside
		{"Integrator", "step_size", "float", false},
		{"Coupling", "pre_expression", "Equation", false},
	} {
		s := Lookup(tc.class).Slot(tc.key)
		if s == nil {
			t.Errorf("%s has no key %q", tc.class, tc.key)
			continue
		}
		if s.Range != tc.rng || s.Multivalued != tc.multi {
			t.Errorf("%s.%s: range %s multivalued %v, want %s %v", tc.class, tc.key, s.Range, s.Multivalued, tc.rng, tc.multi)
		}
	}
	if Lookup("NoSuchClass") != nil || Lookup("Integrator").Slot("step_sise") != nil {
		t.Error("lookups of absent names must fail")
	}
}
