package compiler

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/gen"
	"github.com/tvboc/tvboc/gen/build"
)

// FuzzBuild draws small well-formed experiments (a model with
// number_of_nodes, a node list, a population network; every integration
// method; states no rate reads, events, delays; library whole-brain models
// with a parameter override; node lists also as node loops) from the
// fuzzer's bytes and holds tvboc to its promise: what `tvboc check`
// accepts, compile turns into Go source that `go build` accepts. A build
// error is always a tvboc bug. Each input costs one go build (about a
// second), so runs use a small count (make fuzz).
func FuzzBuild(f *testing.F) {
	f.Add([]byte{0, 2, 1, 0})                   // rk4, a state nothing reads
	f.Add([]byte{1, 1, 2, 3, 1, 7})             // node list, heun, an event
	f.Add([]byte{2, 0, 1, 2, 9, 4, 200, 1, 3})  // population with a delay
	f.Add([]byte{2, 0, 2, 5, 1, 255, 255, 255}) // population, larger delay
	f.Add([]byte{3, 2, 0, 0, 1, 0, 3})          // whole-brain, rk4, tau 0
	f.Add([]byte{2, 0, 0, 0, 0, 7, 0, 1, 1})    // population, a comparison as a number
	goCmd, err := build.Options{}.GoCommand()
	if errors.Is(err, build.ErrNoGo) {
		f.Skip("no Go toolchain")
	}
	cache := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		src := drawExperiment(&byteReader{data: data})
		path := filepath.Join(t.TempDir(), "exp.yaml")
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Check(path); err != nil {
			return // refused with a message: allowed
		}
		// every other input rolls its node list into node loops, as a
		// list above gen.NodeLoopMin is
		defer func(v int) { gen.NodeLoopMin = v }(gen.NodeLoopMin)
		if len(data)%2 == 1 {
			gen.NodeLoopMin = 0
		}
		res, err := Compile(path)
		if err != nil {
			t.Fatalf("check accepts, compile refuses: %v\n%s", err, src)
		}
		var stderr strings.Builder
		out := filepath.Join(t.TempDir(), "sim")
		if _, err := build.Build(res.Source, out, build.Options{Go: goCmd, CacheDir: cache, Stderr: &stderr}); err != nil {
			t.Fatalf("check accepts, go build fails: %v\n%s\nexperiment:\n%s", err, stderr.String(), src)
		}
	})
}

// byteReader hands out the fuzzer's bytes as small choices; past the end
// every choice is 0, so any input is an experiment.
type byteReader struct {
	data []byte
	i    int
}

func (r *byteReader) pick(n int) int {
	if r.i >= len(r.data) {
		return 0
	}
	b := r.data[r.i]
	r.i++
	return int(b) % n
}

// drawExperiment writes one experiment of the kind the bytes choose.
func drawExperiment(r *byteReader) string {
	kind := r.pick(4)
	method := []string{"euler", "heun", "rk4"}[r.pick(3)]
	nstates := 1 + r.pick(3)
	var b strings.Builder
	dyn := func(indent string) {
		fmt.Fprintf(&b, "%sparameters:\n%s  a: {value: %g}\n", indent, indent, float64(1+r.pick(5))/4)
		fmt.Fprintf(&b, "%sstate_variables:\n", indent)
		for i := 0; i < nstates; i++ {
			fmt.Fprintf(&b, "%s  s%d: {equation: {rhs: %q}, initial_value: %g}\n", indent, i, drawRate(r, i, nstates), float64(r.pick(3))/2)
		}
		if r.pick(2) == 1 || kind == 2 { // a population edge needs a spiking source
			fmt.Fprintf(&b, "%sevents:\n%s  spike: {condition: \"s0 >= %g\", affect: \"s0 = 0\"}\n", indent, indent, float64(1+r.pick(4))/2)
		}
	}
	b.WriteString("label: fuzz\n")
	if kind == 3 {
		// a whole-brain model of the library on unconnected nodes, one
		// parameter overridden (0 included: a divisor must be refused)
		model := []string{"Generic2dOscillator", "Kuramoto", "JansenRit", "ReducedWongWang"}[r.pick(4)]
		param := map[string]string{"Generic2dOscillator": "tau", "Kuramoto": "omega", "JansenRit": "a", "ReducedWongWang": "w"}[model]
		fmt.Fprintf(&b, "dynamics:\n  iri: tvbo:%s\n  parameters:\n    %s: {value: %g}\n", model, param, float64(r.pick(4))/2)
		fmt.Fprintf(&b, "network: {number_of_nodes: %d}\n", 1+r.pick(3))
		fmt.Fprintf(&b, "integration: {method: %s, step_size: 0.1, duration: %g}\n", method, float64(1+r.pick(20)))
		return b.String()
	}
	switch kind {
	case 0:
		b.WriteString("dynamics:\n  name: M\n")
		dyn("  ")
		fmt.Fprintf(&b, "network: {number_of_nodes: %d}\n", 1+r.pick(3))
	case 1:
		b.WriteString("network:\n  dynamics:\n    M:\n      name: M\n")
		dyn("      ")
		b.WriteString("  nodes:\n")
		for i := 0; i <= r.pick(3); i++ {
			fmt.Fprintf(&b, "    - {id: %d, dynamics: M}\n", i)
		}
	case 2:
		method = "euler"
		b.WriteString("network:\n  dynamics:\n    M:\n")
		dyn("      ")
		fmt.Fprintf(&b, "  nodes:\n    - {id: p, dynamics: M, size: %d}\n    - {id: q, dynamics: M, size: %d}\n", 1+r.pick(4), 1+r.pick(4))
		delay := float64(r.pick(256)*r.pick(256)) / 10
		fmt.Fprintf(&b, "  edges:\n    - {source: p, target: q, connectivity: all_to_all, weight: 0.5, delay: %g, target_variable: s0}\n", delay)
	}
	fmt.Fprintf(&b, "integration: {method: %s, step_size: 0.1, duration: %g, time_scale: ms}\n", method, float64(1+r.pick(20)))
	return b.String()
}

// drawRate writes the rate of state i: a sum of a few terms over the
// parameter, the states and functions, sometimes a constant alone.
func drawRate(r *byteReader, i, n int) string {
	terms := []string{"1", "-a*s%d", "s%d", "a*exp(-s%d)", "sin(s%d)", "Piecewise((1, s%d > 0), (0, True))", "t", "-(s%d > a)"}
	k := 1 + r.pick(3)
	parts := make([]string, k)
	for j := range parts {
		term := terms[r.pick(len(terms))]
		if strings.Contains(term, "%d") {
			term = fmt.Sprintf(term, (i+r.pick(n))%n)
		}
		parts[j] = term
	}
	return strings.Join(parts, " + ")
}
