package flatten

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/load"
)

// cellYAML wraps a cell's components in a minimal experiment.
func cellYAML(iri, params, components string) string {
	return "dynamics:\n  name: c\n  iri: " + iri + "\n  parameters:\n" + params + "  components:\n" + components +
		"integration: {step_size: 0.01, duration: 1, time_scale: ms}\n"
}

const pointParams = "    C: {value: 10, unit: pF}\n    v0: {value: -65, unit: mV}\n    thresh: {value: 20, unit: mV}\n"

const kGate = `    k:
      iri: neuroml:ionChannelHH
      parameters: {conductance: {value: 10, unit: pS}, number: {value: 36000}, erev: {value: -77, unit: mV}}
      components:
        n:
          iri: neuroml:gateHHrates
          parameters: {instances: {value: 4}}
          components:
            forwardRate:
              iri: neuroml:HHExpLinearRate
              parameters: {rate: {value: 0.1, unit: per_ms}, midpoint: {value: -55, unit: mV}, scale: {value: 10, unit: mV}}
            reverseRate:
              iri: neuroml:HHExpRate
              parameters: {rate: {value: 0.125, unit: per_ms}, midpoint: {value: -65, unit: mV}, scale: {value: -80, unit: mV}}
`

// flattenYAML flattens under the plain ODE reading (no lags), so that
// derived values are functions of v alone.
func flattenYAML(t *testing.T, src string) (*Cell, error) {
	t.Helper()
	return flattenWith(t, src, Options{ODE: true})
}

func flattenWith(t *testing.T, src string, opts Options) (*Cell, error) {
	t.Helper()
	exp, err := load.Experiment("exp.yaml", []byte(src))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return FlattenWith(exp.Dynamics, opts)
}

// TestFlattenLags pins where jLEMS's copies of v put their lag: the
// channel current reads the cell's v, a custom channel's own equation
// the population's copy (one step), a gate's rates the channel's copy
// (two steps); the plain ODE reading has none.
func TestFlattenLags(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		rate string // what k/n/forwardRate/x reads
		lags string
	}{
		{Options{}, "v__lag2", "v__lag1:v:1 v__lag2:v:2"},
		{Options{ODE: true}, "v", ""},
	} {
		c, err := flattenWith(t, cellYAML("neuroml:pointCellCondBased", pointParams, kGate), tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		var lags []string
		for _, l := range c.Lags {
			lags = append(lags, l.Name+":"+l.Of+":"+strconv.Itoa(l.Steps))
		}
		if got := strings.Join(lags, " "); got != tc.lags {
			t.Errorf("ODE=%v: lags %q, want %q", tc.opts.ODE, got, tc.lags)
		}
		reads := map[string][]string{}
		for _, d := range c.Derived {
			reads[d.Name] = expr.Idents(d.Value)
		}
		if !slices.Contains(reads["k/n/forwardRate/x"], tc.rate) {
			t.Errorf("ODE=%v: the rate reads %v, want %s", tc.opts.ODE, reads["k/n/forwardRate/x"], tc.rate)
		}
		if !slices.Contains(reads["k/i"], "v") {
			t.Errorf("ODE=%v: the channel current reads %v, want the cell's v", tc.opts.ODE, reads["k/i"])
		}
	}
}

func derivedValue(t *testing.T, c *Cell, name string, at map[string]float64) float64 {
	t.Helper()
	known := map[string]float64{}
	for k, v := range c.Params {
		known[k] = v
	}
	for k, v := range at {
		known[k] = v
	}
	for _, d := range c.Derived {
		v, err := expr.Eval(d.Value, func(n string) (float64, bool) { v, ok := known[n]; return v, ok })
		if err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		known[d.Name] = v
	}
	v, ok := known[name]
	if !ok {
		t.Fatalf("no derived %q", name)
	}
	return v
}

// TestFlattenHHGate checks the flat form of one HH channel: path names, the
// gate's steady-state start, and the channel current's formula.
func TestFlattenHHGate(t *testing.T) {
	c, err := flattenYAML(t, cellYAML("neuroml:pointCellCondBased", pointParams, kGate))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	initial := map[string]float64{}
	for _, s := range c.States {
		names = append(names, s.Name)
		initial[s.Name] = s.Initial
	}
	if got := strings.Join(names, " "); got != "k/n/q v spiking" {
		t.Errorf("states %q, want \"k/n/q v spiking\"", got)
	}
	// n starts at alpha/(alpha+beta) at v0 = -65 mV (HH's 0.3177)
	x := (-65.0 + 55) / 10
	alpha := 0.1e3 * x / (1 - math.Exp(-x))
	beta := 0.125e3
	if want := alpha / (alpha + beta); math.Abs(initial["k/n/q"]-want) > 1e-12 {
		t.Errorf("n starts at %v, want steady state %v", initial["k/n/q"], want)
	}
	v := -0.05
	n := 0.4
	i := derivedValue(t, c, "k/i", map[string]float64{"v": v, "k/n/q": n, "iExternal": 0})
	want := 36000 * 10e-12 * math.Pow(n, 4) * (-0.077 - v)
	if math.Abs(i-want) > 1e-15*math.Abs(want)+1e-24 {
		t.Errorf("k/i = %v, want %v", i, want)
	}
}

// TestHHExpLinearRateSingularity checks the removable singularity: at the
// midpoint the rate is exactly `rate`, and just beside it the value is
// continuous to near machine precision.
func TestHHExpLinearRateSingularity(t *testing.T) {
	c, err := flattenYAML(t, cellYAML("neuroml:pointCellCondBased", pointParams, kGate))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		v    float64 // volts
	}{
		{"at the midpoint", -0.055},
		{"1e-9 mV above", -0.055 + 1e-12},
		{"just inside the series band", -0.055 + 0.9e-5},
		{"just outside it", -0.055 + 1.1e-5},
		{"far away", -0.02},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := derivedValue(t, c, "k/n/forwardRate/r", map[string]float64{"v": tc.v, "k/n/q": 0.3, "iExternal": 0})
			x := (tc.v + 0.055) / 0.01
			want := 100.0
			if x != 0 {
				// x/(1-exp(-x)) = x/(-expm1(-x)), accurate for every x
				want = 100 * x / -math.Expm1(-x)
			}
			if math.Abs(r-want) > 1e-13*want {
				t.Errorf("r = %.17g, want %.17g", r, want)
			}
		})
	}
}

// TestFlattenErrors checks the mistakes a component tree can hold.
func TestFlattenErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"gate without rates", cellYAML("neuroml:pointCellCondBased", pointParams, `    k:
      iri: neuroml:ionChannelHH
      parameters: {conductance: {value: 10, unit: pS}, number: {value: 1}, erev: {value: -77, unit: mV}}
      components:
        n: {iri: neuroml:gateHHrates, parameters: {instances: {value: 4}}}
`), `has no "forwardRate" component`},
		{"unknown rate type", strings.Replace(cellYAML("neuroml:pointCellCondBased", pointParams, kGate), "HHExpRate", "HHExpoRate", 1),
			`unknown component type "neuroml:HHExpoRate"`},
		{"channel without erev", cellYAML("neuroml:pointCellCondBased", pointParams, `    leak:
      iri: neuroml:ionChannelPassive
      parameters: {conductance: {value: 10, unit: pS}, number: {value: 300}}
`), `has no reversal potential`},
		{"q10 without temperature", cellYAML("neuroml:pointCellCondBased", pointParams, strings.Replace(kGate, "          components:\n", `          components:
            q10Settings:
              iri: neuroml:q10ExpTemp
              parameters: {q10Factor: {value: 3}, experimentalTemp: {value: 6.3, unit: degC}}
`, 1)), `undefined symbol "temperature"`},
		{"unknown gate parameter", strings.Replace(cellYAML("neuroml:pointCellCondBased", pointParams, kGate), "instances: {value: 4}", "instances: {value: 4}, power: {value: 2}", 1),
			`unknown parameter "power" for gateHHrates`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := flattenYAML(t, tc.src)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if !strings.Contains(err.Error(), "exp.yaml:") {
				t.Errorf("error %q names no position", err)
			}
		})
	}
}

// TestFlattenRefusesNonFiniteCells: parameters that make a cell's
// equation infinite or NaN at every step, and gate instances that are not
// NeuroML's positive integers, are refused at the parameter, once, in
// the component's own names (no flat paths, no lag registers); the same
// cell with sound values flattens.
func TestFlattenRefusesNonFiniteCells(t *testing.T) {
	for _, tc := range []struct {
		name, params, gate string
		want               string // "" when it flattens
	}{
		{"sound", pointParams, kGate, ""},
		{"C zero", strings.Replace(pointParams, "C: {value: 10", "C: {value: 0", 1), kGate,
			"exp.yaml:5:5: the rate of v: (iChannels + iSyn) / C divides by zero with C = 0"},
		{"scale zero", pointParams, strings.Replace(kGate, "scale: {value: -80", "scale: {value: 0", 1),
			"derived variable r of k/n/reverseRate: (v - midpoint) / scale divides by zero with scale = 0"},
		{"instances negative", pointParams, strings.Replace(kGate, "instances: {value: 4}", "instances: {value: -2}", 1),
			`parameter "instances" of "n" must be a whole number from 1 to 1000 (NeuroML's positiveInteger), got -2`},
		{"instances zero", pointParams, strings.Replace(kGate, "instances: {value: 4}", "instances: {value: 0}", 1), "got 0"},
		{"instances fraction", pointParams, strings.Replace(kGate, "instances: {value: 4}", "instances: {value: 2.5}", 1), "got 2.5"},
		{"instances huge", pointParams, strings.Replace(kGate, "instances: {value: 4}", "instances: {value: 1e6}", 1), "got 1e+06"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, opts := range []Options{{}, {ODE: true}} {
				_, err := flattenWith(t, cellYAML("neuroml:pointCellCondBased", tc.params, tc.gate), opts)
				switch {
				case tc.want == "" && err != nil:
					t.Fatalf("ODE %v: %v", opts.ODE, err)
				case tc.want == "":
				case err == nil:
					t.Fatalf("ODE %v: flattened; want %q", opts.ODE, tc.want)
				case !strings.Contains(err.Error(), tc.want):
					t.Errorf("ODE %v: %v\nwant %q", opts.ODE, err, tc.want)
				case strings.Count(err.Error(), "\n") > 0 || strings.Contains(err.Error(), "__lag"):
					t.Errorf("ODE %v: one message in the user's names wanted, got %q", opts.ODE, err)
				}
			}
		})
	}
}
