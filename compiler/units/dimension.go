package units

import (
	"fmt"
	"strconv"
	"strings"
)

// Dimension is a physical dimension written as the exponents of the seven
// SI base quantities. Two quantities can be added, compared or converted
// into each other exactly when their Dimensions are equal, so Dimension is
// a comparable value type and == is the dimension check.
type Dimension struct {
	M int8 // mass (kg)
	L int8 // length (m)
	T int8 // time (s)
	I int8 // electric current (A)
	K int8 // thermodynamic temperature (K)
	N int8 // amount of substance (mol)
	J int8 // luminous intensity (cd)
}

// The dimensions NeuroML 2 names in its core types (NeuroMLCoreDimensions),
// under Go names. A ComponentType parameter declared with
// dimension="conductanceDensity" has the Dimension ConductanceDensity.
//
// One deliberate difference: NeuroML declares resistivity as m=2 l=2,
// which is not the dimension of its own unit ohm_m (kg m^3 s^-3 A^-2).
// Resistivity here has the physical exponents, so that ohm_cm agrees with
// ohm times cm; conversions are unaffected, since NeuroML scales units by
// their power of ten alone.
var (
	None                  = Dimension{}
	Time                  = Dimension{T: 1}
	PerTime               = Dimension{T: -1}
	Voltage               = Dimension{M: 1, L: 2, T: -3, I: -1}
	PerVoltage            = Dimension{M: -1, L: -2, T: 3, I: 1}
	Conductance           = Dimension{M: -1, L: -2, T: 3, I: 2}
	ConductanceDensity    = Dimension{M: -1, L: -4, T: 3, I: 2}
	Capacitance           = Dimension{M: -1, L: -2, T: 4, I: 2}
	SpecificCapacitance   = Dimension{M: -1, L: -4, T: 4, I: 2}
	Resistance            = Dimension{M: 1, L: 2, T: -3, I: -2}
	Resistivity           = Dimension{M: 1, L: 3, T: -3, I: -2}
	Charge                = Dimension{T: 1, I: 1}
	ChargePerMole         = Dimension{T: 1, I: 1, N: -1}
	Current               = Dimension{I: 1}
	CurrentDensity        = Dimension{L: -2, I: 1}
	Length                = Dimension{L: 1}
	Area                  = Dimension{L: 2}
	Volume                = Dimension{L: 3}
	Concentration         = Dimension{L: -3, N: 1}
	Substance             = Dimension{N: 1}
	Permeability          = Dimension{L: 1, T: -1}
	Temperature           = Dimension{K: 1}
	IdealGasConstantDims  = Dimension{M: 1, L: 2, T: -2, K: -1, N: -1}
	ConductancePerVoltage = Dimension{M: -2, L: -4, T: 6, I: 3}
	RhoFactor             = Dimension{L: -1, T: -1, I: -1, N: 1}
)

// Aliases under the names physiologists use; they are the same values as
// the NeuroML-named dimensions above, so they print with the NeuroML name.
var (
	// CapacitanceDensity is capacitance per membrane area (uF_per_cm2),
	// NeuroML's "specificCapacitance".
	CapacitanceDensity = SpecificCapacitance
	// Speed is NeuroML's "permeability" (m_per_s); TVBO uses it for axonal
	// conduction speed (mm_per_ms).
	Speed = Permeability
	// Mass is not a NeuroML dimension; it exists so that composed units
	// such as kg or J can be described.
	Mass = Dimension{M: 1}
)

// namedDimension pairs a NeuroML dimension name with its exponents.
type namedDimension struct {
	name string
	dim  Dimension
}

// neuroMLDimensions lists every dimension NeuroMLCoreDimensions.xml names,
// in the order of that file, followed by "none" (which LEMS uses for
// dimensionless quantities without declaring it).
var neuroMLDimensions = []namedDimension{
	{"time", Time},
	{"per_time", PerTime},
	{"voltage", Voltage},
	{"per_voltage", PerVoltage},
	{"conductance", Conductance},
	{"conductanceDensity", ConductanceDensity},
	{"capacitance", Capacitance},
	{"specificCapacitance", SpecificCapacitance},
	{"resistance", Resistance},
	{"resistivity", Resistivity},
	{"charge", Charge},
	{"charge_per_mole", ChargePerMole},
	{"current", Current},
	{"currentDensity", CurrentDensity},
	{"length", Length},
	{"area", Area},
	{"volume", Volume},
	{"concentration", Concentration},
	{"substance", Substance},
	{"permeability", Permeability},
	{"temperature", Temperature},
	{"idealGasConstantDims", IdealGasConstantDims},
	{"conductance_per_voltage", ConductancePerVoltage},
	{"rho_factor", RhoFactor},
	{"none", None},
}

var (
	dimensionByName = map[string]Dimension{}
	nameByDimension = map[Dimension]string{}
)

func init() {
	for _, nd := range neuroMLDimensions {
		dimensionByName[nd.name] = nd.dim
		nameByDimension[nd.dim] = nd.name
	}
}

// DimensionByName returns the dimension with the given NeuroML name
// ("voltage", "per_time", "conductanceDensity", ..., "none"). Names are
// case-sensitive, as in LEMS. The LEMS wildcard "*" is not a dimension and
// is not accepted.
func DimensionByName(name string) (Dimension, bool) {
	d, ok := dimensionByName[name]
	return d, ok
}

// DimensionNames returns the NeuroML dimension names DimensionByName
// accepts, in the order of NeuroMLCoreDimensions.xml, "none" last.
func DimensionNames() []string {
	names := make([]string, len(neuroMLDimensions))
	for i, nd := range neuroMLDimensions {
		names[i] = nd.name
	}
	return names
}

// baseSymbols are the SI base units, in the field order of Dimension.
var baseSymbols = [7]string{"kg", "m", "s", "A", "K", "mol", "cd"}

// exponents returns d's exponents in the field order of Dimension.
func (d Dimension) exponents() [7]int8 {
	return [7]int8{d.M, d.L, d.T, d.I, d.K, d.N, d.J}
}

func dimensionFromExponents(e [7]int8) Dimension {
	return Dimension{M: e[0], L: e[1], T: e[2], I: e[3], K: e[4], N: e[5], J: e[6]}
}

// String returns the NeuroML name of d where it has one ("voltage",
// "per_time", "none"), otherwise the SI base units with their exponents,
// e.g. "kg m^2 s^-3 A^-1".
func (d Dimension) String() string {
	if name, ok := nameByDimension[d]; ok {
		return name
	}
	return d.BaseUnits()
}

// BaseUnits writes d in SI base units, e.g. "kg m^2 s^-3 A^-1" for a
// voltage, "1" for a dimensionless quantity.
func (d Dimension) BaseUnits() string {
	var parts []string
	for i, e := range d.exponents() {
		switch e {
		case 0:
		case 1:
			parts = append(parts, baseSymbols[i])
		default:
			parts = append(parts, baseSymbols[i]+"^"+strconv.Itoa(int(e)))
		}
	}
	if len(parts) == 0 {
		return "1"
	}
	return strings.Join(parts, " ")
}

// IsNone reports whether d is dimensionless.
func (d Dimension) IsNone() bool { return d == None }

// Mul returns the dimension of a product a*b. It fails only when an
// exponent leaves the int8 range, which no physical quantity does but a
// pathological expression (x*x*x*... 128 times) could.
func (d Dimension) Mul(o Dimension) (Dimension, error) {
	return d.combine(o, 1)
}

// Div returns the dimension of a quotient a/b; see Mul for the error.
func (d Dimension) Div(o Dimension) (Dimension, error) {
	return d.combine(o, -1)
}

// Pow returns the dimension of a^n; see Mul for the error.
func (d Dimension) Pow(n int) (Dimension, error) {
	var out [7]int8
	for i, e := range d.exponents() {
		v := int(e) * n
		if v < -128 || v > 127 {
			return Dimension{}, fmt.Errorf("dimension %s raised to the power %d is out of range", d, n)
		}
		out[i] = int8(v)
	}
	return dimensionFromExponents(out), nil
}

func (d Dimension) combine(o Dimension, sign int) (Dimension, error) {
	var out [7]int8
	a, b := d.exponents(), o.exponents()
	for i := range a {
		v := int(a[i]) + sign*int(b[i])
		if v < -128 || v > 127 {
			op := "*"
			if sign < 0 {
				op = "/"
			}
			return Dimension{}, fmt.Errorf("dimension (%s) %s (%s) is out of range", d, op, o)
		}
		out[i] = int8(v)
	}
	return dimensionFromExponents(out), nil
}

// phrase describes d for error messages: "a voltage", "an area",
// "a dimensionless quantity", "a quantity of dimension kg m^2".
func (d Dimension) phrase() string {
	if d == None {
		return "a dimensionless quantity"
	}
	name, ok := nameByDimension[d]
	if !ok {
		return "a quantity of dimension " + d.BaseUnits()
	}
	if strings.ContainsRune("aeiou", rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}
