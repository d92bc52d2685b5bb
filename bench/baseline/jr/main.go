// Command jr is the hand-written baseline for the sigmoid neural-mass
// workload W7 (testdata/bench/jr_1.yaml): one Jansen-Rit node (Jansen &
// Rit 1995, as TVB's JansenRit model and TVBO's file define it, their
// default parameters), uncoupled and without noise, forward Euler, dt 0.1
// ms, 20 s (200,000 steps), every state 0.1 at the start. Three sigmoids,
// so three exps, per step; it writes t and the six states after
// every step as one .npy matrix (t in seconds), like the generated binary's
// `-o out.npy`.
//
//	y0' = y3                        y3' = A a S(y1 - y2) - 2a y3 - a^2 y0
//	y1' = y4                        y4' = A a (mu + a2 J S(a1 J y0)) - 2a y4 - a^2 y1
//	y2' = y5                        y5' = B b a4 J S(a3 J y0) - 2b y5 - b^2 y2
//	S(v) = 2 e0 / (1 + exp(r (v0 - v)))
//
// It is what a careful programmer would write: the parameters' products
// computed once, in float64 (so they round as TVB's do), the states in
// locals. The arithmetic is the equations' order, so the run is bit for
// bit the generated program's (bench/report marks it "file identical to
// Go").
package main

import (
	"flag"
	"fmt"
	"github.com/tvboc/tvboc/bench/baseline/internal/npy"
	"math"
	"os"
	"time"
)

const (
	steps = 200000
	dt    = 0.1 // ms
)

// TVB's JansenRit defaults; variables, not constants, so that their
// products below round in float64 as TVB's do (Go folds constants exactly).
var (
	A, B, a, b = 3.25, 22.0, 0.1, 0.05
	v0, e0, r  = 5.52, 0.0025, 0.56
	J, mu      = 135.0, 0.22
	a1, a2, a3 = 1.0, 0.8, 0.25
	a4         = 0.25
	y0Init     = 0.1
)

func main() {
	out := flag.String("o", "jr.npy", "output .npy file")
	flag.Parse()
	start := time.Now()

	Aa, Bb, twoA, twoB, aa, bb := A*a, B*b, 2*a, 2*b, a*a, b*b
	a1J, a2J, a3J, a4J := a1*J, a2*J, a3*J, a4*J
	twoE0, rate, mid := 2*e0, r, v0
	sigm := func(v float64) float64 { return twoE0 / (1 + math.Exp(rate*(mid-v))) }

	const cols = 7
	data := make([]float64, (steps+1)*cols)
	y0, y1, y2, y3, y4, y5 := y0Init, y0Init, y0Init, y0Init, y0Init, y0Init
	copy(data[1:cols], []float64{y0, y1, y2, y3, y4, y5})
	for k := 0; k < steps; k++ {
		sPyr := sigm(y1 - y2)
		sExc := sigm(a1J * y0)
		sInh := sigm(a3J * y0)
		d3 := Aa*sPyr - twoA*y3 - aa*y0
		d4 := Aa*(mu+a2J*sExc) - twoA*y4 - aa*y1
		d5 := Bb*(a4J*sInh) - twoB*y5 - bb*y2
		y0, y1, y2, y3, y4, y5 = y0+dt*y3, y1+dt*y4, y2+dt*y5, y3+dt*d3, y4+dt*d4, y5+dt*d5
		row := data[(k+1)*cols : (k+2)*cols]
		row[0] = float64(k+1) * 1e-4 // t in seconds, as the runtime writes it
		row[1], row[2], row[3], row[4], row[5], row[6] = y0, y1, y2, y3, y4, y5
	}
	sim := time.Since(start)
	if err := npy.Write(*out, data, steps+1, cols); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("jr go: steps=%d y0=%g sim_ns=%d write_ns=%d\n", steps, y0, sim.Nanoseconds(), (time.Since(start) - sim).Nanoseconds())
}
