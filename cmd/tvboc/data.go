package main

import (
	"os"

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

// addDataFlag adds --data to every subcommand of root.
func addDataFlag(root *cobra.Command) {
	root.PersistentFlags().Var(&dataDirFlag{}, "data",
		"directory of connectome files for network: {iri: tvbo:<Atlas>} (default: $"+brain.DataEnv+")")
}
