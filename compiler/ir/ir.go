// Package ir is the flat intermediate form between lowering and code
// generation: scalar state variables with compile-time initial values, the
// columns recorded, and the step loop split into segments of straight-line
// statements over folded expressions. Nothing in it knows a neuron model;
// the generator turns it into Go without further decisions about meaning.
package ir

import "github.com/tvboc/tvboc/compiler/expr"

// Program is a whole specialized simulation.
type Program struct {
	Label  string
	Source string // the experiment file, for the generated header
	// Dt is the step in seconds and Steps their number; the recording has
	// Steps+1 rows, row 0 being the initial state.
	Dt    float64
	Steps int
	// Method is the integration method ("euler", "heun", "rk4"); the
	// segments already hold its update formulas, it is named for comments.
	Method string

	States   []*State
	Columns  []Column
	Segments []Segment
	// Derived0 computes the derived columns of row 0 from the initial
	// state, the inputs at t = 0 and t = 0 (see Segment.Derived).
	Derived0 []Stmt
	// Derived0Cells are the statements of each cell in Derived0, as
	// Segment.Cells.
	Derived0Cells []Span
	// Params are the free parameters (see Param), in the order the
	// generated program takes them; none means every value is a constant.
	Params []*Param
	// SpikeSources are the nodes chemical synapses listen to (see
	// SpikeSource), in order of first use.
	SpikeSources []*SpikeSource
	// Seed is the default random seed of the binary.
	Seed uint64
	// JavaSeed, when not nil, makes random() draw from java.util.Random
	// as jLEMS does (runtime.JRand), seeded by default with *JavaSeed.
	// A random(x, i) in an initial value (two arguments) is then x times
	// the i-th of the InitDraws draws jLEMS makes while it initializes
	// the model (runtime.JRandInit).
	JavaSeed  *int64
	InitDraws int
}

// State is one scalar state variable: a Go identifier and its initial
// value, folded at compile time.
type State struct {
	Name string
	Init float64
	// InitExpr, when not nil, replaces Init: an initial value that depends
	// on free parameters, computed when the run starts.
	InitExpr expr.Node
}

// Column is one recorded quantity: the value of a state variable times
// Scale (to SI), or of a derived variable (Value) times Scale.
type Column struct {
	Name    string // results-contract name, e.g. "izBurst_pop[0]/v"
	State   int    // index into Program.States; unused when Value is set
	Scale   float64
	Unit    string // SI unit symbol, "" for dimensionless
	Default bool   // recorded without --record all
	// Value, when not nil, makes this a derived column: the recorded value
	// is Value (a number, or an identifier that Program.Derived0 and every
	// Segment.Derived define) at the row's state. Derived columns come
	// after the state columns and are never Default. Their statements read
	// only recorded states, free parameters and kf, so the generator can
	// compute them after the run from the recorded rows, and only when
	// the run writes them: the default recording costs nothing extra.
	Value expr.Node
}

// Derived reports whether the column records a derived variable.
func (c Column) Derived() bool { return c.Value != nil }

// Segment is a range of steps [Start, End) over which the body is the
// same: every time-only input has been specialized to this range, so the
// loop never tests time. Step k computes state k+1 from state k. The
// identifier "kf" in an expression is float64(k).
type Segment struct {
	Start, End int
	Note       string // what holds in this segment, for a comment
	Body       []Stmt
	// Derived computes the values of the derived columns of row k+1 from
	// the state after Body (k+1), the inputs at t_(k+1) (the ones Body
	// read) and t = t_(k+1); see Column.Value.
	Derived []Stmt
	// Cells are the statements of each cell's step in Body, in the order
	// the cells step (Body[c.Start:c.End]): what the generator may roll
	// into loops over arrays when many cells step alike (gen's node
	// loops). Nil when the body has no such structure.
	Cells []Span
	// Post are the deliveries in Body after every cell stepped (spikes
	// of cells that step after their target), one span per target.
	Post []Span
	// DerivedCells are the statements of each cell in Derived.
	DerivedCells []Span
}

// Span is a range [Start, End) of statements.
type Span struct{ Start, End int }

// Stmt is one statement of a step body.
type Stmt interface{ isStmt() }

// Let computes a temporary from the state at the start of the step.
type Let struct {
	Name  string
	Value expr.Node
}

// Update replaces state variables simultaneously: every value is computed
// before any variable changes (forward Euler).
type Update struct {
	Names  []string
	Values []expr.Node
}

// If runs Then when Cond holds (an event tested on the new state).
type If struct {
	Cond expr.Node
	Then []Stmt
}

// Set assigns a state variable immediately (an event's assignment; later
// assignments see it).
type Set struct {
	Name  string
	Value expr.Node
}

// Loop runs Body once for every i in [0, N): the generator's form of many
// cells stepped alike (never made by lowering).
type Loop struct {
	N    int
	Body []Stmt
}

// Exps defines Names[i] = exp(Args[i]) for every i at once: the generator's
// form of independent exp calls of a straight-line block, taken four
// lanes at a time by one vector exp (never made by lowering).
type Exps struct {
	Names []string
	Args  []expr.Node
}

func (*Loop) isStmt()   {}
func (*Let) isStmt()    {}
func (*Update) isStmt() {}
func (*If) isStmt()     {}
func (*Set) isStmt()    {}
func (*Exps) isStmt()   {}

// KF is the identifier of float64(k), the current step index, in
// expressions.
const KF = "kf"

// KineticStep is the function of a kinetic scheme's update in
// expressions (runtime.KineticStep): KineticStep(i, dt, T, from_0, to_0,
// ..., from_T-1, to_T-1, rf_0, rr_0, ..., rf_T-1, rr_T-1, occ_0, ...,
// occ_n-1) is occupancy i after one step of dt of the scheme of T
// transitions between n states. i, T and the state indices are numbers.
const KineticStep = "KineticStep"

// Reads adds to read every identifier the statements read (not the names
// they assign), inside events, deliveries, loops and exp batches too: the
// one walk the lowering's dead-code pass and the generator's unread-local
// checks share.
func Reads(read map[string]bool, stmts []Stmt) {
	mark := func(n expr.Node) {
		if n != nil {
			for _, id := range expr.Idents(n) {
				read[id] = true
			}
		}
	}
	for _, s := range stmts {
		switch s := s.(type) {
		case *Let:
			mark(s.Value)
		case *Set:
			mark(s.Value)
		case *Update:
			for _, v := range s.Values {
				mark(v)
			}
		case *If:
			mark(s.Cond)
			Reads(read, s.Then)
		case *Deliver:
			Reads(read, s.Then)
		case *Loop:
			Reads(read, s.Body)
		case *Exps:
			for _, a := range s.Args {
				mark(a)
			}
		}
	}
}
