#ifndef TS_TEXTFILE_H
#define TS_TEXTFILE_H
/* Whole files read into memory: scenarios, sweep files, the source lines
 * diagnostics quote, and a sweep directory's small files. */
#include <stddef.h>

typedef enum ts_read_status {
	TS_READ_OK = 0,
	TS_READ_OPEN,      /* fopen failed; errno says why */
	TS_READ_IO,        /* a read failed */
	TS_READ_NOMEM      /* out of memory */
} ts_read_status;

/* The bytes of the file at `path` plus a NUL, in a malloc'd buffer the
 * caller frees; *length (if not NULL) gets the byte count, which differs from
 * strlen() when the file holds a NUL byte. NULL on failure, with *status (if
 * not NULL) saying which step failed and errno kept from fopen. */
char *ts_read_file(const char *path, size_t *length, ts_read_status *status);

#endif
