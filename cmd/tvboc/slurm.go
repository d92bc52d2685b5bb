package main

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

	"github.com/spf13/cobra"
	"github.com/tvboc/tvboc/compiler"
	"github.com/tvboc/tvboc/compiler/inputs"
	"github.com/tvboc/tvboc/gen/build"
	rt "github.com/tvboc/tvboc/runtime"
	"github.com/tvboc/tvboc/sweep"
)

// defaultSignal is how many seconds before the time limit a task is told
// to stop: ample time to write a manifest, little of the task's time.
const defaultSignal = 60

func slurmCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		out, sweepFile, binPath, outDir string
		job                             sweep.Job
		submit, wait                    bool
		bf                              buildFlags
		free                            freeFlag
	)
	c := &cobra.Command{
		Use:   "slurm exp.yaml --sweep sweep.csv --tasks N -o job.sbatch [--submit]",
		Short: "Compile once and write (or submit) a Slurm job array that runs a sweep",
		Long: `Compile the experiment once, with the sweep file's columns (and any --free
parameters) settable at run time, and write an sbatch script for a job
array of --tasks tasks. Task i runs shard i of the sweep: a contiguous
slice of its rows, spread over the task's --cpus cores. With --submit the
script is submitted with sbatch (--wait: and waited for).

Without --sweep, the experiment's explorations section gives the sets; they
are written to sweep.csv in the output directory.

The binary, the sweep file and the output directory must be on a file
system the compute nodes see (your home or project space, not /tmp of the
login node). Before building, tvboc checks that the output directory is
writable and, with sinfo on PATH, that the partition exists and a node has
--cpus CPUs; it reports each problem in one line and submits nothing.

The script fixes the number of shards and passes each task its own array
index as the shard, so any tasks can be run again alone (sbatch --array=1,3
ex2.sbatch). With --time, Slurm sends SIGTERM --signal seconds before the
limit; the task then records what it finished and exits 143. When every
task is done, join the shards with tvboc merge (the command is printed and
written at the top of the script); it names the shards that did not finish
and prints the commands that rerun them.

  tvboc slurm ex2.yaml --sweep sweep.csv --tasks 4 --cpus 2 --time 00:10:00 -o ex2.sbatch
  sbatch ex2.sbatch
  tvboc merge -o ex2-sweep/manifest.csv --job ex2.sbatch ex2-sweep/manifest-*.csv`,
		Args: oneExperiment,
		RunE: func(cmd *cobra.Command, args []string) error {
			exp := args[0]
			// written: the script, which makes the job; wroteSweep: the
			// sweep file made from the explorations, taken back with the
			// results directory when the job is not written after all
			written, wroteSweep := false, false
			name := strings.TrimSuffix(filepath.Base(exp), filepath.Ext(exp))
			if out == "" {
				out = name + ".sbatch"
			}
			if err := checkOutput(out, exp, sweepFile); err != nil {
				return err
			}
			jobDir, err := filepath.Abs(filepath.Dir(out))
			if err != nil {
				return err
			}
			if outDir == "" {
				outDir = filepath.Join(jobDir, name+"-sweep")
			}
			if binPath == "" {
				binPath = filepath.Join(jobDir, name)
			}
			if job.Name == "" {
				job.Name = name + "-sweep"
			}
			for _, p := range []*string{&outDir, &binPath} {
				if *p, err = filepath.Abs(*p); err != nil {
					return err
				}
			}
			job.Binary, job.OutDir = binPath, outDir
			if job.Path, err = filepath.Abs(out); err != nil {
				return err
			}
			if cmd.Flags().Changed("signal") && job.Signal < 0 {
				return usageError{fmt.Errorf("--signal %d: want 0 (none) or the seconds before the time limit", job.Signal)}
			}
			if job.Signal < 0 {
				job.Signal = 0
				if job.Time != "" {
					job.Signal = defaultSignal
				}
				if limit, ok := sweep.TimeSeconds(job.Time); ok && limit <= 2*defaultSignal {
					// a short job is warned half way through, not as it
					// starts (--time 00:30 got SIGTERM at once)
					job.Signal = limit / 2
				}
			}
			fromExplorations := sweepFile == ""
			if fromExplorations {
				sweepFile = filepath.Join(outDir, "sweep.csv")
			}
			if job.Sweep, err = filepath.Abs(sweepFile); err != nil {
				return err
			}
			// the script, the binary and a written sweep file may not be
			// the experiment, the sweep file given, or each other
			outs := [][2]string{{"-o", out}, {"--bin", binPath}}
			given := []string{exp}
			if fromExplorations {
				outs = append(outs, [2]string{"the sweep file", sweepFile})
			} else {
				given = append(given, sweepFile)
			}
			if err := refuseClashes(outs, given); err != nil {
				return err
			}
			if err := rt.CheckDestination(binPath); err != nil {
				return usageError{fmt.Errorf("--bin: %w", err)}
			}
			// A population network's binary runs its sets in turn, each
			// on every core of the task, and writes their spikes too.
			checked, err := compiler.Check(exp)
			if err != nil {
				return err
			}
			if checked.Pop != nil {
				job.Population, job.Spikes = true, checked.Pop.Spikes()
			}
			if err := job.Check(); err != nil {
				return usageError{err}
			}
			// the results directory is made here, and removed again
			// (when still empty) if the job is not written after all
			if _, err := os.Stat(outDir); errors.Is(err, fs.ErrNotExist) {
				defer func() {
					if !written {
						if wroteSweep {
							os.Remove(sweepFile)
						}
						os.Remove(outDir)
					}
				}()
			}
			if err := os.MkdirAll(outDir, 0o777); err != nil {
				return fmt.Errorf("cannot create the output directory: %w", err)
			}
			if problems := preflight(job, stderr); len(problems) > 0 {
				for _, p := range problems {
					fmt.Fprintf(stderr, "tvboc: %s\n", p)
				}
				fmt.Fprintf(stderr, "tvboc: nothing written or submitted\n")
				return exitError{1}
			}

			freeNames := free.names
			if fromExplorations {
				names, sets, err := explorationSets(exp, "")
				if err != nil {
					return fmt.Errorf("%w (or give --sweep FILE)", err)
				}
				var buf bytes.Buffer
				if err := sweep.WriteSweepCSV(&buf, names, sets); err != nil {
					return err
				}
				if err := writeFileAtomic(sweepFile, buf.Bytes(), 0o644); err != nil {
					return err
				}
				wroteSweep = true
				freeNames = append(freeNames, names...)
			} else {
				names, err := sweepHeader(sweepFile)
				if err != nil {
					return err
				}
				freeNames = append(freeNames, names...)
			}

			opts, err := free.options()
			if err != nil {
				return err
			}
			opts.Free = freeNames
			stop := inputs.Record()
			r, err := compiler.CompileWith(exp, opts)
			read := stop()
			if err != nil {
				return err
			}
			if err := refuseClashes(outs, inputs.Paths(read)); err != nil {
				return err
			}
			printNotes(stderr, r)
			// Read the sweep as the binary will, so that a header mistake
			// shows now and not in every task's log.
			f, err := os.Open(job.Sweep)
			if err != nil {
				return err
			}
			parsed, err := rt.ReadSweep(f, sweepFile, runtimeParams(r.Params), nil)
			f.Close()
			if err != nil {
				return err
			}
			bad := 0
			for _, s := range parsed.Sets {
				if s.Err != nil {
					bad++
					fmt.Fprintf(stderr, "tvboc: warning: sweep set %d will not run: %v\n", s.Index, s.Err)
				}
			}
			if bad > 0 && !job.AllowFailed {
				fmt.Fprintf(stderr, "tvboc: warning: a task with a set that does not run exits 1 (FAILED in Slurm) after running its other sets; --allow-failed makes it exit 0\n")
			}
			if job.Tasks > len(parsed.Sets) {
				fmt.Fprintf(stderr, "tvboc: %d tasks for %d sets: using %d tasks, one set each\n", job.Tasks, len(parsed.Sets), len(parsed.Sets))
				job.Tasks = len(parsed.Sets)
			}

			res, err := build.Build(r.Source, binPath, bf.options(stderr))
			if err != nil {
				return err
			}
			script, err := job.Script()
			if err != nil {
				return usageError{err}
			}
			if err := writeFileAtomic(out, []byte(script), 0o755); err != nil {
				return err
			}
			written = true
			if !bf.quiet {
				how := "built"
				if res.Cached {
					how = "from cache"
				}
				fmt.Fprintf(stderr, "tvboc: %s -> %s (%s); %d sets in %d tasks, results in %s\n",
					exp, binPath, how, len(parsed.Sets), job.Tasks, outDir)
				fmt.Fprintf(stderr, "tvboc: wrote %s; afterwards join the shards with:\n  %s\n", out, job.MergeCommand())
			}
			if !submit {
				if wait {
					return usageError{errors.New("--wait goes with --submit")}
				}
				return nil
			}
			return submitJob(out, wait, stdout, stderr)
		},
	}
	c.Flags().StringVarP(&out, "output", "o", "", "the sbatch script to write (default: <experiment>.sbatch)")
	c.Flags().StringVar(&sweepFile, "sweep", "", "the sweep file (default: the experiment's explorations)")
	c.Flags().IntVar(&job.Tasks, "tasks", 1, "array tasks; each runs one contiguous shard of the sweep")
	c.Flags().IntVar(&job.CPUs, "cpus", 1, "cores per task (sets run in parallel on them)")
	c.Flags().StringVar(&job.Partition, "partition", "", "Slurm partition (default: the cluster's)")
	c.Flags().StringVar(&job.Time, "time", "", "wall-time limit per task, e.g. 00:30:00 (default: the partition's)")
	c.Flags().IntVar(&job.Throttle, "throttle", 0, "run at most this many tasks at once (0: no limit)")
	c.Flags().StringVar(&job.Name, "job-name", "", "Slurm job name (default: <experiment>-sweep)")
	c.Flags().StringVar(&job.Format, "format", "csv", "result files: csv or dat (one per set) or npy (one array per task)")
	c.Flags().StringVar(&job.Record, "record", "v", "columns to record: v or all")
	c.Flags().StringVar(&binPath, "bin", "", "where to put the compiled binary (default: next to the script)")
	c.Flags().StringVar(&outDir, "out-dir", "", "results, manifests and task logs (default: <experiment>-sweep next to the script)")
	c.Flags().IntVar(&job.Signal, "signal", -1, "seconds before the time limit at which Slurm sends SIGTERM, so a task records what it finished (default: 60 with --time, else none; 0: none)")
	c.Flags().BoolVar(&job.AllowFailed, "allow-failed", false, "a task whose sets failed or were invalid exits 0 (they stay in the manifest)")
	c.Flags().BoolVar(&submit, "submit", false, "submit the script with sbatch")
	c.Flags().BoolVar(&wait, "wait", false, "with --submit: wait until every task has finished (sbatch --wait)")
	bf.add(c)
	free.add(c)
	return c
}

// submitJob submits an sbatch script and prints the job id on stdout.
func submitJob(script string, wait bool, stdout, stderr io.Writer) error {
	sbatch, err := exec.LookPath("sbatch")
	if err != nil {
		return errors.New("--submit: sbatch is not on PATH: run this on a Slurm login node, or submit the script there with sbatch")
	}
	args := []string{"--parsable"}
	if wait {
		args = append(args, "--wait")
	}
	cmd := exec.Command(sbatch, append(args, script)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, stderr
	runErr := cmd.Run()
	id := strings.TrimSpace(strings.Split(out.String(), "\n")[0])
	if id != "" {
		fmt.Fprintln(stdout, id)
	}
	if runErr != nil {
		var ee *exec.ExitError
		if errors.As(runErr, &ee) {
			if wait && id != "" {
				return fmt.Errorf("job %s: a task failed (sbatch --wait exited %d); see the slurm-*.log files and the manifests", id, ee.ExitCode())
			}
			return fmt.Errorf("sbatch failed (exit %d)", ee.ExitCode())
		}
		return fmt.Errorf("running sbatch: %w", runErr)
	}
	return nil
}
