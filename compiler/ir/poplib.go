package ir

import "github.com/tvboc/tvboc/compiler/expr"

// PopKernel is the step of one cell of a population whose dynamics is a
// NeuroML library type (or any type the node-list path lowers: flattened
// conductance-based cells, cells with synapses). It is the node-list
// lowering of one representative cell, so the population kernel computes
// exactly what a node of the node-list path computes: the same
// expressions, the same step order, the same refractory handling.
//
// The generated loop loads every variable of a cell into the local named
// Ident, runs the body of the segment that holds step k (Segments as in
// Program: time-only inputs specialized per step range), and stores the
// variables back. Emit marks the cell's spike: the population records it
// and delivers it to the edges that leave the population.
type PopKernel struct {
	// Vars are the cell's state variables, in lowering order: the cell's
	// own, then each synapse instance's, then hidden ones (the end of a
	// refractory period).
	Vars     []PopVar
	Segments []Segment
	// Synapses are the synapse instances every cell of the population
	// carries, one per synapse type and parameter set on incoming edges.
	Synapses []*PopSynapse
	// Spikes reports whether the cell type fires spike events.
	Spikes bool
	// Params are the cell type's parameters that differ from cell to
	// cell: the bodies read them as identifiers (Ident), which the loop
	// loads from the population's per-cell array (Array) like a variable,
	// without storing them back.
	Params []PopParam
}

// PopParam is a per-cell parameter of a PopKernel.
type PopParam struct {
	Name  string // the parameter of the cell type
	Ident string
	Array string
}

// PopVar is one per-cell variable of a PopKernel.
type PopVar struct {
	// Name is the variable's results name under the cell, as the node-list
	// path writes it ("v", "synapses:expOneSynapse:0/g", "na/m/q"); empty
	// for hidden variables, which are not recorded.
	Name  string
	Ident string // the local the segment bodies use
	// Array is the population's array of the variable: a state (Pop.States)
	// when Name is set, else a hidden array (Pop.Arrays).
	Array string
	Init  float64
	// InitExpr, when set, is the initial value as an expression of the
	// per-cell parameters' Idents (v starts at leakReversal); else Init.
	InitExpr expr.Node
	// Scale converts the value to SI for recording; Unit is the SI unit.
	Scale   float64
	Unit    string
	Default bool // recorded without --record all
}

// PopSynapse is one synapse instance of every cell of a population. Its
// spike handler adds an amount that depends on the connection's weight
// only: Adds[j] raises Vars[Adds[j].Var] by Adds[j].Inc, an expression
// of the identifier "weight".
type PopSynapse struct {
	Name string // synapses:<type>:<j>
	Type string
	Adds []PopAdd
}

// PopAdd is one `state += increment` of a synapse's spike handler.
type PopAdd struct {
	Var int // index into PopKernel.Vars
	Inc expr.Node
}
