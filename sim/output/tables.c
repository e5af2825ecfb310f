/* The per-run tables, column by column. A getter reads one row of the step
 * just computed; keys are TEXT columns naming the row's entity. To add a
 * column, add a getter and one entry to the table's column list; to add a
 * table, add its list and an entry in ts_tables[]. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "output/tables.h"
#include "util/assert.h"

#define NUM(name, fn) {name, TS_COL_NUM, fn, NULL, 0}
#define NUM_OR_EMPTY(name, fn) {name, TS_COL_NUM, fn, NULL, 1}   /* may be undefined: empty cell */
#define INT(name, fn) {name, TS_COL_INT, fn, NULL, 0}
#define TEXT(name, fn) {name, TS_COL_TEXT, NULL, fn, 0}
#define COUNT(a) ((int)(sizeof a / sizeof a[0]))

/* countries.csv: one row per country, scenario order. */
static int country_rows(const struct ts_sim *w) { return w->nc; }
static const char *country_id(const struct ts_sim *w, int c) { return w->scn->countries[c].id; }
static double country_price_index(const struct ts_sim *w, int c) { return w->price_index[c]; }
static double country_welfare(const struct ts_sim *w, int c) { return w->welfare[c]; }
static double country_profit(const struct ts_sim *w, int c) { return w->producer_profit[c]; }
static double country_exports(const struct ts_sim *w, int c) { return w->exports[c]; }
static double country_imports(const struct ts_sim *w, int c) { return w->imports[c]; }
static double country_self_sufficiency(const struct ts_sim *w, int c)
{
	return w->inputs_total[c] > 0.0 ? w->inputs_domestic[c] / w->inputs_total[c] : NAN;
}
static double country_tech_gap(const struct ts_sim *w, int c) { return w->tech_gap[c]; }
static double country_rd(const struct ts_sim *w, int c) { return w->country_rd[c]; }
static double country_jobs(const struct ts_sim *w, int c) { return w->country_jobs[c]; }
static double country_unmet(const struct ts_sim *w, int c) { return w->country_unmet[c]; }
static double country_tariffs(const struct ts_sim *w, int c) { return w->tariff_revenue[c]; }
static double country_subsidies(const struct ts_sim *w, int c) { return w->subsidy_spending[c]; }
static double country_fines(const struct ts_sim *w, int c) { return w->fines[c]; }
static double country_national_welfare(const struct ts_sim *w, int c) { return ts_accounts_national_welfare(w, c); }

static const ts_column country_columns[] = {
	TEXT("country", country_id),
	NUM_OR_EMPTY("price_index", country_price_index),            /* can buy nothing (docs/model.md §7) */
	NUM("consumer_welfare_bn_usd", country_welfare),
	NUM("producer_profit_bn_usd", country_profit),
	NUM("exports_bn_usd", country_exports),
	NUM("imports_bn_usd", country_imports),
	NUM_OR_EMPTY("self_sufficiency", country_self_sufficiency),  /* its firms buy no inputs */
	NUM_OR_EMPTY("tech_gap", country_tech_gap),                  /* no firms (docs/model.md §7) */
	NUM("rd_spending_bn_usd", country_rd),
	NUM("jobs", country_jobs),
	NUM("unmet_demand_bn_usd", country_unmet),
	NUM("tariff_revenue_bn_usd", country_tariffs),     /* docs/model.md §3.1 */
	NUM("subsidy_spending_bn_usd", country_subsidies), /* §3.4, §3.5 */
	NUM("fines_bn_usd", country_fines),                /* §11 */
	NUM("national_welfare_bn_usd", country_national_welfare), /* §7: the sum of its parts */
};

/* firms.csv: one row per firm, scenario order. */
static int firm_rows(const struct ts_sim *w) { return w->nf; }
static const char *firm_id(const struct ts_sim *w, int i) { return w->scn->firms[i].id; }
static const char *firm_country(const struct ts_sim *w, int i)
{
	return w->scn->countries[w->scn->firms[i].country].id;
}
static const char *firm_sector(const struct ts_sim *w, int i)
{
	return w->scn->sectors[w->scn->firms[i].sector].id;
}
static double firm_revenue(const struct ts_sim *w, int i) { return w->revenue[i]; }
static double firm_final_sales(const struct ts_sim *w, int i) { return w->final_sales[i]; }
static double firm_input_sales(const struct ts_sim *w, int i) { return w->input_sales[i]; }
static double firm_profit(const struct ts_sim *w, int i) { return w->profit[i]; }
static double firm_capacity_use(const struct ts_sim *w, int i)
{
	return ts_firm_capacity_use(w, i);  /* real: revenue / (phi capacity), docs/model.md §5 */
}
static double firm_capacity(const struct ts_sim *w, int i) { return w->capacity_eff[i]; }
static double firm_supply_factor(const struct ts_sim *w, int i) { return w->supply_factor[i]; }
/* The scarcest input's stockpile in months of use (the state counts
 * steps of use, docs/model.md §4). */
static double firm_stockpile(const struct ts_sim *w, int i)
{
	const ts_scenario *s = w->scn;
	const ts_firm_spec *f = &s->firms[i];
	double stock = NAN;
	for (int q = f->slot_first; q < f->slot_first + s->sectors[f->sector].n_inputs; q++)
		stock = isnan(stock) ? w->stock[q] : fmin(stock, w->stock[q]);
	return stock * 12.0 / s->run.steps_per_year;
}
static double firm_tech(const struct ts_sim *w, int i) { return w->tech[i]; }
static double firm_rd(const struct ts_sim *w, int i) { return w->rd_spending[i]; }
static double firm_rd_intensity(const struct ts_sim *w, int i) { return w->rd_applied[i]; }
static double firm_tech_denial(const struct ts_sim *w, int i) { return w->rd_denial[i]; }
static double firm_jobs(const struct ts_sim *w, int i) { return w->jobs[i]; }
static double firm_capacity_orders(const struct ts_sim *w, int i) { return w->capacity_investment[i]; }
static double firm_derisk_withheld(const struct ts_sim *w, int i) { return w->derisk_lost[i]; }
static double firm_derisk_shift(const struct ts_sim *w, int i) { return w->input_shift[i]; }
static double firm_price(const struct ts_sim *w, int i) { return w->price[i] * w->price_factor[i]; }
static const char *firm_node(const struct ts_sim *w, int i)
{
	return ts_node_label(&w->scn->sectors[w->scn->firms[i].sector], w->tech[i]);
}

static const ts_column firm_columns[] = {
	TEXT("firm", firm_id),
	TEXT("country", firm_country),
	TEXT("sector", firm_sector),
	NUM("revenue_bn_usd", firm_revenue),
	NUM("final_sales_bn_usd", firm_final_sales),
	NUM("input_sales_bn_usd", firm_input_sales),
	NUM("profit_bn_usd", firm_profit),
	NUM("capacity_use", firm_capacity_use),
	NUM("supply_factor", firm_supply_factor),
	NUM_OR_EMPTY("stockpile_months", firm_stockpile),  /* a sector without critical inputs */
	NUM("tech_level", firm_tech),
	NUM("rd_spending_bn_usd", firm_rd),
	NUM("rd_intensity", firm_rd_intensity),           /* §8.1 */
	NUM("tech_denial", firm_tech_denial),             /* §8.1 */
	NUM("jobs", firm_jobs),
	NUM("price", firm_price),
	NUM("capacity_bn_usd_per_year", firm_capacity),   /* §3.5 */
	NUM("capacity_orders_bn_usd", firm_capacity_orders),  /* §16 */
	NUM("derisk_withheld_bn_usd", firm_derisk_withheld),  /* §17 */
	NUM("derisk_shifted_share", firm_derisk_shift),       /* §17 */
	TEXT("node", firm_node),                          /* §14 */
};

/* markets.csv: one row per market segment with demand, grouped by sector. */
static int market_rows(const struct ts_sim *w) { return w->nmseg; }
static const char *market_country(const struct ts_sim *w, int m)
{
	return w->scn->countries[w->msegs[m].country].id;
}
static const char *market_sector(const struct ts_sim *w, int m)
{
	return w->scn->sectors[w->msegs[m].sector].id;
}
static const char *market_segment(const struct ts_sim *w, int m)
{
	return ts_segment_names[w->msegs[m].segment];
}
static double market_demand(const struct ts_sim *w, int m) { return w->demand[m]; }
static double market_served(const struct ts_sim *w, int m) { return w->served[m]; }
static double market_price_index(const struct ts_sim *w, int m) { return w->price_ratio[m]; }

/* Market structure, computed with the step's accounts (accounts.c). */
static double market_domestic_share(const struct ts_sim *w, int m) { return w->mseg_domestic_share[m]; }
static double market_hhi(const struct ts_sim *w, int m) { return w->mseg_hhi[m]; }
static double market_firms_allowed(const struct ts_sim *w, int m) { return w->mseg_firms_allowed[m]; }

static const ts_column market_columns[] = {
	TEXT("country", market_country),
	TEXT("sector", market_sector),
	TEXT("segment", market_segment),
	NUM("demand_bn_usd", market_demand),
	NUM("served_bn_usd", market_served),
	NUM_OR_EMPTY("price_index", market_price_index),        /* no variety allowed: no CES index (§5) */
	NUM_OR_EMPTY("domestic_share", market_domestic_share),  /* nothing served */
	NUM_OR_EMPTY("hhi", market_hhi),                        /* nothing served */
	INT("firms_allowed", market_firms_allowed),
};

/* events.csv: the measures that started or ended this step. */
static int event_rows(const struct ts_sim *w) { return w->n_events; }
static const ts_minst *event_instance(const struct ts_sim *w, int e) { return &w->minst[w->events[e].inst]; }
static const char *event_id(const struct ts_sim *w, int e) { return event_instance(w, e)->id; }
static const char *event_actor(const struct ts_sim *w, int e)
{
	return w->scn->countries[event_instance(w, e)->actor].id;
}
static const char *event_target(const struct ts_sim *w, int e)
{
	const ts_scenario *s = w->scn;
	const ts_measure_spec *m = &s->measures[event_instance(w, e)->spec];
	return m->target_firm >= 0 ? s->firms[m->target_firm].id
	       : m->target_country >= 0 ? s->countries[m->target_country].id : "";
}
static const char *event_measure(const struct ts_sim *w, int e)
{
	return ts_measure_kind_names[w->scn->measures[event_instance(w, e)->spec].kind];
}
static const char *event_action(const struct ts_sim *w, int e)
{
	return w->events[e].action == TS_EVENT_START ? "start" : "end";
}
static const char *event_cause(const struct ts_sim *w, int e) { return w->events[e].cause; }

static const ts_column event_columns[] = {
	TEXT("id", event_id),
	TEXT("actor", event_actor),
	TEXT("target", event_target),
	TEXT("measure", event_measure),
	TEXT("action", event_action),
	TEXT("cause", event_cause),
};

/* relations.csv: one row per ordered pair of countries (a, b), a != b, in
 * country order (docs/model.md §10-§13). */
static int relation_rows(const struct ts_sim *w) { return w->nc * (w->nc - 1); }
static int relation_pair(const struct ts_sim *w, int r)
{
	int a = r / (w->nc - 1), b = r % (w->nc - 1);
	return a * w->nc + (b >= a ? b + 1 : b);
}
static const char *relation_country(const struct ts_sim *w, int r)
{
	return w->scn->countries[relation_pair(w, r) / w->nc].id;
}
static const char *relation_rival(const struct ts_sim *w, int r)
{
	return w->scn->countries[relation_pair(w, r) % w->nc].id;
}
static double relation_tension(const struct ts_sim *w, int r) { return w->tension[relation_pair(w, r)]; }
static double relation_damage(const struct ts_sim *w, int r) { return w->damage[relation_pair(w, r)]; }
static double relation_damage_cum(const struct ts_sim *w, int r) { return w->damage_cum[relation_pair(w, r)]; }
static const char *relation_stance(const struct ts_sim *w, int r)
{
	return ts_stance_names[w->stance[relation_pair(w, r)]];
}
static double relation_in_force(const struct ts_sim *w, int r) { return w->hostile_count[relation_pair(w, r)]; }

static double relation_withheld(const struct ts_sim *w, int r) { return w->pair_withheld[relation_pair(w, r)]; }
static double relation_shifted(const struct ts_sim *w, int r) { return w->pair_shifted[relation_pair(w, r)]; }

static const ts_column relation_columns[] = {
	TEXT("country", relation_country),
	TEXT("rival", relation_rival),
	NUM("tension", relation_tension),                          /* §13 */
	NUM("damage_received_bn_usd", relation_damage),            /* §10: from the rival this step */
	NUM("cumulative_damage_bn_usd", relation_damage_cum),
	TEXT("stance", relation_stance),                           /* of country's rule toward rival */
	INT("measures_in_force", relation_in_force),               /* country's hostile measures on rival */
	NUM("derisk_withheld_bn_usd", relation_withheld),          /* §17: country's suppliers from rival's firms */
	NUM("derisk_shifted_bn_usd", relation_shifted),            /* §17: country's buyers from rival's suppliers */
};

const ts_table ts_tables[] = {
	{"countries", "countries.csv", 1, COUNT(country_columns), country_columns, country_rows, 1},
	{"firms", "firms.csv", 1, COUNT(firm_columns), firm_columns, firm_rows, 1},
	{"markets", "markets.csv", 3, COUNT(market_columns), market_columns, market_rows, 1},
	{"relations", "relations.csv", 2, COUNT(relation_columns), relation_columns, relation_rows, 1},
	{"events", "events.csv", 0, COUNT(event_columns), event_columns, event_rows, 0},
};
const int ts_n_tables = COUNT(ts_tables);

const ts_table *ts_table_find(const char *name)
{
	for (int t = 0; t < ts_n_tables; t++)
		if (strcmp(ts_tables[t].name, name) == 0)
			return &ts_tables[t];
	return NULL;
}

char *ts_table_header(const ts_table *t, int with_rep)
{
	size_t n = 16;
	for (int c = 0; c < t->n_columns; c++)
		n += strlen(t->columns[c].name) + 1;
	char *h = malloc(n);
	if (!h)
		return NULL;
	strcpy(h, with_rep ? "rep,step,date" : "step,date");
	for (int c = 0; c < t->n_columns; c++) {
		strcat(h, ",");
		strcat(h, t->columns[c].name);
	}
	return h;
}

/* TS_ERUN for a non-finite value in a column that must be defined: the
 * model broke, and an empty cell would pass for "not defined". */
static int check_value(const ts_table *t, const struct ts_sim *w, int row, int col, double value,
                       const char *date, ts_error *err)
{
	const ts_column *c = &t->columns[col];
	if (c->may_be_empty || isfinite(value))
		return TS_OK;
	char key[256];
	ts_table_row_key(t, w, row, key, sizeof key);
	return ts_error_set(err, TS_ERUN, "step %d (%s): %s: %s: %s is %g, not a finite number "
	                    "(a broken model invariant)", w->step, date, t->file, key, c->name, value);
}

/* The numeric values of a row into values[col] (text columns left alone),
 * each read once and checked. */
static int row_values(const ts_table *t, const struct ts_sim *w, int row, const char *date, double *values,
                      ts_error *err)
{
	TS_ASSERT(t->n_columns <= TS_TABLE_MAX_COLUMNS);
	for (int c = 0; c < t->n_columns; c++) {
		if (t->columns[c].type == TS_COL_TEXT)
			continue;
		values[c] = t->columns[c].num(w, row);
		int rc = check_value(t, w, row, c, values[c], date, err);
		if (rc != TS_OK)
			return rc;
	}
	return TS_OK;
}

int ts_table_write(const ts_table *t, ts_csv *csv, const struct ts_sim *w, const char *date, long rep,
                   ts_error *err)
{
	double values[TS_TABLE_MAX_COLUMNS];
	int n = t->rows(w);
	for (int r = 0; r < n; r++) {
		int rc = row_values(t, w, r, date, values, err);
		if (rc != TS_OK)
			return rc;
		if (!csv)
			continue;  /* ts_table_check */
		if (rep >= 0)
			ts_csv_int(csv, rep);
		ts_csv_int(csv, w->step);
		ts_csv_text(csv, date);
		for (int c = 0; c < t->n_columns; c++) {
			const ts_column *col = &t->columns[c];
			if (col->type == TS_COL_TEXT)
				ts_csv_text(csv, col->text(w, r));
			else if (col->type == TS_COL_INT)
				ts_csv_int(csv, (long)values[c]);  /* finite: checked */
			else
				ts_csv_num(csv, values[c]);
		}
		ts_csv_end_row(csv);
	}
	return TS_OK;
}

int ts_table_check(const ts_table *t, const struct ts_sim *w, const char *date, ts_error *err)
{
	return ts_table_write(t, NULL, w, date, -1, err);
}

void ts_table_row_key(const ts_table *t, const struct ts_sim *w, int row, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int k = 0; k < t->n_keys && len < size; k++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", k ? "." : "", t->columns[k].text(w, row));
}
