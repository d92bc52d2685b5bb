package units

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		symbol string
		dim    Dimension
		scale  float64
		offset float64
	}{
		// time
		{"s", Time, 1, 0},
		{"ms", Time, 1e-3, 0},
		{"us", Time, 1e-6, 0},
		{"µs", Time, 1e-6, 0}, // micro sign
		{"μs", Time, 1e-6, 0}, // Greek mu
		{"ns", Time, 1e-9, 0},
		{"min", Time, 60, 0},
		{"hour", Time, 3600, 0},
		// rates
		{"per_s", PerTime, 1, 0},
		{"per_ms", PerTime, 1e3, 0},
		{"Hz", PerTime, 1, 0},
		{"kHz", PerTime, 1e3, 0},
		{"per_min", PerTime, 1.0 / 60, 0},
		{"per_hour", PerTime, 1.0 / 3600, 0},
		{"rad_per_ms", PerTime, 1e3, 0},
		{"rad_per_s", PerTime, 1, 0},
		// TVBO's database spells units as SymPy and pint do, and spells
		// some out.
		{"mV/ms", Dimension{M: 1, L: 2, T: -4, I: -1}, 1, 0},
		{"mV*ms^-1", Dimension{M: 1, L: 2, T: -4, I: -1}, 1, 0},
		{"rad/ms", PerTime, 1e3, 0},
		{"1/ms", PerTime, 1e3, 0},
		{"mm / ms", Speed, 1, 0},
		{"mS/cm2", Dimension{M: -1, L: -4, T: 3, I: 2}, 10, 0},
		{"mol.m**-3", Concentration, 1, 0},
		{"mMol/m**3", Concentration, 1e-3, 0},
		{"umeter**3", Volume, 1e-18, 0},
		{"Millivolt", Voltage, 1e-3, 0},
		{"Kilohertz", PerTime, 1e3, 0},
		{"unitless", None, 1, 0},
		// voltage
		{"V", Voltage, 1, 0},
		{"mV", Voltage, 1e-3, 0},
		{"uV", Voltage, 1e-6, 0},
		{"per_mV", PerVoltage, 1e3, 0},
		// current
		{"A", Current, 1, 0},
		{"mA", Current, 1e-3, 0},
		{"uA", Current, 1e-6, 0},
		{"nA", Current, 1e-9, 0},
		{"pA", Current, 1e-12, 0},
		// conductance
		{"S", Conductance, 1, 0},
		{"mS", Conductance, 1e-3, 0},
		{"uS", Conductance, 1e-6, 0},
		{"nS", Conductance, 1e-9, 0},
		{"pS", Conductance, 1e-12, 0},
		// capacitance
		{"F", Capacitance, 1, 0},
		{"uF", Capacitance, 1e-6, 0},
		{"nF", Capacitance, 1e-9, 0},
		{"pF", Capacitance, 1e-12, 0},
		// resistance
		{"ohm", Resistance, 1, 0},
		{"kohm", Resistance, 1e3, 0},
		{"Mohm", Resistance, 1e6, 0},
		{"Gohm", Resistance, 1e9, 0},
		// length, area, volume
		{"m", Length, 1, 0},
		{"cm", Length, 1e-2, 0},
		{"mm", Length, 1e-3, 0},
		{"um", Length, 1e-6, 0},
		{"m2", Area, 1, 0},
		{"cm2", Area, 1e-4, 0},
		{"um2", Area, 1e-12, 0},
		{"m^2", Area, 1, 0},
		{"m3", Volume, 1, 0},
		{"cm3", Volume, 1e-6, 0},
		{"um3", Volume, 1e-18, 0},
		{"litre", Volume, 1e-3, 0},
		{"L", Volume, 1e-3, 0},
		// concentration
		{"mol_per_m3", Concentration, 1, 0},
		{"mol_per_cm3", Concentration, 1e6, 0},
		{"M", Concentration, 1e3, 0},
		{"mM", Concentration, 1, 0},
		{"uM", Concentration, 1e-3, 0},
		{"mol", Substance, 1, 0},
		// temperature
		{"K", Temperature, 1, 0},
		{"degC", Temperature, 1, 273.15},
		// charge
		{"C", Charge, 1, 0},
		{"e", Charge, 1.602176634e-19, 0},
		{"C_per_mol", ChargePerMole, 1, 0},
		// densities
		{"S_per_m2", ConductanceDensity, 1, 0},
		{"mS_per_cm2", ConductanceDensity, 10, 0},
		{"S_per_cm2", ConductanceDensity, 1e4, 0},
		{"F_per_m2", SpecificCapacitance, 1, 0},
		{"uF_per_cm2", CapacitanceDensity, 1e-2, 0},
		{"A_per_m2", CurrentDensity, 1, 0},
		{"uA_per_cm2", CurrentDensity, 1e-2, 0},
		{"mA_per_cm2", CurrentDensity, 10, 0},
		// resistivity
		{"ohm_m", Resistivity, 1, 0},
		{"ohm_cm", Resistivity, 1e-2, 0},
		{"kohm_cm", Resistivity, 10, 0},
		// speed
		{"m_per_s", Speed, 1, 0},
		{"mm_per_ms", Speed, 1, 0},
		{"um_per_ms", Speed, 1e-3, 0},
		// constants
		{"J_per_K_per_mol", IdealGasConstantDims, 1, 0},
		{"nS_per_mV", ConductancePerVoltage, 1e-6, 0},
		// dimensionless
		{"", None, 1, 0},
		{"1", None, 1, 0},
		{"none", None, 1, 0},
		{"dimensionless", None, 1, 0},
		{"rad", None, 1, 0},
		// composed, not in the table
		{"(pC)^-1", Dimension{T: -1, I: -1}, 1e12, 0},
		{"per_pC", Dimension{T: -1, I: -1}, 1e12, 0},
		{"kg", Mass, 1, 0},
		{"g", Mass, 1e-3, 0},
		{"mS_per_um2", ConductanceDensity, 1e9, 0},
		{"nA_per_um2", CurrentDensity, 1e3, 0},
		{"s^-1", PerTime, 1, 0},
		{"mmol_per_L", Concentration, 1, 0},
		{"kJ_per_mol", Dimension{M: 1, L: 2, T: -2, N: -1}, 1e3, 0},
		{"per_ms_per_mV", Dimension{M: -1, L: -2, T: 2, I: 1}, 1e6, 0},
		{"mK", Temperature, 1e-3, 0},
		{"MHz", PerTime, 1e6, 0},
		{"Mohm_cm", Resistivity, 1e4, 0},
		// surrounding space is not part of the symbol
		{" mV ", Voltage, 1e-3, 0},
	}
	for _, tt := range tests {
		u, err := Parse(tt.symbol)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.symbol, err)
			continue
		}
		// Scales compare with ==: they must be the exact float64 literals.
		if u.Dim != tt.dim || u.Scale != tt.scale || u.Offset != tt.offset {
			t.Errorf("Parse(%q) = {%v %v %v}, want {%v %v %v}", tt.symbol, u.Dim, u.Scale, u.Offset, tt.dim, tt.scale, tt.offset)
		}
		if u.Symbol != strings.TrimSpace(tt.symbol) {
			t.Errorf("Parse(%q).Symbol = %q", tt.symbol, u.Symbol)
		}
	}
}

// The table is written by hand; the grammar derives the same units from
// prefixes and base units. Agreement of the two, exactly, checks every
// hand-written dimension and scale in the table.
func TestTableAgreesWithGrammar(t *testing.T) {
	noGrammar := map[string]bool{
		"degC": true, // affine, deliberately not composable
		"e":    true, // a constant, deliberately not a base unit
	}
	for _, u := range namedUnits {
		if noGrammar[u.Symbol] {
			if _, reason := compose(u.Symbol); reason == "" {
				t.Errorf("compose(%q) succeeded; it should stay table-only", u.Symbol)
			}
			continue
		}
		c, reason := compose(u.Symbol)
		if reason != "" {
			t.Errorf("table unit %q does not follow the grammar: %s", u.Symbol, reason)
			continue
		}
		if c.Dim != u.Dim || c.Scale != u.Scale || c.Offset != u.Offset {
			t.Errorf("table %q = {%v %v %v}, grammar gives {%v %v %v}", u.Symbol, u.Dim, u.Scale, u.Offset, c.Dim, c.Scale, c.Offset)
		}
	}
}

func TestTableHasNoDuplicates(t *testing.T) {
	seen := map[string]bool{}
	for _, u := range namedUnits {
		if seen[u.Symbol] {
			t.Errorf("symbol %q appears twice in the table", u.Symbol)
		}
		seen[u.Symbol] = true
		if u.Scale <= 0 {
			t.Errorf("symbol %q has non-positive scale %v", u.Symbol, u.Scale)
		}
	}
}

func TestNamedUnitsIsACopy(t *testing.T) {
	units := NamedUnits()
	units[0].Scale = 42
	if namedUnits[0].Scale == 42 {
		t.Fatal("NamedUnits exposes the table itself")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		symbol      string
		reason      string // substring of the message; "" to skip
		suggestions []string
	}{
		{"mv", "", []string{"mV"}},
		// Uppercase M, G, T only on ohm and Hz: these are slips, not mega-units.
		{"MV", "V does not take the prefix M", []string{"mV"}},
		{"MS", "S does not take the prefix M", []string{"mS", "ms"}},
		{"Gs", "s does not take the prefix G", []string{"s", "ms", "us"}},
		{"TV", "V does not take the prefix T", []string{"V", "mV", "uV"}},
		{"mohm", "ohm does not take the prefix m", []string{"Mohm"}},
		{"mHz", "Hz does not take the prefix m", []string{"Hz", "kHz"}},
		{"Ms", "s does not take the prefix M", []string{"ms", "mS"}},
		{"msec", "", []string{"ms"}},
		{"seconds", "", []string{"s"}},
		{"celsius", "", []string{"degC"}},
		{"Ω", "", []string{"ohm"}},
		{"mS/(cm2)", "parentheses", []string{}},
		{"mV/", "empty factor", []string{"mV"}},
		{"mV/√ms", "fractional power", []string{}},
		{"mV * m s", `factor "m s" is not one unit`, []string{"mV_ms"}},
		{"mV/ms_per_s", `factor "ms_per_s" is not one unit`, []string{"mV_per_ms_per_s"}},
		{"m s", `"per_"`, []string{"ms", "mS"}},
		{"mS_per_cmm2", `"cmm2" is not a unit symbol`, []string{"mS_per_cm2"}},
		{"xyz", `"xyz" is not a unit symbol`, []string{}},
		{"per", `"per" must be followed by a unit`, []string{}},
		{"mV_per", `"per" must be followed by a unit`, []string{}},
		{"per_per_s", `"per" twice`, []string{}},
		{"mV__ms", "empty part", []string{}},
		{"_mV", "empty part", []string{"mV"}},
		{"per_degC", "degC has an offset", []string{}},
		{"degC_per_s", "degC has an offset", []string{}},
		{"m0", "power of zero", []string{"ms", "m", "m2"}},
		{"m^x", "must be an integer", []string{}},
		{"m^999", "power out of range", []string{}},
		{"2", "is a number", []string{}},
		{"kmin", `"kmin": min does not take the prefix k`, []string{"min"}},
		{"mmV", `"mmV" is not a unit symbol`, []string{"mV", "mm", "mm2"}},
		{"Hour", "", []string{"hour"}},
		{"(pC)", `"(pC)" is not a unit symbol`, []string{}},
		{"m^127_per_m^-127", "exponent out of range", []string{}},
		{"fm^-100", "scale out of the float64 range", []string{}},
		{"\xff", "not valid UTF-8", []string{}},
	}
	for _, tt := range tests {
		u, err := Parse(tt.symbol)
		if err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", tt.symbol, u)
			continue
		}
		var unknown *UnknownUnitError
		if !errors.As(err, &unknown) {
			t.Errorf("Parse(%q) error %T is not *UnknownUnitError", tt.symbol, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("Parse(%q) error %q does not contain %q", tt.symbol, err, tt.reason)
		}
		got := unknown.Suggestions
		if got == nil {
			got = []string{}
		}
		if !reflect.DeepEqual(got, tt.suggestions) {
			t.Errorf("Parse(%q) suggestions = %q, want %q", tt.symbol, got, tt.suggestions)
		}
	}
}

func TestUnknownUnitMessage(t *testing.T) {
	tests := []struct {
		err  *UnknownUnitError
		want string
	}{
		{&UnknownUnitError{Symbol: "mv", Suggestions: []string{"mV"}}, `unknown unit "mv" (did you mean mV?)`},
		{&UnknownUnitError{Symbol: "Ms", Suggestions: []string{"ms", "mS"}}, `unknown unit "Ms" (did you mean ms or mS?)`},
		{&UnknownUnitError{Symbol: "x", Suggestions: []string{"a", "b", "c"}}, `unknown unit "x" (did you mean a, b or c?)`},
		{&UnknownUnitError{Symbol: "xyz", Reason: `"xyz" is not a unit symbol`}, `unknown unit "xyz": "xyz" is not a unit symbol`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	// The message a user sees for the commonest slip, end to end.
	_, err := Parse("mv")
	if err == nil || err.Error() != `unknown unit "mv": "mv" is not a unit symbol (did you mean mV?)` {
		t.Errorf("Parse(\"mv\") error = %v", err)
	}
}

func TestParseQuantity(t *testing.T) {
	tests := []struct {
		in     string
		value  float64
		symbol string
	}{
		{"-70mV", -70, "mV"},
		{"0.2 nA", 0.2, "nA"},
		{"60ms", 60, "ms"},
		{"1e-3 s", 1e-3, "s"},
		{"1E3per_s", 1e3, "per_s"},
		{".5 ms", 0.5, "ms"},
		{"+3mV", 3, "mV"},
		{"6.3 degC", 6.3, "degC"},
		{"3", 3, ""},
		{"2e", 2, "e"},
		{"1.5e-2mS_per_cm2", 1.5e-2, "mS_per_cm2"},
		{"  -65 mV  ", -65, "mV"},
	}
	for _, tt := range tests {
		v, u, err := ParseQuantity(tt.in)
		if err != nil {
			t.Errorf("ParseQuantity(%q): %v", tt.in, err)
			continue
		}
		if v != tt.value || u.Symbol != tt.symbol {
			t.Errorf("ParseQuantity(%q) = %v %q, want %v %q", tt.in, v, u.Symbol, tt.value, tt.symbol)
		}
	}
}

func TestParseQuantityErrors(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"", "does not start with a number"},
		{"mV", "does not start with a number"},
		{"-", "does not start with a number"},
		{".", "does not start with a number"},
		{"1e999 mV", "not a finite number"},
		{"-70 mv", `did you mean mV?`},
		{"NaN", "does not start with a number"},
		{"Inf s", "does not start with a number"},
	}
	for _, tt := range tests {
		_, _, err := ParseQuantity(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseQuantity(%q) error = %v, want it to contain %q", tt.in, err, tt.want)
		}
	}
	// The unit error stays inspectable through the wrapping.
	_, _, err := ParseQuantity("-70 mv")
	var unknown *UnknownUnitError
	if !errors.As(err, &unknown) || unknown.Symbol != "mv" {
		t.Errorf("ParseQuantity(\"-70 mv\") error %v does not wrap an *UnknownUnitError for \"mv\"", err)
	}
}
