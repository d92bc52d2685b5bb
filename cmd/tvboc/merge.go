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
	var out, npy string
	var allowMissing, quiet bool
	c := &cobra.Command{
		Use:   "merge -o manifest.csv [--npy sweep.npy] shard-manifest...",
		Short: "Join the manifests (and .npy outputs) of the shards of a sweep",
		Long: `Join the manifests that the shards of a sweep wrote (CSV or JSON) into one
manifest ordered by set index. Every set of the sweep must be listed exactly
once (--allow-missing merges an incomplete sweep). With --npy, the shards'
.npy outputs (shape: sets x rows x columns) are joined into one array in set
order. Output paths in the merged manifest are relative to its directory.

  tvboc merge -o out/manifest.csv out/manifest-*.csv
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
			var manifests []*rt.Manifest
			for _, path := range args {
				m, err := sweep.ReadManifest(path)
				if err != nil {
					return err
				}
				manifests = append(manifests, m)
			}
			merged, err := sweep.Merge(manifests, args, allowMissing)
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
			if !quiet {
				ok, invalid, failed := sweep.Summary(merged)
				fmt.Fprintf(stderr, "tvboc: merged %d manifests into %s: %d sets, %d ok, %d invalid, %d failed\n",
					len(args), out, len(merged.Entries), ok, invalid, failed)
			}
			return nil
		},
	}
	c.Flags().StringVarP(&out, "output", "o", "", "the merged manifest (.csv or .json)")
	c.Flags().StringVar(&npy, "npy", "", "also join the shards' .npy outputs into this file")
	c.Flags().BoolVar(&allowMissing, "allow-missing", false, "merge even when sets of the sweep are in no manifest")
	c.Flags().BoolVarP(&quiet, "quiet", "q", false, "no summary")
	return c
}
