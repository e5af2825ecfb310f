/* What must hold after every step (docs/model.md §15): supply factors in
 * [0, 1], sales within capacity, stockpiles >= 0, each segment's sales
 * going only to firms allowed in it and adding up to what was served, world
 * exports equal to world imports, and finite values throughout the state
 * (the undefined values the docs name, NaN, aside). A broken invariant is a bug or a degenerate
 * scenario: the run stops with TS_ERUN and a message naming the entity, the
 * step and the value, rather than write garbage. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "util/fminmax.h"
#include "model/sums.h"
#include "model/world.h"

/* Relative tolerance of the sums checked: a sum of n terms carries about
 * n x 1e-16 of rounding; 1e-9 leaves room for millions of terms. */
#define TS_SUM_TOLERANCE 1e-9

typedef struct ts_field {
	const char *name;
	const double *value;
} ts_field;

/* The value with the fewest digits that read back to it (at most 17). */
static void format_value(char *buf, size_t size, double value)
{
	/* From as many digits as the integer part has: 10, not 1e+01. */
	double magnitude = fabs(value);
	int first = magnitude >= 10.0 && magnitude < 1e17 ? (int)floor(log10(magnitude)) + 1 : 1;
	for (int digits = first; digits <= 17; digits++) {
		snprintf(buf, size, "%.*g", digits, value);
		if (!isfinite(value) || strtod(buf, NULL) == value)
			return;
	}
}

static int broken(ts_error *err, const struct ts_sim *w, const char *entity, const char *name, double value,
                  const char *what)
{
	char text[32];
	format_value(text, sizeof text, value);
	return ts_error_set(err, TS_ERUN, "step %d: %s: %s %s %s", w->step, entity, name, text, what);
}

/* What is wrong with one entity (what it breaks, with the value's name
 * and the value, and the entity's id); NULL if nothing. */
typedef const char *ts_problem_fn(const struct ts_sim *w, int index, const char **id, const char **name,
                                  double *value);

/* The first of `count` entities (firms, countries) with a problem, reported
 * as "<kind> <id>: <name> <value> <what>". */
static int check_each(const struct ts_sim *w, int count, const char *kind, ts_problem_fn *problem, ts_error *err)
{
	for (int x = 0; x < count; x++) {
		const char *id = "", *name = "";
		double value = 0.0;
		const char *what = problem(w, x, &id, &name, &value);
		if (what) {
			char entity[256];
			snprintf(entity, sizeof entity, "%s %s", kind, id);
			return broken(err, w, entity, name, value, what);
		}
	}
	return TS_OK;
}

static const char *firm_problem(const struct ts_sim *w, int i, const char **id, const char **name, double *value)
{
	*id = w->scn->firms[i].id;
	const ts_field finite[] = {
		{"tech_level", w->tech}, {"price", w->price}, {"revenue_bn_usd", w->revenue},
		{"profit_bn_usd", w->profit}, {"rd_spending_bn_usd", w->rd_spending}, {"jobs", w->jobs},
		{"capacity_bn_usd_per_year", w->capacity_eff},
	};
	const ts_field non_negative[] = {
		{"final_sales_bn_usd", w->final_sales}, {"input_sales_bn_usd", w->input_sales},
	};
	for (size_t f = 0; f < sizeof finite / sizeof finite[0]; f++)
		if (!isfinite(*value = finite[f].value[i]))
			return *name = finite[f].name, "is not finite";
	for (size_t f = 0; f < sizeof non_negative / sizeof non_negative[0]; f++)
		if (!((*value = non_negative[f].value[i]) >= 0.0 && isfinite(*value)))
			return *name = non_negative[f].name, "is not a finite value >= 0";
	if (!((*value = w->supply_factor[i]) >= 0.0 && *value <= 1.0))
		return *name = "supply_factor", "is outside [0, 1]";
	/* §5: the price factor is finite and >= 1 (a scarcity premium, never a discount). */
	if (!((*value = w->price_factor[i]) >= 1.0 && isfinite(*value)))
		return *name = "price_factor", "is not a finite value >= 1";
	/* §5, §6, §11: capacity binds on all sales in real terms, final sales
	 * over the price factor, intermediate sales at base price (to rounding). */
	double capacity = w->capacity_eff[i] / w->scn->run.steps_per_year;
	double real = ts_firm_real_sales(w, i);
	*value = ts_firm_capacity_use(w, i);
	if (!(real <= capacity + TS_SUM_TOLERANCE * ts_fmax(1.0, capacity)))
		return *name = "capacity_use", "is above 1";
	return NULL;
}

static int check_stockpiles(const struct ts_sim *w, ts_error *err)
{
	const ts_scenario *s = w->scn;
	char entity[256];
	for (int q = 0; q < w->nslots; q++) {
		if (w->stock[q] >= 0.0 && isfinite(w->stock[q]) && isfinite(w->stock_target[q]))
			continue;
		snprintf(entity, sizeof entity, "firm %s, input %s", s->firms[s->slots[q].firm].id,
		         s->sectors[s->slots[q].input_sector].id);
		if (!isfinite(w->stock_target[q]))
			return broken(err, w, entity, "stockpile target", w->stock_target[q], "is not finite");
		return broken(err, w, entity, "stockpile (steps of use)", w->stock[q], "is not a finite value >= 0");
	}
	return TS_OK;
}

/* "market US/phones/government", with ", firm ZTE" when firm >= 0. */
static void name_segment(const struct ts_sim *w, int m, int firm, char *entity, size_t size)
{
	const ts_scenario *s = w->scn;
	const ts_mseg *ms = &w->msegs[m];
	int n = snprintf(entity, size, "market %s/%s/%s", s->countries[ms->country].id, s->sectors[ms->sector].id,
	                 ts_segment_names[ms->segment]);
	if (firm >= 0 && n >= 0 && (size_t)n < size)
		snprintf(entity + n, size - (size_t)n, ", firm %s", s->firms[firm].id);
}

/* Whether firm i is barred from segment ms (bit g of its ban mask there). */
static unsigned barred(const struct ts_sim *w, const ts_mseg *ms, int i)
{
	return (w->ban[ms->country * w->nf + i] >> ms->segment) & 1u;
}

/* Reports the first sale of segment m that is negative, not finite, or to
 * a firm barred from the segment. */
static int bad_sale(const struct ts_sim *w, int m, const double *row, ts_error *err)
{
	const ts_mseg *ms = &w->msegs[m];
	const int *firms = w->sector_firms + w->sector_firm_first[ms->sector];
	char entity[512];
	for (int a = 0; a < w->sector_firm_count[ms->sector]; a++) {
		int bar = (int)barred(w, ms, firms[a]);
		if (row[a] >= 0.0 && isfinite(row[a]) && !(bar && row[a] != 0.0))
			continue;
		name_segment(w, m, firms[a], entity, sizeof entity);
		return broken(err, w, entity, "sales_bn_usd", row[a],
		              bar ? "to a firm barred from the segment" : "is not a finite value >= 0");
	}
	return TS_OK;
}

/* A sector's unit weights of the factored split (market.c): their sum
 * and the or of their bits. */
typedef struct sector_units {
	double sum;
	unsigned long long bits;
} sector_units;

/* The sign bit set if a weight of segment m's exceptions, as the sums
 * read them (exc_weight = cell_weight - 1, market.c), is negative. */
static unsigned long long exception_bits(const struct ts_sim *w, int m)
{
	ts_exceptions x = ts_market_exceptions(w, m);
	int negative = 0;
	for (int e = 0; e < x.n; e++)
		negative |= x.weight[e] < -1.0;
	return (unsigned long long)negative << 63;
}

/* Segment m's sales: none to a firm barred from it, none negative, and
 * their sum is what was served, at most the demand. Passes without
 * branches over the row (this runs on every cell of every step); a
 * segment the split left factored (sales = pw x cell_weight x u) is
 * checked through its factors: pw, the sector's u (su) and its
 * exceptions' weights (the others are 1) none negative, and its sum pw
 * times its sum of weights, as the market takes it. The culprit is looked
 * for only once something is wrong. */
static int check_segment(const struct ts_sim *w, int m, const sector_units *su, ts_error *err)
{
	const ts_mseg *ms = &w->msegs[m];
	int k = ms->sector, nfs = w->sector_firm_count[k];
	const int *firms = w->sector_firms + w->sector_firm_first[k];
	size_t at = w->sales_offset[k] + (size_t)(m - w->sector_mseg_first[k]) * (size_t)nfs;
	double demand = w->demand[m], tolerance = TS_SUM_TOLERANCE * ts_fmax(1.0, demand);
	const unsigned char *bans = w->ban + (size_t)ms->country * (size_t)w->nf;
	unsigned segment = (unsigned)ms->segment, to_barred = 0;
	unsigned long long signs;  /* the or of the sales' bits */
	double sum;
	if (ts_sales_kind(w, m) != TS_SALES_WRITTEN && ts_market_row_sparse(w, m, nfs)) {  /* pw x cell_weight x u */
		unsigned long long pw_bits;
		__builtin_memcpy(&pw_bits, &w->sales_pw[m], sizeof pw_bits);
		sum = w->sales_pw[m] * ts_market_row_sum(w, m, w->sales_unit + w->sector_firm_first[k], su->sum);
		signs = pw_bits | su->bits | exception_bits(w, m);
		for (int r = 0; ts_sales_kind(w, m) == TS_SALES_RATIONED && r < w->ration_count[k]; r++) {
			double sale = ts_market_sale(w, m, at, w->ration_pos[w->sector_firm_first[k] + r]);  /* u is 0 */
			unsigned long long bits;
			__builtin_memcpy(&bits, &sale, sizeof bits);
			sum += sale;
			signs |= bits;
		}
	} else {
		ts_row row = ts_market_row_of(w, m, at);
		sum = ts_sum_or_bits(&row, nfs, &signs);
	}
	if ((w->inv_country_bans[ms->country] >> segment) & 1u) {  /* some firm is barred from it */
		/* a factored cell's sales are 0 where its weight is (bad_sale() then looks at the sales) */
		const double *cells = ts_sales_kind(w, m) == TS_SALES_WRITTEN ? w->sales + at : w->cell_weight + at;
		for (int a = 0; a < nfs; a++)
			to_barred |= (unsigned)(bans[firms[a]] >> segment) & (unsigned)(cells[a] != 0.0);
	}
	/* A negative sale has its sign bit set (so has -0, which bad_sale()
	 * then finds fine); NaN and infinity make the sum not finite. */
	if ((signs >> 63) || !isfinite(sum) || to_barred) {
		int rc = bad_sale(w, m, ts_market_row(w, m, at), err);
		if (rc != TS_OK)
			return rc;
	}
	const char *what = NULL, *name = NULL;
	double value = 0.0;
	if (!(demand >= 0.0 && isfinite(demand)))
		what = "is not a finite value >= 0", name = "demand_bn_usd", value = demand;
	else if (!(w->unmet[m] >= 0.0 && w->unmet[m] <= demand + tolerance))
		what = "is outside [0, demand]", name = "unmet demand", value = w->unmet[m];
	else if (!(fabs(sum - w->served[m]) <= tolerance))
		what = "differs from served_bn_usd", name = "sum of firms' sales", value = sum;
	else if (isnan(w->price_ratio[m]) && w->served[m] != 0.0)  /* no price, no sales (§5) */
		what = "yet sales were made", name = "price_index", value = w->price_ratio[m];
	else if (!isnan(w->price_ratio[m]) && !(w->price_ratio[m] > 0.0 && isfinite(w->price_ratio[m])))
		what = "is not a finite value > 0", name = "price_index", value = w->price_ratio[m];
	if (!what)
		return TS_OK;
	char entity[512];
	name_segment(w, m, -1, entity, sizeof entity);
	return broken(err, w, entity, name, value, what);
}

/* Each segment: check_segment(), after inv_country_bans[c] = the union of
 * country c's ban bits over every firm, from the bans themselves (a
 * segment of a country that bars no firm from it has no cell to look up). */
static int check_segments(const struct ts_sim *w, ts_error *err)
{
	for (int c = 0; c < w->nc; c++) {
		const unsigned char *bans = w->ban + (size_t)c * (size_t)w->nf;
		unsigned char any = 0;
		for (int i = 0; i < w->nf; i++)
			any |= bans[i];
		w->inv_country_bans[c] = any;
	}
	for (int k = 0; k < w->ns; k++) {
		sector_units su;
		su.sum = ts_sum_or_bits(&(ts_row){.x = w->sales_unit + w->sector_firm_first[k]}, w->sector_firm_count[k], &su.bits);
		for (int m = w->sector_mseg_first[k]; m < w->sector_mseg_first[k] + w->sector_mseg_count[k]; m++) {
			int rc = check_segment(w, m, &su, err);
			if (rc != TS_OK)
				return rc;
		}
	}
	return TS_OK;
}

static const char *country_problem(const struct ts_sim *w, int c, const char **id, const char **name, double *value)
{
	*id = w->scn->countries[c].id;
	const ts_field finite[] = {
		{"consumer_welfare_bn_usd", w->welfare}, {"producer_profit_bn_usd", w->producer_profit},
		{"exports_bn_usd", w->exports}, {"imports_bn_usd", w->imports},
		{"rd_spending_bn_usd", w->country_rd}, {"jobs", w->country_jobs},
		{"unmet_demand_bn_usd", w->country_unmet}, {"tariff_revenue_bn_usd", w->tariff_revenue},
		{"subsidy_spending_bn_usd", w->subsidy_spending}, {"fines_bn_usd", w->fines},
	};
	for (size_t f = 0; f < sizeof finite / sizeof finite[0]; f++)
		if (!isfinite(*value = finite[f].value[c]))
			return *name = finite[f].name, "is not finite";
	/* NaN: no price, the country can buy nothing (§7). */
	*value = w->price_index[c];
	if (!isnan(*value) && !(*value > 0.0 && isfinite(*value)))
		return *name = "price_index", "is not a finite value > 0";
	return NULL;
}

/* Every country's accounts, then world exports = world imports. */
static int check_countries(const struct ts_sim *w, ts_error *err)
{
	int rc = check_each(w, w->nc, "country", country_problem, err);
	if (rc != TS_OK)
		return rc;
	double exports = 0.0, imports = 0.0;
	for (int c = 0; c < w->nc; c++) {
		exports += w->exports[c];
		imports += w->imports[c];
	}
	if (!(fabs(exports - imports) <= TS_SUM_TOLERANCE * ts_fmax(1.0, exports)))
		return broken(err, w, "world", "exports_bn_usd", exports, "differ from the world's imports");
	return TS_OK;
}

static int check_pairs(const struct ts_sim *w, ts_error *err)
{
	const ts_field non_negative[] = {
		{"tension", w->tension}, {"damage_received_bn_usd", w->damage},
		{"cumulative_damage_bn_usd", w->damage_cum},
	};
	char entity[256];
	for (int a = 0; a < w->nc; a++)
		for (int b = 0; b < w->nc; b++)
			for (size_t f = 0; f < sizeof non_negative / sizeof non_negative[0]; f++) {
				double v = non_negative[f].value[a * w->nc + b];
				if (v >= 0.0 && isfinite(v))
					continue;
				snprintf(entity, sizeof entity, "countries %s and %s", w->scn->countries[a].id,
				         w->scn->countries[b].id);
				return broken(err, w, entity, non_negative[f].name, v, "is not a finite value >= 0");
			}
	return TS_OK;
}

int ts_invariants_check(const struct ts_sim *w, ts_error *err)
{
	int rc = check_each(w, w->nf, "firm", firm_problem, err);
	if (rc == TS_OK)
		rc = check_stockpiles(w, err);
	if (rc == TS_OK)
		rc = check_segments(w, err);
	if (rc == TS_OK)
		rc = check_countries(w, err);
	if (rc == TS_OK)
		rc = check_pairs(w, err);
	return rc;
}
