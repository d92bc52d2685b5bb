package main

// Whole-brain workloads (issue 17), side by side with The Virtual Brain:
//
//	W4  Generic2dOscillator, Linear coupling, Schaefer-1000 with delays, Heun
//	W5  Kuramoto, Schaefer-1000 with delays, Heun
//
// tvboc runs the experiments of testdata/bench (2000 steps) on one thread
// and on every core; TVB runs the same simulation for 200 steps through
// the shared tools' run_tvb.py (its own timing of the step loop). The
// connectome is third-party data read from ../shared/reference, and TVB
// is not part of the repository: TVBOC_TVB_LIBRARY names a tvb_library
// folder of a tvb-root checkout and TVBOC_TVB_PYTHON the interpreter that
// runs it (default python3); without them the TVB rows say why they are
// empty.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// The connectome and TVB's driver, relative to the module root.
const (
	brainData   = "../shared/reference/tvbo/connectomes"
	brainAtlas  = "space-FSLMNI152_atlas-Schaefer1000_desc-MghUscHcp32"
	tvbDriver   = "../shared/tools/tvb/run_tvb.py"
	tvbSteps    = 200
	brainEdges  = 96292 // non-zero weights of Schaefer-1000
	brainNodes  = 1000
	brainTarget = 10.0 // issue 17: at least 10x TVB per step on 2 cores
)

// brainWorkloads are W4 and W5.
func (env *environment) brainWorkloads() []*workload {
	var out []*workload
	for _, m := range []struct{ id, model, tvbModel, a, title string }{
		{"W4", "g2d", "g2d", "0.0152", "G2D, Linear coupling"},
		{"W5", "kuramoto", "kuramoto", "0.005", "Kuramoto"},
	} {
		if !env.cfg.wants(m.id) {
			continue
		}
		w := &workload{
			id:      m.id,
			title:   fmt.Sprintf("Schaefer-1000 (1000 regions, %d edges), %s, delays at 3 mm/ms, Heun, dt 0.1 ms (tvboc 2000 steps, every step to .npy; TVB %d, kept in memory)", brainEdges, m.title, tvbSteps),
			neurons: brainNodes, steps: 2000, edges: brainEdges,
			// .npy: TVB keeps its samples in an array; CSV's formatting
			// is W9's subject, and it would run beside the step loop
			ext: ".npy",
		}
		yaml := filepath.Join(env.cfg.root, "testdata", "bench", "schaefer1000_"+m.model+".yaml")
		var one *impl
		_, noData := os.Stat(filepath.Join(env.cfg.root, brainData, brainAtlas+"_weights.csv"))
		switch {
		case env.cfg.quick:
			one = &impl{skip: "skipped in quick mode"}
		case noData != nil:
			one = &impl{skip: "skipped: the connectome is not in " + brainData}
		default:
			one = env.tvbocImpl(yaml, "brain-"+m.model, "--data", brainData)
		}
		all := *one
		all.name, all.prepare = "tvboc (generated, all cores)", nil
		if one.cmd != nil {
			// both thread counts explicit: the binary's default depends
			// on the step's work (stepWork), capped by the cores
			cmd := one.cmd
			one.cmd = func(out string) []string { return append(cmd(out), "--threads", "1") }
			all.cmd = func(out string) []string { return append(cmd(out), "--threads", strconv.Itoa(runtime.NumCPU())) }
		}
		one.name = "tvboc (generated, 1 thread)"
		w.impls = []*impl{one, &all, env.tvbImpl(m.tvbModel, m.a)}
		out = append(out, w)
	}
	return out
}

// tvbImpl runs TVB through run_tvb.py, or says why it cannot.
func (env *environment) tvbImpl(model, a string) *impl {
	im := &impl{name: "TVB 2.11 (run_tvb.py)", steps: tvbSteps, parse: parseTVB}
	lib := os.Getenv("TVBOC_TVB_LIBRARY")
	python := os.Getenv("TVBOC_TVB_PYTHON")
	if python == "" {
		python = "python3"
	}
	driver := filepath.Join(env.cfg.root, tvbDriver)
	switch {
	case env.cfg.quick:
		im.skip = "skipped in quick mode"
		return im
	case lib == "":
		im.skip = "skipped: set TVBOC_TVB_LIBRARY to a tvb_library folder (and TVBOC_TVB_PYTHON)"
		return im
	}
	if _, err := os.Stat(driver); err != nil {
		im.skip = "skipped: no " + tvbDriver
		return im
	}
	probe := exec.Command(python, "-c", "import tvb.simulator.lab")
	probe.Env = append(os.Environ(), "PYTHONPATH="+lib)
	if msg, err := probe.CombinedOutput(); err != nil {
		im.skip = "skipped: TVB does not import: " + lastLines(string(msg), 1)
		return im
	}
	data := filepath.Join(env.cfg.root, brainData, brainAtlas)
	im.cmd = func(out string) []string {
		return []string{"env", "PYTHONPATH=" + lib, python, driver, "--model", model, "--a", a,
			"--weights", data + "_weights.csv", "--lengths", data + "_lengths.csv",
			"--dt", "0.1", "--steps", strconv.Itoa(tvbSteps), "--method", "heun"}
	}
	return im
}

// tvbLine is run_tvb.py's result line; tvbConfigure its set-up (the
// Simulator's construction and configure(): history, delays, monitors).
var (
	tvbLine      = regexp.MustCompile(`run ([0-9.]+) s`)
	tvbConfigure = regexp.MustCompile(`configure ([0-9.]+) s`)
)

func parseTVB(stdout, stderr string, s *sample) error {
	m := tvbLine.FindStringSubmatch(stdout)
	if m == nil {
		return fmt.Errorf("no timing line: %s", lastLines(stdout+stderr, 2))
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	s.sim = time.Duration(v * 1e9)
	if m := tvbConfigure.FindStringSubmatch(stdout); m != nil {
		v, _ := strconv.ParseFloat(m[1], 64)
		s.construct = time.Duration(v * 1e9)
	}
	return nil
}

// edgeTableBytes is what a tvboc edge-step streams from its tables: an
// int32 history offset and a float64 weight (the delayed value itself is
// read from the history, which mostly stays in cache).
const edgeTableBytes = 12

// renderBrain is a whole-brain workload's table: time per step, per
// edge and step, the bandwidth the edge tables then take, and the ratio
// to TVB's time per step in the same rounds.
func renderBrain(w *workload) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s — %s\n\n", w.id, w.title)
	fmt.Fprintf(&b, "*sim*: the step loop, on both sides without the set-up before the first step "+
		"(tvboc's histories allocated and filled, TVB's Simulator configured), which *set-up* shows. "+
		"*edge tables*: the %d bytes of offset and weight a tvboc edge-step streams, divided by its time: "+
		"against the machine's memory bandwidth, how far the step is from being bound by it.\n\n", edgeTableBytes)
	b.WriteString("| implementation | wall | set-up | sim µs/step | sim ns/edge-step | edge tables GB/s | build | peak RSS | TVB / this per step |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	var tvb float64
	for _, im := range w.impls {
		if strings.HasPrefix(im.name, "TVB") && im.err == nil && len(im.samples) > 0 {
			tvb, _ = stat(im.samples, func(s sample) float64 { return float64(s.sim) / float64(im.stepsOf(w)) })
		}
	}
	for _, im := range w.impls {
		if unavailableRow(&b, im, 7) {
			continue
		}
		wall, _ := stat(im.samples, func(s sample) float64 { return float64(s.wall) })
		setUp, hasSetUp := stat(im.samples, func(s sample) float64 { return float64(s.construct) })
		step, hasStep := stat(im.samples, func(s sample) float64 { return float64(s.sim) / float64(im.stepsOf(w)) })
		build, hasBuild := stat(im.samples, func(s sample) float64 { return float64(s.build) })
		rss, hasRSS := stat(im.samples, func(s sample) float64 { return float64(s.rss) })
		perEdge := step / float64(w.edges)
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", im.name, human(wall),
			cond(hasSetUp && setUp > 0, human(setUp)),
			cond(hasStep, fmt.Sprintf("%.1f", step/1e3)), cond(hasStep, fmt.Sprintf("%.2f", perEdge)),
			cond(hasStep && strings.HasPrefix(im.name, "tvboc"), fmt.Sprintf("%.1f", edgeTableBytes/perEdge)),
			cond(hasBuild, human(build)), cond(hasRSS, fmt.Sprintf("%.1f MiB", rss/(1<<20))),
			cond(hasStep && tvb > 0, fmt.Sprintf("%.1fx", tvb/step)))
	}
	b.WriteString("\n")
	return b.String()
}

// renderBrainTargets checks issue 17's target: at least 10x TVB per step
// on every core, for W4 and W5, with each round's own ratio.
func renderBrainTargets(wls []*workload) string {
	var b strings.Builder
	for _, w := range wls {
		if w.edges == 0 {
			continue
		}
		var all, tvb *impl
		for _, im := range w.impls {
			switch {
			case strings.HasPrefix(im.name, "tvboc (generated, all"):
				all = im
			case strings.HasPrefix(im.name, "TVB"):
				tvb = im
			}
		}
		label := fmt.Sprintf("%s per step at least %.0fx faster than TVB on all cores (%d)", w.id, brainTarget, runtime.NumCPU())
		why := ""
		for _, im := range []*impl{all, tvb} {
			switch {
			case im == nil:
				why = "no such row"
			case im.skip != "":
				why = im.name + ": " + im.skip
			case im.err != nil:
				why = im.name + ": failed"
			case len(im.samples) == 0:
				why = im.name + ": not measured"
			}
			if why != "" {
				break
			}
		}
		if why != "" {
			fmt.Fprintf(&b, "| %s | %s | — |\n", label, why)
			continue
		}
		perStep := func(im *impl) func(sample) float64 {
			return func(s sample) float64 { return float64(s.sim) / float64(im.stepsOf(w)) }
		}
		a, _ := stat(all.samples, perStep(all))
		t, _ := stat(tvb.samples, perStep(tvb))
		// each round's own ratio (TVB and tvboc ran back to back)
		var rounds []string
		for i := range min(len(all.samples), len(tvb.samples)) {
			if x, y := perStep(tvb)(tvb.samples[i]), perStep(all)(all.samples[i]); x > 0 && y > 0 {
				rounds = append(rounds, fmt.Sprintf("%.1f", x/y))
			}
		}
		fmt.Fprintf(&b, "| %s | %.1fx (rounds: %s) | %s |\n", label, t/a, strings.Join(rounds, ", "), yesNo(t/a >= brainTarget))
	}
	return b.String()
}

// stepsOf is the steps the implementation runs of w.
func (im *impl) stepsOf(w *workload) int {
	if im.steps > 0 {
		return im.steps
	}
	return w.steps
}
