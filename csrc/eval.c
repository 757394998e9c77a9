/*
** eval.c: compiled policy sets ("leastpriv.Policy") and request decisions.
**
** eval_compile(spec) compiles canonical documents, grouped by kind
** (identity, resource, boundary, session, trust, caller, scp and rcp by
** organisation level), into one userdata: actions interned against the
** catalog, patterns flagged for wildcards and variables, principals parsed,
** condition trees built (condition.c).  All its memory is an arena owned by
** the userdata, and so are the scratch buffers a request uses, so the
** evaluation allocates nothing and a raise never leaks.
**
** P:decide(request [, explain]) follows AWS's order (docs/simulation.md):
** an explicit Deny anywhere; RCPs and SCPs (an Allow at every level);
** a same-account resource policy naming the principal directly allows on
** its own, naming its role is capped by boundary and session policy,
** naming the account only delegates; identity policies; the permissions
** boundary; the session policy.  Cross-account requests need both sides.
** A role's trust policy is the resource policy of sts:AssumeRole*, and the
** caller's own boundary and session policy cap that call.  Before any
** policy, what AWS decides itself (eval_rules.c): requests that need no
** permission, requests refused for everyone.  A VPC endpoint policy must
** also allow; a KMS key's key policy must let IAM policies count (AWS's
** default key policy is assumed when none is given).
*/
#include <stdint.h>
#include <string.h>

#include "leastpriv.h"

#define POLICY_MT   "leastpriv.Policy"
#define MAX_LEVELS  16         /* organisation levels of SCPs / RCPs */
#define LOW_MAX     256        /* longest action name looked at */
#define CHUNK       8192       /* arena block size */
#define CTX_MAX     4096       /* values in one request context */

enum { CAT_SCP, CAT_RCP, CAT_RESOURCE, CAT_TRUST, CAT_IDENTITY, CAT_CALLER,
       CAT_BOUNDARY, CAT_SESSION, CAT_CALLER_BOUNDARY, CAT_CALLER_SESSION, CAT_ENDPOINT,
       N_CAT };
static const char *const cat_names[N_CAT] = {
  "scp", "rcp", "resource", "trust", "identity", "caller", "boundary", "session",
  "caller_boundary", "caller_session", "endpoint"
};
#define BY_AWS N_CAT           /* decided by AWS itself, not by a policy */

/* Principal kinds, of statements and of requests. */
enum { PK_NONE, PK_STAR, PK_ACCOUNT, PK_USER, PK_ROLE, PK_SESSION, PK_FEDUSER,
       PK_SERVICE, PK_FEDERATED, PK_CANONICAL, PK_OTHER, PK_ANON };
static const char *const pk_names[] = {
  "none", "*", "account", "user", "role", "session", "federated-user",
  "service", "federated", "canonical-user", "other", "anonymous"
};

/* How a resource-policy statement names the principal. */
enum { ST_NONE, ST_ACCOUNT, ST_ROLE, ST_DIRECT };
static const char *const strength_names[] = { "none", "account", "role", "direct" };

/* Why a statement did not apply. */
enum { R_MATCH, R_ACTION, R_RESOURCE, R_PRINCIPAL, R_CONDITION };
static const char *const result_names[] = {
  "match", "action", "resource", "principal", "condition"
};

typedef struct ev_pat {
  const char *s;           /* actions: lower case */
  size_t len;
  long id;                 /* catalog action index, or -1 */
  unsigned char wild, var;
} ev_pat;

typedef struct ev_prin {
  unsigned char kind;
  const char *part;        /* partition */
  size_t partlen;
  const char *acct;        /* 12-digit account */
  size_t acctlen;
  const char *name;        /* user path+name, role name, ROLE/SESSION, ... */
  size_t namelen;
  const char *s;           /* the whole text */
  size_t len;
} ev_prin;

typedef struct ev_stmt {
  unsigned char allow, not_action, not_resource, not_principal;
  unsigned char has_resource, has_principal;
  ev_pat *act, *res;
  size_t nact, nres;
  ev_prin *prin;
  size_t nprin;
  lpv_cond *cond;
  size_t ncond;
  const char *sid;
  size_t index;
} ev_stmt;

typedef struct ev_doc {
  ev_stmt *st;
  size_t n;
  int level;
  const char *name;
} ev_doc;

typedef struct ev_cat {
  ev_doc *docs;
  size_t n;
  int levels, present;
} ev_cat;

#define TYPE_CACHE   64        /* ARNs whose resource types are remembered */
#define TYPE_ARN_MAX 200       /* longest ARN kept there */
#define MAX_TYPES    8         /* resource types one ARN can be */

typedef struct ev_types {
  char arn[TYPE_ARN_MAX];
  size_t len;
  unsigned types[MAX_TYPES];
  int n, used;
} ev_types;

typedef struct ev_policy {
  lpv_arena arena;
  ev_types *types;         /* cache of resource types by ARN (in the arena) */
  const lpv_arnindex *ix;  /* the lua_State's index of ARN templates */
  ev_cat cat[N_CAT];
  int federation;          /* a GetFederationToken session: needs a session policy */
  lpv_scratch sub, mask;   /* variable substitution */
  lpv_scratch ents, vals;  /* the request context */
  lpv_scratch strs;        /* derived context values */
} ev_policy;

/* One request, as read from its table. */
typedef struct ev_req {
  const char *action;
  size_t alen;
  char low[LOW_MAX];
  long id;
  const char *res;         /* NULL: none given (trust requests) */
  size_t rlen;
  ev_prin p;
  const char *racct;       /* resource account (may be "") */
  size_t racctlen;
  lpv_ctx ctx;
  int trust, cross;
  int kms_key;             /* a KMS action on a key: IAM policies count only if its key policy lets them */
  int res_kms_key;         /* the resource is a KMS key */
  int default_key_policy;  /* no key policy given: AWS's default one was assumed */
  const lpv_refusal *refused;
} ev_req;

/* What one category of policies said. */
typedef struct ev_res {
  int deny, allow, strength;
  unsigned levels;         /* bit l: level l has an applicable Allow */
} ev_res;


/* ---- arena ---- */

typedef struct arena_chunk { struct arena_chunk *next; size_t size; } arena_chunk;

void *lpv_arena_alloc(lua_State *L, lpv_arena *a, size_t n) {
  void *p;
  n = (n + 15) & ~(size_t)15;
  if (n > a->left) {
    void *ud;
    lua_Alloc f = lua_getallocf(L, &ud);
    size_t size = n + sizeof(arena_chunk) + 16 > CHUNK ? n + sizeof(arena_chunk) + 16 : CHUNK;
    arena_chunk *c = (arena_chunk *)f(ud, NULL, 0, size);
    if (c == NULL) luaL_error(L, "leastpriv: out of memory");
    c->next = (arena_chunk *)a->chunks;
    c->size = size;
    a->chunks = c;
    a->cur = (char *)c + ((sizeof(arena_chunk) + 15) & ~(size_t)15);
    a->left = size - (size_t)(a->cur - (char *)c);
  }
  p = a->cur;
  a->cur += n;
  a->left -= n;
  memset(p, 0, n);
  return p;
}

char *lpv_arena_strdup(lua_State *L, lpv_arena *a, const char *s, size_t len) {
  char *p = (char *)lpv_arena_alloc(L, a, len + 1);
  memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

static void arena_free(lua_State *L, lpv_arena *a) {
  void *ud;
  lua_Alloc f = lua_getallocf(L, &ud);
  arena_chunk *c = (arena_chunk *)a->chunks;
  while (c) {
    arena_chunk *next = c->next;
    f(ud, c, c->size, 0);
    c = next;
  }
  a->chunks = NULL;
  a->cur = NULL;
  a->left = 0;
}


/* ---- principals ---- */

static int ev_lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

static int is_account(const char *s, size_t len) {
  size_t i;
  if (len != 12) return 0;
  for (i = 0; i < len; i++) if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}

static int starts(const char *s, size_t len, const char *pre) {
  size_t n = strlen(pre);
  return len >= n && memcmp(s, pre, n) == 0;
}

/* Parse principal text s of the given map type ("AWS" is 0) into p. */
static void prin_parse(const char *s, size_t len, int type, ev_prin *p) {
  lpv_arn a;
  memset(p, 0, sizeof *p);
  p->s = s;
  p->len = len;
  p->name = s;
  p->namelen = len;
  if (type == PK_SERVICE || type == PK_FEDERATED || type == PK_CANONICAL) {
    p->kind = (unsigned char)type;
    return;
  }
  if (len == 1 && s[0] == '*') { p->kind = PK_STAR; return; }
  if (is_account(s, len)) {
    p->kind = PK_ACCOUNT;
    p->acct = s;
    p->acctlen = len;
    return;
  }
  p->kind = PK_OTHER;
  if (!starts(s, len, "arn:") || lpv_arn_split(s, len, &a) != 6) return;
  p->part = a.part[LPV_ARN_PARTITION];
  p->partlen = a.len[LPV_ARN_PARTITION];
  p->acct = a.part[LPV_ARN_ACCOUNT];
  p->acctlen = a.len[LPV_ARN_ACCOUNT];
  {
    const char *svc = a.part[LPV_ARN_SERVICE], *r = a.part[LPV_ARN_RESOURCE];
    size_t sl = a.len[LPV_ARN_SERVICE], rl = a.len[LPV_ARN_RESOURCE];
    int iam = sl == 3 && memcmp(svc, "iam", 3) == 0, sts = sl == 3 && memcmp(svc, "sts", 3) == 0;
    if (iam && rl == 4 && memcmp(r, "root", 4) == 0) {
      p->kind = PK_ACCOUNT;
    } else if (iam && starts(r, rl, "user/")) {
      p->kind = PK_USER;
      p->name = r;
      p->namelen = rl;
    } else if (iam && starts(r, rl, "role/")) {
      const char *slash = r + rl;
      while (slash > r && slash[-1] != '/') slash--;
      p->kind = PK_ROLE;
      p->name = slash;
      p->namelen = (size_t)(r + rl - slash);
    } else if (sts && starts(r, rl, "assumed-role/")) {
      p->kind = PK_SESSION;
      p->name = r + 13;
      p->namelen = rl - 13;
    } else if (sts && starts(r, rl, "federated-user/")) {
      p->kind = PK_FEDUSER;
      p->name = r + 15;
      p->namelen = rl - 15;
    }
  }
}

static int same(const char *a, size_t al, const char *b, size_t bl) {
  return al == bl && memcmp(a, b, al) == 0;
}

static int same_nocase(const char *a, size_t al, const char *b, size_t bl) {
  size_t i;
  if (al != bl) return 0;
  for (i = 0; i < al; i++) if (ev_lower((unsigned char)a[i]) != ev_lower((unsigned char)b[i])) return 0;
  return 1;
}

/* Length of the role-name part of a session name "ROLE/SESSION". */
static size_t session_role_len(const ev_prin *p) {
  const char *slash = memchr(p->name, '/', p->namelen);
  return slash ? (size_t)(slash - p->name) : p->namelen;
}

/* How statement principal e names request principal q (ST_*). */
static int prin_match(const ev_prin *e, const ev_prin *q) {
  int has_acct = q->kind == PK_ACCOUNT || q->kind == PK_USER || q->kind == PK_ROLE ||
                 q->kind == PK_SESSION || q->kind == PK_FEDUSER;
  switch (e->kind) {
    case PK_STAR: return ST_DIRECT;
    case PK_ACCOUNT:
      if (!has_acct || !same(e->acct, e->acctlen, q->acct, q->acctlen)) return ST_NONE;
      return q->kind == PK_ACCOUNT ? ST_DIRECT : ST_ACCOUNT;
    case PK_USER:
      return q->kind == PK_USER && same(e->acct, e->acctlen, q->acct, q->acctlen) &&
             same(e->name, e->namelen, q->name, q->namelen) ? ST_DIRECT : ST_NONE;
    case PK_ROLE:
      if (!same(e->acct, e->acctlen, q->acct, q->acctlen)) return ST_NONE;
      if (q->kind == PK_ROLE && same(e->name, e->namelen, q->name, q->namelen)) return ST_ROLE;
      if (q->kind == PK_SESSION && same(e->name, e->namelen, q->name, session_role_len(q)))
        return ST_ROLE;
      return ST_NONE;
    case PK_SESSION: case PK_FEDUSER:
      return q->kind == e->kind && same(e->acct, e->acctlen, q->acct, q->acctlen) &&
             same(e->name, e->namelen, q->name, q->namelen) ? ST_DIRECT : ST_NONE;
    case PK_SERVICE:
      return q->kind == PK_SERVICE && same_nocase(e->s, e->len, q->s, q->len) ? ST_DIRECT : ST_NONE;
    case PK_FEDERATED: case PK_CANONICAL:
      return q->kind == e->kind && same(e->s, e->len, q->s, q->len) ? ST_DIRECT : ST_NONE;
    default:
      return q->len > 0 && same(e->s, e->len, q->s, q->len) ? ST_DIRECT : ST_NONE;
  }
}

/* NotPrincipal: is q left out of the list?  With Deny, a principal is
** excluded only when each of its identities is listed (a session: its
** session ARN, its role ARN and its account); with Allow, when its own ARN
** is listed. */
static int notprin_applies(const ev_stmt *s, const ev_prin *q) {
  int need = 0, got = 0;
  size_t i;
  unsigned mask = 0;
  switch (q->kind) {
    case PK_SESSION: need = 7; break;                /* session, role, account */
    case PK_USER: case PK_FEDUSER: need = 5; break;  /* itself, account */
    case PK_ROLE: need = 6; break;                   /* role, account */
    case PK_ACCOUNT: need = 4; break;
    default: need = 1; break;
  }
  for (i = 0; i < s->nprin; i++) {
    const ev_prin *e = &s->prin[i];
    int m = prin_match(e, q);
    if (e->kind == PK_STAR) return 0;
    if (m == ST_NONE) continue;
    if (s->allow && (m == ST_DIRECT || (m == ST_ROLE && q->kind == PK_ROLE))) return 0;
    if (e->kind == PK_ACCOUNT) mask |= 4;
    else if (e->kind == PK_ROLE) mask |= 2;
    else mask |= 1;
  }
  got = (int)mask;
  return s->allow || (got & need) != need;
}


/* ---- compiling ---- */

static ev_policy *check_policy(lua_State *L, int i) {
  return (ev_policy *)luaL_checkudata(L, i, POLICY_MT);
}

/* Compile the list of strings at idx into patterns. */
static ev_pat *compile_pats(lua_State *L, lpv_arena *a, int idx, int actions, int v2012, size_t *n) {
  size_t i, len = (size_t)lua_rawlen(L, idx);
  ev_pat *ps = (ev_pat *)lpv_arena_alloc(L, a, (len ? len : 1) * sizeof *ps);
  for (i = 0; i < len; i++) {
    size_t sl, k;
    const char *s;
    ev_pat *p = &ps[i];
    lua_rawgeti(L, idx, (lua_Integer)i + 1);
    s = lua_tolstring(L, -1, &sl);
    if (s == NULL) luaL_error(L, "Action and Resource entries must be strings");
    p->s = lpv_arena_strdup(L, a, s, sl);
    p->len = sl;
    p->id = -1;
    p->wild = memchr(s, '*', sl) != NULL || memchr(s, '?', sl) != NULL;
    if (actions) {
      char *low = (char *)p->s;
      for (k = 0; k < sl; k++) low[k] = (char)ev_lower((unsigned char)low[k]);
      if (!p->wild) p->id = lpv_catalog_find_action(low, sl);
    } else {
      lpv_arn parts;
      p->var = v2012 && lpv_var_present(s, sl) &&
               lpv_arn_split(s, sl, &parts) == 6 &&
               lpv_var_present(parts.part[5], parts.len[5]);
    }
    lua_pop(L, 1);
  }
  *n = len;
  return ps;
}

static const char *const prin_types[] = { "AWS", "Service", "Federated", "CanonicalUser", NULL };

/* Compile the Principal / NotPrincipal at idx. */
static void compile_principal(lua_State *L, lpv_arena *a, int idx, ev_stmt *st) {
  size_t total = 0, k = 0;
  int t;
  if (lua_type(L, idx) == LUA_TSTRING) {
    st->prin = (ev_prin *)lpv_arena_alloc(L, a, sizeof(ev_prin));
    prin_parse(lpv_arena_strdup(L, a, "*", 1), 1, 0, st->prin);
    st->nprin = 1;
    return;
  }
  for (t = 0; prin_types[t]; t++) {
    lua_getfield(L, idx, prin_types[t]);
    if (lua_type(L, -1) == LUA_TTABLE) total += (size_t)lua_rawlen(L, -1);
    lua_pop(L, 1);
  }
  st->prin = (ev_prin *)lpv_arena_alloc(L, a, (total ? total : 1) * sizeof(ev_prin));
  for (t = 0; prin_types[t]; t++) {
    size_t i, n;
    static const int kinds[] = { 0, PK_SERVICE, PK_FEDERATED, PK_CANONICAL };
    lua_getfield(L, idx, prin_types[t]);
    n = lua_type(L, -1) == LUA_TTABLE ? (size_t)lua_rawlen(L, -1) : 0;
    for (i = 0; i < n && k < total; i++) {
      size_t sl;
      const char *s;
      lua_rawgeti(L, -1, (lua_Integer)i + 1);
      s = lua_tolstring(L, -1, &sl);
      if (s != NULL) prin_parse(lpv_arena_strdup(L, a, s, sl), sl, kinds[t], &st->prin[k++]);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  st->nprin = k;
}

/* Compile the canonical document at idx (named name) into d. */
static void compile_doc(lua_State *L, lpv_arena *a, int idx, ev_doc *d) {
  size_t i, n;
  int v2012;
  idx = lua_absindex(L, idx);
  luaL_checkstack(L, 16, "policy too complex");
  lua_getfield(L, idx, "Version");
  v2012 = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "2012-10-17") == 0;
  lua_pop(L, 1);
  lua_getfield(L, idx, "Statement");
  if (lua_type(L, -1) != LUA_TTABLE) luaL_error(L, "a policy needs a Statement list");
  n = (size_t)lua_rawlen(L, -1);
  d->st = (ev_stmt *)lpv_arena_alloc(L, a, (n ? n : 1) * sizeof(ev_stmt));
  d->n = n;
  for (i = 0; i < n; i++) {
    ev_stmt *st = &d->st[i];
    int s;
    lua_rawgeti(L, -1, (lua_Integer)i + 1);
    s = lua_gettop(L);
    st->index = i;
    lua_getfield(L, s, "Sid");
    if (lua_type(L, -1) == LUA_TSTRING) st->sid = lpv_arena_strdup(L, a, lua_tostring(L, -1), lua_rawlen(L, -1));
    lua_getfield(L, s, "Effect");
    st->allow = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "Allow") == 0;
    lua_pop(L, 2);
    lua_getfield(L, s, "Action");
    if (lua_isnil(L, -1)) { lua_pop(L, 1); lua_getfield(L, s, "NotAction"); st->not_action = 1; }
    if (lua_type(L, -1) == LUA_TTABLE) st->act = compile_pats(L, a, lua_gettop(L), 1, v2012, &st->nact);
    lua_pop(L, 1);
    lua_getfield(L, s, "Resource");
    if (lua_isnil(L, -1)) { lua_pop(L, 1); lua_getfield(L, s, "NotResource"); st->not_resource = 1; }
    if (lua_type(L, -1) == LUA_TTABLE) {
      st->has_resource = 1;
      st->res = compile_pats(L, a, lua_gettop(L), 0, v2012, &st->nres);
    } else {
      st->not_resource = 0;
    }
    lua_pop(L, 1);
    lua_getfield(L, s, "Principal");
    if (lua_isnil(L, -1)) { lua_pop(L, 1); lua_getfield(L, s, "NotPrincipal"); st->not_principal = 1; }
    if (!lua_isnil(L, -1)) {
      st->has_principal = 1;
      compile_principal(L, a, lua_gettop(L), st);
    } else {
      st->not_principal = 0;
    }
    lua_pop(L, 1);
    lua_getfield(L, s, "Condition");
    if (lua_type(L, -1) == LUA_TTABLE) st->cond = lpv_cond_compile(L, a, -1, v2012, &st->ncond);
    lua_pop(L, 2);
  }
  lua_pop(L, 1);
}

/* Compile the list of { name =, document = } at idx into category c. */
static void compile_list(lua_State *L, ev_policy *P, int idx, ev_cat *c, int level) {
  size_t i, n = (size_t)lua_rawlen(L, idx), base = c->n;
  ev_doc *docs = (ev_doc *)lpv_arena_alloc(L, &P->arena, (base + n + 1) * sizeof(ev_doc));
  if (base) memcpy(docs, c->docs, base * sizeof(ev_doc));
  c->docs = docs;
  for (i = 0; i < n; i++) {
    ev_doc *d = &docs[base + i];
    lua_rawgeti(L, idx, (lua_Integer)i + 1);
    if (lua_type(L, -1) != LUA_TTABLE) luaL_error(L, "eval_compile: a policy entry must be a table");
    lua_getfield(L, -1, "name");
    d->name = lpv_arena_strdup(L, &P->arena, lua_isstring(L, -1) ? lua_tostring(L, -1) : "",
                               lua_isstring(L, -1) ? lua_rawlen(L, -1) : 0);
    lua_pop(L, 1);
    d->level = level;
    lua_getfield(L, -1, "document");
    compile_doc(L, &P->arena, -1, d);
    lua_pop(L, 2);
  }
  c->n = base + n;
  c->present = 1;
}

/* eval_compile(spec) -> Policy.  spec: { identity = {entries}, resource =,
** boundary =, session =, trust =, caller = (lists of { name =, document = }),
** scp = { {entries}, ... }, rcp = (by level), federation = bool }; each
** document canonical.  Raises on malformed input. */
static int l_compile(lua_State *L) {
  ev_policy *P;
  int c;
  luaL_checktype(L, 1, LUA_TTABLE);
  P = (ev_policy *)lua_newuserdata(L, sizeof(ev_policy));
  memset(P, 0, sizeof *P);
  luaL_setmetatable(L, POLICY_MT);
  P->ix = lpv_arnindex_get(L);
  for (c = 0; c < N_CAT; c++) {
    lua_getfield(L, 1, cat_names[c]);
    if (lua_isnil(L, -1)) { lua_pop(L, 1); continue; }
    luaL_argcheck(L, lua_type(L, -1) == LUA_TTABLE, 1, "policy groups must be lists");
    if (c == CAT_SCP || c == CAT_RCP) {
      int l, n = (int)lua_rawlen(L, -1);
      if (n > MAX_LEVELS) luaL_error(L, "eval_compile: at most %d organisation levels", MAX_LEVELS);
      for (l = 0; l < n; l++) {
        lua_rawgeti(L, -1, l + 1);
        luaL_argcheck(L, lua_type(L, -1) == LUA_TTABLE, 1, "organisation levels must be lists");
        compile_list(L, P, lua_gettop(L), &P->cat[c], l);
        lua_pop(L, 1);
      }
      P->cat[c].levels = n;
      P->cat[c].present = n > 0;
    } else {
      compile_list(L, P, lua_gettop(L), &P->cat[c], 0);
    }
    lua_pop(L, 1);
  }
  lua_getfield(L, 1, "federation");
  P->federation = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return 1;
}


/* ---- the request ---- */

/* Read one context value at the top of the stack into v (0: unusable). */
static int read_value(lua_State *L, lpv_cval *v) {
  switch (lua_type(L, -1)) {
    case LUA_TSTRING:
      v->s = lua_tolstring(L, -1, &v->len);
      return 1;
    case LUA_TBOOLEAN:
      v->s = lua_toboolean(L, -1) ? "true" : "false";
      v->len = strlen(v->s);
      return 1;
    case LUA_TNUMBER:
      if (lua_isinteger(L, -1)) {
        lua_Integer i = lua_tointeger(L, -1);
        char tmp[32];
        size_t n = 0, k;
        lua_Unsigned u = i < 0 ? (lua_Unsigned)0 - (lua_Unsigned)i : (lua_Unsigned)i;
        do { tmp[n++] = (char)('0' + (int)(u % 10)); u /= 10; } while (u);
        if (i < 0) tmp[n++] = '-';
        for (k = 0; k < n; k++) v->buf[k] = tmp[n - 1 - k];
        v->len = n;
      } else {
        /* lua_tolstring converts only this stack slot, not the table */
        const char *s = lua_tolstring(L, -1, &v->len);
        if (v->len >= sizeof v->buf) return 0;
        memcpy(v->buf, s, v->len);
      }
      v->s = v->buf;
      return 1;
    default:
      return 0;
  }
}

/* Add a derived key when the context lacks it. */
static void ctx_derive(lpv_ctx *c, size_t cap, const char *key, const char *s, size_t len,
                       lpv_cval *slot) {
  if (s == NULL || (size_t)c->n >= cap || lpv_ctx_find(c, key, strlen(key))) return;
  slot->s = s;
  slot->len = len;
  c->e[c->n].key = key;
  c->e[c->n].klen = strlen(key);
  c->e[c->n].vals = slot;
  c->e[c->n].n = 1;
  c->e[c->n].multi = 0;
  c->n++;
}

/* Read the context table at idx into r->ctx (scratch memory of P). */
static void read_context(lua_State *L, ev_policy *P, int idx, ev_req *r) {
  size_t nkeys = 0, nvals = 0, k = 0, v = 0;
  lpv_centry *ents;
  lpv_cval *vals;
  if (idx) {
    lua_pushnil(L);
    while (lua_next(L, idx)) {
      nkeys++;
      nvals += lua_type(L, -1) == LUA_TTABLE ? (size_t)lua_rawlen(L, -1) : 1;
      lua_pop(L, 1);
    }
  }
  if (nvals > CTX_MAX) luaL_error(L, "request context: too many values");
  nkeys += 3;                                  /* derived keys */
  nvals += 3;
  P->ents.len = P->vals.len = 0;
  ents = (lpv_centry *)(void *)lpv_scratch_room(L, &P->ents, nkeys * sizeof(lpv_centry) + 16);
  vals = (lpv_cval *)(void *)lpv_scratch_room(L, &P->vals, nvals * sizeof(lpv_cval) + 16);
  r->ctx.e = ents;
  r->ctx.n = 0;
  if (idx) {
    lua_pushnil(L);
    while (lua_next(L, idx)) {
      lpv_centry *e = &ents[k];
      if (lua_type(L, -2) != LUA_TSTRING) luaL_error(L, "request context: keys must be strings");
      e->key = lua_tolstring(L, -2, &e->klen);
      e->vals = &vals[v];
      e->n = 0;
      if (lua_type(L, -1) == LUA_TTABLE) {
        lua_Integer i, n = (lua_Integer)lua_rawlen(L, -1);
        e->multi = 1;
        for (i = 1; i <= n; i++) {
          lua_rawgeti(L, -1, i);
          if (!read_value(L, &vals[v]))
            luaL_error(L, "request context: %s values must be strings, numbers or booleans", e->key);
          /* strings stay alive: the list holds them */
          v++;
          e->n++;
          lua_pop(L, 1);
        }
      } else {
        e->multi = 0;
        if (!read_value(L, &vals[v]))
          luaL_error(L, "request context: %s must be a string, number, boolean or list", e->key);
        v++;
        e->n = 1;
      }
      k++;
      lua_pop(L, 1);
    }
  }
  r->ctx.n = (int)k;
  /* keys the principal implies */
  if (r->p.kind == PK_USER || r->p.kind == PK_SESSION || r->p.kind == PK_ROLE ||
      r->p.kind == PK_FEDUSER || r->p.kind == PK_ACCOUNT) {
    char *buf;
    size_t need = r->p.len + 64, n;
    P->strs.len = 0;
    buf = lpv_scratch_room(L, &P->strs, need);
    if (r->p.kind == PK_SESSION && r->p.part) {
      size_t rl = session_role_len(&r->p);
      n = 0;
      /* buf is counted (buf, n), never NUL-terminated */
      /* NOLINTBEGIN(bugprone-not-null-terminated-result) */
      memcpy(buf, "arn:", 4); n += 4;
      memcpy(buf + n, r->p.part, r->p.partlen); n += r->p.partlen;
      memcpy(buf + n, ":iam::", 6); n += 6;
      memcpy(buf + n, r->p.acct, r->p.acctlen); n += r->p.acctlen;
      memcpy(buf + n, ":role/", 6); n += 6;
      memcpy(buf + n, r->p.name, rl); n += rl;
      /* NOLINTEND(bugprone-not-null-terminated-result) */
      ctx_derive(&r->ctx, nkeys, "aws:PrincipalArn", buf, n, &vals[v++]);
    } else if (r->p.kind != PK_ACCOUNT || r->p.part) {
      ctx_derive(&r->ctx, nkeys, "aws:PrincipalArn", r->p.s, r->p.len, &vals[v++]);
    }
    if (r->p.acctlen)
      ctx_derive(&r->ctx, nkeys, "aws:PrincipalAccount", r->p.acct, r->p.acctlen, &vals[v++]);
    if (r->p.kind == PK_USER) {
      const char *slash = r->p.name + r->p.namelen;
      while (slash > r->p.name && slash[-1] != '/') slash--;
      ctx_derive(&r->ctx, nkeys, "aws:username", slash,
                 (size_t)(r->p.name + r->p.namelen - slash), &vals[v++]);
    }
  }
}

/* Is arn a KMS key (arn:PARTITION:kms:REGION:ACCOUNT:key/ID)? */
static int is_kms_key(const char *arn, size_t len) {
  lpv_arn a;
  return lpv_arn_split(arn, len, &a) == 6 && same(a.part[LPV_ARN_SERVICE], a.len[LPV_ARN_SERVICE], "kms", 3) &&
         starts(a.part[LPV_ARN_RESOURCE], a.len[LPV_ARN_RESOURCE], "key/");
}

static const char *const trust_actions[] = {
  "sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
  "sts:tagsession", "sts:setsourceidentity", "sts:setcontext", NULL
};

/* Read the request table at idx into r; raises on misuse. */
static void read_request(lua_State *L, ev_policy *P, int idx, ev_req *r) {
  size_t i;
  int ctx = 0;
  memset(r, 0, sizeof *r);
  lua_getfield(L, idx, "action");
  r->action = lua_tolstring(L, -1, &r->alen);
  if (lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "request.action must be a string like \"s3:GetObject\"");
  lua_pop(L, 1);                      /* the request table holds it */
  if (r->alen > LOW_MAX) luaL_error(L, "request.action is too long (%d bytes at most)", LOW_MAX);
  for (i = 0; i < r->alen; i++) r->low[i] = (char)ev_lower((unsigned char)r->action[i]);
  r->id = lpv_catalog_find_action(r->low, r->alen);
  for (i = 0; trust_actions[i]; i++)
    if (strlen(trust_actions[i]) == r->alen && memcmp(trust_actions[i], r->low, r->alen) == 0)
      r->trust = P->cat[CAT_TRUST].present;

  lua_getfield(L, idx, "resource");
  if (lua_type(L, -1) == LUA_TSTRING) r->res = lua_tolstring(L, -1, &r->rlen);
  else if (!lua_isnil(L, -1)) luaL_error(L, "request.resource must be an ARN string or \"*\"");
  lua_pop(L, 1);

  lua_getfield(L, idx, "principal");
  switch (lua_type(L, -1)) {
    case LUA_TNIL: r->p.kind = PK_NONE; break;
    case LUA_TSTRING: {
      size_t len;
      const char *s = lua_tolstring(L, -1, &len);
      if (len == 9 && memcmp(s, "anonymous", 9) == 0) { r->p.kind = PK_ANON; r->p.s = s; r->p.len = len; }
      else if (!starts(s, len, "arn:") && !is_account(s, len) && memchr(s, '.', len))
        prin_parse(s, len, PK_SERVICE, &r->p);
      else {
        prin_parse(s, len, 0, &r->p);
        if (r->p.kind == PK_STAR) r->p.kind = PK_ANON;
      }
      break;
    }
    case LUA_TTABLE: {
      static const char *const fields[] = { "aws", "service", "federated", "canonical_user", NULL };
      static const int kinds[] = { 0, PK_SERVICE, PK_FEDERATED, PK_CANONICAL };
      int f, found = 0;
      for (f = 0; fields[f] && !found; f++) {
        lua_getfield(L, -1, fields[f]);
        if (lua_type(L, -1) == LUA_TSTRING) {
          size_t len;
          const char *s = lua_tolstring(L, -1, &len);
          prin_parse(s, len, kinds[f], &r->p);
          found = 1;
        }
        lua_pop(L, 1);   /* the principal table holds the string */
      }
      if (!found) luaL_error(L, "request.principal must be an ARN, an account id, a service "
                                "name, or { aws = | service = | federated = | canonical_user = }");
      break;
    }
    default:
      luaL_error(L, "request.principal must be a string or a table");
  }
  lua_pop(L, 1);                      /* the request table holds it */

  /* the resource's account, for cross-account requests */
  lua_getfield(L, idx, "resource_account");
  if (lua_type(L, -1) == LUA_TSTRING) r->racct = lua_tolstring(L, -1, &r->racctlen);
  lua_pop(L, 1);
  if (r->racct == NULL && r->res != NULL) {
    lpv_arn a;
    if (lpv_arn_split(r->res, r->rlen, &a) == 6 && a.len[LPV_ARN_ACCOUNT] > 0) {
      r->racct = a.part[LPV_ARN_ACCOUNT];
      r->racctlen = a.len[LPV_ARN_ACCOUNT];
    }
  }
  r->res_kms_key = r->res != NULL && is_kms_key(r->res, r->rlen);
  r->kms_key = r->res_kms_key && starts(r->low, r->alen, "kms:");
  r->cross = r->racct != NULL && r->racctlen > 0 && r->p.acctlen > 0 &&
             !same(r->racct, r->racctlen, r->p.acct, r->p.acctlen) &&
             !(r->racctlen == 1 && r->racct[0] == '*');

  lua_getfield(L, idx, "context");
  if (lua_type(L, -1) == LUA_TTABLE) ctx = lua_gettop(L);
  else if (!lua_isnil(L, -1)) luaL_error(L, "request.context must be a table");
  read_context(L, P, ctx, r);
  /* the context table stays on the stack while the request is evaluated */
}


/* ---- statements ---- */

static int match_action(const ev_stmt *s, const ev_req *r) {
  size_t i;
  int hit = 0;
  for (i = 0; i < s->nact && !hit; i++) {
    const ev_pat *p = &s->act[i];
    if (p->wild) hit = lpv_glob_match(p->s, p->len, r->low, r->alen, 1);
    else if (p->id >= 0 && r->id >= 0) hit = p->id == r->id;
    else hit = same(p->s, p->len, r->low, r->alen);
  }
  return s->not_action ? !hit : hit;
}

static int match_resource(ev_policy *P, lua_State *L, const ev_stmt *s, const ev_req *r) {
  size_t i;
  int hit = 0;
  const char *res = r->res ? r->res : "*";
  size_t rlen = r->res ? r->rlen : 1;
  if (!s->has_resource) return 1;
  for (i = 0; i < s->nres && !hit; i++) {
    const ev_pat *p = &s->res[i];
    if (p->var) {
      int lit;
      if (!lpv_var_substitute(L, p->s, p->len, &r->ctx, &P->sub, &P->mask, &lit)) continue;
      hit = lpv_arn_match_resource_masked(P->sub.p, lit ? P->mask.p : NULL, P->sub.len, res, rlen);
    } else {
      hit = lpv_arn_match_resource(p->s, p->len, res, rlen);
    }
  }
  return s->not_resource ? !hit : hit;
}

/* Strength with which statement s names the request principal. */
static int match_principal(const ev_stmt *s, const ev_req *r) {
  size_t i;
  int best = ST_NONE;
  if (!s->has_principal) return ST_NONE;
  if (s->not_principal) return notprin_applies(s, &r->p) ? ST_DIRECT : ST_NONE;
  if (r->p.kind == PK_NONE) {
    for (i = 0; i < s->nprin; i++) if (s->prin[i].kind == PK_STAR) return ST_DIRECT;
    return ST_NONE;
  }
  for (i = 0; i < s->nprin; i++) {
    int m = prin_match(&s->prin[i], &r->p);
    if (r->p.kind == PK_ANON && s->prin[i].kind != PK_STAR) m = ST_NONE;
    if (m > best) best = m;
  }
  return best;
}

/* Evaluate statement s; returns R_*; *strength for principal-bearing kinds. */
static int eval_stmt(lua_State *L, ev_policy *P, const ev_stmt *s, const ev_req *r, int cat,
                     int *strength, lpv_cond_why *why) {
  *strength = ST_DIRECT;
  if (!match_action(s, r)) return R_ACTION;
  if (!match_resource(P, L, s, r)) return R_RESOURCE;
  if (cat == CAT_RESOURCE || cat == CAT_TRUST || cat == CAT_RCP || cat == CAT_ENDPOINT) {
    *strength = match_principal(s, r);
    /* an endpoint policy naming an account means its root user only */
    if (*strength == ST_NONE || (cat == CAT_ENDPOINT && *strength == ST_ACCOUNT))
      return R_PRINCIPAL;
  }
  if (s->ncond && !lpv_cond_eval(L, s->cond, s->ncond, &r->ctx, &P->sub, &P->mask, why))
    return R_CONDITION;
  return R_MATCH;
}


/* ---- explanations ---- */

static void set_str(lua_State *L, const char *k, const char *v) {
  lua_pushstring(L, v);
  lua_setfield(L, -2, k);
}

/* Push the request's value(s) of e as a string or a list (nil if absent). */
static void push_entry(lua_State *L, const lpv_centry *e) {
  int i;
  if (e == NULL) { lua_pushnil(L); return; }
  if (!e->multi) { lua_pushlstring(L, e->vals[0].s, e->vals[0].len); return; }
  lua_createtable(L, e->n, 0);
  for (i = 0; i < e->n; i++) {
    lua_pushlstring(L, e->vals[i].s, e->vals[i].len);
    lua_rawseti(L, -2, i + 1);
  }
}

/* Append a record of statement s (in doc d of category cat) to the list at
** list. */
static void explain_stmt(lua_State *L, int list, int cat, const ev_doc *d, const ev_stmt *s,
                         int result, int strength, const lpv_cond_why *why) {
  lua_createtable(L, 0, 10);
  set_str(L, "kind", cat_names[cat]);
  set_str(L, "policy", d->name);
  if (cat == CAT_SCP || cat == CAT_RCP) { lua_pushinteger(L, d->level + 1); lua_setfield(L, -2, "level"); }
  lua_pushinteger(L, (lua_Integer)s->index + 1);
  lua_setfield(L, -2, "index");
  if (s->sid) set_str(L, "sid", s->sid);
  set_str(L, "effect", s->allow ? "Allow" : "Deny");
  set_str(L, "result", result_names[result]);
  lua_pushboolean(L, result == R_MATCH);
  lua_setfield(L, -2, "matched");
  if ((cat == CAT_RESOURCE || cat == CAT_TRUST || cat == CAT_RCP || cat == CAT_ENDPOINT) &&
      result == R_MATCH)
    set_str(L, "principal_match", strength_names[strength]);
  if (result == R_CONDITION && why->cond) {
    lpv_cond_push(L, why->cond);
    push_entry(L, why->entry);
    lua_setfield(L, -2, "request");
    lua_pushboolean(L, why->entry != NULL && why->entry->n > 0);
    lua_setfield(L, -2, "present");
    if (why->unresolved) {
      lua_pushboolean(L, 1);
      lua_setfield(L, -2, "unresolved");
    }
    lua_setfield(L, -2, "condition");
  }
  lua_rawseti(L, list, (lua_Integer)lua_rawlen(L, list) + 1);
}


/* ---- deciding ---- */

/* Evaluate every statement of category cat; explain: list index or 0. */
static void eval_cat(lua_State *L, ev_policy *P, int cat, const ev_req *r, ev_res *out, int explain) {
  const ev_cat *c = &P->cat[cat];
  size_t di, si;
  memset(out, 0, sizeof *out);
  for (di = 0; di < c->n; di++) {
    const ev_doc *d = &c->docs[di];
    for (si = 0; si < d->n; si++) {
      const ev_stmt *s = &d->st[si];
      lpv_cond_why why;
      int strength, res;
      why.cond = NULL;
      why.entry = NULL;
      why.unresolved = 0;
      if (!explain && !s->allow && out->deny) continue;
      res = eval_stmt(L, P, s, r, cat, &strength, explain ? &why : NULL);
      if (explain && res != R_ACTION) explain_stmt(L, explain, cat, d, s, res, strength, &why);
      if (res != R_MATCH) continue;
      if (!s->allow) out->deny = 1;
      else {
        out->allow = 1;
        if (strength > out->strength) out->strength = strength;
        out->levels |= 1U << d->level;
      }
    }
  }
}

static int levels_ok(const ev_policy *P, int cat, const ev_res *x) {
  const ev_cat *c = &P->cat[cat];
  unsigned all;
  if (!c->present || c->levels == 0) return 1;
  all = (c->levels >= 32) ? 0xffffffffU : ((1U << c->levels) - 1);
  return (x->levels & all) == all;
}

/* Does category c take part in request r? */
static int cat_applies(const ev_req *r, int c) {
  int anon = r->p.kind == PK_ANON, service = r->p.kind == PK_SERVICE ||
      r->p.kind == PK_FEDERATED;
  switch (c) {
    case CAT_TRUST: case CAT_CALLER: case CAT_CALLER_BOUNDARY: case CAT_CALLER_SESSION:
      if (!r->trust) return 0;
      break;
    case CAT_RESOURCE: case CAT_IDENTITY: case CAT_BOUNDARY: case CAT_SESSION:
      if (r->trust) return 0;
      break;
    default: break;
  }
  switch (c) {
    case CAT_SCP: case CAT_IDENTITY: case CAT_CALLER: case CAT_BOUNDARY: case CAT_SESSION:
    case CAT_CALLER_BOUNDARY: case CAT_CALLER_SESSION:
      return !anon && !service;     /* the principal's own side */
    case CAT_RCP: return !service;
    default: return 1;
  }
}

static const char *const deny_msgs[N_CAT] = {
  "explicitly denied by a service control policy",
  "explicitly denied by a resource control policy",
  "explicitly denied by the resource policy",
  "explicitly denied by the trust policy",
  "explicitly denied by an identity policy",
  "explicitly denied by the caller's identity policy",
  "explicitly denied by the permissions boundary",
  "explicitly denied by the session policy",
  "explicitly denied by the caller's permissions boundary",
  "explicitly denied by the caller's session policy",
  "explicitly denied by the VPC endpoint policy"
};

/* The decision (0 allow, 1 explicit deny, 2 implicit deny), a reason and
** the policy kind that decided it (*by: a category, or BY_AWS). */
static int decide(lua_State *L, ev_policy *P, ev_req *r, int explain, const char **why, int *by) {
  ev_res res[N_CAT];
  int c, anon = r->p.kind == PK_ANON, service = r->p.kind == PK_SERVICE ||
      r->p.kind == PK_FEDERATED;
  int principal_side = !anon && !service;
  int idc = r->trust ? CAT_CALLER : CAT_IDENTITY;
  int rsc = r->trust ? CAT_TRUST : CAT_RESOURCE;
  int bnd = r->trust ? CAT_CALLER_BOUNDARY : CAT_BOUNDARY;
  int ses = r->trust ? CAT_CALLER_SESSION : CAT_SESSION;
  int strength;
  r->refused = NULL;
  r->default_key_policy = 0;
  *by = BY_AWS;
  if (lpv_eval_needs_no_permission(r->low, r->alen) && r->p.kind != PK_ANON) {
    *why = "sts:GetCallerIdentity needs no permission, and no policy can deny it";
    return 0;
  }
  r->refused = lpv_eval_refused(r->low, r->alen, r->res, r->rlen, r->p.s, r->p.len);
  if (r->refused) {
    *why = r->refused->reason;
    return 1;
  }
  for (c = 0; c < N_CAT; c++) {
    if (!cat_applies(r, c)) { memset(&res[c], 0, sizeof res[c]); continue; }
    eval_cat(L, P, c, r, &res[c], explain);
  }
  for (c = 0; c < N_CAT; c++) {
    if (res[c].deny) { *why = deny_msgs[c]; *by = c; return 1; }
  }
  *by = CAT_ENDPOINT;
  if (P->cat[CAT_ENDPOINT].present && !res[CAT_ENDPOINT].allow) {
    *why = "the VPC endpoint policy does not allow this request through the endpoint";
    return 2;
  }
  *by = CAT_RCP;
  if (!service && !levels_ok(P, CAT_RCP, &res[CAT_RCP])) {
    *why = "no resource control policy allows it at every level of the organisation";
    return 2;
  }
  *by = CAT_SCP;
  if (principal_side && !levels_ok(P, CAT_SCP, &res[CAT_SCP])) {
    *why = "no service control policy allows it at every level of the organisation";
    return 2;
  }
  strength = res[rsc].allow ? res[rsc].strength : ST_NONE;
  *by = rsc;
  if (r->kms_key && !r->trust) {
    if (!P->cat[CAT_RESOURCE].present) {
      /* the default key policy allows the key's account (its root user), so
      ** that IAM policies of that account count */
      r->default_key_policy = 1;
      strength = r->cross || !principal_side ? ST_NONE
               : r->p.kind == PK_ACCOUNT ? ST_DIRECT : ST_ACCOUNT;
    } else if (!r->cross && principal_side && strength == ST_NONE) {
      *why = "the key policy allows neither this principal nor its account, and IAM "
             "policies alone cannot allow access to a KMS key";
      return 2;
    }
  }
  if (r->trust && strength == ST_NONE) {
    *why = "the trust policy does not allow this principal";
    return 2;
  }
  if (!principal_side) {
    if (strength == ST_DIRECT) { *why = r->trust ? "allowed by the trust policy"
                                                 : "allowed by the resource policy"; return 0; }
    *why = anon ? "anonymous requests need a resource policy that allows \"*\""
                : "no resource policy allows this principal";
    return 2;
  }
  if (r->cross) {
    if (strength == ST_NONE) {
      *why = r->trust ? "the trust policy does not allow this principal"
                      : "cross-account: no resource policy in the resource's account allows this principal";
      return 2;
    }
    if (!res[idc].allow && r->p.kind != PK_ACCOUNT) {
      *by = idc;
      *why = r->trust ? "cross-account: the caller's identity policy does not allow it"
                      : "cross-account: no identity policy allows it";
      return 2;
    }
  } else if (strength == ST_DIRECT) {
    *why = r->trust ? "allowed by the trust policy, which names the principal"
                    : "allowed by the resource policy, which names the principal";
    return 0;
  } else if (strength != ST_ROLE && !res[idc].allow && r->p.kind != PK_ACCOUNT) {
    *by = idc;
    if (r->trust) *why = "the trust policy names only the account: the caller's identity policy must also allow it";
    else if (strength == ST_ACCOUNT) *why = "the resource policy names only the account: an identity policy must also allow it";
    else *why = "no identity policy allows it";
    return 2;
  }
  *by = bnd;
  if (P->cat[bnd].present && !res[bnd].allow) {
    *why = r->trust ? "the caller's permissions boundary does not allow it"
                    : "the permissions boundary does not allow it";
    return 2;
  }
  *by = ses;
  if (P->cat[ses].present && !res[ses].allow) {
    *why = r->trust ? "the caller's session policy does not allow it"
                    : "the session policy does not allow it";
    return 2;
  }
  if (!P->cat[ses].present && ((P->federation && !r->trust) || r->p.kind == PK_FEDUSER)) {
    *why = "a federated user session without a session policy has no permissions";
    return 2;
  }
  *by = strength == ST_ROLE || r->cross ? rsc : idc;
  *why = r->cross ? "allowed by both accounts"
       : strength == ST_ROLE ? "allowed by the resource policy, which names the role"
       : r->trust ? "allowed by the trust policy and the caller's identity policy"
       : "allowed by an identity policy";
  return 0;
}

/* The resource types of arn, through P's cache; returns how many. */
static int arn_types(lua_State *L, ev_policy *P, const char *arn, size_t len, unsigned *out) {
  uint32_t h = 0x811c9dc5U;
  size_t i;
  ev_types *t;
  if (len > TYPE_ARN_MAX) return lpv_catalog_arn_rtypes(P->ix, arn, len, out, MAX_TYPES);
  for (i = 0; i < len; i++) h = (h ^ (unsigned char)arn[i]) * 0x01000193U;
  if (P->types == NULL)
    P->types = (ev_types *)lpv_arena_alloc(L, &P->arena, TYPE_CACHE * sizeof(ev_types));
  t = &P->types[h & (TYPE_CACHE - 1)];
  if (!(t->used && t->len == len && memcmp(t->arn, arn, len) == 0)) {
    memcpy(t->arn, arn, len);
    t->len = len;
    t->n = lpv_catalog_arn_rtypes(P->ix, arn, len, t->types, MAX_TYPES);
    t->used = 1;
  }
  memcpy(out, t->types, sizeof t->types);
  return t->n;
}

/* Can the request never be valid?  0 when it can; else pushes a message
** and returns 1. */
static int check_request(lua_State *L, ev_policy *P, const ev_req *r) {
  unsigned types[MAX_TYPES];
  int n;
  if (r->id < 0 || r->res == NULL || (r->rlen == 1 && r->res[0] == '*')) return 0;
  if (lpv_catalog_action_wildcard_only(r->id)) {
    lua_pushfstring(L, "%s has no resource type: it applies only to \"*\"",
                    lpv_catalog_action_name(r->id, NULL));
    return 1;
  }
  n = arn_types(L, P, r->res, r->rlen, types);
  if (n == 0) {
    lua_pushliteral(L, "the resource is not an ARN of any resource type in the catalog");
    return 1;
  }
  if (!lpv_catalog_action_has_rtype(r->id, types, n)) {
    lua_pushfstring(L, "%s does not act on a resource of type %s",
                    lpv_catalog_action_name(r->id, NULL), lpv_catalog_rtype_name(types[0]));
    return 1;
  }
  return 0;
}

static const char *const decision_names[] = { "allow", "explicit_deny", "implicit_deny" };

/* P:decide(request [, explain]) -> decision [, explanation] */
static int l_decide(lua_State *L) {
  ev_policy *P = check_policy(L, 1);
  int explain = lua_toboolean(L, 3), list = 0, d, top, invalid, by;
  const char *why = NULL;
  ev_req r;
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 3);
  read_request(L, P, 2, &r);
  top = lua_gettop(L);
  invalid = check_request(L, P, &r);
  if (explain) {
    lua_newtable(L);
    list = lua_gettop(L);
  }
  if (invalid) {
    lua_pushliteral(L, "implicit_deny");
    lua_createtable(L, 0, 4);
    lua_pushvalue(L, top + 1);
    lua_setfield(L, -2, "invalid");
    set_str(L, "decision", "implicit_deny");
    if (list) { lua_pushvalue(L, list); lua_setfield(L, -2, "statements"); }
    return 2;
  }
  d = decide(L, P, &r, list, &why, &by);
  lua_pushstring(L, decision_names[d]);
  if (!explain) return 1;
  lua_createtable(L, 0, 12);
  set_str(L, "decision", decision_names[d]);
  set_str(L, "reason", why);
  set_str(L, "decided_by", by == BY_AWS ? "aws" : cat_names[by]);
  if (r.refused) {
    lpv_eval_push_refusal(L, r.refused);
    lua_setfield(L, -2, "refused");
  }
  if (r.default_key_policy)
    set_str(L, "assumed", "no key policy was given: AWS's default key policy was assumed, which "
                          "allows the key's account (arn:aws:iam::ACCOUNT:root) kms:*, so that "
                          "IAM policies of that account decide");
  lua_pushvalue(L, list);
  lua_setfield(L, -2, "statements");
  lua_pushboolean(L, r.cross);
  lua_setfield(L, -2, "cross_account");
  lua_pushboolean(L, r.trust);
  lua_setfield(L, -2, "trust");
  set_str(L, "principal_kind", pk_names[r.p.kind]);
  lua_pushboolean(L, r.id >= 0);
  lua_setfield(L, -2, "known_action");
  (void)top;
  return 2;
}

/* Point r at catalog action i. */
static void set_action(ev_policy *P, ev_req *r, long i) {
  size_t k, len;
  const char *name = lpv_catalog_action_name(i, &len);
  r->action = name;
  r->alen = len < LOW_MAX ? len : LOW_MAX;
  for (k = 0; k < r->alen; k++) r->low[k] = (char)ev_lower((unsigned char)name[k]);
  r->id = i;
  r->kms_key = r->res_kms_key && starts(r->low, r->alen, "kms:");
  r->trust = 0;
  for (k = 0; trust_actions[k]; k++)
    if (strlen(trust_actions[k]) == r->alen && memcmp(trust_actions[k], r->low, r->alen) == 0)
      r->trust = P->cat[CAT_TRUST].present;
}

/* P:effective(request) -> sorted list of the catalog actions allowed on
** request.resource ("*" or an ARN; the action field is ignored), with its
** principal and context.  For an ARN, only actions that act on one of its
** resource types are tried; for "*", every action. */
static int l_effective(lua_State *L) {
  ev_policy *P = check_policy(L, 1);
  unsigned types[MAX_TYPES];
  int ntypes = 0, star, n = 0;
  long i, count = lpv_catalog_action_count();
  ev_req r;
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  lua_pushliteral(L, "sts:AssumeRole");      /* read_request needs an action */
  lua_setfield(L, 2, "action");
  read_request(L, P, 2, &r);
  lua_pushnil(L);
  lua_setfield(L, 2, "action");
  star = r.res == NULL || (r.rlen == 1 && r.res[0] == '*');
  if (!star) {
    ntypes = arn_types(L, P, r.res, r.rlen, types);
    if (ntypes == 0) {
      lua_pushnil(L);
      lua_pushliteral(L, "the resource is not an ARN of any resource type in the catalog");
      return 2;
    }
  }
  lua_newtable(L);
  for (i = 0; i < count; i++) {
    const char *why;
    int by;
    if (!star && !lpv_catalog_action_has_rtype(i, types, ntypes)) continue;
    set_action(P, &r, i);
    if (decide(L, P, &r, 0, &why, &by) != 0) continue;
    lua_pushlstring(L, r.action, r.alen);
    lua_rawseti(L, -2, ++n);
  }
  return 1;
}

/* P:kinds() -> set of the policy kinds present */
static int l_kinds(lua_State *L) {
  ev_policy *P = check_policy(L, 1);
  int c;
  lua_newtable(L);
  for (c = 0; c < N_CAT; c++) {
    if (!P->cat[c].present) continue;
    lua_pushinteger(L, (lua_Integer)P->cat[c].n);
    lua_setfield(L, -2, cat_names[c]);
  }
  return 1;
}

static int l_gc(lua_State *L) {
  ev_policy *P = check_policy(L, 1);
  arena_free(L, &P->arena);
  memset(P->cat, 0, sizeof P->cat);
  P->types = NULL;
  lpv_scratch_free(L, &P->sub);
  lpv_scratch_free(L, &P->mask);
  lpv_scratch_free(L, &P->ents);
  lpv_scratch_free(L, &P->vals);
  lpv_scratch_free(L, &P->strs);
  return 0;
}

static int l_tostring(lua_State *L) {
  ev_policy *P = check_policy(L, 1);
  size_t n = 0;
  int c;
  for (c = 0; c < N_CAT; c++) n += P->cat[c].n;
  lua_pushfstring(L, "leastpriv.Policy (%d documents)", (int)n);
  return 1;
}

static const luaL_Reg policy_methods[] = {
  {"decide", l_decide},
  {"effective", l_effective},
  {"kinds", l_kinds},
  {NULL, NULL}
};

static const luaL_Reg policy_meta[] = {
  {"__gc", l_gc},
  {"__close", l_gc},
  {"__tostring", l_tostring},
  {NULL, NULL}
};

/* eval_applies(action, resource) -> boolean: can the catalog action act on
** the resource ("*", an ARN, or an ARN pattern)?  true for unknown actions
** and for resources the catalog cannot type. */
static int l_applies(lua_State *L) {
  size_t alen, rlen;
  const char *a = luaL_checklstring(L, 1, &alen), *res = luaL_checklstring(L, 2, &rlen);
  unsigned types[MAX_TYPES];
  long id = lpv_catalog_find_action(a, alen);
  int n, ok = 1;
  if (id >= 0 && !(rlen == 1 && res[0] == '*')) {
    if (lpv_catalog_action_wildcard_only(id)) ok = 0;
    else if (memchr(res, '*', rlen) || memchr(res, '?', rlen))
      /* a pattern: can it match any resource of the action's types? */
      ok = lpv_catalog_action_pattern_applies(id, res, rlen);
    else if ((n = lpv_catalog_arn_rtypes(lpv_arnindex_get(L), res, rlen, types, MAX_TYPES)) > 0)
      ok = lpv_catalog_action_has_rtype(id, types, n);
  }
  lua_pushboolean(L, ok);
  return 1;
}

static const luaL_Reg eval_funcs[] = {
  {"eval_applies", l_applies},
  {"eval_compile", l_compile},
  {"eval_decide", l_decide},
  {NULL, NULL}
};

void lpv_open_eval(lua_State *L) {
  if (luaL_newmetatable(L, POLICY_MT)) {
    luaL_setfuncs(L, policy_meta, 0);
    luaL_newlib(L, policy_methods);
    lua_setfield(L, -2, "__index");
  }
  lua_pop(L, 1);
  luaL_setfuncs(L, eval_funcs, 0);
}
