#!/usr/bin/env python3
"""Plot one tradesim run.

usage: plot_run.py DIR

Reads DIR/firms.csv, DIR/countries.csv and DIR/events.csv (as written by
`tradesim run SCENARIO -o DIR`) and writes into DIR:

  firms_revenue.png      revenue of every firm over time
  countries_welfare.png  consumer and national welfare of every country over
                         time, one panel each
  tech_levels.png        technology level of every firm, one panel per sector

Every plot marks the start (solid red) and end (dashed grey) of each measure
with a vertical line labelled with the measure's id.

Needs only the standard library and matplotlib. If the running interpreter
has no matplotlib, the script re-runs itself with /usr/bin/python3 when that
one has it (Debian's python3-matplotlib).

Exit status: 0 plots written; 2 bad usage, missing or malformed input;
3 no matplotlib anywhere.
"""

import math
import os

from tsplot import (InputError, fail, finish, group_events, import_pyplot,
                    mark_events, read_events, read_table, run, style_axes,
                    to_float, to_int)

FIRMS_COLUMNS = ("step", "date", "firm", "country", "sector", "revenue_bn_usd", "tech_level")
COUNTRIES_COLUMNS = ("step", "date", "country", "consumer_welfare_bn_usd", "national_welfare_bn_usd")
EVENTS_COLUMNS = ("step", "date", "id", "actor", "target", "measure", "action")

MAX_LABELLED_SERIES = 20  # more series than this: the rest are drawn thin and grey


# --------------------------------------------------------------------------
# Reading

def read_series(path, rows, key_column, value_column, extra_column=None):
    """{key: {step: value}}, the keys in order of appearance, {step: date},
    and {key: extra} (e.g. each firm's sector)."""
    series, order, dates, extra = {}, [], {}, {}
    for n, row in enumerate(rows, start=2):  # line 1 is the header
        step = to_int(path, n, "step", row["step"])
        key = row[key_column]
        if key not in series:
            series[key] = {}
            order.append(key)
            if extra_column:
                extra[key] = row[extra_column]
        series[key][step] = to_float(path, n, value_column, row[value_column])
        dates.setdefault(step, row["date"])
    return series, order, dates, extra


# --------------------------------------------------------------------------
# Axes

def plot_series(ax, series, order, labels, colours):
    """One line per key; beyond MAX_LABELLED_SERIES only the largest (by mean
    absolute value) get a colour and a legend entry."""
    def size(key):
        values = [abs(v) for v in series[key].values() if not math.isnan(v)]
        return sum(values) / len(values) if values else 0.0
    labelled = set(sorted(order, key=size, reverse=True)[:MAX_LABELLED_SERIES])
    styles = ["-", "--", ":", "-."]
    n = 0
    for key in order:
        steps = sorted(series[key])
        values = [series[key][s] for s in steps]
        if key in labelled:
            # tab20 holds 10 dark/light pairs: all darks first, then the lights
            colour = colours(2 * (n % 10) + (n // 10) % 2)
            ax.plot(steps, values, label=labels.get(key, key), color=colour,
                    linestyle=styles[(n // 20) % len(styles)], linewidth=1.4, zorder=3)
            n += 1
        else:
            ax.plot(steps, values, color="0.75", linewidth=0.6, zorder=2)
    return len(order) - len(labelled)


# --------------------------------------------------------------------------
# Plots

def plot_firms_revenue(plt, out_dir, firms, by_step):
    series, order, dates, _ = firms["revenue"]
    labels = {f: "%s (%s)" % (f, firms["country"][f]) for f in order}
    fig, ax = plt.subplots(figsize=(11, 5.5))
    hidden = plot_series(ax, series, order, labels, plt.get_cmap("tab20"))
    texts = mark_events(ax, by_step, True)
    style_axes(ax, dates, "revenue, bn USD per step")
    path = os.path.join(out_dir, "firms_revenue.png")
    finish(fig, path, "Firm revenue", [ax], hidden, texts)
    plt.close(fig)
    return path


def plot_countries_welfare(plt, out_dir, countries, by_step):
    """Consumer welfare above, national welfare (docs/model.md §7: consumer
    welfare + producer profit + tariff revenue + fines - subsidy spending)
    below, on one time axis."""
    fig, axes = plt.subplots(2, 1, figsize=(11, 8), sharex=True)
    hidden, texts = 0, []
    panels = (("consumer", "consumer welfare, bn USD per step"),
              ("national", "national welfare, bn USD per step"))
    for n, (key, label) in enumerate(panels):
        series, order, dates, _ = countries[key]
        hidden = max(hidden, plot_series(axes[n], series, order, {}, plt.get_cmap("tab20")))
        texts += mark_events(axes[n], by_step, n == 0)  # labels on the top panel only
        style_axes(axes[n], dates, label)
        axes[n].tick_params(labelbottom=True)
    path = os.path.join(out_dir, "countries_welfare.png")
    finish(fig, path, "Consumer and national welfare by country", list(axes), hidden, texts)
    plt.close(fig)
    return path


def plot_tech_levels(plt, out_dir, firms, by_step):
    series, order, dates, sector_of = firms["tech"]
    sectors = []
    for f in order:
        if sector_of[f] not in sectors:
            sectors.append(sector_of[f])
    # One full-width panel per sector keeps the event labels legible; two
    # columns only for worlds with many sectors.
    ncols = 1 if len(sectors) <= 6 else 2
    nrows = max(1, math.ceil(len(sectors) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(11 if ncols == 1 else 7.5 * ncols, 3.0 * nrows),
                             sharex=True, squeeze=False)
    hidden = 0
    used, texts = [], []
    for n, sector in enumerate(sectors):
        ax = axes[n // ncols][n % ncols]
        members = [f for f in order if sector_of[f] == sector]
        labels = {f: "%s (%s)" % (f, firms["country"][f]) for f in members}
        hidden += plot_series(ax, series, members, labels, plt.get_cmap("tab20"))
        texts += mark_events(ax, by_step, n < ncols)  # labels on the top row only
        style_axes(ax, dates, "log-tech")
        ax.text(0.01, 0.97, sector, transform=ax.transAxes, ha="left", va="top",
                fontsize=9, fontweight="bold",
                bbox=dict(boxstyle="square,pad=0.2", fc="white", ec="none", alpha=0.8))
        ax.tick_params(labelbottom=True)
        used.append(ax)
    for n in range(len(sectors), nrows * ncols):
        axes[n // ncols][n % ncols].set_visible(False)
    fig.subplots_adjust(wspace=0.55, hspace=0.35)
    path = os.path.join(out_dir, "tech_levels.png")
    finish(fig, path, "Technology level by firm", used, hidden, texts)
    plt.close(fig)
    return path


# --------------------------------------------------------------------------

def load(out_dir):
    firms_path = os.path.join(out_dir, "firms.csv")
    countries_path = os.path.join(out_dir, "countries.csv")
    events_path = os.path.join(out_dir, "events.csv")
    firm_rows = read_table(firms_path, FIRMS_COLUMNS)
    country_rows = read_table(countries_path, COUNTRIES_COLUMNS)
    event_rows = read_table(events_path, EVENTS_COLUMNS)
    if not firm_rows:
        raise InputError("%s has no rows" % firms_path)
    if not country_rows:
        raise InputError("%s has no rows" % countries_path)
    revenue = read_series(firms_path, firm_rows, "firm", "revenue_bn_usd", "sector")
    tech = read_series(firms_path, firm_rows, "firm", "tech_level", "sector")
    country = {}
    for row in firm_rows:
        country.setdefault(row["firm"], row["country"])
    firms = {"revenue": revenue, "tech": tech, "country": country}
    countries = {
        "consumer": read_series(countries_path, country_rows, "country", "consumer_welfare_bn_usd"),
        "national": read_series(countries_path, country_rows, "country", "national_welfare_bn_usd"),
    }
    events = read_events(events_path, event_rows)
    return firms, countries, events


def main(argv):
    if len(argv) == 2 and argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if len(argv) != 2:
        fail("usage: plot_run.py DIR (see --help)", 2)
    out_dir = argv[1]
    if not os.path.isdir(out_dir):
        fail("no such directory: %s" % out_dir, 2)
    try:
        for name in ("firms.csv", "countries.csv", "events.csv"):
            if not os.path.isfile(os.path.join(out_dir, name)):
                raise InputError("missing file %s (is %s the output of `tradesim run`?)"
                                 % (os.path.join(out_dir, name), out_dir))
        plt = import_pyplot()
        firms, countries, events = load(out_dir)
    except InputError as e:
        fail(str(e), 2)
    by_step = group_events(events)
    written = [
        plot_firms_revenue(plt, out_dir, firms, by_step),
        plot_countries_welfare(plt, out_dir, countries, by_step),
        plot_tech_levels(plt, out_dir, firms, by_step),
    ]
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    run(main)  # a closed pipe (`plot_run.py --help | head`) is no error
