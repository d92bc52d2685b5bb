package runtime

import (
	"bufio"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"io"
	"math"
)

// FC is the functional connectivity of a run (--fc FILE): the Pearson
// correlation matrix of the written columns over the written rows, as
// numpy.corrcoef of the output's columns gives it. It keeps running means
// and co-moments (Welford's update), not the rows, so its memory is one
// matrix whatever the duration; a row costs a multiply-add per pair of
// columns. Values are taken relative to the first row, so a column with
// a large offset (BOLD's) keeps its digits.
type FC struct {
	n     int
	shift []float64
	mean  []float64
	m2    []float64 // co-moments, row-major, upper triangle used
	d, x  []float64
	sel   []float64 // AddColumns' row
}

// NewFC starts the correlation of cols columns.
func NewFC(cols int) *FC {
	return &FC{mean: make([]float64, cols), m2: make([]float64, cols*cols), d: make([]float64, cols), x: make([]float64, cols)}
}

// Add takes one row (the values of the selected columns, in order).
func (f *FC) Add(row []float64) {
	if f.shift == nil {
		f.shift = append([]float64(nil), row...)
	}
	f.n++
	inv := 1 / float64(f.n)
	for i, v := range row {
		x := v - f.shift[i]
		f.x[i] = x
		f.d[i] = x - f.mean[i]
		f.mean[i] += f.d[i] * inv
	}
	c := len(row)
	for i := range c {
		di := f.d[i]
		m := f.m2[i*c : (i+1)*c]
		for j := i; j < c; j++ {
			m[j] += di * (f.x[j] - f.mean[j])
		}
	}
}

// AddColumns takes the values of row's columns cols, in that order (a
// recorded row and the written columns).
func (f *FC) AddColumns(row []float64, cols []int) {
	if f.sel == nil {
		f.sel = make([]float64, len(cols))
	}
	for i, c := range cols {
		f.sel[i] = row[c]
	}
	f.Add(f.sel)
}

// Matrix is the correlation matrix, row-major: numpy.corrcoef's
// c_ij / sqrt(c_ii) / sqrt(c_jj), clipped to [-1, 1]; NaN for a constant
// column (numpy divides by a zero deviation too).
func (f *FC) Matrix() []float64 {
	c := len(f.mean)
	sd := make([]float64, c)
	for i := range c {
		sd[i] = math.Sqrt(f.m2[i*c+i])
	}
	out := make([]float64, c*c)
	for i := range c {
		for j := i; j < c; j++ {
			r := f.m2[i*c+j] / sd[i] / sd[j]
			if r > 1 {
				r = 1
			} else if r < -1 {
				r = -1
			}
			out[i*c+j], out[j*c+i] = r, r
		}
	}
	return out
}

// writeFC writes the matrix of f with the names of its columns: .npy (a
// cols x cols float64 array) or .csv (a header of the names, then one
// line per column).
func writeFC(w io.Writer, f *FC, names []string, format Format) error {
	m, c := f.Matrix(), len(names)
	out := bufio.NewWriter(w)
	if format == FormatNPY {
		h, err := npyHeaderShape(c, c)
		if err != nil {
			return err
		}
		out.Write(h)
		var b [8]byte
		for _, v := range m {
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
			out.Write(b[:])
		}
		return out.Flush()
	}
	hw := csv.NewWriter(out)
	if err := hw.Write(names); err != nil {
		return err
	}
	hw.Flush()
	var line []byte
	for i := range c {
		line = line[:0]
		for j := range c {
			if j > 0 {
				line = append(line, ',')
			}
			line = appendShortest(line, m[i*c+j])
		}
		out.Write(append(line, '\n'))
	}
	return out.Flush()
}

// finishFC writes the stream's correlation matrix to opts.FC (nothing
// when --fc was not given).
func (s *Stream) finishFC() error {
	if s.fc == nil {
		return nil
	}
	if s.fc.n < 2 {
		return fmt.Errorf("--fc: the run wrote %d row; a correlation needs at least 2", s.fc.n)
	}
	if err := writeFileAtomic(s.opts.FC, func(w io.Writer) error { return s.fc.write(w, s.opts) }); err != nil {
		return fmt.Errorf("writing %s: %w", s.opts.FC, unwrapPathError(err))
	}
	return nil
}

// write writes the matrix to opts.FC's format, named by the written
// columns.
func (f *FC) write(w io.Writer, opts Options) error {
	if f.n < 2 {
		return fmt.Errorf("--fc: the run wrote %d row; a correlation needs at least 2", f.n)
	}
	names := make([]string, len(opts.Selected))
	for i, c := range opts.Selected {
		names[i] = opts.Columns[c].Name
	}
	format, _ := FormatFor(opts.FC)
	return writeFC(w, f, names, format)
}

// recorderFC is the correlation of a whole recording's written columns.
func recorderFC(rec *Recorder, opts Options) *FC {
	f := NewFC(len(opts.Selected))
	for k := range rec.rows {
		f.AddColumns(rec.data[k*rec.cols:(k+1)*rec.cols], opts.Selected)
	}
	return f
}
