package runtime

import (
	"fmt"
	"math"
	"testing"
)

// TestDrawTeamIsDraw draws batches with teams of 1 to 4 workers and with
// one worker's Draw from the same seed: the deviates must be the same
// bits, and the generators must go on identically (state and spare) over
// successive draws of odd and even sizes, with and without a spare held
// before the batch. Short chunks (teamSlack) force second rounds and the
// lone finish.
func TestDrawTeamIsDraw(t *testing.T) {
	for _, slack := range []float64{6, -3, -1000} {
		for _, workers := range []int{1, 2, 3, 4} {
			t.Run(fmt.Sprintf("slack=%g/workers=%d", slack, workers), func(t *testing.T) {
				old := teamSlack
				teamSlack = slack
				defer func() { teamSlack = old }()
				one, many := NewRNG(11), NewRNG(11)
				var serial, shared Normals
				team := NewTeam(workers)
				for round, n := range []int{10000, 10000, 5001, 4097, 30000, 20000} {
					if round == 2 {
						// a spare held before the batch
						if a, b := one.Normal(), many.Normal(); a != b {
							t.Fatalf("Normal before round %d: %v and %v", round, a, b)
						}
					}
					serial.Draw(one, n)
					team.Run(func(w int) { shared.DrawTeam(many, n, w, team) })
					want, got := make([]float64, n), make([]float64, n)
					serial.Fill(want, 0)
					shared.Fill(got, 0)
					for i := range want {
						if math.Float64bits(want[i]) != math.Float64bits(got[i]) {
							t.Fatalf("draw %d (n=%d): deviate %d is %v, Draw gives %v", round, n, i, got[i], want[i])
						}
					}
					if one.s != many.s || one.spareValid != many.spareValid || one.spare != many.spare {
						t.Fatalf("draw %d (n=%d): the generators differ after the draw", round, n)
					}
				}
			})
		}
	}
}

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
