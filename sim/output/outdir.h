#ifndef TS_OUTPUT_OUTDIR_H
#define TS_OUTPUT_OUTDIR_H
/* An output directory while a run, a set of replications or a comparison
 * writes into it: created if missing, locked against every other writer
 * (util/lock.h), cleared of the temporaries that killed runs left, and
 * switched to the new files only when all of them are written. A directory
 * with run.json then holds one complete output of one kind, and nothing
 * stale from an output of another kind. */
#include <stdio.h>
#include "output/csv.h"
#include "output/dir_contents.h"
#include "util/lock.h"

typedef struct ts_outdir {
	const char *path;            /* not owned */
	ts_dir_lock lock;
	ts_csv *files;               /* owned: files[0..n) in commit order; the last one
	                              * (run.json) vouches for the others */
	int n, capacity;
} ts_outdir;

#define TS_OUTDIR_INIT {NULL, TS_DIR_LOCK_INIT, NULL, 0, 0}

/* mkdir -p with a check that the result is a writable directory
 * (TS_EINPUT naming the path otherwise). */
int ts_make_dirs(const char *path, ts_error *err);

/* Creates `path` if missing, takes its lock (TS_EBUSY while another writer
 * holds it), removes stale temporaries, checks the claim (dir_contents.h:
 * TS_EINPUT for a directory that holds another output; with force, clears
 * it; claim NULL: no check) and makes room for `capacity` files. Nothing
 * is written before the lock is held. Call ts_outdir_close() in every
 * case. */
int ts_outdir_open(ts_outdir *d, const char *path, int capacity, const ts_output_claim *claim, ts_error *err);

/* The next file, in commit order: a zeroed ts_csv to open with ts_csv_open()
 * or ts_csv_open() in d->path. At most `capacity` of them. */
ts_csv *ts_outdir_add(ts_outdir *d);

/* `"files": [...]`: the names of the files added so far (run.json's own
 * included when it is added before it is written), for run.json. */
void ts_outdir_json_files(FILE *fp, const ts_outdir *d);

/* If rc is TS_OK (every file written and closed): removes the old run.json,
 * then the outputs of the other kinds of tradesim output that the new set
 * does not replace (known names only: a run's tables, summary_*.csv,
 * compare_*.csv, reps.csv, scenario.cfg; never another file), then renames
 * the files into place in order, run.json last. Whatever rc, the
 * temporaries left are removed. Returns the first failure, or rc. */
int ts_outdir_commit(ts_outdir *d, int rc, ts_error *err);

/* Removes uncommitted temporaries, releases the lock, frees. Safe after a
 * failed open and to repeat. */
void ts_outdir_close(ts_outdir *d);

#endif
