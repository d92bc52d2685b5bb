package diag

import "strings"

// Closest returns the known name nearest to name (case-insensitive edit
// distance), or "" when none is close enough to be a likely typo: at most
// a third of the name's length, and never more than 3 edits.
func Closest(name string, known []string) string {
	best, bestD := "", min(3, len(name)/3+1)
	for _, k := range known {
		if d := EditDistance(strings.ToLower(name), strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// Suggest is the hint for an unknown name: "did you mean X?" when a known
// name is close, else the list of known names. Lists grow as the project
// grows, so a close match is always preferred to a long enumeration.
func Suggest(name string, known []string, what string) string {
	if c := Closest(name, known); c != "" {
		return "did you mean " + c + "?"
	}
	return what + ": " + strings.Join(known, ", ")
}

// EditDistance is the optimal-string-alignment distance between a and b
// in bytes: insertions, deletions, substitutions, and swaps of neighbours
// (the commonest typo, "tua" for "tau") each count one.
func EditDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
