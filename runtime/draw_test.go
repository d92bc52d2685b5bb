package runtime

import (
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// TestDrawSources: whatever the parts and chunks, every source draws
// exactly what a serial pass over the stream gives it, a counting pass
// leaves the generator alone and a filling pass leaves it where the
// serial pass ends; for a fixed and a varying number of draws per source.
func TestDrawSources(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	defer func(p, c int) { drawPartMin, drawChunk = p, c }(drawPartMin, drawChunk)
	const sources = 37
	for _, per := range []int{0, 1, 3, -1} {
		draws := func(s int) int {
			if per < 0 {
				return s % 5 // varies from source to source
			}
			return per
		}
		// the serial stream, source by source
		serial := NewRNG(9)
		serial.Normal() // a spare pending: the parts must keep it
		start := *serial
		want := make([][]uint64, sources)
		for s := range want {
			for range draws(s) {
				want[s] = append(want[s], serial.Uint64())
			}
		}
		for _, cut := range [][2]int{{1, 1}, {1, 4}, {5, 2}, {1024, 1024}} {
			drawPartMin, drawChunk = cut[0], cut[1]
			for _, fill := range []bool{false, true} {
				r := start
				got := make([][]uint64, sources)
				var done atomic.Int64
				DrawSources(&r, sources, per, fill, &done, func(g *RNG, lo, hi int) {
					if !g.spareValid || g.spare != start.spare {
						t.Errorf("per %d, cut %v: a part lost the spare deviate", per, cut)
					}
					for s := lo; s < hi; s++ {
						for range draws(s) {
							got[s] = append(got[s], g.Uint64())
						}
					}
				})
				for s := range sources {
					if !slices.Equal(got[s], want[s]) {
						t.Fatalf("per %d, cut %v, fill %v: source %d drew %v, want %v", per, cut, fill, s, got[s], want[s])
					}
				}
				if done.Load() != sources {
					t.Errorf("per %d, cut %v: counted %d sources, want %d", per, cut, done.Load(), sources)
				}
				switch {
				case fill && r != *serial:
					t.Errorf("per %d, cut %v: the fill pass left the generator at %v, the serial draw at %v", per, cut, r, *serial)
				case !fill && r != start:
					t.Errorf("per %d, cut %v: the counting pass moved the generator", per, cut)
				}
			}
		}
	}
}

// TestSegments: counts to segment starts, row starts from them, and the
// block of every cell agreeing with Block.
func TestSegments(t *testing.T) {
	seg := []int32{0, 2, 0, 3, 1, 4, 0} // 3 sources x 2 blocks
	if n := SegStarts(seg); n != 10 || !slices.Equal(seg, []int32{0, 2, 2, 5, 6, 10, 10}) {
		t.Errorf("SegStarts: %d %v", n, seg)
	}
	if row := RowStarts(seg, 2); !slices.Equal(row, []int32{0, 2, 6, 10}) {
		t.Errorf("RowStarts: %v", row)
	}
	if row := RowStarts(seg, 1); &row[0] != &seg[0] {
		t.Errorf("RowStarts of one block copied the table")
	}
	for _, n := range []int{1, 2, 13, 80000} {
		for _, blocks := range []int{1, 2, 3, 7, 13, 64} {
			for b := range blocks {
				lo, hi := Block(b, blocks, n)
				for c := lo; c < hi; c++ {
					if got := BlockIndex(c, blocks, n); got != b {
						t.Fatalf("BlockIndex(%d, %d, %d) = %d, want %d", c, blocks, n, got, b)
					}
				}
			}
		}
	}
}

// TestCheckMemory: a network larger than any machine is refused with the
// estimate, what is available and what to do; a small one is not.
func TestCheckNetworkMemory(t *testing.T) {
	if _, ok := availableMemory(); !ok {
		t.Skip("no /proc/meminfo here")
	}
	if err := CheckNetworkMemory(NetworkSize{Synapses: 1000, Bytes: 12000, WeightBytes: 8}); err != nil {
		t.Errorf("a 12 kB network was refused: %v", err)
	}
	for _, c := range []struct {
		bytes int
		hint  string
	}{{8, "float32"}, {4, "fewer cells"}} {
		err := CheckNetworkMemory(NetworkSize{Synapses: 1e17, Bytes: 1.2e18, WeightBytes: c.bytes})
		if err == nil {
			t.Fatalf("a 1.2 EB network was not refused")
		}
		msg := err.Error()
		if !strings.Contains(msg, "1.2e+06 TB") && !strings.Contains(msg, "1.2e+09 GB") && !strings.Contains(msg, "more than 1e18 bytes") || !strings.Contains(msg, "available") || !strings.Contains(msg, c.hint) {
			t.Errorf("weights of %d bytes: %s", c.bytes, msg)
		}
	}
}
