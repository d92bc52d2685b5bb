package runtime

import "testing"

// TestSumNumPy32 checks SumNumPy32 against NumPy 1.24's
// np.add.reduceat(v, [0]) on float32 vectors of every regime (one by one,
// eight partial sums, split halves); the sums NumPy printed are below,
// with the one-by-one float32 sum beside them where it differs, so the
// test cannot pass by adding in order.
func TestSumNumPy32(t *testing.T) {
	cases := []struct {
		n          int
		numpy, seq float32
	}{
		{1, -135.1351318359375, -135.1351318359375},
		{5, 54156.484375, 54156.48828125},
		{8, 56057.83203125, 56057.8359375},
		{9, 31153.837890625, 31153.8359375},
		{17, -254011.203125, -254011.203125},
		{100, -656380.75, -656380.75},
		{128, -264573.4375, -264573.4375},
		{129, -234045.796875, -234045.765625},
		{130, -221179.984375, -221179.984375},
		{300, -689851.5, -689851.375},
		{1000, -443949.1875, -443948.9375},
	}
	for _, tc := range cases {
		// the same float64 arithmetic as the Python that made the sums
		v := make([]float32, tc.n)
		for i := range v {
			v[i] = float32(float64((i*7919)%1000-500) / 3.7 * (1 + float64(i%13)*77.7))
		}
		if got := SumNumPy32(v); got != tc.numpy {
			t.Errorf("n=%d: %.10g, NumPy %.10g (in order: %.10g)", tc.n, got, tc.numpy, tc.seq)
		}
	}
	if SumNumPy32(nil) != 0 {
		t.Error("empty sum is not 0")
	}
}
