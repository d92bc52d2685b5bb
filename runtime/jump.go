package runtime

import "math/bits"

// Jumping the generator ahead: xoshiro256**'s transition is a linear map
// of its 256-bit state over GF(2), so n transitions are one 256x256 bit
// matrix, built once by squaring and applied in a few hundred word XORs.
// That lets the workers of a team start drawing at different points of
// one stream (NormalsAhead).

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
