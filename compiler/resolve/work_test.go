package resolve

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/load"
)

// TestNodeListWork: a node list whose node-by-node lowering would need
// more than limits.MaxNodeListBytes is refused at number_of_nodes (or at
// the network), with the estimate and the way out; the same model with
// fewer nodes, or a small model with many, resolves.
func TestNodeListWork(t *testing.T) {
	// a rate of 251 terms: -x*(1 + -x*(1 + ...)) fifty levels deep
	rate := "x"
	for range 50 {
		rate = "-x*(1 + " + rate + ")"
	}
	tests := []struct {
		name, method string
		nodes        int
		rate         string
		want         string // "" when it resolves
	}{
		{"big type, many nodes", "euler", 30000, rate, "m.yaml:7:20: the node list's 30,000 nodes"},
		{"big type, rk4 weighs its stages", "rk4", 12000, rate, "would take about 7.79 GB of memory"},
		{"big type, the same nodes with euler", "euler", 12000, rate, ""},
		{"small type, the most nodes", "heun", 100000, "-x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fmt.Sprintf(`dynamics:
  name: m
  parameters: {a: 1}
  state_variables:
    x: {equation: {rhs: %q}, initial_value: 0.5}
network:
  number_of_nodes: %d
integration: {method: %s, step_size: 0.1, duration: 1, time_scale: ms}
`, tt.rate, tt.nodes, tt.method)
			exp, err := load.Experiment("m.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Resolve(exp)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("got %v, want %q", err, tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), "use a population"):
				t.Fatalf("no way out in %v", err)
			}
		})
	}
}
