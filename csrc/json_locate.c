/*
** json_locate.c: positions of a few elements of a JSON text, and IAM's
** size of a policy text.
**
** json_locate(text, paths) scans the text once, without building any Lua
** value, and returns { [path] = { line, col } } for the requested paths
** (same path syntax as path.c; "PATH#key" is a member's name): the place
** of the element, or of its deepest enclosing element when the path goes
** further than the document (into a JSON string, or to a missing member).  It is the
** cheap alternative to json_decode(text, { positions = true }) when only
** the elements that have findings need a place: validation decodes
** without positions and locates afterwards.  The text is assumed to have
** been read by json_decode already; on malformed input the scan stops.
** json_size(text) counts characters as IAM does (whitespace outside
** strings excluded) and in total.
*/
#include <stdlib.h>
#include <string.h>

#include "leastpriv.h"

#define JL_PATH_MAX  4096     /* longer paths are not located */

typedef struct jl_want {
  const char *s;
  size_t len;
  long best;                  /* length of the deepest prefix found, or -1 */
  lua_Integer line, col;
  int idx;                    /* lpv_json_locate_findings: the finding's index */
} jl_want;

typedef struct jl {
  lua_State *L;
  const char *p, *end, *line_start;
  lua_Integer line;
  jl_want *want;
  int nwant;
  char path[JL_PATH_MAX + 16];
  size_t plen;
  int overflow;               /* depth at which the path stopped fitting, or 0 */
  int depth;
  const char *cpos;           /* column cache: the character at cpos ... */
  lua_Integer ccol;           /* ... is in column ccol (positions only grow) */
} jl;

static int jl_cmp(const void *a, const void *b) {
  const jl_want *x = (const jl_want *)a, *y = (const jl_want *)b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->s, y->s, n);
  return c ? c : (x->len > y->len) - (x->len < y->len);
}

static void jl_skip(jl *j) {
  while (j->p < j->end) {
    char c = *j->p;
    if (c == ' ' || c == '\t') j->p++;
    else if (c == '\n' || c == '\r') {
      j->p++;
      if (c == '\r' && j->p < j->end && *j->p == '\n') j->p++;
      j->line++;
      j->line_start = j->p;
    }
    else break;
  }
}

/* Column (in characters) of pos on the current line; counts on from the
** last position asked for, so a long line is scanned once. */
static lua_Integer jl_col(jl *j, const char *pos) {
  const char *q;
  lua_Integer col;
  if (j->cpos == NULL || j->cpos < j->line_start || j->cpos > pos) {
    j->cpos = j->line_start;
    j->ccol = 1;
  }
  for (q = j->cpos, col = j->ccol; q < pos; q++) col += ((unsigned char)*q & 0xC0) != 0x80;
  j->cpos = pos;
  j->ccol = col;
  return col;
}

/* Index of the first wanted path not below s[0..len). */
static int jl_lower(const jl *j, const char *s, size_t len) {
  int lo = 0, hi = j->nwant;
  while (lo < hi) {
    int m = lo + (hi - lo) / 2;
    const jl_want *w = &j->want[m];
    size_t n = w->len < len ? w->len : len;
    int c = memcmp(w->s, s, n);
    if (c < 0 || (c == 0 && w->len < len)) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/* The element at pos has the current path: it is the place of every
** wanted path it equals or encloses (deeper elements come later and win).
** With iskey, pos is a member's name: only PATH#key wants it. */
static void jl_mark(jl *j, const char *pos, int iskey) {
  int k;
  lua_Integer col = 0;
  if (j->overflow) return;
  if (iskey) {
    memcpy(j->path + j->plen, "#key", 4);
    k = jl_lower(j, j->path, j->plen + 4);
    if (k < j->nwant && j->want[k].len == j->plen + 4 &&
        memcmp(j->want[k].s, j->path, j->plen + 4) == 0) {
      j->want[k].best = (long)j->plen + 4;
      j->want[k].line = j->line;
      j->want[k].col = jl_col(j, pos);
    }
    return;
  }
  for (k = jl_lower(j, j->path, j->plen); k < j->nwant; k++) {
    jl_want *w = &j->want[k];
    if (w->len < j->plen || memcmp(w->s, j->path, j->plen) != 0) break;
    if (w->len > j->plen && w->s[j->plen] != '.' && w->s[j->plen] != '[' &&
        w->s[j->plen] != '#' && j->plen > 0)
      continue;
    if ((long)j->plen >= w->best) {
      if (col == 0) col = jl_col(j, pos);
      w->best = (long)j->plen;
      w->line = j->line;
      w->col = col;
    }
  }
}

/* Skip a string at j->p; when dec is set, decode it there (at most cap
** bytes; *dlen gets its length, or cap + 1 when it did not fit). */
static int jl_string(jl *j, char *dec, size_t cap, size_t *dlen) {
  const char *p = j->p + 1;
  size_t n = 0;
  while (p < j->end && *p != '"') {
    char c = *p;
    if (c == '\\' && p + 1 < j->end) {
      char e = p[1];
      p += 2;
      if (e == 'u' && p + 4 <= j->end) {
        unsigned cp = 0;
        int k;
        for (k = 0; k < 4; k++) {
          int h = (unsigned char)p[k];
          cp = cp * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
        }
        p += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && p + 6 <= j->end && p[0] == '\\' && p[1] == 'u') {
          unsigned lo = 0;
          for (k = 2; k < 6; k++) {
            int h = (unsigned char)p[k];
            lo = lo * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
          }
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          p += 6;
        }
        if (dec) {
          char u[4];
          size_t m, i;
          if (cp < 0x80) { u[0] = (char)cp; m = 1; }
          else if (cp < 0x800) { u[0] = (char)(0xC0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 0x3F)); m = 2; }
          else if (cp < 0x10000) {
            u[0] = (char)(0xE0 | (cp >> 12)); u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            u[2] = (char)(0x80 | (cp & 0x3F)); m = 3;
          } else {
            u[0] = (char)(0xF0 | (cp >> 18)); u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
            u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (char)(0x80 | (cp & 0x3F)); m = 4;
          }
          for (i = 0; i < m; i++) { if (n < cap) dec[n] = u[i]; n++; }
        }
        continue;
      }
      if (dec) {
        char d = (char)(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b'
                        : e == 'f' ? '\f' : e);
        if (n < cap) dec[n] = d;
        n++;
      }
      continue;
    }
    if (dec) { if (n < cap) dec[n] = c; n++; }
    p++;
  }
  if (p >= j->end) return 0;
  j->p = p + 1;
  if (dlen) *dlen = n > cap ? cap + 1 : n;
  return 1;
}

/* Can the key be written bare after a dot (path.c's rule)? */
static int jl_bare(const char *k, size_t n) {
  size_t i;
  if (n == 0) return 0;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)k[i];
    if (c <= ' ' || c == '.' || c == '[' || c == ']' || c == '"' || c == 0x7f) return 0;
  }
  return 1;
}

/* Append text to the path; sets overflow when it does not fit. */
static void jl_put(jl *j, const char *s, size_t n) {
  if (j->overflow) return;
  if (j->plen + n > JL_PATH_MAX) { j->overflow = j->depth; return; }
  memcpy(j->path + j->plen, s, n);
  j->plen += n;
}

static int jl_value(jl *j);
static void jl_scan(jl *j, const char *s, size_t len);

static int jl_object(jl *j) {
  size_t base = j->plen;
  int was = j->overflow;
  j->p++;
  jl_skip(j);
  if (j->p < j->end && *j->p == '}') { j->p++; return 1; }
  for (;;) {
    char key[512];
    size_t klen;
    const char *kpos = j->p;
    if (j->p >= j->end || *j->p != '"') return 0;
    if (!jl_string(j, key, sizeof key - 1, &klen)) return 0;
    j->plen = base;
    j->overflow = was;
    if (klen >= sizeof key - 1) j->overflow = j->overflow ? j->overflow : j->depth;
    else if (jl_bare(key, klen)) {
      if (base > 0) jl_put(j, ".", 1);
      jl_put(j, key, klen);
    } else {
      size_t i;
      jl_put(j, "[\"", 2);
      for (i = 0; i < klen; i++) {
        if (key[i] == '"' || key[i] == '\\') jl_put(j, "\\", 1);
        jl_put(j, key + i, 1);
      }
      jl_put(j, "\"]", 2);
    }
    jl_mark(j, kpos, 1);
    jl_skip(j);
    if (j->p >= j->end || *j->p != ':') return 0;
    j->p++;
    jl_skip(j);
    if (!jl_value(j)) return 0;
    jl_skip(j);
    if (j->p < j->end && *j->p == ',') { j->p++; jl_skip(j); continue; }
    if (j->p < j->end && *j->p == '}') break;
    return 0;
  }
  j->p++;
  j->plen = base;
  j->overflow = was;
  return 1;
}

static int jl_array(jl *j) {
  size_t base = j->plen;
  int was = j->overflow;
  long n = 0;
  j->p++;
  jl_skip(j);
  if (j->p < j->end && *j->p == ']') { j->p++; return 1; }
  for (;;) {
    char num[32];
    int len = 0;
    long x = n;
    char tmp[24];
    j->plen = base;
    j->overflow = was;
    do { tmp[len++] = (char)('0' + x % 10); x /= 10; } while (x);
    num[0] = '[';
    {
      int k;
      for (k = 0; k < len; k++) num[1 + k] = tmp[len - 1 - k];
    }
    num[len + 1] = ']';
    jl_put(j, num, (size_t)len + 2);
    if (!jl_value(j)) return 0;
    n++;
    jl_skip(j);
    if (j->p < j->end && *j->p == ',') { j->p++; jl_skip(j); continue; }
    if (j->p < j->end && *j->p == ']') break;
    return 0;
  }
  j->p++;
  j->plen = base;
  j->overflow = was;
  return 1;
}

static int jl_value(jl *j) {
  int ok;
  if (j->p >= j->end) return 0;
  jl_mark(j, j->p, 0);
  if (j->depth >= LPV_MAX_DEPTH + 1) return 0;
  switch (*j->p) {
    case '{': j->depth++; ok = jl_object(j); j->depth--; return ok;
    case '[': j->depth++; ok = jl_array(j); j->depth--; return ok;
    case '"': return jl_string(j, NULL, 0, NULL);
    default:
      while (j->p < j->end && *j->p != ',' && *j->p != '}' && *j->p != ']' &&
             *j->p != ' ' && *j->p != '\n' && *j->p != '\r' && *j->p != '\t')
        j->p++;
      return 1;
  }
}

/* json_locate(text, {path...}) -> { [path] = {line, col} } */
static int l_json_locate(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  jl j;
  int n, i;
  luaL_checktype(L, 2, LUA_TTABLE);
  n = (int)lua_rawlen(L, 2);
  lua_settop(L, 2);
  memset(&j, 0, sizeof j);
  j.L = L;
  j.want = (jl_want *)lua_newuserdatauv(L, sizeof(jl_want) * (size_t)(n > 0 ? n : 1), 0); /* 3 */
  for (i = 0; i < n; i++) {
    lua_rawgeti(L, 2, i + 1);
    if (lua_type(L, -1) != LUA_TSTRING) return luaL_argerror(L, 2, "paths must be strings");
    j.want[j.nwant].s = lua_tolstring(L, -1, &j.want[j.nwant].len);
    j.want[j.nwant].best = -1;
    j.nwant++;
    lua_pop(L, 1);                 /* still referenced by the table */
  }
  jl_scan(&j, s, len);
  lua_createtable(L, 0, j.nwant);
  for (i = 0; i < j.nwant; i++) {
    if (j.want[i].best < 0) continue;
    lua_pushlstring(L, j.want[i].s, j.want[i].len);
    lua_createtable(L, 2, 0);
    lua_pushinteger(L, j.want[i].line);
    lua_rawseti(L, -2, 1);
    lua_pushinteger(L, j.want[i].col);
    lua_rawseti(L, -2, 2);
    lua_rawset(L, -3);
  }
  return 1;
}

/* Scan s for the n wanted paths of j (set up by the caller). */
static void jl_scan(jl *j, const char *s, size_t len) {
  qsort(j->want, (size_t)j->nwant, sizeof(jl_want), jl_cmp);
  j->p = s;
  j->end = s + len;
  j->line = 1;
  j->line_start = s;
  if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) j->p = j->line_start = s + 3;
  jl_skip(j);
  if (j->nwant > 0) (void)jl_value(j);
}

/* Ordering of located findings: line, column, then their order. */
typedef struct jl_pos { lua_Integer line, col; int idx; } jl_pos;

static int jl_pos_cmp(const void *a, const void *b) {
  const jl_pos *x = (const jl_pos *)a, *y = (const jl_pos *)b;
  if (x->line != y->line) return x->line < y->line ? -1 : 1;
  if (x->col != y->col) return x->col < y->col ? -1 : 1;
  return (x->idx > y->idx) - (x->idx < y->idx);
}

void lpv_json_locate_findings(lua_State *L, const char *s, size_t len, int list, int n) {
  jl j;
  jl_pos *order;
  int i;
  if (n <= 0) return;
  list = lua_absindex(L, list);
  memset(&j, 0, sizeof j);
  j.L = L;
  j.want = (jl_want *)lua_newuserdatauv(L, sizeof(jl_want) * (size_t)n + sizeof(jl_pos) * (size_t)n, 0);
  order = (jl_pos *)(j.want + n);
  for (i = 0; i < n; i++) {
    jl_want *w = &j.want[i];
    lua_rawgeti(L, list, i + 1);
    if (lua_getfield(L, -1, "path") == LUA_TSTRING) w->s = lua_tolstring(L, -1, &w->len);
    else { w->s = ""; w->len = 0; }
    lua_pop(L, 2);                    /* the string stays in the finding */
    w->best = -1;
    w->idx = i;
  }
  j.nwant = n;
  jl_scan(&j, s, len);
  for (i = 0; i < n; i++) {
    jl_want *w = &j.want[i];
    order[w->idx].idx = w->idx;
    order[w->idx].line = w->best >= 0 ? w->line : 0;
    order[w->idx].col = w->best >= 0 ? w->col : 0;
    if (w->best < 0) continue;
    lua_rawgeti(L, list, w->idx + 1);
    lua_pushinteger(L, w->line);
    lua_setfield(L, -2, "line");
    lua_pushinteger(L, w->col);
    lua_setfield(L, -2, "column");
    lua_pop(L, 1);
  }
  if (n > 1) {                        /* in the order of the text */
    qsort(order, (size_t)n, sizeof(jl_pos), jl_pos_cmp);
    lua_createtable(L, n, 0);
    for (i = 0; i < n; i++) {
      lua_rawgeti(L, list, order[i].idx + 1);
      lua_rawseti(L, -2, i + 1);
    }
    for (i = 0; i < n; i++) {
      lua_rawgeti(L, -1, i + 1);
      lua_rawseti(L, list, i + 1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);                      /* the wants */
}

/* json_size(text) -> characters without whitespace outside strings, all characters */
static int l_json_size(lua_State *L) {
  size_t len, i;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer tight = 0, total = 0;
  int in_str = 0;
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c & 0xC0) == 0x80) continue;            /* continuation byte */
    total++;
    if (in_str) {
      tight++;
      if (c == '\\' && i + 1 < len) { i++; tight++; total++; }
      else if (c == '"') in_str = 0;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      continue;
    } else {
      tight++;
      if (c == '"') in_str = 1;
    }
  }
  lua_pushinteger(L, tight);
  lua_pushinteger(L, total);
  return 2;
}

static const luaL_Reg json_locate_funcs[] = {
  {"json_locate", l_json_locate},
  {"json_size", l_json_size},
  {NULL, NULL}
};

void lpv_open_json_locate(lua_State *L) { luaL_setfuncs(L, json_locate_funcs, 0); }
