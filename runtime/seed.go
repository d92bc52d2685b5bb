package runtime

import (
	"fmt"
	"io"
	"sync/atomic"
)

// seedUse tells whether a run used its seed, so that a --seed that
// changes nothing is said once, after the run (a script may give every
// program one, so it is a warning, not an error).
var seedUse struct {
	given bool
	seed  uint64
	fresh RNG         // Rand as seeded: a run that left it so drew nothing from it
	read  atomic.Bool // RunSeed was called, or the program draws like jLEMS
}

// useSeed records the run's seed, after Rand is seeded with it.
func useSeed(seed uint64, given, java bool) {
	seedUse.given, seedUse.seed, seedUse.fresh = given, seed, *Rand
	seedUse.read.Store(java)
}

// RunSeed is the run's seed (--seed, default Info.Seed), from which a
// whole-brain program's noise stream starts (one per run: every set of a
// sweep draws the same deviates).
func RunSeed() uint64 {
	seedUse.read.Store(true)
	return seedUse.seed
}

// warnUnusedSeed says that --seed changed nothing when the run drew no
// random number: the program has no noise, random(), random connections,
// per-cell draws or Poisson inputs.
// The sets of a sweep are not runs of their own: the sweep says it once.
func warnUnusedSeed(w io.Writer) {
	if setsRunning.Load() > 0 {
		return
	}
	if seedUse.given && !seedUse.read.Load() && *Rand == seedUse.fresh {
		fmt.Fprintf(w, "%s: warning: --seed %d changed nothing: this run drew no random numbers (it has no noise, random(), random connections or Poisson inputs)\n", programName(), seedUse.seed)
	}
}
