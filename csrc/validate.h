/*
** validate.h: the validate concept's own header, shared by validate.c
** (framework, compile, grammar), validate_cond.c (conditions),
** validate_catalog.c (the catalog view and catalog-backed checks) and
** validate_security.c (security checks and suggestions).
**
** A document is compiled once into a vd (statements, items, conditions,
** with pointers into the Lua strings of the document, which stays on the
** stack), then every pass reads that.  Memory is Lua's: an arena of
** userdata chunks anchored in a table for the call.
*/
#ifndef LEASTPRIV_VALIDATE_H
#define LEASTPRIV_VALIDATE_H

#include "leastpriv.h"

/* Policy types. */
enum { VT_IDENTITY, VT_RESOURCE, VT_TRUST, VT_SCP, VT_RCP, VT_BOUNDARY,
       VT_SESSION, VT_ENDPOINT, VT_COUNT };

enum { VE_NONE, VE_ALLOW, VE_DENY, VE_BAD };     /* Effect */
enum { VK_NONE, VK_POS, VK_NOT };                /* Action or NotAction, ... */
enum { VP_AWS, VP_SERVICE, VP_FEDERATED, VP_CANONICAL, VP_STAR };
enum { VQ_NONE, VQ_ALL, VQ_ANY };                /* set qualifier */

/* Base condition operators (index into vd_ops). */
enum { VO_STRING, VO_NUMERIC, VO_DATE, VO_BOOL, VO_BINARY, VO_IP, VO_ARN,
       VO_NULL };
typedef struct vop {
  const char *name;
  unsigned char family;   /* VO_* */
  unsigned char neg;      /* negated: NotEquals, NotLike, NotIpAddress */
  unsigned char like;     /* wildcards are live (StringLike, Arn*) */
  unsigned char order;    /* 1 less-than family, 2 greater-than family */
} vop;
extern const vop lpv_vd_ops[];
#define VD_NOPS 27

/* Catalog key types (from the catalog's type names). */
enum { VKT_UNKNOWN, VKT_STRING, VKT_ARN, VKT_BOOL, VKT_DATE, VKT_NUMERIC,
       VKT_IP, VKT_BINARY };

/* Special action indexes of an Action item. */
#define VA_UNKNOWN  (-1)     /* malformed or not in the catalog */
#define VA_STAR     (-2)     /* "*" */
#define VA_PATTERN  (-3)     /* a wildcard pattern; bits says what it matches */

/* One string of an Action, Resource or Principal list. */
typedef struct vitem {
  const char *s;
  size_t len;
  int index;                  /* index in its JSON list, -1 for a bare string */
  int ptype;                  /* principals: VP_* */
  long act;                   /* actions: catalog index or VA_* */
  const unsigned char *bits;  /* VA_PATTERN, VA_STAR: matched actions, or NULL */
  unsigned blo, bhi;          /* the bytes of bits that can be non-zero */
} vitem;

/* One value of a condition key. */
typedef struct vval {
  const char *s;
  size_t len;
  int index;                  /* index in its list, -1 for a bare value */
  int jtype;                  /* LUA_TSTRING, LUA_TNUMBER, LUA_TBOOLEAN */
} vval;

/* One operator + key of a Condition block. */
typedef struct vcond {
  const char *op, *key;
  size_t oplen, klen;
  int base;                   /* index into lpv_vd_ops, -1 if unknown */
  int qual;                   /* VQ_* */
  int ifexists;
  int nval;
  vval *val;
} vcond;

typedef struct vstmt {
  int index;                  /* 0-based, or -1 when Statement is one object */
  const char *sid;
  size_t sidlen;
  int effect;                 /* VE_* */
  int pkind, akind, rkind;    /* VK_* of Principal, Action, Resource */
  int pbare;                  /* Principal is the bare string "*" */
  int nprin, nact, nres, ncond;
  vitem *prin, *act, *res;
  vcond *cond;
  int has_condition;          /* Condition holds at least one key */
  int ok;                     /* well-formed enough for semantic passes */
  struct vres *prepared;      /* its Resource entries split and tokenised, once
                                 (validate_catalog.c), or NULL */
} vstmt;

/* The per-state catalog cache (validate_catalog.c). */
typedef struct vcache vcache;

/* A token of a resource pattern or an ARN template's resource part. */
enum { VTK_LIT, VTK_ONE, VTK_STAR };
typedef struct vtok {
  unsigned char kind;         /* VTK_* */
  unsigned char nocolon;      /* VTK_ONE, VTK_STAR: bit 1 not ':', bit 2 not '/' */
  char c;                     /* VTK_LIT */
} vtok;

/* One ARN template of a resource type, split for matching. */
typedef struct vtmpl {
  const char *text;           /* the template (anchored in the cache) */
  size_t len;
  const char *svc;            /* its service, NULL when a placeholder */
  size_t svclen;
  int region, account;        /* 0 empty, 1 any (placeholder), 2 literal */
  int ntok;
  vtok *tok;                  /* the resource part */
} vtmpl;

/* A resolved catalog resource type: its ARN templates. */
typedef struct vrtype {
  const char *name;           /* "network-interface" (anchored in the cache) */
  size_t nlen;
  int ntmpl;
  vtmpl *t;
} vrtype;

/* What validation needs to know of one action. */
typedef struct vaction {
  int nrt;
  const vrtype **rt;
  const unsigned char *required;  /* per resource type: marked required (*) */
  int named;                  /* the required type the action is named after, or -1 */
  int scenarios;              /* the catalog gives alternative sets of types */
  int nkeys;
  const char **keys;          /* condition keys, lower case, templates as
                                 the catalog spells them ("aws:resourcetag/${tagkey}") */
} vaction;

/* A condition key as the catalog knows it. */
typedef struct vkey {
  int known;                  /* found (exactly or through a template) */
  int global;                 /* an aws: key that applies to every action */
  int type;                   /* VKT_* */
  int multi;                  /* ArrayOf...: multivalued */
  const char *canon;          /* its catalog name in lower case (interned) */
} vkey;

/* What validation needs to know of a service, and of the ARN templates
** that carry its name: each template's literal start of the resource part
** ("role/", "" for "${BucketName}") and whether it has a region and an
** account. */
typedef struct vservice {
  int known;
  int rcp;                    /* supports resource control policies */
  int nprefix;
  const char **prefix;
  size_t *plen;
  unsigned char *region;      /* per template: 1 when it names a region */
  unsigned char *account;     /* per template: 1 when it names an account, 2 when
                                 it does but AWS-owned instances have none */
} vservice;

typedef struct vd {
  lua_State *L;
  int core;                   /* stack index of the leastpriv.core table */
  int out, nout;              /* findings list and its length */
  int groups;                 /* stack index: repeated findings (vd_fold) */
  int anchor, nanchor;        /* keeps strings and chunks alive for the call */
  int cacheidx;               /* stack index of the catalog cache table */
  vcache *cache;
  int disabled;               /* stack index of the set of disabled codes, or 0 */
  char *chunk;                /* arena */
  size_t left;
  int type, type_given;
  int version;                /* 0 absent, 2008, 2012, -1 invalid */
  int has_vars;               /* some Resource or Condition holds ${...} */
  int nstmt;
  vstmt *st;
  const char *account;        /* the policy owner's account, or NULL */
  size_t acclen;
  const char *service;        /* a resource policy's service prefix, or NULL */
  size_t svclen;
  int arraymt;                /* stack index of the JSON array metatable */
  int nsvc;                   /* services looked up in this call */
  struct { const char *s; size_t len; const vservice *sv; } svc[8];
} vd;

/* A place in the document, for a finding's path. */
typedef struct vloc {
  int stmt;                   /* index into v->st, or -1 for the document */
  const char *elem;           /* element, or NULL */
  const char *key, *key2;     /* principal type / operator, condition key */
  size_t klen, k2len;
  int index;                  /* list index, or -1 */
} vloc;

/* ---- validate_endpoint.c ---- */

/* The endpoint-policy grammar of statement si (type VT_ENDPOINT). */
void lpv_vd_endpoint(vd *v, int si);

/* ---- validate.c ---- */

/* Report a finding: code, where, hint (may be NULL), and a message made
** of the printf-like fmt (%s %d %c %% only, plus %S for a length-bound
** string: const char *, size_t) -- long strings are cut for display. */
void lpv_vd_report(vd *v, const char *code, const vloc *at, const char *hint,
                   const char *fmt, ...);
/* Is code disabled by the caller (so its work can be skipped)? */
int lpv_vd_off(vd *v, const char *code);
/* n zeroed bytes for the call. */
void *lpv_vd_alloc(vd *v, size_t n);
/* Location helpers. */
vloc lpv_vd_at(int stmt, const char *elem, int index);
/* A statement's location with element elem and item it. */
vloc lpv_vd_item(const vd *v, int stmt, const char *elem, const vitem *it);
/* Is s (len) equal to the C string lit, exactly / ignoring ASCII case? */
int lpv_vd_eq(const char *s, size_t len, const char *lit);
int lpv_vd_ieq(const char *s, size_t len, const char *lit);
/* Push an ASCII lower-case copy of s (any length, any Lua); returns it. */
const char *lpv_vd_push_lower(lua_State *L, const char *s, size_t len);
/* Does s start with lit? */
int lpv_vd_starts(const char *s, size_t len, const char *lit);
int lpv_vd_has_wild(const char *s, size_t len);
/* Does s hold a template placeholder (LPV_PH_OPEN..., an unknown value)? */
int lpv_vd_has_placeholder(const char *s, size_t len);
/* Split an ARN like lpv_arn_split, skipping ${...} and placeholders. */
int lpv_vd_arn_split(const char *s, size_t len, lpv_arn *out);
/* Is s a 12-digit account id? */
int lpv_vd_is_account(const char *s, size_t len);
/* Does pattern a cover every string pattern b matches (both may hold
** wildcards)? */
int lpv_vd_covers(const char *a, size_t al, const char *b, size_t bl);
/* Does s end in ":root" (an account principal ARN)? */
int lpv_vd_ends_root(const char *s, size_t len);
/* The account of an AWS principal (id or ARN), or NULL. */
const char *lpv_vd_principal_account(const char *s, size_t len, size_t *alen);

/* ---- validate_cond.c ---- */

/* Parse operator op: base index (or -1), qualifier, IfExists. */
int lpv_vd_op_parse(const char *op, size_t len, int *qual, int *ifexists);
/* Grammar and catalog checks of statement si's Condition. */
void lpv_vd_conditions(vd *v, int si);
/* Does statement s hold a positive condition on key (any case)?  any_op:
** also count IfExists and negated operators. */
int lpv_vd_has_key(const vstmt *s, const char *key, int any_op);
/* Does it hold one on a key starting with prefix (any case)? */
int lpv_vd_has_key_prefix(const vstmt *s, const char *prefix);
/* Does s test key (any case) positively, without IfExists, against values
** none of which is a live wildcard ("*a4b.amazonaws.com" under StringLike
** pins nothing)? */
int lpv_vd_key_pins(const vstmt *s, const char *key);
/* Variable syntax checks of string s at loc; elem_ok: variables may
** appear here.  Returns 1 when s holds a variable. */
int lpv_vd_variables(vd *v, const char *s, size_t len, const vloc *at, int elem_ok);

/* ---- validate_catalog.c ---- */

void lpv_vd_cache_open(vd *v);
/* Bytes in an action bit set, and the number of actions. */
size_t lpv_vd_nbytes(const vd *v);
long lpv_vd_nactions(const vd *v);
/* Actions matched by pattern (lower case not needed), cached; *count gets
** how many, [*lo, *hi) the bytes that hold them.  NULL when it matches none. */
const unsigned char *lpv_vd_pattern_bits(vd *v, const char *pat, size_t len, long *count,
                                         unsigned *lo, unsigned *hi);
/* The scratch memory the calls of this state start their arena with. */
char *lpv_vd_scratch(vd *v, size_t *size);
/* Bit sets of every action / the wildcard-only ones / Permissions management. */
const unsigned char *lpv_vd_all_bits(vd *v);
const unsigned char *lpv_vd_wildonly_bits(vd *v);
const unsigned char *lpv_vd_pm_bits(vd *v);
/* The catalog facts of action i. */
const vaction *lpv_vd_action(vd *v, long i);
/* Look key up; returns out. */
const vkey *lpv_vd_key(vd *v, const char *key, size_t len, vkey *out);
/* Facts of service prefix (ARN or action). */
const vservice *lpv_vd_service(vd *v, const char *prefix, size_t len);
/* Push the catalog's message for an unknown action name (did you mean). */
void lpv_vd_push_unknown_action(vd *v, const char *name, size_t len);
/* Is name the service part of some ARN template of the catalog? */
int lpv_vd_arn_service_known(vd *v, const char *name, size_t len);
/* Push the catalog's message for an unknown service (did you mean). */
void lpv_vd_push_unknown_service(vd *v, const char *name, size_t len);
/* Push the catalog's message for an unknown condition key (did you mean). */
void lpv_vd_push_unknown_key(vd *v, const char *key, size_t len);
/* Resolve actions, check them against the catalog and the resources. */
void lpv_vd_catalog(vd *v);
/* validate.c: is s a partition (aws, aws-cn, aws-us-gov, aws-iso-b, ...)? */
int lpv_vd_partition_ok(const char *s, size_t len);
/* validate_principal.c: the checks of one Principal / NotPrincipal entry. */
void lpv_vd_check_principal_item(vd *v, int si, const char *elem, const vitem *it);
/* validate_resource.c: the checks of one Resource / NotResource entry. */
void lpv_vd_check_resource(vd *v, int si, const char *elem, const vitem *it);
/* validate_required.c: Allows that give an action no resource of a type the
** catalog marks required for it. */
void lpv_vd_required(vd *v);
/* Is rt the resource action (its full name) is named after (its object:
** network-interface of ec2:CreateNetworkInterface)? */
int lpv_vd_named_after(const char *action, size_t len, const vrtype *rt);
/* A Resource entry split for matching against ARN templates. */
typedef struct vres {
  const char *s;
  size_t len;
  int nparts;                 /* ARN parts found (6 for a full ARN) */
  lpv_arn a;
  int ntok;                   /* tokens of the resource part, -1: too long */
  vtok *tok;
} vres;
/* Split res (len) into r, tokens in the call's arena. */
void lpv_vd_res_prepare(vd *v, const char *res, size_t len, vres *r);
/* Could resource r name a resource of type rt (both sides may hold wildcards)? */
int lpv_vd_arn_fits(const vres *r, const vrtype *rt);

#define VD_BIT(bits, i)  (((bits)[(i) >> 3] >> ((i) & 7)) & 1u)

/* ---- validate_context.c ---- */

/* Condition keys of statement si read in context: companion actions and
** keys, keys constant in the policy type, MFA and OIDC audience tests. */
void lpv_vd_key_context(vd *v, int si);

/* ---- validate_security.c ---- */

void lpv_vd_security(vd *v);
/* validate_trust.c: trust policies that can never work, or admit too much. */
void lpv_vd_trust(vd *v);
/* validate_idioms.c: resource ARNs that fit a template but name nothing. */
void lpv_vd_idioms(vd *v);
void lpv_vd_suggestions(vd *v);

#endif
