package expr

import (
	"fmt"
	"unicode/utf8"
)

// Error is a syntax error in an expression. Offset is the byte offset of
// the offending spot in Src, Col its 1-based column counted in characters
// (a newline inside Src counts as one character).
type Error struct {
	Src    string
	Offset int
	Col    int
	Msg    string
}

// Error returns a short message like `col 7: unexpected ")"`; the caller
// prefixes the file and line the expression came from.
func (e *Error) Error() string { return fmt.Sprintf("col %d: %s", e.Col, e.Msg) }

func newError(src string, offset int, format string, args ...any) *Error {
	offset = max(0, min(offset, len(src)))
	return &Error{
		Src:    src,
		Offset: offset,
		Col:    utf8.RuneCountInString(src[:offset]) + 1,
		Msg:    fmt.Sprintf(format, args...),
	}
}

// EvalError is an error from Eval, at the position of the node that
// caused it (an unknown name, a Piecewise with no true branch, ...). It
// carries no column because Eval does not see the source text.
type EvalError struct {
	P   Pos
	Msg string
}

func (e *EvalError) Error() string { return e.Msg }
