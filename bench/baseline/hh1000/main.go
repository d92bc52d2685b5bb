// Command hh1000 is the hand-written baseline for issue 9's HH benchmark
// (testdata/bench/hh_1000.yaml): 1,000 Hodgkin-Huxley cells of NeuroML
// Ex1 (passive, Na and K channels, a 0.08 nA pulse from 50 to 100 ms;
// forward Euler, dt 10 us, 150 ms), spikes only. It is bench/baseline/ex1
// over struct-of-arrays state, written as a careful programmer would: SI
// units, constants folded by hand, one exp per rate, the pulse as a step
// range, a spike when v first exceeds 20 mV. It links the same runtime as
// the generated program and writes its spikes the same way, so the
// benchmark compares the kernels alone.
package main

import (
	"math"

	rt "github.com/tvboc/tvboc/runtime"
)

const (
	cells  = 1000
	steps  = 15000
	dt     = 1e-5 // s
	C      = 10e-12
	gNa    = 120000 * 10e-12
	gK     = 36000 * 10e-12
	gL     = 300 * 10e-12
	eNa    = 0.05
	eK     = -0.077
	eL     = -0.0543
	thresh = 0.02
	// the pulse read by step k is the one at t_(k+1): on for
	// 50 ms <= t < 100 ms
	pulseOn, pulseOff = 4999, 9999
	amp               = 0.08e-9
)

var v, m, h, n [cells]float64
var spiking [cells]bool

func main() {
	opts := rt.ParseFlags(rt.Info{Label: "HH x1000 hand-written", Steps: steps, Dt: dt})
	spikes := rt.NewSpikeRecorder(opts, []string{"hh"}, []int{0})
	prog := rt.NewProgress(opts)
	simulate(spikes, prog)
	if err := rt.FinishNetwork(opts, nil, spikes, prog); err != nil {
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

func simulate(spikes *rt.SpikeRecorder, prog *rt.Progress) {
	for i := range cells {
		mv := -65.0
		am, bm := 1e3*expLinear((mv+40)/10), 4e3*math.Exp((mv+65)/-18)
		ah, bh := 70*math.Exp((mv+65)/-20), 1e3/(1+math.Exp(-(mv+35)/10))
		an, bn := 100*expLinear((mv+55)/10), 125*math.Exp((mv+65)/-80)
		v[i], m[i], h[i], n[i] = mv*1e-3, am/(am+bm), ah/(ah+bh), an/(an+bn)
	}
	for k0 := 0; k0 < steps; k0 += rt.Chunk {
		k1 := min(k0+rt.Chunk, steps)
		for k := k0; k < k1; k++ {
			I := 0.0
			if k >= pulseOn && k < pulseOff {
				I = amp
			}
			for i := range cells {
				vi, mi, hi, ni := v[i], m[i], h[i], n[i]
				mv := vi * 1e3
				e65 := mv + 65
				am := 1e3 * expLinear((mv+40)/10)
				bm := 4e3 * math.Exp(e65/-18)
				ah := 70 * math.Exp(e65/-20)
				bh := 1e3 / (1 + math.Exp(-(mv+35)/10))
				an := 100 * expLinear((mv+55)/10)
				bn := 125 * math.Exp(e65/-80)
				m2, n2 := mi*mi, ni*ni
				cur := gNa*m2*mi*hi*(eNa-vi) + gK*n2*n2*(eK-vi) + gL*(eL-vi)
				vi += dt * (cur + I) / C
				v[i] = vi
				m[i] = mi + dt*(am*(1-mi)-bm*mi)
				h[i] = hi + dt*(ah*(1-hi)-bh*hi)
				n[i] = ni + dt*(an*(1-ni)-bn*ni)
				if vi > thresh && !spiking[i] {
					spiking[i] = true
					spikes.Add(k, 0, i)
				} else if vi < thresh {
					spiking[i] = false
				}
			}
		}
		prog.Update(k1)
	}
}
