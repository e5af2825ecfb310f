#ifndef TS_JSON_READER_H
#define TS_JSON_READER_H
/* A small strict JSON reader (RFC 8259) for the JSON files tradesim reads
 * back (a sweep directory's sweep.json). The whole text must be one object;
 * anything else (a trailing comma, a single quote, a control character or
 * invalid UTF-8 in a string, a lone surrogate, a duplicate key, a number
 * like 01 or 1., text after the object, nesting deeper than 64) is refused
 * with "NAME:LINE: what was expected". The object's own members are kept with
 * their decoded strings and where their values lie in the text; nested
 * arrays and objects are checked, not kept. */
#include <stddef.h>
#include <tradesim/error.h>

typedef enum ts_json_type {
	TS_JSON_NULL, TS_JSON_BOOL, TS_JSON_NUMBER, TS_JSON_STRING, TS_JSON_ARRAY, TS_JSON_OBJECT
} ts_json_type;

typedef struct ts_json_member {
	char *key;                   /* decoded */
	ts_json_type type;
	char *string;                /* TS_JSON_STRING: decoded (no NUL inside: \u0000 is refused) */
	char *number;                /* TS_JSON_NUMBER: its text as written */
	int boolean;                 /* TS_JSON_BOOL */
	size_t start, end;           /* the value is text[start .. end) */
	int line;                    /* where the value starts, from 1 */
} ts_json_member;

typedef struct ts_json_object {
	char *name;                  /* the file, for messages */
	ts_json_member *members;     /* in the order of the text */
	int n;
} ts_json_object;

/* Parses text[0 .. length) (it may hold NUL bytes, which are refused); name
 * stands for it in messages. On success *out holds the members, to release
 * with ts_json_object_free(); on failure it is empty (safe to free). */
int ts_json_parse_object(ts_json_object *out, const char *text, size_t length, const char *name, ts_error *err);
void ts_json_object_free(ts_json_object *o);

/* The member named key, or NULL. */
const ts_json_member *ts_json_find(const ts_json_object *o, const char *key);
/* Member key as a string, or as an integer (written without fraction or
 * exponent) in [lo, hi]; missing or of another type: TS_EINPUT, "NAME:LINE:
 * KEY: expected ...". *out points into o. */
int ts_json_get_string(const ts_json_object *o, const char *key, const char **out, ts_error *err);
int ts_json_get_integer(const ts_json_object *o, const char *key, long long lo, long long hi, long long *out,
                        ts_error *err);

#endif
