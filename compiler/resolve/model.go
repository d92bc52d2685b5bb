// Package resolve gives the experiment tree its meaning: it looks up every
// dynamics (built-in library type by IRI, or equations written inline),
// applies parameter overrides, converts every quantity to the unit system
// its equations are written in, checks every name an equation uses, orders
// derived variables, and wires nodes and edges into populations. The result
// is a Model that lower turns into IR without looking back at YAML.
package resolve

import (
	"strconv"

	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/expr"
)

// Kind says what role a dynamics plays in a network.
type Kind string

const (
	// Cell is a spiking cell or any model with state of its own.
	Cell Kind = "cell"
	// Input is a current source whose output depends only on time; an edge
	// from it injects its exposed current into the target.
	Input Kind = "input"
	// SynapseKind is a synaptic mechanism attached to a target cell by an edge:
	// chemical when an event receives spikes, continuous (graded) when its
	// current reads the source's voltage vpeer.
	SynapseKind Kind = "synapse"
	// Electrical is a gap junction: continuous and two-way, each side's
	// current reads the other side's voltage.
	Electrical Kind = "electrical"
	// PointCurrent is an input with state of its own that reads the
	// target's voltage (voltage clamps): each input edge attaches its own
	// instance to the target, merged into it like a continuous synapse.
	PointCurrent Kind = "pointCurrent"
	// SynapticInput is a spike source wired to a synapse of its own on
	// the target (poissonFiringSynapse, timedSynapticInput): each input
	// edge makes a hidden spike source and attaches the synapse (see
	// synapticInput).
	SynapticInput Kind = "synapticInput"
	// Component is a part of another type only (block and plasticity
	// mechanisms): never a node of its own.
	Component Kind = "component"
)

// Model is a resolved experiment.
type Model struct {
	Label string
	File  string
	// Dt is the step in seconds, Steps the number of steps.
	Dt     float64
	Steps  int
	Method string
	// TimeScale is the experiment's time unit in seconds (integration
	// time_scale): inline equations are rates per this unit.
	TimeScale float64
	// Seed is the random seed (integration.parameters.seed), the
	// default of the binary's --seed.
	Seed uint64
	// SeedSet says that the experiment gives its seed (jLEMS then seeds
	// its generator with it, else with 1234).
	SeedSet bool
	// ODE selects the plain ODE reading (resolve.Options.ODE): time is
	// j*dt and component trees have no lag; otherwise jLEMS's running sum
	// of t and its copies are reproduced.
	ODE bool

	Types       []*Type
	Populations []*Population
	Nodes       []*Node
}

// Type is one dynamics as used in the network: definition plus parameter
// values, every expression checked.
type Type struct {
	Name string // the network dynamics name, e.g. "izBurst"
	IRI  string // "neuroml:izhikevichCell", or "" for inline equations
	Pos  diag.Pos
	Kind Kind
	// TimeUnit is the time unit the type's rates are written in, in
	// seconds: 1 for library types (SI), the experiment's time_scale for
	// inline equations. A step advances the state by dt/TimeUnit units.
	TimeUnit float64
	// Params holds every parameter and constant value, already in the
	// type's unit system; ParamOrder lists them in definition order.
	Params     map[string]float64
	ParamOrder []string
	Inputs     []*Port
	Derived    []*Derived // ordered so each uses only earlier ones
	States     []*State
	Events     []*Event
	// Lags are delayed copies of states that the type's expressions read
	// by name (jLEMS's copies of v in a component tree, see flatten.Lag),
	// in order of Steps for each Of: step k reads state k-Steps of Of.
	Lags []*Lag
	// DerivedLags hold derived variables of the previous step (jLEMS's
	// order of evaluation, see flatten.DerivedLag).
	DerivedLags []*DerivedLag
	// Schemes are kinetic schemes whose occupancies are advanced as jLEMS
	// advances them (see flatten.Scheme).
	Schemes []*Scheme
	// Exposes is the derived variable an input type injects.
	Exposes string
	// ExposedDim names the exposed quantity's dimension ("none",
	// "current", ...), used to check an input edge's target port.
	ExposedDim string
	// Refractory is the library cell's refractory regime, nil if none.
	Refractory *Refractory
	// SpikeTimes are a spike array's preset spike times in seconds.
	SpikeTimes []float64
	// Texts holds a library type's text and reference parameters (LEMS
	// Text, ComponentReference and Path: species: mg, synapse: AMPA).
	Texts map[string]string
}

// Lag is a copy of state Of, Steps steps older than the state a step
// starts from.
type Lag struct {
	Name  string
	Of    string
	Steps int
}

// Scheme is a kinetic scheme advanced as jLEMS advances it: the
// occupancy states States are replaced each step by the matrix
// exponential of the rate matrix of Edges (from, to), Forward and Reverse
// (derived variables or parameters) over dt times themselves; Shown[i],
// a one-step Lag of States[i], is what is recorded in its place.
type Scheme struct {
	States           []string
	Edges            [][2]int
	Forward, Reverse []string
	Shown            []string
}

// DerivedLag is a register holding derived variable Of as the previous
// step computed it; Init in the first step.
type DerivedLag struct {
	Name, Of string
	Init     float64
}

// Refractory holds the Holds state variables fixed for Period (in the
// type's time unit) after every spike event.
type Refractory struct {
	Period float64
	Holds  []string
}

// Port is an input of a cell type: the sum of the exposed currents of the
// input edges that target it.
type Port struct {
	Name      string
	Dimension string
}

// Derived is a derived variable.
type Derived struct {
	Name  string
	Value expr.Node
	// Unit is the SI unit symbol of the value when its definition declares
	// a dimension (library files) or a unit (inline equations), "" when it
	// does not; ToSI is the factor from the type's unit system to it. A
	// ToSI of 0 means undeclared: the value is recorded as computed, which
	// is SI for library and flattened types (written in SI) and the raw
	// number for inline equations.
	Unit string
	ToSI float64
}

// State is a state variable.
type State struct {
	Name    string
	Rate    expr.Node // d(Name)/dt in the type's time unit
	Initial expr.Node
	// Unit is the SI unit symbol of the variable ("V", "" for none) and
	// ToSI the factor from the type's unit system to it.
	Unit       string
	ToSI       float64
	OfInterest bool
}

// Event is a threshold condition with the assignments it makes.
type Event struct {
	Name      string
	Condition expr.Node
	Assign    []Assignment
	Emit      string
	// Receive names the input event port (synapses: "in"): the event has
	// no condition and runs when a spike is delivered.
	Receive string
}

// Assignment is one `Var = Value` of an event.
type Assignment struct {
	Var   string
	Value expr.Node
}

// Population groups the nodes of one dynamics, in order of first
// appearance; a node's index is its rank in the group (TVBO's rule).
type Population struct {
	Name  string // "<dynamics>_pop"
	Type  *Type
	Nodes []*Node
	// Single marks the one node of a single-node experiment (a top-level
	// dynamics, no node list, number_of_nodes 1). Its quantities are the
	// bare variable names ("v"), as TVBO labels the variable axis of its
	// (time, variable) results; network nodes use the LEMS names.
	Single bool
}

// Node is one network node.
type Node struct {
	ID     string
	Pos    diag.Pos
	Type   *Type
	Pop    *Population
	Index  int
	Record bool
	// Drives lists, per input port of the node's type, the input nodes
	// whose exposed current is summed into it.
	Drives map[string][]*Node
	// Synapses are the synapse instances attached to the node by edges,
	// in edge order (see Synapse).
	Synapses []*Synapse
	// Host is, for the hidden spike source of a synaptic input, the cell
	// the input is attached to (jLEMS makes the input an attachment of
	// that cell); nil otherwise.
	Host *Node
}

// Quantity returns the results-contract name of a node variable:
// `<population>[<index>]/<variable>`, or just `<variable>` for the node of
// a single-node experiment.
func (n *Node) Quantity(variable string) string {
	if n.Pop.Single {
		return variable
	}
	return n.Pop.Name + "[" + strconv.Itoa(n.Index) + "]/" + variable
}
