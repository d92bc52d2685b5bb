// Package figure draws tvboc's figures with gonum's plot: result tables as
// one panel per quantity (time in milliseconds, membrane potentials in
// millivolts, a reference and one or more simulations overlaid in
// different colours with a legend), spike files as a raster. It runs in
// the renderer program, tvboc-plot, never in tvboc itself (see package
// plot, which checks the tables and hands them over).
package figure

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strings"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/tvboc/tvboc/compare"
	"github.com/tvboc/tvboc/plot"
)

// palette: the first series (the reference) is black and drawn thicker,
// so the others, drawn thinner on top, show where they depart from it.
var palette = []color.Color{
	color.RGBA{A: 255},
	color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 255},
	color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 255},
	color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 255},
	color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 255},
}

// Draw draws one request of tvboc's, checked first (plot.Request.Check).
func Draw(req plot.Request) ([]byte, error) {
	if err := req.Check(); err != nil {
		return nil, err
	}
	if req.Kind == plot.KindRaster {
		return raster(req.Series, req.Format, req.Options)
	}
	return traces(req.Series, req.Format, req.Options)
}

// Render draws the series into a figure of the given format (".png" or
// ".svg") and returns its bytes.
func Render(series []plot.Series, format string, opts plot.Options) ([]byte, error) {
	return Draw(plot.Request{Kind: plot.KindTraces, Format: format, Options: opts, Series: series})
}

// traces draws a checked request of traces: a panel per quantity.
func traces(series []plot.Series, format string, opts plot.Options) ([]byte, error) {
	panels, _, err := plot.Panels(series, opts)
	if err != nil {
		return nil, err
	}
	pw, ph := vg.Length(opts.PanelWidth), vg.Length(opts.PanelHeight)
	if pw == 0 {
		pw = 6 * vg.Inch
	}
	if ph == 0 {
		ph = 2 * vg.Inch
	}
	maxPoints := opts.MaxPoints
	if maxPoints == 0 {
		maxPoints = 4000
	}
	cols := 1
	if len(panels) > 4 {
		cols = 2
	}
	rows := (len(panels) + cols - 1) / cols
	plots := make([][]*gplot.Plot, rows)
	for i := range plots {
		plots[i] = make([]*gplot.Plot, cols)
	}
	legend := gplot.NewLegend()
	for i, q := range panels {
		p, err := panel(q, series, &legend, i == 0, maxPoints)
		if err != nil {
			return nil, err
		}
		plots[i/cols][i%cols] = p
	}
	for r := range plots {
		for c := range plots[r] {
			if plots[r][c] == nil {
				plots[r][c] = gplot.New() // an empty corner keeps the grid regular
				plots[r][c].HideAxes()
			}
		}
	}
	return compose(plots, legend, len(series) > 1, opts.Title, pw, ph, format)
}

// compose draws a grid of panels of pw by ph under a header that holds the
// title and, when withLegend, the legend (where they cover no trace), and
// returns the figure's bytes in format.
func compose(plots [][]*gplot.Plot, legend gplot.Legend, withLegend bool, title string, pw, ph vg.Length, format string) ([]byte, error) {
	rows, cols := len(plots), len(plots[0])
	headerH := vg.Length(0)
	if title != "" || withLegend {
		headerH = 0.45 * vg.Inch
	}
	width, height := pw*vg.Length(cols), ph*vg.Length(rows)+headerH

	var canvas vg.CanvasWriterTo
	switch format {
	case ".png":
		canvas = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(DPI), vgimg.UseBackgroundColor(color.White))}
	case ".svg":
		canvas = vgsvg.New(width, height)
	default:
		return nil, fmt.Errorf("plot: unknown figure format %q (want %s)", format, strings.Join(plot.Formats, " or "))
	}
	dc := draw.New(canvas)
	if title != "" {
		style := gplot.New().Title.TextStyle
		style.Font.Size = vg.Points(14)
		style.XAlign = draw.XCenter
		style.YAlign = draw.YCenter
		dc.FillText(style, vg.Point{X: width / 2, Y: height - headerH/2}, title)
	}
	if withLegend {
		header := dc
		header.Rectangle.Min.Y = height - headerH
		header.Rectangle.Max.X -= 0.15 * vg.Inch
		legend.Top, legend.Left = true, false
		legend.YOffs = -0.05 * vg.Inch
		legend.Draw(header)
	}
	dc.Rectangle.Max.Y -= headerH
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: 0.1 * vg.Inch, PadY: 0.1 * vg.Inch,
		PadTop: 0.05 * vg.Inch, PadBottom: 0.05 * vg.Inch, PadLeft: 0.05 * vg.Inch, PadRight: 0.15 * vg.Inch}
	canvases := gplot.Align(plots, tiles, dc)
	for r := range plots {
		for c := range plots[r] {
			plots[r][c].Draw(canvases[r][c])
		}
	}
	var buf bytes.Buffer
	if _, err := canvas.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plot: %w", err)
	}
	return buf.Bytes(), nil
}

// DPI is the resolution of PNG figures.
const DPI = 120

// panel draws one quantity of every series that has it; the lines of the
// first panel go into the legend.
func panel(q string, series []plot.Series, legend *gplot.Legend, first bool, maxPoints int) (*gplot.Plot, error) {
	p := gplot.New()
	p.Title.Text = q
	p.X.Label.Text = "t (ms)"
	volts := looksLikeVolts(q, series)
	p.Y.Label.Text = yLabel(q, volts)
	p.Add(plotter.NewGrid())
	var all plotter.XYs // the panel's points so far: its axes span them all
	for i, s := range series {
		col := s.Table.Column(q)
		if col == nil {
			continue
		}
		scale := 1.0
		if volts {
			scale = 1e3
		}
		xy := thin(s.Table.T, col, scale, maxPoints)
		all = append(all, xy...)
		if err := drawable(all); err != nil {
			return nil, fmt.Errorf("plot: %s of %s: %w", q, s.Label, err)
		}
		line, err := plotter.NewLine(xy)
		if err != nil {
			return nil, fmt.Errorf("plot: %s: %w", q, err)
		}
		line.Color = palette[i%len(palette)]
		line.Width = vg.Points(1)
		if i == 0 && len(series) > 1 {
			line.Width = vg.Points(2.2)
		}
		p.Add(line)
		if first {
			legend.Add(s.Label, line)
		}
	}
	return p, nil
}

// looksLikeVolts says whether a quantity is a membrane potential in volts,
// to be drawn in millivolts: named .../v or .../V, and every value of
// every series within 1 in magnitude (a dimensionless model's V is not).
func looksLikeVolts(q string, series []plot.Series) bool {
	if !compare.IsMembranePotential(q) {
		return false
	}
	for _, s := range series {
		for _, v := range s.Table.Column(q) {
			if math.Abs(v) > 1 {
				return false
			}
		}
	}
	return true
}

// drawable refuses points whose axes cannot be laid out: values from
// -1e308 to 1e308 span more than a float64 holds, and gonum's tick
// marks for an infinite span never ended (the plot spun for ever). The
// points are a panel's, of every series drawn in it so far.
func drawable(xy plotter.XYs) error {
	lo, hi := plotter.XY{X: math.Inf(1), Y: math.Inf(1)}, plotter.XY{X: math.Inf(-1), Y: math.Inf(-1)}
	for _, p := range xy {
		lo.X, lo.Y, hi.X, hi.Y = min(lo.X, p.X), min(lo.Y, p.Y), max(hi.X, p.X), max(hi.Y, p.Y)
	}
	switch {
	case len(xy) == 0:
		return nil
	case math.IsInf(hi.Y-lo.Y, 0):
		return fmt.Errorf("its values run from %g to %g, a span wider than a float64 holds: no axis can show it", lo.Y, hi.Y)
	case math.IsInf(hi.X-lo.X, 0):
		return fmt.Errorf("its times run from %g to %g ms, a span wider than a float64 holds: no axis can show it", lo.X, hi.X)
	}
	return nil
}

func yLabel(q string, volts bool) string {
	variable := q[strings.LastIndex(q, "/")+1:]
	if volts {
		return variable + " (mV)"
	}
	return variable
}

// thin returns at most about maxPoints points of a trace, time in ms and
// values times scale. Long traces keep each bucket's minimum and maximum in
// time order, so a one-sample spike reset is never thinned away.
func thin(t, v []float64, scale float64, maxPoints int) plotter.XYs {
	n := len(t)
	if n <= maxPoints {
		xy := make(plotter.XYs, n)
		for k := range t {
			xy[k] = plotter.XY{X: t[k] * 1e3, Y: v[k] * scale}
		}
		return xy
	}
	buckets := maxPoints / 2
	xy := make(plotter.XYs, 0, 2*buckets+1)
	for b := 0; b < buckets; b++ {
		lo, hi := b*n/buckets, (b+1)*n/buckets
		kmin, kmax := lo, lo
		for k := lo; k < hi; k++ {
			if v[k] < v[kmin] {
				kmin = k
			}
			if v[k] > v[kmax] {
				kmax = k
			}
		}
		first, second := kmin, kmax
		if kmax < kmin {
			first, second = kmax, kmin
		}
		xy = append(xy, plotter.XY{X: t[first] * 1e3, Y: v[first] * scale})
		if second != first {
			xy = append(xy, plotter.XY{X: t[second] * 1e3, Y: v[second] * scale})
		}
	}
	return xy
}
