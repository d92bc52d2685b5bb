package runtime

import (
	"math"
	"math/bits"
)

// Drawing a batch of normal deviates with every worker of a team, giving
// exactly what Normals.Draw gives on one.
//
// The polar method takes the generator's outputs in pairs, one candidate
// point per pair, and keeps the points inside the unit circle. Candidate i
// is outputs 2i and 2i+1 whoever computes it, so the candidates can be cut
// into chunks of C, chunk c starting 2cC outputs into the stream: worker w
// computes chunks w, w+W, ... from the generator's state jumped ahead by
// xoshiro256**'s transition to the power 2cC (a linear map of the 256-bit
// state over GF(2), applied as a 256x256 bit matrix), keeps the accepted
// points of each chunk, and the batch is the first n accepted points in
// chunk order, the same points in the same order as one worker's Draw.
// The generator is left where Draw leaves it: just after the candidate of
// the last point kept.

// teamDrawMin is the smallest batch (in deviates) drawn by a team: below
// it the jumps and extra barriers cost more than the drawing.
const teamDrawMin = 4096

// gf2 is a linear map of the generator state by columns: column i is the
// image of state bit i (word i/64, bit i%64).
type gf2 [256][4]uint64

// apply maps state s.
func (m *gf2) apply(s [4]uint64) [4]uint64 {
	var out [4]uint64
	for w, x := range s {
		for x != 0 {
			c := &m[w*64+bits.TrailingZeros64(x)]
			out[0] ^= c[0]
			out[1] ^= c[1]
			out[2] ^= c[2]
			out[3] ^= c[3]
			x &= x - 1
		}
	}
	return out
}

// then is m followed by n.
func (m *gf2) then(n *gf2) *gf2 {
	var out gf2
	for i := range m {
		out[i] = n.apply(m[i])
	}
	return &out
}

// xoshiroNext is one transition of the xoshiro256** state (RNG.Uint64
// without its output).
func xoshiroNext(s [4]uint64) [4]uint64 {
	s[0], s[1], s[2], s[3] = xoshiroState(s[0], s[1], s[2], s[3])
	return s
}

// jumpMap is the transition to the power n (n >= 1).
func jumpMap(n int) *gf2 {
	var step gf2
	for i := range step {
		var e [4]uint64
		e[i/64] = 1 << (i % 64)
		step[i] = xoshiroNext(e)
	}
	var out *gf2
	pow := &step // step^(2^k)
	for n > 0 {
		if n&1 == 1 {
			if out == nil {
				c := *pow
				out = &c
			} else {
				out = out.then(pow)
			}
		}
		n >>= 1
		if n > 0 {
			pow = pow.then(pow)
		}
	}
	return out
}

// checkpointEvery is how many candidates apart a chunk keeps the state,
// so that finding the state after any candidate steps at most this many.
const checkpointEvery = 64

// teamDraw is the shared working space of DrawTeam, set up by worker 0.
type teamDraw struct {
	workers, np, chunk int
	jumps              []*gf2 // jumps[w] = J^w, w in [1, workers]; J = T^(2*chunk)
	s0                 [4]uint64
	starts             [][4]uint64
	pairs              [][]normalPair
	keptAt             [][]int32     // points kept before each checkpoint
	checks             [][][4]uint64 // the state before candidates 0, 64, 128, ...
	rounds             int           // how many rounds of chunks the slices hold
}

// teamSlack is the margin of the chunk size in standard deviations of the
// number of points kept (a variable so that tests can make rounds short).
var teamSlack = 4.0

// maxRounds bounds the rounds of chunks a draw takes before worker 0
// finishes alone (the chunk size makes one round enough except with a
// probability of about 3e-5).
const maxRounds = 4

func (b *Normals) setupTeam(workers, np int) *teamDraw {
	// enough candidates for np points with four standard deviations to
	// spare (a point is kept with probability pi/4)
	need := float64(np) + teamSlack*math.Sqrt(float64(np)) + 16
	chunk := max(int(math.Ceil(need/(math.Pi/4)/float64(workers)))+1, 1)
	// The jumps cost milliseconds to build: keep them while the chunks
	// are long enough and not much too long (a batch held a spare before
	// it is one deviate shorter, every other redraw of an odd count).
	if td := b.team; td != nil && td.workers == workers && td.chunk >= chunk && td.chunk <= chunk+chunk/8+8 {
		td.np = np
		return td
	}
	td := &teamDraw{workers: workers, np: np, chunk: chunk, rounds: maxRounds}
	j := jumpMap(2 * chunk)
	td.jumps = make([]*gf2, workers+1)
	td.jumps[1] = j
	for w := 2; w <= workers; w++ {
		td.jumps[w] = td.jumps[w-1].then(j)
	}
	n := maxRounds * workers
	td.starts = make([][4]uint64, n)
	td.pairs = make([][]normalPair, n)
	td.keptAt = make([][]int32, n)
	td.checks = make([][][4]uint64, n)
	for c := range n {
		td.pairs[c] = make([]normalPair, 0, chunk+1)
		td.keptAt[c] = make([]int32, 0, chunk/checkpointEvery+1)
		td.checks[c] = make([][4]uint64, 0, chunk/checkpointEvery+1)
	}
	b.team = td
	return td
}

// DrawTeam is Draw(r, n) done by all workers of team together: every
// worker calls it with its own w, and when it returns (after a barrier)
// the deviates are ready for Fill and r is where Draw would leave it. It
// draws on worker 0 alone for small batches or a team of one.
func (b *Normals) DrawTeam(r *RNG, n, w int, team *Team) {
	workers := team.Size()
	if workers == 1 || n < teamDrawMin {
		if w == 0 {
			b.Draw(r, n)
		}
		team.Barrier()
		return
	}
	if w == 0 {
		b.lead = false
		if r.spareValid {
			r.spareValid = false
			b.lead, b.spare = true, r.spare
			n--
		}
		np := (n + 1) / 2
		td := b.setupTeam(workers, np)
		td.s0 = r.s
		if cap(b.pairs) < np {
			b.pairs = make([]normalPair, np)
		}
		b.pairs = b.pairs[:np]
		b.odd = n%2 == 1
	}
	team.Barrier()
	td := b.team
	np := td.np
	chunks := 0 // chunks drawn so far, by all workers
	for round := 0; round < td.rounds; round++ {
		c := round*workers + w
		s := td.s0
		if round == 0 && w > 0 {
			s = td.jumps[w].apply(td.s0)
		} else if round > 0 {
			s = td.jumps[workers].apply(td.starts[c-workers])
		}
		td.starts[c] = s
		td.drawChunk(c, s)
		team.Barrier()
		chunks += workers
		if kept(td, chunks) >= np {
			break
		}
	}
	// Copy the kept points into place, each worker its own chunks.
	off := 0
	for c := 0; c < chunks && off < np; c++ {
		k := min(len(td.pairs[c]), np-off)
		if c%workers == w {
			copy(b.pairs[off:off+k], td.pairs[c][:k])
		}
		off += k
	}
	if w == 0 {
		b.finishTeam(r, chunks)
	}
	team.Barrier()
}

// kept counts the points kept by the first chunks chunks.
func kept(td *teamDraw, chunks int) int {
	k := 0
	for c := range chunks {
		k += len(td.pairs[c])
	}
	return k
}

// drawChunk computes chunk c's candidates from state s, keeping the
// accepted points and, every checkpointEvery candidates, the state and
// the count of points kept so far. The
// arithmetic is Draw's; every candidate is written and kept by advancing
// (no branch on acceptance), so the slices hold one spare slot.
func (td *teamDraw) drawChunk(c int, st [4]uint64) {
	pairs, keptAt, checks := td.pairs[c][:td.chunk+1], td.keptAt[c][:0], td.checks[c][:0]
	s0, s1, s2, s3 := st[0], st[1], st[2], st[3]
	k := 0
	for lo := 0; lo < td.chunk; lo += checkpointEvery {
		checks = append(checks, [4]uint64{s0, s1, s2, s3})
		keptAt = append(keptAt, int32(k))
		for i := lo; i < min(lo+checkpointEvery, td.chunk); i++ {
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
	td.pairs[c], td.keptAt[c], td.checks[c] = pairs[:k], keptAt, checks
}

// finishTeam leaves r as Draw would: just after the candidate of the last
// point kept, with the spare of an odd batch. When the rounds did not
// keep enough points (about never) it draws the rest alone, from where
// the last chunk ended.
func (b *Normals) finishTeam(r *RNG, chunks int) {
	td := b.team
	np := td.np
	off := 0
	for c := range chunks {
		if off+len(td.pairs[c]) < np {
			off += len(td.pairs[c])
			continue
		}
		// the last point kept is in chunk c: step from the checkpoint
		// before it through the candidates up to the one that kept it
		last := np - 1 - off
		blk := 0
		for blk+1 < len(td.keptAt[c]) && int(td.keptAt[c][blk+1]) <= last {
			blk++
		}
		s := td.checks[c][blk]
		for k := int(td.keptAt[c][blk]); ; {
			x := rotl(s[1]*5, 7) * 9
			s = xoshiroNext(s)
			y := rotl(s[1]*5, 7) * 9
			s = xoshiroNext(s)
			if u, v := symmetric(x), symmetric(y); u*u+v*v > 0 && u*u+v*v < 1 {
				if k == last {
					break
				}
				k++
			}
		}
		r.s = s
		b.setSpare(r, td.pairs[c][last])
		return
	}
	// Not enough: continue from the end of the last chunk, alone.
	s := td.starts[chunks-1]
	for range 2 * td.chunk {
		s = xoshiroNext(s)
	}
	r.s = s
	for p := off; p < np; p++ {
		for {
			u := 2*r.Float64() - 1
			v := 2*r.Float64() - 1
			if s := u*u + v*v; s > 0 && s < 1 {
				b.pairs[p] = normalPair{u, v, s}
				break
			}
		}
	}
	b.setSpare(r, b.pairs[np-1])
}

// setSpare keeps an odd batch's unused last deviate, that of the last
// point, as r's spare, as Normal would.
func (b *Normals) setSpare(r *RNG, last normalPair) {
	if b.odd {
		r.spare, r.spareValid = last.v*normalFactor(last.s), true
	}
}
