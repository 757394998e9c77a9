/*
** json_read.c: the strict JSON reader (RFC 8259), core.json_decode.
** Errors come back as data: nil, "LINE:COL: PATH: message", where COL
** counts characters (UTF-8 code points) and PATH is the JSON path of the
** element where reading stopped (absent at the root).  Duplicate object keys
** are errors, as in IAM.  Objects become plain tables, arrays sequences with
** the LPV_ARRAY_MT metatable, null the core.null sentinel.  With
** opts.positions, a second table maps every element's path to {line, col}
** of its first character, and PATH.."#key" to that of a member's name.
** All memory is Lua's: a raise (out of memory) leaks nothing, and recursion
** is bounded by LPV_MAX_DEPTH.
*/
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leastpriv.h"

#define JR_SHOW_KEY 64          /* bytes of a key shown in a message */

/* With positions, every element's path is a string of its own, so long
** keys above many elements would make them grow with the product of the
** two.  Their bytes together may not exceed JR_PATH_FACTOR times the
** document plus JR_PATH_SLACK (policies need 1 to 4 times, a dense array
** of numbers under a 20-byte key 16 times). */
#define JR_PATH_FACTOR 32
#define JR_PATH_SLACK  (1u << 20)

typedef struct jr_frame {
  int key;              /* stack index of the member name, or 0 */
  lua_Integer index;    /* 0-based array index when key == 0 */
} jr_frame;

typedef struct jr {
  lua_State *L;
  const char *p, *end;
  lua_Integer line;
  const char *line_start;
  const char *cpos;     /* column cache: the character at cpos ... */
  lua_Integer ccol;     /* ... is in column ccol */
  int depth;
  int errslot;          /* stack index that receives the error message */
  int arraymt;          /* stack index of the array metatable */
  int postab;           /* stack index of the positions table, or 0 */
  int nframe;           /* path of the element being read */
  size_t pathbudget;    /* bytes of positions paths still allowed */
  jr_frame frame[LPV_MAX_DEPTH + 2];
} jr;

#define jr_isdigit(c) ((unsigned)((c) - '0') < 10u)


/* ---- positions and errors ---- */

/* Column (in characters, 1-based) of pos on the current line. */
static lua_Integer jr_column(jr *r, const char *pos) {
  const char *q;
  lua_Integer col;
  if (r->cpos < r->line_start || r->cpos > pos) {
    r->cpos = r->line_start;
    r->ccol = 1;
  }
  for (q = r->cpos, col = r->ccol; q < pos; q++)
    col += ((unsigned char)*q & 0xC0) != 0x80;
  r->cpos = pos;
  r->ccol = col;
  return col;
}

/* Fail at pos with the message on top of the stack: store
** "LINE:COL: PATH: message" in the error slot; returns 0. */
static int jr_fail(jr *r, const char *pos) {
  lua_State *L = r->L;
  char at[64];
  int i;
  (void)snprintf(at, sizeof at, "%lld:%lld: ", (long long)r->line,
                 (long long)jr_column(r, pos));
  luaL_checkstack(L, 8, NULL);
  lua_pushstring(L, at);
  lua_pushliteral(L, "");
  for (i = 0; i < r->nframe; i++) {
    size_t pl;
    const char *pre = lua_tolstring(L, -1, &pl);
    if (r->frame[i].key != 0) {
      size_t kl;
      const char *k = lua_tolstring(L, r->frame[i].key, &kl);
      if (kl > JR_SHOW_KEY) {           /* cut on a character boundary */
        luaL_Buffer b;
        size_t cut = JR_SHOW_KEY;
        while (cut > 0 && ((unsigned char)k[cut] & 0xC0) == 0x80) cut--;
        luaL_buffinit(L, &b);
        luaL_addlstring(&b, k, cut);
        luaL_addstring(&b, "...");
        luaL_pushresult(&b);
        k = lua_tolstring(L, -1, &kl);
        lpv_path_push_key(L, pre, pl, k, kl);
        lua_remove(L, -2);
      }
      else
        lpv_path_push_key(L, pre, pl, k, kl);
    }
    else
      lpv_path_push_index(L, pre, pl, r->frame[i].index);
    lua_remove(L, -2);
  }
  if (lua_rawlen(L, -1) > 0) lua_pushliteral(L, ": ");
  else lua_pushliteral(L, "");
  lua_pushvalue(L, -4);                 /* the message */
  lua_concat(L, 4);
  lua_replace(L, r->errslot);
  return 0;
}

static int jr_error(jr *r, const char *pos, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  lua_pushvfstring(r->L, fmt, ap);
  va_end(ap);
  return jr_fail(r, pos);
}

/* Fail at pos, where something else was expected. */
static int jr_unexpected(jr *r, const char *pos, const char *expected) {
  unsigned char c;
  size_t avail, n;
  char ch[8];
  if (pos >= r->end)
    return jr_error(r, pos, "unexpected end of input, expected %s", expected);
  c = (unsigned char)*pos;
  if (c == '/')
    return jr_error(r, pos, "comments are not allowed in JSON");
  if (c == '\'')
    return jr_error(r, pos, "strings take double quotes, not single");
  if (c > 0x20 && c < 0x7f)
    return jr_error(r, pos, "unexpected character '%c', expected %s",
                    (int)c, expected);
  if (c < 0x80) {
    char hex[8];
    (void)snprintf(hex, sizeof hex, "%04X", (unsigned)c);
    return jr_error(r, pos, "unexpected control character U+%s, expected %s",
                    hex, expected);
  }
  avail = (size_t)(r->end - pos);
  n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if (lpv_utf8_valid_prefix(pos, avail < 4 ? avail : 4) == 0)
    return jr_error(r, pos, "invalid UTF-8");
  memcpy(ch, pos, n);
  ch[n] = '\0';
  return jr_error(r, pos, "unexpected character '%s', expected %s",
                  ch, expected);
}

/* Record positions[path .. (iskey and "#key" or "")] = {line, col}. */
static void jr_mark(jr *r, const char *pos, int path, int iskey) {
  lua_State *L = r->L;
  lua_Integer col = jr_column(r, pos);
  lua_pushvalue(L, path);
  if (iskey) {
    lua_pushliteral(L, "#key");
    lua_concat(L, 2);
  }
  lua_createtable(L, 2, 0);
  lua_pushinteger(L, r->line);
  lua_rawseti(L, -2, 1);
  lua_pushinteger(L, col);
  lua_rawseti(L, -2, 2);
  lua_rawset(L, r->postab);
}

/* Take n bytes from the positions path budget; fails at pos when spent. */
static int jr_spend(jr *r, const char *pos, size_t n) {
  if (n <= r->pathbudget) {
    r->pathbudget -= n;
    return 1;
  }
  return jr_error(r, pos, "positions would take over %d times the document's size "
                  "(long keys above many elements): read it without positions",
                  JR_PATH_FACTOR);
}

/* Skip whitespace, counting lines (\n, \r\n or a lone \r). */
static void jr_skip(jr *r) {
  const char *p = r->p, *end = r->end;
  while (p < end) {
    char c = *p;
    if (c == ' ' || c == '\t') p++;
    else if (c == '\n' || c == '\r') {
      p++;
      if (c == '\r' && p < end && *p == '\n') p++;
      r->line++;
      r->line_start = p;
    }
    else break;
  }
  r->p = p;
}


/* ---- scalars ---- */

/* Read 4 hex digits at p; returns 1 and the value in *v, or 0. */
static int jr_hex4(const char *p, const char *end, unsigned *v) {
  int i;
  *v = 0;
  if (end - p < 4) return 0;
  for (i = 0; i < 4; i++) {
    unsigned c = (unsigned char)p[i], d;
    if (jr_isdigit(c)) d = c - '0';
    else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') d = (c | 0x20) - 'a' + 10;
    else return 0;
    *v = *v * 16 + d;
  }
  return 1;
}

/* Append code point cp to b as UTF-8. */
static void jr_add_utf8(luaL_Buffer *b, unsigned cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) { u[0] = (char)cp; n = 1; }
  else if (cp < 0x800) {
    u[0] = (char)(0xC0 | (cp >> 6));
    u[1] = (char)(0x80 | (cp & 0x3F));
    n = 2;
  }
  else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    n = 3;
  }
  else {
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  luaL_addlstring(b, u, n);
}

/* Decode the escape at *pp (a backslash) into b; advances *pp. */
static int jr_escape(jr *r, luaL_Buffer *b, const char **pp) {
  const char *p = *pp, *end = r->end;
  unsigned cp, lo;
  char c;
  if (end - p < 2) return jr_error(r, p, "unterminated string");
  switch (c = p[1]) {
    case '"': case '\\': case '/': luaL_addchar(b, c); break;
    case 'b': luaL_addchar(b, '\b'); break;
    case 'f': luaL_addchar(b, '\f'); break;
    case 'n': luaL_addchar(b, '\n'); break;
    case 'r': luaL_addchar(b, '\r'); break;
    case 't': luaL_addchar(b, '\t'); break;
    case 'u':
      if (!jr_hex4(p + 2, end, &cp))
        return jr_error(r, p, "invalid \\u escape (expected 4 hex digits)");
      if (cp >= 0xD800 && cp <= 0xDFFF) {
        if (cp <= 0xDBFF && end - p >= 12 && p[6] == '\\' && p[7] == 'u' &&
            jr_hex4(p + 8, end, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          p += 6;
        }
        else {
          char esc[8];
          memcpy(esc, p, 6);
          esc[6] = '\0';
          return jr_error(r, p, "lone surrogate %s", esc);
        }
      }
      jr_add_utf8(b, cp);
      *pp = p + 6;
      return 1;
    default:
      if (c > 0x20 && c < 0x7f)
        return jr_error(r, p, "invalid escape '\\%c'", (int)c);
      return jr_error(r, p, "invalid escape");
  }
  *pp = p + 2;
  return 1;
}

/* Read the string at r->p (a quote) and push it. */
static int jr_string(jr *r) {
  lua_State *L = r->L;
  const char *start = r->p, *p = start + 1, *end = r->end, *run = p;
  luaL_Buffer b;
  int buffered = 0;
  for (;;) {
    unsigned char c = 0;
    while (p < end && (c = (unsigned char)*p) >= 0x20 && c < 0x80 &&
           c != '"' && c != '\\')
      p++;
    if (p >= end) return jr_error(r, start, "unterminated string");
    if (c >= 0x80) {                    /* validate a run of non-ASCII bytes */
      const char *q = p + 1;
      size_t ok;
      while (q < end && (unsigned char)*q >= 0x80) q++;
      ok = lpv_utf8_valid_prefix(p, (size_t)(q - p));
      if (ok < (size_t)(q - p)) return jr_error(r, p + ok, "invalid UTF-8");
      p = q;
    }
    else if (c == '"') break;
    else if (c < 0x20) {
      char hex[8];
      (void)snprintf(hex, sizeof hex, "%04X", (unsigned)c);
      return jr_error(r, p, "unescaped control character U+%s in string", hex);
    }
    else {                              /* backslash */
      if (!buffered) {
        luaL_buffinit(L, &b);
        buffered = 1;
      }
      luaL_addlstring(&b, run, (size_t)(p - run));
      if (!jr_escape(r, &b, &p)) return 0;
      run = p;
    }
  }
  if (buffered) {
    luaL_addlstring(&b, run, (size_t)(p - run));
    luaL_pushresult(&b);
  }
  else
    lua_pushlstring(L, run, (size_t)(p - run));
  r->p = p + 1;
  return 1;
}

/* strtod on s[0..n) in the C syntax whatever the locale. */
static double jr_strtod(lua_State *L, const char *s, size_t n) {
  char small[64], *buf = small, *dot;
  double x;
  if (n >= sizeof small) buf = (char *)lua_newuserdatauv(L, n + 1, 0);
  memcpy(buf, s, n);
  buf[n] = '\0';
  if ((dot = strchr(buf, '.')) != NULL) *dot = localeconv()->decimal_point[0];
  x = strtod(buf, NULL);
  if (buf != small) lua_pop(L, 1);
  return x;
}

/* Read the number at r->p and push it: an integer when written without
** fraction or exponent and in range, else a float. */
static int jr_number(jr *r) {
  const char *start = r->p, *p = start, *end = r->end;
  int isfloat = 0, neg = 0;
  double x;
  if (*p == '-') {
    neg = 1;
    if (++p == end || !jr_isdigit(*p))
      return jr_error(r, p, "expected a digit after '-'");
  }
  if (*p == '0') {
    if (++p < end && jr_isdigit(*p))
      return jr_error(r, start, "leading zeros are not allowed");
  }
  else
    while (p < end && jr_isdigit(*p)) p++;
  if (p < end && *p == '.') {
    if (++p == end || !jr_isdigit(*p))
      return jr_error(r, p, "expected a digit after '.'");
    while (p < end && jr_isdigit(*p)) p++;
    isfloat = 1;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    if (++p < end && (*p == '+' || *p == '-')) p++;
    if (p == end || !jr_isdigit(*p))
      return jr_error(r, p, "expected a digit in the exponent");
    while (p < end && jr_isdigit(*p)) p++;
    isfloat = 1;
  }
  r->p = p;
  if (!isfloat) {
    const char *d = start + neg;
    unsigned long long u = 0, lim = (unsigned long long)LUA_MAXINTEGER + neg;
    for (; d < p; d++) {
      unsigned dig = (unsigned)(*d - '0');
      if (u > (lim - dig) / 10) break;
      u = u * 10 + dig;
    }
    if (d == p && !(neg && u == 0)) {   /* in range ("-0" stays a float) */
      if (!neg) lua_pushinteger(r->L, (lua_Integer)u);
      else if (u == (unsigned long long)LUA_MAXINTEGER + 1)
        lua_pushinteger(r->L, LUA_MININTEGER);
      else
        lua_pushinteger(r->L, -(lua_Integer)u);
      return 1;
    }
  }
  x = jr_strtod(r->L, start, (size_t)(p - start));
  if (isinf(x)) return jr_error(r, start, "number out of range");
  lua_pushnumber(r->L, (lua_Number)x);
  return 1;
}

/* Read true, false or null at r->p. */
static int jr_literal(jr *r) {
  const char *p = r->p, *q = p;
  size_t n;
  while (q < r->end && q - p < 32 &&
         ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z'))
    q++;
  n = (size_t)(q - p);
  if (n == 4 && memcmp(p, "true", 4) == 0) lua_pushboolean(r->L, 1);
  else if (n == 5 && memcmp(p, "false", 5) == 0) lua_pushboolean(r->L, 0);
  else if (n == 4 && memcmp(p, "null", 4) == 0) lua_pushlightuserdata(r->L, NULL);
  else {
    lua_pushlstring(r->L, p, n);
    return jr_error(r, p, "invalid literal '%s' (JSON has true, false and null)",
                    lua_tostring(r->L, -1));
  }
  r->p = q;
  return 1;
}


/* ---- containers ---- */

static int jr_value(jr *r, int path);

/* Fail on a duplicate member name (the string at index key). */
static int jr_duplicate(jr *r, const char *pos, int key) {
  lua_State *L = r->L;
  luaL_Buffer b;
  size_t kl;
  const char *k = lua_tolstring(L, key, &kl);
  int cut = kl > JR_SHOW_KEY;
  if (cut) {                       /* cut on a character boundary */
    kl = JR_SHOW_KEY;
    while (kl > 0 && ((unsigned char)k[kl] & 0xC0) == 0x80) kl--;
  }
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "duplicate key ");
  lpv_json_put_string(&b, k, kl, NULL);
  if (cut) luaL_addstring(&b, "...");
  luaL_pushresult(&b);
  return jr_fail(r, pos);
}

/* Read the object at r->p; path is the stack index of its path (or 0). */
static int jr_object(jr *r, int path) {
  lua_State *L = r->L;
  const char *comma;
  int obj;
  if (r->depth >= LPV_MAX_DEPTH)
    return jr_error(r, r->p, "nesting deeper than %d", LPV_MAX_DEPTH);
  luaL_checkstack(L, 12, "JSON nesting");
  r->depth++;
  r->p++;
  lua_newtable(L);
  obj = lua_gettop(L);
  jr_skip(r);
  if (r->p < r->end && *r->p == '}') {
    r->p++;
    r->depth--;
    return 1;
  }
  for (;;) {
    const char *kpos = r->p;
    int key, mpath = 0;
    if (kpos >= r->end || *kpos != '"')
      return jr_unexpected(r, kpos, "a member name in double quotes");
    if (!jr_string(r)) return 0;
    key = lua_gettop(L);
    lua_pushvalue(L, key);
    lua_rawget(L, obj);
    if (!lua_isnil(L, -1)) return jr_duplicate(r, kpos, key);
    lua_pop(L, 1);
    if (r->postab) {
      size_t pl, kl;
      const char *pre = lua_tolstring(L, path, &pl);
      const char *k = lua_tolstring(L, key, &kl);
      if (!jr_spend(r, kpos, 2 * (pl + kl) + 14)) return 0;   /* PATH and PATH#key */
      lpv_path_push_key(L, pre, pl, k, kl);
      mpath = lua_gettop(L);
      jr_mark(r, kpos, mpath, 1);
    }
    jr_skip(r);
    if (r->p >= r->end || *r->p != ':')
      return jr_unexpected(r, r->p, "':'");
    r->p++;
    jr_skip(r);
    r->frame[r->nframe].key = key;
    r->nframe++;
    if (!jr_value(r, mpath)) return 0;
    r->nframe--;
    if (mpath) lua_replace(L, mpath);
    lua_rawset(L, obj);
    jr_skip(r);
    if (r->p < r->end && *r->p == ',') {
      comma = r->p++;
      jr_skip(r);
      if (r->p < r->end && *r->p == '}')
        return jr_error(r, comma, "trailing comma");
      continue;
    }
    if (r->p < r->end && *r->p == '}') break;
    return jr_unexpected(r, r->p, "',' or '}'");
  }
  r->p++;
  r->depth--;
  return 1;
}

/* Read the array at r->p; path is the stack index of its path (or 0). */
static int jr_array(jr *r, int path) {
  lua_State *L = r->L;
  const char *comma;
  lua_Integer n = 0;
  int arr;
  if (r->depth >= LPV_MAX_DEPTH)
    return jr_error(r, r->p, "nesting deeper than %d", LPV_MAX_DEPTH);
  luaL_checkstack(L, 12, "JSON nesting");
  r->depth++;
  r->p++;
  lua_newtable(L);
  arr = lua_gettop(L);
  lua_pushvalue(L, r->arraymt);
  lua_setmetatable(L, arr);
  jr_skip(r);
  if (r->p < r->end && *r->p == ']') {
    r->p++;
    r->depth--;
    return 1;
  }
  for (;;) {
    int ipath = 0;
    if (r->postab) {
      size_t pl;
      const char *pre = lua_tolstring(L, path, &pl);
      if (!jr_spend(r, r->p, pl + 12)) return 0;
      lpv_path_push_index(L, pre, pl, n);
      ipath = lua_gettop(L);
    }
    r->frame[r->nframe].key = 0;
    r->frame[r->nframe].index = n;
    r->nframe++;
    if (!jr_value(r, ipath)) return 0;
    r->nframe--;
    if (ipath) lua_replace(L, ipath);
    lua_rawseti(L, arr, ++n);
    jr_skip(r);
    if (r->p < r->end && *r->p == ',') {
      comma = r->p++;
      jr_skip(r);
      if (r->p < r->end && *r->p == ']')
        return jr_error(r, comma, "trailing comma");
      continue;
    }
    if (r->p < r->end && *r->p == ']') break;
    return jr_unexpected(r, r->p, "',' or ']'");
  }
  r->p++;
  r->depth--;
  return 1;
}

/* Read the value at r->p (whitespace skipped) and push it. */
static int jr_value(jr *r, int path) {
  const char *p = r->p;
  if (p >= r->end) return jr_unexpected(r, p, "a value");
  if (r->postab) jr_mark(r, p, path, 0);
  switch (*p) {
    case '{': return jr_object(r, path);
    case '[': return jr_array(r, path);
    case '"': return jr_string(r);
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return jr_number(r);
    default:
      if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') return jr_literal(r);
      return jr_unexpected(r, p, "a value");
  }
}

/* json_decode(text [, opts]) -> value [, positions] | nil, err */
static int json_decode(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  int want_pos = 0, ok, root = 0;
  jr r;
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_getfield(L, 2, "positions");
    want_pos = lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  lua_settop(L, 2);
  lua_pushnil(L);                           /* 3: error message */
  luaL_getmetatable(L, LPV_ARRAY_MT);       /* 4 */
  r.L = L;
  r.p = s;
  r.end = s + len;
  r.line = 1;
  r.line_start = r.cpos = s;
  r.ccol = 1;
  r.depth = 0;
  r.errslot = 3;
  r.arraymt = 4;
  r.postab = 0;
  r.nframe = 0;
  r.pathbudget = len <= LPV_MAX_DOCUMENT ? JR_PATH_FACTOR * len + JR_PATH_SLACK : 0;
  if (want_pos) {
    lua_newtable(L);                        /* 5 */
    lua_pushliteral(L, "");                 /* 6: the root's path */
    r.postab = 5;
    root = 6;
  }
  if (len > LPV_MAX_DOCUMENT) {
    ok = jr_error(&r, s, "document larger than %d MiB",
                  (int)(LPV_MAX_DOCUMENT >> 20));
  }
  else {
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
      r.p = r.line_start = r.cpos = s + 3;   /* byte order mark */
    jr_skip(&r);
    if (r.p == r.end)
      ok = jr_error(&r, r.p, "empty document");
    else if ((ok = jr_value(&r, root)) != 0) {
      jr_skip(&r);
      if (r.p < r.end)
        ok = jr_unexpected(&r, r.p, "end of input after the document");
    }
  }
  if (!ok) {
    lua_pushnil(L);
    lua_pushvalue(L, 3);
    return 2;
  }
  if (want_pos) {
    lua_pushvalue(L, 5);
    return 2;
  }
  return 1;
}

static const luaL_Reg json_read_funcs[] = {
  {"json_decode", json_decode},
  {NULL, NULL}
};

void lpv_open_json_read(lua_State *L) {
  luaL_setfuncs(L, json_read_funcs, 0);
  lua_pushlightuserdata(L, NULL);
  lua_setfield(L, -2, "null");
}
