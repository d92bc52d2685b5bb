package sweep

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	rt "github.com/tvboc/tvboc/runtime"
)

func TestExplorations(t *testing.T) {
	tests := []struct {
		name     string
		yaml     string
		wantAxes []string
		wantSets [][]float64
		wantErr  string
	}{
		{name: "none", yaml: "label: x\n"},
		{name: "product with domain",
			yaml:     "explorations:\n  e:\n    space:\n      a: {parameter: izBurst.a, explored_values: [1, 2]}\n      izBurst.d: {domain: {lo: 0, hi: 1, n: 3}}\n",
			wantAxes: []string{"izBurst.a", "izBurst.d"},
			wantSets: [][]float64{{1, 0}, {1, 0.5}, {1, 1}, {2, 0}, {2, 0.5}, {2, 1}}},
		{name: "zip and plain list",
			yaml:     "explorations:\n  e:\n    mode: zip\n    space:\n      x.a: [1, 2]\n      x.b: {values: [3, 4]}\n",
			wantAxes: []string{"x.a", "x.b"}, wantSets: [][]float64{{1, 3}, {2, 4}}},
		{name: "log domain",
			yaml:     "explorations:\n  e:\n    space:\n      x.a: {domain: {lo: 1, hi: 100, n: 3, log_scale: true}}\n",
			wantAxes: []string{"x.a"}, wantSets: [][]float64{{1}, {10.000000000000002}, {100}}},
		{name: "zip of unequal lengths", yaml: "explorations:\n  e:\n    mode: zip\n    space:\n      x.a: [1, 2]\n      x.b: [3]\n",
			wantErr: "e.yaml:6:7: exploration \"e\" zips x.a (2 values) with x.b (1 values): zip needs equal lengths"},
		{name: "a parameter twice", yaml: "explorations:\n  e:\n    space: {x.a: [1, 2], x.a: [3]}\n",
			wantErr: `e.yaml:3:26: exploration "e" names x.a twice (first at line 3): give each parameter once`},
		{name: "bad mode", yaml: "explorations:\n  e:\n    mode: grid\n    space: {x.a: [1]}\n", wantErr: `mode "grid": want product or zip`},
		{name: "no space", yaml: "explorations:\n  e: {mode: zip}\n", wantErr: `exploration "e" has no space`},
		{name: "not a number", yaml: "explorations:\n  e:\n    space: {x.a: [1, b]}\n", wantErr: `e.yaml:3:22: "b" is not a finite number`},
		// a list beside a domain dropped the domain without a word
		{name: "values and a domain", yaml: "explorations:\n  e:\n    space: {x.a: {explored_values: [1, 2], domain: {lo: 1, hi: 3, n: 2}}}\n",
			wantErr: `e.yaml:3:52: x.a: give a list of values or a domain, not both: the domain would be ignored`},
		{name: "values twice", yaml: "explorations:\n  e:\n    space: {x.a: {explored_values: [1, 2], values: [3]}}\n",
			wantErr: `e.yaml:3:52: x.a: give explored_values or values, not both`},
		{name: "domain without n", yaml: "explorations:\n  e:\n    space: {x.a: {domain: {lo: 1, hi: 2}}}\n", wantErr: "a domain needs lo, hi and n"},
		{name: "bad n", yaml: "explorations:\n  e:\n    space: {x.a: {domain: {lo: 1, hi: 2, n: 2.5}}}\n", wantErr: "want a whole number from 1 to 1000000"},
		{name: "too many sets", yaml: "explorations:\n  e:\n    space:\n      x.a: {domain: {lo: 1, hi: 2, n: 100000}}\n      x.b: {domain: {lo: 1, hi: 2, n: 100000}}\n",
			wantErr: `e.yaml:2:3: exploration "e" is a product of 100000 x 100000 values, 1e+10 sets, more than the limit of 1000000 sets`},
		{name: "log of zero", yaml: "explorations:\n  e:\n    space: {x.a: {domain: {lo: 0, hi: 2, n: 2, log_scale: true}}}\n", wantErr: "needs lo and hi above 0"},
		// a model's parameters' own explored_values: one product over them
		{name: "model parameters' explored_values",
			yaml:     "name: M\nparameters:\n  C: {value: 135, explored_values: [68, 135]}\n  a: {value: 0.1}\n  b: {value: 1, explored_values: [1, 2]}\n",
			wantAxes: []string{"C", "b"}, wantSets: [][]float64{{68, 1}, {68, 2}, {135, 1}, {135, 2}}},
		{name: "an experiment's dynamics, as a LinkML list",
			yaml:     "dynamics:\n  iri: tvbo:JansenRit\n  parameters:\n    - name: a\n      value: 0.1\n      explored_values: [0.1, 0.2]\n",
			wantAxes: []string{"a"}, wantSets: [][]float64{{0.1}, {0.2}}},
		{name: "a model's list of one-key mappings",
			yaml:     "model:\n  parameters:\n    - C: {value: 1, explored_values: [1, 3]}\n",
			wantAxes: []string{"C"}, wantSets: [][]float64{{1}, {3}}},
		{name: "a network node's parameters are not the model's",
			yaml: "network:\n  nodes:\n    - dynamics: {parameters: {C: {value: 1, explored_values: [1, 2]}}}\n"},
		{name: "explored value not a number", yaml: "parameters:\n  C: {value: 1, explored_values: [1, x]}\n", wantErr: `e.yaml:2:38: "x" is not a finite number`},
		{name: "no explored values", yaml: "parameters:\n  C: {value: 1, explored_values: []}\n", wantErr: "e.yaml:2:17: C: explored_values lists no values"},
		{name: "an exploration named as the parameters' own",
			yaml:    "parameters:\n  C: {value: 1, explored_values: [1]}\nexplorations:\n  explored_values: {space: {C: [2]}}\n",
			wantErr: `may not be named "explored_values"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es, err := Explorations("e.yaml", []byte(tt.yaml))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantAxes == nil {
				if len(es) != 0 {
					t.Fatalf("got %d explorations, want none", len(es))
				}
				return
			}
			var axes []string
			for _, a := range es[0].Axes {
				axes = append(axes, a.Parameter)
			}
			if diff := cmp.Diff(tt.wantAxes, axes); diff != "" {
				t.Errorf("axes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantSets, es[0].Sets()); diff != "" {
				t.Errorf("sets (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParameterExplorationAfterSection: a file with an explorations
// section and explored parameters has both, the section's first, and the
// parameters' at their line.
func TestParameterExplorationAfterSection(t *testing.T) {
	doc := "dynamics:\n  parameters:\n    a: {value: 1, explored_values: [1, 2, 3]}\nexplorations:\n  mine: {space: {b: [5]}}\n"
	es, err := Explorations("e.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Name != "mine" || es[1].Name != ParameterExplorationName || es[1].Line != 3 || len(es[1].Sets()) != 3 {
		t.Errorf("explorations %+v", es)
	}
}

func entries(indices ...int) []rt.ManifestEntry {
	var out []rt.ManifestEntry
	for _, i := range indices {
		out = append(out, rt.ManifestEntry{Index: i, Cells: []string{"1"}, Status: rt.StatusOK})
	}
	return out
}

func TestMerge(t *testing.T) {
	params := []rt.Param{{Name: "x.a"}}
	shard := func(sets int, idx ...int) *rt.Manifest {
		return &rt.Manifest{SweepSets: sets, Params: params, Entries: entries(idx...)}
	}
	sharded := func(sets int, shard string, idx ...int) *rt.Manifest {
		return &rt.Manifest{SweepSets: sets, Shard: shard, Params: params, Entries: entries(idx...)}
	}
	interrupted := func(m *rt.Manifest, index int) *rt.Manifest {
		for i := range m.Entries {
			if m.Entries[i].Index == index {
				m.Entries[i].Status = rt.StatusInterrupted
			}
		}
		return m
	}
	tests := []struct {
		name      string
		in        []*rt.Manifest
		allow     bool
		wantIndex []int
		wantErr   string
	}{
		{"in any order", []*rt.Manifest{shard(5, 3, 4), shard(5, 0, 1, 2)}, false, []int{0, 1, 2, 3, 4}, ""},
		{"empty shard", []*rt.Manifest{shard(0), shard(2, 0, 1)}, false, []int{0, 1}, ""},
		{"missing shard", []*rt.Manifest{shard(8, 0, 1), shard(8, 6, 7)}, false, nil, "no manifest lists sets 2-5"},
		{"missing at the end", []*rt.Manifest{shard(3, 0, 1)}, false, nil, "no manifest lists set 2:"},
		{"missing allowed", []*rt.Manifest{shard(8, 0, 1)}, true, []int{0, 1}, ""},
		{"duplicate", []*rt.Manifest{shard(2, 0, 1), shard(2, 1)}, false, nil, "set 1 is in both m0 and m1"},
		{"other sweep size", []*rt.Manifest{shard(2, 0), shard(3, 1)}, false, nil, "is from a sweep of 3 sets, but others are from one of 2"},
		{"other parameters", []*rt.Manifest{shard(2, 0), {SweepSets: 2, Params: []rt.Param{{Name: "x.b"}}, Entries: entries(1)}}, false, nil,
			"m1 lists parameters (x.b), but m0 lists (x.a)"},
		{"outside", []*rt.Manifest{shard(2, 0, 1, 5)}, false, nil, "set 5 (m0) is outside the sweep of 2 sets"},
		{"missing shards named", []*rt.Manifest{sharded(10, "0/4", 0, 1), sharded(10, "2/4", 5, 6)}, false, nil,
			"no manifest lists sets 2-4, 7-9: shards 1,3 of 4 did not finish"},
		{"interrupted", []*rt.Manifest{sharded(4, "0/2", 0, 1), interrupted(sharded(4, "1/2", 2, 3), 3)}, false, nil,
			"the sweep has 4 sets, but set 3 interrupted: shard 1 of 2 did not finish"},
		{"interrupted allowed", []*rt.Manifest{sharded(4, "0/2", 0, 1), interrupted(sharded(4, "1/2", 2, 3), 3)}, true, []int{0, 1, 2, 3}, ""},
		// sbatch --array=2 of a script that let the binary derive its
		// shard ran the whole sweep as "shard 0/1".
		{"whole sweep as a shard", []*rt.Manifest{sharded(4, "0/2", 0, 1), sharded(4, "1/2", 2, 3), sharded(4, "0/1", 0, 1, 2, 3)}, false, nil,
			"m2 is shard 0/1, but m1 is one of 2 shards"},
		{"outside its shard", []*rt.Manifest{sharded(4, "0/2", 0, 1, 2)}, false, nil, "m0 is shard 0/2 (sets 0 to 1) but lists set 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			names := make([]string, len(tt.in))
			for i := range names {
				names[i] = "m" + string(rune('0'+i))
			}
			m, err := Merge(tt.in, names, tt.allow)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, e := range m.Entries {
				got = append(got, e.Index)
			}
			if diff := cmp.Diff(tt.wantIndex, got); diff != "" {
				t.Errorf("indices (-want +got):\n%s", diff)
			}
		})
	}
}

// TestManifestRoundTrip writes manifests with the runtime's writer and reads
// them back: the reader is the writer's inverse, in both formats.
func TestManifestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	m := rt.Manifest{Program: "ex2", Sweep: "s.csv", SweepSets: 9, Shard: "1/3",
		Params: []rt.Param{{Name: "izBurst.a"}, {Name: "izBurst.thresh", Unit: "mV"}},
		Entries: []rt.ManifestEntry{
			{Index: 3, Cells: []string{"0.02", "30"}, Status: rt.StatusOK, Output: filepath.Join(dir, "out", "3.csv"), WallSeconds: 0.5},
			{Index: 4, Cells: []string{"x,y", ""}, Status: rt.StatusInvalid, Error: `line 6: "x,y" is not a number`},
		}}
	for _, ext := range []string{".csv", ".json"} {
		t.Run(ext, func(t *testing.T) {
			path := filepath.Join(dir, "manifest"+ext)
			if err := rt.WriteManifestFile(path, m); err != nil {
				t.Fatal(err)
			}
			if ext == ".csv" && !strings.Contains(readString(t, path), ",ok,out/3.csv,") {
				t.Errorf("output path not relative to the manifest:\n%s", readString(t, path))
			}
			got, err := ReadManifest(path)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(m.Entries, got.Entries); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if got.SweepSets != 9 || got.Shard != "1/3" {
				t.Errorf("sweep_sets %d, shard %q, want 9 and 1/3", got.SweepSets, got.Shard)
			}
		})
	}
	// A manifest from before the shard column still reads.
	old := filepath.Join(dir, "old.csv")
	if err := os.WriteFile(old, []byte("index,x.a,status,output,wall_seconds,sweep_sets,error\n0,1,ok,0.csv,0.1,2,\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadManifest(old); err != nil || len(got.Entries) != 1 || got.Entries[0].Status != rt.StatusOK || got.SweepSets != 2 {
		t.Errorf("manifest without a shard column: %+v, %v", got, err)
	}
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("a,b\n1,2\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadManifest(bad); err == nil || !strings.Contains(err.Error(), "is not a tvboc manifest's") {
		t.Errorf("reading a foreign CSV: error %v", err)
	}
}

func readString(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// writeShard writes a (sets, rows, cols) .npy whose values count up from
// start, and returns the values.
func writeShard(t *testing.T, path string, sets, rows, cols int, start float64) []float64 {
	t.Helper()
	header, err := npyHeader(sets, rows, cols)
	if err != nil {
		t.Fatal(err)
	}
	var values []float64
	for i := range sets * rows * cols {
		v := start + float64(i)
		values = append(values, v)
		header = binary.LittleEndian.AppendUint64(header, math.Float64bits(v))
	}
	if err := os.WriteFile(path, header, 0o666); err != nil {
		t.Fatal(err)
	}
	return values
}

func TestJoinNPY(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "shard-0.npy"), filepath.Join(dir, "shard-1.npy")
	want := append(writeShard(t, a, 2, 3, 2, 0), writeShard(t, b, 1, 3, 2, 100)...)
	m := &rt.Manifest{SweepSets: 3, Entries: []rt.ManifestEntry{{Index: 0, Output: a}, {Index: 1, Output: a}, {Index: 2, Output: b}}}
	out := filepath.Join(dir, "sweep.npy")
	if err := JoinNPY(m, out); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	arr, err := readNPYHeader(f)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{3, 3, 2}, arr.shape); diff != "" {
		t.Errorf("shape (-want +got):\n%s", diff)
	}
	data := []byte(readString(t, out))[arr.dataStart:]
	for i, w := range want {
		if got := math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:])); got != w {
			t.Fatalf("value %d = %v, want %v", i, got, w)
		}
	}
	for _, e := range m.Entries {
		if e.Output != out {
			t.Errorf("set %d still points at %s", e.Index, e.Output)
		}
	}

	hugeHeader := filepath.Join(dir, "huge.npy")
	if err := os.WriteFile(hugeHeader, []byte("\x93NUMPY\x02\x00\xff\xff\xff\xff{'descr'"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		entries []rt.ManifestEntry
		wantErr string
	}{
		{"count mismatch", []rt.ManifestEntry{{Index: 0, Output: a}, {Index: 1, Output: b}}, "shard-0.npy holds 2 sets, but the manifests list 1"},
		{"interleaved", []rt.ManifestEntry{{Index: 0, Output: a}, {Index: 1, Output: b}, {Index: 2, Output: a}}, "are not contiguous"},
		{"csv output", []rt.ManifestEntry{{Index: 0, Output: "0.csv"}}, "only .npy sweeps can be joined"},
		// a version-2 header claiming 4 GB: refused, not allocated
		{"huge header", []rt.ManifestEntry{{Index: 0, Output: hugeHeader}}, "a header of 4294967295 bytes: the file is damaged"},
	}
	for _, tt := range tests {
		err := JoinNPY(&rt.Manifest{Entries: tt.entries}, filepath.Join(dir, "x.npy"))
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: error %v, want it to contain %q", tt.name, err, tt.wantErr)
		}
	}
}

func TestJobScript(t *testing.T) {
	job := Job{Name: "ex2-sweep", Binary: "/shared/ex2", Sweep: "/shared/sweep.csv", OutDir: "/shared/out",
		Tasks: 4, CPUs: 2, Partition: "debug", Time: "00:10:00", Format: "csv", Record: "all", Throttle: 2,
		Path: "/shared/ex2.sbatch", Signal: 60}
	script, err := job.Script()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"#!/bin/bash\n",
		"#SBATCH --array=0-3%2\n", "#SBATCH --cpus-per-task=2\n", "#SBATCH --partition=debug\n", "#SBATCH --time=00:10:00\n",
		"#SBATCH --output=/shared/out/slurm-%A_%a.log\n",
		"#SBATCH --signal=B:TERM@60\n",
		"shard=\"${SLURM_ARRAY_TASK_ID:?",
		"exec /shared/ex2 \\\n  --sweep /shared/sweep.csv \\\n  --shard \"$shard/4\" \\\n  --record all \\\n  -o '/shared/out/{index}.csv' \\\n  --jobs \"${SLURM_CPUS_PER_TASK:-2}\"\n",
		"#   tvboc merge -o /shared/out/manifest.csv --job /shared/ex2.sbatch /shared/out/manifest-*.csv\n",
		"#   sbatch --array=1,3 /shared/ex2.sbatch\n",
	} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %q:\n%s", want, script)
		}
	}
	if i, j := strings.Index(script, "#SBATCH"), strings.Index(script, "set -euo"); i < 0 || j < i || strings.Contains(script[j:], "#SBATCH") {
		t.Errorf("every #SBATCH line must come before the first command:\n%s", script)
	}
	// The script carries the job, for tvboc merge --job.
	path := filepath.Join(t.TempDir(), "job.sbatch")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJob(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(job, back); diff != "" {
		t.Errorf("job read back from the script (-want +got):\n%s", diff)
	}
	if got, want := job.LocalCommand(2), "/shared/ex2 --sweep /shared/sweep.csv --shard 2/4 --record all -o '/shared/out/{index}.csv'"; got != want {
		t.Errorf("local command\n%s\nwant\n%s", got, want)
	}
	if err := os.WriteFile(path, []byte("#!/bin/bash\nexec ./sim\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadJob(path); err == nil || !strings.Contains(err.Error(), "not a job script written by tvboc slurm") {
		t.Errorf("ReadJob of a foreign script: %v", err)
	}
	job.AllowFailed = true
	if script, _ := job.Script(); !strings.Contains(script, "  --allow-failed \\\n") {
		t.Errorf("--allow-failed is not passed on:\n%s", script)
	}
	job.Format, job.Path = "npy", ""
	if got := job.MergeCommand(); got != "tvboc merge -o /shared/out/manifest.csv --npy /shared/out/sweep.npy /shared/out/shard-*.manifest.csv" {
		t.Errorf("npy merge command %q", got)
	}

	bad := []struct {
		edit    func(*Job)
		wantErr string
	}{
		{func(j *Job) { j.Tasks = 0 }, "--tasks 0"},
		{func(j *Job) { j.CPUs = 0 }, "--cpus 0"},
		{func(j *Job) { j.Name = "a b" }, `job name "a b"`},
		{func(j *Job) { j.Format = "txt" }, `format "txt"`},
		{func(j *Job) { j.Time = "1 h" }, `--time "1 h": write a Slurm time limit`},
		{func(j *Job) { j.Time = "garbage" }, `--time "garbage": write a Slurm time limit`},
		{func(j *Job) { j.Partition = "a b" }, "no spaces"},
		{func(j *Job) { j.OutDir = "/my results" }, "cannot hold spaces"},
		{func(j *Job) { j.Signal = -1 }, "--signal -1"},
		{func(j *Job) { j.Population = true }, "--format npy: a population network's sweep writes one file per set"},
	}
	for _, tt := range bad {
		j := job
		tt.edit(&j)
		if _, err := j.Script(); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("error %v, want it to contain %q", err, tt.wantErr)
		}
	}
	// A population network's binary: sets in turn on every core of the
	// task (--threads, not --jobs), spikes written per set.
	pop := job
	pop.Format, pop.Population, pop.Spikes, pop.AllowFailed = "csv", true, true, false
	script, err = pop.Script()
	if err != nil {
		t.Fatal(err)
	}
	if want := "  -o '/shared/out/{index}.csv' \\\n  --spikes '/shared/out/spikes-{index}.csv' \\\n  --threads \"${SLURM_CPUS_PER_TASK:-2}\"\n"; !strings.HasSuffix(script, want) {
		t.Errorf("population script ends\n%s\nwant\n%s", script[strings.LastIndex(script, "  -o"):], want)
	}
	if strings.Contains(script, "--jobs") {
		t.Errorf("population script passes --jobs:\n%s", script)
	}
	if got, want := pop.LocalCommand(1), "/shared/ex2 --sweep /shared/sweep.csv --shard 1/4 --record all -o '/shared/out/{index}.csv' --spikes '/shared/out/spikes-{index}.csv'"; got != want {
		t.Errorf("population local command\n%s\nwant\n%s", got, want)
	}
	for _, tt := range []struct {
		in   []int
		want string
	}{{[]int{3}, "3"}, {[]int{1, 2}, "1,2"}, {[]int{0, 1, 2, 5, 7, 8, 9}, "0-2,5,7-9"}} {
		if got := ShardList(tt.in); got != tt.want {
			t.Errorf("ShardList(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := shellQuote("it's"); got != `'it'\''s'` {
		t.Errorf("shellQuote = %s", got)
	}
}

// TestSpacedWideDomain: a domain whose width overflows float64 (-1.7e308
// to 1.7e308) still gives finite, increasing values, where lo + i*(hi -
// lo)/(n - 1) gave +Inf inside; an ordinary domain keeps numpy.linspace's
// values.
func TestSpacedWideDomain(t *testing.T) {
	wide := spaced(-1.7e308, 1.7e308, 5, false)
	for i, v := range wide {
		if math.IsInf(v, 0) || math.IsNaN(v) || i > 0 && v <= wide[i-1] {
			t.Fatalf("wide domain: %v", wide)
		}
	}
	if wide[2] != 0 {
		t.Errorf("wide domain's middle value = %v, want 0", wide[2])
	}
	if got := spaced(0, 1, 5, false); got[1] != 0.25 || got[3] != 0.75 {
		t.Errorf("0 to 1 in 5: %v", got)
	}
}

// TestSignalAndTime: Slurm's time limits read as seconds, and a --signal
// that Slurm refuses (above 65535) or that comes at or before a task's
// start (not before the limit) is refused when the script is made.
func TestSignalAndTime(t *testing.T) {
	for limit, want := range map[string]int{
		"30": 1800, "00:30": 30, "1:00:00": 3600, "2-12": 216000, "1-00:01": 86460, "1-00:00:05": 86405,
	} {
		if got, ok := TimeSeconds(limit); !ok || got != want {
			t.Errorf("TimeSeconds(%q) = %d, %v; want %d", limit, got, ok, want)
		}
	}
	for _, none := range []string{"", "infinite", "UNLIMITED", "1h"} {
		if _, ok := TimeSeconds(none); ok {
			t.Errorf("TimeSeconds(%q) is a limit", none)
		}
	}
	job := Job{Name: "j", Binary: "/b", Sweep: "/s.csv", OutDir: "/o", Tasks: 2, CPUs: 1, Format: "csv", Record: "v"}
	for _, tc := range []struct {
		time   string
		signal int
		want   string
	}{
		{"", 99999999, "--signal 99999999: Slurm takes at most 65535 seconds"},
		{"00:30", 60, "--signal 60 is not before the time limit --time 00:30 (30 s)"},
		{"00:30", 15, ""},
		{"10", 60, ""},
		{"infinite", 600, ""},
	} {
		j := job
		j.Time, j.Signal = tc.time, tc.signal
		err := j.Check()
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("--time %q --signal %d: %v, want %q", tc.time, tc.signal, err, tc.want)
		}
	}
}
