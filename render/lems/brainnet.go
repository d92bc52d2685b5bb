package lems

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// A neural-mass network renders as one LEMS
// component holding the whole network: the model's state and derived
// variables once per node (V_n0, V_n1, ...), and every coupling input of
// every node a DerivedVariable written out as the compiled kernel computes
// it, the coupling function's post-expression over the sum, in ascending
// source order, of weight times pre-expression over the non-zero weights
// of the node's row. The weights are the compiled program's, after
// normalisation and scaling, so the rendered network is the simulated one.
//
// Why one component and not a population of nodes with continuous
// projections: a NeuroML continuousConnection carries one pre-synaptic
// value through a graded synapse into the post-synaptic cell's current,
// and a TVB coupling is a function of the sum over all sources, of both
// ends' states (Difference reads x_j - x_i), feeding a named model input
// rather than a current; written per node inside one component, the sum is
// exactly the kernel's. jNeuroML evaluates the derived variables from the
// state at the start of the step, which is TVB's per-step coupling.
//
// LEMS has no delay line for a continuous quantity, so conduction delays
// get one of StateVariables: a source state read d steps late comes from
// the d-th place of its node's line, and an OnCondition that holds at
// every step shifts each line by one place after the update (jLEMS
// applies OnConditions after the Euler step, every step their test holds),
// the state at the start of the step entering it. Before t = 0 every node
// has been at its initial state, as in the binary. A file of the whole
// Desikan-Killiany connectome at 0.1 ms steps holds tens of thousands of
// such places: large, but what the network is.

// nodeSuffix names node n's copy of a model variable.
func nodeSuffix(n int) string { return "_n" + strconv.Itoa(n) }

// renderBrainNetwork renders an undelayed, noiseless network of p.Nodes
// identical nodes; RenderBrain has checked those conditions.
func renderBrainNetwork(exp *ast.BrainExperiment, p *ir.Brain, m *massModel) (*Document, error) {
	name := safeID(m.name) + "_network"
	used := map[string]bool{"t": true, timeScaleConst: true}
	for _, n := range m.pOrder {
		used[n] = true
	}
	var exposures []string
	for n := 0; n < p.Nodes; n++ {
		sfx := nodeSuffix(n)
		for _, s := range m.states {
			used[s.Name.Value+sfx] = true
			exposures = append(exposures, s.Name.Value+sfx)
		}
		for _, d := range m.derived {
			used[d.Name.Value+sfx] = true
			exposures = append(exposures, d.Name.Value+sfx)
		}
		for _, in := range m.inputs {
			used[in.Name.Value+sfx] = true
		}
	}
	for _, x := range exposures {
		if _, isParam := m.params[x]; isParam {
			return nil, fmt.Errorf("%s: the network rendering names node %s's copy of a variable %q, which is also a parameter of the model; rename the parameter", exp.File, strings.TrimPrefix(x[strings.LastIndex(x, "_n"):], "_n"), x)
		}
	}
	lines := delayLines(p)
	for _, l := range lines {
		used[l.now] = true
		for m := 1; m <= l.depth; m++ {
			used[delayed(l.state, l.node, m)] = true
		}
	}
	pr := &printer{used: used}
	var body strings.Builder
	for n := 0; n < p.Nodes; n++ {
		sfx := nodeSuffix(n)
		pr.subst = map[string]string{"t": "(t / " + timeScaleConst + ")"}
		for _, s := range m.states {
			pr.subst[s.Name.Value] = s.Name.Value + sfx
		}
		for _, d := range m.derived {
			pr.subst[d.Name.Value] = d.Name.Value + sfx
		}
		for _, in := range m.inputs {
			pr.subst[in.Name.Value] = in.Name.Value + sfx
		}
		// coupling inputs: post(sum over the row of w * pre)
		for _, c := range p.Couplings {
			pr.owner = c.Input + sfx
			v, err := couplingValue(pr, p, c, n)
			if err != nil {
				return nil, fmt.Errorf("%s: coupling into %q: cannot render to LEMS: %v", exp.File, c.Input, err)
			}
			fmt.Fprintf(&body, "      <DerivedVariable name=%s dimension=\"none\" value=%s/>\n", attr(c.Input+sfx), attr(v))
		}
		for _, in := range m.inputs {
			if !hasCoupling(p, in.Name.Value) {
				// an input no coupling feeds is the post-expression of
				// nothing: zero, as the kernel has it
				fmt.Fprintf(&body, "      <DerivedVariable name=%s dimension=\"none\" value=\"0\"/>\n", attr(in.Name.Value+sfx))
			}
		}
		for _, d := range m.derived {
			pr.owner = d.Name.Value + sfx
			if d.Equation == nil {
				return nil, fmt.Errorf("%s: derived variable %q has no equation", d.Pos, d.Name.Value)
			}
			if call, ok := d.Equation.Node.(*expr.Call); ok && call.Func == "Piecewise" {
				cases, err := pr.piecewise(call)
				if err != nil {
					return nil, fmt.Errorf("%s: derived variable %q: cannot render to LEMS: %v", d.Pos, d.Name.Value, err)
				}
				writeConditional(&body, conditional{name: d.Name.Value + sfx, cases: cases}, true)
				continue
			}
			v, err := pr.print(d.Equation.Node)
			if err != nil {
				return nil, fmt.Errorf("%s: derived variable %q: cannot render to LEMS: %v", d.Pos, d.Name.Value, err)
			}
			fmt.Fprintf(&body, "      <DerivedVariable name=%s dimension=\"none\" exposure=%s value=%s/>\n", attr(d.Name.Value+sfx), attr(d.Name.Value+sfx), attr(v))
		}
		for _, s := range m.states {
			pr.owner = s.Name.Value + sfx
			v, err := pr.print(s.Equation.Node)
			if err != nil {
				return nil, fmt.Errorf("%s: state variable %q: cannot render to LEMS: %v", s.Pos, s.Name.Value, err)
			}
			fmt.Fprintf(&body, "      <TimeDerivative variable=%s value=%s/>\n", attr(s.Name.Value+sfx), attr("("+v+") / "+timeScaleConst))
		}
	}
	body.WriteString("      <OnStart>\n")
	for n := 0; n < p.Nodes; n++ {
		for _, s := range m.states {
			init, err := initialValue(p, s)
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(&body, "        <StateAssignment variable=%s value=%s/>\n", attr(s.Name.Value+nodeSuffix(n)), attr(formatNumber(init)))
		}
	}
	for _, l := range lines {
		init := p.States[l.index].Init
		for m := 1; m <= l.depth; m++ {
			fmt.Fprintf(&body, "        <StateAssignment variable=%s value=%s/>\n", attr(delayed(l.state, l.node, m)), attr(formatNumber(init)))
		}
	}
	body.WriteString("      </OnStart>\n")
	if len(lines) > 0 {
		// every step, after the update: each line moves one place, the
		// state at the start of the step entering it (deepest first, so
		// that the assignments mean the same run at once or in order)
		body.WriteString("      <OnCondition test=\"t .geq. 0\">\n")
		for _, l := range lines {
			for m := l.depth; m > 1; m-- {
				fmt.Fprintf(&body, "        <StateAssignment variable=%s value=%s/>\n", attr(delayed(l.state, l.node, m)), attr(delayed(l.state, l.node, m-1)))
			}
			fmt.Fprintf(&body, "        <StateAssignment variable=%s value=%s/>\n", attr(delayed(l.state, l.node, 1)), attr(l.now))
		}
		body.WriteString("      </OnCondition>\n")
	}
	for n := 0; n < p.Nodes; n++ {
		for _, s := range m.states {
			writeBounds(&body, s, s.Name.Value+nodeSuffix(n))
		}
	}

	var w bytes.Buffer
	doc := startMass(&w, exp, p)
	fmt.Fprintf(&w, "  <!-- %d %s nodes in one component: node n's variables end in _n<n>; the coupling inputs are written out from the compiled program's weights. -->\n", p.Nodes, m.name)
	fmt.Fprintf(&w, "  <ComponentType name=%s extends=\"baseCell\">\n", attr(name))
	for _, n := range m.pOrder {
		fmt.Fprintf(&w, "    <Parameter name=%s dimension=\"none\"/>\n", attr(n))
	}
	fmt.Fprintf(&w, "    <Constant name=%s dimension=\"time\" value=\"1ms\"/>\n", attr(timeScaleConst))
	for _, x := range exposures {
		fmt.Fprintf(&w, "    <Exposure name=%s dimension=\"none\"/>\n", attr(x))
	}
	w.WriteString("    <Dynamics>\n")
	for n := 0; n < p.Nodes; n++ {
		for _, s := range m.states {
			x := s.Name.Value + nodeSuffix(n)
			fmt.Fprintf(&w, "      <StateVariable name=%s dimension=\"none\" exposure=%s/>\n", attr(x), attr(x))
		}
	}
	for _, l := range lines {
		for m := 1; m <= l.depth; m++ {
			fmt.Fprintf(&w, "      <StateVariable name=%s dimension=\"none\"/>\n", attr(delayed(l.state, l.node, m)))
		}
	}
	for _, l := range lines {
		fmt.Fprintf(&w, "      <DerivedVariable name=%s dimension=\"none\" value=%s/>\n", attr(l.now), attr(l.state+nodeSuffix(l.node)))
	}
	for _, c := range pr.lifted {
		writeConditional(&w, c, false)
	}
	w.WriteString(body.String())
	w.WriteString("    </Dynamics>\n  </ComponentType>\n")

	fmt.Fprintf(&w, "  <%s id=%s", name, attr(name))
	for _, n := range m.pOrder {
		fmt.Fprintf(&w, " %s=%s", n, attr(formatNumber(m.params[n])))
	}
	w.WriteString("/>\n")
	return finishMass(&w, doc, exp, p, name, p.Nodes,
		func(state string, n int) string { return state + nodeSuffix(n) }, safeID)
}

// delayLine is the recent past of one state of one node that delayed
// couplings read: StateVariables <state>_n<node>_d1 .. _d<depth>, holding
// the state 1 .. depth steps ago, fed from now, a DerivedVariable equal
// to the state at the start of the step.
type delayLine struct {
	state       string
	index, node int
	depth       int
	now         string
}

// delayed names the delay line's place m steps back.
func delayed(state string, node, m int) string {
	return state + nodeSuffix(node) + "_d" + strconv.Itoa(m)
}

// delayLines lists the delay lines the couplings read, by state and node,
// each as deep as its longest delay.
func delayLines(p *ir.Brain) []delayLine {
	depth := map[[2]int]int{} // (state, node) -> longest delay
	for _, c := range p.Couplings {
		if c.Delay == nil {
			continue
		}
		for q, j := range c.Col {
			for _, s := range c.Sources {
				key := [2]int{s, j}
				depth[key] = max(depth[key], c.Delay[q])
			}
		}
	}
	var lines []delayLine
	for s := range p.States {
		for j := range p.Nodes {
			if d := depth[[2]int{s, j}]; d > 0 {
				name := p.States[s].Name
				lines = append(lines, delayLine{state: name, index: s, node: j, depth: d, now: name + nodeSuffix(j) + "_now"})
			}
		}
	}
	return lines
}

func hasCoupling(p *ir.Brain, input string) bool {
	for _, c := range p.Couplings {
		if c.Input == input {
			return true
		}
	}
	return false
}

// couplingValue writes coupling c of node i: Post with gx the sum over
// the row's non-zero weights, sources ascending, of weight * Pre, a
// delayed source read from its delay line.
func couplingValue(pr *printer, p *ir.Brain, c *ir.BrainCoupling, i int) (string, error) {
	target := func(k int) string { return p.States[c.Targets[k]].Name + nodeSuffix(i) }
	var terms []string
	for q := c.RowStart[i]; q < c.RowStart[i+1]; q++ {
		j := c.Col[q]
		names := map[string]string{}
		for k, s := range c.Sources {
			names[ir.SourceIdent(k)] = p.States[s].Name + nodeSuffix(j)
			if c.Delay != nil && c.Delay[q] > 0 {
				names[ir.SourceIdent(k)] = delayed(p.States[s].Name, j, c.Delay[q])
			}
		}
		for k := range c.Targets {
			names[ir.TargetIdent(k)] = target(k)
		}
		pre, err := printOnly(pr, c.Pre, names)
		if err != nil {
			return "", err
		}
		terms = append(terms, "("+formatNumber(c.Weight[q])+" * "+pre+")")
	}
	sum := "0"
	if len(terms) > 0 {
		sum = "(" + strings.Join(terms, " + ") + ")"
	}
	names := map[string]string{"gx": sum}
	for k := range c.Targets {
		names[ir.TargetIdent(k)] = target(k)
	}
	return printOnly(pr, c.Post, names)
}

// printOnly prints n with exactly the identifiers of names (a coupling
// expression of the compiled program reads nothing else).
func printOnly(pr *printer, n expr.Node, names map[string]string) (string, error) {
	for _, id := range expr.Idents(n) {
		if _, ok := names[id]; !ok {
			if _, isConst := expr.Constants[id]; !isConst {
				return "", fmt.Errorf("it reads %q", id)
			}
		}
	}
	saved := pr.subst
	pr.subst = names
	defer func() { pr.subst = saved }()
	return pr.print(n)
}

// initialValue is the compiled program's start value of state s.
func initialValue(p *ir.Brain, s *ast.MassState) (float64, error) {
	for _, bs := range p.States {
		if bs.Name == s.Name.Value {
			return bs.Init, nil
		}
	}
	return 0, fmt.Errorf("%s: state variable %q is not in the compiled model", s.Pos, s.Name.Value)
}
