/* Scenario loading: parse the libconfig text, apply --set overrides, validate
 * every setting against docs/scenario.md and fill the plain struct ts_scenario
 * the engine reads. All problems are collected, not just the first. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/cfgcheck.h"
#include "scenario/loader.h"
#include "scenario/override.h"
#include "scenario/spec.h"
#include "util/sha256.h"
#include "util/textfile.h"

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

static const char *const top_keys[] = {
	"run", "model", "countries", "sectors", "firms", "measures", "deals", "title", "description", NULL,
};
static const char *const run_keys[] = { "steps", "start", "step", "seed", NULL };
static const char *const model_keys[] = {
	"innovation_zeta", "imitation_zeta", "innovation_share", "beta_a", "beta_b",
	"tech_step_min", "tech_step_max", "tech_weight", "share_tolerance", "imitation_fraction",
	"tension_memory", NULL,
};
static const char *const country_keys[] = {
	"name", "bloc", "alignment", "home_bias", "rd_budget", "markets", "rules", NULL,
};
static const char *const market_keys[] = { "size", "growth", "government", "infrastructure", NULL };
static const char *const sector_keys[] = {
	"name", "elasticity", "ceiling_margin", "base_tech", "inputs", "node", NULL,
};
static const char *const node_keys[] = { "reference_tech", "reference_nm", "tech_per_node", NULL };
static const char *const firm_keys[] = {
	"name", "country", "sector", "capacity", "unit_cost", "tech", "rd_intensity",
	"jobs_per_bn", "fixed_cost", "substitution_rate", "restock_rate", "state_owned",
	"suppliers", "stockpile", "refuses", "tech_dependence", "anticipation", NULL,
};
static const char *const step_names[] = { "month", "quarter", "year" };
static const int step_lengths[] = { 12, 4, 1 };  /* steps per year */
static const char *const label_examples[] = { "2018-01", "2018Q1", "2018" };

const char *ts_loader_kind_name(int kind)
{
	return kind == KIND_COUNTRY ? "country" : kind == KIND_SECTOR ? "sector" : "firm";
}

static size_t hash_id(const char *id)
{
	size_t h = 1469598103934665603u;  /* FNV-1a */
	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211u;
	return h;
}

static struct id_entry *id_slot(struct loader *L, const char *id)
{
	size_t mask = L->ids_cap - 1;
	for (size_t i = hash_id(id) & mask;; i = (i + 1) & mask)
		if (!L->ids[i].id || strcmp(L->ids[i].id, id) == 0)
			return &L->ids[i];
}

static const struct id_entry *id_find(struct loader *L, const char *id)
{
	if (!L->ids)
		return NULL;
	struct id_entry *e = id_slot(L, id);
	return e->id ? e : NULL;
}

/* Grows *array to hold `need` elements of `size` bytes. */
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

static bool valid_id(const char *id)
{
	if (!((*id >= 'A' && *id <= 'Z') || (*id >= 'a' && *id <= 'z')))
		return false;
	for (; *id; id++)
		if (!((*id >= 'A' && *id <= 'Z') || (*id >= 'a' && *id <= 'z') ||
		      (*id >= '0' && *id <= '9') || *id == '_' || *id == '-'))
			return false;
	return true;
}

static const char *id_of(const ts_scenario *s, int kind, int index)
{
	if (kind == KIND_COUNTRY)
		return s->countries[index].id;
	if (kind == KIND_SECTOR)
		return s->sectors[index].id;
	return s->firms[index].id;
}

/* Reports an unknown id with a did-you-mean over the ids of `kinds`; with
 * only_sector >= 0, firms count only if they belong to that sector. */
static void report_unknown(struct loader *L, const config_setting_t *at, const char *what,
			   const char *id, int kinds, int only_sector)
{
	const ts_scenario *s = L->s;
	size_t n = 0, max = (size_t)s->n_countries + (size_t)s->n_sectors + (size_t)s->n_firms;
	const char **names = malloc((max ? max : 1) * sizeof *names);
	char hint[256] = "";
	if (names) {
		for (int k = KIND_COUNTRY; k <= KIND_FIRM; k *= 2) {
			int count = k == KIND_COUNTRY ? s->n_countries : k == KIND_SECTOR ? s->n_sectors : s->n_firms;
			for (int i = 0; (kinds & k) && i < count; i++)
				if (k != KIND_FIRM || only_sector < 0 || s->firms[i].sector == only_sector)
					names[n++] = id_of(s, k, i);
		}
		ts_cfg_hint(hint, sizeof hint, id, names, n);
		free(names);
	}
	ts_cfg_error(&L->cfg, at, "no %s '%s'%s", what, id, hint);
}

/* Resolves id to an entity of one of `kinds`; reports and returns -1 if none.
 * *kind_out receives the kind found. */
int ts_loader_resolve(struct loader *L, const config_setting_t *at, const char *id, int kinds,
		   const char *what, int *kind_out)
{
	const struct id_entry *e = id_find(L, id);
	if (e && (e->kind & kinds)) {
		if (kind_out)
			*kind_out = e->kind;
		return e->index;
	}
	if (e)
		ts_cfg_error(&L->cfg, at, "'%s' is a %s, expected a %s", id, ts_loader_kind_name(e->kind), what);
	else
		report_unknown(L, at, what, id, kinds, -1);
	return -1;
}

/* Reads string member `key` of group as an id of `kind`; -1 if bad or absent. */
int ts_loader_ref(struct loader *L, const config_setting_t *group, const char *key,
		      unsigned flags, int kind)
{
	const char *id;
	if (ts_cfg_string(&L->cfg, group, key, flags, &id) != TS_CFG_SET)
		return -1;
	return ts_loader_resolve(L, config_setting_get_member(group, key), id, kind, ts_loader_kind_name(kind), NULL);
}

static void parse_run(struct loader *L, config_setting_t *root)
{
	ts_cfg *c = &L->cfg;
	ts_run_spec *run = &L->s->run;
	config_setting_t *g;
	long long steps = 0, seed = 1;
	const char *step = "quarter", *start;
	run->seed = 1;
	if (ts_cfg_group(c, root, "run", TS_CFG_REQUIRED, &g) != TS_CFG_SET)
		return;
	ts_cfg_check_keys(c, g, run_keys);
	bool steps_ok = ts_cfg_int(c, g, "steps", TS_CFG_REQUIRED, 1, 1000000, &steps) == TS_CFG_SET;
	if (ts_cfg_int(c, g, "seed", 0, 1, 4294967295LL, &seed) != TS_CFG_BAD)
		run->seed = (uint32_t)seed;
	run->steps = (int)steps;
	int kind = 1;  /* quarter */
	int rc = ts_cfg_string(c, g, "step", 0, &step);
	if (rc == TS_CFG_SET) {
		for (kind = 0; kind < 3 && strcmp(step, step_names[kind]) != 0; kind++)
			;
		if (kind == 3) {
			char hint[256];
			ts_cfg_error(c, config_setting_get_member(g, "step"),
				     "expected \"month\", \"quarter\" or \"year\", got \"%s\"%s", step,
				     ts_cfg_hint(hint, sizeof hint, step, step_names, 3));
			rc = TS_CFG_BAD;
		}
	}
	if (ts_cfg_string(c, g, "start", TS_CFG_REQUIRED, &start) != TS_CFG_SET || rc == TS_CFG_BAD)
		return;
	/* A label counted from year 0 gives the year and period of step 0. */
	ts_run_spec year_zero = { .steps = 1, .steps_per_year = step_lengths[kind],
				  .start_year = 0, .start_period = 1, .seed = 1 };
	int index;
	if (ts_calendar_parse(&year_zero, start, &index) != 0) {
		ts_cfg_error(c, config_setting_get_member(g, "start"),
			     "expected a %s label like \"%s\", got \"%s\"", step_names[kind],
			     label_examples[kind], start);
		return;
	}
	run->steps_per_year = step_lengths[kind];
	run->start_year = index / run->steps_per_year;
	run->start_period = index % run->steps_per_year + 1;
	L->run_ok = steps_ok;
}

static void parse_model(struct loader *L, config_setting_t *root)
{
	ts_cfg *c = &L->cfg;
	ts_model_params *m = &L->s->model;
	*m = (ts_model_params){
		.innovation_zeta = 0.3, .imitation_zeta = 0.3, .innovation_share = 0.5,
		.beta_a = 3, .beta_b = 3, .tech_step_min = -0.15, .tech_step_max = 0.15,
		.tech_weight = 1.0, .share_tolerance = 1e-6, .imitation_fraction = 1.0,
		.tension_memory = 0.8,
	};
	config_setting_t *g;
	if (ts_cfg_group(c, root, "model", 0, &g) != TS_CFG_SET)
		return;
	ts_cfg_check_keys(c, g, model_keys);
	ts_cfg_float(c, g, "innovation_zeta", 0, 0, INFINITY, &m->innovation_zeta);
	ts_cfg_float(c, g, "imitation_zeta", 0, 0, INFINITY, &m->imitation_zeta);
	ts_cfg_float(c, g, "innovation_share", 0, 0, 1, &m->innovation_share);
	ts_cfg_float(c, g, "beta_a", TS_CFG_LO_OPEN, 0, INFINITY, &m->beta_a);
	ts_cfg_float(c, g, "beta_b", TS_CFG_LO_OPEN, 0, INFINITY, &m->beta_b);
	bool ok = ts_cfg_float(c, g, "tech_step_min", 0, -INFINITY, INFINITY, &m->tech_step_min) != TS_CFG_BAD;
	ok = ts_cfg_float(c, g, "tech_step_max", 0, -INFINITY, INFINITY, &m->tech_step_max) != TS_CFG_BAD && ok;
	ts_cfg_float(c, g, "tech_weight", 0, 0, 100, &m->tech_weight);
	ts_cfg_float(c, g, "share_tolerance", 0, 0, 0.01, &m->share_tolerance);
	ts_cfg_float(c, g, "imitation_fraction", TS_CFG_LO_OPEN, 0, 1, &m->imitation_fraction);
	ts_cfg_float(c, g, "tension_memory", TS_CFG_HI_OPEN, 0, 1, &m->tension_memory);
	if (ok && !(m->tech_step_min < m->tech_step_max)) {
		config_setting_t *at = config_setting_get_member(g, "tech_step_max");
		if (!at)
			at = config_setting_get_member(g, "tech_step_min");
		ts_cfg_error(c, at, "tech_step_min (%g) must be below tech_step_max (%g)",
			     m->tech_step_min, m->tech_step_max);
	}
}

/* Registers the ids of one entity group; returns its member count. */
static int collect_ids(struct loader *L, config_setting_t *root, const char *key, int kind,
		       config_setting_t **group)
{
	ts_cfg *c = &L->cfg;
	*group = NULL;
	if (ts_cfg_group(c, root, key, TS_CFG_REQUIRED, group) != TS_CFG_SET)
		return 0;
	int n = config_setting_length(*group);
	if (n == 0)
		ts_cfg_error(c, *group, "expected at least one %s", ts_loader_kind_name(kind));
	for (int i = 0; i < n; i++) {
		config_setting_t *m = config_setting_get_elem(*group, (unsigned)i);
		const char *id = config_setting_name(m);
		if (!valid_id(id))
			ts_cfg_error(c, m, "id '%s' must start with a letter and hold only letters, "
				     "digits, '_' and '-'", id);
		if (!config_setting_is_group(m))
			ts_cfg_error(c, m, "expected a group { ... } describing %s '%s', got %s",
				     kind == KIND_COUNTRY ? "country" : kind == KIND_SECTOR ? "sector" : "firm",
				     id, ts_cfg_type_phrase(m));
		struct id_entry *e = id_slot(L, id);
		if (e->id) {
			char where[1100];
			ts_cfg_location(c, e->setting, where, sizeof where);
			ts_cfg_error(c, m, "duplicate id '%s': also a %s at %s", id, ts_loader_kind_name(e->kind), where);
			continue;
		}
		*e = (struct id_entry){ .id = id, .kind = kind, .index = i, .setting = m };
	}
	return n;
}

static void parse_market(struct loader *L, int country, config_setting_t *m)
{
	ts_cfg *c = &L->cfg;
	const char *sector_id = config_setting_name(m);
	int sector = ts_loader_resolve(L, m, sector_id, KIND_SECTOR, "sector", NULL);
	if (!config_setting_is_group(m)) {
		ts_cfg_error(c, m, "expected a group { size = ...; } for the market, got %s",
			     ts_cfg_type_phrase(m));
		return;
	}
	ts_cfg_check_keys(c, m, market_keys);
	ts_market_spec market = { .size = 0, .growth = 0 };
	ts_cfg_float(c, m, "size", TS_CFG_REQUIRED, 0, INFINITY, &market.size);
	ts_cfg_float(c, m, "growth", TS_CFG_LO_OPEN, -1, INFINITY, &market.growth);
	double gov = 0, infra = 0;
	bool ok = ts_cfg_float(c, m, "government", 0, 0, 1, &gov) != TS_CFG_BAD;
	ok = ts_cfg_float(c, m, "infrastructure", 0, 0, 1, &infra) != TS_CFG_BAD && ok;
	if (ok && gov + infra > 1 + 1e-12)
		ts_cfg_error(c, m, "government + infrastructure = %g, must not exceed 1", gov + infra);
	market.segment_share[TS_SEG_GOVERNMENT] = gov;
	market.segment_share[TS_SEG_INFRASTRUCTURE] = infra;
	market.segment_share[TS_SEG_PRIVATE] = fmax(0, 1 - gov - infra);
	if (sector >= 0)
		L->s->markets[(size_t)country * (size_t)L->s->n_sectors + (size_t)sector] = market;
}

static void parse_country(struct loader *L, int i)
{
	ts_cfg *c = &L->cfg;
	config_setting_t *g = config_setting_get_elem(L->countries, (unsigned)i);
	ts_country_spec *country = &L->s->countries[i];
	const char *name = country->id, *bloc = "";
	country->line = (int)config_setting_source_line(g);
	if (config_setting_is_group(g)) {
		ts_cfg_check_keys(c, g, country_keys);
		ts_cfg_string(c, g, "name", 0, &name);
		ts_cfg_string(c, g, "bloc", 0, &bloc);
		ts_cfg_float(c, g, "alignment", 0, 0, 1, &country->alignment);
		ts_cfg_float(c, g, "home_bias", 0, 0, 10, &country->home_bias);
		ts_cfg_float(c, g, "rd_budget", 0, 0, INFINITY, &country->rd_budget);
		config_setting_t *markets;
		if (ts_cfg_group(c, g, "markets", 0, &markets) == TS_CFG_SET)
			for (int k = 0; k < config_setting_length(markets); k++)
				parse_market(L, i, config_setting_get_elem(markets, (unsigned)k));
	}
	country->name = ts_loader_strdup(L, name);
	country->bloc = ts_loader_strdup(L, bloc);
}

/* sectors.ID.node: how log-tech maps to a process node (docs/model.md §14). */
static void parse_node(struct loader *L, config_setting_t *g, ts_sector_spec *sector)
{
	ts_cfg *c = &L->cfg;
	config_setting_t *node;
	sector->node_reference_tech = 0.0;
	sector->node_reference_nm = 14.0;
	sector->node_tech_per_node = 0.35;
	if (ts_cfg_group(c, g, "node", 0, &node) != TS_CFG_SET)
		return;
	sector->has_node = true;
	ts_cfg_check_keys(c, node, node_keys);
	ts_cfg_float(c, node, "reference_tech", 0, -INFINITY, INFINITY, &sector->node_reference_tech);
	ts_cfg_float(c, node, "reference_nm", TS_CFG_LO_OPEN, 0, 1000000, &sector->node_reference_nm);
	ts_cfg_float(c, node, "tech_per_node", TS_CFG_LO_OPEN, 0, INFINITY, &sector->node_tech_per_node);
}

static void parse_sector(struct loader *L, int i)
{
	ts_cfg *c = &L->cfg;
	ts_scenario *s = L->s;
	config_setting_t *g = config_setting_get_elem(L->sectors, (unsigned)i);
	ts_sector_spec *sector = &s->sectors[i];
	const char *name = sector->id;
	sector->line = (int)config_setting_source_line(g);
	sector->elasticity = 4.0;
	sector->ceiling_margin = 0.5;
	sector->input_first = s->n_inputs;
	if (config_setting_is_group(g)) {
		ts_cfg_check_keys(c, g, sector_keys);
		ts_cfg_string(c, g, "name", 0, &name);
		ts_cfg_float(c, g, "elasticity", 0, 1.01, 50, &sector->elasticity);
		ts_cfg_float(c, g, "ceiling_margin", 0, 0, INFINITY, &sector->ceiling_margin);
		ts_cfg_float(c, g, "base_tech", 0, -INFINITY, INFINITY, &sector->base_tech);
		parse_node(L, g, sector);
		config_setting_t *inputs;
		double sum = 0;
		bool all_ok = true;
		if (ts_cfg_group(c, g, "inputs", 0, &inputs) == TS_CFG_SET) {
			for (int k = 0; k < config_setting_length(inputs); k++) {
				config_setting_t *in = config_setting_get_elem(inputs, (unsigned)k);
				int input = ts_loader_resolve(L, in, config_setting_name(in), KIND_SECTOR, "sector", NULL);
				double share = 0;
				if (input == i) {
					ts_cfg_error(c, in, "a sector cannot be its own input");
					input = -1;
				}
				if (ts_cfg_float_value(c, in, TS_CFG_LO_OPEN | TS_CFG_HI_OPEN, 0, 1, &share) != TS_CFG_SET)
					all_ok = false;
				sum += share;
				if (input < 0 || !ts_loader_reserve(L, &s->inputs, &L->cap_inputs,
							  (size_t)s->n_inputs + 1, sizeof *s->inputs))
					continue;
				s->inputs[s->n_inputs++] = (ts_input_spec){ .sector = input, .cost_share = share };
			}
			if (all_ok && sum >= 1)
				ts_cfg_error(c, inputs, "input cost shares sum to %g, must be below 1", sum);
		}
	}
	sector->n_inputs = s->n_inputs - sector->input_first;
	sector->name = ts_loader_strdup(L, name);
}

/* The firm's home and sector, needed before any firm's suppliers are read. */
static void parse_firm_refs(struct loader *L, int i)
{
	config_setting_t *g = config_setting_get_elem(L->firms, (unsigned)i);
	ts_firm_spec *firm = &L->s->firms[i];
	firm->country = firm->sector = -1;
	firm->line = (int)config_setting_source_line(g);
	if (!config_setting_is_group(g))
		return;
	firm->country = ts_loader_ref(L, g, "country", TS_CFG_REQUIRED, KIND_COUNTRY);
	firm->sector = ts_loader_ref(L, g, "sector", TS_CFG_REQUIRED, KIND_SECTOR);
}

/* The input of `sector` named by id, as an index into its inputs, or -1. */
static int input_position(const ts_scenario *s, int sector, const char *id)
{
	const ts_sector_spec *sec = &s->sectors[sector];
	for (int k = 0; k < sec->n_inputs; k++)
		if (strcmp(s->sectors[s->inputs[sec->input_first + k].sector].id, id) == 0)
			return k;
	return -1;
}

static void list_inputs(const ts_scenario *s, int sector, char *buf, size_t size)
{
	const ts_sector_spec *sec = &s->sectors[sector];
	size_t used = 0;
	buf[0] = '\0';
	for (int k = 0; k < sec->n_inputs && used < size; k++) {
		int n = snprintf(buf + used, size - used, "%s%s", k ? ", " : "",
				 s->sectors[s->inputs[sec->input_first + k].sector].id);
		used += n > 0 ? (size_t)n : 0;
	}
}

/* Members of `group` (suppliers or stockpile) that are not inputs of the sector. */
static void check_input_keys(struct loader *L, const config_setting_t *group, int sector)
{
	char inputs[512];
	list_inputs(L->s, sector, inputs, sizeof inputs);
	for (int k = 0; k < config_setting_length(group); k++) {
		config_setting_t *m = config_setting_get_elem(group, (unsigned)k);
		if (input_position(L->s, sector, config_setting_name(m)) >= 0)
			continue;
		if (inputs[0])
			ts_cfg_error(&L->cfg, m, "'%s' is not an input of sector '%s' (its inputs: %s)",
				     config_setting_name(m), L->s->sectors[sector].id, inputs);
		else
			ts_cfg_error(&L->cfg, m, "'%s' is not an input of sector '%s', which has none",
				     config_setting_name(m), L->s->sectors[sector].id);
	}
}

/* The links of one slot from its supplier group `{ SUPPLIER = share; ... }`. */
static void parse_links(struct loader *L, int slot, config_setting_t *g)
{
	ts_cfg *c = &L->cfg;
	ts_scenario *s = L->s;
	int input_sector = s->slots[slot].input_sector;
	int n = config_setting_length(g);
	double sum = 0;
	bool all_ok = true;
	if (n == 0) {
		ts_cfg_error(c, g, "expected at least one supplier of '%s'", s->sectors[input_sector].id);
		return;
	}
	for (int k = 0; k < n; k++) {
		config_setting_t *m = config_setting_get_elem(g, (unsigned)k);
		const char *id = config_setting_name(m);
		const struct id_entry *e = id_find(L, id);
		int firm = -1, country = -1;
		if (e && e->kind == KIND_FIRM && s->firms[e->index].sector == input_sector) {
			firm = e->index;
			country = s->firms[firm].country;
		} else if (e && e->kind == KIND_COUNTRY) {
			country = e->index;
		} else if (e && e->kind == KIND_FIRM) {
			int their = s->firms[e->index].sector;
			ts_cfg_error(c, m, "supplier '%s' is a firm of sector '%s', not of input sector '%s'",
				     id, their >= 0 ? s->sectors[their].id : "?", s->sectors[input_sector].id);
		} else if (e) {
			ts_cfg_error(c, m, "supplier '%s' is a sector, expected a firm of '%s' or a country",
				     id, s->sectors[input_sector].id);
		} else {
			char what[300];
			snprintf(what, sizeof what, "firm of sector '%s' or country", s->sectors[input_sector].id);
			report_unknown(L, m, what, id, KIND_FIRM | KIND_COUNTRY, input_sector);
		}
		double share = 0;
		if (ts_cfg_float_value(c, m, TS_CFG_LO_OPEN, 0, 1, &share) != TS_CFG_SET)
			all_ok = false;
		sum += share;  /* an unknown supplier still says what the shares add up to */
		if (country < 0 || !ts_loader_reserve(L, &s->links, &L->cap_links, (size_t)s->n_links + 1, sizeof *s->links))
			continue;
		s->links[s->n_links++] = (ts_link_spec){
			.slot = slot, .supplier_firm = firm, .supplier_country = country, .share = share,
		};
		s->slots[slot].n_links++;
	}
	if (all_ok && fabs(sum - 1) > s->model.share_tolerance)
		ts_cfg_error(c, g, "supplier shares sum to %.10g, expected 1 (within %g)",
			     sum, s->model.share_tolerance);
}

static void parse_supply(struct loader *L, int i, config_setting_t *g)
{
	ts_cfg *c = &L->cfg;
	ts_scenario *s = L->s;
	ts_firm_spec *firm = &s->firms[i];
	const ts_sector_spec *sector = &s->sectors[firm->sector];
	config_setting_t *suppliers = NULL, *stockpile = NULL;
	int has_suppliers = ts_cfg_group(c, g, "suppliers", 0, &suppliers);
	int has_stockpile = ts_cfg_group(c, g, "stockpile", 0, &stockpile);
	if (has_suppliers == TS_CFG_SET)
		check_input_keys(L, suppliers, firm->sector);
	if (has_stockpile == TS_CFG_SET)
		check_input_keys(L, stockpile, firm->sector);
	if (has_suppliers == TS_CFG_ABSENT && sector->n_inputs > 0) {
		char inputs[512];
		list_inputs(s, firm->sector, inputs, sizeof inputs);
		ts_cfg_error_in(c, g, "suppliers", "required setting missing: sector '%s' has inputs %s",
				sector->id, inputs);
	}
	for (int k = 0; k < sector->n_inputs; k++) {
		const ts_input_spec *in = &s->inputs[sector->input_first + k];
		if (!ts_loader_reserve(L, &s->slots, &L->cap_slots, (size_t)s->n_slots + 1, sizeof *s->slots))
			return;
		int slot = s->n_slots++;
		s->slots[slot] = (ts_slot_spec){
			.firm = i, .input_sector = in->sector, .cost_share = in->cost_share,
			.link_first = s->n_links,
		};
		const char *input_id = s->sectors[in->sector].id;
		if (has_stockpile == TS_CFG_SET)
			ts_cfg_float(c, stockpile, input_id, 0, 0, INFINITY, &s->slots[slot].stockpile);
		if (has_suppliers != TS_CFG_SET)
			continue;
		config_setting_t *links;
		int rc = ts_cfg_group(c, suppliers, input_id, 0, &links);
		if (rc == TS_CFG_SET)
			parse_links(L, slot, links);
		else if (rc == TS_CFG_ABSENT)
			ts_cfg_error_in(c, suppliers, input_id,
					"required setting missing: every input of sector '%s' needs suppliers",
					sector->id);
	}
}

/* refuses = ["source_code", ...]: the compliance requirements the firm
 * will not meet (it leaves the segments that demand them instead). */
static void parse_refusals(struct loader *L, config_setting_t *g, ts_firm_spec *firm)
{
	ts_cfg *c = &L->cfg;
	config_setting_t *list = config_setting_get_member(g, "refuses");
	if (!list)
		return;
	if (!config_setting_is_array(list) && !config_setting_is_list(list)) {
		ts_cfg_error(c, list, "expected an array of requirements like [\"source_code\"], got %s",
			     ts_cfg_type_phrase(list));
		return;
	}
	for (int k = 0; k < config_setting_length(list); k++) {
		config_setting_t *e = config_setting_get_elem(list, (unsigned)k);
		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			ts_cfg_error(c, e, "expected a requirement name (string), got %s", ts_cfg_type_phrase(e));
			continue;
		}
		const char *text = config_setting_get_string(e);
		int r;
		for (r = 0; r < TS_REQ_COUNT && strcmp(text, ts_requirement_names[r]) != 0; r++)
			;
		char hint[256];
		if (r == TS_REQ_COUNT)
			ts_cfg_error(c, e, "expected \"certification\", \"source_code\" or \"data_localisation\", "
				     "got \"%s\"%s", text, ts_cfg_hint(hint, sizeof hint, text, ts_requirement_names, TS_REQ_COUNT));
		else if (firm->refuses & (1u << r))
			ts_cfg_error(c, e, "requirement '%s' is listed twice", text);
		else
			firm->refuses |= 1u << r;
	}
}

/* tech_dependence = { US = 0.3; }: the firm's dependence on each country's
 * technology for the foreign-direct-product rule, each in [0, 1]. */
static void parse_tech_dependence(struct loader *L, config_setting_t *g, ts_firm_spec *firm)
{
	ts_cfg *c = &L->cfg;
	ts_scenario *s = L->s;
	config_setting_t *group;
	firm->tech_dependence_first = s->n_tech_dependence;
	if (ts_cfg_group(c, g, "tech_dependence", 0, &group) != TS_CFG_SET)
		return;
	for (int k = 0; k < config_setting_length(group); k++) {
		config_setting_t *e = config_setting_get_elem(group, (unsigned)k);
		int country = ts_loader_resolve(L, e, config_setting_name(e), KIND_COUNTRY, "country", NULL);
		double share = 0;
		if (ts_cfg_float_value(c, e, 0, 0, 1, &share) != TS_CFG_SET || country < 0)
			continue;
		if (!ts_loader_reserve(L, &s->tech_dependence, &L->cap_tech_dependence,
				       (size_t)s->n_tech_dependence + 1, sizeof *s->tech_dependence))
			return;
		s->tech_dependence[s->n_tech_dependence++] = (ts_tech_dependence){ .country = country, .share = share };
	}
	firm->n_tech_dependence = s->n_tech_dependence - firm->tech_dependence_first;
}

static void parse_firm(struct loader *L, int i)
{
	ts_cfg *c = &L->cfg;
	config_setting_t *g = config_setting_get_elem(L->firms, (unsigned)i);
	ts_firm_spec *firm = &L->s->firms[i];
	const char *name = firm->id;
	firm->unit_cost = 1.0;
	firm->restock_rate = 0.25;
	firm->slot_first = L->s->n_slots;
	if (config_setting_is_group(g)) {
		ts_cfg_check_keys(c, g, firm_keys);
		ts_cfg_string(c, g, "name", 0, &name);
		ts_cfg_float(c, g, "capacity", TS_CFG_REQUIRED | TS_CFG_LO_OPEN, 0, INFINITY, &firm->capacity);
		ts_cfg_float(c, g, "unit_cost", TS_CFG_LO_OPEN, 0, INFINITY, &firm->unit_cost);
		ts_cfg_float(c, g, "tech", 0, -INFINITY, INFINITY, &firm->tech);
		ts_cfg_float(c, g, "rd_intensity", 0, 0, 0.99, &firm->rd_intensity);
		ts_cfg_float(c, g, "jobs_per_bn", 0, 0, INFINITY, &firm->jobs_per_bn);
		ts_cfg_float(c, g, "fixed_cost", 0, 0, INFINITY, &firm->fixed_cost);
		ts_cfg_float(c, g, "substitution_rate", 0, 0, 1, &firm->substitution_rate);
		ts_cfg_float(c, g, "restock_rate", 0, 0, INFINITY, &firm->restock_rate);
		ts_cfg_bool(c, g, "state_owned", 0, &firm->state_owned);
		ts_cfg_float(c, g, "anticipation", 0, 0, INFINITY, &firm->anticipation);
		parse_refusals(L, g, firm);
		parse_tech_dependence(L, g, firm);
		if (firm->sector >= 0)
			parse_supply(L, i, g);
	}
	firm->name = ts_loader_strdup(L, name);
}

/* A date: a label in the run's calendar or a step number. */
int ts_loader_date(struct loader *L, config_setting_t *at, int *step)
{
	const ts_run_spec *run = &L->s->run;
	long long v;
	if (config_setting_type(at) == CONFIG_TYPE_STRING) {
		if (!L->run_ok)
			return -1;  /* no calendar to read it in: run's error says why */
		const char *label = config_setting_get_string(at);
		if (ts_calendar_parse(run, label, step) == 0)
			return 0;
		int kind = run->steps_per_year == 12 ? 0 : run->steps_per_year == 4 ? 1 : 2;
		ts_cfg_error(&L->cfg, at, "expected a %s label like \"%s\" or a step number, got \"%s\"",
			     step_names[kind], label_examples[kind], label);
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

/* "step 3 (2018Q4)", or "step 3" without a valid calendar. */
void ts_loader_step_text(const struct loader *L, int step, char *buf, size_t size)
{
	char label[32];
	if (L->run_ok && ts_calendar_label(&L->s->run, step, label, sizeof label) == 0)
		snprintf(buf, size, "step %d (%s)", step, label);
	else
		snprintf(buf, size, "step %d", step);
}

/* Allocates n zeroed elements (at least one, so that 0 is no failure). */
void *ts_loader_calloc(struct loader *L, size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		L->cfg.nomem = true;
	return p;
}

/* Critical inputs must form a chain, not a loop: a step orders each
 * sector's purchases before its suppliers' (docs/model.md §6). */
static void check_input_cycles(struct loader *L)
{
	ts_scenario *s = L->s;
	if (L->cfg.n_errors > 0 || s->n_sectors == 0)
		return;  /* inputs are only complete when the sectors parsed cleanly */
	int *order = ts_loader_calloc(L, (size_t)s->n_sectors, sizeof *order);
	if (!order)
		return;
	int n_ordered = 0;
	if (ts_sector_order(s, order, &n_ordered) == -1) {
		char names[512] = "";
		size_t used = 0;
		for (int k = 0; k < s->n_sectors && used + 1 < sizeof names; k++) {
			int ordered = 0;
			for (int j = 0; j < n_ordered; j++)
				ordered |= order[j] == k;
			if (!ordered)
				used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
				                         used ? ", " : "", s->sectors[k].id);
		}
		ts_cfg_error(&L->cfg, L->sectors, "critical inputs form a cycle among: %s", names);
	}
	free(order);
}

static void validate(struct loader *L)
{
	ts_cfg *c = &L->cfg;
	ts_scenario *s = L->s;
	config_setting_t *root = config_root_setting(&s->config);
	const char *text;
	ts_cfg_check_keys(c, root, top_keys);
	ts_cfg_string(c, root, "title", 0, &text);
	ts_cfg_string(c, root, "description", 0, &text);
	parse_run(L, root);
	parse_model(L, root);

	/* Ids first: references may point forward. */
	size_t total = 0;
	const char *groups[] = { "countries", "sectors", "firms" };
	for (int k = 0; k < 3; k++) {
		config_setting_t *g = config_setting_get_member(root, groups[k]);
		total += g && config_setting_is_group(g) ? (size_t)config_setting_length(g) : 0;
	}
	for (L->ids_cap = 16; L->ids_cap < 2 * total; L->ids_cap *= 2)
		;
	L->ids = ts_loader_calloc(L, L->ids_cap, sizeof *L->ids);
	if (!L->ids)
		return;
	s->n_countries = collect_ids(L, root, "countries", KIND_COUNTRY, &L->countries);
	s->n_sectors = collect_ids(L, root, "sectors", KIND_SECTOR, &L->sectors);
	s->n_firms = collect_ids(L, root, "firms", KIND_FIRM, &L->firms);
	s->countries = ts_loader_calloc(L, (size_t)s->n_countries, sizeof *s->countries);
	s->sectors = ts_loader_calloc(L, (size_t)s->n_sectors, sizeof *s->sectors);
	s->firms = ts_loader_calloc(L, (size_t)s->n_firms, sizeof *s->firms);
	s->markets = ts_loader_calloc(L, (size_t)s->n_countries * (size_t)s->n_sectors, sizeof *s->markets);
	if (c->nomem)
		return;
	for (int i = 0; i < s->n_countries; i++)
		s->countries[i].id = ts_loader_strdup(L, config_setting_name(config_setting_get_elem(L->countries, (unsigned)i)));
	for (int i = 0; i < s->n_sectors; i++)
		s->sectors[i].id = ts_loader_strdup(L, config_setting_name(config_setting_get_elem(L->sectors, (unsigned)i)));
	for (int i = 0; i < s->n_firms; i++)
		s->firms[i].id = ts_loader_strdup(L, config_setting_name(config_setting_get_elem(L->firms, (unsigned)i)));
	for (size_t k = 0; k < (size_t)s->n_countries * (size_t)s->n_sectors; k++)
		s->markets[k].segment_share[TS_SEG_PRIVATE] = 1;
	if (c->nomem)
		return;

	for (int i = 0; i < s->n_countries; i++)
		parse_country(L, i);
	for (int i = 0; i < s->n_sectors; i++)
		parse_sector(L, i);
	check_input_cycles(L);
	for (int i = 0; i < s->n_firms; i++)
		parse_firm_refs(L, i);
	for (int i = 0; i < s->n_firms && !c->nomem; i++)
		parse_firm(L, i);

	ts_loader_parse_measures(L, root);
	ts_loader_parse_policy(L, root);  /* rules, deals; after the measures they name */
}

/* libconfig's own complaint: a syntax error, a missing include, or a name
 * used twice in one group (which is how duplicate ids show up). */
static void report_parse_error(struct loader *L)
{
	const config_t *cfg = &L->s->config;
	const char *what = config_error_text(cfg) ? config_error_text(cfg) : "cannot parse";
	char file[1024];
	ts_cfg_file_name(&L->cfg, config_error_file(cfg), file, sizeof file);
	if (strcmp(what, "duplicate setting name") == 0)
		what = "duplicate id or setting name";
	ts_error_set(L->cfg.err, TS_EINPUT, "%s:%d: %s", file, config_error_line(cfg), what);
}

static int hash_config(ts_scenario *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		return TS_ENOMEM;
	config_write(&s->config, mem);
	int failed = ferror(mem);
	if (fclose(mem) != 0 || failed) {
		free(text);
		return TS_ENOMEM;
	}
	ts_sha256_hex(text, len, s->hash);
	free(text);
	return TS_OK;
}

int ts_scenario_load_string(ts_scenario **out, const char *text, const char *name,
			    const char *include_dir, const ts_override *overrides, size_t n_overrides,
			    ts_error *err)
{
	if (!out)
		return ts_error_set(err, TS_EINPUT, "ts_scenario_load_string: no output pointer");
	*out = NULL;
	if (!text || !name)
		return ts_error_set(err, TS_EINPUT, "ts_scenario_load_string: no text or name");
	struct loader L;
	memset(&L, 0, sizeof L);
	L.s = calloc(1, sizeof *L.s);
	if (!L.s)
		return ts_error_set(err, TS_ENOMEM, "%s: out of memory", name);
	config_init(&L.s->config);
	config_set_destructor(&L.s->config, free);  /* override marks */
	L.s->path = strdup(name);
	if (include_dir)
		config_set_include_dir(&L.s->config, include_dir);
	ts_cfg_init(&L.cfg, err, name, include_dir, text);
	/* Success is decided by this load's own count: err may already hold
	 * diagnostics from earlier calls. */
	int status = TS_OK;
	if (!L.s->path) {
		L.cfg.nomem = true;
	} else if (config_read_string(&L.s->config, text) != CONFIG_TRUE) {
		report_parse_error(&L);
		status = TS_EINPUT;
	} else {
		ts_override_apply(&L.s->config, overrides, n_overrides, &L.cfg);
		if (!L.cfg.nomem)
			validate(&L);
		if (L.cfg.n_errors > 0)
			status = TS_EINPUT;
	}
	if (status == TS_OK && !L.cfg.nomem && hash_config(L.s) != TS_OK)
		L.cfg.nomem = true;
	if (L.cfg.nomem && status == TS_OK)
		status = ts_error_set(err, TS_ENOMEM, "%s: out of memory", name);
	ts_cfg_release(&L.cfg);
	free(L.ids);
	if (status != TS_OK) {
		ts_scenario_free(L.s);
		return status;
	}
	*out = L.s;
	return TS_OK;
}

int ts_scenario_load(ts_scenario **out, const char *path, const ts_override *overrides,
		     size_t n_overrides, ts_error *err)
{
	if (out)
		*out = NULL;
	if (!out || !path)
		return ts_error_set(err, TS_EINPUT, "ts_scenario_load: no output pointer or path");
	size_t len = 0;
	ts_read_status st;
	char *text = ts_read_file(path, &len, &st);
	if (st == TS_READ_OPEN)
		return ts_error_set(err, TS_EIO, "%s: cannot open: %s", path, strerror(errno));
	if (st == TS_READ_NOMEM)
		return ts_error_set(err, TS_ENOMEM, "%s: out of memory", path);
	if (st == TS_READ_IO)
		return ts_error_set(err, TS_EIO, "%s: cannot read", path);
	if (strlen(text) != len) {
		free(text);
		return ts_error_set(err, TS_EINPUT, "%s: not a text file (holds a NUL byte)", path);
	}
	char *copy = strdup(path);
	if (!copy) {
		free(text);
		return ts_error_set(err, TS_ENOMEM, "%s: out of memory", path);
	}
	/* @include resolves against the scenario's own directory. */
	int rc = ts_scenario_load_string(out, text, path, dirname(copy), overrides, n_overrides, err);
	free(copy);
	free(text);
	return rc;
}

void ts_scenario_free(ts_scenario *s)
{
	if (!s)
		return;
	for (int i = 0; s->countries && i < s->n_countries; i++) {
		free(s->countries[i].id);
		free(s->countries[i].name);
		free(s->countries[i].bloc);
	}
	for (int i = 0; s->sectors && i < s->n_sectors; i++) {
		free(s->sectors[i].id);
		free(s->sectors[i].name);
	}
	for (int i = 0; s->firms && i < s->n_firms; i++) {
		free(s->firms[i].id);
		free(s->firms[i].name);
	}
	for (int i = 0; s->measures && i < s->n_measures; i++)
		free(s->measures[i].id);
	free(s->countries);
	free(s->sectors);
	free(s->inputs);
	free(s->markets);
	free(s->firms);
	free(s->slots);
	free(s->links);
	free(s->measures);
	free(s->measure_sectors);
	free(s->measure_allies);
	free(s->tech_dependence);
	ts_scenario_free_policy(s);
	free(s->path);
	config_destroy(&s->config);
	free(s);
}

int ts_scenario_write(const ts_scenario *s, FILE *stream, ts_error *err)
{
	if (!s || !stream)
		return ts_error_set(err, TS_EINPUT, "ts_scenario_write: no scenario or stream");
	errno = 0;
	config_write(&s->config, stream);
	if (ferror(stream) || fflush(stream) != 0)
		return ts_error_set(err, TS_EIO, "cannot write the scenario: %s",
				    errno ? strerror(errno) : "stream error");
	return TS_OK;
}

const char *ts_scenario_hash(const ts_scenario *s)
{
	return s ? s->hash : NULL;
}

const char *ts_scenario_path(const ts_scenario *s)
{
	return s ? s->path : NULL;
}

uint32_t ts_scenario_seed(const ts_scenario *s)
{
	return s ? s->run.seed : 0;
}

int ts_scenario_steps(const ts_scenario *s)
{
	return s ? s->run.steps : 0;
}

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
