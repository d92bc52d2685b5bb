package runtime

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestWriteNetworkRoundTrip: what WriteNetwork writes reads back as the
// same dump, and a value JSON cannot hold fails the write without leaving
// a file.
func TestWriteNetworkRoundTrip(t *testing.T) {
	dir := t.TempDir()
	d := NetworkDump{Label: "x", Seed: 3,
		Populations: []DumpPopulation{{Name: "a", Size: 2, Arrays: map[string][]float64{"C": {1e-9, 7.500000000000001e-10}, "v": {-0.065, -0.07}}}},
		Edges: []DumpEdge{
			{Edge: 0, Target: 0, Row: []int32{0, 1, 1}, Col: []int32{1}, W: []float64{0.1}},
			{Edge: 1, Target: 0, Dense: true, W: []float64{1, 2, 3, 4}},
		}}
	path := filepath.Join(dir, "net.json")
	if err := WriteNetwork(path, d); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var back NetworkDump
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, d) {
		t.Errorf("read back %+v, wrote %+v", back, d)
	}
	d.Populations[0].Arrays["v"][0] = math.NaN()
	bad := filepath.Join(dir, "bad.json")
	if err := WriteNetwork(bad, d); err == nil {
		t.Errorf("a NaN was written as JSON")
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("a failed write left %s", bad)
	}
}

// TestWriteNetworkStreams: the streamed dump is byte for byte what
// encoding/json writes for the same dump, for values in every float
// format, nil and empty arrays, 16-bit columns and float32 weights
// (written widened).
func TestWriteNetworkStreams(t *testing.T) {
	r := NewRNG(5)
	floats := []float64{0, math.Copysign(0, -1), 1, -65, 0.1, 1e-6, 9.99e-7, 1e-7, 1.5e-10, 1e20, 1e21, 1.25e22, -3e-300, math.MaxFloat64, math.SmallestNonzeroFloat64}
	for range 200 {
		floats = append(floats, (r.Float64()-0.5)*math.Pow(10, float64(int(r.Float64()*60)-30)))
	}
	w32 := []float32{0.5, -1e-8, 3.4e38, 0.1}
	col16 := []uint16{0, 65535, 7}
	cases := []struct {
		name     string
		dump     NetworkDump
		wantAsIs NetworkDump // what encoding/json is given, if not dump
	}{
		{name: "empty", dump: NetworkDump{Label: "<a & b>", Seed: math.MaxUint64}},
		{name: "floats", dump: NetworkDump{Label: "x\"y", Seed: 1,
			Populations: []DumpPopulation{
				{Name: "p", Size: len(floats), Arrays: map[string][]float64{"z": floats, "a": floats[:3], "n": nil, "e": {}}},
				{Name: "q", Size: 0},
			},
			Edges: []DumpEdge{
				{Edge: 0, Target: 1, Dense: true, W: floats[:4]},
				{Edge: 1, Target: 0, Row: []int32{0, 0}, Col: nil, W: nil},
				{Edge: 2, Target: 0, Row: []int32{0, 2, 3}, Col: []int32{5, 1 << 30, 2}, W: floats[5:8]},
			}}},
		{name: "narrow", dump: NetworkDump{Label: "n", Seed: 2, Populations: []DumpPopulation{},
			Edges: []DumpEdge{{Edge: 0, Target: 0, Row: []int32{0, 3}, Col16: col16, W32: w32[:3]}, {Edge: 1, Target: 0, Row: []int32{0, 0}, Col16: []uint16{}, W32: []float32{}}}},
			wantAsIs: NetworkDump{Label: "n", Seed: 2, Populations: []DumpPopulation{},
				Edges: []DumpEdge{{Edge: 0, Target: 0, Row: []int32{0, 3}, Col: []int32{0, 65535, 7}, W: []float64{float64(w32[0]), float64(w32[1]), float64(w32[2])}}, {Edge: 1, Target: 0, Row: []int32{0, 0}}}}},
	}
	for _, c := range cases {
		var got bytes.Buffer
		bw := bufio.NewWriter(&got)
		if err := writeDump(bw, c.dump); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		bw.Flush()
		want := c.wantAsIs
		if want.Label == "" {
			want = c.dump
		}
		var exp bytes.Buffer
		if err := json.NewEncoder(&exp).Encode(want); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), exp.Bytes()) {
			t.Errorf("%s: streamed\n%s\nencoding/json\n%s", c.name, got.Bytes(), exp.Bytes())
		}
	}
}
