//go:build !(goexperiment.simd && amd64)

package runtime

import "math"

// VecSin is math.Sin of every lane (see vectrig_simd.go, whose vector
// form gives these bits exactly).
func VecSin(x Vec4) Vec4 { return x.each(x, func(a, _ float64) float64 { return math.Sin(a) }) }

// VecCos is math.Cos of every lane (see vectrig_simd.go).
func VecCos(x Vec4) Vec4 { return x.each(x, func(a, _ float64) float64 { return math.Cos(a) }) }

// VecTanh is math.Tanh of every lane (see vectrig_simd.go).
func VecTanh(x Vec4) Vec4 { return x.each(x, func(a, _ float64) float64 { return math.Tanh(a) }) }

// VecSinCos is VecSin and VecCos of the same lanes.
func VecSinCos(x Vec4) (sin, cos Vec4) { return VecSin(x), VecCos(x) }
