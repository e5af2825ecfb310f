#ifndef TS_LOADER_H
#define TS_LOADER_H
/* The scenario loader's shared state and helpers, for the files that parse
 * one part of a scenario each: scenario.c (run, model, countries, sectors,
 * firms) and scenario_measures.c (measures). Every helper reports through
 * L->cfg and keeps going, so that one load lists every problem. */
#include <stdbool.h>
#include <stddef.h>
#include "scenario/cfgcheck.h"
#include "scenario/spec.h"

enum id_kind { KIND_COUNTRY = 1, KIND_SECTOR = 2, KIND_FIRM = 4 };

/* Every entity id, hashed: ids are unique across kinds. */
struct id_entry {
	const char *id;
	int kind;
	int index;
	const config_setting_t *setting;
};

struct loader {
	ts_cfg cfg;
	ts_scenario *s;
	struct id_entry *ids;
	size_t ids_cap;               /* power of two */
	config_setting_t *countries, *sectors, *firms;
	bool run_ok;                  /* calendar and steps known: dates can be checked */
	size_t cap_inputs, cap_slots, cap_links, cap_measure_sectors, cap_measure_allies;
	size_t cap_tech_dependence;
};

/* "country", "sector" or "firm". */
const char *ts_loader_kind_name(int kind);
/* Grows *array to hold `need` elements of `size` bytes; false when out of memory. */
bool ts_loader_reserve(struct loader *L, void *array, size_t *cap, size_t need, size_t size);
/* strdup that records running out of memory; the caller frees. */
char *ts_loader_strdup(struct loader *L, const char *text);
/* n zeroed elements (at least one); NULL and L->cfg.nomem when out of memory. */
void *ts_loader_calloc(struct loader *L, size_t n, size_t size);
/* Resolves id to an entity of one of `kinds` (a mask of enum id_kind);
 * reports with a did-you-mean and returns -1 if none. */
int ts_loader_resolve(struct loader *L, const config_setting_t *at, const char *id, int kinds,
		      const char *what, int *kind_out);
/* String member `key` of group read as an id of `kind`; -1 if bad or absent. */
int ts_loader_ref(struct loader *L, const config_setting_t *group, const char *key,
		  unsigned flags, int kind);
/* A date: a label in the run's calendar or a step number; 0 or -1 (reported). */
int ts_loader_date(struct loader *L, config_setting_t *at, int *step);
/* "step 3 (2018Q4)", or "step 3" without a valid calendar. */
void ts_loader_step_text(const struct loader *L, int step, char *buf, size_t size);

/* scenario_measures.c: the `measures` group. */
void ts_loader_parse_measures(struct loader *L, config_setting_t *root);
/* The measure named by `id`, or -1 reported with a did-you-mean over measure ids. */
int ts_loader_measure(struct loader *L, const config_setting_t *at, const char *id);
/* The same for an element of a list of measure ids, which must be a string. */
int ts_loader_measure_elem(struct loader *L, const config_setting_t *e);

/* scenario_policy.c: every country's `rules`, the top-level `deals`, the
 * check that each on-call measure is used, and s->n_dynamic_measures. */
void ts_loader_parse_policy(struct loader *L, config_setting_t *root);
/* Frees what ts_loader_parse_policy allocated (called by ts_scenario_free). */
void ts_scenario_free_policy(ts_scenario *s);

#endif
