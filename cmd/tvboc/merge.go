package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	rt "github.com/tvboc/tvboc/runtime"
	"github.com/tvboc/tvboc/sweep"
)

func mergeCmd(stderr io.Writer) *cobra.Command {
	var out, npy, jobScript string
	var allowMissing, allowFailed, quiet bool
	c := &cobra.Command{
		Use:   "merge -o manifest.csv [--job job.sbatch] [--npy sweep.npy] shard-manifest...",
		Short: "Join the manifests (and .npy outputs) of the shards of a sweep",
		Long: `Join the manifests that the shards of a sweep wrote (CSV or JSON) into one
manifest ordered by set index. Every set of the sweep must be listed exactly
once; when sets are missing or were interrupted, merge names the shards that
hold them and prints the commands that run them again (--job: the script
tvboc slurm wrote, for the full command lines; --allow-missing merges an
incomplete sweep). With --npy, the shards' .npy outputs (shape: sets x rows
x columns) are joined into one array in set order. Output paths in the
merged manifest are relative to its directory.

Exit status: 0 every set ok; 1 some sets failed or were invalid (the merged
manifest is written; --allow-failed exits 0), or sets are missing (nothing
is written); 2 a usage mistake.

  tvboc merge -o out/manifest.csv --job ex2.sbatch out/manifest-*.csv
  tvboc merge -o out/manifest.csv --npy out/sweep.npy out/shard-*.manifest.csv`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{errors.New("merge takes the shards' manifest files")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usageError{errors.New("merge needs -o FILE (.csv or .json) for the merged manifest")}
			}
			var job *sweep.Job
			if jobScript != "" {
				j, err := sweep.ReadJob(jobScript)
				if err != nil {
					return err
				}
				job = &j
			}
			var manifests []*rt.Manifest
			for _, path := range args {
				m, err := sweep.ReadManifest(path)
				if err != nil {
					return err
				}
				manifests = append(manifests, m)
			}
			// the shards' manifests, arrays and result files are what
			// merge reads or names: -o and --npy may be none of them
			reads := append([]string{jobScript}, args...)
			if job != nil {
				// and the job's sweep file and binary, which a re-run of a
				// shard reads again
				reads = append(reads, job.Sweep, job.Binary)
			}
			for _, m := range manifests {
				for _, e := range m.Entries {
					reads = append(reads, e.Output)
				}
			}
			if err := refuseClashes([][2]string{{"-o", out}, {"--npy", npy}}, reads); err != nil {
				return err
			}
			merged, err := sweep.Merge(manifests, args, allowMissing)
			var gap *sweep.MissingError
			if errors.As(err, &gap) {
				printRerun(stderr, gap, job)
				return exitError{1}
			}
			if err != nil {
				return err
			}
			if npy != "" {
				if err := sweep.JoinNPY(merged, npy); err != nil {
					return err
				}
			}
			if err := rt.WriteManifestFile(out, *merged); err != nil {
				return err
			}
			ok, invalid, failed, interrupted := sweep.Summary(merged)
			if !quiet {
				fmt.Fprintf(stderr, "tvboc: merged %d manifests into %s: %d sets, %d ok, %d invalid, %d failed",
					len(args), out, len(merged.Entries), ok, invalid, failed)
				if interrupted > 0 {
					fmt.Fprintf(stderr, ", %d interrupted", interrupted)
				}
				fmt.Fprintln(stderr)
			}
			if invalid+failed > 0 && !allowFailed {
				// Printed even with --quiet: it explains the exit status.
				fmt.Fprintf(stderr, "tvboc: %d of %d sets failed or were invalid: see the status and error columns of %s (--allow-failed accepts them)\n",
					invalid+failed, len(merged.Entries), out)
				return exitError{1}
			}
			return nil
		},
	}
	c.Flags().StringVarP(&out, "output", "o", "", "the merged manifest (.csv or .json)")
	c.Flags().StringVar(&npy, "npy", "", "also join the shards' .npy outputs into this file")
	c.Flags().StringVar(&jobScript, "job", "", "the job script tvboc slurm wrote: re-run commands for missing shards in full")
	c.Flags().BoolVar(&allowMissing, "allow-missing", false, "merge even when sets of the sweep are in no manifest or were interrupted")
	c.Flags().BoolVar(&allowFailed, "allow-failed", false, "exit 0 even when sets failed or were invalid")
	c.Flags().BoolVarP(&quiet, "quiet", "q", false, "no summary")
	return c
}

// printRerun explains a sweep with missing sets: which shards to run again
// and the commands that do it, through Slurm and on this machine.
func printRerun(stderr io.Writer, gap *sweep.MissingError, job *sweep.Job) {
	if job != nil && (gap.ShardCount == 0 || gap.ShardCount == job.Tasks) {
		gap.SetShards(job.Tasks)
	}
	fmt.Fprintf(stderr, "tvboc: %v\n", gap)
	if len(gap.Shards) == 0 {
		return
	}
	if job == nil || job.Tasks != gap.ShardCount {
		fmt.Fprintf(stderr, "Run them again with the job script tvboc slurm wrote (give it with --job for the full commands):\n  %s\n",
			sweep.Job{}.RerunCommand(gap.Shards))
		return
	}
	fmt.Fprintf(stderr, "Run them again through Slurm:\n  %s\nor on this machine:\n", job.RerunCommand(gap.Shards))
	for _, s := range gap.Shards {
		fmt.Fprintf(stderr, "  %s\n", job.LocalCommand(s))
	}
	fmt.Fprintf(stderr, "then merge again.\n")
}
