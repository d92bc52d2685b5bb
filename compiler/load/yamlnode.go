package load

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/expr"
	yaml "go.yaml.in/yaml/v3"
)

// reader walks yaml.Nodes of one file, turning them into AST values and
// collecting every mistake with its position.
type reader struct {
	file string
	errs diag.List
	// badNames are the declared names refused as names ("x·y"): their
	// uses in equations are not reported again (exprError)
	badNames []string
	// withUnknownKeys marks mappings that had a misspelt key, so a
	// "missing key" error does not follow the "unknown key" one.
	withUnknownKeys map[*yaml.Node]bool
	// merging holds the mappings whose merge keys (<<) are being
	// expanded, so an alias cycle is an error instead of endless recursion.
	merging map[*yaml.Node]bool
	// depth counts nested dynamics, which an alias can make circular.
	depth int
	// funcs are the functions the model being read declares (its
	// functions: section); expressions may call them, and they are
	// inlined where they are called.
	funcs map[string]*expr.UserFunc
	// inert are the keys accepted without effect (see section), for
	// tvboc check -v.
	inert []MetadataKey
}

// maxDynamicsDepth bounds component nesting (cell -> channel -> gate ->
// rate is 4); deeper means an alias cycle or a mistake.
const maxDynamicsDepth = 32

// missing reports a required key that is absent, unless the mapping had
// an unknown key (most likely the same key, misspelt).
func (r *reader) missing(n *yaml.Node, format string, args ...any) *diag.Error {
	if r.withUnknownKeys[resolveAlias(n)] {
		return &diag.Error{}
	}
	return r.errorf(n, format, args...)
}

func (r *reader) pos(n *yaml.Node) diag.Pos {
	if n == nil {
		return diag.Pos{File: r.file}
	}
	return diag.Pos{File: r.file, Line: n.Line, Col: n.Column}
}

func (r *reader) errorf(n *yaml.Node, format string, args ...any) *diag.Error {
	e := diag.Errorf(r.pos(n), format, args...)
	r.errs = append(r.errs, e)
	return e
}

// resolveAlias follows YAML aliases so anchors work like copies.
func resolveAlias(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing (null)"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

// entry is one key/value pair of a mapping.
type entry struct {
	key   string
	keyN  *yaml.Node
	value *yaml.Node
}

// mapping returns the entries of a mapping node in document order, or
// reports that the node is not a mapping. what names the thing for the
// message ("the network section").
func (r *reader) mapping(n *yaml.Node, what string) ([]entry, bool) {
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		if n != nil && n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return nil, true // an empty section is an empty mapping
		}
		r.errorf(n, "%s must be a mapping (key: value lines), got %s", what, kindName(n))
		return nil, false
	}
	var out []entry
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolveAlias(n.Content[i]), n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" {
			// merge key: splice the referenced mapping's entries in
			target := resolveAlias(v)
			if r.merging[target] {
				r.errorf(k, "%s: the merge key (<<) refers back to a mapping it is part of", what).
					Hint = "an anchor cannot merge into itself"
				continue
			}
			if r.merging == nil {
				r.merging = map[*yaml.Node]bool{}
			}
			r.merging[n] = true
			r.merging[target] = true
			if sub, ok := r.mapping(v, what); ok {
				out = append(out, sub...)
			}
			delete(r.merging, target)
			delete(r.merging, n)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			r.errorf(k, "%s: keys must be plain names", what)
			continue
		}
		if prev, dup := seen[k.Value]; dup {
			r.errorf(k, "duplicate key %q in %s (first at line %d)", k.Value, what, prev.Line)
			continue
		}
		seen[k.Value] = k
		out = append(out, entry{key: k.Value, keyN: k, value: v})
	}
	return out, true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sorted(list []string) []string {
	c := append([]string(nil), list...)
	sort.Strings(c)
	return c
}

// suggest returns "; did you mean X?" for the closest known name.
func suggest(name string, known []string) string {
	if c := diag.Closest(name, known); c != "" {
		return fmt.Sprintf("; did you mean %q?", c)
	}
	return ""
}

// str reads a scalar as a string.
func (r *reader) str(n *yaml.Node, what string) ast.Str {
	n = resolveAlias(n)
	if n == nil {
		return ast.Str{}
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		r.errorf(n, "%s must be a single value, got %s", what, kindName(n))
		return ast.Str{Pos: r.pos(n)}
	}
	return ast.Str{Value: n.Value, Pos: r.pos(n)}
}

// num reads a scalar as a number; a quoted or non-numeric string is an
// error, because a string where a number belongs is almost always a slip.
func (r *reader) num(n *yaml.Node, what string) ast.Num {
	return r.number(n, what, false)
}

// bound reads a number that may be infinite: a bound such as a state's
// domain, where .inf means no bound. NaN is still refused.
func (r *reader) bound(n *yaml.Node, what string) ast.Num {
	return r.number(n, what, true)
}

func (r *reader) number(n *yaml.Node, what string, infOK bool) ast.Num {
	n = resolveAlias(n)
	if n == nil {
		return ast.Num{}
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		r.errorf(n, "%s must be a number, got %s", what, kindName(n))
		return ast.Num{Pos: r.pos(n)}
	}
	if n.Tag != "!!int" && n.Tag != "!!float" {
		if err := r.outOfRange(n, what); err {
			return ast.Num{Pos: r.pos(n)}
		}
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			if _, err := strconv.ParseFloat(n.Value, 64); err == nil {
				r.errs = append(r.errs, diag.Errorf(r.pos(n), "%s must be a number, got the string %q", what, n.Value).
					WithHint("remove the quotes"))
				return ast.Num{Pos: r.pos(n)}
			}
		}
		r.errorf(n, "%s must be a number, got %s", what, kindName(n))
		return ast.Num{Pos: r.pos(n)}
	}
	if v, err := parseYAMLNumber(n.Value); infOK && err == nil && math.IsInf(v, 0) {
		return ast.Num{Value: v, Pos: r.pos(n), Set: true}
	}
	v, ok := r.finite(n, what)
	if !ok {
		return ast.Num{Pos: r.pos(n)}
	}
	return ast.Num{Value: v, Pos: r.pos(n), Set: true}
}

// finite reads a YAML number and refuses NaN and the infinities: no value
// of an experiment may be one, and a NaN parameter would turn the whole
// run into NaN without a word.
func (r *reader) finite(n *yaml.Node, what string) (float64, bool) {
	v, err := parseYAMLNumber(n.Value)
	switch {
	case yaml11Differs(n.Value) != "":
		// 010 is 8 to PyYAML (YAML 1.1 octal), with which TVBO reads
		// its files, and 10 to YAML 1.2: it ran as 10 without a word
		r.errorf(n, "%s: %s", what, yaml11Differs(n.Value))
	case err != nil && !r.outOfRange(n, what):
		r.errorf(n, "%s: %q is not a number", what, n.Value)
	case err != nil:
	case math.IsNaN(v):
		r.errorf(n, "%s is NaN (%s): give a finite number", what, n.Value)
	case math.IsInf(v, 0):
		r.errorf(n, "%s is infinite (%s): give a finite number", what, n.Value)
	default:
		return v, true
	}
	return 0, false
}

// outOfRange reports (and says) that n is a number beyond float64, such
// as 1e309, which YAML leaves a string.
func (r *reader) outOfRange(n *yaml.Node, what string) bool {
	_, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		r.errorf(n, "%s: %s is beyond the range of numbers (about ±1.8e308, and no smaller than 5e-324 in magnitude apart from 0)", what, n.Value)
		return true
	}
	return false
}

// yaml11Differs says how YAML 1.1 (PyYAML, TVBO's reader) reads an
// integer written with a leading zero differently from YAML 1.2 ("010":
// octal 8, not 10; "089": a string), or "" when it does not ("07" is 7
// either way, "0.5" is no integer).
func yaml11Differs(s string) string {
	sign, d := "", strings.TrimLeft(s, "+")
	if strings.HasPrefix(d, "-") {
		sign, d = "-", d[1:]
	}
	if len(d) < 2 || d[0] != '0' || strings.Trim(d, "0123456789") != "" {
		return ""
	}
	decimal := sign + strings.TrimLeft(d, "0")
	if decimal == sign {
		decimal = "0"
	}
	oct, err := strconv.ParseInt(sign+d, 8, 64)
	switch {
	case err != nil:
		return fmt.Sprintf("%s has a leading zero, which YAML 1.1 (PyYAML, TVBO's reader) reads as text, not a number: write %s", s, decimal)
	case strconv.FormatInt(oct, 10) != decimal:
		return fmt.Sprintf("%s is %d in YAML 1.1 (octal: PyYAML, TVBO's reader, reads it so) and %s in YAML 1.2: write %s, or %d if the octal is meant", s, oct, decimal, decimal, oct)
	}
	return ""
}

// parseYAMLNumber accepts YAML 1.2 numbers, including .inf and 0x forms.
func parseYAMLNumber(s string) (float64, error) {
	switch strings.ToLower(strings.TrimLeft(s, "+")) {
	case ".inf":
		return math.Inf(1), nil
	case "-.inf":
		return math.Inf(-1), nil
	case ".nan":
		return math.NaN(), nil
	}
	if v, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64); err == nil {
		return v, nil
	}
	i, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 0, 64)
	return float64(i), err
}

func (r *reader) boolean(n *yaml.Node, what string) *bool {
	n = resolveAlias(n)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		r.errorf(n, "%s must be true or false, got %s", what, kindName(n))
		return nil
	}
	v := n.Value == "true" || n.Value == "True" || n.Value == "TRUE"
	return &v
}

// exprAt parses an equation scalar. The position is moved past an opening
// quote so error columns point at the character inside the equation.
func (r *reader) exprAt(n *yaml.Node, what string, number bool) *ast.Expr {
	n = resolveAlias(n)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		r.errorf(n, "%s must be an equation string, got %s", what, kindName(n))
		return nil
	}
	pos := r.pos(n)
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		pos = pos.Shift(1)
	}
	e := &ast.Expr{Src: n.Value, Pos: pos}
	if n.Tag == "!!int" || n.Tag == "!!float" {
		// a YAML number (0x10, 1_000, .5) is that number, not an equation
		v, ok := r.finite(n, what)
		if !ok {
			return nil
		}
		e.Node = &expr.Num{Value: v, Text: strconv.FormatFloat(v, 'g', -1, 64)}
		return e
	}
	var node expr.Node
	var err error
	if len(r.funcs) > 0 {
		if node, err = expr.ParseWith(n.Value, r.funcs); err == nil {
			node, err = expr.Inline(node, r.funcs)
		}
		if ee, ok := err.(*expr.EvalError); ok {
			r.errs = append(r.errs, diag.Errorf(e.PosOf(ee.P), "%s: %s in %q", what, ee.Msg, e.Src))
			return nil
		}
	} else {
		node, err = expr.Parse(n.Value)
	}
	if err == nil {
		node, err = expr.Settle(n.Value, node)
	}
	if err != nil {
		r.exprError(e, what, err)
		return nil
	}
	if number {
		node = expr.AsNumber(node)
	}
	e.Node = node
	if !r.piecewiseDefined(e, what) {
		return nil
	}
	return e
}

// piecewiseDefined refuses a Piecewise of e without a default branch
// whose conditions are not known to cover every case (expr.Exhaustive):
// where none holds its value would be undefined, NaN at run time.
func (r *reader) piecewiseDefined(e *ast.Expr, what string) bool {
	ok := true
	expr.Inspect(e.Node, func(n expr.Node) bool {
		if c, isCall := n.(*expr.Call); ok && isCall && c.Func == "Piecewise" && !expr.Exhaustive(c.Args) {
			r.errs = append(r.errs, diag.Errorf(e.PosOf(c.P), "%s: Piecewise has no default branch, and its conditions may all be false: its value would then be undefined (NaN) in %q", what, e.Src))
			r.errs[len(r.errs)-1].Hint = "add a last branch (value, True) for the value when no condition holds"
			ok = false
		}
		return ok
	})
	return ok
}

func (r *reader) exprError(e *ast.Expr, what string, err error) {
	if pe, ok := err.(*expr.Error); ok {
		for _, bad := range r.badNames {
			// the use of a name refused where it is declared ("x·y"):
			// that message is the one mistake's
			for at := 0; ; {
				i := strings.Index(e.Src[at:], bad)
				if i < 0 {
					break
				}
				if at+i <= pe.Offset && pe.Offset < at+i+len(bad) {
					return
				}
				at += i + 1
			}
		}
		d := diag.Errorf(e.PosOf(expr.Pos(pe.Offset)), "%s: %s in %q", what, pe.Msg, e.Src)
		if fn, ok := strings.CutPrefix(pe.Msg, "unknown function "); ok {
			d.Hint = diag.Suggest(strings.Trim(fn, `"`), functionNames(), "functions")
		}
		r.errs = append(r.errs, d)
		return
	}
	r.errs = append(r.errs, diag.Errorf(e.Pos, "%s: %v", what, err))
}

// functionNames lists the functions equations may call, for hints.
func functionNames() []string {
	names := make([]string, 0, len(expr.Funcs))
	for name := range expr.Funcs {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// namedEntries reads a LinkML multivalued slot of named items, which TVBO
// writes either as a mapping by name or as a list: of one-key mappings
// ("- a_E: {value: 310}") or of items with a name ("- {name: a_E, value:
// 310}").
func (r *reader) namedEntries(n *yaml.Node, what string) ([]entry, bool) {
	v := resolveAlias(n)
	if v == nil || v.Kind != yaml.SequenceNode {
		return r.mapping(n, what)
	}
	var out []entry
	for _, item := range v.Content {
		it := resolveAlias(item)
		switch {
		case it != nil && it.Kind == yaml.MappingNode && len(it.Content) == 2 && it.Content[0].Value != "name":
			out = append(out, entry{key: it.Content[0].Value, keyN: it.Content[0], value: it.Content[1]})
		case it != nil && it.Kind == yaml.MappingNode && child(it, "name") != nil:
			name := child(it, "name")
			out = append(out, entry{key: name.Value, keyN: name, value: it})
		default:
			r.errorf(item, "%s: each item names one entry, as in \"- a: {value: 1}\" or \"- {name: a, value: 1}\"", what)
			return nil, false
		}
	}
	return out, true
}

// declare checks a name the experiment declares for equations to use (a
// parameter, state or derived variable, an input), where it is declared:
// it must be a name an equation can spell (letters, digits and _, not
// starting with a digit: "x-1", "1x" and "my x" are not), and it must not
// hide the time t or a function. Constants (pi, E) may be shadowed, as in
// TVB's Wilson-Cowan model, whose state is E.
func (r *reader) declare(e entry, what string) bool {
	return r.declareName(e, what, false)
}

// declareDerived is declare for a derived variable, which may be named t:
// LEMS components define a time constant t that their equations read in
// place of time (NeuroML's Ex24), and the compiler scopes it so.
func (r *reader) declareDerived(e entry, what string) bool {
	return r.declareName(e, what, true)
}

func (r *reader) declareName(e entry, what string, tOK bool) bool {
	name := e.key
	if !expr.IsName(name) {
		r.badNames = append(r.badNames, name)
		r.errorf(e.keyN, "%s is not a name equations can use: names are letters, digits and _, and do not start with a digit", what).
			Hint = "rename it, e.g. " + suggestName(name)
		return false
	}
	if name == "t" && !tOK {
		r.errorf(e.keyN, "%s would hide the time t, which every equation reads as time", what).Hint = "rename it"
		return false
	}
	if _, fn := expr.Funcs[name]; fn || name == "True" || name == "False" {
		r.errorf(e.keyN, "%s has the name of a built-in function or constant of the equations", what).Hint = "rename it"
		return false
	}
	return true
}

// suggestName turns "my x" or "x-1" into "my_x", "x_1", and "1x" into "_1x".
func suggestName(s string) string {
	var b strings.Builder
	for i, c := range s {
		switch {
		case c == '_' || unicode.IsLetter(c) || unicode.IsDigit(c) && i > 0:
			b.WriteRune(c)
		case unicode.IsDigit(c):
			b.WriteString("_")
			b.WriteRune(c)
		default:
			b.WriteString("_")
		}
	}
	return b.String()
}
