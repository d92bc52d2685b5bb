package gen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// The vector form of the whole-brain node loops: four nodes at a time
// through runtime.Vec4, written by the populations' vecWriter, so every
// lane computes exactly what the scalar loop computes for its node (the
// same operations in the same order; exp, sin, cos, tanh, Min and Max by
// the runtime's bit-exact vector forms). A node step calls exp or tanh
// for every node and stage in most neural masses (sigmoids, rates), and a
// scalar math.Exp is a call of about 14 ns: four lanes at a time take that
// out of the step. The nodes that do not make a whole four, and every
// program without a vector form (a general power, log, a condition, more
// than one noisy state...), take the scalar loop; the binaries built
// without the simd experiment have VecOn false and only the scalar loop.

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
// scalar loop writes them (its jennifer code rendered), the runtime as rt.
func (g *brainGen) brainVecWriter() *vecWriter {
	return &vecWriter{
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
