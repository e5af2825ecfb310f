/* Scenario loading, the world: `run`, `model`, then the ids and settings of
 * `countries` (markets), `sectors` (inputs, process nodes) and `firms`
 * (suppliers, stockpiles, refusals, technology dependence), checked against
 * docs/scenario.md. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/limits.h"
#include "scenario/loader.h"
#include "util/assert.h"

static const char *const run_keys[] = { "steps", "start", "end", "step", "seed", NULL };
static const char *const model_keys[] = {
	"innovation_zeta", "imitation_zeta", "innovation_share", "beta_a", "beta_b",
	"tech_step_min", "tech_step_max", "tech_weight", "share_tolerance", "imitation_fraction",
	"tension_memory", "tension_memory_per_year",
	"jobs_half_life", "capacity_depreciation", "capacity_build_lag", "capacity_target_use",
	"capital_per_capacity", "capacity_profit_share", "expectation_half_life",
	"capacity_knee", "capacity_steepness", "share_half_life",
	"rd_denial_response", "rd_gap_response", "rd_response_half_life", NULL,
};
static const char *const country_keys[] = {
	"id", "name", "bloc", "alignment", "home_bias", "rd_budget", "rd_support_on_denial", "rd_support_sectors",
	"derisk_suppliers", "derisk_buyers",
	"markets", "rules", NULL,
};
static const char *const market_keys[] = { "size", "growth", "government", "infrastructure", NULL };
static const char *const sector_keys[] = {
	"id", "name", "elasticity", "ceiling_margin", "base_tech", "inputs", "node", NULL,
};
static const char *const node_keys[] = { "reference_tech", "reference_nm", "tech_per_node", NULL };
static const char *const firm_keys[] = {
	"id", "name", "country", "sector", "capacity", "unit_cost", "tech", "rd_intensity",
	"jobs_per_bn", "fixed_cost", "substitution_rate", "substitution_half_life", "restock_rate",
	"state_owned", "suppliers", "stockpile", "stockpile_months", "refuses", "tech_dependence",
	"anticipation", "anticipation_months",
	"gross_margin", "jobs_half_life", "capacity_depreciation", "capacity_build_lag", "capacity_target_use",
	"capital_per_capacity", "capacity_profit_share", "derisk_suppliers", "derisk_buyers",
	"rd_denial_response", "rd_gap_response", "rd_response_half_life", NULL,
};

/* The settings of a firm's own dynamics (docs/scenario.md; docs/model.md
 * §7, §16), in `model` (defaults for every firm) or in a firm (its own):
 * `d` holds the defaults and gets what group g sets. */
static void parse_dynamics(ts_cfg *c, config_setting_t *g, ts_firm_dynamics *d)
{
	ts_cfg_float(c, g, "jobs_half_life", 0, 0, TS_MAX_YEARS, &d->jobs_half_life);
	ts_cfg_float(c, g, "capacity_depreciation", 0, 0, TS_MAX_DEPRECIATION_PER_YEAR, &d->depreciation);
	ts_cfg_float(c, g, "capacity_build_lag", 0, 0, TS_MAX_BUILD_LAG_YEARS, &d->build_lag);
	ts_cfg_float(c, g, "capacity_target_use", TS_CFG_LO_OPEN, 0, 1, &d->target_use);
	ts_cfg_float(c, g, "capital_per_capacity", TS_CFG_LO_OPEN, 0, TS_MAX_CAPITAL_PER_CAPACITY,
		     &d->capital_per_capacity);
	ts_cfg_float(c, g, "capacity_profit_share", 0, 0, 1, &d->profit_share);
	ts_cfg_float(c, g, "rd_denial_response", 0, 0, TS_MAX_RD_RESPONSE, &d->rd_denial_response);
	ts_cfg_float(c, g, "rd_gap_response", 0, 0, TS_MAX_RD_RESPONSE, &d->rd_gap_response);
	ts_cfg_float(c, g, "rd_response_half_life", 0, 0, TS_MAX_YEARS, &d->rd_response_half_life);
}

/* run.step: the index into ts_loader_step_names, 1 (quarter) when absent,
 * -1 when bad (reported). */
static int parse_step_kind(struct loader *L, config_setting_t *g)
{
	const char *step;
	int rc = ts_cfg_string(&L->cfg, g, "step", 0, &step);
	if (rc == TS_CFG_ABSENT)
		return 1;
	if (rc == TS_CFG_BAD)
		return -1;
	return ts_loader_name(L, ts_cfg_member(g, "step"), step, ts_loader_step_names,
			      TS_STEP_KINDS, NULL);
}

/* A run.start or run.end label of any calendar: the month its period
 * begins and its length in months; false when reported. */
static bool run_date(struct loader *L, config_setting_t *g, const char *key, unsigned flags,
		     int kind, long long *first, int *months)
{
	const char *label;
	if (ts_cfg_string(&L->cfg, g, key, flags, &label) != TS_CFG_SET)
		return false;
	if (ts_calendar_months(label, first, months))
		return true;
	ts_cfg_error(&L->cfg, ts_cfg_member(g, key),
		     "expected a date label like \"%s\" (any of \"2018-01\", \"2018Q1\", \"2018\"), got \"%s\"",
		     ts_loader_label_examples[kind], label);
	return false;
}

/* The run's length: run.end (the last period, inclusive, in any calendar:
 * the run ends with the step that holds that period's last month) or
 * run.steps, exactly one of them (docs/scenario.md, "run"). */
static bool run_length(struct loader *L, config_setting_t *g, int kind, long long start_month)
{
	ts_cfg *c = &L->cfg;
	ts_run_spec *run = &L->s->run;
	config_setting_t *end = ts_cfg_member(g, "end");
	long long steps = 0, first;
	int months;
	if (end && ts_cfg_member(g, "steps")) {
		ts_cfg_error(c, end, "give either run.end (the last period) or run.steps, not both");
		return false;
	}
	if (!end)
		return ts_cfg_int(c, g, "steps", TS_CFG_REQUIRED, 1, 1000000, &steps) == TS_CFG_SET &&
		       (run->steps = (int)steps) > 0;
	if (!run_date(L, g, "end", 0, kind, &first, &months))
		return false;
	long long dt = 12 / run->steps_per_year, span = first + months - start_month;
	steps = span > 0 ? (span + dt - 1) / dt : 0;  /* steps until the period's last month is in */
	if (steps < 1 || steps > 1000000) {
		ts_cfg_error(c, end, "the run from its start to the end of %s would take %lld steps, expected 1 .. 1000000",
			     config_setting_get_string(end), steps);
		return false;
	}
	run->steps = (int)steps;
	return true;
}

static void parse_run(struct loader *L)
{
	ts_cfg *c = &L->cfg;
	ts_run_spec *run = &L->s->run;
	config_setting_t *g;
	long long seed = 1, first;
	int months;
	run->seed = 1;
	if (ts_cfg_group(c, L->root, "run", TS_CFG_REQUIRED, &g) != TS_CFG_SET)
		return;
	ts_cfg_check_keys(c, g, run_keys);
	if (ts_cfg_int(c, g, "seed", 0, 1, 4294967295LL, &seed) != TS_CFG_BAD)
		run->seed = (uint32_t)seed;
	int kind = parse_step_kind(L, g);
	if (!run_date(L, g, "start", TS_CFG_REQUIRED, kind < 0 ? 1 : kind, &first, &months) || kind < 0) {
		long long steps;  /* still say what is wrong with the length */
		if (!ts_cfg_member(g, "end"))
			ts_cfg_int(c, g, "steps", TS_CFG_REQUIRED, 1, 1000000, &steps);
		return;
	}
	/* Step 0 is the period of the run's calendar that holds the start. */
	int per = ts_loader_steps_per_year[kind];
	long long dt = 12 / per, index = first >= 0 ? first / dt : -((-first + dt - 1) / dt);
	run->steps_per_year = per;
	run->start_year = (int)(index >= 0 ? index / per : -((-index + per - 1) / per));  /* floor */
	run->start_period = (int)(index - (long long)run->start_year * per) + 1;
	L->run_ok = run_length(L, g, kind, index * dt);
}

/* ---- settings whose unit became one of time (docs/scenario.md, "Time") ---- */

static double memory_per_year(double per_step, int steps_per_year)
{
	return pow(per_step, steps_per_year);
}

/* The half-life of re-sourcing at a share `per_step` of the gap a step:
 * (1 - share)^(steps_per_year h) = 1/2. */
static double half_life_of_share(double per_step, int steps_per_year)
{
	return per_step >= 1.0 ? 0.0 : log(2.0) / (-steps_per_year * log1p(-per_step));
}

/* Months of use in the run's steps of use (stockpiles, anticipation). */
static double steps_of_months(const struct loader *L, double months)
{
	return L->run_ok ? months * L->s->run.steps_per_year / 12.0 : months;
}

/* The old `stockpile = { INPUT = periods; }` with what to write now. */
static void renamed_stockpile(struct loader *L, const config_setting_t *g)
{
	config_setting_t *old = ts_cfg_member(g, "stockpile");
	if (!old)
		return;
	char now[512] = "";
	size_t used = 0;
	int per = L->s->run.steps_per_year;
	for (int k = 0; L->run_ok && config_setting_is_group(old) && k < config_setting_length(old) && used < sizeof now; k++) {
		config_setting_t *m = config_setting_get_elem(old, (unsigned)k);
		int n = snprintf(now + used, sizeof now - used, " %s = %.4g;", config_setting_name(m),
				 ts_loader_months_of_steps(config_setting_type(m) == CONFIG_TYPE_FLOAT ? config_setting_get_float(m)
						 : (double)config_setting_get_int64(m), per));
		used += n > 0 ? (size_t)n : 0;
	}
	if (used > 0 && used < sizeof now)
		ts_cfg_error(&L->cfg, old, "'stockpile' is now 'stockpile_months', in months of use: write "
			     "stockpile_months = {%s } (was in %ss)", now, ts_loader_step_names[per == 12 ? 0 : per == 4 ? 1 : 2]);
	else
		ts_cfg_error(&L->cfg, old, "'stockpile' is now 'stockpile_months', in months of use "
			     "(docs/scenario.md, \"Time\")");
}

static void renamed_firm_settings(struct loader *L, const config_setting_t *g)
{
	renamed_stockpile(L, g);
	ts_loader_renamed(L, g, "substitution_rate", "substitution_half_life",
			  "years until half the cut-off supply is re-sourced", half_life_of_share);
	ts_loader_renamed(L, g, "anticipation", "anticipation_months", "in months of use", ts_loader_months_of_steps);
}

static void parse_model(struct loader *L)
{
	ts_cfg *c = &L->cfg;
	ts_model_params *m = &L->s->model;
	*m = (ts_model_params){
		.innovation_zeta = 0.3, .imitation_zeta = 0.3, .innovation_share = 0.5,
		.beta_a = 3, .beta_b = 3, .tech_step_min = -0.15, .tech_step_max = 0.15,
		.tech_weight = 1.0, .share_tolerance = 1e-6, .imitation_fraction = 1.0,
		.tension_memory_per_year = 0.4096,  /* 0.8 a quarter */
		/* docs/scenario.md gives the source or assumption of each. */
		.firm = { .jobs_half_life = 0.5, .depreciation = 0.1, .build_lag = 1.0, .target_use = 0.8,
			  .capital_per_capacity = 0.5, .profit_share = 0.5, .rd_response_half_life = 1.0 },
		.expectation_half_life = 0.5,
		.capacity_knee = 0.8, .capacity_steepness = 0.01, .share_half_life = 1.0,  /* §5 */
	};
	config_setting_t *g;
	if (ts_cfg_group(c, L->root, "model", 0, &g) != TS_CFG_SET)
		return;
	ts_cfg_check_keys(c, g, model_keys);
	ts_cfg_float(c, g, "innovation_zeta", 0, 0, INFINITY, &m->innovation_zeta);
	ts_cfg_float(c, g, "imitation_zeta", 0, 0, INFINITY, &m->imitation_zeta);
	ts_cfg_float(c, g, "innovation_share", 0, 0, 1, &m->innovation_share);
	ts_cfg_float(c, g, "beta_a", 0, TS_MIN_BETA_SHAPE, TS_MAX_BETA_SHAPE, &m->beta_a);
	ts_cfg_float(c, g, "beta_b", 0, TS_MIN_BETA_SHAPE, TS_MAX_BETA_SHAPE, &m->beta_b);
	bool ok = ts_cfg_float(c, g, "tech_step_min", 0, -TS_MAX_ABS_TECH_STEP, TS_MAX_ABS_TECH_STEP, &m->tech_step_min) != TS_CFG_BAD;
	ok = ts_cfg_float(c, g, "tech_step_max", 0, -TS_MAX_ABS_TECH_STEP, TS_MAX_ABS_TECH_STEP, &m->tech_step_max) != TS_CFG_BAD && ok;
	ts_cfg_float(c, g, "tech_weight", 0, 0, TS_MAX_TECH_WEIGHT, &m->tech_weight);
	ts_cfg_float(c, g, "share_tolerance", 0, 0, 0.01, &m->share_tolerance);
	ts_cfg_float(c, g, "imitation_fraction", TS_CFG_LO_OPEN, 0, 1, &m->imitation_fraction);
	ts_cfg_float(c, g, "tension_memory_per_year", TS_CFG_HI_OPEN, 0, 1, &m->tension_memory_per_year);
	ts_loader_renamed(L, g, "tension_memory", "tension_memory_per_year", "the weight kept after a year",
			  memory_per_year);
	parse_dynamics(c, g, &m->firm);
	ts_cfg_float(c, g, "expectation_half_life", 0, 0, TS_MAX_YEARS, &m->expectation_half_life);
	ts_cfg_float(c, g, "capacity_knee", TS_CFG_HI_OPEN, 0, 1, &m->capacity_knee);
	ts_cfg_float(c, g, "capacity_steepness", TS_CFG_LO_OPEN, 0, TS_MAX_CAPACITY_STEEPNESS, &m->capacity_steepness);
	ts_cfg_float(c, g, "share_half_life", 0, 0, TS_MAX_SHARE_HALF_LIFE, &m->share_half_life);
	if (ok && !(m->tech_step_min < m->tech_step_max)) {
		config_setting_t *at = ts_cfg_member(g, "tech_step_max");
		if (!at)
			at = ts_cfg_member(g, "tech_step_min");
		ts_cfg_error(c, at, "tech_step_min (%g) must be below tech_step_max (%g)",
			     m->tech_step_min, m->tech_step_max);
	}
}

/* Registers the ids of one entity table (a group or a list, loader.h);
 * returns its entry count. An entry without a usable id gets none and is
 * skipped by lookups; the load fails on its report. */
static int collect_ids(struct loader *L, const char *key, int kind, config_setting_t **table)
{
	ts_cfg *c = &L->cfg;
	const char *what = ts_loader_kind_name(kind);
	if (ts_loader_entity_table(L, key, TS_CFG_REQUIRED, table) != TS_CFG_SET)
		return 0;
	int n = config_setting_length(*table);
	if (n == 0)
		ts_cfg_error(c, *table, "expected at least one %s", what);
	for (int i = 0; i < n; i++) {
		config_setting_t *m = config_setting_get_elem(*table, (unsigned)i);
		const char *id = ts_loader_entry_id(L, m, what);
		if (!id)
			continue;
		const config_setting_t *at = ts_loader_entry_id_setting(m);
		if (ts_loader_check_id_length(L, at, id) && !ts_loader_valid_id(id))
			ts_cfg_error(c, at, "id '%s' must start with a letter and hold only letters, "
				     "digits, '_' and '-'", id);
		if (config_setting_is_group(*table) && !config_setting_is_group(m))
			ts_cfg_error(c, m, "expected a group { ... } describing %s '%s', got %s",
				     what, id, ts_cfg_type_phrase(m));
		struct id_entry *e = ts_loader_table_slot(&L->ids, id);
		if (e->id) {
			char where[1100];
			ts_cfg_location(c, e->setting, where, sizeof where);
			ts_cfg_error(c, at, "duplicate id '%s': also a %s at %s", id, ts_loader_kind_name(e->kind), where);
			continue;
		}
		*e = (struct id_entry){ .id = id, .kind = kind, .index = i, .setting = at };
	}
	return n;
}

static size_t group_length(const config_setting_t *root, const char *key)
{
	const config_setting_t *g = ts_cfg_member(root, key);
	return g && (config_setting_is_group(g) || config_setting_is_list(g)) ? (size_t)config_setting_length(g) : 0;
}

/* The id of entry i of `table` as collect_ids read it, or "" when it has
 * none (reported there). */
static const char *entry_id_of(config_setting_t *table, int i)
{
	config_setting_t *e = config_setting_get_elem(table, (unsigned)i);
	if (config_setting_is_group(table))
		return config_setting_name(e);
	const char *id = NULL;
	return config_setting_is_group(e) && config_setting_lookup_string(e, "id", &id) ? id : "";
}

/* Entity counts and the tables they make within the limits (limits.h): a
 * run holds countries x firms bans and wedges, countries x sectors markets,
 * countries x countries x sectors dependences. */
static bool check_sizes(struct loader *L)
{
	double nc = (double)group_length(L->root, "countries"), ns = (double)group_length(L->root, "sectors");
	double nf = (double)group_length(L->root, "firms");
	const config_setting_t *countries = ts_cfg_member(L->root, "countries");
	const config_setting_t *sectors = ts_cfg_member(L->root, "sectors");
	const config_setting_t *firms = ts_cfg_member(L->root, "firms");
	bool ok = ts_loader_check_count(L, countries, nc, TS_MAX_COUNTRIES, "countries");
	ok = ts_loader_check_count(L, sectors, ns, TS_MAX_SECTORS, "sectors") && ok;
	ok = ts_loader_check_count(L, firms, nf, TS_MAX_FIRMS, "firms") && ok;
	if (!ok)
		return false;
	ok = ts_loader_check_count(L, firms, nc * nf, TS_MAX_COUNTRY_FIRMS,
				   "country-firm pairs (countries x firms, the run's bans and wedges)");
	ok = ts_loader_check_count(L, sectors, nc * ns, TS_MAX_MARKETS, "markets (countries x sectors)") && ok;
	return ts_loader_check_count(L, sectors, nc * nc * ns, TS_MAX_COUNTRY_PAIR_SECTORS,
				     "country pairs x sectors (the run's technology dependences of generic producers)") && ok;
}

/* The id of each entity, before any setting: references may point forward. */
static bool collect_entities(struct loader *L)
{
	ts_scenario *s = L->s;
	if (!check_sizes(L))
		return false;
	size_t total = group_length(L->root, "countries") + group_length(L->root, "sectors") +
		       group_length(L->root, "firms");
	if (!ts_loader_table_init(L, &L->ids, total))
		return false;
	s->n_countries = collect_ids(L, "countries", KIND_COUNTRY, &L->countries);
	s->n_sectors = collect_ids(L, "sectors", KIND_SECTOR, &L->sectors);
	s->n_firms = collect_ids(L, "firms", KIND_FIRM, &L->firms);
	s->countries = ts_loader_calloc(L, (size_t)s->n_countries, sizeof *s->countries);
	s->sectors = ts_loader_calloc(L, (size_t)s->n_sectors, sizeof *s->sectors);
	s->firms = ts_loader_calloc(L, (size_t)s->n_firms, sizeof *s->firms);
	s->markets = ts_loader_calloc(L, (size_t)s->n_countries * (size_t)s->n_sectors, sizeof *s->markets);
	if (L->cfg.nomem)
		return false;
	for (int i = 0; i < s->n_countries; i++)
		s->countries[i].id = ts_loader_strdup(L, entry_id_of(L->countries, i));
	for (int i = 0; i < s->n_sectors; i++)
		s->sectors[i].id = ts_loader_strdup(L, entry_id_of(L->sectors, i));
	for (int i = 0; i < s->n_firms; i++)
		s->firms[i].id = ts_loader_strdup(L, entry_id_of(L->firms, i));
	/* A market left out: no demand, all of it private. */
	for (size_t k = 0; k < (size_t)s->n_countries * (size_t)s->n_sectors; k++)
		s->markets[k].segment_share[TS_SEG_PRIVATE] = 1;
	return !L->cfg.nomem;
}

/* ---- countries ---- */

/* Demand at step t is size (1 + growth)^(t / steps_per_year) (docs/model.md
 * §5): by the run's last step it must stay within TS_MAX_MONEY, or growth
 * over a long run overflows (growth 0.07 over 10,000 years: e^677). */
static void check_growth(struct loader *L, config_setting_t *m, const ts_market_spec *market)
{
	const ts_run_spec *run = &L->s->run;
	if (!L->run_ok || !(market->size > 0) || !(market->growth > 0))
		return;
	double years = (double)(run->steps - 1) / run->steps_per_year;
	if (log(market->size) + years * log1p(market->growth) <= log(TS_MAX_MONEY))
		return;
	ts_cfg_error(&L->cfg, ts_cfg_member(m, "growth"),
		     "growth %g a year takes the market of %g bn USD a year past %g by the run's last step "
		     "(%g years on): too large for the arithmetic (docs/scenario.md, \"Numeric ranges\")",
		     market->growth, market->size, TS_MAX_MONEY, years);
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
	ts_cfg_float(c, m, "size", TS_CFG_REQUIRED, 0, TS_MAX_MONEY, &market.size);
	ts_cfg_float(c, m, "growth", TS_CFG_LO_OPEN, -1, TS_MAX_GROWTH, &market.growth);
	double gov = 0, infra = 0;
	bool ok = ts_cfg_float(c, m, "government", 0, 0, 1, &gov) != TS_CFG_BAD;
	ok = ts_cfg_float(c, m, "infrastructure", 0, 0, 1, &infra) != TS_CFG_BAD && ok;
	if (ok && gov + infra > 1 + 1e-12)
		ts_cfg_error(c, m, "government + infrastructure = %g, must not exceed 1", gov + infra);
	check_growth(L, m, &market);
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
	country->line = ts_loader_line(L, g);
	if (config_setting_is_group(g)) {
		ts_cfg_check_keys(c, g, ts_loader_entry_keys(L->countries, country_keys));
		ts_cfg_string(c, g, "name", 0, &name);
		ts_cfg_string(c, g, "bloc", 0, &bloc);
		ts_cfg_float(c, g, "alignment", 0, 0, 1, &country->alignment);
		ts_cfg_float(c, g, "home_bias", 0, 0, 10, &country->home_bias);
		ts_cfg_float(c, g, "rd_budget", 0, 0, TS_MAX_MONEY, &country->rd_budget);
		ts_cfg_float(c, g, "rd_support_on_denial", 0, 0, TS_MAX_MONEY, &country->rd_support_on_denial);
		ts_loader_sector_list(L, g, "rd_support_sectors", "the denied firms", &country->support_sector_first,
				      &country->n_support_sectors);
		ts_cfg_float(c, g, "derisk_suppliers", 0, 0, 1, &country->derisk_suppliers);
		ts_cfg_float(c, g, "derisk_buyers", 0, 0, 1, &country->derisk_buyers);
		config_setting_t *markets;
		if (ts_cfg_group(c, g, "markets", 0, &markets) == TS_CFG_SET)
			for (int k = 0; k < config_setting_length(markets); k++)
				parse_market(L, i, config_setting_get_elem(markets, (unsigned)k));
	}
	country->name = ts_loader_strdup(L, name);
	country->bloc = ts_loader_strdup(L, bloc);
}

/* ---- sectors ---- */

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
	ts_cfg_float(c, node, "reference_tech", 0, -TS_MAX_ABS_TECH, TS_MAX_ABS_TECH, &sector->node_reference_tech);
	ts_cfg_float(c, node, "reference_nm", TS_CFG_LO_OPEN, 0, 1000000, &sector->node_reference_nm);
	ts_cfg_float(c, node, "tech_per_node", 0, TS_MIN_TECH_PER_NODE, TS_MAX_TECH_PER_NODE, &sector->node_tech_per_node);
}

/* sectors.ID.inputs = { SECTOR = cost_share; ... }: shares in (0, 1)
 * summing below 1, no sector its own input. */
static void parse_inputs(struct loader *L, int i, config_setting_t *inputs)
{
	ts_cfg *c = &L->cfg;
	ts_scenario *s = L->s;
	double sum = 0;
	bool all_ok = true;
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

static void parse_sector(struct loader *L, int i)
{
	ts_cfg *c = &L->cfg;
	ts_scenario *s = L->s;
	config_setting_t *g = config_setting_get_elem(L->sectors, (unsigned)i);
	ts_sector_spec *sector = &s->sectors[i];
	const char *name = sector->id;
	sector->line = ts_loader_line(L, g);
	sector->elasticity = 4.0;
	sector->ceiling_margin = 0.5;
	sector->input_first = s->n_inputs;
	if (config_setting_is_group(g)) {
		ts_cfg_check_keys(c, g, ts_loader_entry_keys(L->sectors, sector_keys));
		ts_cfg_string(c, g, "name", 0, &name);
		ts_cfg_float(c, g, "elasticity", 0, TS_MIN_ELASTICITY, TS_MAX_ELASTICITY, &sector->elasticity);
		ts_cfg_float(c, g, "ceiling_margin", 0, 0, INFINITY, &sector->ceiling_margin);
		ts_cfg_float(c, g, "base_tech", 0, -TS_MAX_ABS_TECH, TS_MAX_ABS_TECH, &sector->base_tech);
		parse_node(L, g, sector);
		config_setting_t *inputs;
		if (ts_cfg_group(c, g, "inputs", 0, &inputs) == TS_CFG_SET)
			parse_inputs(L, i, inputs);
	}
	sector->n_inputs = s->n_inputs - sector->input_first;
	sector->name = ts_loader_strdup(L, name);
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
	ts_error e = TS_ERROR_INIT;
	int rc = ts_sector_order(order, &n_ordered, s, &e);
	if (rc == TS_EINPUT)
		ts_cfg_error(&L->cfg, L->sectors, "%s", e.message);
	else if (rc == TS_ENOMEM)
		L->cfg.nomem = true;
	free(order);
}

/* ---- firms ---- */

/* The firm's home and sector, needed before any firm's suppliers are read. */
static void parse_firm_refs(struct loader *L, int i)
{
	config_setting_t *g = config_setting_get_elem(L->firms, (unsigned)i);
	ts_firm_spec *firm = &L->s->firms[i];
	firm->country = firm->sector = -1;
	firm->line = ts_loader_line(L, g);
	if (!config_setting_is_group(g))
		return;
	firm->country = ts_loader_ref(L, g, "country", TS_CFG_REQUIRED, KIND_COUNTRY);
	firm->sector = ts_loader_ref(L, g, "sector", TS_CFG_REQUIRED, KIND_SECTOR);
}

/* Whether id names an input of `sector`: a sector whose place among the
 * sector's inputs L->input_place holds (see parse_supply). */
static bool is_input(const struct loader *L, const char *id)
{
	const struct id_entry *e = ts_loader_table_find(&L->ids, id);
	return e && e->kind == KIND_SECTOR && L->input_place[e->index] >= 0;
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
		if (is_input(L, config_setting_name(m)))
			continue;
		if (inputs[0])
			ts_cfg_error(&L->cfg, m, "'%s' is not an input of sector '%s' (its inputs: %s)",
				     config_setting_name(m), L->s->sectors[sector].id, inputs);
		else
			ts_cfg_error(&L->cfg, m, "'%s' is not an input of sector '%s', which has none",
				     config_setting_name(m), L->s->sectors[sector].id);
	}
}

/* The supplier named by a member of a slot's supplier group: a firm of the
 * input sector (*firm, *country its home) or a country's generic producers
 * (*country); -1 in both when it is neither (reported). */
static void resolve_supplier(struct loader *L, config_setting_t *m, int input_sector, int *firm, int *country)
{
	ts_cfg *c = &L->cfg;
	const ts_scenario *s = L->s;
	const char *id = config_setting_name(m);
	const struct id_entry *e = ts_loader_table_find(&L->ids, id);
	*firm = *country = -1;
	if (e && e->kind == KIND_FIRM && s->firms[e->index].sector == input_sector) {
		*firm = e->index;
		*country = s->firms[*firm].country;
	} else if (e && e->kind == KIND_COUNTRY) {
		*country = e->index;
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
		ts_loader_report_unknown(L, m, what, id, KIND_FIRM | KIND_COUNTRY, input_sector);
	}
}

/* Whether one more supplier link (or technology dependence) fits within
 * TS_MAX_LINKS; reported once, at the group that would pass it. */
static bool room_for_link(struct loader *L, const config_setting_t *at)
{
	const ts_scenario *s = L->s;
	if ((size_t)s->n_links + (size_t)s->n_tech_dependence < TS_MAX_LINKS)
		return true;
	if (!L->links_full)
		ts_cfg_error(&L->cfg, at, "more than %d supplier links and technology dependences together, "
			     "at most %d (docs/scenario.md, \"Limits\")", TS_MAX_LINKS, TS_MAX_LINKS);
	L->links_full = true;
	return false;
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
		int firm, country;
		resolve_supplier(L, m, input_sector, &firm, &country);
		double share = 0;
		if (ts_cfg_float_value(c, m, TS_CFG_LO_OPEN, 0, 1, &share) != TS_CFG_SET)
			all_ok = false;
		sum += share;  /* an unknown supplier still says what the shares add up to */
		if (country < 0 || !room_for_link(L, g) ||
		    !ts_loader_reserve(L, &s->links, &L->cap_links, (size_t)s->n_links + 1, sizeof *s->links))
			continue;
		s->links[s->n_links++] = (ts_link_spec){
			.slot = slot, .supplier_firm = firm, .supplier_country = country, .share = share,
		};
		s->slots[slot].n_links++;
	}
	if (!all_ok)
		return;
	if (fabs(sum - 1) > s->model.share_tolerance) {
		ts_cfg_error(c, g, "supplier shares sum to %.10g, expected 1 (within %g)",
			     sum, s->model.share_tolerance);
		return;
	}
	/* Within the tolerance is not 1: the model takes the shares as the split
	 * of the whole input (docs/model.md §4), and a sum above 1 made its
	 * supply factor negative. Shares that sum to 1 but for the rounding of
	 * the sum (n links: at most n ulp of 1, e.g. 0.55 + 0.15 + 0.1 + 0.2)
	 * are kept as written. */
	const ts_slot_spec *q = &s->slots[slot];
	if (fabs(sum - 1) <= q->n_links * DBL_EPSILON)
		return;
	for (int l = q->link_first; l < q->link_first + q->n_links; l++)
		s->links[l].share /= sum;
}

/* One slot per input of the firm's sector, in the sector's input order, with
 * its stockpile and supplier links. */
static void parse_slots(struct loader *L, int i, config_setting_t *suppliers, config_setting_t *stockpile)
{
	ts_cfg *c = &L->cfg;
	ts_scenario *s = L->s;
	const ts_sector_spec *sector = &s->sectors[s->firms[i].sector];
	TS_ASSERT(s->n_slots == s->firms[i].slot_first);  /* a firm's slots are contiguous */
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
		if (stockpile && ts_cfg_float(c, stockpile, input_id, 0, 0, TS_MAX_PERIODS,
					      &s->slots[slot].stockpile) == TS_CFG_SET)
			s->slots[slot].stockpile = steps_of_months(L, s->slots[slot].stockpile);
		if (!suppliers)
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

static void parse_supply(struct loader *L, int i, config_setting_t *g)
{
	ts_cfg *c = &L->cfg;
	ts_scenario *s = L->s;
	ts_firm_spec *firm = &s->firms[i];
	const ts_sector_spec *sector = &s->sectors[firm->sector];
	config_setting_t *suppliers = NULL, *stockpile = NULL;
	int has_suppliers = ts_cfg_group(c, g, "suppliers", 0, &suppliers);
	int has_stockpile = ts_cfg_group(c, g, "stockpile_months", 0, &stockpile);
	/* Each input's place in the sector's list, for O(1) checks of the
	 * firm's keys (a sector may have a thousand inputs); undone below. */
	for (int k = 0; k < sector->n_inputs; k++)
		L->input_place[s->inputs[sector->input_first + k].sector] = k;
	if (has_suppliers == TS_CFG_SET)
		check_input_keys(L, suppliers, firm->sector);
	if (has_stockpile == TS_CFG_SET)
		check_input_keys(L, stockpile, firm->sector);
	for (int k = 0; k < sector->n_inputs; k++)
		L->input_place[s->inputs[sector->input_first + k].sector] = -1;
	if (has_suppliers == TS_CFG_ABSENT && sector->n_inputs > 0) {
		char inputs[512];
		list_inputs(s, firm->sector, inputs, sizeof inputs);
		ts_cfg_error_in(c, g, "suppliers", "required setting missing: sector '%s' has inputs %s",
				sector->id, inputs);
	}
	parse_slots(L, i, has_suppliers == TS_CFG_SET ? suppliers : NULL,
		    has_stockpile == TS_CFG_SET ? stockpile : NULL);
}

/* refuses = ["source_code", ...]: the compliance requirements the firm
 * will not meet (it leaves the segments that demand them instead). */
static void parse_refusals(struct loader *L, config_setting_t *g, ts_firm_spec *firm)
{
	ts_cfg *c = &L->cfg;
	config_setting_t *list = ts_cfg_member(g, "refuses");
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
		int r = ts_loader_name(L, e, text, ts_requirement_names, TS_REQ_COUNT, NULL);
		if (r >= 0 && (firm->refuses & (1u << r)))
			ts_cfg_error(c, e, "requirement '%s' is listed twice", text);
		else if (r >= 0)
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
		if (ts_cfg_float_value(c, e, 0, 0, 1, &share) != TS_CFG_SET || country < 0 || !room_for_link(L, group))
			continue;
		if (!ts_loader_reserve(L, &s->tech_dependence, &L->cap_tech_dependence,
				       (size_t)s->n_tech_dependence + 1, sizeof *s->tech_dependence))
			return;
		s->tech_dependence[s->n_tech_dependence++] = (ts_tech_dependence){ .country = country, .share = share };
	}
	firm->n_tech_dependence = s->n_tech_dependence - firm->tech_dependence_first;
}

/* A firm buys its sector's inputs per unit of output, their cost shares of
 * revenue / mu (docs/model.md §6, §7): its cost of goods, revenue (1 -
 * gross_margin), must cover them. */
static void check_margin_covers_inputs(struct loader *L, config_setting_t *g, const ts_firm_spec *firm)
{
	const ts_sector_spec *sector = &L->s->sectors[firm->sector];
	double shares = 0.0;
	for (int k = 0; k < sector->n_inputs; k++)
		shares += L->s->inputs[sector->input_first + k].cost_share;
	double inputs = shares * (sector->elasticity - 1.0) / sector->elasticity;  /* share of revenue */
	if (1.0 - firm->gross_margin < inputs)
		ts_cfg_error(&L->cfg, ts_cfg_member(g, "gross_margin"),
			     "gross margin %g leaves cost of goods below the cost of the inputs of sector '%s' "
			     "(%g of revenue); at most %g", firm->gross_margin, sector->id, inputs, 1.0 - inputs);
}

/* gross_margin (default 1/sigma of its sector: CES markup pricing's margin,
 * docs/model.md §7) and the firm's own dynamics (default the model's). */
static void parse_firm_accounts(struct loader *L, config_setting_t *g, ts_firm_spec *firm)
{
	ts_cfg *c = &L->cfg;
	firm->dynamics = L->s->model.firm;
	if (firm->sector >= 0)
		firm->gross_margin = 1.0 / L->s->sectors[firm->sector].elasticity;
	if (ts_cfg_float(c, g, "gross_margin", 0, 0, TS_MAX_GROSS_MARGIN, &firm->gross_margin) == TS_CFG_SET &&
	    firm->sector >= 0)
		check_margin_covers_inputs(L, g, firm);
	parse_dynamics(c, g, &firm->dynamics);
}

static void parse_firm(struct loader *L, int i)
{
	TS_ASSERT(i >= 0 && i < L->s->n_firms);
	ts_cfg *c = &L->cfg;
	config_setting_t *g = config_setting_get_elem(L->firms, (unsigned)i);
	ts_firm_spec *firm = &L->s->firms[i];
	const char *name = firm->id;
	firm->unit_cost = 1.0;
	firm->restock_rate = 0.25;
	firm->substitution_half_life = INFINITY;
	firm->slot_first = L->s->n_slots;
	if (firm->country >= 0) {  /* de-risking (§17): its country's unless it sets its own */
		firm->derisk_suppliers = L->s->countries[firm->country].derisk_suppliers;
		firm->derisk_buyers = L->s->countries[firm->country].derisk_buyers;
	}
	if (config_setting_is_group(g)) {
		ts_cfg_check_keys(c, g, ts_loader_entry_keys(L->firms, firm_keys));
		ts_cfg_string(c, g, "name", 0, &name);
		ts_cfg_float(c, g, "capacity", TS_CFG_REQUIRED | TS_CFG_LO_OPEN, 0, TS_MAX_MONEY, &firm->capacity);
		ts_cfg_float(c, g, "unit_cost", 0, TS_MIN_UNIT_COST, TS_MAX_UNIT_COST, &firm->unit_cost);
		ts_cfg_float(c, g, "tech", 0, -TS_MAX_ABS_TECH, TS_MAX_ABS_TECH, &firm->tech);
		ts_cfg_float(c, g, "rd_intensity", 0, 0, 0.99, &firm->rd_intensity);
		ts_cfg_float(c, g, "jobs_per_bn", 0, 0, TS_MAX_MONEY, &firm->jobs_per_bn);
		ts_cfg_float(c, g, "fixed_cost", 0, 0, TS_MAX_MONEY, &firm->fixed_cost);
		ts_cfg_float(c, g, "substitution_half_life", 0, 0, TS_MAX_YEARS, &firm->substitution_half_life);
		ts_cfg_float(c, g, "restock_rate", 0, 0, TS_MAX_PERIODS, &firm->restock_rate);
		ts_cfg_bool(c, g, "state_owned", 0, &firm->state_owned);
		ts_cfg_float(c, g, "derisk_suppliers", 0, 0, 1, &firm->derisk_suppliers);
		ts_cfg_float(c, g, "derisk_buyers", 0, 0, 1, &firm->derisk_buyers);
		if (ts_cfg_float(c, g, "anticipation_months", 0, 0, TS_MAX_PERIODS, &firm->anticipation) == TS_CFG_SET)
			firm->anticipation = steps_of_months(L, firm->anticipation);
		renamed_firm_settings(L, g);
		parse_firm_accounts(L, g, firm);
		parse_refusals(L, g, firm);
		parse_tech_dependence(L, g, firm);
		if (firm->sector >= 0)
			parse_supply(L, i, g);
	}
	firm->name = ts_loader_strdup(L, name);
}

bool ts_loader_parse_world(struct loader *L)
{
	ts_scenario *s = L->s;
	parse_run(L);
	parse_model(L);
	if (!collect_entities(L))
		return false;
	for (int i = 0; i < s->n_countries; i++)
		parse_country(L, i);
	for (int i = 0; i < s->n_sectors; i++)
		parse_sector(L, i);
	check_input_cycles(L);
	for (int i = 0; i < s->n_firms; i++)
		parse_firm_refs(L, i);
	L->input_place = ts_loader_calloc(L, (size_t)s->n_sectors, sizeof *L->input_place);
	for (int k = 0; L->input_place && k < s->n_sectors; k++)
		L->input_place[k] = -1;
	for (int i = 0; i < s->n_firms && !L->cfg.nomem; i++)
		parse_firm(L, i);
	free(L->input_place);
	L->input_place = NULL;
	return !L->cfg.nomem;
}
