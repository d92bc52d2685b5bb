package figure

import (
	"fmt"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/tvboc/tvboc/plot"
)

// Raster draws spike files (event tables of one column, the cell's network
// index, as tvboc's --spikes writes them) as one raster: a dot per spike at
// (t in ms, cell), each series in its colour, the first in black, with a
// legend when there are several. Spikes that would land on the same pixel
// are drawn once, so a network of half a million spikes stays a figure of
// a few hundred kilobytes.
func Raster(series []plot.Series, format string, opts plot.Options) ([]byte, error) {
	return Draw(plot.Request{Kind: plot.KindRaster, Format: format, Options: opts, Series: series})
}

// raster draws a checked request of spike files.
func raster(series []plot.Series, format string, opts plot.Options) ([]byte, error) {
	pw, ph := vg.Length(opts.PanelWidth), vg.Length(opts.PanelHeight)
	if pw == 0 {
		pw = 6 * vg.Inch
	}
	if ph == 0 {
		ph = 4 * vg.Inch
	}
	// the pixel grid the dots are thinned to
	tMin, tMax, iMax := math.Inf(1), math.Inf(-1), 0.0
	for _, s := range series {
		tMin, tMax = min(tMin, s.Table.T[0]), max(tMax, s.Table.T[len(s.Table.T)-1])
		for _, i := range s.Table.Cols[0] {
			iMax = max(iMax, i)
		}
	}
	if math.IsInf((tMax-tMin)*1e3, 0) || math.IsInf(iMax, 0) {
		return nil, fmt.Errorf("plot: spike times from %g to %g s (cells up to %g) span more than an axis can show", tMin, tMax, iMax)
	}
	nx, ny := float64(pw.Dots(DPI)), float64(ph.Dots(DPI))
	p := gplot.New()
	p.X.Label.Text = "t (ms)"
	p.Y.Label.Text = "cell (network index)"
	legend := gplot.NewLegend()
	for k, s := range series {
		seen := map[[2]int]bool{}
		var xys plotter.XYs
		for j, t := range s.Table.T {
			i := s.Table.Cols[0][j]
			px := [2]int{int((t - tMin) / max(tMax-tMin, 1e-300) * nx), int(i / max(iMax, 1) * ny)}
			if !seen[px] {
				seen[px] = true
				xys = append(xys, plotter.XY{X: t * 1e3, Y: i})
			}
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, fmt.Errorf("plot: %s: %w", s.Table.Source, err)
		}
		sc.GlyphStyle.Color = palette[k%len(palette)]
		sc.GlyphStyle.Shape = draw.CircleGlyph{}
		sc.GlyphStyle.Radius = vg.Points(0.6)
		p.Add(sc)
		legend.Add(fmt.Sprintf("%s (%d spikes)", s.Label, s.Table.Len()), sc)
	}
	return compose([][]*gplot.Plot{{p}}, legend, len(series) > 1, opts.Title, pw, ph, format)
}
