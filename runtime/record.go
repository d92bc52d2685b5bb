package runtime

import (
	"fmt"
	"os"
)

// NewRunRecorder returns the recorder of a single run of a node-list
// program (not a sweep's set, which keeps a whole recording): unless the
// run writes a lazy (derived) column, which is computed after the run
// from the whole recording, it keeps only the written columns, and it
// streams them to the output file while the run goes, in constant memory.
//
// The kernel still fills every state column of a row, but into one
// scratch row that stays in the first-level cache; asking for the next
// row copies the written values of the previous one out (commit). A
// benchmark found the full-width recording (66 columns for 12 written in
// W6's Ex26) made node-list programs about 3x slower than hand-written
// C, which stores only what it writes. Finish writes the same bytes as
// from a whole recording, and applies the same divergence rule to them.
func NewRunRecorder(opts Options) (*Recorder, error) {
	if len(opts.Selected) == 0 || len(opts.Columns) == 0 {
		return NewRecorderFor(opts), nil
	}
	// standard output, or a device: the divergence rule says nothing is
	// written from a diverged run, which only a file renamed into place
	// at the end can keep; those keep the written columns in memory
	streams := opts.Out != Stdout && opts.Out != "" && isRegularOrNew(opts.Out)
	lazy := false
	for _, c := range opts.Selected {
		if c < 0 || c >= len(opts.Columns) {
			return NewRecorderFor(opts), nil
		}
		lazy = lazy || opts.Columns[c].Lazy
	}
	compact := opts
	var keep []int
	switch {
	case lazy && !streams:
		return NewRecorderFor(opts), nil
	case lazy:
		// derived columns are computed from the states of their row
		// (Derive): keep every column, in place
		for c := range opts.Columns {
			keep = append(keep, c)
		}
	default:
		slot := map[int]int{}
		compact.Selected = make([]int, len(opts.Selected))
		compact.Columns = nil
		for i, c := range opts.Selected {
			j, ok := slot[c]
			if !ok {
				j = len(keep)
				slot[c] = j
				keep = append(keep, c)
				compact.Columns = append(compact.Columns, opts.Columns[c])
			}
			compact.Selected[i] = j
		}
	}
	r := &Recorder{
		cols:    recorderCols(opts),
		rows:    opts.Steps + 1,
		keep:    keep,
		scratch: make([]float64, len(opts.Columns)),
		pending: -1,
		compact: compact,
		derived: lazy,
	}
	r.Select(opts.Selected)
	if !streams {
		r.data = make([]float64, len(keep)*r.rows)
		return r, nil
	}
	s, err := NewStream(compact, len(keep), r.rows)
	if err != nil {
		return nil, err
	}
	s.check = !opts.AllowNonfinite
	r.stream = s
	return r, nil
}

// Derive hands the recorder the function that fills the derived columns
// of rows [first, first+n) of the run, held row-major in data. A streamed
// recording that writes them calls it on each chunk of rows, in the
// writer's goroutine, before the divergence check and the write; it must
// come before the first row. A whole recording ignores it: the kernel
// fills its derived columns after the run (unless Streams).
func (r *Recorder) Derive(fn func(data []float64, first, n int)) {
	if r.stream != nil && r.derived {
		r.stream.derive = fn
	}
}

// Streams reports whether the recorder writes its rows while the run goes
// (then the kernel does not fill derived columns itself: Derive).
func (r *Recorder) Streams() bool { return r.stream != nil }

// isRegularOrNew reports whether path names a regular file or nothing,
// the cases where a stream renames its temporary file into place; a
// device is written into and a symbolic link keeps being one
// (writeOutputs), so those are written from memory.
func isRegularOrNew(path string) bool {
	fi, err := os.Lstat(path)
	return err != nil || fi.Mode().IsRegular()
}

// compactRow is Row for a recorder that keeps only the written columns.
func (r *Recorder) compactRow(k int) []float64 {
	if r.pending >= 0 {
		r.commit()
	}
	r.pending = k
	return r.scratch
}

// commit copies the written values of the scratch row to the row pending.
func (r *Recorder) commit() {
	n := len(r.keep)
	if r.pending >= r.bufEnd || r.pending < r.bufFirst {
		// the next chunk of the stream (taking the lock only then), or
		// the whole recording
		if s := r.stream; s != nil {
			r.buf, r.bufFirst = s.chunkOf(r.pending)
		} else {
			r.buf, r.bufFirst = r.data, 0
		}
		r.bufEnd = r.bufFirst + len(r.buf)/n
	}
	at := (r.pending - r.bufFirst) * n
	dst := r.buf[at : at+n]
	for j, c := range r.keep {
		dst[j] = r.scratch[c]
	}
	r.pending = -1
}

// finishCompact is Finish for a recorder that keeps only the written
// columns: it writes them with the options that describe them.
func finishCompact(opts Options, rec *Recorder, prog *Progress) error {
	if rec.pending >= 0 {
		rec.commit()
	}
	if rec.stream == nil {
		view := &Recorder{data: rec.data, cols: len(rec.keep), rows: rec.rows}
		return finish(rec.compact, view, prog)
	}
	compact := rec.compact
	compact.Out = opts.Out
	return FinishStream(compact, rec.stream, prog)
}

// nonFinite returns the divergence error for rows rows of cols values
// from row first on (row-major), or nil when every selected value is
// finite. It is the one rule (checkFinite) for recordings and streams.
func nonFinite(data []float64, cols, first, rows int, opts Options) error {
	for r := range rows {
		row := data[r*cols : (r+1)*cols]
		for _, c := range opts.Selected {
			if v := row[c]; v-v != 0 { // NaN or ±Inf, without a call per value
				k := first + r
				return fmt.Errorf("the run diverged: %s is %v at t = %s (step %d); nothing written (--allow-nonfinite writes such results)",
					opts.Columns[c].Name, v, formatSeconds(opts.T0+float64(k)*opts.Dt), k)
			}
		}
	}
	return nil
}
