package runtime

import "math"

// NormalsAhead serves a team's step loop a batch of n normal deviates every
// period steps (held noise redrawn every period): bit for bit the deviates
// successive Normals.Draw calls take from the generator, with no barrier
// of its own and the drawing shared by every worker.
//
// The polar method takes the generator's outputs in pairs, one candidate
// point per pair, and keeps the points inside the unit circle. Candidate i
// of a batch is outputs 2i and 2i+1 of the stream from where the batch
// starts, whoever computes it, so the candidates can be cut into one chunk
// of C per worker: worker w computes candidates [wC, (w+1)C) from the
// batch's start state jumped ahead by 2wC outputs (jump.go) and keeps the
// accepted points; the batch is the first points kept, in chunk order, the
// same points in the same order as Draw. A batch does not depend on the
// simulation, only on where the previous one ended, so it is drawn one
// period ahead: during the period of batch j every worker draws a slice of
// its chunk of batch j+1 at each step, and at the first step of period
// j+1 (after the step barrier, so every chunk is done) every worker works
// out for itself where batch j+1 ends (the state just after the candidate
// of its last point kept, and the spare of an odd batch) and starts its
// chunk of batch j+2 from there. The workers compute that end
// identically, so they need not meet for it; the generator itself is left
// by worker 0 where Draw would leave it after each batch.
//
// A team of one, or batches smaller than teamDrawMin, are drawn by worker
// 0 at the redraw step with Draw, followed by a barrier.
type NormalsAhead struct {
	r       *RNG
	team    *Team
	n       int // deviates per batch
	period  int // steps per batch
	batches int // batches in the run: redraw steps 0, period, ... < steps

	// the lone path (one worker or a small batch)
	serial *Normals

	chunk   int             // candidates per worker chunk
	blocks  int             // checkpoint blocks per chunk, drawn over a period
	jumps   []*gf2          // jumps[w] = T^(2wC), w >= 1
	bufs    [2][]aheadChunk // batch j's chunks in bufs[j%2], one per worker
	workers []aheadWorker   // each worker's view, padded apart
}

// teamDrawMin is the smallest batch (in deviates) drawn by a team: below
// it the jumps cost more than the drawing.
const teamDrawMin = 4096

// checkpointEvery is how many candidates apart a chunk keeps the state,
// so that finding the state after any candidate steps at most this many.
const checkpointEvery = 64

// teamSlack is the margin of the chunk size in standard deviations of the
// number of points kept (a variable so that tests can make chunks short).
// With 1 the chunks of about one batch in six fall short, by a few dozen
// points; every worker then draws those alone, identically, which costs
// less than longer chunks would in every batch.
var teamSlack = 1.0

// batchLayout is how a batch's deviates map to its points: deviate 0 is
// the spare the previous batch left when lead is set, then u and v of
// points 0, 1, ... (np points; the last one's v unused when odd).
type batchLayout struct {
	lead  bool
	spare float64
	np    int
	odd   bool
}

// layoutAfter is the layout of a batch of n deviates that starts with the
// given spare (lead) or without.
func layoutAfter(n int, lead bool, spare float64) batchLayout {
	l := batchLayout{lead: lead, spare: spare}
	if lead {
		n--
	}
	l.np, l.odd = (n+1)/2, n%2 == 1
	return l
}

// aheadChunk is one worker's chunk of a batch: the points it kept and,
// every checkpointEvery candidates, the state and the count kept before.
type aheadChunk struct {
	pairs  []normalPair
	keptAt []int32
	checks [][4]uint64
	end    [4]uint64 // the state after the chunk's last candidate
	_      [40]byte  // chunks of different workers on different cache lines
}

// aheadWorker is what one worker knows of the stream: the batch it fills
// from and the chunk it draws.
type aheadWorker struct {
	cur   int         // the batch Fill reads (its index)
	lay   batchLayout // its layout
	off   []int       // points kept before each of its chunks
	extra []normalPair
	next  batchLayout // the layout of batch cur+1
	s     [4]uint64   // this worker's chunk of batch cur+1: where it is
	kept  int         // and how many points it kept so far
	_     [64]byte
}

// NewNormalsAhead prepares the batches of n deviates drawn from r every
// period steps of a steps-step loop run by team, and draws batch 0 (r is
// then used by nobody else until the loop is over).
func NewNormalsAhead(r *RNG, n, period, steps int, team *Team) *NormalsAhead {
	a := &NormalsAhead{r: r, team: team, n: n, period: max(period, 1)}
	a.batches = (steps + a.period - 1) / a.period
	workers := team.Size()
	if workers == 1 || n < teamDrawMin {
		a.serial = new(Normals)
		return a
	}
	// enough candidates for the points of a batch with teamSlack standard
	// deviations to spare (a point is kept with probability pi/4)
	np := (n + 1) / 2
	need := float64(np) + teamSlack*math.Sqrt(float64(np)) + 16
	a.chunk = max(int(math.Ceil(need/(math.Pi/4)/float64(workers)))+1, 1)
	a.blocks = (a.chunk + checkpointEvery - 1) / checkpointEvery
	j := jumpMap(2 * a.chunk)
	a.jumps = make([]*gf2, workers)
	for w := 1; w < workers; w++ {
		if w == 1 {
			a.jumps[w] = j
		} else {
			a.jumps[w] = a.jumps[w-1].then(j)
		}
	}
	for b := range a.bufs {
		a.bufs[b] = make([]aheadChunk, workers)
		for c := range a.bufs[b] {
			a.bufs[b][c] = aheadChunk{
				pairs:  make([]normalPair, 0, a.chunk+1),
				keptAt: make([]int32, 0, a.blocks),
				checks: make([][4]uint64, 0, a.blocks),
			}
		}
	}
	a.workers = make([]aheadWorker, workers)
	for w := range a.workers {
		a.workers[w].off = make([]int, workers)
	}
	// Batch 0, every chunk now, on this goroutine.
	first := layoutAfter(n, r.spareValid, r.spare)
	for w := range workers {
		a.workers[w].next = first
		a.workers[w].s = a.chunkStart(w, r.s)
		a.drawBlocks(0, w, 0, a.blocks)
	}
	return a
}

// chunkStart is the state where worker w's chunk of a batch starting at s
// begins.
func (a *NormalsAhead) chunkStart(w int, s [4]uint64) [4]uint64 {
	if w == 0 {
		return s
	}
	return a.jumps[w].apply(s)
}

// resetChunk empties worker w's chunk of batch j.
func (a *NormalsAhead) resetChunk(j, w int) {
	c := &a.bufs[j%2][w]
	c.pairs, c.keptAt, c.checks = c.pairs[:0], c.keptAt[:0], c.checks[:0]
}

// Advance is worker w's share of the drawing at step k; every worker
// calls it at every step, before its first Fill of the step. At a redraw
// step it makes the batch due ready for Fill.
func (a *NormalsAhead) Advance(k, w int) {
	if a.serial != nil {
		if k%a.period == 0 {
			if w == 0 {
				a.serial.Draw(a.r, a.n)
			}
			a.team.Barrier()
		}
		return
	}
	j, piece := k/a.period, k%a.period
	if piece == 0 {
		a.begin(j, w)
	}
	if j+1 < a.batches {
		a.drawBlocks(j+1, w, piece*a.blocks/a.period, (piece+1)*a.blocks/a.period)
	}
}

// drawBlocks draws checkpoint blocks [from, to) of worker w's chunk of
// batch j: Draw's loop (repeated: a function for one candidate would be
// too large for the compiler to inline), every candidate written and kept
// by advancing (no branch on acceptance), so the slice holds one spare
// slot.
func (a *NormalsAhead) drawBlocks(j, w, from, to int) {
	me := &a.workers[w]
	c := &a.bufs[j%2][w]
	pairs, keptAt, checks := c.pairs[:a.chunk+1], c.keptAt, c.checks
	s0, s1, s2, s3 := me.s[0], me.s[1], me.s[2], me.s[3]
	k := me.kept
	for blk := from; blk < to; blk++ {
		checks = append(checks, [4]uint64{s0, s1, s2, s3})
		keptAt = append(keptAt, int32(k))
		for i := blk * checkpointEvery; i < min((blk+1)*checkpointEvery, a.chunk); i++ {
			x := rotl(s1*5, 7) * 9
			s0, s1, s2, s3 = xoshiroState(s0, s1, s2, s3)
			y := rotl(s1*5, 7) * 9
			s0, s1, s2, s3 = xoshiroState(s0, s1, s2, s3)
			u, v := symmetric(x), symmetric(y)
			s := u*u + v*v
			pairs[k] = normalPair{u, v, s}
			if s > 0 && s < 1 {
				k++
			}
		}
	}
	me.s, me.kept = [4]uint64{s0, s1, s2, s3}, k
	c.pairs, c.keptAt, c.checks = pairs[:k], keptAt, checks
	if to == a.blocks {
		c.end = me.s
	}
}

// begin makes batch j worker w's batch to fill from, works out where it
// ends, and starts w's chunk of batch j+1 there. Every chunk of batch j
// is complete (drawn before a step barrier, or before the loop).
func (a *NormalsAhead) begin(j, w int) {
	me := &a.workers[w]
	chunks := a.bufs[j%2]
	me.cur, me.lay = j, me.next
	np := me.lay.np
	total := 0
	for c := range chunks {
		me.off[c] = total
		total += len(chunks[c].pairs)
	}
	me.extra = me.extra[:0]
	var end [4]uint64
	var last normalPair
	if total < np {
		// The chunks fell short: the rest, from the end of the last
		// chunk, alone (every worker the same points).
		r := RNG{s: chunks[len(chunks)-1].end}
		for p := total; p < np; p++ {
			for {
				u := 2*r.Float64() - 1
				v := 2*r.Float64() - 1
				if s := u*u + v*v; s > 0 && s < 1 {
					me.extra = append(me.extra, normalPair{u, v, s})
					break
				}
			}
		}
		end, last = r.s, me.extra[len(me.extra)-1]
	} else {
		c := len(chunks) - 1
		for me.off[c] >= np {
			c--
		}
		end, last = chunks[c].after(np - 1 - me.off[c])
	}
	spare := 0.0
	if me.lay.odd {
		// the last point's v is the spare Normal keeps for the next batch
		spare = last.v * normalFactor(last.s)
	}
	me.next = layoutAfter(a.n, me.lay.odd, spare)
	if w == 0 {
		a.r.s, a.r.spareValid = end, me.lay.odd
		if me.lay.odd {
			a.r.spare = spare
		}
	}
	if j+1 < a.batches {
		me.s, me.kept = a.chunkStart(w, end), 0
		a.resetChunk(j+1, w)
	}
}

// after is the state just after the candidate that gave point p of the
// chunk (stepping from the checkpoint before it), and that point.
func (c *aheadChunk) after(p int) ([4]uint64, normalPair) {
	blk := 0
	for blk+1 < len(c.keptAt) && int(c.keptAt[blk+1]) <= p {
		blk++
	}
	s := c.checks[blk]
	for k := int(c.keptAt[blk]); ; {
		x := rotl(s[1]*5, 7) * 9
		s = xoshiroNext(s)
		y := rotl(s[1]*5, 7) * 9
		s = xoshiroNext(s)
		if u, v := symmetric(x), symmetric(y); u*u+v*v > 0 && u*u+v*v < 1 {
			if k == p {
				return s, c.pairs[p]
			}
			k++
		}
	}
}

// Fill stores deviates lo, lo+1, ... of worker w's current batch in dst,
// as Normals.Fill does after the Draw of that batch. Workers may fill
// disjoint ranges at once.
func (a *NormalsAhead) Fill(w int, dst []float64, lo int) {
	if a.serial != nil {
		a.serial.Fill(dst, lo)
		return
	}
	me := &a.workers[w]
	i, j := 0, lo // dst[i] is deviate j
	if me.lay.lead {
		if j == 0 && len(dst) > 0 {
			dst[0] = me.lay.spare
			i, j = 1, 1
		}
		j-- // from here, j counts the deviates of the points
	}
	chunks := a.bufs[me.cur%2]
	for c := 0; c <= len(chunks) && i < len(dst); c++ {
		// the points of chunk c (the rest after the last chunk), up to np
		var pairs []normalPair
		first := 0
		if c < len(chunks) {
			pairs, first = chunks[c].pairs, me.off[c]
		} else {
			pairs, first = me.extra, me.off[len(chunks)-1]+len(chunks[len(chunks)-1].pairs)
		}
		pairs = pairs[:min(len(pairs), max(me.lay.np-first, 0))]
		end := 2 * (first + len(pairs)) // first deviate past them
		if j >= end {
			continue
		}
		m := min(len(dst)-i, end-j)
		fillPairs(dst[i:i+m], pairs, j-2*first)
		i, j = i+m, j+m
	}
	if i < len(dst) {
		panic("runtime: NormalsAhead.Fill past the end of the batch")
	}
}
