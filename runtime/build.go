package runtime

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// Building a population network's synapses at start-up. A sparse edge is
// drawn twice from the same stretch of the stream: a first pass only
// counts each source's synapses per (target population, worker block),
// which gives every segment's place, and after one allocation of exactly
// the synapses counted a second pass draws them again straight into
// place, already grouped by worker block (what SplitRows did by copying).
// Both passes cut the sources into a few contiguous parts drawn at once,
// each from the stream jumped ahead to where a serial draw would be at
// its first source (jump.go), so the network is bit for bit the one the
// serial draw gives, on any number of cores.

// DrawSources calls draw(r, lo, hi) over the sources [0, sources) of an
// edge so that source s draws from r's stream exactly where a draw of
// sources 0..s-1 in order would have left it. perSource is the number of
// outputs every source takes from the stream, or -1 when it varies (a
// normal deviate in the weight, or a probability rule with a random
// weight): then the draw is one serial pass. With fill false the pass
// draws from a copy and leaves r as it was (the counting pass); with fill
// true it leaves r where the serial draw ends. done, when not nil, counts
// the sources drawn, for progress.
func DrawSources(r *RNG, sources, perSource int, fill bool, done *atomic.Int64, draw func(r *RNG, lo, hi int)) {
	chunked := func(r *RNG, lo, hi int) {
		for c := lo; c < hi; c += drawChunk {
			e := min(c+drawChunk, hi)
			draw(r, c, e)
			if done != nil {
				done.Add(int64(e - c))
			}
		}
	}
	parts := min(runtime.GOMAXPROCS(0), sources/drawPartMin+1)
	if perSource < 0 || parts <= 1 {
		c := *r
		chunked(&c, 0, sources)
		if fill {
			*r = c
		}
		return
	}
	// Equal parts but the last: part p starts p*per sources in, so one
	// jump of per*perSource outputs leads from each part's start to the
	// next one's.
	per := (sources + parts - 1) / parts
	parts = (sources + per - 1) / per
	starts := make([][4]uint64, parts)
	starts[0] = r.s
	if perSource > 0 {
		j := cachedJump(per * perSource)
		for p := 1; p < parts; p++ {
			starts[p] = j.apply(starts[p-1])
		}
	} else {
		for p := range starts {
			starts[p] = r.s
		}
	}
	gens := make([]RNG, parts)
	var wg sync.WaitGroup
	for p := range parts {
		gens[p] = RNG{s: starts[p], spare: r.spare, spareValid: r.spareValid}
		wg.Go(func() { chunked(&gens[p], p*per, min((p+1)*per, sources)) })
	}
	wg.Wait()
	if fill {
		*r = gens[parts-1]
	}
}

// drawPartMin is the fewest sources DrawSources gives a goroutine, and
// drawChunk how many it draws between progress counts (variables so that
// tests can cut small networks into many parts).
var (
	drawPartMin = 1024
	drawChunk   = 1024
)

var jumps sync.Map // n -> *gf2: both passes of an edge jump alike

// cachedJump is jumpMap(n), built once per n (about 10 ms for a jump of
// a hundred million outputs).
func cachedJump(n int) *gf2 {
	if j, ok := jumps.Load(n); ok {
		return j.(*gf2)
	}
	j := jumpMap(n)
	jumps.Store(n, j)
	return j
}

// BlockIndex is the worker block (Block) that cell c of n cells split
// among blocks workers falls in: the last block starting at or before c,
// b*n/blocks <= c, that is b < (c+1)*blocks/n. Inlined with n a constant,
// the division is a multiplication.
func BlockIndex(c, blocks, n int) int {
	return ((c+1)*blocks - 1) / n
}

// SegStarts turns the counts of the counting pass into segment starts in
// place: seg[g+1] holds the synapses of group g = source*blocks+block on
// entry, and seg[g] where group g starts on return (seg[0] = 0, the last
// entry the total). It returns the total. More than 2^31-1 synapses of
// one edge into one population stop the program: the tables are int32.
func SegStarts(seg []int32) int {
	total := 0
	for g := range seg {
		total += int(seg[g])
		seg[g] = int32(total)
	}
	if total > math.MaxInt32 {
		Fatal(fmt.Errorf("an edge has %d synapses into one population, more than the %d it can hold: split the population or the edge", total, math.MaxInt32))
	}
	return total
}

// RowStarts returns the row starts of a segment table of blocks groups
// per source: source s's synapses are row[s]..row[s+1]. With one block
// it is seg itself.
func RowStarts(seg []int32, blocks int) []int32 {
	if blocks == 1 {
		return seg
	}
	sources := (len(seg) - 1) / blocks
	row := make([]int32, sources+1)
	for s := range row {
		row[s] = seg[s*blocks]
	}
	return row
}

// BuildProgress reports how far the drawing of a network's synapses is
// (the Progress line, after the same two quiet seconds) and times the
// whole construction for the summary line.
type BuildProgress struct {
	done  atomic.Int64
	prog  *Progress
	start time.Time
	stop  chan struct{}
	wg    sync.WaitGroup
}

// StartBuild starts the construction's clock and its progress line for
// total units of work (the sources of every drawing pass).
func StartBuild(opts Options, total int) *BuildProgress {
	b := &BuildProgress{start: time.Now(), stop: make(chan struct{})}
	b.prog = NewProgress(opts)
	b.prog.total = total
	b.prog.building = true
	if opts.Quiet {
		return b
	}
	b.wg.Go(func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-b.stop:
				return
			case <-tick.C:
				b.prog.Update(int(b.done.Load()))
			}
		}
	})
	return b
}

// Counter is what DrawSources counts the drawn sources in.
func (b *BuildProgress) Counter() *atomic.Int64 { return &b.done }

// Done stops the progress line and returns the construction's wall time.
func (b *BuildProgress) Done() time.Duration {
	close(b.stop)
	b.wg.Wait()
	b.prog.Done()
	return time.Since(b.start)
}

// hugeMin is the smallest array Huge asks huge pages for.
const hugeMin = 8 << 20

// Huge returns s (a freshly made, still untouched synapse array) after
// asking the system to back it with huge pages when it is large.
func Huge[T any](s []T) []T {
	var zero T
	if n := uintptr(len(s)) * unsafe.Sizeof(zero); n >= hugeMin {
		adviseHuge(unsafe.Pointer(unsafe.SliceData(s)), n)
	}
	return s
}
