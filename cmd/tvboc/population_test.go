package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	rt "github.com/tvboc/tvboc/runtime"
)

// buildPopulation compiles a population experiment once and returns the
// binary.
func buildPopulation(t *testing.T, exp string, flags ...string) string {
	t.Helper()
	dir, err := buildCache()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "sim")
	var stdout, stderr bytes.Buffer
	if code := run(append(append([]string{"compile", "-q", "--cache-dir", dir}, flags...), exp, "-o", bin), &stdout, &stderr); code != 0 {
		t.Fatalf("compiling %s: exit %d\n%s", exp, code, stderr.String())
	}
	return bin
}

func runBin(t *testing.T, bin string, args ...string) {
	t.Helper()
	runBinEnv(t, nil, bin, args...)
}

// runBinEnv runs bin with env added to the environment.
func runBinEnv(t *testing.T, env []string, bin string, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, append(args, "--quiet")...)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", filepath.Base(bin), args, err, out)
	}
}

// scalarOnly turns the generated kernels' vector loops off (runtime.VecOn):
// their results must not change by a bit.
var scalarOnly = []string{"TVBOC_SIMD=off"}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestPopulationThreads runs a population network with every connectivity
// rule, delays, drawn parameters and held noise on 1, 2, 3 and 7 workers:
// traces and spikes must be byte-identical, and another seed must change
// them. --record none writes the spikes to -o.
func TestPopulationThreads(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := buildPopulation(t, "../../testdata/networks/population_small/exp.yaml")
	dir := t.TempDir()
	out := func(name string) string { return filepath.Join(dir, name) }
	runBin(t, bin, "--threads", "1", "-o", out("t1.csv"), "--spikes", out("s1.csv"))
	trace, spikes := readFile(t, out("t1.csv")), readFile(t, out("s1.csv"))
	if n := bytes.Count(spikes, []byte("\n")) - 1; n < 50 {
		t.Fatalf("%d spikes: the test network should fire plenty", n)
	}
	if !bytes.HasPrefix(trace, []byte("t,drive[0]/v,")) || !bytes.Contains(trace, []byte(",cells[19]/v\n")) {
		t.Errorf("trace header: %.80s...", trace)
	}
	for _, threads := range []string{"2", "3", "7"} {
		runBin(t, bin, "--threads", threads, "-o", out("t.csv"), "--spikes", out("s.csv"))
		if !bytes.Equal(readFile(t, out("t.csv")), trace) {
			t.Errorf("--threads %s: traces differ from --threads 1", threads)
		}
		if !bytes.Equal(readFile(t, out("s.csv")), spikes) {
			t.Errorf("--threads %s: spikes differ from --threads 1", threads)
		}
	}
	runBinEnv(t, scalarOnly, bin, "--threads", "3", "-o", out("t.csv"), "--spikes", out("s.csv"))
	if !bytes.Equal(readFile(t, out("t.csv")), trace) || !bytes.Equal(readFile(t, out("s.csv")), spikes) {
		t.Errorf("TVBOC_SIMD=off: results differ from the vector kernels'")
	}
	runBin(t, bin, "--record", "none", "-o", out("only.csv"))
	if !bytes.Equal(readFile(t, out("only.csv")), spikes) {
		t.Errorf("--record none: -o should hold the spikes")
	}
	runBin(t, bin, "--seed", "8", "--record", "none", "-o", out("seed8.csv"))
	if bytes.Equal(readFile(t, out("seed8.csv")), spikes) {
		t.Errorf("--seed 8 gives the same spikes as seed 7")
	}
}

// TestPopulationNoiseThreads runs the other noise paths on 1, 2, 3 and 7
// workers: testdata/networks/population_odd (batched normal deviates
// whose pairs straddle populations, worker blocks and redraws),
// population_serialnoise (uniform noise, redrawn serially on worker 0) and
// population_bignoise (5001 cells: the workers draw the deviates together,
// runtime.NormalsAhead, with a spare carried across redraws). Traces
// and spikes must be byte-identical for every thread count.
func TestPopulationNoiseThreads(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	for _, name := range []string{"population_odd", "population_serialnoise", "population_bignoise"} {
		t.Run(name, func(t *testing.T) {
			bin := buildPopulation(t, "../../testdata/networks/"+name+"/exp.yaml")
			dir := t.TempDir()
			out := func(name string) string { return filepath.Join(dir, name) }
			runBin(t, bin, "--threads", "1", "-o", out("t1.csv"), "--spikes", out("s1.csv"))
			trace, spikes := readFile(t, out("t1.csv")), readFile(t, out("s1.csv"))
			if n := bytes.Count(spikes, []byte("\n")) - 1; n < 50 {
				t.Fatalf("%d spikes: the test network should fire plenty", n)
			}
			for _, threads := range []string{"2", "3", "7"} {
				runBin(t, bin, "--threads", threads, "-o", out("t.csv"), "--spikes", out("s.csv"))
				if !bytes.Equal(readFile(t, out("t.csv")), trace) {
					t.Errorf("--threads %s: traces differ from --threads 1", threads)
				}
				if !bytes.Equal(readFile(t, out("s.csv")), spikes) {
					t.Errorf("--threads %s: spikes differ from --threads 1", threads)
				}
			}
			runBinEnv(t, scalarOnly, bin, "--threads", "2", "-o", out("t.csv"), "--spikes", out("s.csv"))
			if !bytes.Equal(readFile(t, out("t.csv")), trace) || !bytes.Equal(readFile(t, out("s.csv")), spikes) {
				t.Errorf("TVBOC_SIMD=off: results differ from the vector kernels'")
			}
		})
	}
}

// TestPopulationDelay checks when a delayed spike arrives
// (testdata/networks/population_delay): the pacer spikes at the end of
// step 10 (t = 1 ms); with a 2 ms delay every listener's v jumps by the
// weight in row 30 (t = 3 ms), not a step earlier or later.
func TestPopulationDelay(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := buildPopulation(t, "../../testdata/networks/population_delay/exp.yaml")
	dir := t.TempDir()
	runBin(t, bin, "-o", filepath.Join(dir, "trace.csv"), "--spikes", filepath.Join(dir, "spikes.csv"))
	if got := string(readFile(t, filepath.Join(dir, "spikes.csv"))); got != "t,index\n0.0010,0\n" {
		t.Errorf("spikes:\n%s\nwant the pacer (index 0) once at 0.0010", got)
	}
	rows := strings.Split(strings.TrimSpace(string(readFile(t, filepath.Join(dir, "trace.csv")))), "\n")
	if len(rows) != 52 {
		t.Fatalf("%d lines, want a header and 51 rows", len(rows))
	}
	for k, line := range rows[1:] {
		want := "0,0,0"
		if k >= 30 {
			want = "0.25,0.25,0.25"
		}
		if cols := strings.SplitN(line, ",", 3); cols[2] != want {
			t.Errorf("row %d: listeners %s, want %s", k, cols[2], want)
		}
	}
}

// TestSpnetMatchesBaseline runs benchmark workload W2 as tvboc YAML and
// the hand-written Go baseline (bench/baseline/spnet) with the same seed:
// the spike files must be identical byte for byte (same spikes, same
// order, same time stamps), on 1, 2, 3 and 7 workers.
func TestSpnetMatchesBaseline(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	dir := t.TempDir()
	base := filepath.Join(dir, "spnet-go")
	cmd := exec.Command("go", "build", "-o", base, "./bench/baseline/spnet")
	cmd.Dir = "../.."
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the baseline: %v\n%s", err, msg)
	}
	for _, n := range []string{"1000", "10000"} {
		t.Run(n, func(t *testing.T) {
			bin := buildPopulation(t, "../../testdata/bench/spnet_"+n+".yaml")
			want, got := filepath.Join(dir, "go"+n+".csv"), filepath.Join(dir, "tvboc"+n+".csv")
			if out, err := exec.Command(base, "-n", n, "-seed", "1", "-o", want).CombinedOutput(); err != nil {
				t.Fatalf("baseline: %v\n%s", err, out)
			}
			w := readFile(t, want)
			var g []byte
			for _, threads := range []string{"1", "2", "3", "7"} {
				runBin(t, bin, "-o", got, "--threads", threads)
				if g = readFile(t, got); !bytes.Equal(w, g) {
					t.Fatalf("--threads %s: spike files differ: baseline %d bytes, tvboc %d bytes", threads, len(w), len(g))
				}
			}
			if n := bytes.Count(g, []byte("\n")) - 1; n < 1000 {
				t.Errorf("only %d spikes", n)
			}
		})
	}
}

// TestPopulationNonFiniteValues: a per-cell expression or a weight with no
// finite value for some cell stops the binary before the run, naming the
// population or edge, the quantity, the cell and the expression, with
// exit code 1 and no output file.
func TestPopulationNonFiniteValues(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	const base = `label: nonfinite
network:
  dynamics:
    lif:
      parameters: {tau: 10, I0: 1.2}
      state_variables:
        v: {equation: {rhs: "(I0 - v)/tau"}, initial_value: 0}
      events:
        spike: {condition: "v >= 1", affect: "v = 0"}
  nodes:
    - id: a
      dynamics: lif
      size: 20
      parameters: {I0: {rhs: "%s"}}
  edges:
    - {source: a, target: a, connectivity: all_to_all, weight: {rhs: "%s"}}
integration: {method: euler, step_size: 0.1, duration: 5, time_scale: ms}
`
	tests := []struct{ i0, weight, want string }{
		{"sqrt(i - 3)", "0.1", `population a: I0 is NaN for cell 0 (sqrt(i - 3) has no finite value there)`},
		{"1 + i", "sqrt(random() - 0.9)", `edge 0 (a -> a): weight is NaN for synapse `},
	}
	dir := t.TempDir()
	for n, tc := range tests {
		exp := filepath.Join(dir, fmt.Sprintf("exp%d.yaml", n))
		if err := os.WriteFile(exp, []byte(fmt.Sprintf(base, tc.i0, tc.weight)), 0o644); err != nil {
			t.Fatal(err)
		}
		bin := buildPopulation(t, exp)
		out := filepath.Join(dir, fmt.Sprintf("out%d.csv", n))
		msg, err := exec.Command(bin, "-o", out).CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(msg), tc.want) {
			t.Errorf("%s / %s: %v, output %q; want exit 1 and %q", tc.i0, tc.weight, err, msg, tc.want)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("a stopped run left %s", out)
		}
	}
}

// TestPopulationParallelBuild: the synapses of population_bignoise (4000
// and 1001 sources) are drawn in up to four parts at once from jumped
// streams (runtime.DrawSources); with GOMAXPROCS=1 they are drawn in one
// serial pass. The network (--network) and the spikes must be identical.
func TestPopulationParallelBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := buildPopulation(t, "../../testdata/networks/population_bignoise/exp.yaml")
	dir := t.TempDir()
	out := func(name string) string { return filepath.Join(dir, name) }
	for _, procs := range []string{"1", "4"} {
		env := []string{"GOMAXPROCS=" + procs}
		runBinEnv(t, env, bin, "--network", out("net"+procs+".json"))
		runBinEnv(t, env, bin, "--threads", "2", "--record", "none", "-o", out("s"+procs+".csv"))
	}
	if !bytes.Equal(readFile(t, out("net1.json")), readFile(t, out("net4.json"))) {
		t.Errorf("the network drawn in four parts differs from the serial draw")
	}
	if !bytes.Equal(readFile(t, out("s1.csv")), readFile(t, out("s4.csv"))) {
		t.Errorf("spikes of the network drawn in four parts differ from the serial draw's")
	}
}

// TestPopulationFloat32Weights: --weights float32 draws the same network
// (per-cell values, rows and targets) with every sparse weight the
// float64 one rounded to float32 and dense weights unchanged, and the
// binary runs.
func TestPopulationFloat32Weights(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	exp := "../../testdata/networks/population_small/exp.yaml"
	bin64 := buildPopulation(t, exp)
	dir, err := buildCache()
	if err != nil {
		t.Fatal(err)
	}
	bin32 := filepath.Join(t.TempDir(), "sim32")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"compile", "-q", "--cache-dir", dir, "--weights", "float32", exp, "-o", bin32}, &stdout, &stderr); code != 0 {
		t.Fatalf("compiling with --weights float32: exit %d\n%s", code, stderr.String())
	}
	out := t.TempDir()
	var nets [2]rt.NetworkDump
	for i, bin := range []string{bin64, bin32} {
		path := filepath.Join(out, fmt.Sprintf("net%d.json", i))
		runBin(t, bin, "--network", path)
		if err := json.Unmarshal(readFile(t, path), &nets[i]); err != nil {
			t.Fatal(err)
		}
	}
	n64, n32 := nets[0], nets[1]
	if !reflect.DeepEqual(n64.Populations, n32.Populations) || len(n64.Edges) != len(n32.Edges) {
		t.Fatalf("float32 weights changed the cells or the edges")
	}
	rounded := 0
	for i, e := range n64.Edges {
		f := n32.Edges[i]
		if !slices.Equal(e.Row, f.Row) || !slices.Equal(e.Col, f.Col) || len(e.W) != len(f.W) {
			t.Fatalf("edge %d: float32 weights changed the synapses", e.Edge)
		}
		for q, w := range e.W {
			want := float64(float32(w))
			if e.Dense {
				want = w
			}
			if f.W[q] != want {
				t.Fatalf("edge %d synapse %d: weight %v, want %v (float64 %v)", e.Edge, q, f.W[q], want, w)
			}
			if want != w {
				rounded++
			}
		}
	}
	if rounded == 0 {
		t.Errorf("no weight was rounded: the float32 binary holds float64 weights")
	}
	runBin(t, bin32, "--record", "none", "-o", filepath.Join(out, "s.csv"))
}
