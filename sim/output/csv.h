#ifndef TS_CSV_H
#define TS_CSV_H
/* Streaming CSV files written under a temporary name and committed by
 * rename. Numbers print with the shortest "%.Ng" that reads back to the same
 * double, '.' as decimal point (callers run under the "C" locale); NaN and
 * infinities print as empty cells. Write errors stick and are reported by
 * ts_csv_close(). */
#include <stdio.h>
#include <tradesim/error.h>

typedef struct ts_csv {
	FILE *fp;
	char *tmp_path;      /* owned */
	char *final_path;    /* owned */
	int first_field;     /* no separator before the next field */
	char *buffer;        /* owned: fp's buffer (TS_CSV_BUFFER bytes), freed after fp is closed */
	char *row;           /* owned: the row being written, out to fp whole by ts_csv_end_row() */
	size_t row_len, row_cap;
	int row_failed;      /* a row outgrew memory: reported by ts_csv_close() */
} ts_csv;

/* Bytes of a ts_csv_open() stream's buffer: rows go out a write call per
 * this many bytes. */
#define TS_CSV_BUFFER (1 << 16)

/* Create DIR/.NAME.<pid>.<id>.<attempt>.tmp and write the header line (none
 * if NULL: any text file written under a temporary name, e.g. run.json).
 * On failure *csv holds nothing to discard. */
int ts_csv_open(ts_csv *csv, const char *dir, const char *name, const char *header, ts_error *err);
void ts_csv_text(ts_csv *csv, const char *text);
void ts_csv_int(ts_csv *csv, long value);
void ts_csv_num(ts_csv *csv, double value);
/* Ends the row and hands it to fp in one write: a caller may write to fp
 * itself between rows. */
void ts_csv_end_row(ts_csv *csv);

/* A ts_csv over a stream the caller opened and closes (an in-memory one,
 * say): no file of its own (fp NULL: the empty state ts_csv_open() starts
 * from). ts_csv_release() frees its row and returns nonzero if a row
 * outgrew memory. */
void ts_csv_over(ts_csv *csv, FILE *fp);
int ts_csv_release(ts_csv *csv);

/* Flush (a row not ended too), sync and close; on any write error report it
 * and return TS_EIO. */
int ts_csv_close(ts_csv *csv, ts_error *err);
/* Move the finished (closed) file to its final name. */
int ts_csv_commit(ts_csv *csv, ts_error *err);
/* Close if open, remove the temporary file, free names. Safe to repeat. */
void ts_csv_discard(ts_csv *csv);

/* Shortest round-trip formatting into buf (cut to size; 32 bytes hold any
 * double); "" for non-finite. */
void ts_format_double(char *buf, size_t size, double value);

/* 1 if `name` (a file name, no directory) has the form ts_csv_open gives its
 * temporaries (".NAME.<pid>.<hex id>.<attempt>.tmp"), else 0. */
int ts_csv_is_temp_name(const char *name);

/* Removes from dir every regular file or symbolic link whose name has the
 * form of a temporary: what runs that were killed left behind. Only for a
 * caller that holds the directory's lock (util/lock.h), so that no live
 * writer's temporaries are there. */
int ts_csv_remove_stale(const char *dir, ts_error *err);

#endif
