// Package compare judges a simulation's results against a reference
// simulator's results by the tvboc fidelity policy.
//
// It is the one place that policy is written down in code: the compiler's
// fidelity tests use it, and the `tvboc compare REF SIM` command is a thin
// layer over it.
//
// # Tables
//
// A [Table] is a time column plus named value columns. [Load] reads one from
// a file, choosing the format by extension (gzip is detected from the
// content, so both `x.csv` and `x.csv.gz` work):
//
//   - .csv: header `t,<quantity>,...`, the tvboc results contract.
//   - .dat: jNeuroML text output, whitespace separated, no header, column 0
//     is t. Names come from [LoadOptions.Columns] or from a `columns.txt`
//     next to the file (the format the reference goldens use).
//   - .npy: a 2-D float64 (or float32) matrix, column 0 is t; names as for
//     .dat.
//
// Bad input is reported as an [*InputError] naming the file, line (or row)
// and column: unreadable or empty files, ragged rows, cells that are not
// numbers, NaN or Inf values, time that does not increase.
//
// # Judging
//
// [Compare] matches quantities by name (optionally through a ref -> sim
// name map), puts both tables on the reference time grid (row by row when
// the grids agree, otherwise by linear interpolation of the simulation over
// the overlapping interval) and judges each quantity by a [Policy]:
//
//   - Spiking quantities (names ending in /v or /V, or marked by the caller)
//     must have the same number of spikes, and spikes paired in order must
//     lie within Policy.MaxSpikeSteps reference steps of each other, or, in
//     the relative mode meant for conductance-based cells, within
//     Policy.MaxSpikeRelTime of the time elapsed since the start.
//   - Every quantity's subthreshold RMS error, relative to the reference
//     trace's range, must not exceed Policy.MaxRMSFrac. Samples within
//     Policy.SpikeWindowSteps reference steps of a spike of either trace are
//     left out, because near a spike a timing offset the spike criterion
//     already accepted shows up as a large amplitude difference; counting it
//     again as subthreshold error would judge the same jitter twice. The
//     other quantities of a spiking cell (those named like its membrane
//     potential up to the last '/', such as `pop[0]/U` for `pop[0]/v`)
//     borrow its windows: a late reset moves them too.
//
// The resulting [Report] prints as an aligned table ([Report.WriteText]) and
// marshals to JSON as is (every number in it is finite).
//
// # Spikes in jLEMS traces
//
// The reference simulator tests `v > threshold` right after each update and
// resets v in the same step, so a recorded trace never shows the peak: a
// spike appears as a one-sample drop. The default detector therefore
// looks for a drop larger than Policy.SpikeDropFraction of the reference
// trace's range and dates the spike at the sample after the drop (the reset
// sample). Traces that do show their peaks (conductance-based cells) are
// better served by an upward threshold crossing, Policy.UseSpikeThreshold.
package compare
