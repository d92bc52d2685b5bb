package ast

import "github.com/tvboc/tvboc/compiler/diag"

// Study is a TVBO SimulationStudy: a paper's experiments, each compiled
// on its own. A study-level model is every experiment's unless the
// experiment names another; the experiment's parameters fill in only
// what it sets.
type Study struct {
	File        string
	Pos         diag.Pos
	Key         Str
	Title       string
	Experiments []*StudyExperiment
}

// StudyExperiment is one experiment of a study, read into the form of a
// whole-brain experiment. Problems are what keeps it from compiling (a
// missing part, a construct tvboc does not run), each at its position;
// an experiment with problems is reported, the others still compile.
type StudyExperiment struct {
	ID       string
	Label    string
	Pos      diag.Pos
	Exp      *BrainExperiment
	Problems diag.List
}
