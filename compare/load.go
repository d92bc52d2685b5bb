package compare

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Formats understood by [Load] (the values of LoadOptions.Format).
const (
	FormatCSV = "csv"
	FormatDat = "dat"
	FormatNPY = "npy"
)

// LoadOptions tunes [Load]. The zero value loads a file by its extension
// with the names it carries (CSV header, or columns.txt for .dat and .npy).
type LoadOptions struct {
	// Columns names the value columns, in order, for formats that carry no
	// names (.dat, .npy). The time column may be left out or given as the
	// first entry ("t", "time", "t (s)"). For .csv the names replace the
	// header's. Empty: use the file's own names or columns.txt.
	Columns []string
	// Format forces a format (FormatCSV, FormatDat, FormatNPY) instead of
	// choosing by extension.
	Format string
	// TimeScale multiplies every time value, e.g. 1e-3 for files whose
	// time is in milliseconds. Zero means 1.
	TimeScale float64
	// Events reads a table of events (Table.Events): rows in time order
	// that may share a time, as in a spike file.
	Events bool
}

// Load reads a result table from a file. The format follows the extension
// (.csv, .dat, .npy, each optionally followed by .gz) unless opts.Format
// says otherwise; gzip compression is recognised from the content, whatever
// the name.
//
// For .dat and .npy files without opts.Columns, the column names are read
// from a file named columns.txt in the same directory, in the format of the
// reference goldens (see [ParseColumns]).
func Load(path string, opts LoadOptions) (*Table, error) {
	format := opts.Format
	if format == "" {
		var err error
		if format, err = formatOf(path); err != nil {
			return nil, err
		}
	}
	scale := opts.TimeScale
	if scale == 0 {
		scale = 1
	}
	if !(scale > 0) || math.IsInf(scale, 0) {
		return nil, fmt.Errorf("compare: time scale %v: want a finite positive number", opts.TimeScale)
	}

	names := opts.Columns
	var want *ColumnsEntry
	if len(names) == 0 && (format == FormatDat || format == FormatNPY) {
		entry, err := columnsFor(path)
		if err != nil {
			return nil, err
		}
		names, want = entry.Names, entry
	}

	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("compare: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeDevice != 0 {
		// /dev/zero never ends: the reader's memory grew until it was
		// killed (a pipe is read as the stream it is)
		return nil, &InputError{Source: path, Msg: "a device, not a results file"}
	}
	r, err := decompressed(f, path)
	if err != nil {
		return nil, err
	}

	var t *Table
	switch format {
	case FormatCSV:
		t, err = parseCSV(r, path, opts.Events)
		if err == nil && len(names) > 0 {
			err = renameColumns(t, names)
		}
	case FormatDat:
		t, err = ParseDat(r, path, names)
	case FormatNPY:
		t, err = parseNPY(r, path, names, opts.Events)
	default:
		return nil, fmt.Errorf("compare: unknown format %q (want %s, %s or %s)", format, FormatCSV, FormatDat, FormatNPY)
	}
	if err != nil {
		return nil, err
	}
	if want != nil && want.Rows > 0 && want.Rows != t.Len() {
		return nil, &InputError{Source: path,
			Msg: fmt.Sprintf("columns.txt says %d rows but the file has %d (truncated or stale?)", want.Rows, t.Len())}
	}
	if scale != 1 {
		for k := range t.T {
			t.T[k] *= scale
		}
	}
	return t, nil
}

// formatOf picks the format from a file name: .csv, .dat or .npy, with an
// optional .gz after it.
func formatOf(path string) (string, error) {
	base := strings.ToLower(strings.TrimSuffix(strings.ToLower(filepath.Base(path)), ".gz"))
	switch filepath.Ext(base) {
	case ".csv":
		return FormatCSV, nil
	case ".dat":
		return FormatDat, nil
	case ".npy":
		return FormatNPY, nil
	}
	return "", fmt.Errorf("compare: %s: cannot tell the format from the name: want .csv, .dat or .npy, optionally .gz", path)
}

// decompressed returns a reader of the file's content, un-gzipped when the
// content starts with the gzip magic bytes.
func decompressed(f io.Reader, path string) (io.Reader, error) {
	br := bufio.NewReaderSize(f, 1<<16)
	magic, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, &InputError{Source: path, Msg: "cannot read: " + err.Error()}
	}
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, &InputError{Source: path, Msg: "bad gzip data: " + err.Error()}
		}
		return zr, nil
	}
	return br, nil
}

// renameColumns replaces a table's names by the caller's.
func renameColumns(t *Table, names []string) error {
	names, err := valueNames(t.Source, names, len(t.Names)+1)
	if err != nil {
		return err
	}
	if err := checkNames(t.Source, names); err != nil {
		return err
	}
	t.Names = names
	return nil
}

// valueNames fits caller-given names to a file with fields columns
// (time included): either one name per value column, or one per column
// with a time-like name first.
func valueNames(src string, names []string, fields int) ([]string, error) {
	switch {
	case len(names) == fields-1:
		return names, nil
	case len(names) == fields && isTimeName(names[0]):
		return names[1:], nil
	}
	return nil, &InputError{Source: src,
		Msg: fmt.Sprintf("%d column names given for %d value columns (plus time)", len(names), fields-1)}
}

// isTimeName reports whether a column name denotes time ("t", "time", or
// either followed by a unit in parentheses, as columns.txt writes "t (s)").
func isTimeName(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	if i := strings.Index(n, "("); i >= 0 {
		n = strings.TrimSpace(n[:i])
	}
	return n == "t" || n == "time"
}

// tableBuilder accumulates rows of a text table, checking each cell.
type tableBuilder struct {
	src    string
	names  []string
	t      []float64
	cols   [][]float64
	events bool // times may repeat (Table.Events)
}

func newTableBuilder(src string, names []string) *tableBuilder {
	return &tableBuilder{src: src, names: names, cols: make([][]float64, len(names))}
}

// addRow parses one row (time first). line is the file line for messages.
func (b *tableBuilder) addRow(line int, fields []string) error {
	row := len(b.t) + 1
	if len(fields) != len(b.names)+1 {
		return &InputError{Source: b.src, Line: line, Row: row,
			Msg: fmt.Sprintf("row has %d fields, want %d (time + %d quantities)", len(fields), len(b.names)+1, len(b.names))}
	}
	for j, field := range fields {
		name := "t"
		if j > 0 {
			name = b.names[j-1]
		}
		v, err := parseCell(field)
		if err != nil {
			return &InputError{Source: b.src, Line: line, Row: row, Column: colLabel(j+1, name), Msg: err.Error()}
		}
		if j == 0 {
			if n := len(b.t); n > 0 && (!(v > b.t[n-1]) && !b.events || v < b.t[n-1]) {
				return &InputError{Source: b.src, Line: line, Row: row, Column: colLabel(1, name),
					Msg: fmt.Sprintf("time %s does not increase (previous row has %s)", fmtFloat(v), fmtFloat(b.t[n-1]))}
			}
			b.t = append(b.t, v)
		} else {
			b.cols[j-1] = append(b.cols[j-1], v)
		}
	}
	return nil
}

// table finishes the table; a file without data rows is an error.
func (b *tableBuilder) table() (*Table, error) {
	if len(b.t) == 0 {
		return nil, &InputError{Source: b.src, Msg: "no data rows"}
	}
	return &Table{Names: b.names, T: b.t, Cols: b.cols, Source: b.src, Events: b.events}, nil
}

// parseCell parses one number; NaN, infinities and out-of-range values are
// errors because no comparison can be made with them.
func parseCell(s string) (float64, error) {
	s = strings.TrimSpace(s)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return 0, fmt.Errorf("%q is out of the float64 range", s)
		}
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if bad := nonFinite(v); bad != "" {
		return 0, fmt.Errorf("value is %s", bad)
	}
	return v, nil
}

// ParseCSV reads a results CSV: a header `t,<quantity>,...` and one row of
// numbers per time. source labels errors and the table.
func ParseCSV(r io.Reader, source string) (*Table, error) {
	return parseCSV(r, source, false)
}

// parseCSV is ParseCSV, of an events table when events is set.
func parseCSV(r io.Reader, source string, events bool) (*Table, error) {
	// a byte-order mark (spreadsheets write one) is not part of the header
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // ragged rows are reported by addRow, with their line
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true

	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &InputError{Source: source, Msg: "empty file"}
	}
	if err != nil {
		return nil, csvError(source, err)
	}
	header = append([]string(nil), header...)
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	if _, err := strconv.ParseFloat(header[0], 64); err == nil {
		return nil, &InputError{Source: source, Line: 1, Msg: "no header: the first line starts with a number; want `t,<quantity>,...`"}
	}
	if len(header) < 2 {
		return nil, &InputError{Source: source, Line: 1, Msg: "header names no quantity after the time column"}
	}
	names := header[1:]
	if err := checkNames(source, names); err != nil {
		return nil, err
	}

	b := newTableBuilder(source, names)
	b.events = events
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(source, err)
		}
		line, _ := cr.FieldPos(0)
		if err := b.addRow(line, rec); err != nil {
			return nil, err
		}
	}
	return b.table()
}

// csvError turns an encoding/csv error into an InputError with its line.
func csvError(source string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &InputError{Source: source, Line: pe.Line, Msg: pe.Err.Error()}
	}
	return &InputError{Source: source, Msg: "cannot read: " + err.Error()}
}

// ParseDat reads jNeuroML text output: whitespace-separated numbers, no
// header, time in the first column. names names the value columns (the
// time column may be included first, see LoadOptions.Columns); blank lines
// are skipped.
func ParseDat(r io.Reader, source string, names []string) (*Table, error) {
	if len(names) == 0 {
		return nil, &InputError{Source: source, Msg: "no column names given for a headerless .dat file"}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<28)
	var b *tableBuilder
	line := 0
	for sc.Scan() {
		line++
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if b == nil {
			// The first row fixes the column count the names must fit.
			valueCols, err := valueNames(source, names, len(fields))
			if err != nil {
				var ie *InputError
				if errors.As(err, &ie) {
					ie.Line = line
				}
				return nil, err
			}
			if err := checkNames(source, valueCols); err != nil {
				return nil, err
			}
			b = newTableBuilder(source, valueCols)
		}
		if err := b.addRow(line, fields); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &InputError{Source: source, Line: line + 1, Msg: "cannot read: " + err.Error()}
	}
	if b == nil {
		return nil, &InputError{Source: source, Msg: "empty file"}
	}
	return b.table()
}

// IsSpikeFile reports whether path is a spike file as tvboc's binaries
// write them (--spikes): a CSV, optionally gzipped, whose header is
// exactly "t,index".
func IsSpikeFile(path string) bool {
	if f, err := formatOf(path); err != nil || f != FormatCSV {
		return false
	}
	file, err := os.Open(path)
	if err != nil {
		return false
	}
	defer file.Close()
	r, err := decompressed(file, path)
	if err != nil {
		return false
	}
	line, _ := bufio.NewReader(r).ReadString('\n')
	return strings.TrimSpace(strings.TrimPrefix(line, "\ufeff")) == "t,index"
}
