package compiler

import (
	"errors"
	"fmt"
	"github.com/tvboc/tvboc/compiler/inputs"
	"slices"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/library"
	"github.com/tvboc/tvboc/compiler/load"
	"github.com/tvboc/tvboc/compiler/lower"
	"github.com/tvboc/tvboc/compiler/popnet"
	"github.com/tvboc/tvboc/compiler/resolve"
	"github.com/tvboc/tvboc/compiler/units"
	"github.com/tvboc/tvboc/gen"
	"github.com/tvboc/tvboc/sweep"
)

// Options are choices about what is compiled beyond the experiment file.
type Options struct {
	// Free names parameters to keep as run-time inputs, as
	// "<dynamics>.<parameter>" (izBurst.a) or a bare parameter name that
	// exactly one cell dynamics of the network has. Every parameter an
	// explorations section of the experiment names is free as well.
	Free []string
	// Weights32 stores a population network's sparse synapse weights as
	// float32 (tvboc --weights float32): a third less memory, results no
	// longer bit-identical to float64 weights.
	Weights32 bool
	// ODE compiles NeuroML/LEMS experiments under the plain ODE reading
	// (resolve.Options.ODE) instead of reproducing jLEMS.
	ODE bool
	// AlphaBeta, with ODE, steps HH gates in the division-free alpha/beta
	// form (tvboc --gate-form alpha-beta).
	AlphaBeta bool
}

// CompileWith is Compile with options: the named parameters (and those of
// the experiment's explorations) stay variables of the generated program;
// everything else is folded to constants as always. With no free
// parameters the result is exactly Compile's.
func CompileWith(path string, opts Options) (*Result, error) {
	doc, err := load.DocumentFile(path)
	if err != nil {
		return nil, err
	}
	switch doc.Backend {
	case load.NeuralMass:
		r, _, err := compileWholeBrain(doc, opts)
		return r, err
	case load.Population:
		return compilePopulation(doc.Pop, opts, true)
	}
	r, err := checkDoc(doc, opts)
	if err != nil {
		return nil, err
	}
	if err := notAnExperiment(r, path); err != nil {
		return nil, err
	}
	names := slices.Clone(opts.Free)
	explorations, err := ReadExplorations(path)
	if err != nil {
		return nil, err
	}
	for _, e := range explorations {
		for _, a := range e.Axes {
			names = append(names, a.Parameter)
		}
	}
	if r.Params, err = FreeParams(r, names); err != nil {
		return nil, axisError(path, explorations, err, func(name string) error {
			_, err := FreeParams(r, []string{name})
			return err
		})
	}
	if r.Program, err = lower.LowerFree(r.Model, r.Params); err != nil {
		return nil, err
	}
	if r.Source, err = gen.Generate(r.Program); err != nil {
		return nil, err
	}
	return r, nil
}

// axisError gives a failure to resolve the free parameters the position
// of the exploration axis that names the bad parameter, found by trying
// each axis alone (try); err stands when no axis is to blame (a --free
// name).
func axisError(path string, explorations []sweep.Exploration, err error, try func(name string) error) error {
	var errs diag.List
	for _, e := range explorations {
		for _, a := range e.Axes {
			if aerr := try(a.Parameter); aerr != nil {
				// the axis is where the mistake is: the parameter's own
				// error carries no better position (a whole-brain
				// compile puts it at the file's start)
				msg := aerr.Error()
				var de *diag.Error
				var dl diag.List
				switch {
				case errors.As(aerr, &de):
					msg = strings.TrimPrefix(msg, de.Pos.String()+": ")
				case errors.As(aerr, &dl) && len(dl) == 1:
					msg = strings.TrimPrefix(msg, dl[0].Pos.String()+": ")
				}
				errs = append(errs, diag.Errorf(diag.Pos{File: path, Line: a.Line, Col: a.Col}, "exploration %q: %s", e.Name, msg))
			}
		}
	}
	if len(errs) == 0 {
		return err
	}
	return errs.Err()
}

// ReadExplorations reads the explorations section of an experiment file.
func ReadExplorations(path string) ([]sweep.Exploration, error) {
	data, err := inputs.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read the experiment: %w", path, err)
	}
	return sweep.Explorations(path, data)
}

// FreeParams resolves parameter names against a checked experiment and
// returns the free parameters in the order named, each once, with the unit
// its values are given in. A name that is not a settable parameter is an
// error that lists the ones that are.
func FreeParams(r *Result, names []string) ([]*ir.Param, error) {
	for _, name := range names {
		if err := integrationNotFree(name); err != nil {
			return nil, err
		}
	}
	if r.BrainAST != nil {
		// whole-brain: the compiler resolves the names (brain/free.go)
		b, _, err := compileBrainFree(r.BrainAST.File, names)
		if err != nil {
			return nil, err
		}
		return b.Params, nil
	}
	if r.PopAST != nil {
		// population network: its compiler resolves the names (popnet/free.go)
		p, err := popnet.Compile(r.PopAST, names...)
		if err != nil {
			return nil, withoutPosition(err)
		}
		return p.Params, nil
	}
	var params []*ir.Param
	var errs []error
	seen := map[string]bool{}
	for _, name := range names {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		p, err := freeParam(r, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !seen[p.Name] {
			seen[p.Name] = true
			params = append(params, p)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return params, nil
}

// settable lists, per cell type, the parameters that can be free: the
// type's parameters, not its constants. Inputs are left out: their
// parameters decide the step ranges of the kernel's segments at compile
// time.
func settable(r *Result) (map[*resolve.Type][]string, []string) {
	byType := map[*resolve.Type][]string{}
	var all []string
	for _, t := range r.Model.Types {
		if t.Kind != resolve.Cell {
			continue
		}
		constants := map[string]bool{}
		for _, c := range definitionOf(t, r.AST).Constants {
			constants[c.Name.Value] = true
		}
		for _, name := range t.ParamOrder {
			if !constants[name] {
				byType[t] = append(byType[t], name)
				all = append(all, t.Name+"."+name)
			}
		}
	}
	return byType, all
}

func freeParam(r *Result, name string) (*ir.Param, error) {
	byType, all := settable(r)
	listing := func() string {
		if len(all) == 0 {
			return "this experiment has no cell parameters that can be free"
		}
		return "parameters that can be free: " + strings.Join(all, ", ")
	}
	typeName, param, dotted := strings.Cut(name, ".")
	if !dotted {
		// A bare name, as TVBO explorations write them: fine when exactly
		// one cell dynamics has it.
		var owners []string
		for t, names := range byType {
			if slices.Contains(names, name) {
				owners = append(owners, t.Name+"."+name)
			}
		}
		slices.Sort(owners)
		switch len(owners) {
		case 0:
			return nil, fmt.Errorf("free parameter %q: no cell dynamics has a parameter of that name; %s", name, listing())
		case 1:
			typeName, param, _ = strings.Cut(owners[0], ".")
		default:
			return nil, fmt.Errorf("free parameter %q is ambiguous: write one of %s", name, strings.Join(owners, ", "))
		}
	}
	var t *resolve.Type
	for _, candidate := range r.Model.Types {
		if candidate.Name == typeName {
			t = candidate
		}
	}
	switch {
	case t == nil:
		return nil, fmt.Errorf("free parameter %q: the network has no dynamics %q; %s", name, typeName, listing())
	case t.Kind != resolve.Cell:
		return nil, fmt.Errorf("free parameter %q: %s is an input, and input parameters decide the kernel's time segments at compile time, so they cannot be free", name, typeName)
	case !slices.Contains(byType[t], param):
		return nil, fmt.Errorf("free parameter %q: %s has no settable parameter %q; %s", name, typeName, param, listing())
	case param == "refract" && len(t.Events) > 0:
		return nil, fmt.Errorf("free parameter %q: the refractory period is turned into a whole number of steps at compile time, so it cannot be free", name)
	}
	p := &ir.Param{Name: typeName + "." + param, Dynamics: typeName, Parameter: param,
		Default: t.Params[param], Scale: 1, SIScale: 1}
	written := writtenParam(r.AST, typeName, param)
	_, isLibrary, _ := library.Lookup(t.IRI) // library equations are in SI
	var dim units.Dimension
	if def := definitionOf(t, r.AST); isLibrary {
		for _, dp := range def.Parameters {
			if dp.Name.Value == param {
				dim, _ = units.DimensionByName(dp.Dimension.Value)
			}
		}
	}
	switch {
	case written != nil && written.Unit.Value != "" && written.Value.Set:
		u, err := units.Parse(written.Unit.Value)
		if err != nil || u.Offset != 0 {
			return nil, fmt.Errorf("free parameter %q: unit %q cannot be scaled at run time", name, written.Unit.Value)
		}
		p.Unit, p.Default = written.Unit.Value, written.Value.Value
		p.SIUnit, p.SIScale = units.SIUnitOf(u.Dim), u.Scale
		if isLibrary {
			p.Scale = u.Scale
		}
		dim = u.Dim
	case written != nil && written.Value.Set:
		p.Default = written.Value.Value
	case isLibrary:
		// The library default, already in SI.
		p.Unit, p.SIUnit = units.SIUnitOf(dim), units.SIUnitOf(dim)
	}
	p.Positive = dim == units.Time || dim == units.Capacitance
	return p, nil
}

// writtenParam finds the parameter as the experiment writes it for the
// dynamics called typeName, or nil.
func writtenParam(exp *ast.Experiment, typeName, param string) *ast.Parameter {
	var candidates []*ast.Dynamics
	if exp.Network != nil {
		candidates = append(candidates, exp.Network.Dynamics...)
	}
	if exp.Dynamics != nil {
		candidates = append(candidates, exp.Dynamics)
	}
	for _, d := range candidates {
		if d.Name.Value != typeName {
			continue
		}
		for _, p := range d.Parameters {
			if p.Name.Value == param {
				return p
			}
		}
		return nil
	}
	return nil
}

// definitionOf returns the definition a type was built from: its library
// component, or the experiment's own dynamics for inline equations.
func definitionOf(t *resolve.Type, exp *ast.Experiment) *ast.Dynamics {
	if t.IRI != "" {
		if def, ok, _ := library.Lookup(t.IRI); ok {
			return def
		}
	}
	if exp.Network != nil {
		for _, d := range exp.Network.Dynamics {
			if d.Name.Value == t.Name {
				return d
			}
		}
	}
	if exp.Dynamics != nil && exp.Dynamics.Name.Value == t.Name {
		return exp.Dynamics
	}
	return &ast.Dynamics{}
}

// integrationNotFree refuses the integration settings as free parameters
// with what to do instead: the step count, the recording's size and the
// inputs' step ranges are fixed when the program is generated.
func integrationNotFree(name string) error {
	setting, ok := strings.CutPrefix(name, "integration.")
	if !ok {
		return nil
	}
	switch setting {
	case "duration":
		return fmt.Errorf("free parameter %q: the duration fixes the step count and the inputs' step ranges when the program is generated, so it cannot be set at run time; compile with --duration MS instead", name)
	case "step_size", "dt":
		return fmt.Errorf("free parameter %q: the step fixes the step count and the inputs' step ranges when the program is generated, so it cannot be set at run time; compile with --dt MS instead", name)
	}
	return fmt.Errorf("free parameter %q: integration settings are not run-time parameters; --dt MS and --duration MS set the step and the duration at compile", name)
}
