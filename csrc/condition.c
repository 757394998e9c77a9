/*
** condition.c: IAM condition operators.  Compiles a statement's Condition
** block into an array of lpv_cond (operator, key, policy values parsed
** once for their type) and evaluates it against a request context.
**
** Semantics (docs/simulation.md): AND across operators and keys; OR across
** a key's values, NOR for negated operators; key names without case;
** an absent key fails positive operators and satisfies negated ones;
** ...IfExists makes an absent key pass; ForAllValues: holds when every
** request value passes (so when the key is absent or empty),
** ForAnyValue: when one does; a plain operator never matches a
** multivalued key with several values.  Numbers parse strictly; dates are
** ISO 8601 or epoch seconds, compared in one unit; IPv4 and IPv6 CIDRs;
** BinaryEquals compares base64-decoded bytes; Arn* match part by part.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "leastpriv.h"

enum { T_STR, T_STRI, T_LIKE, T_NUM, T_DATE, T_BOOL, T_BIN, T_IP, T_ARN, T_NULL };
enum { C_EQ, C_LT, C_LE, C_GT, C_GE };
enum { SET_NONE, SET_ALL, SET_ANY };

static const struct cond_op {
  const char *name;
  unsigned char type, cmp, neg;
} cond_ops[] = {
  {"StringEquals", T_STR, C_EQ, 0}, {"StringNotEquals", T_STR, C_EQ, 1},
  {"StringEqualsIgnoreCase", T_STRI, C_EQ, 0}, {"StringNotEqualsIgnoreCase", T_STRI, C_EQ, 1},
  {"StringLike", T_LIKE, C_EQ, 0}, {"StringNotLike", T_LIKE, C_EQ, 1},
  {"NumericEquals", T_NUM, C_EQ, 0}, {"NumericNotEquals", T_NUM, C_EQ, 1},
  {"NumericLessThan", T_NUM, C_LT, 0}, {"NumericLessThanEquals", T_NUM, C_LE, 0},
  {"NumericGreaterThan", T_NUM, C_GT, 0}, {"NumericGreaterThanEquals", T_NUM, C_GE, 0},
  {"DateEquals", T_DATE, C_EQ, 0}, {"DateNotEquals", T_DATE, C_EQ, 1},
  {"DateLessThan", T_DATE, C_LT, 0}, {"DateLessThanEquals", T_DATE, C_LE, 0},
  {"DateGreaterThan", T_DATE, C_GT, 0}, {"DateGreaterThanEquals", T_DATE, C_GE, 0},
  {"Bool", T_BOOL, C_EQ, 0}, {"BinaryEquals", T_BIN, C_EQ, 0},
  {"IpAddress", T_IP, C_EQ, 0}, {"NotIpAddress", T_IP, C_EQ, 1},
  {"ArnEquals", T_ARN, C_EQ, 0}, {"ArnLike", T_ARN, C_EQ, 0},
  {"ArnNotEquals", T_ARN, C_EQ, 1}, {"ArnNotLike", T_ARN, C_EQ, 1},
  {"Null", T_NULL, C_EQ, 0},
};
#define N_OPS (sizeof(cond_ops) / sizeof(cond_ops[0]))

/* A parsed moment: seconds since the epoch and nanoseconds. */
typedef struct cond_time { int64_t sec; int32_t nsec; } cond_time;

/* An address or CIDR: 16 bytes (IPv4 in the first 4), prefix bits. */
typedef struct cond_ip { unsigned char b[16]; int bits, v6; } cond_ip;

typedef struct cond_val {
  const char *s;
  size_t len;
  unsigned char var;       /* holds ${...}: substituted per request */
  unsigned char ok;        /* parsed for the operator's type */
  unsigned char b;         /* Bool / Null value */
  double num;
  cond_time t;
  cond_ip ip;
  const char *bin;         /* BinaryEquals: decoded bytes */
  size_t binlen;
} cond_val;

struct lpv_cond {
  const char *op, *key;    /* operator as written; key as written */
  size_t oplen, klen;
  unsigned char type, cmp, neg, set, ifexists;
  cond_val *vals;
  size_t n;
};

static int cond_lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

static int cond_isdigit(int c) { return c >= '0' && c <= '9'; }


/* ---- value parsers (strict; 1 on success) ---- */

/* Decimal number: [+-]digits[.digits] or [+-].digits; no exponent. */
static int parse_num(const char *s, size_t len, double *out) {
  size_t i = 0;
  double v = 0, scale = 1;
  int neg = 0, digits = 0;
  if (i < len && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  while (i < len && cond_isdigit((unsigned char)s[i])) { v = v * 10 + (s[i++] - '0'); digits++; }
  if (i < len && s[i] == '.') {
    i++;
    while (i < len && cond_isdigit((unsigned char)s[i])) {
      scale /= 10;
      v += (s[i++] - '0') * scale;
      digits++;
    }
  }
  if (digits == 0 || i != len) return 0;
  *out = neg ? -v : v;
  return 1;
}

/* Days from 1970-01-01 to the civil date y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int m, int d) {
  int64_t era, yoe, doy, doe;
  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* n digits at s[*i] as an integer, or -1. */
static long take_digits(const char *s, size_t len, size_t *i, int n) {
  long v = 0;
  int k;
  if (*i + (size_t)n > len) return -1;
  for (k = 0; k < n; k++) {
    if (!cond_isdigit((unsigned char)s[*i + k])) return -1;
    v = v * 10 + (s[*i + k] - '0');
  }
  *i += (size_t)n;
  return v;
}

/* Fraction digits after '.' as nanoseconds. */
static int take_fraction(const char *s, size_t len, size_t *i, int32_t *nsec) {
  int32_t ns = 0, scale = 100000000;
  int any = 0;
  while (*i < len && cond_isdigit((unsigned char)s[*i])) {
    ns += (s[*i] - '0') * scale;
    scale /= 10;
    (*i)++;
    any = 1;
  }
  *nsec = ns;
  return any;
}

/* Epoch seconds (digits, optional fraction) or W3C ISO 8601:
** YYYY-MM[-DD[Thh:mm[:ss[.f]]][Z|+hh:mm|-hh:mm|+hhmm]]. */
static int parse_date(const char *s, size_t len, cond_time *out) {
  size_t i = 0;
  long y, mo = 1, d = 1, h = 0, mi = 0, se = 0;
  int32_t ns = 0;
  int64_t off = 0;
  int iso = 0;
  for (i = 0; i < len; i++)
    if (s[i] == '-' || s[i] == 'T' || s[i] == 't' || s[i] == ':') { iso = 1; break; }
  i = 0;
  if (!iso) {                                     /* epoch seconds */
    int64_t v = 0;
    if (len == 0 || len > 18) return 0;
    while (i < len && cond_isdigit((unsigned char)s[i])) v = v * 10 + (s[i++] - '0');
    if (i == 0) return 0;
    if (i < len && s[i] == '.') {
      i++;
      if (!take_fraction(s, len, &i, &ns)) return 0;
    }
    if (i != len) return 0;
    out->sec = v;
    out->nsec = ns;
    return 1;
  }
  if ((y = take_digits(s, len, &i, 4)) < 0) return 0;
  if (i < len && s[i] == '-') {
    i++;
    if ((mo = take_digits(s, len, &i, 2)) < 1 || mo > 12) return 0;
    if (i < len && s[i] == '-') {
      i++;
      if ((d = take_digits(s, len, &i, 2)) < 1 || d > 31) return 0;
      if (i < len && (s[i] == 'T' || s[i] == 't')) {
        i++;
        if ((h = take_digits(s, len, &i, 2)) < 0 || h > 24) return 0;
        if (i >= len || s[i] != ':') return 0;
        i++;
        if ((mi = take_digits(s, len, &i, 2)) < 0 || mi > 59) return 0;
        if (i < len && s[i] == ':') {
          i++;
          if ((se = take_digits(s, len, &i, 2)) < 0 || se > 60) return 0;
          if (i < len && s[i] == '.') {
            i++;
            if (!take_fraction(s, len, &i, &ns)) return 0;
          }
        }
        if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
          i++;
        } else if (i < len && (s[i] == '+' || s[i] == '-')) {
          int sign = s[i] == '-' ? -1 : 1;
          long oh, om = 0;
          i++;
          if ((oh = take_digits(s, len, &i, 2)) < 0 || oh > 23) return 0;
          if (i < len && s[i] == ':') i++;
          if (i < len && (om = take_digits(s, len, &i, 2)) < 0) return 0;
          if (om > 59) return 0;
          off = sign * (int64_t)(oh * 3600 + om * 60);
        }
      }
    }
  }
  if (i != len) return 0;
  out->sec = days_from_civil(y, (int)mo, (int)d) * 86400 + h * 3600 + mi * 60 + se - off;
  out->nsec = ns;
  return 1;
}

static int time_cmp(const cond_time *a, const cond_time *b) {
  if (a->sec != b->sec) return a->sec < b->sec ? -1 : 1;
  if (a->nsec != b->nsec) return a->nsec < b->nsec ? -1 : 1;
  return 0;
}

/* Dotted-quad IPv4 into b[0..3]. */
static int parse_ipv4(const char *s, size_t len, unsigned char *b) {
  size_t i = 0;
  int part;
  for (part = 0; part < 4; part++) {
    int v = 0, n = 0;
    while (i < len && cond_isdigit((unsigned char)s[i]) && n < 3) { v = v * 10 + (s[i++] - '0'); n++; }
    if (n == 0 || v > 255) return 0;
    b[part] = (unsigned char)v;
    if (part < 3) {
      if (i >= len || s[i] != '.') return 0;
      i++;
    }
  }
  return i == len;
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = cond_lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* IPv6 text (with one "::" and an optional dotted IPv4 tail) into b. */
static int parse_ipv6(const char *s, size_t len, unsigned char *b) {
  unsigned char head[16] = {0}, tail[16] = {0};
  int nh = 0, nt = 0, gap = 0;
  size_t i = 0;
  if (len >= 2 && s[0] == ':' && s[1] == ':') { gap = 1; i = 2; }
  else if (len >= 1 && s[0] == ':') return 0;
  while (i < len) {
    unsigned char *out = gap ? tail : head;
    int *n = gap ? &nt : &nh;
    size_t j = i;
    unsigned v = 0;
    while (j < len && hexval((unsigned char)s[j]) >= 0 && j - i < 4) v = v * 16 + (unsigned)hexval((unsigned char)s[j++]);
    if (j < len && s[j] == '.') {                /* IPv4 tail */
      if (*n + 4 > 16 || !parse_ipv4(s + i, len - i, out + *n)) return 0;
      *n += 4;
      break;
    }
    if (j == i || *n + 2 > 16) return 0;
    out[(*n)++] = (unsigned char)(v >> 8);
    out[(*n)++] = (unsigned char)(v & 0xff);
    i = j;
    if (i == len) break;
    if (s[i] != ':') return 0;
    i++;
    if (i < len && s[i] == ':') {
      if (gap) return 0;
      gap = 1;
      i++;
    } else if (i == len) {
      return 0;
    }
  }
  if (gap) {
    if (nh + nt > 14) return 0;
    memcpy(b, head, (size_t)nh);
    memset(b + nh, 0, (size_t)(16 - nh - nt));
    memcpy(b + 16 - nt, tail, (size_t)nt);
  } else {
    if (nh != 16) return 0;
    memcpy(b, head, 16);
  }
  return 1;
}

/* An address with an optional /prefix (default: the whole address). */
static int parse_cidr(const char *s, size_t len, cond_ip *out) {
  const char *slash = memchr(s, '/', len);
  size_t alen = slash ? (size_t)(slash - s) : len;
  memset(out, 0, sizeof *out);
  out->v6 = memchr(s, ':', alen) != NULL;
  if (out->v6 ? !parse_ipv6(s, alen, out->b) : !parse_ipv4(s, alen, out->b)) return 0;
  out->bits = out->v6 ? 128 : 32;
  if (slash) {
    size_t i = alen + 1;
    long bits;
    if (i >= len || len - i > 3) return 0;
    bits = take_digits(s, len, &i, (int)(len - i));
    if (bits < 0 || bits > out->bits) return 0;
    out->bits = (int)bits;
  }
  return 1;
}

/* Is address a inside network n? */
static int ip_in(const cond_ip *n, const cond_ip *a) {
  int full = n->bits / 8, rest = n->bits % 8;
  if (n->v6 != a->v6) return 0;
  if (memcmp(n->b, a->b, (size_t)full) != 0) return 0;
  if (rest) {
    unsigned char m = (unsigned char)(0xff << (8 - rest));
    if ((n->b[full] & m) != (a->b[full] & m)) return 0;
  }
  return 1;
}

static int b64val(int c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

/* Decode base64 (standard alphabet, '=' padding optional) into out (room
** for len bytes); *olen gets the length. */
static int b64_decode(const char *s, size_t len, char *out, size_t *olen) {
  size_t i, o = 0;
  unsigned acc = 0;
  int bits = 0;
  while (len > 0 && s[len - 1] == '=') len--;
  for (i = 0; i < len; i++) {
    int v = b64val((unsigned char)s[i]);
    if (v < 0) return 0;
    acc = (acc << 6) | (unsigned)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (char)((acc >> bits) & 0xff);
    }
  }
  if (len % 4 == 1) return 0;
  *olen = o;
  return 1;
}

static int parse_bool(const char *s, size_t len, unsigned char *b) {
  if (len == 4 && cond_lower((unsigned char)s[0]) == 't' && cond_lower((unsigned char)s[1]) == 'r' &&
      cond_lower((unsigned char)s[2]) == 'u' && cond_lower((unsigned char)s[3]) == 'e') { *b = 1; return 1; }
  if (len == 5 && cond_lower((unsigned char)s[0]) == 'f' && cond_lower((unsigned char)s[1]) == 'a' &&
      cond_lower((unsigned char)s[2]) == 'l' && cond_lower((unsigned char)s[3]) == 's' &&
      cond_lower((unsigned char)s[4]) == 'e') { *b = 0; return 1; }
  return 0;
}


/* ---- compiling ---- */

/* Find the base operator of name (after any set prefix, before IfExists). */
static int find_op(const char *s, size_t len) {
  size_t i;
  for (i = 0; i < N_OPS; i++)
    if (strlen(cond_ops[i].name) == len && memcmp(cond_ops[i].name, s, len) == 0) return (int)i;
  return -1;
}

static int cond_order(const void *a, const void *b) {
  const lpv_cond *x = (const lpv_cond *)a, *y = (const lpv_cond *)b;
  int c = strcmp(x->op, y->op);
  return c ? c : strcmp(x->key, y->key);
}

/* Parse one policy value v for condition cd. */
static void cond_value(lua_State *L, lpv_arena *a, const lpv_cond *cd, cond_val *v, int v2012) {
  switch (cd->type) {
    case T_STR: case T_STRI: case T_LIKE: case T_ARN:
      v->var = v2012 && lpv_var_present(v->s, v->len);
      v->ok = 1;
      break;
    case T_BOOL:
      v->var = v2012 && lpv_var_present(v->s, v->len);
      v->ok = v->var || parse_bool(v->s, v->len, &v->b);
      break;
    case T_NULL: v->ok = parse_bool(v->s, v->len, &v->b); break;
    case T_NUM: v->ok = parse_num(v->s, v->len, &v->num); break;
    case T_DATE: v->ok = parse_date(v->s, v->len, &v->t); break;
    case T_IP: v->ok = parse_cidr(v->s, v->len, &v->ip); break;
    case T_BIN: {
      char *out = (char *)lpv_arena_alloc(L, a, v->len + 1);
      v->ok = b64_decode(v->s, v->len, out, &v->binlen);
      v->bin = out;
      break;
    }
    default: break;
  }
}

lpv_cond *lpv_cond_compile(lua_State *L, lpv_arena *a, int idx, int v2012, size_t *n) {
  size_t count = 0, k = 0;
  lpv_cond *cs;
  idx = lua_absindex(L, idx);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    if (lua_type(L, -1) == LUA_TTABLE) {
      lua_pushnil(L);
      while (lua_next(L, -2)) { lua_pop(L, 1); count++; }
    }
    lua_pop(L, 1);
  }
  *n = count;
  cs = (lpv_cond *)lpv_arena_alloc(L, a, (count ? count : 1) * sizeof *cs);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    size_t oplen, blen;
    const char *op = lua_tolstring(L, -2, &oplen), *base = op;
    int set = SET_NONE, ifexists = 0, which;
    if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TTABLE)
      luaL_error(L, "Condition: operators must map keys to values");
    blen = oplen;
    if (blen > 13 && memcmp(base, "ForAllValues:", 13) == 0) { set = SET_ALL; base += 13; blen -= 13; }
    else if (blen > 12 && memcmp(base, "ForAnyValue:", 12) == 0) { set = SET_ANY; base += 12; blen -= 12; }
    if (blen > 8 && memcmp(base + blen - 8, "IfExists", 8) == 0) { ifexists = 1; blen -= 8; }
    which = find_op(base, blen);
    if (which < 0 || (cond_ops[which].type == T_NULL && ifexists))
      luaL_error(L, "Condition: unknown condition operator '%s'", op);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      lpv_cond *cd = &cs[k++];
      size_t klen, i, nv;
      const char *key = lua_tolstring(L, -2, &klen);
      cd->op = lpv_arena_strdup(L, a, op, oplen);
      cd->oplen = oplen;
      cd->key = lpv_arena_strdup(L, a, key, klen);
      cd->klen = klen;
      cd->type = cond_ops[which].type;
      cd->cmp = cond_ops[which].cmp;
      cd->neg = cond_ops[which].neg;
      cd->set = (unsigned char)set;
      cd->ifexists = (unsigned char)ifexists;
      nv = lua_type(L, -1) == LUA_TTABLE ? (size_t)lua_rawlen(L, -1) : 1;
      cd->vals = (cond_val *)lpv_arena_alloc(L, a, (nv ? nv : 1) * sizeof(cond_val));
      cd->n = 0;
      for (i = 1; i <= nv; i++) {
        cond_val *v = &cd->vals[cd->n];
        size_t vlen;
        const char *s;
        if (lua_type(L, -1) == LUA_TTABLE) lua_rawgeti(L, -1, (lua_Integer)i);
        else lua_pushvalue(L, -1);
        if (lua_type(L, -1) == LUA_TBOOLEAN) {
          s = lua_toboolean(L, -1) ? "true" : "false";
          vlen = strlen(s);
        } else {
          s = lua_tolstring(L, -1, &vlen);
        }
        if (s != NULL) {
          v->s = lpv_arena_strdup(L, a, s, vlen);
          v->len = vlen;
          cond_value(L, a, cd, v, v2012);
          cd->n++;
        }
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  qsort(cs, count, sizeof *cs, cond_order);
  return cs;
}


/* ---- evaluating ---- */

static int cmp_ok(int cmp, int c) {
  switch (cmp) {
    case C_EQ: return c == 0;
    case C_LT: return c < 0;
    case C_LE: return c <= 0;
    case C_GT: return c > 0;
    default: return c >= 0;
  }
}

/* Does request value r satisfy the positive form of cd against policy
** value v?  Sets *unres when v has a variable that cannot be resolved. */
static int value_match(lua_State *L, const lpv_cond *cd, const cond_val *v, const lpv_cval *r,
                       const lpv_ctx *c, lpv_scratch *sub, lpv_scratch *mask, int *unres) {
  const char *p = v->s, *m = NULL;
  size_t plen = v->len;
  if (!v->ok) return 0;
  if (v->var) {
    int lit;
    if (!lpv_var_substitute(L, v->s, v->len, c, sub, mask, &lit)) { *unres = 1; return 0; }
    p = sub->p;
    plen = sub->len;
    if (lit) m = mask->p;
  }
  switch (cd->type) {
    case T_STR: return plen == r->len && memcmp(p, r->s, plen) == 0;
    case T_STRI: {
      size_t i;
      if (plen != r->len) return 0;
      for (i = 0; i < plen; i++)
        if (cond_lower((unsigned char)p[i]) != cond_lower((unsigned char)r->s[i])) return 0;
      return 1;
    }
    case T_LIKE: return lpv_glob_match_masked(p, m, plen, r->s, r->len, 0);
    case T_ARN: return lpv_arn_match_like_masked(p, m, plen, r->s, r->len);
    case T_BOOL: {
      unsigned char pb, rb;
      if (v->var ? !parse_bool(p, plen, &pb) : (pb = v->b, 0)) return 0;
      return parse_bool(r->s, r->len, &rb) && rb == pb;
    }
    case T_NUM: {
      double x;
      if (!parse_num(r->s, r->len, &x)) return 0;
      return cmp_ok(cd->cmp, (x > v->num) - (x < v->num));
    }
    case T_DATE: {
      cond_time t;
      if (!parse_date(r->s, r->len, &t)) return 0;
      return cmp_ok(cd->cmp, time_cmp(&t, &v->t));
    }
    case T_IP: {
      cond_ip ip;
      const char *slash = memchr(r->s, '/', r->len);
      if (!parse_cidr(r->s, slash ? (size_t)(slash - r->s) : r->len, &ip)) return 0;
      return ip_in(&v->ip, &ip);
    }
    case T_BIN: {
      char *out;
      size_t olen;
      sub->len = 0;
      out = lpv_scratch_room(L, sub, r->len + 1);
      if (!b64_decode(r->s, r->len, out, &olen)) return 0;
      return olen == v->binlen && memcmp(out, v->bin, olen) == 0;
    }
    default: return 0;
  }
}

/* The per-value test: OR of value_match over the policy values, or NOR for
** a negated operator. */
static int value_test(lua_State *L, const lpv_cond *cd, const lpv_cval *r, const lpv_ctx *c,
                      lpv_scratch *sub, lpv_scratch *mask, int *unres) {
  size_t i;
  for (i = 0; i < cd->n; i++)
    if (value_match(L, cd, &cd->vals[i], r, c, sub, mask, unres)) return !cd->neg;
  return cd->neg;
}

/* Does condition cd hold? */
static int cond_one(lua_State *L, const lpv_cond *cd, const lpv_ctx *c, lpv_scratch *sub,
                    lpv_scratch *mask, const lpv_centry **ent, int *unres) {
  const lpv_centry *e = lpv_ctx_find(c, cd->key, cd->klen);
  int present = e != NULL && e->n > 0, i;
  *ent = e;
  if (cd->type == T_NULL) {
    size_t k;
    for (k = 0; k < cd->n; k++)
      if (cd->vals[k].ok && cd->vals[k].b == !present) return 1;
    return 0;
  }
  switch (cd->set) {
    case SET_ALL:
      if (!present) return 1;
      for (i = 0; i < e->n; i++)
        if (!value_test(L, cd, &e->vals[i], c, sub, mask, unres)) return 0;
      return 1;
    case SET_ANY:
      if (!present) return cd->ifexists;
      for (i = 0; i < e->n; i++)
        if (value_test(L, cd, &e->vals[i], c, sub, mask, unres)) return 1;
      return 0;
    default:
      if (!present) return cd->ifexists || cd->neg;
      if (e->n > 1) return 0;
      return value_test(L, cd, &e->vals[0], c, sub, mask, unres);
  }
}

int lpv_cond_eval(lua_State *L, const lpv_cond *cs, size_t n, const lpv_ctx *c,
                  lpv_scratch *sub, lpv_scratch *mask, lpv_cond_why *why) {
  size_t i;
  for (i = 0; i < n; i++) {
    const lpv_centry *e;
    int unres = 0;
    if (!cond_one(L, &cs[i], c, sub, mask, &e, &unres)) {
      if (why) {
        why->cond = &cs[i];
        why->entry = e;
        why->unresolved = unres;
      }
      return 0;
    }
  }
  return 1;
}

void lpv_cond_push(lua_State *L, const lpv_cond *cd) {
  size_t i;
  lua_createtable(L, 0, 3);
  lua_pushlstring(L, cd->op, cd->oplen);
  lua_setfield(L, -2, "operator");
  lua_pushlstring(L, cd->key, cd->klen);
  lua_setfield(L, -2, "key");
  lua_createtable(L, (int)cd->n, 0);
  for (i = 0; i < cd->n; i++) {
    lua_pushlstring(L, cd->vals[i].s, cd->vals[i].len);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "values");
}


/* ---- Lua functions (for specs and tools) ---- */

/* condition_parse_date(s) -> seconds, nanoseconds | nil */
static int l_parse_date(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  cond_time t;
  if (!parse_date(s, len, &t)) return 0;
  lua_pushinteger(L, (lua_Integer)t.sec);
  lua_pushinteger(L, t.nsec);
  return 2;
}

/* condition_parse_number(s) -> number | nil */
static int l_parse_number(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  double v;
  if (!parse_num(s, len, &v)) return 0;
  lua_pushnumber(L, v);
  return 1;
}

/* condition_ip_in(cidr, address) -> boolean | nil (unparseable) */
static int l_ip_in(lua_State *L) {
  size_t nl, al;
  const char *n = luaL_checklstring(L, 1, &nl), *a = luaL_checklstring(L, 2, &al);
  cond_ip net, addr;
  if (!parse_cidr(n, nl, &net) || !parse_cidr(a, al, &addr)) return 0;
  lua_pushboolean(L, ip_in(&net, &addr));
  return 1;
}

static const luaL_Reg condition_funcs[] = {
  {"condition_parse_date", l_parse_date},
  {"condition_parse_number", l_parse_number},
  {"condition_ip_in", l_ip_in},
  {NULL, NULL}
};

void lpv_open_condition(lua_State *L) { luaL_setfuncs(L, condition_funcs, 0); }
