// Package diag holds source positions and the positioned error type every
// compiler stage reports user mistakes with: one message that names
// file:line:col and says how to fix it.
package diag

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Pos is a position in an input file. Line and Col are 1-based; a zero Pos
// means "unknown" (for example a value that came from a default).
type Pos struct {
	File string
	Line int
	Col  int
}

// IsValid reports whether the position names a place in a file.
func (p Pos) IsValid() bool { return p.Line > 0 }

// Shift returns the position n columns to the right, on the same line; it is
// used to point inside an expression string.
func (p Pos) Shift(n int) Pos {
	if !p.IsValid() {
		return p
	}
	p.Col += n
	return p
}

func (p Pos) String() string {
	switch {
	case p.File == "" && !p.IsValid():
		return "-"
	case !p.IsValid():
		return p.File
	case p.Col <= 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Error is a user mistake at a position. Msg says what is wrong; Hint, when
// set, says how to fix it.
type Error struct {
	Pos  Pos
	Msg  string
	Hint string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Pos.String())
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString(" (")
		b.WriteString(e.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// Errorf builds an *Error at pos.
func Errorf(pos Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: ShortenQuoted(fmt.Sprintf(format, args...))}
}

// quoted matches a Go-quoted string in a message (an equation's source,
// %q).
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// maxQuoted is the longest quoted text a message repeats whole: the
// position says where the mistake is, and a 200 KB equation repeated in
// its message helped nobody.
const maxQuoted = 240

// ShortenQuoted keeps the start and the end of each long quoted text of
// a message: every message tvboc prints goes through it, whoever made it
// (a manifest's header quoted whole was 11 KB of an ELF binary).
func ShortenQuoted(msg string) string {
	if len(msg) <= maxQuoted {
		return msg
	}
	return quoted.ReplaceAllStringFunc(msg, func(q string) string {
		if len(q) <= maxQuoted {
			return q
		}
		head, tail := q[:maxQuoted*2/3], q[len(q)-maxQuoted/4:]
		// keep whole characters: cut at rune starts
		for len(head) > 0 && !utf8.RuneStart(q[len(head)]) {
			head = head[:len(head)-1]
		}
		for len(tail) > 0 && !utf8.RuneStart(tail[0]) {
			tail = tail[1:]
		}
		return fmt.Sprintf("%s … (%d characters) … %s", head, len(q), tail)
	})
}

// WithHint returns a copy of e carrying a fix suggestion.
func (e *Error) WithHint(format string, args ...any) *Error {
	c := *e
	c.Hint = fmt.Sprintf(format, args...)
	return &c
}

// List collects several errors so a stage can report every mistake it found
// in one pass; its message lists them one per line, in input order. One
// mistake gives one line: an error repeated at the same place is dropped,
// errors that differ only in their numbers (the same mistake in node 1, 2,
// ..., 100000) are one line ending "(and 99,999 more like it)", and past
// MaxListed lines the rest are counted, not printed.
type List []*Error

// MaxListed is how many lines a List's message prints at most.
const MaxListed = 20

func (l List) Error() string {
	type group struct {
		first *Error
		more  int
	}
	var groups []*group
	byKey := map[string]*group{}
	seen := map[string]bool{}
	for _, e := range l {
		full := e.Error()
		if seen[full] {
			continue
		}
		seen[full] = true
		key := maskNumbers(e.Msg + "\x00" + e.Hint)
		if g := byKey[key]; g != nil {
			g.more++
			continue
		}
		g := &group{first: e}
		byKey[key] = g
		groups = append(groups, g)
	}
	var b strings.Builder
	for i, g := range groups {
		if i == MaxListed {
			rest := 0
			for _, g := range groups[i:] {
				rest += 1 + g.more
			}
			fmt.Fprintf(&b, "\nand %s more errors", Thousands(rest))
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(g.first.Error())
		if g.more > 0 {
			fmt.Fprintf(&b, " (and %s more like it)", Thousands(g.more))
		}
	}
	return b.String()
}

// maskNumbers replaces every run of digits by "#", so that messages about
// node 1 and node 2 group together.
func maskNumbers(s string) string {
	var b strings.Builder
	digits := false
	for _, r := range s {
		if r >= '0' && r <= '9' {
			if !digits {
				b.WriteByte('#')
			}
			digits = true
			continue
		}
		digits = false
		b.WriteRune(r)
	}
	return b.String()
}

// Thousands writes n with commas: 99,999.
func Thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Err returns nil for an empty list, the single error for one, and the list
// otherwise, so callers can return it directly.
func (l List) Err() error {
	switch len(l) {
	case 0:
		return nil
	case 1:
		return l[0]
	}
	return l
}

// Add appends err, flattening lists and wrapping plain errors without a
// position.
func (l *List) Add(err error) {
	if err == nil {
		return
	}
	var list List
	if errors.As(err, &list) {
		*l = append(*l, list...)
		return
	}
	var e *Error
	if errors.As(err, &e) {
		*l = append(*l, e)
		return
	}
	*l = append(*l, &Error{Msg: err.Error()})
}
