package build

import (
	"debug/buildinfo"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const hello = `package main

import (
	"fmt"

	rt "github.com/tvboc/tvboc/runtime"
)

func main() { fmt.Println("chunk", rt.Chunk) }
`

func TestBuildCachesAndRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the Go toolchain")
	}
	cache := t.TempDir()
	out := filepath.Join(t.TempDir(), "hello")
	res, err := Build([]byte(hello), out, Options{CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	if res.Cached {
		t.Error("first build reported as cached")
	}
	msg, err := exec.Command(out).Output()
	if err != nil || strings.TrimSpace(string(msg)) != "chunk 16384" {
		t.Fatalf("built program printed %q, %v", msg, err)
	}
	again, err := Build([]byte(hello), out, Options{CacheDir: cache})
	if err != nil || !again.Cached || again.Key != res.Key {
		t.Fatalf("second build: %+v, %v; want a cache hit with key %s", again, err, res.Key)
	}
	other, err := Cached([]byte(hello+"\n// changed\n"), Options{CacheDir: cache})
	if err != nil || other.Cached || other.Key == res.Key {
		t.Fatalf("changed source: %+v, %v; want a new build", other, err)
	}
}

// TestBuildRelativePaths: a binary and a cache named relative to the
// working directory, with a directory in the name, get the program (go
// build runs elsewhere, in the temporary module).
func TestBuildRelativePaths(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the Go toolchain")
	}
	t.Chdir(t.TempDir())
	for _, cache := range []string{"off", "cache"} {
		if err := os.MkdirAll("bin", 0o755); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join("bin", "hello-"+cache)
		if _, err := Build([]byte(hello), out, Options{CacheDir: cache}); err != nil {
			t.Fatal(err)
		}
		msg, err := exec.Command("./" + out).Output()
		if err != nil || strings.TrimSpace(string(msg)) != "chunk 16384" {
			t.Errorf("cache %s: the binary built at %s printed %q, %v", cache, out, msg, err)
		}
	}
}

// TestBuildThroughLinks: a binary named through a symbolic link (to a
// file in another directory, or to one not there yet) goes to the link's
// target, and the link stays a link, with the cache and without.
func TestBuildThroughLinks(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the Go toolchain")
	}
	bin, other := t.TempDir(), t.TempDir()
	for _, cache := range []string{"off", filepath.Join(t.TempDir(), "cache")} {
		for _, existing := range []bool{true, false} {
			name := fmt.Sprintf("hello-%v-%v", filepath.Base(cache), existing)
			target, link := filepath.Join(other, name), filepath.Join(bin, name)
			if existing {
				if err := os.WriteFile(target, []byte("old"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Symlink(target, link); err != nil {
				t.Fatal(err)
			}
			if _, err := Build([]byte(hello), link, Options{CacheDir: cache}); err != nil {
				t.Fatal(err)
			}
			if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Errorf("%s: the link was replaced (%v)", name, err)
			}
			if msg, err := exec.Command(target).Output(); err != nil || strings.TrimSpace(string(msg)) != "chunk 16384" {
				t.Errorf("%s: the link's target printed %q, %v", name, msg, err)
			}
		}
	}
}

func TestBuildFailureLeavesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the Go toolchain")
	}
	out := filepath.Join(t.TempDir(), "broken")
	_, err := Build([]byte("package main\nfunc main() { undefined() }\n"), out, Options{CacheDir: "off"})
	if err == nil || !strings.Contains(err.Error(), "undefined") {
		t.Fatalf("want a build error naming the problem, got %v", err)
	}
	if _, statErr := os.Stat(out); !os.IsNotExist(statErr) {
		t.Error("a failed build left a binary behind")
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 0 {
		t.Errorf("a failed build left files: %v", entries)
	}
}

func TestNoGoToolchain(t *testing.T) {
	_, err := Build([]byte(hello), filepath.Join(t.TempDir(), "x"), Options{Go: filepath.Join(t.TempDir(), "no-go-here")})
	if !errors.Is(err, ErrNoGo) || !strings.Contains(err.Error(), "TVBOC_GO") {
		t.Fatalf("want ErrNoGo telling how to fix it, got %v", err)
	}
}

func TestKeyDependsOnEverything(t *testing.T) {
	a := Key([]byte("x"), "go1.26")
	if a != Key([]byte("x"), "go1.26") {
		t.Error("key is not deterministic")
	}
	if a == Key([]byte("y"), "go1.26") || a == Key([]byte("x"), "go1.27") {
		t.Error("key ignores the source or the toolchain")
	}
}

// TestToolchainEnv pins the build environment: GOAMD64=v1 on amd64
// always, and the simd experiment only for a program with vector kernels,
// on amd64 with Go 1.26 or later, merged into the user's own experiments.
func TestToolchainEnv(t *testing.T) {
	tests := []struct {
		goarch, experiment, version string
		vector                      bool
		want                        string
	}{
		{"amd64", "", "go1.26.8", true, "GOEXPERIMENT=simd GOAMD64=v1"},
		{"amd64", "", "go1.27", true, "GOEXPERIMENT=simd GOAMD64=v1"},
		{"amd64", "loopvar", "go1.26.0", true, "GOEXPERIMENT=loopvar,simd GOAMD64=v1"},
		{"amd64", "", "go1.26.8", false, "GOAMD64=v1"},
		{"amd64", "loopvar", "go1.26.8", false, "GOAMD64=v1"},
		{"amd64", "", "go1.25.3", true, "GOAMD64=v1"},
		{"amd64", "", "devel", true, "GOAMD64=v1"},
		{"arm64", "", "go1.26.8", true, ""},
	}
	for _, tt := range tests {
		t.Setenv("GOARCH", tt.goarch)
		t.Setenv("GOEXPERIMENT", tt.experiment)
		env := toolchainEnv(tt.version, tt.vector)
		if got := strings.Join(env[5:], " "); got != tt.want {
			t.Errorf("%s %s %q vector=%v: %q, want %q", tt.goarch, tt.version, tt.experiment, tt.vector, got, tt.want)
		}
		if env[3] != "CGO_ENABLED=0" {
			t.Errorf("the build must stay static: %v", env)
		}
	}
}

// TestUsesVectorKernels: only sources that guard a kernel with
// runtime.VecOn are vector programs.
func TestUsesVectorKernels(t *testing.T) {
	for _, src := range []string{"\tif runtime.VecOn {\n", "\t\tif rt.VecOn {\n"} {
		if !UsesVectorKernels([]byte(src)) {
			t.Errorf("a guarded vector kernel was not seen in %q", src)
		}
	}
	if UsesVectorKernels([]byte("package main\nfunc main() { runtime.Run() }\n")) {
		t.Error("a scalar program was taken for a vector one")
	}
}

// TestScalarProgramsBuildPlainly builds a program without vector kernels
// and one with: only the second may carry the simd experiment, whose
// preemption handler leaves the AVX upper halves dirty and slows every
// legacy-SSE math call that follows (see toolchainEnv).
func TestScalarProgramsBuildPlainly(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the Go toolchain")
	}
	// Generated programs import the runtime under its own name.
	vector := strings.NewReplacer(`rt "github.com`, `"github.com`, `rt.Chunk)`, `runtime.Chunk, runtime.VecOn)`).Replace(hello)
	for _, tt := range []struct {
		name     string
		src      string
		wantSimd bool
	}{
		{"scalar", hello, false},
		{"vector", vector, true},
	} {
		out := filepath.Join(t.TempDir(), tt.name)
		res, err := Build([]byte(tt.src), out, Options{CacheDir: "off"})
		if err != nil {
			t.Fatal(err)
		}
		info, err := buildinfo.ReadFile(res.Path)
		if err != nil {
			t.Fatal(err)
		}
		experiment, amd64 := "", ""
		for _, s := range info.Settings {
			switch s.Key {
			case "GOEXPERIMENT":
				experiment = s.Value
			case "GOAMD64":
				amd64 = s.Value
			}
		}
		wantSimd := tt.wantSimd && info.GoVersion >= "go1.26" && runtimeGOARCH() == "amd64"
		if got := strings.Contains(experiment, "simd"); got != wantSimd {
			t.Errorf("%s program: GOEXPERIMENT=%q, want simd: %v", tt.name, experiment, wantSimd)
		}
		if runtimeGOARCH() == "amd64" && amd64 != "v1" {
			t.Errorf("%s program: GOAMD64=%q, want v1", tt.name, amd64)
		}
	}
}

func runtimeGOARCH() string {
	if a := os.Getenv("GOARCH"); a != "" {
		return a
	}
	out, err := exec.Command("go", "env", "GOARCH").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
