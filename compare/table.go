package compare

import (
	"fmt"
	"math"
	"strconv"
)

// Table is a set of time series sharing one time column.
//
// Storage is column-major: Cols[i] holds the values of quantity Names[i],
// one per entry of T.
type Table struct {
	// Names are the quantity names, without the time column.
	Names []string `json:"names"`
	// T is the time of each row, in the unit of the file (seconds for the
	// tvboc results contract and for jLEMS output), strictly increasing.
	T []float64 `json:"t"`
	// Cols[i] are the values of Names[i].
	Cols [][]float64 `json:"cols"`
	// Source says where the table came from (usually a file name); it
	// labels errors and reports.
	Source string `json:"source"`
	// Events marks a table of events (a spike file: t, index), whose rows
	// are in time order but may share a time.
	Events bool `json:"events,omitempty"`
}

// Len returns the number of rows.
func (t *Table) Len() int { return len(t.T) }

// Index returns the position of the named quantity in Names, or -1.
func (t *Table) Index(name string) int {
	for i, n := range t.Names {
		if n == name {
			return i
		}
	}
	return -1
}

// Column returns the values of the named quantity, or nil if the table has
// no such quantity.
func (t *Table) Column(name string) []float64 {
	if i := t.Index(name); i >= 0 {
		return t.Cols[i]
	}
	return nil
}

// Validate checks what every comparison relies on: at least one row, one
// column per name, every column as long as T, unique non-empty names,
// finite values and strictly increasing time. Loaders already guarantee
// this; tables built in code are checked by [Compare] with it.
func (t *Table) Validate() error {
	if t == nil {
		return fmt.Errorf("compare: nil table")
	}
	src := t.Source
	if src == "" {
		src = "table"
	}
	if len(t.T) == 0 {
		return &InputError{Source: src, Msg: "no data rows"}
	}
	if len(t.Cols) != len(t.Names) {
		return &InputError{Source: src, Msg: fmt.Sprintf("%d names but %d columns", len(t.Names), len(t.Cols))}
	}
	if err := checkNames(src, t.Names); err != nil {
		return err
	}
	for k, v := range t.T {
		if bad := nonFinite(v); bad != "" {
			return &InputError{Source: src, Row: k + 1, Column: colLabel(1, "t"), Msg: "time is " + bad}
		}
		if k > 0 && (!(v > t.T[k-1]) && !t.Events || v < t.T[k-1]) {
			return &InputError{Source: src, Row: k + 1, Column: colLabel(1, "t"),
				Msg: fmt.Sprintf("time %s does not increase (previous row has %s)", fmtFloat(v), fmtFloat(t.T[k-1]))}
		}
	}
	for i, col := range t.Cols {
		if len(col) != len(t.T) {
			return &InputError{Source: src, Column: colLabel(i+2, t.Names[i]),
				Msg: fmt.Sprintf("column has %d values but there are %d times", len(col), len(t.T))}
		}
		for k, v := range col {
			if bad := nonFinite(v); bad != "" {
				return &InputError{Source: src, Row: k + 1, Column: colLabel(i+2, t.Names[i]), Msg: "value is " + bad}
			}
		}
	}
	return nil
}

// checkNames rejects empty and duplicate names: quantities are matched by
// name, so either would make the match ambiguous.
func checkNames(src string, names []string) error {
	seen := make(map[string]int, len(names))
	for i, n := range names {
		if n == "" {
			return &InputError{Source: src, Msg: fmt.Sprintf("value column %d has an empty name", i+1)}
		}
		if j, dup := seen[n]; dup {
			return &InputError{Source: src, Msg: fmt.Sprintf("quantity %q names value columns %d and %d", n, j+1, i+1)}
		}
		seen[n] = i
	}
	return nil
}

// nonFinite returns "NaN", "+Inf" or "-Inf" for those values and "" for a
// finite one.
func nonFinite(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return ""
}

// colLabel names a column for messages: its 1-based position in the file
// (the time column is column 1) and, when known, its quantity name.
func colLabel(position int, name string) string {
	if name == "" {
		return fmt.Sprintf("column %d", position)
	}
	return fmt.Sprintf("column %d %q", position, name)
}

// fmtFloat prints a float in its shortest exact form, for messages.
func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// InputError describes a problem with an input table: where it is and what
// is wrong.
type InputError struct {
	// Source is the file (or table) the problem is in.
	Source string
	// Line is the 1-based line of a text file, 0 when not known or not
	// about one line.
	Line int
	// Row is the 1-based data row (the header, if any, not counted), 0 when
	// not about one row. It is reported only when Line is 0.
	Row int
	// Column names the column: `column N "name"`, N 1-based counting the
	// time column, the name when known.
	Column string
	// Msg says what is wrong.
	Msg string
}

func (e *InputError) Error() string {
	s := e.Source
	switch {
	case e.Line > 0:
		s += fmt.Sprintf(":%d", e.Line)
	case e.Row > 0:
		s += fmt.Sprintf(": row %d", e.Row)
	}
	if e.Column != "" {
		s += ": " + e.Column
	}
	return s + ": " + e.Msg
}
