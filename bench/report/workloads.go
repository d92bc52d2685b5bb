package main

// Whole-program workloads (issue 7): each workload is run by every
// implementation as a separate process, in interleaved rounds, and the
// report quotes medians and ratios to the C baseline of the same run.
//
//	W1        the seed (testdata/ex2): four Izhikevich cells, v recorded
//	W2 N=...  Izhikevich's (2003) spnet (bench/baseline/spnet documents it)
//	W3 N=...  spnet at 100,000 cells x 1000 targets (100 million synapses),
//	          and once per report at a billion synapses when memory allows:
//	          network construction, simulation and output timed apart
//	W6        TVBO's NeuroML Ex26: twelve HH cells, weighted synapses (exp-heavy)
//	W7        one Jansen-Rit node, 200,000 steps (sigmoids: exp-heavy)
//	W8        TVBO's NeuroML Ex15: a granule cell, 700,000 steps (exp-heavy)
//	W9        output cost: Ex15 --record all as CSV, .dat and .npy, beside dd
//
// Implementations: tvboc's generated binary, the hand-written Go and C
// baselines (bench/baseline), Brian2 in runtime mode and cpp_standalone
// (bench/brian2). An implementation that cannot run here (no gcc, no
// Brian2, no W2 experiment yet) keeps its row, with the reason.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

// cflags are the C baselines' compiler flags: the machine's limit
// (-O3, every instruction the CPU has) without fused multiply-adds, which
// Go does not use and which would change the results (see tvboc_rng.h).
var cflags = []string{"-O3", "-march=native", "-ffp-contract=off"}

// workloadConfig is what the command line decides about the workloads.
type workloadConfig struct {
	root     string // module root: every path below is relative to it
	rounds   int
	quick    bool // CI smoke test: short W2 runs, no installs, no slow builds
	brian2   bool
	brianStd bool // Brian2 cpp_standalone (a full C++ build every run)
	only     selection
	billion  bool // W3: the billion-synapse run
}

// sample is one process run of one implementation.
type sample struct {
	wall  time.Duration // whole process, as the harness saw it
	cpu   time.Duration // user + system CPU time of the process (and its children)
	sim   time.Duration // the step loop, as the program reports it (0: unknown)
	build time.Duration // compile/build time for this round (0: none)
	rss   int64         // peak resident set size in bytes (child's rusage)
	count int           // spikes written (-1: not a spiking workload)
	// construct and write are a network's construction and the output's
	// writing, as the program reports them (0: unknown)
	construct, write time.Duration
	hash             string // SHA-256 of the spike file, to compare implementations
	bytes            int64  // size of the output file
}

// impl is one implementation of one workload.
type impl struct {
	name string
	// skip, when set before the rounds start, is shown instead of numbers.
	skip string
	// prepare runs once per round before run: typically a build, whose
	// time it returns (0 when the build time comes from the run itself).
	prepare func() (time.Duration, error)
	// cmd is the command line of one run writing its output to out.
	cmd func(out string) []string
	// parse reads the program's stdout and stderr into the sample.
	parse   func(stdout, stderr string, s *sample) error
	steps   int // steps it runs, when not the workload's (TVB's shorter runs)
	samples []sample
	err     error // the first failure; the row then shows it
	// once runs the implementation in the first round only (the
	// billion-synapse run: minutes and most of the machine's memory).
	once bool
	// ext, when set, is this implementation's output extension (W9
	// writes one experiment in three formats); size receives the bytes
	// of each run's file.
	ext  string
	size *int64
}

type workload struct {
	id, title      string
	neurons, steps int
	spiking        bool
	// ext is the output file's extension (".csv" when empty); sameFile
	// asks every implementation for the Go baseline's file, byte for byte
	// (hashed after each run, shown in the last column).
	ext      string
	sameFile bool
	impls    []*impl
	// synapses and targets (per cell) make a large-network workload
	// (W3): its table splits construction, simulation and output.
	synapses int64
	targets  int
	edges    int // whole-brain workloads (brain.go): connections
	// output marks the output-cost workload (output.go): its table is
	// bytes and rates, and its files are removed after each run.
	output bool
}

// wants says whether workload family id (W1, W2, W3, ...) is to run.
func (cfg workloadConfig) wants(id string) bool { return cfg.only.has(id) }

// runWorkloads runs every workload's implementations in interleaved
// rounds and returns the Markdown section.
func runWorkloads(cfg workloadConfig) (string, error) {
	tmp, err := os.MkdirTemp("", "tvboc-workloads-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	env := newEnvironment(cfg, tmp)
	wls := selected(cfg.only, env.workloads())
	parity := selected(cfg.only, env.parityPrograms())
	for r := 1; r <= cfg.rounds; r++ {
		fmt.Fprintf(os.Stderr, "workloads round %d/%d ...\n", r, cfg.rounds)
		for _, w := range append(wls[:len(wls):len(wls)], parity...) {
			for _, im := range w.impls {
				if im.skip != "" || im.err != nil || im.once && r > 1 {
					continue
				}
				fmt.Fprintf(os.Stderr, "  %s %s\n", w.id, im.name)
				ext := w.ext
				if im.ext != "" {
					ext = im.ext
				}
				if ext == "" {
					ext = ".csv"
				}
				out := filepath.Join(tmp, "out-"+sanitize(w.id+"-"+im.name)+ext)
				s, err := runOnce(im, out, env.rsswrap, w)
				if w.output {
					os.Remove(out) // gigabytes a run
				}
				if err != nil {
					im.err = err
					fmt.Fprintf(os.Stderr, "    failed: %v\n", err)
					continue
				}
				im.samples = append(im.samples, s)
			}
		}
	}
	section := renderWorkloads(cfg, env, wls)
	if len(parity) > 0 {
		section += renderParity(cfg, parity)
	}
	return section, nil
}

// selected keeps the workloads that -workloads names.
func selected(only selection, wls []*workload) []*workload {
	var keep []*workload
	for _, w := range wls {
		if only.has(w.id) {
			keep = append(keep, w)
		}
	}
	return keep
}

func runOnce(im *impl, out, wrap string, w *workload) (sample, error) {
	var s sample
	if im.prepare != nil {
		d, err := im.prepare()
		if err != nil {
			return s, err
		}
		s.build = d
	}
	argv := im.cmd(out)
	// Peak RSS through rsswrap (see rsswrap.c for why not directly).
	rssFile := out + ".rss"
	if wrap != "" {
		argv = append([]string{wrap, rssFile}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	s.wall = time.Since(start)
	if cmd.ProcessState != nil {
		// wait4's rusage covers the waited-for children too (rsswrap's
		// program); on a loaded machine it moves far less than wall time
		s.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if err != nil {
		return s, fmt.Errorf("%s: %v: %s", filepath.Base(argv[0]), err, lastLines(stderr.String()+stdout.String(), 3))
	}
	if data, err := os.ReadFile(rssFile); err == nil {
		if kb, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64); err == nil {
			s.rss = kb * 1024
		}
	}
	s.count = -1
	s.bytes = fileSize(out)
	if im.size != nil {
		*im.size = s.bytes
	}
	switch {
	case w.spiking:
		s.count, s.hash = countSpikes(out)
	case w.sameFile:
		s.hash = hashFile(out)
	}
	if err := im.parse(stdout.String(), stderr.String(), &s); err != nil {
		return s, err
	}
	return s, nil
}

// environment finds and builds what the implementations need, once.
type environment struct {
	cfg         workloadConfig
	tmp         string
	tvboc       string // the tvboc CLI, or "" with tvbocErr
	tvbocErr    string
	gcc         string
	rsswrap     string // measures a child's own peak RSS, or "" (no gcc)
	python      string // a python3 that imports brian2, or ""
	brianReason string // why Brian2 rows are skipped
}

func newEnvironment(cfg workloadConfig, tmp string) *environment {
	env := &environment{cfg: cfg, tmp: tmp}
	env.tvboc = filepath.Join(tmp, "tvboc")
	if msg, err := goBuild(cfg.root, env.tvboc, "./cmd/tvboc"); err != nil {
		env.tvboc, env.tvbocErr = "", "tvboc does not build: "+firstLine(msg)
	}
	if p, err := exec.LookPath("gcc"); err == nil {
		env.gcc = p
		wrap := filepath.Join(tmp, "rsswrap")
		cmd := exec.Command(p, "-O2", "-o", wrap, filepath.Join("bench", "baseline", "c", "rsswrap.c"))
		cmd.Dir = cfg.root
		if err := cmd.Run(); err == nil {
			env.rsswrap = wrap
		}
	}
	env.python, env.brianReason = findBrian2(cfg)
	return env
}

// findBrian2 returns a python3 that imports brian2, installing Debian's
// python3-brian through bench/brian2/install.sh when missing (not in quick
// mode: a CI smoke test installs nothing).
func findBrian2(cfg workloadConfig) (python, reason string) {
	if !cfg.brian2 {
		return "", "skipped (-brian2=false)"
	}
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if err := exec.Command(py, "-c", "import brian2").Run(); err == nil {
			return py, ""
		}
	}
	if cfg.quick {
		return "", "skipped: Brian2 not installed (quick mode installs nothing)"
	}
	cmd := exec.Command("sh", filepath.Join(cfg.root, "bench", "brian2", "install.sh"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := lastLines(stderr.String(), 1)
		fmt.Fprintln(os.Stderr, msg)
		return "", "skipped: Brian2 could not be installed (" + strings.TrimPrefix(msg, "skip: ") + ")"
	}
	return lastLines(stdout.String(), 1), ""
}

func goBuild(root, out, pkg string) (string, error) {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	msg, err := cmd.CombinedOutput()
	return string(msg), err
}

func (env *environment) workloads() []*workload {
	root := env.cfg.root
	w2ms := 1000
	if env.cfg.quick {
		w2ms = 50
	}
	var wls []*workload
	if env.cfg.wants("W1") {
		w1 := &workload{id: "W1", title: "seed: 4 Izhikevich cells, dt 5 µs, 200 ms, v of all cells every step (CSV)", neurons: 4, steps: 40000}
		w1.impls = []*impl{
			env.tvbocImpl(filepath.Join(root, "testdata", "ex2", "ex2.yaml"), "w1"),
			env.goImpl("./bench/baseline/ex2", "w1", nil, parseGoEx2),
			env.cImpl("ex2.c", "w1", nil),
			env.brianImpl("ex2.py", "runtime", nil),
			env.brianImpl("ex2.py", "cpp_standalone", nil),
		}
		wls = append(wls, w1)
	}
	for _, n := range []int{1000, 10000} {
		if !env.cfg.wants("W2") {
			break
		}
		conn := "all-to-all"
		if n > 1000 {
			conn = "100 random targets per cell"
		}
		w := &workload{
			id:      fmt.Sprintf("W2 N=%d", n),
			title:   fmt.Sprintf("spnet: %d cells, %s, dt 0.1 ms, %d ms, spikes only", n, conn, w2ms),
			neurons: n, steps: w2ms * 10, spiking: true,
		}
		args := []string{"-n", strconv.Itoa(n), "-seed", "1", "-T", strconv.Itoa(w2ms)}
		brianArgs := []string{"--n", strconv.Itoa(n), "--seed", "1", "--T", strconv.Itoa(w2ms)}
		tag := fmt.Sprintf("w2-%d", n)
		// The tvboc slot: active once the W2 experiment exists and compiles
		// (it is written for 1000 ms; quick mode cannot shorten it).
		tv := env.tvbocFor(w.id, filepath.Join(root, "testdata", "bench", fmt.Sprintf("spnet_%d.yaml", n)), tag)
		if env.cfg.quick && tv.skip == "" {
			tv.skip = "skipped in quick mode (the experiment runs 1000 ms)"
		}
		// The baselines are single-threaded, so the ratios to C use tvboc on
		// one thread; a second row runs the same binary on every core for
		// the multi-core speed-up.
		tvAll := *tv
		tvAll.name = "tvboc (generated, all cores)"
		tvAll.prepare = nil
		if tv.cmd != nil {
			one := tv.cmd
			tv.cmd = func(out string) []string { return append(one(out), "--threads", "1") }
		}
		tv.name = "tvboc (generated, 1 thread)"
		w.impls = []*impl{
			tv,
			&tvAll,
			env.goImpl("./bench/baseline/spnet", tag, args, parseKV),
			env.cImpl("spnet.c", tag, args),
			env.brianImpl("spnet.py", "runtime", brianArgs),
			env.brianImpl("spnet.py", "cpp_standalone", brianArgs),
		}
		wls = append(wls, w)
	}
	// The exp-heavy cells (issue 16): most of each step is math.Exp.
	ex26 := filepath.Join(root, "..", "shared", "reference", "tvbo", "neuroml", "Ex26.yaml")
	w3 := &workload{id: "W6", title: "TVBO's NeuroML Ex26: 12 HH cells, delayed chemical, electrical and graded synapses, dt 5 µs, 300 ms, v of every cell every step (.npy)",
		neurons: 12, steps: 60000, ext: ".npy", sameFile: true}
	w3.impls = []*impl{
		// the baselines compute the plain ODE reading (no jLEMS nesting lag)
		env.tvbocFor(w3.id, ex26, "w3", "--semantics", "ode"),
		env.goImpl("./bench/baseline/ex26", "w3", nil, parseKV),
		env.cImpl("ex26.c", "w3", nil),
	}
	w4 := &workload{id: "W7", title: "one Jansen-Rit node (testdata/bench/jr_1.yaml), Euler, dt 0.1 ms, 20 s, every state every step (.npy)",
		neurons: 1, steps: 200000, ext: ".npy", sameFile: true}
	w4.impls = []*impl{
		env.tvbocFor(w4.id, filepath.Join(root, "testdata", "bench", "jr_1.yaml"), "w4"),
		env.goImpl("./bench/baseline/jr", "w4", nil, parseKV),
		env.cImpl("jr.c", "w4", nil),
	}
	ex15 := filepath.Join(root, "..", "shared", "reference", "tvbo", "neuroml", "Ex15.yaml")
	w5 := &workload{id: "W8", title: "TVBO's NeuroML Ex15: a granule cell with 7 channels and a Ca pool, dt 1 µs, 700 ms, v every step (.npy)",
		neurons: 1, steps: 700000, ext: ".npy", sameFile: true}
	w5.impls = []*impl{
		env.tvbocFor(w5.id, ex15, "w5", "--semantics", "ode"),
		env.goImpl("./bench/baseline/ex15", "w5", nil, parseKV),
		env.cImpl("ex15.c", "w5", nil),
	}
	if env.cfg.only.has("W3") {
		wls = append(wls, env.w3()...)
	}
	wls = append(wls, env.brainWorkloads()...)
	wls = append(wls, w3, w4, w5)
	if w9 := env.outputWorkload(); w9 != nil {
		wls = append(wls, w9)
	}
	return wls
}

// tvbocFor is tvbocImpl for workload id, without its probe compile when
// -workloads leaves the workload out (it is dropped before the rounds).
func (env *environment) tvbocFor(id, yaml, tag string, args ...string) *impl {
	if !env.cfg.only.has(id) {
		return &impl{name: "tvboc (generated)", skip: "not selected"}
	}
	return env.tvbocImpl(yaml, tag, args...)
}

// w3 is the large-network workload: spnet at 100,000 cells with 1000
// targets each (tvboc on every core, with float64 and float32 weights,
// and the C baseline), and once a billion synapses (1,000,000 cells,
// float32 weights, 100 ms) with C beside it where its 12 bytes a synapse
// fit in the memory available.
func (env *environment) w3() []*workload {
	root := env.cfg.root
	w := &workload{id: "W3 N=100000", title: "spnet: 100,000 cells, 1000 random targets per cell (100 million synapses), dt 0.1 ms, 200 ms, spikes only",
		neurons: 100000, steps: 2000, spiking: true, synapses: 1e8, targets: 1000}
	yaml := filepath.Join(root, "testdata", "bench", "spnet_100000.yaml")
	tv := env.tvbocImpl(yaml, "w3")
	tv.name = "tvboc (generated, all cores)"
	tv32 := env.tvbocImpl(yaml, "w3-f32", "--weights", "float32")
	tv32.name = "tvboc (generated, all cores, float32 weights)"
	c := env.cImpl("spnet.c", "w3", []string{"-n", "100000", "-seed", "1", "-targets", "1000", "-T", "200", "-we", "0.5", "-wi", "-1"})
	w.impls = []*impl{tv, tv32, c}
	big := &workload{id: "W3 N=1000000", title: "spnet: 1,000,000 cells, 1000 random targets per cell (a billion synapses), dt 0.1 ms, 100 ms, spikes only, one run",
		neurons: 1000000, steps: 1000, spiking: true, synapses: 1e9, targets: 1000}
	tvBig := env.tvbocImpl(filepath.Join(root, "testdata", "bench", "spnet_1000000.yaml"), "w3-big", "--weights", "float32")
	tvBig.name = "tvboc (generated, all cores, float32 weights)"
	cBig := env.cImpl("spnet.c", "w3-big", []string{"-n", "1000000", "-seed", "1", "-targets", "1000", "-T", "100", "-we", "0.5", "-wi", "-1"})
	big.impls = []*impl{tvBig, cBig}
	avail, known := availableGB()
	for _, im := range []*impl{tv, tv32, c, tvBig, cBig} {
		if env.cfg.quick && im.skip == "" {
			im.skip = "skipped in quick mode (100 million synapses and more)"
		}
	}
	for im, need := range map[*impl]float64{tvBig: 9, cBig: 13} {
		im.once = true
		if im.skip == "" && !env.cfg.billion {
			im.skip = "skipped (-billion=false)"
		}
		if im.skip == "" && (!known || avail < need+1) {
			im.skip = fmt.Sprintf("skipped: needs about %.0f GB, %.1f GB available", need, avail)
		}
	}
	return []*workload{w, big}
}

// availableGB is the memory available to a new process (MemAvailable).
func availableGB() (float64, bool) {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemAvailable:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			return kb * 1024 / 1e9, err == nil
		}
	}
	return 0, false
}

// tvbocImpl is the generated program: each round `tvboc compile` without
// tvboc's binary cache (the Go build cache stays warm), then the binary.
// args are more flags of tvboc compile.
func (env *environment) tvbocImpl(yaml, tag string, args ...string) *impl {
	im := &impl{name: "tvboc (generated)", parse: parseRuntimeSummary}
	rel, _ := filepath.Rel(env.cfg.root, yaml)
	if _, err := os.Stat(yaml); err != nil {
		if strings.HasPrefix(filepath.ToSlash(rel), "../shared/") {
			im.skip = "skipped: " + filepath.ToSlash(rel) + " not found"
		} else {
			im.skip = "not yet supported (no " + filepath.ToSlash(rel) + ")"
		}
		return im
	}
	if env.cfg.quick && (tag == "w3" || tag == "w5") {
		// W6 is an 11,000-line program whose compile alone outlasts the
		// smoke test; W8 runs 700,000 steps
		im.skip = "skipped in quick mode (a long compile or run)"
		return im
	}
	if env.tvboc == "" {
		im.skip = env.tvbocErr
		return im
	}
	bin := filepath.Join(env.tmp, "tvboc-"+tag)
	im.prepare = func() (time.Duration, error) {
		cmd := exec.Command(env.tvboc, append([]string{"compile", "--cache-dir", "off", "-q", rel, "-o", bin}, args...)...)
		cmd.Dir = env.cfg.root // relative paths keep this machine's out of messages
		start := time.Now()
		msg, err := cmd.CombinedOutput()
		if err != nil {
			return 0, fmt.Errorf("tvboc compile: %s", firstLine(string(msg)))
		}
		return time.Since(start), nil
	}
	// Probe once: an experiment the compiler cannot handle yet (W2 before
	// population support) is "not yet supported", not a failure.
	if _, err := im.prepare(); err != nil {
		im.skip = "not yet supported (" + err.Error() + ")"
	}
	im.cmd = func(out string) []string { return []string{bin, "-o", out} }
	return im
}

func (env *environment) goImpl(pkg, tag string, args []string, parse func(string, string, *sample) error) *impl {
	bin := filepath.Join(env.tmp, "go-"+tag)
	return &impl{
		name: "Go (hand-written)",
		prepare: func() (time.Duration, error) {
			start := time.Now()
			if msg, err := goBuild(env.cfg.root, bin, pkg); err != nil {
				return 0, fmt.Errorf("go build %s: %s", pkg, firstLine(msg))
			}
			return time.Since(start), nil
		},
		cmd:   func(out string) []string { return append([]string{bin, "-o", out}, args...) },
		parse: parse,
	}
}

func (env *environment) cImpl(file, tag string, args []string) *impl {
	im := &impl{name: "C (gcc " + strings.Join(cflags, " ") + ")", parse: parseKV}
	if env.gcc == "" {
		im.skip = "skipped: gcc not found"
		return im
	}
	bin := filepath.Join(env.tmp, "c-"+tag)
	src := filepath.Join("bench", "baseline", "c", file)
	im.prepare = func() (time.Duration, error) {
		argv := append(append([]string{}, cflags...), "-o", bin, src, "-lm")
		cmd := exec.Command(env.gcc, argv...)
		cmd.Dir = env.cfg.root
		start := time.Now()
		if msg, err := cmd.CombinedOutput(); err != nil {
			return 0, fmt.Errorf("gcc %s: %s", file, firstLine(string(msg)))
		}
		return time.Since(start), nil
	}
	im.cmd = func(out string) []string { return append([]string{bin, "-o", out}, args...) }
	return im
}

// brianImpl runs a Brian2 script; the build time comes from the script
// (code generation and compilation), so prepare is nil.
func (env *environment) brianImpl(script, device string, args []string) *impl {
	im := &impl{name: "Brian2 " + device, parse: parseKV}
	switch {
	case env.python == "":
		im.skip = env.brianReason
		return im
	case device == "cpp_standalone" && !env.cfg.brianStd:
		im.skip = "skipped (-brian2-standalone=false)"
		return im
	case device == "cpp_standalone" && env.cfg.quick:
		im.skip = "skipped in quick mode (a full C++ build per run)"
		return im
	}
	path := filepath.Join(env.cfg.root, "bench", "brian2", script)
	im.cmd = func(out string) []string {
		return append([]string{env.python, "-W", "ignore", path, "--device", device, "--out", out}, args...)
	}
	return im
}

// kvField matches the key=value summary line of the baselines and the
// Brian2 scripts.
var kvField = regexp.MustCompile(`\b(sim_ns|build_ns|construct_ns|write_ns)=(\d+)`)

func parseKV(stdout, stderr string, s *sample) error {
	found := false
	for _, m := range kvField.FindAllStringSubmatch(stdout, -1) {
		v, _ := strconv.ParseInt(m[2], 10, 64)
		switch m[1] {
		case "sim_ns":
			s.sim, found = time.Duration(v), true
		case "build_ns":
			s.build = time.Duration(v)
		case "construct_ns":
			s.construct = time.Duration(v)
		case "write_ns":
			s.write = time.Duration(v)
		}
	}
	if !found {
		return fmt.Errorf("no sim_ns in the output: %s", lastLines(stdout+stderr, 2))
	}
	return nil
}

// parseGoEx2 reads bench/baseline/ex2's line "... steps in 2.6ms, total ...".
var goEx2Line = regexp.MustCompile(`steps in (\S+), total`)

func parseGoEx2(stdout, stderr string, s *sample) error {
	m := goEx2Line.FindStringSubmatch(stderr)
	if m == nil {
		return fmt.Errorf("no timing line: %s", lastLines(stderr, 2))
	}
	d, err := time.ParseDuration(m[1])
	s.sim = d
	return err
}

// parseRuntimeSummary reads the tvboc runtime's summary line
// ("... in 4.04 ms wall, ..."; three significant digits).
// (a minute and more is a Go duration: "4m10s").
var (
	runtimeWall  = regexp.MustCompile(`in (?:([0-9.]+) (ns|µs|ms|s)|([0-9hms.]+)) wall`)
	runtimeBuilt = regexp.MustCompile(`(?:network built|set up) in (?:([0-9.]+) (ns|µs|ms|s)|([0-9hms.]+)),`)
	runtimeWrote = regexp.MustCompile(`wrote .* in (?:([0-9.]+) (ns|µs|ms|s)|([0-9hms.]+))\s*$`)
)

func parseRuntimeSummary(stdout, stderr string, s *sample) error {
	get := func(re *regexp.Regexp) time.Duration {
		m := re.FindStringSubmatch(stderr)
		if m == nil {
			return 0 // a run without the summary: whole-process numbers only
		}
		if m[3] != "" {
			d, _ := time.ParseDuration(m[3])
			return d
		}
		v, _ := strconv.ParseFloat(m[1], 64)
		unit := map[string]float64{"ns": 1, "µs": 1e3, "ms": 1e6, "s": 1e9}[m[2]]
		return time.Duration(v * unit)
	}
	s.sim, s.construct, s.write = get(runtimeWall), get(runtimeBuilt), get(runtimeWrote)
	return nil
}

// countSpikes counts the rows of a spike CSV ("t,index" header) and
// hashes the file; -1 when the file is not one.
func countSpikes(path string) (int, string) {
	data, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(data, []byte("t,index\n")) {
		return -1, ""
	}
	sum := sha256.Sum256(data)
	return bytes.Count(data, []byte("\n")) - 1, hex.EncodeToString(sum[:])
}

// hashFile is the SHA-256 of a file, "" when it cannot be read.
func hashFile(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// roundRatios lists a/b round by round (the two ran back to back in each
// round), to show how far the machine moved the ratio of the medians:
// " (rounds: 1.62, 1.95, ...)", or "" without pairs.
func roundRatios(a, b []sample, get func(sample) float64) string {
	var rs []string
	for i := range min(len(a), len(b)) {
		if x, y := get(a[i]), get(b[i]); x > 0 && y > 0 {
			rs = append(rs, fmt.Sprintf("%.2f", x/y))
		}
	}
	if len(rs) < 2 {
		return ""
	}
	return " (rounds: " + strings.Join(rs, ", ") + ")"
}

// stat is the median of a metric over the samples that have it.
func stat(ss []sample, get func(sample) float64) (med float64, ok bool) {
	var xs []float64
	for _, s := range ss {
		if v := get(s); v > 0 {
			xs = append(xs, v)
		}
	}
	if len(xs) == 0 {
		return 0, false
	}
	return median(xs), true
}

func renderWorkloads(cfg workloadConfig, env *environment, wls []*workload) string {
	var b strings.Builder
	mode := ""
	if cfg.quick {
		mode = " Quick mode (CI smoke test): W2 shortened, one round; not for quoting."
	}
	fmt.Fprintf(&b, "## Workloads\n\nWhole processes, %d interleaved round(s), medians.%s "+
		"*wall*: the whole process as the harness sees it (start, simulation, output; for Brian2 also "+
		"Python start-up, code generation and compilation); *CPU*: the process's user + system CPU time "+
		"(a loaded machine stretches wall time far more than CPU time); *sim*: the step loop as the program itself "+
		"times it, per neuron and step; *build*: compile/build time of that round (tvboc: `tvboc compile` "+
		"with a warm Go build cache and tvboc's binary cache off; Brian2: code generation plus compilation, "+
		"from the script); *RSS*: peak resident set of the program itself (through bench/baseline/c/rsswrap.c); ratios are to the C baseline of "+
		"the same rounds.\n\n", cfg.rounds, mode)
	for _, w := range wls {
		if w.synapses > 0 {
			b.WriteString(renderLarge(w))
			continue
		}
		if w.edges > 0 {
			b.WriteString(renderBrain(w))
			continue
		}
		if w.output {
			b.WriteString(renderOutput(w))
			continue
		}
		fmt.Fprintf(&b, "### %s — %s\n\n", w.id, w.title)
		b.WriteString("| implementation | wall | CPU | sim ns/neuron-step | build | peak RSS | wall / C | CPU / C | sim / C | spikes / file |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		var cWall, cCPU, cSim float64
		for _, im := range w.impls {
			if strings.HasPrefix(im.name, "C ") && im.err == nil && len(im.samples) > 0 {
				cWall, _ = stat(im.samples, func(s sample) float64 { return float64(s.wall) })
				cCPU, _ = stat(im.samples, func(s sample) float64 { return float64(s.cpu) })
				cSim, _ = stat(im.samples, func(s sample) float64 { return float64(s.sim) })
			}
		}
		perStep := float64(w.neurons) * float64(w.steps)
		// Implementations that share the runtime's RNG stream must write
		// the Go baseline's spike file byte for byte.
		var goHash string
		for _, im := range w.impls {
			if strings.HasPrefix(im.name, "Go ") && len(im.samples) > 0 {
				goHash = im.samples[0].hash
			}
		}
		for _, im := range w.impls {
			if unavailableRow(&b, im, 8) {
				continue
			}
			wall, _ := stat(im.samples, func(s sample) float64 { return float64(s.wall) })
			lo, hi := minMax(im.samples, func(s sample) float64 { return float64(s.wall) })
			cells := []string{im.name, fmt.Sprintf("%s (%s .. %s)", human(wall), human(lo), human(hi))}
			cpu, hasCPU := stat(im.samples, func(s sample) float64 { return float64(s.cpu) })
			cells = append(cells, cond(hasCPU, human(cpu)))
			sim, hasSim := stat(im.samples, func(s sample) float64 { return float64(s.sim) })
			cells = append(cells, cond(hasSim, fmt.Sprintf("%.3g", sim/perStep)))
			build, hasBuild := stat(im.samples, func(s sample) float64 { return float64(s.build) })
			cells = append(cells, cond(hasBuild, human(build)))
			rss, hasRSS := stat(im.samples, func(s sample) float64 { return float64(s.rss) })
			cells = append(cells, cond(hasRSS, fmt.Sprintf("%.1f MiB", rss/(1<<20))))
			cells = append(cells, cond(cWall > 0, fmt.Sprintf("%.2fx", wall/cWall)))
			cells = append(cells, cond(cCPU > 0 && hasCPU, fmt.Sprintf("%.2fx", cpu/cCPU)))
			cells = append(cells, cond(cSim > 0 && hasSim, fmt.Sprintf("%.2fx", sim/cSim)))
			counts := spikeCounts(im.samples)
			switch {
			case goHash != "" && w.sameFile && strings.HasPrefix(im.name, "C "):
				// C's exp is glibc's: the same run to the last bits
				// (bench/baseline/equiv_test.go), not the same bytes
			case goHash != "" && !strings.HasPrefix(im.name, "Go ") && !strings.HasPrefix(im.name, "Brian2"):
				if sameHash(im.samples, goHash) {
					counts += " (file identical to Go)"
				} else {
					counts += " (**differs from Go**)"
				}
			}
			counts = strings.TrimSpace(counts)
			cells = append(cells, counts)
			fmt.Fprintf(&b, "| %s |\n", strings.Join(cells, " | "))
		}
		b.WriteString("\n")
	}
	b.WriteString(renderTargets(wls))
	return b.String()
}

// renderLarge is a large network's table: construction, simulation and
// output apart, peak RSS per synapse, simulation time per synapse event
// (a spike delivered to one target), ratios to C.
func renderLarge(w *workload) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s — %s\n\n", w.id, w.title)
	b.WriteString("| implementation | wall | construction | sim | output | peak RSS | RSS / synapse | sim ns / synapse event | wall / C | construction / C | RSS / C | spikes |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	get := map[string]func(sample) float64{
		"wall":      func(s sample) float64 { return float64(s.wall) },
		"construct": func(s sample) float64 { return float64(s.construct) },
		"sim":       func(s sample) float64 { return float64(s.sim) },
		"write":     func(s sample) float64 { return float64(s.write) },
		"rss":       func(s sample) float64 { return float64(s.rss) },
		"spikes":    func(s sample) float64 { return float64(s.count) },
	}
	cMed := map[string]float64{}
	var cHash string
	for _, im := range w.impls {
		if strings.HasPrefix(im.name, "C ") && im.err == nil && len(im.samples) > 0 {
			for k, f := range get {
				cMed[k], _ = stat(im.samples, f)
			}
			cHash = im.samples[0].hash
		}
	}
	for _, im := range w.impls {
		if unavailableRow(&b, im, 10) {
			continue
		}
		m := map[string]float64{}
		for k, f := range get {
			m[k], _ = stat(im.samples, f)
		}
		lo, hi := minMax(im.samples, get["wall"])
		ratio := func(k string) string {
			return cond(m[k] > 0 && cMed[k] > 0, fmt.Sprintf("%.2fx", m[k]/cMed[k]))
		}
		counts := spikeCounts(im.samples)
		switch {
		case cHash == "" || strings.HasPrefix(im.name, "C "):
		case strings.Contains(im.name, "float32"):
			counts += " (float32 weights)"
		case sameHash(im.samples, cHash):
			counts += " (file identical to C)"
		default:
			counts += " (**differs from C**)"
		}
		events := m["spikes"] * float64(w.targets)
		cells := []string{
			im.name,
			fmt.Sprintf("%s (%s .. %s)", human(m["wall"]), human(lo), human(hi)),
			cond(m["construct"] > 0, human(m["construct"])),
			cond(m["sim"] > 0, human(m["sim"])),
			cond(m["write"] > 0, human(m["write"])),
			cond(m["rss"] > 0, fmt.Sprintf("%.2f GiB", m["rss"]/(1<<30))),
			cond(m["rss"] > 0, fmt.Sprintf("%.1f B", m["rss"]/float64(w.synapses))),
			cond(m["sim"] > 0 && events > 0, fmt.Sprintf("%.2f", m["sim"]/events)),
			ratio("wall"), ratio("construct"), ratio("rss"),
			counts,
		}
		fmt.Fprintf(&b, "| %s |\n", strings.Join(cells, " | "))
	}
	b.WriteString("\n")
	return b.String()
}

// renderTargets checks the performance targets against what
// could be measured in this run.
func renderTargets(wls []*workload) string {
	find := func(id, prefix string) *impl {
		for _, w := range wls {
			if w.id != id {
				continue
			}
			for _, im := range w.impls {
				if strings.HasPrefix(im.name, prefix) {
					return im
				}
			}
		}
		return nil
	}
	med := func(im *impl, get func(sample) float64) (float64, string) {
		switch {
		case im == nil:
			return 0, "no such row"
		case im.skip != "":
			return 0, im.skip
		case im.err != nil:
			return 0, "failed"
		}
		v, ok := stat(im.samples, get)
		if !ok {
			return 0, "not measured"
		}
		return v, ""
	}
	wall := func(s sample) float64 { return float64(s.wall) }
	sim := func(s sample) float64 { return float64(s.sim) }
	build := func(s sample) float64 { return float64(s.build) }
	var b strings.Builder
	b.WriteString("### Targets\n\n| target | measured | met |\n|---|---|---|\n")
	ran := func(id string) bool {
		for _, w := range wls {
			if w.id == id {
				return true
			}
		}
		return false
	}
	ratio := func(label, id string, get func(sample) float64, base string, limit float64) {
		if !ran(id) {
			return
		}
		t, why := med(find(id, "tvboc"), get)
		c, whyC := med(find(id, base), get)
		switch {
		case why != "":
			fmt.Fprintf(&b, "| %s | tvboc: %s | — |\n", label, why)
		case whyC != "":
			fmt.Fprintf(&b, "| %s | %s: %s | — |\n", label, base, whyC)
		default:
			fmt.Fprintf(&b, "| %s | %.2fx | %s |\n", label, t/c, yesNo(t/c <= limit))
		}
	}
	ratio("W1 wall within 1.3x of the Go baseline (with output)", "W1", wall, "Go", 1.3)
	ratio("W2 N=1000 sim per neuron-step within 1.3x of C", "W2 N=1000", sim, "C", 1.3)
	ratio("W2 N=10000 sim per neuron-step within 1.3x of C", "W2 N=10000", sim, "C", 1.3)
	ratio("W6 (Ex26) sim per step within 1.3x of C", "W6", sim, "C", 1.3)
	ratio("W6 (Ex26) sim per step within 1.1x of the Go baseline", "W6", sim, "Go", 1.1)
	ratio("W7 (Jansen-Rit) sim per step within 1.3x of C", "W7", sim, "C", 1.3)
	ratio("W7 (Jansen-Rit) sim per step within 1.1x of the Go baseline", "W7", sim, "Go", 1.1)
	ratio("W8 (Ex15) sim per step within 1.3x of C", "W8", sim, "C", 1.3)
	ratio("W8 (Ex15) sim per step within 1.1x of the Go baseline", "W8", sim, "Go", 1.1)
	w2 := ran("W2 N=10000")
	oneImpl, allImpl := find("W2 N=10000", "tvboc (generated, 1"), find("W2 N=10000", "tvboc (generated, all")
	one, why1 := med(oneImpl, sim)
	all, whyAll := med(allImpl, sim)
	switch {
	case !w2:
	case why1 != "":
		fmt.Fprintf(&b, "| W2 N=10000 speed-up on all cores over 1 thread at least 1.7x | tvboc: %s | — |\n", why1)
	case whyAll != "":
		fmt.Fprintf(&b, "| W2 N=10000 speed-up on all cores over 1 thread at least 1.7x | tvboc: %s | — |\n", whyAll)
	default:
		fmt.Fprintf(&b, "| W2 N=10000 speed-up on all cores (%d) over 1 thread at least 1.7x | %.2fx%s | %s |\n", runtime.NumCPU(), one/all, roundRatios(oneImpl.samples, allImpl.samples, sim), yesNo(one/all >= 1.7))
	}
	tv := find("W2 N=1000", "tvboc")
	w, why := med(tv, wall)
	c, _ := med(tv, build)
	switch {
	case !ran("W2 N=1000"):
	case why != "":
		fmt.Fprintf(&b, "| W2 N=1000 tvboc compile + run under 1 s (warm Go cache) | tvboc: %s | — |\n", why)
	default:
		fmt.Fprintf(&b, "| W2 N=1000 tvboc compile + run under 1 s (warm Go cache) | %s + %s = %s | %s |\n",
			human(c), human(w), human(c+w), yesNo(c+w < 1e9))
	}
	construct := func(s sample) float64 { return float64(s.construct) }
	rss := func(s sample) float64 { return float64(s.rss) }
	ratio("W3 network construction within 1.3x of C", "W3 N=100000", construct, "C", 1.3)
	ratio("W3 whole process within 1.3x of C", "W3 N=100000", wall, "C", 1.3)
	ratio("W3 peak RSS within 1.3x of C", "W3 N=100000", rss, "C", 1.3)
	if r, why := med(find("W3 N=100000", "tvboc (generated, all cores)"), rss); why == "" {
		fmt.Fprintf(&b, "| W3 at most 13 bytes per synapse (float64 weights, peak RSS / 1e8) | %.1f B | %s |\n", r/1e8, yesNo(r/1e8 <= 13))
	}
	if r, why := med(find("W3 N=100000", "tvboc (generated, all cores, float32"), rss); why == "" {
		fmt.Fprintf(&b, "| (float32 weights) peak RSS per synapse | %.1f B | |\n", r/1e8)
	}
	big := find("W3 N=1000000", "tvboc")
	switch wb, why := med(big, wall); {
	case !ran("W3 N=1000000"):
	case why != "":
		fmt.Fprintf(&b, "| a billion synapses (1,000,000 cells x 1000, float32) run 100 ms on this machine | tvboc: %s | — |\n", why)
	default:
		r, _ := med(big, rss)
		fmt.Fprintf(&b, "| a billion synapses (1,000,000 cells x 1000, float32) run 100 ms on this machine | %s wall, %.1f GiB peak RSS | yes |\n", human(wb), r/(1<<30))
	}
	if bs := find("W2 N=1000", "Brian2 cpp"); bs != nil {
		bw, why := med(bs, wall)
		if why == "" {
			fmt.Fprintf(&b, "| (for comparison) Brian2 cpp_standalone W2 N=1000, whole process | %s | |\n", human(bw))
		}
	}
	b.WriteString(renderBrainTargets(wls))
	b.WriteString("\n")
	return b.String()
}

func spikeCounts(ss []sample) string {
	seen := map[int]bool{}
	var counts []int
	for _, s := range ss {
		if s.count >= 0 && !seen[s.count] {
			seen[s.count] = true
			counts = append(counts, s.count)
		}
	}
	sort.Ints(counts)
	parts := make([]string, len(counts))
	for i, c := range counts {
		parts[i] = strconv.Itoa(c)
	}
	return strings.Join(parts, ", ")
}

func sameHash(ss []sample, h string) bool {
	for _, s := range ss {
		if s.hash != h {
			return false
		}
	}
	return len(ss) > 0
}

func minMax(ss []sample, get func(sample) float64) (lo, hi float64) {
	for i, s := range ss {
		v := get(s)
		if i == 0 || v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	return lo, hi
}

func cond(ok bool, s string) string {
	if ok {
		return s
	}
	return ""
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " / ")
}

// oneLine keeps a message from breaking the Markdown table.
func oneLine(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\n", " "), "|", "\\|")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '_'
	}, s)
}

// moduleRoot is the directory of the main module's go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", err
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("not inside the tvboc module (go env GOMOD is empty)")
	}
	return filepath.Dir(mod), nil
}

// unavailableRow writes the table row of an implementation that has no
// numbers (skipped, with the reason, or failed, with the error) and
// reports whether it did; empty is the number of cells after the reason.
func unavailableRow(b *strings.Builder, im *impl, empty int) bool {
	msg := im.skip
	switch {
	case msg != "":
	case im.err != nil:
		msg = "failed: " + oneLine(im.err.Error())
	default:
		return false
	}
	fmt.Fprintf(b, "| %s | %s |%s\n", im.name, msg, strings.Repeat(" |", empty))
	return true
}
