package runtime

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
)

// Rand is the generator every random draw of a generated program uses
// (LEMS random(x), Poisson sources, random initial values). ParseArgs
// seeds it from --seed before the run starts, so a run is a pure function
// of its seed: same seed, byte-identical output.
var Rand = NewRNG(0)

// SpikeRecorder collects the spikes of a run: for each, the step after
// which it was detected, its population and its index there. Each worker of
// a team records its own cells' spikes in a lane of its own (Lane), so no
// worker waits for another to record; the lanes are merged when written.
// Storage grows by doubling, so recording costs no allocation per spike on
// average; a program that records no spikes never calls it.
type SpikeRecorder struct {
	Populations []string
	// Offsets[p] is the network index of population p's cell 0: cells are
	// numbered across populations in node order.
	Offsets []int
	lanes   []SpikeLane
	on      bool
}

// SpikeLane is one worker's share of a SpikeRecorder: the spikes of the
// worker's block of each population, step by step, populations in order
// within a step.
type SpikeLane struct {
	steps []int32
	pops  []uint16
	idx   []int32
	on    bool
	_     [64]byte // lanes sit side by side: keep each worker's on its own cache lines
}

// NewSpikeRecorder returns a recorder for the named populations, whose
// cell 0 has network index offsets[p]; it records only when --spikes asked
// for a file or the run records spikes only (SpikesOnly). It has one lane;
// SetWorkers gives it one per worker.
func NewSpikeRecorder(opts Options, populations []string, offsets []int) *SpikeRecorder {
	s := &SpikeRecorder{Populations: populations, Offsets: offsets, on: opts.Spikes != "" || SpikesOnly(opts)}
	s.SetWorkers(1)
	return s
}

// SetWorkers gives the recorder one lane per worker, dropping what was
// recorded. Worker w must record the cells of block w (see Block) of every
// population in lane w: the written order, by step, then population, then
// cell, is the lanes' order when they are concatenated per step and
// population.
func (s *SpikeRecorder) SetWorkers(n int) {
	s.lanes = make([]SpikeLane, max(n, 1))
	for i := range s.lanes {
		s.lanes[i].on = s.on
	}
}

// On reports whether spikes are being recorded.
func (s *SpikeRecorder) On() bool { return s.on }

// Lane is worker w's lane.
func (s *SpikeRecorder) Lane(w int) *SpikeLane { return &s.lanes[w] }

// SpikesOnly reports whether the run records no trace column (an
// experiment whose nodes all say record: false, or --record none): -o then
// receives the spikes.
func SpikesOnly(opts Options) bool { return len(opts.Selected) == 0 }

// Add records a spike detected at the end of step k (time (k+1)*dt) in
// lane 0.
func (s *SpikeRecorder) Add(k, pop, index int) { s.lanes[0].Add(k, pop, index) }

// Add records a spike detected at the end of step k (time (k+1)*dt).
func (l *SpikeLane) Add(k, pop, index int) {
	if !l.on {
		return
	}
	l.steps = append(l.steps, int32(k+1))
	l.pops = append(l.pops, uint16(pop))
	l.idx = append(l.idx, int32(index))
}

// Len is the number of recorded spikes.
func (s *SpikeRecorder) Len() int {
	n := 0
	for i := range s.lanes {
		n += len(s.lanes[i].steps)
	}
	return n
}

// each calls f for every spike in the written order: by step, then
// population, then lane (the cells of a population's blocks in order),
// then as recorded.
func (s *SpikeRecorder) each(f func(step int32, index int)) {
	at := make([]int, len(s.lanes))
	for {
		// the next (step, population) group: the smallest at any lane's cursor
		found := false
		var step int32
		var pop uint16
		for w := range s.lanes {
			l := &s.lanes[w]
			if c := at[w]; c < len(l.steps) {
				if !found || l.steps[c] < step || l.steps[c] == step && l.pops[c] < pop {
					step, pop, found = l.steps[c], l.pops[c], true
				}
			}
		}
		if !found {
			return
		}
		for w := range s.lanes {
			l := &s.lanes[w]
			c := at[w]
			for ; c < len(l.steps) && l.steps[c] == step && l.pops[c] == pop; c++ {
				f(step, s.index(pop, l.idx[c]))
			}
			at[w] = c
		}
	}
}

// WriteSpikes writes the recorded spikes to path: CSV with header
// "t,index" (t in seconds, index the cell's network index), or for .npy a
// float64 matrix of (t, index) rows. Times are written exactly from the
// step number when dt is a short decimal (1e-4 s: "0.0123"), so every
// implementation of a workload can write the same bytes; otherwise in
// shortest round-trip form. It writes a temporary file and renames it, so
// a failed write leaves nothing behind.
func WriteSpikes(opts Options, path string, s *SpikeRecorder) error {
	if path == "" {
		return nil
	}
	return writeOutputs(spikeOutput(opts, path, s))
}

// spikeOutput is the spike file as one of a run's outputs (writeOutputs).
func spikeOutput(opts Options, path string, s *SpikeRecorder) output {
	npy := strings.EqualFold(filepath.Ext(path), ".npy")
	o := output{what: "spikes", path: path, write: func(w io.Writer) error {
		bw := newTextWriter(w, 1<<16)
		s.write(bw, opts.Dt, npy)
		return bw.Flush()
	}}
	if path == Stdout {
		o.w = opts.stdout()
	}
	return o
}

func (s *SpikeRecorder) write(w textWriter, dt float64, npy bool) {
	if npy {
		header := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': (%d, 2), }", s.Len())
		pad := 64 - (10+len(header)+1)%64
		header += strings.Repeat(" ", pad%64) + "\n"
		w.WriteString("\x93NUMPY\x01\x00")
		binary.Write(w, binary.LittleEndian, uint16(len(header)))
		w.WriteString(header)
		var buf [8]byte
		s.each(func(step int32, index int) {
			for _, v := range [2]float64{float64(step) * dt, float64(index)} {
				binary.LittleEndian.PutUint64(buf[:], math.Float64bits(v))
				w.Write(buf[:])
			}
		})
		return
	}
	w.WriteString("t,index\n")
	digits, unit, exact := decimalStep(dt)
	line := func(b []byte, step int32, index int) []byte {
		if exact {
			b = appendFixed(b, int64(step)*unit, digits)
		} else {
			b = appendShortest(b, float64(step)*dt)
		}
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(index), 10)
		return append(b, '\n')
	}
	if workers := goruntime.GOMAXPROCS(0); workers > 1 && s.Len() >= parallelTextMin {
		// in written order first, then formatted on every core (write.go)
		steps, indices := make([]int32, 0, s.Len()), make([]int32, 0, s.Len())
		s.each(func(step int32, index int) {
			steps, indices = append(steps, step), append(indices, int32(index))
		})
		writeLines(w, len(steps), 2, workers, nil, func() lineMaker {
			return func(b []byte, j int) []byte {
				return line(b, steps[j], int(indices[j]))
			}
		})
		return
	}
	var b []byte
	s.each(func(step int32, index int) {
		b = line(b[:0], step, index)
		w.Write(b)
	})
}

// index is the network index of cell idx of population pop.
func (s *SpikeRecorder) index(pop uint16, idx int32) int {
	if int(pop) < len(s.Offsets) {
		return int(idx) + s.Offsets[pop]
	}
	return int(idx)
}

// decimalStep finds dt = unit * 10^-digits with a small integer unit and
// at most 9 digits, so that t = step*unit can be written exactly.
func decimalStep(dt float64) (digits int, unit int64, ok bool) {
	scale := 1.0
	for digits = 0; digits <= 9; digits++ {
		u := math.Round(dt * scale)
		if u >= 1 && u < 1e6 && math.Abs(dt*scale-u) <= 1e-9*u {
			return digits, int64(u), true
		}
		scale *= 10
	}
	return 0, 0, false
}

// appendFixed appends v * 10^-digits with exactly digits decimals.
func appendFixed(b []byte, v int64, digits int) []byte {
	if digits == 0 {
		return strconv.AppendInt(b, v, 10)
	}
	p := int64(1)
	for range digits {
		p *= 10
	}
	b = strconv.AppendInt(b, v/p, 10)
	b = append(b, '.')
	frac := v % p
	for div := p / 10; div > 0; div /= 10 {
		b = append(b, byte('0'+frac/div%10))
	}
	return b
}
