package ast

import "github.com/tvboc/tvboc/compiler/diag"

// BrainExperiment is a whole-brain (TVB) SimulationExperiment: one
// neural-mass model at every node of a structural connectome, coupled
// through weighted, possibly delayed connections. It is a separate tree
// from Experiment because its network section means something else: a
// connectivity matrix and coupling functions, not a list of cells.
type BrainExperiment struct {
	File         string
	Pos          diag.Pos
	Label        Str
	Description  string
	Dynamics     *MassModel
	Network      *BrainNetwork // nil: one unconnected node
	Integration  *BrainIntegration
	Observations []*Observation
	// Stimulation is TVBO's stimulation (a Stimulus), nil when absent.
	Stimulation *Stimulus
	// Library holds the dynamics a heterogeneous network's nodes name
	// (the other documents of a multi-document file), by name.
	Library []*MassModel
	// Explorations is true when the file has an explorations section;
	// the compiler reads it again (package sweep) to free its parameters.
	Explorations bool
	// BareModel is true when the file is a model definition alone (name,
	// parameters, state_variables at the top level), compiled as one
	// unconnected node with the default integration.
	BareModel bool
	// RandomSeed is execution.random_seed: the noise's seed where the
	// noise section gives none.
	RandomSeed Num
}

// MassModel is a neural-mass model: a library model (IRI) and, written
// next to it, overrides that merge into the library definition key by key,
// or a model written out in full.
type MassModel struct {
	Pos            diag.Pos
	Name           Str
	IRI            Str
	Description    string
	Parameters     []*Parameter
	Derived        []*Derived
	CouplingInputs []*CouplingInput
	States         []*MassState
	// Discrete marks a map (TVBO's system_type: discrete): each state's
	// equation is its next value, x_{n+1} = f(x_n), iterated by TVBO's
	// Identity integrator.
	Discrete bool
}

// CouplingInput is a model's input for a coupling term (TVBO's
// coupling_inputs / coupling_terms): the coupling of the same name feeds it.
// Local inputs (local_coupling) stand for TVB's surface coupling and are
// zero on a region connectome.
type CouplingInput struct {
	Name  Str
	Pos   diag.Pos
	Local bool
}

// MassState is a state variable of a neural-mass model. In an override
// every field may be absent (nil or unset) and then keeps the library's
// value.
type MassState struct {
	Name     Str
	Pos      diag.Pos
	Equation *Expr
	Initial  *Expr
	// Lo and Hi are the state's boundaries (TVB's state_variable_boundaries),
	// applied after every step and stage; unset: unbounded on that side.
	Lo, Hi Num
	// Coupling marks the variables a coupling reads by default
	// (coupling_variable); OfInterest those recorded by default
	// (variable_of_interest).
	Coupling   *bool
	OfInterest *bool
}

// BrainNetwork is the connectome and how regions are coupled.
type BrainNetwork struct {
	Pos diag.Pos
	// IRI names a connectome (tvbo:DesikanKilliany) found in the data
	// directory as <Atlas>_weights.csv and <Atlas>_lengths.csv.
	IRI Str
	// Weights and Lengths name the matrix files directly (relative to the
	// experiment file); they win over IRI.
	Weights Str
	Lengths Str
	// NumberOfNodes without a connectome: that many unconnected copies.
	NumberOfNodes Num
	Parameters    []*Parameter // conduction_speed
	Transforms    []*Transform
	Couplings     []*Coupling
	// InlineWeights and InlineLengths are matrices written out in the
	// experiment (a study's connectivity: {weights: {values: [...]}}),
	// row by row; InlinePos is where the weights are.
	InlineWeights, InlineLengths []float64
	InlinePos                    diag.Pos
	// Descriptor is a TVBO network file the network names, by path
	// (network: path/to/descriptor.yaml) or found for its IRI in the data
	// directory; its matrices replace IRI's lookup by atlas name.
	Descriptor *NetworkDescriptor
	// BIDSDir is TVBO's bids_dir: a connectome dataset directory. Its last
	// element names the connectome in the data directory when the network
	// has no iri (see brain.bidsAliases).
	BIDSDir Str
	// Nodes and Edges describe a heterogeneous network: every node names
	// its dynamics, every edge adds weight * <source_var of source> to the
	// coupling input <target_var> of its target.
	Nodes []*BrainNode
	Edges []*BrainEdge
}

// BrainNode is one node of a heterogeneous network.
type BrainNode struct {
	Pos      diag.Pos
	ID       Num
	Label    Str
	Dynamics Str
}

// BrainEdge is one explicit connection of a heterogeneous network.
type BrainEdge struct {
	Pos       diag.Pos
	Source    Num
	Target    Num
	Weight    Num // 1 when absent
	SourceVar Str
	TargetVar Str
}

// Transform rewrites a connectome matrix: Name ("weight" or "length") gets
// the value of Equation, evaluated over the matrices.
type Transform struct {
	Name     Str
	Pos      diag.Pos
	Equation *Expr
}

// Coupling is one coupling function feeding the model's coupling input
// Name: gx_i = sum_j w_ij pre(x_j, x_i), c_i = post(gx_i).
type Coupling struct {
	Name       Str
	Pos        diag.Pos
	IRI        Str
	Parameters []*Parameter
	Pre        *Expr
	Post       *Expr
	Incoming   []Str
	Local      []Str
	Delayed    *bool
	Evaluation Str // per_step (TVB's default) or per_stage
}

// BrainIntegration is the integration section of a whole-brain experiment.
// Times are in milliseconds, TVB's unit.
type BrainIntegration struct {
	Pos           diag.Pos
	Method        Str
	StepSize      Num
	Duration      Num
	TransientTime Num
	Noise         *Noise
	// AbsTol and RelTol are the tolerances of an adaptive method
	// (abs_tol, rel_tol: the keys TVBO's experiment files write).
	AbsTol, RelTol Num
	// Evaluation is the integration's coupling_evaluation: per_step
	// (TVB's) or per_stage; a coupling's own key wins over it.
	Evaluation Str
}

// Noise is additive Gaussian noise on some state variables.
type Noise struct {
	Pos        diag.Pos
	Type       Str
	Targets    []Str
	Parameters []*Parameter // sigma or nsig (sigma = sqrt(2 nsig))
	Seed       Num
}

// Observation is a recorded expression over the state variables (e.g.
// Jansen-Rit's y1 - y2), optionally sub-sampled or averaged over a period.
type Observation struct {
	Name     Str
	Pos      diag.Pos
	Equation *Expr
	Period   Num   // ms; 0 or absent: every step
	Average  *bool // temporal average over the period instead of sampling
	Output   []Str // state variables to record (instead of an equation)
	Kind     Str   // free text (monitor name), ignored unless Monitor is set
	// Monitor is TVB's monitor this observation follows ("Raw",
	// "SubSample", "TemporalAverage", "Bold"), from TVBO's monitors: or
	// an observation's type; empty: tvboc's own rows (row 0 the initial
	// state).
	Monitor Str
	// Parameters are the monitor's (Bold: hrf_length, and the
	// FirstOrderVolterra kernel's tau_s, tau_f, k_1, V_0).
	Parameters []*Parameter
	// Kernel is a Bold monitor's hrf_kernel name (empty: FirstOrderVolterra).
	Kernel Str
	// Pipeline are the steps of a TVBO observation model's pipeline.
	Pipeline []*PipelineStep
}

// PipelineStep is one step of a TVBO observation pipeline: its name (or
// function), and the numbers its equation parameters and arguments give.
type PipelineStep struct {
	Name   Str
	Pos    diag.Pos
	Values []*Parameter
}

// Stimulus is TVBO's stimulation (TVB's StimuliRegion): a temporal
// equation of the time t in ms, either written out (Equation) or one of
// TVB's temporal equations by name (Kind), scaled per region.
type Stimulus struct {
	Pos        diag.Pos
	Equation   *Expr
	Kind       Str // TVB's equation class: PulseTrain, Sinusoid, ...
	Parameters []*Parameter
	// Regions and Weighting: region Regions[k] gets weight Weighting[k]
	// (one weighting for all of them); without Regions, Weighting gives
	// every region's weight.
	Regions   []Num
	Weighting []Num
	// Targets are the stimulated state variables (empty: the model's
	// stimulation variables, else its coupling variables, as TVB's stvar).
	Targets []Str
}
