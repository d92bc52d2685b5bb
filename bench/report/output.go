package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The output-cost workload (W9, issue 16): TVBO's Ex15 with --record all,
// 162 columns of 700,001 rows, written as CSV, .dat and .npy, beside the
// same number of bytes written by dd. A run streams its rows to the file
// while it steps, so its wall time is simulation and writing together; dd
// is what writing alone costs on this machine (into the page cache, as
// tvboc's output is: neither syncs).

// outputWorkload is W9; nil when -workloads leaves it out.
func (env *environment) outputWorkload() *workload {
	if !env.cfg.only.has("W9") {
		return nil
	}
	root := env.cfg.root
	ex15 := filepath.Join(root, "..", "shared", "reference", "tvbo", "neuroml", "Ex15.yaml")
	w := &workload{id: "W9", title: "output cost: TVBO's NeuroML Ex15 with --record all (162 columns, 700,001 rows), as CSV, .dat and .npy, beside dd writing the same bytes",
		neurons: 1, steps: 700000, output: true}
	tv := env.tvbocImpl(ex15, "w9")
	for _, ext := range []string{".csv", ".dat", ".npy"} {
		im := *tv
		im.name = "tvboc " + ext
		im.ext = ext
		if tv.cmd != nil {
			bin := tv.cmd("")[0]
			im.cmd = func(out string) []string { return []string{bin, "-o", out, "--record", "all"} }
		}
		if ext != ".csv" {
			im.prepare = nil // one compile a round is enough
		}
		var size int64
		im.size = &size
		w.impls = append(w.impls, &im)
		dd := &impl{name: "dd, the " + ext + " file's bytes", ext: ext, parse: func(string, string, *sample) error { return nil }}
		dd.cmd = func(out string) []string {
			// bytes of the file tvboc wrote this round (it runs first)
			return []string{"dd", "if=/dev/zero", "of=" + out, "bs=1M", fmt.Sprintf("count=%d", (size+(1<<20)-1)>>20), "status=none"}
		}
		if tv.skip != "" {
			dd.skip = tv.skip
		}
		w.impls = append(w.impls, dd)
		if ext == ".npy" {
			// the disk itself: the same bytes, synced before dd exits
			disk := *dd
			disk.name = diskRow
			disk.cmd = func(out string) []string { return append(dd.cmd(out), "conv=fsync") }
			w.impls = append(w.impls, &disk)
		}
	}
	return w
}

const diskRow = "dd conv=fsync (the disk), the .npy file's bytes"

// fileSize is the size of out after a run, 0 when absent.
func fileSize(out string) int64 {
	if fi, err := os.Stat(out); err == nil {
		return fi.Size()
	}
	return 0
}

// renderOutput is W9's table: bytes, wall and CPU, MB/s over the whole
// process, peak RSS, and each format's rate against dd's.
func renderOutput(w *workload) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s — %s\n\n", w.id, w.title)
	b.WriteString("| implementation | file | wall | CPU | MB/s (whole run) | peak RSS | rate / dd | rate / disk |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	rate := map[string]float64{}
	for _, im := range w.impls {
		if len(im.samples) == 0 {
			continue
		}
		wall, _ := stat(im.samples, func(s sample) float64 { return float64(s.wall) })
		bytes, _ := stat(im.samples, func(s sample) float64 { return float64(s.bytes) })
		if wall > 0 {
			rate[im.name] = bytes / (wall / 1e9) / 1e6
		}
	}
	for _, im := range w.impls {
		if unavailableRow(&b, im, 6) {
			continue
		}
		wall, _ := stat(im.samples, func(s sample) float64 { return float64(s.wall) })
		cpu, hasCPU := stat(im.samples, func(s sample) float64 { return float64(s.cpu) })
		bytes, _ := stat(im.samples, func(s sample) float64 { return float64(s.bytes) })
		rss, hasRSS := stat(im.samples, func(s sample) float64 { return float64(s.rss) })
		vsDD, vsDisk := "", ""
		if strings.HasPrefix(im.name, "tvboc ") {
			if dd := rate["dd, the "+im.ext+" file's bytes"]; dd > 0 {
				vsDD = fmt.Sprintf("%.2fx", rate[im.name]/dd)
			}
			if disk := rate[diskRow]; disk > 0 {
				vsDisk = fmt.Sprintf("%.2fx", rate[im.name]/disk)
			}
		}
		fmt.Fprintf(&b, "| %s | %.0f MB | %s | %s | %.0f | %s | %s | %s |\n", im.name, bytes/1e6, human(wall), cond(hasCPU, human(cpu)),
			rate[im.name], cond(hasRSS, fmt.Sprintf("%.1f MiB", rss/(1<<20))), vsDD, vsDisk)
	}
	b.WriteString("\nThe tvboc rows include the simulation (700,000 steps of Ex15, about 0.3 s of one core); `rate / dd` is tvboc's rate over dd's for the same number of bytes in the same rounds (into the page cache, as tvboc writes), `rate / disk` over dd's when it syncs the bytes to the disk.\n\n")
	return b.String()
}
