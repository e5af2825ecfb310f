#!/usr/bin/env python3
"""Fails, naming each one, when a setting documented in a reference page is
missing from the fuzz dictionary (seeds.py builds it from the loaders' key
lists, so a miss means a documented setting the loader does not list, or a
dictionary that was not regenerated).

    check_dict.py DICT DOC.md...

A documented setting is a backquoted name in the first column of a table
whose header's first column is `setting` (docs/scenario.md, docs/sweep.md).
"""
import re
import sys


def dictionary_words(path):
    words = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r'^"(.*)"\s*$', line)
            if m:
                words.add(re.sub(r"\\x([0-9A-Fa-f]{2})", lambda h: chr(int(h.group(1), 16)), m.group(1)))
    return words


def documented_settings(path):
    """(line number, name) of every setting in the page's setting tables."""
    in_table = False
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.lstrip().startswith("|") else None
            if cells is None:
                in_table = False
            elif cells[0] == "setting":
                in_table = True
            elif in_table and not set(cells[0]) <= set("-: "):
                for name in re.findall(r"`([^`]+)`", cells[0]):
                    yield number, name


def main(argv):
    if len(argv) < 3:
        sys.exit("usage: check_dict.py DICT DOC.md...")
    words = dictionary_words(argv[1])
    missing = 0
    checked = 0
    for doc in argv[2:]:
        for number, name in documented_settings(doc):
            checked += 1
            if name not in words:
                print("%s:%d: setting '%s' is missing from the fuzz dictionary %s" % (doc, number, name, argv[1]))
                missing += 1
    if checked == 0:
        print("no documented settings found in %s" % ", ".join(argv[2:]))
        return 1
    print("%d documented settings, %d missing from the dictionary" % (checked, missing))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
