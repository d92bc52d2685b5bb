package lower

import (
	"math"

	"github.com/tvboc/tvboc/compiler/expr"
)

// Time-only inputs (pulses, ramps, sines with windows) are turned into
// step ranges at compile time: every comparison of the time t against a
// constant flips at one step index, its boundary. Between two boundaries
// every such comparison is decided, so the input folds to one branch and
// the step loop never tests t.
//
// Indices here are evaluation indices j: the time is j*dt. An input read
// by the step from k to k+1 is evaluated at j = k+1 (the reference advances
// inputs before the cells that read them).

// snap is how close to a whole number of steps a window edge must be to
// count as exactly on it; it absorbs the rounding of delay/dt (22 ms / 5
// us is 4399.999999999999 in float64).
const snap = 1e-6

// boundary returns the first j at which `t op c` (op >= or >) holds, on a
// grid of step dtU, with t = j*dtU: the plain ODE reading.
func boundary(op string, c, dtU float64) int {
	x := c / dtU
	if op == ">" || op == "<=" {
		return int(math.Floor(x+snap)) + 1
	}
	return int(math.Ceil(x - snap))
}

// clock decides time comparisons as the reference does. jLEMS keeps t as a
// running sum (t += dt, in seconds) and compares that sum: after 10000
// steps of 1e-5 s it holds 0.09999999999999393, so a pulse that ends at
// 0.1 s is still on at step 10000, where j*dt says it has ended
// (reference/README.md, "How jLEMS steps", item 5). The clock finds each
// edge by replaying the sum; ode makes it the plain t = j*dt with snap.
type clock struct {
	ode   bool
	dt    float64 // the step in seconds
	limit int     // no edge past this index matters (the last step + 1)
	cache map[clockKey]int
}

type clockKey struct {
	strict  bool
	c, unit float64
}

// boundary is the package-level boundary under the clock's reading: the
// first j at which t_j > c (op > or <=) or t_j >= c (op >= or <), c in
// time units of dtU (dtU = dt/unit seconds).
func (k *clock) boundary(op string, c, dtU float64) int {
	if k == nil || k.ode {
		return boundary(op, c, dtU)
	}
	strict := op == ">" || op == "<="
	unit := k.dt / dtU
	key := clockKey{strict, c, unit}
	if j, ok := k.cache[key]; ok {
		return j
	}
	cs := c * unit // the edge in seconds, as the LEMS rendering gives it
	holds := func(t float64) bool { return t > cs || !strict && t == cs }
	j, t := 0, 0.0
	for j <= k.limit && !holds(t) {
		if n, r := k.leap(t, cs, k.limit-j); n > 0 {
			j, t = j+n, t+float64(n)*r
			continue
		}
		j++
		t += k.dt
	}
	if k.cache == nil {
		k.cache = map[clockKey]int{}
	}
	k.cache[key] = j
	return j
}

// leap finds how many steps of the running sum t += dt can be taken at
// once from t without reaching cs (or the end of t's binade, or limit
// steps), and the increment each adds: within a binade every sum t + dt
// rounds to t plus dt rounded to the binade's spacing, unless dt lies
// exactly half-way between two multiples of it (then the rounding to even
// alternates). The result is the sum step by step would give, without
// replaying millions of steps (a step of 1e-9 ms to an input at 100 ms:
// 1e11 additions). It returns n = 0 where it cannot leap.
func (k *clock) leap(t, cs float64, limit int) (n int, r float64) {
	if t <= 0 || math.IsInf(t, 0) || limit < 2 {
		return 0, 0
	}
	_, exp := math.Frexp(t) // t = frac * 2^exp, frac in [0.5, 1)
	spacing := math.Ldexp(1, exp-53)
	q := k.dt / spacing
	if q-math.Floor(q) == 0.5 {
		return 0, 0
	}
	r = math.Round(q) * spacing
	if r == 0 {
		return limit, 0 // t no longer grows: it stays below cs
	}
	top := math.Ldexp(1, exp) // the end of t's binade
	steps := min((top-t)/r, (cs-t)/r) - 2
	if !(steps >= 2) {
		return 0, 0
	}
	return int(min(steps, float64(limit))), r
}

// timeComparison recognises `t op c` or `c op t` with c a number, returning
// the comparison normalised to t on the left.
func timeComparison(n expr.Node) (op string, c float64, ok bool) {
	b, isBin := n.(*expr.Binary)
	if !isBin {
		return "", 0, false
	}
	flip := map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<="}
	if _, cmp := flip[b.Op]; !cmp {
		return "", 0, false
	}
	if id, ok := b.X.(*expr.Ident); ok && id.Name == "t" {
		if v, ok := b.Y.(*expr.Num); ok {
			return b.Op, v.Value, true
		}
	}
	if id, ok := b.Y.(*expr.Ident); ok && id.Name == "t" {
		if v, ok := b.X.(*expr.Num); ok {
			return flip[b.Op], v.Value, true
		}
	}
	return "", 0, false
}

// boundaries lists the evaluation indices where some time comparison in n
// flips.
func (k *clock) boundaries(n expr.Node, dtU float64) []int {
	var out []int
	collect(n, func(op string, c float64) { out = append(out, k.boundary(op, c, dtU)) })
	return out
}

// collect calls f with every time comparison `t op c` in n.
func collect(n expr.Node, f func(op string, c float64)) {
	expr.Rewrite(n, func(x expr.Node) expr.Node {
		if op, c, ok := timeComparison(x); ok {
			f(op, c)
		}
		return x
	})
}

// specialize decides every time comparison in n for evaluation index j
// (any j of a segment gives the same answers) and folds what that decides.
func (k *clock) specialize(n expr.Node, j int, dtU float64) expr.Node {
	return fold(expr.Rewrite(n, func(x expr.Node) expr.Node {
		op, c, ok := timeComparison(x)
		if !ok {
			return x
		}
		after := j >= k.boundary(op, c, dtU)
		if op == "<" || op == "<=" {
			after = !after
		}
		return &expr.Bool{Value: after}
	}))
}

// dependsOnTimeOnly reports whether n uses no identifier but t.
func dependsOnTimeOnly(n expr.Node) bool {
	for _, id := range expr.Idents(n) {
		if id != "t" {
			return false
		}
	}
	return true
}
