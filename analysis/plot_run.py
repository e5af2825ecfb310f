#!/usr/bin/env python3
"""Plot one tradesim run.

usage: plot_run.py DIR

Reads DIR/firms.csv, DIR/countries.csv and DIR/events.csv (as written by
`tradesim run SCENARIO -o DIR`) and writes into DIR:

  firms_revenue.png      revenue of every firm over time
  countries_welfare.png  consumer welfare of every country over time
  tech_levels.png        technology level of every firm, one panel per sector

Every plot marks the start (solid red) and end (dashed grey) of each measure
with a vertical line labelled with the measure's id.

Needs only the standard library and matplotlib. If the running interpreter
has no matplotlib, the script re-runs itself with /usr/bin/python3 when that
one has it (Debian's python3-matplotlib).

Exit status: 0 plots written; 2 bad usage, missing or malformed input;
3 no matplotlib anywhere.
"""

import csv
import math
import os
import re
import subprocess
import sys

SYSTEM_PYTHON = "/usr/bin/python3"
REEXEC_GUARD = "TRADESIM_PLOT_REEXEC"  # set in the re-executed child: no loops

FIRMS_COLUMNS = ("step", "date", "firm", "country", "sector", "revenue_bn_usd", "tech_level")
COUNTRIES_COLUMNS = ("step", "date", "country", "consumer_welfare_bn_usd")
EVENTS_COLUMNS = ("step", "date", "id", "actor", "target", "measure", "action")

MAX_LABELLED_SERIES = 20  # more series than this: the rest are drawn thin and grey
MAX_IDS_PER_LABEL = 3     # more events on one step than this: "+N more"


class InputError(Exception):
    """A missing or malformed input; reported with exit status 2."""


def fail(message, status):
    print("plot_run.py: " + message, file=sys.stderr)
    sys.exit(status)


def same_file(a, b):
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def has_matplotlib(python):
    try:
        result = subprocess.run([python, "-c", "import matplotlib"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                timeout=120, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0


def import_pyplot():
    """Return matplotlib.pyplot on the Agg backend, re-executing this script
    with the system interpreter if this one lacks matplotlib."""
    try:
        import matplotlib
    except ImportError:
        here = sys.executable or "python"
        tried = here
        if (os.environ.get(REEXEC_GUARD) != "1"
                and not same_file(here, SYSTEM_PYTHON)
                and os.access(SYSTEM_PYTHON, os.X_OK)):
            if has_matplotlib(SYSTEM_PYTHON):
                os.environ[REEXEC_GUARD] = "1"
                sys.stdout.flush()
                sys.stderr.flush()
                script = os.path.abspath(__file__)
                os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, script] + sys.argv[1:])
            tried += " nor to " + SYSTEM_PYTHON
        fail("matplotlib is not available to %s; install python3-matplotlib: "
             "apt-get install python3-matplotlib" % tried, 3)
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


# --------------------------------------------------------------------------
# Reading

def read_table(path, required):
    """Rows of a CSV file as dicts; checks the header has the required columns."""
    if not os.path.isfile(path):
        raise InputError("missing file %s" % path)
    try:
        with open(path, newline="", encoding="utf-8") as stream:
            reader = csv.DictReader(stream)
            header = reader.fieldnames or []
            missing = [c for c in required if c not in header]
            if missing:
                raise InputError("%s: missing column(s) %s (header: %s)"
                                 % (path, ", ".join(missing), ",".join(header) or "empty"))
            return list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise InputError("%s: cannot read: %s" % (path, e))


def to_int(path, row_number, column, text):
    try:
        return int(text)
    except (TypeError, ValueError):
        raise InputError("%s:%d: %s: expected an integer, got %r" % (path, row_number, column, text))


def to_float(path, row_number, column, text):
    """A number, or NaN for an empty cell (tech_gap of a country with no firms)."""
    if text is None or text.strip() == "":
        return math.nan
    try:
        return float(text)
    except ValueError:
        raise InputError("%s:%d: %s: expected a number, got %r" % (path, row_number, column, text))


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


def read_events(path, rows):
    events = []
    for n, row in enumerate(rows, start=2):
        events.append({"step": to_int(path, n, "step", row["step"]),
                       "id": row["id"], "action": row["action"].strip().lower()})
    return events


# --------------------------------------------------------------------------
# Axes

def date_ticks(dates):
    """Tick positions (steps) and labels: year starts where the calendar is
    quarters or months, thinned to at most ~12 ticks."""
    steps = sorted(dates)
    if not steps:
        return [], []
    year_starts = [s for s in steps
                   if re.fullmatch(r"\d{4}(Q1|-01)", dates[s])]
    chosen = year_starts if len(year_starts) >= 2 else steps
    stride = max(1, math.ceil(len(chosen) / 12))
    chosen = chosen[::stride]
    return chosen, [dates[s] for s in chosen]


def group_events(events):
    """{step: [(id, action), ...]} with starts before ends."""
    by_step = {}
    for e in events:
        by_step.setdefault(e["step"], []).append((e["id"], e["action"]))
    for step in by_step:
        by_step[step].sort(key=lambda item: (item[1] != "start", item[0]))
    return by_step


def event_label(items):
    names = [("" if action == "start" else "end ") + ident for ident, action in items]
    if len(names) > MAX_IDS_PER_LABEL:
        names = names[:MAX_IDS_PER_LABEL - 1] + ["+%d more" % (len(names) - MAX_IDS_PER_LABEL + 1)]
    return "\n".join(names)


def mark_events(ax, by_step, with_labels):
    """A vertical line per step with events (red: something starts; dashed
    grey: only ends), labelled above the axes. Returns the label artists."""
    import matplotlib.transforms as transforms
    trans = transforms.blended_transform_factory(ax.transData, ax.transAxes)
    texts = []
    for step in sorted(by_step):
        items = by_step[step]
        starts = any(action == "start" for _, action in items)
        ax.axvline(step, color="tab:red" if starts else "0.45",
                   linestyle="-" if starts else "--", linewidth=0.8, alpha=0.6, zorder=1)
        if with_labels:
            texts.append(ax.text(step, 1.01, event_label(items), transform=trans,
                                 rotation=90, ha="center", va="bottom", fontsize=6,
                                 color="tab:red" if starts else "0.3", linespacing=1.1))
    return texts


def style_axes(ax, dates, ylabel):
    ticks, labels = date_ticks(dates)
    ax.set_xticks(ticks)
    ax.set_xticklabels(labels, rotation=45, ha="right", fontsize=8)
    if dates:
        ax.set_xlim(min(dates) - 0.5, max(dates) + 0.5)
    ax.set_ylabel(ylabel)
    ax.grid(True, axis="y", linewidth=0.4, alpha=0.5)


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


def finish(fig, path, title, axes_with_legend, hidden, labels):
    """Legends right of the axes, the title above the event labels, save."""
    for ax in axes_with_legend:
        handles, _ = ax.get_legend_handles_labels()
        if handles:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7,
                      frameon=False, borderaxespad=0.0)
    if hidden:
        title += "  (%d more in grey)" % hidden
    top = max(ax.get_position().y1 for ax in axes_with_legend) if axes_with_legend else 0.9
    if labels:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        height = fig.bbox.height
        top = max([top] + [t.get_window_extent(renderer).y1 / height for t in labels])
    fig.suptitle(title, fontsize=11, y=top + 0.01, va="bottom")
    fig.savefig(path, dpi=130, bbox_inches="tight")


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
    series, order, dates, _ = countries
    fig, ax = plt.subplots(figsize=(11, 5.5))
    hidden = plot_series(ax, series, order, {}, plt.get_cmap("tab20"))
    texts = mark_events(ax, by_step, True)
    style_axes(ax, dates, "consumer welfare, bn USD per step")
    path = os.path.join(out_dir, "countries_welfare.png")
    finish(fig, path, "Consumer welfare by country", [ax], hidden, texts)
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
    countries = read_series(countries_path, country_rows, "country", "consumer_welfare_bn_usd")
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
    try:
        sys.exit(main(sys.argv))
    except BrokenPipeError:  # e.g. `plot_run.py --help | head`
        sys.exit(0)
