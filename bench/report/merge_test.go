package main

import (
	"strings"
	"testing"
)

func TestMergeReport(t *testing.T) {
	old := `# Benchmarks

Measured 2026-11-26.

## Go benchmarks

| benchmark | median |
|---|---:|
| Seed | 23 ms |

## Workloads

Whole processes, 5 rounds.

### W1 — seed

| implementation | wall |
|---|---:|
| tvboc | 1 s |

### W6 — Ex26, old title

| implementation | wall |
|---|---:|
| tvboc | 9 s |

### Targets

| target | measured | met |
|---|---|---|
| W1 wall within 1.3x | 0.96x | yes |
| W6 sim within 1.3x of C | 3.18x | no |

## Whole-brain workloads

### W4 — Schaefer

| x |
|---|
`
	fresh := `# Benchmarks

Measured 2026-12-07.

## Workloads

Whole processes, 1 round.

### W6 — Ex26

| implementation | wall |
|---|---:|
| tvboc | 2 s |

### W9 — output cost

| implementation | MB/s |
|---|---:|
| tvboc .csv | 500 |

### Targets

| target | measured | met |
|---|---|---|
| W6 sim within 1.3x of C | 1.25x | yes |
| W9 CSV at the disk's rate | 0.9x | no |

## Plain-build parity

| program | ratio |
|---|---:|
| seed | 1.01x |
`
	got := mergeReport(old, fresh, "2026-12-07")
	order := []string{"Measured 2026-11-26.", mergeNote, "## Go benchmarks", "| Seed | 23 ms |", "## Workloads", "Whole processes, 5 rounds.",
		"### W1 — seed", "| tvboc | 1 s |", "### W6 — Ex26\n\n_Measured 2026-12-07._", "| tvboc | 2 s |", "### W9 — output cost\n\n_Measured 2026-12-07._",
		"### Targets", "| W1 wall within 1.3x | 0.96x | yes |", "| W6 sim within 1.3x of C | 1.25x | yes |", "| W9 CSV at the disk's rate | 0.9x | no |",
		"## Whole-brain workloads", "### W4 — Schaefer", "## Plain-build parity", "| seed | 1.01x |"}
	at := 0
	for _, want := range order {
		i := strings.Index(got[at:], want)
		if i < 0 {
			t.Fatalf("merged report lacks %q after offset %d:\n%s", want, at, got)
		}
		at += i + len(want)
	}
	for _, gone := range []string{"old title", "| tvboc | 9 s |", "3.18x", "Whole processes, 1 round.", "Measured 2026-12-07.\n\n## Workloads"} {
		if strings.Contains(got, gone) {
			t.Errorf("merged report still has %q:\n%s", gone, got)
		}
	}
	if strings.Contains(got, "|\n#") {
		t.Errorf("a heading follows a table without a blank line:\n%s", got)
	}
	if again := mergeReport(got, fresh, "2026-12-07"); again != got {
		t.Errorf("merging the same run twice changes the file:\n%s", again)
	}
}
