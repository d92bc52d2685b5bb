package lems_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tvboc/tvboc/compiler"
	"github.com/tvboc/tvboc/gen/build"
	"github.com/tvboc/tvboc/render/lems"
)

var update = flag.Bool("update", false, "rewrite the expected outputs under testdata/lems")

// referenceDir is the shared reference data, found from the repo root.
const referenceDir = "../../../shared/reference"

const casesDir = "../../testdata/lems"

// experimentOf returns a case's experiment file: exp.yaml in the case
// folder, or the seed's own file for the ex2 case.
func experimentOf(name string) string {
	if name == "ex2" {
		return "../../testdata/ex2/ex2.yaml"
	}
	return filepath.Join(casesDir, name, "exp.yaml")
}

func render(t *testing.T, path string) (*lems.Document, error) {
	t.Helper()
	r, err := compiler.Check(path)
	if err != nil {
		t.Fatalf("check %s: %v", path, err)
	}
	// as tvboc render lems does: from the network the binary draws
	if r.PopAST != nil {
		return lems.RenderPopulationFile(path, build.Options{CacheDir: t.TempDir()}, nil)
	}
	if r.BrainAST != nil {
		return lems.RenderBrain(r.BrainAST, r.Brain)
	}
	return lems.Render(r.AST, r.Model)
}

// TestRenderCases renders every case folder under testdata/lems and
// compares with its expected.lems.xml (or its expected error, for cases
// with an error.txt). Run with -update to rewrite the expectations.
func TestRenderCases(t *testing.T) {
	entries, err := os.ReadDir(casesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(casesDir, name)
			doc, err := render(t, experimentOf(name))
			errFile := filepath.Join(dir, "error.txt")
			if _, statErr := os.Stat(errFile); statErr == nil || (err != nil && *update) {
				if err == nil {
					t.Fatalf("rendered without error, want the error in %s", errFile)
				}
				got := strings.ReplaceAll(err.Error(), "../../", "") + "\n"
				if *update {
					writeFile(t, errFile, got)
					return
				}
				if want := readFile(t, errFile); got != want {
					t.Errorf("error:\n got %s\nwant %s", got, want)
				}
				return
			}
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			wellFormed(t, doc.XML)
			want := filepath.Join(dir, "expected.lems.xml")
			if *update {
				writeFile(t, want, string(doc.XML))
				return
			}
			if diff := cmp.Diff(readFile(t, want), string(doc.XML)); diff != "" {
				t.Errorf("rendering differs from %s (-want +got; go test -update rewrites it):\n%s", want, diff)
			}
		})
	}
}

// TestRenderSeedMatchesTVBO compares the seed's rendering with TVBO's own
// (the LEMS file the seed golden was produced from): same elements in the
// same order, same ids, same attribute values once units are normalized
// ("200ms" and "200 ms" are one value).
func TestRenderSeedMatchesTVBO(t *testing.T) {
	golden := filepath.Join(referenceDir, "golden/tvbo_Ex2/Ex2.lems.xml")
	want, err := os.ReadFile(golden)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("reference data not found at %s: TVBO's rendering of the seed is not available", golden)
	}
	if err != nil {
		t.Fatal(err)
	}
	doc, err := render(t, experimentOf("ex2"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(structure(t, want), structure(t, doc.XML)); diff != "" {
		t.Errorf("rendering differs from TVBO's %s (-tvbo +tvboc):\n%s", golden, diff)
	}
}

// TestRenderOutputs checks what the Document promises jNeuroML will
// write: one file per recorded cell population, every quantity of a
// population that exists, indices within its size.
func TestRenderOutputs(t *testing.T) {
	tests := []struct {
		name      string
		files     []string
		quantites [][]string
	}{
		{"ex2", []string{"results/izBurst.dat", "results/izTonic.dat", "results/izMixed.dat", "results/izClass1.dat"}, [][]string{
			{"izBurst_pop[0]/v", "izBurst_pop[0]/U"}, {"izTonic_pop[0]/v", "izTonic_pop[0]/U"},
			{"izMixed_pop[0]/v", "izMixed_pop[0]/U"}, {"izClass1_pop[0]/v", "izClass1_pop[0]/U"}}},
		{"iaf", []string{"results/IaF.dat"}, [][]string{{"IaF_pop[0]/v", "IaF_pop[1]/v"}}},
		// A single-node experiment's results name the bare variables;
		// jNeuroML still records the population path.
		{"fitzhugh", []string{"results/FN.dat"}, [][]string{{"V", "W"}}},
		// A neural-mass node's columns are the compiled binary's.
		{"mass-single", []string{"results/Generic2dOscillator.dat"}, [][]string{{"Generic2dOscillator_pop[0]/V", "Generic2dOscillator_pop[0]/W"}}},
		// A network of nodes is one component (node n's variables end in
		// _n<n>), its columns named as the binary's.
		{"mass-nodes", []string{"results/Generic2dOscillator_network.dat"}, [][]string{{
			"Generic2dOscillator_pop[0]/V", "Generic2dOscillator_pop[1]/V", "Generic2dOscillator_pop[2]/V",
			"Generic2dOscillator_pop[0]/W", "Generic2dOscillator_pop[1]/W", "Generic2dOscillator_pop[2]/W"}}},
		// A hierarchical cell's gates are recorded through their channels.
		{"extends", []string{"results/KCell.dat"}, [][]string{{"v", "k/n/q"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := render(t, experimentOf(tt.name))
			if err != nil {
				t.Fatal(err)
			}
			var files []string
			var quantities [][]string
			for _, of := range doc.Outputs {
				files = append(files, of.FileName)
				quantities = append(quantities, of.Quantities())
			}
			if diff := cmp.Diff(tt.files, files); diff != "" {
				t.Errorf("output files (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.quantites, quantities); diff != "" {
				t.Errorf("quantities (-want +got):\n%s", diff)
			}
			// Every OutputColumn in the XML is in the Document, in order.
			var inXML []string
			for _, m := range regexp.MustCompile(`quantity="([^"]+)"`).FindAllSubmatch(doc.XML, -1) {
				inXML = append(inXML, string(m[1]))
			}
			var inDoc []string
			for _, of := range doc.Outputs {
				for _, c := range of.Columns {
					inDoc = append(inDoc, c.Quantity)
				}
			}
			if diff := cmp.Diff(inDoc, inXML); diff != "" {
				t.Errorf("XML OutputColumns differ from Document.Outputs (-doc +xml):\n%s", diff)
			}
		})
	}
}

// TestRenderDeterministic renders the same experiment twice.
func TestRenderDeterministic(t *testing.T) {
	for _, name := range []string{"ex2", "conditionals", "synapses", "inputs-children", "condcells", "cacells", "tissue", "extends", "mass-single", "mass-network"} {
		a, err := render(t, experimentOf(name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := render(t, experimentOf(name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.XML, b.XML) {
			t.Errorf("%s: two renderings differ", name)
		}
	}
}

func wellFormed(t *testing.T, data []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, data)
		}
	}
}

// structure lists a LEMS document's elements, one line each, in document
// order: depth, name and attributes sorted by name, with quantities such as
// "200ms" written as "200 ms" so spacing does not count.
func structure(t *testing.T, data []byte) []string {
	t.Helper()
	var lines []string
	depth := 0
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return lines
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			var attrs []string
			for _, a := range el.Attr {
				attrs = append(attrs, a.Name.Local+"="+normalizeValue(a.Value))
			}
			sortStrings(attrs)
			lines = append(lines, fmt.Sprintf("%s%s %s", strings.Repeat("  ", depth), el.Name.Local, strings.Join(attrs, " ")))
			depth++
		case xml.EndElement:
			depth--
		}
	}
}

var quantityRE = regexp.MustCompile(`^\s*([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)\s*([A-Za-z_][A-Za-z0-9_]*)?\s*$`)

func normalizeValue(v string) string {
	m := quantityRE.FindStringSubmatch(v)
	if m == nil {
		return v
	}
	f, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return v
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if m[2] != "" {
		s += " " + m[2]
	}
	return s
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	return string(data)
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
