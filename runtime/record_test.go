package runtime

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunRecorderMatchesFinish fills a whole Recorder and a run recorder
// (NewRunRecorder: written columns only, streamed to a file or kept in
// memory for stdout) with the same rows, as a kernel does (the full row,
// asked for in order), and checks both write the same bytes in every
// format, with a selection that repeats a column and is not in column
// order, over one chunk and many.
func TestRunRecorderMatchesFinish(t *testing.T) {
	for _, tc := range []struct{ cols, rows int }{{3, 7}, {40, 70001}} {
		for _, ext := range []string{".csv", ".dat", ".npy", "stdout"} {
			t.Run(fmt.Sprintf("%dx%d%s", tc.rows, tc.cols, ext), func(t *testing.T) {
				dir := t.TempDir()
				columns := make([]Column, tc.cols)
				for c := range columns {
					columns[c].Name = fmt.Sprintf("x[%d]", c)
				}
				opts := Options{Program: "sim", Quiet: true, Steps: tc.rows - 1, Dt: 1e-4, T0: 0.5, Columns: columns,
					Selected: []int{tc.cols - 1, 0, tc.cols - 1, 1}}
				if ext != "stdout" {
					format, err := FormatFor("a" + ext)
					if err != nil {
						t.Fatal(err)
					}
					opts.Format = format
				}
				value := func(k, c int) float64 { return math.Sin(float64(k*tc.cols+c)) * math.Pow(10, float64(k%7-3)) }
				run := func(rec *Recorder) {
					for k := range tc.rows {
						for c, row := 0, rec.Row(k); c < tc.cols; c++ {
							row[c] = value(k, c)
						}
					}
				}
				write := func(name string, rec *Recorder) []byte {
					var stdout bytes.Buffer
					o := opts
					o.Out, o.Stdout = filepath.Join(dir, name+ext), &stdout
					if ext == "stdout" {
						o.Out = Stdout
					}
					if rec == nil {
						var err error
						if rec, err = NewRunRecorder(o); err != nil {
							t.Fatal(err)
						}
						if rec.keep == nil || (rec.stream == nil) != (ext == "stdout") {
							t.Fatalf("run recorder keeps %v, streams %v", rec.keep, rec.stream != nil)
						}
					}
					run(rec)
					if err := Finish(o, rec, nil); err != nil {
						t.Fatal(err)
					}
					if ext == "stdout" {
						return stdout.Bytes()
					}
					data, err := os.ReadFile(o.Out)
					if err != nil {
						t.Fatal(err)
					}
					return data
				}
				whole := write("whole", NewRecorder(tc.cols, tc.rows))
				if got := write("run", nil); !bytes.Equal(got, whole) {
					t.Errorf("the run recorder wrote %d bytes that differ from the whole recording's %d", len(got), len(whole))
				}
				entries, _ := os.ReadDir(dir)
				for _, e := range entries {
					if strings.Contains(e.Name(), ".tmp") {
						t.Errorf("temporary file %s left behind", e.Name())
					}
				}
			})
		}
	}
}

// TestRunRecorderDiverges: a non-finite written value fails a streamed run
// with the message a whole recording gives, and leaves no file; an
// unwritten column may hold anything; --allow-nonfinite writes the value.
func TestRunRecorderDiverges(t *testing.T) {
	dir := t.TempDir()
	columns := []Column{{Name: "v"}, {Name: "u"}, {Name: "w"}}
	opts := Options{Program: "sim", Quiet: true, Steps: 200000, Dt: 1e-4, Columns: columns, Selected: []int{2, 0}, Format: FormatCSV}
	run := func(rec *Recorder) {
		for k := range opts.Steps + 1 {
			row := rec.Row(k)
			row[0], row[1], row[2] = float64(k), math.NaN(), 1
			if k == 150000 {
				row[0] = math.Inf(-1)
			}
		}
	}
	whole := NewRecorder(3, opts.Steps+1)
	run(whole)
	want := checkFinite(whole, opts)
	if want == nil {
		t.Fatal("the whole recording does not diverge")
	}
	opts.Out = filepath.Join(dir, "x.csv")
	rec, err := NewRunRecorder(opts)
	if err != nil {
		t.Fatal(err)
	}
	run(rec)
	if err := Finish(opts, rec, nil); err == nil || err.Error() != want.Error() {
		t.Errorf("streamed run: error %v, want %v", err, want)
	}
	if !strings.Contains(want.Error(), "v is -Inf at t = 15 s (step 150000)") {
		t.Errorf("message %q", want)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a diverged run left %v", entries)
	}
	opts.AllowNonfinite = true
	if rec, err = NewRunRecorder(opts); err != nil {
		t.Fatal(err)
	}
	run(rec)
	if err := Finish(opts, rec, nil); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(opts.Out); !bytes.Contains(data, []byte(",-Inf\n")) {
		t.Errorf("--allow-nonfinite did not write the value")
	}
}

// TestRunRecorderDerives: with a derived (lazy) column written, a streamed
// run keeps every column and fills the derived ones chunk by chunk through
// Derive, writing what a whole recording filled after the run writes; a
// run that does not write them never calls Derive's function.
func TestRunRecorderDerives(t *testing.T) {
	dir := t.TempDir()
	columns := []Column{{Name: "v"}, {Name: "u"}, {Name: "d", Lazy: true}}
	rows := 300001
	derive := func(data []float64, first, n int) {
		for r := range n {
			row := data[r*3 : (r+1)*3]
			row[2] = row[0]*2 + float64(first+r)
		}
	}
	for _, sel := range [][]int{{0, 2, 1}, {1}} {
		opts := Options{Program: "sim", Quiet: true, Steps: rows - 1, Dt: 1e-4, Columns: columns, Selected: sel, Format: FormatNPY}
		whole := NewRecorder(3, rows)
		opts.Out = filepath.Join(dir, "run.npy")
		rec, err := NewRunRecorder(opts)
		if err != nil {
			t.Fatal(err)
		}
		called := false
		rec.Derive(func(data []float64, first, n int) { called = true; derive(data, first, n) })
		for k := range rows {
			for _, row := range [][]float64{whole.Row(k), rec.Row(k)} {
				row[0], row[1] = math.Sin(float64(k)), float64(k)
			}
		}
		derive(whole.Data(), 0, rows)
		opts.Out = filepath.Join(dir, "whole.npy")
		if err := Finish(opts, whole, nil); err != nil {
			t.Fatal(err)
		}
		opts.Out = filepath.Join(dir, "run.npy")
		if err := Finish(opts, rec, nil); err != nil {
			t.Fatal(err)
		}
		a, _ := os.ReadFile(filepath.Join(dir, "whole.npy"))
		b, _ := os.ReadFile(filepath.Join(dir, "run.npy"))
		if !bytes.Equal(a, b) || len(a) == 0 {
			t.Errorf("selection %v: the streamed run wrote other bytes than the whole recording", sel)
		}
		if derived := sel[0] == 0; called != derived || !rec.Streams() {
			t.Errorf("selection %v: Derive's function called %v, streamed %v", sel, called, rec.Streams())
		}
	}
}
