//go:build goexperiment.simd && amd64

package runtime

import (
	"math"
	"testing"
)

// The vector paths must give the scalar code's bits exactly: these tests
// run when the runtime is built the way gen/build builds it
// (GOEXPERIMENT=simd, see the Makefile's test target).

func TestVecLogIsMathLog(t *testing.T) {
	if !VecOn {
		t.Skip("no AVX2 on this CPU (or TVBOC_SIMD=off): the vector log is not used")
	}
	r := NewRNG(7)
	check := func(xs [4]float64) {
		t.Helper()
		var got [4]float64
		vecLog(VecLoad(&xs)).Store(&got)
		for i, x := range xs {
			if want := math.Log(x); math.Float64bits(got[i]) != math.Float64bits(want) {
				t.Fatalf("log(%v) = %v, math.Log says %v", x, got[i], want)
			}
		}
	}
	// the polar method's s in (0, 1), and the positive normal numbers
	check([4]float64{1, math.Sqrt2 / 2, math.Nextafter(math.Sqrt2/2, 1), 0.5})
	check([4]float64{math.SmallestNonzeroFloat64 * (1 << 52), math.MaxFloat64, 3, 1e-300})
	for range 200000 {
		var xs [4]float64
		for i := range xs {
			u, v := 2*r.Float64()-1, 2*r.Float64()-1
			xs[i] = u*u + v*v
			if i == 3 {
				xs[i] = math.Ldexp(1+r.Float64(), int(r.Uint64()%2000)-1000)
			}
		}
		check(xs)
	}
}

func TestNormalFactorsAreScalar(t *testing.T) {
	r := NewRNG(3)
	for range 100000 {
		var s, f [4]float64
		for i := range s {
			s[i] = r.Float64()
			if s[i] == 0 {
				s[i] = 0.5
			}
		}
		normalFactors(&s, &f)
		for i := range s {
			if want := normalFactor(s[i]); math.Float64bits(f[i]) != math.Float64bits(want) {
				t.Fatalf("normalFactor(%v) = %v, scalar %v", s[i], f[i], want)
			}
		}
	}
}
