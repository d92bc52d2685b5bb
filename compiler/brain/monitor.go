package brain

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/expr"
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
	for _, q := range o.Parameters {
		switch {
		case q.Name.Value == "TR":
			if !o.Period.Set {
				o.Period = ast.Num{Value: q.Value.Value, Pos: q.Name.Pos, Set: true} // TVBO's repetition time
			}
		case o.Monitor.Value != "Bold":
			what := o.Monitor.Value
			if o.Name.Value != what {
				what = fmt.Sprintf("%s (%s)", o.Name.Value, what)
			}
			c.errorf(q.Name.Pos, "monitor %s has no parameter %q", what, q.Name.Value).
				Hint = "its period is period: (or the parameter TR); only Bold takes parameters (its HRF's)"
			return 0, false
		}
	}
	switch o.Monitor.Value {
	case "Raw":
		// TVB: "Sampling period is ignored for Raw Monitor". TVBO's own
		// studies give Raw a period, so it is said, not refused.
		if o.Period.Set && o.Period.Value != c.p.DtModel {
			c.p.Notes = append(c.p.Notes, fmt.Sprintf("%s: monitor %s records every step (%g ms), as TVB's Raw does, and does not use its period %g ms; for a row every %g ms use SubSample",
				o.Period.Pos, o.Name.Value, c.p.DtModel, o.Period.Value, o.Period.Value))
		}
		return c.p.DtModel, true
	case "Bold":
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
func (c *compiler) bold() {
	var o *ast.Observation
	for _, x := range c.exp.Observations {
		if x.Monitor.Value == "Bold" {
			o = x
		}
	}
	kernel := "FirstOrderVolterra"
	if k := o.Kernel.Value; k != "" {
		kernel = ""
		for name := range hrfKernels {
			if strings.EqualFold(name, k) {
				kernel = name
			}
		}
		if kernel == "" {
			c.errorf(o.Kernel.Pos, "the Bold monitor's hrf_kernel %s is not one of TVB's", k).
				Hint = "use FirstOrderVolterra (TVB's default), Gamma, DoubleExponential or MixtureOfGammas"
			return
		}
	}
	par := map[string]float64{"hrf_length": 20000}
	var names []string
	for k, v := range hrfKernels[kernel] {
		par[k] = v
		names = append(names, k)
	}
	sort.Strings(names)
	for _, q := range o.Parameters {
		if q.Name.Value == "TR" {
			continue // the period (monitorPeriod)
		}
		if _, ok := par[q.Name.Value]; !ok {
			c.errorf(q.Name.Pos, "the Bold monitor (%s kernel) has no parameter %q", kernel, q.Name.Value).
				Hint = "its parameters: hrf_length (ms) and the kernel's " + strings.Join(names, ", ") + closest(q.Name.Value, append(names, "hrf_length"))
			continue
		}
		if q.Expr != nil || math.IsNaN(q.Value.Value) || math.IsInf(q.Value.Value, 0) || (q.Name.Value == "hrf_length" && !(q.Value.Value > 0)) {
			c.errorf(q.Name.Pos, "Bold parameter %s must be a finite number (hrf_length a positive one)", q.Name.Value)
			continue
		}
		par[q.Name.Value] = q.Value.Value
	}
	dt := c.p.DtModel
	// compute_hrf: the stock holds 4 ms averages (sample rate 2^-2 per ms)
	// over hrf_length; the kernel is evaluated on numpy.arange(0, T, T/S)
	// in seconds and reversed.
	const rate = 0.25
	// the kernel is a table of the program's, one value per 4 ms: at
	// least one (0.1 ms gave an empty kernel and one constant row after
	// another), at most maxKernel (1e12 ms asked for 2.5e11 of them and
	// the Go runtime crashed; 1e300 panicked)
	hrfPos := o.Pos
	for _, q := range o.Parameters {
		if q.Name.Value == "hrf_length" {
			hrfPos = q.Name.Pos
		}
	}
	switch samples := math.Ceil(rate * par["hrf_length"]); {
	case par["hrf_length"] < 1/rate:
		c.errorf(hrfPos, "hrf_length %g ms is shorter than one of the Bold monitor's 4 ms averages: its kernel would hold no whole average, and every row would be the same", par["hrf_length"]).
			Hint = "TVB's default is 20000 ms"
		return
	case samples > maxKernel:
		c.errorf(hrfPos, "hrf_length %g ms makes a Bold kernel of %.4g samples of 4 ms, more than the %d (about %d minutes) tvboc holds", par["hrf_length"], samples, maxKernel, int(math.Round(float64(maxKernel)/rate/60000))).
			Hint = "TVB's default is 20000 ms"
		return
	}
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
	g, scale, offset, problem := hrf(kernel, par, steps, tstep)
	if problem != "" {
		c.errorf(o.Pos, "the Bold monitor's %s kernel: %s", kernel, problem)
		return
	}
	kernelValues := make([]float64, steps)
	for i, v := range g {
		kernelValues[steps-1-i] = v // G[::-1]
	}
	c.p.Bold = &ir.BrainBold{Interim: interim, Kernel: kernelValues, Scale: scale, Offset: offset}
}

// maxKernel bounds the samples of a Bold monitor's HRF kernel.
const maxKernel = 1 << 20

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

// hrfKernels are TVB's HRF kernels (tvb.datatypes.equations) with their
// default parameters.
var hrfKernels = map[string]map[string]float64{
	"FirstOrderVolterra": {"tau_s": 0.8, "tau_f": 0.4, "k_1": 5.6, "V_0": 0.02},
	"Gamma":              {"tau": 1.08, "n": 3, "a": 0.1},
	"DoubleExponential":  {"tau_1": 7.22, "f_1": 0.03, "amp_1": 0.1, "tau_2": 7.4, "f_2": 0.12, "amp_2": 0.1, "a": 0.1},
	"MixtureOfGammas":    {"a_1": 6, "a_2": 13, "l": 1, "c": 0.4},
}

// hrf evaluates TVB's kernel at t = i * tstep s (numpy.arange's values),
// in TVB's order of operations, and returns it with the Bold's scale and
// offset: bold = scale * (dot - offset), FirstOrderVolterra's k_1 V_0 and
// 1, the others' 1 and 0 (TVB's Bold.sample).
func hrf(kernel string, par map[string]float64, steps int, tstep float64) (g []float64, scale, offset float64, problem string) {
	g = make([]float64, steps)
	normalize := func() {
		// TVB: _pattern /= max(_pattern); _pattern *= a
		m := math.Inf(-1)
		for _, v := range g {
			m = math.Max(m, v)
		}
		for i := range g {
			g[i] = g[i] / m * par["a"]
		}
	}
	switch kernel {
	case "FirstOrderVolterra":
		tauS, tauF := par["tau_s"], par["tau_f"]
		w := math.Sqrt(1.0/tauF - 1.0/(4.0*(tauS*tauS)))
		if math.IsNaN(w) || w == 0 {
			return nil, 0, 0, fmt.Sprintf("it needs 1/tau_f > 1/(4 tau_s^2) (tau_s %g, tau_f %g)", tauS, tauF)
		}
		for i := range g {
			t := float64(i) * tstep
			g[i] = 1.0 / 3.0 * math.Exp(-0.5*(t/tauS)) * math.Sin(w*t) / w
		}
		return g, par["k_1"] * par["V_0"], 1, ""
	case "Gamma":
		tau, n := par["tau"], par["n"]
		fact := 1.0 // TVB: the product of 1 .. int(n)-1
		for i := range int(n) - 1 {
			fact *= float64(i + 1)
		}
		for i := range g {
			t := float64(i) * tstep
			g[i] = (math.Pow(t/tau, n-1) * math.Exp(-(t / tau))) / (tau * fact)
		}
		normalize()
	case "DoubleExponential":
		for i := range g {
			t := float64(i) * tstep
			g[i] = (par["amp_1"] * math.Exp(-t/par["tau_1"]) * math.Sin(2.*math.Pi*par["f_1"]*t)) -
				(par["amp_2"] * math.Exp(-t/par["tau_2"]) * math.Sin(2.*math.Pi*par["f_2"]*t))
		}
		normalize()
	case "MixtureOfGammas":
		l, c, a1, a2 := par["l"], par["c"], par["a_1"], par["a_2"]
		g1, g2 := math.Gamma(a1), math.Gamma(a2)
		for i := range g {
			t := float64(i) * tstep
			g[i] = math.Pow(l*t, a1-1)*math.Exp(-l*t)/g1 - c*math.Pow(l*t, a2-1)*math.Exp(-l*t)/g2
		}
	}
	for _, v := range g {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, 0, 0, "its parameters give values that are not finite"
		}
	}
	return g, 1, 0, ""
}

// derivedRecord records a derived variable (an output transform such as
// Jansen1995's v_pyr = y1 - y2, which TVBO's monitors select by name) as
// an expression of the state, earlier derived variables inlined: false
// when name is no derived variable; an error when it reads anything but
// the state and parameters (a coupling input) or is piecewise.
func (c *compiler) derivedRecord(o *ast.Observation, name ast.Str) (ir.BrainRecord, bool) {
	env := map[string]expr.Node{}
	so := map[string]bool{}
	for _, d := range c.m.derived {
		if d.Equation == nil {
			continue
		}
		v := c.bindModel(d.Equation, fmt.Sprintf("derived variable %q", d.Name.Value), so)
		if v == nil {
			return ir.BrainRecord{}, true // reported
		}
		v = fold(expr.Rewrite(v, func(n expr.Node) expr.Node {
			if x, ok := n.(*expr.Ident); ok && env[x.Name] != nil {
				return env[x.Name]
			}
			return n
		}))
		env[derivedIdent(d.Name.Value)] = v
		so[d.Name.Value] = true
		if d.Name.Value != name.Value {
			continue
		}
		bad := false
		expr.Inspect(v, func(n expr.Node) bool {
			switch x := n.(type) {
			case *expr.Ident:
				bad = bad || !strings.HasPrefix(x.Name, ir.StateIdent(""))
			case *expr.Call:
				bad = bad || x.Func == "Piecewise"
			}
			return true
		})
		if bad {
			c.errorf(name.Pos, "observation %q records %q, which is not a plain expression of the state (it reads a coupling input, or is piecewise)", o.Name.Value, name.Value).
				Hint = "record the state variables it is computed from"
			return ir.BrainRecord{}, true
		}
		r := ir.BrainRecord{Value: v, Default: true}
		for n := 0; n < c.p.Nodes; n++ {
			r.Names = append(r.Names, fmt.Sprintf("%s_pop[%d]/%s", c.m.name, n, name.Value))
		}
		return r, true
	}
	return ir.BrainRecord{}, false
}
