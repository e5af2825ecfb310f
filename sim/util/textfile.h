#ifndef TS_TEXTFILE_H
#define TS_TEXTFILE_H
/* Whole files read into memory: scenarios and the files they include, sweep
 * files, and a sweep directory's small files. */
#include <stddef.h>
#include <tradesim/error.h>

/* The largest file read whole, in bytes (docs/scenario.md, "Limits"): a
 * scenario of 25,000 firms is about 5 MiB; anything near this limit would
 * take the parser minutes and the tree gigabytes. */
#define TS_TEXTFILE_MAX_BYTES (64L * 1024 * 1024)

/* Reads the regular file at `path`: *text (the caller frees it) gets its bytes
 * plus a NUL, *length (if not NULL) their count, which differs from strlen()
 * when the file holds a NUL byte. Returns TS_OK; TS_EIO when the file cannot
 * be opened or read; TS_EINPUT when it is not a regular file (a directory, a
 * device such as /dev/zero, a FIFO) or holds more than TS_TEXTFILE_MAX_BYTES;
 * TS_ENOMEM. On failure *text is NULL and err says "PATH: why". */
int ts_read_file(char **text, size_t *length, const char *path, ts_error *err);

/* ts_read_file() for a file that must be text: one holding a NUL byte is
 * TS_EINPUT, "PATH: not a text file (holds a NUL byte)" (scenarios, the files
 * they include, a variant's base). */
int ts_read_text_file(char **text, size_t *length, const char *path, ts_error *err);

#endif
