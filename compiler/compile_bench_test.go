package compiler

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkCompileNodeList compiles (YAML to Go source, no go build) node
// lists of growing size. The time per node should stay flat: lowering
// once matched every state of every node for each node, and a
// 100,000-node list took more than ten minutes to compile.
func BenchmarkCompileNodeList(b *testing.B) {
	for _, nodes := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("nodes=%d", nodes), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "exp.yaml")
			src := fmt.Sprintf(`label: many
dynamics:
  name: M
  parameters:
    a: {value: 1.0}
  state_variables:
    x: {equation: {rhs: "-a*x + sin(t)"}, initial_value: 1.0}
    y: {equation: {rhs: "x - y"}, initial_value: 0.5}
network: {number_of_nodes: %d}
integration: {method: heun, step_size: 0.01, duration: 1.0, time_scale: ms}
`, nodes)
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := Compile(path); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(nodes), "ns/node")
		})
	}
}
