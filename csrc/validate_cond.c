/*
** validate_cond.c: checks of Condition blocks and of policy variables.
**
** Operators (name, qualifier, IfExists), keys (format, catalog, type,
** single- or multivalued, whether the statement's actions ever see them)
** and values (numbers, dates, booleans, CIDRs, regions, VPC IDs, role
** session names, GitHub subjects, redundant values) of one statement.
*/
#include <string.h>

#include "validate.h"

const vop lpv_vd_ops[VD_NOPS] = {
  {"StringEquals", VO_STRING, 0, 0, 0}, {"StringNotEquals", VO_STRING, 1, 0, 0},
  {"StringEqualsIgnoreCase", VO_STRING, 0, 0, 0},
  {"StringNotEqualsIgnoreCase", VO_STRING, 1, 0, 0},
  {"StringLike", VO_STRING, 0, 1, 0}, {"StringNotLike", VO_STRING, 1, 1, 0},
  {"NumericEquals", VO_NUMERIC, 0, 0, 0}, {"NumericNotEquals", VO_NUMERIC, 1, 0, 0},
  {"NumericLessThan", VO_NUMERIC, 0, 0, 1}, {"NumericLessThanEquals", VO_NUMERIC, 0, 0, 1},
  {"NumericGreaterThan", VO_NUMERIC, 0, 0, 2},
  {"NumericGreaterThanEquals", VO_NUMERIC, 0, 0, 2},
  {"DateEquals", VO_DATE, 0, 0, 0}, {"DateNotEquals", VO_DATE, 1, 0, 0},
  {"DateLessThan", VO_DATE, 0, 0, 1}, {"DateLessThanEquals", VO_DATE, 0, 0, 1},
  {"DateGreaterThan", VO_DATE, 0, 0, 2}, {"DateGreaterThanEquals", VO_DATE, 0, 0, 2},
  {"Bool", VO_BOOL, 0, 0, 0}, {"BinaryEquals", VO_BINARY, 0, 0, 0},
  {"IpAddress", VO_IP, 0, 0, 0}, {"NotIpAddress", VO_IP, 1, 0, 0},
  {"ArnEquals", VO_ARN, 0, 1, 0}, {"ArnLike", VO_ARN, 0, 1, 0},
  {"ArnNotEquals", VO_ARN, 1, 1, 0}, {"ArnNotLike", VO_ARN, 1, 1, 0},
  {"Null", VO_NULL, 0, 0, 0},
};

static const char *const family_names[] = {
  "String", "Numeric", "Date", "Bool", "Binary", "IpAddress", "Arn", "Null"
};
static const char *const ktype_names[] = {
  "unknown", "String", "ARN", "Bool", "Date", "Numeric", "IPAddress", "Binary"
};

static int cd_lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* A GitHub subject that lets any repository (of an owner) in: a lone
** star, "repo:" then a star, or "repo:OWNER/" then a star. */
static int cd_github_broad(const char *s, size_t len) {
  const char *slash;
  if (lpv_vd_eq(s, len, "*") || lpv_vd_starts(s, len, "repo:*")) return 1;
  if (!lpv_vd_starts(s, len, "repo:")) return 0;
  slash = memchr(s + 5, '/', len - 5);
  return slash != NULL && slash + 1 < s + len && slash[1] == '*';
}

static int cd_contains(const char *s, size_t len, const char *lit) {
  size_t n = strlen(lit), i;
  for (i = 0; i + n <= len; i++) if (memcmp(s + i, lit, n) == 0) return 1;
  return 0;
}

int lpv_vd_op_parse(const char *op, size_t len, int *qual, int *ifexists) {
  int i;
  *qual = VQ_NONE;
  *ifexists = 0;
  if (lpv_vd_starts(op, len, "ForAllValues:")) { *qual = VQ_ALL; op += 13; len -= 13; }
  else if (lpv_vd_starts(op, len, "ForAnyValue:")) { *qual = VQ_ANY; op += 12; len -= 12; }
  if (len > 8 && memcmp(op + len - 8, "IfExists", 8) == 0) { *ifexists = 1; len -= 8; }
  for (i = 0; i < VD_NOPS; i++)
    if (lpv_vd_eq(op, len, lpv_vd_ops[i].name)) return i;
  return -1;
}


/* ---- policy variables ---- */

int lpv_vd_variables(vd *v, const char *s, size_t len, const vloc *at, int elem_ok) {
  size_t i = 0;
  int found = 0;
  while (i + 1 < len) {
    size_t j, close;
    const char *body;
    size_t blen;
    if (!(s[i] == '$' && s[i + 1] == '{')) { i++; continue; }
    found = 1;
    for (close = i + 2; close < len && s[close] != '}'; close++) {}
    if (close >= len) {
      lpv_vd_report(v, "MISSING_BRACE_IN_VARIABLE", at, "close it: ${aws:username}",
                    "\"%S\" opens a policy variable that never closes", s, len);
      return 1;
    }
    body = s + i + 2;
    blen = close - i - 2;
    i = close + 1;
    if (!elem_ok) continue;
    if (blen == 0) {
      lpv_vd_report(v, "EMPTY_VARIABLE", at, NULL, "\"%S\" holds an empty ${}", s, len);
      continue;
    }
    if (blen == 1 && (body[0] == '*' || body[0] == '?' || body[0] == '$')) continue;
    {
      const char *comma = memchr(body, ',', blen);
      size_t nlen = comma ? (size_t)(comma - body) : blen;
      int space = 0;
      for (j = 0; j < nlen; j++) if (body[j] == ' ' || body[j] == '\t') space = 1;
      if (space) {
        lpv_vd_report(v, "UNSUPPORTED_SPACE_IN_VARIABLE", at, "write ${aws:username}",
                      "\"%S\": policy variable names cannot hold spaces", s, len);
        continue;
      }
      if (comma) {
        const char *d = comma + 1;
        size_t dlen = blen - nlen - 1;
        while (dlen > 0 && *d == ' ') { d++; dlen--; }
        if (dlen < 2 || d[0] != '\'' || d[dlen - 1] != '\'')
          lpv_vd_report(v, "MISSING_QUOTE_IN_VARIABLE", at,
                        "quote the default: ${aws:PrincipalTag/team, 'none'}",
                        "\"%S\": the default value of a policy variable takes single quotes",
                        s, len);
      }
    }
  }
  if (found) {
    if (!elem_ok)
      lpv_vd_report(v, "VARIABLE_UNSUPPORTED_IN_ELEMENT", at,
                    "policy variables work in Resource and in condition values",
                    "\"%S\" holds a policy variable where IAM does not substitute one", s, len);
    else
      v->has_vars = 1;
  }
  return found;
}


/* ---- value syntax ---- */

static int cd_digit(int c) { return c >= '0' && c <= '9'; }

/* -?[0-9]+(.[0-9]+)? */
static int cd_number(const char *s, size_t len) {
  size_t i = 0;
  if (i < len && s[i] == '-') i++;
  if (i >= len || !cd_digit((unsigned char)s[i])) return 0;
  while (i < len && cd_digit((unsigned char)s[i])) i++;
  if (i < len && s[i] == '.') {
    i++;
    if (i >= len || !cd_digit((unsigned char)s[i])) return 0;
    while (i < len && cd_digit((unsigned char)s[i])) i++;
  }
  return i == len;
}

/* n digits at s[*i], in [lo, hi] */
static int cd_field(const char *s, size_t len, size_t *i, int n, int lo, int hi) {
  int k, x = 0;
  if (*i + (size_t)n > len) return 0;
  for (k = 0; k < n; k++) {
    if (!cd_digit((unsigned char)s[*i + k])) return 0;
    x = x * 10 + (s[*i + k] - '0');
  }
  *i += (size_t)n;
  return x >= lo && x <= hi;
}

/* ISO 8601 (YYYY, YYYY-MM, YYYY-MM-DD, ...Thh:mm[:ss[.f]][Z|+hh:mm]) or
** epoch seconds. */
static int cd_date(const char *s, size_t len) {
  size_t i = 0;
  if (len > 0 && len <= 12) {
    size_t k;
    for (k = 0; k < len && cd_digit((unsigned char)s[k]); k++) {}
    if (k == len && len != 4) return 1;              /* epoch seconds */
  }
  if (!cd_field(s, len, &i, 4, 0, 9999)) return 0;
  if (i == len) return 1;
  if (s[i++] != '-' || !cd_field(s, len, &i, 2, 1, 12)) return 0;
  if (i == len) return 1;
  if (s[i++] != '-' || !cd_field(s, len, &i, 2, 1, 31)) return 0;
  if (i == len) return 1;
  if (s[i] != 'T' && s[i] != 't') return 0;
  i++;
  if (!cd_field(s, len, &i, 2, 0, 23)) return 0;
  if (i >= len || s[i++] != ':' || !cd_field(s, len, &i, 2, 0, 59)) return 0;
  if (i < len && s[i] == ':') {
    i++;
    if (!cd_field(s, len, &i, 2, 0, 60)) return 0;
    if (i < len && s[i] == '.') {
      i++;
      if (i >= len || !cd_digit((unsigned char)s[i])) return 0;
      while (i < len && cd_digit((unsigned char)s[i])) i++;
    }
  }
  if (i == len) return 1;
  if (s[i] == 'Z' || s[i] == 'z') return i + 1 == len;
  if (s[i] != '+' && s[i] != '-') return 0;
  i++;
  if (!cd_field(s, len, &i, 2, 0, 23)) return 0;
  if (i == len) return 1;
  if (s[i] == ':') i++;
  return cd_field(s, len, &i, 2, 0, 59) && i == len;
}

/* A parsed address or CIDR. */
typedef struct cd_ip { unsigned char b[16]; int bits, v6, ok; } cd_ip;

static int cd_hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = cd_lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* Parse dotted IPv4 s[0..len) into b[0..4). */
static int cd_ipv4(const char *s, size_t len, unsigned char *b) {
  size_t i = 0;
  int k;
  for (k = 0; k < 4; k++) {
    int x = 0, n = 0;
    if (k > 0) { if (i >= len || s[i] != '.') return 0; i++; }
    while (i < len && cd_digit((unsigned char)s[i]) && n < 4) { x = x * 10 + (s[i] - '0'); i++; n++; }
    if (n == 0 || n > 3 || x > 255) return 0;
    b[k] = (unsigned char)x;
  }
  return i == len;
}

static int cd_ipv6(const char *s, size_t len, unsigned char *b) {
  unsigned short g[8];
  int n = 0, gap = -1, k;
  size_t i = 0;
  if (len >= 2 && s[0] == ':' && s[1] == ':') { gap = 0; i = 2; }
  else if (len >= 1 && s[0] == ':') return 0;
  while (i < len && n < 8) {
    size_t start = i;
    unsigned x = 0;
    int d = 0;
    while (i < len && cd_hexval((unsigned char)s[i]) >= 0 && d < 5) {
      x = x * 16 + (unsigned)cd_hexval((unsigned char)s[i]);
      i++;
      d++;
    }
    if (i < len && s[i] == '.') {                  /* embedded IPv4 */
      unsigned char v4[4];
      size_t e = len;
      if (n > 6 || !cd_ipv4(s + start, e - start, v4)) return 0;
      g[n++] = (unsigned short)(v4[0] << 8 | v4[1]);
      g[n++] = (unsigned short)(v4[2] << 8 | v4[3]);
      i = len;
      break;
    }
    if (d == 0 || d > 4) return 0;
    g[n++] = (unsigned short)x;
    if (i == len) break;
    if (s[i] != ':') return 0;
    i++;
    if (i < len && s[i] == ':') {
      if (gap >= 0) return 0;
      gap = n;
      i++;
      if (i == len) break;
    } else if (i == len) {
      return 0;
    }
  }
  if (i != len) return 0;
  if (gap < 0 && n != 8) return 0;
  if (gap >= 0 && n > 7) return 0;
  memset(b, 0, 16);
  if (gap < 0) gap = n;
  for (k = 0; k < gap; k++) { b[2 * (size_t)k] = (unsigned char)(g[k] >> 8); b[2 * (size_t)k + 1] = (unsigned char)g[k]; }
  for (k = gap; k < n; k++) {
    int at = 8 - (n - k);
    b[2 * (size_t)at] = (unsigned char)(g[k] >> 8);
    b[2 * (size_t)at + 1] = (unsigned char)g[k];
  }
  return 1;
}

static cd_ip cd_cidr(const char *s, size_t len) {
  cd_ip ip;
  const char *slash = memchr(s, '/', len);
  size_t alen = slash ? (size_t)(slash - s) : len;
  memset(&ip, 0, sizeof ip);
  ip.v6 = memchr(s, ':', alen) != NULL;
  if (ip.v6 ? !cd_ipv6(s, alen, ip.b) : !cd_ipv4(s, alen, ip.b)) return ip;
  ip.bits = ip.v6 ? 128 : 32;
  if (slash) {
    size_t i = alen + 1;
    int x = 0, n = 0;
    while (i < len && cd_digit((unsigned char)s[i]) && n < 4) { x = x * 10 + (s[i] - '0'); i++; n++; }
    if (n == 0 || i != len || x > ip.bits) return ip;
    ip.bits = x;
  }
  ip.ok = 1;
  return ip;
}

static int cd_host_bits(const cd_ip *ip) {
  int total = ip->v6 ? 128 : 32, k;
  for (k = ip->bits; k < total; k++)
    if ((ip->b[k >> 3] >> (7 - (k & 7))) & 1) return 1;
  return 0;
}

/* Is the whole range of ip private (RFC 1918, loopback, link-local, ULA)? */
static int cd_private(const cd_ip *ip) {
  const unsigned char *b = ip->b;
  if (!ip->v6) {
    if (b[0] == 10 && ip->bits >= 8) return 1;
    if (b[0] == 172 && (b[1] & 0xF0) == 16 && ip->bits >= 12) return 1;
    if (b[0] == 192 && b[1] == 168 && ip->bits >= 16) return 1;
    if (b[0] == 127 && ip->bits >= 8) return 1;
    if (b[0] == 169 && b[1] == 254 && ip->bits >= 16) return 1;
    return 0;
  }
  if ((b[0] & 0xFE) == 0xFC && ip->bits >= 7) return 1;
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80 && ip->bits >= 10) return 1;
  {
    int k, loop = ip->bits == 128 && b[15] == 1;
    for (k = 0; k < 15 && loop; k++) loop = b[k] == 0;
    return loop;
  }
}

static int cd_region_ok(const char *s, size_t len) {
  static const char *const regions[] = {
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1",
    "ap-east-2", "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2",
    "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
    "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-west-1",
    "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1",
    "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
    "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1",
    "us-iso-east-1", "us-iso-west-1", "us-isob-east-1", "us-isof-south-1",
    "us-isof-east-1", "eu-isoe-west-1", "eusc-de-east-1", NULL
  };
  int i;
  for (i = 0; regions[i]; i++) if (lpv_vd_eq(s, len, regions[i])) return 1;
  return 0;
}

/* prefix-[0-9a-f]{8} or {17} */
static int cd_vpc_id(const char *s, size_t len, const char *prefix) {
  size_t n = strlen(prefix), i;
  if (!lpv_vd_starts(s, len, prefix)) return 0;
  if (len - n != 8 && len - n != 17) return 0;
  for (i = n; i < len; i++) {
    int c = (unsigned char)s[i];
    if (!(cd_digit(c) || (c >= 'a' && c <= 'f'))) return 0;
  }
  return 1;
}

/* [\w+=,.@-]{2,64}, wildcards allowed */
static int cd_session_name(const char *s, size_t len) {
  size_t i;
  if (len > 64 || (len < 2 && !lpv_vd_has_wild(s, len))) return 0;
  for (i = 0; i < len; i++) {
    int c = (unsigned char)s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || cd_digit(c) ||
          strchr("_+=,.@-*?", c) != NULL))
      return 0;
  }
  return 1;
}


/* ---- conditions ---- */

/* Key family compatibility: may an operator of family f test a key of type t? */
static int cd_compatible(int f, int t) {
  switch (f) {
    case VO_STRING: return t == VKT_STRING || t == VKT_ARN;
    case VO_NUMERIC: return t == VKT_NUMERIC || t == VKT_DATE;
    case VO_DATE: return t == VKT_DATE;
    case VO_BOOL: return t == VKT_BOOL;
    case VO_BINARY: return t == VKT_BINARY || t == VKT_STRING;
    case VO_IP: return t == VKT_IP;
    /* Arn operators on a String key that holds ARNs
    ** (kms:EncryptionContext:aws:s3:arn, a tag value): IAM accepts them */
    case VO_ARN: return t == VKT_ARN || t == VKT_STRING;
    default: return 1;
  }
}

int lpv_vd_has_key(const vstmt *s, const char *key, int any_op) {
  int i;
  for (i = 0; i < s->ncond; i++) {
    const vcond *c = &s->cond[i];
    if (c->base < 0 || !lpv_vd_ieq(c->key, c->klen, key)) continue;
    if (any_op) return 1;
    if (c->ifexists || lpv_vd_ops[c->base].neg || lpv_vd_ops[c->base].family == VO_NULL) continue;
    return 1;
  }
  return 0;
}

int lpv_vd_key_pins(const vstmt *s, const char *key) {
  int i, j;
  for (i = 0; i < s->ncond; i++) {
    const vcond *c = &s->cond[i];
    int pinned = c->nval > 0;
    if (c->base < 0 || !lpv_vd_ieq(c->key, c->klen, key)) continue;
    if (c->ifexists || lpv_vd_ops[c->base].neg || lpv_vd_ops[c->base].family == VO_NULL) continue;
    for (j = 0; j < c->nval && pinned; j++)
      if (lpv_vd_ops[c->base].like && lpv_vd_has_wild(c->val[j].s, c->val[j].len)) pinned = 0;
    if (pinned) return 1;
  }
  return 0;
}

int lpv_vd_has_key_prefix(const vstmt *s, const char *prefix) {
  int i;
  size_t n = strlen(prefix);
  for (i = 0; i < s->ncond; i++) {
    const vcond *c = &s->cond[i];
    size_t k;
    if (c->base < 0 || c->klen < n) continue;
    for (k = 0; k < n; k++)
      if (cd_lower((unsigned char)c->key[k]) != cd_lower((unsigned char)prefix[k])) break;
    if (k == n) return 1;
  }
  return 0;
}

/* Does some action of statement s see condition key canon (lower case)? */
static int cd_key_seen(vd *v, const vstmt *s, const char *canon) {
  int i, j;
  for (i = 0; i < s->nact; i++) {
    const vitem *it = &s->act[i];
    if (it->act == VA_STAR || it->act == VA_UNKNOWN) return 1;
    if (it->act >= 0) {
      const vaction *a = lpv_vd_action(v, it->act);
      for (j = 0; j < a->nkeys; j++) if (strcmp(a->keys[j], canon) == 0) return 1;
    } else if (it->bits) {
      long n = (long)it->bhi * 8, k, seen = 0;
      if (n > lpv_vd_nactions(v)) n = lpv_vd_nactions(v);
      for (k = (long)it->blo * 8; k < n; k++) {
        const vaction *a;
        if (!((it->bits[k >> 3] >> (k & 7)) & 1U)) {
          if (it->bits[k >> 3] == 0) k |= 7;        /* skip an empty byte */
          continue;
        }
        if (++seen > 400) return 1;                 /* broad: assume seen */
        a = lpv_vd_action(v, k);
        for (j = 0; j < a->nkeys; j++) if (strcmp(a->keys[j], canon) == 0) return 1;
      }
    }
  }
  return 0;
}

/* Global tag keys (aws:ResourceTag/..., aws:RequestTag/..., aws:TagKeys)
** that some of the statement's actions ignore: report them (a positive test
** on such a key never matches those actions). */
static void cd_tag_keys(vd *v, int si, const vcond *c, const vkey *k, const vloc *kat) {
  vstmt *s = &v->st[si];
  const char *ignored[4];
  size_t ilen[4];
  int n = 0, total = 0, i, j;
  if (!k->canon || s->effect == VE_BAD || s->akind == VK_NONE) return;
  if (strcmp(k->canon, "aws:resourcetag/${tagkey}") != 0 &&
      strcmp(k->canon, "aws:requesttag/${tagkey}") != 0 && strcmp(k->canon, "aws:tagkeys") != 0)
    return;
  if (c->ifexists || lpv_vd_ops[c->base].neg || lpv_vd_ops[c->base].family == VO_NULL) return;
  if (s->akind == VK_NOT) {
    /* every action but a few: many of them belong to services that ignore tags */
    if (s->effect == VE_DENY)
      lpv_vd_report(v, "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", kat,
                    "list the actions to deny, from services that support the tag key",
                    "NotAction covers actions of services that ignore %S, so the Deny "
                    "never applies to them", c->key, c->klen);
    else
      lpv_vd_report(v, "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", kat,
                    "list the actions to allow, from services that support the tag key",
                    "NotAction covers actions of services that ignore %S, so the Allow "
                    "never grants them", c->key, c->klen);
    return;
  }
  for (i = 0; i < s->nact; i++) {
    const vitem *it = &s->act[i];
    if (it->act >= 0) {
      const vaction *a = lpv_vd_action(v, it->act);
      int seen = 0;
      for (j = 0; j < a->nkeys && !seen; j++) seen = strcmp(a->keys[j], k->canon) == 0;
      if (!seen) {
        if (n < 4) { ignored[n] = it->s; ilen[n] = it->len; n++; }
        total++;
      }
    } else if (it->act == VA_PATTERN && it->bits) {
      long end = (long)it->bhi * 8, kk, looked = 0;
      int miss = 0;
      if (end > lpv_vd_nactions(v)) end = lpv_vd_nactions(v);
      for (kk = (long)it->blo * 8; kk < end && looked < 400; kk++) {
        const vaction *a;
        int seen = 0;
        if (!VD_BIT(it->bits, kk)) continue;
        looked++;
        a = lpv_vd_action(v, kk);
        for (j = 0; j < a->nkeys && !seen; j++) seen = strcmp(a->keys[j], k->canon) == 0;
        if (!seen) miss = 1;
      }
      if (miss) {
        if (n < 4) { ignored[n] = it->s; ilen[n] = it->len; n++; }
        total++;
      }
    }
  }
  if (total == 0) return;
  {
    lua_State *L = v->L;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (i = 0; i < n; i++) {
      if (i > 0) luaL_addstring(&b, i == total - 1 ? " and " : ", ");
      luaL_addlstring(&b, ignored[i], ilen[i]);
    }
    if (total > n) {
      lua_pushfstring(L, " and %d more", total - n);
      luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    if (s->effect == VE_DENY)
      lpv_vd_report(v, "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", kat,
                    "deny those actions in a statement of their own, or test a key their "
                    "service supports",
                    "%s ignore%s %S, so the Deny never applies to %s", lua_tostring(L, -1),
                    total == 1 ? "s" : "", c->key, c->klen, total == 1 ? "it" : "them");
    else
      lpv_vd_report(v, "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", kat,
                    "allow those actions in a statement of their own, without the tag test",
                    "%s ignore%s %S, so the Allow never grants %s", lua_tostring(L, -1),
                    total == 1 ? "s" : "", c->key, c->klen, total == 1 ? "it" : "them");
    lua_pop(L, 1);
  }
}

/* Report values that another value of the same key already covers. */
static void cd_redundant_values(vd *v, const vcond *c, const vloc *kat) {
  const vop *op = &lpv_vd_ops[c->base];
  int i, j, nocase = cd_contains(op->name, strlen(op->name), "IgnoreCase");
  if (op->family == VO_NUMERIC && op->order && c->nval > 1) {
    int all = 1;
    for (i = 0; i < c->nval; i++) all &= cd_number(c->val[i].s, c->val[i].len);
    if (all) {
      lpv_vd_report(v, "REDUNDANT_CONDITION_VALUE_NUM", kat,
                    op->order == 1 ? "keep only the largest value" : "keep only the smallest value",
                    "%s with several values for %S: only the %s one matters", op->name,
                    c->key, c->klen, op->order == 1 ? "largest" : "smallest");
      return;
    }
  }
  {
    lua_State *L = v->L;
    int cand[64], ncand = 0, *dup;
    dup = (int *)lpv_vd_alloc(v, sizeof(int) * (size_t)c->nval);
    lua_createtable(L, 0, c->nval);          /* value (folded for IgnoreCase) -> index */
    for (j = 0; j < c->nval; j++) {
      const vval *b = &c->val[j];
      if (nocase) {
        lpv_vd_push_lower(L, b->s, b->len);
      } else {
        lua_pushlstring(L, b->s, b->len);
      }
      lua_pushvalue(L, -1);
      if (lua_rawget(L, -3) == LUA_TNUMBER) {
        dup[j] = (int)lua_tointeger(L, -1);
        lua_pop(L, 2);
      } else {
        lua_pop(L, 1);
        lua_pushinteger(L, j);
        lua_rawset(L, -3);
        dup[j] = -1;
        if (op->like && lpv_vd_has_wild(b->s, b->len) && !memchr(b->s, '$', b->len) && ncand < 64)
          cand[ncand++] = j;
      }
    }
    lua_pop(L, 1);
    for (j = 0; j < c->nval; j++) {           /* repeated, or a Like value's wildcard covers it */
      const vval *b = &c->val[j];
      int by = dup[j];
      for (i = 0; by < 0 && i < ncand; i++) {
        const vval *a = &c->val[cand[i]];
        if (cand[i] == j || memchr(b->s, '$', b->len)) continue;
        /* "P" next to "P*" says the prefix itself is meant: left alone */
        if (a->len == b->len + 1 && a->s[b->len] == '*' && memcmp(a->s, b->s, b->len) == 0)
          continue;
        if (lpv_vd_covers(a->s, a->len, b->s, b->len) &&
            (op->family != VO_ARN || lpv_vd_has_wild(b->s, b->len) ||
             lpv_arn_match_like(a->s, a->len, b->s, b->len)) &&
            !(cand[i] > j && lpv_vd_covers(b->s, b->len, a->s, a->len)))
          by = cand[i];
      }
      if (by >= 0) {
        const vval *a = &c->val[by];
        vloc vat = *kat;
        vat.index = b->index;
        lpv_vd_report(v, "REDUNDANT_CONDITION_VALUE", &vat, "remove it",
                      "\"%S\" is already covered by \"%S\"", b->s, b->len, a->s, a->len);
      }
    }
  }
}

/* StringLike whose only value is "*" matches any request that has the key:
** it says Null false. */
static void cd_null_false(vd *v, const vcond *c, const vloc *kat) {
  const vop *op;
  if (c->base < 0 || c->nval != 1 || c->qual != VQ_NONE || c->ifexists) return;
  op = &lpv_vd_ops[c->base];
  if (op->family != VO_STRING || !op->like || op->neg) return;
  if (!lpv_vd_eq(c->val[0].s, c->val[0].len, "*")) return;
  lua_pushlstring(v->L, c->key, c->klen);
  lpv_vd_report(v, "EQUIVALENT_TO_NULL_FALSE", kat,
                lua_pushfstring(v->L, "say so: \"Null\": {\"%s\": \"false\"}",
                                lua_tostring(v->L, -1)),
                "%s \"*\" on %S only tests that the request has the key",
                op->name, c->key, c->klen);
  lua_pop(v->L, 2);
}

static void cd_values(vd *v, const vcond *c, const vloc *kat) {
  const vop *op = &lpv_vd_ops[c->base];
  int i, has_true = 0, has_false = 0, priv = 0, pub = 0, checked_ip = 0;
  int is_source_ip = lpv_vd_ieq(c->key, c->klen, "aws:SourceIp");
  for (i = 0; i < c->nval; i++) {
    const vval *x = &c->val[i];
    vloc vat = *kat;
    int var;
    vat.index = x->index;
    if (lpv_vd_has_placeholder(x->s, x->len)) continue;
    var = lpv_vd_variables(v, x->s, x->len, &vat,
                           op->family == VO_STRING || op->family == VO_ARN || op->family == VO_BOOL);
    if (var) {
      if (!(op->family == VO_STRING || op->family == VO_ARN || op->family == VO_BOOL))
        lpv_vd_report(v, "INVALID_VARIABLE_FOR_OPERATOR", &vat,
                      "policy variables work with String and Arn operators",
                      "%s does not substitute policy variables: \"%S\" is compared as written",
                      op->name, x->s, x->len);
      continue;
    }
    switch (op->family) {
      case VO_NUMERIC:
        if (!cd_number(x->s, x->len))
          lpv_vd_report(v, "TYPE_MISMATCH_NUMBER", &vat, NULL,
                        "%s needs a number, not \"%S\"", op->name, x->s, x->len);
        break;
      case VO_DATE:
        if (!cd_date(x->s, x->len))
          lpv_vd_report(v, "INVALID_DATE_VALUE", &vat,
                        "use ISO 8601 (2026-01-31T12:00:00Z) or epoch seconds",
                        "\"%S\" is not a date", x->s, x->len);
        break;
      case VO_BOOL: case VO_NULL:
        if (lpv_vd_ieq(x->s, x->len, "true")) has_true = 1;
        else if (lpv_vd_ieq(x->s, x->len, "false")) has_false = 1;
        else
          lpv_vd_report(v, "TYPE_MISMATCH_BOOLEAN", &vat, "use true or false",
                        "%s needs true or false, not \"%S\"", op->name, x->s, x->len);
        break;
      case VO_IP: {
        cd_ip ip = cd_cidr(x->s, x->len);
        if (!ip.ok) {
          lpv_vd_report(v, "TYPE_MISMATCH_IP_RANGE", &vat, "use a CIDR like 203.0.113.0/24",
                        "\"%S\" is not an IP address or CIDR range", x->s, x->len);
          break;
        }
        if (cd_host_bits(&ip))
          lpv_vd_report(v, "IMPROVE_IP_RANGE", &vat,
                        "clear the host bits (203.0.113.7/24 means 203.0.113.0/24)",
                        "\"%S\" has host bits set beyond its /%d prefix", x->s, x->len, ip.bits);
        checked_ip = 1;
        if (cd_private(&ip)) priv++;
        else pub++;
        break;
      }
      case VO_STRING:
        if (!op->like && lpv_vd_has_wild(x->s, x->len))
          lpv_vd_report(v, "WILDCARD_WITHOUT_LIKE_OPERATOR", &vat,
                        op->neg ? "use StringNotLike" : "use StringLike",
                        "%s compares \"%S\" literally: its wildcard matches only itself",
                        op->name, x->s, x->len);
        if (lpv_vd_ieq(c->key, c->klen, "aws:RequestedRegion") &&
            !lpv_vd_has_wild(x->s, x->len) && !cd_region_ok(x->s, x->len))
          lpv_vd_report(v, "INVALID_REGION", &vat, NULL, "\"%S\" is not an AWS region",
                        x->s, x->len);
        if (lpv_vd_ieq(c->key, c->klen, "aws:SourceVpc") && !lpv_vd_has_wild(x->s, x->len) &&
            !cd_vpc_id(x->s, x->len, "vpc-"))
          lpv_vd_report(v, "INVALID_VPC_FORMAT", &vat, "VPC IDs look like vpc-0abc1234",
                        "\"%S\" is not a VPC ID", x->s, x->len);
        if (lpv_vd_ieq(c->key, c->klen, "aws:SourceVpce") && !lpv_vd_has_wild(x->s, x->len) &&
            !cd_vpc_id(x->s, x->len, "vpce-"))
          lpv_vd_report(v, "INVALID_VPCE_FORMAT", &vat, "VPC endpoint IDs look like vpce-0abc1234",
                        "\"%S\" is not a VPC endpoint ID", x->s, x->len);
        if (lpv_vd_ieq(c->key, c->klen, "sts:RoleSessionName") && !cd_session_name(x->s, x->len))
          lpv_vd_report(v, "INVALID_SESSION_NAME", &vat,
                        "session names are 2-64 letters, digits or _+=,.@-",
                        "\"%S\" can never be a role session name", x->s, x->len);
        if (lpv_vd_ieq(c->key, c->klen, "token.actions.githubusercontent.com:sub") &&
            !op->neg && cd_github_broad(x->s, x->len))
          lpv_vd_report(v, "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED", &vat,
                        "name the repository and branch: repo:ORG/REPO:ref:refs/heads/main",
                        "\"%S\" lets every repository of the owner assume the role", x->s, x->len);
        break;
      default:
        break;
    }
  }
  if (has_true && has_false)
    lpv_vd_report(v, "INVALID_CONDITION_MULTIPLE_BOOLEAN", kat, "give one value",
                  "%S is tested against both true and false", c->key, c->klen);
  if (is_source_ip && checked_ip && op->family == VO_IP && priv > 0) {
    const char *code = pub == 0 ? (op->neg ? "PRIVATE_NOTIPADDRESS" : "PRIVATE_IP_ADDRESS")
                                : (op->neg ? "PRIVATE_NOTIPADDRESS_SUBSET" : "PRIVATE_IP_ADDRESS_SUBSET");
    lpv_vd_report(v, code, kat, "requests from private networks reach AWS through VPC "
                  "endpoints: test aws:SourceVpc or aws:VpcSourceIp",
                  pub == 0 ? "aws:SourceIp never holds a private address: %s on private "
                             "ranges %s"
                           : "aws:SourceIp never holds a private address: the private "
                             "ranges of this %s %s",
                  op->name, pub == 0 ? (op->neg ? "always matches" : "never matches")
                                     : "have no effect");
  }
  cd_redundant_values(v, c, kat);
}

void lpv_vd_conditions(vd *v, int si) {
  vstmt *s = &v->st[si];
  int i, folded;
  const char *last_op = NULL;
  if (s->ncond == 0) return;
  lua_createtable(v->L, 0, s->ncond);
  folded = lua_gettop(v->L);
  for (i = 0; i < s->ncond; i++) {
    const vcond *c = &s->cond[i];
    vloc oat = lpv_vd_at(si, "Condition", -1), kat;
    const char *colon;
    vkey k;
    oat.key = c->op;
    oat.klen = c->oplen;
    kat = oat;
    kat.key2 = c->key;
    kat.k2len = c->klen;
    if (c->op != last_op) {
      last_op = c->op;
      if (c->base < 0) {
        const char *near = NULL;
        int q, ie, n;
        size_t ol = c->oplen;
        const char *o = c->op;
        (void)lpv_vd_op_parse(o, ol, &q, &ie);
        if (q == VQ_ALL) { o += 13; ol -= 13; }
        else if (q == VQ_ANY) { o += 12; ol -= 12; }
        if (ie) ol -= 8;
        for (n = 0; n < VD_NOPS && near == NULL; n++)   /* same name, other case */
          if (lpv_vd_ieq(o, ol, lpv_vd_ops[n].name)) near = lpv_vd_ops[n].name;
        for (n = 0; n < VD_NOPS && near == NULL; n++) {  /* a typo near the end */
          const char *cand = lpv_vd_ops[n].name;
          size_t m = 0, cl = strlen(cand);
          while (m < ol && m < cl && cd_lower((unsigned char)o[m]) == cd_lower((unsigned char)cand[m])) m++;
          if (m >= 4 && m + 2 >= cl && m + 2 >= ol) near = cand;
        }
        if (near)
          lpv_vd_report(v, "INVALID_CONDITION_OPERATOR", &oat,
                        lua_pushfstring(v->L, "did you mean %s?", near),
                        "\"%S\" is not a condition operator", c->op, c->oplen);
        else
          lpv_vd_report(v, "INVALID_CONDITION_OPERATOR", &oat,
                        "operators are String*, Numeric*, Date*, Bool, BinaryEquals, "
                        "IpAddress, NotIpAddress, Arn*, Null (+ IfExists, ForAllValues:, "
                        "ForAnyValue:)",
                        "\"%S\" is not a condition operator", c->op, c->oplen);
        if (near) lua_pop(v->L, 1);
      } else if (lpv_vd_ops[c->base].family == VO_NULL && c->ifexists) {
        lpv_vd_report(v, "NULL_WITH_IF_EXISTS", &oat, "use Null",
                      "Null cannot take IfExists: it already tests whether the key exists");
      } else if (lpv_vd_ops[c->base].family == VO_NULL && c->qual != VQ_NONE) {
        lpv_vd_report(v, "NULL_WITH_QUALIFIER", &oat, "use Null without the set qualifier",
                      "Null with %s tests only whether the key exists", c->qual == VQ_ALL
                      ? "ForAllValues:" : "ForAnyValue:");
      }
    }
    /* keys that differ only in case under one operator: folded -> first */
    {
      lua_State *L = v->L;
      lua_pushlstring(L, c->op, c->oplen);
      lua_pushlstring(L, "", 1);                 /* a NUL between operator and key */
      lpv_vd_push_lower(L, c->key, c->klen);
      lua_concat(L, 3);
      lua_pushvalue(L, -1);
      if (lua_rawget(L, folded) == LUA_TNUMBER) {
        const vcond *o = &s->cond[lua_tointeger(L, -1)];
        lpv_vd_report(v, "DUPLICATE_KEYS_WITH_DIFFERENT_CASE", &kat,
                      "condition keys ignore case: merge their values",
                      "%S and %S are the same key", o->key, o->klen, c->key, c->klen);
        lua_pop(L, 2);
      } else {
        lua_pop(L, 1);
        lua_pushinteger(L, i);
        lua_rawset(L, folded);
      }
    }
    colon = memchr(c->key, ':', c->klen);
    if (cd_contains(c->key, c->klen, "${")) {
      lpv_vd_variables(v, c->key, c->klen, &kat, 0);
      continue;
    }
    if (colon == NULL || colon == c->key || colon == c->key + c->klen - 1) {
      lpv_vd_report(v, "INVALID_CONDITION_KEY_FORMAT", &kat,
                    "condition keys look like aws:SourceArn or s3:prefix",
                    "\"%S\" is not a condition key", c->key, c->klen);
      continue;
    }
    if (c->base < 0) continue;
    {
      size_t plen = (size_t)(colon - c->key);
      int oidc = memchr(c->key, '.', plen) != NULL;     /* an identity provider host */
      int global = lpv_vd_ieq(c->key, plen, "aws");
      lpv_vd_key(v, c->key, c->klen, &k);
      if (global && lpv_vd_ieq(c->key, c->klen, "aws:ARN")) {
        lpv_vd_report(v, "UNSUPPORTED_GLOBAL_CONDITION_KEY", &kat, "use aws:PrincipalArn",
                      "aws:ARN is not supported: use aws:PrincipalArn");
        continue;
      }
      if (global && (lpv_vd_ieq(c->key, c->klen, "aws:ResourceTag/") ||
                     lpv_vd_ieq(c->key, c->klen, "aws:RequestTag/") ||
                     lpv_vd_ieq(c->key, c->klen, "aws:PrincipalTag/"))) {
        lpv_vd_report(v, "MISSING_TAG_KEY_IN_CONDITION", &kat,
                      "name the tag: aws:ResourceTag/team", "%S names no tag key",
                      c->key, c->klen);
        continue;
      }
      if (!k.known && !oidc) {
        lua_State *L = v->L;
        lpv_vd_push_unknown_key(v, c->key, c->klen);
        lua_pushnil(L);
        lua_insert(L, -2);                       /* nil, message: as the catalog gives them */
        {
          const char *msg = lua_tostring(L, -1);
          const char *p = msg ? strstr(msg, "did you mean ") : NULL;
          const char *q = p ? strchr(p, '?') : NULL;
          const char *dym = q ? lua_pushlstring(L, p, (size_t)(q - p) + 1) : NULL;
          if (!q) lua_pushnil(L);
          if (global)
            lpv_vd_report(v, "INVALID_GLOBAL_CONDITION_KEY", &kat, dym,
                          "%S is not a global condition key", c->key, c->klen);
          else if (!lpv_vd_service(v, c->key, plen)->known)
            lpv_vd_report(v, "INVALID_SERVICE_CONDITION_KEY", &kat, dym,
                          "%S: there is no service \"%S\"", c->key, c->klen, c->key, plen);
          else
            lpv_vd_report(v, "INVALID_SERVICE_CONDITION_KEY", &kat, dym,
                          "%S is not a condition key of %S", c->key, c->klen, c->key, plen);
          lua_pop(L, 1);
        }
        lua_pop(L, 2);
        continue;
      }
      if (k.known) {
        const vop *op = &lpv_vd_ops[c->base];
        if (op->family != VO_NULL) {
          if (k.multi && c->qual == VQ_NONE)
            lpv_vd_report(v, "MISSING_QUALIFIER", &kat,
                          lua_pushfstring(v->L, "use ForAllValues:%s or ForAnyValue:%s",
                                          op->name, op->name),
                          "%S is multivalued: a plain %s never matches a request with "
                          "several values", c->key, c->klen, op->name);
          if (k.multi && c->qual == VQ_NONE) lua_pop(v->L, 1);
          if (!k.multi && c->qual == VQ_ALL)
            lpv_vd_report(v, "FORALLVALUES_WITH_SINGLE_VALUED_KEY", &kat,
                          "drop ForAllValues: (it is true when the key is absent)",
                          "%S is single-valued: ForAllValues:%s also matches requests "
                          "without the key", c->key, c->klen, op->name);
          if (!k.multi && c->qual == VQ_ANY)
            lpv_vd_report(v, "FORANYVALUE_WITH_SINGLE_VALUED_KEY", &kat,
                          "drop ForAnyValue:", "%S is single-valued: ForAnyValue: adds nothing",
                          c->key, c->klen);
          if (k.type != VKT_UNKNOWN && !cd_compatible(op->family, k.type))
            lpv_vd_report(v, "TYPE_MISMATCH", &kat, NULL,
                          "%S is of type %s, but %s compares %s values", c->key, c->klen,
                          ktype_names[k.type], op->name, family_names[op->family]);
        }
        if (op->family == VO_STRING && op->like && k.type == VKT_ARN)
          lpv_vd_report(v, "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS", &kat,
                        lua_pushfstring(v->L, "use Arn%s", op->neg ? "NotLike" : "Like"),
                        "%S holds ARNs: %s matches it as plain text, where a '*' also spans "
                        "the ':' between ARN parts", c->key, c->klen, op->name);
        if (op->family == VO_STRING && op->like && k.type == VKT_ARN) lua_pop(v->L, 1);
        if (k.global) cd_tag_keys(v, si, c, &k, &kat);
        /* the statement's actions must see a service key */
        if (!k.global && !oidc && s->akind == VK_POS && s->nact > 0 && k.canon &&
            !cd_key_seen(v, s, k.canon) && !lpv_vd_off(v, "UNSUPPORTED_ACTION_FOR_CONDITION_KEY"))
          lpv_vd_report(v, "UNSUPPORTED_ACTION_FOR_CONDITION_KEY", &kat,
                        "move the key to a statement whose actions support it, or remove it",
                        "none of the statement's actions supports the condition key %S",
                        c->key, c->klen);
      }
    }
    if (c->nval > 0) cd_values(v, c, &kat);
    cd_null_false(v, c, &kat);
  }
  lua_pop(v->L, 1);
}
