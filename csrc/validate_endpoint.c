/*
** validate_endpoint.c: the grammar of VPC endpoint policies (type
** "endpoint"), from AWS's "Control access to VPC endpoints using endpoint
** policies": a Principal in every statement, no wildcard or numeric
** operator on keys holding system-generated identifiers, six characters
** next to each wildcard of a string condition, and an ARN's account either
** an account id or a wildcard.  validate.c calls lpv_vd_endpoint per
** statement of an endpoint policy.
*/
#include <string.h>

#include "validate.h"

/* Global keys whose values are identifiers AWS generates. */
static const char *const id_keys[] = {
  "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:ResourceAccount", "aws:ResourceOrgID",
  "aws:SourceAccount", "aws:SourceVpc", "aws:SourceVpce", "aws:SourceOrgID", NULL
};

static int is_id_key(const char *k, size_t len) {
  int i;
  for (i = 0; id_keys[i]; i++) if (lpv_vd_ieq(k, len, id_keys[i])) return 1;
  return 0;
}

static int is_wild(char c) { return c == '*' || c == '?'; }

/* Has every wildcard of s six literal characters just before or after it? */
static int wildcards_anchored(const char *s, size_t len) {
  size_t i;
  for (i = 0; i < len; i++) {
    size_t before = 0, after = 0, k;
    if (!is_wild(s[i])) continue;
    for (k = i; k > 0 && !is_wild(s[k - 1]) && before < 6; k--) before++;
    for (k = i + 1; k < len && !is_wild(s[k]) && after < 6; k++) after++;
    if (before < 6 && after < 6) return 0;
  }
  return 1;
}

/* Is the account part of ARN s an account id mixed with a wildcard? */
static int mixed_account(const char *s, size_t len) {
  lpv_arn a;
  const char *p;
  size_t n, i;
  int wild = 0, digit = 0;
  if (!lpv_vd_starts(s, len, "arn:") || lpv_vd_arn_split(s, len, &a) < 5) return 0;
  p = a.part[LPV_ARN_ACCOUNT];
  n = a.len[LPV_ARN_ACCOUNT];
  for (i = 0; i < n; i++) {
    if (is_wild(p[i])) wild = 1;
    else digit = 1;
  }
  return wild && digit;
}

static void account_finding(vd *v, const vloc *at, const char *s, size_t len) {
  lpv_vd_report(v, "ENDPOINT_POLICY_ACCOUNT_WILDCARD", at,
                "name the account, or use * for the whole account part",
                "in an endpoint policy an ARN's account is an account id or a wildcard, not both: \"%S\"",
                s, len);
}

void lpv_vd_endpoint(vd *v, int si) {
  const vstmt *s = &v->st[si];
  vloc at = lpv_vd_at(si, NULL, -1);
  int i, j;
  if (s->pkind == VK_NONE)
    lpv_vd_report(v, "MISSING_PRINCIPAL", &at, "use \"Principal\": \"*\" and conditions on aws:PrincipalArn",
                  "an endpoint policy statement must name a Principal");
  if (s->rkind == VK_NONE)
    lpv_vd_report(v, "MISSING_RESOURCE", &at, NULL, "the statement has no Resource or NotResource");
  for (i = 0; i < s->nres; i++) {
    if (!mixed_account(s->res[i].s, s->res[i].len)) continue;
    {
      vloc iat = lpv_vd_item(v, si, s->rkind == VK_NOT ? "NotResource" : "Resource", &s->res[i]);
      account_finding(v, &iat, s->res[i].s, s->res[i].len);
    }
  }
  for (i = 0; i < s->ncond; i++) {
    const vcond *c = &s->cond[i];
    const vop *op = c->base >= 0 ? &lpv_vd_ops[c->base] : NULL;
    vloc kat = lpv_vd_at(si, "Condition", -1);
    kat.key = c->op;
    kat.klen = c->oplen;
    kat.key2 = c->key;
    kat.k2len = c->klen;
    if (op == NULL) continue;
    if (is_id_key(c->key, c->klen) && op->family == VO_NUMERIC)
      lpv_vd_report(v, "ENDPOINT_POLICY_WILDCARD_ON_ID_KEY", &kat, "compare with StringEquals",
                    "an endpoint policy cannot use %S on %S", c->op, c->oplen, c->key, c->klen);
    for (j = 0; j < c->nval; j++) {
      const vval *val = &c->val[j];
      vloc vat = kat;
      vat.index = val->index;
      if (val->jtype != LUA_TSTRING) continue;
      if (is_id_key(c->key, c->klen) && lpv_vd_has_wild(val->s, val->len)) {
        lpv_vd_report(v, "ENDPOINT_POLICY_WILDCARD_ON_ID_KEY", &vat, "list the identifiers in full",
                      "an endpoint policy cannot use a wildcard in a value of %S: \"%S\"",
                      c->key, c->klen, val->s, val->len);
      } else if (op->family == VO_STRING && !wildcards_anchored(val->s, val->len)) {
        lpv_vd_report(v, "ENDPOINT_POLICY_SHORT_WILDCARD", &vat,
                      "put at least six characters before or after each wildcard",
                      "in an endpoint policy a string condition's wildcard needs six consecutive "
                      "characters before or after it: \"%S\"", val->s, val->len);
      }
      if ((op->family == VO_ARN || op->family == VO_STRING) && mixed_account(val->s, val->len))
        account_finding(v, &vat, val->s, val->len);
    }
  }
}
