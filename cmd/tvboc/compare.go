package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tvboc/tvboc/compare"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/reference"
)

// compareFlags are the options of `tvboc compare`, shared with
// `tvboc run --compare`.
type compareFlags struct {
	maps           []string
	asJSON         bool
	maxSpikeSteps  float64
	maxRMSFrac     float64
	relTime        float64
	spikeThreshold float64
	allowMissing   bool
	quantities     []string
	refColumns     []string
	simColumns     []string
	lemsFile       string
	exactNames     bool
	float32        bool
}

func (f *compareFlags) add(c *cobra.Command, prefix string) {
	fl := c.Flags()
	fl.StringArrayVar(&f.maps, prefix+"map", nil, "pair a reference quantity with a differently named simulation one: `REF=SIM` (repeatable)")
	fl.Float64Var(&f.maxSpikeSteps, prefix+"max-spike-steps", compare.DefaultMaxSpikeSteps, "largest accepted spike time offset, in reference steps")
	fl.Float64Var(&f.maxRMSFrac, prefix+"max-rms-frac", compare.DefaultMaxRMSFrac, "largest accepted subthreshold RMS error, as a fraction of the reference trace's range")
	fl.Float64Var(&f.relTime, prefix+"rel-time", 0, "also accept spike offsets up to this `FRACTION` of the elapsed time (e.g. 0.01 for conductance-based cells; 0: off)")
	fl.Float64Var(&f.spikeThreshold, prefix+"spike-threshold", 0, "detect spikes as upward crossings of this `VALUE` (SI units, e.g. 0 for 0 V) instead of threshold resets")
	fl.BoolVar(&f.allowMissing, prefix+"allow-missing", false, "accept quantities found on one side only (they are still listed)")
	fl.StringSliceVar(&f.quantities, prefix+"quantities", nil, "compare only these reference quantities (comma separated)")
	fl.StringSliceVar(&f.refColumns, prefix+"ref-columns", nil, "names of the reference's value columns, for .dat/.npy files (comma separated)")
	fl.StringSliceVar(&f.simColumns, prefix+"sim-columns", nil, "names of the simulation's value columns, for .dat/.npy files (comma separated)")
	fl.StringVar(&f.lemsFile, prefix+"lems", "", "a LEMS `FILE` whose OutputFile/OutputColumn elements name the columns of .dat inputs")
	fl.BoolVar(&f.exactNames, prefix+"exact-names", false, "match quantities only by identical name (or --map), never by index and variable")
	fl.BoolVar(&f.float32, prefix+"float32", false, "round both sides to float32 before measuring errors: the precision jLEMS (jNeuroML) prints its results at")
	if prefix == "" {
		fl.BoolVar(&f.asJSON, "json", false, "print the report as JSON")
	}
}

// policy builds the compare policy from the flags.
func (f *compareFlags) options(c *cobra.Command, prefix string) (compare.Options, error) {
	for _, fl := range []struct {
		name  string
		value float64
	}{{"max-spike-steps", f.maxSpikeSteps}, {"max-rms-frac", f.maxRMSFrac}, {"rel-time", f.relTime}} {
		if math.IsNaN(fl.value) || math.IsInf(fl.value, 0) || fl.value < 0 {
			return compare.Options{}, usageError{fmt.Errorf("--%s%s %v: want a finite number of at least 0", prefix, fl.name, fl.value)}
		}
	}
	if v := f.spikeThreshold; math.IsNaN(v) || math.IsInf(v, 0) {
		return compare.Options{}, usageError{fmt.Errorf("--%sspike-threshold %v: want a finite number", prefix, v)}
	}
	p := compare.DefaultPolicy()
	p.MaxSpikeSteps = f.maxSpikeSteps
	p.MaxRMSFrac = f.maxRMSFrac
	if f.relTime != 0 {
		p.UseRelTime, p.MaxSpikeRelTime = true, f.relTime
	}
	if c.Flags().Changed(prefix + "spike-threshold") {
		p.UseSpikeThreshold, p.SpikeThreshold = true, f.spikeThreshold
	}
	if err := p.Validate(); err != nil {
		return compare.Options{}, usageError{err}
	}
	opts := compare.Options{Policy: p, AllowMissing: f.allowMissing, Quantities: f.quantities, Float32: f.float32}
	for _, m := range f.maps {
		ref, sim, ok := strings.Cut(m, "=")
		if !ok || strings.TrimSpace(ref) == "" || strings.TrimSpace(sim) == "" {
			return opts, usageError{fmt.Errorf("--%smap %q: want REF=SIM, e.g. --map 'iafTauPop[0]/v=IntegrateAndFire_pop[0]/v'", prefix, m)}
		}
		if opts.Map == nil {
			opts.Map = map[string]string{}
		}
		opts.Map[strings.TrimSpace(ref)] = strings.TrimSpace(sim)
	}
	return opts, nil
}

// loadTable reads a results file; .dat and .npy columns are named by the
// given names, else by the LEMS file, else by a columns.txt next to it.
// namesFlag is the flag that gives the names (--ref-columns or
// --sim-columns; "" when the command has none), for the message when
// nothing names them.
func loadTable(path string, names []string, lemsFile, namesFlag string) (*compare.Table, error) {
	opts := compare.LoadOptions{Columns: names}
	if isExperiment(path) {
		return nil, usageError{fmt.Errorf("%s is an experiment, not results: run it first (tvboc run %s -o out.csv), or compare while it runs (tvboc run --compare REF %s)", path, path, path)}
	}
	if len(names) == 0 && isHeaderless(path) {
		if lemsFile != "" {
			cols, err := reference.ColumnsFromLEMS(lemsFile, path)
			if err != nil {
				return nil, err
			}
			opts.Columns = cols
		} else if _, err := os.Stat(filepath.Join(filepath.Dir(path), compare.ColumnsFileName)); errors.Is(err, os.ErrNotExist) {
			by := "--lems FILE.xml (the LEMS file that wrote it)"
			if namesFlag != "" {
				by = namesFlag + " a,b,c or " + by
			}
			return nil, usageError{fmt.Errorf("%s has no header to name its columns: name them with %s, or put a %s next to it", path, by, compare.ColumnsFileName)}
		}
	}
	return compare.Load(path, opts)
}

// isExperiment tells an experiment file by its extension.
func isExperiment(path string) bool {
	p := strings.ToLower(path)
	return strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")
}

func isHeaderless(path string) bool {
	p := strings.TrimSuffix(strings.ToLower(path), ".gz")
	return strings.HasSuffix(p, ".dat") || strings.HasSuffix(p, ".npy")
}

func compareCmd(stdout, stderr io.Writer) *cobra.Command {
	var f compareFlags
	c := &cobra.Command{
		Use:   "compare REF SIM",
		Short: "Judge a simulation's results against a reference's by the fidelity policy",
		Long: `Compare two result files quantity by quantity: spike counts and spike time
offsets, subthreshold RMS and largest error, correlation. The default
policy is the project's bar: same spike count, spikes within 2 reference
steps, subthreshold RMS error at most 1e-3 of the trace's range.

Files may be .csv (header t,<quantity>,...), jNeuroML .dat (columns named
by --ref-columns/--sim-columns, by --lems FILE.xml, or by a columns.txt next
to the file) or .npy, each optionally gzipped. Quantities are matched by
name, through --map REF=SIM where names differ; different time grids are
handled by interpolating the simulation onto the reference's times.

Exit status: 0 when every quantity passes, 1 when the comparison fails or
cannot be made, 2 for a usage mistake.

  tvboc compare ex2_reference/ex2.csv out.csv
  tvboc compare --lems LEMS_NML2_Ex0_IaF.xml --map 'iafTauPop[0]/v=IntegrateAndFire_pop[0]/v' iaf_v.dat out.csv`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usageError{fmt.Errorf("compare takes two result files (REF SIM), got %d arguments", len(args))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := f.options(cmd, "")
			if err != nil {
				return err
			}
			// the messages name the file: "reference:" before them said
			// nothing more ("reference: compare: ...")
			ref, err := loadTable(args[0], f.refColumns, f.lemsFile, "--ref-columns")
			if err != nil {
				return err
			}
			sim, err := loadTable(args[1], f.simColumns, f.lemsFile, "--sim-columns")
			if err != nil {
				return err
			}
			if err := knownQuantities(ref, args[0], f.quantities, "--quantities"); err != nil {
				return err
			}
			rep, err := runCompare(ref, sim, opts, !f.exactNames, stderr)
			if rep == nil {
				return err
			}
			if f.asJSON {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(rep); err != nil {
					return err
				}
			} else if err := rep.WriteText(stdout); err != nil {
				return err
			}
			if !rep.Pass {
				return exitError{1}
			}
			return nil
		},
	}
	f.add(c, "")
	return c
}

// knownQuantities refuses a quantity of --quantities that the reference
// does not have (it was reported as "no quantity in common" between the
// two files, which blamed them).
func knownQuantities(ref *compare.Table, path string, quantities []string, flag string) error {
	for _, q := range quantities {
		if ref.Index(q) < 0 {
			hint := ""
			if c := diag.Closest(q, ref.Names); c != "" {
				hint = ": did you mean " + c + "?"
			}
			return usageError{fmt.Errorf("%s %s: %s has no quantity %q (it has %s)%s", flag, strings.Join(quantities, ","), path, q, strings.Join(ref.Names, ", "), hint)}
		}
	}
	return nil
}

// runCompare compares two tables. When autoMap is set, quantities that
// match by name on neither side are paired by their `[index]/variable`
// ending when that pairing is unambiguous (LEMS examples and TVBO name
// populations differently); each such pairing is said on stderr.
//
// A report is returned whenever one was made, even with an error (missing
// quantities); a nil report means nothing could be compared.
func runCompare(ref, sim *compare.Table, opts compare.Options, autoMap bool, stderr io.Writer) (*compare.Report, error) {
	if autoMap {
		pairs := autoPairs(ref, sim, opts)
		keys := make([]string, 0, len(pairs))
		for r := range pairs {
			keys = append(keys, r)
		}
		sort.Strings(keys)
		merged := map[string]string{}
		for r, s := range opts.Map {
			merged[r] = s
		}
		for _, r := range keys {
			merged[r] = pairs[r]
			fmt.Fprintf(stderr, "tvboc: matching %s with %s by index and variable (--exact-names turns this off)\n", r, pairs[r])
		}
		opts.Map = merged
	}
	rep, err := compare.Compare(ref, sim, opts)
	var missing *compare.MissingError
	if rep != nil && errors.As(err, &missing) {
		fmt.Fprintf(stderr, "tvboc: %v\n", missing)
		return rep, nil
	}
	return rep, err
}

// autoPairs pairs reference and simulation quantities that are unmatched
// by name (and not in opts.Map) when they share a unique
// `[index]/variable` ending, e.g. LEMS's `iafTauPop[0]/v` and TVBO's
// `IntegrateAndFire_pop[0]/v`.
func autoPairs(ref, sim *compare.Table, opts compare.Options) map[string]string {
	mappedSim := map[string]bool{}
	for _, s := range opts.Map {
		mappedSim[s] = true
	}
	ending := func(name string) string {
		if i := strings.LastIndex(name, "["); i >= 0 {
			return name[i:]
		}
		return ""
	}
	unmatchedRef := map[string][]string{}
	for _, n := range ref.Names {
		if _, mapped := opts.Map[n]; mapped || sim.Index(n) >= 0 || ending(n) == "" {
			continue
		}
		unmatchedRef[ending(n)] = append(unmatchedRef[ending(n)], n)
	}
	unmatchedSim := map[string][]string{}
	for _, n := range sim.Names {
		if mappedSim[n] || ref.Index(n) >= 0 || ending(n) == "" {
			continue
		}
		unmatchedSim[ending(n)] = append(unmatchedSim[ending(n)], n)
	}
	pairs := map[string]string{}
	for e, rs := range unmatchedRef {
		if ss := unmatchedSim[e]; len(rs) == 1 && len(ss) == 1 {
			pairs[rs[0]] = ss[0]
		}
	}
	return pairs
}
