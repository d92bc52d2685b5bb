package runtime

import "fmt"

// checkFinite is the one rule for divergence, for a single run and for
// every set of a sweep alike: a recording that holds NaN or an infinity
// fails the run (non-zero exit, or status failed in a sweep's manifest)
// and writes nothing, because such numbers are not results: the
// parameters took the model out of its valid range (a negative time
// constant, an unstable step). The message names the first non-finite
// value's column, time and step. --allow-nonfinite (opts.AllowNonfinite)
// writes them anyway.
func checkFinite(rec *Recorder, opts Options) error {
	if opts.AllowNonfinite {
		return nil
	}
	data := rec.Data()
	for i, v := range data {
		if v-v != 0 { // NaN or ±Inf, without a call per value
			k, c := i/rec.cols, i%rec.cols
			return fmt.Errorf("the run diverged: %s is %v at t = %s (step %d); nothing written (--allow-nonfinite writes such results)",
				opts.Columns[c].Name, v, formatSeconds(opts.T0+float64(k)*opts.Dt), k)
		}
	}
	return nil
}
