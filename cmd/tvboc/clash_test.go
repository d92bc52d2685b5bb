package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tvboc/tvboc/compiler/brain"
)

// TestCommandOutputsAreNotInputs: no tvboc command writes over a file it
// reads, or writes two of its outputs to one file: slurm's --bin onto
// the experiment or the sweep file, or onto its own script; render's -o
// onto the connectome the experiment reads; a study experiment's binary
// onto the study; merge's -o onto a shard manifest or onto a set's
// results that the manifests list, and -o and --npy on one file. Each is
// a usage error (exit 2) that leaves the file as it was.
func TestCommandOutputsAreNotInputs(t *testing.T) {
	cache, err := buildCache()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	copyFile := func(from, to string) string {
		t.Helper()
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, to)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	exp := copyFile("../../testdata/sweep/ex2_explore.yaml", "ex2.yaml")
	study := copyFile("../../testdata/studies/decay.yaml", "decay.yaml")
	brainExp := copyFile("../../testdata/tvb/network_file/by_path.yaml", "net/by_path.yaml")
	weights := copyFile("../../testdata/tvb/tiny/tiny_weights.csv", "tiny/tiny_weights.csv")
	copyFile("../../testdata/tvb/tiny/tiny_lengths.csv", "tiny/tiny_lengths.csv")

	tvboc := func(args ...string) (int, string) {
		var stdout, stderr bytes.Buffer
		code := run(args, &stdout, &stderr)
		return code, stderr.String()
	}
	at := func(name string) string { return filepath.Join(dir, name) }
	bin := at("sim")
	if code, out := tvboc("compile", "-q", "--cache-dir", cache, exp, "-o", bin); code != 0 {
		t.Fatalf("compile: %d %s", code, out)
	}
	sweepFile := at("sw.csv")
	if code, out := tvboc("sweep", exp, "-o", sweepFile); code != 0 {
		t.Fatalf("sweep: %d %s", code, out)
	}
	for _, shard := range []string{"0", "1"} {
		cmd := exec.Command(bin, "--sweep", sweepFile, "--shard", shard+"/2", "-o", "{index}.csv", "--manifest", "manifest-"+shard+".csv", "--quiet")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("shard %s: %v\n%s", shard, err, out)
		}
	}
	m0, m1 := at("manifest-0.csv"), at("manifest-1.csv")
	job := at("job.sbatch")
	if code, out := tvboc("slurm", "-q", "--cache-dir", cache, exp, "--sweep", sweepFile, "--tasks", "2", "-o", job, "--bin", at("jobsim")); code != 0 {
		t.Fatalf("slurm: %d %s", code, out)
	}

	tests := []struct {
		name   string
		args   []string
		intact string // the file that must stay as it was
		want   string
	}{
		{"slurm --bin the experiment", []string{"slurm", "-q", "--cache-dir", cache, exp, "-o", at("j.sbatch"), "--bin", exp}, exp, "would overwrite"},
		{"slurm --bin the sweep file", []string{"slurm", "-q", "--cache-dir", cache, exp, "--sweep", sweepFile, "-o", at("j.sbatch"), "--bin", sweepFile}, sweepFile, "would overwrite"},
		{"slurm --bin the script", []string{"slurm", "-q", "--cache-dir", cache, exp, "--sweep", sweepFile, "-o", at("j.sbatch"), "--bin", at("j.sbatch")}, "", "-o and --bin both name"},
		{"render onto the connectome", []string{"render", "lems", brainExp, "-o", weights}, weights, "which this command reads"},
		{"a study experiment onto the study", []string{"compile", "-q", "--cache-dir", cache, study, "--experiment", "1", "-o", study}, study, "which this command reads"},
		{"merge onto a shard manifest", []string{"merge", "-q", "-o", m0, m0, m1}, m0, "would overwrite"},
		{"merge onto a set's results", []string{"merge", "-q", "-o", at("3.csv"), m0, m1}, at("3.csv"), "would overwrite"},
		{"merge -o and --npy", []string{"merge", "-q", "-o", at("m.csv"), "--npy", at("m.csv"), m0, m1}, "", "-o and --npy both name"},
		// a re-run of a shard reads the job's sweep file again
		{"merge onto the job's sweep file", []string{"merge", "-q", "-o", sweepFile, "--job", job, m0, m1}, sweepFile, "would overwrite"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before []byte
			if tt.intact != "" {
				before, err = os.ReadFile(tt.intact)
				if err != nil {
					t.Fatal(err)
				}
			}
			code, out := tvboc(tt.args...)
			if code != 2 || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d, %q; want exit 2 and %q", code, out, tt.want)
			}
			if tt.intact != "" {
				if after, _ := os.ReadFile(tt.intact); !bytes.Equal(after, before) {
					t.Errorf("%s changed", tt.intact)
				}
			}
		})
	}
	// a job that is not written leaves no results directory behind
	if code, out := tvboc("slurm", "-q", "--cache-dir", cache, brainExp, "-o", at("net.sbatch")); code == 0 {
		t.Errorf("slurm of an experiment without explorations: exit 0, %s", out)
	}
	if _, err := os.Stat(at("by_path-sweep")); err == nil {
		t.Error("slurm that wrote no job left its results directory")
	}
}

// TestExperimentMustBeAFile: an experiment that is a pipe (a FIFO, or
// /dev/stdin fed by one) is refused at once: tvboc reads it more than
// once, and opening a FIFO that nobody writes waited for ever.
func TestExperimentMustBeAFile(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "exp.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	for _, cmd := range []string{"check", "compile", "gen", "run"} {
		var stdout, stderr bytes.Buffer
		done := make(chan int, 1)
		go func() { done <- run([]string{cmd, fifo}, &stdout, &stderr) }()
		select {
		case code := <-done:
			if code != 2 || !strings.Contains(stderr.String(), "is a pipe or a device, not a file") {
				t.Errorf("%s of a FIFO: exit %d, %q", cmd, code, stderr.String())
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("%s of a FIFO still waits after 20 s", cmd)
		}
	}
}

// TestFlagsOnce: a flag of tvboc's given twice is a usage error (pflag
// kept the last and ignored the first); lists may repeat, and the
// binary's flags after tvboc run's experiment are the binary's to check.
func TestFlagsOnce(t *testing.T) {
	exp := "../../testdata/networks/population_small/exp.yaml"
	out := filepath.Join(t.TempDir(), "x.go")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"gen", exp, "-o", out, "-o", out + "2"}, "-o (--output) is given 2 times"},
		{[]string{"gen", "--dt", "0.1", "--dt=0.2", exp}, "--dt is given 2 times"},
		{[]string{"check", "--duration", "5", exp, "--duration", "6"}, "--duration is given 2 times"},
		// not a flag twice, but a flag of tvboc's that was taken without a
		// word: a --data directory that is not there
		{[]string{"check", "--data", filepath.Join(t.TempDir(), "none"), exp}, "is not a directory (the directory of connectome files)"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tt.args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tt.args, code, stderr.String(), tt.want)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"gen", exp, "-o", out}, &stdout, &stderr); code != 0 {
		t.Errorf("gen with -o once: exit %d, %s", code, stderr.String())
	}
}

// TestFlagsForKind: a compile flag that changes nothing for the kind of
// program an experiment makes is refused, not dropped.
func TestFlagsForKind(t *testing.T) {
	// --coupling-float32 sets the compiler's variable for the process;
	// t.Setenv takes it back after the test (it leaked into later tests,
	// which then compiled whole-brain programs in float32)
	t.Setenv(brain.Float32Env, "")
	nodeList := "../../testdata/nodeloops/hh/exp.yaml"
	population := "../../testdata/networks/population_small/exp.yaml"
	wholeBrain := "../../testdata/tvb/network_file/by_path.yaml"
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"gen", "--weights", "float32", nodeList}, "--weights applies to population networks' synapse weights, and this experiment is a list of nodes"},
		{[]string{"gen", "--coupling-float32", population}, "--coupling-float32 applies to whole-brain networks' coupling, and this experiment is a population network"},
		{[]string{"gen", "--semantics", "ode", wholeBrain}, "--semantics applies to NeuroML/LEMS cells"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tt.args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tt.args, code, stderr.String(), tt.want)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"gen", "--weights", "float32", population}, &stdout, &stderr); code != 0 {
		t.Errorf("--weights float32 on a population: exit %d, %s", code, stderr.String())
	}
}

// TestZeroValuesBuild: a parameter of TVBO's NeuroML examples set to 0
// folds terms away (an NMDA block at zero magnesium, a synapse of zero
// conductance or weight), and what they read must go with them: the
// snapshot of a peer's voltage and the delayed copy of v were left
// declared and unread, and go build refused the program that check had
// accepted.
func TestZeroValuesBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	dir := filepath.Join(referenceRoot, "tvbo", "neuroml")
	cache, err := buildCache()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ example, from, to string }{
		{"Ex27.yaml", "blockConcentration: {value: 1.2, unit: mM}", "blockConcentration: {value: 0, unit: mM}"},
		{"Ex26.yaml", "conductance: { value: 100, unit: pS }", "conductance: { value: 0, unit: pS }"},
		{"Ex26.yaml", "weight: { value: 2 }", "weight: { value: 0 }"},
		{"Ex16.yaml", "gbase: { value: 1, unit: nS }", "gbase: { value: 0, unit: nS }"},
	} {
		t.Run(tt.example+" "+tt.to, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(dir, tt.example))
			if err != nil {
				t.Skipf("TVBO's NeuroML examples are not here (../shared/reference): %v", err)
			}
			mutated := strings.Replace(string(src), tt.from, tt.to, 1)
			if mutated == string(src) {
				t.Fatalf("%s no longer holds %q", tt.example, tt.from)
			}
			exp := filepath.Join(t.TempDir(), tt.example)
			if err := os.WriteFile(exp, []byte(mutated), 0o644); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			if code := run([]string{"compile", "-q", "--cache-dir", cache, exp, "-o", filepath.Join(t.TempDir(), "sim")}, &stdout, &stderr); code != 0 {
				t.Errorf("exit %d:\n%s", code, stderr.String())
			}
		})
	}
}

// TestPopulationRandomSeed: execution.random_seed seeds a population
// network as integration.parameters.seed does (it was ignored): the
// program draws what the program without it draws under --seed.
func TestPopulationRandomSeed(t *testing.T) {
	src, err := os.ReadFile("../../testdata/errors/execution_key_misspelt/exp.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, execution string) string {
		path := filepath.Join(dir, name)
		text := strings.Replace(string(src), "execution: {random_sed: 5}", execution, 1)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	seeded := runTableFile(t, write("seeded.yaml", "execution: {random_seed: 6}"))
	out := filepath.Join(dir, "flag.csv")
	compileAndRun(t, write("plain.yaml", ""), "--quiet", "--record", "all", "--seed", "6", "-o", out)
	a, b := readFile(t, seeded), readFile(t, out)
	if !bytes.Equal(a, b) {
		t.Error("execution.random_seed 6 draws another network than --seed 6")
	}
	unseeded := runTableFile(t, write("unseeded.yaml", ""))
	if bytes.Equal(readFile(t, unseeded), a) {
		t.Error("execution.random_seed 6 draws what no seed draws: it is ignored")
	}
}
