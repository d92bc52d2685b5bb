package compare

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"codeberg.org/sbinet/npyio"
)

// ParseNPY reads a NumPy .npy file holding a 2-D float64 (or float32)
// matrix, one row per time, column 0 the time. names names the value
// columns (the time column may be included first, see
// LoadOptions.Columns).
func ParseNPY(r io.Reader, source string, names []string) (*Table, error) {
	return parseNPY(r, source, names, false)
}

// parseNPY is ParseNPY, of an events table when events is set.
func parseNPY(r io.Reader, source string, names []string, events bool) (t *Table, err error) {
	if len(names) == 0 {
		return nil, &InputError{Source: source, Msg: "no column names given for a .npy file"}
	}
	// The npy library indexes its header buffer without checking it, so a
	// malformed file can panic inside it; bad input must come back as an
	// error, never as a crash.
	defer func() {
		if p := recover(); p != nil {
			t, err = nil, &InputError{Source: source, Msg: fmt.Sprintf("malformed .npy file (%v)", p)}
		}
	}()

	rd, err := npyio.NewReader(r)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &InputError{Source: source, Msg: "empty file"}
		}
		return nil, &InputError{Source: source, Msg: "not a .npy file: " + err.Error()}
	}
	d := rd.Header.Descr
	dtype := strings.Trim(d.Type, `'"`) // the header quotes it
	if len(d.Shape) != 2 {
		return nil, &InputError{Source: source, Msg: fmt.Sprintf("array has shape %v, want 2-D (rows, columns)", d.Shape)}
	}
	rows, cols := d.Shape[0], d.Shape[1]
	if rows == 0 {
		return nil, &InputError{Source: source, Msg: "no data rows"}
	}
	if cols < 2 {
		return nil, &InputError{Source: source, Msg: fmt.Sprintf("%d columns, want time plus at least one quantity", cols)}
	}
	valueCols, err := valueNames(source, names, cols)
	if err != nil {
		return nil, err
	}

	data := make([]float64, rows*cols)
	switch {
	case dtype == "<f8" || dtype == ">f8":
		err = rd.Read(&data)
	case dtype == "<f4" || dtype == ">f4":
		single := make([]float32, rows*cols)
		err = rd.Read(&single)
		for i, v := range single {
			data[i] = float64(v)
		}
	default:
		return nil, &InputError{Source: source, Msg: fmt.Sprintf("element type %q, want float64 (<f8) or float32 (<f4)", dtype)}
	}
	if err != nil {
		// The library reports a short file as io.EOF; either way the
		// matrix is incomplete.
		return nil, &InputError{Source: source, Msg: fmt.Sprintf("cannot read the %dx%d matrix (truncated?): %v", rows, cols, err)}
	}

	// C order stores a row's columns together; Fortran order a column's rows.
	at := func(row, col int) float64 { return data[row*cols+col] }
	if d.Fortran {
		at = func(row, col int) float64 { return data[col*rows+row] }
	}
	t = &Table{Names: valueCols, T: make([]float64, rows), Cols: make([][]float64, cols-1), Source: source, Events: events}
	for row := range rows {
		t.T[row] = at(row, 0)
	}
	for c := 1; c < cols; c++ {
		col := make([]float64, rows)
		for row := range rows {
			col[row] = at(row, c)
		}
		t.Cols[c-1] = col
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return t, nil
}
