package runtime

import "fmt"

// Recorder holds the whole recording in one flat row-major []float64,
// allocated once before the step loop so that recording a step is plain
// stores into memory that already exists.
type Recorder struct {
	data []float64
	cols int
	rows int
	// skip marks the columns no output reads (Select); nil: none.
	skip []bool

	// A recorder of a single run (NewRunRecorder) may keep only the
	// written columns keep: the kernel fills scratch, and the row
	// pending is copied out to data (written columns only) or stream
	// when the next row is asked for, or at Finish. compact are the
	// options that describe the kept columns.
	keep    []int
	scratch []float64
	pending int
	compact Options
	stream  *Stream
	derived bool // a derived column is written (Derive)
	// buf holds rows [bufFirst, bufEnd) of the run: data, or the
	// stream's chunk being filled
	buf              []float64
	bufFirst, bufEnd int
	// rows, when set, holds every row instead of data: a stream whose
	// rows several workers fill at once (NewNetworkRecorder).
	rowStream *Stream
}

// NewRecorder allocates a recording of rows rows of cols values each.
// Generated code calls it as NewRecorder(len(columns), opts.Steps+1), with
// sizes that ParseFlags has already checked; negative sizes are a bug in the
// caller and panic, as make does.
func NewRecorder(cols, rows int) *Recorder {
	if cols < 0 || rows < 0 {
		panic(fmt.Sprintf("runtime.NewRecorder(%d, %d): negative size", cols, rows))
	}
	return &Recorder{data: make([]float64, cols*rows), cols: cols, rows: rows}
}

// Row returns the values of row k (step k; row 0 is the initial state) for
// the kernel to fill in. The slice aliases the recording and is capped so an
// append cannot spill into row k+1.
func (r *Recorder) Row(k int) []float64 {
	if r.rowStream != nil {
		return r.rowStream.Row(k)
	}
	if r.keep != nil {
		return r.compactRow(k)
	}
	start := k * r.cols
	return r.data[start : start+r.cols : start+r.cols]
}

// NewNetworkRecorder is the recording of a population network: Steps+1
// rows of every column, which the workers fill part by part and meet
// after each row. Written to a file, the rows stream to it while the run
// goes (Stream), so memory does not grow with the run; on standard output
// or a device, where nothing may be written unless the whole run
// succeeds, the run is held in memory as NewRecorder holds it. Either way
// FinishNetwork writes the same bytes.
func NewNetworkRecorder(opts Options) (*Recorder, error) {
	cols, rows := len(opts.Columns), opts.Steps+1
	if opts.Out == Stdout || opts.Out == "" || !isRegularOrNew(opts.Out) {
		return NewRecorder(cols, rows), nil
	}
	s, err := NewStream(opts, cols, rows)
	if err != nil {
		return nil, err
	}
	s.check = !opts.AllowNonfinite
	return &Recorder{cols: cols, rows: rows, rowStream: s}, nil
}

// Rows returns the number of rows (steps + 1).
func (r *Recorder) Rows() int { return r.rows }

// Cols returns the number of values per row.
func (r *Recorder) Cols() int { return r.cols }

// Data returns the whole recording, row-major: value c of row k is
// Data()[k*Cols()+c]. It aliases the recorder's memory.
func (r *Recorder) Data() []float64 { return r.data }

// NewRecorderFor allocates the recording of a run: Steps+1 rows of every
// column, except that the lazy columns (Column.Lazy, the last ones) get
// no room unless one of them is written, so a run that does not write
// them does not pay for their memory either (for Ex17, 49 columns where
// 5 are recorded every step made the step loop twice as slow). The
// recorder knows the selection (Select).
func NewRecorderFor(opts Options) *Recorder {
	r := NewRecorder(recorderCols(opts), opts.Steps+1)
	r.Select(opts.Selected)
	return r
}

// recorderCols is the number of columns NewRecorderFor gives room for:
// every column but the lazy ones, unless one of those is written.
func recorderCols(opts Options) int {
	cols := len(opts.Columns)
	for cols > 0 && opts.Columns[cols-1].Lazy {
		cols--
	}
	for _, c := range opts.Selected {
		if c >= cols && c < len(opts.Columns) {
			return len(opts.Columns)
		}
	}
	return cols
}

// Select tells the recorder which columns the run writes (opts.Selected):
// a kernel may leave the others unfilled, so columns that cost work to
// compute (derived variables) cost nothing when not written. Without a
// call every column counts as written.
func (r *Recorder) Select(selected []int) {
	r.skip = make([]bool, r.cols)
	for i := range r.skip {
		r.skip[i] = true
	}
	for _, c := range selected {
		if c >= 0 && c < r.cols {
			r.skip[c] = false
		}
	}
}

// Selected reports whether column c is written: the kernel must fill it.
// A column the recorder has no room for is not.
func (r *Recorder) Selected(c int) bool {
	if c < 0 || c >= r.cols {
		return false
	}
	return r.skip == nil || !r.skip[c]
}
