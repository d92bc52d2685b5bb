package brain_test

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compare"
	"github.com/tvboc/tvboc/compiler/brain"
)

// monitorsDir holds TVB goldens of stimuli and monitors on the 4-region
// test connectome, with the script that made them (make_goldens.py).
const monitorsDir = "../../testdata/tvb/monitors"

// compareTVB checks every golden column against tvboc's: the same rows at
// the same times (ms in the golden, s in tvboc's output) and every value
// within tol of the column's range. It returns the worst error.
func compareTVB(t *testing.T, golden, out string, tol float64) float64 {
	t.Helper()
	ref, err := compare.Load(golden, compare.LoadOptions{TimeScale: 1e-3})
	if err != nil {
		t.Fatal(err)
	}
	sim, err := compare.Load(out, compare.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sim.T) != len(ref.T) {
		t.Fatalf("%d rows, TVB has %d", len(sim.T), len(ref.T))
	}
	for k := range ref.T {
		if math.Abs(sim.T[k]-ref.T[k]) > 1e-9*math.Max(1, math.Abs(ref.T[k])) {
			t.Fatalf("row %d at t = %g s, TVB's at %g s", k, sim.T[k], ref.T[k])
		}
	}
	names := goldenMap(sim)
	col := map[string][]float64{}
	for i, n := range sim.Names {
		col[n] = sim.Cols[i]
	}
	worst := 0.0
	for i, n := range ref.Names {
		got, ok := col[names[n]]
		if !ok {
			t.Fatalf("tvboc's output has no column for TVB's %s (columns %v)", n, sim.Names)
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range ref.Cols[i] {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		for k, v := range ref.Cols[i] {
			e := math.Abs(got[k]-v) / (hi - lo)
			if !(e <= tol) {
				t.Fatalf("%s at row %d: tvboc %v, TVB %v (%.3g of the range %g)", n, k, got[k], v, e, hi-lo)
			}
			worst = math.Max(worst, e)
		}
	}
	return worst
}

// TestTVBStimuliAndMonitors runs the experiments of testdata/tvb/monitors
// and compares them with TVB 2.11 (float64 history): region stimuli with
// three temporal equations and three integrators, and the SubSample,
// TemporalAverage and Bold monitors (Bold also as TVBO's pipeline, and
// with each of TVB's other HRF kernels). The bar is 1e-9 of each trace's
// range, every value.
func TestTVBStimuliAndMonitors(t *testing.T) {
	for _, name := range []string{"stim_pulse_heun", "stim_sine_euler", "stim_gauss_rk4", "subsample", "tavg", "bold", "bold_pipeline",
		"bold_gamma", "bold_dexp", "bold_mog"} {
		t.Run(name, func(t *testing.T) {
			src := compileBrain(t, filepath.Join(monitorsDir, name+".yaml"), brain.Options{})
			out := runBinary(t, src, "--record", "all")
			golden := strings.TrimSuffix(name, "_pipeline") // bold_pipeline is bold as TVBO's BOLD_TVB pipeline
			worst := compareTVB(t, filepath.Join(monitorsDir, golden+".csv.gz"), out, 1e-9)
			t.Logf("%s: largest difference from TVB %.3g of the range", name, worst)
		})
	}
}

// TestFCMatchesNumPy writes the functional connectivity of the Bold run
// (--fc) and compares it with numpy.corrcoef of TVB's Bold golden
// (bold_fc.csv.gz), as CSV and as .npy.
func TestFCMatchesNumPy(t *testing.T) {
	src := compileBrain(t, filepath.Join(monitorsDir, "bold.yaml"), brain.Options{})
	dir := t.TempDir()
	csvFC, npyFC := filepath.Join(dir, "fc.csv"), filepath.Join(dir, "fc.npy")
	runBinary(t, src, "--fc", csvFC)
	runBinary(t, src, "--fc", npyFC)
	want := readGzipCSV(t, filepath.Join(monitorsDir, "bold_fc.csv.gz"), false)
	got := readGzipCSV(t, csvFC, true)
	names := []string{"Generic2dOscillator_pop[0]/V", "Generic2dOscillator_pop[1]/V", "Generic2dOscillator_pop[2]/V", "Generic2dOscillator_pop[3]/V",
		"Generic2dOscillator_pop[0]/W", "Generic2dOscillator_pop[1]/W", "Generic2dOscillator_pop[2]/W", "Generic2dOscillator_pop[3]/W"}
	if len(got.header) != len(names) {
		t.Fatalf("FC header %v, want %v", got.header, names)
	}
	for i, n := range names {
		if got.header[i] != n {
			t.Fatalf("FC column %d is %q, want %q", i, got.header[i], n)
		}
	}
	npy := readNPY(t, npyFC)
	worst := 0.0
	for i := range want.rows {
		for j, w := range want.rows[i] {
			for _, g := range []float64{got.rows[i][j], npy[i*len(names)+j]} {
				e := math.Abs(g - w)
				if !(e <= 1e-9) {
					t.Fatalf("FC[%d][%d] = %v, numpy.corrcoef %v", i, j, g, w)
				}
				worst = math.Max(worst, e)
			}
		}
	}
	t.Logf("largest difference from numpy.corrcoef: %.3g", worst)
}

type csvTable struct {
	header []string
	rows   [][]float64
}

// readGzipCSV reads a CSV of numbers (gzip by extension), with or without
// a header line.
func readGzipCSV(t *testing.T, path string, header bool) csvTable {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		if r, err = gzip.NewReader(f); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := csv.NewReader(r).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out csvTable
	if header {
		out.header, recs = recs[0], recs[1:]
	}
	for _, rec := range recs {
		row := make([]float64, len(rec))
		for i, s := range rec {
			if row[i], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatal(err)
			}
		}
		out.rows = append(out.rows, row)
	}
	return out
}

// readNPY reads a little-endian float64 .npy file's values.
func readNPY(t *testing.T, path string) []float64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 10 || string(b[1:6]) != "NUMPY" {
		t.Fatalf("%s is not a .npy file", path)
	}
	hl := int(binary.LittleEndian.Uint16(b[8:10]))
	if !strings.Contains(string(b[10:10+hl]), "'<f8'") {
		t.Fatalf("%s header %q", path, b[10:10+hl])
	}
	data := b[10+hl:]
	out := make([]float64, len(data)/8)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
	}
	return out
}

// TestMonitorsAnyThreads: the Bold, TemporalAverage and stimulated runs
// write the same bytes for any --threads, and --every N writes every Nth
// row of the monitor with TVB's time stamps.
func TestMonitorsAnyThreads(t *testing.T) {
	for _, name := range []string{"bold", "tavg", "stim_pulse_heun"} {
		t.Run(name, func(t *testing.T) {
			src := compileBrain(t, filepath.Join(monitorsDir, name+".yaml"), brain.Options{})
			one, err := os.ReadFile(runBinary(t, src, "--threads", "1", "--record", "all"))
			if err != nil {
				t.Fatal(err)
			}
			three, err := os.ReadFile(runBinary(t, src, "--threads", "3", "--record", "all"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(one, three) {
				t.Errorf("--threads 3 writes other bytes than --threads 1")
			}
		})
	}
	src := compileBrain(t, filepath.Join(monitorsDir, "tavg.yaml"), brain.Options{})
	every := readGzipCSV(t, runBinary(t, src, "--every", "5"), true)
	if len(every.rows) != 20 || every.rows[0][0] != 0.0025 || math.Abs(every.rows[1][0]-0.0075) > 1e-15 {
		t.Errorf("--every 5 of 1 ms averages: %d rows from t = %v, %v s; want 20 from 0.0025, 0.0075 (5 ms averages at their middles)", len(every.rows), every.rows[0][0], every.rows[1][0])
	}
}

// TestStimulusWindow pins a stimulus written with comparisons used as
// numbers (TVBO's "(t >= t0) * ..." form) and a Piecewise: step k uses
// t = k dt, so with "t > 5" on 0.1 ms steps the first stimulated step is
// k = 51, and the stimulated node first differs from an unstimulated run
// in row 52; no row before it differs.
func TestStimulusWindow(t *testing.T) {
	tiny, err := filepath.Abs("../../testdata/tvb/tiny")
	if err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf(`dynamics: {iri: tvbo:Generic2dOscillator}
network:
  weights: %s/tiny_weights.csv
  lengths: %s/tiny_lengths.csv
  coupling:
    c_glob: {iri: tvbo:Linear, parameters: {a: {value: 0.1}}, incoming_states: [V]}
integration: {method: heun, step_size: 0.1, duration: 30}
`, tiny, tiny)
	dir := t.TempDir()
	run := func(name, extra string) [][]float64 {
		path := filepath.Join(dir, name+".yaml")
		if err := os.WriteFile(path, []byte(base+extra), 0o644); err != nil {
			t.Fatal(err)
		}
		return readGzipCSV(t, runBinary(t, compileBrain(t, path, brain.Options{})), true).rows
	}
	plain := run("plain", "")
	stim := run("stim", `stimulation:
  equation: {rhs: "Piecewise((amp, t < 20), (0, True)) * (t > 5)"}
  parameters: {amp: {value: 2.0}}
  regions: [1]
`)
	first := -1
	for k := range plain {
		for c := 1; c < len(plain[k]); c++ {
			if plain[k][c] != stim[k][c] && first < 0 {
				first = k
				if c != 2 {
					t.Errorf("row %d: column %d differs first, want node 1's V (column 2)", k, c)
				}
			}
		}
	}
	if first != 52 {
		t.Errorf("the stimulus shows first in row %d, want 52 (step 51, t = 5.1 ms)", first)
	}
}

// TestMonitorsWithFreeParameters: a binary with a free parameter (the
// runs of a sweep keep their whole recording) writes TVB's monitor rows
// too; at the compiled value they are TVB's.
func TestMonitorsWithFreeParameters(t *testing.T) {
	for _, name := range []string{"tavg", "bold"} {
		t.Run(name, func(t *testing.T) {
			src := compileBrain(t, filepath.Join(monitorsDir, name+".yaml"), brain.Options{Free: []string{"c_glob.a"}})
			out := runBinary(t, src, "--record", "all")
			worst := compareTVB(t, filepath.Join(monitorsDir, name+".csv.gz"), out, 1e-9)
			t.Logf("%s with a free coupling: largest difference from TVB %.3g of the range", name, worst)
			if name != "bold" {
				return
			}
			// --fc, streamed to a file and kept whole for standard output
			want := readGzipCSV(t, filepath.Join(monitorsDir, "bold_fc.csv.gz"), false)
			dir := t.TempDir()
			sim := filepath.Join(filepath.Dir(out), "sim")
			for _, to := range []string{filepath.Join(dir, "bold.csv"), "-"} {
				fc := filepath.Join(dir, "fc.csv")
				cmd := exec.Command(sim, "-o", to, "--quiet", "--fc", fc)
				if msg, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("-o %s --fc: %v\n%.300s", to, err, msg)
				}
				got := readGzipCSV(t, fc, true)
				for i := range want.rows {
					for j, w := range want.rows[i] {
						if e := math.Abs(got.rows[i][j] - w); !(e <= 1e-9) {
							t.Fatalf("-o %s: FC[%d][%d] = %v, numpy.corrcoef %v", to, i, j, got.rows[i][j], w)
						}
					}
				}
				os.Remove(fc)
			}
			// a sweep writes one matrix per set: the compiled value's is
			// the single run's, byte for byte
			single := filepath.Join(dir, "single.csv")
			if msg, err := exec.Command(sim, "-o", filepath.Join(dir, "one.csv"), "--quiet", "--fc", single).CombinedOutput(); err != nil {
				t.Fatalf("--fc: %v\n%.300s", err, msg)
			}
			sets := filepath.Join(dir, "sets.csv")
			if err := os.WriteFile(sets, []byte("c_glob.a\n0.05\n0.1\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(sim, "--sweep", sets, "-o", filepath.Join(dir, "out{index}.csv"), "--fc", filepath.Join(dir, "fc{index}.csv"), "--quiet")
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("--sweep --fc: %v\n%.300s", err, msg)
			}
			one, _ := os.ReadFile(single)
			fc0, _ := os.ReadFile(filepath.Join(dir, "fc0.csv"))
			fc1, err := os.ReadFile(filepath.Join(dir, "fc1.csv"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(fc1, one) || bytes.Equal(fc0, one) {
				t.Errorf("a sweep's set at a = 0.1 wrote another FC than the single run (or the set at 0.05 the same)")
			}
		})
	}
}

// TestMonitorSelectsDerived: a monitor selecting a derived variable
// (TVBO's select_variable: {name: v_pyr}, an output transform) records
// it as the expression of the state: here s = V - W, against V and W of
// the same run.
func TestMonitorSelectsDerived(t *testing.T) {
	tiny, err := filepath.Abs("../../testdata/tvb/tiny")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "exp.yaml")
	if err := os.WriteFile(path, []byte(fmt.Sprintf(`dynamics:
  iri: tvbo:Generic2dOscillator
  output_transforms:
    - name: s
      equation: {rhs: V - W}
network:
  weights: %s/tiny_weights.csv
  lengths: %s/tiny_lengths.csv
  coupling:
    c_glob: {iri: tvbo:Linear, parameters: {a: {value: 0.1}}, incoming_states: [V]}
integration: {method: heun, step_size: 0.1, duration: 20}
monitors:
  - name: SubSample
    period: 1.0
    select_variable: {name: s}
`, tiny, tiny)), 0o644); err != nil {
		t.Fatal(err)
	}
	got := readGzipCSV(t, runBinary(t, compileBrain(t, path, brain.Options{}), "--record", "all"), true)
	col := map[string]int{}
	for i, n := range got.header {
		col[n] = i
	}
	for node := range 4 {
		s, okS := col[fmt.Sprintf("Generic2dOscillator_pop[%d]/s", node)]
		v, okV := col[fmt.Sprintf("Generic2dOscillator_pop[%d]/V", node)]
		w, okW := col[fmt.Sprintf("Generic2dOscillator_pop[%d]/W", node)]
		if !okS || !okV || !okW {
			t.Fatalf("columns %v", got.header)
		}
		for k, row := range got.rows {
			if row[s] != row[v]-row[w] {
				t.Fatalf("node %d row %d: s = %v, V - W = %v", node, k, row[s], row[v]-row[w])
			}
		}
	}
	if len(got.rows) != 20 {
		t.Errorf("%d rows, want 20 (1 ms samples of 20 ms, none at 0)", len(got.rows))
	}
}
