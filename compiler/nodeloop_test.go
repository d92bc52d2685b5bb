package compiler

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/gen"
	"github.com/tvboc/tvboc/gen/build"
)

// TestNodeLoopsMatchStraightLine compiles node-list experiments twice,
// with every cell in straight-line code (gen.NodeLoopMin < 0) and with
// cells stepped alike rolled into loops over arrays (gen.NodeLoopMin 0,
// as a node list above the threshold is), and holds the two programs to
// the same results, byte for byte, with every column recorded: the loops
// keep the cells' order (a spike reaching a later cell in its step) and
// every operation's operands. It also asserts that the loops are made, so
// that it cannot pass by generating the same program twice.
func TestNodeLoopsMatchStraightLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs 24 programs")
	}
	goCmd, err := build.Options{}.GoCommand()
	if errors.Is(err, build.ErrNoGo) {
		t.Skip("no Go toolchain")
	}
	cases := []struct {
		exp  string
		four bool // run four copies: number_of_nodes 1 becomes 4
	}{
		{exp: "testdata/equations/oscillator/exp.yaml", four: true},  // equations
		{exp: "testdata/equations/iaf_refract/exp.yaml", four: true}, // events, refractory regime
		{exp: "testdata/nodeloops/hh/exp.yaml"},                      // NeuroML HH cells, pulse inputs
		{exp: "testdata/nodeloops/iaf-synapses/exp.yaml"},            // synapses, same-step spikes
		{exp: "testdata/nodeloops/regime/exp.yaml"},                  // regime cells
		{exp: "testdata/nodeloops/iaf-ring/exp.yaml"},                // spikes both ways along a chain
		{exp: "testdata/lems/mass-nodes/exp.yaml"},                   // number_of_nodes copies
		{exp: "testdata/lems/synapses/exp.yaml"},                     // cells unlike each other
		{exp: "testdata/jlems/random-sources/exp.yaml"},              // random draws
		{exp: "testdata/nodeloops/kinetic/exp.yaml"},                 // kinetic schemes (runtime.KineticStep)
		{exp: "many"}, // manyCells, below
		// TVBO's NeuroML examples (../shared/reference), when present
		{exp: "../shared/reference/tvbo/neuroml/Ex12.yaml"},
		{exp: "../shared/reference/tvbo/neuroml/Ex16.yaml"},
	}
	dir := t.TempDir()
	cache := t.TempDir()
	defer func(v int) { gen.NodeLoopMin = v }(gen.NodeLoopMin)
	rolled, derivedRolled := 0, 0
	for _, tc := range cases {
		name := filepath.Base(filepath.Dir(tc.exp))
		src := []byte(manyCells)
		if tc.exp != "many" {
			var err error
			src, err = os.ReadFile(filepath.Join("..", tc.exp))
			if os.IsNotExist(err) && strings.HasPrefix(tc.exp, "../shared/") {
				t.Logf("%s not found (TVBO's examples live next to the repository)", tc.exp)
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(tc.exp, "../shared/") {
				name = strings.TrimSuffix(filepath.Base(tc.exp), ".yaml")
			}
		} else {
			name = "many"
		}
		if tc.four {
			src = bytes.Replace(src, []byte("number_of_nodes: 1\n"), []byte("number_of_nodes: 4\n"), 1)
		}
		path := filepath.Join(dir, name+".yaml")
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) {
			var outs [2][]byte
			for i, min := range []int{-1, 0} {
				gen.NodeLoopMin = min
				res, err := Compile(path)
				if err != nil {
					t.Fatal(err)
				}
				if i == 1 {
					if !bytes.Contains(res.Source, []byte("for i := 0; i <")) {
						t.Logf("no cells stepped alike: nothing rolled")
						return
					}
					rolled++
					if _, d, ok := bytes.Cut(res.Source, []byte("func derivedColumns")); ok && bytes.Contains(d, []byte("for i := 0")) {
						derivedRolled++
					}
				}
				bin := filepath.Join(t.TempDir(), "sim")
				var stderr strings.Builder
				if _, err := build.Build(res.Source, bin, build.Options{Go: goCmd, CacheDir: cache, Stderr: &stderr}); err != nil {
					t.Fatalf("%v\n%s", err, stderr.String())
				}
				out := filepath.Join(t.TempDir(), "out.csv")
				if msg, err := exec.Command(bin, "-o", out, "--quiet", "--record", "all").CombinedOutput(); err != nil {
					t.Fatalf("%v: %s", err, msg)
				}
				if outs[i], err = os.ReadFile(out); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(outs[0], outs[1]) {
				t.Errorf("the node loops' results differ from the straight-line program's")
			}
		})
	}
	if rolled < 9 || derivedRolled < 2 {
		t.Errorf("only %d experiments made node loops, %d of them for derived columns", rolled, derivedRolled)
	}
}

// manyCells is a node list of 300 copies of a model with an event, a
// Piecewise, per-node inputs on edges and a derived variable.
const manyCells = `label: many cells
dynamics:
  name: M
  parameters:
    a: {value: 0.7}
  state_variables:
    x: {equation: {rhs: "-a*x + sin(t) + 0.1"}, initial_value: 0.5}
    y: {equation: {rhs: "Piecewise((x - y, x > 0.6), (0.2*y, True))"}, initial_value: 0.1}
  events:
    reset: {condition: {rhs: "x > 0.9"}, affect: {rhs: "x = 0.2"}}
network: {number_of_nodes: 300}
integration: {method: rk4, step_size: 0.01, duration: 5.0, time_scale: ms}
`
