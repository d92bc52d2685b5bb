package plot

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// RendererName is the renderer program's name: tvboc-plot, built and
// installed with tvboc (make build; go install .../cmd/...).
const RendererName = "tvboc-plot"

// Renderer returns the renderer program to run: $TVBOC_PLOT when set,
// else tvboc-plot next to the running program (symbolic links followed),
// else tvboc-plot on PATH.
func Renderer() (string, error) {
	if p := os.Getenv("TVBOC_PLOT"); p != "" {
		if st, err := os.Stat(p); err != nil || st.IsDir() {
			return "", fmt.Errorf("plot: TVBOC_PLOT names %s, which is not the renderer program (%s): unset it or point it at %s", p, describe(err), RendererName)
		}
		return p, nil
	}
	var beside string
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		beside = filepath.Join(filepath.Dir(exe), RendererName)
		if st, err := os.Stat(beside); err == nil && !st.IsDir() {
			return beside, nil
		}
	}
	if p, err := exec.LookPath(RendererName); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("plot: cannot find %s, the program that draws tvboc's figures (looked next to tvboc, as %s, and on PATH): build it with `make build` or `go install github.com/tvboc/tvboc/cmd/%s`, or set TVBOC_PLOT to its path",
		RendererName, beside, RendererName)
}

func describe(err error) string {
	switch {
	case err == nil:
		return "a directory"
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	default:
		return err.Error()
	}
}

// draw checks a request, runs the renderer on it and returns the figure's
// bytes; the renderer's message is the error when it fails.
func draw(req Request) ([]byte, error) {
	if err := req.Check(); err != nil {
		return nil, err
	}
	path, err := Renderer()
	if err != nil {
		return nil, err
	}
	// the tables stream through a pipe, not a copy of them in memory
	in, feed := io.Pipe()
	go func() {
		feed.CloseWithError(WriteRequest(feed, req))
	}()
	defer in.Close() // a renderer that stopped reading ends the writer
	var out, stderr bytes.Buffer
	cmd := exec.Command(path)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = in, &out, &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, errors.New(msg)
		}
		return nil, fmt.Errorf("plot: the renderer %s failed: %w", path, err)
	}
	return out.Bytes(), nil
}
