package runtime

import (
	"fmt"
	"os"
	"sync"
	"time"
)

// sweepProgress knows which sets of a sweep have started and finished, so
// that a signal can write a manifest of exactly what is done.
type sweepProgress struct {
	mu      sync.Mutex
	started []time.Time // zero: not started
	done    []bool
	stopped bool
}

func newSweepProgress(n int) *sweepProgress {
	return &sweepProgress{started: make([]time.Time, n), done: make([]bool, n)}
}

// start marks slot as running; false once the sweep was interrupted.
func (s *sweepProgress) start(slot int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return false
	}
	s.started[slot] = time.Now()
	return true
}

// finish stores a finished set's entry (through store, under the lock) and
// marks it done; false once the sweep was interrupted (the entry is then
// not stored: the manifest already says interrupted).
func (s *sweepProgress) finish(slot int, store func()) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return false
	}
	store()
	s.done[slot] = true
	return true
}

// interrupted is the sweep's part of stopping on a signal: the manifest
// lists every set that finished and marks the ones running interrupted;
// sets not started are left out, so that tvboc merge reports them missing
// and names the shard to run again. In .npy mode nothing is kept (the
// array is never committed), so finished sets are marked interrupted too.
// It returns what to print.
func (p *sweepPlan) interrupted(e environment, progress *sweepProgress, entries []ManifestEntry, npy bool, sig os.Signal) string {
	progress.mu.Lock()
	defer progress.mu.Unlock()
	progress.stopped = true
	now := time.Now()
	var kept []ManifestEntry
	finished, running := 0, 0
	for slot, set := range p.sets {
		switch {
		case progress.done[slot] && !npy:
			kept = append(kept, entries[slot])
			finished++
		case progress.done[slot]:
			entry := entries[slot]
			entry.Status, entry.Output = StatusInterrupted, ""
			entry.Error = fmt.Sprintf("interrupted by %s: it finished, but %s was not written", signalName(sig), p.npyPath)
			kept = append(kept, entry)
			finished++
		case !progress.started[slot].IsZero():
			kept = append(kept, ManifestEntry{
				Index: set.Index, Line: set.Line, Cells: p.cells(set), Status: StatusInterrupted,
				WallSeconds: now.Sub(progress.started[slot]).Seconds(),
				Error:       fmt.Sprintf("interrupted by %s after %s", signalName(sig), formatDuration(now.Sub(progress.started[slot]))),
			})
			running++
		}
	}
	m := Manifest{Program: e.program, Sweep: p.source, SweepSets: len(p.sweep.Sets), Params: p.params, Entries: kept}
	if p.shard.Count > 0 {
		m.Shard = p.shard.String()
	}
	if err := writeManifestFileForce(p.manifest, m); err != nil {
		return fmt.Sprintf("%d sets finished, %d interrupted, %d not started; the manifest could not be written: %v",
			finished, running, len(p.sets)-finished-running, err)
	}
	return fmt.Sprintf("%d sets finished, %d interrupted, %d not started; manifest %s",
		finished, running, len(p.sets)-finished-running, p.manifest)
}
