/*
** validate_idioms.c: resource ARNs that fit their type's template but can
** name no resource, written from a wrong idiom.
**
**   KMS_ALIAS_IN_KEY_ARN   arn:aws:kms:REGION:ACCOUNT:key/alias/NAME: a key
**       ARN holds the key ID; an alias has an ARN of its own (alias/NAME),
**       and a policy grants on keys by alias with kms:ResourceAliases.
*/
#include <string.h>

#include "validate.h"

/* Does s (len) start with lit, ignoring ASCII case? */
static int vi_istarts(const char *s, size_t len, const char *lit) {
  size_t i, n = strlen(lit);
  if (len < n) return 0;
  for (i = 0; i < n; i++) {
    int c = (unsigned char)s[i];
    if (c >= 'A' && c <= 'Z') c += 32;
    if (c != (unsigned char)lit[i]) return 0;
  }
  return 1;
}

static void vi_resource(vd *v, int si, const char *elem, const vitem *it) {
  lpv_arn a;
  if (lpv_vd_arn_split(it->s, it->len, &a) != 6 || !lpv_vd_eq(a.part[2], a.len[2], "kms")) return;
  if (a.len[5] < 10 || !vi_istarts(a.part[5], a.len[5], "key/alias/")) return;
  {
    vloc at = lpv_vd_item(v, si, elem, it);
    lpv_vd_report(v, "KMS_ALIAS_IN_KEY_ARN", &at,
                  "name the key by its ID (key/1234abcd-...), or use \"Resource\": "
                  "\"arn:aws:kms:REGION:ACCOUNT:key/*\" with a ForAnyValue:StringEquals "
                  "kms:ResourceAliases condition",
                  "\"%S\" puts an alias where a key ARN holds the key ID: it names no key",
                  it->s, it->len);
  }
}

void lpv_vd_idioms(vd *v) {
  int i, k;
  for (i = 0; i < v->nstmt; i++) {
    const vstmt *s = &v->st[i];
    const char *elem = s->rkind == VK_NOT ? "NotResource" : "Resource";
    if (!s->ok || s->rkind == VK_NONE) continue;
    for (k = 0; k < s->nres; k++) vi_resource(v, i, elem, &s->res[k]);
  }
}
