package gen

import (
	"fmt"
	"math"

	"github.com/dave/jennifer/jen"
	"github.com/tvboc/tvboc/compiler/ir"
)

// Programs integrated by an adaptive Dormand-Prince method
// (ir.Brain.Adaptive) hand a generated right-hand side to the runtime's
// driver (rt.NewDopri5 or rt.NewDopri853, whose tableaux are constants),
// which chooses the steps by its error estimate. The right-hand side
// unrolls the model's derivative per node as the fixed-step kernels do;
// y and dy hold state s of node i at s*nodes+i. One worker: the stages
// of a step depend on each other through the error norm of the whole
// network.
//
// Two ways to couple, by Adaptive.Held:
//   - held (coupling per step, TVB's Dopri5): simulate's step as for a
//     fixed-step method, couplings from the state and the delay history
//     at the start of each sampling interval, with the node loop replaced
//     by the driver integrating the interval on its own (adaptiveInterval);
//   - per stage: simulateAdaptive, every coupling in the right-hand side,
//     the driver stepping across the samples and reading each from the
//     continuous extension of the step over it.

// adaptiveRHS declares rhs, the right-hand side; with couplings it
// computes every coupling from y first, else the nodes read the coupling
// inputs as they are (held).
func (g *brainGen) adaptiveRHS(couplings bool) ([]jen.Code, error) {
	p := g.p
	ys := func(state string) string { return "ys_" + state }
	var rhs, views []jen.Code
	for si, s := range p.States {
		rhs = append(rhs, jen.Id(ys(s.Name)).Op(":=").Id("y").Index(jen.Lit(si).Op("*").Id("nodes").Op(":").Lit(si+1).Op("*").Id("nodes")))
		views = append(views, jen.Id(ys(s.Name)))
	}
	blanks := make([]jen.Code, len(views))
	for i := range blanks {
		blanks[i] = jen.Id("_")
	}
	rhs = append(rhs, jen.List(blanks...).Op("=").List(views...).Comment("a state no coupling or equation reads"))
	if couplings {
		for ci, c := range p.Couplings {
			cc, err := g.coupling(ci, c, ys)
			if err != nil {
				return nil, err
			}
			rhs = append(rhs, cc...)
		}
	}
	node := g.nodeLoads(ys)
	for _, s := range p.NodeBody {
		l, ok := s.(*ir.Let)
		if !ok {
			return nil, fmt.Errorf("node body statement %T", s)
		}
		lc, err := g.let(l)
		if err != nil {
			return nil, err
		}
		node = append(node, lc...)
	}
	for si := range p.States {
		v, err := g.w.expr(p.NodeNext[si])
		if err != nil {
			return nil, err
		}
		node = append(node, jen.Id("dy").Index(jen.Lit(si).Op("*").Id("nodes").Op("+").Id("i")).Op("=").Add(v))
	}
	rhs = append(rhs, jen.Comment("the derivative of every node"), blockFor("i").Block(node...))
	what := "every node's derivative, with the coupling inputs held"
	if couplings {
		what = "the couplings from y, then every node's derivative"
	}
	return []jen.Code{jen.Line(),
		jen.Commentf("rhs is the network's right-hand side y' = f(y): %s;", what),
		jen.Comment("y and dy hold state s of node i at s*nodes+i."),
		jen.Id("rhs").Op(":=").Func().Params(jen.List(jen.Id("y"), jen.Id("dy")).Index().Float64()).Block(rhs...),
	}, nil
}

// adaptiveStart packs the state arrays into y and starts the driver.
func (g *brainGen) adaptiveStart() []jen.Code {
	p, a := g.p, g.p.Adaptive
	var pack []jen.Code
	for si, s := range p.States {
		pack = append(pack, jen.Id("y").Index(jen.Lit(si).Op("*").Id("nodes").Op("+").Id("i")).Op("=").Id(stateArray(s.Name)).Index(jen.Id("i")))
	}
	newODE := "NewDopri5"
	if a.Method == "dopri853" {
		newODE = "NewDopri853"
	}
	return []jen.Code{
		jen.Id("y").Op(":=").Make(jen.Index().Float64(), jen.Lit(len(p.States)).Op("*").Id("nodes")),
		jen.For(jen.Id("i").Op(":=").Range().Id("nodes")).Block(pack...),
		jen.Commentf("%s, rel_tol %g, abs_tol %g; at most %d steps between two samples", a.Method, a.RelTol, a.AbsTol, a.MaxSteps),
		jen.Id("ode").Op(":=").Qual(RuntimePath, newODE).Call(jen.Id("rhs"), jen.Id("y"), jen.Lit(0.0),
			jen.Float64().Call(jen.Id("steps")).Op("*").Id("dt"), g.w.float(a.RelTol), g.w.float(a.AbsTol), jen.Lit(a.MaxSteps)),
	}
}

// adaptiveUnpack copies y to the state arrays, clamping each state to
// its boundaries as TVB does after every step; with restart, a clamped
// state sets moved.
func (g *brainGen) adaptiveUnpack(restart bool) (code []jen.Code, clamped bool) {
	p, a := g.p, g.p.Adaptive
	for si, s := range p.States {
		at := jen.Id("y").Index(jen.Lit(si).Op("*").Id("nodes").Op("+").Id("i"))
		lo, hi := a.Lo[si], a.Hi[si]
		if math.IsInf(lo, -1) && math.IsInf(hi, 1) {
			code = append(code, jen.Id(stateArray(s.Name)).Index(jen.Id("i")).Op("=").Add(at.Clone()))
			continue
		}
		clamped = true
		var v jen.Code = at.Clone()
		if !math.IsInf(lo, -1) {
			v = jen.Max(v, g.w.float(lo))
		}
		if !math.IsInf(hi, 1) {
			v = jen.Min(v, g.w.float(hi))
		}
		if !restart {
			code = append(code, jen.Id(stateArray(s.Name)).Index(jen.Id("i")).Op("=").Add(v))
			continue
		}
		code = append(code, jen.Block(
			jen.Id("v").Op(":=").Add(at.Clone()),
			jen.Id("c").Op(":=").Add(v),
			jen.If(jen.Id("c").Op("!=").Id("v")).Block(jen.Id("moved").Op("=").True(), at.Clone().Op("=").Id("c")),
			jen.Id(stateArray(s.Name)).Index(jen.Id("i")).Op("=").Id("c"),
		))
	}
	return code, clamped
}

// adaptiveInterval replaces the node loop of a held-coupling step k: the
// driver integrates every node from k*dt to (k+1)*dt with this step's
// coupling inputs, stepping exactly to the interval's end.
func (g *brainGen) adaptiveInterval() []jen.Code {
	var pack []jen.Code
	for si, s := range g.p.States {
		pack = append(pack, jen.Id("y").Index(jen.Lit(si).Op("*").Id("nodes").Op("+").Id("i")).Op("=").Id(stateArray(s.Name)).Index(jen.Id("i")))
	}
	unpack, _ := g.adaptiveUnpack(false)
	return []jen.Code{
		jen.Commentf("%s over the step of every node, the coupling held through it", g.p.Adaptive.Method),
		blockFor("i").Block(pack...),
		jen.If(jen.Err().Op(":=").Id("ode").Dot("Interval").Call(jen.Float64().Call(jen.Id("k")).Op("*").Id("dt"), jen.Float64().Call(jen.Id("k").Op("+").Lit(1)).Op("*").Id("dt"), jen.Id("y")), jen.Err().Op("!=").Nil()).Block(
			jen.Qual(RuntimePath, "Fatal").Call(jen.Err()),
		),
		blockFor("i").Block(unpack...),
	}
}

// simulateAdaptive writes the kernel of a program whose couplings are all
// recomputed at every stage (or that has none).
func (g *brainGen) simulateAdaptive() ([]jen.Code, error) {
	p := g.p
	var code []jen.Code
	for _, s := range p.States {
		code = append(code, jen.Var().Id(stateArray(s.Name)).Index(jen.Id("nodes")).Float64())
	}
	var inits []jen.Code
	for _, s := range p.States {
		inits = append(inits, jen.Id(stateArray(s.Name)).Index(jen.Id("i")).Op("=").Add(g.w.float(s.Init)))
	}
	code = append(code, jen.For(jen.Id("i").Op(":=").Range().Id("nodes")).Block(inits...))
	for _, in := range p.Inputs {
		code = append(code, jen.Var().Id(inputArray(in)).Index(jen.Id("nodes")).Float64())
	}
	for ci, c := range p.Couplings {
		if isDelayed(c) {
			return nil, fmt.Errorf("coupling %s is delayed: a per-stage adaptive right-hand side has no delay history", c.Input)
		}
		if len(c.Stored) > 0 {
			code = append(code, jen.Var().Id(preArray(ci)).Index(jen.Id("nodes").Op("*").Lit(len(c.Stored))).Add(g.histType()))
		}
	}
	code = append(code, g.scratchArrays()...)
	code = append(code,
		jen.Id("team").Op(":=").Qual(RuntimePath, "NewTeam").Call(jen.Lit(1)).Comment("the couplings' barriers: one worker"),
		jen.Id("_").Op("=").Id("team"),
		jen.List(jen.Id("lo"), jen.Id("hi")).Op(":=").List(jen.Lit(0), jen.Id("nodes")),
		g.scratch(),
	)
	rhs, err := g.adaptiveRHS(true)
	if err != nil {
		return nil, err
	}
	code = append(code, rhs...)
	code = append(code, g.adaptiveStart()...)
	recPre, recStep, err := g.recording()
	if err != nil {
		return nil, err
	}
	code = append(code, recPre...)
	unpack, clamped := g.adaptiveUnpack(true)
	step := []jen.Code{
		jen.Id("tk").Op(":=").Float64().Call(jen.Id("k").Op("+").Lit(1)).Op("*").Id("dt").Comment("the sample time, on the grid exactly"),
		jen.If(jen.Err().Op(":=").Id("ode").Dot("Advance").Call(jen.Id("tk"), jen.Id("y")), jen.Err().Op("!=").Nil()).Block(
			jen.Qual(RuntimePath, "Fatal").Call(jen.Err()),
		),
	}
	if clamped {
		step = append(step,
			jen.Id("moved").Op(":=").False(),
			jen.For(jen.Id("i").Op(":=").Range().Id("nodes")).Block(unpack...),
			jen.If(jen.Id("moved")).Block(
				jen.Comment("a state went past a boundary: go on from the clamped state"),
				jen.Id("ode").Dot("Restart").Call(jen.Id("tk"), jen.Id("y")),
			),
		)
	} else {
		step = append(step, jen.For(jen.Id("i").Op(":=").Range().Id("nodes")).Block(unpack...))
	}
	step = append(step, recStep...)
	code = append(code, jen.Line(),
		jen.Comment("The driver's steps follow its error estimate; each sample k+1 is the"),
		jen.Comment("solution at (k+1)*dt, read from the continuous extension of the step over it."),
		jen.For(jen.Id("k0").Op(":=").Lit(0), jen.Id("k0").Op("<").Id("steps"), jen.Id("k0").Op("+=").Qual(RuntimePath, "Chunk")).Block(
			jen.Id("k1").Op(":=").Min(jen.Id("k0").Op("+").Qual(RuntimePath, "Chunk"), jen.Id("steps")),
			jen.For(jen.Id("k").Op(":=").Id("k0"), jen.Id("k").Op("<").Id("k1"), jen.Id("k").Op("++")).Block(step...),
			jen.Id("prog").Dot("Update").Call(jen.Id("k1")),
		),
	)
	return code, nil
}
