package runtime

import (
	"fmt"
	"math"
)

// CheckValues stops the program with a message when a value drawn or
// computed at start-up (a population's per-cell parameters and initial
// states, an edge's weights) is NaN or infinite: an expression of the
// experiment that has no finite value for some cell (sqrt of a negative
// number, a division by zero) would otherwise turn the whole run into NaN
// without a word. what names the array ("population exc", "edge 0 (exc ->
// inh)"), name the quantity, item what an index counts ("cell",
// "synapse"), src the expression that gave it.
func CheckValues[F float32 | float64](what, name, item string, values []F, src string) {
	for i, x := range values {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			Fatal(fmt.Errorf("%s: %s is %v for %s %d (%s has no finite value there); fix the expression in the experiment", what, name, x, item, i, src))
		}
	}
}
