package sweep

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	rt "github.com/tvboc/tvboc/runtime"
)

// ReadManifest reads a manifest written by a simulation binary (CSV or
// JSON, by extension). Output paths come back resolved against the
// manifest's directory, so they can be used from anywhere.
func ReadManifest(path string) (*rt.Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read manifest: %w", err)
	}
	var m *rt.Manifest
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv":
		m, err = parseManifestCSV(data)
	case ".json":
		m, err = parseManifestJSON(data)
	default:
		return nil, fmt.Errorf("manifest %s: unknown format %q: want .csv or .json", path, ext)
	}
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	for i, e := range m.Entries {
		if e.Output != "" && !filepath.IsAbs(e.Output) {
			m.Entries[i].Output = filepath.Join(dir, filepath.FromSlash(e.Output))
		}
	}
	return m, nil
}

func parseManifestCSV(data []byte) (*rt.Manifest, error) {
	records, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(records) == 0 {
		return nil, errors.New("empty file")
	}
	header := records[0]
	// Manifests written before the shard column existed lack it; the
	// other columns are where they were.
	fixed := rt.ManifestColumns
	if len(header) >= 1+len(fixed)-1 && !slices.Contains(header, "shard") {
		fixed = slices.DeleteFunc(slices.Clone(fixed), func(c string) bool { return c == "shard" })
	}
	nFixed := len(fixed)
	if len(header) < 1+nFixed || header[0] != "index" || !slices.Equal(header[len(header)-nFixed:], fixed) {
		return nil, fmt.Errorf("header %q is not a tvboc manifest's (index,<parameters>,%s)", strings.Join(header, ","), strings.Join(rt.ManifestColumns, ","))
	}
	m := &rt.Manifest{SweepSets: -1}
	for _, name := range header[1 : len(header)-nFixed] {
		m.Params = append(m.Params, rt.Param{Name: name})
	}
	nParams := len(m.Params)
	col := func(r []string, name string) string { return r[1+nParams+slices.Index(fixed, name)] }
	for line, r := range records[1:] {
		if len(r) != len(header) {
			return nil, fmt.Errorf("line %d: %d fields, want %d", line+2, len(r), len(header))
		}
		index, err1 := strconv.Atoi(r[0])
		wall, err2 := strconv.ParseFloat(col(r, "wall_seconds"), 64)
		sets, err3 := strconv.Atoi(col(r, "sweep_sets"))
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, fmt.Errorf("line %d: %v", line+2, err)
		}
		if m.SweepSets >= 0 && sets != m.SweepSets {
			return nil, fmt.Errorf("line %d: sweep_sets %d, but earlier lines say %d", line+2, sets, m.SweepSets)
		}
		m.SweepSets = sets
		if slices.Contains(fixed, "shard") {
			shard := col(r, "shard")
			if line > 0 && shard != m.Shard {
				return nil, fmt.Errorf("line %d: shard %q, but earlier lines say %q", line+2, shard, m.Shard)
			}
			m.Shard = shard
		}
		m.Entries = append(m.Entries, rt.ManifestEntry{
			Index: index, Cells: r[1 : 1+nParams], Status: col(r, "status"), Output: col(r, "output"),
			WallSeconds: wall, Error: col(r, "error"),
		})
	}
	if m.SweepSets < 0 {
		m.SweepSets = 0 // an empty shard: nothing to check against
	}
	return m, nil
}

func parseManifestJSON(data []byte) (*rt.Manifest, error) {
	var doc rt.ManifestJSON
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	m := &rt.Manifest{Program: doc.Program, Sweep: doc.Sweep, SweepSets: doc.SweepSets, Shard: doc.Shard}
	for _, p := range doc.Params {
		m.Params = append(m.Params, rt.Param{Name: p.Name, Unit: p.Unit, Default: p.Default})
	}
	for _, s := range doc.Sets {
		e := rt.ManifestEntry{Index: s.Index, Status: s.Status, Output: s.Output, WallSeconds: s.WallSeconds, Error: s.Error}
		for _, p := range m.Params {
			raw, ok := s.Params[p.Name]
			if !ok {
				return nil, fmt.Errorf("set %d has no value for %s", s.Index, p.Name)
			}
			var text string
			if err := json.Unmarshal(raw, &text); err != nil {
				text = string(raw) // a number: keep its exact text
			}
			e.Cells = append(e.Cells, text)
		}
		m.Entries = append(m.Entries, e)
	}
	return m, nil
}
