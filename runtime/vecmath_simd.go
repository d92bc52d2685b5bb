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

// The Taylor coefficients of the assembly, 1/8! down to 1/3!, then 0.5
// and 1, and the other constants of VecExp, broadcast once (a broadcast
// in place costs an instruction per call).
var (
	expT8        = VecConst(2.4801587301587301587e-5)
	expT7        = VecConst(1.9841269841269841270e-4)
	expT6        = VecConst(1.3888888888888888889e-3)
	expT5        = VecConst(8.3333333333333333333e-3)
	expT4        = VecConst(4.1666666666666666667e-2)
	expT3        = VecConst(1.6666666666666666667e-1)
	expHalf      = VecConst(0.5)
	expOne       = VecConst(1.0)
	expTwo       = VecConst(2.0)
	expSixteenth = VecConst(0.0625) // the assembly's reduction of the argument by 16
	expL2e       = VecConst(expLog2e)
	expLnU       = VecConst(expLn2U)
	expLnL       = VecConst(expLn2L)
	expOver      = VecConst(expOverflow)
	expMinK      = VecConst(-1022)
	expMaxK      = VecConst(1023)
)

// expBias is 2^52 + 1023: k + expBias has k + 1023 in its low bits, the
// biased exponent of 2^k (as vecLog's logMagic, the other way round).
var expBias = VecConst(0x1p52 + 1023)

// VecExp is math.Exp of every lane, bit for bit.
func VecExp(x Vec4) Vec4 {
	k := x.Mul(expL2e).RoundToEven() // CVTSD2SL: round to nearest even, in range
	// the lanes whose 2^k is a normal number and that do not overflow
	fast := x.LessEqual(expOver).And(k.GreaterEqual(expMinK)).And(k.LessEqual(expMaxK))
	var r Vec4
	if expFMA {
		nk := VecNeg(k)
		r = nk.MulAdd(expLnU, x)
		r = nk.MulAdd(expLnL, r).Mul(expSixteenth)
		p := expT8.MulAdd(r, expT7)
		p = p.MulAdd(r, expT6)
		p = p.MulAdd(r, expT5)
		p = p.MulAdd(r, expT4)
		p = p.MulAdd(r, expT3)
		p = p.MulAdd(r, expHalf)
		p = p.MulAdd(r, expOne)
		r = r.Mul(p)
		r = r.Mul(r.Add(expTwo))
		r = r.Mul(r.Add(expTwo))
		r = r.Mul(r.Add(expTwo))
		r = r.MulAdd(r.Add(expTwo), expOne)
	} else {
		r = x.Sub(k.Mul(expLnU))
		r = r.Sub(k.Mul(expLnL)).Mul(expSixteenth)
		p := expT8.Mul(r).Add(expT7)
		p = p.Mul(r).Add(expT6)
		p = p.Mul(r).Add(expT5)
		p = p.Mul(r).Add(expT4)
		p = p.Mul(r).Add(expT3)
		p = p.Mul(r).Add(expHalf)
		p = p.Mul(r).Add(expOne)
		r = r.Mul(p)
		r = r.Mul(r.Add(expTwo))
		r = r.Mul(r.Add(expTwo))
		r = r.Mul(r.Add(expTwo))
		r = r.Mul(r.Add(expTwo))
		r = r.Add(expOne)
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

// Exp4 is math.Exp of four numbers at once, bit for bit: the independent
// exp calls of a cell's step (its gates' rates) taken four at a time by
// the generated code (gen/expbatch.go) when VecOn.
//
// The four numbers go in and out through registers: storing them into
// memory and loading them as one vector stalls the load until the four
// stores are written (it cannot forward them), which cost more than the
// vector exp saved.
func Exp4(a, b, c, d float64) (float64, float64, float64, float64) {
	lo := archsimd.BroadcastFloat64x2(a).SetElem(1, b)
	hi := archsimd.BroadcastFloat64x2(c).SetElem(1, d)
	r := VecExp(archsimd.Float64x4{}.SetLo(lo).SetHi(hi))
	rlo, rhi := r.GetLo(), r.GetHi()
	VecDone()
	return rlo.GetElem(0), rlo.GetElem(1), rhi.GetElem(0), rhi.GetElem(1)
}
