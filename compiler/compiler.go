// Package compiler chains the stages: load (YAML -> AST), resolve (names,
// units, library), lower (flat IR) and gen (Go source). Each stage lives in
// its own package; this one only runs them in order for the CLI and tests.
package compiler

import (
	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/load"
	"github.com/tvboc/tvboc/compiler/resolve"
)

// Result is everything the stages produced for one experiment.
type Result struct {
	AST     *ast.Experiment
	Model   *resolve.Model
	Program *ir.Program
	Source  []byte // the generated Go file
	// Params are the free parameters (CompileWith), none by default.
	Params []*ir.Param
	// Notes tell what --dt or --duration changed beyond the step count:
	// input windows they move or cut (see timing.go).
	Notes []string
	// BrainAST and Brain replace AST, Model and Program for a whole-brain
	// (TVB) experiment; see wholebrain.go.
	BrainAST *ast.BrainExperiment
	Brain    *ir.Brain
	// PopAST and Pop replace AST, Model and Program for a population
	// network (nodes with size: N); see population.go.
	PopAST *ast.PopExperiment
	Pop    *ir.PopNet
	// Network is a TVBO network file checked on its own (it describes a
	// connectome and is no experiment); NetworkRegions is the size of the
	// weights found for it.
	Network        *ast.NetworkDescriptor
	NetworkRegions int
	// Part is the kind of a document that describes part of an
	// experiment (a coupling function, an integrator, an atlas), checked
	// on its own; PartSummary says what it holds.
	Part        load.Kind
	PartSummary string
}

// Label is the experiment's label, whatever its kind ("" for a document
// that is no experiment).
func (r *Result) Label() string {
	switch {
	case r.Model != nil:
		return r.Model.Label
	case r.Brain != nil:
		return r.Brain.Label
	case r.Pop != nil:
		return r.Pop.Label
	}
	return ""
}

// Check loads and resolves an experiment file: every user mistake is
// reported, nothing is generated.
func Check(path string) (*Result, error) {
	r, err := checkWith(path, Options{})
	if err != nil {
		return nil, err
	}
	// an exploration's values and parameters are checked as compile
	// checks them: check passing means compile does too
	explorations, err := ReadExplorations(path)
	if err != nil {
		return nil, err
	}
	if len(explorations) > 0 && (r.AST != nil || r.BrainAST != nil || r.PopAST != nil) {
		if _, err := CompileWith(path, Options{}); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func checkWith(path string, opts Options) (*Result, error) {
	doc, err := load.DocumentFile(path)
	if err != nil {
		return nil, err
	}
	return checkDoc(doc, opts)
}

// checkDoc checks a loaded document with the stage its kind and back end
// call for: one load (load.Document) for every kind of TVBO document.
func checkDoc(doc *load.Doc, opts Options) (*Result, error) {
	switch doc.Kind {
	case load.KindNetworkFile:
		return checkNetworkFile(doc)
	case load.KindCouplingFunction, load.KindIntegrator, load.KindAtlas:
		return checkPart(doc)
	case load.KindStudy:
		e := diag.Errorf(doc.Study.Pos, "this is a TVBO study, which holds several experiments")
		e.Hint = "tvboc check and tvboc compile take it whole; compile one experiment with --experiment ID"
		return nil, e
	}
	switch doc.Backend {
	case load.NeuralMass:
		return compileBrain(doc.Brain, nil)
	case load.Population:
		return compilePopulation(doc.Pop, Options{}, false)
	}
	exp := doc.Experiment
	t, err := overrideIntegration(&exp.Integration, ast.Num{Pos: exp.Pos})
	if err != nil {
		return nil, err
	}
	m, err := resolve.ResolveWith(exp, resolve.Options{ODE: opts.ODE, AlphaBeta: opts.AlphaBeta})
	if err != nil {
		return nil, err
	}
	return &Result{AST: exp, Model: m, Notes: t.windowNotes(m)}, nil
}

// Compile runs every stage up to the generated Go source. Parameters an
// explorations section names stay free (see CompileWith).
func Compile(path string) (*Result, error) {
	return CompileWith(path, Options{})
}
