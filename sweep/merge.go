package sweep

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	rt "github.com/tvboc/tvboc/runtime"
)

// Merge joins the manifests of the shards of one sweep into one manifest
// ordered by set index. names name the manifests in messages. The
// manifests must list the same parameters and the same sweep size, and no
// set may appear twice. A set of the sweep that no manifest lists (a shard
// that did not finish) or that was interrupted is an error, a
// *MissingError naming the shards to re-run, unless allowMissing.
func Merge(manifests []*rt.Manifest, names []string, allowMissing bool) (*rt.Manifest, error) {
	if len(manifests) == 0 {
		return nil, fmt.Errorf("nothing to merge: give the manifests of the shards")
	}
	merged := &rt.Manifest{Params: manifests[0].Params}
	seen := map[int]string{}
	shards, shardsFrom := 0, ""
	for i, m := range manifests {
		if merged.Program == "" {
			merged.Program, merged.Sweep = m.Program, m.Sweep
		}
		if !sameNames(m.Params, merged.Params) {
			return nil, fmt.Errorf("%s lists parameters %s, but %s lists %s: these are not shards of one sweep",
				names[i], paramNames(m.Params), names[0], paramNames(merged.Params))
		}
		for j, p := range m.Params {
			if merged.Params[j].Unit == "" {
				merged.Params[j] = p // JSON manifests know units; CSV ones do not
			}
		}
		if len(m.Entries) > 0 {
			switch {
			case merged.SweepSets == 0:
				merged.SweepSets = m.SweepSets
			case m.SweepSets != merged.SweepSets:
				return nil, fmt.Errorf("%s is from a sweep of %d sets, but others are from one of %d", names[i], m.SweepSets, merged.SweepSets)
			}
		}
		shard, err := parseShard(m.Shard)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", names[i], err)
		}
		if shard.Count > 0 {
			if shards > 0 && shard.Count != shards {
				return nil, fmt.Errorf("%s is shard %s, but %s is one of %d shards: these are not shards of one run of the sweep", names[i], m.Shard, shardsFrom, shards)
			}
			shards, shardsFrom = shard.Count, names[i]
		}
		for _, e := range m.Entries {
			if other, dup := seen[e.Index]; dup {
				return nil, fmt.Errorf("set %d is in both %s and %s: merge each shard once", e.Index, other, names[i])
			}
			if start, end := shard.Range(m.SweepSets); shard.Count > 0 && (e.Index < start || e.Index >= end) {
				return nil, fmt.Errorf("%s is shard %s (sets %d to %d) but lists set %d: it was not written by that shard alone; run the shard again",
					names[i], m.Shard, start, end-1, e.Index)
			}
			seen[e.Index] = names[i]
			merged.Entries = append(merged.Entries, e)
		}
	}
	slices.SortFunc(merged.Entries, func(a, b rt.ManifestEntry) int { return cmp.Compare(a.Index, b.Index) })
	for _, e := range merged.Entries {
		if e.Index < 0 || e.Index >= merged.SweepSets {
			return nil, fmt.Errorf("set %d (%s) is outside the sweep of %d sets", e.Index, seen[e.Index], merged.SweepSets)
		}
	}
	if gap := findGaps(merged, shards); gap != nil && !allowMissing {
		return merged, gap
	}
	return merged, nil
}

// MissingError says which sets of a sweep have no result yet: no manifest
// lists them, or their run was interrupted. Shards are the shards that
// hold them, when the shard count is known.
type MissingError struct {
	SweepSets   int
	Missing     []int // listed by no manifest
	Interrupted []int // listed as interrupted
	ShardCount  int   // 0: not known from the manifests
	Shards      []int // the shards to run again
}

func (e *MissingError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the sweep has %d sets, but", e.SweepSets)
	if len(e.Missing) > 0 {
		fmt.Fprintf(&b, " no manifest lists %s", setRanges(e.Missing))
		if len(e.Interrupted) > 0 {
			b.WriteString(" and")
		}
	}
	if len(e.Interrupted) > 0 {
		fmt.Fprintf(&b, " %s interrupted", setRanges(e.Interrupted))
	}
	if len(e.Shards) > 0 {
		noun := "shard"
		if len(e.Shards) > 1 {
			noun = "shards"
		}
		fmt.Fprintf(&b, ": %s %s of %d did not finish", noun, ShardList(e.Shards), e.ShardCount)
	} else {
		b.WriteString(": did a shard fail or not run?")
	}
	b.WriteString(" (--allow-missing merges what is there)")
	return b.String()
}

// SetShards sets the shard count (from the job script when the manifests
// do not say) and the shards that hold the missing sets.
func (e *MissingError) SetShards(count int) {
	e.ShardCount, e.Shards = count, nil
	if count < 1 {
		return
	}
	for i := range count {
		start, end := rt.Shard{Index: i, Count: count}.Range(e.SweepSets)
		if hasIn(e.Missing, start, end) || hasIn(e.Interrupted, start, end) {
			e.Shards = append(e.Shards, i)
		}
	}
}

func hasIn(sorted []int, start, end int) bool {
	i, _ := slices.BinarySearch(sorted, start)
	return i < len(sorted) && sorted[i] < end
}

// findGaps returns the sets of m's sweep without a result, or nil.
func findGaps(m *rt.Manifest, shards int) *MissingError {
	e := &MissingError{SweepSets: m.SweepSets}
	next := 0
	for _, entry := range m.Entries {
		for ; next < entry.Index; next++ {
			e.Missing = append(e.Missing, next)
		}
		next = entry.Index + 1
		if entry.Status == rt.StatusInterrupted {
			e.Interrupted = append(e.Interrupted, entry.Index)
		}
	}
	for ; next < m.SweepSets; next++ {
		e.Missing = append(e.Missing, next)
	}
	if len(e.Missing)+len(e.Interrupted) == 0 {
		return nil
	}
	e.SetShards(shards)
	return e
}

// parseShard reads a manifest's "I/N"; "" is the whole sweep (Count 0).
func parseShard(s string) (rt.Shard, error) {
	if s == "" {
		return rt.Shard{}, nil
	}
	is, ns, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return rt.Shard{}, fmt.Errorf("shard %q: want I/N with 0 <= I < N", s)
	}
	return rt.Shard{Index: i, Count: n}, nil
}

func sameNames(a, b []rt.Param) bool {
	return slices.EqualFunc(a, b, func(x, y rt.Param) bool { return x.Name == y.Name })
}

func paramNames(ps []rt.Param) string {
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
	}
	return "(" + strings.Join(names, ", ") + ")"
}

// setRanges writes sorted set indices as "set 2" or "sets 4-7, 12".
func setRanges(sorted []int) string {
	var parts []string
	for i := 0; i < len(sorted); {
		k := i
		for k+1 < len(sorted) && sorted[k+1] == sorted[k]+1 {
			k++
		}
		if k == i {
			parts = append(parts, strconv.Itoa(sorted[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", sorted[i], sorted[k]))
		}
		i = k + 1
	}
	if len(sorted) == 1 {
		return "set " + parts[0]
	}
	return "sets " + strings.Join(parts, ", ")
}

// Summary counts the entries of a manifest by status; failed counts
// every status but ok, invalid and interrupted.
func Summary(m *rt.Manifest) (ok, invalid, failed, interrupted int) {
	for _, e := range m.Entries {
		switch e.Status {
		case rt.StatusOK:
			ok++
		case rt.StatusInvalid:
			invalid++
		case rt.StatusInterrupted:
			interrupted++
		default:
			failed++
		}
	}
	return ok, invalid, failed, interrupted
}
