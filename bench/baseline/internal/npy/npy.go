// Package npy writes the hand-written baselines' results as NumPy .npy
// files, byte for byte as the tvboc runtime writes them, so that a
// baseline's output can be compared with a generated program's.
package npy

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"math"
	"os"
)

// Write writes a rows x cols float64 matrix as NumPy's .npy format 1.0
// (the header padded so that the data starts at a multiple of 64 bytes).
func Write(path string, data []float64, rows, cols int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	dict := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': (%d, %d), }", rows, cols)
	pad := (64 - (10+len(dict)+1)%64) % 64
	w.WriteString("\x93NUMPY\x01\x00")
	binary.Write(w, binary.LittleEndian, uint16(len(dict)+pad+1))
	w.WriteString(dict)
	for range pad {
		w.WriteByte(' ')
	}
	w.WriteByte('\n')
	var b [8]byte
	for _, x := range data {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(x))
		w.Write(b[:])
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
