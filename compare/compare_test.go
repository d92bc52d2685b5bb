package compare

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// The synthetic traces live on jLEMS's usual grid.
const (
	dt       = 5e-6
	nSamples = 2000
	vRest    = -0.07 // also the reset value
	vTop     = 0.0   // the last recorded value before a reset
)

var defaultSpikes = []int{300, 700, 1200, 1700}

func timeGrid(n int, step float64) []float64 {
	t := make([]float64, n)
	for k := range t {
		t[k] = float64(k) * step
	}
	return t
}

// spikeTrace is a membrane potential as jLEMS records it: at rest, a
// two-sample upstroke, then the reset at the spike sample (the peak is never
// recorded). Its range is vTop - vRest and each spike is a one-sample drop
// of the whole range.
func spikeTrace(n int, spikes []int) []float64 {
	v := make([]float64, n)
	for k := range v {
		v[k] = vRest
	}
	for _, s := range spikes {
		if s >= 2 {
			v[s-2] = (vRest + vTop) / 2
		}
		if s >= 1 {
			v[s-1] = vTop
		}
	}
	return v
}

func shifted(spikes []int, by int) []int {
	out := make([]int, len(spikes))
	for i, s := range spikes {
		out[i] = s + by
	}
	return out
}

func oneColumn(source, name string, t, v []float64) *Table {
	return &Table{Names: []string{name}, T: t, Cols: [][]float64{v}, Source: source}
}

func mustCompare(t *testing.T, ref, sim *Table, opts Options) *Report {
	t.Helper()
	rep, err := Compare(ref, sim, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func reasons(q QuantityReport) string { return strings.Join(q.Reasons, "; ") }

func TestSpikeOffsets(t *testing.T) {
	tg := timeGrid(nSamples, dt)
	ref := oneColumn("ref", "c[0]/v", tg, spikeTrace(nSamples, defaultSpikes))
	tests := []struct {
		name      string
		simSpikes []int
		pass      bool
		offset    float64 // expected max |offset| in steps
		why       string
	}{
		{"same", defaultSpikes, true, 0, ""},
		{"all late by 1", shifted(defaultSpikes, 1), true, 1, ""},
		{"all late by 2", shifted(defaultSpikes, 2), true, 2, ""},
		{"all late by 3", shifted(defaultSpikes, 3), false, 3, "4 of 4 paired spikes off by more than 2 steps"},
		{"all early by 2", shifted(defaultSpikes, -2), true, 2, ""},
		{"all early by 3", shifted(defaultSpikes, -3), false, 3, "off by -3 steps"},
		{"one late by 3", []int{300, 700, 1203, 1700}, false, 3, "1 of 4 paired spikes off by more than 2 steps; worst: spike 3 (reference t=0.006 s) off by +3 steps"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := oneColumn("sim", "c[0]/v", tg, spikeTrace(nSamples, tt.simSpikes))
			rep := mustCompare(t, ref, sim, Options{})
			q := rep.Quantities[0]
			if q.Pass != tt.pass || rep.Pass != tt.pass {
				t.Errorf("pass %v (report %v), want %v: %s", q.Pass, rep.Pass, tt.pass, reasons(q))
			}
			if !q.Spiking || q.RefSpikes != 4 || q.SimSpikes != 4 {
				t.Errorf("spiking %v, spikes %d/%d, want 4/4", q.Spiking, q.RefSpikes, q.SimSpikes)
			}
			if math.Abs(q.MaxSpikeOffsetSteps-tt.offset) > 1e-9 || math.Abs(q.MaxSpikeOffset-tt.offset*dt) > 1e-15 {
				t.Errorf("max offset %v steps (%v s), want %v", q.MaxSpikeOffsetSteps, q.MaxSpikeOffset, tt.offset)
			}
			// The windows around both traces' spikes cover every sample
			// where the shifted upstrokes differ, so none of this is
			// subthreshold error.
			if q.RMS != 0 {
				t.Errorf("subthreshold RMS %v, want 0 (excluded %d)", q.RMS, q.Excluded)
			}
			if !strings.Contains(reasons(q), tt.why) || (tt.why == "") != tt.pass {
				t.Errorf("reasons %q, want %q", reasons(q), tt.why)
			}
		})
	}
}

func TestSpikeCount(t *testing.T) {
	tg := timeGrid(nSamples, dt)
	ref := oneColumn("ref", "c[0]/v", tg, spikeTrace(nSamples, defaultSpikes))
	tests := []struct {
		name      string
		simSpikes []int
		want      string
	}{
		{"extra spike", []int{300, 700, 1000, 1200, 1700}, "spike count differs: reference 4, simulation 5 (first extra simulation spike near t=0.005 s)"},
		{"missing spike", []int{300, 1200, 1700}, "spike count differs: reference 4, simulation 3 (first reference spike without partner near t=0.0035 s)"},
		{"missing last spike", []int{300, 700, 1200}, "spike count differs: reference 4, simulation 3 (first reference spike without partner at t=0.0085 s)"},
		{"no spikes", nil, "spike count differs: reference 4, simulation 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := oneColumn("sim", "c[0]/v", tg, spikeTrace(nSamples, tt.simSpikes))
			rep := mustCompare(t, ref, sim, Options{})
			q := rep.Quantities[0]
			if q.Pass || rep.Pass {
				t.Fatalf("passed with spikes %d/%d", q.RefSpikes, q.SimSpikes)
			}
			if !strings.Contains(reasons(q), tt.want) {
				t.Errorf("reasons %q, want %q", reasons(q), tt.want)
			}
		})
	}
}

func TestSubthresholdError(t *testing.T) {
	tg := timeGrid(nSamples, dt)
	refV := spikeTrace(nSamples, defaultSpikes)
	ref := oneColumn("ref", "c[0]/v", tg, refV)
	span := vTop - vRest
	rng := rand.New(rand.NewPCG(1, 2))
	noisy := func(amp float64) []float64 { // uniform noise of +-amp of the range
		v := slices.Clone(refV)
		for k := range v {
			v[k] += amp * span * (2*rng.Float64() - 1)
		}
		return v
	}
	offset := func(frac float64) []float64 {
		v := slices.Clone(refV)
		for k := range v {
			v[k] += frac * span
		}
		return v
	}
	tests := []struct {
		name    string
		sim     []float64
		pass    bool
		rmsFrac float64 // expected, to 10%
	}{
		{"noise 1e-4", noisy(1e-4), true, 1e-4 / math.Sqrt(3)},
		{"noise 1e-2", noisy(1e-2), false, 1e-2 / math.Sqrt(3)},
		{"offset 5e-4", offset(5e-4), true, 5e-4},
		{"offset 2e-3", offset(2e-3), false, 2e-3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := mustCompare(t, ref, oneColumn("sim", "c[0]/v", tg, tt.sim), Options{})
			q := rep.Quantities[0]
			if q.Pass != tt.pass {
				t.Errorf("pass %v, want %v: %s", q.Pass, tt.pass, reasons(q))
			}
			if math.Abs(q.RMSFrac-tt.rmsFrac) > 0.1*tt.rmsFrac {
				t.Errorf("RMS/range %v, want about %v", q.RMSFrac, tt.rmsFrac)
			}
			if q.Range != span || q.Scale != span {
				t.Errorf("range %v scale %v, want %v", q.Range, q.Scale, span)
			}
			if wantEx := 4 * 5; q.Excluded != wantEx {
				t.Errorf("excluded %d samples, want %d (4 spikes, +-2 steps)", q.Excluded, wantEx)
			}
			if !tt.pass && !strings.Contains(reasons(q), "subthreshold RMS error") {
				t.Errorf("reasons %q do not name the RMS criterion", reasons(q))
			}
		})
	}
}

// TestFloat32 checks Options.Float32 on a trace as jLEMS prints it: a
// small range (0.1 mV) around -70 mV written as float32. The exact values
// fail the RMS bar on the printing error alone; rounded as the reference
// was they agree exactly, and a real error of 1e-4 of the range still fails.
func TestFloat32(t *testing.T) {
	tg := timeGrid(nSamples, dt)
	exact := make([]float64, nSamples)
	printed := make([]float64, nSamples)
	for k := range exact {
		exact[k] = -0.07 + 0.05e-3*math.Sin(float64(k)/300)
		printed[k] = float64(float32(exact[k]))
	}
	ref := oneColumn("ref", "c[0]/V", tg, printed)
	off := slices.Clone(exact)
	for k := range off {
		off[k] += 1e-4 * 0.1e-3
	}
	p := DefaultPolicy()
	p.MaxRMSFrac = 1e-5
	tests := []struct {
		name    string
		sim     []float64
		float32 bool
		pass    bool
	}{
		{"exact values, float64", exact, false, false},
		{"exact values, float32", exact, true, true},
		{"offset 1e-4 of the range, float32", off, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := mustCompare(t, ref, oneColumn("sim", "c[0]/V", tg, tt.sim), Options{Policy: p, Float32: tt.float32})
			q := rep.Quantities[0]
			if q.Pass != tt.pass {
				t.Errorf("pass %v, want %v (RMS/range %.3g): %s", q.Pass, tt.pass, q.RMSFrac, reasons(q))
			}
			if tt.pass && q.RMSFrac != 0 {
				t.Errorf("RMS/range %v, want 0", q.RMSFrac)
			}
			if tt.float32 != slices.ContainsFunc(rep.Notes, func(n string) bool { return strings.Contains(n, "float32") }) {
				t.Errorf("notes %q: the float32 rounding must be noted exactly when used", rep.Notes)
			}
		})
	}
}

// TestRelativeSpikeTime checks the conductance-based mode: an offset passes
// within 1% of the elapsed time or within the step bound, whichever is
// larger, and only when that mode is chosen.
func TestRelativeSpikeTime(t *testing.T) {
	tg := timeGrid(nSamples, dt)
	rel := DefaultPolicy()
	rel.UseRelTime = true
	tests := []struct {
		name           string
		ref, sim       []int
		policy         Policy
		pass           bool
		reasonContains string
	}{
		{"late spikes, step mode", []int{1000, 1900}, []int{1008, 1915}, DefaultPolicy(), false, "2 of 2 paired spikes"},
		{"late spikes, relative mode", []int{1000, 1900}, []int{1008, 1915}, rel, true, ""},
		{"beyond 1%", []int{1000, 1900}, []int{1008, 1921}, rel, false, "or 0.01 of elapsed time (9.5e-05 s)"},
		{"early spike keeps step bound", []int{100}, []int{102}, rel, true, ""},
		{"early spike beyond step bound", []int{100}, []int{103}, rel, false, "spike 1 (reference t=0.0005 s) off by +3 steps"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref := oneColumn("ref", "c[0]/v", tg, spikeTrace(nSamples, tt.ref))
			sim := oneColumn("sim", "c[0]/v", tg, spikeTrace(nSamples, tt.sim))
			rep := mustCompare(t, ref, sim, Options{Policy: tt.policy})
			q := rep.Quantities[0]
			if q.Pass != tt.pass {
				t.Errorf("pass %v, want %v: %s", q.Pass, tt.pass, reasons(q))
			}
			if !strings.Contains(reasons(q), tt.reasonContains) {
				t.Errorf("reasons %q, want %q", reasons(q), tt.reasonContains)
			}
		})
	}
}

// bumps is a trace that shows its peaks (like a Hodgkin-Huxley cell): smooth
// bumps from -0.065 to +0.03 centred on the given samples.
func bumps(n int, centres []int) []float64 {
	v := make([]float64, n)
	for k := range v {
		v[k] = -0.065
		for _, c := range centres {
			d := float64(k-c) / 15
			v[k] += 0.095 * math.Exp(-d*d)
		}
	}
	return v
}

func TestSpikeThreshold(t *testing.T) {
	tg := timeGrid(nSamples, dt)
	ref := oneColumn("ref", "hh[0]/v", tg, bumps(nSamples, defaultSpikes))
	threshold := DefaultPolicy()
	threshold.UseSpikeThreshold = true
	threshold.SpikeThreshold = 0

	// A smooth trace has no one-sample drops: the default detector sees no
	// spikes on either side.
	rep := mustCompare(t, ref, ref, Options{})
	if q := rep.Quantities[0]; q.RefSpikes != 0 || q.SimSpikes != 0 || !q.Pass {
		t.Errorf("drop detection on bumps: %d/%d spikes, pass %v", q.RefSpikes, q.SimSpikes, q.Pass)
	}

	for _, opts := range []Options{
		{Policy: threshold},
		{PerQuantity: map[string]Policy{"hh[0]/v": threshold}},
	} {
		rep := mustCompare(t, ref, ref, opts)
		if q := rep.Quantities[0]; q.RefSpikes != 4 || q.SimSpikes != 4 || !q.Pass {
			t.Errorf("threshold detection: %d/%d spikes, pass %v: %s", q.RefSpikes, q.SimSpikes, q.Pass, reasons(q))
		}
		sim := oneColumn("sim", "hh[0]/v", tg, bumps(nSamples, defaultSpikes[:3]))
		rep = mustCompare(t, ref, sim, opts)
		if q := rep.Quantities[0]; q.SimSpikes != 3 || q.Pass || !strings.Contains(reasons(q), "spike count differs: reference 4, simulation 3") {
			t.Errorf("missing bump: %d/%d spikes, pass %v: %s", q.RefSpikes, q.SimSpikes, q.Pass, reasons(q))
		}
	}

	// A global threshold applies to spiking quantities only; a gating
	// variable recorded alongside stays a plain trace.
	gate := &Table{Names: []string{"hh[0]/v", "hh[0]/m"}, T: tg, Cols: [][]float64{ref.Cols[0], bumps(nSamples, defaultSpikes)}, Source: "ref"}
	if q := mustCompare(t, gate, gate, Options{Policy: threshold}).Quantities[1]; q.Spiking {
		t.Error("global spike threshold made a non-spiking quantity spiking")
	}

	// A quantity not named like a membrane potential is checked for spikes
	// only when marked.
	other := oneColumn("ref", "probe", tg, spikeTrace(nSamples, defaultSpikes))
	if q := mustCompare(t, other, other, Options{}).Quantities[0]; q.Spiking {
		t.Error("unmarked quantity treated as spiking")
	}
	if q := mustCompare(t, other, other, Options{SpikeQuantities: []string{"probe"}}).Quantities[0]; !q.Spiking || q.RefSpikes != 4 {
		t.Errorf("marked quantity: spiking %v, %d spikes", q.Spiking, q.RefSpikes)
	}
}

// TestBorrowedWindows checks that a cell's recovery variable, which jumps at
// each reset, is not failed for the spike jitter its membrane potential is
// allowed, and that only the same cell's spikes count.
func TestBorrowedWindows(t *testing.T) {
	tg := timeGrid(nSamples, dt)
	staircase := func(spikes []int) []float64 { // U += 1 at every reset
		u := make([]float64, nSamples)
		for k := range u {
			for _, s := range spikes {
				if k >= s {
					u[k]++
				}
			}
		}
		return u
	}
	late := shifted(defaultSpikes, 2)
	tests := []struct {
		uName       string
		pass        bool
		windowsFrom []string
	}{
		{"c[0]/U", true, []string{"c[0]/v"}},
		{"d[0]/U", false, nil}, // another cell: no windows to borrow
	}
	for _, tt := range tests {
		t.Run(tt.uName, func(t *testing.T) {
			names := []string{"c[0]/v", tt.uName}
			ref := &Table{Names: names, T: tg, Cols: [][]float64{spikeTrace(nSamples, defaultSpikes), staircase(defaultSpikes)}, Source: "ref"}
			sim := &Table{Names: names, T: tg, Cols: [][]float64{spikeTrace(nSamples, late), staircase(late)}, Source: "sim"}
			rep := mustCompare(t, ref, sim, Options{})
			v, u := rep.Quantities[0], rep.Quantities[1]
			if !v.Pass {
				t.Errorf("v failed: %s", reasons(v))
			}
			if u.Pass != tt.pass || u.Spiking {
				t.Errorf("U pass %v spiking %v, want pass %v: %s", u.Pass, u.Spiking, tt.pass, reasons(u))
			}
			if !slices.Equal(u.WindowsFrom, tt.windowsFrom) {
				t.Errorf("windows from %q, want %q", u.WindowsFrom, tt.windowsFrom)
			}
		})
	}
}

func TestResampling(t *testing.T) {
	sine := func(ts []float64) []float64 {
		v := make([]float64, len(ts))
		for k, x := range ts {
			v[k] = math.Sin(2 * math.Pi * 50 * x)
		}
		return v
	}
	refT := timeGrid(nSamples, dt)
	ref := oneColumn("ref", "x", refT, sine(refT))

	t.Run("sum-of-steps time is the same grid", func(t *testing.T) {
		summed := make([]float64, nSamples)
		for k := 1; k < nSamples; k++ {
			summed[k] = summed[k-1] + dt
		}
		rep := mustCompare(t, ref, oneColumn("sim", "x", summed, sine(refT)), Options{})
		if rep.Resampled || rep.Samples != nSamples || len(rep.Notes) != 0 {
			t.Errorf("resampled %v samples %d notes %q", rep.Resampled, rep.Samples, rep.Notes)
		}
	})

	t.Run("finer offset grid", func(t *testing.T) {
		simT := timeGrid(3000, 0.7*dt)
		rep := mustCompare(t, ref, oneColumn("sim", "x", simT, sine(simT)), Options{})
		q := rep.Quantities[0]
		if !rep.Resampled || rep.Interpolated == 0 || !q.Pass || q.RMSFrac > 1e-5 || q.Corr < 0.999999 {
			t.Errorf("resampled %v interpolated %d pass %v rms %v corr %v", rep.Resampled, rep.Interpolated, q.Pass, q.RMSFrac, q.Corr)
		}
		// 3000 samples of 0.7 dt reach t=2099.3 dt, past the reference's
		// last row at 1999 dt: every reference row is compared.
		if rep.Samples != nSamples || rep.Start != 0 || rep.End != refT[nSamples-1] {
			t.Errorf("samples %d span %v..%v", rep.Samples, rep.Start, rep.End)
		}
		if len(rep.Notes) == 0 || !strings.Contains(rep.Notes[0], "linearly interpolated onto the reference grid") {
			t.Errorf("notes %q do not say the simulation was resampled", rep.Notes)
		}
	})

	t.Run("shorter simulation", func(t *testing.T) {
		simT := refT[500:1500]
		rep := mustCompare(t, ref, oneColumn("sim", "x", simT, sine(simT)), Options{})
		if !rep.Resampled || rep.Interpolated != 0 || rep.Samples != 1000 || rep.Start != refT[500] || !rep.Pass {
			t.Errorf("resampled %v interpolated %d samples %d start %v pass %v", rep.Resampled, rep.Interpolated, rep.Samples, rep.Start, rep.Pass)
		}
		if !strings.Contains(strings.Join(rep.Notes, "\n"), "500 before, 500 after") {
			t.Errorf("notes %q do not count the rows left out", rep.Notes)
		}
	})

	t.Run("spikes on a finer grid", func(t *testing.T) {
		refV := spikeTrace(nSamples, defaultSpikes)
		simT := timeGrid(2*nSamples-1, dt/2)
		simV := make([]float64, len(simT)) // the same spikes at twice the sample rate
		for i := range simV {
			simV[i] = vRest
		}
		for _, s := range defaultSpikes {
			simV[2*s-1] = vTop
			simV[2*s-2] = vTop
			simV[2*s-3] = (vRest + vTop) / 2
			simV[2*s-4] = (vRest + vTop) / 2
		}
		rep := mustCompare(t, oneColumn("ref", "c[0]/v", refT, refV), oneColumn("sim", "c[0]/v", simT, simV), Options{})
		q := rep.Quantities[0]
		if !rep.Resampled || q.SimSpikes != 4 || q.MaxSpikeOffset != 0 || !q.Pass {
			t.Errorf("resampled %v spikes %d/%d offset %v pass %v: %s", rep.Resampled, q.RefSpikes, q.SimSpikes, q.MaxSpikeOffset, q.Pass, reasons(q))
		}
	})

	t.Run("no overlap", func(t *testing.T) {
		simT := timeGrid(10, dt)
		for k := range simT {
			simT[k] += 1
		}
		_, err := Compare(ref, oneColumn("sim", "x", simT, sine(simT)), Options{})
		if err == nil || !strings.Contains(err.Error(), "barely overlap") {
			t.Errorf("error %v, want one about the overlap", err)
		}
	})
}

func TestNameMatching(t *testing.T) {
	tg := timeGrid(100, dt)
	col := func(c float64) []float64 {
		v := make([]float64, len(tg))
		for k := range v {
			v[k] = c + float64(k)
		}
		return v
	}
	mk := func(names ...string) *Table {
		tab := &Table{Names: names, T: tg, Source: "t"}
		for i := range names {
			tab.Cols = append(tab.Cols, col(float64(i)))
		}
		return tab
	}
	tests := []struct {
		name         string
		ref, sim     *Table
		opts         Options
		compared     []string
		missSim      []string
		missRef      []string
		pass, errMsg bool
	}{
		{name: "same names", ref: mk("a", "b"), sim: mk("a", "b"), compared: []string{"a", "b"}, pass: true},
		{name: "mapped", ref: mk("izBurst_pop[0]/v"), sim: mk("izpopBurst[0]/v"),
			opts: Options{Map: map[string]string{"izBurst_pop[0]/v": "izpopBurst[0]/v"}}, compared: []string{"izBurst_pop[0]/v"}, pass: true},
		{name: "missing in simulation", ref: mk("a", "b"), sim: mk("a"), compared: []string{"a"}, missSim: []string{"b"}, errMsg: true},
		{name: "missing in simulation allowed", ref: mk("a", "b"), sim: mk("a"),
			opts: Options{AllowMissing: true}, compared: []string{"a"}, missSim: []string{"b"}, pass: true},
		{name: "extra in simulation", ref: mk("a"), sim: mk("a", "z"), compared: []string{"a"}, missRef: []string{"z"}, errMsg: true},
		{name: "subset ignores extras", ref: mk("a", "b"), sim: mk("a", "b", "z"),
			opts: Options{Quantities: []string{"b"}}, compared: []string{"b"}, pass: true},
		{name: "requested but absent", ref: mk("a"), sim: mk("a"),
			opts: Options{Quantities: []string{"a", "q"}}, compared: []string{"a"}, missRef: []string{"q"}, errMsg: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Compare(tt.ref, tt.sim, tt.opts)
			var me *MissingError
			if tt.errMsg != errors.As(err, &me) {
				t.Fatalf("error %v, want a MissingError: %v", err, tt.errMsg)
			}
			if err != nil && me == nil {
				t.Fatal(err)
			}
			if rep == nil {
				t.Fatal("no report")
			}
			var compared []string
			for _, q := range rep.Quantities {
				compared = append(compared, q.Name)
			}
			if !slices.Equal(compared, tt.compared) || !slices.Equal(rep.MissingInSim, tt.missSim) || !slices.Equal(rep.MissingInRef, tt.missRef) {
				t.Errorf("compared %q missing in sim %q in ref %q, want %q %q %q",
					compared, rep.MissingInSim, rep.MissingInRef, tt.compared, tt.missSim, tt.missRef)
			}
			if rep.Pass != tt.pass {
				t.Errorf("pass %v, want %v", rep.Pass, tt.pass)
			}
			if me != nil && (!slices.Equal(me.InSimulation, tt.missSim) || !slices.Equal(me.InReference, tt.missRef)) {
				t.Errorf("MissingError %v", me)
			}
		})
	}

	t.Run("mapped name reported", func(t *testing.T) {
		rep := mustCompare(t, mk("a"), mk("b"), Options{Map: map[string]string{"a": "b"}})
		if q := rep.Quantities[0]; q.SimName != "b" || !q.Pass {
			t.Errorf("sim name %q pass %v", q.SimName, q.Pass)
		}
	})
	t.Run("nothing in common", func(t *testing.T) {
		_, err := Compare(mk("a"), mk("b"), Options{})
		if err == nil || !strings.Contains(err.Error(), "no quantity in common") {
			t.Errorf("error %v", err)
		}
	})
}

func TestPolicyAndInputErrors(t *testing.T) {
	tg := timeGrid(10, dt)
	good := oneColumn("ref", "x", tg, timeGrid(10, 1))
	nan := oneColumn("sim", "x", tg, timeGrid(10, 1))
	nan.Cols[0][3] = math.NaN()
	bad := func(change func(*Policy)) Policy {
		p := DefaultPolicy()
		change(&p)
		return p
	}
	tests := []struct {
		name     string
		ref, sim *Table
		opts     Options
		want     string
	}{
		{"drop fraction 0", good, good, Options{Policy: bad(func(p *Policy) { p.SpikeDropFraction = 0 })}, "SpikeDropFraction 0"},
		{"partial policy", good, good, Options{Policy: Policy{UseRelTime: true}}, "start from DefaultPolicy()"},
		{"negative steps", good, good, Options{Policy: bad(func(p *Policy) { p.MaxSpikeSteps = -1 })}, "MaxSpikeSteps -1"},
		{"NaN rms", good, good, Options{Policy: bad(func(p *Policy) { p.MaxRMSFrac = math.NaN() })}, "MaxRMSFrac is NaN"},
		{"rel mode without bound", good, good, Options{Policy: bad(func(p *Policy) { p.UseRelTime, p.MaxSpikeRelTime = true, 0 })}, "MaxSpikeRelTime is 0"},
		{"negative window", good, good, Options{Policy: bad(func(p *Policy) { p.SpikeWindowSteps = -1 })}, "SpikeWindowSteps -1"},
		{"bad per-quantity", good, good, Options{PerQuantity: map[string]Policy{"x": {}}}, `PerQuantity "x"`},
		{"NaN in simulation", good, nan, Options{}, `simulation: sim: row 4: column 2 "x": value is NaN`},
		{"NaN in reference", nan, good, Options{}, "reference: sim: row 4"},
		{"single-row reference", oneColumn("ref", "x", tg[:1], []float64{1}), good, Options{}, "single row"},
		{"nil table", nil, good, Options{}, "nil table"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Compare(tt.ref, tt.sim, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
			if rep != nil {
				t.Error("report returned with a fatal error")
			}
		})
	}

	rep := mustCompare(t, good, good, Options{PerQuantity: map[string]Policy{"typo": DefaultPolicy()}})
	if rep.Policy != DefaultPolicy() {
		t.Errorf("zero policy became %+v, want the default", rep.Policy)
	}
	if !strings.Contains(strings.Join(rep.Notes, "\n"), `PerQuantity policy for "typo" unused`) {
		t.Errorf("notes %q do not flag the unused per-quantity policy", rep.Notes)
	}
}

func TestCorrelation(t *testing.T) {
	tg := timeGrid(50, dt)
	ramp := timeGrid(50, 1)
	neg := make([]float64, 50)
	for k := range neg {
		neg[k] = -ramp[k]
	}
	flat := make([]float64, 50)
	tests := []struct {
		name     string
		ref, sim []float64
		want     float64
	}{
		{"identical", ramp, ramp, 1},
		{"negated", ramp, neg, -1},
		{"both constant, equal", flat, flat, 1},
		{"reference constant", flat, ramp, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := mustCompare(t, oneColumn("ref", "x", tg, tt.ref), oneColumn("sim", "x", tg, tt.sim), Options{})
			if got := rep.Quantities[0].Corr; math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("corr %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDetectors(t *testing.T) {
	v := []float64{0, 1, 2, 0, 0.5, 0.4, 3, -1}
	tests := []struct {
		name string
		got  []int
		want []int
	}{
		{"drops over 1", DetectDrops(v, 1), []int{3, 7}},
		{"drops over 0", DetectDrops(v, 0), []int{3, 5, 7}},
		{"drops over 5", DetectDrops(v, 5), nil},
		{"crossings of 1", DetectCrossings(v, 1), []int{1, 6}},
		{"crossings of 0.45", DetectCrossings(v, 0.45), []int{1, 4, 6}},
		{"crossings of 10", DetectCrossings(v, 10), nil},
		{"too short", DetectDrops(v[:1], 0), nil},
	}
	for _, tt := range tests {
		if !slices.Equal(tt.got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	for name, want := range map[string]bool{"p[0]/v": true, "p[0]/V": true, "p[0]/U": false, "v": false, "p[0]/vs": false} {
		if got := IsMembranePotential(name); got != want {
			t.Errorf("IsMembranePotential(%q) = %v", name, got)
		}
	}
}

// TestNonSpikingFlatTraces checks the range fallback: a constant reference
// is normalised by its magnitude, so a relative error is still meaningful.
func TestNonSpikingFlatTraces(t *testing.T) {
	tg := timeGrid(20, dt)
	c := func(x float64) []float64 {
		v := make([]float64, 20)
		for k := range v {
			v[k] = x
		}
		return v
	}
	tests := []struct {
		ref, sim   float64
		scale, rms float64
	}{
		{-14, -14.007, 14, 0.0005},
		{0, 0.0005, 1, 0.0005},
	}
	for _, tt := range tests {
		rep := mustCompare(t, oneColumn("ref", "u", tg, c(tt.ref)), oneColumn("sim", "u", tg, c(tt.sim)), Options{})
		q := rep.Quantities[0]
		if q.Range != 0 || q.Scale != tt.scale || math.Abs(q.RMSFrac-tt.rms) > 1e-9 || !q.Pass {
			t.Errorf("ref %v sim %v: range %v scale %v rms/scale %v pass %v", tt.ref, tt.sim, q.Range, q.Scale, q.RMSFrac, q.Pass)
		}
	}
}

func ExampleCompare() {
	tg := timeGrid(nSamples, dt)
	ref := &Table{Names: []string{"cell[0]/v"}, T: tg, Cols: [][]float64{spikeTrace(nSamples, defaultSpikes)}, Source: "ref.csv"}
	sim := &Table{Names: []string{"cell[0]/v"}, T: tg, Cols: [][]float64{spikeTrace(nSamples, shifted(defaultSpikes, 1))}, Source: "sim.csv"}
	rep, err := Compare(ref, sim, Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Summary())
	// Output: PASS: 1 quantity passed
}

// TestSpanBeyondFloat64: a reference whose range overflows (values near
// ±1e308) makes every relative error NaN, which passed any limit: two
// unrelated traces were judged equal. They fail, saying why; equal ones
// still pass.
func TestSpanBeyondFloat64(t *testing.T) {
	tg := timeGrid(4, 1)
	ref := oneColumn("ref", "x", tg, []float64{1e308, -1e308, 1e308, -1e308})
	for _, tc := range []struct {
		name string
		sim  []float64
		pass bool
	}{
		{"unrelated", []float64{-1e308, 1e308, -1e308, 1e308}, false},
		{"off by one value", []float64{1e308, -1e308, 1e308, 0}, false},
		{"equal", []float64{1e308, -1e308, 1e308, -1e308}, true},
	} {
		rep, err := Compare(ref, oneColumn("sim", "x", tg, tc.sim), Options{Policy: DefaultPolicy()})
		if err != nil {
			t.Fatal(err)
		}
		q := rep.Quantities[0]
		if q.Pass != tc.pass || rep.Pass != tc.pass {
			t.Errorf("%s: pass %v, want %v (%s)", tc.name, q.Pass, tc.pass, reasons(q))
		}
		if !tc.pass && !strings.Contains(reasons(q), "errors cannot be measured: the reference runs from -1e+308 to 1e+308") {
			t.Errorf("%s: reasons %q", tc.name, reasons(q))
		}
	}
}
