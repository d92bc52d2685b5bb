package compiler

import (
	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/popnet"
	"github.com/tvboc/tvboc/gen"
)

// Population networks (nodes with size: N, edges with a connectivity
// rule) take their own path through the stages: load.Document (back end
// load.Population),
// popnet.Compile (check and lower in one) and gen.GeneratePopNet.

// compilePopulation compiles a loaded population network. With generate
// false it only checks.
func compilePopulation(exp *ast.PopExperiment, opts Options, generate bool) (*Result, error) {
	if _, err := overrideIntegration(&exp.Integration, ast.Num{Pos: exp.Pos}); err != nil {
		return nil, err
	}
	if len(opts.Free) > 0 {
		return nil, errFreePopulation
	}
	p, err := popnet.Compile(exp)
	if err != nil {
		return nil, err
	}
	p.Weights32 = opts.Weights32
	r := &Result{PopAST: exp, Pop: p}
	if generate {
		if r.Source, err = gen.GeneratePopNet(p); err != nil {
			return nil, err
		}
	}
	return r, nil
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
