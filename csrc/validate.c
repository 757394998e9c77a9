/*
** validate.c: policy validation, core.validate_policy(doc, opts).
**
** The document (a decoded JSON value or a canonical policy table) is
** compiled once into a vd (validate.h) and then checked in passes:
** grammar (this file), actions and resources against the catalog
** (validate_catalog.c), conditions (validate_cond.c), security and
** suggestions (validate_security.c).  Findings come back as a list of
** { code, message, path, sid, hint }: severities, titles and
** documentation live in one Lua table (lua/leastpriv/check/checks.lua).
** A bad policy never raises; misuse of the function does.  Keys of a
** Lua table are visited in sorted order, so findings are deterministic.
*/
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

#define VD_CHUNK    8192     /* arena chunk */
#define VD_SHOW     100      /* bytes of a value shown in a message */
/* Repeated findings fold (vd_fold): per code and statement at most
** VD_GROUP_KEEP distinct findings are kept, each listing at most
** VD_PATHS of the places it stands for, so 4 million "*" in one
** statement make a handful of findings, not 8 million. */
#define VD_GROUP_KEEP 10
#define VD_PATHS      5

static const char *const type_names[VT_COUNT] = {
  "identity", "resource", "trust", "scp", "rcp", "boundary", "session", "endpoint"
};

static const char *const top_elements[] = { "Version", "Id", "Statement", NULL };
static const char *const stmt_elements[] = {
  "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
  "Resource", "NotResource", "Condition", NULL
};
static const char *const principal_keys[] = {
  "AWS", "Service", "Federated", "CanonicalUser", NULL
};

/* Every code this module can report (core.validate_codes); checks.lua
** must describe each one. */
static const char *const vd_codes[] = {
  "INVALID_CHARACTER", "DATA_TYPE_MISMATCH", "INVALID_POLICY_ELEMENT",
  "MISSING_STATEMENT", "MISSING_EFFECT", "MISSING_ACTION", "MISSING_RESOURCE",
  "MISSING_PRINCIPAL", "INVALID_EFFECT", "INVALID_VERSION", "MISSING_VERSION",
  "UNIQUE_SIDS_REQUIRED", "UNIQUE_SIDS_RECOMMENDED", "UNSUPPORTED_SID",
  "EMPTY_SID_VALUE", "UNSUPPORTED_ELEMENT_COMBINATION", "UNSUPPORTED_PRINCIPAL",
  "INVALID_PRINCIPAL_FORMAT", "INVALID_PRINCIPAL_KEY",
  "INVALID_SERVICE_PRINCIPAL_FORMAT", "UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
  "FEDERATED_PRINCIPAL_NOT_SUPPORTED", "INVALID_ROLE_REFERENCE",
  "INVALID_USER_REFERENCE", "EMPTY_ARRAY_ACTION", "EMPTY_ARRAY_RESOURCE",
  "EMPTY_ARRAY_PRINCIPAL", "EMPTY_OBJECT_PRINCIPAL", "EMPTY_OBJECT_CONDITION",
  "EMPTY_ARRAY_CONDITION", "EMPTY_ARRAY_CONDITION_FORALLVALUES",
  "EMPTY_ARRAY_CONDITION_FORANYVALUE", "EMPTY_ARRAY_CONDITION_IFEXISTS",
  "INVALID_ARN_PREFIX", "MISSING_ARN_FIELD", "INVALID_PARTITION",
  "INVALID_ARN_SERVICE", "INVALID_ARN_SERVICE_CASE", "INVALID_ARN_REGION",
  "MISSING_ARN_REGION", "ARN_REGION_NOT_ALLOWED", "INVALID_ARN_ACCOUNT",
  "MISSING_ARN_ACCOUNT", "ARN_ACCOUNT_NOT_ALLOWED", "INVALID_ARN_RESOURCE",
  "VARIABLE_UNSUPPORTED_IN_ELEMENT", "VARIABLE_UNSUPPORTED_IN_VERSION",
  "MISSING_BRACE_IN_VARIABLE", "MISSING_QUOTE_IN_VARIABLE",
  "UNSUPPORTED_SPACE_IN_VARIABLE", "EMPTY_VARIABLE",
  "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
  "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
  "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
  "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY",
  "MISMATCHED_ACTION_FOR_PRINCIPAL", "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY",
  "UNSUPPORTED_ACTION_IN_POLICY", "UNSUPPORTED_RESOURCE_ARN_IN_POLICY",
  "MISSING_ACTION_FOR_CONDITION_KEY", "MISSING_PAIRED_CONDITION_KEYS",
  "IRRELEVANT_CONDITION_KEY_IN_POLICY", "BAD_PATTERN_FOR_MFA", "CONFIRM_AUDIENCE_CLAIM_TYPE",
  "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
  "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
  "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL", "RESOURCE_EFFECTIVELY_STAR",
  "SCP_SYNTAX_ERROR_ACTION_WILDCARD", "SCP_SYNTAX_ERROR_ALLOW_CONDITION",
  "SCP_SYNTAX_ERROR_ALLOW_NOTACTION", "SCP_SYNTAX_ERROR_ALLOW_RESOURCE",
  "SCP_SYNTAX_ERROR_NOTRESOURCE", "SCP_SYNTAX_ERROR_PRINCIPAL",
  "RCP_SYNTAX_ERROR_ALLOW", "RCP_SYNTAX_ERROR_PRINCIPAL",
  "RCP_SYNTAX_ERROR_NOTPRINCIPAL", "RCP_SYNTAX_ERROR_VERSION",
  /* validate_endpoint.c */
  "ENDPOINT_POLICY_WILDCARD_ON_ID_KEY", "ENDPOINT_POLICY_SHORT_WILDCARD",
  "ENDPOINT_POLICY_ACCOUNT_WILDCARD",
  /* validate_catalog.c */
  "INVALID_ACTION", "INVALID_SERVICE_IN_ACTION", "WILDCARD_IN_SERVICE_NAME",
  "RESOURCE_MISMATCH", "ACTION_NEEDS_STAR_RESOURCE", "INVALID_SERVICE",
  "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
  "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
  /* validate_cond.c */
  "INVALID_CONDITION_OPERATOR", "NULL_WITH_IF_EXISTS", "NULL_WITH_QUALIFIER",
  "INVALID_CONDITION_KEY_FORMAT", "INVALID_GLOBAL_CONDITION_KEY",
  "UNSUPPORTED_GLOBAL_CONDITION_KEY", "INVALID_SERVICE_CONDITION_KEY",
  "MISSING_TAG_KEY_IN_CONDITION", "DUPLICATE_KEYS_WITH_DIFFERENT_CASE",
  "INVALID_CONDITION_DATA_TYPE", "INVALID_CONDITION_MULTIPLE_BOOLEAN",
  "MISSING_QUALIFIER", "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
  "FORANYVALUE_WITH_SINGLE_VALUED_KEY", "TYPE_MISMATCH", "TYPE_MISMATCH_BOOLEAN",
  "TYPE_MISMATCH_NUMBER", "TYPE_MISMATCH_IP_RANGE", "INVALID_DATE_VALUE",
  "INVALID_VARIABLE_FOR_OPERATOR", "WILDCARD_WITHOUT_LIKE_OPERATOR",
  "INVALID_REGION", "INVALID_VPC_FORMAT", "INVALID_VPCE_FORMAT",
  "INVALID_SESSION_NAME", "PRIVATE_IP_ADDRESS", "PRIVATE_NOTIPADDRESS",
  "PRIVATE_IP_ADDRESS_SUBSET", "PRIVATE_NOTIPADDRESS_SUBSET", "IMPROVE_IP_RANGE",
  "UNSUPPORTED_ACTION_FOR_CONDITION_KEY", "REDUNDANT_CONDITION_VALUE",
  "REDUNDANT_CONDITION_VALUE_NUM", "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED",
  "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS", "EQUIVALENT_TO_NULL_FALSE",
  /* validate_required.c */
  "MISSING_REQUIRED_RESOURCE_TYPE",
  /* validate_idioms.c */
  "KMS_ALIAS_IN_KEY_ARN",
  /* validate_trust.c */
  "TRUST_SOURCE_ARN_OTHER_SERVICE", "TRUST_SOURCE_ACCOUNT_MISMATCH",
  "GITHUB_OIDC_MISSING_AUDIENCE", "GITHUB_SUBJECT_ANY_REF",
  /* validate_security.c */
  "PASS_ROLE_WITH_STAR_IN_RESOURCE", "PASS_ROLE_WITH_NOTRESOURCE",
  "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
  "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOTRESOURCE",
  "PASS_ROLE_WITH_NOTACTION_AND_NOTRESOURCE",
  "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOTACTION",
  "PASS_ROLE_WITHOUT_PASSED_TO_SERVICE", "PASS_ROLE_TO_ANY_ROLE", "RESOURCE_STAR", "SERVICE_WILDCARD",
  "GLOBAL_ACTION_WILDCARD", "ALLOW_WITH_NOTACTION", "ALLOW_WITH_NOTRESOURCE",
  "ALLOW_WITH_NOTPRINCIPAL", "PRIVILEGE_ESCALATION", "CREDENTIALS_EXPOSURE",
  "DATA_EXFILTRATION", "PERMISSIONS_MANAGEMENT_ACTIONS", "TRUST_ANY_PRINCIPAL",
  "TRUST_CROSS_ACCOUNT_WITHOUT_EXTERNAL_ID", "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL",
  "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL", "MISSING_GITHUB_REPO_CONDITION_KEY",
  "REDUNDANT_ACTION", "REDUNDANT_RESOURCE", "REDUNDANT_STATEMENT",
  "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY", "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
  "CREATE_SLR_WITH_STAR_IN_RESOURCE", "CREATE_SLR_WITH_NOTRESOURCE",
  "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE", "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOTRESOURCE",
  "CREATE_SLR_WITH_NOTACTION_AND_NOTRESOURCE", "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOTACTION",
  NULL
};


/* ---- small string helpers ---- */

static int vd_lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

int lpv_vd_eq(const char *s, size_t len, const char *lit) {
  size_t n = strlen(lit);
  return n == len && memcmp(s, lit, n) == 0;
}

int lpv_vd_ieq(const char *s, size_t len, const char *lit) {
  size_t i, n = strlen(lit);
  if (n != len) return 0;
  for (i = 0; i < n; i++)
    if (vd_lower((unsigned char)s[i]) != vd_lower((unsigned char)lit[i])) return 0;
  return 1;
}

/* Lower-case in pieces: Lua 5.1's buffers reserve at most LUAL_BUFFERSIZE
** at once. */
#define VD_LOWER_CHUNK 1024

const char *lpv_vd_push_lower(lua_State *L, const char *s, size_t len) {
  luaL_Buffer b;
  size_t i = 0;
  luaL_buffinit(L, &b);
  while (i < len) {
    size_t n = len - i < VD_LOWER_CHUNK ? len - i : VD_LOWER_CHUNK, k;
    char *p = luaL_prepbuffsize(&b, n);
    for (k = 0; k < n; k++) p[k] = (char)vd_lower((unsigned char)s[i + k]);
    luaL_addsize(&b, n);
    i += n;
  }
  luaL_pushresult(&b);
  return lua_tostring(L, -1);
}

int lpv_vd_starts(const char *s, size_t len, const char *lit) {
  size_t n = strlen(lit);
  return len >= n && memcmp(s, lit, n) == 0;
}

int lpv_vd_has_wild(const char *s, size_t len) {
  return memchr(s, '*', len) != NULL || memchr(s, '?', len) != NULL;
}

int lpv_vd_has_placeholder(const char *s, size_t len) {
  return memchr(s, LPV_PH_OPEN, len) != NULL;
}

int lpv_vd_is_account(const char *s, size_t len) {
  size_t i;
  if (len != 12) return 0;
  for (i = 0; i < len; i++) if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}

int lpv_vd_arn_split(const char *s, size_t len, lpv_arn *out) {
  int n = 0;
  size_t start = 0, i;
  for (i = 0; i < len && n < 5; i++) {
    if ((unsigned char)s[i] == LPV_PH_OPEN) {   /* placeholder: opaque */
      while (i < len && (unsigned char)s[i] != LPV_PH_CLOSE) i++;
      continue;
    }
    if (s[i] == '$' && i + 1 < len && s[i + 1] == '{') {
      while (i < len && s[i] != '}') i++;
      continue;
    }
    if (s[i] == ':') {
      out->part[n] = s + start;
      out->len[n] = i - start;
      n++;
      start = i + 1;
    }
  }
  out->part[n] = s + (start < len ? start : len);
  out->len[n] = start < len ? len - start : 0;
  return n + 1;
}

/* Does pattern a cover every string pattern b matches?  (a's '*' takes
** any run of b, wildcards too; a's '?' one character of b but not a '*';
** a literal only itself.)  Greedy with one remembered star. */
int lpv_vd_covers(const char *a, size_t al, const char *b, size_t bl) {
  size_t p = 0, i = 0, star_p = 0, star_i = 0;
  int have = 0;
  while (i < bl) {
    if (p < al && a[p] == '*') { have = 1; star_p = ++p; star_i = i; }
    else if (p < al && ((a[p] == '?' && b[i] != '*') ||
                        (a[p] == b[i] && b[i] != '*' && b[i] != '?') ||
                        (a[p] == '?' && b[i] == '?'))) { p++; i++; }
    else if (have) { p = star_p; i = ++star_i; }
    else return 0;
  }
  while (p < al && a[p] == '*') p++;
  return p == al;
}

int lpv_vd_ends_root(const char *s, size_t len) {
  return len > 5 && memcmp(s + len - 5, ":root", 5) == 0;
}

const char *lpv_vd_principal_account(const char *s, size_t len, size_t *alen) {
  lpv_arn a;
  if (lpv_vd_is_account(s, len)) { *alen = len; return s; }
  if (!lpv_vd_starts(s, len, "arn:") || lpv_vd_arn_split(s, len, &a) != 6) return NULL;
  if (!lpv_vd_is_account(a.part[LPV_ARN_ACCOUNT], a.len[LPV_ARN_ACCOUNT])) return NULL;
  *alen = 12;
  return a.part[LPV_ARN_ACCOUNT];
}

/* Is every character of s one IAM accepts (U+0009, U+000A, U+000D,
** U+0020-U+00FF)?  Template placeholders (LPV_PH_OPEN ... LPV_PH_CLOSE)
** are let through; control bytes such as U+0001 are not. */
static int vd_chars_ok(const char *s, size_t len) {
  size_t i;
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x80) continue;
    if (c == 9 || c == 10 || c == 13) continue;
    if (c == LPV_PH_OPEN) {
      while (i + 1 < len && (unsigned char)s[i + 1] != LPV_PH_CLOSE) i++;
      i++;
      continue;
    }
    if ((c == 0xC2 || c == 0xC3) && i + 1 < len &&
        ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
      i++;
      continue;
    }
    return 0;
  }
  return 1;
}


/* ---- memory and findings ---- */

void *lpv_vd_alloc(vd *v, size_t n) {
  void *p;
  n = (n + 7) & ~(size_t)7;
  if (n > v->left) {
    size_t size = n > VD_CHUNK ? n : VD_CHUNK;
    v->chunk = (char *)lua_newuserdatauv(v->L, size, 0);
    lua_rawseti(v->L, v->anchor, ++v->nanchor);
    v->left = size;
  }
  p = v->chunk;
  v->chunk += n;
  v->left -= n;
  memset(p, 0, n);
  return p;
}

int lpv_vd_off(vd *v, const char *code) {
  int off;
  if (v->disabled == 0) return 0;
  off = lua_getfield(v->L, v->disabled, code) != LUA_TNIL &&
        lua_toboolean(v->L, -1);
  lua_pop(v->L, 1);
  return off;
}

vloc lpv_vd_at(int stmt, const char *elem, int index) {
  vloc at;
  memset(&at, 0, sizeof at);
  at.stmt = stmt;
  at.elem = elem;
  at.index = index;
  return at;
}

vloc lpv_vd_item(const vd *v, int stmt, const char *elem, const vitem *it) {
  vloc at = lpv_vd_at(stmt, elem, it ? it->index : -1);
  (void)v;
  /* principal items sit under their type: Principal.AWS[1] */
  if (it && it->ptype != VP_STAR && (elem[0] == 'P' || (elem[0] == 'N' && elem[3] == 'P'))) {
    at.key = principal_keys[it->ptype];
    at.klen = strlen(at.key);
  }
  return at;
}

/* Push the JSON path of at. */
static void vd_push_path(vd *v, const vloc *at) {
  lua_State *L = v->L;
  size_t len;
  const char *p;
  lua_pushliteral(L, "");
  if (at->stmt >= 0) {
    lua_pop(L, 1);
    lua_pushliteral(L, "Statement");
    if (v->st[at->stmt].index >= 0) {
      p = lua_tolstring(L, -1, &len);
      lpv_path_push_index(L, p, len, v->st[at->stmt].index);
      lua_remove(L, -2);
    }
  }
  if (at->elem) {
    p = lua_tolstring(L, -1, &len);
    lpv_path_push_key(L, p, len, at->elem, strlen(at->elem));
    lua_remove(L, -2);
  }
  if (at->key) {
    p = lua_tolstring(L, -1, &len);
    lpv_path_push_key(L, p, len, at->key, at->klen);
    lua_remove(L, -2);
  }
  if (at->key2) {
    p = lua_tolstring(L, -1, &len);
    lpv_path_push_key(L, p, len, at->key2, at->k2len);
    lua_remove(L, -2);
  }
  if (at->index >= 0) {
    p = lua_tolstring(L, -1, &len);
    lpv_path_push_index(L, p, len, at->index);
    lua_remove(L, -2);
  }
}

/* Append s for display: cut to VD_SHOW bytes on a character boundary,
** template placeholders shown as ${EXPR}. */
static void vd_add_shown(luaL_Buffer *b, const char *s, size_t len) {
  size_t i, n = len;
  int cut = 0;
  if (n > VD_SHOW) {
    n = VD_SHOW;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    cut = 1;
  }
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == LPV_PH_OPEN) luaL_addstring(b, "${");
    else if (c == LPV_PH_CLOSE) luaL_addchar(b, '}');
    else if (c < 0x20 || c == 0x7f) {           /* shown, never sent raw */
      char e[8];
      (void)snprintf(e, sizeof e, "\\u%04X", (unsigned)c);
      luaL_addstring(b, e);
    }
    else luaL_addchar(b, s[i]);
  }
  if (cut) luaL_addstring(b, "...");
}

/* The message: fmt with %s, %S (ptr, len), %d, %% */
static void vd_format(luaL_Buffer *b, const char *fmt, va_list ap) {
  const char *p;
  for (p = fmt; *p; p++) {
    if (*p != '%') { luaL_addchar(b, *p); continue; }
    switch (*++p) {
      case 's': {
        const char *s = va_arg(ap, const char *);
        vd_add_shown(b, s, strlen(s));
        break;
      }
      case 'S': {
        const char *s = va_arg(ap, const char *);
        size_t n = va_arg(ap, size_t);
        vd_add_shown(b, s, n);
        break;
      }
      case 'd': {
        char num[32];
        int k = va_arg(ap, int), i = 0, neg = k < 0;
        unsigned u = neg ? 0U - (unsigned)k : (unsigned)k;
        do { num[i++] = (char)('0' + u % 10); u /= 10; } while (u);
        if (neg) luaL_addchar(b, '-');
        while (i > 0) luaL_addchar(b, num[--i]);
        break;
      }
      case '%': luaL_addchar(b, '%'); break;
      default: luaL_addchar(b, '%'); if (*p) luaL_addchar(b, *p); else p--; break;
    }
  }
}

/* Fold the finding at path (the string on top, popped) into finding idx
** of the list: one more place it stands for (count), listed in paths
** while there are fewer than VD_PATHS. */
static void vd_fold_into(vd *v, lua_Integer idx) {
  lua_State *L = v->L;
  lua_Integer count;
  lua_rawgeti(L, v->out, idx);                       /* path, finding */
  lua_getfield(L, -1, "count");
  count = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 1;
  lua_pop(L, 1);
  lua_pushinteger(L, count + 1);
  lua_setfield(L, -2, "count");
  if (lua_getfield(L, -1, "paths") != LUA_TTABLE) {  /* path, finding, paths */
    lua_pop(L, 1);
    lua_createtable(L, VD_PATHS, 0);
    if (lua_getfield(L, -2, "path") != LUA_TSTRING) { lua_pop(L, 1); lua_pushliteral(L, ""); }
    lua_rawseti(L, -2, 1);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "paths");
  }
  if (lua_rawlen(L, -1) < VD_PATHS) {
    lua_pushvalue(L, -3);
    lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
  }
  lua_pop(L, 3);
}

/* With the message and the path on top: does this finding repeat one
** already made (the same code and message in the same statement), or is
** its code's group in the statement full?  Then fold it (popping both) and
** return 1.  Else record it as the list's next finding and return 0. */
static int vd_fold(vd *v, const char *code, const vloc *at) {
  lua_State *L = v->L;
  lua_Integer n;
  /* keys (codes have no '|'): "CODE|STMT" -> distinct findings so far,
  ** "CODE|STMT#" -> the last of them, "CODE|STMT|MESSAGE" -> that finding */
  lua_pushfstring(L, "%s|%d", code, at->stmt);       /* msg, path, gkey */
  lua_pushvalue(L, -1);
  lua_pushliteral(L, "|");
  lua_pushvalue(L, -5);
  lua_concat(L, 3);                                  /* msg, path, gkey, mkey */
  lua_pushvalue(L, -1);
  if (lua_rawget(L, v->groups) == LUA_TNUMBER) {     /* the same finding again */
    n = lua_tointeger(L, -1);
    lua_pop(L, 3);
    vd_fold_into(v, n);
    lua_pop(L, 1);
    return 1;
  }
  lua_pop(L, 1);
  lua_pushvalue(L, -2);
  n = lua_rawget(L, v->groups) == LUA_TNUMBER ? lua_tointeger(L, -1) : 0;
  lua_pop(L, 1);
  if (n >= VD_GROUP_KEEP) {                          /* fold into the group's last */
    lua_pushvalue(L, -2);
    lua_pushliteral(L, "#");
    lua_concat(L, 2);
    lua_rawget(L, v->groups);
    n = lua_tointeger(L, -1);
    lua_pop(L, 3);
    vd_fold_into(v, n);
    lua_pop(L, 1);
    return 1;
  }
  lua_pushinteger(L, v->nout + 1);
  lua_rawset(L, v->groups);                          /* msg, path, gkey */
  lua_pushvalue(L, -1);
  lua_pushliteral(L, "#");
  lua_concat(L, 2);
  lua_pushinteger(L, v->nout + 1);
  lua_rawset(L, v->groups);
  lua_pushinteger(L, n + 1);
  lua_rawset(L, v->groups);                          /* msg, path */
  return 0;
}

void lpv_vd_report(vd *v, const char *code, const vloc *at, const char *hint,
                   const char *fmt, ...) {
  lua_State *L = v->L;
  luaL_Buffer b;
  va_list ap;
  if (lpv_vd_off(v, code)) return;
  luaL_checkstack(L, 12, "validate");
  luaL_buffinit(L, &b);
  va_start(ap, fmt);
  vd_format(&b, fmt, ap);
  va_end(ap);
  luaL_pushresult(&b);
  vd_push_path(v, at);                               /* message, path */
  if (vd_fold(v, code, at)) return;
  lua_createtable(L, 0, 5);
  lua_pushstring(L, code);
  lua_setfield(L, -2, "code");
  lua_insert(L, -3);                                 /* finding, message, path */
  if (lua_rawlen(L, -1) > 0) lua_setfield(L, -3, "path");
  else lua_pop(L, 1);
  lua_setfield(L, -2, "message");
  if (at->stmt >= 0 && v->st[at->stmt].sid && v->st[at->stmt].sidlen > 0) {
    lua_pushlstring(L, v->st[at->stmt].sid, v->st[at->stmt].sidlen);
    lua_setfield(L, -2, "sid");
  }
  if (hint) {
    const char *h;
    luaL_buffinit(L, &b);
    for (h = hint; *h; h++) {
      if ((unsigned char)*h == LPV_PH_OPEN) luaL_addstring(&b, "${");
      else if ((unsigned char)*h == LPV_PH_CLOSE) luaL_addchar(&b, '}');
      else luaL_addchar(&b, *h);
    }
    luaL_pushresult(&b);
    lua_setfield(L, -2, "hint");
  }
  lua_rawseti(L, v->out, ++v->nout);
}


/* ---- reading Lua values ---- */

/* Stack slot of l_validate_policy that holds the JSON array metatable. */
#define VD_ARRAYMT 3

/* Is the table at idx a list (JSON array)?  An empty table that is not
** marked as an array counts as an object.  (Called under l_validate_policy
** only, whose slot VD_ARRAYMT holds the array metatable.) */
static int vd_is_list(lua_State *L, int idx) {
  if (lua_getmetatable(L, idx)) {
    int arr = lua_rawequal(L, -1, VD_ARRAYMT);
    lua_pop(L, 1);
    if (arr) return 1;
  }
  lua_rawgeti(L, idx, 1);
  {
    int any = !lua_isnil(L, -1);
    lua_pop(L, 1);
    return any;
  }
}

static const char *jtype_name(lua_State *L, int idx) {
  int t = lua_type(L, idx);
  if (t == LUA_TTABLE) return vd_is_list(L, idx) ? "an array" : "an object";
  if (t == LUA_TSTRING) return "a string";
  if (t == LUA_TNUMBER) return "a number";
  if (t == LUA_TBOOLEAN) return "a boolean";
  if (t == LUA_TLIGHTUSERDATA && lua_touserdata(L, idx) == NULL) return "null";
  return luaL_typename(L, idx);
}

/* Closest of known to k (edit distance <= 2, any case), or NULL. */
static const char *vd_closest(const char *k, size_t klen, const char *const *known) {
  const char *best = NULL;
  int best_d = 3, i;
  for (i = 0; known[i]; i++) {
    size_t kl = strlen(known[i]), a, b2;
    int row[40], d;
    if (klen > 38 || kl > 38) continue;
    for (b2 = 0; b2 <= kl; b2++) row[b2] = (int)b2;
    for (a = 1; a <= klen; a++) {
      int diag = row[0];
      row[0] = (int)a;
      for (b2 = 1; b2 <= kl; b2++) {
        int up = row[b2];
        int cost = vd_lower((unsigned char)k[a - 1]) != vd_lower((unsigned char)known[i][b2 - 1]);
        int m = diag + cost;
        if (up + 1 < m) m = up + 1;
        if (row[b2 - 1] + 1 < m) m = row[b2 - 1] + 1;
        row[b2] = m;
        diag = up;
      }
    }
    d = row[kl];
    if (d < best_d) { best_d = d; best = known[i]; }
  }
  return best;
}

static int vd_strcmp_p(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted keys of the table at idx: an array of n strings (in the arena);
** non-string keys are counted in *others. */
static const char **vd_sorted_keys(vd *v, int idx, int *n, int *others) {
  lua_State *L = v->L;
  int count = 0, i;
  const char **keys;
  *others = 0;
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    if (lua_type(L, -2) == LUA_TSTRING) count++;
    else (*others)++;
    lua_pop(L, 1);
  }
  keys = (const char **)lpv_vd_alloc(v, sizeof(char *) * (size_t)(count + 1));
  i = 0;
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    if (lua_type(L, -2) == LUA_TSTRING && i < count) keys[i++] = lua_tostring(L, -2);
    lua_pop(L, 1);
  }
  if (count > 1) qsort((void *)keys, (size_t)count, sizeof(char *), vd_strcmp_p);
  *n = count;
  return keys;
}

static int vd_in(const char *k, const char *const *set) {
  int i;
  for (i = 0; set[i]; i++) if (strcmp(k, set[i]) == 0) return 1;
  return 0;
}

/* Report the members of the table at idx that are not in known. */
static void vd_unknown_members(vd *v, int idx, int si, const char *const *known,
                               const char *what) {
  int n, others, i;
  const char **keys = vd_sorted_keys(v, idx, &n, &others);
  for (i = 0; i < n; i++) {
    vloc at;
    const char *near;
    if (vd_in(keys[i], known)) continue;
    at = lpv_vd_at(si, keys[i], -1);
    near = vd_closest(keys[i], strlen(keys[i]), known);
    if (near == NULL && known == top_elements) near = vd_closest(keys[i], strlen(keys[i]), stmt_elements);
    if (near) {
      lua_pushfstring(v->L, "did you mean %s?", near);
      lpv_vd_report(v, "INVALID_POLICY_ELEMENT", &at, lua_tostring(v->L, -1),
                    "%s is not a %s element", keys[i], what);
      lua_pop(v->L, 1);
    } else {
      lpv_vd_report(v, "INVALID_POLICY_ELEMENT", &at, NULL,
                    "%s is not a %s element", keys[i], what);
    }
  }
  if (others > 0) {
    vloc at = lpv_vd_at(si, NULL, -1);
    lpv_vd_report(v, "INVALID_POLICY_ELEMENT", &at, NULL,
                  "a %s holds list items where only named elements belong", what);
  }
}

/* Number of members of the table at idx. */
static int vd_count_members(lua_State *L, int idx) {
  int n = 0;
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) { n++; lua_pop(L, 1); }
  return n;
}

/* Number of the names in known that the table at idx has. */
static int vd_count_known(lua_State *L, int idx, const char *const *known) {
  int n = 0, i;
  for (i = 0; known[i]; i++) {
    n += lua_getfield(L, idx, known[i]) != LUA_TNIL;
    lua_pop(L, 1);
  }
  return n;
}

/* Keep the string at the top of the stack alive for the call; pops it. */
static const char *vd_keep(vd *v, size_t *len) {
  const char *s = lua_tolstring(v->L, -1, len);
  lua_rawseti(v->L, v->anchor, ++v->nanchor);
  return s;
}

static void vd_check_chars(vd *v, const char *s, size_t len, const vloc *at) {
  if (!vd_chars_ok(s, len))
    lpv_vd_report(v, "INVALID_CHARACTER", at, NULL,
                  "\"%S\" holds a character IAM does not accept (only tab, "
                  "newlines and U+0020 to U+00FF)", s, len);
}


/* ---- compiling ---- */

/* Read the string list (string or array of strings) at the top of the
** stack into items; reports type errors at at.  Pops the value. */
static vitem *vd_list(vd *v, const vloc *at, int *n, int ptype, const char *empty_code) {
  lua_State *L = v->L;
  vitem *items = NULL;
  int idx = lua_gettop(L);
  *n = 0;
  if (lua_type(L, idx) == LUA_TSTRING) {
    items = (vitem *)lpv_vd_alloc(v, sizeof(vitem));
    items[0].s = lua_tolstring(L, idx, &items[0].len);
    items[0].index = -1;
    items[0].ptype = ptype;
    vd_check_chars(v, items[0].s, items[0].len, at);
    *n = 1;
  } else if (lua_type(L, idx) == LUA_TTABLE && vd_is_list(L, idx)) {
    int len = (int)lua_rawlen(L, idx), i, k = 0;
    if (len == 0) {
      if (empty_code) lpv_vd_report(v, empty_code, at, NULL, "%s is an empty array",
                                    at->key ? at->key : at->elem);
    } else {
      items = (vitem *)lpv_vd_alloc(v, sizeof(vitem) * (size_t)len);
    }
    for (i = 1; i <= len; i++) {
      vloc iat = *at;
      iat.index = i - 1;
      lua_rawgeti(L, idx, i);
      if (lua_type(L, -1) != LUA_TSTRING) {
        lpv_vd_report(v, "DATA_TYPE_MISMATCH", &iat, NULL,
                      "expected a string, found %s", jtype_name(L, -1));
      } else {
        items[k].s = lua_tolstring(L, -1, &items[k].len);
        items[k].index = i - 1;
        items[k].ptype = ptype;
        vd_check_chars(v, items[k].s, items[k].len, &iat);
        k++;
      }
      lua_pop(L, 1);
    }
    *n = k;
  } else {
    lpv_vd_report(v, "DATA_TYPE_MISMATCH", at, NULL,
                  "expected a string or an array of strings, found %s",
                  jtype_name(L, idx));
  }
  lua_pop(L, 1);
  return items;
}

/* Compile the Principal or NotPrincipal at the top of the stack. Pops it. */
static void vd_principal(vd *v, int si, const char *elem) {
  lua_State *L = v->L;
  vstmt *s = &v->st[si];
  int idx = lua_gettop(L), k, total = 0;
  vloc at = lpv_vd_at(si, elem, -1);
  if (lua_type(L, idx) == LUA_TSTRING) {
    size_t len;
    const char *p = lua_tolstring(L, idx, &len);
    if (lpv_vd_eq(p, len, "*")) {
      s->prin = (vitem *)lpv_vd_alloc(v, sizeof(vitem));
      s->prin[0].s = p;
      s->prin[0].len = len;
      s->prin[0].index = -1;
      s->prin[0].ptype = VP_STAR;
      s->nprin = 1;
      s->pbare = 1;
    } else {
      lpv_vd_report(v, "INVALID_PRINCIPAL_FORMAT", &at,
                    "name principals by type: {\"AWS\": ...}, {\"Service\": ...}",
                    "%s must be \"*\" or an object such as {\"AWS\": \"%S\"}", elem, p, len);
    }
    lua_pop(L, 1);
    return;
  }
  if (lua_type(L, idx) != LUA_TTABLE || vd_is_list(L, idx)) {
    lpv_vd_report(v, "DATA_TYPE_MISMATCH", &at, NULL,
                  "%s must be \"*\" or an object, found %s", elem, jtype_name(L, idx));
    lua_pop(L, 1);
    return;
  }
  {
    int n, others, i;
    const char **keys = vd_sorted_keys(v, idx, &n, &others);
    if (n == 0 && others == 0)
      lpv_vd_report(v, "EMPTY_OBJECT_PRINCIPAL", &at, NULL, "%s is an empty object", elem);
    for (i = 0; i < n; i++) {
      vloc kat = at;
      const char *near;
      if (vd_in(keys[i], principal_keys)) continue;
      kat.key = keys[i];
      kat.klen = strlen(keys[i]);
      near = vd_closest(keys[i], kat.klen, principal_keys);
      lpv_vd_report(v, "INVALID_PRINCIPAL_KEY", &kat,
                    near ? lua_pushfstring(L, "did you mean %s?", near)
                         : "use AWS, Service, Federated or CanonicalUser",
                    "\"%s\" is not a principal type", keys[i]);
      if (near) lua_pop(L, 1);
    }
    if (others > 0)
      lpv_vd_report(v, "INVALID_PRINCIPAL_KEY", &at, NULL,
                    "%s holds list items where principal types belong", elem);
  }
  {
    vitem *lists[4];
    int counts[4];
    for (k = 0; k < 4; k++) {
      vloc kat = at;
      kat.key = principal_keys[k];
      kat.klen = strlen(principal_keys[k]);
      counts[k] = 0;
      lists[k] = NULL;
      if (lua_getfield(L, idx, principal_keys[k]) == LUA_TNIL) { lua_pop(L, 1); continue; }
      lists[k] = vd_list(v, &kat, &counts[k], k, "EMPTY_ARRAY_PRINCIPAL");
      total += counts[k];
    }
    if (total > 0) {
      int j = 0, i;
      s->prin = (vitem *)lpv_vd_alloc(v, sizeof(vitem) * (size_t)total);
      for (k = 0; k < 4; k++)
        for (i = 0; i < counts[k]; i++) s->prin[j++] = lists[k][i];
      s->nprin = total;
    }
  }
  lua_pop(L, 1);
}

/* Compile the Condition at the top of the stack.  Pops it. */
static void vd_condition(vd *v, int si) {
  lua_State *L = v->L;
  vstmt *s = &v->st[si];
  int idx = lua_gettop(L), nops, others, i, total = 0, c = 0;
  const char **ops;
  vloc at = lpv_vd_at(si, "Condition", -1);
  if (lua_type(L, idx) != LUA_TTABLE || (vd_is_list(L, idx) && lua_rawlen(L, idx) > 0)) {
    lpv_vd_report(v, "DATA_TYPE_MISMATCH", &at, NULL,
                  "Condition must be an object, found %s", jtype_name(L, idx));
    lua_pop(L, 1);
    return;
  }
  ops = vd_sorted_keys(v, idx, &nops, &others);
  if (nops == 0) {
    lpv_vd_report(v, "EMPTY_OBJECT_CONDITION", &at, NULL, "Condition is an empty object");
    lua_pop(L, 1);
    return;
  }
  /* count keys first */
  for (i = 0; i < nops; i++) {
    lua_getfield(L, idx, ops[i]);
    if (lua_type(L, -1) == LUA_TTABLE) {
      lua_pushnil(L);
      while (lua_next(L, -2) != 0) { total++; lua_pop(L, 1); }
    }
    lua_pop(L, 1);
  }
  s->cond = (vcond *)lpv_vd_alloc(v, sizeof(vcond) * (size_t)(total > 0 ? total : 1));
  for (i = 0; i < nops; i++) {
    int nkeys, oth, j, qual = VQ_NONE, ifx = 0, base;
    const char **keys;
    size_t oplen = strlen(ops[i]);
    vloc oat = at;
    oat.key = ops[i];
    oat.klen = oplen;
    vd_check_chars(v, ops[i], oplen, &oat);
    base = lpv_vd_op_parse(ops[i], oplen, &qual, &ifx);
    lua_getfield(L, idx, ops[i]);
    if (lua_type(L, -1) != LUA_TTABLE || (vd_is_list(L, -1) && lua_rawlen(L, -1) > 0)) {
      lpv_vd_report(v, "DATA_TYPE_MISMATCH", &oat, NULL,
                    "%s must map condition keys to values, found %s", ops[i],
                    jtype_name(L, -1));
      lua_pop(L, 1);
      continue;
    }
    keys = vd_sorted_keys(v, lua_gettop(L), &nkeys, &oth);
    if (nkeys == 0) {
      lpv_vd_report(v, "EMPTY_OBJECT_CONDITION", &oat, NULL, "%s is an empty object", ops[i]);
    }
    for (j = 0; j < nkeys && c < total; j++) {
      vcond *cd = &s->cond[c];
      vloc kat = oat;
      int vidx;
      kat.key2 = keys[j];
      kat.k2len = strlen(keys[j]);
      cd->op = ops[i];
      cd->oplen = oplen;
      cd->key = keys[j];
      cd->klen = kat.k2len;
      cd->base = base;
      cd->qual = qual;
      cd->ifexists = ifx;
      vd_check_chars(v, cd->key, cd->klen, &kat);
      lua_getfield(L, -1, keys[j]);
      vidx = lua_gettop(L);
      if (lua_type(L, vidx) == LUA_TTABLE && vd_is_list(L, vidx)) {
        int n = (int)lua_rawlen(L, vidx), m, jt = 0, mixed = 0;
        if (n == 0) {
          const char *code = qual == VQ_ALL ? "EMPTY_ARRAY_CONDITION_FORALLVALUES"
                           : qual == VQ_ANY ? "EMPTY_ARRAY_CONDITION_FORANYVALUE"
                           : ifx ? "EMPTY_ARRAY_CONDITION_IFEXISTS" : "EMPTY_ARRAY_CONDITION";
          lpv_vd_report(v, code, &kat, NULL, "%s of %s is an empty array", keys[j], ops[i]);
        } else {
          cd->val = (vval *)lpv_vd_alloc(v, sizeof(vval) * (size_t)n);
        }
        for (m = 1; m <= n; m++) {
          vloc vat = kat;
          int t;
          vat.index = m - 1;
          t = lua_rawgeti(L, vidx, m);
          if (t == LUA_TSTRING || t == LUA_TNUMBER || t == LUA_TBOOLEAN) {
            vval *x = &cd->val[cd->nval++];
            if (jt && t != jt) mixed = 1;
            jt = t;
            x->index = m - 1;
            x->jtype = t;
            if (t == LUA_TBOOLEAN) {
              x->s = lua_toboolean(L, -1) ? "true" : "false";
              x->len = strlen(x->s);
              lua_pop(L, 1);
            } else if (t == LUA_TNUMBER) {
              lua_pushvalue(L, -1);
              x->s = vd_keep(v, &x->len);
              lua_pop(L, 1);
            } else {
              x->s = lua_tolstring(L, -1, &x->len);
              vd_check_chars(v, x->s, x->len, &vat);
              lua_pop(L, 1);
            }
          } else {
            lpv_vd_report(v, "DATA_TYPE_MISMATCH", &vat, NULL,
                          "a condition value must be a string, number or boolean, found %s",
                          jtype_name(L, -1));
            lua_pop(L, 1);
          }
        }
        if (mixed)
          lpv_vd_report(v, "INVALID_CONDITION_DATA_TYPE", &kat, NULL,
                        "the values of %s mix strings, numbers and booleans", keys[j]);
      } else {
        int t = lua_type(L, vidx);
        if (t == LUA_TSTRING || t == LUA_TNUMBER || t == LUA_TBOOLEAN) {
          vval *x = (vval *)lpv_vd_alloc(v, sizeof(vval));
          cd->val = x;
          cd->nval = 1;
          x->index = -1;
          x->jtype = t;
          if (t == LUA_TBOOLEAN) {
            x->s = lua_toboolean(L, vidx) ? "true" : "false";
            x->len = strlen(x->s);
          } else if (t == LUA_TNUMBER) {
            lua_pushvalue(L, vidx);
            x->s = vd_keep(v, &x->len);
          } else {
            x->s = lua_tolstring(L, vidx, &x->len);
            vd_check_chars(v, x->s, x->len, &kat);
          }
        } else {
          lpv_vd_report(v, "DATA_TYPE_MISMATCH", &kat, NULL,
                        "a condition value must be a string, number, boolean or an "
                        "array of them, found %s", jtype_name(L, vidx));
        }
      }
      lua_pop(L, 1);
      c++;
    }
    lua_pop(L, 1);
  }
  s->ncond = c;
  s->has_condition = c > 0;
  lua_pop(L, 1);
}

/* Compile statement number si from the table at the top of the stack
** (pops it); grammar of the elements' shapes. */
static void vd_statement(vd *v, int si) {
  lua_State *L = v->L;
  vstmt *s = &v->st[si];
  int idx = lua_gettop(L);
  vloc at = lpv_vd_at(si, NULL, -1);
  if (lua_type(L, idx) != LUA_TTABLE || vd_is_list(L, idx)) {
    lpv_vd_report(v, "DATA_TYPE_MISMATCH", &at, NULL,
                  "a statement must be an object, found %s", jtype_name(L, idx));
    lua_pop(L, 1);
    return;
  }
  s->ok = 1;
  if (vd_count_members(L, idx) != vd_count_known(L, idx, stmt_elements))
    vd_unknown_members(v, idx, si, stmt_elements, "statement");

  if (lua_getfield(L, idx, "Sid") != LUA_TNIL) {
    vloc sat = lpv_vd_at(si, "Sid", -1);
    if (lua_type(L, -1) == LUA_TSTRING) {
      s->sid = lua_tolstring(L, -1, &s->sidlen);
      vd_check_chars(v, s->sid, s->sidlen, &sat);
    } else {
      lpv_vd_report(v, "DATA_TYPE_MISMATCH", &sat, NULL,
                    "Sid must be a string, found %s", jtype_name(L, -1));
    }
  }
  lua_pop(L, 1);

  if (lua_getfield(L, idx, "Effect") == LUA_TNIL) {
    lpv_vd_report(v, "MISSING_EFFECT", &at, "add \"Effect\": \"Allow\" or \"Deny\"",
                  "the statement has no Effect");
    s->effect = VE_BAD;
  } else {
    vloc eat = lpv_vd_at(si, "Effect", -1);
    size_t len;
    const char *e;
    if (lua_type(L, -1) != LUA_TSTRING) {
      lpv_vd_report(v, "DATA_TYPE_MISMATCH", &eat, NULL,
                    "Effect must be a string, found %s", jtype_name(L, -1));
      s->effect = VE_BAD;
    } else {
      e = lua_tolstring(L, -1, &len);
      if (lpv_vd_eq(e, len, "Allow")) s->effect = VE_ALLOW;
      else if (lpv_vd_eq(e, len, "Deny")) s->effect = VE_DENY;
      else {
        s->effect = VE_BAD;
        lpv_vd_report(v, "INVALID_EFFECT", &eat,
                      lpv_vd_ieq(e, len, "allow") ? "Effect is case-sensitive: \"Allow\""
                      : lpv_vd_ieq(e, len, "deny") ? "Effect is case-sensitive: \"Deny\""
                      : "use \"Allow\" or \"Deny\"",
                      "Effect must be \"Allow\" or \"Deny\", not \"%S\"", e, len);
      }
    }
  }
  lua_pop(L, 1);

  {
    static const struct { const char *pos, *neg; int which; } pairs[] = {
      {"Principal", "NotPrincipal", 0}, {"Action", "NotAction", 1},
      {"Resource", "NotResource", 2}
    };
    int k;
    for (k = 0; k < 3; k++) {
      int has_pos = lua_getfield(L, idx, pairs[k].pos) != LUA_TNIL;
      int has_neg = lua_getfield(L, idx, pairs[k].neg) != LUA_TNIL;
      int kind = has_pos ? VK_POS : has_neg ? VK_NOT : VK_NONE;
      const char *elem = has_pos ? pairs[k].pos : pairs[k].neg;
      if (has_pos && has_neg) {
        vloc cat = lpv_vd_at(si, pairs[k].neg, -1);
        lpv_vd_report(v, "UNSUPPORTED_ELEMENT_COMBINATION", &cat, NULL,
                      "a statement cannot have both %s and %s", pairs[k].pos, pairs[k].neg);
      }
      lua_pop(L, 1);                       /* the negative element */
      if (!has_pos) {
        lua_pop(L, 1);
        if (has_neg) lua_getfield(L, idx, pairs[k].neg);
      }
      if (kind == VK_NONE) continue;
      if (pairs[k].which == 0) {
        s->pkind = kind;
        vd_principal(v, si, elem);
      } else {
        vloc lat = lpv_vd_at(si, elem, -1);
        int n = 0;
        vitem *items;
        if (pairs[k].which == 1) {
          s->akind = kind;
          items = vd_list(v, &lat, &n, 0, "EMPTY_ARRAY_ACTION");
          s->act = items;
          s->nact = n;
        } else {
          s->rkind = kind;
          items = vd_list(v, &lat, &n, 0, "EMPTY_ARRAY_RESOURCE");
          s->res = items;
          s->nres = n;
        }
      }
    }
  }
  if (s->akind == VK_NONE)
    lpv_vd_report(v, "MISSING_ACTION", &at, NULL, "the statement has no Action or NotAction");

  if (lua_getfield(L, idx, "Condition") != LUA_TNIL) vd_condition(v, si);
  else lua_pop(L, 1);
  lua_pop(L, 1);
}

/* Compile the document at index 1. */
static void vd_compile(vd *v, int doc) {
  lua_State *L = v->L;
  vloc root = lpv_vd_at(-1, NULL, -1);
  if (lua_type(L, doc) != LUA_TTABLE || vd_is_list(L, doc)) {
    lpv_vd_report(v, "DATA_TYPE_MISMATCH", &root, NULL,
                  "a policy must be a JSON object, found %s", jtype_name(L, doc));
    return;
  }
  if (vd_count_members(L, doc) != vd_count_known(L, doc, top_elements))
    vd_unknown_members(v, doc, -1, top_elements, "policy");

  v->version = 0;
  if (lua_getfield(L, doc, "Version") != LUA_TNIL) {
    vloc at = lpv_vd_at(-1, "Version", -1);
    size_t len;
    const char *ver;
    if (lua_type(L, -1) != LUA_TSTRING) {
      lpv_vd_report(v, "DATA_TYPE_MISMATCH", &at, NULL,
                    "Version must be a string, found %s", jtype_name(L, -1));
      v->version = -1;
    } else {
      ver = lua_tolstring(L, -1, &len);
      if (lpv_vd_eq(ver, len, "2012-10-17")) v->version = 2012;
      else if (lpv_vd_eq(ver, len, "2008-10-17")) v->version = 2008;
      else {
        v->version = -1;
        lpv_vd_report(v, "INVALID_VERSION", &at, "use \"2012-10-17\"",
                      "Version must be \"2012-10-17\" or \"2008-10-17\", not \"%S\"",
                      ver, len);
      }
    }
  }
  lua_pop(L, 1);

  if (lua_getfield(L, doc, "Id") != LUA_TNIL) {
    vloc at = lpv_vd_at(-1, "Id", -1);
    if (lua_type(L, -1) != LUA_TSTRING)
      lpv_vd_report(v, "DATA_TYPE_MISMATCH", &at, NULL,
                    "Id must be a string, found %s", jtype_name(L, -1));
    else {
      size_t len;
      const char *id = lua_tolstring(L, -1, &len);
      vd_check_chars(v, id, len, &at);
    }
  }
  lua_pop(L, 1);

  if (lua_getfield(L, doc, "Statement") == LUA_TNIL) {
    lpv_vd_report(v, "MISSING_STATEMENT", &root, NULL, "the policy has no Statement");
    lua_pop(L, 1);
    return;
  }
  {
    int sidx = lua_gettop(L), i, n;
    if (lua_type(L, sidx) == LUA_TTABLE && !vd_is_list(L, sidx)) {
      v->nstmt = 1;
      v->st = (vstmt *)lpv_vd_alloc(v, sizeof(vstmt));
      v->st[0].index = -1;
      lua_pushvalue(L, sidx);
      vd_statement(v, 0);
    } else if (lua_type(L, sidx) == LUA_TTABLE) {
      n = (int)lua_rawlen(L, sidx);
      if (n == 0) {
        vloc at = lpv_vd_at(-1, "Statement", -1);
        lpv_vd_report(v, "MISSING_STATEMENT", &at, NULL, "Statement is an empty array");
      } else {
        v->nstmt = n;
        v->st = (vstmt *)lpv_vd_alloc(v, sizeof(vstmt) * (size_t)n);
        for (i = 0; i < n; i++) {
          v->st[i].index = i;
          lua_rawgeti(L, sidx, i + 1);
          vd_statement(v, i);
        }
      }
    } else {
      vloc at = lpv_vd_at(-1, "Statement", -1);
      lpv_vd_report(v, "DATA_TYPE_MISMATCH", &at, NULL,
                    "Statement must be an object or an array of objects, found %s",
                    jtype_name(L, sidx));
    }
  }
  lua_pop(L, 1);
}


/* ---- type inference ---- */

/* Is action a one that a role trust policy may hold? */
static int vd_trust_action(const char *a, size_t len) {
  static const char *const ok[] = {
    "sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity",
    "sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext", NULL
  };
  int i;
  for (i = 0; ok[i]; i++) {
    if (lpv_vd_ieq(a, len, ok[i])) return 1;
    if (lpv_vd_has_wild(a, len) && lpv_glob_match(a, len, ok[i], strlen(ok[i]), 1)) return 1;
  }
  return 0;
}

static int vd_infer(const vd *v) {
  int i, j, principal = 0, trust = 1;
  for (i = 0; i < v->nstmt; i++) {
    const vstmt *s = &v->st[i];
    if (s->pkind == VK_NONE) continue;
    principal = 1;
    if (s->akind != VK_POS) trust = 0;
    for (j = 0; j < s->nact; j++)
      if (!vd_trust_action(s->act[j].s, s->act[j].len)) trust = 0;
  }
  if (!principal) return VT_IDENTITY;
  return trust ? VT_TRUST : VT_RESOURCE;
}


/* ---- grammar passes ---- */

static int vd_alnum(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static void vd_sids(vd *v) {
  int i, j, seen;
  lua_newtable(v->L);
  seen = lua_gettop(v->L);
  for (i = 0; i < v->nstmt; i++) {
    vstmt *s = &v->st[i];
    vloc at = lpv_vd_at(i, "Sid", -1);
    size_t k;
    if (s->sid == NULL) continue;
    if (s->sidlen == 0) {
      lpv_vd_report(v, "EMPTY_SID_VALUE", &at, "remove the Sid or name the statement",
                    "Sid is empty");
      continue;
    }
    for (k = 0; k < s->sidlen; k++) {
      int c = (unsigned char)s->sid[k];
      int ok = vd_alnum(c) || (v->type == VT_RESOURCE &&
               (c == ' ' || c == '-' || c == '_' || c == '.'));
      if (!ok) {
        lpv_vd_report(v, "UNSUPPORTED_SID", &at,
                      v->type == VT_RESOURCE ? NULL : "use only letters and digits",
                      "Sid \"%S\" holds '%S', which %s policies do not accept in a Sid",
                      s->sid, s->sidlen, s->sid + k, lpv_utf8_char_len(s->sid + k, s->sidlen - k),
                      type_names[v->type]);
        break;
      }
    }
    /* seen: Sid -> index of the first statement that has it */
    lua_pushlstring(v->L, s->sid, s->sidlen);
    if (lua_rawget(v->L, seen) == LUA_TNUMBER) {
      j = (int)lua_tointeger(v->L, -1);
      if (v->type == VT_RESOURCE)
        lpv_vd_report(v, "UNIQUE_SIDS_RECOMMENDED", &at, NULL,
                      "Sid \"%S\" is also used by statement %d", s->sid, s->sidlen,
                      v->st[j].index);
      else
        lpv_vd_report(v, "UNIQUE_SIDS_REQUIRED", &at, NULL,
                      "Sid \"%S\" is also used by statement %d: Sids must be unique",
                      s->sid, s->sidlen, v->st[j].index);
    } else {
      lua_pushlstring(v->L, s->sid, s->sidlen);
      lua_pushinteger(v->L, i);
      lua_rawset(v->L, seen);
    }
    lua_pop(v->L, 1);
  }
  lua_pop(v->L, 1);
}

int lpv_vd_partition_ok(const char *s, size_t len) {
  static const char *const known[] = {
    "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e",
    "aws-iso-f", "aws-eusc", NULL
  };
  int i;
  for (i = 0; known[i]; i++) if (lpv_vd_eq(s, len, known[i])) return 1;
  return 0;
}

static int vd_contains(const char *s, size_t len, const char *lit) {
  size_t n = strlen(lit), i;
  for (i = 0; i + n <= len; i++) if (memcmp(s + i, lit, n) == 0) return 1;
  return 0;
}

/* Element rules that depend on the policy type. */
static void vd_type_rules(vd *v, int si) {
  vstmt *s = &v->st[si];
  vloc at = lpv_vd_at(si, NULL, -1);
  vloc pat = lpv_vd_at(si, s->pkind == VK_NOT ? "NotPrincipal" : "Principal", -1);
  vloc rat = lpv_vd_at(si, s->rkind == VK_NOT ? "NotResource" : "Resource", -1);
  int i;
  switch (v->type) {
    case VT_IDENTITY: case VT_BOUNDARY: case VT_SESSION:
      if (s->pkind != VK_NONE)
        lpv_vd_report(v, "UNSUPPORTED_PRINCIPAL", &pat,
                      "identity policies apply to whoever they are attached to: remove it",
                      "%s policies cannot name a principal", type_names[v->type]);
      if (s->rkind == VK_NONE)
        lpv_vd_report(v, "MISSING_RESOURCE", &at, NULL, "the statement has no Resource or NotResource");
      break;
    case VT_RESOURCE:
      if (s->pkind == VK_NONE)
        lpv_vd_report(v, "MISSING_PRINCIPAL", &at, NULL,
                      "a resource-based policy statement must name a Principal");
      if (s->rkind == VK_NONE)
        lpv_vd_report(v, "MISSING_RESOURCE", &at, NULL, "the statement has no Resource or NotResource");
      for (i = 0; i < s->nprin; i++) {
        if (s->prin[i].ptype == VP_FEDERATED) {
          vloc fat = lpv_vd_item(v, si, "Principal", &s->prin[i]);
          lpv_vd_report(v, "FEDERATED_PRINCIPAL_NOT_SUPPORTED", &fat, NULL,
                        "only role trust policies can name a Federated principal");
          break;
        }
      }
      break;
    case VT_TRUST:
      if (s->pkind == VK_NONE)
        lpv_vd_report(v, "MISSING_PRINCIPAL", &at, NULL, "a trust policy statement must name a Principal");
      if (s->pkind == VK_NOT)
        lpv_vd_report(v, "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL", &pat,
                      "use Principal", "role trust policies cannot use NotPrincipal");
      if (s->pbare)
        lpv_vd_report(v, "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL", &pat,
                      "name who may assume the role",
                      "role trust policies cannot use \"Principal\": \"*\"");
      if (s->rkind != VK_NONE)
        lpv_vd_report(v, "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE", &rat,
                      "the role itself is the resource: remove it",
                      "role trust policies cannot have a %s", rat.elem);
      if (s->akind == VK_POS) {
        for (i = 0; i < s->nact; i++) {
          const vitem *it = &s->act[i];
          if (lpv_vd_eq(it->s, it->len, "*") || vd_trust_action(it->s, it->len)) continue;
          {
            vloc iat = lpv_vd_item(v, si, "Action", it);
            lpv_vd_report(v, "UNSUPPORTED_ACTION_IN_POLICY", &iat,
                          "trust policies allow sts:AssumeRole, sts:AssumeRoleWithSAML, "
                          "sts:AssumeRoleWithWebIdentity, sts:TagSession, sts:SetSourceIdentity",
                          "\"%S\" cannot be granted in a role trust policy", it->s, it->len);
          }
        }
      }
      break;
    case VT_SCP:
      if (s->pkind != VK_NONE)
        lpv_vd_report(v, "SCP_SYNTAX_ERROR_PRINCIPAL", &pat, NULL,
                      "service control policies cannot name a principal");
      if (s->rkind == VK_NOT)
        lpv_vd_report(v, "SCP_SYNTAX_ERROR_NOTRESOURCE", &rat, NULL,
                      "the original SCP language has no NotResource");
      if (s->rkind == VK_NONE)
        lpv_vd_report(v, "MISSING_RESOURCE", &at, NULL, "the statement has no Resource");
      if (s->effect == VE_ALLOW) {
        vloc cat = lpv_vd_at(si, "Condition", -1);
        if (s->has_condition)
          lpv_vd_report(v, "SCP_SYNTAX_ERROR_ALLOW_CONDITION", &cat, NULL,
                        "in the original SCP language an Allow cannot have a Condition");
        if (s->akind == VK_NOT) {
          vloc nat = lpv_vd_at(si, "NotAction", -1);
          lpv_vd_report(v, "SCP_SYNTAX_ERROR_ALLOW_NOTACTION", &nat, NULL,
                        "in the original SCP language an Allow cannot use NotAction");
        }
        if (s->rkind == VK_POS) {
          for (i = 0; i < s->nres; i++) {
            if (lpv_vd_eq(s->res[i].s, s->res[i].len, "*")) continue;
            {
              vloc iat = lpv_vd_item(v, si, "Resource", &s->res[i]);
              lpv_vd_report(v, "SCP_SYNTAX_ERROR_ALLOW_RESOURCE", &iat, NULL,
                            "in the original SCP language an Allow must use \"Resource\": \"*\"");
            }
            break;
          }
        }
      }
      for (i = 0; i < s->nact; i++) {
        const vitem *it = &s->act[i];
        const char *star = memchr(it->s, '*', it->len), *q = memchr(it->s, '?', it->len);
        if (q || (star && star != it->s + it->len - 1)) {
          vloc iat = lpv_vd_item(v, si, s->akind == VK_NOT ? "NotAction" : "Action", it);
          lpv_vd_report(v, "SCP_SYNTAX_ERROR_ACTION_WILDCARD", &iat, NULL,
                        "in the original SCP language a wildcard may only end an action: \"%S\"",
                        it->s, it->len);
        }
      }
      break;
    case VT_RCP:
      if (s->pkind == VK_NOT)
        lpv_vd_report(v, "RCP_SYNTAX_ERROR_NOTPRINCIPAL", &pat, NULL,
                      "resource control policies cannot use NotPrincipal");
      else if (s->pkind == VK_NONE || !(s->nprin == 1 && lpv_vd_eq(s->prin[0].s, s->prin[0].len, "*")))
        lpv_vd_report(v, "RCP_SYNTAX_ERROR_PRINCIPAL", s->pkind == VK_NONE ? &at : &pat,
                      "use \"Principal\": \"*\" and conditions on aws:PrincipalArn",
                      "resource control policies must have \"Principal\": \"*\"");
      if (s->effect == VE_ALLOW)
        lpv_vd_report(v, "RCP_SYNTAX_ERROR_ALLOW", &at, NULL,
                      "resource control policies can only Deny (RCPFullAWSAccess allows)");
      if (s->rkind == VK_NONE)
        lpv_vd_report(v, "MISSING_RESOURCE", &at, NULL, "the statement has no Resource or NotResource");
      break;
    case VT_ENDPOINT:
      lpv_vd_endpoint(v, si);
      break;
    default:
      break;
  }
}

/* Roles Anywhere and federated principals need particular actions. */
static void vd_trust_actions(vd *v, int si) {
  vstmt *s = &v->st[si];
  int i, j, saml = 0, web = 0, plain = 0, has[3] = {0, 0, 0};
  static const char *const ra[3] = { "sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession" };
  if (s->akind != VK_POS || s->pkind != VK_POS) return;
  for (j = 0; j < s->nact; j++) {
    const vitem *a = &s->act[j];
    if (lpv_vd_eq(a->s, a->len, "*")) return;
    if (lpv_vd_ieq(a->s, a->len, "sts:AssumeRoleWithSAML")) saml = 1;
    else if (lpv_vd_ieq(a->s, a->len, "sts:AssumeRoleWithWebIdentity")) web = 1;
    else if (lpv_vd_ieq(a->s, a->len, "sts:AssumeRole")) plain = 1;
    else if (lpv_vd_has_wild(a->s, a->len)) return;
    for (i = 0; i < 3; i++) if (lpv_vd_ieq(a->s, a->len, ra[i])) has[i] = 1;
  }
  for (i = 0; i < s->nprin; i++) {
    const vitem *p = &s->prin[i];
    vloc at = lpv_vd_item(v, si, "Principal", p);
    if (p->ptype == VP_FEDERATED) {
      int is_saml = vd_contains(p->s, p->len, ":saml-provider/");
      if (is_saml && !saml)
        lpv_vd_report(v, "MISMATCHED_ACTION_FOR_PRINCIPAL", &at, "add sts:AssumeRoleWithSAML",
                      "a SAML provider assumes roles with sts:AssumeRoleWithSAML, which the "
                      "statement does not allow");
      else if (!is_saml && !web)
        lpv_vd_report(v, "MISMATCHED_ACTION_FOR_PRINCIPAL", &at,
                      "add sts:AssumeRoleWithWebIdentity",
                      "web identity providers assume roles with sts:AssumeRoleWithWebIdentity, "
                      "which the statement does not allow");
    } else if ((p->ptype == VP_AWS || p->ptype == VP_SERVICE) && !plain && (saml || web)) {
      lpv_vd_report(v, "MISMATCHED_ACTION_FOR_PRINCIPAL", &at, "add sts:AssumeRole",
                    "%s principals assume roles with sts:AssumeRole, not with a federated action",
                    p->ptype == VP_AWS ? "AWS" : "service");
    }
    if (p->ptype == VP_SERVICE && lpv_vd_eq(p->s, p->len, "rolesanywhere.amazonaws.com") &&
        !(has[0] && has[1] && has[2]))
      lpv_vd_report(v, "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY", &at,
                    "allow sts:AssumeRole, sts:SetSourceIdentity and sts:TagSession",
                    "IAM Roles Anywhere needs sts:AssumeRole, sts:SetSourceIdentity and "
                    "sts:TagSession");
  }
}

static void vd_grammar(vd *v) {
  int i, j;
  vloc root = lpv_vd_at(-1, NULL, -1);
  if (v->version == 0)
    lpv_vd_report(v, "MISSING_VERSION", &root,
                  "add \"Version\": \"2012-10-17\"",
                  "the policy has no Version: IAM then reads it in the 2008 language, "
                  "without policy variables");
  if (v->type == VT_RCP && v->version == 2008) {
    vloc at = lpv_vd_at(-1, "Version", -1);
    lpv_vd_report(v, "RCP_SYNTAX_ERROR_VERSION", &at, "use \"2012-10-17\"",
                  "resource control policies must be Version 2012-10-17");
  }
  vd_sids(v);
  for (i = 0; i < v->nstmt; i++) {
    vstmt *s = &v->st[i];
    if (!s->ok) continue;
    vd_type_rules(v, i);
    for (j = 0; j < s->nprin; j++)
      lpv_vd_check_principal_item(v, i, s->pkind == VK_NOT ? "NotPrincipal" : "Principal", &s->prin[j]);
    if (v->type == VT_TRUST) vd_trust_actions(v, i);
    for (j = 0; j < s->nres; j++)
      lpv_vd_check_resource(v, i, s->rkind == VK_NOT ? "NotResource" : "Resource", &s->res[j]);
  }
}


/* ---- the Lua function ---- */

static int vd_type_of(lua_State *L, const char *name) {
  int i;
  for (i = 0; i < VT_COUNT; i++) if (strcmp(name, type_names[i]) == 0) return i;
  return luaL_error(L, "validate_policy: unknown policy type '%s' (identity, resource, "
                       "trust, scp, rcp, boundary, session)", name);
}

/* validate_policy(doc [, opts]) -> findings, type.  opts: type (a policy
** type name; inferred when absent), account (the owner's account ID),
** service (a resource policy's service prefix: its actions and ARNs must
** be that service's), disabled ({CODE = true}: skipped), managed (a managed policy), severity
** ({CODE = severity}: set on each finding), text (the JSON doc came from:
** findings get line and column, in the text's order). */
static int l_validate_policy(lua_State *L) {
  vd v;
  int managed;
  memset(&v, 0, sizeof v);
  v.L = L;
  lua_settop(L, 2);
  if (lua_isnil(L, 2)) { lua_newtable(L); lua_replace(L, 2); }
  luaL_checktype(L, 2, LUA_TTABLE);
  v.type = VT_IDENTITY;
  if (lua_getfield(L, 2, "type") != LUA_TNIL) {
    v.type = vd_type_of(L, luaL_checkstring(L, -1));
    v.type_given = 1;
  }
  lua_pop(L, 1);
  /* strings read from opts stay referenced by it for the whole call */
  if (lua_getfield(L, 2, "account") == LUA_TSTRING) v.account = lua_tolstring(L, -1, &v.acclen);
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "service") == LUA_TSTRING) v.service = lua_tolstring(L, -1, &v.svclen);
  lua_pop(L, 1);
  lua_getfield(L, 2, "managed");
  managed = lua_toboolean(L, -1);
  lua_pop(L, 1);
  luaL_getmetatable(L, LPV_ARRAY_MT);      /* 3 (VD_ARRAYMT): the array metatable */
  v.arraymt = VD_ARRAYMT;
  if (lua_getfield(L, 2, "disabled") != LUA_TTABLE) {   /* 4 */
    lua_pop(L, 1);
    lua_pushnil(L);
  } else {
    v.disabled = 4;
  }
  lua_pushvalue(L, lua_upvalueindex(1));   /* 5: leastpriv.core */
  v.core = 5;
  lua_newtable(L);                         /* 6: anchor */
  v.anchor = 6;
  lua_newtable(L);                         /* 7: findings */
  v.out = 7;
  lpv_vd_cache_open(&v);                   /* 8: catalog cache */
  lua_newtable(L);                         /* 9: findings by code, statement, message */
  v.groups = lua_gettop(L);
  v.chunk = lpv_vd_scratch(&v, &v.left);

  vd_compile(&v, 1);
  if (!v.type_given) v.type = vd_infer(&v);
  vd_grammar(&v);
  if (managed && v.version != 2012 && v.version != -1) {
    vloc at = lpv_vd_at(-1, v.version ? "Version" : NULL, -1);
    lpv_vd_report(&v, "INVALID_VERSION", &at, "use \"2012-10-17\"",
                  "managed policies must be Version 2012-10-17");
  }
  lpv_vd_catalog(&v);
  {
    int i;
    for (i = 0; i < v.nstmt; i++) if (v.st[i].ok) lpv_vd_conditions(&v, i);
    for (i = 0; i < v.nstmt; i++) if (v.st[i].ok) lpv_vd_key_context(&v, i);
  }
  if (v.has_vars && v.version != 2012) {
    vloc at = lpv_vd_at(-1, v.version ? "Version" : NULL, -1);
    lpv_vd_report(&v, "VARIABLE_UNSUPPORTED_IN_VERSION", &at, "use \"Version\": \"2012-10-17\"",
                  "policy variables (${...}) need Version 2012-10-17; here they are plain text");
  }
  lpv_vd_security(&v);
  lpv_vd_trust(&v);
  lpv_vd_idioms(&v);
  lpv_vd_suggestions(&v);
  /* opts.severity: code -> severity, set on every finding */
  if (lua_getfield(L, 2, "severity") == LUA_TTABLE) {
    int i;
    for (i = 1; i <= v.nout; i++) {
      lua_rawgeti(L, v.out, i);
      lua_getfield(L, -1, "code");
      lua_rawget(L, -3);
      lua_setfield(L, -2, "severity");
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  /* opts.text: the JSON the document was decoded from: positions, order */
  if (lua_getfield(L, 2, "text") == LUA_TSTRING) {
    size_t tlen;
    const char *text = lua_tolstring(L, -1, &tlen);
    lpv_json_locate_findings(L, text, tlen, v.out, v.nout);
  }
  lua_pop(L, 1);
  lua_pushvalue(L, v.out);
  lua_pushstring(L, type_names[v.type]);
  return 2;
}

/* validate_codes() -> the list of codes validate_policy can report */
static int l_validate_codes(lua_State *L) {
  int i;
  lua_newtable(L);
  for (i = 0; vd_codes[i]; i++) {
    lua_pushstring(L, vd_codes[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

/* validate_types() -> the policy type names */
static int l_validate_types(lua_State *L) {
  int i;
  lua_newtable(L);
  for (i = 0; i < VT_COUNT; i++) {
    lua_pushstring(L, type_names[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

static const luaL_Reg validate_funcs[] = {
  {"validate_policy", l_validate_policy},
  {"validate_codes", l_validate_codes},
  {"validate_types", l_validate_types},
  {NULL, NULL}
};

void lpv_open_validate(lua_State *L) {
  lua_pushvalue(L, -1);                    /* the module table, as upvalue */
  luaL_setfuncs(L, validate_funcs, 1);
}
