// Package units is tvboc's unit table: every unit symbol NeuroML and TVBO
// files write, its physical dimension, and its relation to SI.
//
// The compiler converts every quantity to SI while resolving an experiment,
// because jLEMS (the numerical reference) reports SI values and one unit
// system lets later stages fold constants without tracking units at all.
//
// Symbols follow NeuroML's spelling: prefixes glued to the unit ("mV",
// "uF"), products joined by "_" ("ohm_cm"), each "per_" dividing by the
// unit right after it ("mS_per_cm2", "J_per_K_per_mol"), and powers as a
// trailing digit ("cm2") or "^n" ("m^2", "(pC)^-1"). Every unit declared in
// NeuroML's core types has an entry in the table (see NamedUnits) with an
// exact decimal scale; any other well-formed composition of prefixed SI
// units ("rad_per_ms", "mm_per_ms", "kHz") is built from the same grammar.
package units

import (
	"fmt"
	"strings"
)

// Unit is a unit symbol with its dimension and its affine relation to the
// SI unit of that dimension: SI value = v*Scale + Offset. Offset is zero
// for every unit except degC, whose zero lies at 273.15 K. Units come from
// Parse or NamedUnits; the zero Unit (scale 0) converts nothing.
type Unit struct {
	Symbol string
	Dim    Dimension
	Scale  float64
	Offset float64
}

// ToSI converts v, a value in u, to the SI unit of u's dimension.
func (u Unit) ToSI(v float64) float64 {
	if u.Offset == 0 {
		// No "+ 0": keeps -0 as -0 and skips a needless rounding step.
		return v * u.Scale
	}
	return v*u.Scale + u.Offset
}

// FromSI converts v, a value in the SI unit of u's dimension, to u. It
// divides by Scale rather than multiplying by a stored inverse, so for the
// decimal units a value that ToSI produced usually comes back bit for bit.
func (u Unit) FromSI(v float64) float64 {
	if u.Offset == 0 {
		return v / u.Scale
	}
	return (v - u.Offset) / u.Scale
}

// IsSI reports whether values in u are already SI values (scale 1, no
// offset), so conversion would be the identity.
func (u Unit) IsSI() bool { return u.Scale == 1 && u.Offset == 0 }

// String returns the unit's symbol, or "1" for an unnamed dimensionless
// unit so that messages never show an empty unit.
func (u Unit) String() string {
	if u.Symbol == "" {
		return "1"
	}
	return u.Symbol
}

// Convert converts v from one unit to another of the same dimension. It
// fails when the dimensions differ, naming both, e.g.
// `unit "ms" is a time, expected a voltage`.
func Convert(v float64, from, to Unit) (float64, error) {
	if from.Dim != to.Dim {
		return 0, &DimensionError{Symbol: from.String(), Got: from.Dim, Want: to.Dim}
	}
	if from.Scale == to.Scale && from.Offset == to.Offset {
		return v, nil
	}
	return to.FromSI(from.ToSI(v)), nil
}

// DimensionError reports a unit of the wrong dimension.
type DimensionError struct {
	Symbol string    // the unit as written
	Got    Dimension // its dimension
	Want   Dimension // the dimension required where it was used
}

func (e *DimensionError) Error() string {
	return fmt.Sprintf("unit %q is %s, expected %s", e.Symbol, e.Got.phrase(), e.Want.phrase())
}

// Expect checks that u has dimension want and returns a DimensionError
// otherwise; it is the check the resolver makes for every parameter whose
// dimension the component type declares.
func (u Unit) Expect(want Dimension) error {
	if u.Dim != want {
		return &DimensionError{Symbol: u.String(), Got: u.Dim, Want: want}
	}
	return nil
}

// UnknownUnitError reports a symbol Parse could not read.
type UnknownUnitError struct {
	Symbol string // the symbol as written
	// Reason says which part failed when that helps ("" when the whole
	// symbol is simply unknown).
	Reason string
	// Suggestions are known symbols close to Symbol, best first.
	Suggestions []string
}

func (e *UnknownUnitError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "unknown unit %q", e.Symbol)
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	if len(e.Suggestions) > 0 {
		b.WriteString(" (did you mean ")
		b.WriteString(orList(e.Suggestions))
		b.WriteString("?)")
	}
	return b.String()
}

// orList joins words as "a", "a or b", "a, b or c".
func orList(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
