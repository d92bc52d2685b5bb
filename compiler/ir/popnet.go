package ir

import "github.com/tvboc/tvboc/compiler/expr"

// PopNet is a population network ready for code generation: populations
// of cells with struct-of-arrays state, and projections whose synapses are
// drawn at run time by the binary's seeded generator (package popnet
// documents the semantics and the order of every random draw).
//
// Expressions name model quantities by their model names: states, derived
// and held variables, and per-cell parameters (arrays) of the population
// they belong to; parameters that are the same for every cell of a
// population are already folded in as numbers.
type PopNet struct {
	Source string // experiment file, for the header comment
	Label  string
	// Dt is the step in seconds; DtModel the same step in the model's time
	// unit, exactly as the YAML wrote it (Euler multiplies rates by it).
	Dt, DtModel float64
	Steps       int
	Seed        uint64
	Pops        []*Pop
	Edges       []*PopEdge
	// History is the number of per-step spike lists kept: longest delay
	// in steps + 2 (the step being computed and the one being delivered).
	History int
	// Weights32 stores sparse synapses' weights as float32 (8 bytes a
	// synapse with 32-bit targets instead of 12): a weight is rounded to
	// float32 once when drawn and widened when added.
	Weights32 bool
	// Params are the free parameters (node parameters set at run time):
	// each a per-cell parameter of its population whose cells all start
	// from the program's global Ident.
	Params []*Param
}

// Spikes reports whether any population of the network fires spikes.
func (n *PopNet) Spikes() bool {
	for _, p := range n.Pops {
		if p.Spike != nil || p.Kernel != nil && p.Kernel.Spikes {
			return true
		}
	}
	return false
}

// Pop is one population: Size cells of one dynamics.
type Pop struct {
	Name     string // node id: results name cells <Name>[i]/<variable>
	Dynamics string
	Size     int
	Offset   int // network index of cell 0
	Record   bool
	// Arrays are the per-cell parameters (values differ across cells).
	Arrays []string
	// Init is evaluated once per cell, cells in rank order, in this order:
	// per-cell values, per-cell parameters, then initial states.
	Init []PopInit
	// Held variables are redrawn every Period steps and held in between.
	Held    []PopHeld
	Derived []PopAssign // evaluated every step from the old state
	States  []PopState
	// Spike is the event condition, tested on the new state; nil when the
	// dynamics has no event (the population never spikes).
	Spike expr.Node
	// Reset is the event's assignments, right-hand sides evaluated first
	// and assigned at once.
	Reset []PopAssign
	// Kernel, when set, is the step of a library cell (see PopKernel): it
	// replaces Derived, States' rates, Spike's test and Reset.
	Kernel *PopKernel
}

// PopInitKind says what an Init entry sets.
type PopInitKind int

// The kinds of Init entries.
const (
	InitTemp  PopInitKind = iota // a per_cell value (a local of the init loop)
	InitParam                    // a per-cell parameter array
	InitState                    // a state variable's initial value
)

// PopInit is one per-cell initialisation.
type PopInit struct {
	Kind  PopInitKind
	Name  string
	Value expr.Node
	// Src is the expression as the experiment writes it, for messages
	// about the values it gives ("" where it is not the user's).
	Src string
}

// PopAssign is one name = value.
type PopAssign struct {
	Name  string
	Value expr.Node
}

// PopHeld is a held (sample-and-hold) variable.
type PopHeld struct {
	Name   string
	Value  expr.Node
	Period int // steps
}

// PopState is a state variable with its rate (per model time unit).
type PopState struct {
	Name string
	Rate expr.Node
	// Label, when set, names the variable in the results instead of Name
	// (a library cell's "synapses:expOneSynapse:0/g").
	Label string
}

// Connectivity rules of an edge.
const (
	AllToAll   = "all_to_all"
	RandomConn = "random"
	OneToOne   = "one_to_one"
)

// PopEdge is a projection from a source population to the concatenation
// of its target populations.
type PopEdge struct {
	Source  int   // population index
	Targets []int // population indices, in the order listed
	Rule    string
	// Probability (random, PerSource 0) is the chance of each pair;
	// PerSource (random) the number of target draws per source.
	Probability float64
	PerSource   int
	Weight      expr.Node // may draw: random(), normal()
	WeightSrc   string    // the weight as the experiment writes it, for messages
	Delay       int       // steps; 0 delivers in the step the spike happens
	Variable    string    // target state the weight is added to
	// SynVars, for an edge into library cells, lists per target the
	// synapse states (Pop.States names) a spike adds the stored amount
	// to; Weight is then that amount, inc(weight) (see package popnet).
	SynVars [][]string
	// WeightScale, for such an edge, is inc(1): the stored amount is
	// weight*WeightScale (handlers add an amount proportional to the
	// weight), so a stored amount tells the weight it came from.
	WeightScale float64
}
