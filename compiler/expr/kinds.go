package expr

// Numbers and conditions. A comparison used where a number is needed
// ("(t >= t0) * q", TVBO's Jansen1995 stimulus; "-(x > a)") is read as
// NumPy and Julia, which TVBO's generated code runs on, read it: 1 where
// it holds, 0 where not, written out as Piecewise((1, c), (0, True)). A
// number where a condition is needed ("x & y", "!x", a case whose
// condition is "x") has no such reading (Python's truthiness of a float
// is not a comparison anyone meant) and is refused.

// AsNumber is n where a number is needed: n itself, or 1/0 for a
// condition.
func AsNumber(n Node) Node {
	if n == nil || !IsCondition(n) {
		return n
	}
	return &Call{P: n.Pos(), Func: "Piecewise", Args: []Node{
		&Tuple{P: n.Pos(), Elems: []Node{&Num{P: n.Pos(), Value: 1}, n}},
		&Tuple{P: n.Pos(), Elems: []Node{&Num{P: n.Pos(), Value: 0}, &Bool{P: n.Pos(), Value: true}}},
	}}
}

// Indicator reports whether n is a condition used as a number, as
// AsNumber writes it, Piecewise((1, c), (0, True)), and gives c.
func Indicator(n Node) (Node, bool) {
	call, ok := n.(*Call)
	if !ok || call.Func != "Piecewise" || len(call.Args) != 2 {
		return nil, false
	}
	first, ok1 := call.Args[0].(*Tuple)
	last, ok2 := call.Args[1].(*Tuple)
	if !ok1 || !ok2 || len(first.Elems) != 2 || len(last.Elems) != 2 {
		return nil, false
	}
	one, ok1 := first.Elems[0].(*Num)
	zero, ok2 := last.Elems[0].(*Num)
	always, ok3 := last.Elems[1].(*Bool)
	if !ok1 || !ok2 || !ok3 || one.Value != 1 || zero.Value != 0 || !always.Value {
		return nil, false
	}
	return first.Elems[1], true
}

func numberAsCondition(src string, n Node) error {
	return newError(src, int(n.Pos()), "%s is a number where a condition is needed: write a comparison such as x > 0", nodeString(n))
}

// Settle gives every operand inside n the kind its operation takes:
// conditions inside arithmetic, comparisons and function arguments become
// 1/0 (AsNumber); a number under &, | or ! or as a Piecewise condition is
// an error. A subscript may be either (a mask, weight[weight > 0]). The
// kind of n itself is its caller's to settle.
func Settle(src string, n Node) (Node, error) {
	var err error
	number := func(c Node) Node {
		if err != nil {
			return c
		}
		c, err = Settle(src, c)
		return AsNumber(c)
	}
	condition := func(c Node) Node {
		if err != nil {
			return c
		}
		if !IsCondition(c) {
			err = numberAsCondition(src, c)
			return c
		}
		c, err = Settle(src, c)
		return c
	}
	switch n := n.(type) {
	case *Unary:
		if n.Op == "!" {
			return &Unary{P: n.P, Op: n.Op, X: condition(n.X)}, err
		}
		return &Unary{P: n.P, Op: n.Op, X: number(n.X)}, err
	case *Binary:
		if n.Op == "&" || n.Op == "|" {
			x := condition(n.X)
			return &Binary{P: n.P, Op: n.Op, X: x, Y: condition(n.Y)}, err
		}
		x := number(n.X)
		return &Binary{P: n.P, Op: n.Op, X: x, Y: number(n.Y)}, err
	case *Index:
		var index Node
		if index, err = Settle(src, n.Index); err != nil {
			return n, err
		}
		return &Index{P: n.P, X: n.X, Index: index}, nil
	case *Call:
		args := make([]Node, len(n.Args))
		for i, a := range n.Args {
			t, pair := a.(*Tuple)
			if n.Func == "Piecewise" && pair && len(t.Elems) == 2 {
				v := number(t.Elems[0])
				args[i] = &Tuple{P: t.P, Elems: []Node{v, condition(t.Elems[1])}}
				continue
			}
			args[i] = number(a)
		}
		return &Call{P: n.P, Func: n.Func, Args: args}, err
	}
	return n, nil
}

// ParseNumber parses an expression whose value must be a number (a rate,
// a derived variable, a function's body), settling its operands' kinds
// (Settle): a condition there is 1/0.
func ParseNumber(src string) (Node, error) {
	n, err := Parse(src)
	if err == nil {
		n, err = Settle(src, n)
	}
	return AsNumber(n), err
}
