#!/usr/bin/env python3
"""sympy-reference.py: TVBO's reading of a dynamical system's equations,
one step from given states.

TVBO parses the equations of its model files with SymPy. This script reads
a model file the same way (parameters, state variables, derived variables,
`t` for time), and for every row of a result table tvboc wrote takes that
row's state and time and computes the next row: x_next = f(x) for a map
(system_type: discrete), x + dt*f(x, t) for an ODE stepped with Euler. It
prints the rows it computed (rows 1..n) as CSV, columns in the table's
order, so the caller can compare them with the table's rows 1..n: each step
is checked from the same state, so nothing accumulates even where the
system is chaotic.

    sympy-reference.py MODEL.yaml RESULTS.csv DT_MS > next.csv

RESULTS.csv: tvboc's CSV (t in s, or iterations for a map; columns
<pop>[0]/<state>). DT_MS: the step in ms (ignored for a map).
"""
import csv
import math
import sys

import sympy
import yaml
from sympy.parsing.sympy_parser import parse_expr, standard_transformations


def main():
    model_path, table_path, dt = sys.argv[1], sys.argv[2], float(sys.argv[3])
    with open(model_path) as f:
        model = yaml.safe_load(f)
    discrete = model.get("system_type") == "discrete"
    params = {k: v["value"] for k, v in (model.get("parameters") or {}).items()}
    states = list(model["state_variables"].keys())
    derived = {k: v for k, v in (model.get("derived_variables") or {}).items()}
    rates = {k: v for k, v in model["state_variables"].items()}

    names = set(params) | set(states) | set(derived) | {"t"}
    symbols = {n: sympy.Symbol(n) for n in names}
    local = dict(symbols)
    local["abs"] = sympy.Abs

    def parse(text):
        return parse_expr(str(text), local_dict=local, transformations=standard_transformations)

    def definition(var):
        """A variable's expression: its equation's rhs, or the Piecewise of
        its cases (derived variables) or conditionals (equations), the
        first true condition winning."""
        eq = var.get("equation") or {}
        if "rhs" in eq:
            return parse(eq["rhs"])
        if eq.get("conditionals"):
            return sympy.Piecewise(*[(parse(c["expression"]), parse(c["condition"])) for c in eq["conditionals"]])
        if var.get("cases"):
            return sympy.Piecewise(*[(parse(c["equation"]["rhs"]), parse(c["condition"])) for c in var["cases"]])
        sys.exit("sympy-reference: %s has no equation" % var.get("name"))

    # derived variables in terms of states, parameters and t
    resolved = {}

    def resolve(name, seen=()):
        if name in resolved:
            return resolved[name]
        if name in seen:
            sys.exit("sympy-reference: derived variable %s depends on itself" % name)
        e = definition(derived[name])
        e = e.subs({symbols[d]: resolve(d, seen + (name,)) for d in derived if symbols[d] in e.free_symbols})
        resolved[name] = e
        return e

    subs = {symbols[p]: sympy.Float(v, 17) if isinstance(v, float) else sympy.Integer(v) if isinstance(v, int) else parse(v)
            for p, v in params.items()}
    funcs = []
    args = [symbols[s] for s in states] + [symbols["t"]]
    for s in states:
        e = definition(rates[s])
        e = e.subs({symbols[d]: resolve(d) for d in derived if symbols[d] in e.free_symbols})
        e = e.subs(subs)
        funcs.append(sympy.lambdify(args, e, modules="math"))

    with open(table_path) as f:
        rows = list(csv.reader(f))
    header = rows[0]
    cols = []
    for s in states:
        col = [i for i, h in enumerate(header) if h.split("/")[-1] == s]
        if len(col) != 1:
            sys.exit("sympy-reference: %s: no single column for state %s (header %s)" % (table_path, s, header))
        cols.append(col[0])
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["t"] + [header[c] for c in cols])
    for r, following in zip(rows[1:-1], rows[2:]):
        x = [float(r[c]) for c in cols]
        t = float(r[0]) if discrete else float(r[0]) * 1e3  # ms
        f = [fn(*x, t) for fn in funcs]
        nxt = f if discrete else [xi + dt * fi for xi, fi in zip(x, f)]
        out.writerow([following[0]] + [repr(float(v)) for v in nxt])


if __name__ == "__main__":
    main()
