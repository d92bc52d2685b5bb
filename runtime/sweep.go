package runtime

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// SimulateFunc is a generated kernel with free parameters: it fills rec
// from the initial state on, reporting to prog (which may be silent), with
// p holding the free parameters' kernel values in declaration order. It
// must keep all its state local, so that several sets run at once.
type SimulateFunc func(rec *Recorder, prog *Progress, p []float64)

// NetworkRunFunc is a population program with free parameters: it builds
// the network and runs it with p (the free parameters' kernel values in
// declaration order), writing the outputs opts names, as the program
// without free parameters does. The network lives in the program's
// package variables, so runs take turns (a sweep runs one set at a time,
// each on all the threads --threads gives it).
type NetworkRunFunc func(opts Options, p []float64) error

// kernel is the simulation a program with free parameters runs: a
// SimulateFunc (node lists, whole-brain) or a NetworkRunFunc.
type kernel struct {
	simulate SimulateFunc
	network  NetworkRunFunc
}

// RunWithParams is the main function of a generated program with free
// parameters. It parses the command line and then runs one simulation
// (defaults overridden by --set), lists the parameters (--params), or runs
// a sweep (--sweep FILE, optionally one --shard of it) with one goroutine
// per core. It never returns: it exits 0 on success, 1 when a run or a set
// failed, 2 for a usage mistake.
func RunWithParams(info Info, params []Param, simulate SimulateFunc) {
	env := environment{program: programName(), getenv: os.Getenv, stdout: os.Stdout, stderr: os.Stderr}
	catchInterrupts(env.program, os.Stderr)
	os.Exit(env.run(info, params, kernel{simulate: simulate}, os.Args[1:]))
}

// RunNetworkWithParams is RunWithParams for a population program: one
// run (--set), the parameter list (--params) or a sweep (--sweep), whose
// sets run one after another, each writing its own files (-o and --spikes
// with {index}) exactly as a --set run of its values would.
func RunNetworkWithParams(info Info, params []Param, run NetworkRunFunc) {
	env := environment{program: programName(), getenv: os.Getenv, stdout: os.Stdout, stderr: os.Stderr}
	catchInterrupts(env.program, os.Stderr)
	os.Exit(env.run(info, params, kernel{network: run}, os.Args[1:]))
}

// environment is what a run sees of the process, so tests can run the
// whole command line in-process.
type environment struct {
	program        string
	getenv         func(string) string
	stdout, stderr io.Writer
}

func (e environment) usageError(err error) int {
	awaitInterrupt(err)
	fmt.Fprintf(e.stderr, "%s: error: %v\nRun '%s --help' for usage.\n", e.program, err, e.program)
	return 2
}

func (e environment) fail(err error) int {
	awaitInterrupt(err)
	fmt.Fprintf(e.stderr, "%s: error: %v\n", e.program, err)
	return 1
}

func (e environment) run(info Info, params []Param, k kernel, args []string) int {
	if err := info.Validate(); err != nil {
		return e.fail(fmt.Errorf("internal error in the generated program: %w", err))
	}
	if err := validateParams(params); err != nil {
		return e.fail(fmt.Errorf("internal error in the generated program: %w", err))
	}
	flags, rest, err := splitSweepArgs(args)
	if err != nil {
		return e.usageError(err)
	}
	if flags.sweep != "" {
		info.Streams = false // every set's recording is held whole
	}
	opts, err := ParseArgs(info, e.program, rest)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(e.stdout, Usage(info, e.program), paramsUsage(params, k.network != nil))
		return 0
	}
	if err != nil {
		return e.usageError(err)
	}
	opts.Stdout, opts.Stderr = e.stdout, e.stderr
	if flags.listParams {
		if len(flags.sets) > 0 || flags.sweep != "" || len(rest) > 0 {
			return e.usageError(errors.New("--params lists the free parameters and runs nothing: give it alone"))
		}
		fmt.Fprint(e.stdout, ParamsText(params))
		return 0
	}
	values := defaultValues(params)
	flags.setBy = map[int]string{} // to refuse two, and one the sweep file sets
	for _, s := range flags.sets {
		i, v, err := parseAssignment(params, s)
		if err != nil {
			return e.usageError(err)
		}
		if earlier, twice := flags.setBy[i]; twice {
			return e.usageError(fmt.Errorf("--set %s and --set %s give %s twice: give it once", earlier, s, params[i].Name))
		}
		flags.setBy[i] = s
		values[i] = v
	}
	if flags.sweep == "" && (strings.Contains(opts.Out, "{index}") || strings.Contains(opts.Out, "{shard}")) {
		return e.usageError(fmt.Errorf("-o %s: {index} and {shard} are filled in by a sweep: add --sweep FILE, or name one file", opts.Out))
	}
	if flags.sweep == "" {
		if flags.shard != "" || flags.manifest != "" || flags.allowFailed {
			return e.usageError(errors.New("--shard, --manifest and --allow-failed belong to a sweep: add --sweep FILE"))
		}
		if k.network != nil {
			if err := k.network(opts, kernelValues(params, values)); err != nil {
				runCleanups()
				return e.fail(err)
			}
			return 0
		}
		rec, err := NewRunRecorder(opts)
		if err != nil {
			return e.fail(err)
		}
		prog := NewProgress(opts)
		k.simulate(rec, prog, kernelValues(params, values))
		if err := Finish(opts, rec, prog); err != nil {
			return e.fail(err)
		}
		return 0
	}
	return e.sweep(info, params, k, opts, flags, values)
}

// paramsUsage is the part of --help about free parameters; a population
// program (network) runs a sweep's sets one after another, each writing
// its own files.
func paramsUsage(params []Param, network bool) string {
	sweep := `  --sweep FILE         run every parameter set of FILE (CSV: a header of
                       parameter names, one row per set; missing columns keep
                       their default or --set value), spread over all cores;
                       -o must name one file per set with {index}
                       (-o out/{index}.csv) or one .npy with a leading set axis
`
	manifest := `  --manifest FILE      where the sweep's manifest goes (.csv or .json;
                       default manifest.csv next to the outputs, or
                       <name>.manifest.csv for a .npy); {shard} in -o or
                       --manifest becomes the shard number
  --jobs N             sets run at once (default: $SLURM_CPUS_PER_TASK, else
                       every core)
`
	if network {
		sweep = `  --sweep FILE         run every parameter set of FILE (CSV: a header of
                       parameter names, one row per set; missing columns keep
                       their default or --set value), one set after another,
                       each on every thread (--threads); -o and --spikes must
                       name one file per set with {index} (-o out/{index}.csv)
`
		manifest = `  --manifest FILE      where the sweep's manifest goes (.csv or .json;
                       default manifest.csv next to the outputs); {shard} in
                       -o, --spikes or --manifest becomes the shard number
`
	}
	var b strings.Builder
	fmt.Fprintf(&b, `
Free parameters (values in the unit shown, as in the experiment file; a value
may also carry a unit of the same dimension: --set NAME=30mV):
  --params             list the free parameters with defaults and units
  --set NAME=VALUE     override one parameter (repeatable)
%s  --shard I/N          run only shard I (from 0) of N contiguous slices of the
                       sweep; in a Slurm job array it defaults to the task's
                       place in the array
%s  --allow-failed       exit 0 even when sets failed or were invalid (they
                       stay in the manifest)

`, sweep, manifest)
	b.WriteString(ParamsText(params))
	return b.String()
}

// sweepPlan is everything a sweep decided before running any set.
type sweepPlan struct {
	info    Info
	params  []Param
	kernel  kernel
	opts    Options
	sweep   *Sweep
	source  string // the sweep file as given
	shard   Shard  // Count 0: the whole sweep
	start   int    // first set of the shard
	sets    []SweepSet
	pattern string // per-set output path with {index}, or ""
	// fcPattern is --fc's path with {index}: every set's correlation
	// matrix ("" without --fc)
	fcPattern string
	npyPath   string // the one .npy of the shard, or ""
	// spikesPattern is --spikes' path with {index} in a population
	// sweep: every set's spikes ("" without --spikes)
	spikesPattern string
	manifest      string
	jobs          int
	// allowFailed: failed and invalid sets do not make the exit status 1.
	allowFailed bool
}

func (e environment) sweep(info Info, params []Param, k kernel, opts Options, flags sweepFlags, base []float64) int {
	plan, err := e.plan(info, params, k, opts, flags, base)
	if err != nil {
		return e.usageError(err)
	}
	return e.runPlan(plan)
}

// plan reads the sweep file, picks the shard, and checks every output path
// before any set runs, so that a mistake costs no simulation time.
func (e environment) plan(info Info, params []Param, k kernel, opts Options, flags sweepFlags, base []float64) (*sweepPlan, error) {
	f, err := os.Open(flags.sweep)
	if err != nil {
		return nil, fmt.Errorf("cannot read the sweep file: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeDevice != 0 {
		// /dev/zero never ends (a pipe, --sweep <(...), is read as the
		// stream it is)
		return nil, fmt.Errorf("--sweep %s is a device, not a sweep file", flags.sweep)
	}
	sweep, err := ReadSweep(f, flags.sweep, params, base)
	if err != nil {
		return nil, err
	}
	for _, col := range sweep.Columns {
		if s := flags.setBy[col]; s != "" {
			return nil, fmt.Errorf("--set %s: the sweep file %s gives %s for every set, so this value would not be used: drop one of them", s, flags.sweep, params[col].Name)
		}
	}
	p := &sweepPlan{info: info, params: params, kernel: k, opts: opts, sweep: sweep, source: flags.sweep}
	switch {
	case flags.shard != "":
		if p.shard, err = parseShard(flags.shard); err != nil {
			return nil, err
		}
	default:
		shard, ok, err := slurmShard(e.getenv)
		if err != nil {
			return nil, err
		}
		if ok {
			p.shard = shard
		}
	}
	start, end := p.shard.Range(len(sweep.Sets))
	p.start, p.sets = start, sweep.Sets[start:end]
	shardText := "0"
	if p.shard.Count > 0 {
		shardText = strconv.Itoa(p.shard.Index)
	}
	out := strings.ReplaceAll(opts.Out, "{shard}", shardText)
	switch {
	case out == Stdout || out == "":
		return nil, errors.New("a sweep writes files: give -o with {index} for one file per set (-o out/{index}.csv) or -o FILE.npy for one array")
	case strings.Contains(out, "{index}"):
		p.pattern = out
		if err := checkDestination(p.outputPath(start)); err != nil {
			return nil, err
		}
		p.manifest = filepath.Join(filepath.Dir(out), "manifest.csv")
		if p.shard.Count > 0 {
			p.manifest = filepath.Join(filepath.Dir(out), "manifest-"+shardText+".csv")
		}
	case k.network != nil:
		return nil, fmt.Errorf("-o %s: a population sweep writes one file per set: put {index} in the name (-o out/{index}%s)",
			opts.Out, filepath.Ext(opts.Out))
	case opts.Format == FormatNPY:
		if p.shard.Count > 1 && !strings.Contains(opts.Out, "{shard}") {
			return nil, fmt.Errorf("-o %s: every shard would write the same file: put {shard} in the name (-o %s) or use {index} for one file per set",
				opts.Out, strings.TrimSuffix(opts.Out, filepath.Ext(opts.Out))+"-{shard}.npy")
		}
		p.npyPath = out
		p.manifest = strings.TrimSuffix(out, filepath.Ext(out)) + ".manifest.csv"
	default:
		return nil, fmt.Errorf("-o %s: a sweep needs {index} in the name for one file per set (-o out/{index}%s), or a .npy file for one array with a leading set axis",
			opts.Out, filepath.Ext(opts.Out))
	}
	if flags.manifest != "" {
		p.manifest = strings.ReplaceAll(flags.manifest, "{shard}", shardText)
	}
	if _, err := manifestFormat(p.manifest); err != nil {
		return nil, err
	}
	if err := checkDestination(p.manifest); err != nil {
		return nil, err
	}
	// no output may be the sweep file the run reads, nor another output
	outs := [][2]string{{"--manifest", p.manifest}}
	if p.npyPath != "" {
		outs = append(outs, [2]string{"-o", p.npyPath})
	} else {
		outs = append(outs, [2]string{"-o", p.pattern})
	}
	switch {
	case opts.Spikes != "" && k.network != nil:
		p.spikesPattern = strings.ReplaceAll(opts.Spikes, "{shard}", shardText)
		if !strings.Contains(p.spikesPattern, "{index}") {
			return nil, fmt.Errorf("--spikes %s: a sweep writes every set's spikes: put {index} in the name (--spikes spikes/{index}%s)", opts.Spikes, filepath.Ext(opts.Spikes))
		}
		if err := checkDestination(p.spikesPath(start)); err != nil {
			return nil, err
		}
		outs = append(outs, [2]string{"--spikes", p.spikesPattern})
	case opts.Spikes != "":
		outs = append(outs, [2]string{"--spikes", opts.Spikes})
	}
	if opts.Network != "" {
		return nil, fmt.Errorf("--network %s writes the network of one run: run it with --set instead of --sweep", opts.Network)
	}
	if opts.FC != "" {
		p.fcPattern = strings.ReplaceAll(opts.FC, "{shard}", shardText)
		if !strings.Contains(p.fcPattern, "{index}") {
			return nil, fmt.Errorf("--fc %s: a sweep writes one correlation matrix per set: put {index} in the name (--fc fc/{index}%s)", opts.FC, filepath.Ext(opts.FC))
		}
		if err := checkDestination(p.fcPath(start)); err != nil {
			return nil, err
		}
		outs = append(outs, [2]string{"--fc", p.fcPattern})
	}
	// outputs with {index} are compared as patterns: a set's file may be
	// another output (--manifest o1.csv beside -o o{index}.csv) or the
	// sweep file itself
	for i, o := range outs {
		if c := p.clash(o, [2]string{"--sweep", flags.sweep}); c != "" {
			if strings.Contains(o[1], "{index}") {
				return nil, fmt.Errorf("%s: the sweep file this run reads would be overwritten; choose another output", c)
			}
			return nil, fmt.Errorf("%s %s is the sweep file this run reads: choose another output", o[0], o[1])
		}
		for _, earlier := range outs[:i] {
			if c := p.clash(earlier, o); c != "" {
				return nil, fmt.Errorf("%s: give each output its own file", c)
			}
		}
	}
	if k.network != nil && flags.jobs > 1 {
		return nil, fmt.Errorf("--jobs %d: a population program runs one set at a time (the sets share its network): give --threads %d to run each set on %d cores", flags.jobs, flags.jobs, flags.jobs)
	}
	p.jobs = flags.jobs
	p.allowFailed = flags.allowFailed
	if p.jobs == 0 {
		p.jobs = goruntime.GOMAXPROCS(0)
		if n, err := strconv.Atoi(e.getenv("SLURM_CPUS_PER_TASK")); err == nil && n > 0 {
			p.jobs = n
		}
	}
	p.jobs = max(1, min(p.jobs, len(p.sets)))
	if k.network != nil {
		p.jobs = 1 // one network in the package variables; each set runs on every thread
	}
	if err := p.checkSweepDiskRoom(); err != nil {
		return nil, err
	}
	return p, nil
}

// clash says how two outputs of the sweep, each "flag path" where the
// path may be a pattern with {index}, would name the same file, or "":
// the same path, a pattern's file of one of the plan's sets, or two
// patterns that meet.
func (p *sweepPlan) clash(a, b [2]string) string {
	pa, pb := strings.Contains(a[1], "{index}"), strings.Contains(b[1], "{index}")
	if pb && !pa {
		a, b, pa, pb = b, a, pb, pa
	}
	first := strconv.Itoa(p.start)
	switch {
	case pa && pb:
		fa, fb := strings.ReplaceAll(a[1], "{index}", first), strings.ReplaceAll(b[1], "{index}", first)
		if SamePath(fa, fb) {
			return fmt.Sprintf("%s and %s both name %s", a[0], b[0], fa)
		}
		if index, ok := p.expandsTo(a[1], fb); ok {
			return fmt.Sprintf("%s %s and %s %s both name %s (sets %d and %d)", a[0], a[1], b[0], b[1], fb, index, p.start)
		}
	case pa:
		if index, ok := p.expandsTo(a[1], b[1]); ok {
			return fmt.Sprintf("%s %s is set %d's file of %s %s", b[0], b[1], index, a[0], a[1])
		}
	case SamePath(a[1], b[1]):
		return fmt.Sprintf("%s and %s both name %s", a[0], b[0], a[1])
	}
	return ""
}

// expandsTo reports whether pattern, its {index} replaced by the index of
// one of the plan's sets, names path, and that index.
func (p *sweepPlan) expandsTo(pattern, path string) (int, bool) {
	ap, err1 := filepath.Abs(pattern)
	af, err2 := filepath.Abs(path)
	at := strings.Index(ap, "{index}")
	if err1 != nil || err2 != nil || at < 0 || !strings.HasPrefix(af, ap[:at]) {
		return 0, false
	}
	digits := af[at:]
	n := 0
	for n < len(digits) && digits[n] >= '0' && digits[n] <= '9' {
		n++
	}
	index, err := strconv.Atoi(digits[:n])
	if err != nil || strconv.Itoa(index) != digits[:n] || strings.ReplaceAll(ap, "{index}", digits[:n]) != af {
		return 0, false
	}
	for _, set := range p.sets {
		if set.Index == index {
			return index, true
		}
	}
	return 0, false
}

// outputPath is the result file of set index in per-set mode.
func (p *sweepPlan) outputPath(index int) string {
	return strings.ReplaceAll(p.pattern, "{index}", strconv.Itoa(index))
}

// spikesPath is set index's --spikes file in a population sweep.
func (p *sweepPlan) spikesPath(index int) string {
	return strings.ReplaceAll(p.spikesPattern, "{index}", strconv.Itoa(index))
}

// fcPath is set index's --fc file.
func (p *sweepPlan) fcPath(index int) string {
	return strings.ReplaceAll(p.fcPattern, "{index}", strconv.Itoa(index))
}

// The status of a set in the manifest.
const (
	StatusOK      = "ok"      // ran and wrote its results
	StatusInvalid = "invalid" // its row could not be read; it did not run
	StatusFailed  = "failed"  // it ran but produced no usable results
	// StatusInterrupted: a signal (scancel, Ctrl-C, the end of a Slurm
	// time limit) stopped the sweep while the set ran; it has no results.
	StatusInterrupted = "interrupted"
)

func (e environment) runPlan(p *sweepPlan) int {
	began := time.Now()
	var npy *npyStack
	if p.npyPath != "" {
		var err error
		npy, err = createNPYStack(p.npyPath, len(p.sets), p.opts.Steps+1, 1+len(p.opts.Selected))
		if err != nil {
			return e.fail(err)
		}
		defer npy.abort()
	}
	entries := make([]ManifestEntry, len(p.sets))
	report := newSweepReport(e, p, len(p.sets))
	progress := newSweepProgress(len(p.sets))
	setInterruptHook(func(sig os.Signal) string { return p.interrupted(e, progress, entries, npy != nil, sig) })
	defer setInterruptHook(nil)
	work := make(chan int)
	var wg sync.WaitGroup
	for range p.jobs {
		wg.Go(func() {
			for slot := range work {
				if !progress.start(slot) {
					return
				}
				entry := p.runSet(p.sets[slot], slot, npy)
				if !progress.finish(slot, func() { entries[slot] = entry }) {
					return
				}
				report.done(entry)
			}
		})
	}
	for slot := range p.sets {
		work <- slot
	}
	close(work)
	wg.Wait()

	if npy != nil {
		if err := npy.commit(); err != nil {
			return e.fail(err)
		}
	}
	m := Manifest{
		Program: e.program, Sweep: p.source, SweepSets: len(p.sweep.Sets), Params: p.params, Entries: entries,
	}
	if p.shard.Count > 0 {
		m.Shard = p.shard.String()
	}
	if err := WriteManifestFile(p.manifest, m); err != nil {
		return e.fail(err)
	}
	return report.finish(time.Since(began))
}

// runSet runs one parameter set and writes its results; nothing it does
// can stop the other sets.
func (p *sweepPlan) runSet(set SweepSet, slot int, npy *npyStack) (entry ManifestEntry) {
	entry = ManifestEntry{Index: set.Index, Line: set.Line, Cells: p.cells(set)}
	if npy != nil {
		entry.Output = p.npyPath
	} else {
		entry.Output = p.outputPath(set.Index)
	}
	started := time.Now()
	defer func() { entry.WallSeconds = time.Since(started).Seconds() }()
	fail := func(status string, err error) ManifestEntry {
		entry.Status, entry.Error = status, err.Error()
		if npy != nil {
			// The slot keeps NaN, never stale or zero values that look real.
			if werr := npy.writeNaN(slot); werr != nil {
				entry.Error += "; " + werr.Error()
			}
		} else {
			entry.Output = ""
		}
		return entry
	}
	if set.Err != nil {
		return fail(StatusInvalid, set.Err)
	}
	if p.kernel.network != nil {
		if err := p.runNetworkSet(set, entry.Output); err != nil {
			return fail(StatusFailed, err)
		}
		entry.Status = StatusOK
		return entry
	}
	rec := NewRecorderFor(p.opts)
	if err := p.simulateSafely(rec, set.Values); err != nil {
		return fail(StatusFailed, err)
	}
	if err := checkFinite(rec, p.opts); err != nil {
		return fail(StatusFailed, err)
	}
	fc := ""
	if p.fcPattern != "" {
		// the set's correlation matrix first: if its traces then fail,
		// it is removed, so a set has both or neither
		fc = p.fcPath(set.Index)
		f := recorderFC(rec, p.opts)
		if err := writeFileAtomic(fc, func(w io.Writer) error { return f.write(w, p.opts) }); err != nil {
			return fail(StatusFailed, fmt.Errorf("writing %s: %w", fc, unwrapPathError(err)))
		}
	}
	var err error
	if npy != nil {
		err = npy.write(slot, rec, p.opts)
	} else {
		opts := p.opts
		opts.Out = entry.Output
		opts.Format, err = FormatFor(opts.Out)
		if err == nil {
			err = writeFileAtomic(opts.Out, func(w io.Writer) error { return WriteResults(w, rec, opts) })
		}
	}
	if err != nil {
		if fc != "" {
			os.Remove(fc)
		}
		return fail(StatusFailed, err)
	}
	entry.Status = StatusOK
	return entry
}

// runNetworkSet runs one set of a population sweep as a --set run of its
// values would run, into its own files; on failure it leaves neither.
func (p *sweepPlan) runNetworkSet(set SweepSet, out string) (err error) {
	opts := p.opts
	opts.Out = out
	if opts.Format, err = FormatFor(out); err != nil {
		return err
	}
	if p.spikesPattern != "" {
		opts.Spikes = p.spikesPath(set.Index)
	}
	opts.Quiet = true    // the sweep reports per set
	Rand.Seed(opts.Seed) // every set draws the network ParseArgs's seed draws
	defer func() {
		if err != nil {
			runCleanups() // the set's streamed temporary file
		}
	}()
	setsRunning.Add(1)
	defer setFailed(&err)
	return p.kernel.network(opts, kernelValues(p.params, set.Values))
}

// simulateSafely runs the kernel and turns a Fatal (a delay history a
// free conduction speed makes too large) or a panic (a generator bug, or
// an index a parameter pushed out of range) into that set's error.
func (p *sweepPlan) simulateSafely(rec *Recorder, values []float64) (err error) {
	setsRunning.Add(1)
	defer setFailed(&err)
	// A zero Progress is silent: the sweep reports per set, not per step.
	p.kernel.simulate(rec, &Progress{}, kernelValues(p.params, values))
	return nil
}

// setFailed, deferred by a set's run (which it counts in setsRunning),
// turns Fatal's setFailure, or any other panic, into the set's error.
func setFailed(err *error) {
	setsRunning.Add(-1)
	if r := recover(); r != nil {
		if f, ok := r.(setFailure); ok {
			*err = f.err
		} else {
			*err = fmt.Errorf("the simulation crashed: %v", r)
		}
	}
}

// cells are the manifest's parameter values of a set: numbers for a set
// that ran, the text as written for a row that could not be read.
func (p *sweepPlan) cells(set SweepSet) []string {
	cells := make([]string, len(p.params))
	if set.Err == nil {
		for i, v := range set.Values {
			cells[i] = strconv.FormatFloat(v, 'g', -1, 64)
		}
		return cells
	}
	for c, i := range p.sweep.Columns {
		if c < len(set.Text) {
			cells[i] = set.Text[c]
		}
	}
	return cells
}

// sweepReport prints what a sweep does on stderr: every failed set as it
// happens, a progress line now and then on long sweeps, and a summary.
type sweepReport struct {
	env      environment
	plan     *sweepPlan
	total    int
	quiet    bool
	mu       sync.Mutex
	finished int
	invalid  int
	failed   int
	start    time.Time
	nextDraw time.Time
}

func newSweepReport(e environment, p *sweepPlan, total int) *sweepReport {
	now := time.Now()
	return &sweepReport{env: e, plan: p, total: total, quiet: p.opts.Quiet, start: now, nextDraw: now.Add(progressDelay)}
}

func (r *sweepReport) done(entry ManifestEntry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.finished++
	if entry.Status == StatusInvalid {
		r.invalid++
	}
	if entry.Status == StatusFailed {
		r.failed++
	}
	if entry.Status != StatusOK {
		// Failures are printed even with --quiet: they are errors.
		fmt.Fprintf(r.env.stderr, "%s: set %d %s: %s\n", r.env.program, entry.Index, entry.Status, entry.Error)
	}
	if now := time.Now(); !r.quiet && now.After(r.nextDraw) && r.finished < r.total {
		r.nextDraw = now.Add(logInterval)
		fmt.Fprintf(r.env.stderr, "%s: %d of %d sets done\n", r.env.program, r.finished, r.total)
	}
}

// finish prints the summary and returns the exit code: 1 when any set
// failed or was invalid (unless --allow-failed), so that a batch system
// marks the task as failed.
func (r *sweepReport) finish(wall time.Duration) int {
	p := r.plan
	warnUnusedSeed(r.env.stderr)
	if !r.quiet {
		var b strings.Builder
		fmt.Fprintf(&b, "%s: %s", r.env.program, plural(r.total, "set"))
		switch {
		case p.shard.Count > 0 && len(p.sets) == 0:
			fmt.Fprintf(&b, " (shard %s of %s: nothing to run)", p.shard, plural(len(p.sweep.Sets), "set"))
		case p.shard.Count > 0:
			fmt.Fprintf(&b, " (shard %s of %s: sets %d to %d)", p.shard, plural(len(p.sweep.Sets), "set"), p.start, p.start+len(p.sets)-1)
		}
		on := " on " + plural(p.jobs, "worker")
		if p.kernel.network != nil {
			on = ", one set at a time"
		}
		fmt.Fprintf(&b, " in %s wall%s: %d ok, %d invalid, %d failed; manifest %s",
			formatDuration(wall), on, r.total-r.invalid-r.failed, r.invalid, r.failed, p.manifest)
		fmt.Fprintln(r.env.stderr, b.String())
	}
	if r.invalid+r.failed > 0 && !p.allowFailed {
		return ExitFailed
	}
	return ExitOK
}
