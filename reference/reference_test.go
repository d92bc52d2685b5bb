package reference_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tvboc/tvboc/compare"
	"github.com/tvboc/tvboc/compiler"
	"github.com/tvboc/tvboc/reference"
	"github.com/tvboc/tvboc/render/lems"
)

// fakeJnml builds the jNeuroML stand-in (testdata/fakejnml) once.
var fakeJnml = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "tvboc-fakejnml-")
	if err != nil {
		return "", err
	}
	exe := filepath.Join(dir, "jnml")
	out, err := exec.Command("go", "build", "-o", exe, "./testdata/fakejnml").CombinedOutput()
	if err != nil {
		return "", errors.New(string(out))
	}
	return exe, nil
})

func jnml(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is needed to build the jNeuroML stand-in")
	}
	exe, err := fakeJnml()
	if err != nil {
		t.Fatalf("building the jNeuroML stand-in: %v", err)
	}
	return exe
}

func renderSeed(t *testing.T) *lems.Document {
	t.Helper()
	r, err := compiler.Check("../testdata/ex2/ex2.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := lems.Render(r.AST, r.Model)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestRunSeed runs the stand-in on the seed's rendering and checks the
// merged table: every OutputColumn once, in order, under the results
// contract's names, on the 40001 times of a 200 ms run at 5 us.
func TestRunSeed(t *testing.T) {
	exe := jnml(t)
	doc := renderSeed(t)
	dir := t.TempDir()
	var log bytes.Buffer
	table, err := reference.Run(context.Background(), doc, reference.Options{Jnml: exe, Dir: dir, Name: "ex2.lems.xml", Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"izBurst_pop[0]/v", "izBurst_pop[0]/U", "izTonic_pop[0]/v", "izTonic_pop[0]/U",
		"izMixed_pop[0]/v", "izMixed_pop[0]/U", "izClass1_pop[0]/v", "izClass1_pop[0]/U",
	}
	if strings.Join(table.Names, " ") != strings.Join(want, " ") {
		t.Errorf("names = %v, want %v", table.Names, want)
	}
	if table.Len() != 40001 || table.T[0] != 0 || table.T[1] != 5e-6 {
		t.Errorf("time: %d rows starting %v, want 40001 rows from 0 in steps of 5e-6", table.Len(), table.T[:2])
	}
	if !strings.Contains(log.String(), "simulating ex2.lems.xml") {
		t.Errorf("jNeuroML's output was not passed on: %q", log.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "ex2.lems.xml")); err != nil {
		t.Errorf("the LEMS file was not left for inspection: %v", err)
	}

	// The CSV reads back as the same table, at full precision.
	var csv bytes.Buffer
	if err := reference.WriteCSV(&csv, table); err != nil {
		t.Fatal(err)
	}
	back, err := compare.ParseCSV(&csv, "csv")
	if err != nil {
		t.Fatal(err)
	}
	for i := range table.Cols {
		for k := range table.T {
			if back.Cols[i][k] != table.Cols[i][k] || back.T[k] != table.T[k] {
				t.Fatalf("CSV round trip changed row %d column %d", k+1, i+1)
			}
		}
	}
}

// TestRunFailures checks that every way jNeuroML can let us down is
// reported with what went wrong and where.
func TestRunFailures(t *testing.T) {
	exe := jnml(t)
	doc := renderSeed(t)
	tests := []struct {
		mode string
		want []string
	}{
		{"fail", []string{"-nogui failed", "exit status 1", "jNeuroML said:", "ContentError: cannot parse the model"}},
		{"silent", []string{"did not write", "izBurst.dat", "OutputFile of0"}},
		{"ragged", []string{"izBurst.dat:4", "row has 2 fields, want 3"}},
		{"nan", []string{"izBurst.dat:3", `column 3 "izBurst_pop[0]/U"`, "NaN"}},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			t.Setenv("FAKEJNML_MODE", tt.mode)
			_, err := reference.Run(context.Background(), doc, reference.Options{Jnml: exe, Dir: t.TempDir(), Name: "ex2.lems.xml"})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// TestRunRemovesStaleOutputs: a .dat left by an earlier run must not be
// read as this run's output when jNeuroML writes nothing.
func TestRunRemovesStaleOutputs(t *testing.T) {
	exe := jnml(t)
	doc := renderSeed(t)
	dir := t.TempDir()
	if _, err := reference.Run(context.Background(), doc, reference.Options{Jnml: exe, Dir: dir, Name: "ex2.lems.xml"}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FAKEJNML_MODE", "silent")
	if _, err := reference.Run(context.Background(), doc, reference.Options{Jnml: exe, Dir: dir, Name: "ex2.lems.xml"}); err == nil {
		t.Fatal("a stale output file was accepted")
	}
}

func TestFindJnml(t *testing.T) {
	exe := jnml(t)
	t.Run("explicit", func(t *testing.T) {
		got, err := reference.FindJnml(exe)
		if err != nil || got != exe {
			t.Errorf("FindJnml(%q) = %q, %v", exe, got, err)
		}
	})
	t.Run("environment", func(t *testing.T) {
		t.Setenv(reference.EnvJnml, exe)
		got, err := reference.FindJnml("")
		if err != nil || got != exe {
			t.Errorf("FindJnml with $%s = %q, %v", reference.EnvJnml, got, err)
		}
	})
	t.Run("missing", func(t *testing.T) {
		t.Setenv(reference.EnvJnml, "")
		t.Setenv("PATH", t.TempDir())
		_, err := reference.FindJnml("")
		var nf *reference.NotFoundError
		if !errors.As(err, &nf) {
			t.Fatalf("err = %v, want a NotFoundError", err)
		}
		for _, w := range []string{"no jnml on PATH", "--jnml", reference.EnvJnml, "pyneuroml"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q does not say %q", err, w)
			}
		}
	})
	// A relative --jnml names a file from where tvboc was started; Run
	// starts jNeuroML in the output directory, so the path must be made
	// absolute first (issue 14, item 8: ./jnml was "no such file").
	t.Run("relative path", func(t *testing.T) {
		doc := renderSeed(t)
		t.Chdir(filepath.Dir(exe))
		got, err := reference.FindJnml("./jnml")
		if err != nil || got != exe {
			t.Fatalf("FindJnml(./jnml) = %q, %v; want %q", got, err, exe)
		}
		if _, err := reference.Run(context.Background(), doc, reference.Options{Jnml: got, Dir: t.TempDir(), Name: "ex2.lems.xml"}); err != nil {
			t.Errorf("running ./jnml from another directory: %v", err)
		}
	})
	t.Run("bad explicit path", func(t *testing.T) {
		_, err := reference.FindJnml(filepath.Join(t.TempDir(), "nope"))
		if err == nil || !strings.Contains(err.Error(), "--jnml") {
			t.Errorf("err = %v, want one naming --jnml", err)
		}
	})
}

func TestMerge(t *testing.T) {
	a := &compare.Table{Names: []string{"a"}, T: []float64{0, 1}, Cols: [][]float64{{1, 2}}, Source: "a.dat"}
	b := &compare.Table{Names: []string{"b"}, T: []float64{0, 1}, Cols: [][]float64{{3, 4}}, Source: "b.dat"}
	shorter := &compare.Table{Names: []string{"c"}, T: []float64{0}, Cols: [][]float64{{5}}, Source: "c.dat"}
	shifted := &compare.Table{Names: []string{"d"}, T: []float64{0, 2}, Cols: [][]float64{{5, 6}}, Source: "d.dat"}
	dup := &compare.Table{Names: []string{"a"}, T: []float64{0, 1}, Cols: [][]float64{{5, 6}}, Source: "e.dat"}
	tests := []struct {
		name    string
		tables  []*compare.Table
		wantErr string
	}{
		{"two files", []*compare.Table{a, b}, ""},
		{"rows differ", []*compare.Table{a, shorter}, "c.dat has 1 rows but a.dat has 2"},
		{"times differ", []*compare.Table{a, shifted}, "row 2: d.dat has t=2 but a.dat has t=1"},
		{"duplicate", []*compare.Table{a, dup}, "quantity a is in both a.dat and e.dat"},
		{"none", nil, "no output files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := reference.Merge(tt.tables, "x.xml")
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if strings.Join(m.Names, ",") != "a,b" || m.Cols[1][1] != 4 {
					t.Errorf("merged %v %v", m.Names, m.Cols)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestColumnsFromLEMS(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sim.xml")
	doc := renderSeed(t)
	if err := os.WriteFile(path, doc.XML, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		dat     string
		want    string
		wantErr string
	}{
		{"izTonic.dat", "izTonic_pop[0]/v,izTonic_pop[0]/U", ""},
		{"some/dir/izClass1.dat.gz", "izClass1_pop[0]/v,izClass1_pop[0]/U", ""},
		{"other.dat", "", "has no OutputFile named other.dat (it has results/izBurst.dat"},
	}
	for _, tt := range tests {
		got, err := reference.ColumnsFromLEMS(path, tt.dat)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: err = %v, want %q", tt.dat, err, tt.wantErr)
			}
			continue
		}
		if err != nil || strings.Join(got, ",") != tt.want {
			t.Errorf("%s: %v, %v; want %s", tt.dat, got, err, tt.want)
		}
	}
	bad := filepath.Join(dir, "bad.xml")
	os.WriteFile(bad, []byte("<Lems><Simulation>\n<OutputFile fileName='x.dat'>\n</Lems>"), 0o644)
	if _, err := reference.ColumnsFromLEMS(bad, "x.dat"); err == nil || !strings.Contains(err.Error(), "bad.xml:3: not well-formed") {
		t.Errorf("malformed LEMS: err = %v", err)
	}
}

// TestRunFailureLeavesNothing: a failed run leaves no file and no
// directory it made (the LEMS file and results/ stayed behind), and the
// files of an earlier run in the same directory stay as they were; the
// error names the user's directory, never the working one.
func TestRunFailureLeavesNothing(t *testing.T) {
	exe := jnml(t)
	doc := renderSeed(t)
	for _, mode := range []string{"fail", "silent", "nan"} {
		t.Run(mode, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "new", "ref")
			t.Setenv("FAKEJNML_MODE", mode)
			_, err := reference.Run(context.Background(), doc, reference.Options{Jnml: exe, Dir: dir, Name: "ex2.lems.xml"})
			if err == nil {
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), ".reference-") {
				t.Errorf("the error names the working directory: %v", err)
			}
			if entries, _ := os.ReadDir(root); len(entries) != 0 {
				t.Errorf("left behind: %v", entries)
			}

			// an earlier run's files stay as they were
			t.Setenv("FAKEJNML_MODE", "")
			if _, err := reference.Run(context.Background(), doc, reference.Options{Jnml: exe, Dir: dir, Name: "ex2.lems.xml"}); err != nil {
				t.Fatal(err)
			}
			before := tree(t, dir)
			t.Setenv("FAKEJNML_MODE", mode)
			if _, err := reference.Run(context.Background(), doc, reference.Options{Jnml: exe, Dir: dir, Name: "ex2.lems.xml"}); err == nil {
				t.Fatal("no error")
			}
			if after := tree(t, dir); after != before {
				t.Errorf("the failed run changed the earlier run's files:\n%s\nwere\n%s", after, before)
			}
		})
	}
}

// tree lists the files under dir with their contents' lengths and a
// checksum.
func tree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		fmt.Fprintf(&b, "%s %d %x\n", strings.TrimPrefix(path, dir), len(data), sha256.Sum256(data))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
