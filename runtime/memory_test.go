package runtime

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseBytes(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"8G", 8e9, true}, {"512M", 512e6, true}, {"1e9", 1e9, true}, {"2TB", 2e12, true}, {"64k", 64e3, true},
		{"", 0, false}, {"-1G", 0, false}, {"lots", 0, false},
	}
	for _, tt := range tests {
		got, err := parseBytes(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseBytes(%q) = %g, %v; want %g, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// TestRecordingTooLarge: a recording that cannot fit is refused before
// the run, with the estimate, the limit and the way out.
func TestRecordingTooLarge(t *testing.T) {
	t.Setenv("TVBOC_MEMORY_LIMIT", "1G")
	if got := MemoryLimit(); got != 1e9 {
		t.Fatalf("MemoryLimit() = %g with TVBOC_MEMORY_LIMIT=1G", got)
	}
	info := testInfo()
	info.Steps = 1e11
	_, err := ParseArgs(info, "sim", nil)
	for _, want := range []string{"the recording (100000000001 rows x", "x 4 columns) needs 3.2e+03 GB", "more than the 1 GB", "TVBOC_MEMORY_LIMIT", "record fewer columns"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseArgs with 1e11 steps: error %v, want it to contain %q", err, want)
		}
	}
	// a node-list run streamed to a file holds no recording; to stdout
	// it holds one (320 MB here: over the limit, and room on any disk)
	t.Setenv("TVBOC_MEMORY_LIMIT", "100M")
	info.Steps = 1e7
	info.Streams = true
	if _, err := ParseArgs(info, "sim", []string{"-o", filepath.Join(t.TempDir(), "x.npy")}); err != nil {
		t.Errorf("a recording streamed to a file is refused: %v", err)
	}
	if _, err := ParseArgs(info, "sim", []string{"-o", "-"}); err == nil || !strings.Contains(err.Error(), "or write to a file (-o out.npy)") {
		t.Errorf("a recording kept whole for stdout: error %v, want a refusal that names the way out", err)
	}
	info.Streams = false
	info.Spikes, info.Network = true, true
	if _, err := ParseArgs(info, "sim", []string{"--record", "none"}); err != nil {
		t.Errorf("spikes only records no trace, so it fits: %v", err)
	}
	info.Steps = 1000
	if _, err := ParseArgs(info, "sim", nil); err != nil {
		t.Errorf("a small recording is refused: %v", err)
	}
}

// TestMemoryLimitEnvironment: a TVBOC_MEMORY_LIMIT that is no size is
// refused, not ignored.
func TestMemoryLimitEnvironment(t *testing.T) {
	for _, bad := range []string{"garbage", "-5", "0"} {
		t.Setenv("TVBOC_MEMORY_LIMIT", bad)
		if _, err := ParseArgs(testInfo(), "sim", nil); err == nil || !strings.Contains(err.Error(), "TVBOC_MEMORY_LIMIT="+bad+": want a size") {
			t.Errorf("TVBOC_MEMORY_LIMIT=%s: error %v", bad, err)
		}
	}
}

// TestDiskRoom: results that cannot fit in the free space of -o's file
// system are refused before the run, with the floor of the estimate, the
// room there is and the way out; standard output and devices are not
// checked.
func TestDiskRoom(t *testing.T) {
	info := testInfo()
	info.Steps = 1e13 // 3 columns: 240 TB as .npy, at least 120 TB as text
	info.Streams = true
	dir := t.TempDir()
	for _, name := range []string{"x.npy", "x.csv"} {
		_, err := ParseArgs(info, "sim", []string{"-o", filepath.Join(dir, name)})
		for _, want := range []string{name + " would take at least", "(10000000000001 rows x 3 columns)", "GB free", "record fewer columns"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %v, want it to contain %q", name, err, want)
			}
		}
	}
	for _, out := range []string{os.DevNull, Stdout} {
		if err := checkDiskRoom(Options{Out: out, Steps: 1e13, Selected: []int{0, 1}}); err != nil {
			t.Errorf("%s is refused: %v", out, err)
		}
	}
	info.Steps = 1000
	if _, err := ParseArgs(info, "sim", []string{"-o", filepath.Join(dir, "x.csv")}); err != nil {
		t.Errorf("a small run is refused: %v", err)
	}
}

// TestSweepDiskRoom: a sweep checks the room for all the sets it writes,
// not one set's (20,000 sets of 1.6 MB set out to fill a disk with 8 GB
// free): sets that each fit but together do not are refused before the
// first runs, with the estimate and the way out; sets that fit together
// run.
func TestSweepDiskRoom(t *testing.T) {
	dir := t.TempDir()
	free, ok := freeSpace(dir)
	if !ok {
		t.Skip("the free space of the test directory is unknown here")
	}
	// one set a tenth of the free space (.npy: 8 bytes a value, 3 columns)
	steps := int(free / 10 / 24)
	plan := func(sets int) *sweepPlan {
		return &sweepPlan{opts: Options{Steps: steps, Selected: []int{0, 1}, Format: FormatNPY},
			sets: make([]SweepSet, sets), pattern: filepath.Join(dir, "{index}.npy")}
	}
	err := plan(20).checkSweepDiskRoom()
	for _, want := range []string{"the sweep's 20 sets would take at least", "free: run fewer sets at a time (--shard)"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("20 sets of a tenth of the free space: %v, want %q", err, want)
		}
	}
	if err := plan(5).checkSweepDiskRoom(); err != nil {
		t.Errorf("5 sets of a tenth of the free space: %v", err)
	}
	one := plan(20)
	one.pattern, one.npyPath = "", filepath.Join(dir, "all.npy") // one array of every set
	if err := one.checkSweepDiskRoom(); err == nil {
		t.Error("one array of 20 sets of a tenth of the free space fits")
	}
}
