/* Scenario loading, the `measures` group: each measure's kind, actor,
 * target, sectors, dates and kind-specific parameters (docs/scenario.md,
 * "measures"). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/limits.h"
#include "scenario/loader.h"

static const char *const measure_keys[] = {
	"id", "type", "actor", "target", "sectors", "segment", "start", "end", "enabled", "budget", "rate",
	"licence_share", "foreign_direct_product", "fdp_threshold", "tech_denial", "requirement",
	"cost", "capacity", "build_steps", "build_months", "measure", "pressure", "pressure_per_year",
	"delay", "delay_months", "allies", NULL,
};

/* Which kinds each kind-specific key applies to (docs/scenario.md, "measures"). */
#define KIND_BIT(k) (1u << (k))
#define ALL_KINDS ((1u << TS_MEASURE_KIND_COUNT) - 1u)
static const struct kind_key {
	const char *key;
	unsigned kinds;
} kind_keys[] = {
	{ "target", ALL_KINDS & ~KIND_BIT(TS_MEASURE_ALLIANCE_PRESSURE) },
	{ "sectors", ALL_KINDS & ~(KIND_BIT(TS_MEASURE_CAPACITY_INVESTMENT) | KIND_BIT(TS_MEASURE_ALLIANCE_PRESSURE)) },
	{ "segment", KIND_BIT(TS_MEASURE_PROCUREMENT_BAN) | KIND_BIT(TS_MEASURE_COMPLIANCE) },
	{ "budget", KIND_BIT(TS_MEASURE_RD_INVESTMENT) | KIND_BIT(TS_MEASURE_CAPACITY_INVESTMENT) },
	{ "rate", KIND_BIT(TS_MEASURE_TARIFF) | KIND_BIT(TS_MEASURE_SUBSIDY) },
	{ "licence_share", KIND_BIT(TS_MEASURE_EXPORT_CONTROL) },
	{ "foreign_direct_product", KIND_BIT(TS_MEASURE_EXPORT_CONTROL) },
	{ "fdp_threshold", KIND_BIT(TS_MEASURE_EXPORT_CONTROL) },
	{ "tech_denial", KIND_BIT(TS_MEASURE_EXPORT_CONTROL) },
	{ "requirement", KIND_BIT(TS_MEASURE_COMPLIANCE) },
	{ "cost", KIND_BIT(TS_MEASURE_COMPLIANCE) },
	{ "capacity", KIND_BIT(TS_MEASURE_CAPACITY_INVESTMENT) },
	{ "build_steps", KIND_BIT(TS_MEASURE_CAPACITY_INVESTMENT) },
	{ "build_months", KIND_BIT(TS_MEASURE_CAPACITY_INVESTMENT) },
	{ "measure", KIND_BIT(TS_MEASURE_ALLIANCE_PRESSURE) },
	{ "pressure", KIND_BIT(TS_MEASURE_ALLIANCE_PRESSURE) },
	{ "pressure_per_year", KIND_BIT(TS_MEASURE_ALLIANCE_PRESSURE) },
	{ "delay", KIND_BIT(TS_MEASURE_ALLIANCE_PRESSURE) },
	{ "delay_months", KIND_BIT(TS_MEASURE_ALLIANCE_PRESSURE) },
	{ "allies", KIND_BIT(TS_MEASURE_ALLIANCE_PRESSURE) },
};

/* An adoption probability p a step (at alignment 1) as a rate a year:
 * 1 - p = exp(-rate / steps_per_year); p = 1 (at once) as 1 - 1e-4. */
static double adoption_rate(double per_step, int steps_per_year)
{
	return -steps_per_year * log1p(-fmin(per_step, 1.0 - 1e-4));
}

/* Reports every key given that does not apply to the measure's kind:
 * "'budget' applies to rd_investment and capacity_investment only, not to tariff". */
static void check_kind_keys(struct loader *L, const config_setting_t *g, ts_measure_kind kind)
{
	for (size_t k = 0; k < sizeof kind_keys / sizeof kind_keys[0]; k++) {
		config_setting_t *at = ts_cfg_member(g, kind_keys[k].key);
		if (!at || (kind_keys[k].kinds & KIND_BIT(kind)))
			continue;
		char kinds[256] = "";
		size_t used = 0;
		int n = 0, total = 0;
		for (int j = 0; j < TS_MEASURE_KIND_COUNT; j++)
			total += (kind_keys[k].kinds & KIND_BIT(j)) != 0;
		for (int j = 0; j < TS_MEASURE_KIND_COUNT && used < sizeof kinds; j++) {
			if (!(kind_keys[k].kinds & KIND_BIT(j)))
				continue;
			n++;
			int w = snprintf(kinds + used, sizeof kinds - used, "%s%s",
					 n == 1 ? "" : n == total ? " and " : ", ", ts_measure_kind_names[j]);
			used += w > 0 ? (size_t)w : 0;
		}
		if (total > 2)
			ts_cfg_error(&L->cfg, at, "'%s' does not apply to %s", kind_keys[k].key,
				     ts_measure_kind_names[kind]);
		else
			ts_cfg_error(&L->cfg, at, "'%s' applies to %s only, not to %s", kind_keys[k].key, kinds,
				     ts_measure_kind_names[kind]);
	}
}

static bool applies(const char *key, ts_measure_kind kind)
{
	for (size_t k = 0; k < sizeof kind_keys / sizeof kind_keys[0]; k++)
		if (strcmp(kind_keys[k].key, key) == 0)
			return (kind_keys[k].kinds & KIND_BIT(kind)) != 0;
	return true;
}

static void parse_measure_dates(struct loader *L, config_setting_t *g, ts_measure_spec *m)
{
	const ts_run_spec *run = &L->s->run;
	config_setting_t *start = ts_cfg_member(g, "start");
	config_setting_t *end = ts_cfg_member(g, "end");
	char first[64], last[64], at[64];
	m->end = INT_MAX;
	if (!start) {
		/* On call: started only by a retaliation rule or alliance pressure. */
		m->start = INT_MAX;
		if (end)
			ts_cfg_error(&L->cfg, end, "'end' needs a 'start' (a measure without start is on call: "
				     "rules and alliance pressure start it)");
		return;
	}
	bool start_ok = ts_loader_date(L, start, &m->start) == 0;
	if (start_ok && L->run_ok && (m->start < 0 || m->start >= run->steps)) {
		ts_calendar_label(run, 0, first, sizeof first);
		ts_calendar_label(run, run->steps - 1, last, sizeof last);
		ts_calendar_label(run, m->start, at, sizeof at);
		ts_cfg_error(&L->cfg, start, "step %d (%s) is %s the run, which covers %s .. %s (steps 0..%d)",
			     m->start, at, m->start < 0 ? "before" : "after", first, last, run->steps - 1);
		start_ok = false;
	}
	if (!end || ts_loader_date(L, end, &m->end) != 0)
		return;
	if (start_ok && m->end <= m->start) {
		ts_loader_step_text(L, m->end, at, sizeof at);
		ts_loader_step_text(L, m->start, first, sizeof first);
		ts_cfg_error(&L->cfg, end, "end (%s) must come after start (%s)", at, first);
	}
}

void ts_loader_sector_list(struct loader *L, config_setting_t *g, const char *key, const char *absent,
			   int *first, int *count)
{
	ts_scenario *s = L->s;
	config_setting_t *list = ts_cfg_member(g, key);
	*first = s->n_measure_sectors;
	*count = 0;
	if (!list)
		return;
	if (!config_setting_is_array(list) && !config_setting_is_list(list)) {
		ts_cfg_error(&L->cfg, list, "expected an array of sector ids like [\"chips\"], got %s",
			     ts_cfg_type_phrase(list));
		return;
	}
	if (config_setting_length(list) == 0)
		ts_cfg_error(&L->cfg, list, "expected at least one sector (leave '%s' out for %s)", key, absent);
	if (!ts_loader_marks_begin(L, &L->seen_sectors, (size_t)s->n_sectors))
		return;
	for (int k = 0; k < config_setting_length(list); k++) {
		config_setting_t *e = config_setting_get_elem(list, (unsigned)k);
		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			ts_cfg_error(&L->cfg, e, "expected a sector id (string), got %s", ts_cfg_type_phrase(e));
			continue;
		}
		int sector = ts_loader_resolve(L, e, config_setting_get_string(e), KIND_SECTOR, "sector", NULL);
		if (sector < 0)
			continue;
		if (ts_loader_marks_repeat(&L->seen_sectors, sector)) {
			ts_cfg_error(&L->cfg, e, "sector '%s' is listed twice", s->sectors[sector].id);
			continue;
		}
		if (!ts_loader_reserve(L, &s->measure_sectors, &L->cap_measure_sectors,
			     (size_t)s->n_measure_sectors + 1, sizeof *s->measure_sectors))
			return;
		s->measure_sectors[s->n_measure_sectors++] = sector;
	}
	*count = s->n_measure_sectors - *first;
}

/* rd_investment and subsidy aim at the actor's own firms: `target` may only
 * name the actor. */
static void parse_own_target(struct loader *L, config_setting_t *g, ts_measure_spec *m, int rc, const char *id)
{
	const ts_scenario *s = L->s;
	m->target_country = m->actor;
	if (rc == TS_CFG_SET && m->actor >= 0 && strcmp(id, s->countries[m->actor].id) != 0)
		ts_cfg_error(&L->cfg, ts_cfg_member(g, "target"),
			     "a%s %s targets its actor's own firms: leave 'target' out "
			     "or set it to '%s'", m->kind == TS_MEASURE_RD_INVESTMENT ? "n" : "",
			     ts_measure_kind_names[m->kind], s->countries[m->actor].id);
}

/* A ban, control, tariff or compliance demand cannot hit its own actor. */
static void check_not_own(struct loader *L, const config_setting_t *at, const ts_measure_spec *m, int kind,
			  int index, const char *id)
{
	const ts_scenario *s = L->s;
	const char *measure = m->kind == TS_MEASURE_TARIFF ? "a tariff"
			      : m->kind == TS_MEASURE_COMPLIANCE ? "a compliance measure" : "a ban or control";
	if (kind == KIND_COUNTRY && index == m->actor)
		ts_cfg_error(&L->cfg, at, "%s cannot target its own actor '%s'", measure, id);
	else if (kind == KIND_FIRM && s->firms[index].country == m->actor)
		ts_cfg_error(&L->cfg, at, "%s cannot target '%s', a firm of its own actor '%s'",
			     measure, id, s->countries[m->actor].id);
}

/* Who a measure hits, by kind (docs/scenario.md, "measures"):
 * - bans, export controls: a firm or a country, required;
 * - tariff: a country (its firms' origin), required;
 * - compliance: a firm or a country, optional (every foreign firm);
 * - capacity_investment: a firm of any country, required;
 * - rd_investment, subsidy: the actor's own firms (leave out or name the actor);
 * - alliance_pressure: none (the pressed measure has one).
 * Only bans, controls, tariffs and compliance are aimed at someone else. */
static void parse_target(struct loader *L, config_setting_t *g, ts_measure_spec *m, bool kind_ok)
{
	const char *id = NULL;
	m->target_country = m->target_firm = -1;
	if (kind_ok && !applies("target", m->kind))
		return;
	bool own = kind_ok && (m->kind == TS_MEASURE_RD_INVESTMENT || m->kind == TS_MEASURE_SUBSIDY);
	bool optional = own || !kind_ok || m->kind == TS_MEASURE_COMPLIANCE;
	int rc = ts_cfg_string(&L->cfg, g, "target", optional ? 0 : TS_CFG_REQUIRED, &id);
	if (own) {
		parse_own_target(L, g, m, rc, id);
		return;
	}
	if (rc != TS_CFG_SET)
		return;
	config_setting_t *at = ts_cfg_member(g, "target");
	int kinds = KIND_FIRM | KIND_COUNTRY;
	const char *what = "firm or country";
	if (kind_ok && m->kind == TS_MEASURE_TARIFF) {
		kinds = KIND_COUNTRY;
		what = "country (a tariff applies to the firms of a country of origin)";
	} else if (kind_ok && m->kind == TS_MEASURE_CAPACITY_INVESTMENT) {
		kinds = KIND_FIRM;
		what = "firm (whose capacity the investment adds to)";
	}
	int kind;
	int index = ts_loader_resolve(L, at, id, kinds, what, &kind);
	if (index < 0)
		return;
	if (kind == KIND_FIRM)
		m->target_firm = index;
	else
		m->target_country = index;
	if (m->actor >= 0 && kind_ok && m->kind != TS_MEASURE_CAPACITY_INVESTMENT)
		check_not_own(L, at, m, kind, index, id);
}

static void parse_segment(struct loader *L, config_setting_t *g, ts_measure_spec *m)
{
	const char *segment;
	bool procurement = m->kind == TS_MEASURE_PROCUREMENT_BAN;
	m->all_segments = m->kind == TS_MEASURE_COMPLIANCE;
	if (!applies("segment", m->kind) ||
	    ts_cfg_string(&L->cfg, g, "segment", procurement ? TS_CFG_REQUIRED : 0, &segment) != TS_CFG_SET)
		return;
	int k = ts_loader_name(L, ts_cfg_member(g, "segment"), segment, ts_segment_names,
			       TS_SEG_COUNT, NULL);
	if (k >= 0) {
		m->segment = (ts_segment)k;
		m->all_segments = false;
	}
}

static void parse_requirement(struct loader *L, config_setting_t *g, ts_measure_spec *m)
{
	const char *text;
	if (ts_cfg_string(&L->cfg, g, "requirement", TS_CFG_REQUIRED, &text) != TS_CFG_SET)
		return;
	int k = ts_loader_name(L, ts_cfg_member(g, "requirement"), text, ts_requirement_names,
			       TS_REQ_COUNT, NULL);
	if (k >= 0)
		m->requirement = (ts_requirement)k;
}

/* The keys of each kind with their defaults (docs/scenario.md). */
static void parse_kind_settings(struct loader *L, config_setting_t *g, ts_measure_spec *m)
{
	ts_cfg *c = &L->cfg;
	const char *pressed;
	switch (m->kind) {
	case TS_MEASURE_RD_INVESTMENT:
		ts_cfg_float(c, g, "budget", TS_CFG_REQUIRED, 0, TS_MAX_MONEY, &m->budget);
		break;
	case TS_MEASURE_TARIFF:
		ts_cfg_float(c, g, "rate", TS_CFG_REQUIRED, 0, 10, &m->rate);
		break;
	case TS_MEASURE_SUBSIDY:
		ts_cfg_float(c, g, "rate", TS_CFG_REQUIRED, 0, 0.9, &m->rate);
		break;
	case TS_MEASURE_EXPORT_CONTROL:
		ts_cfg_float(c, g, "licence_share", 0, 0, 1, &m->licence_share);
		ts_cfg_bool(c, g, "foreign_direct_product", 0, &m->foreign_direct_product);
		ts_cfg_float(c, g, "fdp_threshold", TS_CFG_LO_OPEN, 0, 1, &m->fdp_threshold);
		ts_cfg_bool(c, g, "tech_denial", 0, &m->tech_denial);
		break;
	case TS_MEASURE_COMPLIANCE:
		parse_requirement(L, g, m);
		ts_cfg_float(c, g, "cost", 0, 0, 1, &m->cost);
		break;
	case TS_MEASURE_CAPACITY_INVESTMENT:
		ts_cfg_float(c, g, "capacity", TS_CFG_REQUIRED | TS_CFG_LO_OPEN, 0, TS_MAX_MONEY, &m->capacity);
		ts_loader_span(L, g, "build_months", TS_MAX_MONTHS, &m->build_steps);
		ts_loader_renamed(L, g, "build_steps", "build_months", "the time to build, in months", ts_loader_months_of_steps);
		ts_cfg_float(c, g, "budget", 0, 0, TS_MAX_MONEY, &m->budget);
		break;
	case TS_MEASURE_ALLIANCE_PRESSURE:
		/* `measure` and `allies` are resolved once every measure is read. */
		ts_cfg_string(c, g, "measure", TS_CFG_REQUIRED, &pressed);
		if (!ts_cfg_member(g, "pressure"))
			ts_cfg_float(c, g, "pressure_per_year", TS_CFG_REQUIRED, 0, TS_MAX_RATE_PER_YEAR,
				     &m->pressure_per_year);
		ts_loader_renamed(L, g, "pressure", "pressure_per_year",
				  "alignment x it is the ally's adoptions per year (a Poisson rate)", adoption_rate);
		if (ts_cfg_float(c, g, "delay_months", 0, 0, TS_MAX_MONTHS, &m->delay_months) == TS_CFG_SET && L->run_ok)
			m->delay = ts_calendar_span_steps(&L->s->run, m->delay_months);
		ts_loader_renamed(L, g, "delay", "delay_months", "in months", ts_loader_months_of_steps);
		break;
	default:
		break;
	}
}

/* Every setting's default before any is read (docs/scenario.md). */
static void measure_defaults(struct loader *L, config_setting_t *g, ts_measure_spec *m)
{
	m->line = ts_loader_line(L, g);
	m->actor = m->target_country = m->target_firm = -1;
	m->end = INT_MAX;
	m->segment = TS_SEG_PRIVATE;
	m->sector_first = L->s->n_measure_sectors;
	m->ally_first = L->s->n_measure_allies;
	m->enabled = true;
	m->fdp_threshold = 0.25;
	m->tech_denial = true;
	m->build_steps = L->run_ok ? ts_calendar_span_steps(&L->s->run, 12.0) : 4;  /* a year */
	m->pressed_measure = -1;
}

static void parse_measure(struct loader *L, int i)
{
	ts_cfg *c = &L->cfg;
	config_setting_t *g = config_setting_get_elem(L->measures, (unsigned)i);
	ts_measure_spec *m = &L->s->measures[i];
	measure_defaults(L, g, m);
	if (!config_setting_is_group(g)) {
		if (config_setting_is_group(L->measures))  /* a list's entry: reported with its id */
			ts_cfg_error(c, g, "expected a group { type = ...; } describing the measure, got %s",
				     ts_cfg_type_phrase(g));
		return;
	}
	ts_cfg_check_keys(c, g, ts_loader_entry_keys(L->measures, measure_keys));
	const char *type;
	int kind = -1;
	if (ts_cfg_string(c, g, "type", TS_CFG_REQUIRED, &type) == TS_CFG_SET)
		kind = ts_loader_name(L, ts_cfg_member(g, "type"), type, ts_measure_kind_names,
				      TS_MEASURE_KIND_COUNT, "measure type");
	bool kind_ok = kind >= 0;
	if (kind_ok)
		m->kind = (ts_measure_kind)kind;
	ts_cfg_bool(c, g, "enabled", 0, &m->enabled);
	m->actor = ts_loader_ref(L, g, "actor", TS_CFG_REQUIRED, KIND_COUNTRY);
	if (kind_ok)
		check_kind_keys(L, g, m->kind);
	parse_target(L, g, m, kind_ok);
	if (!kind_ok || applies("sectors", m->kind))
		ts_loader_sector_list(L, g, "sectors", "all", &m->sector_first, &m->n_sectors);
	parse_measure_dates(L, g, m);
	if (!kind_ok)
		return;
	parse_segment(L, g, m);
	parse_kind_settings(L, g, m);
}

/* Allies named in `allies`: countries, none twice, not the actor. */
static void parse_allies(struct loader *L, config_setting_t *g, ts_measure_spec *m)
{
	ts_scenario *s = L->s;
	config_setting_t *list = ts_cfg_member(g, "allies");
	m->ally_first = s->n_measure_allies;
	if (!list)
		return;
	if (!config_setting_is_array(list) && !config_setting_is_list(list)) {
		ts_cfg_error(&L->cfg, list, "expected an array of country ids like [\"JP\", \"NL\"], got %s",
			     ts_cfg_type_phrase(list));
		return;
	}
	if (config_setting_length(list) == 0)
		ts_cfg_error(&L->cfg, list, "expected at least one ally (leave 'allies' out for the actor's bloc)");
	if (!ts_loader_marks_begin(L, &L->seen_countries, (size_t)s->n_countries))
		return;
	for (int k = 0; k < config_setting_length(list); k++) {
		config_setting_t *e = config_setting_get_elem(list, (unsigned)k);
		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			ts_cfg_error(&L->cfg, e, "expected a country id (string), got %s", ts_cfg_type_phrase(e));
			continue;
		}
		int ally = ts_loader_resolve(L, e, config_setting_get_string(e), KIND_COUNTRY, "country", NULL);
		if (ally < 0)
			continue;
		bool repeated = ts_loader_marks_repeat(&L->seen_countries, ally);
		if (ally == m->actor) {
			ts_cfg_error(&L->cfg, e, "'%s' is the actor itself, not an ally", s->countries[ally].id);
			continue;
		}
		if (repeated) {
			ts_cfg_error(&L->cfg, e, "country '%s' is listed twice", s->countries[ally].id);
			continue;
		}
		if (!ts_loader_reserve(L, &s->measure_allies, &L->cap_measure_allies,
				       (size_t)s->n_measure_allies + 1, sizeof *s->measure_allies))
			return;
		s->measure_allies[s->n_measure_allies++] = ally;
	}
	m->n_allies = s->n_measure_allies - m->ally_first;
}

/* Countries an alliance pressure can reach: its allies, else every other
 * country of the actor's bloc. */
static int count_allies(const ts_scenario *s, const ts_measure_spec *m)
{
	if (m->n_allies > 0 || m->actor < 0)
		return m->n_allies;
	const char *bloc = s->countries[m->actor].bloc;
	int n = 0;
	for (int c = 0; bloc && bloc[0] && c < s->n_countries; c++)
		n += c != m->actor && s->countries[c].bloc && strcmp(s->countries[c].bloc, bloc) == 0;
	return n;
}

/* alliance_pressure: the pressed measure must be another measure of the same
 * actor; each ally can adopt it once, which takes one dynamic slot. */
static void resolve_pressure(struct loader *L, int i)
{
	ts_scenario *s = L->s;
	ts_measure_spec *m = &s->measures[i];
	config_setting_t *g = config_setting_get_elem(L->measures, (unsigned)i);
	if (!config_setting_is_group(g))
		return;
	const char *type;
	if (config_setting_lookup_string(g, "type", &type) != CONFIG_TRUE ||
	    strcmp(type, ts_measure_kind_names[TS_MEASURE_ALLIANCE_PRESSURE]) != 0)
		return;
	parse_allies(L, g, m);
	config_setting_t *at = ts_cfg_member(g, "measure");
	if (at && config_setting_type(at) == CONFIG_TYPE_STRING) {
		int j = ts_loader_measure(L, at, config_setting_get_string(at));
		const ts_measure_spec *pressed = j >= 0 ? &s->measures[j] : NULL;
		if (j == i) {
			ts_cfg_error(&L->cfg, at, "an alliance pressure cannot press itself");
		} else if (pressed && pressed->kind == TS_MEASURE_ALLIANCE_PRESSURE) {
			ts_cfg_error(&L->cfg, at, "'%s' is an alliance_pressure; allies can only be asked to "
				     "adopt a measure of another kind", pressed->id);
		} else if (pressed && m->actor >= 0 && pressed->actor >= 0 && pressed->actor != m->actor) {
			ts_cfg_error(&L->cfg, at, "'%s' is a measure of '%s'; '%s' can only press allies to "
				     "adopt its own measures", pressed->id, s->countries[pressed->actor].id,
				     s->countries[m->actor].id);
		} else if (pressed) {
			m->pressed_measure = j;
		}
	}
	int allies = count_allies(s, m);
	if (m->actor >= 0 && allies == 0 && m->n_allies == 0 && !ts_cfg_member(g, "allies"))
		ts_cfg_error(&L->cfg, g, "no allies to press: '%s' shares its bloc \"%s\" with no other "
			     "country; name them in 'allies'", s->countries[m->actor].id,
			     s->countries[m->actor].bloc ? s->countries[m->actor].bloc : "");
	s->n_dynamic_measures += allies;
}

/* Measure i's id into the measure table. libconfig refuses a name used
 * twice in one group; the list form's ids are checked here. */
static void collect_measure_id(struct loader *L, int i)
{
	config_setting_t *g = config_setting_get_elem(L->measures, (unsigned)i);
	const char *id = ts_loader_entry_id(L, g, "measure");
	if (!id)
		return;
	const config_setting_t *at = ts_loader_entry_id_setting(g);
	ts_loader_check_id_length(L, at, id);
	struct id_entry *e = ts_loader_table_slot(&L->measure_ids, id);
	if (e->id) {
		char where[1100];
		ts_cfg_location(&L->cfg, e->setting, where, sizeof where);
		ts_cfg_error(&L->cfg, at, "duplicate id '%s': also a measure at %s", id, where);
		return;
	}
	L->s->measures[i].id = ts_loader_strdup(L, id);
	*e = (struct id_entry){ .id = id, .index = i, .setting = at };
}

void ts_loader_parse_measures(struct loader *L)
{
	ts_cfg *c = &L->cfg;
	ts_scenario *s = L->s;
	if (ts_loader_entity_table(L, "measures", 0, &L->measures) != TS_CFG_SET) {
		L->measures = NULL;
		return;
	}
	if (!ts_loader_check_count(L, L->measures, config_setting_length(L->measures), TS_MAX_MEASURES, "measures"))
		return;
	s->n_measures = config_setting_length(L->measures);
	s->measures = ts_loader_calloc(L, (size_t)s->n_measures, sizeof *s->measures);
	if (!s->measures || !ts_loader_table_init(L, &L->measure_ids, (size_t)s->n_measures)) {
		s->n_measures = 0;
		return;
	}
	/* Every id first: an alliance pressure may name a measure below it. */
	for (int i = 0; i < s->n_measures; i++)
		collect_measure_id(L, i);
	for (int i = 0; i < s->n_measures; i++)
		parse_measure(L, i);
	for (int i = 0; i < s->n_measures && !c->nomem; i++)
		resolve_pressure(L, i);
}
