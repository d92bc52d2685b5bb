//go:build goexperiment.simd && amd64

package runtime

import (
	"os"
	"simd/archsimd"
)

// Vec4 is four float64 lanes in one AVX register. Generated kernels step
// four cells at a time through it when VecOn; its operations are the
// scalar ones lane by lane (IEEE add, subtract, multiply, divide, square
// root, ordered compares, no fused multiply-add), so a cell's numbers are
// bit-identical whether it went through the vector loop or the scalar one.
type Vec4 = archsimd.Float64x4

// VecMask is the result of comparing two Vec4s, one bit per lane.
type VecMask = archsimd.Mask64x4

// VecOn reports whether the vector kernels run: the CPU has AVX2 and
// TVBOC_SIMD is not "off" (the switch lets tests compare both paths).
var VecOn = archsimd.X86.AVX2() && os.Getenv("TVBOC_SIMD") != "off"

// VecDone clears the upper halves of the AVX registers (VZEROUPPER). Go
// compiles scalar float64 code to legacy SSE instructions, and each of
// those, run while an AVX register's upper half is dirty, costs a state
// transition: on these machines over 100 ns (measured: a loop of one AVX
// multiply and one scalar multiply-add took 121 ns an iteration, 5 ns
// with VecDone between them). So every vector loop ends with VecDone
// before scalar code runs again.
func VecDone() { archsimd.ClearAVXUpperBits() }

// init runs after the package's variables, some of which (vecSign and the
// log constants below) are built in AVX registers: it leaves the upper
// halves clean, so the scalar code that runs before the first vector
// kernel (reading flags, building the network) pays no SSE penalty.
func init() { VecDone() }

// VecLoad loads p's four values. (A pointer, not a slice: the slice forms
// of archsimd are not inlined, and a call spills every vector register.)
func VecLoad(p *[4]float64) Vec4 { return archsimd.LoadFloat64x4(p) }

// VecConst is x in every lane.
func VecConst(x float64) Vec4 { return archsimd.BroadcastFloat64x4(x) }

var vecSign = archsimd.BroadcastUint64x4(1 << 63)

// VecNeg is -x lane by lane: the sign bit flipped, as scalar negation
// does (0 - x would turn -0 into +0).
func VecNeg(x Vec4) Vec4 { return x.AsUint64x4().Xor(vecSign).AsFloat64x4() }

// The constants of math.Log (math/log_amd64.s, FreeBSD's e_log.c).
const (
	logLn2Hi = 6.93147180369123816490e-01
	logLn2Lo = 1.90821492927058770002e-10
	logL1    = 6.666666666666735130e-01
	logL2    = 3.999999999940941908e-01
	logL3    = 2.857142874366239149e-01
	logL4    = 2.222219843214978396e-01
	logL5    = 1.818357216161805012e-01
	logL6    = 1.531383769920937332e-01
	logL7    = 1.479819860511658592e-01
)

// The integer constants of vecLog, broadcast once: a broadcast in place
// moves the constant through a legacy-SSE MOVQ (see VecDone), and
// ShiftAllRight does the same with its count, hence ShiftRight by log52.
var (
	logMantissa = archsimd.BroadcastUint64x4(0x000FFFFFFFFFFFFF)
	logHalf     = archsimd.BroadcastUint64x4(0x3FE0000000000000)
	logExponent = archsimd.BroadcastUint64x4(0x7FF)
	logMagic    = archsimd.BroadcastUint64x4(0x4330000000000000)
	log52       = archsimd.BroadcastUint64x4(52)
)

// vecLog is math.Log of four positive, finite, normal numbers, bit for
// bit: the operations of Go's amd64 assembly (math/log_amd64.s) in its
// order, four lanes at a time. It has none of the special cases (zero,
// negative, Inf, NaN, subnormal), which its one caller never passes.
func vecLog(x Vec4) Vec4 {
	bits := x.AsUint64x4()
	// f1, k := math.Frexp(x): the mantissa with exponent -1, and k as a
	// float64 through the 2^52 trick (exact: 2^52 + e - (2^52 + 1022)).
	f1 := bits.And(logMantissa).Or(logHalf).AsFloat64x4()
	e := bits.ShiftRight(log52).And(logExponent)
	k := e.Or(logMagic).AsFloat64x4().Sub(VecConst(0x1p52 + 0x3FE))
	// if f1 <= Sqrt2/2 { k -= 1; f1 *= 2 } (the assembly's cmpnlt)
	one := VecConst(1)
	adj := one.Masked(f1.LessEqual(VecConst(7.07106781186547524401e-01)))
	k = k.Sub(adj)
	f1 = f1.Mul(adj.Add(one))
	f := f1.Sub(one)
	s := f.Div(VecConst(2).Add(f))
	s2 := s.Mul(s)
	s4 := s2.Mul(s2)
	t1 := s2.Mul(VecConst(logL7).Mul(s4).Add(VecConst(logL5)).Mul(s4).Add(VecConst(logL3)).Mul(s4).Add(VecConst(logL1)))
	t2 := s4.Mul(VecConst(logL6).Mul(s4).Add(VecConst(logL4)).Mul(s4).Add(VecConst(logL2)))
	r := t1.Add(t2)
	hfsq := VecConst(0.5).Mul(f).Mul(f)
	inner := s.Mul(hfsq.Add(r)).Add(k.Mul(VecConst(logLn2Lo)))
	return k.Mul(VecConst(logLn2Hi)).Sub(hfsq.Sub(inner).Sub(f))
}

// normalFactors sets f[i] = normalFactor(s[i]) for four accepted points
// of the polar method (0 < s < 1), four lanes at once when VecOn.
func normalFactors(s, f *[4]float64) {
	if !VecOn {
		for i := range s {
			f[i] = normalFactor(s[i])
		}
		return
	}
	x := VecLoad(s)
	VecConst(-2).Mul(vecLog(x)).Div(x).Sqrt().Store(f)
	VecDone()
}
