#!/usr/bin/env bash
# jneuroml-speed.sh: jNeuroML against tvboc end to end on TVBO's NeuroML
# examples (issue 16): for each ExN.yaml, `tvboc reference` (render the
# LEMS file, run jNeuroML/jLEMS, gather its output) against `tvboc run`
# with a warm cache (one run before). Prints CSV: example, jLEMS seconds,
# tvboc seconds, ratio. docs/jneuroml-speed.md was made with it.
#
#   TVBOC_JNML=/abs/path/jnml scripts/jneuroml-speed.sh [DIR_OF_ExN.yaml] > out.csv
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${1:-../shared/reference/tvbo/neuroml}
if [ -z "${TVBOC_JNML:-}" ]; then
	echo "jneuroml-speed: set TVBOC_JNML to a jnml (../shared/notes/jlems.md)" >&2
	exit 2
fi
go build -o bin/tvboc ./cmd/tvboc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
echo "example,jlems_s,tvboc_warm_s,ratio"
for f in "$examples"/Ex*.yaml; do
	n=$(basename "$f" .yaml)
	bin/tvboc run -q "$f" -o "$work/warm.csv" >/dev/null 2>&1 || true
	s=$(now); bin/tvboc reference "$f" -o "$work/ref_$n" >/dev/null 2>&1; e=$(now)
	j=$(echo "$e - $s" | bc)
	s=$(now); bin/tvboc run -q "$f" -o "$work/out.csv" >/dev/null 2>&1; e=$(now)
	t=$(echo "$e - $s" | bc)
	echo "$n,$j,$t,$(echo "scale=1; $j / $t" | bc)"
done
