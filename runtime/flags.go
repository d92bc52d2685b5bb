package runtime

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Format is an output file format.
type Format int

// The output formats, chosen by the extension of the -o file.
const (
	FormatCSV Format = iota // header row, comma-separated
	FormatDAT               // no header, tab-separated (jNeuroML)
	FormatNPY               // NumPy .npy float64 matrix
)

// String returns the format's usual name.
func (f Format) String() string {
	switch f {
	case FormatCSV:
		return "CSV"
	case FormatDAT:
		return "DAT"
	case FormatNPY:
		return "NPY"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// Stdout is the -o value (and the meaning of no -o) for CSV on standard
// output.
const Stdout = "-"

// FormatFor returns the output format for an -o file name, or an error
// naming the accepted extensions. The extension is matched without regard
// to case, so results.CSV is CSV.
func FormatFor(path string) (Format, error) {
	if path == Stdout {
		return FormatCSV, nil
	}
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv":
		return FormatCSV, nil
	case ".dat":
		return FormatDAT, nil
	case ".npy":
		return FormatNPY, nil
	case "":
		return 0, fmt.Errorf("output file %q has no extension: use .csv, .dat or .npy (or -o - for CSV on stdout)", path)
	default:
		return 0, fmt.Errorf("output file %q: unknown format %q: use .csv, .dat or .npy (or -o - for CSV on stdout)", path, ext)
	}
}

// Options is the run configuration: the generator's [Info] plus what the
// command line chose.
type Options struct {
	Program string  // binary name, for messages
	Label   string  // what is simulated (Info.Label)
	Out     string  // output file, or Stdout ("-") for CSV on standard output
	Format  Format  // format of Out, from its extension
	Record  string  // RecordDefault ("v") or RecordAll ("all")
	Quiet   bool    // no progress line, no summary
	Steps   int     // integration steps; rows = Steps+1
	Dt      float64 // time step in seconds
	T0      float64 // time of row 0 in seconds (Info.T0)
	Seed    uint64  // seed of Rand (--seed, default Info.Seed)
	Spikes  string  // spike output file (--spikes), "" for none
	Threads int     // worker threads for population and whole-brain kernels (--threads, 0: all cores)
	Network string  // --network: write the drawn network there and stop ("" for a run)
	// AllowNonfinite (--allow-nonfinite) writes a recording that holds NaN
	// or an infinity; without it such a run fails (see checkFinite).
	AllowNonfinite bool
	// Build is the wall time of a population network's construction,
	// which the summary line reports apart from the simulation's.
	Build time.Duration
	// RunSteps is --duration in integration steps (Info.Duration
	// programs), transient included; 0 when not given: the compiled
	// duration.
	RunSteps int
	// Every is --every N (Info.Every programs; 0 when not given, the
	// same as 1): the run writes rows 0, N, 2N, ... of its recording;
	// Steps and Dt are then those of the rows written (Steps/N rows after
	// row 0, N times apart).
	Every int
	// Integration is the integration steps the run takes, and StepDt
	// their size in seconds, for the summary line and the progress line;
	// they differ from Steps and Dt (the written rows) when a transient, a
	// recording period or --every leaves steps unwritten. 0: the same.
	Integration int
	StepDt      float64

	// FC is --fc FILE (Info.Every programs): the Pearson correlation
	// matrix of the written columns over the written rows goes there
	// (fc.go); "" for none.
	FC string

	// Columns are all recorded columns, in recorder order.
	Columns []Column
	// Selected are the indices into Columns that are written, in order.
	Selected []int

	// Stdout and Stderr receive results (for -o -) and messages. ParseFlags
	// sets them to os.Stdout and os.Stderr; nil means the same.
	Stdout io.Writer
	Stderr io.Writer
}

func (o Options) stdout() io.Writer {
	if o.Stdout == nil {
		return os.Stdout
	}
	return o.Stdout
}

func (o Options) stderr() io.Writer {
	if o.Stderr == nil {
		return os.Stderr
	}
	return o.Stderr
}

// ParseFlags parses the command line (os.Args[1:]) of a generated binary.
// It does not return when the program should stop: --help prints the usage
// on stdout and exits 0; a bad flag prints the error and a hint on stderr
// and exits 2; an invalid info (a generator bug) exits 1.
func ParseFlags(info Info) Options {
	program := programName()
	catchInterrupts(program, os.Stderr)
	if err := info.Validate(); err != nil {
		Fatal(fmt.Errorf("internal error in the generated program: %w", err))
	}
	opts, err := ParseArgs(info, program, os.Args[1:])
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(os.Stdout, Usage(info, program))
		os.Exit(0)
	case err != nil:
		awaitInterrupt(err)
		fmt.Fprintf(os.Stderr, "%s: error: %v\nRun '%s --help' for usage.\n", program, err, program)
		os.Exit(2)
	}
	opts.Stdout, opts.Stderr = os.Stdout, os.Stderr
	return opts
}

// ParseArgs is ParseFlags without the exits: it parses args (without the
// program name) and returns the options, flag.ErrHelp when help was asked
// for, or an error that says what is wrong. It also checks, before any
// simulating, that the -o file can be created, so a long run does not fail
// at the end for a mistyped directory.
func ParseArgs(info Info, program string, args []string) (Options, error) {
	if err := info.Validate(); err != nil {
		return Options{}, fmt.Errorf("internal error in the generated program: %w", err)
	}
	opts := Options{
		Program: program,
		Label:   info.Label,
		Steps:   info.Steps,
		Dt:      info.Dt,
		T0:      info.T0,
		Columns: info.Columns,
	}

	set := flag.NewFlagSet(program, flag.ContinueOnError)
	// The flag package would print its own error and usage; we print ours.
	set.SetOutput(io.Discard)
	set.Usage = func() {}
	set.StringVar(&opts.Out, "o", Stdout, "output file")
	set.StringVar(&opts.Record, "record", RecordDefault, "columns to record")
	set.BoolVar(&opts.Quiet, "quiet", false, "no progress or summary")
	set.Uint64Var(&opts.Seed, "seed", info.Seed, "random seed")
	set.StringVar(&opts.Spikes, "spikes", "", "spike output file")
	set.IntVar(&opts.Threads, "threads", 0, "worker threads (0: all cores)")
	set.StringVar(&opts.Network, "network", "", "network output file")
	set.BoolVar(&opts.AllowNonfinite, "allow-nonfinite", false, "write results that hold NaN or Inf")
	set.IntVar(&opts.Every, "every", 0, "write every Nth row")
	set.StringVar(&opts.FC, "fc", "", "functional connectivity output file (.csv or .npy)")
	var durationMS float64
	set.Float64Var(&durationMS, "duration", 0, "simulated time in ms")
	if err := set.Parse(args); err != nil {
		return Options{}, err
	}
	if err := givenOnce(set, args); err != nil {
		return Options{}, err
	}
	if s := os.Getenv("TVBOC_MEMORY_LIMIT"); s != "" {
		if v, err := parseBytes(s); err != nil || !(v > 0) || math.IsInf(v, 0) {
			return Options{}, fmt.Errorf("TVBOC_MEMORY_LIMIT=%s: want a size such as 8G, 512M or 1e9 bytes", s)
		}
	}
	given := map[string]bool{}
	set.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, name := range []string{"network", "fc"} {
		if given[name] && set.Lookup(name).Value.String() == "" {
			return Options{}, fmt.Errorf("-%s needs a file name", flagName(name))
		}
	}
	if opts.FC == Stdout {
		return Options{}, errors.New("--fc -: the correlation matrix is written to a file: give --fc FILE.csv or FILE.npy")
	}
	if opts.Network != "" && !info.Network {
		what := "a list of nodes, whose network is the experiment file itself"
		if info.Every || info.FC {
			what = "a whole-brain network, whose connectome is the experiment's weights and lengths"
		}
		return Options{}, errors.New("--network writes the network a population network draws; this program simulates " + what)
	}
	if opts.Network != "" {
		for _, name := range []string{"o", "spikes", "record"} {
			if given[name] {
				return Options{}, fmt.Errorf("--network writes the drawn network and stops without simulating, so -%s is not used: run once with --network, once with -%s", flagName(name), flagName(name))
			}
		}
	}
	if given["duration"] {
		d := info.Duration
		if d == nil && info.FC {
			return Options{}, errors.New("--duration: this whole-brain program has free parameters (tvboc compile --free, or explorations), and such a program runs the duration it was compiled for: compile it again with tvboc compile --duration MS")
		}
		if d == nil {
			return Options{}, errors.New("--duration: this program's inputs depend on the duration it was compiled for; compile it again with tvboc compile --duration MS")
		}
		steps := durationMS / d.DtMS
		whole := math.Round(steps)
		switch {
		case !(durationMS > 0) || math.IsInf(durationMS, 0) || whole > 1<<40:
			return Options{}, fmt.Errorf("--duration %g: want a positive number of ms, at most %g", durationMS, float64(int64(1)<<40)*d.DtMS)
		case math.Abs(steps-whole) > 1e-9*math.Max(1, steps):
			return Options{}, fmt.Errorf("--duration %g ms is not a whole number of steps of %g ms", durationMS, d.DtMS)
		case int(whole) <= d.Transient:
			return Options{}, fmt.Errorf("--duration %g ms ends within the transient (%g ms)", durationMS, float64(d.Transient)*d.DtMS)
		case (int(whole)-d.Transient)%d.Period != 0:
			return Options{}, fmt.Errorf("--duration %g ms: the recorded time is not a whole number of recording periods (%g ms)", durationMS, float64(d.Period)*d.DtMS)
		}
		opts.RunSteps = int(whole)
		info.Steps = (opts.RunSteps - d.Transient) / d.Period
		opts.Steps = info.Steps
	}
	if d := info.Duration; d != nil {
		opts.Integration, opts.StepDt = d.Transient+info.Steps*d.Period, d.DtMS*1e-3
	}
	if opts.FC != "" {
		if !info.Every && !info.FC {
			return Options{}, errors.New("--fc is for whole-brain programs; this program does not compute a functional connectivity")
		}
		if f, err := FormatFor(opts.FC); err != nil || (f != FormatCSV && f != FormatNPY) {
			return Options{}, fmt.Errorf("--fc %s: write the correlation matrix to a .csv or .npy file", opts.FC)
		}
	}
	everySet := false
	set.Visit(func(f *flag.Flag) { everySet = everySet || f.Name == "every" })
	switch {
	case !everySet:
	case !info.Every && info.FC:
		return Options{}, errors.New("--every: this whole-brain program has free parameters (tvboc compile --free, or explorations), and such a program writes every row: compile it without them to use --every")
	case !info.Every:
		return Options{}, errors.New("--every is for whole-brain programs; this program records every step of its experiment (set the recording period there)")
	case opts.Every < 1:
		return Options{}, fmt.Errorf("--every needs a whole number of rows of at least 1, got %d", opts.Every)
	case info.Steps%opts.Every != 0:
		return Options{}, fmt.Errorf("--every %d does not divide the %d rows after row 0 (divisors: %s)", opts.Every, info.Steps, divisors(info.Steps))
	default:
		opts.Steps, opts.Dt = info.Steps/opts.Every, info.Dt*float64(opts.Every)
	}
	Rand.Seed(opts.Seed) // before the run draws anything (spikes.go)
	useSeed(opts.Seed, given["seed"], info.JavaSeed != nil)
	if info.JavaSeed != nil {
		seed := *info.JavaSeed
		if given["seed"] {
			seed = int64(opts.Seed)
		}
		JRand.Seed(seed)
		JRandInit = make([]float64, info.InitDraws)
		for i := range JRandInit {
			JRandInit[i] = JRand.Float64()
		}
	}
	if set.NArg() > 0 {
		return Options{}, unexpectedArgument(set.Arg(0))
	}
	if opts.Threads < 0 {
		return Options{}, fmt.Errorf("--threads %d: want a positive number of threads, or 0 for the default", opts.Threads)
	}
	if given["threads"] && !info.Network && !info.Every && !info.FC && opts.Threads != 1 {
		// not an error: a script may pass --threads to every program
		fmt.Fprintf(opts.stderr(), "%s: warning: --threads %d changes nothing: this program runs on one thread (threads are for population and whole-brain networks)\n", program, opts.Threads)
	}
	if given["spikes"] && !info.Spikes {
		return Options{}, errors.New("--spikes: this program records no spikes (only population networks with a spiking population do); drop --spikes")
	}
	if opts.Spikes == "" && given["spikes"] {
		return Options{}, errors.New("--spikes needs a file name (or - for CSV on stdout)")
	}
	if opts.Spikes != "" && opts.Spikes != Stdout && !isDevice(opts.Spikes) {
		// WriteSpikes writes .npy, or CSV with a header
		if ext := strings.ToLower(filepath.Ext(opts.Spikes)); ext != ".csv" && ext != ".npy" {
			return Options{}, fmt.Errorf("--spikes %s: spikes are written as .csv or .npy", opts.Spikes)
		}
	}

	if opts.Out == "" {
		return Options{}, errors.New("-o needs a file name (or - for CSV on stdout)")
	}
	format, err := FormatFor(opts.Out)
	if err != nil && filepath.Ext(opts.Out) == "" && isDevice(opts.Out) {
		format, err = FormatCSV, nil // -o /dev/null: CSV written into it
	}
	if err != nil {
		return Options{}, err
	}
	opts.Format = format

	selected, err := selectColumns(info.Columns, opts.Record)
	if err != nil {
		return Options{}, err
	}
	opts.Selected = selected
	if opts.Record == RecordNone {
		if !info.Spikes {
			return Options{}, errors.New("--record none writes only spikes, and this program records no spikes: use --record v or all")
		}
		if opts.Out != Stdout && format == FormatDAT {
			return Options{}, fmt.Errorf("--record none writes the spikes to -o, and %s is a .dat file: use .csv or .npy", opts.Out)
		}
	}

	// the recording is allocated whole before the run: refuse it now if
	// it cannot fit, rather than let the Go runtime crash later
	streamed := info.Streams && opts.Out != Stdout && isRegularOrNew(opts.Out)
	if cols := recorderCols(opts); cols > 0 && len(opts.Selected) > 0 && !streamed {
		wayOut := "record fewer columns (--record v) or a shorter duration"
		if info.Spikes {
			wayOut += ", or only spikes (--record none)"
		}
		if info.Streams {
			wayOut += ", or write to a file (-o out.npy), which the run streams to"
		}
		what := fmt.Sprintf("the recording (%d rows x %d columns)", opts.Steps+1, cols)
		if err := CheckMemory(what, float64(opts.Steps+1)*float64(cols)*8, wayOut); err != nil {
			return Options{}, err
		}
	}

	// every output path checked before the run, and no two the same
	outputs := [][2]string{{"-o", opts.Out}, {"--spikes", opts.Spikes}, {"--network", opts.Network}, {"--fc", opts.FC}}
	if opts.Network != "" {
		outputs = outputs[2:3] // the network is all such a run writes
	}
	for i, o := range outputs {
		if o[1] == "" {
			continue
		}
		for _, earlier := range outputs[:i] {
			if earlier[1] != "" && SamePath(earlier[1], o[1]) {
				return Options{}, fmt.Errorf("%s and %s both name %s: give each output its own file", earlier[0], o[0], o[1])
			}
		}
		if o[1] != Stdout {
			if err := checkDestination(o[1]); err != nil {
				return Options{}, fmt.Errorf("%s: %w", o[0], err)
			}
		}
	}
	if opts.Network == "" {
		if err := checkDiskRoom(opts); err != nil {
			return Options{}, err
		}
	}
	return opts, nil
}

// givenOnce refuses a flag of set given twice ("-o a.csv -o b.csv"):
// the flag package keeps the last, and the first would be ignored without
// a word. Boolean flags may repeat; so may --set, which ParseArgs does
// not see.
func givenOnce(set *flag.FlagSet, args []string) error {
	seen := map[string]string{}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			break
		}
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-"), "=")
		f := set.Lookup(name)
		if f == nil {
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if !hasValue && i+1 < len(args) {
			i++
			value = args[i]
		}
		if first, twice := seen[name]; twice {
			return fmt.Errorf("-%s is given twice (%s and %s): give it once", flagName(name), first, value)
		}
		seen[name] = value
	}
	return nil
}

// isDevice reports whether path is an existing device or pipe, which an
// output is written into rather than replacing it.
func isDevice(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode()&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe) != 0
}

// flagName spells a flag as the command line does: -o, --spikes.
func flagName(name string) string {
	if len(name) == 1 {
		return name
	}
	return "-" + name
}

// SamePath reports whether two paths name the same file: the same
// absolute path, one existing file under two names (a hard or symbolic
// link), or a symbolic link to a file not yet written and that file (the
// link is written through, OutputDest: "-o o.csv --fc lnk.csv" with lnk.csv
// -> o.csv wrote both outputs into o.csv). Stdout is only itself.
func SamePath(a, b string) bool {
	if a == Stdout || b == Stdout {
		return a == b
	}
	abs := func(p string) string {
		if q, err := filepath.Abs(p); err == nil {
			return q
		}
		return p
	}
	if abs(a) == abs(b) || abs(OutputDest(a)) == abs(OutputDest(b)) {
		return true
	}
	ai, err1 := os.Stat(a)
	bi, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(ai, bi)
}

// unexpectedArgument explains a stray positional argument; the usual cause
// is a forgotten -o in front of the output file.
func unexpectedArgument(arg string) error {
	if _, err := FormatFor(arg); err == nil && !strings.HasPrefix(arg, "-") {
		return fmt.Errorf("unexpected argument %q (did you mean -o %s?)", arg, arg)
	}
	return fmt.Errorf("unexpected argument %q", arg)
}

// selectColumns returns the indices of the columns that --record chooses.
func selectColumns(columns []Column, record string) ([]int, error) {
	selected := []int{}
	switch record {
	case RecordAll:
		for i := range columns {
			selected = append(selected, i)
		}
	case RecordNone:
		// spikes only: nothing is recorded, no trace memory is allocated
	case RecordDefault:
		for i, c := range columns {
			if c.Group == GroupDefault {
				selected = append(selected, i)
			}
		}
		if len(selected) == 0 && len(columns) > 0 {
			return nil, errors.New("nothing is recorded by default (--record v): the experiment marks no variable to record (variable_of_interest: true); use --record all, or mark the variables in the experiment")
		}
	default:
		return nil, fmt.Errorf("--record %q: want v (the default columns), all (every column) or none (spikes only)", record)
	}
	return selected, nil
}

// CheckDestination is checkDestination for tvboc's own outputs (the
// binary of compile, the source of gen): one rule for every output.
func CheckDestination(path string) error { return checkDestination(path) }

// checkDestination fails early when the output file cannot be created: its
// directory is missing, is not a directory, or is not writable, or the path
// names a directory. It probes writability with a throwaway file because
// permission bits alone do not tell (ACLs, read-only mounts).
func checkDestination(path string) error {
	// a symbolic link is written through (OutputDest): its target's
	// directory is the one that must exist
	dest := OutputDest(path)
	dir := filepath.Dir(dest)
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist) && dest != path:
		return fmt.Errorf("cannot write %s: it is a link to %s, and directory %s does not exist", path, dest, dir)
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("cannot write %s: directory %s does not exist", path, dir)
	case err != nil:
		return fmt.Errorf("cannot write %s: %w", path, err)
	case !info.IsDir():
		return fmt.Errorf("cannot write %s: %s is not a directory", path, dir)
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return fmt.Errorf("cannot write %s: it is a directory", path)
	} else if err == nil && !info.Mode().IsRegular() {
		return nil // a device or a pipe: written into, never replaced
	}
	probe, err := createTemp(dir, filepath.Base(path))
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, unwrapPathError(err))
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// unwrapPathError drops the temp file name from an *fs.PathError: the user
// asked for a different file and would only be confused by ours.
func unwrapPathError(err error) error {
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return pathErr.Err
	}
	return err
}

// plural returns "1 column", "2 columns".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// maxUsageColumns caps the column listing of --help: a 10000-cell
// population would otherwise print 10000 lines.
const maxUsageColumns = 40

// networkUsage is the --network line of a population network's help.
// divisors lists the divisors of n up to a dozen, for --every's message.
func divisors(n int) string {
	var ds []string
	for d := 1; d <= n && len(ds) < 12; d++ {
		if n%d == 0 {
			ds = append(ds, strconv.Itoa(d))
		}
	}
	return strings.Join(ds, ", ")
}

func networkUsage(info Info) string {
	fc := ""
	if info.Every || info.FC {
		fc = `  --fc FILE        also write the Pearson correlation matrix of the written
                   columns over the written rows (.csv or .npy)
`
	}
	if info.Every {
		u := `  --every N        write every Nth row (row 0, N, 2N, ...; N must divide
                   the rows after row 0): a longer recording period
`
		if info.Duration != nil {
			u += `  --duration MS    simulated time in ms instead of the compiled duration
                   (a whole number of steps and recording periods)
`
		}
		return u + fc
	}
	if info.FC {
		return fc
	}
	if !info.Network {
		return ""
	}
	return `  --network FILE   write the network the seed draws (every cell's per-cell
                   values and initial state, every synapse) as JSON to
                   FILE and stop before simulating
`
}

// Usage returns the --help text for a binary named program that simulates
// info.
func Usage(info Info, program string) string {
	var b strings.Builder
	label := info.Label
	if label == "" {
		label = "a TVBO experiment"
	}
	defaults := 0
	for _, c := range info.Columns {
		if c.Group == GroupDefault {
			defaults++
		}
	}
	fmt.Fprintf(&b, "%s simulates %s, compiled by tvboc:\n", program, label)
	fmt.Fprintf(&b, "%d steps of %s (%s of simulated time).\n\n",
		info.Steps, formatSeconds(info.Dt), formatSeconds(float64(info.Steps)*info.Dt))
	fmt.Fprintf(&b, "Usage:\n  %s [-o FILE] [--record v|all] [--quiet]\n\n", program)
	fmt.Fprintf(&b, `Flags:
  -o FILE          write the results to FILE; the extension picks the format:
                     .csv  header "t,<column>,...", comma-separated
                     .dat  no header, tab-separated (jNeuroML style)
                     .npy  NumPy float64 matrix, t in column 0
                   without -o, or with -o -, CSV goes to stdout
  --record v|all   which columns to write (default v):
                     v    the %s recorded by default (marked *)
                     all  all %s
  --quiet          print no progress line and no summary
  --seed N         seed of the random number generator (default: the
                   experiment's seed); the same seed gives the same output
  --spikes FILE    also write every spike as (t, index) rows, index the
                   cell's number in the network; CSV or .npy by extension
                   (population networks; --record none writes them to -o)
  --threads N      worker threads for population and whole-brain networks
                   (default: all cores, fewer when the network's step is
                   too little work to split); the output does not depend
                   on N
  --allow-nonfinite
                   write the results even when they hold NaN or Inf;
                   without it a run that diverges fails (exit 1) and
                   writes nothing
%s  -h, --help       print this help

Exit status: 0 ok; 1 the run failed (or sets of a sweep failed or were
invalid); 2 a usage mistake; 130 or 143 interrupted by SIGINT or SIGTERM.

Every value is written at full float64 precision; t is in seconds and
values are in SI units.

Environment: TVBOC_SIMD=off makes the vector loops (population kernels,
whole-brain node steps and sums, batched exp calls) take one cell, node or
value at a time instead of four (AVX2); the results are the same to the
bit.

`, plural(defaults, "column"), plural(len(info.Columns), "column"), networkUsage(info))
	fmt.Fprintf(&b, "Columns (after t):\n")
	table := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, c := range info.Columns[:min(len(info.Columns), maxUsageColumns)] {
		mark := " "
		if c.Group == GroupDefault {
			mark = "*"
		}
		unit := c.Unit
		if unit == "" {
			unit = "(dimensionless)"
		}
		fmt.Fprintf(table, "  %s %s\t%s\n", mark, c.Name, unit)
	}
	table.Flush()
	if len(info.Columns) > maxUsageColumns {
		fmt.Fprintf(&b, "  ... and %d more\n", len(info.Columns)-maxUsageColumns)
	}
	return b.String()
}
