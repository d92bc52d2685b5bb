package gen

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
)

// derivedProgram is one state x with dx/dt = -x and, when withDerived, a
// derived column d = 2*x (in mV, recorded in V).
func derivedProgram(withDerived bool) *ir.Program {
	x := &expr.Ident{Name: "x"}
	p := &ir.Program{Label: "t", Source: "t.yaml", Dt: 0.1, Steps: 10, Method: "euler",
		States:  []*ir.State{{Name: "x", Init: 1}},
		Columns: []ir.Column{{Name: "x", State: 0, Scale: 1, Default: true}},
		Segments: []ir.Segment{{Start: 0, End: 10, Body: []ir.Stmt{
			&ir.Update{Names: []string{"x"}, Values: []expr.Node{&expr.Binary{Op: "-", X: x, Y: &expr.Binary{Op: "*", X: &expr.Num{Value: 0.1}, Y: x}}}},
		}}},
	}
	if withDerived {
		twice := func() []ir.Stmt {
			return []ir.Stmt{&ir.Let{Name: "d_rec", Value: &expr.Binary{Op: "*", X: &expr.Num{Value: 2}, Y: x}}}
		}
		p.Columns = append(p.Columns, ir.Column{Name: "d", Scale: 1e-3, Unit: "V", Value: &expr.Ident{Name: "d_rec"}})
		p.Derived0 = twice()
		p.Segments[0].Derived = twice()
	}
	return p
}

// TestDerivedColumnsAfterTheLoop checks where the generated program
// computes derived columns: in a function of its own (derivedColumns)
// that simulate calls after the step loop only when the recorder writes
// them, reading the states back from the recorded rows; main tells the
// recorder what it writes; and a program without derived columns has
// none of this.
func TestDerivedColumnsAfterTheLoop(t *testing.T) {
	tests := []struct {
		name        string
		withDerived bool
	}{
		{"with derived columns", true},
		{"without", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src, err := Generate(derivedProgram(tc.withDerived))
			if err != nil {
				t.Fatal(err)
			}
			f, err := parser.ParseFile(token.NewFileSet(), "sim.go", src, 0)
			if err != nil {
				t.Fatalf("%v\n%s", err, src)
			}
			if !strings.Contains(string(src), "rt.NewRunRecorder(opts)") {
				t.Errorf("main does not size the recorder by what the run writes:\n%s", src)
			}
			funcs, guardedCalls, handed := 0, 0, 0
			for _, decl := range f.Decls {
				fd, ok := decl.(*ast.FuncDecl)
				if !ok {
					continue
				}
				if fd.Name.Name == "derivedColumns" {
					funcs++
					continue
				}
				// elsewhere d_rec is never mentioned, and derivedColumns
				// is called only under `if rec.Selected(1)`, outside any
				// loop
				var walk func(n ast.Node, guarded, inLoop bool)
				walk = func(n ast.Node, guarded, inLoop bool) {
					ast.Inspect(n, func(m ast.Node) bool {
						switch m := m.(type) {
						case *ast.ForStmt:
							walk(m.Body, guarded, true)
							return false
						case *ast.IfStmt:
							// rec.Selected(1) && !rec.Streams(): a
							// streamed run derives them per chunk
							if b, ok := m.Cond.(*ast.BinaryExpr); ok && b.Op == token.LAND {
								if c, ok := b.X.(*ast.CallExpr); ok && callText(c) == "rec.Selected(1)" {
									walk(m.Body, true, inLoop)
									return false
								}
							}
						case *ast.CallExpr:
							if sel, ok := m.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Derive" && !inLoop {
								handed++ // the recorder calls it, per chunk of a stream
								return false
							}
							if id, ok := m.Fun.(*ast.Ident); ok && id.Name == "derivedColumns" {
								if !guarded || inLoop {
									t.Errorf("%s calls derivedColumns unguarded (%v) or in a loop (%v)", fd.Name.Name, !guarded, inLoop)
								}
								guardedCalls++
							}
						case *ast.Ident:
							if m.Name == "d_rec" {
								t.Errorf("%s computes d_rec itself", fd.Name.Name)
							}
						}
						return true
					})
				}
				walk(fd, false, false)
			}
			text := string(src)
			if tc.withDerived {
				if funcs != 1 || guardedCalls != 1 || handed != 1 {
					t.Errorf("%d derivedColumns functions, %d guarded calls and %d handed to rec.Derive, want 1, 1 and 1\n%s", funcs, guardedCalls, handed, text)
				}
				for _, want := range []string{
					"x := row[0]",            // the state, read back from its column
					"row[1] = d_rec * 0.001", // the derived value, in SI
					"Lazy:",                  // the recorder has no room for it unless written
					"_ = row[0]",             // the step's row is the states' only
					"rec.Derive(func(data []float64, first, n int) {", // before the loop
				} {
					if !strings.Contains(text, want) {
						t.Errorf("no %q in the generated program:\n%s", want, text)
					}
				}
			} else if funcs != 0 || strings.Contains(text, "derived") {
				t.Errorf("a program without derived columns mentions them:\n%s", text)
			}
		})
	}
}

// callText prints a call of the form a.B(1) back as text.
func callText(c *ast.CallExpr) string {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok || len(c.Args) != 1 {
		return ""
	}
	x, ok1 := sel.X.(*ast.Ident)
	lit, ok2 := c.Args[0].(*ast.BasicLit)
	if !ok1 || !ok2 {
		return ""
	}
	return x.Name + "." + sel.Sel.Name + "(" + lit.Value + ")"
}
