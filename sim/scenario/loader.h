#ifndef TS_LOADER_H
#define TS_LOADER_H
/* The scenario loader's shared state and helpers (loader.c), for the files
 * that parse one part of a scenario each: world.c (run, model, countries,
 * sectors, firms), measures.c (measures) and rules.c (rules, deals). Every
 * helper reports through L->cfg and keeps going, so that one load lists every
 * problem. */
#include <stdbool.h>
#include <stddef.h>
#include "scenario/cfgcheck.h"
#include "scenario/spec.h"

enum id_kind { KIND_COUNTRY = 1, KIND_SECTOR = 2, KIND_FIRM = 4 };

/* One entry of a hashed id table (open addressing, linear probing). */
struct id_entry {
	const char *id;               /* NULL: empty slot */
	int kind;                     /* enum id_kind; 0 in the measure table */
	int index;
	const config_setting_t *setting;
};

/* Ids hashed for lookups in O(1): a scenario of 25,000 firms resolves about
 * 100,000 references. `cap` is a power of two at least twice the ids. */
struct id_table {
	struct id_entry *slots;
	size_t cap;
};

/* Which things a list being read has named already, in O(1) a name:
 * index i is named in this list when at[i] == round (a new list: round + 1). */
struct marks {
	int *at;
	size_t n;
	int round;
};

struct loader {
	ts_cfg cfg;
	ts_scenario *s;
	config_setting_t *root;
	struct id_table ids;          /* countries, sectors, firms: unique across kinds */
	struct id_table measure_ids;  /* measures: a namespace of their own */
	config_setting_t *countries, *sectors, *firms, *measures;
	struct marks seen_countries, seen_sectors, seen_measures;
	int *input_place;             /* [n_sectors] while firms are read (world.c) */
	bool run_ok;                  /* calendar and steps known: dates can be checked */
	bool links_full;              /* TS_MAX_LINKS reached (reported) */
	size_t cap_inputs, cap_slots, cap_links, cap_measure_sectors, cap_measure_allies;
	size_t cap_tech_dependence;
};

/* run.step: "month", "quarter", "year", their steps per year and a label of each. */
enum { TS_STEP_KINDS = 3 };
extern const char *const ts_loader_step_names[TS_STEP_KINDS];
extern const int ts_loader_steps_per_year[TS_STEP_KINDS];
extern const char *const ts_loader_label_examples[TS_STEP_KINDS];

/* "country", "sector" or "firm". */
const char *ts_loader_kind_name(int kind);
/* Grows *array to hold `need` elements of `size` bytes; false when out of memory. */
bool ts_loader_reserve(struct loader *L, void *array, size_t *cap, size_t need, size_t size);
/* strdup that records running out of memory; the caller frees. */
char *ts_loader_strdup(struct loader *L, const char *text);
/* n zeroed elements (at least one); NULL and L->cfg.nomem when out of memory. */
void *ts_loader_calloc(struct loader *L, size_t n, size_t size);

/* Sizes t for n ids; false (L->cfg.nomem) when out of memory. */
bool ts_loader_table_init(struct loader *L, struct id_table *t, size_t n);
void ts_loader_table_free(struct id_table *t);
/* The entry of id: found (entry->id set) or the empty slot to fill. */
struct id_entry *ts_loader_table_slot(struct id_table *t, const char *id);
/* The entry of id, or NULL. */
const struct id_entry *ts_loader_table_find(const struct id_table *t, const char *id);

/* Whether id is a valid entity id: a letter, then letters, digits, '_'
 * and '-' (docs/scenario.md). */
bool ts_loader_valid_id(const char *id);
/* Starts a new list over n things (sized on first use); false when out of
 * memory. */
bool ts_loader_marks_begin(struct loader *L, struct marks *m, size_t n);
/* Whether index was named before in the current list; marks it. */
bool ts_loader_marks_repeat(struct marks *m, int index);
void ts_loader_marks_free(struct marks *m);

/* Entity tables (countries, sectors, firms, measures, deals) come in two
 * forms (docs/scenario.md, "Two forms of the entity tables"): a group
 * `{ ID = { ... }; ... }`, each member named by its id, or a list of groups
 * `( { id = "ID"; ... }, ... )`, each with a string `id`. libconfig compares
 * each new member of a group with every earlier one; a list it does not, so
 * big worlds load fast in the list form, checked for duplicate ids with the
 * loader's hash tables. */
/* Root member `key` as an entity table (a group or a list): TS_CFG_SET,
 * TS_CFG_ABSENT, or TS_CFG_BAD (reported, also when required and absent). */
int ts_loader_entity_table(struct loader *L, const char *key, unsigned flags, config_setting_t **out);
/* The id of element e of an entity table of things called `what`: its name
 * in the group form, its `id` string in the list form; NULL when it has
 * none (reported at FILE:LINE: not a group, `id` missing or not a string). */
const char *ts_loader_entry_id(struct loader *L, const config_setting_t *e, const char *what);
/* Where an entry's id is written: e in the group form, its `id` in the list
 * form (for duplicate reports). */
const config_setting_t *ts_loader_entry_id_setting(const config_setting_t *e);
/* The allowed keys of an entry of `table`: `keys` begins with "id", which
 * only the list form allows. */
const char *const *ts_loader_entry_keys(const config_setting_t *table, const char *const *keys);

/* Whether id (of an entity, measure or deal) is at most TS_MAX_ID_LENGTH
 * characters; reported at `at` if not. */
bool ts_loader_check_id_length(struct loader *L, const config_setting_t *at, const char *id);
/* Whether `n` things (`what`, plural) are at most `max`; reported at `at`
 * ("at most 1000 countries") if not. */
bool ts_loader_check_count(struct loader *L, const config_setting_t *at, double n, double max,
			   const char *what);

/* Reports an unknown id with a did-you-mean over the ids of `kinds`; with
 * only_sector >= 0, firms count only if they belong to that sector. */
void ts_loader_report_unknown(struct loader *L, const config_setting_t *at, const char *what,
			      const char *id, int kinds, int only_sector);
/* Resolves id to an entity of one of `kinds` (a mask of enum id_kind);
 * reports with a did-you-mean and returns -1 if none. */
int ts_loader_resolve(struct loader *L, const config_setting_t *at, const char *id, int kinds,
		      const char *what, int *kind_out);
/* Array `key` of group g of distinct sector ids (at least one), appended to
 * the scenario's sector lists (measure_sectors): its slice in *first,
 * *count (0 when absent, which means `absent`, named in the error for an
 * empty array). Errors are reported. */
void ts_loader_sector_list(struct loader *L, config_setting_t *g, const char *key, const char *absent,
			   int *first, int *count);
/* String member `key` of group read as an id of `kind`; -1 if bad or absent. */
int ts_loader_ref(struct loader *L, const config_setting_t *group, const char *key,
		  unsigned flags, int kind);
/* The measure named by `id`, or -1 reported with a did-you-mean over measure ids. */
int ts_loader_measure(struct loader *L, const config_setting_t *at, const char *id);
/* The same for an element of a list of measure ids, which must be a string. */
int ts_loader_measure_elem(struct loader *L, const config_setting_t *e);
/* A date: a label in the run's calendar or a step number; 0 or -1 (reported). */
int ts_loader_date(struct loader *L, config_setting_t *at, int *step);
/* A span of time in months (member `key` of group, a number in [0, max]):
 * *steps the nearest whole number of the run's steps (ts_calendar_span_steps);
 * untouched when absent or bad (reported) or without a calendar. */
void ts_loader_span(struct loader *L, const config_setting_t *group, const char *key, double max,
		    int *steps);
/* Conversions of an old setting's value, per step of a run with
 * `steps_per_year` steps, to the unit of the setting that replaced it. */
typedef double (*ts_loader_convert)(double per_step, int steps_per_year);
/* Steps (of use, of time) in months: steps x 12 / steps_per_year. */
double ts_loader_months_of_steps(double steps, int steps_per_year);
/* Reports the setting `old` of group, if present, as renamed when its unit
 * became one of time (docs/scenario.md, "Time"): "OLD: now NEW, UNIT: write
 * NEW = X (was V a quarter)", X converted from V when the run's calendar is
 * known and V is a number. */
void ts_loader_renamed(struct loader *L, const config_setting_t *group, const char *old,
		       const char *now, const char *unit, ts_loader_convert convert);
/* "step 3 (2018Q4)", or "step 3" without a valid calendar. */
void ts_loader_step_text(const struct loader *L, int step, char *buf, size_t size);
/* The line of s in the file it was read from (for the spec's `line` fields). */
int ts_loader_line(const struct loader *L, const config_setting_t *s);

/* The index of `text` in names[0..n), or -1 reported at `at` as "expected
 * WHAT, got "text"" with a did-you-mean. */
int ts_loader_name(struct loader *L, const config_setting_t *at, const char *text,
		   const char *const *names, int n, const char *what);

/* world.c: run, model, then the ids and settings of countries, sectors and
 * firms (markets, inputs, suppliers, stockpiles). False when the entities
 * could not be read at all (too many, or out of memory): measures and rules
 * would only repeat that every id they name is missing. */
bool ts_loader_parse_world(struct loader *L);

/* measures.c: the `measures` group (after the world: it names entities). */
void ts_loader_parse_measures(struct loader *L);

/* rules.c: every country's `rules`, the top-level `deals`, the check that
 * each on-call measure is used, and s->n_dynamic_measures. */
void ts_loader_parse_policy(struct loader *L);
/* Frees what ts_loader_parse_policy allocated (called by ts_scenario_free). */
void ts_scenario_free_policy(ts_scenario *s);

#endif
