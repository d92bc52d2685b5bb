#!/bin/sh
# install.sh makes Brian2 available for the benchmark harness: Debian's
# python3-brian, installed with apt-get when no Python on PATH (or the
# system's /usr/bin/python3, where Debian installs it) can import brian2.
#
# Exit status 0 and the interpreter's path on the last stdout line when
# Brian2 is usable; exit status 3 and a "skip:" message on stderr when it
# is not and cannot be installed (no apt-get, not root, no network), so
# callers can skip the Brian2 rows instead of failing.
set -u

find_python() {
	for py in python3 /usr/bin/python3; do
		if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import brian2' >/dev/null 2>&1; then
			command -v "$py"
			return 0
		fi
	done
	return 1
}

if find_python; then
	exit 0
fi

skip() {
	echo "skip: Brian2 is not installed and $1; the Brian2 rows are skipped (install Debian's python3-brian to include them)" >&2
	exit 3
}

command -v apt-get >/dev/null 2>&1 || skip "apt-get is not available"
[ "$(id -u)" = 0 ] || skip "installing it needs root (apt-get install python3-brian)"

echo "installing Debian's python3-brian (apt-get) ..." >&2
# g++ is what Brian2's cpp_standalone device and its Cython runtime target
# compile with; cython3 gives runtime mode its compiled code path.
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update >&2 || ! apt-get install -y --no-install-recommends python3-brian g++ cython3 >&2; then
	skip "apt-get install python3-brian failed"
fi
find_python || skip "brian2 still does not import after installing python3-brian"
