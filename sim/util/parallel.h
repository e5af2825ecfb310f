#ifndef TS_PARALLEL_H
#define TS_PARALLEL_H
/* Threads and the C locale: what batch runs share at the bottom layer.
 *
 * The executor is the one pool of worker threads in tradesim: replications,
 * sweeps and each MPI rank's share of a sweep all run on it. Items are
 * numbered; workers take the next number under a mutex, so items start in
 * increasing order. Two ways to collect what they compute:
 *   - none (window 0): the work function stores its result itself (e.g. in a
 *     slot per item of the caller's array), and ts_executor_finish() waits
 *     for the last item;
 *   - in-order hand-off (window W > 0): each item leaves a result, and the
 *     caller takes them with ts_executor_next() in item order. No item starts
 *     W or more items after the first one not yet handed over, so at most W
 *     results wait in memory however many items there are.
 * A set cancel flag or ts_executor_stop() starts no further item; the items
 * running finish and are handed over. An item whose work function fails
 * stops the executor the same way, and its error is what finish returns.
 *
 * Only the thread that started the executor calls the functions below,
 * except ts_executor_fail (any thread). */
#include <locale.h>
#include <signal.h>
#include <tradesim/error.h>

typedef struct ts_executor ts_executor;

/* Computes item `item` on worker `worker` (0 .. jobs-1). With in-order
 * hand-off, *result (NULL on entry) is what ts_executor_next() gives for the
 * item; without, it must stay NULL. A status other than TS_OK stops the
 * executor (err says why); a result it set is released. */
typedef int (*ts_executor_work)(long item, int worker, void *ctx, void **result, ts_error *err);

typedef struct ts_executor_options {
	int jobs;                        /* worker threads, >= 1 (fewer if fewer items) */
	long begin, end;                 /* the items begin .. end-1 */
	int open_ended;                  /* end grows (ts_executor_extend) until ts_executor_close */
	long window;                     /* > 0: in-order hand-off within this many items; 0: none */
	volatile sig_atomic_t *cancel;   /* set (e.g. by a signal handler): start no further item */
	ts_executor_work work;
	void (*release)(void *result);   /* frees a result never handed over; NULL: free() */
	void *ctx;
} ts_executor_options;

#define TS_EXECUTOR_OPTIONS_INIT {1, 0, 0, 0, 0, NULL, NULL, NULL, NULL}

/* Starts the workers. TS_ENOMEM if no thread (or no memory) could be had;
 * on success *out is released by ts_executor_finish(). */
int ts_executor_start(ts_executor **out, const ts_executor_options *o, ts_error *err);

typedef enum ts_executor_state {
	TS_EXECUTOR_RESULT,   /* *item and *result hold the next item's result, now the caller's */
	TS_EXECUTOR_TIMEOUT,  /* nothing yet after timeout_ms */
	TS_EXECUTOR_DRAINED   /* nothing more will come: every item handed over, or stopped and the
	                         running ones handed over, or an item failed */
} ts_executor_state;

/* In-order hand-off: the next item's result, waiting at most timeout_ms
 * milliseconds (< 0: as long as it takes; 0: not at all). */
ts_executor_state ts_executor_next(ts_executor *x, long timeout_ms, long *item, void **result);

/* Starts no further item (running items finish and are handed over). */
void ts_executor_stop(ts_executor *x);
/* Records a failure found outside the workers (e.g. a message from another
 * process): as if an item had failed with err. Any thread. */
void ts_executor_fail(ts_executor *x, const ts_error *err);
/* 1 while items remain to start and the executor is neither stopped,
 * canceled nor failed (an open-ended one: also while it is not closed). */
int ts_executor_has_work(ts_executor *x);

/* Items computed elsewhere (another process), in-order hand-off only: claims
 * up to max of the next items, within the window, as if workers had taken
 * them; returns how many (0: none now), the first in *first. Each claimed
 * item's result is then given back with ts_executor_put(), which takes
 * ownership of it in every case; an item that was not claimed, or is given
 * twice, is TS_EIO. */
long ts_executor_claim(ts_executor *x, long max, long *first);
int ts_executor_put(ts_executor *x, long item, void *result, ts_error *err);

/* Open-ended executors: n more items (end += n); no more items. */
void ts_executor_extend(ts_executor *x, long n);
void ts_executor_close(ts_executor *x);
/* In-order hand-off: how many more items the window can take beyond end. */
long ts_executor_room(ts_executor *x);

/* Waits for the workers and releases the executor and any result not
 * handed over. Without hand-off the workers first finish every item (unless
 * stopped, canceled or failed); with hand-off nobody takes results any
 * more, so no further item starts (call it once ts_executor_next() said
 * DRAINED, or to give up). Returns TS_OK, or the first failure (its message
 * added to err). */
int ts_executor_finish(ts_executor *x, ts_error *err);

/* Runs fn(i, worker, ctx) for i in [0, n) on `jobs` workers of an executor
 * without hand-off. Items must not share mutable state. TS_ENOMEM if no
 * worker could be started (no item has run then). */
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
