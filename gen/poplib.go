package gen

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/tvboc/tvboc/compiler/ir"
)

// Populations of library cells (ir.PopKernel): the loop body is the
// node-list step of one cell, printed by the node-list generator's own
// statement writer, over locals loaded from the population's arrays.

// stepKernel writes the step of a library population: per segment of
// steps (time-only inputs specialized), one loop over the block's cells
// that loads a cell's variables, runs the lowered step (integration,
// events tested on the new state with their assignments and refractory
// bookkeeping, the spike flag) and stores them back.
func (g *popGen) stepKernel(pop *ir.Pop) {
	k := pop.Kernel
	sg := &generator{p: &ir.Program{}, w: g.w}
	g.w.usesKF = false
	bodies := make([]string, len(k.Segments))
	for si, seg := range k.Segments {
		code, err := sg.stmts(seg.Body)
		if err != nil {
			if g.err == nil {
				g.err = err
			}
			return
		}
		var b strings.Builder
		for _, c := range code {
			fmt.Fprintf(&b, "\t\t\t%#v\n", c)
		}
		bodies[si] = b.String()
	}
	usesKF := g.w.usesKF
	g.f("\n// step_%s advances cells [lo, hi) of %s (%s, the node-list step of\n// one cell) by step k", pop.Name, pop.Name, pop.Dynamics)
	if k.Spikes {
		g.f(" and lists the cells that spike in fl (from fl[0]); it\n// returns how many")
	}
	g.f(".\nfunc step_%s(k, lo, hi int, fl []int32) int {\n", pop.Name)
	if usesKF {
		g.f("\t%s := float64(k)\n", ir.KF)
	}
	first := "a_" + k.Vars[0].Array
	for i, v := range k.Vars {
		if i == 0 {
			g.f("\t%s := %s[lo:hi]\n", first, arr(pop, v.Array))
		} else {
			g.f("\ta_%s := %s[lo:hi][:len(%s)]\n", v.Array, arr(pop, v.Array), first)
		}
	}
	// per-cell parameters the step reads (some only set initial values)
	var params []ir.PopParam
	for _, prm := range k.Params {
		word := regexp.MustCompile(`\b` + regexp.QuoteMeta(prm.Ident) + `\b`)
		if slices.ContainsFunc(bodies, word.MatchString) {
			params = append(params, prm)
			g.f("\tp_%s := %s[lo:hi][:len(%s)] // per-cell %s\n", prm.Array, arr(pop, prm.Array), first, prm.Name)
		}
	}
	if k.Spikes {
		g.f("\tfl = fl[:len(%s)]\n", first)
	} else {
		g.f("\t_ = fl\n")
	}
	g.f("\tn := 0\n")
	loop := func(body string) {
		g.f("\t\tfor i := range %s {\n", first)
		for _, v := range k.Vars {
			g.f("\t\t\t%s := a_%s[i]\n", v.Ident, v.Array)
		}
		for _, prm := range params {
			g.f("\t\t\t%s := p_%s[i]\n", prm.Ident, prm.Array)
		}
		if k.Spikes {
			g.f("\t\t\tspiked := false\n")
		}
		g.f("%s", body)
		for _, v := range k.Vars {
			g.f("\t\t\ta_%s[i] = %s\n", v.Array, v.Ident)
		}
		if k.Spikes {
			g.f("\t\t\tif spiked {\n\t\t\t\tfl[n] = int32(lo + i)\n\t\t\t\tn++\n\t\t\t}\n")
		}
		g.f("\t\t}\n")
	}
	if len(k.Segments) == 1 {
		loop(bodies[0])
		g.f("\treturn n\n}\n")
		return
	}
	g.f("\tswitch {\n")
	for si, seg := range k.Segments {
		if si == len(k.Segments)-1 {
			g.f("\tdefault: // steps [%d, %d)", seg.Start, seg.End)
		} else {
			g.f("\tcase k < %d: // steps [%d, %d)", seg.End, seg.Start, seg.End)
		}
		if seg.Note != "" {
			g.f(" %s", seg.Note)
		}
		g.f("\n")
		loop(bodies[si])
	}
	g.f("\t}\n\treturn n\n}\n")
}

// deliverSyn writes the delivery of a synapse edge into one target
// population: every spike adds its stored amount inc(weight) to each of
// the target cell's synapse states the handler raises. It follows
// deliver's layout (dense rows, or rows split per worker block).
func (g *popGen) deliverSyn(e, t int, edge *ir.PopEdge) {
	p := g.p
	src, tp := p.Pops[edge.Source], p.Pops[edge.Targets[t]]
	vars := edge.SynVars[t]
	g.f("\n// deliver_e%d_%d adds edge %d's stored amounts from the %s spikes of step\n// slot h to the synapse of the cells [lo, hi) of %s (%s), worker w's block.\nfunc deliver_e%d_%d(h, w, lo, hi int) {\n",
		e, t, e, src.Name, tp.Name, strings.Join(vars, ", "), e, t)
	dense := edge.Rule == ir.AllToAll
	for i, v := range vars {
		switch {
		case !dense:
			g.f("\td%d := &%s\n", i, arr(tp, v))
		case i == 0:
			g.f("\td0 := %s[lo:hi]\n", arr(tp, v))
		default:
			g.f("\td%d := %s[lo:hi][:len(d0)]\n", i, arr(tp, v))
		}
	}
	if dense {
		g.f("\t_ = w\n")
	} else {
		g.f("\t_, _ = lo, hi\n")
	}
	add := func(j, x string) string {
		var b strings.Builder
		for i := range vars {
			fmt.Fprintf(&b, "d%d[%s] += %s\n", i, j, x)
		}
		return b.String()
	}
	g.f("\tfor b := range workers {\n\t\tfb, _ := runtime.Block(b, workers, %s)\n\t\tfor _, s := range %s_fired[h][fb : fb+%s_nfired[h][b]] {\n", size(src), src.Name, src.Name)
	if dense {
		g.f("\t\t\trow := e%d_w%d[int(s)*%s+lo:][:len(d0)]\n\t\t\tfor j, x := range row {\n%s\t\t\t}\n", e, t, size(tp), add("j", "x"))
	} else {
		g.f("\t\t\tg := int(s)*workers + w\n\t\t\tcols := e%d_col%d[e%d_seg%d[g]:e%d_seg%d[g+1]]\n\t\t\tws := e%d_w%d[e%d_seg%d[g]:][:len(cols)]\n", e, t, e, t, e, t, e, t, e, t)
		g.f("\t\t\tfor q, c := range cols {\n%s\t\t\t}\n", add("c", g.wide("ws[q]")))
	}
	g.f("\t\t}\n\t}\n}\n")
}
