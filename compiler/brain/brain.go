package brain

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/limits"
)

// Options are the settings a whole-brain compilation takes from outside
// the experiment file.
type Options struct {
	// DataDir holds connectomes named by IRI (<Atlas>_weights.csv,
	// <Atlas>_lengths.csv). Empty: the environment variable TVBOC_DATA.
	DataDir string
	// Dt and Duration (ms), when positive, replace the experiment's
	// step_size and duration (or the defaults of a file without an
	// integration section). Zero: the environment variables TVBOC_DT and
	// TVBOC_DURATION, which the CLI's --dt and --duration set.
	Dt, Duration float64
	// Free names parameters to keep as run-time inputs: a model
	// parameter (mu, JansenRit.mu, dynamics.mu), a coupling parameter
	// (c_glob.a, coupling.c_glob.a) or the conduction speed
	// (network.conduction_speed).
	Free []string
	// Method, when not empty, replaces the integration method (a name
	// Method accepts).
	Method string
	// PerEdge turns off the separable pass (separable.go): every edge
	// evaluates the pre-expression as written. For comparing the two.
	PerEdge bool
	// Float32 keeps the delay history, the weights and the coupling sums
	// in float32, as stock TVB does (its SparseHistory and SparseCoupling
	// arrays); the state and the integration stay float64. Unset: the
	// environment variable TVBOC_COUPLING_FLOAT32=1, which the CLI's
	// --coupling-float32 sets.
	Float32 bool
}

// Environment variables read when the corresponding option is unset.
const (
	DataEnv     = "TVBOC_DATA"
	DtEnv       = "TVBOC_DT"
	DurationEnv = "TVBOC_DURATION"
	Float32Env  = "TVBOC_COUPLING_FLOAT32"
)

// The integration of a file without an integration section (a bare model
// definition, a heterogeneous network): forward Euler, as TVBO's Python
// back ends fall back to, with dt 0.01 ms for 1000 ms.
const (
	DefaultMethod   = "euler"
	DefaultDt       = 0.01
	DefaultDuration = 1000.0
)

// A discrete map (system_type: discrete) without an integration section
// is iterated DefaultIterations times by TVBO's Identity integrator; its
// step is one iteration and its time column counts iterations.
const DefaultIterations = 1000.0

// Summary describes a compiled experiment in one line, for `tvboc check`.
func Summary(p *ir.Brain) string {
	nnz := 0
	for _, c := range p.Couplings {
		nnz = max(nnz, len(c.Col))
	}
	delay := "no delays"
	if p.Horizon > 1 {
		delay = fmt.Sprintf("delays up to %d steps", p.Horizon-1)
	}
	if a := p.Adaptive; a != nil {
		return fmt.Sprintf("%q, %s on %d nodes (%d connections, %s), %d samples every %g ms (%s, adaptive: rel_tol %g, abs_tol %g)",
			p.Label, p.Model, p.Nodes, nnz, delay, p.Steps, p.DtModel, p.Method, a.RelTol, a.AbsTol)
	}
	s := fmt.Sprintf("%q, %s on %d nodes (%d connections, %s), %d steps of %g ms (%s)",
		p.Label, p.Model, p.Nodes, nnz, delay, p.Steps, p.DtModel, p.Method)
	if st := p.Stimulus; st != nil {
		n := 0
		for _, w := range st.Weight {
			if w != 0 {
				n++
			}
		}
		s += fmt.Sprintf(", a stimulus on %d regions", n)
	}
	switch {
	case p.Bold != nil:
		s += fmt.Sprintf(", TVB's Bold every %g ms", float64(p.Period)*p.DtModel)
	case p.TVBRows && p.Average:
		s += fmt.Sprintf(", TVB's TemporalAverage over %g ms", float64(p.Period)*p.DtModel)
	case p.TVBRows:
		s += fmt.Sprintf(", TVB's monitor rows every %g ms", float64(p.Period)*p.DtModel)
	}
	return s
}

// Compile resolves and lowers a whole-brain experiment. Every user mistake
// is reported with its position; nothing is returned then.
func Compile(exp *ast.BrainExperiment, opts Options) (*ir.Brain, error) {
	c := &compiler{exp: exp, opts: opts}
	p := c.compile()
	if err := c.errs.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

type compiler struct {
	// nonFinite holds the parameters already reported as making a value
	// infinite or NaN (finite), so one gives one message
	nonFinite map[string]bool
	exp       *ast.BrainExperiment
	opts      Options
	errs      diag.List
	// early holds notes said before the program (c.p) is made: the
	// heterogeneous network's, read with the models
	early []string
	m     *model
	p     *ir.Brain
	// coupled are the model inputs a coupling feeds.
	coupled map[string]bool
	// noiseAmp is sigma per state (0: no noise).
	noiseAmp []float64
	// free maps "model:<param>", "coupling:<name>:<param>" and "speed" to
	// the free parameter standing for it.
	free map[string]*ir.Param
}

func (c *compiler) errorf(pos diag.Pos, format string, args ...any) *diag.Error {
	e := diag.Errorf(pos, format, args...)
	c.errs = append(c.errs, e)
	return e
}

func (c *compiler) compile() *ir.Brain {
	exp := c.exp
	if exp.Network != nil && len(exp.Network.Nodes) > 0 {
		c.m = c.composite()
	} else if exp.Dynamics != nil {
		c.m = mergeModel(exp.Dynamics, &c.errs)
	}
	if c.m == nil || len(c.errs) > 0 {
		return nil
	}
	c.addClock()
	c.p = &ir.Brain{Label: exp.Label.Value, Source: exp.File, Model: c.m.name, Period: 1, Notes: c.early}
	if c.p.Label == "" {
		c.p.Label = c.m.name + " whole-brain network"
	}
	c.freeParams()
	if len(c.errs) > 0 {
		return nil
	}
	for _, s := range c.m.states {
		init := 0.0
		if s.init != nil {
			v, err := expr.Eval(s.init.Node, func(name string) (float64, bool) { v, ok := c.m.params[name]; return v, ok })
			if err != nil {
				c.errorf(s.init.Pos, "initial value of %s: %v", s.name, err)
			} else if !c.finite(s.init, "the initial value of "+s.name) {
				continue
			}
			init = v
		}
		c.p.States = append(c.p.States, ir.BrainState{Name: s.name, Init: init})
	}
	c.p.Float32 = c.opts.Float32 || os.Getenv(Float32Env) == "1"
	c.integration()
	c.network()
	c.adaptiveNetwork()
	if len(c.errs) > 0 {
		return nil
	}
	c.stimulus()
	if len(c.errs) > 0 {
		return nil
	}
	c.nodeBody()
	c.records()
	return c.p
}

// integration reads the step, duration, transient and method.
func (c *compiler) integration() {
	in := c.exp.Integration
	discrete := c.exp.Dynamics != nil && c.exp.Dynamics.Discrete
	if in == nil {
		// documented defaults; positions point at the file
		pos := c.exp.Pos
		in = &ast.BrainIntegration{Pos: pos, Method: ast.Str{Value: DefaultMethod, Pos: pos},
			StepSize: ast.Num{Value: DefaultDt, Pos: pos, Set: true}, Duration: ast.Num{Value: DefaultDuration, Pos: pos, Set: true}}
		if discrete {
			in.Method.Value, in.StepSize.Value, in.Duration.Value = "identity", 1, DefaultIterations
		}
		c.exp.Integration = in
	}
	if v, err := c.override(c.opts.Dt, DtEnv); err != nil {
		c.errorf(in.StepSize.Pos, "%v", err)
	} else if v > 0 {
		in.StepSize.Value = v
	}
	if v, err := c.override(c.opts.Duration, DurationEnv); err != nil {
		c.errorf(in.Duration.Pos, "%v", err)
	} else if v > 0 {
		in.Duration.Value = v
	}
	dt := in.StepSize.Value
	if !(dt > 0) || math.IsInf(dt, 0) {
		c.errorf(in.StepSize.Pos, "step_size must be a positive number of ms, got %g", dt)
		return
	}
	if !(in.Duration.Value > 0) || math.IsInf(in.Duration.Value, 0) {
		c.errorf(in.Duration.Pos, "duration must be a positive number of ms, got %g", in.Duration.Value)
		return
	}
	c.p.DtModel = dt
	c.p.Dt = dt * 1e-3 // TVB runs in ms; results are in seconds
	if steps := in.Duration.Value / dt; steps > 1<<40 {
		// the same bound as node lists (resolve): beyond it int steps
		// overflow and no machine records the run
		c.errorf(in.Duration.Pos, "duration %g ms / step_size %g ms is %.4g steps, more than the limit of %d", in.Duration.Value, dt, steps, int64(1)<<40).
			Hint = "a shorter duration or a larger step"
		return
	}
	if discrete {
		c.p.Dt = dt // a map's time counts iterations, not ms
	}
	c.p.Steps = wholeSteps(in.Duration.Value, dt)
	if math.Abs(float64(c.p.Steps)*dt-in.Duration.Value) > 1e-9*in.Duration.Value {
		// said, not refused: TVB runs such a duration the same way
		c.p.Notes = append(c.p.Notes, fmt.Sprintf("duration %g ms is not a whole number of steps of %g ms: it runs %d steps (%.10g ms), rounded up as TVB rounds it", in.Duration.Value, dt, c.p.Steps, float64(c.p.Steps)*dt))
	}
	if in.TransientTime.Set {
		if in.TransientTime.Value < 0 || in.TransientTime.Value >= in.Duration.Value {
			c.errorf(in.TransientTime.Pos, "transient_time must be at least 0 and shorter than the duration (%g ms), got %g", in.Duration.Value, in.TransientTime.Value)
		} else {
			c.p.Transient = wholeSteps(in.TransientTime.Value, dt)
		}
	}
	if c.opts.Method != "" {
		in.Method.Value = c.opts.Method
	}
	method, stochastic, ok, problem, hint := Method(in.Method.Value)
	if !ok {
		c.errorf(in.Method.Pos, "%s", problem).Hint = hint
		return
	}
	c.p.Method = method
	switch {
	case discrete && c.p.Method != "identity":
		c.errorf(in.Method.Pos, "%s is a discrete map, iterated, not integrated with %s", c.exp.Dynamics.Name.Value, in.Method.Value).
			Hint = "use method: identity (each state's equation is its next value)"
		return
	case !discrete && c.p.Method == "identity":
		c.errorf(in.Method.Pos, "method identity iterates a map, but the model is a system of ODEs").
			Hint = "use euler, heun or rk4, or mark the model system_type: discrete"
		return
	case c.p.Method == "identity" && in.Noise != nil:
		c.errorf(in.Noise.Pos, "a discrete map has no noise here").Hint = "remove the noise section"
		return
	}
	if Adaptive(c.p.Method) {
		c.adaptive(in)
	} else {
		// a fixed step has no error control to tune: said once, not
		// refused, as TVBO's files write the schema's tolerances with
		// euler too
		if in.RelTol.Set || in.AbsTol.Set {
			c.p.Notes = append(c.p.Notes, fmt.Sprintf("rel_tol and abs_tol tune the adaptive methods (dopri5, dopri853); %s takes a fixed step and does not use them", c.p.Method))
		}
	}
	if stochastic && in.Noise == nil {
		c.errorf(in.Method.Pos, "method %s is stochastic but the integration section has no noise", in.Method.Value).
			Hint = "add noise: {noise_type: gaussian, targets: [V], parameters: {sigma: 0.01}}"
	}
	c.noise(in.Noise)
}

// adaptive reads the tolerances of an adaptive method (abs_tol and
// rel_tol, or the documented defaults) and its state bounds.
func (c *compiler) adaptive(in *ast.BrainIntegration) {
	a := &ir.BrainAdaptive{Method: c.p.Method, RelTol: DefaultRelTol, AbsTol: DefaultAbsTol, MaxSteps: DefaultMaxSteps}
	if in.RelTol.Set {
		a.RelTol = in.RelTol.Value
		if !(a.RelTol >= 1e-14 && a.RelTol < 1) {
			c.errorf(in.RelTol.Pos, "rel_tol must be at least 1e-14 (what float64 resolves) and below 1, got %g", a.RelTol).Hint = fmt.Sprintf("rel_tol: %g (the default)", DefaultRelTol)
		}
	}
	if in.AbsTol.Set {
		a.AbsTol = in.AbsTol.Value
		if !(a.AbsTol >= 0) || math.IsInf(a.AbsTol, 0) {
			c.errorf(in.AbsTol.Pos, "abs_tol must be a finite number at least 0, got %g", a.AbsTol).Hint = fmt.Sprintf("abs_tol: %g (the default)", DefaultAbsTol)
		}
	}
	if in.Noise != nil {
		c.errorf(in.Noise.Pos, "the adaptive method %s integrates ODEs; it takes no noise", in.Method.Value).
			Hint = "use method: heun (stochastic Heun) or euler (Euler-Maruyama) with noise, or remove the noise section"
	}
	for _, s := range c.m.states {
		lo, hi := math.Inf(-1), math.Inf(1)
		if s.lo.Set {
			lo = s.lo.Value
		}
		if s.hi.Set {
			hi = s.hi.Value
		}
		a.Lo, a.Hi = append(a.Lo, lo), append(a.Hi, hi)
	}
	c.p.Adaptive = a
}

// adaptiveNetwork chooses how an adaptive method couples the nodes. With
// a coupling evaluated per step (TVB's default) every coupling is
// computed once per sampling interval, from the state and the delay
// history on the grid, and held through it, as TVB's Dopri5 does. With
// every coupling per stage they are recomputed at every stage, the
// network's ODE; that cannot read delays, whose history is kept on the
// sampling grid only, so a delayed per-stage coupling is refused.
func (c *compiler) adaptiveNetwork() {
	a := c.p.Adaptive
	if a == nil {
		return
	}
	for _, bc := range c.p.Couplings {
		a.Held = a.Held || !bc.PerStage
	}
	if a.Held {
		return
	}
	for _, bc := range c.p.Couplings {
		if bc.Delay != nil || bc.Length != nil {
			c.errorf(c.exp.Integration.Method.Pos, "the adaptive method %s cannot recompute the delayed coupling %s at every stage: its steps are not on the grid the delay history is kept on",
				c.exp.Integration.Method.Value, bc.Input).
				Hint = "use coupling_evaluation: per_step (the coupling held over each step_size, as TVB's Dopri5), or a fixed-step method"
			return
		}
	}
}

// wholeSteps is duration/dt steps: rounded when the quotient is an integer
// up to rounding error, else rounded up (TVB's ceil).
func wholeSteps(duration, dt float64) int {
	q := duration / dt
	if r := math.Round(q); math.Abs(q-r) <= 1e-9*math.Max(1, r) {
		return int(r)
	}
	return int(math.Ceil(q))
}

// noise checks the noise section and marks the noisy states.
func (c *compiler) noise(n *ast.Noise) {
	c.p.Noisy = make([]bool, len(c.m.states))
	if n == nil {
		return
	}
	if t := strings.ToLower(n.Type.Value); t != "" && t != "gaussian" && t != "additive" {
		c.errorf(n.Type.Pos, "unknown noise_type %q", n.Type.Value).Hint = "only additive gaussian noise is supported: noise_type: gaussian"
	}
	if c.p.Method == "rk4" {
		c.errorf(n.Pos, "noise needs a stochastic method; rk4 has none").Hint = "use method: euler (Euler-Maruyama) or heun (stochastic Heun)"
	}
	sigma := math.NaN()
	amplitude := "" // sigma or nsig, whichever gave it: both would be two amplitudes
	for _, p := range n.Parameters {
		if (p.Name.Value == "sigma" || p.Name.Value == "nsig") && amplitude != "" && amplitude != p.Name.Value {
			c.errorf(p.Name.Pos, "the noise gives both %s and %s: they are one amplitude (sigma = sqrt(2 nsig))", amplitude, p.Name.Value).Hint = "give one of them"
			continue
		}
		switch p.Name.Value {
		case "sigma":
			sigma, amplitude = p.Value.Value, "sigma"
		case "nsig":
			sigma, amplitude = math.Sqrt(2*p.Value.Value), "nsig"
		default:
			c.errorf(p.Name.Pos, "unknown noise parameter %q", p.Name.Value).Hint = "use sigma (the amplitude) or nsig (sigma = sqrt(2 nsig))"
		}
		if p.Value.Value < 0 {
			c.errorf(p.Name.Pos, "noise %s must not be negative, got %g", p.Name.Value, p.Value.Value)
		}
	}
	if math.IsNaN(sigma) {
		c.errorf(n.Pos, "the noise has no amplitude").Hint = "add parameters: {sigma: 0.01}"
		return
	}
	targets := n.Targets
	if len(targets) == 0 {
		for _, s := range c.m.states {
			targets = append(targets, ast.Str{Value: s.name, Pos: n.Pos})
		}
	}
	c.noiseAmp = make([]float64, len(c.m.states))
	for _, t := range targets {
		i := c.m.state(t.Value)
		if i < 0 {
			c.errorf(t.Pos, "noise on %q, which is not a state variable of %s", t.Value, c.m.name).
				Hint = fmt.Sprintf("state variables: %s%s", strings.Join(c.m.stateNames(), ", "), closest(t.Value, c.m.stateNames()))
			continue
		}
		c.p.Noisy[i] = true
		c.noiseAmp[i] = sigma
	}
	c.p.Seed = 42 // TVB's default random stream
	if rs := c.exp.RandomSeed; rs.Set {
		switch {
		case !limits.Seed(rs.Value):
			c.errorf(rs.Pos, "execution.random_seed must be a whole number from 0 to %d, got %g", int64(limits.MaxSeed), rs.Value)
		case n.Seed.Set && n.Seed.Value != rs.Value:
			c.errorf(rs.Pos, "execution.random_seed %g disagrees with the noise seed %g", rs.Value, n.Seed.Value).
				Hint = "give the seed once, in execution.random_seed or the noise section"
		default:
			c.p.Seed = uint64(rs.Value)
		}
	}
	if n.Seed.Set {
		if !limits.Seed(n.Seed.Value) {
			c.errorf(n.Seed.Pos, "noise seed must be a whole number from 0 to %d, got %g", int64(limits.MaxSeed), n.Seed.Value)
		}
		c.p.Seed = uint64(n.Seed.Value)
	}
}

// override is an option's value, or else the number in the environment
// variable env (0 when unset).
func (c *compiler) override(v float64, env string) (float64, error) {
	if v > 0 {
		return v, nil
	}
	s := os.Getenv(env)
	if s == "" {
		return 0, nil
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || !(x > 0) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%s=%q is not a positive number of ms", env, s)
	}
	return x, nil
}
