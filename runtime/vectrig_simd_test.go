//go:build goexperiment.simd && amd64

package runtime

import (
	"math"
	"testing"
)

// checkTrig adds to checkVecMath the arguments where sine and cosine are
// delicate: every magnitude up to a million (many octants, the reduction
// cancelling many bits) and the neighbourhood of the multiples of pi/4,
// where the octant changes and z is near 0 or pi/4.
func checkTrig(t *testing.T, name string, vec func(Vec4) Vec4, scalar func(float64) float64) {
	checkVecMath(t, name, vec, scalar)
	r := NewRNG(13)
	for range 300000 {
		var xs [4]float64
		for i := range xs {
			if i < 2 {
				xs[i] = (2*r.Float64() - 1) * 1e6
				continue
			}
			// k*pi/4 for k up to 2^20, a few ulps or a little further off
			k := float64(int64(r.Uint64()%(1<<21)) - 1<<20)
			x := k * (math.Pi / 4)
			if i == 2 {
				for range r.Uint64() % 5 {
					x = math.Nextafter(x, math.Inf(1))
				}
				for range r.Uint64() % 5 {
					x = math.Nextafter(x, math.Inf(-1))
				}
			} else {
				x += (2*r.Float64() - 1) * 1e-6 * (1 + math.Abs(x))
			}
			xs[i] = x
		}
		checkLanes(t, name, vec, scalar, xs)
	}
	// exactly at the multiples near the reduction threshold
	for k := range 64 {
		x := math.Nextafter(trigReduce, 0) - float64(k)*(math.Pi/4)
		checkLanes(t, name, vec, scalar, [4]float64{x, -x, math.Nextafter(x, 0), trigReduce + float64(k)})
	}
}

func TestVecSinIsMathSin(t *testing.T) { checkTrig(t, "sin", VecSin, math.Sin) }

func TestVecCosIsMathCos(t *testing.T) { checkTrig(t, "cos", VecCos, math.Cos) }

func TestVecTanhIsMathTanh(t *testing.T) {
	checkVecMath(t, "tanh", VecTanh, math.Tanh)
	// the edges of its ranges, and either side of them
	for _, x := range []float64{0.625, 0.5 * tanhMaxLog, 22, 1e-8, 5e-324} {
		for _, y := range []float64{x, math.Nextafter(x, 0), math.Nextafter(x, 100)} {
			checkLanes(t, "tanh", VecTanh, math.Tanh, [4]float64{y, -y, 2 * y, -y / 2})
		}
	}
}

// benchVecArgs are four arguments in the range the models use.
var benchVecArgs = [4]float64{0.3, -2.7, 11.5, -0.04}

var benchVecSink [4]float64

// benchmarkVec times vec on four lanes against scalar on each of them:
// ns/op is the time for four values either way.
func benchmarkVec(b *testing.B, vec func(Vec4) Vec4, scalar func(float64) float64) {
	b.Run("vector", func(b *testing.B) {
		if !VecOn {
			b.Skip("no AVX2")
		}
		xs, out := benchVecArgs, [4]float64{}
		for b.Loop() {
			vec(VecLoad(&xs)).Store(&out)
			VecDone()
		}
		benchVecSink = out
	})
	b.Run("scalar", func(b *testing.B) {
		xs, out := benchVecArgs, [4]float64{}
		for b.Loop() {
			for i, x := range xs {
				out[i] = scalar(x)
			}
		}
		benchVecSink = out
	})
}

func BenchmarkVecSin(b *testing.B)  { benchmarkVec(b, VecSin, math.Sin) }
func BenchmarkVecCos(b *testing.B)  { benchmarkVec(b, VecCos, math.Cos) }
func BenchmarkVecTanh(b *testing.B) { benchmarkVec(b, VecTanh, math.Tanh) }

func TestVecSinCosIsMathSinCos(t *testing.T) {
	checkVecMath(t, "sincos.sin", func(x Vec4) Vec4 { s, _ := VecSinCos(x); return s }, math.Sin)
	checkVecMath(t, "sincos.cos", func(x Vec4) Vec4 { _, c := VecSinCos(x); return c }, math.Cos)
}
