package runtime

import (
	"bytes"
	"errors"
	"go/parser"
	"go/token"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio"
	"github.com/google/go-cmp/cmp"
)

// runtimeFiles lists the package's non-test Go files, as the build driver
// copies them: with or without embed.go.
func runtimeFiles(t *testing.T, withEmbed bool) []string {
	t.Helper()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		if name == "embed.go" && !withEmbed {
			continue
		}
		names = append(names, name)
	}
	return names
}

// TestOnlyStandardLibraryImports enforces the rule that lets generated
// binaries build offline: the runtime imports nothing outside the standard
// library, whose import paths have no dot in their first element.
func TestOnlyStandardLibraryImports(t *testing.T) {
	fset := token.NewFileSet()
	for _, name := range runtimeFiles(t, true) {
		file, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range file.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			if strings.Contains(first, ".") {
				t.Errorf("%s imports %s, which is not in the standard library", name, path)
			}
		}
	}
}

func TestSourceHoldsEveryFile(t *testing.T) {
	for _, name := range runtimeFiles(t, true) {
		embedded, err := fs.ReadFile(Source, name)
		if err != nil {
			t.Errorf("Source lacks %s: %v", name, err)
			continue
		}
		onDisk, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(embedded, onDisk) {
			t.Errorf("Source has a stale copy of %s", name)
		}
	}
}

// generatedMain is a program in the shape the generator writes: two leaky
// quantities, Euler steps in chunks, everything through the rt API.
const generatedMain = `package main

import (
	"errors"
	"os"

	rt "tvbocsim/rt"
)

func main() {
	opts := rt.ParseFlags(rt.Info{
		Label: "leaky test cells", Steps: 40000, Dt: 5e-6,
		Columns: []rt.Column{
			{Name: "a_pop[0]/v", Unit: "V", Group: "v"},
			{Name: "a_pop[0]/u", Unit: "", Group: "all"},
		},
	})
	if os.Getenv("SIM_FAIL") != "" {
		rt.Fatal(errors.New("forced failure"))
	}
	rec := rt.NewRecorder(len(opts.Columns), opts.Steps+1)
	prog := rt.NewProgress(opts)
	const dt, tau = 5e-6, 0.02
	v, u := -0.07, 1.0
	row := rec.Row(0)
	row[0], row[1] = v, u
	for k0 := 0; k0 < opts.Steps; k0 += rt.Chunk {
		k1 := min(k0+rt.Chunk, opts.Steps)
		for k := k0; k < k1; k++ {
			v += dt * (-v / tau)
			u += dt * (1 - u)
			row := rec.Row(k + 1)
			row[0], row[1] = v, u
		}
		prog.Update(k1)
	}
	if err := rt.Finish(opts, rec, prog); err != nil {
		rt.Fatal(err)
	}
}
`

// leakyFinal repeats the generated program's arithmetic: the values its
// last row must hold exactly.
func leakyFinal() (v, u float64) {
	const dt, tau = 5e-6, 0.02
	v, u = -0.07, 1.0
	for range 40000 {
		v += dt * (-v / tau)
		u += dt * (1 - u)
	}
	return v, u
}

// TestGeneratedProgram builds a generated-style main against the runtime
// copied without embed.go and without network access, the way the build
// driver does, then runs the binary as a user would.
func TestGeneratedProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool in PATH")
	}

	module := t.TempDir()
	must(t, os.Mkdir(filepath.Join(module, "rt"), 0o777))
	for _, name := range runtimeFiles(t, false) {
		src, err := fs.ReadFile(Source, name)
		must(t, err)
		must(t, os.WriteFile(filepath.Join(module, "rt", name), src, 0o666))
	}
	must(t, os.WriteFile(filepath.Join(module, "go.mod"), []byte("module tvbocsim\n\ngo 1.26\n"), 0o666))
	must(t, os.WriteFile(filepath.Join(module, "main.go"), []byte(generatedMain), 0o666))
	binary := filepath.Join(module, "sim")
	if goruntime.GOOS == "windows" {
		binary += ".exe"
	}
	build := exec.Command(goTool, "build", "-o", binary, ".")
	build.Dir = module
	build.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod", "GOWORK=off", "GOTOOLCHAIN=local", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	wantV, wantU := leakyFinal()
	lastCSV := "0.2," + strconv.FormatFloat(wantV, 'g', -1, 64) + "\n"

	tests := []struct {
		name       string
		args       []string
		env        string
		wantCode   int
		wantStdout string // substring; "" means stdout must be empty
		wantStderr string // substring; "" means stderr must be empty
		wantFiles  []string
		check      func(t *testing.T, dir string, stdout string)
	}{
		{name: "help", args: []string{"--help"}, wantStdout: "sim simulates leaky test cells"},
		{name: "csv on stdout", args: []string{"--quiet"}, wantStdout: "t,a_pop[0]/v\n0,-0.07\n5e-06,",
			check: func(t *testing.T, _ string, stdout string) {
				if !strings.HasSuffix(stdout, lastCSV) {
					t.Errorf("stdout ends %q, want %q", stdout[len(stdout)-60:], lastCSV)
				}
				if n := strings.Count(stdout, "\n"); n != 40002 {
					t.Errorf("stdout has %d lines, want 40002", n)
				}
			}},
		{name: "csv file with summary", args: []string{"-o", "out.csv"},
			wantStderr: "sim: 40000 steps (200 ms simulated) in ", wantFiles: []string{"out.csv"},
			check: func(t *testing.T, dir string, _ string) {
				data, err := os.ReadFile(filepath.Join(dir, "out.csv"))
				must(t, err)
				if !strings.HasSuffix(string(data), lastCSV) {
					t.Errorf("out.csv does not end with %q", lastCSV)
				}
			}},
		{name: "npy all columns", args: []string{"--record", "all", "--quiet", "-o", "out.npy"}, wantFiles: []string{"out.npy"},
			check: func(t *testing.T, dir string, _ string) {
				f, err := os.Open(filepath.Join(dir, "out.npy"))
				must(t, err)
				defer f.Close()
				reader, err := npyio.NewReader(f)
				must(t, err)
				if diff := cmp.Diff([]int{40001, 3}, reader.Header.Descr.Shape); diff != "" {
					t.Errorf("shape (-want +got):\n%s", diff)
				}
				var values []float64
				must(t, reader.Read(&values))
				last := values[len(values)-3:]
				if last[0] != 40000*5e-6 || last[1] != wantV || last[2] != wantU {
					t.Errorf("last row %v, want [%v %v %v]", last, 40000*5e-6, wantV, wantU)
				}
				if math.IsNaN(values[4]) {
					t.Errorf("row 1 holds NaN")
				}
			}},
		{name: "bad record", args: []string{"--record", "x"}, wantCode: 2,
			wantStderr: "sim: error: --record \"x\": want v (the default columns), all (every column) or none (spikes only)\nRun 'sim --help' for usage.\n"},
		{name: "unknown format", args: []string{"-o", "out.txt"}, wantCode: 2, wantStderr: `unknown format ".txt"`},
		{name: "missing directory", args: []string{"-o", filepath.Join("nodir", "out.csv")}, wantCode: 2,
			wantStderr: "directory nodir does not exist"},
		{name: "fatal", env: "SIM_FAIL=1", wantCode: 1, wantStderr: "sim: error: forced failure\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var stdout, stderr bytes.Buffer
			run := exec.Command(binary, tt.args...)
			run.Dir, run.Stdout, run.Stderr = dir, &stdout, &stderr
			run.Env = os.Environ()
			if tt.env != "" {
				run.Env = append(run.Env, tt.env)
			}
			err := run.Run()
			code := 0
			var exitErr *exec.ExitError
			if errors.As(err, &exitErr) {
				code = exitErr.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d; stderr: %s", code, tt.wantCode, stderr.String())
			}
			expectOutput(t, "stdout", stdout.String(), tt.wantStdout)
			expectOutput(t, "stderr", stderr.String(), tt.wantStderr)

			entries, _ := os.ReadDir(dir)
			var files []string
			for _, e := range entries {
				files = append(files, e.Name())
			}
			if diff := cmp.Diff(tt.wantFiles, files); diff != "" {
				t.Errorf("files in the working directory (-want +got):\n%s", diff)
			}
			if tt.check != nil {
				tt.check(t, dir, stdout.String())
			}
		})
	}
}

func expectOutput(t *testing.T, stream, got, want string) {
	t.Helper()
	switch {
	case want == "" && got != "":
		t.Errorf("%s = %q, want nothing", stream, got[:min(len(got), 200)])
	case !strings.Contains(got, want):
		t.Errorf("%s = %q, want it to contain %q", stream, got[:min(len(got), 200)], want)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
