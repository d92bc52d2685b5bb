package lems_test

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCellsMatchNeuroML renders TVBO's YAML of NeuroML's conductance-based
// examples and compares the cell with the original LEMS file: the ion
// channels (every element and attribute, values in SI), the experiment's
// own ComponentTypes (name, base, constants in SI, requirements, the
// derived variables' names, dimensions and exposures; the expressions are
// written differently and left out), the concentration models, how the
// cell places each channel (channelDensity, channelDensityGHK, ...; the
// placement ids are TVBO's component names, so left out), the species, and
// the temperature (network or tissue). Elements NeuroML writes through a
// type attribute (<gate type="gateHHratesTau">, <concentrationModel
// type="...">) count as the element of that type.
//
// This is a structural check only: jNeuroML is not run here.
func TestCellsMatchNeuroML(t *testing.T) {
	tests := []struct{ yaml, lems string }{
		{"Ex15.yaml", "LEMS_NML2_Ex15_CaDynamics.xml"},
		{"Ex17.yaml", "LEMS_NML2_Ex17_Tissue.xml"},
		{"Ex18.yaml", "LEMS_NML2_Ex18_GHK.xml"},
		{"Ex24.yaml", "LEMS_NML2_Ex24_FractionalConductance.xml"},
	}
	for _, tt := range tests {
		t.Run(tt.yaml, func(t *testing.T) {
			yamlPath := filepath.Join(referenceDir, "tvbo/neuroml", tt.yaml)
			lemsPath := filepath.Join(referenceDir, "lems/LEMSexamples", tt.lems)
			for _, p := range []string{yamlPath, lemsPath} {
				if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
					t.Skipf("reference data not found at %s", p)
				}
			}
			doc, err := render(t, yamlPath)
			if err != nil {
				t.Fatal(err)
			}
			want := cellModel(readTree(t, lemsPath))
			got := cellModel(parseTree(t, doc.XML))
			if len(want) == 0 {
				t.Fatalf("nothing found in %s: the test reads nothing", lemsPath)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("cell differs from %s (-neuroml +tvboc):\n%s", tt.lems, diff)
			}
		})
	}
}

// cellModel lists a model's cell parts, one line each, sorted.
func cellModel(root *node) []string {
	var out []string
	var walk func(n *node, inCell bool)
	walk = func(n *node, inCell bool) {
		for _, c := range n.children {
			name := typedName(c)
			switch {
			case name == "notes" || name == "Display" || name == "Line":
			case strings.HasPrefix(name, "ionChannel"):
				out = append(out, flatten(c, "")...)
			case name == "ComponentType" && c.attrs["extends"] != "" && strings.HasPrefix(c.attrs["extends"], "baseVoltage"):
				out = append(out, componentType(c)...)
			case strings.HasSuffix(name, "ConcentrationModel") && !inCell:
				out = append(out, describeNode(c))
			case strings.HasPrefix(name, "channelDensity") || name == "channelPopulation" || name == "species":
				out = append(out, "placement "+describeNodeWithout(c, "id"))
			case name == "network" && c.attrs["temperature"] != "":
				out = append(out, "temperature "+siValue(c.attrs["temperature"]))
				walk(c, inCell)
			case name == "tissueWithVaryingTemperature":
				out = append(out, "tissue "+describeNodeWithout(c, "id"))
				walk(c, inCell)
			case name == "cell" || name == "pointCellCondBased":
				walk(c, true)
			default:
				walk(c, inCell)
			}
		}
	}
	walk(root, false)
	sort.Strings(out)
	return out
}

// typedName is an element's NeuroML type: its name, or its type attribute
// for the generic <gate type=...> and <concentrationModel type=...>.
func typedName(n *node) string {
	if (n.name == "gate" || n.name == "concentrationModel") && n.attrs["type"] != "" {
		return n.attrs["type"]
	}
	return n.name
}

// flatten writes an element and its descendants, one line per element,
// prefixed by its path of ids and slot names.
func flatten(n *node, path string) []string {
	key := n.attrs["id"]
	if key == "" {
		key = n.name
	}
	path += "/" + key
	out := []string{path + " " + describeNodeWithout(n, "id")}
	for _, c := range n.children {
		if c.name == "notes" {
			continue
		}
		out = append(out, flatten(c, path)...)
	}
	return out
}

func componentType(n *node) []string {
	head := "CT " + n.attrs["name"] + " extends " + n.attrs["extends"]
	out := []string{head}
	var walk func(m *node)
	walk = func(m *node) {
		for _, c := range m.children {
			switch c.name {
			case "Constant":
				out = append(out, head+" Constant "+c.attrs["name"]+" "+c.attrs["dimension"]+" "+siValue(c.attrs["value"]))
			case "Requirement":
				out = append(out, head+" Requirement "+c.attrs["name"]+" "+c.attrs["dimension"])
			case "DerivedVariable", "ConditionalDerivedVariable":
				out = append(out, head+" Derived "+c.attrs["name"]+" "+c.attrs["dimension"]+" exposure="+c.attrs["exposure"])
			case "Dynamics":
				walk(c)
			}
		}
	}
	walk(n)
	return out
}

func describeNode(n *node) string { return describeNodeWithout(n, "") }

// describeNodeWithout writes an element's type and attributes in SI,
// leaving out one attribute and the type attribute of generic elements.
func describeNodeWithout(n *node, skip string) string {
	var attrs []string
	for k, v := range n.attrs {
		if k == skip || k == "type" && typedName(n) != n.name {
			continue
		}
		attrs = append(attrs, k+"="+siValue(strings.TrimSpace(v)))
	}
	sort.Strings(attrs)
	return typedName(n) + "{" + strings.Join(attrs, " ") + "}"
}
