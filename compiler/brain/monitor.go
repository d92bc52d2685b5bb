package brain

import (
	"fmt"
	"math"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/ir"
)

// This file gives TVBO's monitors (and observations typed as one of TVB's
// monitors) TVB's semantics (tvb.simulator.monitors, 2.11): Raw every
// step, SubSample every period, TemporalAverage the mean of a period's
// steps stamped at its middle, and Bold its HRF convolution of 4 ms
// averages. None of them writes the initial state: their first row is
// the end of the first period.

// monitorKind is the TVB monitor every observation follows ("" for
// tvboc's own observations). Mixed kinds are refused: one binary records
// one kind of row.
func (c *compiler) monitorKind() string {
	kind := ""
	var first *ast.Observation
	for _, o := range c.exp.Observations {
		k := o.Monitor.Value
		if first == nil {
			kind, first = k, o
			continue
		}
		if k != kind {
			label := func(o *ast.Observation) string {
				switch o.Monitor.Value {
				case "":
					return fmt.Sprintf("observation %q", o.Name.Value)
				case o.Name.Value:
					return o.Name.Value
				}
				return fmt.Sprintf("%s (%s)", o.Name.Value, o.Monitor.Value)
			}
			c.errorf(o.Pos, "%s and %s record different rows; one binary records one kind of monitor", label(first), label(o)).
				Hint = "compile one experiment per monitor (a Bold run and a Raw run of the same experiment agree step for step)"
		}
	}
	return kind
}

// Default periods of TVB's monitors, ms.
const (
	defaultMonitorPeriod = 0.9765625 // SubSample, TemporalAverage: 1/1024 s
	defaultBoldPeriod    = 2000.0
)

// monitorPeriod is a monitor's period in ms (Raw: the step).
func (c *compiler) monitorPeriod(o *ast.Observation) (float64, bool) {
	switch o.Monitor.Value {
	case "Raw":
		// TVB: "Sampling period is ignored for Raw Monitor"
		return c.p.DtModel, true
	case "Bold":
		for _, q := range o.Parameters {
			if q.Name.Value == "TR" && !o.Period.Set {
				o.Period = ast.Num{Value: q.Value.Value, Pos: q.Name.Pos, Set: true} // TVBO's repetition time
			}
		}
		if !o.Period.Set {
			return defaultBoldPeriod, true
		}
	default:
		if !o.Period.Set {
			return defaultMonitorPeriod, true
		}
	}
	if !(o.Period.Value > 0) {
		c.errorf(o.Period.Pos, "monitor period must be positive, got %g ms", o.Period.Value)
		return 0, false
	}
	return o.Period.Value, true
}

// bold sets p.Bold: TVB's Bold.compute_hrf for the (one) Bold monitor.
func (c *compiler) bold(period float64) {
	var o *ast.Observation
	for _, x := range c.exp.Observations {
		if x.Monitor.Value == "Bold" {
			o = x
		}
	}
	if k := o.Kernel.Value; k != "" && !strings.EqualFold(k, "FirstOrderVolterra") {
		c.errorf(o.Kernel.Pos, "the Bold monitor's hrf_kernel %s is not generated", k).
			Hint = "tvboc computes TVB's default kernel, FirstOrderVolterra (parameters tau_s, tau_f, k_1, V_0)"
		return
	}
	par := map[string]float64{"tau_s": 0.8, "tau_f": 0.4, "k_1": 5.6, "V_0": 0.02, "hrf_length": 20000}
	for _, q := range o.Parameters {
		if q.Name.Value == "TR" {
			continue // the period (monitorPeriod)
		}
		if _, ok := par[q.Name.Value]; !ok {
			c.errorf(q.Name.Pos, "the Bold monitor has no parameter %q", q.Name.Value).
				Hint = "its parameters: hrf_length (ms) and the kernel's tau_s, tau_f, k_1, V_0" + closest(q.Name.Value, []string{"hrf_length", "tau_s", "tau_f", "k_1", "V_0"})
			continue
		}
		if q.Expr != nil || !(q.Value.Value > 0) || math.IsInf(q.Value.Value, 0) {
			c.errorf(q.Name.Pos, "Bold parameter %s must be a positive number", q.Name.Value)
			continue
		}
		par[q.Name.Value] = q.Value.Value
	}
	dt := c.p.DtModel
	// compute_hrf: the stock holds 4 ms averages (sample rate 2^-2 per ms)
	// over hrf_length; the kernel is evaluated on numpy.arange(0, T, T/S)
	// in seconds and reversed.
	const rate = 0.25
	steps := int(math.Ceil(rate * par["hrf_length"]))
	tmax := par["hrf_length"] / 1000.0
	tstep := tmax / float64(steps)
	if n := int(math.Ceil(tmax / tstep)); n != steps {
		c.errorf(o.Pos, "hrf_length %g ms gives TVB's Bold a kernel of %d samples for a stock of %d", par["hrf_length"], n, steps).
			Hint = "use a whole number of 4 ms (TVB fails on this one too)"
		return
	}
	interim := int(math.RoundToEven((1.0 / rate) / dt))
	if interim < 1 {
		c.errorf(o.Pos, "the step %g ms is longer than the Bold monitor's 4 ms averages", dt)
		return
	}
	tauS, tauF := par["tau_s"], par["tau_f"]
	w := math.Sqrt(1.0/tauF - 1.0/(4.0*(tauS*tauS)))
	if math.IsNaN(w) || w == 0 {
		c.errorf(o.Pos, "the FirstOrderVolterra kernel needs 1/tau_f > 1/(4 tau_s^2) (tau_s %g, tau_f %g)", tauS, tauF)
		return
	}
	kernel := make([]float64, steps)
	for i := range kernel {
		t := float64(i) * tstep // numpy.arange's i * step
		g := 1.0 / 3.0 * math.Exp(-0.5*(t/tauS)) * math.Sin(w*t) / w
		kernel[steps-1-i] = g // G[::-1]
	}
	c.p.Bold = &ir.BrainBold{Interim: interim, Kernel: kernel, Scale: par["k_1"] * par["V_0"], Offset: 1}
	_ = period
}

// pipelineBold are the steps of TVBO's BOLD_TVB observation model
// (observation_models/bold_tvb.yaml), which together are TVB's Bold
// monitor: 4 ms averages, the Volterra HRF, its reversal, the
// convolution, the subsample to TR and (X - 1) k_1 V_0.
var pipelineBold = map[string]bool{"temporal_average_interim": true, "hemodynamicresponsefunctiontvb": true, "hrf": true,
	"reverse_hrf": true, "fftconvolve": true, "convolve": true, "volterra_transform": true}

// pipeline maps an observation's TVBO pipeline onto TVB's monitors: the
// BOLD_TVB steps become Bold (the HRF's tau_s, tau_f and duration, the
// transform's k_1 and V_0, the period or parameter TR), a lone subsample
// SubSample and a lone temporal average TemporalAverage (stepsize steps,
// or the observation's period). Any other step is Python post-processing
// and is refused by name.
func (c *compiler) pipeline(o *ast.Observation) {
	if len(o.Pipeline) == 0 {
		return
	}
	bold, sub, avg := false, (*ast.PipelineStep)(nil), (*ast.PipelineStep)(nil)
	for _, st := range o.Pipeline {
		name := strings.ToLower(st.Name.Value)
		switch {
		case pipelineBold[name] && name != "temporal_average_interim":
			bold = true
		case pipelineBold[name] || strings.HasPrefix(name, "temporal_average"):
			avg = st
		case strings.HasPrefix(name, "subsample"):
			sub = st
		default:
			c.errorf(st.Name.Pos, "observation %q: pipeline step %s is not plain arithmetic tvboc computes", o.Name.Value, st.Name.Value).
				Hint = "tvboc runs TVBO's BOLD_TVB steps (as TVB's Bold monitor), a subsample and a temporal average; remove the pipeline to record the source (--fc FILE writes a correlation matrix)"
			return
		}
	}
	value := func(st *ast.PipelineStep, name string) (float64, bool) {
		for _, v := range st.Values {
			if v.Name.Value == name {
				return v.Value.Value, true
			}
		}
		return 0, false
	}
	stepPeriod := func(st *ast.PipelineStep) {
		if o.Period.Set {
			return
		}
		if k, ok := value(st, "stepsize"); ok {
			o.Period = ast.Num{Value: k * c.p.DtModel, Pos: st.Pos, Set: true}
		}
	}
	switch {
	case bold:
		o.Monitor = ast.Str{Value: "Bold", Pos: o.Pipeline[0].Name.Pos}
		for _, st := range o.Pipeline {
			for _, v := range st.Values {
				switch v.Name.Value {
				case "tau_s", "tau_f", "k_1", "V_0":
					o.Parameters = append(o.Parameters, v)
				case "duration":
					// the kernel's duration, s
					o.Parameters = append(o.Parameters, &ast.Parameter{Name: ast.Str{Value: "hrf_length", Pos: v.Name.Pos},
						Quantity: ast.Quantity{Pos: v.Pos, Value: ast.Num{Value: v.Value.Value * 1000, Pos: v.Value.Pos, Set: true}}})
				}
			}
		}
		// the observation's TR is the period; other parameters are the
		// kernel's
		var keep []*ast.Parameter
		for _, q := range o.Parameters {
			if q.Name.Value == "TR" {
				if !o.Period.Set {
					o.Period = ast.Num{Value: q.Value.Value, Pos: q.Name.Pos, Set: true}
				}
				continue
			}
			keep = append(keep, q)
		}
		o.Parameters = keep
	case avg != nil && sub != nil:
		c.errorf(sub.Name.Pos, "observation %q: a temporal average and a subsample in one pipeline", o.Name.Value).
			Hint = "TVB's TemporalAverage averages over its period: give the observation period: and one of the two steps"
	case avg != nil:
		o.Monitor = ast.Str{Value: "TemporalAverage", Pos: avg.Name.Pos}
		stepPeriod(avg)
	case sub != nil:
		o.Monitor = ast.Str{Value: "SubSample", Pos: sub.Name.Pos}
		stepPeriod(sub)
	}
}
