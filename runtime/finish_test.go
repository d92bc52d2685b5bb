package runtime

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"codeberg.org/sbinet/npyio"
)

func TestFinishWritesEachFormat(t *testing.T) {
	tests := []struct {
		file   string
		record string
		check  func(t *testing.T, data []byte)
	}{
		{"r.csv", RecordDefault, func(t *testing.T, data []byte) {
			if !strings.HasPrefix(string(data), "t,a_pop[0]/v,b_pop[0]/v\n0,-0.07,0.3333333333333333\n") {
				t.Errorf("CSV starts %q", data[:min(len(data), 60)])
			}
		}},
		{"r.dat", RecordAll, func(t *testing.T, data []byte) {
			if !strings.HasPrefix(string(data), "0\t-0.07\t0\t0.3333333333333333\t-0\n") {
				t.Errorf("DAT starts %q", data[:min(len(data), 60)])
			}
		}},
		{"r.npy", RecordAll, func(t *testing.T, data []byte) {
			var values []float64
			if err := npyio.Read(bytes.NewReader(data), &values); err != nil {
				t.Fatal(err)
			}
			if len(values) != 4*5 || values[5] != 5e-6 || values[6] != 1e21 {
				t.Errorf("NPY values %v", values)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			dir := t.TempDir()
			var stdout, stderr bytes.Buffer
			opts, rec := smallRecording(tt.record)
			opts.Out = filepath.Join(dir, tt.file)
			format, err := FormatFor(opts.Out)
			if err != nil {
				t.Fatal(err)
			}
			opts.Format, opts.Stdout, opts.Stderr = format, &stdout, &stderr
			opts.AllowNonfinite = true // the recording holds NaN and ±Inf, to test how they are written
			if err := Finish(opts, rec, NewProgress(opts)); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(opts.Out)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, data)
			if stdout.Len() != 0 {
				t.Errorf("wrote %d bytes to stdout with -o %s", stdout.Len(), tt.file)
			}
			summary := regexp.MustCompile(`^sim: 3 steps \(15 µs simulated\) in [0-9.]+ [nµm]?s wall(, [0-9.e+]+ steps/s)?, wrote \S+ \(4 rows x \d columns\) in [0-9.]+ [nµm]?s\n$`)
			if !summary.MatchString(stderr.String()) {
				t.Errorf("summary %q does not match %v", stderr.String(), summary)
			}
		})
	}
}

func TestFinishStdoutAndQuiet(t *testing.T) {
	var stdout, stderr bytes.Buffer
	opts, rec := smallRecording(RecordDefault)
	opts.Out, opts.Quiet, opts.Stdout, opts.Stderr = Stdout, true, &stdout, &stderr
	opts.AllowNonfinite = true
	if err := Finish(opts, rec, NewProgress(opts)); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stdout.String(), "t,a_pop[0]/v,b_pop[0]/v\n") || strings.Count(stdout.String(), "\n") != 5 {
		t.Errorf("stdout = %q, want the CSV", stdout.String())
	}
	if stderr.Len() != 0 {
		t.Errorf("quiet run printed %q on stderr", stderr.String())
	}
}

// TestFinishRefusesNonfinite: a single run that diverged fails with the
// message a sweep writes for such a set, and writes nothing, to a file or
// to stdout.
func TestFinishRefusesNonfinite(t *testing.T) {
	dir := t.TempDir()
	for _, out := range []string{filepath.Join(dir, "r.csv"), Stdout} {
		var stdout, stderr bytes.Buffer
		opts, rec := smallRecording(RecordDefault)
		opts.Out, opts.Format, opts.Stdout, opts.Stderr = out, FormatCSV, &stdout, &stderr
		err := Finish(opts, rec, NewProgress(opts))
		want := "the run diverged: a_pop[0]/v is NaN at t = 10 µs (step 2); nothing written (--allow-nonfinite writes such results)"
		if err == nil || err.Error() != want {
			t.Errorf("-o %s: error %v, want %q", out, err, want)
		}
		if stdout.Len() != 0 || stderr.Len() != 0 {
			t.Errorf("-o %s: wrote %q and %q", out, stdout.String(), stderr.String())
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a diverged run left %v", entries)
	}
}

func TestFinishErrors(t *testing.T) {
	opts, _ := smallRecording(RecordAll)
	dir := t.TempDir()
	tests := []struct {
		name    string
		out     string
		rec     *Recorder
		wantErr string
	}{
		{"too few rows", filepath.Join(dir, "r.csv"), NewRecorder(4, 3), "recorder has 3 rows, want 4 (steps + 1)"},
		{"wrong columns", filepath.Join(dir, "r.csv"), NewRecorder(2, 4), "recorder has 2 columns"},
		{"nil recorder", filepath.Join(dir, "r.csv"), nil, "nil recorder"},
		// The directory vanished while the simulation ran.
		{"missing directory", filepath.Join(dir, "gone", "r.csv"), NewRecorder(4, 4), "directory " + filepath.Join(dir, "gone") + " does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			o := opts
			o.Out, o.Format, o.Stderr = tt.out, FormatCSV, &stderr
			err := Finish(o, tt.rec, nil)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Finish error %v, want it to contain %q", err, tt.wantErr)
			}
			if stderr.Len() != 0 {
				t.Errorf("failed Finish printed a summary: %q", stderr.String())
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("failed Finish left %d entries in the output directory", len(entries))
			}
		})
	}
}

func TestSummary(t *testing.T) {
	info := testInfo()
	opts := Options{Program: "ex2", Steps: 40000, Dt: 5e-6, Out: "ex2.csv", Columns: info.Columns, Selected: []int{0, 1, 2, 3}}
	rec := NewRecorder(4, 40001)
	tests := []struct {
		name string
		out  string
		prog *Progress
		sim  time.Duration
		want string
	}{
		{"file", "ex2.csv", &Progress{}, 12300 * time.Microsecond,
			"ex2: 40000 steps (200 ms simulated) in 12.3 ms wall, 3.25e+06 steps/s, wrote ex2.csv (40001 rows x 5 columns) in 4.1 ms"},
		{"stdout", Stdout, &Progress{}, 2 * time.Minute,
			"ex2: 40000 steps (200 ms simulated) in 2m0s wall, 333 steps/s, wrote CSV to stdout (40001 rows x 5 columns) in 4.1 ms"},
		{"set up apart", "ex2.csv", &Progress{setUp: 21 * time.Millisecond}, 12300 * time.Microsecond,
			"ex2: set up in 21 ms, 40000 steps (200 ms simulated) in 12.3 ms wall, 3.25e+06 steps/s, wrote ex2.csv (40001 rows x 5 columns) in 4.1 ms"},
		{"untimed", "ex2.csv", nil, 0,
			"ex2: 40000 steps (200 ms simulated), wrote ex2.csv (40001 rows x 5 columns) in 4.1 ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := opts
			o.Out = tt.out
			if got := summary(o, rec, tt.prog, tt.sim, 4100*time.Microsecond); got != tt.want {
				t.Errorf("summary =\n%q, want\n%q", got, tt.want)
			}
		})
	}
}

// TestSummaryCountsIntegrationSteps: a whole-brain run that writes fewer
// rows than it takes steps (transient, recording period, --every) reports
// the steps it took and their rate, not its rows, and its progress line
// counts to the same total.
func TestSummaryCountsIntegrationSteps(t *testing.T) {
	info := Info{Label: "brain", Steps: 500, Dt: 1e-3, Columns: []Column{{Name: "x", Group: "v"}}, Every: true,
		Duration: &DurationInfo{DtMS: 0.1, Transient: 1000, Period: 10}}
	opts, err := ParseArgs(info, "brain", []string{"--every", "5", "-o", filepath.Join(t.TempDir(), "out.npy")})
	if err != nil {
		t.Fatal(err)
	}
	if opts.Steps != 100 {
		t.Fatalf("rows after row 0: %d, want 100", opts.Steps)
	}
	opts.Out = "out.npy"
	got := summary(opts, NewRecorder(1, opts.Steps+1), &Progress{}, time.Second, time.Millisecond)
	if want := "brain: 6000 steps (600 ms simulated) in 1 s wall, 6e+03 steps/s, wrote out.npy (101 rows x 2 columns) in 1 ms"; got != want {
		t.Errorf("summary =\n%q, want\n%q", got, want)
	}
	if total := progressTotal(opts); total != 6000 {
		t.Errorf("progress counts to %d, want 6000 steps", total)
	}
}

// TestBeginSteps: the set-up before BeginSteps leaves the step loop's clock
// and is kept apart; a second BeginSteps adds to it, and one after Done
// changes nothing.
func TestBeginSteps(t *testing.T) {
	clock := time.Unix(0, 0)
	now := func() time.Time { return clock }
	p := newProgress(Options{Quiet: true}, now)
	clock = clock.Add(30 * time.Millisecond)
	p.BeginSteps()
	clock = clock.Add(100 * time.Millisecond)
	if got := p.Done(); got != 100*time.Millisecond {
		t.Errorf("step loop %v, want 100ms", got)
	}
	p.BeginSteps()
	if got := p.SetUp(); got != 30*time.Millisecond {
		t.Errorf("set-up %v, want 30ms", got)
	}
	var none *Progress
	none.BeginSteps()
	if none.SetUp() != 0 {
		t.Error("a nil Progress has a set-up")
	}
}

func TestFormatSeconds(t *testing.T) {
	tests := []struct {
		seconds float64
		want    string
	}{
		{0, "0 s"},
		{5e-6, "5 µs"},
		{40000 * 5e-6, "200 ms"},
		{0.025, "25 ms"},
		{1.5, "1.5 s"},
		{3600, "3600 s"},
		{2.5e-8, "25 ns"},
		{1.0 / 3, "333.3 ms"},
	}
	for _, tt := range tests {
		if got := formatSeconds(tt.seconds); got != tt.want {
			t.Errorf("formatSeconds(%v) = %q, want %q", tt.seconds, got, tt.want)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{12345 * time.Microsecond, "12.3 ms"},
		{4567 * time.Millisecond, "4.57 s"},
		{750 * time.Nanosecond, "750 ns"},
		{125 * time.Second, "2m5s"},
	}
	for _, tt := range tests {
		if got := formatDuration(tt.d); got != tt.want {
			t.Errorf("formatDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
