package runtime

// checkFinite is the one rule for divergence, for a single run and for
// every set of a sweep alike: a recording whose written columns
// (opts.Selected) hold NaN or an infinity fails the run (non-zero exit, or status failed in a sweep's manifest)
// and writes nothing, because such numbers are not results: the
// parameters took the model out of its valid range (a negative time
// constant, an unstable step). The message names the first non-finite
// value's column, time and step. --allow-nonfinite (opts.AllowNonfinite)
// writes them anyway.
func checkFinite(rec *Recorder, opts Options) error {
	if opts.AllowNonfinite {
		return nil
	}
	return nonFinite(rec.data, rec.cols, 0, rec.rows, opts)
}
