package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWriteFileAtomicKeepsLinks: a file tvboc writes (gen's Go source,
// render's XML) named through a symbolic link goes to the link's target,
// one that exists or not yet, and the link stays a link.
func TestWriteFileAtomicKeepsLinks(t *testing.T) {
	dir := t.TempDir()
	for _, existing := range []bool{true, false} {
		target := filepath.Join(dir, "target.go")
		link := filepath.Join(dir, "link.go")
		os.Remove(target)
		os.Remove(link)
		if existing {
			if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Symlink("target.go", link); err != nil {
			t.Fatal(err)
		}
		if err := writeFileAtomic(link, []byte("package main\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("target existed: %v: the link was replaced (%v)", existing, err)
		}
		if data, err := os.ReadFile(target); err != nil || string(data) != "package main\n" {
			t.Errorf("target existed: %v: the target holds %q, %v", existing, data, err)
		}
	}
}
