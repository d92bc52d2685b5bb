package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/tvboc/tvboc/gen/build"
)

// copyTree copies the files of src (not recursively) into dst.
func copyFiles(t *testing.T, dst string, srcs ...string) {
	t.Helper()
	for _, src := range srcs {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, filepath.Base(src)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// defaultFreeFlag is run's compile flags at their defaults, as the
// command's flag set leaves them.
func defaultFreeFlag() *freeFlag {
	var f freeFlag
	f.add(&cobra.Command{})
	return &f
}

// warmRecordFor reads the warm-run record tvboc run left for exp.
func warmRecordFor(t *testing.T, cache, exp string) (*warmRecord, string) {
	t.Helper()
	key := warmKey(exp, defaultFreeFlag(), &buildFlags{cacheDir: cache})
	path := warmPath(build.Options{CacheDir: cache}, key)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no warm-run record after tvboc run: %v", err)
	}
	var rec warmRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	return &rec, key
}

// TestWarmRunSkipsTheCompile runs a whole-brain experiment twice and shows
// that the second run takes the warm path (it runs the binary the record
// names without compiling), gives the same bytes, and that every change to
// what the compile read sends the next run back through the compiler.
func TestWarmRunSkipsTheCompile(t *testing.T) {
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache")
	net := filepath.Join(dir, "tiny")
	if err := os.MkdirAll(net, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFiles(t, net, "../../testdata/tvb/tiny/tiny_weights.csv", "../../testdata/tvb/tiny/tiny_lengths.csv")
	expDir := filepath.Join(dir, "exp")
	if err := os.MkdirAll(expDir, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFiles(t, expDir, "../../testdata/tvb/epileptor_tiny/exp.yaml")
	exp := filepath.Join(expDir, "exp.yaml")
	out1, out2 := filepath.Join(dir, "one.csv"), filepath.Join(dir, "two.csv")

	runTvboc(t, "run", "-q", "--cache-dir", cache, exp, "-o", out1, "--quiet")
	rec, key := warmRecordFor(t, cache, exp)
	var read []string
	for _, f := range rec.Files {
		if f.Read {
			read = append(read, filepath.Base(f.Path))
		}
	}
	if got := strings.Join(read, " "); got != "exp.yaml tiny_lengths.csv tiny_weights.csv" {
		t.Errorf("the record lists the files read as %q, want the experiment and both matrices", got)
	}
	opts := build.Options{CacheDir: cache}
	if warmLookup(opts, key) == nil {
		t.Fatal("the record does not hold right after the run that wrote it")
	}

	runTvboc(t, "run", "-q", "--cache-dir", cache, exp, "-o", out2, "--quiet")
	a, _ := os.ReadFile(out1)
	b, _ := os.ReadFile(out2)
	if len(a) == 0 || string(a) != string(b) {
		t.Fatalf("the warm run wrote other bytes than the first (%d and %d bytes)", len(a), len(b))
	}
	// "--" before the binary's flags is a separator, not one of them
	sep := filepath.Join(dir, "separated.csv")
	runTvboc(t, "run", "-q", "--cache-dir", cache, exp, "--", "-o", sep, "--quiet")
	if c, _ := os.ReadFile(sep); string(c) != string(a) {
		t.Fatalf("run with -- before the binary's flags wrote other bytes (%d and %d)", len(a), len(c))
	}

	// An output that names a file the compile read is refused on the warm
	// path too.
	var stdout, stderr strings.Builder
	weights := filepath.Join(net, "tiny_weights.csv")
	if code := run([]string{"run", "-q", "--cache-dir", cache, exp, "-o", weights}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "which this run reads") {
		t.Errorf("warm run with -o onto the weights: exit %d, %q", code, stderr.String())
	}

	// The warm path runs what the record names, without compiling: a
	// stand-in there proves it.
	marker := filepath.Join(dir, "ran")
	real, err := os.ReadFile(rec.Binary)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rec.Binary, []byte("#!/bin/sh\ntouch "+marker+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	runTvboc(t, "run", "-q", "--cache-dir", cache, exp, "-o", out2, "--quiet")
	if _, err := os.Stat(marker); err != nil {
		t.Fatal("the second run did not take the warm path")
	}
	if err := os.WriteFile(rec.Binary, real, 0o755); err != nil {
		t.Fatal(err)
	}

	// Changing a matrix the compile read invalidates the record: the next
	// run compiles again (the weights are constants of the program) and its
	// results differ.
	w, _ := os.ReadFile(weights)
	if err := os.WriteFile(weights, []byte(strings.Replace(string(w), "1", "2", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if warmLookup(opts, key) != nil {
		t.Fatal("the record still holds after the weights changed")
	}
	out3 := filepath.Join(dir, "three.csv")
	runTvboc(t, "run", "-q", "--cache-dir", cache, exp, "-o", out3, "--quiet")
	c, _ := os.ReadFile(out3)
	if string(a) == string(c) {
		t.Error("new weights, same results: the run used the old program")
	}

	// Another environment (here --dt's variable) is another key.
	t.Setenv("TVBOC_DT", "0.025")
	if other := warmKey(exp, defaultFreeFlag(), &buildFlags{cacheDir: cache}); other == key {
		t.Error("the key does not depend on the environment the compiler reads")
	}
}
