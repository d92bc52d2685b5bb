//go:build goexperiment.simd && amd64

package runtime

import (
	"math"
	"testing"
)

// checkLanes compares a vector function with its scalar one on four
// arguments, bit for bit (NaN only as NaN: its payload is not printed).
func checkLanes(t *testing.T, name string, vec func(Vec4) Vec4, scalar func(float64) float64, xs [4]float64) {
	t.Helper()
	var got [4]float64
	vec(VecLoad(&xs)).Store(&got)
	VecDone()
	for i, x := range xs {
		want := scalar(x)
		if math.IsNaN(want) && math.IsNaN(got[i]) {
			continue
		}
		if math.Float64bits(got[i]) != math.Float64bits(want) {
			t.Fatalf("%s(%v) = %v (%#x), math says %v (%#x)", name, x, got[i], math.Float64bits(got[i]), want, math.Float64bits(want))
		}
	}
}

// vecMathCases are arguments every vector function is checked on: the
// edges of the fast paths and the special values.
var vecMathCases = []float64{
	0, math.Copysign(0, -1), 1, -1, 0.5, -0.5, 0.625, -0.625, 44, -44, 44.01, -44.01,
	expOverflow, math.Nextafter(expOverflow, 1000), 709, 710, -708, -708.4, -709, -745, -745.2, -746, -1000,
	1e-300, -1e-300, 1e300, -1e300, 1 << 29, -(1 << 29), math.Nextafter(1<<29, 0), 1e10, -1e10,
	math.Pi, math.Pi / 2, math.Pi / 4, 3 * math.Pi / 4, -math.Pi,
	math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64,
}

// checkVecMath runs a vector function against its scalar one on the
// edge cases (in every lane position) and on random arguments of every
// magnitude the models produce.
func checkVecMath(t *testing.T, name string, vec func(Vec4) Vec4, scalar func(float64) float64) {
	if !VecOn {
		t.Skip("no AVX2 on this CPU (or TVBOC_SIMD=off): the vector functions are not used")
	}
	for _, x := range vecMathCases {
		for l := range 4 {
			xs := [4]float64{0.3, -2, 7, 0.01}
			xs[l] = x
			checkLanes(t, name, vec, scalar, xs)
		}
	}
	r := NewRNG(11)
	for range 300000 {
		var xs [4]float64
		for i := range xs {
			switch i {
			case 0: // the range of sigmoids and rates
				xs[i] = 80 * (2*r.Float64() - 1)
			case 1: // near zero
				xs[i] = (2*r.Float64() - 1) * math.Ldexp(1, -int(r.Uint64()%60))
			case 2: // every magnitude up to overflow and below underflow
				xs[i] = (2*r.Float64() - 1) * 800
			default: // wide
				xs[i] = (2*r.Float64() - 1) * math.Ldexp(1, int(r.Uint64()%40))
			}
		}
		checkLanes(t, name, vec, scalar, xs)
	}
}

func TestVecExpIsMathExp(t *testing.T) {
	checkVecMath(t, "exp", VecExp, math.Exp)
	// math.Exp takes the path of this CPU (with FMA here); the other path
	// is checked against expPlain, the assembly's path without FMA
	// written out in scalar Go
	if !VecOn {
		return
	}
	saved := expFMA
	defer func() { expFMA = saved }()
	expFMA = false
	want := math.Exp
	if saved {
		want = expPlain
	}
	r := NewRNG(13)
	for range 200000 {
		var xs, got [4]float64
		for i := range xs {
			xs[i] = 1400*r.Float64() - 700 // the fast path's range
		}
		VecExp(VecLoad(&xs)).Store(&got)
		VecDone()
		for i, x := range xs {
			if w := want(x); math.Float64bits(got[i]) != math.Float64bits(w) {
				t.Fatalf("exp(%v) without FMA = %v, the assembly's plain path gives %v", x, got[i], w)
			}
		}
	}
}

// expPlain is math/exp_amd64.s on a CPU without FMA, for arguments whose
// 2^k is a normal number: every product and sum rounded on its own
// (float64() keeps Go from fusing them).
func expPlain(x float64) float64 {
	k := math.RoundToEven(x * expLog2e) // CVTSD2SL in round-to-nearest mode
	r := x - float64(k*expLn2U)
	r = float64(r-float64(k*expLn2L)) * 0.0625
	c := [...]float64{2.4801587301587301587e-5, 1.9841269841269841270e-4, 1.3888888888888888889e-3,
		8.3333333333333333333e-3, 4.1666666666666666667e-2, 1.6666666666666666667e-1, 0.5, 1.0}
	p := c[0]
	for _, ci := range c[1:] {
		p = float64(p*r) + ci
	}
	r = r * p
	for range 4 {
		r = r * float64(r+2)
	}
	r = r + 1
	return r * math.Float64frombits(uint64(int64(k)+1023)<<52)
}

// TestVecMinMaxAreBuiltins checks VecMin and VecMax against Go's min and
// max on every pair of special values (signed zeros, NaN, infinities) and
// on random pairs, in every lane.
func TestVecMinMaxAreBuiltins(t *testing.T) {
	if !VecOn {
		t.Skip("no AVX2 on this CPU (or TVBOC_SIMD=off): the vector functions are not used")
	}
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, math.SmallestNonzeroFloat64}
	r := NewRNG(5)
	for range 2000 {
		vals = append(vals, 10*(2*r.Float64()-1))
	}
	for i, a := range vals {
		for j, b := range vals {
			if i >= 10 && j >= 10 && (i+j)%37 != 0 {
				continue
			}
			xs := [4]float64{a, b, a, 3}
			ys := [4]float64{b, a, a, 3}
			var lo, hi [4]float64
			VecMin(VecLoad(&xs), VecLoad(&ys)).Store(&lo)
			VecMax(VecLoad(&xs), VecLoad(&ys)).Store(&hi)
			VecDone()
			for l := range 4 {
				wantLo, wantHi := min(xs[l], ys[l]), max(xs[l], ys[l])
				if !(math.IsNaN(wantLo) && math.IsNaN(lo[l])) && math.Float64bits(lo[l]) != math.Float64bits(wantLo) {
					t.Fatalf("min(%v, %v) = %v, Go says %v", xs[l], ys[l], lo[l], wantLo)
				}
				if !(math.IsNaN(wantHi) && math.IsNaN(hi[l])) && math.Float64bits(hi[l]) != math.Float64bits(wantHi) {
					t.Fatalf("max(%v, %v) = %v, Go says %v", xs[l], ys[l], hi[l], wantHi)
				}
			}
		}
	}
}

func TestExp4IsMathExp(t *testing.T) {
	if !VecOn {
		t.Skip("no AVX2 on this CPU (or TVBOC_SIMD=off): the vector functions are not used")
	}
	r := NewRNG(9)
	for range 100000 {
		var xs [4]float64
		for i := range xs {
			xs[i] = 100 * (2*r.Float64() - 1)
		}
		a, b, c, d := Exp4(xs[0], xs[1], xs[2], xs[3])
		for i, got := range []float64{a, b, c, d} {
			if want := math.Exp(xs[i]); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("Exp4 lane %d: exp(%v) = %v, math.Exp says %v", i, xs[i], got, want)
			}
		}
	}
}

// BenchmarkExp4 is four exps of independent arguments, as a cell's step
// batches them (gen/expbatch.go): runtime.Exp4 against four math.Exp.
func BenchmarkExp4(b *testing.B) {
	var sink float64
	b.Run("Exp4", func(b *testing.B) {
		s := 0.0
		for i := range b.N {
			x := float64(i&1023) * 1e-3
			e0, e1, e2, e3 := Exp4(x, x+0.1, x+0.2, x+0.3)
			s += e0 + e1 + e2 + e3
		}
		sink = s
	})
	b.Run("math.Exp", func(b *testing.B) {
		s := 0.0
		for i := range b.N {
			x := float64(i&1023) * 1e-3
			s += math.Exp(x) + math.Exp(x+0.1) + math.Exp(x+0.2) + math.Exp(x+0.3)
		}
		sink = s
	})
	_ = sink
}
