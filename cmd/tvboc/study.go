package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tvboc/tvboc/compiler"
	"github.com/tvboc/tvboc/compiler/inputs"
	"github.com/tvboc/tvboc/compiler/load"
	"github.com/tvboc/tvboc/gen/build"
)

// checkStudy reports every experiment of a study: ok with its summary, or
// its problem. It fails when any experiment cannot compile. ok is false
// when path holds no study.
func checkStudy(path string, quiet bool, stderr io.Writer) (ok bool, err error) {
	s, exps, ok, err := compiler.Study(path, "")
	if !ok || err != nil {
		return ok, err
	}
	failed := 0
	for _, e := range exps {
		if e.Err != nil {
			failed++
		}
	}
	if !quiet || failed > 0 {
		fmt.Fprintf(stderr, "%s: study %s, %d experiments, %d compile\n", path, s.Key.Value, len(exps), len(exps)-failed)
		for _, e := range exps {
			fmt.Fprintf(stderr, "  experiment %s%s: %s\n", e.ID, labelOf(e.Label), studyStatus(e))
		}
	}
	if failed > 0 {
		return true, exitError{1}
	}
	return true, nil
}

func labelOf(label string) string {
	if label == "" {
		return ""
	}
	return fmt.Sprintf(" (%q)", label)
}

func studyStatus(e *compiler.StudyExperiment) string {
	if e.Err == nil {
		return "ok: " + compiler.BrainSummaryOf(e.Brain)
	}
	msg := strings.ReplaceAll(strings.TrimPrefix(indentErrors(e.Err), "tvboc: "), "\n", "\n    ")
	return "does not compile: " + msg
}

// compileStudy builds one binary per experiment of a study that compiles,
// named <study>-<id> in the directory out (the current one when empty),
// or, with only set, that experiment's binary at out. Experiments that do
// not compile are reported and the others still build; the exit status
// says whether every one did. ok is false when path holds no study.
func compileStudy(path, only, out string, opts build.Options, quiet bool, stderr io.Writer) (ok bool, err error) {
	stop := inputs.Record()
	s, exps, ok, err := compiler.Study(path, only)
	reads := append(inputs.Paths(stop()), path)
	if !ok || err != nil {
		return ok, err
	}
	// every binary's name before any is built: two ids that become the
	// same file name ("x y" and "x_y") built one binary over the other
	bins := map[*compiler.StudyExperiment]string{}
	byName := map[string]string{}
	for _, e := range exps {
		bin := filepath.Join(out, fileName(binaryName(s.Key.Value, path)+"-"+e.ID))
		if only != "" && out != "" {
			bin = out
		}
		if other, dup := byName[bin]; dup {
			return true, usageError{fmt.Errorf("%s: experiments %q and %q would both be built as %s: give them ids that differ in letters, digits, '.', '-' or '_' (other characters become '_')", path, other, e.ID, bin)}
		}
		byName[bin], bins[e] = e.ID, bin
		if err := refuseClashes([][2]string{{"-o", bin}}, reads); err != nil {
			return true, err
		}
		if only != "" && out != "" {
			if err := checkOutput(bin, path); err != nil {
				return true, err
			}
		}
	}
	failed := 0
	for _, e := range exps {
		if e.Err != nil {
			failed++
			fmt.Fprintf(stderr, "tvboc: %s experiment %s%s %s\n", path, e.ID, labelOf(e.Label), studyStatus(e))
			continue
		}
		bin := bins[e]
		if only == "" && out != "" {
			if err := os.MkdirAll(out, 0o755); err != nil {
				return true, fmt.Errorf("cannot create the output directory %s: %v", out, err)
			}
		}
		res, err := build.Build(e.Source, bin, opts)
		if err != nil {
			return true, err
		}
		if !quiet {
			how := "built"
			if res.Cached {
				how = "from cache"
			}
			fmt.Fprintf(stderr, "tvboc: %s experiment %s -> %s (%s)\n", path, e.ID, bin, how)
		}
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "tvboc: %d of %d experiments of %s do not compile\n", failed, len(exps), path)
		return true, exitError{1}
	}
	return true, nil
}

// fileName makes a study's key and an experiment's id a file name:
// characters other than letters, digits, '.', '-' and '_' become '_', so
// an id such as "../x" or "a/b" names a file in the output directory,
// not elsewhere.
func fileName(id string) string {
	b := []byte(id)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' && i > 0) {
			b[i] = '_'
		}
	}
	return string(b)
}

// binaryName is the study's key, or its file name without extension.
func binaryName(key, path string) string {
	if key != "" {
		return key
	}
	return strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
}

// listMetadata prints, for check -v, every metadata key the file writes:
// one line per key with how often and where first (a database file
// repeats "description" dozens of times).
func listMetadata(path string, stderr io.Writer) {
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	keys, err := load.MetadataKeys(path, data)
	if err != nil || len(keys) == 0 {
		return
	}
	fmt.Fprintf(stderr, "%s: metadata, accepted and not used by the simulation:\n", path)
	type group struct {
		first string
		n     int
	}
	var order []string
	groups := map[string]*group{}
	for _, k := range keys {
		g := groups[k.Key]
		if g == nil {
			g = &group{first: k.Pos.String()}
			groups[k.Key] = g
			order = append(order, k.Key)
		}
		g.n++
	}
	for _, k := range order {
		g := groups[k]
		if g.n == 1 {
			fmt.Fprintf(stderr, "  %s at %s\n", k, g.first)
		} else {
			fmt.Fprintf(stderr, "  %s, %d times, first at %s\n", k, g.n, g.first)
		}
	}
}
