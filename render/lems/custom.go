package lems

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/library"
	"github.com/tvboc/tvboc/compiler/units"
)

// Custom rate types: a channel's rate, time course or steady state
// written with an iri naming no NeuroML type (neuroml:kslow_a_alpha_rate)
// and its own derived_variables. NeuroML's examples define such a type
// with a ComponentType of that name extending the slot's base type (NML2
// Ex15, Ex24), and so does the rendering:
//
//	<ComponentType name="kslow_a_alpha_rate" extends="baseVoltageDepRate">
//	  <Constant name="TIME_SCALE" dimension="time" value="1 ms"/>
//	  <Constant name="a0" dimension="none" value="0.0052"/>
//	  <Dynamics>
//	    <DerivedVariable name="V" dimension="none" value="v / VOLT_SCALE"/>
//	    <DerivedVariable name="r" exposure="r" dimension="per_time" value="..."/>
//	  </Dynamics>
//	</ComponentType>
//
// and the channel names it as <forwardRate type="kslow_a_alpha_rate"/>.
// The component's parameters become Constants, as in those examples,
// after the scale constants the compiler's base type provides (VOLT_SCALE,
// TIME_SCALE, CONC_SCALE) that the component does not set itself. LEMS
// checks dimensions, so every derived variable gets one: the base type's
// for the exposed variable, the one its expression has otherwise.

// customSlot is what a custom component in a slot extends and exposes.
type customSlot struct {
	base     string
	exposure string
	dim      units.Dimension
}

var customSlots = map[string]customSlot{
	"forwardRate": {"baseVoltageDepRate", "r", units.PerTime},
	"reverseRate": {"baseVoltageDepRate", "r", units.PerTime},
	"timeCourse":  {"baseVoltageDepTime", "t", units.Time},
	"steadyState": {"baseVoltageDepVariable", "x", units.None},
}

// requirementDims are the names a custom rate may read from the
// components around it (LEMS Requirements), with their dimensions: the
// gate's alpha and beta (a gateHHratesTau's time course), the cell's
// calcium concentration and temperature.
var requirementDims = map[string]units.Dimension{
	"v": units.Voltage, "caConc": units.Concentration, "caConcExt": units.Concentration,
	"alpha": units.PerTime, "beta": units.PerTime, "temperature": units.Temperature, "rateScale": units.None,
}

// isCustom reports whether a component is a type of the experiment's own:
// a neuroml: name the library does not know, given with equations.
func isCustom(d *ast.Dynamics) bool {
	if !strings.HasPrefix(d.IRI.Value, library.Prefix) || len(d.Derived)+len(d.States) == 0 {
		return false
	}
	_, ok, _ := library.Lookup(d.IRI.Value)
	return !ok
}

// customTypes writes the ComponentType of every custom component in a
// channel's tree, once per type name; a name defined twice differently is
// an error, since LEMS has one type per name.
func (r *renderer) customTypes(d *ast.Dynamics, owner string) error {
	for _, c := range d.Components {
		if err := r.customTypes(c, owner+"/"+c.Name.Value); err != nil {
			return err
		}
		if !isCustom(c) {
			continue
		}
		var b strings.Builder
		if err := customType(&b, c, c.Name.Value); err != nil {
			return fmt.Errorf("%s: %s (%s): %v", c.Pos, owner+"/"+c.Name.Value, c.IRI.Value, err)
		}
		name := strings.TrimPrefix(c.IRI.Value, library.Prefix)
		if r.customCT == nil {
			r.customCT = map[string]string{}
		}
		if prev, ok := r.customCT[name]; ok {
			if prev != b.String() {
				return fmt.Errorf("%s: %s: type %q is defined again with other values or equations; LEMS has one ComponentType per name, so give this one another name",
					c.Pos, owner+"/"+c.Name.Value, name)
			}
			continue
		}
		r.customCT[name] = b.String()
		r.b.WriteString(b.String())
	}
	return nil
}

// customType writes one custom component's ComponentType.
func customType(w *strings.Builder, d *ast.Dynamics, slot string) error {
	cs, ok := customSlots[slot]
	if !ok {
		return fmt.Errorf("a type of the experiment's own is rendered to LEMS only as a rate, time course or steady state (forwardRate, reverseRate, timeCourse, steadyState), not as %q", slot)
	}
	name := strings.TrimPrefix(d.IRI.Value, library.Prefix)
	if safeID(name) != name {
		return fmt.Errorf("type name %q is not a LEMS name", name)
	}
	uses := map[string]bool{}
	for _, x := range d.Derived {
		if x.Equation != nil {
			collectIdents(x.Equation.Node, uses)
		}
	}
	base := cs.base
	if uses["caConc"] && base == "baseVoltageDepRate" {
		base = "baseVoltageConcDepRate"
	}
	provided := map[string]bool{"v": true}
	if base == "baseVoltageConcDepRate" {
		provided["caConc"] = true
	}

	env := map[string]units.Dimension{}
	var consts []string
	given := map[string]bool{}
	for _, p := range d.Parameters {
		given[p.Name.Value] = true
	}
	addConst := func(n string, v float64, unit string) error {
		dim := units.None
		value := formatNumber(v)
		if u := strings.TrimSpace(unit); u != "" {
			dn, pu, err := dimensionName(u)
			if err != nil {
				return fmt.Errorf("parameter %q: %v", n, err)
			}
			dim = pu.Dim
			if dn != "none" {
				value += " " + nmlUnit(u)
			}
		}
		env[n] = dim
		dn := "none"
		if !dim.IsNone() {
			dn, _, _ = dimensionName(strings.TrimSpace(unit))
		}
		consts = append(consts, fmt.Sprintf("    <Constant name=%s dimension=%s value=%s/>\n", attr(n), attr(dn), attr(value)))
		return nil
	}
	for _, lib := range libChain(base) {
		for _, c := range lib.Constants {
			if given[c.Name.Value] || hasConst(consts, c.Name.Value) {
				continue
			}
			if err := addConst(c.Name.Value, c.Value.Value, c.Unit.Value); err != nil {
				return err
			}
		}
	}
	for _, p := range d.Parameters {
		if !p.Value.Set {
			return fmt.Errorf("parameter %q: only numbers render as LEMS constants", p.Name.Value)
		}
		if err := addConst(p.Name.Value, p.Value.Value, p.Unit.Value); err != nil {
			return err
		}
	}
	own := map[string]bool{}
	for n := range env {
		own[n] = true
	}
	for _, x := range d.Derived {
		own[x.Name.Value] = true
	}
	var reqs []string
	for _, n := range sortedNames(uses) {
		if own[n] || provided[n] || n == "t" {
			continue
		}
		if _, isConst := expr.Constants[n]; isConst {
			continue
		}
		dim, ok := requirementDims[n]
		if !ok {
			return fmt.Errorf("%q is neither a parameter nor a derived variable of the type, nor a value LEMS can require from the channel (%s)",
				n, strings.Join(sortedNames(requirementNames()), ", "))
		}
		env[n] = dim
		reqs = append(reqs, fmt.Sprintf("    <Requirement name=%s dimension=%s/>\n", attr(n), attr(dimensionOf(dim))))
	}
	env["v"] = units.Voltage
	if provided["caConc"] {
		env["caConc"] = units.Concentration
	}
	if _, ok := env["t"]; !ok {
		env["t"] = units.Time
	}

	var body strings.Builder
	exposed := false
	for _, x := range d.Derived {
		if x.Equation == nil {
			return fmt.Errorf("derived variable %q has no equation", x.Name.Value)
		}
		n := x.Name.Value
		p := &printer{subst: map[string]string{}, used: map[string]bool{}, owner: n}
		dim, err := exprDim(x.Equation.Node, env)
		if err != nil {
			return fmt.Errorf("derived variable %q: %v", n, err)
		}
		if n == cs.exposure {
			if dim != cs.dim {
				return fmt.Errorf("derived variable %q is %s, but a %s's %s must be %s", n, dimensionOf(dim), slot, n, dimensionOf(cs.dim))
			}
			exposed = true
		}
		env[n] = dim
		exposure := ""
		if n == cs.exposure {
			exposure = " exposure=" + attr(n)
		}
		if call, ok := x.Equation.Node.(*expr.Call); ok && call.Func == "Piecewise" {
			cases, err := p.piecewise(call)
			if err != nil {
				return fmt.Errorf("derived variable %q: %v", n, err)
			}
			// Piecewise without a True case is undefined when no case
			// holds; a LEMS conditional without a default says the same.
			if last := cases[len(cases)-1]; last.condition == "" && last.value == "0/0" {
				cases = cases[:len(cases)-1]
			}
			fmt.Fprintf(&body, "      <ConditionalDerivedVariable name=%s%s dimension=%s>\n", attr(n), exposure, attr(dimensionOf(dim)))
			for _, k := range cases {
				if k.condition == "" {
					fmt.Fprintf(&body, "        <Case value=%s/>\n", attr(k.value))
				} else {
					fmt.Fprintf(&body, "        <Case condition=%s value=%s/>\n", attr(k.condition), attr(k.value))
				}
			}
			body.WriteString("      </ConditionalDerivedVariable>\n")
		} else {
			v, err := p.print(x.Equation.Node)
			if err != nil {
				return fmt.Errorf("derived variable %q: %v", n, err)
			}
			fmt.Fprintf(&body, "      <DerivedVariable name=%s%s dimension=%s value=%s/>\n", attr(n), exposure, attr(dimensionOf(dim)), attr(v))
		}
		if len(p.lifted) > 0 {
			return fmt.Errorf("derived variable %q: Min, Max, sign, Heaviside or a Piecewise inside an expression has no LEMS form in a rate type (give it a derived variable of its own)", n)
		}
	}
	if !exposed {
		return fmt.Errorf("a %s must define the derived variable %s", slot, cs.exposure)
	}
	if len(d.States) > 0 {
		return errors.New("state variables in a rate type are not rendered to LEMS")
	}
	fmt.Fprintf(w, "  <ComponentType name=%s extends=%s>\n", attr(name), attr(base))
	for _, c := range consts {
		w.WriteString(c)
	}
	for _, q := range reqs {
		w.WriteString(q)
	}
	w.WriteString("    <Dynamics>\n")
	w.WriteString(body.String())
	w.WriteString("    </Dynamics>\n  </ComponentType>\n")
	return nil
}

func hasConst(lines []string, name string) bool {
	for _, l := range lines {
		if strings.Contains(l, "name="+attr(name)+" ") {
			return true
		}
	}
	return false
}

// libChain lists a library type and the types it extends, most derived
// first.
func libChain(name string) []*ast.Dynamics {
	var out []*ast.Dynamics
	for k := 0; name != "" && k < 16; k++ {
		d, ok, _ := library.Lookup(library.Prefix + name)
		if !ok {
			break
		}
		out = append(out, d)
		name = d.Extends.Value
	}
	return out
}

func sortedNames(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func requirementNames() map[string]bool {
	out := map[string]bool{}
	for n := range requirementDims {
		out[n] = true
	}
	return out
}

// dimensionOf is the LEMS dimension name of d, or its base units when
// NeuroML has no name for it (which LEMS will then reject, saying so).
func dimensionOf(d units.Dimension) string {
	if d.IsNone() {
		return "none"
	}
	name := d.String()
	if _, ok := units.DimensionByName(name); ok {
		return name
	}
	return d.BaseUnits()
}

// collectIdents adds every identifier an expression reads.
func collectIdents(n expr.Node, out map[string]bool) {
	switch n := n.(type) {
	case *expr.Ident:
		out[n.Name] = true
	case *expr.Unary:
		collectIdents(n.X, out)
	case *expr.Binary:
		collectIdents(n.X, out)
		collectIdents(n.Y, out)
	case *expr.Call:
		for _, a := range n.Args {
			collectIdents(a, out)
		}
	case *expr.Tuple:
		for _, a := range n.Elems {
			collectIdents(a, out)
		}
	}
}

// exprDim infers the dimension of an expression from the dimensions of
// its names. A bare number takes its partner's dimension in a sum or a
// comparison ("1 + x", "V < -0.06"), as LEMS reads such literals.
func exprDim(n expr.Node, env map[string]units.Dimension) (units.Dimension, error) {
	d, _, err := dimOf(n, env)
	return d, err
}

// dimOf returns the dimension and whether the expression is a bare
// number.
func dimOf(n expr.Node, env map[string]units.Dimension) (units.Dimension, bool, error) {
	switch n := n.(type) {
	case *expr.Num:
		return units.None, true, nil
	case *expr.Bool:
		return units.None, true, nil
	case *expr.Ident:
		if d, ok := env[n.Name]; ok {
			return d, false, nil
		}
		if _, ok := expr.Constants[n.Name]; ok {
			return units.None, true, nil
		}
		return units.None, false, fmt.Errorf("%q has no known dimension", n.Name)
	case *expr.Unary:
		return dimOf(n.X, env)
	case *expr.Binary:
		x, xl, err := dimOf(n.X, env)
		if err != nil {
			return x, false, err
		}
		y, yl, err := dimOf(n.Y, env)
		if err != nil {
			return y, false, err
		}
		switch n.Op {
		case "+", "-":
			if xl {
				return y, yl, nil
			}
			if !yl && x != y {
				return x, false, fmt.Errorf("%s adds %s to %s", n, dimensionOf(x), dimensionOf(y))
			}
			return x, false, nil
		case "*":
			d, err := x.Mul(y)
			return d, xl && yl, err
		case "/":
			d, err := x.Div(y)
			return d, xl && yl, err
		case "^", "**":
			if num, ok := n.Y.(*expr.Num); ok && num.Value == float64(int(num.Value)) {
				d, err := x.Pow(int(num.Value))
				return d, xl, err
			}
			if !x.IsNone() {
				return x, false, fmt.Errorf("%s raises %s to a power that is not a whole number", n, dimensionOf(x))
			}
			return units.None, xl && yl, nil
		default: // comparisons and logic
			return units.None, false, nil
		}
	case *expr.Call:
		switch n.Func {
		case "Piecewise":
			var first units.Dimension
			found := false
			for _, a := range n.Args {
				tup, ok := a.(*expr.Tuple)
				if !ok || len(tup.Elems) != 2 {
					return units.None, false, fmt.Errorf("Piecewise argument %s is not a (value, condition) pair", a)
				}
				d, lit, err := dimOf(tup.Elems[0], env)
				if err != nil {
					return d, false, err
				}
				if !lit && !found {
					first, found = d, true
				}
			}
			return first, !found, nil
		case "Min", "Max", "abs", "Abs", "floor", "ceiling":
			if len(n.Args) == 0 {
				return units.None, true, nil
			}
			return dimOf(n.Args[0], env)
		case "pow":
			if len(n.Args) == 2 {
				return dimOf(&expr.Binary{Op: "^", X: n.Args[0], Y: n.Args[1]}, env)
			}
		}
		for _, a := range n.Args {
			if _, _, err := dimOf(a, env); err != nil {
				return units.None, false, err
			}
		}
		return units.None, false, nil // exp, log, trigonometric: dimensionless
	}
	return units.None, false, fmt.Errorf("expression %v has no known dimension", n)
}
