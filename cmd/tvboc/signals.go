package main

import (
	"errors"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// forwardSignals passes SIGINT and SIGTERM that tvboc receives on to the
// started cmd, so that the simulation binary stops cleanly (its temp files
// removed, a sweep's manifest written) and tvboc reports its exit status
// instead of dying first. stop ends the forwarding.
func forwardSignals(cmd *exec.Cmd) (stop func()) {
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-signals:
				cmd.Process.Signal(sig)
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(signals)
		close(done)
	}
}

// childExitCode is the exit status to pass on for a finished child: its
// own, or 128 + the signal that killed it, as a shell reports it.
func childExitCode(err error) (int, bool) {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return 0, false
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal()), true
	}
	return ee.ExitCode(), true
}
