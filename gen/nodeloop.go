package gen

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
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

// shape is one cell's statements seen as a template: sig is their
// structure with every state name and every number that may differ
// between cells left out, leaves are those names and numbers in order.
// Two cells with the same sig differ only in their leaves.
type shape struct {
	b      strings.Builder
	sig    string
	leaves []leaf
	locals map[string]int // temporaries defined so far -> order
	n      int            // leaves visited (rewriting)
}

type leaf struct {
	name  string
	value float64
	num   bool
	flag  bool // a spike flag
}

func newShape() *shape { return &shape{locals: map[string]int{}} }

// stmts records the shape of ss; with repl (one entry per leaf, nil
// keeps the leaf) it also returns ss with the leaves replaced.
func (s *shape) stmts(ss []ir.Stmt, repl []expr.Node) []ir.Stmt {
	out := s.walk(ss, repl)
	s.sig = s.b.String()
	return out
}

func (s *shape) walk(ss []ir.Stmt, repl []expr.Node) []ir.Stmt {
	var out []ir.Stmt
	for _, st := range ss {
		switch x := st.(type) {
		case *ir.Let:
			s.b.WriteString("let(")
			v := s.expr(x.Value, true, repl)
			s.locals[x.Name] = len(s.locals)
			s.b.WriteString(");")
			out = append(out, &ir.Let{Name: x.Name, Value: v})
		case *ir.Set:
			s.b.WriteString("set(")
			name := s.target(x.Name, repl)
			v := s.expr(x.Value, true, repl)
			s.b.WriteString(");")
			out = append(out, &ir.Set{Name: name, Value: v})
		case *ir.Update:
			fmt.Fprintf(&s.b, "upd%d(", len(x.Names))
			u := &ir.Update{}
			for i, n := range x.Names {
				u.Names = append(u.Names, s.target(n, repl))
				u.Values = append(u.Values, s.expr(x.Values[i], true, repl))
			}
			s.b.WriteString(");")
			out = append(out, u)
		case *ir.If:
			s.b.WriteString("if(")
			c := s.expr(x.Cond, false, repl)
			s.b.WriteString("){")
			then := s.walk(x.Then, repl)
			s.b.WriteString("}")
			out = append(out, &ir.If{Cond: c, Then: then})
		case *ir.Emit:
			// the flag is the cell's own: a leaf, which spike flags in
			// arrays make alike
			s.b.WriteString("emit(")
			out = append(out, &ir.Emit{Source: s.flag(x.Source, repl)})
			s.b.WriteString(");")
		case *ir.Deliver:
			d := *x
			if x.Delay == 0 {
				// the same step's flag; a delayed spike is read from
				// its source's ring
				s.b.WriteString("dlv(")
				d.Source = s.flag(x.Source, repl)
			} else {
				fmt.Fprintf(&s.b, "dlv(%s,%d", x.Source.Flag, x.Delay)
			}
			s.b.WriteString("){")
			d.Then = s.walk(x.Then, repl)
			s.b.WriteString("}")
			out = append(out, &d)
		default:
			fmt.Fprintf(&s.b, "%T;", st) // never alike: unknown
			out = append(out, st)
		}
	}
	return out
}

// flag is a spike source's flag as a leaf: src itself, or a copy whose
// Flag is the replacement.
func (s *shape) flag(src *ir.SpikeSource, repl []expr.Node) *ir.SpikeSource {
	s.b.WriteString("F,")
	if r := s.leaf(leaf{name: src.Flag, flag: true}, repl); r != nil {
		c := *src
		c.Flag = r.(*expr.Ident).Name
		return &c
	}
	return src
}

// target is an assigned name: a state (a leaf) or a temporary.
func (s *shape) target(name string, repl []expr.Node) string {
	if k, ok := s.locals[name]; ok {
		fmt.Fprintf(&s.b, "L%d,", k)
		return name
	}
	s.b.WriteString("I,")
	if r := s.leaf(leaf{name: name}, repl); r != nil {
		return r.(*expr.Ident).Name
	}
	return name
}

func (s *shape) leaf(l leaf, repl []expr.Node) expr.Node {
	k := s.n
	s.n++
	if repl == nil {
		s.leaves = append(s.leaves, l)
		return nil
	}
	return repl[k]
}

// freeOps are the operators whose number operands the generator writes
// as they are (a variable in their place computes the same): not "^",
// whose small integer exponents become multiplications.
var freeOps = map[string]bool{"+": true, "-": true, "*": true, "/": true,
	"<": true, "<=": true, ">": true, ">=": true, "==": true, "!=": true}

// expr records n's shape. A number is a leaf only where free: where the
// generator writes it as a plain operand whose value does not change the
// code around it, and never beside another number (Go folds constant
// operands exactly, a variable would not be).
func (s *shape) expr(n expr.Node, free bool, repl []expr.Node) expr.Node {
	switch x := n.(type) {
	case *expr.Num:
		if !free {
			fmt.Fprintf(&s.b, "n%x", math.Float64bits(x.Value))
			return n
		}
		s.b.WriteString("N")
		if r := s.leaf(leaf{num: true, value: x.Value}, repl); r != nil {
			return r
		}
		return n
	case *expr.Bool:
		fmt.Fprintf(&s.b, "b%t", x.Value)
		return n
	case *expr.Ident:
		if k, ok := s.locals[x.Name]; ok {
			fmt.Fprintf(&s.b, "L%d", k)
			return n
		}
		if x.Name == ir.KF {
			s.b.WriteString("kf")
			return n
		}
		s.b.WriteString("I")
		if r := s.leaf(leaf{name: x.Name}, repl); r != nil {
			return r
		}
		return n
	case *expr.Unary:
		fmt.Fprintf(&s.b, "(%s", x.Op)
		v := s.expr(x.X, free, repl)
		s.b.WriteString(")")
		return &expr.Unary{P: x.P, Op: x.Op, X: v}
	case *expr.Binary:
		fmt.Fprintf(&s.b, "(%s ", x.Op)
		ok := freeOps[x.Op]
		l := s.expr(x.X, ok && !isConst(x.Y), repl)
		s.b.WriteString(",")
		r := s.expr(x.Y, ok && !isConst(x.X), repl)
		s.b.WriteString(")")
		return &expr.Binary{P: x.P, Op: x.Op, X: l, Y: r}
	case *expr.Call:
		fmt.Fprintf(&s.b, "%s%d(", x.Func, len(x.Args))
		_, isMath := mathFuncs[x.Func]
		ok := isMath && x.Func != "Min" && x.Func != "Max" || x.Func == "Piecewise"
		args := make([]expr.Node, len(x.Args))
		for i, a := range x.Args {
			args[i] = s.expr(a, ok, repl)
			s.b.WriteString(",")
		}
		s.b.WriteString(")")
		return &expr.Call{P: x.P, Func: x.Func, Args: args}
	case *expr.Tuple:
		// a Piecewise branch: (value, condition)
		s.b.WriteString("(tuple ")
		elems := make([]expr.Node, len(x.Elems))
		for i, e := range x.Elems {
			elems[i] = s.expr(e, free, repl)
			s.b.WriteString(",")
		}
		s.b.WriteString(")")
		return &expr.Tuple{P: x.P, Elems: elems}
	}
	fmt.Fprintf(&s.b, "%T?", n) // never alike
	return n
}

// isConst reports whether Go would evaluate n as a constant expression
// (exactly, at compile time): numbers and operators over numbers.
func isConst(n expr.Node) bool {
	switch x := n.(type) {
	case *expr.Num:
		return true
	case *expr.Unary:
		return isConst(x.X)
	case *expr.Binary:
		return isConst(x.X) && isConst(x.Y)
	case *expr.Call:
		if x.Func != "Min" && x.Func != "Max" {
			return false
		}
		for _, a := range x.Args {
			if !isConst(a) {
				return false
			}
		}
		return true
	}
	return false
}

// arrayDecls declares the state arrays with their initial values, and
// the arrayed states whose initial values are computed when the run
// starts, in the order of Program.States (as the straight-line program
// computes them).
func (g *generator) arrayDecls() ([]jen.Code, error) {
	nl := g.nl
	var out []jen.Code
	byName := map[string]*ir.State{}
	for _, s := range g.p.States {
		byName[s.Name] = s
	}
	for _, a := range nl.arrays {
		n := len(a.states)
		if a.flags {
			out = append(out, jen.Id(a.name).Op(":=").New(jen.Index(jen.Lit(n)).Bool()).
				Comment(fmt.Sprintf("spike flags of %s ... %s", a.states[0], a.states[n-1])))
			continue
		}
		out = append(out, jen.Id(a.name).Op(":=").New(jen.Index(jen.Lit(n)).Float64()).
			Comment(fmt.Sprintf("%s ... %s", a.states[0], a.states[n-1])))
		plain, same := true, true
		v0 := byName[a.states[0]].Init
		for _, name := range a.states {
			s := byName[name]
			plain = plain && s.InitExpr == nil
			same = same && math.Float64bits(s.Init) == math.Float64bits(v0)
		}
		switch {
		case !plain:
			// assigned one by one below
		case same && math.Float64bits(v0) == 0:
		case same:
			out = append(out, jen.For(jen.Id("i").Op(":=").Range().Id(a.name)).Block(
				jen.Id(a.name).Index(jen.Id("i")).Op("=").Add(g.w.float(v0))))
		default:
			vals := make([]float64, n)
			for i, name := range a.states {
				vals[i] = byName[name].Init
			}
			table := g.floatTable("nodeInit"+strings.TrimPrefix(a.name, "nodeState"), vals, "the initial values of "+a.name)
			out = append(out, jen.Op("*").Id(a.name).Op("=").Id(table))
		}
	}
	return out, nil
}

// floatTable declares a package-level array of vals and returns its name.
func (g *generator) floatTable(name string, vals []float64, doc string) string {
	items := make([]jen.Code, len(vals))
	for i, v := range vals {
		items[i] = g.w.float(v)
	}
	g.tables = append(g.tables, jen.Comment(doc).Line().
		Var().Id(name).Op("=").Index(jen.Lit(len(vals))).Float64().Values(items...))
	return name
}

// constTables declares the constants of the node loops that differ
// between cells.
func (g *generator) constTables() {
	for _, c := range g.nl.consts {
		g.floatTable(c.name, c.values, c.name+" holds a constant of the node loops, one per cell.")
	}
}

// stateRef is the Go expression of state variable name.
func (g *generator) stateRef(name string) *jen.Statement {
	r, _ := g.nl.ref(name)
	return jen.Id(r)
}

// recordRolled writes the recorder row of step at like record, with the
// repeated columns of arrayed states as loops.
func (g *generator) recordRolled(at jen.Code, last int) []jen.Code {
	out := []jen.Code{
		jen.Id("row").Op(":=").Id("rec").Dot("Row").Call(at),
		jen.Id("_").Op("=").Id("row").Index(jen.Lit(last)),
	}
	type item struct {
		col   int
		s     slot
		ok    bool
		scale float64
	}
	var items []item
	for i, c := range g.p.Columns {
		if c.Derived() {
			continue
		}
		s, ok := g.nl.at[g.p.States[c.State].Name]
		items = append(items, item{col: i, s: s, ok: ok, scale: c.Scale})
	}
	value := func(v *jen.Statement, scale float64) *jen.Statement {
		if scale != 1 {
			return v.Op("*").Op(formatFloat(scale))
		}
		return v
	}
	for i := 0; i < len(items); {
		// the period p and repetitions r covering the most items
		bestP, bestR := 1, 1
		for p := 1; p <= maxPeriod && i+p <= len(items); p++ {
			r := 0
		reps:
			for i+(r+1)*p <= len(items) {
				for j := 0; j < p; j++ {
					a, b := items[i+j], items[i+r*p+j]
					if !a.ok || !b.ok || b.s.arr != a.s.arr || b.s.idx != a.s.idx+r || b.col != a.col+r*p || b.scale != a.scale {
						break reps
					}
				}
				r++
			}
			if r >= minRun && p*r > bestP*bestR {
				bestP, bestR = p, r
			}
		}
		if bestR < minRun {
			it := items[i]
			out = append(out, jen.Id("row").Index(jen.Lit(it.col)).Op("=").Add(value(g.stateRef(g.p.States[g.p.Columns[it.col].State].Name), it.scale)))
			i++
			continue
		}
		var body []jen.Code
		for j := 0; j < bestP; j++ {
			it := items[i+j]
			idx := jen.Id("i")
			if it.s.idx > 0 {
				idx = jen.Id("i").Op("+").Lit(it.s.idx)
			}
			col := jen.Id("i").Op("*").Lit(bestP)
			if bestP == 1 {
				col = jen.Id("i")
			}
			if it.col > 0 {
				col = col.Op("+").Lit(it.col)
			}
			body = append(body, jen.Id("row").Index(col).Op("=").Add(value(jen.Id(g.nl.arrays[it.s.arr].name).Index(idx), it.scale)))
		}
		out = append(out, jen.For(jen.Id("i").Op(":=").Lit(0), jen.Id("i").Op("<").Lit(bestR), jen.Id("i").Op("++")).Block(body...))
		i += bestP * bestR
	}
	return out
}

// columnsFunc writes the columns table as a function that builds it, the
// columns of consecutive cells in loops (a node list of 100,000 cells
// would otherwise spell out every column).
func (g *generator) columnsFunc(f *jen.File) {
	type item struct {
		prefix, suffix string
		num            int
		ok             bool
		c              ir.Column
	}
	items := make([]item, len(g.p.Columns))
	for i, c := range g.p.Columns {
		items[i].c = c
		if l := strings.IndexByte(c.Name, '['); l >= 0 {
			if r := strings.IndexByte(c.Name[l:], ']'); r > 1 {
				if n, err := strconv.Atoi(c.Name[l+1 : l+r]); err == nil && n >= 0 && strconv.Itoa(n) == c.Name[l+1:l+r] {
					items[i] = item{prefix: c.Name[:l+1], suffix: c.Name[l+r:], num: n, ok: true, c: c}
				}
			}
		}
	}
	fields := func(c ir.Column, name jen.Code) jen.Code {
		group := "all"
		if c.Default {
			group = "v"
		}
		d := jen.Dict{jen.Id("Name"): name, jen.Id("Unit"): jen.Lit(c.Unit), jen.Id("Group"): jen.Lit(group)}
		if c.Derived() {
			d[jen.Id("Lazy")] = jen.True()
		}
		return jen.Qual(RuntimePath, "Column").Values(d)
	}
	body := []jen.Code{jen.Id("c").Op(":=").Make(jen.Index().Qual(RuntimePath, "Column"), jen.Lit(0), jen.Lit(len(items)))}
	for i := 0; i < len(items); {
		bestP, bestR := 1, 1
		for p := 1; p <= maxPeriod && i+p <= len(items); p++ {
			r := 0
		reps:
			for i+(r+1)*p <= len(items) {
				for j := 0; j < p; j++ {
					a, b := items[i+j], items[i+r*p+j]
					if !a.ok || !b.ok || a.prefix != b.prefix || a.suffix != b.suffix || b.num != a.num+r ||
						a.c.Unit != b.c.Unit || a.c.Default != b.c.Default || a.c.Derived() != b.c.Derived() {
						break reps
					}
				}
				r++
			}
			if r >= minRun && p*r > bestP*bestR {
				bestP, bestR = p, r
			}
		}
		if bestR < minRun {
			body = append(body, jen.Id("c").Op("=").Append(jen.Id("c"), fields(items[i].c, jen.Lit(items[i].c.Name))))
			i++
			continue
		}
		var vals []jen.Code
		for j := 0; j < bestP; j++ {
			it := items[i+j]
			idx := jen.Id("i")
			if it.num > 0 {
				idx = jen.Id("i").Op("+").Lit(it.num)
			}
			name := jen.Lit(it.prefix).Op("+").Qual("strconv", "Itoa").Call(idx).Op("+").Lit(it.suffix)
			vals = append(vals, fields(it.c, name))
		}
		body = append(body, jen.For(jen.Id("i").Op(":=").Lit(0), jen.Id("i").Op("<").Lit(bestR), jen.Id("i").Op("++")).Block(
			jen.Id("c").Op("=").Append(append([]jen.Code{jen.Id("c")}, vals...)...)))
		i += bestP * bestR
	}
	body = append(body, jen.Return(jen.Id("c")))
	f.Comment("columns lists every recordable quantity, in recorder order.")
	f.Var().Id("columns").Op("=").Id("nodeColumns").Call()
	f.Line()
	f.Comment("nodeColumns builds the columns, those of consecutive cells in loops.")
	f.Func().Id("nodeColumns").Params().Index().Qual(RuntimePath, "Column").Block(body...)
}

// shortNote shortens a segment's note that lists many inputs (one per
// cell of a large node list) to its first few.
func shortNote(note string) string {
	parts := strings.Split(note, ", ")
	if len(parts) <= 4 {
		return note
	}
	return strings.Join(parts[:3], ", ") + fmt.Sprintf(" and %d more", len(parts)-3)
}

// rollDerived rolls the derived columns' statements of a row (stmts, one
// span per cell) like the step: a run of cells alike becomes one loop
// that reads the cells' recorded states from the row (their columns a
// fixed stride apart) and writes their derived columns. It returns the
// statements and the derived columns the loops write.
func (g *generator) rollDerived(stmts []ir.Stmt, spans []ir.Span, stateCol map[string]int) ([]ir.Stmt, map[int]bool) {
	done := map[int]bool{}
	if g.nl == nil || len(spans) < minRun {
		return stmts, done
	}
	colOf := map[string]int{} // a derived column's identifier -> column
	for i, c := range g.p.Columns {
		if id, ok := c.Value.(*expr.Ident); ok {
			colOf[id.Name] = i
		}
	}
	shapes := make([]*shape, len(spans))
	for i, sp := range spans {
		shapes[i] = newShape()
		shapes[i].stmts(stmts[sp.Start:sp.End], nil)
	}
	var out []ir.Stmt
	next := 0
	for i := 0; i < len(spans); {
		j := i + 1
		for j < len(spans) && shapes[j].sig == shapes[i].sig && spans[j].Start == spans[j-1].End {
			j++
		}
		if j-i >= minRun {
			if loop, cols := g.rollDerivedRun(stmts, spans[i:j], shapes[i:j], stateCol, colOf); loop != nil {
				out = append(out, stmts[next:spans[i].Start]...)
				out = append(out, loop)
				next = spans[j-1].End
				for _, c := range cols {
					done[c] = true
				}
			}
		}
		i = j
	}
	return append(out, stmts[next:]...), done
}

// affine reports whether cols[c] = cols[0] + c*stride for one stride.
func affine(cols []int) (stride int, ok bool) {
	if len(cols) > 1 {
		stride = cols[1] - cols[0]
	}
	for c, col := range cols {
		if col != cols[0]+c*stride {
			return 0, false
		}
	}
	return stride, true
}

func rowIndex(col0, stride int) string {
	return fmt.Sprintf("row[i*%d+%d]", stride, col0)
}

func (g *generator) rollDerivedRun(stmts []ir.Stmt, spans []ir.Span, shapes []*shape, stateCol, colOf map[string]int) (*ir.Loop, []int) {
	m := len(shapes)
	repl := make([]expr.Node, len(shapes[0].leaves))
	for k, l0 := range shapes[0].leaves {
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
			repl[k] = &expr.Ident{Name: g.nl.constTable(vals) + "[i]"}
			continue
		}
		cols := make([]int, m)
		for c, sh := range shapes {
			col, ok := stateCol[sh.leaves[k].name]
			if !ok || g.p.Columns[col].Scale != g.p.Columns[stateCol[l0.name]].Scale {
				return nil, nil
			}
			cols[c] = col
		}
		stride, ok := affine(cols)
		if !ok {
			return nil, nil
		}
		v := rowIndex(cols[0], stride)
		if s := g.p.Columns[cols[0]].Scale; s != 1 {
			v = "(" + v + "/" + formatFloat(s) + ")"
		}
		repl[k] = &expr.Ident{Name: v}
	}
	// the derived columns: the same temporary of every cell, a fixed
	// stride apart
	locals := make([][]string, m) // cell -> its temporaries in order
	for c, sh := range shapes {
		locals[c] = make([]string, len(sh.locals))
		for name, k := range sh.locals {
			locals[c][k] = name
		}
	}
	var writes []ir.Stmt
	var written []int
	for k, name0 := range locals[0] {
		col0, isCol := colOf[name0]
		cols := make([]int, m)
		for c := range shapes {
			col, ok := colOf[locals[c][k]]
			if ok != isCol || ok && g.p.Columns[col].Scale != g.p.Columns[col0].Scale {
				return nil, nil
			}
			cols[c] = col
		}
		if !isCol {
			continue
		}
		stride, ok := affine(cols)
		if !ok {
			return nil, nil
		}
		var v expr.Node = &expr.Ident{Name: name0}
		if s := g.p.Columns[col0].Scale; s != 1 {
			v = &expr.Binary{Op: "*", X: v, Y: &expr.Num{Value: s}}
		}
		writes = append(writes, &ir.Set{Name: rowIndex(cols[0], stride), Value: v})
		written = append(written, cols...)
	}
	tmpl := newShape()
	body := tmpl.stmts(stmts[spans[0].Start:spans[0].End], repl)
	return &ir.Loop{N: m, Body: append(body, writes...)}, written
}

// constTable returns the name of a constant table of the node loops
// holding vals, made once per distinct vals.
func (nl *nodeLoops) constTable(vals []float64) string {
	key := floatsKey(vals)
	idx, ok := nl.byKey[key]
	if !ok {
		idx = len(nl.consts)
		nl.byKey[key] = idx
		nl.consts = append(nl.consts, &nodeConsts{name: "nodeConst" + strconv.Itoa(idx), values: vals})
	}
	return nl.consts[idx].name
}
