package runtime

import "fmt"

// Recorder holds the whole recording in one flat row-major []float64,
// allocated once before the step loop so that recording a step is plain
// stores into memory that already exists.
type Recorder struct {
	data []float64
	cols int
	rows int
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
	start := k * r.cols
	return r.data[start : start+r.cols : start+r.cols]
}

// Rows returns the number of rows (steps + 1).
func (r *Recorder) Rows() int { return r.rows }

// Cols returns the number of values per row.
func (r *Recorder) Cols() int { return r.cols }

// Data returns the whole recording, row-major: value c of row k is
// Data()[k*Cols()+c]. It aliases the recorder's memory.
func (r *Recorder) Data() []float64 { return r.data }
