package gen

import (
	"github.com/dave/jennifer/jen"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// freeMain writes the parts of a program with free parameters: the
// parameter table, a main that hands everything to rt.RunWithParams (--set,
// --params, --sweep, --shard), and simulate taking the values as p. A
// sweep runs simulate in several goroutines at once, which is safe because
// the kernel keeps all its state in locals.
func (g *generator) freeMain(f *jen.File, info jen.Code, sim []jen.Code) {
	f.Comment("params are the free parameters, settable at run time with --set and")
	f.Comment("--sweep; values are given in Unit and reach the kernel times Scale.")
	f.Var().Id("params").Op("=").Index().Qual(RuntimePath, "Param").ValuesFunc(func(gr *jen.Group) {
		for _, p := range g.p.Params {
			gr.Line().Values(paramFields(g.w, p))
		}
		gr.Line()
	})
	f.Func().Id("main").Params().Block(
		jen.Qual(RuntimePath, "RunWithParams").Call(info, jen.Id("params"), jen.Id("simulate")),
	)
	f.Comment("simulate runs the kernel with the free parameters' values p (in the order")
	f.Comment("of params): state in local variables, one loop per segment of steps over")
	f.Comment("which every time-only input is fixed, no test of t.")
	f.Func().Id("simulate").Params(
		jen.Id("rec").Op("*").Qual(RuntimePath, "Recorder"),
		jen.Id("prog").Op("*").Qual(RuntimePath, "Progress"),
		jen.Id("p").Index().Float64(),
	).Block(sim...)
}

// paramLocals copies the free parameters into locals at the top of
// simulate, so the step loop reads registers, not a slice.
func (g *generator) paramLocals() []jen.Code {
	if len(g.p.Params) == 0 {
		return nil
	}
	used := usedIdents(g.p)
	code := []jen.Code{jen.Id("_").Op("=").Id("p").Index(jen.Lit(len(g.p.Params) - 1))}
	var unused []jen.Code
	for i, p := range g.p.Params {
		code = append(code, jen.Id(p.Ident).Op(":=").Id("p").Index(jen.Lit(i)))
		if !used[p.Ident] {
			unused = append(unused, jen.Id("_").Op("=").Id(p.Ident).Comment("folded away: no equation uses it"))
		}
	}
	return append(code, unused...)
}

// initValue is a state variable's initial value: a literal, or an
// expression of free parameters.
func (g *generator) initValue(s *ir.State) (jen.Code, error) {
	if s.InitExpr == nil {
		return g.w.float(s.Init), nil
	}
	return g.w.expr(s.InitExpr)
}

// usedIdents collects every identifier the program's expressions read.
func usedIdents(p *ir.Program) map[string]bool {
	used := map[string]bool{}
	add := func(n expr.Node) {
		if n != nil {
			for _, id := range expr.Idents(n) {
				used[id] = true
			}
		}
	}
	for _, s := range p.States {
		add(s.InitExpr)
	}
	for _, c := range p.Columns {
		add(c.Value)
	}
	for _, seg := range p.Segments {
		ir.Reads(used, seg.Body)
		ir.Reads(used, seg.Derived)
	}
	ir.Reads(used, p.Derived0)
	return used
}

// paramFields is one free parameter's entry in the generated params table.
func paramFields(w *exprWriter, p *ir.Param) jen.Dict {
	fields := jen.Dict{
		jen.Id("Name"):    jen.Lit(p.Name),
		jen.Id("Default"): w.float(p.Default),
		jen.Id("Scale"):   w.float(p.Scale),
	}
	if p.Unit != "" {
		fields[jen.Id("Unit")] = jen.Lit(p.Unit)
	}
	if p.SIUnit != "" {
		fields[jen.Id("SIUnit")] = jen.Lit(p.SIUnit)
		fields[jen.Id("SIScale")] = w.float(p.SIScale)
	}
	if p.Positive {
		fields[jen.Id("Positive")] = jen.True()
	}
	return fields
}
