/*
 * tvboc_rng.h: the tvboc runtime's documented random number generator
 * (runtime/rng.go), written out in C so that the C benchmark baselines
 * draw exactly the same stream as the Go ones for the same seed:
 *
 *   - state: xoshiro256** (Blackman and Vigna, 2018), 256 bits;
 *   - seeding: the four state words are successive outputs of SplitMix64
 *     started at the seed;
 *   - Float64: the top 53 bits of the next output times 2^-53, in [0, 1);
 *   - Normal: Marsaglia's polar method on two Float64 draws mapped to
 *     [-1, 1), the second deviate of each pair kept for the next call;
 *   - Exponential: -log(1 - Float64()).
 *
 * Bit-for-bit agreement needs the same logarithm as Go: Go's math.Log is
 * not the C library's log (glibc may differ in the last bit), so
 * tvboc_log below is Go's algorithm (math/log.go, the FreeBSD e_log.c
 * reduction and polynomial, which math/log_amd64.s also computes),
 * operation for operation. Compile with -ffp-contract=off so that GCC
 * does not fuse multiplies and adds into FMA instructions, which Go
 * (GOAMD64=v1, the default) never does.
 */
#ifndef TVBOC_RNG_H
#define TVBOC_RNG_H

#include <math.h>
#include <stdint.h>
#include <string.h>

typedef struct {
	uint64_t s[4];
	double spare;
	int spare_valid;
} tvboc_rng;

static inline void tvboc_rng_seed(tvboc_rng *r, uint64_t seed) {
	uint64_t x = seed;
	for (int i = 0; i < 4; i++) {
		x += 0x9e3779b97f4a7c15ULL;
		uint64_t z = x;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		r->s[i] = z ^ (z >> 31);
	}
	r->spare = 0;
	r->spare_valid = 0;
}

static inline uint64_t tvboc_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t tvboc_rng_uint64(tvboc_rng *r) {
	uint64_t *s = r->s;
	uint64_t result = tvboc_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = tvboc_rotl(s[3], 45);
	return result;
}

static inline double tvboc_rng_float64(tvboc_rng *r) {
	return (double)(tvboc_rng_uint64(r) >> 11) * 0x1p-53;
}

/* tvboc_log is Go's math.Log for positive finite normal x (the only
 * arguments the generator passes: s in (0, 1) and 1 - Float64() in
 * (0, 1]); see the file comment for why it is not log(3). */
static inline double tvboc_log(double x) {
	const double Ln2Hi = 6.93147180369123816490e-01;
	const double Ln2Lo = 1.90821492927058770002e-10;
	const double L1 = 6.666666666666735130e-01;
	const double L2 = 3.999999999940941908e-01;
	const double L3 = 2.857142874366239149e-01;
	const double L4 = 2.222219843214978396e-01;
	const double L5 = 1.818357216161805012e-01;
	const double L6 = 1.531383769920937332e-01;
	const double L7 = 1.479819860511658591e-01;
	if (x == 0) {
		return -INFINITY;
	}
	if (!(x > 0) || isinf(x)) {
		return x < 0 ? NAN : x;
	}
	/* Frexp for a normal number: mantissa in [0.5, 1), exponent. */
	uint64_t bits;
	memcpy(&bits, &x, sizeof bits);
	int ki = (int)((bits >> 52) & 0x7ff) - 1022;
	bits = (bits & 0x000fffffffffffffULL) | 0x3fe0000000000000ULL;
	double f1;
	memcpy(&f1, &bits, sizeof f1);
	if (f1 < 7.07106781186547524401e-01) { /* Sqrt2/2 */
		f1 *= 2;
		ki--;
	}
	double f = f1 - 1;
	double k = (double)ki;
	double s = f / (2 + f);
	double s2 = s * s;
	double s4 = s2 * s2;
	double t1 = s2 * (L1 + s4 * (L3 + s4 * (L5 + s4 * L7)));
	double t2 = s4 * (L2 + s4 * (L4 + s4 * L6));
	double R = t1 + t2;
	double hfsq = 0.5 * f * f;
	return k * Ln2Hi - ((hfsq - (s * (hfsq + R) + k * Ln2Lo)) - f);
}

static inline double tvboc_rng_normal(tvboc_rng *r) {
	if (r->spare_valid) {
		r->spare_valid = 0;
		return r->spare;
	}
	for (;;) {
		double u = 2 * tvboc_rng_float64(r) - 1;
		double v = 2 * tvboc_rng_float64(r) - 1;
		double s = u * u + v * v;
		if (s > 0 && s < 1) {
			double f = sqrt(-2 * tvboc_log(s) / s);
			r->spare = v * f;
			r->spare_valid = 1;
			return u * f;
		}
	}
}

static inline double tvboc_rng_exponential(tvboc_rng *r) {
	return -tvboc_log(1 - tvboc_rng_float64(r));
}

#endif
