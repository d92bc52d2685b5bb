package gen

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// The vector kernels of populations: four cells at a time through
// runtime.Vec4 (AVX registers when the binary is built with the simd
// experiment, see gen/build). Every lane computes exactly what the scalar
// loop computes for its cell: the same operations in the same order, only
// the IEEE operations a vector unit rounds the same way (+ - * /, square
// root, ordered compares), constants written as the scalar code writes
// them so that Go folds them the same, and the runtime's vector forms of
// exp, sin, cos, tanh, Min and Max (bit for bit Go's math functions and
// built-ins). A kernel using anything else (a power other than 2, 3, 4 or
// 1/2, log, abs, ...) keeps its scalar loop only. The whole-brain node
// loops (gen/brainvec.go) are written by the same vecWriter.

// errNoVector says an expression has no lane-exact vector form.
var errNoVector = errors.New("no vector form")

// vecWriter renders expressions over runtime.Vec4 values. Temporaries (a
// power's base, computed once as the scalar helper does) go to pre as
// statements to write before the expression.
type vecWriter struct {
	// scalar is the scalar code's Go expression for a constant n.
	scalar func(n expr.Node) (string, error)
	// rt is the name the file gives the runtime package.
	rt    string
	names map[string]string // model name -> Vec4 local
	pre   []string
	temps int
	// consts are the broadcast constants, hoisted before the loop (the Go
	// compiler does not move loop-invariant code out of loops).
	consts     []string
	constNames map[string]string
	// sinCos are the arguments (their text) whose sine and cosine the
	// expressions both take (pairedTrig): one VecSinCos computes both,
	// its results kept in paired.
	sinCos map[string]bool
	paired map[string][2]string
	// invariant are scalar variables that stay the same through the loop
	// (a binary's free parameters): broadcast once, like constants.
	invariant map[string]bool
}

// pairedTrig notes, in v, the arguments of ns whose sine and cosine are
// both taken, so that value computes them with one VecSinCos.
func (v *vecWriter) pairedTrig(ns ...expr.Node) {
	seen := map[string]int{}
	for _, n := range ns {
		expr.Inspect(n, func(m expr.Node) bool {
			if c, ok := m.(*expr.Call); ok && len(c.Args) == 1 {
				switch c.Func {
				case "sin":
					seen[c.Args[0].String()] |= 1
				case "cos":
					seen[c.Args[0].String()] |= 2
				}
			}
			return true
		})
	}
	for arg, both := range seen {
		if both == 3 {
			if v.sinCos == nil {
				v.sinCos = map[string]bool{}
			}
			v.sinCos[arg] = true
		}
	}
}

// konst names the broadcast of the scalar code's Go expression c.
func (v *vecWriter) konst(c string) string {
	if name, ok := v.constNames[c]; ok {
		return name
	}
	if v.constNames == nil {
		v.constNames = map[string]string{}
	}
	name := fmt.Sprintf("vk%d", len(v.consts))
	v.constNames[c] = name
	v.consts = append(v.consts, fmt.Sprintf("%s := %s.VecConst(%s)", name, v.rt, c))
	return name
}

func (v *vecWriter) temp(value string) string {
	name := fmt.Sprintf("vt%d", v.temps)
	v.temps++
	v.pre = append(v.pre, fmt.Sprintf("%s := %s", name, value))
	return name
}

// constant reports whether n depends on no cell: the scalar code's Go
// expression for it is then a constant the vector code broadcasts.
func constant(n expr.Node) bool {
	return len(expr.Idents(n)) == 0
}

var vecCompare = map[string]string{
	"<": "Less", "<=": "LessEqual", ">": "Greater", ">=": "GreaterEqual", "==": "Equal", "!=": "NotEqual",
}

var vecArith = map[string]string{"+": "Add", "-": "Sub", "*": "Mul", "/": "Div"}

// value renders a float-valued n as a Vec4 expression.
func (v *vecWriter) value(n expr.Node) (string, error) {
	if constant(n) {
		if _, ok := n.(*expr.Bool); ok {
			return "", errNoVector
		}
		c, err := v.scalar(n)
		if err != nil {
			return "", errNoVector
		}
		return v.konst(c), nil
	}
	switch x := n.(type) {
	case *expr.Ident:
		if name, ok := v.names[x.Name]; ok {
			return name, nil
		}
		if v.invariant[x.Name] {
			return v.konst(x.Name), nil
		}
	case *expr.Unary:
		if x.Op == "-" {
			a, err := v.value(x.X)
			return v.rt + ".VecNeg(" + a + ")", err
		}
	case *expr.Binary:
		if x.Op == "^" {
			return v.power(x)
		}
		if m, ok := vecArith[x.Op]; ok {
			return method(v.value, x, m)
		}
	case *expr.Call:
		return v.call(x)
	}
	return "", errNoVector
}

// vecFuncs are the one-argument functions with a lane-exact vector form
// in the runtime (VecExp is math.Exp bit for bit, and so on).
var vecFuncs = map[string]string{"exp": "VecExp", "sin": "VecSin", "cos": "VecCos", "tanh": "VecTanh"}

// call renders the functions with a vector form: sqrt, those of vecFuncs,
// and Min/Max with Go's built-in semantics (NaN wins, -0 below +0),
// folded left as the built-ins take them.
func (v *vecWriter) call(x *expr.Call) (string, error) {
	if x.Func == "sqrt" && len(x.Args) == 1 {
		a, err := v.value(x.Args[0])
		return a + ".Sqrt()", err
	}
	if (x.Func == "sin" || x.Func == "cos") && len(x.Args) == 1 && v.sinCos[x.Args[0].String()] {
		key := x.Args[0].String()
		p, ok := v.paired[key]
		if !ok {
			// the argument is rendered once, where its pair is computed
			a, err := v.value(x.Args[0])
			if err != nil {
				return "", err
			}
			if v.paired == nil {
				v.paired = map[string][2]string{}
			}
			p = [2]string{fmt.Sprintf("vsin%d", v.temps), fmt.Sprintf("vcos%d", v.temps)}
			v.temps++
			v.paired[key] = p
			v.pre = append(v.pre, fmt.Sprintf("%s, %s := %s.VecSinCos(%s)", p[0], p[1], v.rt, a))
		}
		if x.Func == "sin" {
			return p[0], nil
		}
		return p[1], nil
	}
	if fn, ok := vecFuncs[x.Func]; ok && len(x.Args) == 1 {
		a, err := v.value(x.Args[0])
		return v.rt + "." + fn + "(" + a + ")", err
	}
	if (x.Func == "Min" || x.Func == "Max") && len(x.Args) >= 2 {
		acc, err := v.value(x.Args[0])
		if err != nil {
			return "", err
		}
		for _, a := range x.Args[1:] {
			b, err := v.value(a)
			if err != nil {
				return "", err
			}
			acc = v.rt + ".Vec" + x.Func + "(" + acc + ", " + b + ")"
		}
		return acc, nil
	}
	return "", errNoVector
}

// power writes the integer powers as the scalar helpers multiply them
// (pow2: x*x, pow3: x*x*x, pow4: (x*x)*(x*x)) and x^0.5 as a square root.
func (v *vecWriter) power(x *expr.Binary) (string, error) {
	e, ok := x.Y.(*expr.Num)
	if !ok {
		return "", errNoVector
	}
	base, err := v.value(x.X)
	if err != nil {
		return "", err
	}
	switch e.Value {
	case 0.5:
		return base + ".Sqrt()", nil
	case 2, 3, 4:
	default:
		return "", errNoVector
	}
	if _, isIdent := x.X.(*expr.Ident); !isIdent {
		base = v.temp(base)
	}
	switch e.Value {
	case 2:
		return base + ".Mul(" + base + ")", nil
	case 3:
		return base + ".Mul(" + base + ").Mul(" + base + ")", nil
	}
	sq := v.temp(base + ".Mul(" + base + ")")
	return sq + ".Mul(" + sq + ")", nil
}

// method writes x.X.m(x.Y), both operands rendered by operand.
func method(operand func(expr.Node) (string, error), x *expr.Binary, m string) (string, error) {
	a, err := operand(x.X)
	if err != nil {
		return "", err
	}
	b, err := operand(x.Y)
	if err != nil {
		return "", err
	}
	return a + "." + m + "(" + b + ")", nil
}

// mask renders a condition as a runtime.VecMask expression.
func (v *vecWriter) mask(n expr.Node) (string, error) {
	switch x := n.(type) {
	case *expr.Binary:
		if m, ok := vecCompare[x.Op]; ok {
			return method(v.value, x, m)
		}
		if m, ok := map[string]string{"&": "And", "|": "Or"}[x.Op]; ok {
			return method(v.mask, x, m)
		}
	case *expr.Call:
		if (x.Func == "Eq" || x.Func == "Ne") && len(x.Args) == 2 {
			op := map[string]string{"Eq": "==", "Ne": "!="}[x.Func]
			return v.mask(&expr.Binary{P: x.P, Op: op, X: x.Args[0], Y: x.Args[1]})
		}
	}
	return "", errNoVector
}

// vecWriter is a vecWriter for this file's population kernels.
func (g *popGen) vecWriter() *vecWriter {
	return &vecWriter{
		scalar: func(n expr.Node) (string, error) { return g.code(n, nil), nil },
		rt:     "runtime",
		names:  map[string]string{},
	}
}

// stepPopVec writes step_<pop>_x4, the vector form of the population's
// step for the cells of [lo, hi) four at a time, and reports whether the
// kernel has one. It writes nothing when it has not.
func (g *popGen) stepPopVec(pop *ir.Pop, used map[string]bool) bool {
	if pop.Kernel != nil {
		return false
	}
	v := g.vecWriter()
	var head, loads, body []string
	first := "s_" + pop.States[0].Name
	head = append(head, fmt.Sprintf("%s := %s[lo:hi]", first, arr(pop, pop.States[0].Name)))
	for i, s := range pop.States {
		if i > 0 {
			head = append(head, fmt.Sprintf("s_%s := %s[lo:hi][:len(%s)]", s.Name, arr(pop, s.Name), first))
		}
		v.names[s.Name] = local(s.Name)
		loads = append(loads, fmt.Sprintf("%s := runtime.VecLoad((*[4]float64)(s_%s[i:]))", local(s.Name), s.Name))
	}
	for _, a := range pop.Arrays {
		if used[a] {
			head = append(head, fmt.Sprintf("p_%s := %s[lo:hi][:len(%s)]", a, arr(pop, a), first))
			v.names[a] = local(a)
			loads = append(loads, fmt.Sprintf("%s := runtime.VecLoad((*[4]float64)(p_%s[i:]))", local(a), a))
		}
	}
	for _, h := range pop.Held {
		if used[h.Name] {
			head = append(head, fmt.Sprintf("h_%s := %s[lo:hi][:len(%s)]", h.Name, arr(pop, h.Name), first))
			v.names[h.Name] = local(h.Name)
			loads = append(loads, fmt.Sprintf("%s := runtime.VecLoad((*[4]float64)(h_%s[i:]))", local(h.Name), h.Name))
		}
	}
	// The err of g.code must not be set by an attempt that fails here: a
	// kernel without a vector form still has its scalar one.
	saved := g.err
	defer func() { g.err = saved }()
	flush := func(stmt string) {
		for _, p := range v.pre {
			body = append(body, p)
		}
		v.pre = v.pre[:0]
		body = append(body, stmt)
	}
	for _, d := range pop.Derived {
		c, err := v.value(d.Value)
		if err != nil {
			return false
		}
		flush(fmt.Sprintf("%s := %s", local(d.Name), c))
		v.names[d.Name] = local(d.Name)
	}
	for _, s := range pop.States {
		var step string
		if constant(s.Rate) {
			// the scalar dt*(rate) is one constant Go folds exactly
			step = v.konst("dt * (" + g.code(s.Rate, nil) + ")")
		} else {
			c, err := v.value(s.Rate)
			if err != nil {
				return false
			}
			step = v.konst("dt") + ".Mul(" + c + ")"
		}
		flush(fmt.Sprintf("new_%s := %s.Add(%s)", s.Name, local(s.Name), step))
	}
	for _, s := range pop.States {
		body = append(body, fmt.Sprintf("new_%s.Store((*[4]float64)(s_%s[i:]))", s.Name, s.Name))
	}
	if pop.Spike != nil {
		for _, s := range pop.States {
			v.names[s.Name] = "new_" + s.Name
		}
		c, err := v.mask(pop.Spike)
		if err != nil {
			return false
		}
		for _, p := range v.pre {
			body = append(body, p)
		}
		body = append(body, "if m := "+c+".ToBits(); m != 0 {\nfor l := range 4 {\nif m>>l&1 != 0 {\nfl[n] = int32(lo + i + l)\nn++\n}\n}\n}")
	}
	if g.err != saved {
		return false
	}
	g.f("\n// step_%s_x4 is step_%s_1 four cells at a time, for the cells of\n// [lo, hi) up to the last whole four; it returns how many spiked (listed\n// in fl from fl[0]) and the first cell it left to step_%s_1.\n", pop.Name, pop.Name, pop.Name)
	g.f("func step_%s_x4(lo, hi int, fl []int32) (int, int) {\n", pop.Name)
	for _, h := range head {
		g.f("\t%s\n", h)
	}
	if pop.Spike == nil {
		g.f("\t_ = fl\n")
	}
	for _, c := range v.consts {
		g.f("\t%s\n", c)
	}
	g.f("\tn, i := 0, 0\n\tfor ; i+4 <= len(%s); i += 4 {\n", first)
	for _, l := range loads {
		g.f("\t\t%s\n", l)
	}
	for _, b := range body {
		g.f("\t\t%s\n", strings.ReplaceAll(b, "\n", "\n\t\t"))
	}
	g.f("\t}\n\truntime.VecDone()\n\treturn n, lo + i\n}\n")
	return true
}
