package plot

import (
	"bytes"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/tvboc/tvboc/compare"
)

func table(source string, rows int, names ...string) *compare.Table {
	t := &compare.Table{Names: names, Source: source, T: make([]float64, rows), Cols: make([][]float64, len(names))}
	for k := range t.T {
		t.T[k] = float64(k) * 1e-4
	}
	for i := range names {
		t.Cols[i] = make([]float64, rows)
		for k := range rows {
			t.Cols[i][k] = -0.07 + 1e-3*float64((k*(i+3))%97) + 1e-17*float64(k) // not round numbers
		}
	}
	return t
}

func TestPanelsMissing(t *testing.T) {
	ref := table("ref.csv", 10, "a_pop[0]/v", "a_pop[0]/U")
	sim := table("sim.csv", 10, "a_pop[0]/v")
	panels, missing, err := Panels([]Series{{Label: "ref", Table: ref}, {Label: "sim", Table: sim}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(panels, ",") != "a_pop[0]/v,a_pop[0]/U" || strings.Join(missing["sim"], ",") != "a_pop[0]/U" {
		t.Errorf("panels %v, missing %v", panels, missing)
	}
}

// TestWireRoundTrip: a request reads back as it was written, every bit of
// every value, names, labels and options included.
func TestWireRoundTrip(t *testing.T) {
	spikes := &compare.Table{Names: []string{"index"}, T: []float64{0, 0, 1e-4}, Cols: [][]float64{{3, 1, 2}}, Source: "sp.csv", Events: true}
	for _, req := range []Request{
		{Kind: KindTraces, Format: ".png", Options: Options{Title: "Ex2", Quantities: []string{"b"}, PanelWidth: 288, MaxPoints: 10},
			Series: []Series{{Label: "reference (r.csv)", Table: table("r.csv", 1000, "a", "b")}, {Label: "tvboc", Table: table("s.csv", 7, "b")}}},
		{Kind: KindRaster, Format: ".svg", Series: []Series{{Label: "sp", Table: spikes}}},
		{Kind: KindTraces, Format: ".png", Series: []Series{{Label: "empty", Table: &compare.Table{Names: []string{"x"}, T: []float64{}, Cols: [][]float64{{}}}}}},
	} {
		var buf bytes.Buffer
		if err := WriteRequest(&buf, req); err != nil {
			t.Fatal(err)
		}
		got, err := ReadRequest(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, req) {
			t.Errorf("read back %+v, wrote %+v", got, req)
		}
	}
}

func TestReadRequestRefuses(t *testing.T) {
	var good bytes.Buffer
	if err := WriteRequest(&good, Request{Kind: KindTraces, Format: ".png", Series: []Series{{Label: "s", Table: table("s.csv", 100, "v")}}}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, in, want string }{
		{"nothing", "", "no request on standard input"},
		{"another version", "tvboc-plot request 0\n{}\n", "different versions"},
		{"truncated header", wireMagic + `{"kind":`, "truncated request"},
		{"bad header", wireMagic + "{]\n", "malformed request"},
		{"negative rows", wireMagic + `{"series":[{"rows":-1}]}` + "\n", "malformed request"},
		{"truncated numbers", good.String()[:good.Len()-8], "truncated request (s.csv)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ReadRequest(strings.NewReader(tt.in)); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// renderer builds cmd/tvboc-plot once for the tests that run it.
var renderer = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "tvboc-plot-test-")
	if err != nil {
		return "", err
	}
	exe := filepath.Join(dir, RendererName)
	if out, err := exec.Command("go", "build", "-o", exe, "../cmd/tvboc-plot").CombinedOutput(); err != nil {
		return "", &exec.Error{Name: string(out), Err: err}
	}
	return exe, nil
})

// TestRenderRunsTheRenderer: Render and Raster hand their tables to
// tvboc-plot and return its figure; its refusals come back as errors.
func TestRenderRunsTheRenderer(t *testing.T) {
	exe, err := renderer()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("TVBOC_PLOT", exe)
	img, err := Render([]Series{{Label: "ref", Table: table("r.csv", 5000, "a_pop[0]/v")}, {Label: "sim", Table: table("s.csv", 5000, "a_pop[0]/v")}},
		".png", Options{Title: "two", PanelWidth: 288, PanelHeight: 108})
	if err != nil {
		t.Fatal(err)
	}
	m, err := png.Decode(bytes.NewReader(img))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if b := m.Bounds(); b.Dx() != 480 || b.Dy() != 234 { // 4 x (1.5 + 0.45 header) inches at 120 dpi
		t.Errorf("figure is %dx%d, want 480x234", b.Dx(), b.Dy())
	}
	spikes := &compare.Table{Names: []string{"index"}, T: []float64{0, 1e-4, 2e-4}, Cols: [][]float64{{0, 5, 2}}, Source: "sp.csv", Events: true}
	svg, err := Raster([]Series{{Label: "sp", Table: spikes}}, ".svg", Options{})
	if err != nil || !bytes.Contains(svg, []byte("<svg")) {
		t.Errorf("raster: %v, %.100s", err, svg)
	}
	// the renderer checks what it reads too: a request tvboc would not
	// send is refused in one line, exit 1
	var req bytes.Buffer
	if err := WriteRequest(&req, Request{Kind: "pie", Format: ".svg", Series: []Series{{Label: "sp", Table: spikes}}}); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Stdin = &req
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(string(out), `unknown kind of figure "pie"`) {
		t.Errorf("tvboc-plot on a pie: exit %d (%v), %q", code, err, out)
	}
	// and a failing renderer's message is the error
	script := filepath.Join(t.TempDir(), "broken")
	if err := os.WriteFile(script, []byte("#!/bin/sh\ncat >/dev/null\necho 'plot: out of ink' >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TVBOC_PLOT", script)
	if _, err := Raster([]Series{{Label: "sp", Table: spikes}}, ".svg", Options{}); err == nil || err.Error() != "plot: out of ink" {
		t.Errorf("a failing renderer: err = %v", err)
	}
}

// TestRenderChecksFirst: what is wrong with a request (Request.Check,
// which the renderer applies too) is said without running the renderer
// (here there is none), and a missing renderer is named with how to get
// it.
func TestRenderChecksFirst(t *testing.T) {
	t.Setenv("TVBOC_PLOT", filepath.Join(t.TempDir(), "none"))
	trace := []Series{{Label: "r", Table: table("ref.csv", 10, "a_pop[0]/v")}}
	for _, tt := range []struct {
		name    string
		draw    func() ([]byte, error)
		wantErr string
	}{
		{"nothing", func() ([]byte, error) { return Render(nil, ".png", Options{}) }, "nothing to plot"},
		{"no rows", func() ([]byte, error) {
			return Render([]Series{{Label: "e", Table: &compare.Table{Names: []string{"x"}, Cols: [][]float64{nil}, Source: "e.csv"}}}, ".png", Options{})
		}, "no data rows"},
		{"no quantities", func() ([]byte, error) {
			return Render([]Series{{Label: "e", Table: &compare.Table{Source: "empty.csv"}}}, ".png", Options{})
		}, "empty.csv has no quantities"},
		{"nothing in common", func() ([]byte, error) {
			return Render(append(trace, Series{Label: "s", Table: table("sim.csv", 10, "b_pop[0]/v")}), ".png", Options{})
		}, "ref.csv and sim.csv have no quantity in common"},
		{"unknown quantity", func() ([]byte, error) { return Render(trace, ".png", Options{Quantities: []string{"zz"}}) }, `ref.csv has no quantity "zz"`},
		{"format", func() ([]byte, error) { return Render(trace, ".gif", Options{}) }, "unknown figure format"},
		{"raster of a trace", func() ([]byte, error) { return Raster(trace, ".png", Options{}) }, "not a spike file"},
		{"no renderer", func() ([]byte, error) { return Render(trace, ".png", Options{}) }, "TVBOC_PLOT names"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.draw(); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
	t.Setenv("TVBOC_PLOT", "")
	t.Setenv("PATH", t.TempDir())
	if _, err := Renderer(); err == nil || !strings.Contains(err.Error(), "go install github.com/tvboc/tvboc/cmd/tvboc-plot") {
		t.Errorf("no renderer anywhere: %v", err)
	}
}
