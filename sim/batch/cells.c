/* Per-cell statistics of replications, a block at a time (cells.h). */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradesim/sim.h>
#include "batch/cells.h"
#include "scenario/spec.h"
#include "util/assert.h"
#include "util/parallel.h"

/* Cells in a block at most, whatever the number of replications: the text
 * of a block waiting to be written stays small (about 1 MB). */
#define MAX_BLOCK_CELLS ((size_t)8192)

/* The key texts of every row of a per-entity table, "K1\0K2\0" packed per
 * row into one malloc'd array of n_keys pointers per row (caller frees both). */
typedef struct key_list {
	char *text;
	const char **keys;           /* [row * n_keys + k] */
} key_list;

static int key_list_make(key_list *kl, const ts_scenario *s, const ts_cell_table *et, ts_error *err)
{
	memset(kl, 0, sizeof *kl);
	ts_sim *probe = NULL;
	int rc = ts_sim_alloc(&probe, s, ts_scenario_seed(s), err);
	if (rc != TS_OK)
		return rc;
	size_t len = 0, n = (size_t)et->rows * (size_t)et->t->n_keys;
	for (int r = 0; r < et->rows; r++)
		for (int k = 0; k < et->t->n_keys; k++)
			len += strlen(et->t->columns[k].text(probe, r)) + 1;
	kl->text = malloc(len + 1);
	kl->keys = malloc((n + 1) * sizeof *kl->keys);
	if (!kl->text || !kl->keys) {
		ts_sim_free(probe);
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	char *p = kl->text;
	for (int r = 0; r < et->rows; r++)
		for (int k = 0; k < et->t->n_keys; k++) {
			const char *key = et->t->columns[k].text(probe, r);
			size_t m = strlen(key) + 1;
			memcpy(p, key, m);
			kl->keys[(size_t)r * (size_t)et->t->n_keys + (size_t)k] = p;
			p += m;
		}
	ts_sim_free(probe);
	return TS_OK;
}

static void key_list_free(key_list *kl)
{
	free(kl->text);
	free(kl->keys);
	memset(kl, 0, sizeof *kl);
}

/* "step,date,<keys><tail>", malloc'd (NULL: out of memory). */
static char *cells_header(const ts_table *t, const char *tail)
{
	size_t n = strlen(tail) + 32;
	for (int k = 0; k < t->n_keys; k++)
		n += strlen(t->columns[k].name) + 1;
	char *h = malloc(n);
	if (!h)
		return NULL;
	strcpy(h, "step,date");
	for (int k = 0; k < t->n_keys; k++) {
		strcat(h, ",");
		strcat(h, t->columns[k].name);
	}
	strcat(h, tail);
	return h;
}

/* What a worker holds to compute a block: n values of every replication of
 * A (and B) as read back ([rep * n + i]), and one cell's values of every
 * replication gathered from them. */
typedef struct cell_pass {
	double *block_a, *block_b;   /* [reps * block] */
	double *cell_a, *cell_b, *scratch;  /* [reps] each */
} cell_pass;

static void cell_pass_free(cell_pass *p)
{
	free(p->block_a);
	free(p->block_b);
	free(p->cell_a);
	free(p->cell_b);
	free(p->scratch);
	memset(p, 0, sizeof *p);
}

static int cell_pass_alloc(cell_pass *p, size_t reps, size_t block, int compare, ts_error *err)
{
	memset(p, 0, sizeof *p);
	p->block_a = malloc(reps * block * sizeof *p->block_a);
	p->block_b = compare ? malloc(reps * block * sizeof *p->block_b) : NULL;
	p->cell_a = malloc(reps * sizeof *p->cell_a);
	p->cell_b = malloc(reps * sizeof *p->cell_b);
	p->scratch = malloc(reps * sizeof *p->scratch);
	if (!p->block_a || (compare && !p->block_b) || !p->cell_a || !p->cell_b || !p->scratch) {
		cell_pass_free(p);
		return ts_error_set(err, TS_ENOMEM, "out of memory for %zu values", reps * block);
	}
	return TS_OK;
}

/* A write: blocks are items; table t's are [first_item[t], first_item[t + 1]). */
typedef struct cells_run {
	const ts_cells_spec *sp;
	size_t block;                /* cells per block */
	long first_item[TS_CELLS_MAX_TABLES + 1];
	key_list keys[TS_CELLS_MAX_TABLES];
	cell_pass *pass;             /* [worker] */
	int jobs;
} cells_run;

/* Column i of a block read back: value i of every replication. */
static void gather(double *cell, const double *block, size_t n, size_t i, int reps)
{
	for (int q = 0; q < reps; q++)
		cell[q] = block[(size_t)q * n + i];
}

/* The rows of table t's cells [c0, c0 + n): step, date, the entity's keys,
 * the metric, then what the cell writer writes. */
static int write_block(ts_csv *csv, const cells_run *cr, int t, size_t c0, size_t n, cell_pass *p,
                       ts_error *err)
{
	const ts_cells_spec *sp = cr->sp;
	const ts_cell_table *ta = &sp->tab[t];
	int rc = ts_rep_values_get(sp->a, ta->first + c0, n, p->block_a, err);
	if (rc == TS_OK && sp->b)
		rc = ts_rep_values_get(sp->b, ta->first + c0, n, p->block_b, err);
	if (rc != TS_OK)
		return rc;
	const ts_run_spec *run = &((const struct ts_scenario *)sp->s)->run;
	size_t per_step = (size_t)ta->rows * (size_t)ta->nnum;
	int n_keys = ta->t->n_keys;
	for (size_t i = 0; i < n; i++) {
		size_t c = c0 + i;
		int step = (int)(c / per_step), r = (int)(c % per_step / (size_t)ta->nnum), k = (int)(c % (size_t)ta->nnum);
		char date[32];
		ts_calendar_label(run, step, date, sizeof date);
		gather(p->cell_a, p->block_a, n, i, sp->reps);
		if (sp->b)
			gather(p->cell_b, p->block_b, n, i, sp->reps);
		ts_csv_int(csv, step);
		ts_csv_text(csv, date);
		for (int q = 0; q < n_keys; q++)
			ts_csv_text(csv, cr->keys[t].keys[(size_t)r * (size_t)n_keys + (size_t)q]);
		ts_csv_text(csv, ta->t->columns[ta->num[k]].name);
		sp->cell(csv, p->cell_a, sp->b ? p->cell_b : NULL, sp->reps, p->scratch, sp->arg);
		ts_csv_end_row(csv);
	}
	return TS_OK;
}

static int table_of(const cells_run *cr, long item)
{
	int t = 0;
	while (item >= cr->first_item[t + 1])
		t++;
	return t;
}

/* A block's rows as text, handed to the writer. */
typedef struct block_text {
	char *text;
	size_t len;
} block_text;

static void block_text_free(void *p)
{
	block_text *b = p;
	if (b)
		free(b->text);
	free(b);
}

/* Executor item: one block's rows into memory (open_memstream). */
static int block_item(long item, int worker, void *ctx, void **result, ts_error *err)
{
	cells_run *cr = ctx;
	int t = table_of(cr, item);
	size_t c0 = (size_t)(item - cr->first_item[t]) * cr->block, cells = cr->sp->tab[t].cells;
	block_text *bt = calloc(1, sizeof *bt);
	FILE *fp = bt ? open_memstream(&bt->text, &bt->len) : NULL;
	if (!fp) {
		free(bt);
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	ts_csv mem;
	ts_csv_over(&mem, fp);
	ts_c_locale loc = {(locale_t)0, (locale_t)0};
	int rc = ts_c_locale_enter(&loc, err);  /* threads start in the global locale */
	if (rc == TS_OK) {
		rc = write_block(&mem, cr, t, c0, cells - c0 < cr->block ? cells - c0 : cr->block, &cr->pass[worker], err);
		ts_c_locale_leave(&loc);
	}
	if ((ts_csv_release(&mem) | ferror(fp) | fclose(fp)) != 0 && rc == TS_OK)
		rc = ts_error_set(err, TS_ENOMEM, "out of memory for the rows of %s", cr->sp->tab[t].t->file);
	if (rc == TS_OK)
		*result = bt;
	else
		block_text_free(bt);
	return rc;
}

int ts_cells_same_keys(const ts_scenario *a, const ts_scenario *b, const ts_cell_table *ta,
                       const ts_cell_table *tb, ts_error *err)
{
	if (ta->rows != tb->rows)
		return ts_error_set(err, TS_EINPUT, "%s: A has %d rows per step, B %d: compare needs the same entities",
		                    ta->t->file, ta->rows, tb->rows);
	key_list ka, kb;
	int rc = key_list_make(&ka, a, ta, err);
	if (rc != TS_OK)
		return rc;
	rc = key_list_make(&kb, b, tb, err);
	if (rc != TS_OK) {
		key_list_free(&ka);
		return rc;
	}
	for (size_t i = 0; i < (size_t)ta->rows * (size_t)ta->t->n_keys && rc == TS_OK; i++)
		if (strcmp(ka.keys[i], kb.keys[i]) != 0)
			rc = ts_error_set(err, TS_EINPUT, "%s: row %zu is '%s' in A but '%s' in B: compare needs the same entities",
			                  ta->t->file, i / (size_t)ta->t->n_keys, ka.keys[i], kb.keys[i]);
	key_list_free(&ka);
	key_list_free(&kb);
	return rc;
}

static void cells_run_free(cells_run *cr)
{
	for (int t = 0; t < cr->sp->ntab; t++)
		key_list_free(&cr->keys[t]);
	for (int w = 0; cr->pass && w < cr->jobs; w++)
		cell_pass_free(&cr->pass[w]);
	free(cr->pass);
}

/* Blocks of at most block_values / reps cells (at least one, at most
 * MAX_BLOCK_CELLS), the items of each table, its keys, a pass per worker,
 * and the files opened with their headers. */
static int cells_run_init(cells_run *cr, const ts_cells_spec *sp, ts_csv *const *csv, ts_error *err)
{
	memset(cr, 0, sizeof *cr);
	TS_ASSERT(sp->ntab <= TS_CELLS_MAX_TABLES && sp->reps >= 1);
	cr->sp = sp;
	size_t reps = (size_t)sp->reps;
	cr->block = sp->block_values / reps ? sp->block_values / reps : 1;
	cr->block = cr->block < MAX_BLOCK_CELLS ? cr->block : MAX_BLOCK_CELLS;
	int rc = TS_OK;
	for (int t = 0; t < sp->ntab && rc == TS_OK; t++) {
		cr->first_item[t + 1] = cr->first_item[t] + (long)((sp->tab[t].cells + cr->block - 1) / cr->block);
		char name[64], *header = cells_header(sp->tab[t].t, sp->columns);
		snprintf(name, sizeof name, "%s_%s", sp->prefix, sp->tab[t].t->file);
		rc = header ? ts_csv_open(csv[t], sp->dir, name, header, err) : ts_error_set(err, TS_ENOMEM, "out of memory");
		free(header);
		if (rc == TS_OK)
			rc = key_list_make(&cr->keys[t], sp->s, &sp->tab[t], err);
	}
	long items = cr->first_item[sp->ntab];
	cr->jobs = sp->jobs < items ? sp->jobs : (int)(items ? items : 1);
	cr->jobs = cr->jobs > 0 ? cr->jobs : 1;  /* sp->jobs >= 1; and the compiler sees it */
	if (rc == TS_OK && !(cr->pass = calloc((size_t)cr->jobs, sizeof *cr->pass)))
		rc = ts_error_set(err, TS_ENOMEM, "out of memory");
	for (int w = 0; w < cr->jobs && rc == TS_OK; w++)
		rc = cell_pass_alloc(&cr->pass[w], reps, cr->block, sp->b != NULL, err);
	return rc;
}

/* Appends the blocks in item order as the workers hand them over; a table
 * is closed (synced) once its last block is in, while later blocks run. */
static int write_blocks(ts_executor *x, const cells_run *cr, ts_csv *const *csv, ts_error *err)
{
	long item;
	void *result;
	int rc = TS_OK;
	while (rc == TS_OK && ts_executor_next(x, -1, &item, &result) == TS_EXECUTOR_RESULT) {
		block_text *bt = result;
		int t = table_of(cr, item);
		fwrite(bt->text, 1, bt->len, csv[t]->fp);
		block_text_free(bt);
		if (item + 1 == cr->first_item[t + 1])
			rc = ts_csv_close(csv[t], err);
	}
	return rc;
}

int ts_cells_write(const ts_cells_spec *sp, ts_csv *const *csv, ts_error *err)
{
	cells_run cr;
	int rc = cells_run_init(&cr, sp, csv, err);
	ts_executor_options xo = TS_EXECUTOR_OPTIONS_INIT;
	xo.jobs = cr.jobs;
	xo.end = cr.first_item[sp->ntab];
	/* The text of a few blocks per worker waits at most: enough that the
	 * workers go on while a finished table is synced. */
	xo.window = 8 * (long)cr.jobs + 8;
	xo.work = block_item;
	xo.release = block_text_free;
	xo.ctx = &cr;
	ts_executor *x = NULL;
	if (rc == TS_OK && xo.end > 0)
		rc = ts_executor_start(&x, &xo, err);
	if (x) {
		ts_error run_err = TS_ERROR_INIT;
		rc = write_blocks(x, &cr, csv, err);
		int xrc = ts_executor_finish(x, &run_err);
		if (rc == TS_OK && xrc != TS_OK) {
			*err = run_err;
			rc = xrc;
		}
	}
	for (int t = 0; t < sp->ntab && rc == TS_OK; t++)
		rc = ts_csv_close(csv[t], err);  /* tables without cells; the others are closed */
	cells_run_free(&cr);
	return rc;
}
