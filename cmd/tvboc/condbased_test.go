package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/tvboc/tvboc/compare"
)

// condBasedPolicy is the spike bar for conductance-based cells (reference
// README): same spike count, spike times within 1% of elapsed time. Their
// traces show their peaks, so spikes are upward crossings of 0 mV, not
// one-step drops.
//
// The subthreshold RMS bar (1e-3 of the range) is applied to the part of
// the run before the first reference spike (subthreshold), not across
// spikes: jLEMS lets a gate read v one step late per level of nesting
// (cell -> channel population -> channel -> gate: two steps), which moves
// every HH spike earlier by up to 0.7% of elapsed time, and a spike
// shifted by 70 steps makes the whole spike's samples differ, whatever the
// kernel. Measured on Ex1: forward Euler as written (tvboc) is 9.4e-7 of
// the range from the reference before the first spike, and an emulation
// of jLEMS's two-step lag reproduces the whole golden trace to 6.9e-4 of
// the range (spike times exact), while the lag-free trace is 6.0e-2 off
// across spikes: the difference is the reference's artifact, which tvboc
// does not copy.
func condBasedPolicy() compare.Policy {
	p := compare.DefaultPolicy()
	p.UseSpikeThreshold, p.SpikeThreshold = true, 0
	p.UseRelTime = true
	p.MaxRMSFrac = 1 // judged on the subthreshold prefix instead
	return p
}

// beforeFirstSpike cuts both tables to the rows before the first upward
// 0 V crossing of any reference quantity, less a margin of 2 ms (the
// spike's upstroke, where the reference's lag already shows).
func beforeFirstSpike(t *testing.T, ref, sim *compare.Table, names map[string]string) (*compare.Table, *compare.Table) {
	end := ref.Len()
	for refName := range names {
		col := ref.Column(refName)
		for _, k := range compare.DetectCrossings(col, 0) {
			if k < end {
				end = k
			}
		}
	}
	cut := 0
	for cut < end && ref.T[cut] < ref.T[end-1]-2e-3 {
		cut++
	}
	if cut < 100 {
		t.Fatalf("only %d subthreshold rows before the first spike", cut)
	}
	slice := func(tb *compare.Table) *compare.Table {
		out := &compare.Table{Names: tb.Names, T: tb.T[:cut], Source: tb.Source}
		for _, c := range tb.Cols {
			out.Cols = append(out.Cols, c[:cut])
		}
		return out
	}
	return slice(ref), slice(sim)
}

// TestConductanceBasedCellsMatchReference compiles the TVBO NeuroML
// examples whose cells are trees of channels, gates and rates (flattened
// by package flatten), runs them and compares them with the jLEMS goldens.
func TestConductanceBasedCellsMatchReference(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	needReference(t)
	tvbo := filepath.Join(referenceRoot, "tvbo", "neuroml")
	golden := filepath.Join(referenceRoot, "golden")
	tests := []struct {
		name      string
		exp       string
		golden    string
		rows      int
		names     map[string]string // golden name -> simulation name
		minSpikes int
	}{
		{
			name: "Ex1_HH", exp: filepath.Join(tvbo, "Ex1.yaml"),
			golden: filepath.Join(golden, "LEMS_NML2_Ex1_HH", "hh_v.dat.gz"), rows: 15001,
			names: map[string]string{"hhpop[0]/v": "v"}, minSpikes: 3,
		},
		{
			// the same cell with every component type written out in the
			// experiment (extends:, select/reduce labels, conditionals)
			name: "Ex1_HH_custom", exp: filepath.Join(tvbo, "Ex1.exp_custom.yaml"),
			golden: filepath.Join(golden, "LEMS_NML2_Ex1_HH", "hh_v.dat.gz"), rows: 15001,
			names: map[string]string{"hhpop[0]/v": "v"}, minSpikes: 3,
		},
		{
			name: "Ex5_DetCell", exp: filepath.Join(tvbo, "Ex5.yaml"),
			golden: filepath.Join(golden, "LEMS_NML2_Ex5_DetCell", "ex5_v.dat.gz"), rows: 30001,
			names: map[string]string{"hhpop[0]/v": "v"}, minSpikes: 3,
		},
		{
			name: "Ex4_KS", exp: filepath.Join(tvbo, "Ex4.yaml"),
			golden: filepath.Join(golden, "LEMS_NML2_Ex4_KS", "Ex4.auto.dat.gz"), rows: 30001,
			names: map[string]string{
				"hhpop[0]/v":                           "v",
				"hhpop[0]/na_chans/na/m/q":             "na/m/q",
				"hhpop[0]/na_chans/na/h/q":             "na/h/q",
				"hhpop[0]/k_chans/k_vh/n/c1/occupancy": "k_vh/n/c1/occupancy",
				"hhpop[0]/k_chans/k_vh/n/o1/occupancy": "k_vh/n/o1/occupancy",
			},
			minSpikes: 3,
		},
		{
			name: "Ex17_Tissue", exp: filepath.Join(tvbo, "Ex17.yaml"),
			golden: filepath.Join(golden, "LEMS_NML2_Ex17_Tissue", "Ex17.auto.dat.gz"), rows: 100001,
			names: map[string]string{"net1/hhpop[0]/v": "v"}, minSpikes: 10,
		},
		{
			name: "Ex18_GHK", exp: filepath.Join(tvbo, "Ex18.yaml"),
			golden: filepath.Join(golden, "LEMS_NML2_Ex18_GHK", "ex18.dat.gz"), rows: 50001,
			names: map[string]string{
				"pop/0/na_k_ca/v":      "v",
				"pop/0/na_k_ca/caConc": "simple_decay/concentration",
			},
			minSpikes: 1,
		},
		{
			name: "Ex24_FractionalConductance", exp: filepath.Join(tvbo, "Ex24.yaml"),
			golden: filepath.Join(golden, "LEMS_NML2_Ex24_FractionalConductance", "ex24_v.dat.gz"), rows: 20001,
			names: map[string]string{"pop[0]/v": "v"}, minSpikes: 1,
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
			ref, err := compare.Load(tc.golden, compare.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var quantities []string
			for refName := range tc.names {
				quantities = append(quantities, refName)
			}
			sortStrings(quantities)
			rep, err := compare.Compare(ref, sim, compare.Options{
				Policy: condBasedPolicy(), Map: tc.names, Quantities: quantities,
			})
			if err != nil {
				t.Fatal(err)
			}
			var text bytes.Buffer
			rep.WriteText(&text)
			t.Logf("\n%s", text.String())
			if !rep.Pass {
				t.Fatalf("%s does not match the reference:\n%s", tc.name, text.String())
			}
			subRef, subSim := beforeFirstSpike(t, ref, sim, tc.names)
			sub := compare.DefaultPolicy()
			rep, err = compare.Compare(subRef, subSim, compare.Options{Policy: sub, Map: tc.names, Quantities: quantities})
			if err != nil {
				t.Fatal(err)
			}
			text.Reset()
			rep.WriteText(&text)
			t.Logf("subthreshold, before the first spike:\n%s", text.String())
			if !rep.Pass {
				t.Fatalf("%s: subthreshold trace does not match the reference:\n%s", tc.name, text.String())
			}
			spikes := 0
			for _, q := range rep.Quantities {
				spikes += q.RefSpikes
			}
			if spikes < tc.minSpikes {
				t.Errorf("only %d reference spikes: the comparison does not test spike timing", spikes)
			}
		})
	}
}
