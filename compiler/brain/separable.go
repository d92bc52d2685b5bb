package brain

import (
	"strings"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// maxTerms bounds the separable form: each term costs a weighted sum per
// edge, so beyond a few the edge loop would cost more than the
// expression it replaces.
const maxTerms = 4

// term is one product Target * Source of the separable expansion: tgt
// reads only target states and constants (nil: 1), src only source
// states (nil: 1).
type term struct {
	src, tgt expr.Node
}

// dependence says which side of an edge an expression reads.
type dependence int

const (
	depNone   dependence = 0
	depSource dependence = 1
	depTarget dependence = 2
	depBoth   dependence = depSource | depTarget
)

func dependsOn(n expr.Node) dependence {
	d := depNone
	expr.Inspect(n, func(n expr.Node) bool {
		if x, ok := n.(*expr.Ident); ok {
			switch {
			case strings.HasPrefix(x.Name, ir.SourceIdent(0)[:3]):
				d |= depSource
			case strings.HasPrefix(x.Name, ir.TargetIdent(0)[:3]):
				d |= depTarget
			}
		}
		return true
	})
	return d
}

// separate takes a coupling's pre-expression apart into a sum of
// products of a source part and a target part, so the edge loop sums
// only source values (computed once per node and step, kept in the
// history when delayed) and the target parts multiply the sums once per
// node:
//
//	x_j - x_i           -> sum w x_j - x_i sum w
//	sin(x_j - x_i)      -> cos x_i sum w sin x_j - sin x_i sum w cos x_j
//	f(x_j) (no x_i)     -> sum w f(x_j), f once per node instead of per edge
//
// It is algebra over the expression (sums, products, quotients by one
// side, sin and cos of a sum), not a list of known couplings, so
// user-written pre-expressions benefit too. Anything else that mixes
// both sides (a tanh(x_j - x_i), say) returns ok false: the kernel then
// evaluates the expression per edge as written.
func separate(pre expr.Node) (terms []ir.SepTerm, stored []expr.Node, ok bool) {
	switch dependsOn(pre) {
	case depNone, depTarget:
		// no source at all: the weighted sum of 1 times the expression
		return []ir.SepTerm{{Target: pre, Slot: -1}}, nil, true
	case depSource:
		// keep the expression whole: same rounding as per edge
		terms = []ir.SepTerm{{Source: pre, Target: num(1), Slot: -1}}
	default:
		ts, ok := expand(pre)
		if !ok {
			return nil, nil, false
		}
		ts = group(ts)
		if len(ts) > maxTerms {
			return nil, nil, false
		}
		for _, t := range ts {
			tgt := t.tgt
			if tgt == nil {
				tgt = num(1)
			}
			terms = append(terms, ir.SepTerm{Source: t.src, Target: fold(tgt), Slot: -1})
		}
	}
	// Sources that are bare states are read from the states (or their
	// history); anything else is stored once per node and step. When
	// one source needs storing all are, so an edge reads one place.
	bare := true
	for _, t := range terms {
		if _, isIdent := t.Source.(*expr.Ident); t.Source != nil && !isIdent {
			bare = false
		}
	}
	if !bare {
		for m := range terms {
			if terms[m].Source != nil {
				terms[m].Slot = len(stored)
				stored = append(stored, terms[m].Source)
			}
		}
	}
	return terms, stored, true
}

// expand writes n as a sum of terms, or returns ok false when a part
// mixing both sides is not one of the forms it knows.
func expand(n expr.Node) ([]term, bool) {
	switch dependsOn(n) {
	case depNone, depTarget:
		return []term{{tgt: n}}, true
	case depSource:
		return []term{{src: n}}, true
	}
	switch x := n.(type) {
	case *expr.Unary:
		if x.Op != "-" {
			return nil, false
		}
		ts, ok := expand(x.X)
		if !ok {
			return nil, false
		}
		return negate(ts), true
	case *expr.Binary:
		switch x.Op {
		case "+", "-":
			a, ok := expand(x.X)
			if !ok {
				return nil, false
			}
			b, ok := expand(x.Y)
			if !ok {
				return nil, false
			}
			if x.Op == "-" {
				b = negate(b)
			}
			return append(a, b...), true
		case "*":
			a, ok := expand(x.X)
			if !ok {
				return nil, false
			}
			b, ok := expand(x.Y)
			if !ok || len(a)*len(b) > 4*maxTerms {
				return nil, false
			}
			var out []term
			for _, s := range a {
				for _, t := range b {
					out = append(out, term{src: times(s.src, t.src), tgt: times(s.tgt, t.tgt)})
				}
			}
			return out, true
		case "/":
			a, ok := expand(x.X)
			if !ok {
				return nil, false
			}
			d := dependsOn(x.Y)
			if d == depBoth {
				return nil, false
			}
			for i, t := range a {
				if d == depSource {
					a[i].src = over(t.src, x.Y)
				} else {
					a[i].tgt = over(t.tgt, x.Y)
				}
			}
			return a, true
		}
	case *expr.Call:
		if (x.Func != "sin" && x.Func != "cos") || len(x.Args) != 1 {
			return nil, false
		}
		ts, ok := expand(x.Args[0])
		if !ok {
			return nil, false
		}
		// the argument as A(x_j) + B(x_i)
		var a, b expr.Node
		for _, t := range ts {
			switch {
			case t.src == nil:
				b = plus(b, orOne(t.tgt))
			case dependsOn(t.tgt) == depNone:
				a = plus(a, times(t.tgt, t.src))
			default:
				return nil, false
			}
		}
		// sin(a + b) = sin a cos b + cos a sin b
		// cos(a + b) = cos a cos b - sin a sin b
		// with b = -c: cos b = cos c and sin b = -sin c
		neg := false
		if u, ok := b.(*expr.Unary); ok && u.Op == "-" {
			b, neg = u.X, true
		}
		call := func(f string, v expr.Node) expr.Node { return &expr.Call{Func: f, Args: []expr.Node{v}} }
		sinB := call("sin", b)
		if neg {
			sinB = &expr.Unary{Op: "-", X: sinB}
		}
		if x.Func == "sin" {
			return []term{{src: call("sin", a), tgt: call("cos", b)}, {src: call("cos", a), tgt: sinB}}, true
		}
		return []term{{src: call("cos", a), tgt: call("cos", b)}, {src: call("sin", a), tgt: &expr.Unary{Op: "-", X: sinB}}}, true
	}
	return nil, false
}

// group adds the target parts of terms with the same source, in order
// of first appearance.
func group(ts []term) []term {
	var out []term
	index := map[string]int{}
	for _, t := range ts {
		key := ""
		if t.src != nil {
			key = t.src.String()
		}
		if i, ok := index[key]; ok {
			out[i].tgt = plus(orOne(out[i].tgt), orOne(t.tgt))
			continue
		}
		index[key] = len(out)
		out = append(out, t)
	}
	return out
}

func negate(ts []term) []term {
	for i, t := range ts {
		if u, ok := t.tgt.(*expr.Unary); ok && u.Op == "-" {
			ts[i].tgt = u.X
		} else {
			ts[i].tgt = &expr.Unary{Op: "-", X: orOne(t.tgt)}
		}
	}
	return ts
}

func orOne(n expr.Node) expr.Node {
	if n == nil {
		return num(1)
	}
	return n
}

// times multiplies two factors, nil being 1.
func times(a, b expr.Node) expr.Node {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return &expr.Binary{Op: "*", X: a, Y: b}
}

// over divides a factor (nil: 1) by d.
func over(a, d expr.Node) expr.Node {
	return &expr.Binary{Op: "/", X: orOne(a), Y: d}
}

// plus adds two terms, nil being nothing yet.
func plus(a, b expr.Node) expr.Node {
	if a == nil {
		return b
	}
	if u, ok := b.(*expr.Unary); ok && u.Op == "-" {
		return &expr.Binary{Op: "-", X: a, Y: u.X}
	}
	return &expr.Binary{Op: "+", X: a, Y: b}
}
