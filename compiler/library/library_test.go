package library

import (
	"encoding/xml"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/units"
)

func TestEveryTypeLoads(t *testing.T) {
	names := Names()
	if len(names) < 7 {
		t.Fatalf("only %d library types: %v", len(names), names)
	}
	for _, iri := range names {
		d, ok, err := Lookup(iri)
		if err != nil || !ok {
			t.Fatalf("%s: ok=%v err=%v", iri, ok, err)
		}
		switch d.Kind.Value {
		case "cell":
			if len(d.States) == 0 {
				t.Errorf("%s: a cell without state variables", iri)
			}
		case "input":
			if d.Exposes.Value == "" {
				t.Errorf("%s: an input that exposes nothing", iri)
			}
		case "synapse", "electrical", "pointCurrent":
			if d.Exposes.Value == "" {
				t.Errorf("%s: a synapse that exposes no current", iri)
			}
		case "synapticInput":
			// a spike source with a synapse of its own, named by reference
			if !hasParam(d.Parameters, "synapse") {
				t.Errorf("%s: a synaptic input without a synapse reference", iri)
			}
		case "component":
			// a part of a conductance-based cell (channel, gate, rate,
			// concentration model), flattened into the cell
		default:
			t.Errorf("%s: kind %q, want cell, input, synapse, electrical or component", iri, d.Kind.Value)
		}
		for _, p := range d.Parameters {
			if isName(p.Dimension.Value) {
				continue
			}
			if _, ok := units.DimensionByName(p.Dimension.Value); !ok {
				t.Errorf("%s: parameter %s has unknown dimension %q", iri, p.Name.Value, p.Dimension.Value)
			}
		}
	}
	if _, ok, _ := Lookup("neuroml:noSuchCell"); ok {
		t.Error("found a type that does not exist")
	}
	if _, ok, _ := Lookup("izhikevichCell"); ok {
		t.Error("found a type without the neuroml: prefix")
	}
}

// lemsTypes reads the ComponentType parameter lists of the NeuroML 2 core
// type definitions.
type lemsFile struct {
	Types []struct {
		Name       string `xml:"name,attr"`
		Extends    string `xml:"extends,attr"`
		Parameters []struct {
			Name      string `xml:"name,attr"`
			Dimension string `xml:"dimension,attr"`
		} `xml:"Parameter"`
		Properties []struct {
			Name string `xml:"name,attr"`
		} `xml:"Property"`
	} `xml:"ComponentType"`
}

// TestParametersMatchNeuroML checks that every library type declares
// exactly the parameters (and dimensions) of the NeuroML core type of the
// same name; NeuroML Properties (weight) become parameters with defaults.
func TestParametersMatchNeuroML(t *testing.T) {
	dir := "../../../shared/reference/lems/NeuroML2CoreTypes"
	files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	if len(files) == 0 {
		t.Skip("reference NeuroML definitions not found at ../shared/reference: skipping")
	}
	want := map[string]map[string]string{}
	// inherited collects the parameters a type gets from the types it
	// extends (NeuroML Properties are not inherited).
	inherited := map[string]map[string]string{}
	extends := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var lf lemsFile
		if err := xml.Unmarshal(data, &lf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, ct := range lf.Types {
			m := map[string]string{}
			own := map[string]string{}
			for _, p := range ct.Parameters {
				m[p.Name] = p.Dimension
				own[p.Name] = p.Dimension
			}
			for _, p := range ct.Properties {
				m[p.Name] = "none"
			}
			want[ct.Name] = m
			inherited[ct.Name] = own
			extends[ct.Name] = ct.Extends
		}
	}
	// A library file that extends another declares only its own
	// parameters; one without extends declares every inherited one too.
	flat := map[string]map[string]string{}
	for name, own := range want {
		m := map[string]string{}
		for p, dim := range own {
			m[p] = dim
		}
		flat[name] = m
		for base := extends[name]; base != ""; base = extends[base] {
			for p, dim := range inherited[base] {
				if _, ok := m[p]; !ok {
					m[p] = dim
				}
			}
		}
	}
	for _, iri := range Names() {
		name := strings.TrimPrefix(iri, Prefix)
		w, ok := want[name]
		if !ok {
			t.Errorf("%s is not a NeuroML core type", iri)
			continue
		}
		d, _, _ := Lookup(iri)
		if d.Extends.Value == "" {
			w = flat[name]
		}
		switch d.Kind.Value {
		case "synapse", "electrical", "pointCurrent", "synapticInput":
			// its weight is its edge's (the edge's weight key)
			w = maps.Clone(w)
			delete(w, "weight")
		}
		got := map[string]string{}
		for _, p := range d.Parameters {
			if isName(p.Dimension.Value) {
				continue // LEMS Text, ComponentReference, Path: not Parameters
			}
			got[p.Name.Value] = p.Dimension.Value
		}
		if a, b := describe(got), describe(w); a != b {
			t.Errorf("%s parameters:\n got %s\nwant %s", iri, a, b)
		}
	}
}

func describe(m map[string]string) string {
	var out []string
	for k, v := range m {
		out = append(out, k+":"+v)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// isName reports the library's dimensions for parameters that hold a name.
func isName(dim string) bool { return dim == "text" || dim == "reference" }

func hasParam(ps []*ast.Parameter, name string) bool {
	for _, p := range ps {
		if p.Name.Value == name {
			return true
		}
	}
	return false
}
