/*
** catalog_arnindex.c: which resource types an ARN is.
**
** An ARN is of resource type T when it matches one of T's ARN templates
** (arn:${Partition}:s3:::${BucketName}/${ObjectName}); the most specific
** templates win (the most literal bytes in the resource part), and
** templates whose service is itself a placeholder (AWS Backup's recovery
** points) count only when nothing else matches.  Scanning all 2,334 types
** costs about half a millisecond an ARN, so each lua_State builds, on first
** use, an index of the templates by service and by the literal prefix of
** their resource part (from the catalog tables at run time, so a
** regenerated catalog needs nothing else): an ARN is then tried only
** against the few templates of its service whose prefix it starts with.
** The index is a userdata in the registry; the tables stay const and shared.
*/
#include <stdlib.h>
#include <string.h>

#include "catalog_internal.h"

#define MATCH_BUDGET  20000 /* steps per ARN template match */
#define MAX_ARN       4096  /* longest ARN looked at */
#define MAX_HITS      64    /* matching types of one ARN before the slow path */

static int has_wild(const char *s, size_t len) {
  return memchr(s, '*', len) != NULL || memchr(s, '?', len) != NULL;
}


/* ---- matching one template ---- */

/* Match ARN text s against template text t: a placeholder matches one or
** more bytes, none of them ':' unless it ends t; '*' in t matches any
** run.  fold: compare letters without case.  *budget bounds the work. */
static int template_match(const char *t, size_t tlen, const char *s, size_t slen,
                          int fold, long *budget) {
  while (tlen > 0) {
    const char *name;
    size_t nlen, ph;
    if (--*budget < 0) return 0;
    ph = lpv_cat_placeholder_at(t, tlen, &name, &nlen);
    if (ph > 0 || *t == '*') {
      size_t skip = ph ? ph : 1, min = ph ? 1 : 0, k;
      if (skip == tlen) return slen >= min;
      for (k = min; k <= slen; k++) {
        if (ph && k > 0 && s[k - 1] == ':') break;
        if (template_match(t + skip, tlen - skip, s + k, slen - k, fold, budget)) return 1;
        if (*budget < 0) return 0;
      }
      return 0;
    }
    if (slen == 0) return 0;
    if (fold ? lpv_cat_fold((unsigned char)*t) != lpv_cat_fold((unsigned char)*s) : *t != *s)
      return 0;
    t++; tlen--;
    s++; slen--;
  }
  return slen == 0;
}

/* Literal bytes in the resource part of a template: how specific it is. */
static int template_score(const lpv_arn *t) {
  const char *p = t->part[LPV_ARN_RESOURCE];
  size_t len = t->len[LPV_ARN_RESOURCE], i = 0;
  int score = 0;
  while (i < len) {
    const char *name;
    size_t nlen, ph = lpv_cat_placeholder_at(p + i, len - i, &name, &nlen);
    if (ph) { i += ph; continue; }
    if (p[i] != '*') score++;
    i++;
  }
  return score;
}

/* Does arn a match template t?  The first five parts match one by one (an
** ARN part with a wildcard matches whatever the template allows there),
** the resource part as a whole.  Returns the template's score, or -1. */
static int arn_template_match(const lpv_arn *a, const char *t, size_t tlen) {
  lpv_arn tp;
  int k;
  long budget = MATCH_BUDGET;
  if (lpv_arn_split(t, tlen, &tp) != 6) return -1;
  for (k = LPV_ARN_PARTITION; k < LPV_ARN_RESOURCE; k++) {
    const char *name;
    size_t nlen;
    if (has_wild(a->part[k], a->len[k])) {
      if (lpv_cat_placeholder_at(tp.part[k], tp.len[k], &name, &nlen) == tp.len[k] && tp.len[k])
        continue;
      if (!lpv_glob_match(a->part[k], a->len[k], tp.part[k], tp.len[k], 1)) return -1;
      continue;
    }
    if (!template_match(tp.part[k], tp.len[k], a->part[k], a->len[k], 1, &budget))
      return -1;
  }
  if (!template_match(tp.part[LPV_ARN_RESOURCE], tp.len[LPV_ARN_RESOURCE],
                      a->part[LPV_ARN_RESOURCE], a->len[LPV_ARN_RESOURCE], 0, &budget))
    return -1;
  return template_score(&tp);
}

/* Best score of resource type r's templates against a (-1: none match). */
static int rtype_score(const lpv_arn *a, uint32_t r, const char **which, size_t *wlen) {
  const char *cur = LPV_CAT_POOL(lpv_cat_rtypes[r].arn), *t;
  size_t tlen;
  int best = -1;
  while (lpv_cat_next_arn(&cur, &t, &tlen)) {
    int sc = arn_template_match(a, t, tlen);
    if (sc > best) { best = sc; *which = t; *wlen = tlen; }
  }
  return best;
}

/* Is the service part of resource type r's first template a literal equal
** to (literal: 1) or a placeholder (literal: 0) matching svc? */
static int rtype_service_is(uint32_t r, const lpv_arn *a, int literal) {
  lpv_arn tp;
  const char *cur = LPV_CAT_POOL(lpv_cat_rtypes[r].arn), *t, *name;
  size_t tlen, nlen;
  int any = 0;
  while (!any && lpv_cat_next_arn(&cur, &t, &tlen)) {
    int ph;
    if (lpv_arn_split(t, tlen, &tp) != 6) continue;
    ph = lpv_cat_placeholder_at(tp.part[LPV_ARN_SERVICE], tp.len[LPV_ARN_SERVICE], &name, &nlen) != 0;
    if (literal) {
      any = !ph && (has_wild(a->part[LPV_ARN_SERVICE], a->len[LPV_ARN_SERVICE])
          ? lpv_glob_match(a->part[LPV_ARN_SERVICE], a->len[LPV_ARN_SERVICE],
                           tp.part[LPV_ARN_SERVICE], tp.len[LPV_ARN_SERVICE], 1)
          : lpv_cat_fold_cmp(a->part[LPV_ARN_SERVICE], a->len[LPV_ARN_SERVICE],
                     tp.part[LPV_ARN_SERVICE], tp.len[LPV_ARN_SERVICE]) == 0);
    } else {
      any = ph;
    }
  }
  return any;
}

/* Is resource type r among the most specific matches (score best, pass)
** of a?  Shared by the two loops of lpv_catalog_arn_rtypes. */
static int arn_rtype_best(const lpv_arn *a, uint32_t r, int pass, int *best) {
  const char *w;
  size_t wl;
  int sc;
  if (!rtype_service_is(r, a, pass == 0)) return 0;
  sc = rtype_score(a, r, &w, &wl);
  if (sc > *best) *best = sc;
  return sc >= 0 && sc == *best;
}


/* ---- the index ---- */

/* One template filed under one service. */
typedef struct ix_entry {
  const char *t, *svc;       /* the template; its service part (folded order) */
  const char *pre;           /* literal prefix of its resource part */
  uint32_t tlen, prelen, svclen, order;
  uint32_t rtype;
} ix_entry;

/* The entries of one service (a run of entries). */
typedef struct ix_service {
  const char *svc;
  size_t len;
  uint32_t first, n;
} ix_service;

struct lpv_arnindex {
  ix_entry *e;
  ix_service *svc;
  uint32_t *ph;              /* resource types with a placeholder service */
  uint32_t ne, nsvc, nph;
};

static const char index_key = 'x';

/* The service part of template t, and whether it is a placeholder. */
static int template_service(const char *t, size_t tlen, lpv_arn *tp) {
  const char *name;
  size_t nlen;
  if (lpv_arn_split(t, tlen, tp) != 6) return -1;
  return lpv_cat_placeholder_at(tp->part[LPV_ARN_SERVICE], tp->len[LPV_ARN_SERVICE],
                                &name, &nlen) != 0;
}

/* Length of the literal start of a template's resource part. */
static size_t literal_prefix(const char *p, size_t len) {
  size_t i;
  for (i = 0; i < len; i++) {
    const char *name;
    size_t nlen;
    if (p[i] == '*' || lpv_cat_placeholder_at(p + i, len - i, &name, &nlen)) break;
  }
  return i;
}

static int entry_cmp(const void *x, const void *y) {
  const ix_entry *a = (const ix_entry *)x, *b = (const ix_entry *)y;
  int d = lpv_cat_fold_cmp(a->svc, a->svclen, b->svc, b->svclen);
  if (d) return d;
  return (a->order > b->order) - (a->order < b->order);
}

/* Visit every (literal service S of r, template of r that can match an ARN
** of service S) pair; fill entries when e is not NULL.  Returns the count. */
static uint32_t file_templates(ix_entry *e) {
  uint32_t r, n = 0;
  for (r = 0; r < lpv_cat_info.n_rtypes; r++) {
    const char *cur = LPV_CAT_POOL(lpv_cat_rtypes[r].arn), *t;
    size_t tlen;
    while (lpv_cat_next_arn(&cur, &t, &tlen)) {
      lpv_arn sp;
      const char *c2 = LPV_CAT_POOL(lpv_cat_rtypes[r].arn), *u, *earlier = NULL;
      size_t ulen;
      if (template_service(t, tlen, &sp) != 0) continue;
      /* the service S of t, once per resource type */
      while (lpv_cat_next_arn(&c2, &u, &ulen) && u < t) {
        lpv_arn up;
        if (template_service(u, ulen, &up) == 0 &&
            lpv_cat_fold_cmp(up.part[LPV_ARN_SERVICE], up.len[LPV_ARN_SERVICE],
                             sp.part[LPV_ARN_SERVICE], sp.len[LPV_ARN_SERVICE]) == 0) earlier = u;
      }
      if (earlier) continue;
      c2 = LPV_CAT_POOL(lpv_cat_rtypes[r].arn);
      while (lpv_cat_next_arn(&c2, &u, &ulen)) {
        lpv_arn up;
        int ph = template_service(u, ulen, &up);
        if (ph < 0) continue;
        if (ph == 0 && lpv_cat_fold_cmp(up.part[LPV_ARN_SERVICE], up.len[LPV_ARN_SERVICE],
                                        sp.part[LPV_ARN_SERVICE], sp.len[LPV_ARN_SERVICE]) != 0)
          continue;
        if (e) {
          ix_entry *x = &e[n];
          x->t = u;
          x->tlen = (uint32_t)ulen;
          x->svc = sp.part[LPV_ARN_SERVICE];
          x->svclen = (uint32_t)sp.len[LPV_ARN_SERVICE];
          x->pre = up.part[LPV_ARN_RESOURCE];
          x->prelen = (uint32_t)literal_prefix(up.part[LPV_ARN_RESOURCE], up.len[LPV_ARN_RESOURCE]);
          x->rtype = r;
          x->order = n;
        }
        n++;
      }
    }
  }
  return n;
}

static uint32_t count_placeholder_types(uint32_t *out) {
  uint32_t r, n = 0;
  for (r = 0; r < lpv_cat_info.n_rtypes; r++) {
    const char *cur = LPV_CAT_POOL(lpv_cat_rtypes[r].arn), *t;
    size_t tlen;
    int any = 0;
    while (!any && lpv_cat_next_arn(&cur, &t, &tlen)) {
      lpv_arn tp;
      any = template_service(t, tlen, &tp) == 1;
    }
    if (any) {
      if (out) out[n] = r;
      n++;
    }
  }
  return n;
}

/* Build the index into one new userdata (left on the stack). */
static lpv_arnindex *build_index(lua_State *L) {
  uint32_t ne = file_templates(NULL), nph = count_placeholder_types(NULL), i, ns = 0;
  size_t size = sizeof(lpv_arnindex) + (ne + 1) * sizeof(ix_entry) +
                (ne + 1) * sizeof(ix_service) + (nph + 1) * sizeof(uint32_t) + 64;
  char *mem = (char *)lua_newuserdata(L, size);
  lpv_arnindex *ix = (lpv_arnindex *)(void *)mem;
  size_t off = (sizeof(lpv_arnindex) + 15) & ~(size_t)15;
  memset(mem, 0, size);
  ix->e = (ix_entry *)(void *)(mem + off);
  off += ((ne + 1) * sizeof(ix_entry) + 15) & ~(size_t)15;
  ix->svc = (ix_service *)(void *)(mem + off);
  off += ((ne + 1) * sizeof(ix_service) + 15) & ~(size_t)15;
  ix->ph = (uint32_t *)(void *)(mem + off);
  ix->ne = file_templates(ix->e);
  ix->nph = count_placeholder_types(ix->ph);
  qsort(ix->e, ix->ne, sizeof(ix_entry), entry_cmp);
  for (i = 0; i < ix->ne; i++) {
    const ix_entry *x = &ix->e[i];
    if (ns == 0 || lpv_cat_fold_cmp(ix->svc[ns - 1].svc, ix->svc[ns - 1].len, x->svc, x->svclen) != 0) {
      ix->svc[ns].svc = x->svc;
      ix->svc[ns].len = x->svclen;
      ix->svc[ns].first = i;
      ns++;
    }
    ix->svc[ns - 1].n++;
  }
  ix->nsvc = ns;
  return ix;
}

const lpv_arnindex *lpv_arnindex_get(lua_State *L) {
  const lpv_arnindex *ix;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &index_key) == LUA_TUSERDATA) {
    ix = (const lpv_arnindex *)lua_touserdata(L, -1);
    lua_pop(L, 1);
    return ix;
  }
  lua_pop(L, 1);
  ix = build_index(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &index_key);
  return ix;
}

static const ix_service *find_service(const lpv_arnindex *ix, const char *s, size_t len) {
  uint32_t lo = 0, hi = ix->nsvc;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    int d = lpv_cat_fold_cmp(ix->svc[mid].svc, ix->svc[mid].len, s, len);
    if (d == 0) return &ix->svc[mid];
    if (d < 0) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

/* The most specific types of a through the index: their count into out (at
** most max), or -1 when the index cannot answer (a wildcard in the
** service, or too many matches): then the caller scans. */
static int indexed_types(const lpv_arnindex *ix, const lpv_arn *a, unsigned *out, int max) {
  uint32_t hit[MAX_HITS];
  int score[MAX_HITS], nh = 0, best = -1, i, n = 0;
  const char *res = a->part[LPV_ARN_RESOURCE];
  size_t rlen = a->len[LPV_ARN_RESOURCE];
  const ix_service *sv;
  if (has_wild(a->part[LPV_ARN_SERVICE], a->len[LPV_ARN_SERVICE])) return -1;
  sv = find_service(ix, a->part[LPV_ARN_SERVICE], a->len[LPV_ARN_SERVICE]);
  if (sv) {
    uint32_t k;
    for (k = sv->first; k < sv->first + sv->n; k++) {
      const ix_entry *x = &ix->e[k];
      int sc;
      if (x->prelen > rlen || memcmp(x->pre, res, x->prelen) != 0) continue;
      sc = arn_template_match(a, x->t, x->tlen);
      if (sc < 0) continue;
      if (nh > 0 && hit[nh - 1] == x->rtype) {
        if (sc > score[nh - 1]) score[nh - 1] = sc;
        continue;
      }
      if (nh == MAX_HITS) return -1;
      hit[nh] = x->rtype;
      score[nh++] = sc;
    }
  }
  if (nh == 0) {
    uint32_t k;
    for (k = 0; k < ix->nph; k++) {
      const char *w;
      size_t wl;
      int sc = rtype_score(a, ix->ph[k], &w, &wl);
      if (sc < 0) continue;
      if (nh == MAX_HITS) return -1;
      hit[nh] = ix->ph[k];
      score[nh++] = sc;
    }
  }
  for (i = 0; i < nh; i++) if (score[i] > best) best = score[i];
  for (i = 0; i < nh && n < max; i++) if (score[i] == best) out[n++] = hit[i];
  return n;
}

/* The same by scanning every resource type. */
static int scanned_types(const lpv_arn *a, unsigned *out, int max) {
  uint32_t r;
  int best = -1, pass, n = 0;
  for (pass = 0; pass < 2 && best < 0; pass++)
    for (r = 0; r < lpv_cat_info.n_rtypes; r++) arn_rtype_best(a, r, pass, &best);
  if (best < 0) return 0;
  pass--;
  for (r = 0; r < lpv_cat_info.n_rtypes && n < max; r++) {
    int b = best;
    if (arn_rtype_best(a, r, pass, &b) && b == best) out[n++] = r;
  }
  return n;
}

static int split_arn(const char *arn, size_t len, lpv_arn *a) {
  return len <= MAX_ARN && len >= 4 && memcmp(arn, "arn:", 4) == 0 &&
         lpv_arn_split(arn, len, a) == 6;
}

int lpv_catalog_arn_rtypes(const lpv_arnindex *ix, const char *arn, size_t len,
                           unsigned *out, int max) {
  lpv_arn a;
  int n;
  if (!split_arn(arn, len, &a)) return 0;
  if (ix && (n = indexed_types(ix, &a, out, max)) >= 0) return n;
  return scanned_types(&a, out, max);
}


/* ---- Lua ---- */

static int not_an_arn(lua_State *L, const char *arn, size_t len) {
  lua_pushnil(L);
  lua_pushfstring(L, "not an ARN: \"%s\" (expected arn:PARTITION:SERVICE:REGION:"
                     "ACCOUNT:RESOURCE)", len > 200 ? "..." : arn);
  return 2;
}

/* Push { service, name, arn = template } for resource type r. */
static void push_type(lua_State *L, const char *service, uint32_t r, const char *w, size_t wl) {
  lua_createtable(L, 0, 3);
  lua_pushstring(L, service);
  lua_setfield(L, -2, "service");
  lua_pushstring(L, LPV_CAT_POOL(lpv_cat_rtypes[r].name));
  lua_setfield(L, -2, "name");
  lua_pushlstring(L, w, wl);
  lua_setfield(L, -2, "arn");
}

/* The most specific of service s's resource types that arn matches. */
static int scoped_types(lua_State *L, const char *arn, size_t len, uint32_t s) {
  uint32_t first = lpv_cat_services[s].first_rtype, count = lpv_cat_services[s].n_rtypes, r;
  const char *prefix = LPV_CAT_POOL(lpv_cat_services[s].prefix);
  lpv_arn a;
  int best = -1, n = 0;
  if (!split_arn(arn, len, &a)) return not_an_arn(L, arn, len);
  for (r = first; r < first + count; r++) {
    const char *w;
    size_t wl;
    int sc = rtype_score(&a, r, &w, &wl);
    if (sc > best) best = sc;
  }
  lua_newtable(L);
  luaL_setmetatable(L, LPV_ARRAY_MT);
  if (best < 0) return 1;
  for (r = first; r < first + count; r++) {
    const char *w = NULL;
    size_t wl = 0;
    if (rtype_score(&a, r, &w, &wl) != best) continue;
    push_type(L, prefix, r, w, wl);
    lua_rawseti(L, -2, ++n);
  }
  return 1;
}

/* catalog_resource_types_for_arn(arn [, service]) -> list of
** { service, name, arn = template }, most specific matches only (those of
** the service the ARN names first: s3/bucket before ssm/bucket); or nil,
** message for something that is not an ARN or an unknown service. */
static int l_resource_types_for_arn(lua_State *L) {
  size_t len;
  const char *arn = luaL_checklstring(L, 1, &len);
  lpv_arn a;
  unsigned types[MAX_HITS];
  int n = 0, k, home, count = 0;
  if (!lua_isnoneornil(L, 2)) {
    long s = lpv_cat_check_service(L, 2);
    if (s < 0) return 2;
    lua_settop(L, 2);
    return scoped_types(L, arn, len, (uint32_t)s);
  }
  if (!split_arn(arn, len, &a)) return not_an_arn(L, arn, len);
  count = lpv_catalog_arn_rtypes(lpv_arnindex_get(L), arn, len, types, MAX_HITS);
  lua_createtable(L, count, 0);
  luaL_setmetatable(L, LPV_ARRAY_MT);
  for (home = 1; home >= 0; home--) {
    for (k = 0; k < count; k++) {
      uint32_t r = types[k];
      const char *w = NULL, *prefix = LPV_CAT_POOL(lpv_cat_services[lpv_cat_rtypes[r].service].prefix);
      size_t wl = 0;
      int is_home = lpv_cat_fold_cmp(prefix, strlen(prefix), a.part[LPV_ARN_SERVICE],
                                     a.len[LPV_ARN_SERVICE]) == 0;
      if (is_home != home) continue;
      rtype_score(&a, r, &w, &wl);
      push_type(L, prefix, r, w, wl);
      lua_rawseti(L, -2, ++n);
    }
  }
  return 1;
}

/* catalog_arn_type_ids(arn [, scan]) -> list of resource type indexes, as
** P:decide classifies arn: through the index, or with scan by scanning
** every type (the specs check that both agree). */
static int l_arn_type_ids(lua_State *L) {
  size_t len;
  const char *arn = luaL_checklstring(L, 1, &len);
  unsigned types[MAX_HITS];
  int n = lpv_catalog_arn_rtypes(lua_toboolean(L, 2) ? NULL : lpv_arnindex_get(L), arn, len,
                                 types, MAX_HITS), i;
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) {
    lua_pushinteger(L, (lua_Integer)types[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

static const luaL_Reg arnindex_funcs[] = {
  {"catalog_resource_types_for_arn", l_resource_types_for_arn},
  {"catalog_arn_type_ids", l_arn_type_ids},
  {NULL, NULL}
};

void lpv_open_catalog_arnindex(lua_State *L) { luaL_setfuncs(L, arnindex_funcs, 0); }
