package runtime

import (
	"bufio"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"sync"
	"time"
)

// Stream is a recorder that writes its rows while the run goes, so a run
// of any length records in constant memory: rows are filled in chunks of
// a bounded set of buffers (streamBuffers), and a goroutine of its own
// writes each full chunk to the output (a temporary file renamed into
// place by FinishStream, as Finish does, or standard output). The file is
// byte for byte what Finish writes from a Recorder. Whole-brain programs
// use it, and so does the recorder of a node-list run (NewRunRecorder).
//
// Rows must be asked for in increasing order (several goroutines may ask
// for the same row), and a row is complete when a later chunk's first row
// is asked for: the generated kernels meet at a barrier after writing a
// row, before the next one.
type Stream struct {
	opts       Options
	cols, rows int
	chunkRows  int

	mu     sync.Mutex
	chunk  int       // index of the chunk being filled
	cur    []float64 // its buffer
	free   chan []float64
	unmade int // buffers not made yet (freeBuffer)
	full   chan filled
	done   chan error
	temp   *os.File // the rows' temporary file (FinishStream puts it in place)
	// dest is where the temporary file goes at the end: the output, or
	// the file its symbolic link names; into says dest is a device or a
	// pipe (or toStdout, standard output), which the rows are copied into
	// instead (FinishStream).
	dest     string
	into     bool
	toStdout bool
	started  time.Time
	// check applies the divergence rule (checkFinite) to every chunk
	// before it is written: the first non-finite value fails the run.
	check    bool
	diverged error // set by the writer before it reports done
	// derive, when set, fills the derived columns of a chunk's rows
	// before they are checked and written (Recorder.Derive).
	derive func(data []float64, first, n int)
	// fc, with --fc, correlates the written columns row by row.
	fc *FC
	// text is the writer's buffer for a line piece when one goroutine
	// formats (writeText).
	text []byte
}

type filled struct {
	first int // row index of the chunk's first row
	data  []float64
}

// streamBytes is about how much one chunk of rows holds; streamBuffers
// how many chunks exist at once (one being filled, the others queued or
// being written).
const (
	streamBytes   = 1 << 20
	streamBuffers = 4
)

// NewStream opens the output of a run of rows rows of cols values and
// starts its writer. The caller must end it with FinishStream (or a
// failed run with Fatal, which removes the temporary file).
func NewStream(opts Options, cols, rows int) (*Stream, error) {
	s := &Stream{opts: opts, cols: cols, rows: rows, chunk: 0}
	if opts.FC != "" {
		s.fc = NewFC(len(opts.Selected))
	}
	// a short run takes one chunk of its own size, and the other buffers
	// are made when a run needs them: a few milliseconds of allocating and
	// faulting in 4 MB were most of a small run's writing
	s.chunkRows = max(1, min(streamBytes/(8*max(cols, 1)), rows))
	s.free = make(chan []float64, streamBuffers)
	s.unmade = streamBuffers - 1
	s.cur = make([]float64, s.chunkRows*cols)
	s.full = make(chan filled, streamBuffers)
	s.done = make(chan error, 1)
	// As writeOutputs: a symbolic link keeps being one (its target is
	// replaced), and a device or a pipe is written into, never renamed
	// over. Its rows, and those for standard output, wait in a temporary
	// file of the system's until the run has succeeded, so that nothing
	// reaches it otherwise (a diverged run writes nothing).
	s.dest = OutputDest(opts.Out)
	dir, base := filepath.Dir(s.dest), filepath.Base(s.dest)
	if opts.Out == Stdout || opts.Out == "" {
		s.opts.Format = FormatCSV // results on stdout are always CSV
		s.into, s.toStdout, dir, base = true, true, os.TempDir(), "stdout"
	} else if fi, err := os.Stat(s.dest); err == nil && !fi.Mode().IsRegular() {
		if fi.IsDir() {
			return nil, fmt.Errorf("cannot write %s: it is a directory", opts.Out)
		}
		s.into, dir = true, os.TempDir()
	}
	temp, err := createTemp(dir, base)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("cannot write %s: directory %s does not exist", opts.Out, dir)
		}
		return nil, fmt.Errorf("cannot write %s: %w", s.outName(), unwrapPathError(err))
	}
	s.temp = temp
	addCleanup(temp.Name())
	go s.write(temp)
	return s, nil
}

// Row returns row k for the kernel to fill in.
func (s *Stream) Row(k int) []float64 {
	c := k / s.chunkRows
	s.mu.Lock()
	if c > s.chunk {
		// every row so far is complete: hand the chunk to the writer
		// and take a free buffer (waiting when the writer is behind)
		s.full <- filled{first: s.chunk * s.chunkRows, data: s.cur}
		s.cur, s.chunk = s.freeBuffer(), c
	}
	cur := s.cur
	s.mu.Unlock()
	off := (k - c*s.chunkRows) * s.cols
	return cur[off : off+s.cols : off+s.cols]
}

// freeBuffer returns a buffer for the next chunk: one the writer has
// finished with, else a new one while fewer than streamBuffers exist,
// else the next the writer finishes with.
func (s *Stream) freeBuffer() []float64 {
	select {
	case b := <-s.free:
		return b
	default:
	}
	if s.unmade > 0 {
		s.unmade--
		return make([]float64, s.chunkRows*s.cols)
	}
	return <-s.free
}

// chunkOf is Row for a single goroutine that asks for whole chunks: the
// buffer of the chunk that holds row k, and the chunk's first row.
func (s *Stream) chunkOf(k int) ([]float64, int) {
	s.Row(k) // hands the earlier chunks to the writer
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur, s.chunk * s.chunkRows
}

// write is the writer goroutine: the header, then every chunk as it
// comes; after an error it keeps taking chunks (so the run never waits on
// it) and reports the first error at the end.
func (s *Stream) write(w io.Writer) {
	out := newTextWriter(w, writeBufferSize)
	err := s.header(out.Writer)
	for f := range s.full {
		n := min(s.chunkRows, s.rows-f.first)
		if s.derive != nil && err == nil {
			s.derive(f.data[:n*s.cols], f.first, n)
		}
		if s.check && err == nil {
			s.diverged = nonFinite(f.data, s.cols, f.first, n, s.opts)
			err = s.diverged
		}
		for r := 0; r < n && err == nil; r++ {
			row := f.data[r*s.cols : (r+1)*s.cols]
			if err = s.finite(row, f.first+r); err != nil {
				break
			}
			if s.fc != nil {
				s.fc.AddColumns(row, s.opts.Selected)
			}
		}
		if err == nil && s.opts.Format == FormatNPY {
			for r := 0; r < n && err == nil; r++ {
				row := f.data[r*s.cols : (r+1)*s.cols]
				buf := out.AvailableBuffer()
				buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(s.opts.T0+float64(f.first+r)*s.opts.Dt))
				for _, c := range s.opts.Selected {
					buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(row[c]))
				}
				_, err = out.Write(buf)
			}
		} else if err == nil {
			err = s.writeText(out, f.data, f.first, n)
		}
		s.free <- f.data
	}
	if err == nil {
		err = out.Flush()
	}
	s.done <- err
}

// finite applies the one rule for divergence (checkFinite) to a streamed
// row: a value that is NaN or infinite in a written column fails the run
// and nothing is written, unless --allow-nonfinite.
func (s *Stream) finite(row []float64, k int) error {
	if s.opts.AllowNonfinite || s.check {
		return nil // (s.check: the chunk was checked already, by nonFinite)
	}
	for _, c := range s.opts.Selected {
		if v := row[c]; v-v != 0 {
			return fmt.Errorf("the run diverged: %s is %v at t = %s (step %d); nothing written (--allow-nonfinite writes such results)",
				s.opts.Columns[c].Name, v, formatSeconds(s.opts.T0+float64(k)*s.opts.Dt), k)
		}
	}
	return nil
}

// header writes what comes before the rows: the CSV header line or the
// .npy preamble (the shape is known before the run).
func (s *Stream) header(out *bufio.Writer) error {
	switch s.opts.Format {
	case FormatCSV:
		header := []string{"t"}
		for _, c := range s.opts.Selected {
			header = append(header, s.opts.Columns[c].Name)
		}
		hw := csv.NewWriter(out)
		if err := hw.Write(header); err != nil {
			return err
		}
		hw.Flush()
		return hw.Error()
	case FormatNPY:
		h, err := npyHeader(s.rows, 1+len(s.opts.Selected))
		if err != nil {
			return err
		}
		_, err = out.Write(h)
		return err
	case FormatDAT:
		return nil
	}
	return fmt.Errorf("unknown output format %v", s.opts.Format)
}

// FinishStream ends a streamed run: it hands the last rows to the writer,
// waits for it, renames the file into place (or removes it on an error),
// and prints the summary line unless opts.Quiet.
func FinishStream(opts Options, s *Stream, prog *Progress) error {
	simWall := prog.Done()
	writeStart := time.Now()
	name, err := s.close()
	if err != nil {
		return err
	}
	if err := s.finishFC(); err != nil {
		// the correlation matrix first: without it, no traces either
		os.Remove(name)
		removeCleanup(name)
		return err
	}
	switch { // not after a signal (interrupt.go)
	case s.toStdout:
		err = copyTempTo(name, opts.stdout())
	case s.into:
		err = copyTempInto(name, s.dest)
	default:
		err = commitTemp(name, s.dest)
	}
	removeCleanup(name)
	if err != nil {
		os.Remove(name)
		return fmt.Errorf("writing %s: %w", s.outName(), unwrapPathError(err))
	}
	warnUnusedSeed(opts.stderr())
	if !opts.Quiet {
		fmt.Fprintln(opts.stderr(), summary(opts, &Recorder{cols: s.cols, rows: s.rows}, prog, simWall, time.Since(writeStart)))
	}
	return nil
}

// close hands the last chunk to the writer, waits for it and closes the
// output. It returns the temporary file, complete, for the caller to put
// in place (FinishStream, or writeOutputs with the other outputs of the
// run); on failure the file is removed.
func (s *Stream) close() (temp string, err error) {
	s.mu.Lock()
	s.full <- filled{first: s.chunk * s.chunkRows, data: s.cur}
	s.mu.Unlock()
	close(s.full)
	err = <-s.done
	name := s.temp.Name()
	if cerr := s.temp.Close(); err == nil {
		err = cerr
	}
	if s.diverged != nil {
		err = s.diverged
	}
	if err != nil {
		os.Remove(name)
		removeCleanup(name)
		if strings.HasPrefix(err.Error(), "the run diverged") {
			return "", err
		}
		return "", fmt.Errorf("writing %s: %w", s.outName(), unwrapPathError(err))
	}
	return name, nil
}

// outName is the output as messages name it.
func (s *Stream) outName() string {
	if s.toStdout {
		return "results to stdout"
	}
	return s.opts.Out
}

// writeText writes the n rows of a chunk (first is the first row's index)
// as text lines (writeLines), on as many goroutines as the chunk's values
// are worth.
func (s *Stream) writeText(out textWriter, data []float64, first, n int) error {
	sep := byte(',')
	if s.opts.Format == FormatDAT {
		sep = '\t'
	}
	selected := s.opts.Selected
	workers := min(textWorkers(), max(1, n*len(selected)/textMinValues))
	return writeLines(out, n, 1+len(selected), workers, &s.text, func() lineMaker {
		memo := newTextMemo(len(selected))
		return func(buf []byte, r int) []byte {
			t := s.opts.T0 + float64(first+r)*s.opts.Dt
			return appendTextLine(buf, data[r*s.cols:(r+1)*s.cols], t, selected, sep, memo)
		}
	})
}

// writeLines writes n text lines in order, a lineMaker of lines() appending
// line r of a piece (about perLine values): each piece gets its own, so
// one may remember the lines it made (textMemo). Shortest round-trip
// formatting costs more than writing the bytes, so with workers > 1 the lines are made on that many
// goroutines, a piece of about textPieceValues values at a time, and
// written in order (writeChunks); with one, piece by piece in *scratch
// (which may be nil). The pieces are small and their buffers reused, so
// the text stays in cache and a short run does not fault in megabytes of
// fresh memory for it (each page a few microseconds here: pieces made
// Ex11's 1.4 MB CSV about 2 ms faster than a buffer per core the size of
// the chunk). The lines are the same bytes however many workers make them.
func writeLines(out textWriter, n, perLine, workers int, scratch *[]byte, lines func() lineMaker) error {
	rows := max(1, textPieceValues/perLine)
	pieces := (n + rows - 1) / rows
	format := func(buf []byte, i int) []byte {
		lo, hi := i*rows, min(n, (i+1)*rows)
		// room for the lines up front: growing the buffer by appending
		// copied it over and over
		if need := (hi - lo) * perLine * maxTextValue; cap(buf) < need {
			buf = make([]byte, 0, need)
		}
		line := lines()
		for r := lo; r < hi; r++ {
			buf = line(buf, r)
		}
		return buf
	}
	if workers > 1 {
		return writeChunks(out, pieces, workers, format)
	}
	var own []byte
	if scratch == nil {
		scratch = &own
	}
	for i := range pieces {
		*scratch = format((*scratch)[:0], i)
		if err := out.writePiece(*scratch); err != nil {
			return err
		}
	}
	return nil
}

// lineMaker appends line r of the text to buf.
type lineMaker func(buf []byte, r int) []byte

// textMinValues is about the fewest values worth a formatting goroutine;
// maxTextValue the most bytes one value takes in a line, with its
// separator ("-2.2250738585072014e-308,").
const (
	textMinValues = 4096
	maxTextValue  = 25
)

// textPieceValues is about how many values one piece of text holds (at
// most 100 KB of text): writeLines's unit of work.
const textPieceValues = 4096

// textWorkers is how many goroutines format a chunk of text rows: one per
// core, or forcedTextWorkers (tests).
func textWorkers() int {
	if forcedTextWorkers > 0 {
		return forcedTextWorkers
	}
	return goruntime.GOMAXPROCS(0)
}

var forcedTextWorkers int

// appendTextLine appends one text line: t, then the selected values of
// row (the columns selected names), each in the shortest form that reads
// back as the same float64 (appendShortest: strconv's bytes, faster).
// (It took the whole Options once, a copy of that struct for every line.)
//
// A value with the same bits as the one before it in the line, as the
// one above it in memo's line, or as one the memo's piece formatted
// earlier (memo.recent) has the same text, and that text is copied rather
// than formatted again: recorded columns repeat a great deal (a variable
// and its exposure, a rate and the gate's alpha, constants, saturated
// gates; 46% of the values of TVBO's Ex15 with --record all equal their
// left neighbour or the value above, 58% one of the line's or the one
// above), and formatting is most of a text file's cost. memo may be nil.
func appendTextLine(line []byte, row []float64, t float64, selected []int, sep byte, memo *textMemo) []byte {
	line = appendShortest(line, t)
	above := memo.above(len(selected))
	var left uint64
	var leftFrom, leftTo int
	for j, c := range selected {
		line = append(line, sep)
		v := row[c]
		bits := math.Float64bits(v)
		from := len(line)
		switch {
		case j > 0 && bits == left:
			line = append(line, line[leftFrom:leftTo]...)
		case above != nil && bits == above[j].bits:
			line = append(line, line[above[j].from:above[j].to]...)
		case memo != nil:
			slot := &memo.recent[(bits*0x9e3779b97f4a7c15)>>(64-recentBits)]
			if slot.to > 0 && slot.bits == bits {
				line = append(line, line[slot.from:slot.to]...)
			} else {
				line = appendShortest(line, v)
				*slot = memoField{bits: bits, from: int32(from), to: int32(len(line))}
			}
		default:
			line = appendShortest(line, v)
		}
		left, leftFrom, leftTo = bits, from, len(line)
		if memo != nil {
			memo.fields[j] = memoField{bits: bits, from: int32(from), to: int32(leftTo)}
		}
	}
	if memo != nil {
		memo.filled = true
	}
	return append(line, '\n')
}

// textMemo is the line a piece of text made last: each field's value and
// where its text lies in the piece's buffer (appendTextLine). It belongs
// to one piece: a new piece starts with a new buffer, so with a new memo.
type textMemo struct {
	fields []memoField
	filled bool // fields hold a line of this piece
	// recent holds values formatted earlier in the piece, by a hash of
	// their bits (one per slot, the latest): a value equal to one further
	// back in the line, or lines back, is copied too
	recent [1 << recentBits]memoField
}

const recentBits = 6

type memoField struct {
	bits     uint64
	from, to int32
}

// newTextMemo is an empty memo for lines of n values after t.
func newTextMemo(n int) *textMemo {
	return &textMemo{fields: make([]memoField, n)}
}

// above is the previous line's fields, nil when there is none (a nil
// memo, the piece's first line, or a line of another width, after which
// the memo takes lines of n values).
func (m *textMemo) above(n int) []memoField {
	switch {
	case m == nil:
		return nil
	case len(m.fields) != n:
		m.fields, m.filled = make([]memoField, n), false
		return nil
	case !m.filled:
		return nil
	}
	return m.fields
}

// cleanups are the temporary files of streams still being written, which
// Fatal removes so that a failed run leaves nothing behind.
var cleanups struct {
	sync.Mutex
	names map[string]bool
}

func addCleanup(name string) {
	cleanups.Lock()
	defer cleanups.Unlock()
	if cleanups.names == nil {
		cleanups.names = map[string]bool{}
	}
	cleanups.names[name] = true
}

func removeCleanup(name string) {
	cleanups.Lock()
	defer cleanups.Unlock()
	delete(cleanups.names, name)
}

// runCleanups removes every registered temporary file.
func runCleanups() {
	cleanups.Lock()
	defer cleanups.Unlock()
	for name := range cleanups.names {
		os.Remove(name)
	}
	cleanups.names = nil
}
