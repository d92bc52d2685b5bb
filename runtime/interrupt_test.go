package runtime

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// resetInterrupts undoes a test's stopOnSignal, so that the other tests of
// the process can write files again.
func resetInterrupts() {
	interrupts.mu.Lock()
	defer interrupts.mu.Unlock()
	interrupts.stopped, interrupts.hook = false, nil
	clear(interrupts.temps)
}

// TestStopOnSignal: the handler removes the temp files that exist, runs
// the hook, prints one line and returns 128 + the signal; afterwards no
// temp file can be created or renamed into place, except the forced one
// (the manifest).
func TestStopOnSignal(t *testing.T) {
	defer resetInterrupts()
	dir := t.TempDir()
	temp, err := createTemp(dir, "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	temp.Close()
	setInterruptHook(func(sig os.Signal) string { return "hook ran for " + signalName(sig) })
	var stderr bytes.Buffer
	if code := stopOnSignal("sim", &stderr, syscall.SIGINT); code != 130 {
		t.Errorf("exit status %d, want 130", code)
	}
	if got, want := stderr.String(), "sim: interrupted by SIGINT: hook ran for SIGINT\n"; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
	if _, err := os.Stat(temp.Name()); err == nil {
		t.Errorf("%s survived the signal", temp.Name())
	}
	if err := writeFileAtomic(filepath.Join(dir, "y.csv"), func(io.Writer) error { return nil }); !errors.Is(err, errInterrupted) {
		t.Errorf("a write after the signal: %v, want it refused", err)
	}
	if err := writeManifestFileForce(filepath.Join(dir, "manifest.csv"), Manifest{}); err != nil {
		t.Errorf("the forced manifest write: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "manifest.csv" {
		t.Errorf("left %v, want only manifest.csv", entries)
	}
}

// TestInterruptedManifest: the manifest of an interrupted sweep keeps the
// finished sets, marks the running ones interrupted and leaves out the
// rest; in .npy mode, whose array is never written, finished sets are
// interrupted too.
func TestInterruptedManifest(t *testing.T) {
	dir := t.TempDir()
	sweepFile := writeFile(t, filepath.Join(dir, "s.csv"), "cell.tau\n10\n20\n30\n")
	for _, tt := range []struct {
		out    string
		status []string
	}{
		{"{index}.csv", []string{StatusOK, StatusInterrupted}},
		{"all.npy", []string{StatusInterrupted, StatusInterrupted}},
	} {
		e := environment{program: "leaky", getenv: func(string) string { return "" }, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
		opts, err := ParseArgs(leakyInfo, "leaky", []string{"-o", filepath.Join(dir, tt.out)})
		if err != nil {
			t.Fatal(err)
		}
		p, err := e.plan(leakyInfo, leakyParams, kernel{simulate: leakySimulate}, opts, sweepFlags{sweep: sweepFile}, defaultValues(leakyParams))
		if err != nil {
			t.Fatal(err)
		}
		progress := newSweepProgress(3)
		entries := make([]ManifestEntry, 3)
		progress.start(0)
		progress.finish(0, func() { entries[0] = p.runSet(p.sets[0], 0, nil) })
		progress.start(1)
		progress.started[1] = time.Now().Add(-2 * time.Second)
		what := p.interrupted(e, progress, entries, strings.HasSuffix(tt.out, ".npy"), syscall.SIGTERM)
		if want := "1 sets finished, 1 interrupted, 1 not started; manifest " + p.manifest; what != want {
			t.Errorf("%s: %q, want %q", tt.out, what, want)
		}
		rows := readManifest(t, p.manifest)
		var status []string
		for _, r := range rows[1:] {
			status = append(status, r[4]) // index, three parameters, status
		}
		if diff := cmp.Diff(tt.status, status); diff != "" {
			t.Errorf("%s: statuses (-want +got):\n%s", tt.out, diff)
		}
		if last := rows[len(rows)-1]; !strings.HasPrefix(last[len(last)-1], "interrupted by SIGTERM") {
			t.Errorf("%s: error of the running set %q", tt.out, last[len(last)-1])
		}
		if progress.start(2) {
			t.Errorf("%s: a set started after the interrupt", tt.out)
		}
	}
}

// TestAwaitInterrupt: an error a signal caused (a temporary file refused
// after it, wrapped in the message of the output it was for) leaves the
// exit to the signal's handler, which reports the signal; any other error
// is reported as it is.
func TestAwaitInterrupt(t *testing.T) {
	awaitInterrupt(errors.New("cannot write x.csv: permission denied")) // returns
	returned := make(chan struct{})
	go func() {
		awaitInterrupt(fmt.Errorf("cannot write x.csv: %w", errInterrupted))
		close(returned)
	}()
	select {
	case <-returned:
		t.Fatal("awaitInterrupt returned on an error of the signal's")
	case <-time.After(50 * time.Millisecond):
	}
}
