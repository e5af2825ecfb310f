/* A parallel for-loop on POSIX threads: workers take the next index under a
 * mutex until none is left. Items must not share mutable state. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include "util/parallel.h"

typedef struct pool {
	pthread_mutex_t lock;
	int next, n;
	void (*fn)(int i, int worker, void *ctx);
	void *ctx;
} pool;

typedef struct worker_arg {
	pool *p;
	int worker;
} worker_arg;

static void *worker_main(void *arg)
{
	worker_arg *a = arg;
	pool *p = a->p;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		int i = p->next < p->n ? p->next++ : -1;
		pthread_mutex_unlock(&p->lock);
		if (i < 0)
			return NULL;
		p->fn(i, a->worker, p->ctx);
	}
}

int ts_parallel_for(int n, int jobs, void (*fn)(int i, int worker, void *ctx), void *ctx, ts_error *err)
{
	if (jobs > n)
		jobs = n;
	if (jobs <= 1) {
		for (int i = 0; i < n; i++)
			fn(i, 0, ctx);
		return TS_OK;
	}
	pool p = {PTHREAD_MUTEX_INITIALIZER, 0, n, fn, ctx};
	pthread_t *threads = calloc((size_t)jobs, sizeof *threads);
	worker_arg *args = calloc((size_t)jobs, sizeof *args);
	if (!threads || !args) {
		free(threads);
		free(args);
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	int started = 0;
	for (; started < jobs; started++) {
		args[started].p = &p;
		args[started].worker = started;
		if (pthread_create(&threads[started], NULL, worker_main, &args[started]) != 0)
			break;
	}
	if (started == 0) {
		free(threads);
		free(args);
		return ts_error_set(err, TS_ENOMEM, "cannot start threads");
	}
	for (int t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	free(threads);
	free(args);
	return TS_OK;
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
