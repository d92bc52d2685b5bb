// Package build turns generated Go source into a binary: it lays out a
// temporary module holding the generated main and the embedded runtime
// source, runs the Go toolchain on it, and caches binaries by a hash of
// everything that goes into them, so a repeated build costs a file copy.
package build

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"go/version"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	simrt "github.com/tvboc/tvboc/runtime"
)

// ModulePath is the module the generated code is built in; it matches the
// runtime's import path so the generated file compiles unchanged in this
// repository too.
const ModulePath = "github.com/tvboc/tvboc"

// ErrNoGo is returned when no Go toolchain can be found.
var ErrNoGo = errors.New("no Go toolchain found: tvboc builds simulations with the go command; install Go (https://go.dev/dl/) and put it on PATH, or set TVBOC_GO to the go binary")

// Options controls a build.
type Options struct {
	// Go is the go command; empty means $TVBOC_GO, then "go" on PATH.
	Go string
	// CacheDir holds built binaries; empty means the user cache directory
	// (tvboc/bin), and "off" disables caching.
	CacheDir string
	// Stderr receives the toolchain's output when a build fails.
	Stderr io.Writer
}

// Result describes a finished build.
type Result struct {
	Path   string // the binary
	Cached bool   // true when no compilation was needed
	Key    string // cache key (hex)
}

// GoCommand finds the go command.
func (o Options) GoCommand() (string, error) {
	if o.Go != "" {
		return lookGo(o.Go)
	}
	if env := os.Getenv("TVBOC_GO"); env != "" {
		return lookGo(env)
	}
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	// A Go installed the default way but not on PATH.
	for _, p := range []string{filepath.Join(runtime.GOROOT(), "bin", "go"), "/usr/local/go/bin/go"} {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	return "", ErrNoGo
}

func lookGo(p string) (string, error) {
	path, err := exec.LookPath(p)
	if err != nil {
		return "", fmt.Errorf("%w (tried %q: %v)", ErrNoGo, p, err)
	}
	return path, nil
}

var runtimeHash = sync.OnceValue(func() string {
	h := sha256.New()
	_ = fs.WalkDir(simrt.Source, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !runtimeFile(p) {
			return err
		}
		data, _ := simrt.Source.ReadFile(p)
		fmt.Fprintf(h, "%s %d\n", p, len(data))
		h.Write(data)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))
})

// runtimeFile reports whether an embedded runtime file belongs in the
// generated program's build (not tests, not the embedding itself).
func runtimeFile(name string) bool {
	return strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") && name != "embed.go"
}

// Key is the cache key of a build: the generated source, the runtime
// source, the toolchain version and the target platform.
func Key(src []byte, goVersion string) string {
	h := sha256.New()
	fmt.Fprintf(h, "tvboc-build-v1\n%s\n%s/%s\n%s\n%s\n", goVersion, runtime.GOOS, runtime.GOARCH, runtimeHash(), strings.Join(toolchainEnv(goVersion, UsesVectorKernels(src)), " "))
	h.Write(src)
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// CacheDirectory is where built binaries are cached, "" when caching is
// off.
func (o Options) CacheDirectory() string { return o.cacheDir() }

func (o Options) cacheDir() string {
	if o.CacheDir == "off" {
		return ""
	}
	if o.CacheDir != "" {
		return o.CacheDir
	}
	if env := os.Getenv("TVBOC_CACHE"); env != "" {
		return env
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "tvboc", "bin")
}

func goVersion(goCmd string) (string, error) {
	out, err := exec.Command(goCmd, "env", "GOVERSION").Output()
	if err != nil {
		return "", fmt.Errorf("running %s env GOVERSION: %v", goCmd, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// Build compiles src into a binary at out (created atomically: on failure
// nothing is left at out).
func Build(src []byte, out string, opts Options) (*Result, error) {
	if opts.cacheDir() == "" {
		return buildUncached(src, out, opts)
	}
	cached, err := Cached(src, opts)
	if err != nil {
		return nil, err
	}
	if err := copyFileAtomic(cached.Path, out); err != nil {
		return nil, err
	}
	cached.Path = out
	return cached, nil
}

// Cached returns a binary for src from the cache, building it there first
// if needed. With caching off it builds into a temporary directory.
func Cached(src []byte, opts Options) (*Result, error) {
	goCmd, err := opts.GoCommand()
	if err != nil {
		return nil, err
	}
	ver, err := goVersion(goCmd)
	if err != nil {
		return nil, err
	}
	key := Key(src, ver)
	dir := opts.cacheDir()
	if dir == "" {
		dir, err = os.MkdirTemp("", "tvboc-bin-")
		if err != nil {
			return nil, err
		}
	}
	bin := filepath.Join(dir, key, "sim"+exeSuffix())
	if fi, err := os.Stat(bin); err == nil && fi.Mode().IsRegular() {
		return &Result{Path: bin, Cached: true, Key: key}, nil
	}
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return nil, fmt.Errorf("creating the build cache: %w", err)
	}
	tmp, err := compile(goCmd, src, filepath.Dir(bin), opts)
	if err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, bin); err != nil {
		os.Remove(tmp)
		return nil, err
	}
	return &Result{Path: bin, Key: key}, nil
}

// buildUncached compiles straight next to out, for builds with the cache
// turned off.
func buildUncached(src []byte, out string, opts Options) (*Result, error) {
	goCmd, err := opts.GoCommand()
	if err != nil {
		return nil, err
	}
	ver, err := goVersion(goCmd)
	if err != nil {
		return nil, err
	}
	// next to the file to replace (a symbolic link's target: the link
	// stays one), so that the rename stays on its file system
	dest := simrt.OutputDest(out)
	tmp, err := compile(goCmd, src, filepath.Dir(dest), opts)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.Remove(tmp)
		return nil, err
	}
	if fi, err := os.Stat(dest); err == nil && !fi.Mode().IsRegular() {
		// not a file to replace: copyFileAtomic writes into a device
		defer os.Remove(tmp)
		if err := copyFileAtomic(tmp, out); err != nil {
			return nil, err
		}
		return &Result{Path: out, Key: Key(src, ver)}, nil
	}
	if err := os.Rename(tmp, dest); err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("writing %s: %w", out, unwrap(err))
	}
	return &Result{Path: out, Key: Key(src, ver)}, nil
}

func exeSuffix() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}

// compile builds src in a fresh temporary module and leaves the binary in
// a temporary file inside destDir, returning its path.
func compile(goCmd string, src []byte, destDir string, opts Options) (string, error) {
	// go build runs in the temporary module: a relative -o (a cache
	// directory or a binary given as dir/sim) would land there and be
	// removed with it, leaving an empty file where the binary should be
	destDir, err := filepath.Abs(destDir)
	if err != nil {
		return "", err
	}
	work, err := os.MkdirTemp("", "tvboc-build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(work)
	gomod := fmt.Sprintf("module %s\n\ngo 1.22\n", ModulePath)
	if err := os.WriteFile(filepath.Join(work, "go.mod"), []byte(gomod), 0o644); err != nil {
		return "", err
	}
	rtDir := filepath.Join(work, "runtime")
	if err := os.MkdirAll(rtDir, 0o755); err != nil {
		return "", err
	}
	err = fs.WalkDir(simrt.Source, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !runtimeFile(p) {
			return err
		}
		data, err := simrt.Source.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(rtDir, p), data, 0o644)
	})
	if err != nil {
		return "", fmt.Errorf("writing the runtime: %w", err)
	}
	mainDir := filepath.Join(work, "sim")
	if err := os.MkdirAll(mainDir, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(mainDir, "main.go"), src, 0o644); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(destDir, ".sim-*")
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	f.Close()
	ver, err := goVersion(goCmd)
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	cmd := exec.Command(goCmd, "build", "-trimpath", "-o", tmp, "./sim")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), toolchainEnv(ver, UsesVectorKernels(src))...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = &stderr
	if err := cmd.Run(); err != nil {
		os.Remove(tmp)
		if opts.Stderr != nil {
			opts.Stderr.Write(stderr.Bytes())
		}
		return "", fmt.Errorf("go build of the generated program failed (%v): %s", err, firstLines(stderr.String(), 10))
	}
	return tmp, nil
}

// UsesVectorKernels reports whether a generated program has AVX kernels:
// the generator guards every one of them with VecOn of the runtime (named
// runtime in the population files, rt in the whole-brain ones), and
// nothing else in a generated file names it.
func UsesVectorKernels(src []byte) bool {
	return bytes.Contains(src, []byte("runtime.VecOn")) || bytes.Contains(src, []byte("rt.VecOn"))
}

// toolchainEnv is what the build adds to the environment of go build.
//
// A self-contained build: no workspace, no module downloads, no cgo (a
// static binary runs on any node of a cluster). On amd64, GOAMD64=v1 keeps
// the Go compiler from fusing a scalar x*y+z into one FMA (it does from v3
// on), whatever the user's environment says, so a program's results do
// not depend on where it was built; the vector lanes round twice too, and
// the scalar tail of a block must compute exactly what a vector lane does,
// or the results would depend on the thread count.
//
// Only a program with vector kernels (Go 1.26 or later) is built with the
// simd experiment, which gives the runtime's Vec4 AVX registers
// (runtime/vec_simd.go; the kernels check for AVX2 when they start and fall
// back to their scalar loops without it). The experiment has a cost for
// every other program: its runtime saves and restores the full YMM/ZMM
// registers around an asynchronous preemption (runtime.asyncPreempt), which
// leaves their upper halves dirty, and on Intel cores every legacy-SSE
// instruction that follows (math.Exp, math.Log and the rest of the math
// package's assembly) then pays a state penalty until a VZEROUPPER: an
// exp-heavy cell ran 68x slower than the same source built plainly. A
// program without vector kernels has nothing to gain from the experiment,
// so it is built exactly as plain go build would build it.
func toolchainEnv(goVersion string, vector bool) []string {
	env := []string{"GOWORK=off", "GOFLAGS=-mod=mod", "GOPROXY=off", "CGO_ENABLED=0", "GOTOOLCHAIN=local"}
	arch := os.Getenv("GOARCH")
	if arch == "" {
		arch = runtime.GOARCH
	}
	if arch != "amd64" {
		return env
	}
	if vector && version.Compare(goVersion, "go1.26") >= 0 {
		experiments := "simd"
		if own := os.Getenv("GOEXPERIMENT"); own != "" {
			experiments = own + ",simd"
		}
		env = append(env, "GOEXPERIMENT="+experiments)
	}
	return append(env, "GOAMD64=v1")
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = append(lines[:n], "...")
	}
	return strings.Join(lines, "\n")
}

// copyFileAtomic copies src to dst through a temporary file in dst's
// directory, keeping the executable bit.
func copyFileAtomic(src, dst string) error {
	dst = simrt.OutputDest(dst) // a symbolic link stays one
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if fi, err := os.Stat(dst); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		// a device or a pipe: written into, never replaced
		out, err := os.OpenFile(dst, os.O_WRONLY, 0)
		if err == nil {
			_, err = io.Copy(out, in)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w", dst, unwrap(err))
		}
		return nil
	}
	dir := filepath.Dir(dst)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", dst, unwrap(err))
	}
	_, err = io.Copy(tmp, in)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o755)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", dst, unwrap(err))
	}
	return nil
}

func unwrap(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
