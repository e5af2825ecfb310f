#ifndef TS_WORLD_H
#define TS_WORLD_H
/* Run state as structure of arrays, allocated once by ts_world_init() and
 * indexed by entity number; nothing here is allocated during a step.
 * Flows are per step (bn USD earned during the step) unless a name says
 * "per_year". docs/model.md §2 gives the order of the phases. */
#include <math.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "scenario/spec.h"
#include "util/beta_quantile.h"
#include "util/fminmax.h"
#include "util/mt19937.h"
#include "model/sums.h"

/* A market segment with demand: one country's spending on one sector's
 * government, infrastructure or private segment. */
typedef struct ts_mseg {
	int country, sector;
	ts_segment segment;
	double base_demand;          /* bn USD per step at step 0 */
	double log_growth_per_step;  /* log(1 + growth) / steps_per_year */
	double p0;                   /* CES price index of the open market at step 0 */
} ts_mseg;

/* Most active firms of a sector whose Newton matrix the clearing solves
 * whole (dense, docs/model.md §5); beyond, through its structure (a common
 * part of rank two, then GMRES: clearing.c, structured_step()). */
#define TS_CLEAR_DENSE_MAX 16
/* Most Krylov vectors of a Newton step beyond the dense block (clearing.c). */
#define TS_CLEAR_KRYLOV 12

typedef enum ts_event_action { TS_EVENT_START = 0, TS_EVENT_END = 1 } ts_event_action;

/* A measure of the run (docs/model.md §3): one per scenario measure, in
 * scenario order, then those a rule or alliance pressure creates during the
 * run from a measure on call. Slots for those are allocated at start-up
 * (ts_scenario.n_dynamic_measures), so a step never allocates. */
typedef struct ts_minst {
	int spec;                    /* index of the scenario measure it applies */
	int actor;                   /* imposing country: the spec's, or an adopting ally */
	int start;                   /* first step in force; INT_MAX: not scheduled */
	int end;                     /* first step no longer in force; INT_MAX: open */
	const char *id;              /* the scenario id, or a name made at creation */
	const char *cause;           /* what it answers or adopts; "" when scripted */
	const char *end_cause;       /* what lifted it before its end (a deal); "" */
	double rate;                 /* tariff: its rate, the spec's unless a rule sizes it (§10) */
	unsigned char active;        /* in force this step */
} ts_minst;

/* A country's stance toward a rival (relations.csv). */
typedef enum ts_stance {
	TS_STANCE_NONE = 0,          /* no rule toward the rival (or kind none) */
	TS_STANCE_COOPERATE = 1,     /* a rule, none of its measures in force */
	TS_STANCE_DEFECT = 2,        /* a rule with a measure in force */
	TS_STANCE_COUNT = 3
} ts_stance;
extern const char *const ts_stance_names[TS_STANCE_COUNT];

typedef struct ts_event {
	int inst;                    /* index into ts_sim.minst */
	ts_event_action action;
	const char *cause;           /* start: the instance's cause; end: its end_cause */
} ts_event;

struct ts_sim {
	const ts_scenario *scn;
	ts_mt19937 rng;              /* the firms' generator (§9), as gsl_rng_mt19937 */
	struct ts_innovation_sizes *innovation_sizes; /* the caller's, kept across runs; NULL: none */
	ts_beta_shape size_shape;    /* model.beta_a, beta_b: the shape of innovations' sizes (§8) */
	int step;                    /* the step being (or last) computed */
	int n_steps_done;
	int failed_step;              /* the step that broke an invariant (§15); -1 while none has */
	int nc, ns, nf, nslots, nlinks, nm, nmseg;

	/* sectors */
	int *sector_order;           /* downstream first: buyers before their inputs */
	int *sector_firm_first, *sector_firm_count, *sector_firms;
	int *sector_mseg_first, *sector_mseg_count; /* msegs are grouped by sector */
	double *markup;              /* sigma/(sigma-1) per sector (CES pricing) */
	size_t *sales_offset;        /* start of each sector's block in sales[] */

	/* market segments */
	ts_mseg *msegs;
	double *demand, *served, *unmet; /* per mseg, bn USD per step */
	double *price_ratio;         /* per mseg: P/P0; NaN without a variety able to sell (§5) */
	double *mseg_domestic_share; /* per mseg: domestic firms' share of served sales; NaN if none served */
	double *mseg_hhi;            /* per mseg: Herfindahl-Hirschman index of served sales; NaN if none */
	int *mseg_firms_allowed;     /* per mseg: firms of the sector not barred from it (ts_market_cell_weights()) */
	unsigned char *mseg_barred;  /* per mseg: some firm of the sector is barred from it */
	unsigned char *mseg_tariffed; /* per mseg: some firm pays a tariff there */
	double *sales;               /* [offset_s + mseg_local * nfs + firm_local]: buyers' spending,
	                              * written out where sales_factored[] is 0; read through
	                              * ts_market_sale() and ts_market_row() */
	/* A segment whose split wrote no cell (sales_factored TS_SALES_FACTORED):
	 * its sales are sales_pw x (cell_weight x sales_unit), each cell exactly
	 * as the split would have written it (docs/model.md §5,
	 * "Implementation"); TS_SALES_RATIONED: the same, but a firm rationed
	 * by its inputs (sales_ration >= 0) keeps (sales_pw1 x (cell_weight x
	 * sales_unit1)) x sales_ration, the sector's first clearing's sales
	 * scaled to what its inputs allow. */
	unsigned char *sales_factored; /* per mseg: TS_SALES_* */
	double *sales_pw;            /* per mseg: the split's spending per unit of weight */
	double *sales_unit;          /* by position in sector_firms: the split's unit weights */
	double *sales_pw1;           /* per mseg: sales_pw of the sector's first clearing (rationed) */
	double *sales_unit1;         /* by position in sector_firms: sales_unit of the first clearing */
	double *sales_ration;        /* by position in sector_firms: its supply factor if rationed, else -1 */
	int *ration_pos;             /* by sector, from its first firm: the positions of its rationed firms */
	int *ration_count;           /* per sector: how many (sales_ration >= 0) */
	double *row_scratch;         /* scratch, a sector's firms: a factored row written out (ts_market_row()) */
	double *export_pw;           /* per country, scratch: its factored segments' sales_pw summed (accounts.c) */
	double *export_fix;          /* by position in sector_firms, scratch: a firm's exports' corrections (accounts.c) */
	/* Price wedges of the measures in force, laid out as sales[] (docs/model.md
	 * §3.1): a buyer pays W x the firm's price, W = (1 + tariff) x (1 + compliance
	 * cost / price); rebuilt when the set of measures changes. */
	double *wedge_weight;        /* W^(1 - sigma): multiplies the firm's CES weight */
	double *receipt_share;       /* 1 / W: share of buyers' spending the firm earns */
	double *tariff_share;        /* t / (1 + t): share of buyers' spending paid as tariff */
	/* The measures and home bias folded into one factor per cell, rebuilt
	 * with the wedges (ts_market_cell_weights()): wedge_weight x the home
	 * multiplier for a domestic firm, 0 where the firm is barred. */
	double *cell_weight;
	double *cell_receipt;        /* cell_weight x receipt_share */
	double *cell_export;         /* receipt_share of a foreign firm, 0 of a domestic one: its exports
	                              * per unit of sales (accounts.c) */

	/* firms */
	double *tech, *tech_next;    /* log-tech */
	double *price;               /* relative price = markup * unit_cost */
	double *base_weight;         /* exp(theta tech) price^(1-sigma) */
	double *supply_factor;       /* available share of the binding input, 0..1 */
	double *cap_step;            /* real capacity per step, all sales, bn USD at base prices (§5) */
	double *desired;             /* scratch: demand the allocation assigns */
	unsigned char *constrained;  /* by position in sector_firms, scratch: fixed in the allocation */
	double *final_sales, *input_sales, *revenue, *profit;
	double *input_orders;        /* intermediate orders the firm received this step, bn USD per
	                              * step at its base price: its input sales, plus what its real
	                              * room could not make and its country's generic producers
	                              * made (docs/model.md §6); the markets do not read them (§5) */
	double *rd_spending, *jobs, *ceiling;
	double *capacity_eff;        /* bn USD of sales per year: scenario capacity + investment built */
	double *subsidy_rate;        /* share of unit cost its government pays (subsidy), 0..0.9 */

	/* Markets that clear by price, shares with inertia (market.c, clearing.c;
	 * docs/model.md §5). Capacity is real output: revenue at price factor
	 * phi uses revenue / phi of it. */
	double *price_factor;        /* phi >= 1: the firm sells at price x phi (scarcity), 1 below the knee */
	double *factor_weight;       /* phi^(1 - sigma): multiplies the firm's CES weight */
	double *output_cap;          /* real final sales the firm's inputs allow this step (§4, §5),
	                              * INFINITY if not short: finite, the firm is rationed */
	double *relation;            /* like sales[]: buyers' ties to the firm in the segment, 0..1 (share inertia) */
	unsigned char *ties_settled; /* per mseg: every tie of the segment is 1 and no firm barred (market.c) */
	double *clear_z;             /* per firm, scratch: tightness z, phi = 1 + kappa z^2 */
	double *clear_d, *clear_cs;  /* by active row, scratch: real demand d and its own-share part D (§5) */
	double *clear_inv_phi;       /* by active row, scratch: 1 / price factor */
	double *clear_f;             /* per firm, scratch: log excess demand, then the Newton step */
	int *clear_index;            /* per firm, scratch: its row in clear_matrix, -1 if inactive */
	int *clear_list;             /* scratch: the active firms of the sector */
	int *short_pos;              /* scratch: positions in a sector of its firms short of inputs (market.c) */
	double *clear_matrix;        /* scratch, clear_dense^2: cross terms Q_ij / d_i of the last full pass */
	double *clear_jacobian;      /* scratch, clear_dense^2: the Newton matrix, solved in place */
	/* The cross terms' factors of the last pass that stored them (clearing.c,
	 * cross_terms()): Q_qr = scale_q unit_r sum_g h_g alpha_qg beta_rg;
	 * by active row, for every active firm. */
	double *clear_cross_unit;    /* scratch: unit weight of each row's firm */
	double *clear_cross_scale;   /* scratch: its unit weight / phi */
	double *clear_cross_e, *clear_cross_f; /* scratch: its corrections sum_exc h (alpha - 1),
	                              * sum_exc h (beta - 1) over its exceptions (with more rows than
	                              * clear_dense: over every segment not in the common part) */
	double clear_cross_common;   /* with more rows than clear_dense: sum_g h_g over every segment */
	double *clear_cross_diag;    /* scratch, with more rows than clear_dense: each row's own cross
	                              * term Q_qq / d_q */
	double *clear_rank;          /* scratch, 7 x the most firms of a sector: the rank-two
	                              * preconditioner's vectors (clearing.c, ts_clearing_rank2_solve()) */
	double *clear_krylov;        /* scratch, TS_CLEAR_KRYLOV + 4 vectors of the most firms of a
	                              * sector: the Newton step's Krylov basis and work vectors */
	double *clear_seg_sum;       /* per segment, scratch: a product with the cross terms (clearing.c) */
	double *clear_cross_x;       /* scratch, by dense row then segment of the sector: h alpha_q */
	double *clear_cross_h;       /* per segment, scratch: h_g = (spending per weight)+ / weight */
	double *clear_scatter;       /* per segment, scratch: one row's h alpha at its cells; 0 between uses */
	double *clear_weight;        /* by position in sector_firms, scratch: factor_weight in the clearing */
	double *clear_earn;          /* by position in sector_firms, scratch: spending the firm earns */
	double *clear_base;          /* by position in sector_firms, scratch: base weight of a firm the
	                              * clearing solves for, 0 for one that cannot sell or is rationed */
	double *clear_unit;          /* by position in sector_firms, scratch: clear_base x clear_weight;
	                              * the firm's CES weight in a segment is this x ts_market_omega() */
	double *clear_act_unit;      /* by active row, scratch: clear_unit of the active firms */
	/* A segment's exceptions (market.c, docs/model.md §5): the cells whose
	 * weight or receipt differs from 1 (a domestic firm's home bias, a
	 * wedge, a bar), at the segment's own place in sales[], positions in
	 * order; the sums over a settled segment with few of them start from
	 * the sum over all its firms and correct for them. */
	int *exc_count;              /* per mseg: how many */
	int *exc_pos;                /* like sales[]: the exceptions' positions in the sector */
	double *exc_weight;          /* like sales[]: their cell_weight - 1 */
	double *exc_receipt;         /* like sales[]: their cell_receipt - 1 */
	/* The lists of the segments with at most a quarter of their cells
	 * exceptions (those the sums read: ts_market_row_sparse()), copied one
	 * after another per sector, from a quarter of the sector's place in
	 * sales[], so that a pass over a sector's segments reads them as one
	 * stream (ts_market_exceptions()); copied whenever the lists change. */
	size_t *exc_first;           /* per mseg: its first in the copies */
	int *pexc_pos;
	double *pexc_weight, *pexc_receipt;
	/* The same exceptions by firm, for the clearing's active firms
	 * (clearing.c; docs/model.md §5, "Implementation"): a firm's cells
	 * in the sparse segments (ts_market_row_sparse()) whose weight or
	 * receipt differs from 1, in segment order, the firms' lists one after
	 * another from the sector's place in sales[] ([offset + fexc_first +
	 * e]); the other segments, listed per sector, are read cell by cell.
	 * Rebuilt from the segments' lists when they change (fexc_built). */
	int *fexc_count;             /* by position in sector_firms: how many */
	int *fexc_first;             /* by position in sector_firms: where its list starts, from its
	                              * sector's place ([offset + first + e]) */
	int *fexc_seg;               /* the segment (position in the sector) of each */
	double *fexc_alpha;          /* omega x receipt share - 1 (cell_receipt - 1) */
	double *fexc_beta;           /* omega - 1 (cell_weight - 1) */
	int *dense_seg;              /* [sector_mseg_first + j]: sector's segments read cell by cell */
	int *dense_seg_count;        /* per sector: how many */
	int *fexc_min_active;        /* per sector: fewest active firms whose terms are factored */
	double *clear_one;           /* per mseg: 1 if sparse (its common part counts), else 0 */
	unsigned char *fexc_built;   /* per sector: the lists above stand for the segments' lists */
	int *home_first;             /* [k * nc + c], nc x ns + 1 entries: where sector k's firms of
	                              * country c start in home_pos (by sector, then country) */
	int *home_pos;               /* per firm: their positions in the sector, in order */
	double *omega_by_firm;       /* ts_market_omega() of every cell, each sector's block of sales[]
	                              * by firm then segment ([offset + a * segments + b]): what the
	                              * clearing reads of its active firms (market.c keeps it) */
	double *receipt_by_firm;     /* receipt_share[] the same way */
	double *clear_cross_d;       /* scratch: the rows' d of the factors stored */
	int clear_cross_n;           /* rows of the factors stored and not yet summed into
	                              * clear_matrix or the common part (0: none) */
	double *clear_warm;          /* [pass * nf + i], pass 0 for a sector's first clearing in a step,
	                              * 1 for its clearing again with firms rationed (market.c): the
	                              * tightness z firm i ended that pass's last solve at */
	int *clear_warm_step;        /* [pass * ns + k]: the step of sector k's last solve of that pass */
	int clear_fresh;             /* clear_total[] holds the sums at the current prices (clearing.c) */
	double *index_base, *index_factor; /* by position in sector_firms, scratch: base weight of a firm
	                              * able to sell (else 0) and its factor_weight, for the price index */
	double *clear_spend;         /* per segment, scratch: spending the unrationed firms share */
	double *clear_rest;          /* per segment, scratch: CES weight of the firms off the active set */
	double *clear_total;         /* per segment, scratch: CES weight of all its firms at the last full pass */
	double *clear_active;        /* per segment, scratch: CES weight of the active firms */
	double *clear_per_weight;    /* per segment, scratch: spending per unit of CES weight, 0 without weight */
	double *clear_inv_total;     /* per segment, scratch: 1 / its CES weight, 0 without weight */
	/* Per firm, the last argument and value of a power or exponential
	 * that a step would otherwise compute again with the same argument
	 * (NAN before the first): phi^(1 - sigma) and log phi (clearing.c),
	 * exp(theta tech) and price^(1 - sigma) (ts_market_prepare()). The
	 * same call gives the same value, so a kept one is the value recomputed. */
	double *memo_phi, *memo_phi_weight, *memo_tech, *memo_tech_weight, *memo_price, *memo_price_weight;
	double *memo_log_phi_at, *memo_log_phi;
	double *clear_phi_slope;     /* scratch, by active row: d log phi / dz (newton_step) */
	double *resource_keep, *resource_mean_keep; /* per firm: ts_supply_resourcing() at its
	                              * substitution half-life, constant over the run */
	double *rd_p_innovate, *rd_p_imitate; /* per firm, scratch: a month's chance to innovate and to
	                              * imitate, the same every month of a step (innovation.c) */
	int *home_country;           /* per firm: its country (the scenario's, flat for the markets) */
	int *sector_home;            /* by position in sector_firms: the firm's country */
	int clear_dense;             /* most active firms whose Newton matrix is solved whole */
	int clear_cells_only;        /* 1: the clearing reads every cell, no factored sums (0 unless a
	                              * test sets it, to compare the two: clearing.c, factored()) */
	int clear_stop_short;        /* 1: the clearing stops after its first pass (0 unless a test sets
	                              * it, to run the safety pass a solver stopped short needs: market.c) */
	int shares_set;              /* 0 until the first clearing: ties start at 1 */
	double *dependence;          /* [i*nc+c]: firm i's dependence on c's technology (FDP), 0..1 */

	/* firm dynamics (capacity.c, accounts.c; docs/model.md §7, §16) */
	double *cost_markup;         /* mu_i = 1 / (1 - gross_margin_i): revenue over cost of goods at phi = 1 */
	double *jobs_share;          /* share of the gap to jobs_per_bn x yearly revenue closed a step */
	double *capacity_own;        /* bn USD/yr: the firm's own capacity, before capacity investment (§3.5) */
	double *expected_sales;      /* bn USD/yr of sales at base prices, smoothed (§16) */
	double *expected_profit;     /* bn USD/yr, smoothed (§16) */
	double *capacity_investment; /* bn USD spent this step on capacity ordered (§16) */
	double *depreciation_share;  /* share of own capacity worn out a step */
	double *pipeline;            /* bn USD/yr of capacity on order, a ring per firm of its lag's steps */
	int *pipeline_first, *pipeline_steps; /* per firm: its ring in pipeline[]; build lag in steps (0: none) */

	/* R&D under denial (innovation.c; docs/model.md §8.1) */
	double *imitation_weight;    /* by position in sector_firms, scratch: proximities to imitate summed so far */
	double *sector_tech;         /* by position in sector_firms: tech at the start of the step's R&D */
	double *rd_level;            /* per firm: R&D intensity at the end of the step (the state) */
	double *rd_applied;          /* per firm: its mean over the step, the share of revenue spent */
	double *rd_denial;           /* per firm: D, share of its scarcest critical input cut by controls, 0..1 */
	double *rd_gap0;             /* per firm: its log-tech gap to its sector's frontier at step 0 */
	double *rd_keep;             /* per firm: share of the gap to the target intensity left after a step */
	double *rd_mean_keep;        /* per firm: that share's mean over the step */
	double *rd_denial_max;       /* per country: the largest D of its firms */
	double *rd_denied_revenue;   /* per country: sum of its firms' revenue x D */
	double *rd_denied_capacity;  /* per country: sum of its firms' capacity x D (when no revenue) */
	unsigned char *denial_sector;/* [c*ns+k]: c's rd_support_sectors lists k (its support goes there) */
	double expectation_share;    /* share of the gap to this step's sales and profit expectations close */

	/* slots and links (supply) */
	double *stock, *stock_target, *controlled, *substituted, *shortfall, *draw, *restock;
	unsigned char *link_blocked; /* under an export control (possibly licensed in part) */
	double *link_cut;            /* share of the link's flow stopped: 1 - licence share, 0..1 */
	/* de-risking (derisking.c, docs/model.md §17) */
	unsigned char *controls_on;  /* [a*nc+b]: a controls exports to some firm of b (cut > 0) */
	unsigned char *same_bloc;    /* [a*nc+b]: a and b are in one bloc (a != b; none: "") */
	double *derisk_cut;          /* per link: share of its flow the supplier withholds, 0..1 */
	double *shifted;             /* per slot: share of the input moved from controlling countries'
	                              * suppliers to home or friendly ones, the step's mean */
	double *shift_end;           /* per slot: the same at the end of the step (next step's start) */
	double *link_shift;          /* per link: share of the slot's input added to (> 0, friendly) or
	                              * moved from (< 0, controlling) the link by the buyer this step */
	double *shift_generic;       /* per slot: shifted share bought from home generic producers */
	double *derisk_lost;         /* per firm: sales withheld by de-risking, bn USD per step */
	double *input_shift;         /* per firm: cost-share-weighted share of inputs shifted, 0..1 */
	double *pair_withheld;       /* [a*nc+b]: a's suppliers' sales withheld from b's firms, bn USD per step */
	double *pair_shifted;        /* [a*nc+b]: a's firms' purchases moved from b's suppliers, bn USD per step */

	double *home_mult;           /* per country: exp(home_bias), demand weight of domestic firms */

	/* country x firm masks (measures) */
	unsigned char *ban;          /* [c*nf+i] bit g: firm i barred from segment g of c */
	unsigned char *tech_denied;  /* [c*nf+i]: c denies firm i its technology (no imitation) */
	unsigned char *tech_denied_any; /* per firm: some country denies it its technology */
	double *tariff_rate;         /* [c*nf+i]: ad valorem tariff c charges on firm i's sales */
	double *compliance_cost;     /* [(c*nf+i)*TS_SEG_COUNT+g]: compliance cost, fraction of unit cost */
	/* The masks above as they were before the last rebuild (measures.c
	 * swaps them in and compares): the cells to build again are those of
	 * the country-sectors where a ban, tariff, compliance cost or subsidy
	 * moved, marked in cells_changed[c * ns + k]. */
	unsigned char *ban_before;
	double *tariff_before, *compliance_before, *subsidy_before;
	/* Per country, of the masks and of those before: 1 where its rows of
	 * ban, tariff_rate and compliance_cost may hold something (it was an
	 * actor of a measure in force when they were built); every other row
	 * is all zeros. */
	unsigned char *mask_rows, *mask_rows_before;
	unsigned char *cells_changed;
	unsigned char *inv_country_bans; /* per country, scratch of the invariants' check (invariants.c):
	                              * the union of its ban bits over every firm */
	int cells_rebuild_all;       /* 1: every cell is built again at each rebuild (0 unless a test
	                              * sets it, to compare the two: measures.c) */

	/* country x sector */
	double *support_per_year;    /* [c*ns+s] R&D budget from rd_investment, bn USD/yr */
	double *best_tech_cs;        /* [c*ns+s] best tech of c's firms in s; -inf with none */
	double *generic_tech;        /* [c*ns+s] tech of c's generic producers of s */
	double *substitute_purchases;/* [c*ns+s] scratch: re-sourced buying from c's s producers */
	double *capacity_cs;         /* [c*ns+s] total capacity of c's firms in s */
	double *revenue_cs;          /* [c*ns+s] scratch: revenue of c's firms in s */
	double *generic_dependence;  /* [(c*ns+s)*nc+d]: c's generic producers of s on d's technology */

	/* countries: accounts of the step (docs/model.md §7) */
	double *price_index;          /* geometric mean of P/P0 over segments with a price; NaN: none */
	double *welfare, *producer_profit, *exports, *imports;
	double *inputs_domestic, *inputs_total, *tech_gap, *country_rd, *country_jobs;
	double *country_unmet, *country_revenue;
	double *tariff_revenue;       /* per country: tariffs collected, bn USD per step */
	double *subsidy_spending;     /* per country: subsidies + capacity investment budgets, bn USD per step */
	double *capacity_budget;      /* per country: capacity investment budgets due this step, bn USD */
	double *capacity_country;     /* per country: total capacity of its firms, bn USD/yr */
	double *country_scratch;      /* per country, scratch */
	double *frontier;             /* per sector: best tech of any firm */

	/* measures and the step's events */
	ts_minst *minst;             /* [cap_minst]: n_minst used */
	int n_minst, cap_minst;
	ts_event *events;            /* [cap_minst]: each changes at most once a step */
	int n_events;

	/* ---- retaliation rules, deals, alliance pressure, tension (rules.c,
	 * deals.c, alliances.c, tension.c; docs/model.md §10-§13). Pair arrays
	 * are [a*nc+b], a != b. ---- */
	gsl_rng *policy_rng;         /* the policy's own stream: rules never shift R&D draws */
	gsl_rng *pressure_rng;       /* alliance pressure's, one uniform per pair and month (§12) */
	int npa;                     /* alliance pressure x ally pairs */
	double *tension;             /* [a*nc+b] tension index of the pair at the end of the step (symmetric) */
	double *damage;              /* [a*nc+b] damage a received from b this step, bn USD per step */
	double *damage_cum;          /* [a*nc+b] damage a received from b since step 0, bn USD */
	double *export_loss_cum;     /* [a*nc+b] sales a's suppliers could not make to b's firms
	                              * because of export controls, since step 0, bn USD */
	int *hostile_count;          /* [a*nc+b] hostile measures of a against b or b's firms in force */
	int *hostile_last;           /* [a*nc+b] the most recently started of them, -1 */
	unsigned char *stance;       /* [a*nc+b] ts_stance of a's rule toward b this step */
	double *fines;               /* per country: deal fines received this step, bn USD */
	double *policy_scratch;      /* per country, scratch */
	double *ref_revenue;         /* per firm: revenue at its last step with every input, bn USD/step */
	double *ref_output;          /* per firm: its real output then (ts_firm_real_sales), bn USD/step */
	double *ref_share;           /* like sales[]: the firm's share of segment demand at its last step
	                              * allowed; read through ts_tension_ref_share() */
	double *ref_scale;           /* per segment: > 0 while its row of ref_share is the row of sales
	                              * x this (1 / demand of the step that wrote the sales), written out
	                              * before a market would need it otherwise (tension.c); 0: the row
	                              * holds the shares */
	int *rule_menu_inst;         /* per rule menu entry: the instance it made, -1 */
	double *rule_menu_rate;      /* per rule menu entry: the rate a tariff entry is to have (§10) */
	int rates_changed;           /* a rule changed the rate of a measure in force this step */
	int *rule_streak;            /* per rule: consecutive perceived hostile steps */
	int *rule_seen;              /* per rule, the last reaction_steps steps (a ring, slot t mod
	                              * reaction_steps): what it saw, (hostile_last + 1) x 4 +
	                              * hostile x 2 + perceived; 0 before anything was seen */
	unsigned char *rule_triggered; /* per rule: grim trigger pulled; negotiate lifted */
	int *pa_pressure, *pa_ally, *pa_inst; /* per pressure-ally pair: measure, country, copy (-1) */
	double *pa_draw;             /* [month * npa + pair]: the step's uniforms of each pair, by month */
	const char **pa_name;        /* per pair: "<measure>@<ally>", in pa_names */
	char *pa_names;              /* storage of the names */
	int *deal_step;              /* per deal: step it triggered, -1 */
	int *deal_mseg;              /* per deal: market segment of its purchase, -1 */
	unsigned char *lifted;       /* per scenario measure: lifted by a deal, rules cannot restart it */
};

/* engine.c: one step, as ts_sim_step(); `hook`, when not NULL, is called
 * with `ctx` and the phase's name ("market_allocate", ..., "invariants")
 * after each phase of it, so that a benchmark can time the phases. */
typedef void ts_phase_hook(void *ctx, const char *phase);
int ts_engine_step(struct ts_sim *w, ts_phase_hook *hook, void *ctx, ts_error *err);

/* world.c: allocates the run state for scenario `scn` (which must outlive
 * it), solves the open market before step 0 and sets up the policy state;
 * TS_ENOMEM, or TS_EINPUT for a hand-built scenario whose inputs form a
 * cycle. ts_world_release() frees everything it allocated (also after a
 * failed init). */
int ts_world_init(struct ts_sim *w, const ts_scenario *scn, uint32_t seed, ts_error *err);
void ts_world_release(struct ts_sim *w);

/* measures.c: start and end measures for w->step; rebuild masks on change. */
void ts_measures_update(struct ts_sim *w);
/* Whether measure m covers sector k (no `sectors`: every sector). */
int ts_measure_covers_sector(const ts_scenario *s, const ts_measure_spec *m, int sector);
/* Whether m imposed by `actor` bears on firm i: its target firm, the target
 * country's firms, or (compliance without target) every foreign firm. */
int ts_measure_bears_on_firm(const ts_scenario *s, const ts_measure_spec *m, int actor, int firm);
/* Adds a measure instance applying scenario measure `spec` with `actor`,
 * in force over [start, end); id and cause must outlive the run. Returns its
 * index. The loader counts the slots rules and pressure can fill
 * (ts_scenario.n_dynamic_measures), so running out of them is a programming
 * error: callers assert the index (a release build gets -1 and adds nothing). */
int ts_measures_add(struct ts_sim *w, int spec, int actor, int start, int end,
                    const char *id, const char *cause);

/* measures.c: each firm's (and generic producer's) dependence on each
 * country's technology, for the foreign-direct-product rule; once, at init. */
void ts_measures_dependence(struct ts_sim *w);

/* node.c: process node of a firm of sector `sec` at log-tech `tech`
 * (docs/model.md §14): its feature size in nm, and the nearest standard node
 * as a label like "7nm" (a static string; "" for a sector without `node`). */
double ts_node_nm(const ts_sector_spec *sec, double tech);
const char *ts_node_label(const ts_sector_spec *sec, double tech);

/* Policy (docs/model.md §10-§13). Each *_init() runs once, after the open
 * market before step 0 is solved; each *_update() at the start of a step,
 * before ts_measures_update(), from the state at the end of the last step,
 * in the order deals, rules, alliances, anticipation. */

/* rules.c (§10): retaliation rules put their menu measures in force or
 * lift them. */
void ts_rules_init(struct ts_sim *w);
void ts_rules_update(struct ts_sim *w);

/* deals.c (§11): deals trigger and lift their measures; after the markets,
 * the purchases they commit buyers to; after the accounts, their fines. */
void ts_deals_init(struct ts_sim *w);
void ts_deals_update(struct ts_sim *w);
void ts_deals_purchases(struct ts_sim *w);
void ts_deals_fines(struct ts_sim *w);

/* alliances.c (§12): allies adopt copies of pressed measures. Init
 * allocates the copies' names (w->pa_names, freed by ts_world_release());
 * TS_ENOMEM. */
int ts_alliances_init(struct ts_sim *w, ts_error *err);
void ts_alliances_update(struct ts_sim *w);

/* tension.c (§10, §11, §13): after the accounts, the damage each country
 * received from each other, conflict losses, hostile measures in force and
 * the tension index. */
void ts_tension_init(struct ts_sim *w);
void ts_tension_update(struct ts_sim *w);
/* What the conflict with b has cost country a since step 0, bn USD (§11). */
double ts_tension_conflict_loss(const struct ts_sim *w, int a, int b);
/* At the start of a step's markets, before the sales are written again:
 * the reference shares of the segments that will not simply take the new
 * sales' shares (barred, tariffed, or without demand) are written out. */
void ts_tension_keep_shares(struct ts_sim *w);
/* ref_share of cell x (sector k's cell offset, as in sales[]) of segment m. */
double ts_tension_ref_share(const struct ts_sim *w, int m, size_t x);

/* supply.c: stockpile targets from tension (§13), at the start of a step. */
void ts_supply_anticipate(struct ts_sim *w);
/* derisking.c: which countries share a bloc (same_bloc), from the scenario. */
void ts_derisk_init(struct ts_sim *w);
/* derisking.c (§17): each link's de-risking cut and each slot's shifted
 * share, from the controls in force and the tension at the end of the last
 * step. After the events, before supply. */
void ts_derisk_update(struct ts_sim *w);
/* Share of link l's flow stopped this step: by export controls (§3.2) or
 * by the supplier's de-risking (§17), the larger. */
static inline double ts_link_cut(const struct ts_sim *w, int l)
{
	return ts_fmax(w->link_cut[l], w->derisk_cut[l]);
}
/* §4: re-sourcing over one step of length dt at a half-life: keep =
 * exp(-kappa dt) of the gap is left at the end, mean_keep = (1 - keep) /
 * (kappa dt) on average over the step. */
typedef struct ts_resourcing {
	double keep, mean_keep;
} ts_resourcing;
ts_resourcing ts_supply_resourcing(double half_life_years, double dt);

/* supply.c: stockpiles, controlled shares, substitution -> supply_factor. */
void ts_supply_update(struct ts_sim *w);
/* Intermediate purchases given final sales: fills input_sales and trade. */
void ts_supply_purchases(struct ts_sim *w);

/* market.c: split every market segment among eligible firms. Prepare
 * computes each firm's CES weight without measures and its real capacity
 * a step (§5). */
void ts_market_prepare(struct ts_sim *w);
void ts_market_allocate(struct ts_sim *w);
/* market.c: cell_weight[] from the wedges, bans and home multipliers in
 * force, in the segments of the country-sectors marked in changed[c * ns +
 * k] (NULL: all); whenever one of them changes. */
void ts_market_cell_weights(struct ts_sim *w, const unsigned char *changed);
/* clearing.c (§5): the firms' price factors that clear sector k's segments,
 * warm-started from price_factor[]; fills price_factor[], factor_weight[],
 * clear_unit[] (the firms' weights: shares of spending with
 * ts_market_omega()), clear_total[] and desired[] (real
 * demand). Returns the Newton iterations used. */
int ts_clearing_solve(struct ts_sim *w, int k);
/* The Newton terms of sector k's firms above their knee (clear_z > 0) at
 * the prices as they stand, as a pass over the active firms' cells
 * leaves them: clear_d, clear_cs and clear_active, and the dense block in
 * clear_matrix (scratch, and desired[] of the sector's firms). Returns
 * how many firms are active. For the tests: the factored sums against the
 * cell-by-cell ones (clear_cells_only). */
int ts_clearing_terms(struct ts_sim *w, int k);
/* For the tests: y = Q v over the n active rows whose cross terms' factors
 * ts_clearing_terms() stored, Q the dense block's entries, applied without
 * forming it (the Newton steps of more active firms than clear_dense). */
void ts_clearing_cross_apply(struct ts_sim *w, int k, int n, const double *v, double *y);
/* The supply curve (§5): price factor at capacity use u, and capacity use
 * at price factor phi (on the flat part below the knee: the knee). */
double ts_clearing_factor(double u, double knee, double steepness);
/* Solves (diag(delta) - c (p1 q1' + p2 q2')) x = f for x, in f, by the
 * Sherman-Morrison-Woodbury identity (z1, z2: scratch of n): the Newton
 * step of a sector with more active firms than clear_dense (§5). A row
 * whose delta is not positive gets 0 and no share in the coupling; where
 * the 2 x 2 system left is singular, the diagonal step f / delta. */
void ts_clearing_rank2_solve(int n, const double *delta, const double *p1, const double *p2, const double *q1,
                             const double *q2, double c, double *f, double *z1, double *z2);
double ts_clearing_use(double phi, double knee, double steepness);
/* The weight of cell `a` of segment m (at its start in sales[]) besides
 * the firm's own factors: the measures and home bias of cell_weight[] x
 * buyers' ties (where some are below 1, else they are 1). */
static inline double ts_market_omega(const struct ts_sim *w, int m, size_t at, int a)
{
	return w->ties_settled[m] ? w->cell_weight[at + (size_t)a] : w->cell_weight[at + (size_t)a] * w->relation[at + (size_t)a];
}
/* How a segment's sales are kept (sales_factored); the accounts mark the
 * segments they sum through the factors with TS_SALES_SUMMED meanwhile. */
enum { TS_SALES_WRITTEN = 0, TS_SALES_FACTORED = 1, TS_SALES_RATIONED = 2, TS_SALES_KIND = 3, TS_SALES_SUMMED = 4 };
static inline int ts_sales_kind(const struct ts_sim *w, int m)
{
	return w->sales_factored[m] & TS_SALES_KIND;
}
/* Cell `a` of segment m's sales (`at`: the segment's start in sales[]). */
static inline double ts_market_sale(const struct ts_sim *w, int m, size_t at, int a)
{
	int kind = ts_sales_kind(w, m);
	if (kind == TS_SALES_WRITTEN)
		return w->sales[at + (size_t)a];
	int f = w->sector_firm_first[w->msegs[m].sector] + a;
	if (kind == TS_SALES_RATIONED && w->sales_ration[f] >= 0.0)
		return (w->sales_pw1[m] * (w->cell_weight[at + (size_t)a] * w->sales_unit1[f])) * w->sales_ration[f];
	return w->sales_pw[m] * (w->cell_weight[at + (size_t)a] * w->sales_unit[f]);
}
/* Segment m's row of sales (at its start `at`): in sales[], or, for a
 * factored segment, written out into row_scratch (valid until the next
 * call). */
const double *ts_market_row(const struct ts_sim *w, int m, size_t at);
/* Segment m's row of sales for the sums of sums.h: sales[] from `at`, the
 * factored split's factors, or with rationed firms the row written out
 * (ts_market_row()); each entry as ts_market_sale() gives it. */
static inline ts_row ts_market_row_of(const struct ts_sim *w, int m, size_t at)
{
	int kind = ts_sales_kind(w, m);
	if (kind != TS_SALES_FACTORED)
		return (ts_row){.x = kind == TS_SALES_WRITTEN ? w->sales + at : ts_market_row(w, m, at)};
	return (ts_row){.weight = w->cell_weight + at, .unit = w->sales_unit + w->sector_firm_first[w->msegs[m].sector],
	                .scale = w->sales_pw[m]};
}
/* Writes a factored segment's sales out into sales[] (none if it is not
 * factored): before its cell weights change or a cell is written. */
void ts_market_write_row(struct ts_sim *w, int m);
/* sum_a omega_a x unit[a] over segment m's cells (unit by position in its
 * sector's firms), in the fixed order of sums.h. */
double ts_market_row_total(const struct ts_sim *w, int m, const double *unit);
/* The same with unit_sum = ts_sum(unit, the sector's firms) known. */
double ts_market_row_sum(const struct ts_sim *w, int m, const double *unit, double unit_sum);
/* Whether segment m's sums start from the sum over all its firms:
 * its ties settled and at most a quarter of its cells exceptions. */
static inline int ts_market_row_sparse(const struct ts_sim *w, int m, int nfs)
{
	return w->ties_settled[m] && 4 * w->exc_count[m] <= nfs;
}
/* Segment m's exceptions as the sums read them (sparse segments only:
 * ts_market_row_sparse()): positions, cell_weight - 1, cell_receipt - 1. */
typedef struct ts_exceptions {
	const int *pos;
	const double *weight, *receipt;
	int n;
} ts_exceptions;

static inline ts_exceptions ts_market_exceptions(const struct ts_sim *w, int m)
{
	size_t f = w->exc_first[m];
	return (ts_exceptions){w->pexc_pos + f, w->pexc_weight + f, w->pexc_receipt + f, w->exc_count[m]};
}
/* Whether firm i can sell in segment ms: allowed there, with real capacity. */
static inline int ts_market_able(const struct ts_sim *w, const ts_mseg *ms, int i)
{
	return !(w->ban[ms->country * w->nf + i] & (1u << ms->segment)) && w->cap_step[i] > 0.0 &&
	       w->output_cap[i] > 0.0;
}
/* Whether firm i is rationed by its inputs in this step's markets: short
 * of them (§4), it sells a fixed share of what it would have sold, at the
 * price it would have sold at (output_cap, finite only then; market.c). */
static inline int ts_market_rationed(const struct ts_sim *w, int i)
{
	return isfinite(w->output_cap[i]);
}
/* Real capacity of firm i for final sales: its capacity, at most what its
 * inputs allow; final markets come first, intermediate orders take what
 * they leave (docs/model.md §5, §6). */
static inline double ts_market_final_room(const struct ts_sim *w, int i)
{
	return ts_fmin(w->cap_step[i], w->output_cap[i]);
}
/* Firm i's real output in the step, bn USD at base price (docs/model.md §5,
 * §7): final sales over the price factor plus input sales, which are made
 * at base price (§6). What capacity bounds and cost of goods follows. */
static inline double ts_firm_real_sales(const struct ts_sim *w, int i)
{
	return (w->revenue[i] - w->input_sales[i]) / w->price_factor[i] + w->input_sales[i];
}

/* What firm i spends on inputs per unit of cost share at its last step
 * with every input, bn USD per step: its real output then over its
 * sector's markup, as it buys them (docs/model.md §6). What an export
 * control would stop (§10) and what a cut supplier loses (§11). */
static inline double ts_firm_ref_input_cost(const struct ts_sim *w, int i)
{
	return w->ref_output[i] / w->markup[w->scn->firms[i].sector];
}

/* Cost of goods of firm i in the step: real output over its markup mu_i
 * (docs/model.md §7); a scarcity premium is profit. */
static inline double ts_firm_cost_of_goods(const struct ts_sim *w, int i)
{
	return ts_firm_real_sales(w, i) / w->cost_markup[i];
}

/* Real capacity use of firm i in the step, at most 1 (§5, §6, §15): final
 * sales at its price factor, intermediate sales at its base price,
 * ((revenue - input sales) / phi + input sales) / capacity. */
static inline double ts_firm_capacity_use(const struct ts_sim *w, int i)
{
	return ts_firm_real_sales(w, i) / (w->capacity_eff[i] / w->scn->run.steps_per_year);
}
/* CES price index of segment mseg over the firms able to sell there, with
 * the wedges (open_market: every firm of the sector, no wedge); INFINITY
 * when there is none: the good is unavailable (docs/model.md §5). */
double ts_market_price_index(struct ts_sim *w, int mseg, int open_market);

/* capacity.c (§16): at the end of a step, expected sales and profit, capacity
 * worn out, arrived and ordered; the next step's markets read it. */
void ts_capacity_update(struct ts_sim *w);
/* Firm i's build lag in whole steps: build_lag x steps_per_year, rounded. */
int ts_capacity_lag_steps(const ts_scenario *s, int i);

/* accounts.c: firm and country accounts of the step. */
void ts_accounts_update(struct ts_sim *w);
/* Country c's national welfare (docs/model.md §7), bn USD per step: consumer
 * welfare + producer profit + tariff revenue + fines - subsidy spending, of
 * the step just computed (fines included: call after ts_deals_fines()). */
double ts_accounts_national_welfare(const struct ts_sim *w, int c);
/* Best firm tech per country and sector, the tech of generic producers
 * (their best firm, else base_tech), the frontier and each country's
 * technology gap, from w->tech: called whenever tech changes (at init and
 * after R&D), so they always describe w->tech. */
void ts_accounts_technology(struct ts_sim *w);

/* innovation.c: R&D spending, innovation, imitation, ceilings -> tech_next. */
void ts_innovation_update(struct ts_sim *w);
/* §8.1, in the accounts once revenue is known: each firm's denial D and
 * R&D intensity (rd_level, rd_applied) and its country's denial sums. */
void ts_innovation_intensity(struct ts_sim *w);
/* §8.1 at init, after the open market: intensities at rd_intensity, the
 * step-0 gaps and the per-step shares of the response half-lives. */
void ts_innovation_init(struct ts_sim *w);

/* invariants.c: what must hold after every step (docs/model.md §15);
 * TS_ERUN naming the entity, the step and the value of the first broken. */
int ts_invariants_check(const struct ts_sim *w, ts_error *err);

/* Whether measure instance `inst` (-1: none) is scheduled in force at `step`. */
static inline int ts_minst_in_force(const struct ts_sim *w, int inst, int step)
{
	return inst >= 0 && w->minst[inst].start <= step && step < w->minst[inst].end;
}

static inline double ts_mseg_demand(const struct ts_sim *w, int m, int step)
{
	return w->msegs[m].base_demand * exp(w->msegs[m].log_growth_per_step * (double)step);  /* (1 + g)^(step / steps a year) */
}

#endif
