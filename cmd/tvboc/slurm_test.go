package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

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
	runTvboc(t, "slurm", "-q", "--cache-dir", filepath.Join(dir, "cache"), seedExperiment, "--sweep", sweepFile,
		"--tasks", "4", "--record", "all", "--bin", bin, "--out-dir", outDir, "-o", filepath.Join(dir, "ex2.sbatch"),
		"--submit", "--wait")
	var manifests []string
	for i := range 4 {
		manifests = append(manifests, filepath.Join(outDir, "manifest-"+string(rune('0'+i))+".csv"))
	}
	merged := filepath.Join(outDir, "manifest.csv")
	runTvboc(t, append([]string{"merge", "-q", "-o", merged}, manifests...)...)

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
	if len(logs) != 4 {
		t.Errorf("%d task logs, want 4 (one per array task): %v", len(logs), logs)
	}
}
