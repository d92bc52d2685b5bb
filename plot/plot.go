// Package plot is tvboc's side of drawing result tables as figures: one
// panel per quantity, time in milliseconds, membrane potentials in
// millivolts, a reference and one or more simulations overlaid with a
// legend, or spike files as a raster. It is what `tvboc plot` and `tvboc
// run --plot` draw. The drawing itself (package plot/figure, on gonum's
// plot) runs in a separate program, tvboc-plot, which this package starts
// with the tables on its standard input: gonum's plot parses twelve
// embedded fonts when it is initialised, about 5 ms that every start of
// tvboc (every warm `tvboc run`) paid while it was linked in.
package plot

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tvboc/tvboc/compare"
)

// Series is one table to draw, with its legend label.
type Series struct {
	Label string
	Table *compare.Table
}

// Options tune [Render].
type Options struct {
	// Title heads the figure (e.g. the experiment's label).
	Title string
	// Quantities restricts and orders the panels; empty means every
	// quantity of the first series.
	Quantities []string
	// PanelWidth and PanelHeight size one panel, in points (1/72 inch);
	// zero means 6 by 2 inches (6 by 4 for a raster).
	PanelWidth, PanelHeight float64
	// MaxPoints bounds the points drawn per line (traces are thinned to
	// each pixel column's minimum and maximum, so spikes survive); zero
	// means 4000.
	MaxPoints int
}

// Formats lists the file extensions [Render] can write.
var Formats = []string{".png", ".svg"}

// FormatOf returns the figure format for a file name, or an error naming
// the formats that exist.
func FormatOf(path string) (string, error) {
	ext := strings.ToLower(filepath.Ext(path))
	for _, f := range Formats {
		if ext == f {
			return f, nil
		}
	}
	return "", fmt.Errorf("plot: %s: cannot tell the figure format from the name (want %s)", path, strings.Join(Formats, " or "))
}

// Panels returns the quantities that get a panel: opts.Quantities, or
// every quantity of the first series; each must be in the first series.
// Quantities of the first series missing from later series are listed in
// missing, per series (by label).
func Panels(series []Series, opts Options) (panels []string, missing map[string][]string, err error) {
	if len(series) == 0 {
		return nil, nil, errors.New("plot: nothing to plot")
	}
	first := series[0].Table
	panels = opts.Quantities
	if len(panels) == 0 {
		panels = first.Names
	}
	for _, q := range panels {
		if first.Index(q) < 0 {
			return nil, nil, fmt.Errorf("plot: %s has no quantity %q (it has %s)", first.Source, q, strings.Join(first.Names, ", "))
		}
	}
	if len(panels) == 0 {
		return nil, nil, fmt.Errorf("plot: %s has no quantities", first.Source)
	}
	missing = map[string][]string{}
	for _, s := range series[1:] {
		common := 0
		for _, q := range panels {
			if s.Table.Index(q) < 0 {
				missing[s.Label] = append(missing[s.Label], q)
			} else {
				common++
			}
		}
		if common == 0 {
			return nil, nil, fmt.Errorf("plot: %s and %s have no quantity in common (%s has %s; %s has %s)",
				first.Source, s.Table.Source, first.Source, list(panels), s.Table.Source, list(s.Table.Names))
		}
	}
	return panels, missing, nil
}

func list(names []string) string {
	if len(names) > 6 {
		return strings.Join(names[:6], ", ") + fmt.Sprintf(", ... %d more", len(names)-6)
	}
	return strings.Join(names, ", ")
}

// Render draws the series into a figure of the given format (".png" or
// ".svg") and returns its bytes. The request is checked here, before the
// renderer program (see [Renderer]) is started to draw it.
func Render(series []Series, format string, opts Options) ([]byte, error) {
	return draw(Request{Kind: KindTraces, Format: format, Options: opts, Series: series})
}

// Raster draws spike files (event tables of one column, the cell's network
// index, as tvboc's --spikes writes them) as one raster: a dot per spike at
// (t in ms, cell), each series in its colour, the first in black.
func Raster(series []Series, format string, opts Options) ([]byte, error) {
	return draw(Request{Kind: KindRaster, Format: format, Options: opts, Series: series})
}

// Check says what is wrong with a request before anything is drawn: its
// format, its tables, and their quantities (Panels) or, for a raster,
// that each is a spike file. tvboc checks a request before it starts the
// renderer, and the renderer checks what it reads, with this one function.
func (req Request) Check() error {
	if !slices.Contains(Formats, req.Format) {
		return fmt.Errorf("plot: unknown figure format %q (want %s)", req.Format, strings.Join(Formats, " or "))
	}
	if len(req.Series) == 0 {
		return errors.New("plot: nothing to plot")
	}
	switch req.Kind {
	case KindTraces:
		if _, _, err := Panels(req.Series, req.Options); err != nil {
			return err
		}
	case KindRaster:
		for _, s := range req.Series {
			if !s.Table.Events || len(s.Table.Cols) != 1 {
				return fmt.Errorf("plot: %s is not a spike file (t, index)", s.Table.Source)
			}
		}
	default:
		return fmt.Errorf("plot: unknown kind of figure %q", req.Kind)
	}
	for _, s := range req.Series {
		if err := s.Table.Validate(); err != nil {
			return fmt.Errorf("plot: %w", err)
		}
	}
	return nil
}
