package gen

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// Writing the node loops (nodeloop.go): the arrays and their initial
// values, the constant tables, the recorder rows, the columns table and
// the derived columns.
// arrayDecls declares the state arrays with their initial values, and
// the arrayed states whose initial values are computed when the run
// starts, in the order of Program.States (as the straight-line program
// computes them).
func (g *generator) arrayDecls() ([]jen.Code, error) {
	nl := g.nl
	var out []jen.Code
	byName := map[string]*ir.State{}
	for _, s := range g.p.States {
		byName[s.Name] = s
	}
	for _, a := range nl.arrays {
		n := len(a.states)
		if a.flags {
			out = append(out, jen.Id(a.name).Op(":=").New(jen.Index(jen.Lit(n)).Bool()).
				Comment(fmt.Sprintf("spike flags of %s ... %s", a.states[0], a.states[n-1])))
			continue
		}
		out = append(out, jen.Id(a.name).Op(":=").New(jen.Index(jen.Lit(n)).Float64()).
			Comment(fmt.Sprintf("%s ... %s", a.states[0], a.states[n-1])))
		plain, same := true, true
		v0 := byName[a.states[0]].Init
		for _, name := range a.states {
			s := byName[name]
			plain = plain && s.InitExpr == nil
			same = same && math.Float64bits(s.Init) == math.Float64bits(v0)
		}
		switch {
		case !plain:
			// assigned one by one below
		case same && math.Float64bits(v0) == 0:
		case same:
			out = append(out, jen.For(jen.Id("i").Op(":=").Range().Id(a.name)).Block(
				jen.Id(a.name).Index(jen.Id("i")).Op("=").Add(g.w.float(v0))))
		default:
			vals := make([]float64, n)
			for i, name := range a.states {
				vals[i] = byName[name].Init
			}
			table := g.floatTable("nodeInit"+strings.TrimPrefix(a.name, "nodeState"), vals, "the initial values of "+a.name)
			out = append(out, jen.Op("*").Id(a.name).Op("=").Id(table))
		}
	}
	return out, nil
}

// floatTable declares a package-level array of vals and returns its name.
func (g *generator) floatTable(name string, vals []float64, doc string) string {
	items := make([]jen.Code, len(vals))
	for i, v := range vals {
		items[i] = g.w.float(v)
	}
	g.tables = append(g.tables, jen.Comment(doc).Line().
		Var().Id(name).Op("=").Index(jen.Lit(len(vals))).Float64().Values(items...))
	return name
}

// constTables declares the constants of the node loops that differ
// between cells.
func (g *generator) constTables() {
	for _, c := range g.nl.consts {
		g.floatTable(c.name, c.values, c.name+" holds a constant of the node loops, one per cell.")
	}
}

// stateRef is the Go expression of state variable name.
func (g *generator) stateRef(name string) *jen.Statement {
	r, _ := g.nl.ref(name)
	return jen.Id(r)
}

// recordRolled writes the recorder row of step at like record, with the
// repeated columns of arrayed states as loops.
func (g *generator) recordRolled(at jen.Code, last int) []jen.Code {
	out := []jen.Code{
		jen.Id("row").Op(":=").Id("rec").Dot("Row").Call(at),
		jen.Id("_").Op("=").Id("row").Index(jen.Lit(last)),
	}
	type item struct {
		col   int
		s     slot
		ok    bool
		scale float64
	}
	var items []item
	for i, c := range g.p.Columns {
		if c.Derived() {
			continue
		}
		s, ok := g.nl.at[g.p.States[c.State].Name]
		items = append(items, item{col: i, s: s, ok: ok, scale: c.Scale})
	}
	value := func(v *jen.Statement, scale float64) *jen.Statement {
		if scale != 1 {
			return v.Op("*").Op(formatFloat(scale))
		}
		return v
	}
	for i := 0; i < len(items); {
		// the period p and repetitions r covering the most items
		bestP, bestR := 1, 1
		for p := 1; p <= maxPeriod && i+p <= len(items); p++ {
			r := 0
		reps:
			for i+(r+1)*p <= len(items) {
				for j := 0; j < p; j++ {
					a, b := items[i+j], items[i+r*p+j]
					if !a.ok || !b.ok || b.s.arr != a.s.arr || b.s.idx != a.s.idx+r || b.col != a.col+r*p || b.scale != a.scale {
						break reps
					}
				}
				r++
			}
			if r >= minRun && p*r > bestP*bestR {
				bestP, bestR = p, r
			}
		}
		if bestR < minRun {
			it := items[i]
			out = append(out, jen.Id("row").Index(jen.Lit(it.col)).Op("=").Add(value(g.stateRef(g.p.States[g.p.Columns[it.col].State].Name), it.scale)))
			i++
			continue
		}
		var body []jen.Code
		for j := 0; j < bestP; j++ {
			it := items[i+j]
			idx := jen.Id("i")
			if it.s.idx > 0 {
				idx = jen.Id("i").Op("+").Lit(it.s.idx)
			}
			col := jen.Id("i").Op("*").Lit(bestP)
			if bestP == 1 {
				col = jen.Id("i")
			}
			if it.col > 0 {
				col = col.Op("+").Lit(it.col)
			}
			body = append(body, jen.Id("row").Index(col).Op("=").Add(value(jen.Id(g.nl.arrays[it.s.arr].name).Index(idx), it.scale)))
		}
		out = append(out, jen.For(jen.Id("i").Op(":=").Lit(0), jen.Id("i").Op("<").Lit(bestR), jen.Id("i").Op("++")).Block(body...))
		i += bestP * bestR
	}
	return out
}

// columnsFunc writes the columns table as a function that builds it, the
// columns of consecutive cells in loops (a node list of 100,000 cells
// would otherwise spell out every column).
func (g *generator) columnsFunc(f *jen.File) {
	type item struct {
		prefix, suffix string
		num            int
		ok             bool
		c              ir.Column
	}
	items := make([]item, len(g.p.Columns))
	for i, c := range g.p.Columns {
		items[i].c = c
		if l := strings.IndexByte(c.Name, '['); l >= 0 {
			if r := strings.IndexByte(c.Name[l:], ']'); r > 1 {
				if n, err := strconv.Atoi(c.Name[l+1 : l+r]); err == nil && n >= 0 && strconv.Itoa(n) == c.Name[l+1:l+r] {
					items[i] = item{prefix: c.Name[:l+1], suffix: c.Name[l+r:], num: n, ok: true, c: c}
				}
			}
		}
	}
	fields := func(c ir.Column, name jen.Code) jen.Code {
		group := "all"
		if c.Default {
			group = "v"
		}
		d := jen.Dict{jen.Id("Name"): name, jen.Id("Unit"): jen.Lit(c.Unit), jen.Id("Group"): jen.Lit(group)}
		if c.Derived() {
			d[jen.Id("Lazy")] = jen.True()
		}
		return jen.Qual(RuntimePath, "Column").Values(d)
	}
	body := []jen.Code{jen.Id("c").Op(":=").Make(jen.Index().Qual(RuntimePath, "Column"), jen.Lit(0), jen.Lit(len(items)))}
	for i := 0; i < len(items); {
		bestP, bestR := 1, 1
		for p := 1; p <= maxPeriod && i+p <= len(items); p++ {
			r := 0
		reps:
			for i+(r+1)*p <= len(items) {
				for j := 0; j < p; j++ {
					a, b := items[i+j], items[i+r*p+j]
					if !a.ok || !b.ok || a.prefix != b.prefix || a.suffix != b.suffix || b.num != a.num+r ||
						a.c.Unit != b.c.Unit || a.c.Default != b.c.Default || a.c.Derived() != b.c.Derived() {
						break reps
					}
				}
				r++
			}
			if r >= minRun && p*r > bestP*bestR {
				bestP, bestR = p, r
			}
		}
		if bestR < minRun {
			body = append(body, jen.Id("c").Op("=").Append(jen.Id("c"), fields(items[i].c, jen.Lit(items[i].c.Name))))
			i++
			continue
		}
		var vals []jen.Code
		for j := 0; j < bestP; j++ {
			it := items[i+j]
			idx := jen.Id("i")
			if it.num > 0 {
				idx = jen.Id("i").Op("+").Lit(it.num)
			}
			name := jen.Lit(it.prefix).Op("+").Qual("strconv", "Itoa").Call(idx).Op("+").Lit(it.suffix)
			vals = append(vals, fields(it.c, name))
		}
		body = append(body, jen.For(jen.Id("i").Op(":=").Lit(0), jen.Id("i").Op("<").Lit(bestR), jen.Id("i").Op("++")).Block(
			jen.Id("c").Op("=").Append(append([]jen.Code{jen.Id("c")}, vals...)...)))
		i += bestP * bestR
	}
	body = append(body, jen.Return(jen.Id("c")))
	f.Comment("columns lists every recordable quantity, in recorder order.")
	f.Var().Id("columns").Op("=").Id("nodeColumns").Call()
	f.Line()
	f.Comment("nodeColumns builds the columns, those of consecutive cells in loops.")
	f.Func().Id("nodeColumns").Params().Index().Qual(RuntimePath, "Column").Block(body...)
}

// shortNote shortens a segment's note that lists many inputs (one per
// cell of a large node list) to its first few.
func shortNote(note string) string {
	parts := strings.Split(note, ", ")
	if len(parts) <= 4 {
		return note
	}
	return strings.Join(parts[:3], ", ") + fmt.Sprintf(" and %d more", len(parts)-3)
}

// rollDerived rolls the derived columns' statements of a row (stmts, one
// span per cell) like the step: a run of cells alike becomes one loop
// that reads the cells' recorded states from the row (their columns a
// fixed stride apart) and writes their derived columns. It returns the
// statements and the derived columns the loops write.
func (g *generator) rollDerived(stmts []ir.Stmt, spans []ir.Span, stateCol map[string]int) ([]ir.Stmt, map[int]bool) {
	done := map[int]bool{}
	if g.nl == nil || len(spans) < minRun {
		return stmts, done
	}
	colOf := map[string]int{} // a derived column's identifier -> column
	for i, c := range g.p.Columns {
		if id, ok := c.Value.(*expr.Ident); ok {
			colOf[id.Name] = i
		}
	}
	shapes := make([]*shape, len(spans))
	for i, sp := range spans {
		shapes[i] = newShape()
		shapes[i].stmts(stmts[sp.Start:sp.End], nil)
	}
	var out []ir.Stmt
	next := 0
	for i := 0; i < len(spans); {
		j := i + 1
		for j < len(spans) && shapes[j].sig == shapes[i].sig && spans[j].Start == spans[j-1].End {
			j++
		}
		if j-i >= minRun {
			if loop, cols := g.rollDerivedRun(stmts, spans[i:j], shapes[i:j], stateCol, colOf); loop != nil {
				out = append(out, stmts[next:spans[i].Start]...)
				out = append(out, loop)
				next = spans[j-1].End
				for _, c := range cols {
					done[c] = true
				}
			}
		}
		i = j
	}
	return append(out, stmts[next:]...), done
}

// affine reports whether cols[c] = cols[0] + c*stride for one stride.
func affine(cols []int) (stride int, ok bool) {
	if len(cols) > 1 {
		stride = cols[1] - cols[0]
	}
	for c, col := range cols {
		if col != cols[0]+c*stride {
			return 0, false
		}
	}
	return stride, true
}

func rowIndex(col0, stride int) string {
	return fmt.Sprintf("row[i*%d+%d]", stride, col0)
}

func (g *generator) rollDerivedRun(stmts []ir.Stmt, spans []ir.Span, shapes []*shape, stateCol, colOf map[string]int) (*ir.Loop, []int) {
	m := len(shapes)
	repl := make([]expr.Node, len(shapes[0].leaves))
	for k, l0 := range shapes[0].leaves {
		same := true
		for _, sh := range shapes[1:] {
			l := sh.leaves[k]
			if l.name != l0.name || math.Float64bits(l.value) != math.Float64bits(l0.value) {
				same = false
				break
			}
		}
		if same {
			continue
		}
		if l0.num {
			vals := make([]float64, m)
			for c, sh := range shapes {
				vals[c] = sh.leaves[k].value
			}
			repl[k] = &expr.Ident{Name: g.nl.constTable(vals) + "[i]"}
			continue
		}
		cols := make([]int, m)
		for c, sh := range shapes {
			col, ok := stateCol[sh.leaves[k].name]
			if !ok || g.p.Columns[col].Scale != g.p.Columns[stateCol[l0.name]].Scale {
				return nil, nil
			}
			cols[c] = col
		}
		stride, ok := affine(cols)
		if !ok {
			return nil, nil
		}
		v := rowIndex(cols[0], stride)
		if s := g.p.Columns[cols[0]].Scale; s != 1 {
			v = "(" + v + "/" + formatFloat(s) + ")"
		}
		repl[k] = &expr.Ident{Name: v}
	}
	// the derived columns: the same temporary of every cell, a fixed
	// stride apart
	locals := make([][]string, m) // cell -> its temporaries in order
	for c, sh := range shapes {
		locals[c] = make([]string, len(sh.locals))
		for name, k := range sh.locals {
			locals[c][k] = name
		}
	}
	var writes []ir.Stmt
	var written []int
	for k, name0 := range locals[0] {
		col0, isCol := colOf[name0]
		cols := make([]int, m)
		for c := range shapes {
			col, ok := colOf[locals[c][k]]
			if ok != isCol || ok && g.p.Columns[col].Scale != g.p.Columns[col0].Scale {
				return nil, nil
			}
			cols[c] = col
		}
		if !isCol {
			continue
		}
		stride, ok := affine(cols)
		if !ok {
			return nil, nil
		}
		var v expr.Node = &expr.Ident{Name: name0}
		if s := g.p.Columns[col0].Scale; s != 1 {
			v = &expr.Binary{Op: "*", X: v, Y: &expr.Num{Value: s}}
		}
		writes = append(writes, &ir.Set{Name: rowIndex(cols[0], stride), Value: v})
		written = append(written, cols...)
	}
	tmpl := newShape()
	body := tmpl.stmts(stmts[spans[0].Start:spans[0].End], repl)
	return &ir.Loop{N: m, Body: append(body, writes...)}, written
}

// constTable returns the name of a constant table of the node loops
// holding vals, made once per distinct vals.
func (nl *nodeLoops) constTable(vals []float64) string {
	key := floatsKey(vals)
	idx, ok := nl.byKey[key]
	if !ok {
		idx = len(nl.consts)
		nl.byKey[key] = idx
		nl.consts = append(nl.consts, &nodeConsts{name: "nodeConst" + strconv.Itoa(idx), values: vals})
	}
	return nl.consts[idx].name
}
