package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler"
	"github.com/tvboc/tvboc/compiler/lower"
	"github.com/tvboc/tvboc/compiler/resolve"
	"github.com/tvboc/tvboc/gen"
	"github.com/tvboc/tvboc/gen/build"
	"github.com/tvboc/tvboc/render/lems"
	"github.com/tvboc/tvboc/runtime"
)

// TestRenderPopulationIsTheNetwork renders populations of NeuroML cells
// (testdata/networks/population_render: per-cell values drawn and by
// rank, random and all_to_all edges, drawn weights, delays, three synapse
// types) from the network the binary draws (--network), and compiles the
// node list that rendering is made from with the node-list path, which is
// the one checked against jLEMS. The node list must simulate what the
// populations simulate: every cell's v within 1e-9 of its range (synapse
// states shared in the population add up in another order, and a weight
// comes back from its stored amount), with the same resets on the same
// steps. The LEMS file must hold one connection per drawn synapse and name
// its columns as the binary does.
func TestRenderPopulationIsTheNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	const exp = "../../testdata/networks/population_render/exp.yaml"
	dir := t.TempDir()
	out := func(name string) string { return filepath.Join(dir, name) }
	pop := buildPopulation(t, exp)
	runBin(t, pop, "--record", "all", "-o", out("pop.csv"))
	runBin(t, pop, "--network", out("net.json"))

	var d runtime.NetworkDump
	if err := json.Unmarshal(readFile(t, out("net.json")), &d); err != nil {
		t.Fatal(err)
	}
	r, err := compiler.Check(exp)
	if err != nil {
		t.Fatal(err)
	}
	nl, names, err := lems.ExpandPopulation(r.PopAST, r.Pop, d)
	if err != nil {
		t.Fatal(err)
	}
	// population kernels keep the plain ODE reading (popnet)
	m, err := resolve.ResolveWith(nl, resolve.Options{ODE: true})
	if err != nil {
		t.Fatal(err)
	}
	prog, err := lower.Lower(m)
	if err != nil {
		t.Fatal(err)
	}
	src, err := gen.Generate(prog)
	if err != nil {
		t.Fatal(err)
	}
	cache, err := buildCache()
	if err != nil {
		t.Fatal(err)
	}
	res, err := build.Cached(src, build.Options{CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	runBin(t, res.Path, "--record", "all", "-o", out("nodes.csv"))

	pi, prows := readCSV(t, out("pop.csv"))
	ni, nrows := readCSV(t, out("nodes.csv"))
	if len(prows) != len(nrows) || len(prows) != 10001 {
		t.Fatalf("%d and %d rows, want 10001", len(prows), len(nrows))
	}
	compared, spiking := 0, 0
	for col, b := range ni {
		cell, variable, ok := strings.Cut(col, "/")
		if !ok || variable != "v" {
			continue
		}
		name := names[cell] + "/v"
		a, found := pi[name]
		if !found {
			t.Fatalf("node-list column %s: no population column %s", col, name)
		}
		compared++
		lo, hi, worst := math.Inf(1), math.Inf(-1), 0.0
		var popResets, nodeResets []int
		for k := range prows {
			x, _ := strconv.ParseFloat(prows[k][a], 64)
			y, _ := strconv.ParseFloat(nrows[k][b], 64)
			lo, hi, worst = min(lo, x), max(hi, x), max(worst, math.Abs(x-y))
			if k > 0 {
				px, _ := strconv.ParseFloat(prows[k-1][a], 64)
				py, _ := strconv.ParseFloat(nrows[k-1][b], 64)
				if x < px-0.005 {
					popResets = append(popResets, k)
				}
				if y < py-0.005 {
					nodeResets = append(nodeResets, k)
				}
			}
		}
		if worst > 1e-9*(hi-lo) {
			t.Errorf("%s: the node list differs by %g (range %g)", name, worst, hi-lo)
		}
		if !slices.Equal(popResets, nodeResets) {
			t.Errorf("%s: resets at rows %v, the node list's at %v", name, popResets, nodeResets)
		}
		if len(popResets) > 0 {
			spiking++
		}
	}
	if compared != 11 || spiking != 11 {
		t.Errorf("compared %d cells (%d spiking), want all 11 and every one firing", compared, spiking)
	}

	// the rendering
	doc, err := lems.RenderPopulation(r.PopAST, r.Pop, d)
	if err != nil {
		t.Fatal(err)
	}
	synapses := 0
	for _, e := range d.Edges {
		synapses += len(e.W)
	}
	if n := bytes.Count(doc.XML, []byte("<connectionWD ")); n != synapses || synapses < 40 {
		t.Errorf("%d connections in the LEMS file, %d synapses drawn", n, synapses)
	}
	if err := xml.Unmarshal(doc.XML, new(struct{})); err != nil {
		t.Errorf("the LEMS file is not XML: %v", err)
	}
	for _, f := range doc.Outputs {
		for _, c := range f.Columns {
			if _, ok := pi[c.Name]; !ok {
				t.Errorf("LEMS column %s is named %s, which the binary does not write", c.Quantity, c.Name)
			}
		}
	}
}

// TestRenderPopulationRefusesEquations: populations written as equations
// add spikes straight to a variable, which no NeuroML synapse does; render
// lems says so without building anything, and writes no file.
func TestRenderPopulationRefusesEquations(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.xml")
	var stdout, stderr bytes.Buffer
	code := run([]string{"render", "lems", "../../testdata/networks/population_small/exp.yaml", "-o", out}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "delta synapse") || !strings.Contains(stderr.String(), "written as equations") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused rendering left %s", out)
	}
}
