/*
** catalog.c: the compiled-in AWS action catalog (tables in catalog_data.c,
** layout in catalog_data.h): action lookup and wildcard expansion, listings
** by service and access level, services, resource types and their ARN
** templates, condition keys.
**
** The tables are const, shared by every lua_State, and sorted with ASCII
** case folded: an action name is one probe of a hash of lower-case names,
** everything else a binary search, and a pattern only scans the actions
** that share its literal prefix (per service when it names a service).
** Each lua_State keeps, in its registry, the Lua strings of the action
** names it has listed, so lists are built without hashing or growth.
** Unknown names return nil and a message with the closest known names;
** wrong argument types raise.
*/
#include <string.h>

#include "leastpriv.h"
#include "catalog_data.h"
#include "catalog_internal.h"

#define POOL(off)     (lpv_cat_pool + (off))
#define KEY(a)        (POOL((a)->name) + (a)->name_len + 1)  /* lower-case name */
#define N_ACTIONS     lpv_cat_info.n_actions
#define N_SERVICES    lpv_cat_info.n_services
#define N_CKEYS       lpv_cat_info.n_ckeys

#define MAX_SUGGEST   3     /* names offered after "did you mean" */
#define EDIT_MAX      128   /* longest prefix compared by edit_distance */
#define MATCH_BUDGET  20000 /* steps per ARN template match */
#define MAX_ARN       4096  /* longest ARN resource_types_for_arn looks at */
#define LOW_MAX       256   /* names longer than this are in no table */

/* Access levels in report order (alphabetical, as the source combines
** them: "Permissions management, Write"). */
static const struct { const char *name; unsigned bit; } access_names[] = {
  {"List", LPV_CAT_LIST}, {"Permissions management", LPV_CAT_PERMISSIONS},
  {"Read", LPV_CAT_READ}, {"Tagging", LPV_CAT_TAGGING},
  {"Write", LPV_CAT_WRITE}
};
#define N_ACCESS (sizeof(access_names) / sizeof(access_names[0]))


/* ---- folded comparison ---- */

static int cat_fold(int c) { return c + (((unsigned)c - 'A' < 26U) << 5); }

/* Three-way comparison of a and b with ASCII case folded. */
static int fold_cmp(const char *a, size_t alen, const char *b, size_t blen) {
  size_t n = alen < blen ? alen : blen, i;
  for (i = 0; i < n; i++) {
    int d = cat_fold((unsigned char)a[i]) - cat_fold((unsigned char)b[i]);
    if (d) return d;
  }
  return (alen > blen) - (alen < blen);
}

/* The order of the service table: prefixes compared as if followed by ':'. */
static int service_cmp(const char *q, size_t qlen, const char *p, size_t plen) {
  size_t i;
  for (i = 0;; i++) {
    int a = i < qlen ? cat_fold((unsigned char)q[i]) : (i == qlen ? ':' : -1);
    int b = i < plen ? cat_fold((unsigned char)p[i]) : (i == plen ? ':' : -1);
    if (a != b) return a - b;
    if (a < 0) return 0;
  }
}

/* Three-way comparison of byte strings (the lower-case keys). */
static int key_cmp(const char *a, size_t alen, const char *b, size_t blen) {
  size_t n = alen < blen ? alen : blen, i;
  for (i = 0; i < n; i++) {
    if (a[i] != b[i]) return (unsigned char)a[i] - (unsigned char)b[i];
  }
  return (alen > blen) - (alen < blen);
}

/* s in lower case: in buf when it fits (LOW_MAX bytes), else in a new
** userdata pushed on the stack. */
static const char *lower_copy(lua_State *L, char *buf, const char *s, size_t len) {
  char *out = len <= LOW_MAX ? buf : (char *)lua_newuserdata(L, len);
  size_t i;
  for (i = 0; i < len; i++) out[i] = (char)cat_fold((unsigned char)s[i]);
  return out;
}

static int has_wild(const char *s, size_t len) {
  return memchr(s, '*', len) != NULL || memchr(s, '?', len) != NULL;
}

/* Length of the part of s before its first wildcard. */
static size_t literal_len(const char *s, size_t len) {
  size_t i = 0;
  while (i < len && s[i] != '*' && s[i] != '?') i++;
  return i;
}


/* ---- finding things ---- */

/* The service whose lower-case prefix is low (already folded), or -1. */
static long find_service_low(const char *low, size_t qlen) {
  uint32_t lo = 0, hi = N_SERVICES;
  while (lo < hi) {
    uint32_t m = lo + (hi - lo) / 2;
    const lpv_cat_service *sv = &lpv_cat_services[m];
    int c = service_cmp(low, qlen, POOL(sv->key), sv->prefix_len);
    if (c == 0) return (long)m;
    if (c < 0) hi = m; else lo = m + 1;
  }
  return -1;
}

static long find_service(const char *q, size_t qlen) {
  char low[LOW_MAX];
  size_t i;
  if (qlen > LOW_MAX) return -1;
  for (i = 0; i < qlen; i++) low[i] = (char)cat_fold((unsigned char)q[i]);
  return find_service_low(low, qlen);
}

/* The action named q (any case), or -1: one probe of the name hash. */
static long find_action(const char *q, size_t qlen) {
  char low[LOW_MAX];
  uint32_t h = 0x811c9dc5U, mask = lpv_cat_info.n_hash - 1;
  size_t i;
  if (qlen > LOW_MAX) return -1;
  for (i = 0; i < qlen; i++) {
    unsigned char c = (unsigned char)cat_fold((unsigned char)q[i]);
    low[i] = (char)c;
    h = (h ^ c) * 0x01000193U;
  }
  for (h &= mask;; h = (h + 1) & mask) {
    uint32_t slot = lpv_cat_action_hash[h];
    const lpv_cat_action *a;
    if (slot == 0) return -1;
    a = &lpv_cat_actions[slot - 1];
    if (a->name_len == qlen && memcmp(KEY(a), low, qlen) == 0) return (long)slot - 1;
  }
}

static long find_rtype(uint32_t service, const char *q, size_t qlen) {
  const lpv_cat_service *s = &lpv_cat_services[service];
  uint32_t lo = s->first_rtype, hi = s->first_rtype + s->n_rtypes;
  while (lo < hi) {
    uint32_t m = lo + (hi - lo) / 2;
    const char *n = POOL(lpv_cat_rtypes[m].name);
    int c = fold_cmp(q, qlen, n, strlen(n));
    if (c == 0) return (long)m;
    if (c < 0) hi = m; else lo = m + 1;
  }
  return -1;
}

/* First entry of the run of condition keys named q (exactly), or -1;
** *end gets the end of the run. */
static long find_ckey_exact(const char *q, size_t qlen, uint32_t *end) {
  uint32_t lo = 0, hi = N_CKEYS, e;
  while (lo < hi) {
    uint32_t m = lo + (hi - lo) / 2;
    const char *n = POOL(lpv_cat_ckeys[m].name);
    if (fold_cmp(n, strlen(n), q, qlen) < 0) lo = m + 1;
    else hi = m;
  }
  if (lo >= N_CKEYS) return -1;
  e = lo;
  while (e < N_CKEYS) {
    const char *n = POOL(lpv_cat_ckeys[e].name);
    if (fold_cmp(n, strlen(n), q, qlen) != 0) break;
    e++;
  }
  if (e == lo) return -1;
  *end = e;
  return (long)lo;
}

/* The run of condition keys that q names: exactly, else through the most
** specific tag-key style template ("aws:ResourceTag/${TagKey}"). */
static long find_ckey(const char *q, size_t qlen, uint32_t *end) {
  long best = -1;
  size_t best_len = 0;
  uint32_t i;
  long at = find_ckey_exact(q, qlen, end);
  if (at >= 0) return at;
  for (i = 0; i < lpv_cat_info.n_templates; i++) {
    const lpv_cat_ckey *k = &lpv_cat_ckeys[lpv_cat_ckey_templates[i]];
    const char *pat = POOL(k->pattern);
    size_t plen = strlen(pat);
    if (plen > best_len && lpv_glob_match(pat, plen, q, qlen, 1)) {
      best = lpv_cat_ckey_templates[i];
      best_len = plen;
    }
  }
  if (best < 0) return -1;
  {
    const char *n = POOL(lpv_cat_ckeys[best].name);
    return find_ckey_exact(n, strlen(n), end);
  }
}

/* Action part of action i (after "service:"). */
static const char *action_part(uint32_t i, size_t *len) {
  const lpv_cat_action *a = &lpv_cat_actions[i];
  size_t skip = (size_t)lpv_cat_services[a->service].prefix_len + 1;
  *len = a->name_len - skip;
  return POOL(a->name) + skip;
}


/* ---- "did you mean" ---- */

/* Levenshtein distance with ASCII case folded, over the first EDIT_MAX
** bytes of each string. */
static unsigned edit_distance(const char *a, size_t alen, const char *b,
                              size_t blen) {
  unsigned row[EDIT_MAX + 1];
  size_t i, j;
  if (alen > EDIT_MAX) alen = EDIT_MAX;
  if (blen > EDIT_MAX) blen = EDIT_MAX;
  for (j = 0; j <= blen; j++) row[j] = (unsigned)j;
  for (i = 1; i <= alen; i++) {
    unsigned diag = row[0], up;
    row[0] = (unsigned)i;
    for (j = 1; j <= blen; j++) {
      unsigned best;
      up = row[j];
      best = diag + (cat_fold((unsigned char)a[i - 1]) !=
                     cat_fold((unsigned char)b[j - 1]));
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[blen];
}

/* Collects the closest candidates to a query: those at the smallest edit
** distance within a threshold, else the shortest ones the query starts. */
typedef struct suggest {
  const char *q;
  size_t qlen;
  unsigned limit, best;
  size_t prefix_len;           /* shortest candidate extending q */
  int n;
  const char *name[MAX_SUGGEST];
  size_t len[MAX_SUGGEST];
  const char *ext;             /* that candidate */
  size_t ext_len;
} suggest;

static void suggest_init(suggest *s, const char *q, size_t qlen) {
  unsigned lim = (unsigned)(qlen / 3);
  s->q = q;
  s->qlen = qlen;
  s->limit = lim < 1 ? 1 : (lim > 4 ? 4 : lim);
  s->best = s->limit + 1;
  s->n = 0;
  s->ext = NULL;
  s->ext_len = 0;
  s->prefix_len = 0;
}

/* Offer candidate c (compared as cmp, reported as name). */
static void suggest_add(suggest *s, const char *cmp, size_t clen,
                        const char *name, size_t nlen) {
  unsigned d;
  if (clen > s->qlen && fold_cmp(cmp, s->qlen, s->q, s->qlen) == 0 &&
      (s->ext == NULL || clen < s->prefix_len)) {
    s->ext = name;
    s->ext_len = nlen;
    s->prefix_len = clen;
  }
  if (clen > s->qlen + s->limit || s->qlen > clen + s->limit) return;
  d = edit_distance(s->q, s->qlen, cmp, clen);
  if (d > s->limit || d > s->best) return;
  if (d < s->best) { s->best = d; s->n = 0; }
  if (s->n < MAX_SUGGEST) {
    s->name[s->n] = name;
    s->len[s->n] = nlen;
    s->n++;
  }
}

static int suggest_any(const suggest *s) { return s->n > 0 || s->ext != NULL; }

/* Append " (did you mean a, b or c?)" when there is something to offer. */
static void suggest_put(luaL_Buffer *b, const suggest *s) {
  int i;
  if (!suggest_any(s)) return;
  luaL_addstring(b, " (did you mean ");
  if (s->n == 0) {
    luaL_addlstring(b, s->ext, s->ext_len);
  } else {
    for (i = 0; i < s->n; i++) {
      if (i > 0) luaL_addstring(b, i == s->n - 1 ? " or " : ", ");
      luaL_addlstring(b, s->name[i], s->len[i]);
    }
  }
  luaL_addstring(b, "?)");
}

/* Push nil and `unknown WHAT "q"` with suggestions; returns 2. */
static int push_unknown(lua_State *L, const char *what, const char *q,
                        size_t qlen, const suggest *s) {
  luaL_Buffer b;
  lua_pushnil(L);
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "unknown ");
  luaL_addstring(&b, what);
  luaL_addstring(&b, " \"");
  luaL_addlstring(&b, q, qlen);
  luaL_addchar(&b, '"');
  suggest_put(&b, s);
  luaL_pushresult(&b);
  return 2;
}

static void suggest_services(suggest *s) {
  uint32_t i;
  for (i = 0; i < N_SERVICES; i++) {
    const char *p = POOL(lpv_cat_services[i].prefix);
    size_t n = strlen(p);
    suggest_add(s, p, n, p, n);
  }
}

static int unknown_service(lua_State *L, const char *q, size_t qlen) {
  suggest s;
  suggest_init(&s, q, qlen);
  suggest_services(&s);
  return push_unknown(L, "service", q, qlen, &s);
}

/* Look up the service named by argument arg: its index, or -1 after
** pushing nil and a message. */
static long check_service(lua_State *L, int arg) {
  size_t len;
  const char *q = luaL_checklstring(L, arg, &len);
  long s = find_service(q, len);
  if (s < 0) unknown_service(L, q, len);
  return s;
}

/* nil, message for an action name that is not in the catalog. */
static int unknown_action(lua_State *L, const char *q, size_t qlen) {
  suggest s;
  const char *colon = memchr(q, ':', qlen);
  luaL_Buffer b;
  if (has_wild(q, qlen)) {
    lua_pushnil(L);
    lua_pushfstring(L, "\"%s\" is a pattern, not an action name "
                       "(expand it with actions.expand)", q);
    return 2;
  }
  if (colon == NULL) {
    /* a bare action name: offer the services that have it */
    uint32_t i;
    int n = 0;
    lua_pushnil(L);
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "invalid action name \"");
    luaL_addlstring(&b, q, qlen);
    luaL_addstring(&b, "\" (expected service:Action");
    for (i = 0; i < N_ACTIONS && n < MAX_SUGGEST * 2; i++) {
      size_t alen;
      const char *ap = action_part(i, &alen);
      if (fold_cmp(ap, alen, q, qlen) != 0) continue;
      luaL_addstring(&b, n++ == 0 ? "; did you mean " : " or ");
      luaL_addlstring(&b, POOL(lpv_cat_actions[i].name), lpv_cat_actions[i].name_len);
    }
    luaL_addstring(&b, n > 0 ? "?)" : ")");
    luaL_pushresult(&b);
    return 2;
  }
  {
    size_t slen = (size_t)(colon - q), alen = qlen - slen - 1;
    long svc = find_service(q, slen);
    uint32_t i;
    suggest_init(&s, q, qlen);
    if (svc >= 0) {
      const lpv_cat_service *sv = &lpv_cat_services[svc];
      for (i = sv->first_action; i < sv->first_action + sv->n_actions; i++) {
        suggest_add(&s, POOL(lpv_cat_actions[i].name), lpv_cat_actions[i].name_len,
                    POOL(lpv_cat_actions[i].name), lpv_cat_actions[i].name_len);
      }
      return push_unknown(L, "action", q, qlen, &s);
    }
    /* unknown service: the same action in a close service, else the service */
    suggest_init(&s, q, slen);
    suggest_services(&s);
    lua_pushnil(L);
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "unknown service \"");
    luaL_addlstring(&b, q, slen);
    luaL_addstring(&b, "\" in action \"");
    luaL_addlstring(&b, q, qlen);
    luaL_addchar(&b, '"');
    if (s.n > 0) {
      int k, found = 0;
      luaL_addstring(&b, " (did you mean ");
      for (k = 0; k < s.n && !found; k++) {
        char tmp[EDIT_MAX * 2 + 2];
        long a;
        if (s.len[k] + 1 + alen >= sizeof tmp) continue;
        memcpy(tmp, s.name[k], s.len[k]);
        tmp[s.len[k]] = ':';
        memcpy(tmp + s.len[k] + 1, colon + 1, alen);
        a = find_action(tmp, s.len[k] + 1 + alen);
        if (a >= 0) {
          luaL_addlstring(&b, POOL(lpv_cat_actions[a].name), lpv_cat_actions[a].name_len);
          found = 1;
        }
      }
      if (!found) luaL_addlstring(&b, s.name[0], s.len[0]);
      luaL_addstring(&b, "?)");
    } else if (s.ext != NULL) {
      luaL_addstring(&b, " (did you mean ");
      luaL_addlstring(&b, s.ext, s.ext_len);
      luaL_addstring(&b, "?)");
    }
    luaL_pushresult(&b);
    return 2;
  }
}


/* ---- small builders ---- */

/* Push a new table marked as a JSON array (so an empty list stays a list). */
static void new_list(lua_State *L, int n) {
  lua_createtable(L, n, 0);
  luaL_setmetatable(L, LPV_ARRAY_MT);
}

static void set_string(lua_State *L, const char *field, uint32_t off) {
  lua_pushstring(L, POOL(off));
  lua_setfield(L, -2, field);
}

static void set_integer(lua_State *L, const char *field, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, field);
}

static void set_boolean(lua_State *L, const char *field, int v) {
  lua_pushboolean(L, v);
  lua_setfield(L, -2, field);
}

/* Push a list of the names of n condition key references at refs. */
static void push_ckey_names(lua_State *L, uint32_t refs, uint32_t n) {
  uint32_t i;
  new_list(L, (int)n);
  for (i = 0; i < n; i++) {
    lua_pushstring(L, POOL(lpv_cat_ckeys[lpv_cat_refs[refs + i]].name));
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

static int ref_listed(uint32_t refs, uint32_t n, uint16_t r) {
  uint32_t i;
  for (i = 0; i < n; i++) {
    if (lpv_cat_refs[refs + i] == r) return 1;
  }
  return 0;
}

/* The keys that apply to resource type e of an action: the action's row
** for it, then the resource type's own (the Service Authorization
** Reference lists keys on each resource type, and they apply to every
** action on that type), each once. */
static void push_action_rtype_keys(lua_State *L, const lpv_cat_action_rtype *e) {
  const lpv_cat_rtype *r = &lpv_cat_rtypes[e->rtype];
  uint32_t i;
  int n = (int)e->n_ckeys;
  push_ckey_names(L, e->ckeys, e->n_ckeys);
  for (i = 0; i < r->n_ckeys; i++) {
    uint16_t ref = lpv_cat_refs[r->ckeys + i];
    if (ref_listed(e->ckeys, e->n_ckeys, ref)) continue;
    lua_pushstring(L, POOL(lpv_cat_ckeys[ref].name));
    lua_rawseti(L, -2, ++n);
  }
}

/* Set aws_owned (the reason) when AWS owns some instances of t. */
static void push_aws_owned(lua_State *L, const lpv_cat_rtype *t) {
  const lpv_cat_service *sv = &lpv_cat_services[t->service];
  const char *name = POOL(t->name);
  const char *why = lpv_catalog_aws_owned(POOL(sv->prefix), sv->prefix_len, name, strlen(name));
  if (!why) return;
  lua_pushstring(L, why);
  lua_setfield(L, -2, "aws_owned");
}

static void push_strrefs(lua_State *L, uint32_t at, uint32_t n) {
  uint32_t i;
  new_list(L, (int)n);
  for (i = 0; i < n; i++) {
    lua_pushstring(L, POOL(lpv_cat_strrefs[at + i]));
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

static void push_access_list(lua_State *L, unsigned mask) {
  size_t i;
  int n = 0;
  new_list(L, 2);
  for (i = 0; i < N_ACCESS; i++) {
    if (mask & access_names[i].bit) {
      lua_pushstring(L, access_names[i].name);
      lua_rawseti(L, -2, ++n);
    }
  }
}

static void push_access_set(lua_State *L, unsigned mask) {
  size_t i;
  lua_createtable(L, 0, 2);
  for (i = 0; i < N_ACCESS; i++) {
    if (mask & access_names[i].bit) {
      lua_pushboolean(L, 1);
      lua_setfield(L, -2, access_names[i].name);
    }
  }
}

/* "Tagging, Write": the access levels as the source spells them. */
static void push_access_string(lua_State *L, unsigned mask) {
  luaL_Buffer b;
  size_t i;
  int first = 1;
  luaL_buffinit(L, &b);
  for (i = 0; i < N_ACCESS; i++) {
    if (mask & access_names[i].bit) {
      if (!first) luaL_addstring(&b, ", ");
      luaL_addstring(&b, access_names[i].name);
      first = 0;
    }
  }
  luaL_pushresult(&b);
}

/* Iterate the ", "-separated alternatives of an ARN template list. */
static int next_arn(const char **cur, const char **s, size_t *len) {
  const char *p = *cur, *sep;
  if (*p == '\0') return 0;
  sep = strstr(p, ", ");
  *s = p;
  if (sep == NULL) {
    *len = strlen(p);
    *cur = p + *len;
  } else {
    *len = (size_t)(sep - p);
    *cur = sep + 2;
  }
  return 1;
}

static void push_arn_list(lua_State *L, uint32_t arn) {
  const char *cur = POOL(arn), *s;
  size_t len;
  int n = 0;
  new_list(L, 1);
  while (next_arn(&cur, &s, &len)) {
    lua_pushlstring(L, s, len);
    lua_rawseti(L, -2, ++n);
  }
}

static void push_first_arn(lua_State *L, uint32_t arn) {
  const char *cur = POOL(arn), *s;
  size_t len;
  if (next_arn(&cur, &s, &len)) lua_pushlstring(L, s, len);
  else lua_pushliteral(L, "");
}

/* Length of the placeholder ("${Name}" or "{Name}") at t, or 0; *name and
** *nlen get its name. */
static size_t placeholder_at(const char *t, size_t tlen, const char **name,
                             size_t *nlen) {
  size_t open = 0, i;
  if (tlen >= 3 && t[0] == '$' && t[1] == '{') open = 2;
  else if (tlen >= 2 && t[0] == '{') open = 1;
  else return 0;
  for (i = open; i < tlen && t[i] != '}'; i++) {
    if (t[i] == '{' || t[i] == '$' || t[i] == ':') return 0;
  }
  if (i >= tlen || i == open) return 0;
  *name = t + open;
  *nlen = i - open;
  return i + 1;
}

/* Push the list of distinct placeholder names of ARN template list arn. */
static void push_arn_variables(lua_State *L, uint32_t arn) {
  const char *p = POOL(arn);
  size_t len = strlen(p), i = 0;
  int n = 0;
  new_list(L, 4);
  lua_createtable(L, 0, 4);                 /* seen */
  while (i < len) {
    const char *name;
    size_t nlen, ph = placeholder_at(p + i, len - i, &name, &nlen);
    if (ph == 0) { i++; continue; }
    lua_pushlstring(L, name, nlen);
    if (lua_rawget(L, -2) == LUA_TNIL) {
      lua_pushlstring(L, name, nlen);
      lua_pushboolean(L, 1);
      lua_rawset(L, -4);
      lua_pushlstring(L, name, nlen);
      lua_rawseti(L, -4, ++n);
    }
    lua_pop(L, 1);
    i += ph;
  }
  lua_pop(L, 1);
}


/* ---- records ---- */

/* Push the canonical record of action i. */
static void push_action(lua_State *L, uint32_t i) {
  const lpv_cat_action *a = &lpv_cat_actions[i];
  size_t alen;
  const char *ap = action_part(i, &alen);
  uint32_t k, j;
  lua_createtable(L, 0, 14);
  lua_pushlstring(L, POOL(a->name), a->name_len);
  lua_setfield(L, -2, "name");
  set_string(L, "service", lpv_cat_services[a->service].prefix);
  lua_pushlstring(L, ap, alen);
  lua_setfield(L, -2, "action");
  if (a->flags & LPV_CAT_STD_DESC) {
    lua_pushfstring(L, "%s%s", LPV_CAT_DESC_PREFIX, POOL(a->description));
  } else {
    lua_pushstring(L, POOL(a->description));
  }
  lua_setfield(L, -2, "description");
  push_access_string(L, a->access);
  lua_setfield(L, -2, "access_level");
  push_access_list(L, a->access);
  lua_setfield(L, -2, "access_levels");
  push_access_set(L, a->access);
  lua_setfield(L, -2, "access");
  set_boolean(L, "wildcard_only", a->n_rtypes == 0);

  new_list(L, a->n_rtypes);
  for (k = 0; k < a->n_rtypes; k++) {
    const lpv_cat_action_rtype *e = &lpv_cat_action_rtypes[a->rtypes + k];
    const lpv_cat_rtype *r = &lpv_cat_rtypes[e->rtype];
    lua_createtable(L, 0, 6);
    set_string(L, "name", r->name);
    set_boolean(L, "required", e->required);
    push_first_arn(L, r->arn);
    lua_setfield(L, -2, "arn");
    push_arn_list(L, r->arn);
    lua_setfield(L, -2, "arns");
    push_action_rtype_keys(L, e);
    lua_setfield(L, -2, "condition_keys");
    push_aws_owned(L, r);
    push_strrefs(L, e->deps, e->n_deps);
    lua_setfield(L, -2, "dependent_actions");
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  lua_setfield(L, -2, "resource_types");

  push_ckey_names(L, a->ckeys, a->n_ckeys);
  lua_setfield(L, -2, "condition_keys");
  lua_createtable(L, 0, a->n_ckeys);
  for (k = 0; k < a->n_ckeys; k++) {
    const lpv_cat_ckey *c = &lpv_cat_ckeys[lpv_cat_refs[a->ckeys + k]];
    lua_pushstring(L, POOL(c->type));
    lua_setfield(L, -2, POOL(c->name));
  }
  for (k = 0; k < a->n_rtypes; k++) {   /* keys of its resource types too */
    const lpv_cat_action_rtype *e = &lpv_cat_action_rtypes[a->rtypes + k];
    const lpv_cat_rtype *r = &lpv_cat_rtypes[e->rtype];
    for (j = 0; j < e->n_ckeys; j++) {
      const lpv_cat_ckey *c = &lpv_cat_ckeys[lpv_cat_refs[e->ckeys + j]];
      lua_pushstring(L, POOL(c->type));
      lua_setfield(L, -2, POOL(c->name));
    }
    for (j = 0; j < r->n_ckeys; j++) {
      const lpv_cat_ckey *c = &lpv_cat_ckeys[lpv_cat_refs[r->ckeys + j]];
      lua_pushstring(L, POOL(c->type));
      lua_setfield(L, -2, POOL(c->name));
    }
  }
  lua_setfield(L, -2, "condition_key_types");
  push_strrefs(L, a->deps, a->n_deps);
  lua_setfield(L, -2, "dependent_actions");

  for (k = 0; k < lpv_cat_info.n_scenarios; k++) {
    if (lpv_cat_scenarios[k].action == i) break;
  }
  if (k < lpv_cat_info.n_scenarios) {
    int n = 0;
    new_list(L, 2);
    for (; k < lpv_cat_info.n_scenarios && lpv_cat_scenarios[k].action == i; k++) {
      const lpv_cat_scenario *sc = &lpv_cat_scenarios[k];
      lua_createtable(L, 0, 2);
      set_string(L, "name", sc->name);
      new_list(L, sc->n_rtypes);
      for (j = 0; j < sc->n_rtypes; j++) {
        const lpv_cat_scenario_rtype *e = &lpv_cat_scenario_rtypes[sc->rtypes + j];
        lua_createtable(L, 0, 2);
        set_string(L, "name", lpv_cat_rtypes[e->rtype].name);
        set_boolean(L, "required", e->required);
        lua_rawseti(L, -2, (lua_Integer)j + 1);
      }
      lua_setfield(L, -2, "resource_types");
      lua_rawseti(L, -2, ++n);
    }
    lua_setfield(L, -2, "scenarios");
  }
}

static void push_rtype(lua_State *L, uint32_t r) {
  const lpv_cat_rtype *t = &lpv_cat_rtypes[r];
  lua_createtable(L, 0, 6);
  set_string(L, "service", lpv_cat_services[t->service].prefix);
  set_string(L, "name", t->name);
  push_first_arn(L, t->arn);
  lua_setfield(L, -2, "arn");
  push_arn_list(L, t->arn);
  lua_setfield(L, -2, "arns");
  push_arn_variables(L, t->arn);
  lua_setfield(L, -2, "variables");
  push_ckey_names(L, t->ckeys, t->n_ckeys);
  lua_setfield(L, -2, "condition_keys");
  push_aws_owned(L, t);
}

static int refs_in(uint32_t refs, uint32_t n, uint32_t lo, uint32_t hi) {
  uint32_t i;
  for (i = 0; i < n; i++) {
    uint32_t r = lpv_cat_refs[refs + i];
    if (r >= lo && r < hi) return 1;
  }
  return 0;
}

/* Push the record of the condition keys run [lo, hi). */
static void push_ckey(lua_State *L, uint32_t lo, uint32_t hi) {
  const lpv_cat_ckey *k = &lpv_cat_ckeys[lo];
  uint32_t i, j;
  int n;
  lua_createtable(L, 0, 10);
  set_string(L, "name", k->name);
  set_string(L, "type", k->type);
  set_boolean(L, "global", k->service == LPV_CAT_GLOBAL);
  set_boolean(L, "template", k->pattern != 0);
  if (k->service == LPV_CAT_GLOBAL) set_string(L, "category", k->category);
  for (i = lo; i < hi && lpv_cat_ckeys[i].description == 0; i++) {}
  set_string(L, "description", i < hi ? lpv_cat_ckeys[i].description : 0);

  new_list(L, 1);                   /* distinct types */
  n = 0;
  for (i = lo; i < hi; i++) {
    for (j = lo; j < i && lpv_cat_ckeys[j].type != lpv_cat_ckeys[i].type; j++) {}
    if (j == i) {
      lua_pushstring(L, POOL(lpv_cat_ckeys[i].type));
      lua_rawseti(L, -2, ++n);
    }
  }
  lua_setfield(L, -2, "types");

  new_list(L, 0);                   /* declaring services */
  n = 0;
  for (i = lo; i < hi; i++) {
    if (lpv_cat_ckeys[i].service == LPV_CAT_GLOBAL) continue;
    lua_pushstring(L, POOL(lpv_cat_services[lpv_cat_ckeys[i].service].prefix));
    lua_rawseti(L, -2, ++n);
  }
  lua_setfield(L, -2, "services");

  new_list(L, 0);                   /* actions that honour it */
  n = 0;
  for (i = 0; i < N_ACTIONS; i++) {
    const lpv_cat_action *a = &lpv_cat_actions[i];
    int hit = refs_in(a->ckeys, a->n_ckeys, lo, hi);
    for (j = 0; !hit && j < a->n_rtypes; j++) {
      const lpv_cat_action_rtype *e = &lpv_cat_action_rtypes[a->rtypes + j];
      const lpv_cat_rtype *r = &lpv_cat_rtypes[e->rtype];
      hit = refs_in(e->ckeys, e->n_ckeys, lo, hi) || refs_in(r->ckeys, r->n_ckeys, lo, hi);
    }
    if (hit) {
      lua_pushlstring(L, POOL(a->name), a->name_len);
      lua_rawseti(L, -2, ++n);
    }
  }
  lua_setfield(L, -2, "actions");

  new_list(L, 0);                   /* resource types that carry it */
  n = 0;
  for (i = 0; i < lpv_cat_info.n_rtypes; i++) {
    const lpv_cat_rtype *t = &lpv_cat_rtypes[i];
    if (!refs_in(t->ckeys, t->n_ckeys, lo, hi)) continue;
    lua_createtable(L, 0, 2);
    set_string(L, "service", lpv_cat_services[t->service].prefix);
    set_string(L, "name", t->name);
    lua_rawseti(L, -2, ++n);
  }
  lua_setfield(L, -2, "resource_types");
}


/* ---- lists of action names ---- */

/* Registry keys of this state's name cache (a table with one slot per
** action, filled on first use, so that listing an action again costs no
** hashing or allocation) and of its list maker (a Lua function
** `return {...}`: one SETLIST fills a whole list). */
static const char names_key = 'n';
static const char packer_key = 'p';

#define SMALL_LIST 16   /* lists up to this long are filled item by item */

/* Start a list: push the name cache and an empty spill slot; returns the
** cache's index.  Items pushed after them become the list. */
static int list_begin(lua_State *L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &names_key) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_createtable(L, (int)N_ACTIONS, 0);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &names_key);
  }
  lua_pushnil(L);                           /* the spill table, when needed */
  return lua_gettop(L) - 1;
}

/* Move the items on the stack above the spill slot into the spill table
** (created on first use); n counts every item of the list so far. */
static void list_spill(lua_State *L, int names, int n) {
  int k = lua_gettop(L) - (names + 1);
  if (lua_isnil(L, names + 1)) {
    lua_createtable(L, n, 0);
    lua_replace(L, names + 1);
  }
  for (; k > 0; k--, n--) lua_rawseti(L, names + 1, n);
}

/* Push the name of action i as item n + 1 of the list begun at names.  When
** the stack cannot grow (Lua 5.1 and LuaJIT cap a C function's stack), the
** items so far go to the spill table. */
static void list_add(lua_State *L, int names, uint32_t i, int *n) {
  if ((*n & 255) == 0 && !lua_checkstack(L, 256 + LUA_MINSTACK)) {
    list_spill(L, names, *n);
    luaL_checkstack(L, 256 + LUA_MINSTACK, "too many actions");
  }
  if (lua_rawgeti(L, names, (lua_Integer)i + 1) != LUA_TSTRING) {
    const lpv_cat_action *a = &lpv_cat_actions[i];
    lua_pop(L, 1);
    lua_pushlstring(L, POOL(a->name), a->name_len);
    lua_pushvalue(L, -1);
    lua_rawseti(L, names, (lua_Integer)i + 1);
  }
  (*n)++;
}

/* Turn the n items of the list begun at names into a list, which replaces
** the cache, the spill slot and the items on the stack. */
static void list_end(lua_State *L, int names, int n) {
  if (!lua_isnil(L, names + 1)) {
    list_spill(L, names, n);                /* the spill table is the list */
  } else if (n <= SMALL_LIST) {
    lua_createtable(L, n, 0);
    lua_rotate(L, names + 2, 1);            /* the table below the items */
    for (; n > 0; n--) lua_rawseti(L, names + 2, n);
  } else {
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &packer_key) != LUA_TFUNCTION) {
      lua_pop(L, 1);
      if (luaL_loadstring(L, "return {...}") != LUA_OK) lua_error(L);
      lua_pushvalue(L, -1);
      lua_rawsetp(L, LUA_REGISTRYINDEX, &packer_key);
    }
    lua_rotate(L, names + 2, 1);            /* the list maker below them */
    lua_call(L, n, 1);
  }
  lua_replace(L, names);                    /* the list where the cache was */
  lua_settop(L, names);
  luaL_setmetatable(L, LPV_ARRAY_MT);
}


/* ---- expansion ---- */

/* Where matches go: the list being built on the stack, or a bit set of
** action indexes (several patterns). */
typedef struct expand_out {
  lua_State *L;
  int names;           /* stack index of the name cache */
  int n;               /* items pushed */
  unsigned char *bits; /* when not NULL, mark instead of push */
  const char *filtered; /* the rest that suffix and needle were taken from */
  const char *suffix;  /* literal end every match has (after the last '*') */
  size_t suffix_len;
  const char *needle;  /* longest literal run every match contains */
  size_t needle_len;
  int exact;           /* suffix and needle decide alone: no '?', one run */
} expand_out;

/* Does s contain needle?  (Names are short: plain loops beat libc calls.) */
static int contains(const char *s, size_t slen, const char *needle, size_t nlen) {
  size_t i, j;
  if (nlen == 0) return 1;
  for (i = 0; i + nlen <= slen; i++) {
    if (s[i] != needle[0]) continue;
    for (j = 1; j < nlen && s[i + j] == needle[j]; j++) {}
    if (j == nlen) return 1;
  }
  return 0;
}

/* Cheap necessary conditions for matching rest, taken from its literal
** runs: the end it must have, a run it must contain.  lpv_glob_match
** stays the judge; these only skip names it would refuse. */
static void expand_filters(expand_out *o, const char *rest, size_t rlen) {
  size_t i = 0, last_wild = 0;
  int any_wild = 0, runs = 0;
  o->filtered = rest;
  o->suffix = NULL;
  o->suffix_len = 0;
  o->needle = NULL;
  o->needle_len = 0;
  while (i < rlen) {
    size_t j = i;
    while (j < rlen && rest[j] != '*' && rest[j] != '?') j++;
    if (j > i) runs++;
    if (j - i > o->needle_len) { o->needle = rest + i; o->needle_len = j - i; }
    if (j < rlen) { any_wild = 1; last_wild = j; }
    i = j + 1;
  }
  /* rest starts with a wildcard (its literal prefix went to the range):
  ** with one run and no '?', "*run*" is containment and "*run" an end */
  o->exact = runs <= 1 && memchr(rest, '?', rlen) == NULL;
  if (any_wild && rest[last_wild] == '*' && last_wild + 1 < rlen) {
    o->suffix = rest + last_wild + 1;
    o->suffix_len = rlen - last_wild - 1;
  }
}

static void expand_hit(expand_out *o, uint32_t i) {
  if (o->bits != NULL) o->bits[i >> 3] |= (unsigned char)(1U << (i & 7));
  else list_add(o->L, o->names, i, &o->n);
}

/* Range [lo, hi) of the actions in [first, first + count) whose keys,
** from byte skip on, start with lit (lower case). */
static void prefix_range(uint32_t first, uint32_t count, size_t skip,
                         const char *lit, size_t llen, uint32_t *lo,
                         uint32_t *hi) {
  uint32_t a = first, b = first + count;
  while (a < b) {
    uint32_t m = a + (b - a) / 2;
    const lpv_cat_action *x = &lpv_cat_actions[m];
    if (key_cmp(KEY(x) + skip, x->name_len - skip, lit, llen) < 0) a = m + 1;
    else b = m;
  }
  *lo = a;
  b = first + count;
  while (a < b) {
    uint32_t m = a + (b - a) / 2;
    const lpv_cat_action *x = &lpv_cat_actions[m];
    size_t n = x->name_len - skip;
    if (n > llen) n = llen;
    if (key_cmp(KEY(x) + skip, n, lit, llen) <= 0) a = m + 1;
    else b = m;
  }
  *hi = a;
}

/* Report the actions in [lo, hi) whose keys from byte skip on match
** rest (lower case; empty rest: nothing may follow). */
static void expand_range(expand_out *o, uint32_t lo, uint32_t hi, size_t skip,
                         const char *rest, size_t rlen) {
  uint32_t i;
  if (rlen == 1 && rest[0] == '*') {
    for (i = lo; i < hi; i++) expand_hit(o, i);
    return;
  }
  if (rlen == 0) {
    for (i = lo; i < hi; i++)
      if (lpv_cat_actions[i].name_len == skip) expand_hit(o, i);
    return;
  }
  if (rest != o->filtered) expand_filters(o, rest, rlen);
  for (i = lo; i < hi; i++) {
    const lpv_cat_action *a = &lpv_cat_actions[i];
    const char *key = KEY(a) + skip;
    size_t slen = a->name_len - skip;
    if (o->suffix_len > 0) {
      size_t k;
      if (slen < o->suffix_len) continue;
      for (k = 0; k < o->suffix_len && key[slen - o->suffix_len + k] == o->suffix[k]; k++) {}
      if (k < o->suffix_len) continue;
    }
    if (!contains(key, slen, o->needle, o->needle_len)) continue;
    if (o->exact || lpv_glob_match(rest, rlen, key, slen, 0)) expand_hit(o, i);
  }
}

static void expand_service(expand_out *o, uint32_t s, const char *ap, size_t alen) {
  const lpv_cat_service *sv = &lpv_cat_services[s];
  size_t skip = (size_t)sv->prefix_len + 1, llen = literal_len(ap, alen);
  uint32_t lo, hi;
  prefix_range(sv->first_action, sv->n_actions, skip, ap, llen, &lo, &hi);
  expand_range(o, lo, hi, skip + llen, ap + llen, alen - llen);
}

/* Report every action that pattern p (in lower case) matches, in table
** order.  With one literal ':' the service part picks services and the
** action part is searched within each; otherwise the whole name is
** matched. */
static void expand_pattern(expand_out *o, const char *p, size_t plen) {
  const char *colon = memchr(p, ':', plen);
  o->filtered = NULL;
  if (colon == NULL) {
    size_t llen = literal_len(p, plen);
    uint32_t lo, hi;
    prefix_range(0, N_ACTIONS, 0, p, llen, &lo, &hi);
    expand_range(o, lo, hi, llen, p + llen, plen - llen);
  } else {
    size_t slen = (size_t)(colon - p);
    const char *ap = colon + 1;
    size_t alen = plen - slen - 1;
    if (memchr(ap, ':', alen) != NULL) return;    /* names hold one ':' */
    if (!has_wild(p, slen)) {
      long s = find_service_low(p, slen);
      if (s >= 0) expand_service(o, (uint32_t)s, ap, alen);
    } else {
      uint32_t s;
      for (s = 0; s < N_SERVICES; s++) {
        const lpv_cat_service *sv = &lpv_cat_services[s];
        if (lpv_glob_match(p, slen, POOL(sv->key), sv->prefix_len, 0))
          expand_service(o, s, ap, alen);
      }
    }
  }
}

/* catalog_expand(pattern | {pattern...}) -> sorted list of action names */
static int l_expand(lua_State *L) {
  expand_out o;
  char buf[LOW_MAX];
  o.L = L;
  o.n = 0;
  o.bits = NULL;
  o.filtered = NULL;
  if (lua_type(L, 1) == LUA_TSTRING) {
    size_t plen;
    const char *p = lua_tolstring(L, 1, &plen);
    lua_settop(L, 1);
    if (!has_wild(p, plen)) {             /* a plain name: one lookup */
      long i = find_action(p, plen);
      o.names = list_begin(L);
      if (i >= 0) list_add(L, o.names, (uint32_t)i, &o.n);
    } else {
      p = lower_copy(L, buf, p, plen);
      o.names = list_begin(L);
      expand_pattern(&o, p, plen);
    }
    list_end(L, o.names, o.n);
    return 1;
  }
  if (lua_type(L, 1) != LUA_TTABLE) return luaL_typeerror(L, 1, "string or table");
  {
    lua_Integer i, n = (lua_Integer)lua_rawlen(L, 1);
    size_t nbytes = (N_ACTIONS + 7) / 8;
    uint32_t k;
    lua_settop(L, 1);
    o.bits = (unsigned char *)lua_newuserdata(L, nbytes);     /* at index 2 */
    memset(o.bits, 0, nbytes);
    for (i = 1; i <= n; i++) {
      size_t plen;
      const char *p;
      if (lua_rawgeti(L, 1, i) != LUA_TSTRING) {
        return luaL_argerror(L, 1, lua_pushfstring(L, "pattern [%d] is a %s, not a string",
                                                   (int)i, luaL_typename(L, -1)));
      }
      p = lua_tolstring(L, -1, &plen);
      expand_pattern(&o, lower_copy(L, buf, p, plen), plen);
      lua_settop(L, 2);
    }
    o.names = list_begin(L);
    for (k = 0; k < N_ACTIONS; k++) {
      if ((o.bits[k >> 3] >> (k & 7)) & 1U) list_add(L, o.names, k, &o.n);
    }
    list_end(L, o.names, o.n);
    return 1;
  }
}


/* ---- Lua functions ---- */

/* catalog_version() -> { source, version, date, updated_at, counts... } */
static int l_version(lua_State *L) {
  lua_createtable(L, 0, 11);
  lua_pushstring(L, lpv_cat_info.source);
  lua_setfield(L, -2, "source");
  lua_pushstring(L, lpv_cat_info.version);
  lua_setfield(L, -2, "version");
  lua_pushstring(L, lpv_cat_info.date);
  lua_setfield(L, -2, "date");
  lua_pushstring(L, lpv_cat_info.updated_at);
  lua_setfield(L, -2, "updated_at");
  set_integer(L, "services", lpv_cat_info.n_services);
  set_integer(L, "actions", lpv_cat_info.n_actions);
  set_integer(L, "resource_types", lpv_cat_info.n_rtypes);
  set_integer(L, "arn_templates", lpv_cat_info.n_arns);
  set_integer(L, "condition_keys", lpv_cat_info.n_service_ckeys);
  set_integer(L, "global_condition_keys", lpv_cat_info.n_global_ckeys);
  return 1;
}

/* catalog_find(name) -> canonical name, or nil: the cheap exact lookup */
static int l_find(lua_State *L) {
  size_t len;
  const char *q = luaL_checklstring(L, 1, &len);
  long i = find_action(q, len);
  if (i < 0) {
    lua_pushnil(L);
  } else {
    const lpv_cat_action *a = &lpv_cat_actions[i];
    lua_pushlstring(L, POOL(a->name), a->name_len);
  }
  return 1;
}

/* catalog_action(name) -> record, or nil, message */
static int l_action(lua_State *L) {
  size_t len;
  const char *q = luaL_checklstring(L, 1, &len);
  long i = find_action(q, len);
  if (i < 0) return unknown_action(L, q, len);
  push_action(L, (uint32_t)i);
  return 1;
}

/* catalog_summary(name) -> { name, access_levels, wildcard_only }, or nil, message */
static int l_summary(lua_State *L) {
  size_t len;
  const char *q = luaL_checklstring(L, 1, &len);
  long i = find_action(q, len);
  const lpv_cat_action *a;
  if (i < 0) return unknown_action(L, q, len);
  a = &lpv_cat_actions[i];
  lua_createtable(L, 0, 3);
  lua_pushlstring(L, POOL(a->name), a->name_len);
  lua_setfield(L, -2, "name");
  push_access_list(L, a->access);
  lua_setfield(L, -2, "access_levels");
  set_boolean(L, "wildcard_only", a->n_rtypes == 0);
  return 1;
}

/* catalog_access_levels() -> the access level names, in report order */
static int l_access_levels(lua_State *L) {
  size_t i;
  new_list(L, (int)N_ACCESS);
  for (i = 0; i < N_ACCESS; i++) {
    lua_pushstring(L, access_names[i].name);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/* catalog_list(service|nil, {level...}|nil, wildcard_only|nil) -> names,
** or nil, message for an unknown service */
static int l_list(lua_State *L) {
  uint32_t first = 0, count = N_ACTIONS, i;
  unsigned mask = 0;
  int wild = lua_isnoneornil(L, 3) ? -1 : lua_toboolean(L, 3);
  int n = 0, names;
  if (!lua_isnoneornil(L, 1)) {
    long s = check_service(L, 1);
    if (s < 0) return 2;
    first = lpv_cat_services[s].first_action;
    count = lpv_cat_services[s].n_actions;
  }
  if (!lua_isnoneornil(L, 2)) {
    lua_Integer k, m;
    luaL_checktype(L, 2, LUA_TTABLE);
    m = (lua_Integer)lua_rawlen(L, 2);
    for (k = 1; k <= m; k++) {
      size_t j;
      const char *name;
      lua_rawgeti(L, 2, k);
      name = lua_tostring(L, -1);
      for (j = 0; j < N_ACCESS; j++) {
        if (name && strcmp(name, access_names[j].name) == 0) break;
      }
      if (j == N_ACCESS) return luaL_argerror(L, 2, "unknown access level");
      mask |= access_names[j].bit;
      lua_pop(L, 1);
    }
  }
  lua_settop(L, 3);
  names = list_begin(L);
  for (i = first; i < first + count; i++) {
    const lpv_cat_action *a = &lpv_cat_actions[i];
    if (mask && !(a->access & mask)) continue;
    if (wild >= 0 && (a->n_rtypes == 0) != wild) continue;
    list_add(L, names, i, &n);
  }
  list_end(L, names, n);
  return 1;
}

/* catalog_services() -> sorted list of service prefixes */
static int l_services(lua_State *L) {
  uint32_t i;
  new_list(L, (int)N_SERVICES);
  for (i = 0; i < N_SERVICES; i++) {
    lua_pushstring(L, POOL(lpv_cat_services[i].prefix));
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/* catalog_service(prefix) -> record, or nil, message */
static int l_service(lua_State *L) {
  long s = check_service(L, 1);
  const lpv_cat_service *sv;
  uint32_t i;
  if (s < 0) return 2;
  sv = &lpv_cat_services[s];
  lua_createtable(L, 0, 7);
  set_string(L, "prefix", sv->prefix);
  set_string(L, "name", sv->name);
  set_string(L, "category", sv->category);
  set_boolean(L, "rcp", sv->rcp);
  new_list(L, (int)sv->n_actions);
  for (i = 0; i < sv->n_actions; i++) {
    const lpv_cat_action *a = &lpv_cat_actions[sv->first_action + i];
    lua_pushlstring(L, POOL(a->name), a->name_len);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "actions");
  new_list(L, (int)sv->n_rtypes);
  for (i = 0; i < sv->n_rtypes; i++) {
    const lpv_cat_rtype *t = &lpv_cat_rtypes[sv->first_rtype + i];
    lua_createtable(L, 0, 3);
    set_string(L, "name", t->name);
    push_first_arn(L, t->arn);
    lua_setfield(L, -2, "arn");
    push_arn_list(L, t->arn);
    lua_setfield(L, -2, "arns");
    push_aws_owned(L, t);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "resource_types");
  push_ckey_names(L, sv->ckeys, sv->n_ckeys);
  lua_setfield(L, -2, "condition_keys");
  return 1;
}

/* Do condition key entries i and j have the same (folded) name? */
static int same_name(uint32_t i, uint32_t j) {
  const char *a = POOL(lpv_cat_ckeys[i].name), *b = POOL(lpv_cat_ckeys[j].name);
  return fold_cmp(a, strlen(a), b, strlen(b)) == 0;
}

/* catalog_condition_key(key) -> record, or nil, message */
static int l_condition_key(lua_State *L) {
  size_t len;
  const char *q = luaL_checklstring(L, 1, &len);
  uint32_t end = 0, i;
  long at = find_ckey(q, len, &end);
  if (at < 0) {
    suggest s;
    suggest_init(&s, q, len);
    for (i = 0; i < N_CKEYS; i++) {
      const char *n = POOL(lpv_cat_ckeys[i].name);
      size_t nlen = strlen(n);
      if (i > 0 && same_name(i - 1, i)) continue;
      suggest_add(&s, n, nlen, n, nlen);
    }
    return push_unknown(L, "condition key", q, len, &s);
  }
  push_ckey(L, (uint32_t)at, end);
  return 1;
}

/* catalog_condition_key_names([global_only]) -> sorted distinct names of
** every condition key, or of the global ones */
static int l_condition_key_names(lua_State *L) {
  int global_only = lua_toboolean(L, 1);
  uint32_t i;
  lua_Integer n = 0;
  new_list(L, global_only ? (int)lpv_cat_info.n_global_ckeys : 0);
  for (i = 0; i < N_CKEYS; i++) {
    const lpv_cat_ckey *k = &lpv_cat_ckeys[i];
    if (global_only ? k->service != LPV_CAT_GLOBAL : (i > 0 && same_name(i - 1, i)))
      continue;
    lua_pushstring(L, POOL(k->name));
    lua_rawseti(L, -2, ++n);
  }
  return 1;
}

/* nil, message for a resource type missing from service s. */
static int unknown_rtype(lua_State *L, uint32_t s, const char *q, size_t len) {
  const lpv_cat_service *sv = &lpv_cat_services[s];
  suggest sg;
  uint32_t i;
  luaL_Buffer b;
  suggest_init(&sg, q, len);
  for (i = sv->first_rtype; i < sv->first_rtype + sv->n_rtypes; i++) {
    const char *n = POOL(lpv_cat_rtypes[i].name);
    suggest_add(&sg, n, strlen(n), n, strlen(n));
  }
  lua_pushnil(L);
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "unknown resource type \"");
  luaL_addlstring(&b, q, len);
  luaL_addstring(&b, "\" of service ");
  luaL_addstring(&b, POOL(sv->prefix));
  if (sv->n_rtypes == 0) {
    luaL_addstring(&b, " (it has none: its actions need \"*\")");
  } else if (suggest_any(&sg)) {
    suggest_put(&b, &sg);
  } else if (sv->n_rtypes <= 8) {
    luaL_addstring(&b, " (it has ");
    for (i = sv->first_rtype; i < sv->first_rtype + sv->n_rtypes; i++) {
      if (i > sv->first_rtype)
        luaL_addstring(&b, i + 1 == sv->first_rtype + sv->n_rtypes ? " and " : ", ");
      luaL_addstring(&b, POOL(lpv_cat_rtypes[i].name));
    }
    luaL_addchar(&b, ')');
  }
  luaL_pushresult(&b);
  return 2;
}

/* catalog_resource_type(service, name) -> record, or nil, message */
static int l_resource_type(lua_State *L) {
  size_t len;
  long s = check_service(L, 1), r;
  const char *q = luaL_checklstring(L, 2, &len);
  if (s < 0) return 2;
  r = find_rtype((uint32_t)s, q, len);
  if (r < 0) return unknown_rtype(L, (uint32_t)s, q, len);
  push_rtype(L, (uint32_t)r);
  return 1;
}


/* ---- ARN templates ---- */

enum { F_PARTITION = 1, F_SERVICE, F_REGION, F_ACCOUNT, F_RESOURCE };

/* Push and return a message about value v: fmt has one %s, for v. */
static const char *value_error(lua_State *L, const char *fmt, const char *v,
                               size_t vlen) {
  lua_pushlstring(L, v, vlen);
  return lua_pushfstring(L, fmt, lua_tostring(L, -1));
}

/* The rules of arn_build's own for value v of a placeholder; final: it
** ends the template.  NULL if fine, else pushes and returns a message.
** Whether the ARN's parts are valid is lpv_arn_part_check's business,
** once the ARN is built (see l_arn_build). */
static const char *check_value(lua_State *L, int final, const char *v, size_t vlen) {
  if (vlen == 0) return value_error(L, "it is empty%s", "", 0);
  if (!final && memchr(v, ':', vlen) != NULL) {
    return value_error(L, "\"%s\" holds ':', which would shift the "
                       "ARN's parts", v, vlen);
  }
  return NULL;
}

/* Fetch vars[name] as a string onto the stack: 1 if present, 0 if absent
** (nothing pushed); raises for a value that is neither string nor integer. */
static int get_var(lua_State *L, int vars, const char *name, size_t nlen) {
  int t;
  if (vars == 0) return 0;
  lua_pushlstring(L, name, nlen);
  t = lua_rawget(L, vars);
  if (t == LUA_TNIL) { lua_pop(L, 1); return 0; }
  if (t == LUA_TSTRING) return 1;
  if (t == LUA_TNUMBER && lua_isinteger(L, -1)) {
    lua_tostring(L, -1);                  /* converts in place */
    return 1;
  }
  lua_pushlstring(L, name, nlen);
  return luaL_argerror(L, 3, lua_pushfstring(L, "variable %s must be a string, not a %s",
                                              lua_tostring(L, -1), luaL_typename(L, -2)));
}

static int is_partition(const char *name, size_t nlen) {
  return nlen == 9 && memcmp(name, "Partition", 9) == 0;
}

/* How many variables of template t (len) are missing from vars; *first
** gets the name of the first missing one. */
static int count_missing(lua_State *L, int vars, const char *t, size_t len,
                         const char **first, size_t *flen) {
  size_t i = 0;
  int missing = 0;
  while (i < len) {
    const char *name;
    size_t nlen, ph = placeholder_at(t + i, len - i, &name, &nlen);
    if (ph == 0) { i++; continue; }
    if (!is_partition(name, nlen)) {
      if (get_var(L, vars, name, nlen)) lua_pop(L, 1);
      else if (missing++ == 0) { *first = name; *flen = nlen; }
    }
    i += ph;
  }
  return missing;
}

/* Does template list tl name variable key? */
static int template_has(const char *tl, const char *key, size_t klen) {
  size_t len = strlen(tl), i = 0;
  while (i < len) {
    const char *name;
    size_t nlen, ph = placeholder_at(tl + i, len - i, &name, &nlen);
    if (ph == 0) { i++; continue; }
    if (nlen == klen && memcmp(name, key, klen) == 0) return 1;
    i += ph;
  }
  return 0;
}

/* Push "service type" for messages. */
static const char *push_what(lua_State *L, const lpv_cat_rtype *r) {
  return lua_pushfstring(L, "%s %s", POOL(lpv_cat_services[r->service].prefix),
                         POOL(r->name));
}

/* Return nil and "invalid variable NAME for WHAT: msg". */
static int bad_variable(lua_State *L, const char *name, size_t nlen, const char *what,
                        const char *msg) {
  const char *vname;
  lua_pushlstring(L, name, nlen);
  vname = lua_tostring(L, -1);
  lua_pushnil(L);
  lua_pushfstring(L, "invalid variable %s for %s: %s", vname, what, msg);
  return 2;
}

/* Step through template t from *i to its next placeholder, counting the
** ARN fields passed in *field; returns the placeholder's length (its name
** in *name), or 0 at the end of t. */
static size_t next_placeholder(const char *t, size_t tlen, size_t *i, int *field,
                               const char **name, size_t *nlen) {
  while (*i < tlen) {
    size_t ph = placeholder_at(t + *i, tlen - *i, name, nlen);
    if (ph != 0) return ph;
    if (t[*i] == ':' && *field < F_RESOURCE) (*field)++;
    (*i)++;
  }
  return 0;
}

/* The ARN built from template t is invalid in field bad (msg says how):
** return nil and a message naming the variable to blame, the first in
** that field whose value alone is refused there, else the field's first. */
static int bad_part(lua_State *L, int vars, const char *t, size_t tlen, int bad,
                    const char *what, const char *msg) {
  const char *blame = NULL;
  size_t blen = 0, i;
  int field = 0;
  const char *name;
  size_t nlen, ph;
  for (i = 0; (ph = next_placeholder(t, tlen, &i, &field, &name, &nlen)) != 0; i += ph) {
    if (field == bad && get_var(L, vars, name, nlen)) {
      size_t vlen;
      const char *v = lua_tolstring(L, -1, &vlen);
      int refused = lpv_arn_part_check(bad, v, vlen, 1) != NULL;
      lua_pop(L, 1);
      if (blame == NULL || refused) {
        blame = name;
        blen = nlen;
      }
      if (refused) break;
    }
  }
  if (blame != NULL) return bad_variable(L, blame, blen, what, msg);
  lua_pushlstring(L, t, tlen);
  lua_pushnil(L);
  lua_pushfstring(L, "%s: template %s gives an invalid ARN: %s", what, lua_tostring(L, -2), msg);
  return 2;
}

/* catalog_arn_build(service, resource_type, vars) -> arn, or nil, message */
static int l_arn_build(lua_State *L) {
  size_t len, tlen = 0, vnlen = 0, pl;
  const char *var = NULL;                 /* a placeholder's variable name */
  long s = check_service(L, 1), r;
  const char *q = luaL_checklstring(L, 2, &len);
  const lpv_cat_rtype *rt;
  const char *cur, *t = NULL, *alt, *what;
  size_t alen;
  int vars = 0, best_missing = -1;
  const char *miss = NULL;
  size_t miss_len = 0;
  luaL_Buffer b;
  size_t i;
  int field;

  if (!lua_isnoneornil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    vars = 3;
  }
  if (s < 0) return 2;
  r = find_rtype((uint32_t)s, q, len);
  if (r < 0) return unknown_rtype(L, (uint32_t)s, q, len);
  rt = &lpv_cat_rtypes[r];
  what = push_what(L, rt);

  /* every variable given must be one the templates know */
  if (vars) {
    lua_pushnil(L);
    while (lua_next(L, vars) != 0) {
      size_t klen;
      const char *k;
      if (lua_type(L, -2) != LUA_TSTRING) {
        return luaL_argerror(L, 3, "variable names must be strings");
      }
      k = lua_tolstring(L, -2, &klen);
      if (!template_has(POOL(rt->arn), k, klen)) {
        lua_pushnil(L);
        lua_pushfstring(L, "unknown variable %s for %s (template %s)", k, what,
                        POOL(rt->arn));
        return 2;
      }
      lua_pop(L, 1);
    }
  }

  /* the first template alternative with every variable given */
  cur = POOL(rt->arn);
  while (next_arn(&cur, &alt, &alen)) {
    const char *m = NULL;
    size_t mlen = 0;
    int missing = count_missing(L, vars, alt, alen, &m, &mlen);
    if (best_missing < 0 || missing < best_missing) {
      best_missing = missing;
      t = alt;
      tlen = alen;
      miss = m;
      miss_len = mlen;
    }
    if (missing == 0) break;
  }
  if (t == NULL) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s has no ARN template", what);
    return 2;
  }
  if (best_missing > 0) {
    const char *mname, *tname;
    lua_pushlstring(L, miss, miss_len);
    mname = lua_tostring(L, -1);
    lua_pushlstring(L, t, tlen);
    tname = lua_tostring(L, -1);
    lua_pushnil(L);
    lua_pushfstring(L, "missing variable %s for %s (template %s)", mname, what, tname);
    return 2;
  }

  /* the rules of arn_build's own, value by value */
  field = 0;
  for (i = 0; (pl = next_placeholder(t, tlen, &i, &field, &var, &vnlen)) != 0; i += pl) {
    if (get_var(L, vars, var, vnlen)) {
      size_t vlen;
      const char *v = lua_tolstring(L, -1, &vlen);
      const char *msg = check_value(L, field == F_RESOURCE && i + pl == tlen, v, vlen);
      if (msg != NULL) return bad_variable(L, var, vnlen, what, msg);
      lua_pop(L, 1);
    }
  }

  luaL_buffinit(L, &b);
  for (i = 0; i < tlen;) {
    const char *name;
    size_t nlen, ph = placeholder_at(t + i, tlen - i, &name, &nlen);
    if (ph == 0) {
      size_t j = i + 1;
      while (j < tlen && t[j] != '$' && t[j] != '{') j++;
      luaL_addlstring(&b, t + i, j - i);
      i = j;
      continue;
    }
    if (get_var(L, vars, name, nlen)) luaL_addvalue(&b);
    else luaL_addstring(&b, "aws");              /* the default Partition */
    i += ph;
  }
  luaL_pushresult(&b);

  /* the ARN built is checked as arn_check checks it (no value before the
  ** resource part holds ':', so its parts are the template's fields) */
  {
    size_t arn_len;
    const char *arn = lua_tolstring(L, -1, &arn_len), *why;
    lpv_arn a;
    int bad, n = lpv_arn_split(arn, arn_len, &a);
    why = lpv_arn_check(&a, n, 1, &bad);
    if (why != NULL) {
      lpv_arn_push_why(L, &a, bad, why);
      return bad_part(L, vars, t, tlen, bad, what, lua_tostring(L, -1));
    }
  }
  return 1;
}

/* ---- C API for the other files ---- */

long lpv_catalog_find_action(const char *name, size_t len) {
  return find_action(name, len);
}

const char *lpv_catalog_action_name(long i, size_t *len) {
  if (i < 0 || (uint32_t)i >= N_ACTIONS) return NULL;
  if (len) *len = lpv_cat_actions[i].name_len;
  return POOL(lpv_cat_actions[i].name);
}

int lpv_catalog_action_wildcard_only(long i) {
  return i >= 0 && (uint32_t)i < N_ACTIONS && lpv_cat_actions[i].n_rtypes == 0;
}

int lpv_catalog_action_rtypes_optional(long i) {
  const lpv_cat_action *a;
  unsigned k;
  if (i < 0 || (uint32_t)i >= N_ACTIONS) return 0;
  a = &lpv_cat_actions[i];
  for (k = 0; k < a->n_rtypes; k++)
    if (lpv_cat_action_rtypes[a->rtypes + k].required) return 0;
  return a->n_rtypes > 0;
}

long lpv_catalog_action_count(void) { return (long)N_ACTIONS; }

int lpv_catalog_action_has_rtype(long i, const unsigned *types, int n) {
  const lpv_cat_action *ac;
  uint32_t k;
  int j;
  if (i < 0 || (uint32_t)i >= N_ACTIONS) return 0;
  ac = &lpv_cat_actions[i];
  for (k = 0; k < ac->n_rtypes; k++) {
    unsigned rt = lpv_cat_action_rtypes[ac->rtypes + k].rtype;
    for (j = 0; j < n; j++) if (types[j] == rt) return 1;
  }
  return 0;
}

/* What a template's last variable can never hold: when another template of
** the same service extends this one right after that variable with '/' or
** ':' (table/${T} and table/${T}/index/${I}; log-group:${G} and
** log-group:${G}:log-stream:${S}), names of this type hold no such
** character, or the two types could not be told apart.  Returns the glob
** byte for the variable: '*', LPV_GLOB_NOSLASH or LPV_GLOB_NOCOLON. */
static char last_var_glob(uint32_t service, const char *t, size_t tl) {
  const lpv_cat_service *sv = &lpv_cat_services[service];
  uint32_t r;
  if (tl == 0 || t[tl - 1] != '}') return '*';
  for (r = sv->first_rtype; r < sv->first_rtype + sv->n_rtypes; r++) {
    const char *u = POOL(lpv_cat_rtypes[r].arn);
    while (*u) {                                   /* alternatives, ", " apart */
      const char *end = strstr(u, ", ");
      size_t ul = end ? (size_t)(end - u) : strlen(u);
      if (ul > tl && memcmp(u, t, tl) == 0) {
        if (u[tl] == '/') return LPV_GLOB_NOSLASH;
        if (u[tl] == ':') return LPV_GLOB_NOCOLON;
      }
      u += ul;
      if (*u) u += 2;
    }
  }
  return '*';
}

/* Does the ARN pattern (split, np parts) intersect the ARN template t
** (length tl, of service `service`), its ${...} variables read as '*'
** (the last one restricted as last_var_glob says)? */
static int pattern_meets_template(const char *pat, size_t plen, const lpv_arn *p, int np,
                                  uint32_t service, const char *t, size_t tl) {
  char glob[512];
  size_t gl = 0, k = 0;
  lpv_arn g;
  int i;
  while (k < tl && gl < sizeof glob) {
    if (t[k] == '$' && k + 1 < tl && t[k + 1] == '{') {
      while (k < tl && t[k] != '}') k++;
      k++;
      glob[gl++] = (char)((k == tl) ? last_var_glob(service, t, tl) : '*');
    } else {
      glob[gl++] = t[k++];
    }
  }
  if (gl >= sizeof glob) return 1;                 /* too long: assume yes */
  if (np < 6)                                      /* a short pattern: its last '*' */
    return lpv_glob_intersect(pat, plen, glob, gl, 0);   /* reaches across colons */
  if (lpv_arn_split(glob, gl, &g) != 6) return 0;
  for (i = 0; i < 5; i++)
    if (!lpv_glob_intersect(p->part[i], p->len[i], g.part[i], g.len[i], 1)) return 0;
  return lpv_glob_intersect(p->part[5], p->len[5], g.part[5], g.len[5], 0);
}

int lpv_catalog_action_pattern_applies(long i, const char *pat, size_t len) {
  const lpv_cat_action *ac;
  lpv_arn p;
  int np;
  uint32_t k;
  if (i < 0 || (uint32_t)i >= N_ACTIONS) return 0;
  ac = &lpv_cat_actions[i];
  np = lpv_arn_split(pat, len, &p);
  for (k = 0; k < ac->n_rtypes; k++) {
    const lpv_cat_rtype *rt = &lpv_cat_rtypes[lpv_cat_action_rtypes[ac->rtypes + k].rtype];
    const char *arns = POOL(rt->arn);
    /* alternatives are joined by ", " */
    while (*arns) {
      const char *end = strstr(arns, ", ");
      size_t tl = end ? (size_t)(end - arns) : strlen(arns);
      if (pattern_meets_template(pat, len, &p, np, rt->service, arns, tl)) return 1;
      arns += tl;
      if (*arns) arns += 2;
    }
  }
  return 0;
}

const char *lpv_catalog_rtype_name(unsigned r) {
  return r < lpv_cat_info.n_rtypes ? POOL(lpv_cat_rtypes[r].name) : NULL;
}


static const luaL_Reg catalog_funcs[] = {
  {"catalog_version", l_version},
  {"catalog_find", l_find},
  {"catalog_action", l_action},
  {"catalog_summary", l_summary},
  {"catalog_expand", l_expand},
  {"catalog_list", l_list},
  {"catalog_access_levels", l_access_levels},
  {"catalog_services", l_services},
  {"catalog_service", l_service},
  {"catalog_condition_key", l_condition_key},
  {"catalog_condition_key_names", l_condition_key_names},
  {"catalog_resource_type", l_resource_type},
  {"catalog_arn_build", l_arn_build},
  {NULL, NULL}
};

void lpv_open_catalog(lua_State *L) { luaL_setfuncs(L, catalog_funcs, 0); }


/* ---- for catalog_arnindex.c (catalog_internal.h) ---- */

int lpv_cat_fold_cmp(const char *a, size_t alen, const char *b, size_t blen) {
  return fold_cmp(a, alen, b, blen);
}

int lpv_cat_fold(int c) { return cat_fold(c); }

size_t lpv_cat_placeholder_at(const char *t, size_t tlen, const char **name, size_t *nlen) {
  return placeholder_at(t, tlen, name, nlen);
}

int lpv_cat_next_arn(const char **cur, const char **s, size_t *len) {
  return next_arn(cur, s, len);
}

long lpv_cat_check_service(lua_State *L, int arg) { return check_service(L, arg); }
