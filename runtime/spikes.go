package runtime

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"math"
	"os"
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
	steps       []int32
	pops        []uint16
	idx         []int32
	on          bool
}

// NewSpikeRecorder returns a recorder for the named populations; it
// records only when --spikes asked for a file.
func NewSpikeRecorder(opts Options, populations []string) *SpikeRecorder {
	return &SpikeRecorder{Populations: populations, on: opts.Spikes != ""}
}

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

// WriteSpikes writes the recorded spikes to opts.Spikes: CSV with header
// "t,population,index" (t in seconds), or for .npy a float64 matrix of
// rows (t, population number, index). It writes a temporary file and
// renames it, so a failed write leaves nothing behind.
func WriteSpikes(opts Options, s *SpikeRecorder) error {
	if opts.Spikes == "" {
		return nil
	}
	path := opts.Spikes
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	w := bufio.NewWriterSize(tmp, 1<<16)
	if strings.EqualFold(filepath.Ext(path), ".npy") {
		header := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': (%d, 3), }", s.Len())
		pad := 64 - (10+len(header)+1)%64
		header += strings.Repeat(" ", pad%64) + "\n"
		w.WriteString("\x93NUMPY\x01\x00")
		binary.Write(w, binary.LittleEndian, uint16(len(header)))
		w.WriteString(header)
		var buf [8]byte
		for i := range s.steps {
			for _, v := range []float64{float64(s.steps[i]) * opts.Dt, float64(s.pops[i]), float64(s.idx[i])} {
				binary.LittleEndian.PutUint64(buf[:], math.Float64bits(v))
				w.Write(buf[:])
			}
		}
	} else {
		w.WriteString("t,population,index\n")
		var b []byte
		for i := range s.steps {
			b = strconv.AppendFloat(b[:0], float64(s.steps[i])*opts.Dt, 'g', -1, 64)
			b = append(b, ',')
			b = append(b, s.Populations[s.pops[i]]...)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(s.idx[i]), 10)
			b = append(b, '\n')
			w.Write(b)
		}
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}
