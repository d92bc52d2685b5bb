package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tvboc/tvboc/compare"
	"github.com/tvboc/tvboc/plot"
	"github.com/tvboc/tvboc/reference"
)

// The seed's five steps, each through the CLI: render, reference,
// compare, plot, and run chaining them.

// workflowTool runs tvboc with args and returns exit code, stdout, stderr.
func workflowTool(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// workflowFakeJnml builds the jNeuroML stand-in once.
var workflowFakeJnml = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "tvboc-fakejnml-")
	if err != nil {
		return "", err
	}
	exe := filepath.Join(dir, "jnml")
	out, err := exec.Command("go", "build", "-o", exe, "../../reference/testdata/fakejnml").CombinedOutput()
	if err != nil {
		return "", errors.New(string(out))
	}
	return exe, nil
})

// writeTable writes a CSV of rows steps of dt seconds with a spiking v
// that resets every period steps, delayed by shift steps.
func writeTable(t *testing.T, path string, rows int, dt float64, period, shift int, names ...string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("t," + strings.Join(names, ",") + "\n")
	for k := 0; k < rows; k++ {
		fmt.Fprintf(&b, "%g", float64(k)*dt)
		for range names {
			phase := max(k-shift, 0) % period
			fmt.Fprintf(&b, ",%g", -0.07+0.09*float64(phase)/float64(period))
		}
		b.WriteString("\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRenderLEMSCommand(t *testing.T) {
	want, err := os.ReadFile("../../testdata/lems/ex2/expected.lems.xml")
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := workflowTool(t, "render", "lems", seedExperiment)
	if code != 0 || stdout != string(want) {
		t.Errorf("render lems: exit %d, stderr %q; output equals testdata/lems/ex2/expected.lems.xml: %v", code, stderr, stdout == string(want))
	}

	out := filepath.Join(t.TempDir(), "ex2.lems.xml")
	if code, _, stderr := workflowTool(t, "render", "lems", seedExperiment, "-o", out); code != 0 {
		t.Fatalf("render lems -o: exit %d: %s", code, stderr)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, want) {
		t.Error("render lems -o wrote something else than standard output shows")
	}

	bad := filepath.Join(t.TempDir(), "bad.xml")
	code, _, stderr = workflowTool(t, "render", "lems", "../../testdata/lems/bad-function/exp.yaml", "-o", bad)
	if code != 1 || !strings.Contains(stderr, "atan2 has no LEMS equivalent") {
		t.Errorf("bad experiment: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("a failed render left an output file")
	}

	for _, args := range [][]string{{"render"}, {"render", "sbml", seedExperiment}, {"render", "lems", "--seed", "5", seedExperiment}} {
		if code, _, stderr := workflowTool(t, args...); code != 2 {
			t.Errorf("%v: exit %d (want 2), stderr %q", args, code, stderr)
		}
	}

	// a population network: --seed renders the network that seed draws;
	// the experiment's own seed (11) is the default
	const pop = "../../testdata/networks/population_render/exp.yaml"
	render := func(args ...string) string {
		code, stdout, stderr := workflowTool(t, append([]string{"render", "lems", pop}, args...)...)
		if code != 0 {
			t.Fatalf("render lems %v: exit %d: %s", args, code, stderr)
		}
		return stdout
	}
	if def, own, other := render(), render("--seed", "11"), render("--seed", "5"); def != own || def == other {
		t.Errorf("--seed 11 renders the default: %v; --seed 5 another network: %v", def == own, def != other)
	}
}

func TestReferenceCommand(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is needed to build the jNeuroML stand-in")
	}
	exe, err := workflowFakeJnml()
	if err != nil {
		t.Fatalf("building the jNeuroML stand-in: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "ref")

	t.Run("environment", func(t *testing.T) {
		t.Setenv("TVBOC_JNML", exe)
		code, _, stderr := workflowTool(t, "reference", "-q", seedExperiment, "-o", dir)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		data, err := os.ReadFile(filepath.Join(dir, "ex2.csv"))
		if err != nil {
			t.Fatal(err)
		}
		header, _, _ := strings.Cut(string(data), "\n")
		if header != "t,izBurst_pop[0]/v,izBurst_pop[0]/U,izTonic_pop[0]/v,izTonic_pop[0]/U,izMixed_pop[0]/v,izMixed_pop[0]/U,izClass1_pop[0]/v,izClass1_pop[0]/U" {
			t.Errorf("header %q", header)
		}
		if n := strings.Count(string(data), "\n"); n != 40002 {
			t.Errorf("%d lines, want 40002", n)
		}
		for _, f := range []string{"ex2.lems.xml", "results/izBurst.dat", "results/izClass1.dat"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("%s not kept: %v", f, err)
			}
		}
	})
	t.Run("flag", func(t *testing.T) {
		t.Setenv("TVBOC_JNML", "")
		code, _, stderr := workflowTool(t, "reference", seedExperiment, "--jnml", exe, "-o", dir)
		if code != 0 || !strings.Contains(stderr, "reference results -> "+filepath.Join(dir, "ex2.csv")) {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("population network", func(t *testing.T) {
		// rendered from the drawn network, with the binary's column names
		pdir := filepath.Join(t.TempDir(), "pop")
		code, _, stderr := workflowTool(t, "reference", "-q", "--jnml", exe, "../../testdata/networks/population_percell/exp.yaml", "-o", pdir)
		if code != 0 {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		data, err := os.ReadFile(filepath.Join(pdir, "exp.csv"))
		if err != nil {
			t.Fatal(err)
		}
		header, _, _ := strings.Cut(string(data), "\n")
		if header != "t,drive[0]/v,drive[1]/v,drive[2]/v,tgt[0]/v,tgt[1]/v,tgt[2]/v" {
			t.Errorf("header %q", header)
		}
	})
	t.Run("jnml fails", func(t *testing.T) {
		t.Setenv("FAKEJNML_MODE", "fail")
		code, _, stderr := workflowTool(t, "reference", "-q", "--jnml", exe, seedExperiment, "-o", filepath.Join(t.TempDir(), "r"))
		if code != 1 || !strings.Contains(stderr, "ContentError") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("no jnml", func(t *testing.T) {
		t.Setenv("TVBOC_JNML", "")
		t.Setenv("PATH", t.TempDir())
		out := filepath.Join(t.TempDir(), "r")
		code, _, stderr := workflowTool(t, "reference", seedExperiment, "-o", out)
		if code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		for _, w := range []string{"jNeuroML not found", "--jnml", "TVBOC_JNML"} {
			if !strings.Contains(stderr, w) {
				t.Errorf("stderr %q does not say %q", stderr, w)
			}
		}
		if _, err := os.Stat(out); err == nil {
			t.Error("a failed reference run left its directory behind")
		}
	})
}

func TestCompareCommand(t *testing.T) {
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	names := []string{"a_pop[0]/v", "a_pop[1]/v"}
	writeTable(t, p("ref.csv"), 3000, 1e-4, 500, 0, names...)
	writeTable(t, p("same.csv"), 3000, 1e-4, 500, 0, names...)
	writeTable(t, p("late.csv"), 3000, 1e-4, 500, 3, names...)
	writeTable(t, p("fewer.csv"), 3000, 1e-4, 500, 0, names[0])
	writeTable(t, p("renamed.csv"), 3000, 1e-4, 500, 0, "b_pop[0]/v", "b_pop[1]/v")
	writeTable(t, p("coarse.csv"), 1500, 2e-4, 250, 0, names...) // the same traces on a grid of their own
	os.WriteFile(p("nan.csv"), []byte("t,a_pop[0]/v\n0,-0.07\n0.0001,NaN\n"), 0o644)
	os.WriteFile(p("ragged.csv"), []byte("t,a_pop[0]/v\n0,-0.07\n0.0001\n"), 0o644)
	os.WriteFile(p("empty.csv"), nil, 0o644)
	os.WriteFile(p("exp.yaml"), []byte("label: an experiment\n"), 0o644)
	// A .dat named by a LEMS file.
	os.WriteFile(p("cells.dat"), []byte("0 -0.07 -0.06\n0.0001 -0.069 -0.06\n"), 0o644)
	os.WriteFile(p("cells.xml"), []byte(`<Lems><Simulation><OutputFile id="of0" fileName="results/cells.dat">
<OutputColumn id="c0" quantity="a_pop[0]/v"/><OutputColumn id="c1" quantity="a_pop[1]/v"/></OutputFile></Simulation></Lems>`), 0o644)
	os.WriteFile(p("cells.csv"), []byte("t,a_pop[0]/v,a_pop[1]/v\n0,-0.07,-0.06\n0.0001,-0.069,-0.06\n"), 0o644)

	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     []string // in stdout + stderr
	}{
		{"identical", []string{p("ref.csv"), p("same.csv")}, 0, []string{"PASS: 2 quantities passed"}},
		{"spikes 3 steps late", []string{p("ref.csv"), p("late.csv")}, 1, []string{"FAIL: 2 of 2 quantities failed", "spike"}},
		{"looser policy accepts", []string{"--max-spike-steps", "3", "--max-rms-frac", "1", p("ref.csv"), p("late.csv")}, 0, []string{"PASS"}},
		{"missing quantity", []string{p("ref.csv"), p("fewer.csv")}, 1, []string{"missing in simulation: a_pop[1]/v"}},
		{"missing accepted", []string{"--allow-missing", p("ref.csv"), p("fewer.csv")}, 0, []string{"1 missing in simulation (accepted)"}},
		{"auto-matched names", []string{p("ref.csv"), p("renamed.csv")}, 0, []string{"matching a_pop[0]/v with b_pop[0]/v by index and variable", "a_pop[0]/v -> b_pop[0]/v"}},
		{"exact names", []string{"--exact-names", p("ref.csv"), p("renamed.csv")}, 1, []string{"no quantity in common"}},
		{"explicit map", []string{"--exact-names", "--map", "a_pop[0]/v=b_pop[0]/v", "--map", "a_pop[1]/v=b_pop[1]/v", p("ref.csv"), p("renamed.csv")}, 0, []string{"PASS"}},
		{"resampled", []string{p("coarse.csv"), p("ref.csv")}, 0, []string{"time grids differ", "interpolated onto the reference grid"}},
		{"NaN", []string{p("ref.csv"), p("nan.csv")}, 1, []string{"nan.csv:3", `column 2 "a_pop[0]/v"`, "NaN"}},
		{"ragged", []string{p("ragged.csv"), p("ref.csv")}, 1, []string{"ragged.csv:3", "row has 1 fields, want 2"}},
		{"empty", []string{p("empty.csv"), p("ref.csv")}, 1, []string{"empty.csv", "empty file"}},
		{"unreadable", []string{p("nope.csv"), p("ref.csv")}, 1, []string{"nope.csv", "no such file"}},
		{"dat named by LEMS", []string{"--lems", p("cells.xml"), p("cells.dat"), p("cells.csv")}, 0, []string{"PASS: 2 quantities passed"}},
		{"dat without names", []string{p("cells.dat"), p("cells.csv")}, 2, []string{"cells.dat has no header to name its columns: name them with --ref-columns a,b,c or --lems FILE.xml"}},
		{"dat without names, simulation side", []string{p("cells.csv"), p("cells.dat")}, 2, []string{"name them with --sim-columns a,b,c"}},
		{"an experiment", []string{p("exp.yaml"), p("ref.csv")}, 2, []string{"exp.yaml is an experiment, not results: run it first"}},
		{"unknown quantity", []string{"--quantities", "a_pop[0]/vv", p("ref.csv"), p("ref.csv")}, 2, []string{`--quantities a_pop[0]/vv: `, `has no quantity "a_pop[0]/vv"`, "did you mean a_pop[0]/v?"}},
		{"bad map", []string{"--map", "nonsense", p("ref.csv"), p("same.csv")}, 2, []string{"want REF=SIM"}},
		{"bad policy", []string{"--max-rms-frac", "-1", p("ref.csv"), p("same.csv")}, 2, []string{"--max-rms-frac -1: want a finite number"}},
		{"one file", []string{p("ref.csv")}, 2, []string{"two result files"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := workflowTool(t, append([]string{"compare"}, tt.args...)...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, stdout, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout+stderr, w) {
					t.Errorf("output does not say %q\nstdout:\n%s\nstderr:\n%s", w, stdout, stderr)
				}
			}
		})
	}

	t.Run("json", func(t *testing.T) {
		code, stdout, _ := workflowTool(t, "compare", "--json", p("ref.csv"), p("late.csv"))
		var rep struct {
			Pass       bool
			Quantities []struct {
				Name                string
				MaxSpikeOffsetSteps float64 `json:"max_spike_offset_steps"`
			}
		}
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, stdout)
		}
		if code != 1 || rep.Pass || len(rep.Quantities) != 2 || math.Abs(rep.Quantities[0].MaxSpikeOffsetSteps-3) > 1e-9 {
			t.Errorf("exit %d, report %+v", code, rep)
		}
	})
}

func TestPlotCommand(t *testing.T) {
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	writeTable(t, p("ref.csv"), 2000, 1e-4, 400, 0, "a_pop[0]/v", "a_pop[0]/U")
	writeTable(t, p("sim.csv"), 2000, 1e-4, 400, 1, "a_pop[0]/v", "a_pop[0]/U")
	writeTable(t, p("other.csv"), 2000, 1e-4, 400, 0, "b_pop[0]/v")
	os.WriteFile(p("empty.csv"), nil, 0o644)

	code, _, stderr := workflowTool(t, "plot", "--vs", p("ref.csv"), p("sim.csv"), "-o", p("fig.png"), "--title", "Two cells")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, err := os.Open(p("fig.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	// Two panels stacked, 6 x 2 inches each, and a 0.45 inch header, at
	// 120 dots per inch.
	if b := img.Bounds(); b.Dx() != 720 || b.Dy() != 534 {
		t.Errorf("figure is %dx%d, want 720x534", b.Dx(), b.Dy())
	}

	if code, _, stderr := workflowTool(t, "plot", p("sim.csv"), "-o", p("fig.svg")); code != 0 {
		t.Errorf("svg: exit %d: %s", code, stderr)
	}

	// spike files (t,index) are drawn as a raster, one 6 x 4 inch panel
	var spikes strings.Builder
	spikes.WriteString("t,index\n")
	for k := range 3000 {
		fmt.Fprintf(&spikes, "%g,%d\n", float64(k/3)*1e-4, (k*37)%500)
	}
	os.WriteFile(p("spikes.csv"), []byte(spikes.String()), 0o644)
	if code, _, stderr := workflowTool(t, "plot", p("spikes.csv"), "-o", p("raster.png")); code != 0 {
		t.Errorf("raster: exit %d: %s", code, stderr)
	} else if f, err := os.Open(p("raster.png")); err != nil {
		t.Error(err)
	} else {
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() != 720 || img.Bounds().Dy() != 480 {
			t.Errorf("raster: %v, want a 720x480 PNG", err)
		}
	}

	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"empty file", []string{p("empty.csv"), "-o", p("e.png")}, 1, "empty file"},
		{"mismatched", []string{"--vs", p("ref.csv"), p("other.csv"), "-o", p("m.png")}, 1, "no quantity in common"},
		{"unknown format", []string{p("sim.csv"), "-o", p("fig.gif")}, 2, "want .png or .svg"},
		{"no file", []string{}, 2, "at least one result file"},
		{"spikes and a table", []string{"--vs", p("ref.csv"), p("spikes.csv"), "-o", p("x.png")}, 2, "plot them in separate figures"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := workflowTool(t, append([]string{"plot"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, tt.code, stderr, tt.want)
			}
		})
	}
	for _, name := range []string{"e.png", "m.png", "fig.gif", "x.png"} {
		if _, err := os.Stat(p(name)); err == nil {
			t.Errorf("a failed plot left %s", name)
		}
	}
}

// TestRunCompareAndPlot is the seed workflow's last step in one command:
// compile, run, compare with the jLEMS golden and plot both.
func TestRunCompareAndPlot(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	golden := "../../testdata/ex2/ex2.golden.csv.gz"
	if _, err := os.Stat(golden); err != nil {
		golden = "../../../shared/reference/golden/tvbo_Ex2/Ex2.csv.gz"
		if _, err := os.Stat(golden); err != nil {
			t.Skip("the seed golden is not available (testdata/ex2/ex2.golden.csv.gz or ../shared/reference)")
		}
	}
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache")
	fig, out := filepath.Join(dir, "ex2.png"), filepath.Join(dir, "ex2.csv")

	code, stdout, stderr := workflowTool(t, "run", "-q", "--cache-dir", cache, "--compare", golden, "--plot", fig,
		seedExperiment, "-o", out, "--record", "all")
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "PASS: 8 quantities passed") {
		t.Errorf("report:\n%s", stdout)
	}
	for _, f := range []string{fig, out} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}

	// Without -o the results go to a temporary file; v only by default.
	code, stdout, stderr = workflowTool(t, "run", "-q", "--cache-dir", cache, "--compare", golden, seedExperiment)
	if code != 0 || !strings.Contains(stdout, "PASS: 4 quantities passed") || !strings.Contains(stderr, "4 more in the reference are not compared") {
		t.Errorf("default record: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}

	// A reference the run does not match fails the command, after the
	// report and the plot.
	late := filepath.Join(dir, "late.csv")
	shiftGolden(t, golden, late, 5)
	fig2 := filepath.Join(dir, "late.png")
	code, stdout, _ = workflowTool(t, "run", "-q", "--cache-dir", cache, "--compare", late, "--plot", fig2, seedExperiment)
	if code != 1 || !strings.Contains(stdout, "FAIL") {
		t.Errorf("shifted reference: exit %d, report:\n%s", code, stdout)
	}
	if _, err := os.Stat(fig2); err != nil {
		t.Errorf("no plot for a failed comparison: %v", err)
	}

	// Usage mistakes are caught before anything runs.
	for _, args := range [][]string{
		{"run", "--compare", golden, seedExperiment, "-o", "-"},
		{"run", "--plot", filepath.Join(dir, "x.gif"), seedExperiment},
		{"run", "--compare", golden, seedExperiment, "-o", filepath.Join(dir, "x.npy")},
	} {
		if code, _, stderr := workflowTool(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, stderr)
		}
	}
	if code, _, stderr := workflowTool(t, "run", "--compare", filepath.Join(dir, "none.csv"), seedExperiment); code != 1 || !strings.Contains(stderr, "none.csv") {
		t.Errorf("missing reference: exit %d, stderr %q", code, stderr)
	}
	// A reference that cannot be read, or a figure that cannot be
	// written, is said before the run: no results are written.
	empty := filepath.Join(dir, "empty.csv")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	unread := filepath.Join(dir, "unread.csv")
	for _, args := range [][]string{
		{"run", "-q", "--cache-dir", cache, "--compare", empty, seedExperiment, "-o", unread},
		{"run", "-q", "--cache-dir", cache, "--plot", filepath.Join(dir, "nodir", "p.png"), seedExperiment, "-o", unread},
	} {
		if code, _, stderr := workflowTool(t, args...); code == 0 {
			t.Errorf("%v: exit 0 (%s)", args, stderr)
		}
		if _, err := os.Stat(unread); err == nil {
			t.Fatalf("%v wrote the results before failing", args)
		}
	}

	// Without the figure renderer, --plot and tvboc plot say how to get it
	// before anything runs or is written.
	t.Setenv("TVBOC_PLOT", filepath.Join(dir, "no-renderer"))
	unplotted := filepath.Join(dir, "unplotted.csv")
	for _, args := range [][]string{
		{"run", "--plot", filepath.Join(dir, "y.png"), seedExperiment, "-o", unplotted},
		{"plot", golden, "-o", filepath.Join(dir, "y.png")},
	} {
		code, _, stderr := workflowTool(t, args...)
		if code != 1 || !strings.Contains(stderr, "TVBOC_PLOT names") {
			t.Errorf("%v without a renderer: exit %d, stderr %q", args, code, stderr)
		}
	}
	for _, p := range []string{unplotted, filepath.Join(dir, "y.png")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s written although the figure could not be drawn", p)
		}
	}
}

// shiftGolden writes the golden with every value column delayed by steps
// rows, so every spike comes that many steps late.
func shiftGolden(t *testing.T, golden, out string, steps int) {
	t.Helper()
	table, err := compare.Load(golden, compare.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range table.Cols {
		copy(col[steps:], append([]float64(nil), col[:len(col)-steps]...))
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := reference.WriteCSV(f, table); err != nil {
		t.Fatal(err)
	}
}

// TestRunPlotEveryKind: run --plot draws the results of a population
// network and of a whole-brain experiment as it draws a node list's
// (titled by the experiment's label; it once read a node list's model and
// crashed on the others).
func TestRunPlotEveryKind(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	if _, err := plot.Renderer(); err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache")
	for _, exp := range []string{"../../testdata/networks/population_small/exp.yaml", "../../testdata/tvb/epileptor_tiny/exp.yaml"} {
		name := filepath.Base(filepath.Dir(exp))
		fig, out := filepath.Join(dir, name+".png"), filepath.Join(dir, name+".csv")
		code, stdout, stderr := workflowTool(t, "run", "-q", "--cache-dir", cache, "--plot", fig, exp, "-o", out)
		if code != 0 {
			t.Errorf("%s: exit %d\nstdout:\n%s\nstderr:\n%s", name, code, stdout, stderr)
			continue
		}
		if fi, err := os.Stat(fig); err != nil || fi.Size() == 0 {
			t.Errorf("%s: no plot: %v", name, err)
		}
	}
}
