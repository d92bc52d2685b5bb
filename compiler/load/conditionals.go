package load

import (
	"fmt"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/expr"
	yaml "go.yaml.in/yaml/v3"
)

// conditionals reads TVBO's case list for a conditional equation,
//
//	equation:
//	  conditionals:
//	    - condition: "x != 0"
//	      expression: "rate * x / (1 - exp(-x))"
//	    - condition: "True"
//	      expression: "rate"
//
// into the equivalent Piecewise expression (first true case wins, as in
// LEMS's ConditionalDerivedVariable), so later stages see one form only.
func (r *reader) conditionals(n *yaml.Node, what string) *ast.Expr {
	items := r.list(n, what+" conditionals")
	if len(items) == 0 {
		r.errorf(n, "%s has an empty conditionals list", what).Hint = `add - {condition: "x != 0", expression: "..."}`
		return nil
	}
	call := &expr.Call{Func: "Piecewise"}
	var first *ast.Expr
	for i, item := range items {
		w := fmt.Sprintf("%s case %d", what, i+1)
		f, ok := r.classFields(item, w, secConditional)
		if !ok {
			return nil
		}
		if f["expression"] == nil || f["condition"] == nil {
			r.errorf(item, "%s needs both condition and expression", w)
			return nil
		}
		value := r.exprAt(f["expression"], w+" expression", true)
		cond := r.condition(f["condition"], w+" condition")
		if value == nil || cond == nil {
			return nil
		}
		if first == nil {
			first = value
		}
		call.Args = append(call.Args, &expr.Tuple{Elems: []expr.Node{value.Node, cond.Node}})
	}
	if !expr.Exhaustive(call.Args) {
		r.errorf(n, "%s: no case has condition True, and the conditions may all be false: the value would then be undefined (NaN)", what).
			Hint = `add a last case - {condition: "True", expression: "..."} for the value when no condition holds`
		return nil
	}
	return &ast.Expr{Src: call.String(), Pos: first.Pos, Node: call}
}

// cases reads the schema's form of a conditional derived variable,
//
//	conditional: true
//	cases:
//	  - condition: x1 < 0
//	    equation: {rhs: a*x1**2 + x1*(-b + d)}
//	  - condition: 'True'
//	    equation: {rhs: d*x1 - slope}
//
// into the same Piecewise expression as conditionals (first true case
// wins).
func (r *reader) cases(n *yaml.Node, what string) *ast.Expr {
	items := r.list(n, what+" cases")
	if len(items) == 0 {
		r.errorf(n, "%s has an empty cases list", what).Hint = `add - {condition: "x < 0", equation: {rhs: "..."}}`
		return nil
	}
	call := &expr.Call{Func: "Piecewise"}
	var first *ast.Expr
	for i, item := range items {
		w := fmt.Sprintf("%s case %d", what, i+1)
		f, ok := r.classFields(item, w, secCase)
		if !ok {
			return nil
		}
		if f["equation"] == nil || f["condition"] == nil {
			r.errorf(item, "%s needs both condition and equation", w).Hint = `write - {condition: "x < 0", equation: {rhs: "..."}}`
			return nil
		}
		value := r.equation(f["equation"], w+" equation")
		cond := r.condition(f["condition"], w+" condition")
		if value == nil || cond == nil {
			return nil
		}
		if first == nil {
			first = value
		}
		call.Args = append(call.Args, &expr.Tuple{Elems: []expr.Node{value.Node, cond.Node}})
	}
	if !expr.Exhaustive(call.Args) {
		r.errorf(n, "%s: no case has condition True, and the conditions may all be false: the value would then be undefined (NaN)", what).
			Hint = `add a last case - {condition: "True", equation: {rhs: "..."}} for the value when no condition holds`
		return nil
	}
	return &ast.Expr{Src: call.String(), Pos: first.Pos, Node: call}
}
