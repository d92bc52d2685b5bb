package figure

import (
	"bytes"
	"image/png"
	"math"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot/vg"

	"github.com/tvboc/tvboc/compare"
	"github.com/tvboc/tvboc/plot"
)

// trace makes a table with a spiking v (in volts) and a recovery variable.
func trace(source string, names ...string) *compare.Table {
	const n = 2001
	t := make([]float64, n)
	cols := make([][]float64, len(names))
	for k := range t {
		t[k] = float64(k) * 1e-4
	}
	for i := range names {
		cols[i] = make([]float64, n)
		for k := range t {
			cols[i][k] = -0.07 + 0.09*float64(k%400)/400 // resets every 400 steps
			if !strings.HasSuffix(names[i], "/v") {
				cols[i][k] = math.Sin(float64(k) / 100)
			}
		}
	}
	return &compare.Table{Names: names, T: t, Cols: cols, Source: source}
}

func TestRenderPNGSize(t *testing.T) {
	tests := []struct {
		name         string
		quantities   int
		wantW, wantH int // in panels
		title        bool
	}{
		{"one panel", 1, 1, 1, false},
		{"four panels stack", 4, 1, 4, true},
		{"eight panels in two columns", 8, 2, 4, true},
		{"five panels leave a corner", 5, 2, 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var names []string
			for i := 0; i < tt.quantities; i++ {
				names = append(names, "p_pop["+string(rune('0'+i))+"]/v")
			}
			ref := trace("ref.csv", names...)
			sim := trace("sim.csv", names...)
			opts := plot.Options{PanelWidth: float64(4 * vg.Inch), PanelHeight: float64(1.5 * vg.Inch)}
			if tt.title {
				opts.Title = "A title"
			}
			img, err := Render([]plot.Series{{Label: "reference", Table: ref}, {Label: "sim", Table: sim}}, ".png", opts)
			if err != nil {
				t.Fatal(err)
			}
			decoded, err := png.Decode(bytes.NewReader(img))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			// Header 0.45 in (title or legend) above the panels.
			wantW := int(math.Round(4 * float64(tt.wantW) * DPI))
			wantH := int(math.Round((1.5*float64(tt.wantH) + 0.45) * DPI))
			b := decoded.Bounds()
			if b.Dx() != wantW || b.Dy() != wantH {
				t.Errorf("image is %dx%d, want %dx%d", b.Dx(), b.Dy(), wantW, wantH)
			}
		})
	}
}

func TestRenderSVG(t *testing.T) {
	img, err := Render([]plot.Series{{Label: "sim", Table: trace("sim.csv", "a_pop[0]/v", "a_pop[0]/U")}}, ".svg", plot.Options{Title: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(img, []byte("<svg")) || !bytes.Contains(img, []byte("a_pop[0]/U")) {
		t.Errorf("not an SVG with the panel titles: %.200s", img)
	}
}

func TestRenderDeterministic(t *testing.T) {
	series := []plot.Series{{Label: "ref", Table: trace("ref.csv", "a_pop[0]/v")}, {Label: "sim", Table: trace("sim.csv", "a_pop[0]/v")}}
	a, err := Render(series, ".png", plot.Options{Title: "x"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Render(series, ".png", plot.Options{Title: "x"})
	if !bytes.Equal(a, b) {
		t.Error("two renderings of the same data differ")
	}
}

func TestLooksLikeVolts(t *testing.T) {
	volts := trace("r", "a_pop[0]/v")
	dimensionless := &compare.Table{Names: []string{"V"}, T: []float64{0, 1}, Cols: [][]float64{{-1.5, 2}}}
	tests := []struct {
		q      string
		series []plot.Series
		want   bool
	}{
		{"a_pop[0]/v", []plot.Series{{Label: "r", Table: volts}}, true},
		{"V", []plot.Series{{Label: "d", Table: dimensionless}}, false},
		{"a_pop[0]/U", []plot.Series{{Label: "r", Table: trace("r", "a_pop[0]/U")}}, false},
	}
	for _, tt := range tests {
		if got := looksLikeVolts(tt.q, tt.series); got != tt.want {
			t.Errorf("looksLikeVolts(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

// TestThinKeepsSpikes: thinning a long trace must keep every one-sample
// reset (the minimum of its bucket) and the time order.
func TestThinKeepsSpikes(t *testing.T) {
	n := 100000
	tt := make([]float64, n)
	v := make([]float64, n)
	for k := range v {
		tt[k] = float64(k)
		v[k] = 0
		if k%997 == 0 {
			v[k] = -1
		}
	}
	xy := thin(tt, v, 1, 4000)
	if len(xy) > 4001 {
		t.Errorf("%d points, want at most about 4000", len(xy))
	}
	drops := 0
	for k, p := range xy {
		if p.Y == -1 {
			drops++
		}
		if k > 0 && p.X <= xy[k-1].X {
			t.Fatalf("time not increasing at point %d", k)
		}
	}
	if want := (n-1)/997 + 1; drops != want {
		t.Errorf("%d resets kept, want %d", drops, want)
	}
}

// spikeTable makes a spike file's table: n spikes of cells 0..cells-1,
// several per step.
func spikeTable(source string, n, cells int) *compare.Table {
	t := make([]float64, n)
	idx := make([]float64, n)
	for k := range t {
		t[k] = float64(k/7) * 1e-4 // seven spikes share each time
		idx[k] = float64((k * 37) % cells)
	}
	return &compare.Table{Names: []string{"index"}, T: t, Cols: [][]float64{idx}, Source: source, Events: true}
}

// TestRaster draws spike files as a raster: a PNG of one 6 x 4 inch panel
// (with a header for the legend when there are two files), spikes thinned
// to pixels.
func TestRaster(t *testing.T) {
	one := []plot.Series{{Label: "a", Table: spikeTable("a.csv", 50000, 1000)}}
	two := append(one, plot.Series{Label: "b", Table: spikeTable("b.csv", 30000, 1000)})
	for _, tc := range []struct {
		series []plot.Series
		h      int
	}{{one, 480}, {two, 534}} {
		img, err := Raster(tc.series, ".png", plot.Options{})
		if err != nil {
			t.Fatal(err)
		}
		m, err := png.Decode(bytes.NewReader(img))
		if err != nil {
			t.Fatal(err)
		}
		if b := m.Bounds(); b.Dx() != 720 || b.Dy() != tc.h {
			t.Errorf("%d files: %dx%d, want 720x%d", len(tc.series), b.Dx(), b.Dy(), tc.h)
		}
	}
	// thinning: an SVG holds at most one dot per pixel (here 721 columns
	// by the 100 cells), far fewer than the 400,000 spikes
	dense := []plot.Series{{Label: "d", Table: spikeTable("d.csv", 400000, 100)}}
	svg, err := Raster(dense, ".svg", plot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if dots := bytes.Count(svg, []byte("<path")); dots < 10000 || dots > 721*100+10 {
		t.Errorf("%d dots for 400,000 spikes of 100 cells", dots)
	}
}

// TestSpansTooWide: values or times whose span is wider than a float64
// holds are refused with the span (gonum's ticks for an infinite span
// never ended: the plot spun for ever); a wide but finite span draws.
func TestSpansTooWide(t *testing.T) {
	table := func(ts, vs []float64) []plot.Series {
		return []plot.Series{{Label: "big.csv", Table: &compare.Table{Names: []string{"v"}, T: ts, Cols: [][]float64{vs}, Source: "big.csv"}}}
	}
	for _, tc := range []struct {
		name   string
		series []plot.Series
		want   string // "" when it draws
	}{
		{"values", table([]float64{0, 1}, []float64{1e308, -1e308}), "v of big.csv: its values run from -1e+308 to 1e+308"},
		{"times", table([]float64{-1e308, 1e308}, []float64{0, 1}), "its times run from"},
		{"wide but finite", table([]float64{0, 1}, []float64{1e307, -1e307}), ""},
		{"two series, each one-sided", append(table([]float64{0, 1}, []float64{0, 1e308}), table([]float64{0, 1}, []float64{-1e308, 0})...), "its values run from -1e+308 to 1e+308"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := Render(tc.series, ".svg", plot.Options{})
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(time.Minute):
				t.Fatal("still drawing after a minute")
			}
			switch {
			case tc.want == "" && err != nil:
				t.Fatal(err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	spikes := []plot.Series{{Label: "s", Table: &compare.Table{Names: []string{"index"}, T: []float64{-1e308, 1e308}, Cols: [][]float64{{0, 1}}, Source: "s.csv", Events: true}}}
	if _, err := Raster(spikes, ".svg", plot.Options{}); err == nil || !strings.Contains(err.Error(), "span more than an axis can show") {
		t.Errorf("raster: %v", err)
	}
}
