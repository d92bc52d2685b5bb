package runtime

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestFCAgreesWithTwoPass compares the running correlation with the
// two-pass textbook one on rows with a large common offset (where a
// sum-of-squares formula would lose every digit), an anti-correlated
// pair, and a constant column (NaN, as NumPy).
func TestFCAgreesWithTwoPass(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const rows, cols = 500, 5
	data := make([][]float64, rows)
	for k := range data {
		x := r.NormFloat64()
		data[k] = []float64{1e6 + x, 2*x - 3, -x, 1e6 + r.NormFloat64(), 7}
	}
	f := NewFC(cols)
	for _, row := range data {
		f.Add(row)
	}
	m := f.Matrix()
	mean := make([]float64, cols)
	for _, row := range data {
		for i, v := range row {
			mean[i] += v / rows
		}
	}
	cov := func(i, j int) float64 {
		s := 0.0
		for _, row := range data {
			s += (row[i] - mean[i]) * (row[j] - mean[j])
		}
		return s
	}
	for i := range cols - 1 {
		for j := range cols - 1 {
			want := cov(i, j) / math.Sqrt(cov(i, i)*cov(j, j))
			if got := m[i*cols+j]; math.Abs(got-want) > 1e-12 {
				t.Errorf("r[%d][%d] = %v, two-pass %v", i, j, got, want)
			}
		}
	}
	if math.Abs(m[1*cols+2]+1) > 1e-15 || math.Abs(m[2*cols+2]-1) > 1e-15 {
		t.Errorf("anti-correlated columns: %v, diagonal %v; want -1 and 1", m[1*cols+2], m[2*cols+2])
	}
	if !math.IsNaN(m[4*cols+0]) || !math.IsNaN(m[4*cols+4]) {
		t.Errorf("a constant column correlates as %v, want NaN", m[4*cols])
	}
	var csv bytes.Buffer
	if err := writeFC(&csv, f, []string{"a", "b", "c", "d", "e"}, FormatCSV); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	if len(lines) != cols+1 || lines[0] != "a,b,c,d,e" || !strings.HasPrefix(lines[1], "1,0.99999") {
		t.Errorf("CSV:\n%s", csv.String())
	}
}

// TestFCFlag: --fc takes a .csv or .npy file, and only whole-brain
// programs (Info.Every) take it.
func TestFCFlag(t *testing.T) {
	info := Info{Label: "x", Steps: 10, Dt: 1e-3, Columns: []Column{{Name: "a", Group: GroupDefault}}, Every: true}
	if opts, err := ParseArgs(info, "sim", []string{"--fc", "fc.npy"}); err != nil || opts.FC != "fc.npy" {
		t.Errorf("--fc fc.npy: %v", err)
	}
	if _, err := ParseArgs(info, "sim", []string{"--fc", "fc.dat"}); err == nil || !strings.Contains(err.Error(), ".csv or .npy") {
		t.Errorf("--fc fc.dat: %v", err)
	}
	info.Every = false
	if _, err := ParseArgs(info, "sim", []string{"--fc", "fc.csv"}); err == nil || !strings.Contains(err.Error(), "whole-brain") {
		t.Errorf("--fc in a node-list program: %v", err)
	}
}
