package units

import (
	"strings"
	"testing"
)

func TestDimensionByName(t *testing.T) {
	tests := []struct {
		name string
		want Dimension
	}{
		{"time", Dimension{T: 1}},
		{"per_time", Dimension{T: -1}},
		{"voltage", Dimension{M: 1, L: 2, T: -3, I: -1}},
		{"per_voltage", Dimension{M: -1, L: -2, T: 3, I: 1}},
		{"conductance", Dimension{M: -1, L: -2, T: 3, I: 2}},
		{"conductanceDensity", Dimension{M: -1, L: -4, T: 3, I: 2}},
		{"capacitance", Dimension{M: -1, L: -2, T: 4, I: 2}},
		{"specificCapacitance", Dimension{M: -1, L: -4, T: 4, I: 2}},
		{"resistance", Dimension{M: 1, L: 2, T: -3, I: -2}},
		{"resistivity", Dimension{M: 1, L: 3, T: -3, I: -2}},
		{"charge", Dimension{T: 1, I: 1}},
		{"charge_per_mole", Dimension{T: 1, I: 1, N: -1}},
		{"current", Dimension{I: 1}},
		{"currentDensity", Dimension{L: -2, I: 1}},
		{"length", Dimension{L: 1}},
		{"area", Dimension{L: 2}},
		{"volume", Dimension{L: 3}},
		{"concentration", Dimension{L: -3, N: 1}},
		{"substance", Dimension{N: 1}},
		{"permeability", Dimension{L: 1, T: -1}},
		{"temperature", Dimension{K: 1}},
		{"idealGasConstantDims", Dimension{M: 1, L: 2, T: -2, K: -1, N: -1}},
		{"conductance_per_voltage", Dimension{M: -2, L: -4, T: 6, I: 3}},
		{"rho_factor", Dimension{L: -1, T: -1, I: -1, N: 1}},
		{"none", Dimension{}},
	}
	if len(tests) != len(DimensionNames()) {
		t.Errorf("test covers %d names, DimensionNames has %d", len(tests), len(DimensionNames()))
	}
	for _, tt := range tests {
		got, ok := DimensionByName(tt.name)
		if !ok || got != tt.want {
			t.Errorf("DimensionByName(%q) = %v, %v; want %v, true", tt.name, got.BaseUnits(), ok, tt.want.BaseUnits())
		}
		if s := got.String(); s != tt.name {
			t.Errorf("DimensionByName(%q).String() = %q", tt.name, s)
		}
	}
}

func TestDimensionByNameRejects(t *testing.T) {
	for _, name := range []string{"", "*", "Voltage", "volt", "capacitanceDensity", "dimensionless"} {
		if d, ok := DimensionByName(name); ok {
			t.Errorf("DimensionByName(%q) = %v, true; want not found", name, d)
		}
	}
}

func TestDimensionAliases(t *testing.T) {
	tests := []struct {
		alias, named Dimension
		name         string
	}{
		{CapacitanceDensity, SpecificCapacitance, "specificCapacitance"},
		{Speed, Permeability, "permeability"},
	}
	for _, tt := range tests {
		if tt.alias != tt.named || tt.alias.String() != tt.name {
			t.Errorf("alias %v: want %v named %q", tt.alias.BaseUnits(), tt.named.BaseUnits(), tt.name)
		}
	}
}

func TestDimensionString(t *testing.T) {
	tests := []struct {
		dim  Dimension
		want string
	}{
		{None, "none"},
		{Voltage, "voltage"},
		{PerTime, "per_time"},
		{Mass, "kg"},
		{Dimension{M: 1, L: 2, T: -2}, "kg m^2 s^-2"},
		{Dimension{M: 1, L: 2, T: -3, I: -1, K: 1, N: -1, J: 2}, "kg m^2 s^-3 A^-1 K mol^-1 cd^2"},
		{Dimension{T: -2}, "s^-2"},
	}
	for _, tt := range tests {
		if got := tt.dim.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
	if got := Voltage.BaseUnits(); got != "kg m^2 s^-3 A^-1" {
		t.Errorf("Voltage.BaseUnits() = %q", got)
	}
	if got := None.BaseUnits(); got != "1" {
		t.Errorf("None.BaseUnits() = %q", got)
	}
}

func TestDimensionArithmetic(t *testing.T) {
	tests := []struct {
		name string
		got  func() (Dimension, error)
		want Dimension
	}{
		{"V/ohm is a current", func() (Dimension, error) { return Voltage.Div(Resistance) }, Current},
		{"S*V is a current", func() (Dimension, error) { return Conductance.Mul(Voltage) }, Current},
		{"C*V/s is current", func() (Dimension, error) {
			d, err := Capacitance.Mul(Voltage)
			if err != nil {
				return d, err
			}
			return d.Div(Time)
		}, Current},
		{"(S/m2)*m2 is a conductance", func() (Dimension, error) { return ConductanceDensity.Mul(Area) }, Conductance},
		{"length^2 is an area", func() (Dimension, error) { return Length.Pow(2) }, Area},
		{"time^-1 is per_time", func() (Dimension, error) { return Time.Pow(-1) }, PerTime},
		{"anything^0 is none", func() (Dimension, error) { return Voltage.Pow(0) }, None},
		{"x/x is none", func() (Dimension, error) { return Voltage.Div(Voltage) }, None},
	}
	for _, tt := range tests {
		got, err := tt.got()
		if err != nil || got != tt.want {
			t.Errorf("%s: got %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
	if !None.IsNone() || Voltage.IsNone() {
		t.Error("IsNone wrong")
	}
}

func TestDimensionArithmeticOverflow(t *testing.T) {
	big := Dimension{T: 100}
	tests := []struct {
		name string
		run  func() (Dimension, error)
	}{
		{"Mul", func() (Dimension, error) { return big.Mul(big) }},
		{"Div", func() (Dimension, error) { return big.Div(Dimension{T: -100}) }},
		{"Pow", func() (Dimension, error) { return Voltage.Pow(100) }},
		{"Pow negative", func() (Dimension, error) { return Time.Pow(-129) }},
	}
	for _, tt := range tests {
		if _, err := tt.run(); err == nil || !strings.Contains(err.Error(), "out of range") {
			t.Errorf("%s: err = %v, want an out of range error", tt.name, err)
		}
	}
	// The edges of the int8 range are still representable.
	if d, err := Time.Pow(-128); err != nil || d.T != -128 {
		t.Errorf("Time.Pow(-128) = %v, %v", d, err)
	}
}

func TestSIUnitOf(t *testing.T) {
	tests := []struct {
		dim  Dimension
		want string
	}{
		{None, ""},
		{Time, "s"},
		{PerTime, "per_s"},
		{Voltage, "V"},
		{Current, "A"},
		{Conductance, "S"},
		{Capacitance, "F"},
		{Concentration, "mol_per_m3"},
		{ConductanceDensity, "S_per_m2"},
		{Temperature, "K"},
		{Mass, "kg"},
		{Dimension{M: 1, L: 2, T: -2}, "kg_m2_per_s2"},
		{Dimension{L: 12, T: -1}, "m^12_per_s"},
	}
	for _, tt := range tests {
		if got := SIUnitOf(tt.dim); got != tt.want {
			t.Errorf("SIUnitOf(%v) = %q, want %q", tt.dim, got, tt.want)
		}
	}
}

// Every SI symbol SIUnitOf writes must parse back to its dimension with
// scale 1, or generated messages would name units the compiler rejects.
func TestSIUnitOfParsesBack(t *testing.T) {
	dims := []Dimension{
		{M: 1, L: 2, T: -2},
		{M: -3, L: 1, T: 2, I: -1, K: 4, N: -2, J: 1},
		{J: 1},
		{L: 15},
		{T: -127},
	}
	for _, name := range DimensionNames() {
		d, _ := DimensionByName(name)
		dims = append(dims, d)
	}
	for _, d := range dims {
		sym := SIUnitOf(d)
		u, err := Parse(sym)
		if err != nil {
			t.Errorf("SIUnitOf(%v) = %q does not parse: %v", d, sym, err)
			continue
		}
		if u.Dim != d || !u.IsSI() {
			t.Errorf("Parse(SIUnitOf(%v)=%q) = dim %v scale %v offset %v; want dim %v, SI", d, sym, u.Dim, u.Scale, u.Offset, d)
		}
	}
}
