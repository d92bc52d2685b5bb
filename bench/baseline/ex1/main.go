// Command ex1 is the hand-written baseline for NeuroML Ex1 (the
// Hodgkin-Huxley point cell: passive, Na and K channels, a 0.08 nA pulse
// from 50 to 100 ms; forward Euler, dt 10 us, 150 ms), written the way a
// careful programmer would: SI units, constants folded by hand, one exp
// per rate, the pulse as a step range. It links the same runtime as the
// generated program, so the benchmarks compare the kernels alone.
package main

import (
	"math"

	rt "github.com/tvboc/tvboc/runtime"
)

const (
	steps = 15000
	dt    = 1e-5 // s
	C     = 10e-12
	gNa   = 120000 * 10e-12
	gK    = 36000 * 10e-12
	gL    = 300 * 10e-12
	eNa   = 0.05
	eK    = -0.077
	eL    = -0.0543
	// the pulse read by step k is the one at t_(k+1): on for
	// 50 ms <= t < 100 ms
	pulseOn, pulseOff = 4999, 9999
	amp               = 0.08e-9
)

var columns = []rt.Column{{Name: "v", Group: "v"}}

func main() {
	opts := rt.ParseFlags(rt.Info{Label: "Ex1 hand-written", Steps: steps, Dt: dt, Columns: columns})
	rec := rt.NewRecorder(len(columns), steps+1)
	prog := rt.NewProgress(opts)
	simulate(rec, prog)
	if err := rt.Finish(opts, rec, prog); err != nil {
		rt.Fatal(err)
	}
}

// expLinear is x/(1-exp(-x)) with its removable singularity at 0.
func expLinear(x float64) float64 {
	if math.Abs(x) < 1e-3 {
		return 1 + x/2 + x*x/12
	}
	return x / (1 - math.Exp(-x))
}

func rates(v float64) (am, bm, ah, bh, an, bn float64) {
	mv := v * 1e3
	am = 1e3 * expLinear((mv+40)/10)
	bm = 4e3 * math.Exp((mv+65)/-18)
	ah = 70 * math.Exp((mv+65)/-20)
	bh = 1e3 / (1 + math.Exp(-(mv+35)/10))
	an = 100 * expLinear((mv+55)/10)
	bn = 125 * math.Exp((mv+65)/-80)
	return
}

func simulate(rec *rt.Recorder, prog *rt.Progress) {
	v := -0.065
	am, bm, ah, bh, an, bn := rates(v)
	m, h, n := am/(am+bm), ah/(ah+bh), an/(an+bn)
	rec.Row(0)[0] = v
	for k0 := 0; k0 < steps; k0 += rt.Chunk {
		k1 := min(k0+rt.Chunk, steps)
		for k := k0; k < k1; k++ {
			I := 0.0
			if k >= pulseOn && k < pulseOff {
				I = amp
			}
			am, bm, ah, bh, an, bn := rates(v)
			m2 := m * m
			n2 := n * n
			i := gNa*m2*m*h*(eNa-v) + gK*n2*n2*(eK-v) + gL*(eL-v)
			v += dt * (i + I) / C
			m += dt * (am*(1-m) - bm*m)
			h += dt * (ah*(1-h) - bh*h)
			n += dt * (an*(1-n) - bn*n)
			rec.Row(k + 1)[0] = v
		}
		prog.Update(k1)
	}
}
