package gen

import (
	"fmt"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// noiseDeviate is the name a held variable's normal() draw is renamed to
// in the batched redraw; it is no model name (those cannot start with _).
const noiseDeviate = "_deviate"

// batchedNoise reports whether the network's held variables can be
// redrawn in two phases: the uniforms of all the deviates of a redraw are
// taken from the stream in its order (runtime.NormalsAhead: every worker
// draws a stretch of it, a period ahead), then every worker computes its
// own cells' deviates and held values (the logarithms, in parallel). That
// gives the same numbers as the serial redraw when the only draws are
// normal() calls, one per cell of a population at most, all held
// variables share one period (so every redraw draws the same deviates in
// the same order), and no held variable reads another (the per-worker
// pass evaluates them in place). Anything else keeps the serial redraw.
func batchedNoise(p *ir.PopNet) bool {
	period := 0
	for _, pop := range p.Pops {
		held := map[string]bool{}
		for _, h := range pop.Held {
			held[h.Name] = true
		}
		drawing := 0
		for _, h := range pop.Held {
			if period == 0 {
				period = h.Period
			}
			if h.Period != period {
				return false
			}
			normals, other := 0, false
			expr.Inspect(h.Value, func(n expr.Node) bool {
				switch n := n.(type) {
				case *expr.Call:
					switch n.Func {
					case "normal":
						normals++
					case "random", "Piecewise":
						other = true
					}
				case *expr.Tuple:
					other = true // a condition could skip a draw
				case *expr.Ident:
					other = other || held[n.Name]
				}
				return true
			})
			if other || normals > 1 {
				return false
			}
			drawing += normals
		}
		if drawing > 1 {
			return false
		}
	}
	return period > 0
}

// drawsNormal reports whether a held variable's value draws.
func drawsNormal(h ir.PopHeld) bool {
	found := false
	expr.Inspect(h.Value, func(n expr.Node) bool {
		if c, ok := n.(*expr.Call); ok && c.Func == "normal" {
			found = true
		}
		return !found
	})
	return found
}

// redrawBatched writes the two phases of the batched redraw (see
// batchedNoise): redraw(k, w), every worker's share of the drawing at
// every step (or, when no held variable draws, a barrier before each
// redraw), and held(k, w), run by every worker at a redraw step for its
// own blocks.
func (g *popGen) redrawBatched() {
	period := 0
	total, bases := "", map[*ir.Pop]string{}
	for _, pop := range g.p.Pops {
		for _, h := range pop.Held {
			period = h.Period
			if drawsNormal(h) {
				bases[pop] = total
				if total != "" {
					total += "+"
				}
				total += size(pop)
			}
		}
	}
	if total != "" {
		g.noiseAhead = fmt.Sprintf("\n\tnoise = runtime.NewNormalsAhead(runtime.Rand, %s, %d, steps, team)", total, period)
		g.f("\n// noise serves the held variables' normal deviates, populations in node\n// order and cells in rank order: a batch every %d steps, each drawn during\n// the period before it by every worker (runtime.NormalsAhead).\nvar noise *runtime.NormalsAhead\n", period)
		g.f("\n// redraw is worker w's share of the drawing at step k; at a redraw step\n// the batch due is ready for held when it returns.\nfunc redraw(k, w int) {\n\tnoise.Advance(k, w)\n}\n")
	} else {
		g.f("\n// redraw lines the workers up before a redraw (no held variable draws).\nfunc redraw(k, w int, team *runtime.Team) {\n\t_, _ = k, w\n\tteam.Barrier()\n}\n")
	}
	g.f("\n// held computes the held variables due at step k of worker w's cells from\n// the deviates redraw drew: the same numbers as drawing them in cell order.\nfunc held(k, w int) {\n\tif k%%%d != 0 {\n\t\treturn\n\t}\n", period)
	for _, pop := range g.p.Pops {
		if len(pop.Held) == 0 {
			continue
		}
		g.f("\t{\n\t\tlo, hi := runtime.Block(w, workers, %s)\n", size(pop))
		rename := g.cellNames(pop, "[i]")
		var stmts []string
		for _, h := range pop.Held {
			value := h.Value
			if drawsNormal(h) {
				base := bases[pop]
				if base == "" {
					base = "0"
				}
				g.f("\t\tnoise.Fill(w, %s[lo:hi], %s+lo)\n", arr(pop, h.Name), base)
				rename[noiseDeviate] = arr(pop, h.Name) + "[i]"
				value = expr.Rewrite(value, func(n expr.Node) expr.Node {
					if c, ok := n.(*expr.Call); ok && c.Func == "normal" {
						return &expr.Ident{P: c.P, Name: noiseDeviate}
					}
					return n
				})
			}
			stmts = append(stmts, fmt.Sprintf("%s[i] = %s", arr(pop, h.Name), g.code(value, rename)))
		}
		g.f("\t\tfor i := lo; i < hi; i++ {\n")
		for _, s := range stmts {
			g.f("\t\t\t%s\n", s)
		}
		g.f("\t\t}\n\t}\n")
	}
	g.f("}\n")
}
