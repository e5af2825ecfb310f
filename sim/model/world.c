/* Allocation of the run state from a validated scenario. Everything a step
 * touches is allocated here, once; ts_world_release() frees it. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>
#include <tradesim/sim.h>
#include "scenario/policy.h"
#include "util/assert.h"
#include "model/timing.h"
#include "model/world.h"

/* Sizes of the state's tables: entity counts and their products. nmseg:
 * market segments with demand; nsales: the cells of sales[] (per sector,
 * its segments x its firms); the policy's: ncc = countries^2, nrules,
 * nmenu = rule menu entries, npa = pressure-ally pairs, ndeals, nmeasures;
 * nminst: measure instances, the scenario's plus those rules and pressure
 * can make. */
typedef struct ts_layout {
	size_t nc, ns, nf, nslots, nlinks, nmseg, nsales;
	size_t ncs, ncf, nfc, ncfg, ncsc;
	size_t ncc, nrules, nmenu, npa, ndeals, nmeasures, nminst, nseen;
	size_t npa_months;                   /* pairs x 12: a year of monthly draws at most */
	size_t npipeline;            /* capacity on order: a ring of max(1, lag steps) per firm (§16) */
	size_t ndense, ndense2;      /* active firms solved whole by the clearing (§5), its square */
	size_t nactive, nrank, nkrylov; /* the most firms of a sector (active rows), 7 and
	                              * TS_CLEAR_KRYLOV + 5 times that */
	size_t ncross;               /* ndense x a sector's most segments */
	size_t nf2, ns2;             /* firms x 2, sectors x 2: the clearing's two passes (clear_warm) */
	size_t ncs1;                 /* countries x sectors + 1 (home_first) */
	size_t npexc;                /* a quarter of nsales, + 1: the sparse segments' exceptions (exc_first) */
} ts_layout;

/* Every array of the state with its size, so that allocation and release
 * stay in step. */
#define TS_FOR_EACH_DOUBLE_ARRAY(X) \
	X(markup, z.ns) X(demand, z.nmseg) X(served, z.nmseg) X(unmet, z.nmseg) X(price_ratio, z.nmseg) \
	X(mseg_domestic_share, z.nmseg) X(mseg_hhi, z.nmseg) \
	X(sales, z.nsales) X(wedge_weight, z.nsales) X(receipt_share, z.nsales) X(tariff_share, z.nsales) X(cell_weight, z.nsales) X(cell_receipt, z.nsales) X(cell_export, z.nsales) \
	X(tech, z.nf) X(tech_next, z.nf) X(price, z.nf) X(base_weight, z.nf) X(supply_factor, z.nf) \
	X(cap_step, z.nf) X(desired, z.nf) X(final_sales, z.nf) X(input_sales, z.nf) \
	X(input_orders, z.nf) X(revenue, z.nf) X(profit, z.nf) X(rd_spending, z.nf) X(jobs, z.nf) \
	X(ceiling, z.nf) X(capacity_eff, z.nf) X(subsidy_rate, z.nf) X(dependence, z.nfc) \
	X(link_cut, z.nlinks) X(tariff_rate, z.ncf) X(compliance_cost, z.ncfg) X(tariff_before, z.ncf) X(compliance_before, z.ncfg) X(subsidy_before, z.nf) X(generic_dependence, z.ncsc) \
	X(tariff_revenue, z.nc) X(subsidy_spending, z.nc) X(capacity_budget, z.nc) \
	X(stock, z.nslots) X(stock_target, z.nslots) X(controlled, z.nslots) X(substituted, z.nslots) \
	X(shortfall, z.nslots) X(draw, z.nslots) X(restock, z.nslots) \
	X(derisk_cut, z.nlinks) X(link_shift, z.nlinks) X(shifted, z.nslots) X(shift_generic, z.nslots) X(shift_end, z.nslots) X(derisk_lost, z.nf) X(input_shift, z.nf) \
	X(pair_withheld, z.ncc) X(pair_shifted, z.ncc) \
	X(support_per_year, z.ncs) X(generic_tech, z.ncs) X(substitute_purchases, z.ncs) \
	X(capacity_cs, z.ncs) X(revenue_cs, z.ncs) X(best_tech_cs, z.ncs) \
	X(price_index, z.nc) X(welfare, z.nc) X(producer_profit, z.nc) X(exports, z.nc) X(imports, z.nc) \
	X(inputs_domestic, z.nc) X(inputs_total, z.nc) X(tech_gap, z.nc) X(country_rd, z.nc) \
	X(country_jobs, z.nc) X(country_unmet, z.nc) X(country_revenue, z.nc) X(home_mult, z.nc) \
	X(capacity_country, z.nc) X(country_scratch, z.nc) X(frontier, z.ns) \
	X(cost_markup, z.nf) X(jobs_share, z.nf) X(capacity_own, z.nf) X(expected_sales, z.nf) \
	X(expected_profit, z.nf) X(capacity_investment, z.nf) X(depreciation_share, z.nf) X(pipeline, z.npipeline) \
	X(imitation_weight, z.nf) X(sector_tech, z.nf) X(rd_level, z.nf) X(rd_applied, z.nf) X(rd_denial, z.nf) X(rd_gap0, z.nf) X(rd_keep, z.nf) X(rd_mean_keep, z.nf) \
	X(rd_denial_max, z.nc) X(rd_denied_revenue, z.nc) X(rd_denied_capacity, z.nc) \
	X(price_factor, z.nf) X(factor_weight, z.nf) X(output_cap, z.nf) X(relation, z.nsales) \
	X(clear_z, z.nf) X(clear_d, z.nf) X(clear_cs, z.nf) X(clear_inv_phi, z.nf) X(clear_f, z.nf) \
	X(clear_matrix, z.ndense2) X(clear_jacobian, z.ndense2) X(clear_cross_d, z.nactive) X(clear_cross_unit, z.nactive) X(clear_cross_scale, z.nactive) X(clear_cross_e, z.nactive) X(clear_cross_f, z.nactive) X(clear_rank, z.nrank) X(clear_cross_diag, z.nactive) X(clear_krylov, z.nkrylov) X(clear_seg_sum, z.nmseg) X(clear_cross_x, z.ncross) X(clear_cross_h, z.nmseg) X(clear_scatter, z.nmseg) X(clear_one, z.nmseg) X(fexc_alpha, z.nsales) X(fexc_beta, z.nsales) X(clear_weight, z.nf) X(clear_earn, z.nf) \
	X(clear_base, z.nf) X(clear_unit, z.nf) X(clear_act_unit, z.nf) X(omega_by_firm, z.nsales) X(receipt_by_firm, z.nsales) X(index_base, z.nf) X(index_factor, z.nf) \
	X(clear_spend, z.nmseg) X(clear_rest, z.nmseg) X(clear_total, z.nmseg) X(sales_pw, z.nmseg) X(sales_unit, z.nf) X(sales_pw1, z.nmseg) X(sales_unit1, z.nf) X(sales_ration, z.nf) X(row_scratch, z.nf) X(export_pw, z.nc) X(export_fix, z.nf) \
	X(exc_weight, z.nsales) X(exc_receipt, z.nsales) X(pexc_weight, z.npexc) X(pexc_receipt, z.npexc) X(clear_active, z.nmseg) X(clear_per_weight, z.nmseg) X(clear_inv_total, z.nmseg) X(clear_warm, z.nf2) \
	X(memo_phi, z.nf) X(memo_phi_weight, z.nf) X(memo_log_phi_at, z.nf) X(memo_log_phi, z.nf) X(clear_phi_slope, z.nactive) X(memo_tech, z.nf) X(memo_tech_weight, z.nf) \
	X(memo_price, z.nf) X(memo_price_weight, z.nf) X(resource_keep, z.nf) X(resource_mean_keep, z.nf) \
	X(rd_p_innovate, z.nf) X(rd_p_imitate, z.nf)

#define TS_FOR_EACH_OTHER_ARRAY(X) \
	X(mseg_firms_allowed, z.nmseg) X(sales_factored, z.nmseg) X(ties_settled, z.nmseg) X(mseg_barred, z.nmseg) X(mseg_tariffed, z.nmseg) \
	X(sector_order, z.ns) X(sector_firm_first, z.ns) X(sector_firm_count, z.ns) X(sector_firms, z.nf) \
	X(sector_mseg_first, z.ns) X(sector_mseg_count, z.ns) \
	X(constrained, z.nf) X(link_blocked, z.nlinks) X(ban, z.ncf) X(ban_before, z.ncf) X(mask_rows, z.nc) X(mask_rows_before, z.nc) X(cells_changed, z.ncs) X(inv_country_bans, z.nc) X(tech_denied, z.ncf) X(tech_denied_any, z.nf) X(controls_on, z.ncc) X(same_bloc, z.ncc) \
	X(msegs, z.nmseg) X(sales_offset, z.ns) X(minst, z.nminst) X(events, z.nminst) \
	X(pipeline_first, z.nf) X(pipeline_steps, z.nf) \
	X(clear_index, z.nf) X(clear_list, z.nf) X(short_pos, z.nf) X(exc_count, z.nmseg) X(exc_pos, z.nsales) X(pexc_pos, z.npexc) X(exc_first, z.nmseg) X(ration_pos, z.nf) X(ration_count, z.ns) X(fexc_count, z.nf) X(fexc_first, z.nf) X(fexc_seg, z.nsales) X(dense_seg, z.nmseg) X(dense_seg_count, z.ns) X(fexc_min_active, z.ns) X(fexc_built, z.ns) X(home_first, z.ncs1) X(home_pos, z.nf) X(clear_warm_step, z.ns2) X(home_country, z.nf) X(sector_home, z.nf) X(denial_sector, z.ncs)

/* Retaliation rules, deals, alliance pressure and tension. */
#define TS_FOR_EACH_POLICY_ARRAY(X) \
	X(tension, z.ncc) X(damage, z.ncc) X(damage_cum, z.ncc) X(export_loss_cum, z.ncc) X(fines, z.nc) \
	X(policy_scratch, z.nc) X(ref_revenue, z.nf) X(ref_output, z.nf) X(ref_share, z.nsales) X(ref_scale, z.nmseg) \
	X(hostile_count, z.ncc) X(hostile_last, z.ncc) X(rule_menu_inst, z.nmenu) X(rule_menu_rate, z.nmenu) X(rule_streak, z.nrules) \
	X(rule_seen, z.nseen) \
	X(pa_pressure, z.npa) X(pa_ally, z.npa) X(pa_inst, z.npa) X(pa_draw, z.npa_months) X(deal_step, z.ndeals) X(deal_mseg, z.ndeals) \
	X(stance, z.ncc) X(rule_triggered, z.nrules) X(lifted, z.nmeasures) X(pa_name, z.npa)

/* Whether country c's market for sector k has a segment g with demand. */
static int has_demand(const ts_scenario *s, int c, int k, int g)
{
	const ts_market_spec *mk = &s->markets[c * s->n_sectors + k];
	return mk->size > 0 && mk->segment_share[g] > 0;
}

static ts_layout count_layout(const ts_scenario *s, int npa)
{
	ts_layout z = {
		.nc = (size_t)s->n_countries, .ns = (size_t)s->n_sectors, .nf = (size_t)s->n_firms,
		.nslots = (size_t)s->n_slots, .nlinks = (size_t)s->n_links,
		.nrules = (size_t)s->n_rules, .nmenu = (size_t)s->n_rule_menu, .npa = (size_t)npa,
		.nseen = (size_t)s->n_rule_seen, .npa_months = 12 * (size_t)npa,
		.ndeals = (size_t)s->n_deals, .nmeasures = (size_t)s->n_measures,
		.nminst = (size_t)s->n_measures + (size_t)s->n_dynamic_measures,
	};
	z.ncs = z.nc * z.ns;
	z.ncf = z.nf * z.nc;
	z.nfc = z.ncf;
	z.ncfg = z.ncf * TS_SEG_COUNT;
	z.ncsc = z.ncs * z.nc;
	z.ncc = z.nc * z.nc;
	z.nf2 = 2 * z.nf;
	z.ncs1 = z.ncs + 1;
	z.ns2 = 2 * z.ns;
	for (int k = 0; k < s->n_sectors; k++) {
		size_t firms = 0, segments = 0;
		for (int i = 0; i < s->n_firms; i++)
			firms += s->firms[i].sector == k;
		for (int c = 0; c < s->n_countries; c++)
			for (int g = 0; g < TS_SEG_COUNT; g++)
				segments += (size_t)has_demand(s, c, k, g);
		z.nmseg += segments;
		z.nsales += segments * firms;
		z.ndense = firms > z.ndense ? firms : z.ndense;
		z.ncross = segments > z.ncross ? segments : z.ncross;
	}
	for (int i = 0; i < s->n_firms; i++)
		z.npipeline += (size_t)(ts_capacity_lag_steps(s, i) > 0 ? ts_capacity_lag_steps(s, i) : 1);
	z.npexc = z.nsales / 4 + 1;
	z.nactive = z.ndense;
	z.nrank = 7 * z.nactive;
	z.nkrylov = (TS_CLEAR_KRYLOV + 5) * z.nactive;
	if (z.ndense > TS_CLEAR_DENSE_MAX)
		z.ndense = TS_CLEAR_DENSE_MAX;
	z.ndense2 = z.ndense * z.ndense;
	z.ncross *= z.ndense;
	return z;
}

static int allocate_state(struct ts_sim *w, const ts_layout *layout, ts_error *err)
{
	const ts_layout z = *layout;
	int ok = 1;
#define TS_ALLOC(name, count) ok = ok && (w->name = calloc((count) ? (count) : 1, sizeof *w->name)) != NULL;
	TS_FOR_EACH_DOUBLE_ARRAY(TS_ALLOC)
	TS_FOR_EACH_OTHER_ARRAY(TS_ALLOC)
	TS_FOR_EACH_POLICY_ARRAY(TS_ALLOC)
#undef TS_ALLOC
	if (!ok)
		return ts_error_set(err, TS_ENOMEM, "out of memory allocating the run state");
	return TS_OK;
}

static int order_sectors(struct ts_sim *w, ts_error *err)
{
	int n_ordered = 0;
	/* The loader rejects cycles: only a hand-built scenario gets TS_EINPUT here. */
	return ts_sector_order(w->sector_order, &n_ordered, w->scn, err);
}

/* Firms grouped by sector, in file order within a sector. */
static void group_firms(struct ts_sim *w)
{
	int pos = 0;
	for (int i = 0; i < w->nf; i++)
		w->home_country[i] = w->scn->firms[i].country;
	for (int k = 0; k < w->ns; k++) {
		w->sector_firm_first[k] = pos;
		for (int i = 0; i < w->nf; i++)
			if (w->scn->firms[i].sector == k)
				w->sector_firms[pos++] = i;
		w->sector_firm_count[k] = pos - w->sector_firm_first[k];
	}
	for (int n = 0; n < w->nf; n++)
		w->sector_home[n] = w->home_country[w->sector_firms[n]];
	int at = 0;  /* each sector's firms by country, positions in order (home_pos) */
	for (int k = 0; k < w->ns; k++)
		for (int c = 0; c < w->nc; c++) {
			w->home_first[k * w->nc + c] = at;
			for (int a = 0; a < w->sector_firm_count[k]; a++)
				if (w->sector_home[w->sector_firm_first[k] + a] == c)
					w->home_pos[at++] = a;
		}
	w->home_first[w->ns * w->nc] = at;
}

/* Market segments with demand grouped by sector, and each sector's block of
 * sales[] (its segments x its firms). */
static void lay_out_segments(struct ts_sim *w, const ts_layout *z)
{
	const ts_scenario *s = w->scn;
	int m = 0;
	size_t offset = 0;
	for (int k = 0; k < w->ns; k++) {
		w->sector_mseg_first[k] = m;
		for (int c = 0; c < w->nc; c++) {
			const ts_market_spec *mk = &s->markets[c * w->ns + k];
			for (int g = 0; g < TS_SEG_COUNT; g++) {
				if (!has_demand(s, c, k, g))
					continue;
				ts_mseg *ms = &w->msegs[m++];
				ms->country = c;
				ms->sector = k;
				ms->segment = (ts_segment)g;
				/* Spending per step (docs/model.md §5). */
				ms->base_demand = mk->size * mk->segment_share[g] / s->run.steps_per_year;
				ms->log_growth_per_step = log1p(mk->growth) / s->run.steps_per_year;
			}
		}
		w->sector_mseg_count[k] = m - w->sector_mseg_first[k];
		w->sales_offset[k] = offset;
		offset += (size_t)w->sector_mseg_count[k] * (size_t)w->sector_firm_count[k];
	}
	TS_ASSERT((size_t)m == z->nmseg && offset == z->nsales);
	(void)z;
}

/* Prices, capacities, wedges, measures and stockpiles before step 0. */
static void set_initial_state(struct ts_sim *w, const ts_layout *z)
{
	const ts_scenario *s = w->scn;
	for (int k = 0; k < w->ns; k++) {
		double sigma = s->sectors[k].elasticity;
		w->markup[k] = sigma / (sigma - 1.0);  /* CES monopolistic competition markup */
		w->clear_warm_step[k] = w->clear_warm_step[w->ns + k] = INT_MIN;  /* never solved */
	}
	for (int i = 0; i < w->nf; i++) {
		const ts_firm_spec *f = &s->firms[i];
		w->tech[i] = f->tech;
		w->price[i] = w->markup[f->sector] * f->unit_cost;
		w->supply_factor[i] = 1.0;
		w->price_factor[i] = 1.0;  /* below the knee until the first clearing (§5) */
		w->clear_warm[i] = w->clear_warm[w->nf + i] = 0.0;  /* z of phi = 1 */
		w->factor_weight[i] = 1.0;
		w->memo_phi[i] = w->memo_log_phi_at[i] = w->memo_tech[i] = w->memo_price[i] = NAN;  /* nothing kept yet */
		ts_resourcing r = ts_supply_resourcing(f->substitution_half_life, 1.0 / s->run.steps_per_year);
		w->resource_keep[i] = r.keep;
		w->resource_mean_keep[i] = r.mean_keep;
		w->output_cap[i] = INFINITY;
		w->capacity_eff[i] = f->capacity;
		w->capacity_cs[f->country * w->ns + f->sector] += f->capacity;
		w->capacity_country[f->country] += f->capacity;
	}
	for (int c = 0; c < w->nc; c++)
		w->home_mult[c] = exp(s->countries[c].home_bias);
	for (size_t x = 0; x < z->nsales; x++) {  /* no wedge before any measure */
		w->wedge_weight[x] = 1.0;
		w->receipt_share[x] = 1.0;
	}
	ts_market_cell_weights(w, NULL);
	ts_measures_dependence(w);
	for (int j = 0; j < w->nm; j++) {
		const ts_measure_spec *spec = &s->measures[j];
		/* A disabled measure never starts (counterfactuals, docs/scenario.md). */
		int inst = ts_measures_add(w, j, spec->actor, spec->enabled ? spec->start : INT_MAX, spec->end, spec->id, "");
		TS_ASSERT(inst == j);  /* scenario measure j is instance j: alliances.c reads it so */
		(void)inst;
	}
	for (int q = 0; q < w->nslots; q++) {
		w->stock[q] = s->slots[q].stockpile;
		w->stock_target[q] = s->slots[q].stockpile;
	}
}

/* Step -1: the open market before any measure, which gives step 0 the
 * price factors it warm-starts from and the sales the policy's reference
 * revenues start from (every phase reads the previous step), then the reference price indexes
 * (every firm allowed, step-0 technology, the open market's price
 * factors, §5). Once: the markets read no intermediate orders (§5, §6). */
static void solve_open_market(struct ts_sim *w)
{
	w->step = 0;
	ts_market_prepare(w);
	ts_market_allocate(w);
	ts_supply_purchases(w);
	for (int j = 0; j < w->nmseg; j++)
		w->msegs[j].p0 = ts_market_price_index(w, j, 1);
	for (int j = 0; j < w->nmseg; j++) {  /* as ts_market_allocate() would with P0 known */
		double index = ts_market_price_index(w, j, 0);
		w->price_ratio[j] = isfinite(index) ? index / w->msegs[j].p0 : NAN;
	}
	ts_accounts_technology(w);
}

/* Firms' own accounts and dynamics (docs/model.md §7, §16) from the open
 * market before step 0: revenue over cost of goods, mu_i = 1 / (1 -
 * gross_margin_i); jobs and expectations as if that market had lasted; the
 * per-step shares of the yearly rates; each firm's ring of capacity on
 * order (empty). */
static void init_firm_dynamics(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	double spy = s->run.steps_per_year, dt = 1.0 / spy;
	w->expectation_share = ts_step_share_of_half_life(s->model.expectation_half_life, dt);
	int first = 0;
	for (int i = 0; i < w->nf; i++) {
		const ts_firm_spec *f = &s->firms[i];
		const ts_firm_dynamics *d = &f->dynamics;
		double revenue = w->final_sales[i] + w->input_sales[i];
		w->cost_markup[i] = 1.0 / (1.0 - f->gross_margin);
		w->jobs_share[i] = ts_step_share_of_half_life(d->jobs_half_life, dt);
		w->jobs[i] = f->jobs_per_bn * revenue * spy;
		w->capacity_own[i] = f->capacity;
		double real = w->final_sales[i] / w->price_factor[i] + w->input_sales[i];  /* §7 */
		w->expected_sales[i] = real * spy;
		w->expected_profit[i] = (revenue * (1.0 - f->rd_intensity) - real / w->cost_markup[i]) * spy
		                        - f->fixed_cost;
		w->depreciation_share[i] = ts_step_share_of_rate(d->depreciation, dt);
		w->pipeline_steps[i] = ts_capacity_lag_steps(s, i);
		w->pipeline_first[i] = first;
		first += w->pipeline_steps[i] > 0 ? w->pipeline_steps[i] : 1;
	}
}

/* The firms' generator, seeded with the run seed, and the policy's own
 * (docs/model.md §9): rules never shift R&D draws. */
static int start_generators(struct ts_sim *w, uint32_t seed, ts_error *err)
{
	w->policy_rng = gsl_rng_alloc(gsl_rng_mt19937);
	w->pressure_rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!w->policy_rng || !w->pressure_rng)
		return ts_error_set(err, TS_ENOMEM, "out of memory allocating the random generators");
	ts_mt19937_seed(&w->rng, seed);
	uint32_t policy_seed = seed ^ 0x9e3779b9u;  /* a stream of its own, still set by the run seed */
	gsl_rng_set(w->policy_rng, policy_seed ? policy_seed : 0x9e3779b9u);
	uint32_t pressure_seed = seed ^ 0x85ebca6bu;  /* alliance pressure's, on a monthly clock (§12) */
	gsl_rng_set(w->pressure_rng, pressure_seed ? pressure_seed : 0x85ebca6bu);
	return TS_OK;
}

int ts_world_init(struct ts_sim *w, const ts_scenario *s, uint32_t seed, ts_error *err)
{
	memset(w, 0, sizeof *w);
	w->scn = s;
	w->failed_step = -1;
	w->npa = ts_policy_pressure_pairs(s);
	ts_layout z = count_layout(s, w->npa);
	w->nc = s->n_countries;
	w->ns = s->n_sectors;
	w->nf = s->n_firms;
	w->nslots = s->n_slots;
	w->nlinks = s->n_links;
	w->nm = s->n_measures;
	w->nmseg = (int)z.nmseg;
	w->cap_minst = (int)z.nminst;
	w->clear_dense = (int)z.ndense;

	int rc = allocate_state(w, &z, err);
	if (rc == TS_OK)
		rc = order_sectors(w, err);
	if (rc == TS_OK) {
		group_firms(w);
		lay_out_segments(w, &z);
		set_initial_state(w, &z);
		solve_open_market(w);
		init_firm_dynamics(w);
		ts_innovation_init(w);
		ts_derisk_init(w);
		rc = start_generators(w, seed, err);
	}
	if (rc == TS_OK)
		rc = ts_alliances_init(w, err);
	if (rc != TS_OK) {
		ts_world_release(w);
		return rc;
	}
	ts_rules_init(w);
	ts_deals_init(w);
	ts_tension_init(w);
	return TS_OK;
}

void ts_world_release(struct ts_sim *w)
{
#define TS_FREE(name, count) free(w->name); w->name = NULL;
	TS_FOR_EACH_DOUBLE_ARRAY(TS_FREE)
	TS_FOR_EACH_OTHER_ARRAY(TS_FREE)
	TS_FOR_EACH_POLICY_ARRAY(TS_FREE)
#undef TS_FREE
	free(w->pa_names);  /* ts_alliances_init() */
	w->pa_names = NULL;
	if (w->policy_rng)
		gsl_rng_free(w->policy_rng);
	if (w->pressure_rng)
		gsl_rng_free(w->pressure_rng);
	w->policy_rng = w->pressure_rng = NULL;
}
