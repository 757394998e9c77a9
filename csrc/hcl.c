/*
** hcl.c: the HCL writer (Terraform 1.x native syntax).
**   core.hcl_policy(doc [, opts])   a canonical policy as the expression
**                                   jsonencode({...}) or as a whole
**                                   data "aws_iam_policy_document" block
**   core.hcl_body(items)            a file body: blocks, attributes, comments
**   core.hcl_string(s)              one string as an HCL value
**   core.hcl_expr(text), core.hcl_call(name, ...), core.hcl_jsonencode(doc)
**                                   tagged values for hcl_body
** Output is terraform fmt-clean byte for byte.  Layout (which values go on
** one line) is decided while writing; the alignment of "=" over runs of
** one-line attributes is done in one final pass (hw_result), with the rule
** terraform fmt applies.  Misuse and bad data raise "PATH: message".
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leastpriv.h"

#define HBUF_MT   "leastpriv.hclbuf"
#define HVALUE_MT "leastpriv.hclvalue"

#define HW_WIDTH    80          /* a value goes on one line when it fits */
#define HW_NOEQ     ((size_t)-1)
#define HW_MAXSEG   (2 * LPV_MAX_DEPTH + 16)
#define HW_SMALL    16          /* maps up to this size sort on the C stack */


/* ---- output: text and line records in a box the collector frees ---- */

/* One output line; eq is the offset of the " =" that may be padded for
** alignment (HW_NOEQ when the line has none), lead the columns before it. */
typedef struct hline {
  size_t start, eq, lead;
} hline;

typedef struct hbuf {
  char *p;
  size_t n, cap;
  hline *ln;
  size_t nln, lcap;
} hbuf;

static int hbuf_gc(lua_State *L) {
  hbuf *b = (hbuf *)luaL_checkudata(L, 1, HBUF_MT);
  void *ud;
  lua_Alloc allocf = lua_getallocf(L, &ud);
  if (b->p != NULL) allocf(ud, b->p, b->cap, 0);
  if (b->ln != NULL) allocf(ud, b->ln, b->lcap * sizeof(hline), 0);
  memset(b, 0, sizeof *b);
  return 0;
}

/* Resize block p of *cap units (of size bytes) so that need more units fit
** after used; returns the block, *cap updated.  Raises on failure, p then
** still owned by its box. */
static void *hbuf_grow(lua_State *L, void *p, size_t *cap, size_t used,
                       size_t need, size_t size) {
  void *ud, *q;
  lua_Alloc allocf = lua_getallocf(L, &ud);
  size_t c = *cap < 64 ? 64 : *cap;
  if (need > ((size_t)-1) / 4 / size || used > ((size_t)-1) / 4 / size - need)
    luaL_error(L, "HCL output too large");
  while (c - used < need) c *= 2;
  q = allocf(ud, p, *cap * size, c * size);
  if (q == NULL) luaL_error(L, "not enough memory");
  *cap = c;
  return q;
}


/* ---- writer state ---- */

typedef struct hseg {
  const char *key;      /* member name, or NULL for an index */
  size_t klen;
  lua_Integer index;    /* 0-based */
} hseg;

typedef struct hw {
  lua_State *L;
  hbuf *b;
  int arraymt, valuemt; /* stack indexes of the two marker metatables */
  int oneline;          /* writing a one-line trial */
  int overflow;         /* the trial failed */
  int collapse;         /* one-element string lists as a bare string */
  int docstyle;         /* aws_iam_policy_document: "&{" is unwritable */
  int policy;           /* in a policy: a value that is one variable is
                        ** tostring(var.n), so that a number or bool
                        ** variable gives the string IAM reads */
  int depth;
  int nseg;
  hseg seg[HW_MAXSEG];
} hw;

/* Shapes a canonical policy allows at a place; SH_ANY outside policies. */
enum { SH_ANY, SH_STR, SH_STRLIST, SH_PRINCIPAL, SH_CONDKEYS, SH_COND };

static void hw_init(lua_State *L, hw *w) {
  memset(w, 0, sizeof *w);
  w->L = L;
  luaL_checkstack(L, 8, NULL);
  luaL_getmetatable(L, LPV_ARRAY_MT);
  w->arraymt = lua_gettop(L);
  luaL_getmetatable(L, HVALUE_MT);
  w->valuemt = lua_gettop(L);
  w->b = (hbuf *)lua_newuserdatauv(L, sizeof(hbuf), 0);
  memset(w->b, 0, sizeof(hbuf));
  luaL_setmetatable(L, HBUF_MT);
}

static void hw_push_key(hw *w, const char *key, size_t klen) {
  if (w->nseg < HW_MAXSEG) {
    w->seg[w->nseg].key = key;
    w->seg[w->nseg].klen = klen;
  }
  w->nseg++;
}

static void hw_push_index(hw *w, lua_Integer i) {
  if (w->nseg < HW_MAXSEG) {
    w->seg[w->nseg].key = NULL;
    w->seg[w->nseg].index = i;
  }
  w->nseg++;
}

/* Raise "PATH: message" (the message alone at the root). */
static void hw_fail(hw *w, const char *msg) {
  lua_State *L = w->L;
  int i, n = w->nseg < HW_MAXSEG ? w->nseg : HW_MAXSEG;
  luaL_checkstack(L, 6, NULL);
  lua_pushstring(L, msg);
  lua_pushliteral(L, "");
  for (i = 0; i < n; i++) {
    size_t pl;
    const char *pre = lua_tolstring(L, -1, &pl);
    if (w->seg[i].key != NULL)
      lpv_path_push_key(L, pre, pl, w->seg[i].key, w->seg[i].klen);
    else
      lpv_path_push_index(L, pre, pl, w->seg[i].index);
    lua_remove(L, -2);
  }
  if (lua_rawlen(L, -1) > 0) {
    lua_pushliteral(L, ": ");
    lua_pushvalue(L, -3);
    lua_concat(L, 3);
  }
  else lua_pop(L, 1);
  lua_error(L);
}

/* hw_fail with the type of the value at v appended: "expected X, got T". */
static void hw_fail_type(hw *w, const char *expected, int v) {
  lua_pushfstring(w->L, "expected %s, got %s", expected, luaL_typename(w->L, v));
  hw_fail(w, lua_tostring(w->L, -1));
}


/* ---- text and lines ---- */

static void hw_put(hw *w, const char *s, size_t n) {
  hbuf *b = w->b;
  if (b->cap - b->n < n) b->p = (char *)hbuf_grow(w->L, b->p, &b->cap, b->n, n, 1);
  memcpy(b->p + b->n, s, n);
  b->n += n;
}

static void hw_putc(hw *w, char c) {
  hbuf *b = w->b;
  if (b->cap == b->n) b->p = (char *)hbuf_grow(w->L, b->p, &b->cap, b->n, 1, 1);
  b->p[b->n++] = c;
}

#define hw_lit(w, s) hw_put(w, "" s, sizeof(s) - 1)

/* Start a new line indented for level. */
static void hw_line(hw *w, int level) {
  hbuf *b = w->b;
  static const char sp[] = "                                ";
  size_t n = 2 * (size_t)level;
  if (b->lcap == b->nln)
    b->ln = (hline *)hbuf_grow(w->L, b->ln, &b->lcap, b->nln, 1, sizeof(hline));
  b->ln[b->nln].start = b->n;
  b->ln[b->nln].eq = HW_NOEQ;
  b->nln++;
  while (n > 0) {
    size_t k = n < sizeof sp - 1 ? n : sizeof sp - 1;
    hw_put(w, sp, k);
    n -= k;
  }
}

#define hw_eol(w) hw_putc(w, '\n')

static void hw_blank(hw *w) {
  hw_line(w, 0);
  hw_eol(w);
}

/* Columns used so far on the current line (UTF-8 characters). */
static size_t hw_cols(hw *w) {
  hbuf *b = w->b;
  size_t i, cols = 0;
  for (i = b->ln[b->nln - 1].start; i < b->n; i++)
    cols += ((unsigned char)b->p[i] & 0xC0) != 0x80;
  return cols;
}

/* The current line has an assignment whose " =" starts here. */
static void hw_mark(hw *w) {
  hline *l = &w->b->ln[w->b->nln - 1];
  l->eq = w->b->n;
  l->lead = hw_cols(w);
}

/* Push the text, "=" aligned: each run of consecutive lines with an
** assignment pads its " =" to the widest lead of the run, plus one. */
static int hw_result(hw *w) {
  lua_State *L = w->L;
  hbuf *b = w->b;
  luaL_Buffer out;
  size_t i = 0, j, k;
  luaL_buffinit(L, &out);
  while (i < b->nln) {
    size_t end = i + 1 < b->nln ? b->ln[i + 1].start : b->n, max = 0;
    if (b->ln[i].eq == HW_NOEQ) {
      luaL_addlstring(&out, b->p + b->ln[i].start, end - b->ln[i].start);
      i++;
      continue;
    }
    for (j = i; j < b->nln && b->ln[j].eq != HW_NOEQ; j++)
      if (b->ln[j].lead > max) max = b->ln[j].lead;
    for (k = i; k < j; k++) {
      hline *l = &b->ln[k];
      size_t pad = max - l->lead;
      end = k + 1 < b->nln ? b->ln[k + 1].start : b->n;
      luaL_addlstring(&out, b->p + l->start, l->eq - l->start);
      while (pad-- > 0) luaL_addchar(&out, ' ');
      luaL_addlstring(&out, b->p + l->eq, end - l->eq);
    }
    i = j;
  }
  luaL_pushresult(&out);
  return 1;
}


/* ---- strings ---- */

static int is_ident(const char *s, size_t len) {
  size_t i;
  if (len == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')
                    || s[0] == '_'))
    return 0;
  for (i = 1; i < len; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return 0;
  }
  return 1;
}

/* Words that do not read as a literal object key when bare. */
static int is_keyword(const char *s, size_t len) {
  static const char *const kw[] = {
    "true", "false", "null", "for", "in", "if", "else", "endif", "endfor", NULL
  };
  int i;
  for (i = 0; kw[i] != NULL; i++)
    if (strlen(kw[i]) == len && memcmp(kw[i], s, len) == 0) return 1;
  return 0;
}

/* Check the placeholder expression between s[a] and s[z]: only ever a
** reference to a variable, var.NAME (lp.var makes nothing else). */
static void check_expr(hw *w, const char *s, size_t a, size_t z) {
  if (z - a < 5 || memcmp(s + a, "var.", 4) != 0 || !is_ident(s + a + 4, z - a - 4) ||
      memchr(s + a + 4, '-', z - a - 4) != NULL)
    hw_fail(w, "template placeholder must be a variable reference var.NAME");
}

/* Raise unless s is valid UTF-8 outside well-formed placeholders (OPEN
** var.NAME CLOSE), and for aws_iam_policy_document free of "&{", which
** the provider would turn into "${".  Control bytes are data (escaped). */
static void check_text(hw *w, const char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    const char *o = (const char *)memchr(s + i, LPV_PH_OPEN, len - i);
    size_t end = o ? (size_t)(o - s) : len, z;
    if (lpv_utf8_valid_prefix(s + i, end - i) != end - i) hw_fail(w, "invalid UTF-8");
    if (o == NULL) break;
    for (z = end + 1; z < len && (unsigned char)s[z] != LPV_PH_CLOSE; z++)
      if ((unsigned char)s[z] == LPV_PH_OPEN) hw_fail(w, "nested template placeholder");
    if (z == len) hw_fail(w, "template placeholder not closed");
    check_expr(w, s, end + 1, z);
    i = z + 1;
  }
  if (w->docstyle)
    for (i = 0; i + 1 < len; i++)
      if (s[i] == '&' && s[i + 1] == '{')
        hw_fail(w, "\"&{\" cannot be written in an aws_iam_policy_document "
                   "(the provider turns it into \"${\"); use style "
                   "\"jsonencode\"");
}

/* If s is exactly one placeholder, its expression's length (else 0).
** s has passed check_text. */
static size_t whole_placeholder(const char *s, size_t len) {
  if (len < 2 || (unsigned char)s[0] != LPV_PH_OPEN ||
      memchr(s + 1, LPV_PH_CLOSE, len - 1) != s + len - 1)
    return 0;
  return len - 2;
}

/* Append a \u escape for code point c. */
static void put_ucode(hw *w, unsigned long c) {
  char e[16];
  int n = c > 0xFFFF ? snprintf(e, sizeof e, "\\U%08lX", c)
                     : snprintf(e, sizeof e, "\\u%04lX", c);
  hw_put(w, e, (size_t)n);
}

/* Append the inside of a quoted template for s (which has passed
** check_text): escapes, "$${" and "%%{" for literal "${" and "%{", and
** "${var.NAME}" for each placeholder.  A run of '$' right before a
** placeholder is written as the interpolated literal ${"$$"}: written
** bare, its last '$' and the "${" after it would read as the escape "$${".
** With askey, non-ASCII characters are escaped too (so that columns are
** bytes, as alignment needs). */
static void put_template(hw *w, const char *s, size_t len, int askey) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, run = 0;
  while (i < len) {
    unsigned char c = u[i];
    if (c >= 0x20 && c != '"' && c != '\\' && c != '$' && c != '%' &&
        c != 0x7f && c != LPV_PH_OPEN && (c < 0x80 || !askey)) {
      i++;
      continue;
    }
    hw_put(w, s + run, i - run);
    switch (c) {
      case '"': hw_lit(w, "\\\""); i++; break;
      case '\\': hw_lit(w, "\\\\"); i++; break;
      case '\n': hw_lit(w, "\\n"); i++; break;
      case '\r': hw_lit(w, "\\r"); i++; break;
      case '\t': hw_lit(w, "\\t"); i++; break;
      case '$': case '%': {
        size_t j = i;
        if (c == '$') while (j < len && u[j] == '$') j++;
        if (c == '$' && j < len && u[j] == LPV_PH_OPEN) {
          hw_lit(w, "${\"");
          hw_put(w, s + i, j - i);
          hw_lit(w, "\"}");
          i = j;
        }
        else if (i + 1 < len && u[i + 1] == '{') {
          hw_putc(w, (char)c);
          hw_putc(w, (char)c);
          hw_putc(w, '{');
          i += 2;
        }
        else {
          hw_putc(w, (char)c);
          i++;
        }
        break;
      }
      default:
        if (c == LPV_PH_OPEN) {
          const char *z = (const char *)memchr(s + i + 1, LPV_PH_CLOSE, len - i - 1);
          size_t zi = (size_t)(z - s);
          hw_lit(w, "${");
          hw_put(w, s + i + 1, zi - i - 1);
          hw_putc(w, '}');
          i = zi + 1;
        }
        else if (c < 0x80) {            /* control characters: data */
          put_ucode(w, c);
          i++;
        }
        else {                          /* askey: escape the character */
          unsigned long cp;
          size_t k, n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
          cp = c & (0x7F >> n);
          for (k = 1; k < n; k++) cp = (cp << 6) | (u[i + k] & 0x3F);
          put_ucode(w, cp);
          i += n;
        }
    }
    run = i;
  }
  hw_put(w, s + run, len - run);
}

/* Append s as an HCL value: the bare expression when s is a single
** placeholder (tostring(EXPR) in a policy), else a quoted template. */
static void put_string(hw *w, const char *s, size_t len) {
  size_t elen;
  check_text(w, s, len);
  if ((elen = whole_placeholder(s, len)) > 0) {
    /* in a policy, tostring(): "${var.n}" alone would be the number itself
    ** (a template that is one interpolation keeps the value's type), and
    ** jsonencode would write it as a JSON number, rounded past 2^53 */
    if (w->policy) hw_lit(w, "tostring(");
    hw_put(w, s + 1, elen);
    if (w->policy) hw_putc(w, ')');
    return;
  }
  hw_putc(w, '"');
  put_template(w, s, len, 0);
  hw_putc(w, '"');
}

/* Append s as an object key: bare when an identifier, "(EXPR)" for a
** single placeholder, else quoted. */
static void put_key(hw *w, const char *s, size_t len) {
  size_t elen;
  check_text(w, s, len);
  if (is_ident(s, len) && !is_keyword(s, len))
    hw_put(w, s, len);
  else if ((elen = whole_placeholder(s, len)) > 0) {
    hw_putc(w, '(');
    hw_put(w, s + 1, elen);
    hw_putc(w, ')');
  }
  else {
    hw_putc(w, '"');
    put_template(w, s, len, 1);
    hw_putc(w, '"');
  }
}

/* Append the number at v (finite), by the rule of policy strings
** (lpv_push_number_text), so that "${var.n}" and the JSON agree. */
static void put_number(hw *w, int v) {
  const char *s;
  size_t n;
  double x = (double)lua_tonumber(w->L, v);
  if (!lua_isinteger(w->L, v) && (x != x || x - x != 0))
    hw_fail(w, "cannot write NaN or infinity");
  lpv_push_number_text(w->L, v);
  s = lua_tolstring(w->L, -1, &n);
  hw_put(w, s, n);
  lua_pop(w->L, 1);
}


/* ---- tables ---- */

enum { T_EMPTY, T_LIST, T_MAP };

/* Kind of the table at t and its length or member count; raises on
** tables that are neither a list (keys 1..n) nor a map (string keys). */
static int table_kind(hw *w, int t, size_t *n) {
  lua_State *L = w->L;
  size_t count = 0, nstr = 0;
  lua_Integer max = 0;
  int marked = 0;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    count++;
    if (lua_type(L, -1) == LUA_TSTRING) nstr++;
    else if (lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1) {
      if (lua_tointeger(L, -1) > max) max = lua_tointeger(L, -1);
    }
    else {
      lua_pop(L, 1);
      hw_fail(w, "table keys must be strings or list indexes");
    }
  }
  if (lua_getmetatable(L, t)) {
    marked = lua_rawequal(L, -1, w->arraymt);
    lua_pop(L, 1);
  }
  *n = count;
  if (count == 0) return marked ? T_LIST : T_EMPTY;
  if (nstr == count && !marked) return T_MAP;
  if (nstr == 0 && (size_t)max == count) return T_LIST;
  hw_fail(w, nstr == 0 ? "sparse list (keys must be 1..n)"
                       : "table mixes list and map keys");
  return T_EMPTY;
}

typedef struct hkey {
  const char *s;
  size_t len;
} hkey;

static int key_cmp(const void *va, const void *vb) {
  const hkey *a = (const hkey *)va, *b = (const hkey *)vb;
  int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
  if (c != 0) return c;
  return a->len < b->len ? -1 : a->len > b->len;
}

/* The n string keys of the map at t in bytewise order.  Pushes the
** scratch memory (or nil) for the caller to pop when done with them. */
static hkey *sorted_keys(hw *w, int t, size_t n, hkey *small) {
  lua_State *L = w->L;
  hkey *k = small;
  size_t i = 0;
  if (n > HW_SMALL) k = (hkey *)lua_newuserdatauv(L, n * sizeof(hkey), 0);
  else lua_pushnil(L);
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    k[i].s = lua_tolstring(L, -1, &k[i].len);   /* anchored by the table */
    i++;
  }
  qsort(k, n, sizeof(hkey), key_cmp);
  return k;
}

/* Which tagged value (core.hcl_expr, ...) the table at v is, or 0. */
enum { TAG_NONE, TAG_EXPR, TAG_CALL, TAG_JSONENCODE };

static int tag_of(hw *w, int v) {
  lua_State *L = w->L;
  int tag = TAG_NONE;
  if (lua_type(L, v) != LUA_TTABLE || !lua_getmetatable(L, v)) return TAG_NONE;
  if (lua_rawequal(L, -1, w->valuemt)) {
    const char *k;
    lua_pushliteral(L, "kind");
    lua_rawget(L, v);
    k = lua_tostring(L, -1);
    if (k != NULL) {
      if (strcmp(k, "expr") == 0) tag = TAG_EXPR;
      else if (strcmp(k, "call") == 0) tag = TAG_CALL;
      else if (strcmp(k, "jsonencode") == 0) tag = TAG_JSONENCODE;
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return tag;
}

/* Push field k of the tagged value at v. */
static void tag_field(hw *w, int v, const char *k) {
  lua_pushstring(w->L, k);
  lua_rawget(w->L, v);
}


/* ---- values ---- */

static void put_value(hw *w, int v, int level, int shape);
static void put_policy_members(hw *w, int doc, int level);

/* Shape of the members or items of a value of shape shape. */
static int child_shape(int shape) {
  switch (shape) {
    case SH_STRLIST: return SH_STR;
    case SH_PRINCIPAL: case SH_CONDKEYS: return SH_STRLIST;
    case SH_COND: return SH_CONDKEYS;
    default: return SH_ANY;
  }
}

static const char *shape_name(int shape) {
  switch (shape) {
    case SH_STR: return "a string";
    case SH_STRLIST: return "a list of strings";
    case SH_PRINCIPAL: return "\"*\" or a map of principal lists";
    case SH_CONDKEYS: return "a map of condition keys to lists of strings";
    case SH_COND: return "a map of condition operators";
    default: return "a value";
  }
}

/* Is the value at v written as one token run that never spreads (a
** string, number, boolean, expression, or a collapsed one-item list)? */
static int is_scalar(hw *w, int v, int shape) {
  lua_State *L = w->L;
  switch (lua_type(L, v)) {
    case LUA_TSTRING: case LUA_TNUMBER: case LUA_TBOOLEAN: return 1;
    case LUA_TTABLE:
      if (shape == SH_STRLIST && w->collapse) return lua_rawlen(L, v) == 1;
      return shape == SH_ANY && tag_of(w, v) == TAG_EXPR;
    default: return 0;
  }
}

/* Is the value at v a list of scalars only? */
static int scalar_items(hw *w, int v, int shape) {
  lua_State *L = w->L;
  int ok = 1;
  if (lua_type(L, v) != LUA_TTABLE || (shape == SH_ANY && tag_of(w, v)))
    return 0;
  if (lua_rawlen(L, v) == 0) {
    lua_pushnil(L);
    if (lua_next(L, v)) {
      lua_pop(L, 2);
      return 0;       /* a non-empty map */
    }
  }
  luaL_checkstack(L, 4, NULL);
  lua_pushnil(L);
  while (ok && lua_next(L, v)) {
    ok = is_scalar(w, lua_gettop(L), child_shape(shape));
    lua_pop(L, 1);
  }
  if (!ok) lua_pop(L, 1);
  return ok;
}

/* May the value at v be tried on one line?  Lists of scalars, maps of at
** most one member whose value is a scalar or a list of scalars, and calls
** whose arguments are such. */
static int oneline_ok(hw *w, int v, int shape) {
  lua_State *L = w->L;
  int ok = 1;
  size_t n = 0;
  if (is_scalar(w, v, shape)) return 1;
  if (lua_type(L, v) != LUA_TTABLE) return 1;   /* errors are found later */
  switch (shape == SH_ANY ? tag_of(w, v) : TAG_NONE) {
    case TAG_JSONENCODE: return 0;
    case TAG_CALL: {
      lua_Integer i, nargs;
      tag_field(w, v, "n");
      nargs = lua_tointeger(L, -1);
      lua_pop(L, 1);
      for (i = 1; ok && i <= nargs; i++) {
        lua_rawgeti(L, v, i);
        ok = is_scalar(w, lua_gettop(L), SH_ANY) ||
             scalar_items(w, lua_gettop(L), SH_ANY);
        lua_pop(L, 1);
      }
      return ok;
    }
    default: break;
  }
  if (lua_rawlen(L, v) > 0) return scalar_items(w, v, shape);
  lua_pushnil(L);
  while (ok && lua_next(L, v)) {
    int m = lua_gettop(L);
    ok = ++n == 1 && (is_scalar(w, m, child_shape(shape)) ||
                      scalar_items(w, m, child_shape(shape)));
    lua_pop(L, 1);
  }
  if (!ok) lua_pop(L, 1);
  return ok;
}

/* One-line trial failed once the line is past the width. */
static int trial_over(hw *w) {
  if (w->oneline && !w->overflow && hw_cols(w) > HW_WIDTH) w->overflow = 1;
  return w->overflow;
}

/* Write "key = value" as a line of its own at level; the line joins an
** alignment run unless the value spreads over several lines.  The value
** is at v; the key is an object key (quoted when needed) with objkey,
** else an identifier written as is. */
static void put_member(hw *w, const char *key, size_t klen, int objkey, int v,
                       int level, int shape) {
  size_t li;
  hw_line(w, level);
  if (objkey) put_key(w, key, klen);
  else hw_put(w, key, klen);
  li = w->b->nln - 1;
  hw_mark(w);
  hw_lit(w, " = ");
  put_value(w, v, level, shape);
  if (w->b->nln - 1 != li) w->b->ln[li].eq = HW_NOEQ;
  hw_eol(w);
}

/* Write the list at v with n items. */
static void put_list(hw *w, int v, size_t n, int level, int shape) {
  lua_State *L = w->L;
  size_t i;
  int cs = child_shape(shape);
  if (n == 0) {
    hw_lit(w, "[]");
    return;
  }
  if (w->oneline) {
    hw_putc(w, '[');
    for (i = 1; i <= n; i++) {
      if (i > 1) hw_lit(w, ", ");
      lua_rawgeti(L, v, (lua_Integer)i);
      hw_push_index(w, (lua_Integer)i - 1);
      put_value(w, lua_gettop(L), level, cs);
      w->nseg--;
      lua_pop(L, 1);
      if (trial_over(w)) return;
    }
    hw_putc(w, ']');
    return;
  }
  lua_rawgeti(L, v, 1);
  if (n == 1 && lua_type(L, -1) == LUA_TTABLE && shape == SH_ANY &&
      !tag_of(w, lua_gettop(L)) && lua_rawlen(L, -1) == 0) {
    hw_putc(w, '[');              /* [{ ... }]: one object, hugged */
    hw_push_index(w, 0);
    put_value(w, lua_gettop(L), level, cs);
    w->nseg--;
    hw_putc(w, ']');
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  hw_putc(w, '[');
  hw_eol(w);
  for (i = 1; i <= n; i++) {
    hw_line(w, level + 1);
    lua_rawgeti(L, v, (lua_Integer)i);
    hw_push_index(w, (lua_Integer)i - 1);
    put_value(w, lua_gettop(L), level + 1, cs);
    w->nseg--;
    lua_pop(L, 1);
    if (i < n) hw_putc(w, ',');
    hw_eol(w);
  }
  hw_line(w, level);
  hw_putc(w, ']');
}

/* Write the map at v with n members, keys in bytewise order. */
static void put_map(hw *w, int v, size_t n, int level, int shape) {
  lua_State *L = w->L;
  hkey small[HW_SMALL], *k;
  size_t i;
  int cs = child_shape(shape);
  if (n == 0) {
    hw_lit(w, "{}");
    return;
  }
  k = sorted_keys(w, v, n, small);
  if (w->oneline) {
    hw_lit(w, "{ ");
    for (i = 0; i < n; i++) {
      if (i > 0) hw_lit(w, ", ");
      hw_push_key(w, k[i].s, k[i].len);
      put_key(w, k[i].s, k[i].len);
      hw_lit(w, " = ");
      lua_pushlstring(L, k[i].s, k[i].len);
      lua_rawget(L, v);
      put_value(w, lua_gettop(L), level, cs);
      lua_pop(L, 1);
      w->nseg--;
      if (trial_over(w)) {
        lua_pop(L, 1);
        return;
      }
    }
    hw_lit(w, " }");
  }
  else {
    hw_putc(w, '{');
    hw_eol(w);
    for (i = 0; i < n; i++) {
      hw_push_key(w, k[i].s, k[i].len);
      lua_pushlstring(L, k[i].s, k[i].len);
      lua_rawget(L, v);
      put_member(w, k[i].s, k[i].len, 1, lua_gettop(L), level + 1, cs);
      lua_pop(L, 1);
      w->nseg--;
    }
    hw_line(w, level);
    hw_putc(w, '}');
  }
  lua_pop(L, 1);                        /* scratch */
}

/* Write the tagged value at v. */
static void put_tagged(hw *w, int v, int tag, int level) {
  lua_State *L = w->L;
  size_t len;
  const char *s;
  switch (tag) {
    case TAG_EXPR: {
      size_t i;
      tag_field(w, v, "text");
      s = lua_tolstring(L, -1, &len);
      if (s == NULL || len == 0) hw_fail(w, "expression: empty");
      check_text(w, s, len);
      for (i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
          hw_fail(w, "expression: control characters are not allowed");
      hw_put(w, s, len);
      lua_pop(L, 1);
      break;
    }
    case TAG_CALL: {
      lua_Integer i, n;
      int spread;
      tag_field(w, v, "name");
      s = lua_tolstring(L, -1, &len);
      if (s == NULL || !is_ident(s, len)) {
        hw_fail(w, "call: bad function name");
        return;
      }
      hw_put(w, s, len);
      lua_pop(L, 1);
      tag_field(w, v, "n");
      n = lua_tointeger(L, -1);
      lua_pop(L, 1);
      spread = !w->oneline && n > 1;
      hw_putc(w, '(');
      if (spread) hw_eol(w);
      for (i = 1; i <= n; i++) {
        if (spread) hw_line(w, level + 1);
        else if (i > 1) hw_lit(w, ", ");
        lua_rawgeti(L, v, i);
        hw_push_index(w, i - 1);
        put_value(w, lua_gettop(L), spread ? level + 1 : level, SH_ANY);
        w->nseg--;
        lua_pop(L, 1);
        if (spread) {
          if (i < n) hw_putc(w, ',');
          hw_eol(w);
        }
        if (trial_over(w)) return;
      }
      if (spread) hw_line(w, level);
      hw_putc(w, ')');
      break;
    }
    case TAG_JSONENCODE:
      if (w->oneline) {
        w->overflow = 1;
        return;
      }
      tag_field(w, v, "doc");
      hw_lit(w, "jsonencode({");
      hw_eol(w);
      w->collapse = 1;
      put_policy_members(w, lua_gettop(L), level + 1);
      w->collapse = 0;                  /* only SH_ANY values hold these */
      hw_line(w, level);
      hw_lit(w, "})");
      lua_pop(L, 1);
      break;
  }
}

/* Write the value at v: on one line when it may be and fits, else spread
** over lines below level. */
static void put_value(hw *w, int v, int level, int shape) {
  lua_State *L = w->L;
  int type = lua_type(L, v), tag = TAG_NONE, kind;
  size_t n = 0;
  if (type == LUA_TSTRING) {
    const char *s;
    size_t len;
    if (shape != SH_ANY && shape != SH_STR) hw_fail_type(w, shape_name(shape), v);
    s = lua_tolstring(L, v, &len);
    put_string(w, s, len);
    return;
  }
  if (shape == SH_STR || (type != LUA_TTABLE && shape != SH_ANY))
    hw_fail_type(w, shape_name(shape), v);
  if (type == LUA_TNUMBER) {
    put_number(w, v);
    return;
  }
  if (type == LUA_TBOOLEAN) {
    if (lua_toboolean(L, v)) hw_lit(w, "true");
    else hw_lit(w, "false");
    return;
  }
  if (type != LUA_TTABLE) {
    lua_pushfstring(L, "cannot write a %s", luaL_typename(L, v));
    hw_fail(w, lua_tostring(L, -1));
  }
  if (w->depth >= LPV_MAX_DEPTH) hw_fail(w, "nesting too deep (circular?)");
  luaL_checkstack(L, 12, "HCL nesting");
  w->depth++;
  if (!w->oneline && oneline_ok(w, v, shape)) {    /* one-line trial */
    size_t mark = w->b->n;
    w->oneline = 1;
    put_value(w, v, level, shape);
    w->oneline = 0;
    if (!w->overflow && hw_cols(w) <= HW_WIDTH) {
      w->depth--;
      return;
    }
    w->overflow = 0;
    w->b->n = mark;
  }
  if (shape == SH_ANY) tag = tag_of(w, v);
  if (tag != TAG_NONE) put_tagged(w, v, tag, level);
  else {
    kind = table_kind(w, v, &n);
    if (kind == T_EMPTY)
      kind = (shape == SH_ANY || shape == SH_PRINCIPAL || shape == SH_CONDKEYS ||
              shape == SH_COND) ? T_MAP : T_LIST;
    if (kind == T_LIST && shape != SH_ANY && shape != SH_STRLIST)
      hw_fail_type(w, shape_name(shape), v);
    if (kind == T_MAP && shape == SH_STRLIST)
      hw_fail(w, "expected a list of strings, got a map");
    if (kind == T_LIST && shape == SH_STRLIST && w->collapse && n == 1) {
      lua_rawgeti(L, v, 1);
      hw_push_index(w, 0);
      put_value(w, lua_gettop(L), level, SH_STR);
      w->nseg--;
      lua_pop(L, 1);
    }
    else if (kind == T_LIST) put_list(w, v, n, level, shape);
    else put_map(w, v, n, level, shape);
  }
  w->depth--;
}


/* ---- canonical policies ---- */

/* Raise unless the table at t has only the string keys in names
** (NULL-terminated); what names the table for the message. */
static void check_elements(hw *w, int t, const char *const *names,
                           const char *what) {
  lua_State *L = w->L;
  size_t n = 0;
  if (lua_type(L, t) != LUA_TTABLE) hw_fail_type(w, what, t);
  if (table_kind(w, t, &n) == T_LIST) hw_fail_type(w, what, t);
  lua_pushnil(L);
  while (lua_next(L, t)) {
    size_t klen;
    const char *k;
    const char *const *e;
    lua_pop(L, 1);
    k = lua_tolstring(L, -1, &klen);
    for (e = names; *e != NULL; e++)
      if (strlen(*e) == klen && memcmp(*e, k, klen) == 0) break;
    if (*e == NULL) {
      hw_push_key(w, k, klen);
      hw_fail(w, "unknown element in a canonical policy");
    }
  }
}

static const char *const doc_elements[] = { "Version", "Id", "Statement", NULL };

static const char *const st_elements[] = {
  "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
  "Resource", "NotResource", "Condition", NULL
};

static const int st_shapes[] = {
  SH_STR, SH_STR, SH_PRINCIPAL, SH_PRINCIPAL, SH_STRLIST, SH_STRLIST,
  SH_STRLIST, SH_STRLIST, SH_COND
};

/* Push the document's Statement list and return its length. */
static size_t get_statements(hw *w, int doc) {
  lua_State *L = w->L;
  size_t n = 0;
  lua_getfield(L, doc, "Statement");
  hw_push_key(w, "Statement", 9);
  if (lua_isnil(L, -1))
    hw_fail(w, "missing (a canonical policy always has a Statement list)");
  if (lua_type(L, -1) != LUA_TTABLE ||
      table_kind(w, lua_gettop(L), &n) == T_MAP)
    hw_fail_type(w, "a list of statements", lua_gettop(L));
  return n;
}

/* Shape of a statement's principal value at v: "*" is a string. */
static int principal_shape(hw *w, int v) {
  size_t len;
  const char *s;
  if (lua_type(w->L, v) != LUA_TSTRING) return SH_PRINCIPAL;
  s = lua_tolstring(w->L, v, &len);
  if (len != 1 || s[0] != '*') hw_fail_type(w, shape_name(SH_PRINCIPAL), v);
  return SH_STR;
}

/* jsonencode style: the members of one statement at level. */
static void put_statement(hw *w, int st, int level) {
  lua_State *L = w->L;
  int i;
  check_elements(w, st, st_elements, "a statement");
  if (lua_getfield(L, st, "Effect") == LUA_TNIL) {
    hw_push_key(w, "Effect", 6);
    hw_fail(w, "missing");
  }
  lua_pop(L, 1);
  for (i = 0; st_elements[i] != NULL; i++) {
    const char *name = st_elements[i];
    int v, shape = st_shapes[i];
    if (lua_getfield(L, st, name) == LUA_TNIL) {
      lua_pop(L, 1);
      continue;
    }
    v = lua_gettop(L);
    hw_push_key(w, name, strlen(name));
    if (shape == SH_PRINCIPAL) shape = principal_shape(w, v);
    put_member(w, name, strlen(name), 0, v, level, shape);
    w->nseg--;
    lua_pop(L, 1);
  }
}

/* jsonencode style: the members of the document at doc, at level. */
static void put_policy_members(hw *w, int doc, int level) {
  lua_State *L = w->L;
  size_t n = 0, i;
  int list, saved = w->policy;
  w->policy = 1;
  check_elements(w, doc, doc_elements, "a policy document");
  for (i = 0; i < 2; i++) {
    if (lua_getfield(L, doc, doc_elements[i]) != LUA_TNIL) {
      hw_push_key(w, doc_elements[i], strlen(doc_elements[i]));
      put_member(w, doc_elements[i], strlen(doc_elements[i]), 0,
                 lua_gettop(L), level, SH_STR);
      w->nseg--;
    }
    lua_pop(L, 1);
  }
  n = get_statements(w, doc);
  list = lua_gettop(L);
  hw_line(w, level);
  hw_lit(w, "Statement");
  if (n == 0) {
    hw_mark(w);
    hw_lit(w, " = []");
  }
  else if (n == 1) hw_lit(w, " = [{");
  else hw_lit(w, " = [");
  hw_eol(w);
  for (i = 1; i <= n; i++) {
    lua_rawgeti(L, list, (lua_Integer)i);
    hw_push_index(w, (lua_Integer)i - 1);
    if (n == 1) put_statement(w, lua_gettop(L), level + 1);
    else {
      hw_line(w, level + 1);
      hw_putc(w, '{');
      hw_eol(w);
      put_statement(w, lua_gettop(L), level + 2);
      hw_line(w, level + 1);
      hw_putc(w, '}');
      if (i < n) hw_putc(w, ',');
      hw_eol(w);
    }
    w->nseg--;
    lua_pop(L, 1);
  }
  if (n > 0) {
    hw_line(w, level);
    if (n == 1) hw_lit(w, "}]");
    else hw_putc(w, ']');
    hw_eol(w);
  }
  w->nseg--;
  lua_pop(L, 1);
  w->policy = saved;
}


/* ---- aws_iam_policy_document blocks ---- */

/* A blank line unless this is the first thing in the body. */
static void separate(hw *w, int *first) {
  if (!*first) hw_blank(w);
  *first = 0;
}

static void open_block(hw *w, const char *type, int level) {
  hw_line(w, level);
  hw_put(w, type, strlen(type));
  hw_lit(w, " {");
  hw_eol(w);
}

static void close_block(hw *w, int level) {
  hw_line(w, level);
  hw_putc(w, '}');
  hw_eol(w);
}

/* The value at v as the member "name = v" of a block at level. */
static void put_attr(hw *w, const char *name, int v, int level, int shape) {
  /* a block attribute that is one string: terraform fmt unwraps "${var.x}"
  ** there, and the provider's string type converts any variable to the
  ** string IAM reads */
  int saved = w->policy;
  if (lua_type(w->L, v) == LUA_TSTRING) w->policy = 0;
  put_member(w, name, strlen(name), 0, v, level, shape);
  w->policy = saved;
}

/* principals / not_principals blocks for the principal value at v. */
static void put_doc_principals(hw *w, int v, const char *block, int level,
                               int *first) {
  lua_State *L = w->L;
  hkey small[HW_SMALL], *k;
  size_t n = 0, i;
  if (principal_shape(w, v) == SH_STR) {
    separate(w, first);
    open_block(w, block, level);
    lua_pushvalue(L, v);
    put_attr(w, "type", lua_gettop(L), level + 1, SH_STR);
    lua_createtable(L, 1, 0);
    lua_pushvalue(L, v);
    lua_rawseti(L, -2, 1);
    put_attr(w, "identifiers", lua_gettop(L), level + 1, SH_STRLIST);
    lua_pop(L, 2);
    close_block(w, level);
    return;
  }
  if (table_kind(w, v, &n) == T_LIST) hw_fail_type(w, shape_name(SH_PRINCIPAL), v);
  k = sorted_keys(w, v, n, small);
  for (i = 0; i < n; i++) {
    hw_push_key(w, k[i].s, k[i].len);
    separate(w, first);
    open_block(w, block, level);
    lua_pushlstring(L, k[i].s, k[i].len);
    put_attr(w, "type", lua_gettop(L), level + 1, SH_STR);
    lua_rawget(L, v);
    put_attr(w, "identifiers", lua_gettop(L), level + 1, SH_STRLIST);
    lua_pop(L, 1);
    close_block(w, level);
    w->nseg--;
  }
  lua_pop(L, 1);
}

/* condition blocks for the Condition map at v, operators then keys in
** bytewise order. */
static void put_doc_conditions(hw *w, int v, int level, int *first) {
  lua_State *L = w->L;
  hkey small[HW_SMALL], *op;
  size_t n = 0, i;
  if (lua_type(L, v) != LUA_TTABLE || table_kind(w, v, &n) == T_LIST)
    hw_fail_type(w, shape_name(SH_COND), v);
  op = sorted_keys(w, v, n, small);
  for (i = 0; i < n; i++) {
    hkey ksmall[HW_SMALL], *k;
    size_t m = 0, j;
    int keys;
    hw_push_key(w, op[i].s, op[i].len);
    lua_pushlstring(L, op[i].s, op[i].len);
    lua_rawget(L, v);
    keys = lua_gettop(L);
    if (lua_type(L, keys) != LUA_TTABLE || table_kind(w, keys, &m) == T_LIST)
      hw_fail_type(w, shape_name(SH_CONDKEYS), keys);
    k = sorted_keys(w, keys, m, ksmall);
    for (j = 0; j < m; j++) {
      hw_push_key(w, k[j].s, k[j].len);
      separate(w, first);
      open_block(w, "condition", level);
      lua_pushlstring(L, op[i].s, op[i].len);
      put_attr(w, "test", lua_gettop(L), level + 1, SH_STR);
      lua_pushlstring(L, k[j].s, k[j].len);
      put_attr(w, "variable", lua_gettop(L), level + 1, SH_STR);
      lua_rawget(L, keys);
      put_attr(w, "values", lua_gettop(L), level + 1, SH_STRLIST);
      lua_pop(L, 2);
      close_block(w, level);
      w->nseg--;
    }
    lua_pop(L, 2);                      /* scratch, keys */
    w->nseg--;
  }
  lua_pop(L, 1);
}

/* The body of one statement block at level. */
static void put_doc_statement(hw *w, int st, int level) {
  static const char *const attrs[][2] = {
    {"Sid", "sid"}, {"Effect", "effect"}, {"Action", "actions"},
    {"NotAction", "not_actions"}, {"Resource", "resources"},
    {"NotResource", "not_resources"}
  };
  static const char *const blocks[][2] = {
    {"Principal", "principals"}, {"NotPrincipal", "not_principals"},
    {"Condition", "condition"}
  };
  lua_State *L = w->L;
  int i, first = 1;
  check_elements(w, st, st_elements, "a statement");
  if (lua_getfield(L, st, "Effect") == LUA_TNIL) {
    hw_push_key(w, "Effect", 6);
    hw_fail(w, "missing");
  }
  lua_pop(L, 1);
  for (i = 0; i < 6; i++) {
    if (lua_getfield(L, st, attrs[i][0]) != LUA_TNIL) {
      hw_push_key(w, attrs[i][0], strlen(attrs[i][0]));
      /* the provider drops an empty list, which changes the statement */
      if (i >= 2 && lua_istable(L, -1) && lua_rawlen(L, -1) == 0)
        hw_fail(w, "an empty list cannot be written in an aws_iam_policy_document "
                   "(the provider leaves the element out)");
      put_attr(w, attrs[i][1], lua_gettop(L), level, i < 2 ? SH_STR : SH_STRLIST);
      w->nseg--;
      first = 0;
    }
    lua_pop(L, 1);
  }
  for (i = 0; i < 3; i++) {
    if (lua_getfield(L, st, blocks[i][0]) != LUA_TNIL) {
      hw_push_key(w, blocks[i][0], strlen(blocks[i][0]));
      if (i < 2) put_doc_principals(w, lua_gettop(L), blocks[i][1], level, &first);
      else put_doc_conditions(w, lua_gettop(L), level, &first);
      w->nseg--;
    }
    lua_pop(L, 1);
  }
}

/* The body of a data "aws_iam_policy_document" block for doc, at level. */
static void put_document_body(hw *w, int doc, int level) {
  lua_State *L = w->L;
  size_t n = 0, i;
  int list, first = 1, saved = w->docstyle, saved_policy = w->policy;
  w->docstyle = 1;
  w->policy = 1;
  check_elements(w, doc, doc_elements, "a policy document");
  /* the provider writes "2012-10-17" when version is left out; IAM reads a
  ** document without Version as "2008-10-17" (where ${aws:username} is
  ** literal text): say so */
  if (lua_getfield(L, doc, "Version") == LUA_TNIL) {
    lua_pop(L, 1);
    lua_pushliteral(L, "2008-10-17");
  }
  hw_push_key(w, "Version", 7);
  put_attr(w, "version", lua_gettop(L), level, SH_STR);
  w->nseg--;
  first = 0;
  lua_pop(L, 1);
  if (lua_getfield(L, doc, "Id") != LUA_TNIL) {
    hw_push_key(w, "Id", 2);
    put_attr(w, "policy_id", lua_gettop(L), level, SH_STR);
    w->nseg--;
    first = 0;
  }
  lua_pop(L, 1);
  n = get_statements(w, doc);
  list = lua_gettop(L);
  lua_newtable(L);                      /* Sids seen: the provider refuses a repeat */
  for (i = 1; i <= n; i++) {
    lua_rawgeti(L, list, (lua_Integer)i);
    hw_push_index(w, (lua_Integer)i - 1);
    if (lua_istable(L, -1)) {
      if (lua_getfield(L, -1, "Sid") == LUA_TSTRING) {
        lua_pushvalue(L, -1);
        if (lua_rawget(L, list + 1) != LUA_TNIL) {
          hw_push_key(w, "Sid", 3);
          hw_fail(w, "a Sid used twice cannot be written in an aws_iam_policy_document "
                     "(the provider refuses it)");
        }
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
        lua_rawset(L, list + 1);
      }
      else lua_pop(L, 1);
    }
    separate(w, &first);
    open_block(w, "statement", level);
    put_doc_statement(w, lua_gettop(L), level + 1);
    close_block(w, level);
    w->nseg--;
    lua_pop(L, 1);
  }
  w->nseg--;
  lua_pop(L, 2);
  w->docstyle = saved;
  w->policy = saved_policy;
}


/* ---- bodies: blocks, attributes, blank lines, comments ---- */

enum { IT_NONE, IT_ATTR, IT_BLOCK, IT_BLANK, IT_COMMENT };

static void put_body(hw *w, int items, int level);

/* Push field k of the item at it (raw) and return its type. */
static int item_field(hw *w, int it, const char *k) {
  lua_pushstring(w->L, k);
  return lua_rawget(w->L, it);
}

/* Which kind of item the table at it is; raises unless exactly one. */
static int item_kind(hw *w, int it) {
  static const char *const names[] = { "attr", "block", "blank", "comment" };
  int i, kind = IT_NONE;
  for (i = 0; i < 4; i++) {
    if (item_field(w, it, names[i]) != LUA_TNIL) {
      if (kind != IT_NONE)
        hw_fail(w, "a body item has exactly one of attr, block, blank, comment");
      kind = IT_ATTR + i;
    }
    lua_pop(w->L, 1);
  }
  if (kind == IT_NONE)
    hw_fail(w, "a body item needs one of attr, block, blank, comment");
  return kind;
}

/* Push field k of the item at it, which must be an identifier. */
static const char *item_name(hw *w, int it, const char *k, size_t *len) {
  const char *s;
  item_field(w, it, k);
  s = lua_tolstring(w->L, -1, len);
  if (lua_type(w->L, -1) != LUA_TSTRING || !is_ident(s, *len)) {
    lua_pushfstring(w->L, "%s must be an identifier ([A-Za-z_][A-Za-z0-9_-]*)", k);
    hw_fail(w, lua_tostring(w->L, -1));
  }
  return s;
}

static void put_item_attr(hw *w, int it, int level) {
  size_t len;
  const char *name = item_name(w, it, "attr", &len);
  hw_push_key(w, name, len);
  if (item_field(w, it, "value") == LUA_TNIL) hw_fail(w, "missing value");
  put_member(w, name, len, 0, lua_gettop(w->L), level, SH_ANY);
  w->nseg--;
  lua_pop(w->L, 2);
}

static void put_item_block(hw *w, int it, int level) {
  lua_State *L = w->L;
  size_t len, nlabels = 0, i, n = 0;
  const char *type = item_name(w, it, "block", &len);
  int labels, body, policy, segs = 1;
  hw_push_key(w, type, len);
  hw_line(w, level);
  hw_put(w, type, len);
  item_field(w, it, "labels");
  labels = lua_gettop(L);
  if (!lua_isnil(L, labels)) {
    if (lua_type(L, labels) != LUA_TTABLE || table_kind(w, labels, &nlabels) == T_MAP)
      hw_fail_type(w, "a list of labels", labels);
  }
  for (i = 1; i <= nlabels; i++) {
    const char *s;
    lua_rawgeti(L, labels, (lua_Integer)i);
    s = lua_tolstring(L, -1, &len);
    if (lua_type(L, -1) != LUA_TSTRING || !is_ident(s, len))
      hw_fail(w, "block labels must be identifiers ([A-Za-z_][A-Za-z0-9_-]*)");
    hw_push_key(w, s, len);
    segs++;
    hw_lit(w, " \"");
    hw_put(w, s, len);
    hw_putc(w, '"');
    lua_pop(L, 1);                      /* anchored by labels */
  }
  item_field(w, it, "policy");
  policy = lua_gettop(L);
  item_field(w, it, "body");
  body = lua_gettop(L);
  if (!lua_isnil(L, policy)) {
    if (!lua_isnil(L, body)) hw_fail(w, "a block has a body or a policy, not both");
    hw_lit(w, " {");
    hw_eol(w);
    put_document_body(w, policy, level + 1);
    close_block(w, level);
  }
  else {
    if (!lua_isnil(L, body) &&
        (lua_type(L, body) != LUA_TTABLE || table_kind(w, body, &n) == T_MAP))
      hw_fail_type(w, "a body (a list of items)", body);
    if (n == 0) {
      hw_lit(w, " {}");
      hw_eol(w);
    }
    else {
      hw_lit(w, " {");
      hw_eol(w);
      put_body(w, body, level + 1);
      close_block(w, level);
    }
  }
  w->nseg -= segs;
  lua_pop(L, 4);                        /* block, labels, policy, body */
}

static void put_item_comment(hw *w, int it, int level) {
  size_t len, i, a = 0;
  const char *s;
  item_field(w, it, "comment");
  s = lua_tolstring(w->L, -1, &len);
  if (lua_type(w->L, -1) != LUA_TSTRING) hw_fail_type(w, "a comment string", lua_gettop(w->L));
  check_text(w, s, len);
  for (i = 0; i < len; i++)
    if (((unsigned char)s[i] < 0x20 && s[i] != '\n') || s[i] == 0x7f)
      hw_fail(w, "comment: control characters are not allowed");
  for (i = 0; i <= len; i++) {
    if (i == len || s[i] == '\n') {
      hw_line(w, level);
      hw_putc(w, '#');
      if (i > a) {
        hw_putc(w, ' ');
        hw_put(w, s + a, i - a);
      }
      hw_eol(w);
      a = i + 1;
    }
  }
  lua_pop(w->L, 1);
}

/* Write the list of items at items at level.  Blocks are set apart by
** blank lines (a comment sticks to what follows it); {blank = true}
** separates groups of attributes. */
static void put_body(hw *w, int items, int level) {
  lua_State *L = w->L;
  size_t n = 0, i;
  int prev = IT_NONE, pending = 0;
  if (lua_type(L, items) != LUA_TTABLE || table_kind(w, items, &n) == T_MAP)
    hw_fail_type(w, "a body (a list of items)", items);
  if (w->depth >= LPV_MAX_DEPTH) hw_fail(w, "nesting too deep (circular?)");
  luaL_checkstack(L, 12, "HCL nesting");
  w->depth++;
  for (i = 1; i <= n; i++) {
    int it, kind;
    lua_rawgeti(L, items, (lua_Integer)i);
    it = lua_gettop(L);
    hw_push_index(w, (lua_Integer)i - 1);
    if (lua_type(L, it) != LUA_TTABLE) hw_fail_type(w, "a body item (a table)", it);
    kind = item_kind(w, it);
    w->nseg--;
    if (kind == IT_BLANK) {
      pending = prev != IT_NONE;
      lua_pop(L, 1);
      continue;
    }
    if (prev != IT_NONE && (pending || (prev != IT_COMMENT &&
                                        (kind == IT_BLOCK || prev == IT_BLOCK))))
      hw_blank(w);
    if (kind == IT_ATTR) put_item_attr(w, it, level);
    else if (kind == IT_BLOCK) put_item_block(w, it, level);
    else put_item_comment(w, it, level);
    prev = kind;
    pending = 0;
    lua_pop(L, 1);
  }
  w->depth--;
}


/* ---- Lua functions ---- */

/* hcl_policy(doc [, opts]) -> string
** opts.style = "jsonencode" (default): the expression jsonencode({...}),
**   laid out for a line indented by opts.indent (default 0) columns;
** opts.style = "document": a data "aws_iam_policy_document" opts.name block. */
static int hcl_policy(lua_State *L) {
  hw w;
  const char *style = "jsonencode", *name = NULL;
  lua_Integer indent = 0;
  size_t nlen = 0;
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    if (lua_getfield(L, 2, "style") != LUA_TNIL) {
      if (lua_type(L, -1) != LUA_TSTRING)
        luaL_argerror(L, 2, "style must be \"jsonencode\" or \"document\"");
      style = lua_tostring(L, -1);      /* anchored by opts */
    }
    if (lua_getfield(L, 2, "indent") != LUA_TNIL) {
      if (!lua_isinteger(L, -1) || (indent = lua_tointeger(L, -1)) < 0 ||
          indent % 2 != 0 || indent > (lua_Integer)4 * LPV_MAX_DEPTH)
        luaL_argerror(L, 2, "indent must be an even number of columns (0..256)");
    }
    if (lua_getfield(L, 2, "name") == LUA_TSTRING)
      name = lua_tolstring(L, -1, &nlen);
    lua_pop(L, 3);
  }
  lua_settop(L, 2);
  if (strcmp(style, "jsonencode") == 0) {
    hw_init(L, &w);
    w.collapse = 1;
    hw_line(&w, 0);
    hw_lit(&w, "jsonencode({");
    hw_eol(&w);
    put_policy_members(&w, 1, (int)indent / 2 + 1);
    hw_line(&w, (int)indent / 2);
    hw_lit(&w, "})");
  }
  else if (strcmp(style, "document") == 0) {
    if (name == NULL || !is_ident(name, nlen))
      luaL_argerror(L, 2, "style \"document\" needs opts.name, an identifier");
    hw_init(L, &w);
    hw_line(&w, 0);
    hw_lit(&w, "data \"aws_iam_policy_document\" \"");
    hw_put(&w, name, nlen);
    hw_lit(&w, "\" {");
    hw_eol(&w);
    put_document_body(&w, 1, 1);
    close_block(&w, 0);
  }
  else
    return luaL_argerror(L, 2, "style must be \"jsonencode\" or \"document\"");
  return hw_result(&w);
}

/* hcl_body(items) -> string: the text of a file body (see put_body). */
static int hcl_body(lua_State *L) {
  hw w;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  hw_init(L, &w);
  put_body(&w, 1, 0);
  return hw_result(&w);
}

/* hcl_string(s) -> the HCL value for the string s */
static int hcl_string(lua_State *L) {
  hw w;
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_settop(L, 1);
  hw_init(L, &w);
  hw_line(&w, 0);
  put_string(&w, s, len);
  return hw_result(&w);
}

/* Push a new tagged value of the given kind. */
static void new_tagged(lua_State *L, const char *kind, int nrec) {
  lua_createtable(L, 0, nrec + 1);
  lua_pushstring(L, kind);
  lua_setfield(L, -2, "kind");
  luaL_setmetatable(L, HVALUE_MT);
}

/* hcl_expr(text) -> a value written as the raw expression text */
static int hcl_expr(lua_State *L) {
  luaL_checkstring(L, 1);
  new_tagged(L, "expr", 1);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "text");
  return 1;
}

/* hcl_call(name, args...) -> a value written as name(args...) */
static int hcl_call(lua_State *L) {
  int i, n = lua_gettop(L);
  size_t len;
  const char *name = luaL_checklstring(L, 1, &len);
  if (!is_ident(name, len)) luaL_argerror(L, 1, "function name must be an identifier");
  new_tagged(L, "call", 2);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "name");
  lua_pushinteger(L, n - 1);
  lua_setfield(L, -2, "n");
  for (i = 2; i <= n; i++) {
    lua_pushvalue(L, i);
    lua_rawseti(L, -2, i - 1);
  }
  return 1;
}

/* hcl_jsonencode(doc) -> a value written as jsonencode({...}) of the
** canonical policy doc */
static int hcl_jsonencode(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  new_tagged(L, "jsonencode", 1);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "doc");
  return 1;
}

static const luaL_Reg hcl_funcs[] = {
  {"hcl_policy", hcl_policy},
  {"hcl_body", hcl_body},
  {"hcl_string", hcl_string},
  {"hcl_expr", hcl_expr},
  {"hcl_call", hcl_call},
  {"hcl_jsonencode", hcl_jsonencode},
  {NULL, NULL}
};

void lpv_open_hcl(lua_State *L) {
  if (luaL_newmetatable(L, HBUF_MT)) {
    lua_pushcfunction(L, hbuf_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  luaL_newmetatable(L, HVALUE_MT);
  lua_pop(L, 1);
  luaL_setfuncs(L, hcl_funcs, 0);
}
