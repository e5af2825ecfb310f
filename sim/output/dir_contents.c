/* What an output directory holds (dir_contents.h): its entries sorted into
 * tradesim's and the user's, its run.json or sweep.json read for the kind
 * of output and the scenario, and the claim of a new output checked
 * against them. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "output/csv.h"
#include "output/dir_contents.h"
#include "output/tables.h"
#include "util/json_reader.h"
#include "util/textfile.h"

const char *const ts_output_kind_names[TS_OUTPUT_KINDS] = {"run", "replications", "comparison", "sweep",
                                                            "calibration"};

/* Files of a sweep directory: sweep.json names it; the others, without it,
 * are a sweep's all the same. */
static const char *const sweep_names[] = {"sweep.json", "points.csv", "sweep.csv", "sweep.csv.part",
                                          "sensitivity.csv"};

/* Files of a calibration directory (tradesim calibrate): calibrate.json
 * names it. */
static const char *const calibration_names[] = {"calibrate.json", "calibrate.csv", "calibrate.csv.part", "best.csv",
                                                "best.cfg", "acceptance.csv", "profile.csv"};

/* buf = a/b; 0, or -1 when it does not fit (the path is then refused). */
static int join(char *buf, size_t size, const char *a, const char *b)
{
	int n = snprintf(buf, size, "%s/%s", a, b);
	return n >= 0 && (size_t)n < size ? 0 : -1;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && strcmp(s + n - m, tail) == 0;
}

static int is_table_file(const char *name, int with_prefixes)
{
	for (int t = 0; t < ts_n_tables; t++) {
		const char *file = ts_tables[t].file;
		if (strcmp(name, file) == 0)
			return 1;
		if (!with_prefixes || !ts_tables[t].per_entity)
			continue;
		if ((strncmp(name, "summary_", 8) == 0 && strcmp(name + 8, file) == 0) ||
		    (strncmp(name, "compare_", 8) == 0 && strcmp(name + 8, file) == 0))
			return 1;
	}
	return 0;
}

/* The PNG files the scripts of analysis/ write into the directory they plot. */
static int is_plot_name(const char *name)
{
	static const char *const fixed[] = {"firms_revenue.png", "countries_welfare.png", "tech_levels.png",
	                                    "sensitivity.png"};
	static const char *const prefixes[] = {"ensemble_", "compare_", "sweep_", "calibrate_"};
	if (!ends_with(name, ".png"))
		return 0;
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (strcmp(name, fixed[i]) == 0)
			return 1;
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

int ts_output_is_tradesim_name(const char *name, int in_run)
{
	static const char *const fixed[] = {"run.json", "scenario.cfg", "reps.csv", "check.csv", "compare_totals.csv",
	                                    "events_a.csv", "events_b.csv"};
	if (ts_csv_is_temp_name(name) || is_plot_name(name) || is_table_file(name, !in_run))
		return 1;
	for (size_t i = 0; i < (in_run ? 2 : sizeof fixed / sizeof fixed[0]); i++)
		if (strcmp(name, fixed[i]) == 0)
			return 1;
	for (size_t i = 0; !in_run && i < sizeof sweep_names / sizeof sweep_names[0]; i++)
		if (strcmp(name, sweep_names[i]) == 0)
			return 1;
	for (size_t i = 0; !in_run && i < sizeof calibration_names / sizeof calibration_names[0]; i++)
		if (strcmp(name, calibration_names[i]) == 0)
			return 1;
	return 0;
}

/* ---- what the directory holds ---- */

typedef struct contents {
	const char *dir;
	int kind;                    /* ts_output_kind, or -1: no run.json nor sweep.json */
	char what[1024];             /* "a run of x.cfg (run.json)" */
	char *scenario, *scenario_b; /* owned */
	char *listed;                /* run.json's "files" array as written, owned; may be NULL */
	char sweep_file[64];         /* a sweep's file there without sweep.json; "" none */
	char foreign[512];           /* entries tradesim does not write, for the message */
	int n_foreign;
} contents;

static void contents_free(contents *c)
{
	free(c->scenario);
	free(c->scenario_b);
	free(c->listed);
}

static char *json_string_or_null(const ts_json_object *o, const char *key)
{
	const ts_json_member *m = ts_json_find(o, key);
	return m && m->type == TS_JSON_STRING ? strdup(m->string) : NULL;
}

/* The kind run.json records, or (files of earlier versions, without it)
 * the kind its keys imply. */
static int run_json_kind(const ts_json_object *o)
{
	const ts_json_member *m = ts_json_find(o, "kind");
	for (int k = 0; m && m->type == TS_JSON_STRING && k < TS_OUTPUT_SWEEP; k++)
		if (strcmp(m->string, ts_output_kind_names[k]) == 0)
			return k;
	if (ts_json_find(o, "scenario_a"))
		return TS_OUTPUT_COMPARISON;
	return ts_json_find(o, "reps") ? TS_OUTPUT_REPLICATIONS : TS_OUTPUT_RUN;
}

/* What "DIR/NAME" (run.json or sweep.json) says: kind, scenario, files.
 * One tradesim cannot read is refused, but for force, which clears it. */
static int read_manifest(contents *c, const char *name, int force, ts_error *err)
{
	char path[PATH_MAX];
	if (join(path, sizeof path, c->dir, name) != 0)
		return ts_error_set(err, TS_EINPUT, "%s: directory name too long", c->dir);
	char *text = NULL;
	size_t length = 0;
	ts_json_object o;
	ts_error why = TS_ERROR_INIT;
	int rc = ts_read_file(&text, &length, path, &why);
	if (rc == TS_OK)
		rc = ts_json_parse_object(&o, text, length, path, &why);
	if (rc != TS_OK) {
		free(text);
		if (force && rc != TS_ENOMEM)
			return TS_OK;
		return ts_error_set(err, rc == TS_ENOMEM ? TS_ENOMEM : TS_EINPUT,
		                    "%s holds a %s that tradesim cannot read (%s); use --force to replace it or another -o",
		                    c->dir, name, why.message);
	}
	int sweep = strcmp(name, "sweep.json") == 0;
	c->kind = sweep ? TS_OUTPUT_SWEEP : run_json_kind(&o);
	int compare = c->kind == TS_OUTPUT_COMPARISON;
	free(c->scenario);
	free(c->scenario_b);
	c->scenario = json_string_or_null(&o, compare ? "scenario_a" : "scenario");
	c->scenario_b = compare ? json_string_or_null(&o, "scenario_b") : NULL;
	const ts_json_member *files = ts_json_find(&o, "files");
	if (files && files->type == TS_JSON_ARRAY && !c->listed)
		c->listed = strndup(text + files->start, files->end - files->start);
	const ts_json_member *reps = ts_json_find(&o, "reps");
	const char *a = c->scenario ? c->scenario : "?", *b = c->scenario_b ? c->scenario_b : "?";
	if (compare)
		snprintf(c->what, sizeof c->what, "a comparison of %s and %s (%s)", a, b, name);
	else if (c->kind == TS_OUTPUT_REPLICATIONS && reps && reps->type == TS_JSON_NUMBER)
		snprintf(c->what, sizeof c->what, "%s replications of %s (%s)", reps->number, a, name);
	else if (c->kind == TS_OUTPUT_REPLICATIONS)
		snprintf(c->what, sizeof c->what, "replications of %s (%s)", a, name);
	else
		snprintf(c->what, sizeof c->what, "a %s of %s (%s)", ts_output_kind_names[c->kind], a, name);
	ts_json_object_free(&o);
	free(text);
	return TS_OK;
}

/* One more entry that tradesim does not write, named in the message (the
 * first few). */
static void add_foreign(contents *c, const char *name, int is_dir)
{
	size_t used = strlen(c->foreign);
	if (c->n_foreign++ < 5)
		snprintf(c->foreign + used, sizeof c->foreign - used, "%s%s%s", used ? ", " : "", name, is_dir ? "/" : "");
}

static int is_listed(const contents *c, const char *name)
{
	char quoted[NAME_MAX + 3];
	int n = snprintf(quoted, sizeof quoted, "\"%s\"", name);
	return c->listed && n >= 0 && (size_t)n < sizeof quoted && strstr(c->listed, quoted);
}

/* The entries of a sweep's runs/<run>/: a run's files, or foreign. */
static int scan_run_dir(contents *c, const char *rel, ts_error *err)
{
	char path[PATH_MAX];
	if (join(path, sizeof path, c->dir, rel) != 0)
		return ts_error_set(err, TS_EINPUT, "%s: directory name too long", c->dir);
	DIR *d = opendir(path);
	if (!d)
		return ts_error_set(err, TS_EIO, "%s: cannot list: %s", path, strerror(errno));
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 || strcmp(e->d_name, ".tradesim.lock") == 0)
			continue;
		struct stat st;
		int is_dir = fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
		char name[PATH_MAX];
		if ((is_dir || !ts_output_is_tradesim_name(e->d_name, 1)) && join(name, sizeof name, rel, e->d_name) == 0)
			add_foreign(c, name, is_dir);
	}
	closedir(d);
	return TS_OK;
}

/* runs/: a directory per run, each holding a run's files. */
static int scan_runs(contents *c, ts_error *err)
{
	char path[PATH_MAX];
	if (join(path, sizeof path, c->dir, "runs") != 0)
		return ts_error_set(err, TS_EINPUT, "%s: directory name too long", c->dir);
	DIR *d = opendir(path);
	if (!d)
		return ts_error_set(err, TS_EIO, "%s: cannot list: %s", path, strerror(errno));
	int rc = TS_OK;
	for (struct dirent *e; rc == TS_OK && (e = readdir(d)) != NULL;) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char rel[NAME_MAX + 8];
		join(rel, sizeof rel, "runs", e->d_name);  /* fits: a name is at most NAME_MAX */
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
			rc = scan_run_dir(c, rel, err);
		else
			add_foreign(c, rel, 0);
	}
	closedir(d);
	return rc;
}

/* Sorts the top-level entries: tradesim's (noting a sweep's files) and
 * foreign ones; runs/ is looked into when `deep` (force is to clear it). */
static int scan_entries(contents *c, int deep, ts_error *err)
{
	DIR *d = opendir(c->dir);
	if (!d)
		return ts_error_set(err, TS_EIO, "%s: cannot list: %s", c->dir, strerror(errno));
	int rc = TS_OK;
	for (struct dirent *e; rc == TS_OK && (e = readdir(d)) != NULL;) {
		const char *name = e->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strcmp(name, ".tradesim.lock") == 0)
			continue;
		struct stat st;
		int is_dir = fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
		int sweep_file = strcmp(name, "runs") == 0 && is_dir;
		for (size_t i = 1; !sweep_file && i < sizeof sweep_names / sizeof sweep_names[0]; i++)
			sweep_file = strcmp(name, sweep_names[i]) == 0;
		if (sweep_file && !c->sweep_file[0])
			snprintf(c->sweep_file, sizeof c->sweep_file, "%.32s%s", name, is_dir ? "/" : "");
		if (sweep_file && is_dir && deep)
			rc = scan_runs(c, err);
		else if (!sweep_file && (is_dir || !(ts_output_is_tradesim_name(name, 0) || is_listed(c, name))))
			add_foreign(c, name, is_dir);
	}
	closedir(d);
	return rc;
}

static int exists_in(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	return join(path, sizeof path, dir, name) == 0 && lstat(path, &st) == 0;
}

/* run.json (for its files, at least), then sweep.json, which a sweep does
 * not read here (the journal checks it, strictly). Both there: the sweep
 * is what the directory holds to a run, the run to a sweep. Neither: a
 * calibrate.json makes it a calibration's. */
static int read_contents(contents *c, const char *dir, const ts_output_claim *claim, ts_error *err)
{
	memset(c, 0, sizeof *c);
	c->dir = dir;
	c->kind = -1;
	int has_run = exists_in(dir, "run.json"), has_sweep = exists_in(dir, "sweep.json"), rc = TS_OK;
	if (has_run)
		rc = read_manifest(c, "run.json", claim->force, err);
	if (rc == TS_OK && has_sweep && claim->kind != TS_OUTPUT_SWEEP)
		rc = read_manifest(c, "sweep.json", claim->force, err);
	else if (rc == TS_OK && has_sweep && !has_run)
		c->kind = TS_OUTPUT_SWEEP;
	if (rc == TS_OK && c->kind < 0 && exists_in(dir, "calibrate.json")) {
		c->kind = TS_OUTPUT_CALIBRATION;  /* which one is the journal's check */
		snprintf(c->what, sizeof c->what, "a calibration (calibrate.json)");
	}
	return rc == TS_OK ? scan_entries(c, claim->force, err) : rc;
}

/* ---- the claim ---- */

/* Two names of one scenario: the same text, or the same file. */
static int same_scenario(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	if (strcmp(a, b) == 0)
		return 1;
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int refuse(const contents *c, const char *also, ts_error *err)
{
	return ts_error_set(err, TS_EINPUT, "%s holds %s%s; use --force to replace it or another -o", c->dir, c->what,
	                    also);
}

/* Whether the claim fits what c holds, without force. */
static int check_claim(const contents *c, const ts_output_claim *claim, ts_error *err)
{
	if (c->kind < 0) {
		if (claim->kind == TS_OUTPUT_SWEEP || !c->sweep_file[0])
			return TS_OK;  /* nothing, or leftovers the run's commit replaces */
		return ts_error_set(err, TS_EINPUT, "%s holds a sweep's files without its sweep.json (%s); use --force to "
		                    "replace them or another -o", c->dir, c->sweep_file);
	}
	if ((c->kind == TS_OUTPUT_SWEEP || c->kind == TS_OUTPUT_CALIBRATION) && (int)claim->kind == c->kind)
		return TS_OK;  /* the journal checks which sweep or calibration */
	if ((int)claim->kind != c->kind)
		return refuse(c, "", err);
	if (!same_scenario(c->scenario, claim->scenario) || !same_scenario(c->scenario_b, claim->scenario_b)) {
		char also[PATH_MAX + 64];
		if (claim->kind == TS_OUTPUT_COMPARISON)
			snprintf(also, sizeof also, ", not of %s and %s", claim->scenario, claim->scenario_b);
		else
			snprintf(also, sizeof also, ", not of %s", claim->scenario);
		return refuse(c, also, err);
	}
	return TS_OK;
}

/* Removes every tradesim entry of path (and of a sweep's runs/ within,
 * then runs/ itself); the lock file stays. Only after a deep scan found
 * nothing foreign. */
static int clear_dir(const char *path, int depth, ts_error *err)
{
	DIR *d = opendir(path);
	if (!d)
		return ts_error_set(err, TS_EIO, "%s: cannot list: %s", path, strerror(errno));
	int rc = TS_OK;
	for (struct dirent *e; rc == TS_OK && (e = readdir(d)) != NULL;) {
		const char *name = e->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || (depth == 0 && strcmp(name, ".tradesim.lock") == 0))
			continue;
		char sub[PATH_MAX];
		if (join(sub, sizeof sub, path, name) != 0) {
			rc = ts_error_set(err, TS_EINPUT, "%s: directory name too long", path);
			break;
		}
		struct stat st;
		int is_dir = fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
		if (is_dir && depth < 2)
			rc = clear_dir(sub, depth + 1, err);
		if (rc == TS_OK && (is_dir ? rmdir(sub) : unlink(sub)) != 0 && errno != ENOENT)
			rc = ts_error_set(err, TS_EIO, "%s: cannot remove: %s", sub, strerror(errno));
	}
	closedir(d);
	return rc;
}

int ts_output_claim_dir(const char *dir, const ts_output_claim *claim, ts_error *err)
{
	contents c;
	int rc = read_contents(&c, dir, claim, err);
	if (rc == TS_OK && !claim->force)
		rc = check_claim(&c, claim, err);
	else if (rc == TS_OK && c.n_foreign > 0)
		rc = ts_error_set(err, TS_EINPUT, "%s holds files tradesim did not write: %s%s; --force removes only "
		                  "tradesim's files: move them away or use another -o", dir, c.foreign,
		                  c.n_foreign > 5 ? " and more" : "");
	else if (rc == TS_OK)
		rc = clear_dir(dir, 0, err);
	contents_free(&c);
	return rc;
}
