package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tvboc/tvboc/plot"
)

type plotFlags struct {
	out        string
	vs         string
	title      string
	quantities []string
	lemsFile   string
}

func plotCmd(stderr io.Writer) *cobra.Command {
	var f plotFlags
	c := &cobra.Command{
		Use:   "plot FILE... [-o fig.png|fig.svg] [--vs REF]",
		Short: "Plot result files, optionally over a reference",
		Long: `Plot result files (.csv, jNeuroML .dat with --lems or a columns.txt, .npy;
optionally gzipped): one panel per quantity, time in ms, membrane
potentials in mV. With --vs REF the reference is drawn first, in black,
and each FILE over it in colour, with a legend.

  tvboc plot out.csv -o out.png
  tvboc plot --vs ex2_reference/ex2.csv out.csv -o ex2.png --title "NeuroML Ex2"`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{fmt.Errorf("plot takes at least one result file")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			out := f.out
			if out == "" {
				out = strings.TrimSuffix(strings.TrimSuffix(filepath.Base(args[0]), ".gz"), filepath.Ext(strings.TrimSuffix(args[0], ".gz"))) + ".png"
			}
			var series []plot.Series
			if f.vs != "" {
				t, err := loadTable(f.vs, nil, f.lemsFile)
				if err != nil {
					return fmt.Errorf("reference: %w", err)
				}
				series = append(series, plot.Series{Label: "reference (" + filepath.Base(f.vs) + ")", Table: t})
			}
			for _, path := range args {
				t, err := loadTable(path, nil, f.lemsFile)
				if err != nil {
					return err
				}
				series = append(series, plot.Series{Label: filepath.Base(path), Table: t})
			}
			return writePlot(out, series, plot.Options{Title: f.title, Quantities: f.quantities}, stderr)
		},
	}
	c.Flags().StringVarP(&f.out, "output", "o", "", "the figure `FILE` (.png or .svg; default: the first file's name with .png)")
	c.Flags().StringVar(&f.vs, "vs", "", "a reference result `FILE` to draw the others over")
	c.Flags().StringVar(&f.title, "title", "", "the figure's title")
	c.Flags().StringSliceVar(&f.quantities, "quantities", nil, "plot only these quantities (comma separated)")
	c.Flags().StringVar(&f.lemsFile, "lems", "", "a LEMS `FILE` whose OutputFiles name the columns of .dat inputs")
	return c
}

// writePlot renders the figure and writes it atomically; quantities some
// series lack are said on stderr.
func writePlot(out string, series []plot.Series, opts plot.Options, stderr io.Writer) error {
	format, err := plot.FormatOf(out)
	if err != nil {
		return usageError{err}
	}
	_, missing, err := plot.Panels(series, opts)
	if err != nil {
		return err
	}
	for _, s := range series[1:] {
		if m := missing[s.Label]; len(m) > 0 {
			fmt.Fprintf(stderr, "tvboc: plot: %s lacks %s; those panels show %s only\n", s.Label, strings.Join(m, ", "), series[0].Label)
		}
	}
	img, err := plot.Render(series, format, opts)
	if err != nil {
		return err
	}
	return writeFileAtomic(out, img, 0o644)
}
