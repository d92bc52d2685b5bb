// Command ex26 is the hand-written baseline for the exp-heavy workload W6:
// TVBO's NeuroML Ex26 ("Weights"), twelve Hodgkin-Huxley cells (passive,
// Na and K channels; a sphere of 17.841242 µm) wired by weighted synapses:
//
//	cells 0-2    pre-synaptic, a 0.068 nA pulse from 100 to 200 ms, weights 1, 0.5, 2
//	cells 3-5    expOneSynapse from cell 0 (0.2 nS, 2 ms decay), weights 1, 0.5, 2,
//	             delays 0, 20, 40 ms (spike events; cell 0 crosses -20 mV upwards)
//	cells 6-8    gap junctions with cell 0 (100 pS), weights 1, 0.5, 2
//	cells 9-11   graded synapses from cell 0's voltage (0.1 nS, Vth -35 mV,
//	             delta 5 mV, k 0.025/ms), weights 1, 0.5, 2
//
// Forward Euler, dt 5 µs, 300 ms (60,000 steps); it writes t and v of
// every cell after every step as one .npy matrix (the generated binary's
// `-o out.npy`, default columns). It is what a careful programmer would
// write for exactly this network: SI units, one struct per cell, every
// rate once per cell and step, the graded synapses' sigmoid once per step.
//
// Arithmetic follows NeuroML's definitions in the order they are written
// (a gate relaxes as q += dt*(inf-q)/tau with inf = a/(a+b) and
// tau = 1/(a+b); a channel's current is area*(g*m^3*h)*(E-v); rates and
// constants in SI as NeuroML's unit conversion rounds them), so that the
// run is bit for bit the generated program's: the same spikes, the same
// file (bench/report marks it "file identical to Go"). Gates read the
// membrane potential of the same step (the semantics of tvboc's main at
// the time of writing).
package main

import (
	"flag"
	"fmt"
	"github.com/tvboc/tvboc/bench/baseline/internal/npy"
	"math"
	"os"
	"time"
)

const (
	steps = 60000
	dt    = 5e-6
	cells = 12
	// the pulse read by step k is the one at t_(k+1): on for
	// 100 ms <= t < 200 ms
	pulseOn, pulseOff = 19999, 39999
	amp               = 6.800000000000001e-11 // 0.068 nA (0.068 * 1e-9 in float64)

	// The cell: a sphere of diameter 17.841242 µm, area pi*d^2.
	area   = 1.0000000939925984e-09 // m^2
	cm     = 1.0000000939925984e-11 // 1 µF/cm^2 * area
	gLArea = 3.0000002819777946e-09 // 0.3 mS/cm^2 * area, as NeuroML folds it
	gNa    = 1200.0                 // S/m^2
	gK     = 360.0                  // S/m^2
	eNa    = 0.05
	eK     = -0.077
	eL     = -0.0543
	thresh = -0.02

	// -18 mV, as NeuroML's unit conversion rounds it (-18 * 0.001 in float64)
	mScale = -0.018000000000000002

	expDecay   = 0.002 // expOneSynapse tauDecay, s
	delaySteps = 4000  // 20 ms
	ringLen    = 2*delaySteps + 1
	gradedK    = 25.0 // per s
	gradedVth  = -0.035
	gradedDel  = 0.005
	gradedMin  = 0.0001 // below 1 - inf, s jumps to inf (NeuroML's gradedSynapse)
)

// weights of the three connections of each kind
var (
	expG    = [3]float64{2.0000000000000003e-10, 1.0000000000000002e-10, 4.0000000000000007e-10} // 0.2 nS * w
	gapG    = [3]float64{1e-10, 5e-11, 2e-10}                                                    // 100 pS * w
	gradedG = [3]float64{1.0000000000000002e-10, 5.000000000000001e-11, 2.0000000000000003e-10}  // 0.1 nS * w
	pulseW  = [3]float64{1, 0.5, 2}
)

type cell struct {
	m, h, n, v float64
	spiking    bool
}

// expLinear is NeuroML's HHExpLinearRate at x = (v - midpoint)/scale,
// with its removable singularity at 0.
func expLinear(rate, x float64) float64 {
	if math.Abs(x) >= 0.001 {
		return rate * x / (1 - math.Exp(-x))
	}
	return rate * (1 + x/2 + x*x/12)
}

// relax moves gate q one Euler step towards inf = a/(a+b), tau = 1/(a+b).
func relax(q, a, b float64) float64 {
	s := a + b
	inf, tau := a/s, 1/s
	return q + dt*((inf-q)/tau)
}

// step advances one cell by dt with the external current iExt.
func (c *cell) step(iExt float64) {
	v := c.v
	d65 := v + 0.065
	am := expLinear(1000, (v+0.04)/0.01)
	bm := 4000 * math.Exp(d65/mScale)
	ah := 70 * math.Exp(d65/-0.02)
	bh := 1000 / (1 + math.Exp(-((v + 0.035) / 0.01)))
	an := expLinear(100, (v+0.055)/0.01)
	bn := 125 * math.Exp(d65/-0.08)
	m, h, n := c.m, c.h, c.n
	n2 := n * n
	iL := gLArea * (eL - v)
	iNa := area * (gNa * (m * m * m * h)) * (eNa - v)
	iK := area * (gK * (n2 * n2)) * (eK - v)
	c.m, c.h, c.n = relax(m, am, bm), relax(h, ah, bh), relax(n, an, bn)
	c.v = v + dt*((iL+iNa+iK+iExt)/cm)
}

func main() {
	out := flag.String("o", "ex26.npy", "output .npy file")
	flag.Parse()
	start := time.Now()

	// every cell starts at rest, -65 mV, with its gates at steady state
	var cs [cells]cell
	v0 := -0.065
	d65 := v0 + 0.065
	am, bm := expLinear(1000, (v0+0.04)/0.01), 4000*math.Exp(d65/mScale)
	ah, bh := 70*math.Exp(d65/-0.02), 1000/(1+math.Exp(-((v0+0.035)/0.01)))
	an, bn := expLinear(100, (v0+0.055)/0.01), 125*math.Exp(d65/-0.08)
	for i := range cs {
		cs[i] = cell{m: am / (am + bm), h: ah / (ah + bh), n: an / (an + bn), v: v0}
	}
	var g, s [3]float64 // expOneSynapse conductances (cells 3-5), graded s (cells 9-11)
	var ring [ringLen]bool
	spikes := 0

	const cols = cells + 1
	data := make([]float64, (steps+1)*cols)
	for i := range cs {
		data[1+i] = cs[i].v
	}
	var iExt [cells]float64
	for k := 0; k < steps; k++ {
		pulse := 0.0
		if k >= pulseOn && k < pulseOff {
			pulse = amp
		}
		v := [cells]float64{}
		for i := range cs {
			v[i] = cs[i].v
		}
		// the graded synapses' target, from cell 0's potential
		inf := 1 / (1 + math.Exp((gradedVth-v[0])/gradedDel))
		gap := 0.0
		for j := range 3 {
			gap += gapG[j] * (v[6+j] - v[0])
			iExt[3+j] = g[j] * -v[3+j]
			iExt[6+j] = gapG[j] * (v[0] - v[6+j])
			iExt[9+j] = gradedG[j] * s[j] * -v[9+j]
		}
		iExt[0] = pulse*pulseW[0] + gap
		iExt[1] = pulse * pulseW[1]
		iExt[2] = pulse * pulseW[2]
		for i := range cs {
			cs[i].step(iExt[i])
		}
		for j := range 3 {
			g[j] += dt * (-g[j] / expDecay)
			if 1-inf > gradedMin {
				s[j] += dt * ((inf - s[j]) / ((1 - inf) / gradedK))
			} else if 1-inf < gradedMin {
				s[j] = inf
			}
		}
		spiked := false
		for i := range cs {
			c := &cs[i]
			if c.v > thresh && !c.spiking {
				c.spiking = true
				spikes++
				spiked = spiked || i == 0
			}
			if c.v < thresh {
				c.spiking = false
			}
		}
		// cell 0's spikes reach cells 3, 4, 5 after 0, 20 and 40 ms
		if spiked {
			g[0] += expG[0]
		}
		if ring[(k+ringLen-delaySteps)%ringLen] {
			g[1] += expG[1]
		}
		if ring[(k+ringLen-2*delaySteps)%ringLen] {
			g[2] += expG[2]
		}
		ring[k%ringLen] = spiked

		row := data[(k+1)*cols : (k+2)*cols]
		row[0] = float64(k+1) * dt
		for i := range cs {
			row[1+i] = cs[i].v
		}
	}
	sim := time.Since(start)
	if err := npy.Write(*out, data, steps+1, cols); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("ex26 go: steps=%d spikes=%d sim_ns=%d write_ns=%d\n", steps, spikes, sim.Nanoseconds(), (time.Since(start) - sim).Nanoseconds())
}
