package gen

import (
	"math"
	"strconv"
	"strings"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// Node loops: a node list steps each cell with straight-line code of its
// own (ir.Segment.Cells), which is the fastest code for a few cells but
// grows the file and its build linearly with the cells. From NodeLoopMin
// cells on, the generator rolls every run of consecutive cells whose
// steps are the same statements up to the names of their state variables
// and the values of their constants (cells of one flattened type, with
// their own inputs) into one loop over arrays: the states of the run's
// cells become one array per variable, the constants that differ one
// constant array per place; spike flags are one array in the cells'
// order, so the deliveries of a chain or fan of synapses roll too (those
// after the cells, ir.Segment.Post, in loops over their targets). The
// loop runs the cells in the same order and evaluates the same
// expressions in the same order on the same values, so its results are
// the straight-line program's, bit for bit; whatever is not rolled (a
// cell unlike its neighbours) stays straight-line, reading the arrays.
// The recorder rows and the derived columns are written in loops too.

// NodeLoopMin is the number of cells of a node list from which the
// generator rolls cells stepped alike into loops over arrays (measured:
// see the README, "How it works": from about 200 cells the straight-line
// file's go build takes longer than the loops', and the loops run as
// fast). Tests set it to force either path: 0 rolls every node list, a
// negative value none.
var NodeLoopMin = 200

// minRun is the fewest consecutive cells stepped alike worth a loop.
const minRun = 2

// maxPeriod is the most columns one cell may record for its columns to
// be written in a loop over cells.
const maxPeriod = 128

// nodeLoops is the plan of a program's node loops.
type nodeLoops struct {
	arrays []*nodeArray
	at     map[string]slot // state name -> its place in an array
	consts []*nodeConsts
	byKey  map[string]int // nodeConsts values -> index in consts
	// bodies are the segments' bodies with their runs rolled and every
	// arrayed state renamed, parallel to Program.Segments.
	bodies [][]ir.Stmt
}

// nodeArray holds one state variable of every cell of a run (or of
// several runs over the same cells).
type nodeArray struct {
	name   string
	states []string
	// flags: the spike flags of the cells (bool), not states
	flags bool
}

type nodeConsts struct {
	name   string
	values []float64
}

type slot struct{ arr, idx int }

// ref is the Go expression of an arrayed state.
func (nl *nodeLoops) ref(name string) (string, bool) {
	if nl == nil {
		return name, false
	}
	s, ok := nl.at[name]
	if !ok {
		return name, false
	}
	return nl.arrays[s.arr].name + "[" + strconv.Itoa(s.idx) + "]", true
}

// planNodeLoops decides the node loops of p; nil when it has none.
func planNodeLoops(p *ir.Program) *nodeLoops {
	if NodeLoopMin < 0 {
		return nil
	}
	cells := 0
	for _, seg := range p.Segments {
		cells = max(cells, len(seg.Cells))
	}
	if cells == 0 || cells < NodeLoopMin {
		return nil
	}
	nl := &nodeLoops{at: map[string]slot{}, byKey: map[string]int{}}
	isState := map[string]bool{}
	for _, s := range p.States {
		isState[s.Name] = true
	}
	nl.flagArray(p)
	rolled := false
	for _, seg := range p.Segments {
		body, ok := nl.rollSegment(seg, isState)
		rolled = rolled || ok
		nl.bodies = append(nl.bodies, body)
	}
	if !rolled {
		return nil
	}
	for i, body := range nl.bodies {
		nl.bodies[i] = nl.rename(body)
	}
	return nl
}

// flagArray puts every spike flag in one array, in the order the cells
// raise them (the cells' order), so that a run of cells finds its own
// flags, and the flags of its neighbours that synapses read, a fixed
// offset apart.
func (nl *nodeLoops) flagArray(p *ir.Program) {
	if len(p.SpikeSources) == 0 {
		return
	}
	a := &nodeArray{name: "nodeSpike", flags: true}
	add := func(flag string) {
		if _, ok := nl.at[flag]; !ok {
			nl.at[flag] = slot{arr: len(nl.arrays), idx: len(a.states)}
			a.states = append(a.states, flag)
		}
	}
	var walk func([]ir.Stmt)
	walk = func(ss []ir.Stmt) {
		for _, s := range ss {
			switch x := s.(type) {
			case *ir.Emit:
				add(x.Source.Flag)
			case *ir.If:
				walk(x.Then)
			}
		}
	}
	for _, seg := range p.Segments {
		walk(seg.Body)
	}
	for _, src := range p.SpikeSources {
		add(src.Flag)
	}
	nl.arrays = append(nl.arrays, a)
}

// rollSegment returns seg's body with its runs of cells stepped alike as
// loops, and whether it made any.
func (nl *nodeLoops) rollSegment(seg ir.Segment, isState map[string]bool) ([]ir.Stmt, bool) {
	// the cells' steps, then the deliveries after them (group 1): a run
	// never mixes the two
	spans := append(append([]ir.Span(nil), seg.Cells...), seg.Post...)
	group := make([]int, len(spans))
	for i := len(seg.Cells); i < len(spans); i++ {
		group[i] = 1
	}
	if seg.End <= seg.Start || len(seg.Cells) < minRun {
		return seg.Body, false
	}
	seg.Cells = spans
	shapes := make([]*shape, len(seg.Cells))
	for i, c := range seg.Cells {
		shapes[i] = newShape()
		shapes[i].stmts(seg.Body[c.Start:c.End], nil)
	}
	// which cells read each temporary a cell defines: a temporary read
	// outside its cell keeps that cell straight-line
	locals := map[string]int{}
	for i, sh := range shapes {
		for name := range sh.locals {
			locals[name] = i
		}
	}
	escapes := make([]bool, len(seg.Cells))
	cellOf := make([]int, len(seg.Body))
	for i := range cellOf {
		cellOf[i] = -1
	}
	for i, c := range seg.Cells {
		for j := c.Start; j < c.End; j++ {
			cellOf[j] = i
		}
	}
	for j, s := range seg.Body {
		for _, id := range stmtIdents([]ir.Stmt{s}) {
			if i, ok := locals[id]; ok && i != cellOf[j] {
				escapes[i] = true
			}
		}
	}
	var out []ir.Stmt
	next := 0 // the next statement of Body to copy
	made := false
	for i := 0; i < len(seg.Cells); {
		j := i + 1
		for j < len(seg.Cells) && shapes[j].sig == shapes[i].sig && seg.Cells[j].Start == seg.Cells[j-1].End && group[j] == group[i] {
			j++
		}
		ok := true
		for k := i; ok && k < j; k++ {
			ok = !escapes[k]
		}
		// a run whose first or last cell differs in where its states are
		// (a chain's end) rolls without it
		var loop *ir.Loop
		lo, hi := i, j
		for _, r := range [][2]int{{i, j}, {i + 1, j}, {i, j - 1}, {i + 1, j - 1}} {
			if ok && r[1]-r[0] >= minRun {
				if loop = nl.roll(seg, shapes[r[0]:r[1]], r[0], isState); loop != nil {
					lo, hi = r[0], r[1]
					break
				}
			}
		}
		if loop != nil {
			out = append(out, seg.Body[next:seg.Cells[lo].Start]...)
			out = append(out, loop)
			next = seg.Cells[hi-1].End
			made = true
		}
		i = j
	}
	out = append(out, seg.Body[next:]...)
	return out, made
}

// roll makes the loop of the run of cells first, first+1, ... (shapes
// alike), or returns nil when the run's states cannot be laid out in
// arrays consistently with the runs rolled before.
func (nl *nodeLoops) roll(seg ir.Segment, shapes []*shape, first int, isState map[string]bool) *ir.Loop {
	m := len(shapes)
	n := len(shapes[0].leaves)
	repl := make([]expr.Node, n)
	var newConsts []*nodeConsts
	newKeys := map[string]int{}
	// the arrays as this run would leave them: copies of those it grows
	// (at the end only: earlier loops index them) and new ones (which may
	// also grow at the front)
	arrays := append([]*nodeArray(nil), nl.arrays...)
	grown := map[int]bool{}
	pending := map[string]slot{} // states placed or moved by this run
	placed := func(name string) (slot, bool) {
		if s, ok := pending[name]; ok {
			return s, true
		}
		s, ok := nl.at[name]
		return s, ok
	}
	own := func(arr int) *nodeArray { // a copy of arrays[arr] to change
		if !grown[arr] {
			c := *arrays[arr]
			c.states = append([]string(nil), c.states...)
			arrays[arr] = &c
			grown[arr] = true
		}
		return arrays[arr]
	}
	vectors := map[int][]string{}
	for k := 0; k < n; k++ {
		l0 := shapes[0].leaves[k]
		same := true
		for _, sh := range shapes[1:] {
			l := sh.leaves[k]
			if l.name != l0.name || math.Float64bits(l.value) != math.Float64bits(l0.value) {
				same = false
				break
			}
		}
		if same {
			continue
		}
		if l0.num {
			vals := make([]float64, m)
			for c, sh := range shapes {
				vals[c] = sh.leaves[k].value
			}
			key := floatsKey(vals)
			idx, ok := nl.byKey[key]
			if !ok {
				if idx, ok = newKeys[key]; !ok {
					idx = len(nl.consts) + len(newConsts)
					newKeys[key] = idx
					newConsts = append(newConsts, &nodeConsts{name: "nodeConst" + strconv.Itoa(idx), values: vals})
				}
			}
			repl[k] = &expr.Ident{Name: "nodeConst" + strconv.Itoa(idx) + "[i]"}
			continue
		}
		names := make([]string, m)
		seen := map[string]bool{}
		for c, sh := range shapes {
			names[c] = sh.leaves[k].name
			if sh.leaves[k].flag != l0.flag || !l0.flag && !isState[names[c]] || seen[names[c]] {
				return nil // a temporary or parameter that differs between cells
			}
			seen[names[c]] = true
		}
		vectors[k] = names
		// place the names: beside one of them already placed (a window
		// sliding along the cells, as a chain of synapses reads), or in
		// a new array
		at, base := -1, 0
		for c, name := range names {
			if s, ok := placed(name); ok {
				at, base = s.arr, s.idx-c
				break
			}
		}
		if at < 0 {
			prefix := "nodeState"
			if l0.flag {
				prefix = "nodeSpike"
			}
			at = len(arrays)
			arrays = append(arrays, &nodeArray{name: prefix + strconv.Itoa(at), flags: l0.flag})
			grown[at] = true
		}
		if arrays[at].flags != l0.flag {
			return nil
		}
		if base < 0 {
			if at < len(nl.arrays) {
				return nil // earlier loops index it from 0
			}
			a := own(at)
			a.states = append(make([]string, -base), a.states...)
			for name, s := range pending {
				if s.arr == at {
					pending[name] = slot{arr: at, idx: s.idx - base}
				}
			}
			base = 0
		}
		for c, name := range names {
			want := base + c
			if s, ok := placed(name); ok {
				if s.arr != at || s.idx != want {
					return nil
				}
				continue
			}
			a := own(at)
			for len(a.states) <= want {
				a.states = append(a.states, "")
			}
			if a.states[want] != "" {
				return nil
			}
			a.states[want] = name
			pending[name] = slot{arr: at, idx: want}
		}
	}
	for _, a := range arrays {
		for _, name := range a.states {
			if name == "" {
				return nil // a hole: states not laid out one per cell
			}
		}
	}
	for k, names := range vectors {
		s0, _ := placed(names[0])
		index := "i"
		if s0.idx > 0 {
			index = "i+" + strconv.Itoa(s0.idx)
		}
		repl[k] = &expr.Ident{Name: arrays[s0.arr].name + "[" + index + "]"}
	}
	// the run is consistent: commit its arrays
	nl.arrays = arrays
	for name, s := range pending {
		nl.at[name] = s
	}
	nl.consts = append(nl.consts, newConsts...)
	for key, idx := range newKeys {
		nl.byKey[key] = idx
	}
	c := seg.Cells[first]
	tmpl := newShape()
	body := tmpl.stmts(seg.Body[c.Start:c.End], repl)
	return &ir.Loop{N: m, Body: body}
}

func floatsKey(vals []float64) string {
	var b strings.Builder
	for _, v := range vals {
		b.WriteString(strconv.FormatUint(math.Float64bits(v), 16))
		b.WriteByte(',')
	}
	return b.String()
}

// rename writes every arrayed state as its array element.
func (nl *nodeLoops) rename(body []ir.Stmt) []ir.Stmt {
	ren := func(n expr.Node) expr.Node {
		return expr.Rewrite(n, func(x expr.Node) expr.Node {
			if id, ok := x.(*expr.Ident); ok {
				if r, ok := nl.ref(id.Name); ok {
					return &expr.Ident{Name: r}
				}
			}
			return x
		})
	}
	name := func(s string) string {
		r, _ := nl.ref(s)
		return r
	}
	out := make([]ir.Stmt, len(body))
	for i, s := range body {
		switch x := s.(type) {
		case *ir.Let:
			out[i] = &ir.Let{Name: x.Name, Value: ren(x.Value)}
		case *ir.Set:
			out[i] = &ir.Set{Name: name(x.Name), Value: ren(x.Value)}
		case *ir.Update:
			u := &ir.Update{}
			for j, n := range x.Names {
				u.Names = append(u.Names, name(n))
				u.Values = append(u.Values, ren(x.Values[j]))
			}
			out[i] = u
		case *ir.If:
			out[i] = &ir.If{Cond: ren(x.Cond), Then: nl.rename(x.Then)}
		case *ir.Deliver:
			d := *x
			d.Source = nl.source(x.Source)
			d.Then = nl.rename(x.Then)
			out[i] = &d
		case *ir.Emit:
			out[i] = &ir.Emit{Source: nl.source(x.Source)}
		case *ir.Loop:
			out[i] = &ir.Loop{N: x.N, Body: nl.rename(x.Body)}
		default:
			out[i] = s
		}
	}
	return out
}

// source is src with its flag renamed when it is in an array.
func (nl *nodeLoops) source(src *ir.SpikeSource) *ir.SpikeSource {
	if r, ok := nl.ref(src.Flag); ok {
		c := *src
		c.Flag = r
		return &c
	}
	return src
}

// stmtIdents lists the identifiers stmts read or assign (with
// repetitions).
func stmtIdents(stmts []ir.Stmt) []string {
	var out []string
	add := func(n expr.Node) {
		expr.Inspect(n, func(x expr.Node) bool {
			if id, ok := x.(*expr.Ident); ok {
				out = append(out, id.Name)
			}
			return true
		})
	}
	for _, s := range stmts {
		switch x := s.(type) {
		case *ir.Let:
			add(x.Value)
		case *ir.Set:
			out = append(out, x.Name)
			add(x.Value)
		case *ir.Update:
			out = append(out, x.Names...)
			for _, v := range x.Values {
				add(v)
			}
		case *ir.If:
			add(x.Cond)
			out = append(out, stmtIdents(x.Then)...)
		case *ir.Deliver:
			out = append(out, stmtIdents(x.Then)...)
		case *ir.Loop:
			out = append(out, stmtIdents(x.Body)...)
		}
	}
	return out
}
