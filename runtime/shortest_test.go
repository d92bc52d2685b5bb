package runtime

import (
	"math"
	"math/rand/v2"
	"os/exec"
	"strconv"
	"testing"
)

// TestAppendShortest: appendShortest writes the bytes strconv writes, on
// the edge cases of the format and of the digit generation (powers of
// two and ten, subnormals, the largest and smallest values, integers, the
// %e/%f boundaries) and on millions of random values of every kind.
func TestAppendShortest(t *testing.T) {
	check := func(v float64) {
		t.Helper()
		want := strconv.AppendFloat(nil, v, 'g', -1, 64)
		if got := appendShortest([]byte("x"), v); string(got[1:]) != string(want) || got[0] != 'x' {
			t.Fatalf("%b (%v): got %q, want %q", math.Float64bits(v), v, got, want)
		}
	}
	edges := []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1),
		math.MaxFloat64, math.SmallestNonzeroFloat64, 0x1p-1022, 0x1p-1022 - math.SmallestNonzeroFloat64,
		1, -1, 0.1, 0.2, 0.3, 1e-5, 1e-4, 9.999999999999999e-5, 1e5, 1e6, 999999, 999999.9, 123456.7, 1234567,
		100, 1000, 0.001, 5e-324, 1.7976931348623157e308, 2.2250738585072014e-308, 4.9406564584124654e-324}
	for _, v := range edges {
		check(v)
		check(-v)
	}
	for e := -1074; e <= 1023; e++ {
		p := math.Ldexp(1, e)
		check(p)
		check(math.Nextafter(p, 0))
		check(math.Nextafter(p, math.Inf(1)))
	}
	for e := -323; e <= 308; e++ {
		p := math.Pow(10, float64(e))
		check(p)
		check(math.Nextafter(p, 0))
		check(math.Nextafter(p, math.Inf(1)))
	}
	for i := range 100000 {
		check(float64(i))
		check(float64(i) * 1e-5) // a time column
		check(float64(i) / 7)
	}
	n := 3000000
	if testing.Short() {
		n = 300000
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		switch i % 4 {
		case 0: // any bits: every exponent
			if v := math.Float64frombits(r.Uint64()); !math.IsNaN(v) {
				check(v)
			}
		case 1: // simulation-like values
			check(-0.07 + 0.1*r.Float64())
		case 2:
			check((r.Float64() - 0.5) * math.Pow(10, float64(r.IntN(40)-20)))
		case 3: // short decimals, whose digits trim to few
			check(float64(r.IntN(1000000)) * math.Pow(10, float64(r.IntN(24)-12)))
		}
	}
}

// TestPow10TabIsGenerated: the committed table is what the generator
// writes.
func TestPow10TabIsGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	dir := t.TempDir()
	cmd := exec.Command("go", "run", "./internal/pow10gen", "-o", dir+"/pow10tab.go")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if readFile(t, dir+"/pow10tab.go") != readFile(t, "pow10tab.go") {
		t.Errorf("pow10tab.go is not what the generator writes (go generate ./runtime)")
	}
}

func BenchmarkAppendShortest(b *testing.B) {
	v := make([]float64, 1<<16)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range v {
		v[i] = -0.07 + 0.1*r.Float64()
	}
	buf := make([]byte, 0, 32)
	b.Run("tvboc", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			buf = appendShortest(buf[:0], v[i&(1<<16-1)])
		}
	})
	b.Run("strconv", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			buf = strconv.AppendFloat(buf[:0], v[i&(1<<16-1)], 'g', -1, 64)
		}
	})
}
