package runtime

// The exit statuses of a generated program, the same for a single run, a
// sweep and a shard of one (and for tvboc run, tvboc merge and Slurm array
// tasks, which pass them on).
const (
	ExitOK     = 0 // every set ran and wrote its results
	ExitFailed = 1 // a run failed, or sets of a sweep failed or were invalid (--allow-failed: 0)
	ExitUsage  = 2 // a mistake on the command line; nothing ran
	// ExitInterrupted is 128 + the signal's number, the shell's convention:
	// 130 for SIGINT (Ctrl-C), 143 for SIGTERM (scancel, a time limit).
	ExitInterrupted = 128
)
