package compiler

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tvboc/tvboc/compiler/ir"
)

func TestFreeParams(t *testing.T) {
	r, err := Check("../testdata/ex2/ex2.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		names   []string
		want    []*ir.Param
		wantErr string
	}{
		{names: []string{"izBurst.a", " izBurst.a", ""},
			want: []*ir.Param{{Name: "izBurst.a", Dynamics: "izBurst", Parameter: "a", Default: 0.02, Scale: 1, SIScale: 1}}},
		{names: []string{"izBurst.thresh"},
			want: []*ir.Param{{Name: "izBurst.thresh", Dynamics: "izBurst", Parameter: "thresh", Unit: "mV", Default: 30, Scale: 0.001, SIUnit: "V", SIScale: 0.001}}},
		{names: []string{"a"}, wantErr: `free parameter "a" is ambiguous: write one of izBurst.a, izClass1.a, izMixed.a, izTonic.a`},
		{names: []string{"zz"}, wantErr: `free parameter "zz": no cell dynamics has a parameter of that name; parameters that can be free: izBurst.v0,`},
		{names: []string{"i0.amplitude"}, wantErr: "i0 is an input, and input parameters decide the kernel's time segments"},
		{names: []string{"izBurst.zz"}, wantErr: `izBurst has no settable parameter "zz"`},
		{names: []string{"nope.a", "izBurst.zz"}, wantErr: "the network has no dynamics \"nope\"; parameters that can be free: izBurst.v0, izBurst.a, izBurst.b"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.names, ","), func(t *testing.T) {
			got, err := FreeParams(r, tt.names)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("params (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCompileWithoutFreeIsCompile: no free parameter, no change.
func TestCompileWithoutFreeIsCompile(t *testing.T) {
	plain, err := Compile("../testdata/ex2/ex2.yaml")
	if err != nil {
		t.Fatal(err)
	}
	free, err := CompileWith("../testdata/ex2/ex2.yaml", Options{Free: []string{"izBurst.a", "izClass1.v0"}})
	if err != nil {
		t.Fatal(err)
	}
	src := string(free.Source)
	for _, want := range []string{"rt.RunWithParams(", "func simulate(rec *rt.Recorder, prog *rt.Progress, p []float64)",
		"izBurst_a := p[0]", "izClass1_v0 := p[1]", "izClass10_v := izClass1_v0\n"} {
		if !strings.Contains(src, want) {
			t.Errorf("free source lacks %q", want)
		}
	}
	if strings.Contains(string(plain.Source), "RunWithParams") || len(plain.Params) != 0 {
		t.Errorf("a compile without free parameters has them")
	}
	explored, err := Compile("../testdata/sweep/ex2_explore.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range explored.Params {
		names = append(names, p.Name)
	}
	if diff := cmp.Diff([]string{"izBurst.a", "izBurst.d"}, names); diff != "" {
		t.Errorf("explorations make free (-want +got):\n%s", diff)
	}
}

// TestCheckExplorations: check refuses what compile would refuse in an
// explorations section (a parameter that cannot be free, at its axis),
// so that check passing means compile does too.
func TestCheckExplorations(t *testing.T) {
	src, err := os.ReadFile("../testdata/sweep/ex2_explore.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(src), "parameter: izBurst.a", "parameter: izBurst.zz", 1)
	if bad == string(src) {
		t.Fatal("the sweep example changed; update the test")
	}
	path := filepath.Join(t.TempDir(), "exp.yaml")
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Check(path)
	if err == nil || !strings.Contains(err.Error(), `exploration "`) || !strings.Contains(err.Error(), `izBurst has no settable parameter "zz"`) {
		t.Errorf("check of an exploration of izBurst.zz: %v", err)
	}
}
