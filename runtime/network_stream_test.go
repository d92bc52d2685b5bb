package runtime

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// fillNetwork runs a stand-in population kernel: workers fill their block
// of every row and meet after each, and worker 0 records a spike every
// 50 steps. nanAt > 0 puts a NaN into that row.
func fillNetwork(rec *Recorder, spikes *SpikeRecorder, workers, cols, rows, nanAt int) {
	var wg sync.WaitGroup
	barrier := make([]sync.WaitGroup, rows)
	for k := range barrier {
		barrier[k].Add(workers)
	}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lo, hi := Block(w, workers, cols)
			for k := range rows {
				row := rec.Row(k)
				for c := lo; c < hi; c++ {
					row[c] = math.Sin(float64(k*cols+c)) * 30
					if k == nanAt && c == lo {
						row[c] = math.NaN()
					}
				}
				if w == 0 && k%50 == 0 && k > 0 {
					spikes.Lane(0).Add(k-1, 0, k%cols)
				}
				barrier[k].Done()
				barrier[k].Wait()
			}
		}()
	}
	wg.Wait()
}

// TestNetworkRecorderStreams: a population run written to a file streams
// its rows (no whole recording in memory) and writes byte for byte what
// the in-memory recorder writes, traces and spikes, for every format and
// worker count; a failing spike file or a diverged run leaves nothing.
func TestNetworkRecorderStreams(t *testing.T) {
	const cols, rows = 300, 4001 // chunks of 436 rows: 10 chunks, the last partial
	columns := make([]Column, cols)
	selected := make([]int, cols)
	for c := range columns {
		columns[c] = Column{Name: fmt.Sprintf("pop[%d]/v", c), Group: "v"}
		selected[c] = c
	}
	for _, ext := range []string{".csv", ".dat", ".npy"} {
		for _, workers := range []int{1, 3} {
			t.Run(fmt.Sprintf("%s/workers=%d", ext, workers), func(t *testing.T) {
				dir := t.TempDir()
				format, err := FormatFor("a" + ext)
				if err != nil {
					t.Fatal(err)
				}
				opts := Options{Program: "sim", Quiet: true, Steps: rows - 1, Dt: 1e-4, Columns: columns, Selected: selected, Format: format}
				write := func(name string, stream bool) ([]byte, []byte) {
					opts.Out = filepath.Join(dir, name+ext)
					opts.Spikes = filepath.Join(dir, name+"-spikes.csv")
					var rec *Recorder
					if stream {
						if rec, err = NewNetworkRecorder(opts); err != nil {
							t.Fatal(err)
						}
						if rec.rowStream == nil {
							t.Fatal("a run written to a file does not stream")
						}
					} else {
						rec = NewRecorder(cols, rows)
					}
					spikes := NewSpikeRecorder(opts, []string{"pop"}, []int{0})
					fillNetwork(rec, spikes, workers, cols, rows, -1)
					if err := FinishNetwork(opts, rec, spikes, nil); err != nil {
						t.Fatal(err)
					}
					traces, _ := os.ReadFile(opts.Out)
					sp, _ := os.ReadFile(opts.Spikes)
					return traces, sp
				}
				wantTraces, wantSpikes := write("whole", false)
				gotTraces, gotSpikes := write("stream", true)
				if len(wantTraces) == 0 || !bytes.Equal(gotTraces, wantTraces) || !bytes.Equal(gotSpikes, wantSpikes) {
					t.Fatalf("streamed traces %d bytes, spikes %d; in memory %d and %d: not the same bytes", len(gotTraces), len(gotSpikes), len(wantTraces), len(wantSpikes))
				}
			})
		}
	}

	for _, tc := range []struct {
		name   string
		spikes string
		nanAt  int
		want   string
	}{
		{"unwritable spike file", "nodir/spikes.csv", -1, "nodir"},
		{"diverged", "spikes.csv", 2500, "the run diverged"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			opts := Options{Program: "sim", Quiet: true, Steps: rows - 1, Dt: 1e-4, Columns: columns, Selected: selected,
				Format: FormatCSV, Out: filepath.Join(dir, "out.csv"), Spikes: filepath.Join(dir, tc.spikes)}
			rec, err := NewNetworkRecorder(opts)
			if err != nil {
				t.Fatal(err)
			}
			spikes := NewSpikeRecorder(opts, []string{"pop"}, []int{0})
			fillNetwork(rec, spikes, 2, cols, rows, tc.nanAt)
			err = FinishNetwork(opts, rec, spikes, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("FinishNetwork: %v, want an error with %q", err, tc.want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("left behind: %v", entries)
			}
		})
	}
}
