// Package sweep is the tvboc side of parameter sweeps: it reads the
// manifests that simulation binaries write (see runtime.Manifest), merges
// the manifests and .npy outputs of the shards of a sweep into one, turns a
// TVBO experiment's explorations section into a sweep file, and writes the
// sbatch script that runs a sweep as a Slurm job array.
//
// Running sets is not done here: a compiled binary runs its own sweep
// (--sweep, --shard) with the runtime, so a cluster job needs only the
// binary and the sweep file, never tvboc.
package sweep
