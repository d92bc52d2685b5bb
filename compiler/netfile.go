package compiler

import (
	"github.com/tvboc/tvboc/compiler/inputs"

	"github.com/tvboc/tvboc/compiler/brain"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/load"
)

// checkNetworkFile checks a TVBO network file (database/networks/*.yaml):
// it loads, its matrices are found and have its number of regions. ok is
// false for any other document.
func checkNetworkFile(path string) (r *Result, ok bool, err error) {
	data, readErr := inputs.ReadFile(path)
	if readErr != nil || !load.IsNetworkDescriptor(data) {
		return nil, false, nil
	}
	d, err := load.NetworkDescriptor(path, data)
	if err != nil {
		return nil, true, err
	}
	w, _, err := brain.Describe(d, brain.Options{})
	if err != nil {
		return nil, true, err
	}
	return &Result{Network: d, NetworkRegions: w.N}, true, nil
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
