package compare

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Report is the outcome of [Compare]. It prints as text ([Report.WriteText])
// and marshals to JSON as is.
type Report struct {
	// Reference and Simulation are the tables' sources.
	Reference  string `json:"reference"`
	Simulation string `json:"simulation"`
	// Policy is the default policy applied (PerQuantity overrides are not
	// repeated here).
	Policy Policy `json:"policy"`
	// RefRows and SimRows are the tables' lengths; Samples is the number of
	// reference rows compared (those within the simulation's time range).
	RefRows int `json:"ref_rows"`
	SimRows int `json:"sim_rows"`
	Samples int `json:"samples"`
	// RefStep is the mean step of the reference grid, the unit of spike
	// offsets in steps.
	RefStep float64 `json:"ref_step"`
	// Start and End delimit the compared time span.
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	// Resampled is set when the grids differ and the simulation was
	// linearly interpolated onto the reference's times; Interpolated
	// counts the reference times that fell strictly between simulation
	// samples (the others coincided with one).
	Resampled    bool `json:"resampled"`
	Interpolated int  `json:"interpolated"`
	// Quantities are the per-quantity verdicts, in comparison order.
	Quantities []QuantityReport `json:"quantities"`
	// MissingInSim are reference quantities the simulation lacks;
	// MissingInRef are requested quantities the reference lacks and
	// simulation quantities with no reference counterpart.
	MissingInSim []string `json:"missing_in_sim,omitempty"`
	MissingInRef []string `json:"missing_in_ref,omitempty"`
	// AllowMissing records whether missing quantities were accepted.
	AllowMissing bool `json:"allow_missing"`
	// Notes say how the comparison was made where that is not the plain
	// case (resampling, rows left out, unused options).
	Notes []string `json:"notes,omitempty"`
	// Failed counts failed quantities; Pass is the overall verdict: every
	// quantity passed and nothing is missing (unless AllowMissing).
	Failed int  `json:"failed"`
	Pass   bool `json:"pass"`
}

// QuantityReport is the verdict on one quantity.
type QuantityReport struct {
	// Name is the reference quantity; SimName the simulation's name for it
	// when it differs.
	Name    string `json:"name"`
	SimName string `json:"sim_name,omitempty"`
	// Spiking says whether spikes were detected and compared.
	Spiking bool `json:"spiking"`
	// RefSpikes and SimSpikes count spikes in the compared time span.
	RefSpikes int `json:"ref_spikes"`
	SimSpikes int `json:"sim_spikes"`
	// MaxSpikeOffset is the largest |simulation - reference| time between
	// spikes paired in order, in seconds (time unit of the tables) and in
	// reference steps.
	MaxSpikeOffset      float64 `json:"max_spike_offset"`
	MaxSpikeOffsetSteps float64 `json:"max_spike_offset_steps"`
	// Samples are the compared samples; Excluded those left out of the
	// subthreshold error because they lie near a spike. WindowsFrom names
	// the spiking quantities of the same cell whose spike windows a
	// non-spiking quantity borrowed.
	Samples     int      `json:"samples"`
	Excluded    int      `json:"excluded"`
	WindowsFrom []string `json:"windows_from,omitempty"`
	// RMS and MaxAbs are the subthreshold errors (MaxAbsTime where the
	// largest occurs), in the quantity's unit.
	RMS        float64 `json:"rms"`
	MaxAbs     float64 `json:"max_abs"`
	MaxAbsTime float64 `json:"max_abs_time"`
	// Range is the reference trace's max - min over the compared span;
	// Scale is what errors are divided by: Range, or max |reference| if
	// Range is 0, or 1 if that is 0 too.
	Range float64 `json:"range"`
	Scale float64 `json:"scale"`
	// RMSFrac and MaxAbsFrac are RMS and MaxAbs divided by Scale.
	RMSFrac    float64 `json:"rms_frac"`
	MaxAbsFrac float64 `json:"max_abs_frac"`
	// Corr is Pearson's correlation over all compared samples (1 for two
	// identical constant traces, 0 when only one is constant).
	Corr float64 `json:"corr"`
	// Pass is the verdict; Reasons say which criteria failed and by how
	// much (empty when it passed).
	Pass    bool     `json:"pass"`
	Reasons []string `json:"reasons,omitempty"`
}

// Summary is a one-line verdict, e.g. "PASS: 8 quantities" or
// "FAIL: 2 of 8 quantities failed; 1 missing in simulation".
func (r *Report) Summary() string {
	verdict := "PASS"
	if !r.Pass {
		verdict = "FAIL"
	}
	var parts []string
	if r.Failed > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d quantities failed", r.Failed, len(r.Quantities)))
	} else {
		parts = append(parts, fmt.Sprintf("%d %s passed", len(r.Quantities), plural(len(r.Quantities), "quantity", "quantities")))
	}
	accepted := ""
	if r.AllowMissing {
		accepted = " (accepted)"
	}
	if n := len(r.MissingInSim); n > 0 {
		parts = append(parts, fmt.Sprintf("%d missing in simulation%s", n, accepted))
	}
	if n := len(r.MissingInRef); n > 0 {
		parts = append(parts, fmt.Sprintf("%d missing in reference%s", n, accepted))
	}
	return verdict + ": " + strings.Join(parts, "; ")
}

// WriteText writes the report for people: the inputs, the policy, an
// aligned table with one line per quantity, the reasons for each failure,
// missing quantities, notes and the verdict.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	p := r.Policy
	fmt.Fprintf(&b, "reference:  %s (%d rows, step %s)\n", r.Reference, r.RefRows, fmtG(r.RefStep))
	fmt.Fprintf(&b, "simulation: %s (%d rows)\n", r.Simulation, r.SimRows)
	grid := "identical, compared row by row"
	if r.Resampled {
		grid = "different, simulation linearly interpolated onto the reference grid"
	}
	fmt.Fprintf(&b, "time grid:  %s; %d samples over t %s..%s\n", grid, r.Samples, fmtG(r.Start), fmtG(r.End))
	spikeLimit := fmt.Sprintf("%s steps", fmtG(p.MaxSpikeSteps))
	if p.UseRelTime {
		spikeLimit += fmt.Sprintf(" or %s of elapsed time", fmtG(p.MaxSpikeRelTime))
	}
	fmt.Fprintf(&b, "policy:     same spike count; spike offset <= %s; subthreshold RMS <= %s of range (spike windows +-%d steps)\n\n",
		spikeLimit, fmtG(p.MaxRMSFrac), p.SpikeWindowSteps)

	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "QUANTITY\tSPIKES ref/sim\tMAX OFFSET (steps)\tRMS/RANGE\tMAX/RANGE\tCORR\tRESULT")
	for _, q := range r.Quantities {
		name := q.Name
		if q.SimName != "" {
			name += " -> " + q.SimName
		}
		spikes, offset := "-", "-"
		if q.Spiking {
			spikes = fmt.Sprintf("%d/%d", q.RefSpikes, q.SimSpikes)
			if min(q.RefSpikes, q.SimSpikes) > 0 {
				offset = fmt.Sprintf("%.2f", q.MaxSpikeOffsetSteps)
			}
		}
		result := "PASS"
		if !q.Pass {
			result = "FAIL"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.2e\t%.2e\t%.6f\t%s\n", name, spikes, offset, q.RMSFrac, q.MaxAbsFrac, q.Corr, result)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	if r.Failed > 0 {
		b.WriteString("\nfailures:\n")
		for _, q := range r.Quantities {
			for _, why := range q.Reasons {
				fmt.Fprintf(&b, "  %s: %s\n", q.Name, why)
			}
		}
	}
	if len(r.MissingInSim) > 0 {
		fmt.Fprintf(&b, "\nmissing in simulation: %s\n", strings.Join(r.MissingInSim, ", "))
	}
	if len(r.MissingInRef) > 0 {
		fmt.Fprintf(&b, "\nmissing in reference: %s\n", strings.Join(r.MissingInRef, ", "))
	}
	if len(r.Notes) > 0 {
		b.WriteString("\nnotes:\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "  %s\n", n)
		}
	}
	fmt.Fprintf(&b, "\n%s\n", r.Summary())
	_, err := io.WriteString(w, b.String())
	return err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
