package compiler

import (
	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/brain"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/load"
	"github.com/tvboc/tvboc/gen"
)

// StudyExperiment is one experiment of a compiled study: its generated
// program, or why it has none.
type StudyExperiment struct {
	ID, Label string
	Brain     *ir.Brain
	Source    []byte
	Err       error // a missing part, an unsupported construct, a mistake
}

// Study loads a TVBO SimulationStudy and compiles each of its
// experiments on its own: one experiment's problem is reported with that
// experiment, and the others still compile. only, when not empty, selects
// one experiment by id (an unknown id is an error naming the ids there
// are). ok is false when path holds no study.
func Study(path, only string) (s *ast.Study, exps []*StudyExperiment, ok bool, err error) {
	doc, err := load.DocumentFile(path)
	if doc == nil || doc.Kind != load.KindStudy {
		return nil, nil, false, nil
	}
	if err != nil {
		return nil, nil, true, err
	}
	s = doc.Study
	var ids []string
	for _, se := range s.Experiments {
		ids = append(ids, se.ID)
		if only != "" && se.ID != only {
			continue
		}
		out := &StudyExperiment{ID: se.ID, Label: se.Label}
		exps = append(exps, out)
		if err := se.Problems.Err(); err != nil {
			out.Err = err
			continue
		}
		p, err := brain.Compile(se.Exp, brain.Options{})
		if err != nil {
			out.Err = err
			continue
		}
		out.Brain = p
		if out.Source, err = gen.GenerateBrain(p); err != nil {
			out.Err = err
		}
	}
	if only != "" && len(exps) == 0 {
		e := diag.Errorf(s.Pos, "the study has no experiment %q", only)
		e.Hint = "its experiments are " + joinIDs(ids)
		return s, nil, true, e
	}
	return s, exps, true, nil
}

func joinIDs(ids []string) string {
	out := ""
	for i, id := range ids {
		if i > 0 {
			out += ", "
		}
		out += id
	}
	return out
}
