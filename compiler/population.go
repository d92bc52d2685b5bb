package compiler

import (
	"errors"
	"fmt"
	"slices"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/popnet"
	"github.com/tvboc/tvboc/gen"
	"github.com/tvboc/tvboc/sweep"
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
	names := slices.Clone(opts.Free)
	var explorations []sweep.Exploration
	if generate {
		var err error
		if explorations, err = ReadExplorations(exp.File); err != nil {
			return nil, err
		}
		for _, e := range explorations {
			for _, a := range e.Axes {
				names = append(names, a.Parameter)
			}
		}
	}
	p, err := popnet.Compile(exp, names...)
	if err != nil && len(explorations) > 0 {
		if _, plain := popnet.Compile(exp, opts.Free...); plain == nil {
			// the experiment compiles: an exploration names a bad parameter
			err = axisError(exp.File, explorations, err, func(name string) error {
				_, err := popnet.Compile(exp, name)
				return withoutPosition(err)
			})
		}
	}
	if err != nil {
		return nil, err
	}
	p.Weights32 = opts.Weights32
	r := &Result{PopAST: exp, Pop: p, Params: p.Params}
	if generate {
		if r.Source, err = gen.GeneratePopNet(p); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// PopSummary describes a checked population network in one line.
func (r *Result) PopSummary() string {
	if r.Pop == nil {
		return ""
	}
	return popnet.Summary(r.Pop)
}

// withoutPosition is err without its file position, for a message that
// names the place to fix itself (an exploration's axis); a list or an
// error without a position stays as it is.
func withoutPosition(err error) error {
	var d *diag.Error
	if !errors.As(err, &d) {
		return err
	}
	if d.Hint != "" {
		return fmt.Errorf("%s (%s)", d.Msg, d.Hint)
	}
	return errors.New(d.Msg)
}
