package runtime

import "testing"

// TestRecorderSelected checks what a kernel asks before computing a
// column: every column is written until Select says otherwise, then only
// the selected ones.
func TestRecorderSelected(t *testing.T) {
	tests := []struct {
		name     string
		selected []int // nil: Select not called
		want     []bool
	}{
		{"no Select: every column", nil, []bool{true, true, true}},
		{"default columns only", []int{0}, []bool{true, false, false}},
		{"all", []int{0, 1, 2}, []bool{true, true, true}},
		{"none (spikes only)", []int{}, []bool{false, false, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := NewRecorder(3, 2)
			if tc.selected != nil {
				rec.Select(tc.selected)
			}
			for c, want := range tc.want {
				if got := rec.Selected(c); got != want {
					t.Errorf("Selected(%d) = %v, want %v", c, got, want)
				}
			}
		})
	}
}

// TestNewRecorderFor checks the recorder's width: lazy columns (the last
// ones) get room only when one of them is written.
func TestNewRecorderFor(t *testing.T) {
	columns := []Column{
		{Name: "v", Group: GroupDefault},
		{Name: "u", Group: GroupAll},
		{Name: "tau", Group: GroupAll, Lazy: true},
		{Name: "fopen", Group: GroupAll, Lazy: true},
	}
	tests := []struct {
		record   string
		cols     int
		selected []bool // Selected(0..3)
	}{
		{RecordDefault, 2, []bool{true, false, false, false}},
		{RecordAll, 4, []bool{true, true, true, true}},
		{RecordNone, 2, []bool{false, false, false, false}},
	}
	for _, tc := range tests {
		t.Run(tc.record, func(t *testing.T) {
			info := Info{Label: "t", Steps: 3, Dt: 0.1, Columns: columns, Spikes: true}
			opts, err := ParseArgs(info, "sim", []string{"--record", tc.record})
			if err != nil {
				t.Fatal(err)
			}
			rec := NewRecorderFor(opts)
			if rec.Cols() != tc.cols || rec.Rows() != 4 {
				t.Errorf("%d x %d recorder, want %d x 4", rec.Rows(), rec.Cols(), tc.cols)
			}
			for c, want := range tc.selected {
				if got := rec.Selected(c); got != want {
					t.Errorf("Selected(%d) = %v, want %v", c, got, want)
				}
			}
		})
	}
}

// TestLazyColumnsLast checks that Info.Validate keeps lazy columns last,
// which NewRecorderFor relies on.
func TestLazyColumnsLast(t *testing.T) {
	info := Info{Label: "t", Steps: 1, Dt: 0.1, Columns: []Column{
		{Name: "tau", Group: GroupAll, Lazy: true},
		{Name: "v", Group: GroupDefault},
	}}
	if err := info.Validate(); err == nil {
		t.Error("a lazy column before a plain one passes Validate")
	}
}
