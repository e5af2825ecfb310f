#!/usr/bin/env bash
# analysis/tradesim.py against the built command and shared library
# (tests/python/test_tradesim_py.py), and analysis/listing_cost.py, the
# example analysis/README.md shows, run as written. Skipped (77) where no
# python has pandas.
# usage: python_test.sh TRADESIM_CLI SOURCE_DIR WORK_DIR LIBRARY
set -euo pipefail
cli=$1 src=$2 work=$3 lib=$4
python=
for p in /usr/bin/python3 python3; do
	if "$p" -c "import pandas" 2>/dev/null; then python=$p; break; fi
done
[ -n "$python" ] || { echo "python_test: no python with pandas (apt install python3-pandas): skipped"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
"$python" "$src/tests/python/test_tradesim_py.py" "$cli" "$src" "$work" "$lib"
line=$(TRADESIM_LIBRARY=$lib "$python" "$src/analysis/listing_cost.py")
echo "$line"
[[ $line =~ ^Qualcomm\'s\ revenue\ lost\ to\ the\ listing,\ 2019Q2-2021Q4:\ [0-9.]+\ bn\ USD\ \[[0-9.]+,\ [0-9.]+\]\ \(95%,\ 20\ seeds\)$ ]] ||
	{ echo "python_test: listing_cost.py printed an unexpected line" >&2; exit 1; }
