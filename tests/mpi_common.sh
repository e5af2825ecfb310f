# Shared by tests/mpi_test.sh and tests/mpi_calibrate_test.sh (sourced, after
# `name` is set to the script's name for messages): their arguments
#   MPIEXEC CLI SRCDIR WORKDIR K
# as $mpiexec, $cli, $data (SRCDIR/tests/data), $work and $ranks; $mpi, the
# launcher of K ranks; fail, run and once; then a fresh $work as the current
# directory.
set -euo pipefail
trap 'echo "$name: FAILED (line $LINENO: $BASH_COMMAND)" >&2; exit 1' ERR

if [ "$#" -ne 5 ]; then
	echo "usage: $0 MPIEXEC CLI SRCDIR WORKDIR K" >&2
	exit 1
fi
mpiexec=$1
cli=$2
data=$3/tests/data
work=$4
ranks=$5
# --oversubscribe: more ranks than cores (CI machines have 2); -q: no
# banner from mpirun when a rank exits non-zero (the exit status is checked).
mpi=("$mpiexec" -q --oversubscribe -n "$ranks")

fail() {
	echo "$name: $*" >&2
	exit 1
}

# run EXPECTED_STATUS OUT_PREFIX COMMAND...: stdout/stderr to OUT_PREFIX.{out,err}
run() {
	local expect=$1 prefix=$2 status=0
	shift 2
	"$@" >"$prefix.out" 2>"$prefix.err" || status=$?
	if [ "$status" -ne "$expect" ]; then
		cat "$prefix.err" >&2
		fail "exit status $status, expected $expect: $*"
	fi
}

once() {  # FILE TEXT: TEXT on exactly one line of FILE
	local n
	n=$(grep -c -F -- "$2" "$1" || true)
	[ "$n" -eq 1 ] || { cat "$1" >&2; fail "$1: '$2' on $n lines, expected 1"; }
}

rm -rf "$work"
mkdir -p "$work"
cd "$work"
