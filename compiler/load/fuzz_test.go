package load

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/diag"
)

// FuzzLoad feeds arbitrary bytes to the loader: it must never panic, and
// every failure must be a positioned error naming the file.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("../../testdata/*/*.yaml")
	more, _ := filepath.Glob("../../testdata/errors/*/exp.yaml")
	for _, p := range append(seeds, more...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("integration: {step_size: 0.1, duration: 1}\nnetwork: {nodes: [{id: 0}]}"))
	f.Add([]byte("a: &x [*x]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		exp, err := Experiment("fuzz.yaml", data)
		if err == nil {
			if exp == nil {
				t.Fatal("nil experiment without an error")
			}
			return
		}
		var one *diag.Error
		var list diag.List
		if !errors.As(err, &one) && !errors.As(err, &list) {
			t.Fatalf("error is not positioned: %T %v", err, err)
		}
		if !strings.Contains(err.Error(), "fuzz.yaml") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}
