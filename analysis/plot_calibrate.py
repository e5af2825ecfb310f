#!/usr/bin/env python3
"""Plot a tradesim calibration: the fit per fact, the acceptance set, the
loss profiles.

Reads DIR/check.csv, calibrate.csv, acceptance.csv and profile.csv
(`tradesim calibrate FILE -o DIR`, docs/calibration.md) and writes three
PNG files into DIR:

  calibrate_fit.png         each fact at the best point: the simulated 5-95%
                            interval over the seeds and its mean, against
                            the observed value and its tolerance band (in
                            units of the tolerance, so facts of any size
                            share one axis)
  calibrate_acceptance.png  each parameter's design points over its bounds,
                            accepted (every fact's mean within tolerance)
                            or not, with the accepted range and the best
                            value: a parameter the facts do not identify is
                            accepted across its range
  calibrate_profiles.png    the loss along each parameter with the others
                            at the best point (log scale; 1 = one fact at
                            the edge of its band)

Exit status: 0 plots written (their paths printed); 2 bad usage, missing or
malformed input; 3 no matplotlib anywhere.
"""

import math
import os

import tsplot
from tsplot import InputError

CHECK = ("fact", "observed", "tolerance", "mean", "q05", "q95", "within", "reps", "pass")
ACCEPTANCE = ("parameter", "lo", "hi", "scale", "best", "min", "max", "width_share", "accepted", "points")
PROFILE = ("parameter", "value", "loss", "accepted", "status")
EVALS = ("eval", "phase", "group", "loss", "accepted", "status")


def arguments(argv):
    parser = tsplot.new_parser(
        "plot_calibrate.py",
        "Plot the fit per fact, the acceptance set and the loss profiles of "
        "`tradesim calibrate FILE -o DIR`.",
        "plot_calibrate.py out/calibrate_zte", __doc__, "output directory of `tradesim calibrate`")
    return parser.parse_args(argv[1:])


def numbers(path, rows, columns):
    """The rows with the named columns as floats (NaN for an empty cell)."""
    out = []
    for number, row in enumerate(rows, start=2):
        entry = dict(row)
        for column in columns:
            entry[column] = tsplot.to_float(path, number, column, row[column])
        out.append(entry)
    return out


def read_inputs(directory):
    def path(name):
        return os.path.join(directory, name)
    if not os.path.isfile(path("calibrate.csv")):
        raise InputError("missing file %s (is %s the output of `tradesim calibrate`?)"
                         % (path("calibrate.csv"), directory))
    check = numbers(path("check.csv"), tsplot.read_table(path("check.csv"), CHECK),
                    ("observed", "tolerance", "mean", "q05", "q95"))
    acceptance = numbers(path("acceptance.csv"), tsplot.read_table(path("acceptance.csv"), ACCEPTANCE),
                         ("lo", "hi", "best", "min", "max", "width_share"))
    profile = numbers(path("profile.csv"), tsplot.read_table(path("profile.csv"), PROFILE), ("value", "loss"))
    header, evals = tsplot.read_table_with_header(path("calibrate.csv"), EVALS)
    names = [a["parameter"] for a in acceptance]
    missing = [n for n in names if n not in header]
    if missing:
        raise InputError("%s: no column for parameter(s) %s" % (path("calibrate.csv"), ", ".join(missing)))
    design = numbers(path("calibrate.csv"), [r for r in evals if r["phase"] == "design"], names)
    if not check or not acceptance:
        raise InputError("%s: no facts or parameters (did the calibration finish with a best point?)" % directory)
    return check, acceptance, profile, design


def plot_fit(plt, check, out):
    fig, ax = plt.subplots(figsize=(7.5, 1.2 + 0.55 * len(check)))
    for i, f in enumerate(check):
        tol = f["tolerance"]
        ax.fill_betweenx([i - 0.3, i + 0.3], -1, 1, color="tab:green", alpha=0.15,
                         label="observed +- tolerance" if i == 0 else None)
        low, high = (f["q05"] - f["observed"]) / tol, (f["q95"] - f["observed"]) / tol
        ax.plot([low, high], [i, i], color="tab:blue", linewidth=3,
                label="simulated 5-95%" if i == 0 else None)
        ax.plot((f["mean"] - f["observed"]) / tol, i, "o", color="tab:blue",
                label="simulated mean" if i == 0 else None)
        ax.text(1.02, i, "%s/%s within" % (f["within"], f["reps"]), transform=ax.get_yaxis_transform(),
                va="center", fontsize=7)
    ax.axvline(0, color="tab:green", linewidth=1)
    ax.set_yticks(range(len(check)))
    ax.set_yticklabels(["%s\n(obs. %g, tol. %g)" % (f["fact"], f["observed"], f["tolerance"]) for f in check],
                       fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("(simulated - observed) / tolerance", fontsize=8)
    ax.grid(True, axis="x", linewidth=0.4, alpha=0.5)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.25 - 0.3 / len(check)), ncol=3, fontsize=7, frameon=False)
    ax.set_title("Fit per fact at the best point", fontsize=9, loc="left")
    fig.savefig(out, dpi=110, bbox_inches="tight")
    plt.close(fig)


def log_axis(a):
    """The parameter's own scale, as the calibration file declares it (`log`)."""
    return a["scale"] == "log"


def plot_acceptance(plt, acceptance, design, out):
    fig, axes = plt.subplots(len(acceptance), 1, squeeze=False, figsize=(7.5, 0.6 + 1.0 * len(acceptance)))
    for ax, a in zip(axes[:, 0], acceptance):
        name = a["parameter"]
        yes = [d[name] for d in design if d["accepted"] == "1"]
        no = [d[name] for d in design if d["accepted"] != "1"]
        ax.plot(no, [0] * len(no), "|", color="0.6", markersize=12, label="design point")
        ax.plot(yes, [0] * len(yes), "|", color="tab:blue", markersize=16, markeredgewidth=2,
                label="accepted")
        if not math.isnan(a["min"]):
            ax.axvspan(a["min"], a["max"], color="tab:blue", alpha=0.12, label="accepted range")
        if not math.isnan(a["best"]):
            ax.axvline(a["best"], color="tab:red", linewidth=1.2, label="best")
        ax.set_xlim(a["lo"], a["hi"])
        if log_axis(a):
            ax.set_xscale("log")
        ax.set_yticks([])
        share = "" if math.isnan(a["width_share"]) else ", %.0f%% of its range" % (100 * a["width_share"])
        ax.set_title("%s: %s of %s design points accepted%s" % (name, a["accepted"], a["points"], share),
                     fontsize=8, loc="left")
    axes[0, 0].legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
    fig.subplots_adjust(hspace=1.0)
    fig.savefig(out, dpi=110, bbox_inches="tight")
    plt.close(fig)


def plot_profiles(plt, acceptance, profile, out):
    fig, axes = plt.subplots(1, len(acceptance), squeeze=False, figsize=(3.6 * len(acceptance) + 0.5, 3.2))
    for ax, a in zip(axes[0], acceptance):
        points = [p for p in profile if p["parameter"] == a["parameter"] and not math.isnan(p["loss"])]
        ax.plot([p["value"] for p in points], [max(p["loss"], 1e-12) for p in points], "o-",
                color="tab:blue", markersize=3)
        ax.axhline(1.0, color="tab:green", linewidth=0.8, linestyle="--")
        if not math.isnan(a["best"]):
            ax.axvline(a["best"], color="tab:red", linewidth=1)
        ax.set_yscale("log")
        if log_axis(a):
            ax.set_xscale("log")
        ax.set_xlabel(a["parameter"], fontsize=7)
        ax.tick_params(labelsize=7)
        ax.grid(True, linewidth=0.4, alpha=0.5)
    axes[0, 0].set_ylabel("loss (others at the best point)", fontsize=8)
    fig.suptitle("Loss profiles; red: best value, dashed: loss 1", fontsize=9)
    fig.tight_layout()
    fig.savefig(out, dpi=110, bbox_inches="tight")
    plt.close(fig)


def main(argv):
    args = arguments(argv)
    out_dir = tsplot.output_dir(args)
    try:
        check, acceptance, profile, design = read_inputs(args.dir)
        tsplot.ensure_dir(out_dir)
        plt = tsplot.import_pyplot()
    except InputError as e:
        tsplot.fail(str(e), 2)
    outputs = [os.path.join(out_dir, n) for n in
               ("calibrate_fit.png", "calibrate_acceptance.png", "calibrate_profiles.png")]
    plot_fit(plt, check, outputs[0])
    plot_acceptance(plt, acceptance, design, outputs[1])
    plot_profiles(plt, acceptance, profile, outputs[2])
    for out in outputs:
        print(out)
    return 0


if __name__ == "__main__":
    tsplot.run(main)
