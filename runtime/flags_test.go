package runtime

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseArgs(t *testing.T) {
	// In args and wantOut, DIR stands for a fresh temporary directory.
	tests := []struct {
		name     string
		args     []string
		wantOut  string
		format   Format
		record   string
		quiet    bool
		selected []int
	}{
		{"no flags: CSV on stdout, default columns", nil, "-", FormatCSV, "v", false, []int{0, 2}},
		{"explicit stdout", []string{"-o", "-"}, "-", FormatCSV, "v", false, []int{0, 2}},
		{"csv file", []string{"-o", "DIR/r.csv"}, "DIR/r.csv", FormatCSV, "v", false, []int{0, 2}},
		{"double dash and =", []string{"--o=DIR/r.csv"}, "DIR/r.csv", FormatCSV, "v", false, []int{0, 2}},
		{"upper-case extension", []string{"-o", "DIR/R.CSV"}, "DIR/R.CSV", FormatCSV, "v", false, []int{0, 2}},
		{"dat file", []string{"-o", "DIR/r.dat"}, "DIR/r.dat", FormatDAT, "v", false, []int{0, 2}},
		{"npy file", []string{"-o", "DIR/r.npy"}, "DIR/r.npy", FormatNPY, "v", false, []int{0, 2}},
		{"record all", []string{"--record", "all"}, "-", FormatCSV, "all", false, []int{0, 1, 2, 3}},
		{"record v single dash", []string{"-record=v"}, "-", FormatCSV, "v", false, []int{0, 2}},
		{"quiet", []string{"--quiet"}, "-", FormatCSV, "v", true, []int{0, 2}},
		{"everything", []string{"--quiet", "--record", "all", "-o", "DIR/x.npy"}, "DIR/x.npy", FormatNPY, "all", true, []int{0, 1, 2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = strings.ReplaceAll(a, "DIR", dir)
			}
			opts, err := ParseArgs(testInfo(), "sim", args)
			if err != nil {
				t.Fatalf("ParseArgs(%q) error: %v", tt.args, err)
			}
			info := testInfo()
			want := Options{
				Program:  "sim",
				Label:    info.Label,
				Out:      strings.ReplaceAll(tt.wantOut, "DIR", dir),
				Format:   tt.format,
				Record:   tt.record,
				Quiet:    tt.quiet,
				Steps:    info.Steps,
				Dt:       info.Dt,
				Columns:  info.Columns,
				Selected: tt.selected,
			}
			if diff := cmp.Diff(want, opts); diff != "" {
				t.Errorf("ParseArgs(%q) mismatch (-want +got):\n%s", tt.args, diff)
			}
			// Parsing must check the destination without leaving anything.
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("ParseArgs left %d files in the output directory", len(entries))
			}
		})
	}
}

func TestParseArgsErrors(t *testing.T) {
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	existingDir := t.TempDir()
	// A directory whose name looks like a results file.
	dirNamedCSV := filepath.Join(existingDir, "looks.csv")
	if err := os.Mkdir(dirNamedCSV, 0o777); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"unknown flag", []string{"--steps", "10"}, "flag provided but not defined: -steps"},
		{"duration fixed at compile time", []string{"--duration", "400", "-o", "r.csv"}, "--duration: this program's inputs depend on the duration it was compiled for"},
		{"missing -o value", []string{"-o"}, "flag needs an argument: -o"},
		{"empty -o", []string{"-o", ""}, "-o needs a file name"},
		{"unknown extension", []string{"-o", "r.txt"}, `unknown format ".txt": use .csv, .dat or .npy`},
		{"no extension", []string{"-o", "results"}, `"results" has no extension`},
		{"bad record", []string{"--record", "V"}, `--record "V": want v (the default columns), all (every column) or none (spikes only)`},
		{"empty record", []string{"--record="}, `--record "": want v`},
		{"stray file argument", []string{"out.csv"}, `unexpected argument "out.csv" (did you mean -o out.csv?)`},
		{"stray argument", []string{"--quiet", "extra"}, `unexpected argument "extra"`},
		{"missing directory", []string{"-o", filepath.Join(existingDir, "no", "r.csv")}, "directory " + filepath.Join(existingDir, "no") + " does not exist"},
		{"parent is a file", []string{"-o", filepath.Join(notADir, "r.csv")}, "is not a directory"},
		{"output is a directory", []string{"-o", dirNamedCSV}, "it is a directory"},
		{"bad quiet value", []string{"--quiet=maybe"}, "invalid boolean value"},
		{"network of a node list", []string{"--network", "n.json"}, "--network writes the network a population network draws"},
		{"negative threads", []string{"--threads", "-3"}, "--threads -3: want a positive number"},
		{"spikes without spikes", []string{"--spikes", "s.csv"}, "this program records no spikes"},
		{"record none without spikes", []string{"--record", "none"}, "this program records no spikes"},
	}
	// a population network with spikes
	pop := testInfo()
	pop.Network, pop.Spikes = true, true
	popTests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"same path twice", []string{"-o", filepath.Join(existingDir, "a.csv"), "--spikes", filepath.Join(existingDir, "a.csv")}, "-o and --spikes both name"},
		{"same path, other spelling", []string{"-o", filepath.Join(existingDir, "a.csv"), "--spikes", filepath.Join(existingDir, ".", "a.csv")}, "-o and --spikes both name"},
		{"both on stdout", []string{"--spikes", "-"}, "-o and --spikes both name -"},
		{"spikes into a missing directory", []string{"-o", filepath.Join(existingDir, "a.csv"), "--spikes", filepath.Join(existingDir, "no", "s.csv")}, "--spikes: cannot write"},
		{"spikes into a directory", []string{"--spikes", dirNamedCSV}, "--spikes: cannot write " + dirNamedCSV + ": it is a directory"},
		{"network into a missing directory", []string{"--network", filepath.Join(existingDir, "no", "n.json")}, "--network: cannot write"},
		{"network with -o", []string{"--network", "n.json", "-o", "r.csv"}, "-o is not used"},
		{"record none to .dat", []string{"--record", "none", "-o", filepath.Join(existingDir, "s.dat")}, "use .csv or .npy"},
		{"empty spikes", []string{"--spikes="}, "--spikes needs a file name"},
		{"empty fc", []string{"--fc="}, "--fc needs a file name"},
		{"spikes as text", []string{"--spikes", filepath.Join(existingDir, "s.txt")}, "spikes are written as .csv or .npy"},
		{"fc to stdout", []string{"--fc", "-"}, "--fc -: the correlation matrix is written to a file"},
		{"-o twice", []string{"-o", "a.csv", "-o", "b.csv"}, "-o is given twice (a.csv and b.csv): give it once"},
		{"--record twice", []string{"--record=all", "--record", "v"}, "--record is given twice (all and v)"},
	}
	// a whole-brain program: --fc is one more output
	brain := testInfo()
	brain.FC = true
	for _, args := range [][]string{
		{"-o", filepath.Join(existingDir, "a.csv"), "--fc", filepath.Join(existingDir, "a.csv")},
		{"--fc", "-"},
	} {
		if _, err := ParseArgs(brain, "sim", args); err == nil || !strings.Contains(err.Error(), "--fc") {
			t.Errorf("ParseArgs(%q) error %v, want a word on --fc", args, err)
		}
	}
	if _, err := ParseArgs(brain, "sim", []string{"-o", filepath.Join(existingDir, "a.csv"), "--fc", filepath.Join(existingDir, "a.csv")}); err == nil || !strings.Contains(err.Error(), "-o and --fc both name") {
		t.Errorf("-o and --fc on one path: %v", err)
	}
	// a link to a file not written yet is that file: both outputs went
	// into it
	link := filepath.Join(existingDir, "link.csv")
	if err := os.Symlink("fresh.csv", link); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseArgs(brain, "sim", []string{"-o", filepath.Join(existingDir, "fresh.csv"), "--fc", link}); err == nil || !strings.Contains(err.Error(), "-o and --fc both name") {
		t.Errorf("-o and --fc through a dangling link: %v", err)
	}
	for _, tt := range popTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseArgs(pop, "sim", tt.args)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ParseArgs(%q) error %v, want it to contain %q", tt.args, err, tt.wantErr)
			}
		})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseArgs(testInfo(), "sim", tt.args)
			if err == nil {
				t.Fatalf("ParseArgs(%q) = nil error, want %q", tt.args, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ParseArgs(%q) error %q, want it to contain %q", tt.args, err, tt.wantErr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(existingDir, "no")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed parse created the missing directory (stat: %v)", err)
	}
}

func TestParseArgsHelp(t *testing.T) {
	for _, arg := range []string{"-h", "--help", "-help"} {
		if _, err := ParseArgs(testInfo(), "sim", []string{arg}); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("ParseArgs(%q) error = %v, want flag.ErrHelp", arg, err)
		}
	}
}

func TestParseArgsNoDefaultColumns(t *testing.T) {
	info := testInfo()
	for i := range info.Columns {
		info.Columns[i].Group = GroupAll
	}
	if _, err := ParseArgs(info, "sim", nil); err == nil || !strings.Contains(err.Error(), "use --record all") {
		t.Errorf("ParseArgs with no default columns: error %v, want a hint to use --record all", err)
	}
	opts, err := ParseArgs(info, "sim", []string{"--record", "all"})
	if err != nil {
		t.Fatalf("--record all: %v", err)
	}
	if diff := cmp.Diff([]int{0, 1, 2, 3}, opts.Selected); diff != "" {
		t.Errorf("selected (-want +got):\n%s", diff)
	}
}

func TestParseArgsInvalidInfo(t *testing.T) {
	info := testInfo()
	info.Dt = 0
	_, err := ParseArgs(info, "sim", nil)
	if err == nil || !strings.Contains(err.Error(), "internal error in the generated program: dt is 0 s") {
		t.Errorf("ParseArgs with dt = 0: error %v, want the internal-error message", err)
	}
}

func TestFormatFor(t *testing.T) {
	tests := []struct {
		path    string
		want    Format
		wantErr bool
	}{
		{"-", FormatCSV, false},
		{"a.csv", FormatCSV, false},
		{"dir.v1/a.Csv", FormatCSV, false},
		{"a.dat", FormatDAT, false},
		{"a.npy", FormatNPY, false},
		{"a.NPY", FormatNPY, false},
		{"a.npz", 0, true},
		{"a.csv.gz", 0, true},
		{"dir.csv/a", 0, true},
		{"a", 0, true},
	}
	for _, tt := range tests {
		got, err := FormatFor(tt.path)
		if (err != nil) != tt.wantErr {
			t.Errorf("FormatFor(%q) error = %v, want error: %v", tt.path, err, tt.wantErr)
			continue
		}
		if err == nil && got != tt.want {
			t.Errorf("FormatFor(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestUsage(t *testing.T) {
	info := testInfo()
	info.Steps, info.Dt = 40000, 5e-6
	usage := Usage(info, "ex2")
	for _, want := range []string{
		"ex2 simulates two test cells",
		"40000 steps of 5 µs (200 ms of simulated time)",
		"ex2 [-o FILE] [--record v|all] [--quiet]",
		".npy  NumPy float64 matrix",
		"the 2 columns recorded by default",
		"all 4 columns",
		"* a_pop[0]/v  V\n",
		"  a_pop[0]/u  (dimensionless)\n",
		"* b_pop[0]/v  V\n",
		"  b_pop[0]/w  A\n",
	} {
		if !strings.Contains(usage, want) {
			t.Errorf("usage lacks %q; usage:\n%s", want, usage)
		}
	}
}

func TestUsageOneDefaultColumn(t *testing.T) {
	info := testInfo()
	info.Columns = info.Columns[:2]
	usage := Usage(info, "sim")
	for _, want := range []string{"the 1 column recorded by default", "all 2 columns"} {
		if !strings.Contains(usage, want) {
			t.Errorf("usage lacks %q; usage:\n%s", want, usage)
		}
	}
}

func TestUsageManyColumns(t *testing.T) {
	info := testInfo()
	info.Columns = nil
	for i := range 1000 {
		info.Columns = append(info.Columns, Column{Name: fmt.Sprintf("pop[%d]/v", i), Unit: "V", Group: GroupDefault})
	}
	usage := Usage(info, "big")
	if got := strings.Count(usage, "pop["); got != maxUsageColumns {
		t.Errorf("usage lists %d columns, want %d", got, maxUsageColumns)
	}
	if !strings.Contains(usage, "... and 960 more") {
		t.Errorf("usage does not say how many columns it left out:\n%s", usage)
	}
}

// TestNetworkFlagInHelp: --help lists --network only for programs that
// draw a population network.
func TestNetworkFlagInHelp(t *testing.T) {
	info := testInfo()
	if strings.Contains(Usage(info, "sim"), "--network") {
		t.Errorf("a node-list program's help lists --network")
	}
	info.Network = true
	if !strings.Contains(Usage(info, "sim"), "--network FILE") {
		t.Errorf("a population network's help does not list --network")
	}
	opts, err := ParseArgs(info, "sim", []string{"--network", "n.json"})
	if err != nil || opts.Network != "n.json" {
		t.Errorf("ParseArgs --network n.json: %+v, %v", opts.Network, err)
	}
}

// TestParseArgsDuration: a program that takes --duration (Info.Duration)
// turns milliseconds into rows; durations that are not whole steps or
// periods, or end in the transient, are refused.
func TestParseArgsDuration(t *testing.T) {
	info := Info{Label: "brain", Steps: 20, Dt: 2e-4, Columns: []Column{{Name: "x", Group: "v"}}, Every: true,
		Duration: &DurationInfo{DtMS: 0.1, Transient: 10, Period: 2}}
	out := filepath.Join(t.TempDir(), "r.csv")
	opts, err := ParseArgs(info, "sim", []string{"-o", out, "--duration", "6"})
	if err != nil || opts.RunSteps != 60 || opts.Steps != 25 {
		t.Fatalf("--duration 6 ms: %+v, %v; want 60 steps, 25 rows after row 0", opts, err)
	}
	for _, tc := range []struct{ d, want string }{
		{"6.05", "not a whole number of steps"},
		{"6.1", "not a whole number of recording periods"},
		{"1", "ends within the transient"},
		{"-3", "want a positive number of ms"},
	} {
		if _, err := ParseArgs(info, "sim", []string{"-o", out, "--duration", tc.d}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("--duration %s: %v, want %q", tc.d, err, tc.want)
		}
	}
}

// TestFlagsThatChangeNothing: --threads on a program that runs on one
// thread is said once (a warning: scripts pass it to every program);
// --every and --duration on a whole-brain program with free parameters
// say why they are refused.
func TestFlagsThatChangeNothing(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w
	_, err = ParseArgs(testInfo(), "sim", []string{"--threads", "4", "-o", filepath.Join(t.TempDir(), "a.csv")})
	os.Stderr = saved
	w.Close()
	said, _ := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(said), "warning: --threads 4 changes nothing") {
		t.Errorf("no warning for --threads on a node list: %q", said)
	}
	free := testInfo()
	free.FC = true
	for flag, want := range map[string]string{"--every": "has free parameters", "--duration": "has free parameters"} {
		if _, err := ParseArgs(free, "sim", []string{flag, "2"}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s on a free whole-brain program: %v", flag, err)
		}
	}
}

// TestDanglingLinkOutput: -o through a link whose target's directory is
// missing is refused before the run, naming the link and its target (it
// once ran and then said "directory . does not exist").
func TestDanglingLinkOutput(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "out.csv")
	if err := os.Symlink(filepath.Join(dir, "missing", "t.csv"), link); err != nil {
		t.Skip(err)
	}
	_, err := ParseArgs(testInfo(), "sim", []string{"-o", link})
	if err == nil || !strings.Contains(err.Error(), "it is a link to "+filepath.Join(dir, "missing", "t.csv")+", and directory "+filepath.Join(dir, "missing")+" does not exist") {
		t.Errorf("error %v", err)
	}
}
