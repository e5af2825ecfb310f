/* The executor: POSIX threads that take the next item number under one
 * mutex, with an optional reorder window that hands results over in item
 * order (parallel.h). One condition variable carries every change (an item
 * started, finished, handed over, claimed or put; stop, extend, close), so
 * each waiter re-checks its own condition after any of them. */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "util/assert.h"
#include "util/parallel.h"

/* A window slot's item, for item % window. */
enum { SLOT_FREE = 0, SLOT_RUNNING, SLOT_CLAIMED, SLOT_READY };

struct ts_executor {
	ts_executor_options o;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	long next;                   /* first item neither started nor claimed */
	long end;                    /* items < end exist (open-ended: so far) */
	long delivered;              /* hand-off: first item not handed over */
	int closed;                  /* no item will be added */
	int stopped;
	int failed;
	ts_error failure;            /* the first failure */
	int active;                  /* workers that have not exited */
	long claimed;                /* claimed items not yet put */
	void **result;               /* [item % window] */
	unsigned char *state;        /* [item % window]: SLOT_* */
	pthread_t *threads;
	int n_threads;
};

typedef struct worker_arg {
	ts_executor *x;
	int worker;
} worker_arg;

/* No item may start any more; lock held. */
static int halted(const ts_executor *x)
{
	return x->stopped || x->failed || (x->o.cancel && *x->o.cancel);
}

static int can_start(const ts_executor *x)
{
	return !halted(x) && x->next < x->end && (x->o.window == 0 || x->next < x->delivered + x->o.window);
}

static int worker_done(const ts_executor *x)
{
	return halted(x) || (x->closed && x->next >= x->end);
}

static void release(const ts_executor *x, void *result)
{
	if (x->o.release)
		x->o.release(result);
	else
		free(result);
}

/* Lock held. */
static void record_failure(ts_executor *x, const ts_error *err)
{
	if (!x->failed) {
		x->failure = *err;
		if (x->failure.status == TS_OK)
			x->failure.status = TS_ERUN;
	}
	x->failed = 1;
	pthread_cond_broadcast(&x->changed);
}

/* Runs item i outside the lock and files its result; lock held on entry and exit. */
static void run_item(ts_executor *x, long i, int worker)
{
	long slot = x->o.window ? i % x->o.window : 0;
	if (x->o.window)
		x->state[slot] = SLOT_RUNNING;
	pthread_mutex_unlock(&x->lock);
	void *result = NULL;
	ts_error err = TS_ERROR_INIT;
	int rc = x->o.work(i, worker, x->o.ctx, &result, &err);
	TS_ASSERT(x->o.window || !result);  /* no hand-off: the work function keeps its results */
	pthread_mutex_lock(&x->lock);
	if (rc != TS_OK) {
		record_failure(x, &err);
		if (result)
			release(x, result);
		if (x->o.window)
			x->state[slot] = SLOT_FREE;
	} else if (x->o.window) {
		x->result[slot] = result;
		x->state[slot] = SLOT_READY;
	}
	pthread_cond_broadcast(&x->changed);
}

static void *worker_main(void *arg)
{
	worker_arg *a = arg;
	ts_executor *x = a->x;
	pthread_mutex_lock(&x->lock);
	for (;;) {
		while (!worker_done(x) && !can_start(x))
			pthread_cond_wait(&x->changed, &x->lock);
		if (!can_start(x))
			break;
		run_item(x, x->next++, a->worker);
	}
	x->active--;
	pthread_cond_broadcast(&x->changed);
	pthread_mutex_unlock(&x->lock);
	free(a);
	return NULL;
}

static void destroy(ts_executor *x)
{
	if (x->result)
		for (long s = 0; s < x->o.window; s++)
			if (x->state[s] == SLOT_READY)
				release(x, x->result[s]);
	pthread_mutex_destroy(&x->lock);
	pthread_cond_destroy(&x->changed);
	free(x->result);
	free(x->state);
	free(x->threads);
	free(x);
}

/* Timed waits measure on the monotonic clock, which no clock change moves. */
static int init_sync(ts_executor *x, ts_error *err)
{
	pthread_condattr_t attr;
	if (pthread_condattr_init(&attr) != 0)
		return ts_error_set(err, TS_ENOMEM, "cannot create a condition variable");
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	int rc = pthread_cond_init(&x->changed, &attr);
	pthread_condattr_destroy(&attr);
	if (rc != 0)
		return ts_error_set(err, TS_ENOMEM, "cannot create a condition variable");
	if (pthread_mutex_init(&x->lock, NULL) != 0) {
		pthread_cond_destroy(&x->changed);
		return ts_error_set(err, TS_ENOMEM, "cannot create a mutex");
	}
	return TS_OK;
}

static int start_workers(ts_executor *x, int jobs, ts_error *err)
{
	pthread_mutex_lock(&x->lock);
	for (int t = 0; t < jobs; t++) {
		worker_arg *a = malloc(sizeof *a);
		if (!a)
			break;
		a->x = x;
		a->worker = t;
		if (pthread_create(&x->threads[t], NULL, worker_main, a) != 0) {
			free(a);
			break;
		}
		x->n_threads++;
		x->active++;
	}
	pthread_mutex_unlock(&x->lock);
	if (jobs > 0 && x->n_threads == 0)
		return ts_error_set(err, TS_ENOMEM, "cannot start threads");
	return TS_OK;
}

int ts_executor_start(ts_executor **out, const ts_executor_options *o, ts_error *err)
{
	TS_ASSERT(o->work && o->jobs >= 1 && o->window >= 0 && o->begin <= o->end);
	*out = NULL;
	ts_executor *x = calloc(1, sizeof *x);
	if (!x)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	x->o = *o;
	x->next = x->delivered = o->begin;
	x->end = o->end;
	x->closed = !o->open_ended;
	long jobs = o->jobs;
	if (!o->open_ended && jobs > o->end - o->begin)
		jobs = o->end - o->begin;  /* no idle threads */
	int rc = init_sync(x, err);
	if (rc != TS_OK) {
		free(x);
		return rc;
	}
	x->threads = calloc((size_t)(jobs > 0 ? jobs : 1), sizeof *x->threads);
	if (o->window) {
		x->result = calloc((size_t)o->window, sizeof *x->result);
		x->state = calloc((size_t)o->window, sizeof *x->state);
	}
	if (!x->threads || (o->window && (!x->result || !x->state))) {
		destroy(x);
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	rc = start_workers(x, (int)jobs, err);
	if (rc != TS_OK) {
		destroy(x);
		return rc;
	}
	*out = x;
	return TS_OK;
}

/* Waits for a change for at most timeout_ms (< 0: forever); 0 when it timed out. */
static int wait_change(ts_executor *x, long timeout_ms)
{
	if (timeout_ms < 0) {
		pthread_cond_wait(&x->changed, &x->lock);
		return 1;
	}
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += timeout_ms / 1000;
	t.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return pthread_cond_timedwait(&x->changed, &x->lock, &t) == 0;
}

ts_executor_state ts_executor_next(ts_executor *x, long timeout_ms, long *item, void **result)
{
	TS_ASSERT(x->o.window > 0);
	pthread_mutex_lock(&x->lock);
	ts_executor_state st;
	for (;;) {
		long slot = x->delivered % x->o.window;
		if (x->failed) {
			st = TS_EXECUTOR_DRAINED;  /* nothing more is handed over after a failure */
		} else if (x->state[slot] == SLOT_READY) {
			*item = x->delivered++;
			*result = x->result[slot];
			x->result[slot] = NULL;
			x->state[slot] = SLOT_FREE;
			pthread_cond_broadcast(&x->changed);  /* the window moved */
			st = TS_EXECUTOR_RESULT;
		} else if (x->active == 0 && x->claimed == 0 && (x->closed || halted(x))) {
			st = TS_EXECUTOR_DRAINED;
		} else if (timeout_ms == 0 || !wait_change(x, timeout_ms)) {
			st = TS_EXECUTOR_TIMEOUT;
		} else {
			continue;
		}
		break;
	}
	pthread_mutex_unlock(&x->lock);
	return st;
}

void ts_executor_stop(ts_executor *x)
{
	pthread_mutex_lock(&x->lock);
	x->stopped = 1;
	pthread_cond_broadcast(&x->changed);
	pthread_mutex_unlock(&x->lock);
}

void ts_executor_fail(ts_executor *x, const ts_error *err)
{
	pthread_mutex_lock(&x->lock);
	record_failure(x, err);
	pthread_mutex_unlock(&x->lock);
}

int ts_executor_has_work(ts_executor *x)
{
	pthread_mutex_lock(&x->lock);
	int yes = !halted(x) && (x->next < x->end || !x->closed);
	pthread_mutex_unlock(&x->lock);
	return yes;
}

long ts_executor_claim(ts_executor *x, long max, long *first)
{
	TS_ASSERT(x->o.window > 0 && max >= 0);
	pthread_mutex_lock(&x->lock);
	long m = 0;
	if (!halted(x)) {
		m = max;
		if (m > x->end - x->next)
			m = x->end - x->next;
		if (m > x->delivered + x->o.window - x->next)
			m = x->delivered + x->o.window - x->next;
	}
	*first = x->next;
	for (long i = 0; i < m; i++)
		x->state[(x->next + i) % x->o.window] = SLOT_CLAIMED;
	x->next += m;
	x->claimed += m;
	pthread_cond_broadcast(&x->changed);
	pthread_mutex_unlock(&x->lock);
	return m;
}

int ts_executor_put(ts_executor *x, long item, void *result, ts_error *err)
{
	TS_ASSERT(x->o.window > 0);
	pthread_mutex_lock(&x->lock);
	long slot = item >= 0 ? item % x->o.window : 0;
	if (item < x->delivered || item >= x->next || x->state[slot] != SLOT_CLAIMED) {
		pthread_mutex_unlock(&x->lock);
		release(x, result);
		return ts_error_set(err, TS_EIO, "item %ld was not claimed, or its result came twice", item);
	}
	x->claimed--;
	if (x->failed) {
		x->state[slot] = SLOT_FREE;
		release(x, result);
	} else {
		x->result[slot] = result;
		x->state[slot] = SLOT_READY;
	}
	pthread_cond_broadcast(&x->changed);
	pthread_mutex_unlock(&x->lock);
	return TS_OK;
}

void ts_executor_extend(ts_executor *x, long n)
{
	TS_ASSERT(n >= 0);
	pthread_mutex_lock(&x->lock);
	TS_ASSERT(!x->closed);
	x->end += n;
	pthread_cond_broadcast(&x->changed);
	pthread_mutex_unlock(&x->lock);
}

void ts_executor_close(ts_executor *x)
{
	pthread_mutex_lock(&x->lock);
	x->closed = 1;
	pthread_cond_broadcast(&x->changed);
	pthread_mutex_unlock(&x->lock);
}

long ts_executor_room(ts_executor *x)
{
	TS_ASSERT(x->o.window > 0);
	pthread_mutex_lock(&x->lock);
	long room = x->delivered + x->o.window - x->end;
	pthread_mutex_unlock(&x->lock);
	return room > 0 ? room : 0;
}

int ts_executor_finish(ts_executor *x, ts_error *err)
{
	if (x->o.window)
		ts_executor_stop(x);   /* nobody takes results any more */
	else
		ts_executor_close(x);  /* the workers end once every item is done */
	for (int t = 0; t < x->n_threads; t++)
		pthread_join(x->threads[t], NULL);
	int rc = TS_OK;
	if (x->failed)
		rc = ts_error_set(err, x->failure.status, "%s", x->failure.message);
	destroy(x);
	return rc;
}

/* ---- the parallel for-loop: an executor without hand-off ---- */

typedef struct for_loop {
	void (*fn)(int i, int worker, void *ctx);
	void *ctx;
} for_loop;

static int for_item(long item, int worker, void *ctx, void **result, ts_error *err)
{
	(void)result;
	(void)err;
	const for_loop *f = ctx;
	f->fn((int)item, worker, f->ctx);
	return TS_OK;
}

int ts_parallel_for(int n, int jobs, void (*fn)(int i, int worker, void *ctx), void *ctx, ts_error *err)
{
	for_loop f = {fn, ctx};
	ts_executor_options o = TS_EXECUTOR_OPTIONS_INIT;
	o.jobs = jobs > 0 ? jobs : 1;
	o.end = n > 0 ? n : 0;
	o.work = for_item;
	o.ctx = &f;
	ts_executor *x = NULL;
	int rc = ts_executor_start(&x, &o, err);
	if (rc != TS_OK)
		return rc;
	return ts_executor_finish(x, err);  /* waits for every item */
}

int ts_cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n >= 1 ? (int)n : 1;
}

int ts_c_locale_enter(ts_c_locale *l, ts_error *err)
{
	l->c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (l->c == (locale_t)0)
		return ts_error_set(err, TS_ENOMEM, "cannot create the C locale");
	l->previous = uselocale(l->c);
	return TS_OK;
}

void ts_c_locale_leave(ts_c_locale *l)
{
	uselocale(l->previous);
	freelocale(l->c);
	l->c = (locale_t)0;
}
