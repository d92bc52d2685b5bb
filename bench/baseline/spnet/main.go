// Command spnet is the hand-written Go baseline for benchmark workload W2,
// Izhikevich's (2003) "spnet" network of N spiking cells, and the
// specification that the C baseline (bench/baseline/c/spnet.c) and a
// tvboc-generated W2 program must follow to agree with it spike for spike.
//
// # Model
//
// N cells; the first Ne = 4N/5 (integer division) are excitatory, the rest
// inhibitory. Per cell one uniform r = Float64():
//
//	excitatory: a = 0.02,          b = 0.2,           c = -65 + 15 r^2, d = 8 - 6 r^2
//	inhibitory: a = 0.02 + 0.08 r, b = 0.25 - 0.05 r, c = -65,          d = 2
//
// with v(0) = -65 and u(0) = b v(0). Units are mV and ms, as in the paper.
// Connections: all-to-all (self included, as in the paper's matrix S) with
// weight 0.5 Float64() from an excitatory source and -Float64() from an
// inhibitory one; or, with -targets K > 0, K random targets per source,
// each target floor(N Float64()) (repeats and self allowed) with weight
// 5 Float64() (excitatory source) or -10 Float64() (inhibitory source).
// The default is all-to-all for N <= 1000 and K = 100 above.
//
// # Random draws, in this order, from one runtime RNG (rt.NewRNG(seed))
//
//  1. parameters: one Float64 per cell, cells in index order;
//  2. connections: row by row, sources in index order; all-to-all: one
//     Float64 per target in target index order (weight); sparse: per
//     synapse a target Float64 then a weight Float64, K synapses in order;
//  3. thalamic input: at every step k with k % 10 == 0 (every 1 ms), one
//     Normal per cell in index order, I_i = sigma_i Normal() with sigma 5
//     (excitatory) or 2 (inhibitory), held for ten steps. The Normal
//     generator's spare deviate carries over from one window to the next.
//
// # Step order (dt = 0.1 ms, steps k = 0 .. K-1 for T ms)
//
//  1. if k % 10 == 0, redraw the thalamic input (above);
//  2. forward Euler for every cell from the state at the start of the step:
//     v' = v + dt (((0.04 v) v + 5 v + 140) - u + I), u' = u + dt (a (b v - u)),
//     evaluated left to right exactly as written (no fused multiply-add);
//  3. threshold: every cell with v' >= 30, in index order, fires; its spike
//     is recorded at time (k+1) dt, the time of the state that crossed;
//  4. propagation: for each fired cell in index order, its weights are added
//     at once to its targets' v, targets in row order;
//  5. reset: for each fired cell, v = c, u = u + d.
//
// Propagation before reset is Brian2's default schedule (thresholds,
// synapses, resets) with on_pre "v += w", so the Brian2 scripts in
// bench/brian2 are the same model (with Brian2's own random numbers, and
// Brian2 stamps a spike with the step's start time k dt instead).
//
// # Output
//
// Spikes as CSV: header "t,index", one row per spike in the order recorded,
// t in seconds written exactly from the step number (step/10000 with four
// decimals, no floating-point formatting). On stdout one summary line of
// key=value fields, read by the benchmark harness:
//
//	spnet go: n=1000 seed=1 steps=10000 spikes=... rate_hz=... sim_ns=... write_ns=...
//
// sim_ns is the wall time of the step loop alone (network construction is
// excluded; the harness measures the whole process separately).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	rt "github.com/tvboc/tvboc/runtime"
)

const (
	dt         = 0.1 // ms
	redraw     = 10  // steps per thalamic window (1 ms)
	threshold  = 30.0
	stepsPerMs = 10
)

func main() {
	n := flag.Int("n", 1000, "number of cells")
	seed := flag.Uint64("seed", 1, "seed of the runtime RNG")
	targets := flag.Int("targets", -1, "random targets per cell; 0 = all-to-all; default all-to-all for n <= 1000, else 100")
	ms := flag.Int("T", 1000, "simulated time in ms")
	out := flag.String("o", "spikes.csv", "spike CSV to write (\"-\" for none)")
	flag.Parse()
	if *n < 1 || *ms < 0 || *targets < -1 {
		fmt.Fprintln(os.Stderr, "spnet: -n must be >= 1, -T and -targets >= 0")
		os.Exit(2)
	}
	k := *targets
	if k < 0 {
		k = 0
		if *n > 1000 {
			k = 100
		}
	}
	net := build(*n, k, *seed)
	steps := *ms * stepsPerMs

	start := time.Now()
	spikes := net.run(steps)
	sim := time.Since(start)

	start = time.Now()
	if *out != "-" {
		if err := write(*out, spikes); err != nil {
			fmt.Fprintln(os.Stderr, "spnet:", err)
			os.Exit(1)
		}
	}
	wrote := time.Since(start)
	count := len(spikes) / 2
	rate := 0.0
	if *ms > 0 {
		rate = float64(count) / float64(*n) / (float64(*ms) / 1000)
	}
	fmt.Printf("spnet go: n=%d seed=%d steps=%d spikes=%d rate_hz=%.3f sim_ns=%d write_ns=%d\n",
		*n, *seed, steps, count, rate, sim.Nanoseconds(), wrote.Nanoseconds())
}

// network is struct-of-arrays state: the per-cell loops run over
// contiguous slices the compiler can keep bounds-check-free.
type network struct {
	n, ne, k      int
	a, b, c, d    []float64
	v, u, in, sig []float64
	w             []float64 // all-to-all: n*n, row = source; sparse: n*k
	tgt           []int32   // sparse only: n*k targets, row = source
	rng           *rt.RNG
}

// build draws the parameters and the connections (draw groups 1 and 2).
func build(n, k int, seed uint64) *network {
	ne := n * 4 / 5
	nw := &network{n: n, ne: ne, k: k, rng: rt.NewRNG(seed)}
	for _, p := range []*[]float64{&nw.a, &nw.b, &nw.c, &nw.d, &nw.v, &nw.u, &nw.in, &nw.sig} {
		*p = make([]float64, n)
	}
	r := nw.rng
	for i := 0; i < n; i++ {
		x := r.Float64()
		if i < ne {
			nw.a[i], nw.b[i], nw.c[i], nw.d[i] = 0.02, 0.2, -65+15*x*x, 8-6*x*x
			nw.sig[i] = 5
		} else {
			nw.a[i], nw.b[i], nw.c[i], nw.d[i] = 0.02+0.08*x, 0.25-0.05*x, -65, 2
			nw.sig[i] = 2
		}
		nw.v[i] = -65
		nw.u[i] = nw.b[i] * nw.v[i]
	}
	if k == 0 {
		nw.w = make([]float64, n*n)
		for i := 0; i < n; i++ {
			scale := 0.5
			if i >= ne {
				scale = -1
			}
			row := nw.w[i*n : (i+1)*n]
			for j := range row {
				row[j] = scale * r.Float64()
			}
		}
		return nw
	}
	nw.w = make([]float64, n*k)
	nw.tgt = make([]int32, n*k)
	for i := 0; i < n; i++ {
		scale := 5.0
		if i >= ne {
			scale = -10
		}
		for s := i * k; s < (i+1)*k; s++ {
			nw.tgt[s] = int32(float64(n) * r.Float64())
			nw.w[s] = scale * r.Float64()
		}
	}
	return nw
}

// run simulates steps steps and returns the spikes as (step, index) pairs.
func (nw *network) run(steps int) []int32 {
	n := nw.n
	a, b, c, d := nw.a[:n], nw.b[:n], nw.c[:n], nw.d[:n]
	v, u, in, sig := nw.v[:n], nw.u[:n], nw.in[:n], nw.sig[:n]
	fired := make([]int32, 0, n)
	spikes := make([]int32, 0, 1<<16)
	for k := 0; k < steps; k++ {
		if k%redraw == 0 {
			for i := range in {
				in[i] = sig[i] * nw.rng.Normal()
			}
		}
		for i := range v {
			vi, ui := v[i], u[i]
			v[i] = vi + dt*(0.04*vi*vi+5*vi+140-ui+in[i])
			u[i] = ui + dt*(a[i]*(b[i]*vi-ui))
		}
		fired = fired[:0]
		for i, vi := range v {
			if vi >= threshold {
				fired = append(fired, int32(i))
				spikes = append(spikes, int32(k+1), int32(i))
			}
		}
		if len(fired) == 0 {
			continue
		}
		if nw.k == 0 {
			for _, i := range fired {
				// Re-slicing to len(v) lets the compiler drop the bounds
				// checks of the inner loop.
				row := nw.w[int(i)*n:][:len(v)]
				for j, x := range row {
					v[j] += x
				}
			}
		} else {
			kk := nw.k
			for _, i := range fired {
				tg := nw.tgt[int(i)*kk : int(i)*kk+kk]
				w := nw.w[int(i)*kk : int(i)*kk+kk]
				for s, j := range tg {
					v[j] += w[s]
				}
			}
		}
		for _, i := range fired {
			v[i] = c[i]
			u[i] += d[i]
		}
	}
	return spikes
}

// write stores the spikes as CSV, times formatted from the integer step
// (1 step = 1e-4 s) so every implementation writes the same bytes.
func write(path string, spikes []int32) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("t,index\n")
	line := make([]byte, 0, 32)
	for p := 0; p < len(spikes); p += 2 {
		step := int64(spikes[p])
		line = strconv.AppendInt(line[:0], step/10000, 10)
		line = append(line, '.')
		frac := step % 10000
		for div := int64(1000); div > 0; div /= 10 {
			line = append(line, byte('0'+frac/div%10))
		}
		line = append(line, ',')
		line = strconv.AppendInt(line, int64(spikes[p+1]), 10)
		line = append(line, '\n')
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
