package gen

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// The construction of sparse edges (random, one_to_one). Each edge gets a
// function draw_e<i> that draws the synapses of a range of its sources
// from a generator it is given, in the documented order, and either only
// counts them per (source, target population, worker block) or writes
// them where the counts place them. build runs it twice through
// runtime.DrawSources (count, allocate exactly once, place), so the rows
// come out already grouped by worker block, with no growing arrays and no
// second copy, and in parallel where every source takes the same number
// of draws.

// sparseTargets lists the populations some sparse edge targets, in node
// order.
func (g *popGen) sparseTargets() []*ir.Pop {
	var out []*ir.Pop
	for i, pop := range g.p.Pops {
		for _, edge := range g.p.Edges {
			if edge.Rule != ir.AllToAll && slices.Contains(edge.Targets, i) {
				out = append(out, pop)
				break
			}
		}
	}
	return out
}

// weightType is the element type of the sparse weights.
func (g *popGen) weightType() string {
	if g.p.Weights32 {
		return "float32"
	}
	return "float64"
}

// weightBytes is the size of one sparse weight.
func (g *popGen) weightBytes() int {
	if g.p.Weights32 {
		return 4
	}
	return 8
}

// wide is a sparse weight read for adding into a float64 state.
func (g *popGen) wide(x string) string {
	if g.p.Weights32 {
		return "float64(" + x + ")"
	}
	return x
}

// weightDraws is how many uniform deviates one evaluation of the edge's
// weight takes from the stream, or -1 when the number varies (a normal
// deviate: the polar method rejects and keeps a spare).
func weightDraws(edge *ir.PopEdge) int {
	n := 0
	expr.Inspect(edge.Weight, func(x expr.Node) bool {
		if c, ok := x.(*expr.Call); ok {
			switch c.Func {
			case "random":
				if n >= 0 {
					n++
				}
			case "normal":
				n = -1
			}
		}
		return true
	})
	return n
}

// sourceDraws is how many outputs of the stream each source of a sparse
// edge takes, or -1 when it varies from source to source.
func (g *popGen) sourceDraws(edge *ir.PopEdge) int {
	d := weightDraws(edge)
	if d < 0 {
		return -1
	}
	total := 0
	for _, t := range edge.Targets {
		total += g.p.Pops[t].Size
	}
	switch {
	case edge.Rule == ir.OneToOne:
		return d
	case edge.PerSource > 0:
		return edge.PerSource * (1 + d)
	case edge.Probability > 0 && d > 0:
		return -1 // a weight is drawn only for a pair that connects
	}
	return total // one uniform per pair
}

// sparseBuild writes build's part for sparse edge e: segment tables,
// the counting pass, one allocation per target, the placing pass, row
// starts.
func (g *popGen) sparseBuild(e int, edge *ir.PopEdge) {
	src := g.p.Pops[edge.Source]
	per := g.sourceDraws(edge)
	for t := range edge.Targets {
		g.f("\te%d_seg%d = make([]int32, %s*blocks+1)\n", e, t, size(src))
	}
	pass := func(fill bool) {
		g.f("\truntime.DrawSources(runtime.Rand, %s, %d, %v, bp.Counter(), func(r *runtime.RNG, lo, hi int) { draw_e%d(r, lo, hi, blocks, %v) })\n", size(src), per, fill, e, fill)
	}
	pass(false)
	for t, ti := range edge.Targets {
		g.f("\te%d_col%d = runtime.Huge(make([]%s, runtime.SegStarts(e%d_seg%d)))\n\te%d_w%d = runtime.Huge(make([]%s, len(e%d_col%d)))\n", e, t, colType(g.p.Pops[ti]), e, t, e, t, g.weightType(), e, t)
	}
	pass(true)
	for t := range edge.Targets {
		g.f("\te%d_row%d = runtime.RowStarts(e%d_seg%d, blocks)\n", e, t, e, t)
	}
}

// draws writes draw_e<i> for every sparse edge.
func (g *popGen) draws() {
	for e, edge := range g.p.Edges {
		if edge.Rule != ir.AllToAll {
			g.drawEdge(e, edge)
		}
	}
}

func (g *popGen) drawEdge(e int, edge *ir.PopEdge) {
	p := g.p
	total := 0
	for _, t := range edge.Targets {
		total += p.Pops[t].Size
	}
	weight := strings.ReplaceAll(g.code(edge.Weight, g.freeNames()), "runtime.Rand.", "r.")
	g.f("\n// draw_e%d draws edge %d's synapses from the sources [lo, hi) with r, in\n// build's order. With fill false it counts them per (source, worker block)\n// into e%d_seg*; with fill true it writes them where e%d_seg* place them,\n// each (source, block) segment in the order drawn.\nfunc draw_e%d(rp *runtime.RNG, lo, hi, blocks int, fill bool) {\n", e, e, e, e, e)
	// locals, not the package's variables, so that the compiler keeps
	// them in registers instead of reloading them after every store
	g.f("\tr := *rp\n")
	for t := range edge.Targets {
		g.f("\tcur%d := make([]int32, blocks)\n\tseg%d, col%d, w%d := e%d_seg%d, e%d_col%d, e%d_w%d\n\t_, _ = col%d, w%d\n", t, t, t, t, e, t, e, t, e, t, t, t)
	}
	g.f("\tfor s := lo; s < hi; s++ {\n\t\tif fill {\n")
	for t := range edge.Targets {
		g.f("\t\t\tcopy(cur%d, seg%d[s*blocks:])\n", t, t)
	}
	g.f("\t\t}\n")
	put := func(t int, j string) string {
		tp := p.Pops[edge.Targets[t]]
		store := "x"
		if p.Weights32 {
			store = "float32(x)"
		}
		return fmt.Sprintf("c := %s\nb := runtime.BlockIndex(c, blocks, %s)\nx := %s\nif fill {\nq := cur%d[b]\ncur%d[b] = q + 1\ncol%d[q] = %s(c)\nw%d[q] = %s\n} else {\nseg%d[s*blocks+b+1]++\n_ = x\n}\n",
			j, size(tp), weight, t, t, t, colType(tp), t, store, t)
	}
	switch {
	case edge.Rule == ir.OneToOne:
		g.f("\t\tj := s\n")
		g.dispatch(edge, "j", put)
	case edge.PerSource > 0:
		g.f("\t\tfor range %d {\n\t\t\tj := int(float64(%d) * r.Float64())\n", edge.PerSource, total)
		g.dispatch(edge, "j", put)
		g.f("\t\t}\n")
	case edge.Probability > 0:
		for t, ti := range edge.Targets {
			g.f("\t\tfor j := range %s {\n\t\t\tif r.Float64() < %s {\n%s\t\t\t}\n\t\t}\n", size(p.Pops[ti]), formatFloat(edge.Probability), put(t, "j"))
		}
	default:
		// probability 0 still draws, one uniform per pair, so the
		// stream after it does not depend on the probability
		for _, ti := range edge.Targets {
			g.f("\t\tfor range %s {\n\t\t\tr.Float64()\n\t\t}\n", size(p.Pops[ti]))
		}
		for t := range edge.Targets {
			g.f("\t\t_ = cur%d\n", t)
		}
	}
	g.f("\t}\n\t*rp = r\n}\n")
}

// buildSize is the generator's estimate of a network's memory (see
// runtime.NetworkSize): synapses (expected, for a probability rule),
// bytes apart from the segment tables, the segment tables' bytes per
// worker block, and the sources the two drawing passes go through.
type buildSize struct {
	synapses, bytes, perBlock, work int64
}

func (g *popGen) netSize() buildSize {
	p := g.p
	var sz buildSize
	for _, pop := range p.Pops {
		perCell := int64(len(pop.States)+len(pop.Arrays)+len(pop.Held)) * 8
		if pop.Spike != nil {
			perCell += int64(p.History) * 4
		}
		sz.bytes += int64(pop.Size) * perCell
	}
	for _, edge := range p.Edges {
		srcPop := p.Pops[edge.Source]
		src := int64(srcPop.Size)
		total := int64(0)
		for _, t := range edge.Targets {
			total += int64(p.Pops[t].Size)
		}
		if edge.Rule == ir.AllToAll {
			sz.synapses += src * total
			sz.bytes += src * total * 8
			continue
		}
		sz.work += 2 * src
		var n float64 // synapses
		switch {
		case edge.Rule == ir.OneToOne:
			n = float64(src)
		case edge.PerSource > 0:
			n = float64(src) * float64(edge.PerSource)
		default:
			n = float64(src) * float64(total) * edge.Probability
		}
		sz.synapses += int64(n)
		for _, t := range edge.Targets {
			tp := p.Pops[t]
			share := n * float64(tp.Size) / float64(total)
			if share >= math.MaxInt32 && g.err == nil {
				g.err = fmt.Errorf("an edge from %s puts about %.3g synapses into %s, more than the %d one edge can hold in one population: split the population or the edge", srcPop.Name, share, tp.Name, math.MaxInt32)
			}
			col := 4.0
			if colType(tp) == "uint16" {
				col = 2
			}
			sz.bytes += int64(share*(col+float64(g.weightBytes()))) + 4*(src+1)
			sz.perBlock += 4 * src
		}
	}
	return sz
}
