package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestGateForm: --gate-form alpha-beta needs --semantics ode, rewrites the
// HH gates of a node list (no (inf - q)/tau left in the source), and an
// unknown form is a usage error.
func TestGateForm(t *testing.T) {
	const exp = "../../testdata/jlems/hh-pulse-edges/exp.yaml"
	gen := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(append(append([]string{"gen"}, args...), exp), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	divides := func(src string) bool { return strings.Contains(src, "_inf-") }

	code, src, msg := gen("--semantics", "ode")
	if code != 0 || !divides(src) {
		t.Fatalf("inf-tau: exit %d, gates as (inf-q)/tau: %v\n%s", code, divides(src), msg)
	}
	code, src, msg = gen("--semantics", "ode", "--gate-form", "alpha-beta")
	if code != 0 || divides(src) {
		t.Fatalf("alpha-beta: exit %d, gates still (inf-q)/tau: %v\n%s", code, divides(src), msg)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--gate-form", "alpha-beta"}, "needs --semantics ode"},
		{[]string{"--gate-form", "fast"}, `--gate-form "fast": want inf-tau`},
	} {
		if code, _, msg := gen(tc.args...); code != 2 || !strings.Contains(msg, tc.want) {
			t.Errorf("gen %v: exit %d, %q; want exit 2 and %q", tc.args, code, msg, tc.want)
		}
	}
}
