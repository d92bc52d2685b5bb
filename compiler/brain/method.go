package brain

import "strings"

// Method maps the integration method names TVBO writes (its integrator
// files' method: Euler, Heun, RungeKutta4thOrder, Identity, Dopri5,
// Dopri853, and the stochastic variants) to the scheme tvboc generates:
// "euler", "heun", "rk4", "identity", or the adaptive "dopri5" and
// "dopri853". ok is false for a method tvboc does not run; then problem
// says what is wrong and hint what to use instead.
func Method(name string) (method string, stochastic, ok bool, problem, hint string) {
	switch strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(name, "_", ""), "-", "")) {
	case "", "euler", "eulerdeterministic":
		return "euler", false, true, "", ""
	case "heun", "heundeterministic":
		return "heun", false, true, "", ""
	case "rk4", "rungekutta4thorder", "rungekutta4", "rungekutta":
		return "rk4", false, true, "", ""
	case "eulermaruyama", "eulerstochastic":
		return "euler", true, true, "", ""
	case "heunstochastic", "stochasticheun":
		return "heun", true, true, "", ""
	case "identity":
		// TVBO's Identity integrator: the next state is the equation's
		// value, the iteration of a map.
		return "identity", false, true, "", ""
	case "dopri5", "rk45", "dormandprince", "dormandprince45":
		return "dopri5", false, true, "", ""
	case "dopri853", "dop853":
		return "dopri853", false, true, "", ""
	case "dopri5stochastic", "dopri853stochastic", "vodestochastic":
		return "", false, false, "the stochastic " + name + " (noise added after each adaptive step) is not generated", "use heun (stochastic Heun) or euler (Euler-Maruyama) with the noise section"
	case "vode", "lsoda", "bdf", "zvode":
		// SciPy's VODE is a variable-order multistep code (Adams, or BDF
		// for stiff systems); tvboc generates one-step methods only and
		// does not pretend one of them is VODE.
		return "", false, false, name + ", SciPy's variable-order multistep solver, is not generated", "use method: dopri853 (or dopri5), adaptive with the same abs_tol/rel_tol, for a non-stiff model; a stiff one needs rk4 or heun with a step small enough for it"
	}
	return "", false, false, "unknown integration method \"" + name + "\"", "use euler, heun or rk4 (with a noise section: Euler-Maruyama or stochastic Heun), dopri5 or dopri853 (adaptive), or identity for a map"
}

// Adaptive says whether a scheme Method returned steps adaptively.
func Adaptive(method string) bool { return method == "dopri5" || method == "dopri853" }

// The defaults of an adaptive method: the tolerances are SciPy's for its
// dopri5 and dop853 integrators, which TVB's Dopri5 and Dopri853 use
// unchanged (rtol 1e-6, atol 1e-12); DefaultMaxSteps bounds the steps
// between two samples (SciPy's nsteps is 500 per call, but tvboc's steps
// are not tied to the samples, so the bound only catches a stiff or
// diverging system).
const (
	DefaultRelTol   = 1e-6
	DefaultAbsTol   = 1e-12
	DefaultMaxSteps = 100000
)
