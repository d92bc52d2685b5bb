package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compare"
)

// databaseDir is TVBO's database, next to the repository.
const databaseDir = "../../../shared/reference/tvbo/database"

// coverageFile is the full table; the README holds the summary between
// coverageBegin and coverageEnd. Both are written by TestDatabaseCoverage
// -update and checked by it otherwise.
const (
	coverageFile  = "../../docs/database-coverage.md"
	readmeFile    = "../../README.md"
	coverageBegin = "<!-- database-coverage:begin (written by go test ./cmd/tvboc -run TestDatabaseCoverage -update) -->"
	coverageEnd   = "<!-- database-coverage:end -->"
)

// dbRow is what tvboc does with one file of the database.
type dbRow struct {
	file, kind                string
	loads, compiles, runs, ok string
}

// TestDatabaseCoverage reads every file of TVBO's database the way a user
// would (tvboc check; for models, dynamical systems and maps also compile
// and a short run), and keeps the coverage table in the README and in
// docs/database-coverage.md true: it fails when they say other than what
// tvboc does now. Nothing is skipped silently: every file has a row.
func TestDatabaseCoverage(t *testing.T) {
	if _, err := os.Stat(databaseDir); err != nil {
		t.Skipf("TVBO's database not found at %s (it lives next to the repository, in ../shared/reference)", databaseDir)
	}
	if testing.Short() {
		t.Skip("compiles and runs every model of the database")
	}
	if err := sympyAvailable(); err != nil {
		t.Skipf("the matches column of maps and dynamical systems needs SymPy: %v", err)
	}
	t.Setenv("TVBOC_DATA", "../../../shared/reference/tvbo/connectomes")
	t.Setenv("TVBOC_CACHE", t.TempDir())
	var files []string
	err := filepath.WalkDir(databaseDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	if len(files) < 100 {
		t.Fatalf("found only %d files under %s; the walk is broken", len(files), databaseDir)
	}
	var rows []dbRow
	for _, f := range files {
		rows = append(rows, coverageRow(t, f))
	}
	full, summary := renderCoverage(rows)
	if *update {
		if err := os.WriteFile(coverageFile, []byte(full), 0o644); err != nil {
			t.Fatal(err)
		}
		readme, err := os.ReadFile(readmeFile)
		if err != nil {
			t.Fatal(err)
		}
		updated, ok := replaceBetween(string(readme), coverageBegin, coverageEnd, summary)
		if !ok {
			t.Fatalf("README has no %s ... %s section", coverageBegin, coverageEnd)
		}
		if err := os.WriteFile(readmeFile, []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	have, err := os.ReadFile(coverageFile)
	if err != nil || string(have) != full {
		t.Errorf("%s is not what tvboc does now (run go test ./cmd/tvboc -run TestDatabaseCoverage -update); now:\n%s", coverageFile, full)
	}
	readme, _ := os.ReadFile(readmeFile)
	if got, ok := between(string(readme), coverageBegin, coverageEnd); !ok || got != summary {
		t.Errorf("the README's coverage summary is not what tvboc does now (run with -update); now:\n%s", summary)
	}
}

// coverageRow checks, compiles and runs one file.
func coverageRow(t *testing.T, path string) dbRow {
	rel, _ := filepath.Rel(databaseDir, path)
	row := dbRow{file: filepath.ToSlash(rel), kind: dbKind(rel), compiles: "—", runs: "—", ok: "—"}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"check", "-q", path}, &stdout, &stderr); code != 0 {
		row.loads = "no: " + firstProblem(stderr.String(), path)
		if row.kind == "study" {
			row.loads = "yes"
			row.compiles = studyCount(stderr.String()) + "; first problem: " + firstProblem(stderr.String(), path)
		}
		return row
	}
	row.loads = "yes"
	switch row.kind {
	case "study":
		row.compiles = "all experiments"
		return row
	case "neural-mass model", "dynamical system", "map":
	default:
		return row // not an experiment: nothing to compile
	}
	bin := filepath.Join(t.TempDir(), "sim")
	args := []string{"compile", "-q", path, "-o", bin}
	if row.kind != "map" {
		args = []string{"--duration", "10", "compile", "-q", path, "-o", bin}
	}
	stderr.Reset()
	if code := run(args, &stdout, &stderr); code != 0 {
		row.compiles = "no: " + firstProblem(stderr.String(), path)
		return row
	}
	row.compiles = "yes"
	out := filepath.Join(t.TempDir(), "out.csv")
	msg, err := exec.Command(bin, "-o", out, "--quiet", "--record", "all").CombinedOutput()
	if err != nil {
		row.runs = "no: " + firstLine(string(msg))
		return row
	}
	tab, err := compare.Load(out, compare.LoadOptions{})
	if err != nil {
		row.runs = "no: " + strings.ReplaceAll(err.Error(), out, "out.csv") // the table is the same on any machine
		return row
	}
	row.runs = fmt.Sprintf("yes, %d steps", len(tab.T)-1)
	for i, col := range tab.Cols {
		for k, v := range col {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				row.runs = fmt.Sprintf("not finite: %s at row %d", tab.Names[i], k)
				return row
			}
		}
	}
	switch row.kind {
	case "neural-mass model":
		golden := filepath.Join("../../testdata/tvb/models", strings.TrimSuffix(filepath.Base(path), ".yaml")+".csv.gz")
		if _, err := os.Stat(golden); err == nil {
			row.ok = "TVB, within 1e-9 of range (compiler/brain TestTVBOModelsMatchTVB)"
		} else {
			row.ok = "no reference yet"
		}
	case "dynamical system", "map":
		dt := 0.01 // ms, the default step of a model file (ignored for a map)
		if worst, err := sympySteps(path, out, dt); err != nil {
			row.ok = "no: " + firstLine(err.Error())
		} else if worst > sympyTolerance {
			row.ok = fmt.Sprintf("no: a step differs from SymPy's by %.2g of the variable's scale", worst)
		} else if row.kind == "map" {
			row.ok = "SymPy's reading of its equations (TVBO's), every iteration within 1e-13"
		} else {
			row.ok = "SymPy's reading of its equations (TVBO's), every Euler step within 1e-13; itself at a finer step, at its method's order (compiler/brain TestDynamicalSystemsConverge)"
		}
	default:
		row.ok = "no reference yet"
	}
	return row
}

func dbKind(rel string) string {
	switch dir := filepath.ToSlash(filepath.Dir(rel)); dir {
	case "models":
		return "neural-mass model"
	case "models/julia":
		return "dynamical system"
	case "models/julia/discrete":
		return "map"
	case "coupling_functions":
		return "coupling function"
	case "integrators":
		return "integrator"
	case "networks":
		return "network file"
	case "atlases":
		return "atlas"
	case "studies":
		return "study"
	default:
		return dir
	}
}

var studyLine = regexp.MustCompile(`study \S+, (\d+) experiments, (\d+) compile`)

func studyCount(msg string) string {
	m := studyLine.FindStringSubmatch(msg)
	if m == nil {
		return "no experiments"
	}
	return m[2] + " of " + m[1] + " experiments"
}

// firstProblem is the first error of a message, without the file's path
// and the hint, short enough for a table cell.
func firstProblem(msg, path string) string {
	for _, line := range strings.Split(msg, "\n") {
		line = strings.TrimSpace(line)
		if studyLine.MatchString(line) {
			continue // a study's summary, not a problem
		}
		if _, after, ok := strings.Cut(line, "does not compile: "); ok {
			line = after // a study's first failing experiment
		}
		if before, _, ok := strings.Cut(line, " is in none of "); ok {
			line = before + " is not in the data directory or next to the file"
		}
		i := strings.Index(line, filepath.Base(path)+":")
		if i < 0 {
			continue
		}
		line = line[i+len(filepath.Base(path))+1:]
		// drop the line:col and the hint
		if j := strings.Index(line, ": "); j >= 0 && strings.Trim(line[:j], "0123456789:") == "" {
			line = line[j+2:]
		}
		if j := strings.Index(line, " ("); j > 0 {
			line = line[:j]
		}
		return strings.ReplaceAll(line, "|", "\\|")
	}
	return firstLine(msg)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.ReplaceAll(s, "|", "\\|")
}

// renderCoverage writes the full table and the README's summary: per
// kind, how many files load, compile and run.
func renderCoverage(rows []dbRow) (full, summary string) {
	var b strings.Builder
	b.WriteString("# TVBO's database: what tvboc does with each file\n\nWritten by `go test ./cmd/tvboc -run TestDatabaseCoverage -update` from TVBO's database in `../shared/reference/tvbo/database`; the test fails when this file says other than what tvboc does. *loads*: `tvboc check`; *compiles*: `tvboc compile` (models: 10 ms; maps: 1000 iterations); *runs*: the binary runs and every recorded value is finite; *matches*: agreement with a reference simulator's run of the same file.\n\n")
	b.WriteString("| file | kind | loads | compiles | runs | matches |\n|---|---|---|---|---|---|\n")
	type count struct{ n, loads, compiles, runs, matches int }
	counts := map[string]*count{}
	var kinds []string
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", r.file, r.kind, r.loads, r.compiles, r.runs, r.ok)
		c := counts[r.kind]
		if c == nil {
			c = &count{}
			counts[r.kind] = c
			kinds = append(kinds, r.kind)
		}
		c.n++
		if r.loads == "yes" {
			c.loads++
		}
		if r.compiles == "yes" || r.compiles == "all experiments" {
			c.compiles++
		}
		if strings.HasPrefix(r.runs, "yes") {
			c.runs++
		}
		if r.ok != "—" && r.ok != "no reference yet" {
			c.matches++
		}
	}
	var s strings.Builder
	s.WriteString("\n| kind | files | load | compile | run | match a reference |\n|---|---:|---:|---:|---:|---:|\n")
	for _, k := range kinds {
		c := counts[k]
		compiles, runs, matches := fmt.Sprint(c.compiles), fmt.Sprint(c.runs), fmt.Sprint(c.matches)
		switch k {
		case "coupling function", "integrator", "network file", "atlas":
			compiles, runs, matches = "—", "—", "—"
		case "study":
			compiles, runs, matches = fmt.Sprintf("%d (every experiment)", c.compiles), "—", "—"
		}
		fmt.Fprintf(&s, "| %s | %d | %d | %s | %s | %s |\n", k, c.n, c.loads, compiles, runs, matches)
	}
	s.WriteString("\n")
	return b.String(), s.String()
}

func between(s, begin, end string) (string, bool) {
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		return "", false
	}
	return s[i+len(begin) : j], true
}

func replaceBetween(s, begin, end, with string) (string, bool) {
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		return s, false
	}
	return s[:i+len(begin)] + with + s[j:], true
}
