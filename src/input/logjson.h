/* logjson.h - JSON (RFC 8259) of one log line read in place: checked in one
 * pass, then members found by key and values read out; no allocation. */
#ifndef KASAUDIT_LOGJSON_H
#define KASAUDIT_LOGJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "err.h"

enum lj_type {
	LJ_OBJECT,
	LJ_ARRAY,
	LJ_STRING,
	LJ_NUMBER,
	LJ_BOOL,
	LJ_NULL
};

/* A value: its bytes in the line (a string's without its quotes, its
 * escapes still in), borrowed from the line. */
struct lj {
	enum lj_type	 type;
	const char	*p;
	size_t		 len;
};

/*
 * Checks that line is one JSON object (blanks around it allowed; nesting
 * up to 32 deep) and sets *obj to it.  ERR_OK, or ERR_MALFORMED with
 * errbuf saying why and the column.  Every other lj_ function takes only
 * values of a line that passed.
 */
int	lj_parse(struct lj *obj, const char *line, size_t len, char *errbuf);
/* The member key of an object (the first, if the key repeats).  false
 * when obj is no object or has no such member. */
bool	lj_get(const struct lj *obj, const char *key, struct lj *v);
/*
 * The next element of an array (or member of an object: its key in *key,
 * which may be NULL).  *it starts as LJ_ITER_INIT and is the iterator.
 * false at the end.
 */
#define LJ_ITER_INIT	{ NULL, NULL, true }
bool	lj_next(const struct lj *arr, struct cur *it, struct lj *v,
	    struct lj *key);
/*
 * An object's members indexed in one pass, for objects asked for many
 * keys (finding each with lj_get() rescans the object).  Past LJ_MEMBERS
 * members, lj_find() falls back to lj_get().
 */
#define LJ_MEMBERS	48
struct lj_obj {
	struct lj	 obj;
	size_t		 n;
	bool		 more;
	struct lj	 key[LJ_MEMBERS];
	struct lj	 val[LJ_MEMBERS];
};

/* false (and an empty index) when obj is no object. */
bool	lj_index(struct lj_obj *, const struct lj *obj);
bool	lj_find(const struct lj_obj *, const char *key, struct lj *v);

/* A string's text, escapes decoded, into dst (size bytes with the NUL):
 * false when v is no string, it does not fit, or it holds a \u escape
 * beyond ASCII or of NUL. */
bool	lj_str(const struct lj *v, char *dst, size_t size, size_t *len);
/* Is v the string s (as written, no escapes)? */
bool	lj_is(const struct lj *v, const char *s);
/* A number as a double; an integer (no fraction or exponent). */
bool	lj_num(const struct lj *v, double *d);
bool	lj_int(const struct lj *v, int64_t *i);

/* A string member's text into buf (size n); NULL when absent or not one. */
const char *lj_find_str(const struct lj_obj *, const char *key, char *buf,
	    size_t n, size_t *len);
/* A port member: absent is 0 (ICMP), else an integer 0-65535; false
 * when it is something else. */
bool	lj_find_port(const struct lj_obj *, const char *key, uint16_t *port);

#endif
