// Package inputs records which files a compilation looked at, so that
// tvboc run can tell, without compiling again, that an experiment and
// everything it reads are unchanged since its binary was built.
//
// The compiler reads every file through ReadFile and probes for files
// with Stat. Outside a recording both are os.ReadFile and os.Stat; inside
// one (Record) each path is noted with what the file system said about it
// before it was read: its size and modification time, or that it did not
// exist. A probe that found nothing matters as much as a file read: a
// connectome later put in an earlier data directory changes what the
// experiment means.
package inputs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// File is what the file system said about one path when the compiler
// looked at it.
type File struct {
	Path    string `json:"path"` // absolute
	Exists  bool   `json:"exists"`
	Size    int64  `json:"size,omitempty"`
	ModTime int64  `json:"mtime,omitempty"` // nanoseconds since the epoch
	Read    bool   `json:"read,omitempty"`  // read (an input), not only probed
}

var (
	mu        sync.Mutex
	recording int
	seen      map[string]File
)

// Record starts noting the files ReadFile and Stat look at, and returns the
// function that stops and returns them, sorted by path. Recordings may
// overlap (two compilations at once): each then sees the other's files as
// well, which can only make a later Unchanged stricter.
func Record() (stop func() []File) {
	mu.Lock()
	defer mu.Unlock()
	if recording == 0 {
		seen = map[string]File{}
	}
	recording++
	mine := seen
	return func() []File {
		mu.Lock()
		defer mu.Unlock()
		recording--
		out := make([]File, 0, len(mine))
		for _, f := range mine {
			out = append(out, f)
		}
		slices.SortFunc(out, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
		return out
	}
}

// ReadFile is os.ReadFile, noting path when recording. The file is looked
// at before it is read, so a change between the two makes the record older
// than the content, never newer.
//
// Only regular files are read: a device such as /dev/zero never ends (the
// compiler's memory grew until it was killed), a pipe may never be
// written to, and neither can be read again for a warm run's check.
func ReadFile(path string) ([]byte, error) {
	note(path, true)
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		return nil, &fs.PathError{Op: "read", Path: path, Err: ErrNotRegular}
	}
	return os.ReadFile(path)
}

// ErrNotRegular is ReadFile's error for a path that names a device, a pipe
// or a socket.
var ErrNotRegular = errors.New("a device or a pipe, not a file: data files are read from files only")

// Stat is os.Stat, noting path when recording.
func Stat(path string) (fs.FileInfo, error) {
	note(path, false)
	return os.Stat(path)
}

func note(path string, read bool) {
	mu.Lock()
	defer mu.Unlock()
	if recording == 0 {
		return
	}
	f := Look(path)
	f.Read = read || seen[f.Path].Read
	seen[f.Path] = f
}

// Look says what the file system holds at path now.
func Look(path string) File {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return File{Path: abs}
	}
	return File{Path: abs, Exists: true, Size: fi.Size(), ModTime: fi.ModTime().UnixNano()}
}

// Unchanged reports whether every file still is what it was when recorded:
// the same size and modification time, or still absent. It costs one stat
// per file.
func Unchanged(files []File) bool {
	for _, f := range files {
		now := Look(f.Path)
		if now.Exists != f.Exists || now.Size != f.Size || now.ModTime != f.ModTime {
			return false
		}
	}
	return true
}

// Paths returns the files that were read (not only probed).
func Paths(files []File) []string {
	var out []string
	for _, f := range files {
		if f.Read && f.Exists {
			out = append(out, f.Path)
		}
	}
	return out
}
