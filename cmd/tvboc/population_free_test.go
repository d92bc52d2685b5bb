package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// freeExperiment is testdata's population network whose explorations free
// exc.a and exc.I (b follows a through its expression).
const freeExperiment = "../../testdata/networks/population_free/exp.yaml"

// writtenIn is the free experiment with exc's parameters as given (a
// YAML mapping's body, "I: 8, a: 0.1") and no explorations: the build a
// --set run must reproduce.
func writtenIn(t *testing.T, params string) string {
	t.Helper()
	src := string(readFile(t, freeExperiment))
	src = strings.Replace(src, "parameters: {I: 5}", "parameters: {"+params+"}", 1)
	src = src[:strings.Index(src, "explorations:")]
	path := filepath.Join(t.TempDir(), "written.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestPopulationFreeParameters: a population network's free parameters
// (here from its explorations) are run-time inputs. A --set run writes
// byte for byte the traces and spikes of a build with the same values
// written in, with every thread count, and each set of a sweep writes
// what the --set run of its values writes; a bad row is invalid and a
// set whose per-cell values are not finite fails, while the others run.
func TestPopulationFreeParameters(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	sim := buildPopulation(t, freeExperiment)
	list, err := exec.Command(sim, "--params").Output()
	if err != nil || !strings.Contains(string(list), "exc.a") || !strings.Contains(string(list), "exc.I") {
		t.Fatalf("--params: %v\n%s", err, list)
	}
	dir := t.TempDir()
	path := func(name string) string { return filepath.Join(dir, name) }

	plain := buildPopulation(t, writtenIn(t, "I: 8, a: 0.1"))
	runBin(t, plain, "-o", path("plain.csv"), "--spikes", path("plain-spikes.csv"))
	for _, threads := range []string{"1", "3"} {
		runBin(t, sim, "--set", "exc.a=0.1", "--set", "exc.I=8", "--threads", threads,
			"-o", path("set.csv"), "--spikes", path("set-spikes.csv"))
		if !bytes.Equal(readFile(t, path("set.csv")), readFile(t, path("plain.csv"))) {
			t.Errorf("--threads %s: the --set traces differ from the build with the values written in", threads)
		}
		if !bytes.Equal(readFile(t, path("set-spikes.csv")), readFile(t, path("plain-spikes.csv"))) {
			t.Errorf("--threads %s: the --set spikes differ from the build with the values written in", threads)
		}
	}
	if len(bytes.Split(readFile(t, path("plain-spikes.csv")), []byte("\n"))) < 100 {
		t.Fatal("too few spikes for a meaningful comparison")
	}

	// the sweep: set 2 is a --set run above, set 1 cannot be read, set 3
	// makes b = 10*a infinite
	sweep := path("sweep.csv")
	if err := os.WriteFile(sweep, []byte("exc.a,exc.I\n0.02,5\nx,5\n0.1,8\n1e308,5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(sim, "--sweep", sweep, "-o", filepath.Join(out, "{index}.csv"), "--spikes", filepath.Join(out, "spikes-{index}.csv"), "--quiet")
	msg, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("a sweep with a bad and a failing set: %v, want exit 1\n%s", err, msg)
	}
	if !bytes.Equal(readFile(t, filepath.Join(out, "2.csv")), readFile(t, path("plain.csv"))) ||
		!bytes.Equal(readFile(t, filepath.Join(out, "spikes-2.csv")), readFile(t, path("plain-spikes.csv"))) {
		t.Error("set 2 of the sweep differs from the --set run of its values")
	}
	runBin(t, sim, "-o", path("default.csv"), "--spikes", path("default-spikes.csv"))
	if !bytes.Equal(readFile(t, filepath.Join(out, "0.csv")), readFile(t, path("default.csv"))) ||
		!bytes.Equal(readFile(t, filepath.Join(out, "spikes-0.csv")), readFile(t, path("default-spikes.csv"))) {
		t.Error("set 0 of the sweep (the defaults) differs from a run without --set")
	}
	rows, err := csv.NewReader(bytes.NewReader(readFile(t, filepath.Join(out, "manifest.csv")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ok", "invalid", "ok", "failed"}
	if len(rows) != 1+len(want) {
		t.Fatalf("manifest has %d rows, want %d", len(rows), 1+len(want))
	}
	for i, status := range want {
		if rows[1+i][3] != status {
			t.Errorf("set %d: status %q (%s), want %q", i, rows[1+i][3], rows[1+i][len(rows[1+i])-1], status)
		}
	}
	if !strings.Contains(rows[4][len(rows[4])-1], "population exc: b is +Inf") {
		t.Errorf("set 3's error %q does not say which per-cell value is not finite", rows[4][len(rows[4])-1])
	}
	for _, name := range []string{"1.csv", "3.csv", "spikes-1.csv", "spikes-3.csv"} {
		if _, err := os.Stat(filepath.Join(out, name)); !os.IsNotExist(err) {
			t.Errorf("a set that did not run left %s", name)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(out, ".*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// TestPopulationFreeEdgeWeight: an edge's weight may read its source
// population's parameters; with exc.J free, --set exc.J=0.8 draws the
// weights a build with J: 0.8 written in draws.
func TestPopulationFreeEdgeWeight(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	sim := buildPopulation(t, freeExperiment, "--free", "exc.J")
	plain := buildPopulation(t, writtenIn(t, "I: 5, J: 0.8"))
	dir := t.TempDir()
	runBin(t, plain, "-o", filepath.Join(dir, "plain.csv"), "--spikes", filepath.Join(dir, "plain-spikes.csv"))
	runBin(t, sim, "--set", "exc.J=0.8", "-o", filepath.Join(dir, "set.csv"), "--spikes", filepath.Join(dir, "set-spikes.csv"))
	runBin(t, sim, "-o", filepath.Join(dir, "default.csv"))
	if !bytes.Equal(readFile(t, filepath.Join(dir, "set.csv")), readFile(t, filepath.Join(dir, "plain.csv"))) ||
		!bytes.Equal(readFile(t, filepath.Join(dir, "set-spikes.csv")), readFile(t, filepath.Join(dir, "plain-spikes.csv"))) {
		t.Error("--set exc.J differs from the build with J written in")
	}
	if bytes.Equal(readFile(t, filepath.Join(dir, "set.csv")), readFile(t, filepath.Join(dir, "default.csv"))) {
		t.Error("J = 0.8 writes the same traces as the default 0.5: the weights do not read it")
	}
	var stdout, stderr bytes.Buffer
	bad := strings.Replace(string(readFile(t, writtenIn(t, "I: 5"))), `weight: {rhs: "J*random()"}`, `weight: {rhs: "K*random()"}`, 1)
	path := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := run([]string{"check", path}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), `edge weight: unknown name "K"`) || !strings.Contains(stderr.String(), "J") {
		t.Errorf("a weight reading an unknown name: exit %d, %q", code, stderr.String())
	}
}

// TestPopulationFreeErrors: names that are not a population's settable
// parameter, and sweep outputs a population program cannot write, are
// refused with what to write instead.
func TestPopulationFreeErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	exp := writtenIn(t, "I: 5, a: 0.02")
	for _, tc := range []struct{ free, want string }{
		{"exc.zz", `node "exc" has no parameter "zz"`},
		{"a", "names its parameters <node id>.<parameter> (nodes: exc, inh)"},
		{"inh.a", `free parameter "inh.a" is 0.02 + 0.08*r, which differs from cell to cell`},
	} {
		var stdout, stderr bytes.Buffer
		code := run([]string{"compile", exp, "--free", tc.free, "-o", filepath.Join(t.TempDir(), "sim")}, &stdout, &stderr)
		if code != 1 || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("--free %s: exit %d, %q; want exit 1 and %q", tc.free, code, stderr.String(), tc.want)
		}
	}
	// an exploration naming no parameter: one message, at the axis
	bad := strings.Replace(string(readFile(t, freeExperiment)), "exc.I: {explored_values", "exc.zz: {explored_values", 1)
	badPath := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(badPath, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range [][]string{{"compile", badPath, "-o", filepath.Join(t.TempDir(), "sim")}, {"sweep", badPath, "-o", filepath.Join(t.TempDir(), "sweep.csv")}} {
		var stdout, stderr bytes.Buffer
		code := run(cmd, &stdout, &stderr)
		want := `bad.yaml:43:7: exploration "drive": free parameter "exc.zz": node "exc" has no parameter "zz"`
		if code != 1 || !strings.Contains(stderr.String(), want) || strings.Count(stderr.String(), "bad.yaml:") != 1 {
			t.Errorf("%s with a bad axis: exit %d, %q; want exit 1 and one position: %q", cmd[0], code, stderr.String(), want)
		}
	}
	sim := buildPopulation(t, freeExperiment)
	dir := t.TempDir()
	sweep := filepath.Join(dir, "sweep.csv")
	if err := os.WriteFile(sweep, []byte("exc.a\n0.02\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-o", filepath.Join(dir, "all.npy")}, "a population sweep writes one file per set"},
		{[]string{"-o", filepath.Join(dir, "{index}.csv"), "--spikes", filepath.Join(dir, "spikes.csv")}, "put {index} in the name (--spikes spikes/{index}.csv)"},
		{[]string{"-o", filepath.Join(dir, "{index}.csv"), "--jobs", "2"}, "--jobs 2: a population program runs one set at a time (the sets share its network): give --threads 2"},
	} {
		msg, err := exec.Command(sim, append([]string{"--sweep", sweep}, tc.args...)...).CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(msg), tc.want) {
			t.Errorf("%v: %v, %q; want exit 2 and %q", tc.args, err, msg, tc.want)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 1 {
		t.Errorf("refused sweeps wrote files: %v", left)
	}
}

// TestPopulationFreeLibraryCells: a library cell's parameter, in the unit
// the experiment writes it in (mV, nF), is free in a population as in a
// node list: --set in that unit or another of its dimension writes what a
// build with the value written in writes; one the experiment leaves to
// the library, or written without its unit, cannot be free.
func TestPopulationFreeLibraryCells(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	const library = "../../testdata/networks/population_library/exp.yaml"
	sim := buildPopulation(t, library, "--free", "tgt.thresh,drive.C")
	list, err := exec.Command(sim, "--params").Output()
	if err != nil || !strings.Contains(string(list), "tgt.thresh  -55      mV") || !strings.Contains(string(list), "drive.C     1        nF    must be > 0") {
		t.Fatalf("--params: %v\n%s", err, list)
	}
	src := string(readFile(t, library))
	for _, r := range [][2]string{
		{"- {id: drive, dynamics: pacer, size: 2}", "- {id: drive, dynamics: pacer, size: 2, parameters: {C: {value: 0.8, unit: nF}}}"},
		{"- {id: tgt, dynamics: target, size: 2}", "- {id: tgt, dynamics: target, size: 2, parameters: {thresh: {value: -60, unit: mV}}}"},
	} {
		if !strings.Contains(src, r[0]) {
			t.Fatalf("%s no longer has %q", library, r[0])
		}
		src = strings.Replace(src, r[0], r[1], 1)
	}
	dir := t.TempDir()
	written := filepath.Join(dir, "written.yaml")
	if err := os.WriteFile(written, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	plain := buildPopulation(t, written)
	runBin(t, plain, "-o", filepath.Join(dir, "plain.csv"), "--spikes", filepath.Join(dir, "plain-spikes.csv"))
	runBin(t, sim, "--set", "tgt.thresh=-60", "--set", "drive.C=0.8", "-o", filepath.Join(dir, "set.csv"), "--spikes", filepath.Join(dir, "set-spikes.csv"))
	if !bytes.Equal(readFile(t, filepath.Join(dir, "set.csv")), readFile(t, filepath.Join(dir, "plain.csv"))) ||
		!bytes.Equal(readFile(t, filepath.Join(dir, "set-spikes.csv")), readFile(t, filepath.Join(dir, "plain-spikes.csv"))) {
		t.Error("--set of library cell parameters differs from the build with the values written in")
	}
	runBin(t, sim, "--set", "tgt.thresh=-0.06V", "--set", "drive.C=800pF", "--spikes", filepath.Join(dir, "units-spikes.csv"), "--record", "none")
	if !bytes.Equal(readFile(t, filepath.Join(dir, "units-spikes.csv")), readFile(t, filepath.Join(dir, "plain-spikes.csv"))) {
		t.Error("--set with other units of the same dimension spikes differently")
	}
	for _, tc := range []struct{ free, want string }{
		{"tgt.tau", `node "tgt" has no parameter "tau"`},
		{"tgt.refract", "the refractory period is a whole number of steps fixed at compile time"},
	} {
		var stdout, stderr bytes.Buffer
		code := run([]string{"compile", library, "--free", tc.free, "-o", filepath.Join(dir, "bad")}, &stdout, &stderr)
		if code != 1 || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("--free %s: exit %d, %q; want exit 1 and %q", tc.free, code, stderr.String(), tc.want)
		}
	}
}

// TestPopulationSlurmJob: tvboc slurm of a population network (its sets
// from the explorations) writes a script that runs each shard's sets on
// the task's cores (--threads) with their spikes, run here the way Slurm
// runs an array task; the merged manifest lists every set ok, and a set's
// files are those of its --set run.
func TestPopulationSlurmJob(t *testing.T) {
	skipUnlessJobScripts(t)
	dir := t.TempDir()
	outDir, bin, script := filepath.Join(dir, "out"), filepath.Join(dir, "pop"), filepath.Join(dir, "pop.sbatch")
	runTvboc(t, "slurm", "-q", "--cache-dir", filepath.Join(dir, "cache"), freeExperiment,
		"--tasks", "2", "--cpus", "2", "--bin", bin, "--out-dir", outDir, "-o", script)
	text := string(readFile(t, script))
	if !strings.Contains(text, "--spikes '"+outDir+"/spikes-{index}.csv'") || !strings.Contains(text, `--threads "${SLURM_CPUS_PER_TASK:-2}"`) || strings.Contains(text, "--jobs") {
		t.Fatalf("script:\n%s", text)
	}
	for task := range 2 {
		runArrayTask(t, script, task, "SLURM_CPUS_PER_TASK=2")
	}
	manifests, _ := filepath.Glob(filepath.Join(outDir, "manifest-*.csv"))
	var stderr bytes.Buffer
	if code := run(append([]string{"merge", "-o", filepath.Join(outDir, "manifest.csv"), "--job", script}, manifests...), &bytes.Buffer{}, &stderr); code != 0 {
		t.Fatalf("merge: exit %d\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "4 sets, 4 ok") {
		t.Errorf("merge: %s", stderr.String())
	}
	// set 3 of the exploration's product: exc.a = 0.1, exc.I = 8
	runBin(t, bin, "--set", "exc.a=0.1", "--set", "exc.I=8", "-o", filepath.Join(dir, "set.csv"), "--spikes", filepath.Join(dir, "set-spikes.csv"))
	if !bytes.Equal(readFile(t, filepath.Join(outDir, "3.csv")), readFile(t, filepath.Join(dir, "set.csv"))) ||
		!bytes.Equal(readFile(t, filepath.Join(outDir, "spikes-3.csv")), readFile(t, filepath.Join(dir, "set-spikes.csv"))) {
		t.Error("set 3 of the job differs from the --set run of its values")
	}
}
