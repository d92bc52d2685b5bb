package library

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

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
		default:
			t.Errorf("%s: kind %q, want cell or input", iri, d.Kind.Value)
		}
		for _, p := range d.Parameters {
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
			for _, p := range ct.Parameters {
				m[p.Name] = p.Dimension
			}
			for _, p := range ct.Properties {
				m[p.Name] = "none"
			}
			want[ct.Name] = m
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
		got := map[string]string{}
		for _, p := range d.Parameters {
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
