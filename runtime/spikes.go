package runtime

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
)

// Rand is the generator every random draw of a generated program uses
// (LEMS random(x), Poisson sources, random initial values). ParseArgs
// seeds it from --seed before the run starts, so a run is a pure function
// of its seed: same seed, byte-identical output.
var Rand = NewRNG(0)

// SpikeRecorder collects the spikes of a run: for each, the step after
// which it was detected, its population and its index there. Its storage
// grows by doubling, so recording costs no allocation per spike on
// average; a program that records no spikes never calls it.
type SpikeRecorder struct {
	Populations []string
	// Offsets[p] is the network index of population p's cell 0: cells are
	// numbered across populations in node order.
	Offsets []int
	steps   []int32
	pops    []uint16
	idx     []int32
	on      bool
}

// NewSpikeRecorder returns a recorder for the named populations, whose
// cell 0 has network index offsets[p]; it records only when --spikes asked
// for a file or the run records spikes only (SpikesOnly).
func NewSpikeRecorder(opts Options, populations []string, offsets []int) *SpikeRecorder {
	return &SpikeRecorder{Populations: populations, Offsets: offsets, on: opts.Spikes != "" || SpikesOnly(opts)}
}

// On reports whether spikes are being recorded.
func (s *SpikeRecorder) On() bool { return s.on }

// SpikesOnly reports whether the run records no trace column (an
// experiment whose nodes all say record: false, or --record none): -o then
// receives the spikes.
func SpikesOnly(opts Options) bool { return len(opts.Selected) == 0 }

// Add records a spike detected at the end of step k (time (k+1)*dt).
func (s *SpikeRecorder) Add(k, pop, index int) {
	if !s.on {
		return
	}
	s.steps = append(s.steps, int32(k+1))
	s.pops = append(s.pops, uint16(pop))
	s.idx = append(s.idx, int32(index))
}

// Len is the number of recorded spikes.
func (s *SpikeRecorder) Len() int { return len(s.steps) }

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
	npy := strings.EqualFold(filepath.Ext(path), ".npy")
	write := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<16)
		s.write(bw, opts.Dt, npy)
		return bw.Flush()
	}
	if path == Stdout {
		return write(opts.stdout())
	}
	return writeFileAtomic(path, write)
}

func (s *SpikeRecorder) write(w *bufio.Writer, dt float64, npy bool) {
	if npy {
		header := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': (%d, 2), }", s.Len())
		pad := 64 - (10+len(header)+1)%64
		header += strings.Repeat(" ", pad%64) + "\n"
		w.WriteString("\x93NUMPY\x01\x00")
		binary.Write(w, binary.LittleEndian, uint16(len(header)))
		w.WriteString(header)
		var buf [8]byte
		for i := range s.steps {
			for _, v := range []float64{float64(s.steps[i]) * dt, float64(s.index(i))} {
				binary.LittleEndian.PutUint64(buf[:], math.Float64bits(v))
				w.Write(buf[:])
			}
		}
		return
	}
	w.WriteString("t,index\n")
	digits, unit, exact := decimalStep(dt)
	var b []byte
	for i := range s.steps {
		b = b[:0]
		if exact {
			b = appendFixed(b, int64(s.steps[i])*unit, digits)
		} else {
			b = strconv.AppendFloat(b, float64(s.steps[i])*dt, 'g', -1, 64)
		}
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(s.index(i)), 10)
		b = append(b, '\n')
		w.Write(b)
	}
}

// index is spike i's network index.
func (s *SpikeRecorder) index(i int) int {
	idx := int(s.idx[i])
	if int(s.pops[i]) < len(s.Offsets) {
		idx += s.Offsets[s.pops[i]]
	}
	return idx
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
