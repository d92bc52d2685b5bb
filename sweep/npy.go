package sweep

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	rt "github.com/tvboc/tvboc/runtime"
)

// npyArray is the header of a float64 .npy file written by a sweep.
type npyArray struct {
	shape     []int
	dataStart int64
}

// maxHeader bounds the header length readNPYHeader reads.
const maxHeader = 64 << 10

// readNPYHeader reads and checks the header of a sweep's .npy output: a
// little-endian float64, C-order array of 3 dimensions (sets, rows,
// columns).
func readNPYHeader(r io.Reader) (npyArray, error) {
	var pre [10]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return npyArray{}, fmt.Errorf("not a .npy file: %w", err)
	}
	if string(pre[:6]) != "\x93NUMPY" {
		return npyArray{}, errors.New("not a .npy file")
	}
	var headerLen, prefix int
	switch pre[6] {
	case 1:
		headerLen, prefix = int(binary.LittleEndian.Uint16(pre[8:10])), 10
	case 2, 3:
		var more [2]byte
		if _, err := io.ReadFull(r, more[:]); err != nil {
			return npyArray{}, err
		}
		headerLen, prefix = int(binary.LittleEndian.Uint32(append(pre[8:10:10], more[:]...))), 12
	default:
		return npyArray{}, fmt.Errorf(".npy format version %d is not supported", pre[6])
	}
	if headerLen > maxHeader {
		// a version-2 file may claim 4 GB, which would be allocated
		return npyArray{}, fmt.Errorf("a header of %d bytes: the file is damaged (a sweep's header is about a hundred)", headerLen)
	}
	dict := make([]byte, headerLen)
	if _, err := io.ReadFull(r, dict); err != nil {
		return npyArray{}, err
	}
	text := string(dict)
	if !strings.Contains(text, "'descr': '<f8'") || !strings.Contains(text, "'fortran_order': False") {
		return npyArray{}, fmt.Errorf("header %q: want a C-order little-endian float64 array", strings.TrimSpace(text))
	}
	_, after, ok := strings.Cut(text, "'shape': (")
	tuple, _, ok2 := strings.Cut(after, ")")
	if !ok || !ok2 {
		return npyArray{}, fmt.Errorf("header %q has no shape", strings.TrimSpace(text))
	}
	var shape []int
	for _, f := range strings.Split(tuple, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 {
			return npyArray{}, fmt.Errorf("header %q: bad shape", strings.TrimSpace(text))
		}
		shape = append(shape, n)
	}
	return npyArray{shape: shape, dataStart: int64(prefix + headerLen)}, nil
}

// JoinNPY concatenates the .npy outputs of a merged manifest along the set
// axis into one file at out, in set order, and points the entries at it.
// Every entry must name a .npy file, and each file must hold exactly the
// sets of the entries that name it (in index order), as a sweep writes it.
// The file is written atomically.
func JoinNPY(m *rt.Manifest, out string) error {
	var files []string
	count := map[string]int{}
	for _, e := range m.Entries {
		if !strings.EqualFold(filepath.Ext(e.Output), ".npy") {
			return fmt.Errorf("set %d has output %q, not a .npy: only .npy sweeps can be joined into one array", e.Index, e.Output)
		}
		if count[e.Output] == 0 {
			files = append(files, e.Output)
		}
		count[e.Output]++
	}
	if len(files) == 0 {
		return errors.New("the manifests list no sets: nothing to join")
	}
	var trailing []int
	total := 0
	for _, f := range files {
		a, err := headerOf(f)
		if err != nil {
			return err
		}
		if len(a.shape) != 3 {
			return fmt.Errorf("%s has shape %v: want (sets, rows, columns)", f, a.shape)
		}
		if a.shape[0] != count[f] {
			return fmt.Errorf("%s holds %d sets, but the manifests list %d for it", f, a.shape[0], count[f])
		}
		if trailing == nil {
			trailing = a.shape[1:]
		} else if a.shape[1] != trailing[0] || a.shape[2] != trailing[1] {
			return fmt.Errorf("%s has sets of %dx%d values, others %dx%d: these are not shards of one sweep", f, a.shape[1], a.shape[2], trailing[0], trailing[1])
		}
		total += a.shape[0]
	}
	// Sets in a file follow index order and shards are contiguous, so the
	// files appended in order of their first set keep index order, unless
	// one file's sets interleave with another's.
	finished := map[string]bool{}
	for i := 1; i < len(m.Entries); i++ {
		prev, cur := m.Entries[i-1].Output, m.Entries[i].Output
		if cur != prev {
			finished[prev] = true
			if finished[cur] {
				return fmt.Errorf("the sets of %s are not contiguous: it cannot be one shard of the sweep", cur)
			}
		}
	}
	err := writeAtomic(out, func(w io.Writer) error {
		header, err := npyHeader(total, trailing[0], trailing[1])
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(w, 1<<20)
		if _, err := bw.Write(header); err != nil {
			return err
		}
		for _, f := range files {
			if err := copyData(bw, f); err != nil {
				return err
			}
		}
		return bw.Flush()
	})
	if err != nil {
		return err
	}
	for i := range m.Entries {
		m.Entries[i].Output = out
	}
	return nil
}

func headerOf(path string) (npyArray, error) {
	f, err := os.Open(path)
	if err != nil {
		return npyArray{}, fmt.Errorf("cannot read shard output: %w", err)
	}
	defer f.Close()
	a, err := readNPYHeader(f)
	if err != nil {
		return npyArray{}, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}

// copyData copies the data of a .npy file (no header) to w, checking that
// the file holds exactly what its shape says.
func copyData(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	a, err := readNPYHeader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	want := int64(8)
	for _, n := range a.shape {
		want *= int64(n)
	}
	n, err := io.Copy(w, f)
	if err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	if n != want {
		return fmt.Errorf("%s holds %d data bytes, its shape says %d: the file is truncated or damaged", path, n, want)
	}
	return nil
}

// npyHeader is the .npy 1.0 preamble for a (sets, rows, cols) float64
// array, padded so the data starts at a multiple of 64 bytes.
func npyHeader(sets, rows, cols int) ([]byte, error) {
	dict := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': (%d, %d, %d), }", sets, rows, cols)
	unpadded := 10 + len(dict) + 1
	padding := (64 - unpadded%64) % 64
	headerLen := len(dict) + padding + 1
	if headerLen > 0xffff {
		return nil, errors.New("npy header too long")
	}
	header := []byte("\x93NUMPY\x01\x00")
	header = binary.LittleEndian.AppendUint16(header, uint16(headerLen))
	header = append(header, dict...)
	header = append(header, strings.Repeat(" ", padding)...)
	return append(header, '\n'), nil
}

// writeAtomic writes path through a temp file in the same directory,
// renamed into place only when everything succeeded.
func writeAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	err = write(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// CreateTemp makes 0600; results get the usual 0666 less umask.
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
