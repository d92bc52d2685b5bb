package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tvboc/tvboc/compare"
	"github.com/tvboc/tvboc/reference"
)

// jLEMS (jNeuroML's engine) is the reference of every NeuroML/LEMS
// experiment, and tvboc reproduces its stepping (reference/README.md, "How
// jLEMS steps"). The tests here hold the binary to jLEMS's printed
// precision:
//
//   - TestJLEMSGoldens: the binaries of the test experiments under
//     testdata/jlems against jLEMS's outputs on them (jlems.csv.gz, made
//     by `tvboc reference`), with no jLEMS needed;
//   - TestJLEMS: with real jLEMS ($TVBOC_JNML), every rendering the
//     project makes runs in it, and the binaries of TVBO's NeuroML
//     examples are compared with it. TVBOC_JLEMS_UPDATE=1 rewrites the
//     goldens of testdata/jlems; TVBOC_JLEMS_README=1 rewrites the
//     README's "Agreement with jNeuroML" table (make jlems-table).

const jlemsCases = "../../testdata/jlems"

// strictPolicy is the bar of reproducing jLEMS: the same spikes within a
// step, subthreshold RMS error at most 1e-5 of each trace's range.
func strictPolicy() compare.Policy {
	p := compare.DefaultPolicy()
	p.MaxSpikeSteps = 1
	p.MaxRMSFrac = 1e-5
	return p
}

// compareStrict compares a binary's output with jLEMS's on every
// quantity jLEMS recorded; the binary's extra columns (derived variables
// of --record all) are not in the reference and are left out.
func compareStrict(t *testing.T, ref, sim *compare.Table) *compare.Report {
	t.Helper()
	// jLEMS prints float32: the bar is measured at that precision
	rep, err := compare.Compare(ref, sim, compare.Options{Policy: strictPolicy(), AllowMissing: true, Float32: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.MissingInSim) > 0 {
		rep.Pass = false
	}
	return rep
}

func reportText(rep *compare.Report) string {
	var b bytes.Buffer
	rep.WriteText(&b)
	return b.String()
}

func jlemsCaseDirs(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(jlemsCases)
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, filepath.Join(jlemsCases, e.Name()))
		}
	}
	if len(dirs) == 0 {
		t.Fatal("no cases under testdata/jlems")
	}
	return dirs
}

// TestJLEMSGoldens runs the binary of every testdata/jlems experiment and
// compares it with jLEMS's output on the same experiment. Each case also
// compiles under --semantics ode, which must differ from jLEMS: the cases
// are chosen so that the running sum of t and the nesting lag show.
func TestJLEMSGoldens(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	for _, dir := range jlemsCaseDirs(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			golden := filepath.Join(dir, "jlems.csv.gz")
			ref, err := compare.Load(golden, compare.LoadOptions{})
			if err != nil {
				t.Fatalf("%v (TVBOC_JNML=... TVBOC_JLEMS_UPDATE=1 go test -run TestJLEMS/ writes it)", err)
			}
			exp := filepath.Join(dir, "exp.yaml")
			out := filepath.Join(t.TempDir(), "out.csv")
			compileAndRun(t, exp, "-o", out, "--record", "all", "--quiet")
			sim, err := compare.Load(out, compare.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			rep := compareStrict(t, ref, sim)
			if !rep.Pass {
				t.Fatalf("the binary does not reproduce jLEMS:\n%s", reportText(rep))
			}
			t.Logf("\n%s", reportText(rep))

			// the plain ODE reading is measurably something else
			ode := filepath.Join(t.TempDir(), "ode.csv")
			compileAndRunWith(t, exp, []string{"--semantics", "ode"}, "-o", ode, "--quiet")
			simODE, err := compare.Load(ode, compare.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if repODE := compareStrict(t, ref, simODE); repODE.Pass {
				t.Errorf("--semantics ode reproduces jLEMS too: the case does not show what the jlems reading changes")
			}
		})
	}
}

// compileAndRunWith is compileAndRun with extra compile flags.
func compileAndRunWith(t *testing.T, exp string, flags []string, args ...string) {
	t.Helper()
	dir, err := buildCache()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "sim")
	var stdout, stderr bytes.Buffer
	cmd := append(append([]string{"compile", "-q", "--cache-dir", dir}, flags...), exp, "-o", bin)
	if code := run(cmd, &stdout, &stderr); code != 0 {
		t.Fatalf("compiling %s: exit %d\n%s", exp, code, stderr.String())
	}
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("running %s: %v\n%s", bin, err, out)
	}
}

// jlemsExact are the TVBO NeuroML examples the binary reproduces (strict
// policy); TestJLEMS fails when one of them stops agreeing.
var jlemsExact = map[string]bool{
	"Ex0": true, "Ex1": true, "Ex1.exp": true, "Ex1.exp_custom": true, "Ex2": true, "Ex3": true, "Ex4": true,
	"Ex5": true, "Ex6": true, "Ex7": true, "Ex8": true, "Ex9": true, "Ex10": true, "Ex11": true, "Ex12": true, "Ex13": true, "Ex14": true, "Ex15": true, "Ex16": true, "Ex17": true, "Ex18": true,
	"Ex19": true, "Ex20": true, "Ex21": true, "Ex22": true, "Ex23": true, "Ex24": true, "Ex25": true, "Ex26": true, "Ex27": true,
}

// TestJLEMS runs real jLEMS ($TVBOC_JNML) on every LEMS file tvboc
// renders: the testdata/lems cases that render, the testdata/jlems cases
// and TVBO's NeuroML examples. Each must run; the examples' binaries are
// compared with jLEMS as well, and make the agreement table.
func TestJLEMS(t *testing.T) {
	jnml := os.Getenv(reference.EnvJnml)
	if jnml == "" {
		t.Skipf("$%s is not set: real jLEMS is needed (see ../shared/notes/jlems.md for building it)", reference.EnvJnml)
	}
	if testing.Short() {
		t.Skip("runs jLEMS on every rendering")
	}
	runRef := func(t *testing.T, exp string) (string, time.Duration) {
		t.Helper()
		dir := filepath.Join(t.TempDir(), "ref")
		start := time.Now()
		code, _, stderr := workflowTool(t, "reference", "-q", "--jnml", jnml, exp, "-o", dir)
		if code != 0 {
			t.Fatalf("jLEMS refuses the rendering of %s:\n%s", exp, stderr)
		}
		name := strings.TrimSuffix(filepath.Base(exp), ".yaml")
		return filepath.Join(dir, name+".csv"), time.Since(start)
	}

	t.Run("testdata/lems", func(t *testing.T) {
		entries, err := os.ReadDir(casesDirLEMS)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			dir := filepath.Join(casesDirLEMS, e.Name())
			if _, err := os.Stat(filepath.Join(dir, "error.txt")); err == nil || !e.IsDir() {
				continue // a refusal: nothing to run
			}
			exp := filepath.Join(dir, "exp.yaml")
			if e.Name() == "ex2" {
				exp = "../../testdata/ex2/ex2.yaml" // the seed, rendered from its own folder
			}
			t.Run(e.Name(), func(t *testing.T) { runRef(t, exp) })
		}
	})

	t.Run("testdata/jlems", func(t *testing.T) {
		for _, dir := range jlemsCaseDirs(t) {
			t.Run(filepath.Base(dir), func(t *testing.T) {
				csv, _ := runRef(t, filepath.Join(dir, "exp.yaml"))
				if os.Getenv("TVBOC_JLEMS_UPDATE") != "" {
					if err := gzipFile(csv, filepath.Join(dir, "jlems.csv.gz")); err != nil {
						t.Fatal(err)
					}
					return
				}
				ref, err := compare.Load(csv, compare.LoadOptions{})
				if err != nil {
					t.Fatal(err)
				}
				golden, err := compare.Load(filepath.Join(dir, "jlems.csv.gz"), compare.LoadOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if rep := compareStrict(t, ref, golden); !rep.Pass || rep.Quantities[0].RMS != 0 {
					t.Errorf("jLEMS's output differs from the golden (TVBOC_JLEMS_UPDATE=1 rewrites it):\n%s", reportText(rep))
				}
			})
		}
	})

	t.Run("tvbo", func(t *testing.T) {
		needReference(t)
		dir := filepath.Join(referenceRoot, "tvbo", "neuroml")
		paths, err := filepath.Glob(filepath.Join(dir, "Ex*.yaml"))
		if err != nil || len(paths) == 0 {
			t.Fatalf("no TVBO examples in %s: %v", dir, err)
		}
		sort.Slice(paths, func(i, j int) bool { return exampleOrder(paths[i]) < exampleOrder(paths[j]) })
		var rows []agreementRow
		for _, exp := range paths {
			name := strings.TrimSuffix(filepath.Base(exp), ".yaml")
			t.Run(name, func(t *testing.T) {
				csv, jt := runRef(t, exp)
				ref, err := compare.Load(csv, compare.LoadOptions{})
				if err != nil {
					t.Fatal(err)
				}
				out := filepath.Join(t.TempDir(), "out.csv")
				start := time.Now()
				compileAndRun(t, exp, "-o", out, "--record", "all", "--quiet")
				st := time.Since(start)
				sim, err := compare.Load(out, compare.LoadOptions{})
				if err != nil {
					t.Fatal(err)
				}
				rep := compareStrict(t, ref, sim)
				rows = append(rows, newAgreementRow(name, rep, jt, st))
				switch {
				case !rep.Pass && jlemsExact[name]:
					t.Errorf("%s no longer reproduces jLEMS:\n%s", name, reportText(rep))
				case rep.Pass && !jlemsExact[name]:
					t.Logf("%s now reproduces jLEMS: add it to jlemsExact", name)
				}
			})
		}
		table := agreementTable(rows)
		t.Logf("\n%s", table)
		if os.Getenv("TVBOC_JLEMS_README") != "" {
			if err := spliceREADME("../../README.md", table); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// casesDirLEMS holds the rendering cases (render/lems's testdata).
const casesDirLEMS = "../../testdata/lems"

// exampleOrder sorts Ex2 before Ex10, and Ex1.exp after Ex1.
func exampleOrder(path string) string {
	name := strings.TrimPrefix(strings.TrimSuffix(filepath.Base(path), ".yaml"), "Ex")
	num, rest, _ := strings.Cut(name, ".")
	return fmt.Sprintf("%04s.%s", num, rest)
}

type agreementRow struct {
	name            string
	refSpikes       int
	simSpikes       int
	maxOffset       float64 // steps; NaN when no spikes were compared
	rmsFrac         float64 // the largest over the quantities
	pass            bool
	jlemsT, tvbocT  time.Duration
	quantities, bad int
}

func newAgreementRow(name string, rep *compare.Report, jt, st time.Duration) agreementRow {
	r := agreementRow{name: name, pass: rep.Pass, jlemsT: jt, tvbocT: st, maxOffset: math.NaN()}
	for _, q := range rep.Quantities {
		r.quantities++
		if !q.Pass {
			r.bad++
		}
		r.rmsFrac = math.Max(r.rmsFrac, q.RMSFrac)
		if q.Spiking {
			r.refSpikes += q.RefSpikes
			r.simSpikes += q.SimSpikes
			if math.IsNaN(r.maxOffset) || q.MaxSpikeOffsetSteps > r.maxOffset {
				r.maxOffset = q.MaxSpikeOffsetSteps
			}
		}
	}
	return r
}

// agreementTable is the README's table, one row per example.
func agreementTable(rows []agreementRow) string {
	var b strings.Builder
	b.WriteString("| example | agrees | spikes jLEMS/tvboc | largest spike offset (steps) | largest RMS/range | quantities failing | jLEMS wall time | tvboc wall time (compile + run) |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		agree, spikes, offset := "no", "-", "-"
		if r.pass {
			agree = "yes"
		}
		if !math.IsNaN(r.maxOffset) {
			spikes = fmt.Sprintf("%d/%d", r.refSpikes, r.simSpikes)
			offset = fmt.Sprintf("%.0f", r.maxOffset)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %.1e | %d of %d | %.1f s | %.1f s |\n",
			r.name, agree, spikes, offset, r.rmsFrac, r.bad, r.quantities, r.jlemsT.Seconds(), r.tvbocT.Seconds())
	}
	return b.String()
}

const (
	tableBegin = "<!-- jlems-agreement:begin (written by TVBOC_JLEMS_README=1 go test ./cmd/tvboc -run TestJLEMS/tvbo) -->\n"
	tableEnd   = "<!-- jlems-agreement:end -->\n"
)

// spliceREADME replaces the table between the README's markers.
func spliceREADME(path, table string) error {
	text, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := string(text)
	i, j := strings.Index(s, tableBegin), strings.Index(s, tableEnd)
	if i < 0 || j < i {
		return fmt.Errorf("%s has no agreement table markers", path)
	}
	s = s[:i+len(tableBegin)] + table + s[j:]
	return os.WriteFile(path, []byte(s), 0o644)
}

func gzipFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.ModTime = time.Time{} // the same output gives the same bytes
	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(dst, b.Bytes(), 0o644)
}
