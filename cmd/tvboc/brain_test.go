package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/brain"
)

// TestCouplingFloat32Flag: --coupling-float32 turns a whole-brain
// program's delay history and weights into float32 (through
// TVBOC_COUPLING_FLOAT32), and without it they stay float64.
func TestCouplingFloat32Flag(t *testing.T) {
	exp := "../../testdata/tvb/per_stage/kuramoto_delays_noise.yaml"
	for _, tc := range []struct {
		args []string
		f32  bool
	}{
		{[]string{"gen", exp}, false},
		{[]string{"gen", "--coupling-float32", exp}, true},
		{[]string{"gen", "--coupling-float32=false", exp}, false},
	} {
		t.Setenv(brain.Float32Env, "") // restored after the test
		var stdout, stderr bytes.Buffer
		if code := run(tc.args, &stdout, &stderr); code != 0 {
			t.Fatalf("tvboc %v: exit %d: %s", tc.args, code, stderr.String())
		}
		src := stdout.String()
		if got := strings.Contains(src, "coupling0Weight = [8]float32{"); got != tc.f32 {
			t.Errorf("tvboc %v: float32 weights %v, want %v", tc.args, got, tc.f32)
		}
		if !tc.f32 && !strings.Contains(src, "Weight = [8]float64{") { // coupling0Weight, or coupling0TWeight when blocked
			t.Errorf("tvboc %v: no float64 weights table", tc.args)
		}
	}
}

// TestBrainSeedFlag: a whole-brain binary's noise starts from --seed
// (it started from the experiment's seed whatever --seed said), the
// experiment's seed is the default, and a --seed given to a program that
// draws nothing is said to change nothing, once.
func TestBrainSeedFlag(t *testing.T) {
	dir := t.TempDir()
	noisy := filepath.Join(dir, "noisy")
	runTvboc(t, "compile", "--quiet", "../../testdata/tvb/per_stage/kuramoto_delays_noise.yaml", "-o", noisy) // noise seed 7
	results := map[string]string{}
	for name, args := range map[string][]string{"default": nil, "seed7": {"--seed", "7"}, "seed8": {"--seed", "8"}} {
		out := filepath.Join(dir, name+".csv")
		if msg := runBinary(t, 0, noisy, append([]string{"--quiet", "-o", out}, args...)...); strings.Contains(msg, "warning") {
			t.Errorf("%s: %s", name, msg)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		results[name] = string(data)
	}
	if results["default"] != results["seed7"] {
		t.Error("--seed 7 differs from the experiment's seed 7")
	}
	if results["seed7"] == results["seed8"] {
		t.Error("--seed 8 gives seed 7's noise")
	}

	plain := compileSource(t, dir, "plain", "dynamics: {iri: tvbo:Generic2dOscillator}\nnetwork: {number_of_nodes: 2}\nintegration: {method: heun, step_size: 0.1, duration: 10}\n")
	const warning = "warning: --seed 5 changed nothing: this run drew no random numbers"
	if msg := runBinary(t, 0, plain, "--quiet", "-o", filepath.Join(dir, "a.csv"), "--seed", "5"); strings.Count(msg, warning) != 1 {
		t.Errorf("--seed on a program without noise: %q, want %q once", msg, warning)
	}
	if msg := runBinary(t, 0, plain, "--quiet", "-o", filepath.Join(dir, "b.csv")); strings.Contains(msg, "warning") {
		t.Errorf("without --seed: %q", msg)
	}
}

// TestBrainStreamsNotHeld: a whole-brain program streams its rows to -o,
// so its memory check does not count them (a recording of 70 MB was
// refused under a 30 MB limit although the run peaks at 10 MB).
func TestBrainStreamsNotHeld(t *testing.T) {
	dir := t.TempDir()
	bin := compileSource(t, dir, "sim", "dynamics: {iri: tvbo:Generic2dOscillator}\nnetwork: {number_of_nodes: 8}\nintegration: {method: heun, step_size: 0.1, duration: 2000}\n")
	// 20,001 rows x 17 columns x 8 bytes: 2.7 MB, over a 1 MB limit
	cmd := exec.Command(bin, "--quiet", "-o", filepath.Join(dir, "out.npy"))
	cmd.Env = append(os.Environ(), "TVBOC_MEMORY_LIMIT=1M")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("a streamed run under a memory limit smaller than its rows: %v\n%s", err, out)
	}
}

// compileSource writes an experiment to NAME.yaml in dir and compiles it
// to the binary NAME there, returning its path.
func compileSource(t *testing.T, dir, name, src string) string {
	t.Helper()
	exp := filepath.Join(dir, name+".yaml")
	if err := os.WriteFile(exp, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, name)
	runTvboc(t, "compile", "--quiet", exp, "-o", bin)
	return bin
}
