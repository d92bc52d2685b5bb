package inputs

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func TestRecordNotesReadsAndProbes(t *testing.T) {
	dir := t.TempDir()
	exp := filepath.Join(dir, "exp.yaml")
	if err := os.WriteFile(exp, []byte("label: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "weights.csv")

	// outside a recording nothing is noted
	if _, err := ReadFile(exp); err != nil {
		t.Fatal(err)
	}
	stop := Record()
	if _, err := ReadFile(exp); err != nil {
		t.Fatal(err)
	}
	if _, err := Stat(missing); err == nil {
		t.Fatal("the probed file exists")
	}
	files := stop()
	if len(files) != 2 {
		t.Fatalf("recorded %d files, want 2: %+v", len(files), files)
	}
	if files[0].Path != exp || !files[0].Exists || !files[0].Read || files[0].Size != 9 {
		t.Errorf("the experiment: %+v", files[0])
	}
	if files[1].Path != missing || files[1].Exists || files[1].Read {
		t.Errorf("the probe: %+v", files[1])
	}
	if got := Paths(files); len(got) != 1 || got[0] != exp {
		t.Errorf("Paths = %v, want only the file read", got)
	}
	if !Unchanged(files) {
		t.Error("nothing changed, but Unchanged says something did")
	}
	if stop := Record(); len(stop()) != 0 {
		t.Error("a new recording starts empty")
	}
}

func TestUnchangedSeesEveryKindOfChange(t *testing.T) {
	later := time.Now().Add(time.Hour)
	for _, tc := range []struct {
		name   string
		change func(exp, probe string) error
	}{
		{"content of another size", func(exp, _ string) error { return os.WriteFile(exp, []byte("label: longer\n"), 0o644) }},
		{"same size, touched", func(exp, _ string) error { return os.Chtimes(exp, later, later) }},
		{"removed", func(exp, _ string) error { return os.Remove(exp) }},
		{"a probed file appears", func(_, probe string) error { return os.WriteFile(probe, nil, 0o644) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			exp := filepath.Join(dir, "exp.yaml")
			probe := filepath.Join(dir, "lengths.csv")
			if err := os.WriteFile(exp, []byte("label: x\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			stop := Record()
			ReadFile(exp)
			Stat(probe)
			files := stop()
			if err := tc.change(exp, probe); err != nil {
				t.Fatal(err)
			}
			if Unchanged(files) {
				t.Errorf("%s: Unchanged did not notice", tc.name)
			}
		})
	}
}

func TestRecordingsOverlap(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	stopOuter := Record()
	ReadFile(a)
	stopInner := Record()
	ReadFile(b)
	inner := stopInner()
	outer := stopOuter()
	if len(outer) != 2 || len(inner) != 2 {
		t.Errorf("overlapping recordings see each other's files: outer %d, inner %d, want 2 and 2", len(outer), len(inner))
	}
}

// TestReadFileRegularOnly: a device or a pipe is refused, not read (the
// compiler read /dev/zero until it was killed, and waited for ever on a
// pipe nobody wrote); a regular file and a link to one are read.
func TestReadFileRegularOnly(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "w.csv")
	if err := os.WriteFile(file, []byte("0,1\n1,0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(file, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.csv")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	for _, p := range []string{file, link} {
		if _, err := ReadFile(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	for _, p := range []string{fifo, os.DevNull} {
		if _, err := ReadFile(p); !errors.Is(err, ErrNotRegular) {
			t.Errorf("%s: %v, want %v", p, err, ErrNotRegular)
		}
	}
}
