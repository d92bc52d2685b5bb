package runtime

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio"
	"github.com/google/go-cmp/cmp"
)

// smallRecording returns options and a 4-row recording whose values
// exercise the float formatting: negative zero, huge and tiny numbers,
// subnormals, NaN and infinities, and sums that are not what they look like.
func smallRecording(record string) (Options, *Recorder) {
	info := testInfo()
	info.Steps, info.Dt = 3, 5e-6
	selected, err := selectColumns(info.Columns, record)
	if err != nil {
		panic(err) // the test table only uses valid choices
	}
	opts := Options{Program: "sim", Steps: info.Steps, Dt: info.Dt, Columns: info.Columns, Selected: selected, Record: record}
	rec := NewRecorder(len(info.Columns), info.Steps+1)
	copy(rec.Row(0), []float64{-0.07, 0, 1.0 / 3, math.Copysign(0, -1)})
	tenth, fifth := 0.1, 0.2 // variables: constant arithmetic would be exact
	copy(rec.Row(1), []float64{1e21, 123456789, 2e-300, tenth + fifth})
	copy(rec.Row(2), []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1})
	copy(rec.Row(3), []float64{-65.5, 1e-7, 12345.678, math.SmallestNonzeroFloat64})
	return opts, rec
}

func TestWriteText(t *testing.T) {
	tests := []struct {
		name   string
		write  func(io.Writer, *Recorder, Options) error
		record string
		want   string
	}{
		{"csv default columns", WriteCSV, RecordDefault, "" +
			"t,a_pop[0]/v,b_pop[0]/v\n" +
			"0,-0.07,0.3333333333333333\n" +
			"5e-06,1e+21,2e-300\n" +
			"1e-05,NaN,-Inf\n" +
			"1.5000000000000002e-05,-65.5,12345.678\n"},
		{"csv all columns", WriteCSV, RecordAll, "" +
			"t,a_pop[0]/v,a_pop[0]/u,b_pop[0]/v,b_pop[0]/w\n" +
			"0,-0.07,0,0.3333333333333333,-0\n" +
			"5e-06,1e+21,1.23456789e+08,2e-300,0.30000000000000004\n" +
			"1e-05,NaN,+Inf,-Inf,1\n" +
			"1.5000000000000002e-05,-65.5,1e-07,12345.678,5e-324\n"},
		{"dat default columns", WriteDAT, RecordDefault, "" +
			"0\t-0.07\t0.3333333333333333\n" +
			"5e-06\t1e+21\t2e-300\n" +
			"1e-05\tNaN\t-Inf\n" +
			"1.5000000000000002e-05\t-65.5\t12345.678\n"},
		{"dat all columns", WriteDAT, RecordAll, "" +
			"0\t-0.07\t0\t0.3333333333333333\t-0\n" +
			"5e-06\t1e+21\t1.23456789e+08\t2e-300\t0.30000000000000004\n" +
			"1e-05\tNaN\t+Inf\t-Inf\t1\n" +
			"1.5000000000000002e-05\t-65.5\t1e-07\t12345.678\t5e-324\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, rec := smallRecording(tt.record)
			var out bytes.Buffer
			if err := tt.write(&out, rec, opts); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, out.String()); diff != "" {
				t.Errorf("output mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteCSVQuotesHeader(t *testing.T) {
	opts := Options{Dt: 1, Columns: []Column{{Name: "x,y"}, {Name: `say "hi"`}, {Name: "plain"}}, Selected: []int{0, 1, 2}}
	rec := NewRecorder(3, 1)
	var out bytes.Buffer
	if err := WriteCSV(&out, rec, opts); err != nil {
		t.Fatal(err)
	}
	want := "t,\"x,y\",\"say \"\"hi\"\"\",plain\n0,0,0,0\n"
	if out.String() != want {
		t.Errorf("WriteCSV = %q, want %q", out.String(), want)
	}
}

// TestTimeIsStepTimesDt checks that t is float64(k)*dt and not a running
// sum: with dt = 0.1 the two differ at k = 6 (0.6000000000000001 vs 0.6).
func TestTimeIsStepTimesDt(t *testing.T) {
	opts := Options{Dt: 0.1, Columns: nil, Selected: nil}
	rec := NewRecorder(0, 8)
	var out bytes.Buffer
	if err := WriteDAT(&out, rec, opts); err != nil {
		t.Fatal(err)
	}
	want := "0\n0.1\n0.2\n0.30000000000000004\n0.4\n0.5\n0.6000000000000001\n0.7000000000000001\n"
	if out.String() != want {
		t.Errorf("t column = %q, want %q", out.String(), want)
	}

	var npy bytes.Buffer
	if err := WriteNPY(&npy, rec, opts); err != nil {
		t.Fatal(err)
	}
	var times []float64
	if err := npyio.Read(&npy, &times); err != nil {
		t.Fatal(err)
	}
	for k, got := range times {
		if want := float64(k) * 0.1; got != want {
			t.Errorf("npy t[%d] = %v, want %v", k, got, want)
		}
	}
}

// TestCSVRoundTrip writes random bit patterns and checks that every value
// parses back to the identical float64: nothing is rounded.
func TestCSVRoundTrip(t *testing.T) {
	random := rand.New(rand.NewPCG(1, 2))
	const rows, cols = 500, 3
	rec := NewRecorder(cols, rows)
	for i := range rec.Data() {
		for {
			x := math.Float64frombits(random.Uint64())
			if !math.IsNaN(x) { // NaN != NaN; covered by TestWriteText
				rec.Data()[i] = x
				break
			}
		}
	}
	opts := Options{Dt: 1e-5, Columns: make([]Column, cols), Selected: []int{0, 1, 2}}
	for i := range opts.Columns {
		opts.Columns[i].Name = "c" + strconv.Itoa(i)
	}
	var out bytes.Buffer
	if err := WriteCSV(&out, rec, opts); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != rows+1 {
		t.Fatalf("got %d lines, want %d", len(lines), rows+1)
	}
	for k, line := range lines[1:] {
		fields := strings.Split(line, ",")
		for c, field := range fields[1:] {
			got, err := strconv.ParseFloat(field, 64)
			if err != nil {
				t.Fatalf("row %d: %v", k, err)
			}
			if want := rec.Row(k)[c]; math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("row %d column %d: %q reads back as %v, want %v", k, c, field, got, want)
			}
		}
	}
}

func TestWriteNPY(t *testing.T) {
	for _, record := range []string{RecordDefault, RecordAll} {
		t.Run(record, func(t *testing.T) {
			opts, rec := smallRecording(record)
			var out bytes.Buffer
			if err := WriteNPY(&out, rec, opts); err != nil {
				t.Fatal(err)
			}
			data := out.Bytes()
			cols := 1 + len(opts.Selected)

			// The preamble, checked byte by byte against the format spec.
			if !bytes.HasPrefix(data, []byte("\x93NUMPY\x01\x00")) {
				t.Fatalf("file starts with %q, want the NPY 1.0 magic", data[:8])
			}
			headerLen := int(binary.LittleEndian.Uint16(data[8:10]))
			dataStart := 10 + headerLen
			if dataStart%64 != 0 {
				t.Errorf("data starts at byte %d, want a multiple of 64", dataStart)
			}
			header := string(data[10:dataStart])
			wantDict := "{'descr': '<f8', 'fortran_order': False, 'shape': (4, " + strconv.Itoa(cols) + "), }"
			if strings.TrimRight(header, " \n") != wantDict || !strings.HasSuffix(header, "\n") {
				t.Errorf("header = %q, want %q padded with spaces and ending in a newline", header, wantDict)
			}
			if got, want := len(data)-dataStart, 4*cols*8; got != want {
				t.Errorf("data is %d bytes, want %d", got, want)
			}

			// A numpy-compatible reader agrees on shape, type and values.
			reader, err := npyio.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]int{4, cols}, reader.Header.Descr.Shape); diff != "" {
				t.Errorf("shape (-want +got):\n%s", diff)
			}
			// npyio keeps the quotes of the Python literal in Type.
			if strings.Trim(reader.Header.Descr.Type, "'") != "<f8" || reader.Header.Descr.Fortran {
				t.Errorf("descr %q fortran %v, want <f8 in C order", reader.Header.Descr.Type, reader.Header.Descr.Fortran)
			}
			var values []float64
			if err := reader.Read(&values); err != nil {
				t.Fatal(err)
			}
			var want []float64
			for k := range rec.Rows() {
				want = append(want, float64(k)*opts.Dt)
				for _, c := range opts.Selected {
					want = append(want, rec.Row(k)[c])
				}
			}
			if len(values) != len(want) {
				t.Fatalf("read %d values, want %d", len(values), len(want))
			}
			for i := range want {
				// Compare bits: NaN must stay NaN and -0 must stay -0.
				if math.Float64bits(values[i]) != math.Float64bits(want[i]) {
					t.Errorf("value %d (row %d, column %d) = %v, want %v", i, i/cols, i%cols, values[i], want[i])
				}
			}
		})
	}
}

func TestNPYHeaderAlignment(t *testing.T) {
	// Shapes whose digits move the dictionary length across padding
	// boundaries.
	for _, shape := range [][2]int{{1, 1}, {1, 2}, {40001, 5}, {999999, 10}, {1 << 40, 123456}} {
		header, err := npyHeader(shape[0], shape[1])
		if err != nil {
			t.Fatalf("npyHeader%v: %v", shape, err)
		}
		if len(header)%64 != 0 || header[len(header)-1] != '\n' {
			t.Errorf("npyHeader%v: %d bytes ending in %q, want a multiple of 64 ending in a newline", shape, len(header), header[len(header)-1])
		}
		if got := int(binary.LittleEndian.Uint16(header[8:10])); got != len(header)-10 {
			t.Errorf("npyHeader%v: length field %d, want %d", shape, got, len(header)-10)
		}
	}
}

func TestWritersRejectMismatchedRecording(t *testing.T) {
	opts, _ := smallRecording(RecordAll)
	tests := []struct {
		name    string
		rec     *Recorder
		opts    func(Options) Options
		wantErr string
	}{
		{"nil recorder", nil, func(o Options) Options { return o }, "nil recorder"},
		{"too few columns", NewRecorder(3, 4), func(o Options) Options { return o }, "recorder has 3 columns but the program declares 4"},
		{"selected out of range", NewRecorder(4, 4), func(o Options) Options { o.Selected = []int{0, 4}; return o }, "selected column 4 is out of range"},
		{"negative selected", NewRecorder(4, 4), func(o Options) Options { o.Selected = []int{-1}; return o }, "selected column -1 is out of range"},
	}
	for _, tt := range tests {
		for _, format := range []Format{FormatCSV, FormatDAT, FormatNPY} {
			t.Run(tt.name+"/"+format.String(), func(t *testing.T) {
				o := tt.opts(opts)
				o.Format = format
				var out bytes.Buffer
				err := WriteResults(&out, tt.rec, o)
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want it to contain %q", err, tt.wantErr)
				}
				if out.Len() != 0 {
					t.Errorf("wrote %d bytes before failing, want 0", out.Len())
				}
			})
		}
	}
}

// failingWriter accepts limit bytes, then fails like a full disk.
type failingWriter struct {
	limit int
}

var errDiskFull = errors.New("no space left on device (test)")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.limit {
		n := w.limit
		w.limit = 0
		return n, errDiskFull
	}
	w.limit -= len(p)
	return len(p), nil
}

func TestWritersReportWriteErrors(t *testing.T) {
	// A recording bigger than the write buffer, so the failure happens
	// midway and not only at the final flush.
	rec := NewRecorder(4, 100000)
	opts := Options{Dt: 1e-5, Columns: testInfo().Columns, Selected: []int{0, 1, 2, 3}}
	for _, format := range []Format{FormatCSV, FormatDAT, FormatNPY} {
		for _, limit := range []int{0, 10, writeBufferSize + 100} {
			opts.Format = format
			err := WriteResults(&failingWriter{limit: limit}, rec, opts)
			if !errors.Is(err, errDiskFull) {
				t.Errorf("%v after %d bytes: error %v, want %v", format, limit, err, errDiskFull)
			}
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	tests := []struct {
		name     string
		existing string // content of the destination before, "" for none
		write    func(io.Writer) error
		wantErr  error
		want     string // content of the destination after
	}{
		{"new file", "", writeString("new"), nil, "new"},
		{"replaces existing", "old", writeString("new"), nil, "new"},
		{"failure midway leaves no file", "", failAfter("half"), errDiskFull, ""},
		{"failure keeps existing file", "old", failAfter("half"), errDiskFull, "old"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "r.csv")
			if tt.existing != "" {
				if err := os.WriteFile(path, []byte(tt.existing), 0o666); err != nil {
					t.Fatal(err)
				}
			}
			err := writeFileAtomic(path, tt.write)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			got, readErr := os.ReadFile(path)
			switch {
			case tt.want == "" && !errors.Is(readErr, os.ErrNotExist):
				t.Errorf("destination exists after a failed write (content %q)", got)
			case tt.want != "" && string(got) != tt.want:
				t.Errorf("destination holds %q, want %q", got, tt.want)
			}
			entries, _ := os.ReadDir(dir)
			wantEntries := 0
			if tt.want != "" {
				wantEntries = 1
			}
			if len(entries) != wantEntries {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("directory holds %q, want %d file(s): a temp file was left behind", names, wantEntries)
			}
		})
	}
}

func TestWriteFileAtomicMissingDirectory(t *testing.T) {
	parent := t.TempDir()
	path := filepath.Join(parent, "missing", "r.csv")
	err := writeFileAtomic(path, writeString("x"))
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("error %v, want one saying the directory does not exist", err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("parent directory holds %d entries after the failure, want 0", len(entries))
	}
}

// TestWriteFileAtomicMode checks that results get the permissions a plain
// os.Create gives (0666 less the umask), not a temp file's 0600.
func TestWriteFileAtomicMode(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain")
	f, err := os.Create(plain)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	path := filepath.Join(dir, "r.csv")
	if err := writeFileAtomic(path, writeString("x")); err != nil {
		t.Fatal(err)
	}
	want, _ := os.Stat(plain)
	got, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Mode() != want.Mode() {
		t.Errorf("result mode %v, want %v (as os.Create)", got.Mode(), want.Mode())
	}
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

// failAfter writes s and then fails, like a writer that hits a full disk.
func failAfter(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		if _, err := io.WriteString(w, s); err != nil {
			return err
		}
		return errDiskFull
	}
}

// TestWriteLinesSameBytes: lines made on several goroutines, piece by
// piece (writeLines), are the bytes the one-goroutine writer writes, for
// row counts around the piece size and any number of workers.
func TestWriteLinesSameBytes(t *testing.T) {
	random := rand.New(rand.NewPCG(3, 4))
	opts := Options{Dt: 5e-6, T0: 0.25, Columns: make([]Column, 3), Selected: []int{2, 0}}
	pieceRows := textPieceValues / (1 + len(opts.Selected))
	for _, rows := range []int{1, pieceRows - 1, pieceRows, 3*pieceRows + 7} {
		rec := NewRecorder(3, rows)
		for i := range rec.Data() {
			rec.Data()[i] = random.NormFloat64() * math.Pow(10, float64(random.IntN(20)-10))
		}
		var serial bytes.Buffer
		for k := range rows {
			serial.Write(appendTextRow(nil, rec, opts, ',', k, nil))
		}
		lines := func() lineMaker {
			memo := newTextMemo(len(opts.Selected))
			return func(buf []byte, k int) []byte { return appendTextRow(buf, rec, opts, ',', k, memo) }
		}
		for workers := 1; workers <= 4; workers++ {
			var par bytes.Buffer
			out := newTextWriter(&par, 4096)
			if err := writeLines(out, rows, 1+len(opts.Selected), workers, nil, lines); err != nil {
				t.Fatal(err)
			}
			out.Flush()
			if !bytes.Equal(par.Bytes(), serial.Bytes()) {
				t.Errorf("%d rows, %d workers: writeLines wrote other bytes", rows, workers)
			}
		}
	}
}

// TestWriteOutputsAllOrNone: when a later output fails, the earlier ones
// are not written either and the files already there are untouched.
func TestWriteOutputsAllOrNone(t *testing.T) {
	dir := t.TempDir()
	traces := filepath.Join(dir, "traces.csv")
	if err := os.WriteFile(traces, []byte("old"), 0o666); err != nil {
		t.Fatal(err)
	}
	ok := func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }
	tests := []struct {
		name string
		outs []output
	}{
		{"second write fails", []output{{path: traces, write: ok}, {path: filepath.Join(dir, "s.csv"), write: func(io.Writer) error { return errors.New("disk full") }}}},
		{"second directory missing", []output{{path: traces, write: ok}, {path: filepath.Join(dir, "no", "s.csv"), write: ok}}},
		{"second is a directory", []output{{path: traces, write: ok}, {path: dir, write: ok}}},
		{"stdout fails", []output{{path: traces, write: ok}, {w: io.Discard, write: func(io.Writer) error { return errors.New("broken pipe") }}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := writeOutputs(tt.outs...); err == nil {
				t.Fatal("writeOutputs succeeded, want an error")
			}
			if got, _ := os.ReadFile(traces); string(got) != "old" {
				t.Errorf("traces = %q after a failed run, want the old content", got)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if e.Name() != "traces.csv" {
					t.Errorf("left behind: %s", e.Name())
				}
			}
		})
	}
}

// TestWriteOutputsIntoNonRegular: a device is written into, never renamed
// over, and a symbolic link stays a link to the replaced file.
func TestWriteOutputsIntoNonRegular(t *testing.T) {
	ok := func(w io.Writer) error { _, err := io.WriteString(w, "new\n"); return err }
	if fi, err := os.Stat(os.DevNull); err == nil && fi.Mode()&os.ModeDevice != 0 {
		if err := writeOutputs(output{path: os.DevNull, write: ok}); err != nil {
			t.Fatalf("writing into %s: %v", os.DevNull, err)
		}
		if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode()&os.ModeDevice == 0 {
			t.Fatalf("%s is no longer a device: %v %v", os.DevNull, fi.Mode(), err)
		}
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "real.csv")
	link := filepath.Join(dir, "link.csv")
	if err := os.WriteFile(target, []byte("old"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links:", err)
	}
	if err := writeOutputs(output{path: link, write: ok}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("%s is no longer a link", link)
	}
	if got, _ := os.ReadFile(target); string(got) != "new\n" {
		t.Errorf("link target = %q, want the new content", got)
	}
}

// TestTextWriterPieces: a piece of at least directPiece bytes goes past
// the buffer and a smaller one through it, and the bytes stay in order
// either way (what was buffered before a large piece is written first).
func TestTextWriterPieces(t *testing.T) {
	large := bytes.Repeat([]byte("0.123456789,"), directPiece/12+1)
	for _, tc := range []struct {
		name   string
		pieces [][]byte
		direct int // writes that reached the wrapped writer past the buffer
	}{
		{"small only", [][]byte{[]byte("t,x\n"), []byte("0,1\n")}, 0},
		{"header then large", [][]byte{[]byte("t,x\n"), large}, 1},
		{"large, small, large", [][]byte{large, []byte("9,9\n"), large}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got countingWriter
			out := newTextWriter(&got, writeBufferSize)
			var want []byte
			for _, p := range tc.pieces {
				if err := out.writePiece(p); err != nil {
					t.Fatal(err)
				}
				want = append(want, p...)
			}
			if err := out.Flush(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.data, want) {
				t.Fatalf("wrote %d bytes, not the pieces in order (%d bytes)", len(got.data), len(want))
			}
			if got.large != tc.direct {
				t.Errorf("%d writes of a whole large piece, want %d", got.large, tc.direct)
			}
		})
	}
}

// countingWriter keeps what it is given and counts the writes of a whole
// piece of directPiece bytes or more.
type countingWriter struct {
	data  []byte
	large int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	if len(p) >= directPiece {
		w.large++
	}
	w.data = append(w.data, p...)
	return len(p), nil
}

// TestTextMemoSameBytes: a line made with the memo (values equal to their
// left neighbour or to the value above copied, not formatted) is the line
// made value by value, whatever repeats: equal neighbours, equal columns
// a row apart, values a last bit apart, 0 beside -0 (equal as numbers, not as text), NaN and
// infinities, and lines of another width sharing the memo.
func TestTextMemoSameBytes(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	negZero := math.Copysign(0, -1)
	up := math.Nextafter(2.5, 3) // 2.5 but for the last bit
	rows := [][]float64{
		{1.5, 1.5, 0.1, 0, negZero, nan, inf, -inf, 1e-300},
		{1.5, 0.1, 0.1, negZero, 0, nan, nan, -inf, 1e-300},
		{2.5, 1.5, 1.5, negZero, negZero, inf, nan, 1e-300, 1e-300},
		{2.5, 1.5, 1.5, negZero, negZero, inf, nan, 1e-300, 1e-300},
		{0.30000000000000004, 0.1 + 0.2, 0.3, 0.3, 5e-324, 5e-324, 1.7976931348623157e308, -1.7976931348623157e308, 2.5},
		{up, 2.5, up, 0.3, 5e-324, 5e-324, 1.7976931348623157e308, -1.7976931348623157e308, up},
	}
	all := []int{0, 1, 2, 3, 4, 5, 6, 7, 8}
	for _, selected := range [][]int{all, {8, 0, 0, 2, 1, 3, 4}, {5}} {
		memo := newTextMemo(len(selected))
		var withMemo, plain []byte
		for k, row := range rows {
			tk := 0.001 * float64(k)
			withMemo = appendTextLine(withMemo, row, tk, selected, ',', memo)
			plain = strconv.AppendFloat(plain, tk, 'g', -1, 64)
			for _, c := range selected {
				plain = append(plain, ',')
				plain = strconv.AppendFloat(plain, row[c], 'g', -1, 64)
			}
			plain = append(plain, '\n')
		}
		if !bytes.Equal(withMemo, plain) {
			t.Errorf("columns %v: with the memo\n%s\nvalue by value\n%s", selected, withMemo, plain)
		}
	}
	// a memo of another width is not read
	memo := newTextMemo(2)
	got := appendTextLine(nil, []float64{7, 8, 9}, 0, []int{0, 1}, ',', memo)
	got = appendTextLine(got, []float64{7, 8, 9}, 0, []int{2, 1, 0}, ',', memo)
	if want := "0,7,8\n0,9,8,7\n"; string(got) != want {
		t.Errorf("widths 2 then 3: %q, want %q", got, want)
	}
}

// TestTextMemoDrawnRepeats: lines drawn from a small pool of values, so
// that most repeat one seen earlier in the piece (anywhere: the left
// neighbour, above, further back), with values a last bit apart, 0 and
// -0 among them, are the bytes formatted value by value.
func TestTextMemoDrawnRepeats(t *testing.T) {
	random := rand.New(rand.NewPCG(5, 6))
	var pool []float64
	for range 40 {
		v := random.NormFloat64() * math.Pow(10, float64(random.IntN(12)-6))
		pool = append(pool, v, math.Nextafter(v, math.Inf(1)), math.Nextafter(v, math.Inf(-1)))
	}
	pool = append(pool, 0, math.Copysign(0, -1))
	selected := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	memo := newTextMemo(len(selected))
	var withMemo, plain []byte
	row := make([]float64, len(selected))
	for k := range 500 {
		for i := range row {
			if random.IntN(3) > 0 {
				row[i] = pool[random.IntN(len(pool))]
			}
		}
		withMemo = appendTextLine(withMemo, row, float64(k), selected, ',', memo)
		plain = strconv.AppendFloat(plain, float64(k), 'g', -1, 64)
		for _, v := range row {
			plain = append(plain, ',')
			plain = strconv.AppendFloat(plain, v, 'g', -1, 64)
		}
		plain = append(plain, '\n')
	}
	if !bytes.Equal(withMemo, plain) {
		a, b := strings.Split(string(withMemo), "\n"), strings.Split(string(plain), "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("line %d with the memo\n%s\nvalue by value\n%s", i, a[i], b[i])
			}
		}
		t.Fatal("the lines differ")
	}
}
