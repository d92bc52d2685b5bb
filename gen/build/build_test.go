package build

import (
	"errors"
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

// TestToolchainEnv pins the build environment: the simd experiment (and
// GOAMD64=v1, see toolchainEnv) only for amd64 with Go 1.26 or later,
// merged into the user's own experiments.
func TestToolchainEnv(t *testing.T) {
	tests := []struct {
		goarch, experiment, version string
		want                        string
	}{
		{"amd64", "", "go1.26.8", "GOEXPERIMENT=simd GOAMD64=v1"},
		{"amd64", "", "go1.27", "GOEXPERIMENT=simd GOAMD64=v1"},
		{"amd64", "loopvar", "go1.26.0", "GOEXPERIMENT=loopvar,simd GOAMD64=v1"},
		{"amd64", "", "go1.25.3", ""},
		{"amd64", "", "devel", ""},
		{"arm64", "", "go1.26.8", ""},
	}
	for _, tt := range tests {
		t.Setenv("GOARCH", tt.goarch)
		t.Setenv("GOEXPERIMENT", tt.experiment)
		env := toolchainEnv(tt.version)
		if got := strings.Join(env[5:], " "); got != tt.want {
			t.Errorf("%s %s %q: %q, want %q", tt.goarch, tt.version, tt.experiment, got, tt.want)
		}
		if env[3] != "CGO_ENABLED=0" {
			t.Errorf("the build must stay static: %v", env)
		}
	}
}
