/*
** validate_security.c: security findings and suggestions.
**
** Security checks look at what the policy really allows: an action is
** "open" when an Allow statement grants it on every resource (Resource
** "*", NotResource, or an ARN that covers every resource of its type)
** without conditions, and no unconditional Deny on "*" takes it back.
** On that: PassRole reach (Access Analyzer's six forms, and PassRole
** without iam:PassedToService), "*" where resources could be named,
** service-wide and global wildcards, Allow with Not* elements,
** privilege-escalation combinations, credentials exposure, data
** exfiltration, permissions management; and the trust-policy risks.
** Suggestions: redundant actions, resources and statements.
*/
#include <string.h>

#include "validate.h"

#define VS_LIST_MAX  6       /* actions named in one message */

/* Escalation paths: every action must be open.  pass: the service a
** PassRole in the path must reach (iam:PassedToService), or NULL. */
static const struct vs_combo {
  const char *what;
  const char *pass;
  const char *act[5];
} vs_combos[] = {
  {"create a new default version of a managed policy", NULL, {"iam:CreatePolicyVersion"}},
  {"switch a managed policy to another version", NULL, {"iam:SetDefaultPolicyVersion"}},
  {"attach any managed policy to a user", NULL, {"iam:AttachUserPolicy"}},
  {"attach any managed policy to a group", NULL, {"iam:AttachGroupPolicy"}},
  {"attach any managed policy to a role, then assume it", NULL,
   {"iam:AttachRolePolicy", "sts:AssumeRole"}},
  {"write any inline policy of a user", NULL, {"iam:PutUserPolicy"}},
  {"write any inline policy of a group", NULL, {"iam:PutGroupPolicy"}},
  {"write any inline policy of a role, then assume it", NULL,
   {"iam:PutRolePolicy", "sts:AssumeRole"}},
  {"add any user to any group", NULL, {"iam:AddUserToGroup"}},
  {"create access keys for any user", NULL, {"iam:CreateAccessKey"}},
  {"set a console password for any user", NULL, {"iam:CreateLoginProfile"}},
  {"change any user's console password", NULL, {"iam:UpdateLoginProfile"}},
  {"rewrite any role's trust policy, then assume it", NULL,
   {"iam:UpdateAssumeRolePolicy", "sts:AssumeRole"}},
  {"launch an instance with any role and read its credentials", "ec2.amazonaws.com",
   {"iam:PassRole", "ec2:RunInstances"}},
  {"create a Lambda function with any role and invoke it", "lambda.amazonaws.com",
   {"iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"}},
  {"create a Lambda function with any role and trigger it", "lambda.amazonaws.com",
   {"iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"}},
  {"replace the code of any Lambda function, running as its role", NULL,
   {"lambda:UpdateFunctionCode"}},
  {"create a Glue development endpoint with any role", "glue.amazonaws.com",
   {"iam:PassRole", "glue:CreateDevEndpoint"}},
  {"take over any Glue development endpoint", NULL, {"glue:UpdateDevEndpoint"}},
  {"create a CloudFormation stack that runs as any role", "cloudformation.amazonaws.com",
   {"iam:PassRole", "cloudformation:CreateStack"}},
  {"create a Data Pipeline that runs as any role", "datapipeline.amazonaws.com",
   {"iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"}},
  {"create and start a CodeBuild project with any role", "codebuild.amazonaws.com",
   {"iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuild"}},
  {"run an ECS task with any role", "ecs-tasks.amazonaws.com",
   {"iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"}},
  {"start a SageMaker training job with any role (and any image)", "sagemaker.amazonaws.com",
   {"iam:PassRole", "sagemaker:CreateTrainingJob"}},
  {"start a SageMaker processing job with any role (and any image)", "sagemaker.amazonaws.com",
   {"iam:PassRole", "sagemaker:CreateProcessingJob"}},
  {"create a SageMaker notebook with any role and open it", "sagemaker.amazonaws.com",
   {"iam:PassRole", "sagemaker:CreateNotebookInstance",
    "sagemaker:CreatePresignedNotebookInstanceUrl"}},
  {"open any SageMaker notebook, with its role", NULL,
   {"sagemaker:CreatePresignedNotebookInstanceUrl"}},
  {"run code in any SageMaker notebook through a lifecycle configuration", NULL,
   {"sagemaker:CreateNotebookInstanceLifecycleConfig", "sagemaker:StopNotebookInstance",
    "sagemaker:UpdateNotebookInstance", "sagemaker:StartNotebookInstance"}},
  {"run commands on any managed instance", NULL, {"ssm:SendCommand"}},
  {"open a shell on any managed instance", NULL, {"ssm:StartSession"}},
  {"log in to any instance over SSH", NULL, {"ec2-instance-connect:SendSSHPublicKey"}},
};
#define VS_NCOMBOS ((int)(sizeof vs_combos / sizeof vs_combos[0]))

/* APIs that hand out credentials or secrets of other identities. */
static const char *const vs_credentials[] = {
  "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile",
  "iam:CreateServiceSpecificCredential", "iam:ResetServiceSpecificCredential",
  "sts:AssumeRole", "redshift:GetClusterCredentials", "redshift:GetClusterCredentialsWithIAM",
  "redshift-serverless:GetCredentials", "ec2:GetPasswordData",
  "lightsail:GetInstanceAccessDetails", "lightsail:DownloadDefaultKeyPair",
  "lightsail:GetRelationalDatabaseMasterUserPassword", "gamelift:GetInstanceAccess",
  "gamelift:RequestUploadCredentials", "cognito-identity:GetCredentialsForIdentity",
  "chime:CreateApiKey", "mediapackage:RotateIngestEndpointCredentials",
  "sagemaker:CreatePresignedDomainUrl", "sagemaker:CreatePresignedNotebookInstanceUrl",
  NULL
};

#define VS_NCRED ((int)(sizeof vs_credentials / sizeof vs_credentials[0]) - 1)

/* Reads that can take any data out. */
static const char *const vs_exfiltration[] = {
  "s3:GetObject", "s3:GetObjectVersion", "ssm:GetParameter", "ssm:GetParameters",
  "ssm:GetParametersByPath", "secretsmanager:GetSecretValue",
  "secretsmanager:BatchGetSecretValue", NULL
};

#define VS_NEXF ((int)(sizeof vs_exfiltration / sizeof vs_exfiltration[0]) - 1)

/* Condition keys that pin who a "*" principal may be. */
static const char *const vs_pinning_keys[] = {
  "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount", "aws:PrincipalArn",
  "aws:userid", "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths",
  "aws:PrincipalServiceName", NULL
};
static const char *const vs_source_keys[] = {
  "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths", NULL
};

/* How a statement reaches resources, for "open" actions. */
typedef struct vs_st {
  int star;                   /* Resource holds "*" */
  int notres;                 /* NotResource */
  int nbroad;                 /* ARNs that cover a whole service's resources */
  const char *broad[8];
  size_t broad_len[8];
  int cond;                   /* conditions other than iam:PassedToService */
  int open;                   /* Allow that may open actions */
  int deny_all;               /* Deny on "*" without conditions */
} vs_st;

static long vs_idx(const char *name) {
  return lpv_catalog_find_action(name, strlen(name));
}

/* The catalog indexes of the actions the lists above name, resolved once
** per state and kept in the cache table. */
typedef struct vs_lists {
  long passrole, create_slr;
  long combo[VS_NCOMBOS][5];
  long cred[VS_NCRED + 1], exf[VS_NEXF + 1];
} vs_lists;

static const vs_lists *vs_resolved(vd *v) {
  lua_State *L = v->L;
  vs_lists *r;
  int i, k;
  if (lua_getfield(L, v->cacheidx, "security") == LUA_TUSERDATA) {
    r = (vs_lists *)lua_touserdata(L, -1);
    lua_pop(L, 1);
    return r;
  }
  lua_pop(L, 1);
  r = (vs_lists *)lua_newuserdatauv(L, sizeof(vs_lists), 0);
  r->passrole = vs_idx("iam:PassRole");
  r->create_slr = vs_idx("iam:CreateServiceLinkedRole");
  for (i = 0; i < VS_NCOMBOS; i++)
    for (k = 0; k < 5; k++) r->combo[i][k] = vs_combos[i].act[k] ? vs_idx(vs_combos[i].act[k]) : -1;
  for (i = 0; i < VS_NCRED; i++) r->cred[i] = vs_idx(vs_credentials[i]);
  r->cred[i] = -2;                               /* end of list (-1: not in the catalog) */
  for (i = 0; i < VS_NEXF; i++) r->exf[i] = vs_idx(vs_exfiltration[i]);
  r->exf[i] = -2;
  lua_setfield(L, v->cacheidx, "security");
  return r;
}

static int vs_key_in(const vstmt *s, const char *const *keys) {
  int i;
  for (i = 0; keys[i]; i++) if (lpv_vd_has_key(s, keys[i], 0)) return 1;
  return 0;
}

/* Does an ARN cover every resource of its service (its resource part is
** only wildcards after a resource-type word)?  *svc gets its service. */
static int vs_broad(vd *v, const vitem *it, const char **svc, size_t *svclen) {
  lpv_arn a;
  const vservice *sv;
  const char *r;
  size_t rl, skip = 0, k;
  int i;
  if (!lpv_vd_starts(it->s, it->len, "arn:") || lpv_vd_arn_split(it->s, it->len, &a) != 6)
    return 0;
  if (lpv_vd_has_wild(a.part[2], a.len[2]) || lpv_vd_has_placeholder(a.part[2], a.len[2]))
    return 0;
  r = a.part[5];
  rl = a.len[5];
  if (rl == 0 || lpv_vd_has_placeholder(r, rl)) return 0;
  sv = lpv_vd_service(v, a.part[2], a.len[2]);
  for (i = 0; i < sv->nprefix; i++)
    if (sv->plen[i] > skip && sv->plen[i] < rl && memcmp(r, sv->prefix[i], sv->plen[i]) == 0)
      skip = sv->plen[i];
  if (skip == rl || r[skip] != '*') return 0;
  for (k = skip; k < rl; k++)
    if (r[k] != '*' && r[k] != '?' && r[k] != '/' && r[k] != ':') return 0;
  *svc = a.part[2];
  *svclen = a.len[2];
  return 1;
}

static void vs_classify(vd *v, const vstmt *s, vs_st *c) {
  int i;
  memset(c, 0, sizeof *c);
  if (!s->ok) return;
  c->notres = s->rkind == VK_NOT;
  for (i = 0; i < s->nres && s->rkind == VK_POS; i++) {
    const char *svc;
    size_t sl;
    if (lpv_vd_eq(s->res[i].s, s->res[i].len, "*")) c->star = 1;
    else if (c->nbroad < 8 && vs_broad(v, &s->res[i], &svc, &sl)) {
      c->broad[c->nbroad] = svc;
      c->broad_len[c->nbroad++] = sl;
    }
  }
  for (i = 0; i < s->ncond; i++)
    if (!lpv_vd_ieq(s->cond[i].key, s->cond[i].klen, "iam:PassedToService")) c->cond = 1;
  c->open = s->effect == VE_ALLOW && !c->cond && (c->star || c->notres || c->nbroad > 0);
  c->deny_all = s->effect == VE_DENY && c->star && !s->has_condition;
}

/* Does statement s allow or deny action a (through which item: *via)? */
static int vs_matches(const vstmt *s, long a, const vitem **via) {
  int i;
  if (a < 0 || !s->ok) return 0;
  for (i = 0; i < s->nact; i++) {
    const vitem *it = &s->act[i];
    if (it->act == a || ((it->act == VA_PATTERN || it->act == VA_STAR) && it->bits &&
                         VD_BIT(it->bits, a))) {
      if (via) *via = it;
      return s->akind == VK_POS;
    }
  }
  if (via) *via = NULL;
  return s->akind == VK_NOT;
}

/* Does the statement reach every resource of action a? */
static int vs_all_resources(const vs_st *c, long a) {
  size_t nlen, sl;
  const char *name, *colon;
  int i;
  if (c->star || c->notres) return 1;
  name = lpv_catalog_action_name(a, &nlen);
  colon = name ? memchr(name, ':', nlen) : NULL;
  if (!colon) return 0;
  sl = (size_t)(colon - name);
  for (i = 0; i < c->nbroad; i++) {
    if (c->broad_len[i] == sl && memcmp(c->broad[i], name, sl) == 0) return 1;
    if (lpv_vd_eq(c->broad[i], c->broad_len[i], "iam") && lpv_vd_eq(name, sl, "sts")) return 1;
  }
  return 0;
}

/* Do the statement's iam:PassedToService conditions let it pass to svc? */
static int vs_passes_to(const vstmt *s, const char *svc) {
  int i, j, any = 0;
  for (i = 0; i < s->ncond; i++) {
    const vcond *c = &s->cond[i];
    if (!lpv_vd_ieq(c->key, c->klen, "iam:PassedToService") || c->base < 0) continue;
    if (lpv_vd_ops[c->base].neg) continue;
    any = 1;
    for (j = 0; j < c->nval; j++) {
      if (svc == NULL) return 1;
      if (lpv_glob_match(c->val[j].s, c->val[j].len, svc, strlen(svc), 1)) return 1;
    }
  }
  return !any;
}

typedef struct vs_ctx {
  vd *v;
  vs_st *c;
  int any_open;
  unsigned char *denied;      /* actions an unconditional Deny on "*" takes back, or NULL */
} vs_ctx;

static int vs_denied(const vs_ctx *x, long a) {
  return x->denied != NULL && a >= 0 && VD_BIT(x->denied, a);
}

/* Add the actions statement s matches to bit set bits (nbytes long). */
static void vs_add_actions(vd *v, const vstmt *s, unsigned char *bits, size_t nbytes) {
  int i;
  unsigned k;
  if (s->akind == VK_NOT) {               /* everything but the items */
    unsigned char *except = (unsigned char *)lpv_vd_alloc(v, nbytes);
    const unsigned char *all = lpv_vd_all_bits(v);
    for (i = 0; i < s->nact; i++) {
      const vitem *it = &s->act[i];
      if (it->act >= 0) except[it->act >> 3] |= (unsigned char)(1U << (it->act & 7));
      else if (it->bits) for (k = it->blo; k < it->bhi; k++) except[k] |= it->bits[k];
    }
    for (k = 0; k < nbytes; k++) bits[k] |= (unsigned char)(all[k] & ~except[k]);
    return;
  }
  for (i = 0; i < s->nact; i++) {
    const vitem *it = &s->act[i];
    if (it->act >= 0) bits[it->act >> 3] |= (unsigned char)(1U << (it->act & 7));
    else if (it->bits) for (k = it->blo; k < it->bhi; k++) bits[k] |= it->bits[k];
  }
}

/* The statement that opens action a (to service pass, for PassRole), or -1. */
static int vs_open(const vs_ctx *x, long a, const char *pass) {
  int i;
  if (a < 0 || !x->any_open) return -1;
  for (i = 0; i < x->v->nstmt; i++) {
    const vstmt *s = &x->v->st[i];
    if (!x->c[i].open || !vs_matches(s, a, NULL) || !vs_all_resources(&x->c[i], a)) continue;
    if (!vs_passes_to(s, pass)) continue;
    if (vs_denied(x, a)) return -1;
    return i;
  }
  return -1;
}

/* Location of the statement's first resource (or its Action). */
static vloc vs_res_at(const vd *v, int si) {
  const vstmt *s = &v->st[si];
  if (s->rkind == VK_NOT) return lpv_vd_at(si, "NotResource", -1);
  if (s->nres > 0) {
    int i;
    for (i = 0; i < s->nres; i++)
      if (lpv_vd_eq(s->res[i].s, s->res[i].len, "*")) return lpv_vd_item(v, si, "Resource", &s->res[i]);
    return lpv_vd_item(v, si, "Resource", &s->res[0]);
  }
  return lpv_vd_at(si, NULL, -1);
}

/* Append names of the actions in list (indexes) to b: "a, b and 3 more". */
static void vs_add_names(luaL_Buffer *b, const long *list, int n) {
  int i;
  for (i = 0; i < n && i < VS_LIST_MAX; i++) {
    size_t len;
    const char *name = lpv_catalog_action_name(list[i], &len);
    if (i > 0) luaL_addstring(b, (i == n - 1 && n <= VS_LIST_MAX) ? " and " : ", ");
    luaL_addlstring(b, name, len);
  }
  if (n > VS_LIST_MAX) {
    lua_pushfstring(b->L, " and %d more", n - VS_LIST_MAX);
    luaL_addvalue(b);
  }
}

/* Report, per statement, the actions of names that are open. */
static void vs_open_list(vs_ctx *x, const long *list_idx, const char *code,
                         const char *what, const char *hint) {
  vd *v = x->v;
  lua_State *L = v->L;
  long found[32];
  int at[32], n = 0, i, j;
  if (lpv_vd_off(v, code)) return;
  for (i = 0; list_idx[i] != -2 && n < 32; i++) {
    long a = list_idx[i];
    int si = vs_open(x, a, NULL);
    if (si >= 0) { found[n] = a; at[n] = si; n++; }
  }
  for (i = 0; i < n; i++) {
    long list[32];
    int m = 0, si = at[i];
    luaL_Buffer b;
    vloc where;
    if (si < 0) continue;
    for (j = i; j < n; j++)
      if (at[j] == si) { list[m++] = found[j]; at[j] = -1; }
    luaL_buffinit(L, &b);
    vs_add_names(&b, list, m);
    luaL_pushresult(&b);
    where = vs_res_at(v, si);
    lpv_vd_report(v, code, &where, hint, "%s %s on every resource without conditions",
                  lua_tostring(L, -1), what);
    lua_pop(L, 1);
  }
}

/* Which of the six Access Analyzer forms lets statement si reach every
** role with action a: index into a code list (literal action + star,
** literal + NotResource, wildcard + star, wildcard + NotResource,
** NotAction + NotResource, NotAction + star), or -1.  *via: the item. */
static int vs_reach_form(vs_ctx *x, int si, long a, const vitem **via) {
  vd *v = x->v;
  vstmt *s = &v->st[si];
  vs_st *c = &x->c[si];
  int star, i;
  if (s->effect != VE_ALLOW || !vs_matches(s, a, via) || vs_denied(x, a)) return -1;
  star = c->star;
  for (i = 0; i < c->nbroad; i++) if (lpv_vd_eq(c->broad[i], c->broad_len[i], "iam")) star = 1;
  if (!star && !c->notres) return -1;
  if (s->akind == VK_NOT) return c->notres ? 4 : 5;
  if (*via != NULL && (*via)->act != a) return c->notres ? 3 : 2;
  return c->notres ? 1 : 0;
}

static const char *const vs_passrole_codes[6] = {
  "PASS_ROLE_WITH_STAR_IN_RESOURCE", "PASS_ROLE_WITH_NOTRESOURCE",
  "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE", "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOTRESOURCE",
  "PASS_ROLE_WITH_NOTACTION_AND_NOTRESOURCE", "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOTACTION"
};
static const char *const vs_slr_codes[6] = {
  "CREATE_SLR_WITH_STAR_IN_RESOURCE", "CREATE_SLR_WITH_NOTRESOURCE",
  "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE", "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOTRESOURCE",
  "CREATE_SLR_WITH_NOTACTION_AND_NOTRESOURCE", "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOTACTION"
};

static void vs_passrole(vs_ctx *x, int si) {
  vd *v = x->v;
  vstmt *s = &v->st[si];
  const vitem *via = NULL;
  const vs_lists *r = vs_resolved(v);
  long pr = r->passrole;
  int form = vs_reach_form(x, si, pr, &via);
  vloc where;
  /* Access Analyzer does not report these when the statement tests
  ** iam:PassedToService (any case, not IfExists): its codes follow it, and
  ** leastpriv's stricter view (any role, even for one service) has its own */
  if (form >= 0 && lpv_vd_has_key(s, "iam:PassedToService", 0)) {
    where = vs_res_at(v, si);
    lpv_vd_report(v, "PASS_ROLE_TO_ANY_ROLE", &where,
                  "name the roles it may pass (arn:aws:iam::ACCOUNT:role/NAME)",
                  "the statement lets iam:PassRole pass %s role%s to the services it names",
                  x->c[si].notres ? "every role outside its NotResource" : "any",
                  x->c[si].notres ? "" : " in reach");
  } else if (form >= 0) {
    where = vs_res_at(v, si);
    lpv_vd_report(v, vs_passrole_codes[form], &where,
                  "name the roles it may pass (arn:aws:iam::ACCOUNT:role/NAME) and the "
                  "service with an iam:PassedToService condition",
                  "the statement lets iam:PassRole pass %s role%s",
                  x->c[si].notres ? "every role outside its NotResource" : "any",
                  x->c[si].notres ? "" : " in reach");
  }
  if (s->effect == VE_ALLOW && s->akind == VK_POS && vs_matches(s, pr, &via) && via &&
      (via->act == pr || lpv_vd_starts(via->s, via->len, "iam:") ||
       lpv_vd_starts(via->s, via->len, "IAM:")) &&
      !lpv_vd_has_key(s, "iam:PassedToService", 0) && !vs_denied(x, pr)) {
    where = lpv_vd_item(v, si, "Action", via);
    lpv_vd_report(v, "PASS_ROLE_WITHOUT_PASSED_TO_SERVICE", &where,
                  "add \"Condition\": {\"StringEquals\": {\"iam:PassedToService\": "
                  "\"SERVICE.amazonaws.com\"}}",
                  "iam:PassRole is allowed without an iam:PassedToService condition: the "
                  "roles can be passed to any service");
  }
  /* iam:CreateServiceLinkedRole for any service */
  via = NULL;
  form = vs_reach_form(x, si, r->create_slr, &via);
  if (form >= 0 && !lpv_vd_key_pins(s, "iam:AWSServiceName")) {
    where = vs_res_at(v, si);
    lpv_vd_report(v, vs_slr_codes[form], &where,
                  "add an iam:AWSServiceName condition naming the services, or name the "
                  "service-linked role's ARN",
                  "the statement lets iam:CreateServiceLinkedRole create the service-linked "
                  "role of any service");
  }
}

/* Actions of statement si given "*" that could name their resources. */
static void vs_resource_star(vs_ctx *x, int si) {
  vd *v = x->v;
  lua_State *L = v->L;
  vstmt *s = &v->st[si];
  const unsigned char *wild;
  long list[64];
  const char *shown[64];
  size_t shown_len[64];
  int n = 0, i, npat = 0, optional = 0;
  const char *hint = NULL;
  if (s->effect != VE_ALLOW || !x->c[si].star || s->has_condition || s->akind != VK_POS) return;
  if (lpv_vd_off(v, "RESOURCE_STAR")) return;
  wild = lpv_vd_wildonly_bits(v);
  for (i = 0; i < s->nact && n < 64; i++) {
    const vitem *it = &s->act[i];
    if (it->act >= 0) {
      if (VD_BIT(wild, it->act) || vs_denied(x, it->act)) continue;
      list[n] = it->act;
      shown[n] = it->s;
      shown_len[n] = it->len;
      n++;
    } else if (it->act == VA_PATTERN && it->bits) {
      unsigned k;
      for (k = it->blo; k < it->bhi; k++)
        if (it->bits[k] & (unsigned char)~wild[k]) break;
      if (k == it->bhi) continue;
      list[n] = -1;
      shown[n] = it->s;
      shown_len[n] = it->len;
      n++;
      npat++;
    }
  }
  if (n == 0) return;
  for (i = 0; i < n; i++) optional += list[i] >= 0 && lpv_catalog_action_rtypes_optional(list[i]);
  for (i = 0; i < n && hint == NULL; i++) {     /* the shortest template: the plainest */
    if (list[i] >= 0) {
      const vaction *a = lpv_vd_action(v, list[i]);
      const vtmpl *best = NULL;
      int r, t;
      for (r = 0; r < a->nrt; r++)
        for (t = 0; t < a->rt[r]->ntmpl; t++)
          if (best == NULL || a->rt[r]->t[t].len < best->len) best = &a->rt[r]->t[t];
      if (best) {
        lua_pushfstring(L, "name the resources, like %s", best->text);
        hint = lua_tostring(L, -1);
      }
    }
  }
  {
    luaL_Buffer b;
    vloc where = vs_res_at(v, si);
    luaL_buffinit(L, &b);
    for (i = 0; i < n && i < VS_LIST_MAX; i++) {
      if (i > 0) luaL_addstring(&b, (i == n - 1 && n <= VS_LIST_MAX) ? " and " : ", ");
      luaL_addlstring(&b, shown[i], shown_len[i]);
    }
    if (n > VS_LIST_MAX) {
      lua_pushfstring(L, " and %d more", n - VS_LIST_MAX);
      luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    lpv_vd_report(v, "RESOURCE_STAR", &where, hint ? hint : "name the resources",
                  "%s can be limited to named resources, but the statement gives %s \"*\"%s",
                  lua_tostring(L, -1), n == 1 && npat == 0 ? "it" : "them",
                  optional == n ? " (the resource types are optional: if the calls name "
                                  "none, \"*\" is needed; say so in a suppression)" : "");
    lua_pop(L, 1);
  }
  if (hint) lua_pop(L, 1);
}

/* Resource ARNs of statement si that are only wildcards after the
** resource-type word, in any account and region (every bucket, every role
** of every account): as wide as "*" for the actions of their service.  An
** ARN pinned to an account ("training-job/" then a star, in 111122223333)
** is left alone: naming the account is the usual scope of create actions. */
static int vs_only_wild(const char *s, size_t len) {
  size_t k;
  for (k = 0; k < len; k++) if (s[k] != '*' && s[k] != '?') return 0;
  return 1;
}

static void vs_effectively_star(vs_ctx *x, int si) {
  vd *v = x->v;
  vstmt *s = &v->st[si];
  int i, j;
  if (s->effect != VE_ALLOW || s->has_condition || s->rkind != VK_POS || s->akind != VK_POS ||
      x->c[si].star || x->c[si].nbroad == 0)
    return;
  for (i = 0; i < s->nres; i++) {
    const char *svc;
    size_t sl;
    int acts = 0;
    lpv_arn a;
    if (!vs_broad(v, &s->res[i], &svc, &sl)) continue;
    lpv_vd_arn_split(s->res[i].s, s->res[i].len, &a);
    if (!vs_only_wild(a.part[LPV_ARN_REGION], a.len[LPV_ARN_REGION]) ||
        !vs_only_wild(a.part[LPV_ARN_ACCOUNT], a.len[LPV_ARN_ACCOUNT]))
      continue;
    /* only when the statement grants an action of that service */
    for (j = 0; j < s->nact && !acts; j++) {
      const char *colon = memchr(s->act[j].s, ':', s->act[j].len);
      acts = colon && (size_t)(colon - s->act[j].s) == sl &&
             lpv_glob_match(s->act[j].s, sl, svc, sl, 1);
    }
    if (acts) {
      vloc at = lpv_vd_item(v, si, "Resource", &s->res[i]);
      lpv_vd_report(v, "RESOURCE_EFFECTIVELY_STAR", &at,
                    "name the resources (a bucket, a prefix, a role path)",
                    "%S reaches every %S resource of its type in every account, as \"*\" would",
                    s->res[i].s, s->res[i].len, svc, sl);
    }
  }
}

/* A resource-policy statement whose principals are all the owner's own
** account (root or bare ID) hands the decision to that account's IAM
** policies: "kms:*" to the account root is the default key policy, not a
** grant to anyone.  Without a known owner account, any single account. */
static int vs_to_own_root(const vd *v, const vstmt *s) {
  const char *first = NULL;
  size_t flen = 0;
  int i;
  if (v->type != VT_RESOURCE || s->pkind != VK_POS || s->nprin == 0) return 0;
  for (i = 0; i < s->nprin; i++) {
    const vitem *p = &s->prin[i];
    size_t al;
    const char *acct;
    if (p->ptype != VP_AWS || !(lpv_vd_ends_root(p->s, p->len) || lpv_vd_is_account(p->s, p->len)))
      return 0;
    acct = lpv_vd_principal_account(p->s, p->len, &al);
    if (acct == NULL) return 0;
    if (v->account && !(al == v->acclen && memcmp(acct, v->account, al) == 0)) return 0;
    if (first && !(al == flen && memcmp(acct, first, al) == 0)) return 0;
    first = acct;
    flen = al;
  }
  return 1;
}

static void vs_wildcards(vs_ctx *x, int si) {
  vd *v = x->v;
  vstmt *s = &v->st[si];
  int i;
  if (s->effect != VE_ALLOW) return;
  if (s->akind == VK_NOT) {
    vloc at = lpv_vd_at(si, "NotAction", -1);
    lpv_vd_report(v, "ALLOW_WITH_NOTACTION", &at, "list the actions it allows",
                  "Allow with NotAction grants every action not listed, in every service, "
                  "including ones AWS adds later");
  }
  if (s->rkind == VK_NOT) {
    vloc at = lpv_vd_at(si, "NotResource", -1);
    lpv_vd_report(v, "ALLOW_WITH_NOTRESOURCE", &at, "list the resources it allows",
                  "Allow with NotResource grants every resource not listed, in every service");
  }
  if (s->pkind == VK_NOT) {
    vloc at = lpv_vd_at(si, "NotPrincipal", -1);
    lpv_vd_report(v, "ALLOW_WITH_NOTPRINCIPAL", &at,
                  "use Principal with conditions on aws:PrincipalArn",
                  "Allow with NotPrincipal grants access to every principal not listed, "
                  "anonymous ones included");
  }
  if (s->akind != VK_POS || vs_to_own_root(v, s)) return;
  for (i = 0; i < s->nact; i++) {
    const vitem *it = &s->act[i];
    vloc at = lpv_vd_item(v, si, "Action", it);
    const char *colon;
    if (it->act == VA_STAR) {
      lpv_vd_report(v, "GLOBAL_ACTION_WILDCARD", &at, "list the actions the workload calls",
                    "\"Action\": \"*\" allows every action of every service%s",
                    x->c[si].star && !s->has_condition ? " on every resource: administrator access"
                                                        : "");
      continue;
    }
    colon = memchr(it->s, ':', it->len);
    if (it->act == VA_PATTERN && colon && colon + 2 == it->s + it->len && colon[1] == '*' &&
        !lpv_vd_has_wild(it->s, (size_t)(colon - it->s)))
      lpv_vd_report(v, "SERVICE_WILDCARD", &at, "list the actions the workload calls",
                    "\"%S\" allows every action of the service, including ones AWS adds later",
                    it->s, it->len);
  }
}

/* Permissions-management actions open in statement si. */
static void vs_permissions(vs_ctx *x, int si) {
  vd *v = x->v;
  lua_State *L = v->L;
  vstmt *s = &v->st[si];
  const unsigned char *pm;
  long list[VS_LIST_MAX + 1], n = 0, total = 0, k, nact;
  if (!x->c[si].open || lpv_vd_off(v, "PERMISSIONS_MANAGEMENT_ACTIONS")) return;
  pm = lpv_vd_pm_bits(v);
  nact = lpv_vd_nactions(v);
  if (s->akind == VK_POS) {
    int i;
    for (i = 0; i < s->nact; i++) {
      const vitem *it = &s->act[i];
      if (it->act >= 0) {
        if (VD_BIT(pm, it->act) && vs_all_resources(&x->c[si], it->act) &&
            !vs_denied(x, it->act)) {
          if (n < VS_LIST_MAX + 1) list[n++] = it->act;
          total++;
        }
      } else if (it->bits && (x->c[si].star || x->c[si].notres)) {
        long end = (long)it->bhi * 8 < nact ? (long)it->bhi * 8 : nact;
        for (k = (long)it->blo * 8; k < end; k++) {
          if ((it->bits[k >> 3] & pm[k >> 3]) == 0) { k |= 7; continue; }
          if (!VD_BIT(it->bits, k) || !VD_BIT(pm, k) || vs_denied(x, k)) continue;
          if (n < VS_LIST_MAX + 1) list[n++] = k;
          total++;
        }
      }
    }
  } else if (s->akind == VK_NOT && (x->c[si].star || x->c[si].notres)) {
    for (k = 0; k < nact; k++) {
      if (pm[k >> 3] == 0) { k |= 7; continue; }
      if (!VD_BIT(pm, k) || !vs_matches(s, k, NULL) || vs_denied(x, k)) continue;
      if (n < VS_LIST_MAX + 1) list[n++] = k;
      total++;
    }
  }
  if (total == 0) return;
  {
    luaL_Buffer b;
    vloc where = vs_res_at(v, si);
    int i;
    luaL_buffinit(L, &b);
    for (i = 0; i < n && i < VS_LIST_MAX; i++) {
      size_t len;
      const char *name = lpv_catalog_action_name(list[i], &len);
      if (i > 0) luaL_addstring(&b, (i == total - 1 && total <= VS_LIST_MAX) ? " and " : ", ");
      luaL_addlstring(&b, name, len);
    }
    if (total > VS_LIST_MAX) {
      lua_pushfstring(L, " and %d more", (int)(total - VS_LIST_MAX));
      luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    lpv_vd_report(v, "PERMISSIONS_MANAGEMENT_ACTIONS", &where,
                  "scope these to named resources or add conditions",
                  "%s can change who has access (permissions management) on every resource "
                  "without conditions", lua_tostring(L, -1));
    lua_pop(L, 1);
  }
}

static void vs_escalation(vs_ctx *x) {
  vd *v = x->v;
  int fired[VS_NCOMBOS], at[VS_NCOMBOS], i, j, k;
  const vs_lists *r;
  if (lpv_vd_off(v, "PRIVILEGE_ESCALATION")) return;
  r = vs_resolved(v);
  for (i = 0; i < VS_NCOMBOS; i++) {
    const struct vs_combo *c = &vs_combos[i];
    fired[i] = 1;
    at[i] = -1;
    for (k = 0; k < 5 && c->act[k] && fired[i]; k++) {
      long a = r->combo[i][k];
      int si = vs_open(x, a, a == r->passrole ? c->pass : NULL);
      if (si < 0) fired[i] = 0;
      else if (at[i] < 0 || k == 1) at[i] = si;   /* blame the non-PassRole action */
    }
  }
  for (i = 0; i < VS_NCOMBOS; i++) {          /* a smaller path already says it */
    int sub = 0;
    if (!fired[i]) continue;
    for (j = 0; j < VS_NCOMBOS && !sub; j++) {
      int all = 1, nj = 0, ni = 0;
      if (j == i || fired[j] != 1) continue;
      for (k = 0; k < 5 && vs_combos[j].act[k]; k++) {
        int m, in = 0;
        nj++;
        for (m = 0; m < 5 && vs_combos[i].act[m]; m++)
          if (strcmp(vs_combos[i].act[m], vs_combos[j].act[k]) == 0) in = 1;
        all &= in;
      }
      for (k = 0; k < 5 && vs_combos[i].act[k]; k++) ni++;
      sub = all && nj < ni;
    }
    if (sub) fired[i] = 2;                      /* said by a smaller path */
  }
  /* one finding per statement: its first path, and how many more */
  for (i = 0; i < VS_NCOMBOS; i++) {
    lua_State *L = v->L;
    luaL_Buffer b;
    vloc where;
    int more = 0;
    if (fired[i] != 1) continue;
    for (j = i + 1; j < VS_NCOMBOS; j++)
      if (fired[j] == 1 && at[j] == at[i]) { more++; fired[j] = 3; }
    where = vs_res_at(v, at[i]);
    luaL_buffinit(L, &b);
    for (k = 0; k < 5 && vs_combos[i].act[k]; k++) {
      if (k > 0) luaL_addstring(&b, " + ");
      luaL_addstring(&b, vs_combos[i].act[k]);
    }
    luaL_pushresult(&b);
    if (more > 0) {
      lua_pushfstring(L, " (and %d more escalation paths)", more);
      lua_concat(L, 2);
    }
    lpv_vd_report(v, "PRIVILEGE_ESCALATION", &where,
                  "scope the actions to named resources, or remove them",
                  "%s on every resource lets the holder %s, and so gain more permissions",
                  lua_tostring(L, -1), vs_combos[i].what);
    lua_pop(L, 1);
  }
}

/* Keys a request from a service principal never carries. */
static const char *const vs_principal_keys[] = {
  "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths",
  "aws:userid", "aws:username", "aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge",
  "aws:TokenIssueTime", NULL
};

/* A statement whose only principals are services, tested on keys that
** services never carry, never applies. */
static void vs_service_principal_keys(vd *v, int si) {
  vstmt *s = &v->st[si];
  int i, k;
  if (s->pkind != VK_POS || s->nprin == 0) return;
  for (i = 0; i < s->nprin; i++) if (s->prin[i].ptype != VP_SERVICE) return;
  for (i = 0; i < s->ncond; i++) {
    const vcond *c = &s->cond[i];
    int hit = lpv_vd_has_key_prefix(s, "aws:PrincipalTag/") &&
              c->klen > 17 && lpv_vd_ieq(c->key, 17, "aws:PrincipalTag/");
    if (c->base < 0 || c->ifexists || lpv_vd_ops[c->base].neg ||
        lpv_vd_ops[c->base].family == VO_NULL)
      continue;
    for (k = 0; vs_principal_keys[k] && !hit; k++) hit = lpv_vd_ieq(c->key, c->klen, vs_principal_keys[k]);
    if (hit) {
      vloc at = lpv_vd_at(si, "Condition", -1);
      at.key = c->op;
      at.klen = c->oplen;
      at.key2 = c->key;
      at.k2len = c->klen;
      lpv_vd_report(v, "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL", &at,
                    "test aws:SourceAccount or aws:SourceArn for service principals",
                    "requests from service principals do not carry %S: the statement never applies",
                    c->key, c->klen);
    }
  }
}

/* Trust-policy risks of statement si. */
static void vs_trust(vs_ctx *x, int si) {
  vd *v = x->v;
  vstmt *s = &v->st[si];
  int i, unpinned;
  if (s->effect != VE_ALLOW || s->pkind != VK_POS) return;
  /* vs_trust runs for trust and resource policies only */
  unpinned = !vs_key_in(s, vs_source_keys);
  for (i = 0; i < s->nprin; i++) {
    const vitem *p = &s->prin[i];
    vloc at = lpv_vd_item(v, si, "Principal", p);
    if (lpv_vd_has_placeholder(p->s, p->len)) continue;
    if (v->type == VT_TRUST && p->ptype == VP_AWS && lpv_vd_eq(p->s, p->len, "*") &&
        !vs_key_in(s, vs_pinning_keys))
      lpv_vd_report(v, "TRUST_ANY_PRINCIPAL", &at,
                    "name the principals, or pin them with aws:PrincipalOrgID / aws:PrincipalArn",
                    "any AWS principal of any account can assume the role%s",
                    s->has_condition ? " (its conditions do not say who)" : "");
    if (v->type == VT_TRUST && p->ptype == VP_AWS && v->account && !s->has_condition) {
      size_t al;
      const char *acct = lpv_vd_principal_account(p->s, p->len, &al);
      if (acct && !(al == v->acclen && memcmp(acct, v->account, al) == 0))
        lpv_vd_report(v, "TRUST_CROSS_ACCOUNT_WITHOUT_EXTERNAL_ID", &at,
                      "add \"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"...\"}}",
                      "account %S can assume the role without an sts:ExternalId or any "
                      "other condition", acct, al);
    }
    if (p->ptype == VP_SERVICE && unpinned && lpv_vd_has_key(s, "aws:SourceOwner", 0))
      lpv_vd_report(v, "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL", &at,
                    "replace aws:SourceOwner with aws:SourceAccount, and add aws:SourceArn",
                    "%S is pinned only by the legacy aws:SourceOwner, which not every "
                    "service sets: prefer aws:SourceAccount or aws:SourceArn", p->s, p->len);
    else if (p->ptype == VP_SERVICE && unpinned)
      lpv_vd_report(v, "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", &at,
                    "add aws:SourceAccount (StringEquals) and/or aws:SourceArn (ArnLike) conditions",
                    "%S acts here for any account's resources: nothing pins "
                    "aws:SourceAccount or aws:SourceArn (confused deputy)", p->s, p->len);
    if (v->type == VT_TRUST && p->ptype == VP_FEDERATED) {
      const char *host = NULL;
      size_t hl = 0, k;
      for (k = 0; k + 14 <= p->len; k++)
        if (memcmp(p->s + k, "oidc-provider/", 14) == 0) {
          host = p->s + k + 14;
          hl = p->len - k - 14;
          break;
        }
      if (host == NULL && lpv_vd_eq(p->s, p->len, "cognito-identity.amazonaws.com")) {
        host = p->s;
        hl = p->len;
      }
      if (host && hl > 0) {
        char key[300];
        int has_aud, has_sub;
        if (hl > 280) continue;
        memcpy(key, host, hl);
        memcpy(key + hl, ":aud", 5);
        has_aud = lpv_vd_has_key(s, key, 1);
        memcpy(key + hl, ":sub", 5);
        has_sub = lpv_vd_has_key(s, key, 1);
        if (lpv_vd_eq(host, hl, "token.actions.githubusercontent.com")) {
          if (!has_sub)
            lpv_vd_report(v, "MISSING_GITHUB_REPO_CONDITION_KEY", &at,
                          "add a StringLike condition on token.actions.githubusercontent.com:sub "
                          "naming repo:ORG/REPO:...",
                          "any GitHub Actions workflow of any repository can assume the role: "
                          "nothing tests token.actions.githubusercontent.com:sub");
        } else if (!has_aud && !has_sub) {
          lpv_vd_report(v, "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL", &at,
                        "test the provider's :aud and :sub keys",
                        "any identity of %S can assume the role: no condition tests its "
                        ":aud or :sub", host, hl);
        }
      }
    }
  }
}

void lpv_vd_security(vd *v) {
  vs_ctx x;
  int i;
  if (v->nstmt == 0) return;
  x.v = v;
  x.c = (vs_st *)lpv_vd_alloc(v, sizeof(vs_st) * (size_t)v->nstmt);
  x.any_open = 0;
  x.denied = NULL;
  for (i = 0; i < v->nstmt; i++) {
    vs_classify(v, &v->st[i], &x.c[i]);
    x.any_open |= x.c[i].open;
    if (x.c[i].deny_all && v->st[i].ok) {
      size_t nb = lpv_vd_nbytes(v);
      if (x.denied == NULL) x.denied = (unsigned char *)lpv_vd_alloc(v, nb);
      vs_add_actions(v, &v->st[i], x.denied, nb);
    }
  }
  for (i = 0; i < v->nstmt; i++) {
    if (!v->st[i].ok) continue;
    if (v->type == VT_TRUST || v->type == VT_RESOURCE) {
      vs_trust(&x, i);
      vs_service_principal_keys(v, i);
    }
    if (v->type == VT_IDENTITY || v->type == VT_RESOURCE) vs_wildcards(&x, i);
    if (v->type == VT_IDENTITY) {
      vs_passrole(&x, i);
      vs_resource_star(&x, i);
      vs_effectively_star(&x, i);
      vs_permissions(&x, i);
    }
  }
  if (v->type == VT_IDENTITY && x.any_open) {
    vs_escalation(&x);
    vs_open_list(&x, vs_resolved(v)->cred, "CREDENTIALS_EXPOSURE",
                 "can hand out credentials or secrets", "scope them to named resources");
    vs_open_list(&x, vs_resolved(v)->exf, "DATA_EXFILTRATION", "can read data",
                 "scope them to the buckets, parameters or secrets the workload needs");
  }
}


/* ---- suggestions ---- */

/* Does item a cover item b (actions)? */
static int vs_action_covers(vd *v, const vitem *a, const vitem *b) {
  unsigned k;
  (void)v;
  if (a->act == VA_UNKNOWN || b->act == VA_UNKNOWN) return 0;
  if (a->act == VA_STAR) return 1;
  if (b->act >= 0) return a->act == b->act || (a->bits && VD_BIT(a->bits, b->act));
  if (a->act >= 0 || b->act == VA_STAR || !a->bits || !b->bits) return 0;
  if (b->blo < a->blo || b->bhi > a->bhi) return 0;
  for (k = b->blo; k < b->bhi; k++) if (b->bits[k] & (unsigned char)~a->bits[k]) return 0;
  return 1;
}

static int vs_same_item(const vitem *a, const vitem *b, int nocase) {
  return a->len == b->len && (nocase ? lpv_glob_match(a->s, a->len, b->s, b->len, 1) &&
                                       !lpv_vd_has_wild(a->s, a->len)
                                     : memcmp(a->s, b->s, a->len) == 0);
}

#define VS_COVER_MAX 256     /* wildcard entries a long list is compared with */

/* For every item of a list: the earlier item it repeats (dup[j], or -1),
** and the wildcard items that may cover others (cand, at most
** VS_COVER_MAX): so a long list costs n * candidates, not n * n. */
typedef struct vs_cover {
  int *dup, *cand, ncand;
} vs_cover;

static void vs_cover_prepare(vd *v, const vitem *list, int n, int actions, vs_cover *c) {
  lua_State *L = v->L;
  int j;
  c->dup = (int *)lpv_vd_alloc(v, sizeof(int) * (size_t)(n > 0 ? n : 1));
  c->cand = (int *)lpv_vd_alloc(v, sizeof(int) * VS_COVER_MAX);
  c->ncand = 0;
  lua_createtable(L, 0, n);
  for (j = 0; j < n; j++) {
    const vitem *it = &list[j];
    int wild = actions ? (it->act == VA_STAR || it->act == VA_PATTERN)
                       : (lpv_vd_has_wild(it->s, it->len) && !lpv_vd_has_placeholder(it->s, it->len));
    if (actions && it->act >= 0) lua_pushinteger(L, it->act);
    else if (actions) lpv_vd_push_lower(L, it->s, it->len);   /* action names ignore case */
    else lua_pushlstring(L, it->s, it->len);
    lua_pushvalue(L, -1);
    if (lua_rawget(L, -3) == LUA_TNUMBER) {
      c->dup[j] = (int)lua_tointeger(L, -1);
      lua_pop(L, 2);
    } else {
      lua_pop(L, 1);
      lua_pushinteger(L, j);
      lua_rawset(L, -3);
      c->dup[j] = -1;
      if (wild && c->ncand < VS_COVER_MAX) c->cand[c->ncand++] = j;
    }
  }
  lua_pop(L, 1);
}

/* Index of an item of list that covers action item j, or -1. */
static int vs_covered_action(vd *v, const vitem *list, const vs_cover *c, int j) {
  int k;
  if (c->dup[j] >= 0) return c->dup[j];
  for (k = 0; k < c->ncand; k++) {
    int i = c->cand[k];
    if (i == j || !vs_action_covers(v, &list[i], &list[j])) continue;
    if (i > j && vs_action_covers(v, &list[j], &list[i])) continue;  /* same set: keep first */
    return i;
  }
  return -1;
}

/* Index of an item of list that covers resource item j, or -1. */
static int vs_covered_resource(const vitem *list, const vs_cover *c, int j) {
  int k;
  if (c->dup[j] >= 0) return c->dup[j];
  for (k = 0; k < c->ncand; k++) {
    int i = c->cand[k];
    if (i == j || !lpv_vd_covers(list[i].s, list[i].len, list[j].s, list[j].len)) continue;
    if (i > j && lpv_vd_covers(list[j].s, list[j].len, list[i].s, list[i].len)) continue;
    return i;
  }
  return -1;
}

static int vs_same_conditions(const vstmt *a, const vstmt *b) {
  int i, j;
  if (a->ncond != b->ncond) return 0;
  for (i = 0; i < a->ncond; i++) {
    const vcond *x = &a->cond[i], *y = &b->cond[i];
    if (x->oplen != y->oplen || memcmp(x->op, y->op, x->oplen) != 0) return 0;
    if (x->klen != y->klen || !lpv_glob_match(x->key, x->klen, y->key, y->klen, 1)) return 0;
    if (x->nval != y->nval) return 0;
    for (j = 0; j < x->nval; j++)
      if (x->val[j].len != y->val[j].len || memcmp(x->val[j].s, y->val[j].s, x->val[j].len) != 0)
        return 0;
  }
  return 1;
}

static int vs_same_principals(const vstmt *a, const vstmt *b) {
  int i, j;
  if (a->pkind != b->pkind || a->nprin != b->nprin) return 0;
  for (i = 0; i < a->nprin; i++) {
    int found = 0;
    for (j = 0; j < b->nprin && !found; j++)
      found = a->prin[i].ptype == b->prin[j].ptype && vs_same_item(&a->prin[i], &b->prin[j], 0);
    if (!found) return 0;
  }
  return 1;
}

/* Does statement a cover statement b? */
static int vs_stmt_covers(vd *v, const vstmt *a, const vstmt *b) {
  int i, j;
  if (!a->ok || !b->ok || a->effect != b->effect || a->effect == VE_BAD) return 0;
  if (a->akind != VK_POS || b->akind != VK_POS || b->rkind != VK_POS) return 0;
  if (a->rkind != VK_POS) return 0;
  if (!vs_same_principals(a, b)) return 0;
  if (a->has_condition && !vs_same_conditions(a, b)) return 0;
  for (j = 0; j < b->nact; j++) {
    int ok = 0;
    for (i = 0; i < a->nact && !ok; i++)
      ok = vs_same_item(&a->act[i], &b->act[j], 1) || vs_action_covers(v, &a->act[i], &b->act[j]);
    if (!ok) return 0;
  }
  for (j = 0; j < b->nres; j++) {
    int ok = 0;
    for (i = 0; i < a->nres && !ok; i++)
      ok = !lpv_vd_has_placeholder(a->res[i].s, a->res[i].len)
           ? lpv_vd_covers(a->res[i].s, a->res[i].len, b->res[j].s, b->res[j].len)
           : vs_same_item(&a->res[i], &b->res[j], 0);
    if (!ok) return 0;
  }
  return b->nact > 0 && b->nres > 0;
}

/* A trust policy that names an account and also principals inside it. */
static void vs_redundant_principals(vd *v, int si) {
  vstmt *s = &v->st[si];
  int i, j;
  for (j = 0; j < s->nprin; j++) {
    const vitem *p = &s->prin[j];
    size_t al;
    const char *acct;
    if (p->ptype != VP_AWS || lpv_vd_is_account(p->s, p->len) ||
        lpv_vd_ends_root(p->s, p->len))
      continue;
    acct = lpv_vd_principal_account(p->s, p->len, &al);
    if (!acct) continue;
    for (i = 0; i < s->nprin; i++) {
      const vitem *q = &s->prin[i];
      size_t ql;
      const char *qa;
      if (q->ptype != VP_AWS || !(lpv_vd_is_account(q->s, q->len) || lpv_vd_ends_root(q->s, q->len)))
        continue;
      qa = lpv_vd_principal_account(q->s, q->len, &ql);
      if (qa && ql == al && memcmp(qa, acct, al) == 0) {
        vloc at = lpv_vd_item(v, si, "Principal", p);
        lpv_vd_report(v, "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY", &at,
                      "remove one: naming the account already trusts every principal it allows",
                      "\"%S\" is inside account %S, which the statement also names",
                      p->s, p->len, acct, al);
        break;
      }
    }
  }
}

void lpv_vd_suggestions(vd *v) {
  int i, j;
  for (i = 0; i < v->nstmt; i++) {
    vstmt *s = &v->st[i];
    if (!s->ok) continue;
    if (!lpv_vd_off(v, "REDUNDANT_ACTION") && s->nact > 1) {
      vs_cover c;
      vs_cover_prepare(v, s->act, s->nact, 1, &c);
      for (j = 0; j < s->nact; j++) {
        int by = vs_covered_action(v, s->act, &c, j);
        if (by >= 0) {
          vloc at = lpv_vd_item(v, i, s->akind == VK_NOT ? "NotAction" : "Action", &s->act[j]);
          lpv_vd_report(v, "REDUNDANT_ACTION", &at, "remove it",
                        "\"%S\" is already covered by \"%S\"", s->act[j].s, s->act[j].len,
                        s->act[by].s, s->act[by].len);
        }
      }
    }
    if (!lpv_vd_off(v, "REDUNDANT_RESOURCE") && s->nres > 1) {
      vs_cover c;
      vs_cover_prepare(v, s->res, s->nres, 0, &c);
      for (j = 0; j < s->nres; j++) {
        int by = vs_covered_resource(s->res, &c, j);
        if (by >= 0) {
          vloc at = lpv_vd_item(v, i, s->rkind == VK_NOT ? "NotResource" : "Resource", &s->res[j]);
          lpv_vd_report(v, "REDUNDANT_RESOURCE", &at, "remove it",
                        "\"%S\" is already covered by \"%S\"", s->res[j].s, s->res[j].len,
                        s->res[by].s, s->res[by].len);
        }
      }
    }
    if (v->type == VT_TRUST) vs_redundant_principals(v, i);
  }
  if (v->nstmt <= 64 && !lpv_vd_off(v, "REDUNDANT_STATEMENT")) {
    for (j = 0; j < v->nstmt; j++) {
      for (i = 0; i < v->nstmt; i++) {
        if (i == j || !vs_stmt_covers(v, &v->st[i], &v->st[j])) continue;
        if (i > j && vs_stmt_covers(v, &v->st[j], &v->st[i])) continue;  /* twins: keep the first */
        {
          vloc at = lpv_vd_at(j, NULL, -1);
          lpv_vd_report(v, "REDUNDANT_STATEMENT", &at, "remove it",
                        "statement %d is already covered by statement %d", v->st[j].index,
                        v->st[i].index);
        }
        break;
      }
    }
  }
}
