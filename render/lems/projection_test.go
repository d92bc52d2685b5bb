package lems_test

import (
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tvboc/tvboc/compiler/units"
)

// TestProjectionsMatchNeuroML renders TVBO's YAML of NeuroML examples
// that have synapses and compares every synaptic connection with the
// original LEMS example (and the .nml files it includes): per connection,
// the kind of projection, the synapse component's type and parameters
// (ids left out, units normalized), the graded synapse's pre component,
// weight and delay. Population names and cell indices differ between the
// two by design (TVBO names populations <dynamics>_pop), so they are left
// out; the forms NeuroML writes before and after instances
// (continuousConnection / continuousConnectionInstance, connection /
// connectionWD with weight 1 and delay 0) count as one.
func TestProjectionsMatchNeuroML(t *testing.T) {
	tests := []struct{ yaml, lems string }{
		{"Ex13.yaml", "LEMS_NML2_Ex13_Instances.xml"},
		{"Ex19.yaml", "LEMS_NML2_Ex19_GapJunctions.xml"},
		{"Ex20.yaml", "LEMS_NML2_Ex20_AnalogSynapses.xml"},
		{"Ex26.yaml", "LEMS_NML2_Ex26_Weights.xml"},
		{"Ex3.yaml", "LEMS_NML2_Ex3_Net.xml"},
		{"Ex14.yaml", "LEMS_NML2_Ex14_PyNN.xml"},
		{"Ex21.yaml", "LEMS_NML2_Ex21_CurrentBasedSynapses.xml"},
		{"Ex27.yaml", "LEMS_NML2_Ex27_MultiSynapses.xml"},
		{"Ex7.yaml", "LEMS_NML2_Ex7_STP.xml"},
		{"Ex12.yaml", "LEMS_NML2_Ex12_Net2.xml"},
		{"Ex23.yaml", "LEMS_NML2_Ex23_Spiketimes.xml"},
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
			want := connections(t, readTree(t, lemsPath))
			got := connections(t, parseTree(t, doc.XML))
			if len(want) == 0 {
				t.Fatalf("no connections found in %s: the test reads nothing", lemsPath)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("connections differ from %s (-neuroml +tvboc):\n%s", tt.lems, diff)
			}
		})
	}
}

// node is a parsed XML element.
type node struct {
	name     string
	attrs    map[string]string
	children []*node
}

func parseTree(t *testing.T, data []byte) *node {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(string(data)))
	root := &node{name: "#root"}
	stack := []*node{root}
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch el := tok.(type) {
		case xml.StartElement:
			n := &node{name: el.Name.Local, attrs: map[string]string{}}
			for _, a := range el.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			top := stack[len(stack)-1]
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	return root
}

// readTree parses a LEMS file and splices in the files it includes that
// exist next to it (the examples' .nml files; the core types are not
// model content).
func readTree(t *testing.T, path string) *node {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	root := parseTree(t, data)
	var splice func(n *node)
	splice = func(n *node) {
		var out []*node
		for _, c := range n.children {
			if c.name == "Include" && strings.HasSuffix(c.attrs["file"], ".nml") {
				out = append(out, readTree(t, filepath.Join(filepath.Dir(path), c.attrs["file"])).children...)
				continue
			}
			splice(c)
			out = append(out, c)
		}
		n.children = out
	}
	splice(root)
	return root
}

// connections lists every synaptic connection of a model as one line.
func connections(t *testing.T, root *node) []string {
	t.Helper()
	comps := map[string]*node{}
	var networks []*node
	var walk func(n *node)
	walk = func(n *node) {
		for _, c := range n.children {
			switch {
			case c.name == "network":
				networks = append(networks, c)
			case c.name == "neuroml" || c.name == "Lems" || c.name == "#root":
				walk(c)
			case c.attrs["id"] != "":
				comps[c.attrs["id"]] = c
			}
		}
	}
	walk(root)
	describe := func(id string) string {
		c := comps[id]
		if c == nil {
			return "?" + id
		}
		var attrs []string
		for k, v := range c.attrs {
			if k != "id" {
				attrs = append(attrs, k+"="+siValue(v))
			}
		}
		sort.Strings(attrs)
		return c.name + "{" + strings.Join(attrs, " ") + "}"
	}
	var out []string
	for _, net := range networks {
		for _, p := range net.children {
			kind := p.name
			conns := p.children
			switch kind {
			case "projection", "electricalProjection", "continuousProjection":
			case "synapticConnection", "synapticConnectionWD":
				// a single connection written without a projection
				kind, conns = "projection", []*node{p}
			default:
				continue
			}
			for _, c := range conns {
				syn := p.attrs["synapse"]
				if s := c.attrs["synapse"]; s != "" {
					syn = s
				}
				pre := ""
				if s := c.attrs["postComponent"]; s != "" {
					syn, pre = s, describe(c.attrs["preComponent"])
				}
				weight, delay := "1", "0"
				if w := c.attrs["weight"]; w != "" {
					weight = siValue(w)
				}
				if d := c.attrs["delay"]; d != "" {
					delay = siValue(d)
				}
				out = append(out, strings.Join([]string{kind, describe(syn), "pre=" + pre, "weight=" + weight, "delay=" + delay}, " "))
			}
		}
	}
	sort.Strings(out)
	return out
}

// siValue writes a quantity in SI ("0.2nS" and "0.0002 uS" are both
// "2e-10"), so units spelled differently compare equal; other values
// stay as written.
func siValue(v string) string {
	m := quantityRE.FindStringSubmatch(v)
	if m == nil {
		return v
	}
	f, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return v
	}
	if m[2] != "" {
		u, err := units.Parse(m[2])
		if err != nil {
			return normalizeValue(v)
		}
		f = u.ToSI(f)
	}
	return strconv.FormatFloat(f, 'g', 6, 64)
}
