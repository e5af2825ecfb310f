/* Retaliation rules (docs/model.md §10): what a country's rule toward a
 * rival puts in force at step t, from the rival's hostility at the end of
 * t-1. A rule acts by scheduling instances of its menu measures, which
 * ts_measures_update() then starts or ends. Each rule draws two numbers a
 * step from the policy's own generator, used or not, so that a rule added
 * or a noise level changed never shifts another draw (§9). */
#include <limits.h>
#include <math.h>
#include <gsl/gsl_rng.h>
#include "scenario/policy.h"
#include "util/assert.h"
#include "util/fminmax.h"
#include "model/timing.h"
#include "model/world.h"

const char *const ts_stance_names[TS_STANCE_COUNT] = { "none", "cooperate", "defect" };

/* Cause of a rule's measure when the rival did nothing: noise made the
 * rule see hostility. End cause of measures a negotiate rule lifts. */
static const char misperception[] = "misperception";
static const char negotiated[] = "negotiated";

void ts_rules_init(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	for (int q = 0; q < s->n_rule_menu; q++) {
		w->rule_menu_inst[q] = -1;
		w->rule_menu_rate[q] = s->measures[s->rule_menu[q]].rate;
	}
	for (int r = 0; r < s->n_rules; r++) {
		const ts_rule_spec *rule = &s->rules[r];
		w->stance[rule->country * w->nc + rule->rival] =
			rule->kind == TS_RULE_NONE ? TS_STANCE_NONE : TS_STANCE_COOPERATE;
	}
}

/* Adds to `total` firm i's purchases from `actor` that export control m
 * would stop, bn USD per step: real output at its last step with every
 * input / markup x cost share x link share, over the covered inputs (§6). (A running
 * total, so that the sum keeps one order of additions.) */
static double control_bite(const struct ts_sim *w, const ts_measure_spec *m, int actor, int i, double total)
{
	const ts_scenario *s = w->scn;
	const ts_firm_spec *f = &s->firms[i];
	double cogs = ts_firm_ref_input_cost(w, i);
	for (int q = f->slot_first; q < f->slot_first + s->sectors[f->sector].n_inputs; q++) {
		const ts_slot_spec *slot = &s->slots[q];
		if (!ts_measure_covers_sector(s, m, slot->input_sector))
			continue;
		for (int l = slot->link_first; l < slot->link_first + slot->n_links; l++)
			if (s->links[l].supplier_country == actor)
				total += cogs * slot->cost_share * s->links[l].share;
	}
	return total;
}

/* Whether a measure of m's kind imposed by `actor` reaches segment ms. */
static int reaches_segment(const ts_measure_spec *m, int actor, const ts_mseg *ms)
{
	if (ms->country != actor)
		return 0;
	if (m->kind == TS_MEASURE_PROCUREMENT_BAN)
		return ms->segment == m->segment;
	if (m->kind == TS_MEASURE_COMPLIANCE && !m->all_segments)
		return ms->segment == m->segment;
	return 1;
}

/* Adds to `total` the buyers' spending that measure m imposed by `actor`
 * would take from its targets in sector k's segments, bn USD per step:
 * their sales at their last step allowed scaled to today's demand, times
 * the rate for a tariff and the cost for a compliance demand they meet. */
static double market_bite(const struct ts_sim *w, const ts_measure_spec *m, int actor, int k, double total)
{
	const ts_scenario *s = w->scn;
	int f0 = w->sector_firm_first[k], nfs = w->sector_firm_count[k];
	for (int b = 0; b < w->sector_mseg_count[k]; b++) {
		int mseg = w->sector_mseg_first[k] + b;
		if (!reaches_segment(m, actor, &w->msegs[mseg]))
			continue;
		for (int a = 0; a < nfs; a++) {
			int i = w->sector_firms[f0 + a];
			if (!ts_measure_bears_on_firm(s, m, actor, i))
				continue;
			size_t x = w->sales_offset[k] + (size_t)b * (size_t)nfs + (size_t)a;
			double sales = ts_tension_ref_share(w, mseg, x) * w->demand[mseg];
			if (m->kind == TS_MEASURE_TARIFF)
				sales *= m->rate;
			else if (m->kind == TS_MEASURE_COMPLIANCE && !(s->firms[i].refuses & (1u << m->requirement)))
				sales *= m->cost;
			total += sales;
		}
	}
	return total;
}

/* What measure j imposed by `actor` would take from its target per step,
 * bn USD, from the last step's markets (§10, "Bite"). */
static double bite(const struct ts_sim *w, int j, int actor)
{
	const ts_scenario *s = w->scn;
	const ts_measure_spec *m = &s->measures[j];
	double total = 0.0;
	if (m->kind == TS_MEASURE_EXPORT_CONTROL) {
		for (int i = 0; i < w->nf; i++)
			if (ts_measure_bears_on_firm(s, m, actor, i))
				total = control_bite(w, m, actor, i, total);
		return total * (1.0 - m->licence_share);
	}
	for (int k = 0; k < w->ns; k++)
		if (ts_measure_covers_sector(s, m, k))
			total = market_bite(w, m, actor, k, total);
	return total;
}

/* Menu measures to have in force for a proportional answer (§10): in menu
 * order until their bite reaches goal = ratio x the damage received last
 * step (at least one). A tariff entry is sized: at the rate r = written rate
 * x (goal - bite so far) / its bite at the written rate when that is less
 * than the written rate (a ceiling), into rule_menu_rate. With no damage
 * measured (a misperception) the first entry comes at its written rate. */
static int proportional_count(struct ts_sim *w, int r)
{
	const ts_scenario *s = w->scn;
	const ts_rule_spec *rule = &s->rules[r];
	double goal = rule->ratio * w->damage[rule->country * w->nc + rule->rival], sum = 0.0;
	int n = 0;
	for (int q = rule->menu_first; q < rule->menu_first + rule->n_menu; q++) {
		int j = s->rule_menu[q];
		if (w->lifted[j] || !s->measures[j].enabled)
			continue;  /* as set_in_force: a measure it may not use counts for nothing */
		n++;
		double b = bite(w, j, rule->country), written = s->measures[j].rate;
		if (s->measures[j].kind == TS_MEASURE_TARIFF) {
			double rate = goal > sum && b > goal - sum ? written * (goal - sum) / b : written;
			w->rule_menu_rate[q] = rate;
			if (rate < written) /* scaled to close the gap exactly: rounding must not add another */
				break;
		}
		sum += b;
		if (sum >= goal)
			break;
	}
	return n;
}

/* §10: escalate's further intervals of hostility after `streak` (>= 1)
 * consecutive hostile steps of `step_months` each: floor((streak - 1) x
 * step_months / interval_months). */
static double further_intervals(int streak, double step_months, const ts_rule_spec *rule)
{
	/* + 1e-9: a whole number of intervals that rounding puts a hair below it */
	return floor((streak - 1) * step_months / rule->interval_months + 1e-9);
}

/* §10: escalate's tariff entries after `streak` consecutive hostile steps:
 * the written rate x factor^k, k = the further intervals of hostility so
 * far, at most cap - 1 (the rate when the cap-th measure comes). */
static void escalate_rates(struct ts_sim *w, int r, int streak, double step_months)
{
	const ts_scenario *s = w->scn;
	const ts_rule_spec *rule = &s->rules[r];
	if (streak <= 0)
		return;
	double k = ts_fmin(further_intervals(streak, step_months, rule), rule->cap - 1.0);
	for (int q = rule->menu_first; q < rule->menu_first + rule->n_menu; q++) {
		const ts_measure_spec *m = &s->measures[s->rule_menu[q]];
		if (m->kind == TS_MEASURE_TARIFF)
			w->rule_menu_rate[q] = m->rate * pow(rule->factor, k);
	}
}

/* Starts menu entry q's measure at the current step: in its own slot, made
 * the first time and reused after. */
static void start_menu_measure(struct ts_sim *w, const ts_rule_spec *rule, int q, const char *cause)
{
	const ts_scenario *s = w->scn;
	int j = s->rule_menu[q], inst = w->rule_menu_inst[q];
	if (inst < 0) {
		inst = ts_measures_add(w, j, rule->country, w->step, INT_MAX, s->measures[j].id, cause);
		TS_ASSERT(inst >= 0);  /* the loader counts one slot per menu entry */
		w->rule_menu_inst[q] = inst;
		w->minst[inst].rate = w->rule_menu_rate[q];
		return;
	}
	ts_minst *x = &w->minst[inst];
	x->rate = w->rule_menu_rate[q];
	x->start = w->step;
	x->end = INT_MAX;
	x->cause = cause;
	x->end_cause = "";
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
		int on = ts_minst_in_force(w, inst, t);
		if (n < count) {
			n++;
			if (!on) {
				start_menu_measure(w, rule, q, cause);
			} else if (w->minst[inst].rate != w->rule_menu_rate[q]) {
				w->minst[inst].rate = w->rule_menu_rate[q];  /* resized in force (§10) */
				w->rates_changed = 1;
			}
		} else if (on) {
			TS_ASSERT(w->minst[inst].spec == j);  /* menu entry q's own slot */
			w->minst[inst].end = t;
			w->minst[inst].end_cause = "";
		}
	}
	return n;
}

/* negotiate: once both sides have lost more than loss_threshold in the
 * conflict (§11), the country lifts every measure it imposes on the rival. */
static void negotiate(struct ts_sim *w, int r)
{
	const ts_scenario *s = w->scn;
	const ts_rule_spec *rule = &s->rules[r];
	int c = rule->country, b = rule->rival;
	if (w->rule_triggered[r] || !(ts_tension_conflict_loss(w, c, b) > rule->loss_threshold) ||
	    !(ts_tension_conflict_loss(w, b, c) > rule->loss_threshold))
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

/* §10: escalate's menu measures after `streak` consecutive hostile steps of
 * `step_months` each: one at the first, one more for each further
 * `interval_months` of hostility, at most `cap`. */
static int escalate_count(int streak, double step_months, const ts_rule_spec *rule)
{
	if (streak <= 0)
		return 0;
	double more = further_intervals(streak, step_months, rule);
	return more + 1.0 < rule->cap ? (int)more + 1 : rule->cap;
}

/* How many menu measures rule r wants in force, given whether it perceives
 * the rival as hostile and its forgiveness draw; -1: the rule takes no
 * stance (none, negotiate). */
static int menu_count(struct ts_sim *w, int r, int perceived, double u_forgive)
{
	const ts_rule_spec *rule = &w->scn->rules[r];
	double dt = 1.0 / w->scn->run.steps_per_year;
	switch (rule->kind) {
	case TS_RULE_TIT_FOR_TAT:
		return perceived;
	case TS_RULE_GENEROUS_TFT:  /* forgives at forgive_per_year (timing.h) */
		return perceived && !(u_forgive < ts_step_probability(rule->forgive_per_year, dt));
	case TS_RULE_GRIM_TRIGGER:
		if (perceived)
			w->rule_triggered[r] = 1;
		return w->rule_triggered[r];
	case TS_RULE_PROPORTIONAL:
		return perceived ? proportional_count(w, r) : 0;
	case TS_RULE_ESCALATE:
		w->rule_streak[r] = perceived ? w->rule_streak[r] + 1 : 0;
		escalate_rates(w, r, w->rule_streak[r], 12.0 * dt);
		return escalate_count(w->rule_streak[r], 12.0 * dt, rule);
	case TS_RULE_NEGOTIATE:
		negotiate(w, r);
		return -1;
	case TS_RULE_NONE:
	case TS_RULE_KIND_COUNT:
		break;
	}
	return -1;
}

/* §10: a rule answers what it saw reaction_steps steps ago (at the end of
 * step t - reaction_steps). Stores this step's view (the rival's stance at
 * the end of the last step, misperceived or not) in the rule's ring and
 * returns the one to answer now, encoded as in ts_sim.rule_seen. */
static int remember(struct ts_sim *w, int r, int hostile, int last, int misperceived)
{
	const ts_rule_spec *rule = &w->scn->rules[r];
	int *ring = w->rule_seen + rule->seen_first, n = rule->reaction_steps;
	ring[w->step % n] = (last + 1) * 4 + hostile * 2 + (hostile != misperceived);
	return ring[(w->step + 1) % n];
}

void ts_rules_update(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	int nc = w->nc;
	double dt = 1.0 / s->run.steps_per_year;
	for (int r = 0; r < s->n_rules; r++) {
		const ts_rule_spec *rule = &s->rules[r];
		/* Two draws per rule and step, used or not: streams stay aligned. */
		double u_noise = gsl_rng_uniform(w->policy_rng);
		double u_forgive = gsl_rng_uniform(w->policy_rng);
		int c = rule->country, b = rule->rival;
		/* §10: hostile when the harm received from the rival in the last
		 * step, per year, exceeds the rule's tolerance. */
		int harmed = w->damage[c * nc + b] * s->run.steps_per_year > rule->tolerance_bn_usd;
		int seen = remember(w, r, harmed, w->hostile_last[b * nc + c],
				    u_noise < ts_step_probability(rule->noise_per_year, dt));
		int perceived = seen & 1, hostile = (seen >> 1) & 1, last = seen / 4 - 1;
		const char *cause = hostile && last >= 0 ? w->minst[last].id : misperception;
		int count = menu_count(w, r, perceived, u_forgive);
		if (count < 0)
			continue;
		int n = set_in_force(w, r, count, cause);
		w->stance[c * nc + b] = n > 0 ? TS_STANCE_DEFECT : TS_STANCE_COOPERATE;
	}
}
