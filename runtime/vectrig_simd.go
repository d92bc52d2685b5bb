//go:build goexperiment.simd && amd64

package runtime

import (
	"math"
	"simd/archsimd"
)

// VecSin, VecCos and VecTanh are math.Sin, math.Cos and math.Tanh of
// every lane, bit for bit, as VecExp is math.Exp: a node stepped in the
// vector loop gets the numbers it gets in the scalar loop, and a binary
// built without the simd experiment (where they are math's functions lane
// by lane, vectrig_generic.go) writes the same bytes. On amd64 the three
// are pure Go (math/sin.go, math/tanh.go) compiled, at GOAMD64=v1, to
// plain IEEE operations without fused multiply-add, so the vector forms
// below do the same operations in the same order. The lanes they do not
// cover (NaN, infinities, and for sine and cosine the arguments of
// magnitude 2^29 and up, which math reduces by Payne-Hanek) are handed to
// the scalar function through vecSlow.

// The constants of math.Sin and math.Cos (math/sin.go, Cephes): pi/4 in
// three parts for the Cody-Waite reduction, and the polynomials, highest
// coefficient first.
const (
	trigPI4A = 7.85398125648498535156e-1  // 0x3fe921fb40000000
	trigPI4B = 3.77489470793079817668e-8  // 0x3e64442d00000000
	trigPI4C = 2.69515142907905952645e-15 // 0x3ce8469898cc5170

	// trigReduce is math's reduceThreshold: below it the three-part
	// reduction is exact (y*PI4A and y*PI4B have no rounding error).
	trigReduce = 1 << 29
)

var trigSin = [...]float64{
	1.58962301576546568060e-10,
	-2.50507477628578072866e-8,
	2.75573136213857245213e-6,
	-1.98412698295895385996e-4,
	8.33333333332211858878e-3,
	-1.66666666666666307295e-1,
}

var trigCos = [...]float64{
	-1.13585365213876817300e-11,
	2.08757008419747316778e-9,
	-2.75573141792967388112e-7,
	2.48015872888517045348e-5,
	-1.38888888888730564116e-3,
	4.16666666666665929218e-2,
}

// The integer constants of the octant logic, broadcast once (see vecLog's).
var (
	trigTwo  = archsimd.BroadcastUint64x4(2)
	trigBit2 = archsimd.BroadcastUint64x4(61) // shifts bit 2 to the sign bit
)

// vecOctant is the common part of math's sin and cos for |x| below
// 2^29: with j = uint64(|x| * (4/Pi)) rounded up to even (and y = j as a
// float64), it returns z = ((|x| - y*PI4A) - y*PI4B) - y*PI4C, the
// polynomials' results ps = z + z*zz*sin(zz) and pc = 1 - zz/2 +
// zz*zz*cos(zz) (zz = z*z), and the bits of j + off as an integer (off is
// 0 for sine, 2 for cosine: see VecCos). Both polynomials are computed in
// every lane; the caller picks by j's bit 1 and signs by bit 2.
func vecOctant(ax Vec4, off float64) (ps, pc Vec4, q archsimd.Uint64x4) {
	// j := uint64(x * (4 / Pi)); y := float64(j) (exact below 2^30)
	y := ax.Mul(VecConst(4 / math.Pi)).Trunc()
	// if j&1 == 1 { j++; y++ }: y = 2*ceil(y/2), every step exact
	y = y.Mul(VecConst(0.5)).Ceil().Mul(VecConst(2))
	// j + off in the low bits of 2^52 + j + off (exact: j < 2^30)
	q = y.Add(VecConst(0x1p52 + off)).AsUint64x4()
	z := ax.Sub(y.Mul(VecConst(trigPI4A))).Sub(y.Mul(VecConst(trigPI4B))).Sub(y.Mul(VecConst(trigPI4C)))
	zz := z.Mul(z)
	s := VecConst(trigSin[0]).Mul(zz)
	c := VecConst(trigCos[0]).Mul(zz)
	for i := 1; i < 5; i++ {
		s = s.Add(VecConst(trigSin[i])).Mul(zz)
		c = c.Add(VecConst(trigCos[i])).Mul(zz)
	}
	s = s.Add(VecConst(trigSin[5]))
	c = c.Add(VecConst(trigCos[5]))
	ps = z.Add(z.Mul(zz).Mul(s))
	pc = VecConst(1).Sub(VecConst(0.5).Mul(zz)).Add(zz.Mul(zz).Mul(c))
	return ps, pc, q
}

// VecSin is math.Sin of every lane, bit for bit (see above). Scalar sin
// works on |x| and negates the result when x < 0 and again when the
// octant j (mod 8) is 4 or more; here both are one XOR of sign bits, and
// a negative zero comes out as -0, as math.Sin returns it. The cosine
// polynomial serves the octants 2 and 6 (j&2 set), the sine one the rest.
func VecSin(x Vec4) Vec4 {
	bits := x.AsUint64x4()
	sign := bits.And(vecSign)
	ax := bits.AndNot(vecSign).AsFloat64x4()
	fast := ax.Less(VecConst(trigReduce)) // false for NaN and ±Inf
	ps, pc, q := vecOctant(ax, 0)
	r := pc.Merge(ps, q.And(trigTwo).Equal(trigTwo))
	sign = sign.Xor(q.ShiftLeft(trigBit2).And(vecSign))
	r = r.AsUint64x4().Xor(sign).AsFloat64x4()
	if fast.ToBits() != 0xF {
		r = vecSlow(x, r, fast, math.Sin)
	}
	return r
}

// VecCos is math.Cos of every lane, bit for bit (see above). Scalar cos
// negates for the octants j = 2 and 4 (j > 3, then j > 1 after j -= 4,
// flip twice for 6): that is bit 2 of j + 2, which vecOctant returns. The
// sine polynomial serves the octants 2 and 6, where j + 2 has bit 1 clear.
func VecCos(x Vec4) Vec4 {
	ax := x.AsUint64x4().AndNot(vecSign).AsFloat64x4()
	fast := ax.Less(VecConst(trigReduce)) // false for NaN and ±Inf
	ps, pc, q := vecOctant(ax, 2)
	r := pc.Merge(ps, q.And(trigTwo).Equal(trigTwo))
	r = r.AsUint64x4().Xor(q.ShiftLeft(trigBit2).And(vecSign)).AsFloat64x4()
	if fast.ToBits() != 0xF {
		r = vecSlow(x, r, fast, math.Cos)
	}
	return r
}

// The constants of math.Tanh (math/tanh.go, Cephes).
const tanhMaxLog = 8.8029691931113054295988e+01 // log(2**127)

var (
	tanhP = [...]float64{-9.64399179425052238628e-1, -9.92877231001918586564e1, -1.61468768441708447952e3}
	tanhQ = [...]float64{1.12811678491632931402e2, 2.23548839060100448583e3, 4.84406305325125486048e3}
)

// VecTanh is math.Tanh of every lane, bit for bit (see above). Its three
// ranges of |x| (1 above MAXLOG/2; 1 - 2/(exp(2|x|)+1) from 0.625; the
// rational function below) are all computed and blended, with the inner
// exponential by VecExp (itself math.Exp bit for bit). They are computed
// on |x| and the sign put back by XOR: every operation of the scalar
// formula is odd in x under round-to-nearest, so this is its result for
// negative x too, and -0 gives -0, as math.Tanh returns it. NaN lanes go
// to the scalar function.
func VecTanh(x Vec4) Vec4 {
	bits := x.AsUint64x4()
	sign := bits.And(vecSign)
	z := bits.AndNot(vecSign).AsFloat64x4()
	fast := x.Equal(x)
	big := z.Greater(VecConst(0.5 * tanhMaxLog))
	mid := z.GreaterEqual(VecConst(0.625))
	// s := z * z; z + z*s*((P0*s+P1)*s+P2)/(((s+Q0)*s+Q1)*s+Q2)
	s := z.Mul(z)
	num := VecConst(tanhP[0]).Mul(s).Add(VecConst(tanhP[1])).Mul(s).Add(VecConst(tanhP[2]))
	den := s.Add(VecConst(tanhQ[0])).Mul(s).Add(VecConst(tanhQ[1])).Mul(s).Add(VecConst(tanhQ[2]))
	r := z.Add(z.Mul(s).Mul(num).Div(den))
	// s := Exp(2 * z); 1 - 2/(s+1), with the argument zeroed in the lanes
	// above MAXLOG/2 (and NaN ones), which would take VecExp's slow path
	e := VecExp(z.Mul(VecConst(2)).Masked(z.LessEqual(VecConst(0.5 * tanhMaxLog))))
	one := VecConst(1)
	r = one.Sub(VecConst(2).Div(e.Add(one))).Merge(r, mid)
	r = one.Merge(r, big)
	r = r.AsUint64x4().Xor(sign).AsFloat64x4()
	if fast.ToBits() != 0xF {
		r = vecSlow(x, r, fast, math.Tanh)
	}
	return r
}

// VecSinCos is VecSin and VecCos of the same lanes from one reduction
// and one pair of polynomials (each alone computes both): Kuramoto's
// couplings take the sine and cosine of every node.
func VecSinCos(x Vec4) (sin, cos Vec4) {
	bits := x.AsUint64x4()
	sign := bits.And(vecSign)
	ax := bits.AndNot(vecSign).AsFloat64x4()
	fast := ax.Less(VecConst(trigReduce)) // false for NaN and ±Inf
	ps, pc, q := vecOctant(ax, 0)
	qc := q.Add(trigTwo) // the octant cosine works with: j + 2
	sin = pc.Merge(ps, q.And(trigTwo).Equal(trigTwo))
	sin = sin.AsUint64x4().Xor(sign.Xor(q.ShiftLeft(trigBit2).And(vecSign))).AsFloat64x4()
	cos = pc.Merge(ps, qc.And(trigTwo).Equal(trigTwo))
	cos = cos.AsUint64x4().Xor(qc.ShiftLeft(trigBit2).And(vecSign)).AsFloat64x4()
	if fast.ToBits() != 0xF {
		sin = vecSlow(x, sin, fast, math.Sin)
		cos = vecSlow(x, cos, fast, math.Cos)
	}
	return sin, cos
}
