#ifndef TS_SCENARIO_IMPL_H
#define TS_SCENARIO_IMPL_H
/* The validated scenario as plain data: what the loader (sim/scenario/) fills
 * and the engine reads. Every entity is referred to by its dense index; every
 * quantity carries its unit in its name or comment. Units and meanings are
 * documented for users in docs/scenario.md. Free of libconfig: the parsed
 * tree stays behind an opaque pointer the scenario layer alone reads. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tradesim/scenario.h>

/* Market segments (docs/model.md §5). */
typedef enum ts_segment {
	TS_SEG_GOVERNMENT = 0,      /* state offices, SOEs: procurement bans */
	TS_SEG_INFRASTRUCTURE = 1,  /* critical infrastructure operators */
	TS_SEG_PRIVATE = 2,         /* everyone else */
	TS_SEG_COUNT = 3
} ts_segment;

typedef enum ts_measure_kind {
	TS_MEASURE_MARKET_BAN = 0,       /* target excluded from all segments */
	TS_MEASURE_PROCUREMENT_BAN = 1,  /* target excluded from one segment */
	TS_MEASURE_EXPORT_CONTROL = 2,   /* actor's suppliers stop supplying target */
	TS_MEASURE_RD_INVESTMENT = 3,    /* actor's budget raises its firms' R&D */
	TS_MEASURE_TARIFF = 4,           /* ad valorem duty on the target's sales in the actor's markets */
	TS_MEASURE_COMPLIANCE = 5,       /* certification, source code, data localisation demands */
	TS_MEASURE_CAPACITY_INVESTMENT = 6, /* actor pays for capacity at the target firm */
	TS_MEASURE_SUBSIDY = 7,          /* actor pays part of its firms' unit cost */
	TS_MEASURE_ALLIANCE_PRESSURE = 8,/* actor asks its bloc to adopt one of its measures */
	TS_MEASURE_KIND_COUNT = 9
} ts_measure_kind;

/* What a compliance measure demands (docs/scenario.md, "compliance"). */
typedef enum ts_requirement {
	TS_REQ_CERTIFICATION = 0,        /* security certification (China's Cybersecurity Law) */
	TS_REQ_SOURCE_CODE = 1,          /* source-code audit */
	TS_REQ_DATA_LOCALISATION = 2,    /* in-country data storage */
	TS_REQ_COUNT = 3
} ts_requirement;

typedef struct ts_run_spec {
	int steps;               /* number of steps to run, >= 1 */
	int steps_per_year;      /* 12 (month), 4 (quarter) or 1 (year) */
	int start_year;          /* calendar year of step 0 */
	int start_period;        /* 1-based month or quarter of step 0 (1 for years) */
	uint32_t seed;           /* RNG seed in [1, 2^32) */
} ts_run_spec;

/* A firm's own dynamics (docs/model.md §7, §16; Dosi, Fagiolo and Roventini
 * 2010): each firm's, defaulting to the model's. */
typedef struct ts_firm_dynamics {
	double jobs_half_life;        /* years: half-life of jobs' adjustment to revenue, >= 0 */
	double depreciation;          /* per year: rate at which capacity wears out, >= 0 */
	double build_lag;             /* years between ordering capacity and using it, >= 0 */
	double target_use;            /* (0, 1]: capacity use the firm plans for */
	double capital_per_capacity;  /* bn USD invested per bn USD a year of capacity, > 0 */
	double profit_share;          /* [0, 1]: most of its expected yearly profit invested a year */
	/* R&D under denial (docs/model.md §8.1): target intensity
	 * rd_intensity (1 + rd_denial_response D + rd_gap_response G). */
	double rd_denial_response;    /* >= 0: relative rise of R&D intensity at full denial (D = 1) */
	double rd_gap_response;       /* >= 0: relative rise per log-tech unit the gap widened since step 0 */
	double rd_response_half_life; /* years, >= 0: half-life of intensity's move to its target */
} ts_firm_dynamics;

/* Global behavioural parameters (docs/model.md §8; Dosi et al. 2010). */
typedef struct ts_model_params {
	double innovation_zeta;      /* 1/(bn USD per step): P = 1-exp(-zeta*IN) */
	double imitation_zeta;       /* 1/(bn USD per step): P = 1-exp(-zeta*IM) */
	double innovation_share;     /* xi in [0,1]: share of R&D spent on innovation */
	double beta_a, beta_b;       /* Beta(a,b) shape of innovation draws, > 0 */
	double tech_step_min;        /* log-tech units: lower end of the draw's support */
	double tech_step_max;        /* log-tech units: upper end, > tech_step_min */
	double tech_weight;          /* theta: log demand weight per log-tech unit, >= 0 */
	double share_tolerance;      /* |sum of supplier shares - 1| allowed */
	double imitation_fraction;   /* (0,1]: share of the gap to the imitated firm closed (1: K+S copy) */
	double tension_memory_per_year; /* [0,1): weight the tension index keeps after a year (§13) */
	ts_firm_dynamics firm;       /* defaults of every firm's dynamics (§7, §16) */
	double expectation_half_life;/* years: half-life of firms' expected sales and profit (§16), >= 0 */
	/* Markets that clear by price (docs/model.md §5). */
	double capacity_knee;        /* u0 in [0, 1): capacity use up to which the price factor is 1 */
	double capacity_steepness;   /* kappa > 0: phi = 1 + kappa ((u - u0)+ / (1 - u))^2 */
	double share_half_life;      /* years, >= 0: half-life of market shares' move to their CES target */
} ts_model_params;

typedef struct ts_country_spec {
	char *id;
	char *name;
	char *bloc;                  /* "" when none */
	double alignment;            /* 0..1, with the bloc leader */
	double home_bias;            /* log demand weight added to domestic firms, >= 0 */
	double rd_budget;            /* bn USD per year of R&D support to own firms */
	double rd_support_on_denial; /* bn USD per year of R&D support at full denial of its firms (§8.1) */
	int support_sector_first;    /* slice of ts_scenario.measure_sectors: rd_support_sectors */
	int n_support_sectors;       /* 0: the support goes to the denied firms themselves */
	double derisk_suppliers;     /* 0..1: its generic producers' de-risking, and its firms' default (§17) */
	double derisk_buyers;        /* 0..1: its firms' default buyer de-risking (§17) */
	int line;
} ts_country_spec;

typedef struct ts_sector_spec {
	char *id;
	char *name;
	double elasticity;           /* sigma > 1: CES substitution between firms */
	double ceiling_margin;       /* log-tech a firm may reach above its best accessible input tech */
	double base_tech;            /* log-tech of generic (country) suppliers with no firm */
	int input_first, n_inputs;   /* slice of ts_scenario.inputs */
	/* Process-node label (sectors.ID.node; docs/model.md §10): a firm at
	 * tech is at node_reference_nm * 0.7^((tech - node_reference_tech) / node_tech_per_node). */
	bool has_node;               /* false: no node group, no label */
	double node_reference_tech;  /* log-tech of the reference node */
	double node_reference_nm;    /* its feature size, nm, > 0 */
	double node_tech_per_node;   /* log-tech units per full node (0.7x features), > 0 */
	int line;
} ts_sector_spec;

/* A critical input of a sector: another sector and its cost share. */
typedef struct ts_input_spec {
	int sector;                  /* input sector */
	double cost_share;           /* fraction of unit cost spent on it, (0,1) */
} ts_input_spec;

/* Demand of one country for one sector. */
typedef struct ts_market_spec {
	double size;                 /* bn USD per year at step 0, >= 0 (0: no market) */
	double growth;               /* per year, fraction, > -1 */
	double segment_share[TS_SEG_COUNT]; /* fractions summing to 1 */
} ts_market_spec;

typedef struct ts_firm_spec {
	char *id;
	char *name;
	int country, sector;
	double capacity;             /* bn USD of sales per year at full capacity, > 0 */
	double unit_cost;            /* relative to the sector reference 1.0, > 0 */
	double tech;                 /* log-tech level at step 0 */
	double rd_intensity;         /* share of revenue spent on R&D, [0,1) */
	double jobs_per_bn;          /* persons employed per bn USD of yearly revenue */
	double fixed_cost;           /* bn USD per year */
	double gross_margin;         /* share of revenue left after cost of goods, [0, 0.95]; default 1/sigma */
	ts_firm_dynamics dynamics;   /* jobs and capacity (§7, §16): the model's unless set */
	double substitution_half_life; /* years until half the cut-off supply is re-sourced; INFINITY: never */
	double restock_rate;         /* months of use bought per month (= steps of use per step) to rebuild stock, >= 0 */
	bool state_owned;
	unsigned refuses;            /* bit r: refuses requirement r (excluded where demanded) */
	double anticipation;         /* steps of use of extra stockpile at full control risk, >= 0
	                              * (anticipation_months converted to the run's steps) */
	double derisk_suppliers;     /* 0..1: most of its sales to a controlled country's firms it
	                              * withholds as tension rises (§17) */
	double derisk_buyers;        /* 0..1: most of its inputs from a controlling country it moves
	                              * to home or friendly suppliers as tension rises (§17) */
	int tech_dependence_first;   /* slice of ts_scenario.tech_dependence (explicit values) */
	int n_tech_dependence;       /* 0: dependence computed from supplier links */
	int slot_first;              /* slice of slots: one per input of its sector, in sector input order */
	int line;
} ts_firm_spec;

/* One firm's position in one input sector: its stockpile and supplier links. */
typedef struct ts_slot_spec {
	int firm;
	int input_sector;
	double cost_share;           /* copied from the sector's input */
	double stockpile;            /* steps of current use held at step 0, >= 0 (stockpile_months
	                              * converted to the run's steps) */
	int link_first, n_links;     /* slice of ts_scenario.links */
} ts_slot_spec;

/* A supply link: a share of a slot's input bought from a firm or from a
 * country's generic producers of that input sector. */
typedef struct ts_link_spec {
	int slot;
	int supplier_firm;           /* -1 for a generic country supplier */
	int supplier_country;        /* the supplier firm's home, or the generic country */
	double share;                /* fraction of the slot's input, shares sum to 1 */
} ts_link_spec;

/* An explicit dependence of a firm on one country's technology (for the
 * foreign-direct-product rule), a fraction in [0, 1]. */
typedef struct ts_tech_dependence {
	int country;
	double share;
} ts_tech_dependence;

typedef struct ts_measure_spec {
	char *id;
	ts_measure_kind kind;
	bool enabled;                /* false: never in force (counterfactuals) */
	int actor;                   /* country index */
	int target_country;          /* country index, or -1 */
	int target_firm;             /* firm index, or -1 (then the country's firms) */
	int sector_first;            /* slice of ts_scenario.measure_sectors */
	int n_sectors;               /* 0 = every sector */
	ts_segment segment;          /* procurement_ban only */
	int start;                   /* first step in force; INT_MAX: on call (no start
	                              * given: only rules or alliance pressure start it) */
	int end;                     /* first step no longer in force; INT_MAX: never */
	double budget;               /* rd_investment, capacity_investment: bn USD per year */
	double rate;                 /* tariff: ad valorem fraction; subsidy: share of unit cost */
	/* export_control */
	double licence_share;        /* share of each controlled flow licensed through, [0,1] */
	bool foreign_direct_product; /* also binds third-country suppliers above fdp_threshold */
	double fdp_threshold;        /* dependence on the actor's technology, (0,1] */
	bool tech_denial;            /* the target cannot imitate the actor's firms */
	/* compliance */
	ts_requirement requirement;
	double cost;                 /* fraction of unit cost added to foreign firms' price */
	bool all_segments;           /* compliance without `segment`: every segment */
	/* capacity_investment */
	double capacity;             /* bn USD of yearly sales added at the target firm */
	int build_steps;             /* linear ramp-up, steps (build_months in the run's steps) */
	/* alliance_pressure */
	int pressed_measure;         /* index of the actor's measure allies are asked to adopt */
	double pressure_per_year;    /* >= 0: alignment x it = an ally's adoptions per year (a Poisson rate) */
	int delay;                   /* steps between adoption and the ally's measure starting
	                              * (delay_months in the run's steps) */
	double delay_months;         /* the same in months, >= 0 */
	int ally_first, n_allies;    /* slice of ts_scenario.measure_allies; 0: the actor's bloc */
	int line;
} ts_measure_spec;

/* ---- Retaliation rules and deals (scenario/rules.c; docs/scenario.md,
 * "rules" and "deals"; docs/model.md §10-§13). ---- */
typedef enum ts_rule_kind {
	TS_RULE_NONE = 0,            /* no reaction */
	TS_RULE_TIT_FOR_TAT = 1,     /* defect iff the rival was hostile last step */
	TS_RULE_PROPORTIONAL = 2,    /* answer with bite ~ ratio x damage received */
	TS_RULE_GRIM_TRIGGER = 3,    /* defect forever once the rival was hostile */
	TS_RULE_GENEROUS_TFT = 4,    /* tit for tat, forgiving with probability `forgive` */
	TS_RULE_ESCALATE = 5,        /* one more menu measure per consecutive hostile step */
	TS_RULE_NEGOTIATE = 6,       /* never retaliates; lifts its measures once both sides hurt */
	TS_RULE_KIND_COUNT = 7
} ts_rule_kind;

/* One country's rule toward one rival. */
typedef struct ts_rule_spec {
	int country, rival;          /* country indexes, distinct */
	ts_rule_kind kind;
	int menu_first, n_menu;      /* slice of ts_scenario.rule_menu: on-call measures of `country` */
	double forgive_per_year;     /* generous_tit_for_tat: rate per year of forgiving a hostile rival */
	double ratio;                /* proportional: bite / damage received, > 0 */
	double factor;               /* escalate: growth of its tariffs' rate per interval of hostility, > 1 */
	int cap;                     /* escalate: most menu measures in force at once */
	double interval_months;      /* escalate: months of continued hostility per further menu measure, > 0 */
	double tolerance_bn_usd;     /* harm per year from the rival the rule bears without seeing hostility, >= 0 */
	double noise_per_year;       /* misperceptions of the rival's stance per year (a Poisson rate) */
	int reaction_steps;          /* steps from the rival's act to the answer, >= 1 (reaction_months) */
	int seen_first;              /* slice [seen_first, + reaction_steps) of the run's memory of
	                              * what the rule saw (ts_sim.rule_seen) */
	double loss_threshold;       /* negotiate: bn USD of cumulative damage both sides must exceed */
	int line;
} ts_rule_spec;

/* A settlement lifting measures once both sides have been hurt enough. */
typedef struct ts_deal_spec {
	char *id;
	int lifts_first, n_lifts;    /* slice of ts_scenario.deal_lifts (measure indexes) */
	int side_a, side_b;          /* the two countries the lifted measures are between */
	int earliest;                /* first step it may trigger */
	double loss_threshold;       /* bn USD of cumulative damage each side must have received */
	double fine;                 /* bn USD paid once by `payer` */
	int payer;                   /* firm index, or -1 */
	int fine_recipient;          /* country booking the fine (the lifting side) */
	double purchase;             /* bn USD per year bought by `buyer` from `seller`'s firms */
	int buyer, seller, sector;   /* country, country, sector indexes; -1 without purchase */
	int purchase_steps;          /* steps the purchase commitment lasts (purchase_months in steps) */
	int line;
} ts_deal_spec;

extern const char *const ts_rule_kind_names[TS_RULE_KIND_COUNT];
/* ---- end of rules and deals ---- */

/* The effective tree (after includes and overrides), kept for write-out:
 * defined in scenario/tree.h, private to the scenario layer. */
struct ts_scenario_tree;

struct ts_scenario {
	char *path;                  /* as given by the user */
	char hash[65];               /* SHA-256 of the effective text; a variant's: scenario/variant.h */
	struct ts_scenario_tree *tree;
	char *title;                 /* the top-level `title`, or NULL */
	ts_run_spec run;
	ts_model_params model;
	int n_countries, n_sectors, n_firms, n_inputs, n_slots, n_links, n_measures;
	int n_measure_sectors, n_measure_allies, n_tech_dependence;
	int n_dynamic_measures;      /* most measures rules and pressure can create at once */
	ts_country_spec *countries;
	ts_sector_spec *sectors;
	ts_input_spec *inputs;
	ts_market_spec *markets;     /* [country * n_sectors + sector] */
	ts_firm_spec *firms;
	ts_slot_spec *slots;
	ts_link_spec *links;
	ts_measure_spec *measures;
	int *measure_sectors;        /* sector lists of measures and of countries' rd_support_sectors */
	int *measure_allies;         /* country indexes */
	ts_tech_dependence *tech_dependence;
	/* rules and deals (scenario/rules.c) */
	int n_rules, n_rule_menu, n_deals, n_deal_lifts;
	int n_rule_seen;             /* sum of the rules' reaction_steps */
	ts_rule_spec *rules;         /* grouped by country, in file order */
	int *rule_menu;              /* measure indexes */
	ts_deal_spec *deals;
	int *deal_lifts;             /* measure indexes */
};

/* Calendar (calendar.c): "2019Q2", "2019-05", "2019" labels for steps.
 * Writes the label of `step` into buf; false when the run's calendar is not
 * valid or buf is too small (32 bytes always suffice). */
bool ts_calendar_label(const ts_run_spec *run, int step, char *buf, size_t size);
/* Parse a label of any calendar into a step of the run (may be negative or
 * beyond the run): a label of the run's own calendar is its step; another
 * falls on the nearest step boundary, a tie going to the earlier (the step
 * whose midpoint is the first at or after the instant the label's period
 * begins). False if the text is no label. */
bool ts_calendar_parse(const ts_run_spec *run, const char *label, int *step);
/* A label of any calendar: the month its period begins, counted from
 * January of year 0 (2019-05: 2019 x 12 + 4), and its length in months
 * (1, 3 or 12); false if the text is no label. */
bool ts_calendar_months(const char *label, long long *first_month, int *months);
/* Steps of the run in a span of `months` (>= 0) from a step boundary: the
 * nearest whole number, a tie going to the smaller, as for dates. */
int ts_calendar_span_steps(const ts_run_spec *run, double months);

/* Sectors ordered so that each comes before its critical inputs
 * (sector_order.c), into order[0 .. n_sectors). TS_EINPUT when the inputs
 * form a cycle ("critical inputs form a cycle among: A, B"; order then holds
 * the *n_ordered sectors outside it), TS_ENOMEM when out of memory. */
int ts_sector_order(int *order, int *n_ordered, const ts_scenario *s, ts_error *err);

/* Looks up an entity by id; -1 if absent. */
int ts_scenario_country_index(const ts_scenario *s, const char *id);
int ts_scenario_sector_index(const ts_scenario *s, const char *id);
int ts_scenario_firm_index(const ts_scenario *s, const char *id);

extern const char *const ts_segment_names[TS_SEG_COUNT];
extern const char *const ts_measure_kind_names[TS_MEASURE_KIND_COUNT];
extern const char *const ts_requirement_names[TS_REQ_COUNT];

#endif
