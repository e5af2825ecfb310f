/* Sweep execution for the CLI: threads in one process (ts_sweep_run), or,
 * in a build with TRADESIM_MPI started by mpirun with more than one rank,
 * rank 0 writing the journal and handing out runs, every rank (rank 0
 * included) running them on its threads. Either way sweep.csv holds the
 * same bytes.
 *
 * The protocol (tags below): a worker rank asks rank 0 for up to n runs
 * (REQUEST n) whenever it has room; rank 0 answers ASSIGN k0 m (the shard's
 * runs k0 .. k0+m-1, all inside the reorder window of rank 0, so its memory
 * stays flat whatever the number of runs) or, when nothing is left to hand
 * out (done, interrupted or failed), STOP, once per worker. A worker sends
 * each finished row back (RESULT: k, then the row), an allocation failure
 * as ERROR, and after STOP, once its runs are all sent back, DONE. Only the
 * main thread of a rank calls MPI (MPI_THREAD_FUNNELED). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

#ifndef TRADESIM_HAVE_MPI

void cli_parallel_init(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
}

int cli_parallel_finish(int code) { return code; }

int cli_is_writer(void) { return 1; }

int cli_parallel_agree(int status, const char *hash, ts_error *err)
{
	(void)hash;
	(void)err;
	return status;
}

int cli_sweep_execute(const ts_sweep *sweep, const ts_sweep_options *options, ts_error *err)
{
	return ts_sweep_run(sweep, options, err);
}

#else

#include <mpi.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

enum { TAG_REQUEST = 1, TAG_ASSIGN, TAG_STOP, TAG_RESULT, TAG_ERROR, TAG_DONE };

static int mpi_on;          /* MPI_Init was called (started by a launcher) */
static int rank, ranks = 1;

/* Set by mpirun/mpiexec (OpenMPI, MPICH's hydra, PMIx launchers, srun --mpi):
 * MPI is initialised only then, so the plain CLI never pays for it. */
static int launched_by_mpi(void)
{
	static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		if (getenv(vars[i]))
			return 1;
	return 0;
}

void cli_parallel_init(int *argc, char ***argv)
{
	if (!launched_by_mpi())
		return;
	int provided = 0;
	if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
		return;
	mpi_on = 1;
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &ranks);
	if (rank > 0) {
		/* Every rank parses the same arguments and loads the same files:
		 * rank 0 alone speaks, so each message appears once. */
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0) {
			dup2(devnull, STDOUT_FILENO);
			dup2(devnull, STDERR_FILENO);
			close(devnull);
		}
	}
}

int cli_parallel_finish(int code)
{
	if (!mpi_on)
		return code;
	if (ranks > 1) {
		/* Rank 0's code (it knows every rank's errors), else any rank's. */
		int mine[2] = {rank == 0 ? code : 0, code}, all[2];
		MPI_Allreduce(mine, all, 2, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
		code = all[0] ? all[0] : all[1];
	}
	MPI_Finalize();
	return code;
}

int cli_is_writer(void) { return rank == 0; }

int cli_parallel_agree(int status, const char *hash, ts_error *err)
{
	if (!mpi_on || ranks == 1)
		return status;
	char hash0[72] = "";
	if (rank == 0 && status == TS_OK && hash)
		snprintf(hash0, sizeof hash0, "%s", hash);
	MPI_Bcast(hash0, (int)sizeof hash0, MPI_CHAR, 0, MPI_COMM_WORLD);
	int other_sweep = status == TS_OK && hash0[0] && strcmp(hash0, hash ? hash : "") != 0;
	int mine = (status != TS_OK || other_sweep) ? rank : ranks, first;
	MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
	if (first == ranks)
		return TS_OK;
	if (first > 0) {
		/* The first rank in trouble tells rank 0, which reports it. */
		char message[TS_ERROR_MESSAGE_MAX + 64];
		int code = status;
		if (rank == first) {
			if (other_sweep) {
				code = TS_EINPUT;
				snprintf(message, sizeof message,
				         "rank %d loaded another sweep than rank 0 (sweep_sha256 %.12s... vs %.12s...): "
				         "every rank must see the same sweep and scenario files",
				         rank, hash, hash0);
			} else {
				snprintf(message, sizeof message, "rank %d: %s", rank, err->message);
			}
			MPI_Send(&code, 1, MPI_INT, 0, TAG_ERROR, MPI_COMM_WORLD);
			MPI_Send(message, (int)strlen(message) + 1, MPI_CHAR, 0, TAG_ERROR, MPI_COMM_WORLD);
		} else if (rank == 0) {
			MPI_Recv(&code, 1, MPI_INT, first, TAG_ERROR, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			MPI_Recv(message, (int)sizeof message, MPI_CHAR, first, TAG_ERROR, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			ts_error_clear(err);
			ts_error_set(err, (ts_status)code, "%s", message);
		}
		status = code;
	}
	MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
	return status;
}

/* Waits on cond for at most `ms` milliseconds (lock held). */
static void wait_ms(pthread_cond_t *cond, pthread_mutex_t *lock, long ms)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_nsec += ms * 1000000L;
	t.tv_sec += t.tv_nsec / 1000000000L;
	t.tv_nsec %= 1000000000L;
	pthread_cond_timedwait(cond, lock, &t);
}


/* ---- rank 0: the journal, the reorder window, its own threads ---- */

typedef struct coordinator {
	const ts_sweep *s;
	const ts_sweep_options *o;
	ts_sweep_journal *j;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	long next_k, written_k, total, window;
	char **slots;                /* [k % window]: finished rows waiting for their turn */
	int stopping;                /* hand out no more runs: done, interrupted or failed */
	int active;                  /* local threads running */
	int fatal;                   /* a rank could not produce a row: stop */
	ts_error fatal_err;
} coordinator;

/* Records the first fatal error; lock held. */
static void coordinator_fail(coordinator *c, const ts_error *err)
{
	if (!c->fatal)
		c->fatal_err = *err;
	c->fatal = 1;
	c->stopping = 1;
	pthread_cond_broadcast(&c->cond);
}

static void *coordinator_thread(void *arg)
{
	coordinator *c = arg;
	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (!c->stopping && c->next_k < c->total && c->next_k >= c->written_k + c->window)
			pthread_cond_wait(&c->cond, &c->lock);
		if (c->stopping || c->next_k >= c->total)
			break;
		long k = c->next_k++;
		pthread_mutex_unlock(&c->lock);
		char *row = NULL;
		ts_error err = TS_ERROR_INIT;
		int rc = ts_sweep_run_row(c->s, ts_sweep_shard_run_id(c->o->shard, c->o->shards, k), c->o->output_dir, c->o->series, &row, &err);
		pthread_mutex_lock(&c->lock);
		if (rc != TS_OK)
			coordinator_fail(c, &err);
		else
			c->slots[k % c->window] = row;
		pthread_cond_broadcast(&c->cond);
	}
	c->active--;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/* Receives one message from a worker; lock not held. */
static void coordinator_receive(coordinator *c, const MPI_Status *st, long *pending, int *remaining)
{
	int w = st->MPI_SOURCE, count = 0;
	MPI_Get_count(st, MPI_CHAR, &count);
	if (st->MPI_TAG == TAG_REQUEST) {
		int n = 0;
		MPI_Recv(&n, 1, MPI_INT, w, TAG_REQUEST, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		pending[w] = n > 0 ? n : 1;
		return;
	}
	if (st->MPI_TAG == TAG_DONE) {
		MPI_Recv(NULL, 0, MPI_CHAR, w, TAG_DONE, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		(*remaining)--;
		return;
	}
	char *buf = malloc((size_t)count + 1);
	if (!buf) {  /* the message cannot be left pending, nor received */
		fputs("tradesim: out of memory\n", stderr);
		MPI_Abort(MPI_COMM_WORLD, EXIT_RUN);
	}
	MPI_Recv(buf, count, MPI_CHAR, w, st->MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
	ts_error err = TS_ERROR_INIT;
	pthread_mutex_lock(&c->lock);
	if (st->MPI_TAG == TAG_ERROR) {
		buf[count] = '\0';
		ts_error_set(&err, TS_ENOMEM, "rank %d: %s", w, buf);
		coordinator_fail(c, &err);
	} else if (count < (int)sizeof(long)) {
		ts_error_set(&err, TS_EIO, "rank %d: malformed result message", w);
		coordinator_fail(c, &err);
	} else {
		long k;
		memcpy(&k, buf, sizeof k);
		memmove(buf, buf + sizeof k, (size_t)count - sizeof k);
		buf[count - (int)sizeof k] = '\0';
		if (k < c->written_k || k >= c->written_k + c->window || k >= c->total || c->slots[k % c->window]) {
			ts_error_set(&err, TS_EIO, "rank %d: result for run index %ld, which was not handed out", w, k);
			coordinator_fail(c, &err);
		} else if (!c->fatal) {
			c->slots[k % c->window] = buf;
			buf = NULL;
		}
	}
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	free(buf);
}

static int coordinate(const ts_sweep *s, const ts_sweep_options *o, int jobs, long window, ts_error *err)
{
	coordinator c;
	memset(&c, 0, sizeof c);
	c.s = s;
	c.o = o;
	c.window = window;
	c.slots = calloc((size_t)window, sizeof *c.slots);
	long *pending = calloc((size_t)ranks, sizeof *pending);   /* runs asked for, 0: none */
	char *stopped = calloc((size_t)ranks, 1);                  /* STOP sent */
	pthread_t *threads = calloc((size_t)jobs, sizeof *threads);
	long (*assign)[2] = calloc((size_t)ranks, sizeof *assign);
	int rc = c.slots && pending && stopped && threads && assign ? ts_sweep_journal_open(&c.j, s, o, err)
	                                                           : ts_error_set(err, TS_ENOMEM, "out of memory");
	int open_rc = rc;
	MPI_Bcast(&open_rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
	if (rc != TS_OK) {
		free(c.slots);
		free(pending);
		free(stopped);
		free(threads);
		free(assign);
		return rc;
	}
	c.next_k = c.written_k = ts_sweep_journal_done(c.j);
	c.total = ts_sweep_journal_total(c.j);
	pthread_mutex_init(&c.lock, NULL);
	pthread_cond_init(&c.cond, NULL);
	int started = 0, remaining = ranks - 1;
	if (o->progress)
		o->progress(o->progress_ctx, c.written_k, c.total);
	pthread_mutex_lock(&c.lock);
	for (; !c.fatal && started < jobs; started++) {
		if (pthread_create(&threads[started], NULL, coordinator_thread, &c) != 0)
			break;
		c.active++;
	}
	/* Only this thread calls MPI: it writes rows in order, answers the
	 * workers and polls for their messages; the local threads run. */
	for (;;) {
		int progressed = 0;
		if (o->cancel && *o->cancel && !c.stopping) {
			c.stopping = 1;
			pthread_cond_broadcast(&c.cond);
		}
		while (rc == TS_OK && !c.fatal && c.written_k < c.total && c.slots[c.written_k % c.window]) {
			char *row = c.slots[c.written_k % c.window];
			c.slots[c.written_k % c.window] = NULL;
			pthread_mutex_unlock(&c.lock);
			rc = ts_sweep_journal_append(c.j, row, err);
			free(row);
			if (rc == TS_OK && o->progress)
				o->progress(o->progress_ctx, c.written_k + 1, c.total);
			pthread_mutex_lock(&c.lock);
			c.written_k++;
			if (rc != TS_OK)
				c.stopping = 1;
			pthread_cond_broadcast(&c.cond);
			progressed = 1;
		}
		/* Answers decided under the lock, sent without it. */
		for (int w = 1; w < ranks; w++) {
			assign[w][1] = -1;
			if (stopped[w] || (!pending[w] && !c.stopping))
				continue;
			if (c.stopping || c.next_k >= c.total) {
				assign[w][1] = 0;  /* STOP, even to a worker that did not ask */
			} else if (c.next_k < c.written_k + c.window) {
				long m = pending[w];
				if (m > c.written_k + c.window - c.next_k)
					m = c.written_k + c.window - c.next_k;
				if (m > c.total - c.next_k)
					m = c.total - c.next_k;
				assign[w][0] = c.next_k;
				assign[w][1] = m;
				c.next_k += m;
			}
		}
		pthread_mutex_unlock(&c.lock);
		for (int w = 1; w < ranks; w++) {
			if (assign[w][1] < 0)
				continue;
			if (assign[w][1] == 0) {
				MPI_Send(NULL, 0, MPI_LONG, w, TAG_STOP, MPI_COMM_WORLD);
				stopped[w] = 1;
			} else {
				MPI_Send(assign[w], 2, MPI_LONG, w, TAG_ASSIGN, MPI_COMM_WORLD);
			}
			pending[w] = 0;
			progressed = 1;
		}
		for (;;) {
			int flag = 0;
			MPI_Status st;
			MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
			if (!flag)
				break;
			coordinator_receive(&c, &st, pending, &remaining);
			progressed = 1;
		}
		pthread_mutex_lock(&c.lock);
		int writable = rc == TS_OK && !c.fatal && c.written_k < c.total && c.slots[c.written_k % c.window];
		if (remaining == 0 && c.active == 0 && !writable)
			break;
		if (!progressed)
			wait_ms(&c.cond, &c.lock, 1);
	}
	pthread_mutex_unlock(&c.lock);
	for (int t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	if (rc == TS_OK && c.fatal) {
		*err = c.fatal_err;
		rc = err->status;
	}
	if (rc == TS_OK && c.written_k < c.total)
		rc = ts_error_set(err, TS_ECANCELED, "%s: stopped after %ld of %ld runs", o->output_dir, c.written_k, c.total);
	for (long i = 0; i < c.window; i++)
		free(c.slots[i]);
	free(c.slots);
	free(pending);
	free(stopped);
	free(threads);
	free(assign);
	pthread_mutex_destroy(&c.lock);
	pthread_cond_destroy(&c.cond);
	int crc = ts_sweep_journal_close(c.j, err);
	return rc == TS_OK ? crc : rc;
}

/* ---- ranks 1..K-1: run what rank 0 hands out ---- */

typedef struct worker {
	const ts_sweep *s;
	const ts_sweep_options *o;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int cap;                     /* runs held at once: queued, running or unsent */
	long *queue;                 /* ring of run indices k */
	int head, queued, running;
	long *done_k;                /* finished rows not yet sent */
	char **done_row;
	int n_done;
	int quit, fatal;
	ts_error fatal_err;
} worker;

static void *worker_thread(void *arg)
{
	worker *w = arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->quit && w->queued == 0)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->quit)
			break;
		long k = w->queue[w->head];
		w->head = (w->head + 1) % w->cap;
		w->queued--;
		w->running++;
		pthread_mutex_unlock(&w->lock);
		char *row = NULL;
		ts_error err = TS_ERROR_INIT;
		int rc = ts_sweep_run_row(w->s, ts_sweep_shard_run_id(w->o->shard, w->o->shards, k), w->o->output_dir, w->o->series, &row, &err);
		pthread_mutex_lock(&w->lock);
		w->running--;
		if (rc != TS_OK) {
			if (!w->fatal)
				w->fatal_err = err;
			w->fatal = 1;
		} else {
			w->done_k[w->n_done] = k;
			w->done_row[w->n_done++] = row;
		}
		pthread_cond_broadcast(&w->cond);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static int work(const ts_sweep *s, const ts_sweep_options *o, int jobs)
{
	int open_rc = TS_OK;
	MPI_Bcast(&open_rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
	if (open_rc != TS_OK)
		return open_rc;
	worker w;
	memset(&w, 0, sizeof w);
	w.s = s;
	w.o = o;
	w.cap = 2 * jobs;  /* a run queued behind each running one hides the round trip */
	w.queue = calloc((size_t)w.cap, sizeof *w.queue);
	w.done_k = calloc((size_t)w.cap, sizeof *w.done_k);
	w.done_row = calloc((size_t)w.cap, sizeof *w.done_row);
	long *send_k = calloc((size_t)w.cap, sizeof *send_k);
	char **send_row = calloc((size_t)w.cap, sizeof *send_row);
	pthread_t *threads = calloc((size_t)jobs, sizeof *threads);
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.cond, NULL);
	int started = 0;
	if (!w.queue || !w.done_k || !w.done_row || !send_k || !send_row || !threads) {
		w.fatal = 1;
		ts_error_set(&w.fatal_err, TS_ENOMEM, "out of memory");
	}
	for (; !w.fatal && started < jobs; started++)
		if (pthread_create(&threads[started], NULL, worker_thread, &w) != 0)
			break;
	if (!w.fatal && started == 0) {
		w.fatal = 1;
		ts_error_set(&w.fatal_err, TS_ENOMEM, "cannot start threads");
	}
	int asked = 0, stop = 0, error_sent = 0;
	char *buf = NULL;
	size_t buf_size = 0;
	pthread_mutex_lock(&w.lock);
	for (;;) {
		int progressed = 0, n_send = w.n_done, fatal = w.fatal;
		memcpy(send_k, w.done_k, (size_t)n_send * sizeof *send_k);
		memcpy(send_row, w.done_row, (size_t)n_send * sizeof *send_row);
		w.n_done = 0;
		if (fatal)
			w.queued = 0;  /* rank 0 stops the sweep: drop what is queued */
		int free_slots = w.cap - w.queued - w.running - n_send;
		pthread_mutex_unlock(&w.lock);
		for (int i = 0; i < n_send; i++) {
			size_t len = strlen(send_row[i]), need = sizeof(long) + len;
			if (need > buf_size) {
				char *grown = realloc(buf, need);
				if (!grown) {
					fatal = 1;
					free(send_row[i]);
					continue;
				}
				buf = grown;
				buf_size = need;
			}
			memcpy(buf, &send_k[i], sizeof(long));
			memcpy(buf + sizeof(long), send_row[i], len);
			MPI_Send(buf, (int)need, MPI_CHAR, 0, TAG_RESULT, MPI_COMM_WORLD);
			free(send_row[i]);
			progressed = 1;
		}
		if (fatal && !error_sent) {
			const char *message = w.fatal_err.message[0] ? w.fatal_err.message : "out of memory";
			MPI_Send(message, (int)strlen(message) + 1, MPI_CHAR, 0, TAG_ERROR, MPI_COMM_WORLD);
			error_sent = 1;
		}
		if (!stop && !asked && !error_sent && free_slots > 0) {
			MPI_Send(&free_slots, 1, MPI_INT, 0, TAG_REQUEST, MPI_COMM_WORLD);
			asked = 1;
		}
		for (;;) {
			int flag = 0;
			MPI_Status st;
			MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
			if (!flag)
				break;
			progressed = 1;
			if (st.MPI_TAG == TAG_ASSIGN) {
				long a[2];
				MPI_Recv(a, 2, MPI_LONG, 0, TAG_ASSIGN, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
				pthread_mutex_lock(&w.lock);
				for (long k = a[0]; k < a[0] + a[1] && w.queued < w.cap; k++)
					w.queue[(w.head + w.queued++) % w.cap] = k;
				pthread_cond_broadcast(&w.cond);
				pthread_mutex_unlock(&w.lock);
				asked = 0;
			} else {
				MPI_Recv(NULL, 0, MPI_LONG, 0, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
				stop = 1;  /* TAG_STOP: the last message from rank 0 */
				asked = 0;
			}
		}
		pthread_mutex_lock(&w.lock);
		if (stop && (w.queued + w.running + w.n_done == 0 || (w.fatal && w.running == 0 && w.n_done == 0)))
			break;
		if (!progressed)
			wait_ms(&w.cond, &w.lock, 1);
	}
	w.quit = 1;
	pthread_cond_broadcast(&w.cond);
	pthread_mutex_unlock(&w.lock);
	for (int t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	MPI_Send(NULL, 0, MPI_CHAR, 0, TAG_DONE, MPI_COMM_WORLD);
	free(buf);
	free(w.queue);
	free(w.done_k);
	free(w.done_row);
	free(send_k);
	free(send_row);
	free(threads);
	pthread_mutex_destroy(&w.lock);
	pthread_cond_destroy(&w.cond);
	return TS_OK;
}

/* Threads per rank when -j is not given: the node's processors shared by
 * the ranks on it. */
static int default_jobs(void)
{
	MPI_Comm node;
	int local = 1;
	if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) == MPI_SUCCESS) {
		MPI_Comm_size(node, &local);
		MPI_Comm_free(&node);
	}
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	long jobs = cpus / (local > 0 ? local : 1);
	return jobs >= 1 ? (int)jobs : 1;
}

int cli_sweep_execute(const ts_sweep *sweep, const ts_sweep_options *options, ts_error *err)
{
	if (!mpi_on || ranks == 1)
		return ts_sweep_run(sweep, options, err);
	int jobs = options->jobs > 0 ? options->jobs : default_jobs();
	long threads = jobs, all_threads = 0;
	MPI_Allreduce(&threads, &all_threads, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
	/* As ts_sweep_run: a few rows per thread may wait for a slow one. */
	long window = 4 * all_threads + 16;
	int rc = rank == 0 ? coordinate(sweep, options, jobs, window, err) : work(sweep, options, jobs);
	MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
	if (rc != TS_OK && rank != 0)
		ts_error_set(err, (ts_status)rc, "see rank 0");
	return rc;
}

#endif
