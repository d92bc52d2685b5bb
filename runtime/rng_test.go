package runtime

import (
	"math"
	"testing"
)

// TestRNGReferenceValues pins the stream: xoshiro256** seeded by
// SplitMix64. The expected words for seed 0 are SplitMix64's published
// first outputs (0xe220a8397b1dcdaf, ...), so the seeding is checked
// against an outside source, not against this code.
func TestRNGReferenceValues(t *testing.T) {
	r := NewRNG(0)
	want := [4]uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f, 0xf88bb8a8724c81ec}
	if r.s != want {
		t.Fatalf("SplitMix64 seeding: got %#x, want %#x", r.s, want)
	}
	// xoshiro256**'s first output from that state, computed by hand from
	// the published algorithm: rotl(s1*5, 7)*9.
	s1 := want[1] * 5
	if got, w := r.Uint64(), (s1<<7|s1>>57)*9; got != w {
		t.Fatalf("first output %#x, want %#x", got, w)
	}
}

func TestRNGDeterministicAndDistinct(t *testing.T) {
	a, b, c := NewRNG(42), NewRNG(42), NewRNG(43)
	same := true
	for i := 0; i < 1000; i++ {
		x, y, z := a.Normal(), b.Normal(), c.Normal()
		if x != y {
			t.Fatalf("draw %d: same seed gave %v and %v", i, x, y)
		}
		if x != z {
			same = false
		}
	}
	if same {
		t.Fatal("seeds 42 and 43 gave the same stream")
	}
}

// TestRNGMoments checks the distributions within generous bounds (many
// standard errors), so the test can only fail for a wrong generator.
func TestRNGMoments(t *testing.T) {
	r := NewRNG(7)
	const n = 200000
	var su, su2, sn, sn2, se float64
	for i := 0; i < n; i++ {
		u := r.Float64()
		if u < 0 || u >= 1 {
			t.Fatalf("Float64 out of [0,1): %v", u)
		}
		su += u
		su2 += u * u
		z := r.Normal()
		sn += z
		sn2 += z * z
		se += r.Exponential()
	}
	check := func(name string, got, want, tol float64) {
		if math.Abs(got-want) > tol {
			t.Errorf("%s = %.5f, want %.5f ± %.5f", name, got, want, tol)
		}
	}
	check("uniform mean", su/n, 0.5, 0.005)
	check("uniform variance", su2/n-(su/n)*(su/n), 1.0/12, 0.002)
	check("normal mean", sn/n, 0, 0.015)
	check("normal variance", sn2/n-(sn/n)*(sn/n), 1, 0.02)
	check("exponential mean", se/n, 1, 0.015)
}
