"""What did the Huawei listing cost Qualcomm, with uncertainty? Runs
huawei_2019_2020.cfg with and without the listing's four measures on seeds
1-20 in-process (common random numbers: the same seed on both sides), and
prints the mean loss of revenue over 2019Q2-2021Q4 with a 95% interval.
    /usr/bin/python3 analysis/listing_cost.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tradesim  # noqa: E402

SCENARIO = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "scenarios", "huawei_2019_2020.cfg")
NO_LISTING = {"measures.%s.enabled" % m: "false" for m in (
    "huawei_entity_list", "huawei_phones_entity_list", "huawei_us_market_ban", "huawei_gms_cut")}


def qualcomm_revenue(frames):
    firms = frames["firms"]
    window = firms[(firms.firm == "Qualcomm") & (firms.date >= "2019Q2") & (firms.date <= "2021Q4")]
    return window.revenue_bn_usd.sum()


losses = []
for seed in range(1, 21):
    listed = tradesim.run(SCENARIO, seed=seed)
    unlisted = tradesim.run(SCENARIO, set=NO_LISTING, seed=seed)
    losses.append(qualcomm_revenue(unlisted) - qualcomm_revenue(listed))
mean, sd = tradesim.mean_sd(losses)
half = 2.093 * sd / len(losses) ** 0.5  # t(0.975, 19 degrees of freedom)
print("Qualcomm's revenue lost to the listing, 2019Q2-2021Q4: %.2f bn USD [%.2f, %.2f] (95%%, 20 seeds)"
      % (mean, mean - half, mean + half))
