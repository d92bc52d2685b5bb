package runtime

import (
	"math"
	"math/rand"
	"testing"
)

// A two-state scheme c <-> o has the closed form
// o(dt) = o_inf + (o0 - o_inf) exp(-(rf+rr) dt), o_inf = rf/(rf+rr):
// jLEMS's scaled squaring reaches it to rounding, and so must KineticStep.
func TestKineticStepTwoStates(t *testing.T) {
	for _, c := range []struct{ rf, rr, dt, c0 float64 }{
		{17.27211167609068, 657.4400928226751, 1e-5, 1},     // NeuroML Ex4's vh1 at -65 mV
		{3000, 5, 1e-5, 0.3},                                // fast forward
		{1e-3, 2e-3, 1e-4, 0.5},                             // slow
		{2500, 2500, 0.05, 1},                               // many time constants: at equilibrium
		{0, 0, 1e-5, 0.25},                                  // no transitions: unchanged
		{45.5, 0.125, 2.5e-5, 0.9999999999999999},           // near the boundary
		{1 / (1/1e3 + 3e-4), 1 / (1/2e4 + 3e-4), 1e-5, 0.6}, // vHalfTransition-like rates
	} {
		edges := []int{0, 1}
		rates := []float64{c.rf, c.rr}
		occ := []float64{c.c0, 1 - c.c0}
		gotC := KineticStep(0, c.dt, edges, rates, occ)
		gotO := KineticStep(1, c.dt, edges, rates, occ)
		k := c.rf + c.rr
		wantO := occ[1]
		if k > 0 {
			inf := c.rf / k
			wantO = inf + (occ[1]-inf)*math.Exp(-k*c.dt)
		}
		if math.Abs(gotO-wantO) > 1e-14 || math.Abs(gotC-(1-wantO)) > 1e-14 {
			t.Errorf("rf %g rr %g dt %g: (c, o) = (%.17g, %.17g), want (%.17g, %.17g)", c.rf, c.rr, c.dt, gotC, gotO, 1-wantO, wantO)
		}
	}
}

// A three-state chain with a transition listed twice (rates add), against
// the exponential summed as a Taylor series at a step small enough for it
// to converge in double precision.
func TestKineticStepChain(t *testing.T) {
	edges := []int{0, 1, 1, 2, 0, 1}
	rates := []float64{120, 40, 300, 7, 30, 10}
	dt := 2e-4
	occ := []float64{0.7, 0.2, 0.1}
	// A: columns are sources
	var a [3][3]float64
	for r := 0; r < 3; r++ {
		s, d := edges[2*r], edges[2*r+1]
		a[s][s] -= rates[2*r]
		a[d][s] += rates[2*r]
		a[d][d] -= rates[2*r+1]
		a[s][d] += rates[2*r+1]
	}
	want := append([]float64(nil), occ...)
	term := append([]float64(nil), occ...)
	for k := 1; k < 40; k++ {
		next := make([]float64, 3)
		for i := 0; i < 3; i++ {
			for j := 0; j < 3; j++ {
				next[i] += a[i][j] * term[j] * dt / float64(k)
			}
		}
		term = next
		for i := range want {
			want[i] += term[i]
		}
	}
	sum := 0.0
	for i := range occ {
		got := KineticStep(i, dt, edges, rates, occ)
		sum += got
		if math.Abs(got-want[i]) > 1e-14 {
			t.Errorf("occupancy %d: %.17g, want %.17g", i, got, want[i])
		}
	}
	if math.Abs(sum-1) > 1e-14 {
		t.Errorf("occupancies sum to %.17g, not 1", sum)
	}
}

// A scheme larger than the stack buffer (ten states) takes the heap path
// and still conserves the total occupancy.
func TestKineticStepLarge(t *testing.T) {
	const n = 10
	var edges []int
	var rates []float64
	occ := make([]float64, n)
	for i := 0; i+1 < n; i++ {
		edges = append(edges, i, i+1)
		rates = append(rates, float64(10*(i+1)), float64(5*(n-i)))
		occ[i] = 1 / float64(n)
	}
	occ[n-1] = 1 / float64(n)
	sum := 0.0
	for i := 0; i < n; i++ {
		sum += KineticStep(i, 1e-3, edges, rates, occ)
	}
	if math.Abs(sum-1) > 1e-13 {
		t.Errorf("%d-state chain: occupancies sum to %.17g", n, sum)
	}
}

func BenchmarkKineticStepTwoStates(b *testing.B) {
	edges := []int{0, 1}
	rates := []float64{17.27, 657.44}
	occ := []float64{0.9, 0.1}
	s := 0.0
	for i := 0; i < b.N; i++ {
		s += KineticStep(i&1, 1e-5, edges, rates, occ)
	}
	_ = s
}

// The two-state path is the general one written in scalars: the same
// result to the bit, whatever the rates and occupancies.
func TestKineticStepTwoStatesExact(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	general := func(i int, dt float64, edges []int, rates, occ []float64) float64 {
		// a third state no transition reaches leaves the first two's
		// block of the matrix and its exponential unchanged
		return KineticStep(i, dt, edges, rates, append(append([]float64(nil), occ...), 0))
	}
	for k := 0; k < 2000; k++ {
		edges := []int{0, 1}
		if k%3 == 1 {
			edges = []int{1, 0}
		}
		rates := []float64{math.Exp(rng.Float64()*16 - 4), math.Exp(rng.Float64()*16 - 4)}
		if k%5 == 2 {
			edges = append(edges, 0, 1)
			rates = append(rates, rng.Float64()*100, rng.Float64()*100)
		}
		c := rng.Float64()
		occ := []float64{c, 1 - c}
		dt := []float64{1e-5, 2.5e-5, 1e-4}[k%3]
		for i := 0; i < 2; i++ {
			got, want := KineticStep(i, dt, edges, rates, occ), general(i, dt, edges, rates, occ)
			if math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("edges %v rates %v occ %v dt %g: occupancy %d is %.17g, the general path's %.17g", edges, rates, occ, dt, i, got, want)
			}
		}
	}
}
