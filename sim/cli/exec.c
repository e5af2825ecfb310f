/* Sweep execution for the CLI: threads in one process (ts_sweep_run), or,
 * in a build with TRADESIM_MPI started by mpirun with more than one rank,
 * rank 0 writing the journal and handing out runs, every rank (rank 0
 * included) running them on the thread executor (util/parallel.h): rank 0's
 * executor keeps the reorder window and takes the other ranks' results as
 * claimed items; the others' executors take the runs given to them as an
 * open-ended stream. Either way sweep.csv holds the same bytes.
 *
 * The protocol (tags below): a worker rank asks rank 0 for up to n runs
 * (REQUEST n) whenever it has room; rank 0 answers ASSIGN k0 m (the shard's
 * runs k0 .. k0+m-1, all inside the reorder window of rank 0, so its memory
 * stays flat whatever the number of runs) or, when nothing is left to hand
 * out (done, interrupted or failed), STOP, once per worker. A worker sends
 * each finished row back (RESULT: k, then the row), what stops it (memory,
 * a link in the output directory) as ERROR (status, then the message), and
 * after STOP, once its runs are all sent back, DONE. Only the
 * main thread of a rank calls MPI (MPI_THREAD_FUNNELED). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

int cli_parallel_agree(int status, const char *what, const char *hash, ts_error *err)
{
	(void)what;
	(void)hash;
	(void)err;
	return status;
}

const ts_calibrate_share *cli_calibrate_share(int *jobs)
{
	(void)jobs;
	return NULL;
}

int cli_sweep_execute(const ts_sweep *sweep, const ts_sweep_options *options, ts_error *err)
{
	return ts_sweep_run(sweep, options, err);
}

#else

#include <mpi.h>
#include <stdio.h>
#include "util/parallel.h"

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

int cli_parallel_agree(int status, const char *what, const char *hash, ts_error *err)
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
				         "rank %d loaded another %s than rank 0 (%s_sha256 %.12s... vs %.12s...): "
				         "every rank must see the same %s and scenario files",
				         rank, what, what, hash, hash0, what);
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

/* The rank's share of the runs: item k of the executor is the shard's k-th
 * run (rank 0), or the k-th run this rank was given (others, through `given`). */
typedef struct rank_job {
	const ts_sweep *s;
	const ts_sweep_options *o;
	const long *given;           /* others: [ticket % cap] -> the shard's run index */
	long cap;
} rank_job;

static int run_item(long item, int worker, void *ctx, void **result, ts_error *err)
{
	(void)worker;
	const rank_job *job = ctx;
	long k = job->given ? job->given[item % job->cap] : item;
	char *row = NULL;
	int rc = ts_sweep_run_row(job->s, ts_sweep_shard_run_id(job->o->shard, job->o->shards, k), job->o->output_dir,
	                          job->o->series, &row, err);
	*result = row;
	return rc;
}

/* ---- rank 0: the journal, the reorder window, its own threads ---- */

typedef struct coordinator {
	const ts_sweep_options *o;
	ts_sweep_journal *j;
	ts_executor *x;
	long written, total;
	long *pending;               /* [rank]: runs asked for, 0: none */
	char *stopped;               /* [rank]: STOP sent */
	int remaining;               /* workers that have not sent DONE */
	int rc;                      /* the first write error */
} coordinator;

/* Receives one message from a worker rank: a request, a result (put into the
 * executor's window), an error (which stops the sweep) or DONE. */
static void coordinator_receive(coordinator *c, const MPI_Status *st)
{
	int w = st->MPI_SOURCE, count = 0;
	MPI_Get_count(st, MPI_CHAR, &count);
	if (st->MPI_TAG == TAG_REQUEST) {
		int n = 0;
		MPI_Recv(&n, 1, MPI_INT, w, TAG_REQUEST, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		c->pending[w] = n > 0 ? n : 1;
		return;
	}
	if (st->MPI_TAG == TAG_DONE) {
		MPI_Recv(NULL, 0, MPI_CHAR, w, TAG_DONE, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		c->remaining--;
		return;
	}
	char *buf = malloc((size_t)count + 1);
	if (!buf) {  /* the message cannot be left pending, nor received */
		fputs("tradesim: out of memory\n", stderr);
		MPI_Abort(MPI_COMM_WORLD, EXIT_RUN);
	}
	MPI_Recv(buf, count, MPI_CHAR, w, st->MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
	ts_error err = TS_ERROR_INIT;
	if (st->MPI_TAG == TAG_ERROR && count > (int)sizeof(int)) {  /* the status, then the message */
		int status;
		memcpy(&status, buf, sizeof status);
		buf[count] = '\0';
		ts_error_set(&err, status < 0 ? (ts_status)status : TS_ERUN, "rank %d: %s", w, buf + sizeof status);
		ts_executor_fail(c->x, &err);
		free(buf);
		return;
	}
	if (st->MPI_TAG == TAG_ERROR || count < (int)sizeof(long)) {
		free(buf);
		ts_error_set(&err, TS_EIO, "rank %d: malformed result message", w);
		ts_executor_fail(c->x, &err);
		return;
	}
	long k;
	memcpy(&k, buf, sizeof k);
	memmove(buf, buf + sizeof k, (size_t)count - sizeof k);
	buf[count - (int)sizeof k] = '\0';
	if (ts_executor_put(c->x, k, buf, &err) != TS_OK) {  /* takes buf in any case */
		ts_error_set(&err, TS_EIO, "rank %d: a result rank 0 did not hand out", w);
		ts_executor_fail(c->x, &err);
	}
}

/* Answers every worker that asked (runs within the window) and, once
 * nothing is left to hand out, sends each worker STOP. */
static int coordinator_answer(coordinator *c)
{
	int progressed = 0, has_work = ts_executor_has_work(c->x);
	for (int w = 1; w < ranks; w++) {
		if (c->stopped[w] || (!c->pending[w] && has_work))
			continue;
		if (!has_work) {
			MPI_Send(NULL, 0, MPI_LONG, w, TAG_STOP, MPI_COMM_WORLD);  /* even to a worker that did not ask */
			c->stopped[w] = 1;
		} else {
			long a[2];
			a[1] = ts_executor_claim(c->x, c->pending[w], &a[0]);
			if (a[1] == 0)
				continue;  /* the window is full: later */
			MPI_Send(a, 2, MPI_LONG, w, TAG_ASSIGN, MPI_COMM_WORLD);
		}
		c->pending[w] = 0;
		progressed = 1;
	}
	return progressed;
}

/* Appends the rows the executor hands over, in run order, waiting up to
 * wait_ms for the first. Returns whether rows were taken; *drained when
 * nothing more will come from the executor. */
static int coordinator_write(coordinator *c, long wait_ms, int *drained, ts_error *err)
{
	long k;
	void *row;
	int taken = 0;
	ts_executor_state st;
	while ((st = ts_executor_next(c->x, taken ? 0 : wait_ms, &k, &row)) == TS_EXECUTOR_RESULT) {
		taken = 1;
		if (c->rc == TS_OK)
			c->rc = ts_sweep_journal_append(c->j, row, err);
		free(row);
		if (c->rc != TS_OK) {
			ts_executor_stop(c->x);  /* no more runs; the workers' results still come and go */
			continue;
		}
		c->written = k + 1;
		ts_sweep_journal_report(c->j);
	}
	*drained = st == TS_EXECUTOR_DRAINED;
	return taken;
}

/* Only this thread calls MPI: it writes rows in order, answers the workers
 * and polls for their messages, while the executor's threads run. */
static void coordinator_loop(coordinator *c, ts_error *err)
{
	int progressed = 1, drained = 0;
	for (;;) {
		progressed = coordinator_write(c, progressed ? 0 : 1, &drained, err);
		progressed |= coordinator_answer(c);
		for (int flag = 1; flag;) {
			MPI_Status st;
			MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
			if (flag) {
				coordinator_receive(c, &st);
				progressed = 1;
			}
		}
		if (drained && !progressed) {
			if (c->remaining == 0)
				break;
			/* Nothing runs here any more and every worker has its STOP:
			 * only their messages can come, so wait for one. */
			MPI_Status st;
			MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
			coordinator_receive(c, &st);
			progressed = 1;
		}
	}
}

static int coordinate(const ts_sweep *s, const ts_sweep_options *o, int jobs, long window, ts_error *err)
{
	coordinator c = {o, NULL, NULL, 0, 0, calloc((size_t)ranks, sizeof *c.pending), calloc((size_t)ranks, 1),
	                 ranks - 1, TS_OK};
	int rc = c.pending && c.stopped ? ts_sweep_journal_open(&c.j, s, o, err)
	                                : ts_error_set(err, TS_ENOMEM, "out of memory");
	rank_job job = {s, o, NULL, 0};
	ts_executor_options xo = TS_EXECUTOR_OPTIONS_INIT;
	if (rc == TS_OK) {
		xo.jobs = jobs;
		xo.begin = c.written = ts_sweep_journal_done(c.j);
		xo.end = c.total = ts_sweep_journal_total(c.j);
		xo.window = window;
		xo.cancel = o->cancel;
		xo.work = run_item;
		xo.ctx = &job;
		rc = ts_executor_start(&c.x, &xo, err);
	}
	int start_rc = rc;
	MPI_Bcast(&start_rc, 1, MPI_INT, 0, MPI_COMM_WORLD);  /* the workers start, or return it */
	if (rc == TS_OK) {
		ts_sweep_journal_report(c.j);
		coordinator_loop(&c, err);
		rc = c.rc;
		int xrc = ts_executor_finish(c.x, rc == TS_OK ? err : NULL);
		if (rc == TS_OK)
			rc = xrc;
		if (rc == TS_OK && c.written < c.total)
			rc = ts_error_set(err, TS_ECANCELED, "%s: stopped after %ld of %ld runs", o->output_dir, c.written,
			                  c.total);
	}
	int crc = ts_sweep_journal_close(c.j, rc == TS_OK ? err : NULL);
	free(c.pending);
	free(c.stopped);
	return rc == TS_OK ? crc : rc;
}

/* ---- ranks 1..K-1: run what rank 0 hands out ---- */

typedef struct worker {
	ts_executor *x;
	long *given;                 /* [ticket % cap]: the shard's run index */
	long cap, tickets;           /* items added to the executor so far */
	int asked, stop;
	char *buf;                   /* a result message: k, then the row */
	size_t buf_size;
} worker;

/* Sends the rows the executor hands over to rank 0 (RESULT: k, then the
 * row), waiting up to wait_ms for the first. *drained when nothing more
 * will come. Returns whether any was sent. */
static int worker_send(worker *w, long wait_ms, int *drained)
{
	long ticket;
	void *row;
	int sent = 0;
	ts_executor_state st;
	while ((st = ts_executor_next(w->x, sent ? 0 : wait_ms, &ticket, &row)) == TS_EXECUTOR_RESULT) {
		long k = w->given[ticket % w->cap];
		size_t len = strlen(row), need = sizeof k + len;
		if (need > w->buf_size) {
			char *grown = realloc(w->buf, need);
			if (!grown) {
				fputs("tradesim: out of memory\n", stderr);
				MPI_Abort(MPI_COMM_WORLD, EXIT_RUN);
			}
			w->buf = grown;
			w->buf_size = need;
		}
		memcpy(w->buf, &k, sizeof k);
		memcpy(w->buf + sizeof k, row, len);
		MPI_Send(w->buf, (int)need, MPI_CHAR, 0, TAG_RESULT, MPI_COMM_WORLD);
		free(row);
		sent = 1;
	}
	*drained = st == TS_EXECUTOR_DRAINED;
	return sent;
}

/* Takes rank 0's messages: ASSIGN k0 m (queued as items of the executor)
 * or STOP (its last message). Returns whether any came. */
static int worker_receive(worker *w)
{
	int any = 0;
	for (int flag = 1; flag;) {
		MPI_Status st;
		MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
		if (!flag)
			break;
		any = 1;
		if (st.MPI_TAG == TAG_ASSIGN) {
			long a[2];
			MPI_Recv(a, 2, MPI_LONG, 0, TAG_ASSIGN, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			long m = a[1] <= ts_executor_room(w->x) ? a[1] : ts_executor_room(w->x);
			for (long i = 0; i < m; i++)
				w->given[(w->tickets + i) % w->cap] = a[0] + i;
			w->tickets += m;
			ts_executor_extend(w->x, m);
		} else {
			MPI_Recv(NULL, 0, MPI_LONG, 0, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			w->stop = 1;  /* TAG_STOP */
			ts_executor_close(w->x);
		}
		w->asked = 0;
	}
	return any;
}

/* Until STOP and every given run sent back, or a run could not be made. */
static void worker_loop(worker *w)
{
	int progressed = 1, drained = 0;
	for (;;) {
		progressed = worker_send(w, progressed ? 0 : 1, &drained);
		if (drained)
			break;  /* STOP came and all is sent, or a run failed (finish says why) */
		long room = ts_executor_room(w->x);
		if (!w->stop && !w->asked && room > 0) {
			int n = (int)room;
			MPI_Send(&n, 1, MPI_INT, 0, TAG_REQUEST, MPI_COMM_WORLD);
			w->asked = 1;
		}
		progressed |= worker_receive(w);
	}
}

static int work(const ts_sweep *s, const ts_sweep_options *o, int jobs)
{
	int start_rc = TS_OK;
	MPI_Bcast(&start_rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
	if (start_rc != TS_OK)
		return start_rc;
	/* A run queued behind each running one hides the round trip to rank 0. */
	worker w = {NULL, calloc((size_t)(2 * jobs), sizeof *w.given), 2 * jobs, 0, 0, 0, NULL, 0};
	rank_job job = {s, o, w.given, w.cap};
	ts_executor_options xo = TS_EXECUTOR_OPTIONS_INIT;
	xo.jobs = jobs;
	xo.open_ended = 1;
	xo.window = w.cap;
	xo.work = run_item;  /* no cancel: rank 0 decides what runs, and waits for what it handed out */
	xo.ctx = &job;
	ts_error err = TS_ERROR_INIT;
	int rc = w.given ? ts_executor_start(&w.x, &xo, &err) : ts_error_set(&err, TS_ENOMEM, "out of memory");
	if (rc == TS_OK) {
		worker_loop(&w);
		rc = ts_executor_finish(w.x, &err);
	}
	if (rc != TS_OK) {
		/* Rank 0 stops the sweep with this message, then sends STOP. */
		size_t len = strlen(err.message) + 1;
		char message[sizeof(int) + TS_ERROR_MESSAGE_MAX];
		int status = err.status;
		memcpy(message, &status, sizeof status);
		memcpy(message + sizeof status, err.message, len);
		MPI_Send(message, (int)(sizeof status + len), MPI_CHAR, 0, TAG_ERROR, MPI_COMM_WORLD);
		while (!w.stop) {
			MPI_Status st;
			MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
			long a[2];
			MPI_Recv(a, 2, MPI_LONG, 0, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			w.stop = st.MPI_TAG == TAG_STOP;
		}
	}
	MPI_Send(NULL, 0, MPI_CHAR, 0, TAG_DONE, MPI_COMM_WORLD);
	free(w.buf);
	free(w.given);
	return TS_OK;
}

/* Threads per rank when -j is not given: the node's processors shared by
 * the ranks on it. */
static int default_jobs(void);

/* ---- a calibration: every rank runs the search, the evaluations spread ---- */

/* A calibration's exchange (ts_calibrate_share): the ranks agree on their
 * status, then each sends the rows it made (item i is rank i % ranks's),
 * end to end with their NULs, and receives everyone's. */
static int exchange_rows(void *ctx, char **rows, long n, int status, ts_error *err)
{
	(void)ctx;
	size_t size = 0;
	for (long i = rank; status == TS_OK && i < n; i += ranks)
		size += strlen(rows[i]) + 1;
	char *mine = status == TS_OK ? malloc(size + 1) : NULL;
	if (status == TS_OK && (!mine || size > INT_MAX))
		status = ts_error_set(err, mine ? TS_EIO : TS_ENOMEM, mine ? "a batch of rows over 2 GB" : "out of memory");
	status = cli_parallel_agree(status, "calibration", NULL, err);
	int *sizes = status == TS_OK ? calloc((size_t)ranks * 2, sizeof *sizes) : NULL;
	if (status == TS_OK && !sizes)
		MPI_Abort(MPI_COMM_WORLD, EXIT_RUN);  /* the others are in the collective below */
	long total = 0;
	char *all = NULL;
	if (status == TS_OK) {
		size = 0;
		for (long i = rank; i < n; i += ranks)
			size += (size_t)(stpcpy(mine + size, rows[i]) - (mine + size)) + 1;
		int my = (int)size;
		MPI_Allgather(&my, 1, MPI_INT, sizes, 1, MPI_INT, MPI_COMM_WORLD);
		for (int r = 0; r < ranks; r++) {
			sizes[ranks + r] = (int)total;
			total += sizes[r];
		}
		if (total > INT_MAX || !(all = malloc((size_t)total + 1)))
			MPI_Abort(MPI_COMM_WORLD, EXIT_RUN);
		MPI_Allgatherv(mine, my, MPI_CHAR, all, sizes, sizes + ranks, MPI_CHAR, MPI_COMM_WORLD);
		for (int r = 0; r < ranks; r++) {
			const char *p = all + sizes[ranks + r];
			for (long i = r; i < n; i += ranks, p += strlen(p) + 1)
				if (r != rank && !(rows[i] = strdup(p)))
					MPI_Abort(MPI_COMM_WORLD, EXIT_RUN);
		}
	}
	for (long i = 0; status != TS_OK && rows && i < n; i++) {
		free(rows[i]);
		rows[i] = NULL;
	}
	free(all);
	free(sizes);
	free(mine);
	return status;
}

const ts_calibrate_share *cli_calibrate_share(int *jobs)
{
	static ts_calibrate_share share;
	if (!mpi_on || ranks == 1)
		return NULL;
	if (*jobs <= 0)
		*jobs = default_jobs();
	long threads = *jobs, all_threads = 0;
	MPI_Allreduce(&threads, &all_threads, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
	share = (ts_calibrate_share){rank, ranks, all_threads, exchange_rows, NULL};
	return &share;
}

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
