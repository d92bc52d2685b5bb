package compiler

import (
	"fmt"
	"github.com/tvboc/tvboc/compiler/inputs"

	"github.com/tvboc/tvboc/compiler/brain"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/load"
)

// checkPart checks a TVBO document that describes part of an experiment
// (a coupling function, an integrator or an atlas; network files have
// checkNetworkFile): it must load, and what it names must be something
// tvboc can run. ok is false for any other document.
func checkPart(path string) (r *Result, ok bool, err error) {
	data, readErr := inputs.ReadFile(path)
	if readErr != nil {
		return nil, false, nil
	}
	kind := load.KindOf(data)
	switch kind {
	case load.KindCouplingFunction:
		c, err := load.CouplingFunction(path, data)
		if err != nil {
			return nil, true, err
		}
		desc := "a coupling function"
		if c.Name.Value != "" {
			desc = fmt.Sprintf("coupling function %s", c.Name.Value)
		}
		return &Result{Part: kind, PartSummary: desc}, true, nil
	case load.KindIntegrator:
		in, err := load.Integrator(path, data)
		if err != nil {
			return nil, true, err
		}
		method, _, ok, problem, hint := brain.Method(in.Method.Value)
		if !ok {
			e := diag.Errorf(in.Method.Pos, "%s", problem)
			e.Hint = hint
			return nil, true, e
		}
		return &Result{Part: kind, PartSummary: fmt.Sprintf("integrator %s (%s), step %g ms", in.Method.Value, method, in.StepSize.Value)}, true, nil
	case load.KindAtlas:
		a, err := load.AtlasFile(path, data)
		if err != nil {
			return nil, true, err
		}
		return &Result{Part: kind, PartSummary: fmt.Sprintf("atlas %s, %d regions", a.Name, a.Regions)}, true, nil
	}
	return nil, false, nil
}
