package compiler

import (
	"github.com/tvboc/tvboc/compiler/brain"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/load"
)

// checkNetworkFile checks a loaded TVBO network file
// (database/networks/*.yaml): its matrices are found and have its number
// of regions.
func checkNetworkFile(doc *load.Doc) (*Result, error) {
	d := doc.Network
	w, _, err := brain.Describe(d, brain.Options{})
	if err != nil {
		return nil, err
	}
	return &Result{Network: d, NetworkRegions: w.N}, nil
}

// notAnExperiment refuses to compile a document that describes part of
// an experiment rather than one.
func notAnExperiment(r *Result, path string) error {
	switch {
	case r.Network != nil:
		e := diag.Errorf(r.Network.Pos, "this is a TVBO network file (a connectome), not an experiment")
		e.Hint = "name it from an experiment: network: " + path
		return e
	case r.Part != load.KindExperiment:
		e := diag.Errorf(diag.Pos{File: path, Line: 1, Col: 1}, "this is a %s, not an experiment", r.Part)
		e.Hint = "use it from an experiment; tvboc check " + path + " checks it on its own"
		return e
	}
	return nil
}
