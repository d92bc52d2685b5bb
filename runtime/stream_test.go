package runtime

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// TestStreamMatchesFinish fills a Recorder and a Stream with the same rows
// and checks FinishStream writes byte for byte the file Finish writes, in
// every format, for a table within one chunk, one of many chunks (the
// last one partial) and one whose rows fill chunks exactly; the stream's
// rows come from two goroutines that meet after every row, as the
// generated kernels' workers do.
func TestStreamMatchesFinish(t *testing.T) {
	for _, tc := range []struct{ cols, rows, workers int }{
		{3, 7, 0},
		{4000, 301, 0},     // chunks of 32 rows: 10 chunks, the last of 13
		{131072, 16, 0},    // one row per chunk
		{1000, 131 * 5, 0}, // chunks of 131 rows, filled exactly
		// every column written, formatted by 1 and by 3 goroutines
		{200, 1000, 1},
		{200, 1000, 3},
	} {
		for _, ext := range []string{".csv", ".dat", ".npy"} {
			t.Run(fmt.Sprintf("%dx%d%s/workers=%d", tc.rows, tc.cols, ext, tc.workers), func(t *testing.T) {
				forcedTextWorkers = tc.workers
				defer func() { forcedTextWorkers = 0 }()
				dir := t.TempDir()
				columns := make([]Column, tc.cols)
				for c := range columns {
					columns[c].Name = fmt.Sprintf("x[%d]", c)
				}
				format, err := FormatFor("a" + ext)
				if err != nil {
					t.Fatal(err)
				}
				opts := Options{Program: "sim", Quiet: true, Steps: tc.rows - 1, Dt: 1e-4, T0: 0.5, Columns: columns,
					Selected: []int{tc.cols - 1, 0}, Format: format}
				if tc.cols > 2 {
					opts.Selected = append(opts.Selected, 1)
				}
				if tc.workers > 0 {
					opts.Selected = opts.Selected[:0]
					for c := range tc.cols {
						opts.Selected = append(opts.Selected, c)
					}
				}
				value := func(k, c int) float64 { return math.Sin(float64(k*tc.cols+c)) * math.Pow(10, float64(k%7-3)) }

				rec := NewRecorder(tc.cols, tc.rows)
				for k := range tc.rows {
					for c, row := 0, rec.Row(k); c < tc.cols; c++ {
						row[c] = value(k, c)
					}
				}
				opts.Out = filepath.Join(dir, "whole"+ext)
				if err := Finish(opts, rec, nil); err != nil {
					t.Fatal(err)
				}

				opts.Out = filepath.Join(dir, "stream"+ext)
				s, err := NewStream(opts, tc.cols, tc.rows)
				if err != nil {
					t.Fatal(err)
				}
				var wg sync.WaitGroup
				barrier := make([]sync.WaitGroup, tc.rows)
				for k := range barrier {
					barrier[k].Add(2)
				}
				for w := range 2 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for k := range tc.rows {
							row := s.Row(k)
							for c := w; c < tc.cols; c += 2 {
								row[c] = value(k, c)
							}
							barrier[k].Done()
							barrier[k].Wait()
						}
					}()
				}
				wg.Wait()
				if err := FinishStream(opts, s, nil); err != nil {
					t.Fatal(err)
				}
				want, err := os.ReadFile(filepath.Join(dir, "whole"+ext))
				if err != nil {
					t.Fatal(err)
				}
				got, err := os.ReadFile(opts.Out)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("streamed file (%d bytes) differs from Finish's (%d bytes)", len(got), len(want))
				}
				entries, _ := os.ReadDir(dir)
				if len(entries) != 2 {
					t.Errorf("files left in the directory: %v", entries)
				}
			})
		}
	}
}

// TestStreamBoundedMemory checks a stream holds a bounded number of rows
// whatever the run's length (at most streamBuffers chunks, made as the
// run needs them), and that a short run makes one buffer of its own size.
func TestStreamBoundedMemory(t *testing.T) {
	short := Options{Out: filepath.Join(t.TempDir(), "short.npy"), Format: FormatNPY, Dt: 1, Columns: make([]Column, 3), Selected: []int{0}}
	s7, err := NewStream(short, 3, 7)
	if err != nil {
		t.Fatal(err)
	}
	for k := range 7 {
		s7.Row(k)[0] = float64(k)
	}
	if err := FinishStream(short, s7, nil); err != nil {
		t.Fatal(err)
	}
	if s7.chunkRows != 7 || s7.unmade != streamBuffers-1 {
		t.Errorf("a 7-row run: chunks of %d rows, %d buffers made; want 7 rows, 1 buffer", s7.chunkRows, streamBuffers-s7.unmade)
	}

	opts := Options{Out: filepath.Join(t.TempDir(), "out.npy"), Format: FormatNPY, Dt: 1, Columns: make([]Column, 100), Selected: []int{0}}
	s, err := NewStream(opts, 100, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if held := streamBuffers * s.chunkRows; held > 4*streamBytes/(8*100)+streamBuffers {
		t.Errorf("stream holds %d rows", held)
	}
	for k := range 1_000_000 {
		s.Row(k)[0] = float64(k)
	}
	if err := FinishStream(opts, s, nil); err != nil {
		t.Fatal(err)
	}
	if s.unmade < 0 {
		t.Errorf("%d buffers made, more than %d", streamBuffers-s.unmade, streamBuffers)
	}
	info, err := os.Stat(opts.Out)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(128 + 1_000_000*2*8); info.Size() != want {
		t.Errorf("file of %d bytes, want %d", info.Size(), want)
	}
}

// TestStreamFailures: a missing directory is an error before the run, and
// a run that fails (Fatal's cleanup) leaves no temporary file behind.
func TestStreamFailures(t *testing.T) {
	dir := t.TempDir()
	opts := Options{Out: filepath.Join(dir, "missing", "out.csv"), Format: FormatCSV, Dt: 1, Columns: make([]Column, 1), Selected: []int{0}}
	if _, err := NewStream(opts, 1, 10); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing directory: %v", err)
	}
	opts.Out = filepath.Join(dir, "out.csv")
	s, err := NewStream(opts, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	s.Row(0)[0] = 1
	runCleanups() // what Fatal does before it exits
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("a failed run left %v", entries)
	}
}

// TestEveryFlag: --every N divides the rows and multiplies the row step
// of a program that takes it, and is refused, saying why, elsewhere.
func TestEveryFlag(t *testing.T) {
	info := testInfo()
	info.Steps, info.Dt = 12, 0.5
	if _, err := ParseArgs(info, "sim", []string{"--every", "3"}); err == nil || !strings.Contains(err.Error(), "whole-brain programs") {
		t.Errorf("--every on a program without it: %v", err)
	}
	info.Every = true
	for _, tc := range []struct {
		args  []string
		steps int
		dt    float64
		err   string
	}{
		{nil, 12, 0.5, ""},
		{[]string{"--every", "1"}, 12, 0.5, ""},
		{[]string{"--every", "3"}, 4, 1.5, ""},
		{[]string{"--every", "12"}, 1, 6, ""},
		{[]string{"--every", "5"}, 0, 0, "does not divide the 12 rows after row 0 (divisors: 1, 2, 3, 4, 6, 12)"},
		{[]string{"--every", "0"}, 0, 0, "at least 1"},
	} {
		opts, err := ParseArgs(info, "sim", tc.args)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%v: error %v, want %q", tc.args, err, tc.err)
			}
		case err != nil:
			t.Errorf("%v: %v", tc.args, err)
		case opts.Steps != tc.steps || opts.Dt != tc.dt:
			t.Errorf("%v: %d rows after row 0, %g s apart; want %d, %g", tc.args, opts.Steps, opts.Dt, tc.steps, tc.dt)
		}
	}
}

// TestStreamDiverges: a streamed run follows the one rule for divergence
// (checkFinite): a non-finite value in a written column fails it with the
// same message, and nothing is left at the output; --allow-nonfinite
// writes it.
func TestStreamDiverges(t *testing.T) {
	for _, allow := range []bool{false, true} {
		dir := t.TempDir()
		cols, rows := 3, 50
		columns := []Column{{Name: "x"}, {Name: "hidden"}, {Name: "z"}}
		opts := Options{Program: "sim", Quiet: true, Steps: rows - 1, Dt: 1e-4, Columns: columns,
			Selected: []int{0, 2}, Format: FormatCSV, Out: filepath.Join(dir, "out.csv"), AllowNonfinite: allow}
		rec := NewRecorder(cols, rows)
		s, err := NewStream(opts, cols, rows)
		if err != nil {
			t.Fatal(err)
		}
		for k := range rows {
			row, srow := rec.Row(k), s.Row(k)
			for c := range cols {
				row[c] = float64(k + c)
				if k == 37 && c == 2 {
					row[c] = math.Inf(-1) // a written column
				}
				if k == 12 && c == 1 {
					row[c] = math.NaN() // a column not written: no result, no failure
				}
				srow[c] = row[c]
			}
		}
		err = FinishStream(opts, s, nil)
		want := checkFinite(rec, opts)
		_, statErr := os.Stat(opts.Out)
		switch {
		case allow && (err != nil || statErr != nil):
			t.Errorf("--allow-nonfinite: %v, output %v", err, statErr)
		case !allow && (err == nil || want == nil || err.Error() != want.Error()):
			t.Errorf("streamed run: %v, want the recorder's %v", err, want)
		case !allow && statErr == nil:
			t.Errorf("a diverged run left %s behind", opts.Out)
		}
	}
}

// TestStreamTargets: a stream keeps what its output is. A symbolic link
// stays a link, to an existing file or to none yet, and its target gets
// the rows; a directory is refused before the run. As root, with device
// nodes made in a test directory: a null device takes the rows and stays
// a device, and a full one fails the run with its error, stays a device,
// and no temporary file is left (the rows wait in the system's temporary
// directory until the run has succeeded), as standard output's do.
func TestStreamTargets(t *testing.T) {
	dir := t.TempDir()
	run := func(out string) error {
		opts := Options{Program: "sim", Quiet: true, Out: out, Format: FormatCSV, Steps: 20000, Dt: 1e-4,
			Columns: []Column{{Name: "x"}}, Selected: []int{0}}
		s, err := NewStream(opts, 1, opts.Steps+1)
		if err != nil {
			return err
		}
		for k := range opts.Steps + 1 {
			s.Row(k)[0] = float64(k) / 3
		}
		return FinishStream(opts, s, nil)
	}
	modeOf := func(path string) os.FileMode {
		fi, err := os.Lstat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode()
	}
	for _, existing := range []bool{true, false} {
		target, link := filepath.Join(dir, fmt.Sprintf("target%v.csv", existing)), filepath.Join(dir, fmt.Sprintf("link%v.csv", existing))
		if existing {
			if err := os.WriteFile(target, []byte("old\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Symlink(filepath.Base(target), link); err != nil {
			t.Fatal(err)
		}
		if err := run(link); err != nil {
			t.Fatalf("through a link (target exists: %v): %v", existing, err)
		}
		if modeOf(link)&os.ModeSymlink == 0 {
			t.Errorf("the link (target exists: %v) was replaced by a file", existing)
		}
		if data, err := os.ReadFile(target); err != nil || !bytes.HasPrefix(data, []byte("t,x\n0,0\n")) {
			t.Errorf("the link's target (existed: %v) does not hold the rows: %v %q", existing, err, data[:min(len(data), 20)])
		}
	}
	if err := run(dir); err == nil || !strings.Contains(err.Error(), "it is a directory") {
		t.Errorf("a directory as the output: %v", err)
	}

	// standard output: the rows come at the end, all of them or (a
	// diverged run) none
	for _, diverge := range []bool{false, true} {
		var stdout bytes.Buffer
		// 200 columns: chunks of 655 rows, many handed to the writer
		// while the run goes
		opts := Options{Program: "sim", Quiet: true, Out: Stdout, Stdout: &stdout, Format: FormatCSV, Steps: 20000, Dt: 1e-4,
			Columns: make([]Column, 200), Selected: []int{0}}
		opts.Columns[0].Name = "x"
		s, err := NewStream(opts, 200, opts.Steps+1)
		if err != nil {
			t.Fatal(err)
		}
		s.check = true
		for k := range opts.Steps + 1 {
			s.Row(k)[0] = float64(k) / 3
			if diverge && k == 15000 {
				s.Row(k)[0] = math.Inf(1)
			}
			if k == 10000 && stdout.Len() > 0 {
				t.Errorf("diverge %v: %d bytes on stdout while the run goes", diverge, stdout.Len())
			}
		}
		err = FinishStream(opts, s, nil)
		switch {
		case diverge && (err == nil || stdout.Len() != 0):
			t.Errorf("a diverged run: %v, %d bytes on stdout", err, stdout.Len())
		case !diverge && (err != nil || !bytes.HasPrefix(stdout.Bytes(), []byte("t,x\n0,0\n"))):
			t.Errorf("to stdout: %v, %q", err, stdout.Bytes()[:min(stdout.Len(), 20)])
		}
	}
	if os.Geteuid() != 0 {
		t.Skip("device nodes need root")
	}
	null, full := filepath.Join(dir, "null"), filepath.Join(dir, "full")
	for _, d := range []struct {
		path  string
		minor int
	}{{null, 3}, {full, 7}} {
		if err := syscall.Mknod(d.path, syscall.S_IFCHR|0o666, 1<<8|d.minor); err != nil {
			t.Skipf("mknod: %v", err)
		}
	}
	temps := func() int {
		entries, _ := os.ReadDir(os.TempDir())
		n := 0
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".null") || strings.HasPrefix(e.Name(), ".full") {
				n++
			}
		}
		return n
	}
	before := temps()
	if err := run(null); err != nil {
		t.Errorf("into a null device: %v", err)
	}
	if err := run(full); err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Errorf("into a full device: %v, want no space left", err)
	}
	for _, path := range []string{null, full} {
		if modeOf(path)&os.ModeCharDevice == 0 {
			t.Errorf("%s is no longer a device: %v", filepath.Base(path), modeOf(path))
		}
	}
	if n := temps(); n != before {
		t.Errorf("%d temporary files left behind", n-before)
	}
}
