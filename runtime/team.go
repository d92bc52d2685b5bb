package runtime

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Team is a fixed group of workers that run one step loop together,
// meeting at a barrier between the phases of a step. Generated programs
// for large populations use it: each worker owns a fixed contiguous block
// of cells (see Block), so which worker computes a cell never changes what
// is computed, and results are byte-identical for every team size.
type Team struct {
	n     int
	spins int      // barrierSpins, or 0 when the team has more workers than cores
	_     [48]byte // keep the counters off the cache line of n and spins
	count atomic.Int32
	_     [60]byte
	gen   atomic.Uint32
	// mu and cond park the workers that waited longer than a spin;
	// sleepers counts them, so the last arrival takes the lock only when
	// someone is actually asleep.
	mu       sync.Mutex
	cond     *sync.Cond
	sleepers atomic.Int32
}

// NewTeam returns a team of n workers (n < 1 counts as 1).
func NewTeam(n int) *Team {
	t := &Team{n: max(n, 1), spins: barrierSpins}
	if t.n > runtime.GOMAXPROCS(0) {
		// More workers than cores: the worker a spinner waits for may be
		// waiting for the spinner's core, so spinning only delays it
		// (measured: --threads 3 on 2 cores ran 15x slower than 2).
		t.spins = 0
	}
	t.cond = sync.NewCond(&t.mu)
	return t
}

// Size is the number of workers.
func (t *Team) Size() int { return t.n }

// Run calls work(w) for every worker w in [0, Size()) at once, worker 0 on
// the calling goroutine, and returns when all have returned.
func (t *Team) Run(work func(w int)) {
	var wg sync.WaitGroup
	for w := 1; w < t.n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(w)
		}()
	}
	work(0)
	wg.Wait()
}

// Barrier returns when every worker has called it (the n-th call releases
// the others). A waiting worker spins briefly, since the other workers are
// usually a few microseconds away, then sleeps on a condition variable:
// on a busy machine the worker it waits for may have lost its core, and
// spinning on would only keep it off longer.
func (t *Team) Barrier() {
	if t.n == 1 {
		return
	}
	g := t.gen.Load()
	if t.count.Add(1) == int32(t.n) {
		t.count.Store(0)
		t.gen.Add(1) // releases the spinners; they read count only after
		if t.sleepers.Load() > 0 {
			t.mu.Lock()
			t.cond.Broadcast()
			t.mu.Unlock()
		}
		return
	}
	for i := 0; i < t.spins; i++ {
		if t.gen.Load() != g {
			return
		}
	}
	t.mu.Lock()
	t.sleepers.Add(1)
	for t.gen.Load() == g {
		t.cond.Wait()
	}
	t.sleepers.Add(-1)
	t.mu.Unlock()
}

// barrierSpins is how many times a waiting worker checks the barrier
// before it sleeps: on the order of 100 microseconds. The workers of a
// step are often that far apart (when it was measured, worker 0 drew the
// noise alone every period), and a futex sleep and wake costs about as much, so
// a short spin made two workers no faster than one (measured at N=10,000:
// 1.04x); this one gives 1.8x on an otherwise idle 2-core machine. On a
// loaded machine the spin ends in a sleep anyway.
const barrierSpins = 200000

// Block returns worker w's share [lo, hi) of n cells among workers
// workers: contiguous blocks in worker order whose sizes differ by at most
// one, so concatenating the blocks in worker order gives the cells in
// index order.
func Block(w, workers, n int) (lo, hi int) {
	return w * n / workers, (w + 1) * n / workers
}

// Threads resolves the --threads choice: n itself when positive, else
// every core the Go scheduler may use.
func Threads(n int) int {
	if n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}
