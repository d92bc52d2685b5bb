package runtime

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
)

// interrupts is what a generated program does when SIGINT or SIGTERM
// arrives (Ctrl-C, scancel, Slurm's warning before a time limit): remove
// every temporary file it has open, let a sweep write its manifest, and
// exit 128 + the signal's number. The kernels never look at it; the step
// loop stays free of checks, and os.Exit ends the goroutines still running.
var interrupts struct {
	mu      sync.Mutex
	temps   map[string]bool // temp files that exist now
	stopped bool            // a signal came: no temp file may become a result
	// hook, when set, runs after the temp files are gone and before the
	// exit (a sweep writes its manifest); it returns the line to print.
	hook func(sig os.Signal) string
}

// openTracked creates the temp file name and records it, to be removed if
// a signal comes. Both happen under the lock the signal handler takes, so
// a temp file is either seen and removed by the handler or never created.
func openTracked(name string) (*os.File, error) {
	interrupts.mu.Lock()
	defer interrupts.mu.Unlock()
	if interrupts.stopped {
		return nil, errInterrupted
	}
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return nil, err
	}
	if interrupts.temps == nil {
		interrupts.temps = map[string]bool{}
	}
	interrupts.temps[name] = true
	return f, nil
}

// untrackTemp forgets a temp file that was removed.
func untrackTemp(name string) {
	interrupts.mu.Lock()
	defer interrupts.mu.Unlock()
	delete(interrupts.temps, name)
}

// errInterrupted is the error of a write that a signal stopped.
var errInterrupted = errors.New("interrupted")

// awaitInterrupt does not return when err is a signal's doing
// (errInterrupted): the signal's handler is removing the temporary files
// and exits with its own line and status (130 or 143), which an error
// line and status 1 from this goroutine would otherwise race (a signal
// during the check of -o or the opening of the output).
func awaitInterrupt(err error) {
	if errors.Is(err, errInterrupted) {
		select {}
	}
}

// commitTemp renames the temp file to path, unless a signal has come (then
// the temp file is already gone): a result appears whole or not at all,
// and never after the program began to stop.
func commitTemp(temp, path string) error {
	return settleTemp(temp, func() error { return os.Rename(temp, path) })
}

// copyTempInto is commitTemp for a device or a pipe (Stream): the
// temporary file's bytes are written into path, which stays what it is,
// and the temporary file is removed; not after a signal either.
func copyTempInto(temp, path string) error {
	return settleTemp(temp, func() error {
		dst, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		err = copyFile(temp, dst)
		if cerr := dst.Close(); err == nil {
			err = cerr
		}
		return err
	})
}

// copyTempTo is copyTempInto for standard output (or w).
func copyTempTo(temp string, w io.Writer) error {
	return settleTemp(temp, func() error { return copyFile(temp, w) })
}

// settleTemp puts a finished temp file where it goes (settle), holding
// off signals meanwhile, unless one has come already.
func settleTemp(temp string, settle func() error) error {
	interrupts.mu.Lock()
	defer interrupts.mu.Unlock()
	if interrupts.stopped {
		return errInterrupted
	}
	delete(interrupts.temps, temp)
	return settle()
}

// copyFile writes the bytes of the temporary file src to w. src is
// removed first (its bytes stay readable while it is open): a program
// killed while it copies, as by SIGPIPE when a reader of its standard
// output stops early (`| head`), leaves nothing behind.
func copyFile(src string, w io.Writer) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	os.Remove(src)
	_, err = io.Copy(w, f)
	return err
}

// writeAfterInterrupt writes path through a temp file and a rename like
// writeFileAtomic, but also after a signal: the one file a stopping
// program still writes is the manifest of its sweep.
func writeAfterInterrupt(path string, write func(io.Writer) error) error {
	var temp *os.File
	var err error
	for range 100 { // as createTemp, untracked and whatever the signal
		name := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp"+strconv.FormatUint(rand.Uint64()%1e9, 10))
		if temp, err = os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666); !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, unwrapPathError(err))
	}
	err = write(temp)
	if cerr := temp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(temp.Name(), path)
	}
	if err != nil {
		os.Remove(temp.Name())
		return fmt.Errorf("writing %s: %w", path, unwrapPathError(err))
	}
	return nil
}

// setInterruptHook sets (or, with nil, clears) what runs on a signal
// before the exit.
func setInterruptHook(hook func(sig os.Signal) string) {
	interrupts.mu.Lock()
	defer interrupts.mu.Unlock()
	interrupts.hook = hook
}

// catchInterrupts makes SIGINT and SIGTERM stop the program cleanly; a
// generated program calls it (through ParseFlags or RunWithParams) before
// it creates any file.
func catchInterrupts(program string, stderr io.Writer) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-signals
		os.Exit(stopOnSignal(program, stderr, sig))
	}()
}

// stopOnSignal removes the temp files, runs the hook and returns the exit
// status for sig.
func stopOnSignal(program string, stderr io.Writer, sig os.Signal) int {
	interrupts.mu.Lock()
	interrupts.stopped = true
	for name := range interrupts.temps {
		os.Remove(name)
	}
	clear(interrupts.temps)
	hook := interrupts.hook
	interrupts.mu.Unlock()
	what := "no results written"
	if hook != nil {
		what = hook(sig)
	}
	fmt.Fprintf(stderr, "%s: interrupted by %s: %s\n", program, signalName(sig), what)
	return ExitInterrupted + signalNumber(sig)
}

// signalName is SIGINT or SIGTERM, as Slurm and shells name them.
func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return sig.String()
}

func signalNumber(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return int(s)
	}
	return 0
}
