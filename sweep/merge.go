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
// set may appear twice; a set of the sweep that no manifest lists is an
// error (a shard that did not finish) unless allowMissing.
func Merge(manifests []*rt.Manifest, names []string, allowMissing bool) (*rt.Manifest, error) {
	if len(manifests) == 0 {
		return nil, fmt.Errorf("nothing to merge: give the manifests of the shards")
	}
	merged := &rt.Manifest{Params: manifests[0].Params}
	seen := map[int]string{}
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
		for _, e := range m.Entries {
			if other, dup := seen[e.Index]; dup {
				return nil, fmt.Errorf("set %d is in both %s and %s: merge each shard once", e.Index, other, names[i])
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
	if missing := missingRanges(merged.Entries, merged.SweepSets); missing != "" && !allowMissing {
		return nil, fmt.Errorf("the sweep has %d sets, but no manifest lists %s: did a shard fail or not run? (--allow-missing merges what is there)",
			merged.SweepSets, missing)
	}
	return merged, nil
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

// missingRanges lists the set indices in [0, n) that sorted entries lack,
// as "sets 4-7, 12".
func missingRanges(sorted []rt.ManifestEntry, n int) string {
	var parts []string
	next := 0
	add := func(from, to int) { // [from, to)
		switch {
		case to-from == 1:
			parts = append(parts, strconv.Itoa(from))
		case to > from:
			parts = append(parts, fmt.Sprintf("%d-%d", from, to-1))
		}
	}
	for _, e := range sorted {
		add(next, e.Index)
		next = e.Index + 1
	}
	add(next, n)
	if len(parts) == 0 {
		return ""
	}
	noun := "set "
	if len(parts) > 1 || strings.Contains(parts[0], "-") {
		noun = "sets "
	}
	return noun + strings.Join(parts, ", ")
}

// Summary counts the entries of a manifest by status.
func Summary(m *rt.Manifest) (ok, invalid, failed int) {
	for _, e := range m.Entries {
		switch e.Status {
		case rt.StatusOK:
			ok++
		case rt.StatusInvalid:
			invalid++
		default:
			failed++
		}
	}
	return ok, invalid, failed
}
