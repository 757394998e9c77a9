/*
** leastpriv.h: the private cross-file API of the leastpriv.core module.
**
** Each C file holds one concept and offers a registrar lpv_open_<concept>
** that adds its Lua functions to the module table on top of the stack.
** Only luaopen_leastpriv_core (core.c) is exported from the shared object.
** No file keeps mutable global state: everything static is const data.
*/
#ifndef LEASTPRIV_H
#define LEASTPRIV_H

#include <stddef.h>

#include "lua.h"
#include "lauxlib.h"
#include "compat.h"

/* Registry name of the metatable that marks a Lua table as a JSON array
** (so that an empty array survives a decode/encode round trip). */
#define LPV_ARRAY_MT "leastpriv.array"

/* The bytes around a template placeholder (lp.var): OPEN "var.NAME" CLOSE.
** Neither byte occurs in UTF-8 text, and every reader of outside data
** (JSON, plans, dumps) accepts only valid UTF-8, so data can never hold a
** placeholder: a control byte such as U+0001 in data stays data. */
#define LPV_PH_OPEN  0xF8
#define LPV_PH_CLOSE 0xF9

/* Hard limits for outside data; past them, a clear error (never unbounded
** memory or time). */
#define LPV_MAX_DEPTH       64          /* nesting of JSON / HCL values */
#define LPV_MAX_DOCUMENT    (16u << 20) /* bytes of JSON text read at once */

/* ---- registrars (one per C file) ---- */
void lpv_open_glob(lua_State *L);
void lpv_open_arn(lua_State *L);
void lpv_open_utf8(lua_State *L);
void lpv_open_eval_rules(lua_State *L);
void lpv_open_json_read(lua_State *L);
void lpv_open_json_write(lua_State *L);
void lpv_open_policy(lua_State *L);
void lpv_open_hcl(lua_State *L);
void lpv_open_hcl_read(lua_State *L);
void lpv_open_catalog(lua_State *L);
void lpv_open_catalog_arnindex(lua_State *L);
void lpv_open_fs(lua_State *L);
void lpv_open_sandbox(lua_State *L);

/* core.c: push the module table of leastpriv.core (luaopen's body; a
** sandbox state opens its own copy with it). */
int lpv_core_open(lua_State *L);
void lpv_open_fsio(lua_State *L);
void lpv_open_term(lua_State *L);

/* ---- glob.c: IAM wildcard matching ---- */

/* Does s match the IAM wildcard pattern pat ('*' any run, '?' one byte)?
** nocase folds ASCII case.  O(len(s) * len(pat)) worst case, no recursion. */
int lpv_glob_match(const char *pat, size_t plen, const char *s, size_t slen,
                   int nocase);

/* In lpv_glob_intersect patterns, a '*' that cannot match '/' (or ':'). */
#define LPV_GLOB_NOSLASH 0x01
#define LPV_GLOB_NOCOLON 0x02

/* Is there a string that both patterns match?  Each '*' and '?' is a
** wildcard; so are LPV_GLOB_NOSLASH and LPV_GLOB_NOCOLON, restricted.
** O(len(p) * len(q)) time; when the shorter is over 1024 bytes, assumed. */
int lpv_glob_intersect(const char *p, size_t n, const char *q, size_t m, int nocase);

/* Does p match every string that the pattern q matches?  1 only when
** shown (q's '*' taken by a '*' of p, its '?' by a '?' or '*'): sound, not
** complete; 0 when q is over 1024 bytes or either is not valid UTF-8.
** O(len(p) * len(q)). */
int lpv_glob_contains(const char *p, size_t n, const char *q, size_t m, int nocase);

/* ---- arn.c: Amazon Resource Names ---- */

/* An ARN split on its first five colons; slices point into the source. */
typedef struct lpv_arn {
  const char *part[6];   /* arn, partition, service, region, account, resource */
  size_t len[6];
} lpv_arn;

enum { LPV_ARN_PREFIX, LPV_ARN_PARTITION, LPV_ARN_SERVICE, LPV_ARN_REGION,
       LPV_ARN_ACCOUNT, LPV_ARN_RESOURCE };

/* Split s into its parts; returns the number of parts found (6 for a
** complete ARN).  Never fails: validation is lpv_arn_check's job. */
int lpv_arn_split(const char *s, size_t len, lpv_arn *out);

/* Validate a split ARN; NULL when valid, else a static message saying what
** is wrong, with *bad set to the index of the bad part (LPV_ARN_*), or -1
** when a part is missing.  Wildcards are allowed when allow_wild is set. */
const char *lpv_arn_check(const lpv_arn *a, int nparts, int allow_wild, int *bad);

/* Validate one part (LPV_ARN_PARTITION .. LPV_ARN_RESOURCE) of an ARN: the
** one validation of ARN parts, used by lpv_arn_check and by
** catalog_arn_build.  NULL when valid, else a static message ("is not a
** 12-digit account ID").  Template placeholders must be well formed (no
** ':' or control byte inside) and only the characters outside them and
** outside wildcards (allowed when allow_wild; never in the service) are
** checked: partition aws or aws-..., service and region lowercase letters,
** digits and '-', account digits (else the exact forms: aws-cn, us-east-1,
** 12 digits or "aws"); no control characters in the resource. */
const char *lpv_arn_part_check(int part, const char *s, size_t len, int allow_wild);

/* Push `PART "value" why` (`PART part why` when empty, `why` alone when
** bad is not a part) for a message about part bad of a. */
void lpv_arn_push_why(lua_State *L, const lpv_arn *a, int bad, const char *why);

/* Resource-element semantics: does the pattern (with * and ?) match arn? */
int lpv_arn_match_resource(const char *pat, size_t plen,
                           const char *arn, size_t alen);

/* ArnLike semantics: the six parts are matched separately. */
int lpv_arn_match_like(const char *pat, size_t plen,
                       const char *arn, size_t alen);

/* Does pattern pat match every ARN that pattern q matches, in Resource
** (like = 0) or ArnLike (like = 1) semantics?  Part by part with
** lpv_glob_contains: 1 only when shown. */
int lpv_arn_contains(const char *pat, size_t plen, const char *q, size_t qlen, int like);

/* ---- path.c: JSON paths for messages ---- */

/* Push prefix extended by an object member: "Statement[0]" + "Effect" ->
** "Statement[0].Effect"; odd keys are quoted: Condition["a.b"]. */
void lpv_path_push_key(lua_State *L, const char *prefix, size_t plen,
                       const char *key, size_t klen);

/* Push prefix extended by a 0-based array index: "Statement" -> "Statement[2]". */
void lpv_path_push_index(lua_State *L, const char *prefix, size_t plen,
                         lua_Integer index);

/* ---- utf8.c ---- */

/* Length of the valid UTF-8 prefix of s (== len when all of s is valid). */
size_t lpv_utf8_valid_prefix(const char *s, size_t len);

/* Length of the character at s[0..len): its UTF-8 sequence when valid,
** else 1 (one ASCII or invalid byte); 0 when len is 0.  For messages that
** show one character of a string. */
size_t lpv_utf8_char_len(const char *s, size_t len);

/* ---- json_write.c: shared by the JSON and SARIF writers ---- */

/* Append s as a JSON string literal (quotes included) to b; raises on
** invalid UTF-8, naming where (what) the string sits. */
void lpv_json_put_string(luaL_Buffer *b, const char *s, size_t len,
                         const char *what);

/* ---- catalog_owned.c: resource types with AWS-owned instances ---- */

/* Why instances of service's rtype can have an empty account (AWS owns
** some of them), or NULL. */
const char *lpv_catalog_aws_owned(const char *service, size_t slen, const char *rtype,
                                  size_t rlen);

/* Push the text of the number at idx as a policy string: the one rule for
** numbers in policies, JSON and Terraform alike.  Integers in decimal; a
** float as the shortest digits that read back as it, written out without
** an exponent and without a fraction when integral (3600.0 -> "3600",
** 1e15 -> "1000000000000000", 0.1 -> "0.1"): terraform turns a number into
** a string the same way (the exact decimal of the literal).  The caller
** checks that the number is finite. */
void lpv_push_number_text(lua_State *L, int idx);

/* ---- catalog.c: the compiled-in AWS action catalog (read-only) ---- */

/* Index of the action named name ("s3:getobject", case-insensitive), or -1. */
long lpv_catalog_find_action(const char *name, size_t len);

/* Canonical name of action i ("s3:GetObject"), NULL if out of range. */
const char *lpv_catalog_action_name(long i, size_t *len);

/* Has action i no resource type (so it needs "Resource": "*")? */
int lpv_catalog_action_wildcard_only(long i);

/* Has action i resource types, none of them required (so calls that name
** no resource need "*")? */
int lpv_catalog_action_rtypes_optional(long i);

/* Number of actions; indexes run from 0 to this minus one. */
long lpv_catalog_action_count(void);

/* ---- catalog_arnindex.c: which resource types an ARN is ---- */

/* The catalog's ARN templates indexed by service and literal prefix, built
** once per lua_State (kept in its registry). */
typedef struct lpv_arnindex lpv_arnindex;
const lpv_arnindex *lpv_arnindex_get(lua_State *L);

/* The resource types (lpv_cat_rtypes indexes) that arn is, the most specific
** matches as catalog_resource_types_for_arn finds them: at most max into
** out; returns how many (0: not an ARN, or no type matches).  ix may be
** NULL (a scan of every template, about 1,000 times slower). */
int lpv_catalog_arn_rtypes(const lpv_arnindex *ix, const char *arn, size_t len,
                           unsigned *out, int max);

/* Does action i act on one of the n resource types in types? */
int lpv_catalog_action_has_rtype(long i, const unsigned *types, int n);

/* Can action i act on some resource that the ARN pattern pat (Resource
** semantics) matches?  Tests pat against the ARN templates of the action's
** resource types, their ${...} variables read as '*'. */
int lpv_catalog_action_pattern_applies(long i, const char *pat, size_t len);

/* Name of resource type r ("object"), NULL if out of range. */
const char *lpv_catalog_rtype_name(unsigned r);

/* ---- eval_rules.c: what AWS decides whatever the policies say ---- */

/* A request AWS refuses: one of actions (lower case) on resource (Resource
** semantics), unless the principal text matches one of exempt (globs). */
typedef struct lpv_refusal {
  const char *id;
  const char *const *actions;
  const char *resource;
  const char *const *exempt;
  const char *reason, *source, *quote;
} lpv_refusal;

/* The rule refusing action low on res by principal, or NULL. */
const lpv_refusal *lpv_eval_refused(const char *low, size_t alen, const char *res, size_t rlen,
                                    const char *principal, size_t plen);

/* Does action low (lower case) need no permission and ignore every Deny? */
int lpv_eval_needs_no_permission(const char *low, size_t alen);

/* Push rule r as a table { id, reason, actions, resource, source, quote }. */
void lpv_eval_push_refusal(lua_State *L, const lpv_refusal *r);

/* ---- eval.c, condition.c, variables.c: request evaluation ---- */

/* One value of a request-context key, as text. */
typedef struct lpv_cval {
  const char *s;
  size_t len;
  char buf[32];          /* holds the text of a number or boolean value */
} lpv_cval;

/* One request-context key: n values; multi marks a list (multivalued key). */
typedef struct lpv_centry {
  const char *key;       /* as given (compared with ASCII case folded) */
  size_t klen;
  lpv_cval *vals;
  int n, multi;
} lpv_centry;

/* The context of one request. */
typedef struct lpv_ctx {
  lpv_centry *e;
  int n;
} lpv_ctx;

/* The entry for key (any case) or NULL. */
const lpv_centry *lpv_ctx_find(const lpv_ctx *c, const char *key, size_t klen);

/* A growable scratch byte buffer owned by a userdata (freed by its __gc). */
typedef struct lpv_scratch {
  char *p;
  size_t len, cap;
} lpv_scratch;

/* Make room for n more bytes; raises on memory exhaustion. */
char *lpv_scratch_room(lua_State *L, lpv_scratch *b, size_t n);
void lpv_scratch_free(lua_State *L, lpv_scratch *b);

/* Policy variables.  Substitute the ${...} of s (context c) into b, setting
** mask bytes to 1 for characters that are literal although they are '*' or
** '?' (from ${*}, ${?} and substituted values).  Returns 1, or 0 when a
** variable cannot be resolved (its key absent and no default); *lit gets
** whether any masked wildcard was written. */
int lpv_var_substitute(lua_State *L, const char *s, size_t len, const lpv_ctx *c,
                       lpv_scratch *b, lpv_scratch *mask, int *lit);

/* Does s hold a policy variable or escape ("${")? */
int lpv_var_present(const char *s, size_t len);

/* Wildcard match where mask[i] != 0 makes pat[i] literal (mask may be NULL). */
int lpv_glob_match_masked(const char *pat, const char *mask, size_t plen,
                          const char *s, size_t slen, int nocase);

/* Resource-element and ArnLike matching of a masked pattern. */
int lpv_arn_match_resource_masked(const char *pat, const char *mask, size_t plen,
                                  const char *arn, size_t alen);
int lpv_arn_match_like_masked(const char *pat, const char *mask, size_t plen,
                              const char *arn, size_t alen);

/* A compiled condition: operator, key, parsed policy values (condition.c). */
typedef struct lpv_cond lpv_cond;

/* Memory for compiled policies: chunks freed together (eval.c). */
typedef struct lpv_arena {
  void *chunks;          /* singly linked list of blocks */
  char *cur;
  size_t left;
} lpv_arena;

/* n bytes from the arena, zeroed and aligned; raises on exhaustion. */
void *lpv_arena_alloc(lua_State *L, lpv_arena *a, size_t n);
char *lpv_arena_strdup(lua_State *L, lpv_arena *a, const char *s, size_t len);

/* Why a condition failed, for explanations. */
typedef struct lpv_cond_why {
  const lpv_cond *cond;
  const lpv_centry *entry;   /* NULL: the key is absent */
  int unresolved;            /* a policy variable had no value */
} lpv_cond_why;

/* Compile the condition block at idx (canonical form) into an array in a;
** *n gets its length.  v2012: policy variables are live.  Raises on an
** unknown operator. */
lpv_cond *lpv_cond_compile(lua_State *L, lpv_arena *a, int idx, int v2012, size_t *n);

/* Do all n conditions hold for context c?  On failure, *why (may be NULL)
** names the first failing condition.  sub/mask: scratch for variables. */
int lpv_cond_eval(lua_State *L, const lpv_cond *cs, size_t n, const lpv_ctx *c,
                  lpv_scratch *sub, lpv_scratch *mask, lpv_cond_why *why);

/* Push a table describing condition cd (operator, key, values). */
void lpv_cond_push(lua_State *L, const lpv_cond *cd);

void lpv_open_eval(lua_State *L);
void lpv_open_condition(lua_State *L);

/* ---- validate*.c (own header validate.h), json_locate.c: policy checks ---- */

void lpv_open_validate(lua_State *L);
void lpv_open_json_locate(lua_State *L);
void lpv_open_json_stream(lua_State *L);

/* Set line and column of findings list[1..n] (tables with a path field)
** from the JSON text s they are about, and put them in the text's order. */
void lpv_json_locate_findings(lua_State *L, const char *s, size_t len, int list, int n);

#endif
