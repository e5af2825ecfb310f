#ifndef TS_PROGRESS_H
#define TS_PROGRESS_H
/* Counting finished runs for a caller's progress callbacks: workers finish
 * in any order, so each count and its report happen under one lock, and the
 * caller sees done (and failed) rise one at a time. */
#include <pthread.h>

typedef struct ts_progress_counter {
	pthread_mutex_t lock;
	long done, failed, total;
	void (*report)(void *ctx, long done, long total);  /* may be NULL */
	void (*report_failed)(void *ctx, long failed);     /* may be NULL: called first */
	void *ctx;
} ts_progress_counter;

#define TS_PROGRESS_COUNTER_INIT(total, report, report_failed, ctx) \
	{PTHREAD_MUTEX_INITIALIZER, 0, 0, (total), (report), (report_failed), (ctx)}

/* One more run done (and failed, if `failed`): reports the counts. p may be NULL. */
void ts_progress_count(ts_progress_counter *p, int failed);

#endif
