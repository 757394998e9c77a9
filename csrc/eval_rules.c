/*
** eval_rules.c: what AWS decides whatever the policies say, as data.
**
** Requests AWS refuses for everyone (writes to AWS managed policies,
** changes to IAM Identity Center's reserved roles, KMS aliases reserved for
** AWS managed keys), each rule with the documentation it comes from; and
** the requests that need no permission at all (sts:GetCallerIdentity).
** eval.c asks lpv_eval_refused before it evaluates any policy, and
** core.eval_refusals() lists the rules (docs/simulation.md prints them).
*/
#include <string.h>

#include "leastpriv.h"

static const char *const managed_policy_writes[] = {
  "iam:createpolicyversion", "iam:deletepolicy", "iam:deletepolicyversion",
  "iam:setdefaultpolicyversion", "iam:tagpolicy", "iam:untagpolicy", NULL
};

static const char *const reserved_role_changes[] = {
  "iam:attachrolepolicy", "iam:createrole", "iam:deleterole",
  "iam:deleterolepermissionsboundary", "iam:deleterolepolicy", "iam:detachrolepolicy",
  "iam:putrolepermissionsboundary", "iam:putrolepolicy", "iam:tagrole", "iam:untagrole",
  "iam:updateassumerolepolicy", "iam:updaterole", "iam:updateroledescription", NULL
};

static const char *const alias_changes[] = {
  "kms:createalias", "kms:deletealias", "kms:updatealias", NULL
};

/* IAM Identity Center changes its roles through its service-linked role. */
static const char *const sso_itself[] = {
  "arn:*:iam::*:role/aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO",
  "arn:*:sts::*:assumed-role/AWSServiceRoleForSSO/*", "sso.amazonaws.com", NULL
};

static const lpv_refusal refusals[] = {
  { "aws-managed-policy", managed_policy_writes, "arn:*:iam::aws:policy/*", NULL,
    "AWS managed policies can be changed only by AWS",
    "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/about-managed-policy-reference",
    "You cannot change the permissions defined in AWS managed policies." },
  { "identity-center-role", reserved_role_changes,
    "arn:*:iam::*:role/aws-reserved/sso.amazonaws.com/*", sso_itself,
    "roles created by IAM Identity Center (AWSReservedSSO_*) can be changed only by IAM Identity Center",
    "https://docs.aws.amazon.com/singlesignon/latest/userguide/identity-center-and-iam-roles.html",
    "IAM Identity Center manages the role, and allows the authorized users you've defined to "
    "assume the role ... As you modify the permission set, IAM Identity Center ensures that the "
    "corresponding IAM policies and roles are updated accordingly." },
  { "aws-managed-key-alias", alias_changes, "arn:*:kms:*:*:alias/aws/*", NULL,
    "the alias/aws/ prefix is reserved for AWS managed keys",
    "https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html",
    "The alias name for a customer managed key cannot begin with alias/aws/. The alias/aws/ "
    "prefix is reserved for AWS managed key." },
  { NULL, NULL, NULL, NULL, NULL, NULL, NULL }
};

static int listed(const char *const *list, const char *s, size_t len) {
  for (; *list; list++)
    if (strlen(*list) == len && memcmp(*list, s, len) == 0) return 1;
  return 0;
}

const lpv_refusal *lpv_eval_refused(const char *low, size_t alen, const char *res, size_t rlen,
                                    const char *principal, size_t plen) {
  const lpv_refusal *r;
  if (res == NULL || (rlen == 1 && res[0] == '*')) return NULL;
  for (r = refusals; r->id; r++) {
    const char *const *ex;
    int exempt = 0;
    if (!listed(r->actions, low, alen)) continue;
    if (!lpv_arn_match_resource(r->resource, strlen(r->resource), res, rlen)) continue;
    for (ex = r->exempt; ex && *ex && !exempt; ex++)
      exempt = principal != NULL && lpv_glob_match(*ex, strlen(*ex), principal, plen, 0);
    if (!exempt) return r;
  }
  return NULL;
}

int lpv_eval_needs_no_permission(const char *low, size_t alen) {
  return alen == 21 && memcmp(low, "sts:getcalleridentity", 21) == 0;
}

/* Push { id, reason, actions, resource, source, quote } for rule r. */
void lpv_eval_push_refusal(lua_State *L, const lpv_refusal *r) {
  int i;
  lua_createtable(L, 0, 6);
  lua_pushstring(L, r->id);
  lua_setfield(L, -2, "id");
  lua_pushstring(L, r->reason);
  lua_setfield(L, -2, "reason");
  lua_pushstring(L, r->resource);
  lua_setfield(L, -2, "resource");
  lua_pushstring(L, r->source);
  lua_setfield(L, -2, "source");
  lua_pushstring(L, r->quote);
  lua_setfield(L, -2, "quote");
  lua_newtable(L);
  for (i = 0; r->actions[i]; i++) {
    lua_pushstring(L, r->actions[i]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "actions");
}

/* eval_refusals() -> list of the rules, in order */
static int l_refusals(lua_State *L) {
  int i;
  lua_newtable(L);
  for (i = 0; refusals[i].id; i++) {
    lpv_eval_push_refusal(L, &refusals[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

static const luaL_Reg rules_funcs[] = {
  {"eval_refusals", l_refusals},
  {NULL, NULL}
};

void lpv_open_eval_rules(lua_State *L) { luaL_setfuncs(L, rules_funcs, 0); }
