package compare

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
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
	// error, never as a crash. What it would index out of range or
	// allocate from a lying length is checked first (npyPreamble).
	defer func() {
		if p := recover(); p != nil {
			t, err = nil, &InputError{Source: source, Msg: fmt.Sprintf("malformed .npy file (%v)", p)}
		}
	}()
	br := bufio.NewReaderSize(r, maxNPYHeader+16)
	if msg := npyPreamble(br); msg != "" {
		return nil, &InputError{Source: source, Msg: msg}
	}
	rd, err := npyio.NewReader(br)
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
	if rows <= 0 {
		return nil, &InputError{Source: source, Msg: "no data rows"}
	}
	if cols < 2 {
		return nil, &InputError{Source: source, Msg: fmt.Sprintf("%d columns, want time plus at least one quantity", cols)}
	}
	valueCols, err := valueNames(source, names, cols)
	if err != nil {
		return nil, err
	}
	var size int
	var order binary.ByteOrder = binary.LittleEndian
	switch dtype {
	case "<f8", ">f8":
		size = 8
	case "<f4", ">f4":
		size = 4
	default:
		return nil, &InputError{Source: source, Msg: fmt.Sprintf("element type %q, want float64 (<f8) or float32 (<f4)", dtype)}
	}
	if dtype[0] == '>' {
		order = binary.BigEndian
	}
	if rows > math.MaxInt/size/cols {
		return nil, &InputError{Source: source, Msg: fmt.Sprintf("its header claims %d x %d values, more than any file holds", rows, cols)}
	}
	// the bytes the file has, never more than the header claims: a
	// header's shape is not trusted with an allocation (a 3-billion-row
	// claim in an 80-byte file crashed the reader out of memory)
	want := rows * cols * size
	raw, err := io.ReadAll(io.LimitReader(br, int64(want)))
	if err != nil {
		return nil, &InputError{Source: source, Msg: fmt.Sprintf("cannot read the %dx%d matrix: %v", rows, cols, err)}
	}
	if len(raw) < want {
		return nil, &InputError{Source: source, Msg: fmt.Sprintf("the %dx%d matrix its header gives needs %d bytes, and the file has %d (truncated?)", rows, cols, want, len(raw))}
	}
	data := make([]float64, rows*cols)
	for i := range data {
		if size == 8 {
			data[i] = math.Float64frombits(order.Uint64(raw[8*i:]))
		} else {
			data[i] = float64(math.Float32frombits(order.Uint32(raw[4*i:])))
		}
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

// npyPreamble checks what the npy library trusts in a file's first bytes,
// peeked so that the library still reads them: the magic, a version it
// knows, a header length of at most maxNPYHeader (a version-2 file may
// claim 4 GB, which it would allocate), and a header that ends in a
// newline (it slices up to the last one, and panicked without). It
// returns what is wrong, or "".
func npyPreamble(br *bufio.Reader) string {
	pre, err := br.Peek(10)
	switch {
	case len(pre) == 0:
		return "empty file"
	case err != nil || string(pre[:6]) != "\x93NUMPY":
		return "not a .npy file: no NumPy magic at its start"
	}
	var hdrLen, start int
	switch pre[6] {
	case 1:
		hdrLen, start = int(binary.LittleEndian.Uint16(pre[8:])), 10
	case 2, 3:
		more, err := br.Peek(12)
		if err != nil {
			return "not a .npy file: cut short in its preamble"
		}
		hdrLen, start = int(binary.LittleEndian.Uint32(more[8:])), 12
	default:
		return fmt.Sprintf("not a .npy file: unknown format version %d", pre[6])
	}
	if hdrLen > maxNPYHeader {
		return fmt.Sprintf("malformed .npy file: a header of %d bytes (NumPy's are a few hundred)", hdrLen)
	}
	all, err := br.Peek(start + hdrLen)
	if err != nil {
		return "malformed .npy file: cut short in its header"
	}
	if bytes.IndexByte(all[start:], '\n') < 0 {
		return "malformed .npy file: its header does not end in a newline"
	}
	return ""
}

// maxNPYHeader bounds a .npy header's length (it must also fit in the
// reader's buffer to be peeked).
const maxNPYHeader = 64 << 10
