// Command ex22 is the hand-written baseline for NeuroML Ex22 (the
// Pinsky-Rinzel CA3 two-compartment cell, forward Euler, dt 0.01 ms,
// 1500 ms, equations in mV and ms as the TVBO YAML writes them): what a
// careful programmer would write for exactly this model. It links the
// same runtime as the generated program (flags, recorder, writers,
// timing), so the benchmarks compare the kernels alone.
package main

import (
	"math"

	rt "github.com/tvboc/tvboc/runtime"
)

const (
	steps = 150000
	dt    = 0.01 // ms
)

// Parameters of the YAML (mV, ms, mS/cm2, uA/cm2, uF/cm2).
const (
	iSoma = 0.75
	iDend = 0.0
	gLs   = 0.1
	gLd   = 0.1
	gNa   = 30.0
	gKdr  = 15.0
	gCa   = 10.0
	gKahp = 0.8
	gKC   = 15.0
	gc    = 2.1
	eNa   = 60.0
	eCa   = 80.0
	eK    = -75.0
	eL    = -60.0
	pp    = 0.5
	cm    = 3.0
)

var columns = []rt.Column{
	{Name: "Vs", Group: "v"}, {Name: "Vd", Group: "v"},
	{Name: "Cad", Group: "all"}, {Name: "hs", Group: "all"}, {Name: "ns", Group: "all"},
	{Name: "sd", Group: "all"}, {Name: "cd", Group: "all"}, {Name: "qd", Group: "all"},
	{Name: "Si", Group: "all"}, {Name: "Wi", Group: "all"},
}

func main() {
	opts := rt.ParseFlags(rt.Info{Label: "Ex22 hand-written", Steps: steps, Dt: dt * 1e-3, Columns: columns})
	rec := rt.NewRecorder(len(columns), steps+1)
	prog := rt.NewProgress(opts)
	simulate(rec, prog)
	if err := rt.Finish(opts, rec, prog); err != nil {
		rt.Fatal(err)
	}
}

// expLinear is x/(exp(x/s)-1), the removable singularity of the HH-style
// rates: its limit s at x = 0.
func expLinear(x, s float64) float64 {
	if x == 0 {
		return s
	}
	return x / (math.Exp(x/s) - 1)
}

func simulate(rec *rt.Recorder, prog *rt.Progress) {
	Vs, Vd := -60.0, -60.0
	var Cad, hs, ns, sd, cd, qd, Si, Wi float64
	store := func(k int) {
		row := rec.Row(k)
		_ = row[9]
		row[0], row[1], row[2], row[3], row[4] = Vs, Vd, Cad, hs, ns
		row[5], row[6], row[7], row[8], row[9] = sd, cd, qd, Si, Wi
	}
	store(0)
	for k0 := 0; k0 < steps; k0 += rt.Chunk {
		k1 := min(k0+rt.Chunk, steps)
		for k := k0; k < k1; k++ {
			alphaMs := 0.32 * expLinear(-46.9-Vs, 4)
			betaMs := 0.28 * expLinear(Vs+19.9, 5)
			minf := alphaMs / (alphaMs + betaMs)
			alphaHs := 0.128 * math.Exp((-43-Vs)/18)
			betaHs := 4 / (1 + math.Exp((-20-Vs)/5))
			alphaNs := 0.016 * expLinear(-24.9-Vs, 5)
			betaNs := 0.25 * math.Exp(-1-0.025*Vs)
			alphaSd := 1.6 / (1 + math.Exp(-0.072*(Vd-5)))
			betaSd := 0.02 * expLinear(Vd+8.9, 5)
			var alphaCd, betaCd float64
			if e := 2 * math.Exp((-53.5-Vd)/27); Vd < -10 {
				alphaCd = math.Exp((Vd+50)/11-(Vd+53.5)/27) / 18.975
				betaCd = e - alphaCd
			} else {
				alphaCd = e
			}
			alphaQd := min(0.00002*Cad, 0.01)
			chi := min(Cad/250, 1)
			iCa := gCa * sd * sd * (Vd - eCa)

			dVs := (-gLs*(Vs-eL) - gNa*minf*minf*hs*(Vs-eNa) - gKdr*ns*(Vs-eK) + gc*(Vd-Vs)/pp + iSoma/pp) / cm
			dVd := (-gLd*(Vd-eL) - iCa - gKahp*qd*(Vd-eK) - gKC*cd*chi*(Vd-eK) + gc*(Vs-Vd)/(1-pp) + iDend/(1-pp)) / cm
			dCad := -0.13*iCa - 0.075*Cad
			dhs := alphaHs - (alphaHs+betaHs)*hs
			dns := alphaNs - (alphaNs+betaNs)*ns
			dsd := alphaSd - (alphaSd+betaSd)*sd
			dcd := alphaCd - (alphaCd+betaCd)*cd
			dqd := alphaQd - (alphaQd+0.001)*qd

			Vs += dt * dVs
			Vd += dt * dVd
			Cad += dt * dCad
			hs += dt * dhs
			ns += dt * dns
			sd += dt * dsd
			cd += dt * dcd
			qd += dt * dqd
			Si += dt * (-Si / 150)
			Wi += dt * (-Wi / 2)
			store(k + 1)
		}
		prog.Update(k1)
	}
}
