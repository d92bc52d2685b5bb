package compiler

import (
	"github.com/tvboc/tvboc/compiler/inputs"
	"slices"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/brain"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/load"
	"github.com/tvboc/tvboc/gen"
	"github.com/tvboc/tvboc/sweep"
)

// Whole-brain (TVB) experiments take their own path through the stages:
// load.Document (back end load.NeuralMass), brain.Compile (resolve and lower in one), and
// gen.GenerateBrain. The connectome directory comes from the environment
// variable TVBOC_DATA (the CLI's --data flag sets it).

// compileBrain compiles a loaded whole-brain experiment with the named
// parameters free.
func compileBrain(exp *ast.BrainExperiment, free []string) (*Result, error) {
	p, err := brain.Compile(exp, brain.Options{Free: free})
	if err != nil {
		return nil, err
	}
	return &Result{BrainAST: exp, Brain: p, Params: p.Params, Notes: p.Notes}, nil
}

// compileBrainFree loads and compiles the whole-brain experiment at path
// with the named parameters free (each try of an exploration axis starts
// from a fresh load); ok is false for any other document.
func compileBrainFree(path string, free []string) (r *Result, ok bool, err error) {
	doc, err := load.DocumentFile(path)
	if doc == nil || doc.Backend != load.NeuralMass {
		return nil, false, nil
	}
	if err != nil {
		return nil, true, err
	}
	r, err = compileBrain(doc.Brain, free)
	return r, true, err
}

// compileWholeBrain compiles a whole-brain experiment with opts.Free and
// the parameters of its explorations free, and generates its code.
func compileWholeBrain(doc *load.Doc, opts Options) (*Result, bool, error) {
	path := doc.File
	data, err := inputs.ReadFile(path)
	if err != nil {
		return nil, true, err
	}
	names := slices.Clone(opts.Free)
	explorations, err := sweep.Explorations(path, data)
	if err != nil {
		return nil, true, err
	}
	for _, e := range explorations {
		for _, a := range e.Axes {
			names = append(names, a.Parameter)
		}
	}
	r, ok, err := compileBrainFree(path, names)
	if ok && err != nil && len(explorations) > 0 {
		if _, _, plain := compileBrainFree(path, opts.Free); plain == nil {
			// the experiment compiles: an exploration names a bad parameter
			err = axisError(path, explorations, err, func(name string) error {
				_, _, err := compileBrainFree(path, []string{name})
				return err
			})
		}
	}
	if !ok || err != nil {
		return r, ok, err
	}
	if r.Source, err = gen.GenerateBrain(r.Brain); err != nil {
		return nil, true, err
	}
	return r, true, nil
}

// BrainSummary describes a checked whole-brain experiment in one line.
func (r *Result) BrainSummary() string {
	if r.Brain == nil {
		return ""
	}
	return brain.Summary(r.Brain)
}

// BrainSummaryOf describes a compiled whole-brain program in one line.
func BrainSummaryOf(p *ir.Brain) string { return brain.Summary(p) }
