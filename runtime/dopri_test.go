package runtime

import (
	"math"
	"strings"
	"testing"
)

// The test problems, with closed forms: the logistic equation (nonlinear)
// and the harmonic oscillator, as one system; the clock t' = 1 is the
// third state, as generated programs pass time.
func logisticOsc(y, dy []float64) {
	dy[0] = y[0] * (1 - y[0])
	dy[1], dy[2] = y[2], -y[1]
}

var logisticOsc0 = []float64{0.1, 1, 0}

func logisticOscExact(t float64) []float64 {
	return []float64{1 / (1 + 9*math.Exp(-t)), math.Cos(t), -math.Sin(t)}
}

func maxErr(a, b []float64) float64 {
	e := 0.0
	for i := range a {
		e = math.Max(e, math.Abs(a[i]-b[i]))
	}
	return e
}

func newMethod(high bool, f func(y, dy []float64), y0 []float64, tEnd, tol float64, maxSteps int) *ODE {
	if high {
		return NewDopri853(f, y0, 0, tEnd, tol, tol, maxSteps)
	}
	return NewDopri5(f, y0, 0, tEnd, tol, tol, maxSteps)
}

// fixed takes one step of size h whatever its error estimate, returning
// the estimate.
func (o *ODE) fixed(h float64) float64 {
	var err float64
	if o.high {
		err = o.try853(h)
	} else {
		err = o.try5(h)
	}
	o.accept(h, false)
	return err
}

func slope(e1, e2, h1, h2 float64) float64 { return math.Log(e1/e2) / math.Log(h1/h2) }

// TestDopriOrder pins the tableaux: with fixed steps the global error at
// the end, the error of the continuous extension at every step's
// midpoint and one step's error estimate each shrink with the step as
// the method's order says. A wrong coefficient drops the slope.
func TestDopriOrder(t *testing.T) {
	for _, c := range []struct {
		name             string
		high             bool
		hs               []float64
		global, midpoint float64 // expected orders (slopes of log error vs log h)
		estimate         float64
	}{
		{"dopri5", false, []float64{0.2, 0.1}, 5, 5, 5},
		// DOP853: 8th order; the 7th-order continuous extension errs
		// O(h^8) within a step; Hairer's combined estimate |h| e5^2 /
		// sqrt(e5^2 + 0.01 e3^2) behaves as h^8 for small h.
		{"dop853", true, []float64{0.8, 0.4}, 8, 8, 8},
	} {
		t.Run(c.name, func(t *testing.T) {
			const T = 4.0
			var glob, mid, est []float64
			for _, h := range c.hs {
				o := newMethod(c.high, logisticOsc, logisticOsc0, 1e9, 1e-6, 1000)
				steps := int(math.Round(T / h))
				m := 0.0
				out := make([]float64, 3)
				var first float64
				for k := range steps {
					e := o.fixed(h)
					if k == 0 {
						first = e
					}
					tm := (float64(k) + 0.5) * h
					if err := o.Advance(tm, out); err != nil {
						t.Fatal(err)
					}
					m = math.Max(m, maxErr(out, logisticOscExact(tm)))
				}
				glob = append(glob, maxErr(o.y, logisticOscExact(float64(steps)*h)))
				mid = append(mid, m)
				est = append(est, first)
			}
			h1, h2 := c.hs[0], c.hs[1]
			for _, q := range []struct {
				what string
				e    []float64
				want float64
			}{{"global error", glob, c.global}, {"continuous extension error", mid, c.midpoint}, {"first step's error estimate", est, c.estimate}} {
				s := slope(q.e[0], q.e[1], h1, h2)
				t.Logf("%s: %.3g at h=%g, %.3g at h=%g: order %.2f", q.what, q.e[0], h1, q.e[1], h2, s)
				if math.Abs(s-q.want) > 0.6 {
					t.Errorf("%s shrinks as h^%.2f, want h^%g", q.what, s, q.want)
				}
			}
		})
	}
}

// TestDopriTolerance: with error control the global error follows the
// tolerance (slope about 1 in log-log) and stays within a small multiple
// of it, on the logistic equation and the harmonic oscillator.
func TestDopriTolerance(t *testing.T) {
	for _, high := range []bool{false, true} {
		name := map[bool]string{false: "dopri5", true: "dop853"}[high]
		t.Run(name, func(t *testing.T) {
			tols := []float64{1e-5, 1e-7, 1e-9, 1e-11}
			var errs []float64
			for _, tol := range tols {
				const T = 20.0
				o := newMethod(high, logisticOsc, logisticOsc0, T, tol, 100000)
				out := make([]float64, 3)
				e := 0.0
				for k := 1; k <= 200; k++ {
					tk := float64(k) * 0.1
					if err := o.Advance(tk, out); err != nil {
						t.Fatal(err)
					}
					e = math.Max(e, maxErr(out, logisticOscExact(tk)))
				}
				t.Logf("tol %g: max error %.3g over the 200 samples, %d steps (%d rejected), %d evaluations", tol, e, o.Steps, o.Rejected, o.Evals)
				if e > 100*tol {
					t.Errorf("tol %g: error %.3g, more than 100 tol", tol, e)
				}
				errs = append(errs, e)
			}
			s := slope(errs[0], errs[len(errs)-1], tols[0], tols[len(tols)-1])
			t.Logf("error ~ tol^%.2f", s)
			if s < 0.7 || s > 1.3 {
				t.Errorf("error shrinks as tol^%.2f, want about tol^1", s)
			}
		})
	}
}

// TestDopriSampleTimes: the output is the solution at exactly the
// requested times, wherever the steps fall: y' = 1 from 0 gives y = t up
// to rounding at every sample of an irregular grid (its continuous
// extension is exact for a linear solution), and exponential decay
// matches exp(-t) at a grid of 0.1.
func TestDopriSampleTimes(t *testing.T) {
	for _, high := range []bool{false, true} {
		one := func(y, dy []float64) { dy[0] = 1 }
		o := newMethod(high, one, []float64{0}, 10, 1e-6, 1000)
		out := make([]float64, 1)
		for _, tk := range []float64{0, 1e-3, 0.37, 0.5, 2.25, 2.2500001, 7, 9.999, 10} {
			if err := o.Advance(tk, out); err != nil {
				t.Fatal(err)
			}
			if math.Abs(out[0]-tk) > 1e-13*math.Max(1, tk) {
				t.Errorf("high=%v: y(%g) = %.17g, want %g", high, tk, out[0], tk)
			}
		}
		decay := func(y, dy []float64) { dy[0] = -y[0] }
		o = newMethod(high, decay, []float64{1}, 10, 1e-7, 1000)
		for k := 0; k <= 100; k++ {
			tk := float64(k) * 0.1
			if err := o.Advance(tk, out); err != nil {
				t.Fatal(err)
			}
			if e := math.Abs(out[0] - math.Exp(-tk)); e > 1e-6 {
				t.Errorf("high=%v: y(%g) = %.12g, want exp(-t) = %.12g", high, tk, out[0], math.Exp(-tk))
			}
		}
		t.Logf("high=%v: 100 samples of exp(-t) from %d steps", high, o.Steps)
		if o.Steps >= 100 {
			t.Errorf("high=%v: %d steps for 100 samples: the steps follow the grid instead of the error", high, o.Steps)
		}
	}
}

// TestDopriDeterministic: the same problem gives bit-identical samples.
func TestDopriDeterministic(t *testing.T) {
	run := func(high bool) []float64 {
		o := newMethod(high, logisticOsc, logisticOsc0, 5, 1e-8, 1000)
		var all []float64
		out := make([]float64, 3)
		for k := 0; k <= 50; k++ {
			if err := o.Advance(float64(k)*0.1, out); err != nil {
				t.Fatal(err)
			}
			all = append(all, out...)
		}
		return all
	}
	for _, high := range []bool{false, true} {
		a, b := run(high), run(high)
		for i := range a {
			if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
				t.Fatalf("high=%v: value %d differs: %v, %v", high, i, a[i], b[i])
			}
		}
	}
}

// TestDopriFailure: a stiff problem exhausts the steps allowed between two
// samples and a solution that blows up in finite time drives the step
// size to underflow; both stop with a message instead of running on.
func TestDopriFailure(t *testing.T) {
	for _, high := range []bool{false, true} {
		// y' = -1e7 (y - cos t): stiff, explicit steps stay near 3e-7
		stiff := func(y, dy []float64) { dy[0] = -1e7 * (y[0] - math.Cos(y[1])); dy[1] = 1 }
		o := newMethod(high, stiff, []float64{0, 0}, 10, 1e-6, 500)
		out := make([]float64, 2)
		err := o.Advance(1, out)
		if err == nil || !strings.Contains(err.Error(), "more than 500 steps") || !strings.Contains(err.Error(), "fixed-step") {
			t.Errorf("high=%v stiff: error %v, want too many steps with a hint", high, err)
		}
		// y' = y^2, y(0) = 1: y = 1/(1-t) blows up at t = 1
		blow := func(y, dy []float64) { dy[0] = y[0] * y[0] }
		o = newMethod(high, blow, []float64{1}, 10, 1e-6, 1000000)
		err = o.Advance(2, out)
		if err == nil || !strings.Contains(err.Error(), "step size fell") {
			t.Errorf("high=%v blow-up: error %v, want a step size underflow", high, err)
		} else {
			t.Logf("high=%v: %v (%d steps)", high, err, o.Steps)
		}
	}
}

// lorenz is Lorenz 63 at its classic parameters, the driver's cost on a
// small chaotic system.
func lorenz(y, dy []float64) {
	dy[0] = 10 * (y[1] - y[0])
	dy[1] = y[0]*(28-y[2]) - y[1]
	dy[2] = y[0]*y[1] - 8.0/3*y[2]
}

func benchmarkLorenz(b *testing.B, high bool) {
	out := make([]float64, 3)
	for range b.N {
		o := newMethod(high, lorenz, []float64{1, 1, 1}, 20, 1e-6, 100000)
		for k := 1; k <= 2000; k++ {
			if err := o.Advance(float64(k)*0.01, out); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(o.Steps), "steps/op")
		b.ReportMetric(float64(o.Evals), "evals/op")
	}
}

// BenchmarkDopri5Lorenz: 20 time units sampled every 0.01 at rtol 1e-6.
func BenchmarkDopri5Lorenz(b *testing.B) { benchmarkLorenz(b, false) }

// BenchmarkDopri853Lorenz: as BenchmarkDopri5Lorenz with DOP853.
func BenchmarkDopri853Lorenz(b *testing.B) { benchmarkLorenz(b, true) }

// TestDopriEnd: the run ends exactly at tEnd whatever the steps left
// before it, and a derivative that is not finite from the start is
// reported as such.
func TestDopriEnd(t *testing.T) {
	for _, high := range []bool{false, true} {
		decay := func(y, dy []float64) { dy[0] = -y[0] }
		const tEnd = 0.1 * 3 // not a float64 multiple of the steps
		o := newMethod(high, decay, []float64{1}, tEnd, 1e-8, 1000)
		out := make([]float64, 1)
		if err := o.Advance(tEnd, out); err != nil {
			t.Fatal(err)
		}
		if o.T() != tEnd || math.Abs(out[0]-math.Exp(-tEnd)) > 1e-8 {
			t.Errorf("high=%v: ended at %v with %v, want %v with exp(-t)", high, o.T(), out[0], tEnd)
		}
		bad := func(y, dy []float64) { dy[0] = math.Log(y[0]) }
		o = newMethod(high, bad, []float64{-1}, 1, 1e-6, 1000)
		if err := o.Advance(1, out); err == nil || !strings.Contains(err.Error(), "not finite at t = 0") {
			t.Errorf("high=%v: error %v, want a non-finite derivative at t = 0", high, err)
		}
	}
}

// TestDopriInterval: integrating interval by interval (a right-hand side
// held piecewise, TVB's coupling) lands on every interval's end exactly
// and, for a smooth system, follows the continuous solution to the
// tolerance.
func TestDopriInterval(t *testing.T) {
	for _, high := range []bool{false, true} {
		o := newMethod(high, logisticOsc, logisticOsc0, 0, 1e-9, 1000)
		y := append([]float64(nil), logisticOsc0...)
		for k := range 100 {
			t0, t1 := float64(k)*0.1, float64(k+1)*0.1
			if err := o.Interval(t0, t1, y); err != nil {
				t.Fatal(err)
			}
			if o.T() != t1 {
				t.Fatalf("high=%v: interval %d ended at %v, want %v", high, k, o.T(), t1)
			}
			if e := maxErr(y, logisticOscExact(t1)); e > 1e-7 {
				t.Fatalf("high=%v: %.3g off the solution at %g", high, e, t1)
			}
		}
		// no sample is read from a continuous extension here, so none
		// is computed: f(y0) and the initial guess, one evaluation per
		// interval (the restart), 6 (DOPRI5) or 12 (DOP853) per try
		perTry := map[bool]int{false: 6, true: 12}[high]
		if want := 2 + 100 + perTry*(o.Steps+o.Rejected); o.Evals != want {
			t.Errorf("high=%v: %d evaluations for %d steps and %d rejections, want %d", high, o.Evals, o.Steps, o.Rejected, want)
		}
	}
}
