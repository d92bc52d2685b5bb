package runtime

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when the test says so.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newFakeClock() *fakeClock               { return &fakeClock{t: time.Unix(1e9, 0)} }
func progressOptions(quiet bool, stderr *bytes.Buffer) Options {
	return Options{Program: "sim", Steps: 1000, Dt: 1e-5, Quiet: quiet, Stderr: stderr}
}

func TestProgressSilentWhenQuietOrShort(t *testing.T) {
	tests := []struct {
		name  string
		quiet bool
		step  time.Duration // clock advance per Update
	}{
		{"quiet long run", true, time.Second},
		{"short run", false, 100 * time.Millisecond}, // 10 updates: 1 s in total
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			clock := newFakeClock()
			p := newProgress(progressOptions(tt.quiet, &stderr), clock.now)
			for done := 100; done <= 1000; done += 100 {
				clock.advance(tt.step)
				p.Update(done)
			}
			p.Done()
			if stderr.Len() != 0 {
				t.Errorf("progress printed %q, want nothing", stderr.String())
			}
		})
	}
}

func TestProgressRedrawsOnTerminal(t *testing.T) {
	var stderr bytes.Buffer
	clock := newFakeClock()
	p := newProgress(progressOptions(false, &stderr), clock.now)
	p.redraw, p.interval = true, terminalInterval // as on a terminal

	clock.advance(1999 * time.Millisecond)
	p.Update(100)
	if stderr.Len() != 0 {
		t.Fatalf("printed before 2 s: %q", stderr.String())
	}
	clock.advance(time.Millisecond) // 2 s: 200 of 1000 steps at 100 steps/s
	p.Update(200)
	want := "\rsim:  20.0% of 1000 steps, 100 steps/s, ETA 8s"
	if stderr.String() != want {
		t.Fatalf("first draw %q, want %q", stderr.String(), want)
	}

	// Updates within half a second of the last draw print nothing.
	clock.advance(400 * time.Millisecond)
	p.Update(240)
	if stderr.String() != want {
		t.Fatalf("redrew within the interval: %q", stderr.String())
	}

	clock.advance(100 * time.Millisecond) // 2.5 s, 1000 of 1000 steps
	p.Update(1000)
	second := "\rsim: 100.0% of 1000 steps, 400 steps/s, ETA 0s"
	// The second line is shorter than the first, so it is padded to
	// cover the first line's tail.
	pad := strings.Repeat(" ", len(want)-len(second))
	if got := stderr.String(); got != want+second+pad {
		t.Fatalf("second draw %q, want %q", got, want+second+pad)
	}

	before := stderr.Len()
	elapsed := p.Done()
	if elapsed != 2500*time.Millisecond {
		t.Errorf("Done() = %v, want 2.5s", elapsed)
	}
	cleared := stderr.String()[before:]
	if wantClear := "\r" + strings.Repeat(" ", len(want)-1) + "\r"; cleared != wantClear {
		t.Errorf("Done() wrote %q, want %q to blank the line", cleared, wantClear)
	}
	// After Done nothing is drawn any more and the time is frozen.
	clock.advance(time.Minute)
	p.Update(1000)
	if p.Done() != elapsed || stderr.Len() != before+len(cleared) {
		t.Errorf("Progress kept running after Done")
	}
}

func TestProgressLinesInLogFile(t *testing.T) {
	var stderr bytes.Buffer // not a terminal: one line per report
	clock := newFakeClock()
	p := newProgress(progressOptions(false, &stderr), clock.now)
	for done := 10; done <= 1000; done += 10 {
		clock.advance(time.Second) // 100 s in total
		p.Update(done)
	}
	p.Done()
	lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
	// At 2 s, then every 30 s: 2, 32, 62, 92.
	if len(lines) != 4 {
		t.Fatalf("got %d lines, want 4:\n%s", len(lines), stderr.String())
	}
	if strings.ContainsRune(stderr.String(), '\r') {
		t.Errorf("log output contains carriage returns: %q", stderr.String())
	}
	if want := "sim:   2.0% of 1000 steps, 10 steps/s, ETA 1m38s"; lines[0] != want {
		t.Errorf("first line %q, want %q", lines[0], want)
	}
}

func TestProgressNilAndZero(t *testing.T) {
	var nilProgress *Progress
	nilProgress.Update(5)
	if got := nilProgress.Done(); got != 0 {
		t.Errorf("nil Done() = %v, want 0", got)
	}
	var zero Progress
	zero.Update(5)
	if got := zero.Done(); got != 0 {
		t.Errorf("zero Done() = %v, want 0", got)
	}
}

func TestProgressLine(t *testing.T) {
	tests := []struct {
		done, total int
		elapsed     time.Duration
		want        string
	}{
		{0, 1000, 0, "p:   0.0% of 1000 steps"},
		{500, 1000, 3 * time.Second, "p:  50.0% of 1000 steps, 167 steps/s, ETA 3s"},
		{16384, 40000000, 2 * time.Second, "p:   0.0% of 40000000 steps, 8.19e+03 steps/s, ETA 1h21m21s"},
		{0, 0, time.Second, "p: 100.0% of 0 steps"},
	}
	for _, tt := range tests {
		if got := progressLine("p", tt.done, tt.total, tt.elapsed); got != tt.want {
			t.Errorf("progressLine(%d, %d, %v) = %q, want %q", tt.done, tt.total, tt.elapsed, got, tt.want)
		}
	}
}
