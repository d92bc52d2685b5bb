package main

import (
	"bytes"
	"math"
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
// kernel. tvboc now reproduces that lag (and jLEMS's running sum of t)
// by default, and TestJLEMS/TestJLEMSGoldens hold it to jLEMS at 1e-5 of
// the range; this test keeps the looser bar because it compares with
// NeuroML's original LEMS examples, which are not tvboc's renderings.
func condBasedPolicy() compare.Policy {
	p := compare.DefaultPolicy()
	p.UseSpikeThreshold, p.SpikeThreshold = true, 0
	p.UseRelTime = true
	p.MaxRMSFrac = 1 // judged on the subthreshold prefix instead
	return p
}

// subthresholdEnd is the row of the first upward 0 V crossing of any
// reference quantity, less a margin of 2 ms (the spike's upstroke, where
// the reference's lag already shows).
func subthresholdEnd(t *testing.T, ref *compare.Table, names map[string]string) int {
	end := ref.Len()
	for refName := range names {
		for _, k := range compare.DetectCrossings(ref.Column(refName), 0) {
			end = min(end, k)
		}
	}
	cut := 0
	for cut < end && ref.T[cut] < ref.T[end-1]-2e-3 {
		cut++
	}
	if cut < 100 {
		t.Fatalf("only %d subthreshold rows before the first spike", cut)
	}
	return cut
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
		// settle is when the subthreshold comparison starts (s)
		settle float64
		// spikeSteps widens the spike bar to this many steps
		spikeSteps float64
		// derived are the derived quantities the goldens record
		derived []derivedCheck
	}{
		{
			name: "Ex1_HH", exp: filepath.Join(tvbo, "Ex1.yaml"),
			golden: filepath.Join(golden, "LEMS_NML2_Ex1_HH", "hh_v.dat.gz"), rows: 15001,
			names: map[string]string{"hhpop[0]/v": "v"}, minSpikes: 3,
		},
		{
			// the same cell with every component type written out in the
			// experiment (extends:, select/reduce labels, conditionals). Its
			// gates start at the rounded values the YAML gives (0.05, 0.60,
			// 0.32), not at steady state as in the reference: the
			// subthreshold comparison starts once that transient has
			// relaxed (20 ms).
			name: "Ex1_HH_custom", exp: filepath.Join(tvbo, "Ex1.exp_custom.yaml"),
			golden: filepath.Join(golden, "LEMS_NML2_Ex1_HH", "hh_v.dat.gz"), rows: 15001,
			names: map[string]string{"hhpop[0]/v": "v"}, minSpikes: 3, settle: 0.02,
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
			// the kinetic gate's open fraction (jLEMS integrates the scheme
			// with a matrix exponential, tvboc with forward Euler)
			derived: []derivedCheck{{golden: "LEMS_NML2_Ex4_KS/Ex4.auto.dat.gz",
				ref: "hhpop[0]/k_chans/k_vh/n/q", sim: "k_vh/n/q", lag: 1}},
		},
		{
			name: "Ex17_Tissue", exp: filepath.Join(tvbo, "Ex17.yaml"),
			golden: filepath.Join(golden, "LEMS_NML2_Ex17_Tissue", "Ex17.auto.dat.gz"), rows: 100001,
			names: map[string]string{"net1/hhpop[0]/v": "v"}, minSpikes: 10,
			// The pulse starts at t = 0 and the first spike comes at
			// 3.26 ms, where 1% is 3 steps; the reference's two-step gate
			// lag puts it 6 steps (60 us) later than forward Euler without
			// the lag. Later spikes meet the 1% bar.
			spikeSteps: 6,
			derived: []derivedCheck{
				// A gate's rates read v two levels down (cell -> channel ->
				// gate): jLEMS computes them from v two steps old, and
				// records them one step late: its row k+3 is our row k.
				{golden: "LEMS_NML2_Ex17_Tissue/Ex17.auto.dat.gz", ref: "net1/hhpop[0]/naChans/na/m/tau", sim: "na/m/tau", lag: 3},
				{golden: "LEMS_NML2_Ex17_Tissue/Ex17.auto.dat.gz", ref: "net1/hhpop[0]/kChans/k/n/tau", sim: "k/n/tau", lag: 3},
				// The tissue's temperature depends on t alone: like an
				// input, jLEMS shows its value at the end of the step
				// (no lag). It steps from 22 to 16 degC when t > 500 ms.
				{golden: "LEMS_NML2_Ex17_Tissue/Ex17.auto.dat.gz", ref: "temperature", sim: "temperature", step: true},
			},
		},
		{
			name: "Ex18_GHK", exp: filepath.Join(tvbo, "Ex18.yaml"),
			golden: filepath.Join(golden, "LEMS_NML2_Ex18_GHK", "ex18.dat.gz"), rows: 50001,
			names: map[string]string{
				"pop/0/na_k_ca/v":      "v",
				"pop/0/na_k_ca/caConc": "simple_decay/concentration",
			},
			minSpikes: 1,
			// the GHK calcium current density, A/m^2
			derived: []derivedCheck{{golden: "LEMS_NML2_Ex18_GHK/ex18.dat.gz",
				ref: "pop/0/na_k_ca/biophys/membraneProperties/ca_all/iDensity", sim: "ca_chan/iDensity", lag: 1}},
		},
		{
			name: "Ex24_FractionalConductance", exp: filepath.Join(tvbo, "Ex24.yaml"),
			golden: filepath.Join(golden, "LEMS_NML2_Ex24_FractionalConductance", "ex24_v.dat.gz"), rows: 20001,
			names: map[string]string{"pop[0]/v": "v"}, minSpikes: 1,
			// the slow K channel's open fraction, scaled by its
			// fractional conductance
			derived: []derivedCheck{{golden: "LEMS_NML2_Ex24_FractionalConductance/ex24_k.dat.gz",
				ref: "pop[0]/biophys/membraneProperties/k_slowChans/k_slow/fopen", sim: "k_slow/fopen", lag: 1}},
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
			policy := condBasedPolicy()
			if tc.spikeSteps > 0 {
				policy.MaxSpikeSteps = tc.spikeSteps
			}
			rep, err := compare.Compare(ref, sim, compare.Options{
				Policy: policy, Map: tc.names, Quantities: quantities,
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
			// subthreshold RMS before the first spike, against the range of
			// the whole reference trace (the policy's denominator)
			end := subthresholdEnd(t, ref, tc.names)
			for _, refName := range quantities {
				r, m := ref.Column(refName), sim.Column(tc.names[refName])
				lo, hi := r[0], r[0]
				for _, x := range r {
					lo, hi = min(lo, x), max(hi, x)
				}
				var sum float64
				n := 0
				for k := 0; k < end; k++ {
					if ref.T[k] < tc.settle {
						continue
					}
					d := m[k] - r[k]
					sum += d * d
					n++
				}
				rms := math.Sqrt(sum/float64(n)) / (hi - lo)
				t.Logf("%s: subthreshold RMS before the first spike (%d rows): %.3g of the range", refName, n, rms)
				if rms > compare.DefaultMaxRMSFrac {
					t.Errorf("%s: subthreshold RMS error %.3g of the range, limit %g", refName, rms, compare.DefaultMaxRMSFrac)
				}
			}
			spikes := 0
			for _, q := range rep.Quantities {
				spikes += q.RefSpikes
			}
			if spikes < tc.minSpikes {
				t.Errorf("only %d reference spikes: the comparison does not test spike timing", spikes)
			}
			for _, dc := range tc.derived {
				dc.check(t, sim, filepath.Join(golden, dc.golden), end, tc.settle)
			}
		})
	}
}

// derivedCheck compares a derived quantity a golden records (a gate's
// time constant, a channel's open fraction, a current density, the
// tissue's temperature) with tvboc's column of it (--record all).
//
// tvboc's row k is the derived value at state k with the inputs and time
// of t_k. jLEMS writes the value it computed during the step that ended
// at t_k, from the state at t_(k-1) (reference README: recorded derived
// variables lag one step), and a variable nested below the cell reads v a
// further step old per level. Neither lag is copied: the comparison pairs
// tvboc's row k with the reference's row k+lag, and says so in the log
// next to the unshifted error.
type derivedCheck struct {
	golden   string // the golden file, under reference/golden
	ref, sim string // the quantity in the golden and in tvboc's output
	lag      int    // reference rows late
	// step marks a piecewise-constant quantity of time alone: every row
	// must equal the reference's within one row (jLEMS sums t step by
	// step, so a change at t = 500 ms can show one row early).
	step bool
}

// check judges the quantity: a step quantity row by row over the whole
// run; any other by the subthreshold bar (RMS error below
// DefaultMaxRMSFrac of the reference's range) over the rows from settle
// (s) to end, where the cell is subthreshold (see subthresholdEnd).
func (dc derivedCheck) check(t *testing.T, sim *compare.Table, goldenFile string, end int, settle float64) {
	t.Helper()
	ref, err := compare.Load(goldenFile, compare.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r, m := ref.Column(dc.ref), sim.Column(dc.sim)
	if r == nil || m == nil {
		t.Fatalf("%s: missing from the golden (%v) or from the simulation (%v)", dc.ref, r == nil, m == nil)
	}
	if len(r) != len(m) {
		t.Fatalf("%s: %d reference rows, %d simulated", dc.ref, len(r), len(m))
	}
	lo, hi := r[0], r[0]
	for _, x := range r {
		lo, hi = min(lo, x), max(hi, x)
	}
	if hi == lo {
		t.Fatalf("%s is constant in the reference: the comparison tests nothing", dc.ref)
	}
	if dc.step {
		// the golden holds 32-bit floats
		same := func(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Abs(b) }
		off := 0
		for k := range m {
			if same(m[k], r[k]) {
				continue
			}
			off++
			if !(k > 0 && same(m[k], r[k-1])) && !(k+1 < len(r) && same(m[k], r[k+1])) {
				t.Errorf("%s at row %d (t = %g s) = %g, reference %g: not the reference's value within one row",
					dc.ref, k, sim.T[k], m[k], r[k])
				return
			}
		}
		t.Logf("%s: every row equals the reference's or, at a change, its neighbour's (%d rows)", dc.ref, off)
		return
	}
	rms := func(lag int) (float64, int) {
		var sum float64
		n := 0
		for k := 0; k+lag < end; k++ {
			if sim.T[k] < settle {
				continue
			}
			d := m[k] - r[k+lag]
			sum += d * d
			n++
		}
		return math.Sqrt(sum/float64(n)) / (hi - lo), n
	}
	got, n := rms(dc.lag)
	if n < 100 {
		t.Fatalf("%s: only %d subthreshold rows to compare", dc.ref, n)
	}
	unshifted, _ := rms(0)
	t.Logf("%s: subthreshold RMS %.3g of the range with the reference %d row(s) later (%d rows); %.3g without the shift",
		dc.ref, got, dc.lag, n, unshifted)
	if got > compare.DefaultMaxRMSFrac {
		t.Errorf("%s: subthreshold RMS error %.3g of the range, limit %g", dc.ref, got, compare.DefaultMaxRMSFrac)
	}
}
