#ifndef TS_PARALLEL_H
#define TS_PARALLEL_H
/* Threads and the C locale: what batch runs share at the bottom layer. */
#include <locale.h>
#include <tradesim/error.h>

/* Runs fn(i, ctx, worker) for i in [0, n) on `jobs` threads (1: the calling
 * thread). Items are taken in increasing order. Returns TS_ENOMEM if threads
 * cannot be started (no item has run then). */
int ts_parallel_for(int n, int jobs, void (*fn)(int i, int worker, void *ctx), void *ctx, ts_error *err);

/* Number of online processors (>= 1). */
int ts_cpu_count(void);

/* The calling thread in the C locale ('.' decimals) until leave. */
typedef struct ts_c_locale {
	locale_t c, previous;
} ts_c_locale;
int ts_c_locale_enter(ts_c_locale *l, ts_error *err);
void ts_c_locale_leave(ts_c_locale *l);

#endif
