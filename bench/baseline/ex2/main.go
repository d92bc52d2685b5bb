// Command ex2 is the hand-written baseline for the seed experiment (NeuroML
// Ex2: four Izhikevich-2003 cells driven by pulses and a ramp, forward
// Euler, dt 5 us, 200 ms): what a careful programmer would write for
// exactly this network, in SI units, writing the same CSV as the generated
// binary (t and v of every cell, shortest round-trip floats). The
// benchmarks measure tvboc's generated program against it.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"
)

const (
	steps = 40000
	dt    = 5e-6
	mV    = 1e-3
	ms    = 1e-3
)

type cell struct {
	a, b, c, d float64
	v, u       float64
}

func main() {
	out := flag.String("o", "ex2.csv", "output CSV")
	flag.Parse()
	start := time.Now()
	cells := [4]cell{
		{a: 0.02, b: 0.2, c: -50, d: 2, v: -70 * mV},
		{a: 0.02, b: 0.2, c: -65, d: 6, v: -70 * mV},
		{a: 0.02, b: 0.2, c: -55, d: 4, v: -70 * mV},
		{a: 0.02, b: -0.1, c: -55, d: 6, v: -60 * mV},
	}
	for i := range cells {
		cells[i].u = cells[i].v * cells[i].b / mV
	}
	data := make([]float64, (steps+1)*4)
	for i := range cells {
		data[i] = cells[i].v
	}
	for k := 0; k < steps; k++ {
		t := float64(k+1) * dt // inputs are read at the end of the step
		var in [4]float64
		if t >= 22*ms && t < 2022*ms {
			in[0] = 15
		}
		if t >= 20*ms && t < 2020*ms {
			in[1] = 14
			in[2] = 10
		}
		in[3] = -32
		if t >= 30*ms && t < 200*ms {
			in[3] = -32 + 82*(t-30*ms)/(170*ms)
		}
		for i := range cells {
			c := &cells[i]
			v, u := c.v, c.u
			c.v = v + dt*((0.04*v*v/mV+5*v+(140-u+in[i])*mV)/ms)
			c.u = u + dt*(c.a*(c.b*v/mV-u)/ms)
			if c.v > 30*mV {
				c.v = c.c * mV
				c.u += c.d
			}
			data[(k+1)*4+i] = c.v
		}
	}
	simulated := time.Since(start)
	if err := write(*out, data); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "ex2 baseline: %d steps in %v, total %v\n", steps, simulated, time.Since(start))
}

func write(path string, data []float64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("t,izBurst_pop[0]/v,izTonic_pop[0]/v,izMixed_pop[0]/v,izClass1_pop[0]/v\n")
	line := make([]byte, 0, 128)
	for k := 0; k <= steps; k++ {
		line = strconv.AppendFloat(line[:0], float64(k)*dt, 'g', -1, 64)
		for i := 0; i < 4; i++ {
			line = append(line, ',')
			line = strconv.AppendFloat(line, data[k*4+i], 'g', -1, 64)
		}
		line = append(line, '\n')
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
