package gen

import (
	"github.com/dave/jennifer/jen"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// This file writes what TVB's stimuli and monitors add to a whole-brain
// kernel: the region stimulus' value of the step, and the Bold monitor.

// stimulusNow writes the stimulus' temporal value of step k, once per
// step and worker: f(t) at t = k dt, TVB's time grid.
func (g *brainGen) stimulusNow(st *ir.BrainStimulus) ([]jen.Code, error) {
	vals := []expr.Node{st.Value}
	for _, s := range st.Body {
		vals = append(vals, s.(*ir.Let).Value)
	}
	var out []jen.Code
	if identsOf(vals...)[ir.StimTimeIdent] {
		out = append(out, jen.Id(ir.StimTimeIdent).Op(":=").Float64().Call(jen.Id("k")).Op("*").Id("dt").Comment("the stimulus' time, ms"))
	}
	for _, s := range st.Body {
		code, err := g.let(s.(*ir.Let))
		if err != nil {
			return nil, err
		}
		out = append(out, code...)
	}
	v, err := g.w.expr(st.Value)
	if err != nil {
		return nil, err
	}
	return append(out, jen.Id("stimNow").Op(":=").Add(v).Comment("the stimulus' temporal value this step")), nil
}

// stimLoad writes node i's stimulus where the node body reads it.
func (g *brainGen) stimLoad(used map[string]bool) []jen.Code {
	if g.p.Stimulus == nil || !used[ir.StimIdent] {
		return nil
	}
	return []jen.Code{jen.Id(ir.StimIdent).Op(":=").Id("stimWeight").Index(jen.Id("i")).Op("*").Id("stimNow")}
}

// infoSteps is the Info's Steps: the rows after row 0, or with TVB's
// monitors (no row 0) every row.
func (g *brainGen) infoSteps() jen.Code {
	if g.p.TVBRows && !g.sweep() {
		return jen.Id("rows")
	}
	// a binary with free parameters keeps the Recorder's Steps+1 rows:
	// TVB's rows 1..n are its rows 0..n-1, T0 the first one's time
	// (tvbT0)
	return jen.Id("rows").Op("-").Lit(1)
}

// sweep says whether the binary has free parameters (rt.RunWithParams:
// no --every, no --duration, a Recorder of Info.Steps+1 rows).
func (g *brainGen) sweep() bool { return len(g.p.Params) > 0 }

// tvbT0 is the time of the first of TVB's rows in a binary with free
// parameters, in seconds: the end of the first period after the
// transient (TemporalAverage: its middle).
func (g *brainGen) tvbT0() float64 {
	p := g.p
	t := p.Dt * float64(p.Transient+p.Period)
	if p.Average {
		t = p.Dt * (float64(p.Transient) + float64(p.Period)/2)
	}
	return t
}

// streamRows is how many rows the stream of a run holds.
func (g *brainGen) streamRows() jen.Code {
	if g.p.TVBRows {
		return jen.Id("opts").Dot("Steps")
	}
	return jen.Id("opts").Dot("Steps").Op("+").Lit(1)
}

// rowOf is the stream row of recorded row r (TVB's monitors have no row
// 0: their row r is the stream's r-1).
func (g *brainGen) rowOf(r *jen.Statement) jen.Code {
	if g.p.TVBRows {
		return r.Op("-").Lit(1)
	}
	return r
}

// tvbTime stamps TVB's monitor rows as TVB does: the end of each period
// (TemporalAverage: its middle), the period being the written one
// (--every N periods).
func (g *brainGen) tvbTime() jen.Code {
	switch {
	case !g.p.TVBRows:
		return jen.Null()
	case g.p.Average:
		return jen.Id("opts").Dot("T0").Op("+=").Id("opts").Dot("Dt").Op("/").Lit(2).Comment("TVB stamps an average at its period's middle")
	}
	return jen.Id("opts").Dot("T0").Op("+=").Id("opts").Dot("Dt").Comment("TVB's first row is the end of the first period")
}

// boldConsts declares the Bold monitor's sizes.
func (g *brainGen) boldConsts() jen.Code {
	b := g.p.Bold
	if b == nil {
		return jen.Null()
	}
	return jen.Id("interim").Op("=").Lit(b.Interim).Comment("steps per Bold interim average (4 ms)").Line().
		Id("boldSteps").Op("=").Lit(len(b.Kernel)).Comment("interim averages the HRF spans")
}

// boldTables writes the Bold monitor's kernel: TVB's reversed HRF.
func (g *brainGen) boldTables(f *jen.File) {
	b := g.p.Bold
	if b == nil {
		return
	}
	ks := make([]jen.Code, len(b.Kernel))
	for i, v := range b.Kernel {
		ks[i] = jen.Op(formatFloat(v))
	}
	f.Comment("boldKernel is TVB's HRF sampled every 4 ms over its length, reversed (its newest")
	f.Comment("average meets the last value).")
	f.Var().Id("boldKernel").Op("=").Index(jen.Lit(len(ks))).Float64().Values(ks...)
}

// boldStep writes TVB's Bold.sample for the worker's nodes, after step
// k (TVB's step k+1): the record values go into the interim sums; every
// interim steps their mean enters the ring (slot (m-1) mod boldSteps for
// the m-th mean); at every written row the ring is convolved with the
// kernel rolled to the last slot.
func (g *brainGen) boldStep() ([]jen.Code, error) {
	b := g.p.Bold
	acc, err := g.record(nil, true, true)
	if err != nil {
		return nil, err
	}
	cols := func(body ...jen.Code) jen.Code {
		return jen.For(jen.Id("off").Op(":=").Lit(0), jen.Id("off").Op("<").Len(jen.Id("acc")), jen.Id("off").Op("+=").Id("nodes")).Block(
			blockFor("c").Block(body...))
	}
	out := []jen.Code{jen.Id("K").Op(":=").Id("k").Op("+").Lit(1).Comment("TVB's step number")}
	out = append(out, acc...)
	out = append(out, jen.If(jen.Id("K").Op("%").Id("interim").Op("==").Lit(0)).Block(
		jen.Id("slot").Op(":=").Parens(jen.Id("K").Op("/").Id("interim").Op("-").Lit(1)).Op("%").Id("boldSteps"),
		cols(
			jen.Id("stock").Index(jen.Parens(jen.Id("off").Op("+").Id("c")).Op("*").Id("boldSteps").Op("+").Id("slot")).Op("=").Id("acc").Index(jen.Id("off").Op("+").Id("c")).Op("/").Id("interim"),
			jen.Id("acc").Index(jen.Id("off").Op("+").Id("c")).Op("=").Lit(0),
		),
	))
	// rolled[i] = kernel[(i - r) mod S], r = (K/interim - 1) mod S
	dot := []jen.Code{
		jen.Id("s").Op(":=").Id("stock").Index(jen.Parens(jen.Id("off").Op("+").Id("c")).Op("*").Id("boldSteps").Op(":").Parens(jen.Id("off").Op("+").Id("c").Op("+").Lit(1)).Op("*").Id("boldSteps")),
		jen.Id("sum").Op(":=").Lit(0.0),
		jen.For(jen.Id("i").Op(":=").Lit(0), jen.Id("i").Op("<").Id("r"), jen.Id("i").Op("++")).Block(
			jen.Id("sum").Op("+=").Id("boldKernel").Index(jen.Id("i").Op("-").Id("r").Op("+").Id("boldSteps")).Op("*").Id("s").Index(jen.Id("i"))),
		jen.For(jen.Id("i").Op(":=").Id("r"), jen.Id("i").Op("<").Id("boldSteps"), jen.Id("i").Op("++")).Block(
			jen.Id("sum").Op("+=").Id("boldKernel").Index(jen.Id("i").Op("-").Id("r")).Op("*").Id("s").Index(jen.Id("i"))),
		jen.Id("row").Index(jen.Id("off").Op("+").Id("c")).Op("=").Parens(jen.Id("sum").Op("-").Add(g.w.float(b.Offset))).Op("*").Add(g.w.float(b.Scale)),
	}
	out = append(out, jen.If(jen.Id("ph").Op(":=").Id("K").Op("-").Id("transient"), jen.Id("ph").Op(">").Lit(0).Op("&&").Id("ph").Op("%").Id("stride").Op("==").Lit(0)).Block(
		jen.Id("row").Op(":=").Id("rec").Dot("Row").Call(jen.Id("ph").Op("/").Id("stride").Op("-").Lit(1)),
		jen.Id("r").Op(":=").Parens(jen.Id("K").Op("/").Id("interim").Op("%").Id("boldSteps").Op("+").Id("boldSteps").Op("-").Lit(1)).Op("%").Id("boldSteps"),
		cols(dot...),
	))
	return out, nil
}
