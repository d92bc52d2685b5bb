// Package connectome loads structural connectomes (square weight and
// tract-length matrices as headerless CSV), applies TVBO transforms to
// them (expressions over whole matrices such as
// "weight / mean(weight[weight > 0])"), and turns them into what a
// compiled kernel needs: compressed sparse rows of the non-zero weights
// and integer delays in steps, rounded as TVB rounds them.
package connectome

import (
	"bufio"
	"bytes"
	"fmt"
	"github.com/tvboc/tvboc/compiler/inputs"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/tvboc/tvboc/compiler/diag"
)

// Matrix is a square N x N matrix, row-major: entry (i, j) is Data[i*N+j].
// For weights, row i is the target region and column j the source:
// c_i = sum_j w_ij x_j.
type Matrix struct {
	N    int
	Data []float64
}

// At returns entry (i, j).
func (m *Matrix) At(i, j int) float64 { return m.Data[i*m.N+j] }

// Clone returns an independent copy.
func (m *Matrix) Clone() *Matrix {
	return &Matrix{N: m.N, Data: append([]float64(nil), m.Data...)}
}

// Zero returns an N x N matrix of zeros (the connectome of N unconnected
// nodes).
func Zero(n int) *Matrix { return &Matrix{N: n, Data: make([]float64, n*n)} }

// ReadFile reads a matrix from a CSV file: one row per line, values
// separated by commas (or blanks), no header. Errors name file:line:col.
func ReadFile(path string) (*Matrix, error) {
	data, err := inputs.ReadFile(path)
	if err != nil {
		if pe, ok := err.(*os.PathError); ok {
			err = pe.Err
		}
		return nil, diag.Errorf(diag.Pos{File: path}, "cannot read the connectome matrix: %v", err)
	}
	return Parse(path, data)
}

// Parse reads a matrix from CSV bytes; file names it in messages.
func Parse(file string, data []byte) (*Matrix, error) {
	// a byte-order mark (spreadsheets write one) is not part of the first number
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var rows [][]float64
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 1<<20), 1<<28)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(strings.TrimSpace(text), "#") {
			continue
		}
		var row []float64
		for _, field := range splitFields(text) {
			v, err := strconv.ParseFloat(strings.TrimSpace(field.text), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, diag.Errorf(diag.Pos{File: file, Line: line, Col: field.col},
					"connectome entry %q is not a finite number", strings.TrimSpace(field.text)).
					WithHint("a connectome file is a square matrix of numbers without a header")
			}
			row = append(row, v)
		}
		if len(rows) > 0 && len(row) != len(rows[0]) {
			return nil, diag.Errorf(diag.Pos{File: file, Line: line, Col: 1},
				"connectome row has %d values, the first row has %d", len(row), len(rows[0])).
				WithHint("every row of the matrix needs the same number of values")
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		return nil, diag.Errorf(diag.Pos{File: file, Line: line}, "reading the connectome: %v", err)
	}
	if len(rows) == 0 {
		return nil, diag.Errorf(diag.Pos{File: file}, "the connectome file is empty")
	}
	if len(rows) != len(rows[0]) {
		return nil, diag.Errorf(diag.Pos{File: file, Line: line}, "the connectome is not square: %d rows of %d values", len(rows), len(rows[0])).
			WithHint("weights and lengths are N x N matrices, one row per region")
	}
	m := &Matrix{N: len(rows), Data: make([]float64, 0, len(rows)*len(rows))}
	for _, r := range rows {
		m.Data = append(m.Data, r...)
	}
	return m, nil
}

type field struct {
	text string
	col  int
}

// splitFields splits a line at commas, or at blanks when it has no comma,
// keeping each field's 1-based column.
func splitFields(line string) []field {
	var out []field
	if strings.Contains(line, ",") {
		start := 0
		for i := 0; i <= len(line); i++ {
			if i == len(line) || line[i] == ',' {
				out = append(out, field{line[start:i], start + 1})
				start = i + 1
			}
		}
		return out
	}
	inField := false
	start := 0
	for i := 0; i <= len(line); i++ {
		blank := i == len(line) || line[i] == ' ' || line[i] == '\t'
		if !blank && !inField {
			inField, start = true, i
		} else if blank && inField {
			inField = false
			out = append(out, field{line[start:i], start + 1})
		}
	}
	return out
}

// Sparse is a matrix in compressed sparse rows: the non-zero entries of
// row i are Col[RowStart[i]:RowStart[i+1]] with values Val[...], columns
// ascending, which is the order TVB sums in.
type Sparse struct {
	N        int
	RowStart []int
	Col      []int
	Val      []float64
}

// NNZ is the number of stored (non-zero) entries.
func (s *Sparse) NNZ() int { return len(s.Col) }

// Compress keeps the non-zero entries of m.
func Compress(m *Matrix) *Sparse {
	s := &Sparse{N: m.N, RowStart: make([]int, m.N+1)}
	for i := 0; i < m.N; i++ {
		for j := 0; j < m.N; j++ {
			if v := m.At(i, j); v != 0 {
				s.Col = append(s.Col, j)
				s.Val = append(s.Val, v)
			}
		}
		s.RowStart[i+1] = len(s.Col)
	}
	return s
}

// DelaySteps converts tract lengths (mm) to whole steps for the entries
// of s: round_half_to_even(length / speed / dt), speed in mm/ms and dt in
// ms, computed in that order as TVB does. The result is parallel to s.Col.
func DelaySteps(s *Sparse, lengths *Matrix, speed, dt float64) []int {
	out := make([]int, s.NNZ())
	for i := 0; i < s.N; i++ {
		for n := s.RowStart[i]; n < s.RowStart[i+1]; n++ {
			out[n] = int(math.RoundToEven(lengths.At(i, s.Col[n]) / speed / dt))
		}
	}
	return out
}

// Horizon is the number of history slots delays need: max(delay) + 1.
func Horizon(delays []int) int {
	h := 0
	for _, d := range delays {
		h = max(h, d)
	}
	return h + 1
}

// HistoryIndex is where the delayed value of source j lives in a ring
// buffer of horizon slots of n nodes each (slot s holds the state of every
// step k with k % horizon == s), when the current step is k and the delay
// d steps: slot (k - d) mod horizon. The kernel computes the same thing
// without a division; this is the specification its test checks against.
func HistoryIndex(k, d, j, n, horizon int) int {
	slot := ((k-d)%horizon + horizon) % horizon
	return slot*n + j
}

func (m *Matrix) String() string { return fmt.Sprintf("%dx%d matrix", m.N, m.N) }
