//go:build unix

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startBinary starts a compiled binary with its stderr captured.
func startBinary(t *testing.T, bin string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	mustDo(t, cmd.Start())
	return cmd, &stderr
}

// waitFor polls until ok or the deadline; it is not a timing assertion,
// only a bound on how long a broken program can hang the test.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("gave up waiting for %s", what)
}

func exitCode(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0
}

// hidden lists the temp files left in dir.
func hidden(dir string) []string {
	names, _ := filepath.Glob(filepath.Join(dir, ".*.tmp*"))
	return names
}

// TestInterrupt sends SIGTERM and SIGINT to a single run while it writes
// its results, and to a sweep while its sets run: the exit status says
// interrupted (143, 130), no temp file is left, and the sweep's manifest
// lists the sets that finished, marks the running one interrupted and
// leaves the rest out, so that tvboc merge names the shard to run again.
func TestInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	dir := t.TempDir()
	seed, err := os.ReadFile(seedExperiment)
	mustDo(t, err)
	// 4 s of simulated time: a run whose result takes a while to write.
	long := strings.Replace(string(seed), "duration: 200.0", "duration: 4000.0", 1)
	if long == string(seed) {
		t.Fatal("the seed's duration line changed; update this test")
	}
	longYAML := filepath.Join(dir, "long.yaml")
	mustDo(t, os.WriteFile(longYAML, []byte(long), 0o644))
	cache := filepath.Join(dir, "cache")
	longBin := filepath.Join(dir, "long")
	runTvboc(t, "compile", "-q", "--cache-dir", cache, longYAML, "-o", longBin)

	for _, tt := range []struct {
		sig  syscall.Signal
		code int
		name string
	}{{syscall.SIGTERM, 143, "SIGTERM"}, {syscall.SIGINT, 130, "SIGINT"}} {
		out := filepath.Join(dir, "single-"+tt.name)
		mustDo(t, os.Mkdir(out, 0o755))
		cmd, stderr := startBinary(t, longBin, "--quiet", "-o", filepath.Join(out, "x.csv"))
		waitFor(t, "the temp file of the result", func() bool { return len(hidden(out)) > 0 })
		mustDo(t, cmd.Process.Signal(tt.sig))
		if code := exitCode(t, cmd); code != tt.code {
			t.Errorf("single run, %s: exit %d, want %d\n%s", tt.name, code, tt.code, stderr)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 0 {
			t.Errorf("single run, %s: left %v", tt.name, entries)
		}
		if want := "long: interrupted by " + tt.name + ": no results written\n"; stderr.String() != want {
			t.Errorf("single run, %s: stderr %q, want %q", tt.name, stderr, want)
		}
	}

	// A sweep, one set at a time, stopped after its second set.
	bin := filepath.Join(dir, "ex2")
	runTvboc(t, "compile", "-q", "--cache-dir", cache, "--free", "izBurst.a,izBurst.d", seedExperiment, "-o", bin)
	var rows strings.Builder
	rows.WriteString("izBurst.a,izBurst.d\n")
	for i := range 400 {
		rows.WriteString("0.02," + []string{"2", "4", "6", "8"}[i%4] + "\n")
	}
	sweepFile := filepath.Join(dir, "sweep.csv")
	mustDo(t, os.WriteFile(sweepFile, []byte(rows.String()), 0o644))
	out := filepath.Join(dir, "sweep")
	mustDo(t, os.Mkdir(out, 0o755))
	cmd, stderr := startBinary(t, bin, "--sweep", sweepFile, "--shard", "1/2", "--jobs", "1", "--quiet", "-o", filepath.Join(out, "{index}.csv"))
	waitFor(t, "two sets", func() bool {
		_, err := os.Stat(filepath.Join(out, "201.csv"))
		return err == nil
	})
	mustDo(t, cmd.Process.Signal(syscall.SIGTERM))
	if code := exitCode(t, cmd); code != 143 {
		t.Fatalf("sweep: exit %d, want 143\n%s", code, stderr)
	}
	if left := hidden(out); len(left) > 0 {
		t.Errorf("sweep left temp files %v", left)
	}
	if !strings.Contains(stderr.String(), "ex2: interrupted by SIGTERM: ") || !strings.Contains(stderr.String(), "manifest "+filepath.Join(out, "manifest-1.csv")) {
		t.Errorf("sweep stderr: %s", stderr)
	}
	manifest := manifestRows(t, filepath.Join(out, "manifest-1.csv"))
	status := 0
	for i, name := range manifest[0] {
		if name == "status" {
			status = i
		}
	}
	ok, interrupted := 0, 0
	for i, r := range manifest[1:] {
		if r[0] != strconv.Itoa(200+i) {
			t.Fatalf("manifest row %d is set %s, want %d: finished sets in order, the rest left out", i, r[0], 200+i)
		}
		switch r[status] {
		case "ok":
			if interrupted > 0 {
				t.Errorf("set %s ok after an interrupted one (one job)", r[0])
			}
			ok++
			if _, err := os.Stat(filepath.Join(out, r[0]+".csv")); err != nil {
				t.Errorf("set %s is ok but: %v", r[0], err)
			}
		case "interrupted":
			interrupted++
		default:
			t.Errorf("set %s: status %s", r[0], r[status])
		}
	}
	if ok < 2 || interrupted > 1 || ok+interrupted >= 200 {
		t.Errorf("manifest: %d ok, %d interrupted of 200 sets", ok, interrupted)
	}
	var merr bytes.Buffer
	if code := run([]string{"merge", "-o", filepath.Join(out, "m.csv"), filepath.Join(out, "manifest-1.csv")}, &bytes.Buffer{}, &merr); code != 1 ||
		!strings.Contains(merr.String(), "interrupted: shards 0,1 of 2 did not finish") {
		t.Errorf("merge after the interrupt: exit %d\n%s", code, merr.String())
	}
}

// TestRunForwardsSignals: a SIGTERM that tvboc run receives goes to the
// simulation, and tvboc exits with the status the simulation's end gives
// (here a child without a handler: killed, 128 + 15).
func TestRunForwardsSignals(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep command")
	}
	cmd := exec.Command(sleep, "60")
	mustDo(t, cmd.Start())
	stop := forwardSignals(cmd)
	mustDo(t, syscall.Kill(os.Getpid(), syscall.SIGTERM))
	err = cmd.Wait()
	stop()
	if code, ok := childExitCode(err); !ok || code != 143 {
		t.Errorf("child after SIGTERM: %v, exit %d, want 143", err, code)
	}
}
