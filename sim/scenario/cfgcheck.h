#ifndef TS_CFGCHECK_H
#define TS_CFGCHECK_H
/* Checked reads from a libconfig tree: types, ranges, unknown keys with a
 * did-you-mean, and diagnostics located as "FILE:LINE: PATH: ..." (or
 * "--set PATH: ..." for overridden settings); and the checks of the source
 * text libconfig reads (source.c): integers it would wrap silently, groups
 * too large for its parser, @include expanded by tradesim itself. */
#include <stdbool.h>
#include <stddef.h>
#include <libconfig.h>
#include <tradesim/error.h>

struct ts_source;

typedef struct ts_cfg {
	ts_error *err;
	const char *name;            /* main file as the user named it */
	const char *include_dir;     /* where @include looks; NULL: working dir */
	const char *text;            /* main file text */
	struct ts_source *source;    /* the expanded text the tree was read from, or NULL */
	size_t line_offset;          /* lines of source before the text libconfig reads (a variant's
				      * base: its parse error's line is libconfig's plus this) */
	int n_errors;                /* diagnostics reported through this context */
	bool nomem;                  /* an allocation failed somewhere */
} ts_cfg;

/* Flags for the typed reads. */
enum {
	TS_CFG_REQUIRED = 1,   /* absence is an error */
	TS_CFG_LO_OPEN = 2,    /* lower bound excluded */
	TS_CFG_HI_OPEN = 4     /* upper bound excluded */
};

/* Typed reads return TS_CFG_SET (value stored), TS_CFG_ABSENT (nothing
 * stored: keep the default) or TS_CFG_BAD (diagnostic reported). */
enum { TS_CFG_BAD = -1, TS_CFG_ABSENT = 0, TS_CFG_SET = 1 };

void ts_cfg_init(ts_cfg *c, ts_error *err, const char *name,
		 const char *include_dir, const char *text);
/* Frees what c holds (its source); c can be used again. */
void ts_cfg_release(ts_cfg *c);

/* The text for libconfig to read in place of `text`: its @include directives
 * replaced by the files they name (absolute names as written, relative ones
 * against c->include_dir; each file a regular file within the size limit),
 * after a scan that reports, at FILE:LINE with the setting's path, every
 * integer literal that does not fit in 32 bits and has no L suffix (libconfig
 * 1.5 would wrap it) or that does not fit in 64 bits, and groups too large
 * for libconfig's quadratic parser. NULL when a problem was reported (or
 * c->nomem). c keeps the source until ts_cfg_release(), to locate the
 * settings libconfig reads from it. */
const char *ts_cfg_read_source(ts_cfg *c, const char *text);

/* The same for the file a variant names as its base (variant.c): its text
 * expanded (includes against include_dir, messages naming it `name`) and
 * scanned after the source read so far, which ts_cfg_read_source began.
 * Returns the file's expanded text (valid until the next read) with
 * *first_line the line of the source where it begins, so that the lines
 * libconfig gives its settings are made source lines by adding
 * *first_line - 1; NULL when a problem was reported (or c->nomem). */
const char *ts_cfg_read_more_source(ts_cfg *c, const char *text, const char *name, const char *include_dir,
				    size_t *first_line);

/* The same checks of a text that libconfig reads itself (with its own
 * @include): returns the number of problems reported through c. */
int ts_cfg_check_source(ts_cfg *c, const char *text);

/* Reports libconfig's parse error of cfg as "FILE:LINE: what". */
void ts_cfg_report_parse_error(ts_cfg *c, const config_t *cfg);

/* The file a libconfig file name (NULL: the main text) stands for, as the
 * user would open it: include names are resolved against include_dir. */
void ts_cfg_file_name(const ts_cfg *c, const char *file, char *buf, size_t size);

/* "--set" path that produced s or one of its ancestors, or NULL. Overrides
 * mark settings with a hook holding the path (see override.c). */
const char *ts_cfg_override_of(const config_setting_t *s);

/* Dotted path of s ("countries.CN.markets.chips", "measures.m.sectors[1]"). */
void ts_cfg_path(const config_setting_t *s, char *buf, size_t size);
/* The line of s in the file it was read from (0 for an override's). */
int ts_cfg_line(const ts_cfg *c, const config_setting_t *s);
/* "FILE:LINE" of s, or "--set PATH" if an override produced it. */
void ts_cfg_location(const ts_cfg *c, const config_setting_t *s, char *buf, size_t size);

/* Reports "LOCATION: PATH: message" about s. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void ts_cfg_error(ts_cfg *c, const config_setting_t *s, const char *fmt, ...);
/* The same about the setting `key` of group (which may be absent): located
 * at the group, path "GROUP.key". */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
void ts_cfg_error_in(ts_cfg *c, const config_setting_t *group, const char *key,
		     const char *fmt, ...);

/* Whether c has reported as many diagnostics as an error keeps: past that a
 * did-you-mean would be computed for nothing. */
bool ts_cfg_is_full(const ts_cfg *c);

/* Words longer than this get no did-you-mean (ids are at most 64 characters). */
#define TS_CFG_HINT_MAX_WORD 128
/* Levenshtein distance between a and b, ignoring case, if at most `limit`;
 * else limit + 1. Time O((strlen(a) + 1) x (2 limit + 1)). */
size_t ts_cfg_edit_distance(const char *a, const char *b, size_t limit);
/* Closest candidate close enough to be a likely typo of word (at most
 * max(2, len/3) edits), or NULL; the first of equally close ones. Words over
 * TS_CFG_HINT_MAX_WORD characters get none. */
const char *ts_cfg_suggest(const char *word, const char *const *candidates, size_t n);
/* " (did you mean 'x'?)" or "" into buf; returns buf. */
const char *ts_cfg_hint(char *buf, size_t size, const char *word,
			const char *const *candidates, size_t n);

/* Reports every member of group whose name is not in the NULL-terminated
 * list `allowed`. Returns the number reported. */
int ts_cfg_check_keys(ts_cfg *c, const config_setting_t *group, const char *const *allowed);

/* The integer s holds (after the source scan, the one written). */
int ts_cfg_int_value(ts_cfg *c, const config_setting_t *s, long long *out);

/* Member `key` of group (NULL if group is not a group or has none): the
 * name compared whole, where config_setting_get_member reads `key` as a
 * path and compares a character at a time through strchr (a big world's
 * load makes some 10^6 lookups). */
config_setting_t *ts_cfg_member(const config_setting_t *group, const char *key);

/* Typed reads of setting s itself. */
int ts_cfg_float_value(ts_cfg *c, const config_setting_t *s, unsigned flags,
		       double lo, double hi, double *out);
int ts_cfg_int_range(ts_cfg *c, const config_setting_t *s, long long lo, long long hi,
		     long long *out);

/* Typed reads of member `key` of group. Bounds are inclusive unless flagged
 * open; use -INFINITY/INFINITY for none. */
int ts_cfg_float(ts_cfg *c, const config_setting_t *group, const char *key,
		 unsigned flags, double lo, double hi, double *out);
int ts_cfg_int(ts_cfg *c, const config_setting_t *group, const char *key,
	       unsigned flags, long long lo, long long hi, long long *out);
int ts_cfg_string(ts_cfg *c, const config_setting_t *group, const char *key,
		  unsigned flags, const char **out);
int ts_cfg_bool(ts_cfg *c, const config_setting_t *group, const char *key,
		unsigned flags, bool *out);
/* A member that must be a group { ... }. */
int ts_cfg_group(ts_cfg *c, const config_setting_t *group, const char *key,
		 unsigned flags, config_setting_t **out);

/* "an integer", "a string", ... for messages. */
const char *ts_cfg_type_phrase(const config_setting_t *s);

#endif
