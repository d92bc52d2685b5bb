// The digit generation below is a port of Go's own (internal/strconv,
// ftoadbox.go and math.go; Copyright 2025 The Go Authors; BSD-style
// license, as Go's LICENSE file states), so it yields the digits
// strconv.AppendFloat yields; the text around them is laid out here.

package runtime

import (
	"encoding/binary"
	"math"
	"math/bits"
	"slices"
	"strconv"
)

//go:generate go run ./internal/pow10gen

// appendShortest appends v exactly as strconv.AppendFloat(dst, v, 'g', -1,
// 64) does: the shortest decimal that reads back as v, in %e form when its
// exponent is below -4 or at least 6, else in %f form. A result table is
// mostly this (CSV and .dat), and strconv spends about 70% of its ~65 ns a
// value laying out the digits (through a decimal buffer, a byte at a
// time) rather than finding them; here the digits go from the Dragonbox
// integer straight into place, two at a time (TestAppendShortest compares
// the bytes with strconv's over millions of values).
func appendShortest(dst []byte, v float64) []byte {
	b := math.Float64bits(v)
	neg := b>>63 != 0
	exp := int(b>>52) & 0x7ff
	mant := b & (1<<52 - 1)
	denorm := false
	switch exp {
	case 0x7ff: // Inf, NaN
		return strconv.AppendFloat(dst, v, 'g', -1, 64)
	case 0:
		if mant == 0 {
			if neg {
				return append(dst, '-', '0')
			}
			return append(dst, '0')
		}
		exp++
		denorm = true
	default:
		mant |= 1 << 52
	}
	digits, e10 := shortestDigits(mant, exp-1023-52, denorm)
	nd := decimalLen(digits)
	dp := nd + e10 // the decimal point's place: value = 0.digits × 10^dp

	// the digits go straight to their place in dst, with room made first
	// (an intermediate buffer and its copy were a fifth of the time)
	dst = slices.Grow(dst, maxShortestLen)
	n := len(dst)
	out := dst[n : n+maxShortestLen]
	i := 0
	if neg {
		out[0] = '-'
		i = 1
	}
	if x := dp - 1; x < -4 || x >= 6 {
		// %e: d[.ddd]e±XX; the digits one place on, the first moved back
		putDigits(out[i+1:i+1+nd], digits)
		out[i] = out[i+1]
		if nd > 1 {
			out[i+1] = '.'
			i += nd + 1
		} else {
			i++
		}
		out[i] = 'e'
		if x < 0 {
			out[i+1] = '-'
			x = -x
		} else {
			out[i+1] = '+'
		}
		i += 2
		switch {
		case x < 10:
			out[i], out[i+1] = '0', byte('0'+x)
			i += 2
		case x < 100:
			out[i], out[i+1] = digitPairs[2*x], digitPairs[2*x+1]
			i += 2
		default:
			out[i], out[i+1], out[i+2] = byte('0'+x/100), digitPairs[2*(x%100)], digitPairs[2*(x%100)+1]
			i += 3
		}
		return dst[:n+i]
	}
	// %f
	switch {
	case dp <= 0: // 0.000ddd
		out[i], out[i+1] = '0', '.'
		i += 2
		for range -dp {
			out[i] = '0'
			i++
		}
		putDigits(out[i:i+nd], digits)
		i += nd
	case dp >= nd: // ddd000
		putDigits(out[i:i+nd], digits)
		i += nd
		for range dp - nd {
			out[i] = '0'
			i++
		}
	default: // ddd.ddd: the digits one place on, the integer part moved back
		putDigits(out[i+1:i+1+nd], digits)
		for k := i; k < i+dp; k++ {
			out[k] = out[k+1]
		}
		out[i+dp] = '.'
		i += nd + 1
	}
	return dst[:n+i]
}

// maxShortestLen is the most bytes appendShortest writes for a finite
// value: "-1.2345678901234567e-308" (24).
const maxShortestLen = 25

// decimalLen is the number of decimal digits of x > 0.
func decimalLen(x uint64) int {
	t := bits.Len64(x) * 1233 >> 12 // about log10(x): exact or one more
	if x < pow10Uint64[t] {
		return t
	}
	return t + 1
}

// pow10Uint64 holds 10^0 ... 10^19.
var pow10Uint64 = [20]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}

// digitPairs holds "00", "01", ..., "99".
const digitPairs = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"

// putDigits writes x's decimal digits into b, which has exactly their
// number of bytes: eight at a time in 32-bit arithmetic (four pairs whose
// divisions do not wait on one another), then two at a time.
func putDigits(b []byte, x uint64) {
	i := len(b)
	for i >= 8 {
		q := x / 1e8
		put8Digits((*[8]byte)(b[i-8:i]), uint32(x-q*1e8))
		i -= 8
		x = q
	}
	v := uint32(x)
	for i >= 2 {
		q := v / 100
		binary.LittleEndian.PutUint16(b[i-2:], digitPairs16[v-100*q])
		i -= 2
		v = q
	}
	if i == 1 {
		b[0] = byte('0' + v)
	}
}

// put8Digits writes v < 1e8 as eight digits, leading zeros included, in
// one 8-byte store: the digits are found in the lanes of one 64-bit word
// (two 32-bit halves of four digits, then four 16-bit pairs, then eight
// bytes), by multiplications that stand for the divisions by 100 and 10
// and never carry into the next lane; no table, six multiplications.
func put8Digits(b *[8]byte, v uint32) {
	hi := v / 10000
	y := uint64(hi) | uint64(v-hi*10000)<<32                  // [abcd, efgh]
	q := (y * 5243 >> 19) & 0x0000007f_0000007f               // x/100 for x < 10000: [ab, ef]
	z := q | (y-q*100)<<16                                    // [ab, cd, ef, gh]
	t := (z * 103 >> 10) & 0x000f_000f_000f_000f              // x/10 for x < 100: tens
	w := t | (z-t*10)<<8                                      // [a, b, c, d, e, f, g, h]
	binary.LittleEndian.PutUint64(b[:], w|0x3030303030303030) // '0' + each
}

// digitPairs16 holds digitPairs's pairs as little-endian 16-bit words,
// each stored with one write.
var digitPairs16 = func() (t [100]uint16) {
	for i := range t {
		t[i] = uint16(digitPairs[2*i]) | uint16(digitPairs[2*i+1])<<8
	}
	return t
}()

type uint128 struct{ Hi, Lo uint64 }

// shortestDigits is Dragonbox (Junekey Jeon) for float64, as Go's strconv
// has it (dboxFtoa64): the shortest digits that read back as mant × 2^exp,
// as an integer and its power of ten (value = digits × 10^e10), rounding
// to nearest, ties to even.
func shortestDigits(mant uint64, exp int, denorm bool) (digits uint64, e10 int) {
	if mant == 1<<52 && !denorm {
		// Algorithm 5.6 (page 24).
		k0 := -mulLog10_2MinusLog10_4Over3(exp)
		φ, β := dboxPow64(k0, exp)
		xi, zi := dboxRange64(φ, β)
		if exp != 2 && exp != 3 {
			xi++
		}
		q := zi / 10
		if xi <= q*10 {
			q, zeros := trimZeros(q)
			return q, -k0 + 1 + zeros
		}
		yru := dboxRoundUp64(φ, β)
		if exp == -77 && yru%2 != 0 {
			yru--
		} else if yru < xi {
			yru++
		}
		return yru, -k0
	}

	// κ = 2 for float64 (section 5.1.3)
	const (
		κ     = 2
		p10κ  = 100       // 10**κ
		p10κ1 = p10κ * 10 // 10**(κ+1)
	)

	// Algorithm 5.2 (page 15).
	k0 := -mulLog10_2(exp)
	φ, β := dboxPow64(κ+k0, exp)
	zi, exact := dboxMulPow64(uint64(mant*2+1)<<β, φ)
	s, r := zi/p10κ1, uint32(zi%p10κ1)
	δi := dboxDelta64(φ, β)

	if r < δi {
		if r != 0 || !exact || mant%2 == 0 {
			s, zeros := trimZeros(s)
			return s, -k0 + 1 + zeros
		}
		s--
		r = p10κ * 10
	} else if r == δi {
		parity, exact := dboxParity64(uint64(mant*2-1), φ, β)
		if parity || (exact && mant%2 == 0) {
			s, zeros := trimZeros(s)
			return s, -k0 + 1 + zeros
		}
	}

	// Algorithm 5.4 (page 18).
	D := r + p10κ/2 - δi/2
	t, ρ := D/p10κ, D%p10κ
	yru := 10*s + uint64(t)
	if ρ == 0 {
		parity, exact := dboxParity64(mant*2, φ, β)
		if parity != ((D-p10κ/2)%2 != 0) || exact && yru%2 != 0 {
			yru--
		}
	}
	return yru, -k0
}

// dboxMulPow64 computes the integer part of u × φ (the upper 128 of 192
// bits) and whether its fraction is zero (section 5.2.1).
func dboxMulPow64(u uint64, φ uint128) (intPart uint64, isInt bool) {
	r := umul192Upper128(u, φ)
	return r.Hi, r.Lo == 0
}

// dboxParity64 computes the parity of the integer part of mant2 × φ and
// whether its fraction is zero (section 5.2.1).
func dboxParity64(mant2 uint64, φ uint128, β int) (parity bool, isInt bool) {
	r := umul192Lower128(mant2, φ)
	parity = ((r.Hi >> (64 - β)) & 1) != 0
	isInt = ((r.Hi << β) | (r.Lo >> (64 - β))) == 0
	return parity, isInt
}

// dboxDelta64 returns δ^(i) from φ.
func dboxDelta64(φ uint128, β int) uint32 {
	return uint32(φ.Hi >> (64 - 1 - β))
}

// dboxRange64 returns the left and right endpoints of the interval that
// reads back as a power of two.
func dboxRange64(φ uint128, β int) (left, right uint64) {
	left = (φ.Hi - (φ.Hi >> (52 + 2))) >> (64 - 52 - 1 - β)
	right = (φ.Hi + (φ.Hi >> (52 + 1))) >> (64 - 52 - 1 - β)
	return left, right
}

// dboxRoundUp64 computes the round-up of y (y^(ru)).
func dboxRoundUp64(φ uint128, β int) uint64 {
	return (φ.Hi>>(128/2-52-2-β) + 1) / 2
}

// dboxPow64 returns φ̃k, 10^k's mantissa rounded up where it is inexact,
// and β.
func dboxPow64(k, e int) (φ uint128, β int) {
	φ, e1 := pow10Tab[k-pow10Min], 1+mulLog2_10(k)
	if k < 0 || k > 55 {
		φ.Lo++
	}
	return φ, e + e1 - 1
}

// umul192Upper128 returns the upper 128 bits (of 192) of x × y.
func umul192Upper128(x uint64, y uint128) uint128 {
	hi, lo := bits.Mul64(x, y.Hi)
	t, _ := bits.Mul64(x, y.Lo)
	sum, carry := bits.Add64(lo, t, 0)
	return uint128{hi + carry, sum}
}

// umul192Lower128 returns the lower 128 bits (of 192) of x × y.
func umul192Lower128(x uint64, y uint128) uint128 {
	high := x * y.Hi
	hl, ll := bits.Mul64(x, y.Lo)
	return uint128{high + hl, ll}
}

// mulLog10_2 is ⌊x log10(2)⌋ for -1600 <= x <= 1600.
func mulLog10_2(x int) int { return (x * 78913) >> 18 }

// mulLog2_10 is ⌊x log2(10)⌋ for -500 <= x <= 500.
func mulLog2_10(x int) int { return (x * 108853) >> 15 }

// mulLog10_2MinusLog10_4Over3 is ⌊e log10(2) - log10(4/3)⌋ (section 6.3).
func mulLog10_2MinusLog10_4Over3(e int) int { return (e*631305 - 261663) >> 21 }

// trimZeros removes the trailing decimal zeros of x and says how many.
func trimZeros(x uint64) (uint64, int) {
	const (
		div1e8m  = 0xc767074b22e90e21
		div1e8le = math.MaxUint64 / 100000000
		div1e4m  = 0xd288ce703afb7e91
		div1e4le = math.MaxUint64 / 10000
		div1e2m  = 0x8f5c28f5c28f5c29
		div1e2le = math.MaxUint64 / 100
		div1e1m  = 0xcccccccccccccccd
		div1e1le = math.MaxUint64 / 10
	)
	// x is divisible by 10^N exactly when x × (5^N)⁻¹ mod 2^64, rotated
	// right by N, is at most (2^64-1)/10^N.
	p := 0
	for d := bits.RotateLeft64(x*div1e8m, -8); d <= div1e8le; d = bits.RotateLeft64(x*div1e8m, -8) {
		x = d
		p += 8
	}
	if d := bits.RotateLeft64(x*div1e4m, -4); d <= div1e4le {
		x = d
		p += 4
	}
	if d := bits.RotateLeft64(x*div1e2m, -2); d <= div1e2le {
		x = d
		p += 2
	}
	if d := bits.RotateLeft64(x*div1e1m, -1); d <= div1e1le {
		x = d
		p++
	}
	return x, p
}
