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
	"math/rand/v2"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"sync"
	"sync/atomic"
)

// writeBufferSize is large so that writing a few hundred MB of results
// costs a few thousand write system calls, not hundreds of thousands.
const writeBufferSize = 1 << 20

// textWriter is the buffered writer of text results, which writes a
// formatted piece of text (writeLines) past its buffer, straight to the
// writer it wraps (the buffer flushed first, so the bytes stay in order).
// bufio copies a write smaller than its free space into the buffer, and
// the pieces (about 75 KB) always were: a copy of every byte of a CSV,
// a tenth of its CPU (Ex15 --record all, perf).
type textWriter struct {
	*bufio.Writer
	direct io.Writer // what the buffer wraps
}

// newTextWriter buffers w with size bytes.
func newTextWriter(w io.Writer, size int) textWriter {
	return textWriter{bufio.NewWriterSize(w, size), w}
}

// directPiece is the smallest piece textWriter writes past its buffer: a
// write system call costs microseconds, a copy of 32 KB about as much.
const directPiece = 32 << 10

// writePiece writes one piece of text.
func (out textWriter) writePiece(p []byte) error {
	if len(p) < directPiece {
		_, err := out.Write(p)
		return err
	}
	if err := out.Flush(); err != nil {
		return err
	}
	_, err := out.direct.Write(p)
	return err
}

// WriteResults writes rec to w in opts.Format with the columns in
// opts.Selected; it is what Finish calls for the file or stdout.
func WriteResults(w io.Writer, rec *Recorder, opts Options) error {
	switch opts.Format {
	case FormatCSV:
		return WriteCSV(w, rec, opts)
	case FormatDAT:
		return WriteDAT(w, rec, opts)
	case FormatNPY:
		return WriteNPY(w, rec, opts)
	}
	return fmt.Errorf("unknown output format %v", opts.Format)
}

// WriteCSV writes rec as CSV: the header "t,<column>,..." (names of the
// selected columns, quoted only when they contain a comma or a quote), then
// one line per row: t = opts.T0 + k*opts.Dt and the selected values, each in the
// shortest form that reads back as the same float64.
func WriteCSV(w io.Writer, rec *Recorder, opts Options) error {
	if err := checkTable(rec, opts); err != nil {
		return err
	}
	out := newTextWriter(w, writeBufferSize)
	header := make([]string, 0, 1+len(opts.Selected))
	header = append(header, "t")
	for _, c := range opts.Selected {
		header = append(header, opts.Columns[c].Name)
	}
	headerWriter := csv.NewWriter(out)
	if err := headerWriter.Write(header); err != nil {
		return err
	}
	headerWriter.Flush()
	if err := headerWriter.Error(); err != nil {
		return err
	}
	return writeText(out, rec, opts, ',')
}

// WriteDAT writes rec in the text form jNeuroML (jLEMS) writes: no header,
// one line per row, t first, values separated by tabs. Unlike jLEMS, which
// rounds to float32 and ends each line with a tab, every value keeps full
// float64 precision and lines end right after the last value; readers that
// split on whitespace read both alike.
func WriteDAT(w io.Writer, rec *Recorder, opts Options) error {
	if err := checkTable(rec, opts); err != nil {
		return err
	}
	return writeText(newTextWriter(w, writeBufferSize), rec, opts, '\t')
}

// writeText writes the rows of rec as text lines with values separated by
// sep (writeLines: a large table on every core, a small one on this
// goroutine), and flushes out.
func writeText(out textWriter, rec *Recorder, opts Options, sep byte) error {
	workers := 1
	if rec.rows*(1+len(opts.Selected)) >= parallelTextMin {
		workers = goruntime.GOMAXPROCS(0)
	}
	err := writeLines(out, rec.rows, 1+len(opts.Selected), workers, nil, func() lineMaker {
		memo := newTextMemo(len(opts.Selected))
		return func(buf []byte, k int) []byte { return appendTextRow(buf, rec, opts, sep, k, memo) }
	})
	if err != nil {
		return err
	}
	return out.Flush()
}

// parallelTextMin is the number of values from which a held table or a
// spike file is formatted on every core: below it the goroutines cost more
// than they save.
var parallelTextMin = 20000

// appendTextRow appends row k as a line: t from the step counter (never a
// running sum: no drift), then the selected values, each in the shortest
// form that reads back as the same float64, or copied from memo's line
// (appendTextLine); no fmt call, no allocation per value.
func appendTextRow(line []byte, rec *Recorder, opts Options, sep byte, k int, memo *textMemo) []byte {
	return appendTextLine(line, rec.Row(k), opts.T0+float64(k)*opts.Dt, opts.Selected, sep, memo)
}

// writeChunks writes chunks pieces of text, each made by format(buf, i)
// (appending to buf), in order, and flushes out: workers goroutines
// format while this one writes. A worker takes a token before it takes
// the next piece, and a token comes back only when a piece has been
// written, so at most 2*workers pieces are in memory and the lowest
// unwritten piece always has one: no deadlock, bounded memory, the same
// bytes as formatting in order.
func writeChunks(out textWriter, chunks, workers int, format func(buf []byte, i int) []byte) error {
	ready := make([]chan []byte, chunks)
	for i := range ready {
		ready[i] = make(chan []byte, 1)
	}
	tokens := make(chan struct{}, 2*workers)
	for range cap(tokens) {
		tokens <- struct{}{}
	}
	free := make(chan []byte, 2*workers) // written buffers, for reuse
	done := make(chan struct{})
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-tokens:
				case <-done:
					return
				}
				i := int(next.Add(1) - 1)
				if i >= chunks {
					return
				}
				var buf []byte
				select {
				case buf = <-free:
				default:
				}
				ready[i] <- format(buf[:0], i)
			}
		}()
	}
	var err error
	for i := range chunks {
		buf := <-ready[i]
		if err = out.writePiece(buf); err != nil {
			break
		}
		select {
		case free <- buf:
		default:
		}
		tokens <- struct{}{}
	}
	close(done)
	wg.Wait()
	if err != nil {
		return err
	}
	return out.Flush()
}

// WriteNPY writes rec as a NumPy .npy file, format version 1.0: a C-order
// little-endian float64 matrix of rec.Rows() rows and 1+len(opts.Selected)
// columns, column 0 being t = opts.T0 + k*opts.Dt.
func WriteNPY(w io.Writer, rec *Recorder, opts Options) error {
	if err := checkTable(rec, opts); err != nil {
		return err
	}
	out := bufio.NewWriterSize(w, writeBufferSize)
	header, err := npyHeader(rec.rows, 1+len(opts.Selected))
	if err != nil {
		return err
	}
	if _, err := out.Write(header); err != nil {
		return err
	}
	for k := range rec.rows {
		row := rec.Row(k)
		buf := out.AvailableBuffer()
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(opts.T0+float64(k)*opts.Dt))
		for _, c := range opts.Selected {
			buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(row[c]))
		}
		if _, err := out.Write(buf); err != nil {
			return err
		}
	}
	return out.Flush()
}

// npyMagic opens every .npy file: the magic string and format version 1.0.
const npyMagic = "\x93NUMPY\x01\x00"

// npyHeader returns the .npy preamble for a rows x cols float64 matrix: the
// magic, the version, the little-endian header length, and the header
// dictionary (in the exact form numpy writes it) padded with spaces and
// ended by a newline so that the data starts at a multiple of 64 bytes, as
// the format asks so that readers can memory-map the data aligned.
func npyHeader(rows, cols int) ([]byte, error) {
	dict := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': (%d, %d), }", rows, cols)
	const lengthBytes = 2
	unpadded := len(npyMagic) + lengthBytes + len(dict) + 1 // +1: the final newline
	padding := (64 - unpadded%64) % 64
	headerLen := len(dict) + padding + 1
	if headerLen > math.MaxUint16 {
		// Cannot happen for a 2-D shape; version 1.0 just has no room for it.
		return nil, fmt.Errorf("npy header of %d bytes does not fit format version 1.0", headerLen)
	}
	header := make([]byte, 0, unpadded+padding)
	header = append(header, npyMagic...)
	header = binary.LittleEndian.AppendUint16(header, uint16(headerLen))
	header = append(header, dict...)
	for range padding {
		header = append(header, ' ')
	}
	return append(header, '\n'), nil
}

// checkTable makes sure rec and opts agree, so that a generator bug is an
// error message rather than an index panic in the middle of writing.
func checkTable(rec *Recorder, opts Options) error {
	if rec == nil {
		return errors.New("no recording to write (nil recorder)")
	}
	// a recorder may leave out the lazy columns when none is written
	// (NewRecorderFor); the selection check below catches one that is
	eager := len(opts.Columns)
	for eager > 0 && opts.Columns[eager-1].Lazy {
		eager--
	}
	if rec.cols != len(opts.Columns) && rec.cols != eager {
		return fmt.Errorf("recorder has %d columns but the program declares %d", rec.cols, len(opts.Columns))
	}
	for _, c := range opts.Selected {
		if c < 0 || c >= rec.cols {
			return fmt.Errorf("selected column %d is out of range (the recorder has %d)", c, rec.cols)
		}
	}
	return nil
}

// writeFileAtomic creates path with the bytes that write produces, or
// leaves the file system as it was (writeOutputs).
func writeFileAtomic(path string, write func(io.Writer) error) error {
	return writeOutputs(output{path: path, write: write})
}

// output is one result a run writes: to path, or to w when w is set
// (standard output).
type output struct {
	what  string // "spikes", for the summary
	path  string
	w     io.Writer
	write func(io.Writer) error
	// staged is a temporary file next to path that already holds the
	// output (a stream's, written while the run went): it is only
	// renamed into place with the others, or removed.
	staged string
}

// OutputDest is where an output to path goes: path itself, or the file
// its symbolic link names, also one that does not exist yet (a link
// keeps being a link; one level of a dangling link is followed). The
// binaries' outputs and tvboc's own (gen, compile) go through it.
func OutputDest(path string) string {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		return target
	}
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if target, err := os.Readlink(path); err == nil {
			if !filepath.IsAbs(target) {
				target = filepath.Join(filepath.Dir(path), target)
			}
			return target
		}
	}
	return path
}

// writeOutputs writes every output or none of them. A regular file (or a
// new one) is written to a temp file next to it (same directory, so the
// rename cannot cross file systems), and the temp files are renamed into
// place only after every output was written; on any error they are
// removed and the existing files are untouched. Something that is not a
// regular file, a device such as /dev/null or a named pipe, is written
// into, never renamed over, and so is w. A symbolic link keeps being a
// link: its target is replaced.
func writeOutputs(outs ...output) (err error) {
	type staged struct {
		out  output
		temp string
		dest string
	}
	var files []staged
	var direct []output
	defer func() {
		if err != nil {
			for _, f := range files {
				os.Remove(f.temp)
			}
			for _, o := range outs {
				os.Remove(o.staged) // (one not reached yet)
			}
		}
	}()
	for _, o := range outs {
		if o.staged != "" {
			files = append(files, staged{o, o.staged, OutputDest(o.path)})
			continue
		}
		if o.w != nil {
			direct = append(direct, o)
			continue
		}
		dest := OutputDest(o.path)
		if fi, err := os.Stat(dest); err == nil && !fi.Mode().IsRegular() {
			if fi.IsDir() {
				return fmt.Errorf("cannot write %s: it is a directory", o.path)
			}
			direct = append(direct, o)
			continue
		}
		temp, err := createTemp(filepath.Dir(dest), filepath.Base(dest))
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("cannot write %s: directory %s does not exist", o.path, filepath.Dir(o.path))
			}
			return fmt.Errorf("cannot write %s: %w", o.path, unwrapPathError(err))
		}
		files = append(files, staged{o, temp.Name(), dest})
		err = o.write(temp)
		// No fsync: the guarantee is against a failed or killed run, which
		// the rename covers; surviving a power cut is the file system's
		// business, and an fsync costs more than simulating the seed.
		if cerr := temp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w", o.path, unwrapPathError(err))
		}
	}
	for _, o := range direct {
		w := o.w
		if w == nil {
			f, err := os.OpenFile(o.path, os.O_WRONLY, 0)
			if err != nil {
				return fmt.Errorf("cannot write %s: %w", o.path, unwrapPathError(err))
			}
			err = o.write(f)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return fmt.Errorf("writing %s: %w", o.path, unwrapPathError(err))
			}
			continue
		}
		if err := o.write(w); err != nil {
			return err
		}
	}
	for i, f := range files {
		if err := commitTemp(f.temp, f.dest); err != nil { // not after a signal (interrupt.go)
			for _, rest := range files[i:] {
				os.Remove(rest.temp)
			}
			return fmt.Errorf("writing %s: %w", f.out.path, unwrapPathError(err))
		}
	}
	return nil
}

// createTemp creates a new hidden file ".<base>.tmp<random>" in dir. Unlike
// os.CreateTemp it asks for mode 0666 and lets the umask decide, so the
// final result gets the same permissions a plain os.Create would give it.
func createTemp(dir, base string) (*os.File, error) {
	var err error
	for range 100 {
		name := filepath.Join(dir, "."+base+".tmp"+strconv.FormatUint(rand.Uint64()%1e9, 10))
		var f *os.File
		f, err = openTracked(name) // removed on a signal (interrupt.go)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, err
}
