package runtime

import (
	"math"
	"testing"
)

// TestNormalsMatchNormal checks the two-phase batch against successive
// Normal calls bit for bit: batches of odd and even sizes in a row (so the
// spare crosses batches both ways), other draws in between, and every
// batch filled in several uneven pieces as workers would fill it.
func TestNormalsMatchNormal(t *testing.T) {
	for _, seed := range []uint64{0, 1, 7} {
		ref, got := NewRNG(seed), NewRNG(seed)
		var b Normals
		for round, n := range []int{1, 2, 3, 1000, 999, 0, 7, 1, 64, 5} {
			want := make([]float64, n)
			for i := range want {
				want[i] = ref.Normal()
			}
			b.Draw(got, n)
			out := make([]float64, n)
			for _, pieces := range []int{1, 2, 3, 7} {
				for i := range out {
					out[i] = math.NaN()
				}
				for w := range pieces {
					lo, hi := Block(w, pieces, n)
					b.Fill(out[lo:hi], lo)
				}
				for i := range want {
					if math.Float64bits(out[i]) != math.Float64bits(want[i]) {
						t.Fatalf("seed %d round %d (n=%d, %d pieces): deviate %d is %v, Normal gave %v", seed, round, n, pieces, i, out[i], want[i])
					}
				}
			}
			// The generators must agree afterwards too, spare included.
			if x, y := ref.Normal(), got.Normal(); x != y {
				t.Fatalf("seed %d round %d: next Normal %v, want %v", seed, round, y, x)
			}
			if x, y := ref.Float64(), got.Float64(); x != y {
				t.Fatalf("seed %d round %d: next Float64 %v, want %v", seed, round, y, x)
			}
		}
	}
}

// BenchmarkNormals compares 1000 deviates from Normal with a batch drawn
// and filled on one goroutine.
func BenchmarkNormals(b *testing.B) {
	dst := make([]float64, 1000)
	b.Run("Normal", func(b *testing.B) {
		r := NewRNG(1)
		for b.Loop() {
			for i := range dst {
				dst[i] = r.Normal()
			}
		}
	})
	b.Run("Draw", func(b *testing.B) {
		r := NewRNG(1)
		var n Normals
		for b.Loop() {
			n.Draw(r, len(dst))
		}
	})
	b.Run("Draw+Fill", func(b *testing.B) {
		r := NewRNG(1)
		var n Normals
		for b.Loop() {
			n.Draw(r, len(dst))
			n.Fill(dst, 0)
		}
	})
}
