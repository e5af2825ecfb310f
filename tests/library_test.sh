#!/usr/bin/env bash
# The installed library as a user meets it (README "Using the library"):
# installed to a prefix, found by pkg-config wherever the prefix is moved,
# linked shared from C and from C++ and statically, exporting only the
# public API; docs/examples/embed.c reads the same revenues as firms.csv.
# usage: library_test.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
build=$1 src=$2 work=$3
fail() { echo "library_test: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
cmake --install "$build" --prefix "$work/installed" >/dev/null
mv "$work/installed" "$work/moved"  # relocatable: nothing may point at the first prefix
prefix=$work/moved
pc=$(dirname "$(find "$prefix" -name tradesim.pc)")
libdir=$(dirname "$pc")
export PKG_CONFIG_PATH=$pc
[ "$(pkg-config --variable=libdir tradesim)" -ef "$libdir" ] || fail "pkg-config's libdir is not $libdir"

# Exported symbols: exactly the functions the installed headers mark TS_API.
nm -D --defined-only "$libdir/libtradesim.so" | awk '$2 == "T" {print $3}' | sort > "$work/exported"
grep -ho '^TS_API [^(]*(' "$prefix"/include/tradesim/*.h | sed 's/.*[ *]\(ts_[a-z_0-9]*\)($/\1/' | sort > "$work/declared"
diff "$work/declared" "$work/exported" >/dev/null || { diff "$work/declared" "$work/exported" >&2; fail "exported symbols differ from the public API"; }
readelf -d "$libdir/libtradesim.so" | grep -q 'SONAME.*libtradesim\.so\.[0-9]' || fail "no versioned soname"

scenario=$src/scenarios/zte_2018.cfg
"$prefix/bin/tradesim" run "$scenario" -o "$work/run" >/dev/null
awk -F, 'NR > 1 && $3 == "Qualcomm" {print $1 "," $6}' "$work/run/firms.csv" > "$work/expected"
same() {  # FILE: its step,revenue lines equal the CSV's numerically
	awk -F, 'NR == FNR {want[$1] = $2; n++; next} {if (!($1 in want) || want[$1] + 0 != $2 + 0) bad = 1; m++}
	         END {exit bad || n != m || n == 0}' "$work/expected" "$1" || fail "$1 differs from firms.csv"
}

# C, shared, with the documented link line
cc -Wall -Wextra -Werror "$src/docs/examples/embed.c" $(pkg-config --cflags --libs tradesim gsl) -o "$work/embed"
LD_LIBRARY_PATH=$libdir "$work/embed" "$scenario" Qualcomm > "$work/c.out"
same "$work/c.out"
ldd "$work/embed" | grep -q "libtradesim.so" || fail "embed is not linked to the shared library"

# C++: the headers have C linkage
cp "$src/docs/examples/embed.c" "$work/embed.cpp"
c++ -std=c++11 -Wall -Wextra -Werror -x c++ "$work/embed.cpp" $(pkg-config --cflags --libs tradesim gsl) -o "$work/embed_cxx"
LD_LIBRARY_PATH=$libdir "$work/embed_cxx" "$scenario" Qualcomm > "$work/cxx.out"
same "$work/cxx.out"

# static: the archive and its private dependencies
cc "$src/docs/examples/embed.c" $(pkg-config --cflags tradesim) "$libdir/libtradesim.a" \
	$(pkg-config --static --libs gsl libconfig) -lm -pthread -o "$work/embed_static"
"$work/embed_static" "$scenario" Qualcomm > "$work/static.out"
same "$work/static.out"
echo "library_test: ok"
