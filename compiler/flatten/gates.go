package flatten

import "github.com/tvboc/tvboc/compiler/expr"

// AlphaBetaGates rewrites every state variable written as NeuroML's
// gateHHrates writes a gate,
//
//	dq/dt = (inf - q) / tau,  inf = A / S,  tau = 1 / S  or  1 / (S * k),
//
// (A the forward rate, S the sum of both rates, k the temperature factor)
// into the algebraically equal form of the textbook,
//
//	dq/dt = A - S*q  or  (A - S*q) * k,
//
// which has no division: three divisions a gate and step fewer, about a
// tenth of a granule cell's step (Ex15). The rounding differs from
// jLEMS's, so it is offered only under the plain ODE reading (tvboc
// compile --semantics ode --gate-form alpha-beta). inf and tau stay
// derived variables, computed only when recorded. It returns how many
// states it rewrote; a rate of any other shape is left as it is.
func AlphaBetaGates(c *Cell) int {
	derived := make(map[string]expr.Node, len(c.Derived))
	for _, d := range c.Derived {
		derived[d.Name] = d.Value
	}
	n := 0
	for _, s := range c.States {
		if rate, ok := alphaBeta(s.Name, s.Rate, derived); ok {
			s.Rate = rate
			n++
		}
	}
	return n
}

// alphaBeta is AlphaBetaGates for one state q with rate r.
func alphaBeta(q string, r expr.Node, derived map[string]expr.Node) (expr.Node, bool) {
	quot, ok := r.(*expr.Binary)
	if !ok || quot.Op != "/" {
		return nil, false
	}
	diff, ok := quot.X.(*expr.Binary)
	if !ok || diff.Op != "-" || !isIdent(diff.Y, q) {
		return nil, false
	}
	infName, ok1 := diff.X.(*expr.Ident)
	tauName, ok2 := quot.Y.(*expr.Ident)
	if !ok1 || !ok2 {
		return nil, false
	}
	inf, ok1 := derived[infName.Name].(*expr.Binary)
	tau, ok2 := derived[tauName.Name].(*expr.Binary)
	if !ok1 || !ok2 || inf.Op != "/" || tau.Op != "/" || !isOne(tau.X) {
		return nil, false
	}
	A, S := inf.X, inf.Y
	var k expr.Node
	switch {
	case tau.Y.String() == S.String():
	default:
		prod, ok := tau.Y.(*expr.Binary)
		if !ok || prod.Op != "*" || prod.X.String() != S.String() {
			return nil, false
		}
		k = prod.Y
	}
	pos := r.Pos()
	rate := expr.Node(&expr.Binary{P: pos, Op: "-", X: A, Y: &expr.Binary{P: pos, Op: "*", X: S, Y: &expr.Ident{P: pos, Name: q}}})
	if k != nil {
		rate = &expr.Binary{P: pos, Op: "*", X: rate, Y: k}
	}
	return rate, true
}

func isIdent(n expr.Node, name string) bool {
	id, ok := n.(*expr.Ident)
	return ok && id.Name == name
}

func isOne(n expr.Node) bool {
	num, ok := n.(*expr.Num)
	return ok && num.Value == 1
}
