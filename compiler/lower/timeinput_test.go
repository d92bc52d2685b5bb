package lower

import "testing"

// TestClockBoundary pins the window edges of jLEMS's running sum of t
// against the plain t = j*dt reading. Summing 1e-5 gives
// 0.05000000000000464 at j = 5000 and 0.09999999999999393 at j = 10000,
// so a pulse from 50 ms to 100 ms starts at j = 5000 under both readings
// but ends at j = 10001 in jLEMS, one step after j*dt says.
func TestClockBoundary(t *testing.T) {
	tests := []struct {
		op         string
		c, dt      float64
		jlems, ode int
	}{
		{">=", 0.05, 1e-5, 5000, 5000},
		{"<", 0.1, 1e-5, 10001, 10000},
		{">", 0.1, 1e-5, 10001, 10001},
		{"<=", 0.1, 1e-5, 10001, 10001},
		{">=", 0.003, 1e-4, 31, 30},
		{">=", 0, 1e-4, 0, 0},
		{">", 0, 1e-4, 1, 1},
		{">=", 1e9, 1e-4, 101, 1e13},
	}
	for _, tc := range tests {
		k := &clock{dt: tc.dt, limit: 100}
		if tc.c < 1 {
			k.limit = 1 << 30
		}
		if got := k.boundary(tc.op, tc.c, tc.dt); got != tc.jlems {
			t.Errorf("running sum: first j with t %s %v at dt %v = %d, want %d", tc.op, tc.c, tc.dt, got, tc.jlems)
		}
		if got := (&clock{ode: true, dt: tc.dt}).boundary(tc.op, tc.c, tc.dt); got != tc.ode {
			t.Errorf("t = j*dt: first j with t %s %v at dt %v = %d, want %d", tc.op, tc.c, tc.dt, got, tc.ode)
		}
	}
	// the same edge in milliseconds (an inline equation's time unit)
	k := &clock{dt: 1e-5, limit: 1 << 30}
	if got := k.boundary("<", 100, 1e-2); got != 10001 {
		t.Errorf("edge at 100 ms: %d, want 10001", got)
	}
}

// TestClockLeap: the clock leaps through the running sum a binade at a
// time, and lands where summing step by step lands, for steps whose
// rounding is constant, steps half-way between two spacings (rounding to
// even alternates), steps that stop the sum growing, and edges anywhere;
// and an edge 1e11 steps away is found without summing them (a step of
// 1e-9 ms to an input at 100 ms kept compile busy for hours).
func TestClockLeap(t *testing.T) {
	naive := func(strict bool, cs, dt float64, limit int) int {
		j, sum := 0, 0.0
		for j <= limit && !(sum > cs || !strict && sum == cs) {
			j++
			sum += dt
		}
		return j
	}
	steps := []float64{1e-5, 2.5e-5, 1e-4, 3e-7, 0.1, 1.0 / 3, 0.75 * 0x1p-20, 0x1p-20 + 0x1p-54, 0x1p-21 + 0x1p-55, 1e-12}
	edges := []float64{0, 1e-9, 0.003, 0.05, 0.1, 0.25, 0.5, 0.7, 1, 2.5}
	for _, dt := range steps {
		for _, c := range edges {
			for _, op := range []string{">=", ">"} {
				limit := 2_000_000
				k := &clock{dt: dt, limit: limit}
				want := naive(op == ">", c, dt, limit)
				if got := k.boundary(op, c, dt); got != want {
					t.Errorf("dt %v, t %s %v: %d, summing gives %d", dt, op, c, got, want)
				}
			}
		}
	}
	// each leap ends on the very sum that step-by-step adding reaches
	for _, dt := range steps {
		for _, from := range []float64{dt, 0.3, 0.5, 0.6, 1, 1.5} {
			k := &clock{dt: dt}
			n, r := k.leap(from, 4, 1_000_000)
			sum := from
			for range n {
				sum += dt
			}
			if leapt := from + float64(n)*r; leapt != sum {
				t.Errorf("dt %v from %v: a leap of %d steps ends at %v, summing at %v", dt, from, n, leapt, sum)
			}
		}
	}
	// the sum stops growing: 1 + 1e-17 is 1
	k := &clock{dt: 1e-17, limit: 1000}
	if got, want := k.boundary(">=", 1e-14, 1e-17), naive(false, 1e-14, 1e-17, 1000); got != want {
		t.Errorf("tiny step: %d, summing gives %d", got, want)
	}
	// far: 1e-12 s steps to an edge at 0.1 s, 1e11 steps; the sum's own
	// rounding puts it near, not at, 1e11
	far := &clock{dt: 1e-12, limit: 2e11}
	if got := far.boundary(">=", 0.1, 1e-12); got < 0.99e11 || got > 1.01e11 {
		t.Errorf("edge at 0.1 s with 1e-12 s steps: %d", got)
	}
}
