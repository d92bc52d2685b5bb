package compiler

import (
	"os"

	"github.com/tvboc/tvboc/compiler/brain"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/load"
	"github.com/tvboc/tvboc/gen"
)

// Whole-brain (TVB) experiments take their own path through the stages:
// load.BrainExperiment, brain.Compile (resolve and lower in one), and
// gen.GenerateBrain. The connectome directory comes from the environment
// variable TVBOC_DATA (the CLI's --data flag sets it).

// checkWholeBrain compiles the experiment at path if it is a whole-brain
// one; ok is false for any other experiment (and unreadable files, which
// the general path reports).
func checkWholeBrain(path string) (r *Result, ok bool, err error) {
	data, readErr := os.ReadFile(path)
	if readErr != nil || !load.IsWholeBrain(data) {
		return nil, false, nil
	}
	exp, err := load.BrainExperiment(path, data)
	if err != nil {
		return nil, true, err
	}
	p, err := brain.Compile(exp, brain.Options{})
	if err != nil {
		return nil, true, err
	}
	return &Result{BrainAST: exp, Brain: p}, true, nil
}

// compileWholeBrain is checkWholeBrain followed by code generation.
func compileWholeBrain(path string, opts Options) (*Result, bool, error) {
	r, ok, err := checkWholeBrain(path)
	if !ok || err != nil {
		return r, ok, err
	}
	if len(opts.Free) > 0 {
		return nil, true, &diag.Error{Pos: diag.Pos{File: path}, Msg: "free (swept) parameters are not supported for whole-brain experiments yet"}
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
