package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/tvboc/tvboc/compare"
)

// TestSpikingNetworksMatchReference compiles TVBO's NeuroML network
// examples (library cells, synapse edges with delays, graded synapses)
// and judges them against jLEMS's outputs of the original LEMS examples
// by the project's tolerance policy. The goldens name populations as the
// LEMS files do (adExPop1, iafCells/0/iaf); names maps them to tvboc's
// TVBO names (<dynamics>_pop[<rank>]).
func TestSpikingNetworksMatchReference(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	needReference(t)
	tvbo := filepath.Join(referenceRoot, "tvbo", "neuroml")
	golden := filepath.Join(referenceRoot, "golden")
	type file struct {
		golden string
		names  map[string]string // golden name -> simulation name
		// countOnly compares spike counts alone (a chaotic trace)
		countOnly bool
	}
	tests := []struct {
		name      string
		exp       string
		rows      int
		files     []file
		policy    compare.Policy
		spiking   []string
		minSpikes int
	}{
		{
			// The AdEx cells spike through jLEMS's regime machinery, whose
			// artifacts (reference README) tvboc does not copy: the
			// recorded v lags w by one step, and the refractory entry
			// (w += b) lands one step late. Each spike thus comes a step
			// early, the offset growing to 4 steps (4.6e-4 of the elapsed
			// time) in 0.3 s for the bursters and to 9 steps (1.03e-3) for
			// the rebound spike; allowed here as 2e-3 of elapsed time, with
			// the RMS bar at 1e-2 of the range since the traces are
			// shifted. The chaotic burster (adEx_chaos) amplifies that one
			// step without bound (same spike count, times apart) and is
			// compared for its spike count only.
			name: "Ex8_AdEx", exp: filepath.Join(tvbo, "Ex8.yaml"), rows: 12001, minSpikes: 40,
			policy: func() compare.Policy {
				p := compare.DefaultPolicy()
				p.UseRelTime, p.MaxSpikeRelTime, p.MaxRMSFrac = true, 2e-3, 1e-2
				return p
			}(),
			files: []file{
				{golden: "LEMS_NML2_Ex8_AdEx/adEx_2burst.dat.gz", names: map[string]string{"adExPop1[0]/v": "adExBurst2_pop[0]/v", "adExPop1[0]/w": "adExBurst2_pop[0]/w"}},
				{golden: "LEMS_NML2_Ex8_AdEx/adEx_4burst.dat.gz", names: map[string]string{"adExPop2[0]/v": "adExBurst4_pop[0]/v", "adExPop2[0]/w": "adExBurst4_pop[0]/w"}},
				{golden: "LEMS_NML2_Ex8_AdEx/adEx_chaos.dat.gz", names: map[string]string{"adExPop3[0]/v": "adExBurstChaos_pop[0]/v"}, countOnly: true},
				{golden: "LEMS_NML2_Ex8_AdEx/adEx_rebound.dat.gz", names: map[string]string{"adExPop4[0]/v": "adExRebound_pop[0]/v", "adExPop4[0]/w": "adExRebound_pop[0]/w"}},
			},
		},
		{
			name: "Ex13_Instances", exp: filepath.Join(tvbo, "Ex13.yaml"), rows: 6001, minSpikes: 2,
			files: []file{{golden: "LEMS_NML2_Ex13_Instances/Ex13.auto.dat.gz", names: map[string]string{
				"iafCells/0/iaf/v": "iaf_pop[0]/v", "iafCells/1/iaf/v": "iaf_pop[1]/v", "iafCells/2/iaf/v": "iaf_pop[2]/v",
			}}},
		},
		{
			// PyNN cells with refractory regimes and PyNN synapses with
			// delays. The jLEMS regime artifacts of Ex0 and Ex8 apply: the
			// recorded v of a regime cell lags one step, and the refractory
			// exit is decided on summed time, so the IF cells drift by up
			// to 8 steps (1.7e-4 of the elapsed time) over 12 spikes:
			// allowed as 2e-4 of elapsed time, with the RMS bar at 1.5e-2
			// of the range for the shifted traces (and the synaptic
			// targets they drive). The delayed deliveries land exactly
			// 1000 steps after each spike in tvboc; jLEMS, summing t,
			// delivers one of the five at 999 steps, which shows in the
			// syn1 conductance as one sample off at one jump.
			name: "Ex14_PyNN", exp: filepath.Join(tvbo, "Ex14.yaml"), rows: 50001, minSpikes: 20,
			policy: func() compare.Policy {
				p := compare.DefaultPolicy()
				p.UseRelTime, p.MaxSpikeRelTime, p.MaxRMSFrac = true, 2e-4, 1.5e-2
				return p
			}(),
			files: []file{
				{golden: "LEMS_NML2_Ex14_PyNN/ex14.dat.gz", names: map[string]string{
					"pop_IF_curr_exp[0]/v": "IF_curr_exp_pop[0]/v", "pop_IF_cond_alpha[0]/v": "IF_cond_alpha_pop[0]/v",
					"pop_EIF_cond_exp_isfa_ista[0]/v": "EIF_cond_exp_isfa_ista_pop[0]/v", "pop_HH_cond_exp[0]/v": "HH_cond_exp_pop[0]/v",
					"pop_target[0]/v": "silent_cell_pop[0]/v", "pop_target[1]/v": "silent_cell_pop[1]/v",
					"pop_target[2]/v": "silent_cell_pop[2]/v", "pop_target[3]/v": "silent_cell_pop[3]/v",
				}},
				{golden: "LEMS_NML2_Ex14_PyNN/ex14_g.dat.gz", names: map[string]string{
					"pop_target[0]/synapses:syn1:0/g": "silent_cell_pop[0]/synapses:syn1:0/g",
					"pop_target[1]/synapses:syn2:0/g": "silent_cell_pop[1]/synapses:syn2:0/g",
				}},
			},
		},
		{
			name: "Ex20_AnalogSynapses", exp: filepath.Join(tvbo, "Ex20.yaml"), rows: 20001, minSpikes: 4,
			files: []file{{golden: "LEMS_NML2_Ex20_AnalogSynapses/ex20_v.dat.gz", names: map[string]string{
				"iafPop1[0]/v": "iaf_pop[0]/v", "iafPop2[0]/v": "iaf_pop[1]/v", "iafPop3[0]/v": "iaf_pop[2]/v",
			}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.csv")
			compileAndRun(t, tc.exp, "-o", out, "--record", "all", "--quiet")
			sim, err := compare.Load(out, compare.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if sim.Len() != tc.rows {
				t.Fatalf("%d rows, want %d", sim.Len(), tc.rows)
			}
			spikes := 0
			for _, f := range tc.files {
				ref, err := compare.Load(filepath.Join(golden, f.golden), compare.LoadOptions{})
				if err != nil {
					t.Fatal(err)
				}
				var quantities []string
				for refName := range f.names {
					quantities = append(quantities, refName)
				}
				sortStrings(quantities)
				policy := tc.policy
				if f.countOnly {
					policy = compare.DefaultPolicy()
					policy.MaxSpikeSteps, policy.MaxRMSFrac = float64(ref.Len()), 1
				}
				rep, err := compare.Compare(ref, sim, compare.Options{
					Policy: policy, Map: f.names, Quantities: quantities, SpikeQuantities: tc.spiking,
				})
				if err != nil {
					t.Fatal(err)
				}
				var text bytes.Buffer
				rep.WriteText(&text)
				t.Logf("%s\n%s", f.golden, text.String())
				if !rep.Pass {
					t.Errorf("%s does not match %s", tc.name, f.golden)
				}
				for _, q := range rep.Quantities {
					spikes += q.RefSpikes
				}
			}
			if spikes < tc.minSpikes {
				t.Errorf("only %d reference spikes: the comparison does not test spike timing", spikes)
			}
		})
	}
}
