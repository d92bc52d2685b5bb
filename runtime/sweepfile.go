package runtime

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// SweepSet is one row of a sweep file: a full parameter vector (defaults
// for the parameters the file has no column for) or the reason the row
// cannot run.
type SweepSet struct {
	// Index is the set's position in the whole sweep file, from 0; output
	// files and manifests are named by it, whatever shard runs the set.
	Index int
	// Line is the row's line number in the sweep file, for messages.
	Line int
	// Values holds every parameter's value in its Unit, in parameter
	// order. Valid only when Err is nil.
	Values []float64
	// Text holds the row's fields as written, one per sweep column; the
	// manifest shows them for a row that could not be read.
	Text []string
	// Err says why the row cannot run (a missing or non-numeric value, a
	// value out of range); the rest of the sweep still runs.
	Err error
}

// Sweep is a parsed sweep file.
type Sweep struct {
	// Columns are the parameter indices of the file's columns, in order.
	Columns []int
	Sets    []SweepSet
}

// ReadSweep parses a sweep file: CSV with a header row of free-parameter
// names and one parameter set per row, values in each parameter's Unit (a
// value may also carry a unit, "30mV"). Parameters without a column keep
// their values in base (nil: their defaults; a program passes its --set
// values). Blank lines and lines starting with # are skipped.
//
// A header problem (an unknown or repeated name, no rows) is returned as
// the error, because no row could run right; a bad row is recorded in its
// SweepSet.Err and the other rows stay runnable.
func ReadSweep(r io.Reader, name string, params []Param, base []float64) (*Sweep, error) {
	if len(params) == 0 {
		return nil, errNoParams
	}
	if base == nil {
		base = defaultValues(params)
	}
	// a byte-order mark (spreadsheets write one) is not part of the header
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	reader := csv.NewReader(br)
	reader.FieldsPerRecord = -1 // a short or long row is that row's error, not the file's
	reader.Comment = '#'
	reader.TrimLeadingSpace = true
	header, err := reader.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("sweep file %s is empty: want a header of parameter names (%s) and one row per set", name, freeNames(params))
	}
	if err != nil {
		return nil, fmt.Errorf("sweep file %s: %w", name, err)
	}
	sweep := &Sweep{}
	seen := map[int]string{}
	var unknown []string
	for _, h := range header {
		h = strings.TrimSpace(h)
		i, err := paramIndex(params, h)
		if err != nil {
			unknown = append(unknown, fmt.Sprintf("%q", h))
			continue
		}
		if _, dup := seen[i]; dup {
			return nil, fmt.Errorf("sweep file %s: column %q appears twice", name, h)
		}
		seen[i] = h
		sweep.Columns = append(sweep.Columns, i)
	}
	if len(unknown) > 0 {
		noun := "column"
		if len(unknown) > 1 {
			noun = "columns"
		}
		return nil, fmt.Errorf("sweep file %s: unknown %s %s: the header must name free parameters of this program: %s",
			name, noun, strings.Join(unknown, ", "), freeNames(params))
	}
	for {
		record, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := reader.FieldPos(0)
		set := SweepSet{Index: len(sweep.Sets), Line: line, Text: record}
		var parseErr *csv.ParseError
		switch {
		case errors.As(err, &parseErr):
			// A quoting error spoils this row only.
			set.Line = parseErr.Line
			set.Err = fmt.Errorf("line %d: %v", parseErr.Line, parseErr.Err)
		case err != nil:
			return nil, fmt.Errorf("sweep file %s: %w", name, err)
		default:
			set.Values, set.Err = sweep.row(params, base, record, line)
		}
		sweep.Sets = append(sweep.Sets, set)
	}
	if len(sweep.Sets) == 0 {
		return nil, fmt.Errorf("sweep file %s has a header but no rows: want one row per parameter set", name)
	}
	return sweep, nil
}

// row reads the values of one record, every problem of the row in one
// error.
func (s *Sweep) row(params []Param, base []float64, record []string, line int) ([]float64, error) {
	values := append([]float64(nil), base...)
	var problems []string
	if len(record) != len(s.Columns) {
		problems = append(problems, fmt.Sprintf("%d values for %d columns", len(record), len(s.Columns)))
	}
	for c, i := range s.Columns {
		if c >= len(record) || strings.TrimSpace(record[c]) == "" {
			problems = append(problems, fmt.Sprintf("%s: missing value", params[i].Name))
			continue
		}
		v, err := parseParamValue(params[i], record[c])
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		values[i] = v
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("line %d: %s", line, strings.Join(problems, "; "))
	}
	return values, nil
}

// Shard is a contiguous slice of a sweep: shard Index of Count (Index from
// 0) runs sets [Start, End).
type Shard struct {
	Index, Count int
}

// Range returns the sets [start, end) that shard s of a sweep of n sets
// runs. The slices are contiguous, cover the sweep exactly once, and differ
// in size by at most one set; with more shards than sets, some are empty.
func (s Shard) Range(n int) (start, end int) {
	if s.Count <= 0 {
		return 0, n
	}
	return s.Index * n / s.Count, (s.Index + 1) * n / s.Count
}

// String prints the shard the way --shard takes it, "2/4".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }
