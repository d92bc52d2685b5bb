package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestConditionsAsNumbers: a comparison where a number is needed is 1
// where it holds and 0 where not (NumPy's and Julia's reading, which TVBO's
// own Jansen1995 stimulus "(t >= t0) * q" relies on), in every back end
// and every place a number is written: a rate, a derived variable, a
// function's body, an initial value, a population's rate (whose network
// has no spikes, which once left a variable unused). Each
// experiment is x' = (x < 1) from x = 0, Euler with dt 0.1: x grows by
// 0.1 a step until it reaches 1 and then stays, which the test sums here.
// Before, each of these reached go build as a bool in arithmetic.
func TestConditionsAsNumbers(t *testing.T) {
	want := 0.0
	for range 50 {
		if want < 1 {
			want += 0.1
		}
	}
	integration := "integration: {method: euler, step_size: 0.1, duration: 5, time_scale: ms}\n"
	tests := []struct{ name, yaml, column string }{
		{"rate", `dynamics:
  name: M
  state_variables:
    x: {equation: {rhs: "x < 1"}, initial_value: 0}
network: {number_of_nodes: 1}
`, "x"},
		{"derived variable, function and initial value", `dynamics:
  name: M
  system_type: continuous
  functions:
    below: {arguments: {u: {name: u}}, equation: {rhs: "u < 1"}}
  derived_variables:
    grow: {equation: {rhs: "1*below(x)"}}
  state_variables:
    x: {equation: {rhs: "grow"}, initial_value: "1 > 2"}
`, "M_pop[0]/x"},
		{"population", `network:
  dynamics:
    M:
      state_variables:
        x: {equation: {rhs: "-(x >= 1) + 1"}, initial_value: 0}
  nodes:
    - {id: p, dynamics: M, size: 2}
`, "p[1]/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exp := filepath.Join(t.TempDir(), "exp.yaml")
			if err := os.WriteFile(exp, []byte(tt.yaml+integration), 0o644); err != nil {
				t.Fatal(err)
			}
			x := column(t, runTable(t, exp, "all"), tt.column)
			if got := x[len(x)-1]; got != want {
				t.Errorf("x at 5 ms = %v, want %v", got, want)
			}
		})
	}
}
