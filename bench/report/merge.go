package main

import "strings"

// Merging (-merge): a report of a few workloads (-workloads=W6,W9) updates
// their sections of an existing BENCHMARKS.md and keeps every other
// section as it was, so one family can be re-measured without a full
// `make bench` (which takes most of an hour). Sections are the Markdown
// blocks under "## " and "### " headings, matched by heading (a workload's
// by its id, the text before " — "); the Targets table is merged row by
// row. Every block this run wrote says when it was measured.

// block is one heading and the lines under it, up to the next heading of
// level 2 or 3.
type block struct {
	key, text string
	level     int
}

func splitBlocks(doc string) (header string, blocks []block) {
	var cur *block
	var head strings.Builder
	for _, line := range strings.SplitAfter(doc, "\n") {
		level := 0
		switch {
		case strings.HasPrefix(line, "### "):
			level = 3
		case strings.HasPrefix(line, "## "):
			level = 2
		}
		if level > 0 {
			blocks = append(blocks, block{key: blockKey(line), level: level})
			cur = &blocks[len(blocks)-1]
		}
		if cur == nil {
			head.WriteString(line)
		} else {
			cur.text += line
		}
	}
	return head.String(), blocks
}

// blockKey is a heading without its title: "### W6 — TVBO's ..." is
// "### W6".
func blockKey(heading string) string {
	heading = strings.TrimSpace(heading)
	if i := strings.Index(heading, " — "); i >= 0 {
		heading = heading[:i]
	}
	return heading
}

// mergeReport puts the blocks of fresh (this run's report) into old (the
// file as it was): a block with the same key is replaced, a new one goes
// after the last block of its level-2 section (or at the end, with that
// section's heading, when old lacks it); the header stays old's, with a
// line saying which sections were re-measured.
func mergeReport(old, fresh, date string) string {
	oldHead, oldBlocks := splitBlocks(old)
	_, freshBlocks := splitBlocks(fresh)
	index := func(key string) int {
		for i, b := range oldBlocks {
			if b.key == key {
				return i
			}
		}
		return -1
	}
	measured := 0
	parent := ""
	for _, fb := range freshBlocks {
		if fb.level == 2 {
			parent = fb.key
		}
		if strings.TrimSpace(strings.TrimPrefix(fb.text, fb.key)) == "" {
			continue
		}
		stamped := stamp(fb, date)
		switch i := index(fb.key); {
		case fb.key == "### Targets" && i >= 0:
			oldBlocks[i].text = mergeTargets(oldBlocks[i].text, fb.text)
		case i >= 0 && fb.level == 2 && !strings.Contains(fb.text, "|---"):
			// a section's introduction: the old one still describes
			// the blocks kept under it
		case i >= 0:
			oldBlocks[i].text = stamped
		default:
			at := len(oldBlocks)
			if p := index(parent); p >= 0 && fb.level == 3 {
				at = p + 1
				for at < len(oldBlocks) && oldBlocks[at].level == 3 && oldBlocks[at].key != "### Targets" {
					at++
				}
			}
			nb := fb
			nb.text = stamped
			oldBlocks = append(oldBlocks[:at], append([]block{nb}, oldBlocks[at:]...)...)
		}
		if fb.key != "### Targets" {
			measured++
		}
	}
	var b strings.Builder
	b.WriteString(oldHead)
	if measured > 0 && !strings.Contains(oldHead, mergeNote) {
		// the header keeps its date; the blocks say what is newer
		b.WriteString(mergeNote + "\n\n")
	}
	for i, ob := range oldBlocks {
		text := ob.text
		if i < len(oldBlocks)-1 && !strings.HasSuffix(text, "\n\n") {
			// a block that ended the file may now have one after it:
			// Markdown needs the blank line before the next heading
			text = strings.TrimRight(text, "\n") + "\n\n"
		}
		b.WriteString(text)
	}
	return b.String()
}

const mergeNote = "Sections marked _Measured DATE_ were re-measured alone, after the rest (`go run ./bench/report -merge -workloads=...`)."

// stamp adds "Measured DATE" under a fresh block's heading.
func stamp(b block, date string) string {
	heading, rest, _ := strings.Cut(b.text, "\n")
	if b.level == 2 {
		return b.text
	}
	return heading + "\n\n_Measured " + date + "._\n" + rest
}

// mergeTargets keeps old's target rows and replaces (or adds) those this
// run measured, matched by the target's text.
func mergeTargets(old, fresh string) string {
	row := func(line string) (string, bool) {
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| target ") || strings.HasPrefix(line, "|---") {
			return "", false
		}
		cells := strings.Split(line, " | ")
		return strings.TrimPrefix(cells[0], "| "), true
	}
	freshRows := map[string]string{}
	var order []string
	for _, line := range strings.Split(fresh, "\n") {
		if k, ok := row(line); ok {
			freshRows[k] = line
			order = append(order, k)
		}
	}
	var out []string
	lastRow := -1
	for _, line := range strings.Split(strings.TrimRight(old, "\n"), "\n") {
		if k, ok := row(line); ok {
			if f, has := freshRows[k]; has {
				line = f
				delete(freshRows, k)
			}
			out = append(out, line)
			lastRow = len(out)
			continue
		}
		out = append(out, line)
	}
	var added []string
	for _, k := range order {
		if f, has := freshRows[k]; has {
			added = append(added, f)
		}
	}
	if lastRow < 0 {
		lastRow = len(out)
	}
	out = append(out[:lastRow], append(added, out[lastRow:]...)...)
	return strings.Join(out, "\n") + "\n\n"
}
