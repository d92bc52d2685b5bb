package runtime

import (
	"math"
	"math/bits"
)

// RNG is the documented random number generator of generated programs,
// written out here (not math/rand) so the stream is fixed forever and can
// be reproduced outside Go (the C benchmark baselines implement the same
// three functions):
//
//   - state: xoshiro256** (Blackman and Vigna, 2018), 256 bits;
//   - seeding: the four state words are successive outputs of SplitMix64
//     started at the seed, so any seed (even 0) gives a good state;
//   - Float64: the top 53 bits of the next output times 2^-53, in [0, 1);
//   - Normal: Marsaglia's polar method on two Float64 draws mapped to
//     [-1, 1), the second deviate of each pair kept for the next call.
//
// The same seed gives the same stream on every platform.
type RNG struct {
	s          [4]uint64
	spare      float64
	spareValid bool
}

// NewRNG returns a generator seeded with seed.
func NewRNG(seed uint64) *RNG {
	r := &RNG{}
	r.Seed(seed)
	return r
}

// Seed resets the generator to the stream of seed.
func (r *RNG) Seed(seed uint64) {
	x := seed
	for i := range r.s {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		r.s[i] = z ^ (z >> 31)
	}
	r.spareValid = false
}

func rotl(x uint64, k uint) uint64 { return x<<k | x>>(64-k) }

// Uint64 returns the next 64 random bits.
func (r *RNG) Uint64() uint64 {
	// xoshiroState written out: small enough for the compiler to inline
	// Uint64 and Float64 into a caller's loop (the network's construction
	// draws two per synapse).
	s0, s1, s2, s3 := r.s[0], r.s[1], r.s[2], r.s[3]
	result := bits.RotateLeft64(s1*5, 7) * 9
	s2 ^= s0
	s3 ^= s1
	r.s = [4]uint64{s0 ^ s3, s1 ^ s2, s2 ^ s1<<17, bits.RotateLeft64(s3, 45)}
	return result
}

// Float64 returns a uniform deviate in [0, 1).
func (r *RNG) Float64() float64 {
	return float64(r.Uint64()>>11) * 0x1p-53
}

// Normal returns a standard normal deviate.
func (r *RNG) Normal() float64 {
	if r.spareValid {
		r.spareValid = false
		return r.spare
	}
	for {
		u := 2*r.Float64() - 1
		v := 2*r.Float64() - 1
		s := u*u + v*v
		if s > 0 && s < 1 {
			f := math.Sqrt(-2 * math.Log(s) / s)
			r.spare, r.spareValid = v*f, true
			return u * f
		}
	}
}

// Exponential returns an exponential deviate with mean 1 (for Poisson
// spike trains: inter-spike interval = Exponential()/rate).
func (r *RNG) Exponential() float64 {
	return -math.Log(1 - r.Float64())
}
