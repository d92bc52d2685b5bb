package main

import (
	"fmt"
	"math"
	"os"
	"strconv"

	"github.com/spf13/cobra"
	"github.com/tvboc/tvboc/compiler/brain"
)

// dataDirFlag is --data DIR: the directory holding the connectomes that
// whole-brain experiments name by IRI (network: {iri: tvbo:<Atlas>} reads
// <Atlas>_weights.csv and <Atlas>_lengths.csv there). It sets TVBOC_DATA
// for the compiler, so the flag and the environment variable mean the
// same and every subcommand honours it.
type dataDirFlag struct{ dir string }

func (d *dataDirFlag) String() string { return d.dir }
func (d *dataDirFlag) Type() string   { return "DIR" }
func (d *dataDirFlag) Set(s string) error {
	// a directory that is not there is said now, whether or not this
	// experiment reads an atlas (it was taken without a word)
	if fi, err := os.Stat(s); err != nil || !fi.IsDir() {
		return fmt.Errorf("%q is not a directory (the directory of connectome files)", s)
	}
	d.dir = s
	return os.Setenv(brain.DataEnv, s)
}

// msFlag is --dt or --duration: a positive number of ms that replaces
// a whole-brain experiment's step_size or duration (or the defaults of a
// model file, which has no integration section). Like --data it sets an
// environment variable (TVBOC_DT, TVBOC_DURATION) the compiler reads.
type msFlag struct {
	env string
	v   string
}

func (m *msFlag) String() string { return m.v }
func (m *msFlag) Type() string   { return "MS" }
func (m *msFlag) Set(s string) error {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || !(x > 0) || math.IsInf(x, 0) {
		return fmt.Errorf("want a positive number of milliseconds, got %q", s)
	}
	m.v = s
	return os.Setenv(m.env, s)
}

// float32Flag is --coupling-float32: whole-brain couplings in TVB's
// float32 (brain.Options.Float32), through TVBOC_COUPLING_FLOAT32.
type float32Flag struct{ on bool }

func (f *float32Flag) String() string   { return strconv.FormatBool(f.on) }
func (f *float32Flag) Type() string     { return "bool" }
func (f *float32Flag) IsBoolFlag() bool { return true }
func (f *float32Flag) Set(s string) error {
	on, err := strconv.ParseBool(s)
	if err != nil {
		return err
	}
	f.on = on
	if !on {
		return os.Unsetenv(brain.Float32Env)
	}
	return os.Setenv(brain.Float32Env, "1")
}

// addDataFlag adds --data, --dt, --duration and --coupling-float32 to
// every subcommand of root; the subcommands that read no experiment refuse
// them.
func addDataFlag(root *cobra.Command) {
	root.PersistentFlags().Var(&dataDirFlag{}, "data",
		"directory of connectome files for network: {iri: tvbo:<Atlas>} (default: $"+brain.DataEnv+")")
	root.PersistentFlags().Var(&msFlag{env: brain.DtEnv}, "dt",
		fmt.Sprintf("step in ms, replacing the experiment's step_size (whole-brain model files: default %g)", brain.DefaultDt))
	root.PersistentFlags().Var(&msFlag{env: brain.DurationEnv}, "duration",
		fmt.Sprintf("duration in ms, replacing the experiment's (whole-brain model files: default %g)", brain.DefaultDuration))
	f := root.PersistentFlags().VarPF(&float32Flag{}, "coupling-float32", "",
		"whole-brain delay history, weights and coupling sums in float32, as stock TVB (default: float64)")
	f.NoOptDefVal = "true"
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if err := flagsOnce(cmd); err != nil {
			return err
		}
		if err := noEmptyPaths(cmd); err != nil {
			return err
		}
		if compilesExperiment[cmd.Name()] {
			return nil
		}
		for _, name := range []string{"data", "dt", "duration", "coupling-float32"} {
			if cmd.Flags().Changed(name) {
				return usageError{fmt.Errorf("--%s applies to the commands that read an experiment (check, compile, gen, run, render, reference, slurm), not to tvboc %s", name, cmd.Name())}
			}
		}
		return nil
	}
}

// compilesExperiment are the subcommands that --data, --dt and --duration
// change.
var compilesExperiment = map[string]bool{
	"check": true, "compile": true, "gen": true, "run": true, "render": true, "lems": true, "reference": true, "slurm": true,
}
