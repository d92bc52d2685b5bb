package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestSlurmArraySweep is the end-to-end test of sweeps on a cluster: a real
// Slurm (scripts/slurm-up.sh starts a single-node one and sets
// TVBOC_SLURM=1) runs the seed sweep as a 4-task job array; the merged
// result must equal a local sweep with the same binary, byte for byte.
func TestSlurmArraySweep(t *testing.T) {
	if os.Getenv("TVBOC_SLURM") != "1" {
		t.Skip("no Slurm cluster: run scripts/slurm-up.sh (as root) and set the environment it prints")
	}
	if _, err := exec.LookPath("sbatch"); err != nil {
		t.Fatalf("TVBOC_SLURM=1 but sbatch is not on PATH: %v", err)
	}
	dir := t.TempDir()
	// slurmd runs the tasks as the submitting user, who must reach the
	// binary and write the results.
	mustDo(t, os.Chmod(dir, 0o755))
	sweepFile := filepath.Join(dir, "sweep.csv")
	mustDo(t, os.WriteFile(sweepFile, []byte(sweepSets), 0o644))
	outDir := filepath.Join(dir, "cluster")
	bin := filepath.Join(dir, "ex2")
	script := filepath.Join(dir, "ex2.sbatch")
	job := strings.TrimSpace(runTvboc(t, "slurm", "-q", "--cache-dir", filepath.Join(dir, "cache"), seedExperiment, "--sweep", sweepFile,
		"--tasks", "4", "--record", "all", "--bin", bin, "--out-dir", outDir, "-o", script,
		"--submit", "--wait"))
	wantStates(t, job, map[string]string{"_0": "COMPLETED 0:0", "_1": "COMPLETED 0:0", "_2": "COMPLETED 0:0", "_3": "COMPLETED 0:0"})
	var manifests []string
	for i := range 4 {
		manifests = append(manifests, filepath.Join(outDir, "manifest-"+string(rune('0'+i))+".csv"))
	}
	merged := filepath.Join(outDir, "manifest.csv")
	runTvboc(t, append([]string{"merge", "-q", "-o", merged}, manifests...)...)

	// One task again, through Slurm alone: it redoes exactly its shard
	// (sets 4 and 5 of 8), and the merge is whole again.
	for _, name := range []string{"4.csv", "5.csv", "manifest-2.csv"} {
		mustDo(t, os.Remove(filepath.Join(outDir, name)))
	}
	left, _ := filepath.Glob(filepath.Join(outDir, "manifest-*.csv")) // as the shell would
	var stderr bytes.Buffer
	if code := run(append([]string{"merge", "-o", merged, "--job", script}, left...), &bytes.Buffer{}, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "sbatch --array=2 "+script) {
		t.Fatalf("merge without shard 2: exit %d\n%s", code, stderr.String())
	}
	out, err := exec.Command("sbatch", "--parsable", "--wait", "--array=2", script).CombinedOutput()
	if err != nil {
		t.Fatalf("sbatch --array=2: %v\n%s", err, out)
	}
	wantStates(t, strings.TrimSpace(string(out)), map[string]string{"_2": "COMPLETED 0:0"})
	runTvboc(t, append([]string{"merge", "-q", "-o", merged, "--job", script}, manifests...)...)

	local := filepath.Join(dir, "local")
	mustDo(t, os.Mkdir(local, 0o755))
	runBinary(t, 0, bin, "--sweep", sweepFile, "--record", "all", "--quiet", "-o", filepath.Join(local, "{index}.csv"))
	if diff := cmp.Diff(manifestRows(t, filepath.Join(local, "manifest.csv")), manifestRows(t, merged)); diff != "" {
		t.Errorf("cluster vs local manifest (-want +got):\n%s", diff)
	}
	for i := range 8 {
		name := string(rune('0'+i)) + ".csv"
		sameFile(t, filepath.Join(local, name), filepath.Join(outDir, name))
	}
	logs, _ := filepath.Glob(filepath.Join(outDir, "slurm-*_*.log"))
	if len(logs) != 5 {
		t.Errorf("%d task logs, want 5 (one per array task, one of the rerun): %v", len(logs), logs)
	}
}

// TestSlurmPopulationSweep: the same through a real Slurm for a
// population network whose explorations give the sets: two array tasks,
// each running its sets one at a time on its cores, both COMPLETED 0:0,
// and every set's traces and spikes byte for byte those of a local sweep.
func TestSlurmPopulationSweep(t *testing.T) {
	if os.Getenv("TVBOC_SLURM") != "1" {
		t.Skip("no Slurm cluster: run scripts/slurm-up.sh (as root) and set the environment it prints")
	}
	dir := t.TempDir()
	mustDo(t, os.Chmod(dir, 0o755))
	outDir, bin, script := filepath.Join(dir, "cluster"), filepath.Join(dir, "pop"), filepath.Join(dir, "pop.sbatch")
	job := strings.TrimSpace(runTvboc(t, "slurm", "-q", "--cache-dir", filepath.Join(dir, "cache"), freeExperiment,
		"--tasks", "2", "--bin", bin, "--out-dir", outDir, "-o", script, "--submit", "--wait"))
	wantStates(t, job, map[string]string{"_0": "COMPLETED 0:0", "_1": "COMPLETED 0:0"})
	manifests, _ := filepath.Glob(filepath.Join(outDir, "manifest-*.csv"))
	merged := filepath.Join(outDir, "manifest.csv")
	runTvboc(t, append([]string{"merge", "-q", "-o", merged, "--job", script}, manifests...)...)
	local := filepath.Join(dir, "local")
	mustDo(t, os.Mkdir(local, 0o755))
	runBinary(t, 0, bin, "--sweep", filepath.Join(outDir, "sweep.csv"), "--quiet",
		"-o", filepath.Join(local, "{index}.csv"), "--spikes", filepath.Join(local, "spikes-{index}.csv"))
	for i := range 4 {
		for _, name := range []string{strconv.Itoa(i) + ".csv", "spikes-" + strconv.Itoa(i) + ".csv"} {
			sameFile(t, filepath.Join(local, name), filepath.Join(outDir, name))
		}
	}
}

// wantStates waits until accounting (scripts/slurm-up.sh runs slurmdbd)
// has every task of job in a final state, then compares "State ExitCode"
// per task suffix ("_2") with want.
func wantStates(t *testing.T, job string, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		out, err := exec.Command("sacct", "-j", job, "-X", "-n", "-P", "--format=JobID,State,ExitCode").Output()
		if err != nil {
			t.Fatalf("sacct -j %s: %v (is accounting up? scripts/slurm-up.sh starts slurmdbd)", job, err)
		}
		got = map[string]string{}
		final := true
		for line := range strings.Lines(string(out)) {
			f := strings.Split(strings.TrimSpace(line), "|")
			if len(f) != 3 {
				continue
			}
			got[strings.TrimPrefix(f[0], job)] = f[1] + " " + f[2]
			final = final && f[1] != "PENDING" && f[1] != "RUNNING" && f[1] != "COMPLETING"
		}
		for task := range want {
			final = final && got[task] != ""
		}
		if final {
			break
		}
	}
	for task, state := range want {
		if got[task] != state {
			t.Errorf("job %s task %s: sacct says %q, want %q (all: %v)", job, task, got[task], state, got)
		}
	}
}

// TestSlurmScale runs a sweep of 10,000 sets in 8 array tasks on the
// single-node cluster (1 ms of the seed each, so that the test weighs the
// bookkeeping, not the simulation): every task must complete, the merge
// must list every set once as ok, and sampled sets must equal --set runs
// byte for byte.
func TestSlurmScale(t *testing.T) {
	if os.Getenv("TVBOC_SLURM") != "1" {
		t.Skip("no Slurm cluster: run scripts/slurm-up.sh (as root) and set the environment it prints")
	}
	t.Setenv("TVBOC_DURATION", "") // restored after --duration sets it
	dir := t.TempDir()
	mustDo(t, os.Chmod(dir, 0o755))
	var rows strings.Builder
	rows.WriteString("izBurst.a,izBurst.d\n")
	for i := range 100 {
		for j := range 100 {
			rows.WriteString(strconv.FormatFloat(0.01+0.0003*float64(i), 'g', -1, 64) + "," + strconv.Itoa(1+j%9) + "\n")
		}
	}
	sweepFile := filepath.Join(dir, "sweep.csv")
	mustDo(t, os.WriteFile(sweepFile, []byte(rows.String()), 0o644))
	outDir := filepath.Join(dir, "out")
	bin := filepath.Join(dir, "ex2")
	script := filepath.Join(dir, "ex2.sbatch")
	// The output is the job id, then notes on the inputs' windows that
	// 1 ms cuts off.
	job, _, _ := strings.Cut(runTvboc(t, "slurm", "-q", "--duration", "1", "--cache-dir", filepath.Join(dir, "cache"), seedExperiment,
		"--sweep", sweepFile, "--tasks", "8", "--bin", bin, "--out-dir", outDir, "-o", script, "--submit", "--wait"), "\n")
	want := map[string]string{}
	for i := range 8 {
		want["_"+strconv.Itoa(i)] = "COMPLETED 0:0"
	}
	wantStates(t, job, want)
	manifests, _ := filepath.Glob(filepath.Join(outDir, "manifest-*.csv"))
	merged := filepath.Join(outDir, "manifest.csv")
	runTvboc(t, append([]string{"merge", "-q", "-o", merged, "--job", script}, manifests...)...)
	rowsOut := manifestRows(t, merged)
	if len(rowsOut) != 10001 {
		t.Fatalf("merged manifest has %d sets, want 10000", len(rowsOut)-1)
	}
	for i, r := range rowsOut[1:] {
		if r[0] != strconv.Itoa(i) || r[3] != "ok" {
			t.Fatalf("merged row %d: %v", i, r)
		}
	}
	for _, i := range []int{0, 1249, 1250, 5000, 9999} {
		r := rowsOut[1+i]
		single := filepath.Join(dir, "single.csv")
		runBinary(t, 0, bin, "--quiet", "--set", "izBurst.a="+r[1], "--set", "izBurst.d="+r[2], "-o", single)
		sameFile(t, single, filepath.Join(outDir, strconv.Itoa(i)+".csv"))
	}
}
