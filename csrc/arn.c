/*
** arn.c: Amazon Resource Names: split, validate, format and match.
**
** arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, split on the first five
** colons (the resource part may hold ':' and '/').  Two match semantics:
** the Resource element's, where a trailing '*' of a short pattern reaches
** across colons and the resource part is matched as one string, and
** ArnLike's, where the six parts are matched separately.
** Template placeholders (OPEN EXPR CLOSE, LPV_PH_*, see docs/internal/contracts.md) are
** opaque: validation checks the characters outside them, and that they are
** balanced, not empty, with no ':' or control byte in EXPR.
** lpv_arn_part_check is the one validation of ARN parts: arn_check,
** arn_parse, arn_format and catalog_arn_build (catalog.c) all use it.
*/
#include <string.h>

#include "leastpriv.h"

int lpv_arn_split(const char *s, size_t len, lpv_arn *out) {
  int n = 0;
  size_t start = 0, i;
  for (i = 0; i < len && n < 5; i++) {
    if (s[i] == ':') {
      out->part[n] = s + start;
      out->len[n] = i - start;
      n++;
      start = i + 1;
    }
  }
  out->part[n] = s + start;
  out->len[n] = len - start;
  return n + 1;
}

/* Is every byte of s outside placeholders in the set (wildcards skipped
** when wild)?  The set is given as a predicate on one byte.  Placeholders
** must have been found balanced (arn_scan). */
static int arn_all(const char *s, size_t len, int (*ok)(int), int wild) {
  size_t i;
  for (i = 0; i < len; i++) {
    int c = (unsigned char)s[i];
    if (c == LPV_PH_OPEN) {             /* skip a placeholder */
      while (i < len && (unsigned char)s[i] != LPV_PH_CLOSE) i++;
      continue;
    }
    if (wild && (c == '*' || c == '?')) continue;
    if (!ok(c)) return 0;
  }
  return 1;
}

static int arn_is_lowalnum_dash(int c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static int arn_is_digit(int c) { return c >= '0' && c <= '9'; }

static int arn_is_control(int c) { return c < 0x20 || c == 0x7f; }

static int arn_not_control(int c) { return !arn_is_control(c); }

/* The placeholders of s must be well formed: OPEN, a non-empty expression
** without ':' (it would shift the ARN's parts) or control bytes, CLOSE.
** NULL when they are, else why not.  *opaque: s holds a placeholder;
** *wild: s holds '*' or '?' outside them. */
static const char *arn_scan(const char *s, size_t len, int *opaque, int *wild) {
  size_t i, j;
  *opaque = *wild = 0;
  for (i = 0; i < len; i++) {
    int c = (unsigned char)s[i];
    if (c == LPV_PH_CLOSE) return "has an unbalanced template placeholder";
    if (c == '*' || c == '?') *wild = 1;
    if (c != LPV_PH_OPEN) continue;
    for (j = i + 1; j < len && (unsigned char)s[j] != LPV_PH_CLOSE; j++) {
      c = (unsigned char)s[j];
      if (c == LPV_PH_OPEN) return "has an unbalanced template placeholder";
      if (c == ':' || arn_is_control(c))
        return "holds a template placeholder with ':' or a control character in it";
    }
    if (j == len) return "has an unbalanced template placeholder";
    if (j == i + 1) return "holds an empty template placeholder";
    *opaque = 1;
    i = j;
  }
  return NULL;
}

/* "aws" or "aws-" then lowercase letters, digits and '-', not ending in
** '-' (aws-cn, aws-us-gov, aws-iso-b, ...): the syntax, not a list, so
** that new partitions pass (validation's INVALID_PARTITION knows the list). */
static int arn_partition_ok(const char *s, size_t len) {
  if (len < 3 || memcmp(s, "aws", 3) != 0) return 0;
  if (len == 3) return 1;
  return s[3] == '-' && len > 4 && s[len - 1] != '-' &&
         arn_all(s + 4, len - 4, arn_is_lowalnum_dash, 0);
}

/* us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-isob-east-1 */
static int arn_region_ok(const char *s, size_t len) {
  size_t i = 0, dashes = 0;
  if (len < 4 || !(s[0] >= 'a' && s[0] <= 'z') || !(s[1] >= 'a' && s[1] <= 'z'))
    return 0;
  for (i = 2; i < len; i++) {
    if (s[i] == '-') {
      if (s[i - 1] == '-') return 0;
      dashes++;
    } else if (!arn_is_lowalnum_dash(s[i])) {
      return 0;
    }
  }
  /* ends in "-<digits>" and has at least two dashes */
  i = len;
  while (i > 0 && arn_is_digit((unsigned char)s[i - 1])) i--;
  return dashes >= 2 && i < len && i > 0 && s[i - 1] == '-';
}

/* a 12-digit account ID or "aws" (AWS managed policies) */
static int arn_account_ok(const char *s, size_t len) {
  if (len == 3 && memcmp(s, "aws", 3) == 0) return 1;
  return len == 12 && arn_all(s, len, arn_is_digit, 0);
}

const char *lpv_arn_part_check(int part, const char *s, size_t len, int allow_wild) {
  int opaque, wild;
  const char *why = arn_scan(s, len, &opaque, &wild);
  /* a part with a placeholder or an allowed wildcard: only the characters
  ** outside them are checked, not the part's exact form */
  int loose = opaque || (wild && allow_wild);
  if (why) return why;
  switch (part) {
  case LPV_ARN_PARTITION:
    if (len == 0) return "is empty (use aws, aws-cn or aws-us-gov)";
    if (loose ? !arn_all(s, len, arn_is_lowalnum_dash, allow_wild) : !arn_partition_ok(s, len))
      return "is not a partition (aws, aws-cn, aws-us-gov, ...)";
    return NULL;
  case LPV_ARN_SERVICE:
    if (len == 0) return "is empty";
    if (wild) return "must be spelled out: no wildcards there";
    if (!arn_all(s, len, arn_is_lowalnum_dash, 0))
      return "must be lowercase letters, digits and '-'";
    return NULL;
  case LPV_ARN_REGION:
    if (len == 0) return NULL;
    if (loose ? !arn_all(s, len, arn_is_lowalnum_dash, allow_wild) : !arn_region_ok(s, len))
      return "is not a region code like us-east-1";
    return NULL;
  case LPV_ARN_ACCOUNT:
    if (len == 0) return NULL;
    if (loose ? !arn_all(s, len, arn_is_digit, allow_wild) : !arn_account_ok(s, len))
      return "is not a 12-digit account ID";
    return NULL;
  case LPV_ARN_RESOURCE:
    if (len == 0) return "is empty";
    if (!arn_all(s, len, arn_not_control, 1)) return "holds a control character";
    if (wild && !allow_wild) return "holds a wildcard";
    return NULL;
  default:
    return "is not a part of an ARN";
  }
}

const char *lpv_arn_check(const lpv_arn *a, int nparts, int allow_wild, int *bad) {
  int i;
  *bad = -1;
  if (a->len[0] != 3 || memcmp(a->part[0], "arn", 3) != 0)
    return "must start with \"arn:\"";
  if (nparts < 6) {
    static const char *const missing[] = {
      NULL, "missing the partition, service, region, account and resource parts",
      "missing the service, region, account and resource parts",
      "missing the region, account and resource parts",
      "missing the account and resource parts",
      "missing the resource part"
    };
    return missing[nparts];
  }
  for (i = LPV_ARN_PARTITION; i <= LPV_ARN_RESOURCE; i++) {
    const char *why = lpv_arn_part_check(i, a->part[i], a->len[i], allow_wild);
    if (why) {
      *bad = i;
      return why;
    }
  }
  return NULL;
}

static const char *const arn_field[] = {
  NULL, "partition", "service", "region", "account", "resource"
};

static int arn_glob(const char *p, size_t pl, const char *s, size_t sl, int nocase) {
  return lpv_glob_match(p, pl, s, sl, nocase);
}

int lpv_arn_match_resource(const char *pat, size_t plen,
                           const char *arn, size_t alen) {
  lpv_arn p, a;
  int np, na, i;
  if (plen == 1 && pat[0] == '*') return 1;
  np = lpv_arn_split(pat, plen, &p);
  na = lpv_arn_split(arn, alen, &a);
  if (na < 6) return arn_glob(pat, plen, arn, alen, 0);
  if (np == 6) {
    for (i = 0; i < 5; i++)
      if (!arn_glob(p.part[i], p.len[i], a.part[i], a.len[i], 1)) return 0;
    return arn_glob(p.part[5], p.len[5], a.part[5], a.len[5], 0);
  }
  /* A short pattern matches only when its last part ends in '*', which
  ** then reaches across the remaining colons. */
  if (p.len[np - 1] == 0 || p.part[np - 1][p.len[np - 1] - 1] != '*') return 0;
  for (i = 0; i < np - 1; i++)
    if (!arn_glob(p.part[i], p.len[i], a.part[i], a.len[i], 1)) return 0;
  return arn_glob(p.part[np - 1], p.len[np - 1], a.part[np - 1],
                  (size_t)(arn + alen - a.part[np - 1]), 0);
}

int lpv_arn_match_like(const char *pat, size_t plen,
                       const char *arn, size_t alen) {
  lpv_arn p, a;
  int i;
  if (plen == 1 && pat[0] == '*') return 1;
  if (lpv_arn_split(pat, plen, &p) != 6 || lpv_arn_split(arn, alen, &a) != 6)
    return 0;
  for (i = 0; i < 6; i++)
    if (!arn_glob(p.part[i], p.len[i], a.part[i], a.len[i], 0)) return 0;
  return 1;
}

int lpv_arn_contains(const char *pat, size_t plen, const char *q, size_t qlen, int like) {
  lpv_arn p, a;
  int np, na, i;
  if (plen == 1 && pat[0] == '*') return 1;
  np = lpv_arn_split(pat, plen, &p);
  na = lpv_arn_split(q, qlen, &a);
  if (like) {
    /* ArnLike: a pattern that is not six parts matches nothing */
    if (na != 6) return 0;
    if (np != 6) return 0;
    for (i = 0; i < 6; i++)
      if (!lpv_glob_contains(p.part[i], p.len[i], a.part[i], a.len[i], 0)) return 0;
    return 1;
  }
  /* q not an ARN: as a whole (q's stars then reach across colons, and p,
  ** to take them, must too) */
  if (na < 6) return lpv_glob_contains(pat, plen, q, qlen, 0);
  if (np == 6) {
    for (i = 0; i < 5; i++)
      if (!lpv_glob_contains(p.part[i], p.len[i], a.part[i], a.len[i], 1)) return 0;
    return lpv_glob_contains(p.part[5], p.len[5], a.part[5], a.len[5], 0);
  }
  if (p.len[np - 1] == 0 || p.part[np - 1][p.len[np - 1] - 1] != '*') return 0;
  for (i = 0; i < np - 1; i++)
    if (!lpv_glob_contains(p.part[i], p.len[i], a.part[i], a.len[i], 1)) return 0;
  return lpv_glob_contains(p.part[np - 1], p.len[np - 1], a.part[np - 1],
                           (size_t)(q + qlen - a.part[np - 1]), 0);
}

/* ---- Lua functions ---- */

void lpv_arn_push_why(lua_State *L, const lpv_arn *a, int bad, const char *why) {
  size_t vlen;
  if (bad < LPV_ARN_PARTITION || bad > LPV_ARN_RESOURCE) {
    lua_pushstring(L, why);
    return;
  }
  vlen = a->len[bad] > 100 ? 100 : a->len[bad];
  if (vlen == 0) {
    lua_pushfstring(L, "%s part %s", arn_field[bad], why);
    return;
  }
  lua_pushfstring(L, "%s \"", arn_field[bad]);
  lua_pushlstring(L, a->part[bad], vlen);
  lua_pushfstring(L, "\" %s", why);
  lua_concat(L, 3);
}

/* Push "invalid ARN \"s\": region \"x\" why" naming the bad part. */
static void arn_push_error(lua_State *L, const char *s, size_t len,
                           const lpv_arn *a, int bad, const char *why) {
  if (len > 200) lua_pushfstring(L, "invalid ARN \"%s...\": ", lua_pushlstring(L, s, 200));
  else lua_pushfstring(L, "invalid ARN \"%s\": ", s);
  lpv_arn_push_why(L, a, bad, why);
  lua_concat(L, 2);
  if (len > 200) lua_remove(L, -2);
}

/* arn_parse(s) -> { partition, service, region, account, resource } | nil, err */
static int l_arn_parse(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lpv_arn a;
  int n = lpv_arn_split(s, len, &a), i, bad;
  const char *why = lpv_arn_check(&a, n, 1, &bad);
  if (why) {
    lua_pushnil(L);
    arn_push_error(L, s, len, &a, bad, why);
    return 2;
  }
  lua_createtable(L, 0, 5);
  for (i = 1; i < 6; i++) {
    lua_pushlstring(L, a.part[i], a.len[i]);
    lua_setfield(L, -2, arn_field[i]);
  }
  return 1;
}

/* arn_check(s) -> true | false, err */
static int l_arn_check(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lpv_arn a;
  int bad, n = lpv_arn_split(s, len, &a);
  const char *why = lpv_arn_check(&a, n, 1, &bad);
  lua_pushboolean(L, why == NULL);
  if (!why) return 1;
  arn_push_error(L, s, len, &a, bad, why);
  return 2;
}

/* arn_format{ partition=, service=, region=, account=, resource= } -> string;
** raises when a part is invalid (this is a programming error). */
static int l_arn_format(lua_State *L) {
  luaL_Buffer b;
  lpv_arn a;
  const char *why;
  const char *s;
  size_t len;
  int i, n, bad;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "arn");
  for (i = 1; i < 6; i++) {
    lua_getfield(L, 1, arn_field[i]);
    if (lua_isnil(L, -1) && (i == 3 || i == 4)) {
      lua_pop(L, 1);
      lua_pushliteral(L, "");
    } else if (i == 1 && lua_isnil(L, -1)) {
      lua_pop(L, 1);
      lua_pushliteral(L, "aws");
    }
    if (lua_type(L, -1) != LUA_TSTRING)
      return luaL_error(L, "arn_format: field '%s' must be a string", arn_field[i]);
    luaL_addchar(&b, ':');
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  s = lua_tolstring(L, -1, &len);
  n = lpv_arn_split(s, len, &a);
  why = lpv_arn_check(&a, n, 1, &bad);
  if (why) {
    arn_push_error(L, s, len, &a, bad, why);
    return lua_error(L);
  }
  return 1;
}

/* arn_match(pattern, arn) -> boolean, in Resource-element semantics */
static int l_arn_match(lua_State *L) {
  size_t pl, al;
  const char *p = luaL_checklstring(L, 1, &pl);
  const char *a = luaL_checklstring(L, 2, &al);
  lua_pushboolean(L, lpv_arn_match_resource(p, pl, a, al));
  return 1;
}

/* arn_like(pattern, arn) -> boolean, in ArnLike semantics */
static int l_arn_like(lua_State *L) {
  size_t pl, al;
  const char *p = luaL_checklstring(L, 1, &pl);
  const char *a = luaL_checklstring(L, 2, &al);
  lua_pushboolean(L, lpv_arn_match_like(p, pl, a, al));
  return 1;
}

/* arn_contains(pattern, q [, like]) -> boolean: does pattern match every
** ARN that pattern q matches (Resource semantics; ArnLike when like)? */
static int l_arn_contains(lua_State *L) {
  size_t pl, ql;
  const char *p = luaL_checklstring(L, 1, &pl);
  const char *q = luaL_checklstring(L, 2, &ql);
  lua_pushboolean(L, lpv_arn_contains(p, pl, q, ql, lua_toboolean(L, 3)));
  return 1;
}

static const luaL_Reg arn_funcs[] = {
  {"arn_parse", l_arn_parse},
  {"arn_check", l_arn_check},
  {"arn_format", l_arn_format},
  {"arn_match", l_arn_match},
  {"arn_like", l_arn_like},
  {"arn_contains", l_arn_contains},
  {NULL, NULL}
};

void lpv_open_arn(lua_State *L) { luaL_setfuncs(L, arn_funcs, 0); }
