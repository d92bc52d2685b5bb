package resolve

import (
	"strings"
	"testing"
)

// TestSeedSources checks where the experiment's seed comes from:
// integration.parameters.seed, execution.random_seed, both when they agree.
func TestSeedSources(t *testing.T) {
	const integration = "integration: {method: euler, step_size: 0.01, duration: 10, time_scale: ms"
	tests := []struct {
		name, integration, execution string
		want                         uint64
		err                          string
	}{
		{"none", integration + "}", "", 0, ""},
		{"integration", integration + ", parameters: {seed: {value: 7}}}", "", 7, ""},
		{"execution", integration + "}", "execution: {random_seed: 42, n_workers: 4}", 42, ""},
		{"both agree", integration + ", parameters: {seed: {value: 5}}}", "execution: {random_seed: 5}", 5, ""},
		{"both disagree", integration + ", parameters: {seed: {value: 5}}}", "execution: {random_seed: 6}", 0,
			"execution.random_seed 6 disagrees with integration seed 5"},
		{"not whole", integration + "}", "execution: {random_seed: 1.5}", 0, "execution.random_seed must be a whole number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(nmda, "integration: {method: euler, step_size: 0.01, duration: 10, time_scale: ms}", tc.integration+"\n"+tc.execution, 1)
			m, err := resolveText(t, src)
			switch {
			case tc.err != "":
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("error %v, want %q", err, tc.err)
				}
			case err != nil:
				t.Fatal(err)
			case m.Seed != tc.want:
				t.Errorf("seed %d, want %d", m.Seed, tc.want)
			}
		})
	}
}
