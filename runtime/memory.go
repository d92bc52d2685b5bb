package runtime

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// MemoryLimit is how much memory a run may plan to use, in bytes: the
// environment variable TVBOC_MEMORY_LIMIT when set (bytes, or a number
// with K, M, G or T), else the smaller of the machine's memory and the
// limit of its control group (a Slurm job's memory), else 16 GB when
// neither can be read. Runs check their large allocations against it
// before making them (CheckMemory), so that a run too large for the
// machine stops at once with a message instead of the Go runtime's
// out-of-memory crash.
func MemoryLimit() float64 {
	if s := os.Getenv("TVBOC_MEMORY_LIMIT"); s != "" {
		if v, err := parseBytes(s); err == nil {
			return v
		}
	}
	limit := math.Inf(1)
	if v, ok := memTotal(); ok {
		limit = v
	}
	for _, path := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if data, err := os.ReadFile(path); err == nil {
			if v, err := strconv.ParseFloat(strings.TrimSpace(string(data)), 64); err == nil && v > 0 {
				limit = math.Min(limit, v)
			}
		}
	}
	if math.IsInf(limit, 1) {
		return 16e9
	}
	return limit
}

// memTotal reads MemTotal from /proc/meminfo (Linux).
func memTotal() (float64, bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.ParseFloat(fields[1], 64)
			return kb * 1024, err == nil
		}
	}
	return 0, false
}

// parseBytes reads "8G", "512M", "1e9".
func parseBytes(s string) (float64, error) {
	s = strings.TrimSpace(strings.ToUpper(s))
	scale := 1.0
	for suffix, m := range map[string]float64{"K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12} {
		if strings.HasSuffix(s, suffix) || strings.HasSuffix(s, suffix+"B") {
			s = strings.TrimSuffix(strings.TrimSuffix(s, "B"), suffix)
			scale = m
			break
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v > 0) {
		return 0, fmt.Errorf("TVBOC_MEMORY_LIMIT %q: want a size such as 8G", s)
	}
	return v * scale, nil
}

// CheckMemory returns an error when an allocation of bytes (what it
// holds, e.g. "the recording (1e11 rows x 2 columns)") would exceed
// MemoryLimit, saying the estimate, the limit and the way out.
func CheckMemory(what string, bytes float64, wayOut string) error {
	limit := MemoryLimit()
	if bytes <= limit {
		return nil
	}
	return fmt.Errorf("%s needs %s of memory, more than the %s this machine allows (TVBOC_MEMORY_LIMIT sets it): %s", what, formatBytes(bytes), formatBytes(limit), wayOut)
}

// formatBytes prints a byte count: "3.2 GB", "512 MB".
func formatBytes(b float64) string {
	switch {
	case math.IsInf(b, 0) || math.IsNaN(b) || b >= 1e18:
		return "more than 1e18 bytes"
	case b >= 1e9:
		return fmt.Sprintf("%.3g GB", b/1e9)
	case b >= 1e6:
		return fmt.Sprintf("%.3g MB", b/1e6)
	case b >= 1e3:
		return fmt.Sprintf("%.3g kB", b/1e3)
	}
	return fmt.Sprintf("%.0f bytes", b)
}

// NetworkSize is what a population network will take in memory once
// built, as the generated program estimates it before drawing anything.
type NetworkSize struct {
	Synapses    int64 // sparse synapses and dense weights (expected count for a probability rule)
	Bytes       int64 // every synapse array and per-cell array
	WeightBytes int   // bytes of one weight: 8 (float64) or 4 (float32)
}

// CheckNetworkMemory refuses a network that would not fit in the memory the
// machine has available, before any synapse is allocated, rather than
// letting the system kill the run (or swap) part way through the build.
// Where the available memory cannot be read it lets the run go ahead.
func CheckNetworkMemory(size NetworkSize) error {
	avail, ok := availableMemory()
	if !ok || size.Bytes <= avail {
		return nil
	}
	hint := "compile it with float32 weights (tvboc compile --weights float32: 4 bytes a weight instead of 8) or simulate fewer cells or targets"
	if size.WeightBytes == 4 {
		hint = "simulate fewer cells or targets"
	}
	return fmt.Errorf("the network does not fit in memory: it needs about %s (%d synapses, %.3g bytes each, and the cells) but only %s is available; %s",
		formatBytes(float64(size.Bytes)), size.Synapses, float64(size.Bytes)/float64(max(size.Synapses, 1)), formatBytes(float64(avail)), hint)
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

// DelaySteps converts a delay of x steps (a tract length / conduction
// speed / dt computed at run time) to whole steps, rounding half to even
// as TVB does. It stops the program (or the set of a sweep) with a message
// when the histories that delay needs would not fit in memory (d+2 slots
// of nodes x slotValues float64 values: every delayed state and pre-value
// twice) or in the kernel's int32 offsets; a huge x (a speed of 1e-300)
// would otherwise wrap around in the conversion to int.
func DelaySteps(x float64, nodes, slotValues int) int {
	d := math.RoundToEven(x)
	if !(d*float64(nodes) <= math.MaxInt32) {
		Fatal(fmt.Errorf("a delay of %.4g steps (tract length / conduction_speed / dt) is more than the %d history offsets the kernel can index: use a larger conduction_speed or a larger step", d, math.MaxInt32))
	}
	if err := CheckMemory(fmt.Sprintf("a delay of %.4g steps (tract length / conduction_speed / dt) has a history that", d), (d+2)*float64(nodes)*float64(max(slotValues, 1))*8, "use a larger conduction_speed or a larger step"); err != nil {
		Fatal(err)
	}
	return int(d)
}

// checkDiskRoom refuses, before the run, results that cannot fit in the
// free space of the file system -o is on: a run of 1e11 steps would
// otherwise simulate for hours and then fail to write (and, writing all
// or nothing, leave nothing). The estimate is a floor: 8 bytes a value in
// .npy, and 4 in text, where most values take 18 to 25 ("0.5," is 4), so
// only a run that surely cannot fit is refused. The file it replaces
// counts as free. Devices, pipes and standard output are not checked.
func checkDiskRoom(opts Options) error {
	if opts.Out == Stdout || len(opts.Selected) == 0 {
		return nil
	}
	need, cols := resultsFloor(opts)
	if room, short := roomFor(opts.Out, need, true); short {
		return fmt.Errorf("%s would take at least %s (%d rows x %d columns) and its file system has %s free: record fewer columns (--record v), simulate a shorter duration, or write where there is room",
			opts.Out, formatBytes(need), opts.Steps+1, cols, formatBytes(room))
	}
	return nil
}

// roomFor is the room the file system of out has for need bytes, and
// whether it is short of them. A device or a pipe is never short (it is
// written into), nor is a file system whose free space is unknown; the
// file out replaces counts as free when replaced is set.
func roomFor(out string, need float64, replaced bool) (room float64, short bool) {
	dest := OutputDest(out)
	if fi, err := os.Stat(dest); err == nil {
		if !fi.Mode().IsRegular() {
			return 0, false
		}
		if replaced {
			room = float64(fi.Size())
		}
	}
	free, ok := freeSpace(filepath.Dir(dest))
	room += free
	return room, ok && need > room
}

// resultsFloor is the fewest bytes one run's results take (checkDiskRoom),
// and their number of columns.
func resultsFloor(opts Options) (need float64, cols int) {
	perValue := 4.0
	if opts.Format == FormatNPY {
		perValue = 8
	}
	cols = 1 + len(opts.Selected)
	return float64(opts.Steps+1) * float64(cols) * perValue, cols
}

// checkSweepDiskRoom is checkDiskRoom for the sets of a sweep, which
// write into one directory (or one array) and checked one set's room
// only: 20,000 sets of 1.6 MB set out to fill a disk with 8 GB free. The
// estimate is the same floor, times the sets this run writes; files they
// replace are not counted as free.
func (p *sweepPlan) checkSweepDiskRoom() error {
	if len(p.opts.Selected) == 0 || len(p.sets) == 0 {
		return nil
	}
	first := p.npyPath
	if first == "" {
		first = p.outputPath(p.start)
	}
	perSet, _ := resultsFloor(p.opts)
	need := perSet * float64(len(p.sets))
	if room, short := roomFor(first, need, false); short {
		return fmt.Errorf("the sweep's %d sets would take at least %s (%s each) and the file system of %s has %s free: run fewer sets at a time (--shard), record fewer columns (--record v), or write where there is room",
			len(p.sets), formatBytes(need), formatBytes(perSet), filepath.Dir(OutputDest(first)), formatBytes(room))
	}
	return nil
}
