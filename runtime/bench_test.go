package runtime

import (
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchRecording is the size of the NeuroML Ex2 run (40000 steps) with four
// recorded columns, filled with membrane-potential-like values that need
// all 16-17 digits, the realistic worst case for the text writers.
func benchRecording() (Options, *Recorder) {
	const steps, cols = 40000, 4
	opts := Options{Steps: steps, Dt: 5e-6, Selected: []int{0, 1, 2, 3}}
	for i := range cols {
		opts.Columns = append(opts.Columns, Column{Name: "pop[" + string(rune('0'+i)) + "]/v", Unit: "V", Group: GroupDefault})
	}
	rec := NewRecorder(cols, steps+1)
	for k := range rec.Rows() {
		row := rec.Row(k)
		for c := range row {
			row[c] = -0.065 + 0.03*math.Sin(float64(k)*1e-3*float64(c+1))
		}
	}
	return opts, rec
}

// countingDiscard is io.Discard that remembers how many bytes went by, for
// b.SetBytes.
type countingDiscard struct{ n int64 }

func (w *countingDiscard) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

func benchmarkWriter(b *testing.B, write func(io.Writer, *Recorder, Options) error) {
	opts, rec := benchRecording()
	var size countingDiscard
	if err := write(&size, rec, opts); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size.n)
	b.ReportAllocs()
	for b.Loop() {
		if err := write(io.Discard, rec, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteCSV(b *testing.B) { benchmarkWriter(b, WriteCSV) }
func BenchmarkWriteDAT(b *testing.B) { benchmarkWriter(b, WriteDAT) }
func BenchmarkWriteNPY(b *testing.B) { benchmarkWriter(b, WriteNPY) }

// BenchmarkWriteFileNPY is what a run pays for -o results.npy: the write
// plus temp file, sync and rename.
func BenchmarkWriteFileNPY(b *testing.B) {
	opts, rec := benchRecording()
	path := filepath.Join(b.TempDir(), "results.npy")
	for b.Loop() {
		err := writeFileAtomic(path, func(w io.Writer) error { return WriteNPY(w, rec, opts) })
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecorderRow is the per-step cost the kernel pays for recording.
func BenchmarkRecorderRow(b *testing.B) {
	rec := NewRecorder(4, 1<<14)
	for b.Loop() {
		for k := range rec.Rows() {
			row := rec.Row(k)
			row[0], row[1], row[2], row[3] = 1, 2, 3, 4
		}
	}
}

// BenchmarkProgressUpdate is the cost of one Update call between chunks
// when nothing is drawn.
func BenchmarkProgressUpdate(b *testing.B) {
	p := NewProgress(Options{Steps: 1 << 30, Stderr: io.Discard})
	k := 0
	for b.Loop() {
		k++
		p.Update(k)
	}
}

// BenchmarkWriteSpikes writes half a million spikes of 10,000 cells
// recorded in two lanes (W2 N=10,000's spike file) as CSV, formatted on
// every core (parallel) and in order on one (serial).
func BenchmarkWriteSpikes(b *testing.B) {
	s := NewSpikeRecorder(Options{Spikes: "s.csv"}, []string{"exc", "inh"}, []int{0, 8000})
	s.SetWorkers(2)
	sizes := []int{8000, 2000}
	for k := range 10000 {
		for pop, n := range sizes {
			for w := range 2 {
				lo, hi := Block(w, 2, n)
				for c := lo + k%7; c < hi; c += 2 * n / 50 { // 50 spikes a step in all
					s.Lane(w).Add(k, pop, c)
				}
			}
		}
	}
	for _, mode := range []struct {
		name string
		min  int
	}{{"parallel", parallelTextMin}, {"serial", math.MaxInt}} {
		b.Run(mode.name, func(b *testing.B) {
			saved := parallelTextMin
			parallelTextMin = mode.min
			defer func() { parallelTextMin = saved }()
			for b.Loop() {
				w := newTextWriter(io.Discard, writeBufferSize)
				s.write(w, 1e-4, false)
				w.Flush()
			}
		})
	}
}

// BenchmarkSweepSetOverhead is what a sweep costs per set beyond its
// kernel, for a recording of the seed's size (40,001 rows, 4 cells' v and
// U, v written): the recorder, the divergence check, the output file
// (temp file, write, rename) and the manifest entry, with the manifest
// written once per sweep and shared out. The kernel here only copies a
// prepared recording, so ns/set is the overhead. "npy" writes binary
// values (the overhead proper, target < 5 ms a set); "csv" adds formatting
// 160,000 values as text, which is the output's cost, not the sweep's.
func BenchmarkSweepSetOverhead(b *testing.B) {
	for _, ext := range []string{"npy", "csv"} {
		b.Run(ext, func(b *testing.B) {
			const steps, sets = 40000, 16
			info := Info{Label: "seed-sized", Steps: steps, Dt: 5e-6}
			for i := range 4 {
				cell := "izBurst_pop[" + string(rune('0'+i)) + "]/"
				info.Columns = append(info.Columns, Column{Name: cell + "v", Unit: "V", Group: GroupDefault},
					Column{Name: cell + "U", Unit: "V", Group: GroupAll})
			}
			template := NewRecorder(len(info.Columns), steps+1)
			for k := range template.Rows() {
				row := template.Row(k)
				for c := range row {
					row[c] = -0.065 + 0.03*math.Sin(float64(k)*1e-3*float64(c+1))
				}
			}
			simulate := func(rec *Recorder, prog *Progress, p []float64) { copy(rec.Data(), template.Data()) }
			params := []Param{{Name: "cell.a", Default: 1, Scale: 1}}
			dir := b.TempDir()
			var sweep strings.Builder
			sweep.WriteString("cell.a\n")
			for range sets {
				sweep.WriteString("1\n")
			}
			sweepFile := filepath.Join(dir, "sweep.csv")
			if err := os.WriteFile(sweepFile, []byte(sweep.String()), 0o666); err != nil {
				b.Fatal(err)
			}
			e := environment{program: "bench", getenv: func(string) string { return "" }, stdout: io.Discard, stderr: io.Discard}
			args := []string{"--sweep", sweepFile, "--jobs", "1", "--quiet", "-o", filepath.Join(dir, "{index}."+ext)}
			for b.Loop() {
				if code := e.run(info, params, kernel{simulate: simulate}, args); code != 0 {
					b.Fatalf("exit %d", code)
				}
			}
			// set-ns/op: bench/report lists it as SweepSetOverhead/<ext>/set.
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*sets), "set-ns/op")
		})
	}
}
