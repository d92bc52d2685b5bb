package runtime

// JavaRandom is java.util.Random, the generator jLEMS draws LEMS's
// random(x) from, written out from the algorithm the Java documentation
// specifies so that a NeuroML program draws the very numbers jLEMS draws:
//
//   - state: 48 bits; seeding scrambles the seed: (seed ^ 0x5DEECE66D) mod 2^48;
//   - next(bits): state = (state*0x5DEECE66D + 0xB) mod 2^48, then the top
//     bits of the 48 (as a signed 32-bit int, which Float64 never sees);
//   - nextDouble: ((next(26) << 27) + next(27)) * 2^-53, in [0, 1).
//
// jLEMS keeps one such generator for the whole run (Lems.getRandomGenerator),
// seeded with the Simulation's seed attribute, 1234 when it has none.
type JavaRandom struct {
	seed uint64
}

const (
	javaMultiplier = 0x5DEECE66D
	javaMask       = 1<<48 - 1
)

// NewJavaRandom returns java.util.Random's generator for new Random(seed).
func NewJavaRandom(seed int64) *JavaRandom {
	r := &JavaRandom{}
	r.Seed(seed)
	return r
}

// Seed resets the generator to the stream of seed, as Random.setSeed.
func (r *JavaRandom) Seed(seed int64) {
	r.seed = (uint64(seed) ^ javaMultiplier) & javaMask
}

// next returns the next bits (at most 32) random bits, as Random.next does
// before its cast to int.
func (r *JavaRandom) next(bits uint) uint64 {
	r.seed = (r.seed*javaMultiplier + 0xB) & javaMask
	return r.seed >> (48 - bits)
}

// Int32 returns the next int as Random.nextInt() does.
func (r *JavaRandom) Int32() int32 { return int32(uint32(r.next(32))) }

// Float64 returns the next double as Random.nextDouble() does.
func (r *JavaRandom) Float64() float64 {
	return float64(r.next(26)<<27+r.next(27)) * 0x1p-53
}

// Skip draws n doubles and throws them away.
func (r *JavaRandom) Skip(n int) {
	for range n {
		r.Float64()
	}
}

// JRand is the generator a NeuroML program compiled with jLEMS's semantics
// draws random() from during the run (Info.JavaSeed). ParseArgs seeds it.
var JRand = NewJavaRandom(1234)

// JRandInit holds the draws jLEMS makes while it initializes the model
// (Info.InitDraws of them, the first of JRand's stream): jLEMS runs each
// component's OnStart several times (StateInstance.initialize runs its own
// thrice and its children's twice per call), each run drawing anew, and
// keeps the last; an initial value reads the draw of its last run here.
var JRandInit []float64
