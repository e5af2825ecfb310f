#!/usr/bin/env python3
"""Functions of the library and the command stay short (docs/architecture.md):
at most MAX lines from signature to closing brace, unless the comment above
the function says why it is longer ("Long because ...").

Usage: lengths.py [--max N] SOURCE_DIR   (checks SOURCE_DIR/sim/**/*.c)
Exits 1 naming every function over the limit without a reason, else 0."""
import os
import re
import sys

SIGNATURE = re.compile(r"^[A-Za-z_][\w \t\*]*\b(\w+)\s*\([^;]*\)\s*$")


def long_functions(path, limit):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    found = []
    for i, line in enumerate(lines):
        if i + 1 >= len(lines) or lines[i + 1] != "{":
            continue
        m = SIGNATURE.match(line)
        if not m:
            continue
        end = i + 1
        while end < len(lines) and lines[end] != "}":
            end += 1
        length = end - i + 1
        if length <= limit:
            continue
        # the comment block right above the signature
        k, comment = i - 1, []
        while k >= 0 and (lines[k].startswith(("/*", " *", "//")) or lines[k].rstrip().endswith("*/")):
            comment.append(lines[k])
            k -= 1
        if not re.search(r"\blong because\b", " ".join(comment), re.IGNORECASE):
            found.append((i + 1, m.group(1), length))
    return found


def main(argv):
    limit = 60
    if len(argv) >= 2 and argv[0] == "--max":
        limit, argv = int(argv[1]), argv[2:]
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    root = argv[0]
    problems = 0
    for base, _, names in os.walk(os.path.join(root, "sim")):
        for name in sorted(names):
            if not name.endswith(".c"):
                continue
            path = os.path.join(base, name)
            for line, fn, length in long_functions(path, limit):
                print("%s:%d: %s is %d lines (over %d, and no 'Long because' comment above it)" %
                      (os.path.relpath(path, root), line, fn, length, limit))
                problems += 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
