package compare

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// mixedReport compares two cells, one in step and one three steps late,
// plus a quantity the simulation lacks.
func mixedReport(t *testing.T) *Report {
	t.Helper()
	tg := timeGrid(nSamples, dt)
	flat := make([]float64, nSamples)
	ref := &Table{Names: []string{"good[0]/v", "late[0]/v", "gone"}, T: tg, Source: "ref.csv",
		Cols: [][]float64{spikeTrace(nSamples, defaultSpikes), spikeTrace(nSamples, defaultSpikes), flat}}
	sim := &Table{Names: []string{"good[0]/v", "late[0]/v"}, T: tg, Source: "sim.csv",
		Cols: [][]float64{spikeTrace(nSamples, defaultSpikes), spikeTrace(nSamples, shifted(defaultSpikes, 3))}}
	rep, err := Compare(ref, sim, Options{})
	var me *MissingError
	if !errors.As(err, &me) {
		t.Fatalf("error %v, want a MissingError", err)
	}
	return rep
}

func TestWriteText(t *testing.T) {
	rep := mixedReport(t)
	var b bytes.Buffer
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"reference:  ref.csv (2000 rows, step 5e-06)",
		"simulation: sim.csv (2000 rows)",
		"time grid:  identical, compared row by row; 2000 samples",
		"policy:     same spike count; spike offset <= 2 steps; subthreshold RMS <= 0.001 of range (spike windows +-2 steps)",
		"failures:\n  late[0]/v: spike timing: 4 of 4 paired spikes off by more than 2 steps",
		"missing in simulation: gone",
		"FAIL: 1 of 2 quantities failed; 1 missing in simulation\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// The table is aligned: every row has its RESULT where the header does.
	lines := strings.Split(out, "\n")
	var table []string
	for i, l := range lines {
		if strings.HasPrefix(l, "QUANTITY") {
			table = lines[i : i+3]
		}
	}
	if table == nil {
		t.Fatalf("no table header in:\n%s", out)
	}
	col := strings.Index(table[0], "RESULT")
	for _, l := range table[1:] {
		if len(l) < col+4 || (l[col:col+4] != "PASS" && l[col:col+4] != "FAIL") {
			t.Errorf("row %q not aligned with header %q", l, table[0])
		}
	}
	if !strings.Contains(table[1], "good[0]/v") || !strings.Contains(table[1], "4/4") || !strings.Contains(table[1], "0.00") ||
		!strings.Contains(table[2], "3.00") || !strings.HasSuffix(strings.TrimSpace(table[2]), "FAIL") {
		t.Errorf("table rows:\n%s\n%s", table[1], table[2])
	}
}

func TestReportJSON(t *testing.T) {
	rep := mixedReport(t)
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, rep) {
		t.Errorf("JSON round trip changed the report:\n%s", data)
	}
	for _, key := range []string{`"pass":false`, `"missing_in_sim":["gone"]`, `"max_spike_offset_steps":3`, `"max_rms_frac":0.001`} {
		if !bytes.Contains(data, []byte(key)) {
			t.Errorf("JSON lacks %s:\n%s", key, data)
		}
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		rep  Report
		want string
	}{
		{Report{Pass: true, Quantities: make([]QuantityReport, 1)}, "PASS: 1 quantity passed"},
		{Report{Pass: true, Quantities: make([]QuantityReport, 3), MissingInRef: []string{"z"}, AllowMissing: true},
			"PASS: 3 quantities passed; 1 missing in reference (accepted)"},
		{Report{Quantities: make([]QuantityReport, 3), Failed: 2}, "FAIL: 2 of 3 quantities failed"},
	}
	for _, tt := range tests {
		if got := tt.rep.Summary(); got != tt.want {
			t.Errorf("Summary() = %q, want %q", got, tt.want)
		}
	}
}
