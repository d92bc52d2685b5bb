package brain

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/library/tvbo"
)

// Free parameters of a whole-brain experiment stay identifiers of the
// kernel (read from simulate's parameter slice) instead of folded
// numbers, so one binary runs every set of a sweep. Three kinds:
//
//	model parameters      mu, JansenRit.mu, dynamics.mu   -> "JansenRit.mu"
//	coupling parameters   c_glob.a, coupling.c_glob.a     -> "c_glob.a"
//	the conduction speed  network.conduction_speed        -> "network.conduction_speed"
//
// A free conduction speed moves the delays to run time: the kernel keeps
// the tract lengths and computes round_half_to_even(length/speed/dt) and
// the history length when it starts.

// speedName is the canonical name of a free conduction speed.
const speedName = "network.conduction_speed"

// couplingParams lists a coupling's parameters with their values: the
// library function's, then those the experiment writes.
func couplingParams(cp *ast.Coupling) (map[string]float64, []string) {
	params := map[string]float64{}
	var order []string
	setP := func(name string, v float64) {
		if _, ok := params[name]; !ok {
			order = append(order, name)
		}
		params[name] = v
	}
	if cp.IRI.Value != "" {
		if lib, err := tvbo.Coupling(cp.IRI.Value); err == nil && lib != nil {
			for _, p := range lib.Parameters {
				setP(p.Name.Value, p.Value.Value)
			}
		}
	}
	for _, p := range cp.Parameters {
		setP(p.Name.Value, p.Value.Value)
	}
	return params, order
}

// freeParams resolves Options.Free into c.free and c.p.Params.
func (c *compiler) freeParams() {
	c.free = map[string]*ir.Param{}
	if len(c.opts.Free) == 0 {
		return
	}
	var couplings []*ast.Coupling
	speed := defaultSpeed
	if net := c.exp.Network; net != nil {
		couplings = net.Couplings
		for _, p := range net.Parameters {
			if p.Name.Value == "conduction_speed" || p.Name.Value == "speed" {
				speed = p.Value.Value
			}
		}
	}
	var all []string
	for _, p := range c.m.pOrder {
		all = append(all, c.m.name+"."+p)
	}
	for _, cp := range couplings {
		_, order := couplingParams(cp)
		for _, p := range order {
			all = append(all, cp.Name.Value+"."+p)
		}
	}
	if c.exp.Network != nil && len(c.exp.Network.Nodes) == 0 && !c.exp.Network.NumberOfNodes.Set {
		all = append(all, speedName)
	}
	pos := c.exp.Pos
	for _, raw := range c.opts.Free {
		name := strings.TrimSpace(raw)
		if name == "" {
			continue
		}
		var key, canon string
		var def float64
		owner, param, dotted := strings.Cut(name, ".")
		if strings.HasPrefix(name, "coupling.") {
			owner, param, dotted = strings.Cut(strings.TrimPrefix(name, "coupling."), ".")
		}
		switch {
		case name == speedName || name == "conduction_speed" || name == "network.speed":
			if !slices.Contains(all, speedName) {
				c.errorf(pos, "free parameter %q: this network has no delays to vary", name)
				continue
			}
			key, canon, def = "speed", speedName, speed
		case !dotted || owner == c.m.name || owner == "dynamics":
			p := name
			if dotted {
				p = param
			}
			v, ok := c.m.params[p]
			if !ok {
				c.errorf(pos, "free parameter %q: %s has no parameter %q", name, c.m.name, p).
					Hint = "parameters that can be free: " + strings.Join(all, ", ") + closest(p, c.m.pOrder)
				continue
			}
			key, canon, def = "model:"+p, c.m.name+"."+p, v
		default:
			i := slices.IndexFunc(couplings, func(cp *ast.Coupling) bool { return cp.Name.Value == owner })
			if i < 0 {
				c.errorf(pos, "free parameter %q: no model or coupling is called %q", name, owner).
					Hint = "parameters that can be free: " + strings.Join(all, ", ")
				continue
			}
			params, _ := couplingParams(couplings[i])
			v, ok := params[param]
			if !ok {
				c.errorf(pos, "free parameter %q: coupling %s has no parameter %q", name, owner, param).
					Hint = "parameters that can be free: " + strings.Join(all, ", ")
				continue
			}
			key, canon, def = "coupling:"+owner+":"+param, owner+"."+param, v
		}
		if c.free[key] != nil {
			continue
		}
		p := &ir.Param{Name: canon, Dynamics: owner, Parameter: param, Default: def, Scale: 1, SIScale: 1,
			Ident: fmt.Sprintf("fp%d", len(c.p.Params)), Positive: key == "speed"}
		if key == "speed" {
			// TVB's unit, which is also m/s: "--set ...=3", "=3mm/ms" and
			// "=3m/s" all mean the same speed
			p.Unit, p.SIUnit = "mm/ms", "m/s"
		}
		c.free[key] = p
		c.p.Params = append(c.p.Params, p)
	}
	// Initial values are numbers of the kernel: one that reads a free
	// parameter would silently keep its default.
	for _, s := range c.m.states {
		if s.init == nil {
			continue
		}
		expr.Inspect(s.init.Node, func(n expr.Node) bool {
			if x, ok := n.(*expr.Ident); ok && c.free["model:"+x.Name] != nil {
				c.errorf(s.init.Pos, "the initial value of %s reads %s, which is free; initial values are fixed when compiling", s.name, x.Name).
					Hint = "write the initial value as a number"
			}
			return true
		})
	}
}
