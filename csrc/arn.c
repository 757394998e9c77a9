/*
** arn.c: Amazon Resource Names: split, validate, format and match.
**
** arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, split on the first five
** colons (the resource part may hold ':' and '/').  Two match semantics:
** the Resource element's, where a trailing '*' of a short pattern reaches
** across colons and the resource part is matched as one string, and
** ArnLike's, where the six parts are matched separately.
** Template placeholders (\1EXPR\2, see docs/internal/contracts.md) are
** opaque: validation skips them.
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

static int arn_has_wild(const char *s, size_t len) {
  return memchr(s, '*', len) != NULL || memchr(s, '?', len) != NULL;
}

/* Is every byte of s in the set (placeholders skipped, wildcards allowed
** when wild)?  The set is given as a predicate on one byte. */
static int arn_all(const char *s, size_t len, int (*ok)(int), int wild) {
  size_t i;
  for (i = 0; i < len; i++) {
    int c = (unsigned char)s[i];
    if (c == 1) {                       /* skip a placeholder */
      while (i < len && s[i] != 2) i++;
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

static int arn_has_placeholder(const char *s, size_t len) {
  return memchr(s, 1, len) != NULL;
}

/* aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, ... */
static int arn_partition_ok(const char *s, size_t len, int wild) {
  if (arn_has_placeholder(s, len) || (wild && arn_has_wild(s, len)))
    return arn_all(s, len, arn_is_lowalnum_dash, wild);
  if (len < 3 || memcmp(s, "aws", 3) != 0) return 0;
  if (len == 3) return 1;
  return s[3] == '-' && len > 4 && s[len - 1] != '-' &&
         arn_all(s + 4, len - 4, arn_is_lowalnum_dash, 0);
}

/* us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-isob-east-1 */
static int arn_region_ok(const char *s, size_t len, int wild) {
  size_t i = 0, dashes = 0;
  if (len == 0) return 1;
  if (arn_has_placeholder(s, len) || (wild && arn_has_wild(s, len)))
    return arn_all(s, len, arn_is_lowalnum_dash, wild);
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

/* a 12-digit account ID, "aws" (AWS managed policies), or empty */
static int arn_account_ok(const char *s, size_t len, int wild) {
  if (len == 0) return 1;
  if (len == 3 && memcmp(s, "aws", 3) == 0) return 1;
  if (arn_has_placeholder(s, len) || (wild && arn_has_wild(s, len)))
    return arn_all(s, len, arn_is_digit, wild);
  return len == 12 && arn_all(s, len, arn_is_digit, 0);
}

static int arn_no_control(const char *s, size_t len) {
  size_t i;
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == 1) { while (i < len && s[i] != 2) i++; continue; }
    if (c < 0x20 || c == 0x7f) return 0;
  }
  return 1;
}

#define ARN_BAD(i, msg) do { *bad = (i); return (msg); } while (0)

const char *lpv_arn_check(const lpv_arn *a, int nparts, int allow_wild, int *bad) {
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
  if (!arn_partition_ok(a->part[1], a->len[1], allow_wild))
    ARN_BAD(1, a->len[1] == 0 ? "is empty (use aws, aws-cn or aws-us-gov)"
                              : "is not a partition (aws, aws-cn, aws-us-gov, ...)");
  if (a->len[2] == 0) ARN_BAD(2, "is empty");
  if (arn_has_wild(a->part[2], a->len[2]))
    ARN_BAD(2, "must be spelled out: no wildcards there");
  if (!arn_all(a->part[2], a->len[2], arn_is_lowalnum_dash, 0))
    ARN_BAD(2, "must be lowercase letters, digits and '-'");
  if (!arn_region_ok(a->part[3], a->len[3], allow_wild))
    ARN_BAD(3, "is not a region code like us-east-1");
  if (!arn_account_ok(a->part[4], a->len[4], allow_wild))
    ARN_BAD(4, "is not a 12-digit account ID");
  if (a->len[5] == 0) ARN_BAD(5, "is empty");
  if (!arn_no_control(a->part[5], a->len[5]))
    ARN_BAD(5, "holds a control character");
  if (!allow_wild && arn_has_wild(a->part[5], a->len[5]))
    ARN_BAD(5, "holds a wildcard");
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

/* ---- Lua functions ---- */

/* Push "invalid ARN \"s\": region \"x\" why" naming the bad part. */
static void arn_push_error(lua_State *L, const char *s, size_t len,
                           const lpv_arn *a, int bad, const char *why) {
  const char *field = NULL, *value = NULL;
  size_t vlen = 0;
  if (len > 200) lua_pushfstring(L, "invalid ARN \"%s...\": ", lua_pushlstring(L, s, 200));
  else lua_pushfstring(L, "invalid ARN \"%s\": ", s);
  if (bad >= 1 && bad <= 5) {               /* a single part to name */
    field = arn_field[bad];
    value = a->part[bad];
    vlen = a->len[bad] > 100 ? 100 : a->len[bad];
  }
  if (field && vlen == 0) {
    lua_pushfstring(L, "%s part %s", field, why);
    lua_concat(L, 2);
  } else if (field) {
    lua_pushfstring(L, "%s \"", field);
    lua_pushlstring(L, value, vlen);
    lua_pushfstring(L, "\" %s", why);
    lua_concat(L, 4);
  } else {
    lua_pushstring(L, why);
    lua_concat(L, 2);
  }
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

static const luaL_Reg arn_funcs[] = {
  {"arn_parse", l_arn_parse},
  {"arn_check", l_arn_check},
  {"arn_format", l_arn_format},
  {"arn_match", l_arn_match},
  {"arn_like", l_arn_like},
  {NULL, NULL}
};

void lpv_open_arn(lua_State *L) { luaL_setfuncs(L, arn_funcs, 0); }
