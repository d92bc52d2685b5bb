// Command ex9 is the hand-written baseline for NeuroML Ex9 (FitzHugh-
// Nagumo, dimensionless, forward Euler, dt 0.01 s, 200 s). It links the
// same runtime as the generated program, so the benchmarks compare the
// kernels alone.
package main

import rt "github.com/tvboc/tvboc/runtime"

const (
	steps = 20000
	dt    = 0.01 // s
	I     = 0.8
)

var columns = []rt.Column{{Name: "V", Group: "v"}, {Name: "W", Group: "all"}}

func main() {
	opts := rt.ParseFlags(rt.Info{Label: "Ex9 hand-written", Steps: steps, Dt: dt, Columns: columns})
	rec := rt.NewRecorder(len(columns), steps+1)
	prog := rt.NewProgress(opts)
	simulate(rec, prog)
	if err := rt.Finish(opts, rec, prog); err != nil {
		rt.Fatal(err)
	}
}

func simulate(rec *rt.Recorder, prog *rt.Progress) {
	V, W := 0.0, 0.0
	row := rec.Row(0)
	row[0], row[1] = V, W
	for k0 := 0; k0 < steps; k0 += rt.Chunk {
		k1 := min(k0+rt.Chunk, steps)
		for k := k0; k < k1; k++ {
			dV := V - V*V*V/3 - W + I
			dW := 0.08 * (V + 0.7 - 0.8*W)
			V += dt * dV
			W += dt * dW
			row := rec.Row(k + 1)
			row[0], row[1] = V, W
		}
		prog.Update(k1)
	}
}
