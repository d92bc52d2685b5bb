package brain_test

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/tvboc/tvboc/compare"
	"github.com/tvboc/tvboc/compiler/brain"
	"github.com/tvboc/tvboc/gen/build"
)

// TestBlockLength: a blocked coupling sums 32 steps at a time when every
// edge that 16 would block is delayed by at least 31 steps, else 16, so
// that no edge moves to the step-by-step sums and no target's order of
// addition changes; with 32 the output is byte-identical to the free-speed
// build, whose delays are known only at run time and summed edge by edge
// in row order. It sums 64 when the rings it reads hold 20 MB or more and
// at most 1% of its edges are delayed by 31-62 steps; with none, again
// byte-identical to the free-speed build.
func TestBlockLength(t *testing.T) {
	tiny, err := filepath.Abs("../../testdata/tvb/tiny")
	if err != nil {
		t.Fatal(err)
	}
	// 500 nodes, each fed by two others through 100-280 mm (1000-2800
	// steps at 1 mm/ms): Kuramoto's sine and cosine rings hold 22 MB,
	// G2D's one ring 11 MB; with short > 0 every short-th node's first
	// edge is 4 mm instead (40 steps)
	far := func(short int) (string, string) {
		return writeMatrices(t, t.TempDir(), 500, func(i, j int) (float64, float64) {
			switch j {
			case (i + 1) % 500:
				if short > 0 && i%short == 0 {
					return 0.5, 4
				}
				return 0.5, float64(100 + (i*37)%181)
			case (i + 7) % 500:
				return 0.25, float64(100 + (i*53)%181)
			}
			return 0, 0
		})
	}
	farW, farL := far(0)
	fewW, fewL := far(100)  // 5 of 1000 edges (0.5%)
	manyW, manyL := far(20) // 25 of 1000 (2.5%)
	blockOf := regexp.MustCompile(`(?m)^\s+block\s+= (\d+)`)
	for _, tc := range []struct {
		name, model, coupling, weights, lengths, speed, duration string
		want                                                     string
		same                                                     bool // byte-identical to the free-speed build
	}{
		// delays of 40 to 250 steps
		{"tiny speed 1", "Generic2dOscillator", "Linear, parameters: {a: {value: 0.1}}", tiny + "/tiny_weights.csv", tiny + "/tiny_lengths.csv", "1.0", "100.0", "32", true},
		// 4 to 25: some summed per step already, others at 16-30
		{"tiny speed 10", "Generic2dOscillator", "Linear, parameters: {a: {value: 0.1}}", tiny + "/tiny_weights.csv", tiny + "/tiny_lengths.csv", "10.0", "100.0", "16", false},
		{"Kuramoto 22 MB", "Kuramoto", "Kuramoto, parameters: {a: {value: 0.5}}", farW, farL, "1.0", "20.0", "64", true},
		{"G2D 11 MB", "Generic2dOscillator", "Linear, parameters: {a: {value: 0.1}}", farW, farL, "1.0", "20.0", "32", true},
		{"Kuramoto 22 MB, 0.5% at 40 steps", "Kuramoto", "Kuramoto, parameters: {a: {value: 0.5}}", fewW, fewL, "1.0", "20.0", "64", false},
		{"Kuramoto 22 MB, 2.5% at 40 steps", "Kuramoto", "Kuramoto, parameters: {a: {value: 0.5}}", manyW, manyL, "1.0", "20.0", "32", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "exp.yaml")
			yaml := fmt.Sprintf(`label: blocks
dynamics: {iri: tvbo:%s}
network:
  weights: %s
  lengths: %s
  parameters: {conduction_speed: {value: %s}}
  coupling:
    c_glob: {iri: tvbo:%s}
integration: {method: heun, step_size: 0.1, duration: %s}
`, tc.model, tc.weights, tc.lengths, tc.speed, tc.coupling, tc.duration)
			if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			src := compileBrain(t, path, brain.Options{})
			m := blockOf.FindSubmatch(src)
			if m == nil || string(m[1]) != tc.want {
				t.Fatalf("block = %s, want %s", m, tc.want)
			}
			if !tc.same || testing.Short() {
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
				t.Errorf("%s-step blocks change the output against the unblocked sums", tc.want)
			}
		})
	}
}

// TestBlockedSumsShareWork: a 400-node complete network (160,000 edges)
// whose every edge is summed a block at a time splits its sums into two
// fixed groups of sources, starts more than one worker by default, and
// writes byte-identical output on 1, 2 and 3 threads (a third worker has
// no group of its own); the groups change only the order of each target's
// adds, so the output stays within rounding of the free-speed build's
// (delays at run time, every edge summed step by step in row order). A
// small network keeps one group: its sums are the same adds as before.
func TestBlockedSumsShareWork(t *testing.T) {
	dir := t.TempDir()
	weights, lengths := writeMatrices(t, dir, 400, func(i, j int) (float64, float64) {
		if i == j {
			return 0, 0
		}
		return 0.01, float64(20 + (i*7+j*3)%60) // 20-79 mm: 67-263 steps at 3 mm/ms
	})
	path := filepath.Join(dir, "exp.yaml")
	yaml := fmt.Sprintf(`label: workers
dynamics: {iri: tvbo:Generic2dOscillator}
network:
  weights: %s
  lengths: %s
  parameters: {conduction_speed: {value: 3.0}}
  coupling:
    c_glob: {iri: tvbo:Linear, parameters: {a: {value: 0.01}}, incoming_states: [V]}
integration: {method: heun, step_size: 0.1, duration: 40.0}
`, weights, lengths)
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	src := compileBrain(t, path, brain.Options{})
	groupsOf := regexp.MustCompile(`(?m)^\s+groups\s+= (\d+)`)
	if m := groupsOf.FindSubmatch(src); m == nil || string(m[1]) != "2" {
		t.Fatal("no two source groups in the generated program")
	}
	m := regexp.MustCompile(`workers = min\(rt\.Threads\(opts\.Threads\), (\d+)\)`).FindSubmatch(src)
	if m == nil || string(m[1]) == "1" {
		t.Fatalf("default workers %s, want more than one", m)
	}
	bin := filepath.Join(dir, "sim")
	if _, err := build.Build(src, bin, build.Options{CacheDir: "off", Stderr: os.Stderr}); err != nil {
		if err == build.ErrNoGo {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	// the last run takes the scalar loops (TVBOC_SIMD=off), which must be
	// the vector loops' adds lane by lane
	var outs [][]byte
	runs := []struct{ threads, simd string }{{"1", "on"}, {"2", "on"}, {"3", "on"}, {"2", "off"}}
	for _, run := range runs {
		out := filepath.Join(dir, "out"+run.threads+run.simd+".csv")
		cmd := exec.Command(bin, "--quiet", "--record", "all", "--threads", run.threads, "-o", out)
		cmd.Env = append(os.Environ(), "TVBOC_SIMD="+run.simd)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("--threads %s: %v: %s", run.threads, err, msg)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, data)
	}
	for i, run := range runs[1:] {
		if !bytes.Equal(outs[0], outs[i+1]) {
			t.Errorf("--threads %s, TVBOC_SIMD=%s: other bytes than --threads 1", run.threads, run.simd)
		}
	}
	grouped, err := compare.ParseCSV(bytes.NewReader(outs[0]), "grouped")
	if err != nil {
		t.Fatal(err)
	}
	free, err := compare.Load(runBinary(t, compileBrain(t, path, brain.Options{Free: []string{"network.conduction_speed"}}), "--record", "all"), compare.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for c := range free.Cols {
		lo, hi := free.Cols[c][0], free.Cols[c][0]
		for _, v := range free.Cols[c] {
			lo, hi = min(lo, v), max(hi, v)
		}
		for r, v := range free.Cols[c] {
			worst = max(worst, math.Abs(grouped.Cols[c][r]-v)/max(hi-lo, 1e-300))
		}
	}
	t.Logf("two groups against row order: worst difference %.3g of a column's range", worst)
	if worst == 0 || worst > 1e-12 {
		t.Errorf("two groups against row order: %.3g of range, want rounding (0 < d <= 1e-12)", worst)
	}

	tiny, err := filepath.Abs("../../testdata/tvb/tiny")
	if err != nil {
		t.Fatal(err)
	}
	small := filepath.Join(dir, "small.yaml")
	yaml = fmt.Sprintf(`label: small
dynamics: {iri: tvbo:Generic2dOscillator}
network:
  weights: %s/tiny_weights.csv
  lengths: %s/tiny_lengths.csv
  parameters: {conduction_speed: {value: 1.0}}
  coupling:
    c_glob: {iri: tvbo:Linear, parameters: {a: {value: 0.1}}}
integration: {method: heun, step_size: 0.1, duration: 1.0}
`, tiny, tiny)
	if err := os.WriteFile(small, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	if src := compileBrain(t, small, brain.Options{}); groupsOf.Match(src) {
		t.Error("a small network's sums are split into source groups")
	}
}
