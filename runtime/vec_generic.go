//go:build !(goexperiment.simd && amd64)

package runtime

import "math"

// Vec4 is four float64 lanes. This portable form exists so that generated
// files compile on every platform; VecOn is false here, so the generated
// kernels never take their vector loops and the Go compiler drops them.
type Vec4 struct{ l [4]float64 }

// VecMask is the result of comparing two Vec4s, one bit per lane.
type VecMask struct{ bits uint8 }

// VecOn is false: this build has no vector unit to use (see vec_simd.go).
const VecOn = false

// VecDone does nothing here (see vec_simd.go).
func VecDone() {}

// VecLoad loads p's four values.
func VecLoad(p *[4]float64) Vec4 { return Vec4{*p} }

// VecConst is x in every lane.
func VecConst(x float64) Vec4 { return Vec4{[4]float64{x, x, x, x}} }

// VecNeg is -x lane by lane.
func VecNeg(x Vec4) Vec4 { return x.each(x, func(a, _ float64) float64 { return -a }) }

func (x Vec4) each(y Vec4, op func(a, b float64) float64) Vec4 {
	for i := range x.l {
		x.l[i] = op(x.l[i], y.l[i])
	}
	return x
}

func (x Vec4) cmp(y Vec4, op func(a, b float64) bool) VecMask {
	var m VecMask
	for i := range x.l {
		if op(x.l[i], y.l[i]) {
			m.bits |= 1 << i
		}
	}
	return m
}

func (x Vec4) Add(y Vec4) Vec4 { return x.each(y, func(a, b float64) float64 { return a + b }) }
func (x Vec4) Sub(y Vec4) Vec4 { return x.each(y, func(a, b float64) float64 { return a - b }) }
func (x Vec4) Mul(y Vec4) Vec4 { return x.each(y, func(a, b float64) float64 { return a * b }) }
func (x Vec4) Div(y Vec4) Vec4 { return x.each(y, func(a, b float64) float64 { return a / b }) }

// Sqrt is the square root of every lane.
func (x Vec4) Sqrt() Vec4 { return x.each(x, func(a, _ float64) float64 { return math.Sqrt(a) }) }

// Store stores the lanes into p.
func (x Vec4) Store(p *[4]float64) { *p = x.l }

func (x Vec4) Less(y Vec4) VecMask { return x.cmp(y, func(a, b float64) bool { return a < b }) }
func (x Vec4) LessEqual(y Vec4) VecMask {
	return x.cmp(y, func(a, b float64) bool { return a <= b })
}
func (x Vec4) Greater(y Vec4) VecMask { return x.cmp(y, func(a, b float64) bool { return a > b }) }
func (x Vec4) GreaterEqual(y Vec4) VecMask {
	return x.cmp(y, func(a, b float64) bool { return a >= b })
}
func (x Vec4) Equal(y Vec4) VecMask    { return x.cmp(y, func(a, b float64) bool { return a == b }) }
func (x Vec4) NotEqual(y Vec4) VecMask { return x.cmp(y, func(a, b float64) bool { return a != b }) }

// And, Or and ToBits combine and read masks; bit i is lane i.
func (m VecMask) And(n VecMask) VecMask { return VecMask{m.bits & n.bits} }
func (m VecMask) Or(n VecMask) VecMask  { return VecMask{m.bits | n.bits} }
func (m VecMask) ToBits() uint8         { return m.bits }

// normalFactors sets f[i] = normalFactor(s[i]).
func normalFactors(s, f *[4]float64) {
	for i := range s {
		f[i] = normalFactor(s[i])
	}
}

// VecExp is math.Exp of every lane.
func VecExp(x Vec4) Vec4 { return x.each(x, func(a, _ float64) float64 { return math.Exp(a) }) }

// VecMin and VecMax are Go's built-in min and max of every lane pair.
func VecMin(x, y Vec4) Vec4 { return x.each(y, func(a, b float64) float64 { return min(a, b) }) }
func VecMax(x, y Vec4) Vec4 { return x.each(y, func(a, b float64) float64 { return max(a, b) }) }

// Exp4 is math.Exp of four numbers.
func Exp4(a, b, c, d float64) (float64, float64, float64, float64) {
	return math.Exp(a), math.Exp(b), math.Exp(c), math.Exp(d)
}
