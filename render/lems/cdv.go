package lems

import (
	"regexp"
	"strings"
)

// jLEMS cannot resolve a DerivedVariable whose value uses a
// ConditionalDerivedVariable (LEMS/jLEMS#68, open): it checks the
// DerivedVariables before it knows the conditional ones, drops the one
// that fails, and the load then stops at the first expression that uses
// it. The renderer lifts Piecewise, Min, Max, sign and Heaviside into
// ConditionalDerivedVariables, so a derived variable using one, or using a
// derived variable that does (and so on), is written instead as a
// ConditionalDerivedVariable with a single default case, the jLEMS
// maintainers' workaround, as NeuroML's own pinskyRinzelCA3Cell does. The
// pass runs on the finished file, one ComponentType at a time; the
// renderer writes every such element on one line.

var (
	cdvName   = regexp.MustCompile(`^\s*<ConditionalDerivedVariable name="([^"]+)"`)
	dvLine    = regexp.MustCompile(`^(\s*)<DerivedVariable name="([^"]+)"(.*?) value="([^"]*)"/>$`)
	entity    = regexp.MustCompile(`&[a-z]+;`)
	nameToken = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
)

// conditionalUses rewrites the derived variables of xml that use a
// conditional derived variable, directly or through other derived
// variables, as conditional derived variables of one default case.
func conditionalUses(xml []byte) []byte {
	lines := strings.Split(string(xml), "\n")
	var out []string
	for start := 0; start < len(lines); {
		end := start + 1
		if strings.HasPrefix(strings.TrimSpace(lines[start]), "<ComponentType ") {
			for end < len(lines) && strings.TrimSpace(lines[end-1]) != "</ComponentType>" {
				end++
			}
			out = append(out, rewriteType(lines[start:end])...)
		} else {
			out = append(out, lines[start])
		}
		start = end
	}
	return []byte(strings.Join(out, "\n"))
}

// rewriteType applies the rewrite to the lines of one ComponentType.
func rewriteType(lines []string) []string {
	conditional := map[string]bool{}
	for _, l := range lines {
		if m := cdvName.FindStringSubmatch(l); m != nil {
			conditional[m[1]] = true
		}
	}
	if len(conditional) == 0 {
		return lines
	}
	convert := map[int]bool{}
	for changed := true; changed; {
		changed = false
		for i, l := range lines {
			m := dvLine.FindStringSubmatch(l)
			if m == nil || convert[i] {
				continue
			}
			for _, id := range nameToken.FindAllString(entity.ReplaceAllString(m[4], " "), -1) {
				if conditional[id] {
					convert[i], conditional[m[2]], changed = true, true, true
					break
				}
			}
		}
	}
	if len(convert) == 0 {
		return lines
	}
	var out []string
	for i, l := range lines {
		if !convert[i] {
			out = append(out, l)
			continue
		}
		m := dvLine.FindStringSubmatch(l)
		indent, name, rest, value := m[1], m[2], m[3], m[4]
		out = append(out,
			indent+`<ConditionalDerivedVariable name="`+name+`"`+rest+`>`,
			indent+`  <Case value="`+value+`"/>`,
			indent+`</ConditionalDerivedVariable>`)
	}
	return out
}
