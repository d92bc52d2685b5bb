package runtime

import (
	"fmt"
	"math"
)

// ODE integrates an autonomous system y' = f(y) with an adaptive embedded
// Runge-Kutta pair of Dormand and Prince: DOPRI5 (order 5 with a 4th-order
// error estimate, FSAL, 4th-order continuous extension) or DOP853 (order
// 8 with the 5th- and 3rd-order estimates combined as in Hairer's dop853,
// 7th-order continuous extension). Steps are chosen by the error alone
// (standard control: safety 0.9, the step changed by a factor in [0.2,
// 10], never grown right after a rejection; Hairer's initial step guess),
// and Advance reads the solution at any requested time from the
// continuous extension of the step that covers it, so the sampling grid
// does not constrain the steps. Generated programs pass their forcing
// time, if any, as a state (the clock t' = 1), so f has no t argument.
//
// The tableaux are Hairer & Wanner's (Solving ODEs I, sec. II.5 and
// II.6; dopri5.f and dop853.f), the same numbers SciPy's RK45 and DOP853
// use.
type ODE struct {
	f        func(y, dy []float64)
	high     bool // DOP853, else DOPRI5
	name     string
	rtol     float64
	atol     float64
	maxSteps int
	tEnd     float64

	n    int
	t, h float64
	y    []float64 // state at t
	fy   []float64 // f(y), the first stage of the next step (FSAL)
	k    [][]float64
	ynew []float64
	tmp  []float64

	// the continuous extension of the last accepted step [told, t] of
	// size hold (dense: there is one; contReady: cont holds it)
	told      float64
	hold      float64
	dense     bool
	contReady bool
	yold      []float64
	cont      [][]float64

	// Steps, Rejected and Evals count accepted steps, rejected steps and
	// evaluations of f, for the run's statistics.
	Steps, Rejected, Evals int
}

// Step-size control, as in Hairer's codes and SciPy.
const (
	odeSafety    = 0.9
	odeMinFactor = 0.2
	odeMaxFactor = 10.0
)

// NewDopri5 prepares a DOPRI5 integration of y' = f(y) from y0 at time t0
// up to tEnd (no step goes past it). rtol and atol bound each step's
// local error estimate per component: |err_i| <= atol + rtol*|y_i| in
// the RMS norm. maxSteps limits the steps of one Advance (a stiff or
// diverging problem fails instead of running on).
func NewDopri5(f func(y, dy []float64), y0 []float64, t0, tEnd, rtol, atol float64, maxSteps int) *ODE {
	return newODE(f, y0, t0, tEnd, rtol, atol, maxSteps, false)
}

// NewDopri853 prepares a DOP853 integration; see NewDopri5.
func NewDopri853(f func(y, dy []float64), y0 []float64, t0, tEnd, rtol, atol float64, maxSteps int) *ODE {
	return newODE(f, y0, t0, tEnd, rtol, atol, maxSteps, true)
}

func newODE(f func(y, dy []float64), y0 []float64, t0, tEnd, rtol, atol float64, maxSteps int, high bool) *ODE {
	n := len(y0)
	stages, conts, name := 7, 4, "dopri5"
	if high {
		stages, conts, name = 16, 7, "dop853"
	}
	o := &ODE{f: f, high: high, name: name, rtol: rtol, atol: atol, maxSteps: maxSteps, tEnd: tEnd, n: n, t: t0}
	o.y = append([]float64(nil), y0...)
	o.fy = make([]float64, n)
	o.ynew = make([]float64, n)
	o.tmp = make([]float64, n)
	o.yold = make([]float64, n)
	o.k = make([][]float64, stages)
	for i := range o.k {
		o.k[i] = make([]float64, n)
	}
	o.cont = make([][]float64, conts)
	for i := range o.cont {
		o.cont[i] = make([]float64, n)
	}
	o.eval(o.y, o.fy)
	o.h = o.initialStep()
	return o
}

func (o *ODE) eval(y, dy []float64) {
	o.f(y, dy)
	o.Evals++
}

// T is the time the integration has reached.
func (o *ODE) T() float64 { return o.t }

// H is the step size the next step will try.
func (o *ODE) H() float64 { return o.h }

// scale is the tolerance of component i for states a and b.
func (o *ODE) scale(a, b float64) float64 {
	return o.atol + o.rtol*math.Max(math.Abs(a), math.Abs(b))
}

// initialStep is Hairer's guess (hinit in dopri5.f/dop853.f): a step
// whose explicit Euler error would be about the tolerance.
func (o *ODE) initialStep() float64 {
	if o.n == 0 {
		return o.tEnd - o.t
	}
	order := 5.0
	if o.high {
		order = 8
	}
	var d0, d1 float64
	for i := range o.n {
		sk := o.scale(o.y[i], o.y[i])
		d0 += (o.y[i] / sk) * (o.y[i] / sk)
		d1 += (o.fy[i] / sk) * (o.fy[i] / sk)
	}
	d0, d1 = math.Sqrt(d0/float64(o.n)), math.Sqrt(d1/float64(o.n))
	h0 := 1e-6
	if d0 >= 1e-5 && d1 >= 1e-5 {
		h0 = 0.01 * d0 / d1
	}
	if span := o.tEnd - o.t; span > 0 {
		h0 = math.Min(h0, span)
	}
	for i := range o.n {
		o.tmp[i] = o.y[i] + h0*o.fy[i]
	}
	f1 := o.k[1]
	o.eval(o.tmp, f1)
	var d2 float64
	for i := range o.n {
		sk := o.scale(o.y[i], o.y[i])
		d2 += ((f1[i] - o.fy[i]) / sk) * ((f1[i] - o.fy[i]) / sk)
	}
	d2 = math.Sqrt(d2/float64(o.n)) / h0
	var h1 float64
	if m := math.Max(d1, d2); m <= 1e-15 {
		h1 = math.Max(1e-6, h0*1e-3)
	} else {
		h1 = math.Pow(0.01/m, 1/order)
	}
	return math.Min(100*h0, h1)
}

// Restart continues from the state y at the current time (a state the
// caller changed, e.g. clamped to its bounds): f is evaluated again and
// the continuous extension of the last step is dropped.
func (o *ODE) Restart(t float64, y []float64) {
	o.t = t
	copy(o.y, y)
	o.eval(o.y, o.fy)
	o.dense = false
}

// Interval integrates from the state y at t0 to t1, stepping exactly to
// t1 (never past it), and writes the solution at t1 to y: the way to
// follow a right-hand side that changes at t0 and t1 (coupling inputs
// held over a sampling interval, TVB's way). The step size carries over
// from the last interval.
func (o *ODE) Interval(t0, t1 float64, y []float64) error {
	o.tEnd = t1
	o.Restart(t0, y)
	if !(o.h > 0) {
		o.h = o.initialStep()
	}
	if o.h > t1-t0 {
		o.h = t1 - t0
	}
	steps := 0
	for o.t < t1 {
		if steps >= o.maxSteps {
			return fmt.Errorf("%s took more than %d steps between two samples before t = %g (the last step %.3g): the system is stiff or diverges here; use a fixed-step method (rk4 with a small step) or looser tolerances", o.name, o.maxSteps, t1, o.h)
		}
		if err := o.step(); err != nil {
			return err
		}
		steps++
	}
	copy(y, o.y)
	return nil
}

// Advance integrates until the solution at tout is known and writes it to
// out. Calls go forward in time: tout must not lie before the last step.
// An error says why the integration stopped: too many steps for one
// call (the problem is stiff or the tolerance too tight), a step size
// below what floating point resolves, or a state that is no longer
// finite.
func (o *ODE) Advance(tout float64, out []float64) error {
	if o.dense && tout >= o.told && tout <= o.t {
		o.interpolate(tout, out)
		return nil
	}
	if tout == o.t {
		copy(out, o.y)
		return nil
	}
	steps := 0
	for o.t < tout {
		if steps >= o.maxSteps {
			return fmt.Errorf("%s took more than %d steps between two samples before t = %g (the last step %.3g): the system is stiff or diverges here; use a fixed-step method (rk4 with a small step) or looser tolerances", o.name, o.maxSteps, tout, o.h)
		}
		if err := o.step(); err != nil {
			return err
		}
		steps++
	}
	o.interpolate(tout, out)
	return nil
}

// step takes one accepted step from t, retrying with smaller steps while
// the error estimate exceeds the tolerance.
func (o *ODE) step() error {
	rejected := false
	for {
		h := o.h
		last := false
		if o.t+1.01*h >= o.tEnd {
			// stretched by up to 1% to land on the end (as Hairer's
			// codes do) rather than leave a sliver of a last step
			h, last = o.tEnd-o.t, true
		}
		if math.IsNaN(h) {
			return fmt.Errorf("%s: the state or its derivative is not finite at t = %g: the system diverges or leaves its domain; check its parameters, or use a fixed-step method", o.name, o.t)
		}
		if h <= 16*math.Abs(o.t)*0x1p-52 || h <= 0 {
			return fmt.Errorf("%s: the step size fell to %.3g at t = %g, below what floating point resolves: the system is stiff, singular or diverges here; use a fixed-step method (rk4 with a small step) or looser tolerances", o.name, h, o.t)
		}
		var err float64
		if o.high {
			err = o.try853(h)
		} else {
			err = o.try5(h)
		}
		exp := -1.0 / 5
		if o.high {
			exp = -1.0 / 8
		}
		if err <= 1 {
			factor := odeMaxFactor
			if err > 0 {
				factor = math.Min(odeMaxFactor, odeSafety*math.Pow(err, exp))
			}
			if rejected {
				factor = math.Min(1, factor)
			}
			o.accept(h, last)
			o.h = h * factor
			return nil
		}
		// err > 1 or NaN (a non-finite stage): shrink and retry
		factor := odeMinFactor
		if !math.IsNaN(err) && !math.IsInf(err, 0) {
			factor = math.Max(odeMinFactor, odeSafety*math.Pow(err, exp))
		}
		o.h = h * factor
		rejected = true
		o.Rejected++
	}
}

// accept makes the step of size h tried last (ynew, the stages) the
// current state, keeping what its continuous extension needs.
func (o *ODE) accept(h float64, last bool) {
	o.told, o.hold = o.t, h
	copy(o.yold, o.y)
	if last {
		o.t = o.tEnd
	} else {
		o.t += h
	}
	o.swap()
	o.dense, o.contReady = true, false
	o.Steps++
}

// swap exchanges the state with the step's result and f(y) with the
// step's last stage (FSAL: f(ynew) starts the next step). Swapping again
// restores the arrays as the step left them, which the continuous
// extension reads.
func (o *ODE) swap() {
	fsal := 6
	if o.high {
		fsal = 12
	}
	o.y, o.ynew = o.ynew, o.y
	o.fy, o.k[fsal] = o.k[fsal], o.fy
}

// makeCont computes the continuous extension of the last step, only when
// a sample falls in it: DOP853's costs three more evaluations of f.
func (o *ODE) makeCont() {
	o.swap()
	if o.high {
		o.dense853(o.hold)
	} else {
		o.dense5(o.hold)
	}
	o.swap()
	o.contReady = true
}

// stage sets o.tmp = y + h * sum_j a[j] k[j] and evaluates f there into k[s].
func (o *ODE) stage(s int, h float64, a []float64) {
	for i := range o.n {
		acc := 0.0
		for j, aj := range a {
			if aj != 0 {
				acc += aj * o.k[j][i]
			}
		}
		o.tmp[i] = o.y[i] + h*acc
	}
	o.eval(o.tmp, o.k[s])
}

// The Dormand-Prince 5(4) tableau (DOPRI5).
var (
	dp5A = [][]float64{
		1: {1.0 / 5},
		2: {3.0 / 40, 9.0 / 40},
		3: {44.0 / 45, -56.0 / 15, 32.0 / 9},
		4: {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
		5: {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
	}
	// dp5B gives the 5th-order solution (and is row 7 of A: FSAL)
	dp5B = []float64{35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}
	// dp5E is the 5th-order minus the 4th-order weights (7 stages)
	dp5E = []float64{71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40}
	// dp5D are the weights of the continuous extension (contd5)
	dp5D = []float64{-12715105075.0 / 11282082432, 0, 87487479700.0 / 32700410799, -10690763975.0 / 1880347072,
		701980252875.0 / 199316789632, -1453857185.0 / 822651844, 69997945.0 / 29380423}
)

// try5 computes a DOPRI5 step of size h into ynew and k[6] = f(ynew) and
// returns its error norm (<= 1: acceptable).
func (o *ODE) try5(h float64) float64 {
	copy(o.k[0], o.fy)
	for s := 1; s <= 5; s++ {
		o.stage(s, h, dp5A[s])
	}
	for i := range o.n {
		acc := 0.0
		for j, b := range dp5B {
			acc += b * o.k[j][i]
		}
		o.ynew[i] = o.y[i] + h*acc
	}
	o.eval(o.ynew, o.k[6])
	var sum float64
	for i := range o.n {
		e := 0.0
		for j, c := range dp5E {
			e += c * o.k[j][i]
		}
		q := h * e / o.scale(o.y[i], o.ynew[i])
		sum += q * q
	}
	return math.Sqrt(sum / float64(o.n))
}

// dense5 keeps the continuous extension of the DOPRI5 step just tried.
func (o *ODE) dense5(h float64) {
	for i := range o.n {
		dy := o.ynew[i] - o.y[i]
		bspl := h*o.k[0][i] - dy
		d := 0.0
		for j, c := range dp5D {
			d += c * o.k[j][i]
		}
		o.cont[0][i] = dy
		o.cont[1][i] = bspl
		o.cont[2][i] = dy - h*o.k[6][i] - bspl
		o.cont[3][i] = h * d
	}
}

// interpolate writes the continuous extension at t (told <= t <= o.t).
func (o *ODE) interpolate(t float64, out []float64) {
	if t == o.t {
		copy(out, o.y)
		return
	}
	if !o.contReady {
		o.makeCont()
	}
	th := (t - o.told) / o.hold
	th1 := 1 - th
	if !o.high {
		for i := range o.n {
			out[i] = o.yold[i] + th*(o.cont[0][i]+th1*(o.cont[1][i]+th*(o.cont[2][i]+th1*o.cont[3][i])))
		}
		return
	}
	for i := range o.n {
		// F0..F6 alternately times th and (1 - th), innermost last
		v := o.cont[6][i] * th
		v = (v + o.cont[5][i]) * th1
		v = (v + o.cont[4][i]) * th
		v = (v + o.cont[3][i]) * th1
		v = (v + o.cont[2][i]) * th
		v = (v + o.cont[1][i]) * th1
		v = (v + o.cont[0][i]) * th
		out[i] = o.yold[i] + v
	}
}
