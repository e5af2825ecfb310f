#!/usr/bin/env python3
"""Plot the outcome metrics of a tradesim parameter sweep.

Reads DIR/sweep.csv (`tradesim sweep FILE -o DIR`; columns
run,point,rep,seed,<parameter>...,<metric>...,status,message) and, when
present, DIR/points.csv (point,<parameter>...: tells the parameters from the
metrics; without it, a column is a parameter when it is constant within
every point and, with one run per point, when its name is a setting path:
dotted, without the `:` of a metric's default name `STAT:SERIES`).

Writes, for each metric (all, or those chosen with --metric):
  sweep_<metric>.png          one panel per parameter: the metric against
                              the parameter, mean (line) and 5-95% range
                              (band) of the runs at each value (over
                              replications and the other parameters); with
                              many distinct values (lhs, sobol) the values
                              are grouped into equal-width bins; every run
                              is a grey dot
  sweep_<metric>_<x>_<y>.png  two parameters: on a grid design, a heatmap of
                              the mean per cell; otherwise each point at its
                              (x, y), coloured by its mean over replications
With --x only the first kind is drawn for that parameter; with --x and --y
only the second; without either, both (the heatmap for the first two
parameters). Failed runs (status other than ok) are left out and counted in
the titles.

Exit status: 0 plots written (their paths printed); 2 bad usage, missing or
malformed input; 3 no matplotlib anywhere.
"""

import math
import os

import tsplot
from tsplot import InputError

LEADING = ("run", "point", "rep", "seed")
TRAILING = ("status", "message")
MAX_LEVELS = 12      # more distinct values than this: bins (see should_bin)
MAX_LEVELS_ONE = 40  # the same in a one-parameter sweep
MAX_GRID = 25      # a heatmap axis holds at most this many distinct values



def tick_label(value):
    """A parameter value for an axis: numbers in at most 6 significant digits
    (a grid level such as 0.30000000000000004 reads 0.3), text as it is."""
    try:
        return "%.6g" % float(value)
    except ValueError:
        return value

def arguments(argv):
    parser = tsplot.new_parser(
        "plot_sweep.py",
        "Plot sweep metrics against parameters, from the sweep.csv of "
        "`tradesim sweep FILE -o DIR`.",
        "plot_sweep.py out/sweep --x model.imitation_fraction "
        "--y countries.CN.rd_budget --metric mean_CN_tech_gap",
        __doc__, "output directory of `tradesim sweep`")
    parser.add_argument("--x", metavar="PARAM", help="parameter on the x axis")
    parser.add_argument("--y", metavar="PARAM", help="second parameter (heatmap); needs --x")
    parser.add_argument("--metric", action="append", metavar="M",
                        help="metric to plot (default: all); repeatable or comma-separated")
    return parser.parse_args(argv[1:])


# --------------------------------------------------------------------------
# Reading

class Sweep:
    """runs: [{"point", "params": {p: text}, "metrics": {m: float}, "ok"}]"""

    def __init__(self, path, params, metrics, runs):
        self.path, self.params, self.metrics, self.runs = path, params, metrics, runs
        self.ok = [r for r in runs if r["ok"]]
        self.failed = len(runs) - len(self.ok)
        self.points = len({r["point"] for r in runs})


def number_or_none(text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def split_columns(path, middle, rows, points_path):
    """(parameters, metrics) among the columns between seed and status."""
    if os.path.isfile(points_path):
        header, _ = tsplot.read_table_with_header(points_path, ("point",))
        params = [c for c in header if c != "point"]
        unknown = [c for c in params if c not in middle]
        if unknown:
            raise InputError("%s: parameter(s) %s not in %s" % (points_path, ", ".join(unknown), path))
        return params, [c for c in middle if c not in params]
    by_point = {}
    for row in rows:
        by_point.setdefault(row["point"], []).append(row)
    repeated = any(len(group) > 1 for group in by_point.values())
    params = []
    for column in middle:
        constant = all(len({r[column] for r in group}) == 1 for group in by_point.values())
        setting_path = "." in column and ":" not in column  # not STAT:SERIES
        if not (constant and (repeated or setting_path)):
            break  # the parameters come first: the metrics begin here
        params.append(column)
    return params, middle[len(params):]


def read_sweep(directory):
    path = os.path.join(directory, "sweep.csv")
    if not os.path.isfile(path):
        raise InputError("missing file %s (is %s the output of `tradesim sweep`?)" % (path, directory))
    header, rows = tsplot.read_table_with_header(path, LEADING + TRAILING)
    if tuple(header[:4]) != LEADING or tuple(header[-2:]) != TRAILING:
        raise InputError("%s: the header must begin with %s and end with %s (header: %s)"
                         % (path, ",".join(LEADING), ",".join(TRAILING), ",".join(header)))
    if not rows:
        raise InputError("%s has no rows" % path)
    middle = header[4:-2]
    params, metrics = split_columns(path, middle, rows, os.path.join(directory, "points.csv"))
    if not params:
        raise InputError("%s: cannot tell the parameters (no points.csv, and no column between "
                         "seed and the metrics is constant within each point)" % path)
    if not metrics:
        raise InputError("%s: no metric column between the parameters and status" % path)
    runs = []
    for number, row in enumerate(rows, start=2):
        for column in LEADING:
            tsplot.to_int(path, number, column, row[column])
        ok = row["status"].strip() == "ok"
        values = {}
        for m in metrics:
            values[m] = tsplot.to_float(path, number, m, row[m]) if ok else math.nan
        runs.append({"point": row["point"], "params": {p: row[p] for p in params},
                     "metrics": values, "ok": ok})
    return Sweep(path, params, metrics, runs)


# --------------------------------------------------------------------------
# One parameter

def levels(runs, param):
    """The distinct values of a parameter: (values, numeric?) in numeric
    order when all are numbers, else in order of appearance."""
    seen = []
    for r in runs:
        if r["params"][param] not in seen:
            seen.append(r["params"][param])
    numbers = [number_or_none(v) for v in seen]
    if all(n is not None for n in numbers):
        return sorted(seen, key=number_or_none), True
    return seen, False


def should_bin(sweep, distinct):
    """Group a numeric parameter into bins? In a one-parameter sweep each
    value is a point: only when there are very many. With more parameters,
    when the values are many or nearly one per point (lhs, sobol), where a
    line through them would zigzag with the other parameters."""
    if len(sweep.params) == 1:
        return distinct > MAX_LEVELS_ONE
    return distinct > MAX_LEVELS or (distinct > 5 and distinct >= 0.8 * sweep.points)


def failed_note(sweep, metric=None):
    parts = ["%d runs at %d points" % (len(sweep.runs), sweep.points)]
    if sweep.failed:
        parts.append("%d failed run%s left out" % (sweep.failed, "" if sweep.failed == 1 else "s"))
    if metric is not None:
        undefined = sum(1 for r in sweep.ok if math.isnan(r["metrics"][metric]))
        if undefined:
            parts.append("%d ok run%s without a value" % (undefined, "" if undefined == 1 else "s"))
    return "; ".join(parts)


def draw_one(ax, sweep, param, metric):
    runs = [r for r in sweep.ok if not math.isnan(r["metrics"][metric])]
    values, numeric = levels(sweep.runs, param)
    if not runs:
        ax.text(0.5, 0.5, "no successful run", transform=ax.transAxes, ha="center", va="center")
        return False
    binned = numeric and should_bin(sweep, len(values))
    if binned:
        xs = [float(r["params"][param]) for r in runs]
        low, high = min(xs), max(xs)
        count = max(3, min(10, int(math.sqrt(len(set(xs))) + 0.5)))
        width = (high - low) / count or 1.0
        groups = {}
        for x, r in zip(xs, runs):
            groups.setdefault(min(int((x - low) / width), count - 1), []).append(r["metrics"][metric])
        centres = sorted(groups)
        positions = [low + (b + 0.5) * width for b in centres]
        samples = [groups[b] for b in centres]
        ax.scatter(xs, [r["metrics"][metric] for r in runs], s=8, color="0.6", zorder=2,
                   label="runs")
    else:
        if numeric:
            where = {v: float(v) for v in values}
        else:
            where = {v: i for i, v in enumerate(values)}
            ax.set_xticks(range(len(values)))
            ax.set_xticklabels([tick_label(v) for v in values], rotation=45 if len(values) > 6 else 0,
                               ha="right" if len(values) > 6 else "center", fontsize=8)
        groups = {}
        for r in runs:
            groups.setdefault(r["params"][param], []).append(r["metrics"][metric])
        present = [v for v in values if v in groups]
        positions = [where[v] for v in present]
        samples = [groups[v] for v in present]
        ax.scatter([where[r["params"][param]] for r in runs], [r["metrics"][metric] for r in runs],
                   s=8, color="0.6", zorder=2, label="runs")
    means = [tsplot.mean(s) for s in samples]
    ax.fill_between(positions, [tsplot.quantile(s, 0.05) for s in samples],
                    [tsplot.quantile(s, 0.95) for s in samples],
                    color="tab:green", alpha=0.25, linewidth=0, zorder=1,
                    label="5-95% of runs" + (" per bin" if binned else ""))
    ax.plot(positions, means, color="tab:green", marker="o", markersize=3.5, linewidth=1.5,
            zorder=3, label="mean" + (" per bin" if binned else ""))
    ax.set_xlabel(param + (" (binned)" if binned else ""), fontsize=9)
    ax.grid(True, linewidth=0.4, alpha=0.5)
    return binned


def plot_one(plt, out_dir, sweep, metric, params, name):
    what, unit = tsplot.describe(metric)
    ncols = min(3, len(params))
    nrows = math.ceil(len(params) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols + 1.5, 3.6 * nrows), squeeze=False)
    used, binned = [], False
    for i, param in enumerate(params):
        ax = axes[i // ncols][i % ncols]
        binned |= draw_one(ax, sweep, param, metric)
        if i % ncols == 0:
            ax.set_ylabel(tsplot.with_unit(what, unit), fontsize=9)
        used.append(ax)
    for i in range(len(params), nrows * ncols):
        axes[i // ncols][i % ncols].set_visible(False)
    handles, labels = used[0].get_legend_handles_labels()
    if handles:
        used[ncols - 1].legend(handles, labels, loc="upper left", bbox_to_anchor=(1.02, 1.0),
                               fontsize=8, frameon=False)
    fig.subplots_adjust(wspace=0.3, hspace=0.45)
    title = "%s (%s) against %s" % (tsplot.capitalised(what), unit or metric,
                                    "each parameter" if len(params) > 1 else params[0])
    title += "\nmean and 5-95%% range of the runs at each value%s; %s" % (
        " or bin" if binned else "", failed_note(sweep, metric))
    path = os.path.join(out_dir, name)
    tsplot.suptitle_above(fig, title, used[:ncols], [ax.title for ax in used[:ncols]])
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return path


# --------------------------------------------------------------------------
# Two parameters

def colour_scale(plt, values):
    """A diverging map centred on zero when the values change sign (e.g. a
    difference against a baseline), else viridis."""
    import matplotlib.colors as colors
    finite = [v for v in values if not math.isnan(v)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    if low < 0 < high:  # symmetric: equal distances from zero get equal shades
        reach = max(-low, high)
        return plt.get_cmap("RdBu_r"), colors.Normalize(vmin=-reach, vmax=reach)
    if low == high:
        low, high = low - 0.5, high + 0.5
    return plt.get_cmap("viridis"), colors.Normalize(vmin=low, vmax=high)


def plot_two(plt, out_dir, sweep, metric, x, y):
    what, unit = tsplot.describe(metric)
    runs = [r for r in sweep.ok if not math.isnan(r["metrics"][metric])]
    xs, x_numeric = levels(sweep.runs, x)
    ys, y_numeric = levels(sweep.runs, y)
    combos = {(r["params"][x], r["params"][y]) for r in sweep.runs}
    grid = (len(xs) <= MAX_GRID and len(ys) <= MAX_GRID
            and len(combos) >= 0.5 * len(xs) * len(ys))
    fig, ax = plt.subplots(figsize=(8.5, 6.5))
    if grid:
        cells = {}
        for r in runs:
            cells.setdefault((r["params"][x], r["params"][y]), []).append(r["metrics"][metric])
        table = [[tsplot.mean(cells.get((vx, vy), [])) for vx in xs] for vy in ys]
        failed_cells = {(r["params"][x], r["params"][y]) for r in sweep.runs if not r["ok"]}
        cmap, norm = colour_scale(plt, [v for row in table for v in row])
        import numpy
        data = numpy.ma.masked_invalid(numpy.array(table, dtype=float))
        cmap = cmap.copy()
        cmap.set_bad("0.85")
        image = ax.pcolormesh(numpy.arange(len(xs) + 1) - 0.5, numpy.arange(len(ys) + 1) - 0.5,
                              data, cmap=cmap, norm=norm, shading="flat")
        ax.set_xticks(range(len(xs)))
        ax.set_xticklabels([tick_label(v) for v in xs], rotation=45 if len(xs) > 6 else 0,
                           ha="right" if len(xs) > 6 else "center", fontsize=8)
        ax.set_yticks(range(len(ys)))
        ax.set_yticklabels([tick_label(v) for v in ys], fontsize=8)
        if len(xs) * len(ys) <= 100:
            for j, row in enumerate(table):
                for i, value in enumerate(row):
                    text = "%.4g" % value
                    if math.isnan(value):
                        text = "failed" if (xs[i], ys[j]) in failed_cells else "no value"
                    rgba = cmap(norm(value)) if not math.isnan(value) else (0.85, 0.85, 0.85, 1)
                    dark = 0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2] < 0.5
                    ax.text(i, j, text, ha="center", va="center", fontsize=8,
                            color="white" if dark else "black")
        kind = "mean of the runs in each cell"
    else:
        if not (x_numeric and y_numeric):
            plt.close(fig)
            raise InputError("%s: %s and %s take too many distinct values for a grid, and are "
                             "not both numeric" % (sweep.path, x, y))
        points = {}
        for r in runs:
            points.setdefault(r["point"], (float(r["params"][x]), float(r["params"][y]), []))[2].append(
                r["metrics"][metric])
        px = [p[0] for p in points.values()]
        py = [p[1] for p in points.values()]
        pv = [tsplot.mean(p[2]) for p in points.values()]
        cmap, norm = colour_scale(plt, pv)
        image = ax.scatter(px, py, c=pv, cmap=cmap, norm=norm, s=60, edgecolors="0.2",
                           linewidths=0.5, zorder=3)
        failed = {r["point"] for r in sweep.runs if not r["ok"]} - set(points)
        if failed:
            fx = [float(r["params"][x]) for r in sweep.runs if r["point"] in failed]
            fy = [float(r["params"][y]) for r in sweep.runs if r["point"] in failed]
            ax.scatter(fx, fy, marker="x", color="black", s=40, zorder=4, label="failed")
            ax.legend(loc="upper left", bbox_to_anchor=(1.25, 1.0), fontsize=8, frameon=False)
        ax.grid(True, linewidth=0.4, alpha=0.5)
        kind = "each point at its parameter values, coloured by its mean over replications"
    colourbar = fig.colorbar(image, ax=ax)
    colourbar.set_label(tsplot.with_unit(what, unit), fontsize=9)
    ax.set_xlabel(x, fontsize=9)
    ax.set_ylabel(y, fontsize=9)
    title = "%s (%s) by %s and %s\n%s; %s" % (tsplot.capitalised(what), unit or metric, x, y,
                                             kind, failed_note(sweep, metric))
    tsplot.suptitle_above(fig, title, [ax], [])
    path = os.path.join(out_dir, "sweep_%s_%s_%s.png" % (tsplot.slug(metric), tsplot.slug(x), tsplot.slug(y)))
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return path


def main(argv):
    args = arguments(argv)
    out_dir = tsplot.output_dir(args)
    if args.y and not args.x:
        tsplot.fail("--y needs --x", 2)
    try:
        tsplot.check_output(args.dir, "sweep", ("sweep.csv", "points.csv"))
        sweep = read_sweep(args.dir)
        for option, param in (("--x", args.x), ("--y", args.y)):
            if param and param not in sweep.params:
                raise InputError("%s: %s: no parameter %r (parameters: %s)"
                                 % (sweep.path, option, param, ", ".join(sweep.params)))
        if args.x and args.x == args.y:
            raise InputError("--x and --y name the same parameter %s" % args.x)
        metrics = tsplot.split_list(args.metric) or sweep.metrics
        unknown = [m for m in metrics if m not in sweep.metrics]
        if unknown:
            raise InputError("%s: no metric %s (metrics: %s)" % (sweep.path, ", ".join(unknown),
                                                                   ", ".join(sweep.metrics)))
        tsplot.ensure_dir(out_dir)
        plt = tsplot.import_pyplot()
        for metric in metrics:
            if args.x and args.y:
                print(plot_two(plt, out_dir, sweep, metric, args.x, args.y))
            elif args.x:
                print(plot_one(plt, out_dir, sweep, metric, [args.x], "sweep_%s_%s.png"
                               % (tsplot.slug(metric), tsplot.slug(args.x))))
            else:
                print(plot_one(plt, out_dir, sweep, metric, sweep.params,
                               "sweep_%s.png" % tsplot.slug(metric)))
                if len(sweep.params) >= 2:
                    print(plot_two(plt, out_dir, sweep, metric, sweep.params[0], sweep.params[1]))
    except InputError as e:
        tsplot.fail(str(e), 2)
    return 0


if __name__ == "__main__":
    tsplot.run(main)
