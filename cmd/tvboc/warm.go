package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tvboc/tvboc/compiler/inputs"
	"github.com/tvboc/tvboc/gen/build"
)

// A warm run is tvboc run of an experiment whose binary is cached and
// whose inputs have not changed: it runs the binary without compiling the
// YAML again, which for a small NeuroML example is most of tvboc's time
// (the compile ~30 ms and asking go its version ~10 ms, against ~10 ms for
// the simulation itself).
//
// The build cache is keyed by the generated source, which takes a compile
// to know. The warm-run record is keyed by what decides that source before
// compiling: the experiment's content and path, tvboc itself, the working
// directory, run's compile flags and the environment tvboc and go read.
// It names the cached binary and every file the compile looked at (read
// or probed for, with its size and modification time, see package
// inputs); one stat per file tells whether the record still holds.
type warmRecord struct {
	Version int           `json:"version"`
	Binary  string        `json:"binary"`
	Go      inputs.File   `json:"go"`
	Files   []inputs.File `json:"files"`
	Notes   []string      `json:"notes,omitempty"`
}

const warmVersion = 1

// warmKey is the record's key, or "" when it cannot be made (then every run
// compiles).
func warmKey(exp string, f *freeFlag, bf *buildFlags) string {
	self, err := os.Executable()
	if err != nil {
		return ""
	}
	selfInfo, err := os.Stat(self)
	if err != nil {
		return ""
	}
	absExp, err := filepath.Abs(exp)
	if err != nil {
		return ""
	}
	data, err := os.ReadFile(absExp)
	if err != nil {
		return ""
	}
	cwd, _ := os.Getwd()
	h := sha256.New()
	fmt.Fprintf(h, "tvboc-warm-v%d\n%s %d %d\n%s\n%s\n", warmVersion, self, selfInfo.Size(), selfInfo.ModTime().UnixNano(), cwd, absExp)
	fmt.Fprintf(h, "free=%q weights=%q semantics=%q gates=%q go=%q cache=%q\n", f.names, f.weights, f.semantics, f.gateForm, bf.goCmd, bf.cacheDir)
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TVBOC_") || strings.HasPrefix(kv, "GO") || strings.HasPrefix(kv, "PATH=") || strings.HasPrefix(kv, "CGO_") {
			env = append(env, kv)
		}
	}
	slices.Sort(env)
	fmt.Fprintf(h, "%q\n", env)
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))[:32]
}

func warmPath(opts build.Options, key string) string {
	dir := opts.CacheDirectory()
	if dir == "" || key == "" {
		return ""
	}
	return filepath.Join(dir, "runs", key+".json")
}

// warmLookup returns the record for key when it still holds: the binary is
// there, the go command is the one that built it, and every file the
// compile looked at is unchanged.
func warmLookup(opts build.Options, key string) *warmRecord {
	path := warmPath(opts, key)
	if path == "" {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var rec warmRecord
	if json.Unmarshal(data, &rec) != nil || rec.Version != warmVersion {
		return nil
	}
	if fi, err := os.Stat(rec.Binary); err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	goCmd, err := opts.GoCommand()
	if err != nil || inputs.Look(goCmd) != rec.Go {
		return nil
	}
	if !inputs.Unchanged(rec.Files) {
		return nil
	}
	return &rec
}

// warmStore writes the record for key (atomically; a failure only costs
// the next run a compile).
func warmStore(opts build.Options, key, binary string, files []inputs.File, notes []string) {
	path := warmPath(opts, key)
	if path == "" {
		return
	}
	goCmd, err := opts.GoCommand()
	if err != nil {
		return
	}
	data, err := json.Marshal(warmRecord{Version: warmVersion, Binary: binary, Go: inputs.Look(goCmd), Files: files, Notes: notes})
	if err != nil {
		return
	}
	if os.MkdirAll(filepath.Dir(path), 0o755) != nil {
		return
	}
	_ = writeFileAtomic(path, data, 0o644)
}
