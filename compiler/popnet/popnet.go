// Package popnet compiles population networks: experiments whose nodes
// stand for many cells of one equation-defined dynamics (`size: N`) and
// whose edges are connectivity rules with per-synapse weights. It checks
// the experiment (every mistake positioned) and lowers it to ir.PopNet.
//
// Semantics, which the generated program follows exactly:
//
// Random draws come from one seeded stream (runtime.Rand, --seed), in
// this order: (1) per-cell values: populations in node order, cells in
// rank order, per cell its per_cell values, per-cell parameters and
// initial values in the order written; (2) synapses: edges in order,
// sources in rank order; all_to_all: per target (targets in order) the
// weight's draws; random with connection_probability p: per target one
// uniform u, a synapse when u < p, then its weight's draws; random with
// targets_per_source K: K times a target floor(Nt*u) (repeats and self
// allowed) then its weight's draws; one_to_one: per pair the weight's
// draws; (3) during the run, at every step k with k % period == 0, the
// held variables: populations in node order, cells in rank order.
//
// Step k: (1) held variables due are redrawn; (2) derived variables and
// forward Euler from the state at the start of the step; (3) the event
// condition tested on the new state: the cell spikes, recorded at time
// (k+1) dt; (4) delivery: per edge in order, every spike of its source
// from delay steps ago (0: this step), sources in index order, adds the
// synapse's weight to the target's variable, synapses in row order;
// (5) the event's assignments for the cells that spiked this step.
package popnet

import (
	"fmt"
	"github.com/tvboc/tvboc/compiler/limits"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/units"
)

// MaxColumns bounds the recorded columns of a population network (every
// state of every cell of the populations with record: true); columnBytes
// is about what naming one takes (runtime.Column and its name).
const (
	MaxColumns  = 1 << 22
	columnBytes = 72
)

// MaxCells bounds a network so that cell indices fit the int32 spike and
// synapse tables.
const MaxCells = 1 << 30

type compiler struct {
	exp  *ast.PopExperiment
	errs diag.List
	net  *ir.PopNet
	// timeScale is the model time unit in seconds.
	timeScale float64
	// groups are the synapse groups of each target node (library.go).
	groups map[string][]*synGroup
	// duplicated is set once a node id is repeated (most often a
	// mistyped one): edges naming unknown ids then say nothing more.
	duplicated bool
	// consts are the fixed parameter values of the population being
	// compiled, for check's finiteness test (nil outside one).
	consts map[string]float64
	// size is the population being lowered's size, N in its per-cell
	// expressions
	size float64
	// free are the free parameters by name (free.go).
	free map[string]*ir.Param
	// uniform holds, per population of equations, its parameters that
	// have one value for every cell: a number, or the identifier of a free
	// parameter. Its edges' weights may read them (edge).
	uniform map[string]map[string]expr.Node
}

func (c *compiler) errorf(pos diag.Pos, format string, args ...any) *diag.Error {
	e := diag.Errorf(pos, format, args...)
	c.errs = append(c.errs, e)
	return e
}

// Compile checks a population experiment and lowers it, keeping the
// node parameters named in free ("<node id>.<parameter>") as run-time
// inputs (free.go).
func Compile(exp *ast.PopExperiment, free ...string) (*ir.PopNet, error) {
	c := &compiler{exp: exp, net: &ir.PopNet{Source: exp.File, Label: exp.Label.Value}}
	if c.net.Label == "" {
		c.net.Label = strings.TrimSuffix(baseName(exp.File), ".yaml")
	}
	c.integration()
	dyns := map[string]*ast.Dynamics{}
	for _, d := range exp.Dynamics {
		dyns[d.Name.Value] = d // library types: libPopulation (library.go)
	}
	c.free = c.resolveFree(free, dyns)
	if len(c.errs) > 0 {
		return nil, c.errs.Err()
	}
	c.groups = synapseGroups(exp)
	byID := map[string]int{}
	offset := 0
	recorded, tooManyColumns := 0, false // recorded columns so far (MaxColumns)
	for _, n := range exp.Nodes {
		if _, dup := byID[n.ID.Value]; dup {
			c.errorf(n.ID.Pos, "node id %q is used twice", n.ID.Value)
			c.duplicated = true
			continue
		}
		d, ok := dyns[n.Dynamics.Value]
		if !ok {
			var names []string
			for k := range dyns {
				names = append(names, k)
			}
			slices.Sort(names)
			c.errorf(n.Dynamics.Pos, "node %q: unknown dynamics %q", n.ID.Value, n.Dynamics.Value).
				Hint = "network dynamics: " + strings.Join(names, ", ")
			byID[n.ID.Value] = -1 // reported; edges to it say nothing more
			continue
		}
		var p *ir.Pop
		if d.IRI.Value != "" {
			p = c.libPopulation(n, d)
		} else {
			p = c.population(n, d)
		}
		if p == nil {
			byID[n.ID.Value] = -1 // reported; edges to it say nothing more
			continue
		}
		p.Offset = offset
		offset += p.Size
		if offset > MaxCells {
			c.errorf(n.Size.Pos, "the network has more than %d cells", MaxCells)
			return nil, c.errs.Err()
		}
		if p.Record {
			// every recorded cell's every state is a named column, made
			// before the run: ten million cells took 20 s and 2 GB to
			// name, a hundred million ran out of memory without a word
			recorded += p.Size * len(p.States)
			if recorded > MaxColumns && !tooManyColumns {
				tooManyColumns = true
				c.errorf(n.Size.Pos, "node %q: recording every state of its %d cells makes the network's traces %d columns, more than the %d a run records (their names alone take about %s)",
					p.Name, p.Size, recorded, MaxColumns, limits.Bytes(float64(recorded)*columnBytes)).
					Hint = "set record: false on the node (its spikes are still written), or simulate fewer cells"
			}
		}
		byID[n.ID.Value] = len(c.net.Pops)
		c.net.Pops = append(c.net.Pops, p)
	}
	if len(exp.Nodes) == 0 {
		c.errorf(exp.Pos, "the network has no nodes").Hint = "add network: nodes: [{id: exc, dynamics: <name>, size: 800}]"
	}
	maxDelay := 0
	for _, e := range exp.Edges {
		if pe := c.edge(e, byID); pe != nil {
			c.net.Edges = append(c.net.Edges, pe)
			// every population keeps its fired cells of each step of the
			// history (int32 per cell, and a count per worker block)
			slot := 0.0
			for _, p := range c.net.Pops {
				slot += 4*float64(p.Size) + 64
			}
			if err := limits.History(fmt.Sprintf("edge delay %g", e.Delay.Value), float64(pe.Delay+2), slot); err != nil {
				c.errorf(e.Delay.Pos, "%v", err).Hint = "use a shorter delay or a larger step_size"
				continue
			}
			maxDelay = max(maxDelay, pe.Delay)
		}
	}
	c.net.History = maxDelay + 2
	if err := c.errs.Err(); err != nil {
		return nil, err
	}
	return c.net, nil
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

func (c *compiler) integration() {
	in := c.exp.Integration
	if in == nil {
		return
	}
	if m := strings.ToLower(in.Method.Value); m != "" && m != "euler" && m != "eulerdeterministic" {
		c.errorf(in.Method.Pos, "integration method %q is not supported for population networks", in.Method.Value).Hint = "use method: euler"
	}
	c.timeScale = 1e-3
	if ts := in.TimeScale; ts.Value != "" {
		u, err := units.Parse(ts.Value)
		switch {
		case err != nil:
			c.errorf(ts.Pos, "time_scale: %v", err)
		case u.Dim != units.Time:
			c.errorf(ts.Pos, "time_scale %q is not a time", ts.Value).Hint = "use ms or s"
		default:
			c.timeScale = u.ToSI(1)
		}
	}
	dt, dur := in.StepSize, in.Duration
	if !dt.Set || !dur.Set {
		if !dt.Set {
			c.errorf(in.Pos, "the integration section has no step_size").Hint = "add step_size: 0.1 (in time_scale units)"
		}
		if !dur.Set {
			c.errorf(in.Pos, "the integration section has no duration").Hint = "add duration: 1000 (in time_scale units)"
		}
		return
	}
	if !(dt.Value > 0) || math.IsInf(dt.Value, 0) {
		c.errorf(dt.Pos, "step_size must be a positive number, got %g", dt.Value)
		return
	}
	if !(dur.Value > 0) || math.IsInf(dur.Value, 0) {
		c.errorf(dur.Pos, "duration must be a positive number, got %g", dur.Value)
		return
	}
	ratio := dur.Value / dt.Value
	steps := math.Round(ratio)
	if ratio > 1<<40 {
		c.errorf(dur.Pos, "duration %g / step_size %g is %.4g steps, more than the limit of %d", dur.Value, dt.Value, ratio, int64(1)<<40).
			Hint = "a shorter duration or a larger step_size"
		return
	}
	if math.Abs(ratio-steps) > 1e-9*math.Max(1, ratio) || steps < 1 {
		c.errorf(dur.Pos, "duration %g is not a whole number of steps of %g", dur.Value, dt.Value)
		return
	}
	c.net.Steps = int(steps)
	c.net.DtModel = dt.Value
	c.net.Dt = dt.Value * c.timeScale
	seedSet := false
	for _, p := range in.Parameters {
		if p.Name.Value == "seed" && p.Value.Set {
			if !limits.Seed(p.Value.Value) {
				c.errorf(p.Value.Pos, "seed must be a whole number from 0 to %d, got %g", int64(limits.MaxSeed), p.Value.Value)
			}
			c.net.Seed, seedSet = uint64(p.Value.Value), true
		}
	}
	// execution.random_seed, TVBO's other spelling (it was ignored)
	if rs := c.exp.RandomSeed; rs.Set {
		switch {
		case !limits.Seed(rs.Value):
			c.errorf(rs.Pos, "execution.random_seed must be a whole number from 0 to %d, got %g", int64(limits.MaxSeed), rs.Value)
		case seedSet && uint64(rs.Value) != c.net.Seed:
			c.errorf(rs.Pos, "execution.random_seed %g disagrees with integration seed %d", rs.Value, c.net.Seed).
				Hint = "give the seed once, in execution.random_seed or integration.parameters.seed"
		default:
			c.net.Seed = uint64(rs.Value)
		}
	}
}

// steps converts a time in the model unit to whole steps; what names it.
func (c *compiler) steps(v ast.Num, what string) (int, bool) {
	if c.net.DtModel == 0 {
		return 0, false
	}
	if !(v.Value >= 0) || math.IsInf(v.Value, 0) {
		c.errorf(v.Pos, "%s must be 0 or more, got %g", what, v.Value)
		return 0, false
	}
	ratio := v.Value / c.net.DtModel
	if !(ratio <= limits.MaxIndex) {
		c.errorf(v.Pos, "%s %g is %.4g steps of %g, more than the limit of %d steps", what, v.Value, ratio, c.net.DtModel, limits.MaxIndex).
			Hint = "use a shorter " + what + " or a larger step_size"
		return 0, false
	}
	n := math.Round(ratio)
	if math.Abs(ratio-n) > 1e-6*math.Max(1, ratio) {
		c.errorf(v.Pos, "%s %g is not a whole number of steps of %g", what, v.Value, c.net.DtModel).
			Hint = fmt.Sprintf("use %g or %g", math.Floor(ratio)*c.net.DtModel, (math.Floor(ratio)+1)*c.net.DtModel)
		return 0, false
	}
	return int(n), true
}

// scope is what an expression may name, and how.
type scope map[string]string

// check reports every name in e that scope does not know, and calls to
// functions the population kernel cannot draw per cell.
func (c *compiler) check(e *ast.Expr, sc scope, what string, randomOK bool) bool {
	if e == nil || e.Node == nil {
		return false
	}
	ok := true
	expr.Inspect(e.Node, func(n expr.Node) bool {
		switch x := n.(type) {
		case *expr.Ident:
			if _, known := sc[x.Name]; !known {
				if _, isConst := expr.Constants[x.Name]; isConst {
					return true
				}
				var names []string
				for k := range sc {
					names = append(names, k)
				}
				slices.Sort(names)
				err := c.errorf(e.PosOf(x.P), "%s: unknown name %q", what, x.Name)
				err.Hint = "known here: " + strings.Join(names, ", ")
				ok = false
			}
		case *expr.Call:
			if (x.Func == "random" || x.Func == "normal") && !randomOK {
				c.errorf(e.PosOf(x.P), "%s: %s() cannot be drawn here", what, x.Func).
					Hint = "random draws belong in per_cell values, node parameters, held derived variables (period:) and edge weights"
				ok = false
			}
			if _, indicator := expr.Indicator(x); x.Func == "Piecewise" && !indicator || x.Func == "mean" || x.Func == "sum" || x.Func == "amax" || x.Func == "amin" {
				c.errorf(e.PosOf(x.P), "%s: %s is not supported in population networks", what, x.Func).Hint = "use Min, Max, Heaviside or a comparison (1 where it holds, 0 where not)"
				ok = false
				return false // its (value, condition) pairs are that one mistake
			}
		case *expr.Index:
			// (a tuple is a (value, condition) pair: the parser allows
			// it only in Piecewise, and here only a condition used as a
			// number is one)
			c.errorf(e.PosOf(n.Pos()), "%s: arrays are not supported here", what)
			ok = false
		}
		return true
	})
	if ok {
		// an operation with fixed operands and no finite value (a division
		// by a zero parameter) is refused here, not written as NaN
		bad, why := expr.NonFinite(e.Node, func(name string) (float64, bool) {
			if v, ok := c.consts[name]; ok {
				return v, ok
			}
			if name == "N" && sc["N"] == "size" && c.size > 0 {
				return c.size, true // 1/(N - 10) at size 10
			}
			return 0, false
		})
		if bad != nil {
			c.errorf(e.PosOf(bad.Pos()), "%s: %s in %q", what, why, e.Src).
				Hint = "no value of the experiment may be infinite or NaN; check the parameters it uses"
			ok = false
		}
	}
	return ok
}

// draws reports whether n draws random numbers.
func draws(n expr.Node) bool {
	found := false
	expr.Inspect(n, func(x expr.Node) bool {
		if call, ok := x.(*expr.Call); ok && (call.Func == "random" || call.Func == "normal") {
			found = true
		}
		return !found
	})
	return found
}

// substitute replaces the constant parameters in n by their values and
// folds every subtree without names or draws to one number, computed in
// float64 as the program would (Go's exact constant arithmetic would
// round differently).
func substitute(n expr.Node, consts map[string]float64) expr.Node {
	n = expr.Rewrite(n, func(x expr.Node) expr.Node {
		if id, ok := x.(*expr.Ident); ok {
			if v, ok := consts[id.Name]; ok {
				return &expr.Num{P: id.P, Value: v}
			}
		}
		return x
	})
	return fold(n)
}

// Constant is the value of an expression that names nothing and draws
// nothing (the same for every cell), and whether it is one.
func Constant(n expr.Node) (float64, bool) {
	if num, ok := n.(*expr.Num); ok {
		return num.Value, true
	}
	if len(expr.Idents(n)) > 0 || draws(n) {
		return 0, false
	}
	v, err := expr.Eval(n, func(string) (float64, bool) { return 0, false })
	return v, err == nil
}

func fold(n expr.Node) expr.Node {
	if _, ok := n.(*expr.Num); ok {
		return n
	}
	if v, ok := Constant(n); ok {
		return &expr.Num{P: n.Pos(), Value: v}
	}
	switch x := n.(type) {
	case *expr.Unary:
		return &expr.Unary{P: x.P, Op: x.Op, X: fold(x.X)}
	case *expr.Binary:
		return &expr.Binary{P: x.P, Op: x.Op, X: fold(x.X), Y: fold(x.Y)}
	case *expr.Call:
		args := make([]expr.Node, len(x.Args))
		for i, a := range x.Args {
			args[i] = fold(a)
		}
		return &expr.Call{P: x.P, Func: x.Func, Args: args}
	}
	return n
}

// newPop starts the population of node n: name, dynamics, size and
// whether it is recorded, or nil after reporting a bad id or size.
func (c *compiler) newPop(n *ast.PopNode, d *ast.Dynamics) *ir.Pop {
	p := &ir.Pop{Name: n.ID.Value, Dynamics: d.Name.Value, Size: 1, Record: true}
	if n.Record != nil {
		p.Record = *n.Record
	}
	if !validName(p.Name) {
		c.errorf(n.ID.Pos, "node id %q: a population id must be a letter followed by letters, digits or _", p.Name)
		return nil
	}
	if n.Size.Set {
		if n.Size.Value > MaxCells {
			c.errorf(n.Size.Pos, "node %q: size %g is more than the %d cells a population may have", p.Name, n.Size.Value, MaxCells).
				Hint = "split it into populations of at most that many cells"
			return nil
		}
		if n.Size.Value < 1 || n.Size.Value != math.Trunc(n.Size.Value) {
			c.errorf(n.Size.Pos, "node %q: size must be a whole number of at least 1, got %g", p.Name, n.Size.Value)
			return nil
		}
		p.Size = int(n.Size.Value)
		// its states are fixed-size arrays of float64, and its spike
		// history two or more slots of int32 per cell
		if bytes := n.Size.Value * 8; bytes > limits.MaxArrayBytes {
			c.errorf(n.Size.Pos, "node %q: size %g makes each state variable an array of %s, more than the %s one array may have", p.Name, n.Size.Value, limits.Bytes(bytes), limits.Bytes(limits.MaxArrayBytes)).
				Hint = fmt.Sprintf("split it into populations of at most %d cells", limits.MaxArrayBytes/8)
			return nil
		}
	}
	return p
}

// perCellUsed refuses a per_cell value that nothing reads: the node's
// parameters, the dynamics' initial values and parameters, and the other
// per_cell values are where one can be used. An unused one is almost
// always a misspelt name, and ignoring it would hide that.
func (c *compiler) perCellUsed(n *ast.PopNode, p *ir.Pop) bool {
	used := map[string]bool{}
	mark := func(e *ast.Expr) {
		if e != nil && e.Node != nil {
			for _, id := range expr.Idents(e.Node) {
				used[id] = true
			}
		}
	}
	for _, prm := range n.Parameters {
		mark(prm.Expr)
	}
	for _, prm := range n.PerCell {
		mark(prm.Expr)
	}
	for _, d := range c.exp.Dynamics {
		if d.Name.Value != n.Dynamics.Value {
			continue
		}
		for _, s := range d.States {
			mark(s.Initial)
		}
		for _, prm := range d.Parameters {
			mark(prm.Expr)
		}
	}
	ok := true
	for _, prm := range n.PerCell {
		if !used[prm.Name.Value] {
			c.errorf(prm.Name.Pos, "node %q: per_cell value %q is not used by any parameter or initial value", p.Name, prm.Name.Value).
				Hint = "use it in the node's parameters (e.g. thresh: {rhs: \"" + prm.Name.Value + "\"}), or remove it"
			ok = false
		}
	}
	return ok
}

// perCellValues adds a node's per_cell values to the population's Init
// (computed once per cell, before its parameters) and returns the names
// the per-cell expressions may use: i, N and those values.
func (c *compiler) perCellValues(n *ast.PopNode, p *ir.Pop) (scope, bool) {
	ok := c.perCellUsed(n, p)
	initScope := scope{"i": "rank", "N": "size"}
	for _, prm := range n.PerCell {
		if prm.Expr == nil && !prm.Value.Set {
			continue
		}
		if what := initScope[prm.Name.Value]; what == "rank" || what == "size" {
			c.errorf(prm.Name.Pos, "node %q per_cell %q: %s is the cell's %s in per-cell expressions", p.Name, prm.Name.Value, prm.Name.Value, what).
				Hint = "give the value another name"
			ok = false
			continue
		}
		e := prm.Expr
		if e == nil {
			e = &ast.Expr{Node: &expr.Num{Value: prm.Value.Value}, Pos: prm.Value.Pos}
		}
		if c.check(e, initScope, fmt.Sprintf("node %q per_cell %q", p.Name, prm.Name.Value), true) {
			p.Init = append(p.Init, ir.PopInit{Kind: ir.InitTemp, Name: prm.Name.Value, Value: e.Node})
		} else {
			ok = false
		}
		initScope[prm.Name.Value] = "per-cell value"
	}
	return initScope, ok
}

// population lowers one node.
func (c *compiler) population(n *ast.PopNode, d *ast.Dynamics) *ir.Pop {
	p := c.newPop(n, d)
	if p == nil {
		return nil
	}
	// Parameters: the dynamics' values, then the node's overrides.
	consts := map[string]float64{}
	c.consts = consts // what check may take as fixed
	c.size = float64(p.Size)
	defer func() { c.consts, c.size = nil, 0 }()
	var order []string
	defs := map[string]*ast.Parameter{}
	initScope, ok := c.perCellValues(n, p)
	for _, prm := range d.Parameters {
		if what := initScope[prm.Name.Value]; what == "rank" || what == "size" {
			// its per-cell expressions read i and N as the cell's rank and
			// the size: a parameter i was read there as the rank, and in
			// the equations as itself
			c.errorf(prm.Name.Pos, "dynamics %q parameter %q: in a population %s is the cell's %s", d.Name.Value, prm.Name.Value, prm.Name.Value, what).
				Hint = "give the parameter another name"
			ok = false // still declared: what reads it is not wrong too
		}
		defs[prm.Name.Value] = prm
		order = append(order, prm.Name.Value)
	}
	overrides := map[string]*ast.Parameter{}
	for _, prm := range n.Parameters {
		if _, known := defs[prm.Name.Value]; !known {
			c.errorf(prm.Name.Pos, "node %q: dynamics %q has no parameter %q%s", p.Name, d.Name.Value, prm.Name.Value, closest(prm.Name.Value, order)).
				Hint = "parameters: " + strings.Join(order, ", ")
			ok = false
			continue
		}
		overrides[prm.Name.Value] = prm
	}
	varying := map[string]bool{}
	byRank := map[string]perCellParam{} // per-cell parameters of i and N alone
	for _, name := range order {
		prm := defs[name]
		if o := overrides[name]; o != nil {
			prm = o
		}
		what := fmt.Sprintf("node %q parameter %q", p.Name, name)
		if prm.Unit.Value != "" {
			c.errorf(prm.Unit.Pos, "%s: population dynamics are written in plain numbers in the experiment's units", what).Hint = "drop the unit"
			ok = false
		}
		if fp := c.free[p.Name+"."+name]; fp != nil {
			if init, good := c.freeInit(fp, prm, consts); good {
				varying[name] = true
				p.Arrays = append(p.Arrays, name)
				p.Init = append(p.Init, ir.PopInit{Kind: ir.InitParam, Name: name, Value: init, Src: "the value of " + fp.Name})
				initScope[name] = "parameter"
				continue
			}
			if prm.Expr != nil {
				ok = false
				continue
			}
		}
		switch {
		case prm.Expr != nil:
			if !c.check(prm.Expr, initScope, what, true) {
				ok = false
				break
			}
			v := substitute(prm.Expr.Node, consts)
			if num, isNum := v.(*expr.Num); isNum {
				consts[name] = num.Value
				break
			}
			if ofRank(v) {
				byRank[name] = perCellParam{v, prm.Expr}
			}
			varying[name] = true
			p.Arrays = append(p.Arrays, name)
			p.Init = append(p.Init, ir.PopInit{Kind: ir.InitParam, Name: name, Value: v, Src: prm.Expr.Src})
		case prm.Value.Set:
			consts[name] = prm.Value.Value
		default:
			c.errorf(prm.Pos, "%s has no value", what).Hint = "write a number, or {rhs: ...}"
			ok = false
		}
		initScope[name] = "parameter"
	}
	// The parameters with one value for every cell, for the edges'
	// weights: the fixed ones, and the free ones as their run-time value.
	uniform := map[string]expr.Node{}
	for name, v := range consts {
		uniform[name] = &expr.Num{Value: v}
	}
	for _, name := range order {
		if fp := c.free[p.Name+"."+name]; fp != nil {
			uniform[name] = &expr.Ident{Name: fp.Ident}
		}
	}
	if c.uniform == nil {
		c.uniform = map[string]map[string]expr.Node{}
	}
	c.uniform[p.Name] = uniform
	// Names the step may use.
	step := scope{}
	for _, name := range order {
		step[name] = "parameter"
	}
	for _, s := range d.States {
		step[s.Name.Value] = "state"
	}
	for _, dv := range d.Derived {
		step[dv.Name.Value] = "derived variable"
	}
	// Initial states, in order; each may use the parameters and earlier
	// states' initial values.
	for _, s := range d.States {
		what := fmt.Sprintf("dynamics %q state %q initial_value", d.Name.Value, s.Name.Value)
		var v expr.Node = &expr.Num{}
		src := ""
		if s.Initial != nil {
			if !c.check(s.Initial, initScope, what, true) {
				ok = false
				continue
			}
			v, src = substitute(s.Initial.Node, consts), s.Initial.Src
		}
		p.Init = append(p.Init, ir.PopInit{Kind: ir.InitState, Name: s.Name.Value, Value: v, Src: src})
		initScope[s.Name.Value] = "state"
		if s.Equation == nil {
			ok = false
			continue
		}
		if !c.check(s.Equation, step, fmt.Sprintf("dynamics %q state %q", d.Name.Value, s.Name.Value), false) {
			ok = false
			continue
		}
		p.States = append(p.States, ir.PopState{Name: s.Name.Value, Rate: substitute(s.Equation.Node, consts)})
	}
	// Derived variables in the order written (each may use earlier ones);
	// held ones are computed at their redraw steps only.
	known := scope{}
	for k, v := range step {
		if v != "derived variable" {
			known[k] = v
		}
	}
	for _, dv := range d.Derived {
		what := fmt.Sprintf("dynamics %q derived variable %q", d.Name.Value, dv.Name.Value)
		if dv.Equation == nil {
			ok = false
			continue
		}
		held := dv.Period.Set
		if !c.check(dv.Equation, known, what, held) {
			if !held {
				ok = false
				continue
			}
			ok = false
			continue
		}
		known[dv.Name.Value] = "derived variable"
		v := substitute(dv.Equation.Node, consts)
		if held {
			period, good := c.steps(dv.Period, what+" period")
			if good && period < 1 {
				c.errorf(dv.Period.Pos, "%s period must be at least one step (%g)", what, c.net.DtModel)
				good = false
			}
			if !good {
				ok = false
				continue
			}
			p.Held = append(p.Held, ir.PopHeld{Name: dv.Name.Value, Value: v, Period: period})
			continue
		}
		p.Derived = append(p.Derived, ir.PopAssign{Name: dv.Name.Value, Value: v})
	}
	switch len(d.Events) {
	case 0:
	case 1:
		ev := d.Events[0]
		what := fmt.Sprintf("dynamics %q event %q", d.Name.Value, ev.Name.Value)
		if ev.Condition == nil {
			c.errorf(ev.Pos, "%s has no condition", what).Hint = `add condition: "v >= 30"`
			ok = false
			break
		}
		if c.check(ev.Condition, step, what+" condition", false) {
			p.Spike = substitute(ev.Condition.Node, consts)
		} else {
			ok = false
		}
		for _, a := range ev.Affect {
			if step[a.Var.Value] != "state" {
				c.errorf(a.Var.Pos, "%s assigns %q, which is not a state variable", what, a.Var.Value)
				ok = false
				continue
			}
			if c.check(a.Value, step, what+" affect", false) {
				p.Reset = append(p.Reset, ir.PopAssign{Name: a.Var.Value, Value: substitute(a.Value.Node, consts)})
			} else {
				ok = false
			}
		}
	default:
		c.errorf(d.Events[1].Pos, "dynamics %q: a population dynamics has at most one event (its spike)", d.Name.Value)
		ok = false
	}
	if ok && !c.perCellDivisors(p, byRank) {
		ok = false
	}
	if !ok {
		return nil
	}
	return p
}

// perCellParam is a per-cell parameter computed from the cell's rank i
// and the size N alone: its value (constants substituted) and where it
// is written.
type perCellParam struct {
	value expr.Node
	src   *ast.Expr
}

// ofRank reports whether a per-cell value is a function of i and N alone
// (no per_cell value, no draw): the compiler can compute it for every cell.
func ofRank(n expr.Node) bool {
	fixed := true
	expr.Inspect(n, func(x expr.Node) bool {
		switch x := x.(type) {
		case *expr.Ident:
			if x.Name != "i" && x.Name != "N" {
				if _, isConst := expr.Constants[x.Name]; !isConst {
					fixed = false
				}
			}
		case *expr.Call:
			if x.Func == "random" || x.Func == "normal" {
				fixed = false
			}
		}
		return fixed
	})
	return fixed
}

// maxRankCells bounds how many cells perCellDivisors computes a
// parameter for (the first ones, and the last).
const maxRankCells = 1_000_000

// perCellDivisors refuses a division of the step whose divisor, made of
// per-cell parameters of i and N alone, is zero or not finite for some
// cell: tau: {rhs: "i"} gave cell 0 tau = 0, its v was infinite at every
// step and its spike reset hid it (a fixed tau: 0 is refused as any
// constant division by zero is). One message per population.
func (c *compiler) perCellDivisors(p *ir.Pop, byRank map[string]perCellParam) bool {
	if len(byRank) == 0 {
		return true
	}
	var eqs []expr.Node
	for _, st := range p.States {
		eqs = append(eqs, st.Rate)
	}
	for _, a := range append(slices.Clone(p.Derived), p.Reset...) {
		eqs = append(eqs, a.Value)
	}
	for _, h := range p.Held {
		eqs = append(eqs, h.Value)
	}
	if p.Spike != nil {
		eqs = append(eqs, p.Spike)
	}
	// the cells computed: the first maxRankCells, and the last
	cells := min(p.Size, maxRankCells+1)
	cell := func(j int) int {
		if j == maxRankCells {
			return p.Size - 1
		}
		return j
	}
	for _, eq := range eqs {
		var found bool
		expr.Inspect(eq, func(x expr.Node) bool {
			b, isBin := x.(*expr.Binary)
			if found || !isBin || b.Op != "/" && b.Op != "%" {
				return !found
			}
			names := expr.Idents(b.Y)
			if len(names) == 0 {
				return true
			}
			for _, n := range names {
				if _, ok := byRank[n]; !ok {
					return true // the divisor reads a state, a draw or a constant
				}
			}
			for j := range cells {
				k := cell(j)
				values := map[string]float64{}
				lookup := func(n string) (float64, bool) {
					switch n {
					case "i":
						return float64(k), true
					case "N":
						return float64(p.Size), true
					}
					v, ok := values[n]
					return v, ok
				}
				for _, n := range names {
					v, err := expr.Eval(byRank[n].value, lookup)
					if err != nil {
						return true
					}
					values[n] = v
				}
				y, err := expr.Eval(b.Y, lookup)
				if err == nil && (y == 0 || math.IsNaN(y) || math.IsInf(y, 0)) {
					first := byRank[names[0]]
					var given []string
					for _, n := range names {
						given = append(given, fmt.Sprintf("%s = %g", n, values[n]))
					}
					c.errorf(first.src.Pos, "node %q: for cell %d %s, and %s divides by %s", p.Name, k, strings.Join(given, ", "), b, describeDivisor(y)).
						Hint = "per-cell values may not make a division by zero: keep the divisor away from 0 for every i (e.g. 1 + i)"
					found = true
					return false
				}
			}
			return true
		})
		if found {
			return false
		}
	}
	return true
}

func describeDivisor(y float64) string {
	if y == 0 {
		return "zero"
	}
	return fmt.Sprint(y)
}

// closest suggests the known name nearest to name, as "; did you mean x?".
func closest(name string, known []string) string {
	if c := diag.Closest(name, known); c != "" {
		return fmt.Sprintf("; did you mean %s?", c)
	}
	return ""
}

func validName(s string) bool {
	for i, r := range s {
		switch {
		case r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		case i > 0 && r >= '0' && r <= '9':
		default:
			return false
		}
	}
	return s != ""
}

// edge lowers one edge.
func (c *compiler) edge(e *ast.PopEdge, byID map[string]int) *ir.PopEdge {
	pe := &ir.PopEdge{Rule: ir.AllToAll, Variable: "v"}
	ok := true
	src, found := byID[e.Source.Value]
	for _, t := range e.Targets {
		ti, known := byID[t.Value]
		if ti < 0 || !known && c.duplicated {
			// reported with its node, or most likely the id a repeated
			// one should have been: that one mistake is said already
			return nil
		}
	}
	if !found && c.duplicated {
		return nil
	}
	if src < 0 {
		return nil
	}
	if !found {
		c.errorf(e.Source.Pos, "edge source %q is not a node", e.Source.Value).Hint = "nodes: " + c.nodeIDs()
		ok = false
	}
	pe.Source = src
	if e.Variable.Value != "" {
		pe.Variable = e.Variable.Value
	}
	for _, t := range e.Targets {
		ti, found := byID[t.Value]
		if !found {
			c.errorf(t.Pos, "edge target %q is not a node", t.Value).Hint = "nodes: " + c.nodeIDs()
			ok = false
			continue
		}
		tp := c.net.Pops[ti]
		if tp.Kernel == nil && e.Coupling.Value == "" && !slices.ContainsFunc(tp.States, func(s ir.PopState) bool { return s.Name == pe.Variable }) {
			pos := e.Variable.Pos
			if e.Variable.Value == "" {
				pos = t.Pos
			}
			c.errorf(pos, "edge target %q has no state variable %q to add the weight to", t.Value, pe.Variable).
				Hint = "name one with target_variable:"
			ok = false
		}
		pe.Targets = append(pe.Targets, ti)
	}
	if ok && c.net.Pops[src].Spike == nil {
		c.errorf(e.Source.Pos, "edge source %q never spikes: its dynamics has no event", e.Source.Value).
			Hint = `add events: {spike: {condition: "v >= 30", affect: "v = c"}}`
		ok = false
	}
	if v := e.Connectivity.Value; v != "" {
		pe.Rule = v
	}
	switch pe.Rule {
	case ir.AllToAll, ir.OneToOne:
		if e.Probability.Set || e.PerSource.Set {
			pos := e.Probability.Pos
			if e.PerSource.Set {
				pos = e.PerSource.Pos
			}
			c.errorf(pos, "connectivity %s takes neither connection_probability nor targets_per_source", pe.Rule).
				Hint = "use connectivity: random"
			ok = false
		}
	case ir.RandomConn:
		switch {
		case e.Probability.Set && e.PerSource.Set:
			c.errorf(e.PerSource.Pos, "give connection_probability or targets_per_source, not both")
			ok = false
		case e.Probability.Set:
			if p := e.Probability.Value; !(p >= 0 && p <= 1) {
				c.errorf(e.Probability.Pos, "connection_probability must be between 0 and 1, got %g", p).
					Hint = "it is the chance that a pair is connected: 0.1 for 10%"
				ok = false
			}
			pe.Probability = e.Probability.Value
		case e.PerSource.Set:
			if k := e.PerSource.Value; !(k >= 0) || k != math.Trunc(k) || k > MaxCells {
				c.errorf(e.PerSource.Pos, "targets_per_source must be a whole number of at least 0, got %g", k)
				ok = false
			}
			pe.PerSource = int(e.PerSource.Value)
		default:
			c.errorf(e.Connectivity.Pos, "connectivity random needs connection_probability or targets_per_source").
				Hint = "add connection_probability: 0.1, or targets_per_source: 100"
			ok = false
		}
	default:
		c.errorf(e.Connectivity.Pos, "unknown connectivity %q", pe.Rule).Hint = "use all_to_all, random or one_to_one"
		ok = false
	}
	if ok && pe.Rule == ir.OneToOne {
		total := 0
		for _, t := range pe.Targets {
			total += c.net.Pops[t].Size
		}
		if total != c.net.Pops[src].Size {
			c.errorf(e.Connectivity.Pos, "one_to_one needs as many target cells (%d) as source cells (%d)", total, c.net.Pops[src].Size)
			ok = false
		}
	}
	pe.Weight = &expr.Num{Value: 1}
	if w := e.Weight; w != nil {
		switch {
		case w.Expr != nil:
			// the weight may read the source population's parameters that
			// have one value for every cell (a free one at its run-time
			// value): the strength its spikes carry
			uniform := c.uniform[c.net.Pops[src].Name]
			sc := scope{}
			for name := range uniform {
				sc[name] = "source parameter"
			}
			if c.check(w.Expr, sc, "edge weight", true) {
				v := expr.Rewrite(w.Expr.Node, func(x expr.Node) expr.Node {
					if id, isID := x.(*expr.Ident); isID && uniform[id.Name] != nil {
						return uniform[id.Name]
					}
					return x
				})
				pe.Weight, pe.WeightSrc = fold(v), w.Expr.Src
			} else {
				ok = false
			}
		case w.Value.Set:
			pe.Weight = &expr.Num{Value: w.Value.Value}
		}
		if w.Unit.Value != "" {
			c.errorf(w.Unit.Pos, "edge weight: population networks take plain numbers in the target variable's units").Hint = "drop the unit"
			ok = false
		}
	}
	if e.Delay.Set {
		d, good := c.steps(e.Delay, "edge delay")
		ok = ok && good
		pe.Delay = d
	}
	if ok {
		ok = c.synapseEdge(e, pe)
	}
	if !ok {
		return nil
	}
	return pe
}

func (c *compiler) nodeIDs() string {
	var ids []string
	for _, p := range c.net.Pops {
		ids = append(ids, p.Name)
	}
	return strings.Join(ids, ", ")
}

// Summary describes a compiled network in one line.
func Summary(p *ir.PopNet) string {
	cells := 0
	for _, pop := range p.Pops {
		cells += pop.Size
	}
	return fmt.Sprintf("%q, %d cells in %d populations, %d edges, %d steps of %s s", p.Label, cells, len(p.Pops), len(p.Edges), p.Steps, strconv.FormatFloat(p.Dt, 'g', -1, 64))
}
