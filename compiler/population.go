package compiler

import (
	"github.com/tvboc/tvboc/compiler/inputs"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/load"
	"github.com/tvboc/tvboc/compiler/popnet"
	"github.com/tvboc/tvboc/gen"
)

// Population networks (nodes with size: N, edges with a connectivity
// rule) take their own path through the stages: load.PopulationExperiment,
// popnet.Compile (check and lower in one) and gen.GeneratePopNet.

// compilePopulation compiles the experiment at path if it is a population
// network; ok is false for any other experiment. With generate false it
// only checks.
func compilePopulation(path string, opts Options, generate bool) (r *Result, ok bool, err error) {
	data, readErr := inputs.ReadFile(path)
	if readErr != nil || !load.IsPopulation(data) {
		return nil, false, nil
	}
	exp, err := load.PopulationExperiment(path, data)
	if err != nil {
		return nil, true, err
	}
	if _, err := overrideIntegration(&exp.Integration, ast.Num{Pos: exp.Pos}); err != nil {
		return nil, true, err
	}
	if len(opts.Free) > 0 {
		return nil, true, errFreePopulation
	}
	p, err := popnet.Compile(exp)
	if err != nil {
		return nil, true, err
	}
	p.Weights32 = opts.Weights32
	r = &Result{PopAST: exp, Pop: p}
	if generate {
		if r.Source, err = gen.GeneratePopNet(p); err != nil {
			return nil, true, err
		}
	}
	return r, true, nil
}

type freeError string

func (e freeError) Error() string { return string(e) }

const errFreePopulation = freeError("free parameters are not supported for population networks yet")

// PopSummary describes a checked population network in one line.
func (r *Result) PopSummary() string {
	if r.Pop == nil {
		return ""
	}
	return popnet.Summary(r.Pop)
}
