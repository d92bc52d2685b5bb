//go:build goexperiment.simd && amd64

package runtime

import (
	"math"
	"simd/archsimd"
)

// The transcendental functions of the vector kernels. Each is the scalar
// math function of Go's standard library bit for bit, four lanes at a
// time: the same operations in the same order, so a node stepped in the
// vector loop has the numbers it has in the scalar loop, and a binary
// built without the simd experiment (a plain `go build` of the generated
// file) writes the same bytes. Lanes the fast path does not cover (NaN,
// infinities, overflow, results below the normal range) are handed to the
// scalar function.

// expFMA is math.Exp's own switch (math/exp_amd64.go): with AVX and FMA
// its assembly fuses the argument reduction and the polynomial, and so
// must VecExp.
var expFMA = archsimd.X86.AVX() && archsimd.X86.FMA()

// The constants of math.Exp (math/exp_amd64.s, after Shibata's SLEEF).
const (
	expLog2e    = 1.4426950408889634073599246810018920
	expLn2U     = 0.69314718055966295651160180568695068359375
	expLn2L     = 0.28235290563031577122588448175013436025525412068e-12
	expOverflow = 7.09782712893384e+02
)

// expTaylor are the Taylor coefficients of the assembly, highest first:
// 1/8!, 1/7!, ..., 1/3!, then 0.5 and 1.
var expTaylor = [...]float64{
	2.4801587301587301587e-5, 1.9841269841269841270e-4, 1.3888888888888888889e-3,
	8.3333333333333333333e-3, 4.1666666666666666667e-2, 1.6666666666666666667e-1,
	0.5, 1.0,
}

// expBias is 2^52 + 1023: k + expBias has k + 1023 in its low bits, the
// biased exponent of 2^k (as vecLog's logMagic, the other way round).
var expBias = VecConst(0x1p52 + 1023)

// VecExp is math.Exp of every lane, bit for bit.
func VecExp(x Vec4) Vec4 {
	t := x.Mul(VecConst(expLog2e))
	k := t.RoundToEven() // CVTSD2SL: round to nearest even, in range
	// the lanes whose 2^k is a normal number and that do not overflow
	fast := x.LessEqual(VecConst(expOverflow)).
		And(k.GreaterEqual(VecConst(-1022))).
		And(k.LessEqual(VecConst(1023)))
	var r Vec4
	if expFMA {
		r = VecNeg(k).MulAdd(VecConst(expLn2U), x)
		r = VecNeg(k).MulAdd(VecConst(expLn2L), r)
		r = r.Mul(VecConst(0.0625))
		p := VecConst(expTaylor[0])
		for _, c := range expTaylor[1:] {
			p = p.MulAdd(r, VecConst(c))
		}
		r = r.Mul(p)
		for range 3 {
			r = r.Mul(r.Add(VecConst(2)))
		}
		r = r.MulAdd(r.Add(VecConst(2)), VecConst(1))
	} else {
		r = x.Sub(k.Mul(VecConst(expLn2U)))
		r = r.Sub(k.Mul(VecConst(expLn2L)))
		r = r.Mul(VecConst(0.0625))
		p := VecConst(expTaylor[0])
		for _, c := range expTaylor[1:] {
			p = p.Mul(r).Add(VecConst(c))
		}
		r = r.Mul(p)
		for range 4 {
			r = r.Mul(r.Add(VecConst(2)))
		}
		r = r.Add(VecConst(1))
	}
	scale := k.Add(expBias).AsUint64x4().ShiftLeft(log52).AsFloat64x4()
	r = r.Mul(scale)
	if fast.ToBits() != 0xF {
		r = vecSlow(x, r, fast, math.Exp)
	}
	return r
}

// vecSlow replaces the lanes of r outside fast by f of x's lane: the
// special cases, rare enough to take the scalar path (after VecDone, as
// f is scalar code).
func vecSlow(x, r Vec4, fast VecMask, f func(float64) float64) Vec4 {
	var xs, rs [4]float64
	x.Store(&xs)
	r.Store(&rs)
	bits := fast.ToBits()
	VecDone()
	for l := range 4 {
		if bits>>l&1 == 0 {
			rs[l] = f(xs[l])
		}
	}
	return VecLoad(&rs)
}

// VecMin is Go's built-in min of every lane pair: NaN if either is NaN,
// and -0 below +0 (VMINPD alone gives its second operand for both).
func VecMin(x, y Vec4) Vec4 {
	m := x.Min(y)
	// equal lanes differ at most in the sign of a zero: OR keeps -0
	m = x.AsUint64x4().Or(y.AsUint64x4()).AsFloat64x4().Merge(m, x.Equal(y))
	return x.Add(y).Merge(m, x.IsNaN().Or(y.IsNaN()))
}

// VecMax is Go's built-in max of every lane pair: NaN if either is NaN,
// and +0 above -0.
func VecMax(x, y Vec4) Vec4 {
	m := x.Max(y)
	// equal lanes differ at most in the sign of a zero: AND keeps +0
	m = x.AsUint64x4().And(y.AsUint64x4()).AsFloat64x4().Merge(m, x.Equal(y))
	return x.Add(y).Merge(m, x.IsNaN().Or(y.IsNaN()))
}
