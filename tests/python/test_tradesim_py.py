"""analysis/tradesim.py: every kind of output directory loads into frames
that hold the CSV's values, and an in-process run equals the command's.
usage: test_tradesim_py.py TRADESIM_CLI SOURCE_DIR WORK_DIR LIBRARY"""
import csv
import math
import os
import shutil
import subprocess
import sys
import unittest

CLI, SOURCE, WORK, LIBRARY = sys.argv[1:5]
sys.path.insert(0, os.path.join(SOURCE, "analysis"))
import tradesim  # noqa: E402

SCENARIO = os.path.join(SOURCE, "scenarios", "zte_2018.cfg")


def cli(*args):
    subprocess.run([CLI] + list(args), check=True, stdout=subprocess.DEVNULL)


def out(name):
    path = os.path.join(WORK, name)
    shutil.rmtree(path, ignore_errors=True)
    return path


def csv_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


class LoadTest(unittest.TestCase):
    def test_a_run_loads_with_the_csv_values_periods_and_units(self):
        d = out("run")
        cli("run", SCENARIO, "-o", d)
        frames = tradesim.load(d)
        self.assertEqual(sorted(frames), ["countries", "events", "firms", "markets", "relations"])
        firms = frames["firms"]
        rows = csv_rows(os.path.join(d, "firms.csv"))
        self.assertEqual(len(firms), len(rows))
        for row, (_, got) in zip(rows, firms.iterrows()):
            self.assertEqual(got.firm, row["firm"])
            self.assertEqual(got.revenue_bn_usd, float(row["revenue_bn_usd"]))  # exactly: shortest round trip
            self.assertEqual(str(got.date), row["date"])
        self.assertEqual(str(firms.date.dtype), "period[M]")  # zte_2018 is monthly
        self.assertEqual(firms.attrs["units"]["revenue_bn_usd"], "bn USD per step")
        self.assertEqual(firms.attrs["units"]["capacity_bn_usd_per_year"], "bn USD per year")
        self.assertEqual(firms.attrs["run"]["steps"], 18)  # run.json rides along
        self.assertTrue(math.isnan(firms.set_index("firm").loc["Qualcomm", "stockpile_months"].iloc[0]))  # empty cell

    def test_replications_load_with_rep_summaries_and_seeds(self):
        d = out("reps")
        cli("run", SCENARIO, "--reps", "3", "-o", d)
        frames = tradesim.load(d)
        self.assertIn("summary_firms", frames)
        self.assertEqual(list(frames["reps"].columns), ["rep", "seed"])
        self.assertEqual(sorted(frames["firms"].rep.unique()), [0, 1, 2])

    def test_a_comparison_loads_its_differences(self):
        d = out("compare")
        cli("compare", SCENARIO, SCENARIO, "--reps", "2", "-o", d)
        frames = tradesim.load(d)
        self.assertIn("compare_firms", frames)
        diff = frames["compare_firms"].diff_mean
        self.assertTrue((diff.dropna() == 0).all())  # a scenario against itself
        self.assertTrue(diff.isna().any())  # Qualcomm's stockpile: no value, an empty cell

    def test_a_sweep_with_series_stacks_its_runs_with_their_parameters(self):
        d = out("sweep")
        cli("sweep", "--scenario", SCENARIO, "--values", "model.imitation_fraction=0.1,0.3",
            "--metric", "final:firms.ZTE.revenue_bn_usd", "--series", "-o", d)
        frames = tradesim.load(d)
        firms = frames["firms"]
        self.assertEqual(sorted(firms.run.unique()), [0, 1])
        self.assertEqual(sorted(firms["model.imitation_fraction"].unique()), [0.1, 0.3])
        one = csv_rows(os.path.join(d, "runs", "1", "firms.csv"))
        got = firms[(firms.run == 1)].reset_index(drop=True)
        self.assertEqual([float(r["revenue_bn_usd"]) for r in one], list(got.revenue_bn_usd))

    def test_a_directory_without_output_is_refused(self):
        d = out("empty")
        os.makedirs(d)
        with self.assertRaises(FileNotFoundError):
            tradesim.load(d)


class RunTest(unittest.TestCase):
    def test_an_in_process_run_equals_the_commands(self):
        d = out("cli_off")
        cli("run", SCENARIO, "--set", "measures.zte_denial.enabled=false", "--seed", "7", "-o", d)
        by_cli = tradesim.load(d)
        in_process = tradesim.run(SCENARIO, set={"measures.zte_denial.enabled": "false"}, seed=7,
                                  lib=tradesim.library(LIBRARY))
        for table in ("countries", "firms", "markets", "relations"):
            self.assertTrue(by_cli[table].equals(in_process[table]), table)

    def test_a_bad_override_raises_the_librarys_message(self):
        with self.assertRaises(tradesim.TradesimError) as caught:
            tradesim.run(SCENARIO, set={"model.nope": "1"}, lib=tradesim.library(LIBRARY))
        self.assertIn("unknown setting 'nope'", str(caught.exception))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=1)
