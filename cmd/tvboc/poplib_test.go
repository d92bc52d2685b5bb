package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// readCSV reads a results file as a header and float columns.
func readCSV(t *testing.T, path string) (map[string]int, [][]string) {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(readFile(t, path))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	idx := map[string]int{}
	for i, h := range rows[0] {
		idx[h] = i
	}
	return idx, rows[1:]
}

// TestLibraryPopulationMatchesNodeList compiles populations of NeuroML
// library cells (iafCell pacers, iafRefCell targets with a refractory
// period) connected through expTwoSynapse and expOneSynapse edges with
// delays (testdata/networks/population_library/exp.yaml) and the same
// network written as a node list (nodes.yaml, the node-list path that is
// checked against jLEMS), both under the plain ODE reading (--semantics
// ode), which population kernels keep. Cells with one connection per synapse group
// must be byte-identical, synapse states included; conv[0], whose three
// expOneSynapse connections share one state in the population, may differ
// only by floating-point reassociation (below 1e-12 of the range) and
// must spike on the same steps. The population's spikes file must list
// every cell's spikes, and 1 and 2 threads must agree byte for byte.
func TestLibraryPopulationMatchesNodeList(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	dir := t.TempDir()
	out := func(name string) string { return filepath.Join(dir, name) }
	pop := buildPopulation(t, "../../testdata/networks/population_library/exp.yaml")
	nodes := buildPopulation(t, "../../testdata/networks/population_library/nodes.yaml", "--semantics", "ode")
	runBin(t, pop, "--threads", "1", "--record", "all", "-o", out("pop.csv"), "--spikes", out("spikes.csv"))
	runBin(t, pop, "--threads", "2", "--record", "all", "-o", out("pop2.csv"), "--spikes", out("spikes2.csv"))
	runBin(t, nodes, "--record", "all", "-o", out("nodes.csv"))
	if !bytes.Equal(readFile(t, out("pop.csv")), readFile(t, out("pop2.csv"))) ||
		!bytes.Equal(readFile(t, out("spikes.csv")), readFile(t, out("spikes2.csv"))) {
		t.Errorf("--threads 2 differs from --threads 1")
	}
	pi, prows := readCSV(t, out("pop.csv"))
	ni, nrows := readCSV(t, out("nodes.csv"))
	if len(prows) != 10001 || len(nrows) != len(prows) {
		t.Fatalf("%d and %d rows, want 10001", len(prows), len(nrows))
	}
	tests := []struct {
		pop, nodes string
		exact      bool
		cell       int // network index in the spikes file; -1: not a voltage
	}{
		{"drive[0]/v", "pacer_pop[0]/v", true, 0},
		{"drive[1]/v", "pacer_pop[1]/v", true, 1},
		{"drive2[0]/v", "pacer2_pop[0]/v", true, 2},
		{"tgt[0]/v", "target_pop[0]/v", true, 3},
		{"tgt[1]/v", "target_pop[1]/v", true, 4},
		{"conv[0]/v", "target_pop[2]/v", false, 5},
		{"tgt[0]/synapses:expTwoSynapse:0/A", "target_pop[0]/synapses:expTwoSynapse:0/A", true, -1},
		{"tgt[0]/synapses:expTwoSynapse:0/B", "target_pop[0]/synapses:expTwoSynapse:0/B", true, -1},
		{"tgt[1]/synapses:expOneSynapse:0/g", "target_pop[1]/synapses:expOneSynapse:0/g", true, -1},
	}
	// spike steps per network index, from the population's spikes file
	_, srows := readCSV(t, out("spikes.csv"))
	spikes := map[int][]string{}
	for _, r := range srows {
		i, _ := strconv.Atoi(r[1])
		spikes[i] = append(spikes[i], r[0])
	}
	for _, tc := range tests {
		a, okA := pi[tc.pop]
		b, okB := ni[tc.nodes]
		if !okA || !okB {
			t.Fatalf("missing column %s or %s", tc.pop, tc.nodes)
		}
		lo, hi, worst := math.Inf(1), math.Inf(-1), 0.0
		var resets []string // times of the rows where v dropped (the reset)
		for k := range prows {
			x, _ := strconv.ParseFloat(prows[k][a], 64)
			y, _ := strconv.ParseFloat(nrows[k][b], 64)
			if tc.exact && prows[k][a] != nrows[k][b] {
				t.Fatalf("%s row %d: %s, node list %s: want identical", tc.pop, k, prows[k][a], nrows[k][b])
			}
			lo, hi, worst = min(lo, y), max(hi, y), max(worst, math.Abs(x-y))
			if k > 0 && tc.cell >= 0 {
				prev, _ := strconv.ParseFloat(nrows[k-1][b], 64)
				if y < prev-0.005 {
					resets = append(resets, nrows[k][0])
				}
			}
		}
		if worst > 1e-12*(hi-lo) {
			t.Errorf("%s: largest difference %g, range %g", tc.pop, worst, hi-lo)
		}
		if tc.cell < 0 {
			continue
		}
		if len(resets) < 3 {
			t.Errorf("%s: %d spikes; the test network should make every cell fire", tc.pop, len(resets))
		}
		got := spikes[tc.cell]
		if len(got) != len(resets) {
			t.Errorf("%s: %d spikes in the spikes file, %d resets in the node list", tc.pop, len(got), len(resets))
			continue
		}
		for j := range got {
			g, _ := strconv.ParseFloat(got[j], 64)
			r, _ := strconv.ParseFloat(resets[j], 64)
			if math.Abs(g-r) > 1e-9 {
				t.Errorf("%s spike %d at %s s, node list at %s s", tc.pop, j, got[j], resets[j])
			}
		}
	}
}

// TestLibraryPerCellParameters compiles populations of library cells
// whose parameters are expressions of the cell (leak reversal, where v
// starts, and capacitance of iafCell pacers; threshold and, through a
// per_cell value, reset of iafRefCell targets) and the same network as a
// node list with every cell's values written as numbers
// (testdata/networks/population_percell). Every column must be byte-
// identical, with 1 and 2 threads; the cells must differ from each other
// and fire, so the per-cell values are what the comparison checks.
func TestLibraryPerCellParameters(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	dir := t.TempDir()
	out := func(name string) string { return filepath.Join(dir, name) }
	pop := buildPopulation(t, "../../testdata/networks/population_percell/exp.yaml")
	nodes := buildPopulation(t, "../../testdata/networks/population_percell/nodes.yaml", "--semantics", "ode")
	runBin(t, pop, "--threads", "1", "--record", "all", "-o", out("pop.csv"))
	runBin(t, pop, "--threads", "2", "--record", "all", "-o", out("pop2.csv"))
	runBin(t, nodes, "--record", "all", "-o", out("nodes.csv"))
	if !bytes.Equal(readFile(t, out("pop.csv")), readFile(t, out("pop2.csv"))) {
		t.Errorf("--threads 2 differs from --threads 1")
	}
	pi, prows := readCSV(t, out("pop.csv"))
	ni, nrows := readCSV(t, out("nodes.csv"))
	if len(prows) != 10001 || len(nrows) != len(prows) {
		t.Fatalf("%d and %d rows, want 10001", len(prows), len(nrows))
	}
	var pairs [][2]string
	for i := range 3 {
		pairs = append(pairs,
			[2]string{fmt.Sprintf("drive[%d]/v", i), fmt.Sprintf("pacer%d_pop[0]/v", i)},
			[2]string{fmt.Sprintf("tgt[%d]/v", i), fmt.Sprintf("target%d_pop[0]/v", i)},
			[2]string{fmt.Sprintf("tgt[%d]/synapses:expOneSynapse:0/g", i), fmt.Sprintf("target%d_pop[0]/synapses:expOneSynapse:0/g", i)})
	}
	for _, pr := range pairs {
		a, okA := pi[pr[0]]
		b, okB := ni[pr[1]]
		if !okA || !okB {
			t.Fatalf("missing column %s or %s", pr[0], pr[1])
		}
		resets := 0
		for k := range prows {
			if prows[k][a] != nrows[k][b] {
				t.Fatalf("%s row %d: %s, node list %s: want identical", pr[0], k, prows[k][a], nrows[k][b])
			}
			if k > 0 {
				x, _ := strconv.ParseFloat(prows[k][a], 64)
				prev, _ := strconv.ParseFloat(prows[k-1][a], 64)
				if x < prev-0.005 {
					resets++
				}
			}
		}
		if strings.HasSuffix(pr[0], "/v") && resets < 2 {
			t.Errorf("%s: %d spikes; the test network should make every cell fire", pr[0], resets)
		}
	}
	// the cells of a population differ (v0 and the first spike differ)
	for _, col := range []string{"drive[%d]/v", "tgt[%d]/v"} {
		a, b := pi[fmt.Sprintf(col, 0)], pi[fmt.Sprintf(col, 1)]
		same := 0
		for k := range prows {
			if prows[k][a] == prows[k][b] {
				same++
			}
		}
		if same > len(prows)/2 {
			t.Errorf("%s: cells 0 and 1 agree on %d of %d rows; the per-cell values should set them apart", col, same, len(prows))
		}
	}
}
