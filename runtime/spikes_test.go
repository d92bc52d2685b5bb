package runtime

import (
	"bytes"
	"math"
	"math/rand/v2"
	goruntime "runtime"
	"testing"
)

// TestSpikeLanesMerge records the same spikes once in one lane, in the
// written order, and once the way a team records them (each worker its
// own block of every population, step by step); both must write the same
// bytes, in CSV and in NPY.
func TestSpikeLanesMerge(t *testing.T) {
	sizes, offsets := []int{10, 7}, []int{0, 10}
	for _, workers := range []int{1, 2, 3, 5} {
		on := Options{Spikes: "s.csv"}
		one := NewSpikeRecorder(on, []string{"a", "b"}, offsets)
		team := NewSpikeRecorder(on, []string{"a", "b"}, offsets)
		team.SetWorkers(workers)
		r := rand.New(rand.NewPCG(1, uint64(workers)))
		for k := range 40 {
			for p, n := range sizes {
				for w := range workers {
					lo, hi := Block(w, workers, n)
					for c := lo; c < hi; c++ {
						if r.IntN(3) == 0 { // steps, populations and lanes with no spike too
							one.Add(k, p, c)
							team.Lane(w).Add(k, p, c)
						}
					}
				}
			}
		}
		if team.Len() != one.Len() || one.Len() == 0 {
			t.Fatalf("%d workers: %d spikes in the lanes, %d in one", workers, team.Len(), one.Len())
		}
		for _, npy := range []bool{false, true} {
			var a, b bytes.Buffer
			wa, wb := newTextWriter(&a, 4096), newTextWriter(&b, 4096)
			one.write(wa, 1e-4, npy)
			team.write(wb, 1e-4, npy)
			wa.Flush()
			wb.Flush()
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("%d workers, npy %v: the lanes write another order", workers, npy)
			}
		}
	}
}

// TestSpikesParallelSameBytes: a spike file large enough to be formatted
// on every core has the bytes of the one formatted in order.
func TestSpikesParallelSameBytes(t *testing.T) {
	s := NewSpikeRecorder(Options{Spikes: "s.csv"}, []string{"a", "b"}, []int{0, 1000})
	s.SetWorkers(3)
	r := rand.New(rand.NewPCG(5, 6))
	for k := range 3000 {
		for p := range 2 {
			for w := range 3 {
				lo, hi := Block(w, 3, 1000)
				for c := lo; c < hi; c += 1 + r.IntN(150) {
					s.Lane(w).Add(k, p, c)
				}
			}
		}
	}
	if s.Len() < 2*parallelTextMin {
		t.Fatalf("only %d spikes", s.Len())
	}
	// at least two workers format, whatever the machine has
	defer goruntime.GOMAXPROCS(goruntime.GOMAXPROCS(max(2, goruntime.GOMAXPROCS(0))))
	write := func(min int, dt float64) []byte {
		saved := parallelTextMin
		parallelTextMin = min
		defer func() { parallelTextMin = saved }()
		var b bytes.Buffer
		w := newTextWriter(&b, 4096)
		s.write(w, dt, false)
		w.Flush()
		return b.Bytes()
	}
	for _, dt := range []float64{1e-4, 1.0 / 3} { // exact decimals, and not
		if !bytes.Equal(write(parallelTextMin, dt), write(math.MaxInt, dt)) {
			t.Errorf("dt %g: formatting on every core wrote other bytes", dt)
		}
	}
}
