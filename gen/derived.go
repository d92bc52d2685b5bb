package gen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// derivedPass writes the function that fills the derived columns
// (ir.Column.Value) and returns the statement that calls it at the end of
// simulate when the run writes them (--record all).
//
// The derived values are computed after the step loop, row by row, from
// the state the recorder already holds (every state of a recorded cell is
// a column, written every step whatever is selected), the row's inputs and
// its time: row k+1 of segment [s, e) with the segment's Derived
// statements and kf = k, row 0 with Program.Derived0. The step loop is
// therefore exactly the loop without derived columns. Computing them
// inside it, even behind a branch never taken, made Ex17's loop twice as
// slow: values live across the branch are spilled, and the generated
// loop keeps a few dozen of them.
//
// A state recorded with a Scale other than 1 is read back as row/Scale,
// which can differ from the kernel's value in the last bit; the states of
// library and flattened cells are recorded with Scale 1.
func (g *generator) derivedPass() ([]jen.Code, error) {
	first := -1
	var values []expr.Node
	for i, c := range g.p.Columns {
		if c.Derived() {
			if first < 0 {
				first = i
			}
			values = append(values, c.Value)
		}
	}
	if first < 0 {
		return nil, nil
	}
	// where each recorded state is in the row
	stateCol := map[string]int{}
	for i, c := range g.p.Columns {
		if !c.Derived() {
			stateCol[g.p.States[c.State].Name] = i
		}
	}
	freeParam := map[string]bool{}
	for _, p := range g.p.Params {
		freeParam[p.Ident] = true
	}
	var params []string // free parameters the function reads, in order
	usedParam := map[string]bool{}

	// row writes one row's derived columns from the statements stmts.
	row := func(at jen.Code, stmts []ir.Stmt, spans []ir.Span, loop bool) ([]jen.Code, error) {
		// row r of data is row first+r of the run
		lo := jen.Parens(jen.Add(at).Op("-").Id("first")).Op("*").Lit(len(g.p.Columns))
		out := []jen.Code{
			jen.Id("row").Op(":=").Id("data").Index(lo, jen.Empty()),
			jen.Id("_").Op("=").Id("row").Index(jen.Lit(len(g.p.Columns) - 1)),
		}
		stmts, done := g.rollDerived(stmts, spans, stateCol)
		var rest []expr.Node // the values of the columns not written in loops
		for i, c := range g.p.Columns {
			if c.Derived() && !done[i] {
				rest = append(rest, c.Value)
			}
		}
		for _, id := range freeIdents(stmts, rest) {
			switch {
			case strings.ContainsRune(id, '['):
				// a node loop's element (nodeloop.go)
			case id == ir.KF:
				if !loop {
					return nil, fmt.Errorf("the derived columns of row 0 read the step index")
				}
				out = append(out, jen.Id(ir.KF).Op(":=").Float64().Call(jen.Id("k")))
			case freeParam[id]:
				if !usedParam[id] {
					usedParam[id] = true
					params = append(params, id)
				}
			default:
				i, ok := stateCol[id]
				if !ok {
					return nil, fmt.Errorf("a derived column reads %s, which is not recorded", id)
				}
				v := jen.Id("row").Index(jen.Lit(i))
				if s := g.p.Columns[i].Scale; s != 1 {
					v = v.Op("/").Op(formatFloat(s))
				}
				out = append(out, jen.Id(id).Op(":=").Add(v))
			}
		}
		body, err := g.stmts(stmts)
		if err != nil {
			return nil, err
		}
		out = append(out, body...)
		for i, c := range g.p.Columns {
			if !c.Derived() || done[i] {
				continue
			}
			v, err := g.w.expr(c.Value)
			if err != nil {
				return nil, err
			}
			store := jen.Add(v)
			if c.Scale != 1 {
				store = store.Op("*").Op(formatFloat(c.Scale))
			}
			out = append(out, jen.Id("row").Index(jen.Lit(i)).Op("=").Add(store))
		}
		return out, nil
	}

	row0, err := row(jen.Lit(0), g.p.Derived0, g.p.Derived0Cells, false)
	if err != nil {
		return nil, err
	}
	body := []jen.Code{jen.Comment("row 0: the initial state, inputs and t at t = 0"), jen.If(jen.Id("first").Op("==").Lit(0)).Block(row0...)}
	for _, seg := range g.p.Segments {
		if seg.End <= seg.Start {
			continue
		}
		inner, err := row(jen.Id("k").Op("+").Lit(1), seg.Derived, seg.DerivedCells, true)
		if err != nil {
			return nil, err
		}
		body = append(body, jen.Comment(fmt.Sprintf("rows (%d, %d]: the state after step k, inputs and t at t_(k+1)", seg.Start, seg.End)),
			jen.For(jen.Id("k").Op(":=").Max(jen.Lit(seg.Start), jen.Id("first").Op("-").Lit(1)), jen.Id("k").Op("<").Min(jen.Lit(seg.End), jen.Id("first").Op("+").Id("n").Op("-").Lit(1)), jen.Id("k").Op("++")).Block(inner...))
	}

	sig := []jen.Code{jen.Id("data").Index().Float64(), jen.List(jen.Id("first"), jen.Id("n")).Int()}
	call := []jen.Code{jen.Id("data"), jen.Id("first"), jen.Id("n")}
	whole := []jen.Code{jen.Id("rec").Dot("Data").Call(), jen.Lit(0), jen.Id("rec").Dot("Rows").Call()}
	for _, p := range params {
		sig = append(sig, jen.Id(p).Float64())
		call = append(call, jen.Id(p))
		whole = append(whole, jen.Id(p))
	}
	g.funcs = append(g.funcs, jen.Comment("derivedColumns fills the derived columns of rows [first, first+n) of the").
		Line().Comment("run, held in data, from their recorded states (--record all).").
		Line().Func().Id("derivedColumns").Params(sig...).Block(body...))
	g.derive = []jen.Code{
		jen.Comment("a streamed run fills the derived columns of each chunk of rows before"),
		jen.Comment("writing it, in the writer's goroutine"),
		jen.Id("rec").Dot("Derive").Call(jen.Func().Params(jen.Id("data").Index().Float64(), jen.List(jen.Id("first"), jen.Id("n")).Int()).Block(
			jen.Id("derivedColumns").Call(call...),
		)),
	}
	return []jen.Code{
		jen.Line(),
		jen.Comment("derived columns (--record all) from the recorded states, unless streamed"),
		jen.If(jen.Id("rec").Dot("Selected").Call(jen.Lit(first)).Op("&&").Op("!").Id("rec").Dot("Streams").Call()).Block(jen.Id("derivedColumns").Call(whole...)),
	}, nil
}

// freeIdents returns, in order of first use, the identifiers that stmts
// and values read without stmts defining them first.
func freeIdents(stmts []ir.Stmt, values []expr.Node) []string {
	defined := map[string]bool{}
	seen := map[string]bool{}
	var out []string
	use := func(n expr.Node) {
		for _, id := range expr.Idents(n) {
			if !defined[id] && !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	var walk func([]ir.Stmt)
	walk = func(ss []ir.Stmt) {
		for _, s := range ss {
			switch x := s.(type) {
			case *ir.Let:
				use(x.Value)
				defined[x.Name] = true
			case *ir.Set:
				use(x.Value)
			case *ir.Update:
				for _, v := range x.Values {
					use(v)
				}
			case *ir.If:
				use(x.Cond)
				walk(x.Then)
			case *ir.Loop:
				walk(x.Body)
			}
		}
	}
	walk(stmts)
	for _, v := range values {
		use(v)
	}
	return out
}
