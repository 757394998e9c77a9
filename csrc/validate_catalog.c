/*
** validate_catalog.c: what validation asks of the AWS catalog, and the
** catalog-backed checks of actions and resources.
**
** The catalog view is cached per lua_State in a registry table (bit sets
** of wildcard patterns, per-action resource types and condition keys,
** condition keys, services): each fact is fetched once, through the
** catalog's Lua functions on the leastpriv.core table, so later policies
** cost table lookups only.  Every map is bounded and reset when it grows
** past its bound (only between calls, never under a running one).
**
** Checks: action syntax and existence (with the catalog's "did you
** mean"), wildcard services, actions that none of the statement's
** resources fit (naming the ARN template they need), and wildcard-only
** actions given specific ARNs.  Resources are matched against templates
** two-sidedly: both may hold wildcards.
*/
#include <string.h>

#include "validate.h"

#define VC_MAP_MAX     4096    /* entries of a map before it is reset */
#define VC_MATCH_STEPS 4000    /* steps of one template match */
#define VC_MAX_TOK     600     /* longer resource parts are assumed to fit */
#define VC_MISMATCH_PATTERN_MAX 300  /* patterns matching more are not checked */

#define VC_SCRATCH     16384   /* bytes of the arena every call starts with */

struct vcache {
  long nact;
  size_t nbytes;
  const unsigned char *all, *wildonly, *pm;
  char *scratch;
  long added, next_check;     /* entries added to the maps; when to look at sizes */
};

static const char cache_key = 'v';

/* Map names in the cache table. */
static const char *const maps[] = { "pat", "act", "rt", "key", "svc", "msg", NULL };


/* ---- the cache ---- */

static long vc_count_actions(void) {
  long lo = 0, hi = 1;
  while (lpv_catalog_action_name(hi, NULL) != NULL) hi *= 2;
  while (lo + 1 < hi) {                 /* name(lo) exists, name(hi) does not */
    long m = lo + (hi - lo) / 2;
    if (lpv_catalog_action_name(m, NULL) != NULL) lo = m; else hi = m;
  }
  return lpv_catalog_action_name(0, NULL) ? lo + 1 : 0;
}

void lpv_vd_cache_open(vd *v) {
  lua_State *L = v->L;
  int i;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &cache_key) != LUA_TTABLE) {
    vcache *c;
    lua_pop(L, 1);
    lua_newtable(L);
    c = (vcache *)lua_newuserdatauv(L, sizeof(vcache), 0);
    memset(c, 0, sizeof *c);
    c->nact = vc_count_actions();
    c->nbytes = (size_t)(c->nact + 7) / 8;
    lua_setfield(L, -2, "u");
    c->scratch = (char *)lua_newuserdatauv(L, VC_SCRATCH, 0);
    lua_setfield(L, -2, "scratch");
    for (i = 0; maps[i]; i++) {
      lua_newtable(L);
      lua_setfield(L, -2, maps[i]);
    }
    lua_newtable(L);
    lua_setfield(L, -2, "n");            /* entries per map */
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &cache_key);
  }
  v->cacheidx = lua_gettop(L);
  lua_getfield(L, v->cacheidx, "u");
  v->cache = (vcache *)lua_touserdata(L, -1);
  lua_pop(L, 1);
  /* reset maps that grew past their bound (looked at now and then) */
  if (v->cache->added < v->cache->next_check) return;
  v->cache->next_check = v->cache->added + 256;
  lua_getfield(L, v->cacheidx, "n");
  for (i = 0; maps[i]; i++) {
    if (lua_getfield(L, -1, maps[i]) == LUA_TNUMBER && lua_tointeger(L, -1) > VC_MAP_MAX &&
        strcmp(maps[i], "act") != 0 && strcmp(maps[i], "rt") != 0) {
      lua_newtable(L);
      lua_setfield(L, v->cacheidx, maps[i]);
      lua_pushinteger(L, 0);
      lua_setfield(L, -3, maps[i]);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* Push map m of the cache. */
static void vc_map(vd *v, const char *m) {
  lua_getfield(v->L, v->cacheidx, m);
}

/* Count one more entry in map m. */
static void vc_counted(vd *v, const char *m) {
  lua_State *L = v->L;
  v->cache->added++;
  lua_getfield(L, v->cacheidx, "n");
  lua_getfield(L, -1, m);
  lua_pushinteger(L, lua_tointeger(L, -1) + 1);
  lua_setfield(L, -3, m);
  lua_pop(L, 2);
}

/* Call core[fname] with nargs arguments on the stack, nres results. */
static void vc_call(vd *v, const char *fname, int nargs, int nres) {
  lua_State *L = v->L;
  lua_getfield(L, v->core, fname);
  lua_insert(L, -(nargs + 1));
  lua_call(L, nargs, nres);
}

size_t lpv_vd_nbytes(const vd *v) { return v->cache->nbytes; }

char *lpv_vd_scratch(vd *v, size_t *size) {
  *size = VC_SCRATCH;
  return v->cache->scratch;
}
long lpv_vd_nactions(const vd *v) { return v->cache->nact; }

/* A new bit set kept in the cache table under field name. */
static unsigned char *vc_new_bits(vd *v, const char *name) {
  unsigned char *bits = (unsigned char *)lua_newuserdatauv(v->L, v->cache->nbytes + 1, 0);
  memset(bits, 0, v->cache->nbytes + 1);
  lua_setfield(v->L, v->cacheidx, name);
  return bits;
}

/* Set the bits of the action names in the list on top of the stack; pops it. */
static long vc_mark_list(vd *v, unsigned char *bits) {
  lua_State *L = v->L;
  lua_Integer i, n = (lua_Integer)lua_rawlen(L, -1);
  long count = 0;
  for (i = 1; i <= n; i++) {
    size_t len;
    const char *name;
    long k;
    lua_rawgeti(L, -1, i);
    name = lua_tolstring(L, -1, &len);
    k = name ? lpv_catalog_find_action(name, len) : -1;
    if (k >= 0 && k < v->cache->nact) {
      bits[k >> 3] |= (unsigned char)(1U << (k & 7));
      count++;
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return count;
}

const unsigned char *lpv_vd_all_bits(vd *v) {
  vcache *c = v->cache;
  if (c->all == NULL) {
    unsigned char *bits = vc_new_bits(v, "all");
    long k;
    for (k = 0; k < c->nact; k++) bits[k >> 3] |= (unsigned char)(1U << (k & 7));
    c->all = bits;
  }
  return c->all;
}

const unsigned char *lpv_vd_wildonly_bits(vd *v) {
  vcache *c = v->cache;
  if (c->wildonly == NULL) {
    unsigned char *bits = vc_new_bits(v, "wildonly");
    long k;
    for (k = 0; k < c->nact; k++)
      if (lpv_catalog_action_wildcard_only(k)) bits[k >> 3] |= (unsigned char)(1U << (k & 7));
    c->wildonly = bits;
  }
  return c->wildonly;
}

const unsigned char *lpv_vd_pm_bits(vd *v) {
  vcache *c = v->cache;
  if (c->pm == NULL) {
    unsigned char *bits = vc_new_bits(v, "pm");
    lua_pushnil(v->L);
    lua_createtable(v->L, 1, 0);
    lua_pushliteral(v->L, "Permissions management");
    lua_rawseti(v->L, -2, 1);
    vc_call(v, "catalog_list", 2, 1);
    vc_mark_list(v, bits);
    c->pm = bits;
  }
  return c->pm;
}

/* A pattern's bit set: how many, the bytes that hold them, the bits. */
typedef struct vc_pattern { long count; unsigned lo, hi; unsigned char bits[1]; } vc_pattern;

const unsigned char *lpv_vd_pattern_bits(vd *v, const char *pat, size_t len, long *count,
                                         unsigned *lo, unsigned *hi) {
  lua_State *L = v->L;
  vc_pattern *p;
  vc_map(v, "pat");
  lpv_vd_push_lower(L, pat, len);
  if (lua_rawget(L, -2) == LUA_TUSERDATA) {
    p = (vc_pattern *)lua_touserdata(L, -1);
  } else {
    lua_pop(L, 1);
    p = (vc_pattern *)lua_newuserdatauv(L, sizeof(vc_pattern) + v->cache->nbytes, 0);
    memset(p, 0, sizeof(vc_pattern) + v->cache->nbytes);
    lua_pushlstring(L, pat, len);
    vc_call(v, "catalog_expand", 1, 1);
    p->count = vc_mark_list(v, p->bits);
    p->lo = 0;
    p->hi = (unsigned)v->cache->nbytes;
    while (p->lo < p->hi && p->bits[p->lo] == 0) p->lo++;
    while (p->hi > p->lo && p->bits[p->hi - 1] == 0) p->hi--;
    lpv_vd_push_lower(L, pat, len);
    lua_pushvalue(L, -2);
    lua_rawset(L, -4);
    vc_counted(v, "pat");
  }
  lua_pop(L, 2);                               /* the cache keeps it */
  *count = p->count;
  *lo = p->lo;
  *hi = p->hi;
  return p->count > 0 ? p->bits : NULL;
}

/* Keep the string on top of the stack alive in the cache (pops it) and
** return the copy the cache holds: a long string equal to one already
** kept is another object, which the cache does not store. */
static const char *vc_keep(vd *v, size_t *len) {
  lua_State *L = v->L;
  const char *s;
  lua_getfield(L, v->cacheidx, "str");
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, v->cacheidx, "str");
  }
  lua_pushvalue(L, -2);
  if (lua_rawget(L, -2) != LUA_TSTRING) {      /* first time: str[s] = s */
    lua_pop(L, 1);
    lua_pushvalue(L, -2);
    lua_pushvalue(L, -3);
    lua_rawset(L, -3);
    lua_pushvalue(L, -2);
  }
  s = lua_tolstring(L, -1, len);               /* held by str */
  lua_pop(L, 3);
  return s;
}

/* Tokenise resource text s into out (at most max tokens); template: read
** ${Name} placeholders as template placeholders (final: may hold ':').
** Returns the number of tokens, or -1 when there are too many. */
static int vc_tokens(const char *s, size_t len, int template, vtok *out, int max) {
  size_t i = 0;
  int n = 0;
  while (i < len) {
    if (n + 2 > max) return -1;
    if (template && s[i] == '$' && i + 1 < len && s[i + 1] == '{') {
      size_t j = i + 2;
      /* a bucket name holds no '/'; other names may (paths, keys) */
      unsigned char no = (unsigned char)((j + 11 <= len && memcmp(s + j, "BucketName}", 11) == 0)
                                         ? 3 : 0);
      while (j < len && s[j] != '}') j++;
      i = j < len ? j + 1 : len;
      out[n].kind = VTK_ONE; out[n].nocolon = (unsigned char)(no | (i < len)); out[n].c = 0; n++;
      out[n].kind = VTK_STAR; out[n].nocolon = (unsigned char)(no | (i < len)); out[n].c = 0; n++;
      continue;
    }
    if (!template && (unsigned char)s[i] == LPV_PH_OPEN) {   /* placeholder: any text */
      while (i < len && (unsigned char)s[i] != LPV_PH_CLOSE) i++;
      i++;
      out[n].kind = VTK_STAR; out[n].nocolon = 0; out[n].c = 0; n++;
      continue;
    }
    if (!template && s[i] == '$' && i + 1 < len && s[i + 1] == '{') {  /* variable */
      while (i < len && s[i] != '}') i++;
      i++;
      out[n].kind = VTK_STAR; out[n].nocolon = 0; out[n].c = 0; n++;
      continue;
    }
    if (s[i] == '*') { out[n].kind = VTK_STAR; out[n].nocolon = 0; out[n].c = 0; }
    else if (s[i] == '?' && !template) { out[n].kind = VTK_ONE; out[n].nocolon = 0; out[n].c = 0; }
    else { out[n].kind = VTK_LIT; out[n].nocolon = 0; out[n].c = s[i]; }
    n++;
    i++;
  }
  return n;
}

/* May a class token (nocolon bits: 1 no ':', 2 no '/') stand for c? */
static int vc_class_has(const vtok *t, char c) {
  return !((t->nocolon & 1) && c == ':') && !((t->nocolon & 2) && c == '/');
}

/* Can tokens a and b stand for one common character? */
static int vc_tok_meet(const vtok *a, const vtok *b) {
  if (a->kind == VTK_LIT && b->kind == VTK_LIT) return a->c == b->c;
  if (a->kind == VTK_LIT) return vc_class_has(b, a->c);
  if (b->kind == VTK_LIT) return vc_class_has(a, b->c);
  return 1;
}

/* Is there a string both token lists match?  Backtracking within a step
** budget; an exhausted budget answers yes. */
static int vc_meet(const vtok *a, int na, int i, const vtok *b, int nb, int j, long *budget) {
  for (;;) {
    if (--*budget < 0) return 1;
    if (i == na && j == nb) return 1;
    if (i < na && a[i].kind == VTK_STAR) {
      if (vc_meet(a, na, i + 1, b, nb, j, budget)) return 1;
      if (j == nb) return 0;
      if (b[j].kind == VTK_STAR) { j++; continue; }
      if (!vc_tok_meet(&a[i], &b[j])) return 0;
      j++;
      continue;
    }
    if (j < nb && b[j].kind == VTK_STAR) {
      if (vc_meet(a, na, i, b, nb, j + 1, budget)) return 1;
      if (i == na) return 0;
      if (!vc_tok_meet(&a[i], &b[j])) return 0;
      i++;
      continue;
    }
    if (i == na || j == nb) return 0;
    if (!vc_tok_meet(&a[i], &b[j])) return 0;
    i++;
    j++;
  }
}

/* Does ARN part p (with wildcards) fit a template part of kind k (0 empty,
** 1 any non-empty)? */
static int vc_part_fits(const char *p, size_t len, int k) {
  size_t i;
  int stars = 1;
  for (i = 0; i < len; i++) if (p[i] != '*') stars = 0;
  if (k == 0) return len == 0 || stars;
  if (k == 1) return len > 0;
  return 1;
}

void lpv_vd_res_prepare(vd *v, const char *res, size_t len, vres *r) {
  vtok tok[VC_MAX_TOK];
  r->s = res;
  r->len = len;
  r->ntok = -1;
  r->tok = NULL;
  r->nparts = lpv_vd_arn_split(res, len, &r->a);
  if (r->nparts != 6) return;
  r->ntok = vc_tokens(r->a.part[5], r->a.len[5], 0, tok, VC_MAX_TOK);
  if (r->ntok > 0) {
    r->tok = (vtok *)lpv_vd_alloc(v, sizeof(vtok) * (size_t)r->ntok);
    memcpy(r->tok, tok, sizeof(vtok) * (size_t)r->ntok);
  }
}

int lpv_vd_arn_fits(const vres *r, const vrtype *rt) {
  const lpv_arn *a = &r->a;
  int t;
  if (lpv_vd_eq(r->s, r->len, "*")) return 1;
  if (r->nparts < 6) return (r->len > 0 && r->s[r->len - 1] == '*') ||
                            lpv_vd_has_placeholder(r->s, r->len);
  if (r->ntok < 0) return 1;
  for (t = 0; t < rt->ntmpl; t++) {
    const vtmpl *tp = &rt->t[t];
    long budget = VC_MATCH_STEPS;
    if (tp->svc && !lpv_vd_has_wild(a->part[2], a->len[2]) &&
        !lpv_vd_has_placeholder(a->part[2], a->len[2]) &&
        !(a->len[2] == tp->svclen && memcmp(a->part[2], tp->svc, tp->svclen) == 0))
      continue;
    if (!vc_part_fits(a->part[3], a->len[3], tp->region) && !lpv_vd_has_placeholder(a->part[3], a->len[3]))
      continue;
    if (!vc_part_fits(a->part[4], a->len[4], tp->account) && !lpv_vd_has_placeholder(a->part[4], a->len[4]))
      continue;
    if (vc_meet(r->tok, r->ntok, 0, tp->tok, tp->ntok, 0, &budget)) return 1;
  }
  return 0;
}

/* The resource type record for the table { name, arns } on top of the
** stack (of service svc), from the cache or built; the stack is unchanged. */
static const vrtype *vc_rtype(vd *v, const char *svc) {
  lua_State *L = v->L;
  int rec = lua_gettop(L), map, key, arns, holder, i, n, owned;
  vrtype *rt;
  lua_getfield(L, rec, "name");
  lua_pushfstring(L, "%s/%s", svc, lua_tostring(L, -1));
  lua_remove(L, -2);
  key = lua_gettop(L);
  vc_map(v, "rt");
  map = lua_gettop(L);
  lua_pushvalue(L, key);
  if (lua_rawget(L, map) == LUA_TUSERDATA) {
    rt = (vrtype *)lua_touserdata(L, -1);
    lua_settop(L, rec);
    return rt;
  }
  lua_pop(L, 1);
  lua_getfield(L, rec, "aws_owned");
  owned = lua_isstring(L, -1);
  lua_pop(L, 1);
  lua_getfield(L, rec, "arns");
  arns = lua_gettop(L);
  n = lua_istable(L, arns) ? (int)lua_rawlen(L, arns) : 0;
  rt = (vrtype *)lua_newuserdatauv(L, sizeof(vrtype) + sizeof(vtmpl) * (size_t)(n > 0 ? n : 1), 1);
  rt->t = (vtmpl *)(rt + 1);
  rt->ntmpl = 0;
  lua_getfield(L, rec, "name");
  if (lua_isstring(L, -1)) {
    rt->name = vc_keep(v, &rt->nlen);
  } else {
    lua_pop(L, 1);
    rt->name = "";
    rt->nlen = 0;
  }
  lua_newtable(L);                                 /* holds the token arrays */
  holder = lua_gettop(L);
  lua_pushvalue(L, holder);
  lua_setiuservalue(L, holder - 1, 1);
  for (i = 1; i <= n; i++) {
    vtmpl *tp = &rt->t[rt->ntmpl];
    lpv_arn a;
    vtok tok[256];
    int nt;
    lua_rawgeti(L, arns, i);
    if (!lua_isstring(L, -1)) { lua_pop(L, 1); continue; }
    tp->text = vc_keep(v, &tp->len);
    if (lpv_arn_split(tp->text, tp->len, &a) != 6) continue;
    tp->svc = (a.part[2][0] == '$' || a.part[2][0] == '{') ? NULL : a.part[2];
    tp->svclen = a.len[2];
    tp->region = a.len[3] == 0 ? 0 : (a.part[3][0] == '$' || a.part[3][0] == '{') ? 1 : 2;
    tp->account = a.len[4] == 0 ? 0 : (a.part[4][0] == '$' || a.part[4][0] == '{') ? 1 : 2;
    if (owned && tp->account == 1) tp->account = 2;  /* AWS's own have none: any fits */
    nt = vc_tokens(a.part[5], a.len[5], 1, tok, 256);
    if (nt < 0) continue;
    tp->tok = (vtok *)lua_newuserdatauv(L, sizeof(vtok) * (size_t)(nt > 0 ? nt : 1), 0);
    memcpy(tp->tok, tok, sizeof(vtok) * (size_t)nt);
    lua_rawseti(L, holder, i);
    tp->ntok = nt;
    rt->ntmpl++;
  }
  lua_pushvalue(L, key);
  lua_pushvalue(L, holder - 1);
  lua_rawset(L, map);
  vc_counted(v, "rt");
  lua_settop(L, rec);
  return rt;
}

const vaction *lpv_vd_action(vd *v, long i) {
  lua_State *L = v->L;
  vaction *a;
  size_t nlen;
  const char *name;
  int nrt, nkeys = 0, k, j;
  vc_map(v, "act");
  if (lua_rawgeti(L, -1, (lua_Integer)i + 1) == LUA_TUSERDATA) {
    a = (vaction *)lua_touserdata(L, -1);
    lua_pop(L, 2);
    return a;
  }
  lua_pop(L, 1);
  name = lpv_catalog_action_name(i, &nlen);
  lua_pushlstring(L, name ? name : "", name ? nlen : 0);
  vc_call(v, "catalog_action", 1, 1);             /* map, rec */
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    lua_newtable(L);
  }
  lua_getfield(L, -1, "resource_types");
  nrt = lua_istable(L, -1) ? (int)lua_rawlen(L, -1) : 0;
  lua_pop(L, 1);
  lua_getfield(L, -1, "condition_key_types");     /* every key, its rtypes' too */
  if (lua_istable(L, -1)) {
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) { nkeys++; lua_pop(L, 1); }
  }
  lua_pop(L, 1);
  a = (vaction *)lua_newuserdatauv(L, sizeof(vaction) + sizeof(void *) *
                                   (size_t)(nrt + nkeys + 1) + (size_t)nrt + 1, 1);
  a->rt = (const vrtype **)(a + 1);
  a->keys = (const char **)(a->rt + nrt);
  a->required = (const unsigned char *)(a->keys + nkeys + 1);
  a->nrt = 0;
  a->nkeys = 0;
  lua_getfield(L, -2, "scenarios");
  a->scenarios = lua_istable(L, -1);
  lua_pop(L, 1);
  lua_newtable(L);                                 /* keeps its key strings */
  lua_setiuservalue(L, -2, 1);
  /* map, rec, a */
  {
    char svc[128];
    const char *colon = name ? memchr(name, ':', nlen) : NULL;
    size_t sl = colon ? (size_t)(colon - name) : 0;
    if (sl >= sizeof svc) sl = sizeof svc - 1;
    memcpy(svc, name ? name : "", sl);
    svc[sl] = '\0';
    lua_getfield(L, -2, "resource_types");
    for (k = 1; k <= nrt; k++) {
      lua_rawgeti(L, -1, k);
      lua_getfield(L, -1, "required");
      ((unsigned char *)a->required)[a->nrt] = (unsigned char)lua_toboolean(L, -1);
      lua_pop(L, 1);
      a->rt[a->nrt++] = vc_rtype(v, svc);
      lua_pop(L, 1);
    }
    a->named = -1;
    for (k = 0; k < a->nrt && a->named < 0; k++)
      if (a->required[k] && a->rt[k]->ntmpl > 0 && name && lpv_vd_named_after(name, nlen, a->rt[k]))
        a->named = k;
    lua_pop(L, 1);
  }
  lua_getfield(L, -2, "condition_key_types");
  if (lua_istable(L, -1)) {
    lua_getiuservalue(L, -2, 1);                   /* the strings' anchor */
    lua_pushnil(L);
    j = 0;
    while (lua_next(L, -3) != 0 && j < nkeys) {
      size_t kl;
      const char *kn = lua_tolstring(L, -2, &kl);
      const char *low = lpv_vd_push_lower(L, kn, kl);
      a->keys[j++] = low;
      lua_rawseti(L, -4, j);
      lua_pop(L, 1);
    }
    a->nkeys = j;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  /* map, rec, a */
  lua_pushvalue(L, -1);
  lua_rawseti(L, -4, (lua_Integer)i + 1);
  vc_counted(v, "act");
  lua_pop(L, 3);
  return a;
}

static int vc_ktype(const char *t) {
  if (strncmp(t, "ArrayOf", 7) == 0) t += 7;
  if (strcmp(t, "String") == 0) return VKT_STRING;
  if (strcmp(t, "ARN") == 0 || strcmp(t, "Arn") == 0) return VKT_ARN;
  if (strcmp(t, "Bool") == 0 || strcmp(t, "Boolean") == 0) return VKT_BOOL;
  if (strcmp(t, "Date") == 0) return VKT_DATE;
  if (strcmp(t, "Numeric") == 0 || strcmp(t, "Long") == 0) return VKT_NUMERIC;
  if (strcmp(t, "IPAddress") == 0 || strcmp(t, "IpAddress") == 0) return VKT_IP;
  if (strcmp(t, "Binary") == 0) return VKT_BINARY;
  return VKT_UNKNOWN;
}

const vkey *lpv_vd_key(vd *v, const char *key, size_t len, vkey *out) {
  lua_State *L = v->L;
  vkey *k;
  const char *slash = memchr(key, '/', len);
  vc_map(v, "key");
  /* tag-style keys (aws:ResourceTag/NAME) share their template: known by
  ** "prefix/" once one of them has been looked up */
  if (slash) {
    lpv_vd_push_lower(L, key, (size_t)(slash - key) + 1);
    lua_pushliteral(L, "\1");                  /* apart from the key "prefix/" itself */
    lua_concat(L, 2);
    if (lua_rawget(L, -2) == LUA_TUSERDATA) {
      *out = *(vkey *)lua_touserdata(L, -1);
      lua_pop(L, 2);
      return out;
    }
    lua_pop(L, 1);
  }
  lpv_vd_push_lower(L, key, len);
  if (lua_rawget(L, -2) != LUA_TUSERDATA) {
    lua_pop(L, 1);
    k = (vkey *)lua_newuserdatauv(L, sizeof(vkey), 1);
    memset(k, 0, sizeof *k);
    lua_pushlstring(L, key, len);
    vc_call(v, "catalog_condition_key", 1, 1);
    if (lua_istable(L, -1)) {
      const char *type;
      size_t nl;
      k->known = 1;
      lua_getfield(L, -1, "global");
      k->global = lua_toboolean(L, -1);
      lua_pop(L, 1);
      lua_getfield(L, -1, "type");
      type = lua_tostring(L, -1);
      k->type = type ? vc_ktype(type) : VKT_UNKNOWN;
      k->multi = type && strncmp(type, "ArrayOf", 7) == 0;
      lua_pop(L, 1);
      lua_getfield(L, -1, "name");
      {
        const char *n = lua_tolstring(L, -1, &nl);
        k->canon = lpv_vd_push_lower(L, n ? n : "", n ? nl : 0);
      }
      lua_setiuservalue(L, -4, 1);                   /* k keeps canon alive */
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lpv_vd_push_lower(L, key, len);
    lua_pushvalue(L, -2);
    lua_rawset(L, -4);
    vc_counted(v, "key");
    if (slash && slash + 1 < key + len && k->known && k->canon &&
        (strchr(k->canon, '{') || strchr(k->canon, '<'))) {
      lpv_vd_push_lower(L, key, (size_t)(slash - key) + 1);
      lua_pushliteral(L, "\1");
      lua_concat(L, 2);
      lua_pushvalue(L, -2);
      lua_rawset(L, -4);
    }
  }
  k = (vkey *)lua_touserdata(L, -1);
  lua_pop(L, 2);                                     /* the cache keeps it */
  *out = *k;
  return out;
}

const vservice *lpv_vd_service(vd *v, const char *prefix, size_t len) {
  lua_State *L = v->L;
  vservice *s;
  int m;
  for (m = 0; m < v->nsvc; m++)
    if (v->svc[m].len == len && memcmp(v->svc[m].s, prefix, len) == 0) return v->svc[m].sv;
  vc_map(v, "svc");
  lpv_vd_push_lower(L, prefix, len);
  if (lua_rawget(L, -2) != LUA_TUSERDATA) {
    int nt = 0, i, j, np = 0;
    lua_pop(L, 1);
    lua_pushlstring(L, prefix, len);
    vc_call(v, "catalog_service", 1, 1);
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "resource_types");
      for (i = 1; i <= (int)lua_rawlen(L, -1); i++) {
        lua_rawgeti(L, -1, i);
        lua_getfield(L, -1, "arns");
        nt += (int)lua_rawlen(L, -1);
        lua_pop(L, 2);
      }
      lua_pop(L, 1);
    }
    s = (vservice *)lua_newuserdatauv(L, sizeof(vservice) + (sizeof(char *) + sizeof(size_t) + 2) *
                                      (size_t)(nt + 1), 1);
    memset(s, 0, sizeof *s);
    s->prefix = (const char **)(s + 1);
    s->plen = (size_t *)(s->prefix + nt + 1);
    s->region = (unsigned char *)(s->plen + nt + 1);
    s->account = s->region + nt + 1;
    lua_newtable(L);
    lua_setiuservalue(L, -2, 1);
    /* rec, s */
    if (lua_istable(L, -2)) {
      s->known = 1;
      lua_getfield(L, -2, "rcp");
      s->rcp = lua_toboolean(L, -1);
      lua_pop(L, 1);
      lua_getiuservalue(L, -1, 1);                   /* anchor of template strings */
      lua_getfield(L, -3, "resource_types");
      for (i = 1; i <= (int)lua_rawlen(L, -1); i++) {
        int owned;
        lua_rawgeti(L, -1, i);
        lua_getfield(L, -1, "aws_owned");
        owned = lua_isstring(L, -1);
        lua_pop(L, 1);
        lua_getfield(L, -1, "arns");
        for (j = 1; j <= (int)lua_rawlen(L, -1); j++) {
          size_t tl, pl;
          const char *t;
          lpv_arn a;
          int k, dup = 0;
          unsigned char reg, acc;
          lua_rawgeti(L, -1, j);
          t = lua_tolstring(L, -1, &tl);
          lua_rawseti(L, -5, (lua_Integer)lua_rawlen(L, -5) + 1);
          if (t == NULL || lpv_arn_split(t, tl, &a) != 6) continue;
          /* a template of this service's resource types names it, or holds a
          ** placeholder there (backup's recovery point: ${Vendor}) */
          if (!(a.len[2] == len && memcmp(a.part[2], prefix, len) == 0) &&
              !(a.len[2] > 0 && a.part[2][0] == '$'))
            continue;
          reg = a.len[3] != 0;
          acc = a.len[4] == 0 ? 0 : owned ? 2 : 1;
          pl = 0;
          while (pl < a.len[5] && a.part[5][pl] != '$' && a.part[5][pl] != '{') pl++;
          for (k = 0; k < np && !dup; k++)
            dup = s->plen[k] == pl && memcmp(s->prefix[k], a.part[5], pl) == 0 &&
                  s->region[k] == reg && s->account[k] == acc;
          if (!dup && np < nt) {
            s->prefix[np] = a.part[5];
            s->plen[np] = pl;
            s->region[np] = reg;
            s->account[np] = acc;
            np++;
          }
        }
        lua_pop(L, 2);
      }
      lua_pop(L, 2);
      s->nprefix = np;
    }
    lua_remove(L, -2);                               /* the record */
    lpv_vd_push_lower(L, prefix, len);
    lua_pushvalue(L, -2);
    lua_rawset(L, -4);
    vc_counted(v, "svc");
  }
  s = (vservice *)lua_touserdata(L, -1);
  lua_pop(L, 2);                                     /* the cache keeps it */
  if (v->nsvc < 8) {
    v->svc[v->nsvc].s = prefix;
    v->svc[v->nsvc].len = len;
    v->svc[v->nsvc].sv = s;
    v->nsvc++;
  }
  return s;
}

/* Push the catalog's message for a name it does not know: the second
** result of catalog function fn (the "did you mean" text, or ""), cached
** per state under tag .. name. */
static void vc_push_unknown(vd *v, const char *tag, const char *fn, const char *name,
                            size_t len) {
  lua_State *L = v->L;
  vc_map(v, "msg");
  lua_pushstring(L, tag);
  lua_pushlstring(L, name, len);
  lua_concat(L, 2);                                   /* map, cache key */
  lua_pushvalue(L, -1);
  if (lua_rawget(L, -3) != LUA_TSTRING) {
    lua_pop(L, 1);
    lua_pushlstring(L, name, len);
    vc_call(v, fn, 1, 2);
    lua_remove(L, -2);
    if (!lua_isstring(L, -1)) { lua_pop(L, 1); lua_pushliteral(L, ""); }
    lua_pushvalue(L, -2);
    lua_pushvalue(L, -2);
    lua_rawset(L, -5);                                /* map[key] = message */
    vc_counted(v, "msg");
  }
  lua_replace(L, -3);                                 /* message over map */
  lua_pop(L, 1);
}

void lpv_vd_push_unknown_action(vd *v, const char *name, size_t len) {
  vc_push_unknown(v, "", "catalog_action", name, len);
}


int lpv_vd_arn_service_known(vd *v, const char *name, size_t len) {
  lua_State *L = v->L;
  int known;
  if (lua_getfield(L, v->cacheidx, "arnsvc") != LUA_TTABLE) {
    lua_Integer i, n;
    int set;
    lua_pop(L, 1);
    lua_newtable(L);                                 /* the set, built once */
    set = lua_gettop(L);
    vc_call(v, "catalog_services", 0, 1);
    n = (lua_Integer)lua_rawlen(L, -1);
    for (i = 1; i <= n; i++) {
      lua_Integer j, m, a, na;
      lua_rawgeti(L, -1, i);
      vc_call(v, "catalog_service", 1, 1);
      lua_getfield(L, -1, "resource_types");
      m = (lua_Integer)lua_rawlen(L, -1);
      for (j = 1; j <= m; j++) {
        lua_rawgeti(L, -1, j);
        lua_getfield(L, -1, "arns");
        na = (lua_Integer)lua_rawlen(L, -1);
        for (a = 1; a <= na; a++) {
          size_t tl;
          const char *t;
          lpv_arn parts;
          lua_rawgeti(L, -1, a);
          t = lua_tolstring(L, -1, &tl);
          if (t && lpv_arn_split(t, tl, &parts) == 6) {
            lua_pushlstring(L, parts.part[2], parts.len[2]);
            lua_pushboolean(L, 1);
            lua_rawset(L, set);
          }
          lua_pop(L, 1);
        }
        lua_pop(L, 2);
      }
      lua_pop(L, 2);
    }
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_setfield(L, v->cacheidx, "arnsvc");
  }
  lua_pushlstring(L, name, len);
  known = lua_rawget(L, -2) != LUA_TNIL;
  lua_pop(L, 2);
  return known;
}

void lpv_vd_push_unknown_service(vd *v, const char *name, size_t len) {
  vc_push_unknown(v, "svc:", "catalog_service", name, len);
}

void lpv_vd_push_unknown_key(vd *v, const char *key, size_t len) {
  vc_push_unknown(v, "key:", "catalog_condition_key", key, len);
}


/* ---- checks ---- */

/* Push the "did you mean X?" part of catalog message msg (or nil);
** returns it. */
static const char *vc_dym(lua_State *L, const char *msg) {
  const char *p = msg ? strstr(msg, "did you mean ") : NULL;
  const char *q = p ? strchr(p, '?') : NULL;
  if (q == NULL) { lua_pushnil(L); return NULL; }
  return lua_pushlstring(L, p, (size_t)(q - p) + 1);
}

static int vc_action_char(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '*' || c == '?' || c == '-' || c == '_';
}

/* Resolve and check one Action / NotAction entry of statement si. */
static void vc_action(vd *v, int si, const char *elem, vitem *it) {
  lua_State *L = v->L;
  vloc at = lpv_vd_item(v, si, elem, it);
  const char *s = it->s, *colon;
  size_t len = it->len, k, slen;
  it->act = VA_UNKNOWN;
  if (lpv_vd_has_placeholder(s, len)) return;
  if (lpv_vd_variables(v, s, len, &at, 0)) return;
  if (lpv_vd_eq(s, len, "*")) {
    it->act = VA_STAR;
    it->bits = lpv_vd_all_bits(v);
    it->blo = 0;
    it->bhi = (unsigned)lpv_vd_nbytes(v);
    return;
  }
  colon = memchr(s, ':', len);
  if (colon == NULL) {
    lpv_vd_push_unknown_action(v, s, len);
    lpv_vd_report(v, "INVALID_ACTION", &at, vc_dym(L, lua_tostring(L, -1)),
                  "\"%S\" is not an action: actions look like service:ActionName", s, len);
    lua_pop(L, 2);
    return;
  }
  slen = (size_t)(colon - s);
  if (memchr(colon + 1, ':', len - slen - 1) != NULL || slen == 0 || slen + 1 == len) {
    lpv_vd_report(v, "INVALID_ACTION", &at, NULL,
                  "\"%S\" is not an action: actions look like service:ActionName", s, len);
    return;
  }
  for (k = 0; k < len; k++) {
    int c = (unsigned char)s[k];
    if (k == slen || vc_action_char(c) || (k < slen && c == '.')) continue;
    lpv_vd_report(v, "INVALID_ACTION", &at,
                  c == ',' ? "list each action as its own string" : NULL,
                  "\"%S\" holds '%S', which no action name has", s, len, s + k,
                  lpv_utf8_char_len(s + k, len - k));
    return;
  }
  if (lpv_vd_has_wild(s, slen))
    lpv_vd_report(v, "WILDCARD_IN_SERVICE_NAME", &at, "name the service",
                  "\"%S\" has a wildcard in its service prefix: it can match services you "
                  "did not mean, now or when AWS adds them", s, len);
  if (!lpv_vd_has_wild(s, len)) {
    long i = lpv_catalog_find_action(s, len);
    if (i >= 0) {
      it->act = i;
      return;
    }
    lpv_vd_push_unknown_action(v, s, len);
    vc_dym(L, lua_tostring(L, -1));
    if (lpv_vd_service(v, s, slen)->known)
      lpv_vd_report(v, "INVALID_ACTION", &at, lua_tostring(L, -1),
                    "%S has no action \"%S\"", s, slen, colon + 1, len - slen - 1);
    else
      lpv_vd_report(v, "INVALID_SERVICE_IN_ACTION", &at, lua_tostring(L, -1),
                    "there is no service \"%S\" (in \"%S\")", s, slen, s, len);
    lua_pop(L, 2);
    return;
  }
  {
    long count;
    it->bits = lpv_vd_pattern_bits(v, s, len, &count, &it->blo, &it->bhi);
    it->act = VA_PATTERN;
    if (it->bits) return;
    it->act = VA_UNKNOWN;
    if (!lpv_vd_has_wild(s, slen) && !lpv_vd_service(v, s, slen)->known) {
      lpv_vd_push_unknown_service(v, s, slen);
      vc_dym(L, lua_tostring(L, -1));
      lpv_vd_report(v, "INVALID_SERVICE_IN_ACTION", &at, lua_tostring(L, -1),
                    "there is no service \"%S\" (in \"%S\")", s, slen, s, len);
      lua_pop(L, 2);
    } else {
      lpv_vd_report(v, "INVALID_ACTION", &at, NULL, "\"%S\" matches no action", s, len);
    }
  }
}

/* Remembered fits of resource types against one statement's resources. */
typedef struct vc_fit { const vrtype *rt; int fits; } vc_fit;

static int vc_fits(const vres *res, int nres, const vrtype *rt, vc_fit *memo, int *nmemo, int max) {
  int i, fits = 0;
  for (i = 0; i < *nmemo; i++) if (memo[i].rt == rt) return memo[i].fits;
  for (i = 0; i < nres && !fits; i++) fits = lpv_vd_arn_fits(&res[i], rt);
  if (*nmemo < max) {
    memo[*nmemo].rt = rt;
    memo[*nmemo].fits = fits;
    (*nmemo)++;
  }
  return fits;
}

/* Does action a fit one of the statement's resources? */
static int vc_action_fits(vd *v, const vres *res, int nres, long a, vc_fit *memo,
                          int *nmemo, int max) {
  const vaction *info = lpv_vd_action(v, a);
  int r;
  for (r = 0; r < info->nrt; r++)
    if (vc_fits(res, nres, info->rt[r], memo, nmemo, max)) return 1;
  return 0;
}

/* Actions that none of the resources fit; wildcard-only actions with ARNs. */
static void vc_resource_fit(vd *v, int si) {
  lua_State *L = v->L;
  vstmt *s = &v->st[si];
  vc_fit memo[32];
  int nmemo = 0, i, r;
  const unsigned char *wild;
  vres *res;
  if (s->akind != VK_POS || s->rkind != VK_POS || s->nres == 0) return;
  for (r = 0; r < s->nres; r++)
    if (lpv_vd_eq(s->res[r].s, s->res[r].len, "*") ||
        (s->res[r].len > 0 && (unsigned char)s->res[r].s[0] == LPV_PH_OPEN)) return;
  wild = lpv_vd_wildonly_bits(v);
  res = (vres *)lpv_vd_alloc(v, sizeof(vres) * (size_t)s->nres);
  for (r = 0; r < s->nres; r++) lpv_vd_res_prepare(v, s->res[r].s, s->res[r].len, &res[r]);
  s->prepared = res;
  for (i = 0; i < s->nact; i++) {
    vitem *it = &s->act[i];
    vloc at = lpv_vd_item(v, si, "Action", it);
    if (it->act >= 0) {
      const vaction *info;
      if (VD_BIT(wild, it->act)) {
        lpv_vd_report(v, "ACTION_NEEDS_STAR_RESOURCE", &at,
                      "give it a statement of its own with \"Resource\": \"*\"",
                      "%S applies to no resource type, so it only works with "
                      "\"Resource\": \"*\"", it->s, it->len);
        continue;
      }
      if (lpv_vd_off(v, "RESOURCE_MISMATCH")) continue;
      if (vc_action_fits(v, res, s->nres, it->act, memo, &nmemo, 32)) continue;
      info = lpv_vd_action(v, it->act);
      {
        luaL_Buffer b;
        int k, t, shown = 0;
        luaL_buffinit(L, &b);
        luaL_addstring(&b, "it needs ");
        for (k = 0; k < info->nrt && shown < 3; k++)
          for (t = 0; t < info->rt[k]->ntmpl && shown < 3; t++, shown++) {
            if (shown > 0) luaL_addstring(&b, " or ");
            luaL_addlstring(&b, info->rt[k]->t[t].text, info->rt[k]->t[t].len);
          }
        luaL_pushresult(&b);
        lpv_vd_report(v, "RESOURCE_MISMATCH", &at, lua_tostring(L, -1),
                      "%S applies to none of the statement's resources", it->s, it->len);
        lua_pop(L, 1);
      }
    } else if (it->act == VA_PATTERN && it->bits && !lpv_vd_off(v, "RESOURCE_MISMATCH")) {
      long n = (long)it->bhi * 8, k, seen = 0;
      int any = 0, scoped = 0;
      if (n > lpv_vd_nactions(v)) n = lpv_vd_nactions(v);
      for (k = (long)it->blo * 8; k < n && !any; k++) {
        if (it->bits[k >> 3] == 0) { k |= 7; continue; }
        if (!VD_BIT(it->bits, k) || VD_BIT(wild, k)) continue;
        scoped = 1;
        if (++seen > VC_MISMATCH_PATTERN_MAX) { any = 1; break; }
        any = vc_action_fits(v, res, s->nres, k, memo, &nmemo, 32);
      }
      if (scoped && !any)
        lpv_vd_report(v, "RESOURCE_MISMATCH", &at, NULL,
                      "no action that %S matches applies to the statement's resources",
                      it->s, it->len);
    }
  }
}

/* Does the service part sp (len) of an action or ARN fit the resource
** policy's service (equal but for case, or a wildcard that matches it)? */
static int vc_service_fits(const vd *v, const char *sp, size_t len) {
  return lpv_glob_match(sp, len, v->service, v->svclen, 1);
}

/* A resource policy of a known service: its actions and ARNs must be the
** service's own. */
static void vc_resource_policy(vd *v, int si) {
  vstmt *s = &v->st[si];
  int j;
  if (s->akind == VK_POS)
    for (j = 0; j < s->nact; j++) {
      const vitem *it = &s->act[j];
      const char *colon = memchr(it->s, ':', it->len);
      if (colon && !vc_service_fits(v, it->s, (size_t)(colon - it->s))) {
        vloc at = lpv_vd_item(v, si, "Action", it);
        lpv_vd_report(v, "UNSUPPORTED_ACTION_IN_POLICY", &at,
                      "grant it in the policy of a resource of that service",
                      "%S is not an action of %S, so this %S resource policy cannot grant it",
                      it->s, it->len, v->service, v->svclen, v->service, v->svclen);
      }
    }
  for (j = 0; j < s->nres; j++) {
    const vitem *it = &s->res[j];
    lpv_arn a;
    if (!lpv_vd_starts(it->s, it->len, "arn:") || lpv_vd_arn_split(it->s, it->len, &a) < 3 ||
        a.len[LPV_ARN_SERVICE] == 0 ||
        vc_service_fits(v, a.part[LPV_ARN_SERVICE], a.len[LPV_ARN_SERVICE]))
      continue;
    {
      vloc at = lpv_vd_item(v, si, s->rkind == VK_NOT ? "NotResource" : "Resource", it);
      lpv_vd_report(v, "UNSUPPORTED_RESOURCE_ARN_IN_POLICY", &at,
                    "name the resource the policy is attached to, or a part of it",
                    "%S is not a resource of %S: this %S resource policy only governs "
                    "its own resource", it->s, it->len, v->service, v->svclen,
                    v->service, v->svclen);
    }
  }
}

void lpv_vd_catalog(vd *v) {
  int i, j;
  for (i = 0; i < v->nstmt; i++) {
    vstmt *s = &v->st[i];
    const char *elem = s->akind == VK_NOT ? "NotAction" : "Action";
    if (!s->ok) continue;
    for (j = 0; j < s->nact; j++) {
      vitem *it = &s->act[j];
      vc_action(v, i, elem, it);
      if (v->type == VT_RCP && (it->act >= 0 || it->act == VA_PATTERN)) {
        const char *colon = memchr(it->s, ':', it->len);
        if (colon && !lpv_vd_has_wild(it->s, (size_t)(colon - it->s))) {
          const vservice *svc = lpv_vd_service(v, it->s, (size_t)(colon - it->s));
          if (svc->known && !svc->rcp) {
            vloc at = lpv_vd_item(v, i, elem, it);
            lpv_vd_report(v, "UNSUPPORTED_ACTION_IN_POLICY", &at, NULL,
                          "resource control policies do not apply to %S",
                          it->s, (size_t)(colon - it->s));
          }
        }
      }
    }
    if (v->type != VT_TRUST) vc_resource_fit(v, i);
    if (v->type == VT_RESOURCE && v->service) vc_resource_policy(v, i);
  }
  if (v->type == VT_IDENTITY || v->type == VT_BOUNDARY || v->type == VT_SESSION ||
      v->type == VT_RESOURCE)
    lpv_vd_required(v);
}
