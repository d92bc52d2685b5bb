package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tvboc/tvboc/compare"
	"github.com/tvboc/tvboc/plot"
	rt "github.com/tvboc/tvboc/runtime"
)

type plotFlags struct {
	out        string
	vs         string
	title      string
	quantities []string
	lemsFile   string
	raster     bool
}

func plotCmd(stderr io.Writer) *cobra.Command {
	var f plotFlags
	c := &cobra.Command{
		Use:   "plot FILE... [-o fig.png|fig.svg] [--vs REF]",
		Short: "Plot result files, optionally over a reference",
		Long: `Plot result files (.csv, jNeuroML .dat with --lems or a columns.txt, .npy;
optionally gzipped): one panel per quantity, time in ms, membrane
potentials in mV. With --vs REF the reference is drawn first, in black,
and each FILE over it in colour, with a legend. Spike files (--spikes of a
population network: t,index) are drawn as a raster, t in ms against the
cell's network index. The drawing is done by tvboc-plot, installed beside
tvboc (found there, on PATH, or at $TVBOC_PLOT).

  tvboc plot out.csv -o out.png
  tvboc plot --vs ex2_reference/ex2.csv out.csv -o ex2.png --title "NeuroML Ex2"
  tvboc plot spikes.csv -o raster.png --title "spnet, 1000 cells"`,
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
			if in := inputNamed(out, append([]string{f.vs}, args...)); in != "" {
				return usageError{fmt.Errorf("-o %s is %s, a file this plot reads: choose another output", out, in)}
			}
			if err := rt.CheckDestination(out); err != nil {
				return usageError{err}
			}
			raster, err := spikeInputs(append([]string{f.vs}, args...), f.raster)
			if err != nil {
				return err
			}
			load := func(path string) (*compare.Table, error) {
				t, err := loadTable(path, nil, f.lemsFile, "")
				if err != nil && isHeaderless(path) && strings.Contains(err.Error(), "no header to name its columns") {
					return nil, usageError{fmt.Errorf("%w (a spike file of (t, index) rows? add --raster)", err)}
				}
				return t, err
			}
			if raster {
				load = func(path string) (*compare.Table, error) {
					return compare.Load(path, compare.LoadOptions{Events: true, Columns: []string{"index"}})
				}
			}
			var series []plot.Series
			if f.vs != "" {
				t, err := load(f.vs)
				if err != nil {
					return fmt.Errorf("reference: %w", err)
				}
				series = append(series, plot.Series{Label: "reference (" + filepath.Base(f.vs) + ")", Table: t})
			}
			for _, path := range args {
				t, err := load(path)
				if err != nil {
					return err
				}
				series = append(series, plot.Series{Label: filepath.Base(path), Table: t})
			}
			if raster {
				return writeRaster(out, series, plot.Options{Title: f.title})
			}
			return writePlot(out, series, plot.Options{Title: f.title, Quantities: f.quantities}, stderr)
		},
	}
	c.Flags().StringVarP(&f.out, "output", "o", "", "the figure `FILE` (.png or .svg; default: the first file's name with .png)")
	c.Flags().StringVar(&f.vs, "vs", "", "a reference result `FILE` to draw the others over")
	c.Flags().StringVar(&f.title, "title", "", "the figure's title")
	c.Flags().StringSliceVar(&f.quantities, "quantities", nil, "plot only these quantities (comma separated)")
	c.Flags().StringVar(&f.lemsFile, "lems", "", "a LEMS `FILE` whose OutputFiles name the columns of .dat inputs")
	c.Flags().BoolVar(&f.raster, "raster", false, "the files are spike files (t, index), e.g. .npy ones; CSV spike files (header t,index) are recognised without it")
	return c
}

// spikeInputs tells whether the files to plot are spike files (forced, or
// CSVs with the header t,index); "" entries are skipped. Spike files and
// result tables do not mix in one figure.
func spikeInputs(paths []string, forced bool) (bool, error) {
	spikes, tables := "", ""
	for _, p := range paths {
		switch {
		case p == "":
		case forced || compare.IsSpikeFile(p):
			spikes = p
		default:
			tables = p
		}
	}
	if spikes != "" && tables != "" {
		return false, usageError{fmt.Errorf("%s is a spike file and %s a result table: plot them in separate figures", spikes, tables)}
	}
	return spikes != "", nil
}

// writeRaster draws spike files as a raster (plot.Raster) and writes it
// atomically.
func writeRaster(out string, series []plot.Series, opts plot.Options) error {
	format, err := plot.FormatOf(out)
	if err != nil {
		return usageError{err}
	}
	img, err := plot.Raster(series, format, opts)
	if err != nil {
		return err
	}
	return writeFileAtomic(out, img, 0o644)
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
