#ifndef TS_CALIBRATE_IMPL_H
#define TS_CALIBRATE_IMPL_H
/* A calibration and the files that share it:
 *   calibrate_file.c     loading a calibration file (strict, FILE:LINE messages)
 *   calibrate_eval.c     one candidate: the scenario with its values, scored by check
 *   calibrate_search.c   the design, Nelder-Mead from the best points, the profiles
 *   calibrate_journal.c  calibrate.csv: every evaluation, and resuming from it
 *   calibrate_out.c      best.csv, best.cfg, check.csv, acceptance.csv, profile.csv */
#include <stdio.h>
#include <tradesim/calibrate.h>
#include <tradesim/check.h>
#include <tradesim/scenario.h>
#include "batch/facts.h"
#include "util/lock.h"

#define TS_CALIB_MAX_PARAMS 40       /* the Sobol sequence's dimensions */
/* The loss the local search sees at a candidate whose loss is undefined (a
 * failed run, a fact with no finite value): worse than any real loss, and
 * finite, as GSL's simplex needs at its corners. */
#define TS_CALIB_PENALTY 1e100

typedef enum ts_calib_phase { TS_CALIB_DESIGN = 0, TS_CALIB_SEARCH, TS_CALIB_PROFILE, TS_CALIB_BEST } ts_calib_phase;
extern const char *const ts_calib_phase_names[4];

typedef struct ts_calib_param {
	char *path;                  /* a `--set` path of the scenario */
	int line;
	double lo, hi;
	int log_scale;
} ts_calib_param;

/* One evaluated candidate. */
typedef struct ts_calib_eval {
	ts_calib_phase phase;
	int group;                   /* design: point; search: start; profile: parameter */
	double *u;                   /* [d] unit-cube coordinates */
	double *value;               /* [d] parameter values as applied */
	double *mean;                /* [n_facts] simulated means */
	double loss;                 /* NaN: undefined (failed, or a fact without a finite mean) */
	int failed;
	char *message;               /* a failure's reason, one line */
} ts_calib_eval;

struct ts_calibration {
	char *path, *dir;            /* the file as named, and its directory */
	char *text;                  /* the calibration file's text (its identity) */
	char *scenario_path, *scenario_dir, *scenario_text;
	char *facts_path, *facts_text;
	ts_scenario *base;           /* the scenario as written */
	ts_facts *facts;             /* loaded against base: names, observed values, tolerances */
	int n_params;
	ts_calib_param *params;
	int reps;
	unsigned long seed;          /* base seed of the R seeds */
	int design_lhs;              /* 0: Sobol, 1: Latin hypercube */
	long points;
	int starts;
	long evaluations;            /* per start */
	double simplex, tolerance;
	int profile;
	char hash[65];               /* of the file, the scenario and the facts */

	/* The run. */
	ts_calib_eval *evals;
	long n_evals, cap_evals;
	long best;                   /* index of the best design or search evaluation, -1 none */
	ts_check *best_check;        /* the best point's scores */
	ts_scenario *best_scenario;
	long accepted;
	double *acc_lo, *acc_hi;     /* [d] */
};

/* ---- calibrate_eval.c ---- */

/* Values of parameter j at coordinate u (in [0, 1]). */
double ts_calib_value(const ts_calibration *c, int j, double u);
/* Fills e (its phase and group set, u[] given) by running the candidate:
 * the scenario with the values applied, scored over the R seeds with jobs
 * threads. A failing run or a value the scenario refuses is recorded in e;
 * only TS_ENOMEM and TS_ECANCELED are returned. */
int ts_calib_evaluate(const ts_calibration *c, ts_calib_eval *e, int jobs, volatile sig_atomic_t *cancel,
                      ts_error *err);
/* The loss and acceptance of the means of e (every fact within tolerance). */
double ts_calib_loss(const ts_calibration *c, const double *mean);
int ts_calib_accepts(const ts_calibration *c, const double *mean);
/* The scenario with the values of e applied (the caller frees it), and the
 * check of it run over the R seeds (for the best point). */
int ts_calib_scenario(const ts_calibration *c, const double *value, ts_scenario **out, ts_error *err);
int ts_calib_check(const ts_calibration *c, const ts_scenario *s, const double *value, int jobs,
                   volatile sig_atomic_t *cancel, ts_check **out, ts_error *err);
/* An evaluation's arrays, allocated for the calibration's sizes, and freed. */
int ts_calib_eval_alloc(const ts_calibration *c, ts_calib_eval *e);
void ts_calib_eval_release(ts_calib_eval *e);

/* ---- calibrate_journal.c ---- */

typedef struct ts_calib_journal {
	const ts_calibration *c;
	char *dir;
	ts_dir_lock lock;
	char **cached;               /* rows read back from an earlier run, [n_cached] */
	long n_cached, next;         /* next: rows written to the journal */
	FILE *fp;                    /* the journal being written */
	char *path;                  /* calibrate.csv.part */
	int replaying;               /* rows still come from the cache (until the first that differs) */
	int writes;                  /* 0: another process keeps the files (no dir, no lock, no file) */
} ts_calib_journal;

/* Locks dir, claims it for a calibration (another output there is refused,
 * or with force cleared: output/dir_contents.h), reads back the journal (or
 * calibrate.csv) an earlier run left there (TS_EINPUT if it is another
 * calibration's), and starts the journal. */
int ts_calib_journal_open(ts_calib_journal *j, const ts_calibration *c, const char *dir, int force, ts_error *err);
/* A journal of a process that writes nothing (share->process > 0): rows
 * are counted, not written; its cache comes from ts_calib_journal_share. */
void ts_calib_journal_quiet(ts_calib_journal *j, const ts_calibration *c);
/* Gives every process process 0's cache (the rows read back), status
 * being this process's so far; returns the share's verdict. */
int ts_calib_journal_share(ts_calib_journal *j, const ts_calibrate_share *share, int status, ts_error *err);
/* Row `index` of calibrate.csv for e, "\n" included (malloc'd), or NULL;
 * and e (phase, group and u set) filled from such a row: 1 when the row is
 * e's and reads back to the same bytes, else 0 (e left unfilled). */
char *ts_calib_row(const ts_calibration *c, const ts_calib_eval *e, long index);
int ts_calib_from_row(const ts_calibration *c, ts_calib_eval *e, long index, const char *row);
/* The cached row for the next evaluation, parsed into e (whose phase, group
 * and u are set) if it is there and is e's; 1 then, else 0. */
int ts_calib_journal_take(ts_calib_journal *j, ts_calib_eval *e);
/* Appends e's row (durably). */
int ts_calib_journal_append(ts_calib_journal *j, const ts_calib_eval *e, ts_error *err);
/* Complete: renames the journal to calibrate.csv; else keeps it. Always
 * releases everything, the lock last. */
int ts_calib_journal_close(ts_calib_journal *j, int complete, ts_error *err);
/* The header of calibrate.csv (malloc'd, no newline). */
char *ts_calib_header(const ts_calibration *c);

/* ---- calibrate_search.c ---- */

typedef struct ts_calib_run {
	ts_calibration *c;
	const ts_calibrate_share *share;  /* NULL: alone */
	ts_calib_journal *journal;
	int jobs;
	volatile sig_atomic_t *cancel;
	void (*progress)(void *ctx, long done, long total);
	void *progress_ctx;
	long done, total;            /* for progress */
	int told;                    /* a share's exchange returned a failure: every process has it */
} ts_calib_run;

/* The design, the searches and the profiles, every evaluation journaled. */
int ts_calib_search(ts_calib_run *r, ts_error *err);

/* ---- calibrate_out.c ---- */

/* The acceptance set's ranges from the design evaluations. */
void ts_calib_accept(ts_calibration *c);
/* best.csv, best.cfg, check.csv, acceptance.csv, profile.csv into dir. */
int ts_calib_write(const ts_calibration *c, const char *dir, ts_error *err);

#endif
