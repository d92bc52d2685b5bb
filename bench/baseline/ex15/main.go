// Command ex15 is the hand-written baseline for the exp-heavy workload W8:
// TVBO's NeuroML Ex15 ("Ca Dynamics"), one cerebellar granule cell (a
// cylinder 10 µm by 10 µm at 32 °C) with seven channels and a decaying
// calcium pool:
//
//	leak          0.0330033 mS/cm^2, -65 mV
//	NaF  m^3 h    55.7227 mS/cm^2, 55 mV; rates with a floor on tau
//	KDr  m^4 h    8.89691 mS/cm^2, -90 mV
//	H    n        0.03090506 mS/cm^2, -42 mV
//	CaHVA m^2 h   0.9084216 mS/cm^2, 80 mV; its current feeds the pool
//	KA   m^3 h    1.14567 mS/cm^2, -90 mV; inf and tau given directly
//	KCa  m        17.9811 mS/cm^2, -90 mV; rates read the pool
//
// every rate but KA's scaled by q10 = 3^((32 - 17.350264793)/10), a 0.01
// nA pulse from 100 to 600 ms; forward Euler, dt 1 µs, 700 ms (700,000
// steps), about 20 exps per step. It writes t and v after every step as
// one .npy matrix (the generated binary's `-o out.npy`, default columns).
//
// It is what a careful programmer would write for this one cell: SI units,
// the gates in one loop body, every exp once (CaHVA's h rates share one).
// Arithmetic follows NeuroML's definitions in the order they are written,
// with constants as NeuroML's unit conversion rounds them, so the run is
// bit for bit the generated program's (bench/report marks it "file
// identical to Go"). Gates read the membrane potential of the same step
// (tvboc's semantics at the time of writing).
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
	steps = 700000
	dt    = 1e-6
	// the pulse read by step k is the one at t_(k+1): on for
	// 100 ms <= t < 600 ms
	pulseOn, pulseOff = 99999, 599999
	amp               = 1.0000000000000001e-11 // 0.01 nA

	// The cell: a cylinder of diameter and length 10 µm, area pi*d*l.
	area = 3.1415926535897923e-10 // m^2
	cm   = 3.1415926535897923e-12 // 1 µF/cm^2 * area
	q10  = 4.99999999990152       // 3^((32 - 17.350264793)/10), as NeuroML computes it

	// conductance densities in S/m^2, as NeuroML converts mS/cm^2
	gLArea = 1.0368292482422e-10 // leak density * area
	gNaF   = 557.2270000000001
	gKDr   = 88.9691
	gH     = 0.3090506
	gCaHVA = 9.084216000000001
	gKA    = 11.4567
	gKCa   = 179.811
	eL     = -0.065
	eNa    = 0.055
	eK     = -0.09
	eH     = -0.042
	eCa    = 0.08

	// the calcium pool: d[Ca]/dt = iCa/(2 F area shell) - ([Ca] - rest)/tau
	poolScale = 5.007301402639604e-12 // 2 F area shell, C*m^3/mol
	caRest    = 7.549999999999999e-05 // 7.55e-11 mol/cm^3 in mol/m^3
	caTau     = 0.01

	thresh = 0.0
	v0     = -0.065
)

// expLinear is NeuroML's HHExpLinearRate at x = (v - midpoint)/scale.
func expLinear(rate, x float64) float64 {
	if math.Abs(x) >= 0.001 {
		return rate * x / (1 - math.Exp(-x))
	}
	return rate * (1 + x/2 + x*x/12)
}

// rateTau is NaF's time course: 1/(a+b) with a floor (0 when a+b is 0).
func rateTau(a, b, floor float64) float64 {
	switch {
	case a+b == 0:
		return 0
	case 1/(a+b) < floor:
		return floor
	}
	return 1 / (a + b)
}

// gates holds the state of the cell's gates, in channel order.
type gates struct {
	nafM, nafH, kdrM, kdrH, hN, caM, caH, kaM, kaH, kcaM float64
}

// targets returns every gate's steady state and time constant at membrane
// potential v and calcium concentration ca.
func targets(v, ca float64) (inf, tau gates) {
	// NaF: alpha and beta with the time course's floor
	d29 := v + 0.028999999999999998
	a, b := 1500*math.Exp(d29/0.012345679), 1500*math.Exp(d29/-0.0151515)
	inf.nafM, tau.nafM = a/(a+b), rateTau(a, b, 5e-05)/q10
	d40 := v + 0.04
	a, b = 120*math.Exp(d40/-0.01123596), 120*math.Exp(d40/0.01123596)
	inf.nafH, tau.nafH = a/(a+b), rateTau(a, b, 0.000225)/q10

	// the custom rates read V = v - 10 mV
	V := v - 0.01
	a, b = 170*math.Exp(73*(V+0.038)), 170*math.Exp(-18*(V+0.038))
	inf.kdrM, tau.kdrM = a/(a+b), 1/((a+b)*q10)
	a = 0.76
	if !(V > -0.046) {
		a = 0.7 + 0.065*math.Exp(-80*(V+0.046))
	}
	b = 1.1 / (1 + math.Exp(-80.7*(V+0.044)))
	inf.kdrH, tau.kdrH = a/(a+b), 1/((a+b)*q10)

	d65 := v + 0.065
	a, b = 0.8*math.Exp(d65/-0.01100110011), 0.8*math.Exp(d65/0.01100110011)
	inf.hN, tau.hN = a/(a+b), 1/((a+b)*q10)

	a = 1600 / (1 + math.Exp(-((v - 0.015) / 0.01388888889)))
	b = expLinear(100, (v-0.0011000000000000003)/-0.005)
	inf.caM, tau.caM = a/(a+b), 1/((a+b)*q10)
	if V < -0.06 {
		a, b = 5, 0
	} else {
		e := math.Exp(-50 * (V + 0.06))
		a, b = 5*e, 5-5*e
	}
	inf.caH, tau.caH = a/(a+b), 1/((a+b)*q10)

	// KA: steady states and time courses given directly (q10 1)
	inf.kaM = 1 / (1 + math.Exp(-((v + 0.036699999999999997) / 0.0198)))
	tau.kaM = 0.00041*math.Exp((V+0.0435)/-0.0428) + 0.000167
	inf.kaH = 1 / (1 + math.Exp(-((v + 0.0688) / -0.0084)))
	tau.kaH = 0.001 * (10.8 + 0.03*V*1000 + 1/(57.9*math.Exp(V*0.127*1000)+0.000134*math.Exp(V*(-0.059*1000))))

	a = 2500 / (1 + 0.0015*math.Exp(-85*V)/ca)
	b = 1500 / (1 + ca/(0.00015*math.Exp(-77*V)))
	inf.kcaM, tau.kcaM = a/(a+b), 1/((a+b)*q10)
	return inf, tau
}

// relax is one Euler step of a gate towards inf with time constant tau.
func relax(q, inf, tau float64) float64 { return q + dt*((inf-q)/tau) }

func main() {
	out := flag.String("o", "ex15.npy", "output .npy file")
	flag.Parse()
	start := time.Now()

	v, ca := v0, caRest
	g, _ := targets(v, ca) // every gate starts at its steady state
	spiking, spikes := false, 0

	const cols = 2
	data := make([]float64, (steps+1)*cols)
	data[1] = v
	for k := 0; k < steps; k++ {
		pulse := 0.0
		if k >= pulseOn && k < pulseOff {
			pulse = amp
		}
		inf, tau := targets(v, ca)
		m3 := g.nafM * g.nafM * g.nafM
		kdr2 := g.kdrM * g.kdrM
		ka3 := g.kaM * g.kaM * g.kaM
		iCa := area * (gCaHVA * (g.caM * g.caM * g.caH)) * (eCa - v)
		iL := gLArea * (eL - v)
		iNa := area * (gNaF * (m3 * g.nafH)) * (eNa - v)
		iKDr := area * (gKDr * (kdr2 * kdr2 * g.kdrH)) * (eK - v)
		iH := area * (gH * g.hN) * (eH - v)
		iKA := area * (gKA * (ka3 * g.kaH)) * (eK - v)
		iKCa := area * (gKCa * g.kcaM) * (eK - v)
		iChannels := iL + iNa + iKDr + iH + iCa + iKA + iKCa

		g = gates{
			nafM: relax(g.nafM, inf.nafM, tau.nafM), nafH: relax(g.nafH, inf.nafH, tau.nafH),
			kdrM: relax(g.kdrM, inf.kdrM, tau.kdrM), kdrH: relax(g.kdrH, inf.kdrH, tau.kdrH),
			hN:  relax(g.hN, inf.hN, tau.hN),
			caM: relax(g.caM, inf.caM, tau.caM), caH: relax(g.caH, inf.caH, tau.caH),
			kaM: relax(g.kaM, inf.kaM, tau.kaM), kaH: relax(g.kaH, inf.kaH, tau.kaH),
			kcaM: relax(g.kcaM, inf.kcaM, tau.kcaM),
		}
		ca += dt * (iCa/poolScale - (ca-caRest)/caTau)
		if ca < 0 {
			ca = 0
		}
		v += dt * ((iChannels + pulse) / cm)
		if v > thresh && !spiking {
			spiking = true
			spikes++
		}
		if v < thresh {
			spiking = false
		}
		data[(k+1)*cols] = float64(k+1) * dt
		data[(k+1)*cols+1] = v
	}
	sim := time.Since(start)
	if err := npy.Write(*out, data, steps+1, cols); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("ex15 go: steps=%d spikes=%d sim_ns=%d write_ns=%d\n", steps, spikes, sim.Nanoseconds(), (time.Since(start) - sim).Nanoseconds())
}
