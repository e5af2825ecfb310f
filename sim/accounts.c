/* Accounts of a step (docs/model.md §7): firms' revenue, R&D, profit
 * and jobs; countries' CES price index, consumer welfare, producer profits,
 * trade, self-sufficiency in critical inputs and technology gap. */
#include <math.h>
#include "world.h"

/* R&D spending (docs/model.md §8; Dosi et al. 2010): intensity x
 * revenue, plus government support split among the country's firms by
 * revenue (by capacity when none has revenue). bn USD per step. */
static void rd_spending(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	double spy = s->run.steps_per_year;
	for (int x = 0; x < w->nc * w->ns; x++)
		w->revenue_cs[x] = 0.0;
	for (int c = 0; c < w->nc; c++)
		w->country_revenue[c] = 0.0;
	for (int i = 0; i < w->nf; i++) {
		const ts_firm_spec *f = &s->firms[i];
		w->revenue_cs[f->country * w->ns + f->sector] += w->revenue[i];
		w->country_revenue[f->country] += w->revenue[i];
	}
	for (int i = 0; i < w->nf; i++) {
		const ts_firm_spec *f = &s->firms[i];
		int x = f->country * w->ns + f->sector;
		double general = s->countries[f->country].rd_budget;
		double targeted = w->support_per_year[x];
		double share_country = w->country_revenue[f->country] > 0.0
		                           ? w->revenue[i] / w->country_revenue[f->country]
		                           : f->capacity / w->capacity_country[f->country];
		double share_sector = w->revenue_cs[x] > 0.0 ? w->revenue[i] / w->revenue_cs[x]
		                                             : f->capacity / w->capacity_cs[x];
		double subsidy = (general * share_country + targeted * share_sector) / spy;
		w->rd_spending[i] = f->rd_intensity * w->revenue[i] + subsidy;
		/* Own R&D is a cost; government support is not. */
		w->profit[i] = w->revenue[i] * (1.0 - 1.0 / w->markup[f->sector])
		               - f->fixed_cost / spy - f->rd_intensity * w->revenue[i];
		w->jobs[i] = f->jobs_per_bn * w->revenue[i] * spy;
	}
}

static void market_accounts(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	double *log_price_weight = w->country_scratch;
	for (int c = 0; c < w->nc; c++) {
		w->welfare[c] = w->price_index[c] = w->country_unmet[c] = 0.0;
		log_price_weight[c] = 0.0;
	}
	for (int m = 0; m < w->nmseg; m++) {
		const ts_mseg *ms = &w->msegs[m];
		int c = ms->country, k = ms->sector;
		int f0 = w->sector_firm_first[k], nfs = w->sector_firm_count[k];
		const double *row = w->sales + w->sales_offset[k] + (size_t)(m - w->sector_mseg_first[k]) * (size_t)nfs;
		for (int a = 0; a < nfs; a++) {
			int i = w->sector_firms[f0 + a];
			int home = s->firms[i].country;
			if (home != c && row[a] > 0.0) {
				w->imports[c] += row[a];
				w->exports[home] += row[a];
			}
		}
		w->country_unmet[c] += w->unmet[m];
		/* Real consumption at open-market step-0 prices: served / (P/P0). */
		if (isfinite(w->price_ratio[m])) {
			w->welfare[c] += w->served[m] / w->price_ratio[m];
			w->price_index[c] += w->demand[m] * log(w->price_ratio[m]);
			log_price_weight[c] += w->demand[m];
		}
	}
	/* Demand-weighted geometric mean of segment price ratios. */
	for (int c = 0; c < w->nc; c++)
		w->price_index[c] = log_price_weight[c] > 0.0 ? exp(w->price_index[c] / log_price_weight[c]) : 1.0;
}

static void country_totals(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	for (int c = 0; c < w->nc; c++)
		w->producer_profit[c] = w->country_jobs[c] = w->country_rd[c] = 0.0;
	for (int i = 0; i < w->nf; i++) {
		int c = s->firms[i].country;
		w->producer_profit[c] += w->profit[i];
		w->country_jobs[c] += w->jobs[i];
		w->country_rd[c] += w->rd_spending[i];
	}
}

void ts_accounts_technology(struct ts_sim *w)
{
	ts_world_refresh_tech(w);
	for (int k = 0; k < w->ns; k++) {
		w->frontier[k] = -INFINITY;
		for (int c = 0; c < w->nc; c++)
			w->frontier[k] = fmax(w->frontier[k], w->best_tech_cs[c * w->ns + k]);
	}
	/* Technology gap: mean over the sectors where the country has firms of
	 * (world frontier - its best firm), log-tech units; NaN with no firms. */
	for (int c = 0; c < w->nc; c++) {
		double gap = 0.0;
		int sectors = 0;
		for (int k = 0; k < w->ns; k++) {
			double best = w->best_tech_cs[c * w->ns + k];
			if (isfinite(best)) {
				gap += w->frontier[k] - best;
				sectors++;
			}
		}
		w->tech_gap[c] = sectors ? gap / sectors : NAN;
	}
}

void ts_accounts_update(struct ts_sim *w)
{
	for (int i = 0; i < w->nf; i++)
		w->revenue[i] = w->final_sales[i] + w->input_sales[i];
	rd_spending(w);
	market_accounts(w);
	country_totals(w);
}
