#ifndef TS_LIMITS_H
#define TS_LIMITS_H
/* What one scenario may hold (docs/scenario.md, "Limits"): sized so that the
 * shipped scenarios and a world of 25,000 firms load and run, and so that
 * nothing a file can say makes loading take minutes or a run gigabytes. */

enum {
	TS_MAX_COUNTRIES = 1000,
	TS_MAX_SECTORS = 1000,
	TS_MAX_FIRMS = 25000,
	TS_MAX_MEASURES = 10000,
	TS_MAX_DEALS = 1000,
	TS_MAX_ID_LENGTH = 64,           /* characters of an entity, measure or deal id */
	TS_MAX_LINKS = 1000000,          /* supplier links of all firms together */
	TS_MAX_COUNTRY_FIRMS = 2000000,  /* countries x firms: the run keeps about 160 bytes a pair */
	TS_MAX_MARKETS = 100000,         /* countries x sectors: demand in every segment */
	TS_MAX_COUNTRY_PAIR_SECTORS = 10000000, /* countries^2 x sectors: generic producers'
					 * dependence on each country's technology */
	TS_MAX_DYNAMIC_MEASURES = 100000 /* rule menu entries + allies under pressure */
};

/* Money: bn USD (per year for flows). Nothing real comes near 1e9 bn USD
 * (world GDP is about 1e5), and sums of such amounts over every firm,
 * country and step stay far from overflowing a double. */
#define TS_MAX_MONEY 1e9

/* Ranges the engine's arithmetic holds (docs/scenario.md, "Numeric ranges").
 * A firm's CES weight is exp(theta tech) (price)^(1 - sigma) (docs/model.md
 * §5) and the price index that sum to the power 1 / (1 - sigma): with these
 * bounds the exponent of a weight stays within about 400 of 0 and that of
 * a price index within about 360, against about 709 for a double, leaving
 * room for technology to grow in the run. */
#define TS_MAX_ABS_TECH 10.0        /* log-tech of firms, generic producers, nodes */
#define TS_MAX_TECH_WEIGHT 5.0      /* theta */
#define TS_MAX_CAPACITY_STEEPNESS 100.0 /* kappa of the supply curve (docs/model.md §5) */
#define TS_MAX_SHARE_HALF_LIFE 100.0    /* years: market-share inertia (§5) */
#define TS_MAX_ABS_TECH_STEP 1.0    /* log-tech units per innovation */
#define TS_MIN_ELASTICITY 1.2       /* sigma: 1 / (sigma - 1) at most 5 */
#define TS_MAX_ELASTICITY 50.0
#define TS_MIN_UNIT_COST 0.01       /* relative to the sector reference */
#define TS_MAX_UNIT_COST 100.0
/* Beta(a, b) shapes over which the innovation sizes' inverse CDF
 * (util/beta_quantile.h) is tested against GSL's: more extreme ones make
 * inverse CDFs fail (GSL's gsl_cdf_beta_Pinv returns NaN at a = 0.1, b =
 * 10 for 2 draws in 100, and near 1e155 never returns). */
#define TS_MIN_BETA_SHAPE 0.5
#define TS_MAX_BETA_SHAPE 50.0
#define TS_MAX_PERIODS 1000.0       /* stockpile_months, anticipation_months: months of use;
				     * restock_rate: months of use a month */
#define TS_MAX_YEARS 1000.0         /* half-lives (years) */
#define TS_MAX_MONTHS 12000000.0    /* spans of time (months): a million years */
#define TS_MAX_RATE_PER_YEAR 1e6    /* rates of events a year (noise, forgiveness, pressure) */
#define TS_MAX_REACTION_MONTHS 36.0 /* a rule's reaction delay: the run remembers that many
				     * steps per rule (a million rules x 36 months: 144 MB) */
#define TS_MAX_GROWTH 10.0          /* a market's growth per year (1000%) */
#define TS_MIN_TECH_PER_NODE 0.01   /* log-tech per process node */
#define TS_MAX_TECH_PER_NODE 10.0
/* A firm's own dynamics (docs/model.md §7, §16). A build lag of 10 years
 * is a ring of 120 steps a firm at monthly steps. */
#define TS_MAX_DEPRECIATION_PER_YEAR 10.0 /* e^-10 of capacity left after a year */
#define TS_MAX_BUILD_LAG_YEARS 10.0
#define TS_MAX_CAPITAL_PER_CAPACITY 100.0 /* bn USD per bn USD a year of capacity */
#define TS_MAX_GROSS_MARGIN 0.95          /* cost of goods at least 5% of revenue: mu <= 20 */
/* R&D under denial (docs/model.md §8.1): relative rises of R&D intensity;
 * the intensity itself stays at most 0.99 of revenue whatever they are. */
#define TS_MAX_RD_RESPONSE 100.0

#endif
