package gen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// The vector forms of the whole-brain loops: the node step, a coupling's
// pre-values, target parts and post-expression (four nodes at a time) and
// a dense network's rows (sixteen columns at a time), through
// runtime.Vec4, written by the populations' vecWriter, so every lane
// computes exactly what the scalar loop computes for its node (the same
// operations in the same order; exp, sin, cos, tanh, Min and Max by the
// runtime's bit-exact vector forms). A node step calls exp or tanh for
// every node and stage in most neural masses (sigmoids, rates), and a
// scalar math.Exp is a call of about 14 ns: four lanes at a time take that
// out of the step. The nodes that do not make a whole four, and every
// program without a vector form (a general power, log, a condition, more
// than one noisy state...), take the scalar loop; the binaries built
// without the simd experiment have VecOn false and only the scalar loop.
// (The blocked sums of long delays, four steps at a time, are written
// with the rest of the blocked coupling in brain.go.)

// vecLoad is one Vec4 a vector node loop reads at node i: Ident from
// the array expression Array, contiguous over the nodes.
type vecLoad struct {
	Ident, Array string
}

// vecStore is one Vec4 the loop writes: Value into Array at node i.
type vecStore struct {
	Array string
	Value expr.Node
}

// brainVecWriter is a vecWriter for the whole-brain file: constants as the
// scalar loop writes them (its jennifer code rendered), the runtime as rt,
// the free parameters (sweeps) broadcast as loop invariants.
func (g *brainGen) brainVecWriter() *vecWriter {
	free := map[string]bool{}
	for _, p := range g.p.Params {
		free[p.Ident] = true
	}
	return &vecWriter{
		invariant: free,
		scalar: func(n expr.Node) (string, error) {
			c, err := g.w.expr(n)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("%#v", c), nil
		},
		rt:    "rt",
		names: map[string]string{},
	}
}

// vecNodeLoop writes a node loop as a vector loop over [lo, hi) four
// nodes at a time followed by scalar (the scalar loop's body, for the
// nodes left). Without a vector form it is the scalar loop alone.
func (g *brainGen) vecNodeLoop(loads []vecLoad, lets []*ir.Let, stores []vecStore, scalar []jen.Code) []jen.Code {
	plain := []jen.Code{blockFor("i").Block(scalar...)}
	v := g.brainVecWriter()
	var all []expr.Node
	for _, l := range lets {
		all = append(all, l.Value)
	}
	for _, s := range stores {
		all = append(all, s.Value)
	}
	v.pairedTrig(all...)
	var body []string
	for _, l := range loads {
		v.names[l.Ident] = l.Ident
		body = append(body, fmt.Sprintf("%s := rt.VecLoad((*[4]float64)(%s[i:]))", l.Ident, l.Array))
	}
	flush := func(stmt string) {
		body = append(body, v.pre...)
		v.pre = v.pre[:0]
		body = append(body, stmt)
	}
	for _, l := range lets {
		c, err := v.value(l.Value)
		if err != nil {
			return plain
		}
		flush(fmt.Sprintf("%s := %s", l.Name, c))
		v.names[l.Name] = l.Name
	}
	var outs []string
	for k, s := range stores {
		c, err := v.value(s.Value)
		if err != nil {
			return plain
		}
		name := fmt.Sprintf("vnew%d", k)
		flush(fmt.Sprintf("%s := %s", name, c))
		outs = append(outs, fmt.Sprintf("%s.Store((*[4]float64)(%s[i:]))", name, s.Array))
	}
	body = append(body, outs...)
	var vec []jen.Code
	for _, c := range v.consts {
		vec = append(vec, jen.Id(c))
	}
	var lines []jen.Code
	for _, b := range body {
		lines = append(lines, jen.Id(b))
	}
	lines = append([]jen.Code{jen.Id("i").Op(":=").Id("iv")}, lines...)
	vec = append(vec,
		jen.For(jen.Empty(), jen.Id("iv").Op("+").Lit(4).Op("<=").Id("hi"), jen.Id("iv").Op("+=").Lit(4)).Block(lines...),
		jen.Qual(RuntimePath, "VecDone").Call(),
	)
	return []jen.Code{jen.Block(
		jen.Id("iv").Op(":=").Id("lo"),
		jen.If(jen.Qual(RuntimePath, "VecOn")).Block(vec...),
		jen.For(jen.Id("i").Op(":=").Id("iv"), jen.Id("i").Op("<").Id("hi"), jen.Id("i").Op("++")).Block(scalar...),
	)}
}

// nodeVecLoads are the loads of the vector loop matching nodeLoads (and
// noiseLoads, and the loads of earlier passes): nil, false when one of
// them has no contiguous vector load.
func (g *brainGen) nodeVecLoads(used map[string]bool, stateFrom func(string) string, passLoads []string, noise bool) ([]vecLoad, bool) {
	p := g.p
	var loads []vecLoad
	for _, s := range p.States {
		if used[ir.StateIdent(s.Name)] {
			loads = append(loads, vecLoad{ir.StateIdent(s.Name), stateFrom(s.Name)})
		}
	}
	for _, in := range p.Inputs {
		if used[ir.InputIdent(in)] {
			loads = append(loads, vecLoad{ir.InputIdent(in), inputArray(in)})
		}
	}
	for _, name := range passLoads {
		loads = append(loads, vecLoad{name, passArray(name)})
	}
	if p.Stimulus != nil && used[ir.StimIdent] {
		return nil, false
	}
	if noise && g.noisyStates() > 0 {
		if g.noisyStates() > 1 {
			return nil, false // interleaved deviates: no contiguous load
		}
		for i, s := range p.States {
			if p.Noisy[i] {
				loads = append(loads, vecLoad{ir.NoiseIdent(s.Name), "noise[k&1]"})
			}
		}
	}
	return loads, true
}

// preScratch names the array a vector pre-value loop leaves coupling ci's
// k-th pre-value of every node in, for the scalar loop that puts it in
// place (interleaved with the others, or in the node's history ring).
func preScratch(ci, k int) string { return fmt.Sprintf("pvs%d_%d", ci, k) }

// vecPre reports whether coupling c's pre-values have a vector form: they
// read the states as float64 (not through float32 history) and every one
// is lane-exact.
func (g *brainGen) vecPre(c *ir.BrainCoupling) bool {
	if g.p.Float32 || len(c.Stored) == 0 {
		return false
	}
	v := g.brainVecWriter()
	for k := range c.Sources {
		v.names[ir.SourceIdent(k)] = ir.SourceIdent(k)
	}
	for _, s := range c.Stored {
		if _, err := v.value(s); err != nil {
			return false
		}
	}
	return true
}

// preLoop writes the loop over this worker's nodes j that computes
// coupling c's pre-values (pv0, pv1, ... of the states in the arrays from
// names) and runs put, which stores them. With a vector form, four nodes
// at a time compute them into the preScratch arrays, and a scalar loop
// puts them: most pre-values are a sigmoid's exp or Kuramoto's sin and cos
// of every node.
func (g *brainGen) preLoop(ci int, c *ir.BrainCoupling, from func(state string) string, put []jen.Code) ([]jen.Code, error) {
	scalar, err := g.preValues(c, from, jen.Id("j"))
	if err != nil {
		return nil, err
	}
	scalar = append(scalar, put...)
	if !g.vecPre(c) {
		return []jen.Code{blockFor("j").Block(scalar...)}, nil
	}
	v := g.brainVecWriter()
	v.pairedTrig(c.Stored...)
	used := identsOf(c.Stored...)
	var lines []jen.Code
	lines = append(lines, jen.Id("j").Op(":=").Id("jv"))
	for k, s := range c.Sources {
		if used[ir.SourceIdent(k)] {
			v.names[ir.SourceIdent(k)] = ir.SourceIdent(k)
			lines = append(lines, jen.Id(fmt.Sprintf("%s := rt.VecLoad((*[4]float64)(%s[j:]))", ir.SourceIdent(k), from(g.p.States[s].Name))))
		}
	}
	var picks []jen.Code
	for k, s := range c.Stored {
		val, err := v.value(s)
		if err != nil {
			return nil, err // vecPre said it had one
		}
		for _, p := range v.pre {
			lines = append(lines, jen.Id(p))
		}
		v.pre = v.pre[:0]
		lines = append(lines, jen.Id(fmt.Sprintf("%s.Store((*[4]float64)(%s[j:]))", val, preScratch(ci, k))))
		picks = append(picks, jen.Id(fmt.Sprintf("pv%d", k)).Op(":=").Id(preScratch(ci, k)).Index(jen.Id("j")))
	}
	var vec []jen.Code
	for _, c := range v.consts {
		vec = append(vec, jen.Id(c))
	}
	vec = append(vec,
		jen.For(jen.Empty(), jen.Id("jv").Op("+").Lit(4).Op("<=").Id("hi"), jen.Id("jv").Op("+=").Lit(4)).Block(lines...),
		jen.Qual(RuntimePath, "VecDone").Call(),
		jen.For(jen.Id("j").Op(":=").Id("lo"), jen.Id("j").Op("<").Id("jv"), jen.Id("j").Op("++")).Block(append(picks, put...)...),
	)
	return []jen.Code{jen.Block(
		jen.Id("jv").Op(":=").Id("lo"),
		jen.If(jen.Qual(RuntimePath, "VecOn")).Block(vec...),
		jen.For(jen.Id("j").Op(":=").Id("jv"), jen.Id("j").Op("<").Id("hi"), jen.Id("j").Op("++")).Block(scalar...),
	)}, nil
}

// preScratchArrays declares the preScratch arrays of every coupling whose
// pre-values have a vector form.
func (g *brainGen) preScratchArrays() []jen.Code {
	var out []jen.Code
	for ci, c := range g.p.Couplings {
		if g.vecPre(c) {
			for k := range c.Stored {
				out = append(out, jen.Var().Id(preScratch(ci, k)).Index(jen.Id("nodes")).Float64())
			}
		}
	}
	return out
}

// targetScratch names the array of term m's target part of coupling ci
// at every node (targetLoop).
func targetScratch(ci, m int) string { return fmt.Sprintf("tgt%d_%d", ci, m) }

// hoistsTarget reports whether term m's target part of coupling c is
// worth a loop of its own: it calls one of the functions the runtime
// takes four lanes at a time (Kuramoto's cos x_i and sin x_i; a product
// or a constant stays in the row), and all of it has a vector form.
func (g *brainGen) hoistsTarget(c *ir.BrainCoupling, m int) bool {
	t := c.Terms[m].Target
	if g.p.Float32 || t == nil {
		return false
	}
	if !callsVecFunc(t) {
		return false
	}
	v := g.brainVecWriter()
	for k := range c.Targets {
		v.names[ir.TargetIdent(k)] = ir.TargetIdent(k)
	}
	_, err := v.value(t)
	return err == nil
}

// targetLoop writes the loop over the worker's nodes i that leaves the
// target part of every term hoistsTarget picks in its targetScratch (one
// loop for all, so that Kuramoto's cos x_i and -sin x_i share one
// VecSinCos): the values the row would compute (a target part is a whole
// operand of its product). Nothing when no term is picked.
func (g *brainGen) targetLoop(ci int, c *ir.BrainCoupling, from func(state string) string) []jen.Code {
	var picked []int
	var parts []expr.Node
	for m := range c.Terms {
		if _, _, own := g.targetIsPre(c, m, from); g.hoistsTarget(c, m) && !own {
			picked = append(picked, m)
			parts = append(parts, c.Terms[m].Target)
		}
	}
	if len(picked) == 0 {
		return nil
	}
	used := identsOf(parts...)
	var loads []vecLoad
	var scalar []jen.Code
	for k, s := range c.Targets {
		if used[ir.TargetIdent(k)] {
			loads = append(loads, vecLoad{ir.TargetIdent(k), from(g.p.States[s].Name)})
			scalar = append(scalar, jen.Id(ir.TargetIdent(k)).Op(":=").Id(from(g.p.States[s].Name)).Index(jen.Id("i")))
		}
	}
	var stores []vecStore
	for _, m := range picked {
		val, err := g.w.expr(c.Terms[m].Target)
		if err != nil {
			return nil // hoistsTarget wrote it
		}
		scalar = append(scalar, jen.Id(targetScratch(ci, m)).Index(jen.Id("i")).Op("=").Add(val))
		stores = append(stores, vecStore{targetScratch(ci, m), c.Terms[m].Target})
	}
	return g.vecNodeLoop(loads, nil, stores, scalar)
}

// targetIsPre reports whether term m's target part is the node's own
// pre-value slot of coupling c (or its negation): Kuramoto's cos x_i is its
// pre-value cos x_j at j = i, and -sin x_i minus sin x_j. It is read
// from the pre-values then, which hold the same number, when they are this
// step's own: the states the target reads are the step's (not a later
// stage's, which the ring of a delayed coupling does not hold) and the
// values float64.
func (g *brainGen) targetIsPre(c *ir.BrainCoupling, m int, from func(state string) string) (slot int, neg, ok bool) {
	t := c.Terms[m].Target
	if g.p.Float32 || t == nil || len(c.Stored) == 0 {
		return 0, false, false
	}
	same := map[string]string{}
	for k, s := range c.Targets {
		if from(g.p.States[s].Name) != stateArray(g.p.States[s].Name) && isDelayed(c) {
			return 0, false, false
		}
		for k2, s2 := range c.Sources {
			if s2 == s {
				same[ir.TargetIdent(k)] = ir.SourceIdent(k2)
			}
		}
	}
	missing := false
	as := expr.Rewrite(t, func(n expr.Node) expr.Node {
		if id, ok := n.(*expr.Ident); ok {
			if to, ok := same[id.Name]; ok {
				return &expr.Ident{P: id.P, Name: to}
			}
			missing = missing || strings.HasPrefix(id.Name, ir.TargetIdent(0)[:3])
		}
		return n
	})
	if missing {
		return 0, false, false
	}
	for k, v := range c.Stored {
		if as.String() == v.String() {
			return k, false, true
		}
		if u, isNeg := as.(*expr.Unary); isNeg && u.Op == "-" && u.X.String() == v.String() {
			return k, true, true
		}
	}
	return 0, false, false
}

// targetRead is the row's read of term m's target part when it is not
// computed in the row: from the pre-values (targetIsPre; a delayed
// coupling's at the step's own slot, base) or from targetLoop's array.
// Nil when the row computes it.
func (g *brainGen) targetRead(ci int, c *ir.BrainCoupling, m int, from func(state string) string, delayed bool) jen.Code {
	if slot, neg, ok := g.targetIsPre(c, m, from); ok && g.hoistsTarget(c, m) {
		var at jen.Code = preIndex(slot, jen.Id("i"))
		if delayed {
			at = ringIndex(slot, jen.Id("i").Op("*").Id("span").Op("+").Id("base"))
		}
		read := jen.Add(g.fromHist(jen.Id(preArray(ci)).Index(at)))
		if neg {
			return jen.Op("-").Add(read)
		}
		return read
	}
	if g.hoistsTarget(c, m) {
		return jen.Id(targetScratch(ci, m)).Index(jen.Id("i"))
	}
	return nil
}

// targetScratchArrays declares the targetScratch arrays.
func (g *brainGen) targetScratchArrays() []jen.Code {
	var out []jen.Code
	for ci, c := range g.p.Couplings {
		for m := range c.Terms {
			if g.hoistsTarget(c, m) {
				// unused where every pass reads the pre-values instead
				out = append(out, jen.Var().Id(targetScratch(ci, m)).Index(jen.Id("nodes")).Float64(),
					jen.Id("_").Op("=").Id(targetScratch(ci, m)))
			}
		}
	}
	return out
}

// Dense couplings. A coupling without delays on a dense network (most
// parcellations: DK-87 has 59% of its weights non-zero) sums each row
// whole, sixteen columns at a time: four Vec4s of weights times four of
// source values into sixteen partial sums (denseSums). The scalar loop
// adds in exactly that order, so the result does not depend on VecOn. A
// zero weight adds w*x = 0, which leaves a sum unchanged.

// denseMaxBytes bounds a dense table (nodes^2 float64s): beyond it the
// compressed rows stay, whatever the density.
const denseMaxBytes = 8 << 20

// denseMinFill is the share of non-zero weights from which dense rows,
// four columns per vector operation, beat compressed rows, one edge per
// scalar operation and an index load.
const denseMinFill = 0.25

// dense reports whether coupling c sums dense rows (denseSums): no
// delays, float64 sums, a network dense enough and small enough, and no
// edge listed twice (a dense table would merge the two weights, which
// rounds differently).
func (g *brainGen) dense(c *ir.BrainCoupling) bool {
	n := g.p.Nodes
	if isDelayed(c) || g.p.Float32 || len(c.Col) == 0 || n < 4 || n*n*8 > denseMaxBytes {
		return false
	}
	if float64(len(c.Col)) < denseMinFill*float64(n)*float64(n) {
		return false
	}
	for i := 0; i+1 < len(c.RowStart); i++ {
		for e := c.RowStart[i] + 1; e < c.RowStart[i+1]; e++ {
			if c.Col[e] <= c.Col[e-1] {
				return false // not strictly ascending: a repeated edge
			}
		}
	}
	return true
}

// denseTable declares coupling ci's dense weights, filled from the
// compressed rows when the program starts (a literal of nodes^2 values
// would bloat the generated file).
func (g *brainGen) denseTable(f *jen.File, ci int, c *ir.BrainCoupling) {
	if !g.dense(c) {
		return
	}
	pre := fmt.Sprintf("coupling%d", ci)
	f.Commentf("%sDense is %s's weights as a dense row-major matrix (row i = target).", pre, pre)
	f.Var().Id(pre + "Dense").Index(jen.Id("nodes").Op("*").Id("nodes")).Float64()
	f.Func().Id("init").Params().Block(
		jen.For(jen.Id("i").Op(":=").Range().Id("nodes")).Block(
			jen.For(jen.Id("n").Op(":=").Id(pre+"Start").Index(jen.Id("i")), jen.Id("n").Op("<").Id(pre+"Start").Index(jen.Id("i").Op("+").Lit(1)), jen.Id("n").Op("++")).Block(
				jen.Id(pre + "Dense").Index(jen.Id("i").Op("*").Id("nodes").Op("+").Int().Call(jen.Id(pre + "Col").Index(jen.Id("n")))).Op("=").Id(pre + "Weight").Index(jen.Id("n")),
			),
		),
	)
}

// denseSource is the array of term t's source values of every node, in
// node order: a state (or stage state) array, or one of the step's
// pre-values.
func (g *brainGen) denseSource(ci int, c *ir.BrainCoupling, t ir.SepTerm, from func(state string) string) jen.Code {
	if t.Slot >= 0 {
		return jen.Id(preArray(ci)).Index(preIndex(t.Slot, jen.Lit(0)).Op(":").Add(preIndex(t.Slot, jen.Id("nodes"))))
	}
	state := g.p.States[c.Sources[sourceIndex(t.Source)]].Name
	return jen.Id(from(state)).Index(jen.Op(":"))
}

// denseLanes is how many partial sums a dense row keeps per term: four
// Vec4 accumulators, so that four chains of adds run side by side (one
// accumulator waited for its last add every four columns).
const denseLanes = 16

// denseSums writes row i's sums of coupling ci into gsM (M the term), as
// laneSums names them, from the dense table (see dense): lane L adds the
// columns j = L mod 16 in ascending order; lane u+4m is lane u of
// accumulator m. The lanes are combined as t_u = (l_u + l_u+4) + (l_u+8 +
// l_u+12), then (t_0 + t_1) + (t_2 + t_3), in scalar code for both paths.
func (g *brainGen) denseSums(ci int, c *ir.BrainCoupling, from func(state string) string) []jen.Code {
	pre := fmt.Sprintf("coupling%d", ci)
	n := g.p.Nodes
	q16, q4 := n&^(denseLanes-1), n&^3
	vec4 := func(a string, at jen.Code) jen.Code {
		return jen.Parens(jen.Op("*").Index(jen.Lit(4)).Float64()).Call(jen.Id(a).Index(jen.Add(at).Op(":")))
	}
	load := func(a string, at jen.Code) jen.Code { return jen.Qual(RuntimePath, "VecLoad").Call(vec4(a, at)) }
	code := []jen.Code{jen.Id("row").Op(":=").Id(pre + "Dense").Index(jen.Id("i").Op("*").Id("nodes").Op(":").Id("i").Op("*").Id("nodes").Op("+").Id("nodes"))}
	var vecInit, vecBody, vecTail, vecOut, scalarBody, scalarTail, rest, combine []jen.Code
	// one conversion (and bounds check) per array and sixteen columns;
	// the four loads from it have constant bounds
	sixteen := func(name, a string) jen.Code {
		return jen.Id(name).Op(":=").Parens(jen.Op("*").Index(jen.Lit(denseLanes)).Float64()).Call(jen.Id(a).Index(jen.Id("j").Op(":")))
	}
	quarter := func(a string, m int) jen.Code {
		return jen.Qual(RuntimePath, "VecLoad").Call(jen.Parens(jen.Op("*").Index(jen.Lit(4)).Float64()).Call(jen.Id(a).Index(jen.Lit(4 * m).Op(":").Lit(4*m + 4))))
	}
	vecBody = append(vecBody, sixteen("r16", "row"))
	for m := range 4 {
		vecBody = append(vecBody, jen.Id(fmt.Sprintf("w%d", m)).Op(":=").Add(quarter("r16", m)))
	}
	for m, t := range c.Terms {
		if t.Source == nil {
			continue
		}
		x, l := fmt.Sprintf("x%d", m), fmt.Sprintf("l%d", m)
		acc := func(a int) string { return fmt.Sprintf("acc%d_%d", m, a) }
		code = append(code,
			jen.Id(x).Op(":=").Add(g.denseSource(ci, c, t, from)),
			jen.Var().Id(l).Index(jen.Lit(denseLanes)).Float64())
		vecBody = append(vecBody, sixteen(x+"16", x))
		for a := range 4 {
			vecInit = append(vecInit, jen.Id(acc(a)).Op(":=").Qual(RuntimePath, "VecConst").Call(jen.Lit(0.0)))
			vecBody = append(vecBody, jen.Id(acc(a)).Op("=").Id(acc(a)).Dot("Add").Call(jen.Id(fmt.Sprintf("w%d", a)).Dot("Mul").Call(quarter(x+"16", a))))
			vecOut = append(vecOut, jen.Id(acc(a)).Dot("Store").Call(vec4(l, jen.Lit(4*a))))
		}
		for L := range denseLanes {
			scalarBody = append(scalarBody, jen.Id(l).Index(jen.Lit(L)).Op("+=").Id("row").Index(jen.Id("j").Op("+").Lit(L)).Op("*").Id(x).Index(jen.Id("j").Op("+").Lit(L)))
		}
		// the whole fours after the last sixteen: to their accumulators
		for j := q16; j < q4; j += 4 {
			a := (j % denseLanes) / 4
			vecTail = append(vecTail, jen.Id(acc(a)).Op("=").Id(acc(a)).Dot("Add").Call(load("row", jen.Lit(j)).(*jen.Statement).Dot("Mul").Call(load(x, jen.Lit(j)))))
			for u := range 4 {
				scalarTail = append(scalarTail, jen.Id(l).Index(jen.Lit(a*4+u)).Op("+=").Id("row").Index(jen.Lit(j+u)).Op("*").Id(x).Index(jen.Lit(j+u)))
			}
		}
		// the columns left over: to their lanes, in scalar code
		for j := q4; j < n; j++ {
			rest = append(rest, jen.Id(l).Index(jen.Lit(j%denseLanes)).Op("+=").Id("row").Index(jen.Lit(j)).Op("*").Id(x).Index(jen.Lit(j)))
		}
		name := fmt.Sprintf("gs%d", m)
		lane := func(L int) jen.Code { return jen.Id(l).Index(jen.Lit(L)) }
		var ts []jen.Code
		for u := range 4 {
			ts = append(ts, jen.Parens(jen.Parens(jen.Add(lane(u)).Op("+").Add(lane(u+4))).Op("+").Parens(jen.Add(lane(u+8)).Op("+").Add(lane(u+12)))))
		}
		combine = append(combine, jen.Id(name).Op(":=").Parens(jen.Add(ts[0]).Op("+").Add(ts[1])).Op("+").Parens(jen.Add(ts[2]).Op("+").Add(ts[3])))
	}
	vec := append(vecInit, jen.For(jen.Id("j").Op(":=").Lit(0), jen.Id("j").Op("+").Lit(denseLanes).Op("<=").Id("nodes"), jen.Id("j").Op("+=").Lit(denseLanes)).Block(vecBody...))
	vec = append(vec, vecTail...)
	vec = append(vec, vecOut...)
	vec = append(vec, jen.Qual(RuntimePath, "VecDone").Call())
	scalar := append([]jen.Code{jen.For(jen.Id("j").Op(":=").Lit(0), jen.Id("j").Op("+").Lit(denseLanes).Op("<=").Id("nodes"), jen.Id("j").Op("+=").Lit(denseLanes)).Block(scalarBody...)}, scalarTail...)
	code = append(code, jen.If(jen.Qual(RuntimePath, "VecOn")).Block(vec...).Else().Block(scalar...))
	code = append(code, rest...)
	return append(code, combine...)
}

// postScratch names the array of coupling ci's sum gx at every node, when
// its post-expression is computed in a loop of its own (postLoop).
func postScratch(ci int) string { return fmt.Sprintf("gxs%d", ci) }

// hoistsPost reports whether coupling c's post-expression is worth a loop
// of its own: it reads only the sum gx, calls one of the functions the
// runtime takes four lanes at a time (a sigmoid of the sum), and has a
// vector form.
func (g *brainGen) hoistsPost(c *ir.BrainCoupling) bool {
	if c.Post == nil || len(c.Col) == 0 {
		return false
	}
	ids := identsOf(c.Post)
	if len(ids) != 1 || !ids["gx"] {
		return false
	}
	if !callsVecFunc(c.Post) {
		return false
	}
	v := g.brainVecWriter()
	v.names["gx"] = "gx"
	_, err := v.value(c.Post)
	return err == nil
}

// postLoop writes the loop that turns every node's sum (postScratch) into
// coupling ci's input, when hoistsPost: the value the row would compute.
func (g *brainGen) postLoop(ci int, c *ir.BrainCoupling) ([]jen.Code, bool) {
	if !g.hoistsPost(c) {
		return nil, false
	}
	val, err := g.w.expr(c.Post)
	if err != nil {
		return nil, false
	}
	scalar := []jen.Code{
		jen.Id("gx").Op(":=").Id(postScratch(ci)).Index(jen.Id("i")),
		jen.Id(inputArray(c.Input)).Index(jen.Id("i")).Op("=").Add(val),
	}
	return g.vecNodeLoop([]vecLoad{{"gx", postScratch(ci)}}, nil, []vecStore{{inputArray(c.Input), c.Post}}, scalar), true
}

// postScratchArrays declares the postScratch arrays.
func (g *brainGen) postScratchArrays() []jen.Code {
	var out []jen.Code
	for ci, c := range g.p.Couplings {
		if g.hoistsPost(c) {
			out = append(out, jen.Var().Id(postScratch(ci)).Index(jen.Id("nodes")).Float64())
		}
	}
	return out
}

// callsVecFunc reports whether n calls a function the runtime takes four
// lanes at a time (vecFuncs): what makes a part worth a loop of its own.
func callsVecFunc(n expr.Node) bool {
	calls := false
	expr.Inspect(n, func(m expr.Node) bool {
		if x, ok := m.(*expr.Call); ok && vecFuncs[x.Func] != "" {
			calls = true
		}
		return !calls
	})
	return calls
}

// scratchArrays declares the arrays the vector loops leave their values
// in for the scalar code that reads them: pre-values, target parts and
// sums before their post-expression.
func (g *brainGen) scratchArrays() []jen.Code {
	out := g.preScratchArrays()
	out = append(out, g.targetScratchArrays()...)
	return append(out, g.postScratchArrays()...)
}
