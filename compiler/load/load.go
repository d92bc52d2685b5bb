// Package load reads TVBO documents (and the compiler's built-in
// component files, which use the same dynamics form) into the ast
// package's tree. Document is the one entry point: it tells the
// document's class from its root keys (an experiment, a study, a model,
// a network, a coupling function, an integrator, an atlas), picks an
// experiment's back end (node list, population, neural mass) and reads
// it. The keys each mapping may write come from TVBO's LinkML schema
// (package schema, generated from it); sections.go says what tvboc does
// with each and lists tvboc's own extensions. load checks shape only:
// keys, kinds, numbers, equation syntax. What names mean is resolve's job.
package load

import (
	"bytes"
	"fmt"
	"github.com/tvboc/tvboc/compiler/inputs"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/expr"
	yaml "go.yaml.in/yaml/v3"
)

// File reads and loads a node-list experiment file. The compiler and the
// CLI load through Document; File and the other per-form readers
// (Experiment, BrainExperiment, PopulationExperiment, ...) remain for the
// tests of later stages, which feed them one form directly.
func File(path string) (*ast.Experiment, error) { return fromFile(path, Experiment) }

// fromFile reads path and loads it with load; an unreadable file is a
// positioned error naming it.
func fromFile[T any](path string, load func(file string, data []byte) (T, error)) (T, error) {
	data, err := inputs.ReadFile(path)
	if err != nil {
		var zero T
		return zero, &diag.Error{Pos: diag.Pos{File: path}, Msg: fmt.Sprintf("cannot read the experiment: %v", unwrapPathError(err))}
	}
	return load(path, data)
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// parseDocument decodes exactly one YAML document.
func parseDocument(file string, data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, yamlError(file, data, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, diag.Errorf(diag.Pos{File: file, Line: extra.Line, Col: extra.Column},
			"the file holds more than one YAML document").WithHint("put one SimulationExperiment per file")
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, diag.Errorf(diag.Pos{File: file}, "the file is empty")
	}
	return doc.Content[0], nil
}

// yamlError turns the YAML library's "yaml: line N: msg" into a positioned
// error, finding what the library leaves out: the line of an unknown
// anchor, and the tab behind "found character that cannot start any
// token" (YAML indents with spaces only).
func yamlError(file string, data []byte, err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 0
	if n, _ := fmt.Sscanf(msg, "line %d:", &line); n == 1 {
		msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
	}
	if msg == "EOF" {
		return diag.Errorf(diag.Pos{File: file}, "the file is empty")
	}
	lines := strings.Split(string(data), "\n")
	pos := diag.Pos{File: file, Line: line}
	var anchor string
	if _, err := fmt.Sscanf(msg, "unknown anchor '%s referenced", &anchor); err == nil {
		anchor = strings.TrimSuffix(anchor, "'")
		for i, l := range lines {
			if j := strings.Index(l, "*"+anchor); j >= 0 {
				return diag.Errorf(diag.Pos{File: file, Line: i + 1, Col: j + 1}, "malformed YAML: the alias *%s refers to no anchor &%s defined before it", anchor, anchor).
					WithHint("define &%s first, or fix the name", anchor)
			}
		}
	}
	if line == 0 && (strings.Contains(msg, "UTF-8") || strings.Contains(msg, "control characters")) {
		// the reader's errors carry no line: find the byte
		for i, l := range lines {
			for j, r := range l {
				if r == utf8.RuneError || r < 0x20 && r != '\t' && r != '\r' || r == 0x7f {
					what := "a byte that is not UTF-8 text"
					if r != utf8.RuneError {
						what = fmt.Sprintf("the control character %U", r)
					}
					return diag.Errorf(diag.Pos{File: file, Line: i + 1, Col: j + 1}, "malformed YAML: %s", what).
						WithHint("save the file as UTF-8 text")
				}
			}
		}
	}
	if line == 0 && strings.Contains(msg, "mapping values are not allowed") {
		msg += " (a missing space after a colon, or a colon inside an unquoted string?)"
	}
	// a tab: on the error line, or failing that the first line indented
	// with one
	tabLine := -1
	if line > 0 && line <= len(lines) && strings.Contains(lines[line-1], "\t") {
		tabLine = line - 1
	} else if strings.Contains(msg, "cannot start any token") || strings.Contains(msg, "tab") {
		for i, l := range lines {
			if strings.HasPrefix(strings.TrimLeft(l, " "), "\t") {
				tabLine = i
				break
			}
		}
	}
	if tabLine >= 0 {
		col := strings.Index(lines[tabLine], "\t") + 1
		return diag.Errorf(diag.Pos{File: file, Line: tabLine + 1, Col: col}, "malformed YAML: a tab character here; YAML indents with spaces only").
			WithHint("replace the tab with spaces")
	}
	if line > 0 && contextLine(msg) {
		if k := problemLine(data, lines, line, msg); k > 0 {
			col := len(lines[k-1]) - len(strings.TrimLeft(lines[k-1], " ")) + 1
			pos = diag.Pos{File: file, Line: k, Col: col}
		}
	}
	return diag.Errorf(pos, "malformed YAML: %s", msg)
}

// contextLine tells the parser errors whose line is the one of the
// mapping or sequence being read, not of the line that broke it: "did not
// find expected key" for a stray word on line 8 said line 7.
func contextLine(msg string) bool {
	return strings.HasPrefix(msg, "did not find expected")
}

// problemLine finds the line that makes the parser fail with msg: the
// first k from line on such that the file's first k lines fail with the
// same message (the lines before it parse). The prefixes that fail are
// the longer ones, so it is found by bisection over at most
// maxProblemScan lines (a scan parsed the file up to 200 times, and made
// the loader's fuzzing six times slower), and checked: 0 when the
// prefixes do not behave so, or none fails.
func problemLine(data []byte, lines []string, line int, msg string) int {
	ends := make([]int, len(lines)+1) // ends[k]: bytes of the first k lines
	for i, l := range lines {
		ends[i+1] = min(ends[i]+len(l)+1, len(data))
	}
	fails := func(k int) bool {
		var doc yaml.Node
		err := yaml.Unmarshal(data[:ends[k]], &doc)
		return err != nil && strings.HasSuffix(err.Error(), msg)
	}
	lo, hi := line, min(len(lines), line+maxProblemScan-1)
	if lo > hi || !fails(hi) {
		return 0
	}
	for lo < hi {
		if mid := (lo + hi) / 2; fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if lo > line && fails(lo-1) {
		return 0 // not the first failing prefix: the search went astray
	}
	return lo
}

// maxProblemScan bounds how many lines problemLine searches.
const maxProblemScan = 200

// loadDocument parses one YAML document and reads it with read, returning
// every mistake found as one positioned error list.
func loadDocument[T any](file string, data []byte, read func(*reader, *yaml.Node) T) (T, error) {
	return loadWith(&reader{file: file}, data, read)
}

// loadWith is loadDocument with the reader given (Document keeps it, for
// the keys it accepted without effect).
func loadWith[T any](r *reader, data []byte, read func(*reader, *yaml.Node) T) (T, error) {
	var zero T
	root, err := parseDocument(r.file, data)
	if err != nil {
		return zero, err
	}
	v := read(r, root)
	if err := r.errs.Err(); err != nil {
		return zero, err
	}
	return v, nil
}

// Experiment loads an experiment from YAML bytes; file names it in messages.
func Experiment(file string, data []byte) (*ast.Experiment, error) {
	return loadDocument(file, data, func(r *reader, root *yaml.Node) *ast.Experiment { return r.experiment(root) })
}

// Dynamics loads one dynamics document (a library component file).
func Dynamics(file string, data []byte) (*ast.Dynamics, error) {
	return loadDocument(file, data, func(r *reader, root *yaml.Node) *ast.Dynamics { return r.dynamics(root, "", "the component") })
}

func (r *reader) experiment(n *yaml.Node) *ast.Experiment {
	exp := &ast.Experiment{File: r.file, Pos: r.pos(n)}
	f, ok := r.classFields(n, "the experiment", secExperiment)
	if !ok {
		return exp
	}
	if v := f["label"]; v != nil {
		exp.Label = r.str(v, "label")
	}
	if v := f["description"]; v != nil {
		exp.Description = r.str(v, "description").Value
	}
	if v := f["dynamics"]; v != nil {
		exp.Dynamics = r.dynamics(v, "", "dynamics")
	}
	if v := f["network"]; v != nil {
		exp.Network = r.network(v)
	}
	if v := f["execution"]; v != nil {
		exp.RandomSeed = r.execution(v)
	}
	if v := f["integration"]; v != nil {
		exp.Integration = r.integration(v)
	} else {
		r.errs = append(r.errs, diag.Errorf(r.pos(n), "the experiment has no integration section").
			WithHint("add integration: {method: euler, step_size: 0.01, duration: 100, time_scale: ms}"))
	}
	return exp
}

// dynamics reads a dynamics mapping. key is the map key it was listed
// under (the default name); what names it in messages.
func (r *reader) dynamics(n *yaml.Node, key, what string) *ast.Dynamics {
	d := &ast.Dynamics{Pos: r.pos(n)}
	if r.depth >= maxDynamicsDepth {
		r.errorf(n, "%s: components are nested more than %d deep", what, maxDynamicsDepth).
			Hint = "check for a YAML alias that refers back to an enclosing component"
		return d
	}
	r.depth++
	defer func() { r.depth-- }()
	if key != "" {
		d.Name = ast.Str{Value: key, Pos: r.pos(n)}
	}
	f, ok := r.classFields(n, what, secDynamics)
	if !ok {
		return d
	}
	if v := f["name"]; v != nil {
		d.Name = r.str(v, what+" name")
	}
	if key != "" && d.Name.Value != key {
		r.errorf(f["name"], "%s is listed as %q but named %q", what, key, d.Name.Value).Hint = "use the same name for the key and name:"
	}
	label := what
	if d.Name.Value != "" {
		label = fmt.Sprintf("dynamics %q", d.Name.Value)
	}
	if v := f["iri"]; v != nil {
		d.IRI = r.str(v, label+" iri")
	}
	if v := f["extends"]; v != nil {
		d.Extends = r.str(v, label+" extends")
	}
	if v := f["label"]; v != nil {
		d.Label = r.str(v, "label").Value
	}
	if v := f["description"]; v != nil {
		d.Description = r.str(v, "description").Value
	}
	if v := f["kind"]; v != nil {
		d.Kind = r.str(v, "kind")
	}
	if v := f["time_scale"]; v != nil {
		d.TimeScale = r.str(v, "time_scale")
	}
	if v := f["exposes"]; v != nil {
		d.Exposes = r.str(v, "exposes")
	}
	if v := f["refractory"]; v != nil {
		d.Refractory = r.refractory(v, label+" refractory")
	}
	if v := f["parameters"]; v != nil {
		d.Parameters = r.parameters(v, label+" parameters")
	}
	if v := f["constants"]; v != nil {
		d.Constants = r.parameters(v, label+" constants")
	}
	if v := f["inputs"]; v != nil {
		d.Inputs = r.inputs(v, label)
	}
	if v := f["derived_variables"]; v != nil {
		d.Derived = r.derivedVariables(v, label)
	}
	if v := f["state_variables"]; v != nil {
		d.States = r.stateVariables(v, label)
	}
	if v := f["events"]; v != nil {
		d.Events = r.events(v, label)
	}
	// TVBO writes children under either key; they mean the same.
	for _, k := range []string{"components", "modes"} {
		if v := f[k]; v != nil {
			entries, _ := r.mapping(v, label+" "+k)
			for _, e := range entries {
				d.Components = append(d.Components, r.dynamics(e.value, e.key, fmt.Sprintf("component %q", e.key)))
			}
		}
	}
	return d
}

// parameters reads a name -> quantity mapping.
func (r *reader) parameters(n *yaml.Node, what string) []*ast.Parameter {
	entries, _ := r.mapping(n, what)
	var out []*ast.Parameter
	for _, e := range entries {
		p := &ast.Parameter{Name: ast.Str{Value: e.key, Pos: r.pos(e.keyN)}}
		if !r.declare(e, fmt.Sprintf("parameter %q", e.key)) {
			continue
		}
		p.Quantity = r.quantity(e.value, fmt.Sprintf("parameter %q", e.key))
		out = append(out, p)
	}
	return out
}

// quantity reads `{value, unit}`, a bare number, `{rhs: ...}` or a bare
// string (an expression).
func (r *reader) quantity(n *yaml.Node, what string) ast.Quantity {
	n = resolveAlias(n)
	q := ast.Quantity{Pos: r.pos(n)}
	if n == nil {
		return q
	}
	if n.Kind == yaml.ScalarNode {
		if n.Tag == "!!int" || n.Tag == "!!float" {
			q.Value = r.num(n, what)
			return q
		}
		if n.Tag == "!!null" {
			r.errorf(n, "%s has no value", what).Hint = "write a number or {value: 1, unit: mV}"
			return q
		}
		q.Expr = r.exprAt(n, what, true)
		return q
	}
	f, ok := r.classFields(n, what, secQuantity)
	if !ok {
		return q
	}
	if v := f["value"]; v != nil {
		q.Value = r.num(v, what+" value")
	}
	if v := f["default"]; v != nil && !q.Value.Set {
		q.Value = r.num(v, what+" default")
	}
	if v := f["rhs"]; v != nil {
		q.Expr = r.exprAt(v, what, true)
	}
	if v := f["unit"]; v != nil {
		q.Unit = r.str(v, what+" unit")
	}
	if v := f["dimension"]; v != nil {
		q.Dimension = r.str(v, what+" dimension")
	}
	if v := f["description"]; v != nil {
		q.Description = r.str(v, "description").Value
	}
	return q
}

func (r *reader) inputs(n *yaml.Node, what string) []*ast.Input {
	entries, _ := r.mapping(n, what+" inputs")
	var out []*ast.Input
	for _, e := range entries {
		in := &ast.Input{Name: ast.Str{Value: e.key, Pos: r.pos(e.keyN)}, Pos: r.pos(e.value)}
		if !r.declare(e, fmt.Sprintf("input %q", e.key)) {
			continue
		}
		f, ok := r.classFields(e.value, fmt.Sprintf("input %q", e.key), secInput)
		if ok && f["dimension"] != nil {
			in.Dimension = r.str(f["dimension"], "dimension")
		}
		out = append(out, in)
	}
	return out
}

// equation reads `{rhs: "..."}` or a bare string.
func (r *reader) equation(n *yaml.Node, what string) *ast.Expr {
	return r.equationOf(n, what, true)
}

// equationOf reads an equation, a scalar or a mapping with rhs (or
// conditionals), whose value is a number (a condition there is 1/0) or,
// with number false, may be a condition.
func (r *reader) equationOf(n *yaml.Node, what string, number bool) *ast.Expr {
	n = resolveAlias(n)
	if n != nil && n.Kind == yaml.MappingNode {
		f, ok := r.classFields(n, what, secEquation)
		if !ok {
			return nil
		}
		if c := f["conditionals"]; c != nil && f["rhs"] == nil {
			return r.conditionals(c, what)
		}
		if f["rhs"] == nil {
			r.errorf(n, "%s has no rhs", what)
			return nil
		}
		return r.exprAt(f["rhs"], what, number)
	}
	if n != nil && n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float") {
		return r.exprAt(n, what, number)
	}
	return r.exprAt(n, what, number)
}

// condition reads an expression that must be true or false (an event's
// condition, a case's): a number there is an error at its position.
func (r *reader) condition(n *yaml.Node, what string) *ast.Expr {
	c := r.equationOf(n, what, false)
	if c == nil || c.Node == nil || expr.IsCondition(c.Node) {
		return c
	}
	d := diag.Errorf(c.PosOf(c.Node.Pos()), "%s %q is a number, not a comparison", what, c.Src)
	d.Hint = `write a comparison such as "v >= thresh"`
	r.errs = append(r.errs, d)
	return nil
}

func (r *reader) derivedVariables(n *yaml.Node, what string) []*ast.Derived {
	entries, _ := r.mapping(n, what+" derived_variables")
	var out []*ast.Derived
	for _, e := range entries {
		name := fmt.Sprintf("derived variable %q", e.key)
		d := &ast.Derived{Name: ast.Str{Value: e.key, Pos: r.pos(e.keyN)}, Pos: r.pos(e.value)}
		if !r.declareDerived(e, name) {
			continue
		}
		if v := resolveAlias(e.value); v != nil && v.Kind == yaml.ScalarNode {
			d.Equation = r.equation(v, name)
		} else if f, ok := r.classFields(e.value, name, secVariable); ok {
			if f["equation"] == nil {
				r.errorf(e.value, "%s has no equation", name)
			} else {
				d.Equation = r.equation(f["equation"], name)
			}
			if v := f["unit"]; v != nil {
				d.Unit = r.str(v, name+" unit")
			}
			if v := f["dimension"]; v != nil {
				d.Dimension = r.str(v, name+" dimension")
			}
			if v := f["label"]; v != nil {
				d.Label = r.str(v, name+" label")
			}
			if v := f["period"]; v != nil {
				d.Period = r.num(v, name+" period")
			}
		}
		out = append(out, d)
	}
	return out
}

func (r *reader) stateVariables(n *yaml.Node, what string) []*ast.State {
	entries, _ := r.mapping(n, what+" state_variables")
	var out []*ast.State
	for _, e := range entries {
		name := fmt.Sprintf("state variable %q", e.key)
		s := &ast.State{Name: ast.Str{Value: e.key, Pos: r.pos(e.keyN)}, Pos: r.pos(e.value)}
		if !r.declare(e, name) {
			continue
		}
		f, ok := r.classFields(e.value, name, secState)
		if !ok {
			continue
		}
		if f["equation"] == nil {
			r.errorf(e.value, "%s has no equation", name).Hint = `add equation: {rhs: "..."} (its time derivative)`
		} else {
			s.Equation = r.equation(f["equation"], name)
		}
		if v := f["initial_value"]; v != nil {
			s.Initial = r.exprAt(v, name+" initial_value", true)
		}
		if v := f["unit"]; v != nil {
			s.Unit = r.str(v, name+" unit")
		}
		if v := f["dimension"]; v != nil {
			s.Dimension = r.str(v, name+" dimension")
		}
		if v := f["variable_of_interest"]; v != nil {
			if b := r.boolean(v, name+" variable_of_interest"); b != nil {
				s.OfInterest = *b
			}
		}
		out = append(out, s)
	}
	return out
}

func (r *reader) events(n *yaml.Node, what string) []*ast.Event {
	entries, _ := r.mapping(n, what+" events")
	var out []*ast.Event
	for _, e := range entries {
		name := fmt.Sprintf("event %q", e.key)
		ev := &ast.Event{Name: ast.Str{Value: e.key, Pos: r.pos(e.keyN)}, Pos: r.pos(e.value)}
		f, ok := r.classFields(e.value, name, secEvent)
		if !ok {
			continue
		}
		if v := f["condition"]; v != nil {
			ev.Condition = r.condition(v, name+" condition")
		}
		if v := f["affect"]; v != nil {
			ev.Affect = r.affect(v, name+" affect")
		}
		if v := f["emit"]; v != nil {
			ev.Emit = r.str(v, name+" emit")
		}
		if v := f["receive"]; v != nil {
			ev.Receive = r.str(v, name+" receive")
		}
		if v := f["trigger_times"]; v != nil {
			ev.TriggerTimes = r.triggerTimes(v, name+" trigger_times")
		}
		if v := f["event_type"]; v != nil {
			// TVBO's one kind: events at the preset trigger_times. Another
			// word would be ignored, so it is refused.
			switch t := r.str(v, name+" event_type"); {
			case t.Value == "":
			case t.Value != presetTime:
				r.errorf(v, "%s: event_type %q is not a kind tvboc knows", name, t.Value).
					Hint = "use event_type: " + presetTime + " with trigger_times, or give the event a condition and no event_type"
			case f["trigger_times"] == nil:
				r.errorf(v, "%s: event_type %s needs trigger_times, the times it happens at", name, presetTime).
					Hint = "add trigger_times: [5, 15], in the experiment's time unit"
			}
		}
		out = append(out, ev)
	}
	return out
}

// presetTime is the event_type of events at given times (trigger_times).
const presetTime = "preset_time"

// affect reads `"v = c; U = U + d"` (bare or under rhs:).
func (r *reader) affect(n *yaml.Node, what string) []ast.Assign {
	n = resolveAlias(n)
	if n != nil && n.Kind == yaml.MappingNode {
		f, ok := r.classFields(n, what, secAssignment)
		if !ok || f["rhs"] == nil {
			if ok {
				r.errorf(n, "%s has no rhs", what)
			}
			return nil
		}
		n = resolveAlias(f["rhs"])
	}
	if n == nil || n.Kind != yaml.ScalarNode {
		r.errorf(n, "%s must be assignments like \"v = c; U = U + d\"", what)
		return nil
	}
	pos := r.pos(n)
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		pos = pos.Shift(1)
	}
	whole := &ast.Expr{Src: n.Value, Pos: pos}
	assigns, err := expr.ParseAssignments(n.Value)
	if err != nil {
		r.exprError(whole, what, err)
		return nil
	}
	out := make([]ast.Assign, 0, len(assigns))
	for _, a := range assigns {
		out = append(out, ast.Assign{
			Var:   ast.Str{Value: a.Var, Pos: whole.PosOf(a.VarPos)},
			Value: &ast.Expr{Src: n.Value, Pos: pos, Node: a.Value},
		})
	}
	return out
}

func (r *reader) network(n *yaml.Node) *ast.Network {
	net := &ast.Network{Pos: r.pos(n)}
	f, ok := r.classFields(n, "the network section", secNodeNetwork)
	if !ok {
		return net
	}
	if v := f["dynamics"]; v != nil {
		entries, _ := r.mapping(v, "network dynamics")
		for _, e := range entries {
			net.Dynamics = append(net.Dynamics, r.dynamics(e.value, e.key, fmt.Sprintf("network dynamics %q", e.key)))
		}
	}
	if v := f["nodes"]; v != nil {
		for _, item := range r.list(v, "nodes") {
			net.Nodes = append(net.Nodes, r.node(item))
		}
	}
	if v := f["edges"]; v != nil {
		for _, item := range r.list(v, "edges") {
			net.Edges = append(net.Edges, r.edge(item))
		}
	}
	if v := f["number_of_nodes"]; v != nil {
		net.NumberOfNodes = r.num(v, "number_of_nodes")
	}
	return net
}

func (r *reader) list(n *yaml.Node, what string) []*yaml.Node {
	n = resolveAlias(n)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		r.errorf(n, "%s must be a list (lines starting with -), got %s", what, kindName(n))
		return nil
	}
	return n.Content
}

func (r *reader) node(n *yaml.Node) *ast.Node {
	node := &ast.Node{Pos: r.pos(n)}
	f, ok := r.classFields(n, "a node", secNode)
	if !ok {
		return node
	}
	if v := f["id"]; v != nil {
		node.ID = r.str(v, "node id")
	} else {
		r.missing(n, "a node has no id")
	}
	if v := f["dynamics"]; v != nil {
		node.Dynamics = r.str(v, "node dynamics")
	}
	if v := f["record"]; v != nil {
		node.Record = r.boolean(v, "record")
	}
	if v := f["parameters"]; v != nil {
		node.Parameters = r.parameters(v, "node parameters")
	}
	return node
}

func (r *reader) edge(n *yaml.Node) *ast.Edge {
	e := &ast.Edge{Pos: r.pos(n)}
	f, ok := r.classFields(n, "an edge", secEdge)
	if !ok {
		return e
	}
	if v := f["source"]; v != nil {
		e.Source = r.str(v, "edge source")
	} else {
		r.missing(n, "an edge has no source")
	}
	if v := f["target"]; v != nil {
		e.Target = r.str(v, "edge target")
	} else {
		r.missing(n, "an edge has no target")
	}
	if v := f["coupling"]; v != nil {
		e.Coupling = r.str(v, "edge coupling")
	}
	if v := f["parameters"]; v != nil {
		e.Parameters = r.parameters(v, "edge parameters")
	}
	return e
}

// stepAndDuration reads the two keys every integration section needs,
// with an example value for each in the message when one is missing.
func (r *reader) stepAndDuration(n *yaml.Node, f map[string]*yaml.Node, stepExample, durationExample string) (step, duration ast.Num) {
	if v := f["step_size"]; v != nil {
		step = r.num(v, "step_size")
	} else {
		r.missing(n, "the integration section has no step_size").Hint = "add step_size: " + stepExample
	}
	if v := f["duration"]; v != nil {
		duration = r.num(v, "duration")
	} else {
		r.missing(n, "the integration section has no duration").Hint = "add duration: " + durationExample
	}
	return step, duration
}

func (r *reader) integration(n *yaml.Node) *ast.Integration {
	in := &ast.Integration{Pos: r.pos(n)}
	f, ok := r.classFields(n, "the integration section", secIntegration)
	if !ok {
		return in
	}
	if v := f["method"]; v != nil {
		in.Method = r.str(v, "integration method")
		if in.Method.Value == "" && v.Tag != "!!null" && v.Kind == yaml.ScalarNode {
			r.errorf(v, "the integration method is empty").Hint = "write method: euler (the default when method is left out), heun or rk4"
		}
	}
	in.StepSize, in.Duration = r.stepAndDuration(n, f, "0.01 (in time_scale units)", "100 (in time_scale units)")
	if v := f["time_scale"]; v != nil {
		in.TimeScale = r.str(v, "time_scale")
	}
	if v := f["parameters"]; v != nil {
		in.Parameters = r.parameters(v, "integration parameters")
	}
	if v := f["noise"]; v != nil {
		// TVB's additive noise is the whole-brain back end's; it was
		// taken here and changed nothing
		r.errorf(v, "a noise section is read for whole-brain networks (TVB's additive noise); a node list or population draws its noise in its equations").
			Hint = `write the drive with normal(), e.g. a derived variable {equation: {rhs: "sigma*normal()"}, period: 0.5} in a population`
	}
	return in
}
