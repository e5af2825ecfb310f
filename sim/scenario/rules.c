/* Scenario loading, the policy part: each country's retaliation `rules`, the
 * top-level `deals`, and the checks that need every measure read first
 * (docs/scenario.md, "rules" and "deals"; docs/model.md §10-§11). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/limits.h"
#include "scenario/loader.h"
#include "scenario/policy.h"

static const char *const rule_keys[] = {
	"rival", "kind", "menu", "forgive", "forgive_per_year", "ratio", "factor", "cap", "interval_months",
	"noise", "noise_per_year", "reaction_months", "loss_threshold", "tolerance_bn_usd", NULL,
};
static const char *const deal_keys[] = {
	"id", "lifts", "earliest", "loss_threshold", "fine", "payer", "purchase", "buyer", "seller",
	"sector", "purchase_steps", "purchase_months", NULL,
};

/* Growth of the arrays this file fills. */
struct policy_caps {
	size_t rule_menu, deal_lifts;
	unsigned char *used;          /* [n_measures]: named by a menu */
	int *toward;                  /* [n_countries]: the rule toward each rival of the
				       * country being read, or -1 */
};

/* Setting of measure j in the `measures` group, for diagnostics. */
static config_setting_t *measure_setting(struct loader *L, int j)
{
	return L->measures ? config_setting_get_elem(L->measures, (unsigned)j) : NULL;
}

/* An array of strings at `list`; false (reported) if it is something else. */
static bool string_array(struct loader *L, config_setting_t *list, const char *example)
{
	if (!config_setting_is_array(list) && !config_setting_is_list(list)) {
		ts_cfg_error(&L->cfg, list, "expected an array of measure ids like %s, got %s", example,
			     ts_cfg_type_phrase(list));
		return false;
	}
	return true;
}

/* A probability p a step as a rate a year: (1 - p) = exp(-rate / steps_per_year). */
static double rate_of_probability(double per_step, int steps_per_year)
{
	return -steps_per_year * log1p(-fmin(per_step, 1.0));
}

/* Rejects `key` of a rule when the rule's kind does not use it; `which`
 * names the kinds that do ("escalate only"). */
static void key_for_kinds(struct loader *L, config_setting_t *g, const char *key, ts_rule_kind kind,
			  unsigned kinds, const char *which)
{
	config_setting_t *at = ts_cfg_member(g, key);
	if (at && !(kinds & (1u << kind)))
		ts_cfg_error(&L->cfg, at, "'%s' applies to %s, not to %s", key, which,
			     ts_rule_kind_names[kind]);
}

/* Whether menu measure j fits rule r: a measure of the rule's country, on
 * call, aimed at the rival; each problem reported at e. */
static bool menu_measure_fits(struct loader *L, const config_setting_t *e, const ts_rule_spec *r, int j)
{
	const ts_scenario *s = L->s;
	ts_cfg *c = &L->cfg;
	const ts_measure_spec *m = &s->measures[j];
	const char *id = m->id, *country = s->countries[r->country].id;
	bool ok = true;
	if (m->actor >= 0 && m->actor != r->country) {
		ts_cfg_error(c, e, "measure '%s' is imposed by '%s', not by '%s': a rule answers with "
			     "its own country's measures", id, s->countries[m->actor].id, country);
		ok = false;
	}
	if (m->start != INT_MAX) {
		ts_cfg_error(c, e, "measure '%s' has a start: a menu lists measures on call "
			     "(leave 'start' out)", id);
		ok = false;
	}
	if (!ts_policy_kind_is_aimed(m->kind)) {
		ts_cfg_error(c, e, "measure '%s' is a%s %s, which is aimed at no rival", id,
			     strchr("aeiou", ts_measure_kind_names[m->kind][0]) ? "n" : "",
			     ts_measure_kind_names[m->kind]);
		ok = false;
	} else if (r->rival >= 0 && m->actor == r->country && ts_measure_target_country(s, m) != r->rival) {
		int t = ts_measure_target_country(s, m);
		ts_cfg_error(c, e, "measure '%s' targets '%s', not the rival '%s' or its firms", id,
			     t >= 0 ? s->countries[t].id : "every foreign firm", s->countries[r->rival].id);
		ok = false;
	}
	return ok;
}

/* The menu list: whether the rule's kind takes one, and its form; false
 * (reported) when there is nothing to read. */
static bool menu_applies(struct loader *L, config_setting_t *g, config_setting_t *list, const ts_rule_spec *r)
{
	ts_cfg *c = &L->cfg;
	bool needs_menu = r->kind != TS_RULE_NONE && r->kind != TS_RULE_NEGOTIATE;
	if (!list) {
		if (needs_menu)
			ts_cfg_error_in(c, g, "menu", "required setting missing: a %s rule needs a menu of "
					"on-call measures", ts_rule_kind_names[r->kind]);
		return false;
	}
	if (!needs_menu) {
		ts_cfg_error(c, list, "'menu' does not apply to %s, which never retaliates",
			     ts_rule_kind_names[r->kind]);
		return false;
	}
	if (!string_array(L, list, "[\"cn_micron_ban\"]"))
		return false;
	if (config_setting_length(list) == 0)
		ts_cfg_error(c, list, "expected at least one measure");
	return true;
}

static void parse_menu(struct loader *L, struct policy_caps *caps, config_setting_t *g, ts_rule_spec *r)
{
	ts_scenario *s = L->s;
	config_setting_t *list = ts_cfg_member(g, "menu");
	r->menu_first = s->n_rule_menu;
	if (!menu_applies(L, g, list, r) || !ts_loader_marks_begin(L, &L->seen_measures, (size_t)s->n_measures))
		return;
	for (int k = 0; k < config_setting_length(list); k++) {
		config_setting_t *e = config_setting_get_elem(list, (unsigned)k);
		int j = ts_loader_measure_elem(L, e);
		if (j < 0)
			continue;
		caps->used[j] = 1;
		bool ok = menu_measure_fits(L, e, r, j);
		if (ts_loader_marks_repeat(&L->seen_measures, j)) {
			ts_cfg_error(&L->cfg, e, "measure '%s' is listed twice", s->measures[j].id);
			ok = false;
		}
		if (!ok || !ts_loader_reserve(L, &s->rule_menu, &caps->rule_menu,
					      (size_t)s->n_rule_menu + 1, sizeof *s->rule_menu))
			continue;
		s->rule_menu[s->n_rule_menu++] = j;
	}
	r->n_menu = s->n_rule_menu - r->menu_first;
}

/* rival: another country, with no earlier rule of this country toward it. */
static void parse_rival(struct loader *L, struct policy_caps *caps, config_setting_t *g, ts_rule_spec *r)
{
	ts_scenario *s = L->s;
	r->rival = ts_loader_ref(L, g, "rival", TS_CFG_REQUIRED, KIND_COUNTRY);
	config_setting_t *rival_at = ts_cfg_member(g, "rival");
	if (r->rival == r->country) {
		ts_cfg_error(&L->cfg, rival_at, "a country cannot be its own rival ('%s')", s->countries[r->country].id);
		r->rival = -1;
	}
	if (r->rival < 0)
		return;
	int first = caps->toward[r->rival];
	if (first >= 0) {
		ts_cfg_error(&L->cfg, rival_at, "a second rule toward '%s' (the first is at line %d): "
			     "one rule per rival", s->countries[r->rival].id, s->rules[first].line);
		r->rival = -1;
	} else {
		caps->toward[r->rival] = s->n_rules;
	}
}

/* With a kind that is unknown, which keys apply is unknown too: the kind's
 * error says enough. The menu still counts as using its measures. */
static void mark_menu_used(struct loader *L, struct policy_caps *caps, config_setting_t *g)
{
	config_setting_t *menu = ts_cfg_member(g, "menu");
	for (int k = 0; menu && k < config_setting_length(menu); k++) {
		const char *id = config_setting_get_string_elem(menu, (unsigned)k);
		const struct id_entry *e = id ? ts_loader_table_find(&L->measure_ids, id) : NULL;
		if (e)
			caps->used[e->index] = 1;
	}
}

/* The settings of the rule's kind; a setting of another kind is an error. */
static void parse_rule_settings(struct loader *L, config_setting_t *g, ts_rule_spec *r)
{
	ts_cfg *c = &L->cfg;
	unsigned perceiving = ~((1u << TS_RULE_NONE) | (1u << TS_RULE_NEGOTIATE));
	key_for_kinds(L, g, "forgive", r->kind, 1u << TS_RULE_GENEROUS_TFT, "generous_tit_for_tat only");
	key_for_kinds(L, g, "forgive_per_year", r->kind, 1u << TS_RULE_GENEROUS_TFT, "generous_tit_for_tat only");
	key_for_kinds(L, g, "interval_months", r->kind, 1u << TS_RULE_ESCALATE, "escalate only");
	key_for_kinds(L, g, "ratio", r->kind, 1u << TS_RULE_PROPORTIONAL, "proportional only");
	key_for_kinds(L, g, "factor", r->kind, 1u << TS_RULE_ESCALATE, "escalate only");
	key_for_kinds(L, g, "cap", r->kind, 1u << TS_RULE_ESCALATE, "escalate only");
	key_for_kinds(L, g, "loss_threshold", r->kind, 1u << TS_RULE_NEGOTIATE, "negotiate only");
	key_for_kinds(L, g, "noise", r->kind, perceiving, "the rules that watch the rival (every kind but none and negotiate)");
	key_for_kinds(L, g, "noise_per_year", r->kind, perceiving,
		      "the rules that watch the rival (every kind but none and negotiate)");
	ts_cfg_float(c, g, "forgive_per_year", 0, 0, TS_MAX_RATE_PER_YEAR, &r->forgive_per_year);
	ts_cfg_float(c, g, "interval_months", TS_CFG_LO_OPEN, 0, TS_MAX_MONTHS, &r->interval_months);
	ts_loader_renamed(L, g, "forgive", "forgive_per_year", "a rate per year of forgiving", rate_of_probability);
	ts_loader_renamed(L, g, "noise", "noise_per_year", "misperceptions per year", rate_of_probability);
	ts_cfg_float(c, g, "ratio", TS_CFG_LO_OPEN, 0, INFINITY, &r->ratio);
	ts_cfg_float(c, g, "factor", TS_CFG_LO_OPEN, 1, INFINITY, &r->factor);
	ts_cfg_float(c, g, "noise_per_year", 0, 0, TS_MAX_RATE_PER_YEAR, &r->noise_per_year);
	key_for_kinds(L, g, "tolerance_bn_usd", r->kind, perceiving,
		      "the rules that watch the rival (every kind but none and negotiate)");
	ts_cfg_float(c, g, "tolerance_bn_usd", 0, 0, INFINITY, &r->tolerance_bn_usd);
	key_for_kinds(L, g, "reaction_months", r->kind, perceiving,
		      "the rules that watch the rival (every kind but none and negotiate)");
	ts_loader_span(L, g, "reaction_months", TS_MAX_REACTION_MONTHS, &r->reaction_steps);
	r->reaction_steps = r->reaction_steps > 1 ? r->reaction_steps : 1;  /* at least the next step */
	ts_cfg_float(c, g, "loss_threshold", 0, 0, INFINITY, &r->loss_threshold);
}

static void parse_rule(struct loader *L, struct policy_caps *caps, int country, config_setting_t *g)
{
	ts_scenario *s = L->s;
	ts_cfg *c = &L->cfg;
	if (!config_setting_is_group(g)) {
		ts_cfg_error(c, g, "expected a group { rival = ...; kind = ...; } describing the rule, got %s",
			     ts_cfg_type_phrase(g));
		return;
	}
	ts_cfg_check_keys(c, g, rule_keys);
	ts_rule_spec *r = &s->rules[s->n_rules];
	*r = (ts_rule_spec){ .country = country, .rival = -1, .kind = TS_RULE_NONE,
			     .forgive_per_year = 1.6218604324326575,  /* 1/3 a quarter */
			     .ratio = 1.0, .factor = 1.5, .cap = INT_MAX, .interval_months = 3.0,
			     .noise_per_year = 0.0, .loss_threshold = 1.0,
			     .reaction_steps = L->run_ok ? ts_calendar_span_steps(&s->run, 3.0) : 1,  /* a quarter */
			     .line = ts_loader_line(L, g), .menu_first = s->n_rule_menu };
	parse_rival(L, caps, g, r);
	const char *kind_text;
	int kind = -1;
	if (ts_cfg_string(c, g, "kind", TS_CFG_REQUIRED, &kind_text) == TS_CFG_SET)
		kind = ts_loader_name(L, ts_cfg_member(g, "kind"), kind_text, ts_rule_kind_names,
				      TS_RULE_KIND_COUNT, "rule kind");
	if (kind < 0) {
		mark_menu_used(L, caps, g);
		return;
	}
	r->kind = (ts_rule_kind)kind;
	parse_rule_settings(L, g, r);
	long long cap = 0;
	int cap_rc = ts_cfg_int(c, g, "cap", 0, 1, INT_MAX, &cap);
	parse_menu(L, caps, g, r);
	if (cap_rc == TS_CFG_SET) {
		r->cap = (int)cap;
		if (r->n_menu > 0 && cap > r->n_menu)
			ts_cfg_error(c, ts_cfg_member(g, "cap"),
				     "cap (%lld) exceeds the menu's %d measure%s", cap, r->n_menu,
				     r->n_menu == 1 ? "" : "s");
	} else {
		r->cap = r->n_menu;
	}
	if (r->rival >= 0) {
		r->seen_first = s->n_rule_seen;
		s->n_rule_seen += r->reaction_steps;
		s->n_rules++;
	}
}

static void parse_rules(struct loader *L, struct policy_caps *caps)
{
	ts_scenario *s = L->s;
	int total = 0;
	for (int i = 0; L->countries && i < s->n_countries; i++) {
		config_setting_t *g = config_setting_get_elem(L->countries, (unsigned)i);
		config_setting_t *rules = config_setting_is_group(g) ? ts_cfg_member(g, "rules") : NULL;
		if (rules && config_setting_is_list(rules) && config_setting_length(rules) < s->n_countries)
			total += config_setting_length(rules);  /* longer lists are refused below */
	}
	s->rules = ts_loader_calloc(L, (size_t)total, sizeof *s->rules);
	caps->toward = ts_loader_calloc(L, (size_t)s->n_countries, sizeof *caps->toward);
	if (!s->rules || !caps->toward)
		return;
	for (int c = 0; c < s->n_countries; c++)
		caps->toward[c] = -1;
	for (int i = 0; L->countries && i < s->n_countries; i++) {
		config_setting_t *g = config_setting_get_elem(L->countries, (unsigned)i);
		config_setting_t *rules = config_setting_is_group(g) ? ts_cfg_member(g, "rules") : NULL;
		if (!rules)
			continue;
		if (!config_setting_is_list(rules)) {
			ts_cfg_error(&L->cfg, rules, "expected a list ( { rival = ...; kind = ...; }, ... ), got %s",
				     ts_cfg_type_phrase(rules));
			continue;
		}
		if (!ts_loader_check_count(L, rules, config_setting_length(rules), s->n_countries - 1,
					   "rules (one per rival)"))
			continue;
		int first_rule = s->n_rules;
		for (int k = 0; k < config_setting_length(rules) && !L->cfg.nomem; k++)
			parse_rule(L, caps, i, config_setting_get_elem(rules, (unsigned)k));
		for (int q = first_rule; q < s->n_rules; q++)
			caps->toward[s->rules[q].rival] = -1;  /* the next country starts afresh */
	}
}

/* Whether lifted measure j lies between the deal's two countries (the first
 * lifted measure sets them); reported at e if not. */
static bool lift_between_sides(struct loader *L, const config_setting_t *e, ts_deal_spec *d, int j,
			       const char **first)
{
	const ts_scenario *s = L->s;
	const ts_measure_spec *m = &s->measures[j];
	int target = ts_measure_target_country(s, m);
	if (m->actor < 0)
		return false;  /* its own error is reported */
	if (!ts_policy_kind_is_aimed(m->kind) || target < 0) {
		ts_cfg_error(&L->cfg, e, "measure '%s' is aimed at no country: a deal lifts measures "
			     "between two countries", m->id);
		return false;
	}
	if (d->side_a < 0) {
		d->side_a = m->actor;
		d->side_b = target;
		*first = m->id;
	} else if (!((m->actor == d->side_a && target == d->side_b) ||
		     (m->actor == d->side_b && target == d->side_a))) {
		ts_cfg_error(&L->cfg, e, "measure '%s' is between '%s' and '%s', not between '%s' and '%s' "
			     "like '%s': a deal settles one pair", m->id, s->countries[m->actor].id,
			     s->countries[target].id, s->countries[d->side_a].id,
			     s->countries[d->side_b].id, *first);
		return false;
	}
	return true;
}

/* The lifted measures: ids of measures all between the same two countries. */
static void parse_lifts(struct loader *L, struct policy_caps *caps, config_setting_t *g, ts_deal_spec *d)
{
	ts_scenario *s = L->s;
	ts_cfg *c = &L->cfg;
	config_setting_t *list = ts_cfg_member(g, "lifts");
	d->lifts_first = s->n_deal_lifts;
	d->side_a = d->side_b = -1;
	if (!list) {
		ts_cfg_error_in(c, g, "lifts", "required setting missing: the measures the deal lifts");
		return;
	}
	if (!string_array(L, list, "[\"zte_denial\"]"))
		return;
	if (config_setting_length(list) == 0)
		ts_cfg_error(c, list, "expected at least one measure");
	if (!ts_loader_marks_begin(L, &L->seen_measures, (size_t)s->n_measures))
		return;
	const char *first = NULL;
	for (int k = 0; k < config_setting_length(list); k++) {
		config_setting_t *e = config_setting_get_elem(list, (unsigned)k);
		int j = ts_loader_measure_elem(L, e);
		if (j < 0 || !lift_between_sides(L, e, d, j, &first))
			continue;
		if (ts_loader_marks_repeat(&L->seen_measures, j)) {
			ts_cfg_error(c, e, "measure '%s' is listed twice", s->measures[j].id);
			continue;
		}
		if (!ts_loader_reserve(L, &s->deal_lifts, &caps->deal_lifts, (size_t)s->n_deal_lifts + 1,
				       sizeof *s->deal_lifts))
			return;
		s->deal_lifts[s->n_deal_lifts++] = j;
	}
	d->n_lifts = s->n_deal_lifts - d->lifts_first;
}

static void parse_purchase(struct loader *L, config_setting_t *g, ts_deal_spec *d)
{
	ts_scenario *s = L->s;
	ts_cfg *c = &L->cfg;
	int steps = L->run_ok ? ts_calendar_span_steps(&s->run, 12.0) : 4;  /* a year */
	ts_cfg_float(c, g, "purchase", 0, 0, TS_MAX_MONEY, &d->purchase);
	ts_loader_span(L, g, "purchase_months", TS_MAX_MONTHS, &steps);
	ts_loader_renamed(L, g, "purchase_steps", "purchase_months", "in months", ts_loader_months_of_steps);
	unsigned flags = d->purchase > 0 ? TS_CFG_REQUIRED : 0;
	d->buyer = ts_loader_ref(L, g, "buyer", flags, KIND_COUNTRY);
	d->seller = ts_loader_ref(L, g, "seller", flags, KIND_COUNTRY);
	d->sector = ts_loader_ref(L, g, "sector", flags, KIND_SECTOR);
	d->purchase_steps = steps > 1 ? steps : 1;  /* at least the step it triggers */
	if (d->buyer >= 0 && d->buyer == d->seller)
		ts_cfg_error(c, ts_cfg_member(g, "seller"),
			     "the seller must differ from the buyer ('%s')", s->countries[d->buyer].id);
	if (d->purchase <= 0 || d->buyer < 0 || d->seller < 0 || d->sector < 0)
		return;
	if (!(s->markets[(size_t)d->buyer * (size_t)s->n_sectors + (size_t)d->sector].size > 0))
		ts_cfg_error(c, ts_cfg_member(g, "sector"),
			     "buyer '%s' has no market for '%s' to make the purchase in",
			     s->countries[d->buyer].id, s->sectors[d->sector].id);
	bool has_firm = false;
	for (int i = 0; i < s->n_firms; i++)
		has_firm = has_firm || (s->firms[i].country == d->seller && s->firms[i].sector == d->sector);
	if (!has_firm)
		ts_cfg_error(c, ts_cfg_member(g, "sector"),
			     "seller '%s' has no firm in '%s' to buy from", s->countries[d->seller].id,
			     s->sectors[d->sector].id);
}

static void parse_deal(struct loader *L, struct policy_caps *caps, config_setting_t *deals, int i)
{
	ts_scenario *s = L->s;
	ts_cfg *c = &L->cfg;
	config_setting_t *g = config_setting_get_elem(deals, (unsigned)i);
	ts_deal_spec *d = &s->deals[i];
	d->line = ts_loader_line(L, g);
	d->payer = d->buyer = d->seller = d->sector = d->side_a = d->side_b = d->fine_recipient = -1;
	d->lifts_first = s->n_deal_lifts;
	if (!config_setting_is_group(g)) {
		ts_cfg_error(c, g, "expected a group { lifts = [...]; ... } describing the deal, got %s",
			     ts_cfg_type_phrase(g));
		return;
	}
	ts_cfg_check_keys(c, g, ts_loader_entry_keys(deals, deal_keys));
	parse_lifts(L, caps, g, d);
	config_setting_t *earliest = ts_cfg_member(g, "earliest");
	if (earliest)
		ts_loader_date(L, earliest, &d->earliest);
	ts_cfg_float(c, g, "loss_threshold", 0, 0, INFINITY, &d->loss_threshold);
	ts_cfg_float(c, g, "fine", 0, 0, TS_MAX_MONEY, &d->fine);
	d->payer = ts_loader_ref(L, g, "payer", d->fine > 0 ? TS_CFG_REQUIRED : 0, KIND_FIRM);
	/* The fine goes to the side lifting measures against the payer. */
	d->fine_recipient = d->side_a;
	if (d->payer >= 0 && s->firms[d->payer].country == d->side_a)
		d->fine_recipient = d->side_b;
	parse_purchase(L, g, d);
}

/* Deal i's id, checked and unique within `seen` (libconfig refuses a name
 * used twice in a group; the list form's ids are checked here); NULL when
 * it has none, is a repeat (both reported) or memory ran out. */
static char *deal_id(struct loader *L, config_setting_t *deals, int i, struct id_table *seen)
{
	config_setting_t *g = config_setting_get_elem(deals, (unsigned)i);
	const char *id = ts_loader_entry_id(L, g, "deal");
	if (!id)
		return NULL;
	const config_setting_t *at = ts_loader_entry_id_setting(g);
	ts_loader_check_id_length(L, at, id);
	struct id_entry *e = ts_loader_table_slot(seen, id);
	if (e->id) {
		char where[1100];
		ts_cfg_location(&L->cfg, e->setting, where, sizeof where);
		ts_cfg_error(&L->cfg, at, "duplicate id '%s': also a deal at %s", id, where);
		return NULL;
	}
	*e = (struct id_entry){ .id = id, .index = i, .setting = at };
	return ts_loader_strdup(L, id);
}

static void parse_deals(struct loader *L, struct policy_caps *caps)
{
	ts_scenario *s = L->s;
	config_setting_t *deals;
	struct id_table seen = { 0 };
	if (ts_loader_entity_table(L, "deals", 0, &deals) != TS_CFG_SET)
		return;
	int n = config_setting_length(deals);
	if (!ts_loader_check_count(L, deals, n, TS_MAX_DEALS, "deals"))
		return;
	s->deals = ts_loader_calloc(L, (size_t)n, sizeof *s->deals);
	if (!s->deals || !ts_loader_table_init(L, &seen, (size_t)n))
		return;
	s->n_deals = n;
	for (int i = 0; i < n && !L->cfg.nomem; i++) {
		s->deals[i].id = deal_id(L, deals, i, &seen);
		if (s->deals[i].id)
			parse_deal(L, caps, deals, i);
	}
	ts_loader_table_free(&seen);
}

void ts_loader_parse_policy(struct loader *L)
{
	ts_scenario *s = L->s;
	struct policy_caps caps = { 0 };
	caps.used = ts_loader_calloc(L, (size_t)s->n_measures, 1);
	if (!caps.used)
		return;
	parse_rules(L, &caps);
	parse_deals(L, &caps);
	/* An on-call measure nothing can start is a mistake (or a forgotten start). */
	for (int j = 0; j < s->n_measures; j++) {
		const ts_measure_spec *m = &s->measures[j];
		if (m->kind == TS_MEASURE_ALLIANCE_PRESSURE && m->pressed_measure >= 0 &&
		    m->pressed_measure < s->n_measures)
			caps.used[m->pressed_measure] = 1;
	}
	for (int j = 0; j < s->n_measures && !L->cfg.nomem; j++)
		if (s->measures[j].start == INT_MAX && !caps.used[j] && s->measures[j].id)
			ts_cfg_error(&L->cfg, measure_setting(L, j),
				     "measure '%s' has no start and no rule or alliance pressure uses it",
				     s->measures[j].id);
	free(caps.used);
	free(caps.toward);
	s->n_dynamic_measures = ts_policy_dynamic_slots(s);
	if (L->measures)
		ts_loader_check_count(L, L->measures, s->n_dynamic_measures, TS_MAX_DYNAMIC_MEASURES,
				      "measures rules and alliance pressure can start (menu entries and allies under pressure)");
}

void ts_scenario_free_policy(ts_scenario *s)
{
	for (int i = 0; s->deals && i < s->n_deals; i++)
		free(s->deals[i].id);
	free(s->deals);
	free(s->deal_lifts);
	free(s->rules);
	free(s->rule_menu);
	s->deals = NULL;
	s->deal_lifts = NULL;
	s->rules = NULL;
	s->rule_menu = NULL;
}
