#ifndef TRADESIM_ERROR_H
#define TRADESIM_ERROR_H
/* Error reporting: every fallible call takes a caller-owned ts_error, fills it
 * on failure and returns a negative ts_status. The library never prints and
 * never exits; one ts_error per thread, so calls are thread-safe. */
#include <tradesim/api.h>
#include <stddef.h>

TS_BEGIN_DECLS

typedef enum ts_status {
	TS_OK = 0,
	TS_ENOMEM = -1,  /* allocation failed */
	TS_EINPUT = -2,  /* bad scenario, override or argument: user's to fix */
	TS_EIO = -3,     /* reading or writing a file failed */
	TS_ERUN = -4,    /* the run broke an invariant (non-finite value, ...) */
	TS_ECANCELED = -5, /* stopped on request (SIGINT); finished work kept */
	TS_EBUSY = -6     /* the output directory is in use by another tradesim process */
} ts_status;

#define TS_ERROR_MESSAGE_MAX 8192
#define TS_ERROR_MAX_DIAGNOSTICS 25

/* One or more diagnostics, one per line, each "file:line: path: what". */
typedef struct ts_error {
	ts_status status;
	int count;                       /* diagnostics recorded (may exceed those kept) */
	char message[TS_ERROR_MESSAGE_MAX];
} ts_error;

#define TS_ERROR_INIT {TS_OK, 0, {0}}

TS_API void ts_error_clear(ts_error *err);

/* Append one diagnostic line (printf-style); sets err->status if still TS_OK.
 * Returns status so callers can write `return ts_error_set(...)`. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
TS_API ts_status ts_error_set(ts_error *err, ts_status status, const char *fmt, ...);

TS_API const char *ts_status_name(ts_status status);

TS_END_DECLS

#endif
