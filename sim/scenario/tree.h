#ifndef TS_TREE_H
#define TS_TREE_H
/* The effective scenario tree: the libconfig tree after includes and
 * overrides, which ts_scenario_write() writes out and the hash is taken of.
 * Private to the scenario layer: spec.h, which the model and the output read,
 * knows only the opaque struct ts_scenario_tree. */
#include <stdbool.h>
#include <stdio.h>
#include <libconfig.h>
#include <tradesim/error.h>

struct ts_source;

struct ts_scenario_tree {
	config_t config;
	/* The lines the settings were read from (source.h, without its text),
	 * kept so that the messages about a copy (ts_scenario_vary) name the
	 * same FILE:LINE as a load would; NULL until a load succeeds. */
	struct ts_source *source;
	/* Whether some of its settings are another tree's (ts_tree_share). */
	bool shares;
};

/* A deep copy of src as a new last child of parent (named `name` in a
 * group), keeping its source position and override mark (tree.c); NULL when
 * out of memory. The copy's file name, if any, points into src's config:
 * that config must outlive it. */
config_setting_t *ts_tree_copy_setting(config_setting_t *parent, const char *name, const config_setting_t *src);

/* dst (a tree with an empty root) made to share src's settings: its root
 * holds src's top-level settings themselves, which dst must not change
 * until ts_tree_own_child has made them its own. src must outlive dst, and
 * ts_tree_unshare(dst) come before config_destroy. Other threads may share
 * src at once: it is only read. false when out of memory (dst then holds
 * what was shared so far). */
bool ts_tree_share(struct ts_scenario_tree *dst, const struct ts_scenario_tree *src);
/* Child `index` of parent (a setting parent's tree owns) made the tree's
 * own if it is another's: replaced in its place by a copy, whole (deep) or
 * (not deep, an aggregate) holding the same shared members. Returns the
 * child, or NULL when out of memory. */
config_setting_t *ts_tree_own_child(config_setting_t *parent, unsigned index, bool deep);
/* Every setting under parent made the tree's own; false when out of
 * memory. */
bool ts_tree_own_members(config_setting_t *parent);
/* Takes the settings t shares out of its own, so that config_destroy frees
 * only its own; t no longer shares. */
void ts_tree_unshare(struct ts_scenario_tree *t);

/* Writes the tree to f in libconfig syntax that reads back to the same tree:
 * reals with the fewest digits that read back to the same double, 64-bit
 * integers with L, strings escaped as libconfig reads them; one setting a
 * line, two spaces of indent a level (tree.c). Stream errors are the
 * caller's to check (ferror). Returns TS_OK, or TS_EINPUT for a real that is
 * not finite (which validation never lets through). */
int ts_tree_write(const struct ts_scenario_tree *t, FILE *f, ts_error *err);
/* The same text in a new NUL-terminated buffer (*text, *len), which the
 * caller frees; TS_OK, TS_EINPUT (a real not finite) or TS_ENOMEM. */
int ts_tree_text(const struct ts_scenario_tree *t, char **text, size_t *len, ts_error *err);
/* v (finite) as the tree writes a real into buf (at least 40 bytes): its
 * fewest significant digits that strtod reads back to v (printf's rounding
 * to that many digits), plainly from 1e-4 to below 1e16, else with an
 * exponent; always with a '.' or an exponent. 0.1 -> "0.1", 1.0/3 ->
 * "0.3333333333333333", 250 -> "250.0", 5e-5 -> "5e-05", 1e300 -> "1e+300",
 * -0.0 -> "-0.0". */
void ts_tree_format_real(char *buf, size_t size, double v);

#endif
