package brain_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/brain"
	"github.com/tvboc/tvboc/compiler/load"
)

// TestFreeSpeedAndCoupling frees the conduction speed (delays computed at
// run time) and the coupling strength of the Kuramoto golden: at the
// defaults the output is byte-identical to the folded build, and with
// --set it is byte-identical to a build of the experiment rewritten with
// those values folded.
func TestFreeSpeedAndCoupling(t *testing.T) {
	golden := filepath.Join(sharedReference, "golden", "tvb", "kuramoto_dk_delays.yaml")
	data := filepath.Join(sharedReference, "tvbo", "connectomes")
	src, err := os.ReadFile(golden)
	if err != nil {
		t.Skipf("TVB goldens not found (they live next to the repository, in ../shared/reference): %v", err)
	}
	free := brain.Options{DataDir: data, Free: []string{"network.conduction_speed", "c.G"}, Duration: 200}
	folded := brain.Options{DataDir: data, Duration: 200}
	read := func(path string) []byte {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	atDefaults := read(runBinary(t, compileBrain(t, golden, free)))
	if want := read(runBinary(t, compileBrain(t, golden, folded))); !bytes.Equal(atDefaults, want) {
		t.Error("free parameters at their defaults change the output")
	}
	// the same experiment with speed 1.7 mm/ms and G 0.004 written in
	rewritten := strings.Replace(strings.Replace(string(src),
		"conduction_speed: {value: 3.0", "conduction_speed: {value: 1.7", 1),
		"G: {value: 0.0011904761904761906}", "G: {value: 0.004}", 1)
	if rewritten == string(src) {
		t.Fatal("the golden experiment changed; update the rewrite")
	}
	// keep the file next to the golden's name for messages, in a temp dir
	path := filepath.Join(t.TempDir(), "kuramoto.yaml")
	if err := os.WriteFile(path, []byte(rewritten), 0o644); err != nil {
		t.Fatal(err)
	}
	set := read(runBinary(t, compileBrain(t, golden, free), "--set", "network.conduction_speed=1.7", "--set", "c.G=0.004"))
	if want := read(runBinary(t, compileBrain(t, path, folded))); !bytes.Equal(set, want) {
		t.Error("--set network.conduction_speed=1.7 --set c.G=0.004 differs from the experiment with those values")
	}
	if bytes.Equal(set, atDefaults) {
		t.Error("--set changed nothing")
	}
	// the speed carries its unit: mm/ms, which is also m/s
	withUnit := read(runBinary(t, compileBrain(t, golden, free), "--set", "network.conduction_speed=1.7m/s", "--set", "c.G=0.004"))
	if !bytes.Equal(withUnit, set) {
		t.Error("--set network.conduction_speed=1.7m/s differs from =1.7 (mm/ms)")
	}
}

// TestFreeNames checks how free parameter names resolve and the message
// for one that names nothing.
func TestFreeNames(t *testing.T) {
	exp := "../../testdata/tvb/suphopf_limit_cycle/exp.yaml"
	cases := []struct {
		free []string
		want string // canonical names, or the error's start
	}{
		{[]string{"a"}, "SupHopf.a"},
		{[]string{"dynamics.a", "SupHopf.a", "omega"}, "SupHopf.a,SupHopf.omega"},
		{[]string{"nope"}, `free parameter "nope": SupHopf has no parameter "nope"`},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.free, ","), func(t *testing.T) {
			e, err := load.BrainFile(exp)
			if err != nil {
				t.Fatal(err)
			}
			p, err := brain.Compile(e, brain.Options{Free: tc.free})
			var got string
			if err != nil {
				got = err.Error()
			} else {
				var names []string
				for _, fp := range p.Params {
					names = append(names, fp.Name)
				}
				got = strings.Join(names, ",")
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestFreeDerivedParameter frees a parameter that the model reads only
// through derived parameters (TVBO's Jansen1995 writes C1 = C, C2 =
// 0.8*C, ...): the kernel computes them from the free value, so the
// program builds (its free value was once declared and never read), runs
// byte-identical to the folded build at the default, and --set gives what
// the experiment rewritten with that value gives.
func TestFreeDerivedParameter(t *testing.T) {
	model := `name: Decay
parameters:
  k: {value: 0.5}
derived_parameters:
  k2: {equation: {rhs: 2*k}}
  k3: {equation: {rhs: "k2 + 0.25"}}
state_variables:
  x: {equation: {rhs: "-k3*x + 1"}, initial_value: 0.3}
  y: {equation: {rhs: "x - k2*y"}, initial_value: 0.1}
`
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	read := func(path string) []byte {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	path := write("decay.yaml", model)
	opts := brain.Options{Duration: 5}
	free := brain.Options{Duration: 5, Free: []string{"k"}}
	folded := read(runBinary(t, compileBrain(t, path, opts)))
	if got := read(runBinary(t, compileBrain(t, path, free))); !bytes.Equal(got, folded) {
		t.Error("k free at its default changes the output")
	}
	set := read(runBinary(t, compileBrain(t, path, free), "--set", "Decay.k=0.8"))
	want := read(runBinary(t, compileBrain(t, write("decay08.yaml", strings.Replace(model, "k: {value: 0.5}", "k: {value: 0.8}", 1)), opts)))
	if !bytes.Equal(set, want) {
		t.Error("--set Decay.k=0.8 differs from the model written with k = 0.8: the derived parameters kept k's default")
	}
	if bytes.Equal(set, folded) {
		t.Error("--set changed nothing")
	}
}

// TestFreeSpeedHistoryMemory: a conduction speed given at run time whose
// delays need more history than memory allows is refused before anything
// is allocated, counting every ring (Kuramoto keeps sin and cos of each
// state per slot, twice: 4 values per node, where the check once counted
// 1 and let a 32 GB history crash the Go runtime); in a sweep that fails
// the set alone, and the others run.
func TestFreeSpeedHistoryMemory(t *testing.T) {
	exp := "../../testdata/tvb/network_file/by_path.yaml"
	bin := buildBinary(t, compileBrain(t, exp, brain.Options{Free: []string{"network.conduction_speed"}}))
	dir := filepath.Dir(bin)
	// the longest coupled tract is 10 mm and dt 0.1 ms: 1.25e-5 mm/ms is a
	// delay of 8e6 steps, 4 nodes x 4 values x 8 bytes a slot: 1.02 GB,
	// where a count of one value per slot would have said 256 MB
	run := func(args ...string) (string, int) {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "TVBOC_MEMORY_LIMIT=1G")
		out, _ := cmd.CombinedOutput()
		return string(out), cmd.ProcessState.ExitCode()
	}
	out, code := run("--set", "network.conduction_speed=1.25e-5", "-o", "one.csv")
	if code != 1 || !strings.Contains(out, "has a history that needs 1.02 GB of memory, more than the 1 GB") {
		t.Errorf("exit %d, %s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "one.csv")); err == nil {
		t.Error("the refused run wrote one.csv")
	}
	sweep := filepath.Join(dir, "speeds.csv")
	if err := os.WriteFile(sweep, []byte("network.conduction_speed\n1\n1.25e-5\n2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code = run("--sweep", sweep, "-o", "o{index}.csv", "--manifest", "m.csv", "--quiet")
	if code != 1 {
		t.Errorf("the sweep exited %d: %s", code, out)
	}
	m, err := os.ReadFile(filepath.Join(dir, "m.csv"))
	if err != nil {
		t.Fatalf("no manifest: %v (%s)", err, out)
	}
	for i, want := range []string{",ok,", ",failed,", ",ok,"} {
		line := strings.Split(strings.TrimSpace(string(m)), "\n")
		if len(line) != 4 || !strings.Contains(line[1+i], want) {
			t.Fatalf("set %d is not %q in the manifest:\n%s", i, want, m)
		}
	}
}
