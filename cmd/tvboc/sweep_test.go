package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sweepSets is the sweep file of the CLI tests: the bursting cell's
// recovery rate and reset increment, eight sets.
const sweepSets = "izBurst.a,izBurst.d\n0.02,2\n0.03,4\n0.02,8\n0.025,3\n0.035,5\n0.03,2\n0.02,6\n0.01,1\n"

// runTvboc runs the CLI in-process and fails the test on a non-zero exit.
func runTvboc(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("tvboc %s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
	}
	return stdout.String() + stderr.String()
}

// runBinary runs a compiled binary and returns its combined output.
func runBinary(t *testing.T, wantCode int, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code != wantCode {
		t.Fatalf("%s %s: exit %d, want %d\n%s", filepath.Base(bin), strings.Join(args, " "), code, wantCode, out)
	}
	return string(out)
}

// manifestRows reads a CSV manifest without its wall_seconds column,
// which is the one thing that differs between equal runs.
func manifestRows(t *testing.T, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wall := slices.Index(rows[0], "wall_seconds")
	for i, r := range rows {
		rows[i] = slices.Delete(slices.Clone(r), wall, wall+1)
	}
	return rows
}

func sameFile(t *testing.T, a, b string) {
	t.Helper()
	x, err1 := os.ReadFile(a)
	y, err2 := os.ReadFile(b)
	if err1 != nil || err2 != nil {
		t.Fatalf("reading %s and %s: %v %v", a, b, err1, err2)
	}
	if !bytes.Equal(x, y) {
		t.Errorf("%s and %s differ", a, b)
	}
}

// TestFreeParametersAndLocalSweep compiles the seed with free parameters
// and checks the promises of issue 6 without a cluster: --params, --set
// equal to a recompiled constant, a sweep equal to separate --set runs,
// shards that merge into the whole sweep, in CSV and .npy.
func TestFreeParametersAndLocalSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache")
	bin := filepath.Join(dir, "sim")
	runTvboc(t, "compile", "-q", "--cache-dir", cache, "--free", "izBurst.a,izBurst.d,izBurst.thresh", seedExperiment, "-o", bin)

	if got := runBinary(t, 0, bin, "--params"); got != "NAME            DEFAULT  UNIT\nizBurst.a       0.02     (dimensionless)\nizBurst.d       2        (dimensionless)\nizBurst.thresh  30       mV\n" {
		t.Errorf("--params:\n%s", got)
	}
	runBinary(t, 2, bin, "--set", "izTonic.a=0.1")

	// Defaults through the free binary give the seed's own results.
	plain := filepath.Join(dir, "plain")
	runTvboc(t, "compile", "-q", "--cache-dir", cache, seedExperiment, "-o", plain)
	runBinary(t, 0, plain, "--quiet", "-o", filepath.Join(dir, "plain.csv"))
	runBinary(t, 0, bin, "--quiet", "-o", filepath.Join(dir, "free.csv"))
	sameFile(t, filepath.Join(dir, "plain.csv"), filepath.Join(dir, "free.csv"))
	// A value with a unit is the same value.
	runBinary(t, 0, bin, "--quiet", "--set", "izBurst.thresh=0.025V", "-o", filepath.Join(dir, "v.csv"))
	runBinary(t, 0, bin, "--quiet", "--set", "izBurst.thresh=25", "-o", filepath.Join(dir, "mv.csv"))
	sameFile(t, filepath.Join(dir, "v.csv"), filepath.Join(dir, "mv.csv"))

	sweepFile := filepath.Join(dir, "sweep.csv")
	mustDo(t, os.WriteFile(sweepFile, []byte(sweepSets), 0o666))
	whole := filepath.Join(dir, "whole")
	mustDo(t, os.Mkdir(whole, 0o777))
	runBinary(t, 0, bin, "--sweep", sweepFile, "--quiet", "-o", filepath.Join(whole, "{index}.csv"))
	runBinary(t, 0, bin, "--quiet", "--set", "izBurst.a=0.035", "--set", "izBurst.d=5", "-o", filepath.Join(dir, "set4.csv"))
	sameFile(t, filepath.Join(whole, "4.csv"), filepath.Join(dir, "set4.csv"))

	// Three shards, merged, are the whole sweep.
	parts := filepath.Join(dir, "parts")
	mustDo(t, os.Mkdir(parts, 0o777))
	for _, shard := range []string{"0/3", "1/3", "2/3"} {
		runBinary(t, 0, bin, "--sweep", sweepFile, "--shard", shard, "--quiet", "-o", filepath.Join(parts, "{index}.csv"))
		runBinary(t, 0, bin, "--sweep", sweepFile, "--shard", shard, "--quiet", "-o", filepath.Join(parts, "part-{shard}.npy"))
	}
	merged := filepath.Join(parts, "manifest.csv")
	runTvboc(t, "merge", "-q", "-o", merged, filepath.Join(parts, "manifest-0.csv"), filepath.Join(parts, "manifest-2.csv"), filepath.Join(parts, "manifest-1.csv"))
	if diff := cmp.Diff(manifestRows(t, filepath.Join(whole, "manifest.csv")), manifestRows(t, merged)); diff != "" {
		t.Errorf("merged shards vs whole sweep manifest (-want +got):\n%s", diff)
	}
	for i := range 8 {
		name := string(rune('0'+i)) + ".csv"
		sameFile(t, filepath.Join(whole, name), filepath.Join(parts, name))
	}
	runBinary(t, 0, bin, "--sweep", sweepFile, "--quiet", "-o", filepath.Join(whole, "sweep.npy"))
	runTvboc(t, "merge", "-q", "-o", filepath.Join(parts, "npy.manifest.json"), "--npy", filepath.Join(parts, "sweep.npy"),
		filepath.Join(parts, "part-0.manifest.csv"), filepath.Join(parts, "part-1.manifest.csv"), filepath.Join(parts, "part-2.manifest.csv"))
	sameFile(t, filepath.Join(whole, "sweep.npy"), filepath.Join(parts, "sweep.npy"))

	// A shard missing from the merge is an error, not a silent gap.
	var stderr bytes.Buffer
	if code := run([]string{"merge", "-o", filepath.Join(dir, "m.csv"), filepath.Join(parts, "manifest-0.csv")}, &bytes.Buffer{}, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "the sweep has 8 sets, but no manifest lists sets 2-7") {
		t.Errorf("merge of one shard: exit %d, %s", code, stderr.String())
	}
}

func TestSweepAndSlurmCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	dir := t.TempDir()
	explore := "../../testdata/sweep/ex2_explore.yaml"
	got := runTvboc(t, "sweep", explore)
	if want := "izBurst.a,izBurst.d\n0.02,2\n0.02,5\n0.02,8\n0.03,2\n0.03,5\n0.03,8\n"; got != want {
		t.Errorf("tvboc sweep = %q, want %q", got, want)
	}
	// Without --sweep, tvboc slurm takes the explorations; no --submit.
	script := filepath.Join(dir, "job.sbatch")
	runTvboc(t, "slurm", "-q", "--cache-dir", filepath.Join(dir, "cache"), explore, "--tasks", "8", "--cpus", "2", "--time", "00:05:00", "-o", script)
	data, err := os.ReadFile(script)
	mustDo(t, err)
	text := string(data)
	for _, want := range []string{"#SBATCH --array=0-5\n", "#SBATCH --cpus-per-task=2\n", "#SBATCH --time=00:05:00\n", "ex2_explore-sweep/sweep.csv"} {
		if !strings.Contains(text, want) {
			t.Errorf("script lacks %q:\n%s", want, text)
		}
	}
	sweepData, err := os.ReadFile(filepath.Join(dir, "ex2_explore-sweep", "sweep.csv"))
	mustDo(t, err)
	if string(sweepData) != got {
		t.Errorf("the job's sweep.csv differs from tvboc sweep")
	}

	bad := []struct {
		args    []string
		wantErr string
	}{
		{[]string{"compile", "--free", "izBurst.zz", seedExperiment, "-o", filepath.Join(dir, "x")}, `izBurst has no settable parameter "zz"`},
		{[]string{"sweep", seedExperiment}, "has no explorations section and no model parameter with explored_values"},
		{[]string{"slurm", seedExperiment, "--sweep", filepath.Join(dir, "none.csv"), "-o", filepath.Join(dir, "j.sbatch")}, "cannot read the sweep file"},
		{[]string{"slurm", seedExperiment, "--tasks", "0", "--sweep", filepath.Join(dir, "none.csv"), "-o", filepath.Join(dir, "j.sbatch")}, "--tasks 0: want 1 or more"},
		{[]string{"merge", "x.csv"}, "merge needs -o FILE"},
	}
	for _, tt := range bad {
		var stderr bytes.Buffer
		if code := run(tt.args, &bytes.Buffer{}, &stderr); code == 0 || !strings.Contains(stderr.String(), tt.wantErr) {
			t.Errorf("tvboc %s: exit %d, stderr %q, want it to contain %q", strings.Join(tt.args, " "), code, stderr.String(), tt.wantErr)
		}
	}
}

// TestSweepOfExploredParameters: a model file whose parameters carry
// explored_values (TVBO's Jansen1995: C: {value: 135, explored_values:
// [68, 128, ...]}) sweeps them without an explorations section, and its
// binary takes them as free parameters.
func TestSweepOfExploredParameters(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	dir := t.TempDir()
	model := filepath.Join(dir, "decay.yaml")
	mustDo(t, os.WriteFile(model, []byte(`name: Decay
parameters:
  k: {value: 0.5, explored_values: [0.25, 0.5, 1]}
  b: {value: 1}
derived_parameters:
  k2: {equation: {rhs: 2*k}}
state_variables:
  x: {equation: {rhs: "-k2*x + b"}, initial_value: 0.3}
`), 0o644))
	if got, want := runTvboc(t, "sweep", model), "Decay.k\n0.25\n0.5\n1\n"; got != want {
		t.Errorf("tvboc sweep = %q, want %q", got, want)
	}
	bin := filepath.Join(dir, "sim")
	runTvboc(t, "compile", "-q", "--cache-dir", filepath.Join(dir, "cache"), "--duration", "5", model, "-o", bin)
	out, err := exec.Command(bin, "--params").CombinedOutput()
	mustDo(t, err)
	if !strings.Contains(string(out), "Decay.k") || !strings.Contains(string(out), "0.5") {
		t.Errorf("the binary's free parameters:\n%s", out)
	}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
