/*
** validate_principal.c: the grammar of one Principal / NotPrincipal entry:
** AWS account IDs and principal ARNs, unique IDs where an ARN belongs
** (INVALID_ROLE_REFERENCE, INVALID_USER_REFERENCE), service principal
** names, federated providers, canonical users, wildcards.  Moved out of
** validate.c, which walks the elements and calls it per entry.
*/
#include <string.h>

#include "validate.h"

static int vd_hex(int c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* [a-z0-9.-]+ ending in .amazonaws.com(.cn) or .amazon.com */
static int vd_service_principal_ok(const char *s, size_t len) {
  size_t i;
  static const char *const ends[] = { ".amazonaws.com", ".amazonaws.com.cn", ".amazon.com", NULL };
  int k;
  for (i = 0; i < len; i++) {
    int c = (unsigned char)s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-'))
      return 0;
  }
  for (k = 0; ends[k]; k++) {
    size_t n = strlen(ends[k]);
    if (len > n && memcmp(s + len - n, ends[k], n) == 0) return 1;
  }
  return 0;
}


/* An IAM principal ARN: iam ... root, user/, role/; sts assumed-role/, federated-user/ */
static int vd_principal_arn_ok(const char *s, size_t len) {
  lpv_arn a;
  const char *r;
  size_t rl;
  if (lpv_vd_arn_split(s, len, &a) != 6) return 0;
  if (!lpv_vd_partition_ok(a.part[1], a.len[1])) return 0;
  if (a.len[3] != 0 || !lpv_vd_is_account(a.part[4], a.len[4])) return 0;
  r = a.part[5];
  rl = a.len[5];
  if (lpv_vd_eq(a.part[2], a.len[2], "iam"))
    return lpv_vd_eq(r, rl, "root") || (lpv_vd_starts(r, rl, "user/") && rl > 5) ||
           (lpv_vd_starts(r, rl, "role/") && rl > 5);
  if (lpv_vd_eq(a.part[2], a.len[2], "sts"))
    return (lpv_vd_starts(r, rl, "assumed-role/") && memchr(r + 13, '/', rl - 13) != NULL) ||
           (lpv_vd_starts(r, rl, "federated-user/") && rl > 15);
  return 0;
}


static int vd_unique_id(const char *s, size_t len, const char *prefix) {
  size_t i;
  if (len < 16 || !lpv_vd_starts(s, len, prefix)) return 0;
  for (i = 4; i < len; i++) {
    int c = (unsigned char)s[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return 0;
  }
  return 1;
}

void lpv_vd_check_principal_item(vd *v, int si, const char *elem, const vitem *it) {
  vloc at = lpv_vd_item(v, si, elem, it);
  const char *s = it->s;
  size_t len = it->len;
  if (lpv_vd_has_placeholder(s, len)) return;
  if (lpv_vd_variables(v, s, len, &at, 0)) return;
  switch (it->ptype) {
    case VP_STAR:
      return;
    case VP_AWS:
      if (lpv_vd_eq(s, len, "*") || lpv_vd_is_account(s, len)) return;
      if (vd_unique_id(s, len, "AROA")) {
        lpv_vd_report(v, "INVALID_ROLE_REFERENCE", &at,
                      "name the role by ARN: arn:aws:iam::ACCOUNT:role/NAME",
                      "\"%S\" is a role's unique ID, shown where a deleted role was named",
                      s, len);
        return;
      }
      if (vd_unique_id(s, len, "AIDA")) {
        lpv_vd_report(v, "INVALID_USER_REFERENCE", &at,
                      "name the user by ARN: arn:aws:iam::ACCOUNT:user/NAME",
                      "\"%S\" is a user's unique ID, shown where a deleted user was named",
                      s, len);
        return;
      }
      if (lpv_vd_has_wild(s, len)) {
        lpv_vd_report(v, "UNSUPPORTED_WILDCARD_IN_PRINCIPAL", &at,
                      "use \"*\" with an ArnLike condition on aws:PrincipalArn",
                      "principals cannot hold partial wildcards: \"%S\"", s, len);
        return;
      }
      if (vd_principal_arn_ok(s, len)) return;
      lpv_vd_report(v, "INVALID_PRINCIPAL_FORMAT", &at,
                    "use a 12-digit account ID, or an IAM user, role or session ARN",
                    "\"%S\" is not a valid AWS principal", s, len);
      return;
    case VP_SERVICE:
      if (lpv_vd_has_wild(s, len) && !lpv_vd_eq(s, len, "*")) {
        lpv_vd_report(v, "UNSUPPORTED_WILDCARD_IN_PRINCIPAL", &at, NULL,
                      "service principals cannot hold wildcards: \"%S\"", s, len);
        return;
      }
      if (!vd_service_principal_ok(s, len))
        lpv_vd_report(v, "INVALID_SERVICE_PRINCIPAL_FORMAT", &at,
                      "service principals look like sagemaker.amazonaws.com",
                      "\"%S\" is not a service principal", s, len);
      return;
    case VP_FEDERATED: {
      int ok = lpv_vd_eq(s, len, "cognito-identity.amazonaws.com") ||
               lpv_vd_eq(s, len, "www.amazon.com") || lpv_vd_eq(s, len, "graph.facebook.com") ||
               lpv_vd_eq(s, len, "accounts.google.com");
      if (!ok) {
        lpv_arn a;
        if (lpv_vd_starts(s, len, "arn:") && lpv_vd_arn_split(s, len, &a) == 6 &&
            lpv_vd_eq(a.part[2], a.len[2], "iam") && lpv_vd_is_account(a.part[4], a.len[4]) &&
            a.len[3] == 0 &&
            ((lpv_vd_starts(a.part[5], a.len[5], "saml-provider/") && a.len[5] > 14) ||
             (lpv_vd_starts(a.part[5], a.len[5], "oidc-provider/") && a.len[5] > 14)))
          ok = 1;
      }
      if (ok) return;
      if (v->type == VT_TRUST)
        lpv_vd_report(v, "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY", &at,
                      "use an identity provider ARN (arn:aws:iam::ACCOUNT:oidc-provider/HOST "
                      "or saml-provider/NAME) or cognito-identity.amazonaws.com",
                      "\"%S\" is not a federated principal", s, len);
      else
        lpv_vd_report(v, "INVALID_PRINCIPAL_FORMAT", &at, NULL,
                      "\"%S\" is not a federated principal", s, len);
      return;
    }
    case VP_CANONICAL: {
      size_t i;
      int ok = len == 64;
      for (i = 0; ok && i < len; i++) ok = vd_hex((unsigned char)s[i]);
      if (!ok)
        lpv_vd_report(v, "INVALID_PRINCIPAL_FORMAT", &at, NULL,
                      "\"%S\" is not a canonical user ID (64 hex digits)", s, len);
      return;
    }
    default:
      return;
  }
}
