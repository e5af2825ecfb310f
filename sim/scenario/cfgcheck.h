#ifndef TS_CFGCHECK_H
#define TS_CFGCHECK_H
/* Checked reads from a libconfig tree: types, ranges, unknown keys with a
 * did-you-mean, integers libconfig wrapped silently, and diagnostics located
 * as "FILE:LINE: PATH: ..." (or "--set PATH: ..." for overridden settings). */
#include <stdbool.h>
#include <stddef.h>
#include <libconfig.h>
#include <tradesim/error.h>

struct ts_cfg_text;

typedef struct ts_cfg {
	ts_error *err;
	const char *name;            /* main file as the user named it */
	const char *include_dir;     /* where @include looks; NULL: working dir */
	const char *text;            /* main file text, for source-line checks */
	struct ts_cfg_text *texts;   /* included files read so far */
	size_t n_texts;
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
void ts_cfg_release(ts_cfg *c);

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

/* Levenshtein distance, ignoring case. */
size_t ts_cfg_edit_distance(const char *a, const char *b);
/* Closest candidate close enough to be a likely typo of word, or NULL. */
const char *ts_cfg_suggest(const char *word, const char *const *candidates, size_t n);
/* " (did you mean 'x'?)" or "" into buf; returns buf. */
const char *ts_cfg_hint(char *buf, size_t size, const char *word,
			const char *const *candidates, size_t n);

/* Reports every member of group whose name is not in the NULL-terminated
 * list `allowed`. Returns the number reported. */
int ts_cfg_check_keys(ts_cfg *c, const config_setting_t *group, const char *const *allowed);

/* Checks that libconfig kept the integer written in the source: a plain
 * literal beyond 32 bits wraps, one beyond 64 bits saturates. Reports and
 * returns TS_CFG_BAD if so; else TS_CFG_SET with the value in *out. */
int ts_cfg_int_value(ts_cfg *c, const config_setting_t *s, long long *out);

/* Finds `name = LITERAL` (or `name : LITERAL`) in a stretch of source and
 * tells whether the literal is an integer that libconfig could not store as
 * `stored` (type CONFIG_TYPE_INT or INT64): true, with the literal in buf and
 * whether it exceeds even 64 bits, if no occurrence of name holds `stored`.
 * Exposed for the override parser. */
bool ts_cfg_literal_lost(const char *text, size_t len, const char *name,
			 int type, long long stored, char *buf, size_t size, bool *beyond_64_bits);

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
