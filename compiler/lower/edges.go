package lower

import (
	"github.com/tvboc/tvboc/compiler/resolve"
)

// InputEdge is a time at which a time-only input switches (a pulse starts
// or ends, a ramp begins), as the step ranges of the kernel see it.
type InputEdge struct {
	Input string  // the input node's id
	Time  float64 // the edge as written, in seconds
	// At is the time the kernel switches, in seconds: the first step on or
	// after Time (see boundary), the same as Time when Time is on a step.
	At float64
}

// InputEdges lists the window edges of every time-only input of m, for
// telling the user when a new step or duration moves or cuts one.
func InputEdges(m *resolve.Model) []InputEdge {
	var out []InputEdge
	for _, n := range m.Nodes {
		if n.Type.Kind != resolve.Input {
			continue
		}
		e, err := inputExposure(n)
		if err != nil || !dependsOnTimeOnly(e) {
			continue
		}
		unit := n.Type.TimeUnit
		dtU := m.Dt / unit
		var edges []InputEdge
		collect(e, func(op string, c float64) {
			edges = append(edges, InputEdge{Input: n.ID, Time: c * unit, At: float64(boundary(op, c, dtU)) * m.Dt})
		})
		out = append(out, edges...)
	}
	return out
}
