// Package bench holds the project's performance benchmarks: generated
// binaries against hand-written baselines, and the compiler's own speed.
// `make bench` runs them several times, interleaved, and reports medians
// and ratios (go run ./bench/report).
package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tvboc/tvboc/compiler"
	"github.com/tvboc/tvboc/gen/build"
)

const seed = "../testdata/ex2/ex2.yaml"

// binaries builds the seed's generated program and its hand-written
// baseline once.
var binaries = sync.OnceValues(func() (map[string]string, error) {
	dir, err := os.MkdirTemp("", "tvboc-bench-")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	r, err := compiler.Compile(seed)
	if err != nil {
		return nil, err
	}
	out["generated"] = filepath.Join(dir, "ex2-generated")
	if _, err := build.Build(r.Source, out["generated"], build.Options{CacheDir: filepath.Join(dir, "cache")}); err != nil {
		return nil, err
	}
	out["handwritten"] = filepath.Join(dir, "ex2-handwritten")
	cmd := exec.Command("go", "build", "-o", out["handwritten"], "./baseline/ex2")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, &buildError{string(msg)}
	}
	return out, nil
})

type buildError struct{ msg string }

func (e *buildError) Error() string { return e.msg }

// BenchmarkSeed runs the whole process, simulation plus CSV output, of the
// seed experiment: the generated binary and the hand-written baseline,
// alternating within every iteration so that the noise of a shared machine
// hits both alike. It reports each one's time per run (generated-ns/op,
// handwritten-ns/op); the report tool turns them into medians and a ratio.
func BenchmarkSeed(b *testing.B) {
	bins, err := binaries()
	if err != nil {
		b.Fatal(err)
	}
	runPaired(b, func(impl string) *exec.Cmd {
		return exec.Command(bins[impl], "-o", filepath.Join(b.TempDir(), impl+".csv"))
	})
}

// runPaired times the "generated" and "handwritten" commands alternately,
// swapping which goes first on every iteration.
func runPaired(b *testing.B, command func(impl string) *exec.Cmd) {
	elapsed := map[string]time.Duration{}
	order := []string{"generated", "handwritten"}
	for i := 0; i < b.N; i++ {
		for j := range order {
			impl := order[(i+j)%2]
			cmd := command(impl)
			start := time.Now()
			if msg, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%s: %v: %s", impl, err, msg)
			}
			elapsed[impl] += time.Since(start)
		}
	}
	for _, impl := range order {
		b.ReportMetric(float64(elapsed[impl].Nanoseconds())/float64(b.N), impl+"-ns/op")
	}
	b.ReportMetric(float64(elapsed["generated"])/float64(elapsed["handwritten"]), "ratio")
}

// BenchmarkSeedNPY is the generated binary writing .npy instead of CSV:
// the difference to BenchmarkSeed/generated is the cost of text output.
func BenchmarkSeedNPY(b *testing.B) {
	bins, err := binaries()
	if err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "ex2.npy")
	for i := 0; i < b.N; i++ {
		if msg, err := exec.Command(bins["generated"], "-o", out, "--quiet").CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, msg)
		}
	}
}

// BenchmarkCompileWarm is `tvboc compile` of the seed without tvboc's
// binary cache but with a warm Go build cache: YAML to binary.
func BenchmarkCompileWarm(b *testing.B) {
	if _, err := binaries(); err != nil { // warms the Go build cache
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "sim")
	for i := 0; i < b.N; i++ {
		r, err := compiler.Compile(seed)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := build.Build(r.Source, out, build.Options{CacheDir: "off"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompileCached is `tvboc compile` when tvboc's binary cache
// already holds the build: load, lower, generate, hash, copy.
func BenchmarkCompileCached(b *testing.B) {
	cache := b.TempDir()
	out := filepath.Join(b.TempDir(), "sim")
	for i := 0; i < b.N; i++ {
		r, err := compiler.Compile(seed)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := build.Build(r.Source, out, build.Options{CacheDir: cache}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFrontEnd is load + resolve + lower + generate of the seed, the
// compiler's own work before the Go toolchain.
func BenchmarkFrontEnd(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := compiler.Compile(seed); err != nil {
			b.Fatal(err)
		}
	}
}
