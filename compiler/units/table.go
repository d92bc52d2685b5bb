package units

import (
	"strconv"
	"strings"
)

// namedUnits is the unit table: every unit NeuroML 2 declares in its core
// types (NeuroMLCoreDimensions), in the order of that file, followed by the
// units TVBO files and physiology texts use that NeuroML lacks.
//
// Scales are written as decimal literals (1e-3, not 1.0/1000 or a product
// of prefixes) so every factor is the float64 nearest the exact decimal
// value, the same number a Go or Java compiler makes of the literal. Parse
// consults this table first; symbols not in it are composed from prefixed
// base units by the grammar in parse.go, and a test checks that the grammar
// reproduces every entry here exactly.
var namedUnits = []Unit{
	// time and rates
	{Symbol: "s", Dim: Time, Scale: 1},
	{Symbol: "per_s", Dim: PerTime, Scale: 1},
	{Symbol: "Hz", Dim: PerTime, Scale: 1},
	{Symbol: "ms", Dim: Time, Scale: 1e-3},
	{Symbol: "per_ms", Dim: PerTime, Scale: 1e3},
	{Symbol: "min", Dim: Time, Scale: 60},
	// NeuroML writes 0.01666666667; 1.0/60 is the exact intent, rounded once.
	{Symbol: "per_min", Dim: PerTime, Scale: 1.0 / 60},
	{Symbol: "hour", Dim: Time, Scale: 3600},
	// NeuroML writes 0.00027777777778; 1.0/3600 is the exact intent.
	{Symbol: "per_hour", Dim: PerTime, Scale: 1.0 / 3600},

	// length, area, volume
	{Symbol: "m", Dim: Length, Scale: 1},
	{Symbol: "cm", Dim: Length, Scale: 1e-2},
	{Symbol: "um", Dim: Length, Scale: 1e-6},
	{Symbol: "m2", Dim: Area, Scale: 1},
	{Symbol: "cm2", Dim: Area, Scale: 1e-4},
	{Symbol: "um2", Dim: Area, Scale: 1e-12},
	{Symbol: "m3", Dim: Volume, Scale: 1},
	{Symbol: "cm3", Dim: Volume, Scale: 1e-6},
	{Symbol: "litre", Dim: Volume, Scale: 1e-3},
	{Symbol: "um3", Dim: Volume, Scale: 1e-18},

	// voltage
	{Symbol: "V", Dim: Voltage, Scale: 1},
	{Symbol: "mV", Dim: Voltage, Scale: 1e-3},
	{Symbol: "per_V", Dim: PerVoltage, Scale: 1},
	{Symbol: "per_mV", Dim: PerVoltage, Scale: 1e3},

	// resistance
	{Symbol: "ohm", Dim: Resistance, Scale: 1},
	{Symbol: "kohm", Dim: Resistance, Scale: 1e3},
	{Symbol: "Mohm", Dim: Resistance, Scale: 1e6},

	// conductance
	{Symbol: "S", Dim: Conductance, Scale: 1},
	{Symbol: "mS", Dim: Conductance, Scale: 1e-3},
	{Symbol: "uS", Dim: Conductance, Scale: 1e-6},
	{Symbol: "nS", Dim: Conductance, Scale: 1e-9},
	{Symbol: "pS", Dim: Conductance, Scale: 1e-12},

	// conductance density
	{Symbol: "S_per_m2", Dim: ConductanceDensity, Scale: 1},
	{Symbol: "mS_per_cm2", Dim: ConductanceDensity, Scale: 1e1},
	{Symbol: "S_per_cm2", Dim: ConductanceDensity, Scale: 1e4},
	{Symbol: "uS_per_cm2", Dim: ConductanceDensity, Scale: 1e-2},

	// capacitance
	{Symbol: "F", Dim: Capacitance, Scale: 1},
	{Symbol: "uF", Dim: Capacitance, Scale: 1e-6},
	{Symbol: "nF", Dim: Capacitance, Scale: 1e-9},
	{Symbol: "pF", Dim: Capacitance, Scale: 1e-12},
	{Symbol: "F_per_m2", Dim: SpecificCapacitance, Scale: 1},
	{Symbol: "uF_per_cm2", Dim: SpecificCapacitance, Scale: 1e-2},

	// resistivity
	{Symbol: "ohm_m", Dim: Resistivity, Scale: 1},
	{Symbol: "kohm_cm", Dim: Resistivity, Scale: 1e1},
	{Symbol: "ohm_cm", Dim: Resistivity, Scale: 1e-2},

	// charge
	{Symbol: "C", Dim: Charge, Scale: 1},
	// The elementary charge, exact since the 2019 SI redefinition.
	{Symbol: "e", Dim: Charge, Scale: 1.602176634e-19},
	{Symbol: "C_per_mol", Dim: ChargePerMole, Scale: 1},
	{Symbol: "nA_ms_per_amol", Dim: ChargePerMole, Scale: 1e6},
	{Symbol: "pC_per_umol", Dim: ChargePerMole, Scale: 1e-6},

	// current
	{Symbol: "A", Dim: Current, Scale: 1},
	{Symbol: "uA", Dim: Current, Scale: 1e-6},
	{Symbol: "nA", Dim: Current, Scale: 1e-9},
	{Symbol: "pA", Dim: Current, Scale: 1e-12},
	{Symbol: "A_per_m2", Dim: CurrentDensity, Scale: 1},
	{Symbol: "uA_per_cm2", Dim: CurrentDensity, Scale: 1e-2},
	{Symbol: "mA_per_cm2", Dim: CurrentDensity, Scale: 1e1},

	// concentration and amount
	{Symbol: "mol_per_m3", Dim: Concentration, Scale: 1},
	{Symbol: "mol_per_cm3", Dim: Concentration, Scale: 1e6},
	{Symbol: "M", Dim: Concentration, Scale: 1e3},
	// Millimolar equals mol per cubic metre, which is why NeuroML models
	// write concentrations in mM.
	{Symbol: "mM", Dim: Concentration, Scale: 1},
	{Symbol: "mol", Dim: Substance, Scale: 1},

	// permeability (also speed)
	{Symbol: "m_per_s", Dim: Permeability, Scale: 1},
	{Symbol: "cm_per_s", Dim: Permeability, Scale: 1e-2},
	{Symbol: "um_per_ms", Dim: Permeability, Scale: 1e-3},
	{Symbol: "cm_per_ms", Dim: Permeability, Scale: 1e1},

	// temperature: SI value = degC + 273.15.
	{Symbol: "degC", Dim: Temperature, Scale: 1, Offset: 273.15},
	{Symbol: "K", Dim: Temperature, Scale: 1},

	// constants' dimensions
	{Symbol: "J_per_K_per_mol", Dim: IdealGasConstantDims, Scale: 1},
	{Symbol: "fJ_per_K_per_umol", Dim: IdealGasConstantDims, Scale: 1e-9},
	{Symbol: "S_per_V", Dim: ConductancePerVoltage, Scale: 1},
	{Symbol: "nS_per_mV", Dim: ConductancePerVoltage, Scale: 1e-6},
	{Symbol: "mol_per_m_per_A_per_s", Dim: RhoFactor, Scale: 1},
	{Symbol: "mol_per_cm_per_uA_per_ms", Dim: RhoFactor, Scale: 1e11},
	{Symbol: "umol_per_cm_per_nA_per_ms", Dim: RhoFactor, Scale: 1e8},

	// Not in NeuroML's core list: common physiology units and the units
	// TVBO's neural-mass models use (they run in ms, mm and kHz).
	{Symbol: "us", Dim: Time, Scale: 1e-6},
	{Symbol: "kHz", Dim: PerTime, Scale: 1e3},
	{Symbol: "uV", Dim: Voltage, Scale: 1e-6},
	{Symbol: "mA", Dim: Current, Scale: 1e-3},
	{Symbol: "Gohm", Dim: Resistance, Scale: 1e9},
	{Symbol: "mm", Dim: Length, Scale: 1e-3},
	{Symbol: "mm2", Dim: Area, Scale: 1e-6},
	{Symbol: "mm3", Dim: Volume, Scale: 1e-9},
	{Symbol: "L", Dim: Volume, Scale: 1e-3},
	{Symbol: "uM", Dim: Concentration, Scale: 1e-3},
	{Symbol: "nM", Dim: Concentration, Scale: 1e-6},
	{Symbol: "mm_per_ms", Dim: Speed, Scale: 1},
	{Symbol: "mm_per_s", Dim: Speed, Scale: 1e-3},
	{Symbol: "rad", Dim: None, Scale: 1},
	{Symbol: "rad_per_s", Dim: PerTime, Scale: 1},
	{Symbol: "rad_per_ms", Dim: PerTime, Scale: 1e3},
}

// dimensionlessSymbols are the spellings of "no unit". TVBO writes
// "dimensionless" (and once "unitless"), LEMS writes dimension="none", and
// a missing unit is "".
var dimensionlessSymbols = []string{"", "1", "none", "dimensionless", "unitless"}

var unitBySymbol = map[string]Unit{}

func init() {
	for _, u := range namedUnits {
		unitBySymbol[u.Symbol] = u
	}
	for _, s := range dimensionlessSymbols {
		unitBySymbol[s] = Unit{Symbol: s, Dim: None, Scale: 1}
	}
}

// NamedUnits returns a copy of the unit table: every NeuroML core unit in
// the order of NeuroMLCoreDimensions.xml, then the extra units this package
// names. Parse accepts more symbols than these (any composition of
// prefixed base units); this is the list of canonical spellings.
func NamedUnits() []Unit {
	return append([]Unit(nil), namedUnits...)
}

// siSymbol names the SI unit of each NeuroML dimension with the symbol
// NeuroML itself uses for it, so generated code and messages speak
// NeuroML's vocabulary.
var siSymbol = map[Dimension]string{
	None:                  "",
	Time:                  "s",
	PerTime:               "per_s",
	Voltage:               "V",
	PerVoltage:            "per_V",
	Conductance:           "S",
	ConductanceDensity:    "S_per_m2",
	Capacitance:           "F",
	SpecificCapacitance:   "F_per_m2",
	Resistance:            "ohm",
	Resistivity:           "ohm_m",
	Charge:                "C",
	ChargePerMole:         "C_per_mol",
	Current:               "A",
	CurrentDensity:        "A_per_m2",
	Length:                "m",
	Area:                  "m2",
	Volume:                "m3",
	Concentration:         "mol_per_m3",
	Substance:             "mol",
	Permeability:          "m_per_s",
	Temperature:           "K",
	IdealGasConstantDims:  "J_per_K_per_mol",
	ConductancePerVoltage: "S_per_V",
	RhoFactor:             "mol_per_m_per_A_per_s",
	Mass:                  "kg",
}

// SIUnitOf returns a symbol for the SI unit of d, one that Parse accepts
// with scale 1: "V", "s", "per_s", "mol_per_m3" for NeuroML's dimensions,
// "" for a dimensionless quantity, and for any other dimension the base
// units written in Parse's grammar, e.g. "kg_m2_per_s2" for an energy.
func SIUnitOf(d Dimension) string {
	if s, ok := siSymbol[d]; ok {
		return s
	}
	var parts, divisors []string
	for i, e := range d.exponents() {
		switch {
		case e > 0:
			parts = append(parts, withExponent(baseSymbols[i], int(e)))
		case e < 0:
			divisors = append(divisors, "per_"+withExponent(baseSymbols[i], -int(e)))
		}
	}
	return strings.Join(append(parts, divisors...), "_")
}

// withExponent writes a base unit raised to a positive power the way
// NeuroML does (cm2, m3), with "^" where a trailing digit would be
// ambiguous or the power has more than one digit.
func withExponent(sym string, e int) string {
	if e == 1 {
		return sym
	}
	if e < 10 {
		return sym + string(rune('0'+e))
	}
	return sym + "^" + strconv.Itoa(e)
}
