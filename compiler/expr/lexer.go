package expr

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The lexer is hand-written rather than built on go/scanner because Go's
// lexical rules differ from SymPy's in ways that would silently change an
// equation: "//" starts a Go comment (and would swallow the rest of the
// line), newlines insert semicolons, "010" is octal, and hex floats, digit
// separators and imaginary literals would be accepted. The language here
// is small enough that a lexer of its own costs less than working around
// those.

type tokenKind int

const (
	tokEOF tokenKind = iota
	tokNum
	tokIdent
	tokOp // operators and punctuation; text holds the spelling
)

type token struct {
	kind     tokenKind
	text     string
	off, end int // byte offsets of the token in the source
}

// describe names a token for error messages.
func (t token) describe() string {
	if t.kind == tokEOF {
		return "end of expression"
	}
	return fmt.Sprintf("%q", t.text)
}

// operators lists the multi-character operators before their prefixes so
// the longest spelling wins.
var operators = []string{
	"**", "<=", ">=", "==", "!=", "&&", "||",
	"+", "-", "*", "/", "%", "^", "(", ")", "[", "]", ",",
	"<", ">", "&", "|", "!", "~", "=", ";",
}

// lex splits src into tokens, ending with a tokEOF at len(src).
func lex(src string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(src) {
		r, size := utf8.DecodeRuneInString(src[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case isDigit(src[i]) || (src[i] == '.' && i+1 < len(src) && isDigit(src[i+1])):
			end, err := lexNumber(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{tokNum, src[i:end], i, end})
			i = end
		case isNameStart(r):
			end := i + size
			for end < len(src) {
				r, size := utf8.DecodeRuneInString(src[end:])
				if !isNamePart(r) {
					break
				}
				end += size
			}
			toks = append(toks, token{tokIdent, src[i:end], i, end})
			i = end
		default:
			op := matchOperator(src[i:])
			switch op {
			case "":
				if r == utf8.RuneError && size == 1 {
					return nil, newError(src, i, "invalid UTF-8 byte 0x%02x", src[i])
				}
				if op := operatorLookalike(r); op != "" {
					return nil, newError(src, i, "unexpected character %q: write %s", string(r), op)
				}
				return nil, newError(src, i, "unexpected character %q", string(r))
			case "&&":
				return nil, newError(src, i, `unexpected "&&": write "&" for logical and`)
			case "||":
				return nil, newError(src, i, `unexpected "||": write "|" for logical or`)
			}
			toks = append(toks, token{tokOp, op, i, i + len(op)})
			i += len(op)
		}
	}
	return append(toks, token{tokEOF, "", len(src), len(src)}), nil
}

func matchOperator(s string) string {
	for _, op := range operators {
		if len(s) >= len(op) && s[:len(op)] == op {
			return op
		}
	}
	return ""
}

// lexNumber scans a decimal literal starting at start: digits with an
// optional fraction and an optional exponent ("1", "1.5", ".5", "1.",
// "1e-3", "2.0E+5"). It returns the end offset.
func lexNumber(src string, start int) (int, error) {
	i := start
	if src[i] == '0' && i+1 < len(src) && strings.ContainsRune("xXbBoO", rune(src[i+1])) && i+2 < len(src) && isHexDigit(src[i+2]) {
		j := i + 2
		for j < len(src) && (isHexDigit(src[j]) || src[j] == '_') {
			j++
		}
		return 0, newError(src, start, "%q is a hexadecimal, binary or octal literal, which equations do not take: write the number in decimal", src[start:j])
	}
	for i < len(src) && isDigit(src[i]) {
		i++
	}
	if i < len(src) && src[i] == '.' {
		i++
		for i < len(src) && isDigit(src[i]) {
			i++
		}
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		j := i + 1
		if j < len(src) && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j >= len(src) || !isDigit(src[j]) {
			return 0, newError(src, start, "malformed number %q: exponent has no digits", src[start:j])
		}
		for j < len(src) && isDigit(src[j]) {
			j++
		}
		i = j
	}
	// "1.2.3" or "1.5e3.2" would otherwise lex as two numbers and be
	// reported as an implicit multiplication, which would mislead.
	if i < len(src) && src[i] == '.' {
		return 0, newError(src, start, "malformed number %q", src[start:i+1])
	}
	return i, nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHexDigit(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
