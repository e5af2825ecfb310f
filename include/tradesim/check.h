#ifndef TRADESIM_CHECK_H
#define TRADESIM_CHECK_H
/* Scoring a scenario against facts (docs/calibration.md): the scenario, and
 * each counterfactual variant the facts name, run over R seeds with common
 * random numbers (replication r of every variant with the same seed), and
 * each fact's simulated values summarized against its observed value. */
#include <tradesim/api.h>
#include <signal.h>
#include <stdint.h>
#include <tradesim/error.h>
#include <tradesim/scenario.h>

TS_BEGIN_DECLS

typedef struct ts_check ts_check;  /* opaque: facts loaded against a scenario, and their scores */

/* Loads the facts file at facts_path against scenario s (which must outlive
 * the check), loaded from its file with overrides[0 .. n_overrides) (may be
 * NULL, 0): each counterfactual variant is loaded with them and then its
 * own. TS_EINPUT with every problem as "FILE:LINE: SETTING: what"; on
 * success *out is freed with ts_check_free(). */
TS_API int ts_check_load(ts_check **out, const ts_scenario *s, const char *facts_path, const ts_override *overrides,
                  size_t n_overrides, ts_error *err);
TS_API void ts_check_free(ts_check *c);

typedef struct ts_check_options {
	int reps;                        /* seeds, >= 1 */
	int jobs;                        /* threads; 0: one per processor */
	uint32_t base_seed;              /* 0: the scenario's run.seed; replication r: ts_seed_derive(base, r) */
	volatile sig_atomic_t *cancel;   /* may be NULL: set to stop at the next step boundary (TS_ECANCELED) */
	/* May be NULL. Called as runs finish (from the worker threads, one call
	 * at a time) with how many are done of how many (reps x (1 + the
	 * counterfactuals)); progress_failed, if not NULL, just before it with
	 * how many of them failed. Neither may call into the check. */
	void (*progress)(void *ctx, long done, long total);
	void (*progress_failed)(void *ctx, long failed);
	void *progress_ctx;
} ts_check_options;

#define TS_CHECK_OPTIONS_INIT {20, 0, 0, NULL, NULL, NULL, NULL}

/* Runs the replications and scores every fact. The scores do not depend on
 * jobs. TS_ERUN when a run breaks (its seed named), TS_ECANCELED. */
TS_API int ts_check_run(ts_check *c, const ts_check_options *o, ts_error *err);

/* One fact's score, after ts_check_run(). Strings belong to the check. */
typedef struct ts_fact_score {
	const char *name, *source;
	double observed, tolerance;      /* tolerance: the absolute half-width used */
	double mean, q05, q95;           /* of the simulated values (non-finite dropped) */
	int within, reps;                /* seeds with |simulated - observed| <= tolerance, of reps */
	int pass;                        /* within >= 95% of reps: 19 of 20 */
} ts_fact_score;

/* The pass rule: at least 95% of the seeds within tolerance (19 of 20,
 * 95 of 100, 1 of 1), counted in integers. */
TS_API int ts_check_passes(int within, int reps);

TS_API int ts_check_facts(const ts_check *c);
TS_API void ts_check_score(const ts_check *c, int k, ts_fact_score *out);
/* 1 when every fact passes. */
TS_API int ts_check_passed(const ts_check *c);

/* DIR/check.csv (DIR created if missing): fact,observed,tolerance,mean,
 * q05,q95,within,reps,share_within,pass,source; written under a temporary
 * name and renamed into place. */
TS_API int ts_check_write_csv(const ts_check *c, const char *dir, ts_error *err);

TS_END_DECLS

#endif
