package brain

import "strings"

// Method maps the integration method names TVBO writes (its integrator
// files' method: Euler, Heun, RungeKutta4thOrder, Identity, and the
// stochastic variants) to the scheme tvboc generates: "euler", "heun",
// "rk4" or "identity". ok is false for a method tvboc does not run; then
// problem says what is wrong and hint what to use instead.
func Method(name string) (method string, stochastic, ok bool, problem, hint string) {
	switch strings.ToLower(strings.ReplaceAll(name, "_", "")) {
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
	case "dopri5", "dopri853", "rk45", "dop853":
		return "", false, false, "the adaptive Dormand-Prince method " + name + " is not generated yet", "use rk4 with a step small enough for the model"
	case "vode", "lsoda", "bdf":
		return "", false, false, name + ", SciPy's variable-order solver, is not reproduced", "use rk4 with a small step"
	}
	return "", false, false, "unknown integration method \"" + name + "\"", "use euler, heun or rk4 (with a noise section: Euler-Maruyama or stochastic Heun), or identity for a map"
}
