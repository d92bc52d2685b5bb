#!/usr/bin/env bash
# slurm-down.sh stops the daemons scripts/slurm-up.sh started, by the PIDs
# it recorded (newest first), and nothing else. It is
# safe to run when nothing is up, and twice.
set -uo pipefail

state=${TVBOC_SLURM_DIR:-${TMPDIR:-/tmp}/tvboc-slurm}
pids=$state/pids
[ -s "$pids" ] || exit 0

# Newest first: slurmd, slurmctld, slurmdbd, MariaDB, munged.
mapfile -t entries < <(tac "$pids")
for entry in "${entries[@]}"; do
	name=${entry% *}
	pid=${entry#* }
	kill -0 "$pid" 2>/dev/null || continue
	kill -TERM "$pid" 2>/dev/null
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "slurm-down: $name ($pid) ignored SIGTERM; killing it" >&2
		kill -KILL "$pid" 2>/dev/null
	fi
done
rm -f "$pids"
echo "slurm-down: stopped the single-node Slurm cluster" >&2
