package compare

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// Options selects what [Compare] compares and how.
type Options struct {
	// Policy is the acceptance bar for every quantity. The zero value means
	// DefaultPolicy(); a non-zero policy is used exactly as given, so start
	// from DefaultPolicy() and change what you need.
	Policy Policy
	// PerQuantity overrides Policy for single quantities, keyed by
	// reference name (e.g. spike threshold detection for one HH cell).
	// Entries for quantities that are not compared are noted in the report.
	PerQuantity map[string]Policy
	// Map gives the simulation's name for a reference quantity whose names
	// differ; unlisted quantities are matched by identical name.
	Map map[string]string
	// Quantities restricts the comparison to these reference quantities,
	// in this order; the simulation's other quantities are then ignored.
	// Empty: every quantity of the reference, in its order, and every
	// simulation quantity must have a reference counterpart.
	Quantities []string
	// AllowMissing accepts quantities that exist on one side only: they
	// are listed in the report but do not fail it.
	AllowMissing bool
	// SpikeQuantities marks further reference quantities as spiking, in
	// addition to names ending in /v or /V (and quantities whose
	// PerQuantity policy sets UseSpikeThreshold).
	SpikeQuantities []string
	// Float32 judges values at the precision the reference printed them:
	// jLEMS writes every value as a float32, so both sides are rounded to
	// float32 before errors are measured. Without it a trace whose range is
	// a small part of its size carries the printing error (NeuroML Ex27's
	// 0.27 mV around -70 mV: 8e-6 of its range); spikes are detected as
	// without it.
	Float32 bool
}

// MissingError is returned, together with the full report, when quantities
// exist on one side only and Options.AllowMissing is not set.
type MissingError struct {
	// InSimulation are reference quantities the simulation lacks.
	InSimulation []string
	// InReference are quantities the reference lacks: requested ones that
	// do not exist in it, or simulation quantities it has no match for.
	InReference []string
}

func (e *MissingError) Error() string {
	var parts []string
	if len(e.InSimulation) > 0 {
		parts = append(parts, fmt.Sprintf("missing in simulation: %s", strings.Join(e.InSimulation, ", ")))
	}
	if len(e.InReference) > 0 {
		parts = append(parts, fmt.Sprintf("missing in reference: %s", strings.Join(e.InReference, ", ")))
	}
	return "compare: " + strings.Join(parts, "; ") + " (--allow-missing accepts a partial match)"
}

// sameTimeRel is how close two times must be, relative to their size (or to
// the grid step near zero), to count as the same time. Result files print
// time in full precision and jLEMS prints k*dt exactly enough, so real
// grids agree far below it, while a different dt or offset exceeds it.
const sameTimeRel = 1e-9

// Compare judges a simulation's results against the reference's and returns
// the report. It compares the reference quantities (or opts.Quantities),
// each against the simulation quantity of the same name (or opts.Map's).
//
// An error means nothing could be judged: an invalid table or policy, time
// ranges that do not overlap, no quantity in common. Quantities present on
// one side only fail the report and, unless opts.AllowMissing is set, also
// yield a [*MissingError] returned with the complete report, so a caller
// can still print what was compared.
func Compare(ref, sim *Table, opts Options) (*Report, error) {
	policy := opts.Policy
	if policy.isZero() {
		policy = DefaultPolicy()
	}
	if err := policy.Validate(); err != nil {
		return nil, err
	}
	for name, p := range opts.PerQuantity {
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("%w (PerQuantity %q)", err, name)
		}
	}
	if err := ref.Validate(); err != nil {
		return nil, fmt.Errorf("reference: %w", err)
	}
	if err := sim.Validate(); err != nil {
		return nil, fmt.Errorf("simulation: %w", err)
	}

	pairs, missSim, missRef := matchQuantities(ref, sim, opts)
	if len(pairs) == 0 {
		return nil, fmt.Errorf("compare: no quantity in common between %s (%s) and %s (%s)",
			ref.Source, listNames(ref.Names), sim.Source, listNames(sim.Names))
	}
	g, err := alignGrids(ref.T, sim.T)
	if err != nil {
		return nil, fmt.Errorf("compare: %s vs %s: %w", ref.Source, sim.Source, err)
	}

	rep := &Report{
		Reference:    ref.Source,
		Simulation:   sim.Source,
		Policy:       policy,
		RefRows:      ref.Len(),
		SimRows:      sim.Len(),
		Samples:      g.hi - g.lo + 1,
		RefStep:      g.step,
		Start:        ref.T[g.lo],
		End:          ref.T[g.hi],
		Resampled:    !g.identical,
		Interpolated: g.interpolated,
		MissingInSim: missSim,
		MissingInRef: missRef,
		AllowMissing: opts.AllowMissing,
	}
	if !g.identical {
		rep.Notes = append(rep.Notes, fmt.Sprintf(
			"time grids differ: simulation (%d rows, t %s..%s) linearly interpolated onto the reference grid over %s..%s; %d of %d reference times fell between simulation samples",
			sim.Len(), fmtG(sim.T[0]), fmtG(sim.T[sim.Len()-1]), fmtG(rep.Start), fmtG(rep.End), g.interpolated, rep.Samples))
	}
	if opts.Float32 {
		rep.Notes = append(rep.Notes, "values rounded to float32 on both sides before measuring errors (the reference's printed precision)")
	}
	if g.lo > 0 || g.hi < ref.Len()-1 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("reference rows outside the simulation's time range are not compared: %d before, %d after",
			g.lo, ref.Len()-1-g.hi))
	}
	var unused []string
	for name := range opts.PerQuantity {
		if !slices.ContainsFunc(pairs, func(p quantityPair) bool { return p.ref == name }) {
			unused = append(unused, name)
		}
	}
	slices.Sort(unused) // map order must not leak into the report
	for _, name := range unused {
		rep.Notes = append(rep.Notes, fmt.Sprintf("PerQuantity policy for %q unused: no such quantity compared", name))
	}

	traces := make([]*trace, len(pairs))
	for i, p := range pairs {
		qp := policy
		if over, ok := opts.PerQuantity[p.ref]; ok {
			qp = over
		}
		traces[i] = newTrace(p, qp, ref, sim, g, opts)
	}
	for _, tr := range traces {
		tr.judge(traces, g)
		rep.Quantities = append(rep.Quantities, tr.q)
	}

	rep.Pass = true
	for _, q := range rep.Quantities {
		if !q.Pass {
			rep.Pass = false
			rep.Failed++
		}
	}
	missing := len(missSim) + len(missRef)
	if missing > 0 && !opts.AllowMissing {
		rep.Pass = false
		return rep, &MissingError{InSimulation: missSim, InReference: missRef}
	}
	return rep, nil
}

// quantityPair is one reference quantity and the simulation quantity it is
// compared with.
type quantityPair struct {
	ref, sim       string
	refCol, simCol []float64
}

// matchQuantities pairs quantities by name (through opts.Map) and lists
// those found on one side only.
func matchQuantities(ref, sim *Table, opts Options) (pairs []quantityPair, missSim, missRef []string) {
	simName := func(refName string) string {
		if s, ok := opts.Map[refName]; ok {
			return s
		}
		return refName
	}
	wanted := opts.Quantities
	if len(wanted) == 0 {
		wanted = ref.Names
	}
	usedSim := make(map[string]bool)
	for _, name := range wanted {
		refCol := ref.Column(name)
		if refCol == nil {
			missRef = append(missRef, name)
			continue
		}
		sn := simName(name)
		usedSim[sn] = true
		simCol := sim.Column(sn)
		if simCol == nil {
			missSim = append(missSim, name)
			continue
		}
		pairs = append(pairs, quantityPair{ref: name, sim: sn, refCol: refCol, simCol: simCol})
	}
	if len(opts.Quantities) == 0 {
		// Comparing "everything" means the simulation must not have
		// quantities the reference cannot vouch for.
		for _, name := range sim.Names {
			if !usedSim[name] {
				missRef = append(missRef, name)
			}
		}
	}
	return pairs, missSim, missRef
}

// listNames shortens a name list for error messages.
func listNames(names []string) string {
	const show = 6
	if len(names) <= show {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s, ... %d more", strings.Join(names[:show], ", "), len(names)-show)
}

// gridMatch says which reference rows are compared and how the simulation
// is read at their times.
type gridMatch struct {
	lo, hi       int     // reference rows compared, inclusive
	step         float64 // mean step of the reference grid
	identical    bool    // same grid: simulation row k is reference row k
	interpolated int     // reference times that fell strictly between simulation samples
	// For the resampled case: the simulation at reference row lo+i is
	// sim[at[i]] + frac[i]*(sim[at[i]+1]-sim[at[i]]), frac 0 on exact hits.
	at   []int
	frac []float64
	refT []float64
	simT []float64
}

// alignGrids decides between row-by-row comparison and resampling.
func alignGrids(refT, simT []float64) (*gridMatch, error) {
	nr, ns := len(refT), len(simT)
	if nr < 2 {
		return nil, errors.New("the reference has a single row: no time grid to compare on")
	}
	g := &gridMatch{step: (refT[nr-1] - refT[0]) / float64(nr-1), refT: refT, simT: simT}
	tol := func(a, b float64) float64 {
		return sameTimeRel * max(math.Abs(a), math.Abs(b), g.step)
	}
	if nr == ns {
		g.identical = true
		for k := range refT {
			if math.Abs(refT[k]-simT[k]) > tol(refT[k], simT[k]) {
				g.identical = false
				break
			}
		}
		if g.identical {
			g.lo, g.hi = 0, nr-1
			return g, nil
		}
	}

	start, end := max(refT[0], simT[0]), min(refT[nr-1], simT[ns-1])
	g.lo = sort.Search(nr, func(k int) bool { return refT[k] >= start-tol(refT[k], start) })
	g.hi = sort.Search(nr, func(k int) bool { return refT[k] > end+tol(refT[k], end) }) - 1
	if g.hi-g.lo+1 < 2 {
		return nil, fmt.Errorf("time ranges barely overlap: reference %s..%s, simulation %s..%s leave %d common reference sample(s), need 2",
			fmtG(refT[0]), fmtG(refT[nr-1]), fmtG(simT[0]), fmtG(simT[ns-1]), max(g.hi-g.lo+1, 0))
	}
	j := 0
	for k := g.lo; k <= g.hi; k++ {
		t := refT[k]
		for j+1 < ns && simT[j+1] <= t {
			j++
		}
		frac := 0.0
		switch {
		case math.Abs(t-simT[j]) <= tol(t, simT[j]):
		case j+1 < ns && math.Abs(simT[j+1]-t) <= tol(t, simT[j+1]):
			j++
		case j+1 < ns:
			frac = (t - simT[j]) / (simT[j+1] - simT[j])
			g.interpolated++
		}
		g.at = append(g.at, j)
		g.frac = append(g.frac, frac)
	}
	return g, nil
}

// simOnRef returns the simulation column at the compared reference times.
func (g *gridMatch) simOnRef(col []float64) []float64 {
	if g.identical {
		return col[g.lo : g.hi+1]
	}
	out := make([]float64, len(g.at))
	for i, j := range g.at {
		out[i] = col[j]
		if f := g.frac[i]; f != 0 {
			out[i] += f * (col[j+1] - col[j])
		}
	}
	return out
}

// nearestRow returns the compared-sample index (0 = reference row lo)
// nearest to time t.
func (g *gridMatch) nearestRow(t float64) int {
	ts := g.refT[g.lo : g.hi+1]
	i := sort.SearchFloat64s(ts, t)
	if i > 0 && (i == len(ts) || t-ts[i-1] <= ts[i]-t) {
		i--
	}
	return i
}

// trace holds one quantity pair on the common grid while it is judged.
type trace struct {
	q       QuantityReport
	policy  Policy
	refV    []float64 // reference at the compared rows
	simV    []float64 // simulation at the same times
	scale   float64   // normalisation: the range, or a fallback if 0
	refRows []int     // compared-sample indices of reference spikes
	simRows []int     // compared-sample indices of simulation spikes (nearest)
	refTime []float64 // reference spike times
	simTime []float64 // simulation spike times, on its own grid
}

// asFloat32 returns a copy of xs rounded to float32 (Options.Float32).
func asFloat32(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(float32(x))
	}
	return out
}

// newTrace puts a pair on the common grid and, for spiking quantities,
// detects spikes: the reference on its compared rows, the simulation on
// its own rows (resampling would smear a one-sample drop over two samples)
// within the compared time span.
func newTrace(p quantityPair, policy Policy, ref, sim *Table, g *gridMatch, opts Options) *trace {
	tr := &trace{policy: policy, refV: p.refCol[g.lo : g.hi+1], simV: g.simOnRef(p.simCol)}
	if opts.Float32 {
		tr.refV, tr.simV = asFloat32(tr.refV), asFloat32(tr.simV)
	}
	tr.q = QuantityReport{Name: p.ref, Samples: len(tr.refV)}
	if p.sim != p.ref {
		tr.q.SimName = p.sim
	}
	lo, hi := minMax(tr.refV)
	tr.q.Range = hi - lo
	tr.scale = tr.q.Range
	if tr.scale == 0 {
		tr.scale = max(math.Abs(lo), math.Abs(hi))
	}
	if tr.scale == 0 {
		tr.scale = 1
	}
	tr.q.Scale = tr.scale

	// A threshold in the global policy applies to the spiking quantities
	// only; one given for a single quantity marks that quantity spiking.
	own, hasOwn := opts.PerQuantity[p.ref]
	tr.q.Spiking = IsMembranePotential(p.ref) || slices.Contains(opts.SpikeQuantities, p.ref) ||
		(hasOwn && own.UseSpikeThreshold)
	if !tr.q.Spiking {
		return tr
	}
	detect := func(v []float64) []int {
		if policy.UseSpikeThreshold {
			return DetectCrossings(v, policy.SpikeThreshold)
		}
		// One absolute drop size for both traces, taken from the reference,
		// so both are judged by the same yardstick.
		return DetectDrops(v, policy.SpikeDropFraction*tr.scale)
	}
	tr.refRows = detect(tr.refV)
	for _, i := range tr.refRows {
		tr.refTime = append(tr.refTime, ref.T[g.lo+i])
	}
	start, end := ref.T[g.lo], ref.T[g.hi]
	slack := sameTimeRel * max(math.Abs(start), math.Abs(end), g.step)
	for _, k := range detect(p.simCol) {
		// The whole event (the sample before and the spike sample) must lie
		// in the compared span, as it does for the reference.
		if sim.T[k-1] < start-slack || sim.T[k] > end+slack {
			continue
		}
		tr.simTime = append(tr.simTime, sim.T[k])
		tr.simRows = append(tr.simRows, g.nearestRow(sim.T[k]))
	}
	tr.q.RefSpikes, tr.q.SimSpikes = len(tr.refRows), len(tr.simRows)
	return tr
}

// judge fills in the errors and the verdict. all holds every trace, so
// that a cell's other quantities can borrow its spike windows.
func (tr *trace) judge(all []*trace, g *gridMatch) {
	q, p := &tr.q, tr.policy
	if q.Spiking {
		tr.judgeSpikes(g)
	}

	// Subthreshold samples: not within the window of any spike of either
	// trace, of this quantity or, for a non-spiking quantity, of the
	// spiking quantities of the same cell (a late reset also moves the
	// cell's recovery variable and currents).
	excluded := make([]bool, len(tr.refV))
	mark := func(rows []int) {
		for _, i := range rows {
			for k := max(0, i-p.SpikeWindowSteps); k <= min(len(excluded)-1, i+p.SpikeWindowSteps); k++ {
				excluded[k] = true
			}
		}
	}
	if q.Spiking {
		mark(tr.refRows)
		mark(tr.simRows)
	} else {
		for _, other := range all {
			if other.q.Spiking && strings.HasPrefix(q.Name, cellPrefix(other.q.Name)+"/") {
				mark(other.refRows)
				mark(other.simRows)
				q.WindowsFrom = append(q.WindowsFrom, other.q.Name)
			}
		}
	}

	var sumSq float64
	for i, r := range tr.refV {
		if excluded[i] {
			q.Excluded++
			continue
		}
		d := math.Abs(tr.simV[i] - r)
		sumSq += d * d
		if d > q.MaxAbs {
			q.MaxAbs = d
			q.MaxAbsTime = g.refT[g.lo+i]
		}
	}
	judged := len(tr.refV) - q.Excluded
	if judged > 0 {
		q.RMS = math.Sqrt(sumSq / float64(judged))
	}
	q.RMSFrac = q.RMS / tr.scale
	q.MaxAbsFrac = q.MaxAbs / tr.scale
	q.Corr = tr.correlation()

	switch {
	case judged == 0:
		q.Reasons = append(q.Reasons, "no subthreshold sample left to judge: every sample lies within a spike window")
	case (math.IsInf(tr.scale, 0) || math.IsNaN(q.RMSFrac)) && q.MaxAbs != 0:
		// a range of Inf made every fraction NaN, and NaN > limit is
		// false: two unrelated traces passed (equal ones still do)
		lo, hi := minMax(tr.refV)
		q.Reasons = append(q.Reasons, fmt.Sprintf("errors cannot be measured: the reference runs from %s to %s, a span wider than a float64 holds",
			fmtG(lo), fmtG(hi)))
	case q.RMSFrac > p.MaxRMSFrac:
		q.Reasons = append(q.Reasons, fmt.Sprintf("subthreshold RMS error %s of the range, limit %s (worst |error| %s at t=%s)",
			fmtG(q.RMSFrac), fmtG(p.MaxRMSFrac), fmtG(q.MaxAbs), fmtG(q.MaxAbsTime)))
	}
	q.Pass = len(q.Reasons) == 0
}

// judgeSpikes compares spike counts and the offsets of spikes paired in
// order.
func (tr *trace) judgeSpikes(g *gridMatch) {
	q, p := &tr.q, tr.policy
	if q.RefSpikes != q.SimSpikes {
		q.Reasons = append(q.Reasons, fmt.Sprintf("spike count differs: reference %d, simulation %d%s",
			q.RefSpikes, q.SimSpikes, firstUnmatched(tr.refTime, tr.simTime)))
	}
	t0 := g.refT[0]
	// The step allowance gets a hair of slack so that an offset of exactly
	// MaxSpikeSteps, computed from rounded times, is not failed.
	stepAllow := p.MaxSpikeSteps * g.step * (1 + 1e-9)
	late, worst := 0, -1
	for i := range min(len(tr.refTime), len(tr.simTime)) {
		off := tr.simTime[i] - tr.refTime[i]
		allow := stepAllow
		if p.UseRelTime {
			allow = max(allow, p.MaxSpikeRelTime*(tr.refTime[i]-t0))
		}
		q.MaxSpikeOffset = max(q.MaxSpikeOffset, math.Abs(off))
		if math.Abs(off) > allow {
			late++
			if worst < 0 || math.Abs(off) > math.Abs(tr.simTime[worst]-tr.refTime[worst]) {
				worst = i
			}
		}
	}
	q.MaxSpikeOffsetSteps = q.MaxSpikeOffset / g.step
	if late > 0 {
		off := tr.simTime[worst] - tr.refTime[worst]
		limit := fmt.Sprintf("%s steps", fmtG(p.MaxSpikeSteps))
		if p.UseRelTime {
			limit += fmt.Sprintf(" or %s of elapsed time (%s s)", fmtG(p.MaxSpikeRelTime), fmtG(p.MaxSpikeRelTime*(tr.refTime[worst]-t0)))
		}
		q.Reasons = append(q.Reasons, fmt.Sprintf("spike timing: %d of %d paired spikes off by more than %s; worst: spike %d (reference t=%s s) off by %+.3g steps (%+.3g s)",
			late, min(len(tr.refTime), len(tr.simTime)), limit, worst+1, fmtG(tr.refTime[worst]), off/g.step, off))
	}
}

// firstUnmatched names where two spike trains of different length first
// part ways, to point the reader at the right place in the traces: the
// first pair (in order) whose member is closer to the other train's next
// spike than to its partner, or else the first spike past the shorter
// train's end.
func firstUnmatched(ref, sim []float64) string {
	n := min(len(ref), len(sim))
	for i := range n {
		if i+1 < len(sim) && math.Abs(sim[i+1]-ref[i]) < math.Abs(sim[i]-ref[i]) {
			return fmt.Sprintf(" (first extra simulation spike near t=%s s)", fmtG(sim[i]))
		}
		if i+1 < len(ref) && math.Abs(ref[i+1]-sim[i]) < math.Abs(ref[i]-sim[i]) {
			return fmt.Sprintf(" (first reference spike without partner near t=%s s)", fmtG(ref[i]))
		}
	}
	if len(ref) > n {
		return fmt.Sprintf(" (first reference spike without partner at t=%s s)", fmtG(ref[n]))
	}
	if len(sim) > n {
		return fmt.Sprintf(" (first extra simulation spike at t=%s s)", fmtG(sim[n]))
	}
	return ""
}

// correlation is Pearson's r over all compared samples. A constant trace has
// no defined r: identical traces then count as 1 and others as 0, so the
// report stays finite (JSON has no NaN).
func (tr *trace) correlation() float64 {
	n := float64(len(tr.refV))
	var mr, ms float64
	for i := range tr.refV {
		mr += tr.refV[i]
		ms += tr.simV[i]
	}
	mr, ms = mr/n, ms/n
	var srs, srr, sss float64
	for i := range tr.refV {
		dr, ds := tr.refV[i]-mr, tr.simV[i]-ms
		srs += dr * ds
		srr += dr * dr
		sss += ds * ds
	}
	if srr == 0 || sss == 0 {
		if slices.Equal(tr.refV, tr.simV) {
			return 1
		}
		return 0
	}
	return max(-1, min(1, srs/math.Sqrt(srr*sss)))
}

func minMax(v []float64) (lo, hi float64) {
	lo, hi = v[0], v[0]
	for _, x := range v[1:] {
		lo, hi = min(lo, x), max(hi, x)
	}
	return lo, hi
}

// fmtG prints a number compactly for reports.
func fmtG(v float64) string { return fmt.Sprintf("%.4g", v) }
