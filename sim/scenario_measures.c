/* Scenario loading, the `measures` group: each measure's kind, actor,
 * target, sectors, dates and kind-specific parameters (docs/scenario.md,
 * "measures"). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "loader.h"

static const char *const measure_keys[] = {
	"type", "actor", "target", "sectors", "segment", "start", "end", "budget", NULL,
};

static void parse_measure_dates(struct loader *L, config_setting_t *g, ts_measure_spec *m)
{
	const ts_run_spec *run = &L->s->run;
	config_setting_t *start = config_setting_get_member(g, "start");
	config_setting_t *end = config_setting_get_member(g, "end");
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

static void parse_measure_sectors(struct loader *L, config_setting_t *g, ts_measure_spec *m)
{
	ts_scenario *s = L->s;
	config_setting_t *list = config_setting_get_member(g, "sectors");
	m->sector_first = s->n_measure_sectors;
	if (!list)
		return;
	if (!config_setting_is_array(list) && !config_setting_is_list(list)) {
		ts_cfg_error(&L->cfg, list, "expected an array of sector ids like [\"chips\"], got %s",
			     ts_cfg_type_phrase(list));
		return;
	}
	if (config_setting_length(list) == 0)
		ts_cfg_error(&L->cfg, list, "expected at least one sector (leave 'sectors' out for all)");
	for (int k = 0; k < config_setting_length(list); k++) {
		config_setting_t *e = config_setting_get_elem(list, (unsigned)k);
		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			ts_cfg_error(&L->cfg, e, "expected a sector id (string), got %s", ts_cfg_type_phrase(e));
			continue;
		}
		int sector = ts_loader_resolve(L, e, config_setting_get_string(e), KIND_SECTOR, "sector", NULL);
		if (sector < 0)
			continue;
		bool repeated = false;
		for (int j = m->sector_first; j < s->n_measure_sectors; j++)
			repeated = repeated || s->measure_sectors[j] == sector;
		if (repeated) {
			ts_cfg_error(&L->cfg, e, "sector '%s' is listed twice", s->sectors[sector].id);
			continue;
		}
		if (!ts_loader_reserve(L, &s->measure_sectors, &L->cap_measure_sectors,
			     (size_t)s->n_measure_sectors + 1, sizeof *s->measure_sectors))
			return;
		s->measure_sectors[s->n_measure_sectors++] = sector;
	}
	m->n_sectors = s->n_measure_sectors - m->sector_first;
}

static void parse_target(struct loader *L, config_setting_t *g, ts_measure_spec *m, bool kind_ok)
{
	ts_cfg *c = &L->cfg;
	ts_scenario *s = L->s;
	const char *id;
	m->target_country = m->target_firm = -1;
	bool rd = kind_ok && m->kind == TS_MEASURE_RD_INVESTMENT;
	int rc = ts_cfg_string(c, g, "target", rd || !kind_ok ? 0 : TS_CFG_REQUIRED, &id);
	if (rd) {
		/* Its own firms: the actor is the only possible target. */
		m->target_country = m->actor;
		if (rc == TS_CFG_SET && m->actor >= 0 && strcmp(id, s->countries[m->actor].id) != 0)
			ts_cfg_error(c, config_setting_get_member(g, "target"),
				     "an rd_investment targets its actor's own firms: leave 'target' out "
				     "or set it to '%s'", s->countries[m->actor].id);
		return;
	}
	if (rc != TS_CFG_SET)
		return;
	config_setting_t *at = config_setting_get_member(g, "target");
	int kind;
	int index = ts_loader_resolve(L, at, id, KIND_FIRM | KIND_COUNTRY, "firm or country", &kind);
	if (index < 0)
		return;
	if (kind == KIND_FIRM)
		m->target_firm = index;
	else
		m->target_country = index;
	if (m->actor < 0 || !kind_ok)
		return;
	if (kind == KIND_COUNTRY && index == m->actor)
		ts_cfg_error(c, at, "a ban or control cannot target its own actor '%s'", id);
	else if (kind == KIND_FIRM && s->firms[index].country == m->actor)
		ts_cfg_error(c, at, "a ban or control cannot target '%s', a firm of its own actor '%s'",
			     id, s->countries[m->actor].id);
}

static void parse_measure(struct loader *L, config_setting_t *measures, int i)
{
	ts_cfg *c = &L->cfg;
	config_setting_t *g = config_setting_get_elem(measures, (unsigned)i);
	ts_measure_spec *m = &L->s->measures[i];
	m->line = (int)config_setting_source_line(g);
	m->actor = m->target_country = m->target_firm = -1;
	m->end = INT_MAX;
	m->segment = TS_SEG_PRIVATE;
	m->sector_first = L->s->n_measure_sectors;
	if (!config_setting_is_group(g)) {
		ts_cfg_error(c, g, "expected a group { type = ...; } describing the measure, got %s",
			     ts_cfg_type_phrase(g));
		return;
	}
	ts_cfg_check_keys(c, g, measure_keys);
	const char *type, *segment;
	bool kind_ok = false;
	if (ts_cfg_string(c, g, "type", TS_CFG_REQUIRED, &type) == TS_CFG_SET) {
		int k;
		int n_kinds = TS_MEASURE_RD_INVESTMENT + 1;  /* the kinds implemented so far */
		for (k = 0; k < n_kinds && strcmp(type, ts_measure_kind_names[k]) != 0; k++)
			;
		if (k < n_kinds) {
			m->kind = (ts_measure_kind)k;
			kind_ok = true;
		} else {
			char hint[256];
			ts_cfg_error(c, config_setting_get_member(g, "type"),
				     "unknown measure type \"%s\"%s; expected market_ban, procurement_ban, "
				     "export_control or rd_investment", type,
				     ts_cfg_hint(hint, sizeof hint, type, ts_measure_kind_names,
						 (size_t)n_kinds));
		}
	}
	m->actor = ts_loader_ref(L, g, "actor", TS_CFG_REQUIRED, KIND_COUNTRY);
	parse_target(L, g, m, kind_ok);
	parse_measure_sectors(L, g, m);
	parse_measure_dates(L, g, m);
	bool procurement = m->kind == TS_MEASURE_PROCUREMENT_BAN;
	if (kind_ok && procurement &&
	    ts_cfg_string(c, g, "segment", TS_CFG_REQUIRED, &segment) == TS_CFG_SET) {
		int k;
		for (k = 0; k < TS_SEG_COUNT && strcmp(segment, ts_segment_names[k]) != 0; k++)
			;
		char hint[256];
		if (k < TS_SEG_COUNT)
			m->segment = (ts_segment)k;
		else
			ts_cfg_error(c, config_setting_get_member(g, "segment"),
				     "expected \"government\", \"infrastructure\" or \"private\", got \"%s\"%s",
				     segment, ts_cfg_hint(hint, sizeof hint, segment, ts_segment_names, TS_SEG_COUNT));
	} else if (kind_ok && !procurement && config_setting_get_member(g, "segment")) {
		ts_cfg_error(c, config_setting_get_member(g, "segment"),
			     "'segment' applies to procurement_ban only, not to %s", ts_measure_kind_names[m->kind]);
	}
	bool rd = m->kind == TS_MEASURE_RD_INVESTMENT;
	if (kind_ok && rd)
		ts_cfg_float(c, g, "budget", TS_CFG_REQUIRED, 0, INFINITY, &m->budget);
	else if (kind_ok && config_setting_get_member(g, "budget"))
		ts_cfg_error(c, config_setting_get_member(g, "budget"),
			     "'budget' applies to rd_investment only, not to %s", ts_measure_kind_names[m->kind]);
}


void ts_loader_parse_measures(struct loader *L, config_setting_t *root)
{
	ts_cfg *c = &L->cfg;
	ts_scenario *s = L->s;
	config_setting_t *measures;
	if (ts_cfg_group(c, root, "measures", 0, &measures) != TS_CFG_SET)
		return;
	s->n_measures = config_setting_length(measures);
	s->measures = ts_loader_calloc(L, (size_t)s->n_measures, sizeof *s->measures);
	if (!s->measures) {
		s->n_measures = 0;
		return;
	}
	for (int i = 0; i < s->n_measures; i++) {
		s->measures[i].id = ts_loader_strdup(L, config_setting_name(config_setting_get_elem(measures, (unsigned)i)));
		parse_measure(L, measures, i);
	}
}
