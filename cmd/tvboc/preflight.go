package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"

	"github.com/tvboc/tvboc/sweep"
)

// preflight checks what tvboc slurm can check before anything is built or
// submitted: that the results and logs can be written (a task that cannot
// open its log fails at launch, without a word), and, where sinfo is on
// PATH, that the partition exists and a node has the CPUs a task asks for.
// It returns one line per problem, each with its fix; when sinfo fails
// (the controller is down, or this is not the cluster the script is for)
// it says so on warn and checks no further.
func preflight(job sweep.Job, warn io.Writer) []string {
	var problems []string
	if err := probeWrite(job.OutDir); err != nil {
		problems = append(problems, fmt.Sprintf("cannot write to the output directory %s (results and task logs go there): %v: choose another with --out-dir, or make it writable", job.OutDir, err))
	}
	sinfo, err := exec.LookPath("sinfo")
	if err != nil {
		return problems // not on a Slurm login node: the script is for elsewhere
	}
	partitions, err := sinfoLines(sinfo, "-h", "-o", "%P")
	if err != nil {
		fmt.Fprintf(warn, "tvboc: warning: sinfo failed (%v): the partition and --cpus are not checked\n", err)
		return problems
	}
	partition := job.Partition
	var names []string
	for _, p := range partitions {
		name := strings.TrimSuffix(p, "*")
		names = append(names, name)
		if partition == "" && strings.HasSuffix(p, "*") {
			partition = name // the default
		}
	}
	switch {
	case job.Partition != "" && !slices.Contains(names, job.Partition):
		return append(problems, fmt.Sprintf("partition %q does not exist (sinfo lists %s): choose one with --partition", job.Partition, strings.Join(names, ", ")))
	case partition == "":
		return append(problems, fmt.Sprintf("the cluster has no default partition (sinfo lists %s): choose one with --partition", strings.Join(names, ", ")))
	}
	cpus, err := sinfoLines(sinfo, "-h", "-N", "-p", partition, "-o", "%c")
	if err != nil {
		fmt.Fprintf(warn, "tvboc: warning: sinfo failed (%v): --cpus is not checked\n", err)
		return problems
	}
	most := 0
	for _, c := range cpus {
		if n, err := strconv.Atoi(strings.TrimSuffix(c, "+")); err == nil {
			most = max(most, n)
		}
	}
	if most > 0 && job.CPUs > most {
		problems = append(problems, fmt.Sprintf("--cpus %d does not fit a node of partition %s (the largest has %d CPUs): use --cpus %d or fewer", job.CPUs, partition, most, most))
	}
	return problems
}

// probeWrite creates and removes a file in dir: permission bits alone do
// not tell (ACLs, read-only mounts, root squash).
func probeWrite(dir string) error {
	f, err := os.CreateTemp(dir, ".tvboc-probe-*")
	if err != nil {
		if pe, ok := err.(*os.PathError); ok {
			return pe.Err
		}
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}

// sinfoLines runs sinfo and returns its non-empty output lines.
func sinfoLines(sinfo string, args ...string) ([]string, error) {
	var out, errOut bytes.Buffer
	cmd := exec.Command(sinfo, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		// sinfo's last line says why (its "fatal:" line); one line is enough.
		if msg := strings.TrimSpace(errOut.String()); msg != "" {
			return nil, fmt.Errorf("%v: %s", err, msg[strings.LastIndex(msg, "\n")+1:])
		}
		return nil, err
	}
	var lines []string
	for line := range strings.Lines(out.String()) {
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	return lines, nil
}
