/* Scenario variants (variant.h). Each file of a chain is read on its own
 * into one source (cfgcheck.h: ts_cfg_read_source for the file given, then
 * ts_cfg_read_more_source for each base), its lines numbered after those of
 * the files read before it. Every setting of the resolved tree keeps such a
 * line, which the source maps back to the file and line it was written at:
 * a value a variant sets is reported at the variant's line, a setting of the
 * base at the base's. The base is resolved into the caller's config first;
 * the variant's changes follow in a fixed order: entities added, `set` in
 * the order written, `disable`, then `title` and `description`. */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "scenario/loader.h"
#include "scenario/override.h"
#include "scenario/source.h"
#include "scenario/tree.h"
#include "scenario/variant.h"
#include "util/textfile.h"

/* The entity tables a variant adds entities to, and what each holds. */
enum { N_TABLES = 5 };
static const char *const table_keys[N_TABLES] = {"countries", "sectors", "firms", "measures", "deals"};
static const char *const table_things[N_TABLES] = {"country", "sector", "firm", "measure", "deal"};

/* What a variant may hold; `run` and `model` are refused with a word of
 * their own (check_variant). */
static const char *const variant_keys[] = {
	"base", "title", "description", "set", "disable",
	"countries", "sectors", "firms", "measures", "deals", "run", "model", NULL,
};

/* The files of the chain being read, the file given first. */
struct chain {
	ts_cfg *c;
	struct file_id {
		dev_t dev;
		ino_t ino;
		bool known;                     /* false: no such file (a text in memory) */
	} id[TS_VARIANT_MAX_DEPTH + 1];
	char *shown[TS_VARIANT_MAX_DEPTH + 1];  /* as messages name it */
	int n;
};

/* ---- reading one file of the chain ---- */

/* Adds `offset` to the line of s and of everything in it. */
static void shift_lines(config_setting_t *s, unsigned offset)
{
	s->line += offset;  /* libconfig has no setter; the fields are public */
	for (int i = 0; config_setting_is_aggregate(s) && i < config_setting_length(s); i++)
		shift_lines(config_setting_get_elem(s, (unsigned)i), offset);
}

/* Parses a file's text, which begins at line first_line of the source,
 * into cfg with its settings on source lines; false (reported) on a
 * syntax error. */
static bool parse(ts_cfg *c, config_t *cfg, const char *text, size_t first_line)
{
	if (config_read_string(cfg, text) != CONFIG_TRUE) {
		c->line_offset = first_line - 1;
		ts_cfg_report_parse_error(c, cfg);
		c->line_offset = 0;
		return false;
	}
	config_setting_t *root = config_root_setting(cfg);
	for (int i = 0; first_line > 1 && i < config_setting_length(root); i++)
		shift_lines(config_setting_get_elem(root, (unsigned)i), (unsigned)(first_line - 1));
	return true;
}

/* Adds `path` to the chain: false (reported at `at`, the `base` naming it)
 * when it is already in it, or out of memory. */
static bool remember(struct chain *ch, const char *path, const config_setting_t *at)
{
	struct stat st;
	struct file_id id = { .known = stat(path, &st) == 0 };  /* no file: its read says so */
	if (id.known) {
		id.dev = st.st_dev;
		id.ino = st.st_ino;
	}
	for (int i = 0; id.known && i < ch->n; i++) {
		if (!ch->id[i].known || ch->id[i].dev != id.dev || ch->id[i].ino != id.ino)
			continue;
		char cycle[2048] = "";
		for (int k = i; k < ch->n; k++)
			snprintf(cycle + strlen(cycle), sizeof cycle - strlen(cycle), "%s -> ", ch->shown[k]);
		snprintf(cycle + strlen(cycle), sizeof cycle - strlen(cycle), "%s", path);
		ts_cfg_error(ch->c, at, "\"%s\" makes a cycle of bases: %s", config_setting_get_string(at), cycle);
		return false;
	}
	ch->id[ch->n] = id;
	ch->shown[ch->n] = strdup(path);
	if (!ch->shown[ch->n]) {
		ch->c->nomem = true;
		return false;
	}
	ch->n++;
	return true;
}

static bool read_file(struct chain *ch, config_t *cfg, const char *text, size_t first_line, const char *dir);

/* Reads the base that `base` (a variant's setting) names, resolved against
 * dir, into cfg; false (reported) when it cannot. */
static bool read_base(struct chain *ch, config_t *cfg, const config_setting_t *base, const char *dir)
{
	ts_cfg *c = ch->c;
	const char *name = config_setting_get_string(base);
	if (!name || !name[0]) {
		ts_cfg_error(c, base, "expected the file of the base scenario, a string (base = \"default.cfg\";)");
		return false;
	}
	if (ch->n > TS_VARIANT_MAX_DEPTH) {
		ts_cfg_error(c, base, "\"%s\": more than %d bases in a chain of variants (docs/scenario.md, "
			     "\"Variants\")", name, TS_VARIANT_MAX_DEPTH);
		return false;
	}
	char path[4096];
	ts_source_path(dir, name, path, sizeof path);
	if (!remember(ch, path, base))
		return false;
	char *text = NULL;
	ts_error read_err = TS_ERROR_INIT;
	int rc = ts_read_text_file(&text, NULL, path, &read_err);
	if (rc == TS_ENOMEM)
		c->nomem = true;
	else if (rc != TS_OK)
		ts_cfg_error(c, base, "cannot read the base scenario: %s", read_err.message);
	char *copy = strdup(path);
	const char *base_dir = copy ? dirname(copy) : NULL;
	size_t first_line = 0;
	const char *source = NULL;
	if (!copy)
		c->nomem = true;
	else if (rc == TS_OK)
		source = ts_cfg_read_more_source(c, text, path, base_dir, &first_line);
	free(text);
	bool ok = source && read_file(ch, cfg, source, first_line, base_dir);
	free(copy);
	return ok;
}

/* ---- the changes a variant makes ---- */

/* The id of an entry of a table in the list form: its string `id`, or NULL. */
static const char *list_id(const config_setting_t *e)
{
	const char *id = NULL;
	return config_setting_is_group(e) && config_setting_lookup_string(e, "id", &id) ? id : NULL;
}

/* The entry of table (either form) whose id is `id`, or NULL. */
static config_setting_t *find_entry(const config_setting_t *table, const char *id)
{
	if (table && config_setting_is_group(table))
		return ts_cfg_member(table, id);
	for (int i = 0; table && config_setting_is_list(table) && i < config_setting_length(table); i++) {
		config_setting_t *e = config_setting_get_elem(table, (unsigned)i);
		const char *eid = list_id(e);
		if (eid && strcmp(eid, id) == 0)
			return e;
	}
	return NULL;
}

/* The setting at `path` of cfg set to value; problems reported as
 * "FILE:LINE: LABEL: ..." at `at`. */
static void set_at(ts_cfg *c, config_t *cfg, const char *path, const config_setting_t *value,
		   const config_setting_t *at, const char *label)
{
	char location[1100], where[2300];
	ts_cfg_location(c, at, location, sizeof location);
	snprintf(where, sizeof where, "%s: %s", location, label);
	ts_override_set(cfg, path, value, where, c);
}

/* e, an entry of the other form of the entity tables, added to table as an
 * entry of table's form (its id as the name of a group member, or as an `id`
 * setting); NULL when out of memory. */
static config_setting_t *convert_entry(ts_cfg *c, config_setting_t *table, const char *id, const config_setting_t *e)
{
	bool to_group = config_setting_is_group(table);
	config_setting_t *entry = config_setting_add(table, to_group ? id : NULL, CONFIG_TYPE_GROUP);
	if (!entry)
		return NULL;
	entry->line = e->line;
	if (!to_group) {
		config_setting_t *s = config_setting_add(entry, "id", CONFIG_TYPE_STRING);
		if (!s || !config_setting_set_string(s, id))
			return NULL;
		s->line = e->line;
	}
	for (int i = 0; i < config_setting_length(e); i++) {
		const config_setting_t *m = config_setting_get_elem(e, (unsigned)i);
		if (strcmp(config_setting_name(m), "id") == 0) {
			if (!to_group)  /* an id setting in the group form */
				ts_cfg_error(c, m, "not allowed in the group form, where the entry's name is its id");
			continue;
		}
		if (!ts_tree_copy_setting(entry, config_setting_name(m), m))
			return NULL;
	}
	return entry;
}

/* Entry e of a variant's table (the group form if from_group) added to the
 * base's table, unless the base has its id already (reported). */
static void add_entry(ts_cfg *c, config_setting_t *table, const char *thing, const config_setting_t *e,
		      bool from_group)
{
	const char *id = from_group ? config_setting_name(e) : list_id(e);
	if (!id) {
		ts_cfg_error(c, e, "expected a group with the %s's id as a string (id = \"ID\"; ...)", thing);
		return;
	}
	const config_setting_t *have = find_entry(table, id);
	if (have) {
		char at[1100];
		ts_cfg_location(c, have, at, sizeof at);
		ts_cfg_error(c, e, "the base already has a %s '%s' (%s): a variant adds new ids, and changes "
			     "the base's with set", thing, id, at);
		return;
	}
	if (!from_group && config_setting_is_group(table) && !ts_loader_valid_id(id)) {
		ts_cfg_error(c, e, "'%s' is not an id: a letter, then letters, digits, '_' and '-'", id);
		return;
	}
	config_setting_t *added = from_group == (bool)config_setting_is_group(table)
				  ? ts_tree_copy_setting(table, id, e) : convert_entry(c, table, id, e);
	if (!added)
		c->nomem = true;
}

/* A variant's entity table `key` added to the base's (root's). */
static void add_table(ts_cfg *c, config_setting_t *root, const char *key, const char *thing,
		      const config_setting_t *added)
{
	bool from_group = config_setting_is_group(added);
	if (!from_group && !config_setting_is_list(added)) {
		ts_cfg_error(c, added, "expected the %s to add to the base's: a group { ID = { ... }; ... } or "
			     "a list ( { id = \"ID\"; ... }, ... ), got %s", key, ts_cfg_type_phrase(added));
		return;
	}
	config_setting_t *table = ts_cfg_member(root, key);
	if (!table) {
		if (!ts_tree_copy_setting(root, key, added))
			c->nomem = true;
		return;
	}
	if (!config_setting_is_group(table) && !config_setting_is_list(table))
		return;  /* the base's table is reported when the tree is validated */
	for (int i = 0; i < config_setting_length(added); i++)
		add_entry(c, table, thing, config_setting_get_elem(added, (unsigned)i), from_group);
}

/* `set = ( ("PATH", VALUE), ... );` applied in order. */
static void apply_set(ts_cfg *c, config_t *cfg, const config_setting_t *set)
{
	if (!config_setting_is_list(set)) {
		ts_cfg_error(c, set, "expected a list of (\"PATH\", VALUE) pairs, e.g. set = ( (\"run.seed\", 7), "
			     "(\"countries.CN.rd_budget\", 20.0) );, got %s", ts_cfg_type_phrase(set));
		return;
	}
	for (int i = 0; i < config_setting_length(set); i++) {
		const config_setting_t *e = config_setting_get_elem(set, (unsigned)i);
		const config_setting_t *path = config_setting_is_aggregate(e) && config_setting_length(e) == 2
					       ? config_setting_get_elem(e, 0) : NULL;
		const char *text = path ? config_setting_get_string(path) : NULL;
		if (!text) {
			ts_cfg_error(c, e, "expected a pair (\"PATH\", VALUE): the setting's dotted path as a "
				     "string, then its value");
			continue;
		}
		char label[1100];
		snprintf(label, sizeof label, "set %s", text);
		set_at(c, cfg, text, config_setting_get_elem(e, 1), e, label);
	}
}

/* Reports that `id` (at e) names no measure of the table, with a
 * did-you-mean. */
static void report_no_measure(ts_cfg *c, const config_setting_t *e, const config_setting_t *table, const char *id)
{
	int n = table && config_setting_is_aggregate(table) ? config_setting_length(table) : 0;
	const char **ids = calloc((size_t)n + 1, sizeof *ids);
	size_t n_ids = 0;
	for (int i = 0; ids && i < n; i++) {
		const config_setting_t *m = config_setting_get_elem(table, (unsigned)i);
		const char *mid = config_setting_is_group(table) ? config_setting_name(m) : list_id(m);
		if (mid)
			ids[n_ids++] = mid;
	}
	char hint[256] = "";
	if (ids)
		ts_cfg_hint(hint, sizeof hint, id, ids, n_ids);
	ts_cfg_error(c, e, "no measure '%s' in the base%s", id, hint);
	free(ids);
}

/* `disable = ["ID", ...];`: each measure's `enabled` set to false. */
static void apply_disable(ts_cfg *c, config_t *cfg, const config_setting_t *ids)
{
	if (!config_setting_is_array(ids) && !config_setting_is_list(ids)) {
		ts_cfg_error(c, ids, "expected an array of measure ids, e.g. disable = [\"zte_denial\"];, got %s",
			     ts_cfg_type_phrase(ids));
		return;
	}
	const config_setting_t *measures = ts_cfg_member(config_root_setting(cfg), "measures");
	config_t scratch;
	config_init(&scratch);
	config_setting_t *off = config_setting_add(config_root_setting(&scratch), "off", CONFIG_TYPE_BOOL);
	if (!off || !config_setting_set_bool(off, 0))
		c->nomem = true;
	for (int i = 0; off && i < config_setting_length(ids); i++) {
		const config_setting_t *e = config_setting_get_elem(ids, (unsigned)i);
		const char *id = config_setting_get_string(e);
		if (!id) {
			ts_cfg_error(c, e, "expected a measure id, a string, got %s", ts_cfg_type_phrase(e));
			continue;
		}
		if (!find_entry(measures, id)) {
			report_no_measure(c, e, measures, id);
			continue;
		}
		char path[1100], label[1100];
		snprintf(path, sizeof path, "measures.%s.enabled", id);
		snprintf(label, sizeof label, "disable %s", id);
		off->line = e->line;  /* a problem with it is the variant's */
		set_at(c, cfg, path, off, e, label);
	}
	config_destroy(&scratch);
}

/* The changes of a variant (the tree `changes`) made to its resolved base. */
static void apply_changes(ts_cfg *c, config_t *cfg, const config_setting_t *changes)
{
	config_setting_t *root = config_root_setting(cfg);
	for (int k = 0; k < N_TABLES; k++) {
		const config_setting_t *t = ts_cfg_member(changes, table_keys[k]);
		if (t)
			add_table(c, root, table_keys[k], table_things[k], t);
	}
	const config_setting_t *s = ts_cfg_member(changes, "set");
	if (s)
		apply_set(c, cfg, s);
	if ((s = ts_cfg_member(changes, "disable")))
		apply_disable(c, cfg, s);
	static const char *const own[] = {"title", "description"};
	for (int k = 0; k < 2; k++)
		if ((s = ts_cfg_member(changes, own[k])))
			set_at(c, cfg, own[k], s, s, own[k]);
}

/* Reports what a variant may not hold: unknown settings, and whole groups
 * of the base's settings. */
static void check_variant(ts_cfg *c, const config_setting_t *changes)
{
	static const char *const whole[] = {"run", "model"};
	static const char *const example[] = {"(\"run.seed\", 7)", "(\"model.tech_weight\", 1.5)"};
	ts_cfg_check_keys(c, changes, variant_keys);
	for (int k = 0; k < 2; k++) {
		const config_setting_t *s = ts_cfg_member(changes, whole[k]);
		if (s)
			ts_cfg_error(c, s, "not allowed in a variant, which changes its base's settings one by one: "
				     "set = ( %s );", example[k]);
	}
}

/* Reports `set` and `disable` in a file with no base, and drops them. */
static void refuse_changes(ts_cfg *c, config_setting_t *root)
{
	static const char *const keys[] = {"set", "disable"};
	for (int k = 0; k < 2; k++) {
		const config_setting_t *s = ts_cfg_member(root, keys[k]);
		if (!s)
			continue;
		ts_cfg_error(c, s, "only a variant changes a scenario: name the scenario it changes with "
			     "base = \"FILE\";");
		config_setting_remove(root, keys[k]);
	}
}

/* Reads a file's text (at first_line of the source; its base resolved
 * against dir) into cfg: a plain scenario as written, a variant resolved. */
static bool read_file(struct chain *ch, config_t *cfg, const char *text, size_t first_line, const char *dir)
{
	ts_cfg *c = ch->c;
	if (!parse(c, cfg, text, first_line))
		return false;
	config_setting_t *root = config_root_setting(cfg);
	if (!ts_cfg_member(root, "base")) {
		refuse_changes(c, root);
		return true;
	}
	/* A variant: its own tree aside (the same text read again: a variant
	 * is small, a plain scenario read once), the base into cfg. */
	config_t variant;
	config_init(&variant);
	bool ok = parse(c, &variant, text, first_line);
	for (int i = config_setting_length(root) - 1; i >= 0; i--)
		config_setting_remove_elem(root, (unsigned)i);
	const config_setting_t *changes = config_root_setting(&variant);
	if (ok)
		check_variant(c, changes);
	ok = ok && read_base(ch, cfg, ts_cfg_member(changes, "base"), dir);
	if (ok)
		apply_changes(c, cfg, changes);
	config_destroy(&variant);
	return ok;
}

bool ts_variant_read(ts_cfg *c, config_t *cfg, const char *text)
{
	struct chain ch = { .c = c };
	const char *source = ts_cfg_read_source(c, text);
	bool ok = source && remember(&ch, c->name, NULL) && read_file(&ch, cfg, source, 1, c->include_dir);
	for (int i = 0; i < ch.n; i++)
		free(ch.shown[i]);
	return ok;
}
