#!/usr/bin/env bash
# ctest plot_run: run the default scenario and plot it.
#
# usage: plot_test.sh CLI SRCDIR WORKDIR
#   CLI      the tradesim executable
#   SRCDIR   the source tree (scenarios/default.cfg, analysis/plot_run.py)
#   WORKDIR  output directory for the run and the plots
#
# Exit status: 0 pass; 77 skip (no python with matplotlib on this machine);
# 1 any failure.
set -euo pipefail
trap 'echo "plot_test: FAILED (line $LINENO: $BASH_COMMAND)" >&2; exit 1' ERR

if [ "$#" -ne 3 ]; then
	echo "usage: $0 CLI SRCDIR WORKDIR" >&2
	exit 1
fi
cli=$1
srcdir=$2
workdir=$3
scenario=$srcdir/scenarios/default.cfg
script=$srcdir/analysis/plot_run.py
system_python=/usr/bin/python3

# The interpreter a user would type; plot_run.py re-executes itself with
# /usr/bin/python3 when this one has no matplotlib.
if command -v python3 >/dev/null 2>&1; then
	python=python3
elif [ -x "$system_python" ]; then
	python=$system_python
else
	echo "plot_test: SKIP: no python3 on this machine" >&2
	exit 77
fi

have_matplotlib() {
	[ -x "$1" ] || command -v "$1" >/dev/null 2>&1 || return 1
	"$1" -c 'import matplotlib' >/dev/null 2>&1
}
if ! have_matplotlib "$python" && ! have_matplotlib "$system_python"; then
	echo "plot_test: SKIP: neither $python nor $system_python can import matplotlib" \
	     "(apt-get install python3-matplotlib)" >&2
	exit 77
fi

for f in "$cli" "$scenario" "$script"; do
	if [ ! -e "$f" ]; then
		echo "plot_test: FAILED: missing $f" >&2
		exit 1
	fi
done

# Stale plots from an earlier run must not pass for new ones.
mkdir -p "$workdir"
rm -f "$workdir/firms_revenue.png" "$workdir/countries_welfare.png" "$workdir/tech_levels.png"

"$cli" run "$scenario" -o "$workdir"
"$python" "$script" "$workdir"

png_signature='89504e470d0a1a0a'
for name in firms_revenue countries_welfare tech_levels; do
	png=$workdir/$name.png
	if [ ! -f "$png" ]; then
		echo "plot_test: FAILED: $png was not written" >&2
		exit 1
	fi
	size=$(wc -c <"$png")
	if [ "$size" -le 10240 ]; then
		echo "plot_test: FAILED: $png is only $size bytes" >&2
		exit 1
	fi
	signature=$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')
	if [ "$signature" != "$png_signature" ]; then
		echo "plot_test: FAILED: $png is not a PNG (starts with $signature)" >&2
		exit 1
	fi
	echo "plot_test: ok $png ($size bytes)"
done
