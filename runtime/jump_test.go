package runtime

import "testing"

// TestJumpMap checks the GF(2) jump against stepping.
func TestJumpMap(t *testing.T) {
	r := NewRNG(5)
	s := r.s
	for _, n := range []int{1, 2, 3, 64, 1000, 4097} {
		want := s
		for range n {
			want = xoshiroNext(want)
		}
		if got := jumpMap(n).apply(s); got != want {
			t.Errorf("jump %d: %x, stepping gives %x", n, got, want)
		}
	}
}
