package lems

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	"github.com/tvboc/tvboc/compiler"
	"github.com/tvboc/tvboc/gen/build"
	"github.com/tvboc/tvboc/runtime"
)

// RenderPopulationFile renders a population network experiment: it
// refuses populations written as equations before building anything, then
// compiles the experiment, builds its binary (through the build cache, as
// tvboc run does), has it write the network its seed draws (--network;
// seed, when not nil, replaces the experiment's as --seed does) and
// renders that (RenderPopulation).
func RenderPopulationFile(path string, opts build.Options, seed *uint64) (*Document, error) {
	c, err := compiler.Compile(path)
	if err != nil {
		return nil, err
	}
	if c.PopAST == nil {
		return nil, fmt.Errorf("%s is not a population network", path)
	}
	if err := refuseEquations(c.PopAST); err != nil {
		return nil, err
	}
	d, err := drawNetwork(c.Source, opts, seed)
	if err != nil {
		return nil, err
	}
	return RenderPopulation(c.PopAST, c.Pop, d)
}

// drawNetwork builds a population network's program and returns the
// network it draws.
func drawNetwork(src []byte, opts build.Options, seed *uint64) (runtime.NetworkDump, error) {
	var d runtime.NetworkDump
	res, err := build.Cached(src, opts)
	if err != nil {
		return d, err
	}
	dir, err := os.MkdirTemp("", "tvboc-network-")
	if err != nil {
		return d, err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "network.json")
	args := []string{"--network", file, "--quiet"}
	if seed != nil {
		args = append(args, "--seed", strconv.FormatUint(*seed, 10))
	}
	if out, err := exec.Command(res.Path, args...).CombinedOutput(); err != nil {
		return d, fmt.Errorf("drawing the network with the compiled binary: %v\n%s", err, out)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return d, err
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return d, fmt.Errorf("reading the drawn network: %w", err)
	}
	return d, nil
}
