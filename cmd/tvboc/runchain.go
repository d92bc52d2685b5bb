package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tvboc/tvboc/compare"
	"github.com/tvboc/tvboc/compiler"
	"github.com/tvboc/tvboc/plot"
	rt "github.com/tvboc/tvboc/runtime"
)

// chainFlags are run's --compare and --plot: after the simulation, judge
// its results against a reference and draw both, the common end of the
// seed workflow in one command.
type chainFlags struct {
	compareRef string
	plotOut    string
	ref        *compare.Table // the --compare reference, read before the run
	cf         compareFlags
}

func (ch *chainFlags) add(c *cobra.Command) {
	c.Flags().StringVar(&ch.compareRef, "compare", "", "after the run, compare the results with this reference `FILE` (as tvboc compare does)")
	c.Flags().StringVar(&ch.plotOut, "plot", "", "after the run, plot the results (over the --compare reference) to this `FILE` (.png or .svg)")
	ch.cf.add(c, "compare-")
}

func (ch *chainFlags) active() bool { return ch.compareRef != "" || ch.plotOut != "" }

// prepare checks the chain's flags before anything runs and makes sure the
// binary writes a results file tvboc can read back: the binary's own -o
// when it names a .csv file, else a temporary file. cleanup removes what
// prepare created.
func (ch *chainFlags) prepare(exp string, binArgs []string) (args []string, results string, cleanup func(), err error) {
	cleanup = func() {}
	if !ch.active() {
		return binArgs, "", cleanup, nil
	}
	if ch.plotOut != "" {
		if _, err := plot.FormatOf(ch.plotOut); err != nil {
			return nil, "", cleanup, usageError{err}
		}
		if rt.SamePath(ch.plotOut, exp) || ch.compareRef != "" && rt.SamePath(ch.plotOut, ch.compareRef) {
			return nil, "", cleanup, usageError{fmt.Errorf("--plot %s names a file this run reads: choose another output", ch.plotOut)}
		}
		// nor one the binary writes (a link lo.png -> o.csv put the
		// figure where the results were)
		for _, name := range binaryOutputFlags {
			if out, found := binaryFlagValue(binArgs, name); found && out != "-" && rt.SamePath(ch.plotOut, out) {
				return nil, "", cleanup, usageError{fmt.Errorf("--plot and %s both name %s: give each output its own file", flagName(name), out)}
			}
		}
	}
	if ch.plotOut != "" {
		if err := rt.CheckDestination(ch.plotOut); err != nil {
			return nil, "", cleanup, usageError{fmt.Errorf("--plot: %w", err)}
		}
	}
	if ch.compareRef != "" {
		// read before the run: a reference that cannot be read is said
		// now, not after the simulation has written its results
		if _, err := os.Stat(ch.compareRef); err != nil {
			return nil, "", cleanup, fmt.Errorf("--compare: %w", unwrapPath(err))
		}
		if ch.ref, err = loadTable(ch.compareRef, ch.cf.refColumns, ch.cf.lemsFile, "--compare-ref-columns"); err != nil {
			return nil, "", cleanup, fmt.Errorf("--compare %s: %w", ch.compareRef, err)
		}
		if err := knownQuantities(ch.ref, ch.compareRef, ch.cf.quantities, "--compare-quantities"); err != nil {
			return nil, "", cleanup, err
		}
	}
	out, found := binaryOutput(binArgs)
	switch {
	case found && out == "-":
		return nil, "", cleanup, usageError{errors.New("--compare and --plot read the results back: give the binary -o FILE.csv (or no -o), not -o -")}
	case found && !strings.HasSuffix(strings.ToLower(out), ".csv"):
		return nil, "", cleanup, usageError{fmt.Errorf("--compare and --plot read the results back as CSV: give the binary -o FILE.csv, not -o %s", out)}
	}
	if ch.plotOut != "" {
		// the figure's renderer is a program of its own: a missing one is
		// said before the run, not after it (the flags' own mistakes first)
		if _, err := plot.Renderer(); err != nil {
			return nil, "", cleanup, err
		}
	}
	if found {
		return binArgs, out, cleanup, nil
	}
	dir, err := os.MkdirTemp("", "tvboc-run-*")
	if err != nil {
		return nil, "", cleanup, err
	}
	results = filepath.Join(dir, experimentStem(exp)+".csv")
	args = append(append([]string(nil), binArgs...), "-o", results)
	return args, results, func() { os.RemoveAll(dir) }, nil
}

// binaryOutput finds the -o the binary will use (the last one wins, as in
// Go's flag package).
func binaryOutput(args []string) (string, bool) { return binaryFlagValue(args, "o") }

// binaryFlagValue finds the value the binary will take for flag name.
func binaryFlagValue(args []string, flagName string) (string, bool) {
	out, found := "", false
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != flagName {
			continue
		}
		if hasValue {
			out, found = value, true
		} else if i+1 < len(args) {
			out, found = args[i+1], true
			i++
		}
	}
	return out, found
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}

// after compares and plots a finished run's results.
func (ch *chainFlags) after(cmd *cobra.Command, r *compiler.Result, results string, stdout, stderr io.Writer) error {
	if !ch.active() {
		return nil
	}
	sim, err := compare.Load(results, compare.LoadOptions{})
	if err != nil {
		return fmt.Errorf("reading the simulation's results: %w", err)
	}
	sim.Source = results
	ref := ch.ref // read by prepare
	if ch.plotOut != "" {
		series := []plot.Series{{Label: "tvboc", Table: sim}}
		if ref != nil {
			series = []plot.Series{{Label: "reference (" + filepath.Base(ch.compareRef) + ")", Table: ref}, series[0]}
		}
		// The simulation's quantities, drawn over the reference when
		// there is one: the panels are what the run recorded.
		opts := plot.Options{Title: r.Label()}
		if ref != nil {
			opts.Quantities = recordedInReference(ref, sim)
			if len(opts.Quantities) == 0 {
				return fmt.Errorf("plot: the reference %s has none of the simulation's quantities (%s)", ch.compareRef, list(sim.Names))
			}
		}
		if err := writePlot(ch.plotOut, series, opts, stderr); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "tvboc: plot -> %s\n", ch.plotOut)
	}
	if ref == nil {
		return nil
	}
	opts, err := ch.cf.options(cmd, "compare-")
	if err != nil {
		return err
	}
	if len(opts.Quantities) == 0 {
		// The run records what it was asked to (v by default); judge
		// those, and say which reference quantities were left out.
		opts.Quantities = recordedInReference(ref, sim)
		if skipped := len(ref.Names) - len(opts.Quantities); skipped > 0 && len(opts.Quantities) > 0 {
			fmt.Fprintf(stderr, "tvboc: comparing the %d quantities the run recorded; %d more in the reference are not compared (run the binary with --record all to include them)\n",
				len(opts.Quantities), skipped)
		}
	}
	rep, err := runCompare(ref, sim, opts, !ch.cf.exactNames, stderr)
	if rep == nil {
		return err
	}
	if err := rep.WriteText(stdout); err != nil {
		return err
	}
	if !rep.Pass {
		return exitError{1}
	}
	return nil
}

// recordedInReference lists the reference quantities the simulation has,
// in the reference's order.
func recordedInReference(ref, sim *compare.Table) []string {
	var out []string
	for _, n := range ref.Names {
		if sim.Index(n) >= 0 {
			out = append(out, n)
		}
	}
	return out
}

func list(names []string) string { return strings.Join(names, ", ") }

// binaryOutputFlags are the binaries' flags that name a file they write.
var binaryOutputFlags = []string{"o", "spikes", "network", "manifest", "fc"}

// outputsAreNotInputs refuses a binary output (-o, --spikes, --network,
// --manifest, --fc) that names a file the run reads: the experiment, its
// connectome files, the --compare reference. The binary cannot know them;
// tvboc run does.
func outputsAreNotInputs(read []string, compareRef string, binArgs []string) error {
	inputs := read
	if compareRef != "" {
		inputs = append(slices.Clone(read), compareRef)
	}
	for _, name := range binaryOutputFlags {
		out, found := binaryFlagValue(binArgs, name)
		if !found || out == "-" {
			continue
		}
		if in := inputNamed(out, inputs); in != "" {
			return usageError{fmt.Errorf("%s %s would overwrite %s, which this run reads: choose another output", flagName(name), out, in)}
		}
	}
	return nil
}

func flagName(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}
