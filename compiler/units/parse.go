package units

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Parse returns the unit a symbol names. The symbol is looked up in the
// unit table first; otherwise it is read with the grammar
//
//	symbol := part { "_" part }
//	part   := "per" | factor      ("per" divides by the factor after it)
//	factor := unit [ digits | "^" int ] | "(" unit ")" "^" int
//	unit   := [ prefix ] base
//
// with the SI prefixes k c d m u µ n p f a (M, G and T only on ohm and Hz)
// and the bases listed in baseUnits. "", "1", "none", "dimensionless" and
// "unitless" mean no unit. Surrounding spaces are ignored; case matters
// ("mS" is not "MS"). Units and prefixes may also be spelled out
// ("Millivolt", "umeter"), and the algebraic spelling of SymPy and pint is
// read too ("mV/ms", "mV*ms^-1", "mol.m**-3"; see underscoreForm). An
// unknown symbol gives an *UnknownUnitError that lists close known symbols.
func Parse(symbol string) (Unit, error) {
	symbol = strings.TrimSpace(symbol)
	if u, ok := unitBySymbol[symbol]; ok {
		return u, nil
	}
	u, reason := compose(symbol)
	if reason == "" {
		return u, nil
	}
	return Unit{}, &UnknownUnitError{
		Symbol:      symbol,
		Reason:      reason,
		Suggestions: suggest(symbol),
	}
}

// ParseQuantity reads a NeuroML-style quantity such as "-70mV", "0.2 nA",
// "1e-3 s" or "3" (dimensionless): a number, optional spaces, a unit
// symbol. It returns the number as written (not converted) and the unit.
func ParseQuantity(s string) (float64, Unit, error) {
	s = strings.TrimSpace(s)
	n := numberPrefixLen(s)
	if n == 0 {
		return 0, Unit{}, fmt.Errorf("quantity %q does not start with a number", s)
	}
	v, err := strconv.ParseFloat(s[:n], 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, Unit{}, fmt.Errorf("quantity %q: %q is not a finite number", s, s[:n])
	}
	u, err := Parse(s[n:])
	if err != nil {
		return 0, Unit{}, fmt.Errorf("quantity %q: %w", s, err)
	}
	return v, u, nil
}

// numberPrefixLen returns the length of the decimal number at the start of
// s. An exponent is taken only when digits follow the "e", so "2e" is the
// number 2 in the unit e (elementary charges), not a broken exponent.
func numberPrefixLen(s string) int {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			i = j
		}
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// baseUnit is a unit the grammar can prefix and combine. Its scale is
// factor * 10^decimalExponent; keeping the power of ten as an integer lets
// compose add prefixes and powers exactly and round only once at the end.
type baseUnit struct {
	dim             Dimension
	decimalExponent int
	factor          float64 // 1 except for min and hour
	prefixes        string  // the prefixes this unit takes; see below
}

// Prefix sets. Uppercase M, G and T are allowed only where physiology uses
// them (Mohm, MHz): on any other unit they are far more likely a slip of
// the shift key than an intent ("MV" for mV, "Ms" for ms, "MS" for mS),
// and a mega-unit that parses would be silently wrong by a factor of 10^9.
// For the same reason ohm and Hz take no milli: "mohm" next to "Mohm".
const (
	smallPrefixes = "k c d m u \u00b5 \u03bc n p f a"
	largePrefixes = "k M G T"
)

// baseUnits are the units the grammar knows. degC and e are deliberately
// absent: degC has an offset, so a product or quotient with it has no
// meaning (use K), and e is a constant rather than a unit to compose with.
var baseUnits = map[string]baseUnit{
	"s":     {dim: Time, factor: 1, prefixes: smallPrefixes},
	"min":   {dim: Time, factor: 60},
	"hour":  {dim: Time, factor: 3600},
	"Hz":    {dim: PerTime, factor: 1, prefixes: largePrefixes},
	"m":     {dim: Length, factor: 1, prefixes: smallPrefixes},
	"g":     {dim: Mass, decimalExponent: -3, factor: 1, prefixes: smallPrefixes},
	"A":     {dim: Current, factor: 1, prefixes: smallPrefixes},
	"K":     {dim: Temperature, factor: 1, prefixes: smallPrefixes},
	"mol":   {dim: Substance, factor: 1, prefixes: smallPrefixes},
	"cd":    {dim: Dimension{J: 1}, factor: 1, prefixes: smallPrefixes},
	"V":     {dim: Voltage, factor: 1, prefixes: smallPrefixes},
	"S":     {dim: Conductance, factor: 1, prefixes: smallPrefixes},
	"F":     {dim: Capacitance, factor: 1, prefixes: smallPrefixes},
	"ohm":   {dim: Resistance, factor: 1, prefixes: largePrefixes},
	"C":     {dim: Charge, factor: 1, prefixes: smallPrefixes},
	"J":     {dim: Dimension{M: 1, L: 2, T: -2}, factor: 1, prefixes: smallPrefixes},
	"W":     {dim: Dimension{M: 1, L: 2, T: -3}, factor: 1, prefixes: smallPrefixes},
	"N":     {dim: Dimension{M: 1, L: 1, T: -2}, factor: 1, prefixes: smallPrefixes},
	"M":     {dim: Concentration, decimalExponent: 3, factor: 1, prefixes: smallPrefixes},
	"L":     {dim: Volume, decimalExponent: -3, factor: 1, prefixes: smallPrefixes},
	"litre": {dim: Volume, decimalExponent: -3, factor: 1, prefixes: smallPrefixes},
	// Radians are dimensionless in SI; the symbol is accepted so that TVBO's
	// phase models (rad, rad_per_ms) read as written.
	"rad": {dim: None, factor: 1, prefixes: smallPrefixes},
}

// prefixExponent gives each SI prefix the grammar knows its power of ten.
// "u" is the ASCII spelling NeuroML uses for micro; the micro sign (U+00B5)
// and Greek mu (U+03BC) are accepted too. Hecto and deca are left out
// (nobody writes them for these quantities, and "h" would make "hour"
// ambiguous), as are the prefixes beyond tera and atto.
var prefixExponent = map[string]int{
	"T": 12, "G": 9, "M": 6, "k": 3, "c": -2, "d": -1, "m": -3,
	"u": -6, "\u00b5": -6, "\u03bc": -6, "n": -9, "p": -12, "f": -15, "a": -18,
}

// takesPrefix reports whether base accepts prefix p.
func (b baseUnit) takesPrefix(p string) bool {
	for _, q := range strings.Fields(b.prefixes) {
		if q == p {
			return true
		}
	}
	return false
}

// compose reads symbol with the grammar of Parse. It returns the unit, or
// a non-empty reason saying why the symbol is not a unit.
func compose(symbol string) (Unit, string) {
	if symbol == "" {
		return Unit{Symbol: "", Dim: None, Scale: 1}, ""
	}
	if strings.ContainsAny(symbol, "/*.√") {
		underscored, reason := underscoreForm(symbol)
		if reason != "" {
			return Unit{}, reason
		}
		u, reason := compose(underscored)
		u.Symbol = symbol
		return u, reason
	}
	if strings.ContainsAny(symbol, " \t") {
		return Unit{}, `unit symbols use "_" for products and "per_" for division, as in "mS_per_cm2"`
	}
	var exps [7]int
	decimal := 0
	factor := 1.0
	invertNext := false
	for _, part := range strings.Split(symbol, "_") {
		switch {
		case part == "":
			return Unit{}, `empty part between "_" separators`
		case part == "per":
			if invertNext {
				return Unit{}, `"per" twice in a row`
			}
			invertNext = true
			continue
		case part == "degC":
			return Unit{}, "degC has an offset (0 degC is 273.15 K) and cannot be combined with other units; use K"
		}
		base, scaleDecimal, power, reason := readFactor(part)
		if reason != "" {
			return Unit{}, reason
		}
		if invertNext {
			power = -power
			invertNext = false
		}
		for i, e := range base.dim.exponents() {
			exps[i] += int(e) * power
		}
		decimal += scaleDecimal * power
		factor *= intPow(base.factor, power)
	}
	if invertNext {
		return Unit{}, `"per" must be followed by a unit`
	}
	var dimExps [7]int8
	for i, e := range exps {
		if e < -128 || e > 127 {
			return Unit{}, "exponent out of range"
		}
		dimExps[i] = int8(e)
	}
	scale := factor * powerOfTen(decimal)
	if scale == 0 || math.IsInf(scale, 0) {
		return Unit{}, "scale out of the float64 range"
	}
	return Unit{Symbol: symbol, Dim: dimensionFromExponents(dimExps), Scale: scale}, ""
}

// underscoreForm rewrites the algebraic spelling of a unit that TVBO's
// database writes (SymPy's and pint's: "mV/ms", "mV*ms^-1", "mol.m**-3",
// "mMol/m**3") in the "_" grammar of Parse: factors joined by "*" or "."
// multiply, "/" divides by the one factor after it (Python reads a/b*c as
// (a/b)*c), and "**n" is "^n". Parentheses and fractional powers have no
// such reading; the reason says so.
func underscoreForm(symbol string) (string, string) {
	if strings.Contains(symbol, "√") {
		return "", "a square root of a unit is a fractional power, which no unit here has: write the quantity in a unit with whole powers"
	}
	if strings.ContainsAny(symbol, "()") {
		return "", `parentheses in a unit written with "*" or "/" are not read: write it with "_" and "per_", as in "mS_per_cm2"`
	}
	s := strings.ReplaceAll(symbol, "**", "^")
	var parts []string
	divide := false
	start := 0
	flush := func(end int) string {
		f := strings.TrimSpace(s[start:end])
		if f == "" {
			return fmt.Sprintf("%q has an empty factor", symbol)
		}
		if strings.ContainsAny(f, " \t_") {
			return fmt.Sprintf("%q: factor %q is not one unit", symbol, f)
		}
		if f == "1" && !divide && len(parts) == 0 {
			return "" // "1/ms" is per_ms
		}
		if divide {
			parts = append(parts, "per")
		}
		parts = append(parts, f)
		return ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '*' && c != '/' && c != '.' {
			continue
		}
		// A "." inside a number (a power such as ^-1.5) is not a product.
		if c == '.' && i > 0 && isDigit(s[i-1]) && i+1 < len(s) && isDigit(s[i+1]) {
			continue
		}
		if reason := flush(i); reason != "" {
			return "", reason
		}
		divide = c == '/'
		start = i + 1
	}
	if reason := flush(len(s)); reason != "" {
		return "", reason
	}
	return strings.Join(parts, "_"), ""
}

// unitNames are spelled-out unit names, lower case, with the symbol each
// stands for; prefixNames likewise for the prefixes. TVBO's database writes
// "Millivolt", "Kilohertz", "umeter" and "mMol".
var (
	unitNames = map[string]string{
		"second": "s", "hertz": "Hz", "meter": "m", "metre": "m", "gram": "g",
		"ampere": "A", "kelvin": "K", "mole": "mol", "mol": "mol", "volt": "V",
		"siemens": "S", "farad": "F", "ohm": "ohm", "coulomb": "C", "joule": "J",
		"watt": "W", "newton": "N", "molar": "M", "liter": "L", "litre": "L",
		"radian": "rad",
	}
	prefixNames = map[string]string{
		"tera": "T", "giga": "G", "mega": "M", "kilo": "k", "centi": "c", "deci": "d",
		"milli": "m", "micro": "u", "nano": "n", "pico": "p", "femto": "f", "atto": "a",
	}
)

// unitFromName reads a unit name written out ("Millivolt", "kilohertz"), or
// a prefix symbol before a spelled-out name ("umeter", "mMol"), and
// returns its symbol. Names are matched without regard to case; a prefix
// symbol keeps its case, so "Mmeter" is a megametre.
func unitFromName(name string) (string, bool) {
	lower := strings.ToLower(name)
	if sym, ok := unitNames[lower]; ok {
		return sym, true
	}
	for full, p := range prefixNames {
		if rest, ok := strings.CutPrefix(lower, full); ok {
			if sym, ok := unitNames[rest]; ok {
				return p + sym, true
			}
		}
	}
	if r, size := utf8.DecodeRuneInString(name); size < len(name) {
		if _, ok := prefixExponent[string(r)]; ok {
			if sym, ok := unitNames[strings.ToLower(name[size:])]; ok {
				return string(r) + sym, true
			}
		}
	}
	return "", false
}

// readFactor reads one factor such as "cm2", "m^2", "(pC)^-1" or "kohm".
// It returns the base unit, the factor's power of ten before the power is
// applied (prefix plus base), and the power.
func readFactor(part string) (baseUnit, int, int, string) {
	name, power := part, 1
	if i := strings.IndexByte(part, '^'); i >= 0 {
		p, err := strconv.Atoi(part[i+1:])
		if err != nil {
			return baseUnit{}, 0, 0, fmt.Sprintf("%q: the power after \"^\" must be an integer", part)
		}
		name, power = part[:i], p
		if strings.HasPrefix(name, "(") && strings.HasSuffix(name, ")") {
			name = name[1 : len(name)-1]
		}
	} else if j := strings.LastIndexFunc(part, func(r rune) bool { return r < '0' || r > '9' }); j+1 < len(part) {
		// Trailing digits are a power, as in NeuroML's cm2 and um3.
		if j < 0 {
			return baseUnit{}, 0, 0, fmt.Sprintf("%q is a number, not a unit", part)
		}
		p, err := strconv.Atoi(part[j+1:])
		if err != nil {
			return baseUnit{}, 0, 0, fmt.Sprintf("%q: power out of range", part)
		}
		name, power = part[:j+1], p
	}
	if power == 0 {
		return baseUnit{}, 0, 0, fmt.Sprintf("%q: a power of zero is not a unit", part)
	}
	if power < -127 || power > 127 {
		return baseUnit{}, 0, 0, fmt.Sprintf("%q: power out of range", part)
	}
	if b, ok := baseUnits[name]; ok {
		return b, b.decimalExponent, power, ""
	}
	// Every prefix is one character, so the split is unique.
	if r, size := utf8.DecodeRuneInString(name); r != utf8.RuneError && size < len(name) {
		p := string(r)
		exp, isPrefix := prefixExponent[p]
		b, isBase := baseUnits[name[size:]]
		if isPrefix && isBase {
			if !b.takesPrefix(p) {
				return baseUnit{}, 0, 0, fmt.Sprintf("%q: %s does not take the prefix %s", part, name[size:], p)
			}
			return b, exp + b.decimalExponent, power, ""
		}
	}
	if sym, ok := unitFromName(name); ok && sym != name {
		if b, exp, _, reason := readFactor(sym); reason == "" {
			return b, exp, power, ""
		}
	}
	if !utf8.ValidString(name) {
		return baseUnit{}, 0, 0, fmt.Sprintf("%q is not valid UTF-8", name)
	}
	return baseUnit{}, 0, 0, fmt.Sprintf("%q is not a unit symbol", part)
}

// intPow returns x^n for a small integer n by repeated multiplication,
// which is exact for the integer factors (60, 3600) of min and hour.
func intPow(x float64, n int) float64 {
	if x == 1 {
		return 1
	}
	r := 1.0
	for range abs(n) {
		r *= x
	}
	if n < 0 {
		return 1 / r
	}
	return r
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// powerOfTen returns the float64 nearest 10^n, exactly the value of the Go
// literal 1e<n>: the decimal string is rounded once by strconv, whereas
// multiplying or dividing by 10 repeatedly can round at every step.
func powerOfTen(n int) float64 {
	v, _ := strconv.ParseFloat("1e"+strconv.Itoa(n), 64)
	return v
}
