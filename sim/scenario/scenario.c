/* Scenario files: the entry points (include/tradesim/scenario.h). Parse the
 * libconfig text, apply --set overrides, validate every setting against
 * docs/scenario.md through the loader (world.c, measures.c, rules.c) and keep
 * the plain struct ts_scenario the engine reads, with the effective tree for
 * write-out and the hash. All problems are collected, not just the first. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/cfgcheck.h"
#include "scenario/loader.h"
#include "scenario/override.h"
#include "scenario/source.h"
#include "scenario/spec.h"
#include "scenario/tree.h"
#include "scenario/variant.h"
#include "scenario/vary.h"
#include "util/assert.h"
#include "util/parallel.h"
#include "util/sha256.h"
#include "util/textfile.h"

static const char *const top_keys[] = {
	"run", "model", "countries", "sectors", "firms", "measures", "deals", "title", "description", NULL,
};

static void validate(struct loader *L)
{
	ts_cfg *c = &L->cfg;
	const char *text;
	ts_cfg_check_keys(c, L->root, top_keys);
	if (ts_cfg_string(c, L->root, "title", 0, &text) == TS_CFG_SET)
		L->s->title = ts_loader_strdup(L, text);
	ts_cfg_string(c, L->root, "description", 0, &text);
	if (!ts_loader_parse_world(L))
		return;
	ts_loader_parse_measures(L);
	ts_loader_parse_policy(L);  /* rules, deals; after the measures they name */
}

/* SHA-256 of the effective tree as ts_scenario_write() writes it. */
static int hash_tree(ts_scenario *s, ts_error *err)
{
	char *text = NULL;
	size_t len = 0;
	int rc = ts_tree_text(s->tree, &text, &len, err);
	if (rc == TS_ENOMEM)
		rc = ts_error_set(err, TS_ENOMEM, "%s: out of memory", s->path);
	if (rc == TS_OK)
		ts_sha256_hex(text, len, s->hash);
	free(text);
	return rc;
}

/* A scenario with an empty tree and its path, or NULL. */
static ts_scenario *scenario_alloc(const char *name, const char *include_dir)
{
	ts_scenario *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->tree = calloc(1, sizeof *s->tree);
	s->path = strdup(name);
	if (!s->tree || !s->path) {
		free(s->tree);
		free(s->path);
		free(s);
		return NULL;
	}
	config_init(&s->tree->config);
	config_set_destructor(&s->tree->config, free);  /* override marks */
	if (include_dir)
		config_set_include_dir(&s->tree->config, include_dir);
	return s;
}

/* Reads the source (includes expanded, literals checked, a variant's bases
 * read and its changes made), parses it, applies the overrides and validates into L->s; TS_OK or TS_EINPUT
 * (reported; a duplicate id is libconfig's "duplicate setting name"). */
static int load_tree(struct loader *L, const char *text, const ts_override *overrides, size_t n_overrides)
{
	config_t *cfg = &L->s->tree->config;
	if (!ts_variant_read(&L->cfg, cfg, text))  /* a variant: resolved into the scenario it stands for */
		return L->cfg.nomem ? TS_OK : TS_EINPUT;  /* out of memory: reported by the caller */
	L->root = config_root_setting(cfg);
	ts_override_apply(cfg, overrides, n_overrides, &L->cfg);
	if (!L->cfg.nomem)
		validate(L);
	/* Success is decided by this load's own count: err may already hold
	 * diagnostics from earlier calls. */
	return L->cfg.n_errors > 0 ? TS_EINPUT : TS_OK;
}

/* Frees what a load holds besides its scenario. */
static void loader_release(struct loader *L)
{
	ts_cfg_release(&L->cfg);
	ts_loader_table_free(&L->ids);
	ts_loader_table_free(&L->measure_ids);
	ts_loader_marks_free(&L->seen_countries);
	ts_loader_marks_free(&L->seen_sectors);
	ts_loader_marks_free(&L->seen_measures);
}

/* The lines of the source, kept with the tree for the messages of its
 * variants; its text, which libconfig has read, goes. */
static void keep_source(struct loader *L)
{
	L->s->tree->source = L->cfg.source;
	L->cfg.source = NULL;
	if (L->s->tree->source) {
		free(L->s->tree->source->text);
		L->s->tree->source->text = NULL;
	}
}

int ts_scenario_load_string(ts_scenario **out, const char *text, const char *name,
			    const char *include_dir, const ts_override *overrides, size_t n_overrides,
			    ts_error *err)
{
	if (!out)
		return ts_error_set(err, TS_EINPUT, "ts_scenario_load_string: no output pointer");
	*out = NULL;
	if (!text || !name)
		return ts_error_set(err, TS_EINPUT, "ts_scenario_load_string: no text or name");
	struct loader L;
	memset(&L, 0, sizeof L);
	L.s = scenario_alloc(name, include_dir);
	if (!L.s)
		return ts_error_set(err, TS_ENOMEM, "%s: out of memory", name);
	ts_cfg_init(&L.cfg, err, name, include_dir, text);
	/* libconfig reads reals with atof: '.' decimals whatever the process locale. */
	ts_c_locale c_locale;
	int status = ts_c_locale_enter(&c_locale, err);
	if (status == TS_OK) {
		status = load_tree(&L, text, overrides, n_overrides);
		ts_c_locale_leave(&c_locale);
	}
	if (L.cfg.nomem && status == TS_OK)
		status = ts_error_set(err, TS_ENOMEM, "%s: out of memory", name);
	if (status == TS_OK)
		status = hash_tree(L.s, err);
	if (status == TS_OK)
		keep_source(&L);
	loader_release(&L);
	if (status != TS_OK) {
		ts_scenario_free(L.s);
		return status;
	}
	*out = L.s;
	return TS_OK;
}

/* The hash of a varied copy (docs/sweep.md, "Scenario hashes"): SHA-256 over
 * "tradesim scenario vary 1", the base's hash, and each override's path
 * and value as given, in the order given, each followed by a NUL byte. No
 * overrides: the base's own hash (the same tree). */
static void vary_hash(ts_scenario *s, const ts_scenario *base, const ts_override *overrides, size_t n)
{
	if (n == 0) {
		memcpy(s->hash, base->hash, sizeof s->hash);
		return;
	}
	static const char tag[] = "tradesim scenario vary 1";
	ts_sha256 h;
	ts_sha256_init(&h);
	ts_sha256_update(&h, tag, sizeof tag);
	ts_sha256_update(&h, base->hash, strlen(base->hash) + 1);
	for (size_t i = 0; i < n; i++) {
		ts_sha256_update(&h, overrides[i].path, strlen(overrides[i].path) + 1);
		ts_sha256_update(&h, overrides[i].value, strlen(overrides[i].value) + 1);
	}
	unsigned char digest[32];
	ts_sha256_final(&h, digest);
	for (int i = 0; i < 32; i++)
		snprintf(s->hash + 2 * i, 3, "%02x", digest[i]);
}

/* base's tree with the overrides applied, validated into L->s in the C
 * locale; TS_OK or TS_EINPUT (reported), L->cfg.nomem when out of memory.
 * The tree shares base's settings but those an override could change, which
 * are made its own just before it is applied. */
static int vary_tree(struct loader *L, const ts_scenario *base, const ts_override *overrides, size_t n)
{
	config_t *cfg = &L->s->tree->config;
	if (!ts_tree_share(L->s->tree, base->tree)) {
		L->cfg.nomem = true;
		return TS_OK;
	}
	ts_c_locale c_locale;
	int status = ts_c_locale_enter(&c_locale, L->cfg.err);
	if (status != TS_OK)
		return status;
	L->root = config_root_setting(cfg);
	config_set_destructor(cfg, free);  /* frees the path marks, as ts_override_apply sets it */
	for (size_t i = 0; i < n && !L->cfg.nomem; i++) {
		if (ts_override_own_path(cfg, &overrides[i]))
			ts_override_apply(cfg, &overrides[i], 1, &L->cfg);
		else
			L->cfg.nomem = true;
	}
	if (!L->cfg.nomem)
		validate(L);
	ts_c_locale_leave(&c_locale);
	return L->cfg.n_errors > 0 ? TS_EINPUT : TS_OK;
}

int ts_scenario_vary(ts_scenario **out, const ts_scenario *base, const ts_override *overrides,
		     size_t n_overrides, ts_error *err)
{
	TS_ASSERT(out && base && base->tree && (overrides || n_overrides == 0));
	*out = NULL;
	struct loader L;
	memset(&L, 0, sizeof L);
	L.s = scenario_alloc(base->path, NULL);
	if (!L.s)
		return ts_error_set(err, TS_ENOMEM, "%s: out of memory", base->path);
	ts_cfg_init(&L.cfg, err, base->path, NULL, NULL);
	L.cfg.source = base->tree->source;  /* borrowed: the copied settings keep their lines */
	int status = vary_tree(&L, base, overrides, n_overrides);
	L.cfg.source = NULL;
	if (L.cfg.nomem && status == TS_OK)
		status = ts_error_set(err, TS_ENOMEM, "%s: out of memory", base->path);
	loader_release(&L);
	if (status != TS_OK) {
		ts_scenario_free(L.s);
		return status;
	}
	vary_hash(L.s, base, overrides, n_overrides);
	*out = L.s;
	return TS_OK;
}

int ts_scenario_load(ts_scenario **out, const char *path, const ts_override *overrides,
		     size_t n_overrides, ts_error *err)
{
	if (out)
		*out = NULL;
	if (!out || !path)
		return ts_error_set(err, TS_EINPUT, "ts_scenario_load: no output pointer or path");
	size_t len = 0;
	char *text;
	int rc = ts_read_text_file(&text, &len, path, err);
	if (rc != TS_OK)
		return rc;
	char *copy = strdup(path);
	if (!copy) {
		free(text);
		return ts_error_set(err, TS_ENOMEM, "%s: out of memory", path);
	}
	/* @include resolves against the scenario's own directory. */
	rc = ts_scenario_load_string(out, text, path, dirname(copy), overrides, n_overrides, err);
	free(copy);
	free(text);
	return rc;
}

void ts_scenario_free(ts_scenario *s)
{
	if (!s)
		return;
	for (int i = 0; s->countries && i < s->n_countries; i++) {
		free(s->countries[i].id);
		free(s->countries[i].name);
		free(s->countries[i].bloc);
	}
	for (int i = 0; s->sectors && i < s->n_sectors; i++) {
		free(s->sectors[i].id);
		free(s->sectors[i].name);
	}
	for (int i = 0; s->firms && i < s->n_firms; i++) {
		free(s->firms[i].id);
		free(s->firms[i].name);
	}
	for (int i = 0; s->measures && i < s->n_measures; i++)
		free(s->measures[i].id);
	free(s->countries);
	free(s->sectors);
	free(s->inputs);
	free(s->markets);
	free(s->firms);
	free(s->slots);
	free(s->links);
	free(s->measures);
	free(s->measure_sectors);
	free(s->measure_allies);
	free(s->tech_dependence);
	ts_scenario_free_policy(s);
	free(s->path);
	free(s->title);
	if (s->tree) {
		ts_tree_unshare(s->tree);
		config_destroy(&s->tree->config);
		if (s->tree->source)
			ts_source_free(s->tree->source);
		free(s->tree->source);
	}
	free(s->tree);
	free(s);
}

int ts_scenario_write(const ts_scenario *s, FILE *stream, ts_error *err)
{
	if (!s || !stream)
		return ts_error_set(err, TS_EINPUT, "ts_scenario_write: no scenario or stream");
	errno = 0;
	int rc = ts_tree_write(s->tree, stream, err);
	if (rc != TS_OK)
		return rc;
	if (ferror(stream) || fflush(stream) != 0)
		return ts_error_set(err, TS_EIO, "cannot write the scenario: %s",
				    errno ? strerror(errno) : "stream error");
	return TS_OK;
}

const char *ts_scenario_hash(const ts_scenario *s)
{
	return s ? s->hash : NULL;
}

const char *ts_scenario_path(const ts_scenario *s)
{
	return s ? s->path : NULL;
}

uint32_t ts_scenario_seed(const ts_scenario *s)
{
	return s ? s->run.seed : 0;
}

int ts_scenario_steps(const ts_scenario *s)
{
	return s ? s->run.steps : 0;
}
