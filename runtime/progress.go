package runtime

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Progress timing. A run that ends within progressDelay prints nothing, so
// short runs stay quiet; longer runs redraw a terminal line at most every
// terminalInterval, or append a line to a log file (batch jobs) every
// logInterval so the log shows the run is alive without growing fast.
const (
	progressDelay    = 2 * time.Second
	terminalInterval = 500 * time.Millisecond
	logInterval      = 30 * time.Second
)

// Progress reports how far the step loop is, on stderr. The zero value and
// a nil *Progress are valid and silent.
type Progress struct {
	out      io.Writer
	program  string
	total    int
	disabled bool
	building bool          // the network's construction, not the step loop
	setUp    time.Duration // before BeginSteps: allocating and filling the state

	now      func() time.Time // the clock; tests replace it
	start    time.Time
	end      time.Time // when Done was first called
	nextDraw time.Time // no drawing before this

	// redraw is true on a terminal: one line redrawn in place with a
	// carriage return. Otherwise every report is its own line.
	redraw   bool
	interval time.Duration
	drawn    bool
	lastLen  int // length of the line on screen, to blank out its tail
}

// NewProgress starts the wall clock of the simulation and returns the
// progress reporter for opts.Steps steps. With opts.Quiet it never prints.
func NewProgress(opts Options) *Progress {
	return newProgress(opts, time.Now)
}

func newProgress(opts Options, now func() time.Time) *Progress {
	out := opts.stderr()
	p := &Progress{
		out:      out,
		program:  opts.Program,
		total:    progressTotal(opts),
		disabled: opts.Quiet,
		now:      now,
		redraw:   isTerminal(out),
		interval: logInterval,
	}
	if p.redraw {
		p.interval = terminalInterval
	}
	p.start = now()
	p.nextDraw = p.start.Add(progressDelay)
	return p
}

// Update reports that stepsDone of the steps are done. The kernel calls it
// between chunks; when it is not yet time to draw, it costs one clock read.
func (p *Progress) Update(stepsDone int) {
	if p == nil || p.disabled || p.now == nil || !p.end.IsZero() {
		return
	}
	now := p.now()
	if now.Before(p.nextDraw) {
		return
	}
	p.nextDraw = now.Add(p.interval)
	p.draw(stepsDone, now.Sub(p.start))
}

func (p *Progress) draw(done int, elapsed time.Duration) {
	line := progressLine(p.program, done, p.total, elapsed)
	if p.building {
		line = buildLine(p.program, done, p.total, elapsed)
	}
	if !p.redraw {
		fmt.Fprintln(p.out, line)
		return
	}
	// Pad with spaces so a shorter line fully covers the previous one.
	pad := max(0, p.lastLen-len(line))
	fmt.Fprintf(p.out, "\r%s%s", line, strings.Repeat(" ", pad))
	p.lastLen = len(line)
	p.drawn = true
}

// progressLine formats one report: percent done, the average speed so far
// and the time left at that speed.
func progressLine(program string, done, total int, elapsed time.Duration) string {
	percent := 100.0
	if total > 0 {
		percent = 100 * float64(done) / float64(total)
	}
	line := fmt.Sprintf("%s: %5.1f%% of %d steps", program, percent, total)
	if seconds := elapsed.Seconds(); seconds > 0 && done > 0 {
		rate := float64(done) / seconds
		eta := time.Duration(float64(total-done) / rate * float64(time.Second))
		// Whole seconds: the estimate is not better than that.
		line += fmt.Sprintf(", %.3g steps/s, ETA %v", rate, eta.Round(time.Second))
	}
	return line
}

// buildLine formats one report of the network's construction.
func buildLine(program string, done, total int, elapsed time.Duration) string {
	percent := 100.0
	if total > 0 {
		percent = 100 * float64(done) / float64(total)
	}
	line := fmt.Sprintf("%s: building the network, %5.1f%%", program, percent)
	if seconds := elapsed.Seconds(); seconds > 0 && done > 0 {
		eta := time.Duration(float64(total-done) / (float64(done) / seconds) * float64(time.Second))
		line += fmt.Sprintf(", ETA %v", eta.Round(time.Second))
	}
	return line
}

// BeginSteps says the set-up before the first step is done (a whole-brain
// program's histories allocated and filled, its workers about to start):
// the clock restarts, so the summary's wall time and steps/s are the step
// loop's, with the set-up reported apart, as TVB's timing keeps its
// configure() apart from its run.
func (p *Progress) BeginSteps() {
	if p == nil || p.now == nil || !p.end.IsZero() {
		return
	}
	now := p.now()
	p.setUp += now.Sub(p.start)
	p.start = now
	p.nextDraw = now.Add(progressDelay)
}

// SetUp is the time BeginSteps took off the step loop's clock (0 without it).
func (p *Progress) SetUp() time.Duration {
	if p == nil {
		return 0
	}
	return p.setUp
}

// Done stops the clock, erases the progress line if one is on screen, and
// returns the wall time since NewProgress. Later calls return the same time.
func (p *Progress) Done() time.Duration {
	if p == nil || p.now == nil {
		return 0
	}
	if p.end.IsZero() {
		p.end = p.now()
		if p.drawn {
			fmt.Fprintf(p.out, "\r%s\r", strings.Repeat(" ", p.lastLen))
			p.drawn = false
		}
	}
	return p.end.Sub(p.start)
}

// isTerminal reports whether w is a terminal (a character device), where a
// carriage return redraws a line instead of cluttering a log file.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// progressTotal is the count the kernel's Update calls reach: its
// integration steps (Options.Integration), or its rows' when they are one
// a step.
func progressTotal(opts Options) int {
	steps, _ := opts.stepsRun()
	return steps
}
