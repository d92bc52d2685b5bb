package main

import (
	"encoding/xml"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compare"
	"github.com/tvboc/tvboc/compiler/expr"
)

// A small LEMS interpreter for the rendered neural-mass files, so that the
// test suite can run what `tvboc render lems` writes (jNeuroML is not
// installable here). It knows what those files use: one ComponentType with
// dimensionless Parameters, Constants, DerivedVariables (plain and
// conditional), TimeDerivatives, an OnStart and OnConditions with
// StateAssignments; one component of it in a
// population of size 1; a Simulation with one OutputFile. It steps as
// jLEMS does for such a component: derived variables from the state at the
// start of the step, then every state by forward Euler, in SI time.

type lemsFile struct {
	Types []struct {
		Name      string `xml:"name,attr"`
		Constants []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"Constant"`
		Dynamics struct {
			States []struct {
				Name string `xml:"name,attr"`
			} `xml:"StateVariable"`
			Derived []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"DerivedVariable"`
			Conditional []struct {
				Name  string `xml:"name,attr"`
				Cases []struct {
					Condition string `xml:"condition,attr"`
					Value     string `xml:"value,attr"`
				} `xml:"Case"`
			} `xml:"ConditionalDerivedVariable"`
			Rates []struct {
				Variable string `xml:"variable,attr"`
				Value    string `xml:"value,attr"`
			} `xml:"TimeDerivative"`
			OnStart []struct {
				Variable string `xml:"variable,attr"`
				Value    string `xml:"value,attr"`
			} `xml:"OnStart>StateAssignment"`
			OnCondition []struct {
				Test   string `xml:"test,attr"`
				Assign []struct {
					Variable string `xml:"variable,attr"`
					Value    string `xml:"value,attr"`
				} `xml:"StateAssignment"`
			} `xml:"OnCondition"`
		} `xml:"Dynamics"`
	} `xml:"ComponentType"`
	Components []struct {
		XMLName xml.Name
		Attrs   []xml.Attr `xml:",any,attr"`
	} `xml:",any"`
	Simulation struct {
		Length  string `xml:"length,attr"`
		Step    string `xml:"step,attr"`
		Outputs []struct {
			Quantity string `xml:"quantity,attr"`
		} `xml:"OutputFile>OutputColumn"`
	} `xml:"Simulation"`
}

// lemsSeconds reads "0.05ms", "1 s" as seconds.
func lemsSeconds(t *testing.T, s string) float64 {
	t.Helper()
	s = strings.TrimSpace(s)
	scale := 1.0
	switch {
	case strings.HasSuffix(s, "ms"):
		s, scale = strings.TrimSuffix(s, "ms"), 1e-3
	case strings.HasSuffix(s, "s"):
		s = strings.TrimSuffix(s, "s")
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		t.Fatalf("time %q: %v", s, err)
	}
	return v * scale
}

// lemsExpr parses a LEMS expression with the project's expression parser.
func lemsExpr(t *testing.T, s string) expr.Node {
	t.Helper()
	for from, to := range map[string]string{".gt.": ">", ".lt.": "<", ".geq.": ">=", ".leq.": "<=", ".eq.": "==", ".neq.": "!=", ".and.": "&", ".or.": "|", "ln(": "log("} {
		s = strings.ReplaceAll(s, from, to)
	}
	n, err := expr.Parse(s)
	if err != nil {
		t.Fatalf("LEMS expression %q: %v", s, err)
	}
	return n
}

// interpretLEMS runs the rendered file and returns its recorded columns by
// quantity, with the times.
func interpretLEMS(t *testing.T, data []byte) *compare.Table {
	t.Helper()
	var f lemsFile
	if err := xml.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Types) != 1 {
		t.Fatalf("%d ComponentTypes; the interpreter runs files with one", len(f.Types))
	}
	ct := f.Types[0]
	env := map[string]float64{}
	for _, c := range ct.Constants {
		env[c.Name] = lemsSeconds(t, c.Value)
	}
	for _, c := range f.Components {
		if c.XMLName.Local != ct.Name {
			continue
		}
		for _, a := range c.Attrs {
			if a.Name.Local == "id" {
				continue
			}
			v, err := strconv.ParseFloat(a.Value, 64)
			if err != nil {
				t.Fatalf("parameter %s=%q: %v", a.Name.Local, a.Value, err)
			}
			env[a.Name.Local] = v
		}
	}
	lookup := func(n string) (float64, bool) { v, ok := env[n]; return v, ok }
	eval := func(n expr.Node) float64 {
		v, err := expr.Eval(n, lookup)
		if err != nil {
			t.Fatalf("evaluating %s: %v", n, err)
		}
		return v
	}
	for _, a := range ct.Dynamics.OnStart {
		env[a.Variable] = eval(lemsExpr(t, a.Value))
	}
	// derived variables in an order that evaluates each after what it reads
	type derived struct {
		name  string
		cases [][2]expr.Node // condition (nil: default), value
	}
	var pending []derived
	for _, d := range ct.Dynamics.Derived {
		pending = append(pending, derived{d.Name, [][2]expr.Node{{nil, lemsExpr(t, d.Value)}}})
	}
	for _, d := range ct.Dynamics.Conditional {
		x := derived{name: d.Name}
		for _, c := range d.Cases {
			var cond expr.Node
			if c.Condition != "" {
				cond = lemsExpr(t, c.Condition)
			}
			x.cases = append(x.cases, [2]expr.Node{cond, lemsExpr(t, c.Value)})
		}
		pending = append(pending, x)
	}
	isDerived := map[string]bool{}
	for _, d := range pending {
		isDerived[d.name] = true
	}
	var order []derived
	done := map[string]bool{}
	for len(pending) > 0 {
		var rest []derived
		for _, d := range pending {
			ready := true
			for _, c := range d.cases {
				for _, n := range c {
					if n == nil {
						continue
					}
					for _, id := range expr.Idents(n) {
						if isDerived[id] && !done[id] {
							ready = false
						}
					}
				}
			}
			if ready {
				order, done[d.name] = append(order, d), true
			} else {
				rest = append(rest, d)
			}
		}
		if len(rest) == len(pending) {
			t.Fatalf("derived variables depend on each other in a cycle")
		}
		pending = rest
	}
	var rates []expr.Node
	for _, r := range ct.Dynamics.Rates {
		rates = append(rates, lemsExpr(t, r.Value))
	}
	var tests []expr.Node
	for _, c := range ct.Dynamics.OnCondition {
		tests = append(tests, lemsExpr(t, c.Test))
	}
	dt, length := lemsSeconds(t, f.Simulation.Step), lemsSeconds(t, f.Simulation.Length)
	steps := int(math.Round(length / dt))
	out := &compare.Table{Source: "rendered LEMS"}
	for _, o := range f.Simulation.Outputs {
		out.Names = append(out.Names, o.Quantity)
		out.Cols = append(out.Cols, nil)
	}
	record := func(k int) {
		out.T = append(out.T, float64(k)*dt)
		for i, q := range out.Names {
			out.Cols[i] = append(out.Cols[i], env[q[strings.LastIndex(q, "/")+1:]])
		}
	}
	record(0)
	next := make([]float64, len(rates))
	for k := 0; k < steps; k++ {
		env["t"] = float64(k) * dt
		for _, d := range order {
			for _, c := range d.cases {
				if c[0] == nil || eval(c[0]) != 0 {
					env[d.name] = eval(c[1])
					break
				}
			}
		}
		for i, r := range rates {
			next[i] = env[ct.Dynamics.Rates[i].Variable] + dt*eval(r)
		}
		for i, r := range ct.Dynamics.Rates {
			env[r.Variable] = next[i]
		}
		// conditions on the new state, their assignments at once
		var assign []func()
		for i, c := range ct.Dynamics.OnCondition {
			if eval(tests[i]) == 0 {
				continue
			}
			for _, a := range c.Assign {
				v, name := eval(lemsExpr(t, a.Value)), a.Variable
				assign = append(assign, func() { env[name] = v })
			}
		}
		for _, a := range assign {
			a()
		}
		record(k + 1)
	}
	return out
}

// TestRenderedMassNetworksRun renders neural-mass experiments to LEMS,
// runs the files with the interpreter above and compares every recorded
// column with the compiled binary's: the rendered network must be the
// simulated one (same weights, same coupling sums, same equations), up to
// the rounding of LEMS's SI time (dt·(f/1 ms) against the binary's
// dt_ms·f).
func TestRenderedMassNetworksRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	for _, name := range []string{"mass-single-euler", "mass-nodes", "mass-network", "mass-hetero", "mass-bounds", "mass-delays"} {
		t.Run(name, func(t *testing.T) {
			exp := filepath.Join("../../testdata/lems", name, "exp.yaml")
			code, xmlText, stderr := workflowTool(t, "render", "lems", exp)
			if code != 0 {
				t.Fatalf("render lems: exit %d: %s", code, stderr)
			}
			ref := interpretLEMS(t, []byte(xmlText))
			csv := filepath.Join(t.TempDir(), "sim.csv")
			cache, err := buildCache()
			if err != nil {
				t.Fatal(err)
			}
			if code, _, stderr := workflowTool(t, "run", "-q", "--cache-dir", cache, exp, "-o", csv); code != 0 {
				t.Fatalf("run: exit %d: %s", code, stderr)
			}
			sim, err := compare.Load(csv, compare.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			// the Document names the binary's column for every quantity
			doc := renderedColumns(t, exp)
			if len(doc) != len(ref.Names) {
				t.Fatalf("%d columns in the Document, %d in the XML", len(doc), len(ref.Names))
			}
			if len(sim.T) != len(ref.T) {
				t.Fatalf("%d rows from the binary, %d from the LEMS file", len(sim.T), len(ref.T))
			}
			for i, q := range ref.Names {
				j := indexOf(sim.Names, doc[q])
				if j < 0 {
					t.Fatalf("%s: the binary has no column %q (it has %v)", q, doc[q], sim.Names)
				}
				lo, hi := math.Inf(1), math.Inf(-1)
				for _, v := range sim.Cols[j] {
					lo, hi = min(lo, v), max(hi, v)
				}
				tol := 1e-9 * (1 + hi - lo)
				for k := range ref.T {
					if d := math.Abs(ref.Cols[i][k] - sim.Cols[j][k]); !(d <= tol) {
						t.Fatalf("%s at row %d (t = %g s): LEMS %v, binary %v", q, k, ref.T[k], ref.Cols[i][k], sim.Cols[j][k])
					}
				}
			}
		})
	}
}

// renderedColumns maps each LEMS quantity of exp's rendering to the
// binary's column name (Document.Outputs).
func renderedColumns(t *testing.T, exp string) map[string]string {
	t.Helper()
	doc, err := renderLEMS(exp, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, of := range doc.Outputs {
		for _, c := range of.Columns {
			m[c.Quantity] = c.Name
		}
	}
	return m
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
