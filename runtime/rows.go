package runtime

import (
	"runtime"
	"sync"
)

// SplitRows regroups compressed sparse rows by worker block of the target
// population, so that in a team each worker delivers a spike only through
// the synapses onto its own cells instead of scanning the whole row.
//
// row, col and w are the rows as built (source s's synapses are
// row[s]..row[s+1], targets col (16-bit where the target population
// allows), weights w); targets is the size of the
// target population and workers the team size. col and w are reordered in
// place, and the returned segment starts seg say where each (source,
// block) group lies: source s's synapses onto worker b's block
// (Block(b, workers, targets)) are seg[s*workers+b]..seg[s*workers+b+1].
// The reordering is stable, so every target cell still receives a spike's
// weights in the order the row listed them and the sums are bit-identical
// for every team size.
func SplitRows[C int32 | uint16](row []int32, col []C, w []float64, targets, workers int) []int32 {
	if workers <= 1 {
		return row
	}
	sources := len(row) - 1
	block := make([]int32, targets) // block of each target cell
	for b := range workers {
		lo, hi := Block(b, workers, targets)
		for c := lo; c < hi; c++ {
			block[c] = int32(b)
		}
	}
	seg := make([]int32, sources*workers+1)
	col2 := make([]C, len(col))
	w2 := make([]float64, len(w))
	// The sources are independent: a few goroutines take a range each
	// (the regrouping of W2's million synapses took 19 ms on one).
	parts := min(workers, runtime.GOMAXPROCS(0), sources/splitPartMin+1)
	var wg sync.WaitGroup
	for p := range parts {
		first, last := Block(p, parts, sources)
		wg.Go(func() {
			next := make([]int32, workers)
			for s := first; s < last; s++ {
				start, end := row[s], row[s+1]
				clear(next)
				for _, c := range col[start:end] {
					next[block[c]]++
				}
				at := start
				for b := range next {
					seg[s*workers+b] = at
					at, next[b] = at+next[b], at
				}
				for q := start; q < end; q++ {
					b := block[col[q]]
					col2[next[b]], w2[next[b]] = col[q], w[q]
					next[b]++
				}
			}
			lo, hi := row[first], row[last]
			copy(col[lo:hi], col2[lo:hi])
			copy(w[lo:hi], w2[lo:hi])
		})
	}
	wg.Wait()
	seg[sources*workers] = row[sources]
	return seg
}

// splitPartMin is the fewest sources SplitRows gives a goroutine (a
// variable so that tests can split small networks).
var splitPartMin = 1024
