package units

import (
	"sort"
	"strings"
)

// maxSuggestions bounds the "did you mean" list; more than three choices
// stop being a hint.
const maxSuggestions = 3

// spelledOut maps long or foreign spellings people write for a unit to the
// symbol NeuroML uses, for suggestions only: Parse does not accept them,
// so that every file spells a unit one way.
var spelledOut = map[string]string{
	"sec": "s", "secs": "s", "second": "s", "seconds": "s",
	"msec": "ms", "msecs": "ms", "millisecond": "ms", "milliseconds": "ms",
	"usec": "us", "microsecond": "us", "microseconds": "us",
	"minute": "min", "minutes": "min", "h": "hour", "hr": "hour", "hours": "hour",
	"volt": "V", "volts": "V", "millivolt": "mV", "millivolts": "mV",
	"amp": "A", "ampere": "A", "amperes": "A",
	"siemens": "S", "farad": "F", "coulomb": "C",
	"ohms": "ohm", "kohms": "kohm", "Mohms": "Mohm", "Ω": "ohm", "kΩ": "kohm", "MΩ": "Mohm",
	"hz": "Hz", "khz": "kHz", "per_sec": "per_s", "per_msec": "per_ms",
	"celsius": "degC", "degreeC": "degC", "deg_C": "degC", "°C": "degC", "C°": "degC",
	"kelvin": "K", "molar": "M", "mmol_per_l": "mM", "mmol_per_L": "mM",
	"l": "L", "liter": "litre", "liters": "litre", "litres": "litre",
	"radian": "rad", "radians": "rad",
	"unitless": "dimensionless", "-": "dimensionless",
}

// suggest returns known symbols close to an unknown one, best first.
func suggest(symbol string) []string {
	if s, ok := spelledOut[symbol]; ok {
		return []string{s}
	}
	// Slash and star notations ("mS/cm2", "1/ms", "nA*ms") rewritten to
	// NeuroML's spelling, offered when the rewrite parses.
	if strings.ContainsAny(symbol, "/*") {
		r := strings.TrimSpace(symbol)
		r = strings.ReplaceAll(r, " ", "")
		r = strings.ReplaceAll(r, "**", "^")
		if rest, ok := strings.CutPrefix(r, "1/"); ok {
			r = "per_" + rest
		}
		r = strings.ReplaceAll(r, "/", "_per_")
		r = strings.ReplaceAll(r, "*", "_")
		if _, reason := compose(r); reason == "" {
			return []string{r}
		}
	}
	type candidate struct {
		symbol        string
		foldDistance  int // distance ignoring case: "mv" is 0 from "mV"
		exactDistance int // tie-break: "MS" is closer to "mS" than to "ms"
		order         int // table order, so ties list common units first
	}
	// How many edits still count as a slip grows with the length: one edit
	// turns any one-letter symbol into any other, which is no hint.
	var limit int
	switch n := len([]rune(symbol)); {
	case n <= 1:
		limit = 0
	case n <= 3:
		limit = 1
	default:
		limit = 2
	}
	lowered := strings.ToLower(symbol)
	var found []candidate
	consider := func(known string, order int) {
		if known == "" || known == "1" {
			return
		}
		d := editDistance(lowered, strings.ToLower(known))
		if d <= limit {
			found = append(found, candidate{known, d, editDistance(symbol, known), order})
		}
	}
	for i, u := range namedUnits {
		consider(u.Symbol, i)
	}
	consider("dimensionless", len(namedUnits))
	sort.SliceStable(found, func(i, j int) bool {
		a, b := found[i], found[j]
		if a.foldDistance != b.foldDistance {
			return a.foldDistance < b.foldDistance
		}
		if a.exactDistance != b.exactDistance {
			return a.exactDistance < b.exactDistance
		}
		return a.order < b.order
	})
	var out []string
	for _, c := range found {
		if len(out) == maxSuggestions || c.foldDistance > found[0].foldDistance {
			break
		}
		out = append(out, c.symbol)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
