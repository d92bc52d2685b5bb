package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestArrayTasksRerun runs the job script tvboc slurm writes the way Slurm
// would run a subset of its tasks (sbatch --array=0,2 sets
// SLURM_ARRAY_TASK_MIN=0 and _COUNT=2), without a cluster: each task must
// run exactly its own shard of the fixed four, tvboc merge must name the
// two missing shards and print the commands that run them, and those
// commands must complete the sweep, equal to a local one byte for byte.
func TestArrayTasksRerun(t *testing.T) {
	skipUnlessJobScripts(t)
	dir := t.TempDir()
	sweepFile := filepath.Join(dir, "sweep.csv")
	mustDo(t, os.WriteFile(sweepFile, []byte(sweepSets), 0o644))
	outDir := filepath.Join(dir, "out")
	bin := filepath.Join(dir, "ex2")
	script := filepath.Join(dir, "ex2.sbatch")
	runTvboc(t, "slurm", "-q", "--cache-dir", filepath.Join(dir, "cache"), seedExperiment, "--sweep", sweepFile,
		"--tasks", "4", "--bin", bin, "--out-dir", outDir, "-o", script)

	for _, task := range []int{0, 2} {
		runArrayTask(t, script, task, "SLURM_ARRAY_TASK_MIN=0",
			"SLURM_ARRAY_TASK_MAX=2", "SLURM_ARRAY_TASK_STEP=2", "SLURM_ARRAY_TASK_COUNT=2", "SLURM_CPUS_PER_TASK=1")
	}
	// 8 sets in 4 shards: shard 0 is sets 0-1, shard 2 sets 4-5.
	for _, name := range []string{"0.csv", "1.csv", "4.csv", "5.csv", "manifest-0.csv", "manifest-2.csv"} {
		if _, err := os.Stat(filepath.Join(outDir, name)); err != nil {
			t.Errorf("after tasks 0 and 2: %v", err)
		}
	}
	for _, name := range []string{"2.csv", "3.csv", "6.csv", "7.csv", "manifest-1.csv"} {
		if _, err := os.Stat(filepath.Join(outDir, name)); err == nil {
			t.Errorf("after tasks 0 and 2, %s exists: a task ran more than its shard", name)
		}
	}

	merged := filepath.Join(outDir, "manifest.csv")
	manifests, _ := filepath.Glob(filepath.Join(outDir, "manifest-*.csv"))
	var stderr bytes.Buffer
	code := run(append([]string{"merge", "-o", merged, "--job", script}, manifests...), &bytes.Buffer{}, &stderr)
	wantLines := []string{
		"tvboc: the sweep has 8 sets, but no manifest lists sets 2-3, 6-7: shards 1,3 of 4 did not finish (--allow-missing merges what is there)",
		"Run them again through Slurm:",
		"  sbatch --array=1,3 " + script,
		"or on this machine:",
		"  " + bin + " --sweep " + sweepFile + " --shard 1/4 --record v -o '" + outDir + "/{index}.csv'",
		"  " + bin + " --sweep " + sweepFile + " --shard 3/4 --record v -o '" + outDir + "/{index}.csv'",
		"then merge again.",
	}
	if diff := cmp.Diff(wantLines, strings.Split(strings.TrimSpace(stderr.String()), "\n")); code != 1 || diff != "" {
		t.Fatalf("merge with shards missing: exit %d (want 1), message (-want +got):\n%s", code, diff)
	}
	if _, err := os.Stat(merged); err == nil {
		t.Errorf("merge wrote %s although sets are missing", merged)
	}
	// Without --job it still names the shards.
	stderr.Reset()
	run(append([]string{"merge", "-o", merged}, manifests...), &bytes.Buffer{}, &stderr)
	if !strings.Contains(stderr.String(), "shards 1,3 of 4 did not finish") || !strings.Contains(stderr.String(), "sbatch --array=1,3 JOB.sbatch") {
		t.Errorf("merge without --job:\n%s", stderr.String())
	}

	// The printed local commands complete the sweep.
	for _, line := range wantLines[4:6] {
		if out, err := exec.Command("bash", "-c", strings.TrimSpace(line)+" --quiet").CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", line, err, out)
		}
	}
	manifests, _ = filepath.Glob(filepath.Join(outDir, "manifest-*.csv"))
	runTvboc(t, append([]string{"merge", "-q", "-o", merged, "--job", script}, manifests...)...)
	local := filepath.Join(dir, "local")
	mustDo(t, os.Mkdir(local, 0o755))
	runBinary(t, 0, bin, "--sweep", sweepFile, "--quiet", "-o", filepath.Join(local, "{index}.csv"))
	if diff := cmp.Diff(manifestRows(t, filepath.Join(local, "manifest.csv")), manifestRows(t, merged)); diff != "" {
		t.Errorf("re-run shards vs local manifest (-want +got):\n%s", diff)
	}
	for i := range 8 {
		name := strconv.Itoa(i) + ".csv"
		sameFile(t, filepath.Join(local, name), filepath.Join(outDir, name))
	}
}

// TestMergeExitStatus: a merged sweep with failed or invalid sets exits 1
// (the merged manifest is still written), --allow-failed exits 0.
func TestMergeExitStatus(t *testing.T) {
	dir := t.TempDir()
	header := "index,x.a,status,output,wall_seconds,sweep_sets,shard,error\n"
	m0 := filepath.Join(dir, "manifest-0.csv")
	m1 := filepath.Join(dir, "manifest-1.csv")
	mustDo(t, os.WriteFile(m0, []byte(header+"0,1,ok,0.csv,0.1,3,0/2,\n"), 0o644))
	mustDo(t, os.WriteFile(m1, []byte(header+"1,x,invalid,,0,3,1/2,line 3: x.a is not a number\n2,-1,failed,,0.1,3,1/2,the run diverged\n"), 0o644))
	for _, tt := range []struct {
		flags []string
		code  int
		want  string
	}{
		{nil, 1, "2 of 3 sets failed or were invalid"},
		{[]string{"-q"}, 1, "2 of 3 sets failed or were invalid"},
		{[]string{"--allow-failed"}, 0, "3 sets, 1 ok, 1 invalid, 1 failed"},
	} {
		out := filepath.Join(dir, "manifest.csv")
		os.Remove(out)
		var stderr bytes.Buffer
		code := run(append(append([]string{"merge", "-o", out}, tt.flags...), m0, m1), &bytes.Buffer{}, &stderr)
		if code != tt.code || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("merge %v: exit %d (want %d), stderr %q, want it to contain %q", tt.flags, code, tt.code, stderr.String(), tt.want)
		}
		if _, err := os.Stat(out); err != nil {
			t.Errorf("merge %v: no merged manifest: %v", tt.flags, err)
		}
	}
}

// TestDivergenceOneRule: a set that diverges fails a single run exactly as
// it fails in a sweep: exit 1, no output, the same message (column, time,
// step); --allow-nonfinite writes it in both.
func TestDivergenceOneRule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "ex2")
	runTvboc(t, "compile", "-q", "--cache-dir", filepath.Join(dir, "cache"), "--free", "izBurst.a", seedExperiment, "-o", bin)
	single := filepath.Join(dir, "x.csv")
	out := runBinary(t, 1, bin, "--set", "izBurst.a=1e300", "-o", single)
	if _, err := os.Stat(single); err == nil {
		t.Errorf("a diverged single run wrote %s", single)
	}
	msg, ok := strings.CutPrefix(strings.TrimSpace(out), "ex2: error: ")
	if !ok || !strings.HasPrefix(msg, "the run diverged: izBurst_pop[0]/") || !strings.Contains(msg, " (step ") {
		t.Fatalf("single run: %q", out)
	}

	sweepFile := filepath.Join(dir, "sweep.csv")
	mustDo(t, os.WriteFile(sweepFile, []byte("izBurst.a\n0.02\n1e300\n"), 0o644))
	sweepDir := filepath.Join(dir, "sweep")
	mustDo(t, os.Mkdir(sweepDir, 0o755))
	runBinary(t, 1, bin, "--sweep", sweepFile, "--quiet", "-o", filepath.Join(sweepDir, "{index}.csv"))
	rows := manifestRows(t, filepath.Join(sweepDir, "manifest.csv"))
	last := len(rows[0]) - 1
	if rows[2][2] != "failed" || rows[2][last] != msg {
		t.Errorf("sweep set 1: status %s, error %q; want failed and the single run's %q", rows[2][2], rows[2][last], msg)
	}
	if _, err := os.Stat(filepath.Join(sweepDir, "1.csv")); err == nil {
		t.Errorf("the diverged set of the sweep wrote its output")
	}
	runBinary(t, 0, bin, "--sweep", sweepFile, "--quiet", "--allow-nonfinite", "-o", filepath.Join(sweepDir, "{index}.csv"))
	runBinary(t, 0, bin, "--set", "izBurst.a=1e300", "--quiet", "--allow-nonfinite", "-o", single)
	sameFile(t, single, filepath.Join(sweepDir, "1.csv"))
	if data, _ := os.ReadFile(single); !strings.Contains(string(data), "NaN") {
		t.Errorf("--allow-nonfinite output holds no NaN")
	}
}

// TestSlurmPreflight: tvboc slurm reports what would fail on the cluster,
// one line each with its fix, and writes and submits nothing. A stand-in
// sinfo on PATH plays a cluster with partitions debug (the default) and
// compute, nodes of 2 CPUs.
func TestSlurmPreflight(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "bin")
	mustDo(t, os.Mkdir(fake, 0o755))
	mustDo(t, os.WriteFile(filepath.Join(fake, "sinfo"), []byte(`#!/bin/sh
case "$*" in
*%P*) printf 'debug*\ncompute\n' ;;
*%c*) printf '2\n2\n' ;;
esac
`), 0o755))
	t.Setenv("PATH", fake+string(os.PathListSeparator)+os.Getenv("PATH"))
	sweepFile := filepath.Join(dir, "sweep.csv")
	mustDo(t, os.WriteFile(sweepFile, []byte(sweepSets), 0o644))
	script := filepath.Join(dir, "job.sbatch")
	args := []string{"slurm", "-q", "--cache-dir", filepath.Join(dir, "cache"), seedExperiment, "--sweep", sweepFile, "-o", script,
		"--out-dir", filepath.Join(dir, "out"), "--submit"}
	var stderr bytes.Buffer
	code := run(append(args, "--partition", "gpu", "--cpus", "8"), &bytes.Buffer{}, &stderr)
	want := `tvboc: partition "gpu" does not exist (sinfo lists debug, compute): choose one with --partition` + "\n" +
		"tvboc: nothing written or submitted\n"
	if code != 1 || stderr.String() != want {
		t.Errorf("unknown partition: exit %d, stderr\n%s\nwant\n%s", code, stderr.String(), want)
	}
	stderr.Reset()
	code = run(append(args, "--cpus", "8"), &bytes.Buffer{}, &stderr)
	want = "tvboc: --cpus 8 does not fit a node of partition debug (the largest has 2 CPUs): use --cpus 2 or fewer\n" +
		"tvboc: nothing written or submitted\n"
	if code != 1 || stderr.String() != want {
		t.Errorf("too many CPUs: exit %d, stderr\n%s\nwant\n%s", code, stderr.String(), want)
	}
	if _, err := os.Stat(script); err == nil {
		t.Errorf("the script was written although the checks failed")
	}
	if os.Geteuid() == 0 {
		t.Log("running as root: the read-only output directory is not checked (root writes anyway)")
		return
	}
	readOnly := filepath.Join(dir, "ro")
	mustDo(t, os.Mkdir(readOnly, 0o555))
	stderr.Reset()
	code = run(append(args[:len(args)-3], "--out-dir", readOnly, "--partition", "compute"), &bytes.Buffer{}, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "cannot write to the output directory "+readOnly) || strings.Count(stderr.String(), "\n") != 2 {
		t.Errorf("read-only output directory: exit %d, stderr\n%s", code, stderr.String())
	}
}

// TestTimeFlagsRefusedWhereIgnored: --dt, --duration and --data change
// what an experiment compiles to; a command that compiles nothing refuses
// them instead of ignoring them.
func TestTimeFlagsRefusedWhereIgnored(t *testing.T) {
	// The flags set these for the compiler; restored after the test.
	t.Setenv("TVBOC_DURATION", "")
	t.Setenv("TVBOC_DT", "")
	for _, args := range [][]string{
		{"merge", "--duration", "400", "-o", "m.csv", "x.csv"},
		{"compare", "--dt", "0.1", "a.csv", "b.csv"},
		{"sweep", "--duration", "400", seedExperiment},
	} {
		var stderr bytes.Buffer
		code := run(args, &bytes.Buffer{}, &stderr)
		if want := "applies to the commands that read an experiment"; code != 2 || !strings.Contains(stderr.String(), want) {
			t.Errorf("tvboc %s: exit %d, stderr %q, want 2 and %q", strings.Join(args, " "), code, stderr.String(), want)
		}
	}
}

// skipUnlessJobScripts skips a test that builds a binary and runs the job
// script tvboc slurm writes, in -short mode or without bash.
func skipUnlessJobScripts(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a binary")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash to run the job script")
	}
}

// runArrayTask runs task of a job script as Slurm would run that array
// task, with env added to the environment.
func runArrayTask(t *testing.T, script string, task int, env ...string) {
	t.Helper()
	cmd := exec.Command("bash", script)
	cmd.Env = append(append(os.Environ(), "SLURM_ARRAY_TASK_ID="+strconv.Itoa(task)), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("task %d: %v\n%s", task, err, out)
	}
}
