/*
** validate_required.c: MISSING_REQUIRED_RESOURCE_TYPE.  The Service
** Authorization Reference marks some resource types of an action required
** (*): a call names a resource of each, and IAM authorizes the action on
** every one of them.  ec2:CreateNetworkInterface granted on the subnet and
** the security group, but on no network interface, fails at run time.
**
** Per document: an Allow that names resources for an action (exactly, not
** through a pattern) and fits it somewhere is reported when no Allow of the
** document gives that action a resource of the required type the action is
** named after (its object: network-interface for CreateNetworkInterface).
** Only that one: where an action marks several types required they are
** often alternatives (bedrock:InvokeModel on a foundation model or on an
** inference profile), and the catalog does not say which.
** "*", NotResource and template placeholders count as giving every type.
** Actions whose catalog entry has alternative scenarios (ec2:RunInstances)
** are left alone: which types are required depends on the scenario.
*/
#include <string.h>

#include "validate.h"

/* Statements visited, per document, looking for another Allow. */
#define VQ_BUDGET 200000L

/* The prepared resources of every statement, made on first use. */
typedef struct vq_res { vres *res; int n; int open; int done; } vq_res;

static vq_res *vq_resources(vd *v, vq_res *all, int si) {
  vq_res *r = &all[si];
  const vstmt *s = &v->st[si];
  int k;
  if (r->done) return r;
  r->done = 1;
  if (s->rkind != VK_POS) {
    r->open = 1;                   /* NotResource (or none): not ours to judge */
    return r;
  }
  for (k = 0; k < s->nres; k++) {
    const vitem *it = &s->res[k];
    if (lpv_vd_eq(it->s, it->len, "*") || (it->len > 0 && (unsigned char)it->s[0] == LPV_PH_OPEN)) r->open = 1;
  }
  if (r->open || s->nres == 0) return r;
  r->res = s->prepared;                        /* made by the resource fit, mostly */
  if (!r->res) {
    r->res = (vres *)lpv_vd_alloc(v, sizeof(vres) * (size_t)s->nres);
    for (k = 0; k < s->nres; k++) lpv_vd_res_prepare(v, s->res[k].s, s->res[k].len, &r->res[k]);
  }
  r->n = s->nres;
  return r;
}

static int vq_fits(const vq_res *r, const vrtype *rt) {
  int k;
  if (r->open) return 1;
  for (k = 0; k < r->n; k++)
    if (lpv_vd_arn_fits(&r->res[k], rt)) return 1;
  return 0;
}

/* Is rt the resource the action is named after (its object: the words
** after the verb), as network-interface is of ec2:CreateNetworkInterface? */
int lpv_vd_named_after(const char *action, size_t len, const vrtype *rt) {
  const char *colon = memchr(action, ':', len);
  size_t i = colon ? (size_t)(colon - action) + 1 : 0, j = 0;
  if (i < len) i++;                                /* the verb's capital */
  while (i < len && !(action[i] >= 'A' && action[i] <= 'Z')) i++;
  if (i >= len) return 0;
  for (; i < len; i++, j++) {
    char c = action[i], d;
    while (j < rt->nlen && rt->name[j] == '-') j++;
    if (j >= rt->nlen) return 0;
    d = rt->name[j];
    if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
    if (d >= 'A' && d <= 'Z') d = (char)(d + 32);
    if (c != d) return 0;
  }
  return j == rt->nlen;
}

/* Does the statement give the action another type named as a kind of
** type k (application-inference-profile for inference-profile of
** bedrock:GetInferenceProfile)?  Then the call names one or the other. */
static int vq_variant_given(const vaction *a, int k, const vq_res *mine) {
  const vrtype *t = a->rt[k];
  int m;
  for (m = 0; m < a->nrt; m++) {
    const vrtype *u = a->rt[m];
    if (m == k || u->nlen <= t->nlen + 1) continue;
    if (memcmp(u->name + u->nlen - t->nlen, t->name, t->nlen) == 0 &&
        u->name[u->nlen - t->nlen - 1] == '-' && vq_fits(mine, u))
      return 1;
  }
  return 0;
}

/* Does statement s allow action a? */
static int vq_allows(const vstmt *s, long a) {
  int k;
  if (!s->ok || s->effect != VE_ALLOW || s->akind != VK_POS) return 0;
  for (k = 0; k < s->nact; k++) {
    const vitem *it = &s->act[k];
    if (it->act == a || it->act == VA_STAR) return 1;
    if (it->act == VA_PATTERN && it->bits && VD_BIT(it->bits, a)) return 1;
  }
  return 0;
}

void lpv_vd_required(vd *v) {
  lua_State *L = v->L;
  vq_res *all;
  int si, sj, i, k, m;
  long budget = VQ_BUDGET;
  unsigned char *asked, *gave;
  if (v->nstmt == 0 || lpv_vd_off(v, "MISSING_REQUIRED_RESOURCE_TYPE")) return;
  all = (vq_res *)lpv_vd_alloc(v, sizeof(vq_res) * (size_t)v->nstmt);
  asked = NULL;
  gave = NULL;
  for (si = 0; si < v->nstmt; si++) {
    const vstmt *s = &v->st[si];
    const vq_res *mine;
    if (!s->ok || s->effect != VE_ALLOW || s->akind != VK_POS || s->rkind != VK_POS) continue;
    mine = vq_resources(v, all, si);
    if (mine->open || mine->n == 0) continue;
    for (i = 0; i < s->nact; i++) {
      const vitem *it = &s->act[i];
      const vaction *a;
      int fits_some = 0, given = 0;
      if (it->act < 0) continue;
      a = lpv_vd_action(v, it->act);
      if (a->named < 0 || a->scenarios) continue;   /* most actions: nothing to do */
      if (!asked) {
        size_t nb = lpv_vd_nbytes(v);
        asked = (unsigned char *)lpv_vd_alloc(v, nb);
        gave = (unsigned char *)lpv_vd_alloc(v, nb);
      }
      k = a->named;
      if (vq_fits(mine, a->rt[k])) continue;
      for (m = 0; m < a->nrt && !fits_some; m++) fits_some = vq_fits(mine, a->rt[m]);
      if (!fits_some || vq_variant_given(a, k, mine)) continue;   /* RESOURCE_MISMATCH says it */
      /* whether another Allow gives it one does not depend on this
      ** statement: asked once per action, and within a budget (beyond it,
      ** nothing is reported: hostile documents stay linear) */
      if (VD_BIT(asked, it->act)) {
        given = VD_BIT(gave, it->act);
      } else {
        for (sj = 0; sj < v->nstmt && !given; sj++) {
          if (--budget < 0) { given = 1; break; }
          if (sj != si && vq_allows(&v->st[sj], it->act))
            given = vq_fits(vq_resources(v, all, sj), a->rt[k]);
        }
        asked[it->act >> 3] |= (unsigned char)(1U << (it->act & 7));
        if (given) gave[it->act >> 3] |= (unsigned char)(1U << (it->act & 7));
      }
      if (!given) {
        vloc at = lpv_vd_item(v, si, "Action", it);
        const char *hint;
        lua_pushlstring(L, a->rt[k]->t[0].text, a->rt[k]->t[0].len);
        hint = lua_pushfstring(L, "also grant it %s", lua_tostring(L, -1));
        lpv_vd_report(v, "MISSING_REQUIRED_RESOURCE_TYPE", &at, hint,
                      "%S also acts on a %S, a resource type the catalog marks required "
                      "for it, and no statement gives it one: the call is denied at run time",
                      it->s, it->len, a->rt[k]->name, a->rt[k]->nlen);
        lua_pop(L, 2);
      }
    }
  }
}
