package runtime

// SumNumPy32 adds v in float32 as NumPy's add.reduceat adds one segment
// of a float32 array: the first value, plus the rest summed pairwise
// (NumPy's pairwise_sum: fewer than 8 values one by one, up to 128 in
// eight interleaved partial sums, more split in two halves at a multiple
// of 8). Whole-brain programs compiled with float32 coupling use it to sum
// a node's weighted inputs in the order stock TVB does (its
// SparseCoupling), so their rounding follows TVB's.
func SumNumPy32(v []float32) float32 {
	if len(v) == 0 {
		return 0
	}
	return v[0] + pairwiseSum32(v[1:])
}

func pairwiseSum32(a []float32) float32 {
	n := len(a)
	switch {
	case n < 8:
		var res float32
		for _, x := range a {
			res += x
		}
		return res
	case n <= 128:
		var r [8]float32
		copy(r[:], a[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			for j := range 8 {
				r[j] += a[i+j]
			}
		}
		res := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			res += a[i]
		}
		return res
	default:
		n2 := n / 2
		n2 -= n2 % 8
		return pairwiseSum32(a[:n2]) + pairwiseSum32(a[n2:])
	}
}
