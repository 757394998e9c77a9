/*
** validate_resource.c: the grammar of one Resource / NotResource entry
** against the catalog: an ARN's parts (partition, service, region,
** account, resource), its service's ARNs, and which of their templates
** name a region or an account (MISSING_ARN_ACCOUNT, ARN_REGION_NOT_ALLOWED,
** INVALID_ARN_RESOURCE, ...).  Moved out of validate.c, which walks the
** elements and calls it per entry.
*/
#include <string.h>

#include "validate.h"

/* Region syntax: us-east-1, us-gov-west-1, cn-north-1, ... */
static int vd_region_syntax(const char *s, size_t len) {
  size_t i, dashes = 0;
  if (len < 4) return 0;
  for (i = 0; i < len; i++) {
    int c = (unsigned char)s[i];
    if (c == '-') {
      if (i == 0 || s[i - 1] == '-') return 0;
      dashes++;
    } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      return 0;
    }
  }
  i = len;
  while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') i--;
  return dashes >= 2 && i < len && i > 0 && s[i - 1] == '-';
}

static int vd_opaque(const char *s, size_t len) {
  return lpv_vd_has_wild(s, len) || lpv_vd_has_placeholder(s, len) ||
         (memchr(s, '$', len) != NULL);
}

/* Check one Resource / NotResource entry. */
void lpv_vd_check_resource(vd *v, int si, const char *elem, const vitem *it) {
  vloc at = lpv_vd_item(v, si, elem, it);
  const char *s = it->s;
  size_t len = it->len;
  lpv_arn a;
  int n, k;
  const vservice *svc;
  if (lpv_vd_eq(s, len, "*")) return;
  if (!lpv_vd_starts(s, len, "arn:")) {
    if (lpv_vd_has_placeholder(s, len) && (unsigned char)s[0] == LPV_PH_OPEN) return; /* ${var.arn} */
    lpv_vd_report(v, "INVALID_ARN_PREFIX", &at,
                  memchr(s, ':', len) == NULL ? "an S3 bucket is arn:aws:s3:::NAME" : NULL,
                  "\"%S\" is neither \"*\" nor an ARN (arn:PARTITION:SERVICE:REGION:"
                  "ACCOUNT:RESOURCE)", s, len);
    return;
  }
  n = lpv_vd_arn_split(s, len, &a);
  if (n < 6) {
    if ((v->type == VT_IDENTITY || v->type == VT_BOUNDARY || v->type == VT_SESSION ||
         v->type == VT_SCP) && s[len - 1] == '*')
      return;
    lpv_vd_report(v, "MISSING_ARN_FIELD", &at, NULL,
                  "\"%S\" has %d of the 6 ARN parts (arn:PARTITION:SERVICE:REGION:"
                  "ACCOUNT:RESOURCE)", s, len, n);
    return;
  }
  lpv_vd_variables(v, a.part[5], a.len[5], &at, 1);
  for (k = 1; k < 5; k++) {
    if (memchr(a.part[k], '$', a.len[k]) && lpv_vd_variables(v, a.part[k], a.len[k], &at, 1)) {
      lpv_vd_report(v, "VARIABLE_UNSUPPORTED_IN_ELEMENT", &at,
                    "policy variables work only in the resource part (after the 5th ':')",
                    "\"%S\" holds a policy variable in its %s part", s, len,
                    k == 1 ? "partition" : k == 2 ? "service" : k == 3 ? "region" : "account");
      return;
    }
  }
  if (a.len[1] == 0) {
    lpv_vd_report(v, "INVALID_PARTITION", &at, "use aws, aws-cn or aws-us-gov",
                  "\"%S\" has an empty partition", s, len);
  } else if (!vd_opaque(a.part[1], a.len[1]) && !lpv_vd_partition_ok(a.part[1], a.len[1])) {
    lpv_vd_report(v, "INVALID_PARTITION", &at, "use aws, aws-cn or aws-us-gov",
                  "\"%S\" is not a partition (in \"%S\")", a.part[1], a.len[1], s, len);
  }
  if (a.len[2] == 0) {
    lpv_vd_report(v, "MISSING_ARN_FIELD", &at, NULL, "\"%S\" has an empty service", s, len);
    return;
  }
  if (lpv_vd_has_placeholder(a.part[2], a.len[2])) return;
  if (lpv_vd_has_wild(a.part[2], a.len[2])) {
    lpv_vd_report(v, "INVALID_ARN_SERVICE", &at, "spell the service out: no wildcards there",
                  "\"%S\" has a wildcard in its service", s, len);
    return;
  }
  for (k = 0; k < (int)a.len[2]; k++) {
    int c = (unsigned char)a.part[2][k];
    if (c >= 'A' && c <= 'Z') {
      lpv_vd_report(v, "INVALID_ARN_SERVICE_CASE", &at, "service names in ARNs are lower case",
                    "\"%S\" has upper case in its service \"%S\"", s, len, a.part[2], a.len[2]);
      return;
    }
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      lpv_vd_report(v, "INVALID_ARN_SERVICE", &at, NULL,
                    "\"%S\" is not a service name (in \"%S\")", a.part[2], a.len[2], s, len);
      return;
    }
  }
  if (a.len[3] > 0 && !vd_opaque(a.part[3], a.len[3]) && !vd_region_syntax(a.part[3], a.len[3]))
    lpv_vd_report(v, "INVALID_ARN_REGION", &at, "regions look like us-east-1",
                  "\"%S\" is not a region (in \"%S\")", a.part[3], a.len[3], s, len);
  if (a.len[4] > 0 && !vd_opaque(a.part[4], a.len[4]) &&
      !lpv_vd_is_account(a.part[4], a.len[4]) && !lpv_vd_eq(a.part[4], a.len[4], "aws"))
    lpv_vd_report(v, "INVALID_ARN_ACCOUNT", &at, "accounts are 12 digits",
                  "\"%S\" is not an account ID (in \"%S\")", a.part[4], a.len[4], s, len);
  if (a.len[5] == 0) {
    lpv_vd_report(v, "INVALID_ARN_RESOURCE", &at, NULL,
                  "\"%S\" has an empty resource part", s, len);
    return;
  }
  svc = lpv_vd_service(v, a.part[2], a.len[2]);
  if (!svc->known && !lpv_vd_arn_service_known(v, a.part[2], a.len[2])) {
    const char *msg, *p, *q;
    lpv_vd_push_unknown_service(v, a.part[2], a.len[2]);
    msg = lua_tostring(v->L, -1);
    p = msg ? strstr(msg, "did you mean ") : NULL;
    q = p ? strchr(p, '?') : NULL;
    if (q) lua_pushlstring(v->L, p, (size_t)(q - p) + 1);
    else lua_pushnil(v->L);
    lpv_vd_report(v, "INVALID_SERVICE", &at, lua_tostring(v->L, -1),
                  "no AWS service has ARNs under \"%S\" (in \"%S\")", a.part[2], a.len[2], s, len);
    lua_pop(v->L, 2);
    return;
  }
  if (!svc->known || svc->nprefix == 0) return;
  {
    /* the templates whose resource-type word the resource part starts with */
    const char *r = a.part[5];
    size_t rl = a.len[5], lit = 0, best = 0;
    int i, any = 0, reg_any = 0, reg_none = 0, acc_any = 0, acc_none = 0;
    while (lit < rl && r[lit] != '*' && r[lit] != '?' && r[lit] != 1 && r[lit] != '$') lit++;
    for (i = 0; i < svc->nprefix; i++) {
      size_t pl = svc->plen[i];
      int ok = lit >= pl ? memcmp(r, svc->prefix[i], pl) == 0 : memcmp(r, svc->prefix[i], lit) == 0;
      if (ok && (lit >= pl) && pl > best) best = pl;
      any |= ok;
    }
    if (!any && lpv_vd_eq(a.part[2], a.len[2], "iam") && lpv_vd_eq(r, rl, "root")) return;
    if (!any) {
      luaL_Buffer b;
      lua_State *L = v->L;
      luaL_buffinit(L, &b);
      luaL_addstring(&b, "resource parts of ");
      luaL_addlstring(&b, a.part[2], a.len[2]);
      luaL_addstring(&b, " ARNs start with ");
      for (i = 0; i < svc->nprefix && i < 12; i++) {
        if (i > 0) luaL_addstring(&b, ", ");
        luaL_addlstring(&b, svc->prefix[i], svc->plen[i]);
      }
      if (svc->nprefix > 12) luaL_addstring(&b, ", ...");
      luaL_pushresult(&b);
      lpv_vd_report(v, "INVALID_ARN_RESOURCE", &at, lua_tostring(L, -1),
                    "\"%S\" names no %S resource type", s, len, a.part[2], a.len[2]);
      lua_pop(L, 1);
      return;
    }
    for (i = 0; i < svc->nprefix; i++) {
      size_t pl = svc->plen[i];
      int ok = lit >= pl ? (pl == best && memcmp(r, svc->prefix[i], pl) == 0)
                         : memcmp(r, svc->prefix[i], lit) == 0;
      if (!ok) continue;
      if (svc->region[i]) reg_any = 1; else reg_none = 1;
      if (svc->account[i]) acc_any = 1;
      if (svc->account[i] != 1) acc_none = 1;        /* none, or AWS-owned ones */
    }
    if (a.len[3] > 0 && !lpv_vd_eq(a.part[3], a.len[3], "*") && !reg_any)
      lpv_vd_report(v, "ARN_REGION_NOT_ALLOWED", &at, "leave the region empty",
                    "\"%S\" names a region, but these %S resources have none",
                    s, len, a.part[2], a.len[2]);
    else if (a.len[3] == 0 && !reg_none)
      lpv_vd_report(v, "MISSING_ARN_REGION", &at, "name a region or use *",
                    "\"%S\" has no region, but these %S resources have one",
                    s, len, a.part[2], a.len[2]);
    if (a.len[4] > 0 && !lpv_vd_eq(a.part[4], a.len[4], "*") && !acc_any)
      lpv_vd_report(v, "ARN_ACCOUNT_NOT_ALLOWED", &at, "leave the account empty",
                    "\"%S\" names an account, but these %S resources have none",
                    s, len, a.part[2], a.len[2]);
    else if (a.len[4] == 0 && !acc_none)
      lpv_vd_report(v, "MISSING_ARN_ACCOUNT", &at, "name the account or use *",
                    "\"%S\" has no account, but these %S resources have one",
                    s, len, a.part[2], a.len[2]);
  }
}
