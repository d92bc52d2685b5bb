package lower

import (
	"fmt"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/resolve"
)

// LowerFree is Lower with free parameters: each one named in params stays
// an identifier of the kernel (a local the generated simulate reads from
// its parameter slice) instead of being folded to a number, so one binary
// runs any value of it. Initial values that depend on one become
// expressions. params get their Ident; the program lists them in Params.
// This is the one place a lowerer is built: Lower is LowerFree with none.
func LowerFree(m *resolve.Model, params []*ir.Param) (*ir.Program, error) {
	l := &lowerer{m: m, names: newNamer(), state: map[*resolve.Node]map[string]string{},
		refr: map[*resolve.Node]*refractory{}, free: map[*resolve.Type]map[string]string{}}
	if len(params) > 0 {
		// The generated simulate takes the values as p; params is the table.
		l.names.used["p"], l.names.used["params"] = true, true
	}
	types := map[string]*resolve.Type{}
	for _, t := range m.Types {
		types[t.Name] = t
	}
	for _, p := range params {
		t := types[p.Dynamics]
		if _, ok := t.Params[p.Parameter]; t == nil || !ok || t.Kind != resolve.Cell {
			return nil, fmt.Errorf("free parameter %s is not a parameter of a cell in this model", p.Name)
		}
		if l.free[t] == nil {
			l.free[t] = map[string]string{}
		}
		p.Ident = l.names.makeFree(p.Dynamics, p.Parameter)
		l.free[t][p.Parameter] = p.Ident
	}
	prog, err := l.program()
	if err != nil {
		return nil, err
	}
	prog.Params = params
	return prog, nil
}

// cellEnv is paramEnv for a cell type, with its free parameters as
// identifiers.
func (l *lowerer) cellEnv(t *resolve.Type) map[string]expr.Node {
	env := paramEnv(t)
	for name, ident := range l.free[t] {
		env[name] = &expr.Ident{Name: ident}
	}
	for name, v := range l.typeEnv[t] {
		env[name] = v // a synapse's vpeer (synapse.go)
	}
	if c, ok := t.Params[tissueChangeTime]; ok && !l.m.ODE && !l.popKernel && l.clock != nil {
		// jLEMS advances the tissue after the cells it holds: its
		// temperature changes at the end of the first step whose running
		// sum of t passes the change time, and the cells read it from the
		// next step on. t > c at a step's start time k*dt then holds
		// from step K on, where K is that first step's index (the clock).
		dtU := l.m.Dt / t.TimeUnit
		env[tissueChangeTime] = num((float64(l.clock.boundary(">", c, dtU)) - 0.5) * dtU)
	}
	return env
}

// tissueChangeTime is the parameter of a tissue whose temperature steps
// once (compiler/flatten).
const tissueChangeTime = "tissueChangeTime"

// isFreeExpr reports whether an initial value that did not fold to a
// number is an expression of free parameters only, which the generated
// code computes at the start of the run.
func (l *lowerer) isFreeExpr(n expr.Node) bool {
	if _, isNum := n.(*expr.Num); isNum || len(l.free) == 0 {
		return false
	}
	free := map[string]bool{}
	for _, idents := range l.free {
		for _, id := range idents {
			free[id] = true
		}
	}
	for _, id := range expr.Idents(n) {
		if !free[id] {
			return false
		}
	}
	return true
}

// initState is the state variable name with its folded initial value: a
// number, or an expression of free parameters.
func initState(name string, init expr.Node) *ir.State {
	if v, ok := init.(*expr.Num); ok {
		return &ir.State{Name: name, Init: v.Value}
	}
	return &ir.State{Name: name, InitExpr: init}
}

// makeFree names the kernel local of a free parameter: izBurst_a.
func (n *namer) makeFree(dynamics, param string) string {
	base := sanitize(dynamics + "_" + param)
	name := base
	for i := 2; n.used[name]; i++ {
		name = fmt.Sprintf("%s_%d", base, i)
	}
	n.used[name] = true
	return name
}
