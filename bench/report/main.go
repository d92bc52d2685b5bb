// Command report runs the project's Go benchmarks several times,
// interleaved (one pass over every benchmark per round, so machine noise
// hits all of them alike), and prints the median of each with the ratio of
// every generated program to its hand-written baseline measured in the
// same run. It writes the table as Markdown (BENCHMARKS.md by default).
//
//	go run ./bench/report -rounds 5 ./bench/ ./runtime/
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(-\d+)?\s+\d+\s+([0-9.]+) ns/op`)

func main() {
	rounds := flag.Int("rounds", 5, "how many interleaved rounds to run")
	benchtime := flag.String("benchtime", "10x", "go test -benchtime for each round")
	pattern := flag.String("bench", ".", "go test -bench pattern")
	out := flag.String("o", "BENCHMARKS.md", "Markdown file to write (\"-\" for none)")
	flag.Parse()
	pkgs := flag.Args()
	if len(pkgs) == 0 {
		pkgs = []string{"./bench/"}
	}
	samples := map[string][]float64{}
	var order []string
	for r := 1; r <= *rounds; r++ {
		fmt.Fprintf(os.Stderr, "round %d/%d ...\n", r, *rounds)
		args := append([]string{"test", "-run", "^$", "-bench", *pattern, "-benchtime", *benchtime}, pkgs...)
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
			v, _ := strconv.ParseFloat(m[3], 64)
			if _, seen := samples[m[1]]; !seen {
				order = append(order, m[1])
			}
			samples[m[1]] = append(samples[m[1]], v)
		}
	}
	table := render(order, samples, *rounds)
	fmt.Print(table)
	if *out != "-" {
		header := fmt.Sprintf("# Benchmarks\n\nMeasured %s on %s/%s with %d CPUs (%s), %d interleaved rounds of `go test -bench %s -benchtime %s %s`; medians. Regenerate with `make bench`.\n\n",
			time.Now().UTC().Format("2006-01-02"), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), cpuName(), *rounds, *pattern, *benchtime, strings.Join(pkgs, " "))
		if err := os.WriteFile(*out, []byte(header+table), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
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
