package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestMain builds the figure renderer, tvboc-plot, for the tests that
// plot (tvboc plot, run --plot), and points TVBOC_PLOT at it.
func TestMain(m *testing.M) {
	os.Exit(func() int {
		if os.Getenv("TVBOC_PLOT") == "" {
			dir, err := os.MkdirTemp("", "tvboc-plot-")
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			defer os.RemoveAll(dir)
			exe := filepath.Join(dir, "tvboc-plot")
			if out, err := exec.Command("go", "build", "-o", exe, "../tvboc-plot").CombinedOutput(); err != nil {
				fmt.Fprintf(os.Stderr, "building tvboc-plot: %v\n%s", err, out)
				return 1
			}
			os.Setenv("TVBOC_PLOT", exe)
		}
		return m.Run()
	}())
}
