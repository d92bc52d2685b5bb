package units

import (
	"errors"
	"math"
	"testing"
)

func mustParse(t *testing.T, symbol string) Unit {
	t.Helper()
	u, err := Parse(symbol)
	if err != nil {
		t.Fatalf("Parse(%q): %v", symbol, err)
	}
	return u
}

// ToSI must be one multiplication by the literal scale, so that a value
// converted here is bit-identical to the same constant written in SI by
// hand (as jLEMS's own parameters are).
func TestToSIExact(t *testing.T) {
	tests := []struct {
		symbol string
		v      float64
		want   float64
	}{
		{"mV", -70, -0.07},
		{"mV", -65, -0.065},
		{"ms", 0.025, 0.000025},
		{"nA", 0.5, 0.5e-9},
		{"pF", 10, 1e-11},
		{"pS", 10, 1e-11},
		{"per_ms", 0.07, 70},
		{"mS_per_cm2", 36, 360},
		{"uF_per_cm2", 1, 0.01},
		{"mM", 0.05, 0.05},
		{"degC", 6.3, 279.45},
		{"degC", 0, 273.15},
		{"K", 300, 300},
		{"min", 2, 120},
		{"mm_per_ms", 3, 3},
		{"", 0.6, 0.6},
	}
	for _, tt := range tests {
		u := mustParse(t, tt.symbol)
		if got := u.ToSI(tt.v); got != tt.want {
			t.Errorf("Parse(%q).ToSI(%v) = %v, want exactly %v", tt.symbol, tt.v, got, tt.want)
		}
		// Also the definition: one multiply (plus the offset), nothing else.
		v, scale := tt.v, u.Scale
		if got, want := u.ToSI(v), v*scale+u.Offset; got != want {
			t.Errorf("Parse(%q).ToSI(%v) = %v, want v*scale+offset = %v", tt.symbol, v, got, want)
		}
	}
}

func TestToSIKeepsNegativeZero(t *testing.T) {
	if got := mustParse(t, "mV").ToSI(math.Copysign(0, -1)); !math.Signbit(got) {
		t.Errorf("ToSI(-0) = %v, want -0", got)
	}
}

// within1ULP reports whether a and b are equal or adjacent float64 values.
func within1ULP(a, b float64) bool {
	return a == b || math.Nextafter(a, b) == b
}

func TestRoundTrip(t *testing.T) {
	values := []float64{-70, -65, -54.3, 0, 1, 0.025, 20, 123.456, 1e-7, -3.5e5}
	for _, u := range NamedUnits() {
		for _, v := range values {
			back := u.FromSI(u.ToSI(v))
			// Two roundings (multiply, divide) can leave the last bit off;
			// with an offset the subtraction may lose more, bounded by the
			// offset's ulp.
			ok := within1ULP(back, v)
			if u.Offset != 0 {
				ok = math.Abs(back-v) <= 4*ulp(u.Offset)
			}
			if !ok {
				t.Errorf("%s: FromSI(ToSI(%v)) = %v", u.Symbol, v, back)
			}
		}
	}
}

func ulp(x float64) float64 {
	x = math.Abs(x)
	return math.Nextafter(x, math.Inf(1)) - x
}

func TestFromSI(t *testing.T) {
	tests := []struct {
		symbol string
		si     float64
		want   float64
	}{
		{"mV", -0.07, -70},
		{"ms", 0.001, 1},
		{"degC", 273.15, 0},
		{"degC", 310.15, 37},
		{"per_ms", 1000, 1},
		{"kohm_cm", 10, 1},
	}
	for _, tt := range tests {
		if got := mustParse(t, tt.symbol).FromSI(tt.si); got != tt.want {
			t.Errorf("Parse(%q).FromSI(%v) = %v, want %v", tt.symbol, tt.si, got, tt.want)
		}
	}
}

func TestConvert(t *testing.T) {
	tests := []struct {
		v        float64
		from, to string
		want     float64
	}{
		{-70, "mV", "V", -0.07},
		{-0.07, "V", "mV", -70},
		{1, "s", "ms", 1000},
		{0.5, "ms", "s", 0.0005},
		{3, "mm_per_ms", "m_per_s", 3},
		{1, "kHz", "per_ms", 1},
		{1, "Hz", "per_s", 1},
		{1, "mM", "mol_per_m3", 1},
		{1, "M", "mM", 1000},
		{36, "mS_per_cm2", "S_per_m2", 360},
		{1, "hour", "min", 60},
		{100, "degC", "K", 373.15},
		{0, "K", "degC", -273.15},
		{37, "degC", "degC", 37},
		{-65, "mV", "mV", -65},
		{0.6, "dimensionless", "", 0.6},
		{1, "rad_per_ms", "Hz", 1000},
		{0.27, "(pC)^-1", "per_C", 0.27e12},
	}
	for _, tt := range tests {
		got, err := Convert(tt.v, mustParse(t, tt.from), mustParse(t, tt.to))
		if err != nil {
			t.Errorf("Convert(%v, %s, %s): %v", tt.v, tt.from, tt.to, err)
			continue
		}
		if !within1ULP(got, tt.want) {
			t.Errorf("Convert(%v, %s, %s) = %v, want %v", tt.v, tt.from, tt.to, got, tt.want)
		}
	}
}

func TestConvertDimensionMismatch(t *testing.T) {
	tests := []struct {
		from, to string
		want     string
	}{
		{"ms", "mV", `unit "ms" is a time, expected a voltage`},
		{"mV", "ms", `unit "mV" is a voltage, expected a time`},
		{"Hz", "s", `unit "Hz" is a per_time, expected a time`},
		{"um2", "um", `unit "um2" is an area, expected a length`},
		{"", "mV", `unit "1" is a dimensionless quantity, expected a voltage`},
		{"mV", "none", `unit "mV" is a voltage, expected a dimensionless quantity`},
		{"kg", "g_per_s", `unit "kg" is a quantity of dimension kg, expected a quantity of dimension kg s^-1`},
		{"degC", "mV", `unit "degC" is a temperature, expected a voltage`},
		{"S", "S_per_cm2", `unit "S" is a conductance, expected a conductanceDensity`},
	}
	for _, tt := range tests {
		_, err := Convert(1, mustParse(t, tt.from), mustParse(t, tt.to))
		if err == nil {
			t.Errorf("Convert(%s -> %s) succeeded, want an error", tt.from, tt.to)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("Convert(%s -> %s) error = %q, want %q", tt.from, tt.to, err, tt.want)
		}
		var dimErr *DimensionError
		if !errors.As(err, &dimErr) {
			t.Errorf("error %T is not a *DimensionError", err)
		}
	}
}

func TestExpect(t *testing.T) {
	tests := []struct {
		symbol string
		want   Dimension
		err    string
	}{
		{"mV", Voltage, ""},
		{"per_ms", PerTime, ""},
		{"uF_per_cm2", CapacitanceDensity, ""},
		{"nA", Voltage, `unit "nA" is a current, expected a voltage`},
		{"", Time, `unit "1" is a dimensionless quantity, expected a time`},
	}
	for _, tt := range tests {
		err := mustParse(t, tt.symbol).Expect(tt.want)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("Parse(%q).Expect(%v): %v", tt.symbol, tt.want, err)
		case tt.err != "" && (err == nil || err.Error() != tt.err):
			t.Errorf("Parse(%q).Expect(%v) = %v, want %q", tt.symbol, tt.want, err, tt.err)
		}
	}
}

func TestIsSIAndString(t *testing.T) {
	tests := []struct {
		symbol string
		isSI   bool
		str    string
	}{
		{"V", true, "V"},
		{"mV", false, "mV"},
		{"K", true, "K"},
		{"degC", false, "degC"},
		{"", true, "1"},
		{"mM", true, "mM"},
	}
	for _, tt := range tests {
		u := mustParse(t, tt.symbol)
		if u.IsSI() != tt.isSI || u.String() != tt.str {
			t.Errorf("Parse(%q): IsSI %v String %q, want %v %q", tt.symbol, u.IsSI(), u.String(), tt.isSI, tt.str)
		}
	}
}
