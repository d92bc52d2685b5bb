package brain_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/tvboc/tvboc/compiler/brain"
)

// TestBlockLength: a blocked coupling sums 32 steps at a time when every
// edge that 16 would block is delayed by at least 31 steps, else 16, so
// that no edge moves to the step-by-step sums and no target's order of
// addition changes; with 32 the output is byte-identical to the free-speed
// build, whose delays are known only at run time and summed edge by edge
// in row order.
func TestBlockLength(t *testing.T) {
	tiny, err := filepath.Abs("../../testdata/tvb/tiny")
	if err != nil {
		t.Fatal(err)
	}
	blockOf := regexp.MustCompile(`(?m)^\s+block\s+= (\d+)`)
	for _, tc := range []struct {
		speed string
		want  string
	}{
		{"1.0", "32"},  // delays of 40 to 250 steps
		{"10.0", "16"}, // 4 to 25: some summed per step already, others at 16-30
	} {
		t.Run("speed "+tc.speed, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "exp.yaml")
			yaml := fmt.Sprintf(`label: blocks
dynamics: {iri: tvbo:Generic2dOscillator}
network:
  weights: %s/tiny_weights.csv
  lengths: %s/tiny_lengths.csv
  parameters: {conduction_speed: {value: %s}}
  coupling:
    c_glob: {iri: tvbo:Linear, parameters: {a: {value: 0.1}}}
integration: {method: heun, step_size: 0.1, duration: 100.0}
`, tiny, tiny, tc.speed)
			if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			src := compileBrain(t, path, brain.Options{})
			m := blockOf.FindSubmatch(src)
			if m == nil || string(m[1]) != tc.want {
				t.Fatalf("block = %s, want %s", m, tc.want)
			}
			if tc.want != "32" {
				return
			}
			blocked, err := os.ReadFile(runBinary(t, src, "--record", "all"))
			if err != nil {
				t.Fatal(err)
			}
			free, err := os.ReadFile(runBinary(t, compileBrain(t, path, brain.Options{Free: []string{"network.conduction_speed"}}), "--record", "all"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(blocked, free) {
				t.Error("32-step blocks change the output against the unblocked sums")
			}
		})
	}
}
