package ir

import (
	"strconv"

	"github.com/tvboc/tvboc/compiler/expr"
)

// Brain is a whole-brain simulation: the same neural-mass model at every
// node of a connectome, its state held as one array per state variable
// (struct of arrays, indexed by node), coupled through sparse weighted
// sums that may read a ring buffer of delayed states. Each step first
// computes every coupling input from the state at the start of the step
// (TVB's per-step coupling), then advances every node independently with
// the node body, so the integration method lives entirely in NodeBody.
type Brain struct {
	// Notes say what the compiler chose where the experiment left it
	// open (a duration that is not a whole number of steps, run as TVB
	// runs it), printed by tvboc, not by the program.
	Notes  []string
	Label  string
	Source string // the experiment file, for the generated header
	Model  string // the model's name, for comments
	Method string // for comments: "euler", "heun", "rk4", "euler-maruyama", "stochastic heun"

	// Dt is the step in seconds (the results contract); DtModel the same
	// step in the model's time unit (ms).
	Dt      float64
	DtModel float64
	// Steps are all integration steps; the first Transient of them are
	// not recorded. After the transient a row is recorded every Period
	// steps: row 0 is the state at the end of the transient.
	Steps     int
	Transient int
	Period    int
	// Average records, instead of the state every Period steps, the mean
	// over the Period steps that end at the row (row 0 stays the state at
	// the end of the transient).
	Average bool

	Nodes  int
	States []BrainState

	// Inputs are the coupling inputs the node body reads, one array of
	// Nodes values each, filled by Couplings before the node loop.
	Inputs    []string
	Couplings []*BrainCoupling

	// History says which states keep a ring buffer of Horizon steps (the
	// states delayed couplings read); Horizon is max(delay) + 1.
	History []bool
	Horizon int

	// NodeBody advances one node by one step. Before it runs, the
	// identifier StateIdent(s) holds state s of the node, InputIdent(c)
	// its coupling input c and NoiseIdent(s) a fresh standard normal
	// deviate for every state with noise. NodeNext[s] is then the node's
	// new value of state s.
	NodeBody []Stmt
	NodeNext []expr.Node
	// Passes, when not empty, replace NodeBody for per-stage coupling
	// evaluation (TVBO's coupling_evaluation: per_stage): the step
	// alternates coupling passes and node passes, one pair per stage of
	// the integrator, and the couplings before pass p read the stage
	// state Passes[p].At. NodeNext is then the last pass's results.
	Passes []*BrainPass
	// Noisy marks the states that draw a normal deviate every step; Seed
	// seeds the generator.
	Noisy []bool
	Seed  uint64

	Records []BrainRecord

	// Params are the free parameters: the kernel reads each from the
	// local Param.Ident (simulate's p[i]) instead of a folded constant.
	Params []*Param
	// SpeedIdent, when not empty, is the free conduction speed's
	// identifier: delays are then computed at run time from each delayed
	// coupling's Length (and Horizon is only known at run time).
	SpeedIdent string
	// Adaptive, when not nil, integrates with an adaptive Dormand-Prince
	// method instead of fixed steps: NodeBody and NodeNext then compute
	// the derivative of every state (dx/dt from the state and the
	// coupling inputs, which are recomputed at every stage), and Dt,
	// Steps, Transient and Period describe the sampling grid the solution
	// is read at, not the integration's steps.
	Adaptive *BrainAdaptive
	// Float32: the delay history (and stored pre-values), the weights and
	// the coupling sums are float32, the target states read by the
	// couplings rounded to float32, as in stock TVB; state and
	// integration stay float64.
	Float32 bool

	// Stimulus, when set, is TVB's region stimulus (StimuliRegion).
	Stimulus *BrainStimulus
	// TVBRows: the rows are TVB's monitor samples, not tvboc's (row 0 the
	// state at the end of the transient): row r >= 1 of the recorded
	// Period grid is written as row r-1, stamped at the end of its period
	// (TemporalAverage: its middle), and there is no row 0.
	TVBRows bool
	// Bold, when set, makes every record TVB's Bold monitor of its value.
	Bold *BrainBold
}

// BrainAdaptive is the setting of an adaptive integration (Brain.Adaptive).
type BrainAdaptive struct {
	Method         string // "dopri5" or "dopri853"
	RelTol, AbsTol float64
	// MaxSteps bounds the steps between two samples: a stiff or
	// diverging system fails instead of running on.
	MaxSteps int
	// Lo and Hi are the bounds each state is clamped to at every sample
	// (-Inf/+Inf: none); a clamped state restarts the integration there.
	Lo, Hi []float64
	// Held: the couplings are computed once per sampling interval, from
	// the state (and delay history) at its start, and held through it,
	// as TVB's Dopri5/Dop853 do; the driver integrates each interval on
	// its own (the right-hand side changes at its ends). Otherwise every
	// coupling is recomputed at every stage (the network's ODE) and the
	// driver steps across samples.
	Held bool
}

// BrainStimulus is TVB's region stimulus: at step k (from t = k dt to
// (k+1) dt, t in ms) node i's stimulated states get Weight[i] * f(k dt)
// added to their derivative, held through the step: in Euler's and
// Heun's stages, and for RK4 to the new state only (dt * value), as TVB's
// integrators add it. Body (temporaries) and Value compute f from the
// identifier StimTimeIdent; the node body reads the node's value as
// StimIdent.
type BrainStimulus struct {
	Body   []Stmt
	Value  expr.Node
	Weight []float64
	States []int
}

// BrainBold is TVB's Bold monitor (monitors.Bold) of every record: each
// record's value is averaged over Interim steps (its interim stock), the
// averages are kept in a ring of len(Kernel) (its stock), and a row is
// Scale * (sum_i Kernel[(i - r) mod S] * stock_i - Offset) with r the
// ring slot of the last average (TVB's numpy.roll of the reversed HRF);
// the ring starts at 0. Rows follow TVBRows at Period steps.
type BrainBold struct {
	Interim       int
	Kernel        []float64
	Scale, Offset float64
}

// StimIdent is a node's stimulus value in the node body; StimTimeIdent
// the time (ms) a stimulus expression reads.
const (
	StimIdent     = "stim_i"
	StimTimeIdent = "stim_t"
)

// BrainState is one state variable of the model; every node starts at
// Init and, for delays, has been at Init for all t < 0.
type BrainState struct {
	Name string // the model's name, for columns and comments
	Init float64
}

// BrainCoupling computes one coupling input for every node i:
//
//	gx_i = sum over the non-zero w_ij, j ascending, of w_ij * Pre
//	input_i = Post
//
// Pre reads SourceIdent(k) (state Sources[k] of node j, delayed by
// Delay[n] steps when Delay is not nil) and TargetIdent(k) (state
// Targets[k] of node i, now); Post reads "gx".
type BrainCoupling struct {
	Input    string
	Sources  []int
	Targets  []int
	Pre      expr.Node
	Post     expr.Node
	RowStart []int
	Col      []int
	Weight   []float64
	Delay    []int // steps, parallel to Col; nil: no delays
	// Length is the tract length (mm) parallel to Col of a delayed
	// coupling whose delays depend on a free conduction speed.
	Length []float64
	// PerStage: recomputed before every node pass of Brain.Passes, from
	// that stage's state (x_i, and x_j unless delayed: delayed sources
	// are read from the history as per step). Otherwise computed once
	// per step and held through the stages (per_step, TVB's way).
	PerStage bool
	// Terms, when not nil, is Pre taken apart (compiler/brain's
	// separable pass): Pre = sum_m Terms[m].Target * Terms[m].Source,
	// Source reading only SourceIdent names, Target only TargetIdent
	// names and constants. The kernel then sums w_ij * Source_m once per
	// term and edge, and multiplies by Target_m once per node.
	Terms []SepTerm
	// Stored, with Terms, says the sources are kept per node in a ring of
	// their own (history of pre-values, len(Stored) values per node and
	// step, interleaved) instead of being read from the states:
	// Stored[k] is the source expression of ring value k, and each
	// Terms[m].Slot indexes it.
	Stored []expr.Node
}

// SepTerm is one term of a separable coupling: Target * Source. A nil
// Source is the constant 1, whose weighted sum is the row sum of the
// weights; Slot is the term's value in BrainCoupling.Stored (-1: read
// Source directly, a bare SourceIdent or nil).
type SepTerm struct {
	Source expr.Node
	Target expr.Node
	Slot   int
}

// BrainPass is one stage of a per-stage step: a node loop that reads the
// state at the start of the step (StateIdent), the coupling inputs just
// computed for this stage (InputIdent), noise deviates (drawn in pass 0
// only) and Loads, temporaries of earlier passes kept per node in arrays;
// runs Body; and keeps Stores, the temporaries later passes (or the
// couplings before them) read, in per-node arrays of the same name.
type BrainPass struct {
	// At[s] names the temporary holding state s at this stage, which the
	// couplings before the pass read; "" is the state at the start of the
	// step.
	At     []string
	Loads  []string
	Body   []Stmt
	Stores []string
}

// BrainRecord is one recorded quantity at every node: Value, an
// expression over StateIdent names, in one column per node (Names[n] for
// node n).
type BrainRecord struct {
	Names   []string
	Value   expr.Node
	Default bool // recorded without --record all
}

// Identifier conventions of the node body and the coupling expressions:
// every model name gets a prefix, so no model can collide with a Go
// keyword or with the kernel's own variables.
func StateIdent(name string) string { return "s_" + name }
func InputIdent(name string) string { return "c_" + name }
func NoiseIdent(name string) string { return "z_" + name }
func SourceIdent(k int) string      { return "xj_" + strconv.Itoa(k) }
func TargetIdent(k int) string      { return "xi_" + strconv.Itoa(k) }
