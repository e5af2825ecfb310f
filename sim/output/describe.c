/* A readable summary of a loaded scenario: what `tradesim describe` shows. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/spec.h"
#include "model/world.h"  /* ts_node_label */
#include "util/assert.h"

static const char *step_unit(const ts_run_spec *run)
{
	return run->steps_per_year == 12 ? "month" : run->steps_per_year == 4 ? "quarter" : "year";
}

/* Widest id of n entries (for column alignment). */
static int widest(const ts_scenario *s, int kind, int floor_width)
{
	int w = floor_width;
	int n = kind == 0 ? s->n_countries : kind == 1 ? s->n_sectors : s->n_firms;
	for (int i = 0; i < n; i++) {
		const char *id = kind == 0 ? s->countries[i].id : kind == 1 ? s->sectors[i].id : s->firms[i].id;
		int len = (int)strlen(id);
		if (len > w)
			w = len;
	}
	return w;
}

static void describe_run(const ts_scenario *s, FILE *f)
{
	const ts_run_spec *run = &s->run;
	char first[32], last[32];
	const char *title = NULL;
	title = s->title;
	ts_calendar_label(run, 0, first, sizeof first);
	ts_calendar_label(run, run->steps - 1, last, sizeof last);
	fprintf(f, "%s\n", title ? title : s->path);
	if (title)
		fprintf(f, "%s\n", s->path);
	fprintf(f, "sha256 %s\n\n", s->hash);
	fprintf(f, "Run: %d %s%s, %s .. %s, seed %u\n", run->steps, step_unit(run),
		run->steps == 1 ? "" : "s", first, last, run->seed);
	const ts_model_params *m = &s->model;
	fprintf(f, "Model: innovation zeta %g, imitation zeta %g, innovation share %g, "
		"Beta(%g, %g) on [%g, %g], imitation closes %g of the gap, tech weight %g\n\n",
		m->innovation_zeta, m->imitation_zeta, m->innovation_share, m->beta_a, m->beta_b,
		m->tech_step_min, m->tech_step_max, m->imitation_fraction, m->tech_weight);
}

/* One retaliation rule: "rule toward CN: escalate, cap 3 (factor 1.5); menu a, b". */
static void describe_rule(const ts_scenario *s, const ts_rule_spec *r, FILE *f, int cw)
{
	fprintf(f, "  %-*s    rule toward %s: %s", cw, "", s->countries[r->rival].id,
		ts_rule_kind_names[r->kind]);
	switch (r->kind) {
	case TS_RULE_GENEROUS_TFT:
		fprintf(f, ", forgives at %.2f a year", r->forgive_per_year);
		break;
	case TS_RULE_PROPORTIONAL:
		fprintf(f, ", bite %g x damage received", r->ratio);
		break;
	case TS_RULE_ESCALATE:
		fprintf(f, ", one more measure per %g months of hostility, at most %d in force, its tariffs x%g "
			"with each", r->interval_months, r->cap, r->factor);
		break;
	case TS_RULE_NEGOTIATE:
		fprintf(f, ", lifts its measures once each side has lost over %.2f bn USD",
			r->loss_threshold);
		break;
	default:
		break;
	}
	if (r->tolerance_bn_usd > 0 && r->kind != TS_RULE_NEGOTIATE)
		fprintf(f, ", bears up to %.2f bn USD/yr of harm", r->tolerance_bn_usd);
	if (r->noise_per_year > 0)
		fprintf(f, ", misperceives %.2f times a year", r->noise_per_year);
	for (int k = 0; k < r->n_menu; k++)
		fprintf(f, "%s%s", k ? ", " : "; menu ", s->measures[s->rule_menu[r->menu_first + k]].id);
	fputc('\n', f);
}

static void describe_countries(const ts_scenario *s, FILE *f)
{
	int cw = widest(s, 0, 2), sw = widest(s, 1, 6);
	fprintf(f, "Countries (%d)\n", s->n_countries);
	for (int c = 0; c < s->n_countries; c++) {
		const ts_country_spec *country = &s->countries[c];
		char about[512] = "";
		size_t used = 0;
		if (strcmp(country->name, country->id) != 0)
			used += (size_t)snprintf(about + used, sizeof about - used, ", %s", country->name);
		if (country->bloc[0] && used < sizeof about)
			used += (size_t)snprintf(about + used, sizeof about - used, ", bloc %s (alignment %.2f)",
						 country->bloc, country->alignment);
		if (country->home_bias != 0 && used < sizeof about)
			used += (size_t)snprintf(about + used, sizeof about - used, ", home bias %.2f",
						 country->home_bias);
		if (country->rd_budget > 0 && used < sizeof about)
			used += (size_t)snprintf(about + used, sizeof about - used, ", R&D support %.2f bn USD/yr",
						 country->rd_budget);
		if (country->rd_support_on_denial > 0 && used < sizeof about)
			used += (size_t)snprintf(about + used, sizeof about - used,
						 ", %.2f bn USD/yr more at full denial of its firms",
						 country->rd_support_on_denial);
		if ((country->derisk_suppliers > 0 || country->derisk_buyers > 0) && used < sizeof about)
			snprintf(about + used, sizeof about - used, ", de-risking suppliers %.2f, buyers %.2f",
				 country->derisk_suppliers, country->derisk_buyers);
		if (about[0])
			fprintf(f, "  %-*s  %s", cw, country->id, about + 2);
		else
			fprintf(f, "  %s", country->id);
		fputc('\n', f);
		for (int k = 0; k < s->n_sectors; k++) {
			const ts_market_spec *mk = &s->markets[(size_t)c * (size_t)s->n_sectors + (size_t)k];
			if (mk->size <= 0)
				continue;
			fprintf(f, "  %-*s    buys %-*s %9.2f bn USD/yr, growth %+5.1f%%/yr; "
				"government %3.0f%%, infrastructure %3.0f%%, private %3.0f%%\n",
				cw, "", sw, s->sectors[k].id, mk->size, 100 * mk->growth,
				100 * mk->segment_share[TS_SEG_GOVERNMENT],
				100 * mk->segment_share[TS_SEG_INFRASTRUCTURE],
				100 * mk->segment_share[TS_SEG_PRIVATE]);
		}
		for (int r = 0; r < s->n_rules; r++)
			if (s->rules[r].country == c)
				describe_rule(s, &s->rules[r], f, cw);
	}
	fputc('\n', f);
}

static void describe_sectors(const ts_scenario *s, FILE *f)
{
	int sw = widest(s, 1, 2);
	fprintf(f, "Sectors (%d)\n", s->n_sectors);
	for (int k = 0; k < s->n_sectors; k++) {
		const ts_sector_spec *sec = &s->sectors[k];
		fprintf(f, "  %-*s  ", sw, sec->id);
		if (strcmp(sec->name, sec->id) != 0)
			fprintf(f, "%s: ", sec->name);
		fprintf(f, "elasticity %.2f, ceiling margin %.2f, base tech %+.2f",
			sec->elasticity, sec->ceiling_margin, sec->base_tech);
		for (int i = 0; i < sec->n_inputs; i++) {
			const ts_input_spec *in = &s->inputs[sec->input_first + i];
			fprintf(f, "%s%s %.0f%%", i ? ", " : "; inputs ", s->sectors[in->sector].id,
				100 * in->cost_share);
		}
		fputc('\n', f);
	}
	fputc('\n', f);
}

static void describe_firms(const ts_scenario *s, FILE *f)
{
	int fw = widest(s, 2, 2), cw = widest(s, 0, 2), sw = widest(s, 1, 2);
	fprintf(f, "Firms (%d)\n", s->n_firms);
	for (int i = 0; i < s->n_firms; i++) {
		const ts_firm_spec *firm = &s->firms[i];
		fprintf(f, "  %-*s  %-*s  %-*s  capacity %8.2f bn USD/yr, tech %+.2f, unit cost %.2f",
			fw, firm->id, cw, s->countries[firm->country].id, sw, s->sectors[firm->sector].id,
			firm->capacity, firm->tech, firm->unit_cost);
		if (firm->rd_intensity > 0)
			fprintf(f, ", R&D %.1f%% of revenue", 100 * firm->rd_intensity);
		if (firm->rd_intensity > 0 && firm->dynamics.rd_denial_response > 0)
			fprintf(f, " (x%.2f at full denial)", 1.0 + firm->dynamics.rd_denial_response);
		if (firm->derisk_suppliers > 0 || firm->derisk_buyers > 0)
			fprintf(f, ", de-risking suppliers %.2f, buyers %.2f", firm->derisk_suppliers, firm->derisk_buyers);
		if (firm->state_owned)
			fprintf(f, ", state-owned");
		if (s->sectors[firm->sector].has_node)  /* step 0: the firm's initial tech */
			fprintf(f, ", node %s", ts_node_label(&s->sectors[firm->sector], firm->tech));
		if (strcmp(firm->name, firm->id) != 0)
			fprintf(f, "  (%s)", firm->name);
		fputc('\n', f);
		const ts_sector_spec *sec = &s->sectors[firm->sector];
		for (int k = 0; k < sec->n_inputs; k++) {
			const ts_slot_spec *slot = &s->slots[firm->slot_first + k];
			fprintf(f, "  %-*s    %s from", fw, "", s->sectors[slot->input_sector].id);
			for (int l = 0; l < slot->n_links; l++) {
				const ts_link_spec *link = &s->links[slot->link_first + l];
				if (link->supplier_firm >= 0)
					fprintf(f, "%s %s %.0f%%", l ? "," : "", s->firms[link->supplier_firm].id,
						100 * link->share);
				else
					fprintf(f, "%s %s generic %.0f%%", l ? "," : "",
						s->countries[link->supplier_country].id, 100 * link->share);
			}
			if (slot->stockpile > 0)
				fprintf(f, "; stockpile %.2f %ss of use", slot->stockpile, step_unit(&s->run));
			fputc('\n', f);
		}
	}
	fputc('\n', f);
}

/* Measure indices by start step, file order among equals. An insertion sort:
 * stable, and unlike qsort it needs no global to reach the scenario. */
static void sort_by_start(const ts_scenario *s, int *order)
{
	for (int i = 0; i < s->n_measures; i++) {
		int m = i, j = i;
		for (; j > 0 && s->measures[order[j - 1]].start > s->measures[m].start; j--)
			order[j] = order[j - 1];
		order[j] = m;
	}
}

/* "presses JP, EU to adopt X (pressure 0.50: P = alignment x pressure per
 * step), in force 1 quarter after adoption". Without `allies`, the actor's
 * bloc partners as the engine picks them (policy.c). */
static void describe_pressure(const ts_scenario *s, const ts_measure_spec *m, FILE *f)
{
	int named = 0;
	fprintf(f, "  presses");
	if (m->n_allies > 0) {
		for (int k = 0; k < m->n_allies; k++)
			fprintf(f, "%s %s", k ? "," : "", s->countries[s->measure_allies[m->ally_first + k]].id);
		named = m->n_allies;
	} else {
		const char *bloc = s->countries[m->actor].bloc;
		for (int c = 0; c < s->n_countries; c++)
			if (c != m->actor && bloc[0] && strcmp(s->countries[c].bloc, bloc) == 0)
				fprintf(f, "%s %s", named++ ? "," : "", s->countries[c].id);
		fprintf(f, "%s(bloc %s)", named ? " " : " no one ", bloc[0] ? bloc : "none");
	}
	fprintf(f, " to adopt %s, pressure %.2f a year, ",
		m->pressed_measure >= 0 ? s->measures[m->pressed_measure].id : "?", m->pressure_per_year);
	if (m->delay > 0)
		fprintf(f, "in force %d %s%s after adoption", m->delay, step_unit(&s->run),
			m->delay == 1 ? "" : "s");
	else
		fprintf(f, "in force on adoption");
}

/* Who can start an on-call measure: "  by CN's rule toward US" or
 * "  by pressure P"; the loader guarantees at least one. */
static void describe_callers(const ts_scenario *s, int measure, FILE *f)
{
	const char *sep = "  started by ";
	for (int r = 0; r < s->n_rules; r++)
		for (int k = 0; k < s->rules[r].n_menu; k++)
			if (s->rule_menu[s->rules[r].menu_first + k] == measure) {
				fprintf(f, "%s%s's rule toward %s", sep, s->countries[s->rules[r].country].id,
					s->countries[s->rules[r].rival].id);
				sep = ", ";
			}
	for (int i = 0; i < s->n_measures; i++)
		if (s->measures[i].kind == TS_MEASURE_ALLIANCE_PRESSURE && s->measures[i].pressed_measure == measure) {
			fprintf(f, "%spressure %s (for allies)", sep, s->measures[i].id);
			sep = ", ";
		}
}

/* What a measure is aimed at: "  -> ZTE", a budget, a rate, or pressure. */
static void describe_object(const ts_scenario *s, const ts_measure_spec *m, FILE *f)
{
	switch (m->kind) {
	case TS_MEASURE_RD_INVESTMENT:
		fprintf(f, "  %.2f bn USD/yr", m->budget);
		break;
	case TS_MEASURE_SUBSIDY:
		fprintf(f, "  %.0f%% of unit cost", 100.0 * m->rate);
		break;
	case TS_MEASURE_ALLIANCE_PRESSURE:
		describe_pressure(s, m, f);
		break;
	default:
		if (m->target_firm >= 0)
			fprintf(f, "  -> %s", s->firms[m->target_firm].id);
		else if (m->target_country >= 0)
			fprintf(f, "  -> %s (all its firms)", s->countries[m->target_country].id);
		else
			fprintf(f, "  -> every foreign firm");
		break;
	}
}

/* The terms of its kind: licences, rates, costs, capacity, segment. */
static void describe_terms(const ts_scenario *s, const ts_measure_spec *m, FILE *f)
{
	if (m->kind == TS_MEASURE_EXPORT_CONTROL) {
		if (m->licence_share > 0)
			fprintf(f, "  %.0f%% licensed", 100.0 * m->licence_share);
		if (m->foreign_direct_product)
			fprintf(f, "  foreign direct product (suppliers >= %.0f%% on %s technology)",
				100.0 * m->fdp_threshold, s->countries[m->actor].id);
		if (!m->tech_denial)  /* the default denies imitation: say so only when it does not */
			fprintf(f, "  imitation still allowed");
	}
	if (m->kind == TS_MEASURE_TARIFF)
		fprintf(f, "  %.1f%% ad valorem", 100.0 * m->rate);
	if (m->kind == TS_MEASURE_COMPLIANCE)
		fprintf(f, "  %s, cost %.0f%% of unit cost", ts_requirement_names[m->requirement], 100.0 * m->cost);
	if (m->kind == TS_MEASURE_CAPACITY_INVESTMENT)
		fprintf(f, "  +%.2f bn USD/yr capacity over %d steps", m->capacity, m->build_steps);
	if (m->kind == TS_MEASURE_PROCUREMENT_BAN || (m->kind == TS_MEASURE_COMPLIANCE && !m->all_segments))
		fprintf(f, "  %s segment", ts_segment_names[m->segment]);
}

/* "  [chips, phones]", "  [all sectors]", or nothing for kinds without sectors. */
static void describe_sector_list(const ts_scenario *s, const ts_measure_spec *m, FILE *f)
{
	if (m->kind == TS_MEASURE_CAPACITY_INVESTMENT || m->kind == TS_MEASURE_ALLIANCE_PRESSURE)
		return;
	if (m->n_sectors == 0) {
		fprintf(f, "  [all sectors]");
		return;
	}
	for (int k = 0; k < m->n_sectors; k++)
		fprintf(f, "%s%s", k ? ", " : "  [", s->sectors[s->measure_sectors[m->sector_first + k]].id);
	fputc(']', f);
}

static void describe_measure(const ts_scenario *s, const ts_measure_spec *m, FILE *f, int cw)
{
	char label[32] = "on call";
	if (m->start != INT_MAX)
		ts_calendar_label(&s->run, m->start, label, sizeof label);
	fprintf(f, "  %-7s  %-*s  %-15s", label, cw, s->countries[m->actor].id,
		ts_measure_kind_names[m->kind]);
	describe_object(s, m, f);
	describe_terms(s, m, f);
	describe_sector_list(s, m, f);
	if (m->end != INT_MAX && ts_calendar_label(&s->run, m->end, label, sizeof label))
		fprintf(f, "  until %s%s", label, m->end >= s->run.steps ? " (after the run)" : "");
	if (m->start == INT_MAX)
		describe_callers(s, (int)(m - s->measures), f);
	fprintf(f, "  (%s)%s\n", m->id, m->enabled ? "" : "  disabled: never in force");
}

static int describe_measures(const ts_scenario *s, FILE *f, ts_error *err)
{
	fprintf(f, "Timeline (%d measure%s)\n", s->n_measures, s->n_measures == 1 ? "" : "s");
	if (s->n_measures == 0) {
		fprintf(f, "  none\n");
		return TS_OK;
	}
	int *order = malloc((size_t)s->n_measures * sizeof *order);
	if (!order)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	sort_by_start(s, order);
	int cw = widest(s, 0, 2);
	for (int i = 0; i < s->n_measures; i++)
		describe_measure(s, &s->measures[order[i]], f, cw);
	free(order);
	return TS_OK;
}

/* "zte_settlement  lifts zte_denial (between US and CN) from 2018-07 once
 * each side has lost over 0.05 bn USD; ZTE pays US a fine of 1.00 bn USD". */
static void describe_deal(const ts_scenario *s, const ts_deal_spec *d, FILE *f, int dw)
{
	char label[32];
	fprintf(f, "  %-*s  lifts", dw, d->id);
	for (int k = 0; k < d->n_lifts; k++)
		fprintf(f, "%s %s", k ? "," : "", s->measures[s->deal_lifts[d->lifts_first + k]].id);
	if (d->side_a >= 0)
		fprintf(f, " (between %s and %s)", s->countries[d->side_a].id, s->countries[d->side_b].id);
	if (d->earliest > 0 && ts_calendar_label(&s->run, d->earliest, label, sizeof label))
		fprintf(f, " from %s", label);
	fprintf(f, " once each side has lost over %.2f bn USD", d->loss_threshold);
	if (d->fine > 0 && d->payer >= 0)
		fprintf(f, "; %s pays %s a fine of %.2f bn USD", s->firms[d->payer].id,
			d->fine_recipient >= 0 ? s->countries[d->fine_recipient].id : "?", d->fine);
	if (d->purchase > 0 && d->buyer >= 0 && d->seller >= 0 && d->sector >= 0)
		fprintf(f, "; %s buys %.2f bn USD/yr of %s from %s's firms for %d %s%s",
			s->countries[d->buyer].id, d->purchase, s->sectors[d->sector].id,
			s->countries[d->seller].id, d->purchase_steps, step_unit(&s->run),
			d->purchase_steps == 1 ? "" : "s");
	fputc('\n', f);
}

static void describe_deals(const ts_scenario *s, FILE *f)
{
	if (s->n_deals == 0)
		return;
	int dw = 2;
	for (int i = 0; i < s->n_deals; i++)
		if ((int)strlen(s->deals[i].id) > dw)
			dw = (int)strlen(s->deals[i].id);
	fprintf(f, "\nDeals (%d)\n", s->n_deals);
	for (int i = 0; i < s->n_deals; i++)
		describe_deal(s, &s->deals[i], f, dw);
}

int ts_scenario_describe(const ts_scenario *s, FILE *f, ts_error *err)
{
	TS_ASSERT(s && f);
	describe_run(s, f);
	describe_countries(s, f);
	describe_sectors(s, f);
	describe_firms(s, f);
	int rc = describe_measures(s, f, err);
	if (rc != TS_OK)
		return rc;
	describe_deals(s, f);
	if (ferror(f))
		return ts_error_set(err, TS_EIO, "cannot write the description of %s", s->path);
	return TS_OK;
}
