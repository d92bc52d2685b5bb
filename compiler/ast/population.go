package ast

import "github.com/tvboc/tvboc/compiler/diag"

// PopExperiment is an experiment whose network is made of populations:
// nodes with `size: N` standing for N cells of one dynamics, and edges
// that connect them by a connectivity rule (all_to_all, random) with
// per-synapse weights. It shares the top-level shape of every experiment
// (dynamics, network, integration); see package popnet for its meaning.
type PopExperiment struct {
	File        string
	Pos         diag.Pos
	Label       Str
	Description string
	Dynamics    []*Dynamics
	Nodes       []*PopNode
	Edges       []*PopEdge
	Integration *Integration
	// RandomSeed is execution.random_seed, TVBO's other spelling of the
	// integration's seed (the two must agree).
	RandomSeed Num
}

// PopNode is a population: Size cells of one dynamics.
type PopNode struct {
	Pos      diag.Pos
	ID       Str
	Dynamics Str
	Size     Num
	Record   *bool
	// PerCell are named values computed once per cell, in the order
	// written, before the parameters (`per_cell: {r: "random()"}`): one
	// draw shared by several parameter expressions.
	PerCell []*Parameter
	// Parameters override the dynamics' values; an expression may use
	// the per-cell values, random(), normal(), i (the cell's rank) and N
	// (the size), and then differs from cell to cell.
	Parameters []*Parameter
}

// PopEdge is a projection from one population to one or more others
// (Targets, concatenated in the order listed).
type PopEdge struct {
	Pos          diag.Pos
	Source       Str
	Targets      []Str
	Connectivity Str // all_to_all (default) | random | one_to_one
	// Probability is connection_probability (random: each pair once);
	// PerSource is targets_per_source (random: that many draws of a
	// target per source, repeats allowed). Exactly one for random.
	Probability Num
	PerSource   Num
	Weight      *Parameter
	Delay       Num
	// Variable is the target state variable a spike adds the weight to
	// (target_variable, default v).
	Variable Str
	// Coupling names a NeuroML synapse type (or a network dynamics entry
	// of one) that a spike reaches instead of a target variable, for
	// targets whose dynamics is a library cell; Parameters are the
	// synapse's own (gbase, erev, tauDecay, ...), with units.
	Coupling   Str
	Parameters []*Parameter
}
