// Command tvboc compiles TVBO SimulationExperiment YAML files into
// specialized, standalone simulation binaries.
//
//	tvboc compile exp.yaml -o sim    # YAML -> generated Go -> binary
//	tvboc run exp.yaml -o out.csv    # compile (cached) and run
//	tvboc gen exp.yaml               # print the generated Go source
//	tvboc check exp.yaml             # validate only
package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/tvboc/tvboc/compiler"
	"github.com/tvboc/tvboc/compiler/brain"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/inputs"
	"github.com/tvboc/tvboc/gen/build"
	rt "github.com/tvboc/tvboc/runtime"
)

// exitError carries a process exit code through cobra.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the CLI and returns the exit code: 0 success, 1 a failed
// compile or run (or failed sets: tvboc merge, a sweep under tvboc run),
// 2 a usage mistake, 130 or 143 a simulation under tvboc run interrupted.
func run(args []string, stdout, stderr io.Writer) int {
	// --data, --dt and --duration reach the compiler through environment
	// variables; they hold for this command only, so that tests calling
	// run one command after another do not inherit them.
	defer keepEnv(brain.DataEnv, brain.DtEnv, brain.DurationEnv)()
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	rootArgs = args
	defer func() { rootArgs = nil }()
	err := root.Execute()
	if err == nil {
		return 0
	}
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "tvboc: %v\nRun 'tvboc --help' for usage.\n", diag.ShortenQuoted(ue.Error()))
		return 2
	}
	fmt.Fprintf(stderr, "tvboc: %s\n", diag.ShortenQuoted(indentErrors(err)))
	return 1
}

// indentErrors prints a multi-error message one error per line.
func indentErrors(err error) string {
	msg := err.Error()
	var list diag.List
	if !strings.Contains(msg, "\n") || !errors.As(err, &list) {
		// one error, perhaps quoting a tool's lines (jNeuroML's): "3
		// errors:" was said of one failure
		return msg
	}
	lines := strings.Split(msg, "\n")
	return fmt.Sprintf("%d errors:\n  %s", len(lines), strings.Join(lines, "\n  "))
}

type usageError struct{ error }

// rootArgs are the arguments run was called with, for flagsOnce.
var rootArgs []string

// flagsOnce refuses a flag of c's given twice ("-o a -o b", "--dt 0.1
// --dt 0.2"): pflag keeps the last, and the first would be ignored without
// a word. Lists (--map, --free) and switches may repeat. The arguments of
// tvboc run from the experiment on belong to the binary, which checks its
// own.
func flagsOnce(c *cobra.Command) error {
	seen := map[string]bool{}
	var twice error
	c.Flags().Visit(func(f *pflag.Flag) {
		if twice != nil || seen[f.Name] {
			return
		}
		seen[f.Name] = true
		switch t := f.Value.Type(); {
		case t == "bool", strings.HasSuffix(t, "Slice"), strings.HasSuffix(t, "Array"), t == "count":
			return
		}
		if n := countFlag(c, f); n > 1 {
			name := "--" + f.Name
			if f.Shorthand != "" {
				name = "-" + f.Shorthand + " (" + name + ")"
			}
			twice = usageError{fmt.Errorf("%s is given %d times: give it once", name, n)}
		}
	})
	return twice
}

// pathFlags are tvboc's flags that name a file or a directory.
var pathFlags = []string{"output", "bin", "npy", "plot", "compare", "sweep", "job", "lems", "jnml", "go", "cache-dir", "out-dir", "vs"}

// noEmptyPaths refuses a file or directory flag given an empty value:
// compile -o "" wrote the default binary, and gen -o "" printed to
// standard output, without a word.
func noEmptyPaths(c *cobra.Command) error {
	for _, name := range pathFlags {
		f := c.Flags().Lookup(name)
		if f == nil || !f.Changed || strings.TrimSpace(f.Value.String()) != "" {
			continue
		}
		shown := "--" + name
		if f.Shorthand != "" {
			shown = "-" + f.Shorthand
		}
		return usageError{fmt.Errorf("%s needs a file name, got an empty one (leave the flag out for its default)", shown)}
	}
	return nil
}

// countFlag counts how often f appears in the arguments c was called with,
// up to a "--" and, for run, up to the experiment.
func countFlag(c *cobra.Command, f *pflag.Flag) int {
	raw := rootArgs
	n := 0
	for i := 0; i < len(raw); i++ {
		arg := raw[i]
		if arg == "--" {
			break
		}
		if c.Name() == "run" && !strings.HasPrefix(arg, "-") && arg != "run" && i > 0 {
			break // the experiment: what follows is the binary's
		}
		name, _, hasValue := strings.Cut(arg, "=")
		switch {
		case name == "--"+f.Name, f.Shorthand != "" && name == "-"+f.Shorthand:
			n++
			if !hasValue {
				i++ // its value, whatever it looks like
			}
		case f.Shorthand != "" && strings.HasPrefix(arg, "-"+f.Shorthand) && !strings.HasPrefix(arg, "--"):
			n++ // -oFILE
		}
	}
	return n
}

// binaryFlags are the flags of a simulation binary (runtime.ParseArgs and
// the sweep flags), which tvboc run passes on when they follow the
// experiment file.
var binaryFlags = []string{"o", "record", "quiet", "seed", "spikes", "threads", "network", "set", "sweep", "shard", "jobs", "manifest", "params", "duration", "dt"}

// binaryFlag returns the flag ("-o", "--record") that a cobra flag error
// names when it is one of the binary's, else "".
func binaryFlag(msg string) string {
	for _, name := range binaryFlags {
		if len(name) == 1 && strings.Contains(msg, "unknown shorthand flag: '"+name+"'") {
			return "-" + name
		}
		if strings.HasSuffix(msg, "unknown flag: --"+name) {
			return "--" + name
		}
	}
	return ""
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "tvboc",
		Short: "Compile TVBO experiments into standalone simulation binaries",
		Long: `tvboc compiles a TVBO SimulationExperiment (YAML) into one generated Go
file, specialized for exactly that network, and builds it into a standalone
binary. The binary writes results in the units and names jNeuroML uses.

  tvboc compile exp.yaml -o sim     # YAML -> generated Go -> binary
  ./sim -o results.csv              # run it anywhere
  tvboc run exp.yaml -o out.csv     # compile (cached) and run in one step

Building needs the Go toolchain (the go command on PATH, or TVBOC_GO).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
	}
	root.SetVersionTemplate("tvboc {{.Version}}\n")
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		if c.Name() == "run" {
			if flag := binaryFlag(err.Error()); flag != "" {
				return usageError{fmt.Errorf("%v: %s is a flag of the simulation binary, and those go after the experiment file: tvboc run exp.yaml %s ...", err, flag, flag)}
			}
		}
		return usageError{err}
	})
	addDataFlag(root)
	root.AddCommand(compileCmd(stderr), runCmd(stdout, stderr), genCmd(stdout), checkCmd(stderr))
	root.AddCommand(renderCmd(stdout, stderr), referenceCmd(stderr), compareCmd(stdout, stderr), plotCmd(stderr))
	root.AddCommand(sweepCmd(stdout), slurmCmd(stdout, stderr), mergeCmd(stderr))
	return root
}

// oneExperiment checks that exactly one experiment file was given.
func oneExperiment(cmd *cobra.Command, args []string) error {
	if len(args) != 1 {
		return usageError{fmt.Errorf("%s takes one experiment file (exp.yaml), got %d arguments", cmd.Name(), len(args))}
	}
	if strings.TrimSpace(args[0]) == "" {
		return usageError{fmt.Errorf("%s: the experiment file name is empty", cmd.Name())}
	}
	return regularExperiment(args[0])
}

// regularExperiment refuses an experiment that is a pipe or a device
// (/dev/stdin, a FIFO): tvboc reads the file more than once, and opening
// a FIFO nobody writes would wait for ever. A missing file or a directory
// is left to the loader's own messages.
func regularExperiment(path string) error {
	fi, err := os.Stat(path)
	if err != nil || fi.IsDir() || fi.Mode().IsRegular() {
		return nil
	}
	return usageError{fmt.Errorf("%s is a pipe or a device, not a file: tvboc reads an experiment more than once; save it to a file first", path)}
}

func checkCmd(stderr io.Writer) *cobra.Command {
	var quiet, verbose bool
	c := &cobra.Command{
		Use:   "check exp.yaml",
		Short: "Validate an experiment without generating anything",
		Args:  oneExperiment,
		RunE: func(cmd *cobra.Command, args []string) error {
			if verbose {
				defer listMetadata(args[0], stderr)
			}
			if ok, err := checkStudy(args[0], quiet, stderr); ok {
				return err
			}
			r, err := compiler.Check(args[0])
			if err != nil {
				return err
			}
			printNotes(stderr, r)
			if !quiet && r.PartSummary != "" {
				fmt.Fprintf(stderr, "%s: ok: %s\n", args[0], r.PartSummary)
				return nil
			}
			if !quiet && r.Network != nil {
				fmt.Fprintf(stderr, "%s: ok: TVBO network file %q, %d regions\n", args[0], r.Network.Label.Value, r.NetworkRegions)
				return nil
			}
			if !quiet && r.Brain != nil {
				fmt.Fprintf(stderr, "%s: ok: %s\n", args[0], r.BrainSummary())
				return nil
			}
			if !quiet && r.Pop != nil {
				fmt.Fprintf(stderr, "%s: ok: %s\n", args[0], r.PopSummary())
				return nil
			}
			if !quiet {
				m := r.Model
				fmt.Fprintf(stderr, "%s: ok: %q, %d nodes in %d populations, %d steps of %g s\n",
					args[0], m.Label, len(m.Nodes), len(m.Populations), m.Steps, m.Dt)
			}
			return nil
		},
	}
	c.Flags().BoolVarP(&quiet, "quiet", "q", false, "print nothing when the experiment is valid")
	c.Flags().BoolVarP(&verbose, "verbose", "v", false, "also list the metadata keys the file writes (accepted; they change nothing in the simulation)")
	return c
}

func genCmd(stdout io.Writer) *cobra.Command {
	var out string
	var free freeFlag
	c := &cobra.Command{
		Use:   "gen exp.yaml",
		Short: "Print the generated Go source of an experiment",
		Args:  oneExperiment,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out != "" && out != "-" {
				if err := checkOutput(out, args[0]); err != nil {
					return err
				}
			}
			stop := inputs.Record()
			r, err := free.compile(cmd, args[0])
			read := stop()
			if err != nil {
				return err
			}
			if out == "" || out == "-" {
				_, err = stdout.Write(r.Source)
				return err
			}
			if err := refuseClashes([][2]string{{"-o", out}}, inputs.Paths(read)); err != nil {
				return err
			}
			return writeFileAtomic(out, r.Source, 0o644)
		},
	}
	c.Flags().StringVarP(&out, "output", "o", "", "write the source to `FILE` instead of standard output")
	free.add(c)
	return c
}

type buildFlags struct {
	goCmd    string
	cacheDir string
	quiet    bool
}

func (b *buildFlags) add(c *cobra.Command) {
	c.Flags().StringVar(&b.goCmd, "go", "", "the go command to build with (default: $TVBOC_GO, then go on PATH)")
	c.Flags().StringVar(&b.cacheDir, "cache-dir", "", "where built binaries are cached (default: $TVBOC_CACHE, then the user cache dir; \"off\" disables)")
	c.Flags().BoolVarP(&b.quiet, "quiet", "q", false, "no progress messages")
}

func (b *buildFlags) options(stderr io.Writer) build.Options {
	return build.Options{Go: b.goCmd, CacheDir: b.cacheDir, Stderr: stderr}
}

func compileCmd(stderr io.Writer) *cobra.Command {
	var out, experiment string
	var bf buildFlags
	var free freeFlag
	c := &cobra.Command{
		Use:   "compile exp.yaml [-o sim]",
		Short: "Compile an experiment into a standalone binary",
		Long: `Compile an experiment into a standalone binary. The binary takes
-o FILE (.csv, .dat or .npy), --record v|all and --quiet; run it with --help.
Builds are cached by a hash of the generated source.

A TVBO study (a SimulationStudy with simulation_experiments) compiles into
one binary per experiment, <study>-<id>, in the directory -o names (the
current one by default); --experiment ID compiles one, to -o. Experiments
that cannot compile are reported and the others still build.`,
		Args: oneExperiment,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("experiment") && strings.TrimSpace(experiment) == "" {
				// an empty id compiled the whole study without a word
				return usageError{errors.New("--experiment needs the id of a study's experiment (tvboc check STUDY lists them)")}
			}
			if ok, err := compileStudy(args[0], experiment, out, bf.options(stderr), bf.quiet, stderr); ok {
				return err
			}
			if experiment != "" {
				return usageError{fmt.Errorf("--experiment selects an experiment of a study; %s is no study", args[0])}
			}
			if out == "" {
				out = defaultBinary(args[0])
			}
			if err := checkOutput(out, args[0]); err != nil {
				return err
			}
			stop := inputs.Record()
			r, err := free.compile(cmd, args[0])
			read := stop()
			if err != nil {
				return err
			}
			if err := refuseClashes([][2]string{{"-o", out}}, inputs.Paths(read)); err != nil {
				return err
			}
			res, err := build.Build(r.Source, out, bf.options(stderr))
			if err != nil {
				return err
			}
			if !bf.quiet {
				how := "built"
				if res.Cached {
					how = "from cache"
				}
				fmt.Fprintf(stderr, "tvboc: %s -> %s (%s)\n", args[0], out, how)
			}
			return nil
		},
	}
	c.Flags().StringVarP(&out, "output", "o", "", "the binary to write (default: the experiment's file name without .yaml, or with .bin added when it has no extension)")
	c.Flags().StringVar(&experiment, "experiment", "", "of a study: compile only the experiment with this id (then -o names its binary)")
	bf.add(c)
	free.add(c)
	return c
}

func runCmd(stdout, stderr io.Writer) *cobra.Command {
	var bf buildFlags
	var free freeFlag
	var ch chainFlags
	c := &cobra.Command{
		Use:   "run [flags] exp.yaml [binary flags]",
		Short: "Compile an experiment (cached) and run it",
		Long: `Compile an experiment (reusing a cached binary when the generated source
is unchanged) and run it. Arguments after the experiment file go to the
simulation binary (a "--" before them is taken as a separator), e.g.

  tvboc run ex2.yaml -o ex2.csv --record all

With --compare REF and --plot FILE (before the experiment file), the
results are then judged against a reference and drawn over it:

  tvboc run --compare ex2_reference/ex2.csv --plot ex2.png ex2.yaml -o ex2.csv

SIGINT and SIGTERM are passed on to the simulation, and tvboc exits with
its status: 0 ok, 1 failed (or sets of a sweep failed), 2 a usage mistake,
130 or 143 interrupted.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{errors.New("run takes an experiment file (exp.yaml)")}
			}
			if strings.TrimSpace(args[0]) == "" {
				return usageError{errors.New("run: the experiment file name is empty")}
			}
			return regularExperiment(args[0])
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := bf.options(stderr)
			if len(args) > 1 && args[1] == "--" {
				// "tvboc run exp.yaml -- -o out.csv": the usual separator,
				// not an argument of the binary (whose flag parsing would
				// stop at it and call -o unexpected)
				args = append(args[:1:1], args[2:]...)
			}
			var key string
			if !ch.active() {
				key = warmKey(args[0], &free, &bf)
				if rec := warmLookup(opts, key); rec != nil {
					for _, n := range rec.Notes {
						fmt.Fprintf(stderr, "tvboc: note: %s\n", n)
					}
					read := append([]string{args[0]}, inputs.Paths(rec.Files)...)
					if err := outputsAreNotInputs(read, "", args[1:]); err != nil {
						return err
					}
					return runSimulation(rec.Binary, args[0], args[1:], stdout, stderr)
				}
			}
			stop := inputs.Record()
			r, err := free.compile(cmd, args[0])
			files := stop()
			if err != nil {
				return err
			}
			read := append([]string{args[0]}, inputs.Paths(files)...)
			if err := outputsAreNotInputs(read, ch.compareRef, args[1:]); err != nil {
				return err
			}
			res, err := build.Cached(r.Source, opts)
			if err != nil {
				return err
			}
			if key != "" {
				warmStore(opts, key, res.Path, files, r.Notes)
			}
			binArgs, results, cleanup, err := ch.prepare(args[0], args[1:])
			if err != nil {
				return err
			}
			defer cleanup()
			if err := runSimulation(res.Path, args[0], binArgs, stdout, stderr); err != nil {
				return err
			}
			return ch.after(cmd, r, results, stdout, stderr)
		},
	}
	// Flags after the experiment file belong to the binary.
	c.Flags().SetInterspersed(false)
	bf.add(c)
	ch.add(c)
	free.add(c)
	return c
}

// runSimulation runs a built simulation with binArgs, named after the
// experiment, passing SIGINT and SIGTERM on; its exit status becomes
// tvboc's.
func runSimulation(bin, exp string, binArgs []string, stdout, stderr io.Writer) error {
	sim := exec.Command(bin, binArgs...)
	sim.Args[0] = strings.TrimSuffix(filepath.Base(exp), filepath.Ext(exp))
	sim.Stdin, sim.Stdout, sim.Stderr = os.Stdin, stdout, stderr
	if err := sim.Start(); err != nil {
		return fmt.Errorf("running the simulation: %w", err)
	}
	stop := forwardSignals(sim)
	err := sim.Wait()
	stop()
	if err != nil {
		if code, ok := childExitCode(err); ok {
			return exitError{code}
		}
		return fmt.Errorf("running the simulation: %w", err)
	}
	return nil
}

// defaultBinary is compile's output without -o: the experiment's name
// without its extension, in the current directory. An experiment without
// an extension would be its own output, so it gets ".bin" instead.
func defaultBinary(exp string) string {
	out := strings.TrimSuffix(filepath.Base(exp), filepath.Ext(exp))
	if out == "" || rt.SamePath(out, exp) {
		out = filepath.Base(exp) + ".bin"
	}
	return out
}

// inputNamed is the one of ins (empty names skipped) that the output out
// names, or "": the check every command makes before it writes.
func inputNamed(out string, ins []string) string {
	for _, in := range ins {
		if in != "" && rt.SamePath(out, in) {
			return in
		}
	}
	return ""
}

// refuseClashes refuses, before anything is written, an output (flag,
// path) that names a file the command reads, or the file of an earlier
// output: no command writes over its inputs or writes one file twice.
func refuseClashes(outs [][2]string, reads []string) error {
	for i, o := range outs {
		if o[1] == "" || o[1] == "-" {
			continue
		}
		if in := inputNamed(o[1], reads); in != "" {
			return usageError{fmt.Errorf("%s %s would overwrite %s, which this command reads: choose another output", o[0], o[1], in)}
		}
		for _, e := range outs[:i] {
			if e[1] != "" && rt.SamePath(o[1], e[1]) {
				return usageError{fmt.Errorf("%s and %s both name %s: give each output its own file", e[0], o[0], o[1])}
			}
		}
	}
	return nil
}

// checkOutput refuses, before anything is compiled, an output that would
// overwrite the experiment or cannot be written (a missing or read-only
// directory, a directory as the output), naming the user's path.
func checkOutput(out, exp string, otherInputs ...string) error {
	if rt.SamePath(out, exp) {
		return usageError{fmt.Errorf("-o %s is the experiment file itself: choose another output", out)}
	}
	if in := inputNamed(out, otherInputs); in != "" {
		return usageError{fmt.Errorf("-o %s is %s, an input of this command: choose another output", out, in)}
	}
	if err := rt.CheckDestination(out); err != nil {
		return usageError{err}
	}
	return nil
}

// writeFileAtomic writes data to path through a temporary file, so a
// failure leaves nothing behind. What is not a regular file (a device, a
// pipe) is written into instead of replaced, and a symbolic link keeps
// being one (its target is written).
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	shown := path
	path = rt.OutputDest(path) // a symbolic link stays one
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err == nil {
			_, err = f.Write(data)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w", shown, dropTempName(err))
		}
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", shown, dropTempName(err))
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), perm)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", shown, dropTempName(err))
	}
	return nil
}

// keepEnv records the variables and returns a function that restores
// them, unset ones unset.
func keepEnv(names ...string) func() {
	type saved struct {
		value string
		set   bool
	}
	was := make(map[string]saved, len(names))
	for _, n := range names {
		v, ok := os.LookupEnv(n)
		was[n] = saved{v, ok}
	}
	return func() {
		for n, s := range was {
			if s.set {
				os.Setenv(n, s.value)
			} else {
				os.Unsetenv(n)
			}
		}
	}
}

// dropTempName drops a temporary file's name from an error: the user named
// another file.
func dropTempName(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// version is the module version and VCS revision Go stamped into the
// binary (go install: v1.2.3; a build in a checkout: the commit, +dirty
// when it had changes), for tvboc --version.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown version)"
	}
	v := info.Main.Version
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		return strings.TrimSpace(v + " " + rev + dirty)
	}
	return v
}
