#!/usr/bin/env python3
"""Plot the replications of a tradesim run: mean and 5-95% range per entity.

Reads DIR/summary_<table>.csv (`tradesim run SCENARIO --reps R -o DIR`;
columns step,date,<keys>,metric,n,mean,sd,q05,q50,q95) and, when present,
DIR/events.csv (replication 0's measures are marked on every plot), and
writes one PNG per metric, ensemble_<table>_<metric>.png: one panel per
entity with the mean over the replications (line) and the band between the
5% and 95% quantiles, steps labelled with their dates.

Default metrics: firms.revenue_bn_usd, countries.national_welfare_bn_usd,
firms.tech_level. With more than 24 entities, the 24 largest (mean absolute
value) are drawn; choose others with --entity.

Exit status: 0 plots written (their paths printed); 2 bad usage, missing or
malformed input; 3 no matplotlib anywhere.
"""

import os

import tsplot

DEFAULT_METRICS = (("firms", "revenue_bn_usd"),
                   ("countries", "national_welfare_bn_usd"),
                   ("firms", "tech_level"))
VALUES = ("mean", "q05", "q95")
MAX_PANELS = 24


def arguments(argv):
    parser = tsplot.new_parser(
        "plot_ensemble.py",
        "Plot mean and 5-95%% range over replications per entity, from the "
        "summary_*.csv files of `tradesim run SCENARIO --reps R -o DIR`.",
        "plot_ensemble.py out/reps --metric countries.national_welfare_bn_usd --entity US,CN",
        __doc__, "output directory of `tradesim run --reps`")
    tsplot.add_entity_selection(parser)
    return parser.parse_args(argv[1:])


def plot_metric(plt, out_dir, table, metric, context, filters, by_step):
    data = table.data[metric]

    def size(entity):
        return abs(tsplot.mean(data[entity]["mean"].values())) if entity in data else 0.0
    entities, hidden = tsplot.select_entities(table, filters, context, size, MAX_PANELS)
    entities = [e for e in entities if e in data]
    if not entities:
        return None
    what, unit = tsplot.describe(metric)
    noun = tsplot.table_info(table.table)["noun"]
    fig, panels, texts, top = tsplot.small_multiples(plt, len(entities), by_step, table.dates)
    for i, (ax, entity) in enumerate(zip(panels, entities)):
        steps, mean = table.series(metric, entity, "mean")
        _, low = table.series(metric, entity, "q05")
        _, high = table.series(metric, entity, "q95")
        ax.fill_between(steps, low, high, color="tab:blue", alpha=0.25, linewidth=0, zorder=2)
        ax.plot(steps, mean, color="tab:blue", linewidth=1.5, zorder=3)
        label = table.label(entity)
        if context.get(entity):
            label += " (%s)" % context[entity]
        tsplot.panel_title(ax, label)
        if ax.get_subplotspec().is_first_col():
            ax.set_ylabel(unit or what, fontsize=8)
        ax.tick_params(axis="y", labelsize=7)
    n = table.n[metric]
    title = "%s of each %s (%s): mean (line) and 5-95%% range (band) of %d replication%s" % (
        tsplot.capitalised(what), noun, unit or metric, n, "" if n == 1 else "s")
    note = None
    if hidden:
        note = "the %d largest of %d %s entities; %d more not shown (choose with --entity)" % (
            len(entities), len(entities) + hidden, noun, hidden)
    path = os.path.join(out_dir, "ensemble_%s_%s.png" % (tsplot.slug(table.table), tsplot.slug(metric)))
    tsplot.save(fig, path, title, top, texts, note, events=(by_step, table.dates))
    plt.close(fig)
    return path


def main(argv):
    return tsplot.plot_long_tables("plot_ensemble.py", arguments(argv), "summary", VALUES,
                                   DEFAULT_METRICS, "tradesim run --reps", plot_metric)


if __name__ == "__main__":
    tsplot.run(main)
