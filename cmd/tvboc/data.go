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

// addDataFlag adds --data, --dt and --duration to every subcommand of root;
// the subcommands that read no experiment refuse them.
func addDataFlag(root *cobra.Command) {
	root.PersistentFlags().Var(&dataDirFlag{}, "data",
		"directory of connectome files for network: {iri: tvbo:<Atlas>} (default: $"+brain.DataEnv+")")
	root.PersistentFlags().Var(&msFlag{env: brain.DtEnv}, "dt",
		fmt.Sprintf("step in ms, replacing the experiment's step_size (whole-brain model files: default %g)", brain.DefaultDt))
	root.PersistentFlags().Var(&msFlag{env: brain.DurationEnv}, "duration",
		fmt.Sprintf("duration in ms, replacing the experiment's (whole-brain model files: default %g)", brain.DefaultDuration))
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if compilesExperiment[cmd.Name()] {
			return nil
		}
		for _, name := range []string{"data", "dt", "duration"} {
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
