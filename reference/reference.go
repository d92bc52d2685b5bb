// Package reference runs the reference simulator, jNeuroML, on an
// experiment's LEMS rendering and gathers what it writes into one results
// table with the names of the results contract, so `tvboc compare` can put
// it next to the compiled simulation's output.
//
// jNeuroML is found by an explicit path, then $TVBOC_JNML, then `jnml` on
// PATH. It is run as `jnml FILE.xml -nogui` in the directory of the LEMS
// file, where it writes the .dat files the Simulation's OutputFiles name;
// each is read with the quantities of its OutputColumns as column names.
package reference

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tvboc/tvboc/compare"
	"github.com/tvboc/tvboc/render/lems"
)

// EnvJnml names the environment variable that points at jNeuroML.
const EnvJnml = "TVBOC_JNML"

// NotFoundError says jNeuroML could not be found, and how to point tvboc
// at it.
type NotFoundError struct {
	// Tried describes where tvboc looked.
	Tried string
}

func (e *NotFoundError) Error() string {
	return "jNeuroML not found (" + e.Tried + "). The reference run needs jNeuroML, the NeuroML/LEMS reference simulator (needs Java): " +
		"install it (e.g. `pip install pyneuroml`, which provides jnml, or the jNeuroML release from github.com/NeuroML/jNeuroML) " +
		"and put jnml on PATH, or pass --jnml /path/to/jnml, or set " + EnvJnml + "=/path/to/jnml"
}

// FindJnml returns the jNeuroML executable to run: explicit if set, else
// $TVBOC_JNML, else jnml on PATH. The path returned is absolute, because
// [Run] starts jNeuroML in another directory, where a relative path such as
// ./jnml would name nothing.
func FindJnml(explicit string) (string, error) {
	check := func(path, how string) (string, error) {
		p, err := exec.LookPath(path)
		if err != nil {
			return "", &NotFoundError{Tried: fmt.Sprintf("%s %q is not an executable file", how, path)}
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return "", &NotFoundError{Tried: fmt.Sprintf("%s %q: %v", how, path, err)}
		}
		return abs, nil
	}
	if explicit != "" {
		return check(explicit, "--jnml")
	}
	if env := os.Getenv(EnvJnml); env != "" {
		return check(env, "$"+EnvJnml)
	}
	if _, err := exec.LookPath("jnml"); err != nil {
		return "", &NotFoundError{Tried: "no jnml on PATH and $" + EnvJnml + " is not set"}
	}
	return check("jnml", "jnml on PATH")
}

// Options configure [Run].
type Options struct {
	// Jnml is the jNeuroML executable (see [FindJnml]).
	Jnml string
	// Dir is where the LEMS file is written and jNeuroML runs; its
	// results/ subdirectory receives the .dat files.
	Dir string
	// Name is the LEMS file's base name, e.g. "ex2.lems.xml".
	Name string
	// Log receives jNeuroML's output; nil discards it (it is still quoted
	// in the error when jNeuroML fails).
	Log io.Writer
}

// Run writes the LEMS document into opts.Dir, runs jNeuroML on it and
// returns the merged results table: time in seconds, then every
// OutputColumn's quantity in file order.
//
// jNeuroML runs in a fresh directory inside opts.Dir, and the LEMS file
// and its outputs are moved into opts.Dir only when every output has been
// read: a failed run leaves no file behind (and no directory it made),
// and a file of an earlier run is never read as this run's.
func Run(ctx context.Context, doc *lems.Document, opts Options) (table *compare.Table, err error) {
	made := firstMissing(opts.Dir)
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("reference: %w", err)
	}
	work, err := os.MkdirTemp(opts.Dir, ".reference-")
	if err != nil {
		if made != "" {
			os.RemoveAll(made)
		}
		return nil, fmt.Errorf("reference: %w", err)
	}
	defer func() {
		os.RemoveAll(work)
		if err != nil && made != "" {
			os.RemoveAll(made)
		}
		if err != nil {
			// the user's paths, not the working directory's
			err = errors.New(strings.ReplaceAll(err.Error(), work, filepath.Clean(opts.Dir)))
		}
	}()
	lemsPath := filepath.Join(opts.Dir, opts.Name)
	if err := os.WriteFile(filepath.Join(work, opts.Name), doc.XML, 0o644); err != nil {
		return nil, fmt.Errorf("reference: %w", err)
	}
	for _, of := range doc.Outputs {
		path := filepath.Join(work, filepath.FromSlash(of.FileName))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("reference: %w", err)
		}
	}

	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, opts.Jnml, opts.Name, "-nogui")
	cmd.Dir = work
	var sink io.Writer = &out
	if opts.Log != nil {
		sink = io.MultiWriter(&out, opts.Log)
	}
	cmd.Stdout, cmd.Stderr = sink, sink
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("reference: %s %s -nogui failed: %v%s", opts.Jnml, lemsPath, err, tail(out.String()))
	}

	var tables []*compare.Table
	for _, of := range doc.Outputs {
		path := filepath.Join(work, filepath.FromSlash(of.FileName))
		t, err := compare.Load(path, compare.LoadOptions{Format: compare.FormatDat, Columns: of.Quantities()})
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("reference: jNeuroML finished but did not write %s (OutputFile %s)%s", path, of.ID, tail(out.String()))
		}
		if err != nil {
			return nil, fmt.Errorf("reference: %w", err)
		}
		tables = append(tables, t)
	}
	if table, err = Merge(tables, lemsPath); err != nil {
		return nil, err
	}
	// every output read: into place, the LEMS file last
	for _, of := range doc.Outputs {
		if err := moveInto(work, opts.Dir, filepath.FromSlash(of.FileName)); err != nil {
			return nil, err
		}
	}
	if err := moveInto(work, opts.Dir, opts.Name); err != nil {
		return nil, err
	}
	return table, nil
}

// moveInto moves the file rel from directory from to directory to,
// making the directories it needs there.
func moveInto(from, to, rel string) error {
	dst := filepath.Join(to, rel)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("reference: %w", err)
	}
	if err := os.Rename(filepath.Join(from, rel), dst); err != nil {
		return fmt.Errorf("reference: %w", err)
	}
	return nil
}

// firstMissing is the outermost directory of dir's path that does not
// exist yet ("" when dir exists): what MkdirAll(dir) makes, and what a
// failed run removes again.
func firstMissing(dir string) string {
	dir = filepath.Clean(dir)
	missing := ""
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil {
			return missing
		}
		missing = d
		if parent := filepath.Dir(d); parent == d {
			return missing
		}
	}
}

// tail quotes the last lines of a tool's output for an error message.
func tail(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > 15 {
		lines = lines[len(lines)-15:]
	}
	return "\njNeuroML said:\n  " + strings.Join(lines, "\n  ")
}

// Merge joins tables that share one time grid into one table, columns in
// order. jNeuroML writes every OutputFile on the same steps; a table whose
// times differ means the files are from different runs.
func Merge(tables []*compare.Table, source string) (*compare.Table, error) {
	if len(tables) == 0 {
		return nil, fmt.Errorf("reference: no output files to merge")
	}
	first := tables[0]
	out := &compare.Table{T: first.T, Source: source}
	seen := map[string]string{}
	for _, t := range tables {
		if t.Len() != first.Len() {
			return nil, fmt.Errorf("reference: %s has %d rows but %s has %d: the output files are not from one run",
				t.Source, t.Len(), first.Source, first.Len())
		}
		for k := range t.T {
			if math.Abs(t.T[k]-first.T[k]) > 1e-9*math.Max(math.Abs(first.T[k]), 1e-12) && t.T[k] != first.T[k] {
				return nil, fmt.Errorf("reference: row %d: %s has t=%g but %s has t=%g: the output files are not from one run",
					k+1, t.Source, t.T[k], first.Source, first.T[k])
			}
		}
		for i, name := range t.Names {
			if prev, dup := seen[name]; dup {
				return nil, fmt.Errorf("reference: quantity %s is in both %s and %s", name, prev, t.Source)
			}
			seen[name] = t.Source
			out.Names = append(out.Names, name)
			out.Cols = append(out.Cols, t.Cols[i])
		}
	}
	return out, nil
}

// WriteCSV writes a table in the results contract's CSV form: header
// `t,<quantity>,...`, every number in its shortest exact form.
func WriteCSV(w io.Writer, t *compare.Table) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("t")
	for _, n := range t.Names {
		bw.WriteByte(',')
		bw.WriteString(n)
	}
	bw.WriteByte('\n')
	buf := make([]byte, 0, 32)
	for k, tk := range t.T {
		bw.Write(strconv.AppendFloat(buf[:0], tk, 'g', -1, 64))
		for _, col := range t.Cols {
			bw.WriteByte(',')
			bw.Write(strconv.AppendFloat(buf[:0], col[k], 'g', -1, 64))
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// WriteFileAtomic writes a file through a temporary file in the same
// directory and renames it into place, so a failure leaves nothing behind.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	err = write(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
