package brain_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/brain"
	"github.com/tvboc/tvboc/gen/build"
)

// TestThreadsIdentical runs whole-brain programs with 1 to 5 workers
// (--threads; the 4-node tiny connectome splits unevenly, 5 is capped at
// 4) and checks the output files are byte for byte the same: with
// delays and without, noise, per-stage coupling, stored pre-values,
// float32 coupling, a transient with averaged rows.
func TestThreadsIdentical(t *testing.T) {
	tiny, err := filepath.Abs("../../testdata/tvb/tiny")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, model, coupling, integration string
		float32                            bool
	}{
		{"kuramoto_delays_noise", "Kuramoto", "iri: tvbo:Kuramoto, parameters: {a: {value: 0.5}}, delayed: true",
			"method: heun_stochastic, step_size: 0.1, duration: 30.0, noise: {noise_type: gaussian, parameters: {sigma: 0.05}, seed: 5}", false},
		{"difference_noise", "Generic2dOscillator", "iri: tvbo:Difference, parameters: {a: {value: 0.1}}, delayed: false",
			"method: heun_stochastic, step_size: 0.1, duration: 30.0, noise: {noise_type: gaussian, parameters: {sigma: 0.05}, seed: 5}", false},
		{"kuramoto_per_stage", "Kuramoto", "iri: tvbo:Kuramoto, parameters: {a: {value: 0.5}}, delayed: false, coupling_evaluation: per_stage",
			"method: rk4, step_size: 0.1, duration: 30.0", false},
		{"tanh_delays_per_stage", "Generic2dOscillator", "iri: tvbo:HyperbolicTangent, parameters: {a: {value: 0.1}, b: {value: 1.0}}, delayed: true, coupling_evaluation: per_stage",
			"method: heun, step_size: 0.1, duration: 30.0", false},
		{"sigmoid_no_delays", "Generic2dOscillator", "iri: tvbo:HyperbolicTangent, parameters: {a: {value: 0.1}, b: {value: 1.0}}, delayed: false",
			"method: euler, step_size: 0.1, duration: 30.0", false},
		// conduction at 10 mm/ms: delays of 4 to 25 steps, some shorter
		// than a block of summed steps (16), some longer
		{"kuramoto_short_and_long_delays", "Kuramoto", "iri: tvbo:Kuramoto, parameters: {a: {value: 0.5}}, delayed: true",
			"method: heun, step_size: 0.1, duration: 30.0", false},
		{"kuramoto_float32", "Kuramoto", "iri: tvbo:Kuramoto, parameters: {a: {value: 0.5}}, delayed: true",
			"method: heun, step_size: 0.1, duration: 30.0", true},
		{"linear_float32_no_delays", "Generic2dOscillator", "iri: tvbo:Linear, parameters: {a: {value: 0.1}}, delayed: false",
			"method: heun, step_size: 0.1, duration: 30.0", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			speed := "1.0"
			if strings.Contains(tc.name, "short") {
				speed = "10.0"
			}
			yaml := fmt.Sprintf(`label: %s
dynamics: {iri: tvbo:%s}
network:
  weights: %s/tiny_weights.csv
  lengths: %s/tiny_lengths.csv
  parameters: {conduction_speed: {value: %s}}
  coupling:
    c_glob: {%s}
integration: {%s, transient_time: 5.0}
observations:
  avg: {period: 0.5, average: true}
`, tc.name, tc.model, tiny, tiny, speed, tc.coupling, tc.integration)
			path := filepath.Join(dir, "exp.yaml")
			if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			bin := filepath.Join(dir, "sim")
			if _, err := build.Build(compileBrain(t, path, brain.Options{Float32: tc.float32}), bin, build.Options{CacheDir: "off", Stderr: os.Stderr}); err != nil {
				if err == build.ErrNoGo {
					t.Skip(err)
				}
				t.Fatal(err)
			}
			var first []byte
			for threads := 1; threads <= 5; threads++ {
				out := filepath.Join(dir, fmt.Sprintf("out%d.csv", threads))
				if msg, err := exec.Command(bin, "-o", out, "--quiet", "--record", "all", "--threads", fmt.Sprint(threads)).CombinedOutput(); err != nil {
					t.Fatalf("--threads %d: %v\n%s", threads, err, msg)
				}
				data, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				if threads == 1 {
					first = data
					if len(bytes.Split(data, []byte("\n"))) < 40 {
						t.Fatalf("only %d lines of output", len(bytes.Split(data, []byte("\n"))))
					}
					continue
				}
				if !bytes.Equal(data, first) {
					t.Errorf("--threads %d writes a different file than --threads 1", threads)
				}
			}
		})
	}
}
