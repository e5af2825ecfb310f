#!/usr/bin/env python3
"""Plot Sobol sensitivity indices of a tradesim sensitivity analysis.

Reads DIR/sensitivity.csv (`tradesim sensitivity FILE -o DIR`; columns
metric,parameter,first,first_lo,first_hi,total,total_lo,total_hi,n,
confidence) and writes DIR/sensitivity.png: one panel per metric, one row
per parameter (largest total index first) with its first-order index (the
share of the metric's variance the parameter explains alone) and its total
index (alone and in interaction with the others), each with its bootstrap
confidence interval. An index that is not defined (empty cell, e.g. a
metric that does not vary) is marked "n/a".

Exit status: 0 plot written (its path printed); 2 bad usage, missing or
malformed input; 3 no matplotlib anywhere.
"""

import math
import os

import tsplot
from tsplot import InputError

COLUMNS = ("metric", "parameter", "first", "first_lo", "first_hi",
           "total", "total_lo", "total_hi", "n", "confidence")
INDICES = (("first", "first-order index (alone)", "tab:blue"),
           ("total", "total index (with interactions)", "tab:orange"))


def arguments(argv):
    parser = tsplot.new_parser(
        "plot_sensitivity.py",
        "Plot first-order and total Sobol indices with their intervals, from the "
        "sensitivity.csv of `tradesim sensitivity FILE -o DIR`.",
        "plot_sensitivity.py out/sens", __doc__, "output directory of `tradesim sensitivity`",
        output_help="where the PNG file goes (default: DIR)")
    parser.add_argument("--metric", action="append", metavar="M",
                        help="only these metrics (default: all); repeatable or comma-separated")
    return parser.parse_args(argv[1:])


def read_indices(directory):
    """{metric: [row dict with floats]} in file order, and the metrics' order."""
    path = os.path.join(directory, "sensitivity.csv")
    if not os.path.isfile(path):
        raise InputError("missing file %s (is %s the output of `tradesim sensitivity`?)"
                         % (path, directory))
    rows = tsplot.read_table(path, COLUMNS)
    if not rows:
        raise InputError("%s has no rows" % path)
    by_metric, order = {}, []
    for number, row in enumerate(rows, start=2):
        if not row["metric"] or not row["parameter"]:
            raise InputError("%s:%d: empty metric or parameter" % (path, number))
        entry = {"parameter": row["parameter"], "n": tsplot.to_int(path, number, "n", row["n"])}
        for column in COLUMNS[2:8]:
            entry[column] = tsplot.to_float(path, number, column, row[column])
        confidence = tsplot.to_float(path, number, "confidence", row["confidence"])
        if not 0 < confidence < 1:
            raise InputError("%s:%d: confidence: expected a level in (0, 1), got %r"
                             % (path, number, row["confidence"]))
        entry["confidence"] = confidence
        if row["metric"] not in by_metric:
            by_metric[row["metric"]] = []
            order.append(row["metric"])
        if any(e["parameter"] == entry["parameter"] for e in by_metric[row["metric"]]):
            raise InputError("%s:%d: parameter %s appears twice for metric %s"
                             % (path, number, row["parameter"], row["metric"]))
        by_metric[row["metric"]].append(entry)
    return path, by_metric, order


def draw(ax, entries):
    def key(e):
        return -e["total"] if not math.isnan(e["total"]) else math.inf
    entries = sorted(entries, key=key)
    height = 0.36
    positions = list(range(len(entries)))
    for k, (column, label, colour) in enumerate(INDICES):
        offset = (-0.5 + k) * height  # first above total in each row
        for i, e in enumerate(entries):
            y = i + offset
            value = e[column]
            if math.isnan(value):
                ax.text(0.01, y, "n/a", va="center", fontsize=7, color=colour)
                continue
            ax.barh(y, value, height=height * 0.9, color=colour, alpha=0.8,
                    label=label if i == 0 else None, zorder=2)
            low, high = e[column + "_lo"], e[column + "_hi"]
            if not (math.isnan(low) or math.isnan(high)):
                ax.plot([low, high], [y, y], color="black", linewidth=1.1, zorder=3)
                ax.plot([low, low], [y - height * 0.25, y + height * 0.25], color="black",
                        linewidth=1.1, zorder=3)
                ax.plot([high, high], [y - height * 0.25, y + height * 0.25], color="black",
                        linewidth=1.1, zorder=3)
    ax.set_yticks(positions)
    ax.set_yticklabels([e["parameter"] for e in entries], fontsize=8)
    ax.invert_yaxis()  # largest at the top
    values = [e[c] for e in entries for c in ("first", "first_lo", "first_hi", "total",
                                              "total_lo", "total_hi") if not math.isnan(e[c])]
    ax.set_xlim(min([0.0] + values) - 0.02, max([1.0] + values) + 0.02)
    ax.axvline(0.0, color="black", linewidth=0.8, zorder=1)
    ax.grid(True, axis="x", linewidth=0.4, alpha=0.5)
    ax.set_xlabel("share of the metric's variance", fontsize=8)


def main(argv):
    args = arguments(argv)
    out_dir = tsplot.output_dir(args)
    try:
        tsplot.check_output(args.dir, "sweep", ("sensitivity.csv",))
        path, by_metric, order = read_indices(args.dir)
        chosen = tsplot.split_list(args.metric) or order
        unknown = [m for m in chosen if m not in by_metric]
        if unknown:
            raise InputError("%s: no metric %s (metrics: %s)" % (path, ", ".join(unknown), ", ".join(order)))
        tsplot.ensure_dir(out_dir)
        plt = tsplot.import_pyplot()
    except InputError as e:
        tsplot.fail(str(e), 2)
    ncols = 1 if len(chosen) <= 4 else 2
    nrows = math.ceil(len(chosen) / ncols)
    rows_per_panel = max(len(by_metric[m]) for m in chosen)
    fig, axes = plt.subplots(nrows, ncols, squeeze=False,
                             figsize=(6.5 * ncols + 2.5, nrows * (1.3 + 0.5 * rows_per_panel)))
    used = []
    for i, metric in enumerate(chosen):
        ax = axes[i // ncols][i % ncols]
        draw(ax, by_metric[metric])
        what, unit = tsplot.describe(metric)
        n = max(e["n"] for e in by_metric[metric])
        ax.set_title("%s (%s), n = %d" % (tsplot.capitalised(what), metric, n), fontsize=9, loc="left")
        used.append(ax)
    for i in range(len(chosen), nrows * ncols):
        axes[i // ncols][i % ncols].set_visible(False)
    used[ncols - 1].legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
    fig.subplots_adjust(hspace=0.5, wspace=0.45)
    levels = sorted({e["confidence"] for m in chosen for e in by_metric[m]})
    title = ("Sobol sensitivity indices per parameter, largest total index first\n"
             "bars: estimates; whiskers: %s bootstrap confidence intervals"
             % "/".join("%g%%" % (100 * c) for c in levels))
    tsplot.suptitle_above(fig, title, used[:ncols], [ax.title for ax in used[:ncols]],
                          gap=10.0 / (fig.get_figheight() * 72.0))
    out = os.path.join(out_dir, "sensitivity.png")
    fig.savefig(out, dpi=110, bbox_inches="tight")
    plt.close(fig)
    print(out)
    return 0


if __name__ == "__main__":
    tsplot.run(main)
