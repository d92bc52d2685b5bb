package expr

import "math"

// Func describes a known function. Name is its canonical spelling, the one
// Call.Func holds; MaxArgs -1 means any number of arguments from MinArgs.
type Func struct {
	Name             string
	MinArgs, MaxArgs int
}

// Funcs maps every accepted spelling of a function to its description.
// Aliases ("Abs" and "abs", "Pow" and "pow", "min" and "Min") share one
// canonical Name so later stages switch on a single spelling.
var Funcs = map[string]Func{
	"exp":     {"exp", 1, 1},
	"log":     {"log", 1, 1}, // natural logarithm, as in SymPy
	"sqrt":    {"sqrt", 1, 1},
	"sin":     {"sin", 1, 1},
	"cos":     {"cos", 1, 1},
	"tan":     {"tan", 1, 1},
	"asin":    {"asin", 1, 1},
	"acos":    {"acos", 1, 1},
	"atan":    {"atan", 1, 1},
	"sinh":    {"sinh", 1, 1},
	"cosh":    {"cosh", 1, 1},
	"tanh":    {"tanh", 1, 1},
	"abs":     {"abs", 1, 1},
	"Abs":     {"abs", 1, 1},
	"sign":    {"sign", 1, 1},
	"floor":   {"floor", 1, 1},
	"ceiling": {"ceiling", 1, 1},
	"atan2":   {"atan2", 2, 2},
	"Min":     {"Min", 2, -1},
	"min":     {"Min", 2, -1},
	"Max":     {"Max", 2, -1},
	"max":     {"Max", 2, -1},
	// Heaviside(x, h0): h0 is the value at x == 0, 1/2 by default as in
	// SymPy.
	"Heaviside": {"Heaviside", 1, 2},
	"Eq":        {"Eq", 2, 2},
	"Ne":        {"Ne", 2, 2},
	"Piecewise": {"Piecewise", 1, -1},
	// random(x) is a uniform deviate in [0, x) (LEMS's random), drawn at
	// run time from the program's seeded generator; it never folds.
	// random() is random(1). normal() is a standard normal deviate
	// (Marsaglia's polar method, runtime/rng.go).
	"random": {"random", 0, 1},
	"normal": {"normal", 0, 0},
	// erf and erfc are the error function and its complement (Zerlaut's
	// transfer function uses erfc).
	"erf":  {"erf", 1, 1},
	"erfc": {"erfc", 1, 1},
	// Mod(a, b) is SymPy's floored remainder: a - b*floor(a/b), with the
	// sign of b. "a % b" parses to it.
	"Mod": {"Mod", 2, 2},
	"mod": {"Mod", 2, 2},
	"pow": {"pow", 2, 2},
	"Pow": {"pow", 2, 2},
	// mean reduces an array; TVBO connectome transforms use it as
	// "weight / mean(weight[weight > 0])". Of a scalar it is the scalar.
	"mean": {"mean", 1, 1},
	// sum reduces an array too (connectome transforms); of a scalar it is
	// the scalar.
	"sum": {"sum", 1, 1},
	// amax and amin (NumPy's names) are the largest and smallest element
	// of an array: "weight / amax(weight)". Of a scalar, the scalar.
	"amax": {"amax", 1, 1},
	"amin": {"amin", 1, 1},
}

// Constants are the named mathematical constants. The parser keeps them as
// Idents; Eval falls back to them when its lookup does not know the name.
var Constants = map[string]float64{
	"pi": math.Pi,
	"E":  math.E,
}
