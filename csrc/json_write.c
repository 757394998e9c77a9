/*
** json_write.c: the JSON writers.
**   core.json_encode(v [, opts])    any JSON-shaped Lua value
**   core.policy_json(doc [, opts])  a canonical policy document
** Output is deterministic (IAM element keys first, then bytewise order) and
** formatted like JavaScript's JSON.stringify: pretty with an indent of 2 by
** default, opts.indent = N (0..10), or opts.compact = true.  Misuse raises
** with the JSON path of the offending value.
*/
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leastpriv.h"

#define JBUF_MT "leastpriv.jsonbuf"

#define JW_MAX_INDENT 10        /* as JSON.stringify */
#define JW_SMALL_KEYS 16        /* objects up to this size sort on the C stack */
#define JW_CHUNK 1024           /* input bytes escaped per reservation */


/* ---- output buffer: heap memory owned by a userdata box, so a raise ---- */
/* ---- anywhere leaves it to the garbage collector                    ---- */

typedef struct jbuf {
  char *p;
  size_t n, cap;
} jbuf;

/* Release the memory of b (idempotent). */
static void jbuf_free(lua_State *L, jbuf *b) {
  void *ud;
  lua_Alloc allocf = lua_getallocf(L, &ud);
  if (b->p != NULL) allocf(ud, b->p, b->cap, 0);
  b->p = NULL;
  b->n = b->cap = 0;
}

static int jbuf_gc(lua_State *L) {
  jbuf_free(L, (jbuf *)luaL_checkudata(L, 1, JBUF_MT));
  return 0;
}

/* Push a new empty box. */
static jbuf *jbuf_new(lua_State *L) {
  jbuf *b = (jbuf *)lua_newuserdatauv(L, sizeof(jbuf), 0);
  b->p = NULL;
  b->n = b->cap = 0;
  luaL_setmetatable(L, JBUF_MT);
  return b;
}

/* Make room for need more bytes; returns where they go. */
static char *jbuf_reserve(lua_State *L, jbuf *b, size_t need) {
  if (b->cap - b->n < need) {
    void *ud;
    lua_Alloc allocf = lua_getallocf(L, &ud);
    size_t cap = b->cap < 256 ? 256 : b->cap;
    char *p;
    if (need > ((size_t)-1) / 4 || b->n > ((size_t)-1) / 4 - need)
      luaL_error(L, "JSON output too large");
    while (cap - b->n < need) cap *= 2;
    p = (char *)allocf(ud, b->p, b->cap, cap);
    if (p == NULL) luaL_error(L, "not enough memory");
    b->p = p;
    b->cap = cap;
  }
  return b->p + b->n;
}


/* ---- string escaping (shared with lpv_json_put_string) ---- */

/* For each byte: 0 = copy as is, else the letter after the backslash
** ('u' for \u00XX). */
static const char json_esc[256] = {
  'u','u','u','u','u','u','u','u','b','t','n','u','f','r','u','u',
  'u','u','u','u','u','u','u','u','u','u','u','u','u','u','u','u',
  0, 0, '"', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '\\', 0, 0, 0,
  /* 0x60..0xff: copied */
};

/* Escape s[0..n) into d (room for 6 * n bytes); returns bytes written. */
static size_t json_escape(char *d, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  char *d0 = d;
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    unsigned char c;
    while (j < n && json_esc[(unsigned char)s[j]] == 0) j++;
    memcpy(d, s + i, j - i);
    d += j - i;
    if (j == n) break;
    c = (unsigned char)s[j];
    *d++ = '\\';
    *d++ = json_esc[c];
    if (json_esc[c] == 'u') {
      *d++ = '0';
      *d++ = '0';
      *d++ = hex[c >> 4];
      *d++ = hex[c & 15];
    }
    i = j + 1;
  }
  return (size_t)(d - d0);
}

void lpv_json_put_string(luaL_Buffer *b, const char *s, size_t len,
                         const char *what) {
  size_t ok = lpv_utf8_valid_prefix(s, len), i;
  if (ok < len) {
    char at[32];
    (void)snprintf(at, sizeof at, "%llu", (unsigned long long)ok + 1);
    if (what != NULL && *what != '\0')
      luaL_error(b->L, "%s: invalid UTF-8 at byte %s", what, at);
    luaL_error(b->L, "invalid UTF-8 at byte %s", at);
  }
  luaL_addchar(b, '"');
  for (i = 0; i < len; i += JW_CHUNK) {
    size_t n = len - i < JW_CHUNK ? len - i : JW_CHUNK;
    char *d = luaL_prepbuffsize(b, 6 * n);
    luaL_addsize(b, json_escape(d, s + i, n));
  }
  luaL_addchar(b, '"');
}


/* ---- numbers ---- */

/* Decimal digits of v into out (room for 21); returns the length. */
static size_t fmt_integer(char *out, lua_Integer v) {
  char tmp[24];
  size_t n = 0, i = 0;
  unsigned long long u = (unsigned long long)v;
  if (v < 0) {
    out[i++] = '-';
    u = 0ULL - u;
  }
  do {
    tmp[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u != 0);
  while (n > 0) out[i++] = tmp[--n];
  return i;
}

/* Shortest decimal digits that read back as x (finite, > 0): the digits
** into dig (no trailing zeros), the decimal exponent n such that
** x = 0.DIGITS * 10^n; returns the digit count. */
static int shortest_digits(double x, char *dig, int *n) {
  char tmp[40];
  const char *s;
  int prec, k = 0, e = 0, neg = 0;
  /* For normal doubles, 15 digits that read back are unique, so they are
  ** the shortest once trailing zeros go; subnormals need the full search. */
  for (prec = x < DBL_MIN ? 1 : 15; prec <= 17; prec++) {
    (void)snprintf(tmp, sizeof tmp, "%.*e", prec - 1, x);
    if (prec == 17 || strtod(tmp, NULL) == x) break;
  }
  /* d[.ddd]e[+-]xx, with the locale's decimal point */
  for (s = tmp; *s != 'e' && *s != '\0'; s++)
    if (*s >= '0' && *s <= '9') dig[k++] = *s;
  if (*s == 'e') s++;
  if (*s == '-' || *s == '+') neg = (*s++ == '-');
  for (; *s >= '0' && *s <= '9'; s++) e = e * 10 + (*s - '0');
  if (k == 0) dig[k++] = '0';          /* cannot happen for finite x */
  while (k > 1 && dig[k - 1] == '0') k--;
  *n = (neg ? -e : e) + 1;
  return k;
}

/* Format a finite double as JavaScript's Number#toString does; returns the
** length written to out (room for 32). */
static size_t fmt_float(char *out, double x) {
  char dig[24];                 /* up to 17 digits; sized for n <= 21 */
  int k, n, i;
  char *o = out;
  if (x == 0) {               /* also -0, as JSON.stringify */
    *o = '0';
    return 1;
  }
  if (x < 0) {
    *o++ = '-';
    x = -x;
  }
  k = shortest_digits(x, dig, &n);
  if (k <= n && n <= 21) {             /* integral: digits then zeros */
    memcpy(o, dig, (size_t)k);
    o += k;
    for (i = k; i < n; i++) *o++ = '0';
  }
  else if (0 < n && n <= 21) {         /* point inside the digits */
    memcpy(o, dig, (size_t)n);
    o += n;
    *o++ = '.';
    memcpy(o, dig + n, (size_t)(k - n));
    o += k - n;
  }
  else if (-6 < n && n <= 0) {         /* 0.000ddd */
    *o++ = '0';
    *o++ = '.';
    for (i = n; i < 0; i++) *o++ = '0';
    memcpy(o, dig, (size_t)k);
    o += k;
  }
  else {                               /* d.ddde+x */
    int e = n - 1;
    *o++ = dig[0];
    if (k > 1) {
      *o++ = '.';
      memcpy(o, dig + 1, (size_t)(k - 1));
      o += k - 1;
    }
    o += snprintf(o, 8, "e%c%d", e < 0 ? '-' : '+', e < 0 ? -e : e);
  }
  return (size_t)(o - out);
}


void lpv_push_number_text(lua_State *L, int idx) {
  char dig[24];
  int k, n, i;
  double x;
  luaL_Buffer b;
  if (lua_isinteger(L, idx)) {
    char out[24];
    size_t len = fmt_integer(out, lua_tointeger(L, idx));
    lua_pushlstring(L, out, len);
    return;
  }
  x = (double)lua_tonumber(L, idx);
  if (x == 0) {                        /* also -0 */
    lua_pushliteral(L, "0");
    return;
  }
  luaL_buffinit(L, &b);
  if (x < 0) {
    luaL_addchar(&b, '-');
    x = -x;
  }
  k = shortest_digits(x, dig, &n);     /* x = 0.DIG * 10^n */
  if (n <= 0) {
    luaL_addstring(&b, "0.");
    for (i = n; i < 0; i++) luaL_addchar(&b, '0');
    luaL_addlstring(&b, dig, (size_t)k);
  }
  else if (n >= k) {
    luaL_addlstring(&b, dig, (size_t)k);
    for (i = k; i < n; i++) luaL_addchar(&b, '0');
  }
  else {
    luaL_addlstring(&b, dig, (size_t)n);
    luaL_addchar(&b, '.');
    luaL_addlstring(&b, dig + n, (size_t)(k - n));
  }
  luaL_pushresult(&b);
}

/* number_text(x) -> the policy string of a finite number (see
** lpv_push_number_text); raises on NaN and infinities. */
static int number_text(lua_State *L) {
  lua_Number x = luaL_checknumber(L, 1);
  if (x != x || x - x != 0) return luaL_argerror(L, 1, "must be a finite number");
  lpv_push_number_text(L, 1);
  return 1;
}


/* ---- writer state ---- */

typedef struct jframe {
  const char *key;      /* member name, or NULL for an index */
  size_t klen;
  lua_Integer index;    /* 0-based */
} jframe;

typedef struct jw {
  lua_State *L;
  jbuf *b;
  int indent;           /* spaces per level; 0 = compact */
  int arraymt;          /* stack index of the array metatable */
  int level;            /* containers open */
  int nframe;           /* path of the value being written */
  jframe frame[LPV_MAX_DEPTH + 4];
  const void *open[LPV_MAX_DEPTH + 1];   /* tables being written */
} jw;

static void jw_put(jw *w, const char *s, size_t n) {
  memcpy(jbuf_reserve(w->L, w->b, n), s, n);
  w->b->n += n;
}

static void jw_putc(jw *w, char c) {
  *jbuf_reserve(w->L, w->b, 1) = c;
  w->b->n++;
}

/* Push the path of the current value ("" at the root). */
static void jw_pushpath(jw *w) {
  lua_State *L = w->L;
  int i;
  luaL_checkstack(L, 4, NULL);
  lua_pushliteral(L, "");
  for (i = 0; i < w->nframe; i++) {
    size_t pl;
    const char *pre = lua_tolstring(L, -1, &pl);
    if (w->frame[i].key != NULL)
      lpv_path_push_key(L, pre, pl, w->frame[i].key, w->frame[i].klen);
    else
      lpv_path_push_index(L, pre, pl, w->frame[i].index);
    lua_remove(L, -2);
  }
}

/* Raise "PATH: message" (just the message at the root). */
static void jw_fail(jw *w, const char *fmt, ...) {
  lua_State *L = w->L;
  va_list ap;
  jw_pushpath(w);
  va_start(ap, fmt);
  lua_pushvfstring(L, fmt, ap);
  va_end(ap);
  if (lua_rawlen(L, -2) > 0) {
    lua_pushliteral(L, ": ");
    lua_insert(L, -2);
    lua_concat(L, 3);
  }
  lua_error(L);
}

static void jw_push_key(jw *w, const char *key, size_t klen) {
  jframe *f = &w->frame[w->nframe++];
  f->key = key;
  f->klen = klen;
}

static void jw_push_index(jw *w, lua_Integer i) {
  jframe *f = &w->frame[w->nframe++];
  f->key = NULL;
  f->index = i;
}

/* Newline and indentation for the current level (nothing when compact). */
static void jw_newline(jw *w) {
  if (w->indent > 0) {
    size_t n = (size_t)w->indent * (size_t)w->level;
    char *d = jbuf_reserve(w->L, w->b, n + 1);
    d[0] = '\n';
    memset(d + 1, ' ', n);
    w->b->n += n + 1;
  }
}

/* Write s as a JSON string; invalid UTF-8 raises at the current path. */
static void jw_string(jw *w, const char *s, size_t len, const char *inkey) {
  size_t ok = lpv_utf8_valid_prefix(s, len), i;
  if (ok < len) {
    char at[32];
    (void)snprintf(at, sizeof at, "%llu", (unsigned long long)ok + 1);
    jw_fail(w, "invalid UTF-8%s at byte %s", inkey, at);
  }
  jw_putc(w, '"');
  for (i = 0; i < len; i += JW_CHUNK) {
    size_t n = len - i < JW_CHUNK ? len - i : JW_CHUNK;
    char *d = jbuf_reserve(w->L, w->b, 6 * n);
    w->b->n += json_escape(d, s + i, n);
  }
  jw_putc(w, '"');
}

/* Open an object member: separator, newline, "key": */
static void jw_member(jw *w, int first, const char *key, size_t klen) {
  if (!first) jw_putc(w, ',');
  jw_newline(w);
  jw_string(w, key, klen, " in key");
  if (w->indent > 0) jw_put(w, ": ", 2);
  else jw_putc(w, ':');
}

/* Open an array item: separator and newline. */
static void jw_item(jw *w, int first) {
  if (!first) jw_putc(w, ',');
  jw_newline(w);
}

/* Close a container opened with c, holding n entries. */
static void jw_close(jw *w, lua_Integer n, char c) {
  w->level--;
  if (n > 0) jw_newline(w);
  jw_putc(w, c);
}

static void jw_options(lua_State *L, int arg, jw *w) {
  w->indent = 2;
  if (lua_isnoneornil(L, arg)) return;
  luaL_checktype(L, arg, LUA_TTABLE);
  lua_getfield(L, arg, "indent");
  if (!lua_isnil(L, -1)) {
    int isint = 0;
    lua_Integer n = 0;
    if (lua_type(L, -1) == LUA_TNUMBER) n = lua_tointegerx(L, -1, &isint);
    if (!isint || n < 0 || n > JW_MAX_INDENT)
      luaL_argerror(L, arg, "indent must be an integer from 0 to 10");
    w->indent = (int)n;
  }
  lua_getfield(L, arg, "compact");
  if (!lua_isnil(L, -1)) {
    if (!lua_isboolean(L, -1))
      luaL_argerror(L, arg, "compact must be a boolean");
    if (lua_toboolean(L, -1)) w->indent = 0;
  }
  lua_pop(L, 2);
}

/* Set up w for writing the value at index 1 with options at index 2. */
static void jw_init(lua_State *L, jw *w) {
  luaL_checkany(L, 1);
  jw_options(L, 2, w);
  lua_settop(L, 2);
  w->L = L;
  w->level = 0;
  w->nframe = 0;
  luaL_getmetatable(L, LPV_ARRAY_MT);
  w->arraymt = 3;
  w->b = jbuf_new(L);                  /* index 4 */
}

/* Return the written text, releasing the buffer at once. */
static int jw_result(jw *w) {
  lua_pushlstring(w->L, w->b->p != NULL ? w->b->p : "", w->b->n);
  jbuf_free(w->L, w->b);
  return 1;
}


/* ---- table shapes and key order ---- */

enum { SHAPE_EMPTY, SHAPE_ARRAY, SHAPE_OBJECT, SHAPE_SPARSE, SHAPE_MIXED,
       SHAPE_BADKEY };

/* Shape of the table at index t: for an array, *n is its length; for an
** object, its member count; for SHAPE_BADKEY, *badkey the key's type. */
static int table_shape(lua_State *L, int t, lua_Integer *n, int *badkey) {
  lua_Integer count = 0, nint = 0, nstr = 0, max = 0;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    count++;
    if (lua_type(L, -1) == LUA_TSTRING) nstr++;
    else if (lua_isinteger(L, -1)) {
      lua_Integer k = lua_tointeger(L, -1);
      nint++;
      if (k < 1) max = -1;
      else if (max >= 0 && k > max) max = k;
    }
    else {
      *badkey = lua_type(L, -1);
      lua_pop(L, 1);
      return SHAPE_BADKEY;
    }
  }
  *n = count;
  if (count == 0) return SHAPE_EMPTY;
  if (nstr == count) return SHAPE_OBJECT;
  if (nint == count) return max == count ? SHAPE_ARRAY : SHAPE_SPARSE;
  return SHAPE_MIXED;
}

typedef struct jkey {
  const char *s;
  size_t len;
  int rank;
} jkey;

/* Rank of an IAM element name in canonical order; others rank last. */
static int key_rank(const char *k, size_t len) {
  static const char *const names[] = {
    "Version", "Id", "Statement", "Sid", "Effect", "Principal",
    "NotPrincipal", "Action", "NotAction", "Resource", "NotResource",
    "Condition"
  };
  int i, n = (int)(sizeof names / sizeof names[0]);
  for (i = 0; i < n; i++)
    if (strlen(names[i]) == len && memcmp(names[i], k, len) == 0) return i;
  return n;
}

static int key_cmp(const void *va, const void *vb) {
  const jkey *a = (const jkey *)va, *b = (const jkey *)vb;
  int c;
  if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
  c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
  if (c != 0) return c;
  return a->len < b->len ? -1 : a->len > b->len;
}

/* The n string keys of the table at index t, in canonical order (ranked)
** or bytewise.  Pushes one value, the scratch memory (or nil), for the
** caller to pop when done with the keys. */
static jkey *sorted_keys(lua_State *L, int t, lua_Integer n, jkey *small,
                         int ranked) {
  jkey *k = small;
  lua_Integer i = 0;
  if (n > JW_SMALL_KEYS)
    k = (jkey *)lua_newuserdatauv(L, (size_t)n * sizeof(jkey), 0);
  else
    lua_pushnil(L);
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    k[i].s = lua_tolstring(L, -1, &k[i].len);    /* anchored by the table */
    k[i].rank = ranked ? key_rank(k[i].s, k[i].len) : 0;
    i++;
  }
  qsort(k, (size_t)n, sizeof(jkey), key_cmp);
  return k;
}


/* ---- json_encode ---- */

static void enc_value(jw *w);

/* Write the table on top of the stack. */
static void enc_table(jw *w) {
  lua_State *L = w->L;
  int t = lua_gettop(L), marked, shape, badkey = 0, i;
  const void *self = lua_topointer(L, t);
  lua_Integer n, j;
  for (i = 0; i < w->level; i++)
    if (w->open[i] == self) jw_fail(w, "circular reference");
  if (w->level >= LPV_MAX_DEPTH)
    jw_fail(w, "nesting deeper than %d", LPV_MAX_DEPTH);
  luaL_checkstack(L, 8, "JSON nesting");
  marked = 0;
  if (lua_getmetatable(L, t)) {
    marked = lua_rawequal(L, -1, w->arraymt);
    lua_pop(L, 1);
  }
  shape = table_shape(L, t, &n, &badkey);
  if (shape == SHAPE_EMPTY) {
    jw_put(w, marked ? "[]" : "{}", 2);
    return;
  }
  if (shape == SHAPE_OBJECT && marked)
    jw_fail(w, "array has non-index keys");
  else if (shape == SHAPE_SPARSE)
    jw_fail(w, "sparse array (keys must be 1..n)");
  else if (shape == SHAPE_MIXED)
    jw_fail(w, "table mixes array and object keys");
  else if (shape == SHAPE_BADKEY)
    jw_fail(w, "cannot encode a table with a %s key", lua_typename(L, badkey));
  w->open[w->level++] = self;
  if (shape == SHAPE_ARRAY) {
    jw_putc(w, '[');
    for (j = 1; j <= n; j++) {
      jw_item(w, j == 1);
      lua_rawgeti(L, t, j);
      jw_push_index(w, j - 1);
      enc_value(w);
      w->nframe--;
      lua_pop(L, 1);
    }
    jw_close(w, n, ']');
  }
  else {
    jkey small[JW_SMALL_KEYS];
    jkey *k = sorted_keys(L, t, n, small, 1);
    jw_putc(w, '{');
    for (j = 0; j < n; j++) {
      jw_member(w, j == 0, k[j].s, k[j].len);
      jw_push_key(w, k[j].s, k[j].len);
      lua_pushlstring(L, k[j].s, k[j].len);
      lua_rawget(L, t);
      enc_value(w);
      lua_pop(L, 1);
      w->nframe--;
    }
    lua_pop(L, 1);                        /* scratch */
    jw_close(w, n, '}');
  }
}

/* Write the value on top of the stack. */
static void enc_value(jw *w) {
  lua_State *L = w->L;
  char num[32];
  switch (lua_type(L, -1)) {
    case LUA_TSTRING: {
      size_t len;
      const char *s = lua_tolstring(L, -1, &len);
      jw_string(w, s, len, "");
      break;
    }
    case LUA_TNUMBER:
      if (lua_isinteger(L, -1))
        jw_put(w, num, fmt_integer(num, lua_tointeger(L, -1)));
      else {
        double x = (double)lua_tonumber(L, -1);
        if (isnan(x) || isinf(x))
          jw_fail(w, "cannot encode %s (JSON has no NaN or infinity)",
                  isnan(x) ? "NaN" : x > 0 ? "inf" : "-inf");
        jw_put(w, num, fmt_float(num, x));
      }
      break;
    case LUA_TBOOLEAN:
      if (lua_toboolean(L, -1)) jw_put(w, "true", 4);
      else jw_put(w, "false", 5);
      break;
    case LUA_TTABLE:
      enc_table(w);
      break;
    default:
      if (lua_islightuserdata(L, -1) && lua_touserdata(L, -1) == NULL)
        jw_put(w, "null", 4);                     /* core.null */
      else
        jw_fail(w, "cannot encode a %s", luaL_typename(L, -1));
  }
}

/* json_encode(value [, opts]) -> string */
static int json_encode(lua_State *L) {
  jw w;
  jw_init(L, &w);
  lua_pushvalue(L, 1);
  enc_value(&w);
  return jw_result(&w);
}


/* ---- policy_json: canonical policy documents ---- */

/* Raise unless s is free of template placeholders (LPV_PH_OPEN EXPR
** LPV_PH_CLOSE).  Control bytes such as U+0001 are data: escaped. */
static void pj_check_template(jw *w, const char *s, size_t len) {
  const char *a = (const char *)memchr(s, LPV_PH_OPEN, len), *z;
  lua_State *L = w->L;
  if (a == NULL) return;         /* a stray CLOSE fails as invalid UTF-8 */
  a++;
  z = (const char *)memchr(a, LPV_PH_CLOSE, len - (size_t)(a - s));
  if (z == NULL) {
    jw_fail(w, "unbalanced template placeholder");
    return;
  }
  if (z - a > 4 && memcmp(a, "var.", 4) == 0) {
    lua_pushlstring(L, a + 4, (size_t)(z - a - 4));
    jw_fail(w, "unresolved template variable var.%s (pass --set %s=...)",
            lua_tostring(L, -1), lua_tostring(L, -1));
  }
  lua_pushlstring(L, a, (size_t)(z - a));
  jw_fail(w, "unresolved template expression %s (substitute a value first)",
          lua_tostring(L, -1));
}

/* Write the policy string on top of the stack; what names the expected
** content for the error. */
static void pj_string(jw *w, const char *what) {
  size_t len;
  const char *s;
  if (lua_type(w->L, -1) != LUA_TSTRING)
    jw_fail(w, "expected %s, got %s", what, luaL_typename(w->L, -1));
  s = lua_tolstring(w->L, -1, &len);
  pj_check_template(w, s, len);
  jw_string(w, s, len, "");
}

/* Length of the list of strings on top of the stack; raises otherwise. */
static lua_Integer pj_list_len(jw *w) {
  lua_State *L = w->L;
  lua_Integer n = 0;
  int badkey, shape;
  if (lua_type(L, -1) == LUA_TTABLE) {
    shape = table_shape(L, lua_gettop(L), &n, &badkey);
    if (shape == SHAPE_EMPTY || shape == SHAPE_ARRAY) return n;
  }
  jw_fail(w, "expected a list of strings");
  return 0;
}

/* Write the list of strings on top of the stack: one item as a bare
** string, else an array in the author's order. */
static void pj_list(jw *w) {
  lua_State *L = w->L;
  int t = lua_gettop(L);
  lua_Integer n = pj_list_len(w), j;
  if (n == 1) {
    lua_rawgeti(L, t, 1);
    jw_push_index(w, 0);
    pj_string(w, "a string");
    w->nframe--;
    lua_pop(L, 1);
    return;
  }
  jw_putc(w, '[');
  w->level++;
  for (j = 1; j <= n; j++) {
    jw_item(w, j == 1);
    lua_rawgeti(L, t, j);
    jw_push_index(w, j - 1);
    pj_string(w, "a string");
    w->nframe--;
    lua_pop(L, 1);
  }
  jw_close(w, n, ']');
}

/* Write the map on top of the stack (string keys, bytewise order), each
** value by put. */
static void pj_map(jw *w, void (*put)(jw *w), const char *what) {
  lua_State *L = w->L;
  int t = lua_gettop(L), badkey, shape = SHAPE_BADKEY;
  lua_Integer n = 0, j;
  jkey small[JW_SMALL_KEYS], *k;
  if (lua_type(L, t) == LUA_TTABLE) shape = table_shape(L, t, &n, &badkey);
  if (shape != SHAPE_OBJECT && shape != SHAPE_EMPTY)
    jw_fail(w, "expected %s", what);
  luaL_checkstack(L, 8, NULL);
  k = sorted_keys(L, t, n, small, 0);
  jw_putc(w, '{');
  w->level++;
  for (j = 0; j < n; j++) {
    pj_check_template(w, k[j].s, k[j].len);
    jw_member(w, j == 0, k[j].s, k[j].len);
    jw_push_key(w, k[j].s, k[j].len);
    lua_pushlstring(L, k[j].s, k[j].len);
    lua_rawget(L, t);
    put(w);
    lua_pop(L, 1);
    w->nframe--;
  }
  lua_pop(L, 1);
  jw_close(w, n, '}');
}

static void pj_condition_keys(jw *w) {
  pj_map(w, pj_list, "a map of condition keys to lists of strings");
}

static void pj_condition(jw *w) {
  pj_map(w, pj_condition_keys, "a map of condition operators");
}

static void pj_principal(jw *w) {
  if (lua_type(w->L, -1) == LUA_TSTRING) {
    size_t len;
    const char *s = lua_tolstring(w->L, -1, &len);
    if (len != 1 || s[0] != '*')
      jw_fail(w, "expected \"*\" or a map of principal lists");
    jw_put(w, "\"*\"", 3);
    return;
  }
  pj_map(w, pj_list, "\"*\" or a map of principal lists");
}

static void pj_sid(jw *w) { pj_string(w, "a string"); }

/* Which statement elements exist and how each is written. */
typedef struct pj_element {
  const char *name;
  void (*put)(jw *w);
  int required;
} pj_element;

static void pj_statement_list(jw *w);

static const pj_element pj_doc_elements[] = {
  {"Version", pj_sid, 0}, {"Id", pj_sid, 0},
  {"Statement", pj_statement_list, 1},
  {NULL, NULL, 0}
};

static const pj_element pj_statement_elements[] = {
  {"Sid", pj_sid, 0}, {"Effect", pj_sid, 1},
  {"Principal", pj_principal, 0}, {"NotPrincipal", pj_principal, 0},
  {"Action", pj_list, 0}, {"NotAction", pj_list, 0},
  {"Resource", pj_list, 0}, {"NotResource", pj_list, 0},
  {"Condition", pj_condition, 0},
  {NULL, NULL, 0}
};

/* Write the table on top of the stack as an object with the given
** elements, in that order; other keys and missing required ones raise. */
static void pj_object(jw *w, const pj_element *el, const char *what) {
  lua_State *L = w->L;
  int t = lua_gettop(L), first = 1, badkey;
  const pj_element *e;
  lua_Integer n;
  if (lua_type(L, t) != LUA_TTABLE)
    jw_fail(w, "expected %s, got %s", what, luaL_typename(L, t));
  switch (table_shape(L, t, &n, &badkey)) {
    case SHAPE_OBJECT: case SHAPE_EMPTY: break;
    default: jw_fail(w, "expected %s (a table with string keys)", what);
  }
  /* unknown elements */
  lua_pushnil(L);
  while (lua_next(L, t)) {
    size_t klen;
    const char *k;
    lua_pop(L, 1);
    k = lua_tolstring(L, -1, &klen);
    for (e = el; e->name != NULL; e++)
      if (strlen(e->name) == klen && memcmp(e->name, k, klen) == 0) break;
    if (e->name == NULL) {
      jw_push_key(w, k, klen);
      jw_fail(w, "unknown element in a canonical policy");
    }
  }
  jw_putc(w, '{');
  w->level++;
  for (e = el; e->name != NULL; e++) {
    size_t klen = strlen(e->name);
    jw_push_key(w, e->name, klen);
    lua_getfield(L, t, e->name);
    if (lua_isnil(L, -1)) {
      if (e->required) jw_fail(w, "missing (required in a canonical policy)");
      lua_pop(L, 1);
      w->nframe--;
      continue;
    }
    jw_member(w, first, e->name, klen);
    e->put(w);
    w->nframe--;
    lua_pop(L, 1);
    first = 0;
  }
  jw_close(w, first ? 0 : 1, '}');
}

static void pj_statement(jw *w) {
  pj_object(w, pj_statement_elements, "a statement");
}

/* Statement: always an array. */
static void pj_statement_list(jw *w) {
  lua_State *L = w->L;
  int t = lua_gettop(L), badkey, shape = SHAPE_BADKEY;
  lua_Integer n = 0, j;
  if (lua_type(L, t) == LUA_TTABLE) shape = table_shape(L, t, &n, &badkey);
  if (shape != SHAPE_ARRAY && shape != SHAPE_EMPTY)
    jw_fail(w, "expected a list of statements");
  jw_putc(w, '[');
  w->level++;
  for (j = 1; j <= n; j++) {
    jw_item(w, j == 1);
    lua_rawgeti(L, t, j);
    jw_push_index(w, j - 1);
    pj_statement(w);
    w->nframe--;
    lua_pop(L, 1);
  }
  jw_close(w, n, ']');
}

/* policy_json(doc [, opts]) -> string */
static int policy_json(lua_State *L) {
  jw w;
  jw_init(L, &w);
  lua_pushvalue(L, 1);
  pj_object(&w, pj_doc_elements, "a policy document");
  return jw_result(&w);
}


static const luaL_Reg json_write_funcs[] = {
  {"json_encode", json_encode},
  {"policy_json", policy_json},
  {"number_text", number_text},
  {NULL, NULL}
};

void lpv_open_json_write(lua_State *L) {
  if (luaL_newmetatable(L, JBUF_MT)) {
    lua_pushcfunction(L, jbuf_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  luaL_setfuncs(L, json_write_funcs, 0);
}
