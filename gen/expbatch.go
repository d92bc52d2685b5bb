package gen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// Batched exp calls. A cell's step calls exp for most of its gates' rates
// (Ex15's granule cell: twenty calls a step, a fifth of its time), each
// call a scalar function of about 12 ns whose argument does not depend on
// the others. batchExps reschedules every run of temporaries (Lets) of a
// block so that exp calls whose arguments are ready are computed four at
// a time (ir.Exps, see batchRun): runtime.Exp4, one vector exp that is
// math.Exp bit for bit, when VecOn, and four math.Exp otherwise. The Lets
// are pure and the arguments the same expressions, evaluated earlier, so
// every value is the one the unbatched code computes.

// batchExps rewrites a block (and the blocks inside it) with batched exp
// calls; next numbers the batches of the program.
func batchExps(stmts []ir.Stmt, next *int) []ir.Stmt {
	var out []ir.Stmt
	run := []*ir.Let{}
	flush := func() {
		out = append(out, batchRun(run, next)...)
		run = run[:0]
	}
	for _, s := range stmts {
		switch x := s.(type) {
		case *ir.Let:
			run = append(run, x)
			continue
		case *ir.If:
			s = &ir.If{Cond: x.Cond, Then: batchExps(x.Then, next)}
		case *ir.Loop:
			s = &ir.Loop{N: x.N, Body: batchExps(x.Body, next)}
		}
		// anything else may change a variable an argument reads: a run
		// ends there
		flush()
		out = append(out, s)
	}
	flush()
	return out
}

// batchRun batches the exp calls of one run of Lets. The Lets are pure,
// so any order that computes a name before it is read gives the same
// values: the run is rescheduled as a list, each pass writing, in the
// run's order, every Let whose names and exp calls are ready, and when
// none is left that can be written, the exp calls whose arguments are
// ready are computed four at a time (a call alone stays inline). A run
// that draws random numbers keeps its order (the draws are a sequence).
func batchRun(run []*ir.Let, next *int) []ir.Stmt {
	out := make([]ir.Stmt, 0, len(run))
	if len(run) < 2 || drawsRandom(run) {
		for _, l := range run {
			out = append(out, l)
		}
		return out
	}
	index := map[string]int{}
	for i, l := range run {
		index[l.Name] = i
	}
	// reads[i]: the Lets of the run that Let i reads
	reads := make([][]int, len(run))
	for i, l := range run {
		for id := range identsOf(l.Value) {
			if d, ok := index[id]; ok && d != i {
				reads[i] = append(reads[i], d)
			}
		}
	}
	// calls[i]: Let i's innermost exp calls, once per text
	key := func(i int, c *expr.Call) string { return fmt.Sprint(i, "|", c) }
	type call struct {
		key   string
		arg   expr.Node
		reads []int
	}
	calls := make([][]call, len(run))
	for i, l := range run {
		if c, ok := l.Value.(*expr.Call); ok && c.Func == "Piecewise" {
			continue // an if-chain: its branches run only when chosen
		}
		seen := map[string]bool{}
		expr.Inspect(l.Value, func(n expr.Node) bool {
			c, ok := n.(*expr.Call)
			if !ok || c.Func != "exp" || len(c.Args) != 1 {
				return true
			}
			inner := false
			expr.Inspect(c.Args[0], func(m expr.Node) bool {
				if k, ok := m.(*expr.Call); ok && k.Func == "exp" {
					inner = true
				}
				return !inner
			})
			if inner || seen[key(i, c)] {
				return true // the inner exp is the candidate
			}
			seen[key(i, c)] = true
			var r []int
			for id := range identsOf(c.Args[0]) {
				if d, ok := index[id]; ok {
					r = append(r, d)
				}
			}
			calls[i] = append(calls[i], call{key(i, c), c.Args[0], r})
			return false
		})
	}
	written := make([]bool, len(run))
	done := map[string]bool{}     // calls computed (batched or left inline)
	rename := map[string]string{} // batched calls: their names
	all := func(is []int) bool {
		for _, d := range is {
			if !written[d] {
				return false
			}
		}
		return true
	}
	left := len(run)
	for left > 0 {
		for i, l := range run {
			if written[i] || !all(reads[i]) {
				continue
			}
			ready := true
			for _, c := range calls[i] {
				ready = ready && done[c.key]
			}
			if ready {
				written[i] = true
				left--
				out = append(out, &ir.Let{Name: l.Name, Value: renameExps(i, l.Value, rename, key)})
			}
		}
		if left == 0 {
			break
		}
		var group []call
		for i := range run {
			if written[i] {
				continue
			}
			for _, c := range calls[i] {
				if !done[c.key] && all(c.reads) {
					group = append(group, c)
				}
			}
		}
		if len(group) == 1 {
			done[group[0].key] = true // alone: stays a call in its Let
			continue
		}
		// fours, and a last group of two or three; a last one alone
		// waits for the calls the next Lets make ready
		for len(group) >= 2 {
			g := group[:min(4, len(group))]
			group = group[len(g):]
			b := &ir.Exps{}
			for k, c := range g {
				name := fmt.Sprintf("expb%d_%d", *next, k)
				b.Names = append(b.Names, name)
				b.Args = append(b.Args, c.arg)
				rename[c.key] = name
				done[c.key] = true
			}
			*next++
			out = append(out, b)
		}
	}
	return out
}

// renameExps replaces Let i's batched exp calls by their names.
func renameExps(i int, v expr.Node, rename map[string]string, key func(int, *expr.Call) string) expr.Node {
	if len(rename) == 0 {
		return v
	}
	return expr.Rewrite(v, func(n expr.Node) expr.Node {
		if c, ok := n.(*expr.Call); ok && c.Func == "exp" {
			if name, ok := rename[key(i, c)]; ok {
				return &expr.Ident{P: c.P, Name: name}
			}
		}
		return n
	})
}

// drawsRandom reports whether a run of Lets draws random numbers.
func drawsRandom(run []*ir.Let) bool {
	draws := false
	for _, l := range run {
		expr.Inspect(l.Value, func(n expr.Node) bool {
			if c, ok := n.(*expr.Call); ok && (c.Func == "random" || c.Func == "normal") {
				draws = true
			}
			return !draws
		})
	}
	return draws
}

// exps writes a batch: with VecOn one runtime.Exp4 (the missing lanes
// computing exp(0)), else one math.Exp per name.
func (g *generator) exps(x *ir.Exps) ([]jen.Code, error) {
	var names, args, scalar []jen.Code
	for i, a := range x.Args {
		v, err := g.w.expr(a)
		if err != nil {
			return nil, err
		}
		names = append(names, jen.Id(x.Names[i]))
		args = append(args, v)
		scalar = append(scalar, jen.Qual("math", "Exp").Call(v.Clone()))
	}
	g.w.usesMath = true
	lanes := append([]jen.Code{}, names...)
	for len(args) < 4 {
		args = append(args, jen.Lit(0.0))
		lanes = append(lanes, jen.Id("_"))
	}
	return []jen.Code{
		jen.Var().List(names...).Float64(),
		jen.If(jen.Qual(RuntimePath, "VecOn")).Block(
			jen.List(lanes...).Op("=").Qual(RuntimePath, "Exp4").Call(args...),
		).Else().Block(
			jen.List(names...).Op("=").List(scalar...),
		),
	}, nil
}
