package plot

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tvboc/tvboc/compare"
)

// Kind says what a request draws.
type Kind string

// The kinds of figure: traces (one panel per quantity) or a spike raster.
const (
	KindTraces Kind = "traces"
	KindRaster Kind = "raster"
)

// Request is one figure for the renderer to draw: what tvboc writes on the
// renderer's standard input.
type Request struct {
	Kind    Kind
	Format  string // ".png" or ".svg"
	Options Options
	Series  []Series
}

// wireMagic opens a request; its number changes whenever the encoding
// does, so that a renderer from another tvboc says so instead of drawing
// garbage.
const wireMagic = "tvboc-plot request 1\n"

// header is a request's first line, JSON; the tables' numbers follow it
// in binary (each series: its times, then each column, rows float64s in
// little-endian order), which is what makes a large table cheap to pass.
type header struct {
	Kind    Kind           `json:"kind"`
	Format  string         `json:"format"`
	Options Options        `json:"options"`
	Series  []seriesHeader `json:"series"`
}

type seriesHeader struct {
	Label  string   `json:"label"`
	Source string   `json:"source"`
	Names  []string `json:"names"`
	Events bool     `json:"events,omitempty"`
	Rows   int      `json:"rows"`
}

// WriteRequest encodes req onto w.
func WriteRequest(w io.Writer, req Request) error {
	h := header{Kind: req.Kind, Format: req.Format, Options: req.Options}
	for _, s := range req.Series {
		t := s.Table
		if len(t.Cols) != len(t.Names) {
			return fmt.Errorf("plot: %s has %d names for %d columns", t.Source, len(t.Names), len(t.Cols))
		}
		for i, c := range t.Cols {
			if len(c) != len(t.T) {
				return fmt.Errorf("plot: %s: column %s has %d rows, the time column %d", t.Source, t.Names[i], len(c), len(t.T))
			}
		}
		h.Series = append(h.Series, seriesHeader{Label: s.Label, Source: t.Source, Names: t.Names, Events: t.Events, Rows: len(t.T)})
	}
	line, err := json.Marshal(h)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(wireMagic)
	bw.Write(line)
	bw.WriteByte('\n')
	for _, s := range req.Series {
		for _, col := range append([][]float64{s.Table.T}, s.Table.Cols...) {
			if err := binary.Write(bw, binary.LittleEndian, col); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// ReadRequest decodes a request written by WriteRequest.
func ReadRequest(r io.Reader) (Request, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	magic, err := br.ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && magic != "") {
		return Request{}, errors.New("plot: no request on standard input (tvboc-plot draws the figures of tvboc plot and tvboc run --plot; run those)")
	}
	if magic != wireMagic {
		return Request{}, fmt.Errorf("plot: this renderer reads %q, not %q: tvboc and tvboc-plot come from different versions; install both from the same tvboc",
			strings.TrimSpace(wireMagic), strings.TrimSpace(magic))
	}
	line, err := br.ReadBytes('\n')
	if err != nil {
		return Request{}, fmt.Errorf("plot: a truncated request: %w", err)
	}
	var h header
	if err := json.Unmarshal(line, &h); err != nil {
		return Request{}, fmt.Errorf("plot: a malformed request: %w", err)
	}
	req := Request{Kind: h.Kind, Format: h.Format, Options: h.Options}
	for _, sh := range h.Series {
		if sh.Rows < 0 {
			return Request{}, fmt.Errorf("plot: a malformed request: %d rows", sh.Rows)
		}
		t := &compare.Table{Names: sh.Names, Source: sh.Source, Events: sh.Events}
		cols := make([][]float64, 1+len(sh.Names))
		for i := range cols {
			cols[i] = make([]float64, sh.Rows)
			if err := binary.Read(br, binary.LittleEndian, cols[i]); err != nil {
				return Request{}, fmt.Errorf("plot: a truncated request (%s): %w", sh.Source, err)
			}
		}
		t.T, t.Cols = cols[0], cols[1:]
		req.Series = append(req.Series, Series{Label: sh.Label, Table: t})
	}
	return req, nil
}
