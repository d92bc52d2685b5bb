package lems

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/resolve"
)

// Names the rendering adds to an equation-defined ComponentType.
const (
	// timeScaleConst is one unit of the experiment's time_scale: TVBO
	// writes rates per time_scale, LEMS integrates per second.
	timeScaleConst = "TIME_SCALE"
	// unitConstPrefix + a unit symbol is one of that unit ("UNIT_mV").
	unitConstPrefix = "UNIT_"
)

// typeName is the ComponentType name of an equation-defined dynamics.
func typeName(t *resolve.Type) string { return safeID(t.Name) }

// componentType writes the LEMS ComponentType of an equation-defined
// dynamics.
//
// The equations are written in the YAML's own numbers: parameters as
// given, a state variable with a unit in that unit, rates per time_scale.
// LEMS checks dimensions and integrates in SI, so every parameter is a
// dimensionless Constant, a state variable with a unit gets that unit's
// dimension and appears in expressions as (v / UNIT_mV), and a rate is
// UNIT_mV * (rhs) / TIME_SCALE. jNeuroML then records v in volts, the
// same SI values the compiled simulation writes.
func (r *renderer) componentType(t *resolve.Type) error {
	def := r.defs[t.Name]
	if def == nil {
		return fmt.Errorf("%s: dynamics %q: no definition to render", t.Pos, t.Name)
	}
	if len(t.Inputs) > 0 {
		return fmt.Errorf("%s: dynamics %q: input ports of equation-defined dynamics are not rendered to LEMS yet", t.Pos, t.Name)
	}
	fail := func(pos fmt.Stringer, what string, err error) error {
		var ue *unsupportedError
		if errors.As(err, &ue) {
			return fmt.Errorf("%s: dynamics %q: %s: cannot render to LEMS: %v", pos, t.Name, what, err)
		}
		return fmt.Errorf("%s: dynamics %q: %s: %v", pos, t.Name, what, err)
	}

	used := map[string]bool{"t": true}
	for _, n := range t.ParamOrder {
		used[n] = true
	}
	for _, s := range t.States {
		used[s.Name] = true
	}
	for _, d := range t.Derived {
		used[d.Name] = true
	}
	if used[timeScaleConst] {
		return fmt.Errorf("%s: dynamics %q: the name %s is taken by the LEMS rendering (rename the parameter)", t.Pos, t.Name, timeScaleConst)
	}
	used[timeScaleConst] = true

	p := &printer{subst: map[string]string{"t": "(t / " + timeScaleConst + ")"}, used: used}

	// Each state variable's dimension and unit constant.
	type stateInfo struct{ dim, scale string }
	states := map[string]stateInfo{}
	var unitConsts []string // constant lines, in first-use order
	unitConstSeen := map[string]bool{}
	stateDefs := map[string]*ast.State{}
	for _, s := range def.States {
		stateDefs[s.Name.Value] = s
	}
	for _, s := range t.States {
		info := stateInfo{dim: "none"}
		sd := stateDefs[s.Name]
		if sd != nil && sd.Unit.Value != "" {
			dim, u, err := dimensionName(sd.Unit.Value)
			if err != nil {
				return fail(sd.Unit.Pos, fmt.Sprintf("state variable %q", s.Name), err)
			}
			if dim != "none" {
				name := unitConstPrefix + safeID(u.Symbol)
				if !unitConstSeen[name] {
					if used[name] {
						return fmt.Errorf("%s: dynamics %q: the name %s is taken by the LEMS rendering (rename it)", t.Pos, t.Name, name)
					}
					unitConstSeen[name] = true
					used[name] = true
					unitConsts = append(unitConsts, fmt.Sprintf("    <Constant name=%s dimension=%s value=%s/>\n",
						attr(name), attr(dim), attr("1"+u.Symbol)))
				}
				info = stateInfo{dim: dim, scale: name}
				p.subst[s.Name] = "(" + s.Name + " / " + name + ")"
			}
		}
		states[s.Name] = info
	}
	// inUnits turns a value in the YAML's numbers into the state's LEMS
	// quantity.
	inUnits := func(state, value string) string {
		if sc := states[state].scale; sc != "" {
			return sc + " * " + value
		}
		return value
	}

	derivedPos := map[string]fmt.Stringer{}
	for _, d := range def.Derived {
		if d.Equation != nil {
			derivedPos[d.Name.Value] = d.Equation.Pos
		}
	}
	posOfDerived := func(name string) fmt.Stringer {
		if p, ok := derivedPos[name]; ok {
			return p
		}
		return t.Pos
	}
	var body strings.Builder
	for _, d := range t.Derived {
		p.owner = d.Name
		if call, ok := d.Value.(*expr.Call); ok && call.Func == "Piecewise" {
			cases, err := p.piecewise(call)
			if err != nil {
				return fail(posOfDerived(d.Name), fmt.Sprintf("derived variable %q", d.Name), err)
			}
			writeConditional(&body, conditional{name: d.Name, cases: cases}, true)
			continue
		}
		v, err := p.print(d.Value)
		if err != nil {
			return fail(posOfDerived(d.Name), fmt.Sprintf("derived variable %q", d.Name), err)
		}
		fmt.Fprintf(&body, "      <DerivedVariable name=%s dimension=\"none\" exposure=%s value=%s/>\n", attr(d.Name), attr(d.Name), attr(v))
	}
	for _, s := range t.States {
		p.owner = s.Name
		rate, err := p.print(s.Rate)
		if err != nil {
			pos := t.Pos
			if sd := stateDefs[s.Name]; sd != nil && sd.Equation != nil {
				pos = sd.Equation.Pos
			}
			return fail(pos, fmt.Sprintf("equation of state variable %q", s.Name), err)
		}
		fmt.Fprintf(&body, "      <TimeDerivative variable=%s value=%s/>\n", attr(s.Name), attr(inUnits(s.Name, rate)+" / "+timeScaleConst))
	}
	body.WriteString("      <OnStart>\n")
	for _, s := range t.States {
		p.owner = s.Name + "_start"
		v, err := p.print(s.Initial)
		if err != nil {
			return fail(t.Pos, fmt.Sprintf("initial value of %q", s.Name), err)
		}
		fmt.Fprintf(&body, "        <StateAssignment variable=%s value=%s/>\n", attr(s.Name), attr(inUnits(s.Name, v)))
	}
	body.WriteString("      </OnStart>\n")
	for _, ev := range t.Events {
		p.owner = ev.Name
		test, err := p.print(ev.Condition)
		if err != nil {
			return fail(t.Pos, fmt.Sprintf("condition of event %q", ev.Name), err)
		}
		fmt.Fprintf(&body, "      <OnCondition test=%s>\n", attr(test))
		for _, a := range ev.Assign {
			v, err := p.print(a.Value)
			if err != nil {
				return fail(t.Pos, fmt.Sprintf("event %q assignment to %q", ev.Name, a.Var), err)
			}
			fmt.Fprintf(&body, "        <StateAssignment variable=%s value=%s/>\n", attr(a.Var), attr(inUnits(a.Var, v)))
		}
		body.WriteString("        <EventOut port=\"spike\"/>\n")
		body.WriteString("      </OnCondition>\n")
	}

	w := &r.b
	fmt.Fprintf(w, "  <ComponentType name=%s extends=\"baseCell\">\n", attr(typeName(t)))
	for _, n := range t.ParamOrder {
		fmt.Fprintf(w, "    <Constant name=%s dimension=\"none\" value=%s/>\n", attr(n), attr(formatNumber(t.Params[n])))
	}
	fmt.Fprintf(w, "    <Constant name=%s dimension=\"time\" value=%s/>\n", attr(timeScaleConst), attr("1"+r.timeUnit))
	for _, c := range unitConsts {
		w.WriteString(c)
	}
	if len(t.Events) > 0 {
		w.WriteString("    <EventPort name=\"spike\" direction=\"out\"/>\n")
	}
	for _, s := range t.States {
		fmt.Fprintf(w, "    <Exposure name=%s dimension=%s/>\n", attr(s.Name), attr(states[s.Name].dim))
	}
	for _, d := range t.Derived {
		fmt.Fprintf(w, "    <Exposure name=%s dimension=\"none\"/>\n", attr(d.Name))
	}
	w.WriteString("    <Dynamics>\n")
	for _, s := range t.States {
		fmt.Fprintf(w, "      <StateVariable name=%s dimension=%s exposure=%s/>\n", attr(s.Name), attr(states[s.Name].dim), attr(s.Name))
	}
	for _, c := range p.lifted {
		writeConditional(w, c, false)
	}
	w.WriteString(body.String())
	w.WriteString("    </Dynamics>\n")
	w.WriteString("  </ComponentType>\n")
	return nil
}

// writeConditional writes a ConditionalDerivedVariable; exposed ones are
// the model's own derived variables, lifted ones are internal.
func writeConditional(w interface{ WriteString(string) (int, error) }, c conditional, exposed bool) {
	exposure := ""
	if exposed {
		exposure = " exposure=" + attr(c.name)
	}
	w.WriteString(fmt.Sprintf("      <ConditionalDerivedVariable name=%s dimension=\"none\"%s>\n", attr(c.name), exposure))
	for _, k := range c.cases {
		if k.condition == "" {
			w.WriteString(fmt.Sprintf("        <Case value=%s/>\n", attr(k.value)))
		} else {
			w.WriteString(fmt.Sprintf("        <Case condition=%s value=%s/>\n", attr(k.condition), attr(k.value)))
		}
	}
	w.WriteString("      </ConditionalDerivedVariable>\n")
}
