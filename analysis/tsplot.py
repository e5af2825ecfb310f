"""Common code of the tradesim plotting scripts (plot_run.py, plot_ensemble.py,
plot_sweep.py, plot_sensitivity.py, plot_compare.py).

Standard library only at import time; matplotlib is imported by
import_pyplot(), which re-executes the calling script with /usr/bin/python3
when the running interpreter lacks matplotlib.

Conventions shared by the scripts:
  - a missing or malformed input raises InputError; the script reports it on
    stderr as "SCRIPT: FILE[:LINE]: problem" and exits with status 2;
  - no matplotlib anywhere: exit status 3;
  - time series have `step` on the x axis, labelled with the `date` column.
"""

import argparse
import csv
import json
import math
import os
import re
import subprocess
import sys

SYSTEM_PYTHON = "/usr/bin/python3"
REEXEC_GUARD = "TRADESIM_PLOT_REEXEC"  # set in the re-executed child: no loops


class InputError(Exception):
    """A missing or malformed input; reported with exit status 2."""


def program():
    return os.path.basename(sys.argv[0]) or "tradesim-plot"


def fail(message, status):
    print("%s: %s" % (program(), message), file=sys.stderr)
    sys.exit(status)


# --------------------------------------------------------------------------
# matplotlib

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
    """Return matplotlib.pyplot on the Agg backend, re-executing the running
    script with the system interpreter if this one lacks matplotlib."""
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
                script = os.path.abspath(sys.modules["__main__"].__file__)
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
    return read_table_with_header(path, required)[1]


def read_table_with_header(path, required):
    """(header, rows) of a CSV file; checks the header has the required
    columns and that no row has more cells than the header."""
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
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise InputError("%s: cannot read: %s" % (path, e))
    for n, row in enumerate(rows, start=2):  # line 1 is the header
        if None in row:
            raise InputError("%s:%d: %d cells, the header has %d"
                             % (path, n, len(header) + len(row[None]), len(header)))
    return list(header), rows


def to_int(path, row_number, column, text):
    try:
        return int(text)
    except (TypeError, ValueError):
        raise InputError("%s:%d: %s: expected an integer, got %r" % (path, row_number, column, text))


def to_float(path, row_number, column, text):
    """A number, or NaN for an empty cell (a value that is not defined)."""
    if text is None or text.strip() == "":
        return math.nan
    try:
        return float(text)
    except ValueError:
        raise InputError("%s:%d: %s: expected a number, got %r" % (path, row_number, column, text))


def quantile(values, p):
    """The p-quantile of the finite values, interpolating linearly between
    order statistics (as gsl_stats_quantile_from_sorted_data); NaN if none."""
    data = sorted(v for v in values if not math.isnan(v))
    if not data:
        return math.nan
    position = (len(data) - 1) * p
    low = int(math.floor(position))
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (position - low)


def mean(values):
    data = [v for v in values if not math.isnan(v)]
    return sum(data) / len(data) if data else math.nan


def read_events(path, rows, rep_column=None, rep="0"):
    """Events as {"step", "id", "action", "cause"} ("" when scripted or when
    the file has no cause column); with rep_column, those of one rep."""
    events = []
    for n, row in enumerate(rows, start=2):
        if rep_column and row[rep_column].strip() != rep:
            continue
        events.append({"step": to_int(path, n, "step", row["step"]),
                       "id": row["id"], "action": row["action"].strip().lower(),
                       "cause": (row.get("cause") or "").strip()})
    return events


# What an output directory holds: tradesim writes run.json last, with the
# kind of output and the files it describes; the scripts read nothing that
# run.json does not vouch for.

KIND_WORDS = {"run": "a run", "replications": "replications", "comparison": "a comparison",
              "sweep": "a sweep"}
KIND_SCRIPTS = {"run": "plot_run.py", "replications": "plot_ensemble.py",
                "comparison": "plot_compare.py", "sweep": "plot_sweep.py or plot_sensitivity.py"}


def recorded_output(directory):
    """(kind, files, source) of DIR: from run.json its "kind" (or, written
    before it had one, the kind its keys imply) and "files" (None when it
    has none); ("sweep", None, "sweep.json") for a sweep; (None, None, None)
    when the directory has neither."""
    path = os.path.join(directory, "run.json")
    if not os.path.exists(path):
        if os.path.exists(os.path.join(directory, "sweep.json")):
            return "sweep", None, "sweep.json"
        return None, None, None
    try:
        with open(path, encoding="utf-8") as stream:
            meta = json.load(stream)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise InputError("%s: cannot read: %s" % (path, e))
    if not isinstance(meta, dict):
        raise InputError("%s: not a JSON object" % path)
    kind = meta.get("kind")
    if kind not in KIND_WORDS:
        kind = ("comparison" if "scenario_a" in meta
                else "replications" if "reps" in meta else "run")
    files = meta.get("files")
    return kind, files if isinstance(files, list) else None, "run.json"


def check_output(directory, kind, names):
    """Raise InputError unless DIR holds output of `kind` (run.json or
    sweep.json says so, where there is one) and run.json lists each file of
    `names` that is in DIR: a file it does not list is left from another
    output, and must not be plotted as this one's."""
    found, files, source = recorded_output(directory)
    if found is None:
        return
    if found != kind:
        raise InputError("%s holds %s (%s), not %s: plot it with %s"
                         % (directory, KIND_WORDS[found], source, KIND_WORDS[kind],
                            KIND_SCRIPTS[found]))
    if files is None:
        return
    for name in names:
        if name not in files and os.path.exists(os.path.join(directory, name)):
            raise InputError("%s is not a file of the output %s describes (%s lists %s): "
                             "left from another output? Write each output into a directory "
                             "of its own" % (os.path.join(directory, name), source,
                                             source, ", ".join(files)))


def read_events_if_any(directory):
    """{step: [(id, action)]} from DIR/events.csv (rep 0's when it has a rep
    column), or {} when the directory has no events.csv."""
    path = os.path.join(directory, "events.csv")
    if not os.path.exists(path):
        return {}
    header, rows = read_table_with_header(path, ("step", "id", "action"))
    return group_events(read_events(path, rows, "rep" if "rep" in header else None))


# --------------------------------------------------------------------------
# Tables and their entities
#
# The per-run tables and their key columns. A table not listed here still
# works (its keys are read from the file's header); an entry only improves
# the words used for its entities. Adding a table (e.g. relations.csv) is a
# matter of one entry.

TABLES = {
    "countries": {"noun": "country", "keys": ("country",), "format": "{country}"},
    "firms": {"noun": "firm", "keys": ("firm",), "format": "{firm}",
              # text columns of firms.csv that tell the firm apart
              "context": ("country", "sector")},
    "markets": {"noun": "market", "keys": ("country", "sector", "segment"),
                "format": "{country} {sector} ({segment})"},
    "relations": {"noun": "country pair", "keys": ("country", "rival"),
                  "format": "{country} towards {rival}"},
}


def table_info(table):
    return TABLES.get(table, {"noun": table.rstrip("s") or table, "keys": None, "format": None})


def entity_label(table, keys, values):
    """Readable name of one entity from its key columns and values."""
    info = table_info(table)
    fmt = info.get("format")
    if fmt and tuple(keys) == tuple(info.get("keys") or ()):
        return fmt.format(**dict(zip(keys, values)))
    return " / ".join(values)


def entity_context(directory, table):
    """{entity key tuple: "context"} from the text columns of DIR/<table>.csv
    (first row of rep 0), e.g. a firm's country and sector; {} if unavailable."""
    info = table_info(table)
    keys, context = info.get("keys"), info.get("context")
    path = os.path.join(directory, table + ".csv")
    if not keys or not context or not os.path.isfile(path):
        return {}
    result = {}
    try:
        with open(path, newline="", encoding="utf-8") as stream:
            reader = csv.DictReader(stream)
            header = reader.fieldnames or []
            if any(c not in header for c in tuple(keys) + tuple(context)):
                return {}
            for row in reader:
                if "rep" in header and row.get("rep") != "0":
                    break
                key = tuple(row[k] for k in keys)
                if key in result:
                    break  # the second step begins: every entity seen
                result[key] = ", ".join(row[c] for c in context if row[c])
    except (OSError, UnicodeDecodeError, csv.Error):
        return {}
    return result


# --------------------------------------------------------------------------
# Names and units from column names

# column: (what, unit). Columns not listed are named from their words and
# their unit suffix (see describe()).
METRICS = {
    "revenue_bn_usd": ("revenue", "bn USD per step"),
    "consumer_welfare_bn_usd": ("consumer welfare", "bn USD per step"),
    "national_welfare_bn_usd": ("national welfare", "bn USD per step"),
    "tech_level": ("technology level", "log-tech"),
    "tech_gap": ("technology gap to the frontier", "log-tech"),
    "price_index": ("price index", "1 = open market at step 0"),
    "price": ("price", "USD per unit of output"),
    "self_sufficiency": ("self-sufficiency", "share of critical inputs bought at home"),
    "capacity_use": ("capacity use", "real output / capacity"),
    "supply_factor": ("supply factor", "available share of scarcest input"),
    "stockpile_months": ("stockpile", "months of use"),
    "jobs": ("jobs", "persons"),
    "domestic_share": ("domestic share", "share"),
    "hhi": ("market concentration", "Herfindahl index"),
    "firms_allowed": ("firms allowed", "firms"),
    "measures_in_force": ("measures in force", "measures"),
    "tension": ("tension", "index"),
    "rd_intensity": ("R&D intensity", "share of revenue"),
    "tech_denial": ("technology denial", "share"),
}

UNIT_SUFFIXES = (  # longest first
    ("_bn_usd_per_year", "bn USD per year"),
    ("_bn_usd", "bn USD per step"),
    ("_usd", "USD"),
    ("_share", "share"),
    ("_months", "months"),
    ("_periods", "steps"),
    ("_pct", "%"),
)


# A sweep metric's default name (docs/sweep.md): [diff:]STAT:TABLE.ENTITY.COLUMN
# (a market's entity is country.sector.segment).
SWEEP_METRIC = re.compile(r"^(?:(diff):)?(final|mean|min|max):(countries|firms|markets)\.(.+)\.([A-Za-z0-9_]+)$")
STAT_WORDS = {"final": "last step", "mean": "mean", "min": "min", "max": "max"}


def describe(column):
    """(what, unit) of a column or metric name: ("consumer welfare",
    "bn USD per step") for consumer_welfare_bn_usd, ("ZTE revenue, mean",
    "bn USD per step") for mean:firms.ZTE.revenue_bn_usd; unit ""
    if unknown."""
    match = SWEEP_METRIC.match(column)
    if match:
        diff, stat, table, entity, name = match.groups()
        what, unit = describe(name)
        parts = entity.split(".")
        if table == "markets" and len(parts) == 3:
            entity = "%s %s (%s)" % tuple(parts)
        what = "%s%s %s, %s" % ("change in " if diff else "", entity, what, STAT_WORDS[stat])
        return what, unit
    if column in METRICS:
        return METRICS[column]
    what, unit = column, ""
    for suffix, name in UNIT_SUFFIXES:
        if column.endswith(suffix) and len(column) > len(suffix):
            what, unit = column[:-len(suffix)], name
            break
    if unit.endswith("per step") and ("cumulative" in what or what.startswith("total")):
        unit = unit[:-len(" per step")]
    return what.replace("_", " "), unit


def capitalised(text):
    return text[:1].upper() + text[1:]


def with_unit(what, unit):
    return "%s (%s)" % (what, unit) if unit else what


def slug(text):
    """A file-name-safe version of a name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "x"


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
    """{step: [(name, action), ...]} with starts before ends; the name of an
    event with a cause (a rule's answer, an ally's adoption, a deal's
    lifting) is "ID <- CAUSE" (with an arrow)."""
    by_step = {}
    for e in events:
        name = e["id"] + (" \u2190 " + e["cause"] if e.get("cause") else "")
        by_step.setdefault(e["step"], []).append((name, e["action"]))
    for step in by_step:
        by_step[step].sort(key=lambda item: (item[1] != "start", item[0]))
    return by_step


def event_numbers(by_step):
    """{step: n}: the steps with events numbered 1, 2, ... in time order."""
    return {step: n for n, step in enumerate(sorted(by_step), start=1)}


def mark_events(ax, by_step, with_labels, alpha=0.6, linewidth=0.8):
    """A vertical line per step with events (red: something starts; dashed
    grey: only ends), with its number (event_numbers) above the axes, which
    event_table() explains. Returns the number artists."""
    import matplotlib.transforms as transforms
    trans = transforms.blended_transform_factory(ax.transData, ax.transAxes)
    numbers = event_numbers(by_step)
    texts = []
    previous, level = None, 0
    for step in sorted(by_step):
        items = by_step[step]
        starts = any(action == "start" for _, action in items)
        colour = "tab:red" if starts else "0.45"
        ax.axvline(step, color=colour, linestyle="-" if starts else "--", linewidth=linewidth,
                   alpha=alpha, zorder=1)
        # neighbouring steps' numbers alternate between two heights
        level = 1 - level if previous is not None and step - previous <= 1 else 0
        previous = step
        if with_labels:
            texts.append(ax.annotate(str(numbers[step]), (step, 1.0), xycoords=trans,
                                     xytext=(0, 4 + 11 * level), textcoords="offset points", ha="center",
                                     va="bottom", fontsize=6, color="white", fontweight="bold",
                                     bbox=dict(boxstyle="circle,pad=0.15", fc=colour, ec="none")))
    return texts


def event_table(fig, by_step, dates, columns=2):
    """The measures behind the numbered markers, as a table under the
    figure: "n  date  id, end id, ID <- CAUSE ...". Returns its artists."""
    numbers = event_numbers(by_step)
    lines = []
    for step in sorted(by_step):
        names = [("" if action == "start" else "end ") + ident for ident, action in by_step[step]]
        lines.append("%2d  %s  %s" % (numbers[step], dates.get(step, str(step)), ", ".join(names)))
    if not lines:
        return []
    per_column = math.ceil(len(lines) / columns)
    texts = []
    for c in range(columns):
        chunk = lines[c * per_column:(c + 1) * per_column]
        if chunk:
            texts.append(fig.text(0.02 + c * 0.5, -0.01, "\n".join(wrap(line, 70) for line in chunk),
                                  ha="left", va="top", fontsize=6.5, family="monospace", color="0.2"))
    return texts


def wrap(line, width):
    """A table line cut into lines of at most `width` characters at commas,
    continuation lines indented."""
    out, current = [], ""
    for part in line.split(", "):
        candidate = part if not current else current + ", " + part
        if len(candidate) > width and current:
            out.append(current + ",")
            current = "              " + part
        else:
            current = candidate
    out.append(current)
    return "\n".join(out)


def style_axes(ax, dates, ylabel, tick_labels=True):
    """Steps on the x axis labelled with their dates; a light y grid."""
    ticks, labels = date_ticks(dates)
    ax.set_xticks(ticks)
    if tick_labels:
        ax.set_xticklabels(labels, rotation=45, ha="right", fontsize=8)
    else:
        ax.set_xticklabels([])
    if dates:
        ax.set_xlim(min(dates) - 0.5, max(dates) + 0.5)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.grid(True, axis="y", linewidth=0.4, alpha=0.5)


def finish(fig, path, title, axes_with_legend, hidden, labels, legend=True, events=None):
    """Legends right of the axes, the title above the event markers, the
    table of measures (events: (by_step, dates)) below, save."""
    if legend:
        for ax in axes_with_legend:
            handles, _ = ax.get_legend_handles_labels()
            if handles:
                ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7,
                          frameon=False, borderaxespad=0.0)
    if hidden:
        title += "  (%d more in grey)" % hidden
    suptitle_above(fig, title, axes_with_legend, labels)
    if events:
        event_table(fig, *events)
    fig.savefig(path, dpi=130, bbox_inches="tight")


def suptitle_above(fig, title, axes, artists, gap=0.01):
    """The figure title just above the highest of the axes and the artists
    (e.g. event labels that stick out above the top axes)."""
    top = max(ax.get_position().y1 for ax in axes) if axes else 0.9
    if artists:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        height = fig.bbox.height
        top = max([top] + [t.get_window_extent(renderer).y1 / height for t in artists])
    fig.suptitle(title, fontsize=11, y=top + gap, va="bottom")


def ensure_dir(path):
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as e:
        raise InputError("cannot create output directory %s: %s" % (path, e))
    if not os.path.isdir(path):
        raise InputError("not a directory: %s" % path)


def split_list(values):
    """Repeatable, comma-separated option values as one flat list."""
    result = []
    for value in values or []:
        result += [v.strip() for v in value.split(",") if v.strip()]
    return result


# --------------------------------------------------------------------------
# Long tables: summary_*.csv and compare_*.csv
#
# step,date,<key columns>,metric,n,<value columns>: one row per step, entity
# and metric. The key columns are those between `date` and `metric`.

class LongTable:
    """One long-format file read into series.

    keys      the key column names, e.g. ("country", "sector", "segment")
    entities  key tuples in order of first appearance (scenario order)
    metrics   metric names in order of first appearance (column order)
    dates     {step: date}
    data      {metric: {entity: {value column: {step: value}}}}
    n         {metric: largest n}
    """

    def __init__(self, path, table, keys):
        self.path, self.table, self.keys = path, table, tuple(keys)
        self.entities, self.metrics, self.dates, self.data, self.n = [], [], {}, {}, {}

    def label(self, entity):
        return entity_label(self.table, self.keys, entity)

    def series(self, metric, entity, column):
        """(steps, values) of one value column, in step order."""
        values = self.data[metric][entity][column]
        steps = sorted(values)
        return steps, [values[s] for s in steps]


def read_long(path, table, value_columns):
    header, rows = read_table_with_header(path, ("step", "date", "metric", "n") + tuple(value_columns))
    if header[:2] != ["step", "date"]:
        raise InputError("%s: the header must begin with step,date (header: %s)"
                         % (path, ",".join(header)))
    keys = header[2:header.index("metric")]
    if not keys:
        raise InputError("%s: no key column between date and metric (header: %s)"
                         % (path, ",".join(header)))
    if not rows:
        raise InputError("%s has no rows" % path)
    result = LongTable(path, table, keys)
    seen_entities, seen_metrics = set(), set()
    for number, row in enumerate(rows, start=2):
        step = to_int(path, number, "step", row["step"])
        entity = tuple(row[k] for k in keys)
        metric = row["metric"]
        if not metric:
            raise InputError("%s:%d: empty metric" % (path, number))
        n = to_int(path, number, "n", row["n"])
        if entity not in seen_entities:
            seen_entities.add(entity)
            result.entities.append(entity)
        if metric not in seen_metrics:
            seen_metrics.add(metric)
            result.metrics.append(metric)
            result.data[metric] = {}
            result.n[metric] = 0
        result.n[metric] = max(result.n[metric], n)
        by_column = result.data[metric].setdefault(entity, {c: {} for c in value_columns})
        for c in value_columns:
            by_column[c][step] = to_float(path, number, c, row[c])
        result.dates.setdefault(step, row["date"])
    return result


def read_names(directory, prefix):
    """The files a script on <prefix>_*.csv tables may read in DIR: those
    tables, events.csv and the tables that give entities their context."""
    try:
        names = sorted(os.listdir(directory))
    except OSError as e:
        raise InputError("cannot list %s: %s" % (directory, e))
    context = {t + ".csv" for t in TABLES}
    return [n for n in names
            if (n.startswith(prefix + "_") and n.endswith(".csv")) or n == "events.csv" or n in context]


def long_tables(directory, prefix, value_columns):
    """{table: LongTable} for every DIR/<prefix>_<table>.csv, in name order."""
    try:
        names = sorted(os.listdir(directory))
    except OSError as e:
        raise InputError("cannot list %s: %s" % (directory, e))
    tables = {}
    for name in names:
        if name == "compare_totals.csv":  # one row per total, not a long table
            continue
        if name.startswith(prefix + "_") and name.endswith(".csv"):
            table = name[len(prefix) + 1:-len(".csv")]
            tables[table] = read_long(os.path.join(directory, name), table, value_columns)
    return tables


def parse_metric_choices(choices, tables, defaults, what):
    """[(table, metric)] for --metric values TABLE.METRIC, TABLE:METRIC or
    METRIC (every table that has it); the available defaults without any."""
    available = ["%s.%s" % (t, m) for t in tables for m in tables[t].metrics]
    if not choices:
        chosen = [(t, m) for t, m in defaults if t in tables and m in tables[t].data]
        if not chosen:  # none of the usual ones: the first metric of each table
            chosen = [(t, tables[t].metrics[0]) for t in tables]
        return chosen
    chosen = []
    for choice in choices:
        table, sep, metric = choice.replace(":", ".").partition(".")
        if sep:
            matches = [(table, metric)] if table in tables and metric in tables[table].data else []
        else:
            matches = [(t, choice) for t in tables if choice in tables[t].data]
        if not matches:
            raise InputError("no metric %r in %s (available: %s)" % (choice, what, ", ".join(available)))
        chosen += [m for m in matches if m not in chosen]
    return chosen


def select_entities(table, filters, context, size, limit):
    """The entities of a LongTable to draw: those matching a filter (label,
    a key value, a context value or the keys joined with '/'), or all; at most
    `limit` of them, the largest by size(entity), kept in file order.
    Returns (entities, how many were left out)."""
    entities = table.entities
    if filters:
        wanted = set(filters)

        def matches(entity):
            names = {table.label(entity), "/".join(entity)} | set(entity)
            names |= {part.strip() for part in context.get(entity, "").split(",")}
            return bool(names & wanted)
        entities = [e for e in entities if matches(e)]
    if len(entities) <= limit:
        return entities, 0
    largest = set(sorted(entities, key=size, reverse=True)[:limit])
    return [e for e in entities if e in largest], len(entities) - limit


# --------------------------------------------------------------------------
# Small multiples: one panel per entity, a strip of event markers on top

def small_multiples(plt, count, by_step, dates):
    """A figure with `count` panels sharing the date axis, the measures
    marked in each and numbered above the top row (event_table lists them).
    Returns (figure, panel axes, number artists, top axes)."""
    ncols = 1 if count == 1 else 2 if count <= 4 else 3 if count <= 12 else 4
    nrows = max(1, math.ceil(count / ncols))
    row_height = 4.5 if ncols == 1 else 2.3
    fig = plt.figure(figsize=(11 if ncols <= 3 else 14, row_height * nrows + 0.8))
    grid = fig.add_gridspec(nrows, ncols, hspace=0.55 if ncols > 1 else 0.3, wspace=0.3)
    panels, texts = [], []
    for i in range(count):
        ax = fig.add_subplot(grid[i // ncols, i % ncols], sharex=panels[0] if panels else None)
        bottom_of_column = i + ncols >= count
        style_axes(ax, dates, None, tick_labels=bottom_of_column)
        if not bottom_of_column:
            ax.tick_params(labelbottom=False)
        texts += mark_events(ax, by_step, i < ncols, alpha=0.3, linewidth=0.6)
        if i < ncols and by_step:
            ax.ts_title_pad = 30  # panel_title: above the numbers
        ax.ticklabel_format(axis="y", useOffset=False)
        panels.append(ax)
    return fig, panels, texts, panels[:ncols]


def panel_title(ax, text):
    ax.set_title(text, fontsize=9, loc="left", pad=getattr(ax, "ts_title_pad", 3))


def floor_span(ax, level, share=1e-3):
    """Widen the y axis to at least +-share*|level| around zero-sized data,
    so that rounding noise (1e-15) is drawn as the flat line it is."""
    if level is None or math.isnan(level) or level == 0:
        return
    low, high = ax.get_ylim()
    floor = abs(level) * share
    if high - low < 2 * floor:
        middle = (low + high) / 2
        ax.set_ylim(middle - floor, middle + floor)


def save(fig, path, title, top_axes, texts, note=None, events=None):
    """Title (and note) above the top axes and their markers, the table of
    measures (events: (by_step, dates)) below, save."""
    if note:
        title += "\n" + note
    suptitle_above(fig, title, top_axes, list(texts) + [ax.title for ax in top_axes],
                   gap=6.0 / (fig.get_figheight() * 72.0))  # 6 points
    if events:
        event_table(fig, *events)
    fig.savefig(path, dpi=110, bbox_inches="tight")


# --------------------------------------------------------------------------
# Command line shared by the scripts

def new_parser(prog, description, example, doc, dir_help,
               output_help="where the PNG files go (default: DIR)"):
    """An argument parser with DIR and -o OUTDIR; the epilog is the example
    followed by the script's docstring after its first paragraph."""
    parser = argparse.ArgumentParser(
        prog=prog, description=description,
        epilog="example: " + example + "\n\n" + doc.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", metavar="DIR", help=dir_help)
    parser.add_argument("-o", "--output", metavar="OUTDIR", help=output_help)
    return parser


def add_entity_selection(parser):
    """--metric [TABLE.]METRIC and --entity NAME, for per-entity tables."""
    parser.add_argument("--metric", action="append", metavar="[TABLE.]METRIC",
                        help="metric to plot, e.g. firms.revenue_bn_usd or tech_gap (every "
                             "table that has it); repeatable or comma-separated")
    parser.add_argument("--entity", action="append", metavar="NAME",
                        help="only these entities: a firm or country id, a market "
                             "'US/chips/private'; a country id also selects its firms and "
                             "markets; repeatable or comma-separated")


def run(main):
    """Exit with main(sys.argv); a closed pipe (`--help | head`) is no error."""
    try:
        sys.exit(main(sys.argv))
    except BrokenPipeError:
        sys.exit(0)


def output_dir(args):
    """Fails (exit 2) unless args.dir is a directory; returns where the
    plots go: --output, else that directory."""
    if not os.path.isdir(args.dir):
        fail("no such directory: %s" % args.dir, 2)
    return args.output or args.dir


def plot_long_tables(prog, args, prefix, value_columns, defaults, producer, plot_metric,
                     read_events_of=read_events_if_any):
    """The main loop of the scripts that read <prefix>_*.csv long tables
    (ensembles, comparisons): choose metrics, read events (read_events_of(
    DIR): {step: [(name, action)]}), then call plot_metric(plt, out_dir,
    table, metric, context, filters, by_step) for each, printing the PNG
    paths. Returns the exit status."""
    out_dir = output_dir(args)
    try:
        check_output(args.dir, {"summary": "replications", "compare": "comparison"}[prefix],
                     read_names(args.dir, prefix))
        tables = long_tables(args.dir, prefix, value_columns)
        if not tables:
            raise InputError("no %s_*.csv in %s (is it the output of `%s`?)"
                             % (prefix, args.dir, producer))
        chosen = parse_metric_choices(split_list(args.metric), tables, defaults,
                                      "the %s_*.csv files of %s" % (prefix, args.dir))
        by_step = read_events_of(args.dir)
        ensure_dir(out_dir)
        plt = import_pyplot()
    except InputError as e:
        fail(str(e), 2)
    filters = split_list(args.entity)
    written = []
    for table_name, metric in chosen:
        context = entity_context(args.dir, table_name)
        path = plot_metric(plt, out_dir, tables[table_name], metric, context, filters, by_step)
        if path:
            written.append(path)
            print(path)
        else:
            print("%s: %s.%s: no entity matches --entity %s; not plotted"
                  % (prog, table_name, metric, ",".join(filters)), file=sys.stderr)
    if not written:
        fail("nothing plotted: no entity of the chosen metrics matches --entity %s"
             % ",".join(filters), 2)
    return 0
