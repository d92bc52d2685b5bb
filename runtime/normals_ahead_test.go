package runtime

import (
	"fmt"
	"math"
	"testing"
)

// TestNormalsAheadIsDraw runs the batches of a redraw through teams of 1
// to 4 workers, each worker filling its block in short odd ranges, and
// compares every deviate with successive Draw calls from the same seed,
// and the generator after the run (state and spare) with Draw's. Batch
// sizes odd and even chain spares from batch to batch; a spare held
// before the first batch leads it; the chunks fall short now and then
// (teamSlack 1, the default), never (6), mostly (-3) or entirely (-1000),
// so the workers finish batches alone; period 1 draws each batch in one
// step.
func TestNormalsAheadIsDraw(t *testing.T) {
	for _, slack := range []float64{1, 6, -3, -1000} {
		for _, workers := range []int{1, 2, 3, 4} {
			for _, c := range []struct{ n, period, steps int }{
				{10000, 10, 55}, {5001, 3, 20}, {4097, 1, 6}, {30001, 7, 21}, {100, 2, 9},
			} {
				for _, spare := range []bool{false, true} {
					name := fmt.Sprintf("slack=%g/workers=%d/n=%d/period=%d/spare=%v", slack, workers, c.n, c.period, spare)
					t.Run(name, func(t *testing.T) {
						old := teamSlack
						teamSlack = slack
						defer func() { teamSlack = old }()
						checkAhead(t, workers, c.n, c.period, c.steps, spare)
					})
				}
			}
		}
	}
}

func checkAhead(t *testing.T, workers, n, period, steps int, spare bool) {
	one, many := NewRNG(11), NewRNG(11)
	if spare {
		if a, b := one.Normal(), many.Normal(); a != b {
			t.Fatalf("Normal: %v and %v", a, b)
		}
	}
	batches := (steps + period - 1) / period
	want := make([][]float64, batches)
	var serial Normals
	for j := range want {
		serial.Draw(one, n)
		want[j] = make([]float64, n)
		serial.Fill(want[j], 0)
	}
	got := make([][]float64, batches)
	for j := range got {
		got[j] = make([]float64, n)
	}
	team := NewTeam(workers)
	ahead := NewNormalsAhead(many, n, period, steps, team)
	team.Run(func(w int) {
		lo, hi := Block(w, workers, n)
		for k := range steps {
			ahead.Advance(k, w)
			if k%period == 0 {
				dst := got[k/period]
				for a := lo; a < hi; a += 7 {
					ahead.Fill(w, dst[a:min(a+7, hi)], a)
				}
			}
			team.Barrier()
		}
	})
	for j := range want {
		for i := range want[j] {
			if math.Float64bits(want[j][i]) != math.Float64bits(got[j][i]) {
				t.Fatalf("batch %d: deviate %d is %v, Draw gives %v", j, i, got[j][i], want[j][i])
			}
		}
	}
	if one.s != many.s || one.spareValid != many.spareValid || one.spare != many.spare {
		t.Fatalf("the generators differ after the run")
	}
}

// BenchmarkNormalsAhead is W2's noise at N=10,000: a batch of 10,000
// deviates every 10 steps, drawn and filled by a team of one and of two
// (a step barrier per step, as in the generated loop); an op is one
// period. Two workers should take about half the time of one.
func BenchmarkNormalsAhead(b *testing.B) {
	const n, period = 10000, 10
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			team := NewTeam(workers)
			ahead := NewNormalsAhead(NewRNG(1), n, period, (b.N+1)*period, team)
			dst := make([]float64, n)
			b.ResetTimer()
			team.Run(func(w int) {
				lo, hi := Block(w, workers, n)
				for k := range b.N * period {
					ahead.Advance(k, w)
					if k%period == 0 {
						ahead.Fill(w, dst[lo:hi], lo)
					}
					team.Barrier()
				}
			})
		})
	}
}
