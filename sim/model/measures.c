/* Measures: start and end them, and turn the set in force into the masks
 * and wedges the other phases read (docs/model.md §3): bans, blocked supply
 * links with their licensed shares, denied technology, R&D budgets, tariff
 * and compliance price wedges, subsidies, and capacity built by investment. */
#include <limits.h>
#include <math.h>
#include <string.h>
#include "util/assert.h"
#include "util/fminmax.h"
#include "model/world.h"

int ts_measure_covers_sector(const ts_scenario *s, const ts_measure_spec *m, int sector)
{
	if (m->n_sectors == 0)
		return 1;
	for (int k = 0; k < m->n_sectors; k++)
		if (s->measure_sectors[m->sector_first + k] == sector)
			return 1;
	return 0;
}

int ts_measure_bears_on_firm(const ts_scenario *s, const ts_measure_spec *m, int actor, int firm)
{
	if (m->target_firm >= 0)
		return m->target_firm == firm;
	if (m->target_country >= 0)
		return s->firms[firm].country == m->target_country;
	return m->kind == TS_MEASURE_COMPLIANCE && s->firms[firm].country != actor;
}

static void apply_ban(struct ts_sim *w, const ts_measure_spec *m, int actor, unsigned char bits)
{
	const ts_scenario *s = w->scn;
	for (int i = 0; i < w->nf; i++)
		if (ts_measure_bears_on_firm(s, m, actor, i) && ts_measure_covers_sector(s, m, s->firms[i].sector))
			w->ban[actor * w->nf + i] |= bits;
}

/* docs/model.md §3.2: dependence of firm j on country c's technology is the
 * firm's `tech_dependence` for c if it gives one (0 for countries it leaves
 * out), else the cost-share-weighted share of its critical inputs bought from
 * c, D_jc = sum_q cs_q sum_{l in q, from c} s_l / sum_q cs_q (0 without
 * inputs). Generic producers of sector k in country K: the mean over K's firms
 * in k, 0 without any. */
void ts_measures_dependence(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	int nc = w->nc;
	for (int i = 0; i < w->nf; i++) {
		const ts_firm_spec *f = &s->firms[i];
		double *d = w->dependence + (size_t)i * (size_t)nc;
		for (int c = 0; c < nc; c++)
			d[c] = 0.0;
		if (f->n_tech_dependence > 0) {
			for (int e = f->tech_dependence_first; e < f->tech_dependence_first + f->n_tech_dependence; e++)
				d[s->tech_dependence[e].country] = s->tech_dependence[e].share;
			continue;
		}
		double total_share = 0.0;
		for (int q = f->slot_first; q < f->slot_first + s->sectors[f->sector].n_inputs; q++) {
			const ts_slot_spec *slot = &s->slots[q];
			total_share += slot->cost_share;
			for (int l = slot->link_first; l < slot->link_first + slot->n_links; l++)
				d[s->links[l].supplier_country] += slot->cost_share * s->links[l].share;
		}
		for (int c = 0; c < nc && total_share > 0.0; c++)
			d[c] /= total_share;
	}
	for (size_t x = 0; x < (size_t)nc * (size_t)w->ns * (size_t)nc; x++)
		w->generic_dependence[x] = 0.0;
	for (int x = 0; x < nc * w->ns; x++)
		w->revenue_cs[x] = 0.0;  /* scratch: firm counts */
	for (int i = 0; i < w->nf; i++) {
		int x = s->firms[i].country * w->ns + s->firms[i].sector;
		w->revenue_cs[x] += 1.0;
		for (int c = 0; c < nc; c++)
			w->generic_dependence[(size_t)x * (size_t)nc + (size_t)c] += w->dependence[(size_t)i * (size_t)nc + (size_t)c];
	}
	for (int x = 0; x < nc * w->ns; x++) {
		for (int c = 0; c < nc && w->revenue_cs[x] > 0.0; c++)
			w->generic_dependence[(size_t)x * (size_t)nc + (size_t)c] /= w->revenue_cs[x];
		w->revenue_cs[x] = 0.0;
	}
}

/* docs/model.md §3.2: the actor's firms and generic producers stop supplying
 * the target in the covered input sectors, except the licensed share; with
 * the foreign-direct-product rule also every other supplier whose dependence
 * on the actor's technology is at or above the threshold. With tech_denial
 * the target can no longer imitate the actor's firms. */
static void apply_export_control(struct ts_sim *w, const ts_measure_spec *m, int actor)
{
	const ts_scenario *s = w->scn;
	double cut = 1.0 - m->licence_share;
	for (int i = 0; i < w->nf; i++) {
		if (!ts_measure_bears_on_firm(s, m, actor, i))
			continue;
		if (m->tech_denial)
			w->tech_denied[actor * w->nf + i] = w->tech_denied_any[i] = 1;
		if (cut > 0.0)  /* the actor controls exports to the firm's country (de-risking, §17) */
			w->controls_on[actor * w->nc + s->firms[i].country] = 1;
		const ts_firm_spec *f = &s->firms[i];
		int n_slots = s->sectors[f->sector].n_inputs;
		for (int q = f->slot_first; q < f->slot_first + n_slots; q++) {
			const ts_slot_spec *slot = &s->slots[q];
			if (!ts_measure_covers_sector(s, m, slot->input_sector))
				continue;
			for (int l = slot->link_first; l < slot->link_first + slot->n_links; l++) {
				const ts_link_spec *link = &s->links[l];
				int bound = link->supplier_country == actor;
				if (!bound && m->foreign_direct_product) {
					double d = link->supplier_firm >= 0
					               ? w->dependence[(size_t)link->supplier_firm * (size_t)w->nc + (size_t)actor]
					               : w->generic_dependence[((size_t)link->supplier_country * (size_t)w->ns +
					                                        (size_t)slot->input_sector) * (size_t)w->nc + (size_t)actor];
					bound = d >= m->fdp_threshold;
				}
				if (bound && cut > 0.0) {
					w->link_blocked[l] = 1;
					w->link_cut[l] = ts_fmax(w->link_cut[l], cut);
				}
			}
		}
	}
}

static void apply_rd_investment(struct ts_sim *w, const ts_measure_spec *m, int actor)
{
	for (int k = 0; k < w->ns; k++)
		if (ts_measure_covers_sector(w->scn, m, k))
			w->support_per_year[actor * w->ns + k] += m->budget;
}

/* docs/model.md §3.1: duties on the target country's firms in the actor's
 * markets at the instance's rate (§10: a rule may size it); two tariffs on
 * one flow add up. */
static void apply_tariff(struct ts_sim *w, const ts_measure_spec *m, int actor, double rate)
{
	const ts_scenario *s = w->scn;
	for (int i = 0; i < w->nf; i++)
		if (s->firms[i].country == m->target_country && ts_measure_covers_sector(s, m, s->firms[i].sector))
			w->tariff_rate[actor * w->nf + i] += rate;
}

/* docs/model.md §3.3: foreign (or targeted) firms pay the compliance cost in
 * the covered segments of the actor's markets; a firm refusing the
 * requirement leaves those segments instead. */
static void apply_compliance(struct ts_sim *w, const ts_measure_spec *m, int actor)
{
	const ts_scenario *s = w->scn;
	unsigned bits = m->all_segments ? (1u << TS_SEG_COUNT) - 1u : 1u << m->segment;
	for (int i = 0; i < w->nf; i++) {
		const ts_firm_spec *f = &s->firms[i];
		if (!ts_measure_bears_on_firm(s, m, actor, i) || f->country == actor ||
		    !ts_measure_covers_sector(s, m, f->sector))
			continue;
		size_t x = (size_t)actor * (size_t)w->nf + (size_t)i;
		if (f->refuses & (1u << m->requirement)) {
			w->ban[x] |= (unsigned char)bits;
			continue;
		}
		for (int g = 0; g < TS_SEG_COUNT; g++)
			if (bits & (1u << g))
				w->compliance_cost[x * TS_SEG_COUNT + (size_t)g] += m->cost;
	}
}

/* docs/model.md §3.4: the actor pays `rate` of its own firms' unit cost in
 * the covered sectors; all subsidies together pay at most 90%. */
static void apply_subsidy(struct ts_sim *w, const ts_measure_spec *m, int actor)
{
	const ts_scenario *s = w->scn;
	for (int i = 0; i < w->nf; i++)
		if (s->firms[i].country == actor && ts_measure_covers_sector(s, m, s->firms[i].sector))
			w->subsidy_rate[i] = ts_fmin(0.9, w->subsidy_rate[i] + m->rate);
}

/* docs/model.md §3.1: the buyer's price in segment g of country c is
 *     p_i (1 - subsidy_i) W,  W = (1 + t_ci) (1 + k_cig / (mu (1 - subsidy_i))),
 * with t the tariff and k the compliance cost as a fraction of unit cost
 * (so cost k adds k x unit_cost to the price). The CES weight gets W^(1 - sigma).
 * In the segments of the country-sectors marked in cells_changed. */
static void rebuild_wedges(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	for (int k = 0; k < w->ns; k++) {
		int f0 = w->sector_firm_first[k], nfs = w->sector_firm_count[k];
		int m0 = w->sector_mseg_first[k], nms = w->sector_mseg_count[k];
		double sigma = s->sectors[k].elasticity, mu = w->markup[k];
		for (int b = 0; b < nms; b++) {
			const ts_mseg *ms = &w->msegs[m0 + b];
			if (!w->cells_changed[ms->country * w->ns + k])
				continue;
			size_t row = w->sales_offset[k] + (size_t)b * (size_t)nfs;
			for (int a = 0; a < nfs; a++) {
				int i = w->sector_firms[f0 + a];
				size_t x = (size_t)ms->country * (size_t)w->nf + (size_t)i;
				double t = w->tariff_rate[x];
				double cost = w->compliance_cost[x * TS_SEG_COUNT + (size_t)ms->segment];
				double wedge = (1.0 + t) * (1.0 + cost / (mu * (1.0 - w->subsidy_rate[i])));
				w->wedge_weight[row + (size_t)a] = wedge == 1.0 ? 1.0 : pow(wedge, 1.0 - sigma);
				w->receipt_share[row + (size_t)a] = 1.0 / wedge;
				w->tariff_share[row + (size_t)a] = t / (1.0 + t);
			}
		}
	}
}

/* Every mask and wedge back to the open market's: of the rows by country,
 * those that may hold something (mask_rows). */
static void clear_masks(struct ts_sim *w)
{
	size_t ncf = (size_t)w->nc * (size_t)w->nf, nf = (size_t)w->nf;
	for (int c = 0; c < w->nc; c++) {
		if (!w->mask_rows[c])
			continue;
		size_t at = (size_t)c * nf;
		memset(w->ban + at, 0, nf);
		for (size_t x = at; x < at + nf; x++)
			w->tariff_rate[x] = 0.0;
		for (size_t x = at * TS_SEG_COUNT; x < (at + nf) * TS_SEG_COUNT; x++)
			w->compliance_cost[x] = 0.0;
		w->mask_rows[c] = 0;
	}
	memset(w->tech_denied, 0, ncf);
	memset(w->tech_denied_any, 0, (size_t)w->nf);
	memset(w->link_blocked, 0, (size_t)w->nlinks);
	memset(w->controls_on, 0, (size_t)w->nc * (size_t)w->nc);
	for (int l = 0; l < w->nlinks; l++)
		w->link_cut[l] = 0.0;
	for (int x = 0; x < w->nc * w->ns; x++)
		w->support_per_year[x] = 0.0;
	for (int i = 0; i < w->nf; i++)
		w->subsidy_rate[i] = 0.0;
}

/* Adds one measure in force, instance x, to the masks. */
static void apply_measure(struct ts_sim *w, const ts_minst *x)
{
	const ts_measure_spec *m = &w->scn->measures[x->spec];
	int actor = x->actor;
	w->mask_rows[actor] = 1;  /* the apply_ functions write the actor's rows alone */
	switch (m->kind) {
	case TS_MEASURE_MARKET_BAN:
		apply_ban(w, m, actor, (1u << TS_SEG_COUNT) - 1u);
		break;
	case TS_MEASURE_PROCUREMENT_BAN:
		apply_ban(w, m, actor, (unsigned char)(1u << m->segment));
		break;
	case TS_MEASURE_EXPORT_CONTROL:
		apply_export_control(w, m, actor);
		break;
	case TS_MEASURE_RD_INVESTMENT:
		apply_rd_investment(w, m, actor);
		break;
	case TS_MEASURE_TARIFF:
		apply_tariff(w, m, actor, x->rate);
		break;
	case TS_MEASURE_COMPLIANCE:
		apply_compliance(w, m, actor);
		break;
	case TS_MEASURE_SUBSIDY:
		apply_subsidy(w, m, actor);
		break;
	case TS_MEASURE_CAPACITY_INVESTMENT:  /* by step: update_capacity() */
	case TS_MEASURE_ALLIANCE_PRESSURE:    /* acts through the measures allies adopt */
	case TS_MEASURE_KIND_COUNT:
		break;
	}
}

#define TS_SWAP(type, a, b) do { type *t_ = (a); (a) = (b); (b) = t_; } while (0)

/* Marks in cells_changed the country-sectors whose cells the masks just
 * rebuilt move: where a firm of the sector has another ban, tariff or
 * compliance cost in the country than before, or another subsidy (its
 * price moves in every country). */
static void mark_changed_cells(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	int nf = w->nf, ns = w->ns;
	memset(w->cells_changed, w->cells_rebuild_all, (size_t)w->nc * (size_t)ns);
	for (int c = 0; c < w->nc; c++) {
		/* A country whose masks are the same bits as before has no firm
		 * that moved (no mask is NaN: the scenario's rates are checked);
		 * most countries, at most steps. */
		size_t at = (size_t)c * (size_t)nf;
		if (!w->mask_rows[c] && !w->mask_rows_before[c])  /* both all zeros */
			continue;
		if (memcmp(w->ban + at, w->ban_before + at, (size_t)nf) == 0 &&
		    memcmp(w->tariff_rate + at, w->tariff_before + at, (size_t)nf * sizeof *w->tariff_rate) == 0 &&
		    memcmp(w->compliance_cost + at * TS_SEG_COUNT, w->compliance_before + at * TS_SEG_COUNT,
		           (size_t)nf * TS_SEG_COUNT * sizeof *w->compliance_cost) == 0)
			continue;
		for (int i = 0; i < nf; i++) {
			size_t x = (size_t)c * (size_t)nf + (size_t)i;
			int moved = w->ban[x] != w->ban_before[x] || w->tariff_rate[x] != w->tariff_before[x];
			for (int g = 0; g < TS_SEG_COUNT; g++)
				moved |= w->compliance_cost[x * TS_SEG_COUNT + (size_t)g] != w->compliance_before[x * TS_SEG_COUNT + (size_t)g];
			if (moved)
				w->cells_changed[c * ns + s->firms[i].sector] = 1;
		}
	}
	for (int i = 0; i < nf; i++)
		for (int c = 0; c < w->nc && w->subsidy_rate[i] != w->subsidy_before[i]; c++)
			w->cells_changed[c * ns + s->firms[i].sector] = 1;
}

/* The masks from the measures in force, built into the arrays of the masks
 * before (those become the masks before), then the wedges and cell weights
 * of the country-sectors whose masks moved. */
static void rebuild_masks(struct ts_sim *w)
{
	TS_SWAP(unsigned char, w->ban, w->ban_before);
	TS_SWAP(double, w->tariff_rate, w->tariff_before);
	TS_SWAP(double, w->compliance_cost, w->compliance_before);
	TS_SWAP(unsigned char, w->mask_rows, w->mask_rows_before);
	TS_SWAP(double, w->subsidy_rate, w->subsidy_before);
	clear_masks(w);
	for (int j = 0; j < w->n_minst; j++)
		if (w->minst[j].active)
			apply_measure(w, &w->minst[j]);
	mark_changed_cells(w);
	rebuild_wedges(w);
	ts_market_cell_weights(w, w->cells_changed);
}

/* docs/model.md §3.5: an investment of capacity K over n build steps from
 * start adds K min(1, (t - start + 1) / n) at step t (all of it at once when
 * n = 0); building stops at the measure's end and what is built stays. The
 * actor pays budget / steps_per_year in each building step. */
static void update_capacity(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	double spy = s->run.steps_per_year;
	for (int c = 0; c < w->nc; c++)
		w->capacity_budget[c] = 0.0;
	for (int i = 0; i < w->nf; i++)
		w->capacity_eff[i] = w->capacity_own[i];  /* the firm's own capacity (§16), then what is built */
	for (int j = 0; j < w->n_minst; j++) {
		const ts_minst *x = &w->minst[j];
		const ts_measure_spec *m = &s->measures[x->spec];
		if (m->kind != TS_MEASURE_CAPACITY_INVESTMENT || x->start == INT_MAX || w->step < x->start)
			continue;
		long long last = x->end == INT_MAX ? w->step : (long long)ts_fmin(w->step, (double)x->end - 1.0);
		long long built_steps = last - x->start + 1;
		double built = m->build_steps == 0 ? 1.0 : ts_fmin(1.0, (double)built_steps / m->build_steps);
		w->capacity_eff[m->target_firm] += m->capacity * ts_fmax(0.0, built);
		if (w->step < x->end && w->step - (long long)x->start < m->build_steps)
			w->capacity_budget[x->actor] += m->budget / spy;
	}
	for (int x = 0; x < w->nc * w->ns; x++)
		w->capacity_cs[x] = 0.0;
	for (int c = 0; c < w->nc; c++)
		w->capacity_country[c] = 0.0;
	for (int i = 0; i < w->nf; i++) {
		const ts_firm_spec *f = &s->firms[i];
		w->capacity_cs[f->country * w->ns + f->sector] += w->capacity_eff[i];
		w->capacity_country[f->country] += w->capacity_eff[i];
	}
}

int ts_measures_add(struct ts_sim *w, int spec, int actor, int start, int end,
                    const char *id, const char *cause)
{
	TS_ASSERT(w->n_minst < w->cap_minst);
	TS_ASSERT(spec >= 0 && spec < w->nm && actor >= 0 && actor < w->nc);
	if (w->n_minst >= w->cap_minst)
		return -1;  /* release builds: add nothing rather than write past the table */
	w->minst[w->n_minst] = (ts_minst){ .spec = spec, .actor = actor, .start = start, .end = end,
	                                   .id = id, .cause = cause ? cause : "", .end_cause = "",
	                                   .rate = w->scn->measures[spec].rate, .active = 0 };
	return w->n_minst++;
}

/* Events of the step are the instances whose state changed (appended to
 * those of the step so far; the engine empties the list as a step begins). */
void ts_measures_update(struct ts_sim *w)
{
	int changed = 0;
	for (int j = 0; j < w->n_minst; j++) {
		ts_minst *x = &w->minst[j];
		unsigned char now = (unsigned char)(w->step >= x->start && w->step < x->end);
		if (now == x->active)
			continue;
		x->active = now;
		w->events[w->n_events].inst = j;
		w->events[w->n_events].action = now ? TS_EVENT_START : TS_EVENT_END;
		w->events[w->n_events].cause = now ? x->cause : x->end_cause;
		w->n_events++;
		changed = 1;
	}
	if (changed || w->rates_changed)  /* §10: a rule resized a tariff in force */
		rebuild_masks(w);
	w->rates_changed = 0;
	update_capacity(w);
}
