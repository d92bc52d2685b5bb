package main

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compare"
)

// TestStudy compiles a study of three experiments: the two that can
// compile become <key>-<id> binaries whose results are checked by hand,
// the third is reported by name with its problem, and the exit status
// says that not every experiment compiled.
func TestStudy(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	study := "../../testdata/studies/decay.yaml"
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"compile", "-q", study, "-o", dir}, &stdout, &stderr); code != 1 {
		t.Fatalf("compile exit code %d, want 1 (one experiment does not compile); stderr:\n%s", code, stderr.String())
	}
	msg := stderr.String()
	if !strings.Contains(msg, `experiment 2 ("watched") does not compile: `+study+`:33:16: monitor EEG is not one tvboc computes`) {
		t.Errorf("the failing experiment is not reported with its position:\n%s", msg)
	}
	if _, err := os.Stat(filepath.Join(dir, "Decay2026-2")); err == nil {
		t.Error("a binary was written for the experiment that does not compile")
	}
	// Experiment 1: the study's model with k = 0.5 through its declared
	// function, RK4: x(2 ms) = exp(-1).
	tab := runStudyBinary(t, filepath.Join(dir, "Decay2026-1"))
	if got := tab.Cols[0][len(tab.T)-1]; math.Abs(got-math.Exp(-1)) > 1e-9 {
		t.Errorf("experiment 1: x(2 ms) = %.12g, want exp(-1) = %.12g", got, math.Exp(-1))
	}
	// Experiment 3: the library's SupHopf by its TVBO IRI with a = 0.25
	// settles on the limit cycle of radius sqrt(a) = 0.5.
	tab = runStudyBinary(t, filepath.Join(dir, "Decay2026-3"), "--record", "all")
	k := len(tab.T) - 1
	if len(tab.Cols) != 2 {
		t.Fatalf("experiment 3 recorded %v, want x and y", tab.Names)
	}
	if r := math.Hypot(tab.Cols[0][k], tab.Cols[1][k]); math.Abs(r-0.5) > 1e-3 {
		t.Errorf("experiment 3: radius after 100 ms = %g, want 0.5", r)
	}
	// --experiment selects one, to -o; an unknown id names the ids there are.
	one := filepath.Join(t.TempDir(), "slow")
	stderr.Reset()
	if code := run([]string{"compile", "-q", "--experiment", "1", study, "-o", one}, &stdout, &stderr); code != 0 {
		t.Fatalf("--experiment 1: exit code %d; stderr:\n%s", code, stderr.String())
	}
	if _, err := os.Stat(one); err != nil {
		t.Errorf("--experiment 1 -o %s wrote no binary: %v", one, err)
	}
	stderr.Reset()
	if code := run([]string{"compile", "-q", "--experiment", "9", study, "-o", one}, &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), `the study has no experiment "9" (its experiments are 1, 2, 3)`) {
		t.Errorf("--experiment 9: exit %d, stderr %q", code, stderr.String())
	}
	// an empty --experiment, and a directory as one experiment's -o, are
	// usage errors before anything is built
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"compile", "-q", "--experiment", "", study, "-o", one}, "--experiment needs the id of a study's experiment"},
		{[]string{"compile", "-q", "--experiment", "1", study, "-o", dir}, "cannot write " + dir + ": it is a directory"},
	} {
		stderr.Reset()
		if code := run(tc.args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("tvboc %q: exit %d, stderr %q; want exit 2 and %q", tc.args, code, stderr.String(), tc.want)
		}
	}
	// two ids that become one file name: refused before either is built
	src, err := os.ReadFile(study)
	if err != nil {
		t.Fatal(err)
	}
	twins := filepath.Join(t.TempDir(), "twins.yaml")
	clash := strings.Replace(strings.Replace(string(src), "  - id: 1\n", "  - id: \"x y\"\n", 1), "  - id: 3\n", "  - id: x_y\n", 1)
	if err := os.WriteFile(twins, []byte(clash), 0o644); err != nil {
		t.Fatal(err)
	}
	bins := t.TempDir()
	stderr.Reset()
	if code := run([]string{"compile", "-q", twins, "-o", bins}, &stdout, &stderr); code != 2 ||
		!strings.Contains(stderr.String(), `experiments "x y" and "x_y" would both be built as `+filepath.Join(bins, "Decay2026-x_y")) {
		t.Errorf("two ids, one file name: exit %d, stderr %q", code, stderr.String())
	}
	if entries, _ := os.ReadDir(bins); len(entries) != 0 {
		t.Errorf("built %v", entries)
	}
	// check lists every experiment and fails because one cannot compile.
	stderr.Reset()
	if code := run([]string{"check", study}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "study Decay2026, 3 experiments, 2 compile") {
		t.Errorf("check: exit %d, stderr %q", code, stderr.String())
	}
}

func runStudyBinary(t *testing.T, bin string, args ...string) *compare.Table {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out.csv")
	if msg, err := exec.Command(bin, append([]string{"-o", out, "--quiet"}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, msg)
	}
	tab, err := compare.Load(out, compare.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestCheckListsMetadata: check -v lists the metadata keys of a file, one
// line per key; an experiment may write them anywhere (here the seed with
// a citation on top), and without -v nothing is listed.
func TestCheckListsMetadata(t *testing.T) {
	seed, err := os.ReadFile("../../testdata/ex2/ex2.yaml")
	if err != nil {
		t.Fatal(err)
	}
	exp := filepath.Join(t.TempDir(), "cited.yaml")
	doc := "references: [Izhikevich2003]\ndoi: 10.1109/TNN.2003.820440\n" + string(seed)
	if err := os.WriteFile(exp, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"check", "-v", exp}, &stdout, &stderr); code != 0 {
		t.Fatalf("check -v: exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"metadata, accepted and not used by the simulation:", "  references at " + exp + ":1:1", "  doi at " + exp + ":2:1"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("check -v does not say %q:\n%s", want, stderr.String())
		}
	}
	stderr.Reset()
	if code := run([]string{"check", exp}, &stdout, &stderr); code != 0 || strings.Contains(stderr.String(), "metadata") {
		t.Errorf("check without -v: exit %d, %q", code, stderr.String())
	}
}

// TestFlagsHoldForOneCommand: --duration (an environment variable for the
// compiler) does not outlive the command that set it.
func TestFlagsHoldForOneCommand(t *testing.T) {
	t.Setenv("TVBOC_DURATION", "")
	os.Unsetenv("TVBOC_DURATION")
	var stdout, stderr bytes.Buffer
	run([]string{"--duration", "10", "check", "../../testdata/ex2/ex2.yaml"}, &stdout, &stderr)
	if v, set := os.LookupEnv("TVBOC_DURATION"); set {
		t.Errorf("TVBOC_DURATION=%q after the command", v)
	}
}
