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
		} else {
			positioned(t, err)
		}
		// the one entry point, whatever class the bytes look like
		d, err := Document("fuzz.yaml", data)
		if err == nil && (d == nil || d.Experiment == nil && d.Pop == nil && d.Brain == nil && d.Study == nil &&
			d.Network == nil && d.Coupling == nil && d.Integrator == nil && d.Atlas == nil) {
			t.Fatal("a document without a value and without an error")
		}
		if err != nil {
			positioned(t, err)
		}
	})
}

// positioned fails unless err is a positioned error naming the file.
func positioned(t *testing.T, err error) {
	t.Helper()
	var one *diag.Error
	var list diag.List
	if !errors.As(err, &one) && !errors.As(err, &list) {
		t.Fatalf("error is not positioned: %T %v", err, err)
	}
	if !strings.Contains(err.Error(), "fuzz.yaml") {
		t.Fatalf("error does not name the file: %v", err)
	}
}
