package brain_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/tvboc/tvboc/compiler/brain"
	"github.com/tvboc/tvboc/compiler/load"
	"github.com/tvboc/tvboc/gen"
)

var update = flag.Bool("update", false, "rewrite the expected messages of the whole-brain error cases")

// compileErr loads and compiles an experiment and returns its error.
func compileErr(path string, opts brain.Options) error {
	exp, err := load.BrainFile(path)
	if err != nil {
		return err
	}
	_, err = brain.Compile(exp, opts)
	return err
}

// TestBadInput runs the whole-brain cases under testdata/errors (folders
// named tvb_*): each experiment has one mistake and error.txt holds the
// exact line the CLI prints (cmd/tvboc's TestBadInput checks the same
// files end to end, exit code and no output included).
func TestBadInput(t *testing.T) {
	cases, _ := filepath.Glob("../../testdata/errors/tvb_*/exp.yaml")
	if len(cases) == 0 {
		t.Fatal("no whole-brain error cases found")
	}
	for _, exp := range cases {
		dir := filepath.Dir(exp)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			data, err := os.ReadFile(exp)
			if err != nil {
				t.Fatal(err)
			}
			if !load.IsWholeBrain(data) {
				t.Fatal("not recognised as a whole-brain experiment")
			}
			err = compileErr(exp, brain.Options{})
			if err == nil {
				t.Fatal("compiled without error")
			}
			got := "tvboc: " + strings.ReplaceAll(err.Error(), exp, "exp.yaml") + "\n"
			want := filepath.Join(dir, "error.txt")
			if *update {
				if err := os.WriteFile(want, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			w, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("missing expected message (run go test -update): %v", err)
			}
			if got != string(w) {
				t.Errorf("message changed:\n got: %s\nwant: %s", got, w)
			}
			if strings.Count(strings.TrimSpace(got), "\n") > 0 {
				t.Errorf("want one message, got several:\n%s", got)
			}
		})
	}
}

// TestMissingConnectome checks that a connectome named by IRI is looked
// for in the data directory and that the message names where.
func TestMissingConnectome(t *testing.T) {
	exp := "../../testdata/tvb/missing_atlas/exp.yaml"
	t.Setenv(brain.DataEnv, "")
	err := compileErr(exp, brain.Options{})
	if err == nil || !strings.Contains(err.Error(), "needs a data directory") || !strings.Contains(err.Error(), "--data DIR") {
		t.Errorf("without a data directory: %v", err)
	}
	dir := t.TempDir()
	err = compileErr(exp, brain.Options{DataDir: dir})
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "NoSuchAtlas_weights.csv")) {
		t.Errorf("with a data directory: %v", err)
	}
	t.Setenv(brain.DataEnv, dir)
	if err := compileErr(exp, brain.Options{}); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("with %s: %v", brain.DataEnv, err)
	}
}

// TestDurationNote: a duration that is not a whole number of steps runs
// rounded up, as TVB runs it, and says so once (it ran without a word);
// a whole number of steps says nothing. So do the other settings a
// program does not use: tolerances of a fixed step, a Raw monitor's
// period.
func TestDurationNote(t *testing.T) {
	for duration, want := range map[string]string{
		"10.04": "duration 10.04 ms is not a whole number of steps of 0.1 ms: it runs 101 steps (10.1 ms)",
		"10":    "",
		// tolerances with a fixed step (TVBO's files write the schema's)
		"10, rel_tol: 1e-10": "rel_tol and abs_tol tune the adaptive methods (dopri5, dopri853); heun takes a fixed step and does not use them",
		// a Raw monitor's period, which TVB ignores (TVBO's studies write one)
		"10}\nmonitors: {Raw: {period: 5}":   "exp.yaml:4:26: monitor Raw records every step (0.1 ms), as TVB's Raw does, and does not use its period 5 ms; for a row every 5 ms use SubSample",
		"10}\nmonitors: {Raw: {period: 0.1}": "",
	} {
		got := compileNotes(t, "dynamics: {iri: tvbo:Generic2dOscillator}\nnetwork: {number_of_nodes: 2}\nintegration: {method: heun, step_size: 0.1, duration: "+duration+"}\n")
		if want == "" && got != "" || !strings.Contains(got, want) {
			t.Errorf("duration %s: notes %q, want %q", duration, got, want)
		}
	}
}

// TestSpeedUnits: a conduction speed is read in the unit it is written
// in (1000 mm_per_s and 1 m/s are 1 mm/ms: the same program as 1), and a
// unit that is no speed is refused at it (3000 mm_per_s ran as 3000
// mm/ms, and mV was taken).
func TestSpeedUnits(t *testing.T) {
	src, err := os.ReadFile("../../testdata/tvb/network_file/by_path.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range []string{"tiny_weights.csv", "tiny_lengths.csv"} {
		data, err := os.ReadFile("../../testdata/tvb/tiny/" + f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, "tiny"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "tiny", f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	generate := func(speed string) (string, error) {
		text := strings.Replace(string(src), "{conduction_speed: {value: 1.0}}", "{conduction_speed: "+speed+"}", 1)
		text = strings.ReplaceAll(text, "../tiny/", "tiny/")
		path := filepath.Join(dir, "exp.yaml")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		exp, err := load.BrainFile(path)
		if err != nil {
			return "", err
		}
		p, err := brain.Compile(exp, brain.Options{})
		if err != nil {
			return "", err
		}
		out, err := gen.GenerateBrain(p)
		return string(out), err
	}
	plain, err := generate("{value: 1.0}")
	if err != nil {
		t.Fatal(err)
	}
	for _, speed := range []string{"{value: 1000, unit: mm_per_s}", "{value: 1, unit: m/s}", "{value: 0.001, unit: km/s}"} {
		got, err := generate(speed)
		if err != nil {
			t.Fatalf("%s: %v", speed, err)
		}
		if got != plain {
			t.Errorf("conduction_speed %s compiles to another program than 1 mm/ms", speed)
		}
	}
	if _, err := generate("{value: 3, unit: mV}"); err == nil || !strings.Contains(err.Error(), `"mV" is not a unit of speed`) {
		t.Errorf("a speed in mV: %v", err)
	}
}

// TestConnectomeNotAFile: a weights or lengths file that is a pipe, a
// device or a directory is refused at the line naming it (check read
// /dev/zero until it was killed, and waited for ever on a pipe).
func TestConnectomeNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.csv")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	if err := os.Mkdir(filepath.Join(dir, "dir.csv"), 0o755); err != nil {
		t.Fatal(err)
	}
	for weights, want := range map[string]string{
		"fifo.csv": "exp.yaml:3:12: the weights file " + fifo + " is a device or a pipe, not a file",
		os.DevNull: "exp.yaml:3:12: the weights file /dev/null is a device or a pipe, not a file",
		"dir.csv":  "exp.yaml:3:12: the weights file " + filepath.Join(dir, "dir.csv") + " is a directory",
	} {
		path := filepath.Join(dir, "exp.yaml")
		src := "dynamics: {iri: tvbo:Kuramoto}\nnetwork:\n  weights: " + weights + "\n  coupling: {c: {iri: tvbo:Kuramoto, delayed: false}}\nintegration: {method: heun, step_size: 0.1, duration: 1}\n"
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		err := compileErr(path, brain.Options{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("weights %s: %v, want %q", weights, err, want)
		}
	}
}

// TestUnreadCouplingInputNoted: a coupling, or a heterogeneous network's
// edge, feeding an input that no equation reads is said once (a Linear
// coupling of a = 100 ran and changed nothing, without a word); one that
// is read says nothing.
func TestUnreadCouplingInputNoted(t *testing.T) {
	tiny, err := filepath.Abs("../../testdata/tvb/tiny")
	if err != nil {
		t.Fatal(err)
	}
	wb := func(rate string) string {
		return "label: wb\ndynamics:\n  name: M\n  state_variables:\n    x: {equation: {rhs: \"" + rate + "\"}, initial_value: 1.0}\n  coupling_inputs:\n    c_glob: {}\n" +
			"network:\n  weights: " + tiny + "/tiny_weights.csv\n  lengths: " + tiny + "/tiny_lengths.csv\n  coupling:\n    c_glob: {iri: tvbo:Linear, incoming_states: [x], parameters: {a: {value: 100}}}\n" +
			"integration: {method: heun, step_size: 0.1, duration: 5.0}\n"
	}
	hetero := func(rate string) string {
		return "label: hetero\nnumber_of_nodes: 2\nnodes:\n  - {id: 0, dynamics: Decay}\n  - {id: 1, dynamics: Relay}\nedges:\n" +
			"  - {source: 0, target: 1, parameters: {weight: {value: 2.0}}, source_var: x_out, target_var: c_in}\n  - {source: 0, target: 1, parameters: {weight: {value: 3.0}}, source_var: x_out, target_var: c_in}\n" +
			"integration: {method: heun, step_size: 0.01, duration: 1.0}\n---\nname: Decay\nstate_variables:\n  x: {equation: {rhs: \"-x\"}, initial_value: 1.0}\n" +
			"---\nname: Relay\nstate_variables:\n  y: {equation: {rhs: \"" + rate + "\"}, initial_value: 0.0}\ncoupling_inputs:\n  c_in: {}\n"
	}
	for _, tc := range []struct {
		src, want string
	}{
		{wb("-x"), "exp.yaml:12:5: coupling c_glob feeds the input c_glob, which no equation of M reads: it changes nothing"},
		{wb("-x + c_glob"), ""},
		{hetero("1"), "exp.yaml:7:95: this edge feeds the input c_in of Relay, which none of its equations reads: it changes nothing"},
		{hetero("c_in - y"), ""},
	} {
		got := compileNotes(t, tc.src)
		if tc.want == "" && strings.Contains(got, "changes nothing") || tc.want != "" && (!strings.HasSuffix(got, tc.want) || strings.Count(got, "changes nothing") != 1) {
			t.Errorf("notes %q, want %q once", got, tc.want)
		}
	}
}

// compileNotes compiles a whole-brain experiment written to exp.yaml in a
// temporary directory and returns its notes, one a line.
func compileNotes(t *testing.T, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "exp.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	exp, err := load.BrainFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := brain.Compile(exp, brain.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(p.Notes, "\n")
}
