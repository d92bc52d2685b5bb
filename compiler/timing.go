package compiler

import (
	"fmt"
	"github.com/tvboc/tvboc/compiler/limits"
	"math"
	"os"
	"strconv"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/brain"
	"github.com/tvboc/tvboc/compiler/lower"
	"github.com/tvboc/tvboc/compiler/resolve"
	"github.com/tvboc/tvboc/compiler/units"
)

// The CLI's --dt and --duration (in ms) reach every kind of experiment
// through the environment variables the whole-brain compiler reads
// (brain.DtEnv, brain.DurationEnv). For node lists and populations they
// replace the integration section's step_size and duration, converted to
// its time_scale, before resolve: everything after sees one consistent
// experiment, as if the file said so.

// timeOverride reads --dt and --duration, in ms; 0 where not given.
func timeOverride() (dt, duration float64, err error) {
	read := func(env string) (float64, error) {
		text := os.Getenv(env)
		if text == "" {
			return 0, nil
		}
		v, err := strconv.ParseFloat(text, 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%s=%q: want a positive number of milliseconds", env, text)
		}
		return v, nil
	}
	if dt, err = read(brain.DtEnv); err != nil {
		return 0, 0, err
	}
	duration, err = read(brain.DurationEnv)
	return dt, duration, err
}

// timing is what an override changed, for the notes about input windows.
type timing struct {
	changed         bool
	origDt, origDur float64 // the file's step and duration, seconds (0: unset)
	dtSet, durSet   bool    // which the override replaced
}

// overrideIntegration applies --dt and --duration to the integration
// section *in (creating one when the file has none and an override is
// given) and returns what it changed.
func overrideIntegration(in **ast.Integration, pos ast.Num) (timing, error) {
	dt, dur, err := timeOverride()
	if err != nil || dt == 0 && dur == 0 {
		return timing{}, err
	}
	if *in == nil {
		*in = &ast.Integration{Pos: pos.Pos}
	}
	section := *in
	scale := 1e-3 // TVBO's default time unit; resolve reports a bad time_scale
	if ts := section.TimeScale.Value; ts != "" {
		if u, err := units.Parse(ts); err == nil && u.Dim == units.Time {
			scale = u.ToSI(1)
		}
	}
	t := timing{changed: true, dtSet: dt > 0, durSet: dur > 0}
	if section.StepSize.Set {
		t.origDt = section.StepSize.Value * scale
	}
	if section.Duration.Set {
		t.origDur = section.Duration.Value * scale
	}
	if dt > 0 {
		section.StepSize = ast.Num{Value: dt * 1e-3 / scale, Pos: section.StepSize.Pos, Set: true}
	}
	if dur > 0 {
		section.Duration = ast.Num{Value: dur * 1e-3 / scale, Pos: section.Duration.Pos, Set: true}
	}
	// a step and a duration that do not fit are the flags' mistake, said
	// in their terms (resolve would blame the file's duration line)
	if section.StepSize.Set && section.Duration.Set {
		stepMS, durMS := section.StepSize.Value*scale*1e3, section.Duration.Value*scale*1e3
		flag := "--duration"
		if dt > 0 {
			flag = "--dt"
		}
		switch ratio, steps, whole := limits.Steps(durMS, stepMS); {
		case !whole:
			return t, fmt.Errorf("%s: the duration %g ms is not a whole number of steps of %g ms (it is %.6g steps): give a step that divides the duration", flag, durMS, stepMS, ratio)
		case steps > limits.MaxSteps:
			return t, fmt.Errorf("%s: the duration %g ms in steps of %g ms is %.4g steps, more than the limit of %d: a larger step or a shorter duration", flag, durMS, stepMS, steps, int64(limits.MaxSteps))
		}
	}
	return t, nil
}

// windowNotes tells where the new step or duration moves or cuts the
// window of a time-only input (a pulse, a ramp), which would otherwise
// change the drive without a word.
func (t timing) windowNotes(m *resolve.Model) []string {
	if !t.changed || m == nil || m.Dt <= 0 {
		return nil
	}
	end := float64(m.Steps) * m.Dt
	var notes []string
	for _, e := range lower.InputEdges(m) {
		// on the new grid an edge does not move: jLEMS's running sum may
		// take it a step later, which is jLEMS's reading, not the --dt's
		onOldGrid := t.origDt > 0 && onGrid(e.Time, t.origDt)
		onNewGrid := onGrid(e.Time, m.Dt)
		switch {
		case t.durSet && e.Time > end*(1+1e-12) && (t.origDur == 0 || e.Time <= t.origDur*(1+1e-12)):
			notes = append(notes, fmt.Sprintf("input %s switches at %s, after the new end of the run (%s): that part of its window is cut off",
				e.Input, ms(e.Time), ms(end)))
		case t.dtSet && e.Time <= end && !onNewGrid && (t.origDt == 0 || onOldGrid):
			notes = append(notes, fmt.Sprintf("input %s switches at %s, between steps of %s: it now switches at %s",
				e.Input, ms(e.Time), ms(m.Dt), ms(e.At)))
		}
	}
	return notes
}

// onGrid reports whether time falls on a step of dt (time 0 does).
func onGrid(time, dt float64) bool {
	_, _, whole := limits.Steps(time, dt)
	return time == 0 || whole
}

func ms(s float64) string { return strconv.FormatFloat(s*1e3, 'g', 6, 64) + " ms" }
