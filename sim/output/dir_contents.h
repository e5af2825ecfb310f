#ifndef TS_OUTPUT_DIR_CONTENTS_H
#define TS_OUTPUT_DIR_CONTENTS_H
/* What an output directory holds, and whether a new output may go there.
 * A run, a set of replications, a comparison or a sweep claims its
 * directory (holding its lock) before it writes: a directory that holds
 * another kind of output, or the same kind of another scenario, is refused
 * with what is there ("out/x holds a sweep of y.cfg (sweep.json); use
 * --force to replace it or another -o"); the same kind of the same
 * scenario is fine (a run overwrites it, a sweep resumes it). With force,
 * the directory is cleared first of every file tradesim writes, and
 * refused, naming them, if it holds any other file: those are the user's. */
#include <tradesim/error.h>

typedef enum ts_output_kind {
	TS_OUTPUT_RUN = 0, TS_OUTPUT_REPLICATIONS, TS_OUTPUT_COMPARISON, TS_OUTPUT_SWEEP, TS_OUTPUT_CALIBRATION,
	TS_OUTPUT_KINDS
} ts_output_kind;

/* The names run.json records under "kind". */
extern const char *const ts_output_kind_names[TS_OUTPUT_KINDS];

typedef struct ts_output_claim {
	ts_output_kind kind;
	const char *scenario;        /* the scenario as named (a comparison: A; a sweep: its scenario) */
	const char *scenario_b;      /* a comparison's B; else NULL */
	int force;                   /* clear the directory of tradesim's files first */
} ts_output_claim;

/* Checks the existing, locked directory `dir` against the claim, and with
 * force clears it. A sweep directory of any sweep passes here: which sweep
 * it holds is the journal's check (sweep.json's hash); so does a
 * calibration's of any calibration (calibrate.json's hash). TS_EINPUT with what
 * the directory holds, or with the files that are not tradesim's (force);
 * TS_EIO when it cannot be read or cleared. */
int ts_output_claim_dir(const char *dir, const ts_output_claim *claim, ts_error *err);

/* Whether `name` (an entry of an output directory, or with `in_run` of a
 * sweep's runs/<run>/) is a file tradesim writes there: a table, summary,
 * comparison, metadata, sweep or calibration file, temporary or a plot of
 * analysis/. */
int ts_output_is_tradesim_name(const char *name, int in_run);

#endif
