package compare

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// ColumnsFileName is the file next to headerless outputs that names their
// columns.
const ColumnsFileName = "columns.txt"

// ColumnsEntry describes the columns of one output file, as listed in a
// columns.txt.
type ColumnsEntry struct {
	// File is the output file's name as listed (e.g. "iaf_v.dat").
	File string
	// TimeName is the name of column 0 (e.g. "t (s)").
	TimeName string
	// Names are the names of the value columns, col1 onwards.
	Names []string
	// Rows and Cols are the declared size ("60001 rows x 5 cols"), 0 when
	// the entry does not declare it. Cols counts the time column.
	Rows, Cols int
}

// sizeRE finds the declared size in an entry's header line.
var sizeRE = regexp.MustCompile(`(\d+) rows x (\d+) cols`)

// ParseColumns reads a columns.txt. Its format, as written for the jLEMS
// goldens, is one block per output file:
//
//	iaf_v.dat<TAB>[OutputFile id=of0; 60001 rows x 5 cols; ...]
//	  col0<TAB>t (s)
//	  col1<TAB>iafTauPop[0]/v<TAB>(id=iafTauPop0)
//
// A block starts with an unindented line naming the file (anything after
// the first tab is a description, from which the size is taken when
// present); each indented line is `colN<TAB>name`, optionally followed by a
// tab and an annotation, with N counting up from 0. source labels errors.
func ParseColumns(r io.Reader, source string) ([]ColumnsEntry, error) {
	var entries []ColumnsEntry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<24)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			continue
		}
		if text[0] != ' ' && text[0] != '\t' {
			if err := checkColumnsEntry(source, entries); err != nil {
				return nil, err
			}
			file, desc, _ := strings.Cut(text, "\t")
			e := ColumnsEntry{File: strings.TrimSpace(file)}
			if m := sizeRE.FindStringSubmatch(desc); m != nil {
				e.Rows, _ = strconv.Atoi(m[1])
				e.Cols, _ = strconv.Atoi(m[2])
			}
			entries = append(entries, e)
			continue
		}
		if len(entries) == 0 {
			return nil, &InputError{Source: source, Line: line, Msg: "column line before any file line"}
		}
		e := &entries[len(entries)-1]
		parts := strings.Split(strings.TrimSpace(text), "\t")
		if len(parts) < 2 || strings.TrimSpace(parts[1]) == "" {
			return nil, &InputError{Source: source, Line: line, Msg: fmt.Sprintf("want `colN<TAB>name`, got %q", strings.TrimSpace(text))}
		}
		want := len(e.Names)
		if e.TimeName != "" {
			want++
		}
		if parts[0] != "col"+strconv.Itoa(want) {
			return nil, &InputError{Source: source, Line: line, Msg: fmt.Sprintf("%s of %s: want col%d next", parts[0], e.File, want)}
		}
		name := strings.TrimSpace(parts[1])
		if want == 0 {
			e.TimeName = name
		} else {
			e.Names = append(e.Names, name)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &InputError{Source: source, Line: line + 1, Msg: "cannot read: " + err.Error()}
	}
	if err := checkColumnsEntry(source, entries); err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, &InputError{Source: source, Msg: "empty file"}
	}
	return entries, nil
}

// checkColumnsEntry checks that the last entry is complete: a time column,
// at least one value column, and as many columns as it declares.
func checkColumnsEntry(source string, entries []ColumnsEntry) error {
	if len(entries) == 0 {
		return nil
	}
	e := entries[len(entries)-1]
	switch {
	case e.TimeName == "" || len(e.Names) == 0:
		return &InputError{Source: source, Msg: fmt.Sprintf("%s: lists no value columns", e.File)}
	case e.Cols > 0 && e.Cols != len(e.Names)+1:
		return &InputError{Source: source, Msg: fmt.Sprintf("%s: declares %d columns but lists %d", e.File, e.Cols, len(e.Names)+1)}
	}
	return checkNames(source+": "+e.File, e.Names)
}

// ReadColumnsFile reads a columns.txt file; see [ParseColumns].
func ReadColumnsFile(path string) ([]ColumnsEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("compare: %w", err)
	}
	defer f.Close()
	return ParseColumns(f, path)
}

// columnsFor finds the columns.txt entry for a data file: the columns.txt
// in the same directory, block named like the file without a .gz suffix.
func columnsFor(path string) (*ColumnsEntry, error) {
	colsPath := filepath.Join(filepath.Dir(path), ColumnsFileName)
	entries, err := ReadColumnsFile(colsPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("compare: %s: no column names: pass LoadOptions.Columns or put a %s next to it", path, ColumnsFileName)
	}
	if err != nil {
		return nil, err
	}
	base := filepath.Base(path)
	unzipped := strings.TrimSuffix(base, ".gz")
	var listed []string
	for i := range entries {
		if entries[i].File == unzipped || entries[i].File == base {
			return &entries[i], nil
		}
		listed = append(listed, entries[i].File)
	}
	return nil, fmt.Errorf("compare: %s has no entry for %s (it lists %s)", colsPath, unzipped, strings.Join(listed, ", "))
}
