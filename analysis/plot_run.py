#!/usr/bin/env python3
"""Plot one tradesim run.

usage: plot_run.py DIR

Reads DIR/firms.csv, DIR/countries.csv and DIR/events.csv (as written by
`tradesim run SCENARIO -o DIR`) and writes into DIR:

  firms_revenue.png      revenue of each firm over time, one panel per sector
  countries_welfare.png  national welfare of each country with its parts
                         (consumer welfare, producer profit, government:
                         tariff revenue + fines - subsidy spending), one
                         panel per country
  tech_levels.png        technology level of each firm, one panel per
                         sector; firms of a sector with process nodes are
                         labelled with their node at the end

Every plot marks the steps where measures start (solid red) or only end
(dashed grey) with a numbered marker; the table under the plot lists each
number's date and measures.

Needs only the standard library and matplotlib. If the running interpreter
has no matplotlib, the script re-runs itself with /usr/bin/python3 when that
one has it (Debian's python3-matplotlib).

Exit status: 0 plots written; 2 bad usage, missing or malformed input;
3 no matplotlib anywhere.
"""

import math
import os

from tsplot import (InputError, check_output, fail, finish, group_events, import_pyplot,
                    mark_events, read_events, read_table, run,
                    style_axes, to_float, to_int)

FIRMS_COLUMNS = ("step", "date", "firm", "country", "sector", "revenue_bn_usd", "tech_level", "node")
WELFARE_PARTS = ("consumer_welfare_bn_usd", "producer_profit_bn_usd", "tariff_revenue_bn_usd",
                 "fines_bn_usd", "subsidy_spending_bn_usd", "national_welfare_bn_usd")
COUNTRIES_COLUMNS = ("step", "date", "country") + WELFARE_PARTS
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

def sectors_in_order(order, sector_of):
    sectors = []
    for key in order:
        if sector_of[key] not in sectors:
            sectors.append(sector_of[key])
    return sectors


def widen_right(axes, share=0.16):
    """Room right of the last step for labels, the same on every axes (the
    panels share x; the measures strip must stay aligned with them)."""
    low, high = axes[0].get_xlim()
    for ax in axes:
        ax.set_xlim(low, high + share * (high - low))


def label_ends(ax, names, min_gap=7.0):
    """Each line of ax named at its right end, in its colour (names: line
    label -> text, for the lines plot_series labelled), pushed apart to at
    least min_gap points (widen_right makes room for them)."""
    fig = ax.figure
    ends = []
    for line in ax.get_lines():
        key = line.get_label()
        text = next((t for k, t in names.items() if key == k or key.startswith(k + " (")), None)
        if text is None or len(line.get_xdata()) == 0:
            continue
        ends.append([line.get_xdata()[-1], line.get_ydata()[-1], text, line.get_color()])
    if not ends:
        return
    fig.canvas.draw()
    to_points = 72.0 / fig.dpi
    placed = []  # (y in points, entry), bottom up
    for entry in sorted(ends, key=lambda e: e[1]):
        y = ax.transData.transform((entry[0], entry[1]))[1] * to_points
        if placed and y < placed[-1][0] + min_gap:
            y = placed[-1][0] + min_gap
        placed.append((y, entry))
    for y, (x, value, text, colour) in placed:
        y_data = ax.transData.inverted().transform((0, y / to_points))[1]
        ax.annotate(text, (x, value), xytext=(x, y_data), textcoords="data", fontsize=6.5, color=colour,
                    va="center", ha="left", annotation_clip=False,
                    arrowprops=dict(arrowstyle="-", color=colour, linewidth=0.4, shrinkA=0, shrinkB=0)
                    if abs(y_data - value) > 1e-12 else None)


def panel_grid(plt, count, by_step, dates, ylabel, height=2.8):
    """`count` panels sharing the date axis, two columns beyond three,
    measures marked in each and numbered above the top row. Returns
    (figure, panels, number artists)."""
    ncols = 1 if count <= 3 else 2
    nrows = max(1, math.ceil(count / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(11, height * nrows + 0.6), sharex=True, squeeze=False)
    panels, texts = [], []
    for n in range(nrows * ncols):
        ax = axes[n // ncols][n % ncols]
        if n >= count:
            ax.set_visible(False)
            continue
        texts += mark_events(ax, by_step, n < ncols, alpha=0.35, linewidth=0.6)
        style_axes(ax, dates, ylabel if n % ncols == 0 else None)
        ax.tick_params(labelbottom=n + ncols >= count)
        panels.append(ax)
    fig.subplots_adjust(wspace=0.25, hspace=0.35)
    return fig, panels, texts


def grid_title(panels, n, text):
    """Panel n's title, above the measures' numbers on the top row."""
    top_row = 1 if len(panels) <= 3 else 2
    panels[n].set_title(text, fontsize=9, loc="left", pad=30 if n < top_row else 4)


def sector_panels(plt, panels, firms, data, room, name):
    """Each sector's firms in its panel, each line named at its end by
    name(firm, last step); returns how many lines went grey."""
    series, order, _, sector_of = data
    widen_right(panels, share=room)
    hidden = 0
    for n, (ax, sector) in enumerate(zip(panels, sectors_in_order(order, sector_of))):
        members = [f for f in order if sector_of[f] == sector]
        labels = {f: "%s (%s)" % (f, firms["country"][f]) for f in members}
        hidden += plot_series(ax, series, members, labels, plt.get_cmap("tab20"))
        grid_title(panels, n, sector)
        label_ends(ax, {f: name(f, max(series[f])) for f in members})
    return hidden


def plot_firms_revenue(plt, out_dir, firms, by_step):
    """One panel per sector: its firms' revenue on a scale of their own,
    each line named at its end."""
    series, order, dates, sector_of = firms["revenue"]
    sectors = sectors_in_order(order, sector_of)
    fig, panels, texts = panel_grid(plt, len(sectors), by_step, dates, "bn USD per step")
    hidden = sector_panels(plt, panels, firms, firms["revenue"], 0.16, lambda f, last: f)
    for ax in panels:
        ax.set_ylim(bottom=0)
    path = os.path.join(out_dir, "firms_revenue.png")
    finish(fig, path, "Firm revenue by sector, bn USD per step", panels, hidden,
           texts + [ax.title for ax in panels], legend=False, events=(by_step, dates))
    plt.close(fig)
    return path


def plot_countries_welfare(plt, out_dir, countries, by_step):
    """One panel per country: national welfare (docs/model.md §7) and its
    parts, consumer welfare, producer profit and the government's net
    (tariff revenue + fines - subsidy spending)."""
    parts, order, dates = countries["parts"], countries["order"], countries["dates"]
    fig, panels, texts = panel_grid(plt, len(order), by_step, dates, "bn USD per step", height=2.4)
    lines = (("national welfare", "national_welfare_bn_usd", "black", 1.8),
             ("consumer welfare", "consumer_welfare_bn_usd", "tab:blue", 1.1),
             ("producer profit", "producer_profit_bn_usd", "tab:orange", 1.1),
             ("government: tariffs + fines - subsidies", "government", "tab:green", 1.1))
    for n, (ax, country) in enumerate(zip(panels, order)):
        steps = sorted(parts[country]["national_welfare_bn_usd"])
        for label, column, colour, width in lines:
            values = parts[country][column]
            ax.plot(steps, [values[t] for t in steps], color=colour, linewidth=width, label=label, zorder=3)
        ax.axhline(0, color="0.6", linewidth=0.5, zorder=1)
        grid_title(panels, n, country)
    handles, labels = panels[0].get_legend_handles_labels()
    fig.canvas.draw()  # the legend goes above the top row's titles and numbers
    renderer = fig.canvas.get_renderer()
    top = max(a.get_window_extent(renderer).y1 for a in texts + [ax.title for ax in panels])
    texts.append(fig.legend(handles, labels, loc="lower center", ncol=4, fontsize=7, frameon=False,
                            bbox_to_anchor=(0.5, top / fig.bbox.height + 0.005)))
    path = os.path.join(out_dir, "countries_welfare.png")
    finish(fig, path, "National welfare and its parts by country, bn USD per step", panels, 0,
           texts + [ax.title for ax in panels], legend=False, events=(by_step, dates))
    plt.close(fig)
    return path


def plot_tech_levels(plt, out_dir, firms, by_step):
    """One panel per sector: its firms' log-tech, each line named at its end
    with its process node there where the sector has nodes ("TSMC 5nm")."""
    series, order, dates, sector_of = firms["tech"]
    sectors = sectors_in_order(order, sector_of)
    fig, panels, texts = panel_grid(plt, len(sectors), by_step, dates, "log-tech")

    def name(f, last):
        node = firms["node"].get(f, {}).get(last, "")
        return f + " " + node if node else f
    hidden = sector_panels(plt, panels, firms, firms["tech"], 0.2, name)
    path = os.path.join(out_dir, "tech_levels.png")
    finish(fig, path, "Technology level by firm, log-tech (process node at the end where the sector has nodes)",
           panels, hidden, texts + [ax.title for ax in panels], legend=False, events=(by_step, dates))
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
    node = {}
    for row in firm_rows:
        node.setdefault(row["firm"], {})[int(row["step"])] = row["node"]
    firms = {"revenue": revenue, "tech": tech, "country": country, "node": node}
    parts, order = {}, []
    for column in WELFARE_PARTS:
        series, order, dates, _ = read_series(countries_path, country_rows, "country", column)
        for c in order:
            parts.setdefault(c, {})[column] = series[c]
    for c in order:
        p = parts[c]
        p["government"] = {t: p["tariff_revenue_bn_usd"][t] + p["fines_bn_usd"][t] - p["subsidy_spending_bn_usd"][t]
                           for t in p["national_welfare_bn_usd"]}
    countries = {"parts": parts, "order": order, "dates": dates}
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
        check_output(out_dir, "run", ("firms.csv", "countries.csv", "events.csv"))
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
