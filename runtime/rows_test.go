package runtime

import (
	"runtime"
	"slices"
	"testing"
)

// TestSplitRows checks that the regrouped rows hold each row's synapses
// onto each block, in their original order, for several team sizes, the
// sources split among goroutines (splitPartMin 1 and four procs: as many
// as the team, up to four, on any machine) and not.
func TestSplitRows(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	for _, part := range []int{1, 1024} {
		old := splitPartMin
		splitPartMin = part
		checkSplitRows(t)
		splitPartMin = old
	}
}

func checkSplitRows(t *testing.T) {
	r := NewRNG(3)
	const sources, targets, per = 13, 29, 17
	row := []int32{0}
	var col []int32
	var w []float64
	for range sources {
		for range per {
			col = append(col, int32(r.Float64()*targets))
			w = append(w, r.Float64())
		}
		row = append(row, int32(len(col)))
	}
	for _, workers := range []int{1, 2, 3, 7, targets} {
		c, ww := slices.Clone(col), slices.Clone(w)
		seg := SplitRows(row, c, ww, targets, workers)
		for s := range sources {
			for b := range workers {
				lo, hi := Block(b, workers, targets)
				var wantC []int32
				var wantW []float64
				for q := row[s]; q < row[s+1]; q++ {
					if int(col[q]) >= lo && int(col[q]) < hi {
						wantC, wantW = append(wantC, col[q]), append(wantW, w[q])
					}
				}
				g := s*workers + b
				if workers == 1 {
					g = s
				}
				gotC, gotW := c[seg[g]:seg[g+1]], ww[seg[g]:seg[g+1]]
				if !slices.Equal(gotC, wantC) || !slices.Equal(gotW, wantW) {
					t.Fatalf("workers %d, source %d, block %d: got %v %v, want %v %v", workers, s, b, gotC, gotW, wantC, wantW)
				}
			}
		}
	}
}
