package runtime

import (
	"math"
	"strings"
	"testing"
)

// testInfo is a small two-cell network: two default columns (v) and two
// that only --record all writes.
func testInfo() Info {
	return Info{
		Label: "two test cells",
		Steps: 7,
		Dt:    0.1,
		Columns: []Column{
			{Name: "a_pop[0]/v", Unit: "V", Group: GroupDefault},
			{Name: "a_pop[0]/u", Unit: "", Group: GroupAll},
			{Name: "b_pop[0]/v", Unit: "V", Group: GroupDefault},
			{Name: "b_pop[0]/w", Unit: "A", Group: GroupAll},
		},
	}
}

func TestInfoValidate(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*Info)
		wantErr string // "" means valid
	}{
		{"valid", func(*Info) {}, ""},
		{"zero steps is one row", func(i *Info) { i.Steps = 0 }, ""},
		{"no columns", func(i *Info) { i.Columns = nil }, ""},
		{"comma in name is quoted later", func(i *Info) { i.Columns[0].Name = "x,y" }, ""},
		{"negative steps", func(i *Info) { i.Steps = -1 }, "steps is -1"},
		{"zero dt", func(i *Info) { i.Dt = 0 }, "dt is 0 s"},
		{"negative dt", func(i *Info) { i.Dt = -1e-5 }, "dt is -1e-05 s"},
		{"NaN dt", func(i *Info) { i.Dt = math.NaN() }, "dt is NaN"},
		{"infinite dt", func(i *Info) { i.Dt = math.Inf(1) }, "dt is +Inf"},
		{"too big", func(i *Info) { i.Steps = math.MaxInt / 2 }, "do not fit in memory"},
		{"empty name", func(i *Info) { i.Columns[1].Name = "" }, "column 1: empty name"},
		{"name t", func(i *Info) { i.Columns[1].Name = "t" }, `"t" is reserved`},
		{"newline in name", func(i *Info) { i.Columns[2].Name = "a\nb" }, "column 2: name \"a\\nb\" contains a control character"},
		{"duplicate name", func(i *Info) { i.Columns[3].Name = "a_pop[0]/v" }, `column 3: name "a_pop[0]/v" is also column 0`},
		{"bad group", func(i *Info) { i.Columns[0].Group = "V" }, `group is "V", want "v" or "all"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info := testInfo()
			tt.change(&info)
			err := info.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("Validate() = nil, want error containing %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("Validate() = %q, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}
