package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tvboc/tvboc/reference"
)

func referenceCmd(stderr io.Writer) *cobra.Command {
	var dir, jnml string
	var quiet bool
	var seed seedFlag
	c := &cobra.Command{
		Use:   "reference exp.yaml [-o DIR]",
		Short: "Run the reference simulator (jNeuroML) on an experiment",
		Long: `Render an experiment as LEMS, run jNeuroML on it (jnml FILE -nogui) and
gather its .dat outputs into one CSV with the results contract's names
(t in seconds, then <population>[i]/<variable>), ready for tvboc compare.

DIR (default: <experiment>_reference) receives <experiment>.lems.xml, the
results/*.dat files jNeuroML writes, and <experiment>.csv.

jNeuroML is taken from --jnml, else $TVBOC_JNML, else jnml on PATH.`,
		Args: oneExperiment,
		RunE: func(cmd *cobra.Command, args []string) error {
			stem := experimentStem(args[0])
			if dir == "" {
				dir = stem + "_reference"
			}
			doc, err := renderLEMS(args[0], stderr, seed.value(cmd))
			if err != nil {
				return err
			}
			exe, err := reference.FindJnml(jnml)
			if err != nil {
				return err
			}
			var log io.Writer
			if !quiet {
				log = stderr
				fmt.Fprintf(stderr, "tvboc: running %s on %s\n", exe, filepath.Join(dir, stem+".lems.xml"))
			}
			table, err := reference.Run(context.Background(), doc, reference.Options{Jnml: exe, Dir: dir, Name: stem + ".lems.xml", Log: log})
			if err != nil {
				return err
			}
			csvPath := filepath.Join(dir, stem+".csv")
			if err := reference.WriteFileAtomic(csvPath, func(w io.Writer) error { return reference.WriteCSV(w, table) }); err != nil {
				return err
			}
			if !quiet {
				fmt.Fprintf(stderr, "tvboc: reference results -> %s (%d rows, %d quantities)\n", csvPath, table.Len(), len(table.Names))
			}
			return nil
		},
	}
	c.Flags().StringVarP(&dir, "output", "o", "", "the `DIR`ectory for the LEMS file, jNeuroML's outputs and the CSV")
	c.Flags().StringVar(&jnml, "jnml", "", "the jNeuroML executable (default: $TVBOC_JNML, then jnml on PATH)")
	c.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress messages and no jNeuroML output")
	seed.add(c)
	return c
}

// experimentStem is an experiment file's name without directory and
// extension: "testdata/ex2/ex2.yaml" gives "ex2".
func experimentStem(path string) string {
	base := filepath.Base(path)
	for _, ext := range []string{".yaml", ".yml"} {
		if strings.HasSuffix(strings.ToLower(base), ext) {
			return base[:len(base)-len(ext)]
		}
	}
	return base
}
