/*
** validate_trust.c: trust policies that can never work, or that let in more
** than their author meant (issue 13, checks that ML roles need).
**
**   TRUST_SOURCE_ARN_OTHER_SERVICE   aws:SourceArn names a resource of
**       another service than every trusted service principal: a SageMaker
**       principal acts for SageMaker resources, never for a Bedrock ARN.
**   TRUST_SOURCE_ACCOUNT_MISMATCH    aws:SourceArn's account is none of the
**       aws:SourceAccount values: both must hold, so that value never does.
**   GITHUB_OIDC_MISSING_AUDIENCE     a GitHub OIDC trust that does not test
**       token.actions.githubusercontent.com:aud.
**   GITHUB_SUBJECT_ANY_REF           a GitHub subject "repo:ORG/REPO:*": any
**       branch, tag, environment or pull request of the repository.
*/
#include <string.h>

#include "validate.h"

#define GITHUB "token.actions.githubusercontent.com"

/* A positive test of the key (no negation, no Null)? */
static int vt_positive(const vcond *c) {
  return c->base >= 0 && !lpv_vd_ops[c->base].neg && lpv_vd_ops[c->base].family != VO_NULL;
}

static vloc vt_value_at(int si, const vcond *c, const vval *x) {
  vloc at = lpv_vd_at(si, "Condition", -1);
  at.key = c->op;
  at.klen = c->oplen;
  at.key2 = c->key;
  at.k2len = c->klen;
  at.index = x->index;
  return at;
}

/* Service principals whose name's first label is not the service of the
** ARNs they act for. */
static const struct { const char *label, *service; } vt_alias[] = {
  { "ecs-tasks", "ecs" }, { "edgelambda", "lambda" }, { "vpc-flow-logs", "ec2" },
  { "delivery", "logs" }, { "monitoring", "cloudwatch" }, { "airflow-env", "airflow" },
  { NULL, NULL }
};

/* The ARN service a service principal acts for ("sagemaker" for
** sagemaker.amazonaws.com), or 0 when it cannot tell. */
static size_t vt_principal_service(vd *v, const vitem *p, const char **svc) {
  const char *dot = memchr(p->s, '.', p->len);
  size_t n = dot ? (size_t)(dot - p->s) : 0;
  int k;
  if (n == 0 || lpv_vd_has_wild(p->s, n)) return 0;
  *svc = p->s;
  for (k = 0; vt_alias[k].label; k++)
    if (lpv_vd_eq(p->s, n, vt_alias[k].label)) {
      *svc = vt_alias[k].service;
      n = strlen(*svc);
      break;
    }
  return lpv_vd_service(v, *svc, n)->known ? n : 0;
}

/* SourceArn values of a statement whose principals are all services. */
static void vt_source_arn(vd *v, int si) {
  const vstmt *s = &v->st[si];
  int i, j, k;
  for (k = 0; k < s->nprin; k++)
    if (s->prin[k].ptype != VP_SERVICE || lpv_vd_has_placeholder(s->prin[k].s, s->prin[k].len))
      return;
  for (i = 0; i < s->ncond; i++) {
    const vcond *c = &s->cond[i];
    if (!vt_positive(c) || !lpv_vd_ieq(c->key, c->klen, "aws:SourceArn")) continue;
    for (j = 0; j < c->nval; j++) {
      const vval *x = &c->val[j];
      lpv_arn a;
      int fits = 0, known = 0;
      if (lpv_vd_arn_split(x->s, x->len, &a) != 6 || a.len[2] == 0 ||
          lpv_vd_has_wild(a.part[2], a.len[2]) || lpv_vd_has_placeholder(a.part[2], a.len[2]) ||
          memchr(a.part[2], '$', a.len[2]))
        continue;
      for (k = 0; k < s->nprin && !fits; k++) {
        const char *svc = NULL;
        size_t n = vt_principal_service(v, &s->prin[k], &svc);
        if (n == 0) { fits = 1; break; }             /* a principal we cannot read */
        known = 1;
        fits = n == a.len[2] && memcmp(svc, a.part[2], n) == 0;
      }
      if (!fits && known) {
        vloc at = vt_value_at(si, c, x);
        lpv_vd_report(v, "TRUST_SOURCE_ARN_OTHER_SERVICE", &at,
                      "name a resource of the trusted service, or trust the service that "
                      "owns this one",
                      "\"%S\" is a %S resource, but the statement trusts %S: that service "
                      "never acts for it, so the role can never be assumed this way",
                      x->s, x->len, a.part[2], a.len[2], s->prin[0].s, s->prin[0].len);
      }
    }
  }
}

/* SourceArn accounts against the SourceAccount values. */
static void vt_source_account(vd *v, int si) {
  const vstmt *s = &v->st[si];
  const vcond *acct = NULL;
  int i, j, k;
  for (i = 0; i < s->ncond; i++) {
    const vcond *c = &s->cond[i];
    if (!vt_positive(c) || c->ifexists || !lpv_vd_ieq(c->key, c->klen, "aws:SourceAccount")) continue;
    for (j = 0; j < c->nval; j++)
      if (!lpv_vd_is_account(c->val[j].s, c->val[j].len)) return;   /* wildcards, variables */
    if (c->nval > 0) acct = c;
  }
  if (!acct) return;
  for (i = 0; i < s->ncond; i++) {
    const vcond *c = &s->cond[i];
    if (!vt_positive(c) || c->ifexists || !lpv_vd_ieq(c->key, c->klen, "aws:SourceArn")) continue;
    for (j = 0; j < c->nval; j++) {
      const vval *x = &c->val[j];
      lpv_arn a;
      int same = 0;
      if (lpv_vd_arn_split(x->s, x->len, &a) != 6 || !lpv_vd_is_account(a.part[4], a.len[4]))
        continue;
      for (k = 0; k < acct->nval && !same; k++)
        same = acct->val[k].len == a.len[4] && memcmp(acct->val[k].s, a.part[4], a.len[4]) == 0;
      if (!same) {
        vloc at = vt_value_at(si, c, x);
        lpv_vd_report(v, "TRUST_SOURCE_ACCOUNT_MISMATCH", &at,
                      "make aws:SourceAccount the account of the source ARN",
                      "\"%S\" is in account %S, but aws:SourceAccount must be %S: both "
                      "conditions must hold, so this value never matches",
                      x->s, x->len, a.part[4], a.len[4], acct->val[0].s, acct->val[0].len);
      }
    }
  }
}

/* Is a GitHub subject "repo:ORG/REPO:*" (any ref of one repository)? */
static int vt_any_ref(const char *s, size_t len) {
  const char *slash, *colon;
  if (!lpv_vd_starts(s, len, "repo:")) return 0;
  slash = memchr(s + 5, '/', len - 5);
  if (!slash || slash == s + 5) return 0;
  colon = memchr(slash, ':', len - (size_t)(slash - s));
  if (!colon || lpv_vd_has_wild(s + 5, (size_t)(colon - s) - 5)) return 0;
  return (size_t)(colon - s) + 1 < len && colon[1] == '*';
}

static void vt_github(vd *v, int si) {
  const vstmt *s = &v->st[si];
  int i, j, k, github = 0;
  for (k = 0; k < s->nprin; k++) {
    const vitem *p = &s->prin[k];
    size_t n = strlen(GITHUB);
    if (p->ptype == VP_FEDERATED && p->len >= n &&
        memcmp(p->s + p->len - n, GITHUB, n) == 0) {
      github = 1;
      if (!lpv_vd_has_key(s, GITHUB ":aud", 1)) {
        vloc at = lpv_vd_item(v, si, "Principal", p);
        lpv_vd_report(v, "GITHUB_OIDC_MISSING_AUDIENCE", &at,
                      "add \"StringEquals\": {\"" GITHUB ":aud\": \"sts.amazonaws.com\"}",
                      "the GitHub OIDC trust does not test " GITHUB ":aud: tokens minted "
                      "for any audience are accepted");
      }
    }
  }
  if (!github) return;
  for (i = 0; i < s->ncond; i++) {
    const vcond *c = &s->cond[i];
    if (!vt_positive(c) || !lpv_vd_ieq(c->key, c->klen, GITHUB ":sub")) continue;
    if (!lpv_vd_ops[c->base].like) continue;
    for (j = 0; j < c->nval; j++) {
      const vval *x = &c->val[j];
      if (vt_any_ref(x->s, x->len)) {
        vloc at = vt_value_at(si, c, x);
        lpv_vd_report(v, "GITHUB_SUBJECT_ANY_REF", &at,
                      "name the ref: repo:ORG/REPO:ref:refs/heads/main, or "
                      "repo:ORG/REPO:environment:NAME",
                      "\"%S\" admits any branch, tag, environment or pull request of the "
                      "repository", x->s, x->len);
      }
    }
  }
}

void lpv_vd_trust(vd *v) {
  int i;
  if (v->type != VT_TRUST) return;
  for (i = 0; i < v->nstmt; i++) {
    const vstmt *s = &v->st[i];
    if (!s->ok || s->effect != VE_ALLOW || s->pkind != VK_POS) continue;
    vt_source_arn(v, i);
    vt_source_account(v, i);
    vt_github(v, i);
  }
}
