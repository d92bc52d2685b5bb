package runtime

// Edges are the long-delay edges of a whole-brain coupling that one
// worker sums: target, history offset and weight of each, in the
// generated table's order (rows by source).
type Edges struct {
	Target []int32
	Off    []int32
	Weight []float64
}

// OwnEdges keeps the edges whose targets are the worker's nodes [lo, hi),
// in their order. Every target's edges stay with one worker and in the
// order of the table, sources ascending, so each sum is made the same
// whatever the number of workers. A worker that owns every node uses the
// table itself.
func OwnEdges(target, off []int32, weight []float64, lo, hi int) Edges {
	own := Edges{Target: target, Off: off, Weight: weight}
	if lo == 0 && hi > maxTarget(target) {
		return own
	}
	own = Edges{}
	for n, i := range target {
		if int(i) >= lo && int(i) < hi {
			own.Target = append(own.Target, i)
			own.Off = append(own.Off, off[n])
			own.Weight = append(own.Weight, weight[n])
		}
	}
	return own
}

func maxTarget(target []int32) int {
	m := -1
	for _, i := range target {
		m = max(m, int(i))
	}
	return m
}
