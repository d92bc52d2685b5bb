package runtime

// AddTo adds src to dst element by element, len(src) <= len(dst): a
// spike's row of weights into the targets' state. Four at a time when
// VecOn; every sum is the scalar one.
func AddTo(dst, src []float64) {
	dst = dst[:len(src)]
	i := 0
	if VecOn {
		for ; i+4 <= len(src); i += 4 {
			d := (*[4]float64)(dst[i:])
			VecLoad(d).Add(VecLoad((*[4]float64)(src[i:]))).Store(d)
		}
		VecDone()
	}
	for ; i < len(src); i++ {
		dst[i] += src[i]
	}
}
