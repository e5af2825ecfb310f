#!/usr/bin/env python3
"""Mutation testing: would the test suite notice if a line of the library were
wrong?

Each mutant changes one operator, constant or statement on one line of a
library source file (sim/, not sim/cli/): `+` to `-`, `<` to `<=`, `&&` to
`||`, `+=` to `=`, fmax to fmin, a statement deleted, and so on. For each
mutant the script rebuilds a private copy of the tree and runs the fast tests;
a mutant is *killed* when a test fails (or times out), *survives* when every
test passes, and is *invalid* when it does not compile. The score is killed /
(killed + survived). Survivors are where the suite is blind: each one is a line
where a real bug would pass unnoticed (or an equivalent mutant: a change that
cannot alter behaviour).

The working tree is never touched: the script copies it (without build
directories) to a temporary directory, builds there once, and mutates the copy.

    tests/mutation/mutate.py                      # every mutant of every file
    tests/mutation/mutate.py --sample 200         # 200 mutants drawn at random (--seed)
    tests/mutation/mutate.py sim/model/market.c   # only these files
    tests/mutation/mutate.py --list               # the mutants, without running them
    tests/mutation/mutate.py --rerun old.csv      # the mutants of an earlier report again

Writes a CSV report (--report, default mutation.csv in the working directory):
file,line,operator,original,mutant,result; prints the score of each file and
the survivors at the end. Exit status 0 unless the script itself fails (a
score is a measurement, not a verdict).

Speed: the private copy builds the library as a shared object that the test
programs do not relink against, so a mutant recompiles one file and relinks
one library; the tests of the mutated module (tests/test_<name>.c) run first,
and the others only when those pass. Neither changes a mutant's result: it is
killed when any selected test fails, whatever the order."""
import argparse
import csv
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# Tests too slow or too far from the library for every mutant (plots, MPI,
# benchmarks, fuzz regressions, the structure checks).
SLOW_TESTS = "plot_run|analysis_plots|mpi_|bench_|structure|function_lengths|fuzz"

# (name, pattern, replacement): each match on a line is one mutant.
OPERATORS = [
    ("arith", r"(?<=\s)\+(?=\s)", "-"),
    ("arith", r"(?<=\s)-(?=\s)", "+"),
    ("arith", r"(?<=\s)\*(?=\s)", "/"),
    ("arith", r"(?<=\s)/(?=\s)", "*"),
    ("relational", r"(?<=\s)<(?=\s)", "<="),
    ("relational", r"(?<=\s)<=(?=\s)", "<"),
    ("relational", r"(?<=\s)>(?=\s)", ">="),
    ("relational", r"(?<=\s)>=(?=\s)", ">"),
    ("equality", r"(?<=\s)==(?=\s)", "!="),
    ("equality", r"(?<=\s)!=(?=\s)", "=="),
    ("logical", r"(?<=\s)&&(?=\s)", "||"),
    ("logical", r"(?<=\s)\|\|(?=\s)", "&&"),
    ("negation", r"(?<=[\s(])!(?=[\w(])", ""),
    ("assign", r"(?<=\s)\+=(?=\s)", "="),
    ("assign", r"(?<=\s)-=(?=\s)", "="),
    ("assign", r"(?<=\s)\*=(?=\s)", "="),
    ("assign", r"(?<=\s)\+=(?=\s)", "-="),
    ("minmax", r"\bfmax\(", "fmin("),
    ("minmax", r"\bfmin\(", "fmax("),
    ("constant", r"(?<![\w.])0\.0(?![\w.])", "1.0"),
    ("constant", r"(?<![\w.])1\.0(?![\w.])", "0.0"),
    ("increment", r"\+\+(?=\w)|(?<=\w)\+\+", "--"),
]

# A whole statement that can be deleted: an assignment or a call on one line.
DELETABLE = re.compile(r"^\s*(?=\S)(?!return\b|break\b|continue\b|goto\b|case\b|default\b|if\b|for\b|while\b|else\b|"
                       r"do\b|switch\b|static\b|const\b|int\b|double\b|size_t\b|long\b|char\b|unsigned\b|"
                       r"bool\b|float\b|uint\w*\b|struct\b|ts_\w+\s+\*?\w+\s*[=;])[\w>\-\[\].*()\s]+"
                       r"(=|\+=|-=|\*=|/=|\()[^;{}]*;\s*$")


def code_part(line):
    """The line with comments and string and character literals blanked, so
    operators inside them are never mutated; same length as the line."""
    out, i, n = [], 0, len(line)
    while i < n:
        c = line[i]
        if line.startswith("//", i):
            out.append(" " * (n - i))
            break
        if line.startswith("/*", i):
            j = line.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(" " * (j - i))
            i = j
            continue
        if c in "\"'":
            j = i + 1
            while j < n and line[j] != c:
                j += 2 if line[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + " " * (j - i - 2) + (c if j - i >= 2 else ""))
            i = j
            continue
        out.append(c)
        i += 1
    return "".join(out)[:n]


def mutants_of(path):
    """Every mutant of one file: (file, line number, operator, original, mutant)."""
    rel = os.path.relpath(path, ROOT)
    result = []
    in_comment = False
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for k, line in enumerate(lines):
        stripped = line.strip()
        if in_comment:
            if "*/" in stripped:
                in_comment = False
            continue
        if stripped.startswith("/*") and "*/" not in stripped:
            in_comment = True
            continue
        if (not stripped or stripped.startswith(("#", "*", "//")) or "TS_ASSERT" in line or
                re.match(r"^(static\s+)?const char\b", stripped)):
            continue
        code = code_part(line)
        for name, pattern, repl in OPERATORS:
            for m in re.finditer(pattern, code):
                mutated = line[:m.start()] + repl + line[m.end():]
                result.append((rel, k + 1, name, line, mutated))
        if DELETABLE.match(code) and line.rstrip().endswith(";") and code.count("(") == code.count(")"):
            indent = line[:len(line) - len(line.lstrip())]
            result.append((rel, k + 1, "delete", line, indent + ";"))
    return result


def library_files(args):
    if args:
        return [os.path.abspath(a) for a in args]
    files = []
    for root, _, names in os.walk(os.path.join(ROOT, "sim")):
        if os.sep + "cli" in root:
            continue
        files += [os.path.join(root, n) for n in names if n.endswith(".c")]
    return sorted(files)


def from_report(path):
    """The mutants of an earlier report, found again in today's sources: on
    the recorded line if it still reads the same, else on the nearest line
    that does (the file changed above it). Mutants whose line is gone are
    left out, with a note."""
    mutants, cache = [], {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            rel, line_no = row["file"], int(row["line"])
            if rel not in cache:
                with open(os.path.join(ROOT, rel), encoding="utf-8") as src:
                    cache[rel] = src.read().split("\n")
            lines = cache[rel]
            found = [k for k, text in enumerate(lines, 1) if text.strip() == row["original"]]
            if not found:
                print("%s:%d: line gone, mutant left out: %s" % (rel, line_no, row["original"]), file=sys.stderr)
                continue
            k = min(found, key=lambda n: abs(n - line_no))
            text = lines[k - 1]
            indent = text[:len(text) - len(text.lstrip())]
            mutants.append((rel, k, row["operator"], text, indent + row["mutant"]))
    return mutants


def run(cmd, cwd, timeout):
    try:
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
        return p.returncode, p.stdout.decode(errors="replace")
    except subprocess.TimeoutExpired:
        return None, "timeout"


def test_names(build):
    """Names of the tests ctest knows in the build."""
    _, out = run(["ctest", "-N"], build, 120)
    return set(re.findall(r"Test\s+#\d+: (\S+)", out))


def ctest_command(a, include, exclude):
    cmd = ["ctest", "--stop-on-failure", "-j%d" % a.jobs, "--timeout", str(a.timeout)]
    if include:
        cmd += ["-R", include]
    if exclude:
        cmd += ["-E", exclude]
    return cmd


def run_tests(a, build, rel, known):
    """Runs the selected tests against the built mutant: those of the
    mutated module first. Returns whether every test passed."""
    include = a.tests or ""
    exclude = "" if a.tests else SLOW_TESTS
    own = "test_" + os.path.splitext(os.path.basename(rel))[0]
    if own in known and (not a.tests or re.search(a.tests, own)):
        rc, _ = run(ctest_command(a, "^%s$" % own, ""), build, a.timeout * 2)
        if rc != 0:
            return False
        exclude = "^%s$" % own + ("|" + exclude if exclude else "")
    rc, _ = run(ctest_command(a, include, exclude), build, a.timeout * 4)
    return rc == 0


def summary(results, report):
    """Score per file and overall, and the survivors."""
    files = sorted({r[0] for r in results})
    print("\n%-32s %7s %8s %7s %6s" % ("file", "killed", "survived", "invalid", "score"))
    total = {"killed": 0, "survived": 0, "invalid": 0}
    for f in files + [None]:
        c = {"killed": 0, "survived": 0, "invalid": 0}
        for r in results:
            if f is None or r[0] == f:
                c[r[5]] += 1
        scored = c["killed"] + c["survived"]
        print("%-32s %7d %8d %7d %5.1f%%" % (f or "all", c["killed"], c["survived"], c["invalid"],
                                              100.0 * c["killed"] / scored if scored else 0.0))
        if f is None:
            total = c
    survivors = [r for r in results if r[5] == "survived"]
    if survivors:
        print("\nsurvivors:")
        for rel, line, op, _, mut, _ in survivors:
            print("  %s:%d: %s: %s" % (rel, line, op, mut.strip()))
    scored = total["killed"] + total["survived"]
    print("\nmutants: %d killed, %d survived, %d invalid; score %.1f%% (report: %s)" %
          (total["killed"], total["survived"], total["invalid"],
           100.0 * total["killed"] / scored if scored else 0.0, report))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", help="library sources to mutate (default: every sim/**/*.c but sim/cli)")
    ap.add_argument("--sample", type=int, default=0, help="run only this many mutants, drawn at random")
    ap.add_argument("--seed", type=int, default=1, help="random seed of the sample")
    ap.add_argument("--rerun", metavar="CSV", help="run the mutants of an earlier report (files, --sample ignored)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="build and test parallelism")
    ap.add_argument("--timeout", type=int, default=300, help="seconds one test of one mutant may take")
    ap.add_argument("--tests", default="", help="ctest -R regex of the tests to run (default: all fast ones)")
    ap.add_argument("--report", default="mutation.csv", help="CSV report path")
    ap.add_argument("--list", action="store_true", help="print the mutants and stop")
    ap.add_argument("--keep", action="store_true", help="keep the temporary copy of the tree")
    ap.add_argument("--sanitize", action="store_true",
                    help="build with ASan+UBSan, so that memory errors a mutant causes count as caught")
    a = ap.parse_args()

    if a.rerun:
        mutants = from_report(a.rerun)
    else:
        mutants = [m for f in library_files(a.files) for m in mutants_of(f)]
        if a.sample and a.sample < len(mutants):
            mutants = sorted(random.Random(a.seed).sample(mutants, a.sample), key=lambda m: (m[0], m[1]))
    if a.list:
        for rel, line, op, orig, mut in mutants:
            print("%s:%d: %s: %s  =>  %s" % (rel, line, op, orig.strip(), mut.strip()))
        print("%d mutants" % len(mutants))
        return 0

    work = tempfile.mkdtemp(prefix="tradesim-mutation-")
    src = os.path.join(work, "src")
    build = os.path.join(work, "build")
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns("build*", "out", ".git", "__pycache__"))
    print("copy of the tree in %s; building it once" % src, flush=True)
    # A shared library the programs do not relink against: a mutant rebuilds
    # one object and one library, not every test program.
    configure = ["cmake", "-S", src, "-B", build, "-DCMAKE_BUILD_TYPE=Debug", "-DTRADESIM_MPI=OFF",
                 "-DBUILD_SHARED_LIBS=ON", "-DCMAKE_LINK_DEPENDS_NO_SHARED=ON"]
    if a.sanitize:
        configure.append("-DTRADESIM_SANITIZE=ON")
    rc, out = run(configure, src, 600)
    if rc == 0:
        rc, out = run(["cmake", "--build", build, "-j%d" % a.jobs], src, 1800)
    if rc == 0:
        rc, out = run(ctest_command(a, a.tests, "" if a.tests else SLOW_TESTS), build, 3600)
    if rc != 0:
        print(out[-4000:], file=sys.stderr)
        print("mutate.py: the unmutated tree does not build or pass its tests", file=sys.stderr)
        return 2
    known = test_names(build)

    results = []
    started = time.time()
    with open(a.report, "w", newline="") as report:
        w = csv.writer(report)
        w.writerow(["file", "line", "operator", "original", "mutant", "result"])
        for n, (rel, line, op, orig, mut) in enumerate(mutants, 1):
            path = os.path.join(src, rel)
            with open(path, encoding="utf-8") as f:
                original = f.read()
            lines = original.split("\n")
            lines[line - 1] = mut
            try:
                with open(path, "w", encoding="utf-8") as f:
                    f.write("\n".join(lines))
                rc, _ = run(["cmake", "--build", build, "-j%d" % a.jobs], src, 900)
                if rc != 0:
                    result = "invalid"
                else:
                    result = "survived" if run_tests(a, build, rel, known) else "killed"
            finally:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(original)
            results.append((rel, line, op, orig, mut, result))
            w.writerow([rel, line, op, orig.strip(), mut.strip(), result])
            report.flush()
            elapsed = time.time() - started
            print("[%d/%d %.0fs] %s %s:%d %s: %s" % (n, len(mutants), elapsed, result, rel, line, op, mut.strip()),
                  flush=True)
    # Rebuild the pristine copy so a kept tree is usable.
    run(["cmake", "--build", build, "-j%d" % a.jobs], src, 1800)
    summary(results, a.report)
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
