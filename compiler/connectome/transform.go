package connectome

import (
	"fmt"
	"math"

	"github.com/tvboc/tvboc/compiler/expr"
)

// Names under which a transform refers to the matrices. TVBO writes
// "weight" and sometimes "W"; lengths are "length", "lengths",
// "tract_lengths" or "L".
var (
	WeightNames = []string{"weight", "weights", "W"}
	LengthNames = []string{"length", "lengths", "tract_lengths", "L"}
)

// value is what a transform sub-expression evaluates to: a scalar, an
// N x N matrix (elementwise arithmetic), or a vector of selected entries
// (weight[weight > 0]), which only reductions accept.
type value struct {
	scalar float64
	arr    []float64 // nil for a scalar
	matrix bool      // arr is N x N (false: a selection)
}

// TransformError is a transform that cannot be evaluated; Pos is the
// offset in the equation.
type TransformError struct {
	Pos expr.Pos
	Msg string
}

func (e *TransformError) Error() string { return e.Msg }

// Apply evaluates a transform over the named matrices (all N x N) and
// returns the resulting matrix. Arithmetic is elementwise, comparisons give
// 1 or 0, m[mask] selects the entries where mask is non-zero, and mean,
// sum, amax and amin reduce a matrix or a selection to a scalar.
func Apply(n expr.Node, matrices map[string]*Matrix) (*Matrix, error) {
	size := 0
	for _, m := range matrices {
		size = m.N
	}
	ev := &transformEval{vars: matrices}
	v, err := ev.eval(n)
	if err != nil {
		return nil, err
	}
	if v.arr == nil {
		// a constant: every entry
		m := Zero(size)
		for i := range m.Data {
			m.Data[i] = v.scalar
		}
		return m, nil
	}
	if !v.matrix {
		return nil, &TransformError{Pos: n.Pos(), Msg: "the transform gives a selection of entries, not a matrix (wrap it in mean, sum, amax or amin)"}
	}
	return &Matrix{N: size, Data: v.arr}, nil
}

type transformEval struct {
	vars map[string]*Matrix
}

func (e *transformEval) eval(n expr.Node) (value, error) {
	switch x := n.(type) {
	case *expr.Num:
		return value{scalar: x.Value}, nil
	case *expr.Bool:
		if x.Value {
			return value{scalar: 1}, nil
		}
		return value{}, nil
	case *expr.Ident:
		if m, ok := e.vars[x.Name]; ok {
			return value{arr: append([]float64(nil), m.Data...), matrix: true}, nil
		}
		if c, ok := expr.Constants[x.Name]; ok {
			return value{scalar: c}, nil
		}
		return value{}, &TransformError{Pos: x.P, Msg: fmt.Sprintf("unknown name %q in a transform (use weight or length)", x.Name)}
	case *expr.Unary:
		v, err := e.eval(x.X)
		if err != nil {
			return value{}, err
		}
		return mapValue(v, func(a float64) float64 {
			if x.Op == "!" {
				return b2f(a == 0)
			}
			return -a
		}), nil
	case *expr.Binary:
		a, err := e.eval(x.X)
		if err != nil {
			return value{}, err
		}
		b, err := e.eval(x.Y)
		if err != nil {
			return value{}, err
		}
		f, ok := binaryFuncs[x.Op]
		if !ok {
			return value{}, &TransformError{Pos: x.P, Msg: fmt.Sprintf("operator %q in a transform", x.Op)}
		}
		return zipValues(x.P, a, b, f)
	case *expr.Index:
		a, err := e.eval(x.X)
		if err != nil {
			return value{}, err
		}
		mask, err := e.eval(x.Index)
		if err != nil {
			return value{}, err
		}
		if !a.matrix || !mask.matrix {
			return value{}, &TransformError{Pos: x.P, Msg: "a transform selects entries of a matrix with a matrix condition, as in weight[weight > 0]"}
		}
		sel := []float64{}
		for i, keep := range mask.arr {
			if keep != 0 {
				sel = append(sel, a.arr[i])
			}
		}
		return value{arr: sel}, nil
	case *expr.Call:
		return e.call(x)
	}
	return value{}, &TransformError{Pos: n.Pos(), Msg: fmt.Sprintf("%s cannot be used in a transform", n)}
}

func (e *transformEval) call(x *expr.Call) (value, error) {
	args := make([]value, len(x.Args))
	for i, a := range x.Args {
		v, err := e.eval(a)
		if err != nil {
			return value{}, err
		}
		args[i] = v
	}
	reduce := func(f func([]float64) float64) (value, error) {
		v := args[0]
		if v.arr == nil {
			return v, nil
		}
		if len(v.arr) == 0 {
			return value{}, &TransformError{Pos: x.P, Msg: fmt.Sprintf("%s of no entries (the selection is empty)", x.Func)}
		}
		return value{scalar: f(v.arr)}, nil
	}
	switch x.Func {
	case "mean":
		return reduce(func(a []float64) float64 { return sum(a) / float64(len(a)) })
	case "sum":
		return reduce(sum)
	case "amax":
		return reduce(func(a []float64) float64 { return maxOf(a) })
	case "amin":
		return reduce(func(a []float64) float64 { return -maxOf(negate(a)) })
	case "Max", "Min", "atan2", "pow":
		f := map[string]func(a, b float64) float64{"Max": math.Max, "Min": math.Min, "atan2": math.Atan2, "pow": math.Pow}[x.Func]
		acc := args[0]
		for _, b := range args[1:] {
			var err error
			if acc, err = zipValues(x.P, acc, b, f); err != nil {
				return value{}, err
			}
		}
		return acc, nil
	}
	if len(args) != 1 {
		return value{}, &TransformError{Pos: x.P, Msg: fmt.Sprintf("%s cannot be used in a transform", x.Func)}
	}
	probe := &expr.Call{Func: x.Func, Args: []expr.Node{&expr.Num{}}}
	var evalErr error
	out := mapValue(args[0], func(a float64) float64 {
		probe.Args[0].(*expr.Num).Value = a
		r, err := expr.Eval(probe, nil)
		if err != nil {
			evalErr = err
		}
		return r
	})
	if evalErr != nil {
		return value{}, &TransformError{Pos: x.P, Msg: fmt.Sprintf("%s cannot be used in a transform", x.Func)}
	}
	return out, nil
}

var binaryFuncs = map[string]func(a, b float64) float64{
	"+":  func(a, b float64) float64 { return a + b },
	"-":  func(a, b float64) float64 { return a - b },
	"*":  func(a, b float64) float64 { return a * b },
	"/":  func(a, b float64) float64 { return a / b },
	"^":  math.Pow,
	"<":  func(a, b float64) float64 { return b2f(a < b) },
	"<=": func(a, b float64) float64 { return b2f(a <= b) },
	">":  func(a, b float64) float64 { return b2f(a > b) },
	">=": func(a, b float64) float64 { return b2f(a >= b) },
	"==": func(a, b float64) float64 { return b2f(a == b) },
	"!=": func(a, b float64) float64 { return b2f(a != b) },
	"&":  func(a, b float64) float64 { return b2f(a != 0 && b != 0) },
	"|":  func(a, b float64) float64 { return b2f(a != 0 || b != 0) },
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func mapValue(v value, f func(float64) float64) value {
	if v.arr == nil {
		return value{scalar: f(v.scalar)}
	}
	out := make([]float64, len(v.arr))
	for i, a := range v.arr {
		out[i] = f(a)
	}
	return value{arr: out, matrix: v.matrix}
}

func zipValues(pos expr.Pos, a, b value, f func(a, b float64) float64) (value, error) {
	switch {
	case a.arr == nil && b.arr == nil:
		return value{scalar: f(a.scalar, b.scalar)}, nil
	case a.arr == nil:
		return mapValue(b, func(y float64) float64 { return f(a.scalar, y) }), nil
	case b.arr == nil:
		return mapValue(a, func(x float64) float64 { return f(x, b.scalar) }), nil
	}
	if len(a.arr) != len(b.arr) || a.matrix != b.matrix {
		return value{}, &TransformError{Pos: pos, Msg: "a transform combines a matrix with a selection of a different size"}
	}
	out := make([]float64, len(a.arr))
	for i := range out {
		out[i] = f(a.arr[i], b.arr[i])
	}
	return value{arr: out, matrix: a.matrix}, nil
}

// sum adds in index order, the order a sequential NumPy reduction of
// integer-valued weights makes exact anyway.
func sum(a []float64) float64 {
	s := 0.0
	for _, x := range a {
		s += x
	}
	return s
}

func maxOf(a []float64) float64 {
	m := a[0]
	for _, x := range a[1:] {
		if x > m || math.IsNaN(x) {
			m = x
		}
	}
	return m
}

func negate(a []float64) []float64 {
	out := make([]float64, len(a))
	for i, x := range a {
		out[i] = -x
	}
	return out
}
