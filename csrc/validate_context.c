/*
** validate_context.c: condition keys read in their context -- the
** statement's effect and the other statements' actions, the keys beside
** them and the policy type.  Keys whose values only a companion action
** sets, keys unsafe without a companion key, keys that are constant in the
** policy type, MFA tests that miss long-term credentials, and OIDC
** audience claims under set operators.
*/
#include <string.h>

#include "validate.h"

/* Trust-policy keys that a request carries only when a companion action
** is allowed too (session tags, source identity, trusted context). */
static const struct vx_companion {
  const char *key;
  int prefix;                 /* key is a prefix ("aws:RequestTag/team") */
  const char *action;
} vx_companions[] = {
  { "aws:RequestTag/", 1, "sts:TagSession" },
  { "aws:TagKeys", 0, "sts:TagSession" },
  { "sts:TransitiveTagKeys", 0, "sts:TagSession" },
  { "sts:SourceIdentity", 0, "sts:SetSourceIdentity" },
  { "sts:RequestContext/", 1, "sts:SetContext" },
  { "sts:RequestContextProviders", 0, "sts:SetContext" },
  { NULL, 0, NULL }
};

/* Keys that say too little alone: an IP inside a VPC is only unique
** together with the VPC or endpoint it came through. */
static const struct vx_pair {
  const char *key;
  const char *const with[3];
} vx_pairs[] = {
  { "aws:VpcSourceIp", { "aws:SourceVpc", "aws:SourceVpce", NULL } },
  { NULL, { NULL, NULL, NULL } }
};

/* Keys with one value wherever a policy of the type applies. */
static const struct vx_constant {
  int type;
  const char *key;
  const char *why;
} vx_constants[] = {
  { VT_TRUST, "aws:ResourceAccount", "the resource is the role itself" },
  { VT_TRUST, "aws:ResourceOrgID", "the resource is the role itself" },
  { VT_TRUST, "aws:ResourceOrgPaths", "the resource is the role itself" },
  { VT_RESOURCE, "aws:ResourceAccount", "the resource is the one the policy is attached to" },
  { VT_RESOURCE, "aws:ResourceOrgID", "the resource is the one the policy is attached to" },
  { VT_RESOURCE, "aws:ResourceOrgPaths", "the resource is the one the policy is attached to" },
  { VT_SCP, "aws:PrincipalOrgID", "an SCP applies only to principals of its organization" },
  { VT_RCP, "aws:ResourceOrgID", "an RCP applies only to resources of its organization" },
  { VT_IDENTITY, "aws:PrincipalAccount", "the policy applies only to principals of its own account" },
  { VT_BOUNDARY, "aws:PrincipalAccount", "the policy applies only to principals of its own account" },
  { VT_SESSION, "aws:PrincipalAccount", "the session is always in the role's own account" },
  { 0, NULL, NULL }
};

static int vx_lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* Does key (len) start with lit, ignoring ASCII case? */
static int vx_istarts(const char *key, size_t len, const char *lit) {
  size_t i, n = strlen(lit);
  if (len < n) return 0;
  for (i = 0; i < n; i++)
    if (vx_lower((unsigned char)key[i]) != vx_lower((unsigned char)lit[i])) return 0;
  return 1;
}

/* A test that holds only when the key is present with a matching value. */
static int vx_positive(const vcond *c) {
  return c->base >= 0 && !c->ifexists && !lpv_vd_ops[c->base].neg &&
         lpv_vd_ops[c->base].family != VO_NULL;
}

static vloc vx_key_at(int si, const vcond *c) {
  vloc at = lpv_vd_at(si, "Condition", -1);
  at.key = c->op;
  at.klen = c->oplen;
  at.key2 = c->key;
  at.k2len = c->klen;
  return at;
}

/* Does some Allow statement of the policy allow action (a literal name)? */
static int vx_allowed(const vd *v, const char *action) {
  size_t alen = strlen(action);
  int i, j;
  for (i = 0; i < v->nstmt; i++) {
    const vstmt *s = &v->st[i];
    int hit = 0;
    if (!s->ok || s->effect != VE_ALLOW) continue;
    for (j = 0; j < s->nact && !hit; j++)
      hit = lpv_glob_match(s->act[j].s, s->act[j].len, action, alen, 1);
    if (s->akind == VK_NOT ? !hit : hit) return 1;
  }
  return 0;
}

static void vx_companion(vd *v, int si, const vcond *c) {
  int k;
  if (v->type != VT_TRUST || v->st[si].effect != VE_ALLOW || !vx_positive(c)) return;
  for (k = 0; vx_companions[k].key; k++) {
    const struct vx_companion *x = &vx_companions[k];
    int hit = x->prefix ? vx_istarts(c->key, c->klen, x->key) && c->klen > strlen(x->key)
                        : lpv_vd_ieq(c->key, c->klen, x->key);
    if (hit && !vx_allowed(v, x->action)) {
      vloc at = vx_key_at(si, c);
      lpv_vd_report(v, "MISSING_ACTION_FOR_CONDITION_KEY", &at,
                    lua_pushfstring(v->L, "add \"%s\" to the statement's Action", x->action),
                    "a request carries %S only when %s is allowed, and no statement allows "
                    "it: this test never matches", c->key, c->klen, x->action);
      lua_pop(v->L, 1);
      return;
    }
  }
}

static void vx_pair(vd *v, int si, const vcond *c) {
  const vstmt *s = &v->st[si];
  int k, j;
  int neg;
  if (c->base < 0 || lpv_vd_ops[c->base].family == VO_NULL) return;
  neg = lpv_vd_ops[c->base].neg;
  /* an Allow on a match, or a Deny carved out by a non-match, trusts the key */
  if (!((s->effect == VE_ALLOW && !neg) || (s->effect == VE_DENY && neg))) return;
  for (k = 0; vx_pairs[k].key; k++) {
    const struct vx_pair *p = &vx_pairs[k];
    int paired = 0;
    if (!lpv_vd_ieq(c->key, c->klen, p->key)) continue;
    for (j = 0; p->with[j] && !paired; j++) paired = lpv_vd_has_key(s, p->with[j], 1);
    if (!paired) {
      vloc at = vx_key_at(si, c);
      lpv_vd_report(v, "MISSING_PAIRED_CONDITION_KEYS", &at,
                    lua_pushfstring(v->L, "also test %s or %s", p->with[0], p->with[1]),
                    "%S alone matches the same addresses in every VPC, including other "
                    "accounts' VPCs", c->key, c->klen);
      lua_pop(v->L, 1);
    }
  }
}

/* Does a value of c hold a policy variable (${...})? */
static int vx_has_variable(const vcond *c) {
  int j;
  size_t i;
  for (j = 0; j < c->nval; j++) {
    const vval *x = &c->val[j];
    for (i = 0; i + 1 < x->len; i++)
      if (x->s[i] == '$' && x->s[i + 1] == '{') return 1;
  }
  return 0;
}

static void vx_constant(vd *v, int si, const vcond *c) {
  int k;
  /* "aws:PrincipalAccount": "${aws:ResourceAccount}" compares two request
  ** values (a same-account test): the key is constant, the test is not */
  if (vx_has_variable(c)) return;
  for (k = 0; vx_constants[k].key; k++) {
    const struct vx_constant *x = &vx_constants[k];
    if (x->type == v->type && lpv_vd_ieq(c->key, c->klen, x->key)) {
      vloc at = vx_key_at(si, c);
      lpv_vd_report(v, "IRRELEVANT_CONDITION_KEY_IN_POLICY", &at,
                    "remove the test, or move it to a policy type where the key varies",
                    "%S has the same value for every request this policy sees: %s",
                    c->key, c->klen, x->why);
      return;
    }
  }
}

/* aws:MultiFactorAuthPresent is absent from requests signed with long-term
** access keys: Bool "false" in a Deny skips them, BoolIfExists "true" in
** an Allow lets them in. */
static void vx_mfa(vd *v, int si, const vcond *c) {
  const vstmt *s = &v->st[si];
  int j, deny_miss = 0, allow_open = 0;
  if (c->base < 0 || lpv_vd_ops[c->base].family != VO_BOOL || c->qual != VQ_NONE ||
      !lpv_vd_ieq(c->key, c->klen, "aws:MultiFactorAuthPresent"))
    return;
  for (j = 0; j < c->nval; j++) {
    const vval *x = &c->val[j];
    if (s->effect == VE_DENY && !c->ifexists && lpv_vd_ieq(x->s, x->len, "false")) deny_miss = 1;
    if (s->effect == VE_ALLOW && c->ifexists && lpv_vd_ieq(x->s, x->len, "true")) allow_open = 1;
  }
  if (deny_miss) {
    vloc at = vx_key_at(si, c);
    lpv_vd_report(v, "BAD_PATTERN_FOR_MFA", &at, "use BoolIfExists",
                  "requests signed with long-term access keys carry no %S, so this Deny "
                  "never applies to them", c->key, c->klen);
  }
  if (allow_open) {
    vloc at = vx_key_at(si, c);
    lpv_vd_report(v, "BAD_PATTERN_FOR_MFA", &at, "use Bool",
                  "requests signed with long-term access keys carry no %S, so BoolIfExists "
                  "\"true\" allows them without MFA", c->key, c->klen);
  }
}

/* An OIDC provider's aud claim is one string for most providers: a set
** operator there either adds nothing or (ForAllValues) also matches a
** token without the claim. */
static void vx_audience(vd *v, int si, const vcond *c) {
  const char *colon;
  vloc at;
  if (c->base < 0 || c->qual == VQ_NONE || c->klen < 5) return;
  colon = memchr(c->key, ':', c->klen);
  if (colon == NULL || memchr(c->key, '.', (size_t)(colon - c->key)) == NULL ||
      !lpv_vd_ieq(colon, c->klen - (size_t)(colon - c->key), ":aud"))
    return;
  at = vx_key_at(si, c);
  lpv_vd_report(v, "CONFIRM_AUDIENCE_CLAIM_TYPE", &at,
                "if the provider sends aud as one string, drop the set qualifier",
                "confirm that %S is multivalued for this provider: %s",
                c->key, c->klen, c->qual == VQ_ALL
                ? "ForAllValues: also matches a token without the claim"
                : "for a single-valued claim ForAnyValue: adds nothing");
}

void lpv_vd_key_context(vd *v, int si) {
  const vstmt *s = &v->st[si];
  int i;
  if (s->effect != VE_ALLOW && s->effect != VE_DENY) return;
  for (i = 0; i < s->ncond; i++) {
    const vcond *c = &s->cond[i];
    if (c->base < 0) continue;
    vx_companion(v, si, c);
    vx_pair(v, si, c);
    vx_constant(v, si, c);
    vx_mfa(v, si, c);
    vx_audience(v, si, c);
  }
}
