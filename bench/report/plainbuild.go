package main

// Plain-build parity (issue 16): every program tvboc builds must run as
// fast as the same generated source built plainly (`tvboc gen`, then `go
// build` in a module that replaces the tvboc module with this checkout: no
// GOEXPERIMENT, the default GOAMD64). A build setting that slows a program
// down (the simd experiment did, 68x on an exp-heavy cell on Intel cores)
// shows up here as a ratio above 1.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// parityLimit is the target: tvboc's binary at most this much slower than
// the plain build of its own source (median wall time).
const parityLimit = 1.15

// parityPrograms are the programs checked: the seed, three exp-heavy
// NeuroML examples of TVBO (read from ../shared, skipped where absent) and
// a Jansen-Rit network on the DK connectome.
func (env *environment) parityPrograms() []*workload {
	root := env.cfg.root
	shared := filepath.Join(root, "..", "shared", "reference")
	progs := []struct{ id, title, yaml string }{
		{"P seed", "the seed (testdata/ex2)", filepath.Join(root, "testdata", "ex2", "ex2.yaml")},
		{"P Ex15", "TVBO Ex15: granule cell with Ca dynamics, 700,000 steps", filepath.Join(shared, "tvbo", "neuroml", "Ex15.yaml")},
		{"P Ex24", "TVBO Ex24: fractional conductances", filepath.Join(shared, "tvbo", "neuroml", "Ex24.yaml")},
		{"P Ex26", "TVBO Ex26", filepath.Join(shared, "tvbo", "neuroml", "Ex26.yaml")},
		{"P JR-DK", "Jansen-Rit on DK-87, sigmoidal coupling with delays, Heun, 5,000 steps (testdata/bench/jr_dk.yaml)", filepath.Join(root, "testdata", "bench", "jr_dk.yaml")},
	}
	// The network's connectome is read from TVBO's files in ../shared.
	if os.Getenv("TVBOC_DATA") == "" {
		os.Setenv("TVBOC_DATA", filepath.Join(shared, "tvbo", "connectomes"))
	}
	var wls []*workload
	for _, p := range progs {
		if !env.cfg.only.has(p.id) {
			continue // not selected by -workloads: no plain build
		}
		tag := sanitize(strings.ToLower(p.id))
		w := &workload{id: p.id, title: p.title}
		tv := env.tvbocImpl(p.yaml, tag)
		if env.cfg.quick && tv.skip == "" && p.id != "P seed" {
			tv.skip = "skipped in quick mode"
		}
		w.impls = []*impl{tv, env.plainImpl(p.yaml, tag, tv.skip)}
		wls = append(wls, w)
	}
	return wls
}

// plainImpl builds the generated source of yaml with a plain `go build`
// (once: the program does not change between rounds) and runs it.
func (env *environment) plainImpl(yaml, tag, skip string) *impl {
	im := &impl{name: "plain go build (same source)", parse: parseRuntimeSummary, skip: skip}
	if skip != "" {
		return im
	}
	bin := filepath.Join(env.tmp, "plain-"+tag)
	if err := env.plainBuild(yaml, tag, bin); err != nil {
		im.skip = "plain build failed: " + firstLine(err.Error())
		return im
	}
	im.cmd = func(out string) []string { return []string{bin, "-o", out} }
	return im
}

func (env *environment) plainBuild(yaml, tag, bin string) error {
	mod := filepath.Join(env.tmp, "plain-mod-"+tag)
	if err := os.MkdirAll(filepath.Join(mod, "sim"), 0o755); err != nil {
		return err
	}
	rel, _ := filepath.Rel(env.cfg.root, yaml)
	gen := exec.Command(env.tvboc, "gen", rel, "-o", filepath.Join(mod, "sim", "main.go"))
	gen.Dir = env.cfg.root
	if msg, err := gen.CombinedOutput(); err != nil {
		return fmt.Errorf("tvboc gen: %s", firstLine(string(msg)))
	}
	gomod := fmt.Sprintf("module plain\n\ngo 1.22\n\nrequire github.com/tvboc/tvboc v0.0.0\n\nreplace github.com/tvboc/tvboc => %s\n", env.cfg.root)
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte(gomod), 0o644); err != nil {
		return err
	}
	sum, err := os.ReadFile(filepath.Join(env.cfg.root, "go.sum"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(mod, "go.sum"), sum, 0o644); err != nil {
		return err
	}
	cmd := exec.Command("go", "build", "-o", bin, "./sim")
	cmd.Dir = mod
	// The user's plain build: only what a plain go build would have, with
	// the experiment and the micro-architecture level at their defaults.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOEXPERIMENT=", "GOAMD64=")
	start := time.Now()
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %s", firstLine(string(msg)))
	}
	fmt.Fprintf(os.Stderr, "  plain build of %s in %s\n", rel, time.Since(start).Round(time.Millisecond))
	return nil
}

// renderParity is the section of the parity programs: medians of whole
// processes and of the step loop, each program's ratio, and the target.
func renderParity(cfg workloadConfig, wls []*workload) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Plain-build parity\n\nEach program as tvboc builds it against the same generated source built plainly "+
		"(`tvboc gen`, then `go build` with no GOEXPERIMENT and the default GOAMD64), run alternately, %d round(s), medians. "+
		"Target: tvboc's binary at most %.2fx the plain build's wall time.\n\n", cfg.rounds, parityLimit)
	b.WriteString("| program | tvboc wall | plain wall | ratio (wall) | ratio (sim) | met |\n|---|---:|---:|---:|---:|---|\n")
	wall := func(s sample) float64 { return float64(s.wall) }
	sim := func(s sample) float64 { return float64(s.sim) }
	for _, w := range wls {
		tv, pl := w.impls[0], w.impls[1]
		switch {
		case tv.skip != "":
			fmt.Fprintf(&b, "| %s | %s | | | | — |\n", w.title, tv.skip)
			continue
		case pl.skip != "":
			fmt.Fprintf(&b, "| %s | | %s | | | — |\n", w.title, pl.skip)
			continue
		case tv.err != nil || pl.err != nil:
			fmt.Fprintf(&b, "| %s | failed: %v | %v | | | — |\n", w.title, tv.err, pl.err)
			continue
		}
		tw, _ := stat(tv.samples, wall)
		pw, _ := stat(pl.samples, wall)
		ts, okT := stat(tv.samples, sim)
		ps, okP := stat(pl.samples, sim)
		simRatio := ""
		if okT && okP {
			simRatio = fmt.Sprintf("%.2fx", ts/ps)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %.2fx%s | %s | %s |\n", w.title, human(tw), human(pw), tw/pw,
			roundRatios(tv.samples, pl.samples, wall), simRatio, yesNo(tw/pw <= parityLimit))
	}
	b.WriteString("\n")
	return b.String()
}
