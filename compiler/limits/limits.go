// Package limits states the sizes a compiled program may have, in one
// place, so that every stage refuses an experiment too large to build or
// to run with the same words: what is too large, how large it is, the
// limit, and the way out. A size that passes here fits the integer types
// the generator writes (int32 offsets, fixed arrays below Go's 2 GB symbol
// limit), so `tvboc check` passing means the program builds.
package limits

import (
	"fmt"
	"math"
)

// MaxHistoryBytes bounds the memory of one delay history that the
// generator lays out at compile time (a ring of past steps: spike flags of
// a node list, fired cells of a population, states of a whole-brain
// network). It stays well below Go's 2 GB limit on one symbol.
const MaxHistoryBytes = 1 << 30

// MaxArrayBytes bounds one array the generator declares with a fixed size
// (a population's state variable, its spike history): Go refuses a symbol
// above 2 GB at link time.
const MaxArrayBytes = 1 << 30

// MaxIndex is the largest offset the generated kernels store in their
// int32 index arrays (sparse rows, delay offsets).
const MaxIndex = math.MaxInt32

// MaxNodeList bounds a node list (a network of nodes without size:, or a
// model with number_of_nodes). The generator steps cells alike in loops
// over arrays (gen's node loops), so the Go file stays small, but the
// compiler still lowers every node on its own: 100,000 nodes take about
// 15 s and 1 GB to compile (MaxNodeListBytes bounds the same work by the
// size of the nodes' equations). A population (size: N) or a connectome is
// one model lowered once, whatever its size.
const MaxNodeList = 100000

// MaxNodeListBytes bounds the memory the compiler may estimate for
// lowering a node list node by node (resolve's checkNodeListWork): about
// 16,000 HH cells, or the 100,000 nodes of a small equation model.
const MaxNodeListBytes = 4e9

// MaxSteps bounds the steps of a run: int step counters never overflow,
// and no machine records more rows.
const MaxSteps = 1 << 40

// Steps is duration / step (ratio), the nearest whole number of steps,
// and whether the ratio is that whole number (within float64's rounding)
// and at least 1. The experiment file and --dt/--duration are judged by
// it alike.
func Steps(duration, step float64) (ratio, steps float64, whole bool) {
	ratio = duration / step
	steps = math.Round(ratio)
	return ratio, steps, steps >= 1 && math.Abs(ratio-steps) <= 1e-9*math.Max(1, ratio)
}

// MaxSeed is the largest random seed an experiment may give: YAML numbers
// are float64, which hold every whole number up to 2^53 and not all
// beyond (1e20 would saturate when converted). The bound is 2^53 - 1,
// not 2^53: 2^53 + 1 is read as 2^53 (the nearest float64), so a seed of
// 2^53 may have been written as another number, while every whole number
// up to 2^53 - 1 is read exactly and no other literal reads as one.
const MaxSeed = 1<<53 - 1

// Seed reports whether v is a seed an experiment may give: a whole number
// from 0 to MaxSeed.
func Seed(v float64) bool { return v >= 0 && v <= MaxSeed && v == math.Trunc(v) }

// Bytes formats a byte count for a message: "3.2 GB", "512 MB".
func Bytes(b float64) string {
	switch {
	case math.IsInf(b, 0) || b >= 1e18:
		return "more than 1e18 bytes"
	case b >= 1e9:
		return fmt.Sprintf("%.3g GB", b/1e9)
	case b >= 1e6:
		return fmt.Sprintf("%.3g MB", b/1e6)
	case b >= 1e3:
		return fmt.Sprintf("%.3g kB", b/1e3)
	}
	return fmt.Sprintf("%.0f bytes", b)
}

// History checks a delay history of slots past steps, slotBytes bytes
// each, before any integer conversion: slots is the float number of steps
// (a delay divided by dt), which may be huge or infinite. It returns nil
// or an error naming the steps, the memory and the limit; what names the
// delay ("edge delay 1e+12 ms").
func History(what string, slots, slotBytes float64) error {
	bytes := slots * slotBytes
	if !(slots <= MaxIndex) || !(bytes <= MaxHistoryBytes) {
		return fmt.Errorf("%s is %.4g steps: its history would need %s (limit %s)", what, slots, Bytes(bytes), Bytes(MaxHistoryBytes))
	}
	return nil
}
