package runtime

import "math"

// KineticStep returns occupancy i of a kinetic scheme after one step of
// dt, computed as jLEMS advances a KineticScheme (its KScheme.advance and
// Matrix.expOf), so that a compiled cell reproduces jLEMS's occupancies to
// rounding:
//
//   - the rate matrix A is built from zero, transition by transition in
//     order: for transition r from state s to state t with forward rate
//     rf and reverse rate rr, A[s][s] -= rf, A[t][s] += rf, A[t][t] -= rr,
//     A[s][t] += rr;
//   - M = A*dt is halved p times, p the least count that brings its
//     largest |element| to at most 1e-12;
//   - M <- 2M + M*M is applied p times ((I+M)^2 - I, which keeps the
//     small increments apart from the identity), then I is added: (I +
//     A*dt/2^p)^(2^p), the matrix exponential to rounding;
//   - the new occupancies are that matrix times the old ones.
//
// edges holds the transitions' state indices (from, to) pairwise; rates
// their rates (rf, rr) pairwise, in the same order; occ the occupancies
// before the step. Products are rounded before they are added (explicit
// conversions), so no fused multiply-add changes Java's arithmetic.
//
// The generated code calls it once per occupancy with the same
// arguments; the whole matrix is computed each time (a scheme has a few
// states, so the p squarings of a small matrix are cheap next to writing
// them out as a multi-valued statement).
func KineticStep(i int, dt float64, edges []int, rates []float64, occ []float64) float64 {
	n := len(occ)
	if n == 2 {
		return kineticStep2(i, dt, edges, rates, occ)
	}
	// three n x n matrices; on the stack for the small schemes NeuroML
	// writes
	var buf [3 * 64]float64
	var w []float64
	if 3*n*n <= len(buf) {
		w = buf[:3*n*n]
	} else {
		w = make([]float64, 3*n*n)
	}
	a, m, u := w[:n*n], w[n*n:2*n*n], w[2*n*n:]
	for r := 0; 2*r+1 < len(edges); r++ {
		s, t := edges[2*r], edges[2*r+1]
		rf, rr := rates[2*r], rates[2*r+1]
		a[s*n+s] -= rf
		a[t*n+s] += rf
		a[t*n+t] -= rr
		a[s*n+t] += rr
	}
	// Matrix.expOf(dt)
	d := 0.0
	for k, x := range a {
		m[k] = x * dt
		if math.Abs(m[k]) > d {
			d = math.Abs(m[k])
		}
	}
	const eps = 1e-12
	p := 0
	f := 1.0
	for ; d*f > eps; f *= 0.5 {
		p++
	}
	for k := range m {
		m[k] *= f
	}
	for ; p > 0; p-- {
		for r := 0; r < n; r++ {
			for c := 0; c < n; c++ {
				s := 0.0
				for k := 0; k < n; k++ {
					s += float64(m[r*n+k] * m[k*n+c])
				}
				u[r*n+c] = s
			}
		}
		for k := range m {
			m[k] += m[k]
			m[k] += u[k]
		}
	}
	for k := 0; k < n; k++ {
		m[k*n+k] += 1
	}
	// Matrix.multiplyInto: row i of the product
	out := 0.0
	for j := 0; j < n; j++ {
		out += float64(m[i*n+j] * occ[j])
	}
	return out
}

// kineticStep2 is KineticStep for two states (a closed and an open state,
// the commonest scheme) with the matrix in scalars: the same operations
// in the same order, so the same result to the bit, about three times
// faster than the general loops.
func kineticStep2(i int, dt float64, edges []int, rates []float64, occ []float64) float64 {
	var a [4]float64
	for r := 0; 2*r+1 < len(edges); r++ {
		s, t := edges[2*r], edges[2*r+1]
		rf, rr := rates[2*r], rates[2*r+1]
		a[s*2+s] -= rf
		a[t*2+s] += rf
		a[t*2+t] -= rr
		a[s*2+t] += rr
	}
	m00, m01, m10, m11 := a[0]*dt, a[1]*dt, a[2]*dt, a[3]*dt
	d := 0.0
	for _, x := range [4]float64{m00, m01, m10, m11} {
		if math.Abs(x) > d {
			d = math.Abs(x)
		}
	}
	p := 0
	f := 1.0
	for ; d*f > 1e-12; f *= 0.5 {
		p++
	}
	m00, m01, m10, m11 = m00*f, m01*f, m10*f, m11*f
	for ; p > 0; p-- {
		u00 := 0.0
		u00 += float64(m00 * m00)
		u00 += float64(m01 * m10)
		u01 := 0.0
		u01 += float64(m00 * m01)
		u01 += float64(m01 * m11)
		u10 := 0.0
		u10 += float64(m10 * m00)
		u10 += float64(m11 * m10)
		u11 := 0.0
		u11 += float64(m10 * m01)
		u11 += float64(m11 * m11)
		m00 = (m00 + m00) + u00
		m01 = (m01 + m01) + u01
		m10 = (m10 + m10) + u10
		m11 = (m11 + m11) + u11
	}
	m00 += 1
	m11 += 1
	out := 0.0
	if i == 0 {
		out += float64(m00 * occ[0])
		out += float64(m01 * occ[1])
	} else {
		out += float64(m10 * occ[0])
		out += float64(m11 * occ[1])
	}
	return out
}
