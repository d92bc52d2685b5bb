#!/usr/bin/env bash
# jneuroml-speed.sh: jNeuroML against tvboc end to end on TVBO's NeuroML
# examples (issue 16). For each ExN.yaml:
#   - jLEMS: `tvboc reference` (render the LEMS file, run jNeuroML/jLEMS,
#     gather its output), median of ROUNDS runs;
#   - tvboc, first run: `tvboc run` with an empty cache (compile the YAML,
#     go build the program, run it), once;
#   - tvboc, warm: `tvboc run` again (the binary and the warm-run record
#     cached: no compile, no build), median of 7 runs (or ROUNDS if more).
# The ratio is jLEMS over tvboc warm. Writes docs/jneuroml-speed.md's table
# (Markdown) to stdout, then the median and worst ratio.
#
#   TVBOC_JNML=/abs/path/jnml scripts/jneuroml-speed.sh [DIR_OF_ExN.yaml] > table.md
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${1:-../shared/reference/tvbo/neuroml}
rounds=${ROUNDS:-3}
# a warm run takes tens of milliseconds, so more of them cost little and
# steady the median
warm_rounds=$((rounds > 7 ? rounds : 7))
if [ -z "${TVBOC_JNML:-}" ]; then
	echo "jneuroml-speed: set TVBOC_JNML to a jnml (../shared/notes/jlems.md)" >&2
	exit 2
fi
make -s build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TVBOC_CACHE="$work/cache"
# seconds CMD...: wall seconds of one run
# (a failed run stops the script: its time would make a ratio up)
# (bash's clock, not date: starting date after the command added its
# 3-5 ms to every time, a tenth of a warm run)
seconds() {
	local s e
	s=$EPOCHREALTIME
	if ! "$@" >/dev/null 2>"$work/stderr"; then
		echo "jneuroml-speed: failed: $*" >&2
		cat "$work/stderr" >&2
		exit 1
	fi
	e=$EPOCHREALTIME
	echo "$e - $s" | bc
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "| example | jLEMS (s) | tvboc first run (s) | tvboc warm (s) | jLEMS / tvboc warm |"
echo "|---|---:|---:|---:|---:|"
ratios=()
for f in $(ls "$examples"/Ex*.yaml | sort -V); do
	n=$(basename "$f" .yaml)
	rm -rf "$TVBOC_CACHE"
	first=$(seconds bin/tvboc run -q "$f" -o "$work/out.csv")
	j=$(for _ in $(seq "$rounds"); do seconds bin/tvboc reference "$f" -o "$work/ref_$n"; done | median)
	w=$(for _ in $(seq "$warm_rounds"); do seconds bin/tvboc run -q "$f" -o "$work/out.csv"; done | median)
	r=$(echo "scale=1; $j / $w" | bc)
	ratios+=("$r")
	printf '| %s | %.2f | %.2f | %.3f | %sx |\n' "$n" "$j" "$first" "$w" "$r"
done
printf '%s\n' "${ratios[@]}" | sort -g | awk '{a[NR]=$1} END {printf "\nMedian ratio %sx, worst %sx, %d of %d examples at 20x or more.\n", a[int((NR+1)/2)], a[1], c, NR} $1 >= 20 {c++}'
