package runtime

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
)

// NetworkDump is a population network as its binary draws it at start-up
// (--network FILE): every per-cell array of every population and every
// synapse of every edge, after the draws and before the first step. tvboc
// render lems reads it to write the network cell by cell and connection by
// connection; it is also the drawn connectivity for a user's own analysis.
type NetworkDump struct {
	Label       string           `json:"label"`
	Seed        uint64           `json:"seed"`
	Populations []DumpPopulation `json:"populations"`
	Edges       []DumpEdge       `json:"edges"`
}

// DumpPopulation is one population's per-cell values: its per-cell
// parameters (the model's units: SI for library cells) and the initial
// value of every state variable, by name, one value per cell in rank order.
type DumpPopulation struct {
	Name   string               `json:"name"`
	Size   int                  `json:"size"`
	Arrays map[string][]float64 `json:"arrays"`
}

// DumpEdge is the synapses of one edge into one of its target populations
// (Target indexes the edge's targets). Sparse edges are compressed sparse
// rows: source s's synapses are Col[Row[s]:Row[s+1]] (target ranks) with
// weights W[Row[s]:Row[s+1]]. Dense (all_to_all) edges have W only, a row
// of the target's size per source. W holds what a spike adds: the weight,
// or for a synapse the amount its handler adds for that weight.
type DumpEdge struct {
	Edge   int       `json:"edge"`
	Target int       `json:"target"`
	Dense  bool      `json:"dense,omitempty"`
	Row    []int32   `json:"row,omitempty"`
	Col    []int32   `json:"col,omitempty"`
	W      []float64 `json:"w"`
	// Col16 and W32 are the columns and weights as a program may hold
	// them (16-bit targets, float32 weights): WriteNetwork writes them
	// as col and w, widened, in place of Col and W when set, so a dump
	// needs no widened copy.
	Col16 []uint16  `json:"-"`
	W32   []float32 `json:"-"`
}

// WriteNetwork writes d to path as JSON (atomically: a failed write leaves
// nothing behind): the bytes encoding/json writes for d (with Col16 and
// W32 as Col and W), but streamed through a small buffer, so a dump of a
// hundred million synapses takes no memory of its size.
func WriteNetwork(path string, d NetworkDump) error {
	write := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<16)
		if err := writeDump(bw, d); err != nil {
			return fmt.Errorf("writing the network: %w", err)
		}
		return bw.Flush()
	}
	if path == Stdout {
		return write(Options{}.stdout())
	}
	return writeFileAtomic(path, write)
}

// jsonWriter writes JSON values to a buffered writer; the first error
// sticks.
type jsonWriter struct {
	w   *bufio.Writer
	buf []byte
	err error
}

func (j *jsonWriter) raw(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}

// str writes s as encoding/json quotes it (HTML characters escaped).
func (j *jsonWriter) str(s string) {
	b, err := json.Marshal(s)
	if err != nil && j.err == nil {
		j.err = err
	}
	j.raw(string(b))
}

func (j *jsonWriter) int(n int64) {
	j.buf = strconv.AppendInt(j.buf[:0], n, 10)
	if j.err == nil {
		_, j.err = j.w.Write(j.buf)
	}
}

// float writes x as encoding/json does: the shortest decimal that reads
// back as x, in exponent form below 1e-6 and from 1e21 on; NaN and the
// infinities are an error.
func (j *jsonWriter) float(x float64) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		if j.err == nil {
			j.err = &json.UnsupportedValueError{Str: strconv.FormatFloat(x, 'g', -1, 64)}
		}
		return
	}
	format := byte('f')
	if abs := math.Abs(x); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b := strconv.AppendFloat(j.buf[:0], x, format, -1, 64)
	if format == 'e' {
		// e-07 -> e-7, as encoding/json writes it
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	j.buf = b
	if j.err == nil {
		_, j.err = j.w.Write(b)
	}
}

// list writes n values (null for a nil slice, as encoding/json does).
func (j *jsonWriter) list(n int, isNil bool, item func(i int)) {
	if isNil {
		j.raw("null")
		return
	}
	j.raw("[")
	for i := range n {
		if i > 0 {
			j.raw(",")
		}
		item(i)
		if j.err != nil {
			return
		}
	}
	j.raw("]")
}

func writeDump(w *bufio.Writer, d NetworkDump) error {
	j := &jsonWriter{w: w}
	j.raw(`{"label":`)
	j.str(d.Label)
	j.raw(`,"seed":`)
	j.buf = strconv.AppendUint(j.buf[:0], d.Seed, 10)
	j.raw(string(j.buf))
	j.raw(`,"populations":`)
	j.list(len(d.Populations), d.Populations == nil, func(i int) {
		p := d.Populations[i]
		j.raw(`{"name":`)
		j.str(p.Name)
		j.raw(`,"size":`)
		j.int(int64(p.Size))
		j.raw(`,"arrays":`)
		if p.Arrays == nil {
			j.raw("null")
		} else {
			j.raw("{")
			for k, name := range slices.Sorted(maps.Keys(p.Arrays)) {
				if k > 0 {
					j.raw(",")
				}
				j.str(name)
				j.raw(":")
				a := p.Arrays[name]
				j.list(len(a), a == nil, func(i int) { j.float(a[i]) })
			}
			j.raw("}")
		}
		j.raw("}")
	})
	j.raw(`,"edges":`)
	j.list(len(d.Edges), d.Edges == nil, func(i int) {
		e := d.Edges[i]
		j.raw(`{"edge":`)
		j.int(int64(e.Edge))
		j.raw(`,"target":`)
		j.int(int64(e.Target))
		if e.Dense {
			j.raw(`,"dense":true`)
		}
		if len(e.Row) > 0 {
			j.raw(`,"row":`)
			j.list(len(e.Row), false, func(i int) { j.int(int64(e.Row[i])) })
		}
		switch {
		case e.Col16 != nil:
			if len(e.Col16) > 0 {
				j.raw(`,"col":`)
				j.list(len(e.Col16), false, func(i int) { j.int(int64(e.Col16[i])) })
			}
		case len(e.Col) > 0:
			j.raw(`,"col":`)
			j.list(len(e.Col), false, func(i int) { j.int(int64(e.Col[i])) })
		}
		j.raw(`,"w":`)
		if !e.Dense && len(e.W) == 0 && len(e.W32) == 0 {
			// a sparse edge without synapses: null, whether its
			// arrays were allocated empty or never
			j.raw("null")
		} else if e.W32 != nil {
			j.list(len(e.W32), false, func(i int) { j.float(float64(e.W32[i])) })
		} else {
			j.list(len(e.W), e.W == nil, func(i int) { j.float(e.W[i]) })
		}
		j.raw("}")
	})
	j.raw("}\n")
	return j.err
}
