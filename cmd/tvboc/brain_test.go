package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/brain"
)

// TestCouplingFloat32Flag: --coupling-float32 turns a whole-brain
// program's delay history and weights into float32 (through
// TVBOC_COUPLING_FLOAT32), and without it they stay float64.
func TestCouplingFloat32Flag(t *testing.T) {
	exp := "../../testdata/tvb/per_stage/kuramoto_delays_noise.yaml"
	for _, tc := range []struct {
		args []string
		f32  bool
	}{
		{[]string{"gen", exp}, false},
		{[]string{"gen", "--coupling-float32", exp}, true},
		{[]string{"gen", "--coupling-float32=false", exp}, false},
	} {
		t.Setenv(brain.Float32Env, "") // restored after the test
		var stdout, stderr bytes.Buffer
		if code := run(tc.args, &stdout, &stderr); code != 0 {
			t.Fatalf("tvboc %v: exit %d: %s", tc.args, code, stderr.String())
		}
		src := stdout.String()
		if got := strings.Contains(src, "coupling0Weight = [8]float32{"); got != tc.f32 {
			t.Errorf("tvboc %v: float32 weights %v, want %v", tc.args, got, tc.f32)
		}
		if !tc.f32 && !strings.Contains(src, "Weight = [8]float64{") { // coupling0Weight, or coupling0TWeight when blocked
			t.Errorf("tvboc %v: no float64 weights table", tc.args)
		}
	}
}
