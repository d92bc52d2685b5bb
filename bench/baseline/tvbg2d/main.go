// Command tvbg2d is the hand-written baseline for the whole-brain
// benchmark: the Generic 2D oscillator (TVB defaults) on a connectome,
// linear coupling (a = 1/256) of V over weights normalised by their mean
// non-zero value, forward Euler, dt 0.1 ms, 600 ms, optionally with
// conduction delays (-delays: 3 mm/ms, a ring buffer of V). It is what a
// careful programmer would write for this one model: compressed sparse
// rows, state in flat arrays, the whole recording in memory, then one
// .npy file (t in seconds and V, W of every node), like the generated
// binary's -o out.npy. -heun integrates with Heun's method instead, the
// coupling held through both stages as TVB does.
package main

import (
	"bufio"
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

const (
	dt    = 0.1
	steps = 6000
	a     = 0.00390625
	speed = 3.0
)

func readMatrix(path string) [][]float64 {
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var m [][]float64
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var row []float64
		for _, f := range strings.Split(strings.TrimSpace(line), ",") {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			row = append(row, v)
		}
		m = append(m, row)
	}
	return m
}

func main() {
	dataDir := flag.String("data", os.Getenv("TVBOC_DATA"), "connectome directory")
	delays := flag.Bool("delays", false, "conduction delays from tract lengths")
	heun := flag.Bool("heun", false, "Heun's method instead of forward Euler")
	out := flag.String("o", "out.npy", "output .npy file")
	flag.Parse()
	w := readMatrix(filepath.Join(*dataDir, "DesikanKilliany_weights.csv"))
	l := readMatrix(filepath.Join(*dataDir, "DesikanKilliany_lengths.csv"))
	n := len(w)
	sum, cnt := 0.0, 0
	for i := range w {
		for _, v := range w[i] {
			if v > 0 {
				sum += v
				cnt++
			}
		}
	}
	mean := sum / float64(cnt)
	start := make([]int32, n+1)
	var col, lag []int32
	var wt []float64
	horizon := 1
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if w[i][j] != 0 {
				col = append(col, int32(j))
				wt = append(wt, w[i][j]/mean)
				d := 0
				if *delays {
					d = int(math.RoundToEven(l[i][j] / speed / dt))
				}
				horizon = max(horizon, d+1)
				lag = append(lag, int32(d*n-j))
			}
		}
		start[i+1] = int32(len(col))
	}
	V, W, c := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range V {
		V[i], W[i] = 0.1, 0.1
	}
	hist := make([]float64, horizon*n)
	for i := range hist {
		hist[i] = 0.1
	}
	cols := 1 + 2*n
	rec := make([]float64, (steps+1)*cols)
	record := func(k int) {
		row := rec[k*cols : (k+1)*cols]
		row[0] = float64(k) * dt * 1e-3
		copy(row[1:], V)
		copy(row[1+n:], W)
	}
	record(0)
	for k := 0; k < steps; k++ {
		base := (k % horizon) * n
		for i := 0; i < n; i++ {
			gx := 0.0
			for e := start[i]; e < start[i+1]; e++ {
				var x float64
				if *delays {
					at := base - int(lag[e])
					if at < 0 {
						at += horizon * n
					}
					x = hist[at]
				} else {
					x = V[col[e]]
				}
				gx += wt[e] * x
			}
			c[i] = a * gx
		}
		if *heun {
			for i := 0; i < n; i++ {
				v, x := V[i], W[i]
				dv := 0.02 * (x - v*v*v + 3*v*v + c[i])
				dw := 0.02 * (-2 - 10*v - x)
				vi, xi := v+dt*dv, x+dt*dw
				dv2 := 0.02 * (xi - vi*vi*vi + 3*vi*vi + c[i])
				dw2 := 0.02 * (-2 - 10*vi - xi)
				V[i], W[i] = v+(dv+dv2)*dt/2, x+(dw+dw2)*dt/2
			}
		} else {
			for i := 0; i < n; i++ {
				v, x := V[i], W[i]
				dv := 0.02 * (x - v*v*v + 3*v*v + c[i])
				dw := 0.02 * (-2 - 10*v - x)
				V[i], W[i] = v+dt*dv, x+dt*dw
			}
		}
		slot := ((k + 1) % horizon) * n
		copy(hist[slot:slot+n], V)
		record(k + 1)
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bw := bufio.NewWriter(f)
	header := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': (%d, %d), }", steps+1, cols)
	pad := 64 - (10+len(header)+1)%64
	header += strings.Repeat(" ", pad) + "\n"
	bw.WriteString("\x93NUMPY\x01\x00")
	binary.Write(bw, binary.LittleEndian, uint16(len(header)))
	bw.WriteString(header)
	buf := make([]byte, 8)
	for _, v := range rec {
		binary.LittleEndian.PutUint64(buf, math.Float64bits(v))
		bw.Write(buf)
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	f.Close()
}
