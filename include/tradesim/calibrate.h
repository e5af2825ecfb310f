#ifndef TRADESIM_CALIBRATE_H
#define TRADESIM_CALIBRATE_H
/* Calibration (docs/calibration.md): a calibration file names a scenario, a
 * facts file and the scenario settings left free, with bounds. The free
 * parameters are estimated by the method of simulated moments with common
 * random numbers (every candidate runs the same R seeds): the loss of a
 * candidate is sum over facts of ((simulated mean - observed) / tolerance)^2.
 * The search is a space-filling design (Sobol or Latin hypercube) followed by
 * Nelder-Mead (GSL's nmsimplex2) from the best design points; then a loss
 * profile along each parameter through the best point. Every evaluation is
 * journaled in DIR/calibrate.csv, so a killed calibration resumes where it
 * stopped and writes the same bytes. */
#include <tradesim/api.h>
#include <signal.h>
#include <tradesim/error.h>

TS_BEGIN_DECLS

typedef struct ts_calibration ts_calibration;  /* a loaded calibration file, then its results */

/* Loads and checks the calibration file at path: the scenario and facts
 * (relative to the file's directory) must load, and each parameter's bounds
 * must apply to the scenario. TS_EINPUT with every problem as
 * "FILE:LINE: SETTING: what"; on success *out is freed with
 * ts_calibration_free(). */
TS_API int ts_calibration_load(ts_calibration **out, const char *path, ts_error *err);
/* The same from text; name stands for the file in messages, dir (may be
 * NULL: the working directory) is where scenario and facts are resolved. */
TS_API int ts_calibration_load_string(ts_calibration **out, const char *text, const char *name, const char *dir,
                                      ts_error *err);
TS_API void ts_calibration_free(ts_calibration *c);

TS_API int ts_calibration_params(const ts_calibration *c);
TS_API const char *ts_calibration_param_path(const ts_calibration *c, int j);
/* The most evaluations the calibration can make: design points + starts x
 * evaluations + parameters x profile points + 1 (the best point's check). */
TS_API long ts_calibration_budget(const ts_calibration *c);
/* SHA-256 (hex) of the calibration file, its scenario and its facts. */
TS_API const char *ts_calibration_hash(const ts_calibration *c);

/* A calibration spread over several processes (the CLI's MPI ranks; the
 * library knows nothing of how they talk). Every process runs the same
 * search; of each batch of evaluations, process p makes items i with
 * i % processes == p, and exchange() gives every process every item. Only
 * process 0 touches output_dir (its lock, journal and files) and calls
 * progress; the outputs are the bytes one process writes alone. */
typedef struct ts_calibrate_share {
	int process, processes;          /* this one, 0 .. processes - 1 */
	long batch;                      /* evaluations per exchange, the same on every process (>= 1) */
	/* rows[0 .. n-1]: the items this process made set (malloc'd text), the
	 * others NULL; status: this process's (its message in err). Every
	 * process calls it alike and gets the first failing process's status
	 * (its message in err on process 0); on TS_OK every rows[i] is set
	 * (malloc'd, the caller frees them), else the rows are freed and NULL.
	 * The calibration calls it for each batch, once with the journal read
	 * back (n = 1, process 0's) and once at the end (n = 0, rows NULL), so
	 * a process that fails between two calls tells the others at the next;
	 * after a failure it returned, it is not called again. */
	int (*exchange)(void *ctx, char **rows, long n, int status, ts_error *err);
	void *ctx;
} ts_calibrate_share;

typedef struct ts_calibrate_options {
	const char *output_dir;          /* required */
	int jobs;                        /* threads; 0: one per processor; the outputs do not depend on it */
	volatile sig_atomic_t *cancel;   /* may be NULL: set to stop after the running evaluations (TS_ECANCELED) */
	/* Called on the calling thread after each evaluation journaled (and
	 * once at the start): evaluations done, of at most total. */
	void (*progress)(void *ctx, long done, long total);
	void *progress_ctx;
	/* output_dir holding another output than a calibration (a run, a
	 * sweep...) or another calibration is refused (TS_EINPUT, saying what
	 * it holds); force: tradesim's files there are removed first and the
	 * calibration starts over (as ts_run_options' force, output.h). */
	int force;
	const ts_calibrate_share *share;  /* NULL: this process makes every evaluation */
} ts_calibrate_options;

#define TS_CALIBRATE_OPTIONS_INIT {NULL, 0, NULL, NULL, NULL, 0, NULL}

/* Runs the calibration into output_dir (created if missing, locked
 * meanwhile: TS_EBUSY), reusing the evaluations a killed run journaled
 * there, and writes calibrate.csv, best.csv, best.cfg, check.csv,
 * acceptance.csv and profile.csv. A failed run makes its candidate's row
 * "failed", not the calibration. TS_EINPUT when output_dir holds another
 * output or another calibration's journal (unless force); TS_ECANCELED (the journal kept: the same call
 * resumes). */
TS_API int ts_calibration_run(ts_calibration *c, const ts_calibrate_options *o, ts_error *err);

/* After ts_calibration_run(): the best point's loss and parameter j's
 * value there; the acceptance set's range of parameter j (design points
 * whose every fact's simulated mean is within its tolerance): *lo, *hi
 * NaN and the count 0 when no point is accepted. */
TS_API double ts_calibration_best_loss(const ts_calibration *c);
TS_API double ts_calibration_best_value(const ts_calibration *c, int j);
TS_API long ts_calibration_accepted(const ts_calibration *c);
TS_API void ts_calibration_range(const ts_calibration *c, int j, double *lo, double *hi);
TS_API long ts_calibration_evaluations(const ts_calibration *c);
TS_API long ts_calibration_failed(const ts_calibration *c);

TS_END_DECLS

#endif
