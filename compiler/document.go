package compiler

import (
	"fmt"

	"github.com/tvboc/tvboc/compiler/brain"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/load"
)

// checkPart checks a loaded TVBO document that describes part of an
// experiment (a coupling function, an integrator or an atlas; network
// files have checkNetworkFile): what it names must be something tvboc can
// run.
func checkPart(doc *load.Doc) (*Result, error) {
	kind := doc.Kind
	switch kind {
	case load.KindCouplingFunction:
		c := doc.Coupling
		desc := "a coupling function"
		if c.Name.Value != "" {
			desc = fmt.Sprintf("coupling function %s", c.Name.Value)
		}
		return &Result{Part: kind, PartSummary: desc}, nil
	case load.KindIntegrator:
		in := doc.Integrator
		method, _, ok, problem, hint := brain.Method(in.Method.Value)
		if !ok {
			e := diag.Errorf(in.Method.Pos, "%s", problem)
			e.Hint = hint
			return nil, e
		}
		return &Result{Part: kind, PartSummary: fmt.Sprintf("integrator %s (%s), step %g ms", in.Method.Value, method, in.StepSize.Value)}, nil
	case load.KindAtlas:
		a := doc.Atlas
		return &Result{Part: kind, PartSummary: fmt.Sprintf("atlas %s, %d regions", a.Name, a.Regions)}, nil
	}
	return nil, fmt.Errorf("%s: a %s is no part of an experiment", doc.File, kind)
}
