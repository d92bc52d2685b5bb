package gen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// Spike delivery (see ir.SpikeSource): a bool flag per source and step,
// a fixed ring of past flags for delayed synapses, and for spike arrays a
// constant table of spike steps read through a cursor. Nothing allocates
// inside the loop.

// spikeDecls declares the rings, tables and cursors before the loop.
func (g *generator) spikeDecls() []jen.Code {
	var out []jen.Code
	for _, s := range g.p.SpikeSources {
		if s.Ring > 0 {
			out = append(out, jen.Var().Id(s.RingName).Index(jen.Lit(s.Ring)).Bool().
				Comment(fmt.Sprintf("flags of the last %d steps, slot k%%%d", s.Ring, s.Ring)))
		}
		if s.TimeRing != "" {
			out = append(out, jen.Var().Id(s.TimeRing).Index(jen.Lit(s.Ring)).Float64().
				Comment("jLEMS's time of each spike in the flag ring"))
		}
		if len(s.Steps) > 0 {
			vals := make([]jen.Code, len(s.Steps))
			for i, k := range s.Steps {
				vals[i] = jen.Lit(k)
			}
			out = append(out,
				jen.Id(s.Table).Op(":=").Index(jen.Lit(len(s.Steps))).Int().Values(vals...).Comment("preset spike steps"),
				jen.Id(s.Cursor).Op(":=").Lit(0))
		}
	}
	return out
}

// spikePrologue starts a step: every flag false, preset spikes raised.
func (g *generator) spikePrologue() []jen.Code {
	var out []jen.Code
	if g.nl != nil {
		for _, a := range g.nl.arrays {
			if a.flags {
				out = append(out, jen.Clear(jen.Id(a.name).Index(jen.Empty(), jen.Empty())))
			}
		}
	}
	for _, s := range g.p.SpikeSources {
		flag, arrayed := g.nl.ref(s.Flag)
		if !arrayed {
			out = append(out, jen.Id(s.Flag).Op(":=").False())
		}
		if len(s.Steps) > 0 {
			out = append(out, jen.If(jen.Id(s.Cursor).Op("<").Lit(len(s.Steps)).Op("&&").
				Id(s.Table).Index(jen.Id(s.Cursor)).Op("==").Id("k")).Block(append([]jen.Code{
				jen.Id(flag).Op("=").True(),
				jen.Id(s.Cursor).Op("++")}, spikeTime(s)...)...,
			))
		}
	}
	return out
}

// spikeEpilogue ends a step: flags go into their rings.
func (g *generator) spikeEpilogue() []jen.Code {
	var out []jen.Code
	for _, s := range g.p.SpikeSources {
		if s.Ring > 0 {
			flag, _ := g.nl.ref(s.Flag)
			out = append(out, jen.Id(s.RingName).Index(jen.Id("k").Op("%").Lit(s.Ring)).Op("=").Id(flag))
		}
	}
	return out
}

// spikeStmt writes Emit and Deliver.
func (g *generator) spikeStmt(s ir.Stmt) ([]jen.Code, bool, error) {
	switch x := s.(type) {
	case *ir.Emit:
		return append([]jen.Code{jen.Id(x.Source.Flag).Op("=").True()}, spikeTime(x.Source)...), true, nil
	case *ir.Deliver:
		then, err := g.stmts(x.Then)
		if err != nil {
			return nil, true, err
		}
		var cond *jen.Statement = jen.Id(x.Source.Flag)
		note := x.Note + ", same step"
		slot := jen.Id("k").Op("%").Lit(x.Source.Ring)
		if x.Delay > 0 {
			// the slot of step k-Delay; k-Delay < 0 reads a slot not yet
			// written (false)
			slot = jen.Parens(jen.Id("k").Op("+").Lit(x.Source.Ring - x.Delay)).Op("%").Lit(x.Source.Ring)
			cond = jen.Id(x.Source.RingName).Index(slot)
			note = fmt.Sprintf("%s, %d steps late", x.Note, x.Delay)
		}
		if x.Due != nil {
			// due now: after the sum of this step's start, by the sum jLEMS
			// compares in it (see ir.Due)
			due := func() *jen.Statement {
				return jen.Id(x.Source.TimeRing).Index(slot.Clone()).Op("+").Lit(x.Due.Delay)
			}
			cond = cond.Op("&&").Add(due()).Op(">").Id(x.Source.TSum).
				Op("&&").Add(due()).Op("<=").Id(x.Source.TSum).Op("+").Lit(x.Source.Dt)
			note += ", if due"
		}
		return []jen.Code{jen.Comment(note), jen.If(cond).Block(then...)}, true, nil
	}
	return nil, false, nil
}

// spikeTime stores the time jLEMS gives a spike that fires in step k,
// for the delayed deliveries' Due (nothing without a time ring).
func spikeTime(s *ir.SpikeSource) []jen.Code {
	if s.TimeRing == "" {
		return nil
	}
	t := jen.Id(s.TSum)
	if !s.Early {
		t = t.Op("+").Lit(s.Dt)
	}
	return []jen.Code{jen.Id(s.TimeRing).Index(jen.Id("k").Op("%").Lit(s.Ring)).Op("=").Add(t)}
}

// random writes LEMS's random(x), a uniform deviate in [0, x), from the
// runtime's seeded generator (rt.Rand, seeded by --seed before the run).
func (w *exprWriter) random(x *expr.Call) (*jen.Statement, int, error) {
	if x.Func == "normal" {
		return jen.Qual(RuntimePath, "Rand").Dot("Normal").Call(), precAtom, nil
	}
	draw := jen.Qual(RuntimePath, "Rand").Dot("Float64").Call()
	if w.java {
		draw = jen.Qual(RuntimePath, "JRand").Dot("Float64").Call()
		if len(x.Args) == 2 { // an initial value's draw (ir.Program.InitDraws)
			i, ok := x.Args[1].(*expr.Num)
			if !ok {
				return nil, 0, fmt.Errorf("random(x, i): i must be a number")
			}
			draw = jen.Qual(RuntimePath, "JRandInit").Index(jen.Lit(int(i.Value)))
		}
	}
	if len(x.Args) == 0 {
		return draw, precAtom, nil
	}
	if one, ok := x.Args[0].(*expr.Num); ok && one.Value == 1 {
		return draw, precAtom, nil
	}
	scale, err := w.operand(x.Args[0], precMul+1)
	if err != nil {
		return nil, 0, err
	}
	return draw.Op("*").Add(scale), precMul, nil
}
