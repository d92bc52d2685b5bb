package compare

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseCSV(t *testing.T) {
	in := "t,a[0]/v,b[0]/U\n0.0,-0.07,-14.0\n5.0E-6,-0.06999667,-13.5\n1.0E-5,1e-3,2\n"
	tab, err := ParseCSV(strings.NewReader(in), "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a[0]/v", "b[0]/U"}; !slices.Equal(tab.Names, want) {
		t.Errorf("names %q, want %q", tab.Names, want)
	}
	if want := []float64{0, 5e-6, 1e-5}; !slices.Equal(tab.T, want) {
		t.Errorf("t %v, want %v", tab.T, want)
	}
	if want := []float64{-0.07, -0.06999667, 1e-3}; !slices.Equal(tab.Cols[0], want) {
		t.Errorf("a %v, want %v", tab.Cols[0], want)
	}
	if want := []float64{-14, -13.5, 2}; !slices.Equal(tab.Column("b[0]/U"), want) {
		t.Errorf("b %v, want %v", tab.Column("b[0]/U"), want)
	}
	if tab.Source != "x.csv" || tab.Len() != 3 {
		t.Errorf("source %q len %d", tab.Source, tab.Len())
	}
}

// TestParseCSVErrors checks that each kind of bad input is reported with
// where it is (line, column) and what is wrong.
func TestParseCSVErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // substrings of the message
		line     int
	}{
		{"empty", "", []string{"empty file"}, 0},
		{"header only", "t,a\n", []string{"no data rows"}, 0},
		{"no header", "0,1\n1,2\n", []string{"no header"}, 1},
		{"time only", "t\n0\n", []string{"no quantity"}, 1},
		{"duplicate name", "t,a,a\n0,1,2\n", []string{`"a"`, "columns 1 and 2"}, 0},
		{"ragged short", "t,a,b\n0,1,2\n1,2\n", []string{"2 fields, want 3"}, 3},
		{"ragged long", "t,a,b\n0,1,2\n1,2,3\n2,3,4,5\n", []string{"4 fields, want 3"}, 4},
		{"not a number", "t,a,b\n0,1,2\n1,2,x7\n", []string{`column 3 "b"`, `"x7" is not a number`}, 3},
		{"NaN", "t,a,b\n0,1,2\n1,NaN,3\n", []string{`column 2 "a"`, "NaN"}, 3},
		{"Inf", "t,a\n0,1\n1,-Inf\n", []string{`column 2 "a"`, "-Inf"}, 3},
		{"overflow", "t,a\n0,1e999\n", []string{"out of the float64 range"}, 2},
		{"time repeats", "t,a\n0,1\n1,2\n1,3\n", []string{`column 1 "t"`, "does not increase"}, 4},
		{"time NaN", "t,a\n0,1\nnan,2\n", []string{`column 1 "t"`, "NaN"}, 3},
		{"bad quote", "t,a\n0,\"1\n", []string{"x.csv"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCSV(strings.NewReader(tt.in), "x.csv")
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is %T, want *InputError", err, err)
			}
			if ie.Line != tt.line {
				t.Errorf("line %d, want %d (%v)", ie.Line, tt.line, err)
			}
		})
	}
}

func TestParseDat(t *testing.T) {
	// jNeuroML writes a tab after every value, the last one included.
	in := "0.0\t-0.05\t-0.05\t\n5.0E-6\t-0.07\t-0.05\t\n\n1.0E-5\t-0.06999667\t-0.07\t\n"
	for _, names := range [][]string{{"p[0]/v", "q[0]/v"}, {"t (s)", "p[0]/v", "q[0]/v"}} {
		tab, err := ParseDat(strings.NewReader(in), "x.dat", names)
		if err != nil {
			t.Fatalf("names %q: %v", names, err)
		}
		if !slices.Equal(tab.Names, []string{"p[0]/v", "q[0]/v"}) || tab.Len() != 3 ||
			tab.Cols[1][2] != -0.07 || tab.T[1] != 5e-6 {
			t.Errorf("names %q: got %+v", names, tab)
		}
	}

	errs := []struct {
		name, in string
		names    []string
		want     string
	}{
		{"no names", in, nil, "no column names"},
		{"too few names", in, []string{"p"}, "1 column names given for 2 value columns"},
		{"too many names", in, []string{"p", "q", "r"}, "3 column names given"},
		{"empty", "\n\n", []string{"p"}, "empty file"},
		{"ragged", "0 1 2\n1 2\n", []string{"p", "q"}, "x.dat:2: row has 2 fields, want 3"},
		{"bad cell", "0 1 2\n1 2 zz\n", []string{"p", "q"}, `x.dat:2: column 3 "q": "zz" is not a number`},
		{"inf", "0 1 2\n1 2 +Inf\n", []string{"p", "q"}, `x.dat:2: column 3 "q": value is +Inf`},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseDat(strings.NewReader(tt.in), "x.dat", tt.names)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

const columnsTxt = "a.dat\t[OutputFile id=of0; 3 rows x 3 cols; SI units, written as Java float]\n" +
	"  col0\tt (s)\n" +
	"  col1\tpop[0]/v\t(id=v0)\n" +
	"  col2\tpop[1]/v\t(id=v1)\n" +
	"b.dat\t[OutputFile id=of1; 2 rows x 2 cols; SI units]\n" +
	"  col0\tt (s)\n" +
	"  col1\tpop[0]/synapses:syn1:0/g\n"

func TestParseColumns(t *testing.T) {
	got, err := ParseColumns(strings.NewReader(columnsTxt), "columns.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := []ColumnsEntry{
		{File: "a.dat", TimeName: "t (s)", Names: []string{"pop[0]/v", "pop[1]/v"}, Rows: 3, Cols: 3},
		{File: "b.dat", TimeName: "t (s)", Names: []string{"pop[0]/synapses:syn1:0/g"}, Rows: 2, Cols: 2},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}

	bad := []struct{ name, in, want string }{
		{"empty", "", "empty file"},
		{"skipped column", "a.dat\tx\n  col0\tt\n  col2\tv\n", "col2 of a.dat: want col1 next"},
		{"no name", "a.dat\tx\n  col0\tt\n  col1\n", "want `colN<TAB>name`"},
		{"column first", "  col0\tt\n", "column line before any file line"},
		{"no values", "a.dat\tx\n  col0\tt\nb.dat\n  col0\tt\n  col1\tv\n", "a.dat: lists no value columns"},
		{"size mismatch", "a.dat\t[2 rows x 4 cols]\n  col0\tt\n  col1\tv\n", "declares 4 columns but lists 2"},
		{"duplicate", "a.dat\tx\n  col0\tt\n  col1\tv\n  col2\tv\n", `quantity "v" names value columns 1 and 2`},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseColumns(strings.NewReader(tt.in), "columns.txt")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	csvText := []byte("t,x[0]/v\n0,1\n0.001,2\n")
	datText := []byte("0.0\t1\t2\t\n1.0E-5\t3\t4\t\n2.0E-5\t5\t6\t\n")
	writeFile(t, filepath.Join(dir, "r.csv"), csvText)
	writeFile(t, filepath.Join(dir, "r.csv.gz"), gzipped(t, csvText))
	writeFile(t, filepath.Join(dir, "disguised.csv"), gzipped(t, csvText)) // gzip recognised by content
	writeFile(t, filepath.Join(dir, "r.txt"), csvText)
	writeFile(t, filepath.Join(dir, "columns.txt"), []byte(columnsTxt))
	writeFile(t, filepath.Join(dir, "a.dat.gz"), gzipped(t, datText))
	writeFile(t, filepath.Join(dir, "b.dat"), []byte("0 1\n1 2\n2 3\n")) // columns.txt says 2 rows
	writeFile(t, filepath.Join(dir, "c.dat"), datText)                   // not in columns.txt
	writeFile(t, filepath.Join(dir, "m.npy"), npyBytes(t, [][]float64{{0, 1}, {1, 2}}, false, "<f8"))
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(sub, "d.dat"), datText) // no columns.txt

	tests := []struct {
		file      string
		opts      LoadOptions
		wantNames []string
		wantT1    float64
		wantErr   string
	}{
		{file: "r.csv", wantNames: []string{"x[0]/v"}, wantT1: 0.001},
		{file: "r.csv.gz", wantNames: []string{"x[0]/v"}, wantT1: 0.001},
		{file: "disguised.csv", wantNames: []string{"x[0]/v"}, wantT1: 0.001},
		{file: "r.csv", opts: LoadOptions{TimeScale: 1e-3}, wantNames: []string{"x[0]/v"}, wantT1: 1e-6},
		{file: "r.csv", opts: LoadOptions{Columns: []string{"y"}}, wantNames: []string{"y"}, wantT1: 0.001},
		{file: "r.txt", opts: LoadOptions{Format: FormatCSV}, wantNames: []string{"x[0]/v"}, wantT1: 0.001},
		{file: "a.dat.gz", wantNames: []string{"pop[0]/v", "pop[1]/v"}, wantT1: 1e-5},
		{file: "c.dat", opts: LoadOptions{Columns: []string{"p", "q"}}, wantNames: []string{"p", "q"}, wantT1: 1e-5},
		{file: "m.npy", opts: LoadOptions{Columns: []string{"t", "z"}}, wantNames: []string{"z"}, wantT1: 1},
		{file: "r.txt", wantErr: "cannot tell the format"},
		{file: "nope.csv", wantErr: "no such file"},
		{file: "b.dat", wantErr: "columns.txt says 2 rows but the file has 3"},
		{file: "c.dat", wantErr: "has no entry for c.dat (it lists a.dat, b.dat)"},
		{file: "sub/d.dat", wantErr: "no column names: pass LoadOptions.Columns"},
		{file: "m.npy", wantErr: "has no entry for m.npy"},
		{file: "r.csv", opts: LoadOptions{TimeScale: -1}, wantErr: "time scale"},
		{file: "r.csv", opts: LoadOptions{Format: "xls"}, wantErr: `unknown format "xls"`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			tab, err := Load(filepath.Join(dir, tt.file), tt.opts)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tab.Names, tt.wantNames) || tab.T[1] != tt.wantT1 {
				t.Errorf("names %q t[1] %v, want %q %v", tab.Names, tab.T[1], tt.wantNames, tt.wantT1)
			}
		})
	}
}

// npyBytes writes a .npy file by hand, following the format specification
// rather than the reader's library, so the round trip tests the format.
func npyBytes(t *testing.T, rows [][]float64, fortran bool, dtype string) []byte {
	t.Helper()
	nr, nc := len(rows), len(rows[0])
	fortranOrder := "False"
	if fortran {
		fortranOrder = "True"
	}
	header := fmt.Sprintf("{'descr': '%s', 'fortran_order': %s, 'shape': (%d, %d), }", dtype, fortranOrder, nr, nc)
	// Magic (6) + version (2) + length (2) + header must align to 64 bytes,
	// the header ending in a newline.
	for (10+len(header)+1)%64 != 0 {
		header += " "
	}
	header += "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&b, binary.LittleEndian, uint16(len(header)))
	b.WriteString(header)
	var order binary.ByteOrder = binary.LittleEndian
	if dtype[0] == '>' {
		order = binary.BigEndian
	}
	put := func(v float64) {
		if dtype[1:] == "f4" {
			binary.Write(&b, order, float32(v))
		} else {
			binary.Write(&b, order, v)
		}
	}
	if fortran {
		for c := range nc {
			for r := range nr {
				put(rows[r][c])
			}
		}
	} else {
		for _, row := range rows {
			for _, v := range row {
				put(v)
			}
		}
	}
	return b.Bytes()
}

func TestParseNPY(t *testing.T) {
	rows := [][]float64{{0, -0.07, 1.5}, {5e-6, -0.0699, 2.5}, {1e-5, 0.25, -3}}
	names := []string{"a/v", "b/U"}
	for _, tc := range []struct {
		name    string
		fortran bool
		dtype   string
	}{{"C order", false, "<f8"}, {"Fortran order", true, "<f8"}, {"float32", false, "<f4"}, {"big-endian", false, ">f8"}, {"big-endian float32", true, ">f4"}} {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := ParseNPY(bytes.NewReader(npyBytes(t, rows, tc.fortran, tc.dtype)), "m.npy", names)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tab.Names, names) {
				t.Errorf("names %q", tab.Names)
			}
			for r, row := range rows {
				want := row
				if tc.dtype[1:] == "f4" {
					want = []float64{float64(float32(row[0])), float64(float32(row[1])), float64(float32(row[2]))}
				}
				got := []float64{tab.T[r], tab.Cols[0][r], tab.Cols[1][r]}
				if !slices.Equal(got, want) {
					t.Errorf("row %d: %v, want %v", r, got, want)
				}
			}
		})
	}

	good := npyBytes(t, rows, false, "<f8")
	withNaN := npyBytes(t, [][]float64{{0, 1, 2}, {1, math.NaN(), 3}}, false, "<f8")
	bad := []struct {
		name  string
		data  []byte
		names []string
		want  string
	}{
		{"no names", good, nil, "no column names"},
		{"wrong names", good, []string{"a"}, "1 column names given for 2 value columns"},
		{"empty", nil, names, "empty file"},
		{"not npy", []byte("t,a\n0,1\n"), names, "not a .npy file"},
		{"truncated", good[:len(good)-4], names, "truncated"},
		{"integers", npyBytesRaw("{'descr': '<i8', 'fortran_order': False, 'shape': (1, 2), }", make([]byte, 16)), names[:1], `element type "<i8"`},
		{"1-D", npyBytesRaw("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", make([]byte, 16)), names, "want 2-D"},
		{"no newline in header", []byte("\x93NUMPY\x01\x00\x04\x00abcd"), names, "malformed .npy file: its header does not end in a newline"},
		// a header cut before its newline panicked inside the library
		{"header cut short", []byte("\x93NUMPY\x01\x00\x40\x00{'descr': '<f8',"), names, "malformed .npy file: cut short in its header"},
		{"header length of 4 GB", []byte("\x93NUMPY\x02\x00\xff\xff\xff\xff{"), names, "malformed .npy file: a header of 4294967295 bytes"},
		// a shape claiming 48 GB in a file of 48 bytes: no allocation
		{"lying shape", npyBytesRaw("{'descr': '<f8', 'fortran_order': False, 'shape': (3000000000, 2), }", make([]byte, 48)), names[:1], "the 3000000000x2 matrix its header gives needs 48000000000 bytes, and the file has 48"},
		{"shape beyond int", npyBytesRaw("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 3), }", nil), names, "more than any file holds"},
		{"NaN", withNaN, names, `row 2: column 2 "a/v": value is NaN`},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseNPY(bytes.NewReader(tt.data), "m.npy", tt.names)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// npyBytesRaw writes a .npy with an arbitrary header dictionary.
func npyBytesRaw(header string, data []byte) []byte {
	for (10+len(header)+1)%64 != 0 {
		header += " "
	}
	header += "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&b, binary.LittleEndian, uint16(len(header)))
	b.WriteString(header)
	b.Write(data)
	return b.Bytes()
}

func TestTableValidate(t *testing.T) {
	ok := func() *Table {
		return &Table{Names: []string{"a"}, T: []float64{0, 1}, Cols: [][]float64{{1, 2}}, Source: "mem"}
	}
	tests := []struct {
		name   string
		modify func(*Table)
		want   string
	}{
		{"ok", func(*Table) {}, ""},
		{"no rows", func(t *Table) { t.T, t.Cols[0] = nil, nil }, "no data rows"},
		{"names vs columns", func(t *Table) { t.Names = append(t.Names, "b") }, "2 names but 1 columns"},
		{"short column", func(t *Table) { t.Cols[0] = t.Cols[0][:1] }, "column has 1 values but there are 2 times"},
		{"decreasing time", func(t *Table) { t.T[1] = -1 }, "does not increase"},
		{"inf value", func(t *Table) { t.Cols[0][1] = math.Inf(1) }, `mem: row 2: column 2 "a": value is +Inf`},
		{"empty name", func(t *Table) { t.Names[0] = "" }, "empty name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := ok()
			tt.modify(tab)
			err := tab.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestLoadEvents reads spike files: with Events, rows may share a time
// but not go back in time; without it, a repeated time is an error; and
// IsSpikeFile tells them from result tables, gzipped or not.
func TestLoadEvents(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string, zip bool) string {
		path := filepath.Join(dir, name)
		var b bytes.Buffer
		if zip {
			zw := gzip.NewWriter(&b)
			zw.Write([]byte(text))
			zw.Close()
		} else {
			b.WriteString(text)
		}
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	spikes := write("s.csv", "t,index\n0.001,3\n0.001,7\n0.002,3\n", false)
	zipped := write("s.csv.gz", "t,index\n0.001,3\n0.001,7\n", true)
	back := write("back.csv", "t,index\n0.002,3\n0.001,7\n", false)
	table := write("r.csv", "t,a\n0,1\n0.1,2\n", false)

	tab, err := Load(spikes, LoadOptions{Events: true})
	if err != nil || tab.Len() != 3 || !tab.Events || tab.Cols[0][1] != 7 {
		t.Errorf("spike file: %+v, %v", tab, err)
	}
	if _, err := Load(spikes, LoadOptions{}); err == nil || !strings.Contains(err.Error(), "does not increase") {
		t.Errorf("a spike file read as a result table: %v", err)
	}
	if _, err := Load(back, LoadOptions{Events: true}); err == nil || !strings.Contains(err.Error(), "does not increase") {
		t.Errorf("spikes going back in time: %v", err)
	}
	for path, want := range map[string]bool{spikes: true, zipped: true, back: true, table: false, filepath.Join(dir, "none.csv"): false, "x.npy": false} {
		if got := IsSpikeFile(path); got != want {
			t.Errorf("IsSpikeFile(%s) = %v, want %v", filepath.Base(path), got, want)
		}
	}
}

// TestLoadRefusesDevices: a device is no results file (/dev/zero was
// read until memory ran out); a pipe is read as the stream it is.
func TestLoadRefusesDevices(t *testing.T) {
	_, err := Load(os.DevNull, LoadOptions{Format: FormatCSV})
	if err == nil || !strings.Contains(err.Error(), "a device, not a results file") {
		t.Errorf("%s: %v", os.DevNull, err)
	}
}
