package runtime

import (
	"fmt"
	"strings"
	"time"
)

// FinishNetwork ends a population network's run: traces as Finish writes
// them (unless the run records spikes only), spikes to --spikes, or to -o
// for a spikes-only run, and the summary line on stderr. rec may be nil
// for a spikes-only run.
func FinishNetwork(opts Options, rec *Recorder, spikes *SpikeRecorder, prog *Progress) error {
	if !SpikesOnly(opts) {
		if rec != nil && rec.rowStream != nil {
			return finishNetworkStream(opts, rec, spikes, prog)
		}
		// traces and spikes: both or neither
		if opts.Spikes == "" {
			return finish(opts, rec, prog)
		}
		return finish(opts, rec, prog, spikeOutput(opts, opts.Spikes, spikes))
	}
	simWall := prog.Done()
	start := time.Now()
	out := opts.Out
	if out == "" {
		out = Stdout
	}
	if ext := strings.ToLower(out[strings.LastIndex(out, ".")+1:]); out != Stdout && ext != "csv" && ext != "npy" {
		return fmt.Errorf("cannot write spikes to %s: use .csv or .npy", out)
	}
	outs := []output{spikeOutput(opts, out, spikes)}
	if opts.Spikes != "" && opts.Spikes != out {
		outs = append(outs, spikeOutput(opts, opts.Spikes, spikes))
	}
	if err := writeOutputs(outs...); err != nil {
		return err
	}
	if !opts.Quiet {
		where := out
		if where == Stdout {
			where = "CSV to stdout"
		}
		fmt.Fprintf(opts.stderr(), "%s: %s%d steps (%s simulated) in %s wall, %.3g steps/s, wrote %s (%d spikes) in %s\n",
			opts.Program, built(opts), opts.Steps, formatSeconds(float64(opts.Steps)*opts.Dt), formatDuration(simWall),
			float64(opts.Steps)/max(simWall.Seconds(), 1e-12), where, spikes.Len(), formatDuration(time.Since(start)))
	}
	return nil
}

// finishNetworkStream is FinishNetwork for traces streamed while the run
// went (NewNetworkRecorder): the stream's temporary file is complete, and
// it is renamed into place together with the spike file, both or neither.
func finishNetworkStream(opts Options, rec *Recorder, spikes *SpikeRecorder, prog *Progress) error {
	simWall := prog.Done()
	writeStart := time.Now()
	temp, err := rec.rowStream.close()
	if err != nil {
		return err
	}
	outs := []output{{path: opts.Out, staged: temp}}
	if opts.Spikes != "" {
		outs = append(outs, spikeOutput(opts, opts.Spikes, spikes))
	}
	if err := writeOutputs(outs...); err != nil {
		return err
	}
	removeCleanup(temp)
	warnUnusedSeed(opts.stderr())
	if !opts.Quiet {
		line := summary(opts, rec, prog, simWall, time.Since(writeStart))
		for _, o := range outs[1:] {
			line += fmt.Sprintf(", %s to %s", o.what, o.path)
		}
		fmt.Fprintln(opts.stderr(), line)
	}
	return nil
}
