package runtime

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"
)

// Param is a free parameter of a generated program: one the compiler kept
// as a run-time input instead of folding it to a constant, so that --set
// and --sweep can change it without recompiling.
//
// Values on the command line and in sweep files are in Unit, the unit the
// parameter was written in in the experiment file (e.g. mV for
// `thresh: {value: 30, unit: mV}`); the kernel receives value*Scale, the
// number its equations expect.
type Param struct {
	// Name is "<dynamics>.<parameter>", e.g. "izBurst.a".
	Name string
	// Unit is the unit of Default and of user-given values, as written in
	// the experiment; "" for a dimensionless number.
	Unit string
	// Default is the value written in the experiment, in Unit.
	Default float64
	// Scale converts a value in Unit to the kernel's unit system.
	Scale float64
	// SIUnit is the SI symbol of the parameter's dimension ("V", "s"), so
	// that a value may also be written with another prefix of it
	// ("0.03V", "30000uV"); "" when values take no unit suffix.
	SIUnit string
	// SIScale converts a value in Unit to SIUnit (1e-3 for mV).
	SIScale float64
	// Positive says the value must be greater than zero (time constants,
	// capacitances): the equations divide by it or integrate with it.
	Positive bool
}

// validateParams reports the first thing wrong with a generated program's
// parameter table; like Info.Validate it only guards against generator
// bugs.
func validateParams(params []Param) error {
	seen := map[string]bool{}
	for i, p := range params {
		if p.Name == "" || strings.IndexFunc(p.Name, func(r rune) bool { return unicode.IsSpace(r) || r == '=' || r == ',' }) >= 0 {
			return fmt.Errorf("parameter %d: bad name %q", i, p.Name)
		}
		if seen[p.Name] {
			return fmt.Errorf("parameter %q is listed twice", p.Name)
		}
		seen[p.Name] = true
		if p.Scale == 0 || math.IsNaN(p.Scale) || math.IsInf(p.Scale, 0) {
			return fmt.Errorf("parameter %q: scale %v, want a finite non-zero number", p.Name, p.Scale)
		}
		if err := checkParamValue(p, p.Default); err != nil {
			return fmt.Errorf("default of %w", err)
		}
	}
	return nil
}

// paramIndex returns the position of the parameter called name, or an
// error that lists the free parameters (the usual mistake is a typo or a
// parameter that was folded at compile time).
func paramIndex(params []Param, name string) (int, error) {
	for i, p := range params {
		if p.Name == name {
			return i, nil
		}
	}
	// a name without its owner (C for ModelJansen1995.C): the free
	// parameter it means, when only one ends so
	var match []string
	for _, p := range params {
		if strings.HasSuffix(p.Name, "."+name) {
			match = append(match, p.Name)
		}
	}
	if len(match) == 1 {
		return -1, fmt.Errorf("%q is not a free parameter of this program: did you mean %s? (free parameters are named in full: %s)",
			name, match[0], freeNames(params))
	}
	return -1, fmt.Errorf("%q is not a free parameter of this program; free parameters: %s (others were fixed at compile time: recompile with tvboc compile --free %s)",
		name, freeNames(params), name)
}

// freeNames lists the parameter names for messages.
func freeNames(params []Param) string {
	if len(params) == 0 {
		return "none"
	}
	names := make([]string, len(params))
	for i, p := range params {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

// parseAssignment reads one --set argument, "name=value" with an optional
// unit after the number, and returns the parameter's index and the value
// in its Unit.
func parseAssignment(params []Param, arg string) (int, float64, error) {
	name, text, ok := strings.Cut(arg, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return -1, 0, fmt.Errorf("--set %q: want NAME=VALUE, e.g. --set %s=%s", arg, exampleName(params), exampleValue(params))
	}
	i, err := paramIndex(params, name)
	if err != nil {
		return -1, 0, err
	}
	v, err := parseParamValue(params[i], text)
	if err != nil {
		return -1, 0, err
	}
	return i, v, nil
}

func exampleName(params []Param) string {
	if len(params) == 0 {
		return "NAME"
	}
	return params[0].Name
}

func exampleValue(params []Param) string {
	if len(params) == 0 {
		return "1"
	}
	return strconv.FormatFloat(params[0].Default, 'g', -1, 64)
}

// siPrefixes are the prefixes a value's unit suffix may carry in front of
// the parameter's SI symbol. Both µ and u mean micro.
var siPrefixes = map[string]float64{
	"": 1, "f": 1e-15, "p": 1e-12, "n": 1e-9, "u": 1e-6, "µ": 1e-6, "m": 1e-3,
	"c": 1e-2, "k": 1e3, "M": 1e6, "G": 1e9,
}

// parseParamValue reads a value for p: a number in p.Unit ("30"), or a
// number followed by p.Unit or by a prefixed form of p.SIUnit ("30mV",
// "0.03 V"). The result is in p.Unit and checked with checkParamValue.
func parseParamValue(p Param, text string) (float64, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, fmt.Errorf("%s: no value given", p.Name)
	}
	numEnd := len(text)
	// strconv also reads Go's forms, hexadecimal floats (0x1p-6) and digits
	// split by _ (1_0), which no equation or YAML number of tvboc takes
	if v, err := strconv.ParseFloat(text, 64); err == nil && !strings.ContainsAny(text, "_xXpP") {
		return v, checkParamValue(p, v)
	}
	if t := strings.TrimLeft(text, "+-"); len(t) > 2 && t[0] == '0' && strings.ContainsRune("xXbBoO", rune(t[1])) {
		// not a number followed by the unit "x10"
		return 0, fmt.Errorf("%s: %q is a hexadecimal, binary or octal number: write it in decimal", p.Name, text)
	}
	// Split at the first letter that cannot belong to a number: the
	// exponent 'e' is part of the number only when digits follow it.
	for i, r := range text {
		if unicode.IsLetter(r) || r == 'µ' {
			if (r == 'e' || r == 'E') && i+1 < len(text) && strings.ContainsRune("0123456789+-", rune(text[i+1])) {
				continue
			}
			numEnd = i
			break
		}
	}
	number, suffix := strings.TrimSpace(text[:numEnd]), strings.TrimSpace(text[numEnd:])
	v, err := strconv.ParseFloat(number, 64)
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		return 0, fmt.Errorf("%s: %s is beyond the range of numbers (about ±1.8e308)", p.Name, number)
	}
	if err != nil || strings.Contains(number, "_") {
		return 0, fmt.Errorf("%s: %q is not a number", p.Name, text)
	}
	if suffix == "" {
		return v, checkParamValue(p, v)
	}
	factor, ok := unitFactor(p, suffix)
	if !ok {
		return 0, fmt.Errorf("%s: unit %q does not fit: %s", p.Name, suffix, unitAdvice(p))
	}
	v *= factor
	return v, checkParamValue(p, v)
}

// unitFactor returns the factor from suffix to p.Unit.
func unitFactor(p Param, suffix string) (float64, bool) {
	if suffix == p.Unit && p.Unit != "" {
		return 1, true
	}
	if p.SIUnit == "" || p.SIScale == 0 {
		return 0, false
	}
	prefix, ok := strings.CutSuffix(suffix, p.SIUnit)
	if !ok {
		return 0, false
	}
	f, ok := siPrefixes[prefix]
	if !ok {
		return 0, false
	}
	return f / p.SIScale, true
}

// unitAdvice says which units a parameter's values accept.
func unitAdvice(p Param) string {
	switch {
	case p.Unit == "" && p.SIUnit == "":
		return "the parameter is dimensionless; write a plain number"
	case p.SIUnit == "":
		return fmt.Sprintf("write a plain number in %s or append %s", p.Unit, p.Unit)
	}
	return fmt.Sprintf("write a plain number in %s, or append a unit such as %s or m%s", displayUnit(p.Unit), p.SIUnit, p.SIUnit)
}

// checkParamValue rejects values no simulation can use: NaN and infinities
// always, and zero or negative values of a parameter marked Positive.
func checkParamValue(p Param, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("%s = %v: want a finite number", p.Name, v)
	}
	if p.Positive && v <= 0 {
		return fmt.Errorf("%s = %s: want a value greater than 0", p.Name, formatParamValue(p, v))
	}
	return nil
}

// formatParamValue prints a value with its unit: "30 mV", "0.02".
func formatParamValue(p Param, v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if p.Unit != "" {
		s += " " + p.Unit
	}
	return s
}

func displayUnit(u string) string {
	if u == "" {
		return "(dimensionless)"
	}
	return u
}

// defaultValues returns every parameter's default, in its Unit.
func defaultValues(params []Param) []float64 {
	values := make([]float64, len(params))
	for i, p := range params {
		values[i] = p.Default
	}
	return values
}

// kernelValues converts values in the parameters' Units to what the kernel
// expects.
func kernelValues(params []Param, values []float64) []float64 {
	out := make([]float64, len(values))
	for i, v := range values {
		out[i] = v * params[i].Scale
	}
	return out
}

// ParamsText is the --params listing: every free parameter with its
// default and the unit its values are given in.
func ParamsText(params []Param) string {
	var b strings.Builder
	if len(params) == 0 {
		b.WriteString("This program has no free parameters: every value was fixed at compile time.\n")
		return b.String()
	}
	var raw strings.Builder
	table := tabwriter.NewWriter(&raw, 0, 0, 2, ' ', 0)
	fmt.Fprintln(table, "NAME\tDEFAULT\tUNIT\t")
	for _, p := range params {
		note := ""
		if p.Positive {
			note = "must be > 0"
		}
		fmt.Fprintf(table, "%s\t%s\t%s\t%s\n", p.Name, strconv.FormatFloat(p.Default, 'g', -1, 64), displayUnit(p.Unit), note)
	}
	table.Flush()
	for _, line := range strings.SplitAfter(raw.String(), "\n") {
		b.WriteString(strings.TrimRight(strings.TrimSuffix(line, "\n"), " "))
		if strings.HasSuffix(line, "\n") {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// errNoParams is returned for --set and --sweep on a program without free
// parameters.
var errNoParams = errors.New("this program has no free parameters: recompile with tvboc compile --free NAME,... to make parameters settable")
