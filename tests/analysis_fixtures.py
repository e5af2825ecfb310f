#!/usr/bin/env python3
"""Small batch outputs in the formats of docs SPEC4 (replications, sweeps,
sensitivity, comparisons), built from single `tradesim run` calls, for the
plotting tests while the engine has no batch commands.

usage:
  analysis_fixtures.py ensemble CLI SCENARIO DIR REPS
  analysis_fixtures.py compare CLI SCENARIO DIR REPS PATH=VALUE...   (B = A + overrides)
  analysis_fixtures.py sweep CLI SCENARIO DIR grid|lhs
  analysis_fixtures.py sensitivity DIR

Standard library only. Seeds are 1000 + replication (not the engine's
derivation: the files only need to have the right shape and real numbers).
"""

import csv
import json
import math
import os
import random
import subprocess
import sys

KEYS = {"countries": ("country",), "firms": ("firm",), "markets": ("country", "sector", "segment")}
TABLES = ("countries", "firms", "markets")
# two-sided 95% t quantiles, degrees of freedom 1..10; the normal beyond
T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228)


def run(cli, scenario, out, seed, overrides=()):
    command = [cli, "run", scenario, "-o", out, "--seed", str(seed)]
    for o in overrides:
        command += ["--set", o]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def read(path):
    with open(path, newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        return header, list(reader)


def write(path, header, rows):
    with open(path, "w", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def fmt(x):
    return "" if x is None or math.isnan(x) else repr(x)


def numeric_columns(header, rows, keys):
    skip = {"step", "date"} | set(keys)
    return [c for i, c in enumerate(header)
            if c not in skip and all(r[i] == "" or number(r[i]) is not None for r in rows)]


def quantile(data, p):
    data = sorted(data)
    position = (len(data) - 1) * p
    low = int(math.floor(position))
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (position - low)


def stats(values):
    data = [v for v in values if v is not None and not math.isnan(v)]
    n = len(data)
    if n == 0:
        return n, math.nan, math.nan, math.nan, math.nan, math.nan
    mean = sum(data) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in data) / (n - 1)) if n > 1 else math.nan
    return n, mean, sd, quantile(data, 0.05), quantile(data, 0.5), quantile(data, 0.95)


def series_by_key(header, rows, keys, columns):
    """[(step, date, key tuple, {column: value})] in file order."""
    index = {c: header.index(c) for c in header}
    result = []
    for r in rows:
        values = {c: (number(r[index[c]]) if r[index[c]] != "" else math.nan) for c in columns}
        result.append((int(r[index["step"]]), r[index["date"]],
                       tuple(r[index[k]] for k in keys), values))
    return result


def ensemble(cli, scenario, out, reps):
    os.makedirs(out, exist_ok=True)
    seeds = [1000 + r for r in range(reps)]
    for r, seed in enumerate(seeds):
        run(cli, scenario, os.path.join(out, "single", str(r)), seed)
    write(os.path.join(out, "reps.csv"), ["rep", "seed"], [[r, s] for r, s in enumerate(seeds)])
    for table in TABLES + ("events",):
        combined, header = [], None
        for r in range(reps):
            header, rows = read(os.path.join(out, "single", str(r), table + ".csv"))
            combined += [[str(r)] + row for row in rows]
        write(os.path.join(out, table + ".csv"), ["rep"] + header, combined)
    for table in TABLES:
        keys = KEYS[table]
        per_rep = []
        for r in range(reps):
            header, rows = read(os.path.join(out, "single", str(r), table + ".csv"))
            columns = numeric_columns(header, rows, keys)
            per_rep.append(series_by_key(header, rows, keys, columns))
        rows_out = []
        for i, (step, date, key, _) in enumerate(per_rep[0]):
            for c in columns:
                n, mean, sd, q05, q50, q95 = stats([p[i][3][c] for p in per_rep])
                rows_out.append([step, date] + list(key) + [c, n] + [fmt(x) for x in (mean, sd, q05, q50, q95)])
        write(os.path.join(out, "summary_%s.csv" % table),
              ["step", "date"] + list(keys) + ["metric", "n", "mean", "sd", "q05", "q50", "q95"], rows_out)
    with open(os.path.join(out, "run.json"), "w") as stream:
        json.dump({"reps": reps, "base_seed": 1000, "seeds": seeds}, stream)


def compare(cli, scenario, out, reps, overrides):
    os.makedirs(out, exist_ok=True)
    seeds = [1000 + r for r in range(reps)]
    for r, seed in enumerate(seeds):
        run(cli, scenario, os.path.join(out, "a", str(r)), seed)
        run(cli, scenario, os.path.join(out, "b", str(r)), seed, overrides)
    write(os.path.join(out, "reps.csv"), ["rep", "seed"], [[r, s] for r, s in enumerate(seeds)])
    for table in TABLES:
        keys = KEYS[table]
        a, b = [], []
        for r in range(reps):
            header, rows = read(os.path.join(out, "a", str(r), table + ".csv"))
            columns = numeric_columns(header, rows, keys)
            a.append(series_by_key(header, rows, keys, columns))
            header, rows = read(os.path.join(out, "b", str(r), table + ".csv"))
            b.append(series_by_key(header, rows, keys, columns))
        rows_out = []
        for i, (step, date, key, _) in enumerate(a[0]):
            for c in columns:
                diffs = [b[r][i][3][c] - a[r][i][3][c] for r in range(reps)]
                n, diff_mean, diff_sd, _, _, _ = stats(diffs)
                t = T975[n - 2] if 2 <= n <= 11 else 1.96
                half = t * diff_sd / math.sqrt(n) if n > 1 else math.nan
                rows_out.append([step, date] + list(key) + [c, n] + [fmt(x) for x in (
                    stats([p[i][3][c] for p in a])[1], stats([p[i][3][c] for p in b])[1],
                    diff_mean, diff_sd, diff_mean - half, diff_mean + half)])
        write(os.path.join(out, "compare_%s.csv" % table),
              ["step", "date"] + list(keys) + ["metric", "n", "mean_a", "mean_b", "diff_mean",
                                               "diff_sd", "diff_lo", "diff_hi"], rows_out)


def outcome(directory):
    """A few sweep metrics of one run: final, mean and min of series."""
    header, rows = read(os.path.join(directory, "countries.csv"))
    country, welfare, gap = header.index("country"), header.index("consumer_welfare_bn_usd"), header.index("tech_gap")
    us_welfare = [float(r[welfare]) for r in rows if r[country] == "US"]
    cn_gap = [float(r[gap]) for r in rows if r[country] == "CN" and r[gap] != ""]
    header, rows = read(os.path.join(directory, "firms.csv"))
    firm, revenue = header.index("firm"), header.index("revenue_bn_usd")
    huawei = [float(r[revenue]) for r in rows if r[firm] == "Huawei"]
    return [us_welfare[-1], sum(cn_gap) / len(cn_gap), min(huawei)]


def sweep(cli, scenario, out, design):
    os.makedirs(out, exist_ok=True)
    params = ["model.imitation_fraction", "countries.CN.rd_budget"]
    metrics = ["final_US_consumer_welfare_bn_usd", "mean_CN_tech_gap", "min_Huawei_revenue_bn_usd"]
    if design == "grid":
        points = [(f, b) for f in (0.1, 0.25, 0.5) for b in (0.0, 20.0, 60.0)]
        reps = 2
    else:
        rng = random.Random(7)
        n = 12
        strata = [list(range(n)) for _ in params]
        for s in strata:
            rng.shuffle(s)
        points = [(0.05 + 0.5 * (strata[0][i] + rng.random()) / n,
                   80.0 * (strata[1][i] + rng.random()) / n) for i in range(n)]
        reps = 1 if design == "lhs" else 2
    rows, run_id = [], 0
    for p, values in enumerate(points):
        for r in range(reps):
            seed = 1000 + r
            directory = os.path.join(out, "runs", str(run_id))
            if run_id == 3:  # one failed run, as the engine records them
                row = [run_id, p, r, seed] + [repr(v) for v in values] + [""] * len(metrics) \
                      + ["failed", "invariant broken: negative stockpile of Huawei at step 5"]
            else:
                run(cli, scenario, directory, seed,
                    ["%s=%r" % (k, v) for k, v in zip(params, values)])
                row = [run_id, p, r, seed] + [repr(v) for v in values] \
                      + [repr(m) for m in outcome(directory)] + ["ok", ""]
            rows.append(row)
            run_id += 1
    write(os.path.join(out, "sweep.csv"),
          ["run", "point", "rep", "seed"] + params + metrics + ["status", "message"], rows)
    if design == "grid":  # the lhs fixture leaves the parameters to be recognised
        write(os.path.join(out, "points.csv"), ["point"] + params,
              [[p] + [repr(v) for v in values] for p, values in enumerate(points)])


def sensitivity(out):
    os.makedirs(out, exist_ok=True)
    rng = random.Random(11)
    params = ["model.imitation_fraction", "countries.CN.rd_budget",
              "countries.US.home_bias", "measures.huawei_entity_list.start"]
    rows = []
    for metric in ("final_US_consumer_welfare_bn_usd", "mean_CN_tech_gap"):
        shares = [rng.random() ** 2 for _ in params]
        total = sum(shares) * 1.15
        for p, share in zip(params, shares):
            first = share / total - 0.02
            tot = first + 0.03 + 0.1 * rng.random()
            width = 0.04 + 0.05 * rng.random()
            rows.append([metric, p] + [repr(round(x, 6)) for x in (
                first, first - width, first + width, tot, tot - width * 0.8, tot + width * 0.8)]
                + [512, 0.95])
    write(os.path.join(out, "sensitivity.csv"),
          ["metric", "parameter", "first", "first_lo", "first_hi", "total", "total_lo",
           "total_hi", "n", "confidence"], rows)


def main(argv):
    if len(argv) >= 6 and argv[1] == "ensemble":
        ensemble(argv[2], argv[3], argv[4], int(argv[5]))
    elif len(argv) >= 7 and argv[1] == "compare":
        compare(argv[2], argv[3], argv[4], int(argv[5]), argv[6:])
    elif len(argv) == 6 and argv[1] == "sweep":
        sweep(argv[2], argv[3], argv[4], argv[5])
    elif len(argv) == 3 and argv[1] == "sensitivity":
        sensitivity(argv[2])
    else:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
