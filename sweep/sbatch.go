package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// Job describes a sweep run as a Slurm job array: one array task per
// shard, each running the compiled binary on its contiguous slice of the
// sweep file. Paths are written into the script as given; tvboc slurm
// passes absolute ones, so the script works from any directory.
//
// The script fixes the number of shards and takes each task's shard from
// its own array index alone, so any subset of tasks can be submitted again
// with sbatch --array=LIST and redoes exactly those shards.
type Job struct {
	Name      string `json:"name"`      // job name (sbatch --job-name)
	Path      string `json:"script"`    // where the sbatch script is written, for re-run commands
	Binary    string `json:"binary"`    // the compiled simulation
	Sweep     string `json:"sweep"`     // the sweep file
	OutDir    string `json:"out_dir"`   // results, manifests and task logs
	Tasks     int    `json:"tasks"`     // array tasks = shards
	CPUs      int    `json:"cpus"`      // cores per task; the binary runs that many sets at once
	Partition string `json:"partition"` // "" for the cluster's default
	Time      string `json:"time"`      // wall-time limit, "" for the partition's default
	Format    string `json:"format"`    // "csv", "dat" (one file per set) or "npy" (one array per shard)
	Record    string `json:"record"`    // "v" or "all"
	Throttle  int    `json:"throttle"`  // cap on tasks running at once (sbatch --array=...%N); 0: none
	// Signal is the seconds before the time limit at which Slurm sends the
	// task SIGTERM (#SBATCH --signal=B:TERM@Signal), so that the binary
	// records what it finished and marks the rest interrupted before it is
	// killed; 0 writes no --signal line.
	Signal int `json:"signal"`
	// AllowFailed makes a task whose sets failed or were invalid exit 0
	// (the binary's --allow-failed), so Slurm shows FAILED only for tasks
	// that did not finish.
	AllowFailed bool `json:"allow_failed"`
	// Population: the binary is a population network's, whose sweep runs
	// its sets one after another, each on every core of the task
	// (--threads instead of --jobs); one result file per set only.
	Population bool `json:"population,omitempty"`
	// Spikes: with Population, each set also writes its spikes
	// (spikes-<index>.csv in OutDir).
	Spikes bool `json:"spikes,omitempty"`
}

// safeName is what sbatch accepts comfortably in a job name.
var safeName = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// Check reports the first thing wrong with j.
func (j Job) Check() error {
	switch {
	case j.Tasks < 1:
		return fmt.Errorf("--tasks %d: want 1 or more array tasks", j.Tasks)
	case j.CPUs < 1:
		return fmt.Errorf("--cpus %d: want 1 or more cores per task", j.CPUs)
	case j.Signal < 0:
		return fmt.Errorf("--signal %d: want 0 (none) or the seconds before the time limit", j.Signal)
	case j.Throttle < 0:
		return fmt.Errorf("--throttle %d: want 0 (no cap) or more", j.Throttle)
	case !safeName.MatchString(j.Name):
		return fmt.Errorf("job name %q: use letters, digits, '.', '_' and '-'", j.Name)
	case j.Format != "csv" && j.Format != "dat" && j.Format != "npy":
		return fmt.Errorf("format %q: want csv, dat or npy", j.Format)
	case j.Population && j.Format == "npy":
		return errors.New("--format npy: a population network's sweep writes one file per set: use csv or dat")
	case j.Record != "v" && j.Record != "all":
		return fmt.Errorf("record %q: want v or all", j.Record)
	case j.Binary == "" || j.Sweep == "" || j.OutDir == "":
		return errors.New("the job needs a binary, a sweep file and an output directory")
	}
	if strings.ContainsAny(j.OutDir, " \t\n%") {
		return fmt.Errorf("output directory %q: #SBATCH --output cannot hold spaces or %%; choose a directory without them", j.OutDir)
	}
	if j.Time != "" && !slurmTime.MatchString(j.Time) {
		return fmt.Errorf("--time %q: write a Slurm time limit: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS", j.Time)
	}
	if j.Signal > maxSignal {
		// sbatch refuses it, after the script has been written
		return fmt.Errorf("--signal %d: Slurm takes at most %d seconds", j.Signal, maxSignal)
	}
	if limit, ok := TimeSeconds(j.Time); ok && j.Signal > 0 && j.Signal >= limit {
		return fmt.Errorf("--signal %d is not before the time limit --time %s (%d s): every task would be told to stop as it starts; give fewer seconds", j.Signal, j.Time, limit)
	}
	for _, v := range []string{j.Partition, j.Time} {
		if strings.ContainsAny(v, " \t\n'\"\\$`") {
			return fmt.Errorf("%q: no spaces, quotes or shell characters in sbatch options", v)
		}
	}
	return nil
}

// maxSignal is the most seconds sbatch's --signal takes (its man page).
const maxSignal = 65535

// TimeSeconds is a Slurm time limit in seconds: minutes, MM:SS,
// HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS; false for none, "infinite" and
// what is not a limit.
func TimeSeconds(limit string) (int, bool) {
	if !slurmTime.MatchString(limit) || strings.ContainsAny(limit, "iIuU") {
		return 0, false
	}
	days := 0
	if d, rest, ok := strings.Cut(limit, "-"); ok {
		days, _ = strconv.Atoi(d)
		// D-HH, D-HH:MM, D-HH:MM:SS: hours first
		parts := strings.Split(rest, ":")
		secs := days * 86400
		for i, unit := range []int{3600, 60, 1}[:len(parts)] {
			n, _ := strconv.Atoi(parts[i])
			secs += n * unit
		}
		return secs, true
	}
	parts := strings.Split(limit, ":")
	units := map[int][]int{1: {60}, 2: {60, 1}, 3: {3600, 60, 1}}[len(parts)]
	secs := 0
	for i, unit := range units {
		n, _ := strconv.Atoi(parts[i])
		secs += n * unit
	}
	return secs, true
}

// slurmTime matches the time limits sbatch's --time takes.
var slurmTime = regexp.MustCompile(`^([0-9]+|[0-9]+:[0-9]+|[0-9]+:[0-9]+:[0-9]+|[0-9]+-[0-9]+|[0-9]+-[0-9]+:[0-9]+|[0-9]+-[0-9]+:[0-9]+:[0-9]+|infinite|UNLIMITED|unlimited)$`)

// jobLine starts the script's comment line that holds the Job as JSON,
// which tvboc merge --job reads to print re-run commands.
const jobLine = "# tvboc-job: "

// Script returns the sbatch script of the job.
func (j Job) Script() (string, error) {
	if err := j.Check(); err != nil {
		return "", err
	}
	var b strings.Builder
	array := fmt.Sprintf("0-%d", j.Tasks-1)
	if j.Throttle > 0 {
		array += fmt.Sprintf("%%%d", j.Throttle)
	}
	fmt.Fprintf(&b, "#!/bin/bash\n")
	fmt.Fprintf(&b, "# Generated by tvboc slurm. A job array of %d tasks: task i runs shard i of\n", j.Tasks)
	fmt.Fprintf(&b, "# %d of the sweep. The shard count is fixed here and the shard is the task's\n", j.Tasks)
	fmt.Fprintf(&b, "# array index, so any tasks can be re-run alone, e.g. shards 1 and 3:\n")
	fmt.Fprintf(&b, "#   %s\n", j.RerunCommand([]int{1, 3}))
	fmt.Fprintf(&b, "# When every task is done, join the shards with\n")
	fmt.Fprintf(&b, "#   %s\n", j.MergeCommand())
	meta, err := json.Marshal(j)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&b, "%s%s\n", jobLine, meta)
	fmt.Fprintf(&b, "#SBATCH --job-name=%s\n", j.Name)
	fmt.Fprintf(&b, "#SBATCH --array=%s\n", array)
	fmt.Fprintf(&b, "#SBATCH --ntasks=1\n")
	fmt.Fprintf(&b, "#SBATCH --cpus-per-task=%d\n", j.CPUs)
	if j.Partition != "" {
		fmt.Fprintf(&b, "#SBATCH --partition=%s\n", j.Partition)
	}
	if j.Time != "" {
		fmt.Fprintf(&b, "#SBATCH --time=%s\n", j.Time)
	}
	if j.Signal > 0 {
		// B: signals the batch shell, which is the binary after exec.
		fmt.Fprintf(&b, "#SBATCH --signal=B:TERM@%d\n", j.Signal)
	}
	// #SBATCH lines are not shell: the path is written bare, which is why
	// Check refuses an output directory with spaces.
	fmt.Fprintf(&b, "#SBATCH --output=%s/slurm-%%A_%%a.log\n", j.OutDir)
	fmt.Fprintf(&b, "\nset -euo pipefail\n")
	fmt.Fprintf(&b, "shard=\"${SLURM_ARRAY_TASK_ID:?submit with sbatch, or set SLURM_ARRAY_TASK_ID=I (0 to %d) to run shard I here}\"\n", j.Tasks-1)
	fmt.Fprintf(&b, "exec %s \\\n  --sweep %s \\\n  --shard \"$shard/%d\" \\\n  --record %s \\\n  -o %s \\\n",
		shellQuote(j.Binary), shellQuote(j.Sweep), j.Tasks, j.Record, shellQuote(j.output()))
	if j.AllowFailed {
		fmt.Fprintf(&b, "  --allow-failed \\\n")
	}
	if j.Population {
		if j.Spikes {
			fmt.Fprintf(&b, "  --spikes %s \\\n", shellQuote(j.OutDir+"/spikes-{index}.csv"))
		}
		// one set at a time, on every core of the task
		fmt.Fprintf(&b, "  --threads \"${SLURM_CPUS_PER_TASK:-%d}\"\n", j.CPUs)
		return b.String(), nil
	}
	fmt.Fprintf(&b, "  --jobs \"${SLURM_CPUS_PER_TASK:-%d}\"\n", j.CPUs)
	return b.String(), nil
}

// ReadJob reads back the Job of a script that Script wrote.
func ReadJob(path string) (Job, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Job{}, fmt.Errorf("cannot read the job script: %w", err)
	}
	for line := range strings.Lines(string(data)) {
		if meta, ok := strings.CutPrefix(line, jobLine); ok {
			var j Job
			if err := json.Unmarshal([]byte(meta), &j); err != nil {
				return Job{}, fmt.Errorf("%s: the %q line is damaged: %v", path, strings.TrimSpace(jobLine), err)
			}
			if j.Tasks < 1 {
				return Job{}, fmt.Errorf("%s: the job has %d tasks", path, j.Tasks)
			}
			return j, nil
		}
	}
	return Job{}, fmt.Errorf("%s is not a job script written by tvboc slurm (no %q line)", path, strings.TrimSpace(jobLine))
}

// RerunCommand is the sbatch command that runs the given shards again.
func (j Job) RerunCommand(shards []int) string {
	script := j.Path
	if script == "" {
		script = "JOB.sbatch"
	}
	return "sbatch --array=" + ShardList(shards) + " " + shellQuote(script)
}

// LocalCommand is the command line that runs one shard on this machine,
// exactly as its array task runs it.
func (j Job) LocalCommand(shard int) string {
	cmd := fmt.Sprintf("%s --sweep %s --shard %d/%d --record %s -o %s",
		shellQuote(j.Binary), shellQuote(j.Sweep), shard, j.Tasks, j.Record, shellQuote(j.output()))
	if j.Population && j.Spikes {
		cmd += " --spikes " + shellQuote(j.OutDir+"/spikes-{index}.csv")
	}
	if j.AllowFailed {
		cmd += " --allow-failed"
	}
	return cmd
}

// ShardList writes shard numbers as sbatch --array wants them: "1,3,5-7".
func ShardList(shards []int) string {
	var parts []string
	for i := 0; i < len(shards); {
		k := i
		for k+1 < len(shards) && shards[k+1] == shards[k]+1 {
			k++
		}
		switch {
		case k == i:
			parts = append(parts, strconv.Itoa(shards[i]))
		case k == i+1:
			parts = append(parts, strconv.Itoa(shards[i]), strconv.Itoa(shards[k]))
		default:
			parts = append(parts, fmt.Sprintf("%d-%d", shards[i], shards[k]))
		}
		i = k + 1
	}
	return strings.Join(parts, ",")
}

// output is the binary's -o: one file per set, or one array per shard.
func (j Job) output() string {
	if j.Format == "npy" {
		return j.OutDir + "/shard-{shard}.npy"
	}
	return j.OutDir + "/{index}." + j.Format
}

// manifestGlob is where the shards' manifests end up (the binary's
// default manifest names for a sharded sweep).
func (j Job) manifestGlob() string {
	if j.Format == "npy" {
		return shellQuote(j.OutDir) + "/shard-*.manifest.csv"
	}
	return shellQuote(j.OutDir) + "/manifest-*.csv"
}

// MergeCommand is the tvboc merge command line that joins the job's shards.
func (j Job) MergeCommand() string {
	cmd := "tvboc merge -o " + shellQuote(j.OutDir+"/manifest.csv")
	if j.Path != "" {
		cmd += " --job " + shellQuote(j.Path)
	}
	if j.Format == "npy" {
		cmd += " --npy " + shellQuote(j.OutDir+"/sweep.npy")
	}
	return cmd + " " + j.manifestGlob()
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+=:,@%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
