#!/usr/bin/env python3
"""Plot the difference between two scenarios run with common random numbers.

Reads DIR/compare_<table>.csv (`tradesim compare A.cfg B.cfg --reps R -o DIR`;
columns step,date,<keys>,metric,n,mean_a,mean_b,diff_mean,diff_sd,diff_lo,
diff_hi) and DIR/events_a.csv and events_b.csv, each side's events
(replication 0's are marked: a measure starting or ending at the same step
on both sides once, one of a single side with "(A only)" or "(B only)" in
the table of measures, A and B as --names gives them), and writes one PNG
per metric,
compare_<table>_<metric>.png: one panel per entity with the mean difference
B - A over the paired replications (line), its 95% confidence interval
(band) and a zero line. A band that leaves the zero line is a difference
the replications resolve.

Default metrics: firms.revenue_bn_usd, countries.national_welfare_bn_usd,
firms.tech_level. With more than 24 entities, the 24 with the largest
differences are drawn; choose others with --entity.

Exit status: 0 plots written (their paths printed); 2 bad usage, missing or
malformed input; 3 no matplotlib anywhere.
"""

import math
import os

import tsplot

DEFAULT_METRICS = (("firms", "revenue_bn_usd"),
                   ("countries", "national_welfare_bn_usd"),
                   ("firms", "tech_level"))
VALUES = ("mean_a", "mean_b", "diff_mean", "diff_sd", "diff_lo", "diff_hi")
MAX_PANELS = 24


def arguments(argv):
    parser = tsplot.new_parser(
        "plot_compare.py",
        "Plot B - A differences with their confidence bands, from the "
        "compare_*.csv files of `tradesim compare A.cfg B.cfg --reps R -o DIR`.",
        "plot_compare.py out/cmp --metric firms.revenue_bn_usd --entity Huawei,ZTE",
        __doc__, "output directory of `tradesim compare`")
    tsplot.add_entity_selection(parser)
    parser.add_argument("--names", metavar="A,B",
                        help="names of the two scenarios for the titles (default: A,B)")
    return parser.parse_args(argv[1:])


def plot_metric(plt, out_dir, table, metric, context, filters, by_step, names):
    data = table.data[metric]

    def size(entity):
        values = [abs(v) for v in data[entity]["diff_mean"].values() if not math.isnan(v)]
        return max(values) if values else 0.0
    entities, hidden = tsplot.select_entities(table, filters, context, size, MAX_PANELS)
    entities = [e for e in entities if e in data]
    if not entities:
        return None
    what, unit = tsplot.describe(metric)
    noun = tsplot.table_info(table.table)["noun"]
    fig, panels, texts, top = tsplot.small_multiples(plt, len(entities), by_step, table.dates)
    for ax, entity in zip(panels, entities):
        steps, diff = table.series(metric, entity, "diff_mean")
        _, low = table.series(metric, entity, "diff_lo")
        _, high = table.series(metric, entity, "diff_hi")
        ax.axhline(0.0, color="black", linewidth=0.8, zorder=2)
        ax.fill_between(steps, low, high, color="tab:purple", alpha=0.25, linewidth=0, zorder=2)
        ax.plot(steps, diff, color="tab:purple", linewidth=1.5, zorder=3)
        label = table.label(entity)
        if context.get(entity):
            label += " (%s)" % context[entity]
        _, mean_a = table.series(metric, entity, "mean_a")
        level = tsplot.mean(mean_a)
        if level and not math.isnan(level):
            label += "  [%s avg %.3g]" % (names[0], level)
        tsplot.panel_title(ax, label)
        tsplot.floor_span(ax, level)
        if ax.get_subplotspec().is_first_col():
            ax.set_ylabel(unit or what, fontsize=8)
        ax.tick_params(axis="y", labelsize=7)
    n = table.n[metric]
    title = ("%s of each %s, %s - %s (%s): mean difference over %d paired replication%s (line) "
             "and its 95%% confidence interval (band)" % (
                 tsplot.capitalised(what), noun, names[1], names[0], unit or metric, n,
                 "" if n == 1 else "s"))
    note = "positive: higher under %s than under %s; same random numbers in both" % (names[1], names[0])
    if hidden:
        note += "\nthe %d largest differences of %d %s entities; %d more not shown (choose with --entity)" % (
            len(entities), len(entities) + hidden, noun, hidden)
    path = os.path.join(out_dir, "compare_%s_%s.png" % (tsplot.slug(table.table), tsplot.slug(metric)))
    tsplot.save(fig, path, title, top, texts, note, events=(by_step, table.dates))
    plt.close(fig)
    return path


def compare_events(directory, names):
    """{step: [(name, action)]} of both sides' events (replication 0's):
    what both sides share once, the rest tagged with its side's name."""
    sides = []
    for side in ("a", "b"):
        path = os.path.join(directory, "events_%s.csv" % side)
        if not os.path.exists(path):
            sides.append([])
            continue
        _, rows = tsplot.read_table_with_header(path, ("rep", "step", "id", "action"))
        sides.append(tsplot.read_events(path, rows, "rep"))

    def key(e):
        return (e["step"], e["id"], e["action"], e["cause"])
    shared = set(map(key, sides[0])) & set(map(key, sides[1]))
    merged = [e for e in sides[0] if key(e) in shared]
    for k in (0, 1):
        merged += [dict(e, id="%s (%s only)" % (e["id"], names[k])) for e in sides[k] if key(e) not in shared]
    return tsplot.group_events(merged)


def main(argv):
    args = arguments(argv)
    names = ["A", "B"]
    if args.names:
        names = [n.strip() for n in args.names.split(",")]
        if len(names) != 2 or not all(names):
            tsplot.fail("--names: expected two names A,B, got %r" % args.names, 2)

    def plot(plt, out_dir, table, metric, context, filters, by_step):
        return plot_metric(plt, out_dir, table, metric, context, filters, by_step, names)
    return tsplot.plot_long_tables("plot_compare.py", args, "compare", VALUES, DEFAULT_METRICS,
                                   "tradesim compare", plot,
                                   lambda directory: compare_events(directory, names))


if __name__ == "__main__":
    tsplot.run(main)
