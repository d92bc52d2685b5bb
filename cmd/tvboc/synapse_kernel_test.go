package main

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/tvboc/tvboc/compare"
)

// TestSynapseKernelsSingleSpike compiles testdata/networks/synapse_kernels
// (one spike at 2 ms into one target per synapse type) and checks every
// synapse state against its closed-form response to that spike. The
// spike fires in the step ending at 2 ms and is delivered at once, so the
// jump shows in the row of t = 2 ms (3 ms through the 1 ms delay); before
// it every state is 0. Forward Euler at dt = 1 us against time constants
// of 0.2 ms and more stays within 1% of each response's peak.
func TestSynapseKernelsSingleSpike(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	out := filepath.Join(t.TempDir(), "out.csv")
	compileAndRun(t, "../../testdata/networks/synapse_kernels/exp.yaml", "-o", out, "--record", "all", "--quiet")
	sim, err := compare.Load(out, compare.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const w, e = 0.5, 2.7182818284590451
	const ms, nS = 1e-3, 1e-9
	expo := func(tau float64) func(s float64) float64 {
		return func(s float64) float64 { return math.Exp(-s / tau) }
	}
	alpha := func(tau float64) func(s float64) float64 {
		return func(s float64) float64 { return s / tau * math.Exp(1-s/tau) }
	}
	waveform := func(rise, decay float64) float64 {
		peak := math.Log(decay/rise) * rise * decay / (decay - rise)
		return 1 / (-math.Exp(-peak/rise) + math.Exp(-peak/decay))
	}
	wf2, wf31, wf32 := waveform(0.5*ms, 4*ms), waveform(0.2*ms, 1*ms), waveform(0.2*ms, 5*ms)
	tests := []struct {
		column string
		at     float64 // delivery time in seconds
		want   func(s float64) float64
	}{
		{"iaf_pop[0]/synapses:expOneSynapse:0/g", 2 * ms, func(s float64) float64 { return w * 2 * nS * expo(3*ms)(s) }},
		{"iaf_pop[5]/synapses:expOneSynapse:0/g", 3 * ms, func(s float64) float64 { return w * 2 * nS * expo(3*ms)(s) }},
		{"iaf_pop[1]/synapses:alphaSynapse:0/g", 2 * ms, func(s float64) float64 { return w * 2 * nS * alpha(2*ms)(s) }},
		{"iaf_pop[2]/synapses:expTwoSynapse:0/A", 2 * ms, func(s float64) float64 { return w * wf2 * expo(0.5*ms)(s) }},
		{"iaf_pop[2]/synapses:expTwoSynapse:0/B", 2 * ms, func(s float64) float64 { return w * wf2 * expo(4*ms)(s) }},
		{"iaf_pop[3]/synapses:expThreeSynapse:0/A", 2 * ms, func(s float64) float64 { return w * (1.5*wf31 + 0.5*wf32) / 2 * expo(0.2*ms)(s) }},
		{"iaf_pop[3]/synapses:expThreeSynapse:0/B", 2 * ms, func(s float64) float64 { return w * wf31 * expo(1*ms)(s) }},
		{"iaf_pop[3]/synapses:expThreeSynapse:0/C", 2 * ms, func(s float64) float64 { return w * wf32 * expo(5*ms)(s) }},
		{"iaf_pop[4]/synapses:alphaCurrentSynapse:0/I", 2 * ms, func(s float64) float64 { return w * 0.01e-9 * alpha(2*ms)(s) }},
		{"pynn_pop[0]/synapses:expCondSynapse_syn:0/g", 2 * ms, func(s float64) float64 { return w * expo(2*ms)(s) }},
		{"pynn_pop[1]/synapses:expCurrSynapse_syn:0/I", 2 * ms, func(s float64) float64 { return w * expo(2*ms)(s) }},
		{"pynn_pop[2]/synapses:alphaCondSynapse_syn:0/g", 2 * ms, func(s float64) float64 { return w * 2.7182818 / e * alpha(2*ms)(s) }},
		{"pynn_pop[3]/synapses:alphaCurrSynapse_syn:0/I", 2 * ms, func(s float64) float64 { return w * 2.7182818 / e * alpha(2*ms)(s) }},
	}
	// The spike fires in the first step whose running sum of t (jLEMS's
	// t += dt) has reached 2 ms: at 1 us that is step 2001 (the sum is
	// 0.001999999999999941 s at step 2000), and it reaches the synapses
	// within that step (the spike array's population comes first).
	const dt = 1e-6
	fire, sum := 0, 0.0
	for sum < 2*ms {
		sum += dt
		fire++
	}
	for i := range tests {
		tests[i].at += float64(fire)*dt - 2*ms
	}
	for _, tc := range tests {
		t.Run(tc.column, func(t *testing.T) {
			col := sim.Column(tc.column)
			if col == nil {
				t.Fatalf("no column %s in %v", tc.column, sim.Names)
			}
			peak := 0.0
			for k := range col {
				peak = max(peak, math.Abs(tc.want(math.Max(0, sim.T[k]-tc.at))))
			}
			worst, at := 0.0, 0.0
			for k, v := range col {
				want := 0.0
				if s := sim.T[k] - tc.at; s > -1e-12 {
					want = tc.want(math.Max(0, s))
				}
				if d := math.Abs(v - want); d > worst {
					worst, at = d, sim.T[k]
				}
			}
			if worst > 0.01*peak {
				t.Errorf("worst error %.3g (%.2g of the peak %.3g) at t = %g s", worst, worst/peak, peak, at)
			}
		})
	}
}
