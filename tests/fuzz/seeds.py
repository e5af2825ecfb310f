#!/usr/bin/env python3
"""Seed corpora and the dictionary of the fuzz harnesses (docs/fuzzing.md).

    seeds.py SOURCE_DIR OUT_DIR

writes, from the source tree alone (nothing here is edited by hand):

- OUT_DIR/corpus/scenario/: every scenario of scenarios/ and tests/data/,
  full-line comments dropped (they only make inputs longer);
- OUT_DIR/corpus/sweep/: the sweep files of tests/data/, and one small sweep
  per shipped scenario (a range, a value list, a metric; each design);
- OUT_DIR/corpus/override/: for each scenario of fuzz_override.c (the first
  byte picks it), the overrides of the sweeps on it and a few generic ones;
- OUT_DIR/tradesim.dict: every setting name the loaders accept (the key
  lists in sim/scenario/ and sim/batch/sweep_file.c), every value word they
  know (measure types, rule kinds, segments, designs, stats, table columns),
  the entity ids of the shipped scenarios and libconfig's syntax.

check_dict.py checks that every setting of docs/scenario.md and
docs/sweep.md is in the dictionary.
"""
import os
import re
import shutil
import sys

# The order of fuzz_override.c's scenario table: the first byte of an input
# picks entry byte % len.
OVERRIDE_SCENARIOS = [
    "scenarios/default.cfg", "scenarios/zte_2018.cfg", "scenarios/huawei_2019_2020.cfg",
    "scenarios/cyberlaw_2017.cfg", "scenarios/decoupling.cfg", "scenarios/tit_for_tat_2023.cfg",
    "tests/data/mpi_world.cfg",
]

# Sources whose name tables list what the loaders accept.
NAME_SOURCES = ["sim/scenario", "sim/batch/sweep_file.c", "sim/batch/metric.c"]
COLUMN_SOURCE = "sim/output/tables.c"

SYNTAX = ["@include \"", "=", ";", ":", ",", "{", "}", "[", "]", "(", ")", "\"", "#", "//", "/*", "*/",
          "\n", "true", "false", "L", "0x", "1e308", "-1", "0.5", "2147483648", "4294967296L",
          "9223372036854775807L", "2018Q1", "2018-01", "2018", "\\\""]
OVERRIDE_SYNTAX = [".", "[0]", ".0", "="]
# Overrides every scenario of the table accepts (a `model` group is added
# where there is none).
GENERIC_OVERRIDES = [
    ["run.seed=7"],
    ["run.seed=4294967295L", "run.step=\"quarter\""],
    ["model={ innovation_share = 0.25; beta_a = 2.0; beta_b = 4.0; }", "model.tech_weight=1.5"],
    ["title=\"a title\"", "description=words"],
]


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def without_comments(text):
    return "".join(line for line in text.splitlines(True) if not line.lstrip().startswith("#"))


def is_sweep(text):
    return re.search(r"^\s*scenario\s*=", text, re.M) is not None


def c_files(source_dir, entries):
    for entry in entries:
        path = os.path.join(source_dir, entry)
        if os.path.isdir(path):
            yield from sorted(os.path.join(path, n) for n in os.listdir(path) if n.endswith(".c"))
        else:
            yield path


def name_tables(source_dir):
    """Strings of every `const char *const NAME[] = {...}` and of struct
    tables whose entries start with a key ({ "target", ... })."""
    words = set()
    table = re.compile(r"const\s+char\s*\*\s*const\s+\w+\s*\[[^\]]*\]\s*=\s*\{(.*?)\};", re.S)
    keyed = re.compile(r"\{\s*\"([a-z_]+)\"\s*,")
    for path in c_files(source_dir, NAME_SOURCES):
        text = read(path)
        for body in table.findall(text):
            words.update(re.findall(r"\"([^\"\\]*)\"", body))
        words.update(keyed.findall(text))
    # Columns: the first argument of each column macro (NUM, TEXT, NUM_OR_EMPTY, ...).
    words.update(re.findall(r"\b[A-Z][A-Z_]*\(\"([a-z_]+)\"", read(os.path.join(source_dir, COLUMN_SOURCE))))
    return words


def entity_ids(texts):
    """Group names of the shipped scenarios: entity and measure ids."""
    ids = set()
    for text in texts:
        ids.update(re.findall(r"^\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*\{", without_comments(text), re.M))
    return ids


def dict_entry(word):
    out = "".join(c if c.isprintable() and c not in "\"\\" else "\\x%02X" % ord(c) for c in word)
    return "\"%s\"\n" % out


def scenario_files(source_dir):
    for folder in ("scenarios", "tests/data"):
        for name in sorted(os.listdir(os.path.join(source_dir, folder))):
            if name.endswith(".cfg"):
                yield folder, name, read(os.path.join(source_dir, folder, name))


def first_country(text):
    m = re.search(r"^countries\s*=\s*\{\s*([A-Za-z][A-Za-z0-9_-]*)\s*=", without_comments(text), re.M)
    return m.group(1) if m else "US"


def generated_sweep(name, text, k):
    """A small sweep on scenarios/NAME, as the harness resolves it from
    tests/data, that loads: its parameters exist in every scenario. The
    design turns with k: grid, lhs, sobol, Saltelli (the harness loads a
    sweep that mentions `sensitivity` as `tradesim sensitivity` does)."""
    design = ["grid", "lhs", "sobol", "grid"][k % 4]
    sensitivity = "sensitivity = { bootstrap = 10; confidence = 0.9; };\n" if k % 4 == 3 else ""
    country = first_country(text)
    return ("scenario = \"../../scenarios/%s\";\ndesign = \"%s\";\npoints = 4;\nreplications = 2;\n"
            "parameters = (\n  { path = \"countries.%s.home_bias\"; min = 0.5; max = 2.0; log = true; },\n"
            "  { path = \"run.seed\"; values = [3, 4]; }\n);\n"
            "metrics = (\n  { series = \"countries.%s.consumer_welfare_bn_usd\"; stat = \"mean\"; diff = true; },\n"
            "  { series = \"countries.%s.imports_bn_usd\"; stat = \"sum\"; from = 0; to = 1; annualise = true; },\n"
            "  \"rule_starts\", \"retaliated:%s\"\n);\n%s"
            % (name, design, country, country, country, country, sensitivity))


def sweep_overrides(text):
    """PATH=VALUE for the first value or range end of each parameter."""
    lines = []
    for m in re.finditer(r"path\s*=\s*\"([^\"]+)\"\s*;([^}]*)\}", text):
        rest = m.group(2)
        value = re.search(r"min\s*=\s*([^;]+);", rest) or re.search(r"values\s*=\s*\[\s*([^,\]]+)", rest)
        if value:
            lines.append("%s=%s" % (m.group(1), value.group(1).strip()))
    return lines


def main(source_dir, out_dir):
    corpus = os.path.join(out_dir, "corpus")
    shutil.rmtree(corpus, ignore_errors=True)
    scenarios = {}
    generated = 0
    for folder, name, text in scenario_files(source_dir):
        if is_sweep(text):
            write(os.path.join(corpus, "sweep", name), text)
            target = re.search(r"^\s*scenario\s*=\s*\"([^\"]+)\"", text, re.M).group(1)
            path = os.path.normpath(os.path.join(folder, target))
            if path in OVERRIDE_SCENARIOS:
                scenarios.setdefault(path, []).append(sweep_overrides(text))
        else:
            write(os.path.join(corpus, "scenario", "%s_%s" % (folder.replace("/", "_"), name)),
                  without_comments(text))
            if folder == "scenarios":
                write(os.path.join(corpus, "sweep", "generated_" + name), generated_sweep(name, text, generated))
                generated += 1
    for k, path in enumerate(OVERRIDE_SCENARIOS):
        for j, lines in enumerate(GENERIC_OVERRIDES + scenarios.get(path, [])):
            data = bytes([k]) + "\n".join(lines).encode("utf-8")
            os.makedirs(os.path.join(corpus, "override"), exist_ok=True)
            with open(os.path.join(corpus, "override", "%d_%s_%d" % (k, os.path.basename(path), j)), "wb") as f:
                f.write(data)

    texts = [text for _, _, text in scenario_files(source_dir)]
    words = name_tables(source_dir) | entity_ids(texts) | set(SYNTAX) | set(OVERRIDE_SYNTAX)
    words.discard("")
    write(os.path.join(out_dir, "tradesim.dict"),
          "# Generated by tests/fuzz/seeds.py from the loaders' name tables and the shipped scenarios.\n" +
          "".join(dict_entry(w) for w in sorted(words)))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: seeds.py SOURCE_DIR OUT_DIR")
    main(sys.argv[1], sys.argv[2])
