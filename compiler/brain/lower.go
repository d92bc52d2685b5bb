package brain

import (
	"fmt"
	"math"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// derivedIdent is the placeholder a model expression uses for a derived
// variable before a stage gives it its own temporary.
func derivedIdent(name string) string { return "d_" + name }

// bindModel turns a model expression into a template over state
// placeholders (ir.StateIdent), derived placeholders and coupling inputs,
// with parameters as numbers. Inputs no coupling feeds (local_coupling
// among them: TVB's surface coupling is zero on a region connectome) are 0.
func (c *compiler) bindModel(e *ast.Expr, what string, derivedSoFar map[string]bool) expr.Node {
	bad := false
	out := expr.Rewrite(e.Node, func(n expr.Node) expr.Node {
		x, ok := n.(*expr.Ident)
		if !ok {
			return n
		}
		// A derived variable defined above shadows a parameter of the
		// same name, as the local assignment does in TVB's dfun (Zerlaut's
		// S_i is a parameter and the derived (sigma_V_i - sV0)/DsV0).
		if derivedSoFar[x.Name] {
			return &expr.Ident{P: x.P, Name: derivedIdent(x.Name)}
		}
		if p := c.free["model:"+x.Name]; p != nil {
			return &expr.Ident{P: x.P, Name: p.Ident}
		}
		if pe := c.m.pExpr[x.Name]; pe != nil && c.readsFree(pe.Node) {
			// a derived parameter of a free one: computed by the kernel,
			// not folded at the free one's default
			if b := c.bindModel(pe, "parameter "+x.Name, nil); b != nil {
				return b
			}
			bad = true
			return n
		}
		if v, ok := c.m.params[x.Name]; ok {
			return &expr.Num{P: x.P, Value: v}
		}
		if c.m.state(x.Name) >= 0 {
			return &expr.Ident{P: x.P, Name: ir.StateIdent(x.Name)}
		}
		if in := c.m.input(x.Name); in != nil {
			if c.coupled[x.Name] {
				return &expr.Ident{P: x.P, Name: ir.InputIdent(x.Name)}
			}
			return &expr.Num{P: x.P, Value: 0}
		}
		if v, ok := expr.Constants[x.Name]; ok {
			return &expr.Num{P: x.P, Value: v}
		}
		if x.Name == "local_coupling" {
			// TVB's surface coupling, used by models that do not declare
			// it as an input: zero on a region connectome.
			return &expr.Num{P: x.P, Value: 0}
		}
		known := append(append([]string{}, c.m.pOrder...), c.m.stateNames()...)
		c.errorf(e.PosOf(x.P), "unknown name %q in %s", x.Name, what).
			Hint = "names: parameters, state variables, derived variables defined above it, coupling inputs" + closest(x.Name, known)
		bad = true
		return n
	})
	if bad || !c.finite(e, what) {
		return nil
	}
	return fold(out)
}

// readsFree says whether a parameter expression reads a free parameter,
// itself or through the parameters it reads.
func (c *compiler) readsFree(n expr.Node) bool {
	free := false
	expr.Inspect(n, func(m expr.Node) bool {
		if x, ok := m.(*expr.Ident); ok {
			if c.free["model:"+x.Name] != nil {
				free = true
			} else if pe := c.m.pExpr[x.Name]; pe != nil && c.readsFree(pe.Node) {
				free = true
			}
		}
		return !free
	})
	return free
}

// finite refuses a model expression with an operation whose operands are
// fixed and whose value is not (expr.NonFinite): a division by a zero
// parameter, the log of a negative one. When the experiment sets a
// parameter that causes it, the message points there; otherwise at the
// operation.
func (c *compiler) finite(e *ast.Expr, what string) bool {
	bad, why := expr.NonFinite(e.Node, func(name string) (float64, bool) {
		if c.free["model:"+name] != nil {
			return 0, false
		}
		v, ok := c.m.params[name]
		return v, ok
	})
	if bad == nil {
		return true
	}
	for _, id := range expr.Idents(expr.Cause(bad)) {
		if pos, ok := c.m.pPos[id]; ok && pos.File == c.exp.File {
			// once per parameter: tau_s = 0 divides in four equations
			if !c.nonFinite[id] {
				if c.nonFinite == nil {
					c.nonFinite = map[string]bool{}
				}
				c.nonFinite[id] = true
				c.errorf(pos, "parameter %s = %g: %s in %s (%s)", id, c.m.params[id], why, what, e.Src).
					Hint = "no value of the experiment may be infinite or NaN"
			}
			return false
		}
	}
	c.errorf(e.PosOf(bad.Pos()), "%s: %s in %q", what, why, e.Src).
		Hint = "no value of the experiment may be infinite or NaN; check the parameters it uses"
	return false
}

// nodeBody writes the integration step of one node.
func (c *compiler) nodeBody() {
	m := c.m
	derivedSoFar := map[string]bool{}
	type derivedT struct {
		name  string
		value expr.Node
	}
	var derived []derivedT
	for _, d := range m.derived {
		if d.Equation == nil {
			continue
		}
		v := c.bindModel(d.Equation, fmt.Sprintf("derived variable %q", d.Name.Value), derivedSoFar)
		derived = append(derived, derivedT{d.Name.Value, v})
		derivedSoFar[d.Name.Value] = true
	}
	rates := make([]expr.Node, len(m.states))
	for i, s := range m.states {
		if s.rate == nil {
			c.errorf(s.pos, "state variable %q has no equation", s.name)
			continue
		}
		rates[i] = c.bindModel(s.rate, fmt.Sprintf("the equation of %s", s.name), derivedSoFar)
	}
	if len(c.errs) > 0 {
		return
	}
	var body []ir.Stmt
	// With per-stage coupling every stage after the first starts a new
	// pass (its coupling inputs are recomputed from its state `at` before
	// it): passOf says which pass computes each temporary.
	perStage := false
	for _, cp := range c.p.Couplings {
		// an adaptive method has no passes: per-stage couplings go into
		// its right-hand side, per-step ones are held (Brain.Adaptive)
		perStage = perStage || (cp.PerStage && c.p.Method != "euler" && c.p.Adaptive == nil)
	}
	pass, passOf := 0, map[string]int{}
	var stageAt [][]expr.Node
	let := func(name string, v expr.Node) expr.Node {
		switch v.(type) {
		case *expr.Num, *expr.Ident:
			return v
		}
		body = append(body, &ir.Let{Name: name, Value: v})
		passOf[name] = pass
		return ident(name)
	}
	// hoist gives every Piecewise inside an expression a temporary of its
	// own (sel<k>: no underscore, so no model name can collide), which the
	// generator writes as an if-chain; a Piecewise that is a whole value
	// already is one.
	sel := 0
	hoist := func(n expr.Node) expr.Node {
		if c, ok := n.(*expr.Call); ok && c.Func == "Piecewise" {
			n = &expr.Call{P: c.P, Func: c.Func, Args: hoistArgs(c.Args, func(v expr.Node) expr.Node {
				sel++
				return let(fmt.Sprintf("sel%d", sel), v)
			})}
			return n
		}
		return expr.Rewrite(n, func(n expr.Node) expr.Node {
			if c, ok := n.(*expr.Call); ok && c.Func == "Piecewise" {
				sel++
				return let(fmt.Sprintf("sel%d", sel), n)
			}
			return n
		})
	}
	// stage evaluates every rate at the state `at`; tag names its
	// temporaries.
	stage := func(at []expr.Node, tag string) []expr.Node {
		if perStage {
			if len(stageAt) > 0 {
				pass++
			}
			stageAt = append(stageAt, at)
		}
		env := map[string]expr.Node{}
		for i, s := range m.states {
			env[ir.StateIdent(s.name)] = at[i]
		}
		subst := func(n expr.Node) expr.Node {
			return fold(expr.Rewrite(n, func(n expr.Node) expr.Node {
				if x, ok := n.(*expr.Ident); ok {
					if v, ok := env[x.Name]; ok {
						return v
					}
				}
				return n
			}))
		}
		for _, d := range derived {
			env[derivedIdent(d.name)] = let(fmt.Sprintf("%s_%s", d.name, tag), hoist(subst(d.value)))
		}
		out := make([]expr.Node, len(m.states))
		for i, s := range m.states {
			out[i] = let(fmt.Sprintf("d%s_%s", s.name, tag), hoist(subst(rates[i])))
		}
		return out
	}
	x := make([]expr.Node, len(m.states))
	for i, s := range m.states {
		x[i] = ident(ir.StateIdent(s.name))
	}
	dt := c.p.DtModel
	noise := make([]expr.Node, len(m.states))
	for i, s := range m.states {
		if c.p.Noisy[i] {
			// TVB's additive noise: sigma * dW with dW = sqrt(dt) * N(0, 1)
			noise[i] = mul(num(c.noiseAmp[i]*math.Sqrt(dt)), ident(ir.NoiseIdent(s.name)))
		}
	}
	withNoise := func(i int, v expr.Node) expr.Node {
		if noise[i] == nil {
			return v
		}
		return add(v, noise[i])
	}
	// bound clamps state i to its boundaries, as TVB's integrators do
	// (bound_and_clamp) to every intermediate state and to the new state.
	bound := func(i int, v expr.Node) expr.Node {
		s := m.states[i]
		if s.lo.Set && !math.IsInf(s.lo.Value, -1) {
			v = &expr.Call{Func: "Max", Args: []expr.Node{v, num(s.lo.Value)}}
		}
		if s.hi.Set && !math.IsInf(s.hi.Value, 1) {
			v = &expr.Call{Func: "Min", Args: []expr.Node{v, num(s.hi.Value)}}
		}
		return v
	}
	// stim is TVB's region stimulus of state i (nil: none), held through
	// the step: TVB's Euler and Heun add dt * stimulus to every stage's
	// increment, its RK4 to the new state only.
	stim := make([]expr.Node, len(m.states))
	if st := c.p.Stimulus; st != nil {
		for _, i := range st.States {
			stim[i] = ident(ir.StimIdent)
		}
	}
	withStim := func(i int, rate expr.Node) expr.Node {
		if stim[i] == nil {
			return rate
		}
		return add(rate, stim[i])
	}
	next := make([]expr.Node, len(m.states))
	switch c.p.Method {
	case "identity":
		// a map: x_{n+1} = f(x_n) (+ the stimulus, as TVB's Identity)
		k1 := stage(x, "1")
		for i := range next {
			next[i] = bound(i, withStim(i, k1[i]))
		}
	case "euler":
		k1 := stage(x, "1")
		for i := range next {
			next[i] = bound(i, withNoise(i, add(x[i], mul(num(dt), withStim(i, k1[i])))))
		}
	case "heun":
		k1 := stage(x, "1")
		inter := make([]expr.Node, len(x))
		for i := range x {
			inter[i] = let(fmt.Sprintf("%s_inter", m.states[i].name), bound(i, withNoise(i, add(x[i], mul(num(dt), withStim(i, k1[i]))))))
		}
		k2 := stage(inter, "2")
		for i := range next {
			// TVB: X + (dX0 + dX1) * dt / 2.0 (+ dt * stimulus)
			v := add(x[i], div(mul(add(k1[i], k2[i]), num(dt)), num(2)))
			if stim[i] != nil {
				v = add(v, mul(num(dt), stim[i]))
			}
			next[i] = bound(i, withNoise(i, v))
		}
	case "dopri5", "dopri853":
		// the right-hand side only: the runtime's Dormand-Prince
		// driver combines the stages (Brain.Adaptive)
		k1 := stage(x, "1")
		copy(next, k1)
	case "rk4":
		k1 := stage(x, "1")
		at := func(k []expr.Node, h float64, tag string) []expr.Node {
			out := make([]expr.Node, len(x))
			for i := range x {
				out[i] = let(fmt.Sprintf("%s_%s", m.states[i].name, tag), bound(i, add(x[i], mul(num(h), k[i]))))
			}
			return out
		}
		k2 := stage(at(k1, dt/2, "k1"), "2")
		k3 := stage(at(k2, dt/2, "k2"), "3")
		k4 := stage(at(k3, dt, "k3"), "4")
		for i := range next {
			sum := add(add(add(k1[i], mul(num(2), k2[i])), mul(num(2), k3[i])), k4[i])
			v := add(x[i], mul(num(dt/6), sum))
			if stim[i] != nil {
				v = add(v, mul(num(dt), stim[i]))
			}
			next[i] = bound(i, v)
		}
	}
	if perStage {
		c.passes(body, next, stageAt, passOf)
		return
	}
	cse := 0
	c.p.NodeBody, c.p.NodeNext = shareCommon(pruneLets(body, next), next, nil, &cse), next
}

// passes splits a per-stage node body into its passes (one per stage),
// shares common subexpressions within each pass, and works out which
// temporaries cross from one pass to a later one through per-node
// arrays: those a later pass reads and the stage states the couplings
// before a pass read.
func (c *compiler) passes(body []ir.Stmt, next []expr.Node, stageAt [][]expr.Node, passOf map[string]int) {
	m := c.m
	n := len(stageAt)
	passes := make([]*ir.BrainPass, n)
	var roots []expr.Node
	roots = append(roots, next...)
	for p := range passes {
		passes[p] = &ir.BrainPass{At: make([]string, len(m.states))}
		for s, v := range stageAt[p] {
			switch x := v.(type) {
			case *expr.Ident:
				if x.Name != ir.StateIdent(m.states[s].name) {
					passes[p].At[s] = x.Name
					roots = append(roots, x)
				}
			default:
				// a stage state is a temporary or the state itself
				c.errorf(m.states[s].pos, "internal error: stage %d state of %s is %s", p+1, m.states[s].name, v)
				return
			}
		}
	}
	for _, st := range pruneLets(body, roots) {
		l := st.(*ir.Let)
		passes[passOf[l.Name]].Body = append(passes[passOf[l.Name]].Body, l)
	}
	// owner: the pass defining each temporary; noise is drawn in pass 0
	owner := map[string]int{}
	for i, s := range m.states {
		if c.p.Noisy[i] {
			owner[ir.NoiseIdent(s.name)] = 0
		}
	}
	for p, ps := range passes {
		for _, st := range ps.Body {
			owner[st.(*ir.Let).Name] = p
		}
	}
	// crossing lists, per pass, the temporaries of earlier passes it
	// reads (in order of first use); the stage states are kept too.
	uses := func(p int) []string {
		var vals []expr.Node
		for _, st := range passes[p].Body {
			vals = append(vals, st.(*ir.Let).Value)
		}
		if p == n-1 {
			vals = append(vals, next...)
		}
		var out []string
		seen := map[string]bool{}
		for _, v := range vals {
			expr.Inspect(v, func(e expr.Node) bool {
				if x, ok := e.(*expr.Ident); ok && !seen[x.Name] {
					if q, ok := owner[x.Name]; ok && q < p {
						seen[x.Name] = true
						out = append(out, x.Name)
					}
				}
				return true
			})
		}
		return out
	}
	keep := map[string]bool{}
	for p := range passes {
		for _, name := range uses(p) {
			keep[name] = true
		}
		for _, name := range passes[p].At {
			if name != "" {
				keep[name] = true
			}
		}
	}
	cse := 0
	for p, ps := range passes {
		var results []expr.Node
		if p == n-1 {
			results = next
		}
		ps.Body = shareCommon(ps.Body, results, keep, &cse)
	}
	stored := make([]map[string]bool, n)
	for p := range passes {
		stored[p] = map[string]bool{}
	}
	store := func(name string) {
		if q := owner[name]; !stored[q][name] {
			stored[q][name] = true
			passes[q].Stores = append(passes[q].Stores, name)
		}
	}
	for p, ps := range passes {
		ps.Loads = uses(p)
		for _, name := range ps.Loads {
			store(name)
		}
		for _, name := range ps.At {
			if name != "" {
				store(name)
			}
		}
	}
	c.p.Passes, c.p.NodeNext = passes, next
}

// hoistArgs hoists the Piecewise calls nested inside a Piecewise's
// branches and conditions with h.
func hoistArgs(args []expr.Node, h func(expr.Node) expr.Node) []expr.Node {
	out := make([]expr.Node, len(args))
	for i, a := range args {
		out[i] = expr.Rewrite(a, func(n expr.Node) expr.Node {
			if c, ok := n.(*expr.Call); ok && c.Func == "Piecewise" {
				return h(n)
			}
			return n
		})
	}
	return out
}

// pruneLets drops temporaries nothing reads (a Heun predictor of a state
// no rate depends on, say): Go rejects unused variables, and they would
// cost time.
func pruneLets(body []ir.Stmt, results []expr.Node) []ir.Stmt {
	used := map[string]bool{}
	mark := func(n expr.Node) {
		expr.Inspect(n, func(n expr.Node) bool {
			if x, ok := n.(*expr.Ident); ok {
				used[x.Name] = true
			}
			return true
		})
	}
	for _, r := range results {
		mark(r)
	}
	keep := make([]bool, len(body))
	for i := len(body) - 1; i >= 0; i-- {
		l := body[i].(*ir.Let)
		if used[l.Name] {
			keep[i] = true
			mark(l.Value)
		}
	}
	var out []ir.Stmt
	for i, s := range body {
		if keep[i] {
			out = append(out, s)
		}
	}
	return out
}

// records chooses what the binary records: the observations if the
// experiment has any, else the model's variables of interest; every state
// variable is recordable with --record all.
func (c *compiler) records() {
	m, p := c.m, c.p
	pop := m.name + "_pop"
	stateRecord := func(i int, def bool) ir.BrainRecord {
		r := ir.BrainRecord{Value: ident(ir.StateIdent(m.states[i].name)), Default: def}
		if col := m.states[i].column; col != "" {
			r.Names = []string{col} // a heterogeneous network's node (one composite node)
			return r
		}
		for n := 0; n < p.Nodes; n++ {
			r.Names = append(r.Names, fmt.Sprintf("%s[%d]/%s", pop, n, m.states[i].name))
		}
		return r
	}
	defaults := make([]bool, len(m.states))
	var obsRecords []ir.BrainRecord
	if len(c.exp.Observations) == 0 {
		for i, s := range m.states {
			defaults[i] = s.ofInterest
		}
	}
	period := 0.0
	for _, o := range c.exp.Observations {
		c.pipeline(o)
	}
	if len(c.errs) > 0 {
		return
	}
	monitor := c.monitorKind()
	if len(c.errs) > 0 {
		return
	}
	for _, o := range c.exp.Observations {
		if o.Monitor.Value != "" {
			if v, ok := c.monitorPeriod(o); ok {
				if period != 0 && period != v {
					c.errorf(o.Pos, "monitors have different periods (%g and %g ms); one binary records one time grid", period, v).
						Hint = "give every monitor the same period, or compile one experiment per monitor"
					continue
				}
				period = v
			}
			if o.Equation == nil && len(o.Output) == 0 {
				// TVB's default: the model's variables of interest
				for i, s := range m.states {
					defaults[i] = defaults[i] || s.ofInterest
				}
			}
		} else if len(o.Parameters) > 0 {
			c.errorf(o.Parameters[0].Name.Pos, "observation %q has parameters, which only TVB's Bold reads", o.Name.Value).
				Hint = "give it type: Bold, or remove the parameters"
			continue
		} else if o.Period.Set {
			if o.Period.Value <= 0 {
				c.errorf(o.Period.Pos, "observation period must be positive, got %g ms", o.Period.Value)
				continue
			}
			if period != 0 && period != o.Period.Value {
				c.errorf(o.Period.Pos, "observations have different periods (%g and %g ms); one binary records one time grid", period, o.Period.Value)
				continue
			}
			period = o.Period.Value
		}
		if o.Average != nil && *o.Average {
			p.Average = true
		}
		if o.Equation == nil {
			for _, s := range o.Output {
				i := m.state(s.Value)
				if i >= 0 {
					defaults[i] = true
					continue
				}
				if r, ok := c.derivedRecord(o, s); ok {
					obsRecords = append(obsRecords, r)
					continue
				}
				c.errorf(s.Pos, "observation %q records %q, which is not a state variable of %s", o.Name.Value, s.Value, m.name).
					Hint = "state variables: " + strings.Join(m.stateNames(), ", ")
			}
			continue
		}
		v := c.bindModel(o.Equation, fmt.Sprintf("observation %q", o.Name.Value), nil)
		if v == nil {
			continue
		}
		bad := false
		expr.Inspect(v, func(n expr.Node) bool {
			if x, ok := n.(*expr.Ident); ok && !strings.HasPrefix(x.Name, ir.StateIdent("")) {
				bad = true
			}
			return true
		})
		if bad {
			c.errorf(o.Equation.Pos, "observation %q may only use state variables and parameters", o.Name.Value)
			continue
		}
		r := ir.BrainRecord{Value: v, Default: true}
		for n := 0; n < p.Nodes; n++ {
			r.Names = append(r.Names, fmt.Sprintf("%s[%d]", o.Name.Value, n))
		}
		obsRecords = append(obsRecords, r)
	}
	if monitor != "" && p.Adaptive != nil {
		c.errorf(c.exp.Observations[0].Pos, "TVB's %s monitor with the adaptive %s is not generated", monitor, p.Method).
			Hint = "use euler, heun or rk4, or tvboc's observations (period, average)"
		return
	}
	switch monitor {
	case "":
	case "TemporalAverage":
		p.Average, p.TVBRows = true, true
	case "Bold":
		p.TVBRows = true
		c.bold()
	default:
		p.TVBRows = true
	}
	periodBad := false // said once: the recorded time is then not judged
	if period != 0 {
		k := wholeSteps(period, p.DtModel)
		if math.Abs(float64(k)*p.DtModel-period) > 1e-9*period {
			c.errorf(c.exp.Observations[0].Pos, "observation period %g ms is not a whole number of steps of %g ms", period, p.DtModel)
			periodBad = true
		}
		p.Period = max(k, 1)
	}
	recorded := p.Steps - p.Transient
	switch {
	case periodBad:
	case period != 0 && p.Period > recorded:
		c.errorf(c.exp.Observations[0].Pos, "observation period %g ms is longer than the recorded time (%g ms): no row would be written", period, float64(recorded)*p.DtModel).
			Hint = "a shorter period, or a longer duration"
	case recorded%p.Period != 0:
		c.errorf(c.exp.Integration.Pos, "the recorded time (%d steps after the transient) is not a whole number of periods of %d steps", recorded, p.Period)
	}
	for i := range m.states {
		if defaults[i] && !m.states[i].clock {
			p.Records = append(p.Records, stateRecord(i, true))
		}
	}
	p.Records = append(p.Records, obsRecords...)
	for i := range m.states {
		if !defaults[i] && !m.states[i].clock {
			p.Records = append(p.Records, stateRecord(i, false))
		}
	}
}
