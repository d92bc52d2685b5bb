#!/usr/bin/env bash
# slurm-up.sh starts a real single-node Slurm cluster on this machine (munge,
# slurmdbd with its own MariaDB, slurmctld, slurmd) for tvboc's end-to-end
# sweep test, installing the Debian
# packages first when they are missing. It needs root and no systemd: every
# daemon runs in the foreground, backgrounded here, its PID recorded so that
# slurm-down.sh stops exactly what this started.
#
# On success it prints, on stdout, the environment the test needs:
#
#   export SLURM_CONF=<state dir>/slurm.conf
#   export TVBOC_SLURM=1
#
# so a CI script does
#
#   if env=$(scripts/slurm-up.sh); then eval "$env"; fi
#   trap scripts/slurm-down.sh EXIT
#
# and the Go test skips (with a message) when Slurm could not be started.
# Everything else goes to stderr. The state (config, spool, logs, PIDs)
# lives in $TVBOC_SLURM_DIR, default ${TMPDIR:-/tmp}/tvboc-slurm; the
# configuration is not written to /etc/slurm, so a real installation is
# left alone.
set -euo pipefail

state=${TVBOC_SLURM_DIR:-${TMPDIR:-/tmp}/tvboc-slurm}
here=$(cd "$(dirname "$0")" && pwd)
say() { echo "slurm-up: $*" >&2; }
fail() {
	say "$*"
	say "logs: $state/log"
	"$here/slurm-down.sh" >&2 || true
	exit 1
}

if [ "$(id -u)" != 0 ]; then
	say "needs root (it installs packages and runs the daemons as root); Slurm not started"
	exit 1
fi
if [ -s "$state/pids" ]; then
	say "$state/pids exists: a cluster from an earlier run may be up; run scripts/slurm-down.sh first"
	exit 1
fi

missing=()
for cmd in munged mungekey slurmctld slurmd slurmdbd sbatch scontrol sinfo sacct sacctmgr mariadbd mariadb-install-db; do
	command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
done
if [ ${#missing[@]} -gt 0 ]; then
	command -v apt-get >/dev/null 2>&1 || { say "missing ${missing[*]} and no apt-get to install them"; exit 1; }
	say "installing slurmctld slurmd slurmdbd slurm-client munge mariadb-server (missing: ${missing[*]})"
	export DEBIAN_FRONTEND=noninteractive
	# The package is slurm-client, not slurm (an unrelated network monitor).
	# slurmdbd and MariaDB give sacct its job records.
	mkdir -p "$state/log"
	if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends slurmctld slurmd slurmdbd slurm-client munge mariadb-server; } >"$state/log/apt.log" 2>&1; then
		say "installing the Slurm packages failed; see $state/log/apt.log"
		exit 1
	fi
fi

mkdir -p "$state/spool" "$state/statesave" "$state/log"
: >"$state/pids"

# MUNGE authenticates every Slurm message. The key is created once.
install -d -o munge -g munge -m 0700 /etc/munge /var/lib/munge /var/log/munge
install -d -o munge -g munge -m 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
	mungekey --create --keyfile=/etc/munge/munge.key >&2
fi
chown munge:munge /etc/munge/munge.key
chmod 0600 /etc/munge/munge.key
setpriv --reuid=munge --regid=munge --init-groups munged -F >"$state/log/munged.log" 2>&1 &
echo "munged $!" >>"$state/pids"
for _ in $(seq 50); do
	munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
	sleep 0.1
done
munge -n | unmunge >/dev/null 2>&1 || fail "munged did not start"

# Accounting, so that sacct shows every task's state and exit code: a
# MariaDB of our own (its data in the state dir, TCP on 127.0.0.1 only,
# a port of its own), and slurmdbd in front of it.
dbport=${TVBOC_SLURM_DBPORT:-3307}
if [ ! -d "$state/mysql/mysql" ]; then
	mariadb-install-db --no-defaults --user=root --datadir="$state/mysql" --auth-root-authentication-method=socket \
		--skip-test-db >"$state/log/mariadb-install.log" 2>&1 || fail "mariadb-install-db failed"
fi
mariadbd --no-defaults --user=root --datadir="$state/mysql" --socket="$state/mysql.sock" --port="$dbport" \
	--bind-address=127.0.0.1 --pid-file="$state/mysqld.pid" --skip-log-bin --innodb-buffer-pool-size=32M \
	>"$state/log/mariadb.log" 2>&1 &
echo "mariadbd $!" >>"$state/pids"
for _ in $(seq 100); do
	mariadb --no-defaults --socket="$state/mysql.sock" -e 'select 1' >/dev/null 2>&1 && break
	sleep 0.1
done
mariadb --no-defaults --socket="$state/mysql.sock" -e "CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY 'slurm';
	GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';" >&2 || fail "MariaDB did not start"
# slurmdbd reads slurmdbd.conf next to \$SLURM_CONF; it must be private.
install -m 0600 /dev/null "$state/slurmdbd.conf"
cat >"$state/slurmdbd.conf" <<CONF
# Written by tvboc scripts/slurm-up.sh.
AuthType=auth/munge
DbdHost=localhost
SlurmUser=root
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$dbport
StorageUser=slurm
StoragePass=slurm
StorageLoc=slurm_acct_db
PidFile=$state/slurmdbd.pid
LogFile=$state/log/slurmdbd.log
CONF

cpus=$(nproc)
# Claim a little less memory than there is; slurmd refuses a node that
# reports less than its configuration says.
mem_mb=$(awk '/^MemTotal:/ {printf "%d", $2 / 1024 * 0.9}' /proc/meminfo)
cat >"$state/slurm.conf" <<CONF
# Written by tvboc scripts/slurm-up.sh: a single-node test cluster.
ClusterName=tvboc
SlurmctldHost=localhost
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
ReturnToService=2
StateSaveLocation=$state/statesave
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$state/slurm.conf

slurmdbd -D >>"$state/log/slurmdbd.out" 2>&1 &
echo "slurmdbd $!" >>"$state/pids"
for _ in $(seq 100); do
	sacctmgr -n list cluster >/dev/null 2>&1 && break
	sleep 0.1
done
sacctmgr -n list cluster >/dev/null 2>&1 || fail "slurmdbd did not come up"
sacctmgr -n list cluster format=cluster | grep -qw tvboc || sacctmgr -i add cluster tvboc >&2 || fail "sacctmgr could not add the cluster"

slurmctld -D -i >>"$state/log/slurmctld.out" 2>&1 &
echo "slurmctld $!" >>"$state/pids"
for _ in $(seq 100); do
	scontrol ping 2>/dev/null | grep -q UP && break
	sleep 0.1
done
scontrol ping 2>/dev/null | grep -q UP || fail "slurmctld did not come up"

slurmd -D -N localhost >>"$state/log/slurmd.out" 2>&1 &
echo "slurmd $!" >>"$state/pids"
for _ in $(seq 150); do
	[ "$(sinfo -h -N -o %t 2>/dev/null)" = idle ] && break
	sleep 0.1
done
[ "$(sinfo -h -N -o %t 2>/dev/null)" = idle ] || fail "the node did not become idle: $(sinfo -h -N -o '%t %E' 2>&1)"

say "single-node Slurm is up ($cpus CPUs); state in $state"
echo "export SLURM_CONF=$state/slurm.conf"
echo "export TVBOC_SLURM=1"
