package compare

import "strings"

// DetectDrops returns the indices k at which v drops by more than minDrop
// in one sample (v[k-1] - v[k] > minDrop). In a trace recorded from a model
// that resets in the same step it crosses threshold, each such index is the
// reset sample of a spike.
func DetectDrops(v []float64, minDrop float64) []int {
	var at []int
	for k := 1; k < len(v); k++ {
		if v[k-1]-v[k] > minDrop {
			at = append(at, k)
		}
	}
	return at
}

// DetectCrossings returns the indices k at which v crosses threshold
// upwards: v[k-1] < threshold <= v[k].
func DetectCrossings(v []float64, threshold float64) []int {
	var at []int
	for k := 1; k < len(v); k++ {
		if v[k-1] < threshold && v[k] >= threshold {
			at = append(at, k)
		}
	}
	return at
}

// IsMembranePotential reports whether a quantity name denotes a membrane
// potential by the results contract's naming (`.../v` or `.../V`); such
// quantities are checked for spikes by default.
func IsMembranePotential(name string) bool {
	return strings.HasSuffix(name, "/v") || strings.HasSuffix(name, "/V")
}

// cellPrefix returns the part of a spiking quantity's name that names its
// cell: everything before the last '/'. Other quantities of the same cell
// share it ("izBurst_pop[0]/v" and "izBurst_pop[0]/U").
func cellPrefix(name string) string {
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		return name[:i]
	}
	return ""
}
