/* Retaliation rules, deals, alliance pressure, the tension index and
 * anticipation (docs/model.md §10-§13). Every decision at step t reads the
 * state left by step t-1 (which measures were in force, the damage of the
 * step) and acts by scheduling measure instances that ts_measures_update()
 * then starts or ends. Random draws come from the policy's own generator,
 * a fixed number per rule and per pressure-ally pair each step, so that a
 * rule added or a noise level changed never shifts another draw. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/policy.h"
#include "model/world.h"

const char *const ts_stance_names[TS_STANCE_COUNT] = { "none", "cooperate", "defect" };

/* Cause of a rule's measure when the rival did nothing: noise made the
 * rule see hostility. End cause of measures a negotiate rule lifts. */
static const char misperception[] = "misperception";
static const char negotiated[] = "negotiated";

/* Whether measure m imposed by `actor` is hostile toward country b. */
static int aims_at(const ts_scenario *s, const ts_measure_spec *m, int actor, int b)
{
	if (!ts_policy_kind_is_aimed(m->kind) || actor == b)
		return 0;
	int target = ts_measure_target_country(s, m);
	return target >= 0 ? target == b : m->kind == TS_MEASURE_COMPLIANCE;
}

static int in_force(const struct ts_sim *w, int inst, int step)
{
	return inst >= 0 && w->minst[inst].start <= step && step < w->minst[inst].end;
}

int ts_policy_init(struct ts_sim *w, uint32_t seed)
{
	const ts_scenario *s = w->scn;
	int nc = w->nc;
	for (int x = 0; x < nc * nc; x++)
		w->hostile_last[x] = -1;
	for (int q = 0; q < s->n_rule_menu; q++)
		w->rule_menu_inst[q] = -1;
	for (int r = 0; r < s->n_rules; r++) {
		const ts_rule_spec *rule = &s->rules[r];
		w->stance[rule->country * nc + rule->rival] =
			rule->kind == TS_RULE_NONE ? TS_STANCE_NONE : TS_STANCE_COOPERATE;
	}

	/* Pressure-ally pairs and their copies' names, "<measure>@<ally>". */
	size_t name_bytes = 1;
	int n = 0;
	for (int j = 0; j < s->n_measures; j++) {
		int count = ts_policy_pressure_allies(s, j, w->pa_ally + n);
		for (int p = n; p < n + count; p++) {
			w->pa_pressure[p] = j;
			w->pa_inst[p] = -1;
			name_bytes += strlen(s->measures[s->measures[j].pressed_measure].id) +
				      strlen(s->countries[w->pa_ally[p]].id) + 2;
		}
		n += count;
	}
	w->pa_names = malloc(name_bytes);
	if (!w->pa_names)
		return -1;
	char *at = w->pa_names;
	for (int p = 0; p < w->npa; p++) {
		const char *measure = s->measures[s->measures[w->pa_pressure[p]].pressed_measure].id;
		const char *ally = s->countries[w->pa_ally[p]].id;
		size_t lm = strlen(measure), la = strlen(ally);
		memcpy(at, measure, lm);
		at[lm] = '@';
		memcpy(at + lm + 1, ally, la + 1);
		w->pa_name[p] = at;
		at += lm + la + 2;
	}

	/* A deal's purchase goes to the buyer's biggest segment of the sector. */
	for (int d = 0; d < s->n_deals; d++) {
		const ts_deal_spec *deal = &s->deals[d];
		w->deal_step[d] = w->deal_mseg[d] = -1;
		if (deal->purchase <= 0 || deal->buyer < 0 || deal->sector < 0)
			continue;
		int k = deal->sector;
		for (int m = w->sector_mseg_first[k]; m < w->sector_mseg_first[k] + w->sector_mseg_count[k]; m++)
			if (w->msegs[m].country == deal->buyer &&
			    (w->deal_mseg[d] < 0 || w->msegs[m].base_demand > w->msegs[w->deal_mseg[d]].base_demand))
				w->deal_mseg[d] = m;
	}

	/* References from the open market solved before step 0. */
	for (int k = 0; k < w->ns; k++) {
		int nfs = w->sector_firm_count[k];
		for (int b = 0; b < w->sector_mseg_count[k]; b++) {
			int m = w->sector_mseg_first[k] + b;
			for (int a = 0; a < nfs; a++) {
				size_t x = w->sales_offset[k] + (size_t)b * (size_t)nfs + (size_t)a;
				w->ref_share[x] = w->demand[m] > 0.0 ? w->sales[x] / w->demand[m] : 0.0;
			}
		}
	}
	for (int i = 0; i < w->nf; i++)
		w->ref_revenue[i] = w->final_sales[i] + w->input_sales[i];

	w->policy_rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!w->policy_rng)
		return -1;
	uint32_t policy_seed = seed ^ 0x9e3779b9u;  /* a stream of its own, still set by the run seed */
	gsl_rng_set(w->policy_rng, policy_seed ? policy_seed : 0x9e3779b9u);
	return 0;
}

void ts_policy_release(struct ts_sim *w)
{
	free(w->pa_names);
	w->pa_names = NULL;
	if (w->policy_rng)
		gsl_rng_free(w->policy_rng);
	w->policy_rng = NULL;
}

/* ---- deals (§11) ---- */

static int deal_lifts(const ts_scenario *s, const ts_deal_spec *d, int measure)
{
	for (int q = d->lifts_first; q < d->lifts_first + d->n_lifts; q++)
		if (s->deal_lifts[q] == measure)
			return 1;
	return 0;
}

/* A deal triggers the first step t >= earliest at which, at the end of t-1,
 * one of its measures was in force and each side had received more than
 * loss_threshold of cumulative damage from the other. It ends every
 * instance of its measures imposed by their own actor. */
/* What a conflict has cost country a in its dealings with b, bn USD since
 * step 0 (§11): the damage b's measures did to it, plus the sales its own
 * suppliers lost because controls cut their flows to b's firms (the mover's
 * own cost: Qualcomm's sales to ZTE, seed 001). */
static double conflict_loss(const struct ts_sim *w, int a, int b)
{
	return w->damage_cum[a * w->nc + b] + w->export_loss_cum[a * w->nc + b];
}

static void deals(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	int t = w->step;
	for (int d = 0; d < s->n_deals; d++) {
		const ts_deal_spec *deal = &s->deals[d];
		if (w->deal_step[d] >= 0 || t < deal->earliest || deal->side_a < 0)
			continue;
		int a = deal->side_a, b = deal->side_b, any = 0;
		for (int j = 0; j < w->n_minst && !any; j++) {
			const ts_minst *x = &w->minst[j];
			any = x->active && x->actor == s->measures[x->spec].actor && deal_lifts(s, deal, x->spec);
		}
		if (!any || !(conflict_loss(w, a, b) > deal->loss_threshold) ||
		    !(conflict_loss(w, b, a) > deal->loss_threshold))
			continue;
		w->deal_step[d] = t;
		for (int j = 0; j < w->n_minst; j++) {
			ts_minst *x = &w->minst[j];
			if (x->actor != s->measures[x->spec].actor || !deal_lifts(s, deal, x->spec) || x->end <= t)
				continue;
			x->end = t;
			x->end_cause = deal->id;
		}
		for (int q = deal->lifts_first; q < deal->lifts_first + deal->n_lifts; q++)
			w->lifted[s->deal_lifts[q]] = 1;
	}
}

void ts_policy_purchases(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	int t = w->step;
	for (int d = 0; d < s->n_deals; d++) {
		const ts_deal_spec *deal = &s->deals[d];
		int m = w->deal_mseg[d];
		if (m < 0 || w->deal_step[d] < 0 || t < w->deal_step[d] || t >= w->deal_step[d] + deal->purchase_steps)
			continue;
		int k = deal->sector, f0 = w->sector_firm_first[k], nfs = w->sector_firm_count[k];
		double amount = deal->purchase / s->run.steps_per_year, capacity = 0.0;
		for (int a = 0; a < nfs; a++)
			if (s->firms[w->sector_firms[f0 + a]].country == deal->seller)
				capacity += s->firms[w->sector_firms[f0 + a]].capacity;
		double *row = w->sales + w->sales_offset[k] + (size_t)(m - w->sector_mseg_first[k]) * (size_t)nfs;
		for (int a = 0; a < nfs; a++) {
			int i = w->sector_firms[f0 + a];
			if (s->firms[i].country != deal->seller)
				continue;
			double part = amount * s->firms[i].capacity / capacity;  /* split by capacity */
			row[a] += part;
			w->final_sales[i] += part;
		}
		w->demand[m] += amount;
		w->served[m] += amount;
	}
}

/* ---- rules (§10) ---- */

/* What measure j imposed by `actor` would take from its target per step,
 * bn USD, from the last step's markets: the target's sales in the covered
 * segments at its last step allowed (scaled to today's demand), times the
 * rate for a tariff; the target's purchases from the actor for an export
 * control. */
static double bite(const struct ts_sim *w, int j, int actor)
{
	const ts_scenario *s = w->scn;
	const ts_measure_spec *m = &s->measures[j];
	double total = 0.0;
	if (m->kind == TS_MEASURE_EXPORT_CONTROL) {
		for (int i = 0; i < w->nf; i++) {
			const ts_firm_spec *f = &s->firms[i];
			if (!ts_measure_bears_on_firm(s, m, actor, i))
				continue;
			double cogs = w->ref_revenue[i] / w->markup[f->sector];
			for (int q = f->slot_first; q < f->slot_first + s->sectors[f->sector].n_inputs; q++) {
				const ts_slot_spec *slot = &s->slots[q];
				if (!ts_measure_covers_sector(s, m, slot->input_sector))
					continue;
				for (int l = slot->link_first; l < slot->link_first + slot->n_links; l++)
					if (s->links[l].supplier_country == actor)
						total += cogs * slot->cost_share * s->links[l].share;
			}
		}
		return total * (1.0 - m->licence_share);
	}
	for (int k = 0; k < w->ns; k++) {
		if (!ts_measure_covers_sector(s, m, k))
			continue;
		int f0 = w->sector_firm_first[k], nfs = w->sector_firm_count[k];
		for (int b = 0; b < w->sector_mseg_count[k]; b++) {
			int mseg = w->sector_mseg_first[k] + b;
			const ts_mseg *ms = &w->msegs[mseg];
			if (ms->country != actor)
				continue;
			if (m->kind == TS_MEASURE_PROCUREMENT_BAN && ms->segment != m->segment)
				continue;
			if (m->kind == TS_MEASURE_COMPLIANCE && !m->all_segments && ms->segment != m->segment)
				continue;
			for (int a = 0; a < nfs; a++) {
				int i = w->sector_firms[f0 + a];
				if (!ts_measure_bears_on_firm(s, m, actor, i))
					continue;
				double sales = w->ref_share[w->sales_offset[k] + (size_t)b * (size_t)nfs + (size_t)a] * w->demand[mseg];
				if (m->kind == TS_MEASURE_TARIFF)
					sales *= m->rate;
				else if (m->kind == TS_MEASURE_COMPLIANCE && !(s->firms[i].refuses & (1u << m->requirement)))
					sales *= m->cost;
				total += sales;
			}
		}
	}
	return total;
}

/* Menu measures to have in force for a proportional answer: in menu order
 * until their bite reaches ratio x the damage received last step (at
 * least one). */
static int proportional_count(const struct ts_sim *w, int r)
{
	const ts_scenario *s = w->scn;
	const ts_rule_spec *rule = &s->rules[r];
	double goal = rule->ratio * w->damage[rule->country * w->nc + rule->rival], sum = 0.0;
	int n = 0;
	for (int q = rule->menu_first; q < rule->menu_first + rule->n_menu; q++) {
		if (w->lifted[s->rule_menu[q]])
			continue;
		n++;
		sum += bite(w, s->rule_menu[q], rule->country);
		if (sum >= goal)
			break;
	}
	return n;
}

/* Puts the first `count` menu measures the rule may still use in force and
 * lifts the others. A measure started has id = the menu measure's and
 * cause = what it answers. Returns how many are in force. */
static int set_in_force(struct ts_sim *w, int r, int count, const char *cause)
{
	const ts_scenario *s = w->scn;
	const ts_rule_spec *rule = &s->rules[r];
	int t = w->step, n = 0;
	for (int q = rule->menu_first; q < rule->menu_first + rule->n_menu; q++) {
		int j = s->rule_menu[q];
		if (w->lifted[j] || !s->measures[j].enabled)
			continue;  /* a deal settled it for good, or the scenario disabled it */
		int inst = w->rule_menu_inst[q];
		int on = in_force(w, inst, t);
		if (n < count) {
			n++;
			if (on)
				continue;
			if (inst < 0) {
				w->rule_menu_inst[q] = ts_measures_add(w, j, rule->country, t, INT_MAX, s->measures[j].id, cause);
			} else {  /* in force once before: reuse its slot */
				ts_minst *x = &w->minst[inst];
				x->start = t;
				x->end = INT_MAX;
				x->cause = cause;
				x->end_cause = "";
			}
		} else if (on) {
			w->minst[inst].end = t;
			w->minst[inst].end_cause = "";
		}
	}
	return n;
}

/* negotiate: once both sides have received more than loss_threshold, the
 * country lifts every measure it imposes on the rival. */
static void negotiate(struct ts_sim *w, int r)
{
	const ts_scenario *s = w->scn;
	const ts_rule_spec *rule = &s->rules[r];
	int c = rule->country, b = rule->rival;
	if (w->rule_triggered[r] || !(conflict_loss(w, c, b) > rule->loss_threshold) ||
	    !(conflict_loss(w, b, c) > rule->loss_threshold))
		return;
	w->rule_triggered[r] = 1;
	for (int j = 0; j < w->n_minst; j++) {
		ts_minst *x = &w->minst[j];
		const ts_measure_spec *m = &s->measures[x->spec];
		if (x->actor != c || ts_measure_target_country(s, m) != b || !ts_policy_kind_is_aimed(m->kind) ||
		    x->end <= w->step)
			continue;
		x->end = w->step;
		x->end_cause = negotiated;
	}
}

static void rules(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	int nc = w->nc;
	for (int r = 0; r < s->n_rules; r++) {
		const ts_rule_spec *rule = &s->rules[r];
		/* Two draws per rule and step, used or not: streams stay aligned. */
		double u_noise = gsl_rng_uniform(w->policy_rng);
		double u_forgive = gsl_rng_uniform(w->policy_rng);
		int c = rule->country, b = rule->rival;
		int hostile = w->hostile_count[b * nc + c] > 0;
		int perceived = hostile != (u_noise < rule->noise);
		int last = w->hostile_last[b * nc + c];
		const char *cause = hostile && last >= 0 ? w->minst[last].id : misperception;
		int count = 0;
		switch (rule->kind) {
		case TS_RULE_NONE:
			continue;
		case TS_RULE_NEGOTIATE:
			negotiate(w, r);
			continue;
		case TS_RULE_TIT_FOR_TAT:
			count = perceived;
			break;
		case TS_RULE_GENEROUS_TFT:
			count = perceived && !(u_forgive < rule->forgive);
			break;
		case TS_RULE_GRIM_TRIGGER:
			if (perceived)
				w->rule_triggered[r] = 1;
			count = w->rule_triggered[r];
			break;
		case TS_RULE_PROPORTIONAL:
			count = perceived ? proportional_count(w, r) : 0;
			break;
		case TS_RULE_ESCALATE:
			w->rule_streak[r] = perceived ? w->rule_streak[r] + 1 : 0;
			count = w->rule_streak[r] < rule->cap ? w->rule_streak[r] : rule->cap;
			break;
		default:
			continue;
		}
		int n = set_in_force(w, r, count, cause);
		w->stance[c * nc + b] = n > 0 ? TS_STANCE_DEFECT : TS_STANCE_COOPERATE;
	}
}

/* ---- alliance pressure (§12) ---- */

/* While a pressure is scheduled to be in force, each asked ally that has not
 * adopted the pressed measure does so with probability alignment x
 * pressure; its copy starts `delay` steps later and ends with the original. */
static void pressures(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	int t = w->step;
	for (int p = 0; p < w->npa; p++) {
		double u = gsl_rng_uniform(w->policy_rng);  /* one draw per pair and step */
		int pressure = w->pa_pressure[p], ally = w->pa_ally[p];
		const ts_measure_spec *m = &s->measures[pressure];
		const ts_minst *lead = &w->minst[m->pressed_measure];
		if (w->pa_inst[p] >= 0) {
			ts_minst *copy = &w->minst[w->pa_inst[p]];
			if (lead->end < copy->end) {  /* the original was lifted early */
				copy->end = lead->end > t ? lead->end : t;
				copy->end_cause = lead->end_cause;
			}
			continue;
		}
		if (!in_force(w, pressure, t) || !s->measures[m->pressed_measure].enabled ||
		    !(u < s->countries[ally].alignment * m->pressure))
			continue;
		int start = m->delay < INT_MAX - t ? t + m->delay : INT_MAX - 1;
		w->pa_inst[p] = ts_measures_add(w, m->pressed_measure, ally, start, lead->end, w->pa_name[p], m->id);
	}
}

/* ---- anticipation (§13) ---- */

/* Stockpile target of each slot: the scenario's stockpile plus anticipation
 * x the risk 1 - exp(-T) of the tensest supplier country. */
static void anticipation(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	for (int i = 0; i < w->nf; i++) {
		const ts_firm_spec *f = &s->firms[i];
		if (!(f->anticipation > 0.0))
			continue;
		for (int q = f->slot_first; q < f->slot_first + s->sectors[f->sector].n_inputs; q++) {
			const ts_slot_spec *slot = &s->slots[q];
			double tension = 0.0;
			for (int l = slot->link_first; l < slot->link_first + slot->n_links; l++) {
				int supplier = s->links[l].supplier_country;
				if (supplier != f->country)
					tension = fmax(tension, w->tension[f->country * w->nc + supplier]);
			}
			w->stock_target[q] = slot->stockpile + f->anticipation * (1.0 - exp(-tension));
		}
	}
}

void ts_policy_update(struct ts_sim *w)
{
	deals(w);
	rules(w);
	pressures(w);
	anticipation(w);
}

/* ---- accounts: fines, damage, hostility, tension ---- */

static void fines(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	for (int c = 0; c < w->nc; c++)
		w->fines[c] = 0.0;
	for (int d = 0; d < s->n_deals; d++) {
		const ts_deal_spec *deal = &s->deals[d];
		if (w->deal_step[d] != w->step || !(deal->fine > 0.0) || deal->payer < 0)
			continue;
		w->profit[deal->payer] -= deal->fine;
		w->producer_profit[s->firms[deal->payer].country] -= deal->fine;
		if (deal->fine_recipient >= 0)
			w->fines[deal->fine_recipient] += deal->fine;
	}
}

/* Sales lost to bans (and exclusions) in other countries' markets: the
 * firm's share of the segment at its last step allowed, times today's
 * demand. Tariffs paid are the duty part of buyers' spending on the firm. */
static void market_damage(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	int nc = w->nc;
	for (int k = 0; k < w->ns; k++) {
		int f0 = w->sector_firm_first[k], nfs = w->sector_firm_count[k];
		for (int b = 0; b < w->sector_mseg_count[k]; b++) {
			int m = w->sector_mseg_first[k] + b;
			const ts_mseg *ms = &w->msegs[m];
			for (int a = 0; a < nfs; a++) {
				int i = w->sector_firms[f0 + a];
				int home = s->firms[i].country;
				size_t x = w->sales_offset[k] + (size_t)b * (size_t)nfs + (size_t)a;
				if (home != ms->country && (w->ban[ms->country * w->nf + i] & (1u << ms->segment)))
					w->damage[home * nc + ms->country] += w->ref_share[x] * w->demand[m];
				else if (w->demand[m] > 0.0)
					w->ref_share[x] = w->sales[x] / w->demand[m];
				/* Buyers' spending includes the duty; tariff_share is its part (§3.1). */
				if (home != ms->country)
					w->damage[home * nc + ms->country] += w->tariff_share[x] * w->sales[x];
			}
		}
	}
}

/* Revenue lost to export controls: the firm's revenue at its last step with
 * every input x (1 - supply factor), apportioned among the controlling
 * countries by the shares of its inputs each cuts off. A blocked link is
 * charged to its supplier's country if that country controls exports to the
 * firm, else (a foreign-direct-product control) shared equally among the
 * countries that do. */
static void control_damage(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	int nc = w->nc, nf = w->nf;
	double *cut = w->policy_scratch;
	for (int i = 0; i < nf; i++) {
		const ts_firm_spec *f = &s->firms[i];
		if (w->supply_factor[i] >= 1.0) {
			w->ref_revenue[i] = w->revenue[i];
			continue;
		}
		int controllers = 0;
		for (int c = 0; c < nc; c++) {
			cut[c] = 0.0;
			controllers += w->tech_denied[c * nf + i] != 0;
		}
		double total = 0.0;
		for (int q = f->slot_first; q < f->slot_first + s->sectors[f->sector].n_inputs; q++) {
			const ts_slot_spec *slot = &s->slots[q];
			for (int l = slot->link_first; l < slot->link_first + slot->n_links; l++) {
				if (!w->link_blocked[l])
					continue;
				int supplier = s->links[l].supplier_country;
				double share = s->links[l].share;
				total += share;
				if (w->tech_denied[supplier * nf + i] || controllers == 0) {
					cut[supplier] += share;
				} else {
					for (int c = 0; c < nc; c++)
						if (w->tech_denied[c * nf + i])
							cut[c] += share / controllers;
				}
			}
		}
		if (!(total > 0.0))
			continue;
		double lost = w->ref_revenue[i] * (1.0 - w->supply_factor[i]);
		for (int c = 0; c < nc; c++)
			if (c != f->country && cut[c] > 0.0)
				w->damage[f->country * nc + c] += lost * cut[c] / total;
	}
}

/* Hostile measures in force per ordered pair, and the latest of them. */
static void count_hostile(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	int nc = w->nc;
	for (int x = 0; x < nc * nc; x++) {
		w->hostile_count[x] = 0;
		w->hostile_last[x] = -1;
	}
	for (int j = 0; j < w->n_minst; j++) {
		const ts_minst *inst = &w->minst[j];
		if (!inst->active)
			continue;
		const ts_measure_spec *m = &s->measures[inst->spec];
		for (int b = 0; b < nc; b++) {
			if (!aims_at(s, m, inst->actor, b))
				continue;
			int x = inst->actor * nc + b;
			w->hostile_count[x]++;
			if (w->hostile_last[x] < 0 || inst->start >= w->minst[w->hostile_last[x]].start)
				w->hostile_last[x] = j;
		}
	}
}

/* Sales suppliers lose to controls: at every cut link, the buyer's input
 * purchases at its last step with every input (ref_revenue, so a buyer that
 * stopped producing still counts what it used to buy) times the cut share. */
static void export_losses(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	int nc = w->nc;
	for (int i = 0; i < w->nf; i++) {
		const ts_firm_spec *f = &s->firms[i];
		double cogs = w->ref_revenue[i] / w->markup[f->sector];
		for (int q = f->slot_first; q < f->slot_first + s->sectors[f->sector].n_inputs; q++) {
			const ts_slot_spec *slot = &s->slots[q];
			for (int l = slot->link_first; l < slot->link_first + slot->n_links; l++) {
				int supplier = s->links[l].supplier_country;
				if (w->link_cut[l] > 0.0 && supplier != f->country)
					w->export_loss_cum[supplier * nc + f->country] +=
						cogs * slot->cost_share * s->links[l].share * w->link_cut[l];
			}
		}
	}
}

void ts_policy_account(struct ts_sim *w)
{
	int nc = w->nc;
	double lambda = w->scn->model.tension_memory;
	fines(w);
	for (int x = 0; x < nc * nc; x++)
		w->damage[x] = 0.0;
	market_damage(w);
	control_damage(w);
	for (int x = 0; x < nc * nc; x++)
		w->damage_cum[x] += w->damage[x];
	export_losses(w);
	count_hostile(w);
	/* T_ab(t) = lambda T_ab(t-1) + (1 - lambda) (n_ab(t) + n_ba(t)). */
	for (int a = 0; a < nc; a++)
		for (int b = a + 1; b < nc; b++) {
			double n = w->hostile_count[a * nc + b] + w->hostile_count[b * nc + a];
			double tension = lambda * w->tension[a * nc + b] + (1.0 - lambda) * n;
			w->tension[a * nc + b] = w->tension[b * nc + a] = tension;
		}
}
