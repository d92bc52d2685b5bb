package expr

import "fmt"

// UserFunc is a function a document declares (TVBO's functions: section,
// e.g. Jansen-Rit's Sigm(v) = 2*e0 / (1 + exp(r*(v0 - v)))): its
// parameters and its body. Every other name in the body is the document's
// own (a parameter such as e0).
type UserFunc struct {
	Params []string
	Body   Node
}

// ParseWith parses src like Parse, accepting calls to the declared
// functions as well (each with exactly its number of arguments). A
// declared name does not shadow a built-in function.
func ParseWith(src string, declared map[string]*UserFunc) (Node, error) {
	return parse(src, declared)
}

// maxInlineDepth bounds declared functions calling declared functions, so
// a function that calls itself is an error rather than endless growth.
const maxInlineDepth = 32

// Inline replaces every call of a declared function in n by the
// function's body with the call's arguments in place of its parameters.
// The inlined nodes take the position of the call, so a later error points
// at the call the user wrote.
func Inline(n Node, declared map[string]*UserFunc) (Node, error) {
	return inline(n, declared, 0)
}

func inline(n Node, declared map[string]*UserFunc, depth int) (Node, error) {
	if len(declared) == 0 {
		return n, nil
	}
	var err error
	out := Rewrite(n, func(x Node) Node {
		c, ok := x.(*Call)
		if !ok || err != nil {
			return nil
		}
		if _, builtin := Funcs[c.Func]; builtin {
			return nil
		}
		fn := declared[c.Func]
		if fn == nil {
			return nil
		}
		if len(c.Args) != len(fn.Params) {
			err = &EvalError{P: c.P, Msg: fmt.Sprintf("%s takes %d argument(s), got %d", c.Func, len(fn.Params), len(c.Args))}
			return nil
		}
		if depth >= maxInlineDepth {
			err = &EvalError{P: c.P, Msg: fmt.Sprintf("function %s calls itself (directly or through another declared function)", c.Func)}
			return nil
		}
		args := make(map[string]Node, len(fn.Params))
		for i, name := range fn.Params {
			args[name] = c.Args[i]
		}
		body := Rewrite(fn.Body, func(y Node) Node {
			if id, ok := y.(*Ident); ok {
				if a, ok := args[id.Name]; ok {
					return a
				}
			}
			setPos(y, c.P)
			return y
		})
		var inner Node
		inner, err = inline(body, declared, depth+1)
		return inner
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// setPos moves a freshly copied node (Rewrite's copy) to p.
func setPos(n Node, p Pos) {
	switch x := n.(type) {
	case *Num:
		x.P = p
	case *Bool:
		x.P = p
	case *Ident:
		x.P = p
	case *Unary:
		x.P = p
	case *Binary:
		x.P = p
	case *Call:
		x.P = p
	case *Tuple:
		x.P = p
	case *Index:
		x.P = p
	}
}
