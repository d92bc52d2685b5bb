package runtime

import "testing"

// TestJavaRandomReferenceValues pins JavaRandom to java.util.Random: the
// expected values were printed by OpenJDK 17 (new Random(seed), then
// nextDouble() as Double.toHexString, or nextInt()), not computed by this
// code.
func TestJavaRandomReferenceValues(t *testing.T) {
	cases := []struct {
		seed int64
		want []float64
	}{
		{1234, []float64{0x1.4b0cd12140cbep-1, 0x1.e7185b9e6475bp-1, 0x1.b715d5a8983f9p-1, 0x1.d53b1c8cba888p-2, 0x1.5803e817b780ep-2}}, // jLEMS's default seed
		{123, []float64{0x1.7243e39e5e024p-1, 0x1.fb5719a699f85p-1, 0x1.035f4492fa262p-2, 0x1.37b4aea123079p-1, 0x1.9c9aedcfa9ce4p-1}},
		{0, []float64{0x1.764168ea6ca89p-1, 0x1.ec9e5b3672e14p-3, 0x1.465b93a78ef81p-1, 0x1.19d2e10efa128p-1, 0x1.31f174640953bp-1}},
		{-1, []float64{0x1.1365b2708722cp-2, 0x1.921011897ffp-7, 0x1.52fcbccce6ddap-1, 0x1.aa6ece6637c5p-2, 0x1.a6ff37873c9c7p-1}},
		{42, []float64{0x1.74833a06ff457p-1, 0x1.5dcf778622e01p-1, 0x1.3c20f3f12bbb4p-2, 0x1.1bba76b52c856p-2, 0x1.54c2d50bb0864p-1}},
		{1 << 40, []float64{0x1.4105a27bb2a24p-3, 0x1.e52796d61cb85p-1, 0x1.c05b93a40ef81p-1, 0x1.23d2e11f7a128p-1, 0x1.4bf174288953bp-1}},
	}
	for _, c := range cases {
		r := NewJavaRandom(c.seed)
		for i, w := range c.want {
			if got := r.Float64(); got != w {
				t.Errorf("seed %d, draw %d: got %x, want %x", c.seed, i, got, w)
			}
		}
	}
	r := NewJavaRandom(1234)
	var d float64
	for i := 0; i < 1000; i++ {
		d = r.Float64()
	}
	if d != 0x1.646702d93ab2ep-1 {
		t.Errorf("seed 1234, draw 1000: got %x, want 0x1.646702d93ab2ep-1", d)
	}
	r = NewJavaRandom(123)
	for i, w := range []int32{-1188957731, 1018954901, -39088943} {
		if got := r.Int32(); got != w {
			t.Errorf("seed 123, nextInt %d: got %d, want %d", i, got, w)
		}
	}
	// Seed restarts the stream, as Random.setSeed.
	r.Seed(1234)
	if got := r.Float64(); got != 0x1.4b0cd12140cbep-1 {
		t.Errorf("after Seed(1234): got %x", got)
	}
}

// TestJavaSeedFlags checks how a program that draws as jLEMS does is
// seeded: with Info.JavaSeed (the experiment's seed, or jLEMS's 1234),
// or with --seed when given; JRandInit then holds the first InitDraws
// doubles of that stream and JRand continues after them.
func TestJavaSeedFlags(t *testing.T) {
	seed := int64(1234)
	info := testInfo()
	info.JavaSeed, info.InitDraws = &seed, 3
	for _, tt := range []struct {
		args []string
		seed int64
	}{
		{nil, 1234},
		{[]string{"--seed", "123"}, 123},
	} {
		if _, err := ParseArgs(info, "sim", tt.args); err != nil {
			t.Fatalf("ParseArgs(%q): %v", tt.args, err)
		}
		want := NewJavaRandom(tt.seed)
		if len(JRandInit) != 3 {
			t.Fatalf("%q: %d initial draws, want 3", tt.args, len(JRandInit))
		}
		for i, got := range JRandInit {
			if w := want.Float64(); got != w {
				t.Errorf("%q: initial draw %d = %x, want %x", tt.args, i, got, w)
			}
		}
		if got, w := JRand.Float64(), want.Float64(); got != w {
			t.Errorf("%q: first draw of the run %x, want %x", tt.args, got, w)
		}
	}
}
