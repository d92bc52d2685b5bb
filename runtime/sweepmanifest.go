package runtime

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
)

// Manifest lists what a sweep (or one shard of it) did, one entry per
// set. `tvboc merge` joins the manifests of the shards of a sweep.
//
// As CSV the header is
//
//	index,<parameter>...,status,output,wall_seconds,sweep_sets,shard,error
//
// with every parameter's value in its Unit (full precision; for an invalid
// row, the text as written), status ok, invalid, failed or interrupted,
// output the result file relative to the manifest's directory (empty when
// there is none), sweep_sets the number of sets of the whole sweep and
// shard "I/N" (empty for a whole sweep), so that a merge can tell a
// missing shard and name it. A set's data in a .npy output is the
// entry's rank among the entries naming that file.
//
// As JSON it is one object: {"program", "sweep", "sweep_sets", "shard",
// "params": [{"name", "unit", "default"}], "sets": [{"index", "params":
// {name: value}, "status", "output", "wall_seconds", "error"}]}.
type Manifest struct {
	Program   string
	Sweep     string // the sweep file as given on the command line
	SweepSets int    // sets in the whole sweep file
	Shard     string // "I/N", or "" for the whole sweep
	Params    []Param
	Entries   []ManifestEntry
}

// ManifestEntry is one set of a manifest.
type ManifestEntry struct {
	Index       int
	Line        int      // line of the sweep file
	Cells       []string // parameter values, one per Manifest.Params
	Status      string   // StatusOK, StatusInvalid, StatusFailed or StatusInterrupted
	Output      string   // result file; "" when the set wrote none
	WallSeconds float64
	Error       string
}

// ManifestColumns are the CSV manifest's columns after the parameters.
var ManifestColumns = []string{"status", "output", "wall_seconds", "sweep_sets", "shard", "error"}

// manifestFormat tells a manifest's format by its extension.
func manifestFormat(path string) (string, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv", ".json":
		return ext, nil
	default:
		return "", fmt.Errorf("manifest %s: unknown format %q: use .csv or .json", path, ext)
	}
}

// WriteManifestFile writes m to path, atomically, as CSV or JSON by the
// extension. Output paths are written relative to path's directory, so a
// sweep's directory can move as a whole.
func WriteManifestFile(path string, m Manifest) error {
	return writeManifest(path, m, writeFileAtomic)
}

// writeManifestFileForce writes the manifest of an interrupted sweep: the
// one file a program still writes after a signal.
func writeManifestFileForce(path string, m Manifest) error {
	return writeManifest(path, m, writeAfterInterrupt)
}

func writeManifest(path string, m Manifest, put func(string, func(io.Writer) error) error) error {
	format, err := manifestFormat(path)
	if err != nil {
		return err
	}
	entries := make([]ManifestEntry, len(m.Entries))
	for i, e := range m.Entries {
		e.Output = relativeTo(filepath.Dir(path), e.Output)
		entries[i] = e
	}
	m.Entries = entries
	return put(path, func(w io.Writer) error {
		if format == ".json" {
			return writeManifestJSON(w, m)
		}
		return writeManifestCSV(w, m)
	})
}

// relativeTo rewrites path relative to dir when both resolve; otherwise
// it keeps path as it is.
func relativeTo(dir, path string) string {
	if path == "" {
		return ""
	}
	absDir, err1 := filepath.Abs(dir)
	absPath, err2 := filepath.Abs(path)
	if err1 != nil || err2 != nil {
		return path
	}
	rel, err := filepath.Rel(absDir, absPath)
	if err != nil {
		return path
	}
	return filepath.ToSlash(rel)
}

func writeManifestCSV(w io.Writer, m Manifest) error {
	out := csv.NewWriter(w)
	header := []string{"index"}
	for _, p := range m.Params {
		header = append(header, p.Name)
	}
	header = append(header, ManifestColumns...)
	if err := out.Write(header); err != nil {
		return err
	}
	for _, e := range m.Entries {
		row := []string{strconv.Itoa(e.Index)}
		row = append(row, e.Cells...)
		row = append(row, e.Status, e.Output, strconv.FormatFloat(e.WallSeconds, 'f', 6, 64),
			strconv.Itoa(m.SweepSets), m.Shard, e.Error)
		if err := out.Write(row); err != nil {
			return err
		}
	}
	out.Flush()
	return out.Error()
}

// ManifestJSON is the JSON form of a manifest.
type ManifestJSON struct {
	Program   string              `json:"program"`
	Sweep     string              `json:"sweep"`
	SweepSets int                 `json:"sweep_sets"`
	Shard     string              `json:"shard,omitempty"`
	Params    []ManifestJSONParam `json:"params"`
	Sets      []ManifestJSONSet   `json:"sets"`
}

// ManifestJSONParam describes one parameter in a JSON manifest.
type ManifestJSONParam struct {
	Name    string  `json:"name"`
	Unit    string  `json:"unit"`
	Default float64 `json:"default"`
}

// ManifestJSONSet is one set in a JSON manifest. A parameter value is a
// number, or a string holding the text of a row that could not be read.
type ManifestJSONSet struct {
	Index       int                        `json:"index"`
	Params      map[string]json.RawMessage `json:"params"`
	Status      string                     `json:"status"`
	Output      string                     `json:"output"`
	WallSeconds float64                    `json:"wall_seconds"`
	Error       string                     `json:"error,omitempty"`
}

func writeManifestJSON(w io.Writer, m Manifest) error {
	doc := ManifestJSON{Program: m.Program, Sweep: m.Sweep, SweepSets: m.SweepSets, Shard: m.Shard,
		Params: []ManifestJSONParam{}, Sets: []ManifestJSONSet{}}
	for _, p := range m.Params {
		doc.Params = append(doc.Params, ManifestJSONParam{Name: p.Name, Unit: p.Unit, Default: p.Default})
	}
	for _, e := range m.Entries {
		set := ManifestJSONSet{Index: e.Index, Params: map[string]json.RawMessage{}, Status: e.Status,
			Output: e.Output, WallSeconds: e.WallSeconds, Error: e.Error}
		for i, p := range m.Params {
			set.Params[p.Name] = jsonValue(e.Cells[i])
		}
		doc.Sets = append(doc.Sets, set)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// jsonValue is a cell as a JSON number when it is one, else as a string.
func jsonValue(cell string) json.RawMessage {
	if v, err := strconv.ParseFloat(cell, 64); err == nil && v-v == 0 && json.Valid([]byte(cell)) {
		return json.RawMessage(cell)
	}
	quoted, _ := json.Marshal(cell)
	return quoted
}
