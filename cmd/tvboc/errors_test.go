package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the expected outputs of the end-to-end cases")

// TestBadInput runs every case under testdata/errors: each folder holds an
// experiment with one mistake (exp.yaml) and the exact message tvboc must
// print (error.txt). Both check and compile must fail with exit code 1,
// print that message, and leave no output file behind. Run with -update to
// rewrite error.txt after changing a message on purpose.
func TestBadInput(t *testing.T) {
	cases, err := filepath.Glob("../../testdata/errors/*/exp.yaml")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no error cases found: %v", err)
	}
	for _, exp := range cases {
		dir := filepath.Dir(exp)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run([]string{"check", exp}, &stdout, &stderr); code != 1 {
				t.Fatalf("check exit code %d, want 1; stderr:\n%s", code, stderr.String())
			}
			got := strings.ReplaceAll(stderr.String(), exp, "exp.yaml")
			wantFile := filepath.Join(dir, "error.txt")
			if *update {
				if err := os.WriteFile(wantFile, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatalf("missing expected message (run go test -update): %v", err)
			}
			if got != string(want) {
				t.Errorf("message changed:\n got: %s\nwant: %s", got, want)
			}
			if strings.Count(strings.TrimSpace(got), "\n") > 0 {
				t.Errorf("want one message, got several:\n%s", got)
			}
			if strings.Contains(got, "panic") || strings.Contains(got, "goroutine") {
				t.Errorf("message looks like a crash:\n%s", got)
			}

			out := filepath.Join(t.TempDir(), "sim")
			stderr.Reset()
			if code := run([]string{"compile", "-q", exp, "-o", out}, &stdout, &stderr); code != 1 {
				t.Fatalf("compile exit code %d, want 1; stderr:\n%s", code, stderr.String())
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("compile left %s behind after failing", out)
			}
			entries, _ := os.ReadDir(filepath.Dir(out))
			if len(entries) != 0 {
				t.Errorf("compile left files behind: %v", entries)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"check"}, 2, "check takes one experiment file"},
		{[]string{"check", "a.yaml", "b.yaml"}, 2, "got 2 arguments"},
		{[]string{"check", ""}, 2, "check: the experiment file name is empty"},
		{[]string{"compile", "--no-such-flag", "x.yaml"}, 2, "unknown flag: --no-such-flag"},
		{[]string{"run"}, 2, "run takes an experiment file"},
		{[]string{"check", "does-not-exist.yaml"}, 1, "does-not-exist.yaml: cannot read the experiment: no such file or directory"},
		{[]string{"frobnicate"}, 1, `unknown command "frobnicate"`},
		{[]string{"run", "-o", "out.csv", "x.yaml"}, 2, "-o is a flag of the simulation binary, and those go after the experiment file: tvboc run exp.yaml -o"},
		{[]string{"run", "--record", "all", "x.yaml"}, 2, "--record is a flag of the simulation binary"},
		{[]string{"run", "--recordx", "x.yaml"}, 2, "unknown flag: --recordx\n"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(tt.args, &stdout, &stderr)
		if code != tt.code || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("tvboc %v: exit %d, stderr %q; want exit %d containing %q", tt.args, code, stderr.String(), tt.code, tt.want)
		}
	}
}

// TestOutputsNeverDestroyInputs: an output that names the experiment, or a
// directory, is a usage error found before compiling, and the experiment
// is untouched; an experiment without an extension is not its own default
// output.
func TestOutputsNeverDestroyInputs(t *testing.T) {
	src, err := os.ReadFile("../../testdata/errors/undefined_symbol/exp.yaml")
	if err != nil {
		t.Fatal(err)
	}
	good := strings.Replace(string(src), " + bogus", "", 1)
	dir := t.TempDir()
	exp := filepath.Join(dir, "exp.yaml")
	sub := filepath.Join(dir, "sub")
	if err := os.WriteFile(exp, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(dir, "ref.csv")
	if err := os.WriteFile(ref, []byte("t,x\n0,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"compile", "-q", exp, "-o", exp}, "is the experiment file itself"},
		{[]string{"compile", "-q", exp, "-o", filepath.Join(dir, ".", "exp.yaml")}, "is the experiment file itself"},
		{[]string{"gen", exp, "-o", exp}, "is the experiment file itself"},
		{[]string{"compile", "-q", exp, "-o", sub}, "cannot write " + sub + ": it is a directory"},
		{[]string{"gen", exp, "-o", filepath.Join(dir, "no", "x.go")}, "directory " + filepath.Join(dir, "no") + " does not exist"},
		{[]string{"run", "--compare", ref, exp, "-o", ref}, "-o " + ref + " would overwrite " + ref + ", which this run reads"},
		{[]string{"run", exp, "--spikes", exp}, "--spikes " + exp + " would overwrite"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if code := run(tt.args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("tvboc %v: exit %d, stderr %q; want exit 2 containing %q", tt.args, code, stderr.String(), tt.want)
		}
		if got, _ := os.ReadFile(exp); string(got) != good {
			t.Fatalf("tvboc %v changed the experiment", tt.args)
		}
	}
	if got, _ := os.ReadFile(ref); string(got) != "t,x\n0,1\n" {
		t.Errorf("the --compare reference was changed: %q", got)
	}
	if entries, _ := os.ReadDir(sub); len(entries) != 0 {
		t.Errorf("files left in %s: %v", sub, entries)
	}

	// the default output of an experiment without an extension
	noExt := filepath.Join(dir, "model")
	if err := os.WriteFile(noExt, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := defaultBinary(noExt); got != "model" {
		t.Errorf("defaultBinary(%s) = %q, want model (in the current directory)", noExt, got)
	}
	t.Chdir(dir)
	if got := defaultBinary("model"); got != "model.bin" {
		t.Errorf("defaultBinary(model) in its own directory = %q, want model.bin", got)
	}
	if got := defaultBinary("exp.yaml"); got != "exp" {
		t.Errorf("defaultBinary(exp.yaml) = %q, want exp", got)
	}
}

// TestCompileOutputIsNotAnInput: tvboc compile and gen refuse an -o that
// names a file the compile reads (here a connectome's matrices), and leave
// it as it was; checkOutput alone knew only the experiment.
func TestCompileOutputIsNotAnInput(t *testing.T) {
	dir := t.TempDir()
	copyFiles(t, dir, "../../testdata/tvb/tiny/tiny_weights.csv", "../../testdata/tvb/tiny/tiny_lengths.csv")
	weights, lengths := filepath.Join(dir, "tiny_weights.csv"), filepath.Join(dir, "tiny_lengths.csv")
	exp := filepath.Join(dir, "exp.yaml")
	yaml := "label: inputs\ndynamics: {iri: tvbo:Generic2dOscillator}\nnetwork:\n  weights: tiny_weights.csv\n  lengths: tiny_lengths.csv\n" +
		"  coupling:\n    c_glob: {iri: tvbo:Linear, parameters: {a: {value: 0.1}}}\nintegration: {method: heun, step_size: 0.1, duration: 1.0}\n"
	if err := os.WriteFile(exp, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args   []string
		target string
	}{
		{[]string{"compile", "-q", exp, "-o", weights}, weights},
		{[]string{"gen", exp, "-o", lengths}, lengths},
	} {
		before, err := os.ReadFile(tc.target)
		if err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		if code := run(tc.args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "which this command reads") {
			t.Errorf("tvboc %v: exit %d, stderr %q; want exit 2 and the input named", tc.args, code, stderr.String())
		}
		if after, _ := os.ReadFile(tc.target); string(after) != string(before) {
			t.Errorf("tvboc %v overwrote %s", tc.args, filepath.Base(tc.target))
			os.WriteFile(tc.target, before, 0o644) // for the next case
		}
	}
}

// TestRunOutputsNeverDestroyInputs: tvboc run refuses a binary's --fc
// that names the experiment's connectome (it was replaced by the FC
// matrix, exit 0), and a --plot that is, through a link, the binary's
// -o (the figure replaced the results).
func TestRunOutputsNeverDestroyInputs(t *testing.T) {
	dir := t.TempDir()
	net := filepath.Join(dir, "tiny")
	expDir := filepath.Join(dir, "exp")
	for _, d := range []string{net, expDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	copyFiles(t, net, "../../testdata/tvb/tiny/tiny_weights.csv", "../../testdata/tvb/tiny/tiny_lengths.csv")
	copyFiles(t, expDir, "../../testdata/tvb/epileptor_tiny/exp.yaml")
	exp := filepath.Join(expDir, "exp.yaml")
	weights := filepath.Join(net, "tiny_weights.csv")
	before, err := os.ReadFile(weights)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "o.csv")
	link := filepath.Join(dir, "lo.png")
	if err := os.Symlink("o.csv", link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "-q", exp, "-o", out, "--fc", weights}, "--fc " + weights + " would overwrite " + weights + ", which this run reads"},
		{[]string{"run", "-q", "--plot", link, exp, "-o", out}, "--plot and -o both name " + out},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tc.args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("tvboc %v: exit %d, stderr %q; want exit 2 containing %q", tc.args, code, stderr.String(), tc.want)
		}
	}
	if after, _ := os.ReadFile(weights); !bytes.Equal(after, before) {
		t.Error("the connectome was changed")
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("results were written")
	}
}

// TestEveryMessageShortened: a message quoting a long text is shortened
// to its start and end whoever made it (merge quoted a manifest's whole
// header: 11 KB of a binary file on one line).
func TestEveryMessageShortened(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.csv")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("\x7fELF\x02\x01", 2000)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"merge", "-q", "-o", filepath.Join(dir, "m.csv"), garbage}, &stdout, &stderr)
	msg := stderr.String()
	if code == 0 || len(msg) > 1000 || !strings.Contains(msg, "characters)") {
		t.Errorf("exit %d, a message of %d bytes: %.300q", code, len(msg), msg)
	}
}

// TestEmptyPathFlags: a file flag given an empty value is a usage error
// (compile -o "" wrote the default binary, gen -o "" printed the source).
func TestEmptyPathFlags(t *testing.T) {
	exp := "../../testdata/ex2/ex2.yaml"
	for _, args := range [][]string{
		{"compile", "-q", exp, "-o", ""},
		{"gen", exp, "-o", ""},
		{"compile", "-q", exp, "--cache-dir", ""},
		{"slurm", "-q", exp, "--bin", ""},
		{"run", "--plot", "", exp},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "needs a file name, got an empty one") || stdout.Len() > 0 {
			t.Errorf("tvboc %q: exit %d, stdout %d bytes, stderr %q", args, code, stdout.Len(), stderr.String())
		}
	}
}

// TestRenderSaysDroppedMonitors: render lems of a whole-brain experiment
// with a Bold or TemporalAverage monitor says, once each, that the LEMS
// file records the raw states instead (the monitor was dropped without a
// word); a Raw one says nothing.
func TestRenderSaysDroppedMonitors(t *testing.T) {
	dir := t.TempDir()
	for monitors, want := range map[string]string{
		"  Bold: {period: 500.0}\n":             "exp.yaml:7:3: monitor Bold is not rendered: LEMS has no haemodynamic kernel",
		"  TemporalAverage: {period: 10.0}\n":   "exp.yaml:7:3: monitor TemporalAverage is not rendered",
		"  Raw: {variables_of_interest: [V]}\n": "",
	} {
		exp := filepath.Join(dir, "exp.yaml")
		src := "label: x\ndynamics: {iri: tvbo:Generic2dOscillator}\nnetwork: {number_of_nodes: 2}\nintegration: {method: euler, step_size: 0.5, duration: 2000}\nmonitors:\n" + monitors
		src = strings.Replace(src, "monitors:\n", "\nmonitors:\n", 1)
		if err := os.WriteFile(exp, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		if code := run([]string{"render", "lems", exp, "-o", filepath.Join(dir, "out.xml")}, &stdout, &stderr); code != 0 {
			t.Fatalf("%q: exit %d: %s", monitors, code, stderr.String())
		}
		got := stderr.String()
		if want == "" && strings.Contains(got, "not rendered") || want != "" && strings.Count(got, "not rendered") != 1 || !strings.Contains(got, want) {
			t.Errorf("%q: stderr %q, want %q", monitors, got, want)
		}
	}
}
