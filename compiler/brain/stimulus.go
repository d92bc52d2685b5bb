package brain

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// This file lowers TVBO's stimulation (TVB's StimuliRegion): a temporal
// equation f(t), t in ms, times a weight per region, added to the
// stimulated states' derivatives. f depends on time only, so the kernel
// computes it once per step (not per node) on TVB's time grid, t = k dt
// for the step from k dt to (k+1) dt (the simulator's configure_time
// grid numpy.r_[0:length:dt] and its stim_step = step - 1).

// temporalEquations are TVB's temporal equations (tvb.datatypes.equations,
// 2.11), written over t with TVB's default parameters; where(c, a, b) is
// written Piecewise((a, c), (b, True)).
var temporalEquations = map[string]struct {
	rhs      string
	defaults map[string]float64
}{
	"PulseTrain": {"Piecewise((amp, (t > onset) & (((t - onset) % T) < tau)), (0, True))",
		map[string]float64{"T": 42, "tau": 13, "amp": 1, "onset": 30}},
	"Sinusoid": {"amp * sin(6.283185307179586 * frequency * t)", map[string]float64{"amp": 1, "frequency": 0.01}},
	"Cosine":   {"amp * cos(6.283185307179586 * frequency * t)", map[string]float64{"amp": 1, "frequency": 0.01}},
	"Gaussian": {"(amp * exp(-((t - midpoint)^2 / (2.0 * sigma^2)))) + offset",
		map[string]float64{"amp": 1, "sigma": 1, "midpoint": 0, "offset": 0}},
	"DoubleGaussian": {"(amp_1 * exp(-((t - midpoint_1)^2 / (2.0 * sigma_1^2)))) - (amp_2 * exp(-((t - midpoint_2)^2 / (2.0 * sigma_2^2))))",
		map[string]float64{"amp_1": 0.5, "sigma_1": 20, "midpoint_1": 0, "amp_2": 1, "sigma_2": 10, "midpoint_2": 0}},
	"Linear": {"a * t + b", map[string]float64{"a": 1, "b": 0}},
	"Alpha": {"Piecewise(((alpha * beta) / (beta - alpha) * (exp(-alpha * (t - onset)) - exp(-beta * (t - onset))), (t - onset) > 0), (0, True))",
		map[string]float64{"onset": 0.5, "alpha": 13, "beta": 42}},
	"GeneralizedSigmoid": {"low + (high - low) / (1.0 + exp(-1.8137993642342178 * (t - midpoint) / sigma))",
		map[string]float64{"low": 0, "high": 1, "midpoint": 1, "sigma": 0.3}},
}

func temporalNames() string {
	var names []string
	for k := range temporalEquations {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// stimulus lowers the experiment's stimulation into p.Stimulus.
func (c *compiler) stimulus() {
	s := c.exp.Stimulation
	if s == nil {
		return
	}
	m, p := c.m, c.p
	if p.Adaptive != nil {
		c.errorf(s.Pos, "a stimulation with the adaptive %s is not generated", p.Method).
			Hint = "use euler, heun or rk4 (TVB adds the stimulus once per step)"
		return
	}
	params := map[string]float64{}
	var node expr.Node
	src := ""
	var eq *ast.Expr
	if s.Equation != nil {
		eq = s.Equation
		node, src = s.Equation.Node, s.Equation.Src
	} else {
		var te struct {
			rhs      string
			defaults map[string]float64
		}
		found := false
		for name, t := range temporalEquations {
			if strings.EqualFold(name, s.Kind.Value) {
				te, found = t, true
			}
		}
		if !found {
			c.errorf(s.Kind.Pos, "stimulation equation %q is not one of TVB's temporal equations tvboc knows", s.Kind.Value).
				Hint = "use one of " + temporalNames() + ", or write the equation: {rhs: ...} over t in ms" + closest(s.Kind.Value, strings.Split(temporalNames(), ", "))
			return
		}
		n, err := expr.ParseNumber(te.rhs)
		if err != nil {
			c.errorf(s.Kind.Pos, "internal error: %v", err)
			return
		}
		node, src = n, te.rhs
		for k, v := range te.defaults {
			params[k] = v
		}
	}
	for _, q := range s.Parameters {
		if s.Equation == nil {
			if _, ok := params[q.Name.Value]; !ok {
				var names []string
				for k := range params {
					names = append(names, k)
				}
				sort.Strings(names)
				c.errorf(q.Name.Pos, "%s has no parameter %q", s.Kind.Value, q.Name.Value).Hint = "its parameters: " + strings.Join(names, ", ") + closest(q.Name.Value, names)
				continue
			}
		}
		if q.Expr != nil {
			c.errorf(q.Name.Pos, "stimulation parameter %s must be a number", q.Name.Value)
			continue
		}
		params[q.Name.Value] = q.Value.Value
	}
	pos := s.Pos
	if eq != nil {
		pos = eq.Pos
	}
	bad := false
	bound := expr.Rewrite(node, func(n expr.Node) expr.Node {
		x, ok := n.(*expr.Ident)
		if !ok {
			return n
		}
		if x.Name == "t" || x.Name == "var" {
			return &expr.Ident{P: x.P, Name: ir.StimTimeIdent}
		}
		if v, ok := params[x.Name]; ok {
			return &expr.Num{P: x.P, Value: v}
		}
		if v, ok := expr.Constants[x.Name]; ok {
			return &expr.Num{P: x.P, Value: v}
		}
		at := pos
		if eq != nil {
			at = eq.PosOf(x.P)
		}
		var names []string
		for k := range params {
			names = append(names, k)
		}
		sort.Strings(names)
		c.errorf(at, "unknown name %q in the stimulation equation %q", x.Name, src).
			Hint = "a stimulus depends on time only: t (ms) and the stimulation's parameters" + closest(x.Name, names)
		bad = true
		return n
	})
	if bad {
		return
	}
	st := &ir.BrainStimulus{Weight: make([]float64, p.Nodes)}
	// a comparison used as a number (TVBO's "(t >= t0) * q * ...") is
	// 1 or 0, then every Piecewise gets a temporary of its own (the
	// generator writes those as if-chains), inner ones first
	numeric := asNumber(expr.Rewrite(bound, func(n expr.Node) expr.Node {
		switch x := n.(type) {
		case *expr.Binary:
			if isArith(x.Op) {
				x.X, x.Y = asNumber(x.X), asNumber(x.Y)
			}
		case *expr.Call:
			for i, a := range x.Args {
				if t, ok := a.(*expr.Tuple); ok && x.Func == "Piecewise" && len(t.Elems) == 2 {
					t.Elems[0] = asNumber(t.Elems[0])
				} else if x.Func != "Piecewise" {
					x.Args[i] = asNumber(a)
				}
			}
		}
		return n
	}))
	// an operation of the parameters alone that is not finite (Alpha
	// with alpha = beta divides by beta - alpha = 0; PulseTrain with T =
	// 0 takes a remainder by 0) is refused here, not left to go build or
	// to a silent NaN
	if bad, why := expr.NonFinite(node, func(name string) (float64, bool) {
		v, ok := params[name]
		return v, ok && name != "t" && name != "var"
	}); bad != nil {
		what := s.Kind.Value
		if eq != nil {
			what = fmt.Sprintf("equation %q", src)
		}
		c.errorf(pos, "the stimulation %s: %s", what, why).Hint = "change its parameters: no value may be infinite or NaN"
		return
	}
	k := 0
	hoisted := expr.Rewrite(numeric, func(n expr.Node) expr.Node {
		if x, ok := n.(*expr.Call); ok && x.Func == "Piecewise" {
			k++
			name := fmt.Sprintf("stim_sel%d", k)
			st.Body = append(st.Body, &ir.Let{Name: name, Value: x})
			return &expr.Ident{Name: name}
		}
		return n
	})
	st.Value = fold(hoisted)
	if v, err := expr.Eval(st.Value, func(name string) (float64, bool) { return 0, false }); err == nil && v == 0 && len(st.Body) == 0 {
		// a stimulus that is 0 at every time changes nothing
		return
	}
	// weights: TVB's StimuliRegion weight per region
	switch {
	case len(s.Regions) == 0 && len(s.Weighting) == 0:
		c.errorf(s.Pos, "the stimulation names no regions").Hint = "add regions: [0, 3] (indices into the connectome) and weighting: [1.0]"
		return
	case len(s.Regions) == 0:
		if len(s.Weighting) != p.Nodes {
			c.errorf(s.Weighting[0].Pos, "stimulation weighting has %d values for %d regions", len(s.Weighting), p.Nodes).
				Hint = "give one weight per region, or regions: [...] with their weights"
			return
		}
		for i, w := range s.Weighting {
			st.Weight[i] = w.Value
		}
	default:
		if len(s.Weighting) > 1 && len(s.Weighting) != len(s.Regions) {
			c.errorf(s.Weighting[0].Pos, "stimulation weighting has %d values for %d regions", len(s.Weighting), len(s.Regions)).
				Hint = "one weight per region, or one weight for all of them"
			return
		}
		named := map[int]bool{}
		for i, r := range s.Regions {
			if r.Value != math.Trunc(r.Value) || r.Value < 0 || int(r.Value) >= p.Nodes {
				c.errorf(r.Pos, "stimulation region %g is not a region index of the %d-region connectome (0 to %d)", r.Value, p.Nodes, p.Nodes-1)
				continue
			}
			if named[int(r.Value)] {
				// its weights would not add up: the later one would
				// replace the earlier without a word
				c.errorf(r.Pos, "stimulation region %g is listed twice", r.Value).Hint = "list each region once, with its one weight"
				continue
			}
			named[int(r.Value)] = true
			w := 1.0
			switch {
			case len(s.Weighting) == 1:
				w = s.Weighting[0].Value
			case len(s.Weighting) > 1:
				w = s.Weighting[i].Value
			}
			st.Weight[int(r.Value)] = w
		}
	}
	// the stimulated states: targets, else TVB's stvar (the model's
	// coupling variables)
	for _, t := range s.Targets {
		i := m.state(t.Value)
		if i < 0 {
			c.errorf(t.Pos, "stimulation target %q is not a state variable of %s", t.Value, m.name).
				Hint = "state variables: " + strings.Join(m.stateNames(), ", ") + closest(t.Value, m.stateNames())
			continue
		}
		st.States = append(st.States, i)
	}
	if len(s.Targets) == 0 {
		for i, x := range m.states {
			if x.coupling {
				st.States = append(st.States, i)
			}
		}
		if len(st.States) == 0 {
			c.errorf(s.Pos, "the stimulation names no targets and %s marks no coupling variable (TVB stimulates those)", m.name).
				Hint = "add targets: [" + m.states[0].name + "]"
			return
		}
	}
	if len(c.errs) > 0 {
		return
	}
	p.Stimulus = st
}

func isArith(op string) bool {
	switch op {
	case "+", "-", "*", "/", "^":
		return true
	}
	return false
}

// asNumber turns a condition used as a number into 1 or 0.
func asNumber(n expr.Node) expr.Node {
	isBool := false
	switch x := n.(type) {
	case *expr.Binary:
		switch x.Op {
		case "<", "<=", ">", ">=", "==", "!=", "&", "|":
			isBool = true
		}
	case *expr.Unary:
		isBool = x.Op == "!"
	case *expr.Bool:
		isBool = true
	}
	if !isBool {
		return n
	}
	return &expr.Call{Func: "Piecewise", Args: []expr.Node{
		&expr.Tuple{Elems: []expr.Node{num(1), n}},
		&expr.Tuple{Elems: []expr.Node{num(0), &expr.Bool{Value: true}}},
	}}
}
