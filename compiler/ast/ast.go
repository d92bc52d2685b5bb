// Package ast is the experiment syntax tree: what a TVBO
// SimulationExperiment YAML (or a built-in library component file) says,
// with every node's file:line:col kept so later stages can point at the
// user's text. It holds no meaning of its own; resolve gives it one.
package ast

import (
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/expr"
)

// Str is a scalar string and where it was written.
type Str struct {
	Value string
	Pos   diag.Pos
}

// Num is a scalar number and where it was written; Set is false when the
// key was absent.
type Num struct {
	Value float64
	Pos   diag.Pos
	Set   bool
}

// Expr is an equation string parsed into an expression tree. Pos is the
// position of the first character of Src in the file, so PosOf can point at
// a column inside the equation.
type Expr struct {
	Src  string
	Pos  diag.Pos
	Node expr.Node
}

// PosOf maps an offset inside the equation to a file position. Equations
// written on one line map exactly; for multi-line scalars the column is
// approximate but the line is right.
func (e *Expr) PosOf(p expr.Pos) diag.Pos { return e.Pos.Shift(int(p)) }

// Quantity is a parameter-like value: `{value, unit}`, a bare number, or an
// expression (`{rhs: ...}` or a bare string).
type Quantity struct {
	Pos         diag.Pos
	Value       Num
	Unit        Str
	Expr        *Expr
	Dimension   Str // library files declare the dimension a parameter must have
	Description string
}

// Parameter is a named Quantity.
type Parameter struct {
	Name Str
	Quantity
}

// Derived is a derived variable: computed from state and parameters every
// step.
type Derived struct {
	Name      Str
	Pos       diag.Pos
	Equation  *Expr
	Unit      Str
	Dimension Str
	// Label is TVBO's label string. In hierarchical dynamics it can say
	// where the value comes from instead of the equation:
	// "select:gates[*]/fcond reduce:multiply" (see package flatten).
	Label Str
	// Period, when set, makes the variable held: evaluated every Period
	// (in the experiment's time unit) and kept in between, e.g. a noisy
	// drive "sigma*normal()" redrawn every 1 ms (population networks).
	Period Num
}

// State is a state variable with its time derivative and initial value.
type State struct {
	Name      Str
	Pos       diag.Pos
	Equation  *Expr // the right-hand side of d(Name)/dt
	Initial   *Expr // a number or an expression over parameters
	Unit      Str
	Dimension Str
	// OfInterest marks what is recorded by default (TVBO's
	// variable_of_interest).
	OfInterest bool
}

// Assign is one `name = expression` of an event's affect.
type Assign struct {
	Var   Str
	Value *Expr
}

// Event is a condition tested every step and the assignments it makes when
// true.
type Event struct {
	Name      Str
	Pos       diag.Pos
	Condition *Expr
	Affect    []Assign
	// Emit names the event port the event fires (library files: "spike").
	Emit Str
	// Receive names the event port whose incoming events run the affect
	// (library synapses: "in"); such an event has no condition.
	Receive Str
	// TriggerTimes are the preset times of a spike array's event
	// (`event_type: preset_time`), in the experiment's time unit.
	TriggerTimes []Num
}

// Refractory is a library cell's refractory regime: after its spike event
// the Holds state variables stay fixed for Period (an expression over the
// parameters, in the type's time unit) while the others integrate.
type Refractory struct {
	Pos    diag.Pos
	Period *Expr
	Holds  []Str
}

// Input is a library cell's port for attached currents: the sum of the
// exposed quantity of every input edge that targets the cell.
type Input struct {
	Name      Str
	Pos       diag.Pos
	Dimension Str
}

// Dynamics is one model: a TVBO dynamics entry, or a built-in library
// component type.
type Dynamics struct {
	Pos         diag.Pos
	Name        Str
	IRI         Str
	Extends     Str
	Label       string
	Description string

	// Library-only keys: what the component is (cell or input), the time
	// unit its rates are written in, and the current an input exposes.
	Kind      Str
	TimeScale Str
	Exposes   Str
	// Refractory is the library key of the same name (nil when absent).
	Refractory *Refractory

	Parameters []*Parameter
	Constants  []*Parameter
	Inputs     []*Input
	Derived    []*Derived
	States     []*State
	Events     []*Event
	Components []*Dynamics
}

// Node is one network node.
type Node struct {
	Pos        diag.Pos
	ID         Str
	Dynamics   Str
	Record     *bool
	Parameters []*Parameter
}

// Edge connects two nodes. Without a coupling it injects the source's
// current into the target.
type Edge struct {
	Pos        diag.Pos
	Source     Str
	Target     Str
	Coupling   Str
	Parameters []*Parameter
}

// Network is the experiment's network section.
type Network struct {
	Pos           diag.Pos
	Dynamics      []*Dynamics
	Nodes         []*Node
	Edges         []*Edge
	NumberOfNodes Num
}

// Integration is the experiment's integration section.
type Integration struct {
	Pos        diag.Pos
	Method     Str
	StepSize   Num
	Duration   Num
	TimeScale  Str
	Parameters []*Parameter
}

// Experiment is a whole SimulationExperiment document.
type Experiment struct {
	File        string
	Pos         diag.Pos
	Label       Str
	Description string
	Dynamics    *Dynamics
	Network     *Network
	Integration *Integration
	// RandomSeed is execution.random_seed (unset when absent).
	RandomSeed Num
}
