package lems

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
)

// RefusePopulation explains why a population network (nodes with size:
// N, edges with a connectivity rule) has no LEMS rendering, naming the
// first edge that stands in the way.
//
// Two things stand in the way. Every population edge adds a spike's
// weight straight to a state variable of the target (target_variable, v by
// default): a delta synapse, which no NeuroML core synapse is (they all
// give a current or conductance with dynamics of their own), so jNeuroML
// would simulate a different network. And a random rule (connectivity:
// random, weights or per-cell values drawing random()/normal()) is drawn
// by the compiled binary's generator at run time, with its --seed: there
// is no fixed list of connections to write.
func RefusePopulation(exp *ast.PopExperiment) error {
	if exp == nil {
		return errors.New("no population experiment to render")
	}
	if len(exp.Edges) == 0 {
		return fmt.Errorf("%s: population networks (nodes with size: N) are not rendered to LEMS: their cells draw their values at run time and LEMS has no form for them yet", exp.Pos)
	}
	e := exp.Edges[0]
	for _, x := range exp.Edges {
		if x.Connectivity.Value == "random" {
			e = x
			break
		}
	}
	variable := e.Variable.Value
	if variable == "" {
		variable = "v"
	}
	var targets []string
	for _, t := range e.Targets {
		targets = append(targets, t.Value)
	}
	msg := fmt.Sprintf("%s: edge %s -> %s: population networks (nodes with size: N) are not rendered to LEMS: each spike adds the edge's weight straight to the target's %s (a delta synapse), which no NeuroML core synapse does",
		e.Pos, e.Source.Value, strings.Join(targets, ", "), variable)
	if e.Connectivity.Value == "random" {
		msg += "; and its connectivity is random, drawn by the compiled binary's generator at run time (--seed), so there is no fixed list of connections to write"
	}
	return errors.New(msg)
}

// ErrWholeBrain is the answer for a whole-brain (TVB) experiment: TVBO
// simulates those with The Virtual Brain, not jNeuroML.
var ErrWholeBrain = errors.New("whole-brain (TVB) experiments have no LEMS rendering: TVBO simulates them with The Virtual Brain, not jNeuroML; compare with tvboc compare against TVB's output instead")
