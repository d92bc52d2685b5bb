package brain_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/brain"
	"github.com/tvboc/tvboc/gen/build"
)

// hasAVX2 reports whether the CPU runs the vector loops (Linux's
// /proc/cpuinfo; elsewhere the test cannot tell and skips).
func hasAVX2() bool {
	info, err := os.ReadFile("/proc/cpuinfo")
	return err == nil && bytes.Contains(info, []byte(" avx2"))
}

// TestVectorLoopsAreScalar builds every library model with its coupling
// on a 7-node network (one whole four and a tail of three in each loop;
// delays of 17 to 150 steps, most summed in blocks) and runs each binary
// with its vector loops and with TVBOC_SIMD=off: the files must be byte
// for byte the same, and the programs with a node step, pre-values,
// target parts, post-expressions, dense sums (the network is 70% full) or
// blocked sums the runtime can take four at a time must have vector loops.
func TestVectorLoopsAreScalar(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs binaries")
	}
	if !hasAVX2() {
		t.Skip("no AVX2 here (or not Linux): the vector loops do not run")
	}
	r := rand.New(rand.NewPCG(3, 4))
	weights, lengths := writeMatrices(t, t.TempDir(), 7, func(i, j int) (float64, float64) {
		if i != j && r.Float64() < 0.7 {
			return r.Float64(), 5 + 40*r.Float64()
		}
		return 0, 0
	})
	heun := "method: heun, step_size: 0.1, duration: 100.0"
	cases := []struct {
		model, coupling, integration string
		vector                       bool     // some loop has a vector form
		free                         []string // free parameters (a sweep binary, run with --set)
		speed                        string   // conduction speed (default 3: delays of 17 to 150 steps)
		looped                       bool     // the blocked sums are a loop over four steps at a time
	}{
		{"Generic2dOscillator", "c_glob: {iri: tvbo:Sigmoidal, incoming_states: [V], delayed: true}", heun, true, nil, "", false},
		{"Generic2dOscillator", "c_glob: {iri: tvbo:Sigmoidal, incoming_states: [V], delayed: false}", heun, true, nil, "", false},
		{"Generic2dOscillator", "c_glob: {iri: tvbo:HyperbolicTangent, parameters: {a: {value: 1.0}, b: {value: 1.0}}, incoming_states: [V], delayed: false}", heun, true, nil, "", false},
		{"Kuramoto", "c_glob: {iri: tvbo:Kuramoto, parameters: {a: {value: 0.5}}, incoming_states: [theta], delayed: true}", heun, true, nil, "", false},
		// delays of 50 to 450 steps: blocks of 32, two sums of 32 steps
		// each, more lanes than blockStart writes out
		{"Kuramoto", "c_glob: {iri: tvbo:Kuramoto, parameters: {a: {value: 0.5}}, incoming_states: [theta], delayed: true}", heun, true, nil, "1.0", true},
		{"Kuramoto", "c_glob: {iri: tvbo:Kuramoto, parameters: {a: {value: 0.5}}, incoming_states: [theta], delayed: false, coupling_evaluation: per_stage}",
			"method: rk4, step_size: 0.1, duration: 20.0", true, nil, "", false},
		{"Kuramoto", "c_glob: {iri: tvbo:Kuramoto, parameters: {a: {value: 0.5}}, incoming_states: [theta], delayed: false}",
			"method: heun_stochastic, step_size: 0.1, duration: 20.0, noise: {noise_type: gaussian, parameters: {sigma: 0.05}, seed: 5}", true, nil, "", false},
		{"JansenRit", "c_glob: {iri: tvbo:SigmoidalJansenRit, incoming_states: [y1, y2], delayed: true}", heun, true, nil, "", false},
		// Epileptor's node step has conditions (no vector form): without
		// delays only the dense sums are vectors, with delays the blocked
		// sums
		{"Epileptor", "c_pop1: {iri: tvbo:Difference, parameters: {a: {value: 0.001}}, incoming_states: [x1], delayed: false}\n    c_pop2: {iri: tvbo:Difference, parameters: {a: {value: 0.001}}, incoming_states: [x2], delayed: false}", heun, true, nil, "", false},
		{"Epileptor", "c_pop1: {iri: tvbo:Difference, parameters: {a: {value: 0.001}}, incoming_states: [x1], delayed: true}\n    c_pop2: {iri: tvbo:Difference, parameters: {a: {value: 0.001}}, incoming_states: [x2], delayed: true}", heun, true, nil, "", false},
		{"Generic2dOscillator", "c_glob: {iri: tvbo:Linear, parameters: {a: {value: 0.1}}, incoming_states: [V], delayed: true}", heun, true, nil, "", false},
		{"Hopfield", "c_glob: {iri: tvbo:Linear, parameters: {a: {value: 0.01}}, incoming_states: [x]}", heun, true, nil, "", false},
		{"LarterBreakspear", "c_glob: {iri: tvbo:HyperbolicTangent, parameters: {a: {value: 0.5}}, incoming_states: [V], delayed: true}", heun, true, nil, "", false},
		{"MontbrioPazoRoxin", "c_glob0: {iri: tvbo:Linear, parameters: {a: {value: 0.01}}, incoming_states: [r]}\n    c_glob1: {iri: tvbo:Linear, parameters: {a: {value: 0.01}}, incoming_states: [V]}", heun, true, nil, "", false},
		{"ReducedWongWang", "c_pop0: {iri: tvbo:Linear, parameters: {a: {value: 0.01}}, incoming_states: [S]}", heun, true, nil, "", false},
		// free parameters in the node step: broadcast in the vector loop
		{"ReducedWongWang", "c_pop0: {iri: tvbo:Linear, parameters: {a: {value: 0.01}}, incoming_states: [S]}", heun, true, []string{"ReducedWongWang.J_N", "ReducedWongWang.w"}, "", false},
		{"ReducedWongWangExcInh", "c_glob: {iri: tvbo:Linear, parameters: {a: {value: 0.01}}, incoming_states: [S_e], delayed: true}", heun, true, nil, "", false},
		{"SupHopf", "c_glob0: {iri: tvbo:Difference, parameters: {a: {value: 0.01}}, incoming_states: [x]}\n    c_glob1: {iri: tvbo:Difference, parameters: {a: {value: 0.01}}, incoming_states: [y]}", heun, true, nil, "", false},
		{"WilsonCowan", "c_glob: {iri: tvbo:Linear, parameters: {a: {value: 0.01}}, incoming_states: [E]}", heun, true, nil, "", false},
	}
	for _, tc := range cases {
		name := tc.model + "_" + strings.SplitN(strings.SplitN(tc.coupling, "tvbo:", 2)[1], ",", 2)[0] + "_" + strings.SplitN(tc.integration, ",", 2)[0][8:]
		if strings.Contains(tc.coupling, "delayed: true") {
			name += "_delays"
		}
		if tc.free != nil {
			name += "_free"
		}
		speed := "3.0"
		if tc.speed != "" {
			speed = tc.speed
			name += "_speed" + speed
		}
		t.Run(name, func(t *testing.T) {
			yaml := fmt.Sprintf(`label: %s
dynamics: {iri: tvbo:%s}
network:
  weights: %s
  lengths: %s
  parameters: {conduction_speed: {value: %s}}
  coupling:
    %s
integration: {%s}
`, name, tc.model, weights, lengths, speed, tc.coupling, tc.integration)
			path := filepath.Join(t.TempDir(), "exp.yaml")
			if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			src := compileBrain(t, path, brain.Options{Free: tc.free})
			if got := bytes.Contains(src, []byte("rt.VecOn")); got != tc.vector {
				t.Fatalf("vector loop in the generated file: %v, want %v", got, tc.vector)
			}
			if got := bytes.Contains(src, []byte("for q := 0; q+4 <= block; q += 4 {")); got != tc.looped {
				t.Fatalf("blocked sums in a loop: %v, want %v", got, tc.looped)
			}
			if tc.free != nil && !bytes.Contains(src, []byte("rt.VecConst(fp0)")) {
				t.Fatal("the node step's free parameter is not broadcast: no vector node loop")
			}
			bin := filepath.Join(filepath.Dir(path), "sim")
			if _, err := build.Build(src, bin, build.Options{CacheDir: "off", Stderr: os.Stderr}); err != nil {
				if err == build.ErrNoGo {
					t.Skip(err)
				}
				t.Fatal(err)
			}
			var files [2][]byte
			for k, simd := range []string{"on", "off"} {
				out := filepath.Join(filepath.Dir(path), simd+".csv")
				args := []string{"-o", out, "--quiet", "--allow-nonfinite"}
				if tc.free != nil {
					args = append(args, "--set", "ReducedWongWang.w=0.8")
				} else {
					args = append(args, "--record", "all")
				}
				cmd := exec.Command(bin, args...)
				cmd.Env = append(os.Environ(), "TVBOC_SIMD="+simd)
				if msg, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("TVBOC_SIMD=%s: %v\n%s", simd, err, msg)
				}
				data, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				files[k] = data
			}
			if len(bytes.Split(files[0], []byte("\n"))) < 100 && tc.free == nil {
				t.Fatalf("only %d lines of output", len(bytes.Split(files[0], []byte("\n"))))
			}
			if !bytes.Equal(files[0], files[1]) {
				t.Error("the vector loops write a different file than the scalar ones (TVBOC_SIMD=off)")
			}
		})
	}
}

// writeMatrices writes an n x n connectome into dir, weights and tract
// lengths as CSV, cell (i, j) from cell called row by row, and returns
// the two paths.
func writeMatrices(t *testing.T, dir string, n int, cell func(i, j int) (w, l float64)) (weights, lengths string) {
	t.Helper()
	var w, l strings.Builder
	for i := range n {
		for j := range n {
			sep := ","
			if j == n-1 {
				sep = "\n"
			}
			wij, lij := cell(i, j)
			fmt.Fprintf(&w, "%g%s", wij, sep)
			fmt.Fprintf(&l, "%g%s", lij, sep)
		}
	}
	weights, lengths = filepath.Join(dir, "w.csv"), filepath.Join(dir, "l.csv")
	if err := os.WriteFile(weights, []byte(w.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lengths, []byte(l.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return weights, lengths
}
