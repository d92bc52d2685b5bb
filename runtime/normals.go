package runtime

import "math"

// Normals is a batch of standard normal deviates taken from an RNG in two
// phases, so that the costly part of Marsaglia's polar method (a logarithm,
// a division and a square root per pair) can run on every worker while the
// stream stays exactly that of successive RNG.Normal calls:
//
//   - Draw, on one goroutine, takes the uniforms of n deviates from the
//     generator in the order Normal takes them, rejects as Normal rejects,
//     and keeps each accepted pair (u, v, s). It leaves the generator
//     exactly as n calls of Normal would, spare deviate included.
//   - Fill, on any goroutines at once for disjoint ranges, turns deviates
//     [lo, hi) into numbers: u*f and v*f with f = sqrt(-2 log s / s), the
//     operations of Normal, so every deviate is bit-identical to the one
//     Normal would have returned in its place.
//
// Draw is cheap (two uniforms and a comparison per pair), so a population
// whose held noise is redrawn every few steps no longer spends a serial
// logarithm per cell on one worker while the others wait at a barrier.
type Normals struct {
	lead  bool    // deviate 0 is the spare the generator held before Draw
	spare float64 // that spare
	pairs []normalPair
}

// normalPair is one accepted point of the polar method: its deviates are
// u*f and v*f, f = normalFactor(s).
type normalPair struct{ u, v, s float64 }

// normalFactor is Normal's f, written with the same operations in the same
// order so that the results round identically.
func normalFactor(s float64) float64 { return math.Sqrt(-2 * math.Log(s) / s) }

// Draw takes the next n deviates' uniforms from r (see Normals). It must
// not run concurrently with Fill.
func (b *Normals) Draw(r *RNG, n int) {
	b.lead = false
	b.pairs = b.pairs[:0]
	if n <= 0 {
		return
	}
	if r.spareValid {
		r.spareValid = false
		b.lead, b.spare = true, r.spare
		n--
	}
	np := (n + 1) / 2
	// one slot more than the pairs: the loop below writes every candidate
	// point and keeps it by advancing, so a rejected one lands past the end
	if cap(b.pairs) < np+1 {
		b.pairs = make([]normalPair, np+1)
	}
	b.pairs = b.pairs[:np+1]
	// RNG.Uint64 is too large for the compiler to inline, so the loop
	// steps xoshiro256** itself (xoshiroState, inlined) on a copy of the
	// state in registers (four scalars: Go keeps a [4]uint64 in memory):
	// the same outputs and the same Float64 conversion as RNG.Float64.
	s0, s1, s2, s3 := r.s[0], r.s[1], r.s[2], r.s[3]
	// Without a branch on the outcome (about one point in five is
	// rejected, at random, which a branch predictor cannot learn).
	pairs := b.pairs
	for p := 0; p < np; {
		x := rotl(s1*5, 7) * 9
		s0, s1, s2, s3 = xoshiroState(s0, s1, s2, s3)
		y := rotl(s1*5, 7) * 9
		s0, s1, s2, s3 = xoshiroState(s0, s1, s2, s3)
		u, v := symmetric(x), symmetric(y)
		s := u*u + v*v
		pairs[p] = normalPair{u, v, s}
		if s > 0 && s < 1 {
			p++
		}
	}
	b.pairs = pairs[:np]
	r.s = [4]uint64{s0, s1, s2, s3}
	if n%2 == 1 {
		// The last pair's second deviate is not used in this batch:
		// Normal would keep it as the spare for the next call.
		last := b.pairs[np-1]
		r.spare, r.spareValid = last.v*normalFactor(last.s), true
	}
}

// Fill stores deviates lo, lo+1, ... of the last Draw in dst (one per
// element). Concurrent calls for disjoint ranges are safe; a pair shared
// by two ranges is computed by both, identically.
func (b *Normals) Fill(dst []float64, lo int) {
	i, j := 0, lo // dst[i] is deviate j
	if b.lead {
		if j == 0 && len(dst) > 0 {
			dst[0] = b.spare
			i, j = 1, 1
		}
		j-- // from here, j counts the deviates of the pairs
	}
	fillPairs(dst[i:], b.pairs, j)
}

// fillPairs stores deviates j, j+1, ... of pairs (u then v of each) in
// dst: the factors are Normal's, four pairs at a time.
func fillPairs(dst []float64, pairs []normalPair, j int) {
	i := 0
	if j%2 == 1 && i < len(dst) {
		p := pairs[j/2]
		dst[i] = p.v * normalFactor(p.s)
		i, j = i+1, j+1
	}
	// Four pairs at a time: their factors are most of the cost (a log, a
	// division and a square root each), four lanes at once when VecOn.
	for ; i+7 < len(dst); i, j = i+8, j+8 {
		q := pairs[j/2:][:4]
		s := [4]float64{q[0].s, q[1].s, q[2].s, q[3].s}
		var f [4]float64
		normalFactors(&s, &f)
		d := dst[i:][:8]
		for t, p := range q {
			d[2*t], d[2*t+1] = p.u*f[t], p.v*f[t]
		}
	}
	for ; i+1 < len(dst); i, j = i+2, j+2 {
		p := pairs[j/2]
		f := normalFactor(p.s)
		dst[i], dst[i+1] = p.u*f, p.v*f
	}
	if i < len(dst) {
		p := pairs[j/2]
		dst[i] = p.u * normalFactor(p.s)
	}
}

// symmetric turns a generator output into a uniform on [-1, 1) as
// 2*RNG.Float64()-1 does.
func symmetric(x uint64) float64 { return 2*(float64(x>>11)*0x1p-53) - 1 }

// xoshiroState is one transition of the xoshiro256** state.
func xoshiroState(s0, s1, s2, s3 uint64) (uint64, uint64, uint64, uint64) {
	t := s1 << 17
	s2 ^= s0
	s3 ^= s1
	s1 ^= s2
	s0 ^= s3
	s2 ^= t
	return s0, s1, s2, rotl(s3, 45)
}
