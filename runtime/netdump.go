package runtime

import (
	"encoding/json"
	"fmt"
	"io"
)

// NetworkDump is a population network as its binary draws it at start-up
// (--network FILE): every per-cell array of every population and every
// synapse of every edge, after the draws and before the first step. tvboc
// render lems reads it to write the network cell by cell and connection by
// connection; it is also the drawn connectivity for a user's own analysis.
type NetworkDump struct {
	Label       string           `json:"label"`
	Seed        uint64           `json:"seed"`
	Populations []DumpPopulation `json:"populations"`
	Edges       []DumpEdge       `json:"edges"`
}

// DumpPopulation is one population's per-cell values: its per-cell
// parameters (the model's units: SI for library cells) and the initial
// value of every state variable, by name, one value per cell in rank order.
type DumpPopulation struct {
	Name   string               `json:"name"`
	Size   int                  `json:"size"`
	Arrays map[string][]float64 `json:"arrays"`
}

// DumpEdge is the synapses of one edge into one of its target populations
// (Target indexes the edge's targets). Sparse edges are compressed sparse
// rows: source s's synapses are Col[Row[s]:Row[s+1]] (target ranks) with
// weights W[Row[s]:Row[s+1]]. Dense (all_to_all) edges have W only, a row
// of the target's size per source. W holds what a spike adds: the weight,
// or for a synapse the amount its handler adds for that weight.
type DumpEdge struct {
	Edge   int       `json:"edge"`
	Target int       `json:"target"`
	Dense  bool      `json:"dense,omitempty"`
	Row    []int32   `json:"row,omitempty"`
	Col    []int32   `json:"col,omitempty"`
	W      []float64 `json:"w"`
}

// WriteNetwork writes d to path as JSON (atomically: a failed write leaves
// nothing behind).
func WriteNetwork(path string, d NetworkDump) error {
	write := func(w io.Writer) error {
		enc := json.NewEncoder(w)
		if err := enc.Encode(d); err != nil {
			return fmt.Errorf("writing the network: %w", err)
		}
		return nil
	}
	if path == Stdout {
		return write(Options{}.stdout())
	}
	return writeFileAtomic(path, write)
}

// Int32s widens a column index list for a NetworkDump.
func Int32s[T ~uint16 | ~int32](cols []T) []int32 {
	out := make([]int32, len(cols))
	for i, c := range cols {
		out[i] = int32(c)
	}
	return out
}
