package runtime

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// NetworkSize is what a population network will take in memory once
// built, as the generated program estimates it before drawing anything.
type NetworkSize struct {
	Synapses    int64 // sparse synapses and dense weights (expected count for a probability rule)
	Bytes       int64 // every synapse array and per-cell array
	WeightBytes int   // bytes of one weight: 8 (float64) or 4 (float32)
}

// CheckMemory refuses a network that would not fit in the memory the
// machine has available, before any synapse is allocated, rather than
// letting the system kill the run (or swap) part way through the build.
// Where the available memory cannot be read it lets the run go ahead.
func CheckMemory(size NetworkSize) error {
	avail, ok := availableMemory()
	if !ok || size.Bytes <= avail {
		return nil
	}
	hint := "compile it with float32 weights (tvboc compile --weights float32: 4 bytes a weight instead of 8) or simulate fewer cells or targets"
	if size.WeightBytes == 4 {
		hint = "simulate fewer cells or targets"
	}
	return fmt.Errorf("the network does not fit in memory: it needs about %s (%d synapses, %.3g bytes each, and the cells) but only %s is available; %s",
		formatBytes(size.Bytes), size.Synapses, float64(size.Bytes)/float64(max(size.Synapses, 1)), formatBytes(avail), hint)
}

// availableMemory is the memory a new allocation can take without
// swapping: the kernel's MemAvailable, or less when a cgroup (a container,
// a Slurm job) allows less.
func availableMemory() (int64, bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	var avail int64 = -1
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err == nil {
				avail = kb * 1024
			}
		}
	}
	if avail < 0 {
		return 0, false
	}
	if limit, ok := readInt("/sys/fs/cgroup/memory.max"); ok {
		if used, ok := readInt("/sys/fs/cgroup/memory.current"); ok && limit-used < avail {
			avail = max(limit-used, 0)
		}
	}
	return avail, true
}

// readInt reads a file holding one integer ("max" and the like are not).
func readInt(path string) (int64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return n, err == nil
}

// formatBytes prints a size in decimal units: 1.2 GB, 340 MB.
func formatBytes(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.3g GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.3g MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.3g kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}
