package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tvboc/tvboc/compiler"
	"github.com/tvboc/tvboc/compiler/ir"
	rt "github.com/tvboc/tvboc/runtime"
	"github.com/tvboc/tvboc/sweep"
)

// freeFlag is --free NAME,...: parameters the binary takes at run time;
// and --weights, the storage of a population network's synapse weights,
// and --semantics, how a NeuroML/LEMS experiment is read.
type freeFlag struct {
	names     []string
	weights   string
	semantics string
	gateForm  string
}

// semanticsHelp says what --semantics changes; the numbers are Ex1's
// (TVBO's Hodgkin-Huxley example) against jLEMS.
const semanticsHelp = `how NeuroML/LEMS experiments are stepped: "jlems" (default) reproduces jLEMS, the reference: t is its running sum of dt (a window edge can flip one step after k*dt: a pulse ending at 100 ms at dt 0.01 ms still drives step 10000), the gates of a conductance-based cell read v two steps older than its currents (jLEMS's copies of v down the component tree), and spikes, regime cells (refractory IaF, AdEx, PyNN) and refractory periods follow jLEMS's order (README: Agreement with jNeuroML); "ode" is the plain ODE reading, t = k*dt and no lag: on Ex1 its spikes come 8 to 69 steps (0.2-0.7%) earlier than jLEMS's, RMS error 6e-2 of v's range`

func (f *freeFlag) add(c *cobra.Command) {
	c.Flags().StringSliceVar(&f.names, "free", nil,
		"keep these parameters settable at run time (--set, --sweep) instead of folding them, e.g. --free izBurst.a,izBurst.d (whole-brain: mu, c.G, network.conduction_speed; population networks: <node id>.<parameter>)")
	c.Flags().StringVar(&f.weights, "weights", "float64",
		"population networks: store sparse synapse weights as float64 or float32 (a third less memory; results no longer bit-identical)")
	c.Flags().StringVar(&f.semantics, "semantics", "jlems", semanticsHelp)
	c.Flags().StringVar(&f.gateForm, "gate-form", "inf-tau", gateFormHelp)
}

// gateFormHelp says what --gate-form changes; the figures are Ex15's
// (TVBO's granule cell) on this project's machine (README).
const gateFormHelp = `how HH gates (gateHHrates) are stepped: "inf-tau" (default) as NeuroML writes them, dq/dt = (inf - q)/tau with inf = alpha/(alpha+beta) and tau = 1/(alpha+beta), jLEMS's rounding; "alpha-beta", only with --semantics ode, the algebraically equal dq/dt = alpha - (alpha+beta)*q without the three divisions (Ex15: about 5% less CPU, v within 4.5e-13 of its range of the inf-tau form)`

func (f *freeFlag) options() (compiler.Options, error) {
	opts := compiler.Options{Free: f.names}
	switch f.semantics {
	case "jlems", "":
	case "ode":
		opts.ODE = true
	default:
		return opts, usageError{fmt.Errorf("--semantics %q: want jlems (reproduce jNeuroML) or ode (the plain ODE reading)", f.semantics)}
	}
	switch f.gateForm {
	case "inf-tau", "":
	case "alpha-beta":
		if !opts.ODE {
			return opts, usageError{errors.New("--gate-form alpha-beta rounds differently from jLEMS, so it needs --semantics ode (the plain ODE reading)")}
		}
		opts.AlphaBeta = true
	default:
		return opts, usageError{fmt.Errorf("--gate-form %q: want inf-tau (as NeuroML writes gates) or alpha-beta (division-free, with --semantics ode)", f.gateForm)}
	}
	switch f.weights {
	case "float64", "":
	case "float32":
		opts.Weights32 = true
	default:
		return opts, usageError{fmt.Errorf("--weights %s: use float64 or float32", f.weights)}
	}
	return opts, nil
}

func (f *freeFlag) compile(cmd *cobra.Command, path string) (*compiler.Result, error) {
	opts, err := f.options()
	if err != nil {
		return nil, err
	}
	r, err := compiler.CompileWith(path, opts)
	if err != nil {
		return r, err
	}
	if err := flagsForKind(cmd, r); err != nil {
		return nil, err
	}
	printNotes(cmd.ErrOrStderr(), r)
	return r, nil
}

// flagsForKind refuses a compile flag that changes nothing for the kind of
// program the experiment compiled to (--weights float32 on a node list,
// --coupling-float32 on a population), rather than drop it without a word.
func flagsForKind(cmd *cobra.Command, r *compiler.Result) error {
	kind := "a list of nodes"
	switch {
	case r.Brain != nil:
		kind = "a whole-brain network"
	case r.Pop != nil:
		kind = "a population network"
	}
	changed := func(name string) bool {
		f := cmd.Flags().Lookup(name)
		return f != nil && f.Changed
	}
	for _, f := range []struct {
		name, applies string
		ok            bool
	}{
		{"weights", "population networks' synapse weights", r.Pop != nil},
		{"coupling-float32", "whole-brain networks' coupling", r.Brain != nil},
		{"semantics", "NeuroML/LEMS cells (how jLEMS steps them)", r.Brain == nil},
		{"gate-form", "HH gates of NeuroML cells", r.Brain == nil},
	} {
		if changed(f.name) && !f.ok {
			return usageError{fmt.Errorf("--%s applies to %s, and this experiment is %s: drop it", f.name, f.applies, kind)}
		}
	}
	return nil
}

// printNotes prints what --dt or --duration changed beyond the step
// count (input windows moved or cut).
func printNotes(w io.Writer, r *compiler.Result) {
	for _, n := range r.Notes {
		fmt.Fprintf(w, "tvboc: note: %s\n", n)
	}
}

// runtimeParams is the table the generated program holds, for checking a
// sweep file before a job is submitted.
func runtimeParams(params []*ir.Param) []rt.Param {
	out := make([]rt.Param, len(params))
	for i, p := range params {
		out[i] = rt.Param{Name: p.Name, Unit: p.Unit, Default: p.Default, Scale: p.Scale,
			SIUnit: p.SIUnit, SIScale: p.SIScale, Positive: p.Positive}
	}
	return out
}

func sweepCmd(stdout io.Writer) *cobra.Command {
	var out, name string
	c := &cobra.Command{
		Use:   "sweep exp.yaml [-e NAME] [-o sweep.csv]",
		Short: "Write the sweep file of an experiment's explorations section",
		Long: `Write the parameter sets of an exploration (the experiment's explorations
section) as a sweep file: a CSV header of parameter names and one row per
set, for a binary's --sweep or tvboc slurm --sweep. A product exploration
lists every combination, the last parameter varying fastest; zip pairs the
i-th values. Values are in the unit each parameter is written in.

  explorations:
    drive:
      mode: product
      space:
        izBurst.a: {explored_values: [0.02, 0.03]}
        izBurst.d: {domain: {lo: 2, hi: 8, n: 4}}`,
		Args: oneExperiment,
		RunE: func(cmd *cobra.Command, args []string) error {
			names, sets, err := explorationSets(args[0], name)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := sweep.WriteSweepCSV(&buf, names, sets); err != nil {
				return err
			}
			if out == "" || out == "-" {
				_, err = stdout.Write(buf.Bytes())
				return err
			}
			if err := checkOutput(out, args[0]); err != nil {
				return err
			}
			return writeFileAtomic(out, buf.Bytes(), 0o644)
		},
	}
	c.Flags().StringVarP(&out, "output", "o", "", "write the sweep file to `FILE` instead of standard output")
	c.Flags().StringVarP(&name, "exploration", "e", "", "which exploration, when the experiment has several")
	return c
}

// explorationSets returns the canonical parameter names and the sets of
// one exploration of an experiment.
func explorationSets(path, name string) ([]string, [][]float64, error) {
	explorations, err := compiler.ReadExplorations(path)
	if err != nil {
		return nil, nil, err
	}
	var names []string
	for _, e := range explorations {
		names = append(names, e.Name)
	}
	var chosen *sweep.Exploration
	switch {
	case len(explorations) == 0:
		return nil, nil, fmt.Errorf("%s has no explorations section and no model parameter with explored_values: write a sweep file by hand (a CSV header of parameter names, one row per set)", path)
	case name == "" && len(explorations) > 1:
		return nil, nil, usageError{fmt.Errorf("%s has %d explorations (%s): choose one with -e NAME", path, len(explorations), strings.Join(names, ", "))}
	case name == "":
		chosen = &explorations[0]
	default:
		for i := range explorations {
			if explorations[i].Name == name {
				chosen = &explorations[i]
			}
		}
		if chosen == nil {
			return nil, nil, usageError{fmt.Errorf("%s has no exploration %q; it has %s", path, name, strings.Join(names, ", "))}
		}
	}
	r, err := compiler.Check(path)
	if err != nil {
		return nil, nil, err
	}
	var columns []string
	for _, a := range chosen.Axes {
		columns = append(columns, a.Parameter)
	}
	params, err := compiler.FreeParams(r, columns)
	if err != nil {
		// name the axis of the bad parameter, at its line
		var errs []string
		for _, a := range chosen.Axes {
			if _, aerr := compiler.FreeParams(r, []string{a.Parameter}); aerr != nil {
				errs = append(errs, fmt.Sprintf("%s:%d:%d: exploration %q: %v", path, a.Line, a.Col, chosen.Name, aerr))
			}
		}
		if len(errs) > 0 {
			return nil, nil, errors.New(strings.Join(errs, "\n"))
		}
		return nil, nil, err
	}
	if len(params) != len(columns) {
		return nil, nil, fmt.Errorf("exploration %q names a parameter twice", chosen.Name)
	}
	canonical := make([]string, len(params))
	for i, p := range params {
		canonical[i] = p.Name
	}
	return canonical, chosen.Sets(), nil
}

// sweepHeader reads the parameter names of a sweep file's header, so that
// tvboc slurm can make exactly those parameters free.
func sweepHeader(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the sweep file: %w", err)
	}
	for _, line := range strings.Split(strings.TrimPrefix(string(data), "\ufeff"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var names []string
		for _, f := range strings.Split(line, ",") {
			names = append(names, strings.Trim(strings.TrimSpace(f), `"`))
		}
		return names, nil
	}
	return nil, errors.New("sweep file " + path + " is empty: want a header of parameter names and one row per set")
}
