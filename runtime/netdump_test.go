package runtime

import (
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
			{Edge: 0, Target: 0, Row: []int32{0, 1, 1}, Col: Int32s([]uint16{1}), W: []float64{0.1}},
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
