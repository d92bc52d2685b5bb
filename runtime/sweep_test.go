package runtime

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio"
	"github.com/google/go-cmp/cmp"
)

// leakyParams are the free parameters of leakySimulate: a time constant
// written in ms, an initial potential in mV and a dimensionless gain.
var leakyParams = []Param{
	{Name: "cell.tau", Unit: "ms", Default: 20, Scale: 1e-3, SIUnit: "s", SIScale: 1e-3, Positive: true},
	{Name: "cell.v0", Unit: "mV", Default: -70, Scale: 1e-3, SIUnit: "V", SIScale: 1e-3},
	{Name: "cell.gain", Default: 1, Scale: 1},
}

var leakyInfo = Info{Label: "a leaky cell", Steps: 200, Dt: 1e-4, Columns: []Column{
	{Name: "cell_pop[0]/v", Unit: "V", Group: GroupDefault},
	{Name: "cell_pop[0]/w", Unit: "", Group: GroupAll},
}}

// leakySimulate is a kernel in the shape the generator writes for free
// parameters: everything local, parameters read from p. A large gain makes
// it blow up, as an unstable parameter set does.
func leakySimulate(rec *Recorder, prog *Progress, p []float64) {
	tau, v, gain := p[0], p[1], p[2]
	w := 0.0
	row := rec.Row(0)
	row[0], row[1] = v, w
	for k := range rec.Rows() - 1 {
		v, w = v+1e-4*gain*(-v/tau)*math.Exp(w), w+1e-4*gain*v*v
		row := rec.Row(k + 1)
		row[0], row[1] = v, w
	}
	prog.Update(rec.Rows() - 1)
}

func TestParseParamValue(t *testing.T) {
	tau, v0, gain := leakyParams[0], leakyParams[1], leakyParams[2]
	tests := []struct {
		p       Param
		text    string
		want    float64
		wantErr string
	}{
		{tau, "20", 20, ""},
		{tau, " 2.5e1 ", 25, ""},
		{tau, "30ms", 30, ""},
		{tau, "30 ms", 30, ""},
		{tau, "0.03s", 30, ""},
		{tau, "30000us", 30, ""},
		{tau, "30000µs", 30, ""},
		{tau, "1e-2s", 10, ""},
		{v0, "-65", -65, ""},
		{v0, "-0.065V", -65, ""},
		{v0, "-65mV", -65, ""},
		{gain, "2", 2, ""},
		{tau, "0", 0, "cell.tau = 0 ms: want a value greater than 0"},
		{tau, "-5", 0, "cell.tau = -5 ms: want a value greater than 0"},
		{tau, "NaN", 0, "cell.tau = NaN: want a finite number"},
		{v0, "Inf", 0, "cell.v0 = +Inf: want a finite number"},
		{v0, "", 0, "cell.v0: no value given"},
		{v0, "abc", 0, `cell.v0: "abc" is not a number`},
		{v0, "1e309", 0, `cell.v0: 1e309 is beyond the range of numbers`},
		{v0, "0x10", 0, `cell.v0: "0x10" is a hexadecimal, binary or octal number: write it in decimal`},
		{v0, "0x1p-6", 0, `cell.v0: "0x1p-6" is a hexadecimal, binary or octal number: write it in decimal`},
		{v0, "1_0", 0, `cell.v0: "1_0" is not a number`},
		{v0, "1_0mV", 0, `cell.v0: "1_0mV" is not a number`},
		{v0, "-65 mA", 0, `cell.v0: unit "mA" does not fit: write a plain number in mV, or append a unit such as V or mV`},
		{v0, "-65 xV", 0, `unit "xV" does not fit`},
		{gain, "2mV", 0, `cell.gain: unit "mV" does not fit: the parameter is dimensionless; write a plain number`},
	}
	for _, tt := range tests {
		t.Run(tt.p.Name+"="+tt.text, func(t *testing.T) {
			got, err := parseParamValue(tt.p, tt.text)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-tt.want) > 1e-12*math.Abs(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseAssignment(t *testing.T) {
	tests := []struct {
		arg       string
		wantIndex int
		wantValue float64
		wantErr   string
	}{
		{"cell.v0=-60", 1, -60, ""},
		{"cell.gain=3", 2, 3, ""},
		{"cell.gain", 0, 0, `--set "cell.gain": want NAME=VALUE, e.g. --set cell.tau=20`},
		{"=3", 0, 0, "want NAME=VALUE"},
		{"cell.a=3", 0, 0, `"cell.a" is not a free parameter of this program; free parameters: cell.tau, cell.v0, cell.gain`},
		{"gain=3", 0, 0, `"gain" is not a free parameter of this program: did you mean cell.gain? (free parameters are named in full: cell.tau, cell.v0, cell.gain)`},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			i, v, err := parseAssignment(leakyParams, tt.arg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || i != tt.wantIndex || v != tt.wantValue {
				t.Errorf("got (%d, %v, %v), want (%d, %v, nil)", i, v, err, tt.wantIndex, tt.wantValue)
			}
		})
	}
}

func TestSplitSweepArgs(t *testing.T) {
	tests := []struct {
		args     []string
		want     sweepFlags
		wantRest []string
		wantErr  string
	}{
		{[]string{"-o", "x.csv", "--quiet"}, sweepFlags{}, []string{"-o", "x.csv", "--quiet"}, ""},
		{[]string{"--set", "a=1", "-set=b=2", "-o", "--set"}, sweepFlags{sets: []string{"a=1", "b=2"}}, []string{"-o", "--set"}, ""},
		{[]string{"--sweep", "s.csv", "--shard=1/4", "--jobs", "3", "--manifest", "m.json", "-o=out/{index}.csv"},
			sweepFlags{sweep: "s.csv", shard: "1/4", jobs: 3, manifest: "m.json"}, []string{"-o=out/{index}.csv"}, ""},
		{[]string{"--params"}, sweepFlags{listParams: true}, nil, ""},
		{[]string{"-", "--", "--set"}, sweepFlags{}, []string{"-", "--", "--set"}, ""},
		{[]string{"--set"}, sweepFlags{}, nil, "flag needs an argument: --set"},
		{[]string{"--jobs", "0"}, sweepFlags{}, nil, `--jobs "0": want a whole number of 1 or more`},
		{[]string{"--params=maybe"}, sweepFlags{}, nil, `invalid boolean value "maybe"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			got, rest, err := splitSweepArgs(tt.args)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(sweepFlags{})); diff != "" {
				t.Errorf("flags (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantRest, rest); diff != "" {
				t.Errorf("rest (-want +got):\n%s", diff)
			}
		})
	}
}

func TestShards(t *testing.T) {
	parse := []struct {
		text    string
		want    Shard
		wantErr string
	}{
		{"0/4", Shard{0, 4}, ""},
		{"3/4", Shard{3, 4}, ""},
		{"4/4", Shard{}, "want 0 <= I < N"},
		{"-1/4", Shard{}, "want 0 <= I < N"},
		{"1/0", Shard{}, "want 0 <= I < N"},
		{"1", Shard{}, "want I/N"},
		{"a/b", Shard{}, "want I/N"},
	}
	for _, tt := range parse {
		got, err := parseShard(tt.text)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseShard(%q): error %v, want %q", tt.text, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseShard(%q) = %v, %v; want %v", tt.text, got, err, tt.want)
		}
	}
	// Every way of cutting covers each set exactly once, in order.
	for n := range 12 {
		for count := 1; count <= 7; count++ {
			next := 0
			for i := range count {
				start, end := Shard{i, count}.Range(n)
				if start != next || end < start || end-start > n/count+1 {
					t.Fatalf("%d sets, shard %d/%d: [%d, %d) after %d", n, i, count, start, end, next)
				}
				next = end
			}
			if next != n {
				t.Fatalf("%d sets in %d shards cover %d", n, count, next)
			}
		}
	}
}

func TestSlurmShard(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    Shard
		wantOK  bool
		wantErr string
	}{
		{"not in an array", map[string]string{}, Shard{}, false, ""},
		{"from 0", map[string]string{"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "3", "SLURM_ARRAY_TASK_COUNT": "4"}, Shard{2, 4}, true, ""},
		{"from 1", map[string]string{"SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "4", "SLURM_ARRAY_TASK_COUNT": "4"}, Shard{0, 4}, true, ""},
		{"stepped", map[string]string{"SLURM_ARRAY_TASK_ID": "14", "SLURM_ARRAY_TASK_MIN": "10", "SLURM_ARRAY_TASK_MAX": "16", "SLURM_ARRAY_TASK_STEP": "2", "SLURM_ARRAY_TASK_COUNT": "4"}, Shard{2, 4}, true, ""},
		{"no count", map[string]string{"SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_MAX": "7"}, Shard{0, 3}, true, ""},
		{"uneven list", map[string]string{"SLURM_ARRAY_TASK_ID": "9", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "9", "SLURM_ARRAY_TASK_COUNT": "3"}, Shard{}, false, "cannot derive the shard"},
		{"garbage", map[string]string{"SLURM_ARRAY_TASK_ID": "x"}, Shard{}, false, `SLURM_ARRAY_TASK_ID="x" is not a whole number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := slurmShard(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || ok != tt.wantOK || got != tt.want {
				t.Errorf("got %v, %v, %v; want %v, %v, nil", got, ok, err, tt.want, tt.wantOK)
			}
		})
	}
}

func TestReadSweep(t *testing.T) {
	tests := []struct {
		name       string
		file       string
		wantErr    string      // whole-file error
		wantValues [][]float64 // nil entry: the row is invalid
		rowErrs    []string
	}{
		{name: "full and partial columns",
			file:       "cell.gain,cell.tau\n2,10\n# a comment\n\n3,30ms\n",
			wantValues: [][]float64{{10, -70, 2}, {30, -70, 3}}, rowErrs: []string{"", ""}},
		{name: "bad rows do not spoil the others",
			file:       "cell.tau,cell.v0\n10,-60\n,-60\nabc,-60\n-1,-60\n10\n10,-60,7\nNaN,-60\n20,-65\n",
			wantValues: [][]float64{{10, -60, 1}, nil, nil, nil, nil, nil, nil, {20, -65, 1}},
			rowErrs: []string{"",
				"line 3: cell.tau: missing value",
				`line 4: cell.tau: "abc" is not a number`,
				"line 5: cell.tau = -1 ms: want a value greater than 0",
				"line 6: 1 values for 2 columns; cell.v0: missing value",
				"line 7: 3 values for 2 columns",
				"line 8: cell.tau = NaN: want a finite number",
				""}},
		{name: "byte-order mark", file: "\ufeffcell.gain,cell.tau\n2,10\n",
			wantValues: [][]float64{{10, -70, 2}}, rowErrs: []string{""}},
		{name: "unknown columns", file: "cell.tau,cell.a,b\n1,2,3\n",
			wantErr: `sweep file s.csv: unknown columns "cell.a", "b": the header must name free parameters of this program: cell.tau, cell.v0, cell.gain`},
		{name: "repeated column", file: "cell.tau,cell.tau\n1,2\n", wantErr: `column "cell.tau" appears twice`},
		{name: "empty", file: "", wantErr: "sweep file s.csv is empty"},
		{name: "header only", file: "cell.tau\n", wantErr: "has a header but no rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sweep, err := ReadSweep(strings.NewReader(tt.file), "s.csv", leakyParams, nil)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(sweep.Sets) != len(tt.wantValues) {
				t.Fatalf("%d sets, want %d", len(sweep.Sets), len(tt.wantValues))
			}
			for i, set := range sweep.Sets {
				if set.Index != i {
					t.Errorf("set %d has index %d", i, set.Index)
				}
				gotErr := ""
				if set.Err != nil {
					gotErr = set.Err.Error()
				}
				if gotErr != tt.rowErrs[i] {
					t.Errorf("set %d: error %q, want %q", i, gotErr, tt.rowErrs[i])
				}
				if diff := cmp.Diff(tt.wantValues[i], set.Values); tt.wantValues[i] != nil && diff != "" {
					t.Errorf("set %d values (-want +got):\n%s", i, diff)
				}
			}
		})
	}
}

// runLeaky runs the leaky program's command line in-process.
func runLeaky(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := environment{program: "leaky", getenv: func(k string) string { return env[k] }, stdout: &out, stderr: &errOut}
	code = e.run(leakyInfo, leakyParams, kernel{simulate: leakySimulate}, args)
	return code, out.String(), errOut.String()
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
		t.Fatal(err)
	}
	return path
}

func readManifest(t *testing.T, path string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(readFile(t, path))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestSingleRunWithParams(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"params", []string{"--params"}, 0, "NAME       DEFAULT  UNIT\ncell.tau   20       ms               must be > 0\ncell.v0    -70      mV\ncell.gain  1        (dimensionless)\n", ""},
		{"help", []string{"--help"}, 0, "--sweep FILE", ""},
		{"set", []string{"--set", "cell.v0=-60", "--quiet"}, 0, "t,cell_pop[0]/v\n0,-0.06\n", ""},
		{"set with unit", []string{"--set", "cell.v0=-0.06V", "--quiet"}, 0, "t,cell_pop[0]/v\n0,-0.06\n", ""},
		{"unknown name", []string{"--set", "cell.a=1"}, 2, "", `leaky: error: "cell.a" is not a free parameter of this program; free parameters: cell.tau, cell.v0, cell.gain`},
		{"bad value", []string{"--set", "cell.tau=-1"}, 2, "", "cell.tau = -1 ms: want a value greater than 0"},
		{"shard without sweep", []string{"--shard", "0/2"}, 2, "", "--shard, --manifest and --allow-failed belong to a sweep"},
		{"sweep to stdout", []string{"--sweep", writeFile(t, filepath.Join(dir, "s.csv"), "cell.tau\n1\n")}, 2, "", "a sweep writes files"},
		{"sweep to one csv", []string{"--sweep", filepath.Join(dir, "s.csv"), "-o", filepath.Join(dir, "x.csv")}, 2, "", "a sweep needs {index} in the name"},
		{"missing sweep file", []string{"--sweep", filepath.Join(dir, "none.csv"), "-o", filepath.Join(dir, "{index}.csv")}, 2, "", "cannot read the sweep file"},
		{"bad manifest", []string{"--sweep", filepath.Join(dir, "s.csv"), "-o", filepath.Join(dir, "{index}.csv"), "--manifest", filepath.Join(dir, "m.txt")}, 2, "", `unknown format ".txt": use .csv or .json`},
		{"sharded npy without {shard}", []string{"--sweep", filepath.Join(dir, "s.csv"), "-o", filepath.Join(dir, "r.npy"), "--shard", "0/2"}, 2, "", "every shard would write the same file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runLeaky(t, nil, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d; stderr %s", code, tt.wantCode, stderr)
			}
			expectOutput(t, "stdout", stdout, tt.wantStdout)
			expectOutput(t, "stderr", stderr, tt.wantStderr)
		})
	}
}

// TestSweepMatchesSingleRuns is the central promise: each set of a sweep,
// run concurrently with others, gives the same bytes as a separate run with
// --set; bad rows and diverging sets are reported and the rest still run.
func TestSweepMatchesSingleRuns(t *testing.T) {
	dir := t.TempDir()
	sweepFile := writeFile(t, filepath.Join(dir, "sweep.csv"),
		"cell.tau,cell.v0\n10,-60\n20ms,-65\nabc,-70\n-5,-70\n40,-0.07V\n5,-50\n")
	outDir := filepath.Join(dir, "out")
	if err := os.Mkdir(outDir, 0o777); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runLeaky(t, nil, "--sweep", sweepFile, "--set", "cell.gain=2", "--record", "all",
		"-o", filepath.Join(outDir, "{index}.csv"), "--jobs", "3")
	if code != 1 {
		t.Errorf("exit code %d, want 1 (two rows are invalid); stderr:\n%s", code, stderr)
	}
	expectOutput(t, "stdout", stdout, "")
	for _, want := range []string{
		`leaky: set 2 invalid: line 4: cell.tau: "abc" is not a number`,
		"leaky: set 3 invalid: line 5: cell.tau = -5 ms: want a value greater than 0",
		"leaky: 6 sets in ", " on 3 workers: 4 ok, 2 invalid, 0 failed; manifest " + filepath.Join(outDir, "manifest.csv"),
	} {
		expectOutput(t, "stderr", stderr, want)
	}
	// --allow-failed: the same sweep exits 0, the manifest still says.
	if code, _, stderr := runLeaky(t, nil, "--sweep", sweepFile, "--set", "cell.gain=2", "--record", "all", "--quiet",
		"-o", filepath.Join(outDir, "{index}.csv"), "--jobs", "3", "--allow-failed"); code != 0 || !strings.Contains(stderr, "set 2 invalid") {
		t.Errorf("--allow-failed: exit %d, want 0; stderr:\n%s", code, stderr)
	}
	valid := map[int][]string{0: {"10", "-60"}, 1: {"20", "-65"}, 4: {"40", "-70"}, 5: {"5", "-50"}}
	for index, set := range valid {
		code, single, stderr := runLeaky(t, nil, "--set", "cell.tau="+set[0], "--set", "cell.v0="+set[1], "--set", "cell.gain=2", "--record", "all", "--quiet")
		if code != 0 {
			t.Fatalf("single run: %s", stderr)
		}
		if got := readFile(t, filepath.Join(outDir, strconvItoa(index)+".csv")); got != single {
			t.Errorf("set %d differs from the single run with the same parameters", index)
		}
	}
	rows := readManifest(t, filepath.Join(outDir, "manifest.csv"))
	wantHeader := []string{"index", "cell.tau", "cell.v0", "cell.gain", "status", "output", "wall_seconds", "sweep_sets", "shard", "error"}
	if diff := cmp.Diff(wantHeader, rows[0]); diff != "" {
		t.Fatalf("manifest header (-want +got):\n%s", diff)
	}
	var got [][]string
	for _, r := range rows[1:] {
		got = append(got, append(slices.Clone(r[:6]), r[7:]...)) // drop the wall time
	}
	want := [][]string{
		{"0", "10", "-60", "2", "ok", "0.csv", "6", "", ""},
		{"1", "20", "-65", "2", "ok", "1.csv", "6", "", ""},
		{"2", "abc", "-70", "", "invalid", "", "6", "", `line 4: cell.tau: "abc" is not a number`},
		{"3", "-5", "-70", "", "invalid", "", "6", "", "line 5: cell.tau = -5 ms: want a value greater than 0"},
		{"4", "40", "-70", "2", "ok", "4.csv", "6", "", ""},
		{"5", "5", "-50", "2", "ok", "5.csv", "6", "", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("manifest (-want +got):\n%s", diff)
	}
	entries, _ := os.ReadDir(outDir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if diff := cmp.Diff([]string{"0.csv", "1.csv", "4.csv", "5.csv", "manifest.csv"}, names); diff != "" {
		t.Errorf("files (-want +got), no output for invalid sets and no temp files:\n%s", diff)
	}
}

func strconvItoa(i int) string { return string(rune('0' + i)) }

// TestSweepNPYAndShards runs a sweep as one .npy in two shards and checks
// that the shards together hold what the whole sweep holds, that a
// diverging set is NaN in its slot and failed in the manifest, and that the
// shard follows a Slurm array's environment.
func TestSweepNPYAndShards(t *testing.T) {
	dir := t.TempDir()
	sweepFile := writeFile(t, filepath.Join(dir, "sweep.csv"), "cell.gain,cell.tau\n1,20\n2,20\n1e6,1\n3,5\n0.5,50\n")
	code, _, stderr := runLeaky(t, nil, "--sweep", sweepFile, "--quiet", "-o", filepath.Join(dir, "all.npy"))
	if code != 1 {
		t.Fatalf("exit code %d, want 1 (set 2 diverges); stderr:\n%s", code, stderr)
	}
	expectOutput(t, "stderr", stderr, "leaky: set 2 failed: the run diverged: cell_pop[0]/v is +Inf at t = 300 µs (step 3)")
	all, shape := readNPY(t, filepath.Join(dir, "all.npy"))
	if diff := cmp.Diff([]int{5, 201, 2}, shape); diff != "" {
		t.Fatalf("shape (-want +got):\n%s", diff)
	}
	block := 201 * 2
	for i, v := range all[2*block : 3*block] {
		if !math.IsNaN(v) {
			t.Fatalf("value %d of the diverged set is %v, want NaN", i, v)
		}
	}
	// Set 3 alone, for comparison.
	_, single, _ := runLeaky(t, nil, "--set", "cell.gain=3", "--set", "cell.tau=5", "--quiet", "-o", filepath.Join(dir, "single.npy"))
	_ = single
	one, _ := readNPY(t, filepath.Join(dir, "single.npy"))
	if !slices.Equal(one, all[3*block:4*block]) {
		t.Errorf("slot 3 of the sweep differs from the single run")
	}

	var joined []float64
	for _, task := range []string{"7", "8"} {
		env := map[string]string{"SLURM_ARRAY_TASK_ID": task, "SLURM_ARRAY_TASK_MIN": "7", "SLURM_ARRAY_TASK_MAX": "8", "SLURM_ARRAY_TASK_COUNT": "2"}
		code, _, stderr := runLeaky(t, env, "--sweep", sweepFile, "-o", filepath.Join(dir, "part-{shard}.npy"), "--manifest", filepath.Join(dir, "part-{shard}.json"))
		if code != 0 && code != 1 {
			t.Fatalf("shard of task %s: exit %d: %s", task, code, stderr)
		}
		expectOutput(t, "stderr", stderr, "(shard ")
	}
	for _, shard := range []string{"0", "1"} {
		part, _ := readNPY(t, filepath.Join(dir, "part-"+shard+".npy"))
		joined = append(joined, part...)
	}
	if len(joined) != len(all) {
		t.Fatalf("shards hold %d values, the whole sweep %d", len(joined), len(all))
	}
	for i := range all {
		if math.Float64bits(joined[i]) != math.Float64bits(all[i]) {
			t.Fatalf("value %d: shards %v, whole sweep %v", i, joined[i], all[i])
		}
	}
	var m ManifestJSON
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, "part-1.json"))), &m); err != nil {
		t.Fatal(err)
	}
	if m.Shard != "1/2" || m.SweepSets != 5 || len(m.Sets) != 3 || m.Sets[0].Index != 2 || m.Sets[0].Status != StatusFailed ||
		m.Sets[1].Output != "part-1.npy" || string(m.Sets[1].Params["cell.tau"]) != "5" {
		t.Errorf("manifest of shard 1: %+v", m)
	}
}

func readNPY(t *testing.T, path string) ([]float64, []int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := npyio.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var values []float64
	if err := r.Read(&values); err != nil {
		t.Fatal(err)
	}
	return values, r.Header.Descr.Shape
}

func TestNPYHeaderShape(t *testing.T) {
	for _, shape := range [][]int{{3}, {1, 2}, {5, 40001, 5}, {1 << 20, 999999, 123}} {
		header, err := npyHeaderShape(shape...)
		if err != nil {
			t.Fatal(err)
		}
		if len(header)%64 != 0 || header[len(header)-1] != '\n' {
			t.Errorf("%v: %d bytes, want a multiple of 64 ending in a newline", shape, len(header))
		}
	}
	one, _ := npyHeaderShape(3)
	if !bytes.Contains(one, []byte("'shape': (3,), ")) {
		t.Errorf("1-D header %q lacks the Python one-tuple", one)
	}
}

// TestSweepOutputsAreNotInputs: no output of a sweep may be the sweep file
// it reads, or another of its outputs; the sweep file stays as it was.
func TestSweepOutputsAreNotInputs(t *testing.T) {
	dir := t.TempDir()
	content := "cell.gain,cell.tau\n1,20\n2,20\n"
	sweepFile := writeFile(t, filepath.Join(dir, "sweep.csv"), content)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-o", filepath.Join(dir, "all.npy"), "--manifest", sweepFile}, "--manifest " + sweepFile + " is the sweep file this run reads"},
		{[]string{"-o", filepath.Join(dir, "{index}.csv"), "--manifest", filepath.Join(dir, "0.csv")}, "is set 0's file of -o"},
		// not the first set's: set 1 of two
		{[]string{"-o", filepath.Join(dir, "{index}.csv"), "--manifest", filepath.Join(dir, "1.csv")}, "--manifest " + filepath.Join(dir, "1.csv") + " is set 1's file of -o"},
		// a file no set writes is another output
		{[]string{"-o", filepath.Join(dir, "{index}.csv"), "--manifest", filepath.Join(dir, "2.csv")}, ""},
		// set 1 would write over the sweep file
		{[]string{"-o", filepath.Join(dir, "sweep{index}.csv"), "--manifest", filepath.Join(dir, "m.csv")}, ""},
	}
	// a sweep file that set 1's output would replace
	content1 := "cell.gain\n1\n2\n"
	sweep1 := writeFile(t, filepath.Join(dir, "sweep1.csv"), content1)
	code, _, stderr := runLeaky(t, nil, "--sweep", sweep1, "--quiet", "-o", filepath.Join(dir, "sweep{index}.csv"))
	if code != 2 || !strings.Contains(stderr, "is set 1's file of -o") || !strings.Contains(stderr, "the sweep file this run reads would be overwritten") {
		t.Errorf("-o sweep{index}.csv reading sweep1.csv: exit %d, stderr %q", code, stderr)
	}
	if got := readFile(t, sweep1); got != content1 {
		t.Fatalf("the sweep changed its own sweep file: %q", got)
	}
	for _, tt := range tests {
		code, _, stderr := runLeaky(t, nil, append([]string{"--sweep", sweepFile, "--quiet"}, tt.args...)...)
		if tt.want == "" {
			if code != 0 {
				t.Errorf("%v: exit %d, stderr %q; want it to run", tt.args, code, stderr)
			}
		} else if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 containing %q", tt.args, code, stderr, tt.want)
		}
		if got := readFile(t, sweepFile); got != content {
			t.Fatalf("%v changed the sweep file: %q", tt.args, got)
		}
	}
}

// TestSweepFlagsNotIgnored: flags a run would not use are refused, not
// dropped: --params with anything else, a --set of a parameter the sweep
// file sets for every set, the same --set twice, and {index} in -o
// without a sweep (it wrote a file named "o{index}.csv").
func TestSweepFlagsNotIgnored(t *testing.T) {
	dir := t.TempDir()
	sweepFile := writeFile(t, filepath.Join(dir, "sweep.csv"), "cell.gain\n1\n2\n")
	out := filepath.Join(dir, "{index}.csv")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--params", "--set", "cell.gain=2"}, "--params lists the free parameters and runs nothing"},
		{[]string{"--sweep", sweepFile, "--set", "cell.gain=3", "-o", out}, "--set cell.gain=3: the sweep file " + sweepFile + " gives cell.gain for every set"},
		{[]string{"--set", "cell.gain=2", "--set", "cell.gain=3"}, "--set cell.gain=2 and --set cell.gain=3 give cell.gain twice"},
		{[]string{"-o", out}, "{index} and {shard} are filled in by a sweep"},
	} {
		code, _, stderr := runLeaky(t, nil, tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "{index}.csv")); err == nil {
		t.Error("a file named {index}.csv was written")
	}
	// a --set of a parameter the file does not set still holds
	if code, _, stderr := runLeaky(t, nil, "--sweep", sweepFile, "--set", "cell.tau=30", "-o", out, "--quiet"); code != 0 {
		t.Errorf("--set of another parameter: exit %d, %s", code, stderr)
	}
}

// TestSweepFileDevice: a device as the sweep file is refused before any
// set runs (/dev/zero was read until memory ran out).
func TestSweepFileDevice(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runLeaky(t, nil, "--sweep", os.DevNull, "-o", filepath.Join(dir, "{index}.csv"), "--quiet")
	if code == 0 || !strings.Contains(stderr, "--sweep "+os.DevNull+" is a device, not a sweep file") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("wrote %v", entries)
	}
}
