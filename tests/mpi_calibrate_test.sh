#!/usr/bin/env bash
# ctest mpi_calibrate_<K>_ranks: `mpirun -n K tradesim calibrate` against
# the same calibration in one process.
#
# usage: mpi_calibrate_test.sh MPIEXEC CLI SRCDIR WORKDIR K
#
# Checks, each against a single-process `-j 1` calibration of the same file:
#   - every file written (calibrate.csv, best.csv, best.cfg, check.csv,
#     acceptance.csv, profile.csv, calibrate.json) is the same bytes, with 1
#     and 2 threads per rank; the result is printed once;
#   - failed evaluations are recorded the same way, the job exits 1 and
#     says so once;
#   - a job killed after 10 evaluations (test hook) leaves no calibrate.csv,
#     and the same command, with K ranks or 1, resumes to the same bytes;
#   - an error (a directory holding another calibration, one locked by
#     another process, a usage error, a calibration file missing or
#     different on some ranks) exits 2, printed once, nothing written.
# Run as root, OpenMPI needs OMPI_ALLOW_RUN_AS_ROOT=1 and
# OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 (tests/CMakeLists.txt sets them).
name=mpi_calibrate_test
# shellcheck source=tests/mpi_common.sh
source "$(dirname "$0")/mpi_common.sh"
files=(calibrate.csv best.csv best.cfg check.csv acceptance.csv profile.csv calibrate.json)

same_files() {  # A B: every file of a calibration the same bytes
	for f in "${files[@]}"; do
		cmp "$1/$f" "$2/$f" || fail "$2/$f differs from $1/$f"
	done
}

# The small world's phone markets (tests/data/calib_recover.cfg, smaller):
# 16 design points, a search of at most 20 evaluations, 3 x 5 profile points.
cat >calib.cfg <<EOF
scenario = "$data/calib_world.cfg"; facts = "$data/calib_facts.cfg";
replications = 2; design = "sobol"; points = 16; starts = 1; evaluations = 20; profile = 5;
parameters = ( { path = "countries.US.markets.phones.size"; min = 250.0; max = 350.0; },
               { path = "countries.CN.markets.phones.size"; min = 350.0; max = 450.0; },
               { path = "firms.Apple.jobs_per_bn"; min = 100.0; max = 1000.0; log = true; } );
EOF
run 0 ref "$cli" calibrate calib.cfg -o ref -j 1
evals=$(($(wc -l <ref/calibrate.csv) - 1))
for j in 1 2; do
	run 0 "mpi_j$j" "${mpi[@]}" "$cli" calibrate calib.cfg -o "mpi_j$j" -j "$j"
	same_files ref "mpi_j$j"
	once "mpi_j$j.out" "after $evals evaluations; written to mpi_j$j"
	once "mpi_j$j.out" "accepted design points:"
	[ ! -e "mpi_j$j/calibrate.csv.part" ] || fail "mpi_j$j/calibrate.csv.part left behind"
done

# Failed evaluations (government plus infrastructure above 1): recorded the
# same way, exit status 1, said once.
cat >fails.cfg <<EOF
scenario = "$data/calib_world.cfg"; facts = "$data/calib_facts.cfg";
replications = 2; points = 16; starts = 1; evaluations = 12; profile = 3;
parameters = ( { path = "countries.US.markets.phones.government"; min = 0.0; max = 0.8; },
               { path = "countries.US.markets.phones.infrastructure"; min = 0.0; max = 0.8; } );
EOF
run 1 fails_ref "$cli" calibrate fails.cfg -o fails_ref -j 1
run 1 fails_mpi "${mpi[@]}" "$cli" calibrate fails.cfg -o fails_mpi -j 1
same_files fails_ref fails_mpi
failed=$(grep -c ',failed,' fails_mpi/calibrate.csv || true)
[ "$failed" -gt 0 ] || fail "fails_mpi/calibrate.csv: no failed evaluation"
once fails_mpi.err "$failed of"
once fails_mpi.err "evaluations failed (see the status column of fails_mpi/calibrate.csv)"

# Killed after 10 evaluations (the hook raises SIGKILL on rank 0): resumes
# with K ranks, then again with 1 process (nothing left to do).
status=0
TRADESIM_TEST_KILL_AFTER=10 "${mpi[@]}" "$cli" calibrate calib.cfg -o killed -j 1 >/dev/null 2>&1 || status=$?
[ "$status" -ne 0 ] || fail "the killed job exited 0"
[ ! -e killed/calibrate.csv ] || fail "killed/calibrate.csv exists after a kill"
rows=$(($(wc -l <killed/calibrate.csv.part) - 1))
[ "$rows" -ge 10 ] && [ "$rows" -lt "$evals" ] || fail "killed/calibrate.csv.part: $rows rows, expected 10 to $((evals - 1))"
run 0 resumed "${mpi[@]}" "$cli" calibrate calib.cfg -o killed -j 2
same_files ref killed
run 0 again "$cli" calibrate calib.cfg -o killed
same_files ref killed

# An error on rank 0 (the directory holds another calibration): exit 2,
# said once, the other calibration left as it was.
run 2 other "${mpi[@]}" "$cli" calibrate fails.cfg -o ref
once other.err "holds another calibration"
run 0 check_ref "$cli" calibrate calib.cfg -o ref
same_files mpi_j1 ref
# Another process holds the output directory's lock (flock(1) takes the
# same flock(2) lock): rank 0 is refused, the job exits 2, nothing written.
mkdir locked
run 2 locked flock locked/.tradesim.lock "${mpi[@]}" "$cli" calibrate calib.cfg -o locked
once locked.err "in use by another tradesim process"
[ "$(ls -A locked)" = .tradesim.lock ] || fail "locked/ written although another process held it"
# A usage error is found by every rank and printed by one.
run 2 usage "${mpi[@]}" "$cli" calibrate calib.cfg -o x -j 0
once usage.err "--jobs must be an integer"
# Errors only some ranks see (MPMD: rank 0 in one directory, the others in
# another): the calibration file missing there, or different there.
mkdir -p here missing different
cp calib.cfg here/
sed 's/max = 350\.0/max = 360.0/' calib.cfg >different/calib.cfg
others=$((ranks - 1))
run 2 rank_missing "$mpiexec" -q --oversubscribe -n 1 -wdir "$PWD/here" "$cli" calibrate calib.cfg -o "$PWD/split" \
	: -n "$others" -wdir "$PWD/missing" "$cli" calibrate calib.cfg -o "$PWD/split"
once rank_missing.err "rank 1: calib.cfg: cannot open"
run 2 rank_other "$mpiexec" -q --oversubscribe -n 1 -wdir "$PWD/here" "$cli" calibrate calib.cfg -o "$PWD/split" \
	: -n "$others" -wdir "$PWD/different" "$cli" calibrate calib.cfg -o "$PWD/split"
once rank_other.err "rank 1 loaded another calibration than rank 0"
[ ! -e split ] || fail "split/ written although the ranks disagreed"

echo "mpi_calibrate_test: $ranks ranks: all checks passed"
