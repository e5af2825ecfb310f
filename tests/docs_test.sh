#!/usr/bin/env bash
# Every tradesim and analysis command the docs show runs as written: the
# lines of README.md's, analysis/README.md's and docs/*.md's ```sh blocks
# (and indented code lines) that start with `tradesim`, `python3 analysis/`
# or `/usr/bin/python3 analysis/`, in order, in a copy of the source tree
# with the built tradesim first on PATH. Synopses with placeholders (FILE,
# DIR, [options]) are usage, not commands, and are left out. The plotting
# lines are skipped (77 overall) where no python has matplotlib and pandas.
# usage: docs_test.sh TRADESIM_CLI SOURCE_DIR WORK_DIR LIBRARY
set -euo pipefail
cli=$1 src=$2 work=$3 lib=$4
rm -rf "$work" && mkdir -p "$work/bin" "$work/tree"
ln -s "$cli" "$work/bin/tradesim"
(cd "$src" && tar cf - --exclude=./build --exclude=./out --exclude=./.git .) | (cd "$work/tree" && tar xf -)
commands() {  # FILE: its runnable lines
	awk '/^```sh/ {on = 1; next} /^```/ {on = 0; next}
	     (on && /^(tradesim|python3 analysis\/|\/usr\/bin\/python3 analysis\/)/) || /^    tradesim / {
	         sub(/^    /, ""); print }' "$1" |
	grep -Ev '(FILE|DIR|SWEEP\.cfg|A\.cfg|COMMAND|\[)' || true
}
export PATH=$work/bin:$PATH TRADESIM_LIBRARY=$lib
python_ok=0
/usr/bin/python3 -c "import matplotlib, pandas" 2>/dev/null && python_ok=1
ran=0
cd "$work/tree"
for doc in README.md analysis/README.md docs/*.md; do
	while IFS= read -r line; do
		if [ "$python_ok" = 0 ] && [[ $line == *python3* ]]; then
			continue
		fi
		if ! bash -c "$line" >"$work/last.out" 2>&1; then
			echo "docs_test: $doc: failed: $line" >&2
			tail -5 "$work/last.out" >&2
			exit 1
		fi
		ran=$((ran + 1))
	done < <(commands "$doc")
done
echo "docs_test: $ran commands ran as written"
[ "$python_ok" = 1 ] || exit 77
