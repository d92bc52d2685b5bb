package lower

import (
	"go/token"
	"strconv"
	"strings"
)

// namer makes Go identifiers for node variables: readable
// (`izBurst0_v` for izBurst_pop[0]/v), valid, and unique within the
// generated file.
type namer struct {
	used map[string]bool
}

// reserved are names the generated file uses itself.
var reserved = []string{
	"main", "simulate", "rec", "prog", "opts", "row", "k", "k0", "k1", "kf", "steps", "dt", "derivedColumns",
	"columns", "rt", "math", "pow2", "pow3", "pow4", "heaviside", "sign", "float64", "int", "min", "max",
}

func newNamer() *namer {
	n := &namer{used: map[string]bool{}}
	for _, r := range reserved {
		n.used[r] = true
	}
	return n
}

func (n *namer) make(pop string, index int, variable string) string {
	base := sanitize(strings.TrimSuffix(pop, "_pop") + strconv.Itoa(index) + "_" + variable)
	name := base
	for i := 2; n.used[name] || token.IsKeyword(name); i++ {
		name = base + "_" + strconv.Itoa(i)
	}
	n.used[name] = true
	return name
}

func sanitize(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			if i == 0 {
				b.WriteByte('n')
			}
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}
