package ir

// Param is a free parameter: one the generated program takes at run time
// (--set, --sweep) instead of folding it to a constant. The kernel reads
// it from the local Ident; the runtime shows and accepts its values in
// Unit, the unit it was written in, and hands the kernel value*Scale.
type Param struct {
	Name      string // "<dynamics>.<parameter>", e.g. "izBurst.a"
	Dynamics  string // the type's name in the network, e.g. "izBurst"
	Parameter string // the parameter's name in its equations, e.g. "a"
	Ident     string // Go identifier in the kernel; lowering sets it

	Unit     string  // as written in the experiment; "" dimensionless
	Default  float64 // as written, in Unit
	Scale    float64 // value in Unit -> value in the equations' units
	SIUnit   string  // SI symbol of the dimension, for "30mV"-style values; "" none
	SIScale  float64 // value in Unit -> value in SIUnit
	Positive bool    // must be > 0 (a time constant, a capacitance)
}
