package lower

import (
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/resolve"
)

// jLEMS's random numbers. jLEMS draws LEMS's random(x) as x times
// nextDouble() of one java.util.Random for the whole run, seeded with the
// Simulation's seed (1234 without one); reproducing jLEMS, a program does
// the same (runtime.JRand), drawing in jLEMS's order: during the run, in
// the order it steps cells and their inputs, which the kernel follows;
// before the run, in the order jLEMS initializes its instance tree, which
// initDraws replays.

// javaSeed is the seed jLEMS seeds its generator with for m: the
// experiment's seed (tvboc renders it as the Simulation's seed), else
// jLEMS's default 1234.
func javaSeed(m *resolve.Model) *int64 {
	s := int64(1234)
	if m.SeedSet {
		s = int64(m.Seed)
	}
	return &s
}

// drawsRandom reports whether a node of t draws random numbers, at the
// start or in an event.
func drawsRandom(t *resolve.Type) bool {
	for _, s := range t.States {
		if s.Initial != nil && usesRandom(s.Initial) {
			return true
		}
	}
	for _, ev := range t.Events {
		for _, a := range ev.Assign {
			if usesRandom(a.Value) {
				return true
			}
		}
	}
	return false
}

// countRandom counts the random() calls of an expression.
func countRandom(n expr.Node) int {
	c := 0
	expr.Rewrite(n, func(x expr.Node) expr.Node {
		if call, ok := x.(*expr.Call); ok && call.Func == "random" {
			c++
		}
		return x
	})
	return c
}

// initDraws replays how jLEMS initializes the network's instance tree and
// returns, for every node whose initial values draw random numbers, the
// index of its first draw in the last run of its OnStart (the one whose
// values stay), and the number of draws in all.
//
// StateInstance.initialize runs the instance's OnStart, initializes every
// child, runs OnStart again, initializes every child again, and runs
// OnStart a third time; every run draws anew. The tree is the network,
// its populations in order, their cells by index, each one level further
// down than its population's member (measured on NeuroML Ex16 and Ex23: a
// population's Poisson cell draws 6 times, and an input attached to a
// cell 12 times, per initialization of the population's member), and
// under each cell the inputs attached to it.
func initDraws(m *resolve.Model) (map[*resolve.Node]int, int) {
	own := map[*resolve.Node]int{}
	attached := map[*resolve.Node][]*resolve.Node{}
	for _, n := range m.Nodes {
		if n.Type.Kind != resolve.Cell {
			continue
		}
		for _, s := range n.Type.States {
			if s.Initial != nil {
				own[n] += countRandom(s.Initial)
			}
		}
		if n.Host != nil {
			attached[n.Host] = append(attached[n.Host], n)
		}
	}
	last := map[*resolve.Node]int{}
	count := 0
	run := func(n *resolve.Node) {
		if r := own[n]; r > 0 {
			last[n] = count
			count += r
		}
	}
	// init initializes an instance that runs self's OnStart (nil: none)
	// and has the given children.
	var init func(self *resolve.Node, children func())
	init = func(self *resolve.Node, children func()) {
		run(self)
		children()
		run(self)
		children()
		run(self)
	}
	cell := func(c *resolve.Node) {
		init(nil, func() {
			init(c, func() {
				for _, in := range attached[c] {
					init(in, func() {})
				}
			})
		})
	}
	init(nil, func() {
		for _, p := range m.Populations {
			if len(p.Nodes) == 0 || p.Nodes[0].Host != nil || p.Type.Kind != resolve.Cell {
				continue
			}
			init(nil, func() {
				for _, c := range p.Nodes {
					cell(c)
				}
			})
		}
	})
	return last, count
}

// numberDraws rewrites every random(x) of an initial value of a node
// whose draws initDraws placed into random(x, i), i its draw.
func numberDraws(init expr.Node, next *int) expr.Node {
	return expr.Rewrite(init, func(x expr.Node) expr.Node {
		call, ok := x.(*expr.Call)
		if !ok || call.Func != "random" {
			return x
		}
		var scale expr.Node = num(1)
		if len(call.Args) == 1 {
			scale = call.Args[0]
		}
		i := *next
		*next++
		return &expr.Call{P: call.P, Func: "random", Args: []expr.Node{scale, num(float64(i))}}
	})
}
