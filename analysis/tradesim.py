"""tradesim's outputs as pandas DataFrames, and runs in-process.

    import tradesim
    out = tradesim.load("out/reps")            # any output directory
    out["firms"]                                # tidy: one row per rep, step, firm
    out["firms"].attrs["units"]["revenue_bn_usd"]   # 'bn USD per step'
    run = tradesim.run("scenarios/zte_2018.cfg",
                       set={"measures.zte_denial.enabled": "false"})

load(DIR) reads whatever the directory holds: a run (countries, firms,
markets, relations, events), replications (the same with a `rep` column,
plus `summary_<table>` and `reps`), a comparison (`compare_<table>`,
`compare_totals`, `events_a`, `events_b`, `reps`), a sweep (`sweep`, `points`, and with `--series` each table of
`runs/<run>/` stacked with a `run` column and the run's parameters joined
in). Dates become pandas Periods (quarters, months or years, as the run's
calendar); each frame carries `attrs["units"]`, column -> unit, and
`attrs["source"]`, the file it came from.

run(SCENARIO, set=..., seed=...) runs a scenario through the shared
library (ctypes; TRADESIM_LIBRARY names it, else build/libtradesim.so
beside this directory, else the system's) into a temporary directory and
returns load() of it: the same frames as the command would leave.

Needs pandas (Debian: python3-pandas); the standard library otherwise.
"""

import ctypes
import ctypes.util
import json
import os
import re
import tempfile

import pandas

import tsplot

TABLES = ("countries", "firms", "markets", "relations")


def unit_of(column):
    """The unit of an output column, from its name ('' if it has none): the
    plots' own names and units (tsplot.describe)."""
    return tsplot.describe(column)[1]


def period_of(date):
    """'2018Q2' -> Period('2018Q2', 'Q'); '2018-05' -> month; '2018' -> year."""
    if re.fullmatch(r"\d{4}Q[1-4]", date):
        return pandas.Period(date, freq="Q")
    if re.fullmatch(r"\d{4}-\d{2}", date):
        return pandas.Period(date, freq="M")
    return pandas.Period(date, freq="A")


def read_table(path):
    """One CSV of an output directory as a DataFrame: text keys as strings,
    empty numeric cells as NaN, `date` as Periods, units in attrs."""
    frame = pandas.read_csv(path, keep_default_na=False, na_values=[""], float_precision="round_trip",
                            dtype={"country": str, "firm": str, "sector": str, "segment": str,
                                   "rival": str, "id": str, "actor": str, "target": str,
                                   "measure": str, "action": str, "cause": str, "node": str,
                                   "date": str, "metric": str, "status": str, "message": str})
    if "date" in frame.columns:
        frame["date"] = pandas.PeriodIndex([period_of(d) for d in frame["date"]])
    frame.attrs["source"] = path
    frame.attrs["units"] = {c: unit_of(c) for c in frame.columns if unit_of(c)}
    return frame


def load(directory):
    """Every table of a tradesim output directory, by name (see the module's
    doc). Raises FileNotFoundError if the directory holds no output."""
    frames = {}
    for name in sorted(os.listdir(directory)):
        stem, ext = os.path.splitext(name)
        if ext == ".csv":
            frames[stem] = read_table(os.path.join(directory, name))
    runs = os.path.join(directory, "runs")
    if "sweep" in frames and os.path.isdir(runs):
        frames.update(sweep_series(frames["sweep"], runs))
    if not frames:
        raise FileNotFoundError("%s: no tradesim output (no .csv file)" % directory)
    for meta in ("run.json", "sweep.json"):
        path = os.path.join(directory, meta)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                info = json.load(f)
            for frame in frames.values():
                frame.attrs[meta.split(".")[0]] = info
    return frames


def sweep_series(sweep, runs):
    """A sweep's per-run tables (runs/<run>/TABLE.csv) stacked, with `run`
    and the run's parameters (the columns of sweep.csv before the metrics)
    joined in."""
    metrics_from = sweep.columns.get_loc("seed") + 1
    params = [c for c in sweep.columns[metrics_from:] if "." in c and ":" not in c]
    frames = {}
    for table in TABLES:
        parts = []
        for run in sorted(os.listdir(runs), key=lambda r: int(r) if r.isdigit() else r):
            path = os.path.join(runs, run, table + ".csv")
            if os.path.exists(path):
                part = read_table(path)
                part.insert(0, "run", int(run))
                parts.append(part)
        if parts:
            stacked = pandas.concat(parts, ignore_index=True)
            stacked = stacked.merge(sweep[["run", "point", "rep", "seed"] + params], on="run", how="left")
            stacked.attrs = dict(parts[0].attrs, source=os.path.join(runs, "*", table + ".csv"))
            frames[table] = stacked
    return frames


def mean_sd(values):
    """Mean and sample standard deviation of a list of numbers."""
    n = len(values)
    mean = sum(values) / n
    return mean, (sum((v - mean) ** 2 for v in values) / (n - 1)) ** 0.5 if n > 1 else 0.0


# --------------------------------------------------------------------------
# In-process runs through the shared library

class TradesimError(Exception):
    """A scenario the library refused, or a run that failed: its message."""


class _Error(ctypes.Structure):  # ts_error, tradesim/error.h
    _fields_ = [("status", ctypes.c_int), ("count", ctypes.c_int), ("message", ctypes.c_char * 8192)]


class _Override(ctypes.Structure):  # ts_override, tradesim/scenario.h
    _fields_ = [("path", ctypes.c_char_p), ("value", ctypes.c_char_p)]


class _RunOptions(ctypes.Structure):  # ts_run_options, tradesim/output.h
    _fields_ = [("output_dir", ctypes.c_char_p), ("seed", ctypes.c_uint32), ("command_line", ctypes.c_char_p),
                ("overrides", ctypes.POINTER(_Override)), ("n_overrides", ctypes.c_size_t),
                ("cancel", ctypes.c_void_p), ("on_step", ctypes.c_void_p), ("on_step_ctx", ctypes.c_void_p)]


def library(path=None):
    """The shared library: `path`, TRADESIM_LIBRARY, build/libtradesim.so
    of this source tree, or the system's libtradesim."""
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [path, os.environ.get("TRADESIM_LIBRARY"),
                  os.path.join(here, os.pardir, "build", "libtradesim.so"), ctypes.util.find_library("tradesim")]
    for candidate in candidates:
        if candidate and (os.path.exists(candidate) or not os.path.dirname(candidate)):
            lib = ctypes.CDLL(candidate)
            lib.ts_scenario_load.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_char_p,
                                             ctypes.POINTER(_Override), ctypes.c_size_t, ctypes.POINTER(_Error)]
            lib.ts_run.argtypes = [ctypes.c_void_p, ctypes.POINTER(_RunOptions), ctypes.POINTER(_Error)]
            lib.ts_scenario_free.argtypes = [ctypes.c_void_p]
            lib.ts_version.restype = ctypes.c_char_p
            return lib
    raise OSError("no libtradesim.so: build it (cmake --build build) or set TRADESIM_LIBRARY")


def _gsl_handler_off():
    name = ctypes.util.find_library("gsl")
    if name:
        ctypes.CDLL(name).gsl_set_error_handler_off()


def run(scenario, set=None, seed=0, lib=None):  # pylint: disable=redefined-builtin
    """Runs `scenario` with overrides `set` ({"path": "value"}, values as
    --set writes them) and `seed` (0: the scenario's) in-process, and
    returns load() of its output (countries, firms, markets, relations,
    events). Raises TradesimError with the library's message on a bad
    scenario, override or run."""
    lib = lib or library()
    _gsl_handler_off()
    pairs = list((set or {}).items())
    overrides = (_Override * max(1, len(pairs)))(*[_Override(p.encode(), str(v).encode()) for p, v in pairs])
    err = _Error()
    handle = ctypes.c_void_p()
    if lib.ts_scenario_load(ctypes.byref(handle), os.fsencode(scenario), overrides, len(pairs), ctypes.byref(err)):
        raise TradesimError(err.message.decode(errors="replace"))
    try:
        with tempfile.TemporaryDirectory(prefix="tradesim_") as directory:
            options = _RunOptions(os.fsencode(directory), seed, None, overrides, len(pairs), None, None, None)
            if lib.ts_run(handle, ctypes.byref(options), ctypes.byref(err)):
                raise TradesimError(err.message.decode(errors="replace"))
            frames = load(directory)
            for frame in frames.values():
                frame.attrs["source"] = "%s (in-process run)" % scenario
            return frames
    finally:
        lib.ts_scenario_free(handle)
