package runtime

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// sweepFlags are the command-line flags of a program with free parameters,
// on top of the ones ParseArgs knows.
type sweepFlags struct {
	sets       []string       // --set NAME=VALUE, repeatable
	setBy      map[int]string // the --set of each parameter index, once parsed
	sweep      string         // --sweep FILE
	shard      string         // --shard I/N
	manifest   string         // --manifest FILE
	jobs       int            // --jobs N; 0 means automatic
	listParams bool           // --params
	// allowFailed (--allow-failed): a sweep whose sets failed or were
	// invalid exits 0; they stay in the manifest.
	allowFailed bool
}

// valueFlags are the flags of ParseArgs that take a value: the argument
// after them is theirs, whatever it looks like.
var valueFlags = map[string]bool{"o": true, "record": true}

// splitSweepArgs takes the parameter and sweep flags out of args and
// returns them with the remaining arguments, for ParseArgs. Flags are
// spelled like the flag package spells them: -name or --name, with the
// value after = or as the next argument.
func splitSweepArgs(args []string) (sweepFlags, []string, error) {
	var f sweepFlags
	var rest []string
	given := map[string]bool{}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			rest = append(rest, arg)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-"), "=")
		switch name {
		case "params":
			if hasValue {
				b, err := strconv.ParseBool(value)
				if err != nil {
					return f, nil, fmt.Errorf("invalid boolean value %q for -params", value)
				}
				f.listParams = b
			} else {
				f.listParams = true
			}
			continue
		case "allow-failed":
			if hasValue {
				b, err := strconv.ParseBool(value)
				if err != nil {
					return f, nil, fmt.Errorf("invalid boolean value %q for --allow-failed", value)
				}
				f.allowFailed = b
			} else {
				f.allowFailed = true
			}
			continue
		case "set", "sweep", "shard", "manifest", "jobs":
			if !hasValue {
				if i+1 >= len(args) {
					return f, nil, fmt.Errorf("flag needs an argument: --%s", name)
				}
				i++
				value = args[i]
			}
		default:
			rest = append(rest, arg)
			if valueFlags[name] && !hasValue && i+1 < len(args) {
				i++
				rest = append(rest, args[i])
			}
			continue
		}
		if name != "set" && given[name] {
			return f, nil, fmt.Errorf("--%s is given twice: give it once", name)
		}
		given[name] = true
		switch name {
		case "set":
			f.sets = append(f.sets, value)
		case "sweep":
			if value == "" {
				return f, nil, errors.New("--sweep needs a file name")
			}
			f.sweep = value
		case "shard":
			f.shard = value
		case "manifest":
			if value == "" {
				return f, nil, errors.New("--manifest needs a file name")
			}
			f.manifest = value
		case "jobs":
			n, err := strconv.Atoi(value)
			if err != nil || n < 1 {
				return f, nil, fmt.Errorf("--jobs %q: want a whole number of 1 or more", value)
			}
			f.jobs = n
		}
	}
	return f, rest, nil
}

// parseShard reads --shard "I/N": shard I (from 0) of N.
func parseShard(s string) (Shard, error) {
	is, ns, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(is))
	n, err2 := strconv.Atoi(strings.TrimSpace(ns))
	if !ok || err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("--shard %q: want I/N, shard I (counted from 0) of N, e.g. --shard 0/4", s)
	}
	if n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("--shard %q: want 0 <= I < N", s)
	}
	return Shard{Index: i, Count: n}, nil
}

// slurmShard derives the shard from a Slurm job array's environment: task
// SLURM_ARRAY_TASK_ID of an array whose ids run from SLURM_ARRAY_TASK_MIN
// in steps of SLURM_ARRAY_TASK_STEP is shard (ID-MIN)/STEP of
// SLURM_ARRAY_TASK_COUNT. ok is false outside a job array.
func slurmShard(getenv func(string) string) (shard Shard, ok bool, err error) {
	idText := getenv("SLURM_ARRAY_TASK_ID")
	if idText == "" {
		return Shard{}, false, nil
	}
	num := func(name string, fallback int) (int, error) {
		text := getenv(name)
		if text == "" {
			return fallback, nil
		}
		n, err := strconv.Atoi(text)
		if err != nil {
			return 0, fmt.Errorf("%s=%q is not a whole number", name, text)
		}
		return n, nil
	}
	id, err := num("SLURM_ARRAY_TASK_ID", 0)
	if err != nil {
		return Shard{}, false, err
	}
	minID, err := num("SLURM_ARRAY_TASK_MIN", 0)
	if err != nil {
		return Shard{}, false, err
	}
	maxID, err := num("SLURM_ARRAY_TASK_MAX", id)
	if err != nil {
		return Shard{}, false, err
	}
	step, err := num("SLURM_ARRAY_TASK_STEP", 1)
	if err != nil {
		return Shard{}, false, err
	}
	if step < 1 {
		step = 1
	}
	// Older Slurm versions do not export the count; it follows from the
	// range for a plain min-max[:step] array.
	count, err := num("SLURM_ARRAY_TASK_COUNT", (maxID-minID)/step+1)
	if err != nil {
		return Shard{}, false, err
	}
	index := (id - minID) / step
	if (id-minID)%step != 0 || index < 0 || index >= count {
		return Shard{}, false, fmt.Errorf("cannot derive the shard from the job array (task %d, min %d, step %d, count %d): submit an evenly spaced array such as --array=0-%d, or pass --shard I/N",
			id, minID, step, count, count-1)
	}
	return Shard{Index: index, Count: count}, true, nil
}
