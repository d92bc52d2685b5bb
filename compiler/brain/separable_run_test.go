package brain_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/brain"
)

// TestSeparableRuns runs experiments whose coupling the separable pass
// takes apart, once so and once evaluating the pre-expression per edge
// (Options.PerEdge), on the 4-node tiny connectome with and without
// delays, per step and per stage, and checks the two traces agree to
// rounding: within 1e-10 of each trace's range over 50 ms (Kuramoto
// phases grow, and the difference with them).
func TestSeparableRuns(t *testing.T) {
	tiny, err := filepath.Abs("../../testdata/tvb/tiny")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, model, coupling string
		delayed               bool
		method, evaluation    string
	}{
		{"difference_g2d_noise", "Generic2dOscillator", "iri: tvbo:Difference, parameters: {a: {value: 0.1}}", false, "heun_stochastic", "per_step"},
		{"difference_g2d_delays", "Generic2dOscillator", "iri: tvbo:Difference, parameters: {a: {value: 0.1}}", true, "heun", "per_step"},
		{"kuramoto_delays", "Kuramoto", "iri: tvbo:Kuramoto, parameters: {a: {value: 0.5}}", true, "heun", "per_step"},
		// 10 mm/ms: delays of 4 to 25 steps, summed per step and a block (16) at a time
		{"kuramoto_short_and_long_delays", "Kuramoto", "iri: tvbo:Kuramoto, parameters: {a: {value: 0.5}}", true, "heun", "per_step"},
		{"kuramoto_per_stage", "Kuramoto", "iri: tvbo:Kuramoto, parameters: {a: {value: 0.5}}", false, "rk4", "per_stage"},
		{"kuramoto_delays_per_stage", "Kuramoto", "iri: tvbo:Kuramoto, parameters: {a: {value: 0.5}}", true, "heun", "per_stage"},
		{"tanh_g2d_delays", "Generic2dOscillator", "iri: tvbo:HyperbolicTangent, parameters: {a: {value: 0.1}, b: {value: 1.0}}", true, "euler", "per_step"},
		{"user_cos", "Kuramoto", `pre_expression: {rhs: "sin(x_i) * cos(2*x_j - x_i) + sin(x_j)/2"}, post_expression: {rhs: "0.3*gx"}`, true, "heun", "per_step"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			speed := "1.0"
			if strings.Contains(tc.name, "short") {
				speed = "10.0"
			}
			noise := ""
			if strings.HasSuffix(tc.method, "_stochastic") {
				// nodes from the same initial state stay equal without it
				noise = ", noise: {noise_type: gaussian, parameters: {sigma: 0.01}, seed: 3}"
			}
			yaml := fmt.Sprintf(`label: %s
dynamics: {iri: tvbo:%s}
network:
  weights: %s/tiny_weights.csv
  lengths: %s/tiny_lengths.csv
  parameters: {conduction_speed: {value: %s}}
  coupling:
    c_glob: {%s, delayed: %v, coupling_evaluation: %s}
integration: {method: %s, step_size: 0.1, duration: 50.0%s}
`, tc.name, tc.model, tiny, tiny, speed, tc.coupling, tc.delayed, tc.evaluation, tc.method, noise)
			path := filepath.Join(t.TempDir(), "exp.yaml")
			if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			sep := runCase(t, path, brain.Options{}, "--record", "all")
			edge := runCase(t, path, brain.Options{PerEdge: true}, "--record", "all")
			worst := 0.0
			for c, name := range sep.Names {
				lo, hi := math.Inf(1), math.Inf(-1)
				for _, v := range edge.Cols[c] {
					lo, hi = min(lo, v), max(hi, v)
				}
				for k, v := range sep.Cols[c] {
					d := math.Abs(v-edge.Cols[c][k]) / max(hi-lo, 1e-300)
					if !(d <= 1e-10) {
						t.Fatalf("%s at row %d: %.17g separable, %.17g per edge (%.3g of the range)", name, k, v, edge.Cols[c][k], d)
					}
					worst = max(worst, d)
				}
			}
			t.Logf("worst difference %.3g of the range", worst)
		})
	}
}
