package lower

import "testing"

// TestClockBoundary pins the window edges of jLEMS's running sum of t
// against the plain t = j*dt reading. Summing 1e-5 gives
// 0.05000000000000464 at j = 5000 and 0.09999999999999393 at j = 10000,
// so a pulse from 50 ms to 100 ms starts at j = 5000 under both readings
// but ends at j = 10001 in jLEMS, one step after j*dt says.
func TestClockBoundary(t *testing.T) {
	tests := []struct {
		op         string
		c, dt      float64
		jlems, ode int
	}{
		{">=", 0.05, 1e-5, 5000, 5000},
		{"<", 0.1, 1e-5, 10001, 10000},
		{">", 0.1, 1e-5, 10001, 10001},
		{"<=", 0.1, 1e-5, 10001, 10001},
		{">=", 0.003, 1e-4, 31, 30},
		{">=", 0, 1e-4, 0, 0},
		{">", 0, 1e-4, 1, 1},
		{">=", 1e9, 1e-4, 101, 1e13},
	}
	for _, tc := range tests {
		k := &clock{dt: tc.dt, limit: 100}
		if tc.c < 1 {
			k.limit = 1 << 30
		}
		if got := k.boundary(tc.op, tc.c, tc.dt); got != tc.jlems {
			t.Errorf("running sum: first j with t %s %v at dt %v = %d, want %d", tc.op, tc.c, tc.dt, got, tc.jlems)
		}
		if got := (&clock{ode: true, dt: tc.dt}).boundary(tc.op, tc.c, tc.dt); got != tc.ode {
			t.Errorf("t = j*dt: first j with t %s %v at dt %v = %d, want %d", tc.op, tc.c, tc.dt, got, tc.ode)
		}
	}
	// the same edge in milliseconds (an inline equation's time unit)
	k := &clock{dt: 1e-5, limit: 1 << 30}
	if got := k.boundary("<", 100, 1e-2); got != 10001 {
		t.Errorf("edge at 100 ms: %d, want 10001", got)
	}
}
