#!/usr/bin/env bash
# ctest analysis_plots: the plotting scripts on small real outputs.
#
# usage: analysis_test.sh CLI SRCDIR WORKDIR
#   CLI      the tradesim executable
#   SRCDIR   the source tree (scenarios/, analysis/, tests/data/)
#   WORKDIR  scratch directory for the inputs and the plots
#
# Every input comes from the engine: replications and a comparison of
# scenarios/zte_2018.cfg (18 monthly steps, 7 firms: runs take milliseconds),
# a grid and a Latin hypercube sweep and a sensitivity analysis from the
# sweep files tests/data/plot_sweep_grid.cfg, plot_sweep_lhs.cfg and
# plot_sensitivity.cfg (each sweep has runs the scenario rejects, so failed
# rows are real too), and one run of scenarios/tit_for_tat_2023.cfg, whose
# measures are started by rules (events with a cause). Each input has a
# prepare_* function and each script a check_* function that plots it and
# checks every PNG printed (at the end, all at once): it exists, is a PNG, is over 10 kB and is not one
# flat colour. Then malformed inputs must give exit status 2 and name the
# file. The time goes into matplotlib, so the plots are kept to few panels
# (--entity) and every PNG is checked by one python process.
#
# Exit status: 0 pass; 77 skip (no python with matplotlib); 1 any failure.
set -euo pipefail
trap 'echo "analysis_test: FAILED (line $LINENO: $BASH_COMMAND)" >&2; exit 1' ERR

if [ "$#" -ne 3 ]; then
	echo "usage: $0 CLI SRCDIR WORKDIR" >&2
	exit 1
fi
cli=$1
srcdir=$2
workdir=$3
scenario=$srcdir/scenarios/zte_2018.cfg
episode=$srcdir/scenarios/tit_for_tat_2023.cfg
analysis=$srcdir/analysis
data=$srcdir/tests/data
system_python=/usr/bin/python3

if command -v python3 >/dev/null 2>&1; then
	python=python3
elif [ -x "$system_python" ]; then
	python=$system_python
else
	echo "analysis_test: SKIP: no python3 on this machine" >&2
	exit 77
fi
have_matplotlib() {
	[ -x "$1" ] || command -v "$1" >/dev/null 2>&1 || return 1
	"$1" -c 'import matplotlib' >/dev/null 2>&1
}
if have_matplotlib "$python"; then
	mpl_python=$python
elif have_matplotlib "$system_python"; then
	mpl_python=$system_python
else
	echo "analysis_test: SKIP: neither $python nor $system_python can import matplotlib" \
	     "(apt-get install python3-matplotlib)" >&2
	exit 77
fi

for f in "$cli" "$scenario" "$episode" "$data/plot_sweep_grid.cfg" "$data/plot_sweep_lhs.cfg" \
	"$data/plot_sensitivity.cfg"; do
	if [ ! -e "$f" ]; then
		echo "analysis_test: FAILED: missing $f" >&2
		exit 1
	fi
done

fail() {
	echo "analysis_test: FAILED: $*" >&2
	exit 1
}

rm -rf "$workdir"
mkdir -p "$workdir"

# --------------------------------------------------------------------------
# Inputs

prepare_run() {  # DIR: one run of an episode whose rules answer each other
	"$cli" run "$episode" -o "$1" >/dev/null
	# a measure a rule started names what it answers
	grep -q ',start,[a-z]' "$1/events.csv" || fail "$1/events.csv has no event with a cause"
}

prepare_ensemble() {  # DIR
	"$cli" run "$scenario" --reps 3 -j 2 -o "$1" >/dev/null
}

prepare_compare() {  # DIR: B settles ZTE's denial six months later
	local b=$workdir/later_settlement.cfg
	# the same scenario with one date moved: B differs from A only there
	sed '/^  zte_settlement = {/,/};/s/earliest = "2018-07"/earliest = "2019-01"/' "$scenario" >"$b"
	grep -q 'earliest = "2019-01"' "$b" || fail "could not edit $b"
	"$cli" compare "$scenario" "$b" --reps 3 -j 2 -o "$1" >/dev/null
}

prepare_sweep() {  # DIR grid|lhs
	# exit status 1: some runs failed (wanted: the plot counts them)
	"$cli" sweep "$data/plot_sweep_$2.cfg" -j 2 -o "$1" >/dev/null 2>&1 || [ "$?" -eq 1 ] ||
		fail "sweep $2 exited $?"
	grep -q ',failed,' "$1/sweep.csv" || fail "$1/sweep.csv has no failed run to count"
}

prepare_sensitivity() {  # DIR
	"$cli" sensitivity "$data/plot_sensitivity.cfg" -j 2 -o "$1" >/dev/null
}

prepare_calibrate() {  # DIR
	"$cli" calibrate "$data/calib_recover.cfg" -j 2 -o "$1" >/dev/null
}

# --------------------------------------------------------------------------
# Checks

# check_pngs FILE...: each a PNG over 10 kB whose pixels are not all one
# colour. Called once, at the end, on every PNG the scripts printed: one
# python process, as importing matplotlib takes a while.
check_pngs() {
	"$mpl_python" - "$@" <<-'EOF' || fail "PNG check"
		import os, sys
		import matplotlib
		matplotlib.use("Agg")
		import matplotlib.image
		for png in sys.argv[1:]:
		    if not os.path.isfile(png):
		        sys.exit("analysis_test: FAILED: %s was not written" % png)
		    size = os.path.getsize(png)
		    if size <= 10240:
		        sys.exit("analysis_test: FAILED: %s is only %d bytes" % (png, size))
		    with open(png, "rb") as stream:
		        signature = stream.read(8)
		    if signature != b"\x89PNG\r\n\x1a\n":
		        sys.exit("analysis_test: FAILED: %s is not a PNG (starts with %s)" % (png, signature.hex()))
		    if not float(matplotlib.image.imread(png).var()) > 1e-4:
		        sys.exit("analysis_test: FAILED: %s is one flat colour" % png)
		    print("analysis_test: ok %s (%d bytes)" % (png, size))
	EOF
}

# run_plot SCRIPT ARGS...: runs the script, checks status 0 and that it
# printed at least $expect paths, and adds them to $pngs (checked at the
# end). The scripts run on the interpreter that has matplotlib
# ($plot_python overrides it).
pngs=$workdir/pngs.txt
: >"$pngs"
run_plot() {
	local script=$1 out count
	shift
	out=$("${plot_python:-$mpl_python}" "$analysis/$script" "$@") || fail "$script $* exited with $?"
	count=$(printf '%s\n' "$out" | grep -c .) || true
	[ "$count" -ge "$expect" ] || fail "$script $* printed $count PNG paths, expected $expect"
	printf '%s\n' "$out" >>"$pngs"
}

check_run() {  # DIR
	local dir=$1
	rm -f "$dir"/*.png
	# as a user would call it: plain python3, which may re-execute itself
	plot_python=$python expect=3 run_plot plot_run.py "$dir"
}

check_ensemble() {  # DIR
	local dir=$1
	rm -f "$dir"/ensemble_*.png
	expect=3 run_plot plot_ensemble.py "$dir" --entity CN,Qualcomm
	for name in firms_revenue_bn_usd countries_national_welfare_bn_usd firms_tech_level; do
		[ -f "$dir/ensemble_$name.png" ] || fail "plot_ensemble.py wrote no ensemble_$name.png"
	done
	# a market and a country pair (relations), each picked by its keys
	expect=2 run_plot plot_ensemble.py "$dir" -o "$dir/chosen" \
		--metric markets.price_index,relations.tension --entity US/telecom/infrastructure,US/CN
}

check_compare() {  # DIR
	local dir=$1
	rm -f "$dir"/compare_*.png
	# both sides' events: the settlement's end of the denial at each side's step, tagged with its side
	(cd "$analysis" && "$mpl_python" -c '
import sys, plot_compare
events = plot_compare.compare_events(sys.argv[1], ["history", "later settlement"])
names = [name for step in events.values() for name, action in step if action == "end"]
assert any(n.startswith("zte_denial (history only)") for n in names), names
assert any(n.startswith("zte_denial (later settlement only)") for n in names), names
assert all(n.startswith("zte_denial (") for n in names if n.startswith("zte_denial")), names
shared = [name for step in events.values() for name, action in step if name == "us_carriers_shun_zte"]
assert len(shared) == 1, events
' "$dir") || fail "plot_compare.py: the events of $dir are not marked by side"
	expect=2 run_plot plot_compare.py "$dir" --names "history,later settlement" \
		--metric firms.revenue_bn_usd,countries.consumer_welfare_bn_usd --entity US,ZTE
	expect=1 run_plot plot_compare.py "$dir" -o "$dir/chosen" --metric revenue_bn_usd --entity Huawei,ZTE
}

check_sweep() {  # DIR
	local dir=$1 metric
	rm -f "$dir"/sweep_*.png
	metric=$(head -1 "$dir/sweep.csv" | awk -F, '{ print $(NF - 2) }')  # the last metric
	# one-parameter panels and the heatmap / coloured points of one metric
	expect=2 run_plot plot_sweep.py "$dir" --metric "$metric"
	expect=1 run_plot plot_sweep.py "$dir" -o "$dir/x" --x model.imitation_fraction --metric "$metric"
	expect=1 run_plot plot_sweep.py "$dir" -o "$dir/xy" --x countries.CN.rd_budget \
		--y model.imitation_fraction --metric "$metric"
}

check_sensitivity() {  # DIR
	local dir=$1
	rm -f "$dir/sensitivity.png"
	expect=1 run_plot plot_sensitivity.py "$dir"
}

check_calibrate() {  # DIR
	local dir=$1
	rm -f "$dir"/calibrate_*.png
	expect=3 run_plot plot_calibrate.py "$dir"
}

# expect_bad SCRIPT DIR WORDS ARGS...: exit status 2 and a message with WORDS.
expect_bad() {
	local script=$1 dir=$2 words=$3 status=0 message
	shift 3
	message=$("$mpl_python" "$analysis/$script" "$dir" "$@" 2>&1 >/dev/null) || status=$?
	[ "$status" -eq 2 ] || fail "$script $dir: exit status $status, expected 2 ($message)"
	case $message in
	*"$words"*) echo "analysis_test: ok $script rejects $dir: $message" ;;
	*) fail "$script $dir: message does not name '$words': $message" ;;
	esac
}

# --------------------------------------------------------------------------

for script in plot_run.py plot_ensemble.py plot_sweep.py plot_sensitivity.py plot_compare.py plot_calibrate.py; do
	"$python" "$analysis/$script" --help | grep -q "usage: $script" || fail "$script --help"
done

prepare_run "$workdir/run"
check_run "$workdir/run"
prepare_ensemble "$workdir/ensemble"
check_ensemble "$workdir/ensemble"
prepare_compare "$workdir/compare"
check_compare "$workdir/compare"
prepare_sweep "$workdir/sweep_grid" grid
check_sweep "$workdir/sweep_grid"
prepare_sweep "$workdir/sweep_lhs" lhs
rm "$workdir/sweep_lhs/points.csv"   # parameters recognised from sweep.csv alone
check_sweep "$workdir/sweep_lhs"
prepare_sensitivity "$workdir/sensitivity"
# negative estimates and empty cells (a metric the parameters do not move)
grep -q ',-0\.' "$workdir/sensitivity/sensitivity.csv" || fail "sensitivity.csv: no negative estimate"
grep -q ',,' "$workdir/sensitivity/sensitivity.csv" || fail "sensitivity.csv: no empty cell"
check_sensitivity "$workdir/sensitivity"
prepare_calibrate "$workdir/calibrate"
check_calibrate "$workdir/calibrate"
mapfile -t printed <"$pngs"
check_pngs "${printed[@]}"
echo "analysis_test: ${#printed[@]} PNG files checked"

# Malformed inputs: exit status 2, the file named.
bad=$workdir/bad
mkdir -p "$bad/empty" "$bad/summary" "$bad/sweep" "$bad/sens" "$bad/compare" "$bad/calib"
expect_bad plot_ensemble.py "$bad/nonexistent" "no such directory"
expect_bad plot_ensemble.py "$bad/empty" "no summary_*.csv"
sed '3s/,[^,]*$/,abc/' "$workdir/ensemble/summary_countries.csv" >"$bad/summary/summary_countries.csv"
expect_bad plot_ensemble.py "$bad/summary" "summary_countries.csv:3: q95: expected a number"
expect_bad plot_ensemble.py "$workdir/ensemble" "no metric 'welfare'" --metric welfare
sed '1s/diff_lo/lo/' "$workdir/compare/compare_firms.csv" >"$bad/compare/compare_firms.csv"
expect_bad plot_compare.py "$bad/compare" "compare_firms.csv: missing column(s) diff_lo"
head -1 "$workdir/sweep_grid/sweep.csv" | sed 's/,status,message$//' >"$bad/sweep/sweep.csv"
expect_bad plot_sweep.py "$bad/sweep" "sweep.csv: missing column(s) status, message"
sed '2s/^0,0,/0,zero,/' "$workdir/sweep_grid/sweep.csv" >"$bad/sweep/sweep.csv"
expect_bad plot_sweep.py "$bad/sweep" "sweep.csv:2: point: expected an integer"
expect_bad plot_sweep.py "$workdir/sweep_grid" "no parameter 'model.nothing'" --x model.nothing
head -1 "$workdir/sensitivity/sensitivity.csv" >"$bad/sens/sensitivity.csv"
expect_bad plot_sensitivity.py "$bad/sens" "sensitivity.csv has no rows"
sed '2s/,0.95$/,95/' "$workdir/sensitivity/sensitivity.csv" >"$bad/sens/sensitivity.csv"
expect_bad plot_sensitivity.py "$bad/sens" "sensitivity.csv:2: confidence"
expect_bad plot_calibrate.py "$bad/empty" "missing file $bad/empty/calibrate.csv"
cp "$workdir/calibrate"/*.csv "$bad/calib/"
sed '2s/^\([^,]*\),[^,]*,/\1,abc,/' "$workdir/calibrate/check.csv" >"$bad/calib/check.csv"
expect_bad plot_calibrate.py "$bad/calib" "check.csv:2: observed: expected a number"

# Outputs that do not match their run.json: exit status 2, saying what the
# directory holds or which file run.json does not vouch for.
mkdir -p "$bad/mixed" "$bad/extra"
cp "$workdir/run/"*.csv "$workdir/run/run.json" "$bad/mixed/"
cp "$workdir/ensemble/summary_"*.csv "$bad/mixed/"   # summaries beside another run's run.json
expect_bad plot_ensemble.py "$bad/mixed" "$bad/mixed holds a run (run.json), not replications: plot it with plot_run.py"
expect_bad plot_run.py "$workdir/ensemble" "holds replications (run.json), not a run: plot it with plot_ensemble.py"
expect_bad plot_sweep.py "$workdir/compare" "holds a comparison (run.json), not a sweep"
expect_bad plot_compare.py "$workdir/sweep_grid" "holds a sweep (sweep.json), not a comparison"
cp "$workdir/compare/"*.csv "$workdir/compare/run.json" "$bad/extra/"
cp "$workdir/ensemble/events.csv" "$bad/extra/"   # events of another output
expect_bad plot_compare.py "$bad/extra" "$bad/extra/events.csv is not a file of the output run.json describes"

echo "analysis_test: all passed"
