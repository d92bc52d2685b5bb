package lems

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
)

// refuseEquations explains why a population of cells written as
// equations has no LEMS rendering: every population edge into it adds a
// spike's weight straight to a state variable of the target
// (target_variable, v by default), a delta synapse, which no NeuroML core
// synapse is (they all give a current or conductance with dynamics of
// their own), so jNeuroML would simulate a different network. It names
// the population and the first edge into it; nil when every population is
// of NeuroML cells (popexpand.go renders those).
func refuseEquations(exp *ast.PopExperiment) error {
	library := map[string]bool{}
	for _, d := range exp.Dynamics {
		library[d.Name.Value] = strings.HasPrefix(d.IRI.Value, "neuroml:")
	}
	for _, n := range exp.Nodes {
		if library[n.Dynamics.Value] {
			continue
		}
		const fix = "render lems writes population networks of NeuroML cells (iri: neuroml:iafCell, izhikevich2007Cell, ...) whose edges name a synapse (coupling: expOneSynapse, ...)"
		for _, e := range exp.Edges {
			for _, t := range e.Targets {
				if t.Value != n.ID.Value {
					continue
				}
				variable := e.Variable.Value
				if variable == "" {
					variable = "v"
				}
				return fmt.Errorf("%s: population %q is written as equations: edge %s -> %s adds each spike's weight straight to its %s (a delta synapse), which no NeuroML core synapse does; %s",
					e.Pos, n.ID.Value, e.Source.Value, t.Value, variable, fix)
			}
		}
		return fmt.Errorf("%s: population %q is written as equations, with per-cell values the binary draws; %s", n.Pos, n.ID.Value, fix)
	}
	return nil
}

// ErrWholeBrain is the answer for a whole-brain (TVB) experiment: TVBO
// simulates those with The Virtual Brain, not jNeuroML.
var ErrWholeBrain = errors.New("whole-brain (TVB) experiments have no LEMS rendering: TVBO simulates them with The Virtual Brain, not jNeuroML; compare with tvboc compare against TVB's output instead")
