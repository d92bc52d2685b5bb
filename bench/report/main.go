// Command report runs the project's Go benchmarks several times,
// interleaved (one pass over every benchmark per round, so machine noise
// hits all of them alike), and prints the median of each with the ratio of
// every generated program to its hand-written baseline measured in the
// same run. It writes the table as Markdown (BENCHMARKS.md by default).
//
// It then runs the whole-program workloads (workloads.go): the seed (W1),
// Izhikevich's spnet (W2, N = 1000 and 10,000) and the exp-heavy cells
// (W6: TVBO's NeuroML Ex26; W7: a Jansen-Rit node; W8: TVBO's Ex15) as
// separate processes of every implementation (tvboc's generated binary,
// the hand-written Go and C baselines in bench/baseline, Brian2 in
// bench/brian2, installed when missing), again interleaved, with medians
// and ratios to C.
//
//	go run ./bench/report -rounds 5 ./bench/ ./runtime/
//	go run ./bench/report -quick          # CI smoke test: one short round, no installs
//	go run ./bench/report -gobench=false  # workloads only
//	go run ./bench/report -gobench=false -workloads=W6,W7  # just these (and no parity programs)
//	go run ./bench/report -gobench=false -workloads=W9 -merge  # update W9's section of BENCHMARKS.md only
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(-\d+)?\s+\d+\s+(.*)$`)

// plainNsOp is the standard ns/op column (absent when a benchmark reports
// only custom metrics).
var plainNsOp = regexp.MustCompile(`(?:^|\s)([0-9.e+]+) ns/op`)

// pairedMetric is a custom metric "<impl>-ns/op" of a benchmark that times
// two implementations alternately (see bench.runPaired).
var pairedMetric = regexp.MustCompile(`([0-9.e+]+) (\w+)-ns/op`)

func main() {
	rounds := flag.Int("rounds", 5, "how many interleaved rounds to run")
	benchtime := flag.String("benchtime", "10x", "go test -benchtime for each round")
	pattern := flag.String("bench", ".", "go test -bench pattern")
	out := flag.String("o", "BENCHMARKS.md", "Markdown file to write (\"-\" for none; quick mode defaults to none)")
	quick := flag.Bool("quick", false, "CI smoke test: one round, -benchtime 1x, W2 shortened to 50 ms, no installs, no Brian2 cpp_standalone")
	gobench := flag.Bool("gobench", true, "run the go test benchmarks")
	workloads := selection{all: true}
	flag.Var(&workloads, "workloads", "run the whole-program workloads: true (all), false (none) or a comma-separated list of ids (-workloads=W1,W6; W2 selects both sizes, P every plain-build parity program, \"P Ex26\" one)")
	billion := flag.Bool("billion", true, "W3: run the billion-synapse network once (when the memory it needs is available)")
	brian2 := flag.Bool("brian2", true, "include Brian2 (installs Debian's python3-brian when missing, except in quick mode)")
	brianStd := flag.Bool("brian2-standalone", true, "include Brian2 cpp_standalone (a full C++ build of about 10-30 s per run)")
	merge := flag.Bool("merge", false, "update only the sections this run measures in the existing -o file, keeping the others (re-measure one family without a full make bench)")
	flag.Parse()
	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *quick {
		// A smoke test proves every row still runs; its numbers are not
		// for quoting, so it writes no file unless asked to.
		*rounds, *benchtime = 1, "1x"
		if !set["o"] {
			*out = "-"
		}
	}
	pkgs := flag.Args()
	if len(pkgs) == 0 {
		pkgs = []string{"./bench/"}
	}
	var table, intro string
	if *gobench {
		table = goBenchmarks(*rounds, *benchtime, *pattern, pkgs)
		intro = fmt.Sprintf("%d interleaved rounds of `go test -bench %s -benchtime %s %s`; medians. ", *rounds, *pattern, *benchtime, strings.Join(pkgs, " "))
		fmt.Print(table)
	}
	if workloads.any() {
		root, err := moduleRoot()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		section, err := runWorkloads(workloadConfig{root: root, rounds: *rounds, quick: *quick, brian2: *brian2, brianStd: *brianStd, only: workloads, billion: *billion})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Print("\n" + section)
		if table != "" {
			table = "## Go benchmarks\n\n" + table + "\n"
		}
		table += section
	}
	if section := jneuromlSection(); section != "" && *out != "-" {
		table += section
	}
	if *out != "-" {
		header := fmt.Sprintf("# Benchmarks\n\nMeasured %s on %s/%s with %d CPUs (%s). %sRegenerate with `make bench`.\n\n",
			time.Now().UTC().Format("2006-01-02"), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), cpuName(), intro)
		doc := header + table
		if *merge {
			old, err := os.ReadFile(*out)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			doc = mergeReport(string(old), doc, time.Now().UTC().Format("2006-01-02"))
		}
		if err := os.WriteFile(*out, []byte(doc), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

// selection is the -workloads flag: a boolean (every workload, or none)
// or a comma-separated list of workload ids.
type selection struct {
	all bool
	ids []string
}

func (s *selection) IsBoolFlag() bool { return true }

func (s *selection) String() string {
	if s == nil || s.all || len(s.ids) == 0 {
		return strconv.FormatBool(s != nil && s.all)
	}
	return strings.Join(s.ids, ",")
}

func (s *selection) Set(v string) error {
	s.all, s.ids = false, nil
	if b, err := strconv.ParseBool(v); err == nil {
		s.all = b
		return nil
	}
	for _, id := range strings.Split(v, ",") {
		if id = strings.TrimSpace(id); id != "" {
			s.ids = append(s.ids, id)
		}
	}
	if len(s.ids) == 0 {
		return fmt.Errorf("no workload ids in %q", v)
	}
	return nil
}

func (s selection) any() bool { return s.all || len(s.ids) > 0 }

// has reports whether the workload id is selected: listed as a whole
// ("W2 N=1000", "P Ex26") or by its first word ("W2", "P").
func (s selection) has(id string) bool {
	if s.all {
		return true
	}
	first, _, _ := strings.Cut(id, " ")
	for _, want := range s.ids {
		if strings.EqualFold(want, id) || strings.EqualFold(want, first) {
			return true
		}
	}
	return false
}

// goBenchmarks runs the go test benchmarks of pkgs in interleaved rounds
// and returns the Markdown table of medians.
func goBenchmarks(rounds int, benchtime, pattern string, pkgs []string) string {
	samples := map[string][]float64{}
	var order []string
	for r := 1; r <= rounds; r++ {
		fmt.Fprintf(os.Stderr, "round %d/%d ...\n", r, rounds)
		args := append([]string{"test", "-run", "^$", "-bench", pattern, "-benchtime", benchtime}, pkgs...)
		cmd := exec.Command("go", args...)
		var buf bytes.Buffer
		cmd.Stdout, cmd.Stderr = &buf, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "go test failed: %v\n%s", err, buf.String())
			os.Exit(1)
		}
		sc := bufio.NewScanner(&buf)
		for sc.Scan() {
			m := benchLine.FindStringSubmatch(sc.Text())
			if m == nil {
				continue
			}
			add := func(name string, v float64) {
				if _, seen := samples[name]; !seen {
					order = append(order, name)
				}
				samples[name] = append(samples[name], v)
			}
			paired := pairedMetric.FindAllStringSubmatch(m[3], -1)
			if len(paired) == 0 {
				plain := plainNsOp.FindStringSubmatch(m[3])
				if plain == nil {
					continue
				}
				v, _ := strconv.ParseFloat(plain[1], 64)
				add(m[1], v)
			}
			for _, p := range paired {
				v, _ := strconv.ParseFloat(p[1], 64)
				add(m[1]+"/"+p[2], v)
			}
		}
	}
	return render(order, samples, rounds)
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// render writes the table. A sub-benchmark named "generated" is compared
// with its sibling "handwritten" (the baseline).
func render(order []string, samples map[string][]float64, rounds int) string {
	var b strings.Builder
	b.WriteString("| benchmark | median | min .. max | ratio to baseline |\n|---|---:|---:|---:|\n")
	for _, name := range order {
		xs := samples[name]
		lo, hi := xs[0], xs[0]
		for _, x := range xs {
			lo, hi = min(lo, x), max(hi, x)
		}
		ratio := ""
		if strings.HasSuffix(name, "/generated") {
			base := strings.TrimSuffix(name, "/generated") + "/handwritten"
			if bs, ok := samples[base]; ok {
				ratio = fmt.Sprintf("%.2fx", median(xs)/median(bs))
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s .. %s | %s |\n", strings.TrimPrefix(name, "Benchmark"), human(median(xs)), human(lo), human(hi), ratio)
	}
	return b.String()
}

func human(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.2f s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.2f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}

func cpuName() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "model name") {
			if i := strings.Index(line, ":"); i >= 0 {
				return strings.TrimSpace(line[i+1:])
			}
		}
	}
	return "unknown CPU"
}

// jneuromlSection is docs/jneuroml-speed.md as a section: the comparison
// with jNeuroML end to end needs real jLEMS (TVBOC_JNML), which make bench
// cannot assume, so scripts/jneuroml-speed.sh makes it and the report
// carries its latest table.
func jneuromlSection() string {
	root, err := moduleRoot()
	if err != nil {
		return ""
	}
	data, err := os.ReadFile(filepath.Join(root, "docs", "jneuroml-speed.md"))
	if err != nil {
		return ""
	}
	_, body, _ := strings.Cut(string(data), "\n")
	return "## Against jNeuroML, end to end (issue 16)\n\nFrom docs/jneuroml-speed.md, made by scripts/jneuroml-speed.sh with real jLEMS:\n" + body
}
