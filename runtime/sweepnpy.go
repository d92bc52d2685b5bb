package runtime

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// npyStack is the one .npy file of a sweep: a float64 array of shape
// (sets, rows, 1+columns), set s being what a single run with that set's
// parameters writes to a .npy. Workers write their sets' blocks at their
// own offsets, in any order; the file appears under its name only when
// every block is written (temp file, sync, rename).
type npyStack struct {
	path       string
	temp       *os.File
	dataStart  int64
	blockBytes int64
	rows, cols int
	mu         sync.Mutex // guards done
	done       bool
}

// createNPYStack creates the temp file of an npy stack with its header.
func createNPYStack(path string, sets, rows, cols int) (*npyStack, error) {
	header, err := npyHeaderShape(sets, rows, cols)
	if err != nil {
		return nil, err
	}
	temp, err := createTemp(filepath.Dir(path), filepath.Base(path))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("cannot write %s: directory %s does not exist", path, filepath.Dir(path))
		}
		return nil, fmt.Errorf("cannot write %s: %w", path, unwrapPathError(err))
	}
	s := &npyStack{path: path, temp: temp, dataStart: int64(len(header)), blockBytes: int64(rows) * int64(cols) * 8, rows: rows, cols: cols}
	if _, err := temp.Write(header); err != nil {
		s.abort()
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	// Size the file up front so every block lands inside it.
	if err := temp.Truncate(s.dataStart + int64(sets)*s.blockBytes); err != nil {
		s.abort()
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	return s, nil
}

// stackChunkRows bounds the buffer a block is encoded through.
const stackChunkRows = 4096

// write stores the recording of the set in slot, like WriteNPY stores a
// single run: t = k*Dt in column 0, then the selected columns.
func (s *npyStack) write(slot int, rec *Recorder, opts Options) error {
	if err := checkTable(rec, opts); err != nil {
		return err
	}
	if rec.rows != s.rows || 1+len(opts.Selected) != s.cols {
		return fmt.Errorf("set of %dx%d values does not fit the %dx%d blocks of %s", rec.rows, 1+len(opts.Selected), s.rows, s.cols, s.path)
	}
	buf := make([]byte, 0, min(s.rows, stackChunkRows)*s.cols*8)
	offset := s.dataStart + int64(slot)*s.blockBytes
	for k := range rec.rows {
		row := rec.Row(k)
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(opts.T0+float64(k)*opts.Dt))
		for _, c := range opts.Selected {
			buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(row[c]))
		}
		if len(buf) == cap(buf) || k == rec.rows-1 {
			if _, err := s.temp.WriteAt(buf, offset); err != nil {
				return fmt.Errorf("writing %s: %w", s.path, err)
			}
			offset += int64(len(buf))
			buf = buf[:0]
		}
	}
	return nil
}

// writeNaN fills the block of a set that produced no results with NaN.
func (s *npyStack) writeNaN(slot int) error {
	nan := binary.LittleEndian.AppendUint64(nil, math.Float64bits(math.NaN()))
	chunk := []byte(strings.Repeat(string(nan), min(s.rows, stackChunkRows)*s.cols))
	offset := s.dataStart + int64(slot)*s.blockBytes
	for left := s.blockBytes; left > 0; {
		n := min(left, int64(len(chunk)))
		if _, err := s.temp.WriteAt(chunk[:n], offset); err != nil {
			return fmt.Errorf("writing %s: %w", s.path, err)
		}
		offset += n
		left -= n
	}
	return nil
}

// commit syncs the temp file and renames it to the final name.
func (s *npyStack) commit() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.temp.Sync()
	if err == nil {
		err = s.temp.Close()
	}
	if err == nil {
		err = commitTemp(s.temp.Name(), s.path)
	}
	if err != nil {
		s.temp.Close()
		os.Remove(s.temp.Name())
		untrackTemp(s.temp.Name())
		s.done = true
		return fmt.Errorf("writing %s: %w", s.path, unwrapPathError(err))
	}
	s.done = true
	return nil
}

// abort removes the temp file unless commit has run; deferred by the
// caller so that a failed sweep leaves no half-written array.
func (s *npyStack) abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return
	}
	s.temp.Close()
	os.Remove(s.temp.Name())
	untrackTemp(s.temp.Name())
	s.done = true
}

// npyHeaderShape returns the .npy version 1.0 preamble for a C-order
// float64 array of the given shape, padded so the data starts at a multiple
// of 64 bytes (see npyHeader).
func npyHeaderShape(shape ...int) ([]byte, error) {
	dims := make([]string, len(shape))
	for i, n := range shape {
		dims[i] = strconv.Itoa(n)
	}
	tuple := strings.Join(dims, ", ")
	if len(shape) == 1 {
		tuple += ","
	}
	dict := "{'descr': '<f8', 'fortran_order': False, 'shape': (" + tuple + "), }"
	const lengthBytes = 2
	unpadded := len(npyMagic) + lengthBytes + len(dict) + 1
	padding := (64 - unpadded%64) % 64
	headerLen := len(dict) + padding + 1
	if headerLen > math.MaxUint16 {
		return nil, fmt.Errorf("npy header of %d bytes does not fit format version 1.0", headerLen)
	}
	header := make([]byte, 0, unpadded+padding)
	header = append(header, npyMagic...)
	header = binary.LittleEndian.AppendUint16(header, uint16(headerLen))
	header = append(header, dict...)
	header = append(header, strings.Repeat(" ", padding)...)
	return append(header, '\n'), nil
}
