#!/usr/bin/env bash
# ctest mpi_sweep_<K>_ranks: `mpirun -n K tradesim sweep` against the same
# sweep in one process.
#
# usage: mpi_test.sh MPIEXEC CLI SRCDIR WORKDIR K
#
# Checks, each against a single-process `-j 1` sweep of the same file:
#   - sweep.csv, points.csv and sweep.json are the same bytes, with 1 and 2
#     threads per rank; the result line is printed once; so are the runs'
#     tables of --series;
#   - failed runs are recorded the same way, the job exits 1 and says so once;
#   - a job killed after 4 rows (test hook) leaves no sweep.csv, and the
#     same command, with K ranks or 1, resumes to the same bytes;
#   - an error (output directory of another sweep, a sweep file missing or
#     different on some ranks, an output directory locked by another
#     process) exits 2, printed once, with nothing written;
#   - a damaged journal is cut where it goes wrong, said once, and the
#     resume ends with the same bytes;
#   - sensitivity writes the same sweep.csv and sensitivity.csv;
#   - merge under mpirun is done once.
# Run as root, OpenMPI needs OMPI_ALLOW_RUN_AS_ROOT=1 and
# OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 (tests/CMakeLists.txt sets them).
name=mpi_test
# shellcheck source=tests/mpi_common.sh
source "$(dirname "$0")/mpi_common.sh"

same() {  # A B: same bytes
	cmp "$1" "$2" || fail "$2 differs from $1"
}

# The reference and K ranks with 1 and 2 threads each (in a directory of
# their own, so that the same arguments give the same sweep.json too).
run 0 ref "$cli" sweep "$data/mpi_sweep.cfg" -o ref -j 1
for j in 1 2; do
	mkdir "mpi_j$j"
	(cd "mpi_j$j" && run 0 out "${mpi[@]}" "$cli" sweep "$data/mpi_sweep.cfg" -o ref -j "$j")
	for f in sweep.csv points.csv; do
		same "ref/$f" "mpi_j$j/ref/$f"
	done
	[ "$j" -ne 1 ] || same ref/sweep.json mpi_j1/ref/sweep.json
	once "mpi_j$j/out.out" "12 runs (6 points x 2) written to ref/sweep.csv"
	[ ! -e "mpi_j$j/ref/sweep.csv.part" ] || fail "mpi_j$j/ref/sweep.csv.part left behind"
done

# --series: every rank writes its runs' tables to DIR/runs/<run>/.
run 0 series_ref "$cli" sweep "$data/mpi_sweep.cfg" -o series_ref --series -j 1
run 0 series "${mpi[@]}" "$cli" sweep "$data/mpi_sweep.cfg" -o series --series -j 2
diff -r -x sweep.json series_ref series >&2 || fail "series/ differs from series_ref/"

# Failed runs: recorded, the others unharmed, exit status 1, said once.
quick=(sweep --scenario "$data/mpi_world.cfg" --values countries.CN.home_bias=0.5,-1,0.7
       --values measures.zte_denial.end=2018Q3,2019Q2 --metric final:firms.Q.revenue_bn_usd --reps 2)
run 1 fail_ref "$cli" "${quick[@]}" -o fail_ref -j 1
run 1 fail_mpi "${mpi[@]}" "$cli" "${quick[@]}" -o fail_mpi
same fail_ref/sweep.csv fail_mpi/sweep.csv
[ "$(grep -c ',failed,' fail_mpi/sweep.csv)" -eq 4 ] || fail "fail_mpi/sweep.csv: expected 4 failed runs"
[ "$(grep -c ',ok,' fail_mpi/sweep.csv)" -eq 8 ] || fail "fail_mpi/sweep.csv: expected 8 ok runs"
once fail_mpi.err "4 of 12 runs failed (see the status column of fail_mpi/sweep.csv)"

# Killed after 4 rows (the hook raises SIGKILL on rank 0): resumes with K
# ranks, then again with 1 process (nothing left to do).
status=0
TRADESIM_TEST_KILL_AFTER=4 "${mpi[@]}" "$cli" sweep "$data/mpi_sweep.cfg" -o killed -j 1 >/dev/null 2>&1 || status=$?
[ "$status" -ne 0 ] || fail "the killed job exited 0"
[ ! -e killed/sweep.csv ] || fail "killed/sweep.csv exists after a kill"
[ -e killed/sweep.csv.part ] || fail "killed/sweep.csv.part missing after a kill"
rows=$(($(wc -l <killed/sweep.csv.part) - 1))
[ "$rows" -ge 4 ] && [ "$rows" -lt 12 ] || fail "killed/sweep.csv.part: $rows rows, expected 4 to 11"
run 0 resumed "${mpi[@]}" "$cli" sweep "$data/mpi_sweep.cfg" -o killed -j 1
same ref/sweep.csv killed/sweep.csv
run 0 again "$cli" sweep "$data/mpi_sweep.cfg" -o killed
same ref/sweep.csv killed/sweep.csv

# An error on rank 0 (the directory holds another sweep): exit 2, said once.
run 2 other "${mpi[@]}" "$cli" sweep "$data/mpi_sweep.cfg" -o fail_ref
once other.err "holds the results of another sweep"
# Another process holds the output directory's lock (flock(1) takes the
# same flock(2) lock): rank 0 is refused, the job exits 2, nothing written.
mkdir locked
run 2 locked flock locked/.tradesim.lock "${mpi[@]}" "$cli" sweep "$data/mpi_sweep.cfg" -o locked
once locked.err "in use by another tradesim process"
[ "$(ls -A locked)" = .tradesim.lock ] || fail "locked/ written although another process held it"
# A damaged journal (garbage after 4 rows): cut there, said once, resumed.
mkdir cut
cp ref/sweep.json ref/points.csv cut/
head -n 5 ref/sweep.csv >cut/sweep.csv.part
echo 'not a row' >>cut/sweep.csv.part
run 0 cut "${mpi[@]}" "$cli" sweep "$data/mpi_sweep.cfg" -o cut
once cut.err "cut/sweep.csv.part:6: 1 fields, expected 11; cut the journal there (4 rows kept"
same ref/sweep.csv cut/sweep.csv
# A usage error is found by every rank and printed by one.
run 2 usage "${mpi[@]}" "$cli" sweep "$data/mpi_sweep.cfg" -o x --design box
once usage.err "--design must be grid, lhs or sobol"
# Errors only some ranks see (MPMD: rank 0 in one directory, the others in
# another): a sweep file missing there, or different there.
mkdir -p here missing other
cp "$data/mpi_sweep.cfg" "$data/mpi_world.cfg" here/
cp "$data/mpi_world.cfg" other/
sed 's/0\.9\]/0.95]/' "$data/mpi_sweep.cfg" >other/mpi_sweep.cfg
others=$((ranks - 1))
run 2 rank_missing "$mpiexec" -q --oversubscribe -n 1 -wdir "$PWD/here" "$cli" sweep mpi_sweep.cfg -o "$PWD/split" \
	: -n "$others" -wdir "$PWD/missing" "$cli" sweep mpi_sweep.cfg -o "$PWD/split"
once rank_missing.err "rank 1: mpi_sweep.cfg: cannot open"
run 2 rank_other "$mpiexec" -q --oversubscribe -n 1 -wdir "$PWD/here" "$cli" sweep mpi_sweep.cfg -o "$PWD/split" \
	: -n "$others" -wdir "$PWD/other" "$cli" sweep mpi_sweep.cfg -o "$PWD/split"
once rank_other.err "rank 1 loaded another sweep than rank 0"
[ ! -e split ] || fail "split/ written although the ranks disagreed"

# Sensitivity: the Saltelli runs spread the same way.
cat >sens.cfg <<EOF
scenario = "$data/mpi_world.cfg"; points = 4; sensitivity = { bootstrap = 20; };
parameters = ( { path = "countries.CN.home_bias"; min = 0.2; max = 1.5; },
               { path = "countries.US.home_bias"; min = 0.2; max = 1.5; } );
metrics = ( { series = "firms.Apple.revenue_bn_usd"; stat = "final"; } );
EOF
run 0 sens_ref "$cli" sensitivity sens.cfg -o sens_ref -j 1
run 0 sens_mpi "${mpi[@]}" "$cli" sensitivity sens.cfg -o sens_mpi
same sens_ref/sweep.csv sens_mpi/sweep.csv
same sens_ref/sensitivity.csv sens_mpi/sensitivity.csv
once sens_mpi.out "written to sens_mpi/sensitivity.csv"

# Shards run under mpirun, merged under mpirun (by rank 0 only).
run 0 shard0 "${mpi[@]}" "$cli" sweep "$data/mpi_sweep.cfg" -o shard0 --shard 0/2
run 0 shard1 "${mpi[@]}" "$cli" sweep "$data/mpi_sweep.cfg" -o shard1 --shard 1/2
run 0 merged "${mpi[@]}" "$cli" merge shard0 shard1 -o merged
same ref/sweep.csv merged/sweep.csv
once merged.out "2 shards merged into merged/sweep.csv"

echo "mpi_test: $ranks ranks: all checks passed"
