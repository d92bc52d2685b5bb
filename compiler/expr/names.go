package expr

import (
	"strings"
	"unicode"
)

// IsName reports whether s is a name an equation can spell: a letter or _
// first, then letters, digits and _. That is also what SymPy, which reads
// TVBO's equations, takes: Larter1999's m_∞ is refused by both.
func IsName(s string) bool {
	for i, r := range s {
		if !(i == 0 && isNameStart(r) || i > 0 && isNamePart(r)) {
			return false
		}
	}
	return s != ""
}

func isNameStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }

func isNamePart(r rune) bool { return isNameStart(r) || unicode.IsDigit(r) }

// operatorLookalike gives the spelling equations use for a non-ASCII
// symbol that reads as an operator ("*" for ×, from a formula pasted from
// a paper), or "" for any other character.
func operatorLookalike(r rune) string {
	for _, l := range lookalikes {
		if strings.ContainsRune(l.runes, r) {
			return l.op
		}
	}
	return ""
}

var lookalikes = []struct{ runes, op string }{
	{"×·⋅∗✕", `"*"`},
	{"÷∕", `"/"`},
	{"−‐‑–—", `"-"`},
	{"≤⩽", `"<="`},
	{"≥⩾", `">="`},
	{"≠", `"!="`},
	{"√", `"sqrt(x)"`},
	{"²", `"**2"`},
	{"³", `"**3"`},
}
