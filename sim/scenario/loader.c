/* The scenario loader's shared helpers (loader.h): the tables of names, the
 * hashed id tables, lookups of entities and measures by id with a
 * did-you-mean, dates, and the growth of the spec's arrays. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/limits.h"
#include "scenario/loader.h"
#include "util/assert.h"

const char *const ts_segment_names[TS_SEG_COUNT] = {
	"government", "infrastructure", "private",
};
const char *const ts_measure_kind_names[TS_MEASURE_KIND_COUNT] = {
	"market_ban", "procurement_ban", "export_control", "rd_investment", "tariff", "compliance",
	"capacity_investment", "subsidy", "alliance_pressure",
};
const char *const ts_requirement_names[TS_REQ_COUNT] = {
	"certification", "source_code", "data_localisation",
};
const char *const ts_rule_kind_names[TS_RULE_KIND_COUNT] = {
	"none", "tit_for_tat", "proportional", "grim_trigger", "generous_tit_for_tat", "escalate",
	"negotiate",
};

const char *const ts_loader_step_names[TS_STEP_KINDS] = { "month", "quarter", "year" };
const int ts_loader_steps_per_year[TS_STEP_KINDS] = { 12, 4, 1 };
const char *const ts_loader_label_examples[TS_STEP_KINDS] = { "2018-01", "2018Q1", "2018" };

const char *ts_loader_kind_name(int kind)
{
	return kind == KIND_COUNTRY ? "country" : kind == KIND_SECTOR ? "sector" : "firm";
}

bool ts_loader_reserve(struct loader *L, void *array, size_t *cap, size_t need, size_t size)
{
	void **p = array;
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap * 2 : 16;
	while (n < need)
		n *= 2;
	void *grown = realloc(*p, n * size);
	if (!grown) {
		L->cfg.nomem = true;
		return false;
	}
	*p = grown;
	*cap = n;
	return true;
}

char *ts_loader_strdup(struct loader *L, const char *text)
{
	char *copy = strdup(text);
	if (!copy)
		L->cfg.nomem = true;
	return copy;
}

/* At least one element, so that an empty table is no failure. */
void *ts_loader_calloc(struct loader *L, size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		L->cfg.nomem = true;
	return p;
}

/* ---- hashed id tables ---- */

static size_t hash_id(const char *id)
{
	size_t h = 1469598103934665603u;  /* FNV-1a */
	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211u;
	return h;
}

bool ts_loader_table_init(struct loader *L, struct id_table *t, size_t n)
{
	for (t->cap = 16; t->cap < 2 * n; t->cap *= 2)
		;
	t->slots = ts_loader_calloc(L, t->cap, sizeof *t->slots);
	if (!t->slots)
		t->cap = 0;
	return t->slots != NULL;
}

void ts_loader_table_free(struct id_table *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = 0;
}

struct id_entry *ts_loader_table_slot(struct id_table *t, const char *id)
{
	TS_ASSERT(t->cap > 0 && (t->cap & (t->cap - 1)) == 0);
	size_t mask = t->cap - 1;
	/* Never full: sized for twice the ids it will hold. */
	for (size_t i = hash_id(id) & mask;; i = (i + 1) & mask)
		if (!t->slots[i].id || strcmp(t->slots[i].id, id) == 0)
			return &t->slots[i];
}

const struct id_entry *ts_loader_table_find(const struct id_table *t, const char *id)
{
	if (!t->slots)
		return NULL;
	const struct id_entry *e = ts_loader_table_slot((struct id_table *)t, id);
	return e->id ? e : NULL;
}

bool ts_loader_valid_id(const char *id)
{
	if (!((*id >= 'A' && *id <= 'Z') || (*id >= 'a' && *id <= 'z')))
		return false;
	for (; *id; id++)
		if (!((*id >= 'A' && *id <= 'Z') || (*id >= 'a' && *id <= 'z') ||
		      (*id >= '0' && *id <= '9') || *id == '_' || *id == '-'))
			return false;
	return true;
}

bool ts_loader_marks_begin(struct loader *L, struct marks *m, size_t n)
{
	if (!m->at) {
		m->at = ts_loader_calloc(L, n, sizeof *m->at);
		m->n = m->at ? n : 0;
	}
	TS_ASSERT(!m->at || m->n >= n);  /* one size per table: the entity count */
	m->round++;
	return m->at != NULL;
}

bool ts_loader_marks_repeat(struct marks *m, int index)
{
	TS_ASSERT(index >= 0 && (size_t)index < m->n);
	bool repeat = m->at[index] == m->round;
	m->at[index] = m->round;
	return repeat;
}

void ts_loader_marks_free(struct marks *m)
{
	free(m->at);
	*m = (struct marks){ 0 };
}

/* ---- entity tables: a group of named groups or a list of groups with ids ---- */

int ts_loader_entity_table(struct loader *L, const char *key, unsigned flags, config_setting_t **out)
{
	config_setting_t *t = ts_cfg_member(L->root, key);
	*out = NULL;
	if (!t) {
		if (flags & TS_CFG_REQUIRED)
			ts_cfg_error_in(&L->cfg, L->root, key, "required setting missing");
		return (flags & TS_CFG_REQUIRED) ? TS_CFG_BAD : TS_CFG_ABSENT;
	}
	if (!config_setting_is_group(t) && !config_setting_is_list(t)) {
		ts_cfg_error(&L->cfg, t, "expected a group { ID = { ... }; ... } or a list ( { id = \"ID\"; ... }, ... ), "
			     "got %s", ts_cfg_type_phrase(t));
		return TS_CFG_BAD;
	}
	*out = t;
	return TS_CFG_SET;
}

const char *ts_loader_entry_id(struct loader *L, const config_setting_t *e, const char *what)
{
	const config_setting_t *table = config_setting_parent(e);
	if (config_setting_is_group(table))
		return config_setting_name(e);
	if (!config_setting_is_group(e)) {
		ts_cfg_error(&L->cfg, e, "expected a group { id = \"ID\"; ... } describing a %s, got %s", what,
			     ts_cfg_type_phrase(e));
		return NULL;
	}
	const config_setting_t *id = ts_cfg_member(e, "id");
	if (!id) {
		ts_cfg_error_in(&L->cfg, e, "id", "required setting missing: the %s's id, a string", what);
		return NULL;
	}
	if (config_setting_type(id) != CONFIG_TYPE_STRING) {
		ts_cfg_error(&L->cfg, id, "expected the %s's id as a string (id = \"ID\"), got %s", what,
			     ts_cfg_type_phrase(id));
		return NULL;
	}
	return config_setting_get_string(id);
}

const config_setting_t *ts_loader_entry_id_setting(const config_setting_t *e)
{
	const config_setting_t *id = config_setting_is_list(config_setting_parent(e)) && config_setting_is_group(e)
				     ? ts_cfg_member(e, "id") : NULL;
	return id ? id : e;
}

const char *const *ts_loader_entry_keys(const config_setting_t *table, const char *const *keys)
{
	TS_ASSERT(strcmp(keys[0], "id") == 0);
	return config_setting_is_list(table) ? keys : keys + 1;
}

bool ts_loader_check_id_length(struct loader *L, const config_setting_t *at, const char *id)
{
	size_t len = strlen(id);
	if (len <= TS_MAX_ID_LENGTH)
		return true;
	ts_cfg_error(&L->cfg, at, "id '%.*s...' is %zu characters long, at most %d (docs/scenario.md, \"Limits\")",
		     TS_MAX_ID_LENGTH, id, len, TS_MAX_ID_LENGTH);
	return false;
}

bool ts_loader_check_count(struct loader *L, const config_setting_t *at, double n, double max,
			   const char *what)
{
	if (n <= max)
		return true;
	ts_cfg_error(&L->cfg, at, "%.0f %s, at most %.0f (docs/scenario.md, \"Limits\")", n, what, max);
	return false;
}

/* ---- lookups by id ---- */

static int count_of(const ts_scenario *s, int kind)
{
	return kind == KIND_COUNTRY ? s->n_countries : kind == KIND_SECTOR ? s->n_sectors : s->n_firms;
}

static const char *id_of(const ts_scenario *s, int kind, int index)
{
	TS_ASSERT(index >= 0 && index < count_of(s, kind));
	if (kind == KIND_COUNTRY)
		return s->countries[index].id;
	if (kind == KIND_SECTOR)
		return s->sectors[index].id;
	return s->firms[index].id;
}

void ts_loader_report_unknown(struct loader *L, const config_setting_t *at, const char *what,
			      const char *id, int kinds, int only_sector)
{
	const ts_scenario *s = L->s;
	char hint[256] = "";
	size_t n = 0, max = (size_t)s->n_countries + (size_t)s->n_sectors + (size_t)s->n_firms;
	/* No hint past the diagnostics kept, or without memory for the names. */
	const char **names = ts_cfg_is_full(&L->cfg) ? NULL : malloc((max ? max : 1) * sizeof *names);
	if (names) {
		for (int k = KIND_COUNTRY; k <= KIND_FIRM; k *= 2)
			for (int i = 0; (kinds & k) && i < count_of(s, k); i++)
				if (k != KIND_FIRM || only_sector < 0 || s->firms[i].sector == only_sector)
					names[n++] = id_of(s, k, i);
		ts_cfg_hint(hint, sizeof hint, id, names, n);
		free(names);
	}
	ts_cfg_error(&L->cfg, at, "no %s '%s'%s", what, id, hint);
}

int ts_loader_resolve(struct loader *L, const config_setting_t *at, const char *id, int kinds,
		      const char *what, int *kind_out)
{
	const struct id_entry *e = ts_loader_table_find(&L->ids, id);
	if (e && (e->kind & kinds)) {
		if (kind_out)
			*kind_out = e->kind;
		return e->index;
	}
	if (e)
		ts_cfg_error(&L->cfg, at, "'%s' is a %s, expected a %s", id, ts_loader_kind_name(e->kind), what);
	else
		ts_loader_report_unknown(L, at, what, id, kinds, -1);
	return -1;
}

int ts_loader_ref(struct loader *L, const config_setting_t *group, const char *key,
		  unsigned flags, int kind)
{
	const char *id;
	if (ts_cfg_string(&L->cfg, group, key, flags, &id) != TS_CFG_SET)
		return -1;
	return ts_loader_resolve(L, ts_cfg_member(group, key), id, kind, ts_loader_kind_name(kind), NULL);
}

int ts_loader_measure(struct loader *L, const config_setting_t *at, const char *id)
{
	const ts_scenario *s = L->s;
	const struct id_entry *e = ts_loader_table_find(&L->measure_ids, id);
	if (e)
		return e->index;
	char hint[256] = "";
	const char **names = ts_cfg_is_full(&L->cfg) ? NULL : malloc(((size_t)s->n_measures + 1) * sizeof *names);
	if (names) {
		size_t n = 0;
		for (int j = 0; j < s->n_measures; j++)
			if (s->measures[j].id)
				names[n++] = s->measures[j].id;
		ts_cfg_hint(hint, sizeof hint, id, names, n);
		free(names);
	}
	ts_cfg_error(&L->cfg, at, "no measure '%s'%s", id, hint);
	return -1;
}

int ts_loader_measure_elem(struct loader *L, const config_setting_t *e)
{
	if (config_setting_type(e) != CONFIG_TYPE_STRING) {
		ts_cfg_error(&L->cfg, e, "expected a measure id (string), got %s", ts_cfg_type_phrase(e));
		return -1;
	}
	return ts_loader_measure(L, e, config_setting_get_string(e));
}

int ts_loader_name(struct loader *L, const config_setting_t *at, const char *text,
		   const char *const *names, int n, const char *what)
{
	for (int k = 0; k < n; k++)
		if (strcmp(text, names[k]) == 0)
			return k;
	char list[512] = "", hint[256] = "";
	size_t used = 0;
	for (int k = 0; k < n && used < sizeof list; k++) {
		const char *q = what ? "" : "\"";
		int w = snprintf(list + used, sizeof list - used, "%s%s%s%s", k == 0 ? "" : k == n - 1 ? " or " : ", ",
				 q, names[k], q);
		used += w > 0 ? (size_t)w : 0;
	}
	if (!ts_cfg_is_full(&L->cfg))
		ts_cfg_hint(hint, sizeof hint, text, names, (size_t)n);
	if (what)
		ts_cfg_error(&L->cfg, at, "unknown %s \"%s\"%s; expected %s", what, text, hint, list);
	else
		ts_cfg_error(&L->cfg, at, "expected %s, got \"%s\"%s", list, text, hint);
	return -1;
}

/* ---- dates ---- */

int ts_loader_date(struct loader *L, config_setting_t *at, int *step)
{
	const ts_run_spec *run = &L->s->run;
	long long v;
	if (config_setting_type(at) == CONFIG_TYPE_STRING) {
		if (!L->run_ok)
			return -1;  /* no calendar to read it in: run's error says why */
		const char *label = config_setting_get_string(at);
		if (ts_calendar_parse(run, label, step))
			return 0;
		ts_cfg_error(&L->cfg, at, "expected a date label (\"2018-01\", \"2018Q1\" or \"2018\") "
			     "or a step number, got \"%s\"", label);
		return -1;
	}
	if (config_setting_type(at) == CONFIG_TYPE_INT || config_setting_type(at) == CONFIG_TYPE_INT64) {
		if (ts_cfg_int_range(&L->cfg, at, INT_MIN, INT_MAX, &v) != TS_CFG_SET)
			return -1;
		*step = (int)v;
		return 0;
	}
	ts_cfg_error(&L->cfg, at, "expected a date label (string) or a step number, got %s",
		     ts_cfg_type_phrase(at));
	return -1;
}

void ts_loader_span(struct loader *L, const config_setting_t *group, const char *key, double max,
		    int *steps)
{
	double months;
	if (ts_cfg_float(&L->cfg, group, key, 0, 0, max, &months) == TS_CFG_SET && L->run_ok)
		*steps = ts_calendar_span_steps(&L->s->run, months);
}

double ts_loader_months_of_steps(double steps, int steps_per_year)
{
	return steps * 12.0 / steps_per_year;
}

void ts_loader_renamed(struct loader *L, const config_setting_t *group, const char *old,
		       const char *now, const char *unit, ts_loader_convert convert)
{
	config_setting_t *at = ts_cfg_member(group, old);
	if (!at)
		return;
	int type = config_setting_type(at), per = L->s->run.steps_per_year;
	if (!L->run_ok || (type != CONFIG_TYPE_FLOAT && type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64)) {
		ts_cfg_error(&L->cfg, at, "'%s' is now '%s', %s (docs/scenario.md, \"Time\")", old, now, unit);
		return;
	}
	double value = config_setting_get_float(at);
	if (type != CONFIG_TYPE_FLOAT)
		value = (double)config_setting_get_int64(at);
	const char *step = per == 12 ? "month" : per == 4 ? "quarter" : "year";
	ts_cfg_error(&L->cfg, at, "'%s' is now '%s', %s: write %s = %.4g (was %g a %s)", old, now, unit,
		     now, convert(value, per), value, step);
}

void ts_loader_step_text(const struct loader *L, int step, char *buf, size_t size)
{
	char label[32];
	if (L->run_ok && ts_calendar_label(&L->s->run, step, label, sizeof label))
		snprintf(buf, size, "step %d (%s)", step, label);
	else
		snprintf(buf, size, "step %d", step);
}

int ts_loader_line(const struct loader *L, const config_setting_t *s)
{
	return ts_cfg_line(&L->cfg, s);
}

/* ---- lookups for the engine and the tests (a scan: not on a hot path) ---- */

int ts_scenario_country_index(const ts_scenario *s, const char *id)
{
	for (int i = 0; id && i < s->n_countries; i++)
		if (strcmp(s->countries[i].id, id) == 0)
			return i;
	return -1;
}

int ts_scenario_sector_index(const ts_scenario *s, const char *id)
{
	for (int i = 0; id && i < s->n_sectors; i++)
		if (strcmp(s->sectors[i].id, id) == 0)
			return i;
	return -1;
}

int ts_scenario_firm_index(const ts_scenario *s, const char *id)
{
	for (int i = 0; id && i < s->n_firms; i++)
		if (strcmp(s->firms[i].id, id) == 0)
			return i;
	return -1;
}
