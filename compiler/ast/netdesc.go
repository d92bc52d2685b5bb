package ast

import "github.com/tvboc/tvboc/compiler/diag"

// NetworkDescriptor is a TVBO network file (database/networks/*.yaml,
// type: network): a connectome described by its matrix files, named by
// paths from the machine that wrote it, and its number of regions. The
// matrices are found by their file names (brain.Options.DataDir, then the
// descriptor's own directory).
type NetworkDescriptor struct {
	File       string
	Pos        diag.Pos
	Label      Str
	Tractogram Str
	Weights    Str
	Lengths    Str
	Regions    Num
}
