// Package diag holds source positions and the positioned error type every
// compiler stage reports user mistakes with: one message that names
// file:line:col and says how to fix it.
package diag

import (
	"errors"
	"fmt"
	"strings"
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
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// WithHint returns a copy of e carrying a fix suggestion.
func (e *Error) WithHint(format string, args ...any) *Error {
	c := *e
	c.Hint = fmt.Sprintf(format, args...)
	return &c
}

// List collects several errors so a stage can report every mistake it found
// in one pass; its message lists them one per line, in input order.
type List []*Error

func (l List) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
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
