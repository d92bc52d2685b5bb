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

// TestBlockedSumsStartOneWorker: without --threads, a whole-brain program
// starts as many workers as its step's shared work is worth. The same
// 400-node complete network (160,000 edges) gets several without delays,
// and one when every edge is summed a block at a time: each worker would
// read nearly the whole history for its own targets, so a second one
// takes nothing off the first.
func TestBlockedSumsStartOneWorker(t *testing.T) {
	dir := t.TempDir()
	weights, lengths := writeMatrices(t, dir, 400, func(i, j int) (float64, float64) {
		if i == j {
			return 0, 0
		}
		return 0.01, float64(20 + (i*7+j*3)%60) // 20-79 mm: 67-263 steps at 3 mm/ms
	})
	workersOf := regexp.MustCompile(`workers = min\(rt\.Threads\(opts\.Threads\), (\d+)\)`)
	for _, tc := range []struct {
		delayed string
		many    bool
	}{{"false", true}, {"true", false}} {
		path := filepath.Join(dir, "exp"+tc.delayed+".yaml")
		yaml := fmt.Sprintf(`label: workers
dynamics: {iri: tvbo:Generic2dOscillator}
network:
  weights: %s
  lengths: %s
  parameters: {conduction_speed: {value: 3.0}}
  coupling:
    c_glob: {iri: tvbo:Linear, parameters: {a: {value: 0.01}}, incoming_states: [V], delayed: %s}
integration: {method: heun, step_size: 0.1, duration: 1.0}
`, weights, lengths, tc.delayed)
		if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		src := compileBrain(t, path, brain.Options{})
		m := workersOf.FindSubmatch(src)
		if m == nil {
			t.Fatalf("delayed %s: no default worker count in the generated main", tc.delayed)
		}
		if got := string(m[1]) != "1"; got != tc.many {
			t.Errorf("delayed %s: default workers %s, want more than one: %v", tc.delayed, m[1], tc.many)
		}
	}
}
