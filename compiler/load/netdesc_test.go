package load

import (
	"strings"
	"testing"
)

// TestNetworkDescriptorEmptyNames: an empty weights or lengths name is
// refused at its value (it was reported at the file's first line as a
// file without weights, with a hint about lengths); a missing weights key
// is refused at the document.
func TestNetworkDescriptorEmptyNames(t *testing.T) {
	const head = "type: network\nnumber_of_regions: 4\n"
	for src, want := range map[string]string{
		head + "weights: \"\"\nlengths: l.csv\n":  `net.yaml:3:10: weights is empty: name the weights file (write weights: <name>_weights.csv)`,
		head + "weights: w.csv\nlengths: ''\n":    `net.yaml:4:10: lengths is empty: name the lengths file (write lengths: <name>_lengths.csv, or leave the key out (no tract lengths: no delays))`,
		head + "lengths: l.csv\n":                 `net.yaml:1:1: the network file names no weights`,
		head + "weights: w.csv\nlengths: l.csv\n": "",
	} {
		_, err := NetworkDescriptor("net.yaml", []byte(src))
		switch {
		case want == "" && err != nil:
			t.Errorf("%q: %v", src, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%q: %v, want %q", src, err, want)
		}
	}
}
