package runtime

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
)

// Finish ends a run: it stops the progress clock, writes the results where
// opts says (atomically for a file: all or nothing), and prints the summary
// line on stderr unless opts.Quiet. prog may be nil; the summary then has
// no timing.
func Finish(opts Options, rec *Recorder, prog *Progress) error {
	if rec != nil && rec.keep != nil {
		return finishCompact(opts, rec, prog)
	}
	return finish(opts, rec, prog)
}

// finish is Finish with more outputs (a population's spikes) written with
// the traces: all of them or none (writeOutputs).
func finish(opts Options, rec *Recorder, prog *Progress, more ...output) error {
	simWall := prog.Done()
	if err := checkTable(rec, opts); err != nil {
		return err
	}
	if rec.rows != opts.Steps+1 {
		return fmt.Errorf("recorder has %d rows, want %d (steps + 1)", rec.rows, opts.Steps+1)
	}
	if err := checkFinite(rec, opts); err != nil {
		return err
	}

	writeStart := time.Now()
	traces := output{path: opts.Out, write: func(w io.Writer) error { return WriteResults(w, rec, opts) }}
	if opts.Out == Stdout || opts.Out == "" {
		// Results on stdout are always CSV, whatever Format says.
		opts.Format = FormatCSV
		traces.w = opts.stdout()
		traces.write = func(w io.Writer) error {
			if err := WriteCSV(w, rec, opts); err != nil {
				return fmt.Errorf("writing results to stdout: %w", err)
			}
			return nil
		}
	}
	if opts.FC != "" {
		// a whole recording (standard output, a device): its correlation
		// matrix from the kept rows, written with the traces
		f := recorderFC(rec, opts)
		more = append(more, output{what: "FC", path: opts.FC, write: func(w io.Writer) error { return f.write(w, opts) }})
	}
	if err := writeOutputs(append([]output{traces}, more...)...); err != nil {
		return err
	}
	writeWall := time.Since(writeStart)

	warnUnusedSeed(opts.stderr())
	if !opts.Quiet {
		line := summary(opts, rec, prog, simWall, writeWall)
		for _, o := range more {
			line += fmt.Sprintf(", %s to %s", o.what, o.path)
		}
		fmt.Fprintln(opts.stderr(), line)
	}
	return nil
}

// summary formats the one line printed after a run, e.g.
//
//	ex2: 40000 steps (200 ms simulated) in 12.3 ms wall, 3.25e+06 steps/s, wrote ex2.csv (40001 rows x 5 columns) in 4.1 ms
//
// with a set-up timed apart (Progress.BeginSteps) it reads "set up in 21 ms,
// 2000 steps ... in 96 ms wall".
func summary(opts Options, rec *Recorder, prog *Progress, simWall, writeWall time.Duration) string {
	var b strings.Builder
	steps, simulated := opts.stepsRun()
	fmt.Fprintf(&b, "%s: %s%s%d steps (%s simulated)", opts.Program, built(opts), setUp(prog), steps, formatSeconds(simulated))
	if prog != nil {
		fmt.Fprintf(&b, " in %s wall", formatDuration(simWall))
		if simWall > 0 {
			fmt.Fprintf(&b, ", %.3g steps/s", float64(steps)/simWall.Seconds())
		}
	}
	where := opts.Out
	if where == Stdout || where == "" {
		where = "CSV to stdout"
	}
	fmt.Fprintf(&b, ", wrote %s (%d rows x %d columns) in %s",
		where, rec.rows, 1+len(opts.Selected), formatDuration(writeWall))
	return b.String()
}

// stepsRun is the integration steps of the run and the time they
// simulate (Options.Integration; the rows' when not set).
func (opts Options) stepsRun() (int, float64) {
	if opts.Integration > 0 {
		return opts.Integration, float64(opts.Integration) * opts.StepDt
	}
	return opts.Steps, float64(opts.Steps) * opts.Dt
}

// built is the summary's account of a network's construction, "" when
// the program built none.
func built(opts Options) string {
	if opts.Build <= 0 {
		return ""
	}
	return fmt.Sprintf("network built in %s, ", formatDuration(opts.Build))
}

// setUp is the summary's account of the set-up before the first step, ""
// when it was not timed apart.
func setUp(prog *Progress) string {
	if prog.SetUp() <= 0 {
		return ""
	}
	return fmt.Sprintf("set up in %s, ", formatDuration(prog.SetUp()))
}

// Fatal prints "<program>: error: <err>" on stderr and exits with status 1,
// removing the temporary file of a Stream being written.
func Fatal(err error) {
	awaitInterrupt(err)
	if setsRunning.Load() > 0 {
		panic(setFailure{err})
	}
	runCleanups()
	if err == nil {
		err = errors.New("unknown error")
	}
	fmt.Fprintf(os.Stderr, "%s: error: %v\n", programName(), err)
	os.Exit(1)
}

// programName is the binary's base name, for messages.
func programName() string {
	if len(os.Args) == 0 || os.Args[0] == "" {
		return "simulation"
	}
	return strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe")
}

// formatSeconds prints a time in seconds with four significant digits in
// the unit that keeps the number readable: 5 µs, 200 ms, 1.5 s.
func formatSeconds(s float64) string {
	return formatSecondsDigits(s, 4)
}

func formatSecondsDigits(s float64, digits int) string {
	abs := math.Abs(s)
	switch {
	case abs == 0 || math.IsNaN(s) || math.IsInf(s, 0):
		return fmt.Sprintf("%g s", s)
	case abs < 1e-6:
		return fmt.Sprintf("%.*g ns", digits, s*1e9)
	case abs < 1e-3:
		return fmt.Sprintf("%.*g µs", digits, s*1e6)
	case abs < 1:
		return fmt.Sprintf("%.*g ms", digits, s*1e3)
	}
	return fmt.Sprintf("%.*g s", digits, s)
}

// formatDuration prints a wall-clock time: three significant digits below
// a minute (12.3 ms, 4.56 s), since wall times are not exact to more,
// and whole seconds above it (2m5s).
func formatDuration(d time.Duration) string {
	if d < time.Minute {
		return formatSecondsDigits(d.Seconds(), 3)
	}
	return d.Round(time.Second).String()
}

// setsRunning counts the sets of a sweep being run (side by side with
// --jobs): while one runs, Fatal (a per-cell value that is not finite, a
// network or a delay history too large for memory) fails that set instead
// of the program, so the others still run and the manifest says what
// happened. A set runs its kernel on its own goroutine (a sweep's team has
// one worker), which is where Fatal's panic is recovered.
var setsRunning atomic.Int32

// setFailure carries Fatal's error to the sweep that runs the set.
type setFailure struct{ err error }
